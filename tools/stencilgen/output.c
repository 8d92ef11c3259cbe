/*
 * stencilgen/output.c -- disassembly comments and the generated header.
 *
 * The header depends only on the stencils, the set name and the inputs'
 * basenames: no paths, no time, fixed order. It is written to OUT.h.tmp
 * and renamed into place, so a failed run never leaves a partial header.
 * The disassembly comes from llvm-objdump (run once per object); without
 * it the header is the same minus the comments.
 */
#define _POSIX_C_SOURCE 200809L

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stencilgen.h"

extern char **environ;

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
    [CPJIT_HOLE_HANDLER] = "CPJIT_HOLE_HANDLER",
};

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
  char *argv[] = {(char *)objdump,      "-d",         "-r",
                  "--no-show-raw-insn", (char *)path, NULL};
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
        } else if ((*c == '/' && n > 0 && out[n - 1] == '*') ||
                   (*c == '*' && n > 0 && out[n - 1] == '/')) {
          out[n++] = ' '; /* no comment open or close inside the comment */
          out[n++] = *c;
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

void output_disassemble(gen *g) {
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
    fprintf(f, "%s0x%02x,", i % 12 == 0 ? (i ? "\n    " : "    ") : " ", b[i]);
  fputc('\n', f);
}

static void put_int64(FILE *f, int64_t v) {
  if (v == INT64_MIN)
    fputs("INT64_MIN", f);
  else
    fprintf(f, "%lld", (long long)v);
}

/* A C string literal; symbol names come from the input and may hold any
 * byte but NUL. */
static void put_cstring(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\' || c == '?' || c < 0x20 || c >= 0x7f)
      fprintf(f, "\\%03o", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

/* C identifier prefix of a stencil's arrays: SET_uop_NAME or SET_NAME. */
static void put_prefix(FILE *f, const gen *g, const stencil *st) {
  if (st >= g->stencils + g->nops)
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
    int a64 = st->obj->mach->e_machine == EM_AARCH64;
    if (st->flags == CPJIT_STENCIL_FALLTHROUGH && !a64)
      fputs(" * (stencilgen: the final `jcc CONTINUE; jmp T` is inverted "
            "into\n *  `j!cc T`, falling through: the code below ends "
            "there)\n",
            f);
    if (st->flags == CPJIT_STENCIL_FALLTHROUGH && a64)
      fputs(" * (stencilgen: the final `b.cond .L; b T; .L: b CONTINUE` is "
            "inverted\n *  into `b.!cond T`, falling through: the code "
            "below ends there)\n",
            f);
    if (st->widened && !a64)
      fputs(" * (stencilgen: the short branch to the final `jmp T` is "
            "widened to\n *  `jcc rel32 T` and that jmp removed: the code "
            "below ends in the\n *  jump to CONTINUE)\n",
            f);
    if (st->widened && a64)
      fputs(" * (stencilgen: the branches to the final `b T` branch to T "
            "itself and\n *  that b is removed: the code below ends in the "
            "b to CONTINUE)\n",
            f);
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
      fputs(", ", f);
      put_cstring(f, h->symbol);
      fputs("},\n", f);
    }
    fputs("};\n", f);
  }
  if (st->cfi_size) {
    fputs("static const uint8_t ", f);
    put_prefix(f, g, st);
    fprintf(f, "_cfi[%u] = {\n", st->cfi_size);
    put_bytes(f, st->cfi, st->cfi_size);
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
  fprintf(f, "%s %s, %u, ", indent,
          st->flags == CPJIT_STENCIL_TAIL_CONTINUE ? "CPJIT_STENCIL_TAIL_CONTINUE"
          : st->flags == CPJIT_STENCIL_FALLTHROUGH ? "CPJIT_STENCIL_FALLTHROUGH"
                                                   : "0",
          st->tail_size);
  if (st->cfi_size) {
    put_prefix(f, g, st);
    fprintf(f, "_cfi, %u}", st->cfi_size);
  } else {
    fputs("NULL, 0}", f);
  }
}

/* The register uop table and its decoder (cpjit_ruop_info, cpjit.h). */
static void write_ruop_table(FILE *f, const gen *g) {
  if (g->nruops) {
    fprintf(f,
            "/* Register uops: variant v of uop r is op r.first + v; operand "
            "k's\n * register is (v / stride_k) %% size[k] (cpjit.h). */\n"
            "__attribute__((unused)) static const cpjit_ruop_info "
            "%s_ruops[%s_NRUOPS] = {\n",
            g->set, g->set);
    for (size_t i = 0; i < g->nruops; i++) {
      const ruop *r = &g->ruops[i];
      fprintf(f, "    {\"%s\", %u, %u, %u, {", r->name, r->first, r->nvariants,
              r->noperands);
      for (uint32_t k = 0; k < 3; k++)
        fprintf(f, "%s%s", k ? ", " : "",
                k >= r->noperands      ? "0"
                : r->cls[k] == CPJIT_REG_G ? "CPJIT_REG_G"
                                          : "CPJIT_REG_F");
      fprintf(f, "}, {%u, %u, %u}, 0},\n", r->size[0], r->size[1],
              r->size[2]);
    }
    fputs("};\n", f);
  }
  fprintf(f,
          "/* op -> register uop index (*ruop) and its operands' registers "
          "(reg[k]);\n * 0 when op is a plain uop. */\n"
          "__attribute__((unused)) static inline int %s_ruop_decode("
          "uint32_t op,\n    uint32_t *ruop, uint8_t reg[3]) {\n",
          g->set);
  if (g->nruops)
    fprintf(f, "  return cpjit_ruop_decode(%s_ruops, %s_NRUOPS, op, ruop, "
               "reg);\n}\n",
            g->set, g->set);
  else
    fputs("  return cpjit_ruop_decode(NULL, 0, op, ruop, reg);\n}\n", f);
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
  /* Register uops (CPJIT_RUOP): their variants follow the plain uops. */
  fprintf(f,
          "/* Register file (CPJIT_NGPR, CPJIT_NFPR), register uops, and all "
          "ops:\n * %s_NUOPS uops, then the variants of each register "
          "uop. */\n",
          g->set);
  fprintf(f, "#define %s_NGPR %u\n", g->set, g->ngpr);
  fprintf(f, "#define %s_NFPR %u\n", g->set, g->nfpr);
  fprintf(f, "#define %s_NRUOPS %zu\n", g->set, g->nruops);
  fprintf(f, "#define %s_NOPS %zu\n", g->set, g->nops);
  /* The op numbers and helper indexes, derived from the one uop list, so a
   * host needs no enum of its own to keep in step. */
  fprintf(f, "\n/* cpjit_uop.op of each uop, in uop-list order. */\n"
             "enum %s_op {\n", g->set);
  for (size_t i = 0; i < g->nuops; i++)
    fprintf(f, "    %s_OP_%s = %zu,\n", g->set, g->uops[i], i);
  for (size_t i = 0; i < g->nruops; i++)
    fprintf(f, "    %s_OP_%s = %u, /* %s: %u variants */\n", g->set,
            g->ruops[i].name, g->ruops[i].first, g->ruops[i].sig,
            g->ruops[i].nvariants);
  fputs("};\n", f);
  write_ruop_table(f, g);
  if (g->nhelpers) {
    fprintf(f, "/* Index of each helper in the config's helper table. */\n"
               "enum %s_helper {\n", g->set);
    for (size_t i = 0; i < g->nhelpers; i++)
      fprintf(f, "    %s_HELPER_%s = %zu,\n", g->set, g->helpers[i], i);
    fputs("};\n", f);
  }
  for (size_t i = 0; i < g->nstencils; i++)
    write_stencil_arrays(f, g, &g->stencils[i]);

  fputs("\n/* -- The set -- */\n", f);
  fprintf(f, "static const cpjit_stencil %s_uops[%s_NOPS] = {\n", g->set,
          g->set);
  for (size_t i = 0; i < g->nops; i++) {
    write_stencil_init(f, g, &g->stencils[i], "    ");
    fputs(",\n", f);
  }
  fputs("};\n", f);
  fprintf(f, "static const cpjit_stencil %s_trampoline =\n", g->set);
  write_stencil_init(f, g, &g->stencils[g->nops], "    ");
  fputs(";\n", f);
  fprintf(f, "static const cpjit_stencil %s_exit_stub =\n", g->set);
  write_stencil_init(f, g, &g->stencils[g->nops + 1], "    ");
  fputs(";\n", f);
  int handler = g->nstencils > g->nops + 2;
  if (handler) {
    fprintf(f, "static const cpjit_stencil %s_exit_handler =\n", g->set);
    write_stencil_init(f, g, &g->stencils[g->nops + 2], "    ");
    fputs(";\n", f);
  }
  if (g->nhelpers) {
    fprintf(f, "static const char *const %s_helper_names[%s_NHELPERS] = {\n",
            g->set, g->set);
    for (size_t i = 0; i < g->nhelpers; i++)
      fprintf(f, "    \"%s\",\n", g->helpers[i]);
    fputs("};\n", f);
  }
  fprintf(f,
          "__attribute__((unused)) static const cpjit_stencil_set "
          "%s_stencil_set = {\n",
          g->set);
  fprintf(f, "    CPJIT_ABI_VERSION, %s, \"%s\",\n",
          g->objs[0].mach->e_machine == EM_X86_64 ? "CPJIT_MACHINE_X86_64"
                                                  : "CPJIT_MACHINE_AARCH64",
          g->set);
  fprintf(f, "    %s_uops, %s_NOPS, &%s_trampoline, &%s_exit_stub,\n", g->set,
          g->set, g->set, g->set);
  if (g->nhelpers)
    fprintf(f, "    %s_helper_names, %s_NHELPERS", g->set, g->set);
  else
    fprintf(f, "    NULL, %s_NHELPERS", g->set);
  if (handler)
    fprintf(f, ",\n    &%s_exit_handler};\n", g->set);
  else
    fputs(", NULL};\n", f);
  fprintf(f, "\n#endif /* CPJIT_GENERATED_%s_STENCILS_H */\n", g->set);
}

void output_write(gen *g) {
  /* The rename below replaces whatever is at the output path; refuse to
   * replace anything but a regular file (a device, a symlink, ...). */
  struct stat sb;
  if (lstat(g->output, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    where w = {g->output, NULL, NULL, NULL, 0, 0};
    fail(&w, "output exists and is not a regular file");
  }
  size_t n = strlen(g->output) + 5;
  g->tmp_path = xcalloc(n, 1);
  snprintf(g->tmp_path, n, "%s.tmp", g->output);
  FILE *f = fopen(g->tmp_path, "w");
  if (f)
    fail_remove_path = g->tmp_path; /* from now on, errors remove it */
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
  fail_remove_path = NULL;
  free(g->tmp_path);
  g->tmp_path = NULL;
}
