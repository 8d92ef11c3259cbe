/*
 * toy_ref.c -- the toy VM's reference executor: the same uop bodies as the
 * stencils (toy_uops.h, toy_ruops.h), compiled by the ordinary C compiler
 * into a switch.
 */
#include <string.h>

#include "toy.h"

#define CPJIT_NGPR TOY_NGPR
#define CPJIT_PARAMS toy_state *S, int64_t *R CPJIT_REGFILE_PARAMS
#define CPJIT_ARGS S, R CPJIT_REGFILE_ARGS
#define CPJIT_REF_UOP(name) case TOY_##name:
/* Register uops switch on TOY__NUOPS + TOY_RUOP_<name>, after decoding. */
#define CPJIT_REF_RUOP(name) case TOY__NUOPS + TOY_RUOP_##name:
#include "cpjit_stencil.h"

const char *const toy_uop_names[TOY__NUOPS] = {
#define TOY_NAME(name) #name,
    TOY_UOP_LIST(TOY_NAME)
#undef TOY_NAME
};

const char *const toy_ruop_names[TOY__NRUOPS] = {
#define TOY_RNAME(name, sig) #name,
    TOY_RUOP_LIST(TOY_RNAME)
#undef TOY_RNAME
};

uint64_t toy_ref_run(toy_state *S, const cpjit_uop *uops, uint32_t n,
                     const cpjit_exit *exits, uint64_t max_steps) {
  int64_t *R = S->r;
  uint64_t gpr[TOY_NGPR] = {0}; /* the register file */
  void *cpjit_ref_reg[3] = {gpr, gpr, gpr}; /* the register uop's operands */
  uint32_t pc = 0;
  for (uint64_t step = 0; step < max_steps; step++) {
    const cpjit_uop *u = &uops[pc];
    uint32_t op = u->op, ruop;
    uint8_t reg[3];
    if (op >= TOY__NUOPS && toy_ruop_decode_op(op, &ruop, reg)) {
      for (int k = 0; k < 3; k++)
        cpjit_ref_reg[k] = &gpr[reg[k]];
      op = TOY__NUOPS + ruop;
    }
    switch (op) {
#include "toy_uops.h"
#include "toy_ruops.h"
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
    memcpy(S->gpr, gpr, sizeof gpr);
    return exits[u->exit].operand[0];
  }
  return TOY_REF_STEP_LIMIT;
}
