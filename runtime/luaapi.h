/* luaapi.h -- the C API of cpjit-lua.
 *
 * The standard libraries (runtime/lib/) and the core's own base library are
 * written against this header only.  Names, signatures and semantics follow
 * the Lua 5.4 C API (lua.h + lauxlib.h), so library code compiles unchanged
 * against either this VM or the system liblua5.4.  Only the subset the
 * project needs is provided; everything declared here is implemented in
 * runtime/api.c (lua_*) and runtime/auxlib.c (luaL_*).
 *
 * Stack indices: positive indices count from the bottom of the current
 * function's frame (1 = first argument), negative ones from the top
 * (-1 = top), LUA_REGISTRYINDEX names the registry table and
 * lua_upvalueindex(i) the upvalues of the running C closure.
 *
 * Errors raised by any function here (lua_error, luaL_error, argument
 * checks, memory errors) unwind with longjmp to the innermost protected
 * call (lua_pcall) or, if none, terminate the host through the panic path.
 */
#ifndef CPJIT_LUAAPI_H
#define CPJIT_LUAAPI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LUA_VERSION_MAJOR "5"
#define LUA_VERSION_MINOR "4"
#define LUA_VERSION_NUM 504
#define LUA_VERSION "Lua 5.4"
#define LUA_RELEASE "Lua 5.4 (cpjit-lua)"

/* -- Basic types -- */

typedef struct lua_State lua_State;
typedef int64_t lua_Integer;
typedef uint64_t lua_Unsigned;
typedef double lua_Number;
typedef intptr_t lua_KContext;
typedef int (*lua_CFunction)(lua_State *L);
typedef int (*lua_KFunction)(lua_State *L, int status, lua_KContext ctx);
typedef const char *(*lua_Reader)(lua_State *L, void *ud, size_t *sz);
typedef int (*lua_Writer)(lua_State *L, const void *p, size_t sz, void *ud);
typedef void *(*lua_Alloc)(void *ud, void *ptr, size_t osize, size_t nsize);

#define LUA_MAXINTEGER INT64_MAX
#define LUA_MININTEGER INT64_MIN
#define LUA_NUMBER_FMT "%.14g"
#define LUA_INTEGER_FMT "%lld"
#define LUAI_MAXSTACK 1000000
#define LUA_IDSIZE 60

/* -- Type codes (lua_type) -- */
#define LUA_TNONE (-1)
#define LUA_TNIL 0
#define LUA_TBOOLEAN 1
#define LUA_TLIGHTUSERDATA 2
#define LUA_TNUMBER 3
#define LUA_TSTRING 4
#define LUA_TTABLE 5
#define LUA_TFUNCTION 6
#define LUA_TUSERDATA 7
#define LUA_TTHREAD 8
#define LUA_NUMTYPES 9

#define LUA_MULTRET (-1)
#define LUA_MINSTACK 20
#define LUA_REGISTRYINDEX (-LUAI_MAXSTACK - 1000)
#define lua_upvalueindex(i) (LUA_REGISTRYINDEX - (i))

/* registry slots */
#define LUA_RIDX_MAINTHREAD 1
#define LUA_RIDX_GLOBALS 2
#define LUA_RIDX_LAST LUA_RIDX_GLOBALS

/* -- Status codes -- */
#define LUA_OK 0
#define LUA_YIELD 1
#define LUA_ERRRUN 2
#define LUA_ERRSYNTAX 3
#define LUA_ERRMEM 4
#define LUA_ERRERR 5
#define LUA_ERRFILE 6

/* -- Arithmetic and comparison operators (lua_arith, lua_compare) -- */
#define LUA_OPADD 0
#define LUA_OPSUB 1
#define LUA_OPMUL 2
#define LUA_OPMOD 3
#define LUA_OPPOW 4
#define LUA_OPDIV 5
#define LUA_OPIDIV 6
#define LUA_OPBAND 7
#define LUA_OPBOR 8
#define LUA_OPBXOR 9
#define LUA_OPSHL 10
#define LUA_OPSHR 11
#define LUA_OPUNM 12
#define LUA_OPBNOT 13

#define LUA_OPEQ 0
#define LUA_OPLT 1
#define LUA_OPLE 2

/* -- lua_gc options -- */
#define LUA_GCSTOP 0
#define LUA_GCRESTART 1
#define LUA_GCCOLLECT 2
#define LUA_GCCOUNT 3
#define LUA_GCCOUNTB 4
#define LUA_GCSTEP 5
#define LUA_GCSETPAUSE 6
#define LUA_GCSETSTEPMUL 7
#define LUA_GCISRUNNING 9
#define LUA_GCGEN 10
#define LUA_GCINC 11

/* -- State -- */
lua_State *luaL_newstate(void);
/* A state whose memory (VM and JIT) comes from f, as in Lua 5.4: f returns
 * NULL when it cannot allocate, and the VM raises "not enough memory" (the
 * JIT then only stops compiling).  NULL when the state cannot be made. */
lua_State *lua_newstate(lua_Alloc f, void *ud);
void lua_close(lua_State *L);
lua_State *lua_newthread(lua_State *L);
lua_CFunction lua_atpanic(lua_State *L, lua_CFunction panicf);
/* Emit a warning, or a piece of one when tocont is set.  As lua5.4's
 * standalone interpreter: off by default; the control messages "@on" and
 * "@off" switch them; output "Lua warning: <msg>\n" on stderr. */
void lua_warning(lua_State *L, const char *msg, int tocont);

/* -- Stack manipulation -- */
int lua_absindex(lua_State *L, int idx);
int lua_gettop(lua_State *L);
void lua_settop(lua_State *L, int idx);
void lua_pushvalue(lua_State *L, int idx);
void lua_rotate(lua_State *L, int idx, int n);
void lua_copy(lua_State *L, int fromidx, int toidx);
int lua_checkstack(lua_State *L, int n);
void lua_xmove(lua_State *from, lua_State *to, int n);

#define lua_pop(L, n) lua_settop(L, -(n)-1)
#define lua_insert(L, idx) lua_rotate(L, (idx), 1)
#define lua_remove(L, idx) (lua_rotate(L, (idx), -1), lua_pop(L, 1))
#define lua_replace(L, idx) (lua_copy(L, -1, (idx)), lua_pop(L, 1))

/* -- Access functions (stack -> C) -- */
int lua_isnumber(lua_State *L, int idx);
int lua_isstring(lua_State *L, int idx);
int lua_iscfunction(lua_State *L, int idx);
int lua_isinteger(lua_State *L, int idx);
int lua_isuserdata(lua_State *L, int idx);
int lua_type(lua_State *L, int idx);
const char *lua_typename(lua_State *L, int tp);

lua_Number lua_tonumberx(lua_State *L, int idx, int *isnum);
lua_Integer lua_tointegerx(lua_State *L, int idx, int *isnum);
int lua_toboolean(lua_State *L, int idx);
const char *lua_tolstring(lua_State *L, int idx, size_t *len);
lua_Unsigned lua_rawlen(lua_State *L, int idx);
lua_CFunction lua_tocfunction(lua_State *L, int idx);
void *lua_touserdata(lua_State *L, int idx);
lua_State *lua_tothread(lua_State *L, int idx);
const void *lua_topointer(lua_State *L, int idx);

/* -- Comparison and arithmetic -- */
void lua_arith(lua_State *L, int op);
int lua_rawequal(lua_State *L, int idx1, int idx2);
int lua_compare(lua_State *L, int idx1, int idx2, int op);

/* -- Push functions (C -> stack) -- */
void lua_pushnil(lua_State *L);
void lua_pushnumber(lua_State *L, lua_Number n);
void lua_pushinteger(lua_State *L, lua_Integer n);
const char *lua_pushlstring(lua_State *L, const char *s, size_t len);
const char *lua_pushstring(lua_State *L, const char *s);
const char *lua_pushvfstring(lua_State *L, const char *fmt, va_list argp);
const char *lua_pushfstring(lua_State *L, const char *fmt, ...);
void lua_pushcclosure(lua_State *L, lua_CFunction fn, int n);
void lua_pushboolean(lua_State *L, int b);
void lua_pushlightuserdata(lua_State *L, void *p);
int lua_pushthread(lua_State *L);

/* -- Get functions (Lua -> stack); they return the type of the pushed value -- */
int lua_getglobal(lua_State *L, const char *name);
int lua_gettable(lua_State *L, int idx);
int lua_getfield(lua_State *L, int idx, const char *k);
int lua_geti(lua_State *L, int idx, lua_Integer n);
int lua_rawget(lua_State *L, int idx);
int lua_rawgeti(lua_State *L, int idx, lua_Integer n);
int lua_rawgetp(lua_State *L, int idx, const void *p);
void lua_createtable(lua_State *L, int narr, int nrec);
void *lua_newuserdatauv(lua_State *L, size_t sz, int nuvalue);
int lua_getmetatable(lua_State *L, int objindex);
int lua_getiuservalue(lua_State *L, int idx, int n);

/* -- Set functions (stack -> Lua) -- */
void lua_setglobal(lua_State *L, const char *name);
void lua_settable(lua_State *L, int idx);
void lua_setfield(lua_State *L, int idx, const char *k);
void lua_seti(lua_State *L, int idx, lua_Integer n);
void lua_rawset(lua_State *L, int idx);
void lua_rawseti(lua_State *L, int idx, lua_Integer n);
void lua_rawsetp(lua_State *L, int idx, const void *p);
int lua_setmetatable(lua_State *L, int objindex);
int lua_setiuservalue(lua_State *L, int idx, int n);

/* -- Calls, loading, coroutines --
 * As in Lua 5.4, coroutines have no C stack of their own: lua_yieldk does
 * not return (use 'return lua_yield(L, n);'); when the coroutine is resumed,
 * its continuation k, if any, is called with status LUA_YIELD, else the
 * resume values become the C function's results.  Code called through
 * lua_callk/lua_pcallk with k == NULL cannot yield ("attempt to yield
 * across a C-call boundary"); with a k, a yield inside continues in k (and
 * lua_pcallk's k also receives the error status of an error caught after
 * such a yield).  See coro.c. */
void lua_callk(lua_State *L, int nargs, int nresults, lua_KContext ctx, lua_KFunction k);
#define lua_call(L, n, r) lua_callk(L, (n), (r), 0, NULL)
int lua_pcallk(lua_State *L, int nargs, int nresults, int errfunc, lua_KContext ctx,
               lua_KFunction k);
#define lua_pcall(L, n, r, f) lua_pcallk(L, (n), (r), (f), 0, NULL)
int lua_load(lua_State *L, lua_Reader reader, void *dt, const char *chunkname, const char *mode);
/* Write the Lua function on top of the stack as a binary chunk (runtime/
 * dump.c); returns 1 for a C function, else the first non-zero writer
 * status or 0.  strip != 0 leaves out debug information. */
int lua_dump(lua_State *L, lua_Writer writer, void *data, int strip);
int lua_yieldk(lua_State *L, int nresults, lua_KContext ctx, lua_KFunction k);
#define lua_yield(L, n) lua_yieldk(L, (n), 0, NULL)
int lua_resume(lua_State *L, lua_State *from, int narg, int *nres);
int lua_status(lua_State *L);
int lua_isyieldable(lua_State *L);
int lua_closethread(lua_State *L, lua_State *from);

/* -- Miscellaneous -- */
int lua_gc(lua_State *L, int what, ...);
int lua_error(lua_State *L);
int lua_next(lua_State *L, int idx);
void lua_concat(lua_State *L, int n);
void lua_len(lua_State *L, int idx);
size_t lua_stringtonumber(lua_State *L, const char *s);
void lua_toclose(lua_State *L, int idx);
void lua_closeslot(lua_State *L, int idx);

/* -- Convenience macros -- */
#define lua_tonumber(L, i) lua_tonumberx(L, (i), NULL)
#define lua_tointeger(L, i) lua_tointegerx(L, (i), NULL)
#define lua_newtable(L) lua_createtable(L, 0, 0)
#define lua_register(L, n, f) (lua_pushcfunction(L, (f)), lua_setglobal(L, (n)))
#define lua_pushcfunction(L, f) lua_pushcclosure(L, (f), 0)
#define lua_isfunction(L, n) (lua_type(L, (n)) == LUA_TFUNCTION)
#define lua_istable(L, n) (lua_type(L, (n)) == LUA_TTABLE)
#define lua_islightuserdata(L, n) (lua_type(L, (n)) == LUA_TLIGHTUSERDATA)
#define lua_isnil(L, n) (lua_type(L, (n)) == LUA_TNIL)
#define lua_isboolean(L, n) (lua_type(L, (n)) == LUA_TBOOLEAN)
#define lua_isthread(L, n) (lua_type(L, (n)) == LUA_TTHREAD)
#define lua_isnone(L, n) (lua_type(L, (n)) == LUA_TNONE)
#define lua_isnoneornil(L, n) (lua_type(L, (n)) <= 0)
#define lua_pushliteral(L, s) lua_pushstring(L, "" s)
#define lua_pushglobaltable(L) ((void)lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS))
#define lua_tostring(L, i) lua_tolstring(L, (i), NULL)
#define lua_newuserdata(L, s) lua_newuserdatauv(L, s, 1)
#define lua_getuservalue(L, idx) lua_getiuservalue(L, idx, 1)
#define lua_setuservalue(L, idx) lua_setiuservalue(L, idx, 1)
#define lua_numbertointeger(n, p)                                                     \
  ((n) >= (lua_Number)(LUA_MININTEGER) && (n) < -(lua_Number)(LUA_MININTEGER) &&      \
   (*(p) = (lua_Integer)(n), 1))

/* -- Debug API (runtime/debug.c; upvalue access in runtime/api.c) --
 * As in Lua 5.4.  A level counts frames from the running function (0) down
 * to the main chunk; lua_getinfo's 'what' takes the option letters
 * "nSltuLrf" (">" first: the function is popped from the stack instead).
 * Hooks are per thread; a new thread inherits its creator's hook.  While a
 * hook is set on any thread, the trace JIT neither records nor enters
 * traces, and the interpreter runs through its hook dispatch table. */
#define LUA_HOOKCALL 0
#define LUA_HOOKRET 1
#define LUA_HOOKLINE 2
#define LUA_HOOKCOUNT 3
#define LUA_HOOKTAILCALL 4
#define LUA_MASKCALL (1 << LUA_HOOKCALL)
#define LUA_MASKRET (1 << LUA_HOOKRET)
#define LUA_MASKLINE (1 << LUA_HOOKLINE)
#define LUA_MASKCOUNT (1 << LUA_HOOKCOUNT)

typedef struct lua_Debug lua_Debug;
typedef void (*lua_Hook)(lua_State *L, lua_Debug *ar);

struct lua_Debug {
  int event;
  const char *name;     /* (n) */
  const char *namewhat; /* (n) "global", "local", "field", "method", "upvalue", "" */
  const char *what;     /* (S) "Lua", "C", "main" */
  const char *source;   /* (S) */
  size_t srclen;        /* (S) */
  int currentline;      /* (l) */
  int linedefined;      /* (S) */
  int lastlinedefined;  /* (S) */
  unsigned char nups;   /* (u) */
  unsigned char nparams; /* (u) */
  char isvararg;        /* (u) */
  char istailcall;      /* (t) */
  unsigned short ftransfer; /* (r) index of first value transferred */
  unsigned short ntransfer; /* (r) number of transferred values */
  char short_src[LUA_IDSIZE]; /* (S) */
  struct CallInfo *i_ci; /* private: the active function */
};

int lua_getstack(lua_State *L, int level, lua_Debug *ar);
int lua_getinfo(lua_State *L, const char *what, lua_Debug *ar);
const char *lua_getlocal(lua_State *L, const lua_Debug *ar, int n);
const char *lua_setlocal(lua_State *L, const lua_Debug *ar, int n);
const char *lua_getupvalue(lua_State *L, int funcindex, int n);
const char *lua_setupvalue(lua_State *L, int funcindex, int n);
void *lua_upvalueid(lua_State *L, int fidx, int n);
void lua_upvaluejoin(lua_State *L, int fidx1, int n1, int fidx2, int n2);
void lua_sethook(lua_State *L, lua_Hook func, int mask, int count);
lua_Hook lua_gethook(lua_State *L);
int lua_gethookmask(lua_State *L);
int lua_gethookcount(lua_State *L);

/* ==================================================================
 * Auxiliary library (luaL_*)
 * ================================================================== */

#define LUA_ERRFILE_AUX LUA_ERRFILE
#define LUA_LOADED_TABLE "_LOADED"
#define LUA_PRELOAD_TABLE "_PRELOAD"
#define LUA_FILEHANDLE "FILE*"
#define LUA_NOREF (-2)
#define LUA_REFNIL (-1)
#define LUAL_BUFFERSIZE 1024
#define LUAL_NUMSIZES (sizeof(lua_Integer) * 16 + sizeof(lua_Number))

typedef struct luaL_Reg {
  const char *name;
  lua_CFunction func;
} luaL_Reg;

/* Standard file handle userdata, shared by the io library. */
typedef struct luaL_Stream {
  FILE *f;
  lua_CFunction closef; /* NULL marks a closed handle */
} luaL_Stream;

void luaL_checkversion_(lua_State *L, lua_Number ver, size_t sz);
#define luaL_checkversion(L) luaL_checkversion_(L, 504, LUAL_NUMSIZES)

int luaL_getmetafield(lua_State *L, int obj, const char *e);
int luaL_callmeta(lua_State *L, int obj, const char *e);
const char *luaL_tolstring(lua_State *L, int idx, size_t *len);
int luaL_argerror(lua_State *L, int arg, const char *extramsg);
int luaL_typeerror(lua_State *L, int arg, const char *tname);
const char *luaL_checklstring(lua_State *L, int arg, size_t *l);
const char *luaL_optlstring(lua_State *L, int arg, const char *def, size_t *l);
lua_Number luaL_checknumber(lua_State *L, int arg);
lua_Number luaL_optnumber(lua_State *L, int arg, lua_Number def);
lua_Integer luaL_checkinteger(lua_State *L, int arg);
lua_Integer luaL_optinteger(lua_State *L, int arg, lua_Integer def);
void luaL_checkstack(lua_State *L, int sz, const char *msg);
void luaL_checktype(lua_State *L, int arg, int t);
void luaL_checkany(lua_State *L, int arg);
int luaL_newmetatable(lua_State *L, const char *tname);
void luaL_setmetatable(lua_State *L, const char *tname);
void *luaL_testudata(lua_State *L, int ud, const char *tname);
void *luaL_checkudata(lua_State *L, int ud, const char *tname);
void luaL_where(lua_State *L, int lvl);
int luaL_error(lua_State *L, const char *fmt, ...);
int luaL_checkoption(lua_State *L, int arg, const char *def, const char *const lst[]);
int luaL_fileresult(lua_State *L, int stat, const char *fname);
int luaL_execresult(lua_State *L, int stat);
int luaL_ref(lua_State *L, int t);
void luaL_unref(lua_State *L, int t, int ref);
int luaL_loadfilex(lua_State *L, const char *filename, const char *mode);
int luaL_loadbufferx(lua_State *L, const char *buff, size_t sz, const char *name,
                     const char *mode);
int luaL_loadstring(lua_State *L, const char *s);
lua_Integer luaL_len(lua_State *L, int idx);
const char *luaL_gsub(lua_State *L, const char *s, const char *p, const char *r);
void luaL_setfuncs(lua_State *L, const luaL_Reg *l, int nup);
int luaL_getsubtable(lua_State *L, int idx, const char *fname);
void luaL_traceback(lua_State *L, lua_State *L1, const char *msg, int level);
void luaL_requiref(lua_State *L, const char *modname, lua_CFunction openf, int glb);
void luaL_openlibs(lua_State *L);

#define luaL_loadfile(L, f) luaL_loadfilex(L, f, NULL)
#define luaL_loadbuffer(L, s, sz, n) luaL_loadbufferx(L, s, sz, n, NULL)
#define luaL_newlibtable(L, l) lua_createtable(L, 0, sizeof(l) / sizeof((l)[0]) - 1)
#define luaL_newlib(L, l) (luaL_checkversion(L), luaL_newlibtable(L, l), luaL_setfuncs(L, l, 0))
#define luaL_argcheck(L, cond, arg, extramsg) \
  ((void)((cond) || luaL_argerror(L, (arg), (extramsg))))
#define luaL_argexpected(L, cond, arg, tname) \
  ((void)((cond) || luaL_typeerror(L, (arg), (tname))))
#define luaL_checkstring(L, n) (luaL_checklstring(L, (n), NULL))
#define luaL_optstring(L, n, d) (luaL_optlstring(L, (n), (d), NULL))
#define luaL_typename(L, i) lua_typename(L, lua_type(L, (i)))
#define luaL_dofile(L, fn) (luaL_loadfile(L, fn) || lua_pcall(L, 0, LUA_MULTRET, 0))
#define luaL_dostring(L, s) (luaL_loadstring(L, s) || lua_pcall(L, 0, LUA_MULTRET, 0))
#define luaL_getmetatable(L, n) (lua_getfield(L, LUA_REGISTRYINDEX, (n)))
#define luaL_opt(L, f, n, d) (lua_isnoneornil(L, (n)) ? (d) : f(L, (n)))
#define luaL_intop(op, v1, v2) ((lua_Integer)((lua_Unsigned)(v1) op (lua_Unsigned)(v2)))
#define luaL_pushfail(L) lua_pushnil(L)

/* -- String buffers -- */
typedef struct luaL_Buffer {
  char *b;      /* buffer address */
  size_t size;  /* buffer size */
  size_t n;     /* number of characters in buffer */
  lua_State *L;
  union {
    char b[LUAL_BUFFERSIZE]; /* initial inline storage */
    double align_n;
    void *align_p;
    lua_Integer align_i;
  } init;
} luaL_Buffer;

#define luaL_bufflen(bf) ((bf)->n)
#define luaL_buffaddr(bf) ((bf)->b)
#define luaL_addchar(B, c) \
  ((void)((B)->n < (B)->size || luaL_prepbuffsize((B), 1)), ((B)->b[(B)->n++] = (c)))
#define luaL_addsize(B, s) ((B)->n += (s))
#define luaL_buffsub(B, s) ((B)->n -= (s))
#define luaL_prepbuffer(B) luaL_prepbuffsize(B, LUAL_BUFFERSIZE)

void luaL_buffinit(lua_State *L, luaL_Buffer *B);
char *luaL_prepbuffsize(luaL_Buffer *B, size_t sz);
void luaL_addlstring(luaL_Buffer *B, const char *s, size_t l);
void luaL_addstring(luaL_Buffer *B, const char *s);
void luaL_addvalue(luaL_Buffer *B);
void luaL_pushresult(luaL_Buffer *B);
void luaL_pushresultsize(luaL_Buffer *B, size_t sz);
char *luaL_buffinitsize(lua_State *L, luaL_Buffer *B, size_t sz);

/* -- Standard library entry points -- */
int luaopen_base(lua_State *L);
int luaopen_coroutine(lua_State *L);
int luaopen_package(lua_State *L);
int luaopen_string(lua_State *L);
int luaopen_table(lua_State *L);
int luaopen_math(lua_State *L);
int luaopen_io(lua_State *L);
int luaopen_os(lua_State *L);
int luaopen_utf8(lua_State *L);
int luaopen_debug(lua_State *L);

#define LUA_GNAME "_G"
#define LUA_COLIBNAME "coroutine"
#define LUA_TABLIBNAME "table"
#define LUA_IOLIBNAME "io"
#define LUA_OSLIBNAME "os"
#define LUA_STRLIBNAME "string"
#define LUA_UTF8LIBNAME "utf8"
#define LUA_MATHLIBNAME "math"
#define LUA_LOADLIBNAME "package"
#define LUA_DBLIBNAME "debug"

#endif
