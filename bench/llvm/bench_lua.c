/*
 * bench_lua.c -- cpjit-lua's uop set for the compile benchmark. A world is
 * a Lua frame of tagged values (integers, floats, tables with array parts,
 * nil/booleans/a string, an integer for loop's state, scratch slots) below
 * which sits a closure with upvalues; traces are type-guarded the way the
 * recorder guards them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_sets.h"
#include "lua_ref.h"
#include "lua_stencils.h"

/* -- The world ----------------------------------------------------------- */

#define NSLOTS 40
#define NTAB 4
#define ASIZE 8
#define NUPV 3
/* The spill area: the register file's dump, then spill slots. */
#define NFILE (lua_NGPR + lua_NFPR)
#define NSPILL_SLOTS 8
#define NSPILL (NFILE + NSPILL_SLOTS)
/* Constant array indices below this are inside every table's array part. */
#define AK_LIMIT (ASIZE - NTAB + 1)

enum {
  SL_INT = 0,    /* 0..7 integers */
  SL_FLT = 8,    /* 8..15 floats */
  SL_TAB = 16,   /* 16..19 tables, the last one with a metatable */
  SL_MISC = 20,  /* nil, false, true, a string */
  SL_COUNT = 24, /* the loop counter's start: 0 */
  SL_HOT = 25,   /* a hot loop's iterations: BENCH_HOTLOOP_ITERS */
  SL_MIXED = 26, /* a mixed trace's loop iterations: 20 */
  SL_TMP = 28    /* 28..39 scratch, any type */
};

typedef struct lua_world {
  TValue frame[1 + NSLOTS]; /* frame[0]: the running closure */
  Table tab[NTAB + 1];      /* tab[NTAB]: the metatable */
  TValue arr[NTAB][ASIZE];
  UpVal upv[NUPV];
  uint64_t spill[NSPILL]; /* the trace's spill area (zero at entry) */
  /* Last: its upvals[] array runs past the struct (WORLD_SIZE bytes). */
  LClosure cl;
} lua_world;

#define WORLD_SIZE (sizeof(lua_world) + NUPV * sizeof(UpVal *))

/* Shared by every world: only its identity matters. */
static TString shared_string;
static const int64_t int_edges[] = {
    0,           1,  -1,  2,         7,         -7,
    63,          64, -64, INT64_MAX, INT64_MIN, INT64_MIN + 1,
    3000000000ll};
static const double flt_edges[] = {0.0,     -0.0, 1.5, -2.25, 1e300,
                                   -1e-300, 3.0,  0.1, 1e15,  -7.0};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void set_int(TValue *o, int64_t i) { o->v.i = i, o->tt = TAG_INT; }
static void set_flt(TValue *o, double n) { o->v.n = n, o->tt = TAG_FLT; }

static void random_value(TValue *o, uint64_t *s) {
  switch (bench_rand(s) % 5) {
  case 0:
    set_int(o, int_edges[bench_rand(s) % COUNT(int_edges)]);
    break;
  case 1:
    set_int(o, (int64_t)(bench_rand(s) % 200) - 100);
    break;
  case 2:
    set_flt(o, flt_edges[bench_rand(s) % COUNT(flt_edges)]);
    break;
  case 3:
    o->v.i = 0;
    o->tt = bench_rand(s) % 2 ? TAG_NIL : TAG_TRUE;
    break;
  default:
    o->v.gc = (GCObject *)(void *)&shared_string;
    o->tt = TAG_SHRSTR;
    break;
  }
}

static void world_init(void *wp, uint64_t seed) {
  lua_world *w = wp;
  uint64_t s = seed | 1;
  memset(w, 0, WORLD_SIZE);
  TValue *base = w->frame + 1;
  for (int i = 0; i < 8; i++) {
    /* Small values first (array indices, loop-friendly), edges after. */
    set_int(&base[SL_INT + i],
            i < 4 ? (int64_t)(bench_rand(&s) % 10) + 1
                  : int_edges[bench_rand(&s) % COUNT(int_edges)]);
    set_flt(&base[SL_FLT + i],
            i < 4 ? (double)(int64_t)(bench_rand(&s) % 400) / 8 - 25
                  : flt_edges[bench_rand(&s) % COUNT(flt_edges)]);
  }
  for (int t = 0; t < NTAB; t++) {
    w->tab[t].tt = TAG_TABLE;
    w->tab[t].asize = ASIZE - (uint32_t)t;
    w->tab[t].array = w->arr[t];
    for (int k = 0; k < ASIZE; k++)
      random_value(&w->arr[t][k], &s);
    base[SL_TAB + t].v.gc = (GCObject *)(void *)&w->tab[t];
    base[SL_TAB + t].tt = TAG_TABLE;
  }
  w->tab[NTAB].tt = TAG_TABLE;
  w->tab[NTAB - 1].metatable = &w->tab[NTAB];
  base[SL_MISC + 0].tt = TAG_NIL;
  base[SL_MISC + 1].tt = TAG_FALSE;
  base[SL_MISC + 2].tt = TAG_TRUE;
  base[SL_MISC + 3].v.gc = (GCObject *)(void *)&shared_string;
  base[SL_MISC + 3].tt = TAG_SHRSTR;
  set_int(&base[SL_COUNT], 0);
  set_int(&base[SL_HOT], BENCH_HOTLOOP_ITERS);
  set_int(&base[SL_MIXED], 20);
  set_int(&base[SL_MIXED + 1], 0);
  for (int i = SL_TMP; i < NSLOTS; i++)
    random_value(&base[i], &s);
  for (int u = 0; u < NUPV; u++) {
    w->upv[u].tt = TAG_UPVAL;
    w->upv[u].v = &w->upv[u].u.value;
    random_value(&w->upv[u].u.value, &s);
    w->cl.upvals[u] = &w->upv[u];
  }
  w->cl.tt = TAG_LCL;
  w->cl.nupvalues = NUPV;
  w->frame[0].v.gc = (GCObject *)(void *)&w->cl;
  w->frame[0].tt = TAG_LCL;
}

static void *rebase(const lua_world *from, lua_world *to, const void *p) {
  const char *c = p;
  if (c >= (const char *)from && c < (const char *)from + WORLD_SIZE)
    return (char *)to + (c - (const char *)from);
  return (void *)(uintptr_t)p;
}

static void rebase_value(const lua_world *from, lua_world *to, TValue *o) {
  if (o->tt & TAG_COLLECTABLE)
    o->v.gc = rebase(from, to, o->v.gc);
}

static void world_clone(void *tp, const void *fp) {
  lua_world *to = tp;
  const lua_world *from = fp;
  memcpy(to, from, WORLD_SIZE);
  for (int i = 0; i < 1 + NSLOTS; i++)
    rebase_value(from, to, &to->frame[i]);
  for (int t = 0; t <= NTAB; t++) {
    to->tab[t].array = rebase(from, to, to->tab[t].array);
    to->tab[t].metatable = rebase(from, to, to->tab[t].metatable);
  }
  for (int t = 0; t < NTAB; t++)
    for (int k = 0; k < ASIZE; k++)
      rebase_value(from, to, &to->arr[t][k]);
  for (int u = 0; u < NUPV; u++) {
    to->upv[u].v = rebase(from, to, to->upv[u].v);
    rebase_value(from, to, &to->upv[u].u.value);
    to->cl.upvals[u] = rebase(from, to, to->cl.upvals[u]);
  }
}

/* A value with pointers into its world made relative to the world. */
static uint64_t canon(const lua_world *w, const TValue *o) {
  if (o->tt == TAG_NIL || o->tt == TAG_FALSE || o->tt == TAG_TRUE)
    return 0;
  const char *p = (const char *)o->v.gc;
  if ((o->tt & TAG_COLLECTABLE) && p >= (const char *)w &&
      p < (const char *)w + WORLD_SIZE)
    return (uint64_t)(p - (const char *)w);
  return (uint64_t)o->v.i;
}

static int same(const lua_world *a, const TValue *x, const lua_world *b,
                const TValue *y) {
  return x->tt == y->tt && canon(a, x) == canon(b, y);
}

/* A word of the spill area: equal, the same place in each world, or two
 * NaNs (a float register's bits). */
static int same_word(const lua_world *a, uint64_t x, const lua_world *b,
                     uint64_t y) {
  if (x == y)
    return 1;
  uint64_t ra = x - (uint64_t)(uintptr_t)a, rb = y - (uint64_t)(uintptr_t)b;
  if (ra < WORLD_SIZE && ra == rb)
    return 1;
  double dx, dy;
  memcpy(&dx, &x, sizeof dx);
  memcpy(&dy, &y, sizeof dy);
  return isnan(dx) && isnan(dy);
}

static int world_equal(const void *ap, const void *bp, char *why, size_t len) {
  const lua_world *a = ap, *b = bp;
  for (int i = 0; i < NSPILL; i++)
    if (!same_word(a, a->spill[i], b, b->spill[i])) {
      snprintf(why, len, "spill[%d] (%s): %llx/%llx", i,
               i < lua_NGPR ? "gpr dump"
               : i < NFILE  ? "fpr dump"
                            : "spill slot",
               (unsigned long long)a->spill[i],
               (unsigned long long)b->spill[i]);
      return 0;
    }
  for (int i = 0; i < 1 + NSLOTS; i++)
    if (!same(a, &a->frame[i], b, &b->frame[i])) {
      snprintf(why, len, "slot %d: tag %d/%d payload %llx/%llx", i - 1,
               a->frame[i].tt, b->frame[i].tt,
               (unsigned long long)a->frame[i].v.i,
               (unsigned long long)b->frame[i].v.i);
      return 0;
    }
  for (int t = 0; t < NTAB; t++)
    for (int k = 0; k < ASIZE; k++)
      if (!same(a, &a->arr[t][k], b, &b->arr[t][k])) {
        snprintf(why, len, "table %d[%d]", t, k + 1);
        return 0;
      }
  for (int u = 0; u < NUPV; u++)
    if (!same(a, &a->upv[u].u.value, b, &b->upv[u].u.value)) {
      snprintf(why, len, "upvalue %d", u);
      return 0;
    }
  return 1;
}

static void world_args(void *wp, void **state, void **frame, void **spill) {
  lua_world *w = wp;
  *state = NULL; /* no uop the benchmark runs reads the lua_State */
  *frame = w->frame + 1;
  *spill = w->spill;
}

static uint64_t ref_run(void *wp, const cpjit_uop *u, uint32_t n,
                        const cpjit_exit *e, uint32_t ne, uint64_t max_steps) {
  (void)ne;
  lua_world *w = wp;
  return lua_ref_run(NULL, w->frame + 1, u, n, e, w->spill, max_steps);
}

typedef uint64_t (*lua_entry_fn)(lua_State *L, TValue *base, uint64_t *spill);

static uint64_t cpjit_run(void *entry, void *wp) {
  lua_world *w = wp;
  lua_entry_fn f;
  memcpy(&f, &entry, sizeof f);
  return f(NULL, w->frame + 1, w->spill);
}

/* Whether a trace stays inside this benchmark's world when it runs. Real
 * corpora (cpjit-lua -jsave) name objects of another process and are
 * compiled, never run; this admits what the generator below emits and
 * checks the operands a world depends on: slots inside the frame, stores
 * only into the scratch slots, spill slots inside the spill area,
 * constant array indices inside every array part, upvalues inside the
 * closure, and no op that needs the real VM (EXEC, field helpers, hash
 * parts, prototypes). */
static int is_slot(uint64_t d) { return d % 16 == 0 && d / 16 < NSLOTS; }
static int is_tmp(uint64_t d) { return is_slot(d) && d / 16 >= SL_TMP; }

static int has_prefix(const char *s, const char *p) {
  return strncmp(s, p, strlen(p)) == 0;
}

static int runnable_ruop(const cpjit_uop *x, const char *name) {
  uint64_t a = x->arg, k = x->operand[0];
  if (has_prefix(name, "SLOAD"))
    return is_slot(a);
  if (has_prefix(name, "SSTORE"))
    return is_tmp(a);
  if (has_prefix(name, "SPILL") || has_prefix(name, "RELOAD"))
    return k >= NFILE && k < NSPILL;
  if (has_prefix(name, "ULOAD"))
    return k < NUPV;
  if (has_prefix(name, "ALOADK") || has_prefix(name, "ASTOREK") ||
      !strcmp(name, "GARR_GK"))
    return k < AK_LIMIT;
  return !has_prefix(name, "GHKEY") && !has_prefix(name, "HLOAD") &&
         !has_prefix(name, "HSTORE") && strcmp(name, "GFUNCP_G") != 0;
}

static int runnable(const cpjit_uop *u, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    const cpjit_uop *x = &u[i];
    uint64_t a = x->arg;
    if (x->op >= UOP__COUNT) {
      uint32_t which;
      uint8_t reg[3];
      if (!lua_ruop_decode(x->op, &which, reg) ||
          !runnable_ruop(x, lua_ruops[which].name))
        return 0;
      continue;
    }
    switch (x->op) {
    case UOP_JUMP:
      if (x->target >= n)
        return 0;
      continue;
    case UOP_EXIT:
      continue;
    case UOP_G_NIL:
    case UOP_G_TAG_EQ:
    case UOP_G_TRUTHY:
    case UOP_G_FALSY:
      if (!is_slot(a))
        return 0;
      continue;
    case UOP_K:
      if (!is_tmp(a))
        return 0;
      continue;
    case UOP_SETUPVAL:
    case UOP_G_UPTAG:
      if (!is_slot(a) || x->operand[0] >= NUPV)
        return 0;
      continue;
    default:
      return 0;
    }
  }
  return 1;
}

/* The reference executor's EXEC case links against the interpreter's slow
 * path, which needs a whole running VM. The benchmark never runs a trace
 * containing EXEC (runnable() above); if one ran anyway, this says so and
 * stops instead of corrupting memory. */
void jit_h_exec(lua_State *L, const Instruction *pc) {
  (void)L, (void)pc;
  bench_missing_helper();
}

void jit_h_exec_f(lua_State *L, const Instruction *pc, const void *frame) {
  (void)L, (void)pc, (void)frame;
  bench_missing_helper();
}

/* The raw field helpers of GETFIELD_S / SETFIELD_S / GETTABUP_S live in the
 * runtime too; the generator never emits those uops. */
const TValue *tab_getshortstr(Table *t, TString *key) {
  (void)t, (void)key;
  bench_missing_helper();
  return NULL;
}

const TValue *tab_getint(Table *t, lua_Integer key) {
  (void)t, (void)key;
  bench_missing_helper();
  return NULL;
}

lua_Unsigned tab_getn(Table *t) {
  (void)t;
  bench_missing_helper();
  return 0;
}

void jit_h_setfield(lua_State *L, Table *t, TString *key, const TValue *val) {
  (void)L, (void)t, (void)key, (void)val;
  bench_missing_helper();
}

int jit_h_str(lua_State *L, TValue *base, uint64_t what, uint64_t k) {
  (void)L, (void)base, (void)what, (void)k;
  bench_missing_helper();
  return 1;
}

int jit_h_next(TValue *ra, uint32_t c) {
  (void)ra, (void)c;
  bench_missing_helper();
  return 1;
}

int jit_h_setmt(lua_State *L, TValue *t, const TValue *mt) {
  (void)L, (void)t, (void)mt;
  bench_missing_helper();
  return 1;
}

const TValue *tab_get(Table *t, const TValue *key) {
  (void)t, (void)key;
  bench_missing_helper();
  return NULL;
}

int jit_h_newtable(lua_State *L, TValue *ra, uint64_t sizes) {
  (void)L, (void)ra, (void)sizes;
  bench_missing_helper();
  return 1;
}

void jit_h_setlist(lua_State *L, TValue *ra, uint32_t n, uint32_t first) {
  (void)L, (void)ra, (void)n, (void)first;
  bench_missing_helper();
}

void func_closeupval(lua_State *L, StkId level) {
  (void)L, (void)level;
  bench_missing_helper();
}

/* -- Traces ---------------------------------------------------------------- *
 * Shaped like what cpjit-lua's lowering (runtime/trace/ir_lower.c) emits:
 * typed slot loads into the register file, then a loop body of register
 * arithmetic, compares (guards), spills, table accesses behind their
 * guards, slot stores and a few slot-level uops, closed by the counter's
 * increment, its guard and a JUMP back to the loop start.
 *
 * The register file is split so that every register keeps one kind of
 * value across iterations (a pointer never meets integer arithmetic,
 * which would make results depend on where the world lies):
 *   g0..g2 integers, g3 a table of the table group, g4 the loop counter,
 *   g5 its limit; f0..f5 floats. Spill slots keep their kind likewise. */

enum { G_INTS = 3, G_TAB = 3, G_COUNT = 4, G_LIMIT = 5 };

/* What the generator knows of a slot's type, as a recorder would: the
 * world's fixed groups, and what earlier uops of the trace wrote. */
enum { TY_UNKNOWN, TY_INT, TY_FLT, TY_OTHER };

typedef struct gen {
  cpjit_uop *u;
  cpjit_exit *e;
  uint32_t n, ne;
  int hot;
  uint8_t ty[NSLOTS];
  uint8_t spill_kind[NSPILL_SLOTS]; /* 0 unused, 1 integer, 2 float */
  int tab;                          /* table in g3 (index in the group) */
  /* Hot loops: array elements the trace stored (their type), so loads of
   * them cannot fail. */
  uint8_t aty[NTAB][AK_LIMIT];
  /* Mixed traces compare only values LLVM knows nothing about: loaded
   * from a slot of the int (float) group no compare has constrained yet,
   * or x + y, x * y ... of two such values. gsrc / fsrc: the group slots
   * (bit k: slot k of the group) a register's value comes from, 0 when it
   * is not such a value; used_i / used_f: the slots compares have
   * constrained. (A compare LLVM can decide from earlier guards -- say
   * x < 3 after x < 2, or any compare of a constant -- is folded and the
   * rest of the trace deleted as dead code.) */
  uint16_t gsrc[lua_NGPR], fsrc[lua_NFPR], used_i, used_f;
} gen;

/* The op of register uop `first` (lua_OP_<NAME>) with registers r0..r2. */
static uint16_t rop(uint32_t first, int r0, int r1, int r2) {
  uint32_t which;
  uint8_t reg[3];
  if (!lua_ruop_decode(first, &which, reg) || lua_ruops[which].first != first)
    return UOP_EXIT; /* unreachable with the lua_OP_ names below */
  const cpjit_ruop_info *ri = &lua_ruops[which];
  const int r[3] = {r0, r1, r2};
  uint32_t v = 0;
  for (int k = 0; k < ri->noperands; k++)
    v = v * ri->size[k] + (uint32_t)r[k];
  return (uint16_t)(first + v);
}

/* A uop with its own exit (every guard of a recorded trace has one). */
static uint32_t emit(gen *g, uint16_t op, uint64_t arg, uint64_t b,
                     uint64_t c) {
  cpjit_uop *u = &g->u[g->n];
  memset(u, 0, sizeof *u);
  u->op = op;
  u->arg = (uint16_t)arg;
  u->operand[0] = b;
  u->operand[1] = c;
  u->exit = g->ne;
  g->e[g->ne].operand[0] = 1000 + g->ne;
  g->e[g->ne].operand[1] = 0;
  g->ne++;
  return g->n++;
}

#define D(slot) ((uint64_t)(16 * (slot)))
#define R1(op, a) rop(op, a, 0, 0)
#define R2(op, a, b) rop(op, a, b, 0)
#define R3(op, a, b, c) rop(op, a, b, c)

static const uint32_t int_rr[] = {
    lua_OP_ADD_GG,  lua_OP_SUB_GG, lua_OP_MUL_GG,  lua_OP_BAND_GG,
    lua_OP_BOR_GG,  lua_OP_BXOR_GG, lua_OP_SHL_GG, lua_OP_SHR_GG,
    lua_OP_IDIV_GG, lua_OP_MOD_GG, lua_OP_MIN_GG,  lua_OP_MAX_GG};
static const uint32_t int_rk[] = {
    lua_OP_ADD_GK,  lua_OP_SUB_GK, lua_OP_MUL_GK,  lua_OP_BAND_GK,
    lua_OP_BOR_GK,  lua_OP_BXOR_GK, lua_OP_SHL_GK, lua_OP_SHR_GK,
    lua_OP_IDIV_GK, lua_OP_MOD_GK};
static const uint32_t int_r[] = {lua_OP_UNM_G, lua_OP_BNOT_G, lua_OP_ABS_G};
static const uint32_t flt_rr[] = {lua_OP_ADD_FF,  lua_OP_SUB_FF, lua_OP_MUL_FF,
                                  lua_OP_DIV_FF,  lua_OP_MOD_FF, lua_OP_IDIV_FF,
                                  lua_OP_POW_FF,  lua_OP_MIN_FF, lua_OP_MAX_FF};
static const uint32_t flt_rk[] = {lua_OP_ADD_FK, lua_OP_SUB_FK, lua_OP_MUL_FK,
                                  lua_OP_DIV_FK};
static const uint32_t flt_r[] = {lua_OP_UNM_F,  lua_OP_ABS_F, lua_OP_SQRT_F,
                                 lua_OP_SIN_F,  lua_OP_COS_F, lua_OP_EXP_F,
                                 lua_OP_LOG_F,  lua_OP_FLOOR_F,
                                 lua_OP_CEIL_F};
static const uint32_t int_cmp_rr[] = {lua_OP_LT_GG, lua_OP_LE_GG, lua_OP_EQ_GG,
                                      lua_OP_NE_GG};
/* (No equality with a constant: once it passes, the value is known.) */
static const uint32_t int_cmp_rk[] = {lua_OP_LT_GK, lua_OP_LE_GK, lua_OP_GT_GK,
                                      lua_OP_GE_GK, lua_OP_NE_GK};
static const uint32_t flt_cmp_rr[] = {lua_OP_LT_FF, lua_OP_LE_FF, lua_OP_EQ_FF,
                                      lua_OP_NE_FF};
static const uint32_t flt_cmp_rk[] = {lua_OP_LT_FK, lua_OP_LE_FK, lua_OP_GT_FK,
                                      lua_OP_GE_FK, lua_OP_NE_FK};
#define PICK(a, s) ((a)[bench_rand(s) % COUNT(a)])

static uint64_t fbits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

/* Load a table of the group into g3 with its guards (the type is in the
 * SLOAD, no metatable, the constant index inside the array part). */
static void load_table(gen *g, uint64_t *s, uint32_t idx) {
  g->tab = (int)(bench_rand(s) % (NTAB - 1)); /* the last has a metatable */
  emit(g, R1(lua_OP_SLOAD_P, G_TAB), D(SL_TAB + g->tab), 0, TAG_TABLE);
  emit(g, R1(lua_OP_GNOMT_G, G_TAB), 0, 0, 0);
  emit(g, R1(lua_OP_GARR_GK, G_TAB), 0, idx, 0);
}

static void load_int(gen *g, int r, int k) {
  emit(g, R1(lua_OP_SLOAD_I, r), D(SL_INT + k), 0, 0);
  g->gsrc[r] = g->used_i & (1u << k) ? 0 : (uint16_t)(1u << k);
}

static void load_flt(gen *g, int r, int k) {
  emit(g, R1(lua_OP_SLOAD_F, r), D(SL_FLT + k), 0, 0);
  g->fsrc[r] = g->used_f & (1u << k) ? 0 : (uint16_t)(1u << k);
}

/* A fresh value in a register of n (see gen.gsrc), loading one from an
 * unconstrained group slot when no register has one; -1 when every slot
 * of the group is constrained. */
static int fresh_reg(gen *g, uint16_t *src, int n, uint16_t used, int flt,
                     uint64_t *s) {
  int start = (int)(bench_rand(s) % (uint64_t)n);
  for (int i = 0; i < n; i++)
    if (src[(start + i) % n])
      return (start + i) % n;
  for (int k = 0; k < 8; k++)
    if (!(used & (1u << k))) {
      if (flt)
        load_flt(g, start, k);
      else
        load_int(g, start, k);
      return start;
    }
  return -1;
}

/* After a compare of values of the slots `mask`: those slots, and every
 * value that comes from them, are constrained. */
static void constrain(uint16_t *src, int n, uint16_t *used, uint16_t mask) {
  *used |= mask;
  for (int i = 0; i < n; i++)
    if (src[i] & *used)
      src[i] = 0;
}

static void int_compare(gen *g, uint64_t *s, int64_t k) {
  int a = fresh_reg(g, g->gsrc, G_INTS, g->used_i, 0, s);
  if (a < 0)
    return;
  int b = -1;
  for (int i = 0; i < G_INTS; i++)
    if (i != a && g->gsrc[i])
      b = i;
  uint16_t mask = g->gsrc[a];
  if (b >= 0 && bench_rand(s) % 2) {
    emit(g, R2(PICK(int_cmp_rr, s), a, b), 0, 0, 0);
    mask |= g->gsrc[b];
  } else {
    emit(g, R1(PICK(int_cmp_rk, s), a), 0, (uint64_t)k, 0);
  }
  constrain(g->gsrc, G_INTS, &g->used_i, mask);
}

static void flt_compare(gen *g, uint64_t *s, double k) {
  int a = fresh_reg(g, g->fsrc, lua_NFPR, g->used_f, 1, s);
  if (a < 0)
    return;
  int b = -1;
  for (int i = 0; i < lua_NFPR; i++)
    if (i != a && g->fsrc[i])
      b = i;
  uint16_t mask = g->fsrc[a];
  if (b >= 0 && bench_rand(s) % 2) {
    emit(g, R2(PICK(flt_cmp_rr, s), a, b), 0, 0, 0);
    mask |= g->fsrc[b];
  } else {
    emit(g, R1(PICK(flt_cmp_rk, s), a), 0, fbits(k), 0);
  }
  constrain(g->fsrc, lua_NFPR, &g->used_f, mask);
}

/* One recorded-looking instruction. In a hot loop no guard can fail. */
static void random_instruction(gen *g, uint64_t *s) {
  int hot = g->hot;
  int gi = (int)(bench_rand(s) % G_INTS), gj = (int)(bench_rand(s) % G_INTS);
  int fi = (int)(bench_rand(s) % lua_NFPR), fj = (int)(bench_rand(s) % lua_NFPR);
  int tmp = SL_TMP + (int)(bench_rand(s) % (NSLOTS - SL_TMP));
  int64_t k = (int64_t)(bench_rand(s) % 20) - 10;
  double kf = (double)k * 0.75 + 0.5;
  unsigned what = (unsigned)(bench_rand(s) % 16);
  uint16_t ogi = g->gsrc[gi], ogj = g->gsrc[gj];
  uint16_t ofi = g->fsrc[fi], ofj = g->fsrc[fj];
  if (what != 7) /* the registers an instruction may write */
    g->gsrc[gi] = g->gsrc[gj] = g->fsrc[fi] = g->fsrc[fj] = 0;
  switch (what) {
  case 0:
  case 1: {
    uint32_t op = PICK(int_rr, s);
    emit(g, R2(op, gi, gj), 0, 0, 0);
    if (gi != gj && ogi && ogj &&
        (op == lua_OP_ADD_GG || op == lua_OP_SUB_GG || op == lua_OP_MUL_GG ||
         op == lua_OP_BXOR_GG))
      g->gsrc[gi] = ogi | ogj, g->gsrc[gj] = ogj;
    break;
  }
  case 2:
    emit(g, R1(PICK(int_rk, s), gi), 0, (uint64_t)k, 0);
    break;
  case 3:
    emit(g, R1(PICK(int_r, s), gi), 0, 0, 0);
    break;
  case 4:
  case 5: {
    uint32_t op = PICK(flt_rr, s);
    emit(g, R2(op, fi, fj), 0, 0, 0);
    if (fi != fj && ofi && ofj &&
        (op == lua_OP_ADD_FF || op == lua_OP_SUB_FF || op == lua_OP_MUL_FF ||
         op == lua_OP_DIV_FF))
      g->fsrc[fi] = ofi | ofj, g->fsrc[fj] = ofj;
    break;
  }
  case 6:
    if (bench_rand(s) % 2)
      emit(g, R1(PICK(flt_rk, s), fi), 0, fbits(kf), 0);
    else
      emit(g, R1(PICK(flt_r, s), fi), 0, 0, 0);
    break;
  case 7: /* a compare: a guard that may fail, or (hot) one that cannot */
    if (hot)
      emit(g, R1(lua_OP_GE_GK, G_COUNT), 0, 0, 0);
    else if (bench_rand(s) % 2)
      int_compare(g, s, k);
    else
      flt_compare(g, s, kf);
    break;
  case 8: /* moves and conversions */
    if (bench_rand(s) % 2) {
      emit(g, R2(lua_OP_MOV_G, gi, gj), 0, 0, 0);
      emit(g, R2(lua_OP_MOV_F, fi, fj), 0, 0, 0);
    } else {
      emit(g, R2(lua_OP_CONV_FG, fi, gj), 0, 0, 0);
      if (!hot) /* exits unless the float fits an integer */
        emit(g, R2(lua_OP_TOINT_GF, gi, fj), 0, 0, 0);
    }
    break;
  case 9: { /* spill and reload */
    int slot = (int)(bench_rand(s) % NSPILL_SLOTS);
    int fl = bench_rand(s) % 2;
    if (g->spill_kind[slot] == 0 || bench_rand(s) % 2) {
      emit(g, fl ? R1(lua_OP_SPILL_F, fi) : R1(lua_OP_SPILL_G, gi), 0,
           8u * (NFILE + (uint64_t)slot), 0);
      g->spill_kind[slot] = (uint8_t)(fl ? 2 : 1);
    } else if (g->spill_kind[slot] == 2) {
      emit(g, R1(lua_OP_RELOAD_F, fi), 0, 8u * (NFILE + (uint64_t)slot), 0);
    } else {
      emit(g, R1(lua_OP_RELOAD_G, gi), 0, 8u * (NFILE + (uint64_t)slot), 0);
    }
    break;
  }
  case 10: /* slot loads: the fixed groups, or (mixed) a scratch slot
            * of a type the trace has not decided (never a load whose
            * guard is known to fail: LLVM would drop the rest) */
    if (!hot && bench_rand(s) % 3 == 0 && g->ty[tmp] != TY_FLT &&
        (g->ty[tmp] == TY_INT || bench_rand(s) % 2)) {
      emit(g, R1(lua_OP_SLOAD_I, gi), D(tmp), 0, 0);
      g->ty[tmp] = TY_INT; /* when it passes */
    } else if (!hot && bench_rand(s) % 3 == 0 && g->ty[tmp] != TY_INT) {
      emit(g, R1(lua_OP_SLOAD_F, fi), D(tmp), 0, 0);
      g->ty[tmp] = TY_FLT;
    } else if (bench_rand(s) % 2) {
      load_int(g, gi, (int)(bench_rand(s) % 8));
    } else {
      load_flt(g, fi, (int)(bench_rand(s) % 8));
    }
    break;
  case 11: /* slot stores */
    if (bench_rand(s) % 2)
      emit(g, R1(lua_OP_SSTORE_I, gi), D(tmp), 0, 0), g->ty[tmp] = TY_INT;
    else
      emit(g, R1(lua_OP_SSTORE_F, fi), D(tmp), 0, 0), g->ty[tmp] = TY_FLT;
    break;
  case 12: { /* array part, constant index */
    uint32_t idx = (uint32_t)(bench_rand(s) % AK_LIMIT);
    load_table(g, s, idx);
    uint8_t *known = &g->aty[g->tab][idx];
    if (hot && *known == TY_UNKNOWN) { /* store first, then it is known */
      if (bench_rand(s) % 2)
        emit(g, R2(lua_OP_ASTOREK_I, G_TAB, gi), 0, idx, 0), *known = TY_INT;
      else
        emit(g, R2(lua_OP_ASTOREK_F, G_TAB, fi), 0, idx, 0), *known = TY_FLT;
    } else if (hot) {
      if (*known == TY_INT)
        emit(g, R2(lua_OP_ALOADK_I, gi, G_TAB), 0, idx, 0);
      else
        emit(g, R2(lua_OP_ALOADK_F, fi, G_TAB), 0, idx, 0);
    } else {
      /* loads guard the element's type: once the trace knows it (from a
       * store or a load that passed), only that type */
      unsigned c = (unsigned)(bench_rand(s) % 4);
      if (c < 2 && *known != TY_UNKNOWN)
        c = *known == TY_INT ? 0 : 1;
      switch (c) {
      case 0:
        emit(g, R2(lua_OP_ALOADK_I, gi, G_TAB), 0, idx, 0);
        *known = TY_INT;
        break;
      case 1:
        emit(g, R2(lua_OP_ALOADK_F, fi, G_TAB), 0, idx, 0);
        *known = TY_FLT;
        break;
      case 2:
        emit(g, R2(lua_OP_ASTOREK_I, G_TAB, gi), 0, idx, 0);
        *known = TY_INT;
        break;
      default:
        emit(g, R2(lua_OP_ASTOREK_F, G_TAB, fi), 0, idx, 0);
        *known = TY_FLT;
        break;
      }
    }
    break;
  }
  case 13: /* array part, register index (mixed: the guard may fail) */
    if (hot) {
      emit(g, R2(lua_OP_EQ_GG, G_COUNT, G_COUNT), 0, 0, 0);
    } else {
      /* the index is a value no compare has constrained (the bounds
       * check is one); gi is written below, so it is not fresh */
      int x = fresh_reg(g, g->gsrc, G_INTS, g->used_i, 0, s);
      if (x < 0 || x == gj)
        break;
      load_table(g, s, 0);
      emit(g, R2(lua_OP_GARR_GG, G_TAB, x), 0, 0, 0);
      constrain(g->gsrc, G_INTS, &g->used_i, g->gsrc[x]);
      if (bench_rand(s) % 2)
        emit(g, R3(lua_OP_ALOAD_I, gj, G_TAB, x), 0, 0, 0);
      else
        emit(g, R3(lua_OP_ASTORE_F, G_TAB, x, fi), 0, 0, 0);
    }
    break;
  case 14: /* slot-level uops: constants and type guards */
    if (bench_rand(s) % 2) {
      emit(g, UOP_K, D(tmp), (uint64_t)k, TAG_INT);
      g->ty[tmp] = TY_INT;
    } else if (hot || bench_rand(s) % 2) {
      /* the world's nil, false and true (always the same guard) */
      emit(g, UOP_G_NIL, D(SL_MISC), 0, 0);
      emit(g, UOP_G_FALSY, D(SL_MISC + 1), 0, 0);
      emit(g, UOP_G_TRUTHY, D(SL_MISC + 2), 0, 0);
    } else if (g->ty[tmp] == TY_UNKNOWN) {
      /* a guard on a scratch slot the trace has not written */
      int fl = bench_rand(s) % 2;
      emit(g, UOP_G_TAG_EQ, D(tmp), 0, fl ? TAG_FLT : TAG_INT);
      g->ty[tmp] = fl ? TY_FLT : TY_INT; /* when it passes */
    } else {
      emit(g, UOP_G_TAG_EQ, D(tmp), 0, g->ty[tmp] == TY_INT ? TAG_INT : TAG_FLT);
    }
    break;
  default: /* upvalues */
    if (hot || bench_rand(s) % 2) {
      emit(g, UOP_SETUPVAL, D(SL_INT + bench_rand(s) % 8),
           bench_rand(s) % NUPV, 0);
    } else {
      emit(g, UOP_G_UPTAG, 0, bench_rand(s) % NUPV, TAG_INT);
      emit(g, R1(lua_OP_ULOAD_I, gi), 0, bench_rand(s) % NUPV, 0);
    }
    break;
  }
}

static int generate(uint64_t *seed, uint32_t len, int kind, cpjit_uop *u,
                    uint32_t maxu, uint32_t *nu, cpjit_exit *e, uint32_t maxe,
                    uint32_t *ne) {
  gen g;
  memset(&g, 0, sizeof g);
  g.u = u;
  g.e = e;
  g.hot = kind == BENCH_GEN_HOTLOOP;
  /* The prologue is 14 uops, the longest instruction 5, the loop end 3. */
  if (len + 32 > maxu || len + 32 > maxe)
    return -1;
  for (int i = 0; i < G_INTS; i++)
    load_int(&g, i, (int)(bench_rand(seed) % 8));
  for (int i = 0; i < lua_NFPR; i++)
    load_flt(&g, i, (int)(bench_rand(seed) % 8));
  load_table(&g, seed, 0);
  emit(&g, R1(lua_OP_SLOAD_I, G_COUNT), D(SL_COUNT), 0, 0);
  emit(&g, R1(lua_OP_SLOAD_I, G_LIMIT), D(g.hot ? SL_HOT : SL_MIXED), 0, 0);
  uint32_t head = g.n;
  while (g.n + 3 < len || g.n == head)
    random_instruction(&g, seed);
  emit(&g, R1(lua_OP_ADD_GK, G_COUNT), 0, 1, 0);
  emit(&g, R2(lua_OP_LT_GG, G_COUNT, G_LIMIT), 0, 0, 0);
  uint32_t j = emit(&g, UOP_JUMP, 0, 0, 0);
  g.u[j].target = head;
  *nu = g.n;
  *ne = g.ne;
  return 0;
}

static const cpjit_stencil_set *stencils(void) { return &lua_stencil_set; }

/* Corpus names of every op: the slot-level uops, then the register uop
 * variants as their stencils are named, filled in before main(). */
static const char *op_names[lua_NOPS];
static trace_corpus_ops built_names;

__attribute__((constructor)) static void build_op_names(void) {
  if (trace_corpus_ops_with_ruops(&built_names, lua_uop_names, UOP__COUNT,
                                  lua_ruops, lua_NRUOPS) != 0 ||
      built_names.count != lua_NOPS) {
    fprintf(stderr, "compile-bench: cannot build cpjit-lua's op names\n");
    exit(2);
  }
  for (uint32_t i = 0; i < lua_NOPS; i++)
    op_names[i] = built_names.names[i];
}

const bench_set bench_set_lua = {
    .name = "lua",
    .ops = {(const char *const *)op_names, lua_NOPS},
    .nslot_ops = UOP__COUNT,
    .ruops = lua_ruops,
    .nruops = lua_NRUOPS,
    .ngpr = lua_NGPR,
    .nfpr = lua_NFPR,
    .spill_arg = 1,
    .stencils = stencils,
    .world_size = WORLD_SIZE,
    .world_init = world_init,
    .world_clone = world_clone,
    .world_equal = world_equal,
    .world_args = world_args,
    .ref_run = ref_run,
    .step_limit = LUA_REF_STEP_LIMIT,
    .cpjit_run = cpjit_run,
    .runnable = runnable,
    .generate = generate,
};
