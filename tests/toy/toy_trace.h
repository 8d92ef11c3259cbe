/*
 * toy_trace.h -- small helpers shared by the toy VM's tests, demo and
 * compile benchmark: a trace builder and a seeded random trace generator.
 */
#ifndef TOY_TRACE_H
#define TOY_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "toy.h"

#define TOY_MAX_UOPS 4096
#define TOY_MAX_EXITS 256

typedef struct toy_trace {
  cpjit_uop u[TOY_MAX_UOPS];
  cpjit_exit e[TOY_MAX_EXITS];
  uint32_t n, nexits;
} toy_trace;

static inline uint32_t toy_emit(toy_trace *t, uint16_t op, uint16_t arg,
                                uint64_t a, uint64_t b) {
  cpjit_uop *u = &t->u[t->n];
  memset(u, 0, sizeof *u);
  u->op = op;
  u->arg = arg;
  u->operand[0] = a;
  u->operand[1] = b;
  return t->n++;
}

/* A new exit whose stub returns `id`. */
static inline uint32_t toy_exit(toy_trace *t, uint64_t id) {
  t->e[t->nexits].operand[0] = id;
  t->e[t->nexits].operand[1] = 0;
  return t->nexits++;
}

/* xorshift64*: a tiny reproducible generator. */
static inline uint64_t toy_rand(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545f4914f6cdd1dull;
}

static inline void toy_state_random(toy_state *S, uint64_t *seed) {
  memset(S, 0, sizeof *S);
  for (int i = 0; i < TOY_NREGS; i++)
    S->r[i] = (int64_t)(toy_rand(seed) >> (toy_rand(seed) & 63));
  for (int i = 0; i < TOY_NMEM; i++)
    S->mem[i] = (int64_t)toy_rand(seed);
}

/* Registers 14 and 15 belong to the loop of a random trace (limit, counter);
 * straight-line uops write only registers 0..13. */
#define TOY_LOOP_LIMIT 14
#define TOY_LOOP_COUNTER 15

/* One random straight-line uop (or a guard) writing registers 0..13. */
static inline void toy_random_uop(toy_trace *t, uint64_t *s) {
  uint16_t d = (uint16_t)(toy_rand(s) % 14);
  uint64_t a = toy_rand(s) % 16, b = toy_rand(s) % 16;
  int32_t k = (int32_t)(toy_rand(s) % 2001) - 1000;
  switch (toy_rand(s) % 22) {
  case 0: toy_emit(t, TOY_LOADK, d, toy_rand(s), 0); break;
  case 1: toy_emit(t, TOY_LOADKS, d, (uint64_t)(int64_t)k, 0); break;
  case 2: toy_emit(t, TOY_MOV, d, a, 0); break;
  case 3: toy_emit(t, TOY_ADD, d, a, b); break;
  case 4: toy_emit(t, TOY_SUB, d, a, b); break;
  case 5: toy_emit(t, TOY_MUL, d, a, b); break;
  case 6: toy_emit(t, TOY_ADDI, d, a, (uint64_t)(int64_t)k); break;
  case 7: toy_emit(t, TOY_XOR, d, a, b); break;
  case 8: toy_emit(t, TOY_SHL, d, a, b); break;
  case 9: toy_emit(t, TOY_NEG, d, a, 0); break;
  case 10: toy_emit(t, TOY_MIN, d, a, b); break;
  case 11: /* a frame slot or a memory word, by displacement from R */
    toy_emit(t, TOY_LOADF, d, 8 * (toy_rand(s) % (TOY_NREGS + TOY_NMEM)), 0);
    break;
  case 12: /* stores only into memory words, never into the registers */
    toy_emit(t, TOY_STOREF, d, 8 * (TOY_NREGS + toy_rand(s) % TOY_NMEM), 0);
    break;
  case 13: toy_emit(t, TOY_LOADM, d, a, 0); break;
  case 14: toy_emit(t, TOY_STOREM, d, a, 0); break;
  case 15: toy_emit(t, TOY_SCALE, d, a, 0); break;
  case 16: toy_emit(t, TOY_CALL, d, a, b); break;
  case 17: toy_emit(t, TOY_ACCUM, d, 0, 0); break;
  case 18: { /* a data-dependent guard */
    uint32_t i = toy_emit(t, TOY_GUARD_LT, 0, a, b);
    t->u[i].exit = toy_exit(t, 100 + t->nexits);
    break;
  }
  case 19:
  case 20: { /* a type-guard-like check that passes 7 times in 8 */
    toy_emit(t, TOY_LOADKS, d, (uint64_t)(int64_t)k, 0);
    int32_t want = toy_rand(s) % 8 ? k : k + 1;
    uint32_t i = toy_emit(t, TOY_GUARD_EQK, 0, d, (uint64_t)(int64_t)want);
    t->u[i].exit = toy_exit(t, 100 + t->nexits);
    break;
  }
  default: { /* forward branch over the next uop */
    uint32_t i = toy_emit(t, TOY_BRANCH_NZ, 0, a, 0);
    t->u[i].target = i + 2;
    toy_emit(t, TOY_ADDI, d, a, 1);
    break;
  }
  }
}

/* A random well-formed trace of about `len` uops: a prologue, an optional
 * counted loop whose body is random, and a final exit. */
static inline void toy_random_trace(toy_trace *t, uint64_t *s, uint32_t len) {
  t->n = t->nexits = 0;
  bool loop = toy_rand(s) % 2;
  uint32_t pro = loop ? len / 4 : len;
  for (uint32_t i = 0; i < pro && t->n + 4 < TOY_MAX_UOPS &&
                       t->nexits + 2 < TOY_MAX_EXITS;
       i++)
    toy_random_uop(t, s);
  if (loop) {
    toy_emit(t, TOY_LOADKS, TOY_LOOP_COUNTER, 0, 0);
    toy_emit(t, TOY_LOADKS, TOY_LOOP_LIMIT, 1 + toy_rand(s) % 50, 0);
    uint32_t head = t->n;
    for (uint32_t i = pro; i < len && t->n + 3 < TOY_MAX_UOPS &&
                           t->nexits + 2 < TOY_MAX_EXITS;
         i++)
      toy_random_uop(t, s);
    uint32_t l = toy_emit(t, TOY_LOOP_LT, 0, TOY_LOOP_COUNTER, TOY_LOOP_LIMIT);
    t->u[l].target = head;
  }
  uint32_t x = toy_emit(t, TOY_EXIT, 0, 0, 0);
  t->u[x].exit = toy_exit(t, 1);
}

#endif /* TOY_TRACE_H */
