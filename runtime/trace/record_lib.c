/*
 * record_lib.c -- recording string operations: `#s`, comparisons and
 * concatenation of strings, method calls on strings (s:sub(i, j)) and the
 * calls string.len/sub/byte/char/rep, tostring and tonumber.
 *
 * What the trace relies on is guarded the usual way: operand types by
 * their loads, a called function by its identity, a method by the
 * strings' metatable (G_STRMT), its __index table's key position and the
 * method's key position there. The operation itself is a slot-level uop:
 * S_LEN inline, the rest STRH (helpers_str.c), which declines -- the trace
 * exits to the instruction, unchanged -- whenever the library would do
 * anything but the plain case (an error, a conversion, a metamethod, a
 * garbage collection due). So errors and their messages are always the
 * interpreter's own.
 *
 * At record time the observed operands must be of the plain case too;
 * otherwise these functions return false and the caller records what it
 * did before (EXEC, or an abort).
 */
#include <string.h>

#include "trace_int.h"

#define SLOT(r) ((r) + R->off)

static bool is_int(const TValue *o) { return ttisinteger(o); }

static bool is_pri(uint8_t tag) {
  return tag == TAG_NIL || tag == TAG_FALSE || tag == TAG_TRUE;
}

/* R[A] = #R[B] for a string. */
bool recl_len(Recorder *R, const Instruction *pc, int a, int b,
              const TValue *vb) {
  if (!ttisstring(vb))
    return false;
  recx_get(R, pc, b, vb);
  const int rd[] = {b};
  recx_memop(R, NULL, UOP_S_LEN, a, (uint64_t)16 * (uint64_t)SLOT(b), 0, rd,
             1, a, 1);
  recx_know(R, a, TAG_INT);
  return true;
}

/* R[A] = R[A] .. ... .. R[A+n-1], strings and numbers (up to 8). */
bool recl_concat(Recorder *R, const Instruction *pc, int a, int n,
                 const TValue *ra) {
  int nums = 0;
  int rd[64];
  if (n < 2 || n > 64)
    return false;
  for (int j = 0; j < n; j++) {
    if (ttisnumber(ra + j))
      nums++;
    else if (!ttisstring(ra + j))
      return false;
  }
  if (nums > 8)
    return false;
  for (int j = 0; j < n; j++) {
    recx_get(R, pc, a + j, ra + j);
    rd[j] = a + j;
  }
  recx_memop(R, pc, UOP_STRH, a, STRH_WHAT(STRH_CONCAT, SLOT(a), n, 0),
             (uint64_t)(uintptr_t)recx_resume(R, pc), rd, n, a, 1);
  return true;
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

/* R[A] < R[B] or R[A] <= R[B], strings: the outcome seen now is guarded. */
bool recl_order(Recorder *R, const Instruction *pc, bool lt, int a, int b,
                const TValue *va, const TValue *vb) {
  if (!ttisstring(va) || !ttisstring(vb))
    return false;
  int r = str_cmp(tsvalue(va), tsvalue(vb));
  bool cond = lt ? r < 0 : r <= 0;
  recx_get(R, pc, a, va);
  recx_get(R, pc, b, vb);
  const int rd[] = {a, b};
  recx_memop(R, pc, UOP_STRH, a,
             STRH_WHAT(lt ? STRH_LT : STRH_LE, SLOT(a), SLOT(b), cond), 0, rd,
             2, 0, 0);
  return true;
}

/* R[A] == R[B], strings (not both short: those compare by identity). */
bool recl_eq(Recorder *R, const Instruction *pc, int a, int b,
             const TValue *va, const TValue *vb) {
  if (!ttisstring(va) || !ttisstring(vb))
    return false;
  bool cond = str_eq(tsvalue(va), tsvalue(vb));
  recx_get(R, pc, a, va);
  recx_get(R, pc, b, vb);
  const int rd[] = {a, b};
  recx_memop(R, pc, UOP_STRH, a, STRH_WHAT(STRH_EQ, SLOT(a), SLOT(b), cond), 0,
             rd, 2, 0, 0);
  return true;
}

/* R[A] == K, a long string constant. */
bool recl_eqk(Recorder *R, const Instruction *pc, int a, const TValue *va,
              const TValue *kb) {
  if (!ttisstring(va) || !ttisstring(kb))
    return false;
  bool cond = str_eq(tsvalue(va), tsvalue(kb));
  recx_get(R, pc, a, va);
  const int rd[] = {a};
  recx_memop(R, pc, UOP_STRH, a, STRH_WHAT(STRH_EQK, SLOT(a), 0, cond),
             (uint64_t)(uintptr_t)tsvalue(kb), rd, 1, 0, 0);
  return true;
}

/* R[A+1] = R[B]; R[A] = R[B][key] for a string R[B]: the method from the
 * strings' metatable's __index table (a table, the key present in it). */
bool recl_self(Recorder *R, const Instruction *pc, int a, int b,
               const TValue *vb, const TValue *key) {
  if (!ttisstring(vb) || !ttisshrstring(key))
    return false;
  global_State *g = G(R->L);
  Table *mt = g->mt[LUA_TSTRING];
  if (!mt)
    return false;
  const TValue *idx = tab_getshortstr(mt, g->tmname[TM_INDEX]);
  if (!ttistable(idx))
    return false;
  Table *st = hvalue(idx);
  if (ttisnil(tab_getshortstr(st, tsvalue(key))))
    return false;
  IRRef s = recx_get(R, pc, b, vb);
  recx_memop(R, pc, UOP_G_STRMT, 0, (uint64_t)(uintptr_t)mt, 0, NULL, 0, 0, 0);
  IRRef mref = ir_kgc(&R->B, mt, TAG_TABLE);
  IRRef sref = recx_field(R, pc, mref, mt, g->tmname[TM_INDEX]);
  if (!sref)
    return false;
  IRRef f = recx_field(R, pc, sref, st, tsvalue(key));
  if (!f || R->why[0])
    return false;
  recx_set(R, a + 1, s);
  if (is_pri(R->B.ins[f].tag))
    f = ir_kpri(&R->B, R->B.ins[f].tag);
  recx_set(R, a, f);
  return true;
}

/* Would the library do the plain case with these arguments (as seen now)? */
static bool plain_args(lua_State *L, JitStrOp op, const TValue *arg,
                       int nargs) {
  switch (op) {
  case STRH_LEN:
    return nargs == 1 && ttisstring(arg);
  case STRH_SUB:
    return nargs >= 2 && nargs <= 3 && ttisstring(arg) && is_int(arg + 1) &&
           (nargs == 2 || is_int(arg + 2));
  case STRH_BYTE:
    return nargs >= 1 && nargs <= 2 && ttisstring(arg) &&
           (nargs == 1 || is_int(arg + 1));
  case STRH_CHAR:
    if (nargs > 16)
      return false;
    for (int j = 0; j < nargs; j++)
      if (!is_int(arg + j) || (lua_Unsigned)ivalue(arg + j) > 255u)
        return false;
    return true;
  case STRH_REP:
    return nargs == 2 && ttisstring(arg) && is_int(arg + 1) &&
           (ivalue(arg + 1) <= 0 ||
            tsvalue(arg)->len <= ((size_t)1 << 24) / (size_t)ivalue(arg + 1));
  case STRH_TOSTRING:
    return nargs == 1 && (ttisstring(arg) ||
                          (ttisnumber(arg) && !G(L)->mt[LUA_TNUMBER]));
  case STRH_TONUMBER:
    return nargs == 1 && (ttisstring(arg) || ttisnumber(arg));
  default:
    return false;
  }
}

/* R[A](R[A+1] ... R[A+nargs]) with nres results, R[A] one of the string
 * functions. */
bool recl_call(Recorder *R, const Instruction *pc, int a, int nargs,
               int nres) {
  const TValue *base = recx_ci(R)->func + 1;
  const TValue *f = base + a;
  if (!ttislcf(f) || nres < 0 || nargs > 16)
    return false;
  JitStrOp op = jit_str_builtin(fvalue(f));
  if (op == STRH_NONE)
    op = jit_base_builtin(fvalue(f));
  if (op == STRH_NONE || !plain_args(R->L, op, f + 1, nargs))
    return false;
  IRRef fr = recx_get(R, pc, a, f);
  recx_guard2(R, pc, IR_EQ, fr,
              ir_kgc(&R->B, (const void *)(uintptr_t)fvalue(f), TAG_LCF));
  int rd[16];
  for (int j = 0; j < nargs; j++) {
    recx_get(R, pc, a + 1 + j, f + 1 + j);
    rd[j] = a + 1 + j;
  }
  recx_memop(R, pc, UOP_STRH, a, STRH_WHAT(op, SLOT(a), nargs, nres),
             (uint64_t)(uintptr_t)recx_resume(R, pc), rd, nargs, a, nres);
  if (nres >= 1 && op == STRH_LEN)
    recx_know(R, a, TAG_INT);
  return true;
}
