/*
 * compile_bench.c -- -Ocbench=N: the time of everything after recording
 * (loop optimization, DCE, register allocation, lowering, cpjit_compile
 * including making the code executable), measured on the real traces of
 * the program being run.
 *
 * Each finished recording is compiled N extra times from a copy of its IR
 * before the real compile: the recorder's state is saved, and restored
 * before every run (outside the timed region), so every run does the same
 * work on warm caches (one more run before them warms up; the first maps
 * the code arena). The code of these runs is freed at once. Per trace
 * the median of the N runs is kept; at exit one line per trace and the
 * median over the traces go to stderr (bench/bench_compile.c collects the
 * lines of several programs).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace_int.h"

typedef struct CBench {
  double *ns_per_ins; /* per trace: median ns per IR instruction */
  uint32_t *nins;     /* per trace: IR instructions */
  uint32_t n, cap;
  uint64_t syscalls, compiles;
} CBench;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* One run of the pipeline of trace.c: finish_recording, on R as it is. */
static bool run_once(jit_State *js, Recorder *R, cpjit_exit *cx) {
  IRBuf *B = &R->B;
  IRAlloc *A = js->ra;
  LowerOut *lo = &js->lo;
  bool ok = !R->looped || ir_loop(R);
  if (ok && B->opt.dce)
    ir_dce(B);
  ok = ok && !B->overflow && ir_regalloc(B, A, lua_NGPR, lua_NFPR, R->spill0);
  lo->exitstress = (uint32_t)js->opts.exitstress;
  ok = ok && ir_lower(B, A, R->inherit ? NULL : R->parent, R->nexits, lo);
  if (!ok)
    return false;
  cpjit_trace *t = NULL;
  if (cpjit_compile_named(js->J, lo->uops, lo->nuops, cx, R->nexits, "cbench",
                          &t) != CPJIT_OK)
    return false;
  cpjit_trace_free(js->J, t);
  return true;
}

void jit_cbench_trace(jit_State *js, Recorder *R) {
  int runs = js->opts.cbench;
  CBench *cb = js->cbench;
  if (runs <= 0)
    return;
  if (!cb) {
    cb = js->cbench = calloc(1, sizeof *cb);
    if (!cb)
      return;
  }
  IRBuf *B = &R->B;
  Recorder *saved = malloc(sizeof *saved);
  IRIns *ins = malloc((B->n ? B->n : 1) * sizeof *ins);
  Snapshot *snap = malloc((B->nsnap ? B->nsnap : 1) * sizeof *snap);
  SnapEntry *ent = malloc((B->nsnapent ? B->nsnapent : 1) * sizeof *ent);
  cpjit_exit *cx = calloc(JIT_MAX_EXITS, sizeof *cx);
  uint64_t *t = malloc((size_t)runs * sizeof *t);
  if (cb->n == cb->cap) {
    uint32_t cap = cb->cap ? 2 * cb->cap : 64;
    double *a = realloc(cb->ns_per_ins, cap * sizeof *a);
    if (a)
      cb->ns_per_ins = a;
    uint32_t *b = realloc(cb->nins, cap * sizeof *b);
    if (b)
      cb->nins = b;
    if (a && b)
      cb->cap = cap;
  }
  if (!saved || !ins || !snap || !ent || !cx || !t || cb->n == cb->cap)
    goto done;
  *saved = *R;
  memcpy(ins, B->ins, B->n * sizeof *ins);
  memcpy(snap, B->snap, B->nsnap * sizeof *snap);
  memcpy(ent, B->snapent, B->nsnapent * sizeof *ent);
  uint8_t noinherit = R->parent ? R->parent->noinherit : 0;
  uint32_t nins = 0;
  bool ok = true;
  cpjit_stats s0, s1;
  for (int r = -1; r < runs && ok; r++) { /* run -1 warms up (and maps) */
    if (r == 0)
      cpjit_get_stats(js->J, &s0);
    *R = *saved;
    memcpy(B->ins, ins, saved->B.n * sizeof *ins);
    memcpy(B->snap, snap, saved->B.nsnap * sizeof *snap);
    memcpy(B->snapent, ent, saved->B.nsnapent * sizeof *ent);
    uint64_t t0 = now_ns();
    ok = run_once(js, R, cx);
    if (r >= 0)
      t[r] = now_ns() - t0;
    nins = B->n; /* as -jstats counts: after the loop pass */
  }
  cpjit_get_stats(js->J, &s1);
  *R = *saved;
  memcpy(B->ins, ins, saved->B.n * sizeof *ins);
  memcpy(B->snap, snap, saved->B.nsnap * sizeof *snap);
  memcpy(B->snapent, ent, saved->B.nsnapent * sizeof *ent);
  if (R->parent)
    R->parent->noinherit = noinherit;
  if (ok && nins) {
    qsort(t, (size_t)runs, sizeof *t, cmp_u64);
    cb->ns_per_ins[cb->n] = (double)t[runs / 2] / nins;
    cb->nins[cb->n++] = nins;
    cb->syscalls += s1.syscalls - s0.syscalls;
    cb->compiles += (uint64_t)runs;
  }
done:
  free(saved);
  free(ins);
  free(snap);
  free(ent);
  free(cx);
  free(t);
}

void jit_cbench_close(jit_State *js) {
  CBench *cb = js->cbench;
  if (!cb)
    return;
  for (uint32_t i = 0; i < cb->n; i++)
    fprintf(stderr, "[cbench] trace %u: %u IR instructions, %.1f ns per IR instruction\n",
            i + 1, cb->nins[i], cb->ns_per_ins[i]);
  if (cb->n) {
    qsort(cb->ns_per_ins, cb->n, sizeof *cb->ns_per_ins, cmp_double);
    fprintf(stderr,
            "[cbench] %u traces, median %.1f ns per IR instruction "
            "(min %.1f, max %.1f), %.3f system calls per compile\n",
            cb->n, cb->ns_per_ins[cb->n / 2], cb->ns_per_ins[0],
            cb->ns_per_ins[cb->n - 1],
            cb->compiles ? (double)cb->syscalls / (double)cb->compiles : 0.0);
  }
  free(cb->ns_per_ins);
  free(cb->nins);
  free(cb);
  js->cbench = NULL;
}
