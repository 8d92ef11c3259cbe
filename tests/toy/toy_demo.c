/*
 * toy_demo.c -- `make demo` at the library stage: compile one loop trace of
 * the toy VM with cpjit, run it, and compare with the reference executor
 * running the same uops.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "toy.h"
#include "toy_trace.h"

static toy_trace T;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void) {
  const int64_t n = 50000000;
  /* sum = 0; for i = 0, n-1: x = i * 3 + 7; sum += x ^ (x << 3); mem[i & 255] = sum */
  T.n = T.nexits = 0;
  toy_emit(&T, TOY_LOADKS, 1, 0, 0);              /* i */
  toy_emit(&T, TOY_LOADKS, 2, (uint64_t)n, 0);    /* n */
  toy_emit(&T, TOY_LOADKS, 3, 0, 0);              /* sum */
  toy_emit(&T, TOY_LOADKS, 5, 3, 0);              /* shift amount */
  toy_emit(&T, TOY_LOADKS, 6, 3, 0);              /* factor */
  uint32_t head = toy_emit(&T, TOY_MUL, 4, 1, 6);
  toy_emit(&T, TOY_ADDI, 4, 4, 7);
  toy_emit(&T, TOY_SHL, 7, 4, 5);
  toy_emit(&T, TOY_XOR, 7, 7, 4);
  toy_emit(&T, TOY_ADD, 3, 3, 7);
  toy_emit(&T, TOY_STOREM, 3, 1, 0);
  uint32_t l = toy_emit(&T, TOY_LOOP_LT, 0, 1, 2);
  T.u[l].target = head;
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 1);

  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = toy_stencil_set_get();
  cfg.helpers = toy_helpers;
  cfg.nhelpers = toy_nhelpers;
  cpjit_jit *J;
  cpjit_status st = cpjit_open(&cfg, &J);
  if (st != CPJIT_OK) {
    fprintf(stderr, "toy-demo: cpjit_open: %s\n", cpjit_status_str(st));
    return 1;
  }
  /* The first compile maps the code arena; later ones reuse it. */
  cpjit_trace *tr;
  cpjit_stats stats, before;
  uint64_t cold_ns = 0;
  for (int i = 0; i < 2; i++) {
    cpjit_get_stats(J, &before);
    st = cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr);
    if (st != CPJIT_OK) {
      fprintf(stderr, "toy-demo: cpjit_compile: %s\n", cpjit_status_str(st));
      return 1;
    }
    cpjit_get_stats(J, &stats);
    if (i == 0) {
      cold_ns = stats.compile_ns;
      cpjit_trace_free(J, tr);
    }
  }
  uint64_t warm_ns = stats.compile_ns - before.compile_ns;
  const void *code;
  size_t code_size;
  cpjit_trace_code(tr, &code, &code_size);

  static toy_state a, b;
  double t0 = now();
  uint64_t ra = ((toy_entry_fn)cpjit_trace_entry(tr))(&a);
  double t1 = now();
  uint64_t rb = toy_ref_run(&b, T.u, T.n, T.e, UINT64_MAX - 1);
  double t2 = now();

  printf("cpjit toy VM demo: a %u-uop loop trace, %lld iterations\n", T.n,
         (long long)n);
  printf("  compile time:        %.2f us (%.1f ns per uop); first compile, "
         "mapping the arena: %.2f us\n",
         (double)warm_ns / 1e3, (double)warm_ns / T.n, (double)cold_ns / 1e3);
  printf("  machine code:        %zu bytes (%.1f bytes per uop)\n", code_size,
         (double)code_size / T.n);
  printf("  result (JIT):        sum = %lld, exit %llu\n", (long long)a.r[3],
         (unsigned long long)ra);
  printf("  result (reference):  sum = %lld, exit %llu\n", (long long)b.r[3],
         (unsigned long long)rb);
  printf("  run time:            JIT %.3f s, reference executor %.3f s (%.1fx)\n",
         t1 - t0, t2 - t1, (t2 - t1) / (t1 - t0));
  int same = ra == rb && memcmp(&a, &b, sizeof a) == 0;
  printf("  states identical:    %s\n", same ? "yes" : "NO");
  cpjit_close(J);
  return same ? 0 : 1;
}
