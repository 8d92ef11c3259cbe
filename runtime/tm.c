/* tm.c -- metamethod lookup and calls ("tag methods").
 *
 * Metatables of tables and full userdata are per object; every other type
 * has one shared metatable in g->mt.  Absent events among the first eight
 * are cached as bits in Table.flags (cleared whenever the table gets a new
 * key), so the common "no __index / __newindex / __eq" case costs one test.
 */
#include "core.h"

const char *const tm_typenames[LUA_NUMTYPES + 2] = {
    "no value", "nil", "boolean", "userdata", "number", "string",
    "table", "function", "userdata", "thread", "upvalue"};

static const char *const tm_eventnames[TM_N] = {
    "__index", "__newindex", "__gc", "__mode", "__len", "__eq",
    "__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv",
    "__band", "__bor", "__bxor", "__shl", "__shr", "__unm", "__bnot",
    "__lt", "__le", "__concat", "__call", "__close"};

void tm_init(lua_State *L) {
  global_State *g = G(L);
  for (int i = 0; i < TM_N; i++) {
    g->tmname[i] = str_new(L, tm_eventnames[i]);
  }
}

const TValue *tm_fasttm(lua_State *L, Table *mt, TMS event) {
  const TValue *tm = tab_getshortstr(mt, G(L)->tmname[event]);
  if (ttisnil(tm)) {
    if (event < 8) mt->flags |= (uint8_t)(1u << event);
    return NULL;
  }
  return tm;
}

static Table *getmetatable(lua_State *L, const TValue *o) {
  switch (o->tt) {
    case TAG_TABLE: return hvalue(o)->metatable;
    case TAG_UDATA: return uvalue(o)->metatable;
    default: return G(L)->mt[ttype(o)];
  }
}

/* Never NULL: an absent metamethod is a nil-typed value. */
const TValue *tm_gettmbyobj(lua_State *L, const TValue *o, TMS event) {
  Table *mt = getmetatable(L, o);
  if (mt == NULL) return &abstkey_value;
  return tab_getshortstr(mt, G(L)->tmname[event]);
}

const char *tm_objtypename(lua_State *L, const TValue *o) {
  Table *mt;
  if ((ttistable(o) && (mt = hvalue(o)->metatable) != NULL) ||
      (ttisfulluserdata(o) && (mt = uvalue(o)->metatable) != NULL)) {
    const TValue *name = tab_getshortstr(mt, str_newliteral(L, "__name"));
    if (ttisstring(name)) return getstr(tsvalue(name));
  }
  return ttypename(ttype(o));
}

void tm_callTM(lua_State *L, const TValue *f, const TValue *p1, const TValue *p2,
               const TValue *p3) {
  StkId func = L->top;
  setobj(func, f);
  setobj(func + 1, p1);
  setobj(func + 2, p2);
  setobj(func + 3, p3);
  L->top = func + 4;
  /* a metamethod can yield when Lua code called it (vm_finishop completes
   * the instruction), not when C code did */
  if (isLua(L->ci)) do_call(L, func, 0);
  else do_callnoyield(L, func, 0);
}

void tm_callTMres(lua_State *L, const TValue *f, const TValue *p1, const TValue *p2,
                  StkId res) {
  ptrdiff_t result = savestack(L, res);
  StkId func = L->top;
  setobj(func, f);
  setobj(func + 1, p1);
  setobj(func + 2, p2);
  L->top = func + 3;
  if (isLua(L->ci)) do_call(L, func, 1);
  else do_callnoyield(L, func, 1);
  res = restorestack(L, result);
  setobj(res, --L->top);
}

static bool callbinTM(lua_State *L, const TValue *p1, const TValue *p2, StkId res, TMS event) {
  const TValue *tm = tm_gettmbyobj(L, p1, event);
  if (ttisnil(tm)) tm = tm_gettmbyobj(L, p2, event);
  if (ttisnil(tm)) return false;
  tm_callTMres(L, tm, p1, p2, res);
  return true;
}

void tm_trybinTM(lua_State *L, const TValue *p1, const TValue *p2, StkId res, TMS event) {
  if (l_unlikely(!callbinTM(L, p1, p2, res, event))) {
    switch (event) {
      case TM_BAND: case TM_BOR: case TM_BXOR:
      case TM_SHL: case TM_SHR: case TM_BNOT: {
        if (ttisnumber(p1) && ttisnumber(p2)) dbg_tointerror(L, p1, p2);
        dbg_opinterror(L, p1, p2, "perform bitwise operation on");
      }
      case TM_CONCAT:
        dbg_concaterror(L, p1, p2);
      default:
        dbg_opinterror(L, p1, p2, "perform arithmetic on");
    }
  }
}

bool tm_callorderTM(lua_State *L, const TValue *p1, const TValue *p2, TMS event) {
  if (callbinTM(L, p1, p2, L->top, event)) return !l_isfalse(L->top);
  /* lua5.4 (5.3 compatibility): without __le, a <= b is not (b < a) */
  if (event == TM_LE) {
    /* marked so that a yield inside __lt still negates (vm_finishop) */
    CallInfo *ci = L->ci;
    if (isLua(ci)) ci->callstatus |= CIST_LEQ;
    bool found = callbinTM(L, p2, p1, L->top, TM_LT);
    ci->callstatus &= (unsigned short)~CIST_LEQ;
    if (found) return l_isfalse(L->top);
  }
  dbg_ordererror(L, p1, p2);
}
