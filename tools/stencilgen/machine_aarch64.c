/*
 * stencilgen/machine_aarch64.c -- the AArch64 machine table.
 *
 * Maps the ELF relocation types clang-19 emits for AArch64 stencils onto
 * cpjit_reloc (jit/patch_aarch64.c patches each, range-checked), names the
 * other known types so an error can say which one it met, and recognises
 * the final `b` to CONTINUE that the JIT may drop when the next uop follows.
 *
 * With the stencil flags (-fno-pic -mcmodel=large) operands and data
 * addresses come as movz/movk groups (MOVW_UABS_G0_NC..G3), helpers as
 * CALL26 and tail calls as JUMP26; the page/lo12, adr, conditional-branch
 * and data-word kinds are accepted too, for other flags or hand-written
 * code. GOT forms are refused by name: they need -fpic.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "stencilgen.h"

#define RELOC_OK(name, kind, size)                                             \
  { name, #name, 1, CPJIT_RELOC_##kind, size, 0 }
#define RELOC_NO(name)                                                         \
  { name, #name, 0, CPJIT_RELOC_AARCH64_ABS64, 0, 0 }

/* Numbers for names some <elf.h> versions lack. */
#ifndef R_AARCH64_LDST128_ABS_LO12_NC
#define R_AARCH64_LDST128_ABS_LO12_NC 299
#endif

static const reloc_desc aarch64_relocs[] = {
    RELOC_OK(R_AARCH64_ABS64, AARCH64_ABS64, 8),
    RELOC_OK(R_AARCH64_PREL64, AARCH64_PREL64, 8),
    RELOC_OK(R_AARCH64_PREL32, AARCH64_PREL32, 4),
    RELOC_OK(R_AARCH64_CALL26, AARCH64_CALL26, 4),
    RELOC_OK(R_AARCH64_JUMP26, AARCH64_JUMP26, 4),
    RELOC_OK(R_AARCH64_CONDBR19, AARCH64_CONDBR19, 4),
    RELOC_OK(R_AARCH64_TSTBR14, AARCH64_TSTBR14, 4),
    RELOC_OK(R_AARCH64_ADR_PREL_LO21, AARCH64_ADR_PREL_LO21, 4),
    RELOC_OK(R_AARCH64_ADR_PREL_PG_HI21, AARCH64_ADR_PREL_PG_HI21, 4),
    RELOC_OK(R_AARCH64_ADD_ABS_LO12_NC, AARCH64_ADD_ABS_LO12_NC, 4),
    RELOC_OK(R_AARCH64_LDST8_ABS_LO12_NC, AARCH64_LDST8_ABS_LO12_NC, 4),
    RELOC_OK(R_AARCH64_LDST16_ABS_LO12_NC, AARCH64_LDST16_ABS_LO12_NC, 4),
    RELOC_OK(R_AARCH64_LDST32_ABS_LO12_NC, AARCH64_LDST32_ABS_LO12_NC, 4),
    RELOC_OK(R_AARCH64_LDST64_ABS_LO12_NC, AARCH64_LDST64_ABS_LO12_NC, 4),
    RELOC_OK(R_AARCH64_LDST128_ABS_LO12_NC, AARCH64_LDST128_ABS_LO12_NC, 4),
    RELOC_OK(R_AARCH64_MOVW_UABS_G0, AARCH64_MOVW_UABS_G0, 4),
    RELOC_OK(R_AARCH64_MOVW_UABS_G0_NC, AARCH64_MOVW_UABS_G0_NC, 4),
    RELOC_OK(R_AARCH64_MOVW_UABS_G1, AARCH64_MOVW_UABS_G1, 4),
    RELOC_OK(R_AARCH64_MOVW_UABS_G1_NC, AARCH64_MOVW_UABS_G1_NC, 4),
    RELOC_OK(R_AARCH64_MOVW_UABS_G2, AARCH64_MOVW_UABS_G2, 4),
    RELOC_OK(R_AARCH64_MOVW_UABS_G2_NC, AARCH64_MOVW_UABS_G2_NC, 4),
    RELOC_OK(R_AARCH64_MOVW_UABS_G3, AARCH64_MOVW_UABS_G3, 4),
    /* Known types the JIT has no patcher for: named in the error. */
    RELOC_NO(R_AARCH64_NONE),
    RELOC_NO(R_AARCH64_ABS32),
    RELOC_NO(R_AARCH64_ABS16),
    RELOC_NO(R_AARCH64_PREL16),
    RELOC_NO(R_AARCH64_MOVW_SABS_G0),
    RELOC_NO(R_AARCH64_MOVW_SABS_G1),
    RELOC_NO(R_AARCH64_MOVW_SABS_G2),
    RELOC_NO(R_AARCH64_LD_PREL_LO19),
    RELOC_NO(R_AARCH64_ADR_PREL_PG_HI21_NC),
    RELOC_NO(R_AARCH64_MOVW_PREL_G0),
    RELOC_NO(R_AARCH64_MOVW_PREL_G0_NC),
    RELOC_NO(R_AARCH64_MOVW_PREL_G1),
    RELOC_NO(R_AARCH64_MOVW_PREL_G1_NC),
    RELOC_NO(R_AARCH64_MOVW_PREL_G2),
    RELOC_NO(R_AARCH64_MOVW_PREL_G2_NC),
    RELOC_NO(R_AARCH64_MOVW_PREL_G3),
    RELOC_NO(R_AARCH64_ADR_GOT_PAGE),
    RELOC_NO(R_AARCH64_LD64_GOT_LO12_NC),
    RELOC_NO(R_AARCH64_LD64_GOTPAGE_LO15),
    RELOC_NO(R_AARCH64_COPY),
    RELOC_NO(R_AARCH64_GLOB_DAT),
    RELOC_NO(R_AARCH64_JUMP_SLOT),
    RELOC_NO(R_AARCH64_RELATIVE),
    RELOC_NO(R_AARCH64_TLS_DTPMOD),
    RELOC_NO(R_AARCH64_TLS_DTPREL),
    RELOC_NO(R_AARCH64_TLS_TPREL),
    RELOC_NO(R_AARCH64_TLSDESC),
    RELOC_NO(R_AARCH64_IRELATIVE),
};

/* The code ends in `b CONTINUE` (opcode 000101, JUMP26 hole, no addend):
 * its 4 bytes can go. */
static uint32_t tail_continue(const stencil *st) {
  if (st->code_size < 4 || (st->code_size & 3))
    return 0;
  uint32_t w = rd32(st->code + st->code_size - 4);
  if ((w & 0xfc000000u) != 0x14000000u)
    return 0;
  for (uint32_t i = 0; i < st->nholes; i++) {
    const hole *h = &st->holes[i];
    if (!h->in_data && h->offset == st->code_size - 4 &&
        h->kind == CPJIT_HOLE_CONTINUE && h->addend == 0 &&
        h->reloc == CPJIT_RELOC_AARCH64_JUMP26)
      return 4;
  }
  return 0;
}

/* -- Guard straightening ---------------------------------------------------
 *
 * clang lays an AArch64 guard out as one of two tails:
 *
 *   (a)  b.cond .L      ; or cbz/cbnz/tbz/tbnz, maybe earlier in the code
 *        ...            ; the hot path
 *        b CONTINUE
 *   .L:  b EXIT         ; or JUMP
 *
 *   (b)  b.cond .L
 *        b EXIT         ; or JUMP
 *   .L:  b CONTINUE
 *
 * (a) becomes: every branch to .L branches to EXIT itself (a CONDBR19,
 * TSTBR14 or JUMP26 hole), the final `b EXIT` goes, and the code ends in
 * the `b CONTINUE` the JIT drops when the next uop follows (widen_guard).
 * (b) becomes `b.!cond EXIT` and the code falls through into the next uop
 * (fallthrough, CPJIT_STENCIL_FALLTHROUGH). Either way a passing guard runs
 * one untaken branch and nothing else.
 *
 * Instructions are 4 bytes and nothing moves: only trailing instructions
 * are dropped, so the one thing to prove is that nothing else reaches them.
 * Every word of the code is decoded; a PC-relative instruction without a
 * hole (branch, adr/adrp, literal load) whose target is a dropped word, or
 * any hole addressing the code itself, leaves the stencil as it is.
 *
 * The short branches reach +-1 MiB (b.cond, cbz/cbnz) and +-32 KiB
 * (tbz/tbnz): a trace long enough for an exit to be farther away gets the
 * far form from the JIT (jit.c, an island jump next to the instance). */

enum { BR_NONE, BR_B, BR_BCOND, BR_CB, BR_TB, BR_PCREL };

/* What the instruction word `w` at byte `p` is, and where it leads. */
static int decode_branch(uint32_t w, uint32_t p, int64_t *target) {
  int64_t imm;
  if ((w & 0xfc000000u) == 0x14000000u) { /* b */
    imm = (int64_t)((int32_t)(w << 6) >> 6);
    *target = (int64_t)p + imm * 4;
    return BR_B;
  }
  if ((w & 0xfc000000u) == 0x94000000u) { /* bl: never to a label here */
    *target = (int64_t)p + (int64_t)((int32_t)(w << 6) >> 6) * 4;
    return BR_PCREL;
  }
  if ((w & 0xff000000u) == 0x54000000u) { /* b.cond, bc.cond */
    imm = (int64_t)((int32_t)(w << 8) >> 13);
    *target = (int64_t)p + imm * 4;
    return (w & 0x10u) ? BR_PCREL : BR_BCOND;
  }
  if ((w & 0x7e000000u) == 0x34000000u) { /* cbz, cbnz */
    imm = (int64_t)((int32_t)(w << 8) >> 13);
    *target = (int64_t)p + imm * 4;
    return BR_CB;
  }
  if ((w & 0x7e000000u) == 0x36000000u) { /* tbz, tbnz */
    imm = (int64_t)((int32_t)(w << 13) >> 18);
    *target = (int64_t)p + imm * 4;
    return BR_TB;
  }
  if ((w & 0x1f000000u) == 0x10000000u) { /* adr, adrp */
    int64_t lo = (w >> 29) & 3, hi = (int64_t)((int32_t)(w << 8) >> 13);
    imm = hi * 4 + lo;
    if (w & 0x80000000u) /* adrp: a page, reaches anything near */
      *target = -1;
    else
      *target = (int64_t)p + imm;
    return BR_PCREL;
  }
  if ((w & 0x3b000000u) == 0x18000000u) { /* ldr (literal) */
    imm = (int64_t)((int32_t)(w << 8) >> 13);
    *target = (int64_t)p + imm * 4;
    return BR_PCREL;
  }
  return BR_NONE;
}

static hole *code_hole_at(const stencil *st, uint32_t off) {
  for (uint32_t i = 0; i < st->nholes; i++)
    if (!st->holes[i].in_data && st->holes[i].offset == off)
      return &st->holes[i];
  return NULL;
}

static int is_b_hole(const hole *h) {
  return h && h->reloc == CPJIT_RELOC_AARCH64_JUMP26 && h->addend == 0;
}

static int is_exit_or_jump(const hole *h) {
  return h->kind == CPJIT_HOLE_EXIT || h->kind == CPJIT_HOLE_JUMP;
}

/* The branches without a hole to byte `t`: their number, and whether
 * anything else might reach it (a PC-relative reference, an adrp, a code
 * hole); stored into at[] (up to max) when given. */
static uint32_t branches_to(const stencil *st, const uint8_t *code, uint32_t t,
                            uint32_t *at, uint32_t max, int *other) {
  uint32_t k = 0;
  *other = 0;
  for (uint32_t i = 0; i < st->nholes; i++)
    if (st->holes[i].kind == CPJIT_HOLE_CODE)
      *other = 1;
  for (uint32_t p = 0; p + 4 <= st->code_size; p += 4) {
    int64_t target;
    int kind = decode_branch(rd32(code + p), p, &target);
    if (kind == BR_NONE || code_hole_at(st, p))
      continue;
    if (kind == BR_PCREL && (target < 0 || target == t))
      *other = 1;
    else if (kind != BR_PCREL && target == t) {
      if (k < max && at)
        at[k] = p;
      k++;
    }
  }
  return k;
}

static cpjit_reloc branch_reloc(int kind) {
  return kind == BR_BCOND || kind == BR_CB ? CPJIT_RELOC_AARCH64_CONDBR19
         : kind == BR_TB                   ? CPJIT_RELOC_AARCH64_TSTBR14
                                           : CPJIT_RELOC_AARCH64_JUMP26;
}

/* Clear a branch's displacement field (the JIT patches it). */
static uint32_t clear_disp(uint32_t w, int kind) {
  if (kind == BR_B)
    return w & 0xfc000000u;
  if (kind == BR_TB)
    return w & ~(0x3fffu << 5);
  return w & ~(0x7ffffu << 5);
}

static void wr32(uint8_t *p, uint32_t w) {
  p[0] = (uint8_t)w, p[1] = (uint8_t)(w >> 8), p[2] = (uint8_t)(w >> 16),
  p[3] = (uint8_t)(w >> 24);
}

static int hole_cmp(const void *a, const void *b) {
  const hole *x = a, *y = b;
  if (x->in_data != y->in_data)
    return x->in_data < y->in_data ? -1 : 1;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

#define MAX_GUARD_BRANCHES 16

/* Tail (a). Returns the new code, or NULL with nothing changed. */
static uint8_t *widen_guard(stencil *st, const uint8_t *code) {
  uint32_t n = st->code_size;
  if (n < 12 || (n & 3))
    return NULL;
  hole *cont = code_hole_at(st, n - 8), *jmp = code_hole_at(st, n - 4);
  if (!is_b_hole(cont) || !is_b_hole(jmp) ||
      cont->kind != CPJIT_HOLE_CONTINUE || !is_exit_or_jump(jmp) ||
      (rd32(code + n - 4) & 0xfc000000u) != 0x14000000u ||
      (rd32(code + n - 8) & 0xfc000000u) != 0x14000000u)
    return NULL;
  uint32_t at[MAX_GUARD_BRANCHES];
  int other;
  uint32_t k = branches_to(st, code, n - 4, at, MAX_GUARD_BRANCHES, &other);
  if (other || k == 0 || k > MAX_GUARD_BRANCHES)
    return NULL;
  uint8_t *out = xcalloc(n - 4, 1);
  memcpy(out, code, n - 4);
  hole h = *jmp;
  uint32_t keep = (uint32_t)(jmp - st->holes);
  memmove(jmp, jmp + 1, (st->nholes - keep - 1) * sizeof h);
  st->nholes--;
  for (uint32_t i = 0; i < k; i++) {
    int64_t t;
    uint32_t w = rd32(out + at[i]);
    int kind = decode_branch(w, at[i], &t);
    wr32(out + at[i], clear_disp(w, kind));
    if (st->nholes == st->cap)
      st->holes = xrealloc(st->holes, st->cap = st->cap ? st->cap * 2 : 8,
                           sizeof(hole));
    hole nh = h;
    nh.offset = at[i];
    nh.reloc = branch_reloc(kind);
    nh.size = 4;
    st->holes[st->nholes++] = nh;
  }
  qsort(st->holes, st->nholes, sizeof(hole), hole_cmp);
  st->code_size = n - 4;
  return out;
}

/* Tail (b), rewritten in `code` (the caller's copy). Returns 1 when done. */
static int fallthrough(stencil *st, uint8_t *code) {
  uint32_t n = st->code_size;
  if (n < 12 || (n & 3))
    return 0;
  hole *jmp = code_hole_at(st, n - 8), *cont = code_hole_at(st, n - 4);
  if (!is_b_hole(cont) || !is_b_hole(jmp) ||
      cont->kind != CPJIT_HOLE_CONTINUE || !is_exit_or_jump(jmp) ||
      code_hole_at(st, n - 12) ||
      (rd32(code + n - 4) & 0xfc000000u) != 0x14000000u ||
      (rd32(code + n - 8) & 0xfc000000u) != 0x14000000u)
    return 0;
  int64_t t;
  uint32_t w = rd32(code + n - 12);
  int kind = decode_branch(w, n - 12, &t);
  if ((kind != BR_BCOND && kind != BR_CB && kind != BR_TB) ||
      t != (int64_t)(n - 4) || (kind == BR_BCOND && (w & 0xfu) >= 14))
    return 0;
  uint32_t at;
  int other1, other2;
  if (branches_to(st, code, n - 4, &at, 1, &other1) != 1 || other1 ||
      branches_to(st, code, n - 8, NULL, 0, &other2) != 0 || other2)
    return 0;
  /* Invert: the condition's low bit (b.cond), or the op bit 24 (cb, tb). */
  w = kind == BR_BCOND ? w ^ 1u : w ^ (1u << 24);
  wr32(code + n - 12, clear_disp(w, kind));
  hole h = *jmp;
  h.offset = n - 12;
  h.reloc = branch_reloc(kind);
  /* The two final holes go; the branch's takes their place. */
  uint32_t k = (uint32_t)(jmp - st->holes);
  memmove(jmp, jmp + 2, (st->nholes - k - 2) * sizeof h);
  st->nholes -= 2;
  st->holes[st->nholes++] = h;
  qsort(st->holes, st->nholes, sizeof(hole), hole_cmp);
  st->code_size = n - 8;
  return 1;
}

const machine machine_aarch64 = {EM_AARCH64,
                                 "AArch64",
                                 NULL,
                                 aarch64_relocs,
                                 sizeof aarch64_relocs / sizeof aarch64_relocs[0],
                                 tail_continue,
                                 fallthrough,
                                 widen_guard};
