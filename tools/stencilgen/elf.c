/*
 * stencilgen/elf.c -- read and validate an ELF64 relocatable object.
 *
 * The whole file is read into memory. Every structure the later stages
 * follow is checked here first: header fields, the section table and each
 * section's extent, string-table indices, symbol section indices, and the
 * relocation sections' links and symbol indices. Relocation offsets are
 * checked against their section when a stencil uses them (build.c), where
 * the message can name the stencil. Fields are read byte by byte as
 * little-endian, so no unaligned or host-endian access happens.
 */
#define _POSIX_C_SOURCE 200809L

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stencilgen.h"

/* Machines stencilgen recognises. Adding one: a machine_<name>.c with its
 * relocation table and tail rule, and an entry here. */
static const machine *const machines[] = {&machine_x86_64, &machine_aarch64};

const reloc_desc *machine_find_reloc(const machine *m, uint32_t type) {
  for (size_t i = 0; i < m->nrelocs; i++)
    if (m->relocs[i].elf_type == type)
      return &m->relocs[i];
  return NULL;
}

static const char *elf_machine_name(uint16_t m) {
  switch (m) {
  case EM_386:
    return "EM_386";
  case EM_ARM:
    return "EM_ARM";
  case EM_X86_64:
    return "EM_X86_64";
  case EM_AARCH64:
    return "EM_AARCH64";
  case EM_RISCV:
    return "EM_RISCV";
  case EM_PPC64:
    return "EM_PPC64";
  default:
    return "unknown";
  }
}

/* A NUL-terminated string at `off` in string-table section `strsec`. */
static const char *strtab_get(const object *o, uint32_t strsec, uint64_t off,
                              const char *what) {
  const section *s = &o->secs[strsec];
  if (off >= s->size)
    FAIL_FILE(o,
              "%s: string offset %llu outside string table '%s' (%llu bytes)",
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
    FAIL_FILE(o,
              "not a 64-bit ELF file (EI_CLASS %u); stencils must be "
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
    FAIL_FILE(o,
              "not a relocatable object (e_type %u); pass the .o files "
              "that clang -c produced",
              type);
  for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++)
    if (machines[i]->e_machine == mach)
      o->mach = machines[i];
  if (!o->mach)
    FAIL_FILE(o, "unsupported machine %u (%s); cpjit supports x86-64 and AArch64", mach,
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
    FAIL_FILE(o,
              "section header table (offset 0x%llx, %u entries) extends "
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
    if (i > 0 && s->type != SHT_NOBITS &&
        !in_range(s->offset, s->size, o->size))
      FAIL_FILE(o,
                "section %u (offset 0x%llx, size 0x%llx) extends past the "
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
    FAIL_FILE(o,
              "symbol table links to section %u, which is not a string "
              "table",
              st->link);
  o->nsyms = (uint32_t)(st->size / sizeof(Elf64_Sym));
  o->syms = xcalloc(o->nsyms, sizeof(symbol));
  for (uint32_t i = 0; i < o->nsyms; i++) {
    const uint8_t *p = o->bytes + st->offset + (uint64_t)i * sizeof(Elf64_Sym);
    symbol *s = &o->syms[i];
    char what[48];
    snprintf(what, sizeof what, "symbol %u name", i);
    s->name =
        strtab_get(o, st->link, rd32(p + offsetof(Elf64_Sym, st_name)), what);
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
      FAIL_FILE(o, "section '%s': applies to section %u, out of range", r->name,
                r->info);
    section *t = &o->secs[r->info];
    if (t->rela)
      FAIL_FILE(o, "section '%s' has two relocation sections", t->name);
    t->rela = i;
    for (uint64_t k = 0; k < r->size / sizeof(Elf64_Rela); k++) {
      const uint8_t *p = o->bytes + r->offset + k * sizeof(Elf64_Rela);
      uint64_t info = rd64(p + offsetof(Elf64_Rela, r_info));
      if (ELF64_R_SYM(info) >= o->nsyms)
        FAIL_FILE(o,
                  "section '%s': relocation %llu names symbol %llu, out "
                  "of range (%u symbols)",
                  r->name, (unsigned long long)k,
                  (unsigned long long)ELF64_R_SYM(info), o->nsyms);
    }
  }
}

void elf_load_object(object *o) {
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
      FAIL_FILE(o,
                "section '%s': writable data section; stencils may not "
                "have writable globals, make them const or move them to "
                "the host",
                s->name);
  }
}
