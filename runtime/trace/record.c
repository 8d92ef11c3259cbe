/*
 * record.c -- the trace recorder: bytecode instructions, as the interpreter
 * is about to execute them, become typed SSA IR with guards (ir.h).
 *
 * The recorder follows the path the interpreter actually takes. For each
 * instruction it looks at the current values of the operands and emits
 * guards for what it relies on (a type, a branch direction, a table with no
 * metatable, an index inside the array part) followed by the specialized
 * operation. Every guard carries a snapshot that exits to the start of the
 * guard's instruction, so a failing guard hands the instruction, untouched,
 * to the interpreter.
 *
 * Slots: R->sref maps each frame slot to the IR value it holds (0: the
 * value is in memory only). Reading a slot not in the map emits SLOAD with
 * a type guard (none when the tag is already known); writing a slot only
 * updates the map and marks it dirty. Dirty slots are stored where memory
 * must be current: before a MEMOP that reads them, before EXEC (which runs
 * the instruction in the interpreter's slow path and may read or write any
 * slot), and at the end of the trace (ir_loop.c decides which values the
 * loop carries in registers instead). Guards' snapshots list the dirty
 * slots.
 *
 * Instructions without a fast path that are still safe to run mid-trace
 * (table access with metamethods, calls with fixed argument/result counts,
 * concatenation, allocation) become EXEC. Everything else ends the trace
 * with an exit or aborts the recording.
 */
#include <math.h>
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

/* Register r of the frame being recorded -> trace slot (an inlined
 * callee's registers sit at R->off) and its byte displacement. */
#define SL(r) ((r) + R->off)
#define SD(r) ((uint64_t)(16 * (uint64_t)SL(r)))
#define SLOTINFO(r) (R->slot[SL(r)])

static bool abortf(Recorder *R, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(R->why, sizeof R->why, fmt, ap);
  va_end(ap);
  return false;
}

static void know(Recorder *R, int a, uint8_t tag) {
  SLOTINFO(a).known = 1;
  SLOTINFO(a).tag = tag;
}

static void forget(Recorder *R, int a) { SLOTINFO(a).known = 0; }

static bool known_as(Recorder *R, int a, uint8_t tag) {
  return SLOTINFO(a).known && SLOTINFO(a).tag == tag;
}

/* The tag a value is recorded with: any nil variant is nil. */
static uint8_t vtag(const TValue *o) {
  return (o->tt & 0x0f) == LUA_TNIL ? TAG_NIL : o->tt;
}

static bool is_pri(uint8_t tag) {
  return tag == TAG_NIL || tag == TAG_FALSE || tag == TAG_TRUE;
}

static void touch(Recorder *R, int s) {
  if (s > R->maxslot)
    R->maxslot = s;
}

/* The frame being recorded: the innermost inlined call's, or the trace's. */
static CallInfo *cur_ci(const Recorder *R) {
  return R->ninl ? R->inl[R->ninl - 1].ci : R->ci;
}

/* Upvalue b of the function being recorded, as the upvalue uops take it:
 * the function sits right below the frame's first slot (lu_upcl). */
static uint64_t upk(const Recorder *R, int b) {
  return (uint64_t)b | (uint64_t)R->off << 16;
}

/* Keeps loads of upvalues of different inlined calls apart (CSE): the
 * same slot may hold another closure of the function each time. */
static uint64_t upframe(const Recorder *R) {
  return R->ninl ? (uint64_t)R->inl[R->ninl - 1].frame : 0;
}

/* The trace's code relies on function p (inlines it, runs in or returns
 * to its frame): p stays alive while the trace does (jit_markdeps), so
 * that its code, constants and guards on its address keep their meaning. */
static bool add_dep(Recorder *R, Proto *p) {
  if (p == R->p0)
    return true;
  for (int j = 0; j < R->ndeps; j++)
    if (R->deps[j] == p)
      return true;
  if (R->ndeps >= JIT_MAX_DEPS) {
    snprintf(R->why, sizeof R->why, "too many functions in one trace");
    return false;
  }
  R->deps[R->ndeps++] = p;
  return true;
}

/* -- Snapshots and exits ----------------------------------------------------- */

/* The snapshot for a guard exiting to pc: the dirty slots now. A guard right
 * after another one with the same pc and no slot change shares its
 * snapshot (and exit). */
static uint16_t snap(Recorder *R, const Instruction *pc, bool fresh) {
  IRBuf *B = &R->B;
  int frame = 0; /* the frames of inlined calls the exit makes real */
  if (R->ninl) {
    if (R->inl[R->ninl - 1].ci) { /* inside the callee */
      frame = R->inl[R->ninl - 1].frame;
    } else { /* a call about to be inlined: the interpreter makes it */
      pc = R->inl[R->ninl - 1].call;
      frame = R->ninl > 1 ? R->inl[R->ninl - 2].frame : 0;
    }
  }
  if (!fresh && B->nsnap && R->snap_gen == R->gen &&
      B->snap[B->nsnap - 1].pc == pc &&
      R->exit_frame[B->snap[B->nsnap - 1].exit] == frame &&
      R->exit_top[B->snap[B->nsnap - 1].exit] ==
          (R->mtop >= 0 && pc == R->mtop_pc ? R->mtop : -1))
    return (uint16_t)(B->nsnap - 1);
  if (B->nsnap >= IR_MAX_SNAP || R->nexits >= JIT_MAX_EXITS ||
      B->nsnapent + (uint32_t)R->maxslot + 1 > IR_MAX_SNAPENT) {
    B->overflow = true;
    return 0;
  }
  Snapshot *sn = &B->snap[B->nsnap];
  sn->pc = pc;
  sn->start = B->nsnapent;
  sn->ref = (IRRef)B->n;
  sn->loopvals = 0;
  for (int s = 0; s <= R->maxslot; s++)
    if (R->sdirty[s]) {
      B->snapent[B->nsnapent].slot = (uint16_t)s;
      B->snapent[B->nsnapent].ref = R->sref[s];
      B->nsnapent++;
    }
  sn->n = (uint16_t)(B->nsnapent - sn->start);
  sn->exit = (uint16_t)R->nexits;
  R->exit_frame[R->nexits] = (uint16_t)frame;
  R->exit_top[R->nexits] =
      (int16_t)(R->mtop >= 0 && pc == R->mtop_pc ? R->mtop : -1);
  R->exit_p[R->nexits] = R->p;
  R->exit_pc[R->nexits++] = pc;
  R->snap_gen = R->gen;
  return (uint16_t)B->nsnap++;
}

/* -- Emission ------------------------------------------------------------------ */

static IRIns mk(uint8_t op, uint8_t tag, IRRef a, IRRef b) {
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = op;
  in.tag = tag;
  in.a = a;
  in.b = b;
  in.snap = IR_NOSNAP;
  return in;
}

static IRRef emit(Recorder *R, IRIns in) { return ir_emit(&R->B, &in); }

static IRRef emit2(Recorder *R, uint8_t op, uint8_t tag, IRRef a, IRRef b) {
  return emit(R, mk(op, tag, a, b));
}

/* A guard exiting to pc. */
static IRRef guard_in(Recorder *R, const Instruction *pc, IRIns in) {
  in.snap = snap(R, pc, false);
  return emit(R, in);
}

static IRRef guard2(Recorder *R, const Instruction *pc, uint8_t op, IRRef a,
                    IRRef b) {
  return guard_in(R, pc, mk(op, 0, a, b));
}

/* Store slot s's value if memory does not hold it yet. */
static void flush_slot(Recorder *R, int s) {
  if (!R->sdirty[s])
    return;
  IRIns in = mk(IR_SSTORE, 0, R->sref[s], 0);
  in.s = (uint16_t)s;
  ir_raw(&R->B, &in);
  R->sdirty[s] = 0;
  R->gen++;
}

static void flush_all(Recorder *R) {
  for (int s = 0; s <= R->maxslot; s++)
    flush_slot(R, s);
}

/* A MEMOP reads slot s from memory. */
static void mem_read(Recorder *R, int s) {
  touch(R, s);
  flush_slot(R, s);
  if (!R->swritten[s])
    R->smemread[s] = 1;
}

/* A MEMOP wrote slot s. */
static void mem_write(Recorder *R, int s) {
  touch(R, s);
  R->sref[s] = 0;
  R->sdirty[s] = 0;
  if (!R->swritten[s])
    R->sfirstw[s] = (IRRef)R->B.n;
  R->swritten[s] = 1;
  R->smemw[s] = 1;
  R->gen++;
}

/* Read register r (observed value v) as a typed IR value. */
static IRRef get(Recorder *R, const Instruction *pc, int r, const TValue *v) {
  int s = SL(r);
  uint8_t tag = vtag(v);
  touch(R, s);
  IRRef ref = R->sref[s];
  if (ref) {
    if (R->B.ins[ref].tag != tag) { /* cannot happen on a consistent path */
      abortf(R, "slot %d changed type", s);
      return 0;
    }
    return ref;
  }
  if (s == R->for_a && !R->swritten[s] && !R->sfirst[s] && R->off == 0 &&
      !R->swritten[s + 3]) {
    /* the loop's internal index equals its control variable at the head:
     * one value for both */
    IRRef h = R->sfirst[s + 3];
    if (!h && !R->sref[s + 3])
      h = get(R, pc, r + 3, v);
    if (h && R->B.ins[h].tag == tag) {
      R->sref[s] = h;
      R->sfirst[s] = h;
      R->sdirty[s] = 0;
      know(R, r, tag);
      return h;
    }
  }
  bool known = known_as(R, r, tag);
  if (known && is_pri(tag)) {
    ref = ir_kpri(&R->B, tag);
  } else {
    IRIns in = mk(IR_SLOAD, tag, 0, 0);
    in.s = (uint16_t)s;
    if (known)
      in.mode = IRM_NOGUARD;
    else
      in.snap = snap(R, pc, false);
    ref = ir_raw(&R->B, &in);
    if (ref && !R->swritten[s] && !R->sfirst[s])
      R->sfirst[s] = ref;
    if (ref && is_pri(tag))
      ref = ir_kpri(&R->B, tag);
  }
  R->sref[s] = ref;
  R->sdirty[s] = 0;
  know(R, r, tag);
  return ref;
}

/* Register r now holds IR value ref. */
static void set(Recorder *R, int r, IRRef ref) {
  int s = SL(r);
  touch(R, s);
  if (!ref)
    return;
  if (R->sref[s] == ref)
    return;
  R->sref[s] = ref;
  R->sdirty[s] = 1;
  if (!R->swritten[s])
    R->sfirstw[s] = (IRRef)R->B.n;
  R->swritten[s] = 1;
  R->gen++;
  know(R, r, R->B.ins[ref].tag);
}

/* A slot-level uop (lua_uop_list.h) on memory: its operands are raw
 * (slots as byte displacements). Reads rd[0..nrd) (flushed first), writes
 * registers w .. w+nw-1. A guard when pc != NULL. */
static void memop(Recorder *R, const Instruction *pc, int uop, int a,
                  uint64_t op0, uint64_t op1, const int *rd, int nrd, int w,
                  int nw) {
  for (int j = 0; j < nrd; j++)
    mem_read(R, SL(rd[j]));
  IRIns in = mk(IR_MEMOP, 0, 0, 0);
  in.k2 = (uint32_t)uop;
  in.s = (uint16_t)SL(a);
  in.k = op0;
  in.k3 = op1;
  in.snap = pc ? snap(R, pc, false) : IR_NOSNAP;
  ir_raw(&R->B, &in);
  for (int j = 0; j < nw; j++) {
    mem_write(R, SL(w + j));
    forget(R, w + j);
  }
}

static void memop_barrier(Recorder *R) { ir_barrier_all(&R->B); }

/* The interpreter's slow path for the instruction at pc. */
static void emit_exec(Recorder *R, const Instruction *pc) {
  flush_all(R);
  for (int s = 0; s <= R->maxslot; s++)
    if (!R->swritten[s])
      R->smemread[s] = 1;
  IRIns in = mk(IR_MEMOP, 0, 0, 0);
  in.k2 = UOP_EXEC;
  in.k = (uint64_t)(uintptr_t)pc;
  if (R->ninl) { /* its frames made real around it; op1: which (trace.c) */
    in.k2 = UOP_EXEC_F;
    in.k3 = (uint64_t)R->inl[R->ninl - 1].frame;
  }
  ir_raw(&R->B, &in);
  memop_barrier(R);
  /* everything may have changed: every slot is in memory, of any type */
  for (int s = 0; s < IR_MAX_SLOTS; s++) {
    R->sref[s] = 0;
    R->sdirty[s] = 0;
  }
  memset(R->slot, 0, sizeof R->slot);
  R->gen++;
  R->has_exec = true;
  jstats_exec(R, pc);
  /* A call from trace code starts a new interpreter activation: it weighs
   * more than a call the interpreter makes in place. */
  OpCode op = GET_OPCODE(*pc);
  if (op == OP_CALL) { /* a recursive function runs long, mostly traced */
    const TValue *f = cur_ci(R)->func + 1 + GETARG_A(*pc);
    const ProtoJit *fpj = ttisLclosure(f) ? clLvalue(f)->p->jitdata : NULL;
    if (fpj && fpj->recursive && fpj->trace[0])
      R->callee_max = JIT_MAX_CALLEE_INSNS_REC;
  }
  R->nexec += op == OP_CALL || op == OP_TFORCALL ? 2 : 1;
  if (R->ninl) /* its frames are made and dropped around it */
    R->nexec++;
}

/* -- Helpers on observed values --------------------------------------------- */

static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static bool isnum(const TValue *o) { return ttisinteger(o) || ttisfloat(o); }

/* Lua tables without a metatable: raw access is the whole semantics. */
static bool plain_table(const TValue *o) {
  return ttistable(o) && hvalue(o)->metatable == NULL;
}

static const char *tname(const TValue *o) {
  static const char *const names[] = {"nil", "boolean", "userdata", "number",
                                      "string", "table", "function",
                                      "userdata", "thread"};
  int t = ttype(o);
  return t < 9 ? names[t] : "?";
}

/* The table in register r, guarded to have no metatable. */
static IRRef get_plain(Recorder *R, const Instruction *pc, int r,
                       const TValue *v) {
  IRRef t = get(R, pc, r, v);
  guard2(R, pc, IR_GNOMT, t, 0);
  return t;
}

/* A float operand: integers are converted. */
static IRRef tonum(Recorder *R, IRRef x) {
  if (R->B.ins[x].tag == TAG_FLT)
    return x;
  return emit2(R, IR_CONV, TAG_FLT, x, 0);
}

/* A constant from the prototype's constants as an IR value. */
static IRRef kvalue(Recorder *R, const TValue *k) {
  IRBuf *B = &R->B;
  if (ttisinteger(k))
    return ir_kint(B, ivalue(k));
  if (ttisfloat(k))
    return ir_knum(B, fltvalue(k));
  if (is_pri(vtag(k)))
    return ir_kpri(B, vtag(k));
  return ir_kgc(B, (const void *)k->v.gc, k->tt);
}

/* -- Arithmetic -------------------------------------------------------------- */

static int arith_op(OpCode op, bool *float_result, bool *int_only) {
  *float_result = *int_only = false;
  switch (op) {
  case OP_ADD: case OP_ADDK: case OP_ADDI: case OP_ADDKL: return IR_ADD;
  case OP_SUB: case OP_SUBK: return IR_SUB;
  case OP_MUL: case OP_MULK: case OP_MULKL: return IR_MUL;
  case OP_MOD: case OP_MODK: return IR_MOD;
  case OP_IDIV: case OP_IDIVK: return IR_IDIV;
  case OP_DIV: case OP_DIVK: *float_result = true; return IR_DIV;
  case OP_POW: case OP_POWK: *float_result = true; return IR_POW;
  case OP_BAND: case OP_BANDK: *int_only = true; return IR_BAND;
  case OP_BOR: case OP_BORK: *int_only = true; return IR_BOR;
  case OP_BXOR: case OP_BXORK: *int_only = true; return IR_BXOR;
  case OP_SHL: case OP_SHLK: *int_only = true; return IR_SHL;
  case OP_SHR: case OP_SHRK: *int_only = true; return IR_SHR;
  default: return -1;
  }
}

/* R[A] = x op y, where vb/vc are the observed operands; c < 0 means the
 * second operand is the constant kc. */
static bool rec_arith(Recorder *R, const Instruction *pc, OpCode op, int a,
                      int b, int c, const TValue *vb, const TValue *vc) {
  bool fres, ionly;
  int iop = arith_op(op, &fres, &ionly);
  if (iop < 0)
    return abortf(R, "arithmetic %s", op_name(op));
  if (ttisinteger(vb) && ttisinteger(vc) && !fres) {
    if ((iop == IR_IDIV || iop == IR_MOD) && c < 0 && ivalue(vc) == 0) {
      emit_exec(R, pc); /* the interpreter raises the error */
      return true;
    }
    IRRef x = get(R, pc, b, vb);
    IRRef y = c >= 0 ? get(R, pc, c, vc) : ir_kint(&R->B, ivalue(vc));
    if ((iop == IR_IDIV || iop == IR_MOD) && !ir_isk(&R->B, y))
      guard2(R, pc, IR_NE, y, ir_kint(&R->B, 0));
    set(R, a, emit2(R, (uint8_t)iop, TAG_INT, x, y));
    return true;
  }
  if (isnum(vb) && isnum(vc) && !ionly) {
    IRRef x = get(R, pc, b, vb);
    IRRef y = c >= 0 ? get(R, pc, c, vc) : kvalue(R, vc);
    set(R, a, emit2(R, (uint8_t)iop, TAG_FLT, tonum(R, x), tonum(R, y)));
    return true;
  }
  emit_exec(R, pc); /* strings, metamethods, float operands of bitwise ops */
  return true;
}

/* -- Comparisons --------------------------------------------------------------- */

/* Guard (x op y) when cond holds, its negation otherwise. For floats the
 * negation of < is >= etc., which NaN fails: it then exits, and the
 * interpreter decides -- the guard is sufficient, never wrong. */
static void guard_cmp(Recorder *R, const Instruction *pc, uint8_t op, bool cond,
                      IRRef x, IRRef y) {
  static const uint8_t neg[] = {[IR_LT] = IR_GE, [IR_LE] = IR_GT,
                                [IR_GT] = IR_LE, [IR_GE] = IR_LT,
                                [IR_EQ] = IR_NE, [IR_NE] = IR_EQ};
  guard2(R, pc, cond ? op : neg[op], x, y);
}

/* An integer and a float compared (x op y, one of each): the integer as a
 * float is exact within +-2^53, which guards keep; the comparison is then
 * the float one. False (nothing emitted) for an integer outside. */
#define EXACT_INT_FLT (INT64_C(1) << 53)
static bool mixed_cmp(Recorder *R, const Instruction *pc, uint8_t op,
                      int a, int b, const TValue *va, const TValue *vb) {
  const TValue *vi = ttisinteger(va) ? va : vb;
  int ri = ttisinteger(va) ? a : b;
  lua_Integer i = ivalue(vi);
  if (i < -EXACT_INT_FLT || i > EXACT_INT_FLT)
    return false;
  IRRef x = get(R, pc, a, va), y = get(R, pc, b, vb);
  IRRef xi = ri == a ? x : y;
  guard2(R, pc, IR_GE, xi, ir_kint(&R->B, -EXACT_INT_FLT));
  guard2(R, pc, IR_LE, xi, ir_kint(&R->B, EXACT_INT_FLT));
  double fa = ttisinteger(va) ? (double)ivalue(va) : fltvalue(va);
  double fb = ttisinteger(vb) ? (double)ivalue(vb) : fltvalue(vb);
  bool cond = op == IR_LT ? fa < fb : op == IR_LE ? fa <= fb : fa == fb;
  guard_cmp(R, pc, op, cond, tonum(R, x), tonum(R, y));
  return true;
}

static bool rec_order(Recorder *R, const Instruction *pc, OpCode op, int a,
                      int b, const TValue *va, const TValue *vb) {
  bool lt = op == OP_LT;
  if (isnum(va) && isnum(vb) && ttisinteger(va) != ttisinteger(vb) &&
      mixed_cmp(R, pc, lt ? IR_LT : IR_LE, a, b, va, vb))
    return true;
  if ((ttisinteger(va) && ttisinteger(vb)) || (ttisfloat(va) && ttisfloat(vb))) {
    bool cond = ttisinteger(va)
                    ? (lt ? ivalue(va) < ivalue(vb) : ivalue(va) <= ivalue(vb))
                    : (lt ? fltvalue(va) < fltvalue(vb)
                          : fltvalue(va) <= fltvalue(vb));
    IRRef x = get(R, pc, a, va), y = get(R, pc, b, vb);
    guard_cmp(R, pc, lt ? IR_LT : IR_LE, cond, x, y);
    return true;
  }
  if (recl_order(R, pc, lt, a, b, va, vb))
    return true;
  return abortf(R, "comparison of %s with %s", ttypename(ttype(va)),
                ttypename(ttype(vb)));
}

/* R[A] op immediate, for LTI LEI GTI GEI EQI. */
static bool rec_order_imm(Recorder *R, const Instruction *pc, OpCode op, int a,
                          const TValue *va, int im) {
  uint8_t iop;
  switch (op) {
  case OP_LTI: iop = IR_LT; break;
  case OP_LEI: iop = IR_LE; break;
  case OP_GTI: iop = IR_GT; break;
  case OP_GEI: iop = IR_GE; break;
  default: iop = IR_EQ; break;
  }
  if (isnum(va)) {
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
    IRRef r = get(R, pc, a, va);
    IRRef k = isint ? ir_kint(&R->B, im) : ir_knum(&R->B, (double)im);
    guard_cmp(R, pc, iop, cond, r, k);
    return true;
  }
  if (op == OP_EQI) { /* never equal: keep the type as seen */
    get(R, pc, a, va);
    return true;
  }
  return abortf(R, "order comparison of a %s value", tname(va));
}

static bool rec_eq_tables(Recorder *R, const Instruction *pc, int a, int b,
                          const TValue *va, const TValue *vb);

static bool rec_eq(Recorder *R, const Instruction *pc, int a, int b,
                   const TValue *va, const TValue *vb) {
  if ((ttisinteger(va) && ttisinteger(vb)) || (ttisfloat(va) && ttisfloat(vb))) {
    bool cond = ttisinteger(va) ? ivalue(va) == ivalue(vb)
                                : fltvalue(va) == fltvalue(vb);
    IRRef x = get(R, pc, a, va), y = get(R, pc, b, vb);
    guard_cmp(R, pc, IR_EQ, cond, x, y);
    return true;
  }
  if (isnum(va) && isnum(vb)) {
    if (mixed_cmp(R, pc, IR_EQ, a, b, va, vb))
      return true;
    return abortf(R, "equality of an integer and a float");
  }
  if (ttype(va) != ttype(vb) || ttisnil(va) || ttisboolean(va)) {
    /* decided by the types, which the loads guard */
    get(R, pc, a, va);
    get(R, pc, b, vb);
    return true;
  }
  if ((ttisshrstring(va) && ttisshrstring(vb)) ||
      (plain_table(va) && plain_table(vb))) {
    IRRef x, y;
    if (ttistable(va)) {
      x = get_plain(R, pc, a, va);
      y = get_plain(R, pc, b, vb);
    } else {
      x = get(R, pc, a, va);
      y = get(R, pc, b, vb);
    }
    guard_cmp(R, pc, IR_EQ, gcvalue(va) == gcvalue(vb), x, y);
    return true;
  }
  if (ttistable(va) && ttistable(vb) && rec_eq_tables(R, pc, a, b, va, vb))
    return true;
  if (R->why[0])
    return false;
  if (recl_eq(R, pc, a, b, va, vb))
    return true;
  return abortf(R, "equality of %s values", tname(va));
}

/* R[A] == K[B] */
static bool rec_eqk(Recorder *R, const Instruction *pc, int a,
                    const TValue *va, const TValue *kb) {
  if (ttisinteger(kb) && isnum(va) && (ttisinteger(va) || fits32(ivalue(kb)))) {
    bool isint = ttisinteger(va);
    bool cond = isint ? ivalue(va) == ivalue(kb)
                      : fltvalue(va) == (double)ivalue(kb);
    IRRef x = get(R, pc, a, va);
    IRRef k = isint ? ir_kint(&R->B, ivalue(kb))
                    : ir_knum(&R->B, (double)ivalue(kb));
    guard_cmp(R, pc, IR_EQ, cond, x, k);
    return true;
  }
  if (ttisfloat(kb) && ttisfloat(va)) {
    IRRef x = get(R, pc, a, va);
    guard_cmp(R, pc, IR_EQ, fltvalue(va) == fltvalue(kb), x, kvalue(R, kb));
    return true;
  }
  if (ttisshrstring(kb)) { /* interned: equal iff the same object */
    IRRef x = get(R, pc, a, va);
    if (ttisshrstring(va))
      guard_cmp(R, pc, IR_EQ, tsvalue(va) == tsvalue(kb), x, kvalue(R, kb));
    return true;
  }
  if (ttisnil(kb) || ttisboolean(kb) || ttype(va) != ttype(kb)) {
    get(R, pc, a, va); /* decided by the type */
    return true;
  }
  if (recl_eqk(R, pc, a, va, kb))
    return true;
  return abortf(R, "equality with a %s constant", tname(kb));
}

/* -- Tables -------------------------------------------------------------------- */

/* Set register a to a typed load (its guard checks the tag seen now). */
static void set_load(Recorder *R, int a, IRRef ld) {
  if (!ld)
    return;
  uint8_t tag = R->B.ins[ld].tag;
  set(R, a, is_pri(tag) ? ir_kpri(&R->B, tag) : ld);
}

/* The array element t[i] (1-based), bounds and type guarded. */
static IRRef aload(Recorder *R, const Instruction *pc, IRRef t, IRRef i,
                   const TValue *e) {
  guard2(R, pc, IR_GARR, t, i);
  return guard_in(R, pc, mk(IR_ALOAD, vtag(e), t, i));
}

/* R[A] = R[B][R[C]] or R[B][c] (c < 0: constant index ci) */
static void rec_gettable(Recorder *R, const Instruction *pc, int a, int b,
                         int c, const TValue *vb, const TValue *vc) {
  if (plain_table(vb) && ttisinteger(vc) &&
      (uint64_t)ivalue(vc) - 1 < hvalue(vb)->asize) {
    IRRef t = get_plain(R, pc, b, vb);
    IRRef i = c >= 0 ? get(R, pc, c, vc) : ir_kint(&R->B, ivalue(vc));
    const TValue *e = &hvalue(vb)->array[ivalue(vc) - 1];
    set_load(R, a, aload(R, pc, t, i, e));
    return;
  }
  if (plain_table(vb) && ttisinteger(vc)) {
    /* outside the array part (`t[n + 1]`, a leaf's absent child): a raw
     * lookup of any part through a helper, its result of any type */
    get_plain(R, pc, b, vb);
    if (c >= 0) {
      get(R, pc, c, vc);
      const int rd[] = {b, c};
      memop(R, NULL, UOP_GETTAB_TI, a, SD(b), SD(c), rd, 2, a, 1);
    } else {
      const int rd[] = {b};
      memop(R, NULL, UOP_GETI_T, a, SD(b), (uint64_t)ivalue(vc), rd, 1, a, 1);
    }
    return;
  }
  if (plain_table(vb) && c >= 0) {
    /* any other key (a string in a variable, a float, a table): a raw
     * lookup through a helper, guarded by the key's type */
    get_plain(R, pc, b, vb);
    get(R, pc, c, vc);
    const int rd[] = {b, c};
    memop(R, NULL, UOP_GETTAB_TV, a, SD(b), SD(c), rd, 2, a, 1);
    return;
  }
  emit_exec(R, pc);
}

/* R[A][R[B] or b] = R[C] */
static void rec_settable(Recorder *R, const Instruction *pc, int a, int b,
                         int c, const TValue *va, const TValue *vb,
                         const TValue *vc) {
  if (plain_table(va) && ttisinteger(vb) &&
      (uint64_t)ivalue(vb) - 1 < hvalue(va)->asize) {
    IRRef t = get_plain(R, pc, a, va);
    IRRef i = b >= 0 ? get(R, pc, b, vb) : ir_kint(&R->B, ivalue(vb));
    IRRef v = get(R, pc, c, vc);
    guard2(R, pc, IR_GARR, t, i);
    IRIns in = mk(IR_ASTORE, 0, t, i);
    in.c = v;
    emit(R, in);
    return;
  }
  if (plain_table(va) && b >= 0 && ttisshrstring(vb)) {
    /* a string key in a variable: a raw set, which may insert it */
    get_plain(R, pc, a, va);
    get(R, pc, b, vb);
    get(R, pc, c, vc);
    const int rd[] = {a, b, c};
    memop(R, NULL, UOP_SETTAB_TS, a, SD(b), SD(c), rd, 3, 0, 0);
    memop_barrier(R);
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

/* Guard that node n of table t holds key (and, with IRM_HKEYV, a value that
 * is not nil). */
static void guard_hkey(Recorder *R, const Instruction *pc, IRRef t, int64_t n,
                       const TString *key, uint8_t mode) {
  IRIns in = mk(IR_GHKEY, 0, t, 0);
  in.k = (uint64_t)n;
  in.k3 = (uint64_t)(uintptr_t)key;
  in.mode = mode;
  guard_in(R, pc, in);
}

static IRRef hload(Recorder *R, const Instruction *pc, IRRef t, int64_t n,
                   const TValue *v) {
  IRIns in = mk(IR_HLOAD, vtag(v), t, 0);
  in.k = (uint64_t)n;
  return guard_in(R, pc, in);
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

/* Guards that t[key] is nil, raw (absent, or a nil value). */
static void guard_hnil(Recorder *R, const Instruction *pc, IRRef t,
                       const TString *key) {
  IRIns in = mk(IR_GHNIL, 0, t, 0);
  in.k = key->hash;
  in.k3 = (uint64_t)(uintptr_t)key;
  guard_in(R, pc, in);
}

/* The metatable of table tr (observed: t->metatable, not NULL), loaded:
 * guarded to exist, not to be that table (objects of one class may each
 * have their own metatable of the same shape). */
static IRRef meta_of(Recorder *R, const Instruction *pc, IRRef tr) {
  return guard_in(R, pc, mk(IR_TMETA, TAG_TABLE, tr, 0));
}

/* Field `name` (__index, __newindex) of metatable mt, loaded from mtr:
 * NULL when it is nil (guarded), else its value, its node guarded to hold
 * the key; *vref is its IR value. */
/* Equality of two tables, at least one with a metatable: the same table
 * is equal without metamethods (a guard on identity); two tables are not
 * when neither metatable has __eq (guards on where the key is not). */
static bool rec_eq_tables(Recorder *R, const Instruction *pc, int a, int b,
                          const TValue *va, const TValue *vb) {
  TString *name = G(R->L)->tmname[TM_EQ];
  bool same = hvalue(va) == hvalue(vb);
  const TValue *v[2] = {va, vb};
  if (!same)
    for (int j = 0; j < 2; j++) {
      Table *mt = hvalue(v[j])->metatable;
      int64_t n = mt ? node_of(mt, name) : -1;
      if (n >= 0 && !ttisnil(gval(&mt->node[n])))
        return false; /* __eq runs: not recorded */
    }
  IRRef x = get(R, pc, a, va), y = get(R, pc, b, vb);
  if (!same)
    for (int j = 0; j < 2; j++) {
      IRRef r = j ? y : x;
      if (hvalue(v[j])->metatable)
        guard_hnil(R, pc, meta_of(R, pc, r), name);
      else
        guard2(R, pc, IR_GNOMT, r, 0);
    }
  if (R->why[0])
    return false;
  guard_cmp(R, pc, IR_EQ, same, x, y);
  return true;
}

static const TValue *meta_field(Recorder *R, const Instruction *pc, IRRef mtr,
                                Table *mt, TString *name, IRRef *vref) {
  int64_t n = node_of(mt, name);
  if (n < 0 || n > INT32_MAX || ttisnil(gval(&mt->node[n]))) {
    guard_hnil(R, pc, mtr, name);
    return NULL;
  }
  guard_hkey(R, pc, mtr, n, name, IRM_HKEYV);
  const TValue *v = gval(&mt->node[n]);
  *vref = hload(R, pc, mtr, n, v);
  return v;
}

/* t[key] for a table t with a metatable and a short-string key: where the
 * key is absent, __index tables are followed (a class, its superclasses),
 * each step guarded by where keys are (the node holding the key or its
 * absence, the metatable's __index node), not by which tables these are.
 * Returns the value's IR (nil when the chain ends without it), or 0 when
 * an __index function or a long chain is in the way (the caller runs the
 * instruction through EXEC). */
static IRRef index_chain(Recorder *R, const Instruction *pc, IRRef tr,
                         Table *t, TString *key) {
  TString *ixname = G(R->L)->tmname[TM_INDEX];
  for (int depth = 0; depth < 8; depth++) {
    int64_t n = node_of(t, key);
    if (n >= 0 && n <= INT32_MAX && !ttisnil(gval(&t->node[n]))) {
      guard_hkey(R, pc, tr, n, key, IRM_HKEYV);
      return hload(R, pc, tr, n, gval(&t->node[n]));
    }
    if (n > INT32_MAX)
      return 0;
    guard_hnil(R, pc, tr, key);
    Table *mt = t->metatable;
    if (!mt) {
      guard2(R, pc, IR_GNOMT, tr, 0);
      return ir_kpri(&R->B, TAG_NIL);
    }
    IRRef ixref = 0;
    const TValue *ix = meta_field(R, pc, meta_of(R, pc, tr), mt, ixname, &ixref);
    if (!ix)
      return ir_kpri(&R->B, TAG_NIL);
    if (!ttistable(ix) || R->why[0])
      return 0; /* an __index function: a call */
    t = hvalue(ix);
    tr = ixref;
  }
  return 0;
}

static void rec_getfield(Recorder *R, const Instruction *pc, int a, int b,
                         const TValue *vb, const TValue *key) {
  int64_t n;
  if (plain_table(vb) && ttisshrstring(key)) {
    n = node_of(hvalue(vb), tsvalue(key));
    if (n >= 0 && n <= INT32_MAX) {
      IRRef t = get_plain(R, pc, b, vb);
      guard_hkey(R, pc, t, n, tsvalue(key), 0);
      set_load(R, a, hload(R, pc, t, n, gval(&hvalue(vb)->node[n])));
    } else { /* absent: the helper looks each time */
      get_plain(R, pc, b, vb);
      const int rd[] = {b};
      memop(R, NULL, UOP_GETFIELD_S, a, SD(b), (uint64_t)(uintptr_t)tsvalue(key),
            rd, 1, a, 1);
    }
  } else if ((n = present_node(vb, key)) >= 0) {
    IRRef t = get(R, pc, b, vb);
    guard_hkey(R, pc, t, n, tsvalue(key), IRM_HKEYV);
    set_load(R, a, hload(R, pc, t, n, gval(&hvalue(vb)->node[n])));
  } else {
    IRRef v = 0;
    if (ttistable(vb) && ttisshrstring(key))
      v = index_chain(R, pc, get(R, pc, b, vb), hvalue(vb), tsvalue(key));
    if (v && !R->why[0])
      set_load(R, a, v);
    else
      emit_exec(R, pc);
  }
}

/* obj:name(...): the object to A+1, the method to A. */
static void rec_self(Recorder *R, const Instruction *pc, int a, int b,
                     const TValue *vb, const TValue *key) {
  if (!ttistable(vb) || !ttisshrstring(key)) {
    emit_exec(R, pc);
    return;
  }
  IRRef t = get(R, pc, b, vb), v;
  int64_t n;
  if (plain_table(vb) && (n = node_of(hvalue(vb), tsvalue(key))) >= 0 &&
      n <= INT32_MAX) {
    guard_hkey(R, pc, t, n, tsvalue(key), 0);
    v = hload(R, pc, t, n, gval(&hvalue(vb)->node[n]));
  } else {
    v = index_chain(R, pc, t, hvalue(vb), tsvalue(key));
  }
  if (!v || R->why[0]) {
    emit_exec(R, pc);
    return;
  }
  set(R, a + 1, t);
  set_load(R, a, v);
}

/* Table va has a metatable without __newindex: guards both. False
 * (nothing guarded) otherwise. */
static bool no_newindex(Recorder *R, const Instruction *pc, int a,
                        const TValue *va) {
  Table *mt = hvalue(va)->metatable;
  TString *name = G(R->L)->tmname[TM_NEWINDEX];
  int64_t n = node_of(mt, name);
  if (n >= 0 && !ttisnil(gval(&mt->node[n])))
    return false;
  guard_hnil(R, pc, meta_of(R, pc, get(R, pc, a, va)), name);
  return true;
}

static void rec_setfield(Recorder *R, const Instruction *pc, int a,
                         const TValue *va, const TValue *key, int c,
                         const TValue *vc) {
  int64_t n;
  if (!plain_table(va) && (n = present_node(va, key)) >= 0) {
    IRRef t = get(R, pc, a, va);
    guard_hkey(R, pc, t, n, tsvalue(key), IRM_HKEYV);
    IRIns in = mk(IR_HSTORE, 0, t, get(R, pc, c, vc));
    in.k = (uint64_t)n;
    emit(R, in);
  } else if (ttistable(va) && ttisshrstring(key) &&
             (plain_table(va) || no_newindex(R, pc, a, va))) {
    /* a plain table, or one whose metatable has no __newindex (guarded):
     * a raw set */
    IRRef t = plain_table(va) ? get_plain(R, pc, a, va) : get(R, pc, a, va);
    n = node_of(hvalue(va), tsvalue(key));
    if (n >= 0 && n <= INT32_MAX) { /* the key is there: store in place */
      guard_hkey(R, pc, t, n, tsvalue(key), 0);
      IRIns in = mk(IR_HSTORE, 0, t, get(R, pc, c, vc));
      in.k = (uint64_t)n;
      emit(R, in);
    } else { /* an insertion may resize the table */
      const int rd[] = {a, c};
      memop(R, NULL, UOP_SETFIELD_S, a, (uint64_t)(uintptr_t)tsvalue(key),
            SD(c), rd, 2, 0, 0);
      memop_barrier(R);
    }
  } else {
    emit_exec(R, pc);
  }
}

/* A call to a known library function with fixed arguments and results:
 * guard the function's identity and the arguments' types, then compute
 * the result. Returns false when the call is not one of those. */
/* `setmetatable(t, mt)` (a constructor's `return setmetatable({...}, C)`)
 * for a table t without a metatable and mt a table or nil, guarded by the
 * function's identity and the types; t is the result. SETMT exits to the
 * call when t has a metatable after all (it may be protected). */
static bool rec_setmt(Recorder *R, const Instruction *pc, int a, int nargs,
                      int nres) {
  const TValue *base = cur_ci(R)->func + 1;
  const TValue *f = base + a, *x = base + a + 1, *y = base + a + 2;
  if (nargs != 2 || !ttistable(x) || hvalue(x)->metatable ||
      !(ttisnil(y) || ttistable(y)))
    return false;
  IRRef fr = get(R, pc, a, f);
  guard2(R, pc, IR_EQ, fr, ir_kgc(&R->B, (const void *)(uintptr_t)fvalue(f), TAG_LCF));
  IRRef xr = get(R, pc, a + 1, x);
  get(R, pc, a + 2, y);
  if (R->why[0])
    return false;
  const int rd[] = {a + 1, a + 2};
  memop(R, pc, UOP_SETMT, a + 1, SD(a + 2), 0, rd, 2, 0, 0);
  memop_barrier(R); /* the table's metatable changed */
  set(R, a, xr);
  for (int j = 1; j < nres; j++) /* missing results are nil */
    set(R, a + j, ir_kpri(&R->B, TAG_NIL));
  return true;
}

static bool rec_builtin(Recorder *R, const Instruction *pc, int a, int nargs,
                        int nres) {
  const TValue *base = cur_ci(R)->func + 1;
  const TValue *f = base + a, *x = base + a + 1, *y = base + a + 2;
  if (ttislcf(f) && nres >= 0 && jit_is_setmetatable(fvalue(f)))
    return rec_setmt(R, pc, a, nargs, nres);
  if (!ttislcf(f) || nres < 0 || nargs < 1 || nargs > 2)
    return false;
  JitBuiltin bi = jit_math_builtin(fvalue(f));
  int want = bi == JIT_BI_MIN || bi == JIT_BI_MAX ? 2 : 1;
  if (bi == JIT_BI_NONE || nargs != want || !isnum(x) ||
      (want == 2 && x->tt != y->tt))
    return false;
  bool isint = ttisinteger(x);
  if ((bi == JIT_BI_FLOOR || bi == JIT_BI_CEIL) && !isint) {
    double d = bi == JIT_BI_FLOOR ? floor(fltvalue(x)) : ceil(fltvalue(x));
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
      return false; /* a float result: left to EXEC */
  }
  IRRef fr = get(R, pc, a, f);
  guard2(R, pc, IR_EQ, fr, ir_kgc(&R->B, (const void *)(uintptr_t)fvalue(f), TAG_LCF));
  IRRef xr = get(R, pc, a + 1, x), res;
  switch (bi) {
  case JIT_BI_SQRT: case JIT_BI_SIN: case JIT_BI_COS: case JIT_BI_EXP:
  case JIT_BI_LOG: {
    IRIns in = mk(IR_FPMATH, TAG_FLT, tonum(R, xr), 0);
    in.k = bi == JIT_BI_SQRT ? IRFP_SQRT : bi == JIT_BI_SIN ? IRFP_SIN
         : bi == JIT_BI_COS ? IRFP_COS : bi == JIT_BI_EXP ? IRFP_EXP : IRFP_LOG;
    res = emit(R, in);
    break;
  }
  case JIT_BI_ABS:
    res = emit2(R, IR_ABS, x->tt, xr, 0);
    break;
  case JIT_BI_FLOOR: case JIT_BI_CEIL:
    if (isint) {
      res = xr;
    } else {
      IRIns in = mk(IR_FPMATH, TAG_FLT, xr, 0);
      in.k = bi == JIT_BI_FLOOR ? IRFP_FLOOR : IRFP_CEIL;
      IRRef d = emit(R, in);
      res = guard_in(R, pc, mk(IR_TOINT, TAG_INT, d, 0));
    }
    break;
  case JIT_BI_MIN: case JIT_BI_MAX:
    res = emit2(R, bi == JIT_BI_MIN ? IR_MIN : IR_MAX, x->tt, xr,
                get(R, pc, a + 2, y));
    break;
  default:
    return false;
  }
  set(R, a, res);
  for (int j = 1; j < nres; j++) /* missing results are nil */
    set(R, a + j, ir_kpri(&R->B, TAG_NIL));
  return true;
}

/* `select('#', ...)` and `select(n, ...)` with nargs arguments (known,
 * also when they go up to a variable top): the count, or the arguments
 * from n on, guarded by the function's identity and n's value. */
static bool rec_select(Recorder *R, const Instruction *pc, int a, int nargs,
                       int nres) {
  const TValue *base = cur_ci(R)->func + 1;
  const TValue *f = base + a, *n = base + a + 1;
  if (!ttislcf(f) || !jit_is_select(fvalue(f)) || nargs < 1 || nargs > 250)
    return false;
  int nv = nargs - 1, from;
  bool count = ttisshrstring(n) && tsvalue(n)->len == 1 &&
               getstr(tsvalue(n))[0] == '#';
  if (count) {
    from = 0;
  } else if (ttisinteger(n) && ivalue(n) >= -nv && ivalue(n) != 0 &&
             fits32(ivalue(n))) {
    from = ivalue(n) < 0 ? nv + (int)ivalue(n) : (int)ivalue(n) - 1;
    if (from > nv)
      from = nv;
  } else {
    return false; /* an error, or a float: the interpreter's */
  }
  int cnt = count ? 1 : nv - from;
  if (nres < 0 && SL(a) + cnt >= IR_MAX_SLOTS - 8)
    return false;
  IRRef fr = get(R, pc, a, f);
  guard2(R, pc, IR_EQ, fr, ir_kgc(&R->B, (const void *)(uintptr_t)fvalue(f), TAG_LCF));
  IRRef nr = get(R, pc, a + 1, n);
  if (count)
    guard2(R, pc, IR_EQ, nr, ir_kgc(&R->B, tsvalue(n), vtag(n)));
  else
    guard2(R, pc, IR_EQ, nr, ir_kint(&R->B, ivalue(n)));
  IRRef v[256];
  int want = nres < 0 ? cnt : nres;
  for (int j = 0; j < want; j++) {
    if (j >= cnt)
      v[j] = ir_kpri(&R->B, TAG_NIL);
    else if (count)
      v[j] = ir_kint(&R->B, nv);
    else
      v[j] = get(R, pc, a + 2 + from + j, base + a + 2 + from + j);
  }
  if (R->why[0])
    return false;
  for (int j = 0; j < want; j++)
    set(R, a + j, v[j]);
  if (nres < 0) {
    R->mtop = SL(a) + cnt;
    R->mtop_pc = pc + 1;
  }
  return true;
}

/* -- For record_lib.c ------------------------------------------------------------ */

IRRef recx_get(Recorder *R, const Instruction *pc, int r, const TValue *v) {
  return get(R, pc, r, v);
}
void recx_set(Recorder *R, int r, IRRef ref) { set(R, r, ref); }
void recx_know(Recorder *R, int r, uint8_t tag) { know(R, r, tag); }
void recx_memop(Recorder *R, const Instruction *pc, int uop, int a,
                uint64_t op0, uint64_t op1, const int *rd, int nrd, int w,
                int nw) {
  memop(R, pc, uop, a, op0, op1, rd, nrd, w, nw);
}
IRRef recx_guard2(Recorder *R, const Instruction *pc, uint8_t op, IRRef a,
                  IRRef b) {
  return guard2(R, pc, op, a, b);
}
IRRef recx_field(Recorder *R, const Instruction *pc, IRRef tref,
                 const Table *t, const TString *key) {
  int64_t n = node_of(t, key);
  if (n < 0 || n > INT32_MAX)
    return 0;
  guard_hkey(R, pc, tref, n, key, IRM_HKEYV);
  return hload(R, pc, tref, n, gval(&t->node[n]));
}
CallInfo *recx_ci(const Recorder *R) { return cur_ci(R); }
const Instruction *recx_resume(const Recorder *R, const Instruction *pc) {
  return R->ninl ? R->inl[0].call + 1 : pc + 1;
}

/* -- Starting --------------------------------------------------------------------- */

/* A side trace starts from its parent's exit: the slots that exit's
 * snapshot restores are taken over as they are, in the parent's registers
 * (PVAL) or as constants, instead of being written back and loaded again. */
static void inherit(Recorder *R, const TraceExit *x) {
  IRRef seen[2 * IRA_MAX_SPILL + 64];
  uint64_t seen_loc[2 * IRA_MAX_SPILL + 64];
  int nseen = 0;
  for (uint32_t j = 0; j < x->nrs; j++) {
    const ExitRestore *rs = &x->rs[j];
    int s = rs->slot;
    IRRef ref = 0;
    if (s >= IR_MAX_SLOTS)
      continue;
    if (rs->kind == EXR_CONST) {
      /* constants are stored once, at the start: folding them into a loop
       * the side trace may close would be wrong after its first pass */
      IRRef k;
      if (is_pri(rs->tag))
        k = ir_kpri(&R->B, rs->tag);
      else if (rs->tag == TAG_INT)
        k = ir_kint(&R->B, (int64_t)rs->bits);
      else if (rs->tag == TAG_FLT) {
        double d;
        memcpy(&d, &rs->bits, sizeof d);
        k = ir_knum(&R->B, d);
      } else
        k = ir_kgc(&R->B, (const void *)(uintptr_t)rs->bits, rs->tag);
      IRIns in = mk(IR_SSTORE, 0, k, 0);
      in.s = (uint16_t)s;
      in.mode = IRM_ENTRY;
      ir_raw(&R->B, &in);
      touch(R, s);
      R->slot[s].known = 1;
      R->slot[s].tag = rs->tag;
      continue;
    } else {
      uint64_t loc = rs->kind == EXR_GPR   ? IR_PVAL_LOC('G', rs->idx)
                     : rs->kind == EXR_FPR ? IR_PVAL_LOC('F', rs->idx)
                                           : IR_PVAL_LOC('S', rs->idx - JIT_SPILL_BASE);
      for (int k = 0; k < nseen && !ref; k++)
        if (seen_loc[k] == loc)
          ref = seen[k];
      if (!ref) {
        IRIns in = mk(IR_PVAL, rs->tag, 0, 0);
        in.k3 = loc;
        ref = ir_raw(&R->B, &in);
        if (rs->kind == EXR_SPILL && rs->idx - JIT_SPILL_BASE + 1 > R->spill0)
          R->spill0 = rs->idx - JIT_SPILL_BASE + 1;
        if (nseen < (int)(sizeof seen / sizeof seen[0])) {
          seen[nseen] = ref;
          seen_loc[nseen++] = loc;
        }
      }
    }
    if (!ref)
      continue;
    touch(R, s);
    R->sref[s] = ref;
    R->sdirty[s] = 1; /* memory is behind */
    R->sfirst[s] = ref;
    R->sinherited[s] = 1;
    R->slot[s].known = 1;
    R->slot[s].tag = rs->tag;
  }
  R->gen++;
}

/* The frames of an exit inside inlined calls (innermost first, f) are the
 * interpreter's innermost CallInfos now (L->ci up): they become the
 * recorder's inlined calls, their JitFrames copied for the side trace's
 * own exits. False when they do not match (or are too deep). */
static bool inherit_frames(Recorder *R, lua_State *L, const JitFrame *f) {
  const JitFrame *chain[JIT_MAX_INLINE];
  int n = 0;
  for (; f; f = f->up) {
    if (n >= JIT_MAX_INLINE || n >= JIT_MAX_FRAMES)
      return false;
    chain[n++] = f;
  }
  CallInfo *c = L->ci;
  for (int d = n - 1; d >= 0; d--, c = c->previous) {
    const JitFrame *x = chain[n - 1 - d];
    if (!c || !ttisLclosure(c->func) || clLvalue(c->func)->p != x->p ||
        c->func != R->ci->func + x->base)
      return false;
    R->inl[d].ci = c;
  }
  if (c != R->ci)
    return false;
  for (int d = 0; d < n; d++) {
    const JitFrame *x = chain[n - 1 - d];
    R->frames[d] = *x;
    R->frames[d].up = NULL;
    R->frame_up[d] = d; /* the caller's entry (1-based), 0: the trace's */
    R->inl[d].p = x->p;
    R->inl[d].call = x->callpc;
    R->inl[d].nres = x->nres;
    R->inl[d].off = x->base;
    R->inl[d].off0 = x->p->is_vararg ? x->base - x->nextra - x->p->numparams - 1
                                     : x->base;
    R->inl[d].nargs = x->nextra + x->p->numparams;
    R->inl[d].frame = d + 1;
    /* the caller's register of the function (a CALL's A, a TFORCALL's
     * A + 4): right below the callee's original base */
    R->inl[d].a = R->inl[d].off0 - 1 - (d ? R->inl[d - 1].off : 0);
  }
  R->nframes = R->ninl = R->head_frames = n;
  R->off = R->inl[n - 1].off;
  R->hp = R->inl[n - 1].p;
  return true;
}

void rec_start(jit_State *js, Recorder *R, lua_State *L, CallInfo *ci, bool entry,
               const Instruction *head, TraceExit *parent) {
  R->L = L;
  R->soft_abort = false;
  R->light_abort = false;
  R->probe_abort = false;
  R->parent = parent;
  R->spill0 = 0;
  R->link_pc = NULL;
  R->link_exit = 0;
  R->backpasses = 0;
  R->off = 0;
  R->ninl = 0;
  R->nframes = 0;
  R->ci = ci;
  R->p = clLvalue(ci->func)->p;
  R->p0 = R->p;
  R->recursed = false;
  R->ci_pending = false;
  R->npush = 0;
  R->push_wait = false;
  R->ndeps = 0;
  R->head = head;
  R->ninsn = 0;
  R->callee_insns = 0;
  R->callee_max = JIT_MAX_CALLEE_INSNS;
  R->nexec = 0;
  R->nexits = 0;
  R->closed = false;
  R->looped = false;
  R->entry = entry;
  R->has_exec = false;
  R->frames_moved = false;
  R->maxslot = -1;
  R->gen = 1;
  R->snap_gen = 0;
  R->why[0] = '\0';
  R->B.opt.fold = js->opts.ir_fold;
  R->B.opt.cse = js->opts.ir_cse;
  R->B.opt.loop = js->opts.ir_loop;
  R->B.opt.dce = js->opts.ir_dce;
  R->B.opt.hkey = js->opts.ir_hkey;
  R->B.opt.spillcost = js->opts.ir_spillcost;
  R->B.opt.snapsplit = js->opts.ir_snapsplit;
  ir_reset(&R->B);
  memset(R->slot, 0, sizeof R->slot);
  memset(R->sref, 0, sizeof R->sref);
  memset(R->sdirty, 0, sizeof R->sdirty);
  memset(R->swritten, 0, sizeof R->swritten);
  memset(R->smemread, 0, sizeof R->smemread);
  memset(R->smemw, 0, sizeof R->smemw);
  memset(R->sfirst, 0, sizeof R->sfirst);
  memset(R->sfirstw, 0, sizeof R->sfirstw);
  memset(R->sinherited, 0, sizeof R->sinherited);
  R->hp = R->p;
  R->head_frames = 0;
  R->mtop = parent ? parent->top : -1; /* an exit before a B == 0 taker */
  R->mtop_pc = parent ? parent->pc : NULL;
  R->inherit = parent && !parent->noinherit;
  if (R->inherit)
    inherit(R, parent);
  R->loop_end = head;
  R->for_a = -1;
  R->bce_idx = R->bce_cnt = 0;
  R->live_at_head = IR_MAX_SLOTS;
  if (parent && parent->frame) {
    /* An exit inside inlined calls: the side trace starts in the frames it
     * made real, as if it had inlined those calls itself. */
    if (!inherit_frames(R, L, parent->frame))
      abortf(R, "frames of the exit not found"); /* rec_ins stops */
    return;
  }
  /* The loop ends at the last jump back to its head. */
  const Proto *p = R->p;
  const ProtoJit *pj = p->jitdata;
  int h = (int)(head - p->code);
  /* locals active at the head: registers above them are temporaries (at
   * a loop's head; a side trace's head, an exit's pc, may be in the middle
   * of an expression, its temporaries live) */
  if (!parent && p->sizelocvars > 0) {
    int n = 0;
    for (int j = 0; j < p->sizelocvars; j++)
      if (p->locvars[j].startpc <= h && h < p->locvars[j].endpc)
        n++;
    R->live_at_head = n;
  }
  for (int j = h; j < p->sizecode; j++) {
    Instruction i = p->code[j];
    if (GET_OPCODE(i) == OP_FORLOOP && j + 1 - GETARG_Bx(i) == h)
      R->for_a = GETARG_A(i);
  }
  if (entry || (pj && pj->aborts[h] % JIT_ABORT_HARD >= JIT_MAX_LEAVES)) {
    /* a function-entry trace runs to the function's return */
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

_Static_assert(IR_MAX_SLOTS == 256, "G_UPOUT (lua_uops.h) covers 256 slots");

/* An upvalue of an inlined call's function may be open on one of the
 * trace's slots (a local of a caller the trace runs): it is then that
 * slot, whose value may be in a register. Returns the slot, or -1 when
 * the upvalue is elsewhere; guards which it is (the closure may be
 * another one of the same function next time). */
static int upslot(Recorder *R, const Instruction *pc, CallInfo *ci, int b) {
  if (!R->ninl)
    return -1; /* the trace's function: its upvalues are below its frame */
  const TValue *v = clLvalue(ci->func)->upvals[b]->v;
  const TValue *base = R->ci->func + 1;
  if (v >= base && v < base + IR_MAX_SLOTS) {
    int s = (int)(v - base);
    memop(R, pc, UOP_G_UPIN, s - R->off, upk(R, b), 0, NULL, 0, 0, 0);
    return s;
  }
  memop(R, pc, UOP_G_UPOUT, 0, upk(R, b), 0, NULL, 0, 0, 0);
  return -1;
}

/* -- Inlined calls ------------------------------------------------------------- */

/* Is `c` on the stack of calls of L (L->ci or a caller of it)? */
static bool ci_alive(lua_State *L, const CallInfo *c) {
  for (CallInfo *x = L->ci; x; x = x->previous)
    if (x == c)
      return true;
  return false;
}

/* Where the registers of a call to np with nargs arguments, its function
 * at slot off - 1, start: right above it, or for a vararg function above
 * the copy of its function VARARGPREP makes past the arguments. */
static int callee_base(const Proto *np, int off, int nargs) {
  if (!np->is_vararg)
    return off;
  return off + (nargs > np->numparams ? nargs : np->numparams) + 1;
}

/* Can a call to np with nargs arguments from slot off be inlined? No
 * closures (their upvalues would need closing at the return). */
static bool inlinable(const Proto *np, int off, int nargs) {
  const ProtoJit *npj = np->jitdata;
  return !(npj && (npj->noinline || npj->recursive)) && np->sizep == 0 &&
         callee_base(np, off, nargs) + np->maxstacksize + 1 < 250 &&
         np->sizecode <= 400;
}

/* A call to a Lua function is recorded into the trace: the callee's
 * registers are the slots right above its function, as the interpreter
 * lays out a call, the arguments already there. No frame is made: a guard
 * or an EXEC inside the callee makes its frames real first (JitFrame, in
 * the snapshot), so the interpreter resumes or raises an error exactly
 * where it would have. Guards before the callee runs exit to the CALL. */
static bool inline_call(Recorder *R, const Instruction *pc, int a, int nargs,
                        int nres);

/* Is a call to np recursive: np is a function the trace is inside of (its
 * own, or an inlined call's)? Such calls are not unrolled into the trace:
 * they run through the interpreter's call, which enters np's entry trace. */
static bool recursive(const Recorder *R, const Proto *np) {
  if (np == R->p)
    return true;
  for (int d = 0; d < R->ninl; d++)
    if (R->inl[d].p == np)
      return true;
  return false;
}

static bool inline_call(Recorder *R, const Instruction *pc, int a, int nargs,
                        int nres) {
  const TValue *base = cur_ci(R)->func + 1;
  const TValue *f = base + a;
  if (!ttisLclosure(f) || R->ninl >= JIT_MAX_INLINE ||
      R->nframes >= JIT_MAX_FRAMES)
    return false;
  Proto *np = clLvalue(f)->p;
  int off = SL(a) + 1;
  if (!inlinable(np, off, nargs) || recursive(R, np) || !add_dep(R, np))
    return false;
  int top = callee_base(np, off, nargs) + np->maxstacksize;
  IRRef fr = get(R, pc, a, f);
  IRIns in = mk(IR_GFUNCP, 0, fr, 0);
  in.k = (uint64_t)(uintptr_t)np;
  guard_in(R, pc, in);
  memop(R, pc, UOP_G_STACK, 0, (uint64_t)16 * (uint64_t)(top + EXTRA_STACK), 0,
        NULL, 0, 0, 0);
  if (np->sizeupvalues > 0) /* its upvalue uops read the function there */
    flush_slot(R, off - 1);
  IRRef args[256];
  for (int j = 0; j < np->numparams; j++)
    args[j] = j < nargs ? get(R, pc, a + 1 + j, base + a + 1 + j)
                        : ir_kpri(&R->B, TAG_NIL);
  for (int j = 0; j <= np->maxstacksize; j++) { /* the callee's registers */
    int s = off + j;
    if (j < np->numparams || (np->is_vararg && j < nargs))
      continue; /* its parameters, or extra arguments (VARARGPREP) */
    if (R->sref[s] || R->sdirty[s])
      R->gen++;
    R->sref[s] = 0;
    R->sdirty[s] = 0;
    R->slot[s].known = 0;
  }
  int k = R->nframes++;
  R->frames[k] = (JitFrame){.up = NULL, .p = np, .callpc = pc, .base = off,
                            .nres = nres, .tail = 0, .nextra = 0};
  R->frame_up[k] = R->ninl ? R->inl[R->ninl - 1].frame : 0;
  int d = R->ninl++;
  R->inl[d].p = np;
  R->inl[d].ci = NULL;
  R->inl[d].call = pc;
  R->inl[d].a = a;
  R->inl[d].nres = nres;
  R->inl[d].off = off;
  R->inl[d].off0 = off;
  R->inl[d].nargs = nargs;
  R->inl[d].frame = k + 1;
  int caller_off = R->off;
  R->off = off;
  for (int j = 0; j < np->numparams; j++)
    set(R, j, args[j]);
  R->off = caller_off;
  return true;
}

static uint32_t end_exit(Recorder *R, const Instruction *pc);

/* Give up inlining the innermost callee: its calls are recorded as EXEC
 * next time. In a frame a side trace inherited from its exit (a call it
 * did not inline itself), the trace ends instead with an exit to pc, the
 * instruction it cannot record, when it recorded something before (pc
 * NULL: the recorder's state is not the one before an instruction). */
static bool inline_abort(Recorder *R, const Instruction *pc,
                         const char *what) {
  if (R->ninl <= R->head_frames) {
    if (pc && R->ninsn > 1) {
      end_exit(R, pc);
      return false;
    }
    return abortf(R, "inherited call: %s", what);
  }
  ProtoJit *pj = jit_protojit(G(R->L)->jit, R->inl[R->ninl - 1].p);
  if (pj)
    pj->noinline = 1;
  R->soft_abort = true;
  return abortf(R, "inlined call: %s", what);
}

/* The innermost callee returns n results from its register ra (the RETURN
 * at pc): they go to the caller's registers from A on. `recorded`: the
 * results are values the recorder made for pc itself (a builtin called by
 * `return f(x)`), not yet in the interpreter's registers. */
static void inline_return(Recorder *R, const Instruction *pc, int ra, int n,
                          bool recorded) {
  int d = R->ninl - 1;
  const TValue *cbase = R->inl[d].ci->func + 1;
  IRRef res[256];
  int nres = R->inl[d].nres;
  bool multi = nres < 0; /* all of them: the caller's next instruction */
  if (multi)             /* takes them up to L->top */
    nres = n;
  int caller_off = d ? R->inl[d - 1].off : 0;
  if (SL(ra) + n >= IR_MAX_SLOTS - 8 ||
      caller_off + R->inl[d].a + nres >= IR_MAX_SLOTS - 8) {
    abortf(R, "too many results");
    return;
  }
  for (int j = 0; j < nres; j++)
    res[j] = j >= n    ? ir_kpri(&R->B, TAG_NIL)
             : recorded ? R->sref[SL(ra + j)]
                        : get(R, pc, ra + j, cbase + ra + j);
  if (R->why[0])
    return;
  for (int j = 0; j < nres; j++)
    if (!res[j]) {
      abortf(R, "result not known");
      return;
    }
  int a = R->inl[d].a;
  R->ninl--;
  R->off = caller_off;
  /* everything from the results on is the caller's free registers now:
   * garbage, out of the snapshots */
  for (int s = SL(a); s < IR_MAX_SLOTS; s++) {
    R->sref[s] = 0;
    R->sdirty[s] = 0;
    R->slot[s].known = 0;
  }
  for (int j = 0; j < nres; j++)
    set(R, a + j, res[j]);
  if (multi) {
    R->mtop = SL(a) + nres;
    R->mtop_pc = R->inl[d].call + 1;
  }
  R->gen++;
}

/* `return f(args)` inside an inlined call: f replaces the callee, as the
 * interpreter's tail call replaces its frame (function and arguments moved
 * down to the callee's function slot; the frame is marked a tail call). */
static bool inline_tailcall(Recorder *R, const Instruction *pc, int a,
                            int nargs) {
  int d = R->ninl - 1;
  const TValue *base = R->inl[d].ci->func + 1;
  const TValue *f = base + a;
  if (!ttisLclosure(f) || R->nframes >= JIT_MAX_FRAMES)
    return false;
  Proto *np = clLvalue(f)->p;
  /* the call moves down to where the callee's function was (a vararg
   * callee's original place, below its extra arguments) */
  int off = R->inl[d].off0;
  if (!inlinable(np, off, nargs) || nargs > 250 || !add_dep(R, np))
    return false;
  int top = callee_base(np, off, nargs) + np->maxstacksize;
  IRRef fr = get(R, pc, a, f);
  IRIns in = mk(IR_GFUNCP, 0, fr, 0);
  in.k = (uint64_t)(uintptr_t)np;
  guard_in(R, pc, in);
  memop(R, pc, UOP_G_STACK, 0, (uint64_t)16 * (uint64_t)(top + EXTRA_STACK), 0,
        NULL, 0, 0, 0);
  IRRef args[256];
  /* its parameters, and a vararg callee's extra arguments */
  int nkeep = np->is_vararg && nargs > np->numparams ? nargs : np->numparams;
  for (int j = 0; j < nkeep; j++)
    args[j] = j < nargs ? get(R, pc, a + 1 + j, base + a + 1 + j)
                        : ir_kpri(&R->B, TAG_NIL);
  if (R->why[0])
    return false;
  for (int s = off; s < IR_MAX_SLOTS; s++) { /* the old frame is gone */
    R->sref[s] = 0;
    R->sdirty[s] = 0;
    R->slot[s].known = 0;
  }
  R->gen++;
  int old = R->inl[d].frame - 1, k = R->nframes++;
  R->frames[k] = (JitFrame){.up = NULL, .p = np,
                            .callpc = R->frames[old].callpc, .base = off,
                            .nres = R->frames[old].nres, .tail = 1,
                            .nextra = 0};
  R->frame_up[k] = R->frame_up[old];
  R->inl[d].p = np;
  R->inl[d].frame = k + 1;
  R->inl[d].off = R->inl[d].off0 = off;
  R->inl[d].nargs = nargs;
  R->off = off;
  set(R, -1, fr);
  if (np->sizeupvalues > 0) /* its upvalue uops read the function there */
    flush_slot(R, off - 1);
  for (int j = 0; j < nkeep; j++)
    set(R, j, args[j]);
  return true;
}

/* How many values an instruction at pc taking them from register r up to
 * L->top gets (the results of the call or the VARARG right before it), or
 * -1 when the recorder does not know. */
static int mtop_args(const Recorder *R, const Instruction *pc, int r) {
  if (R->mtop < 0 || pc != R->mtop_pc || R->mtop < SL(r))
    return -1;
  return R->mtop - SL(r);
}

/* VARARGPREP of inlined vararg callee d (its first instruction), as the
 * interpreter runs it: a copy of the function and the fixed parameters go
 * above the arguments, the original parameters become nil, and the
 * callee's registers start above the copy; its frame says so for exits. */
static bool rec_varargprep(Recorder *R, int d) {
  const Proto *np = R->inl[d].p;
  if (!np->is_vararg || R->inl[d].off != R->inl[d].off0)
    return inline_abort(R, NULL, "VARARGPREP of a frame already moved");
  int off = R->inl[d].off, nargs = R->inl[d].nargs;
  int actual = nargs > np->numparams ? nargs : np->numparams;
  int nb = callee_base(np, off, nargs);
  /* the call set the function and the parameters (no guard here: an exit
   * would resume before the move with the frame already moved) */
  IRRef fr = R->sref[off - 1], par[256];
  for (int j = 0; j < np->numparams; j++)
    if (!(par[j] = R->sref[off + j]))
      fr = 0;
  if (!fr)
    return inline_abort(R, NULL, "VARARGPREP: values not known");
  for (int s = nb - 1; s <= nb + np->maxstacksize && s < IR_MAX_SLOTS; s++) {
    R->sref[s] = 0; /* the callee's registers: stale caller temporaries */
    R->sdirty[s] = 0;
    R->slot[s].known = 0;
  }
  R->gen++;
  int k = R->inl[d].frame - 1;
  R->frames[k].base = nb;
  R->frames[k].nextra = actual - np->numparams;
  R->inl[d].off = nb;
  R->off = nb;
  set(R, -1, fr);
  for (int j = 0; j < np->numparams; j++) {
    set(R, j, par[j]);
    R->off = off;
    set(R, j, ir_kpri(&R->B, TAG_NIL)); /* as the interpreter clears them */
    R->off = nb;
  }
  if (np->sizeupvalues > 0) /* its upvalue uops read the function there */
    flush_slot(R, nb - 1);
  return R->why[0] == '\0';
}

/* VARARG of inlined vararg callee d: n values (-1: all of them, up to a
 * new top) from its extra arguments into registers from a. */
static bool rec_vararg(Recorder *R, const Instruction *pc, int d, int a,
                       int n) {
  const Proto *np = R->inl[d].p;
  const JitFrame *fr = &R->frames[R->inl[d].frame - 1];
  if (R->inl[d].off == R->inl[d].off0) /* VARARGPREP not recorded */
    return inline_abort(R, pc, "VARARG before VARARGPREP");
  int nextra = fr->nextra;
  bool multi = n < 0;
  if (multi)
    n = nextra;
  if (SL(a) + n >= IR_MAX_SLOTS - 8)
    return inline_abort(R, pc, "VARARG: too many values");
  if (multi) /* the interpreter grows the stack for them */
    memop(R, pc, UOP_G_STACK, 0,
          (uint64_t)16 * (uint64_t)(SL(a) + n + EXTRA_STACK), 0, NULL, 0, 0, 0);
  const TValue *extra = R->inl[d].ci->func - nextra; /* the real ones */
  IRRef v[256];
  int first = R->inl[d].off0 + np->numparams - R->off; /* as a register */
  for (int j = 0; j < n; j++)
    v[j] = j < nextra ? get(R, pc, first + j, extra + j)
                      : ir_kpri(&R->B, TAG_NIL);
  if (R->why[0])
    return false;
  for (int j = 0; j < n; j++)
    set(R, a + j, v[j]);
  if (multi) {
    R->mtop = SL(a) + n;
    R->mtop_pc = pc + 1;
  }
  return true;
}

static bool rec_inline_ins(Recorder *R, const Instruction *pc) {
  lua_State *L = R->L;
  int d = R->ninl - 1;
  if (!R->inl[d].ci) { /* the callee's first instruction */
    CallInfo *caller = d ? R->inl[d - 1].ci : R->ci;
    if (L->ci->previous != caller || clLvalue(L->ci->func)->p != R->inl[d].p ||
        L->ci->func != R->ci->func + R->inl[d].off)
      return inline_abort(R, NULL, "not entered");
    R->inl[d].ci = L->ci;
  }
  if (L->ci == R->inl[d].ci && clLvalue(L->ci->func)->p != R->inl[d].p)
    return inline_abort(R, NULL, "not entered");
  if (L->ci != R->inl[d].ci) {
    /* a call the callee made through EXEC runs in the interpreter */
    if (ci_alive(L, R->inl[d].ci)) {
      if (++R->callee_insns > R->callee_max)
        return abortf(R, "calls run too long");
      return true;
    }
    return inline_abort(R, NULL, "left the callee");
  }
  if (++R->ninsn > JIT_MAX_INSNS || R->B.n + 64 > IR_MAX_INS)
    return abortf(R, "trace too long");
  Instruction i = *pc;
  OpCode op = GET_OPCODE(i);
  switch (op) {
  case OP_RETURN0: case OP_RETURN1: case OP_RETURN: {
    int n = op == OP_RETURN0 ? 0 : op == OP_RETURN1 ? 1 : GETARG_B(i) - 1;
    R->off = R->inl[d].off;
    if (n < 0) /* up to the top a call or VARARG left */
      n = mtop_args(R, pc, GETARG_A(i));
    if (n < 0)
      return inline_abort(R, pc, "variable results");
    inline_return(R, pc, GETARG_A(i), n, false);
    return R->why[0] == '\0';
  }
  case OP_VARARGPREP:
    R->off = R->inl[d].off;
    return rec_varargprep(R, d);
  case OP_VARARG:
    R->off = R->inl[d].off;
    if (!R->inl[d].p->is_vararg) /* cannot happen: the parser emits it */
      return inline_abort(R, pc, "VARARG outside a vararg function");
    return rec_vararg(R, pc, d, GETARG_A(i), GETARG_C(i) - 1);
  case OP_JMP:
    if (GETARG_sJ(i) < 0)
      return inline_abort(R, pc, "loop");
    return true;
  case OP_FORPREP: case OP_FORLOOP: case OP_TFORPREP: case OP_TFORCALL:
  case OP_TFORLOOP:
    return inline_abort(R, pc, "loop");
  case OP_TAILCALL: {
    int b = GETARG_B(i);
    R->off = R->inl[d].off;
    if (b == 0) { /* arguments up to the top a call or VARARG left */
      int n = mtop_args(R, pc, GETARG_A(i) + 1);
      b = n >= 0 && n < 250 ? n + 1 : 0;
    }
    if (b != 0 && rec_builtin(R, pc, GETARG_A(i), b - 1, 1)) {
      inline_return(R, pc, GETARG_A(i), 1, true); /* `return math.abs(x)` */
      return R->why[0] == '\0';
    }
    if (R->why[0])
      return false;
    if (b != 0 && inline_tailcall(R, pc, GETARG_A(i), b - 1))
      return R->why[0] == '\0';
    if (R->why[0])
      return false;
    return inline_abort(R, pc, "tail call not inlined");
  }
  case OP_CLOSURE: case OP_TBC: case OP_CLOSE: {
    char why[64];
    snprintf(why, sizeof why, "%s not inlined", op_name(op));
    return inline_abort(R, pc, why);
  }
  default:
    break;
  }
  R->off = R->inl[d].off;
  bool ok = rec_one(R, pc, R->inl[d].ci, R->inl[d].p);
  if (R->ninl == d + 1)
    R->off = R->inl[d].off;
  if (R->B.overflow)
    return abortf(R, "trace too long");
  if (!ok && !R->why[0] && !R->closed)
    return inline_abort(R, NULL, "stopped");
  return ok && R->why[0] == '\0';
}

/* -- Ending -------------------------------------------------------------------- */

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

/* Is pc the trace's start, in the trace's own function? (A side trace that
 * starts inside inlined calls never loops back to its start.) */
static bool at_head(const Recorder *R, const Instruction *pc) {
  return pc == R->head && !R->head_frames;
}

/* The trace loops back to its start. */
static void close_loop(Recorder *R) {
  R->looped = true;
  R->closed = true;
}

/* End with an exit of its own to pc (linked later, or to the interpreter):
 * memory is made current first, so the exit restores nothing. */
static uint32_t end_exit(Recorder *R, const Instruction *pc) {
  flush_all(R);
  IRIns in = mk(IR_MEMOP, 0, 0, 0);
  in.k2 = UOP_EXIT;
  in.snap = snap(R, pc, true);
  ir_raw(&R->B, &in);
  R->closed = true;
  return R->B.snap[in.snap].exit;
}

bool rec_arrive(Recorder *R, const Instruction *pc) {
  if (R->closed)
    return true;
  if (R->ninsn == 0)
    return false;
  if (at_head(R, pc)) { /* back at the start: a loop */
    if (R->frames_moved && R->inherit) {
      /* the parent's values are its first frame's: the next pass is in
       * another; record again from memory */
      R->parent->noinherit = 1;
      R->soft_abort = true;
      snprintf(R->why, sizeof R->why, "side trace loop over its parent's values");
      return true;
    }
    close_loop(R);
    return true;
  }
  if (trace_at(R, pc)) { /* a loop with a trace: continue in it */
    R->link_exit = end_exit(R, pc);
    R->link_pc = pc;
    return true;
  }
  return false;
}

/* End the trace with an exit to the interpreter at pc, which runs what the
 * trace cannot (a return, a call with variable results, ...). A root trace
 * must have done enough before that to be worth entering. */
static bool stop_at(Recorder *R, const Instruction *pc, const char *what) {
  if (R->ninl) { /* not inside a callee: record its calls as EXEC */
    char why[96];
    snprintf(why, sizeof why, "%s %s", what, op_name(GET_OPCODE(*pc)));
    return inline_abort(R, pc, why);
  }
  if (R->npush && !R->parent) /* a root trace ends in its loop or a link */
    return abortf(R, "called function: %s %s", what, op_name(GET_OPCODE(*pc)));
  if (R->parent ? R->B.n <= 1 : R->ninsn < (R->entry ? 2 : 4)) {
    OpCode op = GET_OPCODE(*pc);
    /* a loop that returns a few instructions after its head (a search
     * recorded on its last iteration): the next recording may see it loop */
    if (!R->parent && !R->entry && (op == OP_RETURN || op == OP_RETURN0 ||
                                    op == OP_RETURN1 || op == OP_TAILCALL))
      R->light_abort = true;
    return abortf(R, "%s %s", what, op_name(op));
  }
  end_exit(R, pc);
  return false;
}

/* A back-edge to `dest` that is not the trace's start. A root trace only
 * crosses loops that have a trace (it links to them on arrival); a side
 * trace may cross a couple of heads without one. */
static bool cross_back(Recorder *R, const Instruction *pc,
                       const Instruction *dest) {
  if (trace_at(R, dest))
    return true;
  if (R->p != R->p0 || R->npush) {
    /* a loop of a frame the trace made or returned to, without a trace
     * of its own yet: a side trace ends with an exit to its back-edge, a
     * root trace records again once the loop has one */
    if (R->parent) {
      end_exit(R, pc);
      return false;
    }
    const ProtoJit *pj = R->p->jitdata;
    if (pj && pj->blocked[dest - R->p->code])
      return abortf(R, "called function: loop blacklisted");
    R->push_wait = true;
    R->light_abort = true;
    return abortf(R, "called function: loop without a trace yet");
  }
  if (!R->parent || ++R->backpasses > JIT_MAX_BACKPASSES) {
    /* record again once the inner loop has a trace: a side trace's exit
     * keeps trying, a loop head a few times (its inner loop may never get
     * one) */
    if (R->parent)
      R->soft_abort = true;
    else
      R->light_abort = true;
    return abortf(R, "inner loop");
  }
  return true;
}

bool rec_ins(Recorder *R, const Instruction *pc) {
  lua_State *L = R->L;
  if (R->why[0])
    return false;
  if (pc != R->mtop_pc) /* only the next instruction takes that top */
    R->mtop = -1;
  if (R->ninl) /* inside an inlined call */
    return rec_inline_ins(R, pc);
  if (R->ci_pending) { /* the first instruction of a call rec_callf made */
    CallInfo *c = L->ci;
    if (c->previous != R->ci || !isLua(c) || !ttisLclosure(c->func) ||
        clLvalue(c->func)->p != R->p || pc != R->p->code)
      return abortf(R, "call not entered");
    R->ci = c;
    R->ci_pending = false;
  }
  if (L->ci != R->ci) {
    /* A callee of an EXEC'd call runs in the interpreter: not recorded,
     * but every instruction it runs passes here, so a long-running call
     * (deep recursion, a loop inside) stops the recording. */
    if (++R->callee_insns > R->callee_max)
      return abortf(R, "calls run too long");
    if (frame_alive(R, L))
      return true;
    return abortf(R, "left the loop's function");
  }
  if (!R->parent && R->loop_end && R->p == R->p0 && R->npush == 0 &&
      (pc < R->head || pc > R->loop_end)) {
    /* A root trace that leaves its loop would be entered only to exit at
     * its first guard each time the loop runs on (a while loop recorded on
     * its last test): record again later. */
    R->light_abort = true;
    return abortf(R, "leaves its loop");
  }
  if (rec_arrive(R, pc))
    return false;
  bool ok = rec_one(R, pc, R->ci, R->p);
  if (R->B.overflow)
    return abortf(R, "trace too long");
  return ok && R->why[0] == '\0';
}

/* -- For loops ----------------------------------------------------------------- */

/* Is the step of the for loop closed by the FORLOOP at pc a constant of
 * the code (loaded right before its FORPREP)? Then the trace specializes
 * on it; a computed step (`2 * len`) may change between entries. */
static bool const_step(const Recorder *R, const Instruction *pc, int a) {
  const Proto *p = R->p;
  int body = (int)(pc - p->code) + 1 - GETARG_Bx(*pc);
  if (body < 2 || GET_OPCODE(p->code[body - 1]) != OP_FORPREP)
    return false;
  Instruction ld = p->code[body - 2];
  OpCode op = GET_OPCODE(ld);
  return (op == OP_LOADI || op == OP_LOADF || op == OP_LOADK) &&
         GETARG_A(ld) == a + 2;
}

/* The FORLOOP at pc closes the trace's loop: one step in IR. */
static void rec_forloop_close(Recorder *R, const Instruction *pc, int a,
                              const TValue *ra) {
  IRBuf *B = &R->B;
  bool kstep = R->off == 0 && const_step(R, pc, a);
  if (ttisinteger(ra + 2)) {
    IRRef cnt = get(R, pc, a + 1, ra + 1);
    guard2(R, pc, IR_NE, cnt, ir_kint(B, 0)); /* count 0: the loop ends */
    IRRef step = get(R, pc, a + 2, ra + 2);
    if (kstep && fits32(ivalue(ra + 2))) { /* the step as an immediate */
      IRRef k = ir_kint(B, ivalue(ra + 2));
      guard2(R, pc, IR_EQ, step, k);
      step = k;
    }
    IRRef idx = get(R, pc, a, ra);
    if (kstep && ivalue(ra + 2) == 1 && a == R->for_a) { /* for ir_loop's BCE */
      R->bce_idx = idx;
      R->bce_cnt = cnt;
    }
    IRRef nidx = emit2(R, IR_ADD, TAG_INT, idx, step);
    set(R, a + 1, emit2(R, IR_SUB, TAG_INT, cnt, ir_kint(B, 1)));
    set(R, a, nidx);
    set(R, a + 3, nidx);
  } else {
    IRRef step = get(R, pc, a + 2, ra + 2);
    if (kstep && fltvalue(ra + 2) == fltvalue(ra + 2)) { /* a constant step */
      IRRef k = ir_knum(B, fltvalue(ra + 2));
      guard2(R, pc, IR_EQ, step, k);
      step = k;
    }
    IRRef limit = get(R, pc, a + 1, ra + 1);
    IRRef idx = get(R, pc, a, ra);
    IRRef nidx = emit2(R, IR_ADD, TAG_FLT, idx, step);
    bool up = fltvalue(ra + 2) > 0;
    /* the step's sign is part of the loop's shape */
    guard_cmp(R, pc, IR_GT, up, step, ir_knum(B, 0.0));
    if (up)
      guard2(R, pc, IR_LE, nidx, limit);
    else
      guard2(R, pc, IR_LE, limit, nidx);
    set(R, a, nidx);
    set(R, a + 3, nidx);
  }
  close_loop(R);
}

/* Is there nothing to close from ra up: no open upvalue, no to-be-closed
 * variable there? */
static bool nothing_to_tbc(lua_State *L, const TValue *ra) {
  return !(L->ntbc > 0 && L->tbc[L->ntbc - 1] >= savestack(L, ra));
}

static bool nothing_to_close(lua_State *L, const TValue *ra) {
  return !(L->openupval != NULL && L->openupval->v >= ra) &&
         !(L->ntbc > 0 && L->tbc[L->ntbc - 1] >= savestack(L, ra));
}

/* TFORCALL of a Lua iterator: the call `ra+4(ra+5, ra+6)`, copies of the
 * iterator, state and control, is inlined like a CALL wanting c results.
 * The copies are made in the stack now, as the interpreter is about to
 * (the slots are the instruction's own), so that the inliner sees the
 * values it will call with. */
static bool rec_tforcall(Recorder *R, const Instruction *pc, int a, int c) {
  TValue *ra = cur_ci(R)->func + 1 + a;
  const Proto *np = clLvalue(ra)->p;
  if (!inlinable(np, SL(a) + 5, 2) || recursive(R, np) ||
      R->ninl >= JIT_MAX_INLINE || R->nframes >= JIT_MAX_FRAMES)
    return false;
  IRRef v[3];
  for (int j = 0; j < 3; j++)
    v[j] = get(R, pc, a + j, ra + j);
  if (R->why[0])
    return false;
  for (int j = 0; j < 3; j++) {
    setobj(ra + 4 + j, ra + j);
    set(R, a + 4 + j, v[j]);
  }
  return inline_call(R, pc, a + 4, 2, c);
}

/* TFORCALL of ipairs' iterator over a table without metatable whose next
 * index is in the array part: the index plus one, and a load from the
 * array (guarded by the bounds and the element's type); the loop ends
 * when the element is nil. Elsewhere (the array's end, a metatable) the
 * interpreter's call. */
static bool rec_ipairs(Recorder *R, const Instruction *pc, int a, int c) {
  const TValue *ra = cur_ci(R)->func + 1 + a;
  if (!ttislcf(ra) || !jit_is_ipairs_iter(fvalue(ra)) || !plain_table(ra + 1) ||
      !ttisinteger(ra + 2))
    return false;
  const Table *h = hvalue(ra + 1);
  lua_Integer i = (lua_Integer)((lua_Unsigned)ivalue(ra + 2) + 1);
  if ((lua_Unsigned)i - 1 >= h->asize)
    return false;
  IRRef fr = get(R, pc, a, ra);
  guard2(R, pc, IR_EQ, fr, ir_kgc(&R->B, (const void *)(uintptr_t)fvalue(ra), TAG_LCF));
  IRRef t = get_plain(R, pc, a + 1, ra + 1);
  IRRef iv = get(R, pc, a + 2, ra + 2);
  if (R->why[0])
    return false;
  IRRef ni = emit2(R, IR_ADD, TAG_INT, iv, ir_kint(&R->B, 1));
  const TValue *e = &h->array[i - 1];
  IRRef v = aload(R, pc, t, ni, e);
  if (R->why[0])
    return false;
  bool end = ttisnil(e);
  for (int j = 0; j < c; j++) { /* results: i, v (or nil), then nils */
    if (j == 0 && !end)
      set(R, a + 4, ni);
    else if (j == 1 && !end)
      set_load(R, a + 5, v);
    else
      set(R, a + 4 + j, ir_kpri(&R->B, TAG_NIL));
  }
  return true;
}

/* TFORCALL of `next` (pairs' iterator) over a table: the helper uop
 * NEXT_T, guarded by the function's identity and the table's type. */
static bool rec_next(Recorder *R, const Instruction *pc, int a, int c) {
  const TValue *ra = cur_ci(R)->func + 1 + a;
  if (!ttislcf(ra) || !jit_is_next(fvalue(ra)) || !ttistable(ra + 1) || c > 250)
    return false;
  IRRef fr = get(R, pc, a, ra);
  guard2(R, pc, IR_EQ, fr, ir_kgc(&R->B, (const void *)(uintptr_t)fvalue(ra), TAG_LCF));
  get(R, pc, a + 1, ra + 1);
  if (R->why[0])
    return false;
  const int rd[] = {a + 1, a + 2};
  /* writes the key and the value (also when one result is wanted) */
  memop(R, pc, UOP_NEXT_T, a, (uint64_t)c, 0, rd, 2, a + 4, c > 2 ? c : 2);
  return true;
}

/* The C function a TFORCALL calls, done in the trace: ipairs', next. */
static bool rec_tfor_c(Recorder *R, const Instruction *pc, int a, int c) {
  return rec_ipairs(R, pc, a, c) || (!R->why[0] && rec_next(R, pc, a, c));
}

/* Record the instruction at pc of frame ci (function p). */
/* -- Recursion: frames the trace makes and drops ------------------------------ *
 *
 * A call of the trace's own function from its own frame (not from an
 * inlined call) cannot be inlined: it would nest without end. The trace
 * makes the callee's frame instead, a real CallInfo as the interpreter's
 * CALL makes it (PUSHF), and goes on at the function's first instruction:
 * in the function's entry trace that is its own start (a loop: each pass
 * one level deeper), elsewhere the entry trace, which it links to. A
 * return from the trace's frame to a caller running the same function
 * (the frame below, real since the interpreter or a PUSHF made it) drops
 * the frame (POPF, guarded by the caller's resume pc) and recording goes
 * on in the caller: returns that come back to where they started loop, the
 * rest link to the entry trace at the next recursive call. After either,
 * slot numbers name the new frame: the slot map starts empty (everything
 * is in memory but the results just returned), and the trace's loop keeps
 * nothing in registers across its back-edge (ir_loop.c). */

/* The slots name another frame from here on. */
static void frame_switch(Recorder *R) {
  memset(R->sref, 0, sizeof R->sref);
  memset(R->sdirty, 0, sizeof R->sdirty);
  memset(R->slot, 0, sizeof R->slot);
  ir_barrier_all(&R->B);
  R->for_a = -1;
  R->mtop = -1;
  R->frames_moved = true;
  R->gen++;
}

/* The function's entry trace, when it has one. */
static bool has_entry_trace(const Proto *p) {
  const ProtoJit *pj = p->jitdata;
  return pj && pj->size > 0 && pj->trace[0];
}

/* The recursive call at pc (the function at register a, nargs arguments,
 * nres results wanted): true when the trace ends here, looping back to
 * its start or linked to the function's entry trace. */
static bool rec_pushf(Recorder *R, const Instruction *pc, int a, int nargs,
                      int nres) {
  const TValue *f = R->ci->func + 1 + a;
  if (R->ninl || nargs < 0 || !ttisLclosure(f) || clLvalue(f)->p != R->p ||
      R->p->is_vararg || R->head_frames)
    return false;
  Proto *np = R->p;
  bool loop = R->entry && !R->parent && R->head == np->code;
  if (!loop && !has_entry_trace(np))
    return false;
  if (loop && R->inherit) /* a root trace inherits nothing: cannot happen */
    return false;
  IRRef fr = get(R, pc, a, f);
  IRIns in = mk(IR_GFUNCP, 0, fr, 0);
  in.k = (uint64_t)(uintptr_t)np;
  guard_in(R, pc, in);
  memop(R, pc, UOP_G_STACK, 0,
        (uint64_t)16 * (uint64_t)(SL(a) + 1 + np->maxstacksize + EXTRA_STACK), 0,
        NULL, 0, 0, 0);
  for (int j = nargs; j < np->numparams; j++) /* missing arguments */
    set(R, a + 1 + j, ir_kpri(&R->B, TAG_NIL));
  if (R->why[0])
    return false;
  flush_all(R); /* the callee reads its arguments from memory */
  memop(R, pc, UOP_PUSHF, a, (uint64_t)(uintptr_t)(pc + 1),
        (uint64_t)(uint16_t)(int16_t)nres | ((uint64_t)np->maxstacksize << 16),
        NULL, 0, 0, 0);
  frame_switch(R);
  R->recursed = true;
  if (loop) {
    close_loop(R);
    return true;
  }
  R->link_exit = end_exit(R, np->code);
  R->link_pc = np->code;
  return true;
}

/* `return f(args)` where f is the trace's own function, from its own
 * frame: the frame is reused as the interpreter's TAILCALL reuses it, and
 * the trace goes on at the function's start as after rec_pushf. The same
 * closure is guarded (the frame's function slot stays as it is). */
static bool rec_tailf(Recorder *R, const Instruction *pc, int a, int nargs) {
  const TValue *f = R->ci->func + 1 + a;
  if (R->ninl || nargs < 0 || !ttisLclosure(f) || clLvalue(f)->p != R->p ||
      R->p->is_vararg || R->head_frames || f->v.gc != R->ci->func->v.gc ||
      !nothing_to_close(R->L, R->ci->func + 1))
    return false;
  Proto *np = R->p;
  bool loop = R->entry && !R->parent && R->head == np->code;
  if (!loop && !has_entry_trace(np))
    return false;
  IRRef fr = get(R, pc, a, f);
  guard2(R, pc, IR_EQ, fr, ir_kgc(&R->B, f->v.gc, TAG_LCL));
  IRRef args[256];
  for (int j = 0; j < np->numparams; j++)
    args[j] = j < nargs ? get(R, pc, a + 1 + j, f + 1 + j)
                        : ir_kpri(&R->B, TAG_NIL);
  if (R->why[0])
    return false;
  memop(R, pc, UOP_G_NOCLOSE, 0, 0, 0, NULL, 0, 0, 0);
  memop(R, NULL, UOP_TAILF, 0, 0, 0, NULL, 0, 0, 0);
  frame_switch(R); /* the same frame, every register new */
  R->recursed = true;
  for (int j = 0; j < np->numparams; j++)
    set(R, j, args[j]);
  if (loop) {
    close_loop(R);
    return true;
  }
  R->link_exit = end_exit(R, np->code);
  R->link_pc = np->code;
  return true;
}

/* A call of coroutine.yield: the trace ends before it (an exit to the
 * call), since the coroutine stops there. A loop that does little else
 * than yield is not worth a trace: its recording stops for good. */
static bool rec_yield(Recorder *R, const Instruction *pc) {
  if (R->ninl)
    return inline_abort(R, pc, "yields");
  if (!R->parent && R->ninsn < JIT_MIN_YIELD_INSNS && !R->entry)
    return abortf(R, "yields after %d instructions", R->ninsn);
  return stop_at(R, pc, "yields:");
}

/* Could rec_callf make a frame for a call of f from the trace's frame? */
static bool pushable(const Recorder *R, const TValue *f) {
  if (R->entry || R->npush >= JIT_MAX_PUSH || !ttisLclosure(f) ||
      !G(R->L)->jit->opts.callf)
    return false;
  const Proto *np = clLvalue(f)->p;
  const ProtoJit *npj = np->jitdata;
  return !np->is_vararg && !recursive(R, np) &&
         !(npj && (npj->recursive || npj->nopush));
}

/* A call to a Lua function the trace does not inline (one with a loop,
 * closures, or too long): the trace makes its frame as the interpreter's
 * CALL does (PUSHF) and records on in it. Its loops link to their traces
 * (a root trace waits until they have one), its return drops the frame
 * again (rec_popf), and exits inside it resume there. */
static bool rec_callf(Recorder *R, const Instruction *pc, int a, int nargs,
                      int nres) {
  const TValue *f = R->ci->func + 1 + a;
  if (R->ninl || R->entry || R->head_frames || nargs < 0 ||
      R->npush >= JIT_MAX_PUSH || !ttisLclosure(f) ||
      !G(R->L)->jit->opts.callf)
    return false;
  Proto *np = clLvalue(f)->p;
  const ProtoJit *npj = np->jitdata;
  if (np->is_vararg || np == R->p ||
      (npj && (npj->recursive || npj->nopush)) ||
      SL(a) + 1 + np->maxstacksize + EXTRA_STACK >= 4 * IR_MAX_SLOTS)
    return false;
  if (!add_dep(R, np))
    return false;
  IRRef fr = get(R, pc, a, f);
  IRIns in = mk(IR_GFUNCP, 0, fr, 0);
  in.k = (uint64_t)(uintptr_t)np;
  guard_in(R, pc, in);
  memop(R, pc, UOP_G_STACK, 0,
        (uint64_t)16 * (uint64_t)(SL(a) + 1 + np->maxstacksize + EXTRA_STACK), 0,
        NULL, 0, 0, 0);
  for (int j = nargs; j < np->numparams; j++) /* missing arguments */
    set(R, a + 1 + j, ir_kpri(&R->B, TAG_NIL));
  if (R->why[0])
    return false;
  flush_all(R); /* the callee reads its arguments from memory */
  memop(R, pc, UOP_PUSHF, a, (uint64_t)(uintptr_t)(pc + 1),
        (uint64_t)(uint16_t)(int16_t)nres | ((uint64_t)np->maxstacksize << 16),
        NULL, 0, 0, 0);
  frame_switch(R);
  R->p = np;
  R->ci_pending = true; /* the interpreter makes the CallInfo next */
  R->npush++;
  return true;
}

/* A return of n values from register ra of the trace's frame (the RETURN
 * at pc) to the Lua function that called it: true when the trace drops
 * the frame and goes on in the caller. The caller is the same function
 * (recursion), a function whose call made the frame (rec_callf), or, in a
 * side trace, whatever called the loop's function: the guard on the
 * caller's resume pc tells which. */
static bool rec_popf(Recorder *R, const Instruction *pc, int ra, int n) {
  CallInfo *ci = R->ci;
  CallInfo *prev = ci->previous;
  /* (a vararg function's return puts its function back below its extra
   * arguments first: nothing the caller sees; POPF goes by prev->func) */
  if (R->ninl || R->head_frames || n < 0 ||
      (ci->callstatus & (CIST_FRESH | CIST_C)) || !prev || !isLua(prev) ||
      !ttisLclosure(prev->func) || !nothing_to_tbc(R->L, ci->func + 1))
    return false;
  /* locals captured by closures: POPFC closes their upvalues */
  bool upv = !nothing_to_close(R->L, ci->func + 1);
  Proto *cp = clLvalue(prev->func)->p;
  bool same = cp == R->p;
  if (!same && !(R->npush > 0 || (R->parent && G(R->L)->jit->opts.callf)))
    return false;
  const Instruction *ret = prev->savedpc;
  if (ret <= cp->code || ret >= cp->code + cp->sizecode)
    return false;
  Instruction call = ret[-1];
  if (GET_OPCODE(call) != OP_CALL || ci->nresults != GETARG_C(call) - 1)
    return false;
  /* C == 0: all of them, up to a top the next instruction takes */
  bool multi = GETARG_C(call) == 0;
  int nres = multi ? n : GETARG_C(call) - 1, ca = GETARG_A(call);
  if (ca + nres >= IR_MAX_SLOTS - 8 || ra + n >= IR_MAX_SLOTS - 8)
    return false;
  if (!same && !add_dep(R, cp))
    return false;
  IRRef res[256];
  const TValue *cbase = ci->func + 1;
  for (int j = 0; j < nres; j++)
    res[j] = j < n ? get(R, pc, ra + j, cbase + ra + j)
                   : ir_kpri(&R->B, TAG_NIL);
  if (R->why[0])
    return false;
  if (upv) /* the upvalues take their values from the slots */
    flush_all(R);
  memop(R, pc, upv ? UOP_POPFC : UOP_POPF, 0, (uint64_t)(uintptr_t)ret, 0,
        NULL, 0, 0, 0);
  frame_switch(R);
  if (same)
    R->recursed = true;
  else if (R->npush > 0)
    R->npush--;
  R->ci = prev;
  R->p = cp;
  for (int j = 0; j < nres; j++)
    set(R, ca + j, res[j]);
  if (multi) {
    R->mtop = ca + nres;
    R->mtop_pc = ret;
  }
  return true;
}

static bool rec_one(Recorder *R, const Instruction *pc, CallInfo *ci,
                    Proto *p) {
  if (++R->ninsn > JIT_MAX_INSNS || R->B.n + 64 > IR_MAX_INS)
    return abortf(R, "trace too long");

  IRBuf *B = &R->B;
  StkId base = ci->func + 1;
  const TValue *k = p->k;
  Instruction i = *pc;
  OpCode op = GET_OPCODE(i);
  int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  TValue *ra = base + a;

  switch (op) {
  case OP_MOVE:
    set(R, a, get(R, pc, b, base + b));
    return true;
  case OP_LOADI:
    set(R, a, ir_kint(B, GETARG_sBx(i)));
    return true;
  case OP_LOADF:
    set(R, a, ir_knum(B, (double)GETARG_sBx(i)));
    return true;
  case OP_LOADK:
    set(R, a, kvalue(R, k + GETARG_Bx(i)));
    return true;
  case OP_LOADFALSE:
  case OP_LFALSESKIP:
    set(R, a, ir_kpri(B, TAG_FALSE));
    return true;
  case OP_LOADTRUE:
    set(R, a, ir_kpri(B, TAG_TRUE));
    return true;
  case OP_LOADNIL:
    for (int j = 0; j <= b; j++)
      set(R, a + j, ir_kpri(B, TAG_NIL));
    return true;
  case OP_GETUPVAL: {
    const TValue *uv = clLvalue(ci->func)->upvals[b]->v;
    int us = upslot(R, pc, ci, b);
    if (us >= 0) { /* one of the trace's slots */
      int off = R->off;
      R->off = 0;
      IRRef v = get(R, pc, us, uv);
      R->off = off;
      set(R, a, v);
      return true;
    }
    IRIns in = mk(IR_ULOAD, vtag(uv), 0, 0);
    in.k = upk(R, b);
    in.k3 = upframe(R);
    set_load(R, a, guard_in(R, pc, in));
    return true;
  }
  case OP_SETUPVAL: {
    int us = upslot(R, pc, ci, b);
    if (us >= 0) { /* one of the trace's slots */
      IRRef v = get(R, pc, a, ra);
      int off = R->off;
      R->off = 0;
      set(R, us, v);
      R->off = off;
      return true;
    }
    const int rd[] = {a};
    memop(R, NULL, UOP_SETUPVAL, a, upk(R, b), 0, rd, 1, 0, 0);
    memop_barrier(R);
    return true;
  }
  case OP_GETTABLE:
    rec_gettable(R, pc, a, b, c, base + b, base + c);
    return true;
  case OP_GETI: {
    TValue key;
    setivalue(&key, c);
    rec_gettable(R, pc, a, b, -1, base + b, &key);
    return true;
  }
  case OP_SETTABLE:
    rec_settable(R, pc, a, b, c, ra, base + b, base + c);
    return true;
  case OP_SETI: {
    TValue key;
    setivalue(&key, b);
    rec_settable(R, pc, a, -1, c, ra, &key, base + c);
    return true;
  }
  case OP_GETFIELD:
    rec_getfield(R, pc, a, b, base + b, k + c);
    return true;
  case OP_SETFIELD:
    rec_setfield(R, pc, a, ra, k + b, c, base + c);
    return true;
  case OP_GETTABUP: {
    const TValue *up = clLvalue(ci->func)->upvals[b]->v;
    int us = upslot(R, pc, ci, b);
    if (us >= 0) { /* a table in one of the trace's slots */
      int off = R->off;
      R->off = 0;
      rec_getfield(R, pc, off + a, us, up, k + c);
      R->off = off;
      return true;
    }
    if (plain_table(up) && ttisshrstring(k + c)) {
      IRIns in = mk(IR_ULOAD, TAG_TABLE, 0, 0);
      in.k = upk(R, b);
      in.k3 = upframe(R);
      IRRef t = guard_in(R, pc, in);
      guard2(R, pc, IR_GNOMT, t, 0);
      int64_t n = node_of(hvalue(up), tsvalue(k + c));
      if (n >= 0 && n <= INT32_MAX) {
        guard_hkey(R, pc, t, n, tsvalue(k + c), 0);
        set_load(R, a, hload(R, pc, t, n, gval(&hvalue(up)->node[n])));
      } else {
        memop(R, NULL, UOP_GETTABUP_S, a, upk(R, b),
              (uint64_t)(uintptr_t)tsvalue(k + c), NULL, 0, a, 1);
      }
    } else {
      emit_exec(R, pc);
    }
    return true;
  }
  case OP_SELF:
    if (!ttisstring(base + b))
      rec_self(R, pc, a, b, base + b, k + c);
    else if (!recl_self(R, pc, a, b, base + b, k + c)) /* record_lib.c */
      emit_exec(R, pc);
    return true;
  case OP_LEN:
    if (plain_table(base + b)) { /* a table without metatable: raw length */
      get_plain(R, pc, b, base + b);
      const int rd[] = {b};
      memop(R, NULL, UOP_LEN_T, a, SD(b), 0, rd, 1, a, 1);
      know(R, a, TAG_INT);
    } else if (!recl_len(R, pc, a, b, base + b)) {
      emit_exec(R, pc);
    }
    return true;
  case OP_CONCAT:
    if (!recl_concat(R, pc, a, b, ra))
      emit_exec(R, pc);
    return true;
  case OP_VARARG: {
    /* the frame's extra arguments sit below its function (VARARGPREP) */
    int n = c - 1;
    bool multi = n < 0;
    if (multi)
      n = ci->nextraargs;
    if (!p->is_vararg || n > 200 || SL(a) + n >= IR_MAX_SLOTS - 8)
      return stop_at(R, pc, "NYI: bytecode");
    if (multi) /* the interpreter grows the stack for them */
      memop(R, pc, UOP_G_STACK, 0,
            (uint64_t)16 * (uint64_t)(SL(a) + n + EXTRA_STACK), 0, NULL, 0, 0, 0);
    memop(R, multi ? pc : NULL, UOP_VARARG_T, a,
          (uint64_t)n | (multi ? (uint64_t)1 << 16 : 0), 0, NULL, 0, a, n);
    if (multi) {
      R->mtop = SL(a) + n;
      R->mtop_pc = pc + 1;
    }
    return true;
  }
  case OP_NEWTABLE: {
    /* a helper that exits when a collection is due (the interpreter
     * collects there): a fresh table, nothing else touched */
    unsigned int asize = b < 128 ? (unsigned int)b : 1u << (b - 128);
    unsigned int hsize = c < 128 ? (unsigned int)c : 1u << (c - 128);
    memop(R, pc, UOP_NEWTAB, a, (uint64_t)asize | (uint64_t)hsize << 32, 0,
          NULL, 0, a, 1);
    know(R, a, TAG_TABLE);
    return true;
  }
  case OP_SETTABUP: case OP_CLOSURE:
    emit_exec(R, pc);
    return true;
  case OP_SETLIST: {
    /* B values, or (B == 0) those up to the top a call or VARARG left */
    int n = b != 0 ? b : mtop_args(R, pc, a + 1);
    if (n < 0 || n > 200 || !ttistable(ra)) /* values up to an unknown top */
      return stop_at(R, pc, "NYI: bytecode");
    int rd[201];
    get(R, pc, a, ra);
    for (int j = 0; j <= n; j++)
      rd[j] = a + j;
    memop(R, NULL, UOP_SETLIST_T, a, (uint64_t)n, (uint64_t)GETARG_Ax(pc[1]), rd,
          n + 1, 0, 0);
    memop_barrier(R);
    return true;
  }
  case OP_ADDI: {
    TValue imm;
    setivalue(&imm, GETARG_sC(i));
    return rec_arith(R, pc, op, a, b, -1, base + b, &imm);
  }
  case OP_SUBI: { /* x + (-i), as the interpreter computes it */
    TValue imm;
    setivalue(&imm, -GETARG_sC(i));
    return rec_arith(R, pc, OP_ADDI, a, b, -1, base + b, &imm);
  }
  case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK:
  case OP_DIVK: case OP_IDIVK: case OP_BANDK: case OP_BORK: case OP_BXORK:
  case OP_SHLK: case OP_SHRK:
  case OP_ADDKL: case OP_MULKL: /* constant on the left: + and * commute */
    return rec_arith(R, pc, op, a, b, -1, base + b, k + c);
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_MOD: case OP_POW:
  case OP_DIV: case OP_IDIV: case OP_BAND: case OP_BOR: case OP_BXOR:
  case OP_SHL: case OP_SHR:
    return rec_arith(R, pc, op, a, b, c, base + b, base + c);
  case OP_UNM: {
    const TValue *vb = base + b;
    if (isnum(vb))
      set(R, a, emit2(R, IR_UNM, vb->tt, get(R, pc, b, vb), 0));
    else
      emit_exec(R, pc);
    return true;
  }
  case OP_BNOT:
    if (ttisinteger(base + b))
      set(R, a, emit2(R, IR_BNOT, TAG_INT, get(R, pc, b, base + b), 0));
    else
      emit_exec(R, pc);
    return true;
  case OP_NOT: {
    const TValue *vb = base + b;
    get(R, pc, b, vb); /* the type decides */
    set(R, a, ir_kpri(B, l_isfalse(vb) ? TAG_TRUE : TAG_FALSE));
    return true;
  }
  case OP_JMP: {
    const Instruction *dest = pc + 1 + GETARG_sJ(i);
    if (at_head(R, dest)) {
      close_loop(R);
      return false;
    }
    if (dest < pc)
      return cross_back(R, pc, dest);
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
  case OP_TESTSET: {
    int t = op == OP_TEST ? a : b;
    const TValue *vt = base + t;
    bool f = l_isfalse(vt);
    if (R->sref[SL(t)] || (SLOTINFO(t).known && (is_pri(SLOTINFO(t).tag) ||
                                                 SLOTINFO(t).tag == vtag(vt)))) {
      get(R, pc, t, vt); /* the type decides */
    } else {
      const int rd[] = {t};
      memop(R, pc, f ? UOP_G_FALSY : UOP_G_TRUTHY, t, 0, 0, rd, 1, 0, 0);
    }
    if (op == OP_TESTSET && (int)f != c) /* the interpreter copies */
      set(R, a, get(R, pc, b, vt));
    return true;
  }
  case OP_CALL: {
    /* B == 0: the arguments go up to the top the call or VARARG right
     * before left (known here); C == 0: all results, which only an
     * inlined call gives (as a new top for the next instruction) */
    int nargs = b != 0 ? b - 1 : mtop_args(R, pc, a + 1);
    if (ttislcf(ra) && jit_is_yield(fvalue(ra)))
      return rec_yield(R, pc);
    if (nargs >= 0 && rec_select(R, pc, a, nargs, c - 1))
      return true;
    if (R->why[0])
      return false;
    if (b != 0 && c != 0 && (rec_builtin(R, pc, a, b - 1, c - 1) ||
                             recl_call(R, pc, a, b - 1, c - 1)))
      return true;
    if (R->why[0])
      return false;
    if (nargs >= 0 && nargs < 250 && inline_call(R, pc, a, nargs, c - 1))
      return true;
    if (R->why[0])
      return false;
    if (rec_pushf(R, pc, a, nargs, c - 1))
      return false; /* the trace ends: looped or linked */
    if (R->why[0])
      return false;
    if (rec_callf(R, pc, a, nargs, c - 1))
      return true;
    if (R->why[0])
      return false;
    if (R->ninl && pushable(R, base + a))
      /* inside an inlined call, this call would run in the interpreter
       * (EXEC): record the inlined function in a frame of its own next
       * time, so that this call gets one too */
      return inline_abort(R, pc, "calls a function it cannot inline");
    if (b == 0 || c == 0)
      return stop_at(R, pc, b == 0 ? "variable number of arguments:"
                                   : "variable number of results:");
    emit_exec(R, pc);
    return true;
  }
  case OP_TFORPREP: {
    /* The to-be-closed variable (nothing to do for nil or false: a guard),
     * then the first call: the interpreter runs TFORCALL straight from
     * TFORPREP, without dispatching it. */
    const Instruction *call = pc + 1 + GETARG_Bx(i);
    if (l_isfalse(ra + 3))
      get(R, pc, a + 3, ra + 3);
    else
      emit_exec(R, pc);
    if (R->why[0])
      return false;
    if (ttisLclosure(ra) ? rec_tforcall(R, call, a, GETARG_C(*call))
                         : rec_tfor_c(R, call, a, GETARG_C(*call)))
      return true;
    if (R->why[0])
      return false;
    emit_exec(R, call);
    return true;
  }
  case OP_CLOSE:
    /* Nothing open from A up when recorded (a generic for's end): a guard
     * that it stays so; else the interpreter closes them. */
    if (nothing_to_close(R->L, ra)) {
      memop(R, pc, UOP_G_NOCLOSE, a, 0, 0, NULL, 0, 0, 0);
      return true;
    }
    return stop_at(R, pc, "closes upvalues or variables:");
  case OP_TFORCALL:
    if (ttisLclosure(ra) ? rec_tforcall(R, pc, a, c) : rec_tfor_c(R, pc, a, c))
      return true;
    if (R->why[0])
      return false;
    emit_exec(R, pc);
    return true;
  case OP_TFORLOOP: {
    const Instruction *dest = pc + 1 - GETARG_Bx(i);
    if (ttisnil(ra + 4)) { /* the loop ends here (even at the trace's
                              * start: the way back was not taken) */
      get(R, pc, a + 4, ra + 4);
      return true;
    }
    if (!at_head(R, dest) && !cross_back(R, pc, dest))
      return false;
    set(R, a + 2, get(R, pc, a + 4, ra + 4));
    if (!at_head(R, dest))
      return true; /* on to the head; rec_arrive decides there */
    close_loop(R);
    return false;
  }
  case OP_FORLOOP: {
    const Instruction *dest = pc + 1 - GETARG_Bx(i);
    bool isint = ttisinteger(ra + 2);
    if (!isint && !(ttisfloat(ra) && ttisfloat(ra + 1) && ttisfloat(ra + 2)))
      return abortf(R, "for loop of mixed types");
    if (at_head(R, dest)) {
      /* Closes the loop even when this was its last iteration: the path
       * through the body was recorded. */
      rec_forloop_close(R, pc, a, ra);
      return false;
    }
    bool more;
    if (isint) {
      more = (uint64_t)ivalue(ra + 1) != 0;
    } else {
      double step = fltvalue(ra + 2), idx = fltvalue(ra) + step;
      more = step > 0 ? idx <= fltvalue(ra + 1) : fltvalue(ra + 1) <= idx;
    }
    get(R, pc, a + 2, ra + 2); /* the loop's kind */
    const int rd[] = {a, a + 1, a + 2, a + 3};
    if (!more) {
      memop(R, pc, isint ? UOP_FOREND_I : UOP_FOREND_F, a, 0, 0, rd, 3, 0, 0);
      return true;
    }
    if (!cross_back(R, pc, dest))
      return false;
    /* Step and go on to the head, the next instruction; rec_arrive decides
     * there. */
    for (int j = 0; j < 4; j++)
      mem_read(R, SL(a + j));
    IRIns in = mk(IR_MEMOP, 0, 0, 0);
    in.k2 = isint ? UOP_FORLOOP_I : UOP_FORLOOP_F;
    in.s = (uint16_t)SL(a);
    in.mode = IRM_NEXT;
    in.snap = snap(R, pc, false);
    ir_raw(B, &in);
    for (int j = 0; j < 4; j++)
      mem_write(R, SL(a + j));
    know(R, a + 2, isint ? TAG_INT : TAG_FLT);
    know(R, a + 3, isint ? TAG_INT : TAG_FLT);
    if (isint)
      know(R, a + 1, TAG_INT);
    else
      know(R, a + 1, TAG_FLT), know(R, a, TAG_FLT);
    if (isint)
      know(R, a, TAG_INT);
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
    for (int j = 0; j < 3; j++)
      get(R, pc, a + j, ra + j);
    const int rd[] = {a, a + 1, a + 2};
    if (skip) { /* the interpreter jumps past the loop: so does the trace */
      memop(R, pc, ints ? UOP_FORSKIP_I : UOP_FORSKIP_F, a, 0, 0, rd, 3, 0, 0);
      return true;
    }
    memop(R, pc, ints ? UOP_FORPREP_I : UOP_FORPREP_F, a, 0, 0, rd, 3, a, 4);
    uint8_t tag = ints ? TAG_INT : TAG_FLT;
    know(R, a + 3, tag);
    know(R, a + 2, tag);
    know(R, a + 1, ints ? TAG_INT : TAG_FLT);
    know(R, a, tag);
    /* The interpreter skips the loop or raises an error: follow it only
     * through the loop's body. */
    return true;
  }
  case OP_RETURN: case OP_RETURN0: case OP_RETURN1: {
    int n = op == OP_RETURN0 ? 0 : op == OP_RETURN1 ? 1 : b - 1;
    if (n < 0)
      n = mtop_args(R, pc, a);
    if ((R->entry || R->parent || R->npush > 0) && rec_popf(R, pc, a, n))
      return true;
    if (R->why[0])
      return false;
    if (R->entry && !R->parent && !R->frames_moved &&
        G(R->L)->jit->entry_rec_only) {
      R->probe_abort = true;
      return abortf(R, "no recursion (function-entry traces: -Ohotcall)");
    }
    return stop_at(R, pc, "leaves the function:");
  }
  case OP_TAILCALL: {
    int nargs = b != 0 ? b - 1 : mtop_args(R, pc, a + 1);
    if (rec_tailf(R, pc, a, nargs))
      return false; /* the trace ends: looped or linked */
    if (R->why[0])
      return false;
    return stop_at(R, pc, "leaves the function:");
  }
  default:
    return stop_at(R, pc, "NYI: bytecode");
  }
}
