/*
 * test_ruops.c -- register uops (CPJIT_RUOP) of the toy VM: every variant
 * alone, random traces mixing plain uops and register uops with random
 * register assignments, a loop and a guard exit with live values in the
 * register file (dumped by the exit stub through CPJIT_REGFILE_SAVE), the
 * op numbering of the generated table, and the size of a variant's code.
 * Each trace runs through cpjit and through the reference executor built
 * from the same bodies, and the two states must be identical.
 *
 * Random runs print their seed on failure; set CPJIT_TEST_SEED to replay.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpjit.h"
#include "toy.h"
#include "toy_stencils.h"
#include "toy_trace.h"

static toy_trace T; /* large: keep it off the stack */

static cpjit_jit *open_jit(void) {
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = toy_stencil_set_get();
  cfg.helpers = toy_helpers;
  cfg.nhelpers = toy_nhelpers;
  cpjit_jit *J = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);
  return J;
}

/* Run `t` in the JIT and in the reference executor from `init`; fail on
 * any difference. Returns the exit taken; the JIT's state in *out. */
static uint64_t check_same(cpjit_jit *J, const toy_trace *t,
                           const toy_state *init, toy_state *out,
                           const char *what, uint64_t seed) {
  toy_state a = *init, b = *init;
  cpjit_trace *tr = NULL;
  cpjit_status st = cpjit_compile(J, t->u, t->n, t->e, t->nexits, &tr);
  if (st != CPJIT_OK)
    fail_msg("%s: compile failed: %s (uop %lld); seed %llu", what,
             cpjit_status_str(st), (long long)cpjit_last_error_index(J),
             (unsigned long long)seed);
  uint64_t ra = ((toy_entry_fn)cpjit_trace_entry(tr))(&a);
  uint64_t rb = toy_ref_run(&b, t->u, t->n, t->e, 100000000);
  if (ra != rb || memcmp(&a, &b, sizeof a) != 0) {
    for (int i = 0; i < TOY_NREGS; i++)
      if (a.r[i] != b.r[i])
        print_message("  r%d: jit %lld ref %lld\n", i, (long long)a.r[i],
                      (long long)b.r[i]);
    for (int i = 0; i < TOY_NGPR; i++)
      if (a.gpr[i] != b.gpr[i])
        print_message("  g%d: jit %llu ref %llu\n", i,
                      (unsigned long long)a.gpr[i],
                      (unsigned long long)b.gpr[i]);
    fail_msg("%s: jit and reference differ (exit %llu vs %llu); seed %llu",
             what, (unsigned long long)ra, (unsigned long long)rb,
             (unsigned long long)seed);
  }
  cpjit_trace_free(J, tr);
  if (out)
    *out = a;
  return ra;
}

static uint32_t emit_r(toy_trace *t, int ruop, unsigned r0, unsigned r1,
                       unsigned r2, uint16_t arg, uint64_t op0) {
  return toy_emit(t, toy_ruop_op(ruop, r0, r1, r2), arg, op0, 0);
}

static const char *set_name(uint32_t op) {
  return toy_stencil_set_get()->uops[op].name;
}

static uint64_t test_seed(uint64_t dflt) {
  const char *s = getenv("CPJIT_TEST_SEED");
  return s ? strtoull(s, NULL, 0) : dflt;
}

/* -- The generated numbering ---------------------------------------------- */

static void ops_decode_to_their_registers(void **unused) {
  (void)unused;
  const cpjit_stencil_set *set = toy_stencil_set_get();
  assert_int_equal(set->nuops, toy_NOPS);
  assert_int_equal(toy_NRUOPS, TOY__NRUOPS);
  uint32_t ruop;
  uint8_t reg[3];
  for (uint32_t op = 0; op < TOY__NUOPS; op++)
    assert_int_equal(toy_ruop_decode_op(op, &ruop, reg), 0);
  assert_int_equal(toy_ruop_decode_op(toy_NOPS, &ruop, reg), 0);
  uint32_t next = TOY__NUOPS, seen = 0;
  for (int r = 0; r < TOY__NRUOPS; r++) {
    const cpjit_ruop_info *info = &toy_ruops[r];
    assert_string_equal(info->name, toy_ruop_names[r]);
    assert_int_equal(info->first, next); /* contiguous, in list order */
    uint32_t want = 1;
    for (unsigned k = 0; k < info->noperands; k++) {
      assert_int_equal(info->cls[k], CPJIT_REG_G);
      assert_int_equal(info->size[k], TOY_NGPR);
      want *= TOY_NGPR;
    }
    assert_int_equal(info->nvariants, want);
    next += want;
    for (unsigned v = 0; v < info->nvariants; v++) {
      uint32_t op = info->first + v;
      assert_int_equal(toy_ruop_decode_op(op, &ruop, reg), 1);
      assert_int_equal(ruop, (uint32_t)r);
      /* operand 0 most significant */
      assert_int_equal(toy_ruop_op(r, reg[0], reg[1], reg[2]), op);
      char name[64];
      if (info->noperands == 1)
        snprintf(name, sizeof name, "%s__%u", info->name, reg[0]);
      else if (info->noperands == 2)
        snprintf(name, sizeof name, "%s__%u_%u", info->name, reg[0], reg[1]);
      else
        snprintf(name, sizeof name, "%s__%u_%u_%u", info->name, reg[0],
                 reg[1], reg[2]);
      assert_string_equal(set->uops[op].name, name);
      seen++;
    }
  }
  assert_int_equal(next, toy_NOPS);
  assert_int_equal(seen, 4 + 4 + 16 + 3 * 64 + 3 * 16);
  assert_int_equal(toy_OP_RADD, toy_ruops[TOY_RUOP_RADD].first);
  assert_int_equal(toy_ruop_op(TOY_RUOP_RADD, 1, 2, 3),
                   toy_OP_RADD + 1 * 16 + 2 * 4 + 3);
}

/* A variant is its body alone: `g1 = g2 + g3` is one instruction and the
 * jump to the next uop, no stack traffic (x86-64: lea + jmp rel32, 9
 * bytes; AArch64: add + b, 8 bytes). */
static void variant_code_is_the_operation_alone(void **unused) {
  (void)unused;
  const cpjit_stencil_set *set = toy_stencil_set_get();
  const cpjit_stencil *s = &set->uops[toy_ruop_op(TOY_RUOP_RADD, 1, 2, 3)];
  assert_string_equal(s->name, "RADD__1_2_3");
  assert_true(s->code_size <= 9);
  assert_int_equal(s->nholes, 1);
  assert_int_equal(s->holes[0].kind, CPJIT_HOLE_CONTINUE);
  assert_int_equal(s->flags & CPJIT_STENCIL_TAIL_CONTINUE,
                   CPJIT_STENCIL_TAIL_CONTINUE);
  assert_int_equal(s->data_size, 0);
  /* A move to itself is nothing but the jump, elided in a trace. */
  s = &set->uops[toy_ruop_op(TOY_RUOP_RMOV, 2, 2, 0)];
  assert_int_equal(s->code_size, s->tail_size);
}

/* -- Every variant alone -------------------------------------------------- */

/* Load the file from R[0..3], run one variant, store the file to R[4..7];
 * values small enough that loops end soon. */
static void every_variant_matches_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_jit();
  uint64_t seed = test_seed(777);
  for (int r = 0; r < TOY__NRUOPS; r++) {
    const cpjit_ruop_info *info = &toy_ruops[r];
    for (unsigned v = 0; v < info->nvariants; v++) {
      uint8_t reg[3];
      uint32_t ruop;
      assert_int_equal(toy_ruop_decode_op(info->first + v, &ruop, reg), 1);
      for (int rep = 0; rep < 3; rep++) {
        toy_state S;
        toy_state_random(&S, &seed);
        for (int i = 0; i < 4; i++)
          S.r[i] = rep == 0 ? (int64_t)toy_rand(&seed)
                            : (int64_t)(toy_rand(&seed) % 64) - 32;
        T.n = T.nexits = 0;
        uint32_t fin = toy_exit(&T, 7);
        uint32_t guard = toy_exit(&T, 9);
        for (unsigned i = 0; i < TOY_NGPR; i++)
          emit_r(&T, TOY_RUOP_RLOAD, i, 0, 0, (uint16_t)i, 0);
        uint16_t arg = (uint16_t)(toy_rand(&seed) % 16);
        uint64_t k = (uint64_t)(int64_t)(int32_t)toy_rand(&seed);
        uint32_t at = toy_emit(&T, (uint16_t)(info->first + v), arg, k, 0);
        T.u[at].exit = guard;
        T.u[at].target = at; /* RLOOP_LT: count up to the limit */
        for (unsigned i = 0; i < TOY_NGPR; i++)
          emit_r(&T, TOY_RUOP_RSTORE, i, 0, 0, (uint16_t)(4 + i), 0);
        uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
        T.u[x].exit = fin;
        if (r == TOY_RUOP_RLOOP_LT && rep == 0)
          continue; /* 64-bit random bounds: too many iterations */
        char what[64];
        snprintf(what, sizeof what, "%s rep %d", set_name(info->first + v),
                 rep);
        check_same(J, &T, &S, NULL, what, seed);
      }
    }
  }
  cpjit_close(J);
}

/* -- A loop and a guard exit in registers --------------------------------- */

/* sum = 0; for i = 0, 9: sum += i -- with i, n, sum and sum + 1000 in file
 * registers p[0..3] (a permutation of 0..3), then a guard that fails. */
static void loop_and_guard_exit_keep_values_in_registers(void **unused) {
  (void)unused;
  cpjit_jit *J = open_jit();
  static const unsigned perms[][4] = {
      {0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}, {1, 0, 3, 2}};
  for (size_t pi = 0; pi < sizeof perms / sizeof perms[0]; pi++) {
    const unsigned *p = perms[pi];
    T.n = T.nexits = 0;
    toy_emit(&T, TOY_LOADKS, 0, 0, 0);
    toy_emit(&T, TOY_LOADKS, 1, 10, 0);
    emit_r(&T, TOY_RUOP_RLOAD, p[0], 0, 0, 0, 0);  /* i = R0 */
    emit_r(&T, TOY_RUOP_RLOAD, p[1], 0, 0, 1, 0);  /* n = R1 */
    emit_r(&T, TOY_RUOP_RMOV, p[2], p[0], 0, 0, 0); /* sum = i */
    uint32_t head = emit_r(&T, TOY_RUOP_RADD, p[2], p[2], p[0], 0, 0);
    uint32_t l = emit_r(&T, TOY_RUOP_RLOOP_LT, p[0], p[1], 0, 0, 0);
    T.u[l].target = head;
    emit_r(&T, TOY_RUOP_RADDI, p[3], p[2], 0, 0, 1000);
    emit_r(&T, TOY_RUOP_RSTORE, p[2], 0, 0, 5, 0); /* R5 = sum */
    uint32_t g = emit_r(&T, TOY_RUOP_RGUARD_LT, p[2], p[3], 0, 0, 0);
    T.u[g].exit = toy_exit(&T, 41);                /* 45 < 1045: passes */
    g = emit_r(&T, TOY_RUOP_RGUARD_LT, p[1], p[0], 0, 0, 0);
    T.u[g].exit = toy_exit(&T, 42);                /* 10 < 10: exits */
    uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
    T.u[x].exit = toy_exit(&T, 1);
    toy_state S, out;
    memset(&S, 0, sizeof S);
    assert_int_equal(check_same(J, &T, &S, &out, "loop", pi), 42);
    assert_int_equal(out.r[5], 45);
    assert_int_equal(out.gpr[p[0]], 10);
    assert_int_equal(out.gpr[p[1]], 10);
    assert_int_equal(out.gpr[p[2]], 45);
    assert_int_equal(out.gpr[p[3]], 1045);
  }
  cpjit_close(J);
}

/* -- Random traces mixing plain and register uops ------------------------- */

/* One random register uop; in a loop only g0 and g1 are written (g2 and
 * g3 hold the loop's counter and limit). */
static void random_ruop(toy_trace *t, uint64_t *s, int loop) {
  static const int pick[] = {TOY_RUOP_RLOAD, TOY_RUOP_RSTORE, TOY_RUOP_RMOV,
                             TOY_RUOP_RADD,  TOY_RUOP_RSUB,   TOY_RUOP_RMUL,
                             TOY_RUOP_RADDI, TOY_RUOP_RGUARD_LT};
  int r = pick[toy_rand(s) % (sizeof pick / sizeof pick[0])];
  unsigned d = (unsigned)(toy_rand(s) % (loop ? 2 : TOY_NGPR));
  unsigned a = (unsigned)(toy_rand(s) % TOY_NGPR);
  unsigned b = (unsigned)(toy_rand(s) % TOY_NGPR);
  uint16_t arg = (uint16_t)(toy_rand(s) % 14); /* R14, R15 stay the loop's */
  int32_t k = (int32_t)(toy_rand(s) % 2001) - 1000;
  uint32_t i;
  switch (r) {
  case TOY_RUOP_RLOAD:
    emit_r(t, r, d, 0, 0, (uint16_t)(toy_rand(s) % 16), 0);
    break;
  case TOY_RUOP_RSTORE:
    emit_r(t, r, a, 0, 0, arg, 0);
    break;
  case TOY_RUOP_RMOV:
    emit_r(t, r, d, a, 0, 0, 0);
    break;
  case TOY_RUOP_RADDI:
    emit_r(t, r, d, a, 0, 0, (uint64_t)(int64_t)k);
    break;
  case TOY_RUOP_RGUARD_LT:
    if (toy_rand(s) % 4)
      return; /* keep guards rare, so traces run long */
    i = emit_r(t, r, a, b, 0, 0, 0);
    t->u[i].exit = toy_exit(t, 100 + t->nexits);
    break;
  default:
    emit_r(t, r, d, a, b, 0, 0);
    break;
  }
}

static void random_mixed_trace(toy_trace *t, uint64_t *s, uint32_t len) {
  t->n = t->nexits = 0;
  int loop = toy_rand(s) % 2;
  for (unsigned i = 0; i < TOY_NGPR; i++)
    emit_r(t, TOY_RUOP_RLOAD, i, 0, 0, (uint16_t)(toy_rand(s) % 16), 0);
  uint32_t head = 0;
  if (loop) {
    toy_emit(t, TOY_LOADKS, TOY_LOOP_COUNTER, 0, 0);
    toy_emit(t, TOY_LOADKS, TOY_LOOP_LIMIT, 1 + toy_rand(s) % 20, 0);
    emit_r(t, TOY_RUOP_RLOAD, 2, 0, 0, TOY_LOOP_COUNTER, 0);
    emit_r(t, TOY_RUOP_RLOAD, 3, 0, 0, TOY_LOOP_LIMIT, 0);
    head = t->n;
  }
  for (uint32_t i = 0; i < len && t->n + 8 < TOY_MAX_UOPS &&
                       t->nexits + 4 < TOY_MAX_EXITS;
       i++) {
    if (toy_rand(s) % 3 == 0)
      toy_random_uop(t, s); /* writes R0..R13 only */
    else
      random_ruop(t, s, loop);
  }
  if (loop) {
    uint32_t l = emit_r(t, TOY_RUOP_RLOOP_LT, 2, 3, 0, 0, 0);
    t->u[l].target = head;
  }
  for (unsigned i = 0; i < TOY_NGPR; i += 2)
    emit_r(t, TOY_RUOP_RSTORE, i, 0, 0, (uint16_t)i, 0);
  uint32_t x = toy_emit(t, TOY_EXIT, 0, 0, 0);
  t->u[x].exit = toy_exit(t, 1);
}

static void random_mixed_traces_match_reference(void **unused) {
  (void)unused;
  cpjit_jit *J = open_jit();
  uint64_t seed0 = test_seed(20261205);
  unsigned guard_exits = 0;
  for (int run = 0; run < 300; run++) {
    uint64_t seed = seed0 + (uint64_t)run, s = seed;
    random_mixed_trace(&T, &s, 5 + (uint32_t)(toy_rand(&s) % 60));
    toy_state S;
    toy_state_random(&S, &s);
    guard_exits += check_same(J, &T, &S, NULL, "random mixed trace", seed) >= 100;
  }
  /* Some traces leave through a guard with the file live. */
  assert_true(guard_exits > 0);
  cpjit_close(J);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ops_decode_to_their_registers),
      cmocka_unit_test(variant_code_is_the_operation_alone),
      cmocka_unit_test(every_variant_matches_reference),
      cmocka_unit_test(loop_and_guard_exit_keep_values_in_registers),
      cmocka_unit_test(random_mixed_traces_match_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
