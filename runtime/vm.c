/* vm.c -- the bytecode interpreter and the operations it falls back to.
 *
 * vm_execute runs Lua frames until the frame it was entered with (marked
 * CIST_FRESH) returns.  Lua-to-Lua calls and returns switch frames inside
 * the interpreter (JUMP(START) / JUMP(RET)), so Lua recursion never
 * recurses on the C stack.
 *
 * Dispatch goes through the table g->dispatch points to, by computed goto
 * or by tail calls (see "The interpreter" below).  The
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
static inline __attribute__((always_inline)) int rawequal_fast(const TValue *t1, const TValue *t2) {
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

/* -- The interpreter --
 *
 * The handlers live in vm_ops.h, written once with the macros below, and
 * are compiled in one of two forms (CPJIT_VM_DISPATCH, CMakeLists.txt):
 *
 *   goto  every handler is a label inside vm_execute; dispatch is a
 *         computed goto through a table of label addresses (GNU C);
 *   tail  every handler is a function of its own, with the interpreter's
 *         state as its arguments; dispatch is a tail call through a table
 *         of function pointers (clang's musttail), and the handlers use the
 *         preserve_none convention, so that state stays in argument
 *         registers from one handler to the next and a handler saves only
 *         what it needs around the calls it makes.
 *
 * In both forms a handler ends in BREAK (fetch and dispatch the next
 * instruction), JUMP(X) (go on in handler X with the same state), or
 * VM_LEAVE() (return from vm_execute).  SUBBODY(X) splits an adaptive
 * handler at its generic body X_body, which the quickened forms and the
 * specializer jump to.  Everything else -- Protect, the register macros --
 * reads and writes the same named state in both. */

/* The slow paths of the quickened forms (a miss) and of backward branches
 * (the JIT's loop counting) are handlers of their own in the tail-call
 * form, so that the handlers they leave make no calls: a call makes a
 * preserve_none handler save every scratch-register argument it still
 * needs around it.  The goto form keeps them inline, where they cost
 * nothing (VM_SLOWPATHS_OUT=1 builds it the other way, to compare). */
#ifndef VM_SLOWPATHS_OUT
#define VM_SLOWPATHS_OUT CPJIT_VM_TAIL
#endif

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
#define dojump(off) (pc += (off))
/* A taken conditional jump backwards (repeat-until, loops the compiler
 * closed with a test) is a loop back-edge like JMP's. */
#define donextjump()                                                   \
  do {                                                                 \
    int sj_ = GETARG_sJ(*pc);                                          \
    pc += sj_ + 1;                                                     \
    if (sj_ < 0) BACKEDGE_RARE();                                      \
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
      if (l_unlikely(--QAT(p_, pc)->counter == 0)) JUMP(QSPEC);        \
    } else {                                                           \
      JUMP(QALLOC);                                                    \
    }                                                                  \
  } while (0)
/* This (quickened) instruction's cache entry. */
#define QENTRY() QAT(cl->p, pc)
/* A quickened instruction's guard failed: count the miss and run the
 * generic body (handlers MISS and FMISS, out of line; the generic opcode
 * is implied by the quickened one, the table and key by its operands). */
#if VM_SLOWPATHS_OUT
#define QMISS(gen) JUMP(MISS)
#define QMISSFIELD(gen, t, key) JUMP(FMISS)
#else
#define QMISS(gen)                                                     \
  do {                                                                 \
    qmiss(L, cl->p, (int)(pc - 1 - cl->p->code));                      \
    JUMP(gen##_body);                                                  \
  } while (0)
#define QMISSFIELD(gen, t, key)                                        \
  do {                                                                 \
    qmissfield(L, cl->p, (int)(pc - 1 - cl->p->code), t, key);         \
    JUMP(gen##_body);                                                  \
  } while (0)
#endif

/* Call the C function at 'fn' with arguments up to 'fntop' and go on at
 * the next instruction, when no hook is set and the stack and the
 * CallInfo list have room: do_precall's and do_poscall's work inline, a
 * single wanted result moved in place (else do_poscall moves them).
 * Otherwise do nothing: the caller takes the general path. */
#define callC_inline(fn, fntop, nwanted)                                \
  do {                                                                 \
    StkId cf_ = (fn), ctop_ = (fntop);                                 \
    if ((ttislcf(cf_) || ttisCclosure(cf_)) &&                         \
        l_likely(L->hookmask == 0 && ci->next != NULL &&               \
                 L->stack_last - ctop_ > LUA_MINSTACK)) {              \
      lua_CFunction f_ = ttislcf(cf_) ? fvalue(cf_) : clCvalue(cf_)->f; \
      CallInfo *nci_ = ci->next;                                       \
      int wanted_ = (nwanted);                                          \
      L->top = ctop_;                                                  \
      savepc();                                                        \
      nci_->func = cf_;                                                \
      nci_->nresults = (short)wanted_;                                 \
      nci_->callstatus = CIST_C;                                       \
      nci_->top = ctop_ + LUA_MINSTACK;                                \
      L->ci = nci_;                                                    \
      int n_ = f_(L);                                                  \
      if (l_likely(wanted_ == 1 && L->ntbc == 0 && L->hookmask == 0)) { \
        StkId res_ = nci_->func; /* the stack may have moved */        \
        if (n_ == 0) setnilvalue(res_);                                \
        else setobj(res_, L->top - n_);                                \
        L->top = res_ + 1;                                             \
        L->ci = ci;                                                    \
      } else {                                                         \
        do_poscall(L, nci_, n_);                                       \
      }                                                                \
      updatebase();                                                    \
      dispatch = G(L)->dispatch; /* it may have set a debug hook */    \
      BREAK;                                                           \
    }                                                                  \
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

/* A backward branch landed on pc: run a trace there, or count it. */
#define jit_loop()                                                     \
  do {                                                                 \
    if (G(L)->jit && !jit_blocked(cl->p, pc)) {                        \
      savestate();                                                     \
      const Instruction *jpc_ = jit_backedge(L, ci, pc);               \
      if (jpc_ == NULL) { /* a trace ran: go on where it left L->ci */ \
        ci = L->ci;                                                    \
        JUMP(START);                                                   \
      }                                                                \
      pc = jpc_;                                                       \
      updatebase();                                                    \
    }                                                                  \
  } while (0)

#define VMRET() JUMP(RET)
#define BREAK                                                          \
  do {                                                                 \
    vmfetch();                                                         \
    vmdispatch();                                                      \
  } while (0)

/* Handlers split at SLOWPATH(name): the part before it is a fast path
 * that makes no calls, the block after it (which recomputes what it needs
 * from the instruction) is the whole general case.  In the tail-call form
 * the block is a handler of its own, name_slow, so that the fast path
 * saves nothing around calls it does not make; in the goto form it simply
 * follows. */
#define VM_SLOWPATHS(X) \
  X(GETTABLE) X(GETI) X(SETTABLE) X(SETI) X(EQ) X(EQK) X(LTI) X(LEI) X(GTI) X(GEI) \
  X(MOD) X(MODK) X(CALL) X(IDIV) X(IDIVK) X(BAND) X(BOR) X(BXOR) X(SHL) X(SHR) X(BANDK) X(BORK) \
  X(BXORK) X(SHLK) X(SHRK)

/* The handlers that dispatch on opcodes as X-macro lists: the instructions
 * (each opcode byte), the generic bodies of the adaptive ones, and the
 * handlers no opcode byte names. */
#if VM_SLOWPATHS_OUT
/* a taken conditional jump backwards: out of line */
#define BACKEDGE_RARE() JUMP(LOOP)
/* without a JIT (-joff) a back-edge only re-reads the dispatch table */
#define BACKEDGE()                                                     \
  do {                                                                 \
    if (l_unlikely(G(L)->jit != NULL)) JUMP(LOOP);                     \
    dispatch = G(L)->dispatch;                                         \
    BREAK;                                                             \
  } while (0)
#define VM_SPECIAL_HANDLERS(X)                                         \
  X(START) X(RET) X(HOOK) X(RECORD) X(ISTAT) X(QSPEC) X(QALLOC) X(QBODY) X(LOOP) X(MISS) \
  X(FMISS) X(GENBODY)
#else
#define BACKEDGE_RARE() BACKEDGE()
#define BACKEDGE()                                                     \
  do {                                                                 \
    jit_loop();                                                        \
    dispatch = G(L)->dispatch;                                         \
    BREAK;                                                             \
  } while (0)
#define VM_SPECIAL_HANDLERS(X) X(START) X(RET) X(HOOK) X(RECORD) X(ISTAT) X(QSPEC) X(QALLOC) X(QBODY)
#endif

/* The four dispatch tables: per opcode byte, its handler; the recording,
 * hook and -istats tables send every byte to one handler that does its
 * work and then dispatches through the first. */
#define VM_DEFINE_TABLES(T)                                      \
  static T const disptab[NUM_ALLOPS] = {                               \
      OPCODES(VMT_OP) QOPCODES(VMT_QOP)};                              \
  static T const rectab[NUM_ALLOPS] = {                                \
      OPCODES(VMT_REC) QOPCODES(VMT_QREC)};                            \
  static T const hooktab[NUM_ALLOPS] = {                               \
      OPCODES(VMT_HOOK) QOPCODES(VMT_QHOOK)};                          \
  static T const istattab[NUM_ALLOPS] = {                              \
      OPCODES(VMT_IST) QOPCODES(VMT_QIST)};
#define VMT_OP(name) VM_ADDR(name),
#define VMT_QOP(name, gen) VM_ADDR(name),
#define VMT_REC(name) VM_ADDR(RECORD),
#define VMT_QREC(name, gen) VM_ADDR(RECORD),
#define VMT_HOOK(name) VM_ADDR(HOOK),
#define VMT_QHOOK(name, gen) VM_ADDR(HOOK),
#define VMT_IST(name) VM_ADDR(ISTAT),
#define VMT_QIST(name, gen) VM_ADDR(ISTAT),

/* First entry: register the tables (debug.c and the JIT swap them). */
static void vm_settables(lua_State *L, const void *const *disp, const void *const *rec,
                         const void *const *hook, const void *const *istat) {
  if (l_likely(G(L)->dispatch != NULL)) return;
  const void *const *normal = disp;
  /* -jstats counts the bytecodes the interpreter runs this way too
   * (runtime/trace/jstats.c): the share left to the interpreter */
  if ((G(L)->opts.istats || (G(L)->opts.stats && G(L)->opts.jit_enabled)) &&
      G(L)->qstats == NULL) {
    QStats *st = (QStats *)mem_tryrealloc(L, NULL, 0, sizeof(QStats));
    if (st != NULL) {
      memset(st, 0, sizeof(QStats));
      G(L)->qstats = st;
      normal = istat;
    }
  }
  G(L)->dispatch = G(L)->nhooked > 0 ? hook : normal;
  G(L)->disp_normal = normal;
  G(L)->disp_record = rec;
  G(L)->disp_hook = hook;
}

#if CPJIT_VM_TAIL

/* -- Tail-call form: one function per handler -- */

#define VM_PRESERVE_NONE __attribute__((preserve_none))
#define VM_MUSTTAIL __attribute__((musttail))
/* The interpreter's state passed from handler to handler: L, pc, base,
 * ci, k, dispatch, i.  The first four arguments of preserve_none are in
 * registers an ordinary callee preserves (x86-64: r12-r15; AArch64:
 * x20-x23), so L, pc, base and ci survive the C calls of slow paths without
 * being saved; k, dispatch and i are in scratch registers.  ra is
 * recomputed from i by each CASE (a shift and a mask), and cl is read from
 * ci->func where it is used.  Passing both as well (nine arguments) made
 * more handlers save arguments around their calls: 1-5% more instructions
 * (callgrind, -joff; richards, deltablue, nbody the most); cl alone cost
 * 0.7% (geometric mean of nine programs). */
#define VM_PARAMS                                                      \
  lua_State *L, const Instruction *pc, StkId base, CallInfo *ci, TValue *k, \
      const void *const *dispatch, Instruction i
#define VM_ARGS L, pc, base, ci, k, dispatch, i
#define VM_ENTRY_ARGS L, NULL, NULL, ci, NULL, NULL, 0
#define cl clLvalue(ci->func)
#define VM_SETCL() ((void)0)
typedef VM_PRESERVE_NONE int (*VMHandler)(VM_PARAMS);

#define HANDLER(name) static VM_PRESERVE_NONE int vmh_##name(VM_PARAMS)
#define CASE(name) HANDLER(name) { VM_RA_LOCAL
#define VM_RA_LOCAL StkId ra __attribute__((unused)) = RA(i);
#define JUMP(name) VM_MUSTTAIL return vmh_##name(VM_ARGS)
#define SUBBODY(name) JUMP(name##_body); } HANDLER(name##_body) { VM_RA_LOCAL
#define VM_LEAVE() return 0
#define vmdispatch() VM_MUSTTAIL return ((const VMHandler *)dispatch)[GET_RAWOP(i)](VM_ARGS)
#define DISPATCH_BASE() VM_MUSTTAIL return disptab[GET_RAWOP(i)](VM_ARGS)

#define SLOWPATH(name) JUMP(name##_slow); } HANDLER(name##_slow) { VM_RA_LOCAL

#define VM_DECLARE(name) HANDLER(name);
#define VM_QDECLARE(name, gen) HANDLER(name);
#define VM_BDECLARE(name) HANDLER(name##_body);
#define VM_SDECLARE(name) __attribute__((noinline)) HANDLER(name##_slow);
OPCODES(VM_DECLARE)
QOPCODES(VM_QDECLARE)
QGENERICS(VM_BDECLARE)
VM_SLOWPATHS(VM_SDECLARE)
VM_SPECIAL_HANDLERS(VM_DECLARE)
#undef VM_DECLARE
#undef VM_QDECLARE
#undef VM_BDECLARE
#undef VM_SDECLARE

#define VM_ADDR(name) vmh_##name
VM_DEFINE_TABLES(VMHandler)

/* A handler need not read every piece of state it passes on. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "vm_ops.h"
#pragma GCC diagnostic pop

void vm_execute(lua_State *L, CallInfo *ci) {
  vm_settables(L, (const void *const *)disptab, (const void *const *)rectab,
               (const void *const *)hooktab, (const void *const *)istattab);
  /* a call from C (do_call) starts here */
  if (ci->savedpc == clLvalue(ci->func)->p->code) jit_enterfunc();
  vmh_START(VM_ENTRY_ARGS);
}

#else /* !CPJIT_VM_TAIL */

/* -- Computed-goto form: one function, one label per handler -- */

#define HANDLER(name) L_##name:
#define CASE(name) L_##name: { ra = RA(i);
#define JUMP(name) goto L_##name
#define SUBBODY(name) L_##name##_body:;
#define SLOWPATH(name) /* the slow path follows inline */
#define VM_LEAVE() return
#define vmdispatch() goto *dispatch[GET_RAWOP(i)]
#define DISPATCH_BASE() goto *disptab[GET_RAWOP(i)]
#define VM_SETCL() (cl = clLvalue(ci->func))

void vm_execute(lua_State *L, CallInfo *ci) {
#define VM_ADDR(name) &&L_##name
  VM_DEFINE_TABLES(const void *)
  const void *const *dispatch;
  LClosure *cl;
  TValue *k;
  StkId base;
  const Instruction *pc;
  Instruction i;
  StkId ra;
  vm_settables(L, disptab, rectab, hooktab, istattab);
  /* a call from C (do_call) starts here */
  if (ci->savedpc == clLvalue(ci->func)->p->code) jit_enterfunc();
  goto L_START;
#include "vm_ops.h"
}

#endif /* CPJIT_VM_TAIL */
