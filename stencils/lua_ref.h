/*
 * lua_ref.h -- cpjit-lua's uop enum/names and the reference executor.
 */
#ifndef CPJIT_LUA_REF_H
#define CPJIT_LUA_REF_H

#include <stdint.h>

#include "cpjit.h"
#include "lua_uop_list.h"
#include "value.h"

extern const char *const lua_uop_names[UOP__COUNT];

#define LUA_REF_STEP_LIMIT UINT64_MAX
/* Run a trace with the plain-C uop bodies. `spill` is the trace's spill
 * area (trace.c: the register file's initial values, then spill slots);
 * at an exit the registers are dumped there as the exit stub does. Returns
 * the exit's operand 0, or LUA_REF_STEP_LIMIT after max_steps uops or on a
 * malformed trace. */
uint64_t lua_ref_run(lua_State *L, TValue *base, const cpjit_uop *uops,
                     uint32_t n, const cpjit_exit *exits, uint64_t *spill,
                     uint64_t max_steps);

#endif /* CPJIT_LUA_REF_H */
