/*
 * lua_stencils.c -- cpjit-lua's stencil set, compiled by clang-19 through
 * cpjit_add_stencils(). The uop bodies are in lua_uops.h.
 *
 * State carried in registers across a trace: the lua_State, the base of
 * the running Lua frame and the float accumulator (see lua_uops.h).
 */
#include "lua_uop_list.h"
#include "lua_uop_support.h"

#define CPJIT_PARAMS lua_State *L, TValue *base, double fa
#define CPJIT_ARGS L, base, fa
#define LUA_UOP_ACC 1
#include "cpjit_stencil.h"

CPJIT_DECLARE_UOPS(LUA_UOP_LIST);
CPJIT_DECLARE_HELPERS(LUA_UOP_HELPER_LIST);

#include "lua_uops.h"

CPJIT_TRAMPOLINE(lua_State *L, TValue *base) {
  return CPJIT_ENTER(L, base, 0.0);
}

/* A side exit returns its exit record (operand 0, owned by the host). */
CPJIT_EXIT_STUB {
  (void)L;
  (void)base;
  (void)fa;
  return CPJIT_OPERAND0_U64;
}
