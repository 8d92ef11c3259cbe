/* api.c -- the lua_* C API over the VM core (contract: luaapi.h).
 *
 * Stack slots of the running C function are ci->func + 1 .. L->top - 1.
 * Functions that create objects run a GC check afterwards, when the new
 * object is already on the stack.  Invalid indices (beyond the top, or a
 * missing upvalue) read as a shared nil that must never be written.
 */
#include <stdarg.h>
#include <stdio.h>

#include "core.h"
#include "lex.h"

static const TValue nilobject_ = {{NULL}, TAG_NIL};
#define nilobject ((TValue *)&nilobject_)
#define isvalid(L, o) ((o) != nilobject)

static inline TValue *index2value(lua_State *L, int idx) {
  CallInfo *ci = L->ci;
  if (idx > 0) {
    StkId o = ci->func + idx;
    if (o >= L->top) return nilobject;
    return o;
  }
  if (idx > LUA_REGISTRYINDEX) return L->top + idx;
  if (idx == LUA_REGISTRYINDEX) return &G(L)->l_registry;
  idx = LUA_REGISTRYINDEX - idx;
  if (ttisCclosure(ci->func)) {
    CClosure *func = clCvalue(ci->func);
    return (idx <= func->nupvalues) ? &func->upvalue[idx - 1] : nilobject;
  }
  return nilobject;
}

static StkId index2stack(lua_State *L, int idx) {
  CallInfo *ci = L->ci;
  if (idx > 0) return ci->func + idx;
  return L->top + idx;
}

#define api_incr_top(L) (L->top++)
#define api_checknelems(L, n) ((void)0)

static void adjustresults(lua_State *L, int nres) {
  if (nres <= LUA_MULTRET && L->ci->top < L->top) L->ci->top = L->top;
}

/* -- State -- */

lua_CFunction lua_atpanic(lua_State *L, lua_CFunction panicf) {
  lua_CFunction old = G(L)->panic;
  G(L)->panic = panicf;
  return old;
}

lua_State *lua_newthread(lua_State *L) {
  lua_State *L1 = do_newthread(L);
  dbg_inithooks(L1, L);
  setthvalue(L->top, L1);
  api_incr_top(L);
  gc_check(L);
  return L1;
}

/* -- Stack -- */

int lua_absindex(lua_State *L, int idx) {
  return (idx > 0 || idx <= LUA_REGISTRYINDEX) ? idx : (int)(L->top - L->ci->func) + idx;
}

int lua_gettop(lua_State *L) { return (int)(L->top - (L->ci->func + 1)); }

void lua_settop(lua_State *L, int idx) {
  CallInfo *ci = L->ci;
  StkId func = ci->func;
  StkId newtop;
  if (idx >= 0) {
    newtop = func + 1 + idx;
    while (L->top < newtop) setnilvalue(L->top++);
  } else {
    newtop = L->top + idx + 1;
  }
  if (L->ntbc > 0 && L->tbc[L->ntbc - 1] >= savestack(L, newtop)) {
    ptrdiff_t nt = savestack(L, newtop);
    func_close(L, newtop, LUA_OK);
    newtop = restorestack(L, nt);
  }
  L->top = newtop;
}

void lua_closeslot(lua_State *L, int idx) {
  StkId level = index2stack(L, idx);
  ptrdiff_t lv = savestack(L, level);
  func_close(L, level, LUA_OK);
  level = restorestack(L, lv);
  setnilvalue(level);
}

void lua_toclose(lua_State *L, int idx) {
  StkId o = index2stack(L, idx);
  func_newtbcupval(L, o);
}

static void reverse(StkId from, StkId to) {
  for (; from < to; from++, to--) {
    TValue temp;
    setobj(&temp, from);
    setobj(from, to);
    setobj(to, &temp);
  }
}

void lua_rotate(lua_State *L, int idx, int n) {
  StkId t = L->top - 1;
  StkId p = index2stack(L, idx);
  StkId m = (n >= 0 ? t - n : p - n - 1);
  reverse(p, m);
  reverse(m + 1, t);
  reverse(p, t);
}

void lua_copy(lua_State *L, int fromidx, int toidx) {
  TValue *fr = index2value(L, fromidx);
  TValue *to = index2value(L, toidx);
  if (isvalid(L, to)) setobj(to, fr);
}

void lua_pushvalue(lua_State *L, int idx) {
  setobj(L->top, index2value(L, idx));
  api_incr_top(L);
}

int lua_checkstack(lua_State *L, int n) {
  CallInfo *ci = L->ci;
  if (n < 0) return 0;
  if (L->stack_last - L->top <= n) {
    int inuse = (int)(L->top - L->stack) + EXTRA_STACK;
    if (inuse > LUAI_MAXSTACK - n) return 0;
    do_growstack(L, n);
  }
  if (ci->top < L->top + n) ci->top = L->top + n;
  return 1;
}

void lua_xmove(lua_State *from, lua_State *to, int n) {
  if (from == to) return;
  from->top -= n;
  for (int i = 0; i < n; i++) {
    setobj(to->top, from->top + i);
    to->top++;
  }
}

/* -- Access -- */

int lua_type(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  return isvalid(L, o) ? ttype(o) : LUA_TNONE;
}

const char *lua_typename(lua_State *L, int t) {
  (void)L;
  if (t < LUA_TNONE || t >= LUA_NUMTYPES) return "?";
  return ttypename(t);
}

int lua_iscfunction(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  return ttislcf(o) || ttisCclosure(o);
}

int lua_isinteger(lua_State *L, int idx) { return ttisinteger(index2value(L, idx)); }

int lua_isnumber(lua_State *L, int idx) {
  lua_Number n;
  return obj_tonumber(index2value(L, idx), &n);
}

int lua_isstring(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  return ttisstring(o) || ttisnumber(o);
}

int lua_isuserdata(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  return ttisfulluserdata(o) || o->tt == TAG_LIGHTUD;
}

int lua_rawequal(lua_State *L, int index1, int index2) {
  const TValue *o1 = index2value(L, index1);
  const TValue *o2 = index2value(L, index2);
  return (isvalid(L, o1) && isvalid(L, o2)) ? vm_rawequalobj(o1, o2) : 0;
}

void lua_arith(lua_State *L, int op) {
  if (op == LUA_OPUNM || op == LUA_OPBNOT) {
    setobj(L->top, L->top - 1);
    api_incr_top(L);
  }
  vm_arith(L, op, L->top - 2, L->top - 1, L->top - 2);
  L->top--;
}

int lua_compare(lua_State *L, int index1, int index2, int op) {
  const TValue *o1 = index2value(L, index1);
  const TValue *o2 = index2value(L, index2);
  if (!isvalid(L, o1) || !isvalid(L, o2)) return 0;
  switch (op) {
    case LUA_OPEQ: return vm_equalobj(L, o1, o2);
    case LUA_OPLT: return vm_lessthan(L, o1, o2);
    case LUA_OPLE: return vm_lessequal(L, o1, o2);
    default: return 0;
  }
}

size_t lua_stringtonumber(lua_State *L, const char *s) {
  size_t sz = obj_str2num(s, L->top);
  if (sz != 0) api_incr_top(L);
  return sz;
}

lua_Number lua_tonumberx(lua_State *L, int idx, int *pisnum) {
  lua_Number n = 0;
  int isnum = obj_tonumber(index2value(L, idx), &n);
  if (pisnum) *pisnum = isnum;
  return isnum ? n : 0;
}

lua_Integer lua_tointegerx(lua_State *L, int idx, int *pisnum) {
  lua_Integer res = 0;
  int isnum = obj_tointegerns(index2value(L, idx), &res, F2Ieq);
  if (pisnum) *pisnum = isnum;
  return isnum ? res : 0;
}

int lua_toboolean(lua_State *L, int idx) { return !l_isfalse(index2value(L, idx)); }

const char *lua_tolstring(lua_State *L, int idx, size_t *len) {
  TValue *o = index2value(L, idx);
  if (!ttisstring(o)) {
    if (!ttisnumber(o)) {
      if (len) *len = 0;
      return NULL;
    }
    obj_tostring(L, o);
    gc_check(L);
    o = index2value(L, idx);
  }
  if (len) *len = vslen(o);
  return svalue(o);
}

lua_Unsigned lua_rawlen(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  switch (o->tt) {
    case TAG_SHRSTR: case TAG_LNGSTR: return vslen(o);
    case TAG_UDATA: return uvalue(o)->len;
    case TAG_TABLE: return tab_getn(hvalue(o));
    default: return 0;
  }
}

lua_CFunction lua_tocfunction(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  if (ttislcf(o)) return fvalue(o);
  if (ttisCclosure(o)) return clCvalue(o)->f;
  return NULL;
}

static void *touserdata(const TValue *o) {
  switch (o->tt) {
    case TAG_UDATA: return udatamem(uvalue(o));
    case TAG_LIGHTUD: return pvalue(o);
    default: return NULL;
  }
}

void *lua_touserdata(lua_State *L, int idx) { return touserdata(index2value(L, idx)); }

lua_State *lua_tothread(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  return ttisthread(o) ? thvalue(o) : NULL;
}

const void *lua_topointer(lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  switch (o->tt) {
    case TAG_LCF: return (const void *)(uintptr_t)fvalue(o);
    case TAG_UDATA: case TAG_LIGHTUD: return touserdata(o);
    default:
      return iscollectable(o) ? (const void *)gcvalue(o) : NULL;
  }
}

/* -- Push -- */

void lua_pushnil(lua_State *L) {
  setnilvalue(L->top);
  api_incr_top(L);
}

void lua_pushnumber(lua_State *L, lua_Number n) {
  setfltvalue(L->top, n);
  api_incr_top(L);
}

void lua_pushinteger(lua_State *L, lua_Integer n) {
  setivalue(L->top, n);
  api_incr_top(L);
}

const char *lua_pushlstring(lua_State *L, const char *s, size_t len) {
  TString *ts = (len == 0) ? str_new(L, "") : str_newlstr(L, s, len);
  setsvalue(L->top, ts);
  api_incr_top(L);
  gc_check(L);
  return getstr(ts);
}

const char *lua_pushstring(lua_State *L, const char *s) {
  if (s == NULL) {
    setnilvalue(L->top);
    api_incr_top(L);
    return NULL;
  }
  TString *ts = str_new(L, s);
  setsvalue(L->top, ts);
  api_incr_top(L);
  gc_check(L);
  return getstr(ts);
}

const char *lua_pushvfstring(lua_State *L, const char *fmt, va_list argp) {
  const char *ret = obj_pushvfstring(L, fmt, argp);
  gc_check(L);
  return ret;
}

const char *lua_pushfstring(lua_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  const char *ret = obj_pushvfstring(L, fmt, argp);
  va_end(argp);
  gc_check(L);
  return ret;
}

void lua_pushcclosure(lua_State *L, lua_CFunction fn, int n) {
  if (n == 0) {
    setfvalue(L->top, fn);
    api_incr_top(L);
  } else {
    CClosure *cl = func_newCclosure(L, n);
    cl->f = fn;
    L->top -= n;
    while (n--) setobj(&cl->upvalue[n], L->top + n);
    setclCvalue(L->top, cl);
    api_incr_top(L);
    gc_check(L);
  }
}

void lua_pushboolean(lua_State *L, int b) {
  setbvalue(L->top, b);
  api_incr_top(L);
}

void lua_pushlightuserdata(lua_State *L, void *p) {
  setpvalue(L->top, p);
  api_incr_top(L);
}

int lua_pushthread(lua_State *L) {
  setthvalue(L->top, L);
  api_incr_top(L);
  return G(L)->mainthread == L;
}

/* -- Get -- */

static int auxgetstr(lua_State *L, const TValue *t, const char *k) {
  TString *str = str_new(L, k);
  setsvalue(L->top, str);
  api_incr_top(L);
  vm_gettable(L, t, L->top - 1, L->top - 1);
  return ttype(L->top - 1);
}

static const TValue *getglobaltable(lua_State *L) {
  Table *reg = hvalue(&G(L)->l_registry);
  return tab_getint(reg, LUA_RIDX_GLOBALS);
}

int lua_getglobal(lua_State *L, const char *name) {
  TValue gt;
  setobj(&gt, getglobaltable(L));
  return auxgetstr(L, &gt, name);
}

int lua_gettable(lua_State *L, int idx) {
  TValue t;
  setobj(&t, index2value(L, idx));
  vm_gettable(L, &t, L->top - 1, L->top - 1);
  return ttype(L->top - 1);
}

int lua_getfield(lua_State *L, int idx, const char *k) {
  TValue t;
  setobj(&t, index2value(L, idx));
  return auxgetstr(L, &t, k);
}

int lua_geti(lua_State *L, int idx, lua_Integer n) {
  TValue t;
  setobj(&t, index2value(L, idx));
  if (ttistable(&t)) {
    const TValue *slot = tab_getint(hvalue(&t), n);
    if (!ttisnil(slot)) {
      setobj(L->top, slot);
      api_incr_top(L);
      return ttype(L->top - 1);
    }
  }
  setivalue(L->top, n);
  api_incr_top(L);
  vm_gettable(L, &t, L->top - 1, L->top - 1);
  return ttype(L->top - 1);
}

static int finishrawget(lua_State *L, const TValue *val) {
  if (ttisnil(val)) setnilvalue(L->top);
  else setobj(L->top, val);
  api_incr_top(L);
  return ttype(L->top - 1);
}

static Table *gettable(lua_State *L, int idx) {
  TValue *t = index2value(L, idx);
  if (!ttistable(t)) dbg_runerror(L, "table expected");
  return hvalue(t);
}

int lua_rawget(lua_State *L, int idx) {
  Table *t = gettable(L, idx);
  const TValue *val = tab_get(t, L->top - 1);
  L->top--;
  return finishrawget(L, val);
}

int lua_rawgeti(lua_State *L, int idx, lua_Integer n) {
  Table *t = gettable(L, idx);
  return finishrawget(L, tab_getint(t, n));
}

int lua_rawgetp(lua_State *L, int idx, const void *p) {
  Table *t = gettable(L, idx);
  TValue k;
  setpvalue(&k, (void *)p);
  return finishrawget(L, tab_get(t, &k));
}

void lua_createtable(lua_State *L, int narray, int nrec) {
  Table *t = tab_new(L);
  sethvalue(L->top, t);
  api_incr_top(L);
  if (narray > 0 || nrec > 0) tab_resize(L, t, (unsigned int)(narray > 0 ? narray : 0),
                                         (unsigned int)(nrec > 0 ? nrec : 0));
  gc_check(L);
}

int lua_getmetatable(lua_State *L, int objindex) {
  const TValue *obj = index2value(L, objindex);
  Table *mt;
  switch (obj->tt) {
    case TAG_TABLE: mt = hvalue(obj)->metatable; break;
    case TAG_UDATA: mt = uvalue(obj)->metatable; break;
    default: mt = G(L)->mt[ttype(obj)]; break;
  }
  if (mt == NULL) return 0;
  sethvalue(L->top, mt);
  api_incr_top(L);
  return 1;
}

int lua_getiuservalue(lua_State *L, int idx, int n) {
  TValue *o = index2value(L, idx);
  int t;
  if (!ttisfulluserdata(o) || n <= 0 || n > uvalue(o)->nuvalue) {
    setnilvalue(L->top);
    t = LUA_TNONE;
  } else {
    setobj(L->top, &uvalue(o)->uv[n - 1]);
    t = ttype(L->top);
  }
  api_incr_top(L);
  return t;
}

void *lua_newuserdatauv(lua_State *L, size_t size, int nuvalue) {
  Udata *u = str_newudata(L, size, nuvalue);
  setuvalue(L->top, u);
  api_incr_top(L);
  gc_check(L);
  return udatamem(u);
}

/* -- Set -- */

static void auxsetstr(lua_State *L, const TValue *t, const char *k) {
  TString *str = str_new(L, k);
  setsvalue(L->top, str);
  api_incr_top(L);
  vm_settable(L, t, L->top - 1, L->top - 2);
  L->top -= 2;
}

void lua_setglobal(lua_State *L, const char *name) {
  TValue gt;
  setobj(&gt, getglobaltable(L));
  auxsetstr(L, &gt, name);
}

void lua_settable(lua_State *L, int idx) {
  TValue t;
  setobj(&t, index2value(L, idx));
  vm_settable(L, &t, L->top - 2, L->top - 1);
  L->top -= 2;
}

void lua_setfield(lua_State *L, int idx, const char *k) {
  TValue t;
  setobj(&t, index2value(L, idx));
  auxsetstr(L, &t, k);
}

void lua_seti(lua_State *L, int idx, lua_Integer n) {
  TValue t;
  setobj(&t, index2value(L, idx));
  setivalue(L->top, n);
  api_incr_top(L);
  vm_settable(L, &t, L->top - 1, L->top - 2);
  L->top -= 2;
}

void lua_rawset(lua_State *L, int idx) {
  Table *t = gettable(L, idx);
  tab_set(L, t, L->top - 2, L->top - 1);
  L->top -= 2;
}

void lua_rawseti(lua_State *L, int idx, lua_Integer n) {
  Table *t = gettable(L, idx);
  tab_setint(L, t, n, L->top - 1);
  L->top--;
}

void lua_rawsetp(lua_State *L, int idx, const void *p) {
  Table *t = gettable(L, idx);
  TValue k;
  setpvalue(&k, (void *)p);
  tab_set(L, t, &k, L->top - 1);
  L->top--;
}

int lua_setmetatable(lua_State *L, int objindex) {
  TValue *obj = index2value(L, objindex);
  Table *mt = ttisnil(L->top - 1) ? NULL : hvalue(L->top - 1);
  switch (obj->tt) {
    case TAG_TABLE:
      hvalue(obj)->metatable = mt;
      gc_checkfinalizer(L, gcvalue(obj), mt);
      break;
    case TAG_UDATA:
      uvalue(obj)->metatable = mt;
      gc_checkfinalizer(L, gcvalue(obj), mt);
      break;
    default:
      G(L)->mt[ttype(obj)] = mt;
      break;
  }
  L->top--;
  return 1;
}

int lua_setiuservalue(lua_State *L, int idx, int n) {
  TValue *o = index2value(L, idx);
  int res;
  if (!ttisfulluserdata(o) || n <= 0 || n > uvalue(o)->nuvalue) {
    res = 0;
  } else {
    setobj(&uvalue(o)->uv[n - 1], L->top - 1);
    res = 1;
  }
  L->top--;
  return res;
}

/* -- Calls -- */

void lua_callk(lua_State *L, int nargs, int nresults, lua_KContext ctx, lua_KFunction k) {
  StkId func = L->top - (nargs + 1);
  if (k != NULL && coro_yieldable(L)) {
    /* a yield inside resumes in k (coro.c) */
    CallInfo *ci = L->ci;
    ci->k = k;
    ci->ctx = ctx;
    do_call(L, func, nresults);
  } else {
    /* without a continuation the called code cannot yield (as in lua5.4) */
    do_callnoyield(L, func, nresults);
  }
  adjustresults(L, nresults);
}

struct CallS {
  StkId func;
  int nresults;
};

static void f_call(lua_State *L, void *ud) {
  struct CallS *c = (struct CallS *)ud;
  do_call(L, c->func, c->nresults);
}

int lua_pcallk(lua_State *L, int nargs, int nresults, int errfunc, lua_KContext ctx,
               lua_KFunction k) {
  ptrdiff_t func = 0;
  if (errfunc != 0) func = savestack(L, index2stack(L, errfunc));
  struct CallS c;
  c.func = L->top - (nargs + 1);
  c.nresults = nresults;
  int status;
  if (k == NULL || !coro_yieldable(L)) {
    L->nny++;
    status = do_pcall(L, f_call, &c, savestack(L, c.func), func);
    L->nny--;
  } else {
    /* Inside a coroutine that can yield: no setjmp here.  The resume's
     * protected call catches errors and finishes this pcall from its
     * frame (coro.c: precover), a yield resumes in k. */
    CallInfo *ci = L->ci;
    ci->k = k;
    ci->ctx = ctx;
    ci->funcidx = savestack(L, c.func);
    ci->old_errfunc = L->errfunc;
    ci->recst = LUA_OK;
    L->errfunc = func;
    ci->callstatus |= CIST_YPCALL;
    do_call(L, c.func, nresults);
    ci->callstatus &= (unsigned short)~CIST_YPCALL;
    L->errfunc = ci->old_errfunc;
    status = LUA_OK;
  }
  adjustresults(L, nresults);
  return status;
}

int lua_load(lua_State *L, lua_Reader reader, void *data, const char *chunkname, const char *mode) {
  ZIO z;
  if (!chunkname) chunkname = "?";
  zio_init(L, &z, reader, data);
  int status = parse_protected(L, &z, chunkname, mode);
  if (status == LUA_OK) {
    LClosure *f = clLvalue(L->top - 1);
    if (f->nupvalues >= 1) setobj(f->upvals[0]->v, getglobaltable(L));
  }
  gc_check(L);
  return status;
}

/* -- Miscellaneous -- */

int lua_error(lua_State *L) {
  TValue *errobj = L->top - 1;
  if (ttisshrstring(errobj) && tsvalue(errobj) == G(L)->memerrmsg) do_throw(L, LUA_ERRMEM);
  dbg_errormsg(L);
}

int lua_next(lua_State *L, int idx) {
  Table *t = gettable(L, idx);
  int more = tab_next(L, t, L->top - 1);
  if (more) api_incr_top(L);
  else L->top -= 1;
  return more;
}

void lua_concat(lua_State *L, int n) {
  if (n > 0) {
    vm_concat(L, n);
  } else {
    setsvalue(L->top, str_new(L, ""));
    api_incr_top(L);
  }
  gc_check(L);
}

void lua_len(lua_State *L, int idx) {
  TValue t;
  setobj(&t, index2value(L, idx));
  vm_objlen(L, L->top, &t);
  api_incr_top(L);
}

int lua_gc(lua_State *L, int what, ...) {
  global_State *g = G(L);
  va_list argp;
  int res = 0;
  if (g->gcinfin > 0) return -1; /* inside a finalizer, as lua5.4 */
  va_start(argp, what);
  switch (what) {
    case LUA_GCSTOP:
      g->gcrunning_user = 0;
      break;
    case LUA_GCRESTART:
      g->gcrunning_user = 1;
      break;
    case LUA_GCCOLLECT:
      gc_fullgc(L);
      break;
    case LUA_GCCOUNT:
      res = (int)(g->totalbytes >> 10);
      break;
    case LUA_GCCOUNTB:
      res = (int)(g->totalbytes & 0x3ff);
      break;
    case LUA_GCSTEP: {
      int data = va_arg(argp, int);
      (void)data;
      gc_fullgc(L);
      res = 1;
      break;
    }
    case LUA_GCSETPAUSE: { /* lua5.4 keeps a quarter: 150 reads back as 148 */
      int data = va_arg(argp, int);
      res = g->gcpause;
      g->gcpause = data / 4 * 4;
      break;
    }
    case LUA_GCSETSTEPMUL: {
      int data = va_arg(argp, int);
      res = g->gcstepmul;
      g->gcstepmul = data / 4 * 4;
      break;
    }
    case LUA_GCISRUNNING:
      res = g->gcrunning_user;
      break;
    case LUA_GCGEN: /* minor and major multipliers: no generations here */
      res = g->gcgenmode ? LUA_GCGEN : LUA_GCINC;
      g->gcgenmode = true;
      break;
    case LUA_GCINC: { /* pause, step multiplier, step size; 0 keeps one */
      int pause = va_arg(argp, int);
      int stepmul = va_arg(argp, int);
      res = g->gcgenmode ? LUA_GCGEN : LUA_GCINC;
      if (pause != 0) g->gcpause = pause / 4 * 4;
      if (stepmul != 0) g->gcstepmul = stepmul / 4 * 4;
      g->gcgenmode = false;
      break;
    }
    default:
      res = -1;
  }
  va_end(argp);
  return res;
}

/* -- Warnings -- */

enum { WARN_OFF, WARN_ON, WARN_CONT };

void lua_warning(lua_State *L, const char *msg, int tocont) {
  global_State *g = G(L);
  if (g->warnstate != WARN_CONT && !tocont && msg[0] == '@') { /* control */
    if (strcmp(msg + 1, "off") == 0) g->warnstate = WARN_OFF;
    else if (strcmp(msg + 1, "on") == 0) g->warnstate = WARN_ON;
    return; /* other control messages are ignored */
  }
  if (g->warnstate == WARN_OFF) return;
  if (g->warnstate == WARN_ON) fputs("Lua warning: ", stderr);
  fputs(msg, stderr);
  if (tocont) {
    g->warnstate = WARN_CONT;
  } else {
    fputs("\n", stderr);
    fflush(stderr);
    g->warnstate = WARN_ON;
  }
}

/* -- Upvalues (debug library) -- */

/* Upvalue n (1-based) of the function at 'fi': its value slot and name
 * ("" for C functions, "(no name)" for a stripped Lua function), or NULL. */
static const char *aux_upvalue(TValue *fi, int n, TValue **val, UpVal **owner) {
  if (ttisCclosure(fi)) {
    CClosure *f = clCvalue(fi);
    if (n < 1 || n > f->nupvalues) return NULL;
    *val = &f->upvalue[n - 1];
    if (owner) *owner = NULL;
    return "";
  }
  if (ttisLclosure(fi)) {
    LClosure *f = clLvalue(fi);
    Proto *p = f->p;
    if (n < 1 || n > p->sizeupvalues || n > f->nupvalues || f->upvals[n - 1] == NULL)
      return NULL;
    *val = f->upvals[n - 1]->v;
    if (owner) *owner = f->upvals[n - 1];
    TString *name = p->upvalues[n - 1].name;
    return name == NULL ? "(no name)" : getstr(name);
  }
  return NULL;
}

const char *lua_getupvalue(lua_State *L, int funcindex, int n) {
  TValue *val = NULL;
  const char *name = aux_upvalue(index2value(L, funcindex), n, &val, NULL);
  if (name) {
    setobj(L->top, val);
    api_incr_top(L);
  }
  return name;
}

const char *lua_setupvalue(lua_State *L, int funcindex, int n) {
  TValue *val = NULL;
  TValue *fi = index2value(L, funcindex);
  const char *name = aux_upvalue(fi, n, &val, NULL);
  if (name) {
    L->top--;
    setobj(val, L->top);
  }
  return name;
}

void *lua_upvalueid(lua_State *L, int fidx, int n) {
  TValue *fi = index2value(L, fidx);
  if (ttisLclosure(fi)) {
    LClosure *f = clLvalue(fi);
    if (n >= 1 && n <= f->nupvalues) return f->upvals[n - 1];
    return NULL;
  }
  if (ttisCclosure(fi)) {
    CClosure *f = clCvalue(fi);
    if (n >= 1 && n <= f->nupvalues) return &f->upvalue[n - 1];
  }
  return NULL;
}

void lua_upvaluejoin(lua_State *L, int fidx1, int n1, int fidx2, int n2) {
  LClosure *f1 = clLvalue(index2value(L, fidx1));
  LClosure *f2 = clLvalue(index2value(L, fidx2));
  f1->upvals[n1 - 1] = f2->upvals[n2 - 1];
}
