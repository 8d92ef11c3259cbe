/*
 * strpack.h -- string.pack, string.packsize and string.unpack (strpack.c),
 * registered into the string table by strlib.c.
 */
#ifndef CPJIT_LIB_STRPACK_H
#define CPJIT_LIB_STRPACK_H

#include "luaapi.h"

int strpack_pack(lua_State *L);
int strpack_packsize(lua_State *L);
int strpack_unpack(lua_State *L);

#endif
