/*
 * patch_aarch64.h -- the inline fast path of the AArch64 patcher: b/bl to
 * CONTINUE, JUMP, EXIT and helpers, and the unchecked movz/movk groups that
 * carry operands and data addresses, so the compile loop avoids a call and
 * an indirect branch per hole. Everything else goes to cpjit_aarch64_patch().
 */
#ifndef CPJIT_PATCH_AARCH64_H
#define CPJIT_PATCH_AARCH64_H

#include <stdbool.h>
#include <string.h>

#include "jit_internal.h"

static inline uint32_t cpjit_aarch64_get32(const uint8_t *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}
static inline void cpjit_aarch64_put32(uint8_t *p, uint32_t w) {
  memcpy(p, &w, 4);
}

/* Returns CPJIT_ERR_BAD_RELOC for kinds it does not handle (nothing is
 * written then), CPJIT_ERR_RANGE for values that do not fit. */
static inline cpjit_status cpjit_aarch64_patch_fast(uint8_t *loc, uint64_t P,
                                                    int reloc, uint64_t S,
                                                    int64_t A) {
  uint64_t v = S + (uint64_t)A;
  unsigned shift;
  switch (reloc) {
  case CPJIT_RELOC_AARCH64_JUMP26:
  case CPJIT_RELOC_AARCH64_CALL26: {
    int64_t d = (int64_t)(v - P);
    if (d < -(INT64_C(1) << 27) || d >= (INT64_C(1) << 27) || (d & 3))
      return CPJIT_ERR_RANGE;
    uint32_t w = cpjit_aarch64_get32(loc);
    w = (w & 0xfc000000u) | ((uint32_t)(d >> 2) & 0x03ffffffu);
    cpjit_aarch64_put32(loc, w);
    return CPJIT_OK;
  }
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G0_NC:
    shift = 0;
    break;
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G1_NC:
    shift = 16;
    break;
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G2_NC:
    shift = 32;
    break;
  case CPJIT_RELOC_AARCH64_MOVW_UABS_G3:
    shift = 48;
    break;
  default:
    return CPJIT_ERR_BAD_RELOC;
  }
  uint32_t w = cpjit_aarch64_get32(loc);
  w = (w & ~(0xffffu << 5)) | (uint32_t)((v >> shift) & 0xffffu) << 5;
  cpjit_aarch64_put32(loc, w);
  return CPJIT_OK;
}

/* Operands reach AArch64 holes through movz/movk groups of the whole
 * 64-bit value: nothing to narrow. */
static inline uint64_t cpjit_aarch64_operand(int reloc, uint64_t S) {
  (void)reloc;
  return S;
}

#endif /* CPJIT_PATCH_AARCH64_H */
