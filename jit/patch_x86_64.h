/*
 * patch_x86_64.h -- the inline fast path of the x86-64 patcher: the three
 * relocation kinds that make up nearly every hole (32-bit operands, rel32
 * jumps and calls, 64-bit operands), so the compile loop avoids a call and
 * an indirect branch per hole. Everything else goes to cpjit_x86_64_patch().
 */
#ifndef CPJIT_PATCH_X86_64_H
#define CPJIT_PATCH_X86_64_H

#include <string.h>

#include "jit_internal.h"

#include <stdbool.h>

/* Returns CPJIT_ERR_BAD_RELOC for kinds it does not handle (nothing is
 * written then), CPJIT_ERR_RANGE for values that do not fit. */
static inline cpjit_status cpjit_x86_64_patch_fast(uint8_t *loc, uint64_t P,
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

/* A uop operand (OPERAND0/1, ARG) for a hole of kind `reloc`: a 32-bit
 * operand field holds the low 32 bits of the operand, as the reference-mode
 * macros read it, whether the instruction zero- or sign-extends the field.
 * Only values that are neither a zero- nor a sign-extended 32-bit number are
 * left as they are, for the patcher to refuse. */
static inline uint64_t cpjit_x86_64_operand(int reloc, uint64_t S) {
  bool fits = S <= UINT32_MAX || ((int64_t)S < 0 && (int64_t)S >= INT32_MIN);
  if (reloc == CPJIT_RELOC_X86_64_32 && fits)
    return S & UINT32_MAX;
  if (reloc == CPJIT_RELOC_X86_64_32S && fits)
    return (uint64_t)(int64_t)(int32_t)(uint32_t)S;
  return S;
}

#endif /* CPJIT_PATCH_X86_64_H */
