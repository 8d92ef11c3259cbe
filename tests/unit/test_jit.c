/*
 * test_jit.c -- the trace-compilation harness: the toy VM's stencils run
 * through cpjit and are compared, state for state, with the reference
 * executor built from the same uop bodies. Also: bad input, fault
 * injection, budget, linking, W^X.
 *
 * Random runs print their seed on failure; set CPJIT_TEST_SEED to replay.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__aarch64__)
#include <signal.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "cpjit.h"
#include "toy.h"
#include "toy_trace.h"

/* -- Fixtures ------------------------------------------------------------ */

static cpjit_config toy_config(void) {
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = toy_stencil_set_get();
  cfg.helpers = toy_helpers;
  cfg.nhelpers = toy_nhelpers;
  return cfg;
}

static cpjit_jit *open_jit(uint32_t flags) {
  cpjit_config cfg = toy_config();
  cfg.flags = flags;
  cpjit_jit *J = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);
  assert_non_null(J);
  return J;
}

static toy_trace T; /* large: keep it off the stack */

static cpjit_trace *compile_ok(cpjit_jit *J, const toy_trace *t) {
  cpjit_trace *tr = NULL;
  cpjit_status st = cpjit_compile(J, t->u, t->n, t->e, t->nexits, &tr);
  if (st != CPJIT_OK)
    fail_msg("compile failed: %s (uop %lld)", cpjit_status_str(st),
             (long long)cpjit_last_error_index(J));
  return tr;
}

static uint64_t run(cpjit_trace *tr, toy_state *S) {
  toy_entry_fn f = (toy_entry_fn)cpjit_trace_entry(tr);
  return f(S);
}

/* Run `t` in the JIT and in the reference executor from the same state;
 * fail with `what` (and the seed) on any difference. */
static void check_same(cpjit_jit *J, const toy_trace *t, const toy_state *init,
                       const char *what, uint64_t seed) {
  toy_state a = *init, b = *init;
  cpjit_trace *tr = compile_ok(J, t);
  uint64_t ra = run(tr, &a);
  uint64_t rb = toy_ref_run(&b, t->u, t->n, t->e, 100000000);
  if (ra != rb || memcmp(&a, &b, sizeof a) != 0) {
    for (int i = 0; i < TOY_NREGS; i++)
      if (a.r[i] != b.r[i])
        print_message("  r%d: jit %lld ref %lld\n", i, (long long)a.r[i],
                      (long long)b.r[i]);
    fail_msg("%s: jit and reference differ (exit %llu vs %llu, acc %lld vs "
             "%lld); seed %llu",
             what, (unsigned long long)ra, (unsigned long long)rb,
             (long long)a.acc, (long long)b.acc, (unsigned long long)seed);
  }
  cpjit_trace_free(J, tr);
}

/* -- Each uop alone ------------------------------------------------------ */

static void each_uop_alone_matches_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_jit(0);
  uint64_t seed = 12345;
  for (uint16_t op = 0; op < TOY__NUOPS; op++) {
    for (int rep = 0; rep < 50; rep++) {
      toy_state S;
      toy_state_random(&S, &seed);
      T.n = T.nexits = 0;
      uint32_t fin = toy_exit(&T, 7);
      uint32_t guard_exit = toy_exit(&T, 9);
      uint64_t a = toy_rand(&seed) % 16, b = toy_rand(&seed) % 16;
      uint16_t d = (uint16_t)(toy_rand(&seed) % 16);
      uint64_t k = (uint64_t)(int64_t)((int32_t)toy_rand(&seed));
      uint32_t i;
      switch (op) {
      case TOY_LOADK:
        i = toy_emit(&T, op, d, toy_rand(&seed), 0);
        break;
      case TOY_LOADKS:
        i = toy_emit(&T, op, d, k, 0);
        break;
      case TOY_GUARD_EQK:
        if (rep % 3 == 0)
          S.r[a] = (int64_t)k; /* the guard passes */
        i = toy_emit(&T, op, d, a, k);
        break;
      case TOY_ADDI:
        i = toy_emit(&T, op, d, a, k);
        break;
      case TOY_LOADF:
      case TOY_STOREF:
        i = toy_emit(&T, op, d, 8 * (toy_rand(&seed) % (16 + 256)), 0);
        break;
      case TOY_JUMP:
      case TOY_BRANCH_NZ:
        if (rep % 2)
          S.r[a] = 0;
        i = toy_emit(&T, op, d, a, b);
        toy_emit(&T, TOY_LOADKS, 0, 111, 0);
        break;
      case TOY_LOOP_LT:
        S.r[a] = S.r[b] - 1 - rep % 2; /* one iteration, or zero */
        i = toy_emit(&T, op, d, a, b);
        toy_emit(&T, TOY_ACCUM, 3, 0, 0);
        break;
      default:
        i = toy_emit(&T, op, d, a, b);
        break;
      }
      T.u[i].exit = guard_exit;
      /* Jumps land on the final exit; everything else falls through. */
      uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
      T.u[x].exit = fin;
      T.u[i].target = x;
      char what[64];
      snprintf(what, sizeof what, "uop %s rep %d", toy_uop_names[op], rep);
      check_same(J, &T, &S, what, seed);
    }
  }
  cpjit_close(J);
}

/* -- Random traces ------------------------------------------------------- */

static uint64_t base_seed(void) {
  const char *s = getenv("CPJIT_TEST_SEED");
  return s ? strtoull(s, NULL, 0) : 0x5eed2026u;
}

static void random_traces(uint32_t flags, int count) {
  cpjit_jit *J = open_jit(flags);
  uint64_t seed0 = base_seed();
  for (int k = 0; k < count; k++) {
    uint64_t seed = seed0 + (uint64_t)k * 0x9e3779b97f4a7c15ull;
    uint64_t s = seed | 1;
    uint32_t len = 1 + (uint32_t)(toy_rand(&s) % 120);
    toy_random_trace(&T, &s, len);
    toy_state S;
    toy_state_random(&S, &s);
    char what[64];
    snprintf(what, sizeof what, "random trace %d (%u uops)", k, T.n);
    check_same(J, &T, &S, what, seed);
  }
  cpjit_stats st;
  cpjit_get_stats(J, &st);
  assert_int_equal(st.traces_compiled, (uint64_t)count);
  assert_int_equal(st.traces_live, 0);
  cpjit_close(J);
}

static void random_traces_match_reference(void **unused) {
  (void)unused;
  random_traces(0, 10000);
}

static void random_traces_match_reference_mprotect_mode(void **unused) {
  (void)unused;
  random_traces(CPJIT_FLAG_NO_DUAL_MAP, 1000);
}

/* -- Loops --------------------------------------------------------------- */

static void million_iteration_loop_runs_inside_one_trace(void **unused) {
  (void)unused;
  cpjit_jit *J = open_jit(0);
  T.n = T.nexits = 0;
  toy_emit(&T, TOY_LOADKS, 1, 0, 0);         /* i = 0 */
  toy_emit(&T, TOY_LOADKS, 2, 1000000, 0);   /* n */
  toy_emit(&T, TOY_LOADKS, 3, 0, 0);         /* sum */
  uint32_t head = toy_emit(&T, TOY_MUL, 4, 1, 1);
  toy_emit(&T, TOY_ADD, 3, 3, 4);            /* sum += i*i */
  toy_emit(&T, TOY_ACCUM, 1, 0, 0);          /* acc += i */
  uint32_t l = toy_emit(&T, TOY_LOOP_LT, 0, 1, 2);
  T.u[l].target = head;
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 42);
  toy_state S;
  memset(&S, 0, sizeof S);
  cpjit_trace *tr = compile_ok(J, &T);
  assert_int_equal(run(tr, &S), 42);
  int64_t sum = 0, acc = 0;
  for (int64_t i = 0; i < 1000000; i++)
    sum += i * i, acc += i;
  assert_int_equal(S.r[3], sum);
  assert_int_equal(S.acc, acc);
  assert_int_equal(S.r[1], 1000000);
  cpjit_close(J);
}

/* -- Exits and linking --------------------------------------------------- */

/* Trace "A": r1 += 1; guard r1 < r2 (exit 0 -> returns 500); exit 1 -> 501.
 * Trace "B": r5 = 77; exit -> 600. */
static cpjit_trace *make_a(cpjit_jit *J) {
  T.n = T.nexits = 0;
  toy_emit(&T, TOY_ADDI, 1, 1, 1);
  uint32_t g = toy_emit(&T, TOY_GUARD_LT, 0, 1, 2);
  T.u[g].exit = toy_exit(&T, 500);
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 501);
  return compile_ok(J, &T);
}

static cpjit_trace *make_b(cpjit_jit *J) {
  T.n = T.nexits = 0;
  toy_emit(&T, TOY_LOADKS, 5, 77, 0);
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 600);
  return compile_ok(J, &T);
}

static void side_exits_return_their_operand_and_link(void **unused) {
  (void)unused;
  for (int mode = 0; mode < 2; mode++) {
    cpjit_jit *J = open_jit(mode ? CPJIT_FLAG_NO_DUAL_MAP : 0);
    cpjit_trace *a = make_a(J), *b = make_b(J);
    toy_state S;
    memset(&S, 0, sizeof S);
    S.r[2] = 10;
    assert_int_equal(run(a, &S), 501); /* guard passes */
    S.r[1] = 20;
    assert_int_equal(run(a, &S), 500); /* guard fails: side exit 0 */
    assert_int_equal(cpjit_link_exit(J, a, 0, b), CPJIT_OK);
    S.r[5] = 0;
    assert_int_equal(run(a, &S), 600); /* linked: continues in B */
    assert_int_equal(S.r[5], 77);
    assert_int_equal(cpjit_link_exit(J, a, 0, NULL), CPJIT_OK);
    assert_int_equal(run(a, &S), 500); /* unlinked again */
    assert_int_equal(cpjit_link_exit(J, a, 0, b), CPJIT_OK);
    cpjit_trace_free(J, b); /* freeing the target restores the exit */
    S.r[5] = 0;
    assert_int_equal(run(a, &S), 500);
    assert_int_equal(S.r[5], 0);
    /* Bad links. */
    assert_int_equal(cpjit_link_exit(J, a, 2, NULL), CPJIT_ERR_LINK);
    assert_int_equal(cpjit_link_exit(J, NULL, 0, NULL), CPJIT_ERR_ARG);
    cpjit_jit *J2 = open_jit(0);
    cpjit_trace *c = make_b(J2);
    assert_int_equal(cpjit_link_exit(J, a, 0, c), CPJIT_ERR_LINK);
    cpjit_close(J2);
    /* A self-link makes a loop through the exit: link then free. */
    assert_int_equal(cpjit_link_exit(J, a, 1, a), CPJIT_OK);
    cpjit_trace_free(J, a);
    cpjit_close(J);
  }
}

/* With the shared exit handler each exit costs its stub alone (the link
 * jump overlays the stub's first bytes), the handler is placed once, and
 * unlinking restores the stub byte for byte. */
static void shared_handler_placed_once_and_unlink_restores(void **unused) {
  (void)unused;
  const cpjit_stencil_set *set = toy_stencil_set_get();
  for (int mode = 0; mode < 2; mode++) {
    cpjit_jit *J = open_jit(mode ? CPJIT_FLAG_NO_DUAL_MAP : 0);
    size_t size[4];
    cpjit_trace *tr[4];
    for (uint32_t k = 0; k < 4; k++) { /* k guards, then one exit */
      T.n = T.nexits = 0;
      for (uint32_t i = 0; i < k; i++) {
        uint32_t g = toy_emit(&T, TOY_GUARD_LT, 0, 1, 2);
        T.u[g].exit = toy_exit(&T, 700 + i);
      }
      uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
      T.u[x].exit = toy_exit(&T, 501);
      tr[k] = compile_ok(J, &T);
      cpjit_trace_code(tr[k], NULL, &size[k]);
    }
    for (uint32_t k = 2; k < 4; k++)
      assert_int_equal(size[k] - size[k - 1],
                       set->uops[TOY_GUARD_LT].code_size -
                           set->uops[TOY_GUARD_LT].tail_size +
                           set->exit_stub->code_size);
    /* Exit 1 of the 3-guard trace: taken, linked, unlinked, taken. */
    const void *code;
    size_t n;
    cpjit_trace_code(tr[3], &code, &n);
    uint8_t *before = malloc(n);
    assert_non_null(before);
    memcpy(before, code, n);
    toy_state S;
    memset(&S, 0, sizeof S);
    S.r[1] = 5;
    S.r[2] = 10;
    assert_int_equal(run(tr[3], &S), 501);
    cpjit_trace *b = make_b(J);
    for (int i = 0; i < 3; i++)
      assert_int_equal(cpjit_link_exit(J, tr[3], (uint32_t)i, b), CPJIT_OK);
    assert_memory_not_equal(before, code, n);
    S.r[1] = 20;
    assert_int_equal(run(tr[3], &S), 600);
    assert_int_equal(cpjit_link_exit(J, tr[3], 1, NULL), CPJIT_OK);
    assert_int_equal(run(tr[3], &S), 600); /* exit 0 still linked */
    cpjit_trace_free(J, b); /* unlinks 0 and 2 */
    assert_memory_equal(before, code, n);
    assert_int_equal(run(tr[3], &S), 700);
    free(before);
    cpjit_close(J);
  }
}

/* -- Bad input ----------------------------------------------------------- */

static void bad_traces_get_their_own_status(void **unused) {
  (void)unused;
  cpjit_jit *J = open_jit(0);
  cpjit_trace *tr = (cpjit_trace *)(uintptr_t)1;
  T.n = T.nexits = 0;
  toy_emit(&T, TOY_LOADKS, 0, 1, 0);
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 1);

  /* unknown op: the first past the uops and the register uop variants */
  T.u[0].op = (uint16_t)toy_stencil_set_get()->nuops;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                   CPJIT_ERR_BAD_OP);
  assert_null(tr);
  assert_int_equal(cpjit_last_error_index(J), 0);
  T.u[0].op = 0xffff;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                   CPJIT_ERR_BAD_OP);

  T.u[0].op = TOY_JUMP; /* target outside the trace */
  T.u[0].target = 2;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                   CPJIT_ERR_BAD_TARGET);
  T.u[0].target = 0xffffffffu;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                   CPJIT_ERR_BAD_TARGET);

  T.u[0].op = TOY_LOADKS; /* exit index with no exit */
  T.u[1].exit = 1;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                   CPJIT_ERR_BAD_EXIT);
  assert_int_equal(cpjit_last_error_index(J), 1);
  T.u[1].exit = 0;

  /* A trace whose last uop continues past its end. */
  assert_int_equal(cpjit_compile(J, T.u, 1, T.e, T.nexits, &tr),
                   CPJIT_ERR_BAD_TARGET);
  /* Operand too wide for a 32-bit hole: refused on x86-64, where the field
   * is 32 bits wide; AArch64 loads all 64 bits (movz/movk) and the uop
   * uses the low 32, as the reference executor does. */
  T.u[0].operand[0] = ((uint64_t)1 << 40) | 5;
  if (toy_stencil_set_get()->machine == CPJIT_MACHINE_X86_64) {
    assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                     CPJIT_ERR_RANGE);
  } else {
    tr = compile_ok(J, &T);
    toy_state S0;
    memset(&S0, 0, sizeof S0);
    assert_int_equal(run(tr, &S0), 1);
    assert_int_equal(S0.r[0], 5);
    cpjit_trace_free(J, tr);
  }
  T.u[0].operand[0] = 1;
  /* NULL and empty arguments. */
  assert_int_equal(cpjit_compile(J, NULL, 1, T.e, 1, &tr), CPJIT_ERR_ARG);
  assert_int_equal(cpjit_compile(J, T.u, 0, T.e, 1, &tr), CPJIT_ERR_ARG);
  assert_int_equal(cpjit_compile(J, T.u, T.n, NULL, 1, &tr), CPJIT_ERR_ARG);
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, NULL),
                   CPJIT_ERR_ARG);
  assert_int_equal(cpjit_compile(NULL, T.u, T.n, T.e, T.nexits, &tr),
                   CPJIT_ERR_ARG);

  /* Nothing was left behind, and the instance still compiles. */
  cpjit_stats st;
  cpjit_get_stats(J, &st);
  assert_int_equal(st.traces_live, 0);
  assert_int_equal(st.code_bytes_live, 0);
  tr = compile_ok(J, &T);
  toy_state S;
  memset(&S, 0, sizeof S);
  assert_int_equal(run(tr, &S), 1);
  cpjit_close(J);
}

static void bad_configs_are_rejected(void **unused) {
  (void)unused;
  cpjit_jit *J = (cpjit_jit *)(uintptr_t)1;
  cpjit_config cfg = toy_config();
  assert_int_equal(cpjit_open(NULL, &J), CPJIT_ERR_ARG);
  assert_null(J);
  assert_int_equal(cpjit_open(&cfg, NULL), CPJIT_ERR_ARG);
  cfg.nhelpers = 0;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_HELPER);
  const void *nullhelpers[1] = {NULL};
  cfg = toy_config();
  cfg.helpers = nullhelpers;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_HELPER);
  cpjit_stencil_set bad = *toy_stencil_set_get();
  bad.abi_version = CPJIT_ABI_VERSION + 1;
  cfg = toy_config();
  cfg.set = &bad;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_SET);
  bad = *toy_stencil_set_get();
  bad.machine = bad.machine == CPJIT_MACHINE_X86_64 ? CPJIT_MACHINE_AARCH64
                                                     : CPJIT_MACHINE_X86_64;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_MACHINE);
  bad = *toy_stencil_set_get();
  bad.exit_stub = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_SET);
  /* The toy's stub jumps to the shared exit handler: not without one, and
   * no other stencil may use that hole. */
  assert_non_null(toy_stencil_set_get()->exit_handler);
  bad = *toy_stencil_set_get();
  bad.exit_handler = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_SET);
  bad = *toy_stencil_set_get();
  bad.exit_handler = bad.exit_stub;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_SET);
  bad = *toy_stencil_set_get();
  bad.trampoline = bad.exit_stub;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_ERR_BAD_SET);
  for (int s = 0; s < CPJIT_STATUS__COUNT; s++)
    assert_true(strlen(cpjit_status_str((cpjit_status)s)) > 0);
  assert_string_equal(cpjit_status_str((cpjit_status)999), "unknown status");
}

/* A uop stencil is checked the first time a compile uses it, not at open:
 * the compile fails with ERR_BAD_SET naming the uop, every later compile
 * using it fails the same way, and the instance keeps compiling traces of
 * other uops. Two defects: a malformed stencil (data alignment not a power
 * of two) and one jumping to the exit handler (only exit stubs may). */
static void malformed_uop_stencils_fail_the_compiles_that_use_them(
    void **unused) {
  (void)unused;
  const cpjit_stencil_set *good = toy_stencil_set_get();
  cpjit_stencil *uops = malloc(good->nuops * sizeof *uops);
  assert_non_null(uops);
  memcpy(uops, good->uops, good->nuops * sizeof *uops);
  uops[TOY_MUL].data_align = 3;
  uops[TOY_XOR] = *good->exit_stub; /* has a HANDLER hole */
  cpjit_stencil_set bad = *good;
  bad.uops = uops;
  cpjit_config cfg = toy_config();
  cfg.set = &bad;
  cpjit_jit *J = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);

  for (int pass = 0; pass < 2; pass++) {
    /* r3 = r1 + r2; r4 = r3 - r1, then the bad uop at index 2 + pass. */
    T.n = T.nexits = 0;
    toy_emit(&T, TOY_ADD, 3, 1, 2);
    if (pass)
      toy_emit(&T, TOY_LOADKS, 5, 7, 0);
    toy_emit(&T, TOY_SUB, 4, 3, 1);
    uint32_t at = toy_emit(&T, TOY_MUL, 5, 3, 4);
    uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
    T.u[x].exit = toy_exit(&T, 1);
    assert_int_equal(at, 2 + pass);
    cpjit_stats before, after;
    cpjit_get_stats(J, &before);
    for (int rep = 0; rep < 2; rep++) { /* the error repeats */
      cpjit_trace *tr = (cpjit_trace *)(uintptr_t)1;
      assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                       CPJIT_ERR_BAD_SET);
      assert_null(tr);
      assert_int_equal(cpjit_last_error_index(J), at);
    }
    T.u[at].op = TOY_XOR;
    cpjit_trace *tr = NULL;
    assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                     CPJIT_ERR_BAD_SET);
    assert_int_equal(cpjit_last_error_index(J), at);
    cpjit_get_stats(J, &after);
    assert_int_equal(after.compile_failures, before.compile_failures + 3);
    assert_int_equal(after.traces_live, before.traces_live);
    assert_int_equal(after.code_bytes_live, before.code_bytes_live);

    /* Without the bad uops, the same instance compiles and runs the trace
     * as the reference executor does. */
    T.u[at].op = TOY_ADD;
    toy_state S;
    memset(&S, 0, sizeof S);
    S.r[1] = 40;
    S.r[2] = 2;
    check_same(J, &T, &S, "trace next to malformed uops", 0);
    tr = compile_ok(J, &T);
    toy_state S1 = S;
    assert_int_equal(run(tr, &S1), 1);
    assert_int_equal(S1.r[5], 42 + 2); /* r3 = 42, r4 = 2 */
    cpjit_trace_free(J, tr);
  }
  /* A trace of only good uops compiled first, on a fresh instance: the
   * bad ones are never looked at. */
  cpjit_close(J);
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);
  uint64_t seed = 7;
  for (int i = 0; i < 20; i++) {
    toy_random_trace(&T, &seed, 30);
    for (uint32_t k = 0; k < T.n; k++)
      if (T.u[k].op == TOY_MUL || T.u[k].op == TOY_XOR)
        T.u[k].op = TOY_ADD;
    toy_state S;
    toy_state_random(&S, &seed);
    check_same(J, &T, &S, "random trace without the malformed uops", 7);
  }
  cpjit_close(J);
  free(uops);
}

/* -- Fault injection ----------------------------------------------------- */

typedef struct counting_alloc {
  long live;      /* blocks currently allocated */
  long fail_at;   /* allocation number that fails (-1: never) */
  long count;
} counting_alloc;

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting_alloc *c = ud;
  (void)osize;
  if (nsize == 0) {
    if (ptr)
      c->live--;
    free(ptr);
    return NULL;
  }
  if (c->count++ == c->fail_at)
    return NULL;
  void *p = realloc(ptr, nsize);
  if (p && !ptr)
    c->live++;
  return p;
}

static void failing_allocation_leaks_nothing(void **unused) {
  (void)unused;
  bool succeeded = false;
  for (long fail = 0; fail < 64 && !succeeded; fail++) {
    counting_alloc ca = {0, fail, 0};
    cpjit_config cfg = toy_config();
    cfg.alloc = count_alloc;
    cfg.alloc_ud = &ca;
    cpjit_jit *J = NULL;
    cpjit_status st = cpjit_open(&cfg, &J);
    if (st == CPJIT_OK) {
      uint64_t s = 99;
      toy_random_trace(&T, &s, 40);
      cpjit_trace *a = NULL, *b = NULL;
      st = cpjit_compile(J, T.u, T.n, T.e, T.nexits, &a);
      if (st == CPJIT_OK)
        st = cpjit_compile(J, T.u, T.n, T.e, T.nexits, &b);
      if (st == CPJIT_OK)
        st = cpjit_link_exit(J, a, T.nexits - 1, b);
      if (st == CPJIT_OK) {
        succeeded = true;
        toy_state S;
        memset(&S, 0, sizeof S);
        (void)run(a, &S);
      } else {
        assert_int_equal(st, CPJIT_ERR_NOMEM);
        /* The instance stays usable once memory is back. */
        ca.fail_at = -1;
        cpjit_trace *c = NULL;
        assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &c),
                         CPJIT_OK);
      }
      cpjit_close(J);
    } else {
      assert_int_equal(st, CPJIT_ERR_NOMEM);
    }
    assert_int_equal(ca.live, 0);
  }
  assert_true(succeeded);
}

static int mmap_fail, mprotect_fail;
static void *fail_mmap(void *a, size_t l, int p, int f, int fd, int64_t o) {
  if (mmap_fail) {
    errno = ENOMEM;
    return MAP_FAILED;
  }
  return mmap(a, l, p, f, fd, (off_t)o);
}
static int fail_mprotect(void *a, size_t l, int p) {
  if (mprotect_fail) {
    errno = EACCES;
    return -1;
  }
  return mprotect(a, l, p);
}

static void failing_mmap_and_mprotect_return_status(void **unused) {
  (void)unused;
  cpjit_memops ops = {fail_mmap, NULL, fail_mprotect, NULL, NULL};
  for (int mode = 0; mode < 2; mode++) {
    cpjit_config cfg = toy_config();
    cfg.memops = &ops;
    cfg.flags = mode ? CPJIT_FLAG_NO_DUAL_MAP : 0;
    cpjit_jit *J = NULL;
    assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);
    uint64_t s = 5;
    toy_random_trace(&T, &s, 30);
    cpjit_trace *tr = NULL;
    mmap_fail = 1;
    assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                     CPJIT_ERR_MMAP);
    assert_null(tr);
    mmap_fail = 0;
    tr = compile_ok(J, &T);
    if (mode) {
      mprotect_fail = 1;
      cpjit_trace *t2 = NULL;
      assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &t2),
                       CPJIT_ERR_PROTECT);
      assert_int_equal(cpjit_link_exit(J, tr, 0, tr), CPJIT_ERR_PROTECT);
      mprotect_fail = 0;
    }
    toy_state S1, S2;
    toy_state_random(&S1, &s);
    S2 = S1;
    assert_int_equal(run(tr, &S1), toy_ref_run(&S2, T.u, T.n, T.e, 1u << 30));
    cpjit_stats st;
    cpjit_get_stats(J, &st);
    assert_int_equal(st.traces_live, 1);
    cpjit_close(J);
  }
}

static void exhausted_budget_fails_cleanly_and_recovers(void **unused) {
  (void)unused;
  cpjit_config cfg = toy_config();
  cfg.code_budget = 64 * 1024;
  cfg.chunk_size = 16 * 1024;
  cpjit_jit *J = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);
  uint64_t s = 77;
  toy_random_trace(&T, &s, 100);
  cpjit_trace *tr[4096];
  int n = 0;
  cpjit_status st;
  while ((st = cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr[n])) == CPJIT_OK)
    n++;
  assert_int_equal(st, CPJIT_ERR_BUDGET);
  assert_true(n > 4);
  cpjit_stats stats;
  cpjit_get_stats(J, &stats);
  assert_true(stats.mapped_bytes <= cfg.code_budget);
  cpjit_trace_free(J, tr[n / 2]);
  cpjit_trace *again = NULL;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &again), CPJIT_OK);
  toy_state S1, S2;
  toy_state_random(&S1, &s);
  S2 = S1;
  assert_int_equal(run(again, &S1), toy_ref_run(&S2, T.u, T.n, T.e, 1u << 30));
  /* A trace bigger than the whole budget has its own status. */
  T.n = T.nexits = 0;
  for (int i = 0; i < TOY_MAX_UOPS - 1; i++)
    toy_emit(&T, TOY_LOADK, 1, (uint64_t)i, 0);
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 1);
  cpjit_trace *big = NULL;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &big),
                   CPJIT_ERR_TOO_BIG);
  cpjit_close(J);
}

static void steady_state_compiles_make_no_system_call(void **unused) {
  (void)unused;
  const char *env = getenv("CPJIT_NO_DUAL_MAP");
  if (env && env[0] && strcmp(env, "0") != 0) {
    /* Forced mprotect mode (under qemu-user): a system call per compile. */
    print_message("skipped: CPJIT_NO_DUAL_MAP is set\n");
    skip();
  }
  cpjit_jit *J = open_jit(0);
  uint64_t s = 3;
  toy_random_trace(&T, &s, 100);
  cpjit_trace *tr = compile_ok(J, &T);
  cpjit_trace_free(J, tr);
  cpjit_stats before, after;
  cpjit_get_stats(J, &before);
  for (int i = 0; i < 1000; i++)
    cpjit_trace_free(J, compile_ok(J, &T));
  cpjit_get_stats(J, &after);
  assert_int_equal(after.syscalls, before.syscalls);
  cpjit_close(J);
}

/* -- W^X ----------------------------------------------------------------- */

static void no_mapping_is_writable_and_executable(void **unused) {
  (void)unused;
  cpjit_jit *J1 = open_jit(0), *J2 = open_jit(CPJIT_FLAG_NO_DUAL_MAP);
  uint64_t s = 11;
  toy_random_trace(&T, &s, 50);
  cpjit_trace *a = compile_ok(J1, &T), *b = compile_ok(J2, &T);
  assert_int_equal(cpjit_link_exit(J1, a, 0, a), CPJIT_OK);
  FILE *f = fopen("/proc/self/maps", "r");
  assert_non_null(f);
  char line[512];
  int lines = 0;
  while (fgets(line, sizeof line, f)) {
    char perms[8] = {0};
    if (sscanf(line, "%*x-%*x %7s", perms) == 1) {
      lines++;
      if (perms[1] == 'w' && perms[2] == 'x')
        fail_msg("writable and executable mapping: %s", line);
    }
  }
  fclose(f);
  assert_true(lines > 0);
  /* The traces really are executable where cpjit says. */
  const void *code;
  size_t size;
  cpjit_trace_code(a, &code, &size);
  assert_true(size > 0);
  assert_ptr_equal(code, cpjit_trace_entry(a));
  assert_int_equal(cpjit_trace_uop_offset(a, 0),
                   (int64_t)toy_stencil_set_get()->trampoline->code_size);
  assert_int_equal(cpjit_trace_uop_offset(a, T.n), -1);
  (void)b;
  cpjit_close(J1);
  cpjit_close(J2);
}

/* -- I-cache flushes ------------------------------------------------------ */

/* qemu does not model a stale i-cache, so the flush after each write of
 * code is checked by count: a new chunk (its veneers), every compile, every
 * exit link and unlink, including the unlink when a target is freed. */
static uint64_t flushes(cpjit_jit *J) {
  cpjit_stats st;
  cpjit_get_stats(J, &st);
  return st.icache_flushes;
}

static void every_code_write_flushes_the_icache(void **unused) {
  (void)unused;
  for (int mode = 0; mode < 2; mode++) {
    cpjit_jit *J = open_jit(mode ? CPJIT_FLAG_NO_DUAL_MAP : 0);
    assert_int_equal(flushes(J), 0);
    cpjit_trace *a = make_a(J);
    assert_int_equal(flushes(J), 2); /* the chunk's veneers, the trace */
    cpjit_trace *b = make_b(J);
    assert_int_equal(flushes(J), 3);
    assert_int_equal(cpjit_link_exit(J, a, 0, b), CPJIT_OK);
    assert_int_equal(flushes(J), 4);
    assert_int_equal(cpjit_link_exit(J, a, 0, NULL), CPJIT_OK);
    assert_int_equal(flushes(J), 5);
    assert_int_equal(cpjit_link_exit(J, a, 0, b), CPJIT_OK);
    assert_int_equal(flushes(J), 6);
    cpjit_trace_free(J, b); /* rewrites a's exit jump */
    assert_int_equal(flushes(J), 7);
    toy_state S;
    memset(&S, 0, sizeof S);
    S.r[1] = 20;
    assert_int_equal(run(a, &S), 500);
    cpjit_trace_free(J, a); /* nothing links here: no write */
    assert_int_equal(flushes(J), 7);
    cpjit_close(J);
  }
}

/* -- Hardening (CPJIT_HARDEN) ----------------------------------------------- */

#if defined(__aarch64__) && defined(__ARM_FEATURE_BTI_DEFAULT)
#ifndef HWCAP2_BTI
#define HWCAP2_BTI (1 << 17)
#endif
/* Trace code is mapped PROT_BTI (jit/mcode.c), so where the CPU has BTI
 * (and under qemu-aarch64, whose default CPU does) an indirect call that
 * does not land on a landing pad traps. A call to the trampoline's second
 * instruction stands for a trace without one; in a child process it must
 * die of SIGILL at exactly that address (a BTI fault is reported at the
 * branch target). On unguarded memory it would run on: past `bti c` the
 * trace returns 501; past `paciasp` the trampoline's final autiasp fails,
 * which faults (SIGSEGV at the return, or SIGILL at the autiasp with
 * FEAT_FPAC), never at the address called. */
static volatile uintptr_t bti_target;

static void bti_sigill(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  _exit((uintptr_t)si->si_addr == bti_target ? 42 : 43);
}

static void bti_enforced_on_trace_code(cpjit_trace *tr) {
  if (!(getauxval(AT_HWCAP2) & HWCAP2_BTI)) {
    print_message("CPU without BTI: landing pads present, not enforced\n");
    return;
  }
  bti_target = (uintptr_t)cpjit_trace_entry(tr) + 4;
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = bti_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    signal(SIGSEGV, SIG_DFL); /* not cmocka's handlers: die of it */
    signal(SIGBUS, SIG_DFL);
    signal(SIGTRAP, SIG_DFL);
    toy_state S;
    memset(&S, 0, sizeof S);
    S.r[2] = 10;
    toy_entry_fn f = (toy_entry_fn)bti_target;
    _exit(f(&S) == 501 ? 0 : 3);
  }
  int st = 0;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 42)
    fail_msg("call past the landing pad: %s %d, want SIGILL at the call "
             "target (42): trace code not guarded",
             WIFSIGNALED(st) ? "signal" : "exit status",
             WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}
#endif

/* In a build with control-flow protection the host calls trace entries
 * through a pointer, so each must start with a landing pad. */
static void trace_entries_have_landing_pads(void **unused) {
  (void)unused;
#if (defined(__CET__) && (__CET__ & 1)) || defined(__ARM_FEATURE_BTI_DEFAULT)
  cpjit_jit *J = open_jit(0);
  cpjit_trace *tr = make_a(J);
  uint8_t b[4];
  memcpy(b, cpjit_trace_entry(tr), 4);
#if defined(__x86_64__)
  static const uint8_t endbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
  assert_memory_equal(b, endbr64, 4);
  /* Uops are entered by direct jumps: no landing pad of their own. */
  const cpjit_stencil_set *set = toy_stencil_set_get();
  for (uint32_t i = 0; i < set->nuops; i++)
    if (set->uops[i].code_size >= 4 &&
        memcmp(set->uops[i].code, endbr64, 4) == 0)
      fail_msg("uop %s starts with endbr64", set->uops[i].name);
#else
  uint32_t w;
  memcpy(&w, b, 4);
  /* bti c, or paciasp (an implicit bti c) */
  assert_true(w == 0xd503245fu || w == 0xd503233fu);
  /* Uops: no bti c of their own (CPJIT_CC), and no br, whose targets
   * inside the uop would need bti j (cpjit_stencil.h). */
  const cpjit_stencil_set *set = toy_stencil_set_get();
  for (uint32_t i = 0; i <= set->nuops; i++) {
    const cpjit_stencil *s = i < set->nuops ? &set->uops[i] : set->exit_stub;
    for (uint32_t off = 0; off + 4 <= s->code_size; off += 4) {
      uint32_t x;
      memcpy(&x, s->code + off, 4);
      if (off == 0 && (x == 0xd503245fu || x == 0xd50324dfu))
        fail_msg("uop %s starts with bti c", s->name);
      unsigned opc = (x >> 21) & 0xf;
      if ((x >> 25) == 0x6b && (opc == 0 || opc == 8))
        fail_msg("uop %s: indirect jump (br) at +%u", s->name, off);
    }
  }
#endif
  toy_state S;
  memset(&S, 0, sizeof S);
  S.r[2] = 10;
  assert_int_equal(run(tr, &S), 501);
#if defined(__aarch64__)
  bti_enforced_on_trace_code(tr);
#endif
  cpjit_close(J);
#else
  skip(); /* not a hardened build */
#endif
}

/* -- Strict W^X (CPJIT_FLAG_STRICT_WX) -------------------------------------- */

/* Is any mapping of cpjit's code memfd readable or writable right now? */
static int code_view_accessible(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  assert_non_null(f);
  char line[512];
  int found = 0;
  while (fgets(line, sizeof line, f)) {
    char perms[8] = {0};
    if (strstr(line, "cpjit-code") &&
        sscanf(line, "%*x-%*x %7s", perms) == 1 && perms[1] == 'w')
      found = 1;
  }
  fclose(f);
  return found;
}

static void strict_wx_leaves_no_writable_view(void **unused) {
  (void)unused;
  random_traces(CPJIT_FLAG_STRICT_WX, 300);
  cpjit_jit *J = open_jit(CPJIT_FLAG_STRICT_WX);
  cpjit_trace *a = make_a(J), *b = make_b(J);
  assert_false(code_view_accessible());
  assert_int_equal(cpjit_link_exit(J, a, 0, b), CPJIT_OK);
  assert_false(code_view_accessible());
  toy_state S;
  memset(&S, 0, sizeof S);
  S.r[1] = 20;
  assert_int_equal(run(a, &S), 600); /* through the link into b */
  /* Two system calls per write: open the write view, close it. */
  cpjit_stats before, after;
  cpjit_get_stats(J, &before);
  cpjit_trace_free(J, compile_ok(J, &T));
  assert_int_equal(cpjit_link_exit(J, a, 0, NULL), CPJIT_OK);
  cpjit_get_stats(J, &after);
  assert_int_equal(after.syscalls - before.syscalls, 4);
  assert_int_equal(run(a, &S), 500);
  assert_false(code_view_accessible());
  cpjit_close(J);
  /* Without the flag the dual mapping's write view stays writable. */
  const char *env = getenv("CPJIT_NO_DUAL_MAP");
  if (!(env && env[0] && strcmp(env, "0") != 0)) {
    J = open_jit(0);
    a = make_a(J);
    assert_true(code_view_accessible());
    cpjit_close(J);
  }
}

/* -- Fall-through elision ------------------------------------------------ */

static void tail_jumps_to_the_next_uop_are_dropped(void **unused) {
  (void)unused;
  const cpjit_stencil_set *set = toy_stencil_set_get();
  const cpjit_stencil *add = &set->uops[TOY_ADD];
  assert_true(add->flags & CPJIT_STENCIL_TAIL_CONTINUE);
  cpjit_jit *J = open_jit(0);
  T.n = T.nexits = 0;
  for (int i = 0; i < 10; i++)
    toy_emit(&T, TOY_ADD, 1, 1, 2);
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 3);
  cpjit_trace *tr = compile_ok(J, &T);
  int64_t d = cpjit_trace_uop_offset(tr, 1) - cpjit_trace_uop_offset(tr, 0);
  assert_int_equal(d, (int64_t)(add->code_size - add->tail_size));
  toy_state S;
  memset(&S, 0, sizeof S);
  S.r[2] = 5;
  assert_int_equal(run(tr, &S), 3);
  assert_int_equal(S.r[1], 50);
  cpjit_close(J);
}

/* The hole of `kind` in s's code (the first), or NULL. */
static const cpjit_hole *hole_of(const cpjit_stencil *s, int kind) {
  for (uint32_t i = 0; i < s->nholes; i++)
    if (!s->holes[i].in_data && s->holes[i].kind == kind)
      return &s->holes[i];
  return NULL;
}

static uint32_t word_at(const cpjit_stencil *s, uint32_t off) {
  uint32_t w;
  memcpy(&w, s->code + off, 4);
  return w;
}

/* AArch64 (tools/stencilgen/machine_aarch64.c): a guard's short branch goes
 * to EXIT itself and the code ends in the droppable `b CONTINUE` (tail
 * (a)); `b.cond .L; b JUMP; .L: b CONTINUE` becomes `b.!cond JUMP`, falling
 * through (tail (b)). Checked on the toy VM's stencils: b.cond (GUARD_LT,
 * GUARD_EQK), tbnz (GUARD_EVEN), cbz (GUARD_NZ); LOOP_LT's b.cond and
 * BRANCH_NZ's cbz inverted. */
static void check_aarch64_straightening(const cpjit_stencil_set *set) {
  static const struct {
    int op, reloc;
    uint32_t mask, bits; /* of the branch instruction */
  } a[] = {
      {TOY_GUARD_LT, CPJIT_RELOC_AARCH64_CONDBR19, 0xff000010u, 0x54000000u},
      {TOY_GUARD_EQK, CPJIT_RELOC_AARCH64_CONDBR19, 0xff000010u, 0x54000000u},
      {TOY_GUARD_EVEN, CPJIT_RELOC_AARCH64_TSTBR14, 0x7f000000u, 0x37000000u},
      {TOY_GUARD_NZ, CPJIT_RELOC_AARCH64_CONDBR19, 0x7f000000u, 0x34000000u},
  };
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    const cpjit_stencil *s = &set->uops[a[i].op];
    assert_int_equal(s->flags, CPJIT_STENCIL_TAIL_CONTINUE);
    assert_int_equal(s->tail_size, 4);
    const cpjit_hole *e = hole_of(s, CPJIT_HOLE_EXIT);
    const cpjit_hole *c = hole_of(s, CPJIT_HOLE_CONTINUE);
    assert_non_null(e);
    assert_non_null(c);
    assert_int_equal(e->reloc, a[i].reloc);
    assert_int_equal(word_at(s, e->offset) & a[i].mask, a[i].bits);
    assert_int_equal(c->offset, s->code_size - 4); /* the last word */
  }
  static const struct {
    int op;
    uint32_t mask, bits;
  } b[] = {
      {TOY_LOOP_LT, 0xff000010u, 0x54000000u},
      {TOY_BRANCH_NZ, 0x7f000000u, 0x35000000u}, /* cbz inverted: cbnz */
  };
  for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
    const cpjit_stencil *s = &set->uops[b[i].op];
    assert_int_equal(s->flags, CPJIT_STENCIL_FALLTHROUGH);
    const cpjit_hole *j = hole_of(s, CPJIT_HOLE_JUMP);
    assert_non_null(j);
    assert_null(hole_of(s, CPJIT_HOLE_CONTINUE));
    assert_int_equal(j->offset, s->code_size - 4);
    assert_int_equal(word_at(s, j->offset) & b[i].mask, b[i].bits);
  }
}

/* A passing guard falls through into the next uop: stencilgen inverts its
 * final `jcc CONTINUE; jmp EXIT` into one `j!cc EXIT` (x86-64). Guards in a
 * row, a guard right before an exit uop and before a back-edge, each taken
 * and not taken, one linked; and a guard cannot end a trace. */
static void inverted_guards_fall_through_into_the_next_uop(void **unused) {
  (void)unused;
  const cpjit_stencil_set *set = toy_stencil_set_get();
  const cpjit_stencil *lt = &set->uops[TOY_GUARD_LT];
  const cpjit_stencil *eqk = &set->uops[TOY_GUARD_EQK];
  if (set->machine == CPJIT_MACHINE_X86_64) {
    assert_int_equal(lt->flags, CPJIT_STENCIL_FALLTHROUGH);
    assert_int_equal(eqk->flags, CPJIT_STENCIL_FALLTHROUGH);
  }
  if (set->machine == CPJIT_MACHINE_AARCH64)
    check_aarch64_straightening(set);
  for (int mode = 0; mode < 2; mode++) {
    cpjit_jit *J = open_jit(mode ? CPJIT_FLAG_NO_DUAL_MAP : 0);
    /* r1 == 5 (exit 0), r1 < r2 (exit 1), r3 < r2 (exit 2), then exit 3;
     * r3 += 1 first, so the last guard fails once r3 reaches r2. */
    T.n = T.nexits = 0;
    toy_emit(&T, TOY_ADDI, 3, 3, 1);
    uint32_t g0 = toy_emit(&T, TOY_GUARD_EQK, 0, 1, 5);
    uint32_t g1 = toy_emit(&T, TOY_GUARD_LT, 0, 1, 2);
    uint32_t g2 = toy_emit(&T, TOY_GUARD_LT, 0, 3, 2);
    T.u[g0].exit = toy_exit(&T, 100);
    T.u[g1].exit = toy_exit(&T, 101);
    T.u[g2].exit = toy_exit(&T, 102);
    uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
    T.u[x].exit = toy_exit(&T, 103);
    cpjit_trace *tr = compile_ok(J, &T);
    /* Each guard's code is followed directly by the next uop's. */
    for (uint32_t i = g0; i <= g2; i++) {
      const cpjit_stencil *s = &set->uops[T.u[i].op];
      int64_t d = cpjit_trace_uop_offset(tr, i + 1) -
                  cpjit_trace_uop_offset(tr, i);
      assert_int_equal(d, (int64_t)(s->code_size - (s->flags &
                                                       CPJIT_STENCIL_TAIL_CONTINUE
                                                   ? s->tail_size
                                                   : 0)));
    }
    toy_state S;
    memset(&S, 0, sizeof S);
    S.r[1] = 5, S.r[2] = 9, S.r[3] = 0;
    assert_int_equal(run(tr, &S), 103); /* every guard passes */
    assert_int_equal(S.r[3], 1);
    S.r[1] = 6;
    assert_int_equal(run(tr, &S), 100); /* the first fails */
    S.r[1] = 5, S.r[2] = 5;
    assert_int_equal(run(tr, &S), 101); /* the second */
    S.r[2] = 9, S.r[3] = 8;
    assert_int_equal(run(tr, &S), 102); /* the last, right before EXIT */
    assert_int_equal(S.r[3], 9);
    /* Exit 2 linked to trace B, then unlinked by freeing B. */
    cpjit_trace *b = make_b(J);
    assert_int_equal(cpjit_link_exit(J, tr, 2, b), CPJIT_OK);
    S.r[3] = 8, S.r[5] = 0;
    assert_int_equal(run(tr, &S), 600);
    assert_int_equal(S.r[5], 77);
    cpjit_trace_free(J, b);
    S.r[3] = 8;
    assert_int_equal(run(tr, &S), 102);
    cpjit_trace_free(J, tr);

    /* A loop whose guard is the uop before the back-edge JUMP: runs until
     * r1 < r2 fails, leaving through the guard's exit. */
    T.n = T.nexits = 0;
    uint32_t head = toy_emit(&T, TOY_ADDI, 1, 1, 1);
    uint32_t g = toy_emit(&T, TOY_GUARD_LT, 0, 1, 2);
    T.u[g].exit = toy_exit(&T, 7);
    uint32_t j = toy_emit(&T, TOY_JUMP, 0, 0, 0);
    T.u[j].target = head;
    tr = compile_ok(J, &T);
    memset(&S, 0, sizeof S);
    S.r[2] = 1000;
    assert_int_equal(run(tr, &S), 7);
    assert_int_equal(S.r[1], 1000);
    cpjit_trace_free(J, tr);

    /* A guard as the last uop would fall off the end of the trace. */
    T.n = T.nexits = 0;
    toy_emit(&T, TOY_ADDI, 1, 1, 1);
    g = toy_emit(&T, TOY_GUARD_LT, 0, 1, 2);
    T.u[g].exit = toy_exit(&T, 7);
    tr = NULL;
    assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &tr),
                     CPJIT_ERR_BAD_TARGET);
    assert_null(tr);
    assert_int_equal(cpjit_last_error_index(J), g);
    cpjit_close(J);
  }
}

/* -- Short branches out of reach --------------------------------------- */

/* Trace code far longer than a short branch reaches (AArch64: b.cond and
 * cbz +-1 MiB, tbz +-32 KiB): a uop whose branch cannot reach its target
 * takes its far form -- its whole code, then an island `b T` the short
 * branch goes to (after a `b CONTINUE` when it would fall off its end) --
 * and a uop near its target keeps the short form. `fill` ADDs (r1 += r2)
 * separate a guard at the start from the exit stubs; a second guard right
 * before the final EXIT uop is near its stub. */
static cpjit_uop *far_uops;
static size_t far_cap;

static uint32_t far_emit(uint32_t *n, uint16_t op, uint16_t arg, uint64_t a,
                         uint64_t b) {
  if (*n == far_cap) {
    far_cap = far_cap ? 2 * far_cap : 1024;
    far_uops = realloc(far_uops, far_cap * sizeof *far_uops);
    assert_non_null(far_uops);
  }
  memset(&far_uops[*n], 0, sizeof far_uops[*n]);
  far_uops[*n].op = op;
  far_uops[*n].arg = arg;
  far_uops[*n].operand[0] = a;
  far_uops[*n].operand[1] = b;
  return (*n)++;
}

/* The size of uop i's code in trace t. */
static int64_t uop_len(const cpjit_trace *t, uint32_t i) {
  return cpjit_trace_uop_offset(t, i + 1) - cpjit_trace_uop_offset(t, i);
}

static void far_guard_case(cpjit_jit *J, int op, size_t bytes, bool far) {
  const cpjit_stencil_set *set = toy_stencil_set_get();
  const cpjit_stencil *g = &set->uops[op], *add = &set->uops[TOY_ADD];
  size_t fill = bytes / (add->code_size - add->tail_size) + 1;
  cpjit_exit ex[2] = {{{100, 0}}, {{101, 0}}};
  uint32_t n = 0;
  uint32_t g0 = far_emit(&n, (uint16_t)op, 0, 3, 4); /* guard on r3 (r4) */
  far_uops[g0].exit = 0;
  for (size_t k = 0; k < fill; k++)
    far_emit(&n, TOY_ADD, 1, 1, 2);
  uint32_t g1 = far_emit(&n, (uint16_t)op, 0, 5, 4); /* guard on r5 */
  far_uops[g1].exit = 0;
  far_uops[far_emit(&n, TOY_EXIT, 0, 0, 0)].exit = 1;
  cpjit_trace *t = NULL;
  assert_int_equal(cpjit_compile(J, far_uops, n, ex, 2, &t), CPJIT_OK);
  /* Near: the short form with its tail dropped or falling through; far:
   * the whole code and one island (these guards use only EXIT). */
  int64_t near_len = (int64_t)(g->code_size - g->tail_size);
  int64_t far_len = (int64_t)g->code_size + 4 +
                    ((g->flags & CPJIT_STENCIL_FALLTHROUGH) ? 4 : 0);
  assert_int_equal(uop_len(t, g0), far ? far_len : near_len);
  assert_int_equal(uop_len(t, g1), near_len);
  /* Passing (r3 = r5 = 2: even, nonzero, less than r4 = 7, and
   * GUARD_EQK's constant is operand 1 = 4: r3 = r5 = 4 passes that). */
  int64_t pass = op == TOY_GUARD_EQK ? 4 : 2;
  int64_t fail = op == TOY_GUARD_EQK ? 5 : op == TOY_GUARD_NZ ? 0 : 9;
  toy_state S;
  memset(&S, 0, sizeof S);
  S.r[2] = 3, S.r[3] = pass, S.r[4] = 7, S.r[5] = pass;
  assert_int_equal(run(t, &S), 101);
  assert_int_equal(S.r[1], (int64_t)(3 * fill));
  S.r[1] = 0, S.r[3] = fail; /* the far guard exits at once */
  assert_int_equal(run(t, &S), 100);
  assert_int_equal(S.r[1], 0);
  S.r[3] = pass, S.r[5] = fail; /* the near one after all the ADDs */
  assert_int_equal(run(t, &S), 100);
  assert_int_equal(S.r[1], (int64_t)(3 * fill));
  cpjit_trace_free(J, t);
}

/* A loop whose back-edge branch (LOOP_LT: AArch64 `b.lt JUMP`, falling
 * through) is `bytes` away from the loop head. */
static void far_loop_case(cpjit_jit *J, size_t bytes, bool far) {
  const cpjit_stencil_set *set = toy_stencil_set_get();
  const cpjit_stencil *l = &set->uops[TOY_LOOP_LT], *add = &set->uops[TOY_ADD];
  size_t fill = bytes / (add->code_size - add->tail_size) + 1;
  cpjit_exit ex[1] = {{{101, 0}}};
  uint32_t n = 0;
  for (size_t k = 0; k < fill; k++)
    far_emit(&n, TOY_ADD, 1, 1, 2);
  uint32_t lp = far_emit(&n, TOY_LOOP_LT, 0, 3, 4);
  far_uops[lp].target = 0;
  far_uops[far_emit(&n, TOY_EXIT, 0, 0, 0)].exit = 0;
  cpjit_trace *t = NULL;
  assert_int_equal(cpjit_compile(J, far_uops, n, ex, 1, &t), CPJIT_OK);
  int64_t near_len = (int64_t)(l->code_size - l->tail_size);
  int64_t far_len = (int64_t)l->code_size + 4 +
                    ((l->flags & CPJIT_STENCIL_FALLTHROUGH) ? 4 : 0);
  assert_int_equal(uop_len(t, lp), far ? far_len : near_len);
  toy_state S;
  memset(&S, 0, sizeof S);
  S.r[2] = 1, S.r[3] = 0, S.r[4] = 3; /* three times round */
  assert_int_equal(run(t, &S), 101);
  assert_int_equal(S.r[1], (int64_t)(3 * fill));
  assert_int_equal(S.r[3], 3);
  cpjit_trace_free(J, t);
}

static void out_of_reach_branches_go_through_islands(void **unused) {
  (void)unused;
  const cpjit_stencil_set *set = toy_stencil_set_get();
  bool a64 = set->machine == CPJIT_MACHINE_AARCH64;
  for (int mode = 0; mode < 2; mode++) {
    cpjit_jit *J = open_jit(mode ? CPJIT_FLAG_NO_DUAL_MAP : 0);
    /* tbz/tbnz: 32 KiB */
    far_guard_case(J, TOY_GUARD_EVEN, 16 << 10, false);
    far_guard_case(J, TOY_GUARD_EVEN, 40 << 10, a64);
    /* b.cond and cbz: 1 MiB (a tbz-sized distance stays near) */
    far_guard_case(J, TOY_GUARD_LT, 40 << 10, false);
    far_guard_case(J, TOY_GUARD_LT, (1 << 20) + (64 << 10), a64);
    far_guard_case(J, TOY_GUARD_EQK, (1 << 20) + (64 << 10), a64);
    far_guard_case(J, TOY_GUARD_NZ, (1 << 20) + (64 << 10), a64);
    /* A back-edge (JUMP) and a fall-through stencil's far form. */
    far_loop_case(J, 512 << 10, false);
    far_loop_case(J, (1 << 20) + (64 << 10), a64);
    cpjit_close(J);
  }
  free(far_uops);
  far_uops = NULL;
  far_cap = 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_uop_alone_matches_reference),
      cmocka_unit_test(random_traces_match_reference),
      cmocka_unit_test(random_traces_match_reference_mprotect_mode),
      cmocka_unit_test(million_iteration_loop_runs_inside_one_trace),
      cmocka_unit_test(side_exits_return_their_operand_and_link),
      cmocka_unit_test(shared_handler_placed_once_and_unlink_restores),
      cmocka_unit_test(bad_traces_get_their_own_status),
      cmocka_unit_test(bad_configs_are_rejected),
      cmocka_unit_test(malformed_uop_stencils_fail_the_compiles_that_use_them),
      cmocka_unit_test(failing_allocation_leaks_nothing),
      cmocka_unit_test(failing_mmap_and_mprotect_return_status),
      cmocka_unit_test(exhausted_budget_fails_cleanly_and_recovers),
      cmocka_unit_test(steady_state_compiles_make_no_system_call),
      cmocka_unit_test(no_mapping_is_writable_and_executable),
      cmocka_unit_test(tail_jumps_to_the_next_uop_are_dropped),
      cmocka_unit_test(inverted_guards_fall_through_into_the_next_uop),
      cmocka_unit_test(out_of_reach_branches_go_through_islands),
      cmocka_unit_test(every_code_write_flushes_the_icache),
      cmocka_unit_test(trace_entries_have_landing_pads),
      cmocka_unit_test(strict_wx_leaves_no_writable_view),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
