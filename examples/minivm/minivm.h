/*
 * minivm.h -- a register VM of 8 instructions, JIT-compiled with cpjit.
 *
 * One list (MV_OPS) names the instructions; each is also a uop, written
 * once in C (minivm_uops.c) and turned into a stencil at build time, so a
 * trace is simply the loop's instructions, one uop each.
 */
#ifndef MINIVM_H
#define MINIVM_H

#include <stdint.h>

#define MV_NREGS 8

/* X(name): the instructions = the uops, in op order. */
#define MV_OPS(X)                                                              \
  X(LOADK) /* r[a] = k                                            */          \
  X(MOV)   /* r[a] = r[b]                                         */          \
  X(ADD)   /* r[a] = r[b] + r[c]; leaves the trace on overflow    */          \
  X(SUB)   /* r[a] = r[b] - r[c] (wraps)                          */          \
  X(MUL)   /* r[a] = r[b] * r[c] (wraps)                          */          \
  X(JLT)   /* if r[b] < r[c] jump to `target`                     */          \
  X(PRINT) /* print r[a] (a host helper)                          */          \
  X(EXIT)  /* interpreter: stop; trace: leave through `exit`      */

/* Host functions the uops may call. */
#define MV_HELPERS(X) X(mv_print)

typedef struct mv_state {
  int64_t r[MV_NREGS];
  int64_t printed; /* how many PRINTs ran, in the interpreter or a trace */
} mv_state;

typedef struct mv_ins {
  uint8_t op, a, b, c;
  int64_t k;       /* LOADK's constant */
  uint32_t target; /* JLT's target pc */
} mv_ins;

void mv_print(mv_state *S, int64_t v);

#endif
