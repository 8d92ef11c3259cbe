/*
 * patch_x86_64.c -- one patch function per x86-64 relocation kind.
 *
 * Each patcher computes the ELF formula for its kind (S: symbol value,
 * A: addend, P: address of the patched field, G: address of a GOT slot that
 * holds S) and refuses values that do not fit the field, returning
 * CPJIT_ERR_RANGE instead of writing truncated bits.
 *
 * GOTPCRELX / REX_GOTPCRELX are relaxed the way a static linker would when
 * S is within rel32 reach: `call *G(%rip)` -> `addr32 call S`, `jmp *G(%rip)`
 * -> `jmp S; nop`, `mov G(%rip), %reg` -> `lea S(%rip), %reg`. The GOT slot is
 * then simply unused.
 */
#include "machine.h"

#include <string.h>

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static bool fits_s32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static cpjit_status patch_abs64(uint8_t *loc, uint64_t S, int64_t A) {
  put64(loc, S + (uint64_t)A);
  return CPJIT_OK;
}

static cpjit_status patch_abs32(uint8_t *loc, uint64_t S, int64_t A) {
  uint64_t v = S + (uint64_t)A;
  if (v > UINT32_MAX)
    return CPJIT_ERR_RANGE;
  put32(loc, (uint32_t)v);
  return CPJIT_OK;
}

static cpjit_status patch_abs32s(uint8_t *loc, uint64_t S, int64_t A) {
  int64_t v = (int64_t)(S + (uint64_t)A);
  if (!fits_s32(v))
    return CPJIT_ERR_RANGE;
  put32(loc, (uint32_t)(int32_t)v);
  return CPJIT_OK;
}

static cpjit_status patch_pc32(uint8_t *loc, uint64_t P, uint64_t S,
                               int64_t A) {
  int64_t v = (int64_t)(S + (uint64_t)A - P);
  if (!fits_s32(v))
    return CPJIT_ERR_RANGE;
  put32(loc, (uint32_t)(int32_t)v);
  return CPJIT_OK;
}

static cpjit_status patch_pc64(uint8_t *loc, uint64_t P, uint64_t S,
                               int64_t A) {
  put64(loc, S + (uint64_t)A - P);
  return CPJIT_OK;
}

/* Try to relax a GOT-indirect instruction whose rel32 field is at loc. */
static bool relax_gotpcrelx(uint8_t *loc, uint64_t P, uint64_t S, int64_t A,
                            bool rex) {
  int64_t v = (int64_t)(S + (uint64_t)A - P);
  if (!fits_s32(v))
    return false;
  uint8_t op = loc[-2], modrm = loc[-1];
  if (!rex && op == 0xff && modrm == 0x15) { /* call *G(%rip) */
    loc[-2] = 0x67;                          /* addr32 prefix */
    loc[-1] = 0xe8;                          /* call rel32 */
    put32(loc, (uint32_t)(int32_t)v);
    return true;
  }
  if (!rex && op == 0xff && modrm == 0x25) { /* jmp *G(%rip) */
    /* jmp rel32 starts one byte earlier: the displacement is relative to
     * the end of a 5-byte instruction, which now ends at loc + 3. */
    int64_t v2 = (int64_t)(S + (uint64_t)A - (P - 1));
    if (!fits_s32(v2))
      return false;
    loc[-2] = 0xe9;
    put32(loc - 1, (uint32_t)(int32_t)v2);
    loc[3] = 0x90; /* nop fills the sixth byte */
    return true;
  }
  if (op == 0x8b && (modrm & 0xc7) == 0x05) { /* mov G(%rip), %reg */
    loc[-2] = 0x8d;                           /* lea S(%rip), %reg */
    put32(loc, (uint32_t)(int32_t)v);
    return true;
  }
  return false;
}

bool cpjit_x86_64_needs_got(int reloc) {
  return reloc == CPJIT_RELOC_X86_64_GOTPCREL ||
         reloc == CPJIT_RELOC_X86_64_GOTPCRELX ||
         reloc == CPJIT_RELOC_X86_64_REX_GOTPCRELX;
}

cpjit_status cpjit_x86_64_patch(uint8_t *loc, uint64_t P, int reloc,
                                uint64_t S, int64_t A, uint64_t G) {
  switch (reloc) {
  case CPJIT_RELOC_X86_64_64:
    return patch_abs64(loc, S, A);
  case CPJIT_RELOC_X86_64_32:
    return patch_abs32(loc, S, A);
  case CPJIT_RELOC_X86_64_32S:
    return patch_abs32s(loc, S, A);
  case CPJIT_RELOC_X86_64_PC32:
  case CPJIT_RELOC_X86_64_PLT32:
    return patch_pc32(loc, P, S, A);
  case CPJIT_RELOC_X86_64_PC64:
    return patch_pc64(loc, P, S, A);
  case CPJIT_RELOC_X86_64_GOTPCRELX:
  case CPJIT_RELOC_X86_64_REX_GOTPCRELX:
    /* The relaxed forms need the opcode bytes before the field. */
    if (relax_gotpcrelx(loc, P, S, A,
                        reloc == CPJIT_RELOC_X86_64_REX_GOTPCRELX))
      return CPJIT_OK;
    return patch_pc32(loc, P, G, A);
  case CPJIT_RELOC_X86_64_GOTPCREL:
    return patch_pc32(loc, P, G, A);
  default:
    return CPJIT_ERR_BAD_RELOC;
  }
}

/* The exit-stub jump: `jmp rel32`, initially to the next instruction. */
void cpjit_x86_64_link_jump(uint8_t *loc, uint64_t pc, uint64_t target) {
  loc[0] = 0xe9;
  put32(loc + 1, (uint32_t)(int32_t)(int64_t)(target - (pc + 5)));
}

bool cpjit_x86_64_link_in_range(uint64_t pc, uint64_t target) {
  return fits_s32((int64_t)(target - (pc + 5)));
}

/* jmp *0(%rip); .quad target; two bytes of int3 padding. */
void cpjit_x86_64_write_veneer(uint8_t *p, uint64_t target) {
  static const uint8_t jmp_ind[6] = {0xff, 0x25, 0, 0, 0, 0};
  memcpy(p, jmp_ind, 6);
  put64(p + 6, target);
  p[14] = p[15] = 0xcc;
}

/* Is the rel32 field at `loc` the operand of a call, jmp or jcc? */
bool cpjit_x86_64_is_branch(int reloc, const uint8_t *loc) {
  if (reloc != CPJIT_RELOC_X86_64_PC32 && reloc != CPJIT_RELOC_X86_64_PLT32)
    return false;
  if (loc[-1] == 0xe8 || loc[-1] == 0xe9) /* call / jmp rel32 */
    return true;
  return loc[-2] == 0x0f && (loc[-1] & 0xf0) == 0x80; /* jcc rel32 */
}

/* int3 */
void cpjit_x86_64_fill(uint8_t *p, size_t n) { memset(p, 0xcc, n); }

/* Every x86-64 branch kind the stencils use is rel32: none is short. */
uint32_t cpjit_x86_64_branch_reach(int reloc) {
  (void)reloc;
  return 0;
}

/* endbr64: what an indirect call or jump may land on under IBT. */
bool cpjit_x86_64_call_landing_pad(const uint8_t *code, size_t size) {
  static const uint8_t endbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
  return size >= 4 && memcmp(code, endbr64, 4) == 0;
}
