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

const machine machine_aarch64 = {EM_AARCH64,
                                 "AArch64",
                                 NULL,
                                 aarch64_relocs,
                                 sizeof aarch64_relocs / sizeof aarch64_relocs[0],
                                 tail_continue,
                                 NULL,
                                 NULL};
