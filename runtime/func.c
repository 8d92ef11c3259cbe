/* func.c -- prototypes, closures, upvalues and to-be-closed variables.
 *
 * Open upvalues point into a thread's stack and sit on L->openupval,
 * sorted from the highest stack level down, so closing a frame pops a
 * prefix of the list.  A closed upvalue owns its value (uv->v == &uv->u.value).
 *
 * To-be-closed variables are recorded as stack offsets in L->tbc (innermost
 * last); func_close() calls their __close metamethods in reverse order.
 */
#include "core.h"
#include "trace/trace.h"

Proto *func_newproto(lua_State *L) {
  Proto *f = (Proto *)gc_newobj(L, TAG_PROTO, sizeof(Proto));
  memset((char *)f + offsetof(Proto, numparams), 0, sizeof(Proto) - offsetof(Proto, numparams));
  f->hotcall = G(L)->hotcall_init;
  return f;
}

void func_freeproto(lua_State *L, Proto *f) {
  jit_freeproto(L, f);
  vm_qfree(L, f);
  mem_freearray(L, f->code, f->sizecode);
  mem_freearray(L, f->p, f->sizep);
  mem_freearray(L, f->k, f->sizek);
  mem_freearray(L, f->lineinfo, f->sizelineinfo);
  mem_freearray(L, f->locvars, f->sizelocvars);
  mem_freearray(L, f->upvalues, f->sizeupvalues);
  mem_free(L, f, sizeof(Proto));
}

LClosure *func_newLclosure(lua_State *L, int n) {
  LClosure *c = (LClosure *)gc_newobj(L, TAG_LCL, sizeLclosure(n));
  c->p = NULL;
  c->nupvalues = (uint8_t)n;
  c->gclist = NULL;
  for (int i = 0; i < n; i++) c->upvals[i] = NULL;
  return c;
}

CClosure *func_newCclosure(lua_State *L, int n) {
  CClosure *c = (CClosure *)gc_newobj(L, TAG_CCL, sizeCclosure(n));
  c->nupvalues = (uint8_t)n;
  c->gclist = NULL;
  c->f = NULL;
  return c;
}

void func_initupvals(lua_State *L, LClosure *cl) {
  for (int i = 0; i < cl->nupvalues; i++) {
    UpVal *uv = (UpVal *)gc_newobj(L, TAG_UPVAL, sizeof(UpVal));
    uv->v = &uv->u.value;
    setnilvalue(uv->v);
    cl->upvals[i] = uv;
  }
}

UpVal *func_findupval(lua_State *L, StkId level) {
  UpVal **pp = &L->openupval;
  UpVal *p;
  while ((p = *pp) != NULL && p->v >= level) {
    if (p->v == level) return p;
    pp = &p->u.open.next;
  }
  UpVal *uv = (UpVal *)gc_newobj(L, TAG_UPVAL, sizeof(UpVal));
  uv->v = level;
  uv->u.open.next = p;
  *pp = uv;
  return uv;
}

void func_closeupval(lua_State *L, StkId level) {
  UpVal *uv;
  while ((uv = L->openupval) != NULL && uv->v >= level) {
    L->openupval = uv->u.open.next;
    setobj(&uv->u.value, uv->v);
    uv->v = &uv->u.value;
  }
}

/* -- To-be-closed variables -- */

void func_newtbcupval(lua_State *L, StkId obj) {
  if (l_isfalse(obj)) return; /* false and nil need no closing */
  const TValue *tm = tm_gettmbyobj(L, obj, TM_CLOSE);
  if (tm == NULL || ttisnil(tm)) {
    int idx = cast_int(obj - L->ci->func);
    const char *vname = dbg_getlocal(L, L->ci, idx, NULL);
    if (vname == NULL) vname = "?";
    dbg_runerror(L, "variable '%s' got a non-closable value", vname);
  }
  if (L->ntbc >= L->sizetbc) {
    int ns = L->sizetbc ? L->sizetbc * 2 : 8;
    L->tbc = mem_realloc(L, L->tbc, (size_t)L->sizetbc * sizeof(ptrdiff_t),
                         (size_t)ns * sizeof(ptrdiff_t));
    L->sizetbc = ns;
  }
  L->tbc[L->ntbc++] = savestack(L, obj);
}

static void calltbc(lua_State *L, StkId obj, TValue *err, bool yieldable) {
  const TValue *tm = tm_gettmbyobj(L, obj, TM_CLOSE);
  StkId top = L->top;
  setobj(top, tm ? tm : &abstkey_value);
  setobj(top + 1, obj);
  setobj(top + 2, err);
  L->top = top + 3;
  if (tm == NULL || ttisnil(tm)) setnilvalue(top);
  if (yieldable) do_call(L, top, 0);
  else do_callnoyield(L, top, 0);
}

/* Close upvalues and to-be-closed variables at or above 'level'.
 * status: LUA_OK for a normal exit, -1 for a normal exit from a 'close'
 * instruction, or an error code (the error object is at L->top - 1).
 * Returns the (possibly moved) level. */
static StkId closeall(lua_State *L, StkId level, int status, bool yy);

StkId func_close(lua_State *L, StkId level, int status) {
  /* a yield inside is resumed by repeating the CLOSE/RETURN instruction
   * (vm_finishop), so only a Lua frame's handlers can yield */
  return closeall(L, level, status, (status == LUA_OK || status == -1) && isLua(L->ci));
}

/* For a yieldable pcall that caught an error (coro.c: finishpcallk): the
 * handlers may yield, and the resume finishes that pcall again, closing
 * the variables left with the error object still on top (as lua5.4). */
StkId func_closeyield(lua_State *L, StkId level, int status) {
  return closeall(L, level, status, true);
}

static StkId closeall(lua_State *L, StkId level, int status, bool yy) {
  ptrdiff_t levelrel = savestack(L, level);
  func_closeupval(L, level);
  while (L->ntbc > 0 && L->tbc[L->ntbc - 1] >= levelrel) {
    StkId tbc = restorestack(L, L->tbc[--L->ntbc]);
    TValue err;
    if (status == LUA_OK || status == -1) {
      setnilvalue(&err);
    } else {
      setobj(&err, L->top - 1);
    }
    checkstackGC(L, 4);
    tbc = restorestack(L, L->tbc[L->ntbc]);
    calltbc(L, tbc, &err, yy);
    level = restorestack(L, levelrel);
  }
  return restorestack(L, levelrel);
}

const char *func_getlocalname(const Proto *f, int local_number, int pc) {
  for (int i = 0; i < f->sizelocvars && f->locvars[i].startpc <= pc; i++) {
    if (pc < f->locvars[i].endpc) {
      local_number--;
      if (local_number == 0) return getstr(f->locvars[i].varname);
    }
  }
  return NULL;
}
