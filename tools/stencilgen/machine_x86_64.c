/*
 * stencilgen/machine_x86_64.c -- the x86-64 machine table.
 *
 * Maps the ELF relocation types clang-19 emits for stencils onto
 * cpjit_reloc (the JIT has one patch function per kind), names the other
 * known types so an error can say which one it met, and recognises the
 * final `jmp rel32` to CONTINUE that the JIT may drop when the next uop
 * follows directly.
 */
#include <elf.h>

#include "stencilgen.h"

#define RELOC_OK(name, kind, size)                                             \
  { name, #name, 1, CPJIT_RELOC_##kind, size, 0 }
#define RELOC_GOT(name, kind)                                                  \
  { name, #name, 1, CPJIT_RELOC_##kind, 4, 1 }
#define RELOC_NO(name)                                                         \
  { name, #name, 0, CPJIT_RELOC_X86_64_64, 0, 0 }

static const reloc_desc x86_64_relocs[] = {
    RELOC_OK(R_X86_64_64, X86_64_64, 8),
    RELOC_OK(R_X86_64_PC32, X86_64_PC32, 4),
    RELOC_OK(R_X86_64_PLT32, X86_64_PLT32, 4),
    RELOC_GOT(R_X86_64_GOTPCREL, X86_64_GOTPCREL),
    RELOC_OK(R_X86_64_32, X86_64_32, 4),
    RELOC_OK(R_X86_64_32S, X86_64_32S, 4),
    RELOC_OK(R_X86_64_PC64, X86_64_PC64, 8),
    RELOC_GOT(R_X86_64_GOTPCRELX, X86_64_GOTPCRELX),
    RELOC_GOT(R_X86_64_REX_GOTPCRELX, X86_64_REX_GOTPCRELX),
    /* Known types the JIT has no patcher for: named in the error. */
    RELOC_NO(R_X86_64_NONE),
    RELOC_NO(R_X86_64_GOT32),
    RELOC_NO(R_X86_64_COPY),
    RELOC_NO(R_X86_64_GLOB_DAT),
    RELOC_NO(R_X86_64_JUMP_SLOT),
    RELOC_NO(R_X86_64_RELATIVE),
    RELOC_NO(R_X86_64_16),
    RELOC_NO(R_X86_64_PC16),
    RELOC_NO(R_X86_64_8),
    RELOC_NO(R_X86_64_PC8),
    RELOC_NO(R_X86_64_DTPMOD64),
    RELOC_NO(R_X86_64_DTPOFF64),
    RELOC_NO(R_X86_64_TPOFF64),
    RELOC_NO(R_X86_64_TLSGD),
    RELOC_NO(R_X86_64_TLSLD),
    RELOC_NO(R_X86_64_DTPOFF32),
    RELOC_NO(R_X86_64_GOTTPOFF),
    RELOC_NO(R_X86_64_TPOFF32),
    RELOC_NO(R_X86_64_GOTOFF64),
    RELOC_NO(R_X86_64_GOTPC32),
    RELOC_NO(R_X86_64_GOT64),
    RELOC_NO(R_X86_64_GOTPCREL64),
    RELOC_NO(R_X86_64_GOTPC64),
    RELOC_NO(R_X86_64_GOTPLT64),
    RELOC_NO(R_X86_64_PLTOFF64),
    RELOC_NO(R_X86_64_SIZE32),
    RELOC_NO(R_X86_64_SIZE64),
    RELOC_NO(R_X86_64_GOTPC32_TLSDESC),
    RELOC_NO(R_X86_64_TLSDESC_CALL),
    RELOC_NO(R_X86_64_TLSDESC),
    RELOC_NO(R_X86_64_IRELATIVE),
};

/* The code ends in `jmp rel32` (e9) to CONTINUE: the 5 bytes can go. */
static uint32_t tail_continue(const stencil *st) {
  if (st->code_size < 5 || st->code[st->code_size - 5] != 0xe9)
    return 0;
  for (uint32_t i = 0; i < st->nholes; i++) {
    const hole *h = &st->holes[i];
    if (!h->in_data && h->offset == st->code_size - 4 &&
        h->kind == CPJIT_HOLE_CONTINUE && h->addend == -4 &&
        (h->reloc == CPJIT_RELOC_X86_64_PC32 ||
         h->reloc == CPJIT_RELOC_X86_64_PLT32))
      return 5;
  }
  return 0;
}

const machine machine_x86_64 = {EM_X86_64,
                                "x86-64",
                                NULL,
                                x86_64_relocs,
                                sizeof x86_64_relocs / sizeof x86_64_relocs[0],
                                tail_continue};
