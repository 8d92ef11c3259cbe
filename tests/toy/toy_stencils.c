/*
 * toy_stencils.c -- the toy VM's stencil set, compiled by clang-19 through
 * cpjit_add_stencils(). Every uop body comes from toy_uops.h.
 */
#include "toy.h"

#define CPJIT_PARAMS toy_state *S, int64_t *R
#define CPJIT_ARGS S, R
#include "cpjit_stencil.h"

CPJIT_DECLARE_UOPS(TOY_UOP_LIST);
CPJIT_DECLARE_HELPERS(TOY_HELPER_LIST);

#include "toy_uops.h"

/* Entered from C: the frame pointer rides in a register for the whole
 * trace. */
CPJIT_TRAMPOLINE(toy_state *S) { return CPJIT_ENTER(S, S->r); }

/* Every side exit ends here: report which exit was taken. */
CPJIT_EXIT_STUB {
  (void)S;
  (void)R;
  return CPJIT_OPERAND0_U64;
}
