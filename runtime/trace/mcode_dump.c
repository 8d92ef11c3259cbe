/*
 * mcode_dump.c -- disassembly of trace machine code for -jdump (see
 * mcode_dump.h for the tools tried and the fallback).
 *
 * Why an ELF file: llvm-objdump only reads object files, and a section
 * header with sh_addr = the run-time address makes both objdumps print real
 * addresses and resolve call/jump targets to them, while a symbol per uop
 * gives the "<label>:" lines that tie the code back to the uop listing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "mcode_dump.h"

#include <elf.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define DUMP_MACHINE EM_X86_64
#define DUMP_FLAGS "-d -M intel"
#elif defined(__aarch64__)
#define DUMP_MACHINE EM_AARCH64
#define DUMP_FLAGS "-d"
#else
#define DUMP_MACHINE EM_NONE /* the tools refuse it: hex */
#define DUMP_FLAGS "-d"
#endif

/* -- The ELF wrapper --------------------------------------------------------- */

enum { SEC_NULL, SEC_TEXT, SEC_SYMTAB, SEC_STRTAB, SEC_SHSTRTAB, SEC_COUNT };

static const char shstrtab[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
enum { NAME_TEXT = 1, NAME_SYMTAB = 7, NAME_STRTAB = 15, NAME_SHSTRTAB = 23 };

static size_t align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/* The whole file in one malloc'ed buffer (NULL when out of memory). */
static unsigned char *build_elf(const void *code, size_t size,
                                const McodeLabel *labels, size_t nlabels,
                                size_t *out_len) {
  size_t strsz = 1;
  for (size_t i = 0; i < nlabels; i++)
    strsz += strlen(labels[i].name) + 1;
  size_t text_off = sizeof(Elf64_Ehdr);
  size_t sym_off = align8(text_off + size);
  size_t sym_size = (nlabels + 1) * sizeof(Elf64_Sym);
  size_t str_off = sym_off + sym_size;
  size_t shstr_off = str_off + strsz;
  size_t sh_off = align8(shstr_off + sizeof shstrtab);
  size_t len = sh_off + SEC_COUNT * sizeof(Elf64_Shdr);
  unsigned char *f = calloc(1, len);
  if (!f)
    return NULL;
  uint64_t base = (uint64_t)(uintptr_t)code;

  Elf64_Ehdr eh = {0};
  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = DUMP_MACHINE;
  eh.e_version = EV_CURRENT;
  eh.e_entry = base;
  eh.e_shoff = sh_off;
  eh.e_ehsize = sizeof(Elf64_Ehdr);
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = SEC_COUNT;
  eh.e_shstrndx = SEC_SHSTRTAB;
  memcpy(f, &eh, sizeof eh);
  memcpy(f + text_off, code, size);

  char *strtab = (char *)f + str_off;
  size_t strpos = 1;
  for (size_t i = 0; i < nlabels; i++) {
    size_t end = i + 1 < nlabels ? labels[i + 1].offset : size;
    Elf64_Sym s = {0};
    s.st_name = (Elf64_Word)strpos;
    s.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
    s.st_shndx = SEC_TEXT;
    s.st_value = base + labels[i].offset;
    s.st_size = end > labels[i].offset ? end - labels[i].offset : 0;
    memcpy(f + sym_off + (i + 1) * sizeof s, &s, sizeof s);
    size_t n = strlen(labels[i].name) + 1;
    memcpy(strtab + strpos, labels[i].name, n);
    strpos += n;
  }
  memcpy(f + shstr_off, shstrtab, sizeof shstrtab);

  Elf64_Shdr sh[SEC_COUNT] = {{0}};
  sh[SEC_TEXT] = (Elf64_Shdr){.sh_name = NAME_TEXT,
                              .sh_type = SHT_PROGBITS,
                              .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
                              .sh_addr = base,
                              .sh_offset = text_off,
                              .sh_size = size,
                              .sh_addralign = 1};
  sh[SEC_SYMTAB] = (Elf64_Shdr){.sh_name = NAME_SYMTAB,
                                .sh_type = SHT_SYMTAB,
                                .sh_offset = sym_off,
                                .sh_size = sym_size,
                                .sh_link = SEC_STRTAB,
                                .sh_info = 1, /* first global symbol */
                                .sh_addralign = 8,
                                .sh_entsize = sizeof(Elf64_Sym)};
  sh[SEC_STRTAB] = (Elf64_Shdr){.sh_name = NAME_STRTAB,
                                .sh_type = SHT_STRTAB,
                                .sh_offset = str_off,
                                .sh_size = strsz,
                                .sh_addralign = 1};
  sh[SEC_SHSTRTAB] = (Elf64_Shdr){.sh_name = NAME_SHSTRTAB,
                                  .sh_type = SHT_STRTAB,
                                  .sh_offset = shstr_off,
                                  .sh_size = sizeof shstrtab,
                                  .sh_addralign = 1};
  memcpy(f + sh_off, sh, sizeof sh);
  *out_len = len;
  return f;
}

/* -- Running a disassembler ------------------------------------------------- */

/* Is this an objdump line of one instruction ("  addr:  bytes  insn")? */
static bool is_insn_line(const char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  const char *h = s;
  while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))
    s++;
  return s > h && *s == ':' && s[1] != '\0' && s[1] != '\n';
}

/* Run `tool` on the ELF file `path`. On success (exit status 0 and at least
 * one instruction) print the disassembly without the tool's header and
 * return true; otherwise print nothing and put the reason in why. */
static bool run_tool(FILE *out, const char *tool, const char *path, char *why,
                     size_t whylen) {
  char cmd[1024];
  int n = snprintf(cmd, sizeof cmd, "%s " DUMP_FLAGS " '%s' 2>&1", tool, path);
  if (n < 0 || (size_t)n >= sizeof cmd) {
    snprintf(why, whylen, "%s: command too long", tool);
    return false;
  }
  fflush(out);
  FILE *p = popen(cmd, "r");
  if (!p) {
    snprintf(why, whylen, "%s: cannot start a shell", tool);
    return false;
  }
  char *text = NULL, *line = NULL;
  size_t textlen = 0, cap = 0, linecap = 0;
  bool body = false, bad = false;
  int ninsn = 0;
  char first[160] = "";
  ssize_t got;
  while ((got = getline(&line, &linecap, p)) > 0) {
    if (!first[0])
      snprintf(first, sizeof first, "%.*s", (int)strcspn(line, "\n"), line);
    if (!body) {
      body = strncmp(line, "Disassembly of section", 22) == 0;
      continue;
    }
    if (line[0] == '\n')
      continue;
    ninsn += is_insn_line(line);
    if (textlen + (size_t)got + 1 > cap) {
      size_t ncap = cap ? cap * 2 : 4096;
      while (ncap < textlen + (size_t)got + 1)
        ncap *= 2;
      char *t = realloc(text, ncap);
      if (!t) {
        bad = true;
        break;
      }
      text = t;
      cap = ncap;
    }
    memcpy(text + textlen, line, (size_t)got);
    textlen += (size_t)got;
  }
  free(line);
  int st = pclose(p);
  bool ok = !bad && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
            ninsn > 0;
  if (ok) {
    fwrite(text, 1, textlen, out);
  } else if (bad) {
    snprintf(why, whylen, "%s: out of memory", tool);
  } else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127) {
    snprintf(why, whylen, "%s: not found", tool);
  } else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 0) {
    snprintf(why, whylen, "%s: exit status %d%s%s", tool, WEXITSTATUS(st),
             first[0] ? ": " : "", first);
  } else {
    snprintf(why, whylen, "%s: no instructions in its output", tool);
  }
  free(text);
  return ok;
}

/* -- Hex --------------------------------------------------------------------- */

static void dump_hex(FILE *out, const void *code, size_t size,
                     const McodeLabel *labels, size_t nlabels) {
  const uint8_t *b = code;
  uintptr_t base = (uintptr_t)code;
  size_t next = 0; /* next label */
  size_t j = 0;
  while (j < size) {
    while (next < nlabels && labels[next].offset <= j) {
      fprintf(out, "%016" PRIxPTR " <%s>:\n", base + labels[next].offset,
              labels[next].name);
      next++;
    }
    size_t end = j + 16 < size ? j + 16 : size;
    if (next < nlabels && labels[next].offset < end)
      end = labels[next].offset;
    fprintf(out, "  %" PRIxPTR ":", base + j);
    for (; j < end; j++)
      fprintf(out, " %02x", b[j]);
    fputc('\n', out);
  }
}

/* -- Entry ------------------------------------------------------------------ */

void jit_dump_mcode(FILE *out, const void *code, size_t size,
                    const McodeLabel *labels, size_t nlabels) {
  if (size == 0) {
    fprintf(out, "(no machine code: the backend does not say where it is)\n");
    return;
  }
  const char *env = getenv("CPJIT_OBJDUMP");
  const char *tools[3] = {"llvm-objdump-19", "llvm-objdump", "objdump"};
  size_t ntools = 3;
  if (env) {
    tools[0] = env;
    ntools = (*env && strcmp(env, "none") != 0) ? 1 : 0;
  }
  char why[512] = "";
  size_t whylen = 0;
  if (ntools == 0)
    snprintf(why, sizeof why, "CPJIT_OBJDUMP=%s", env);

  char path[512] = "";
  if (ntools > 0) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir || strchr(dir, '\''))
      dir = "/tmp";
    snprintf(path, sizeof path, "%s/cpjit-mcode-XXXXXX", dir);
    size_t len = 0;
    unsigned char *elf = build_elf(code, size, labels, nlabels, &len);
    int fd = elf ? mkstemp(path) : -1;
    bool written = fd >= 0 && write(fd, elf, len) == (ssize_t)len;
    if (fd >= 0)
      close(fd);
    free(elf);
    if (!written) {
      if (fd >= 0)
        unlink(path);
      snprintf(why, sizeof why, "%s", elf ? "cannot write a temporary file"
                                          : "out of memory");
      ntools = 0;
    }
  }
  for (size_t i = 0; i < ntools; i++) {
    char one[256];
    if (run_tool(out, tools[i], path, one, sizeof one)) {
      unlink(path);
      return;
    }
    int n = snprintf(why + whylen, sizeof why - whylen, "%s%s",
                     whylen ? "; " : "", one);
    if (n > 0)
      whylen += (size_t)n < sizeof why - whylen ? (size_t)n
                                                 : sizeof why - whylen - 1;
  }
  if (ntools > 0)
    unlink(path);
  fprintf(out, "(no disassembly: %s; hex follows)\n", why);
  dump_hex(out, code, size, labels, nlabels);
}
