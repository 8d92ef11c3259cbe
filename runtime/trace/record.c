/*
 * record.c -- the trace recorder: bytecode instructions, as the interpreter
 * is about to execute them, become typed and guarded uops.
 *
 * The recorder follows the path the interpreter actually takes. For each
 * instruction it looks at the current values of the operands and emits
 * guards for what it relies on (a type, a branch direction, a table with no
 * metatable, an index inside the array part) followed by the specialized
 * operation. Every guard of an instruction exits to that instruction's pc,
 * so a failing guard hands the instruction, untouched, to the interpreter.
 *
 * Guard elimination: the recorder tracks which slot tags are certain at the
 * current point of the trace (after a guard, or after an op whose result
 * type is fixed) and omits guards they make redundant. A trace is a single
 * path entered only at its head, so this knowledge is valid until the end
 * of the recording; anything that may run arbitrary code (EXEC) forgets it.
 *
 * Instructions without a fast uop that are still safe to run mid-trace
 * (table access with metamethods, calls with fixed argument/result counts,
 * concatenation, allocation) become EXEC, which runs the instruction in the
 * interpreter's slow path. Everything else aborts the recording.
 */
#include <stdarg.h>
#include <string.h>

#include "trace_int.h"

static const char *op_name(OpCode op) {
  static const char *const names[NUM_OPCODES] = {
#define OPNAME(name) #name,
      OPCODES(OPNAME)
#undef OPNAME
  };
  return (unsigned)op < NUM_OPCODES ? names[op] : "?";
}

/* -- Emission -------------------------------------------------------------- */

/* Register r of the frame being recorded -> byte displacement from the
 * trace's frame base (an inlined callee's registers sit at R->off). */
#define SD(r) ((uint64_t)(16 * (uint64_t)((r) + R->off)))
#define SLOTINFO(r) (R->slot[(r) + R->off])

static bool abortf(Recorder *R, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(R->why, sizeof R->why, fmt, ap);
  va_end(ap);
  return false;
}

static uint32_t exit_for(Recorder *R, const Instruction *pc) {
  if (R->inl_ci) /* inside an inlined call: the interpreter redoes it */
    pc = R->inl_call;
  if (R->nexits && R->exit_pc[R->nexits - 1] == pc)
    return R->nexits - 1;
  R->exit_pc[R->nexits] = pc;
  return R->nexits++;
}

/* An exit of its own (one that will be linked). */
static uint32_t exit_new(Recorder *R, const Instruction *pc) {
  if (R->inl_ci)
    pc = R->inl_call;
  R->exit_pc[R->nexits] = pc;
  return R->nexits++;
}

static bool writes_arg(int op);

static cpjit_uop *emit(Recorder *R, int op, int a, uint64_t b, uint64_t c) {
  a += R->off;
  if (R->arr_valid && writes_arg(op) && (a == R->arr_tab || a == R->arr_key))
    R->arr_valid = false; /* the bounds check no longer covers them */
  if (op >= UOP_FORLOOP_I && op <= UOP_FORSKIP_F)
    R->arr_valid = false; /* loop slots change */
  cpjit_uop *u = &R->uops[R->nuops++];
  memset(u, 0, sizeof *u);
  u->op = (uint16_t)op;
  u->arg = (uint16_t)(16 * a);
  u->operand[0] = b;
  u->operand[1] = c;
  return u;
}

/* A guard on slot `a` exiting to `pc`. */
static void guard(Recorder *R, const Instruction *pc, int op, int a,
                  uint64_t c) {
  cpjit_uop *u = emit(R, op, a, 0, c);
  u->exit = exit_for(R, pc);
}

/* A guard reading slot `a` and operand 0 (G_ARR: the key slot). */
static void guard2(Recorder *R, const Instruction *pc, int op, int a,
                   uint64_t b, uint64_t c) {
  cpjit_uop *u = emit(R, op, a, b, c);
  u->exit = exit_for(R, pc);
}

static const char *tname(const TValue *o) {
  static const char *const names[] = {"nil", "boolean", "userdata", "number",
                                      "string", "table", "function",
                                      "userdata", "thread"};
  int t = ttype(o);
  return t < 9 ? names[t] : "?";
}

static void know(Recorder *R, int a, uint8_t tag) {
  SLOTINFO(a).known = 1;
  SLOTINFO(a).tag = tag;
}

static void forget(Recorder *R, int a) { SLOTINFO(a).known = 0; }

static void forget_all(Recorder *R) { memset(R->slot, 0, sizeof R->slot); }

static bool known_as(Recorder *R, int a, uint8_t tag) {
  return SLOTINFO(a).known && SLOTINFO(a).tag == tag;
}

/* Guard that slot a has exactly tag `tag` (the type seen now). */
static void guard_tag(Recorder *R, const Instruction *pc, int a, uint8_t tag) {
  if (known_as(R, a, tag))
    return;
  if (tag == TAG_INT)
    guard(R, pc, UOP_G_INT, a, 0);
  else if (tag == TAG_FLT)
    guard(R, pc, UOP_G_FLT, a, 0);
  else if (tag == TAG_TABLE)
    guard(R, pc, UOP_G_TAB, a, 0);
  else
    guard(R, pc, UOP_G_TAG_EQ, a, tag);
  know(R, a, tag);
}

/* -- Helpers on observed values --------------------------------------------- */

static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static uint64_t dbits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static bool isnum(const TValue *o) { return ttisinteger(o) || ttisfloat(o); }

/* Lua tables without a metatable: raw access is the whole semantics. */
static bool plain_table(const TValue *o) {
  return ttistable(o) && hvalue(o)->metatable == NULL;
}

static void guard_plain_table(Recorder *R, const Instruction *pc, int a) {
  bool was = known_as(R, a, TAG_TABLE);
  guard_tag(R, pc, a, TAG_TABLE);
  if (!was)
    guard(R, pc, UOP_G_NOMT, a, 0);
}

/* -- Arithmetic -------------------------------------------------------------- */

typedef struct ArithOps {
  int ii, ik, nn, nk; /* uops, or -1 when that form does not exist */
  bool float_result;  /* / and ^ always produce floats */
  bool int_only;      /* bitwise */
} ArithOps;

static ArithOps arith_ops(OpCode op) {
  ArithOps a = {-1, -1, -1, -1, false, false};
  switch (op) {
  case OP_ADD: case OP_ADDK: case OP_ADDI: case OP_ADDKL:
    a = (ArithOps){UOP_ADD_II, UOP_ADD_IK, UOP_ADD_NN, UOP_ADD_NK, false, false};
    break;
  case OP_SUB: case OP_SUBK:
    a = (ArithOps){UOP_SUB_II, UOP_SUB_IK, UOP_SUB_NN, UOP_SUB_NK, false, false};
    break;
  case OP_MUL: case OP_MULK: case OP_MULKL:
    a = (ArithOps){UOP_MUL_II, UOP_MUL_IK, UOP_MUL_NN, UOP_MUL_NK, false, false};
    break;
  case OP_MOD: case OP_MODK:
    a = (ArithOps){UOP_MOD_II, UOP_MOD_IK, UOP_MOD_NN, UOP_MOD_NK, false, false};
    break;
  case OP_IDIV: case OP_IDIVK:
    a = (ArithOps){UOP_IDIV_II, UOP_IDIV_IK, UOP_IDIV_NN, UOP_IDIV_NK, false, false};
    break;
  case OP_DIV: case OP_DIVK:
    a = (ArithOps){-1, -1, UOP_DIV_NN, UOP_DIV_NK, true, false};
    break;
  case OP_POW: case OP_POWK:
    a = (ArithOps){-1, -1, UOP_POW_NN, UOP_POW_NK, true, false};
    break;
  case OP_BAND: case OP_BANDK:
    a = (ArithOps){UOP_BAND_II, UOP_BAND_IK, -1, -1, false, true};
    break;
  case OP_BOR: case OP_BORK:
    a = (ArithOps){UOP_BOR_II, UOP_BOR_IK, -1, -1, false, true};
    break;
  case OP_BXOR: case OP_BXORK:
    a = (ArithOps){UOP_BXOR_II, UOP_BXOR_IK, -1, -1, false, true};
    break;
  case OP_SHL: case OP_SHLK:
    a = (ArithOps){UOP_SHL_II, UOP_SHL_IK, -1, -1, false, true};
    break;
  case OP_SHR: case OP_SHRK:
    a = (ArithOps){UOP_SHR_II, UOP_SHR_IK, -1, -1, false, true};
    break;
  default:
    break;
  }
  return a;
}

static void emit_exec(Recorder *R, const Instruction *pc) {
  emit(R, UOP_EXEC, 0, (uint64_t)(uintptr_t)pc, 0);
  /* A call from trace code starts a new interpreter activation: it weighs
   * more than a call the interpreter makes in place. */
  OpCode op = GET_OPCODE(*pc);
  R->nexec += op == OP_CALL || op == OP_TFORCALL ? 2 : 1;
  forget_all(R);
  R->arr_valid = false; /* may resize any table */
  R->upt_ok = 0;        /* may replace an upvalue or give it a metatable */
}

/* Bounds guard for table slot t and integer key slot k, unless the same
 * pair was already checked and neither slot changed since. */
static void guard_arr(Recorder *R, const Instruction *pc, int t, int k) {
  t += R->off, k += R->off; /* kept as trace slots */
  if (R->arr_valid && R->arr_tab == t && R->arr_key == k)
    return;
  guard2(R, pc, UOP_G_ARR, t - R->off, SD(k - R->off), 0);
  R->arr_valid = true;
  R->arr_tab = t;
  R->arr_key = k;
}

/* The float-only form of + - * / (same order from ADD in both groups). */
static int float_form(int op, int base_n, int base_f) {
  int d = op - base_n;
  return d >= 0 && d < 4 ? base_f + d : -1;
}

/* R[A] = R[B] op R[C] */
static bool rec_arith_rr(Recorder *R, const Instruction *pc, OpCode op, int a,
                         int b, int c, const TValue *vb, const TValue *vc) {
  ArithOps o = arith_ops(op);
  if (ttisinteger(vb) && ttisinteger(vc) && !o.float_result) {
    guard_tag(R, pc, b, TAG_INT);
    guard_tag(R, pc, c, TAG_INT);
    emit(R, o.ii, a, SD(b), SD(c));
    know(R, a, TAG_INT);
    return true;
  }
  if (isnum(vb) && isnum(vc) && !o.int_only) {
    /* Exact tags keep "int op int gives int" out of the float form. */
    guard_tag(R, pc, b, vb->tt);
    guard_tag(R, pc, c, vc->tt);
    int ff = float_form(o.nn, UOP_ADD_NN, UOP_ADD_FF);
    emit(R, ttisfloat(vb) && ttisfloat(vc) && ff >= 0 ? ff : o.nn, a, SD(b),
         SD(c));
    know(R, a, TAG_FLT);
    return true;
  }
  emit_exec(R, pc); /* strings, metamethods, float operands of bitwise ops */
  return true;
}

/* R[A] = R[B] op constant */
static bool rec_arith_rk(Recorder *R, const Instruction *pc, OpCode op, int a,
                         int b, const TValue *vb, const TValue *kc) {
  ArithOps o = arith_ops(op);
  if (ttisinteger(vb) && ttisinteger(kc) && !o.float_result) {
    if (!fits32(ivalue(kc)) || ((op == OP_MODK || op == OP_IDIVK) &&
                                ivalue(kc) == 0)) {
      emit_exec(R, pc);
      return true;
    }
    guard_tag(R, pc, b, TAG_INT);
    emit(R, o.ik, a, SD(b), (uint64_t)ivalue(kc));
    know(R, a, TAG_INT);
    return true;
  }
  if (isnum(vb) && isnum(kc) && !o.int_only) {
    guard_tag(R, pc, b, vb->tt);
    double kn = ttisinteger(kc) ? (double)ivalue(kc) : fltvalue(kc);
    int fc = float_form(o.nk, UOP_ADD_NK, UOP_ADD_FC);
    emit(R, ttisfloat(vb) && fc >= 0 ? fc : o.nk, a, SD(b), dbits(kn));
    know(R, a, TAG_FLT);
    return true;
  }
  emit_exec(R, pc);
  return true;
}

/* -- Comparisons --------------------------------------------------------------- */

/* Pick the _T or _F form of a compare uop (they are adjacent in the list,
 * _T first). */
static int tf(int op_t, bool cond) { return cond ? op_t : op_t + 1; }

static bool rec_order(Recorder *R, const Instruction *pc, OpCode op, int a,
                      int b, const TValue *va, const TValue *vb) {
  bool lt = op == OP_LT;
  if (ttisinteger(va) && ttisinteger(vb)) {
    bool cond = lt ? ivalue(va) < ivalue(vb) : ivalue(va) <= ivalue(vb);
    guard_tag(R, pc, a, TAG_INT);
    guard_tag(R, pc, b, TAG_INT);
    cpjit_uop *u = emit(R, tf(lt ? UOP_LT_II_T : UOP_LE_II_T, cond), 0, SD(a),
                        SD(b));
    u->exit = exit_for(R, pc);
    return true;
  }
  if (ttisfloat(va) && ttisfloat(vb)) {
    bool cond = lt ? fltvalue(va) < fltvalue(vb) : fltvalue(va) <= fltvalue(vb);
    guard_tag(R, pc, a, TAG_FLT);
    guard_tag(R, pc, b, TAG_FLT);
    cpjit_uop *u = emit(R, tf(lt ? UOP_LT_FF_T : UOP_LE_FF_T, cond), 0, SD(a),
                        SD(b));
    u->exit = exit_for(R, pc);
    return true;
  }
  return abortf(R, "comparison of %s with %s", ttypename(ttype(va)),
                ttypename(ttype(vb)));
}

/* R[A] op immediate, for LTI LEI GTI GEI EQI. */
static bool rec_order_imm(Recorder *R, const Instruction *pc, OpCode op, int a,
                          const TValue *va, int im) {
  int base_i, base_f;
  switch (op) {
  case OP_LTI: base_i = UOP_LT_IK_T, base_f = UOP_LT_FK_T; break;
  case OP_LEI: base_i = UOP_LE_IK_T, base_f = UOP_LE_FK_T; break;
  case OP_GTI: base_i = UOP_GT_IK_T, base_f = UOP_GT_FK_T; break;
  case OP_GEI: base_i = UOP_GE_IK_T, base_f = UOP_GE_FK_T; break;
  default: base_i = UOP_EQ_IK_T, base_f = UOP_EQ_FK_T; break;
  }
  if (ttisinteger(va) || ttisfloat(va)) {
    bool isint = ttisinteger(va);
    /* im is a small integer: comparing it as a double is exact. */
    double x = isint ? 0.0 : fltvalue(va);
    int64_t v = isint ? ivalue(va) : 0;
    bool cond;
    switch (op) {
    case OP_LTI: cond = isint ? v < im : x < im; break;
    case OP_LEI: cond = isint ? v <= im : x <= im; break;
    case OP_GTI: cond = isint ? v > im : x > im; break;
    case OP_GEI: cond = isint ? v >= im : x >= im; break;
    default: cond = isint ? v == im : x == im; break;
    }
    guard_tag(R, pc, a, va->tt);
    cpjit_uop *u = emit(R, tf(isint ? base_i : base_f, cond), 0, SD(a),
                        (uint64_t)(int64_t)im);
    u->exit = exit_for(R, pc);
    return true;
  }
  if (op == OP_EQI) { /* never equal: keep the type as seen */
    guard_tag(R, pc, a, va->tt);
    return true;
  }
  return abortf(R, "order comparison of a %s value", tname(va));
}

static bool rec_eq(Recorder *R, const Instruction *pc, int a, int b,
                   const TValue *va, const TValue *vb) {
  if (ttisinteger(va) && ttisinteger(vb)) {
    guard_tag(R, pc, a, TAG_INT);
    guard_tag(R, pc, b, TAG_INT);
    cpjit_uop *u = emit(R, tf(UOP_EQ_II_T, ivalue(va) == ivalue(vb)), 0, SD(a),
                        SD(b));
    u->exit = exit_for(R, pc);
    return true;
  }
  if (ttisfloat(va) && ttisfloat(vb)) {
    guard_tag(R, pc, a, TAG_FLT);
    guard_tag(R, pc, b, TAG_FLT);
    cpjit_uop *u = emit(R, tf(UOP_EQ_FF_T, fltvalue(va) == fltvalue(vb)), 0,
                        SD(a), SD(b));
    u->exit = exit_for(R, pc);
    return true;
  }
  if (isnum(va) && isnum(vb))
    return abortf(R, "equality of an integer and a float");
  if (ttype(va) != ttype(vb)) { /* different types: never equal */
    guard_tag(R, pc, a, va->tt);
    guard_tag(R, pc, b, vb->tt);
    return true;
  }
  if (ttisnil(va) || ttisboolean(va)) {
    cpjit_uop *u = emit(R, tf(UOP_EQ_TT_T, va->tt == vb->tt), 0, SD(a), SD(b));
    u->exit = exit_for(R, pc);
    return true;
  }
  if ((ttisshrstring(va) && ttisshrstring(vb)) ||
      (plain_table(va) && plain_table(vb))) {
    if (ttistable(va)) {
      guard_plain_table(R, pc, a);
      guard_plain_table(R, pc, b);
    } else {
      guard_tag(R, pc, a, va->tt);
      guard_tag(R, pc, b, vb->tt);
    }
    cpjit_uop *u = emit(R, tf(UOP_EQ_GC_T, gcvalue(va) == gcvalue(vb)), 0,
                        SD(a), SD(b));
    u->exit = exit_for(R, pc);
    return true;
  }
  return abortf(R, "equality of %s values", tname(va));
}

/* R[A] == K[B] */
static bool rec_eqk(Recorder *R, const Instruction *pc, int a,
                    const TValue *va, const TValue *kb) {
  if (ttisinteger(kb) && fits32(ivalue(kb)) && isnum(va)) {
    bool cond = ttisinteger(va) ? ivalue(va) == ivalue(kb)
                                : fltvalue(va) == (double)ivalue(kb);
    guard_tag(R, pc, a, va->tt);
    cpjit_uop *u = emit(R, tf(ttisinteger(va) ? UOP_EQ_IK_T : UOP_EQ_FK_T, cond),
                        0, SD(a), (uint64_t)ivalue(kb));
    u->exit = exit_for(R, pc);
    return true;
  }
  if (ttisshrstring(kb)) { /* interned: equal iff the same object */
    bool cond = ttisshrstring(va) && tsvalue(va) == tsvalue(kb);
    guard(R, pc, cond ? UOP_G_GCEQ : UOP_G_GCNE, a,
          (uint64_t)(uintptr_t)tsvalue(kb));
    if (cond)
      know(R, a, TAG_SHRSTR);
    return true;
  }
  if (ttisnil(kb) || ttisboolean(kb)) { /* decided by the tag */
    bool cond = va->tt == kb->tt;
    guard(R, pc, cond ? UOP_G_TAG_EQ : UOP_G_TAG_NE, a, kb->tt);
    if (cond)
      know(R, a, kb->tt);
    return true;
  }
  if (ttype(va) != ttype(kb)) { /* another type: never equal */
    guard_tag(R, pc, a, va->tt);
    return true;
  }
  return abortf(R, "equality with a %s constant", tname(kb));
}

/* -- Tables -------------------------------------------------------------------- */

/* R[A] = R[B][R[C]] */
static void rec_gettable(Recorder *R, const Instruction *pc, int a, int b,
                         int c, const TValue *vb, const TValue *vc) {
  if (plain_table(vb) && ttisinteger(vc) &&
      (uint64_t)ivalue(vc) - 1 < hvalue(vb)->asize) {
    guard_plain_table(R, pc, b);
    guard_tag(R, pc, c, TAG_INT);
    guard_arr(R, pc, b, c);
    /* Loads of numbers are typed: the next guard on A goes away. */
    const TValue *e = &hvalue(vb)->array[ivalue(vc) - 1];
    int op = ttisfloat(e) ? UOP_GETI_AF : ttisinteger(e) ? UOP_GETI_AI : UOP_GETI_A;
    cpjit_uop *u = emit(R, op, a, SD(b), SD(c));
    if (op != UOP_GETI_A) {
      u->exit = exit_for(R, pc);
      know(R, a, e->tt);
    } else {
      forget(R, a);
    }
    return;
  }
  emit_exec(R, pc);
}

/* R[A][R[B]] = R[C] */
static void rec_settable(Recorder *R, const Instruction *pc, int a, int b,
                         int c, const TValue *va, const TValue *vb) {
  if (plain_table(va) && ttisinteger(vb) &&
      (uint64_t)ivalue(vb) - 1 < hvalue(va)->asize) {
    guard_plain_table(R, pc, a);
    guard_tag(R, pc, b, TAG_INT);
    guard_arr(R, pc, a, b);
    emit(R, UOP_SETI_A, a, SD(b), SD(c));
    return;
  }
  emit_exec(R, pc);
}

/* Index of the node of plain table t that holds short-string key, or -1. */
static int64_t node_of(const Table *t, const TString *key) {
  const Node *base = t->node;
  const Node *n = &base[key->hash & (sizenode(t) - 1)];
  for (;;) {
    if (keytt(n) == TAG_SHRSTR && keyval(n).gc == (const GCObject *)key)
      return n - base;
    if (gnext(n) == 0)
      return -1;
    n += gnext(n);
  }
}

/* R[A] = table(slot b)[key], the table already guarded as plain. */
static void rec_getfield(Recorder *R, const Instruction *pc, int a, int b,
                         const Table *t, const TString *key) {
  int64_t n = node_of(t, key);
  if (n >= 0 && n <= INT32_MAX) {
    guard2(R, pc, UOP_G_HKEY, b, (uint64_t)n, (uint64_t)(uintptr_t)key);
    if (ttisfloat(gval(&t->node[n]))) { /* typed load */
      cpjit_uop *u = emit(R, UOP_HGET_F, a, SD(b), (uint64_t)n);
      u->exit = exit_for(R, pc);
      know(R, a, TAG_FLT);
      return;
    }
    emit(R, UOP_HGET, a, SD(b), (uint64_t)n);
  } else { /* absent: the helper finds out each time */
    emit(R, UOP_GETFIELD_S, a, SD(b), (uint64_t)(uintptr_t)key);
  }
  forget(R, a);
}

/* A table with a metatable whose node n holds key with a non-nil value:
 * raw access is the whole semantics there. Returns the node or -1. */
static int64_t present_node(const TValue *t, const TValue *key) {
  if (!ttistable(t) || !ttisshrstring(key))
    return -1;
  int64_t n = node_of(hvalue(t), tsvalue(key));
  if (n < 0 || n > INT32_MAX || ttisnil(gval(&hvalue(t)->node[n])))
    return -1;
  return n;
}

/* A call to a known library function with fixed arguments and results:
 * guard the function's identity and the arguments' types, then compute
 * the result in place. Returns false when the call is not one of those. */
static bool rec_builtin(Recorder *R, const Instruction *pc, int a, int nargs,
                        int nres) {
  const TValue *base = (R->inl_ci ? R->inl_ci : R->ci)->func + 1;
  const TValue *f = base + a, *x = base + a + 1, *y = base + a + 2;
  if (!ttislcf(f) || nres < 0 || nargs < 1 || nargs > 2)
    return false;
  JitBuiltin bi = jit_math_builtin(fvalue(f));
  int op = -1, want = bi == JIT_BI_MIN || bi == JIT_BI_MAX ? 2 : 1;
  if (bi == JIT_BI_NONE || nargs != want || !isnum(x) ||
      (want == 2 && x->tt != y->tt))
    return false;
  uint8_t rtag = TAG_FLT;
  bool isint = ttisinteger(x);
  switch (bi) {
  case JIT_BI_SQRT: op = UOP_SQRT_N; break;
  case JIT_BI_SIN: op = UOP_SIN_N; break;
  case JIT_BI_COS: op = UOP_COS_N; break;
  case JIT_BI_EXP: op = UOP_EXP_N; break;
  case JIT_BI_LOG: op = UOP_LOG_N; break;
  case JIT_BI_ABS: op = isint ? UOP_ABS_I : UOP_ABS_F; rtag = x->tt; break;
  case JIT_BI_FLOOR: op = isint ? UOP_MOV : UOP_FLOOR_F; rtag = 0; break;
  case JIT_BI_CEIL: op = isint ? UOP_MOV : UOP_CEIL_F; rtag = 0; break;
  case JIT_BI_MIN: op = isint ? UOP_MIN_II : UOP_MIN_FF; rtag = x->tt; break;
  case JIT_BI_MAX: op = isint ? UOP_MAX_II : UOP_MAX_FF; rtag = x->tt; break;
  default: return false;
  }
  guard2(R, pc, UOP_G_VAL, a, TAG_LCF, (uint64_t)(uintptr_t)fvalue(f));
  guard_tag(R, pc, a + 1, x->tt);
  if (want == 2)
    guard_tag(R, pc, a + 2, y->tt);
  emit(R, op, a, SD(a + 1), SD(a + 2));
  if (op == UOP_MOV)
    rtag = TAG_INT;
  if (rtag)
    know(R, a, rtag);
  else
    forget(R, a);
  for (int j = 1; j < nres; j++) { /* missing results are nil */
    emit(R, UOP_KNIL, a + j, 0, 0);
    know(R, a + j, TAG_NIL);
  }
  return true;
}

/* -- The instruction switch ---------------------------------------------------- */

void rec_start(jit_State *js, Recorder *R, lua_State *L, CallInfo *ci,
               const Instruction *head) {
  (void)js;
  R->L = L;
  R->soft_abort = false;
  R->light_abort = false;
  R->parent = NULL;
  R->link_pc = NULL;
  R->link_exit = 0;
  R->backpasses = 0;
  R->off = 0;
  R->inl_ci = NULL;
  R->inl_p = NULL;
  R->inl_call = NULL;
  R->ci = ci;
  R->p = clLvalue(ci->func)->p;
  R->head = head;
  R->ninsn = 0;
  R->callee_insns = 0;
  R->nexec = 0;
  R->nuops = 0;
  R->nexits = 0;
  R->closed = false;
  R->arr_valid = false;
  R->upt_ok = 0;
  R->why[0] = '\0';
  forget_all(R);
  /* The loop ends at the last jump back to its head. */
  const Proto *p = R->p;
  const ProtoJit *pj = p->jitdata;
  int h = (int)(head - p->code);
  R->loop_end = head;
  if (pj && pj->aborts[h] % JIT_ABORT_HARD >= JIT_MAX_LEAVES) {
    R->loop_end = NULL;
    return;
  }
  for (int j = h; j < p->sizecode; j++) {
    Instruction i = p->code[j];
    OpCode op = GET_OPCODE(i);
    int to = op == OP_JMP                            ? j + 1 + GETARG_sJ(i)
             : op == OP_FORLOOP || op == OP_TFORLOOP ? j + 1 - GETARG_Bx(i)
                                                     : -1;
    if (to == h)
      R->loop_end = p->code + j;
  }
}

static bool rec_one(Recorder *R, const Instruction *pc, CallInfo *ci,
                    Proto *p);

/* -- Inlined calls ------------------------------------------------------------- */

/* A call to a small Lua function whose body only computes (no stores, no
 * upvalues, no calls but known builtins, no loops) is recorded into the
 * trace: the arguments are copied above the caller's registers, where the
 * callee's registers live, and its results copied back. The callee writes
 * nothing the caller can see before it returns, so any guard inside exits
 * to the CALL, which the interpreter redoes from scratch. */
static bool inline_call(Recorder *R, const Instruction *pc, int a, int nargs,
                        int nres) {
  const TValue *f = R->ci->func + 1 + a;
  if (!ttisLclosure(f))
    return false;
  Proto *np = clLvalue(f)->p;
  const ProtoJit *npj = np->jitdata;
  int off = R->p->maxstacksize;
  if ((npj && npj->noinline) || np->is_vararg || np->sizep > 0 ||
      off + np->maxstacksize + 1 >= 250 || np->sizecode > 60)
    return false;
  guard(R, pc, UOP_G_PROTO, a, (uint64_t)(uintptr_t)np);
  guard(R, pc, UOP_G_STACK, 0, 0);
  R->uops[R->nuops - 1].operand[0] =
      (uint64_t)16 * (uint64_t)(off + np->maxstacksize + EXTRA_STACK);
  for (int j = 0; j < np->numparams; j++) {
    if (j < nargs) {
      emit(R, UOP_MOV, off + j, SD(a + 1 + j), 0);
      R->slot[off + j] = R->slot[a + 1 + j];
    } else {
      emit(R, UOP_KNIL, off + j, 0, 0);
      know(R, off + j, TAG_NIL);
    }
  }
  for (int j = np->numparams; j <= np->maxstacksize; j++)
    forget(R, off + j);
  R->inl_p = np;
  R->inl_call = pc;
  R->inl_a = a;
  R->inl_nres = nres;
  R->inl_off = off;
  return true;
}

/* Give up inlining this callee: record the call as EXEC next time. */
static bool inline_abort(Recorder *R, const char *what) {
  ProtoJit *pj = jit_protojit(G(R->L)->jit, R->inl_p);
  if (pj)
    pj->noinline = 1;
  R->soft_abort = true;
  return abortf(R, "inlined call: %s", what);
}

/* Copy the callee's n results from its register ra to the caller's A. */
static void inline_return(Recorder *R, int ra, int n) {
  int off = R->off;
  R->off = 0;
  for (int j = 0; j < R->inl_nres; j++) {
    if (j < n) {
      emit(R, UOP_MOV, R->inl_a + j, SD(off + ra + j), 0);
      R->slot[R->inl_a + j] = R->slot[off + ra + j];
    } else {
      emit(R, UOP_KNIL, R->inl_a + j, 0, 0);
      know(R, R->inl_a + j, TAG_NIL);
    }
  }
  R->inl_ci = NULL;
  R->inl_p = NULL;
}

static bool rec_inline_ins(Recorder *R, const Instruction *pc) {
  lua_State *L = R->L;
  if (!R->inl_ci) { /* the callee's first instruction */
    if (L->ci->previous != R->ci || clLvalue(L->ci->func)->p != R->inl_p)
      return inline_abort(R, "not entered");
    R->inl_ci = L->ci;
  }
  if (L->ci != R->inl_ci)
    return inline_abort(R, "calls out");
  if (++R->ninsn > JIT_MAX_INSNS || R->nuops + 16 > JIT_MAX_UOPS)
    return abortf(R, "trace too long");
  Instruction i = *pc;
  OpCode op = GET_OPCODE(i);
  switch (op) {
  case OP_RETURN0: case OP_RETURN1: case OP_RETURN: {
    int n = op == OP_RETURN0 ? 0 : op == OP_RETURN1 ? 1 : GETARG_B(i) - 1;
    if (n < 0)
      return inline_abort(R, "variable results");
    R->off = R->inl_off;
    inline_return(R, GETARG_A(i), n);
    R->off = 0;
    return true;
  }
  case OP_MOVE: case OP_LOADI: case OP_LOADF: case OP_LOADK:
  case OP_LOADFALSE: case OP_LOADTRUE: case OP_LOADNIL:
  case OP_ADDI: case OP_SUBI: case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK:
  case OP_POWK: case OP_DIVK: case OP_IDIVK: case OP_BANDK: case OP_BORK:
  case OP_BXORK: case OP_SHLK: case OP_SHRK: case OP_ADDKL: case OP_MULKL:
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_MOD: case OP_POW:
  case OP_DIV: case OP_IDIV: case OP_BAND: case OP_BOR: case OP_BXOR:
  case OP_SHL: case OP_SHR: case OP_UNM: case OP_BNOT: case OP_NOT:
  case OP_EQ: case OP_LT: case OP_LE: case OP_EQK: case OP_EQI: case OP_LTI:
  case OP_LEI: case OP_GTI: case OP_GEI: case OP_TEST: case OP_TESTSET:
  case OP_GETTABLE: case OP_GETI: case OP_GETFIELD: case OP_CALL:
    break;
  case OP_JMP:
    if (GETARG_sJ(i) < 0)
      return inline_abort(R, "loop");
    return true;
  default:
    return inline_abort(R, "bytecode not inlined");
  }
  uint32_t nexec = (uint32_t)R->nexec, nu = R->nuops;
  R->off = R->inl_off;
  bool ok = rec_one(R, pc, R->inl_ci, R->inl_p);
  R->off = 0;
  if (!ok) {
    char why[sizeof R->why];
    memcpy(why, R->why, sizeof why);
    return inline_abort(R, why);
  }
  if ((uint32_t)R->nexec != nexec)
    return inline_abort(R, "slow path");
  for (uint32_t j = nu; j < R->nuops; j++)
    if (R->uops[j].op == UOP_EXIT)
      return inline_abort(R, "exit");
  return true;
}

/* Is `ci` still on the stack of calls of R->L, at or above R->ci? */
static bool frame_alive(Recorder *R, lua_State *L) {
  for (CallInfo *c = L->ci; c; c = c->previous)
    if (c == R->ci)
      return true;
  return false;
}

/* The root trace installed at pc of the recorded function, if any. */
static LuaTrace *trace_at(const Recorder *R, const Instruction *pc) {
  const ProtoJit *pj = R->p->jitdata;
  return pj ? pj->trace[pc - R->p->code] : NULL;
}

bool rec_arrive(Recorder *R, const Instruction *pc) {
  if (R->closed)
    return true;
  if (R->ninsn == 0)
    return false;
  if (pc == R->head) { /* back at the start: a loop */
    cpjit_uop *u = emit(R, UOP_JUMP, 0, 0, 0);
    u->target = 0;
    R->closed = true;
    return true;
  }
  if (trace_at(R, pc)) { /* a loop with a trace: continue in it */
    cpjit_uop *u = emit(R, UOP_EXIT, 0, 0, 0);
    u->exit = exit_new(R, pc);
    R->link_pc = pc;
    R->link_exit = u->exit;
    R->closed = true;
    return true;
  }
  return false;
}

/* End the trace with an exit to the interpreter at pc, which runs what the
 * trace cannot (a return, a call with variable results, ...). A root trace
 * must have done enough before that to be worth entering. */
static bool stop_at(Recorder *R, const Instruction *pc, const char *what) {
  if (R->parent ? R->nuops == 0 : R->nuops < 6)
    return abortf(R, "%s %s", what, op_name(GET_OPCODE(*pc)));
  cpjit_uop *u = emit(R, UOP_EXIT, 0, 0, 0);
  u->exit = exit_new(R, pc);
  R->closed = true;
  return false;
}

/* A back-edge to `dest` that is not the trace's start. A root trace only
 * crosses loops that have a trace (it links to them on arrival); a side
 * trace may cross a couple of heads without one. */
static bool cross_back(Recorder *R, const Instruction *dest) {
  if (trace_at(R, dest))
    return true;
  if (!R->parent || ++R->backpasses > JIT_MAX_BACKPASSES) {
    R->soft_abort = true; /* record again once the inner loop has a trace */
    return abortf(R, "inner loop");
  }
  return true;
}

bool rec_ins(Recorder *R, const Instruction *pc) {
  lua_State *L = R->L;
  if (R->inl_p) /* a call being inlined */
    return rec_inline_ins(R, pc);
  if (L->ci != R->ci) {
    /* A callee of an EXEC'd call runs in the interpreter: not recorded,
     * but every instruction it runs passes here, so a long-running call
     * (deep recursion, a loop inside) stops the recording. */
    if (++R->callee_insns > JIT_MAX_CALLEE_INSNS)
      return abortf(R, "calls run too long");
    if (frame_alive(R, L))
      return true;
    return abortf(R, "left the loop's function");
  }
  if (!R->parent && R->loop_end && (pc < R->head || pc > R->loop_end)) {
    /* A root trace that leaves its loop would be entered only to exit at
     * its first guard each time the loop runs on (a while loop recorded on
     * its last test): record again later. */
    R->light_abort = true;
    return abortf(R, "leaves its loop");
  }
  if (rec_arrive(R, pc))
    return false;
  return rec_one(R, pc, R->ci, R->p);
}

/* Record the instruction at pc of frame ci (function p). */
static bool rec_one(Recorder *R, const Instruction *pc, CallInfo *ci,
                    Proto *p) {
  lua_State *L = R->L;
  (void)L;
  if (++R->ninsn > JIT_MAX_INSNS || R->nuops + 16 > JIT_MAX_UOPS)
    return abortf(R, "trace too long");

  StkId base = ci->func + 1;
  const TValue *k = p->k;
  Instruction i = *pc;
  OpCode op = GET_OPCODE(i);
  int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  TValue *ra = base + a;

  switch (op) {
  case OP_MOVE:
    emit(R, UOP_MOV, a, SD(b), 0);
    SLOTINFO(a) = SLOTINFO(b);
    return true;
  case OP_LOADI:
    emit(R, UOP_K, a, (uint64_t)(int64_t)GETARG_sBx(i), TAG_INT);
    know(R, a, TAG_INT);
    return true;
  case OP_LOADF:
    emit(R, UOP_K, a, dbits((double)GETARG_sBx(i)), TAG_FLT);
    know(R, a, TAG_FLT);
    return true;
  case OP_LOADK: {
    const TValue *kv = k + GETARG_Bx(i);
    emit(R, UOP_K, a, (uint64_t)kv->v.i, kv->tt);
    know(R, a, kv->tt);
    return true;
  }
  case OP_LOADFALSE:
  case OP_LFALSESKIP:
    emit(R, UOP_K, a, 0, TAG_FALSE);
    know(R, a, TAG_FALSE);
    return true;
  case OP_LOADTRUE:
    emit(R, UOP_K, a, 0, TAG_TRUE);
    know(R, a, TAG_TRUE);
    return true;
  case OP_LOADNIL:
    for (int j = 0; j <= b; j++) {
      emit(R, UOP_KNIL, a + j, 0, 0);
      know(R, a + j, TAG_NIL);
    }
    return true;
  case OP_GETUPVAL:
    emit(R, UOP_GETUPVAL, a, (uint64_t)b, 0);
    forget(R, a);
    return true;
  case OP_SETUPVAL:
    emit(R, UOP_SETUPVAL, a, (uint64_t)b, 0);
    if (b < 32)
      R->upt_ok &= ~(1u << b);
    return true;
  case OP_GETTABLE:
    rec_gettable(R, pc, a, b, c, base + b, base + c);
    return true;
  case OP_GETI: {
    const TValue *vb = base + b;
    if (plain_table(vb) && c >= 1 && (uint64_t)c <= hvalue(vb)->asize) {
      guard_plain_table(R, pc, b);
      guard(R, pc, UOP_G_ARRK, b, (uint64_t)(c - 1));
      emit(R, UOP_GETI_AK, a, SD(b), (uint64_t)(c - 1));
      forget(R, a);
    } else {
      emit_exec(R, pc);
    }
    return true;
  }
  case OP_SETTABLE:
    rec_settable(R, pc, a, b, c, ra, base + b);
    return true;
  case OP_SETI:
    if (plain_table(ra) && b >= 1 && (uint64_t)b <= hvalue(ra)->asize) {
      guard_plain_table(R, pc, a);
      guard(R, pc, UOP_G_ARRK, a, (uint64_t)(b - 1));
      emit(R, UOP_SETI_AK, a, (uint64_t)(b - 1), SD(c));
    } else {
      emit_exec(R, pc);
    }
    return true;
  case OP_GETFIELD: {
    int64_t n;
    if (plain_table(base + b) && ttisshrstring(k + c)) {
      guard_plain_table(R, pc, b);
      rec_getfield(R, pc, a, b, hvalue(base + b), tsvalue(k + c));
    } else if ((n = present_node(base + b, k + c)) >= 0) {
      guard_tag(R, pc, b, TAG_TABLE);
      guard2(R, pc, UOP_G_HKEYV, b, (uint64_t)n,
             (uint64_t)(uintptr_t)tsvalue(k + c));
      emit(R, UOP_HGET, a, SD(b), (uint64_t)n);
      forget(R, a);
    } else {
      emit_exec(R, pc);
    }
    return true;
  }
  case OP_SETFIELD: {
    int64_t n;
    if (!plain_table(ra) && (n = present_node(ra, k + b)) >= 0) {
      guard_tag(R, pc, a, TAG_TABLE);
      guard2(R, pc, UOP_G_HKEYV, a, (uint64_t)n,
             (uint64_t)(uintptr_t)tsvalue(k + b));
      emit(R, UOP_HSET, a, (uint64_t)n, SD(c));
    } else if (plain_table(ra) && ttisshrstring(k + b)) {
      guard_plain_table(R, pc, a);
      int64_t n = node_of(hvalue(ra), tsvalue(k + b));
      if (n >= 0 && n <= INT32_MAX) { /* the key is there: store in place */
        guard2(R, pc, UOP_G_HKEY, a, (uint64_t)n,
               (uint64_t)(uintptr_t)tsvalue(k + b));
        emit(R, UOP_HSET, a, (uint64_t)n, SD(c));
      } else {
        emit(R, UOP_SETFIELD_S, a, (uint64_t)(uintptr_t)tsvalue(k + b),
             SD(c));
        R->arr_valid = false; /* an insertion may resize the table */
      }
    } else {
      emit_exec(R, pc);
    }
    return true;
  }
  case OP_GETTABUP: {
    const TValue *up = clLvalue(ci->func)->upvals[b]->v;
    if (plain_table(up) && ttisshrstring(k + c)) {
      if (b >= 32 || !(R->upt_ok & (1u << b))) {
        guard2(R, pc, UOP_G_UPT, 0, (uint64_t)b, 0);
        if (b < 32)
          R->upt_ok |= 1u << b;
      }
      int64_t n = node_of(hvalue(up), tsvalue(k + c));
      if (n >= 0 && n <= INT32_MAX) {
        emit(R, UOP_GETUPVAL, a, (uint64_t)b, 0);
        guard2(R, pc, UOP_G_HKEY, a, (uint64_t)n,
               (uint64_t)(uintptr_t)tsvalue(k + c));
        emit(R, UOP_HGET, a, SD(a), (uint64_t)n);
      } else {
        emit(R, UOP_GETTABUP_S, a, (uint64_t)b,
             (uint64_t)(uintptr_t)tsvalue(k + c));
      }
      forget(R, a);
    } else {
      emit_exec(R, pc);
    }
    return true;
  }
  case OP_SETTABUP: case OP_SELF: case OP_LEN: case OP_CONCAT: case OP_NEWTABLE:
  case OP_CLOSURE:
    emit_exec(R, pc);
    return true;
  case OP_ADDI: {
    TValue imm;
    setivalue(&imm, GETARG_sC(i));
    return rec_arith_rk(R, pc, op, a, b, base + b, &imm);
  }
  case OP_SUBI: { /* x + (-i), as the interpreter computes it */
    TValue imm;
    setivalue(&imm, -GETARG_sC(i));
    return rec_arith_rk(R, pc, OP_ADDI, a, b, base + b, &imm);
  }
  case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK:
  case OP_DIVK: case OP_IDIVK: case OP_BANDK: case OP_BORK: case OP_BXORK:
  case OP_SHLK: case OP_SHRK:
  case OP_ADDKL: case OP_MULKL: /* constant on the left: + and * commute */
    return rec_arith_rk(R, pc, op, a, b, base + b, k + c);
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_MOD: case OP_POW:
  case OP_DIV: case OP_IDIV: case OP_BAND: case OP_BOR: case OP_BXOR:
  case OP_SHL: case OP_SHR:
    return rec_arith_rr(R, pc, op, a, b, c, base + b, base + c);
  case OP_UNM: {
    const TValue *vb = base + b;
    if (ttisinteger(vb) || ttisfloat(vb)) {
      guard_tag(R, pc, b, vb->tt);
      emit(R, ttisinteger(vb) ? UOP_UNM_I : UOP_UNM_F, a, SD(b), 0);
      know(R, a, vb->tt);
    } else {
      emit_exec(R, pc);
    }
    return true;
  }
  case OP_BNOT:
    if (ttisinteger(base + b)) {
      guard_tag(R, pc, b, TAG_INT);
      emit(R, UOP_BNOT_I, a, SD(b), 0);
      know(R, a, TAG_INT);
    } else {
      emit_exec(R, pc);
    }
    return true;
  case OP_NOT:
    emit(R, UOP_NOT, a, SD(b), 0);
    forget(R, a);
    return true;
  case OP_JMP: {
    const Instruction *dest = pc + 1 + GETARG_sJ(i);
    if (dest == R->head) {
      cpjit_uop *u = emit(R, UOP_JUMP, 0, 0, 0);
      u->target = 0;
      R->closed = true;
      return false;
    }
    if (dest < pc)
      return cross_back(R, dest);
    return true;
  }
  case OP_EQ:
    return rec_eq(R, pc, a, b, ra, base + b);
  case OP_LT: case OP_LE:
    return rec_order(R, pc, op, a, b, ra, base + b);
  case OP_EQK:
    return rec_eqk(R, pc, a, ra, k + b);
  case OP_EQI: case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI:
    return rec_order_imm(R, pc, op, a, ra, GETARG_sB(i));
  case OP_TEST:
    guard(R, pc, l_isfalse(ra) ? UOP_G_FALSY : UOP_G_TRUTHY, a, 0);
    return true;
  case OP_TESTSET: {
    const TValue *vb = base + b;
    bool f = l_isfalse(vb);
    guard(R, pc, f ? UOP_G_FALSY : UOP_G_TRUTHY, b, 0);
    if ((int)f != c) { /* the interpreter copies and jumps */
      emit(R, UOP_MOV, a, SD(b), 0);
      SLOTINFO(a) = SLOTINFO(b);
    }
    return true;
  }
  case OP_CALL:
    if (b != 0 && c != 0 && rec_builtin(R, pc, a, b - 1, c - 1))
      return true;
    if (b != 0 && c != 0 && !R->inl_ci && inline_call(R, pc, a, b - 1, c - 1))
      return true;
    if (b == 0 || c == 0)
      return stop_at(R, pc, b == 0 ? "variable number of arguments:"
                                   : "variable number of results:");
    emit_exec(R, pc);
    return true;
  case OP_TFORPREP:
    /* The to-be-closed variable, then the first call: the interpreter runs
     * TFORCALL straight from TFORPREP, without dispatching it. */
    emit_exec(R, pc);
    emit_exec(R, pc + 1 + GETARG_Bx(i));
    return true;
  case OP_TFORCALL:
    emit_exec(R, pc);
    return true;
  case OP_TFORLOOP: {
    const Instruction *dest = pc + 1 - GETARG_Bx(i);
    if (dest != R->head && ttisnil(ra + 4)) { /* the loop ends here */
      guard(R, pc, UOP_G_NIL, a + 4, 0);
      know(R, a + 4, TAG_NIL);
      return true;
    }
    if (dest != R->head && !cross_back(R, dest))
      return false;
    guard(R, pc, UOP_G_NOTNIL, a + 4, 0);
    emit(R, UOP_MOV, a + 2, SD(a + 4), 0);
    SLOTINFO(a + 2) = SLOTINFO(a + 4);
    if (dest != R->head)
      return true; /* on to the head; rec_arrive decides there */
    cpjit_uop *u = emit(R, UOP_JUMP, 0, 0, 0);
    u->target = 0;
    R->closed = true;
    return false;
  }
  case OP_FORLOOP: {
    const Instruction *dest = pc + 1 - GETARG_Bx(i);
    bool isint = ttisinteger(ra + 2);
    bool more;
    if (isint) {
      more = (uint64_t)ivalue(ra + 1) != 0;
    } else {
      double step = fltvalue(ra + 2), idx = fltvalue(ra) + step;
      more = step > 0 ? idx <= fltvalue(ra + 1) : fltvalue(ra + 1) <= idx;
    }
    if (dest == R->head) {
      /* Closes the loop even when this was its last iteration: the path
       * through the body was recorded. */
      cpjit_uop *u = emit(R, isint ? UOP_FORLOOP_I : UOP_FORLOOP_F, a, 0, 0);
      u->target = 0;
      u->exit = exit_for(R, pc);
      R->closed = true;
      return false;
    }
    guard_tag(R, pc, a + 2, isint ? TAG_INT : TAG_FLT); /* the loop's kind */
    if (!more) {
      guard(R, pc, isint ? UOP_FOREND_I : UOP_FOREND_F, a, 0);
      return true;
    }
    if (!cross_back(R, dest))
      return false;
    /* Step and go on to the head, the next uop; rec_arrive decides there. */
    cpjit_uop *u = emit(R, isint ? UOP_FORLOOP_I : UOP_FORLOOP_F, a, 0, 0);
    u->target = R->nuops;
    u->exit = exit_for(R, pc);
    know(R, a + 3, isint ? TAG_INT : TAG_FLT);
    return true;
  }
  case OP_FORPREP: {
    const TValue *init = ra, *limit = ra + 1, *step = ra + 2;
    bool ints = ttisinteger(init) && ttisinteger(limit) && ttisinteger(step);
    bool flts = ttisfloat(init) && ttisfloat(limit) && ttisfloat(step);
    if (!ints && !flts)
      return stop_at(R, pc, "mixed or non-number bounds:");
    bool skip;
    if (ints) {
      lua_Integer i0 = ivalue(init), i1 = ivalue(limit), st = ivalue(step);
      skip = st == 0 || (st > 0 ? i0 > i1 : i0 < i1);
    } else {
      lua_Number f0 = fltvalue(init), f1 = fltvalue(limit), st = fltvalue(step);
      skip = st == 0 || (st > 0 ? f1 < f0 : f0 < f1);
    }
    uint8_t tag = ints ? TAG_INT : TAG_FLT;
    for (int j = 0; j < 3; j++)
      guard_tag(R, pc, a + j, tag);
    if (skip) { /* the interpreter jumps past the loop: so does the trace */
      guard(R, pc, ints ? UOP_FORSKIP_I : UOP_FORSKIP_F, a, 0);
      return true;
    }
    cpjit_uop *u = emit(R, ints ? UOP_FORPREP_I : UOP_FORPREP_F, a, 0, 0);
    u->exit = exit_for(R, pc);
    know(R, a + 3, tag);
    if (ints)
      know(R, a + 1, TAG_INT);
    /* The interpreter skips the loop or raises an error: follow it only
     * through the loop's body. */
    return true;
  }
  case OP_RETURN: case OP_RETURN0: case OP_RETURN1:
    return stop_at(R, pc, "leaves the function:");
  default:
    return stop_at(R, pc, "NYI: bytecode");
  }
}

/* -- Optimization ---------------------------------------------------------------- */

/* Does uop `op` write the slot named by its arg? */
static bool writes_arg(int op) {
  switch (op) {
  case UOP_MOV: case UOP_K: case UOP_KNIL: case UOP_NOT:
  case UOP_GETI_A: case UOP_GETI_AK: case UOP_GETUPVAL: case UOP_GETFIELD_S:
  case UOP_GETTABUP_S: case UOP_HGET: case UOP_HGET_F: case UOP_GETI_AF:
  case UOP_GETI_AI: case UOP_GETI_AG: case UOP_GETI_AFG: case UOP_GETI_AIG:
    return true;
  default:
    return (op >= UOP_ADD_II && op <= UOP_MUL_AA) || /* arithmetic */
           (op >= UOP_SQRT_N && op <= UOP_MAX_FF);  /* builtins */
  }
}

/* Slots a closure of this function may write while the trace runs: those
 * captured from its registers by any nested function. */
static void captured_slots(const Proto *p, bool *w) {
  for (int i = 0; i < p->sizep; i++) {
    const Proto *np = p->p[i];
    for (int u = 0; u < np->sizeupvalues; u++)
      if (np->upvalues[u].instack)
        w[np->upvalues[u].idx] = true;
  }
}

/* Can guard u move to the loop's entry? Only when what it checks cannot
 * change inside the loop: its slots are never written, and for structural
 * guards (metatable, key position, array size, upvalue tables) nothing in
 * the loop can rehash a table, set a metatable or assign an upvalue. */
static bool hoistable(const cpjit_uop *u, const bool *w, bool mutates) {
  int a = u->arg / 16;
  switch (u->op) {
  case UOP_G_INT: case UOP_G_FLT: case UOP_G_NUM: case UOP_G_STR:
  case UOP_G_TAB: case UOP_G_FUNC: case UOP_G_TAG_EQ: case UOP_G_TAG_NE:
  case UOP_G_VAL:
    return !w[a];
  case UOP_G_NOMT: case UOP_G_HKEY: case UOP_G_ARRK:
    return !w[a] && !mutates;
  case UOP_G_ARR:
    return !w[a] && !w[u->operand[0] / 16] && !mutates;
  case UOP_G_UPT:
    return !mutates;
  default:
    return false;
  }
}

/* Mark the slots uop u may write. */
static void mark_writes(const cpjit_uop *u, bool *w) {
  int s = u->arg / 16;
  if (writes_arg(u->op))
    w[s] = true;
  if (u->op >= UOP_FORLOOP_I && u->op <= UOP_FORSKIP_F)
    w[s] = w[s + 1] = w[s + 2] = w[s + 3] = true;
  if (u->op == UOP_EXEC) {
    const Instruction *pc = (const Instruction *)(uintptr_t)u->operand[0];
    OpCode op = GET_OPCODE(*pc);
    int ea = GETARG_A(*pc);
    if (op == OP_CALL || op == OP_TFORCALL) {
      for (int k = ea; k < 256; k++)
        w[k] = true;
    } else {
      w[ea] = true;
    }
  }
}

/* A type guard on a slot the loop writes, but only after the guard, and
 * whose type the loop body itself guarantees at the back-edge (the
 * recorder knows the slot's tag there): after the first iteration it always
 * passes, so it checks the entry only. */
static bool type_stable(const Recorder *R, const cpjit_uop *u, const bool *wb) {
  int s = u->arg / 16;
  uint8_t tag;
  switch (u->op) {
  case UOP_G_INT: tag = TAG_INT; break;
  case UOP_G_FLT: tag = TAG_FLT; break;
  case UOP_G_TAB: tag = TAG_TABLE; break;
  case UOP_G_TAG_EQ: tag = (uint8_t)u->operand[1]; break;
  default: return false;
  }
  return !wb[s] && R->slot[s].known && R->slot[s].tag == tag;
}

/* Loop optimizations of a trace that loops back to its start.
 *
 * For-loop guard: a numeric for loop's own slots keep their types for the
 * whole loop: only FORPREP/FORLOOP write A..A+2, and FORLOOP gives A+3 the
 * loop's type before every iteration (the body may assign A+3 afterwards).
 * So one guard at the trace's entry on the loop's kind (the step's type:
 * the same code can run as an integer loop one time and a float loop
 * another) replaces every type guard on A..A+3 that comes before a write to
 * that slot.
 *
 * Guard hoisting: a guard on a slot the loop never writes (and, for guards
 * on table structure, in a loop that cannot change any table's structure)
 * checks the same thing on every iteration: it moves to the entry, exiting
 * to the head. Guards keep their order, so a hoisted guard still follows
 * the type guard it relies on (a slot's type is only known from guards on
 * it when the loop never writes it).
 *
 * The loop-back jumps land after the entry guards. */
void rec_optimize(Recorder *R) {
  if (R->nuops == 0 || R->nuops + 1 > JIT_MAX_UOPS)
    return;
  const cpjit_uop *last = &R->uops[R->nuops - 1];
  bool isfor = last->op == UOP_FORLOOP_I || last->op == UOP_FORLOOP_F;
  if ((!isfor && last->op != UOP_JUMP) || last->target != 0)
    return;
  uint16_t want = last->op == UOP_FORLOOP_I ? UOP_G_INT : UOP_G_FLT;
  int a = last->arg / 16;

  /* Slots written anywhere in the loop; can the loop change a table's
   * structure, a metatable or an upvalue? */
  static bool w[256 + 4], wb[256 + 4];
  memset(w, 0, sizeof w);
  memset(wb, 0, sizeof wb);
  bool mutates = false;
  for (uint32_t j = 0; j < R->nuops; j++) {
    mark_writes(&R->uops[j], w);
    mutates |= R->uops[j].op == UOP_SETFIELD_S ||
               R->uops[j].op == UOP_SETUPVAL || R->uops[j].op == UOP_EXEC;
  }
  if (mutates) {
    captured_slots(R->p, w);
    captured_slots(R->p, wb);
  }

  static uint16_t newidx[JIT_MAX_UOPS + 1]; /* old body index -> new */
  static cpjit_uop hoisted[JIT_MAX_UOPS];
  uint32_t nh = 0, out = 0;
  bool written[4] = {false, false, false, false};
  uint32_t head_exit = exit_for(R, R->head);
  if (isfor) { /* the entry guard on the loop's kind */
    memset(&hoisted[nh], 0, sizeof hoisted[nh]);
    hoisted[nh].op = want;
    hoisted[nh].arg = (uint16_t)(16 * (a + 2));
    hoisted[nh].exit = head_exit;
    nh++;
  }
  for (uint32_t j = 0; j < R->nuops; j++) {
    const cpjit_uop *u = &R->uops[j];
    int s = u->arg / 16 - a;
    bool mine = isfor && s >= 0 && s < 4;
    newidx[j] = (uint16_t)out; /* the next body uop's index, fixed below */
    if (u->op == want && mine && !written[s])
      continue;
    if (mine && writes_arg(u->op))
      written[s] = true;
    if (u->op == UOP_EXEC) /* may write any slot (e.g. call results) */
      written[0] = written[1] = written[2] = written[3] = true;
    if (!mine && (hoistable(u, w, mutates) || type_stable(R, u, wb))) {
      hoisted[nh] = *u;
      hoisted[nh].exit = head_exit;
      nh++;
      continue;
    }
    mark_writes(u, wb);
    R->uops[out++] = *u;
  }
  newidx[R->nuops] = (uint16_t)out;
  memmove(&R->uops[nh], &R->uops[0], out * sizeof *R->uops);
  memcpy(&R->uops[0], hoisted, nh * sizeof *hoisted);
  R->nuops = out + nh;
  for (uint32_t j = nh; j < R->nuops; j++) {
    cpjit_uop *u = &R->uops[j];
    if (u->op == UOP_JUMP || u->op == UOP_FORLOOP_I || u->op == UOP_FORLOOP_F)
      u->target = u->target == 0 ? nh : (uint32_t)newidx[u->target] + nh;
  }
}

/* Does uop `op` leave through its exit when it fails? */
bool uop_has_exit(int op) {
  return op < UOP_MOV || (op >= UOP_LT_II_T && op <= UOP_EQ_GC_F) ||
         (op >= UOP_FORLOOP_I && op <= UOP_FORSKIP_F) || op == UOP_EXIT ||
         op == UOP_G_STACK || op == UOP_G_PROTO || op == UOP_GETI_AF ||
         op == UOP_GETI_AI || op == UOP_HGET_F ||
         (op >= UOP_GETI_AG && op <= UOP_SETI_AG) || op == UOP_G_HKEY ||
         op == UOP_G_HKEYV || op == UOP_G_VAL ||
         op == UOP_G_UPT;
}
