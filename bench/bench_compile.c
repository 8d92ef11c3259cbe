/*
 * bench_compile.c -- compile speed of cpjit (`make bench-compile`).
 *
 * 1. Toy traces: for traces of 10, 100 and 1,000 uops, compile (including
 * making the code executable) and free many times; report the median of
 * several runs in ns per uop and us per trace, bytes of code per uop, and
 * the system calls made per compile in the steady state.
 *
 * 2. Real traces (`bench-compile RUNS CPJIT_LUA PROGRAM_DIR`): every trace
 * cpjit-lua records on the programs of PROGRAM_DIR (default options) is
 * compiled RUNS more times from its recorded IR (-Ocbench=RUNS:
 * runtime/trace/compile_bench.c): everything after recording, i.e. the IR
 * passes, register allocation, lowering and cpjit_compile. Reported: ns per
 * IR instruction, per program and the median over all traces, and the
 * system calls per compile in the steady state.
 *
 * CPJIT_BENCH_DEBUG=gdb|jitdump|perfmap measures the same with that debug
 * feature on (CPJIT_FLAG_GDB, _JITDUMP into /tmp, _PERF_MAP), at a tenth of
 * the iterations so the files stay small.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "toy.h"
#include "toy_trace.h"

static toy_trace T;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* A straight-line trace of `len` random uops ending in an exit (no loop:
 * every uop is compiled once, as in a recorded trace). */
static void make_trace(uint32_t len, uint64_t seed) {
  uint64_t s = seed;
  T.n = T.nexits = 0;
  while (T.n + 3 < len && T.n + 3 < TOY_MAX_UOPS && T.nexits + 2 < TOY_MAX_EXITS)
    toy_random_uop(&T, &s);
  while (T.n + 1 < len)
    toy_emit(&T, TOY_ADD, 1, 2, 3);
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 1);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Part 2: the real traces of the programs in `dir`, through `exe`. */
static int real_traces(int runs, const char *exe, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "bench-compile: cannot open %s\n", dir);
    return 1;
  }
  char *names[256];
  int nnames = 0;
  struct dirent *e;
  while ((e = readdir(d)) && nnames < 256) {
    size_t l = strlen(e->d_name);
    if (l > 4 && strcmp(e->d_name + l - 4, ".lua") == 0)
      names[nnames++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)nnames, sizeof *names, cmp_name);
  size_t cap = 1024, n = 0;
  double *all = malloc(cap * sizeof *all);
  double syscalls = 0;
  int nprog = 0;
  printf("\nReal traces: everything after recording (IR passes, register "
         "allocation,\nlowering, cpjit_compile), median of %d compiles per "
         "trace (cpjit-lua -Ocbench=%d)\n\n",
         runs, runs);
  printf("| program | traces | IR instructions | ns/IR (median over traces) "
         "|\n|---|---|---|---|\n");
  for (int i = 0; i < nnames && all; i++) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' -Ocbench=%d '%s/%s' 2>&1 >/dev/null", exe,
             runs, dir, names[i]);
    FILE *p = popen(cmd, "r");
    if (!p)
      continue;
    char line[512];
    size_t first = n;
    unsigned long nins_total = 0;
    while (fgets(line, sizeof line, p)) {
      unsigned id, nins;
      double ns, sc;
      if (sscanf(line, "[cbench] trace %u: %u IR instructions, %lf", &id,
                 &nins, &ns) == 3) {
        if (n == cap) {
          double *a = realloc(all, 2 * cap * sizeof *all);
          if (!a)
            break;
          all = a;
          cap *= 2;
        }
        all[n++] = ns;
        nins_total += nins;
      } else if (strstr(line, "system calls per compile") &&
                 sscanf(strrchr(line, ')') + 1, ", %lf", &sc) == 1) {
        syscalls += sc;
        nprog++;
      }
    }
    pclose(p);
    if (n > first) {
      qsort(all + first, n - first, sizeof *all, cmp_double);
      printf("| %.*s | %zu | %lu | %.1f |\n",
             (int)(strlen(names[i]) - 4), names[i], n - first, nins_total,
             all[first + (n - first) / 2]);
    }
  }
  for (int i = 0; i < nnames; i++)
    free(names[i]);
  if (!all || !n) {
    free(all);
    fprintf(stderr, "bench-compile: no traces from %s\n", exe);
    return 1;
  }
  qsort(all, n, sizeof *all, cmp_double);
  printf("\nAll %zu real traces: median %.1f ns per IR instruction "
         "(25%%: %.1f, 75%%: %.1f); %.3f system calls per compile "
         "(steady state, mean over programs)\n",
         n, all[n / 2], all[n / 4], all[(3 * n) / 4],
         nprog ? syscalls / nprog : 0.0);
  free(all);
  return 0;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 7;
  if (runs < 1)
    runs = 1;
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = toy_stencil_set_get();
  cfg.helpers = toy_helpers;
  cfg.nhelpers = toy_nhelpers;
  const char *dbg = getenv("CPJIT_BENCH_DEBUG");
  int scale = 1;
  if (dbg && *dbg) {
    if (strcmp(dbg, "gdb") == 0)
      cfg.flags |= CPJIT_FLAG_GDB;
    else if (strcmp(dbg, "jitdump") == 0)
      cfg.flags |= CPJIT_FLAG_JITDUMP;
    else if (strcmp(dbg, "perfmap") == 0)
      cfg.flags |= CPJIT_FLAG_PERF_MAP;
    else {
      fprintf(stderr, "bench-compile: CPJIT_BENCH_DEBUG=gdb|jitdump|perfmap\n");
      return 1;
    }
    cfg.jitdump_dir = "/tmp";
    scale = 10;
    printf("(with CPJIT_BENCH_DEBUG=%s)\n\n", dbg);
  }
  cpjit_jit *J;
  if (cpjit_open(&cfg, &J) != CPJIT_OK)
    return 1;
  printf("| uops/trace | ns/uop (median of %d) | us/trace | code bytes/uop | "
         "syscalls/compile (steady) |\n|---|---|---|---|---|\n",
         runs);
  const uint32_t sizes[] = {10, 100, 1000};
  for (int k = 0; k < 3; k++) {
    make_trace(sizes[k], 1234 + (uint64_t)k);
    int iters = (int)(2000000 / sizes[k] / (uint32_t)scale);
    double *per_uop = malloc((size_t)runs * sizeof *per_uop);
    cpjit_trace *tr;
    /* Warm up: maps the arena once. */
    if (cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr) != CPJIT_OK)
      return 1;
    const void *code;
    size_t code_size;
    cpjit_trace_code(tr, &code, &code_size);
    cpjit_trace_free(J, tr);
    cpjit_stats before, after;
    cpjit_get_stats(J, &before);
    for (int r = 0; r < runs; r++) {
      uint64_t t0 = now_ns();
      for (int i = 0; i < iters; i++) {
        if (cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr) != CPJIT_OK)
          return 1;
        cpjit_trace_free(J, tr);
      }
      uint64_t t1 = now_ns();
      per_uop[r] = (double)(t1 - t0) / ((double)iters * T.n);
    }
    cpjit_get_stats(J, &after);
    qsort(per_uop, (size_t)runs, sizeof *per_uop, cmp_double);
    double med = per_uop[runs / 2];
    printf("| %u | %.1f | %.2f | %.1f | %.3f |\n", T.n, med, med * T.n / 1e3,
           (double)code_size / T.n,
           (double)(after.syscalls - before.syscalls) /
               ((double)iters * runs));
    free(per_uop);
  }
  cpjit_close(J);
  if (argc > 3 && real_traces(runs < 5 ? 5 : runs, argv[2], argv[3]))
    return 1;
  if (cfg.flags & (CPJIT_FLAG_JITDUMP | CPJIT_FLAG_PERF_MAP)) {
    char path[64];
    snprintf(path, sizeof path, (cfg.flags & CPJIT_FLAG_JITDUMP)
                                    ? "/tmp/jit-%d.dump"
                                    : "/tmp/perf-%d.map",
             (int)getpid());
    unlink(path); /* only the time was wanted */
  }
  return 0;
}
