/*
 * helpers_str.c -- string operations that trace code calls (the STRH uop):
 * concatenation, comparisons, and the library calls string.len/sub/byte/
 * char/rep, tostring and tonumber, with the library's results.
 *
 * Contract: the recorder guards the operands' types (and the called
 * function's identity); jit_h_str checks everything else the library
 * would, and when anything is not the plain case -- an argument the
 * library would convert or reject, a metamethod that could apply, a
 * result too large -- it declines: returns nonzero having changed nothing,
 * and the uop exits to the interpreter at the instruction, which then
 * does it (raising the error, calling the metamethod) exactly as always.
 *
 * Garbage collection: allocation never starts a collection (gc.c), and a
 * helper that allocates declines when a collection is due, so no
 * collection runs inside trace code here: the interpreter runs that
 * instruction and collects at its usual check, with every value in the
 * frame. Running out of memory raises the usual error: savedpc is set to
 * the instruction (or the call being made for an inlined callee, which
 * has no frame of its own) and L->top to the frame's top first.
 */
#include <string.h>

#include "trace.h"

static bool gc_due(lua_State *L) {
  const global_State *g = G(L);
  return g->totalbytes > g->gcthreshold && g->gcstop == 0 &&
         g->gcrunning_user;
}

/* Before an allocation that may fail (an error is raised from here). */
static void may_raise(lua_State *L, uint64_t resume) {
  CallInfo *ci = L->ci;
  ci->savedpc = (const Instruction *)(uintptr_t)resume;
  L->top = ci->top;
}

/* A string of n bytes from s (an interned short string or a new long one). */
static void set_str(lua_State *L, TValue *o, const char *s, size_t n,
                    uint64_t resume) {
  may_raise(L, resume);
  TString *ts = str_newlstr(L, s, n);
  setsvalue(o, ts);
}

static int str_cmp(const TString *x, const TString *y) {
  size_t l1 = x->len, l2 = y->len;
  int r = memcmp(x->data, y->data, l1 < l2 ? l1 : l2);
  if (r != 0)
    return r;
  return l1 < l2 ? -1 : l1 > l2 ? 1 : 0;
}

static bool str_eq(const TString *x, const TString *y) {
  return x == y || (x->len == y->len && memcmp(x->data, y->data, x->len) == 0);
}

/* Does the strings' metatable have a __tostring field? */
static bool str_has_tostring(lua_State *L) {
  const Table *mt = G(L)->mt[LUA_TSTRING];
  if (!mt)
    return false;
  for (uint32_t j = 0; j < sizenode(mt); j++) {
    const Node *n = &mt->node[j];
    if (keytt(n) != TAG_SHRSTR || ttisnil(gval(n)))
      continue;
    const TString *k = (const TString *)keyval(n).gc;
    if (k->len == 10 && memcmp(k->data, "__tostring", 10) == 0)
      return true;
  }
  return false;
}

/* Positions as string.sub and string.byte take them (lua5.4). */
static size_t start_pos(lua_Integer pos, size_t len) {
  if (pos > 0)
    return (size_t)pos;
  if (pos == 0 || pos < -(lua_Integer)len)
    return 1;
  return len + (size_t)pos + 1;
}

static size_t end_pos(lua_Integer pos, size_t len) {
  if (pos > (lua_Integer)len)
    return len;
  if (pos >= 0)
    return (size_t)pos;
  if (pos < -(lua_Integer)len)
    return 0;
  return len + (size_t)pos + 1;
}

/* Concatenation of n strings or numbers at ra into ra. */
static int concat(lua_State *L, TValue *ra, int n, uint64_t resume) {
  char nums[8][48];
  int lens[8], nn = 0;
  size_t total = 0;
  if (n < 2 || gc_due(L))
    return 1;
  for (int j = 0; j < n; j++) {
    const TValue *o = ra + j;
    if (ttisstring(o)) {
      total += tsvalue(o)->len;
    } else if (ttisnumber(o) && nn < 8) {
      lens[nn] = obj_tostringbuff(o, nums[nn]);
      total += (size_t)lens[nn++];
    } else {
      return 1;
    }
    if (total >= (size_t)INT32_MAX) /* the interpreter's error, or memory */
      return 1;
  }
  char buf[SHORT_STR_MAX + 1];
  TString *ts = NULL;
  char *dst = buf;
  may_raise(L, resume);
  if (total > SHORT_STR_MAX) {
    ts = str_newlong(L, total);
    dst = ts->data;
  }
  size_t pos = 0;
  nn = 0;
  for (int j = 0; j < n; j++) {
    const TValue *o = ra + j;
    if (ttisstring(o)) {
      memcpy(dst + pos, tsvalue(o)->data, tsvalue(o)->len);
      pos += tsvalue(o)->len;
    } else {
      memcpy(dst + pos, nums[nn], (size_t)lens[nn]);
      pos += (size_t)lens[nn++];
    }
  }
  if (!ts)
    ts = str_newlstr(L, buf, total);
  setsvalue(ra, ts);
  return 0;
}

/* A call of a string function at ra with nargs arguments and nres
 * results. */
static int call(lua_State *L, int op, TValue *ra, int nargs, int nres,
                uint64_t resume) {
  const TValue *arg = ra + 1;
  TValue res;
  int nr = 1; /* results made */
  switch (op) {
  case STRH_LEN:
    if (nargs != 1 || !ttisstring(arg))
      return 1;
    setivalue(&res, (lua_Integer)tsvalue(arg)->len);
    break;
  case STRH_SUB: {
    if (nargs < 2 || nargs > 3 || !ttisstring(arg) || !ttisinteger(arg + 1) ||
        (nargs == 3 && !ttisinteger(arg + 2)) || gc_due(L))
      return 1;
    const TString *s = tsvalue(arg);
    size_t first = start_pos(ivalue(arg + 1), s->len);
    size_t last = end_pos(nargs == 3 ? ivalue(arg + 2) : -1, s->len);
    if (first <= last)
      set_str(L, &res, s->data + first - 1, last - first + 1, resume);
    else
      set_str(L, &res, "", 0, resume);
    break;
  }
  case STRH_BYTE: {
    if (nargs < 1 || nargs > 2 || !ttisstring(arg) ||
        (nargs == 2 && !ttisinteger(arg + 1)))
      return 1;
    const TString *s = tsvalue(arg);
    lua_Integer pi = nargs == 2 ? ivalue(arg + 1) : 1;
    size_t first = start_pos(pi, s->len), last = end_pos(pi, s->len);
    if (first > last) {
      nr = 0;
    } else {
      /* one position: first == last */
      setivalue(&res, (unsigned char)s->data[first - 1]);
    }
    break;
  }
  case STRH_CHAR: {
    char buf[16];
    if (nargs > 16 || gc_due(L))
      return 1;
    for (int j = 0; j < nargs; j++) {
      if (!ttisinteger(arg + j) || (lua_Unsigned)ivalue(arg + j) > 255u)
        return 1;
      buf[j] = (char)(unsigned char)ivalue(arg + j);
    }
    set_str(L, &res, buf, (size_t)nargs, resume);
    break;
  }
  case STRH_REP: {
    if (nargs != 2 || !ttisstring(arg) || !ttisinteger(arg + 1) || gc_due(L))
      return 1;
    const TString *s = tsvalue(arg);
    lua_Integer n = ivalue(arg + 1);
    if (n <= 0 || s->len == 0) {
      set_str(L, &res, "", 0, resume);
      break;
    }
    if (s->len > ((size_t)1 << 24) / (size_t)n) /* large: the library's */
      return 1;
    size_t total = s->len * (size_t)n;
    char buf[SHORT_STR_MAX + 1];
    TString *ts = NULL;
    char *dst = buf;
    may_raise(L, resume);
    if (total > SHORT_STR_MAX) {
      ts = str_newlong(L, total);
      dst = ts->data;
    }
    for (lua_Integer j = 0; j < n; j++)
      memcpy(dst + (size_t)j * s->len, s->data, s->len);
    if (!ts)
      ts = str_newlstr(L, buf, total);
    setsvalue(&res, ts);
    break;
  }
  case STRH_TOSTRING:
    if (nargs != 1)
      return 1;
    if (ttisstring(arg)) {
      if (str_has_tostring(L))
        return 1;
      setobj(&res, arg);
    } else if (ttisnumber(arg)) {
      char buf[48];
      if (G(L)->mt[LUA_TNUMBER] || gc_due(L))
        return 1;
      int len = obj_tostringbuff(arg, buf);
      set_str(L, &res, buf, (size_t)len, resume);
    } else {
      return 1;
    }
    break;
  case STRH_TONUMBER:
    if (nargs != 1)
      return 1;
    if (ttisnumber(arg)) {
      setobj(&res, arg);
    } else if (ttisstring(arg)) {
      const TString *s = tsvalue(arg);
      if (obj_str2num(s->data, &res) != s->len + 1)
        setnilvalue(&res);
    } else {
      return 1;
    }
    break;
  default:
    return 1;
  }
  for (int j = 0; j < nres; j++) {
    if (j < nr)
      setobj(ra + j, &res);
    else
      setnilvalue(ra + j);
  }
  return 0;
}

int jit_h_str(lua_State *L, TValue *base, uint64_t what, uint64_t k) {
  int op = STRH_OP(what), b = STRH_B(what), c = STRH_C(what);
  TValue *ra = base + STRH_A(what);
  switch (op) {
  case STRH_CONCAT:
    return concat(L, ra, b, k);
  case STRH_LT: case STRH_LE: {
    const TValue *rb = base + b;
    if (!ttisstring(ra) || !ttisstring(rb))
      return 1;
    int r = str_cmp(tsvalue(ra), tsvalue(rb));
    return (op == STRH_LT ? r < 0 : r <= 0) != (c != 0);
  }
  case STRH_EQ: {
    const TValue *rb = base + b;
    if (!ttisstring(ra) || !ttisstring(rb))
      return 1;
    return str_eq(tsvalue(ra), tsvalue(rb)) != (c != 0);
  }
  case STRH_EQK:
    if (!ttisstring(ra))
      return 1;
    return str_eq(tsvalue(ra), (const TString *)(uintptr_t)k) != (c != 0);
  default:
    return call(L, op, ra, b, c, k);
  }
}
