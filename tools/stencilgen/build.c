/*
 * stencilgen/build.c -- from loaded objects to stencils.
 *
 *   lists   the uop order (.cpjit.uops), the register uops and register
 *           file (.cpjit.ruops, .cpjit.regfile) and the helper names
 *           (.cpjit.helpers);
 *   find    the one function defining each stencil;
 *   build   per stencil: its code section, the closure of read-only data
 *           sections its relocations reach (copied whole into one blob, each
 *           at its alignment), and one hole per relocation, classified by
 *           the symbol it names (classify()).
 *
 * Anything that does not fit -- an unknown relocation, an undefined symbol
 * that is neither a hole nor a helper, a reference to another stencil's
 * code or to a local function -- is a fatal error naming file, stencil,
 * symbol and relocation.
 */
#define _POSIX_C_SOURCE 200809L

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "stencilgen.h"

/* Undefined symbols that are holes (cpjit_stencil.h). */
static const struct {
  const char *symbol;
  cpjit_hole_kind kind;
} hole_symbols[] = {
    {"CPJIT_OPERAND0", CPJIT_HOLE_OPERAND0},
    {"CPJIT_OPERAND1", CPJIT_HOLE_OPERAND1},
    {"CPJIT_ARG", CPJIT_HOLE_ARG},
    {"CPJIT_CONTINUE", CPJIT_HOLE_CONTINUE},
    {"CPJIT_JUMP", CPJIT_HOLE_JUMP},
    {"CPJIT_EXIT", CPJIT_HOLE_EXIT},
    {"CPJIT_HANDLER", CPJIT_HOLE_HANDLER},
};

/* -- Uop and helper lists ------------------------------------------------- */

int name_is_ident(const char *s) {
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
  if (s->type == SHT_NOBITS || s->size == 0 ||
      o->bytes[s->offset + s->size - 1] != '\0')
    FAIL_FILE(o, "section '%s': not a NUL-terminated name list", s->name);
  const char *p = (const char *)o->bytes + s->offset;
  const char *end = p + s->size;
  while (end > p && end[-1] == '\0')
    end--;
  size_t added = 0;
  while (p < end) {
    const char *name = p;
    p += strlen(p) + 1;
    if (!name_is_ident(name))
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

/* -- Register uops ---------------------------------------------------------
 * .cpjit.ruops holds "NAME\0SIG\0" pairs (CPJIT_DECLARE_RUOPS), SIG 1 to 3
 * letters G or F; .cpjit.regfile the two bytes {CPJIT_NGPR, CPJIT_NFPR}.
 * The variants of each register uop follow the plain uops in list order;
 * variant v of a uop with operand class sizes s0, s1, s2 gives registers
 * r0, r1, r2 with v = (r0 * s1 + r1) * s2 + r2, and is defined by the
 * function cpjit_uop_NAME__r0_r1_r2. */

#define MAX_NGPR 12
#define MAX_NFPR 8
#define MAX_OPS 65536 /* cpjit_uop.op is 16 bits */

/* The variant of a register uop that `n` (a function name without its
 * "cpjit_uop_" prefix) names, as a stencil index, or -1. */
static long variant_index(const gen *g, const char *n) {
  for (size_t i = 0; i < g->nruops; i++) {
    const ruop *r = &g->ruops[i];
    size_t len = strlen(r->name);
    if (strncmp(n, r->name, len) != 0 || n[len] != '_' || n[len + 1] != '_')
      continue;
    const char *p = n + len + 2;
    uint32_t v = 0;
    int ok = 1;
    for (uint32_t k = 0; k < r->noperands && ok; k++) {
      if (k > 0 && *p++ != '_') {
        ok = 0;
        break;
      }
      /* A decimal register number below the class size, no leading 0. */
      if (!(p[0] >= '0' && p[0] <= '9') ||
          (p[0] == '0' && p[1] >= '0' && p[1] <= '9')) {
        ok = 0;
        break;
      }
      uint32_t x = 0;
      while (*p >= '0' && *p <= '9' && x < 1000)
        x = x * 10 + (uint32_t)(*p++ - '0');
      if (x >= r->size[k])
        ok = 0;
      v = v * r->size[k] + x;
    }
    if (ok && *p == '\0')
      return (long)(r->first + v);
  }
  return -1;
}

static void read_ruops(gen *g) {
  g->nops = g->nuops;
  if (g->regfile_from) {
    const object *o = g->regfile_from;
    const section *s = g->regfile_sec;
    if (s->type == SHT_NOBITS || s->size != 2)
      FAIL_FILE(o,
                "section '.cpjit.regfile': want the 2 bytes {CPJIT_NGPR, "
                "CPJIT_NFPR}, found %llu",
                (unsigned long long)s->size);
    g->ngpr = o->bytes[s->offset];
    g->nfpr = o->bytes[s->offset + 1];
    if (g->ngpr > MAX_NGPR || g->nfpr > MAX_NFPR)
      FAIL_FILE(o,
                "section '.cpjit.regfile': a register file of %u GPRs and "
                "%u FPRs is larger than %u and %u",
                g->ngpr, g->nfpr, MAX_NGPR, MAX_NFPR);
  }
  if (!g->ruops_from)
    return;
  const object *o = g->ruops_from;
  const section *s = g->ruops_sec;
  if (!g->regfile_from)
    FAIL_FILE(o, "section '.cpjit.ruops' without '.cpjit.regfile'; declare "
                 "register uops with CPJIT_DECLARE_RUOPS");
  if (s->type == SHT_NOBITS || s->size == 0 ||
      o->bytes[s->offset + s->size - 1] != '\0')
    FAIL_FILE(o, "section '.cpjit.ruops': not a NUL-terminated list of "
                 "name and signature pairs");
  const char *p = (const char *)o->bytes + s->offset;
  const char *end = p + s->size;
  while (end > p && end[-1] == '\0')
    end--;
  while (p < end) {
    const char *name = p;
    p += strlen(p) + 1;
    if (!name_is_ident(name))
      FAIL_FILE(o, "section '.cpjit.ruops': '%s' is not a C identifier",
                name);
    if (p >= end)
      FAIL_FILE(o,
                "section '.cpjit.ruops': register uop '%s' has no signature",
                name);
    const char *sig = p;
    p += strlen(p) + 1;
    size_t n = strlen(sig);
    int sig_ok = n >= 1 && n <= 3;
    for (size_t k = 0; k < n; k++)
      sig_ok &= sig[k] == 'G' || sig[k] == 'F';
    if (!sig_ok)
      FAIL_FILE(o,
                "section '.cpjit.ruops': register uop '%s': signature '%s' "
                "is not 1 to 3 letters G or F",
                name, sig);
    for (size_t i = 0; i < g->nruops; i++)
      if (strcmp(g->ruops[i].name, name) == 0)
        FAIL_FILE(o, "section '.cpjit.ruops': '%s' is listed twice", name);
    for (size_t i = 0; i < g->nuops; i++)
      if (strcmp(g->uops[i], name) == 0)
        FAIL_FILE(o,
                  "section '.cpjit.ruops': '%s' is both a uop and a "
                  "register uop",
                  name);
    g->ruops = xrealloc(g->ruops, g->nruops + 1, sizeof(ruop));
    ruop *r = &g->ruops[g->nruops++];
    memset(r, 0, sizeof *r);
    r->name = name;
    r->sig = sig;
    r->noperands = (uint32_t)n;
    r->first = (uint32_t)g->nops;
    r->nvariants = 1;
    for (size_t k = 0; k < n; k++) {
      r->cls[k] = sig[k] == 'G' ? CPJIT_REG_G : CPJIT_REG_F;
      r->size[k] = sig[k] == 'G' ? g->ngpr : g->nfpr;
      r->nvariants *= r->size[k];
    }
    if (r->nvariants == 0)
      FAIL_FILE(o,
                "register uop '%s' (%s) has no variants: the register file "
                "has %u GPRs (CPJIT_NGPR) and %u FPRs (CPJIT_NFPR)",
                name, sig, g->ngpr, g->nfpr);
    if (g->nops + r->nvariants > MAX_OPS)
      FAIL_FILE(o,
                "register uop '%s': more than %u ops with its variants "
                "(cpjit_uop.op is 16 bits)",
                name, MAX_OPS);
    g->nops += r->nvariants;
  }
  /* A plain uop must not take a variant's function name. */
  for (size_t i = 0; i < g->nuops; i++)
    if (variant_index(g, g->uops[i]) >= 0)
      FAIL_FILE(g->uops_from,
                "uop '%s' has the name of a register uop variant; rename it",
                g->uops[i]);
}

void build_read_lists(gen *g) {
  for (size_t i = 0; i < g->nobjs; i++) {
    object *o = &g->objs[i];
    for (uint32_t k = 1; k < o->nsecs; k++) {
      const section *s = &o->secs[k];
      if (strcmp(s->name, ".cpjit.helpers") == 0) {
        split_names(o, s, &g->helpers, &g->nhelpers, 1);
      } else if (strcmp(s->name, ".cpjit.ruops") == 0 ||
                 strcmp(s->name, ".cpjit.regfile") == 0) {
        int is_ruops = strcmp(s->name, ".cpjit.ruops") == 0;
        const object **from = is_ruops ? &g->ruops_from : &g->regfile_from;
        const section **sec = is_ruops ? &g->ruops_sec : &g->regfile_sec;
        if (!*from) {
          *from = o;
          *sec = s;
        } else if (s->size != (*sec)->size || s->type != (*sec)->type ||
                   (s->type != SHT_NOBITS &&
                    memcmp(o->bytes + s->offset,
                           (*from)->bytes + (*sec)->offset, s->size) != 0)) {
          FAIL_FILE(o,
                    "section '%s' differs from the one in %s; declare the "
                    "register uops once (CPJIT_DECLARE_RUOPS)",
                    s->name, (*from)->path);
        }
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
          FAIL_FILE(o,
                    "section '.cpjit.uops' differs from the one in %s; "
                    "declare the uop list once",
                    g->uops_from->path);
        }
      }
    }
  }
  if (!g->uops_from)
    fail(NULL, "no input has a .cpjit.uops section; declare the uops with "
               "CPJIT_DECLARE_UOPS");
  read_ruops(g);
}

/* -- Finding the stencil functions ---------------------------------------- */

static const char *const UOP_PREFIX = "cpjit_uop_";

static int is_stencil_function_name(const char *name) {
  return strncmp(name, UOP_PREFIX, strlen(UOP_PREFIX)) == 0 ||
         strcmp(name, "cpjit_trampoline") == 0 ||
         strcmp(name, "cpjit_exit_stub") == 0 ||
         strcmp(name, "cpjit_exit_handler") == 0;
}

/* Index in g->stencils of the stencil `fn` defines, or -1. */
static long stencil_index(const gen *g, const char *fn) {
  if (strcmp(fn, "cpjit_trampoline") == 0)
    return (long)g->nops;
  if (strcmp(fn, "cpjit_exit_stub") == 0)
    return (long)g->nops + 1;
  if (strcmp(fn, "cpjit_exit_handler") == 0)
    return (long)g->nops + 2;
  if (strncmp(fn, UOP_PREFIX, strlen(UOP_PREFIX)) != 0)
    return -1;
  for (size_t i = 0; i < g->nuops; i++)
    if (strcmp(fn + strlen(UOP_PREFIX), g->uops[i]) == 0)
      return (long)i;
  return variant_index(g, fn + strlen(UOP_PREFIX));
}

/* "NAME__r0[_r1[_r2]]" of variant v of r. */
static char *variant_name(const ruop *r, uint32_t v) {
  uint32_t reg[3] = {0, 0, 0};
  for (int k = (int)r->noperands - 1; k >= 0; k--) {
    reg[k] = v % r->size[k];
    v /= r->size[k];
  }
  size_t n = strlen(r->name) + 16;
  char *s = xcalloc(n, 1);
  if (r->noperands == 1)
    snprintf(s, n, "%s__%u", r->name, reg[0]);
  else if (r->noperands == 2)
    snprintf(s, n, "%s__%u_%u", r->name, reg[0], reg[1]);
  else
    snprintf(s, n, "%s__%u_%u_%u", r->name, reg[0], reg[1], reg[2]);
  return s;
}

void build_find_stencils(gen *g) {
  /* The optional exit handler is last; counted once found. */
  g->nstencils = g->nops + 2;
  g->stencils = xcalloc(g->nops + 3, sizeof(stencil));
  for (size_t i = 0; i < g->nuops; i++)
    g->stencils[i].name = g->uops[i];
  g->variant_names = xcalloc(g->nops - g->nuops, sizeof(char *));
  for (size_t i = 0; i < g->nruops; i++)
    for (uint32_t v = 0; v < g->ruops[i].nvariants; v++) {
      size_t at = g->ruops[i].first + v;
      g->variant_names[at - g->nuops] = variant_name(&g->ruops[i], v);
      g->stencils[at].name = g->variant_names[at - g->nuops];
    }
  g->stencils[g->nops].name = "trampoline";
  g->stencils[g->nops + 1].name = "exit_stub";
  g->stencils[g->nops + 2].name = "exit_handler";
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
        fail(&w, "function is not in the uop list (.cpjit.uops) nor a "
                 "variant of a register uop (.cpjit.ruops); add it to "
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
        fail(&w,
             "function (offset %llu, size %llu) does not cover its "
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
  if (g->stencils[g->nops + 2].obj)
    g->nstencils = g->nops + 3;
  for (size_t i = 0; i < g->nstencils; i++) {
    stencil *st = &g->stencils[i];
    if (st->obj)
      continue;
    /* A missing uop is blamed on the file that lists it. */
    where w = {g->uops_from->path, st->name, NULL, NULL, 0, 0};
    if (i < g->nuops)
      fail(&w, "missing uop body: no input defines cpjit_uop_%s", st->name);
    if (i < g->nops) {
      w.file = g->ruops_from->path;
      fail(&w,
           "missing register uop variant: no input defines cpjit_uop_%s "
           "(no CPJIT_DEFINE_RUOPS, or another CPJIT_NGPR/CPJIT_NFPR)",
           st->name);
    }
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

static int is_data_section(const section *s) {
  return (s->flags & SHF_ALLOC) && !(s->flags & SHF_WRITE) &&
         !(s->flags & SHF_EXECINSTR) &&
         (s->type == SHT_PROGBITS || s->type == SHT_NOBITS) &&
         strcmp(s->name, ".cpjit.uops") != 0 &&
         strcmp(s->name, ".cpjit.helpers") != 0 &&
         strcmp(s->name, ".cpjit.ruops") != 0 &&
         strcmp(s->name, ".cpjit.regfile") != 0;
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
  if (sym->value > s->size)
    fail(w, "symbol value 0x%llx is outside its section '%s'",
         (unsigned long long)sym->value, s->name);
  t.value = sym->value;
  t.sec = sym->shndx;
  if (sym->shndx == st->text)
    return t; /* CPJIT_HOLE_CODE */
  if (s->flags & SHF_EXECINSTR) {
    for (size_t i = 0; i < g->nstencils; i++)
      if (g->stencils[i].obj == o && g->stencils[i].text == sym->shndx)
        fail(w,
             "relocation against another stencil's code (%s); stencils "
             "may only leave through CPJIT_GOTO_CONTINUE/JUMP/EXIT",
             g->stencils[i].function);
    const char *fn = s->name;
    for (uint32_t i = 1; i < o->nsyms; i++)
      if (o->syms[i].shndx == sym->shndx && o->syms[i].type == STT_FUNC) {
        fn = o->syms[i].name;
        break;
      }
    fail(w,
         "call to local function '%s' in another section; mark it "
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
    const reloc_desc *rd = machine_find_reloc(o->mach, type);
    if (rd)
      snprintf(tname, sizeof tname, "%s", rd->elf_name);
    else
      snprintf(tname, sizeof tname, "type %u", type);
    where w = {o->path, st->name, symname[0] ? symname : NULL,
               tname,   offset,   1};
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
    /* The JIT puts value(kind) in a GOT slot and patches slot + addend - P;
     * for CODE and DATA the addend would mix the symbol's offset with the
     * instruction's, so keep GOT references to external symbols only. */
    if ((t.kind == CPJIT_HOLE_CODE || t.kind == CPJIT_HOLE_DATA) && rd->got)
      fail(&w, "GOT-relative reference to the stencil's own code or data is "
               "not supported; compile stencils with -fno-pic");
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
  h.size = rd->size;
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
    st->holes =
        xrealloc(st->holes, st->cap = st->cap ? st->cap * 2 : 8, sizeof(hole));
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

void build_stencil(const gen *g, stencil *st) {
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
  if (st->nholes > 1)
    qsort(st->holes, st->nholes, sizeof(hole), hole_cmp);
  for (uint32_t i = 1; i < st->nholes; i++) {
    const hole *a = &st->holes[i - 1], *b = &st->holes[i];
    if (a->in_data == b->in_data && a->offset + a->size > b->offset) {
      where w = {o->path, st->name, b->symbol, NULL, 0, 0};
      fail(&w, "relocations at 0x%x and 0x%x of the %s overlap", a->offset,
           b->offset, b->in_data ? "data blob" : "code");
    }
  }
  st->tail_size = o->mach->tail_continue(st);
  st->flags = st->tail_size ? CPJIT_STENCIL_TAIL_CONTINUE : 0;
}

/* Branch inversion. A guard compiles to `jcc CONTINUE; jmp EXIT`: on the
 * hot path the jcc is taken and the jmp is dead weight. The machine hook
 * rewrites it to `j!cc EXIT` and the stencil falls through into the next
 * uop (CPJIT_STENCIL_FALLTHROUGH), which the JIT always lays out directly
 * after it (a uop using CONTINUE is never the last of a trace). Only the
 * uops: the trampoline and exit stub keep their code. */
void build_fallthrough(gen *g) {
  for (size_t i = 0; i < g->nops; i++) {
    stencil *st = &g->stencils[i];
    const machine *m = st->obj->mach;
    /* A tail already dropped is no reason to stop: AArch64's tail (b)
     * ends in `b CONTINUE` (machine_aarch64.c). */
    if (st->code_size == 0)
      continue;
    uint8_t *wide = m->widen_guard ? m->widen_guard(st, st->code) : NULL;
    if (wide) {
      st->own_code = wide;
      st->code = wide;
      st->widened = 1;
      st->tail_size = m->tail_continue(st);
      st->flags = st->tail_size ? CPJIT_STENCIL_TAIL_CONTINUE : 0;
      continue;
    }
    if (!m->fallthrough)
      continue;
    uint8_t *code = xcalloc(st->code_size, 1);
    memcpy(code, st->code, st->code_size);
    if (m->fallthrough(st, code)) {
      st->own_code = code;
      st->code = code;
      st->flags = CPJIT_STENCIL_FALLTHROUGH;
      st->tail_size = 0;
    } else {
      free(code);
    }
  }
}

/* CPJIT_HANDLER (the shared exit handler's address) is only known to the
 * exit stubs of a set that defines cpjit_exit_handler. */
void build_check_handler(const gen *g) {
  int have = g->nstencils > g->nops + 2;
  for (size_t i = 0; i < g->nstencils; i++) {
    const stencil *st = &g->stencils[i];
    for (uint32_t k = 0; k < st->nholes; k++) {
      if (st->holes[k].kind != CPJIT_HOLE_HANDLER)
        continue;
      where w = {st->obj->path, st->name, st->function, "CPJIT_HANDLER", 0, 0};
      if (i != g->nops + 1)
        fail(&w, "only the exit stub may jump to the exit handler "
                 "(CPJIT_GOTO_EXIT_HANDLER)");
      if (!have)
        fail(&w, "the exit stub jumps to the exit handler but no input "
                 "defines cpjit_exit_handler (CPJIT_EXIT_HANDLER)");
    }
  }
}
