/*
 * test_patch.c -- every x86-64 and AArch64 relocation patcher at the edges
 * of its range: the largest value that fits is written exactly, one past it
 * is refused with CPJIT_ERR_RANGE and leaves the bytes untouched. Both
 * patchers are plain byte manipulation, tested on every host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "machine.h"
#include "patch_aarch64.h"
#include "patch_x86_64.h"

static uint8_t buf[32];

static cpjit_status patch(int reloc, uint64_t P, uint64_t S, int64_t A,
                          uint64_t G) {
  memset(buf, 0xaa, sizeof buf);
  return cpjit_x86_64_patch(buf + 8, P, reloc, S, A, G);
}

static uint32_t get32(void) {
  uint32_t v;
  memcpy(&v, buf + 8, 4);
  return v;
}

static uint32_t get32_at(int off) {
  uint32_t v;
  memcpy(&v, buf + off, 4);
  return v;
}

static uint64_t get64(void) {
  uint64_t v;
  memcpy(&v, buf + 8, 8);
  return v;
}

static void untouched(void) {
  for (int i = 0; i < 32; i++)
    assert_int_equal(buf[i], 0xaa);
}

static void abs64_writes_any_value(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_64, 0, UINT64_MAX, 0, 0), CPJIT_OK);
  assert_true(get64() == UINT64_MAX);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_64, 0, 10, -3, 0), CPJIT_OK);
  assert_true(get64() == 7);
}

static void abs32_is_zero_extended(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, UINT32_MAX, 0, 0), CPJIT_OK);
  assert_true(get32() == UINT32_MAX);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, 0, 0, 0), CPJIT_OK);
  assert_true(get32() == 0);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, (uint64_t)UINT32_MAX + 1, 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, (uint64_t)-1, 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
}

static void abs32s_is_sign_extended(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, INT32_MAX, 0, 0), CPJIT_OK);
  assert_true(get32() == (uint32_t)INT32_MAX);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, (uint64_t)(int64_t)INT32_MIN, 0, 0),
                   CPJIT_OK);
  assert_true(get32() == 0x80000000u);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, (uint64_t)INT32_MAX + 1, 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, (uint64_t)((int64_t)INT32_MIN - 1), 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
}

static void pc32_and_plt32_reach_two_gib(void **u) {
  (void)u;
  int kinds[] = {CPJIT_RELOC_X86_64_PC32, CPJIT_RELOC_X86_64_PLT32};
  uint64_t P = 0x100000000ull;
  for (int k = 0; k < 2; k++) {
    /* S + A - P == INT32_MAX */
    assert_int_equal(patch(kinds[k], P, P + INT32_MAX + 4, -4, 0), CPJIT_OK);
    assert_true(get32() == (uint32_t)INT32_MAX);
    assert_int_equal(patch(kinds[k], P, P - 0x80000000ull + 4, -4, 0), CPJIT_OK);
    assert_true(get32() == 0x80000000u);
    assert_int_equal(patch(kinds[k], P, P + (uint64_t)INT32_MAX + 5, -4, 0),
                     CPJIT_ERR_RANGE);
    untouched();
    assert_int_equal(patch(kinds[k], P, P - 0x80000000ull + 3, -4, 0),
                     CPJIT_ERR_RANGE);
    untouched();
  }
}

static void pc64_is_relative(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_PC64, 100, 50, 0, 0), CPJIT_OK);
  assert_true(get64() == (uint64_t)-50);
}

static void gotpcrel_points_at_the_slot(void **u) {
  (void)u;
  uint64_t P = 0x1000, G = 0x2000;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_GOTPCREL, P, 0xdeadbeef00ull, -4, G),
                   CPJIT_OK);
  assert_true(get32() == (uint32_t)(G - 4 - P));
  /* Slot out of reach. */
  assert_int_equal(patch(CPJIT_RELOC_X86_64_GOTPCREL, P, 0, -4, P + (1ull << 32)),
                   CPJIT_ERR_RANGE);
  untouched();
  assert_true(cpjit_x86_64_needs_got(CPJIT_RELOC_X86_64_GOTPCREL));
  assert_true(cpjit_x86_64_needs_got(CPJIT_RELOC_X86_64_GOTPCRELX));
  assert_true(cpjit_x86_64_needs_got(CPJIT_RELOC_X86_64_REX_GOTPCRELX));
  assert_false(cpjit_x86_64_needs_got(CPJIT_RELOC_X86_64_PC32));
}

static void gotpcrelx_relaxes_call_jmp_and_mov(void **u) {
  (void)u;
  uint64_t P = 0x10000, G = 0x20000, S = 0x30000;
  /* call *G(%rip) -> addr32 call S */
  memset(buf, 0xaa, sizeof buf);
  buf[6] = 0xff, buf[7] = 0x15;
  assert_int_equal(cpjit_x86_64_patch(buf + 8, P, CPJIT_RELOC_X86_64_GOTPCRELX, S, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0x67);
  assert_int_equal(buf[7], 0xe8);
  assert_true(get32() == (uint32_t)(S - (P + 4)));
  /* jmp *G(%rip) -> jmp S; nop */
  memset(buf, 0xaa, sizeof buf);
  buf[6] = 0xff, buf[7] = 0x25;
  assert_int_equal(cpjit_x86_64_patch(buf + 8, P, CPJIT_RELOC_X86_64_GOTPCRELX, S, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0xe9);
  uint32_t rel;
  memcpy(&rel, buf + 7, 4);
  assert_true(rel == (uint32_t)(S - (P - 2 + 5)));
  assert_int_equal(buf[11], 0x90);
  /* mov G(%rip), %rax -> lea S(%rip), %rax */
  memset(buf, 0xaa, sizeof buf);
  buf[5] = 0x48, buf[6] = 0x8b, buf[7] = 0x05;
  assert_int_equal(cpjit_x86_64_patch(buf + 8, P, CPJIT_RELOC_X86_64_REX_GOTPCRELX, S, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0x8d);
  assert_true(get32() == (uint32_t)(S - (P + 4)));
  /* S out of rel32 reach: keep the GOT load. */
  memset(buf, 0xaa, sizeof buf);
  buf[5] = 0x48, buf[6] = 0x8b, buf[7] = 0x05;
  assert_int_equal(cpjit_x86_64_patch(buf + 8, P, CPJIT_RELOC_X86_64_REX_GOTPCRELX,
                                      1ull << 40, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0x8b);
  assert_true(get32() == (uint32_t)(G - (P + 4)));
}

static void unknown_relocation_is_refused(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC__COUNT, 0, 0, 0, 0), CPJIT_ERR_BAD_RELOC);
  untouched();
}

static void link_jump_range(void **u) {
  (void)u;
  assert_true(cpjit_x86_64_link_in_range(0x1000, 0x1000 + 5 + (uint64_t)INT32_MAX));
  assert_false(cpjit_x86_64_link_in_range(0x1000, 0x1000 + 6 + (uint64_t)INT32_MAX));
  memset(buf, 0, sizeof buf);
  cpjit_x86_64_link_jump(buf, 0x1000, 0x1005);
  assert_int_equal(buf[0], 0xe9);
  assert_int_equal(buf[1] | buf[2] | buf[3] | buf[4], 0);
}

/* -- AArch64 --------------------------------------------------------------- */

/* Patch `reloc` into the instruction word `insn` at buf + 8. */
static cpjit_status a64(int reloc, uint32_t insn, uint64_t P, uint64_t S,
                        int64_t A) {
  memset(buf, 0xaa, sizeof buf);
  memcpy(buf + 8, &insn, 4);
  return cpjit_aarch64_patch(buf + 8, P, reloc, S, A, 0);
}

static void a64_untouched(uint32_t insn) {
  assert_true(get32() == insn);
  for (int i = 0; i < 32; i++)
    if (i < 8 || i >= 12)
      assert_int_equal(buf[i], 0xaa);
}

static void a64_branches_reach_and_refuse(void **u) {
  (void)u;
  uint64_t P = 0x40000000;
  struct {
    int reloc;
    uint32_t insn;
    int64_t reach; /* bytes: [-reach, reach) */
    uint32_t mask; /* immediate field */
  } k[] = {
      {CPJIT_RELOC_AARCH64_JUMP26, 0x14000000u, 1 << 27, 0x03ffffffu},
      {CPJIT_RELOC_AARCH64_CALL26, 0x94000000u, 1 << 27, 0x03ffffffu},
      {CPJIT_RELOC_AARCH64_CONDBR19, 0x54000001u, 1 << 20, 0x7ffffu << 5},
      {CPJIT_RELOC_AARCH64_TSTBR14, 0x36180000u, 1 << 15, 0x3fffu << 5},
  };
  for (int i = 0; i < 4; i++) {
    uint32_t in = k[i].insn;
    /* Largest forward and backward displacements. */
    assert_int_equal(a64(k[i].reloc, in, P, P + k[i].reach - 4, 0), CPJIT_OK);
    assert_true((get32() & ~k[i].mask) == in);
    assert_true(((get32() & k[i].mask) / (k[i].mask & -k[i].mask)) ==
                (k[i].mask / (k[i].mask & -k[i].mask)) >> 1);
    assert_int_equal(a64(k[i].reloc, in, P, P - k[i].reach, 0), CPJIT_OK);
    assert_true((get32() & k[i].mask) ==
                (k[i].mask & ~(k[i].mask >> 1) & k[i].mask)); /* sign bit only */
    /* Through the addend. */
    assert_int_equal(a64(k[i].reloc, in, P, P, 8), CPJIT_OK);
    assert_true((get32() & k[i].mask) / (k[i].mask & -k[i].mask) == 2);
    /* One instruction past either end, and misaligned. */
    assert_int_equal(a64(k[i].reloc, in, P, P + k[i].reach, 0), CPJIT_ERR_RANGE);
    a64_untouched(in);
    assert_int_equal(a64(k[i].reloc, in, P, P - k[i].reach - 4, 0),
                     CPJIT_ERR_RANGE);
    a64_untouched(in);
    assert_int_equal(a64(k[i].reloc, in, P, P + 6, 0), CPJIT_ERR_RANGE);
    a64_untouched(in);
  }
}

static void a64_adr_and_adrp(void **u) {
  (void)u;
  uint64_t P = 0x40000123;
  /* adr x0: +-1 MiB, byte granular. */
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ADR_PREL_LO21, 0x10000000u, P,
                       P + (1 << 20) - 1, 0),
                   CPJIT_OK);
  assert_true(get32() == (0x10000000u | 3u << 29 | 0x3ffffu << 5));
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ADR_PREL_LO21, 0x10000000u, P,
                       P + (1 << 20), 0),
                   CPJIT_ERR_RANGE);
  a64_untouched(0x10000000u);
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ADR_PREL_LO21, 0x10000000u, P,
                       P - (1 << 20), 0),
                   CPJIT_OK);
  assert_true(get32() == (0x10000000u | 1u << 23));
  /* adrp x0: pages, +-4 GiB. */
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ADR_PREL_PG_HI21, 0x90000000u, P,
                       P + 0x5000, 0),
                   CPJIT_OK);
  assert_true(get32() == (0x90000000u | 1u << 29 | 1u << 5)); /* 5 pages */
  uint64_t far = (P & ~0xfffull) + (1ull << 32) - 0x1000;
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ADR_PREL_PG_HI21, 0x90000000u, P,
                       far, 0),
                   CPJIT_OK);
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ADR_PREL_PG_HI21, 0x90000000u, P,
                       far + 0x1000, 0),
                   CPJIT_ERR_RANGE);
  a64_untouched(0x90000000u);
}

static void a64_lo12_is_scaled_and_aligned(void **u) {
  (void)u;
  /* add x0, x0, #lo12 */
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ADD_ABS_LO12_NC, 0x91000000u, 0,
                       0x12345fff, 0),
                   CPJIT_OK);
  assert_true(get32() == (0x91000000u | 0xfffu << 10));
  int kinds[] = {CPJIT_RELOC_AARCH64_LDST8_ABS_LO12_NC,
                 CPJIT_RELOC_AARCH64_LDST16_ABS_LO12_NC,
                 CPJIT_RELOC_AARCH64_LDST32_ABS_LO12_NC,
                 CPJIT_RELOC_AARCH64_LDST64_ABS_LO12_NC,
                 CPJIT_RELOC_AARCH64_LDST128_ABS_LO12_NC};
  for (unsigned sc = 0; sc < 5; sc++) {
    uint32_t in = 0xf9400000u; /* ldr x0, [x0] */
    assert_int_equal(a64(kinds[sc], in, 0, 0x7000 + 0xff0, 0), CPJIT_OK);
    assert_true(get32() == (in | (0xff0u >> sc) << 10));
    if (sc) {
      assert_int_equal(a64(kinds[sc], in, 0, 0x7000 + 0xff0, 1), CPJIT_ERR_RANGE);
      a64_untouched(in);
    }
  }
}

static void a64_movw_groups(void **u) {
  (void)u;
  uint64_t v = 0x1122334455667788ull;
  uint32_t movz = 0xd2800000u, movk16 = 0xf2a00000u;
  int nc[] = {CPJIT_RELOC_AARCH64_MOVW_UABS_G0_NC,
              CPJIT_RELOC_AARCH64_MOVW_UABS_G1_NC,
              CPJIT_RELOC_AARCH64_MOVW_UABS_G2_NC,
              CPJIT_RELOC_AARCH64_MOVW_UABS_G3};
  for (unsigned g = 0; g < 4; g++) {
    assert_int_equal(a64(nc[g], movk16, 0, v - 8, 8), CPJIT_OK);
    assert_true(get32() == (movk16 | (uint32_t)((v >> (16 * g)) & 0xffff) << 5));
    /* The inline fast path writes the same word. */
    uint32_t slow = get32();
    memcpy(buf + 8, &movk16, 4);
    assert_int_equal(cpjit_aarch64_patch_fast(buf + 8, 0, nc[g], v - 8, 8), CPJIT_OK);
    assert_true(get32() == slow);
  }
  /* Checked groups refuse bits above them. */
  int ck[] = {CPJIT_RELOC_AARCH64_MOVW_UABS_G0, CPJIT_RELOC_AARCH64_MOVW_UABS_G1,
              CPJIT_RELOC_AARCH64_MOVW_UABS_G2};
  for (unsigned g = 0; g < 3; g++) {
    uint64_t top = (1ull << (16 * (g + 1))) - 1;
    assert_int_equal(a64(ck[g], movz, 0, top, 0), CPJIT_OK);
    assert_true(get32() == (movz | 0xffffu << 5));
    assert_int_equal(a64(ck[g], movz, 0, top + 1, 0), CPJIT_ERR_RANGE);
    a64_untouched(movz);
  }
}

static void a64_data_words(void **u) {
  (void)u;
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_ABS64, 0, 0, UINT64_MAX - 1, 1), CPJIT_OK);
  assert_true(get64() == UINT64_MAX);
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_PREL64, 0, 100, 50, 0), CPJIT_OK);
  assert_true(get64() == (uint64_t)-50);
  uint64_t P = 0x100000000ull;
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_PREL32, 0, P, P + INT32_MAX, 0), CPJIT_OK);
  assert_true(get32() == (uint32_t)INT32_MAX);
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_PREL32, 0, P, P - 0x80000000ull, 0), CPJIT_OK);
  assert_true(get32() == 0x80000000u);
  assert_int_equal(a64(CPJIT_RELOC_AARCH64_PREL32, 0x5a5a5a5au, P,
                       P + (uint64_t)INT32_MAX + 1, 0),
                   CPJIT_ERR_RANGE);
  a64_untouched(0x5a5a5a5au);
  /* x86-64 kinds are not AArch64's, and no AArch64 kind needs a GOT. */
  assert_int_equal(a64(CPJIT_RELOC_X86_64_PC32, 0x5a5a5a5au, 0, 0, 0),
                   CPJIT_ERR_BAD_RELOC);
  a64_untouched(0x5a5a5a5au);
  for (int r = 0; r < CPJIT_RELOC__COUNT; r++)
    assert_false(cpjit_aarch64_needs_got(r));
}

static void a64_link_jump_veneer_fill(void **u) {
  (void)u;
  uint64_t pc = 0x40000000;
  assert_true(cpjit_aarch64_link_in_range(pc, pc + (1 << 27) - 4));
  assert_false(cpjit_aarch64_link_in_range(pc, pc + (1 << 27)));
  assert_true(cpjit_aarch64_link_in_range(pc, pc - (1 << 27)));
  assert_false(cpjit_aarch64_link_in_range(pc, pc - (1 << 27) - 4));
  memset(buf, 0, sizeof buf);
  cpjit_aarch64_link_jump(buf, pc, pc + 4);
  assert_true(get32_at(0) == 0x14000001u); /* b .+4 */
  cpjit_aarch64_link_jump(buf, pc, pc - 8);
  assert_true(get32_at(0) == 0x17fffffeu); /* b .-8 */
  cpjit_aarch64_write_veneer(buf, 0x1122334455667788ull);
  assert_true(get32_at(0) == 0x58000050u); /* ldr x16, .+8 */
  assert_true(get32_at(4) == 0xd61f0200u); /* br x16 */
  uint64_t t;
  memcpy(&t, buf + 8, 8);
  assert_true(t == 0x1122334455667788ull);
  assert_true(cpjit_aarch64_is_branch(CPJIT_RELOC_AARCH64_CALL26, buf));
  assert_true(cpjit_aarch64_is_branch(CPJIT_RELOC_AARCH64_JUMP26, buf));
  assert_false(cpjit_aarch64_is_branch(CPJIT_RELOC_AARCH64_MOVW_UABS_G3, buf));
  memset(buf, 0xaa, sizeof buf);
  cpjit_aarch64_fill(buf, 12);
  for (int i = 0; i < 3; i++)
    assert_true(get32_at(4 * i) == 0xd4207d00u); /* brk #0x3e8 */
  assert_int_equal(buf[12], 0xaa);
}

/* Landing pads for indirect calls (the trampoline of a hardened set; on
 * AArch64 it decides whether trace code is mapped PROT_BTI). */
static void landing_pads(void **u) {
  (void)u;
  static const uint8_t endbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
  static const uint8_t endbr32[4] = {0xf3, 0x0f, 0x1e, 0xfb};
  static const uint8_t push[4] = {0x41, 0x57, 0x41, 0x56};
  assert_true(cpjit_x86_64_call_landing_pad(endbr64, 4));
  assert_false(cpjit_x86_64_call_landing_pad(endbr64, 3));
  assert_false(cpjit_x86_64_call_landing_pad(endbr32, 4));
  assert_false(cpjit_x86_64_call_landing_pad(push, 4));
  /* bti c, bti jc, paciasp, pacibsp: yes; bti, bti j, nop, stp: no */
  static const uint32_t yes[] = {0xd503245fu, 0xd50324dfu, 0xd503233fu,
                                 0xd503237fu};
  static const uint32_t no[] = {0xd503241fu, 0xd503249fu, 0xd503201fu,
                                0xa9bf7bfdu};
  for (size_t i = 0; i < 4; i++) {
    uint8_t b[4];
    memcpy(b, &yes[i], 4);
    assert_true(cpjit_aarch64_call_landing_pad(b, 4));
    assert_false(cpjit_aarch64_call_landing_pad(b, 2));
    memcpy(b, &no[i], 4);
    assert_false(cpjit_aarch64_call_landing_pad(b, 4));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(abs64_writes_any_value),
      cmocka_unit_test(abs32_is_zero_extended),
      cmocka_unit_test(abs32s_is_sign_extended),
      cmocka_unit_test(pc32_and_plt32_reach_two_gib),
      cmocka_unit_test(pc64_is_relative),
      cmocka_unit_test(gotpcrel_points_at_the_slot),
      cmocka_unit_test(gotpcrelx_relaxes_call_jmp_and_mov),
      cmocka_unit_test(unknown_relocation_is_refused),
      cmocka_unit_test(link_jump_range),
      cmocka_unit_test(a64_branches_reach_and_refuse),
      cmocka_unit_test(a64_adr_and_adrp),
      cmocka_unit_test(a64_lo12_is_scaled_and_aligned),
      cmocka_unit_test(a64_movw_groups),
      cmocka_unit_test(a64_data_words),
      cmocka_unit_test(a64_link_jump_veneer_fill),
      cmocka_unit_test(landing_pads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
