/*
 * fixture_ruops.c -- a stencil set with register uops: a register file of
 * 2 GPRs and 1 FPR, one plain uop and three register uops (8 variants).
 * Compiled by make-fixtures.sh into fixture_ruops.o; test_stencilgen.c
 * reads it and corrupts its .cpjit.ruops / .cpjit.regfile sections.
 */
#include <stdint.h>

#define CPJIT_NGPR 2
#define CPJIT_NFPR 1
#define CPJIT_PARAMS int64_t *regs CPJIT_REGFILE_PARAMS
#define CPJIT_ARGS regs CPJIT_REGFILE_ARGS
#include "cpjit_stencil.h"

#define FIXTURE_UOPS(X) X(RNOP)
#define FIXTURE_RUOPS(X) X(RADD, GG) X(RCVT, FG) X(RGUARD, G)
CPJIT_DECLARE_UOPS(FIXTURE_UOPS);
CPJIT_DECLARE_RUOPS(FIXTURE_RUOPS);

CPJIT_TRAMPOLINE(int64_t *regs) {
  return CPJIT_ENTER(regs CPJIT_REGFILE_ZERO);
}
CPJIT_EXIT_STUB {
  CPJIT_REGFILE_SAVE((uint64_t *)regs, (double *)(regs + 2));
  return (cpjit_result)regs[3];
}

CPJIT_UOP(RNOP) { CPJIT_GOTO_CONTINUE(); }

CPJIT_RUOP(RADD, GG) {
  CPJIT_RG(0) += CPJIT_RG(1);
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RCVT, FG) {
  CPJIT_RF(0) = (double)(int64_t)CPJIT_RG(1);
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RGUARD, G) {
  if (CPJIT_RG(0) != CPJIT_OPERAND0_U32)
    CPJIT_REXIT();
  CPJIT_RCONTINUE();
}

CPJIT_DEFINE_RUOPS(FIXTURE_RUOPS);
