/*
 * bench_compile.c -- compile speed of cpjit on toy traces (`make
 * bench-compile`). For traces of 10, 100 and 1,000 uops: compile (including
 * making the code executable) and free many times; report the median of
 * several runs in ns per uop and us per trace, bytes of code per uop, and
 * the system calls made per compile in the steady state.
 *
 * CPJIT_BENCH_DEBUG=gdb|jitdump|perfmap measures the same with that debug
 * feature on (CPJIT_FLAG_GDB, _JITDUMP into /tmp, _PERF_MAP), at a tenth of
 * the iterations so the files stay small.
 */
#define _POSIX_C_SOURCE 200809L
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
