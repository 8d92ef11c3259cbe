/*
 * minivm_uops.c -- the uops, compiled by clang-19 through
 * cpjit_add_stencils(). Operands: `arg` is the destination register,
 * operand[0] and operand[1] the sources (or a 64-bit constant).
 */
#include "minivm.h"

/* The registers every uop receives: they stay in machine registers for
 * the whole trace. */
#define CPJIT_PARAMS mv_state *S, int64_t *R
#define CPJIT_ARGS S, R
#include "cpjit_stencil.h"

CPJIT_DECLARE_UOPS(MV_OPS);
CPJIT_DECLARE_HELPERS(MV_HELPERS);

#define RA R[CPJIT_ARG_U16 & 7]
#define RB R[CPJIT_OPERAND0_U32 & 7]
#define RC R[CPJIT_OPERAND1_U32 & 7]

CPJIT_UOP(LOADK) {
  RA = (int64_t)CPJIT_OPERAND0_U64;
  CPJIT_GOTO_CONTINUE();
}
CPJIT_UOP(MOV) {
  RA = RB;
  CPJIT_GOTO_CONTINUE();
}
CPJIT_UOP(ADD) {
  int64_t v;
  if (CPJIT_UNLIKELY(__builtin_add_overflow(RB, RC, &v)))
    CPJIT_GOTO_EXIT(); /* a guard: the interpreter redoes this instruction */
  RA = v;
  CPJIT_GOTO_CONTINUE();
}
CPJIT_UOP(SUB) {
  RA = (int64_t)((uint64_t)RB - (uint64_t)RC);
  CPJIT_GOTO_CONTINUE();
}
CPJIT_UOP(MUL) {
  RA = (int64_t)((uint64_t)RB * (uint64_t)RC);
  CPJIT_GOTO_CONTINUE();
}
CPJIT_UOP(JLT) {
  if (RB < RC)
    CPJIT_GOTO_JUMP();
  CPJIT_GOTO_CONTINUE();
}
CPJIT_UOP(PRINT) {
  mv_print(S, RA); /* a call to a host helper: a HELPER hole */
  CPJIT_GOTO_CONTINUE();
}
CPJIT_UOP(EXIT) { CPJIT_GOTO_EXIT(); }

/* How C enters a trace: an ordinary C function. Its parameters are the
 * host's choice; it calls the first uop with CPJIT_PARAMS. */
CPJIT_TRAMPOLINE(mv_state *S) { return CPJIT_ENTER(S, S->r); }

/* Where every side exit ends: what it returns, the trampoline returns to
 * the host. Here: the exit's operand[0], the pc to resume at. */
CPJIT_EXIT_STUB { return CPJIT_OPERAND0_U64; }
