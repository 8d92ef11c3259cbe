/*
 * patch_x86_64.h -- the inline fast path of the x86-64 patcher: the three
 * relocation kinds that make up nearly every hole (32-bit operands, rel32
 * jumps and calls, 64-bit operands), so the compile loop avoids a call and
 * an indirect branch per hole. Everything else goes to cpjit_patch_x86_64().
 */
#ifndef CPJIT_PATCH_X86_64_H
#define CPJIT_PATCH_X86_64_H

#include <string.h>

#include "jit_internal.h"

/* Returns CPJIT_ERR_BAD_RELOC for kinds it does not handle (nothing is
 * written then), CPJIT_ERR_RANGE for values that do not fit. */
static inline cpjit_status cpjit_patch_fast_x86_64(uint8_t *loc, uint64_t P,
                                                   int reloc, uint64_t S,
                                                   int64_t A) {
  uint64_t v = S + (uint64_t)A;
  if (reloc == CPJIT_RELOC_X86_64_PLT32 || reloc == CPJIT_RELOC_X86_64_PC32) {
    int64_t d = (int64_t)(v - P);
    if (d < INT32_MIN || d > INT32_MAX)
      return CPJIT_ERR_RANGE;
    uint32_t w = (uint32_t)(int32_t)d;
    memcpy(loc, &w, 4);
    return CPJIT_OK;
  }
  if (reloc == CPJIT_RELOC_X86_64_32) {
    if (v > UINT32_MAX)
      return CPJIT_ERR_RANGE;
    uint32_t w = (uint32_t)v;
    memcpy(loc, &w, 4);
    return CPJIT_OK;
  }
  if (reloc == CPJIT_RELOC_X86_64_64) {
    memcpy(loc, &v, 8);
    return CPJIT_OK;
  }
  return CPJIT_ERR_BAD_RELOC;
}

#endif /* CPJIT_PATCH_X86_64_H */
