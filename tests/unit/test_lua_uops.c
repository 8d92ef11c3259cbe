/*
 * test_lua_uops.c -- cpjit-lua's stencil set against its reference
 * executor (stencils/lua_ref.c), uop by uop.
 *
 * Register uops (lua_ruops.h): every variant of every register uop (each
 * assignment of registers to its operands, the stencil build's unit) runs
 * in a tiny trace
 *     KI_G / KF_F (operand values) ; the uop (exit 0) ; EXIT (exit 1)
 * entered through the trampoline with a spill area whose register dump
 * gives every other register a random value. The JIT and lua_ref_run start
 * from the same world (frame slots, tables, upvalues) and the same spill
 * area; afterwards the exit taken, the register dump, the spill slots and
 * every byte of the world must be equal. Guards must both hold and fail
 * over the random operand values (counted per uop).
 *
 * Slot-level uops (lua_uops.h): each alone on random frames, with random
 * register values around it (a helper call inside EXEC, GETFIELD_S,
 * SETFIELD_S must not lose them).
 *
 * CPJIT_TEST_SEED=N changes the random values; failures print the seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "cpjit.h"
#include "lua_ref.h"
#include "lua_stencils.h"

/* -- The world: one frame, tables, upvalues, a closure ------------------- */

#define NSLOTS 40
#define NTAB 4
#define ASIZE 8
#define NUPV 3
#define NNODE 4 /* hash part of every table: lsizenode 2 */
#define NSPILL 16
#define SPILL_WORDS (lua_NGPR + lua_NFPR + NSPILL)

#define S_TMP 28 /* slots 28..39: scratch (stores, EXEC) */
#define S_FOR 20 /* slots 20..23: for loop state */

typedef struct world {
  TValue frame[1 + NSLOTS]; /* frame[0] is the closure, base = frame + 1 */
  Table tab[NTAB + 1];      /* tab[NTAB] is the metatable of tab[NTAB-1] */
  TValue arr[NTAB][ASIZE];
  Node node[NTAB][NNODE];
  UpVal upv[NUPV];
  _Alignas(LClosure) unsigned char closure[sizeof(LClosure) +
                                           NUPV * sizeof(UpVal *)];
  lua_State L; /* EXEC reads L->ci->func, G_STACK L->stack_last */
  CallInfo ci;
  CallInfo ci2; /* PUSHF's new frame, POPF's caller */
} world;

#define CLOSURE(w) ((LClosure *)(void *)(w)->closure)

static world W, W0, W1;             /* live, initial, after the JIT */
static uint64_t SP[SPILL_WORDS], SP0[SPILL_WORDS], SP1[SPILL_WORDS];
static TString shared_str, other_str; /* keys: only their identity counts */
static union { TString ts; char room[sizeof(TString) + 8]; } len_str;
static global_State strmt_g; /* G(L) of G_STRMT */
static char fake_proto[64], other_proto[64];

static uint64_t rng;
static uint64_t rnd(void) {
  uint64_t x = rng;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng = x;
  return x * 0x2545f4914f6cdd1dull;
}
static uint64_t below(uint64_t n) { return rnd() % n; }

static const int64_t int_edges[] = {0, 1, -1, 2, 3, 7, -7, 63, 64, -64, 100,
                                    INT64_MAX, INT64_MIN, INT64_MIN + 1,
                                    3000000000ll, -3000000000ll, 1ll << 53};
static const double flt_edges[] = {0.0, -0.0, 1.0, -1.0, 1.5, -2.25, 0.1, 3.0,
                                   1e300, -1e-300, 1e15, 9.3e18, -9.3e18,
                                   9223372036854775807.0, -9223372036854775808.0,
                                   INFINITY, -INFINITY, NAN};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int64_t rand_int(void) {
  return below(2) ? int_edges[below(NELEM(int_edges))] : (int64_t)below(41) - 20;
}
static double rand_flt(void) {
  switch (below(3)) {
  case 0: return flt_edges[below(NELEM(flt_edges))];
  case 1: return (double)((int64_t)below(81) - 40) / 4;
  default: return (double)(int64_t)rnd() / 1e6;
  }
}
static uint64_t d2u(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static const uint8_t some_tags[] = {TAG_NIL, TAG_FALSE, TAG_TRUE, TAG_INT,
                                    TAG_FLT, TAG_SHRSTR, TAG_TABLE};

static void set_int(TValue *o, int64_t i) { o->v.i = i, o->tt = TAG_INT; }
static void set_flt(TValue *o, double n) { o->v.n = n, o->tt = TAG_FLT; }

static void rand_value(TValue *o) {
  switch (below(6)) {
  case 0: case 1: set_int(o, rand_int()); break;
  case 2: case 3: set_flt(o, rand_flt()); break;
  case 4: o->tt = some_tags[below(3)]; o->v.i = 0; break;
  default:
    o->v.gc = (GCObject *)(void *)(below(2) ? &shared_str : &other_str);
    o->tt = TAG_SHRSTR;
    break;
  }
}

static void world_init(void) {
  world *w = &W;
  memset(w, 0, sizeof *w);
  TValue *base = w->frame + 1;
  for (int i = 0; i < NSLOTS; i++)
    rand_value(&base[i]);
  for (int t = 0; t < NTAB; t++) {
    w->tab[t].tt = TAG_TABLE;
    w->tab[t].asize = ASIZE - (uint32_t)t;
    w->tab[t].array = w->arr[t];
    for (int k = 0; k < ASIZE; k++)
      rand_value(&w->arr[t][k]);
    w->tab[t].lsizenode = 2;
    w->tab[t].node = w->node[t];
    for (int k = 0; k < NNODE; k++) {
      Node *n = &w->node[t][k];
      n->u.key_tt = below(4) ? TAG_SHRSTR : TAG_NIL;
      n->u.key_val.gc = (GCObject *)(void *)(below(3) ? &shared_str : &other_str);
      TValue v;
      rand_value(&v);
      n->i_val.v = v.v;
      n->i_val.tt = v.tt;
    }
    if (below(3) == 0) { /* a table in a slot */
      base[below(16)].v.gc = (GCObject *)(void *)&w->tab[t];
      base[below(16)].tt = TAG_TABLE;
    }
  }
  w->tab[NTAB].tt = TAG_TABLE;
  w->tab[NTAB - 1].metatable = &w->tab[NTAB];
  for (int u = 0; u < NUPV; u++) {
    w->upv[u].v = &w->upv[u].u.value;
    rand_value(&w->upv[u].u.value);
    CLOSURE(w)->upvals[u] = &w->upv[u];
  }
  CLOSURE(w)->tt = TAG_LCL;
  CLOSURE(w)->nupvalues = NUPV;
  CLOSURE(w)->p = (struct Proto *)(void *)fake_proto;
  w->frame[0].v.gc = (GCObject *)(void *)CLOSURE(w);
  w->frame[0].tt = TAG_LCL;
  w->ci.func = w->frame;
  w->L.ci = &w->ci;
  w->L.stack_last = w->frame + 1 + NSLOTS;
  /* the register dump: random registers; spill slots too */
  for (int j = 0; j < lua_NGPR; j++)
    SP[j] = (uint64_t)rand_int();
  for (int j = 0; j < lua_NFPR; j++)
    SP[lua_NGPR + j] = d2u(rand_flt());
  for (int j = lua_NGPR + lua_NFPR; j < SPILL_WORDS; j++)
    SP[j] = rnd();
}

/* -- Helpers the slot-level uops call (stand-ins for the runtime's) ------ */

/* EXEC: writes an integer derived from the pc into a scratch slot of the
 * running frame (so both executors must pass the same pc and frame). */
static int exec_calls;
void jit_h_exec(lua_State *L, const Instruction *pc) {
  uintptr_t v = (uintptr_t)pc;
  set_int(&L->ci->func[1 + S_TMP + (int)(v % 12)], (int64_t)v);
  exec_calls++;
}
/* EXEC_F: likewise, from the pc and the frame operand. */
void jit_h_exec_f(lua_State *L, const Instruction *pc, const void *frame) {
  uintptr_t v = (uintptr_t)pc + 3 * (uintptr_t)frame;
  set_int(&L->ci->func[1 + S_TMP + (int)(v % 12)], (int64_t)v);
  exec_calls++;
}
static TValue field_result;
const TValue *tab_getshortstr(Table *t, TString *key) {
  (void)t;
  field_result.v.i = (int64_t)((uintptr_t)key & 0xffff);
  field_result.tt = (uintptr_t)key & 1 ? TAG_INT : TAG_ABSTKEY;
  return &field_result;
}
/* GETI_T, GETTAB_TI: the array element, or a value made from the key
 * (its low bit: an integer or an absent key's nil) */
const TValue *tab_getint(Table *t, lua_Integer key) {
  if ((lua_Unsigned)key - 1u < t->asize)
    return &t->array[key - 1];
  field_result.v.i = key * 3;
  field_result.tt = key & 1 ? TAG_INT : TAG_ABSTKEY;
  return &field_result;
}
/* LEN_T: a length the test can tell from the table (its array part's
 * first nil, as the runtime's border search would find in a fresh array) */
lua_Unsigned tab_getn(Table *t) {
  lua_Unsigned n = 0;
  while (n < t->asize && !ttisnil(&t->array[n]))
    n++;
  return n;
}
void jit_h_setfield(lua_State *L, Table *t, TString *key, const TValue *val) {
  (void)L;
  /* store where the test can see it: the table's first array slot */
  t->array[0].v.i = (int64_t)(((uintptr_t)key & 0xffff) + (uint64_t)val->v.i);
  t->array[0].tt = TAG_INT;
}
/* STRH: declines when the low bit of `what` is set, else stores a mark
 * in slot A. */
int jit_h_str(lua_State *L, TValue *base, uint64_t what, uint64_t k) {
  (void)L;
  if (what & 1)
    return 1;
  set_int(&base[(what >> 8) & 0xffff], (int64_t)(k & 0xffff));
  return 0;
}

/* NEXT_T: declines when the control value (ra + 2) is an odd integer,
 * else writes a mark from it and c to ra + 4. */
int jit_h_next(TValue *ra, uint32_t c) {
  if (ra[2].tt == TAG_INT && (ra[2].v.i & 1))
    return 1;
  set_int(&ra[4], (int64_t)(ra[2].v.i ^ (int64_t)c));
  return 0;
}

/* SETMT: declines for a table that has a metatable, else sets it (nil:
 * none). */
int jit_h_setmt(lua_State *L, TValue *t, const TValue *mt) {
  (void)L;
  Table *h = (Table *)t->v.gc;
  if (h->metatable)
    return 1;
  h->metatable = ttisnil(mt) ? NULL : (Table *)mt->v.gc;
  return 0;
}

/* GETTAB_TV: the integer key's element as tab_getint gives it, else a
 * value made from the key's low bits */
const TValue *tab_get(Table *t, const TValue *key) {
  if (key->tt == TAG_INT)
    return tab_getint(t, key->v.i);
  field_result.v.i = (int64_t)(key->v.i & 0xffff);
  field_result.tt = key->v.i & 1 ? TAG_INT : TAG_ABSTKEY;
  return &field_result;
}

/* NEWTAB, SETLIST_T: not run by these tests (they allocate); marks that
 * show a call happened */
int jit_h_newtable(lua_State *L, TValue *ra, uint64_t sizes) {
  (void)L;
  if (sizes & 1)
    return 1;
  set_int(ra, (int64_t)sizes);
  return 0;
}
void jit_h_setlist(lua_State *L, TValue *ra, uint32_t n, uint32_t first) {
  (void)L;
  set_int(ra + 1, (int64_t)(n * 1000 + first));
}

/* POPFC: closes the open upvalues at or above level, as the runtime does. */
void func_closeupval(lua_State *L, StkId level) {
  UpVal *uv;
  while ((uv = L->openupval) != NULL && uv->v >= level) {
    L->openupval = uv->u.open.next;
    uv->u.value = *uv->v;
    uv->v = &uv->u.value;
  }
}

/* -- Traces ---------------------------------------------------------------- */

#define MAXU 64
static cpjit_uop U[MAXU];
static cpjit_exit E[8];
static uint32_t NU;

static uint32_t emit(uint32_t op, uint32_t arg, uint64_t o0, uint64_t o1,
                     uint32_t exit) {
  assert_true(NU < MAXU);
  cpjit_uop *u = &U[NU];
  memset(u, 0, sizeof *u);
  u->op = (uint16_t)op;
  u->arg = (uint16_t)arg;
  u->operand[0] = o0;
  u->operand[1] = o1;
  u->exit = exit;
  return NU++;
}

/* The op of variant regs of register uop `which`. */
static uint32_t variant(uint32_t which, const uint8_t *reg) {
  const cpjit_ruop_info *ri = &lua_ruops[which];
  uint32_t v = 0;
  for (int k = 0; k < ri->noperands; k++)
    v = v * ri->size[k] + reg[k];
  return ri->first + v;
}

static uint32_t op_of(const char *name, const uint8_t *reg) {
  for (uint32_t j = 0; j < lua_NRUOPS; j++)
    if (!strcmp(lua_ruops[j].name, name))
      return variant(j, reg);
  fail_msg("no register uop %s", name);
  return 0;
}

static cpjit_jit *open_lua_jit(void) {
  static const void *const helpers[] = {
#define HELPER_ADDR(name) (const void *)(uintptr_t)&name,
      LUA_UOP_HELPER_LIST(HELPER_ADDR)
#undef HELPER_ADDR
  };
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = &lua_stencil_set;
  cfg.helpers = helpers;
  cfg.nhelpers = lua_NHELPERS;
  cpjit_jit *J = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);
  return J;
}

typedef uint64_t (*lua_entry)(lua_State *L, TValue *base, uint64_t *spill);

static const char *world_diff(void) {
  static char buf[160];
  const char *a = (const char *)&W1, *b = (const char *)&W;
  for (size_t i = 0; i < sizeof W; i++)
    if (a[i] != b[i]) {
      size_t off = i;
      if (off < sizeof W.frame)
        snprintf(buf, sizeof buf, "frame slot %d", (int)(off / sizeof(TValue)) - 1);
      else if (off >= offsetof(world, arr) && off < offsetof(world, node))
        snprintf(buf, sizeof buf, "table %d array[%d]",
                 (int)((off - offsetof(world, arr)) / sizeof W.arr[0]),
                 (int)((off - offsetof(world, arr)) % sizeof W.arr[0] / sizeof(TValue)));
      else if (off >= offsetof(world, node) && off < offsetof(world, upv))
        snprintf(buf, sizeof buf, "table node, byte %zu", off - offsetof(world, node));
      else
        snprintf(buf, sizeof buf, "world byte %zu", off);
      return buf;
    }
  return NULL;
}

/* Two register dumps agree: integers bit for bit, floats bit for bit or
 * both NaN (a NaN's payload and sign depend on operand order). */
static int dump_diff(const uint64_t *a, const uint64_t *b) {
  for (int j = 0; j < SPILL_WORDS; j++) {
    if (a[j] == b[j])
      continue;
    if (j >= lua_NGPR && j < lua_NGPR + lua_NFPR) {
      double x, y;
      memcpy(&x, &a[j], 8);
      memcpy(&y, &b[j], 8);
      if (isnan(x) && isnan(y))
        continue;
    }
    return j;
  }
  return -1;
}

static uint64_t seed0;
static uint64_t ncompiled;

/* Compile U, run it on W/SP through the JIT and the reference; compare.
 * Returns the exit taken (operand 0 of its exit record). */
static uint64_t run_both(cpjit_jit *J, const char *what) {
  for (uint32_t k = 0; k < 8; k++) {
    E[k].operand[0] = 1000 + k;
    E[k].operand[1] = 0;
  }
  cpjit_trace *t = NULL;
  cpjit_status st = cpjit_compile(J, U, NU, E, 8, &t);
  if (st != CPJIT_OK)
    fail_msg("%s: compile: %s at uop %lld", what, cpjit_status_str(st),
             (long long)cpjit_last_error_index(J));
  ncompiled++;
  memcpy(&W0, &W, sizeof W);
  memcpy(SP0, SP, sizeof SP);
  uint64_t r1 = ((lua_entry)cpjit_trace_entry(t))(&W.L, W.frame + 1, SP);
  memcpy(&W1, &W, sizeof W);
  memcpy(SP1, SP, sizeof SP);
  memcpy(&W, &W0, sizeof W);
  memcpy(SP, SP0, sizeof SP);
  uint64_t r2 = lua_ref_run(&W.L, W.frame + 1, U, NU, E, SP, 1000);
  cpjit_trace_free(J, t);
  if (r1 != r2)
    fail_msg("%s: exits differ: jit %llu, reference %llu (seed %llu)", what,
             (unsigned long long)r1, (unsigned long long)r2,
             (unsigned long long)seed0);
  const char *wd = world_diff();
  if (wd)
    fail_msg("%s: %s differs (seed %llu)", what, wd, (unsigned long long)seed0);
  int j = dump_diff(SP1, SP);
  if (j >= 0)
    fail_msg("%s: spill word %d differs: jit %#llx, reference %#llx (seed %llu)",
             what, j, (unsigned long long)SP1[j], (unsigned long long)SP[j],
             (unsigned long long)seed0);
  return r1;
}

/* -- Register uops ----------------------------------------------------------- *
 * Operand kinds, per register uop:
 *   i integer   f float   t table   n 1-based index valid for the table
 *   x any index   c closure
 * and what OPERAND0 / ARG / OPERAND1 hold. */
enum { IM_NONE, IM_I64, IM_F64, IM_S32, IM_SHIFT, IM_SPILL, IM_AIDX, IM_AIDXK,
       IM_ANYIDX, IM_NODE, IM_ANYNODE, IM_UPV, IM_PROTO, IM_HASH };

typedef struct Shape {
  const char *name;
  const char *kinds;
  uint8_t imm;
  uint8_t slot;  /* ARG: 1 a slot to load, 2 a scratch slot to store */
  uint8_t tag;   /* OPERAND1 is a tag: 1 any value tag, 2 nil/false/true */
  uint8_t out;   /* operand 0 is written only (may share a register) */
  uint8_t guard; /* may exit */
  uint8_t key;   /* OPERAND1 is a key string */
} Shape;

static const Shape shapes[] = {
    {"MOV_G", "ii", IM_NONE, 0, 0, 1, 0, 0}, {"MOV_F", "ff", IM_NONE, 0, 0, 1, 0, 0},
    {"KI_G", "i", IM_I64, 0, 0, 1, 0, 0}, {"KF_F", "f", IM_F64, 0, 0, 1, 0, 0},
    {"SPILL_G", "i", IM_SPILL, 0, 0, 0, 0, 0}, {"RELOAD_G", "i", IM_SPILL, 0, 0, 1, 0, 0},
    {"SPILL_F", "f", IM_SPILL, 0, 0, 0, 0, 0}, {"RELOAD_F", "f", IM_SPILL, 0, 0, 1, 0, 0},
    {"SLOAD_I", "i", IM_NONE, 1, 0, 1, 1, 0}, {"SLOAD_F", "f", IM_NONE, 1, 0, 1, 1, 0},
    {"SLOAD_P", "i", IM_NONE, 1, 1, 1, 1, 0}, {"SLOADU_G", "i", IM_NONE, 1, 0, 1, 0, 0},
    {"SLOADU_F", "f", IM_NONE, 1, 0, 1, 0, 0}, {"SSTORE_I", "i", IM_NONE, 2, 0, 0, 0, 0},
    {"SSTORE_F", "f", IM_NONE, 2, 0, 0, 0, 0}, {"SSTORE_P", "t", IM_NONE, 2, 1, 0, 0, 0},
    {"CONV_FG", "fi", IM_NONE, 0, 0, 1, 0, 0}, {"TOINT_GF", "if", IM_NONE, 0, 0, 1, 1, 0},
    {"GNOMT_G", "t", IM_NONE, 0, 0, 0, 1, 0}, {"GARR_GG", "tx", IM_NONE, 0, 0, 0, 1, 0},
    {"GARR_GK", "t", IM_ANYIDX, 0, 0, 0, 1, 0},
    {"ALOAD_I", "itn", IM_NONE, 0, 0, 1, 1, 0}, {"ALOAD_F", "ftn", IM_NONE, 0, 0, 1, 1, 0},
    {"ALOAD_P", "itn", IM_NONE, 0, 1, 1, 1, 0}, {"ALOAD_T", "tn", IM_NONE, 0, 2, 0, 1, 0},
    {"ALOADK_I", "it", IM_AIDXK, 0, 0, 1, 1, 0}, {"ALOADK_F", "ft", IM_AIDXK, 0, 0, 1, 1, 0},
    {"ALOADK_P", "it", IM_AIDXK, 0, 1, 1, 1, 0}, {"ALOADK_T", "t", IM_AIDXK, 0, 2, 0, 1, 0},
    {"ASTORE_I", "tni", IM_NONE, 0, 0, 0, 0, 0}, {"ASTORE_F", "tnf", IM_NONE, 0, 0, 0, 0, 0},
    {"ASTORE_P", "tnt", IM_NONE, 0, 1, 0, 0, 0}, {"ASTORE_T", "tn", IM_NONE, 0, 2, 0, 0, 0},
    {"ASTOREK_I", "ti", IM_AIDXK, 0, 0, 0, 0, 0}, {"ASTOREK_F", "tf", IM_AIDXK, 0, 0, 0, 0, 0},
    {"ASTOREK_P", "tt", IM_AIDXK, 0, 1, 0, 0, 0}, {"ASTOREK_T", "t", IM_AIDXK, 0, 2, 0, 0, 0},
    {"GHKEY_G", "t", IM_ANYNODE, 0, 0, 0, 1, 1}, {"GHKEYV_G", "t", IM_ANYNODE, 0, 0, 0, 1, 1},
    {"GHKEYS_G", "t", IM_NODE, 0, 0, 0, 1, 1}, {"GHKEYVS_G", "t", IM_NODE, 0, 0, 0, 1, 1},
    {"TMETA_GG", "it", IM_NONE, 0, 0, 1, 1, 0}, {"GHNIL_G", "t", IM_HASH, 0, 0, 0, 1, 1},
    {"HLOAD_I", "it", IM_NODE, 0, 0, 1, 1, 0}, {"HLOAD_F", "ft", IM_NODE, 0, 0, 1, 1, 0},
    {"HLOAD_P", "it", IM_NODE, 0, 1, 1, 1, 0}, {"HLOAD_T", "t", IM_NODE, 0, 2, 0, 1, 0},
    {"HSTORE_I", "ti", IM_NODE, 0, 0, 0, 0, 0}, {"HSTORE_F", "tf", IM_NODE, 0, 0, 0, 0, 0},
    {"HSTORE_P", "tt", IM_NODE, 0, 1, 0, 0, 0}, {"HSTORE_T", "t", IM_NODE, 0, 2, 0, 0, 0},
    {"ULOAD_I", "i", IM_UPV, 0, 0, 1, 1, 0}, {"ULOAD_F", "f", IM_UPV, 0, 0, 1, 1, 0},
    {"ULOAD_P", "i", IM_UPV, 0, 1, 1, 1, 0}, {"GFUNCP_G", "c", IM_PROTO, 0, 0, 0, 1, 0},
    {"ADD_FM", "f", IM_SPILL, 0, 0, 0, 0, 0}, {"SUB_FM", "f", IM_SPILL, 0, 0, 0, 0, 0},
    {"MUL_FM", "f", IM_SPILL, 0, 0, 0, 0, 0}, {"DIV_FM", "f", IM_SPILL, 0, 0, 0, 0, 0},
    {"RSUB_FM", "f", IM_SPILL, 0, 0, 0, 0, 0}, {"RDIV_FM", "f", IM_SPILL, 0, 0, 0, 0, 0},
    {"RSUB_FK", "f", IM_F64, 0, 0, 0, 0, 0}, {"RDIV_FK", "f", IM_F64, 0, 0, 0, 0, 0},
};

/* The shape of a register uop; arithmetic and compares by name pattern. */
static Shape shape_of(const char *name) {
  for (size_t k = 0; k < NELEM(shapes); k++)
    if (!strcmp(shapes[k].name, name))
      return shapes[k];
  Shape s;
  memset(&s, 0, sizeof s);
  s.name = name;
  size_t len = strlen(name);
  const char *sig = strrchr(name, '_') + 1;
  bool cmp = !strncmp(name, "LT_", 3) || !strncmp(name, "LE_", 3) ||
             !strncmp(name, "GT_", 3) || !strncmp(name, "GE_", 3) ||
             !strncmp(name, "EQ_", 3) || !strncmp(name, "NE_", 3);
  s.guard = cmp;
  s.out = 0;
  if (!strcmp(sig, "GG")) s.kinds = "ii";
  else if (!strcmp(sig, "FF")) s.kinds = "ff";
  else if (!strcmp(sig, "G")) s.kinds = "i";
  else if (!strcmp(sig, "F")) s.kinds = "f";
  else if (!strcmp(sig, "GK")) {
    s.kinds = "i";
    s.imm = (!strncmp(name, "SHL", 3) || !strncmp(name, "SHR", 3)) ? IM_SHIFT : IM_S32;
  } else if (!strcmp(sig, "FK")) {
    s.kinds = "f";
    s.imm = IM_F64;
  } else {
    fail_msg("register uop %s has no test shape", name);
  }
  (void)len;
  return s;
}

/* Can operands j < k share a register? */
static bool may_share(const Shape *s, int j, int k) {
  if (j == 0 && s->out)
    return true;
  return s->kinds[j] == s->kinds[k];
}

typedef struct Stat {
  uint64_t runs, exits;
} Stat;

static int32_t rand_s32(void) {
  int64_t v = rand_int();
  if (v > INT32_MAX || v < INT32_MIN)
    v = (int64_t)below(2001) - 1000;
  return (int32_t)v;
}

/* One run of register uop `which` with registers reg[]. */
static uint64_t run_ruop(cpjit_jit *J, uint32_t which, const uint8_t *reg,
                         const Shape *s, int round) {
  const cpjit_ruop_info *ri = &lua_ruops[which];
  world_init();
  NU = 0;
  int tab = (int)below(NTAB);
  Table *T = &W.tab[tab];
  uint64_t val[3] = {0, 0, 0};
  bool bias = round % 2 == 0; /* values that make guards hold */
  /* the immediate */
  uint64_t imm = 0, o1 = 0;
  uint32_t arg = 0;
  switch (s->imm) {
  case IM_I64: imm = (uint64_t)rand_int(); break;
  case IM_F64: imm = d2u(rand_flt()); break;
  case IM_S32: imm = (uint64_t)(int64_t)rand_s32(); break;
  case IM_SHIFT: {
    static const int32_t sh[] = {0, 1, 3, 31, 32, 63, 64, 65, 100, -1, -3, -63, -64, -65};
    imm = (uint64_t)(int64_t)sh[below(NELEM(sh))];
    break;
  }
  case IM_SPILL: imm = 8u * (lua_NGPR + lua_NFPR + below(NSPILL)); break; /* bytes */
  case IM_AIDXK: imm = below(T->asize); break;
  case IM_ANYIDX: imm = below(ASIZE + 2); break;
  case IM_NODE: imm = sizeof(Node) * below(NNODE); break; /* bytes */
  case IM_ANYNODE: { /* node n, maybe past the end; ARG: the least lsizenode with it */
    uint64_t n = below(NNODE + 3);
    imm = sizeof(Node) * n;
    while ((n >> arg) != 0)
      arg++;
    break;
  }
  case IM_UPV: imm = below(NUPV); break;
  case IM_PROTO: imm = (uint64_t)(uintptr_t)(below(3) ? fake_proto : other_proto); break;
  case IM_HASH: imm = below(2 * NNODE); break; /* main position imm % NNODE */
  }
  if (s->key)
    o1 = (uint64_t)(uintptr_t)(below(4) ? &shared_str : &other_str);
  if (s->tag == 1)
    o1 = some_tags[below(NELEM(some_tags))];
  else if (s->tag == 2)
    o1 = some_tags[below(3)];
  if (s->slot == 1)
    arg = 16u * (uint32_t)below(NSLOTS);
  else if (s->slot == 2)
    arg = 16u * (uint32_t)(S_TMP + below(12));
  /* operand values */
  for (int k = 0; k < ri->noperands; k++) {
    switch (s->kinds[k]) {
    case 'i': val[k] = (uint64_t)rand_int(); break;
    case 'f': val[k] = d2u(rand_flt()); break;
    case 't': val[k] = (uint64_t)(uintptr_t)(k == 0 || s->kinds[0] == 'i' ||
                                                    s->kinds[0] == 'f' ||
                                                    s->kinds[0] == 'c'
                                                ? T
                                                : &W.tab[below(NTAB)]);
      break;
    case 'n': val[k] = 1 + below(T->asize); break;
    case 'x': val[k] = (uint64_t)((int64_t)below(ASIZE + 4) - 2); break;
    case 'c': val[k] = (uint64_t)(uintptr_t)CLOSURE(&W); break;
    }
  }
  /* some rounds make guards hold: equal compare operands, the tag the
   * load finds, in-range floats */
  if (bias && s->guard) {
    if (s->imm == IM_S32 && ri->noperands == 1 && s->kinds[0] == 'i')
      val[0] = below(2) ? imm : imm + below(3) - 1;
    if (s->imm == IM_F64 && s->kinds[0] == 'f' && strncmp(s->name, "KF", 2))
      val[0] = below(2) ? imm : d2u(rand_flt());
    if (ri->noperands == 2 && s->kinds[0] == s->kinds[1] && below(2))
      val[1] = val[0];
    const TValue *src = NULL;
    if (s->slot == 1)
      src = (const TValue *)(void *)((char *)(W.frame + 1) + arg);
    else if (s->kinds[ri->noperands - 1] == 'n')
      src = &T->array[val[ri->noperands - 1] - 1];
    else if (s->imm == IM_AIDXK)
      src = &T->array[imm];
    else if (s->imm == IM_NODE)
      src = &T->node[imm / sizeof(Node)].i_val;
    else if (s->imm == IM_UPV)
      src = W.upv[imm].v;
    if (src && s->tag)
      o1 = src->tt;
    if (src && !s->tag && below(4)) { /* make it hold the loaded type */
      TValue *d = (TValue *)(uintptr_t)src;
      if (strstr(s->name, "_F"))
        set_flt(d, rand_flt());
      else
        set_int(d, rand_int());
    }
    if (!strcmp(s->name, "TOINT_GF"))
      val[1] = d2u((double)rand_int());
    if (s->key && below(2)) { /* a node with that key */
      /* a node's byte offset, else a hash */
      bool off = s->imm == IM_ANYNODE || s->imm == IM_NODE;
      uint64_t k = (off ? imm / sizeof(Node) : imm) % NNODE;
      Node *n = &T->node[k];
      n->u.key_tt = TAG_SHRSTR;
      n->u.key_val.gc = (GCObject *)(uintptr_t)o1;
      imm = off ? sizeof(Node) * k : k;
      if (s->imm == IM_ANYNODE)
        for (arg = 0; (k >> arg) != 0; arg++)
          ;
    }
    if (s->imm == IM_PROTO)
      imm = (uint64_t)(uintptr_t)fake_proto;
    if (s->imm == IM_HASH && below(2)) {
      /* the key one link down the chain from its main position */
      int mp = (int)(imm % NNODE), at = (mp + 2) % NNODE;
      T->node[mp].u.next = at - mp;
      T->node[at].u.key_tt = TAG_SHRSTR;
      T->node[at].u.key_val.gc = (GCObject *)(uintptr_t)o1;
    }
    if (!strcmp(s->name, "GNOMT_G") && T->metatable)
      val[0] = (uint64_t)(uintptr_t)&W.tab[0];
  }
  /* set operand registers (later operands win a shared register: an
   * output-only operand 0 takes its inputs' value) */
  for (int k = 0; k < ri->noperands; k++) {
    uint8_t one[1] = {reg[k]};
    if (ri->cls[k] == CPJIT_REG_F)
      emit(op_of("KF_F", one), 0, val[k], 0, 0);
    else
      emit(op_of("KI_G", one), 0, val[k], 0, 0);
  }
  emit(variant(which, reg), arg, imm, o1, 0);
  emit(UOP_EXIT, 0, 0, 0, 1);
  char what[96];
  int n = snprintf(what, sizeof what, "%s", ri->name);
  for (int k = 0; k < ri->noperands; k++)
    n += snprintf(what + n, sizeof what - (size_t)n, " %c%u",
                  ri->cls[k] == CPJIT_REG_F ? 'f' : 'g', reg[k]);
  snprintf(what + n, sizeof what - (size_t)n, " round %d", round);
  return run_both(J, what);
}

static bool allowed(const Shape *s, const cpjit_ruop_info *ri, const uint8_t *reg) {
  for (int j = 0; j < ri->noperands; j++)
    for (int k = j + 1; k < ri->noperands; k++)
      if (ri->cls[j] == ri->cls[k] && reg[j] == reg[k] && !may_share(s, j, k))
        return false;
  return true;
}

/* Every variant of every register uop, several operand values each. */
static void register_uops_match_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_lua_jit();
  const char *env = getenv("CPJIT_TEST_SEED");
  seed0 = env ? strtoull(env, NULL, 0) : 20261205;
  rng = seed0 | 1;
  uint64_t shared = 0;
  for (uint32_t w = 0; w < lua_NRUOPS; w++) {
    const cpjit_ruop_info *ri = &lua_ruops[w];
    Shape s = shape_of(ri->name);
    assert_int_equal(strlen(s.kinds), ri->noperands);
    for (int k = 0; k < ri->noperands; k++)
      assert_int_equal(ri->cls[k], s.kinds[k] == 'f' ? CPJIT_REG_F : CPJIT_REG_G);
    Stat st = {0, 0};
    for (uint32_t v = 0; v < ri->nvariants; v++) {
      uint8_t reg[3] = {0, 0, 0};
      uint32_t x = v;
      for (int k = ri->noperands - 1; k >= 0; k--) {
        reg[k] = (uint8_t)(x % ri->size[k]);
        x /= ri->size[k];
      }
      if (!allowed(&s, ri, reg))
        continue;
      if (ri->noperands == 2 && reg[0] == reg[1] && ri->cls[0] == ri->cls[1])
        shared++;
      /* the all-zero and the last variants, and 1 in 4 others, get more
       * value rounds */
      bool edge = v == 0 || v == ri->nvariants - 1;
      int rounds = edge ? 24 : (v % 4 == 0 ? 4 : 2);
      for (int r = 0; r < rounds; r++) {
        uint64_t e = run_ruop(J, w, reg, &s, r);
        st.runs++;
        st.exits += e == 1000;
        if (!s.guard && e != 1001)
          fail_msg("%s: a uop without a guard exited", ri->name);
      }
    }
    if (s.guard && (st.exits == 0 || st.exits == st.runs))
      fail_msg("%s: guard exited %llu of %llu runs: both ways must be tested",
               ri->name, (unsigned long long)st.exits,
               (unsigned long long)st.runs);
  }
  assert_true(shared > 100);
  print_message("register uops: %llu traces\n", (unsigned long long)ncompiled);
  cpjit_close(J);
}

/* Chains of register uops: random sequences of arithmetic on live
 * registers with spills, reloads and moves, then a guard. */
static void register_uop_chains_match_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_lua_jit();
  rng = (seed0 ? seed0 : 7) * 31 + 5;
  static const char *const gops[] = {"ADD_GG", "SUB_GG", "MUL_GG", "BAND_GG",
                                     "BOR_GG", "BXOR_GG", "SHL_GG", "SHR_GG",
                                     "IDIV_GG", "MOD_GG", "MIN_GG", "MAX_GG", "MOV_G"};
  static const char *const fops[] = {"ADD_FF", "SUB_FF", "MUL_FF", "DIV_FF",
                                     "MOD_FF", "IDIV_FF", "POW_FF", "MIN_FF",
                                     "MAX_FF", "MOV_F"};
  for (int n = 0; n < 2000; n++) {
    world_init();
    NU = 0;
    int len = 1 + (int)below(20);
    for (int j = 0; j < len; j++) {
      uint8_t r[3] = {(uint8_t)below(lua_NGPR), (uint8_t)below(lua_NGPR), 0};
      uint8_t f[3] = {(uint8_t)below(lua_NFPR), (uint8_t)below(lua_NFPR), 0};
      switch (below(7)) {
      case 0: case 1: emit(op_of(gops[below(NELEM(gops))], r), 0, 0, 0, 0); break;
      case 2: case 3: emit(op_of(fops[below(NELEM(fops))], f), 0, 0, 0, 0); break;
      case 4: {
        uint64_t slot = 8u * (lua_NGPR + lua_NFPR + below(NSPILL));
        if (below(2))
          emit(op_of(below(2) ? "SPILL_G" : "RELOAD_G", r), 0, slot, 0, 0);
        else
          emit(op_of(below(2) ? "SPILL_F" : "RELOAD_F", f), 0, slot, 0, 0);
        break;
      }
      case 5: {
        uint8_t fg[3] = {f[0], r[1], 0};
        emit(op_of("CONV_FG", fg), 0, 0, 0, 0);
        break;
      }
      default:
        emit(op_of(below(2) ? "SSTORE_I" : "SSTORE_F", below(2) ? r : f),
             16u * (uint32_t)(S_TMP + below(12)), 0, 0, 0);
        break;
      }
    }
    uint8_t r[3] = {(uint8_t)below(lua_NGPR), (uint8_t)below(lua_NGPR), 0};
    emit(op_of("LT_GG", r), 0, 0, 0, 2);
    emit(UOP_EXIT, 0, 0, 0, 1);
    char what[48];
    snprintf(what, sizeof what, "chain %d (%u uops)", n, NU);
    run_both(J, what);
  }
  cpjit_close(J);
}

/* -- Slot-level uops ------------------------------------------------------- */

static void slot_uops_match_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_lua_jit();
  rng = (seed0 ? seed0 : 7) * 17 + 3;
  uint64_t exits[UOP__COUNT] = {0}, runs[UOP__COUNT] = {0};
  int exec0 = exec_calls;
  for (int op = 0; op < UOP__COUNT; op++) {
    for (int rep = 0; rep < 400; rep++) {
      world_init();
      NU = 0;
      uint32_t a = (uint32_t)below(NSLOTS), b = (uint32_t)below(NSLOTS);
      uint32_t tmp = S_TMP + (uint32_t)below(12);
      TValue *base = W.frame + 1;
      const char *name = lua_uop_names[op];
      /* a few registers set by uops first: their values must survive */
      uint8_t g[1] = {(uint8_t)below(lua_NGPR)}, f[1] = {(uint8_t)below(lua_NFPR)};
      emit(op_of("KI_G", g), 0, rnd(), 0, 0);
      emit(op_of("KF_F", f), 0, d2u(rand_flt()), 0, 0);
      uint32_t i = 0;
      switch (op) {
      case UOP_G_NIL: case UOP_G_TRUTHY: case UOP_G_FALSY:
        i = emit((uint32_t)op, 16 * a, 0, 0, 2);
        break;
      case UOP_G_TAG_EQ:
        i = emit((uint32_t)op, 16 * a, 0, rep % 2 ? base[a].tt : base[b].tt, 2);
        break;
      case UOP_K: {
        TValue v;
        rand_value(&v);
        i = emit((uint32_t)op, 16 * tmp, (uint64_t)v.v.i, v.tt, 2);
        break;
      }
      case UOP_GETFIELD_S:
        i = emit((uint32_t)op, 16 * tmp, 16 * b,
                 (uint64_t)(uintptr_t)(rep % 2 ? &shared_str : &other_str), 2);
        break;
      case UOP_SETFIELD_S: {
        int t = (int)below(NTAB);
        base[a].v.gc = (GCObject *)(void *)&W.tab[t];
        base[a].tt = TAG_TABLE;
        i = emit((uint32_t)op, 16 * a, (uint64_t)(uintptr_t)&shared_str, 16 * b, 2);
        break;
      }
      case UOP_LEN_T: {
        int t = (int)below(NTAB);
        base[b].v.gc = (GCObject *)(void *)&W.tab[t];
        base[b].tt = TAG_TABLE;
        if (rep % 2) /* a border inside the array part */
          W.tab[t].array[below(W.tab[t].asize)].tt = TAG_NIL;
        i = emit((uint32_t)op, 16 * tmp, 16 * b, 0, 2);
        break;
      }
      case UOP_GETI_T: case UOP_GETTAB_TI: { /* inside the array, or not */
        int t = (int)below(NTAB);
        base[b].v.gc = (GCObject *)(void *)&W.tab[t];
        base[b].tt = TAG_TABLE;
        int64_t key = rep % 2 ? 1 + (int64_t)below(ASIZE) : (int64_t)below(64) - 20;
        if (op == UOP_GETI_T) {
          i = emit((uint32_t)op, 16 * tmp, 16 * b, (uint64_t)key, 2);
        } else {
          uint32_t c = (b + 1 + (uint32_t)below(NSLOTS - 1)) % NSLOTS;
          while (c == tmp || c == b)
            c = (c + 1) % NSLOTS;
          set_int(&base[c], key);
          i = emit((uint32_t)op, 16 * tmp, 16 * b, 16 * c, 2);
        }
        break;
      }
      case UOP_GETTABUP_S:
        i = emit((uint32_t)op, 16 * tmp, below(NUPV),
                 (uint64_t)(uintptr_t)(rep % 2 ? &shared_str : &other_str), 2);
        break;
      case UOP_SETUPVAL:
        i = emit((uint32_t)op, 16 * a, below(NUPV), 0, 2);
        break;
      case UOP_G_UPTAG: {
        uint32_t u = (uint32_t)below(NUPV);
        i = emit((uint32_t)op, 0, u, rep % 2 ? W.upv[u].v->tt : some_tags[below(7)], 2);
        break;
      }
      case UOP_G_UPIN: { /* open on slot a, or not */
        uint32_t u = (uint32_t)below(NUPV);
        if (rep % 2)
          W.upv[u].v = base + a;
        i = emit((uint32_t)op, 16 * a, u, 0, 2);
        break;
      }
      case UOP_G_UPOUT: { /* open on a slot of the frame, or below it */
        uint32_t u = (uint32_t)below(NUPV);
        W.upv[u].v = rep % 2 ? base + below(NSLOTS) : W.frame;
        i = emit((uint32_t)op, 0, u, 0, 2);
        break;
      }
      case UOP_FORLOOP_I: case UOP_FORLOOP_F: case UOP_FOREND_I:
      case UOP_FOREND_F: case UOP_FORPREP_I: case UOP_FORPREP_F:
      case UOP_FORSKIP_I: case UOP_FORSKIP_F: {
        TValue *ra = base + S_FOR;
        bool ints = name[strlen(name) - 1] == 'I';
        if (ints) {
          set_int(&ra[0], rep % 3 ? (int64_t)below(7) - 3 : rand_int());
          set_int(&ra[1], rep % 3 ? (int64_t)below(7) - 3 : rand_int());
          set_int(&ra[2], rep % 5 ? (int64_t)below(5) - 2 : rand_int());
        } else {
          set_flt(&ra[0], rep % 3 ? (double)below(7) - 3 : rand_flt());
          set_flt(&ra[1], rep % 3 ? (double)below(7) - 3.5 : rand_flt());
          set_flt(&ra[2], rep % 5 ? (double)below(5) - 2 : rand_flt());
        }
        i = emit((uint32_t)op, 16 * S_FOR, 0, 0, 2);
        break;
      }
      case UOP_JUMP:
        i = emit((uint32_t)op, 0, 0, 0, 2);
        break;
      case UOP_G_STACK:
        i = emit((uint32_t)op, 0, 16 * below(NSLOTS + 4), 0, 2);
        break;
      case UOP_NEXT_T: /* declines on an odd integer control */
        set_int(&base[S_TMP + 2], (int64_t)rep);
        i = emit((uint32_t)op, 16 * S_TMP, 1 + below(4), 0, 2);
        break;
      case UOP_G_NOCLOSE: { /* an open upvalue or a to-be-closed variable */
        static ptrdiff_t tbc[2];  /* below, at or above slot a, or none */
        uint32_t u = (uint32_t)below(NUPV);
        W.L.stack = W.frame;
        W.L.openupval = NULL;
        W.L.ntbc = 0;
        W.L.tbc = tbc;
        if (rep % 4 == 1) {
          W.upv[u].v = base + below(NSLOTS);
          W.L.openupval = &W.upv[u];
        } else if (rep % 4 == 2) {
          tbc[0] = 16;
          tbc[1] = (ptrdiff_t)(16 * (1 + below(NSLOTS)));
          W.L.ntbc = 2;
        }
        i = emit((uint32_t)op, 16 * a, 0, 0, 2);
        break;
      }
      case UOP_PUSHF: { /* a free CallInfo or none; then a store through
                         * the new base */
        uint32_t fa = (uint32_t)below(8);
        base[fa].v.gc = (GCObject *)(void *)CLOSURE(&W);
        base[fa].tt = TAG_LCL;
        W.ci.next = rep % 3 ? &W.ci2 : NULL;
        W.ci2.previous = &W.ci;
        uint64_t w = (uint64_t)(uint16_t)(int16_t)((int)below(4) - 1) |
                     (uint64_t)below(8) << 16;
        i = emit((uint32_t)op, 16 * fa, 0x5000 + rnd() % 64, w, 2);
        emit(UOP_K, 16 * 4, (uint64_t)rep, TAG_INT, 0);
        break;
      }
      case UOP_POPF: case UOP_POPFC:
                     { /* the caller's pc, a C boundary, something to close
                        * (POPFC closes it), a recording; then a store
                        * through the new base */
        static const void *const disp[2] = {&W, &W0};
        W.L.g = &strmt_g;
        strmt_g.disp_record = disp[0];
        strmt_g.dispatch = rep % 5 == 4 ? disp[0] : disp[1];
        W.L.stack = W.frame;
        W.L.openupval = NULL;
        W.L.ntbc = 0;
        W.ci.previous = &W.ci2;
        W.ci.callstatus = rep % 5 == 2 ? CIST_FRESH : 0;
        W.ci2.func = W.frame + 1 + below(6);
        W.ci2.top = W.ci2.func + 1 + below(8);
        uint64_t ret = 0x7000 + rnd() % 64;
        W.ci2.savedpc = (const Instruction *)(uintptr_t)(rep % 5 == 1 ? ret + 4 : ret);
        if (rep % 5 == 3) {
          uint32_t u = (uint32_t)below(NUPV);
          W.upv[u].v = base + below(NSLOTS);
          W.upv[u].u.open.next = NULL;
          W.L.openupval = &W.upv[u];
        }
        i = emit((uint32_t)op, 0, ret, 0, 2);
        emit(UOP_K, 16 * 4, (uint64_t)rep, TAG_INT, 0);
        break;
      }
      case UOP_TAILF:
        W.ci.callstatus = (unsigned short)below(8);
        i = emit((uint32_t)op, 0, 0, 0, 2);
        break;
      case UOP_SETMT: { /* a table with a metatable already (declines), or
                         * not; the new one a table or nil */
        int t = (int)below(NTAB);
        W.tab[t].metatable = rep % 3 == 0 ? &W.tab[(t + 1) % NTAB] : NULL;
        base[a].v.gc = (GCObject *)(void *)&W.tab[t];
        base[a].tt = TAG_TABLE;
        uint32_t m = (a + 1 + (uint32_t)below(NSLOTS - 1)) % NSLOTS;
        if (rep % 2) {
          base[m].v.gc = (GCObject *)(void *)&W.tab[(t + 2) % NTAB];
          base[m].tt = TAG_TABLE;
        } else {
          base[m].v.i = 0;
          base[m].tt = TAG_NIL;
        }
        i = emit((uint32_t)op, 16 * a, 16 * m, 0, 2);
        break;
      }
      case UOP_GETTAB_TV: { /* an integer key, or another kind */
        int t = (int)below(NTAB);
        uint32_t tb = S_TMP + 1, kc = S_TMP + 2;
        base[tb].v.gc = (GCObject *)(void *)&W.tab[t];
        base[tb].tt = TAG_TABLE;
        if (rep % 2) {
          set_int(&base[kc], (int64_t)below(ASIZE + 4));
        } else {
          base[kc].v.i = (int64_t)rnd();
          base[kc].tt = TAG_SHRSTR;
        }
        i = emit((uint32_t)op, 16 * S_TMP, 16 * tb, 16 * kc, 2);
        break;
      }
      case UOP_SETTAB_TS: {
        int t = (int)below(NTAB);
        uint32_t ta = S_TMP, kb = S_TMP + 1, vc = S_TMP + 2;
        base[ta].v.gc = (GCObject *)(void *)&W.tab[t];
        base[ta].tt = TAG_TABLE;
        base[kb].v.gc = (GCObject *)(void *)&shared_str;
        base[kb].tt = TAG_SHRSTR;
        set_int(&base[vc], (int64_t)below(1000));
        i = emit((uint32_t)op, 16 * ta, 16 * kb, 16 * vc, 2);
        break;
      }
      case UOP_NEWTAB: /* the stub declines on odd sizes */
        i = emit((uint32_t)op, 16 * tmp, rnd(), 0, 2);
        break;
      case UOP_SETLIST_T:
        i = emit((uint32_t)op, 16 * S_TMP, below(5), below(100), 2);
        break;
      case UOP_VARARG_T: { /* no extra arguments: nils, or (all of them
                            * wanted) an exit unless none were expected */
        W.ci.nextraargs = 0;
        uint64_t n = below(4), all = rep % 2;
        i = emit((uint32_t)op, 16 * S_TMP, n | all << 16, 0, 2);
        break;
      }
      case UOP_EXEC:
        i = emit((uint32_t)op, 0, 0x1000 + below(64), 0, 2);
        break;
      case UOP_EXEC_F:
        i = emit((uint32_t)op, 0, 0x1000 + below(64), 0x40 + below(64), 2);
        break;
      case UOP_EXIT:
        i = emit((uint32_t)op, 0, 0, 0, 2);
        break;
      case UOP_S_LEN: /* a string of some length in slot b */
        len_str.ts.len = (size_t)rnd() >> (rep % 2 ? 0 : 40);
        base[b].v.gc = (GCObject *)(void *)&len_str.ts;
        base[b].tt = TAG_SHRSTR;
        i = emit((uint32_t)op, 16 * tmp, 16 * b, 0, 2);
        break;
      case UOP_G_STRMT: /* the strings' metatable is tab[0], or another */
        W.L.g = &strmt_g;
        strmt_g.mt[LUA_TSTRING] = rep % 2 ? &W.tab[0] : &W.tab[1];
        i = emit((uint32_t)op, 0, (uint64_t)(uintptr_t)&W.tab[0], 0, 2);
        break;
      case UOP_STRH: /* the stub declines on odd `what` */
        i = emit((uint32_t)op, 0, (uint64_t)(rep % 2) | (uint64_t)tmp << 8,
                 rnd(), 2);
        break;
      default:
        fail_msg("slot uop %s has no test", name);
      }
      uint32_t x = emit(UOP_EXIT, 0, 0, 0, 1);
      U[i].target = x; /* jumps land on the final exit */
      char what[64];
      snprintf(what, sizeof what, "%s rep %d", name, rep);
      uint64_t e = run_both(J, what);
      runs[op]++;
      exits[op] += e == 1002;
    }
  }
  /* guards exited both ways; EXEC ran its helper in both executors */
  static const int guards[] = {UOP_G_NIL, UOP_G_TAG_EQ, UOP_G_TRUTHY,
                               UOP_G_FALSY, UOP_G_UPTAG, UOP_FORLOOP_I,
                               UOP_FORLOOP_F, UOP_FOREND_I, UOP_FOREND_F,
                               UOP_FORPREP_I, UOP_FORPREP_F, UOP_FORSKIP_I,
                               UOP_FORSKIP_F, UOP_G_STACK, UOP_G_NOCLOSE,
                               UOP_NEXT_T, UOP_PUSHF, UOP_POPF, UOP_POPFC,
                               UOP_SETMT, UOP_NEWTAB, UOP_VARARG_T,
                               UOP_G_UPIN,
                               UOP_G_UPOUT, UOP_G_STRMT, UOP_STRH};
  for (size_t k = 0; k < NELEM(guards); k++)
    if (exits[guards[k]] == 0 || exits[guards[k]] == runs[guards[k]])
      fail_msg("%s exited %llu of %llu times", lua_uop_names[guards[k]],
               (unsigned long long)exits[guards[k]],
               (unsigned long long)runs[guards[k]]);
  assert_int_equal(exits[UOP_EXIT], runs[UOP_EXIT]);
  assert_int_equal(exits[UOP_K], 0);
  assert_int_equal(exec_calls - exec0, 2 * 2 * 400); /* EXEC, EXEC_F */
  cpjit_close(J);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(register_uops_match_reference),
      cmocka_unit_test(register_uop_chains_match_reference),
      cmocka_unit_test(slot_uops_match_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
