/*
 * lua_uops_bc.c -- cpjit-lua's uop bodies (stencils/lua_uops.h and
 * stencils/lua_ruops.h, unmodified) as one function per slot-level uop and
 * one per register uop body, compiled by clang-19 to LLVM bitcode for the
 * LLVM baseline. Not linked into anything: bench/llvm loads the bitcode.
 * The parameters follow lua_stencils.c's CPJIT_PARAMS without the register
 * file (which the trace function keeps, see uop_function_mode.h).
 */
#include "lua_uop_list.h"
#include "lua_uop_support.h"

#define BC_STATE_PARAM lua_State *L
#define BC_STATE_ARG L
#define BC_FRAME_TYPE TValue
#define BC_FRAME_NAME base
#define BC_EXTRA_PARAMS , uint64_t *spill
#define BC_EXTRA_ARGS , spill
#include "uop_function_mode.h"

#include "lua_uops.h"
#include "lua_ruops.h"
