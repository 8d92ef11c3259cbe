/* vm.c -- the bytecode interpreter and the operations it falls back to.
 *
 * vm_execute runs Lua frames until the frame it was entered with (marked
 * CIST_FRESH) returns.  Lua-to-Lua calls and returns switch frames inside
 * the loop (goto startfunc / goto returning), so Lua recursion never
 * recurses on the C stack.
 *
 * Dispatch is computed goto through the table g->dispatch points to.  The
 * table is re-read whenever a frame is entered or resumed, so the JIT's
 * recording mode can swap in a second table that takes effect at the next
 * call, return or backward branch (FORLOOP/TFORLOOP/JMP back re-read it).
 *
 * Register conventions: base = ci->func + 1, ra = base + A.  Anything that
 * can call a metamethod, raise an error, or reallocate the stack runs
 * under Protect(): it saves pc and sets L->top = ci->top first (so the GC
 * and error handlers see the whole frame), then reloads base.
 */
#include <math.h>
#include <float.h>

#include "core.h"
#include "trace/trace.h"

#define MAXTAGLOOP 2000

/* -- Conversions -- */

bool vm_tonumber(const TValue *obj, lua_Number *n) { return obj_tonumber(obj, n); }

bool vm_tointeger(const TValue *obj, lua_Integer *p, int mode) {
  return obj_tointegerns(obj, p, mode);
}

/* -- Integer and float arithmetic with Lua semantics -- */

lua_Integer vm_idiv(lua_State *L, lua_Integer m, lua_Integer n) {
  if (l_unlikely(l_castS2U(n) + 1u <= 1u)) { /* n == 0 or n == -1 */
    if (n == 0) dbg_runerror(L, "attempt to divide by zero");
    return intop(-, 0, m); /* avoid overflow of mininteger // -1 */
  }
  lua_Integer q = m / n;
  if ((m ^ n) < 0 && m % n != 0) q -= 1;
  return q;
}

lua_Integer vm_mod(lua_State *L, lua_Integer m, lua_Integer n) {
  if (l_unlikely(l_castS2U(n) + 1u <= 1u)) {
    if (n == 0) dbg_runerror(L, "attempt to perform 'n%%0'");
    return 0;
  }
  lua_Integer r = m % n;
  if (r != 0 && (r ^ n) < 0) r += n;
  return r;
}

lua_Number vm_modf(lua_State *L, lua_Number m, lua_Number n) {
  (void)L;
  lua_Number r = fmod(m, n);
  /* fmod truncates: correct a nonzero remainder whose sign differs from
   * the divisor's (compare signs: the product may underflow to zero) */
  if ((r > 0) ? n < 0 : (r < 0 && n > 0)) r += n;
  return r;
}

lua_Integer vm_shiftl(lua_Integer x, lua_Integer y) {
  if (y < 0) {
    if (y <= -64) return 0;
    return l_castU2S(l_castS2U(x) >> l_castS2U(-y));
  }
  if (y >= 64) return 0;
  return l_castU2S(l_castS2U(x) << l_castS2U(y));
}

/* Slow path of every arithmetic/bitwise opcode: string coercion, then
 * metamethods, then an error naming the offending operand. */
static const char *const arith_names[] = {"add", "sub", "mul", "mod", "pow", "div", "idiv"};

void vm_arith(lua_State *L, int op, const TValue *p1, const TValue *p2, StkId res) {
  bool bitwise = (op >= LUA_OPBAND && op <= LUA_OPSHR) || op == LUA_OPBNOT;
  if (!bitwise && (ttisstring(p1) || ttisstring(p2))) {
    /* string arithmetic, as the string metatable of lua5.4 does it */
    TValue n1, n2;
    lua_Number tmp;
    const TValue *a = p1, *b = p2;
    if (ttisstring(p1) && obj_tonumber(p1, &tmp)) {
      obj_str2num(svalue(p1), &n1);
      a = &n1;
    }
    if (ttisstring(p2) && obj_tonumber(p2, &tmp)) {
      obj_str2num(svalue(p2), &n2);
      b = &n2;
    }
    TValue r;
    if (ttisnumber(a) && ttisnumber(b) && obj_rawarith(L, op, a, b, &r)) {
      setobj(res, &r);
      return;
    }
    TMS ev = (TMS)(TM_ADD + op);
    if (!ttisstring(p1)) {
      const TValue *tm = tm_gettmbyobj(L, p1, ev);
      if (!ttisnil(tm)) {
        tm_callTMres(L, tm, p1, p2, res);
        return;
      }
    }
    const TValue *tm2 = ttisstring(p2) ? NULL : tm_gettmbyobj(L, p2, ev);
    if (tm2 == NULL || ttisnil(tm2)) {
      const char *opname = op == LUA_OPUNM ? "unm" : arith_names[op];
      dbg_runerror(L, "attempt to %s a '%s' with a '%s'", opname, ttypename(ttype(p1)),
                   ttypename(ttype(p2)));
    }
    tm_callTMres(L, tm2, p1, p2, res);
    return;
  }
  TValue r;
  if (ttisnumber(p1) && ttisnumber(p2) && obj_rawarith(L, op, p1, p2, &r)) {
    setobj(res, &r);
    return;
  }
  tm_trybinTM(L, p1, p2, res, (TMS)(TM_ADD + op));
}

/* -- Comparison -- */

#define MAXINTFITSF ((lua_Unsigned)1 << DBL_MANT_DIG)
#define l_intfitsf(i) ((MAXINTFITSF + l_castS2U(i)) <= (2 * MAXINTFITSF))

static bool LTintfloat(lua_Integer i, lua_Number f) {
  if (l_intfitsf(i)) return (lua_Number)i < f;
  lua_Integer fi;
  if (obj_flttointns(f, &fi, F2Iceil)) return i < fi;
  return f > 0;
}

static bool LEintfloat(lua_Integer i, lua_Number f) {
  if (l_intfitsf(i)) return (lua_Number)i <= f;
  lua_Integer fi;
  if (obj_flttointns(f, &fi, F2Ifloor)) return i <= fi;
  return f > 0;
}

static bool LTfloatint(lua_Number f, lua_Integer i) {
  if (l_intfitsf(i)) return f < (lua_Number)i;
  lua_Integer fi;
  if (obj_flttointns(f, &fi, F2Ifloor)) return fi < i;
  return f < 0;
}

static bool LEfloatint(lua_Number f, lua_Integer i) {
  if (l_intfitsf(i)) return f <= (lua_Number)i;
  lua_Integer fi;
  if (obj_flttointns(f, &fi, F2Iceil)) return fi <= i;
  return f < 0;
}

static inline bool LTnum(const TValue *l, const TValue *r) {
  if (ttisinteger(l)) {
    lua_Integer li = ivalue(l);
    if (ttisinteger(r)) return li < ivalue(r);
    return LTintfloat(li, fltvalue(r));
  }
  lua_Number lf = fltvalue(l);
  if (ttisfloat(r)) return lf < fltvalue(r);
  return LTfloatint(lf, ivalue(r));
}

static inline bool LEnum(const TValue *l, const TValue *r) {
  if (ttisinteger(l)) {
    lua_Integer li = ivalue(l);
    if (ttisinteger(r)) return li <= ivalue(r);
    return LEintfloat(li, fltvalue(r));
  }
  lua_Number lf = fltvalue(l);
  if (ttisfloat(r)) return lf <= fltvalue(r);
  return LEfloatint(lf, ivalue(r));
}

static int l_strcmp(const TString *ts1, const TString *ts2) {
  size_t l1 = ts1->len, l2 = ts2->len;
  int r = memcmp(ts1->data, ts2->data, l1 < l2 ? l1 : l2);
  if (r != 0) return r;
  return (l1 < l2) ? -1 : (l1 > l2) ? 1 : 0;
}

bool vm_lessthan(lua_State *L, const TValue *l, const TValue *r) {
  if (ttisnumber(l) && ttisnumber(r)) return LTnum(l, r);
  if (ttisstring(l) && ttisstring(r)) return l_strcmp(tsvalue(l), tsvalue(r)) < 0;
  return tm_callorderTM(L, l, r, TM_LT);
}

bool vm_lessequal(lua_State *L, const TValue *l, const TValue *r) {
  if (ttisnumber(l) && ttisnumber(r)) return LEnum(l, r);
  if (ttisstring(l) && ttisstring(r)) return l_strcmp(tsvalue(l), tsvalue(r)) <= 0;
  return tm_callorderTM(L, l, r, TM_LE);
}


bool vm_rawequalobj(const TValue *t1, const TValue *t2) {
  if (t1->tt != t2->tt) {
    if (ttisnumber(t1) && ttisnumber(t2)) {
      lua_Integer i1, i2;
      return obj_tointegerns(t1, &i1, F2Ieq) && obj_tointegerns(t2, &i2, F2Ieq) && i1 == i2;
    }
    return ttisnil(t1) && ttisnil(t2);
  }
  switch (t1->tt) {
    case TAG_NIL: case TAG_FALSE: case TAG_TRUE: case TAG_EMPTY: case TAG_ABSTKEY: return true;
    case TAG_INT: return ivalue(t1) == ivalue(t2);
    case TAG_FLT: return fltvalue(t1) == fltvalue(t2);
    case TAG_LIGHTUD: return pvalue(t1) == pvalue(t2);
    case TAG_LCF: return fvalue(t1) == fvalue(t2);
    case TAG_LNGSTR: return str_eqlngstr(tsvalue(t1), tsvalue(t2));
    default: return gcvalue(t1) == gcvalue(t2);
  }
}

/* Raw equality of the common cases, inline: 1 or 0, or -1 when
 * vm_rawequalobj (or, for two distinct tables or userdata, __eq) decides. */
static inline int rawequal_fast(const TValue *t1, const TValue *t2) {
  if (t1->tt != t2->tt) {
    if (ttisnumber(t1) && ttisnumber(t2)) return -1; /* 1 == 1.0 */
    return ttisnil(t1) && ttisnil(t2);
  }
  switch (t1->tt) {
    case TAG_NIL: case TAG_FALSE: case TAG_TRUE: return 1;
    case TAG_INT: return ivalue(t1) == ivalue(t2);
    case TAG_FLT: return fltvalue(t1) == fltvalue(t2);
    case TAG_SHRSTR: return gcvalue(t1) == gcvalue(t2);
    case TAG_TABLE: return gcvalue(t1) == gcvalue(t2) ? 1 : -1;
    default: return -1;
  }
}

bool vm_equalobj(lua_State *L, const TValue *t1, const TValue *t2) {
  if (t1->tt != t2->tt || (t1->tt != TAG_TABLE && t1->tt != TAG_UDATA)) return vm_rawequalobj(t1, t2);
  if (gcvalue(t1) == gcvalue(t2)) return true;
  if (L == NULL) return false;
  const TValue *tm;
  if (t1->tt == TAG_TABLE) {
    tm = fasttm(L, hvalue(t1)->metatable, TM_EQ);
    if (tm == NULL) tm = fasttm(L, hvalue(t2)->metatable, TM_EQ);
  } else {
    tm = fasttm(L, uvalue(t1)->metatable, TM_EQ);
    if (tm == NULL) tm = fasttm(L, uvalue(t2)->metatable, TM_EQ);
  }
  if (tm == NULL) return false;
  tm_callTMres(L, tm, t1, t2, L->top);
  return !l_isfalse(L->top);
}

/* -- Tables with metamethods -- */

void vm_finishget(lua_State *L, const TValue *t, TValue *key, StkId val, const TValue *slot) {
  for (int loop = 0; loop < MAXTAGLOOP; loop++) {
    const TValue *tm;
    if (slot == NULL) {
      tm = tm_gettmbyobj(L, t, TM_INDEX);
      if (ttisnil(tm)) dbg_typeerror(L, t, "index");
    } else {
      tm = fasttm(L, hvalue(t)->metatable, TM_INDEX);
      if (tm == NULL) {
        setnilvalue(val);
        return;
      }
    }
    if (ttisfunction(tm)) {
      tm_callTMres(L, tm, t, key, val);
      return;
    }
    t = tm;
    if (ttistable(t)) {
      slot = tab_get(hvalue(t), key);
      if (!ttisnil(slot)) {
        setobj(val, slot);
        return;
      }
    } else {
      slot = NULL;
    }
  }
  dbg_runerror(L, "'__index' chain too long; possible loop");
}

void vm_gettable(lua_State *L, const TValue *t, TValue *key, StkId val) {
  const TValue *slot = NULL;
  if (ttistable(t)) {
    slot = tab_get(hvalue(t), key);
    if (!ttisnil(slot)) {
      setobj(val, slot);
      return;
    }
  }
  vm_finishget(L, t, key, val, slot);
}

void vm_finishset(lua_State *L, const TValue *t, TValue *key, TValue *val, const TValue *slot) {
  for (int loop = 0; loop < MAXTAGLOOP; loop++) {
    const TValue *tm;
    if (slot != NULL) {
      Table *h = hvalue(t);
      tm = fasttm(L, h->metatable, TM_NEWINDEX);
      if (tm == NULL) {
        tab_finishset(L, h, key, slot, val);
        return;
      }
    } else {
      tm = tm_gettmbyobj(L, t, TM_NEWINDEX);
      if (ttisnil(tm)) dbg_typeerror(L, t, "index");
    }
    if (ttisfunction(tm)) {
      tm_callTM(L, tm, t, key, val);
      return;
    }
    t = tm;
    if (ttistable(t)) {
      slot = tab_get(hvalue(t), key);
      if (!ttisnil(slot)) {
        setobj((TValue *)slot, val);
        return;
      }
    } else {
      slot = NULL;
    }
  }
  dbg_runerror(L, "'__newindex' chain too long; possible loop");
}

void vm_settable(lua_State *L, const TValue *t, TValue *key, TValue *val) {
  const TValue *slot = NULL;
  if (ttistable(t)) {
    slot = tab_get(hvalue(t), key);
    if (!ttisnil(slot)) {
      setobj((TValue *)slot, val);
      return;
    }
  }
  vm_finishset(L, t, key, val, slot);
}

/* -- Length and concatenation -- */

void vm_objlen(lua_State *L, StkId ra, const TValue *rb) {
  const TValue *tm;
  switch (rb->tt) {
    case TAG_TABLE: {
      Table *h = hvalue(rb);
      tm = fasttm(L, h->metatable, TM_LEN);
      if (tm) break;
      setivalue(ra, l_castU2S(tab_getn(h)));
      return;
    }
    case TAG_SHRSTR:
    case TAG_LNGSTR:
      setivalue(ra, (lua_Integer)vslen(rb));
      return;
    default:
      tm = tm_gettmbyobj(L, rb, TM_LEN);
      if (ttisnil(tm)) dbg_typeerror(L, rb, "get length of");
      break;
  }
  tm_callTMres(L, tm, rb, rb, ra);
}

static bool tostringinplace(lua_State *L, TValue *o) {
  if (ttisstring(o)) return true;
  if (!ttisnumber(o)) return false;
  obj_tostring(L, o);
  return true;
}

#define isemptystr(o) (ttisshrstring(o) && tsvalue(o)->len == 0)

void vm_concat(lua_State *L, int total) {
  if (total == 1) return;
  do {
    StkId top = L->top;
    int n = 2;
    if (!(ttisstring(top - 2) || ttisnumber(top - 2)) || !tostringinplace(L, top - 1)) {
      tm_trybinTM(L, top - 2, top - 1, top - 2, TM_CONCAT);
    } else if (isemptystr(top - 1)) {
      tostringinplace(L, top - 2);
    } else if (isemptystr(top - 2)) {
      setobj(top - 2, top - 1);
    } else {
      size_t tl = vslen(top - 1);
      for (n = 1; n < total && tostringinplace(L, top - n - 1); n++) {
        size_t l = vslen(top - n - 1);
        if (l_unlikely(l >= ((size_t)INT64_MAX / 2) - tl)) {
          L->top = top - total;
          dbg_runerror(L, "string length overflow");
        }
        tl += l;
      }
      TString *ts = NULL;
      char buff[SHORT_STR_MAX + 1];
      char *dst;
      if (tl <= SHORT_STR_MAX) {
        dst = buff;
      } else {
        ts = str_newlong(L, tl);
        dst = ts->data;
      }
      size_t pos = 0;
      for (int j = n; j > 0; j--) {
        size_t l = vslen(top - j);
        memcpy(dst + pos, svalue(top - j), l);
        pos += l;
      }
      if (tl <= SHORT_STR_MAX) ts = str_newlstr(L, buff, tl);
      setsvalue(top - n, ts);
    }
    total -= n - 1;
    L->top -= n - 1;
  } while (total > 1);
}

/* -- Numeric for loop preparation (5.4 semantics: precomputed count) -- */

static bool forlimit(lua_State *L, lua_Integer init, const TValue *lim, lua_Integer *p,
                     lua_Integer step) {
  if (!obj_tointegerns(lim, p, (step < 0 ? F2Iceil : F2Ifloor))) {
    lua_Number flim;
    if (!obj_tonumber(lim, &flim)) dbg_forerror(L, lim, "limit");
    if (flim != flim) return true; /* NaN: skip */
    if (flim > 0) {
      if (step < 0) return true;
      *p = LUA_MAXINTEGER;
    } else {
      if (step > 0) return true;
      *p = LUA_MININTEGER;
    }
  }
  return step > 0 ? init > *p : init < *p;
}

/* Returns true to skip the loop. */
static bool forprep(lua_State *L, StkId ra) {
  TValue *pinit = ra, *plimit = ra + 1, *pstep = ra + 2;
  if (ttisinteger(pinit) && ttisinteger(pstep)) {
    lua_Integer init = ivalue(pinit), step = ivalue(pstep), limit;
    if (step == 0) dbg_runerror(L, "'for' step is zero");
    setivalue(ra + 3, init);
    if (forlimit(L, init, plimit, &limit, step)) return true;
    lua_Unsigned count;
    if (step > 0) {
      count = l_castS2U(limit) - l_castS2U(init);
      if (step != 1) count /= l_castS2U(step);
    } else {
      count = l_castS2U(init) - l_castS2U(limit);
      count /= l_castS2U(-(step + 1)) + 1u;
    }
    setivalue(plimit, l_castU2S(count));
    return false;
  }
  lua_Number init, limit, step;
  if (!obj_tonumber(plimit, &limit)) dbg_forerror(L, plimit, "limit");
  if (!obj_tonumber(pstep, &step)) dbg_forerror(L, pstep, "step");
  if (!obj_tonumber(pinit, &init)) dbg_forerror(L, pinit, "initial value");
  if (step == 0) dbg_runerror(L, "'for' step is zero");
  if (step > 0 ? limit < init : init < limit) return true;
  setfltvalue(plimit, limit);
  setfltvalue(pstep, step);
  setfltvalue(ra, init);
  setfltvalue(ra + 3, init);
  return false;
}

/* -- Finishing an instruction interrupted by a yield -- */

/* The Lua frame L->ci was executing the instruction before its savedpc
 * when a metamethod or __close handler it called yielded (coro.c); that
 * call has now returned.  Do what the instruction still had to do with its
 * result, so that the interpreter can continue at savedpc.  The same
 * holds for an instruction run by a trace's EXEC uop (trace/helpers.c
 * saves pc and keeps values in their slots as Protect does). */
void vm_finishop(lua_State *L) {
  CallInfo *ci = L->ci;
  StkId base = ci->func + 1;
  Instruction inst = *(ci->savedpc - 1);
  OpCode op = GET_OPCODE(inst);
  switch (op) {
    case OP_GETTABUP: case OP_GETTABLE: case OP_GETI: case OP_GETFIELD: case OP_SELF:
    case OP_ADDI: case OP_SUBI: case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK:
    case OP_DIVK: case OP_IDIVK: case OP_BANDK: case OP_BORK: case OP_BXORK: case OP_SHLK:
    case OP_SHRK: case OP_ADDKL: case OP_MULKL: case OP_ADD: case OP_SUB: case OP_MUL:
    case OP_MOD: case OP_POW: case OP_DIV: case OP_IDIV: case OP_BAND: case OP_BOR:
    case OP_BXOR: case OP_SHL: case OP_SHR: case OP_UNM: case OP_BNOT: case OP_LEN:
      /* the metamethod's result is on top */
      L->top--;
      setobj(base + GETARG_A(inst), L->top);
      break;
    case OP_EQ: case OP_LT: case OP_LE: case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI: {
      int res = !l_isfalse(L->top - 1);
      L->top--;
      if (ci->callstatus & CIST_LEQ) { /* "a <= b" done as "not (b < a)" */
        ci->callstatus &= (unsigned short)~CIST_LEQ;
        res = !res;
      }
      int k = (op == OP_EQ || op == OP_LT || op == OP_LE) ? GETARG_C(inst) : (GETARG_C(inst) & 1);
      if (res != k) ci->savedpc++; /* condition failed: skip the jump */
      break;
    }
    case OP_CONCAT: {
      StkId top = L->top - 1; /* the top when the __concat call was made */
      int a = GETARG_A(inst);
      int total = (int)(top - 1 - (base + a)); /* values still to concatenate */
      setobj(top - 2, top);                   /* the result where the pair was */
      L->top = top - 1;
      vm_concat(L, total);                    /* the rest (may yield again) */
      break;
    }
    case OP_CLOSE: case OP_RETURN: case OP_RETURN0: case OP_RETURN1:
      /* a __close handler yielded: repeat the instruction to close the
       * other variables (and return: L->top is where the handler's call
       * was, just above the values to return) */
      ci->savedpc--;
      break;
    default:
      /* CALL, TAILCALL, TFORCALL: the callee returned its results already;
       * SETTABUP, SETTABLE, SETI, SETFIELD: nothing left to do */
      break;
  }
}


/* -- Quickening: the specializing adaptive interpreter --
 *
 * The generic handlers of the instructions listed in QOPCODES (core.h)
 * are adaptive: each execution counts down a per-instruction counter, and
 * when it reaches zero qspecialize() looks at the operands and, when they
 * fit a quickened form, rewrites the instruction's opcode byte in place
 * (operands unchanged).  A quickened handler checks its guard, runs its
 * fast path, and on a miss runs the generic handler's body; after QMISSES
 * misses the instruction goes back to its generic form and waits twice as
 * long as before (exponential backoff, capped) before the next try.
 *
 * The caches live beside the bytecode: Proto.qc holds one QCache per
 * instruction, allocated the first time an adaptive handler runs in that
 * prototype (no allocation, no specialization when memory is short).
 * They hold hash-node indices only, never pointers: a cached node is used
 * only after checking that it is inside the table's hash part and holds
 * this very key (a short string constant of the prototype, so compared by
 * address) with a non-nil value.  Whatever happened since (rehash,
 * removal, a new metatable, a replaced global or method, a collection),
 * a node that passes the check holds the value a generic lookup would find,
 * and one that fails it sends the instruction to the generic path.
 *
 * Everything outside the dispatch reads instructions through GET_OPCODE,
 * which maps a quickened opcode to its generic one (core.h), so error
 * messages, debug information, string.dump and the JIT recorder see
 * generic bytecode. */

/* The adaptive generic opcodes (those QOPCODES specializes). */
#define QGENERICS(X) \
  X(GETTABUP) X(GETFIELD) X(SETTABUP) X(SETFIELD) X(SELF) X(ADD) X(SUB) X(MUL) X(DIV) \
  X(ADDK) X(SUBK) X(MULK) X(LT) X(LE)

#define QWARMUP 2        /* executions of a generic instruction before its first try */
#define QMISSES 32       /* misses a quickened instruction takes before going back */
#define QBACKOFF_MAX 12  /* longest wait: 2^12 executions */

const uint8_t vm_qgeneric[NUM_ALLOPS - NUM_OPCODES] = {
#define QGEN(name, gen) OP_##gen,
    QOPCODES(QGEN)
#undef QGEN
};

static const char *const qopnames[NUM_ALLOPS] = {
#define QNAME1(name) #name,
    OPCODES(QNAME1)
#undef QNAME1
#define QNAME2(name, gen) #name,
    QOPCODES(QNAME2)
#undef QNAME2
};

#define QCOLD __attribute__((noinline, cold))

QCOLD static QCache *qalloc(lua_State *L, Proto *p) {
  size_t n = (size_t)p->sizecode;
  if (n == 0) return NULL;
  QCache *qc = (QCache *)mem_tryrealloc(L, NULL, 0, n * sizeof(QCache));
  if (qc == NULL) return NULL; /* no memory: run generic, try again later */
  for (size_t j = 0; j < n; j++) {
    qc[j].counter = QWARMUP;
    qc[j].backoff = 0;
    qc[j].unused = 0;
    qc[j].a = qc[j].b = 0;
  }
  /* QAT(p, pc) below finds the entry of the instruction before pc */
  uintptr_t bias = (uintptr_t)qc - 3u * (uintptr_t)p->code - sizeof(QCache);
  if (bias == 0) { /* 0 means "no caches": never mind this one */
    mem_free(L, qc, n * sizeof(QCache));
    return NULL;
  }
  p->qc = qc;
  p->qbias = bias;
  G(L)->qbytes += n * sizeof(QCache);
  G(L)->qprotos++;
  return qc;
}

void vm_qfree(lua_State *L, Proto *p) {
  if (p->qc == NULL) return;
  size_t bytes = (size_t)p->sizecode * sizeof(QCache);
  mem_free(L, p->qc, bytes);
  p->qc = NULL;
  p->qbias = 0;
  G(L)->qbytes -= bytes;
  G(L)->qprotos--;
}

static void qwait(QCache *q) {
  if (q->backoff < QBACKOFF_MAX) q->backoff++;
  q->counter = (uint16_t)(1u << q->backoff);
}

/* The hash node holding short-string key 'key' with a non-nil value, as
 * cached by a quickened instruction at node index 'idx', or NULL. */
static inline const TValue *qnode(const Table *h, uint32_t idx, const TString *key) {
  if (l_likely(idx < sizenode(h))) {
    const Node *n = &h->node[idx];
    if (l_likely(keytt(n) == TAG_SHRSTR && keyval(n).gc == (const GCObject *)key &&
                 !ttisnil(gval(n))))
      return gval(n);
  }
  return NULL;
}

/* The same with two cached nodes (a site that sees tables of two layouts). */
static inline const TValue *qnode2(const Table *h, const QCache *q, const TString *key) {
  const TValue *v = qnode(h, q->a, key);
  if (l_likely(v != NULL)) return v;
  return qnode(h, q->b, key);
}

/* The value slot (nil or not) of short-string key 'key' when hash node
 * 'idx' of h holds it, else the result of a full lookup. */
static inline const TValue *qlookup(const Table *h, uint32_t idx, TString *key) {
  if (l_likely(idx < sizenode(h))) {
    const Node *n = &h->node[idx];
    if (l_likely(keytt(n) == TAG_SHRSTR && keyval(n).gc == (const GCObject *)key)) return gval(n);
  }
  return tab_getshortstr((Table *)h, key);
}

/* The value slot of short-string key 'key' in table h, looked up in the
 * two cached nodes, whether the value is nil or not; NULL when neither
 * holds the key. */
static inline TValue *qkey2(const Table *h, const QCache *q, const TString *key) {
  uint32_t size = sizenode(h);
  const Node *n = &h->node[q->a];
  if (l_likely(q->a < size && keytt(n) == TAG_SHRSTR && keyval(n).gc == (const GCObject *)key))
    return (TValue *)gval(n);
  n = &h->node[q->b];
  if (q->b < size && keytt(n) == TAG_SHRSTR && keyval(n).gc == (const GCObject *)key)
    return (TValue *)gval(n);
  return NULL;
}

/* Where t.key = v stores, when it is a plain store into a node of h that
 * already holds the key (a nil value too, when no __newindex can run). */
static inline TValue *qsetslot(Table *h, const QCache *q, const TString *key) {
  TValue *v = qkey2(h, q, key);
  if (l_likely(v != NULL)) {
    if (l_likely(!ttisnil(v))) return v;
    Table *mt = h->metatable;
    if (mt == NULL || (mt->flags & (1u << TM_NEWINDEX))) { /* known: no __newindex */
      h->flags = 0; /* h may be a metatable gaining a metamethod */
      return v;
    }
  }
  return NULL;
}

/* What t.key reads, when the key is in one of the cached nodes of h: its
 * value, or nil when it is nil and no __index can run; NULL otherwise. */
static inline const TValue *qgetslot(const Table *h, const QCache *q, const TString *key) {
  const TValue *v = qkey2(h, q, key);
  if (l_likely(v != NULL)) {
    if (l_likely(!ttisnil(v))) return v;
    const Table *mt = h->metatable;
    if (mt == NULL || (mt->flags & (1u << TM_INDEX))) return &abstkey_value; /* nil */
  }
  return NULL;
}

/* Index of the hash node where table t holds short-string key 'key' with a
 * non-nil value; -1 when it has none. */
static int64_t qfind(Table *t, const TValue *key) {
  if (!ttisshrstring(key)) return -1;
  const TValue *slot = tab_getshortstr(t, tsvalue(key));
  if (ttisnil(slot)) return -1;
  uintptr_t s = (uintptr_t)slot, n0 = (uintptr_t)t->node;
  if (s < n0 || s >= n0 + sizenode(t) * sizeof(Node)) return -1;
  return (int64_t)((s - n0) / sizeof(Node));
}

/* A method found through a metatable: mt.__index is a table T holding the
 * method in its hash part.  Fills q->a and q->b. */
static bool qmethod(lua_State *L, Table *mt, const TValue *key, QCache *q) {
  if (mt == NULL) return false;
  TValue idxkey;
  setsvalue(&idxkey, G(L)->tmname[TM_INDEX]);
  int64_t a = qfind(mt, &idxkey);
  if (a < 0) return false;
  const TValue *tv = gval(&mt->node[a]);
  if (!ttistable(tv)) return false;
  int64_t b = qfind(hvalue(tv), key);
  if (b < 0) return false;
  q->a = (uint32_t)a;
  q->b = (uint32_t)b;
  return true;
}

/* A field absent from table h (or nil there), read through its
 * metatable's __index table C.  Fills q->a (h's node of the key, if it
 * has one) and q->b (the "__index" node of the metatable, and C's node of
 * the key, 16 bits each). */
static bool qfieldmt(lua_State *L, Table *h, const TValue *key, QCache *q) {
  if (!ttisshrstring(key) || h->metatable == NULL) return false;
  const TValue *slot = tab_getshortstr(h, tsvalue(key));
  if (!ttisnil(slot)) return false;
  uint32_t a = 0;
  uintptr_t sp = (uintptr_t)slot, n0 = (uintptr_t)h->node;
  if (sp >= n0 && sp < n0 + sizenode(h) * sizeof(Node)) a = (uint32_t)((sp - n0) / sizeof(Node));
  TValue idxkey;
  setsvalue(&idxkey, G(L)->tmname[TM_INDEX]);
  int64_t ix = qfind(h->metatable, &idxkey);
  if (ix < 0 || ix > 0xffff) return false;
  const TValue *c = gval(&h->metatable->node[ix]);
  if (!ttistable(c)) return false;
  int64_t cn = qfind(hvalue(c), key);
  q->a = a;
  q->b = (uint32_t)ix | ((cn >= 0 && cn <= 0xffff ? (uint32_t)cn : 0u) << 16);
  return true;
}

/* A method one class up: absent from mt.__index (a table C), found in
 * getmetatable(C).__index (a table P).  Fills q->a (the "__index" nodes
 * of mt and of C's metatable, 16 bits each) and q->b (the method in P). */
static bool qmethod2(lua_State *L, Table *mt, const TValue *key, QCache *q) {
  if (mt == NULL || !ttisshrstring(key)) return false;
  TValue idxkey;
  setsvalue(&idxkey, G(L)->tmname[TM_INDEX]);
  int64_t a1 = qfind(mt, &idxkey);
  if (a1 < 0 || a1 > 0xffff) return false;
  const TValue *c = gval(&mt->node[a1]);
  if (!ttistable(c) || !ttisnil(tab_getshortstr(hvalue(c), tsvalue(key)))) return false;
  Table *mt2 = hvalue(c)->metatable;
  if (mt2 == NULL) return false;
  int64_t a2 = qfind(mt2, &idxkey);
  if (a2 < 0 || a2 > 0xffff) return false;
  const TValue *pt = gval(&mt2->node[a2]);
  if (!ttistable(pt)) return false;
  int64_t b = qfind(hvalue(pt), key);
  if (b < 0) return false;
  q->a = (uint32_t)a1 | ((uint32_t)a2 << 16);
  q->b = (uint32_t)b;
  return true;
}

/* Look at the operands of the generic instruction at p->code[pc], about to
 * run in frame ci, and rewrite it into a quickened form that fits them.
 * Reads only: raises no error, allocates nothing, calls nothing. */
QCOLD static void qspecialize(lua_State *L, CallInfo *ci, int pc) {
  LClosure *cl = clLvalue(ci->func);
  Proto *p = cl->p;
  QCache *q = &p->qc[pc];
  Instruction i = p->code[pc];
  StkId base = ci->func + 1;
  TValue *k = p->k;
  OpCode op = GET_RAWOP(i), nop = op;
  const TValue *t = NULL, *key = NULL;
  const TValue *v1 = NULL, *v2 = NULL;
  int64_t idx;
  switch (op) {
    case OP_GETTABUP: t = cl->upvals[GETARG_B(i)]->v; key = k + GETARG_C(i); nop = OP_GETTABUP_H; break;
    case OP_GETFIELD: t = base + GETARG_B(i); key = k + GETARG_C(i); nop = OP_GETFIELD_H; break;
    case OP_SETTABUP: t = cl->upvals[GETARG_A(i)]->v; key = k + GETARG_B(i); nop = OP_SETTABUP_H; break;
    case OP_SETFIELD: t = base + GETARG_A(i); key = k + GETARG_B(i); nop = OP_SETFIELD_H; break;
    case OP_SELF: {
      const TValue *rb = base + GETARG_B(i);
      key = k + GETARG_C(i);
      nop = op;
      if (ttistable(rb)) {
        Table *h = hvalue(rb);
        if ((idx = qfind(h, key)) >= 0) {
          q->a = (uint32_t)idx;
          nop = OP_SELF_H;
        } else if (ttisshrstring(key) && ttisnil(tab_getshortstr(h, tsvalue(key)))) {
          if (qmethod(L, h->metatable, key, q)) nop = OP_SELF_MT;
          else if (qmethod2(L, h->metatable, key, q)) nop = OP_SELF_MT2;
        }
      } else if (ttisstring(rb) && qmethod(L, G(L)->mt[LUA_TSTRING], key, q)) {
        nop = OP_SELF_S;
      }
      break;
    }
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
    case OP_LT: case OP_LE:
      v1 = base + GETARG_B(i);
      v2 = base + GETARG_C(i);
      if (op == OP_LT || op == OP_LE) {
        v1 = base + GETARG_A(i);
        v2 = base + GETARG_B(i);
      }
      break;
    case OP_ADDK: case OP_SUBK: case OP_MULK:
      v1 = base + GETARG_B(i);
      v2 = k + GETARG_C(i);
      break;
    default:
      break;
  }
  if (t != NULL) { /* a field of a table */
    if (ttistable(t) && (idx = qfind(hvalue(t), key)) >= 0) q->a = (uint32_t)idx;
    else if (op == OP_GETFIELD && ttistable(t) && qfieldmt(L, hvalue(t), key, q))
      nop = OP_GETFIELD_MT;
    else nop = op;
  }
  if (v1 != NULL) { /* arithmetic or comparison */
    bool ii = ttisinteger(v1) && ttisinteger(v2), ff = ttisfloat(v1) && ttisfloat(v2);
    switch (op) {
      case OP_ADD: nop = ii ? OP_ADD_II : ff ? OP_ADD_FF : op; break;
      case OP_SUB: nop = ii ? OP_SUB_II : ff ? OP_SUB_FF : op; break;
      case OP_MUL: nop = ii ? OP_MUL_II : ff ? OP_MUL_FF : op; break;
      case OP_DIV: nop = ff ? OP_DIV_FF : op; break;
      case OP_ADDK: nop = ii ? OP_ADDK_II : ff ? OP_ADDK_FF : op; break;
      case OP_SUBK: nop = ii ? OP_SUBK_II : ff ? OP_SUBK_FF : op; break;
      case OP_MULK: nop = ii ? OP_MULK_II : ff ? OP_MULK_FF : op; break;
      case OP_LT: nop = ii ? OP_LT_II : ff ? OP_LT_FF : op; break;
      case OP_LE: nop = ii ? OP_LE_II : ff ? OP_LE_FF : op; break;
      default: break;
    }
  }
  QStats *st = G(L)->qstats;
  if (nop != op) {
    p->code[pc] = (i & ~(Instruction)0xff) | (Instruction)nop;
    q->counter = QMISSES;
    if (st) st->spec[nop]++;
  } else {
    qwait(q);
    if (st) st->fail[op]++;
  }
}

/* A quickened instruction at p->code[pc] missed: count it, and after
 * QMISSES misses give it back its generic opcode. */
QCOLD static void qmiss(lua_State *L, Proto *p, int pc) {
  QCache *q = &p->qc[pc];
  Instruction i = p->code[pc];
  QStats *st = G(L)->qstats;
  if (st) st->miss[GET_RAWOP(i)]++;
  if (--q->counter == 0) {
    if (st) st->despec[GET_RAWOP(i)]++;
    p->code[pc] = GENERIC_INSTR(i);
    qwait(q);
  }
}

/* A field form (GET/SETFIELD_H, GET/SETTABUP_H, SELF_H) missed on t[key]:
 * when t has the key in its hash part, remember that node as the second
 * one (a site that sees two table layouts then stops missing); count the
 * miss either way. */
QCOLD static void qmissfield(lua_State *L, Proto *p, int pc, const TValue *t,
                             const TValue *key) {
  if (ttistable(t)) {
    int64_t idx = qfind(hvalue(t), key);
    if (idx >= 0) p->qc[pc].b = (uint32_t)idx;
  }
  qmiss(L, p, pc);
}

void vm_qreport(lua_State *L) {
  global_State *g = G(L);
  QStats *st = g->qstats;
  if (st == NULL || !g->opts.istats) return;
  fprintf(stderr, "---- interpreter quickening (-istats)\n");
  fprintf(stderr, "  caches            %zu bytes in %zu prototypes (%zu bytes per instruction)\n",
          g->qbytes, g->qprotos, sizeof(QCache));
  fprintf(stderr, "  %-12s %14s %12s %10s %10s %8s\n", "form", "hits", "misses", "quickened",
          "restored", "hit%");
  uint64_t th = 0, tm = 0;
  for (int op = NUM_OPCODES; op < NUM_ALLOPS; op++) {
    uint64_t ex = st->exec[op], mi = st->miss[op];
    uint64_t hi = ex >= mi ? ex - mi : 0;
    if (ex == 0 && st->spec[op] == 0) continue;
    th += hi;
    tm += mi;
    fprintf(stderr, "  %-12s %14llu %12llu %10llu %10llu %7.2f%%\n", qopnames[op],
            (unsigned long long)hi, (unsigned long long)mi, (unsigned long long)st->spec[op],
            (unsigned long long)st->despec[op], ex ? 100.0 * (double)hi / (double)ex : 0.0);
  }
  fprintf(stderr, "  %-12s %14llu %12llu\n", "all", (unsigned long long)th,
          (unsigned long long)tm);
  fprintf(stderr, "  %-12s %14s %12s %10s\n", "generic", "executions", "", "no-fit");
  for (int op = 0; op < NUM_OPCODES; op++) {
    bool adaptive = false;
    for (int q = NUM_OPCODES; q < NUM_ALLOPS; q++)
      if (vm_qgeneric[q - NUM_OPCODES] == op) adaptive = true;
    if (!adaptive || st->exec[op] == 0) continue;
    fprintf(stderr, "  %-12s %14llu %12s %10llu\n", qopnames[op],
            (unsigned long long)st->exec[op], "", (unsigned long long)st->fail[op]);
  }
}

void vm_qfreestats(lua_State *L) {
  global_State *g = G(L);
  if (g->qstats == NULL) return;
  mem_free(L, g->qstats, sizeof(QStats));
  g->qstats = NULL;
}

/* -- The interpreter -- */

#define RA(i) (base + GETARG_A(i))
#define RB(i) (base + GETARG_B(i))
#define RC(i) (base + GETARG_C(i))
#define KB(i) (k + GETARG_B(i))
#define KC(i) (k + GETARG_C(i))
#define KBx(i) (k + GETARG_Bx(i))

#define savepc() (ci->savedpc = pc)
#define savestate() (savepc(), L->top = ci->top)
#define updatebase() (base = ci->func + 1)
#define Protect(exp) (savestate(), (exp), updatebase())
#define ProtectNT(exp) (savepc(), (exp), updatebase())
#define halfProtect(exp) (savestate(), (exp))

/* A collection after NEWTABLE, CONCAT and CLOSURE marks this frame only up
 * to 'c', just above the result, as lua5.4 does: the registers above are
 * dead temporaries (the compiler puts these results at the first free
 * register), and gc.c clears them, so they keep nothing alive. */
#define checkGC(L, c)                                       \
  do {                                                      \
    if (l_unlikely(G(L)->totalbytes > G(L)->gcthreshold)) { \
      savepc();                                             \
      L->top = (c);                                         \
      gc_check(L);                                          \
      updatebase();                                         \
      L->top = ci->top;                                     \
    }                                                       \
  } while (0)

#define vmfetch() (i = *pc++)
#define vmdispatch() goto *dispatch[GET_RAWOP(i)]
#define vmnext() \
  do {           \
    vmfetch();   \
    vmdispatch(); \
  } while (0)
#define dojump(off) (pc += (off))
/* A taken conditional jump backwards (repeat-until, loops the compiler
 * closed with a test) is a loop back-edge like JMP's. */
#define donextjump()                                                   \
  do {                                                                 \
    int sj_ = GETARG_sJ(*pc);                                          \
    pc += sj_ + 1;                                                     \
    if (sj_ < 0) {                                                     \
      jit_loop();                                                      \
      dispatch = G(L)->dispatch;                                       \
    }                                                                  \
  } while (0)
#define docondjump(cond) \
  do {                   \
    if ((int)(cond) != GETARG_C(i)) pc++; \
    else donextjump();   \
  } while (0)

#define tonumberns(o, n) \
  (ttisfloat(o) ? ((n) = fltvalue(o), 1) : (ttisinteger(o) ? ((n) = (lua_Number)ivalue(o), 1) : 0))

#define iadd(L, a, b) intop(+, a, b)
#define isub(L, a, b) intop(-, a, b)
#define imul(L, a, b) intop(*, a, b)
#define fadd(L, a, b) ((a) + (b))
#define fsub(L, a, b) ((a) - (b))
#define fmul(L, a, b) ((a) * (b))
#define fdiv(L, a, b) ((a) / (b))
#define fpow(L, a, b) ((b) == 2 ? (a) * (a) : pow(a, b))
#define fidiv(L, a, b) (floor((a) / (b)))
#define band(L, a, b) intop(&, a, b)
#define bor(L, a, b) intop(|, a, b)
#define bxor(L, a, b) intop(^, a, b)
#define shl(L, a, b) vm_shiftl(a, b)
#define shr(L, a, b) vm_shiftl(a, intop(-, 0, b))

/* integer or float operation on v1, v2 (register or constant) */
#define op_arith_aux(v1, v2, iop, fop, opcode)                         \
  do {                                                                 \
    if (ttisinteger(v1) && ttisinteger(v2)) {                          \
      lua_Integer i1 = ivalue(v1), i2 = ivalue(v2);                    \
      setivalue(ra, iop(L, i1, i2));                                   \
    } else {                                                           \
      lua_Number n1, n2;                                               \
      if (tonumberns(v1, n1) && tonumberns(v2, n2)) {                  \
        setfltvalue(ra, fop(L, n1, n2));                               \
      } else {                                                         \
        Protect(vm_arith(L, opcode, v1, v2, ra));                      \
      }                                                                \
    }                                                                  \
  } while (0)

/* integer ops that can raise (// and % by zero) need the pc saved */
#define op_arith_saved(v1, v2, iop, fop, opcode)                       \
  do {                                                                 \
    if (ttisinteger(v1) && ttisinteger(v2)) {                          \
      lua_Integer i1 = ivalue(v1), i2 = ivalue(v2);                    \
      savestate();                                                     \
      setivalue(ra, iop(L, i1, i2));                                   \
    } else {                                                           \
      lua_Number n1, n2;                                               \
      if (tonumberns(v1, n1) && tonumberns(v2, n2)) {                  \
        setfltvalue(ra, fop(L, n1, n2));                               \
      } else {                                                         \
        Protect(vm_arith(L, opcode, v1, v2, ra));                      \
      }                                                                \
    }                                                                  \
  } while (0)

#define op_arithf_aux(v1, v2, fop, opcode)                             \
  do {                                                                 \
    lua_Number n1, n2;                                                 \
    if (tonumberns(v1, n1) && tonumberns(v2, n2)) {                    \
      setfltvalue(ra, fop(L, n1, n2));                                 \
    } else {                                                           \
      Protect(vm_arith(L, opcode, v1, v2, ra));                        \
    }                                                                  \
  } while (0)

#define op_bitwise_aux(v1, v2, iop, opcode)                            \
  do {                                                                 \
    lua_Integer i1, i2;                                                \
    if (ttisinteger(v1) && ttisinteger(v2)) {                          \
      setivalue(ra, iop(L, ivalue(v1), ivalue(v2)));                   \
    } else if (ttisnumber(v1) && ttisnumber(v2) &&                     \
               obj_tointegerns(v1, &i1, F2Ieq) && obj_tointegerns(v2, &i2, F2Ieq)) { \
      setivalue(ra, iop(L, i1, i2));                                   \
    } else {                                                           \
      Protect(vm_arith(L, opcode, v1, v2, ra));                        \
    }                                                                  \
  } while (0)

#define op_order(opi, opf, slow)                                       \
  do {                                                                 \
    TValue *rb = RB(i);                                                \
    int cond;                                                          \
    if (ttisinteger(ra) && ttisinteger(rb)) cond = ivalue(ra) opi ivalue(rb); \
    else if (ttisnumber(ra) && ttisnumber(rb)) cond = slow##num(ra, rb); \
    else Protect(cond = vm_##slow(L, ra, rb));                          \
    docondjump(cond);                                                  \
  } while (0)

#define op_orderI(opi, flip, tmev)                                     \
  do {                                                                 \
    int im = GETARG_sB(i);                                             \
    int cond;                                                          \
    if (ttisinteger(ra)) cond = ivalue(ra) opi im;                     \
    else if (ttisfloat(ra)) cond = fltvalue(ra) opi (lua_Number)im;    \
    else {                                                             \
      TValue imv;                                                      \
      if (GETARG_C(i) & 2) setfltvalue(&imv, (lua_Number)im);          \
      else setivalue(&imv, im);                                        \
      if (flip) Protect(cond = tm_callorderTM(L, &imv, ra, tmev));     \
      else Protect(cond = tm_callorderTM(L, ra, &imv, tmev));          \
    }                                                                  \
    if (cond != (GETARG_C(i) & 1)) pc++;                               \
    else donextjump();                                                 \
  } while (0)

/* The cache entry of the instruction before pc (p->qc[pc - 1 - p->code]
 * without loading p->code: see qalloc). */
#define QAT(p, pc) ((QCache *)((p)->qbias + (uintptr_t)(pc) * 3u))
/* Adaptive generic handler: count down; at zero try to specialize. */
#define QADAPT()                                                       \
  do {                                                                 \
    Proto *p_ = cl->p;                                                 \
    if (l_likely(p_->qbias != 0)) {                                    \
      if (l_unlikely(--QAT(p_, pc)->counter == 0)) goto L_QSPEC;       \
    } else {                                                           \
      goto L_QALLOC;                                                   \
    }                                                                  \
  } while (0)
/* This (quickened) instruction's cache entry. */
#define QENTRY() QAT(cl->p, pc)
/* A quickened instruction's guard failed: run the generic body. */
#define QMISS(gen)                                                     \
  do {                                                                 \
    qmiss(L, cl->p, (int)(pc - 1 - cl->p->code));                      \
    goto L_##gen##_body;                                               \
  } while (0)

#define QMISSFIELD(gen, t, key)                                        \
  do {                                                                 \
    qmissfield(L, cl->p, (int)(pc - 1 - cl->p->code), t, key);         \
    goto L_##gen##_body;                                               \
  } while (0)

#define LTnum_(a, b) LTnum(a, b)
#define lessthannum(a, b) LTnum(a, b)
#define lessequalnum(a, b) LEnum(a, b)

/* Frame ci of a Lua function was just made, at its first instruction:
 * count the call; when the count runs out, the JIT runs the function's
 * entry trace or records one (trace.c jit_call). */
#define jit_enterfunc()                                                \
  do {                                                                 \
    Proto *jp_ = clLvalue(ci->func)->p;                                \
    if (l_unlikely(--jp_->hotcall < 0)) {                              \
      const Instruction *jpc_ = jit_call(L, ci);                       \
      ci = L->ci; /* an exit inside inlined calls made frames */       \
      ci->savedpc = jpc_;                                              \
    }                                                                  \
  } while (0)

void vm_execute(lua_State *L, CallInfo *ci) {
  static const void *const disptab[NUM_ALLOPS] = {
#define OPLABEL(name) &&L_##name,
      OPCODES(OPLABEL)
#undef OPLABEL
#define QOPLABEL(name, gen) &&L_##name,
      QOPCODES(QOPLABEL)
#undef QOPLABEL
  };
  const void *const *dispatch;
  LClosure *cl;
  TValue *k;
  StkId base;
  const Instruction *pc;
  Instruction i;
  StkId ra;
  static const void *const rectab[NUM_ALLOPS] = {
#define RECLABEL(name) &&L_RECORD,
      OPCODES(RECLABEL)
#undef RECLABEL
#define QRECLABEL(name, gen) &&L_RECORD,
      QOPCODES(QRECLABEL)
#undef QRECLABEL
  };
  static const void *const hooktab[NUM_ALLOPS] = {
#define HOOKLABEL(name) &&L_HOOK,
      OPCODES(HOOKLABEL)
#undef HOOKLABEL
#define QHOOKLABEL(name, gen) &&L_HOOK,
      QOPCODES(QHOOKLABEL)
#undef QHOOKLABEL
  };
  /* -istats: count executions per opcode byte, then dispatch */
  static const void *const istattab[NUM_ALLOPS] = {
#define ISTLABEL(name) &&L_ISTAT,
      OPCODES(ISTLABEL)
#undef ISTLABEL
#define QISTLABEL(name, gen) &&L_ISTAT,
      QOPCODES(QISTLABEL)
#undef QISTLABEL
  };
  if (l_unlikely(G(L)->dispatch == NULL)) {
    const void *const *normal = disptab;
    /* -jstats counts the bytecodes the interpreter runs this way too
     * (runtime/trace/jstats.c): the share left to the interpreter */
    if ((G(L)->opts.istats || (G(L)->opts.stats && G(L)->opts.jit_enabled)) &&
        G(L)->qstats == NULL) {
      QStats *st = (QStats *)mem_tryrealloc(L, NULL, 0, sizeof(QStats));
      if (st != NULL) {
        memset(st, 0, sizeof(QStats));
        G(L)->qstats = st;
        normal = istattab;
      }
    }
    G(L)->dispatch = G(L)->nhooked > 0 ? hooktab : normal;
    G(L)->disp_normal = normal;
    G(L)->disp_record = rectab;
    G(L)->disp_hook = hooktab;
  }
  /* a call from C (do_call) starts here */
  if (ci->savedpc == clLvalue(ci->func)->p->code)
    jit_enterfunc();
startfunc:
returning:
  dispatch = G(L)->dispatch;
  cl = clLvalue(ci->func);
  k = cl->p->k;
  pc = ci->savedpc;
  base = ci->func + 1;
  vmfetch();
  ra = RA(i);
  vmdispatch();

  /* Hook mode (debug.sethook): line and count events before each
   * instruction; Lua returns take the general path, which calls do_poscall
   * and so the return hook. */
L_HOOK:
  if (L->hookmask) {
    /* A frame's savedpc stays at its first instruction until something
     * saves it, and in hook mode every instruction does (below); a frame
     * seen here once is marked, so a jump back to its first instruction
     * (whose back-edge may save that pc) is no new call.  Vararg functions
     * get their call event after VARARGPREP. */
    if (!(ci->callstatus & CIST_HOOKSEEN)) {
      ci->callstatus |= CIST_HOOKSEEN;
      if (ci->savedpc == cl->p->code && !cl->p->is_vararg) {
        dbg_hookcall(L, ci);
        updatebase();
      }
    }
    savepc();
    if ((L->hookmask & (LUA_MASKLINE | LUA_MASKCOUNT)) && GET_OPCODE(i) != OP_VARARGPREP) {
      if (!dbg_usestop(i)) L->top = ci->top;
      dbg_traceexec(L, pc);
      updatebase();
    }
    dispatch = G(L)->dispatch;
  }
  if (L->hookmask && GET_OPCODE(i) == OP_RETURN0) {
    ra = RA(i);
    L->top = ra;
    goto L_RETURN;
  }
  if (L->hookmask && GET_OPCODE(i) == OP_RETURN1) {
    ra = RA(i);
    goto L_RETURN;
  }
  goto *disptab[GET_RAWOP(i)];

  /* Recording mode: every instruction passes through the recorder first. */
L_RECORD:
  jit_record(L, ci, pc - 1);
  dispatch = G(L)->dispatch;
  goto *disptab[GET_RAWOP(i)];

L_ISTAT:
  G(L)->qstats->exec[GET_RAWOP(i)]++;
  goto *disptab[GET_RAWOP(i)];


  /* An adaptive handler's counter ran out: specialize, then run the
   * instruction in whatever form it now has. */
L_QSPEC:
  qspecialize(L, ci, (int)(pc - 1 - cl->p->code));
  i = pc[-1];
  goto L_QBODY;
  /* The first adaptive instruction of this prototype: make its caches. */
L_QALLOC:
  if (cl->p->qc == NULL) qalloc(L, cl->p);
L_QBODY:
  switch (GET_RAWOP(i)) {
#define QBODY(name) case OP_##name: goto L_##name##_body;
    QGENERICS(QBODY)
#undef QBODY
    default: goto *disptab[GET_RAWOP(i)];
  }

/* A backward branch landed on pc: run a trace there, or count it. */
#define jit_loop()                                                     \
  do {                                                                 \
    if (G(L)->jit && !jit_blocked(cl->p, pc)) {                        \
      savestate();                                                     \
      pc = jit_backedge(L, ci, pc);                                    \
      if (l_unlikely(L->ci != ci)) { /* exited inside inlined calls */ \
        ci = L->ci;                                                    \
        goto startfunc;                                                \
      }                                                                \
      updatebase();                                                    \
    }                                                                  \
  } while (0)

#define CASE(name) L_##name: ra = RA(i);
#define BREAK vmnext()

  CASE(MOVE) {
    setobj(ra, RB(i));
    vmfetch(); ra = RA(i); vmdispatch();
  }
  CASE(LOADI) {
    setivalue(ra, GETARG_sBx(i));
    BREAK;
  }
  CASE(LOADF) {
    setfltvalue(ra, (lua_Number)GETARG_sBx(i));
    BREAK;
  }
  CASE(LOADK) {
    setobj(ra, KBx(i));
    BREAK;
  }
  CASE(LOADKX) {
    setobj(ra, k + GETARG_Ax(*pc));
    pc++;
    BREAK;
  }
  CASE(LOADFALSE) {
    setbfvalue(ra);
    BREAK;
  }
  CASE(LFALSESKIP) {
    setbfvalue(ra);
    pc++;
    BREAK;
  }
  CASE(LOADTRUE) {
    setbtvalue(ra);
    BREAK;
  }
  CASE(LOADNIL) {
    int b = GETARG_B(i);
    do {
      setnilvalue(ra++);
    } while (b--);
    BREAK;
  }
  CASE(GETUPVAL) {
    setobj(ra, cl->upvals[GETARG_B(i)]->v);
    BREAK;
  }
  CASE(SETUPVAL) {
    setobj(cl->upvals[GETARG_B(i)]->v, ra);
    BREAK;
  }
  CASE(GETTABUP) {
    QADAPT();
  L_GETTABUP_body:;
    TValue *upval = cl->upvals[GETARG_B(i)]->v;
    TValue *rc = KC(i);
    if (ttistable(upval)) {
      const TValue *slot = tab_getshortstr(hvalue(upval), tsvalue(rc));
      if (!ttisnil(slot)) {
        setobj(ra, slot);
        BREAK;
      }
      Protect(vm_finishget(L, upval, rc, ra, slot));
    } else {
      Protect(vm_finishget(L, upval, rc, ra, NULL));
    }
    BREAK;
  }
  CASE(GETTABLE) {
    TValue *rb = RB(i);
    TValue *rc = RC(i);
    if (ttistable(rb)) {
      Table *h = hvalue(rb);
      const TValue *slot;
      if (ttisinteger(rc)) {
        lua_Integer key = ivalue(rc);
        if (l_castS2U(key) - 1u < h->asize) slot = &h->array[key - 1];
        else slot = tab_getint(h, key);
      } else {
        slot = tab_get(h, rc);
      }
      if (!ttisnil(slot)) {
        setobj(ra, slot);
        BREAK;
      }
      Protect(vm_finishget(L, rb, rc, ra, slot));
    } else {
      Protect(vm_finishget(L, rb, rc, ra, NULL));
    }
    BREAK;
  }
  CASE(GETI) {
    TValue *rb = RB(i);
    int c = GETARG_C(i);
    if (ttistable(rb)) {
      Table *h = hvalue(rb);
      const TValue *slot = (unsigned)c - 1u < h->asize ? &h->array[c - 1] : tab_getint(h, c);
      if (!ttisnil(slot)) {
        setobj(ra, slot);
        BREAK;
      }
      TValue key;
      setivalue(&key, c);
      Protect(vm_finishget(L, rb, &key, ra, slot));
    } else {
      TValue key;
      setivalue(&key, c);
      Protect(vm_finishget(L, rb, &key, ra, NULL));
    }
    BREAK;
  }
  CASE(GETFIELD) {
    QADAPT();
  L_GETFIELD_body:;
    TValue *rb = RB(i);
    TValue *rc = KC(i);
    if (ttistable(rb)) {
      const TValue *slot = tab_getshortstr(hvalue(rb), tsvalue(rc));
      if (!ttisnil(slot)) {
        setobj(ra, slot);
        BREAK;
      }
      Protect(vm_finishget(L, rb, rc, ra, slot));
    } else {
      Protect(vm_finishget(L, rb, rc, ra, NULL));
    }
    BREAK;
  }
  CASE(SETTABUP) {
    QADAPT();
  L_SETTABUP_body:;
    TValue *upval = cl->upvals[GETARG_A(i)]->v;
    TValue *rb = KB(i);
    TValue *rc = RC(i);
    if (ttistable(upval)) {
      const TValue *slot = tab_getshortstr(hvalue(upval), tsvalue(rb));
      if (!ttisnil(slot)) {
        setobj((TValue *)slot, rc);
        BREAK;
      }
      Protect(vm_finishset(L, upval, rb, rc, slot));
    } else {
      Protect(vm_finishset(L, upval, rb, rc, NULL));
    }
    BREAK;
  }
  CASE(SETTABLE) {
    TValue *rb = RB(i);
    TValue *rc = RC(i);
    if (ttistable(ra)) {
      Table *h = hvalue(ra);
      const TValue *slot;
      if (ttisinteger(rb)) {
        lua_Integer key = ivalue(rb);
        if (l_castS2U(key) - 1u < h->asize) slot = &h->array[key - 1];
        else slot = tab_getint(h, key);
      } else {
        slot = tab_get(h, rb);
      }
      if (!ttisnil(slot)) {
        setobj((TValue *)slot, rc);
        BREAK;
      }
      Protect(vm_finishset(L, ra, rb, rc, slot));
    } else {
      Protect(vm_finishset(L, ra, rb, rc, NULL));
    }
    BREAK;
  }
  CASE(SETI) {
    int b = GETARG_B(i);
    TValue *rc = RC(i);
    if (ttistable(ra)) {
      Table *h = hvalue(ra);
      const TValue *slot = (unsigned)b - 1u < h->asize ? &h->array[b - 1] : tab_getint(h, b);
      if (!ttisnil(slot)) {
        setobj((TValue *)slot, rc);
        BREAK;
      }
      TValue key;
      setivalue(&key, b);
      Protect(vm_finishset(L, ra, &key, rc, slot));
    } else {
      TValue key;
      setivalue(&key, b);
      Protect(vm_finishset(L, ra, &key, rc, NULL));
    }
    BREAK;
  }
  CASE(SETFIELD) {
    QADAPT();
  L_SETFIELD_body:;
    TValue *rb = KB(i);
    TValue *rc = RC(i);
    if (ttistable(ra)) {
      const TValue *slot = tab_getshortstr(hvalue(ra), tsvalue(rb));
      if (!ttisnil(slot)) {
        setobj((TValue *)slot, rc);
        BREAK;
      }
      Protect(vm_finishset(L, ra, rb, rc, slot));
    } else {
      Protect(vm_finishset(L, ra, rb, rc, NULL));
    }
    BREAK;
  }
  CASE(NEWTABLE) {
    int b = GETARG_B(i);
    int c = GETARG_C(i);
    unsigned int asize = b < 128 ? (unsigned int)b : 1u << (b - 128);
    unsigned int hsize = c < 128 ? (unsigned int)c : 1u << (c - 128);
    savestate();
    Table *t = tab_new(L);
    sethvalue(ra, t);
    if (asize || hsize) tab_resize(L, t, asize, hsize);
    checkGC(L, ra + 1);
    BREAK;
  }
  CASE(SELF) {
    QADAPT();
  L_SELF_body:;
    TValue *rb = RB(i);
    TValue *rc = KC(i);
    setobj(ra + 1, rb);
    if (ttistable(rb)) {
      const TValue *slot = tab_getshortstr(hvalue(rb), tsvalue(rc));
      if (!ttisnil(slot)) {
        setobj(ra, slot);
        BREAK;
      }
      Protect(vm_finishget(L, rb, rc, ra, slot));
    } else {
      Protect(vm_finishget(L, rb, rc, ra, NULL));
    }
    BREAK;
  }
  CASE(ADDI) {
    TValue *rb = RB(i);
    int imm = GETARG_sC(i);
    if (ttisinteger(rb)) {
      setivalue(ra, intop(+, ivalue(rb), imm));
    } else if (ttisfloat(rb)) {
      setfltvalue(ra, fltvalue(rb) + (lua_Number)imm);
    } else {
      TValue iv;
      setivalue(&iv, imm);
      Protect(vm_arith(L, LUA_OPADD, rb, &iv, ra));
    }
    BREAK;
  }
  CASE(SUBI) { /* R[B] + (-sC): the sum, as lua5.4 computes x - i */
    TValue *rb = RB(i);
    int imm = GETARG_sC(i);
    if (ttisinteger(rb)) {
      setivalue(ra, intop(+, ivalue(rb), -imm));
    } else if (ttisfloat(rb)) {
      setfltvalue(ra, fltvalue(rb) + (lua_Number)-imm);
    } else {
      TValue iv;
      setivalue(&iv, imm);
      Protect(vm_arith(L, LUA_OPSUB, rb, &iv, ra));
    }
    BREAK;
  }
  CASE(ADDK) { QADAPT(); L_ADDK_body: op_arith_aux(RB(i), KC(i), iadd, fadd, LUA_OPADD); BREAK; }
  CASE(SUBK) { QADAPT(); L_SUBK_body: op_arith_aux(RB(i), KC(i), isub, fsub, LUA_OPSUB); BREAK; }
  CASE(MULK) { QADAPT(); L_MULK_body: op_arith_aux(RB(i), KC(i), imul, fmul, LUA_OPMUL); BREAK; }
  CASE(MODK) { op_arith_saved(RB(i), KC(i), vm_mod, vm_modf, LUA_OPMOD); BREAK; }
  CASE(POWK) { op_arithf_aux(RB(i), KC(i), fpow, LUA_OPPOW); BREAK; }
  CASE(DIVK) { op_arithf_aux(RB(i), KC(i), fdiv, LUA_OPDIV); BREAK; }
  CASE(IDIVK) { op_arith_saved(RB(i), KC(i), vm_idiv, fidiv, LUA_OPIDIV); BREAK; }
  CASE(BANDK) { op_bitwise_aux(RB(i), KC(i), band, LUA_OPBAND); BREAK; }
  CASE(BORK) { op_bitwise_aux(RB(i), KC(i), bor, LUA_OPBOR); BREAK; }
  CASE(BXORK) { op_bitwise_aux(RB(i), KC(i), bxor, LUA_OPBXOR); BREAK; }
  CASE(SHLK) { op_bitwise_aux(RB(i), KC(i), shl, LUA_OPSHL); BREAK; }
  CASE(SHRK) { op_bitwise_aux(RB(i), KC(i), shr, LUA_OPSHR); BREAK; }
  CASE(ADDKL) {
    TValue *rb = RB(i);
    TValue *kc = KC(i);
    if (ttisinteger(rb) && ttisinteger(kc)) {
      setivalue(ra, intop(+, ivalue(kc), ivalue(rb)));
    } else if (ttisfloat(rb) && ttisfloat(kc)) {
      setfltvalue(ra, fltvalue(kc) + fltvalue(rb));
    } else {
      op_arith_aux(kc, rb, iadd, fadd, LUA_OPADD);
    }
    BREAK;
  }
  CASE(MULKL) {
    TValue *rb = RB(i);
    TValue *kc = KC(i);
    if (ttisfloat(rb) && ttisfloat(kc)) {
      setfltvalue(ra, fltvalue(kc) * fltvalue(rb));
    } else {
      op_arith_aux(kc, rb, imul, fmul, LUA_OPMUL);
    }
    BREAK;
  }
  CASE(ADD) { QADAPT(); L_ADD_body: op_arith_aux(RB(i), RC(i), iadd, fadd, LUA_OPADD); BREAK; }
  CASE(SUB) { QADAPT(); L_SUB_body: op_arith_aux(RB(i), RC(i), isub, fsub, LUA_OPSUB); BREAK; }
  CASE(MUL) { QADAPT(); L_MUL_body: op_arith_aux(RB(i), RC(i), imul, fmul, LUA_OPMUL); BREAK; }
  CASE(MOD) { op_arith_saved(RB(i), RC(i), vm_mod, vm_modf, LUA_OPMOD); BREAK; }
  CASE(POW) { op_arithf_aux(RB(i), RC(i), fpow, LUA_OPPOW); BREAK; }
  CASE(DIV) { QADAPT(); L_DIV_body: op_arithf_aux(RB(i), RC(i), fdiv, LUA_OPDIV); BREAK; }
  CASE(IDIV) { op_arith_saved(RB(i), RC(i), vm_idiv, fidiv, LUA_OPIDIV); BREAK; }
  CASE(BAND) { op_bitwise_aux(RB(i), RC(i), band, LUA_OPBAND); BREAK; }
  CASE(BOR) { op_bitwise_aux(RB(i), RC(i), bor, LUA_OPBOR); BREAK; }
  CASE(BXOR) { op_bitwise_aux(RB(i), RC(i), bxor, LUA_OPBXOR); BREAK; }
  CASE(SHL) { op_bitwise_aux(RB(i), RC(i), shl, LUA_OPSHL); BREAK; }
  CASE(SHR) { op_bitwise_aux(RB(i), RC(i), shr, LUA_OPSHR); BREAK; }
  CASE(UNM) {
    TValue *rb = RB(i);
    if (ttisinteger(rb)) {
      setivalue(ra, intop(-, 0, ivalue(rb)));
    } else if (ttisfloat(rb)) {
      setfltvalue(ra, -fltvalue(rb));
    } else {
      Protect(vm_arith(L, LUA_OPUNM, rb, rb, ra));
    }
    BREAK;
  }
  CASE(BNOT) {
    TValue *rb = RB(i);
    lua_Integer ib;
    if (ttisinteger(rb)) {
      setivalue(ra, intop(^, ~l_castS2U(0), ivalue(rb)));
    } else if (ttisfloat(rb) && obj_tointegerns(rb, &ib, F2Ieq)) {
      setivalue(ra, intop(^, ~l_castS2U(0), ib));
    } else {
      Protect(vm_arith(L, LUA_OPBNOT, rb, rb, ra));
    }
    BREAK;
  }
  CASE(NOT) {
    TValue *rb = RB(i);
    setbvalue(ra, l_isfalse(rb));
    BREAK;
  }
  CASE(LEN) {
    Protect(vm_objlen(L, ra, RB(i)));
    BREAK;
  }
  CASE(CONCAT) {
    int n = GETARG_B(i);
    L->top = ra + n;
    ProtectNT(vm_concat(L, n));
    checkGC(L, L->top); /* vm_concat leaves the top at ra + 1 */
    BREAK;
  }
  CASE(CLOSE) {
    Protect(func_close(L, ra, -1));
    BREAK;
  }
  CASE(TBC) {
    halfProtect(func_newtbcupval(L, ra));
    BREAK;
  }
  CASE(JMP) {
    dojump(GETARG_sJ(i));
    if (GETARG_sJ(i) < 0) jit_loop();
    dispatch = G(L)->dispatch;
    BREAK;
  }
  CASE(EQ) {
    TValue *rb = RB(i);
    int cond = rawequal_fast(ra, rb);
    if (cond < 0) {
      if (ra->tt == rb->tt && ra->tt != TAG_TABLE && ra->tt != TAG_UDATA) cond = vm_rawequalobj(ra, rb);
      else Protect(cond = vm_equalobj(L, ra, rb));
    }
    docondjump(cond);
    BREAK;
  }
  CASE(LT) {
    QADAPT();
  L_LT_body:
    op_order(<, LT, lessthan);
    BREAK;
  }
  CASE(LE) {
    QADAPT();
  L_LE_body:
    op_order(<=, LE, lessequal);
    BREAK;
  }
  CASE(EQK) {
    int cond = rawequal_fast(ra, KB(i));
    if (cond < 0) cond = vm_rawequalobj(ra, KB(i));
    docondjump(cond);
    BREAK;
  }
  CASE(EQI) {
    int cond;
    int im = GETARG_sB(i);
    if (ttisinteger(ra)) cond = (ivalue(ra) == im);
    else if (ttisfloat(ra)) cond = (fltvalue(ra) == (lua_Number)im);
    else cond = 0;
    docondjump(cond);
    BREAK;
  }
  CASE(LTI) {
    op_orderI(<, 0, TM_LT);
    BREAK;
  }
  CASE(LEI) {
    op_orderI(<=, 0, TM_LE);
    BREAK;
  }
  CASE(GTI) {
    op_orderI(>, 1, TM_LT);
    BREAK;
  }
  CASE(GEI) {
    op_orderI(>=, 1, TM_LE);
    BREAK;
  }
  CASE(TEST) {
    docondjump(!l_isfalse(ra));
    BREAK;
  }
  CASE(TESTSET) {
    TValue *rb = RB(i);
    if ((int)l_isfalse(rb) == GETARG_C(i)) {
      pc++;
    } else {
      setobj(ra, rb);
      donextjump();
    }
    BREAK;
  }
  CASE(CALL) {
    int b = GETARG_B(i);
    int nresults = GETARG_C(i) - 1;
    if (b != 0) L->top = ra + b;
    savepc();
    if (ttisLclosure(ra)) { /* Lua function: set up the frame inline */
      Proto *p = clLvalue(ra)->p;
      int fsize = p->maxstacksize;
      if (l_likely(L->stack_last - L->top > fsize)) {
        int narg = (int)(L->top - ra) - 1;
        CallInfo *nci = ci->next ? ci->next : do_extendci(L);
        nci->nresults = (short)nresults;
        nci->callstatus = 0;
        nci->func = ra;
        nci->top = ra + 1 + fsize;
        nci->savedpc = p->code;
        nci->nextraargs = 0;
        for (; narg < p->numparams; narg++) setnilvalue(L->top++);
        ci = nci;
        L->ci = ci;
        jit_enterfunc();
        goto startfunc;
      }
    }
    CallInfo *newci = do_precall(L, ra, nresults);
    if (newci == NULL) { /* C function: already done */
      updatebase();
      dispatch = G(L)->dispatch; /* it may have set a debug hook */
      BREAK;
    }
    ci = newci;
    jit_enterfunc();
    goto startfunc;
  }
  CASE(TAILCALL) {
    int b = GETARG_B(i);
    if (b != 0) L->top = ra + b;
    else b = (int)(L->top - ra);
    savepc();
    if (L->openupval != NULL && L->openupval->v >= base) {
      func_closeupval(L, base);
    }
    int delta = cl->p->is_vararg ? ci->nextraargs + cl->p->numparams + 1 : 0;
    while (!ttisfunction(ra)) {
      ptrdiff_t rar = savestack(L, ra);
      do_tryfuncTM(L, ra);
      ra = restorestack(L, rar);
      b++;
      updatebase();
    }
    if (ttisLclosure(ra)) {
      Proto *p = clLvalue(ra)->p;
      int fsize = p->maxstacksize;
      if (L->stack_last - L->top <= fsize) {
        ptrdiff_t rar = savestack(L, ra);
        do_growstack(L, fsize);
        ra = restorestack(L, rar);
      }
      ci->func -= delta;
      StkId func = ci->func;
      for (int j = 0; j < b; j++) setobj(func + j, ra + j);
      L->top = func + b;
      for (int narg = b - 1; narg < p->numparams; narg++) setnilvalue(L->top++);
      ci->top = func + 1 + fsize;
      ci->savedpc = p->code;
      ci->callstatus = (unsigned short)((ci->callstatus | CIST_TAIL) & ~CIST_HOOKSEEN);
      ci->nextraargs = 0;
      jit_enterfunc();
      goto startfunc;
    } else {
      ptrdiff_t rar = savestack(L, ra);
      do_precall(L, ra, LUA_MULTRET);
      ra = restorestack(L, rar);
      int n = (int)(L->top - ra);
      ci->func -= delta;
      do_poscall(L, ci, n);
      goto ret;
    }
  }
  CASE(RETURN) {
    int n = GETARG_B(i) - 1;
    if (n < 0) n = (int)(L->top - ra);
    savepc();
    if ((L->openupval != NULL && L->openupval->v >= base) ||
        (L->ntbc > 0 && L->tbc[L->ntbc - 1] >= savestack(L, base))) {
      ptrdiff_t rar = savestack(L, ra);
      L->top = ra + n;
      func_close(L, base, -1);
      updatebase();
      ra = restorestack(L, rar);
    }
    if (cl->p->is_vararg) ci->func -= ci->nextraargs + cl->p->numparams + 1;
    L->top = ra + n;
    do_poscall(L, ci, n);
    goto ret;
  }
  CASE(RETURN0) {
    if (l_unlikely(cl->p->is_vararg || (L->openupval != NULL && L->openupval->v >= base) ||
                   L->ntbc > 0)) {
      L->top = ra;
      goto L_RETURN;
    }
    int nres = ci->nresults;
    L->ci = ci->previous;
    L->top = base - 1;
    for (; nres > 0; nres--) setnilvalue(L->top++);
    goto ret;
  }
  CASE(RETURN1) {
    if (l_unlikely(cl->p->is_vararg || (L->openupval != NULL && L->openupval->v >= base) ||
                   L->ntbc > 0)) {
      goto L_RETURN;
    }
    int nres = ci->nresults;
    L->ci = ci->previous;
    if (nres == 0) {
      L->top = base - 1;
    } else {
      StkId res = base - 1;
      setobj(res, ra);
      L->top = res + 1;
      for (; nres > 1; nres--) setnilvalue(L->top++);
    }
    goto ret;
  }
  CASE(FORLOOP) {
    if (ttisinteger(ra + 2)) {
      lua_Unsigned count = l_castS2U(ivalue(ra + 1));
      if (count > 0) {
        lua_Integer step = ivalue(ra + 2);
        lua_Integer idx = ivalue(ra);
        setivalue(ra + 1, l_castU2S(count - 1));
        idx = intop(+, idx, step);
        setivalue(ra, idx);
        setivalue(ra + 3, idx);
        pc -= GETARG_Bx(i);
        jit_loop();
        dispatch = G(L)->dispatch;
      }
    } else {
      lua_Number step = fltvalue(ra + 2);
      lua_Number limit = fltvalue(ra + 1);
      lua_Number idx = fltvalue(ra);
      idx += step;
      if (step > 0 ? idx <= limit : limit <= idx) {
        setfltvalue(ra, idx);
        setfltvalue(ra + 3, idx);
        pc -= GETARG_Bx(i);
        jit_loop();
        dispatch = G(L)->dispatch;
      }
    }
    BREAK;
  }
  CASE(FORPREP) {
    savestate();
    if (forprep(L, ra)) pc += GETARG_Bx(i) + 1;
    BREAK;
  }
  CASE(TFORPREP) {
    halfProtect(func_newtbcupval(L, ra + 3));
    pc += GETARG_Bx(i);
    vmfetch();
    ra = RA(i);
    goto L_TFORCALL_body;
  }
  CASE(TFORCALL) {
  L_TFORCALL_body:
    setobj(ra + 4, ra);
    setobj(ra + 5, ra + 1);
    setobj(ra + 6, ra + 2);
    L->top = ra + 4 + 3;
    savepc();
    CallInfo *newci = do_precall(L, ra + 4, GETARG_C(i));
    if (newci == NULL) {
      updatebase();
      BREAK; /* next instruction is TFORLOOP */
    }
    ci = newci;
    jit_enterfunc();
    goto startfunc;
  }
  CASE(TFORLOOP) {
    if (!ttisnil(ra + 4)) {
      setobj(ra + 2, ra + 4);
      pc -= GETARG_Bx(i);
      jit_loop();
      dispatch = G(L)->dispatch;
    }
    BREAK;
  }
  CASE(SETLIST) {
    int n = GETARG_B(i);
    unsigned int last = (unsigned int)GETARG_Ax(*pc);
    pc++;
    if (n == 0) n = (int)(L->top - ra) - 1;
    else L->top = ci->top;
    last += (unsigned int)n;
    if (l_unlikely(!ttistable(ra))) { /* only a forged binary chunk gets here */
      savestate();
      dbg_runerror(L, "bad binary chunk (SETLIST on a %s value)", tm_objtypename(L, ra));
    }
    Table *h = hvalue(ra);
    if (last > h->asize) {
      savepc();
      tab_resizearray(L, h, last);
    }
    for (; n > 0; n--) {
      TValue *val = ra + n;
      setobj(&h->array[last - 1], val);
      last--;
    }
    BREAK;
  }
  CASE(CLOSURE) {
    Proto *p = cl->p->p[GETARG_Bx(i)];
    savestate();
    LClosure *ncl = func_newLclosure(L, p->sizeupvalues);
    ncl->p = p;
    setclLvalue(ra, ncl);
    for (int j = 0; j < p->sizeupvalues; j++) {
      if (p->upvalues[j].instack) ncl->upvals[j] = func_findupval(L, base + p->upvalues[j].idx);
      else ncl->upvals[j] = cl->upvals[p->upvalues[j].idx];
    }
    checkGC(L, ra + 1);
    BREAK;
  }
  CASE(VARARG) {
    int n = GETARG_C(i) - 1;
    int nextra = ci->nextraargs;
    if (n < 0) {
      n = nextra;
      if (L->stack_last - L->top <= nextra) {
        ptrdiff_t rar = savestack(L, ra);
        savepc();
        do_growstack(L, nextra);
        updatebase();
        ra = restorestack(L, rar);
      }
      L->top = ra + n;
    }
    int j;
    for (j = 0; j < n && j < nextra; j++) setobj(ra + j, ci->func - nextra + j);
    for (; j < n; j++) setnilvalue(ra + j);
    BREAK;
  }
  CASE(VARARGPREP) {
    Proto *p = cl->p;
    int nfixparams = p->numparams;
    int actual = (int)(L->top - ci->func) - 1;
    int nextra = actual - nfixparams;
    ci->nextraargs = nextra;
    if (L->stack_last - L->top <= p->maxstacksize + 1) {
      savepc();
      do_growstack(L, p->maxstacksize + 1);
    }
    StkId func = ci->func;
    setobj(L->top, func);
    L->top++;
    for (int j = 1; j <= nfixparams; j++) {
      setobj(L->top, func + j);
      L->top++;
      setnilvalue(func + j);
    }
    ci->func += actual + 1;
    ci->top += actual + 1;
    updatebase();
    if (l_unlikely(dispatch == hooktab) && L->hookmask) { /* call event after VARARGPREP */
      savepc();
      Protect(dbg_hookcall(L, ci));
      L->oldpc = 1; /* the next instruction starts a line */
    }
    BREAK;
  }
  CASE(EXTRAARG) {
    BREAK;
  }

  /* -- Quickened forms (see "Quickening" above) -- */
  CASE(GETTABUP_H) {
    TValue *upval = cl->upvals[GETARG_B(i)]->v;
    if (l_likely(ttistable(upval))) {
      const TValue *v = qgetslot(hvalue(upval), QENTRY(), tsvalue(KC(i)));
      if (l_likely(v != NULL)) {
        if (l_likely(!ttisnil(v))) setobj(ra, v);
        else setnilvalue(ra);
        BREAK;
      }
    }
    QMISSFIELD(GETTABUP, upval, KC(i));
  }
  CASE(GETFIELD_H) {
    TValue *rb = RB(i);
    if (l_likely(ttistable(rb))) {
      const TValue *v = qgetslot(hvalue(rb), QENTRY(), tsvalue(KC(i)));
      if (l_likely(v != NULL)) {
        if (l_likely(!ttisnil(v))) setobj(ra, v);
        else setnilvalue(ra);
        BREAK;
      }
    }
    QMISSFIELD(GETFIELD, rb, KC(i));
  }
  CASE(GETFIELD_MT) { /* absent from the table or nil: its metatable's __index table */
    TValue *rb = RB(i);
    if (l_likely(ttistable(rb))) {
      Table *h = hvalue(rb);
      QCache *q = QENTRY();
      TString *key = tsvalue(KC(i));
      const TValue *v = qlookup(h, q->a, key);
      if (!ttisnil(v)) {
        setobj(ra, v);
        BREAK;
      }
      Table *mt = h->metatable;
      if (l_likely(mt != NULL)) {
        const TValue *c = qnode(mt, q->b & 0xffffu, G(L)->tmname[TM_INDEX]);
        if (l_likely(c != NULL && ttistable(c))) {
          Table *ct = hvalue(c);
          v = qlookup(ct, q->b >> 16, key);
          if (!ttisnil(v)) {
            setobj(ra, v);
            BREAK;
          }
          if (ct->metatable == NULL || (ct->metatable->flags & (1u << TM_INDEX))) {
            setnilvalue(ra); /* nowhere, and no further __index */
            BREAK;
          }
        }
      }
    }
    QMISS(GETFIELD);
  }
  CASE(SETTABUP_H) {
    TValue *upval = cl->upvals[GETARG_A(i)]->v;
    if (l_likely(ttistable(upval))) {
      TValue *v = qsetslot(hvalue(upval), QENTRY(), tsvalue(KB(i)));
      if (l_likely(v != NULL)) { /* present: no __newindex, no new key */
        setobj(v, RC(i));
        BREAK;
      }
    }
    QMISSFIELD(SETTABUP, upval, KB(i));
  }
  CASE(SETFIELD_H) {
    if (l_likely(ttistable(ra))) {
      TValue *v = qsetslot(hvalue(ra), QENTRY(), tsvalue(KB(i)));
      if (l_likely(v != NULL)) {
        setobj(v, RC(i));
        BREAK;
      }
    }
    QMISSFIELD(SETFIELD, ra, KB(i));
  }
  CASE(SELF_H) { /* the method is in the object itself */
    TValue *rb = RB(i);
    if (l_likely(ttistable(rb))) {
      const TValue *v = qnode2(hvalue(rb), QENTRY(), tsvalue(KC(i)));
      if (l_likely(v != NULL)) {
        setobj(ra + 1, rb);
        setobj(ra, v);
        BREAK;
      }
    }
    QMISSFIELD(SELF, rb, KC(i));
  }
  CASE(SELF_MT) { /* absent from the object, found in getmetatable(obj).__index */
    TValue *rb = RB(i);
    if (l_likely(ttistable(rb))) {
      Table *h = hvalue(rb);
      Table *mt = h->metatable;
      if (l_likely(mt != NULL)) {
        QCache *q = QENTRY();
        const TValue *ix = qnode(mt, q->a, G(L)->tmname[TM_INDEX]);
        if (l_likely(ix != NULL && ttistable(ix))) {
          TString *key = tsvalue(KC(i));
          const TValue *v = qnode(hvalue(ix), q->b, key);
          if (l_likely(v != NULL && ttisnil(tab_getshortstr(h, key)))) {
            setobj(ra + 1, rb);
            setobj(ra, v);
            BREAK;
          }
        }
      }
    }
    QMISS(SELF);
  }
  CASE(SELF_MT2) { /* found one class up: getmetatable(mt.__index).__index */
    TValue *rb = RB(i);
    if (l_likely(ttistable(rb))) {
      Table *h = hvalue(rb);
      Table *mt = h->metatable;
      if (l_likely(mt != NULL)) {
        QCache *q = QENTRY();
        TString *ixname = G(L)->tmname[TM_INDEX];
        const TValue *c = qnode(mt, q->a & 0xffffu, ixname);
        if (l_likely(c != NULL && ttistable(c))) {
          Table *mt2 = hvalue(c)->metatable;
          const TValue *pt = mt2 != NULL ? qnode(mt2, q->a >> 16, ixname) : NULL;
          if (l_likely(pt != NULL && ttistable(pt))) {
            TString *key = tsvalue(KC(i));
            const TValue *v = qnode(hvalue(pt), q->b, key);
            if (l_likely(v != NULL && ttisnil(tab_getshortstr(h, key)) &&
                         ttisnil(tab_getshortstr(hvalue(c), key)))) {
              setobj(ra + 1, rb);
              setobj(ra, v);
              BREAK;
            }
          }
        }
      }
    }
    QMISS(SELF);
  }
  CASE(SELF_S) { /* a string method: the string metatable's __index */
    TValue *rb = RB(i);
    Table *mt = G(L)->mt[LUA_TSTRING];
    if (l_likely(ttisstring(rb) && mt != NULL)) {
      QCache *q = QENTRY();
      const TValue *ix = qnode(mt, q->a, G(L)->tmname[TM_INDEX]);
      if (l_likely(ix != NULL && ttistable(ix))) {
        const TValue *v = qnode(hvalue(ix), q->b, tsvalue(KC(i)));
        if (l_likely(v != NULL)) {
          setobj(ra + 1, rb);
          setobj(ra, v);
          BREAK;
        }
      }
    }
    QMISS(SELF);
  }
#define QARITH_II(gen, vc, op)                                         \
  CASE(gen##_II) {                                                     \
    TValue *rb = RB(i), *rc = vc(i);                                   \
    if (l_unlikely(!ttisinteger(rb) || !ttisinteger(rc))) QMISS(gen);  \
    setivalue(ra, intop(op, ivalue(rb), ivalue(rc)));                  \
    BREAK;                                                             \
  }
#define QARITH_FF(gen, vc, op)                                         \
  CASE(gen##_FF) {                                                     \
    TValue *rb = RB(i), *rc = vc(i);                                   \
    if (l_unlikely(!ttisfloat(rb) || !ttisfloat(rc))) QMISS(gen);      \
    setfltvalue(ra, fltvalue(rb) op fltvalue(rc));                     \
    BREAK;                                                             \
  }
  QARITH_II(ADD, RC, +)
  QARITH_FF(ADD, RC, +)
  QARITH_II(SUB, RC, -)
  QARITH_FF(SUB, RC, -)
  QARITH_II(MUL, RC, *)
  QARITH_FF(MUL, RC, *)
  QARITH_FF(DIV, RC, /)
  QARITH_II(ADDK, KC, +)
  QARITH_FF(ADDK, KC, +)
  QARITH_II(SUBK, KC, -)
  QARITH_FF(SUBK, KC, -)
  QARITH_II(MULK, KC, *)
  QARITH_FF(MULK, KC, *)
#undef QARITH_II
#undef QARITH_FF
#define QORDER(gen, sfx, test, val, op)                                \
  CASE(gen##_##sfx) {                                                  \
    TValue *rb = RB(i);                                                \
    if (l_unlikely(!test(ra) || !test(rb))) QMISS(gen);                \
    docondjump(val(ra) op val(rb));                                    \
    BREAK;                                                             \
  }
  QORDER(LT, II, ttisinteger, ivalue, <)
  QORDER(LT, FF, ttisfloat, fltvalue, <)
  QORDER(LE, II, ttisinteger, ivalue, <=)
  QORDER(LE, FF, ttisfloat, fltvalue, <=)
#undef QORDER

ret:
  if (ci->callstatus & CIST_FRESH) return;
  ci = L->ci;
  goto returning;
}
