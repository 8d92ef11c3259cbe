/*
 * mcode_dump.h -- the machine-code part of -jdump: disassembly of a trace's
 * code at its run-time addresses, with a label at each uop's first byte.
 *
 * The bytes are wrapped in a minimal ELF file (one .text section at the
 * code's real address, one symbol per label) written to a temporary file,
 * which llvm-objdump and GNU objdump both read; llvm-objdump cannot read raw
 * binary and GNU objdump's `-b binary` is not portable to it. The tools are
 * tried in order: $CPJIT_OBJDUMP when set (a command; "" or "none" means no
 * disassembler), else llvm-objdump-19, llvm-objdump, objdump. A tool that is
 * missing or fails is skipped; when none works the code is printed in hex,
 * with the same addresses and labels, after a line that says why.
 */
#ifndef CPJIT_LUA_TRACE_MCODE_DUMP_H
#define CPJIT_LUA_TRACE_MCODE_DUMP_H

#include <stddef.h>
#include <stdio.h>

typedef struct McodeLabel {
  size_t offset;  /* from the start of the code; labels sorted by offset */
  char name[64];  /* no spaces: it becomes a symbol name */
} McodeLabel;

/* Print the disassembly (or hex) of size bytes at code to out. */
void jit_dump_mcode(FILE *out, const void *code, size_t size,
                    const McodeLabel *labels, size_t nlabels);

#endif /* CPJIT_LUA_TRACE_MCODE_DUMP_H */
