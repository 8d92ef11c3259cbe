/*
 * bench_toy.c -- the toy VM's uop set for the compile benchmark: worlds are
 * toy_state values, traces come from tests/toy/toy_trace.h's generator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_sets.h"
#include "toy.h"
#include "toy_trace.h"

static toy_trace T; /* generator scratch (large: keep it off the stack) */

static void world_init(void *w, uint64_t seed) {
  uint64_t s = seed | 1;
  toy_state_random(w, &s);
}

static void world_clone(void *to, const void *from) {
  memcpy(to, from, sizeof(toy_state));
}

static int world_equal(const void *a, const void *b, char *why, size_t len) {
  const toy_state *x = a, *y = b;
  for (int i = 0; i < TOY_NREGS; i++)
    if (x->r[i] != y->r[i]) {
      snprintf(why, len, "register %d: %lld vs %lld", i, (long long)x->r[i],
               (long long)y->r[i]);
      return 0;
    }
  for (int i = 0; i < TOY_NMEM; i++)
    if (x->mem[i] != y->mem[i]) {
      snprintf(why, len, "mem[%d]: %lld vs %lld", i, (long long)x->mem[i],
               (long long)y->mem[i]);
      return 0;
    }
  if (x->acc != y->acc || x->helper_calls != y->helper_calls) {
    snprintf(why, len, "acc %lld vs %lld, helper calls %llu vs %llu",
             (long long)x->acc, (long long)y->acc,
             (unsigned long long)x->helper_calls,
             (unsigned long long)y->helper_calls);
    return 0;
  }
  return 1;
}

static void world_args(void *w, void **state, void **frame, void **spill) {
  toy_state *S = w;
  *state = S;
  *frame = S->r;
  *spill = NULL;
}

static uint64_t ref_run(void *w, const cpjit_uop *u, uint32_t n,
                        const cpjit_exit *e, uint32_t ne, uint64_t max_steps) {
  (void)ne;
  return toy_ref_run(w, u, n, e, max_steps);
}

static uint64_t cpjit_run(void *entry, void *w) {
  toy_entry_fn f;
  memcpy(&f, &entry, sizeof f);
  return f(w);
}

/* Registers are masked to 0..15 by the bodies; only LOADF/STOREF take a
 * raw displacement from R, which must stay inside registers + memory. */
static int runnable(const cpjit_uop *u, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (u[i].op == TOY_LOADF || u[i].op == TOY_STOREF) {
      int64_t d = (int32_t)u[i].operand[0];
      if (d < 0 || d % 8 != 0 || d >= 8 * (TOY_NREGS + TOY_NMEM))
        return 0;
    }
  return 1;
}

/* Which registers hold a value the compiler can know: loaded constants
 * and what is computed from them only. */
static uint8_t known[TOY_NREGS];

static int guard_is_static(const cpjit_uop *u) {
  if (u->op == TOY_GUARD_LT)
    return (u->operand[0] & 15) == (u->operand[1] & 15) ||
           (known[u->operand[0] & 15] && known[u->operand[1] & 15]);
  if (u->op == TOY_GUARD_EQK)
    return known[u->operand[0] & 15];
  return 0;
}

static void track(const cpjit_uop *u, int branched_over) {
  uint8_t a = known[u->operand[0] & 15], b = known[u->operand[1] & 15];
  uint8_t *d = &known[u->arg & 15];
  switch (u->op) {
  case TOY_LOADK:
  case TOY_LOADKS:
    *d = 1;
    break;
  case TOY_MOV:
  case TOY_ADDI:
  case TOY_NEG:
  case TOY_SCALE:
    *d = a;
    break;
  case TOY_ADD:
  case TOY_SUB:
  case TOY_MUL:
  case TOY_XOR:
  case TOY_SHL:
  case TOY_MIN:
    *d = a && b;
    break;
  case TOY_LOADF: /* a register when the displacement lands in R[] */
    *d = u->operand[0] < 8 * TOY_NREGS && known[u->operand[0] / 8];
    break;
  case TOY_LOADM:
  case TOY_CALL:
    *d = 0;
    break;
  default:
    break; /* stores, guards, branches, ACCUM write no register */
  }
  if (branched_over)
    *d = 0; /* two paths meet: assume the compiler cannot tell which */
}

/* One random uop. A hot loop takes no guard at all (it must not leave
 * early). Otherwise guards stay, but not one the compiler can decide:
 * toy_random_uop's GUARD_EQK checks a constant it has just loaded (and
 * fails one time in eight), a GUARD_LT may compare a register with itself
 * or two constants. A recorder never emits a guard that always fails, and
 * LLVM -O2 folds one and drops the rest of the trace as dead code, which
 * would make its code size meaningless. */
static void random_uop(uint64_t *s, int hot) {
  for (;;) {
    uint32_t n = T.n, nexits = T.nexits;
    uint8_t saved[TOY_NREGS];
    memcpy(saved, known, sizeof known);
    toy_random_uop(&T, s);
    int reject = 0;
    for (uint32_t i = n; i < T.n && !reject; i++) {
      const cpjit_uop *u = &T.u[i];
      int guard = u->op == TOY_GUARD_LT || u->op == TOY_GUARD_EQK;
      reject = guard && (hot || guard_is_static(u));
      track(u, i > n && T.u[i - 1].op == TOY_BRANCH_NZ);
    }
    if (!reject)
      return;
    memcpy(known, saved, sizeof known);
    T.n = n, T.nexits = nexits;
  }
}

static int generate(uint64_t *seed, uint32_t len, int kind, cpjit_uop *u,
                    uint32_t maxu, uint32_t *nu, cpjit_exit *e, uint32_t maxe,
                    uint32_t *ne) {
  if (len + 8 > TOY_MAX_UOPS)
    return -1;
  /* The shape of toy_random_trace(): a prologue, for half of the mixed
   * traces a counted loop, a final exit. */
  int hot = kind == BENCH_GEN_HOTLOOP;
  int loop = hot || bench_rand(seed) % 2;
  T.n = T.nexits = 0;
  memset(known, 0, sizeof known);
  uint32_t pro = hot ? len / 8 : loop ? len / 4 : len - 1;
  while (T.n < pro)
    random_uop(seed, hot);
  if (loop) {
    toy_emit(&T, TOY_LOADKS, TOY_LOOP_COUNTER, 0, 0);
    toy_emit(&T, TOY_LOADKS, TOY_LOOP_LIMIT,
             hot ? BENCH_HOTLOOP_ITERS : 1 + bench_rand(seed) % 50, 0);
    uint32_t head = T.n;
    /* Inside the loop a register may change between iterations. */
    memset(known, 0, sizeof known);
    while (T.n + 2 < len)
      random_uop(seed, hot);
    uint32_t l = toy_emit(&T, TOY_LOOP_LT, 0, TOY_LOOP_COUNTER, TOY_LOOP_LIMIT);
    T.u[l].target = head;
  }
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 1);
  if (T.n > maxu || T.nexits > maxe)
    return -1;
  memcpy(u, T.u, T.n * sizeof *u);
  memcpy(e, T.e, T.nexits * sizeof *e);
  *nu = T.n;
  *ne = T.nexits;
  return 0;
}

const bench_set bench_set_toy = {
    .name = "toy",
    .ops = {toy_uop_names, TOY__NUOPS},
    .nslot_ops = TOY__NUOPS,
    .stencils = toy_stencil_set_get,
    .world_size = sizeof(toy_state),
    .world_init = world_init,
    .world_clone = world_clone,
    .world_equal = world_equal,
    .world_args = world_args,
    .ref_run = ref_run,
    .step_limit = TOY_REF_STEP_LIMIT,
    .cpjit_run = cpjit_run,
    .runnable = runnable,
    .generate = generate,
};
