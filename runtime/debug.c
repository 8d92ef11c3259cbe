/* debug.c -- runtime error messages, variable names, tracebacks.
 *
 * Messages name the offending variable the way lua5.4 does ("global 'x'",
 * "local 't'", "field 'y'", "method 'foo'", "upvalue 'u'", "constant 's'").
 * The name is recovered from the bytecode: a register is either an active
 * local (Proto.locvars) or was last written by some instruction before the
 * current pc; a linear scan finds that instruction (ignoring writes inside
 * code that a forward jump may skip) and its operands give the name.
 */
#include <stdarg.h>

#include "core.h"
#include "trace/trace.h"

/* -- Lines -- */

int dbg_getfuncline(const Proto *p, int pc) {
  if (p->lineinfo == NULL || pc < 0 || pc >= p->sizelineinfo) return -1;
  return p->lineinfo[pc];
}

static int currentpc(CallInfo *ci) { return (int)(ci->savedpc - ci_func(ci)->p->code) - 1; }

int dbg_currentline(CallInfo *ci) { return dbg_getfuncline(ci_func(ci)->p, currentpc(ci)); }

/* -- Symbolic execution -- */

static bool setsA(OpCode op) {
  switch (op) {
    case OP_SETUPVAL: case OP_SETTABUP: case OP_SETTABLE: case OP_SETI: case OP_SETFIELD:
    case OP_CLOSE: case OP_TBC: case OP_JMP: case OP_EQ: case OP_LT: case OP_LE: case OP_EQK:
    case OP_EQI: case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI: case OP_TEST:
    case OP_RETURN: case OP_RETURN0: case OP_RETURN1: case OP_TFORPREP: case OP_TFORCALL:
    case OP_SETLIST: case OP_VARARGPREP: case OP_EXTRAARG:
      return false;
    default:
      return true;
  }
}

static int findsetreg(const Proto *p, int lastpc, int reg) {
  int setreg = -1;
  int jmptarget = 0;
  for (int pc = 0; pc < lastpc; pc++) {
    Instruction i = p->code[pc];
    OpCode op = GET_OPCODE(i);
    int a = GETARG_A(i);
    int change;
    switch (op) {
      case OP_LOADNIL:
        change = (a <= reg && reg <= a + GETARG_B(i));
        break;
      case OP_TFORCALL:
        change = (reg >= a + 2);
        break;
      case OP_CALL:
      case OP_TAILCALL:
        change = (reg >= a);
        break;
      case OP_JMP: {
        int dest = pc + 1 + GETARG_sJ(i);
        if (dest <= lastpc && dest > jmptarget) jmptarget = dest;
        change = 0;
        break;
      }
      case OP_LOADKX:
      case OP_SETLIST:
        change = (op == OP_LOADKX && reg == a);
        break;
      default:
        change = setsA(op) && reg == a;
        break;
    }
    if (change) setreg = (pc < jmptarget) ? -1 : pc;
    if (op == OP_LOADKX || op == OP_SETLIST) pc++; /* skip EXTRAARG (after: setreg is the LOADKX) */
  }
  return setreg;
}

static const char *upvalname(const Proto *p, int uv) {
  if (uv >= p->sizeupvalues || p->upvalues[uv].name == NULL) return "?";
  return getstr(p->upvalues[uv].name);
}

static void kname(const Proto *p, int c, const char **name) {
  const TValue *kv = &p->k[c];
  *name = ttisstring(kv) ? svalue(kv) : "?";
}

static const char *getobjname(const Proto *p, int lastpc, int reg, const char **name);

static void rname(const Proto *p, int pc, int c, const char **name) {
  const char *what = getobjname(p, pc, c, name);
  if (!(what && *what == 'c')) *name = "?";
}

static const char *gxf(const Proto *p, int pc, Instruction i, int isup) {
  int t = GETARG_B(i);
  const char *name;
  if (isup) name = upvalname(p, t);
  else getobjname(p, pc, t, &name);
  return (name && strcmp(name, "_ENV") == 0) ? "global" : "field";
}

static const char *getobjname(const Proto *p, int lastpc, int reg, const char **name) {
  *name = func_getlocalname(p, reg + 1, lastpc);
  if (*name) return "local";
  int pc = findsetreg(p, lastpc, reg);
  if (pc == -1) return NULL;
  Instruction i = p->code[pc];
  switch (GET_OPCODE(i)) {
    case OP_MOVE: {
      int b = GETARG_B(i);
      if (b < GETARG_A(i)) return getobjname(p, pc, b, name);
      break;
    }
    case OP_GETTABUP:
      kname(p, GETARG_C(i), name);
      return gxf(p, pc, i, 1);
    case OP_GETTABLE:
      rname(p, pc, GETARG_C(i), name);
      /* code_self's form for a method name beyond SELF's constant range:
       * key in A, object copied to A + 1 (no other code indexes that way) */
      if (GETARG_B(i) == GETARG_A(i) + 1 && GETARG_C(i) == GETARG_A(i)) return "method";
      return gxf(p, pc, i, 0);
    case OP_GETI:
      *name = "integer index";
      return "field";
    case OP_GETFIELD:
      kname(p, GETARG_C(i), name);
      return gxf(p, pc, i, 0);
    case OP_GETUPVAL:
      *name = upvalname(p, GETARG_B(i));
      return "upvalue";
    case OP_LOADK:
    case OP_LOADKX: {
      int b = (GET_OPCODE(i) == OP_LOADK) ? GETARG_Bx(i) : GETARG_Ax(p->code[pc + 1]);
      if (ttisstring(&p->k[b])) {
        *name = svalue(&p->k[b]);
        return "constant";
      }
      break;
    }
    case OP_SELF:
      kname(p, GETARG_C(i), name);
      return "method";
    default:
      break;
  }
  return NULL;
}

/* -- Function names for messages and tracebacks -- */

static const char *funcnamefromcode(lua_State *L, const Proto *p, int pc, const char **name) {
  (void)L;
  Instruction i = p->code[pc];
  const char *tm;
  switch (GET_OPCODE(i)) {
    case OP_CALL:
    case OP_TAILCALL:
      return getobjname(p, pc, GETARG_A(i), name);
    case OP_TFORCALL:
      *name = "for iterator";
      return "for iterator";
    case OP_SELF: case OP_GETTABUP: case OP_GETTABLE: case OP_GETI: case OP_GETFIELD:
      tm = "index";
      break;
    case OP_SETTABUP: case OP_SETTABLE: case OP_SETI: case OP_SETFIELD:
      tm = "newindex";
      break;
    case OP_ADD: case OP_ADDK: case OP_ADDI: case OP_ADDKL: tm = "add"; break;
    case OP_SUB: case OP_SUBK: case OP_SUBI: tm = "sub"; break;
    case OP_MUL: case OP_MULK: case OP_MULKL: tm = "mul"; break;
    case OP_MOD: case OP_MODK: tm = "mod"; break;
    case OP_POW: case OP_POWK: tm = "pow"; break;
    case OP_DIV: case OP_DIVK: tm = "div"; break;
    case OP_IDIV: case OP_IDIVK: tm = "idiv"; break;
    case OP_BAND: case OP_BANDK: tm = "band"; break;
    case OP_BOR: case OP_BORK: tm = "bor"; break;
    case OP_BXOR: case OP_BXORK: tm = "bxor"; break;
    case OP_SHL: case OP_SHLK: tm = "shl"; break;
    case OP_SHR: case OP_SHRK: tm = "shr"; break;
    case OP_UNM: tm = "unm"; break;
    case OP_BNOT: tm = "bnot"; break;
    case OP_LEN: tm = "len"; break;
    case OP_CONCAT: tm = "concat"; break;
    case OP_EQ: case OP_EQK: case OP_EQI: tm = "eq"; break;
    case OP_LT: case OP_LTI: case OP_GTI: tm = "lt"; break;
    case OP_LE: case OP_LEI: case OP_GEI: tm = "le"; break;
    case OP_CLOSE: case OP_RETURN: case OP_RETURN0: case OP_RETURN1: tm = "close"; break;
    default:
      return NULL;
  }
  *name = tm;
  return "metamethod";
}

/* Name of the function running in 'ci', from its caller's code; returns
 * the kind ("global", "local", "method", "field", "upvalue", ...) or NULL. */
const char *dbg_funcname(lua_State *L, CallInfo *ci, const char **name) {
  if (ci == NULL || (ci->callstatus & CIST_TAIL)) return NULL;
  CallInfo *prev = ci->previous;
  if (prev != NULL && (prev->callstatus & CIST_HOOKED)) {
    *name = "?";
    return "hook";
  }
  if (prev != NULL && (prev->callstatus & CIST_FIN)) { /* called by gc_runpending */
    *name = "__gc";
    return "metamethod";
  }
  if (prev == NULL || !isLua(prev)) return NULL;
  const Proto *p = ci_func(prev)->p;
  return funcnamefromcode(L, p, currentpc(prev), name);
}

/* -- Variable info for messages -- */

static const char *getupvalname(CallInfo *ci, const TValue *o, const char **name) {
  LClosure *c = ci_func(ci);
  for (int i = 0; i < c->nupvalues; i++) {
    if (c->upvals[i] && c->upvals[i]->v == o) {
      *name = upvalname(c->p, i);
      return "upvalue";
    }
  }
  return NULL;
}

static int instack(CallInfo *ci, const TValue *o) {
  StkId base = ci->func + 1;
  for (int pos = 0; base + pos < ci->top; pos++)
    if (o == base + pos) return pos;
  return -1;
}

static const char *varinfo(lua_State *L, const TValue *o) {
  CallInfo *ci = L->ci;
  const char *name = NULL;
  const char *kind = NULL;
  if (isLua(ci)) {
    kind = getupvalname(ci, o, &name);
    if (!kind) {
      int reg = instack(ci, o);
      if (reg >= 0) kind = getobjname(ci_func(ci)->p, currentpc(ci), reg, &name);
    }
  }
  return kind ? obj_pushfstring(L, " (%s '%s')", kind, name) : "";
}

/* -- Raising errors -- */

const char *dbg_addinfo(lua_State *L, const char *msg, TString *src, int line) {
  char buff[LUA_IDSIZE];
  if (src) {
    obj_chunkid(buff, getstr(src), src->len);
  } else {
    buff[0] = '?';
    buff[1] = '\0';
  }
  return obj_pushfstring(L, "%s:%d: %s", buff, line, msg);
}

_Noreturn void dbg_errormsg(lua_State *L) {
  if (L->errfunc != 0) {
    StkId errfunc = restorestack(L, L->errfunc);
    setobj(L->top, L->top - 1);
    setobj(L->top - 1, errfunc);
    L->top++;
    do_callnoyield(L, L->top - 2, 1);
  }
  do_throw(L, LUA_ERRRUN);
}

_Noreturn void dbg_runerror(lua_State *L, const char *fmt, ...) {
  CallInfo *ci = L->ci;
  va_list argp;
  va_start(argp, fmt);
  const char *msg = obj_pushvfstring(L, fmt, argp);
  va_end(argp);
  if (isLua(ci)) {
    dbg_addinfo(L, msg, ci_func(ci)->p->source, dbg_currentline(ci));
    setobj(L->top - 2, L->top - 1);
    L->top--;
  }
  dbg_errormsg(L);
}

_Noreturn void dbg_typeerror(lua_State *L, const TValue *o, const char *op) {
  const char *t = tm_objtypename(L, o);
  dbg_runerror(L, "attempt to %s a %s value%s", op, t, varinfo(L, o));
}

/* A call of a non-function: name it after what the calling instruction was doing, as
 * lua5.4 does ("metamethod 'add'", "for iterator 'for iterator'", "local 'f'", ...);
 * outside Lua code, fall back to where the value lies. */
_Noreturn void dbg_callerror(lua_State *L, const TValue *o) {
  CallInfo *ci = L->ci;
  const char *name = NULL;
  const char *kind = isLua(ci) ? funcnamefromcode(L, ci_func(ci)->p, currentpc(ci), &name) : NULL;
  const char *extra = kind ? obj_pushfstring(L, " (%s '%s')", kind, name) : varinfo(L, o);
  dbg_runerror(L, "attempt to call a %s value%s", tm_objtypename(L, o), extra);
}

_Noreturn void dbg_forerror(lua_State *L, const TValue *o, const char *what) {
  dbg_runerror(L, "bad 'for' %s (number expected, got %s)", what, tm_objtypename(L, o));
}

_Noreturn void dbg_concaterror(lua_State *L, const TValue *p1, const TValue *p2) {
  if (ttisstring(p1) || ttisnumber(p1)) p1 = p2;
  dbg_typeerror(L, p1, "concatenate");
}

_Noreturn void dbg_opinterror(lua_State *L, const TValue *p1, const TValue *p2, const char *msg) {
  if (!ttisnumber(p1)) p2 = p1; /* blame the first operand if it is wrong */
  dbg_typeerror(L, p2, msg);
}

_Noreturn void dbg_tointerror(lua_State *L, const TValue *p1, const TValue *p2) {
  lua_Integer temp;
  if (!obj_tointegerns(p1, &temp, F2Ieq)) p2 = p1;
  dbg_runerror(L, "number%s has no integer representation", varinfo(L, p2));
}

_Noreturn void dbg_ordererror(lua_State *L, const TValue *p1, const TValue *p2) {
  const char *t1 = tm_objtypename(L, p1);
  const char *t2 = tm_objtypename(L, p2);
  if (strcmp(t1, t2) == 0) dbg_runerror(L, "attempt to compare two %s values", t1);
  dbg_runerror(L, "attempt to compare %s with %s", t1, t2);
}

/* Name of local n of the frame ci: a declared local, "(vararg)" for
 * n < 0 (the extra arguments of a vararg function, below ci->func),
 * "(temporary)" / "(C temporary)" for any other slot in use. */
const char *dbg_getlocal(lua_State *L, CallInfo *ci, int n, StkId *pos) {
  StkId base = ci->func + 1;
  const char *name = NULL;
  if (isLua(ci)) {
    if (n < 0) {
      const Proto *p = ci_func(ci)->p;
      if (!p->is_vararg || n < -ci->nextraargs) return NULL;
      if (pos) *pos = ci->func - ci->nextraargs - (n + 1);
      return "(vararg)";
    }
    name = func_getlocalname(ci_func(ci)->p, n, currentpc(ci));
    /* a binary chunk's local variable list is not trusted to fit the frame */
    if (name && n > ci_func(ci)->p->maxstacksize) name = NULL;
  }
  if (name == NULL) {
    StkId limit = (ci == L->ci) ? L->top : ci->next->func;
    if (n > 0 && limit - base >= n) name = isLua(ci) ? "(temporary)" : "(C temporary)";
    else return NULL;
  }
  if (pos) *pos = base + (n - 1);
  return name;
}

/* -- Stack inspection (lua_getstack, lua_getinfo, lua_getlocal) -- */

int lua_getstack(lua_State *L, int level, lua_Debug *ar) {
  if (level < 0) return 0;
  CallInfo *ci;
  for (ci = L->ci; level > 0 && ci != &L->base_ci; ci = ci->previous) level--;
  if (level == 0 && ci != &L->base_ci) {
    ar->i_ci = ci;
    return 1;
  }
  return 0;
}

const char *lua_getlocal(lua_State *L, const lua_Debug *ar, int n) {
  if (ar == NULL) { /* parameter names of the function on top */
    const TValue *f = L->top - 1;
    if (!ttisLclosure(f)) return NULL;
    return func_getlocalname(clLvalue(f)->p, n, 0);
  }
  StkId pos = NULL;
  const char *name = dbg_getlocal(L, ar->i_ci, n, &pos);
  if (name) {
    setobj(L->top, pos);
    L->top++;
  }
  return name;
}

const char *lua_setlocal(lua_State *L, const lua_Debug *ar, int n) {
  StkId pos = NULL;
  const char *name = dbg_getlocal(L, ar->i_ci, n, &pos);
  if (name) setobj(pos, L->top - 1);
  L->top--; /* pop the value in any case */
  return name;
}

static void funcinfo(lua_Debug *ar, const TValue *f) {
  if (!ttisLclosure(f)) {
    ar->source = "=[C]";
    ar->srclen = 4;
    ar->linedefined = -1;
    ar->lastlinedefined = -1;
    ar->what = "C";
  } else {
    const Proto *p = clLvalue(f)->p;
    if (p->source) {
      ar->source = getstr(p->source);
      ar->srclen = p->source->len;
    } else {
      ar->source = "=?";
      ar->srclen = 2;
    }
    ar->linedefined = p->linedefined;
    ar->lastlinedefined = p->lastlinedefined;
    ar->what = (ar->linedefined == 0) ? "main" : "Lua";
  }
  obj_chunkid(ar->short_src, ar->source, ar->srclen);
}

/* The set of lines with code, as a table line -> true (nil for C). */
static void collectvalidlines(lua_State *L, const TValue *f) {
  if (!ttisLclosure(f)) {
    setnilvalue(L->top);
    L->top++;
    return;
  }
  const Proto *p = clLvalue(f)->p;
  Table *t = tab_new(L);
  sethvalue(L->top, t);
  L->top++;
  if (p->lineinfo == NULL) return;
  TValue v;
  setbtvalue(&v);
  /* a vararg function's VARARGPREP is not a line of its own */
  for (int pc = p->is_vararg ? 1 : 0; pc < p->sizelineinfo; pc++)
    tab_setint(L, t, p->lineinfo[pc], &v);
}

int lua_getinfo(lua_State *L, const char *what, lua_Debug *ar) {
  CallInfo *ci;
  TValue func;
  if (*what == '>') {
    ci = NULL;
    setobj(&func, L->top - 1);
    L->top--;
    what++;
  } else {
    ci = ar->i_ci;
    setobj(&func, ci->func);
  }
  int status = 1;
  const TValue *f = ttisfunction(&func) ? &func : NULL;
  for (const char *w = what; *w; w++) {
    switch (*w) {
      case 'S':
        if (f) funcinfo(ar, f);
        break;
      case 'l':
        ar->currentline = (ci && isLua(ci)) ? dbg_currentline(ci) : -1;
        break;
      case 'u':
        if (f == NULL) {
          ar->nups = 0;
        } else if (ttisLclosure(f)) {
          ar->nups = clLvalue(f)->nupvalues;
        } else {
          ar->nups = ttisCclosure(f) ? clCvalue(f)->nupvalues : 0;
        }
        if (f && ttisLclosure(f)) {
          ar->isvararg = (char)clLvalue(f)->p->is_vararg;
          ar->nparams = clLvalue(f)->p->numparams;
        } else {
          ar->isvararg = 1;
          ar->nparams = 0;
        }
        break;
      case 't':
        ar->istailcall = ci ? (char)((ci->callstatus & CIST_TAIL) != 0) : 0;
        break;
      case 'n':
        ar->namewhat = dbg_funcname(L, ci, &ar->name);
        if (ar->namewhat == NULL) {
          ar->namewhat = "";
          ar->name = NULL;
        }
        break;
      case 'r':
        if (ci == NULL || !(ci->callstatus & CIST_TRAN)) {
          ar->ftransfer = ar->ntransfer = 0;
        } else {
          ar->ftransfer = ci->ftransfer;
          ar->ntransfer = ci->ntransfer;
        }
        break;
      case 'L':
      case 'f':
        break;
      default:
        status = 0;
    }
  }
  if (strchr(what, 'f')) {
    setobj(L->top, &func);
    L->top++;
  }
  if (strchr(what, 'L')) collectvalidlines(L, &func);
  return status;
}

/* -- Hooks --
 * The interpreter dispatches through g->disp_hook while any thread has a
 * hook (g->nhooked > 0): every instruction passes through
 * dbg_traceexec first (line and count events).  Call events come from the
 * interpreter's function entry and do.c's C calls, return events from
 * do_poscall.  The JIT stays out of the way meanwhile (jit_backedge). */

void dbg_hook(lua_State *L, int event, int line, int ftransfer, int ntransfer) {
  lua_Hook hook = L->hook;
  if (hook == NULL || !L->allowhook) return;
  CallInfo *ci = L->ci;
  ptrdiff_t top = savestack(L, L->top);
  ptrdiff_t ci_top = savestack(L, ci->top);
  lua_Debug ar;
  ar.event = event;
  ar.currentline = line;
  ar.i_ci = ci;
  unsigned mask = CIST_HOOKED;
  if (ntransfer != 0) {
    mask |= CIST_TRAN;
    ci->ftransfer = (unsigned short)ftransfer;
    ci->ntransfer = (unsigned short)ntransfer;
  }
  if (isLua(ci) && L->top < ci->top) L->top = ci->top; /* keep the frame's registers */
  checkstackGC(L, LUA_MINSTACK);
  if (ci->top < L->top + LUA_MINSTACK) ci->top = L->top + LUA_MINSTACK;
  L->allowhook = 0;
  ci->callstatus |= mask;
  hook(L, &ar);
  L->allowhook = 1;
  ci->top = restorestack(L, ci_top);
  L->top = restorestack(L, top);
  ci->callstatus &= ~mask;
}

/* A Lua function starts (ci->savedpc at its first instruction to run). */
void dbg_hookcall(lua_State *L, CallInfo *ci) {
  L->oldpc = 0;
  if (L->hookmask & LUA_MASKCALL) {
    int event = (ci->callstatus & CIST_TAIL) ? LUA_HOOKTAILCALL : LUA_HOOKCALL;
    const Proto *p = ci_func(ci)->p;
    ci->savedpc++; /* as if the instruction were fetched */
    dbg_hook(L, event, -1, 1, p->numparams);
    ci->savedpc--;
  }
}

/* Frame ci returns nres values (on top of the stack). */
void dbg_rethook(lua_State *L, CallInfo *ci, int nres) {
  if (L->hookmask & LUA_MASKRET) {
    StkId firstres = L->top - nres;
    int delta = 0;
    if (isLua(ci)) {
      const Proto *p = ci_func(ci)->p;
      if (p->is_vararg) delta = ci->nextraargs + p->numparams + 1;
    }
    ci->func += delta; /* the function's own slot, not the moved one */
    int ftransfer = (int)(firstres - ci->func);
    dbg_hook(L, LUA_HOOKRET, -1, ftransfer, nres);
    ci->func -= delta;
  }
  CallInfo *prev = ci->previous;
  if (prev && isLua(prev)) L->oldpc = (int)(prev->savedpc - ci_func(prev)->p->code) - 1;
}

/* Before the instruction at pc - 1 (ci->savedpc == pc): count and line events. */
void dbg_traceexec(lua_State *L, const Instruction *pc) {
  CallInfo *ci = L->ci;
  uint8_t mask = L->hookmask;
  const Proto *p = ci_func(ci)->p;
  bool counthook = false;
  if ((mask & LUA_MASKCOUNT) && --L->hookcount == 0) {
    L->hookcount = L->basehookcount;
    counthook = true;
  }
  if (!counthook && !(mask & LUA_MASKLINE)) return;
  if (counthook) dbg_hook(L, LUA_HOOKCOUNT, -1, 0, 0);
  if (mask & LUA_MASKLINE) {
    int oldpc = (L->oldpc < p->sizecode && L->oldpc >= 0) ? L->oldpc : 0;
    int npci = (int)(pc - p->code) - 1;
    if (npci <= oldpc ||
        (p->lineinfo && dbg_getfuncline(p, oldpc) != dbg_getfuncline(p, npci)))
      dbg_hook(L, LUA_HOOKLINE, dbg_getfuncline(p, npci), 0, 0);
    L->oldpc = npci;
  }
}

void lua_sethook(lua_State *L, lua_Hook func, int mask, int count) {
  global_State *g = G(L);
  if (func == NULL || mask == 0) {
    mask = 0;
    func = NULL;
  }
  bool was = L->hookmask != 0;
  L->hook = func;
  L->basehookcount = count;
  L->hookcount = count;
  L->hookmask = (uint8_t)mask;
  if (was != (mask != 0)) g->nhooked += mask ? 1 : -1;
  if (g->nhooked > 0) {
    jit_cancel_recording(L);
    if (g->disp_hook) g->dispatch = g->disp_hook;
  } else if (g->dispatch == g->disp_hook) {
    g->dispatch = g->disp_normal;
  }
}

lua_Hook lua_gethook(lua_State *L) { return L->hook; }
int lua_gethookmask(lua_State *L) { return L->hookmask; }
int lua_gethookcount(lua_State *L) { return L->basehookcount; }

/* A new thread inherits the hook of the thread that creates it. */
void dbg_inithooks(lua_State *L1, lua_State *from) {
  L1->allowhook = 1;
  L1->oldpc = 0;
  L1->hook = NULL;
  L1->hookmask = 0;
  L1->basehookcount = L1->hookcount = 0;
  if (from && from->hookmask) {
    L1->hook = from->hook;
    L1->hookmask = from->hookmask;
    L1->basehookcount = L1->hookcount = from->basehookcount;
    G(L1)->nhooked++;
  }
}
