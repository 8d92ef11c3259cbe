/*
 * Test shim only: stands in for the VM core's runtime/luaapi.h so that the
 * standard libraries in runtime/lib/ can be built and checked against the
 * system liblua5.4 while the core is being written.  The real build never
 * puts this folder on its include path.
 */
#ifndef CPJIT_LIB_TESTSHIM_LUAAPI_H
#define CPJIT_LIB_TESTSHIM_LUAAPI_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

#endif
