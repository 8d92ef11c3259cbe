/*
 * patch_aarch64.c -- one patch function per AArch64 relocation kind, the
 * exit-stub jump, veneers, fill and landing pads.
 *
 * Each patcher computes the ELF formula for its kind (S: symbol value,
 * A: addend, P: address of the patched instruction) and refuses values that
 * do not fit the field -- branch displacements out of reach or misaligned,
 * checked movw groups that overflow, lo12 offsets not aligned to their
 * access size -- with CPJIT_ERR_RANGE, leaving the bytes untouched.
 * Instruction fields are merged into the bytes already there (the
 * assembler's opcode and registers stay as they are).
 *
 * The stencils are built -fno-pic, so no GOT form reaches the JIT: a set
 * carrying one fails at stencilgen time with the relocation's name.
 */
#include "machine.h"
#include "patch_aarch64.h"

#include <string.h>

#define get32 cpjit_aarch64_get32
#define put32 cpjit_aarch64_put32

static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* A signed displacement `d` in a `bits`-bit field scaled by 4. */
static bool branch_fits(int64_t d, unsigned bits) {
  int64_t lim = INT64_C(1) << (bits + 1);
  return !(d & 3) && d >= -lim && d < lim;
}

static cpjit_status patch_branch(uint8_t *loc, int64_t d, unsigned bits,
                                 unsigned lsb) {
  if (!branch_fits(d, bits))
    return CPJIT_ERR_RANGE;
  uint32_t mask = ((1u << bits) - 1) << lsb;
  uint32_t w = get32(loc);
  w = (w & ~mask) | (((uint32_t)(d >> 2) << lsb) & mask);
  put32(loc, w);
  return CPJIT_OK;
}

/* adr/adrp: a 21-bit signed immediate split into immlo (bits 29-30) and
 * immhi (bits 5-23). */
static cpjit_status patch_adr(uint8_t *loc, int64_t imm) {
  if (imm < -(INT64_C(1) << 20) || imm >= (INT64_C(1) << 20))
    return CPJIT_ERR_RANGE;
  uint32_t u = (uint32_t)imm & 0x1fffffu;
  uint32_t w = get32(loc);
  w = (w & ~((3u << 29) | (0x7ffffu << 5))) | (u & 3u) << 29 | (u >> 2) << 5;
  put32(loc, w);
  return CPJIT_OK;
}

/* add/ldr/str: the low 12 bits of S+A in bits 10-21, scaled by the access
 * size (1 << scale), which the value must be aligned to. */
static cpjit_status patch_lo12(uint8_t *loc, uint64_t v, unsigned scale) {
  uint64_t lo = v & 0xfff;
  if (lo & ((1u << scale) - 1))
    return CPJIT_ERR_RANGE;
  uint32_t w = get32(loc);
  w = (w & ~(0xfffu << 10)) | (uint32_t)(lo >> scale) << 10;
  put32(loc, w);
  return CPJIT_OK;
}

/* movz/movk: 16 bits of S+A from bit `shift`; `check` refuses values with
 * bits above the group (the non-_NC kinds). */
static cpjit_status patch_movw(uint8_t *loc, uint64_t v, unsigned shift,
                               bool check) {
  if (check && shift < 48 && (v >> (shift + 16)) != 0)
    return CPJIT_ERR_RANGE;
  uint32_t w = get32(loc);
  w = (w & ~(0xffffu << 5)) | (uint32_t)((v >> shift) & 0xffffu) << 5;
  put32(loc, w);
  return CPJIT_OK;
}

bool cpjit_aarch64_needs_got(int reloc) {
  (void)reloc;
  return false;
}

cpjit_status cpjit_aarch64_patch(uint8_t *loc, uint64_t P, int reloc,
                                 uint64_t S, int64_t A, uint64_t G) {
  (void)G;
  uint64_t v = S + (uint64_t)A;
  int64_t d = (int64_t)(v - P);
  switch (reloc) {
  case CPJIT_RELOC_AARCH64_ABS64:
    put64(loc, v);
    return CPJIT_OK;
  case CPJIT_RELOC_AARCH64_PREL64:
    put64(loc, (uint64_t)d);
    return CPJIT_OK;
  case CPJIT_RELOC_AARCH64_PREL32:
    if (d < INT32_MIN || d > INT32_MAX)
      return CPJIT_ERR_RANGE;
    put32(loc, (uint32_t)(int32_t)d);
    return CPJIT_OK;
  case CPJIT_RELOC_AARCH64_CALL26:
  case CPJIT_RELOC_AARCH64_JUMP26:
    return patch_branch(loc, d, 26, 0);
  case CPJIT_RELOC_AARCH64_CONDBR19:
    return patch_branch(loc, d, 19, 5);
  case CPJIT_RELOC_AARCH64_TSTBR14:
    return patch_branch(loc, d, 14, 5);
  case CPJIT_RELOC_AARCH64_ADR_PREL_LO21:
    return patch_adr(loc, d);
  case CPJIT_RELOC_AARCH64_ADR_PREL_PG_HI21: {
    int64_t pages = (int64_t)((v & ~UINT64_C(0xfff)) - (P & ~UINT64_C(0xfff)));
    return patch_adr(loc, pages >> 12);
  }
  case CPJIT_RELOC_AARCH64_ADD_ABS_LO12_NC:
  case CPJIT_RELOC_AARCH64_LDST8_ABS_LO12_NC:
    return patch_lo12(loc, v, 0);
  case CPJIT_RELOC_AARCH64_LDST16_ABS_LO12_NC:
    return patch_lo12(loc, v, 1);
  case CPJIT_RELOC_AARCH64_LDST32_ABS_LO12_NC:
    return patch_lo12(loc, v, 2);
  case CPJIT_RELOC_AARCH64_LDST64_ABS_LO12_NC:
    return patch_lo12(loc, v, 3);
  case CPJIT_RELOC_AARCH64_LDST128_ABS_LO12_NC:
    return patch_lo12(loc, v, 4);
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G0:
    return patch_movw(loc, v, 0, true);
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G0_NC:
    return patch_movw(loc, v, 0, false);
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G1:
    return patch_movw(loc, v, 16, true);
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G1_NC:
    return patch_movw(loc, v, 16, false);
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G2:
    return patch_movw(loc, v, 32, true);
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G2_NC:
    return patch_movw(loc, v, 32, false);
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G3:
    return patch_movw(loc, v, 48, false);
  default:
    return CPJIT_ERR_BAD_RELOC;
  }
}

bool cpjit_aarch64_is_branch(int reloc, const uint8_t *loc) {
  (void)loc;
  return reloc == CPJIT_RELOC_AARCH64_CALL26 ||
         reloc == CPJIT_RELOC_AARCH64_JUMP26;
}

/* The exit-stub jump: `b target`, one aligned 32-bit store (B is among the
 * instructions the architecture lets one modify while other cores may be
 * executing it). */
void cpjit_aarch64_link_jump(uint8_t *loc, uint64_t pc, uint64_t target) {
  int64_t d = (int64_t)(target - pc);
  put32(loc, 0x14000000u | ((uint32_t)(d >> 2) & 0x03ffffffu));
}

bool cpjit_aarch64_link_in_range(uint64_t pc, uint64_t target) {
  return branch_fits((int64_t)(target - pc), 26);
}

/* ldr x16, #8; br x16; .quad target (x16 is IP0, free for veneers). */
void cpjit_aarch64_write_veneer(uint8_t *p, uint64_t target) {
  put32(p, 0x58000050u);     /* ldr x16, .+8 */
  put32(p + 4, 0xd61f0200u); /* br x16 */
  put64(p + 8, target);
}

uint32_t cpjit_aarch64_branch_reach(int reloc) {
  return reloc == CPJIT_RELOC_AARCH64_CONDBR19   ? UINT32_C(1) << 20
         : reloc == CPJIT_RELOC_AARCH64_TSTBR14 ? UINT32_C(1) << 15
                                                : 0;
}

/* brk #0x3e8 in every whole word, zero in a partial one. */
void cpjit_aarch64_fill(uint8_t *p, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    put32(p + i, 0xd4207d00u);
  memset(p + i, 0, n - i);
}

/* bti c, bti jc, or paciasp / pacibsp (each an implicit bti c): what an
 * indirect call (blr) may land on in a guarded page. */
bool cpjit_aarch64_call_landing_pad(const uint8_t *code, size_t size) {
  if (size < 4)
    return false;
  uint32_t w = get32(code);
  return w == 0xd503245fu || w == 0xd50324dfu || w == 0xd503233fu ||
         w == 0xd503237fu;
}
