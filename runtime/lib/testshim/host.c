/*
 * Test host for runtime/lib/: a liblua5.4 state whose base, coroutine and
 * package libraries come from liblua, but whose string, table, math, io, os
 * and utf8 libraries are ours.  The shim build renames our luaopen_*
 * functions to cl_open_* so they do not clash with liblua's.
 *
 * usage: lib-host script.lua [args...]   (arg table as in lua5.4)
 */
#include <stdio.h>
#include <stdlib.h>

#include "luaapi.h"

int cl_open_string(lua_State *L);
int cl_open_table(lua_State *L);
int cl_open_math(lua_State *L);
int cl_open_io(lua_State *L);
int cl_open_os(lua_State *L);
int cl_open_utf8(lua_State *L);

static const luaL_Reg host_libs[] = {
  {LUA_GNAME, luaopen_base},
  {LUA_LOADLIBNAME, luaopen_package},
  {LUA_COLIBNAME, luaopen_coroutine},
  {LUA_TABLIBNAME, cl_open_table},
  {LUA_IOLIBNAME, cl_open_io},
  {LUA_OSLIBNAME, cl_open_os},
  {LUA_STRLIBNAME, cl_open_string},
  {LUA_MATHLIBNAME, cl_open_math},
  {LUA_UTF8LIBNAME, cl_open_utf8},
  {NULL, NULL}
};

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s script.lua [args...]\n", argv[0]);
    return 2;
  }
  lua_State *L = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create state\n", argv[0]);
    return 1;
  }
  for (const luaL_Reg *lib = host_libs; lib->func != NULL; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  /* The core, not luaopen_string, gives strings their metatable. */
  lua_newtable(L);
  lua_getglobal(L, "string");
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "");
  lua_pushvalue(L, -2);
  lua_setmetatable(L, -2);
  lua_pop(L, 2);
  lua_createtable(L, argc, 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  lua_pushcfunction(L, traceback);
  int status = luaL_loadfile(L, argv[1]);
  if (status == LUA_OK) {
    for (int i = 2; i < argc; i++)
      lua_pushstring(L, argv[i]);
    status = lua_pcall(L, argc - 2, 0, 1);
  }
  if (status != LUA_OK) {
    fprintf(stderr, "lua5.4: %s\n", lua_tostring(L, -1));
  }
  lua_close(L);
  return status == LUA_OK ? 0 : 1;
}
