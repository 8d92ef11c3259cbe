/*
 * stencilgen.h -- the data model shared by the parts of tools/stencilgen.
 *
 *   main.c            command line, diagnostics, the pipeline
 *   elf.c             reading and validating ELF64 relocatable objects
 *   machine_x86_64.c  x86-64 relocation table and tail-jump rule
 *   machine_aarch64.c AArch64 relocation table and tail-jump rule
 *   build.c           uop/register uop/helper lists, stencil functions,
 *                     code/data/holes
 *   cfi.c             call-frame information per stencil (.eh_frame)
 *   output.c          disassembly comments and the generated header
 *
 * Every index and offset stored in these structures has been checked
 * against the file by elf.c before the other stages use it.
 */
#ifndef CPJIT_STENCILGEN_H
#define CPJIT_STENCILGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpjit.h"

/* -- Machines ------------------------------------------------------------- */

typedef struct reloc_desc {
  uint32_t elf_type;
  const char *elf_name; /* e.g. "R_X86_64_PC32" */
  int supported;        /* 0: known name, but the JIT cannot patch it */
  cpjit_reloc kind;
  uint32_t size; /* bytes patched */
  int got;       /* goes through a GOT slot */
} reloc_desc;

struct stencil;
typedef struct machine {
  uint16_t e_machine;
  const char *name;
  const char *unsupported; /* non-NULL: objects are rejected with this */
  const reloc_desc *relocs;
  size_t nrelocs;
  /* Size of the final jump to CONTINUE the JIT may drop, or 0. */
  uint32_t (*tail_continue)(const struct stencil *st);
  /* Branch inversion: when the code ends in `jcc CONTINUE; jmp T` and
   * nothing else branches to the final jump, rewrite it in place (st->code
   * is then the writable copy `code`) to `j!cc T` falling through into the
   * next uop, and return 1; else 0 with nothing changed. NULL: never. */
  int (*fallthrough)(struct stencil *st, uint8_t *code);
  /* The guard whose exit is reached by a short branch over the hot path's
   * final jump to CONTINUE: widen the branch to reach EXIT itself, so the
   * code ends in the droppable jump. Returns the new code (st's holes and
   * code_size updated) or NULL when it cannot be done safely. */
  uint8_t *(*widen_guard)(struct stencil *st, const uint8_t *code);
} machine;

/* The machine tables (one file each) and their lookup. */
extern const machine machine_x86_64;
extern const machine machine_aarch64;
const reloc_desc *machine_find_reloc(const machine *m, uint32_t type);

/* -- Data model ---------------------------------------------------------- */

typedef struct section {
  const char *name;
  uint32_t type;
  uint64_t flags;
  uint64_t offset, size, align;
  uint32_t link, info;
  uint32_t rela; /* index of the SHT_RELA section applying to it, or 0 */
} section;

typedef struct symbol {
  const char *name;
  uint8_t type, bind;
  uint16_t shndx;
  uint64_t value, size;
} symbol;

typedef struct object {
  const char *path;     /* as given, for messages */
  const char *basename; /* for the banner */
  uint8_t *bytes;
  size_t size;
  const machine *mach;
  section *secs;
  uint32_t nsecs;
  symbol *syms;
  uint32_t nsyms;
  uint32_t symtab;
  char *disasm; /* objdump output, or NULL */
} object;

typedef struct hole {
  uint32_t offset;
  cpjit_reloc reloc;
  cpjit_hole_kind kind;
  uint8_t in_data;
  uint32_t size; /* bytes patched */
  uint32_t helper;
  int64_t addend;
  const char *symbol;
} hole;

typedef struct stencil {
  const char *name;     /* uop name, "trampoline", "exit_stub" or
                           "exit_handler" */
  const char *function; /* defining function */
  object *obj;
  uint32_t text; /* section index of its code */
  const uint8_t *code;
  uint32_t code_size, code_align;
  uint8_t *data;
  uint32_t data_size, data_align;
  uint32_t *blob_off; /* per section of obj: offset in blob, or UINT32_MAX */
  hole *holes;
  uint32_t nholes, cap;
  uint32_t flags, tail_size;
  uint8_t *own_code; /* the rewritten copy of the code, or NULL */
  int widened;       /* own_code is widen_guard's */
  char *disasm;
  const uint8_t *cfi; /* CFA program of its .eh_frame FDE (cfi.c) */
  uint32_t cfi_size;
  int has_cfi;
} stencil;

/* A register uop (.cpjit.ruops) and its variants' place in the op space. */
typedef struct ruop {
  const char *name;
  const char *sig; /* 1..3 letters G or F */
  uint32_t noperands;
  uint8_t cls[3];   /* CPJIT_REG_G / CPJIT_REG_F */
  uint32_t size[3]; /* registers of each operand's class */
  uint32_t first;   /* op (and stencil index) of variant 0 */
  uint32_t nvariants;
} ruop;

typedef struct gen {
  const char *set;
  const char *output;
  const char *objdump; /* NULL: no disassembly */
  object *objs;
  size_t nobjs;
  const char **uops; /* names, in op order */
  size_t nuops;
  const object *uops_from;
  const section *uops_sec;
  const char **helpers;
  size_t nhelpers;
  ruop *ruops; /* register uops, in list order */
  size_t nruops;
  const object *ruops_from;
  const section *ruops_sec;
  const object *regfile_from;
  const section *regfile_sec;
  uint32_t ngpr, nfpr; /* register file (.cpjit.regfile) */
  size_t nops;         /* nuops + every variant of every register uop */
  char **variant_names; /* nops - nuops names "NAME__r0_r1", owned */
  stencil *stencils; /* nops uops and variants, then trampoline, exit stub */
  size_t nstencils;
  char *tmp_path;
} gen;

/* -- Diagnostics --------------------------------------------------------- */

/* Where an error happened; NULL/0 fields are left out of the message. */
typedef struct where {
  const char *file;
  const char *stencil;
  const char *symbol;
  const char *reloc;
  uint64_t at;
  int has_at;
} where;

/* Print "stencilgen: FILE: stencil 'S': symbol 'Y': relocation R at 0xN: msg"
 * (parts that are NULL left out), remove a half-written output, exit 1. */
void fail(const where *w, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
#define FAIL_FILE(obj, ...)                                                    \
  do {                                                                         \
    where w_ = {(obj)->path, NULL, NULL, NULL, 0, 0};                          \
    fail(&w_, __VA_ARGS__);                                                    \
  } while (0)

void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);
/* The output being written, for fail() to remove (NULL if none). */
extern const char *fail_remove_path;

/* -- Little-endian reading ------------------------------------------------ */

static inline uint16_t rd16(const uint8_t *p) {
  return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
static inline uint64_t rd64(const uint8_t *p) {
  return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}
/* Is [off, off+len) inside a region of `size` bytes? Overflow-safe. */
static inline int in_range(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

/* -- Stages --------------------------------------------------------------- */

/* elf.c: read o->path and validate it; fills bytes, mach, secs, syms. */
void elf_load_object(object *o);

/* build.c */
int name_is_ident(const char *s);
void build_read_lists(gen *g);    /* .cpjit.uops / .cpjit.helpers */
void build_find_stencils(gen *g); /* the defining function of each stencil */
void build_stencil(const gen *g, stencil *st);
void build_check_handler(const gen *g); /* CPJIT_HANDLER holes */

/* cfi.c: each stencil's call-frame instructions, when the objects have them */
void build_cfi(gen *g);

/* build.c, after build_cfi (whose FDE match needs the original sizes):
 * branch inversion of every uop stencil the machine can rewrite. */
void build_fallthrough(gen *g);

/* output.c */
void output_disassemble(gen *g);
void output_write(gen *g);

#endif /* CPJIT_STENCILGEN_H */
