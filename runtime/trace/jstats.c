/*
 * jstats.c -- the end of -jstats: what the trace JIT leaves visible.
 *
 *   - the abort reasons, normalized (every run of digits becomes N, so the
 *     same cause at different slots, counts or lines groups together) and
 *     ranked by how often they happened;
 *   - the EXEC reasons (instructions a trace runs through the interpreter's
 *     slow path): the opcode and what the recorder saw that made it give up
 *     (a metatable, a string operand, a C function, ...), counted per site
 *     in compiled traces and in aborted recordings, with an estimate of how
 *     often those sites ran;
 *   - the share of bytecodes run in trace code.
 *
 * Everything here runs only with -jstats (js->jstats != NULL): the
 * recorder and trace.c call in through one-line hooks, and the interpreter
 * counts its bytecodes through the dispatch table of -istats (vm.c,
 * L_ISTAT; the quickening report itself is printed only with -istats),
 * so -jstats off costs nothing in the interpreter.
 *
 * Bytecodes in traces are an estimate. Every run of a trace is seen:
 * entered from the interpreter (jit_backedge), or through a link, which
 * -jstats makes go through the host (trace.c link_exit: the exit is written
 * back to memory there). A root trace at the body of an integer for loop
 * ran (count at its start - count at its exit + 1) iterations: the loop's
 * remaining-iteration count is in slot A+1. Any other run counts one
 * iteration: right for side traces, a lower bound for while and repeat
 * loops. An iteration is worth the instructions the recording followed,
 * inlined calls included.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "trace_int.h"

#define JS_MAX_REASONS 64  /* distinct abort reasons kept; more: "other" */
#define JS_SHOW 12         /* rows printed per table */
#define JS_MAX_PENDING 4096 /* EXEC sites of one recording */

/* What the recorder saw at an EXEC site. */
#define JS_QUALS(X)                                                            \
  X(NONE, "")                                                                  \
  X(METATABLE, "metatable")                                                    \
  X(KEY, "non-integer key")                                                    \
  X(OUTSIDE, "outside the array part")                                         \
  X(LONGKEY, "long string key")                                                \
  X(STRING, "string")                                                          \
  X(NIL, "nil")                                                                \
  X(BOOLEAN, "boolean")                                                        \
  X(NUMBER, "number")                                                          \
  X(USERDATA, "userdata")                                                      \
  X(FUNCTION, "function")                                                      \
  X(THREAD, "thread")                                                          \
  X(TABLE, "table")                                                            \
  X(LUAFN, "Lua function")                                                     \
  X(CFN, "C function")                                                         \
  X(CALLMT, "__call")                                                          \
  X(DIVZERO, "by zero")                                                        \
  X(FLOATBIT, "float operand")

enum {
#define JS_QENUM(name, text) JQ_##name,
  JS_QUALS(JS_QENUM)
#undef JS_QENUM
  JQ__COUNT
};

static const char *const qual_text[JQ__COUNT] = {
#define JS_QTEXT(name, text) text,
    JS_QUALS(JS_QTEXT)
#undef JS_QTEXT
};

static const char *const op_names[NUM_OPCODES] = {
#define JS_OPNAME(name) #name,
    OPCODES(JS_OPNAME)
#undef JS_OPNAME
};

#define JS_NKEYS (NUM_OPCODES * JQ__COUNT)

typedef struct JsTrace {
  uint32_t ninsn;  /* instructions recorded */
  int32_t for_a;   /* root trace at an integer for loop's body: its A; -1 */
  uint32_t x0, nx; /* its EXEC sites: keys[x0 .. x0+nx) */
} JsTrace;

/* One activation of trace code from the interpreter (jit_backedge): the
 * trace it runs now (links go through the host under -jstats) and that
 * trace's for loop count when it started. */
typedef struct JsSeg {
  uint32_t id;
  int depth;      /* g->jitdepth outside it */
  int64_t count0; /* -1: no count */
} JsSeg;

#define JS_MAX_SEGS 256

typedef struct JsReason {
  char text[sizeof(((Recorder *)0)->why)];
  uint64_t n;
} JsReason;

struct JStats {
  JsReason reason[JS_MAX_REASONS];
  int nreasons;
  uint64_t reason_other;       /* aborts beyond JS_MAX_REASONS reasons */
  uint64_t in_traces[JS_NKEYS]; /* EXEC sites in compiled traces */
  uint64_t in_aborts[JS_NKEYS]; /* ... in aborted recordings */
  uint64_t runs[JS_NKEYS];      /* estimated executions */
  uint16_t pending[JS_MAX_PENDING]; /* the current recording's sites */
  uint32_t npending;
  JsTrace *tr;                 /* by trace id */
  uint32_t ntr;
  uint16_t *keys;              /* EXEC sites of every trace */
  uint32_t nkeys, capkeys;
  JsSeg seg[JS_MAX_SEGS];      /* activations running now */
  int nseg;
  uint64_t rec_insns;          /* instructions interpreted while recording */
  uint64_t trace_insns;        /* estimated instructions run in traces */
  uint64_t runs_counted;       /* trace runs with a counted iteration number */
  uint64_t runs_entry;         /* ... counted as one iteration */
  bool incomplete;             /* an allocation failed: some data is missing */
};

static void *js_realloc(jit_State *js, void *p, size_t o, size_t n) {
  return js->g->frealloc(js->g->ud, p, o, n);
}

void jstats_open(jit_State *js) {
  JStats *s = js_realloc(js, NULL, 0, sizeof *s);
  if (s)
    memset(s, 0, sizeof *s);
  js->jstats = s;
}

void jstats_close(jit_State *js) {
  JStats *s = js->jstats;
  if (!s)
    return;
  js_realloc(js, s->tr, s->ntr * sizeof *s->tr, 0);
  js_realloc(js, s->keys, s->capkeys * sizeof *s->keys, 0);
  js_realloc(js, s, sizeof *s, 0);
  js->jstats = NULL;
}

/* -- Record time ---------------------------------------------------------- */

static int type_qual(const TValue *o) {
  switch (ttype(o)) {
  case LUA_TNIL: return JQ_NIL;
  case LUA_TBOOLEAN: return JQ_BOOLEAN;
  case LUA_TNUMBER: return JQ_NUMBER;
  case LUA_TSTRING: return JQ_STRING;
  case LUA_TTABLE: return JQ_TABLE;
  case LUA_TFUNCTION: return JQ_FUNCTION;
  case LUA_TTHREAD: return JQ_THREAD;
  default: return JQ_USERDATA;
  }
}

/* t[key] (key NULL: a constant string key) */
static int access_qual(const TValue *t, const TValue *key) {
  if (!ttistable(t))
    return type_qual(t);
  if (hvalue(t)->metatable)
    return JQ_METATABLE;
  if (!key)
    return JQ_NONE;
  if (ttisinteger(key))
    return JQ_OUTSIDE;
  if (ttisstring(key) && !ttisshrstring(key))
    return JQ_LONGKEY;
  return ttisshrstring(key) ? JQ_NONE : JQ_KEY;
}

static int arith_qual(OpCode op, const TValue *x, const TValue *y) {
  const TValue *v[2] = {x, y};
  for (int j = 0; j < 2; j++)
    if (v[j] && ttisstring(v[j]))
      return JQ_STRING;
  for (int j = 0; j < 2; j++)
    if (v[j] && !ttisnumber(v[j]))
      return ttistable(v[j]) || ttisfulluserdata(v[j]) ? JQ_METATABLE
                                                       : type_qual(v[j]);
  bool bitwise = op == OP_BAND || op == OP_BOR || op == OP_BXOR ||
                 op == OP_SHL || op == OP_SHR || op == OP_BANDK ||
                 op == OP_BORK || op == OP_BXORK || op == OP_SHLK ||
                 op == OP_SHRK || op == OP_BNOT;
  if (bitwise)
    return JQ_FLOATBIT;
  if (y && ttisinteger(y) && ivalue(y) == 0 &&
      (op == OP_IDIV || op == OP_MOD || op == OP_IDIVK || op == OP_MODK))
    return JQ_DIVZERO;
  return JQ_NONE;
}

static int call_qual(const TValue *f) {
  if (ttisLclosure(f))
    return JQ_LUAFN;
  if (ttisfunction(f))
    return JQ_CFN;
  return JQ_CALLMT;
}

/* Why the instruction at pc of the frame being recorded is left to the
 * slow path, from its operands' values (it has not run yet). */
static int exec_qual(const Recorder *R, const Instruction *pc, OpCode op) {
  const CallInfo *ci =
      R->ninl && R->inl[R->ninl - 1].ci ? R->inl[R->ninl - 1].ci : R->ci;
  if (!ci || !ttisLclosure(ci->func))
    return JQ_NONE;
  const LClosure *cl = clLvalue(ci->func);
  const TValue *k = cl->p->k;
  const TValue *base = (ci->func + 1);
  Instruction i = *pc;
  int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  TValue imm;
  switch (op) {
  case OP_GETTABUP: return access_qual(cl->upvals[b]->v, k + c);
  case OP_GETTABLE: return access_qual(base + b, base + c);
  case OP_GETI: setivalue(&imm, c); return access_qual(base + b, &imm);
  case OP_GETFIELD: case OP_SELF: return access_qual(base + b, k + c);
  case OP_SETTABUP: return access_qual(cl->upvals[a]->v, k + b);
  case OP_SETTABLE: return access_qual(base + a, base + b);
  case OP_SETI: setivalue(&imm, b); return access_qual(base + a, &imm);
  case OP_SETFIELD: return access_qual(base + a, k + b);
  case OP_ADDI: case OP_SUBI:
    setivalue(&imm, GETARG_sC(i));
    return arith_qual(op, base + b, &imm);
  case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK:
  case OP_DIVK: case OP_IDIVK: case OP_BANDK: case OP_BORK: case OP_BXORK:
  case OP_SHLK: case OP_SHRK: case OP_ADDKL: case OP_MULKL:
    return arith_qual(op, base + b, k + c);
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_MOD: case OP_POW:
  case OP_DIV: case OP_IDIV: case OP_BAND: case OP_BOR: case OP_BXOR:
  case OP_SHL: case OP_SHR:
    return arith_qual(op, base + b, base + c);
  case OP_UNM: case OP_BNOT: return arith_qual(op, base + b, NULL);
  case OP_LEN:
    return ttistable(base + b) && hvalue(base + b)->metatable
               ? JQ_METATABLE : type_qual(base + b);
  case OP_CALL: case OP_TFORCALL: return call_qual(base + a);
  default: return JQ_NONE;
  }
}

void jstats_exec(Recorder *R, const Instruction *pc) {
  JStats *s = G(R->L)->jit->jstats;
  if (!s)
    return;
  OpCode op = GET_OPCODE(*pc);
  if ((unsigned)op >= NUM_OPCODES)
    return;
  if (s->npending >= JS_MAX_PENDING) {
    s->incomplete = true;
    return;
  }
  s->pending[s->npending++] = (uint16_t)(op * JQ__COUNT + exec_qual(R, pc, op));
}

/* "slot 12 changed type" -> "slot N changed type"; digits that end a
 * name (RETURN0) stay. */
static void normalize(char *d, size_t n, const char *why) {
  size_t o = 0;
  if (!*why)
    why = "aborted";
  for (const char *p = why; *p && o + 1 < n; p++) {
    bool in_name = p > why && (isalpha((unsigned char)p[-1]) || p[-1] == '_');
    if (!isdigit((unsigned char)*p)) {
      d[o++] = *p;
    } else if (in_name) { /* the whole run stays */
      for (; isdigit((unsigned char)*p) && o + 1 < n; p++)
        d[o++] = *p;
      p--;
    } else {
      while (isdigit((unsigned char)p[1]))
        p++;
      d[o++] = 'N';
    }
  }
  d[o] = '\0';
}

void jstats_abort(jit_State *js, const Recorder *R) {
  JStats *s = js->jstats;
  char text[sizeof s->reason[0].text];
  normalize(text, sizeof text, R->why);
  int j = 0;
  while (j < s->nreasons && strcmp(s->reason[j].text, text) != 0)
    j++;
  if (j == s->nreasons && j < JS_MAX_REASONS) {
    memcpy(s->reason[j].text, text, sizeof text);
    s->nreasons++;
  }
  if (j < s->nreasons)
    s->reason[j].n++;
  else
    s->reason_other++;
  for (uint32_t e = 0; e < s->npending; e++)
    s->in_aborts[s->pending[e]]++;
  s->npending = 0;
}

void jstats_trace(jit_State *js, const Recorder *R, const LuaTrace *t) {
  JStats *s = js->jstats;
  uint32_t id = (uint32_t)t->id;
  if (id >= s->ntr) {
    uint32_t n = s->ntr ? s->ntr : 64;
    while (n <= id)
      n *= 2;
    JsTrace *tr = js_realloc(js, s->tr, s->ntr * sizeof *tr, n * sizeof *tr);
    if (!tr) {
      s->incomplete = true;
      s->npending = 0;
      return;
    }
    memset(tr + s->ntr, 0, (n - s->ntr) * sizeof *tr);
    s->tr = tr;
    s->ntr = n;
  }
  if (s->nkeys + s->npending > s->capkeys) {
    uint32_t n = s->capkeys ? s->capkeys : 256;
    while (n < s->nkeys + s->npending)
      n *= 2;
    uint16_t *k = js_realloc(js, s->keys, s->capkeys * sizeof *k, n * sizeof *k);
    if (!k) {
      s->incomplete = true;
      s->npending = 0;
      return;
    }
    s->keys = k;
    s->capkeys = n;
  }
  JsTrace *x = &s->tr[id];
  x->ninsn = (uint32_t)R->ninsn;
  /* for_a: the for loop's body starts at the head; its closing FORLOOP
   * keeps the remaining iterations in A+1 (integer loops only). */
  x->for_a = -1;
  if (!R->parent && R->looped && R->for_a >= 0) {
    const TValue *fa = R->ci->func + 1 + R->for_a;
    if (ttisinteger(fa + 1) && ttisinteger(fa + 2))
      x->for_a = R->for_a;
  }
  x->x0 = s->nkeys;
  x->nx = s->npending;
  for (uint32_t e = 0; e < s->npending; e++) {
    s->in_traces[s->pending[e]]++;
    s->keys[s->nkeys++] = s->pending[e];
  }
  s->npending = 0;
}

void jstats_stop(jit_State *js, const Recorder *R) {
  JStats *s = js->jstats;
  s->npending = 0; /* a recording dropped without an abort (flush) */
  s->rec_insns += (uint64_t)R->ninsn + (uint64_t)R->callee_insns;
}

/* -- Run time ---------------------------------------------------------------- */

/* A for loop's remaining iterations at the head of trace id, or -1. */
static int64_t for_count(const JStats *s, uint32_t id, const CallInfo *ci) {
  if (id >= s->ntr || s->tr[id].for_a < 0)
    return -1;
  const TValue *ra = ci->func + 1 + s->tr[id].for_a;
  return ttisinteger(ra + 1) && ttisinteger(ra + 2) ? ivalue(ra + 1) : -1;
}

/* A run of trace seg->id ended, memory written back: its work. */
static void account(JStats *s, const JsSeg *seg, const CallInfo *ci) {
  if (seg->id >= s->ntr)
    return;
  const JsTrace *x = &s->tr[seg->id];
  uint64_t iters = 1;
  if (seg->count0 >= 0) {
    int64_t c1 = for_count(s, seg->id, ci);
    if (c1 >= 0 && c1 <= seg->count0)
      iters = (uint64_t)(seg->count0 - c1) + 1;
    s->runs_counted++;
  } else {
    s->runs_entry++;
  }
  s->trace_insns += iters * x->ninsn;
  for (uint32_t e = 0; e < x->nx; e++)
    s->runs[s->keys[x->x0 + e]] += iters;
}

/* Drop activations an error unwound (deeper than depth). */
static void unwind(JStats *s, int depth) {
  while (s->nseg > 0 && s->seg[s->nseg - 1].depth > depth)
    s->nseg--;
}

void jstats_enter(jit_State *js, const LuaTrace *t, const CallInfo *ci) {
  JStats *s = js->jstats;
  int depth = js->g->jitdepth;
  unwind(s, depth - 1);
  if (s->nseg == JS_MAX_SEGS) {
    s->incomplete = true;
    return;
  }
  JsSeg *seg = &s->seg[s->nseg++];
  seg->id = (uint32_t)t->id;
  seg->depth = depth;
  seg->count0 = for_count(s, seg->id, ci);
}

void jstats_link(JStats *s, const global_State *g, const LuaTrace *next,
                 const CallInfo *ci) {
  unwind(s, g->jitdepth - 1); /* inside the activation's run_trace */
  if (s->nseg == 0 || s->seg[s->nseg - 1].depth != g->jitdepth - 1)
    return;
  JsSeg *seg = &s->seg[s->nseg - 1];
  account(s, seg, ci);
  seg->id = (uint32_t)next->id;
  seg->count0 = for_count(s, seg->id, ci);
}

void jstats_leave(jit_State *js, const CallInfo *ci) {
  JStats *s = js->jstats;
  int depth = js->g->jitdepth;
  unwind(s, depth);
  if (s->nseg == 0 || s->seg[s->nseg - 1].depth != depth)
    return;
  account(s, &s->seg[s->nseg - 1], ci);
  s->nseg--;
}

/* -- Report -------------------------------------------------------------------- */

static int cmp_reason(const void *a, const void *b) {
  const JsReason *x = a, *y = b;
  if (x->n != y->n)
    return x->n < y->n ? 1 : -1;
  return strcmp(x->text, y->text);
}

typedef struct JsRow {
  uint16_t key;
  uint64_t sites, aborted, runs;
} JsRow;

static int cmp_row(const void *a, const void *b) {
  const JsRow *x = a, *y = b;
  uint64_t nx = x->sites + x->aborted, ny = y->sites + y->aborted;
  if (nx != ny)
    return nx < ny ? 1 : -1;
  if (x->runs != y->runs)
    return x->runs < y->runs ? 1 : -1;
  return (int)x->key - (int)y->key;
}

static void key_name(uint16_t key, char *buf, size_t n) {
  int op = key / JQ__COUNT, q = key % JQ__COUNT;
  if (q == JQ_NONE)
    snprintf(buf, n, "%s", op_names[op]);
  else
    snprintf(buf, n, "%s (%s)", op_names[op], qual_text[q]);
}

void jstats_print(jit_State *js) {
  JStats *s = js->jstats;
  if (!s) {
    fprintf(stderr, "  (no room for the tables of what is left visible)\n");
    return;
  }
  uint64_t interp = s->rec_insns;
  if (js->g->qstats) /* vm.c's -istats counters: made for -jstats too */
    for (int op = 0; op < NUM_ALLOPS; op++)
      interp += js->g->qstats->exec[op];
  uint64_t total = interp + s->trace_insns;
  fprintf(stderr,
          "[JIT stats: what is left visible]\n"
          "  bytecodes         %" PRIu64 " interpreted (counted), %" PRIu64
          " in traces (estimated)\n"
          "                    estimate: per trace run, iterations x instructions"
          " recorded; iterations from the for loop's count (%" PRIu64 " runs),"
          " else 1 (%" PRIu64 " runs: side traces, and a lower bound for while"
          " loops)\n",
          interp, s->trace_insns, s->runs_counted, s->runs_entry);
  fprintf(stderr, "  share of bytecodes in traces: %d%%\n",
          total ? (int)((s->trace_insns * 100 + total / 2) / total) : 0);
  if (s->incomplete)
    fprintf(stderr, "  (out of memory for statistics: counts are incomplete)\n");

  fprintf(stderr, "  abort reasons     %-52s %10s\n", "(digits shown as N)", "count");
  qsort(s->reason, (size_t)s->nreasons, sizeof s->reason[0], cmp_reason);
  uint64_t other = s->reason_other;
  for (int j = 0; j < s->nreasons; j++) {
    if (j < JS_SHOW)
      fprintf(stderr, "    %2d  %-62.62s %10" PRIu64 "\n", j + 1, s->reason[j].text,
              s->reason[j].n);
    else
      other += s->reason[j].n;
  }
  if (other)
    fprintf(stderr, "        %-62s %10" PRIu64 "\n", "other", other);
  if (s->nreasons == 0)
    fprintf(stderr, "        (none)\n");

  fprintf(stderr, "  EXEC reasons      %-38s %10s %10s %14s\n", "(slow paths)",
          "in traces", "in aborts", "runs (est.)");
  fprintf(stderr, "                    (runs: of the sites in root traces run from the"
          " interpreter, as estimated above)\n");
  JsRow rows[JS_SHOW + 1];
  int nrows = 0;
  JsRow rest = {0, 0, 0, 0};
  /* keep the JS_SHOW largest (insertion into a short sorted list) */
  for (uint32_t key = 0; key < JS_NKEYS; key++) {
    JsRow r = {(uint16_t)key, s->in_traces[key], s->in_aborts[key], s->runs[key]};
    if (!r.sites && !r.aborted)
      continue;
    int j = nrows;
    rows[nrows++] = r;
    while (j > 0 && cmp_row(&rows[j - 1], &rows[j]) > 0) {
      JsRow tmp = rows[j - 1];
      rows[j - 1] = rows[j];
      rows[j] = tmp;
      j--;
    }
    if (nrows > JS_SHOW) {
      nrows--;
      rest.sites += rows[nrows].sites;
      rest.aborted += rows[nrows].aborted;
      rest.runs += rows[nrows].runs;
    }
  }
  for (int j = 0; j < nrows; j++) {
    char name[64];
    key_name(rows[j].key, name, sizeof name);
    fprintf(stderr, "    %2d  %-48s %10" PRIu64 " %10" PRIu64 " %14" PRIu64 "\n", j + 1,
            name, rows[j].sites, rows[j].aborted, rows[j].runs);
  }
  if (rest.sites || rest.aborted)
    fprintf(stderr, "        %-48s %10" PRIu64 " %10" PRIu64 " %14" PRIu64 "\n", "other",
            rest.sites, rest.aborted, rest.runs);
  if (nrows == 0)
    fprintf(stderr, "        (none)\n");
}
