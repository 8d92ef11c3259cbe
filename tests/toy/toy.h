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

/* The register file of the register uops: TOY_NGPR uint64 values that
 * ride from stencil to stencil as extra parameters (CPJIT_NGPR). */
#define TOY_NGPR 4

typedef struct toy_state {
  int64_t r[TOY_NREGS];   /* the frame: uops address it through R */
  int64_t mem[TOY_NMEM];  /* reached with displacements from R or by index */
  int64_t acc;
  uint64_t helper_calls;
  uint64_t gpr[TOY_NGPR]; /* the register file, dumped by every exit */
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
  X(EXIT)       /* leave through exit[exit]                     */             \
  X(GUARD_EVEN) /* exit unless R[op0] is even (a bit test)      */             \
  X(GUARD_NZ)   /* exit if R[op0] == 0 (a compare with zero)    */

enum {
#define TOY_ENUM(name) TOY_##name,
  TOY_UOP_LIST(TOY_ENUM)
#undef TOY_ENUM
  TOY__NUOPS
};

/* X(name, SIG): the register uops (toy_ruops.h), whose operands are
 * registers of the file (g[r0], g[r1], g[r2]); each is built once per
 * assignment of file registers to its operands. Their ops follow the
 * plain uops: toy_ruop_op() gives the op of one assignment. */
#define TOY_RUOP_LIST(X)                                                       \
  X(RLOAD, G)      /* g[r0] = R[arg]                              */          \
  X(RSTORE, G)     /* R[arg] = g[r0]                              */          \
  X(RMOV, GG)      /* g[r0] = g[r1]                               */          \
  X(RADD, GGG)     /* g[r0] = g[r1] + g[r2]      (wrap-around)    */          \
  X(RSUB, GGG)     /* g[r0] = g[r1] - g[r2]                       */          \
  X(RMUL, GGG)     /* g[r0] = g[r1] * g[r2]                       */          \
  X(RADDI, GG)     /* g[r0] = g[r1] + (int32) op0                 */          \
  X(RGUARD_LT, GG) /* exit unless (int64) g[r0] < (int64) g[r1]   */          \
  X(RLOOP_LT, GG)  /* g[r0]++; if g[r0] < g[r1] go to uop[target] */

enum {
#define TOY_RENUM(name, sig) TOY_RUOP_##name,
  TOY_RUOP_LIST(TOY_RENUM)
#undef TOY_RENUM
  TOY__NRUOPS
};

/* The op of register uop `ruop` (TOY_RUOP_*) with its operands in file
 * registers r0, r1, r2 (0 for operands it does not have); and back: for a
 * register uop's op, the TOY_RUOP_* in *ruop and the registers in reg[],
 * returning 1 (0 for a plain op). From the generated table (toy_vm.c). */
uint16_t toy_ruop_op(int ruop, unsigned r0, unsigned r1, unsigned r2);
int toy_ruop_decode_op(uint32_t op, uint32_t *ruop, uint8_t reg[3]);
extern const char *const toy_ruop_names[TOY__NRUOPS];

/* Host functions stencils may call. */
#define TOY_HELPER_LIST(X) X(toy_helper_mix)

int64_t toy_helper_mix(toy_state *S, int64_t a, int64_t b);

/* Reference executor: runs the trace with the same uop bodies compiled as
 * ordinary C. Returns exits[e].operand[0] of the exit taken, or
 * TOY_REF_STEP_LIMIT when `max_steps` uops ran without leaving. The
 * register file starts at zero, as in a compiled trace, and is stored into
 * S->gpr when the trace exits. */
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
