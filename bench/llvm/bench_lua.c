/*
 * bench_lua.c -- cpjit-lua's uop set for the compile benchmark. A world is
 * a Lua frame of tagged values (integers, floats, tables with array parts,
 * nil/booleans/a string, an integer for loop's state, scratch slots) below
 * which sits a closure with upvalues; traces are type-guarded the way the
 * recorder guards them.
 */
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

enum {
  SL_INT = 0,   /* 0..7 integers */
  SL_FLT = 8,   /* 8..15 floats */
  SL_TAB = 16,  /* 16..19 tables, the last one with a metatable */
  SL_MISC = 20, /* nil, false, true, a string */
  SL_FOR = 24,  /* 24..27 integer for loop state */
  SL_TMP = 28   /* 28..39 scratch, any type */
};

typedef struct lua_world {
  TValue frame[1 + NSLOTS]; /* frame[0]: the running closure */
  Table tab[NTAB + 1];      /* tab[NTAB]: the metatable */
  TValue arr[NTAB][ASIZE];
  UpVal upv[NUPV];
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
  /* A for loop of 1..20 (count 19 more steps after the first). */
  set_int(&base[SL_FOR + 0], 1);
  set_int(&base[SL_FOR + 1], 19);
  set_int(&base[SL_FOR + 2], 1);
  set_int(&base[SL_FOR + 3], 1);
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

static int world_equal(const void *ap, const void *bp, char *why, size_t len) {
  const lua_world *a = ap, *b = bp;
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

static void world_args(void *wp, void **state, void **frame) {
  lua_world *w = wp;
  *state = NULL; /* no uop the benchmark runs reads the lua_State */
  *frame = w->frame + 1;
}

static uint64_t ref_run(void *wp, const cpjit_uop *u, uint32_t n,
                        const cpjit_exit *e, uint32_t ne, uint64_t max_steps) {
  (void)ne;
  lua_world *w = wp;
  return lua_ref_run(NULL, w->frame + 1, u, n, e, max_steps);
}

typedef uint64_t (*lua_entry_fn)(lua_State *L, TValue *base);

static uint64_t cpjit_run(void *entry, void *wp) {
  lua_world *w = wp;
  lua_entry_fn f;
  memcpy(&f, &entry, sizeof f);
  return f(NULL, w->frame + 1);
}

/* Whether a trace stays inside this benchmark's world when it runs: a
 * corpus recorded elsewhere (cpjit-lua -jsave) names slots, tables and
 * objects of another process. Conservative: every slot operand inside the
 * frame, tables read only from the table group, which nothing writes, the
 * for loop only at its slots, constant indices inside every array part,
 * upvalue indices inside the closure, and no EXEC (it runs a bytecode
 * instruction in the real interpreter). Such traces are compiled, not run. */
static int is_slot(uint64_t d, int width) {
  return d % 16 == 0 && d / 16 + (uint64_t)width <= NSLOTS;
}

static int in_tables(uint64_t d) {
  return d % 16 == 0 && d / 16 >= SL_TAB && d / 16 < SL_TAB + NTAB;
}

static int runnable(const cpjit_uop *u, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    const cpjit_uop *x = &u[i];
    const char *name = lua_uop_names[x->op];
    uint64_t a = x->arg, b = x->operand[0], c = x->operand[1];
    int guard = name[0] == 'G' && name[1] == '_';
    size_t len = strlen(name);
    int cmp = x->op != UOP_UNM_F && len > 2 && name[len - 2] == '_' &&
              (name[len - 1] == 'T' || name[len - 1] == 'F');
    int k1 = strstr(name, "_IK") || strstr(name, "_NK") || strstr(name, "_FK");
    switch (x->op) {
    case UOP_EXEC:
      return 0;
    case UOP_JUMP:
    case UOP_EXIT:
      continue;
    case UOP_FORLOOP_I:
    case UOP_FORLOOP_F:
      if (a != 16 * SL_FOR)
        return 0;
      continue;
    case UOP_K:
    case UOP_KNIL:
      if (!is_slot(a, 1) || in_tables(a))
        return 0;
      continue;
    case UOP_GETUPVAL:
    case UOP_SETUPVAL:
      if (!is_slot(a, 1) || b >= NUPV ||
          (x->op == UOP_GETUPVAL && in_tables(a)))
        return 0;
      continue;
    case UOP_G_NOMT:
    case UOP_G_ARR:
    case UOP_G_ARRK:
      if (!in_tables(a) || (x->op == UOP_G_ARR && !is_slot(b, 1)))
        return 0;
      continue;
    case UOP_GETI_A:
    case UOP_GETI_AK:
      if (!is_slot(a, 1) || in_tables(a) || !in_tables(b) ||
          (x->op == UOP_GETI_A ? !is_slot(c, 1) : c >= ASIZE - NTAB + 1))
        return 0;
      continue;
    case UOP_SETI_A:
    case UOP_SETI_AK:
      if (!in_tables(a) || !is_slot(c, 1) ||
          (x->op == UOP_SETI_A ? !is_slot(b, 1) : b >= ASIZE - NTAB + 1))
        return 0;
      continue;
    default:
      break;
    }
    /* Type guards, compares, arithmetic, MOV: A, B, and C unless it is an
     * immediate; everything but a guard or compare writes A. */
    if (!is_slot(a, 1) || (!guard && !cmp && in_tables(a)))
      return 0;
    if (!guard && !is_slot(b, 1))
      return 0;
    if (!guard && !k1 && x->op != UOP_MOV && !strstr(name, "UNM_") &&
        x->op != UOP_BNOT_I && !is_slot(c, 1))
      return 0;
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

/* The raw field helpers of GETFIELD_S / SETFIELD_S / GETTABUP_S live in the
 * runtime too; the generator never emits those uops. */
const TValue *tab_getshortstr(Table *t, TString *key) {
  (void)t, (void)key;
  bench_missing_helper();
  return NULL;
}

void jit_h_setfield(lua_State *L, Table *t, TString *key, const TValue *val) {
  (void)L, (void)t, (void)key, (void)val;
  bench_missing_helper();
}

/* -- Traces ---------------------------------------------------------------- */

/* What the generator knows of a slot's type, as a recorder would: the
 * world's fixed groups, and what earlier uops of the trace wrote. */
enum { TY_UNKNOWN, TY_INT, TY_FLT, TY_OTHER };

typedef struct gen {
  cpjit_uop *u;
  cpjit_exit *e;
  uint32_t n, ne, maxu, maxe;
  uint8_t ty[NSLOTS];
} gen;

static void gen_init_types(gen *g) {
  for (int i = 0; i < NSLOTS; i++)
    g->ty[i] = i < SL_FLT   ? TY_INT
               : i < SL_TAB ? TY_FLT
               : i < SL_FOR ? TY_OTHER
               : i < SL_TMP ? TY_INT
                            : TY_UNKNOWN;
}

/* A source for an integer operation: a guard on a slot known to hold
 * something else would fail on every run (a recorder never emits one, and
 * LLVM -O2 would fold it and drop the rest of the trace), so such a slot
 * is replaced by an integer one. */
static int int_source(const gen *g, int b, uint64_t *s) {
  if (g->ty[b] == TY_FLT || g->ty[b] == TY_OTHER)
    return SL_INT + (int)(bench_rand(s) % 8);
  return b;
}

#define D(r) ((uint64_t)(16 * (r)))

/* A uop with its own exit (every guard of a recorded trace has one). */
static uint32_t emit(gen *g, uint16_t op, int a, uint64_t b, uint64_t c) {
  cpjit_uop *u = &g->u[g->n];
  memset(u, 0, sizeof *u);
  u->op = op;
  u->arg = (uint16_t)(16 * a);
  u->operand[0] = b;
  u->operand[1] = c;
  u->exit = g->ne;
  g->e[g->ne].operand[0] = 1000 + g->ne;
  g->e[g->ne].operand[1] = 0;
  g->ne++;
  return g->n++;
}

static const uint16_t int_ops[] = {
    UOP_ADD_II,  UOP_SUB_II, UOP_MUL_II,  UOP_IDIV_II, UOP_MOD_II,
    UOP_BAND_II, UOP_BOR_II, UOP_BXOR_II, UOP_SHL_II,  UOP_SHR_II};
static const uint16_t int_k_ops[] = {
    UOP_ADD_IK,  UOP_SUB_IK, UOP_MUL_IK,  UOP_IDIV_IK, UOP_MOD_IK,
    UOP_BAND_IK, UOP_BOR_IK, UOP_BXOR_IK, UOP_SHL_IK,  UOP_SHR_IK};
static const uint16_t num_ops[] = {UOP_ADD_NN, UOP_SUB_NN, UOP_MUL_NN,
                                   UOP_DIV_NN, UOP_MOD_NN, UOP_IDIV_NN,
                                   UOP_POW_NN};
static const uint16_t num_k_ops[] = {UOP_ADD_NK, UOP_SUB_NK, UOP_MUL_NK,
                                     UOP_DIV_NK};
static const uint16_t cmp_ops[] = {UOP_LT_II_T, UOP_LT_II_F, UOP_LE_II_T,
                                   UOP_LE_II_F, UOP_EQ_II_F, UOP_GT_IK_T,
                                   UOP_GE_IK_F, UOP_LT_IK_T};

/* One recorded-looking instruction: its guards, then the operation. In a
 * hot loop sources are never scratch slots and no guard can fail. */
static void random_instruction(gen *g, uint64_t *s, int hot) {
  int a = SL_TMP + (int)(bench_rand(s) % 12);
  int b = SL_INT + (int)(bench_rand(s) % 8);
  int c = SL_INT + (int)(bench_rand(s) % 8);
  if (!hot && bench_rand(s) % 3 == 0)
    b = SL_TMP + (int)(bench_rand(s) % 12);
  int64_t k = (int64_t)(bench_rand(s) % 20) - 10;
  switch (bench_rand(s) % 9) {
  case 0:
  case 1: {
    uint16_t op = int_ops[bench_rand(s) % COUNT(int_ops)];
    if (hot && (op == UOP_IDIV_II || op == UOP_MOD_II))
      op = UOP_MUL_II; /* a zero divisor would leave the loop */
    b = int_source(g, b, s);
    emit(g, UOP_G_INT, b, 0, 0), emit(g, UOP_G_INT, c, 0, 0);
    emit(g, op, a, D(b), D(c));
    g->ty[a] = TY_INT;
    break;
  }
  case 2:
    if (hot && k == 0)
      k = 3;
    b = int_source(g, b, s);
    emit(g, UOP_G_INT, b, 0, 0);
    emit(g, int_k_ops[bench_rand(s) % COUNT(int_k_ops)], a, D(b), (uint64_t)k);
    g->ty[a] = TY_INT;
    break;
  case 3:
    b = (int)(bench_rand(s) % 16);
    emit(g, UOP_G_NUM, b, 0, 0), emit(g, UOP_G_NUM, c, 0, 0);
    emit(g, num_ops[bench_rand(s) % COUNT(num_ops)], a, D(b), D(c));
    g->ty[a] = TY_FLT;
    break;
  case 4: {
    double kn = (double)k * 0.75 + 0.5;
    uint64_t bits;
    memcpy(&bits, &kn, sizeof bits);
    b = SL_FLT + (int)(bench_rand(s) % 8);
    emit(g, UOP_G_FLT, b, 0, 0);
    emit(g, num_k_ops[bench_rand(s) % COUNT(num_k_ops)], a, D(b), bits);
    g->ty[a] = TY_FLT;
    break;
  }
  case 5:
    if (hot) { /* a compare that always holds: slot == itself */
      emit(g, UOP_G_INT, b, 0, 0);
      emit(g, UOP_LE_II_T, 0, D(b), D(b));
    } else {
      /* Never a slot against itself: the outcome would be known. */
      b = int_source(g, b, s);
      if (c == b)
        c = SL_INT + (c - SL_INT + 1) % 8;
      emit(g, UOP_G_INT, b, 0, 0), emit(g, UOP_G_INT, c, 0, 0);
      emit(g, cmp_ops[bench_rand(s) % COUNT(cmp_ops)], 0, D(b), D(c));
    }
    break;
  case 6: {
    int tab = SL_TAB + (int)(bench_rand(s) % (hot ? NTAB - 1 : NTAB));
    emit(g, UOP_G_TAB, tab, 0, 0), emit(g, UOP_G_NOMT, tab, 0, 0);
    if (hot) { /* constant index inside every table's array part */
      uint32_t idx = (uint32_t)(bench_rand(s) % (ASIZE - NTAB));
      emit(g, UOP_G_ARRK, tab, 0, idx);
      if (bench_rand(s) % 2)
        emit(g, UOP_GETI_AK, a, D(tab), idx), g->ty[a] = TY_UNKNOWN;
      else
        emit(g, UOP_SETI_AK, tab, idx, D(a));
    } else {
      b = int_source(g, b, s);
      emit(g, UOP_G_INT, b, 0, 0), emit(g, UOP_G_ARR, tab, D(b), 0);
      if (bench_rand(s) % 2)
        emit(g, UOP_GETI_A, a, D(tab), D(b)), g->ty[a] = TY_UNKNOWN;
      else
        emit(g, UOP_SETI_A, tab, D(b), D(a));
    }
    break;
  }
  case 7:
    if (bench_rand(s) % 2)
      emit(g, UOP_GETUPVAL, a, bench_rand(s) % NUPV, 0), g->ty[a] = TY_UNKNOWN;
    else
      emit(g, UOP_SETUPVAL, a, bench_rand(s) % NUPV, 0);
    break;
  default:
    emit(g, UOP_MOV, a, D(b), 0);
    g->ty[a] = g->ty[b];
    break;
  }
}

static int generate(uint64_t *seed, uint32_t len, int kind, cpjit_uop *u,
                    uint32_t maxu, uint32_t *nu, cpjit_exit *e, uint32_t maxe,
                    uint32_t *ne) {
  gen g = {u, e, 0, 0, maxu, maxe, {0}};
  gen_init_types(&g);
  /* The longest instruction is 5 uops; keep room for the loop uops. */
  if (len + 16 > maxu || len + 16 > maxe)
    return -1;
  int hot = kind == BENCH_GEN_HOTLOOP;
  uint32_t head = 0;
  if (hot) { /* set the loop state: index 1, count, step 1 */
    emit(&g, UOP_K, SL_FOR + 0, 1, TAG_INT);
    emit(&g, UOP_K, SL_FOR + 1, BENCH_HOTLOOP_ITERS - 1, TAG_INT);
    emit(&g, UOP_K, SL_FOR + 2, 1, TAG_INT);
    head = g.n;
  }
  while (g.n + 1 < len)
    random_instruction(&g, seed, hot);
  uint32_t l = emit(&g, UOP_FORLOOP_I, SL_FOR, 0, 0);
  g.u[l].target = head;
  *nu = g.n;
  *ne = g.ne;
  return 0;
}

static const cpjit_stencil_set *stencils(void) { return &lua_stencil_set; }

const bench_set bench_set_lua = {
    .name = "lua",
    .ops = {lua_uop_names, UOP__COUNT},
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
