/*
 * lua_ref.c -- the reference executor of cpjit-lua's uops: the bodies of
 * lua_uops.h compiled by the ordinary compiler into a switch. Tests run
 * traces here and through the JIT and compare the frames.
 */
#include "lua_ref.h"

#include "lua_uop_support.h"

#define CPJIT_PARAMS lua_State *L, TValue *base, double fa
#define CPJIT_ARGS L, base, fa
#define LUA_UOP_ACC 1
#define CPJIT_REF_UOP(name) case UOP_##name:
#include "cpjit_stencil.h"

const char *const lua_uop_names[UOP__COUNT] = {
#define LUA_UOP_NAME(name) #name,
    LUA_UOP_LIST(LUA_UOP_NAME)
#undef LUA_UOP_NAME
};

uint64_t lua_ref_run(lua_State *L, TValue *base, const cpjit_uop *uops,
                     uint32_t n, const cpjit_exit *exits, uint64_t max_steps) {
  uint32_t pc = 0;
  double fa = 0.0; /* the float accumulator (lua_uops.h) */
  (void)L;
  for (uint64_t step = 0; step < max_steps; step++) {
    const cpjit_uop *u = &uops[pc];
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
    return exits[u->exit].operand[0];
  }
  return LUA_REF_STEP_LIMIT;
}
