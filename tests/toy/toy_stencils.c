/*
 * toy_stencils.c -- the toy VM's stencil set, compiled by clang-19 through
 * cpjit_add_stencils(). Every uop body comes from toy_uops.h, every register
 * uop body from toy_ruops.h.
 */
#include "toy.h"

/* The register file rides along as TOY_NGPR more parameters. */
#define CPJIT_NGPR TOY_NGPR
#define CPJIT_PARAMS toy_state *S, int64_t *R CPJIT_REGFILE_PARAMS
#define CPJIT_ARGS S, R CPJIT_REGFILE_ARGS
#include "cpjit_stencil.h"

CPJIT_DECLARE_UOPS(TOY_UOP_LIST);
CPJIT_DECLARE_RUOPS(TOY_RUOP_LIST);
CPJIT_DECLARE_HELPERS(TOY_HELPER_LIST);

#include "toy_uops.h"
#include "toy_ruops.h"
CPJIT_DEFINE_RUOPS(TOY_RUOP_LIST);

/* Entered from C: the frame pointer rides in a register for the whole
 * trace, and the register file starts at zero. */
CPJIT_TRAMPOLINE(toy_state *S) {
  return CPJIT_ENTER(S, S->r CPJIT_REGFILE_ZERO);
}

/* Every side exit passes its number to the trace's one exit handler, which
 * dumps the register file into the state and reports which exit was taken. */
CPJIT_EXIT_STUB { CPJIT_GOTO_EXIT_HANDLER(CPJIT_OPERAND0_U64); }

CPJIT_EXIT_HANDLER {
  (void)R;
  CPJIT_REGFILE_SAVE(S->gpr, (double *)0);
  return CPJIT_EXIT_VALUE;
}
