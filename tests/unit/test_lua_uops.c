/*
 * test_lua_uops.c -- cpjit-lua's stencil set against its reference
 * executor: every uop alone on edge values, and random type-guarded traces
 * over a frame of tagged values, tables and upvalues, compared slot for slot.
 *
 * Random runs print their seed on failure; CPJIT_TEST_SEED replays one.
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
#include "trace/acc.h"

/* -- The fixture world ----------------------------------------------------- */

#define NSLOTS 40
#define NTAB 4
#define ASIZE 8
#define NUPV 3
#define NNODE 4 /* hash part size of every table */

/* Slot groups (register index ranges). */
#define S_INT 0   /* 0..7 integers */
#define S_FLT 8   /* 8..15 floats */
#define S_TAB 16  /* 16..19 tables (19 has a metatable) */
#define S_MISC 20 /* 20..23 nil, false, true, string */
#define S_FOR 24  /* 24..27 integer for loop state */
#define S_TMP 28  /* 28..39 scratch */

typedef struct world {
  TValue frame[1 + NSLOTS]; /* frame[0] is the closure, base = frame + 1 */
  Table tab[NTAB + 1];      /* tab[NTAB] is the metatable */
  TValue arr[NTAB][ASIZE];
  Node node[NTAB][NNODE];   /* hash parts: one key (shared_str) each */
  UpVal upv[NUPV];
  /* An LClosure with NUPV upvalues (its upvals[] is a flexible array). */
  _Alignas(LClosure) unsigned char closure[sizeof(LClosure) +
                                           NUPV * sizeof(UpVal *)];
  lua_State L; /* only L->ci->func is read (by EXEC) */
  CallInfo ci;
} world;

#define CLOSURE(w) ((LClosure *)(void *)(w)->closure)

/* A string object shared by both worlds: uops only compare its identity. */
static TString shared_str;

static world W1, W2;

static const int64_t int_edges[] = {0, 1, -1, 2, 7, -7, 100, INT64_MAX, INT64_MIN,
                                    INT64_MIN + 1, 63, 64, -64, 3000000000ll};
static const double flt_edges[] = {0.0, -0.0, 1.5, -2.25, 1e300, -1e-300, 3.0,
                                   0.1, 1e15, -7.0};

static uint64_t rnd(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545f4914f6cdd1dull;
}

static void set_int(TValue *o, int64_t i) { o->v.i = i, o->tt = TAG_INT; }
static void set_flt(TValue *o, double n) { o->v.n = n, o->tt = TAG_FLT; }

static void random_value(TValue *o, uint64_t *s) {
  switch (rnd(s) % 5) {
  case 0: set_int(o, int_edges[rnd(s) % (sizeof int_edges / 8)]); break;
  case 1: set_int(o, (int64_t)(rnd(s) % 200) - 100); break;
  case 2: set_flt(o, flt_edges[rnd(s) % (sizeof flt_edges / 8)]); break;
  case 3: o->tt = rnd(s) % 2 ? TAG_NIL : TAG_TRUE; o->v.i = 0; break;
  default: o->v.gc = (GCObject *)(void *)&shared_str; o->tt = TAG_SHRSTR; break;
  }
}

static void world_init(world *w, uint64_t *s) {
  memset(w, 0, sizeof *w);
  TValue *base = w->frame + 1;
  for (int i = 0; i < 8; i++) {
    set_int(&base[S_INT + i], i < 4 ? (int64_t)(rnd(s) % 40) - 20
                                    : int_edges[rnd(s) % (sizeof int_edges / 8)]);
    set_flt(&base[S_FLT + i], i < 4 ? (double)(int64_t)(rnd(s) % 400) / 8 - 25
                                    : flt_edges[rnd(s) % (sizeof flt_edges / 8)]);
  }
  for (int t = 0; t < NTAB; t++) {
    w->tab[t].tt = TAG_TABLE;
    w->tab[t].asize = ASIZE - (uint32_t)t; /* different sizes */
    w->tab[t].array = w->arr[t];
    for (int k = 0; k < ASIZE; k++)
      random_value(&w->arr[t][k], s);
    w->tab[t].lsizenode = 2;
    w->tab[t].node = w->node[t];
    for (int k = 0; k < NNODE; k++) {
      Node *n = &w->node[t][k];
      n->u.key_tt = k == t % NNODE ? TAG_SHRSTR : TAG_NIL;
      n->u.key_val.gc = (GCObject *)(void *)&shared_str;
      TValue v;
      random_value(&v, s);
      n->i_val.v = v.v;
      n->i_val.tt = v.tt;
    }
    base[S_TAB + t].v.gc = (GCObject *)(void *)&w->tab[t];
    base[S_TAB + t].tt = TAG_TABLE;
  }
  w->tab[NTAB].tt = TAG_TABLE;
  w->tab[NTAB - 1].metatable = &w->tab[NTAB];
  base[S_MISC + 0].tt = TAG_NIL;
  base[S_MISC + 1].tt = TAG_FALSE;
  base[S_MISC + 2].tt = TAG_TRUE;
  base[S_MISC + 3].v.gc = (GCObject *)(void *)&shared_str;
  base[S_MISC + 3].tt = TAG_SHRSTR;
  for (int i = S_TMP; i < NSLOTS; i++)
    random_value(&base[i], s);
  for (int u = 0; u < NUPV; u++) {
    w->upv[u].v = &w->upv[u].u.value;
    random_value(&w->upv[u].u.value, s);
    CLOSURE(w)->upvals[u] = &w->upv[u];
  }
  CLOSURE(w)->tt = TAG_LCL;
  CLOSURE(w)->nupvalues = NUPV;
  w->frame[0].v.gc = (GCObject *)(void *)CLOSURE(w);
  w->frame[0].tt = TAG_LCL;
  w->ci.func = w->frame;
  w->L.ci = &w->ci;
}

/* The EXEC uop's helper, standing in for the interpreter's slow path: it
 * writes an integer derived from the instruction pointer into a scratch
 * slot of the running frame, so both executors must pass the same pc and
 * frame, and count the call. */
static int exec_calls;
void jit_h_exec(lua_State *L, const Instruction *pc) {
  uintptr_t v = (uintptr_t)pc;
  set_int(&L->ci->func[1 + S_TMP + (int)(v % 12)], (int64_t)v);
  exec_calls++;
}


/* Stand-ins for the runtime's raw field access (the uops' helpers): they
 * never dereference the table, so any slot may be passed, and both
 * executors must pass the same key and see the same result. */
static TValue field_result;
const TValue *tab_getshortstr(Table *t, TString *key) {
  (void)t;
  field_result.v.i = (int64_t)((uintptr_t)key & 0xffff);
  field_result.tt = (uintptr_t)key & 1 ? TAG_INT : TAG_ABSTKEY;
  return &field_result;
}
static int setfield_calls;
void jit_h_setfield(lua_State *L, Table *t, TString *key, const TValue *val) {
  (void)L, (void)t, (void)key, (void)val;
  setfield_calls++;
}

/* Copy a world and move every pointer into it onto the copy. */
static void *rebase(const world *from, world *to, const void *p) {
  const char *c = p;
  if (c >= (const char *)from && c < (const char *)(from + 1))
    return (char *)to + (c - (const char *)from);
  return (void *)(uintptr_t)p;
}

static void rebase_value(const world *from, world *to, TValue *o) {
  if (o->tt & TAG_COLLECTABLE)
    o->v.gc = rebase(from, to, o->v.gc);
}

static void world_clone(world *to, const world *from) {
  memcpy(to, from, sizeof *to);
  for (int i = 0; i < 1 + NSLOTS; i++)
    rebase_value(from, to, &to->frame[i]);
  for (int t = 0; t <= NTAB; t++) {
    to->tab[t].array = rebase(from, to, to->tab[t].array);
    to->tab[t].node = rebase(from, to, to->tab[t].node);
    to->tab[t].metatable = rebase(from, to, to->tab[t].metatable);
  }
  for (int t = 0; t < NTAB; t++)
    for (int k = 0; k < ASIZE; k++)
      rebase_value(from, to, &to->arr[t][k]);
  for (int u = 0; u < NUPV; u++) {
    to->upv[u].v = rebase(from, to, to->upv[u].v);
    rebase_value(from, to, &to->upv[u].u.value);
    CLOSURE(to)->upvals[u] = rebase(from, to, CLOSURE(to)->upvals[u]);
  }
  to->ci.func = rebase(from, to, to->ci.func);
  to->L.ci = rebase(from, to, to->L.ci);
}

/* Pointers inside a world are compared relative to the world. */
static uint64_t canon(const world *w, const TValue *o) {
  if (o->tt == TAG_NIL || o->tt == TAG_FALSE || o->tt == TAG_TRUE)
    return 0; /* payload is meaningless */
  const char *p = (const char *)o->v.gc;
  if ((o->tt & TAG_COLLECTABLE) && p >= (const char *)w &&
      p < (const char *)(w + 1))
    return (uint64_t)(p - (const char *)w);
  return (uint64_t)o->v.i;
}

static int same_value(const world *a, const TValue *x, const world *b,
                      const TValue *y) {
  return x->tt == y->tt && canon(a, x) == canon(b, y);
}

static void compare_worlds(const char *what, uint64_t seed) {
  for (int i = 0; i < 1 + NSLOTS; i++)
    if (!same_value(&W1, &W1.frame[i], &W2, &W2.frame[i]))
      fail_msg("%s: slot %d differs (tag %d/%d, payload %llx/%llx); seed %llu",
               what, i - 1, W1.frame[i].tt, W2.frame[i].tt,
               (unsigned long long)W1.frame[i].v.i,
               (unsigned long long)W2.frame[i].v.i, (unsigned long long)seed);
  for (int t = 0; t < NTAB; t++)
    for (int k = 0; k < ASIZE; k++)
      if (!same_value(&W1, &W1.arr[t][k], &W2, &W2.arr[t][k]))
        fail_msg("%s: table %d[%d] differs; seed %llu", what, t, k + 1,
                 (unsigned long long)seed);
  for (int t = 0; t < NTAB; t++)
    for (int k = 0; k < NNODE; k++)
      if (!same_value(&W1, &W1.node[t][k].i_val, &W2, &W2.node[t][k].i_val) ||
          W1.node[t][k].u.key_tt != W2.node[t][k].u.key_tt)
        fail_msg("%s: table %d node %d differs; seed %llu", what, t, k,
                 (unsigned long long)seed);
  for (int u = 0; u < NUPV; u++)
    if (!same_value(&W1, &W1.upv[u].u.value, &W2, &W2.upv[u].u.value))
      fail_msg("%s: upvalue %d differs; seed %llu", what, u,
               (unsigned long long)seed);
}

/* -- Traces ----------------------------------------------------------------- */

#define MAXU 2048
static cpjit_uop U[MAXU];
static cpjit_exit E[512];
static uint32_t NU, NE;

static uint32_t emit(uint16_t op, int a, uint64_t b, uint64_t c) {
  cpjit_uop *u = &U[NU];
  memset(u, 0, sizeof *u);
  u->op = op;
  u->arg = (uint16_t)(16 * a);
  u->operand[0] = b;
  u->operand[1] = c;
  u->exit = NE;
  E[NE].operand[0] = 1000 + NE;
  E[NE].operand[1] = 0;
  NE++;
  return NU++;
}

#define D(r) ((uint64_t)(16 * (r)))

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

typedef uint64_t (*lua_entry)(lua_State *L, TValue *base);

static void run_both(cpjit_jit *J, const char *what, uint64_t seed) {
  cpjit_trace *t = NULL;
  cpjit_status st = cpjit_compile(J, U, NU, E, NE, &t);
  if (st != CPJIT_OK)
    fail_msg("%s: compile: %s at uop %lld (%s)", what, cpjit_status_str(st),
             (long long)cpjit_last_error_index(J),
             cpjit_last_error_index(J) >= 0
                 ? lua_uop_names[U[cpjit_last_error_index(J)].op]
                 : "-");
  uint64_t r1 = ((lua_entry)cpjit_trace_entry(t))(&W1.L, W1.frame + 1);
  uint64_t r2 = lua_ref_run(&W2.L, W2.frame + 1, U, NU, E, 100000000);
  if (r1 != r2)
    fail_msg("%s: exits differ: jit %llu, reference %llu; seed %llu", what,
             (unsigned long long)r1, (unsigned long long)r2,
             (unsigned long long)seed);
  compare_worlds(what, seed);
  cpjit_trace_free(J, t);
}

/* Every uop with every operand group, alone (after its guards). */
static void each_uop_alone_matches_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_lua_jit();
  uint64_t seed = 77;
  for (int op = 0; op < UOP__COUNT; op++) {
    for (int rep = 0; rep < 300; rep++) {
      uint64_t s = seed + (uint64_t)op * 1000 + (uint64_t)rep;
      world_init(&W1, &s);
      world_clone(&W2, &W1);
      NU = NE = 0;
      int a = S_TMP + (int)(rnd(&s) % 12);
      int b = (int)(rnd(&s) % NSLOTS), c = (int)(rnd(&s) % NSLOTS);
      int64_t k = int_edges[rnd(&s) % (sizeof int_edges / 8)];
      if (k > INT32_MAX || k < INT32_MIN)
        k = (int64_t)(rnd(&s) % 100) - 50;
      double kn = flt_edges[rnd(&s) % (sizeof flt_edges / 8)];
      uint64_t knb;
      memcpy(&knb, &kn, 8);
      const char *name = lua_uop_names[op];
      int tab = S_TAB + (int)(rnd(&s) % NTAB);
      uint32_t i;
      if (op == UOP_JUMP) {
        i = emit((uint16_t)op, a, 0, 0);
        U[i].target = i + 1;
      } else if (op == UOP_FORLOOP_I || op == UOP_FORLOOP_F ||
                 (op >= UOP_FOREND_I && op <= UOP_FORSKIP_F)) {
        TValue *ra = W1.frame + 1 + S_FOR;
        bool ints = name[strlen(name) - 1] == 'I';
        if ((op == UOP_FORPREP_I || op == UOP_FORSKIP_I) && rep % 2) {
          set_int(&ra[0], (int64_t)(rnd(&s) % 7) - 3);
          set_int(&ra[1], (int64_t)(rnd(&s) % 7) - 3);
          set_int(&ra[2], (int64_t)(rnd(&s) % 5) - 2);
        } else if ((op == UOP_FORPREP_F || op == UOP_FORSKIP_F) && rep % 2) {
          set_flt(&ra[0], (double)(rnd(&s) % 7) - 3);
          set_flt(&ra[1], (double)(rnd(&s) % 7) - 3.5);
          set_flt(&ra[2], (double)(rnd(&s) % 5) - 2);
        } else if (ints) {
          set_int(&ra[0], k), set_int(&ra[1], rep % 3),
              set_int(&ra[2], (int64_t)(rnd(&s) % 7) - 3);
        } else {
          set_flt(&ra[0], kn), set_flt(&ra[1], kn + (double)(rep % 5) - 2),
              set_flt(&ra[2], rep % 2 ? 1.0 : -0.5);
        }
        world_clone(&W2, &W1);
        i = emit((uint16_t)op, S_FOR, 0, 0);
      } else if (!strncmp(name, "GETI", 4) || !strncmp(name, "SETI", 4)) {
        int key = S_INT + (int)(rnd(&s) % 8);
        set_int(&W1.frame[1 + key], (int64_t)(rnd(&s) % (ASIZE + 2)) - 1);
        world_clone(&W2, &W1);
        uint32_t idx = (uint32_t)(rnd(&s) % ASIZE);
        int src = S_TMP + (int)(rnd(&s) % 12);
        if (op == UOP_GETI_AG || op == UOP_GETI_AFG || op == UOP_GETI_AIG) {
          i = emit((uint16_t)op, a, D(tab), D(key)); /* guard inside */
        } else if (op == UOP_SETI_AG) {
          i = emit((uint16_t)op, tab, D(key), D(src));
        } else if (op == UOP_GETI_A || op == UOP_GETI_AF || op == UOP_GETI_AI) {
          emit(UOP_G_ARR, tab, D(key), 0);
          i = emit((uint16_t)op, a, D(tab), D(key));
        } else if (op == UOP_GETI_AK) {
          emit(UOP_G_ARRK, tab, 0, idx);
          i = emit((uint16_t)op, a, D(tab), idx);
        } else if (op == UOP_SETI_A) {
          emit(UOP_G_ARR, tab, D(key), 0);
          i = emit((uint16_t)op, tab, D(key), D(src));
        } else {
          emit(UOP_G_ARRK, tab, 0, idx);
          i = emit((uint16_t)op, tab, idx, D(src));
        }
      } else if (op == UOP_G_HKEY || op == UOP_G_HKEYV || op == UOP_HGET ||
                 op == UOP_HGET_F || op == UOP_HSET) {
        uint32_t idx = (uint32_t)(rnd(&s) % (NNODE + 2)); /* some outside */
        uint64_t key = rep % 4 ? (uint64_t)(uintptr_t)&shared_str : 0x1234;
        int src = S_TMP + (int)(rnd(&s) % 12);
        i = emit(op == UOP_G_HKEYV ? UOP_G_HKEYV : UOP_G_HKEY, tab, idx, key);
        if (op == UOP_HGET || op == UOP_HGET_F)
          i = emit((uint16_t)op, a, D(tab), idx);
        else if (op == UOP_HSET)
          i = emit((uint16_t)op, tab, idx, D(src));
      } else if (op == UOP_G_VAL) {
        /* Values whose bits are the same in both worlds. */
        b = rep % 2 ? S_INT + (int)(rnd(&s) % 16) : S_MISC + (int)(rnd(&s) % 4);
        c = S_INT + (int)(rnd(&s) % 16);
        const TValue *o = &W1.frame[1 + (rep % 3 == 1 ? c : b)];
        i = emit((uint16_t)op, b, o->tt, rep % 3 ? (uint64_t)o->v.i : 77);
      } else if (op == UOP_EXEC) {
        i = emit((uint16_t)op, a, 0x1000 + rnd(&s) % 64, 0);
      } else if (op == UOP_G_TAG_EQ || op == UOP_G_TAG_NE) {
        i = emit((uint16_t)op, b, 0, W1.frame[1 + (rep % 2 ? b : c)].tt);
      } else if (op == UOP_G_UPT || op == UOP_GETTABUP_S) {
        i = emit((uint16_t)op, a, rnd(&s) % NUPV, 0x1000 + rnd(&s) % 64);
      } else if (op == UOP_GETUPVAL || op == UOP_SETUPVAL) {
        i = emit((uint16_t)op, a, rnd(&s) % NUPV, 0);
      } else if (op == UOP_K) {
        TValue v;
        random_value(&v, &s);
        i = emit((uint16_t)op, a, (uint64_t)v.v.i, v.tt);
      } else if (op == UOP_G_NOMT || op == UOP_G_ARR || op == UOP_G_ARRK) {
        int key = S_INT + (int)(rnd(&s) % 8);
        i = emit((uint16_t)op, tab, D(key), rnd(&s) % (ASIZE + 2));
      } else if (op <= UOP_G_GCNE) {
        /* Only objects outside the worlds keep their identity in both. */
        if (rep % 3 == 0) {
          W1.frame[1 + b].v.gc = (GCObject *)(void *)&shared_str;
          W1.frame[1 + b].tt = TAG_SHRSTR;
          world_clone(&W2, &W1);
        }
        uint64_t obj = (uint64_t)(uintptr_t)&shared_str;
        (void)obj;
        i = emit((uint16_t)op, b, 0,
                 op == UOP_G_GCEQ || op == UOP_G_GCNE ? obj : 0);
      } else {
        /* Operand types from the op's name: _II ints, _NN/_FF floats or
         * ints, _IK/_NK immediates; EQ_TT/EQ_GC on anything. */
        size_t len = strlen(name);
        int is_ii = strstr(name, "_II") != NULL || !strcmp(name + len - 2, "_I") ||
                    strstr(name, "_IK") != NULL;
        /* Accumulator forms: _A[FCAK] read B, _FA reads C from it. */
        int acc_b = strstr(name, "_AF") || strstr(name, "_AC") ||
                    strstr(name, "_AA") || strstr(name, "_AK");
        int acc_c = strstr(name, "_FA") || strstr(name, "_AA");
        int is_ff = strstr(name, "_FF") != NULL || strstr(name, "_FK") != NULL ||
                    strstr(name, "_FC") != NULL || !strcmp(name + len - 2, "_F") ||
                    acc_b || acc_c;
        int is_nk = strstr(name, "_NK") != NULL || !strcmp(name + len - 2, "_N");
        if (is_ii) {
          b = S_INT + (int)(rnd(&s) % 8), c = S_INT + (int)(rnd(&s) % 8);
        } else if (is_ff) {
          b = S_FLT + (int)(rnd(&s) % 8), c = S_FLT + (int)(rnd(&s) % 8);
        } else if (strstr(name, "_NN") || is_nk) {
          b = (int)(rnd(&s) % 16), c = (int)(rnd(&s) % 16);
        } else if (!strncmp(name, "EQ_TT", 5)) {
          b = S_MISC + (int)(rnd(&s) % 3), c = S_MISC + (int)(rnd(&s) % 3);
        }
        uint64_t opnd1 = D(c);
        if (strstr(name, "_IK") || strstr(name, "_FK") || strstr(name, "_AK"))
          opnd1 = (uint64_t)k;
        else if (is_nk || strstr(name, "_FC") || strstr(name, "_AC"))
          opnd1 = knb;
        /* An accumulating uop first leaves the operand's value in the
         * accumulator (x + 0.0 is x, but for -0.0: the slot gets it too). */
        if (acc_b && acc_c)
          c = b, opnd1 = D(c);
        if (acc_b || acc_c) {
          int src = acc_b ? b : c;
          emit(UOP_ADD_FC, src, D(src), 0);
        }
        i = emit((uint16_t)op, a, D(b), opnd1);
      }
      (void)i;
      uint32_t x = emit(UOP_EXIT, 0, 0, 0);
      U[i].target = x; /* jumps (loop back-edges) land on the exit */
      char what[80];
      snprintf(what, sizeof what, "%s rep %d", name, rep);
      run_both(J, what, s);
    }
  }
  cpjit_close(J);
}

/* Random type-guarded loop traces: guards as a recorder would emit them,
 * an integer for loop, mixed arithmetic, table and upvalue traffic. */
static void random_guarded_traces_match_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_lua_jit();
  const char *env = getenv("CPJIT_TEST_SEED");
  uint64_t seed0 = env ? strtoull(env, NULL, 0) : 20261122;
  static const uint16_t int_ops[] = {
      UOP_ADD_II, UOP_SUB_II, UOP_MUL_II, UOP_IDIV_II, UOP_MOD_II, UOP_BAND_II,
      UOP_BOR_II, UOP_BXOR_II, UOP_SHL_II, UOP_SHR_II};
  static const uint16_t int_k_ops[] = {
      UOP_ADD_IK, UOP_SUB_IK, UOP_MUL_IK, UOP_IDIV_IK, UOP_MOD_IK,
      UOP_BAND_IK, UOP_BOR_IK, UOP_BXOR_IK, UOP_SHL_IK, UOP_SHR_IK};
  static const uint16_t num_ops[] = {UOP_ADD_NN, UOP_SUB_NN, UOP_MUL_NN,
                                     UOP_DIV_NN, UOP_MOD_NN, UOP_IDIV_NN,
                                     UOP_POW_NN};
  static const uint16_t cmp_ops[] = {UOP_LT_II_T, UOP_LT_II_F, UOP_LE_II_T,
                                     UOP_LE_II_F, UOP_EQ_II_F, UOP_GT_IK_T,
                                     UOP_GE_IK_F, UOP_LT_IK_T};
  for (int n = 0; n < 3000; n++) {
    uint64_t seed = seed0 + (uint64_t)n * 7919u, s = seed | 1;
    world_init(&W1, &s);
    TValue *ra = W1.frame + 1 + S_FOR;
    set_int(&ra[0], 1), set_int(&ra[1], (int64_t)(rnd(&s) % 30)),
        set_int(&ra[2], 1);
    world_clone(&W2, &W1);
    NU = NE = 0;
    uint32_t head = 0;
    int len = 1 + (int)(rnd(&s) % 40);
    for (int j = 0; j < len; j++) {
      int a = S_TMP + (int)(rnd(&s) % 12);
      int b = S_INT + (int)(rnd(&s) % 8), c = S_INT + (int)(rnd(&s) % 8);
      /* Sources sometimes come from the scratch area, whose types vary:
       * the guards decide. */
      if (rnd(&s) % 3 == 0)
        b = S_TMP + (int)(rnd(&s) % 12);
      switch (rnd(&s) % 8) {
      case 0:
      case 1:
        emit(UOP_G_INT, b, 0, 0), emit(UOP_G_INT, c, 0, 0);
        emit(int_ops[rnd(&s) % 10], a, D(b), D(c));
        break;
      case 2:
        emit(UOP_G_INT, b, 0, 0);
        emit(int_k_ops[rnd(&s) % 10], a, D(b),
             (uint64_t)((int64_t)(rnd(&s) % 20) - 10));
        break;
      case 3:
        b = (int)(rnd(&s) % 16);
        emit(UOP_G_NUM, b, 0, 0), emit(UOP_G_NUM, c, 0, 0);
        emit(num_ops[rnd(&s) % 7], a, D(b), D(c));
        break;
      case 4:
        emit(UOP_G_INT, b, 0, 0), emit(UOP_G_INT, c, 0, 0);
        emit(cmp_ops[rnd(&s) % 8], 0, D(b), D(c));
        break;
      case 5: {
        int tab = S_TAB + (int)(rnd(&s) % NTAB);
        emit(UOP_G_TAB, tab, 0, 0), emit(UOP_G_NOMT, tab, 0, 0);
        emit(UOP_G_INT, b, 0, 0), emit(UOP_G_ARR, tab, D(b), 0);
        if (rnd(&s) % 2)
          emit(UOP_GETI_A, a, D(tab), D(b));
        else
          emit(UOP_SETI_A, tab, D(b), D(a));
        break;
      }
      case 6:
        if (rnd(&s) % 4 == 0)
          emit(UOP_EXEC, a, 0x2000 + rnd(&s) % 64, 0);
        else
          emit(rnd(&s) % 2 ? UOP_GETUPVAL : UOP_SETUPVAL, a, rnd(&s) % NUPV,
               0);
        break;
      default:
        emit(UOP_MOV, a, D(b), 0);
        break;
      }
    }
    uint32_t l = emit(UOP_FORLOOP_I, S_FOR, 0, 0);
    U[l].target = head;
    char what[64];
    snprintf(what, sizeof what, "random trace %d (%u uops)", n, NU);
    run_both(J, what, seed);
  }
  cpjit_close(J);
}

/* The peephole passes (runtime/trace/acc.c: super-uops, then the
 * accumulator) on random float traces: the rewritten trace, compiled, must
 * leave the same frame as the original run by the reference executor. Float chains, compares, typed loads, writes
 * of other types into the slots, EXEC and a loop back-edge all occur. */
static void acc_pass_keeps_traces_equal(void **unused) {
  (void)unused;
  cpjit_jit *J = open_lua_jit();
  static cpjit_uop orig[MAXU];
  uint64_t rewritten = 0, fused = 0;
  for (int n = 0; n < 3000; n++) {
    uint64_t seed = 4400 + (uint64_t)n * 104729u, s = seed | 1;
    world_init(&W1, &s);
    TValue *ra = W1.frame + 1 + S_FOR;
    bool flt_loop = n % 2; /* its step writes floats to A and A+3 */
    if (flt_loop)
      set_flt(&ra[0], 0.5), set_flt(&ra[1], (double)(rnd(&s) % 20)),
          set_flt(&ra[2], 1.0), set_flt(&ra[3], 0.5);
    else
      set_int(&ra[0], 1), set_int(&ra[1], (int64_t)(rnd(&s) % 20)),
          set_int(&ra[2], 1);
    world_clone(&W2, &W1);
    NU = NE = 0;
    int len = 1 + (int)(rnd(&s) % 30);
    int last = S_FLT; /* chains: sources often are the last result */
    int pre = (int)(rnd(&s) % 4); /* uops before the loop head */
    uint32_t head = 0;
    for (int j = 0; j < len + pre; j++) {
      if (j == pre)
        head = NU;
      int a = rnd(&s) % 3 ? S_TMP + (int)(rnd(&s) % 12)
                          : S_FLT + (int)(rnd(&s) % 8);
      if (rnd(&s) % 8 == 0)
        a = S_FOR + 3; /* the body may assign the loop's variable */
      int b = rnd(&s) % 2 ? last : S_FLT + (int)(rnd(&s) % 8);
      if (rnd(&s) % 6 == 0)
        b = S_FOR + 3;
      int c = rnd(&s) % 3 == 0 ? last : S_FLT + (int)(rnd(&s) % 8);
      double kd = flt_edges[rnd(&s) % (sizeof flt_edges / 8)];
      uint64_t kb;
      memcpy(&kb, &kd, 8);
      /* Before the head: array accesses, so fusing renumbers the loop. */
      switch (j < pre ? 6 : rnd(&s) % 10) {
      case 0: case 1: case 2:
        emit(UOP_G_FLT, b, 0, 0), emit(UOP_G_FLT, c, 0, 0);
        emit((uint16_t)(UOP_ADD_FF + rnd(&s) % 4), a, D(b), D(c));
        last = a;
        break;
      case 3:
        emit(UOP_G_FLT, b, 0, 0);
        emit((uint16_t)(UOP_ADD_FC + rnd(&s) % 4), a, D(b), kb);
        last = a;
        break;
      case 4:
        emit(UOP_G_FLT, b, 0, 0), emit(UOP_G_FLT, c, 0, 0);
        emit((uint16_t)(UOP_LT_FF_T + rnd(&s) % 6), 0, D(b), D(c));
        break;
      case 5:
        emit(UOP_G_FLT, b, 0, 0);
        emit((uint16_t)(UOP_LT_FK_T + rnd(&s) % 10), 0, D(b),
             (uint64_t)((int64_t)(rnd(&s) % 20) - 10));
        break;
      case 6: { /* array accesses: the fusion pass makes super-uops */
        int tab = S_TAB + (int)(rnd(&s) % NTAB), key = S_INT + (int)(rnd(&s) % 4);
        uint32_t g = emit(UOP_G_ARR, tab, D(key), 0);
        uint32_t x;
        switch (rnd(&s) % 4) {
        case 0: x = emit(UOP_GETI_AF, a, D(tab), D(key)), last = a; break;
        case 1: x = emit(UOP_GETI_AI, a, D(tab), D(key)); break;
        case 2: x = emit(UOP_GETI_A, a, D(tab), D(key)); break;
        default: x = emit(UOP_SETI_A, tab, D(key), D(b)); break;
        }
        if (rnd(&s) % 4)
          U[x].exit = U[g].exit; /* one exit for the instruction */
        break;
      }
      case 7: /* another type into a slot the accumulator may mirror */
        if (rnd(&s) % 2)
          emit(UOP_K, last, 7, TAG_INT);
        else
          emit(UOP_MOV, last, D(S_INT), 0);
        break;
      case 8:
        if (rnd(&s) % 3 == 0)
          emit(UOP_EXEC, a, 0x3000 + rnd(&s) % 64, 0);
        else
          emit(UOP_SQRT_N, a, D(b), 0), last = a;
        break;
      default:
        emit(UOP_MOV, a, D(b), 0);
        break;
      }
    }
    uint32_t l = emit(flt_loop ? UOP_FORLOOP_F : UOP_FORLOOP_I, S_FOR, 0, 0);
    U[l].target = head;
    emit(UOP_EXIT, 0, 0, 0);
    memcpy(orig, U, NU * sizeof *U);
    uint32_t n0 = NU;
    NU = trace_fuse(U, NU);
    fused += n0 - NU;
    rewritten += trace_acc_assign(U, &NU, MAXU, 16 * NSLOTS);

    cpjit_trace *t = NULL;
    assert_int_equal(cpjit_compile(J, U, NU, E, NE, &t), CPJIT_OK);
    uint64_t r1 = ((lua_entry)cpjit_trace_entry(t))(&W1.L, W1.frame + 1);
    uint64_t r2 = lua_ref_run(&W2.L, W2.frame + 1, orig, n0, E, 100000000);
    char what[64];
    snprintf(what, sizeof what, "acc trace %d (%u uops)", n, NU);
    if (r1 != r2)
      fail_msg("%s: exits differ: jit %llu, reference %llu", what,
               (unsigned long long)r1, (unsigned long long)r2);
    compare_worlds(what, seed);
    cpjit_trace_free(J, t);
  }
  /* The passes must actually have switched uops to the accumulator and
   * made super-uops. */
  assert_true(rewritten > 3000);
  assert_true(fused > 1000);
  cpjit_close(J);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_uop_alone_matches_reference),
      cmocka_unit_test(random_guarded_traces_match_reference),
      cmocka_unit_test(acc_pass_keeps_traces_equal),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
