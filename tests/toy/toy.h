/*
 * toy.h -- the toy VM that proves cpjit is host-agnostic.
 *
 * A register machine of 16 int64 registers and 256 words of memory. The uop
 * list below is the single source of the enum, the names, the stencil set
 * (toy_stencils.c, built by cpjit_add_stencils) and the reference executor
 * (toy_ref.c, built by the ordinary compiler from the same bodies).
 *
 * Operand conventions: registers are named by small integers masked with 15
 * (so any value is safe); `arg` names the destination register.
 */
#ifndef TOY_H
#define TOY_H

#include <stdint.h>

#include "cpjit.h"

#define TOY_NREGS 16
#define TOY_NMEM 256

typedef struct toy_state {
  int64_t r[TOY_NREGS];   /* the frame: uops address it through R */
  int64_t mem[TOY_NMEM];  /* reached with displacements from R or by index */
  int64_t acc;
  uint64_t helper_calls;
} toy_state;

/* X(name): the uops, in op order. */
#define TOY_UOP_LIST(X)                                                        \
  X(LOADK)      /* R[arg] = operand0 (64-bit)                   */             \
  X(LOADKS)     /* R[arg] = (int32) operand0                    */             \
  X(MOV)        /* R[arg] = R[op0]                              */             \
  X(ADD)        /* R[arg] = R[op0] + R[op1]   (wrap-around)     */             \
  X(SUB)        /* R[arg] = R[op0] - R[op1]                     */             \
  X(MUL)        /* R[arg] = R[op0] * R[op1]                     */             \
  X(ADDI)       /* R[arg] = R[op0] + (int32) op1                */             \
  X(XOR)        /* R[arg] = R[op0] ^ R[op1]                     */             \
  X(SHL)        /* R[arg] = R[op0] << (R[op1] & 63)             */             \
  X(NEG)        /* R[arg] = -R[op0]                             */             \
  X(MIN)        /* R[arg] = min(R[op0], R[op1])                 */             \
  X(LOADF)      /* R[arg] = *(int64 *)((char *)R + op0)         */             \
  X(STOREF)     /* *(int64 *)((char *)R + op0) = R[arg]         */             \
  X(LOADM)      /* R[arg] = mem[R[op0] & 255]                   */             \
  X(STOREM)     /* mem[R[op0] & 255] = R[arg]                   */             \
  X(SCALE)      /* R[arg] = (int64)((R[op0] & 0xffff) * 1.25)   */             \
  X(CALL)       /* R[arg] = toy_helper_mix(S, R[op0], R[op1])   */             \
  X(ACCUM)      /* acc += R[arg]                                */             \
  X(GUARD_LT)   /* exit unless R[op0] < R[op1]                  */             \
  X(GUARD_EQK)  /* exit unless R[op0] == (int32) op1            */             \
  X(JUMP)       /* go to uop[target]                            */             \
  X(BRANCH_NZ)  /* if R[op0] != 0 go to uop[target]             */             \
  X(LOOP_LT)    /* R[op0]++; if R[op0] < R[op1] go to uop[target] */           \
  X(EXIT)       /* leave through exit[exit]                     */

enum {
#define TOY_ENUM(name) TOY_##name,
  TOY_UOP_LIST(TOY_ENUM)
#undef TOY_ENUM
  TOY__NUOPS
};

/* Host functions stencils may call. */
#define TOY_HELPER_LIST(X) X(toy_helper_mix)

int64_t toy_helper_mix(toy_state *S, int64_t a, int64_t b);

/* Reference executor: runs the trace with the same uop bodies compiled as
 * ordinary C. Returns exits[e].operand[0] of the exit taken, or
 * TOY_REF_STEP_LIMIT when `max_steps` uops ran without leaving. */
#define TOY_REF_STEP_LIMIT UINT64_MAX
uint64_t toy_ref_run(toy_state *S, const cpjit_uop *uops, uint32_t n,
                     const cpjit_exit *exits, uint64_t max_steps);

extern const char *const toy_uop_names[TOY__NUOPS];

/* The stencil set and helper table (toy_vm.c). */
const cpjit_stencil_set *toy_stencil_set_get(void);
extern const void *const toy_helpers[];
extern const uint32_t toy_nhelpers;

/* Entry point type of a compiled toy trace. */
typedef uint64_t (*toy_entry_fn)(toy_state *S);

#endif /* TOY_H */
