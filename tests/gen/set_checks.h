/*
 * set_checks.h -- checks of a generated stencil set built from
 * tests/gen/fixture_set.c, shared by the golden-header test and the
 * cpjit_add_stencils() test (cmocka; include after <cmocka.h>).
 *
 * check_set_invariants() verifies what the JIT relies on for any set:
 * sorted holes inside their code or data, zeroed hole fields (RELA objects
 * keep addends out of the code: on x86-64 the whole field, on AArch64 the
 * immediate bits of the instruction), helper indices in range and the
 * tail-continue flag exactly when the code ends in `jmp CONTINUE` (x86-64)
 * or `b CONTINUE` (AArch64). check_fixture_holes() verifies that each
 * fixture uop got the holes its C body implies, on either machine (an
 * AArch64 operand or data address is four movz/movk holes).
 */
#ifndef CPJIT_TESTS_GEN_SET_CHECKS_H
#define CPJIT_TESTS_GEN_SET_CHECKS_H

#include <stdint.h>
#include <string.h>

#include "cpjit.h"

static inline uint32_t reloc_size(uint8_t reloc) {
  switch (reloc) {
  case CPJIT_RELOC_X86_64_64:
  case CPJIT_RELOC_X86_64_PC64:
  case CPJIT_RELOC_AARCH64_ABS64:
  case CPJIT_RELOC_AARCH64_PREL64:
    return 8;
  default:
    return 4;
  }
}

/* The bits of the 32-bit instruction word a relocation fills in (AArch64
 * instruction kinds); 0 for kinds that fill whole bytes. */
static inline uint32_t reloc_field_mask(uint8_t reloc) {
  switch (reloc) {
  case CPJIT_RELOC_AARCH64_CALL26:
  case CPJIT_RELOC_AARCH64_JUMP26:
    return 0x03ffffffu;
  case CPJIT_RELOC_AARCH64_CONDBR19:
    return 0x7ffffu << 5;
  case CPJIT_RELOC_AARCH64_TSTBR14:
    return 0x3fffu << 5;
  case CPJIT_RELOC_AARCH64_ADR_PREL_LO21:
  case CPJIT_RELOC_AARCH64_ADR_PREL_PG_HI21:
    return 3u << 29 | 0x7ffffu << 5;
  case CPJIT_RELOC_AARCH64_ADD_ABS_LO12_NC:
  case CPJIT_RELOC_AARCH64_LDST8_ABS_LO12_NC:
  case CPJIT_RELOC_AARCH64_LDST16_ABS_LO12_NC:
  case CPJIT_RELOC_AARCH64_LDST32_ABS_LO12_NC:
  case CPJIT_RELOC_AARCH64_LDST64_ABS_LO12_NC:
  case CPJIT_RELOC_AARCH64_LDST128_ABS_LO12_NC:
    return 0xfffu << 10;
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G0:
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G0_NC:
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G1:
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G1_NC:
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G2:
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G2_NC:
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G3:
    return 0xffffu << 5;
  default:
    return 0;
  }
}

static inline int ends_in_tail_jump(const cpjit_stencil_set *set,
                                    const cpjit_stencil *s,
                                    const cpjit_hole *h) {
  if (h->in_data || h->kind != CPJIT_HOLE_CONTINUE)
    return 0;
  if (set->machine == CPJIT_MACHINE_AARCH64) {
    uint32_t w;
    if (h->offset != s->code_size - 4 || h->addend != 0)
      return 0;
    memcpy(&w, s->code + h->offset, 4);
    return (w & 0xfc000000u) == 0x14000000u; /* b, not bl */
  }
  return h->offset == s->code_size - 4 && h->addend == -4 &&
         s->code[s->code_size - 5] == 0xe9;
}

static inline void check_stencil(const cpjit_stencil_set *set,
                                 const cpjit_stencil *s) {
  assert_non_null(s->name);
  assert_non_null(s->code);
  assert_true(s->code_size > 0);
  assert_true(s->code_align >= 1 && (s->code_align & (s->code_align - 1)) == 0);
  assert_true(s->data_align >= 1 && (s->data_align & (s->data_align - 1)) == 0);
  assert_true((s->data == NULL) == (s->data_size == 0));
  assert_true((s->holes == NULL) == (s->nholes == 0));
  int tail = 0;
  for (uint32_t i = 0; i < s->nholes; i++) {
    const cpjit_hole *h = &s->holes[i];
    if (h->reloc >= CPJIT_RELOC__COUNT || h->kind >= CPJIT_HOLE__COUNT)
      fail_msg("%s: hole %u has reloc %u kind %u", s->name, i, h->reloc,
               h->kind);
    if (i > 0) {
      const cpjit_hole *p = &s->holes[i - 1];
      if (p->in_data > h->in_data ||
          (p->in_data == h->in_data && p->offset >= h->offset))
        fail_msg("%s: holes %u and %u are not sorted", s->name, i - 1, i);
    }
    uint32_t limit = h->in_data ? s->data_size : s->code_size;
    const uint8_t *bytes = h->in_data ? s->data : s->code;
    if (h->offset + reloc_size(h->reloc) > limit)
      fail_msg("%s: hole %u at 0x%x overruns its %u bytes", s->name, i,
               h->offset, limit);
    uint32_t mask = reloc_field_mask(h->reloc), w;
    if (mask) {
      memcpy(&w, bytes + h->offset, 4);
      if (w & mask)
        fail_msg("%s: hole %u at 0x%x: immediate not zeroed", s->name, i,
                 h->offset);
    } else {
      for (uint32_t k = 0; k < reloc_size(h->reloc); k++)
        if (bytes[h->offset + k] != 0)
          fail_msg("%s: hole %u at 0x%x is not zeroed", s->name, i, h->offset);
    }
    if (h->kind == CPJIT_HOLE_HELPER) {
      assert_true(h->helper < set->nhelpers);
      assert_string_equal(h->symbol, set->helper_names[h->helper]);
    } else {
      assert_int_equal(h->helper, 0);
    }
    if (h->kind == CPJIT_HOLE_DATA)
      assert_true(h->addend >= -8 && h->addend < (int64_t)s->data_size);
    if (h->kind == CPJIT_HOLE_CODE)
      assert_true(h->addend >= 0 && h->addend < (int64_t)s->code_size);
    if (ends_in_tail_jump(set, s, h))
      tail = 1;
  }
  if (s->flags == CPJIT_STENCIL_FALLTHROUGH) {
    /* An inverted guard: `j!cc T` (x86-64 0f 8X rel32; AArch64 b.cond,
     * cbz/cbnz or tbz/tbnz) ends the code, its hole is the last code hole,
     * and nothing jumps to CONTINUE any more. */
    assert_int_equal(s->tail_size, 0);
    int64_t addend = -4;
    if (set->machine == CPJIT_MACHINE_AARCH64) {
      assert_true(s->code_size >= 4 && s->code_size % 4 == 0);
      uint32_t w = (uint32_t)s->code[s->code_size - 4] |
                   (uint32_t)s->code[s->code_size - 3] << 8 |
                   (uint32_t)s->code[s->code_size - 2] << 16 |
                   (uint32_t)s->code[s->code_size - 1] << 24;
      assert_true((w & 0xff000010u) == 0x54000000u ||
                  (w & 0x7c000000u) == 0x34000000u);
      addend = 0;
    } else {
      assert_int_equal(set->machine, CPJIT_MACHINE_X86_64);
      assert_true(s->code_size >= 6);
      assert_int_equal(s->code[s->code_size - 6], 0x0f);
      assert_int_equal(s->code[s->code_size - 5] & 0xf0, 0x80);
    }
    const cpjit_hole *last = NULL;
    for (uint32_t i = 0; i < s->nholes; i++) {
      if (s->holes[i].in_data)
        continue;
      last = &s->holes[i];
      if (last->kind == CPJIT_HOLE_CONTINUE)
        fail_msg("%s: falls through but still jumps to CONTINUE", s->name);
    }
    assert_non_null(last);
    assert_int_equal(last->offset, s->code_size - 4);
    assert_int_equal(last->addend, addend);
    assert_true(last->kind == CPJIT_HOLE_EXIT || last->kind == CPJIT_HOLE_JUMP);
    return;
  }
  if (tail) {
    assert_int_equal(s->flags, CPJIT_STENCIL_TAIL_CONTINUE);
    assert_int_equal(s->tail_size,
                     set->machine == CPJIT_MACHINE_AARCH64 ? 4 : 5);
  } else {
    if (s->flags != 0 || s->tail_size != 0)
      fail_msg("%s: flagged tail-continue but does not end in jmp CONTINUE",
               s->name);
  }
}

static inline void check_set_invariants(const cpjit_stencil_set *set) {
  assert_int_equal(set->abi_version, CPJIT_ABI_VERSION);
  assert_true(set->machine == CPJIT_MACHINE_X86_64 ||
              set->machine == CPJIT_MACHINE_AARCH64);
  assert_true(set->nuops > 0);
  for (uint32_t i = 0; i < set->nuops; i++)
    check_stencil(set, &set->uops[i]);
  check_stencil(set, set->trampoline);
  check_stencil(set, set->exit_stub);
  assert_string_equal(set->trampoline->name, "trampoline");
  assert_string_equal(set->exit_stub->name, "exit_stub");
}

/* Number of holes of `kind` (and `in_data`) in stencil `s`. */
static inline unsigned count_holes(const cpjit_stencil *s, cpjit_hole_kind kind,
                                   int in_data) {
  unsigned n = 0;
  for (uint32_t i = 0; i < s->nholes; i++)
    n += s->holes[i].kind == kind && s->holes[i].in_data == in_data;
  return n;
}

static inline const cpjit_hole *first_hole(const cpjit_stencil *s,
                                           cpjit_hole_kind kind, int in_data) {
  for (uint32_t i = 0; i < s->nholes; i++)
    if (s->holes[i].kind == kind && s->holes[i].in_data == in_data)
      return &s->holes[i];
  fail_msg("%s: no hole of kind %d (in_data %d)", s->name, kind, in_data);
  return NULL;
}

static inline void check_fixture_holes(const cpjit_stencil_set *set) {
  static const char *const names[] = {"LOAD64",  "ADDI", "LOADSLOT",
                                      "SCALE_F", "CALL", "GUARD",
                                      "LOOP",    "NAME", "DISPATCH"};
  assert_int_equal(set->nuops, 10);
  for (unsigned i = 0; i < 9; i++)
    assert_string_equal(set->uops[i].name, names[i]);
  assert_int_equal(set->nhelpers, 2);
  assert_string_equal(set->helper_names[0], "fixture_helper_add");
  assert_string_equal(set->helper_names[1], "fixture_helper_note");

  const cpjit_stencil *u = set->uops;
  /* An operand or data address is one hole on x86-64; on AArch64 a 64-bit
   * one is a movz/movk group of four, a 32-bit operand a pair, the small
   * argument one movz. */
  int a64 = set->machine == CPJIT_MACHINE_AARCH64;
  unsigned g = a64 ? 4 : 1, g32 = a64 ? 2 : 1;
  /* LOAD64: a full 64-bit operand. */
  assert_int_equal(count_holes(&u[0], CPJIT_HOLE_OPERAND0, 0), g);
  assert_int_equal(first_hole(&u[0], CPJIT_HOLE_OPERAND0, 0)->reloc,
                   a64 ? CPJIT_RELOC_AARCH64_MOVW_UABS_G3 : CPJIT_RELOC_X86_64_64);
  assert_int_equal(u[0].flags, CPJIT_STENCIL_TAIL_CONTINUE);
  /* ADDI, LOADSLOT: 32-bit operands and the small argument. */
  assert_int_equal(count_holes(&u[1], CPJIT_HOLE_OPERAND0, 0), g32);
  assert_int_equal(count_holes(&u[2], CPJIT_HOLE_ARG, 0), 1);
  assert_int_equal(count_holes(&u[2], CPJIT_HOLE_OPERAND1, 0), g32);
  assert_int_equal(first_hole(&u[2], CPJIT_HOLE_OPERAND1, 0)->reloc,
                   a64 ? CPJIT_RELOC_AARCH64_MOVW_UABS_G1_NC
                       : CPJIT_RELOC_X86_64_32S);
  /* SCALE_F: the constant e, read from the stencil's data blob (x86-64:
   * rip-relative, the addend counts from the end of the field). */
  assert_int_equal(count_holes(&u[3], CPJIT_HOLE_DATA, 0), g);
  const cpjit_hole *d = first_hole(&u[3], CPJIT_HOLE_DATA, 0);
  assert_int_equal(d->reloc, a64 ? CPJIT_RELOC_AARCH64_MOVW_UABS_G0_NC
                                 : CPJIT_RELOC_X86_64_PC32);
  int64_t at = a64 ? d->addend : d->addend + 4;
  assert_true(at >= 0 && at + 8 <= (int64_t)u[3].data_size);
  double e;
  memcpy(&e, u[3].data + at, sizeof e);
  assert_true(e == 2.718281828459045);
  assert_true(u[3].data_align >= 8);
  /* CALL: helper 0. */
  const cpjit_hole *h = first_hole(&u[4], CPJIT_HOLE_HELPER, 0);
  assert_int_equal(h->helper, 0);
  assert_int_equal(h->reloc, a64 ? CPJIT_RELOC_AARCH64_CALL26
                                 : CPJIT_RELOC_X86_64_PLT32);
  assert_int_equal(h->addend, a64 ? 0 : -4);
  /* GUARD: a side exit; LOOP: a back-edge. On x86-64 both end in
   * `jcc CONTINUE; jmp EXIT/JUMP`, inverted by stencilgen into one
   * `j!cc EXIT/JUMP` that falls through into the next uop. */
  assert_int_equal(count_holes(&u[5], CPJIT_HOLE_EXIT, 0), 1);
  assert_int_equal(count_holes(&u[6], CPJIT_HOLE_JUMP, 0), 1);
  if (!a64) {
    assert_int_equal(u[5].flags, CPJIT_STENCIL_FALLTHROUGH);
    assert_int_equal(u[6].flags, CPJIT_STENCIL_FALLTHROUGH);
    assert_int_equal(count_holes(&u[5], CPJIT_HOLE_CONTINUE, 0), 0);
    /* cmp acc, operand; jne EXIT (the C source's exit condition). */
    assert_int_equal(u[5].code[u[5].code_size - 5], 0x85);
  }
  /* NAME: helper 1, and a pointer table in the blob whose entries point at
   * the strings copied into the same blob. */
  assert_int_equal(first_hole(&u[7], CPJIT_HOLE_HELPER, 0)->helper, 1);
  assert_int_equal(count_holes(&u[7], CPJIT_HOLE_DATA, 1), 4);
  static const char *const words[] = {"zero", "one", "two", "many"};
  unsigned w = 0;
  for (uint32_t i = 0; i < u[7].nholes; i++) {
    const cpjit_hole *p = &u[7].holes[i];
    if (!p->in_data)
      continue;
    assert_int_equal(p->reloc, a64 ? CPJIT_RELOC_AARCH64_ABS64
                                   : CPJIT_RELOC_X86_64_64);
    assert_int_equal(p->offset, 8 * w);
    assert_true(p->addend >= 0 && p->addend < (int64_t)u[7].data_size);
    assert_string_equal((const char *)u[7].data + p->addend, words[w]);
    w++;
  }
  /* DISPATCH: a table of label addresses, holes in the blob pointing back
   * into the stencil's own code. */
  assert_int_equal(count_holes(&u[8], CPJIT_HOLE_CODE, 1), 2);
  assert_int_equal(count_holes(&u[8], CPJIT_HOLE_DATA, 0), g);
  /* TYPED_LOAD: `cmp; jne .L; mov; jmp CONTINUE; .L: jmp EXIT` from clang;
   * on x86-64 stencilgen widens the jne to `jne rel32 EXIT` and drops the
   * final jmp, so the code ends in the droppable jump to CONTINUE. */
  assert_int_equal(count_holes(&u[9], CPJIT_HOLE_EXIT, 0), 1);
  assert_int_equal(count_holes(&u[9], CPJIT_HOLE_CONTINUE, 0), 1);
  if (!a64) {
    const cpjit_hole *x = first_hole(&u[9], CPJIT_HOLE_EXIT, 0);
    const cpjit_hole *c = first_hole(&u[9], CPJIT_HOLE_CONTINUE, 0);
    assert_int_equal(u[9].flags, CPJIT_STENCIL_TAIL_CONTINUE);
    assert_int_equal(u[9].tail_size, 5);
    assert_int_equal(c->offset, u[9].code_size - 4);
    assert_true(x->offset < c->offset);
    assert_int_equal(x->addend, -4);
    assert_int_equal(u[9].code[x->offset - 2], 0x0f);
    assert_int_equal(u[9].code[x->offset - 1], 0x85); /* jne */
    /* The operand holes after the widened jcc moved with their code: the
     * load's displacement hole sits right after its ModRM/SIB bytes. */
    uint32_t nop1 = 0;
    for (uint32_t i = 0; i < u[9].nholes; i++)
      if (u[9].holes[i].kind == CPJIT_HOLE_OPERAND1) {
        const uint8_t *m = u[9].code + u[9].holes[i].offset;
        assert_int_equal(m[-1], 0x24); /* SIB of (%r12) */
        nop1++;
      }
    assert_int_equal(nop1, 2);
  }
  /* The trampoline calls (not jumps to) CONTINUE; the exit stub returns
   * operand 0. */
  assert_int_equal(count_holes(set->trampoline, CPJIT_HOLE_CONTINUE, 0), 1);
  assert_int_equal(set->trampoline->flags, 0);
  assert_int_equal(count_holes(set->exit_stub, CPJIT_HOLE_OPERAND0, 0), g);
}

#endif /* CPJIT_TESTS_GEN_SET_CHECKS_H */
