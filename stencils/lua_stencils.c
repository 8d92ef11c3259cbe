/*
 * lua_stencils.c -- cpjit-lua's stencil set, compiled by clang-19 through
 * cpjit_add_stencils(). The slot-level uop bodies are in lua_uops.h, the
 * register uops in lua_ruops.h.
 *
 * State carried in registers across a trace: the lua_State, the base of
 * the running Lua frame, the spill area of the trace's activation (the
 * register dump at exits, then spill slots: trace.c) and the register file
 * the allocator assigns values to (ir_ra.c).
 */
#include "lua_uop_list.h"
#include "lua_uop_support.h"

#define CPJIT_NGPR 8
#define CPJIT_NFPR 8
#define CPJIT_PARAMS                                                           \
  lua_State *L, TValue *base, uint64_t *spill CPJIT_REGFILE_PARAMS
#define CPJIT_ARGS L, base, spill CPJIT_REGFILE_ARGS
#include "cpjit_stencil.h"

CPJIT_DECLARE_UOPS(LUA_UOP_LIST);
CPJIT_DECLARE_RUOPS(LUA_RUOP_LIST);
CPJIT_DECLARE_HELPERS(LUA_UOP_HELPER_LIST);

#include "lua_uops.h"
#include "lua_ruops.h"

CPJIT_DEFINE_RUOPS(LUA_RUOP_LIST);

/* The register file starts from the dump in the spill area: zeros for a
 * trace entered from its start, the registers an exit left when the host
 * follows a link into a side trace (whose prologue writes them back). */
CPJIT_TRAMPOLINE(lua_State *L, TValue *base, uint64_t *spill) {
  const uint64_t *g = spill;
  const uint64_t *f = spill + CPJIT_NGPR;
  return CPJIT_ENTER(L, base, spill, g[0], g[1], g[2], g[3], g[4], g[5],
                     g[6], g[7], lu_u2d(f[0]), lu_u2d(f[1]), lu_u2d(f[2]),
                     lu_u2d(f[3]), lu_u2d(f[4]), lu_u2d(f[5]), lu_u2d(f[6]),
                     lu_u2d(f[7]));
}

/* A side exit passes its exit record (operand 0, owned by the host) to the
 * trace's one exit handler, which dumps the register file for the exit's
 * write-back and returns the record. */
CPJIT_EXIT_STUB { CPJIT_GOTO_EXIT_HANDLER(CPJIT_OPERAND0_U64); }

CPJIT_EXIT_HANDLER {
  (void)L;
  (void)base;
  double fp[CPJIT_NFPR > 0 ? CPJIT_NFPR : 1];
  CPJIT_REGFILE_SAVE(spill, fp);
  for (int j = 0; j < CPJIT_NFPR; j++)
    spill[CPJIT_NGPR + j] = lu_d2u(fp[j]);
  return CPJIT_EXIT_VALUE;
}
