/* baselib.c -- the base library, coroutine library, package/require, and
 * luaL_openlibs (which also installs the shared string metatable).
 *
 * Written against the C API like the other libraries, except 'load' with
 * an 'env' argument (sets the first upvalue of the new closure) and
 * collectgarbage("count") (reads the allocator counter).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "trace/trace.h"

/* -- Base functions -- */

/* Continuations: where a function that called Lua code with lua_callk /
 * lua_pcallk goes on when that code yielded and the coroutine is resumed
 * (or, for pcall, when an error was caught after a yield); see coro.c. */

static int pairscont(lua_State *L, int status, lua_KContext ctx) {
  (void)L;
  (void)status;
  (void)ctx;
  return 3;
}

static int dofilecont(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  return lua_gettop(L) - 1;
}

/* pcall (extra 0) and xpcall (extra 2: the handler and the function's copy) */
static int finishpcall(lua_State *L, int status, lua_KContext extra) {
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - (int)extra;
}

static int luaB_print(lua_State *L) {
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) {
    size_t l;
    const char *s = luaL_tolstring(L, i, &l);
    if (i > 1) fwrite("\t", 1, 1, stdout);
    fwrite(s, 1, l, stdout);
    lua_pop(L, 1);
  }
  fwrite("\n", 1, 1, stdout);
  fflush(stdout);
  return 0;
}

static const char *b_str2int(const char *s, int base, lua_Integer *pn) {
  lua_Unsigned n = 0;
  int neg = 0;
  s += strspn(s, " \f\n\r\t\v");
  if (*s == '-') {
    s++;
    neg = 1;
  } else if (*s == '+') {
    s++;
  }
  if (!isalnum((unsigned char)*s)) return NULL;
  do {
    int digit = isdigit((unsigned char)*s) ? *s - '0' : (toupper((unsigned char)*s) - 'A') + 10;
    if (digit >= base) return NULL;
    n = n * (lua_Unsigned)base + (lua_Unsigned)digit;
    s++;
  } while (isalnum((unsigned char)*s));
  s += strspn(s, " \f\n\r\t\v");
  *pn = (lua_Integer)((neg) ? (0u - n) : n);
  return s;
}

static int luaB_tonumber(lua_State *L) {
  if (lua_isnoneornil(L, 2)) {
    if (lua_type(L, 1) == LUA_TNUMBER) {
      lua_settop(L, 1);
      return 1;
    }
    size_t l;
    const char *s = lua_tolstring(L, 1, &l);
    if (s != NULL && lua_stringtonumber(L, s) == l + 1) return 1;
    luaL_checkany(L, 1);
  } else {
    size_t l;
    lua_Integer n = 0;
    lua_Integer base = luaL_checkinteger(L, 2);
    luaL_checktype(L, 1, LUA_TSTRING);
    const char *s = lua_tolstring(L, 1, &l);
    luaL_argcheck(L, 2 <= base && base <= 36, 2, "base out of range");
    if (b_str2int(s, (int)base, &n) == s + l) {
      lua_pushinteger(L, n);
      return 1;
    }
  }
  luaL_pushfail(L);
  return 1;
}

static int luaB_error(lua_State *L) {
  int level = (int)luaL_optinteger(L, 2, 1);
  lua_settop(L, 1);
  if (lua_type(L, 1) == LUA_TSTRING && level > 0) {
    luaL_where(L, level);
    lua_pushvalue(L, 1);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int luaB_getmetatable(lua_State *L) {
  luaL_checkany(L, 1);
  if (!lua_getmetatable(L, 1)) {
    lua_pushnil(L);
    return 1;
  }
  luaL_getmetafield(L, 1, "__metatable");
  return 1;
}

static int luaB_setmetatable(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

static int luaB_rawequal(lua_State *L) {
  luaL_checkany(L, 1);
  luaL_checkany(L, 2);
  lua_pushboolean(L, lua_rawequal(L, 1, 2));
  return 1;
}

static int luaB_rawlen(lua_State *L) {
  int t = lua_type(L, 1);
  luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
  return 1;
}

static int luaB_rawget(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

static int luaB_rawset(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

static int luaB_collectgarbage(lua_State *L) {
  static const char *const opts[] = {"stop", "restart", "collect", "count", "step",
                                     "setpause", "setstepmul", "isrunning", "generational",
                                     "incremental", NULL};
  static const int optsnum[] = {LUA_GCSTOP, LUA_GCRESTART, LUA_GCCOLLECT, LUA_GCCOUNT,
                                LUA_GCSTEP, LUA_GCSETPAUSE, LUA_GCSETSTEPMUL,
                                LUA_GCISRUNNING, LUA_GCGEN, LUA_GCINC};
  int o = optsnum[luaL_checkoption(L, 1, "collect", opts)];
  if (G(L)->gcinfin > 0) { /* no collector calls from a finalizer (lua5.4) */
    luaL_pushfail(L);
    return 1;
  }
  switch (o) {
    case LUA_GCCOUNT: {
      lua_pushnumber(L, (lua_Number)G(L)->totalbytes / 1024.0);
      return 1;
    }
    case LUA_GCSTEP: {
      int step = (int)luaL_optinteger(L, 2, 0);
      lua_pushboolean(L, lua_gc(L, o, step));
      return 1;
    }
    case LUA_GCSETPAUSE:
    case LUA_GCSETSTEPMUL: {
      int p = (int)luaL_optinteger(L, 2, 0);
      lua_pushinteger(L, lua_gc(L, o, p));
      return 1;
    }
    case LUA_GCISRUNNING:
      lua_pushboolean(L, lua_gc(L, o));
      return 1;
    case LUA_GCGEN: {
      int minormul = (int)luaL_optinteger(L, 2, 0);
      int majormul = (int)luaL_optinteger(L, 3, 0);
      lua_pushstring(L, lua_gc(L, o, minormul, majormul) == LUA_GCGEN ? "generational"
                                                                        : "incremental");
      return 1;
    }
    case LUA_GCINC: {
      int pause = (int)luaL_optinteger(L, 2, 0);
      int stepmul = (int)luaL_optinteger(L, 3, 0);
      int stepsize = (int)luaL_optinteger(L, 4, 0);
      lua_pushstring(L, lua_gc(L, o, pause, stepmul, stepsize) == LUA_GCGEN ? "generational"
                                                                              : "incremental");
      return 1;
    }
    default:
      lua_gc(L, o);
      lua_pushinteger(L, 0);
      return 1;
  }
}

static int luaB_type(lua_State *L) {
  int t = lua_type(L, 1);
  luaL_argcheck(L, t != LUA_TNONE, 1, "value expected");
  lua_pushstring(L, lua_typename(L, t));
  return 1;
}

static int luaB_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

static int luaB_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") == LUA_TNIL) {
    lua_pushcfunction(L, luaB_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
  } else {
    lua_pushvalue(L, 1);
    lua_callk(L, 1, 3, 0, pairscont);
  }
  return 3;
}

static int ipairsaux(lua_State *L) {
  lua_Integer i = luaL_checkinteger(L, 2);
  i = (lua_Integer)((lua_Unsigned)i + 1);
  lua_pushinteger(L, i);
  return (lua_geti(L, 1, i) == LUA_TNIL) ? 1 : 2;
}

static int luaB_ipairs(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushcfunction(L, ipairsaux);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

static int load_aux(lua_State *L, int status, int envidx) {
  if (status == LUA_OK) {
    if (envidx != 0) {
      LClosure *f = clLvalue(L->top - 1);
      if (f->nupvalues >= 1) {
        lua_pushvalue(L, envidx);
        setobj(f->upvals[0]->v, L->top - 1);
        lua_pop(L, 1);
      }
    }
    return 1;
  }
  luaL_pushfail(L);
  lua_insert(L, -2);
  return 2;
}

#define RESERVEDSLOT 5

static const char *generic_reader(lua_State *L, void *ud, size_t *size) {
  (void)ud;
  luaL_checkstack(L, 2, "too many nested functions");
  lua_pushvalue(L, 1);
  lua_call(L, 0, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    *size = 0;
    return NULL;
  }
  if (!lua_isstring(L, -1)) luaL_error(L, "reader function must return a string");
  lua_replace(L, RESERVEDSLOT);
  return lua_tolstring(L, RESERVEDSLOT, size);
}

static int luaB_load(lua_State *L) {
  int status;
  size_t l;
  const char *s = lua_tolstring(L, 1, &l);
  const char *mode = luaL_optstring(L, 3, "bt");
  int env = (!lua_isnone(L, 4) ? 4 : 0);
  if (s != NULL) {
    const char *chunkname = luaL_optstring(L, 2, s);
    status = luaL_loadbufferx(L, s, l, chunkname, mode);
  } else {
    const char *chunkname = luaL_optstring(L, 2, "=(load)");
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, RESERVEDSLOT);
    status = lua_load(L, generic_reader, NULL, chunkname, mode);
  }
  return load_aux(L, status, env);
}

static int luaB_loadfile(lua_State *L) {
  const char *fname = luaL_optstring(L, 1, NULL);
  const char *mode = luaL_optstring(L, 2, NULL);
  int env = (!lua_isnone(L, 3) ? 3 : 0);
  int status = luaL_loadfilex(L, fname, mode);
  return load_aux(L, status, env);
}

static int luaB_dofile(lua_State *L) {
  const char *fname = luaL_optstring(L, 1, NULL);
  lua_settop(L, 1);
  if (luaL_loadfile(L, fname) != LUA_OK) return lua_error(L);
  lua_callk(L, 0, LUA_MULTRET, 0, dofilecont);
  return dofilecont(L, LUA_OK, 0);
}

static int luaB_assert(lua_State *L) {
  if (lua_toboolean(L, 1)) return lua_gettop(L);
  luaL_checkany(L, 1);
  lua_remove(L, 1);
  lua_pushliteral(L, "assertion failed!");
  lua_settop(L, 1);
  return luaB_error(L);
}

static int luaB_select(lua_State *L) {
  int n = lua_gettop(L);
  if (lua_type(L, 1) == LUA_TSTRING && *lua_tostring(L, 1) == '#') {
    lua_pushinteger(L, n - 1);
    return 1;
  }
  lua_Integer i = luaL_checkinteger(L, 1);
  if (i < 0) i = n + i;
  else if (i > n) i = n;
  luaL_argcheck(L, 1 <= i, 1, "index out of range");
  return n - (int)i;
}

static int luaB_pcall(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finishpcall);
  return finishpcall(L, status, 0);
}

static int luaB_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finishpcall);
  return finishpcall(L, status, 2);
}

static int luaB_tostring(lua_State *L) {
  luaL_checkany(L, 1);
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/* warn(msg1, ...): one warning made of all arguments (lua_warning). */
static int luaB_warn(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checkstring(L, 1);
  for (int i = 2; i <= n; i++) luaL_checkstring(L, i);
  for (int i = 1; i < n; i++) lua_warning(L, lua_tostring(L, i), 1);
  lua_warning(L, lua_tostring(L, n), 0);
  return 0;
}

static const luaL_Reg base_funcs[] = {
    {"assert", luaB_assert},
    {"collectgarbage", luaB_collectgarbage},
    {"dofile", luaB_dofile},
    {"error", luaB_error},
    {"getmetatable", luaB_getmetatable},
    {"ipairs", luaB_ipairs},
    {"load", luaB_load},
    {"loadfile", luaB_loadfile},
    {"next", luaB_next},
    {"pairs", luaB_pairs},
    {"pcall", luaB_pcall},
    {"print", luaB_print},
    {"rawequal", luaB_rawequal},
    {"rawlen", luaB_rawlen},
    {"rawget", luaB_rawget},
    {"rawset", luaB_rawset},
    {"select", luaB_select},
    {"setmetatable", luaB_setmetatable},
    {"tonumber", luaB_tonumber},
    {"tostring", luaB_tostring},
    {"type", luaB_type},
    {"warn", luaB_warn},
    {"xpcall", luaB_xpcall},
    {LUA_GNAME, NULL},
    {"_VERSION", NULL},
    {NULL, NULL}};

int luaopen_base(lua_State *L) {
  lua_pushglobaltable(L);
  luaL_setfuncs(L, base_funcs, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, LUA_GNAME);
  lua_pushliteral(L, LUA_VERSION);
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

/* -- Coroutines -- */

static lua_State *getco(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "thread");
  return co;
}

static int auxresume(lua_State *L, lua_State *co, int narg) {
  int status, nres;
  if (!lua_checkstack(co, narg)) {
    lua_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  lua_xmove(L, co, narg);
  status = lua_resume(co, L, narg, &nres);
  if (status == LUA_OK || status == LUA_YIELD) {
    if (!lua_checkstack(L, nres + 1)) {
      lua_pop(co, nres);
      lua_pushliteral(L, "too many results to resume");
      return -1;
    }
    lua_xmove(co, L, nres);
    return nres;
  }
  lua_xmove(co, L, 1);
  return -1;
}

static int luaB_coresume(lua_State *L) {
  lua_State *co = getco(L);
  int r = auxresume(L, co, lua_gettop(L) - 1);
  if (r < 0) {
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, -(r + 1));
  return r + 1;
}

static int auxwrap(lua_State *L) {
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int r = auxresume(L, co, lua_gettop(L));
  if (r < 0) {
    int stat = lua_status(co);
    if (stat != LUA_OK && stat != LUA_YIELD) {
      stat = lua_closethread(co, L);
      lua_xmove(co, L, 1);
    }
    /* a memory error (also: no C stack for a new coroutine) passes as is */
    bool memerr = ttisshrstring(L->top - 1) && tsvalue(L->top - 1) == G(L)->memerrmsg;
    if (stat != LUA_ERRMEM && !memerr && lua_type(L, -1) == LUA_TSTRING) {
      luaL_where(L, 1);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    return lua_error(L);
  }
  return r;
}

static int luaB_cocreate(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *NL = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, NL, 1);
  return 1;
}

static int luaB_cowrap(lua_State *L) {
  luaB_cocreate(L);
  lua_pushcclosure(L, auxwrap, 1);
  return 1;
}

static int luaB_yield(lua_State *L) { return lua_yield(L, lua_gettop(L)); }

#define COS_RUN 0
#define COS_DEAD 1
#define COS_YIELD 2
#define COS_NORM 3

static const char *const statname[] = {"running", "dead", "suspended", "normal"};

static int auxstatus(lua_State *L, lua_State *co) {
  if (L == co) return COS_RUN;
  if (co == G(L)->mainthread) return COS_NORM;
  switch (coro_state(co)) {
    case 0:
      return COS_YIELD;
    case 2:
      return COS_DEAD;
    default:
      return lua_status(co) == LUA_YIELD ? COS_YIELD : COS_NORM;
  }
}

/* The four names are the closure's upvalues: no string interning on a
 * call that coroutine schedulers make after every resume. */
static int luaB_costatus(lua_State *L) {
  lua_State *co = getco(L);
  lua_pushvalue(L, lua_upvalueindex(auxstatus(L, co) + 1));
  return 1;
}

static int luaB_yieldable(lua_State *L) {
  lua_State *co = lua_isnone(L, 1) ? L : getco(L);
  lua_pushboolean(L, lua_isyieldable(co));
  return 1;
}

static int luaB_corunning(lua_State *L) {
  int ismain = lua_pushthread(L);
  lua_pushboolean(L, ismain);
  return 2;
}

static int luaB_close(lua_State *L) {
  lua_State *co = getco(L);
  int status = auxstatus(L, co);
  switch (status) {
    case COS_DEAD:
    case COS_YIELD: {
      status = lua_closethread(co, L);
      if (status == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
      }
      lua_pushboolean(L, 0);
      lua_xmove(co, L, 1);
      return 2;
    }
    default:
      return luaL_error(L, "cannot close a %s coroutine", statname[status]);
  }
}

static const luaL_Reg co_funcs[] = {
    {"create", luaB_cocreate}, {"resume", luaB_coresume},  {"running", luaB_corunning},
    {"status", luaB_costatus}, {"wrap", luaB_cowrap},      {"yield", luaB_yield},
    {"isyieldable", luaB_yieldable}, {"close", luaB_close}, {NULL, NULL}};

int luaopen_coroutine(lua_State *L) {
  luaL_newlib(L, co_funcs);
  for (int i = 0; i < 4; i++) lua_pushstring(L, statname[i]);
  lua_pushcclosure(L, luaB_costatus, 4);
  lua_setfield(L, -2, "status");
  return 1;
}

/* -- Packages -- */

static int readable(const char *filename) {
  FILE *f = fopen(filename, "r");
  if (f == NULL) return 0;
  fclose(f);
  return 1;
}

/* Search 'path' for 'name' as lua5.4 does: every '?' of the whole path
 * becomes the name first, then each piece between ';' (empty pieces too,
 * also one after a final ';') is tried.  On failure push the list of tried
 * files ("no file 'a'\n\tno file 'b'...") and return NULL. */
static const char *searchpath(lua_State *L, const char *name, const char *path, const char *sep,
                              const char *dirsep) {
  if (*sep != '\0' && strchr(name, *sep) != NULL) name = luaL_gsub(L, name, sep, dirsep);
  const char *all = luaL_gsub(L, path, "?", name);
  const char *end = all + strlen(all);
  for (const char *p = all; p < end;) {
    const char *e = strchr(p, ';');
    if (e == NULL) e = end;
    lua_pushlstring(L, p, (size_t)(e - p));
    const char *filename = lua_tostring(L, -1);
    if (readable(filename)) return filename;
    lua_pop(L, 1);
    if (e == end) break;
    p = e + 1;
    if (p == end) { /* a final ';': one more, empty, name */
      lua_pushliteral(L, "");
      if (readable("")) return lua_tostring(L, -1);
      lua_pop(L, 1);
    }
  }
  lua_pushfstring(L, "no file '%s'", luaL_gsub(L, all, ";", "'\n\tno file '"));
  return NULL;
}

static int ll_searchpath(lua_State *L) {
  const char *f = searchpath(L, luaL_checkstring(L, 1), luaL_checkstring(L, 2),
                             luaL_optstring(L, 3, "."), luaL_optstring(L, 4, "/"));
  if (f != NULL) return 1;
  luaL_pushfail(L);
  lua_insert(L, -2);
  return 2;
}

static int searcher_preload(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  if (lua_getfield(L, -1, name) == LUA_TNIL) {
    lua_pushfstring(L, "no field package.preload['%s']", name);
    return 1;
  }
  lua_pushliteral(L, ":preload:");
  return 2;
}

static int searcher_Lua(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_getfield(L, lua_upvalueindex(1), "path");
  const char *path = lua_tostring(L, -1);
  if (path == NULL) luaL_error(L, "'package.path' must be a string");
  const char *filename = searchpath(L, name, path, ".", "/");
  if (filename == NULL) return 1;
  if (luaL_loadfile(L, filename) == LUA_OK) {
    lua_pushstring(L, filename);
    return 2;
  }
  return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", lua_tostring(L, 1),
                    filename, lua_tostring(L, -1));
}

/* C modules: cpjit-lua loads no dynamic libraries, so it behaves as a
 * lua5.4 built without them: the C searchers look along package.cpath and
 * a module found there fails to load with lua's own message. */
#define DLMSG "dynamic libraries not enabled; check your Lua installation"

static const char *search_cpath(lua_State *L, const char *name) {
  lua_getfield(L, lua_upvalueindex(1), "cpath");
  const char *path = lua_tostring(L, -1);
  if (path == NULL) luaL_error(L, "'package.cpath' must be a string");
  return searchpath(L, name, path, ".", "/");
}

static int cannot_load(lua_State *L, const char *filename) {
  return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", lua_tostring(L, 1),
                    filename, DLMSG);
}

static int searcher_C(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *filename = search_cpath(L, name);
  if (filename == NULL) return 1;
  return cannot_load(L, filename);
}

/* "a.b.c" is looked for as the library "a" (its loader luaopen_a_b_c) */
static int searcher_Croot(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *dot = strchr(name, '.');
  if (dot == NULL) return 0;
  lua_pushlstring(L, name, (size_t)(dot - name));
  const char *filename = search_cpath(L, lua_tostring(L, -1));
  if (filename == NULL) return 1;
  return cannot_load(L, filename);
}

/* package.loadlib(path, funcname): fail, the message, "absent" */
static int ll_loadlib(lua_State *L) {
  luaL_checkstring(L, 1);
  luaL_checkstring(L, 2);
  luaL_pushfail(L);
  lua_pushliteral(L, DLMSG);
  lua_pushliteral(L, "absent");
  return 3;
}

static void findloader(lua_State *L, const char *name) {
  luaL_Buffer msg;
  if (lua_getfield(L, lua_upvalueindex(1), "searchers") != LUA_TTABLE)
    luaL_error(L, "'package.searchers' must be a table");
  luaL_buffinit(L, &msg);
  for (int i = 1;; i++) {
    luaL_addstring(&msg, "\n\t");
    if (lua_rawgeti(L, 3, i) == LUA_TNIL) {
      lua_pop(L, 1);
      luaL_buffsub(&msg, 2);
      luaL_pushresult(&msg);
      luaL_error(L, "module '%s' not found:%s", name, lua_tostring(L, -1));
    }
    lua_pushstring(L, name);
    lua_call(L, 1, 2);
    if (lua_isfunction(L, -2)) return;
    if (lua_isstring(L, -2)) {
      lua_pop(L, 1);
      luaL_addvalue(&msg);
    } else {
      lua_pop(L, 2);
      luaL_buffsub(&msg, 2);
    }
  }
}

static int ll_require(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, 2, name);
  if (lua_toboolean(L, -1)) return 1;
  lua_pop(L, 1);
  findloader(L, name);
  lua_rotate(L, -2, 1);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -3);
  lua_call(L, 2, 1);
  if (!lua_isnil(L, -1)) lua_setfield(L, 2, name);
  else lua_pop(L, 1);
  if (lua_getfield(L, 2, name) == LUA_TNIL) {
    lua_pushboolean(L, 1);
    lua_copy(L, -1, -2);
    lua_setfield(L, 2, name);
  }
  lua_rotate(L, -2, 1);
  return 2;
}

/* package.path / package.cpath from the environment as lua5.4 sets them:
 * ENV_5_4 first, then ENV; neither (or -E, which main.c records as the
 * registry field LUA_NOENV) gives the default.  The first ";;" in the
 * variable stands for the default, separators kept around it. */
static void pk_setpath(lua_State *L, const char *field, const char *env, const char *dft) {
  lua_pushfstring(L, "%s_5_4", env);
  const char *value = getenv(lua_tostring(L, -1));
  lua_pop(L, 1);
  if (value == NULL) value = getenv(env);
  lua_getfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  int noenv = lua_toboolean(L, -1);
  lua_pop(L, 1);
  const char *mark = value == NULL ? NULL : strstr(value, ";;");
  if (value == NULL || noenv) {
    lua_pushstring(L, dft);
  } else if (mark == NULL) {
    lua_pushstring(L, value);
  } else {
    const char *rest = mark + 2;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (mark > value) {
      luaL_addlstring(&b, value, (size_t)(mark - value));
      luaL_addchar(&b, ';');
    }
    luaL_addstring(&b, dft);
    if (*rest != '\0') {
      luaL_addchar(&b, ';');
      luaL_addstring(&b, rest);
    }
    luaL_pushresult(&b);
  }
  lua_setfield(L, -2, field);
}

int luaopen_package(lua_State *L) {
  static const luaL_Reg pk_funcs[] = {
      {"searchpath", ll_searchpath}, {"loadlib", ll_loadlib}, {NULL, NULL}};
  luaL_newlib(L, pk_funcs);
  static const lua_CFunction searchers[] = {searcher_Lua, searcher_C, searcher_Croot};
  lua_createtable(L, 4, 0);
  lua_pushcfunction(L, searcher_preload);
  lua_rawseti(L, -2, 1);
  for (int i = 0; i < 3; i++) {
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, searchers[i], 1);
    lua_rawseti(L, -2, i + 2);
  }
  lua_setfield(L, -2, "searchers");
  pk_setpath(L, "path", "LUA_PATH", "./?.lua;./?/init.lua");
  pk_setpath(L, "cpath", "LUA_CPATH", "./?.so");
  lua_pushliteral(L, "/\n;\n?\n!\n-\n");
  lua_setfield(L, -2, "config");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_setfield(L, -2, "loaded");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_setfield(L, -2, "preload");
  lua_pushglobaltable(L);
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, ll_require, 1);
  lua_setfield(L, -2, "require");
  lua_pop(L, 1);
  return 1;
}

/* -- All libraries -- */

void luaL_openlibs(lua_State *L) {
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},         {LUA_LOADLIBNAME, luaopen_package},
      {LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
      {LUA_IOLIBNAME, luaopen_io},       {LUA_OSLIBNAME, luaopen_os},
      {LUA_STRLIBNAME, luaopen_string},  {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8},   {LUA_DBLIBNAME, luaopen_debug},
      {NULL, NULL}};
  for (const luaL_Reg *lib = libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  /* strings share one metatable whose __index is the string library */
  lua_pushliteral(L, "");
  if (!lua_getmetatable(L, -1)) {
    lua_createtable(L, 0, 1);
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
  } else {
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* The trace recorder does these calls itself (runtime/trace/helpers_str.c),
 * guarded by the function's identity. */
JitStrOp jit_base_builtin(lua_CFunction f) {
  if (f == luaB_tostring) return STRH_TOSTRING;
  if (f == luaB_tonumber) return STRH_TONUMBER;
  return STRH_NONE;
}

/* `select`, which the recorder does itself (record.c rec_select). */
bool jit_is_select(lua_CFunction f) { return f == luaB_select; }
/* The iterator ipairs returns, and `next` (record.c rec_ipairs, rec_next). */
bool jit_is_ipairs_iter(lua_CFunction f) { return f == ipairsaux; }
bool jit_is_next(lua_CFunction f) { return f == luaB_next; }
/* `setmetatable` on a table without one (record.c rec_setmt). */
bool jit_is_setmetatable(lua_CFunction f) { return f == luaB_setmetatable; }
/* `coroutine.yield`, before which a trace ends (record.c). */
bool jit_is_yield(lua_CFunction f) { return f == luaB_yield; }
