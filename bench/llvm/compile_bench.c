/*
 * compile_bench.c -- compile speed and code size of cpjit against an LLVM
 * ORC baseline on the same traces (issue 5, `make bench-compile`).
 *
 *   compile-bench [options] CORPUS...
 *     --real FILE      a corpus recorded by `cpjit-lua -jsave=FILE` (its
 *                      name without .corpus labels it): compiled, never run
 *                      (its operands are pointers into the process that
 *                      recorded it); reported per program and in total
 *     --hotloop FILE   a corpus of long-running loop traces: compare the
 *                      run time of cpjit's, LLVM -O0's and -O2's code
 *     --bc-dir DIR     where <set>_uops.bc live (default: the build's)
 *     --reps N         cpjit compiles per trace (default 50)
 *     --llvm-reps N    LLVM compiles per trace and level (default 1)
 *     --no-llvm        cpjit columns only
 *     --json F, --md F, --dat F   outputs (default: stdout gets the table)
 *
 * Every trace of every synthetic corpus is also RUN: the reference executor,
 * cpjit's code and LLVM's code (both levels) start from the same world and must
 * end with the same exit and the same world; a mismatch is a harness or
 * compiler bug, reported and counted, and makes the exit status 1.
 *
 * Traces are grouped by length into buckets 10 / 100 / 1000 uops (nearest
 * power of ten). cpjit: the corpus is compiled (and each trace freed) in
 * `reps` rounds; a trace's time is its median round. LLVM: `llvm-reps`
 * rounds likewise (default 1: one compile per trace and level). cpjit is
 * timed with the monotonic clock (minus the cost of reading it), LLVM with
 * the thread's CPU time (see llvm_backend.c). ns/uop =
 * sum of trace times / sum of uops; us/trace p50/p99 over the traces.
 * Bytes: cpjit_trace_code() size (trampoline + uops + exit stubs, no data);
 * LLVM: executable sections of the object emitted from the optimized module.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_sets.h"
#include "trace_corpus.h"
#ifdef CPJIT_BENCH_LLVM
#include "llvm_backend.h"
#endif

#ifndef CPJIT_BENCH_BC_DIR
#define CPJIT_BENCH_BC_DIR "."
#endif

#define NBUCKETS 3
#define MAX_REAL 64
static const unsigned bucket_len[NBUCKETS] = {10, 100, 1000};

enum { B_CPJIT, B_O0, B_O2, NBACKENDS };
static const char *const backend_name[NBACKENDS] = {"cpjit", "llvm-O0",
                                                    "llvm-O2"};
static const char *const backend_key[NBACKENDS] = {"cpjit", "llvm_O0",
                                                   "llvm_O2"};

typedef struct samples {
  double *v;
  size_t n, cap;
} samples;

typedef struct stat_row {
  int valid;
  samples us;        /* per-compile times */
  double total_ns;   /* sum of compile times */
  double total_uops; /* uops compiled (reps included) */
  double code_bytes; /* one compile per trace */
  double code_uops;
  double ntraces;
  double syscalls; /* cpjit only */
  double compiles;
  double ir_ns, opt_ns, jit_ns; /* LLVM phases */
} stat_row;

typedef struct set_result {
  const char *set;
  char label[64]; /* --real: the program */
  stat_row row[NBUCKETS][NBACKENDS];
  uint64_t mapped_bytes, live_code_bytes, live_traces; /* cpjit, all live */
  double parse_ms[NBACKENDS];
} set_result;

typedef struct run_result {
  const char *set;
  uint32_t trace, nuops;
  uint64_t steps;
  double ns_run[NBACKENDS]; /* median of runs; 0 when not measured */
} run_result;

static struct {
  const char *bc_dir, *json, *md, *dat;
  int reps, llvm_reps, use_llvm;
  const char *hotloop[8];
  int nhotloop;
  const char *corpus[8];
  int ncorpus;
  const char *real[MAX_REAL];
  int nreal;
} opt = {
    CPJIT_BENCH_BC_DIR, NULL, NULL, NULL, 50, 1, 1, {0}, 0, {0}, 0, {0}, 0};

static set_result results[8];
static int nresults;
static set_result real_results[MAX_REAL];
static int nreal_results;
static run_result runs[64];
static int nruns;
static unsigned long mismatches, checked, not_runnable;

/* -- Small tools ------------------------------------------------------------
 */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Cost of one now_ns() call, subtracted from each cpjit sample (a 10-uop
 * compile is a few hundred ns; reading the clock is tens of ns on a VM). */
static double clock_overhead_ns;

static void calibrate_clock(void) {
  double v[101];
  for (int i = 0; i < 101; i++) {
    uint64_t a = now_ns();
    uint64_t b = now_ns();
    v[i] = (double)(b - a);
  }
  for (int i = 1; i < 101; i++) /* insertion sort: tiny array */
    for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double t = v[j];
      v[j] = v[j - 1], v[j - 1] = t;
    }
  clock_overhead_ns = v[50];
}

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "compile-bench: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void push(samples *s, double v) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 256;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    if (!s->v)
      die("out of memory");
  }
  s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double pct(samples *s, double p) {
  if (!s->n)
    return 0;
  qsort(s->v, s->n, sizeof *s->v, cmp_double);
  size_t i = (size_t)ceil(p * (double)s->n) - 1;
  if (i >= s->n)
    i = s->n - 1;
  return s->v[i];
}

static int bucket_of(uint32_t n) {
  if (n <= 31)
    return 0;
  if (n <= 316)
    return 1;
  return 2;
}

static cpjit_jit *open_cpjit(const bench_set *set, const void ***helpers) {
  const cpjit_stencil_set *ss = set->stencils();
  *helpers = bench_helper_table(ss);
  if (!*helpers)
    die("out of memory");
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = ss;
  cfg.helpers = *helpers;
  cfg.nhelpers = ss->nhelpers;
  cpjit_jit *J = NULL;
  cpjit_status st = cpjit_open(&cfg, &J);
  if (st != CPJIT_OK)
    die("cpjit_open: %s", cpjit_status_str(st));
  return J;
}

static cpjit_trace *cpjit_compile_or_die(cpjit_jit *J, const bench_set *set,
                                         const trace_corpus_trace *t) {
  cpjit_trace *tr = NULL;
  cpjit_status st =
      cpjit_compile(J, t->uops, t->nuops, t->exits, t->nexits, &tr);
  if (st != CPJIT_OK) {
    int64_t i = cpjit_last_error_index(J);
    char where[96];
    snprintf(where, sizeof where, " at uop %lld (%s)", (long long)i,
             i >= 0 && (uint64_t)i < t->nuops ? set->ops.names[t->uops[i].op]
                                              : "-");
    die("cpjit_compile: %s%s", cpjit_status_str(st), where);
  }
  return tr;
}

/* -- Running a trace safely ---------------------------------------------------
 * runnable() rejects traces that leave the benchmark's world, but a corpus
 * is input: a trace that still faults or loops (e.g. a loop count of 2^63
 * loaded by a K uop) is stopped by a signal handler and reported, never a
 * crash of the benchmark. */

#define RUN_TIMEOUT_S 30

enum { RUN_REF, RUN_CPJIT, RUN_LLVM };

typedef struct run_ctx {
  const bench_set *set;
  int kind;
  void *code; /* cpjit entry, or llvm_trace * */
  void *w;
  const trace_corpus_trace *t;
  uint64_t max_steps;
} run_ctx;

static sigjmp_buf guard_jmp;
static volatile sig_atomic_t guard_active;

static void guard_handler(int sig) {
  if (guard_active)
    siglongjmp(guard_jmp, sig);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void guard_install(void) {
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = guard_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_NODEFER;
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    sigaction(sigs[i], &sa, NULL);
}

static uint64_t run_direct(const run_ctx *c) {
  switch (c->kind) {
  case RUN_REF:
    return c->set->ref_run(c->w, c->t->uops, c->t->nuops, c->t->exits,
                           c->t->nexits, c->max_steps);
  case RUN_CPJIT:
    return c->set->cpjit_run(c->code, c->w);
#ifdef CPJIT_BENCH_LLVM
  case RUN_LLVM:
    return llvm_backend_run(c->set, c->code, c->w);
#endif
  default:
    die("internal: bad run kind %d", c->kind);
  }
}

/* Run; returns 0 and the exit in *out, or the signal that stopped it. */
static int run_guarded(const run_ctx *c, uint64_t *out) {
  int sig = sigsetjmp(guard_jmp, 1);
  if (sig) {
    guard_active = 0;
    alarm(0);
    return sig;
  }
  guard_active = 1;
  alarm(RUN_TIMEOUT_S);
  *out = run_direct(c);
  alarm(0);
  guard_active = 0;
  return 0;
}

static unsigned long faults;

/* run_guarded, reporting a stopped run. Returns 0 when it ran. */
static int run_or_report(const run_ctx *c, uint64_t *out, const char *who,
                         const char *corpus, size_t trace) {
  int sig = run_guarded(c, out);
  if (!sig)
    return 0;
  faults++;
  fprintf(stderr, "compile-bench: %s trace %zu (%s): %s\n", corpus, trace, who,
          sig == SIGALRM ? "still running after "
                           "30 s, stopped"
                         : strsignal(sig));
  return -1;
}

/* -- Agreement ---------------------------------------------------------------
 * World 0 runs the reference executor, the others a compiled trace. */

typedef struct worlds {
  void *init, *ref, *run;
} worlds;

static void worlds_alloc(worlds *w, const bench_set *set) {
  w->init = malloc(set->world_size);
  w->ref = malloc(set->world_size);
  w->run = malloc(set->world_size);
  if (!w->init || !w->ref || !w->run)
    die("out of memory");
}

static void worlds_free(worlds *w) {
  free(w->init), free(w->ref), free(w->run);
}

static void check(const bench_set *set, worlds *w, uint64_t ref_exit,
                  uint64_t got, const char *who, const char *corpus,
                  size_t trace) {
  char why[160] = "";
  checked++;
  if (got != ref_exit)
    snprintf(why, sizeof why, "exit %llu, reference %llu",
             (unsigned long long)got, (unsigned long long)ref_exit);
  else if (!set->world_equal(w->ref, w->run, why, sizeof why))
    ;
  else
    return;
  mismatches++;
  fprintf(stderr, "compile-bench: MISMATCH %s trace %zu (%s): %s\n", corpus,
          trace, who, why);
}

/* -- One corpus --------------------------------------------------------------
 */

static void bench_corpus(const char *path, set_result *R, int real) {
  char setname[TRACE_CORPUS_MAX_SET_NAME + 1], err[512];
  if (trace_corpus_peek_set(path, setname, sizeof setname, err, sizeof err))
    die("%s", err);
  const bench_set *set = bench_set_find(setname);
  if (!set)
    die("%s: no uop set '%s' in this build", path, setname);
  trace_corpus c;
  if (trace_corpus_load(path, set->name, &set->ops, &c, err, sizeof err))
    die("%s", err);
  memset(R, 0, sizeof *R);
  R->set = set->name;
  const char *base = strrchr(path, '/');
  snprintf(R->label, sizeof R->label, "%s", base ? base + 1 : path);
  char *dot = strstr(R->label, ".corpus");
  if (dot)
    *dot = '\0';
  if (c.ntraces == 0) { /* the program compiled no trace */
    trace_corpus_free(&c);
    return;
  }
  worlds w;
  worlds_alloc(&w, set);

  /* cpjit: one compile of each trace (size, agreement), then timing. */
  const void **helpers;
  cpjit_jit *J = open_cpjit(set, &helpers);
  cpjit_trace **live = calloc(c.ntraces, sizeof *live);
  if (!live)
    die("out of memory");
  for (size_t i = 0; i < c.ntraces; i++) {
    const trace_corpus_trace *t = &c.traces[i];
    stat_row *row = &R->row[bucket_of(t->nuops)][B_CPJIT];
    live[i] = cpjit_compile_or_die(J, set, t);
    const void *code;
    size_t size;
    cpjit_trace_code(live[i], &code, &size);
    row->code_bytes += (double)size;
    row->code_uops += t->nuops;
    row->ntraces++;
    if (real)
      continue;
    if (!set->runnable(t->uops, t->nuops)) {
      not_runnable++;
      continue;
    }
    set->world_init(w.init, 0x5eed + i);
    set->world_clone(w.ref, w.init);
    uint64_t ref_exit, got;
    run_ctx rc = {set, RUN_REF, NULL, w.ref, t, 100000000};
    if (run_or_report(&rc, &ref_exit, "reference", path, i))
      continue;
    set->world_clone(w.run, w.init);
    run_ctx cc = {set, RUN_CPJIT, cpjit_trace_entry(live[i]), w.run, t, 0};
    if (run_or_report(&cc, &got, "cpjit", path, i) == 0)
      check(set, &w, ref_exit, got, "cpjit", path, i);
  }
  cpjit_stats st;
  cpjit_get_stats(J, &st);
  R->mapped_bytes = st.mapped_bytes;
  R->live_code_bytes = st.code_bytes_live;
  R->live_traces = st.traces_live;
  for (size_t i = 0; i < c.ntraces; i++)
    cpjit_trace_free(J, live[i]);
  free(live);
  /* Rounds over the whole corpus (a trace is not compiled twice in a row,
   * as in a VM); each trace's time is the median of its rounds, so a
   * preemption on a loaded machine does not count. */
  double *times = malloc(c.ntraces * (size_t)opt.reps * sizeof *times);
  if (!times)
    die("out of memory");
  for (int rep = 0; rep < opt.reps; rep++) {
    for (size_t i = 0; i < c.ntraces; i++) {
      const trace_corpus_trace *t = &c.traces[i];
      stat_row *row = &R->row[bucket_of(t->nuops)][B_CPJIT];
      cpjit_stats s0, s1;
      cpjit_get_stats(J, &s0);
      uint64_t t0 = now_ns();
      cpjit_trace *tr = cpjit_compile_or_die(J, set, t);
      uint64_t t1 = now_ns();
      cpjit_trace_free(J, tr);
      cpjit_get_stats(J, &s1);
      double dt = (double)(t1 - t0) - clock_overhead_ns;
      times[i * (size_t)opt.reps + (size_t)rep] = dt > 1 ? dt : 1;
      row->syscalls += (double)(s1.syscalls - s0.syscalls);
      row->compiles++;
    }
  }
  for (size_t i = 0; i < c.ntraces; i++) {
    const trace_corpus_trace *t = &c.traces[i];
    stat_row *row = &R->row[bucket_of(t->nuops)][B_CPJIT];
    double *v = &times[i * (size_t)opt.reps];
    qsort(v, (size_t)opt.reps, sizeof *v, cmp_double);
    double med = v[opt.reps / 2];
    row->valid = 1;
    push(&row->us, med / 1e3);
    row->total_ns += med;
    row->total_uops += t->nuops;
  }
  free(times);

#ifdef CPJIT_BENCH_LLVM
  if (opt.use_llvm) {
    char bc[4096];
    snprintf(bc, sizeof bc, "%s/%s_uops.bc", opt.bc_dir, set->name);
    for (int b = B_O0; b <= B_O2; b++) {
      llvm_backend *L;
      if (llvm_backend_open(&L, set, bc, b == B_O2 ? 2 : 0, err, sizeof err))
        die("LLVM: %s", err);
      R->parse_ms[b] = (double)llvm_backend_parse_ns(L) / 1e6;
      for (size_t i = 0; i < c.ntraces; i++) {
        const trace_corpus_trace *t = &c.traces[i];
        stat_row *row = &R->row[bucket_of(t->nuops)][b];
        double tot[64];
        int nrep = opt.llvm_reps < 64 ? opt.llvm_reps : 64;
        for (int rep = 0; rep < nrep; rep++) {
          llvm_trace lt;
          if (llvm_backend_compile(L, t->uops, t->nuops, t->exits, t->nexits,
                                   rep == 0, &lt, err, sizeof err))
            die("LLVM compile: %s", err);
          tot[rep] = (double)lt.ns_total;
          row->ir_ns += (double)lt.ns_ir / nrep;
          row->opt_ns += (double)lt.ns_opt / nrep;
          row->jit_ns += (double)lt.ns_jit / nrep;
          row->compiles++;
          if (rep == 0) {
            row->code_bytes += (double)lt.text_bytes;
            row->code_uops += t->nuops;
            row->ntraces++;
            if (!real && set->runnable(t->uops, t->nuops)) {
              set->world_init(w.init, 0x5eed + i);
              set->world_clone(w.ref, w.init);
              uint64_t ref_exit, got;
              run_ctx rc = {set, RUN_REF, NULL, w.ref, t, 100000000};
              run_ctx lc = {set, RUN_LLVM, &lt, w.run, t, 0};
              if (run_or_report(&rc, &ref_exit, "reference", path, i) == 0) {
                set->world_clone(w.run, w.init);
                if (run_or_report(&lc, &got, backend_name[b], path, i) == 0)
                  check(set, &w, ref_exit, got, backend_name[b], path, i);
              }
            }
          }
          llvm_backend_release(L, &lt);
        }
        qsort(tot, (size_t)nrep, sizeof tot[0], cmp_double);
        row->valid = 1;
        push(&row->us, tot[nrep / 2] / 1e3);
        row->total_ns += tot[nrep / 2];
        row->total_uops += t->nuops;
      }
      llvm_backend_close(L);
    }
  }
#endif
  cpjit_close(J);
  free(helpers);
  worlds_free(&w);
  trace_corpus_free(&c);
}

/* -- Run time of hot loops --------------------------------------------------
 */

#define RUNS 5

/* Uops the reference executor runs before leaving: the smallest step
 * budget with which it does not hit the limit. */
static uint64_t count_steps(const bench_set *set, worlds *w,
                            const trace_corpus_trace *t) {
  uint64_t lo = 0, hi = 1;
  for (;;) {
    set->world_clone(w->ref, w->init);
    uint64_t r;
    run_ctx rc = {set, RUN_REF, NULL, w->ref, t, hi};
    if (run_guarded(&rc, &r))
      return 0;
    if (r != set->step_limit)
      break;
    lo = hi;
    hi *= 2;
    if (hi > (1ull << 40))
      return 0;
  }
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    set->world_clone(w->ref, w->init);
    uint64_t r;
    run_ctx rc = {set, RUN_REF, NULL, w->ref, t, mid};
    if (run_guarded(&rc, &r))
      return 0;
    if (r != set->step_limit)
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

/* Median run time of a compiled trace (0 when a run was stopped). */
static double time_runs(const bench_set *set, worlds *w, int kind, void *code,
                        const trace_corpus_trace *t, uint64_t ref_exit,
                        const char *who, const char *path, size_t i) {
  double v[RUNS];
  for (int r = 0; r < RUNS; r++) {
    set->world_clone(w->run, w->init);
    run_ctx c = {set, kind, code, w->run, t, 0};
    uint64_t got;
    uint64_t t0 = now_ns();
    if (run_or_report(&c, &got, who, path, i))
      return 0;
    uint64_t t1 = now_ns();
    v[r] = (double)(t1 - t0);
    if (r == 0)
      check(set, w, ref_exit, got, who, path, i);
  }
  qsort(v, RUNS, sizeof v[0], cmp_double);
  return v[RUNS / 2];
}

static void bench_hotloop(const char *path) {
  char setname[TRACE_CORPUS_MAX_SET_NAME + 1], err[512];
  if (trace_corpus_peek_set(path, setname, sizeof setname, err, sizeof err))
    die("%s", err);
  const bench_set *set = bench_set_find(setname);
  if (!set)
    die("%s: no uop set '%s' in this build", path, setname);
  trace_corpus c;
  if (trace_corpus_load(path, set->name, &set->ops, &c, err, sizeof err))
    die("%s", err);
  worlds w;
  worlds_alloc(&w, set);
  const void **helpers;
  cpjit_jit *J = open_cpjit(set, &helpers);
#ifdef CPJIT_BENCH_LLVM
  llvm_backend *L[NBACKENDS] = {0};
  if (opt.use_llvm) {
    char bc[4096];
    snprintf(bc, sizeof bc, "%s/%s_uops.bc", opt.bc_dir, set->name);
    for (int b = B_O0; b <= B_O2; b++)
      if (llvm_backend_open(&L[b], set, bc, b == B_O2 ? 2 : 0, err, sizeof err))
        die("LLVM: %s", err);
  }
#endif
  for (size_t i = 0; i < c.ntraces && nruns < 64; i++) {
    const trace_corpus_trace *t = &c.traces[i];
    if (!set->runnable(t->uops, t->nuops)) {
      not_runnable++;
      continue;
    }
    run_result *rr = &runs[nruns++];
    memset(rr, 0, sizeof *rr);
    rr->set = set->name;
    rr->trace = (uint32_t)i;
    rr->nuops = t->nuops;
    set->world_init(w.init, 0x100b + i);
    rr->steps = count_steps(set, &w, t);
    set->world_clone(w.ref, w.init);
    uint64_t ref_exit;
    run_ctx rc = {set, RUN_REF, NULL, w.ref, t, UINT64_MAX - 1};
    if (rr->steps == 0 || run_or_report(&rc, &ref_exit, "reference", path, i)) {
      nruns--;
      continue;
    }
    cpjit_trace *tr = cpjit_compile_or_die(J, set, t);
    rr->ns_run[B_CPJIT] = time_runs(set, &w, RUN_CPJIT, cpjit_trace_entry(tr),
                                    t, ref_exit, "cpjit", path, i);
    cpjit_trace_free(J, tr);
#ifdef CPJIT_BENCH_LLVM
    for (int b = B_O0; b <= B_O2 && opt.use_llvm; b++) {
      llvm_trace lt;
      if (llvm_backend_compile(L[b], t->uops, t->nuops, t->exits, t->nexits, 0,
                               &lt, err, sizeof err))
        die("LLVM compile: %s", err);
      rr->ns_run[b] = time_runs(set, &w, RUN_LLVM, &lt, t, ref_exit,
                                backend_name[b], path, i);
      llvm_backend_release(L[b], &lt);
    }
#endif
  }
#ifdef CPJIT_BENCH_LLVM
  for (int b = 0; b < NBACKENDS; b++)
    llvm_backend_close(L[b]);
#endif
  cpjit_close(J);
  free(helpers);
  worlds_free(&w);
  trace_corpus_free(&c);
}

/* -- Output -----------------------------------------------------------------
 */

static double ns_per_uop(const stat_row *r) {
  return r->total_uops ? r->total_ns / r->total_uops : 0;
}
static double bytes_per_uop(const stat_row *r) {
  return r->code_uops ? r->code_bytes / r->code_uops : 0;
}

/* -- Real traces (--real) ----------------------------------------------------
 * Rows of one program (all lengths together) or of all programs (per length
 * bucket or all), merged from the per-corpus, per-bucket rows. */

static void merge_row(stat_row *d, const stat_row *s) {
  if (!s->valid)
    return;
  d->valid = 1;
  for (size_t i = 0; i < s->us.n; i++)
    push(&d->us, s->us.v[i]);
  d->total_ns += s->total_ns;
  d->total_uops += s->total_uops;
  d->code_bytes += s->code_bytes;
  d->code_uops += s->code_uops;
  d->ntraces += s->ntraces;
  d->syscalls += s->syscalls;
  d->compiles += s->compiles;
  d->ir_ns += s->ir_ns;
  d->opt_ns += s->opt_ns;
  d->jit_ns += s->jit_ns;
}

/* Program p (all when p < 0), bucket k (all when k < 0), backend b. Free
 * with free(row.us.v). */
static stat_row real_row(int p, int k, int b) {
  stat_row r;
  memset(&r, 0, sizeof r);
  for (int i = 0; i < nreal_results; i++)
    for (int j = 0; j < NBUCKETS; j++)
      if ((p < 0 || i == p) && (k < 0 || j == k))
        merge_row(&r, &real_results[i].row[j][b]);
  return r;
}

static void json_backend(FILE *f, int b, stat_row *r) {
  fprintf(f,
          ", \"%s\": {\"ns_per_uop\": %.2f, \"us_p50\": %.3f, "
          "\"us_p99\": %.3f, \"bytes_per_uop\": %.2f, \"bytes_per_trace\": "
          "%.1f, \"compiles\": %.0f",
          backend_key[b], ns_per_uop(r), pct(&r->us, 0.5), pct(&r->us, 0.99),
          bytes_per_uop(r), r->ntraces ? r->code_bytes / r->ntraces : 0,
          r->compiles);
  if (b == B_CPJIT)
    fprintf(f, ", \"syscalls_per_compile\": %.4f",
            r->compiles ? r->syscalls / r->compiles : 0);
  fprintf(f, "}");
}

/* One JSON object: name, traces, uops/trace and the backends of (p, k). */
static void json_real_entry(FILE *f, const char *name, int p, int k) {
  stat_row r[NBACKENDS];
  for (int b = 0; b < NBACKENDS; b++)
    r[b] = real_row(p, k, b);
  fprintf(f,
          "{\"program\": \"%s\", \"bucket\": \"%s\", \"traces\": %.0f, "
          "\"uops_per_trace\": %.1f",
          name, k < 0 ? "all" : (const char *[]){"10", "100", "1000"}[k],
          r[B_CPJIT].ntraces,
          r[B_CPJIT].ntraces ? r[B_CPJIT].code_uops / r[B_CPJIT].ntraces : 0);
  if (p >= 0)
    fprintf(f, ", \"mapped_bytes\": %llu, \"code_bytes_live\": %llu",
            (unsigned long long)real_results[p].mapped_bytes,
            (unsigned long long)real_results[p].live_code_bytes);
  for (int b = 0; b < NBACKENDS; b++) {
    if (r[b].valid)
      json_backend(f, b, &r[b]);
    free(r[b].us.v);
  }
  fprintf(f, "}");
}

static void write_json_real(FILE *f) {
  fprintf(f, "  \"real\": [");
  int first = 1;
  for (int p = 0; p < nreal_results; p++) {
    if (!real_results[p].row[0][B_CPJIT].valid &&
        !real_results[p].row[1][B_CPJIT].valid &&
        !real_results[p].row[2][B_CPJIT].valid)
      continue;
    fprintf(f, "%s\n    ", first ? "" : ",");
    json_real_entry(f, real_results[p].label, p, -1);
    first = 0;
  }
  for (int k = -1; k < NBUCKETS && nreal_results; k++) {
    stat_row c = real_row(-1, k, B_CPJIT);
    int valid = c.valid;
    free(c.us.v);
    if (!valid)
      continue;
    fprintf(f, "%s\n    ", first ? "" : ",");
    json_real_entry(f, "all", -1, k);
    first = 0;
  }
  fprintf(f, "\n  ],\n");
}

/* "12,345" style thousands separators for the wide LLVM numbers. */
static void fmt_num(char *buf, size_t len, double v, int decimals) {
  char raw[64];
  snprintf(raw, sizeof raw, "%.*f", decimals, v);
  char *dot = strchr(raw, '.');
  size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
  size_t o = 0;
  for (size_t i = 0; i < intlen && o + 2 < len; i++) {
    buf[o++] = raw[i];
    size_t left = intlen - i - 1;
    if (left && left % 3 == 0 && raw[i] != '-')
      buf[o++] = ',';
  }
  snprintf(buf + o, len - o, "%s", dot ? dot : "");
}

static void md_real_row(FILE *f, const char *name, int p, int k) {
  stat_row r[NBACKENDS];
  for (int b = 0; b < NBACKENDS; b++)
    r[b] = real_row(p, k, b);
  stat_row *c = &r[B_CPJIT];
  if (c->valid) {
    fprintf(f, "| %s | %.0f | %.1f | %.1f | %.2f / %.2f | %.1f | %.0f |", name,
            c->ntraces, c->code_uops / c->ntraces, ns_per_uop(c),
            pct(&c->us, 0.5), pct(&c->us, 0.99), bytes_per_uop(c),
            c->code_bytes / c->ntraces);
    for (int b = B_O0; b <= B_O2; b++) {
      char n[48], x[32];
      fmt_num(n, sizeof n, ns_per_uop(&r[b]), 0);
      double ratio = ns_per_uop(c) > 0 ? ns_per_uop(&r[b]) / ns_per_uop(c) : 0;
      fmt_num(x, sizeof x, ratio, ratio >= 100 ? 0 : 1);
      if (r[b].valid)
        fprintf(f, " %s (%sx) |", n, x);
      else
        fprintf(f, " - |");
    }
    if (r[B_O0].valid && r[B_O2].valid)
      fprintf(f, " %.0f / %.0f | %.1f / %.1f |\n", pct(&r[B_O0].us, 0.5),
              pct(&r[B_O2].us, 0.5), bytes_per_uop(&r[B_O0]),
              bytes_per_uop(&r[B_O2]));
    else
      fprintf(f, " - | - |\n");
  }
  for (int b = 0; b < NBACKENDS; b++)
    free(r[b].us.v);
}

static void write_md_real(FILE *f) {
  double traces = 0, uops = 0;
  int with = 0;
  char none[512] = "";
  for (int p = 0; p < nreal_results; p++) {
    stat_row c = real_row(p, -1, B_CPJIT);
    if (c.valid) {
      with++;
      traces += c.ntraces;
      uops += c.code_uops;
    } else {
      size_t l = strlen(none);
      snprintf(none + l, sizeof none - l, "%s%s", l ? ", " : "",
               real_results[p].label);
    }
    free(c.us.v);
  }
  fprintf(f,
          "### Real traces: compile speed and code size, cpjit vs LLVM ORC\n\n"
          "Every trace cpjit-lua's JIT compiled while running the benchmark "
          "programs, saved with `cpjit-lua -jsave=FILE` and compiled again "
          "here, unchanged: %d programs, %.0f traces, %.0f uops",
          with, traces, uops);
  if (none[0])
    fprintf(f, " (no trace: %s)", none);
  fprintf(f,
          ". cpjit: median of %d rounds per trace; LLVM: thread CPU time, "
          "one compile per trace and level (`--llvm-reps`); ratios are "
          "LLVM / cpjit.\n\n"
          "| program | traces | uops/trace | cpjit ns/uop | cpjit us/trace "
          "p50 / p99 | cpjit bytes/uop | cpjit bytes/trace | LLVM -O0 ns/uop "
          "| LLVM -O2 ns/uop | LLVM us/trace p50 -O0 / -O2 | LLVM bytes/uop "
          "-O0 / -O2 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
          "---:|\n",
          opt.reps);
  for (int p = 0; p < nreal_results; p++)
    md_real_row(f, real_results[p].label, p, -1);
  static const char *const bucket_name[NBUCKETS] = {
      "all, up to 31 uops", "all, 32 to 316 uops", "all, over 316 uops"};
  for (int k = 0; k < NBUCKETS; k++)
    md_real_row(f, bucket_name[k], -1, k);
  md_real_row(f, "**all programs**", -1, -1);
  fprintf(f, "\ncpjit's code cache per program (every trace of the corpus "
             "live at once) and system calls per compile in the steady "
             "state:\n\n| program | syscalls/compile | live traces | mapped "
             "bytes | code bytes written |\n|---|---:|---:|---:|---:|\n");
  for (int p = 0; p < nreal_results; p++) {
    stat_row c = real_row(p, -1, B_CPJIT);
    if (c.valid)
      fprintf(f, "| %s | %.4f | %llu | %llu | %llu |\n", real_results[p].label,
              c.compiles ? c.syscalls / c.compiles : 0,
              (unsigned long long)real_results[p].live_traces,
              (unsigned long long)real_results[p].mapped_bytes,
              (unsigned long long)real_results[p].live_code_bytes);
    free(c.us.v);
  }
  fprintf(f, "\n");
}

static void write_json(FILE *f) {
  fprintf(f,
          "{\n  \"tool\": \"compile-bench\",\n  \"reps\": %d,\n"
          "  \"llvm_reps\": %d,\n  \"llvm\": %s,\n"
          "  \"checked_runs\": %lu,\n  \"mismatches\": %lu,\n"
          "  \"stopped_runs\": %lu,\n"
          "  \"not_runnable\": %lu,\n",
          opt.reps, opt.llvm_reps, opt.use_llvm ? "true" : "false", checked,
          mismatches, faults, not_runnable);
  write_json_real(f);
  fprintf(f, "  \"compile\": [");
  int first = 1;
  for (int s = 0; s < nresults; s++) {
    set_result *R = &results[s];
    for (int k = 0; k < NBUCKETS; k++) {
      stat_row *c0 = &R->row[k][B_CPJIT];
      if (!c0->valid)
        continue;
      fprintf(f,
              "%s\n    {\"set\": \"%s\", \"bucket\": %u, \"traces\": %.0f, "
              "\"uops_per_trace\": %.1f",
              first ? "" : ",", R->set, bucket_len[k], c0->ntraces,
              c0->code_uops / c0->ntraces);
      first = 0;
      for (int b = 0; b < NBACKENDS; b++) {
        stat_row *r = &R->row[k][b];
        if (!r->valid)
          continue;
        fprintf(f,
                ",\n     \"%s\": {\"ns_per_uop\": %.2f, \"us_p50\": %.3f, "
                "\"us_p99\": %.3f, \"bytes_per_uop\": %.2f, "
                "\"bytes_per_trace\": %.1f, \"compiles\": %.0f",
                backend_key[b], ns_per_uop(r), pct(&r->us, 0.5),
                pct(&r->us, 0.99), bytes_per_uop(r), r->code_bytes / r->ntraces,
                r->compiles);
        if (b == B_CPJIT)
          fprintf(f, ", \"syscalls_per_compile\": %.4f",
                  r->syscalls / r->compiles);
        else
          fprintf(f,
                  ", \"ir_ns_per_uop\": %.2f, \"opt_ns_per_uop\": %.2f, "
                  "\"codegen_ns_per_uop\": %.2f, \"bitcode_parse_ms\": %.3f",
                  r->ir_ns / r->total_uops, r->opt_ns / r->total_uops,
                  r->jit_ns / r->total_uops, R->parse_ms[b]);
        fprintf(f, "}");
      }
      fprintf(f, "}");
    }
  }
  fprintf(f, "\n  ],\n  \"cpjit_cache\": [");
  for (int s = 0; s < nresults; s++)
    fprintf(f,
            "%s\n    {\"set\": \"%s\", \"live_traces\": %llu, "
            "\"mapped_bytes\": %llu, \"code_bytes_live\": %llu}",
            s ? "," : "", results[s].set,
            (unsigned long long)results[s].live_traces,
            (unsigned long long)results[s].mapped_bytes,
            (unsigned long long)results[s].live_code_bytes);
  fprintf(f, "\n  ],\n  \"run\": [");
  for (int i = 0; i < nruns; i++) {
    run_result *r = &runs[i];
    fprintf(f,
            "%s\n    {\"set\": \"%s\", \"trace\": %u, \"uops\": %u, "
            "\"steps\": %llu",
            i ? "," : "", r->set, r->trace, r->nuops,
            (unsigned long long)r->steps);
    for (int b = 0; b < NBACKENDS; b++)
      if (r->ns_run[b] > 0)
        fprintf(f, ", \"%s_ns_per_step\": %.3f", backend_key[b],
                r->ns_run[b] / (double)r->steps);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ]\n}\n");
}

static void fmt_ratio(char *buf, size_t len, double a, double b) {
  if (a > 0 && b > 0)
    snprintf(buf, len, "%.1fx", a / b);
  else
    snprintf(buf, len, "-");
}

static void write_md(FILE *f) {
  if (nreal_results)
    write_md_real(f);
  if (!nresults && !nruns)
    return;
  fprintf(f, "### Synthetic traces: compile speed and code size, cpjit vs "
             "LLVM ORC (random traces generated by gen-corpus, same uop "
             "bodies)\n\n");
  fprintf(f, "| set | uops/trace | backend | ns/uop | us/trace p50 | "
             "us/trace p99 | code bytes/uop | bytes/trace | vs cpjit "
             "(time) | vs cpjit (bytes) |\n|---|---|---|---|---|---|---|---|"
             "---|---|\n");
  for (int s = 0; s < nresults; s++) {
    set_result *R = &results[s];
    for (int k = 0; k < NBUCKETS; k++) {
      stat_row *c0 = &R->row[k][B_CPJIT];
      if (!c0->valid)
        continue;
      for (int b = 0; b < NBACKENDS; b++) {
        stat_row *r = &R->row[k][b];
        if (!r->valid)
          continue;
        char rt[32], rb[32];
        fmt_ratio(rt, sizeof rt, ns_per_uop(r), ns_per_uop(c0));
        fmt_ratio(rb, sizeof rb, bytes_per_uop(r), bytes_per_uop(c0));
        fprintf(f,
                "| %s | %.0f (%u) | %s | %.1f | %.2f | %.2f | %.1f | %.0f | "
                "%s | %s |\n",
                R->set, c0->code_uops / c0->ntraces, bucket_len[k],
                backend_name[b], ns_per_uop(r), pct(&r->us, 0.5),
                pct(&r->us, 0.99), bytes_per_uop(r), r->code_bytes / r->ntraces,
                b == B_CPJIT ? "1.0x" : rt, b == B_CPJIT ? "1.0x" : rb);
      }
    }
  }
  fprintf(f, "\ncpjit system calls per compile (steady state) and code cache "
             "with every trace of the corpus live:\n\n| set | syscalls/compile "
             "| live traces | mapped bytes | code bytes written |\n"
             "|---|---|---|---|---|\n");
  for (int s = 0; s < nresults; s++) {
    double sc = 0, n = 0;
    for (int k = 0; k < NBUCKETS; k++)
      sc += results[s].row[k][B_CPJIT].syscalls,
          n += results[s].row[k][B_CPJIT].compiles;
    fprintf(f, "| %s | %.4f | %llu | %llu | %llu |\n", results[s].set,
            n ? sc / n : 0, (unsigned long long)results[s].live_traces,
            (unsigned long long)results[s].mapped_bytes,
            (unsigned long long)results[s].live_code_bytes);
  }
  if (opt.use_llvm && nresults)
    fprintf(f,
            "\nTimes: cpjit = wall clock, median of %d rounds over the "
            "corpus, minus the clock's own cost (%.0f ns); LLVM = thread CPU "
            "time of linking the used uop bodies + IR building + "
            "`default<O0|O2>` + LLJIT add and lookup (median of %d). "
            "Parsing the bitcode once costs %.2f ms (%s set), not counted "
            "per trace. LLVM bytes are the executable sections of the "
            "object emitted from the same optimized module; cpjit bytes "
            "are the trace's code (trampoline, uops, exit stubs), without "
            "its data area.\n",
            opt.reps, clock_overhead_ns, opt.llvm_reps,
            results[0].parse_ms[B_O2], results[0].set);
  if (opt.use_llvm) {
    fprintf(f, "\nWhere LLVM's time goes (ns per uop): linking the used uop "
               "bodies and building the trace function, the pass pipeline, "
               "and LLJIT's code generation and linking (add + lookup):\n\n"
               "| set | uops/trace | level | link + IR | passes | codegen + "
               "JIT link |\n|---|---|---|---|---|---|\n");
    for (int s = 0; s < nresults; s++)
      for (int k = 0; k < NBUCKETS; k++)
        for (int b = B_O0; b <= B_O2; b++) {
          stat_row *r = &results[s].row[k][b];
          if (!r->valid)
            continue;
          fprintf(f, "| %s | %u | %s | %.0f | %.0f | %.0f |\n", results[s].set,
                  bucket_len[k], backend_name[b], r->ir_ns / r->total_uops,
                  r->opt_ns / r->total_uops, r->jit_ns / r->total_uops);
        }
  }
  if (nruns) {
    fprintf(f,
            "\n### Run time of the same synthetic loop traces (ns per "
            "executed uop, median of %d runs)\n\n| set | trace | uops | uops "
            "executed | "
            "cpjit | llvm-O0 | llvm-O2 | O0/cpjit | O2/cpjit |\n"
            "|---|---|---|---|---|---|---|---|---|\n",
            RUNS);
    for (int i = 0; i < nruns; i++) {
      run_result *r = &runs[i];
      double st = (double)r->steps;
      char a[32], b[32];
      fmt_ratio(a, sizeof a, r->ns_run[B_O0], r->ns_run[B_CPJIT]);
      fmt_ratio(b, sizeof b, r->ns_run[B_O2], r->ns_run[B_CPJIT]);
      fprintf(f, "| %s | %u | %u | %llu | %.3f | %.3f | %.3f | %s | %s |\n",
              r->set, r->trace, r->nuops, (unsigned long long)r->steps,
              r->ns_run[B_CPJIT] / st, r->ns_run[B_O0] / st,
              r->ns_run[B_O2] / st, a, b);
    }
  }
  fprintf(f,
          "\nAgreement: %lu runs compared with the reference executor, "
          "%lu mismatches, %lu runs stopped (fault or timeout)",
          checked, mismatches, faults);
  if (not_runnable)
    fprintf(f,
            " (%lu traces cannot run in the benchmark's world: "
            "compiled only)",
            not_runnable);
  fprintf(f, ".\n");
}

/* Gnuplot data: label, ns/uop and bytes/uop per backend. */
static void write_dat(FILE *f) {
  fprintf(f, "# label cpjit_ns O0_ns O2_ns cpjit_bytes O0_bytes O2_bytes\n");
  for (int k = 0; k < NBUCKETS && nreal_results; k++) {
    stat_row r[NBACKENDS];
    for (int b = 0; b < NBACKENDS; b++)
      r[b] = real_row(-1, k, b);
    if (r[B_CPJIT].valid) {
      fprintf(f, "real/%u", bucket_len[k]);
      for (int b = 0; b < NBACKENDS; b++)
        fprintf(f, " %.3f", r[b].valid ? ns_per_uop(&r[b]) : NAN);
      for (int b = 0; b < NBACKENDS; b++)
        fprintf(f, " %.3f", r[b].valid ? bytes_per_uop(&r[b]) : NAN);
      fprintf(f, "\n");
    }
    for (int b = 0; b < NBACKENDS; b++)
      free(r[b].us.v);
  }
  for (int s = 0; s < nresults; s++)
    for (int k = 0; k < NBUCKETS; k++) {
      stat_row *r = results[s].row[k];
      if (!r[B_CPJIT].valid)
        continue;
      fprintf(f, "synth-%s/%u", results[s].set, bucket_len[k]);
      for (int b = 0; b < NBACKENDS; b++)
        fprintf(f, " %.3f", r[b].valid ? ns_per_uop(&r[b]) : NAN);
      for (int b = 0; b < NBACKENDS; b++)
        fprintf(f, " %.3f", r[b].valid ? bytes_per_uop(&r[b]) : NAN);
      fprintf(f, "\n");
    }
}

static void write_file(const char *path, void (*fn)(FILE *)) {
  FILE *f = fopen(path, "w");
  if (!f)
    die("%s: %s", path, strerror(errno));
  fn(f);
  if (fclose(f) != 0)
    die("%s: %s", path, strerror(errno));
}

/* -- Main -------------------------------------------------------------------
 */

static int parse_count(const char *s, const char *what) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || end == s || v < 1 || v > 100000)
    die("bad %s '%s' (1..100000)", what, s);
  return (int)v;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "--no-llvm"))
      opt.use_llvm = 0;
    else if (!strcmp(a, "--reps") && more)
      opt.reps = parse_count(argv[++i], "--reps");
    else if (!strcmp(a, "--llvm-reps") && more)
      opt.llvm_reps = parse_count(argv[++i], "--llvm-reps");
    else if (!strcmp(a, "--llvm-reps"))
      die("--llvm-reps needs a count");
    else if (!strcmp(a, "--bc-dir") && more)
      opt.bc_dir = argv[++i];
    else if (!strcmp(a, "--json") && more)
      opt.json = argv[++i];
    else if (!strcmp(a, "--md") && more)
      opt.md = argv[++i];
    else if (!strcmp(a, "--dat") && more)
      opt.dat = argv[++i];
    else if (!strcmp(a, "--hotloop") && more && opt.nhotloop < 8)
      opt.hotloop[opt.nhotloop++] = argv[++i];
    else if (!strcmp(a, "--real") && more && opt.nreal < MAX_REAL)
      opt.real[opt.nreal++] = argv[++i];
    else if (a[0] != '-' && opt.ncorpus < 8)
      opt.corpus[opt.ncorpus++] = a;
    else
      die("bad argument '%s' (see the header of compile_bench.c)", a);
  }
#ifndef CPJIT_BENCH_LLVM
  if (opt.use_llvm)
    fprintf(stderr, "compile-bench: built without llvm-19-dev: LLVM columns "
                    "skipped\n");
  opt.use_llvm = 0;
#endif
  if (!opt.ncorpus && !opt.nhotloop && !opt.nreal)
    die("no corpus given");
  calibrate_clock();
  guard_install();
  for (int i = 0; i < opt.nreal; i++)
    bench_corpus(opt.real[i], &real_results[nreal_results++], 1);
  for (int i = 0; i < opt.ncorpus; i++)
    bench_corpus(opt.corpus[i], &results[nresults++], 0);
  for (int i = 0; i < opt.nhotloop; i++)
    bench_hotloop(opt.hotloop[i]);
  if (opt.json)
    write_file(opt.json, write_json);
  if (opt.dat)
    write_file(opt.dat, write_dat);
  if (opt.md)
    write_file(opt.md, write_md);
  write_md(stdout);
  if (mismatches || faults) {
    fprintf(stderr,
            "compile-bench: %lu mismatches between backends, %lu "
            "runs stopped\n",
            mismatches, faults);
    return 1;
  }
  return 0;
}
