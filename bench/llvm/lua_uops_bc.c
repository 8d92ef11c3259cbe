/*
 * lua_uops_bc.c -- cpjit-lua's uop bodies (stencils/lua_uops.h, unmodified)
 * as one function per uop, compiled by clang-19 to LLVM bitcode for the LLVM
 * baseline. Not linked into anything: bench/llvm loads the bitcode.
 */
#include "lua_uop_list.h"
#include "lua_uop_support.h"

#define BC_STATE_PARAM lua_State *L
#define BC_STATE_ARG L
#define BC_FRAME_TYPE TValue
#define BC_FRAME_NAME base
#include "uop_function_mode.h"

#include "lua_uops.h"
