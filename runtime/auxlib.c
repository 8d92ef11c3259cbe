/* auxlib.c -- the luaL_* auxiliary library (contract: luaapi.h).
 *
 * Written against the C API, except for argument errors, which need the
 * core's knowledge of how the running C function was called (its name
 * from the calling instruction, or a global name found in package.loaded)
 * to word "bad argument #1 to 'insert' (table expected, got nil)" exactly
 * as lua5.4 does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core.h"

/* -- Function names -- */

/* Push "mod.name" for the function value at 'funcidx' if some loaded module
 * holds it ("_G.print" is shortened to "print"). */
static int pushglobalfuncname(lua_State *L, int funcidx) {
  int top = lua_gettop(L);
  funcidx = lua_absindex(L, funcidx);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (!lua_istable(L, -1)) {
    lua_settop(L, top);
    return 0;
  }
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, funcidx)) {
          const char *mod = lua_tostring(L, -4);
          const char *key = lua_tostring(L, -2);
          if (strcmp(mod, LUA_GNAME) == 0) lua_pushstring(L, key);
          else lua_pushfstring(L, "%s.%s", mod, key);
          lua_replace(L, top + 1);
          lua_settop(L, top + 1);
          return 1;
        }
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  lua_settop(L, top);
  return 0;
}

int luaL_argerror(lua_State *L, int arg, const char *extramsg) {
  CallInfo *ci = L->ci;
  const char *name = NULL;
  const char *kind = dbg_funcname(L, ci, &name);
  if (kind && strcmp(kind, "method") == 0) {
    arg--;
    if (arg == 0) return luaL_error(L, "calling '%s' on bad self (%s)", name, extramsg);
  }
  if (name == NULL) {
    setobj(L->top, ci->func);
    L->top++;
    if (pushglobalfuncname(L, -1)) {
      name = lua_tostring(L, -1);
    } else {
      name = "?";
    }
  }
  return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, name, extramsg);
}

int luaL_typeerror(lua_State *L, int arg, const char *tname) {
  const char *typearg;
  if (luaL_getmetafield(L, arg, "__name") == LUA_TSTRING) typearg = lua_tostring(L, -1);
  else if (lua_type(L, arg) == LUA_TLIGHTUSERDATA) typearg = "light userdata";
  else typearg = luaL_typename(L, arg);
  const char *msg = lua_pushfstring(L, "%s expected, got %s", tname, typearg);
  return luaL_argerror(L, arg, msg);
}

static void tag_error(lua_State *L, int arg, int tag) { luaL_typeerror(L, arg, lua_typename(L, tag)); }

void luaL_where(lua_State *L, int level) {
  CallInfo *ci = L->ci;
  for (; level > 0 && ci != &L->base_ci; ci = ci->previous) level--;
  if (level == 0 && ci != &L->base_ci && isLua(ci)) {
    Proto *p = ci_func(ci)->p;
    int line = dbg_currentline(ci);
    if (line > 0) {
      char buff[LUA_IDSIZE];
      obj_chunkid(buff, getstr(p->source), p->source->len);
      lua_pushfstring(L, "%s:%d: ", buff, line);
      return;
    }
  }
  lua_pushfstring(L, "");
}

int luaL_error(lua_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  luaL_where(L, 1);
  lua_pushvfstring(L, fmt, argp);
  va_end(argp);
  lua_concat(L, 2);
  return lua_error(L);
}

/* -- Tracebacks, formatted as lua5.4's -- */

static int lastlevel(lua_State *L) {
  lua_Debug ar;
  int li = 1, le = 1;
  while (lua_getstack(L, le, &ar)) { /* an upper bound, by doubling */
    li = le;
    le *= 2;
  }
  while (li < le) { /* then the last valid level, by bisection */
    int m = (li + le) / 2;
    if (lua_getstack(L, m, &ar)) li = m + 1;
    else le = m;
  }
  return le - 1;
}

/* Replace the function on top of the stack by the name lua5.4 gives it in a
 * traceback: a loaded module's field first, then the name from the calling
 * code, then "main chunk", "function <file:line>" or "?". */
static void pushfuncname(lua_State *L, lua_Debug *ar) {
  int top = lua_gettop(L);
  if (pushglobalfuncname(L, top)) {
    lua_pushfstring(L, "function '%s'", lua_tostring(L, -1));
    lua_replace(L, top);
    lua_settop(L, top);
    return;
  }
  lua_pop(L, 1);
  if (*ar->namewhat != '\0') lua_pushfstring(L, "%s '%s'", ar->namewhat, ar->name);
  else if (*ar->what == 'm') lua_pushliteral(L, "main chunk");
  else if (*ar->what != 'C') lua_pushfstring(L, "function <%s:%d>", ar->short_src, ar->linedefined);
  else lua_pushliteral(L, "?");
}

void luaL_traceback(lua_State *L, lua_State *L1, const char *msg, int level) {
  enum { LEVELS1 = 10, LEVELS2 = 11 };
  luaL_Buffer b;
  lua_Debug ar;
  int last = lastlevel(L1);
  int limit2show = (last - level > LEVELS1 + LEVELS2) ? LEVELS1 : -1;
  luaL_buffinit(L, &b);
  if (msg) {
    luaL_addstring(&b, msg);
    luaL_addchar(&b, '\n');
  }
  luaL_addstring(&b, "stack traceback:");
  while (lua_getstack(L1, level++, &ar)) {
    if (limit2show-- == 0) {
      int n = last - level - LEVELS2 + 1;
      lua_pushfstring(L, "\n\t...\t(skipping %d levels)", n);
      luaL_addvalue(&b);
      level += n;
    } else {
      lua_getinfo(L1, "Slnt", &ar);
      if (ar.currentline <= 0) lua_pushfstring(L, "\n\t%s: in ", ar.short_src);
      else lua_pushfstring(L, "\n\t%s:%d: in ", ar.short_src, ar.currentline);
      luaL_addvalue(&b);
      lua_getinfo(L1, "f", &ar);
      if (L1 != L) lua_xmove(L1, L, 1);
      pushfuncname(L, &ar);
      luaL_addvalue(&b);
      if (ar.istailcall) luaL_addstring(&b, "\n\t(...tail calls...)");
    }
  }
  luaL_pushresult(&b);
}

/* -- Argument checks -- */

int luaL_checkoption(lua_State *L, int arg, const char *def, const char *const lst[]) {
  const char *name = def ? luaL_optstring(L, arg, def) : luaL_checkstring(L, arg);
  for (int i = 0; lst[i]; i++)
    if (strcmp(lst[i], name) == 0) return i;
  return luaL_argerror(L, arg, lua_pushfstring(L, "invalid option '%s'", name));
}

void luaL_checkstack(lua_State *L, int space, const char *msg) {
  if (l_unlikely(!lua_checkstack(L, space))) {
    if (msg) luaL_error(L, "stack overflow (%s)", msg);
    else luaL_error(L, "stack overflow");
  }
}

void luaL_checktype(lua_State *L, int arg, int t) {
  if (lua_type(L, arg) != t) tag_error(L, arg, t);
}

void luaL_checkany(lua_State *L, int arg) {
  if (lua_type(L, arg) == LUA_TNONE) luaL_argerror(L, arg, "value expected");
}

const char *luaL_checklstring(lua_State *L, int arg, size_t *len) {
  const char *s = lua_tolstring(L, arg, len);
  if (!s) tag_error(L, arg, LUA_TSTRING);
  return s;
}

const char *luaL_optlstring(lua_State *L, int arg, const char *def, size_t *len) {
  if (lua_isnoneornil(L, arg)) {
    if (len) *len = (def ? strlen(def) : 0);
    return def;
  }
  return luaL_checklstring(L, arg, len);
}

lua_Number luaL_checknumber(lua_State *L, int arg) {
  int isnum;
  lua_Number d = lua_tonumberx(L, arg, &isnum);
  if (!isnum) tag_error(L, arg, LUA_TNUMBER);
  return d;
}

lua_Number luaL_optnumber(lua_State *L, int arg, lua_Number def) {
  return luaL_opt(L, luaL_checknumber, arg, def);
}

static void interror(lua_State *L, int arg) {
  if (lua_isnumber(L, arg)) luaL_argerror(L, arg, "number has no integer representation");
  else tag_error(L, arg, LUA_TNUMBER);
}

lua_Integer luaL_checkinteger(lua_State *L, int arg) {
  int isnum;
  lua_Integer d = lua_tointegerx(L, arg, &isnum);
  if (!isnum) interror(L, arg);
  return d;
}

lua_Integer luaL_optinteger(lua_State *L, int arg, lua_Integer def) {
  return luaL_opt(L, luaL_checkinteger, arg, def);
}

/* -- Metatables and userdata -- */

int luaL_newmetatable(lua_State *L, const char *tname) {
  if (luaL_getmetatable(L, tname) != LUA_TNIL) return 0;
  lua_pop(L, 1);
  lua_createtable(L, 0, 2);
  lua_pushstring(L, tname);
  lua_setfield(L, -2, "__name");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, tname);
  return 1;
}

void luaL_setmetatable(lua_State *L, const char *tname) {
  luaL_getmetatable(L, tname);
  lua_setmetatable(L, -2);
}

void *luaL_testudata(lua_State *L, int ud, const char *tname) {
  void *p = lua_touserdata(L, ud);
  if (p != NULL && lua_type(L, ud) == LUA_TUSERDATA) {
    if (lua_getmetatable(L, ud)) {
      luaL_getmetatable(L, tname);
      if (!lua_rawequal(L, -1, -2)) p = NULL;
      lua_pop(L, 2);
      return p;
    }
  }
  return NULL;
}

void *luaL_checkudata(lua_State *L, int ud, const char *tname) {
  void *p = luaL_testudata(L, ud, tname);
  if (p == NULL) luaL_typeerror(L, ud, tname);
  return p;
}

int luaL_getmetafield(lua_State *L, int obj, const char *event) {
  if (!lua_getmetatable(L, obj)) return LUA_TNIL;
  lua_pushstring(L, event);
  int tt = lua_rawget(L, -2);
  if (tt == LUA_TNIL) lua_pop(L, 2);
  else lua_remove(L, -2);
  return tt;
}

int luaL_callmeta(lua_State *L, int obj, const char *event) {
  obj = lua_absindex(L, obj);
  if (luaL_getmetafield(L, obj, event) == LUA_TNIL) return 0;
  lua_pushvalue(L, obj);
  lua_call(L, 1, 1);
  return 1;
}

lua_Integer luaL_len(lua_State *L, int idx) {
  int isnum;
  lua_len(L, idx);
  lua_Integer l = lua_tointegerx(L, -1, &isnum);
  if (!isnum) luaL_error(L, "object length is not an integer");
  lua_pop(L, 1);
  return l;
}

const char *luaL_tolstring(lua_State *L, int idx, size_t *len) {
  idx = lua_absindex(L, idx);
  if (luaL_callmeta(L, idx, "__tostring")) {
    if (!lua_isstring(L, -1)) luaL_error(L, "'__tostring' must return a string");
  } else {
    switch (lua_type(L, idx)) {
      case LUA_TNUMBER:
        lua_pushvalue(L, idx);
        lua_tolstring(L, -1, NULL);
        break;
      case LUA_TSTRING:
        lua_pushvalue(L, idx);
        break;
      case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
        break;
      case LUA_TNIL:
        lua_pushliteral(L, "nil");
        break;
      default: {
        int tt = luaL_getmetafield(L, idx, "__name");
        const char *kind = (tt == LUA_TSTRING) ? lua_tostring(L, -1) : luaL_typename(L, idx);
        lua_pushfstring(L, "%s: %p", kind, lua_topointer(L, idx));
        if (tt != LUA_TNIL) lua_remove(L, -2);
        break;
      }
    }
  }
  return lua_tolstring(L, -1, len);
}

/* -- Results of system calls -- */

int luaL_fileresult(lua_State *L, int stat, const char *fname) {
  int en = errno;
  if (stat) {
    lua_pushboolean(L, 1);
    return 1;
  }
  luaL_pushfail(L);
  if (fname) lua_pushfstring(L, "%s: %s", fname, strerror(en));
  else lua_pushstring(L, strerror(en));
  lua_pushinteger(L, en);
  return 3;
}

int luaL_execresult(lua_State *L, int stat) {
  if (stat != 0 && errno != 0 && stat == -1) return luaL_fileresult(L, 0, NULL);
  const char *what = "exit";
  if (WIFEXITED(stat)) {
    stat = WEXITSTATUS(stat);
  } else if (WIFSIGNALED(stat)) {
    stat = WTERMSIG(stat);
    what = "signal";
  }
  if (*what == 'e' && stat == 0) lua_pushboolean(L, 1);
  else luaL_pushfail(L);
  lua_pushstring(L, what);
  lua_pushinteger(L, stat);
  return 3;
}

/* -- References -- */

#define FREELIST_REF (LUA_RIDX_LAST + 1)

int luaL_ref(lua_State *L, int t) {
  int ref;
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return LUA_REFNIL;
  }
  t = lua_absindex(L, t);
  if (lua_rawgeti(L, t, FREELIST_REF) == LUA_TNIL) {
    ref = 0;
    lua_pushinteger(L, 0);
    lua_rawseti(L, t, FREELIST_REF);
  } else {
    ref = (int)lua_tointeger(L, -1);
  }
  lua_pop(L, 1);
  if (ref != 0) {
    lua_rawgeti(L, t, ref);
    lua_rawseti(L, t, FREELIST_REF);
  } else {
    ref = (int)lua_rawlen(L, t) + 1;
    if (ref <= FREELIST_REF) ref = FREELIST_REF + 1;
  }
  lua_rawseti(L, t, ref);
  return ref;
}

void luaL_unref(lua_State *L, int t, int ref) {
  if (ref >= 0) {
    t = lua_absindex(L, t);
    lua_rawgeti(L, t, FREELIST_REF);
    lua_rawseti(L, t, ref);
    lua_pushinteger(L, ref);
    lua_rawseti(L, t, FREELIST_REF);
  }
}

/* -- Loading -- */

typedef struct LoadF {
  int n;           /* pre-read characters */
  FILE *f;
  char buff[BUFSIZ];
} LoadF;

static const char *getF(lua_State *L, void *ud, size_t *size) {
  (void)L;
  LoadF *lf = (LoadF *)ud;
  if (lf->n > 0) {
    *size = (size_t)lf->n;
    lf->n = 0;
  } else {
    if (feof(lf->f)) return NULL;
    *size = fread(lf->buff, 1, sizeof(lf->buff), lf->f);
  }
  return lf->buff;
}

static int errfile(lua_State *L, const char *what, int fnameindex) {
  int err = errno;
  const char *filename = lua_tostring(L, fnameindex) + 1;
  if (err != 0) lua_pushfstring(L, "cannot %s %s: %s", what, filename, strerror(err));
  else lua_pushfstring(L, "cannot %s %s", what, filename);
  lua_remove(L, fnameindex);
  return LUA_ERRFILE;
}

/* Skip an optional BOM and a first line starting with '#'. */
static int skipcomment(FILE *f, int *cp) {
  int c = getc(f);
  if (c == 0xEF) {
    if (getc(f) == 0xBB && getc(f) == 0xBF) c = getc(f);
  }
  if (c == '#') {
    do {
      c = getc(f);
    } while (c != EOF && c != '\n');
    *cp = getc(f);
    return 1;
  }
  *cp = c;
  return 0;
}

int luaL_loadfilex(lua_State *L, const char *filename, const char *mode) {
  LoadF lf;
  int status, readstatus;
  int c;
  int fnameindex = lua_gettop(L) + 1;
  if (filename == NULL) {
    lua_pushliteral(L, "=stdin");
    lf.f = stdin;
  } else {
    lua_pushfstring(L, "@%s", filename);
    errno = 0;
    lf.f = fopen(filename, "r");
    if (lf.f == NULL) return errfile(L, "open", fnameindex);
  }
  lf.n = 0;
  if (skipcomment(lf.f, &c)) lf.buff[lf.n++] = '\n'; /* keep line numbers */
  if (c == '\033') lf.n = 0; /* a binary chunk after the comment: no newline */
  if (c != EOF) lf.buff[lf.n++] = (char)c;
  errno = 0;
  status = lua_load(L, getF, &lf, lua_tostring(L, -1), mode);
  readstatus = ferror(lf.f);
  if (filename) fclose(lf.f);
  if (readstatus) {
    lua_settop(L, fnameindex);
    return errfile(L, "read", fnameindex);
  }
  lua_remove(L, fnameindex);
  return status;
}

typedef struct LoadS {
  const char *s;
  size_t size;
} LoadS;

static const char *getS(lua_State *L, void *ud, size_t *size) {
  (void)L;
  LoadS *ls = (LoadS *)ud;
  if (ls->size == 0) return NULL;
  *size = ls->size;
  ls->size = 0;
  return ls->s;
}

int luaL_loadbufferx(lua_State *L, const char *buff, size_t size, const char *name,
                     const char *mode) {
  LoadS ls;
  ls.s = buff;
  ls.size = size;
  return lua_load(L, getS, &ls, name, mode);
}

int luaL_loadstring(lua_State *L, const char *s) { return luaL_loadbuffer(L, s, strlen(s), s); }

/* -- Buffers --
 *
 * A buffer starts in its inline array; past that its memory is a long
 * string under construction (the "box"), kept in the stack slot that
 * luaL_buffinit reserved, so the collector sees it and an error frees it.
 * While the box is the newest collectable object it grows and shrinks in
 * place (str_resizelong: realloc, no copy for large blocks), otherwise a new
 * box is made and the contents copied.  A finished buffer longer than a
 * short string becomes its result without a copy: the box, trimmed to the
 * final length, is the string.  No string can see the box before that,
 * and its hash is computed only when it is used as a key. */

#define boxof(B) ((TString *)((B)->b - offsetof(TString, data)))
#define hasbox(B) ((B)->b != (B)->init.b)

static char *prepbuffsize(luaL_Buffer *B, size_t sz, int boxidx) {
  if (B->size - B->n >= sz) return B->b + B->n;
  lua_State *L = B->L;
  size_t newsize = (B->size / 2) * 3;
  if (SIZE_MAX - sz < B->n) luaL_error(L, "buffer too large");
  if (newsize < B->n + sz) newsize = B->n + sz;
  StkId slot = L->top + boxidx;
  TString *box = hasbox(B) ? str_resizelong(L, boxof(B), newsize) : NULL;
  if (box == NULL) {
    box = str_newlong(L, newsize);
    memcpy(box->data, B->b, B->n);
  }
  setsvalue(slot, box);
  B->b = box->data;
  B->size = newsize;
  gc_check(L);
  return B->b + B->n;
}

char *luaL_prepbuffsize(luaL_Buffer *B, size_t sz) { return prepbuffsize(B, sz, -1); }

void luaL_buffinit(lua_State *L, luaL_Buffer *B) {
  B->L = L;
  B->b = B->init.b;
  B->n = 0;
  B->size = LUAL_BUFFERSIZE;
  lua_pushlightuserdata(L, (void *)B); /* placeholder for the box */
}

char *luaL_buffinitsize(lua_State *L, luaL_Buffer *B, size_t sz) {
  luaL_buffinit(L, B);
  return prepbuffsize(B, sz, -1);
}

void luaL_addlstring(luaL_Buffer *B, const char *s, size_t l) {
  if (l > 0) {
    char *b = prepbuffsize(B, l, -1);
    memcpy(b, s, l);
    luaL_addsize(B, l);
  }
}

void luaL_addstring(luaL_Buffer *B, const char *s) { luaL_addlstring(B, s, strlen(s)); }

void luaL_pushresult(luaL_Buffer *B) {
  lua_State *L = B->L;
  if (hasbox(B) && B->n > SHORT_STR_MAX) {
    TString *box = boxof(B);
    if (B->n != box->len) box = str_resizelong(L, box, B->n);
    if (box != NULL) { /* the box, at the top, is the result */
      setsvalue(L->top - 1, box);
      B->b = box->data;
      B->size = B->n;
      return;
    }
  }
  lua_pushlstring(L, B->b, B->n);
  lua_remove(L, -2);
}

void luaL_pushresultsize(luaL_Buffer *B, size_t sz) {
  luaL_addsize(B, sz);
  luaL_pushresult(B);
}

void luaL_addvalue(luaL_Buffer *B) {
  lua_State *L = B->L;
  size_t len;
  const char *s = lua_tolstring(L, -1, &len);
  char *b = prepbuffsize(B, len, -2);
  memcpy(b, s, len);
  luaL_addsize(B, len);
  lua_pop(L, 1);
}

const char *luaL_gsub(lua_State *L, const char *s, const char *p, const char *r) {
  const char *wild;
  size_t l = strlen(p);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while ((wild = strstr(s, p)) != NULL) {
    luaL_addlstring(&b, s, (size_t)(wild - s));
    luaL_addstring(&b, r);
    s = wild + l;
  }
  luaL_addstring(&b, s);
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

/* -- Libraries -- */

void luaL_checkversion_(lua_State *L, lua_Number ver, size_t sz) {
  if (sz != LUAL_NUMSIZES) luaL_error(L, "core and library have incompatible numeric types");
  if (ver != LUA_VERSION_NUM) luaL_error(L, "version mismatch: app. needs %f, Lua core provides %f", ver,
                                         (lua_Number)LUA_VERSION_NUM);
}

void luaL_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  luaL_checkstack(L, nup, "too many upvalues");
  for (; l->name != NULL; l++) {
    if (l->func == NULL) {
      lua_pushboolean(L, 0);
    } else {
      for (int i = 0; i < nup; i++) lua_pushvalue(L, -nup);
      lua_pushcclosure(L, l->func, nup);
    }
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}

int luaL_getsubtable(lua_State *L, int idx, const char *fname) {
  if (lua_getfield(L, idx, fname) == LUA_TTABLE) return 1;
  lua_pop(L, 1);
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, idx, fname);
  return 0;
}

void luaL_requiref(lua_State *L, const char *modname, lua_CFunction openf, int glb) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, modname);
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    lua_pushcfunction(L, openf);
    lua_pushstring(L, modname);
    lua_call(L, 1, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, modname);
  }
  lua_remove(L, -2);
  if (glb) {
    lua_pushvalue(L, -1);
    lua_setglobal(L, modname);
  }
}
