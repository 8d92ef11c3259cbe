/*
 * stencilgen.c -- turn clang-19 stencil objects into a cpjit stencil header.
 *
 *   stencilgen --set NAME --output OUT.h [--objdump PATH | --no-disasm] IN.o...
 *
 * Pipeline (one pass each, in main()):
 *
 *   load     read every ELF64 relocatable object whole and validate its
 *            structure: header, section table, string tables, symbols and
 *            relocation sections. After loading, every offset and index the
 *            later stages follow is known to be inside the file.
 *   lists    the uop order (.cpjit.uops) and the helper names
 *            (.cpjit.helpers) declared by CPJIT_DECLARE_UOPS/HELPERS.
 *   find     one defining function per stencil: cpjit_uop_<NAME> for each
 *            listed uop, cpjit_trampoline and cpjit_exit_stub.
 *   build    per stencil: its code section, the closure of read-only data
 *            sections its relocations reach (copied into one blob), and its
 *            holes, each classified by the symbol it names.
 *   write    one deterministic header, written to OUT.h.tmp then renamed.
 *
 * Invariants: the output depends only on the bytes of the inputs, their
 * basenames and the objdump output; never on absolute paths, time or the
 * order of hash tables. Any input this tool does not understand stops it
 * with exactly one line on stderr and exit status 1, and OUT.h is left
 * untouched. Errors exit directly (this is a short-lived tool); every
 * allocation stays reachable from the context until then.
 *
 * Machines are described by tables (struct machine): the ELF relocation
 * types each maps onto cpjit_reloc, and the rule that recognises a final
 * tail jump to CONTINUE. Only x86-64 is filled in; AArch64 is recognised
 * so that its objects get a clear "not supported yet" message.
 */
#define _POSIX_C_SOURCE 200809L

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpjit.h"

extern char **environ;

/* -- Machine tables ------------------------------------------------------ */

typedef struct reloc_desc {
  uint32_t elf_type;
  const char *elf_name; /* e.g. "R_X86_64_PC32" */
  int supported;        /* 0: known name, but the JIT cannot patch it */
  cpjit_reloc kind;
  uint32_t size; /* bytes patched */
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
} machine;

#define RELOC_OK(name, kind, size) {name, #name, 1, CPJIT_RELOC_##kind, size}
#define RELOC_NO(name) {name, #name, 0, CPJIT_RELOC_X86_64_64, 0}

static const reloc_desc x86_64_relocs[] = {
    RELOC_OK(R_X86_64_64, X86_64_64, 8),
    RELOC_OK(R_X86_64_PC32, X86_64_PC32, 4),
    RELOC_OK(R_X86_64_PLT32, X86_64_PLT32, 4),
    RELOC_OK(R_X86_64_GOTPCREL, X86_64_GOTPCREL, 4),
    RELOC_OK(R_X86_64_32, X86_64_32, 4),
    RELOC_OK(R_X86_64_32S, X86_64_32S, 4),
    RELOC_OK(R_X86_64_PC64, X86_64_PC64, 8),
    RELOC_OK(R_X86_64_GOTPCRELX, X86_64_GOTPCRELX, 4),
    RELOC_OK(R_X86_64_REX_GOTPCRELX, X86_64_REX_GOTPCRELX, 4),
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

static uint32_t x86_64_tail_continue(const struct stencil *st);

static const machine machines[] = {
    {EM_X86_64, "x86-64", NULL, x86_64_relocs,
     sizeof x86_64_relocs / sizeof x86_64_relocs[0], x86_64_tail_continue},
    {EM_AARCH64, "AArch64", "AArch64 objects are not supported yet", NULL, 0,
     NULL},
};

static const char *const reloc_kind_names[] = {
#define RELOC_NAME(name) "CPJIT_RELOC_" #name,
    CPJIT_RELOC_LIST(RELOC_NAME)
#undef RELOC_NAME
};

static const char *const hole_kind_names[CPJIT_HOLE__COUNT] = {
    [CPJIT_HOLE_OPERAND0] = "CPJIT_HOLE_OPERAND0",
    [CPJIT_HOLE_OPERAND1] = "CPJIT_HOLE_OPERAND1",
    [CPJIT_HOLE_ARG] = "CPJIT_HOLE_ARG",
    [CPJIT_HOLE_CONTINUE] = "CPJIT_HOLE_CONTINUE",
    [CPJIT_HOLE_JUMP] = "CPJIT_HOLE_JUMP",
    [CPJIT_HOLE_EXIT] = "CPJIT_HOLE_EXIT",
    [CPJIT_HOLE_DATA] = "CPJIT_HOLE_DATA",
    [CPJIT_HOLE_CODE] = "CPJIT_HOLE_CODE",
    [CPJIT_HOLE_HELPER] = "CPJIT_HOLE_HELPER",
};

/* Undefined symbols that are holes (cpjit_stencil.h). */
static const struct {
  const char *symbol;
  cpjit_hole_kind kind;
} hole_symbols[] = {
    {"CPJIT_OPERAND0", CPJIT_HOLE_OPERAND0}, {"CPJIT_OPERAND1", CPJIT_HOLE_OPERAND1},
    {"CPJIT_ARG", CPJIT_HOLE_ARG},           {"CPJIT_CONTINUE", CPJIT_HOLE_CONTINUE},
    {"CPJIT_JUMP", CPJIT_HOLE_JUMP},         {"CPJIT_EXIT", CPJIT_HOLE_EXIT},
};

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
  uint32_t helper;
  int64_t addend;
  const char *symbol;
} hole;

typedef struct stencil {
  const char *name;     /* uop name, "trampoline" or "exit_stub" */
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
  char *disasm;
} stencil;

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
  stencil *stencils; /* nuops uops, then trampoline, exit stub */
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

static gen *the_gen; /* for removing a half-written output on error */

static void fail(const where *w, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

static void fail(const where *w, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fputs("stencilgen: ", stderr);
  if (w && w->file)
    fprintf(stderr, "%s: ", w->file);
  if (w && w->stencil)
    fprintf(stderr, "stencil '%s': ", w->stencil);
  if (w && w->symbol)
    fprintf(stderr, "symbol '%s': ", w->symbol);
  if (w && w->reloc) {
    fprintf(stderr, "relocation %s", w->reloc);
    if (w->has_at)
      fprintf(stderr, " at 0x%llx", (unsigned long long)w->at);
    fputs(": ", stderr);
  }
  fprintf(stderr, "%s\n", msg);
  if (the_gen && the_gen->tmp_path)
    remove(the_gen->tmp_path);
  exit(1);
}

#define FAIL_FILE(obj, ...)                                                    \
  do {                                                                         \
    where w_ = {(obj)->path, NULL, NULL, NULL, 0, 0};                          \
    fail(&w_, __VA_ARGS__);                                                    \
  } while (0)

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    fail(NULL, "out of memory");
  return p;
}

static void *xrealloc(void *p, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    fail(NULL, "out of memory");
  size_t bytes = n * size;
  p = realloc(p, bytes > 0 ? bytes : 1);
  if (!p)
    fail(NULL, "out of memory");
  return p;
}

/* -- ELF reading (little-endian, bounds already checked by callers) ----- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) {
  return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Is [off, off+len) inside a region of `size` bytes? Overflow-safe. */
static int in_range(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

static const char *elf_machine_name(uint16_t m) {
  switch (m) {
  case EM_386: return "EM_386";
  case EM_ARM: return "EM_ARM";
  case EM_X86_64: return "EM_X86_64";
  case EM_AARCH64: return "EM_AARCH64";
  case EM_RISCV: return "EM_RISCV";
  case EM_PPC64: return "EM_PPC64";
  default: return "unknown";
  }
}

/* A NUL-terminated string at `off` in string-table section `strsec`. */
static const char *strtab_get(const object *o, uint32_t strsec, uint64_t off,
                              const char *what) {
  const section *s = &o->secs[strsec];
  if (off >= s->size)
    FAIL_FILE(o, "%s: string offset %llu outside string table '%s' (%llu bytes)",
              what, (unsigned long long)off, s->name ? s->name : "?",
              (unsigned long long)s->size);
  const char *base = (const char *)o->bytes + s->offset;
  if (!memchr(base + off, 0, s->size - off))
    FAIL_FILE(o, "%s: string at offset %llu is not NUL-terminated", what,
              (unsigned long long)off);
  return base + off;
}

static void read_file(object *o) {
  FILE *f = fopen(o->path, "rb");
  if (!f)
    FAIL_FILE(o, "cannot open: %s", strerror(errno));
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = xcalloc(cap, 1);
  for (;;) {
    if (n == cap)
      buf = xrealloc(buf, cap *= 2, 1);
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  int err = ferror(f);
  fclose(f);
  if (err) {
    free(buf);
    FAIL_FILE(o, "read error");
  }
  o->bytes = buf;
  o->size = n;
}

static void load_header(object *o, uint64_t *shoff, uint32_t *shnum,
                        uint32_t *shstrndx) {
  const uint8_t *b = o->bytes;
  if (o->size < 4 || memcmp(b, ELFMAG, SELFMAG) != 0)
    FAIL_FILE(o, "not an ELF file");
  if (o->size < EI_NIDENT)
    FAIL_FILE(o, "truncated ELF header (%zu bytes)", o->size);
  if (b[EI_CLASS] != ELFCLASS64)
    FAIL_FILE(o, "not a 64-bit ELF file (EI_CLASS %u); stencils must be "
                 "built for a 64-bit target",
              b[EI_CLASS]);
  if (b[EI_DATA] != ELFDATA2LSB)
    FAIL_FILE(o, "not a little-endian ELF file (EI_DATA %u)", b[EI_DATA]);
  if (b[EI_VERSION] != EV_CURRENT)
    FAIL_FILE(o, "unknown ELF version %u", b[EI_VERSION]);
  if (o->size < sizeof(Elf64_Ehdr))
    FAIL_FILE(o, "truncated ELF header (%zu of %zu bytes)", o->size,
              sizeof(Elf64_Ehdr));
  uint16_t type = rd16(b + offsetof(Elf64_Ehdr, e_type));
  uint16_t mach = rd16(b + offsetof(Elf64_Ehdr, e_machine));
  if (type != ET_REL)
    FAIL_FILE(o, "not a relocatable object (e_type %u); pass the .o files "
                 "that clang -c produced",
              type);
  for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++)
    if (machines[i].e_machine == mach)
      o->mach = &machines[i];
  if (!o->mach)
    FAIL_FILE(o, "unsupported machine %u (%s); cpjit supports x86-64", mach,
              elf_machine_name(mach));
  if (o->mach->unsupported)
    FAIL_FILE(o, "%s", o->mach->unsupported);
  *shoff = rd64(b + offsetof(Elf64_Ehdr, e_shoff));
  uint16_t shentsize = rd16(b + offsetof(Elf64_Ehdr, e_shentsize));
  *shnum = rd16(b + offsetof(Elf64_Ehdr, e_shnum));
  *shstrndx = rd16(b + offsetof(Elf64_Ehdr, e_shstrndx));
  if (rd16(b + offsetof(Elf64_Ehdr, e_ehsize)) != sizeof(Elf64_Ehdr))
    FAIL_FILE(o, "bad ELF header size");
  if (*shoff == 0 || *shnum == 0)
    FAIL_FILE(o, "no section header table (or extended section numbering, "
                 "which is not supported)");
  if (shentsize != sizeof(Elf64_Shdr))
    FAIL_FILE(o, "bad section header size %u (expected %zu)", shentsize,
              sizeof(Elf64_Shdr));
  if (!in_range(*shoff, (uint64_t)*shnum * sizeof(Elf64_Shdr), o->size))
    FAIL_FILE(o, "section header table (offset 0x%llx, %u entries) extends "
                 "past the end of the file (%zu bytes); truncated file?",
              (unsigned long long)*shoff, *shnum, o->size);
  if (*shstrndx == SHN_XINDEX || *shstrndx >= *shnum)
    FAIL_FILE(o, "section name table index %u out of range", *shstrndx);
}

static void load_sections(object *o, uint64_t shoff, uint32_t shstrndx) {
  for (uint32_t i = 0; i < o->nsecs; i++) {
    const uint8_t *h = o->bytes + shoff + (uint64_t)i * sizeof(Elf64_Shdr);
    section *s = &o->secs[i];
    s->type = rd32(h + offsetof(Elf64_Shdr, sh_type));
    s->flags = rd64(h + offsetof(Elf64_Shdr, sh_flags));
    s->offset = rd64(h + offsetof(Elf64_Shdr, sh_offset));
    s->size = rd64(h + offsetof(Elf64_Shdr, sh_size));
    s->link = rd32(h + offsetof(Elf64_Shdr, sh_link));
    s->info = rd32(h + offsetof(Elf64_Shdr, sh_info));
    s->align = rd64(h + offsetof(Elf64_Shdr, sh_addralign));
    if (s->align == 0)
      s->align = 1;
    if (s->type != SHT_NOBITS && s->type != SHT_NULL &&
        !in_range(s->offset, s->size, o->size))
      FAIL_FILE(o, "section %u (offset 0x%llx, size 0x%llx) extends past the "
                   "end of the file (%zu bytes)",
                i, (unsigned long long)s->offset, (unsigned long long)s->size,
                o->size);
    if (s->align & (s->align - 1))
      FAIL_FILE(o, "section %u: alignment %llu is not a power of two", i,
                (unsigned long long)s->align);
  }
  if (o->secs[shstrndx].type != SHT_STRTAB)
    FAIL_FILE(o, "section name table (section %u) is not a string table",
              shstrndx);
  for (uint32_t i = 0; i < o->nsecs; i++) {
    const uint8_t *h = o->bytes + shoff + (uint64_t)i * sizeof(Elf64_Shdr);
    char what[48];
    snprintf(what, sizeof what, "section %u name", i);
    o->secs[i].name = strtab_get(o, shstrndx, rd32(h), what);
  }
}

static void load_symbols(object *o) {
  o->symtab = 0;
  for (uint32_t i = 1; i < o->nsecs; i++) {
    if (o->secs[i].type != SHT_SYMTAB)
      continue;
    if (o->symtab)
      FAIL_FILE(o, "more than one symbol table");
    o->symtab = i;
  }
  if (!o->symtab)
    FAIL_FILE(o, "no symbol table");
  const section *st = &o->secs[o->symtab];
  if (st->size % sizeof(Elf64_Sym) != 0)
    FAIL_FILE(o, "symbol table size %llu is not a multiple of %zu",
              (unsigned long long)st->size, sizeof(Elf64_Sym));
  if (st->link == 0 || st->link >= o->nsecs ||
      o->secs[st->link].type != SHT_STRTAB)
    FAIL_FILE(o, "symbol table links to section %u, which is not a string "
                 "table",
              st->link);
  o->nsyms = (uint32_t)(st->size / sizeof(Elf64_Sym));
  o->syms = xcalloc(o->nsyms, sizeof(symbol));
  for (uint32_t i = 0; i < o->nsyms; i++) {
    const uint8_t *p = o->bytes + st->offset + (uint64_t)i * sizeof(Elf64_Sym);
    symbol *s = &o->syms[i];
    char what[48];
    snprintf(what, sizeof what, "symbol %u name", i);
    s->name = strtab_get(o, st->link, rd32(p + offsetof(Elf64_Sym, st_name)),
                         what);
    uint8_t info = p[offsetof(Elf64_Sym, st_info)];
    s->type = ELF64_ST_TYPE(info);
    s->bind = ELF64_ST_BIND(info);
    s->shndx = rd16(p + offsetof(Elf64_Sym, st_shndx));
    s->value = rd64(p + offsetof(Elf64_Sym, st_value));
    s->size = rd64(p + offsetof(Elf64_Sym, st_size));
    where w = {o->path, NULL, s->name[0] ? s->name : NULL, NULL, 0, 0};
    if (s->shndx == SHN_XINDEX)
      fail(&w, "extended section indices are not supported");
    if (s->shndx == SHN_COMMON)
      fail(&w, "COMMON symbol (writable data); stencils may not have "
               "globals, make it const or move it to the host");
    if (s->shndx >= SHN_LORESERVE && s->shndx != SHN_ABS)
      fail(&w, "reserved section index 0x%x", s->shndx);
    if (s->shndx < SHN_LORESERVE && s->shndx >= o->nsecs)
      fail(&w, "section index %u out of range (the file has %u sections)",
           s->shndx, o->nsecs);
    if (s->type == STT_TLS)
      fail(&w, "thread-local symbol; stencils may not use TLS");
  }
}

static void load_relocations(object *o) {
  for (uint32_t i = 1; i < o->nsecs; i++) {
    section *r = &o->secs[i];
    if (r->type == SHT_REL)
      FAIL_FILE(o, "section '%s': SHT_REL relocations are not supported",
                r->name);
    if (r->type != SHT_RELA)
      continue;
    if (r->size % sizeof(Elf64_Rela) != 0)
      FAIL_FILE(o, "section '%s': size %llu is not a multiple of %zu", r->name,
                (unsigned long long)r->size, sizeof(Elf64_Rela));
    if (r->link != o->symtab)
      FAIL_FILE(o, "section '%s': links to section %u, not the symbol table",
                r->name, r->link);
    if (r->info == 0 || r->info >= o->nsecs)
      FAIL_FILE(o, "section '%s': applies to section %u, out of range",
                r->name, r->info);
    section *t = &o->secs[r->info];
    if (t->rela)
      FAIL_FILE(o, "section '%s' has two relocation sections", t->name);
    t->rela = i;
    for (uint64_t k = 0; k < r->size / sizeof(Elf64_Rela); k++) {
      const uint8_t *p = o->bytes + r->offset + k * sizeof(Elf64_Rela);
      uint64_t info = rd64(p + offsetof(Elf64_Rela, r_info));
      if (ELF64_R_SYM(info) >= o->nsyms)
        FAIL_FILE(o, "section '%s': relocation %llu names symbol %llu, out "
                     "of range (%u symbols)",
                  r->name, (unsigned long long)k,
                  (unsigned long long)ELF64_R_SYM(info), o->nsyms);
    }
  }
}

static void load_object(object *o) {
  uint64_t shoff;
  uint32_t shnum, shstrndx;
  read_file(o);
  load_header(o, &shoff, &shnum, &shstrndx);
  o->nsecs = shnum;
  o->secs = xcalloc(shnum, sizeof(section));
  load_sections(o, shoff, shstrndx);
  load_symbols(o);
  load_relocations(o);
  for (uint32_t i = 1; i < o->nsecs; i++) {
    const section *s = &o->secs[i];
    if ((s->flags & SHF_TLS) && s->size > 0)
      FAIL_FILE(o, "section '%s': thread-local data; stencils may not use TLS",
                s->name);
    if ((s->flags & SHF_ALLOC) && (s->flags & SHF_WRITE) && s->size > 0)
      FAIL_FILE(o, "section '%s': writable data section; stencils may not "
                   "have writable globals, make them const or move them to "
                   "the host",
                s->name);
  }
}

/* -- Uop and helper lists ------------------------------------------------- */

static int is_ident(const char *s) {
  if (!*s || (*s >= '0' && *s <= '9'))
    return 0;
  for (; *s; s++)
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9')))
      return 0;
  return 1;
}

/* Split a NUL-separated name list; trailing NULs are padding. */
static size_t split_names(const object *o, const section *s, const char ***out,
                          size_t *n, int merge) {
  const char *p = (const char *)o->bytes + s->offset;
  const char *end = p + s->size;
  if (s->type == SHT_NOBITS || s->size == 0 || end[-1] != '\0')
    FAIL_FILE(o, "section '%s': not a NUL-terminated name list", s->name);
  while (end > p && end[-1] == '\0')
    end--;
  size_t added = 0;
  while (p < end) {
    const char *name = p;
    p += strlen(p) + 1;
    if (!is_ident(name))
      FAIL_FILE(o, "section '%s': '%s' is not a C identifier", s->name, name);
    int dup = 0;
    for (size_t i = 0; i < *n; i++)
      dup |= strcmp((*out)[i], name) == 0;
    if (dup && !merge)
      FAIL_FILE(o, "section '%s': '%s' is listed twice", s->name, name);
    if (dup)
      continue;
    *out = xrealloc(*out, *n + 1, sizeof(char *));
    (*out)[(*n)++] = name;
    added++;
  }
  return added;
}

static void read_lists(gen *g) {
  for (size_t i = 0; i < g->nobjs; i++) {
    object *o = &g->objs[i];
    for (uint32_t k = 1; k < o->nsecs; k++) {
      const section *s = &o->secs[k];
      if (strcmp(s->name, ".cpjit.helpers") == 0) {
        split_names(o, s, &g->helpers, &g->nhelpers, 1);
      } else if (strcmp(s->name, ".cpjit.uops") == 0) {
        if (!g->uops_from) {
          g->uops_from = o;
          g->uops_sec = s;
          split_names(o, s, &g->uops, &g->nuops, 0);
          if (g->nuops == 0)
            FAIL_FILE(o, "section '.cpjit.uops': the uop list is empty");
        } else if (s->size != g->uops_sec->size ||
                   memcmp(o->bytes + s->offset,
                          g->uops_from->bytes + g->uops_sec->offset,
                          s->size) != 0) {
          FAIL_FILE(o, "section '.cpjit.uops' differs from the one in %s; "
                       "declare the uop list once",
                    g->uops_from->path);
        }
      }
    }
  }
  if (!g->uops_from)
    fail(NULL, "no input has a .cpjit.uops section; declare the uops with "
               "CPJIT_DECLARE_UOPS");
}

/* -- Finding the stencil functions ---------------------------------------- */

static const char *const UOP_PREFIX = "cpjit_uop_";

static int is_stencil_function_name(const char *name) {
  return strncmp(name, UOP_PREFIX, strlen(UOP_PREFIX)) == 0 ||
         strcmp(name, "cpjit_trampoline") == 0 ||
         strcmp(name, "cpjit_exit_stub") == 0;
}

/* Index in g->stencils of the stencil `fn` defines, or -1. */
static long stencil_index(const gen *g, const char *fn) {
  if (strcmp(fn, "cpjit_trampoline") == 0)
    return (long)g->nuops;
  if (strcmp(fn, "cpjit_exit_stub") == 0)
    return (long)g->nuops + 1;
  if (strncmp(fn, UOP_PREFIX, strlen(UOP_PREFIX)) != 0)
    return -1;
  for (size_t i = 0; i < g->nuops; i++)
    if (strcmp(fn + strlen(UOP_PREFIX), g->uops[i]) == 0)
      return (long)i;
  return -1;
}

static void find_stencils(gen *g) {
  g->nstencils = g->nuops + 2;
  g->stencils = xcalloc(g->nstencils, sizeof(stencil));
  for (size_t i = 0; i < g->nuops; i++)
    g->stencils[i].name = g->uops[i];
  g->stencils[g->nuops].name = "trampoline";
  g->stencils[g->nuops + 1].name = "exit_stub";
  for (size_t i = 0; i < g->nobjs; i++) {
    object *o = &g->objs[i];
    for (uint32_t k = 1; k < o->nsyms; k++) {
      const symbol *s = &o->syms[k];
      if (s->type != STT_FUNC || s->shndx == SHN_UNDEF ||
          !is_stencil_function_name(s->name))
        continue;
      where w = {o->path, NULL, s->name, NULL, 0, 0};
      long idx = stencil_index(g, s->name);
      if (idx < 0)
        fail(&w, "function is not in the uop list (.cpjit.uops); add it to "
                 "CPJIT_DECLARE_UOPS or rename it");
      stencil *st = &g->stencils[idx];
      w.stencil = st->name;
      if (st->obj)
        fail(&w, "duplicate definition (also defined in %s)", st->obj->path);
      if (s->shndx >= o->nsecs)
        fail(&w, "function is not in a section");
      const section *sec = &o->secs[s->shndx];
      if (!(sec->flags & SHF_EXECINSTR) || sec->type != SHT_PROGBITS)
        fail(&w, "function is in non-code section '%s'", sec->name);
      if (s->value != 0 || s->size != sec->size)
        fail(&w, "function (offset %llu, size %llu) does not cover its "
                 "section '%s' (size %llu); compile with -ffunction-sections",
             (unsigned long long)s->value, (unsigned long long)s->size,
             sec->name, (unsigned long long)sec->size);
      if (sec->size == 0 || sec->size > UINT32_MAX / 2)
        fail(&w, "function size %llu is out of range",
             (unsigned long long)sec->size);
      if (sec->align > 4096)
        fail(&w, "code alignment %llu is too large",
             (unsigned long long)sec->align);
      st->function = s->name;
      st->obj = o;
      st->text = s->shndx;
      st->code = o->bytes + sec->offset;
      st->code_size = (uint32_t)sec->size;
      st->code_align = (uint32_t)sec->align;
    }
  }
  for (size_t i = 0; i < g->nstencils; i++) {
    stencil *st = &g->stencils[i];
    if (st->obj)
      continue;
    /* A missing uop is blamed on the file that lists it. */
    where w = {g->uops_from->path, st->name, NULL, NULL, 0, 0};
    if (i < g->nuops)
      fail(&w, "missing uop body: no input defines cpjit_uop_%s", st->name);
    w.file = NULL;
    fail(&w, "no input defines cpjit_%s", st->name);
  }
}

/* -- Building one stencil ------------------------------------------------- */

typedef struct target {
  cpjit_hole_kind kind;
  uint32_t helper;
  uint32_t sec;   /* for DATA: the data section */
  uint64_t value; /* symbol value inside its section (CODE, DATA) */
} target;

static const reloc_desc *find_reloc(const machine *m, uint32_t type) {
  for (size_t i = 0; i < m->nrelocs; i++)
    if (m->relocs[i].elf_type == type)
      return &m->relocs[i];
  return NULL;
}

static int is_data_section(const section *s) {
  return (s->flags & SHF_ALLOC) && !(s->flags & SHF_WRITE) &&
         !(s->flags & SHF_EXECINSTR) &&
         (s->type == SHT_PROGBITS || s->type == SHT_NOBITS) &&
         strcmp(s->name, ".cpjit.uops") != 0 &&
         strcmp(s->name, ".cpjit.helpers") != 0;
}

/* What the symbol of one relocation of stencil `st` refers to. */
static target classify(const gen *g, const stencil *st, const symbol *sym,
                       where *w) {
  const object *o = st->obj;
  target t = {CPJIT_HOLE_CODE, 0, 0, 0};
  if (sym->type == STT_TLS)
    fail(w, "thread-local symbol; stencils may not use TLS");
  if (sym->shndx == SHN_UNDEF) {
    for (size_t i = 0; i < sizeof hole_symbols / sizeof hole_symbols[0]; i++)
      if (strcmp(sym->name, hole_symbols[i].symbol) == 0) {
        t.kind = hole_symbols[i].kind;
        return t;
      }
    for (size_t i = 0; i < g->nhelpers; i++)
      if (strcmp(sym->name, g->helpers[i]) == 0) {
        t.kind = CPJIT_HOLE_HELPER;
        t.helper = (uint32_t)i;
        return t;
      }
    if (is_stencil_function_name(sym->name))
      fail(w, "relocation against another stencil's code; stencils may only "
              "leave through CPJIT_GOTO_CONTINUE/JUMP/EXIT");
    if (!sym->name[0])
      fail(w, "relocation against the null symbol");
    fail(w, "undefined symbol that is neither a hole (CPJIT_*) nor a helper "
            "listed in CPJIT_DECLARE_HELPERS");
  }
  if (sym->shndx == SHN_ABS)
    fail(w, "relocation against an absolute symbol is not supported");
  const section *s = &o->secs[sym->shndx];
  t.value = sym->value;
  t.sec = sym->shndx;
  if (sym->shndx == st->text)
    return t; /* CPJIT_HOLE_CODE */
  if (s->flags & SHF_EXECINSTR) {
    for (size_t i = 0; i < g->nstencils; i++)
      if (g->stencils[i].obj == o && g->stencils[i].text == sym->shndx)
        fail(w, "relocation against another stencil's code (%s); stencils "
                "may only leave through CPJIT_GOTO_CONTINUE/JUMP/EXIT",
             g->stencils[i].function);
    const char *fn = s->name;
    for (uint32_t i = 1; i < o->nsyms; i++)
      if (o->syms[i].shndx == sym->shndx && o->syms[i].type == STT_FUNC) {
        fn = o->syms[i].name;
        break;
      }
    fail(w, "call to local function '%s' in another section; mark it "
            "static inline __attribute__((always_inline))",
         fn);
  }
  if ((s->flags & SHF_ALLOC) && (s->flags & SHF_WRITE))
    fail(w, "reference to writable data section '%s'", s->name);
  if (!is_data_section(s))
    fail(w, "reference to section '%s', which is not read-only data", s->name);
  t.kind = CPJIT_HOLE_DATA;
  return t;
}

/* Calls fn(gen, stencil, target, rela fields) for every relocation that
 * applies to section `sec` of the stencil's object. */
typedef void reloc_fn(const gen *g, stencil *st, uint32_t sec, const target *t,
                      const reloc_desc *rd, uint64_t offset, int64_t addend,
                      const symbol *sym);

static void for_each_reloc(const gen *g, stencil *st, uint32_t sec,
                           reloc_fn *fn) {
  const object *o = st->obj;
  const section *target_sec = &o->secs[sec];
  if (!target_sec->rela)
    return;
  const section *r = &o->secs[target_sec->rela];
  for (uint64_t k = 0; k < r->size / sizeof(Elf64_Rela); k++) {
    const uint8_t *p = o->bytes + r->offset + k * sizeof(Elf64_Rela);
    uint64_t offset = rd64(p + offsetof(Elf64_Rela, r_offset));
    uint64_t info = rd64(p + offsetof(Elf64_Rela, r_info));
    int64_t addend = (int64_t)rd64(p + offsetof(Elf64_Rela, r_addend));
    uint32_t type = (uint32_t)ELF64_R_TYPE(info);
    const symbol *sym = &o->syms[ELF64_R_SYM(info)]; /* checked at load */
    const char *symname = sym->name;
    if (!symname[0] && sym->shndx < o->nsecs && sym->shndx != SHN_UNDEF)
      symname = o->secs[sym->shndx].name;
    char tname[32];
    const reloc_desc *rd = find_reloc(o->mach, type);
    if (rd)
      snprintf(tname, sizeof tname, "%s", rd->elf_name);
    else
      snprintf(tname, sizeof tname, "type %u", type);
    where w = {o->path, st->name, symname[0] ? symname : NULL, tname, offset,
               1};
    if (!rd)
      fail(&w, "unknown relocation type");
    if (!rd->supported)
      fail(&w, "relocation type not supported by the JIT");
    if (!in_range(offset, rd->size, target_sec->size))
      fail(&w, "relocation offset out of range (section '%s' has %llu bytes)",
           target_sec->name, (unsigned long long)target_sec->size);
    if (sec != st->text && target_sec->type == SHT_NOBITS)
      fail(&w, "relocation inside a section without contents");
    target t = classify(g, st, sym, &w);
    fn(g, st, sec, &t, rd, offset, addend, sym);
  }
}

static void mark_data(const gen *g, stencil *st, uint32_t sec, const target *t,
                      const reloc_desc *rd, uint64_t offset, int64_t addend,
                      const symbol *sym) {
  (void)g, (void)sec, (void)rd, (void)offset, (void)addend, (void)sym;
  if (t->kind == CPJIT_HOLE_DATA && st->blob_off[t->sec] == UINT32_MAX)
    st->blob_off[t->sec] = 0; /* referenced, not yet visited */
}

static void add_hole(const gen *g, stencil *st, uint32_t sec, const target *t,
                     const reloc_desc *rd, uint64_t offset, int64_t addend,
                     const symbol *sym) {
  (void)g;
  const object *o = st->obj;
  hole h = {0};
  h.in_data = sec != st->text;
  h.offset = (uint32_t)(offset + (h.in_data ? st->blob_off[sec] : 0));
  h.reloc = rd->kind;
  h.kind = t->kind;
  h.helper = t->helper;
  h.symbol = sym->name[0] ? sym->name : o->secs[sym->shndx].name;
  int64_t base = 0;
  if (t->kind == CPJIT_HOLE_CODE)
    base = (int64_t)t->value;
  else if (t->kind == CPJIT_HOLE_DATA)
    base = (int64_t)(st->blob_off[t->sec] + t->value);
  if ((addend > 0 && base > INT64_MAX - addend) ||
      (addend < 0 && base < INT64_MIN - addend)) {
    where w = {o->path, st->name, h.symbol, rd->elf_name, offset, 1};
    fail(&w, "addend overflows");
  }
  h.addend = base + addend;
  if (st->nholes == st->cap)
    st->holes = xrealloc(st->holes, st->cap = st->cap ? st->cap * 2 : 8,
                         sizeof(hole));
  st->holes[st->nholes++] = h;
}

static int hole_cmp(const void *a, const void *b) {
  const hole *x = a, *y = b;
  if (x->in_data != y->in_data)
    return x->in_data < y->in_data ? -1 : 1;
  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  return 0;
}

static void build_stencil(const gen *g, stencil *st) {
  const object *o = st->obj;
  st->blob_off = xcalloc(o->nsecs, sizeof(uint32_t));
  for (uint32_t i = 0; i < o->nsecs; i++)
    st->blob_off[i] = UINT32_MAX;
  /* Closure of the data sections reachable from the code. */
  for_each_reloc(g, st, st->text, mark_data);
  for (int changed = 1; changed;) {
    changed = 0;
    for (uint32_t i = 1; i < o->nsecs; i++) {
      if (st->blob_off[i] != 0)
        continue;
      st->blob_off[i] = UINT32_MAX - 1; /* visited */
      for_each_reloc(g, st, i, mark_data);
      changed = 1;
    }
  }
  /* Lay the blob out in section order, each section at its alignment. */
  uint64_t size = 0, align = 1;
  for (uint32_t i = 1; i < o->nsecs; i++) {
    if (st->blob_off[i] != UINT32_MAX - 1)
      continue;
    const section *s = &o->secs[i];
    uint64_t a = s->align;
    if (a > 4096) {
      where w = {o->path, st->name, NULL, NULL, 0, 0};
      fail(&w, "data section '%s' alignment %llu is too large", s->name,
           (unsigned long long)a);
    }
    size = (size + a - 1) & ~(a - 1);
    if (s->size > UINT32_MAX / 4 || size + s->size > UINT32_MAX / 4) {
      where w = {o->path, st->name, NULL, NULL, 0, 0};
      fail(&w, "read-only data is too large");
    }
    st->blob_off[i] = (uint32_t)size;
    size += s->size;
    if (a > align)
      align = a;
  }
  st->data_size = (uint32_t)size;
  st->data_align = (uint32_t)align;
  st->data = xcalloc(size, 1);
  for (uint32_t i = 1; i < o->nsecs; i++) {
    const section *s = &o->secs[i];
    if (st->blob_off[i] == UINT32_MAX || s->type == SHT_NOBITS)
      continue;
    memcpy(st->data + st->blob_off[i], o->bytes + s->offset, s->size);
  }
  /* Holes: the code's, then those inside each data section. */
  for_each_reloc(g, st, st->text, add_hole);
  for (uint32_t i = 1; i < o->nsecs; i++)
    if (st->blob_off[i] != UINT32_MAX)
      for_each_reloc(g, st, i, add_hole);
  qsort(st->holes, st->nholes, sizeof(hole), hole_cmp);
  st->tail_size = o->mach->tail_continue(st);
  st->flags = st->tail_size ? CPJIT_STENCIL_TAIL_CONTINUE : 0;
}

/* x86-64: the code ends in `jmp rel32` (e9) to CONTINUE. */
static uint32_t x86_64_tail_continue(const stencil *st) {
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

/* -- Disassembly ---------------------------------------------------------- */

/* Run objdump on one object; its output, or NULL if it cannot run. */
static char *run_objdump(const char *objdump, const char *path) {
  int fds[2];
  if (pipe(fds) != 0)
    return NULL;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  char *argv[] = {(char *)objdump, "-d", "-r", "--no-show-raw-insn",
                  (char *)path, NULL};
  pid_t pid;
  int rc = posix_spawnp(&pid, objdump, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return NULL;
  }
  size_t cap = 1 << 14, n = 0;
  char *out = xcalloc(cap, 1);
  for (;;) {
    if (n + 1 >= cap)
      out = xrealloc(out, cap *= 2, 1);
    ssize_t got = read(fds[0], out + n, cap - n - 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    n += (size_t)got;
  }
  close(fds[0]);
  out[n] = '\0';
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      free(out);
      return NULL;
    }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    free(out);
    return NULL;
  }
  return out;
}

/* The block of objdump output for function `fn`: from its "<fn>:" line to
 * the next blank line, tabs expanded, "*" "/" broken apart. */
static char *extract_disasm(const char *all, const char *fn) {
  size_t fnlen = strlen(fn);
  const char *p = all;
  while (p && *p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    const char *lt = memchr(p, '<', len);
    if (lt && (size_t)(p + len - lt) == fnlen + 3 && lt[fnlen + 1] == '>' &&
        lt[fnlen + 2] == ':' && memcmp(lt + 1, fn, fnlen) == 0) {
      const char *start = eol ? eol + 1 : p + len, *q = start;
      while (*q && *q != '\n') {
        const char *e = strchr(q, '\n');
        q = e ? e + 1 : q + strlen(q);
      }
      size_t cap = (size_t)(q - start) * 8 + 1, n = 0, col = 0;
      char *out = xcalloc(cap, 1);
      for (const char *c = start; c < q; c++) {
        if (*c == '\t') {
          do
            out[n++] = ' ';
          while (++col % 8);
        } else if (*c == '/' && n > 0 && out[n - 1] == '*') {
          out[n++] = ' ';
          out[n++] = '/';
          col += 2;
        } else {
          out[n++] = *c;
          col = *c == '\n' ? 0 : col + 1;
        }
      }
      while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
        n--;
      out[n] = '\0';
      return out;
    }
    p = eol ? eol + 1 : NULL;
  }
  return NULL;
}

static void disassemble(gen *g) {
  if (!g->objdump)
    return;
  for (size_t i = 0; i < g->nobjs; i++)
    g->objs[i].disasm = run_objdump(g->objdump, g->objs[i].path);
  for (size_t i = 0; i < g->nstencils; i++) {
    stencil *st = &g->stencils[i];
    if (st->obj->disasm)
      st->disasm = extract_disasm(st->obj->disasm, st->function);
  }
}

/* -- Writing the header --------------------------------------------------- */

static void put_bytes(FILE *f, const uint8_t *b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    fprintf(f, "%s0x%02x,", i % 12 == 0 ? (i ? "\n    " : "    ") : " ",
            b[i]);
  fputc('\n', f);
}

static void put_int64(FILE *f, int64_t v) {
  if (v == INT64_MIN)
    fputs("INT64_MIN", f);
  else
    fprintf(f, "%lld", (long long)v);
}

/* C identifier prefix of a stencil's arrays: SET_uop_NAME or SET_NAME. */
static void put_prefix(FILE *f, const gen *g, const stencil *st) {
  if (st >= g->stencils + g->nuops)
    fprintf(f, "%s_%s", g->set, st->name);
  else
    fprintf(f, "%s_uop_%s", g->set, st->name);
}

static void write_stencil_arrays(FILE *f, const gen *g, const stencil *st) {
  fprintf(f, "\n/* -- %s: %s (%s) -- */\n", st->name, st->function,
          st->obj->basename);
  if (st->disasm) {
    fputs("/*\n", f);
    for (const char *p = st->disasm; *p;) {
      const char *e = strchr(p, '\n');
      size_t len = e ? (size_t)(e - p) : strlen(p);
      fprintf(f, len ? " * %.*s\n" : " *\n", (int)len, p);
      p += len + (e ? 1 : 0);
    }
    fputs(" */\n", f);
  }
  fputs("static const uint8_t ", f);
  put_prefix(f, g, st);
  fprintf(f, "_code[%u] = {\n", st->code_size);
  put_bytes(f, st->code, st->code_size);
  fputs("};\n", f);
  if (st->data_size) {
    fputs("static const uint8_t ", f);
    put_prefix(f, g, st);
    fprintf(f, "_data[%u] = {\n", st->data_size);
    put_bytes(f, st->data, st->data_size);
    fputs("};\n", f);
  }
  if (st->nholes) {
    fputs("static const cpjit_hole ", f);
    put_prefix(f, g, st);
    fprintf(f, "_holes[%u] = {\n", st->nholes);
    fputs("    /* offset, reloc, kind, in_data, pad_, helper, addend, "
          "symbol */\n",
          f);
    for (uint32_t i = 0; i < st->nholes; i++) {
      const hole *h = &st->holes[i];
      fprintf(f, "    {0x%x, %s, %s, %u, 0, %u, ", h->offset,
              reloc_kind_names[h->reloc], hole_kind_names[h->kind], h->in_data,
              h->helper);
      put_int64(f, h->addend);
      fprintf(f, ", \"%s\"},\n", h->symbol);
    }
    fputs("};\n", f);
  }
}

static void write_stencil_init(FILE *f, const gen *g, const stencil *st,
                               const char *indent) {
  fprintf(f, "%s{\"%s\", ", indent, st->name);
  put_prefix(f, g, st);
  fprintf(f, "_code, %u, %u,\n%s ", st->code_size, st->code_align, indent);
  if (st->data_size) {
    put_prefix(f, g, st);
    fprintf(f, "_data, %u, %u, ", st->data_size, st->data_align);
  } else {
    fputs("NULL, 0, 1, ", f);
  }
  if (st->nholes) {
    put_prefix(f, g, st);
    fprintf(f, "_holes, %u,\n", st->nholes);
  } else {
    fputs("NULL, 0,\n", f);
  }
  fprintf(f, "%s %s, %u}", indent,
          st->flags ? "CPJIT_STENCIL_TAIL_CONTINUE" : "0", st->tail_size);
}

static void write_header(FILE *f, const gen *g) {
  fputs("/* Generated by stencilgen from", f);
  for (size_t i = 0; i < g->nobjs; i++)
    fprintf(f, " %s", g->objs[i].basename);
  fputs(". Do not edit. */\n", f);
  fprintf(f, "#ifndef CPJIT_GENERATED_%s_STENCILS_H\n", g->set);
  fprintf(f, "#define CPJIT_GENERATED_%s_STENCILS_H\n\n", g->set);
  fputs("#include \"cpjit.h\"\n", f);
  fprintf(f, "\n/* Stencil set '%s': %zu uops, %zu helpers, machine %s. */\n",
          g->set, g->nuops, g->nhelpers, g->objs[0].mach->name);
  fprintf(f, "#define %s_NUOPS %zu\n", g->set, g->nuops);
  fprintf(f, "#define %s_NHELPERS %zu\n", g->set, g->nhelpers);
  for (size_t i = 0; i < g->nstencils; i++)
    write_stencil_arrays(f, g, &g->stencils[i]);

  fputs("\n/* -- The set -- */\n", f);
  fprintf(f, "static const cpjit_stencil %s_uops[%s_NUOPS] = {\n", g->set,
          g->set);
  for (size_t i = 0; i < g->nuops; i++) {
    write_stencil_init(f, g, &g->stencils[i], "    ");
    fputs(",\n", f);
  }
  fputs("};\n", f);
  fprintf(f, "static const cpjit_stencil %s_trampoline =\n", g->set);
  write_stencil_init(f, g, &g->stencils[g->nuops], "    ");
  fputs(";\n", f);
  fprintf(f, "static const cpjit_stencil %s_exit_stub =\n", g->set);
  write_stencil_init(f, g, &g->stencils[g->nuops + 1], "    ");
  fputs(";\n", f);
  if (g->nhelpers) {
    fprintf(f, "static const char *const %s_helper_names[%s_NHELPERS] = {\n",
            g->set, g->set);
    for (size_t i = 0; i < g->nhelpers; i++)
      fprintf(f, "    \"%s\",\n", g->helpers[i]);
    fputs("};\n", f);
  }
  fprintf(f, "__attribute__((unused)) static const cpjit_stencil_set "
             "%s_stencil_set = {\n",
          g->set);
  fprintf(f, "    CPJIT_ABI_VERSION, %s, \"%s\",\n",
          g->objs[0].mach->e_machine == EM_X86_64 ? "CPJIT_MACHINE_X86_64"
                                                  : "CPJIT_MACHINE_AARCH64",
          g->set);
  fprintf(f, "    %s_uops, %s_NUOPS, &%s_trampoline, &%s_exit_stub,\n", g->set,
          g->set, g->set, g->set);
  if (g->nhelpers)
    fprintf(f, "    %s_helper_names, %s_NHELPERS};\n", g->set, g->set);
  else
    fprintf(f, "    NULL, %s_NHELPERS};\n", g->set);
  fprintf(f, "\n#endif /* CPJIT_GENERATED_%s_STENCILS_H */\n", g->set);
}

static void write_output(gen *g) {
  size_t n = strlen(g->output) + 5;
  g->tmp_path = xcalloc(n, 1);
  snprintf(g->tmp_path, n, "%s.tmp", g->output);
  FILE *f = fopen(g->tmp_path, "w");
  if (!f) {
    where w = {g->tmp_path, NULL, NULL, NULL, 0, 0};
    fail(&w, "cannot create: %s", strerror(errno));
  }
  write_header(f, g);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    where w = {g->tmp_path, NULL, NULL, NULL, 0, 0};
    fail(&w, "write error");
  }
  if (rename(g->tmp_path, g->output) != 0) {
    where w = {g->output, NULL, NULL, NULL, 0, 0};
    fail(&w, "cannot rename the temporary file into place: %s",
         strerror(errno));
  }
  free(g->tmp_path);
  g->tmp_path = NULL;
}

/* -- Main ----------------------------------------------------------------- */

static void usage(void) {
  fputs("usage: stencilgen --set NAME --output OUT.h "
        "[--objdump PATH | --no-disasm] IN.o...\n",
        stderr);
  exit(1);
}

static void free_gen(gen *g) {
  for (size_t i = 0; i < g->nstencils; i++) {
    free(g->stencils[i].data);
    free(g->stencils[i].blob_off);
    free(g->stencils[i].holes);
    free(g->stencils[i].disasm);
  }
  free(g->stencils);
  for (size_t i = 0; i < g->nobjs; i++) {
    free(g->objs[i].bytes);
    free(g->objs[i].secs);
    free(g->objs[i].syms);
    free(g->objs[i].disasm);
  }
  free(g->objs);
  free(g->uops);
  free(g->helpers);
  free(g->tmp_path);
}

int main(int argc, char **argv) {
  static gen g;
  the_gen = &g;
  g.objdump = "llvm-objdump-19";
  g.objs = xcalloc((size_t)argc, sizeof(object));
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--set") == 0 && i + 1 < argc) {
      g.set = argv[++i];
    } else if (strcmp(a, "--output") == 0 && i + 1 < argc) {
      g.output = argv[++i];
    } else if (strcmp(a, "--objdump") == 0 && i + 1 < argc) {
      g.objdump = argv[++i];
    } else if (strcmp(a, "--no-disasm") == 0) {
      g.objdump = NULL;
    } else if (a[0] == '-' && a[1] == '-') {
      fprintf(stderr, "stencilgen: unknown or incomplete option '%s'\n", a);
      usage();
    } else {
      object *o = &g.objs[g.nobjs++];
      o->path = a;
      const char *slash = strrchr(a, '/');
      o->basename = slash ? slash + 1 : a;
    }
  }
  if (!g.set || !g.output || g.nobjs == 0)
    usage();
  if (!is_ident(g.set))
    fail(NULL, "set name '%s' is not a C identifier", g.set);
  for (size_t i = 0; i < g.nobjs; i++)
    load_object(&g.objs[i]);
  for (size_t i = 1; i < g.nobjs; i++)
    if (g.objs[i].mach != g.objs[0].mach)
      FAIL_FILE(&g.objs[i], "machine %s differs from %s's", g.objs[i].mach->name,
                g.objs[0].path);
  read_lists(&g);
  find_stencils(&g);
  for (size_t i = 0; i < g.nstencils; i++)
    build_stencil(&g, &g.stencils[i]);
  disassemble(&g);
  write_output(&g);
  free_gen(&g);
  return 0;
}
