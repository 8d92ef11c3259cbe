/*
 * minivm.c -- an interpreter of minivm.h's 8 instructions and a tiny trace
 * JIT on top of cpjit. A backward JLT taken MV_HOT times makes its loop a
 * trace: the loop's instructions become uops one for one, the back-edge a
 * JUMP to uop 0, the way out an exit to the pc after the loop, and an ADD
 * that would overflow an exit to its own pc, where the interpreter redoes
 * it (and reports the overflow). The interpreter enters a loop's trace
 * whenever it reaches the loop head.
 *
 *   minivm [n]    sums i*i for i < n, with the JIT off and on
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpjit.h"
#include "minivm.h"
#include "minivm_stencils.h" /* generated: minivm_stencil_set, minivm_OP_* */

#define MV_HOT 50
#define MV_MAXCODE 64

typedef uint64_t (*mv_entry)(mv_state *S); /* the trampoline's type */

void mv_print(mv_state *S, int64_t v) {
  S->printed++;
  printf("%" PRId64 "\n", v);
}

typedef struct mv_jit {
  cpjit_jit *J; /* NULL: interpreter only */
  cpjit_trace *trace[MV_MAXCODE];
  uint32_t hot[MV_MAXCODE];
  uint64_t entries;
} mv_jit;

/* The loop code[head..end] as a trace; NULL when it cannot be one. */
static cpjit_trace *record(mv_jit *M, const mv_ins *code, uint32_t head,
                           uint32_t end) {
  cpjit_uop uops[MV_MAXCODE + 1] = {0};
  cpjit_exit exits[MV_MAXCODE + 1] = {0};
  uint32_t n = 0, nexits = 0;
  for (uint32_t pc = head; pc <= end; pc++, n++) {
    const mv_ins *i = &code[pc];
    cpjit_uop *u = &uops[n];
    u->op = i->op;
    u->arg = i->a;
    u->operand[0] = i->op == minivm_OP_LOADK ? (uint64_t)i->k : i->b;
    u->operand[1] = i->c;
    if (i->op == minivm_OP_JLT && i->target != head)
      return NULL; /* a jump elsewhere than the loop head */
    if (i->op == minivm_OP_ADD || i->op == minivm_OP_EXIT) {
      u->exit = nexits;
      exits[nexits++].operand[0] = pc; /* resume at this instruction */
    }
  }
  uops[n].op = minivm_OP_EXIT; /* fell out of the loop */
  uops[n++].exit = nexits;
  exits[nexits++].operand[0] = end + 1;
  cpjit_trace *t;
  cpjit_status st = cpjit_compile(M->J, uops, n, exits, nexits, &t);
  if (st != CPJIT_OK) {
    fprintf(stderr, "minivm: trace not compiled: %s\n", cpjit_status_str(st));
    return NULL;
  }
  return t;
}

/* Run `code` from pc 0; 0 on EXIT, -1 on an overflow. */
static int run(mv_jit *M, mv_state *S, const mv_ins *code) {
  int64_t *r = S->r;
  for (uint32_t pc = 0;;) {
    const mv_ins *i = &code[pc];
    switch (i->op) {
    case minivm_OP_LOADK: r[i->a] = i->k; pc++; break;
    case minivm_OP_MOV: r[i->a] = r[i->b]; pc++; break;
    case minivm_OP_ADD:
      if (__builtin_add_overflow(r[i->b], r[i->c], &r[i->a])) {
        fflush(stdout);
        fprintf(stderr, "minivm: integer overflow at pc %" PRIu32 "\n", pc);
        return -1;
      }
      pc++;
      break;
    case minivm_OP_SUB: r[i->a] = (int64_t)((uint64_t)r[i->b] - (uint64_t)r[i->c]); pc++; break;
    case minivm_OP_MUL: r[i->a] = (int64_t)((uint64_t)r[i->b] * (uint64_t)r[i->c]); pc++; break;
    case minivm_OP_PRINT: mv_print(S, r[i->a]); pc++; break;
    case minivm_OP_EXIT: return 0;
    case minivm_OP_JLT:
      if (r[i->b] >= r[i->c]) { pc++; break; }
      if (M->J && i->target < pc && !M->trace[i->target] &&
          ++M->hot[i->target] == MV_HOT)
        M->trace[i->target] = record(M, code, i->target, pc);
      pc = i->target;
      if (M->J && M->trace[pc]) { /* run the loop as machine code */
        M->entries++;
        pc = (uint32_t)((mv_entry)cpjit_trace_entry(M->trace[pc]))(S);
      }
      break;
    }
  }
}

/* sum = 0; for (i = 0; i < n; i++) sum += i * i; print(sum) */
static const mv_ins sum_squares[] = {
    {minivm_OP_LOADK, 0, 0, 0, 0, 0}, /* r0 = i   */
    {minivm_OP_LOADK, 1, 0, 0, 0, 0}, /* r1 = sum */
    {minivm_OP_LOADK, 2, 0, 0, 0, 0}, /* r2 = n (patched in main) */
    {minivm_OP_LOADK, 3, 0, 0, 1, 0},
    {minivm_OP_MUL, 4, 0, 0, 0, 0},   /* loop: r4 = i * i */
    {minivm_OP_ADD, 1, 1, 4, 0, 0},   /* sum += r4 (overflow: exit) */
    {minivm_OP_ADD, 0, 0, 3, 0, 0},   /* i += 1 */
    {minivm_OP_JLT, 0, 0, 2, 0, 4},   /* if i < n goto loop */
    {minivm_OP_PRINT, 1, 0, 0, 0, 0},
    {minivm_OP_EXIT, 0, 0, 0, 0, 0},
};

int main(int argc, char **argv) {
  mv_ins code[sizeof sum_squares / sizeof sum_squares[0]];
  for (size_t k = 0; k < sizeof code / sizeof code[0]; k++)
    code[k] = sum_squares[k];
  code[2].k = argc > 1 ? strtoll(argv[1], NULL, 10) : 1000000;

  mv_state S = {0};
  mv_jit off = {0};
  printf("interpreter: ");
  int rc_off = run(&off, &S, code);

  static const void *const helpers[] = {(const void *)mv_print};
  cpjit_config cfg = {.set = &minivm_stencil_set, .helpers = helpers,
                      .nhelpers = minivm_NHELPERS};
  mv_jit on = {0};
  cpjit_status st = cpjit_open(&cfg, &on.J);
  if (st != CPJIT_OK) {
    fprintf(stderr, "minivm: cpjit_open: %s\n", cpjit_status_str(st));
    return 1;
  }
  mv_state S2 = {0};
  printf("jit:         ");
  int rc_on = run(&on, &S2, code);
  cpjit_stats stats;
  cpjit_get_stats(on.J, &stats);
  printf("cpjit %s (library %u): %" PRIu64 " trace, %" PRIu64
         " uops, %" PRIu64 " code bytes, %" PRIu64 " trace entries\n",
         CPJIT_VERSION_STRING, cpjit_version(), stats.traces_compiled,
         stats.uops_compiled, stats.code_bytes, on.entries);
  cpjit_close(on.J);
  return rc_off != rc_on || S.r[1] != S2.r[1] ? 2 : rc_on ? 1 : 0;
}
