/*
 * toy_ref.c -- the toy VM's reference executor: the same uop bodies as the
 * stencils (toy_uops.h), compiled by the ordinary C compiler into a switch.
 */
#include "toy.h"

#define CPJIT_PARAMS toy_state *S, int64_t *R
#define CPJIT_ARGS S, R
#define CPJIT_REF_UOP(name) case TOY_##name:
#include "cpjit_stencil.h"

const char *const toy_uop_names[TOY__NUOPS] = {
#define TOY_NAME(name) #name,
    TOY_UOP_LIST(TOY_NAME)
#undef TOY_NAME
};

uint64_t toy_ref_run(toy_state *S, const cpjit_uop *uops, uint32_t n,
                     const cpjit_exit *exits, uint64_t max_steps) {
  int64_t *R = S->r;
  uint32_t pc = 0;
  for (uint64_t step = 0; step < max_steps; step++) {
    const cpjit_uop *u = &uops[pc];
    switch (u->op) {
#include "toy_uops.h"
    default:
      return TOY_REF_STEP_LIMIT;
    }
  cpjit_ref_next:
    if (++pc >= n)
      return TOY_REF_STEP_LIMIT;
    continue;
  cpjit_ref_jump:
    pc = u->target;
    continue;
  cpjit_ref_exit:
    return exits[u->exit].operand[0];
  }
  return TOY_REF_STEP_LIMIT;
}
