/*
 * lua_ref.c -- the reference executor of cpjit-lua's uops: the bodies of
 * lua_uops.h and lua_ruops.h compiled by the ordinary compiler into a
 * switch, with the register file in two arrays. Tests run traces here and
 * through the JIT and compare the frames.
 */
#include "lua_ref.h"

#include "lua_stencils.h"
#include "lua_uop_support.h"

#define CPJIT_NGPR 8
#define CPJIT_NFPR 8
#define CPJIT_PARAMS lua_State *L, TValue *base, uint64_t *spill
#define CPJIT_ARGS L, base, spill
#define CPJIT_REF_UOP(name) case UOP_##name:
#define CPJIT_REF_RUOP(name) case LUA_RUOP_##name:
#include "cpjit_stencil.h"

_Static_assert(CPJIT_NGPR == lua_NGPR && CPJIT_NFPR == lua_NFPR,
               "lua_ref.c and lua_stencils.c must agree on the register file");

enum {
#define LUA_RUOP_ENUM(name, sig) LUA_RUOP_##name,
  LUA_RUOP_LIST(LUA_RUOP_ENUM)
#undef LUA_RUOP_ENUM
};

const char *const lua_uop_names[UOP__COUNT] = {
#define LUA_UOP_NAME(name) #name,
    LUA_UOP_LIST(LUA_UOP_NAME)
#undef LUA_UOP_NAME
};

uint64_t lua_ref_run(lua_State *L, TValue *base, const cpjit_uop *uops,
                     uint32_t n, const cpjit_exit *exits, uint64_t *spill,
                     uint64_t max_steps) {
  uint32_t pc = 0;
  uint64_t gr[lua_NGPR];
  double fr[lua_NFPR];
  void *cpjit_ref_reg[3];
  for (int j = 0; j < lua_NGPR; j++)
    gr[j] = spill[j];
  for (int j = 0; j < lua_NFPR; j++)
    fr[j] = lu_u2d(spill[lua_NGPR + j]);
  (void)L;
  for (uint64_t step = 0; step < max_steps; step++) {
    const cpjit_uop *u = &uops[pc];
    if (u->op >= lua_NUOPS) {
      uint32_t which;
      uint8_t reg[3];
      if (!lua_ruop_decode(u->op, &which, reg))
        return LUA_REF_STEP_LIMIT;
      const cpjit_ruop_info *ri = &lua_ruops[which];
      for (int k = 0; k < 3; k++)
        cpjit_ref_reg[k] = k < ri->noperands && ri->cls[k] == CPJIT_REG_F
                               ? (void *)&fr[reg[k]]
                               : (void *)&gr[reg[k]];
      switch (which) {
#include "lua_ruops.h"
      default:
        return LUA_REF_STEP_LIMIT;
      }
    }
    switch (u->op) {
#include "lua_uops.h"
    default:
      return LUA_REF_STEP_LIMIT;
    }
  cpjit_ref_next:
    if (++pc >= n)
      return LUA_REF_STEP_LIMIT;
    continue;
  cpjit_ref_jump:
    pc = u->target;
    continue;
  cpjit_ref_exit:
    for (int j = 0; j < lua_NGPR; j++) /* the exit stub's register dump */
      spill[j] = gr[j];
    for (int j = 0; j < lua_NFPR; j++)
      spill[lua_NGPR + j] = lu_d2u(fr[j]);
    return exits[u->exit].operand[0];
  }
  return LUA_REF_STEP_LIMIT;
}
