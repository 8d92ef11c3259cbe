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
        pc++; /* skip EXTRAARG */
        break;
      default:
        change = setsA(op) && reg == a;
        break;
    }
    if (change) setreg = (pc < jmptarget) ? -1 : pc;
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
    case OP_CLOSE: case OP_RETURN: tm = "close"; break;
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
  if (prev == NULL || !isLua(prev)) return NULL;
  if (ci->callstatus & CIST_FIN) {
    *name = "__gc";
    return "metamethod";
  }
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

_Noreturn void dbg_callerror(lua_State *L, const TValue *o) { dbg_typeerror(L, o, "call"); }

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

const char *dbg_getlocal(lua_State *L, CallInfo *ci, int n, StkId *pos) {
  (void)L;
  if (!isLua(ci)) return NULL;
  const char *name = func_getlocalname(ci_func(ci)->p, n, currentpc(ci));
  if (name && pos) *pos = ci->func + n;
  return name;
}

/* -- Tracebacks -- */

static CallInfo *getlevel(lua_State *L1, int level) {
  CallInfo *ci;
  for (ci = L1->ci; level > 0 && ci != &L1->base_ci; ci = ci->previous) level--;
  if (level == 0 && ci != &L1->base_ci) return ci;
  return NULL;
}

static void addfmt(lua_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  obj_pushvfstring(L, fmt, argp);
  va_end(argp);
  vm_concat(L, 2);
}

/* 'gname' finds a global name for a C function (set by the caller, may be NULL) */
void dbg_traceback(lua_State *L, lua_State *L1, const char *msg, int level) {
  int n1 = 0;
  int total = 0;
  for (CallInfo *ci = L1->ci; ci != &L1->base_ci; ci = ci->previous) total++;
  int limit1 = (total - level > 21) ? 10 : -1;
  checkstackGC(L, 10);
  if (msg) obj_pushfstring(L, "%s\nstack traceback:", msg);
  else obj_pushfstring(L, "stack traceback:");
  CallInfo *ci;
  while ((ci = getlevel(L1, level++)) != NULL) {
    if (n1++ == limit1) {
      int skip = total - level - 11 + 1;
      addfmt(L, "\n\t...\t(skipping %d levels)", skip);
      level += skip;
      continue;
    }
    char buff[LUA_IDSIZE];
    const char *name = NULL;
    const char *kind = dbg_funcname(L1, ci, &name);
    if (isLua(ci)) {
      Proto *p = ci_func(ci)->p;
      obj_chunkid(buff, getstr(p->source), p->source->len);
      addfmt(L, "\n\t%s:%d: in ", buff, dbg_currentline(ci));
      if (kind && (strcmp(kind, "global") == 0)) addfmt(L, "function '%s'", name);
      else if (kind) addfmt(L, "%s '%s'", kind, name);
      else if (ci->previous == &L1->base_ci || p->linedefined == 0) addfmt(L, "main chunk");
      else addfmt(L, "function <%s:%d>", buff, p->linedefined);
    } else {
      addfmt(L, "\n\t[C]: in ");
      if (kind && strcmp(kind, "global") == 0) addfmt(L, "function '%s'", name);
      else if (kind && strcmp(kind, "method") == 0) addfmt(L, "method '%s'", name);
      else if (kind && strcmp(kind, "field") == 0) addfmt(L, "function '%s'", name);
      else if (kind) addfmt(L, "%s '%s'", kind, name);
      else addfmt(L, "?");
    }
    if (ci->callstatus & CIST_TAIL) addfmt(L, "\n\t(...tail calls...)");
  }
}
