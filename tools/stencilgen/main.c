/*
 * stencilgen/main.c -- turn clang-19 stencil objects into a cpjit stencil
 * header.
 *
 *   stencilgen --set NAME --output OUT.h [--objdump PATH | --no-disasm] IN.o...
 *
 * Pipeline (one pass each, in main()):
 *
 *   load     read every ELF64 relocatable object whole and validate its
 *            structure: header, section table, string tables, symbols and
 *            relocation sections. After loading, every offset and index the
 *            later stages follow is known to be inside the file.
 *   lists    the uop order (.cpjit.uops), the register uops and register
 *            file (.cpjit.ruops, .cpjit.regfile) and the helper names
 *            (.cpjit.helpers) declared by CPJIT_DECLARE_UOPS/RUOPS/HELPERS.
 *   find     one defining function per stencil: cpjit_uop_<NAME> for each
 *            listed uop, cpjit_uop_<NAME>__<r0>[_<r1>[_<r2>]] for each
 *            variant of a register uop, cpjit_trampoline, cpjit_exit_stub
 *            and the optional cpjit_exit_handler.
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
 * Machines are described by tables (struct machine, one file each): the
 * ELF relocation types each maps onto cpjit_reloc, the rule that
 * recognises a final tail jump to CONTINUE (x86-64 and AArch64), and the
 * optional guard rewrites (x86-64 only so far): branch inversion of a final
 * `jcc CONTINUE; jmp EXIT` into a falling-through `j!cc EXIT`, and widening
 * of a short jcc to the final `jmp EXIT` so the stencil ends in the
 * droppable jump to CONTINUE. Adding a machine means a machine_<name>.c and
 * one line in elf.c's machine list.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "stencilgen.h"

/* -- Diagnostics and memory ---------------------------------------------- */

const char *fail_remove_path;

void fail(const where *w, const char *fmt, ...) {
  char line[1280], msg[512]; /* line holds all parts below */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  char file[256] = "", stencil[128] = "", symbol[192] = "", reloc[96] = "";
  if (w && w->file)
    snprintf(file, sizeof file, "%s: ", w->file);
  if (w && w->stencil)
    snprintf(stencil, sizeof stencil, "stencil '%s': ", w->stencil);
  if (w && w->symbol)
    snprintf(symbol, sizeof symbol, "symbol '%s': ", w->symbol);
  if (w && w->reloc && w->has_at)
    snprintf(reloc, sizeof reloc, "relocation %s at 0x%llx: ", w->reloc,
             (unsigned long long)w->at);
  else if (w && w->reloc)
    snprintf(reloc, sizeof reloc, "relocation %s: ", w->reloc);
  snprintf(line, sizeof line, "stencilgen: %s%s%s%s%s", file, stencil, symbol,
           reloc, msg);
  /* Names come from the input: keep the message on one printable line. */
  for (char *c = line; *c; c++)
    if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
      *c = '?';
  fprintf(stderr, "%s\n", line);
  if (fail_remove_path)
    remove(fail_remove_path);
  exit(1);
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    fail(NULL, "out of memory");
  return p;
}

void *xrealloc(void *p, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    fail(NULL, "out of memory");
  size_t bytes = n * size;
  p = realloc(p, bytes > 0 ? bytes : 1);
  if (!p)
    fail(NULL, "out of memory");
  return p;
}
/* -- Main ----------------------------------------------------------------- */

static void usage(const char *why) {
  fprintf(stderr,
          "stencilgen: %s; usage: stencilgen --set NAME --output OUT.h "
          "[--objdump PATH | --no-disasm] IN.o...\n",
          why);
  exit(1);
}

static void free_gen(gen *g) {
  for (size_t i = 0; i < g->nstencils; i++) {
    free(g->stencils[i].data);
    free(g->stencils[i].blob_off);
    free(g->stencils[i].holes);
    free(g->stencils[i].own_code);
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
  for (size_t i = 0; g->variant_names && i < g->nops - g->nuops; i++)
    free(g->variant_names[i]);
  free(g->variant_names);
  free(g->ruops);
  free(g->uops);
  free(g->helpers);
  free(g->tmp_path);
}

int main(int argc, char **argv) {
  static gen g;
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
    } else if (a[0] == '-') {
      char why[160];
      snprintf(why, sizeof why, "unknown or incomplete option '%.100s'", a);
      usage(why);
    } else {
      object *o = &g.objs[g.nobjs++];
      o->path = a;
      const char *slash = strrchr(a, '/');
      o->basename = slash ? slash + 1 : a;
    }
  }
  if (!g.set || !g.output || g.nobjs == 0)
    usage(!g.set ? "no --set" : !g.output ? "no --output" : "no input files");
  if (!name_is_ident(g.set))
    fail(NULL, "set name '%s' is not a C identifier", g.set);
  for (size_t i = 0; i < g.nobjs; i++)
    elf_load_object(&g.objs[i]);
  for (size_t i = 1; i < g.nobjs; i++)
    if (g.objs[i].mach != g.objs[0].mach)
      FAIL_FILE(&g.objs[i], "machine %s differs from %s's",
                g.objs[i].mach->name, g.objs[0].path);
  build_read_lists(&g);
  build_find_stencils(&g);
  for (size_t i = 0; i < g.nstencils; i++)
    build_stencil(&g, &g.stencils[i]);
  build_check_handler(&g);
  build_cfi(&g);
  build_fallthrough(&g);
  output_disassemble(&g);
  output_write(&g);
  free_gen(&g);
  return 0;
}
