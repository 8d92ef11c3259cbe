/*
 * test_ir.c -- the trace IR's passes on hand-built IR: constant folding and
 * simplification with Lua 5.4's semantics (ir_fold.c), CSE with its memory
 * epochs and store-to-load forwarding (ir.c), dead-code elimination
 * (ir_dce.c), the implied GHKEY size checks (ir.c: the hkey rule) and
 * linear-scan register allocation with its spill choice (ir_ra.c).
 *
 * Every expectation names the exact ref or constant a pass must produce, so
 * a broken rule (a wrong result, a rule that no longer fires, or one that
 * fires where it must not) fails a test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/ir.h"

/* -- A buffer ---------------------------------------------------------------- */

static IRIns ins_buf[IR_MAX_INS];
static Snapshot snap_buf[IR_MAX_SNAP];
static SnapEntry ent_buf[IR_MAX_SNAPENT];
static uint16_t tmp_buf[IR_MAX_INS];
static SnapEntry tmpent_buf[IR_MAX_SNAPENT];
static IRBuf B;
static IRAlloc A;

static void reset_opts(bool fold, bool cse) {
  memset(&B, 0, sizeof B);
  B.ins = ins_buf;
  B.snap = snap_buf;
  B.snapent = ent_buf;
  B.tmp = tmp_buf;
  B.tmpent = tmpent_buf;
  ir_reset(&B);
  B.opt.fold = fold;
  B.opt.cse = cse;
  B.opt.loop = true;
  B.opt.dce = true;
}

static void reset(void) { reset_opts(true, true); }

static IRRef emit(uint8_t op, uint8_t tag, IRRef a, IRRef b) {
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = op;
  in.tag = tag;
  in.a = a;
  in.b = b;
  IRRef r = ir_emit(&B, &in);
  assert_true(r != 0);
  return r;
}

static IRRef emit3(uint8_t op, uint8_t tag, IRRef a, IRRef b, IRRef c,
                   uint64_t k) {
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = op;
  in.tag = tag;
  in.a = a;
  in.b = b;
  in.c = c;
  in.k = k;
  IRRef r = ir_emit(&B, &in);
  assert_true(r != 0);
  return r;
}

/* A slot load: an opaque value of the given tag (never CSE'd or folded). */
static IRRef sload(uint16_t slot, uint8_t tag) {
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = IR_SLOAD;
  in.tag = tag;
  in.s = slot;
  in.mode = IRM_NOGUARD;
  IRRef r = ir_emit(&B, &in);
  assert_true(r != 0);
  return r;
}

static void assert_kint(IRRef r, int64_t v) {
  assert_true(r != 0);
  if (B.ins[r].op != IR_KINT)
    fail_msg("ref %u is %s, not KINT %lld", r, ir_opname(B.ins[r].op),
             (long long)v);
  if ((int64_t)B.ins[r].k != v)
    fail_msg("KINT %lld, want %lld", (long long)(int64_t)B.ins[r].k,
             (long long)v);
  assert_int_equal(B.ins[r].tag, TAG_INT);
}

static void assert_knum_bits(IRRef r, double v) {
  assert_true(r != 0);
  if (B.ins[r].op != IR_KNUM)
    fail_msg("ref %u is %s, not KNUM %g", r, ir_opname(B.ins[r].op), v);
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  if (B.ins[r].k != u)
    fail_msg("KNUM %.17g, want %.17g", ir_knumval(&B, r), v);
}

/* r is a new, unfolded instruction of op with operands a, b. */
static void assert_ins(IRRef r, uint8_t op, IRRef a, IRRef b) {
  assert_true(r != 0);
  if (B.ins[r].op != op || B.ins[r].a != a || B.ins[r].b != b)
    fail_msg("ref %u is %s %u %u, want %s %u %u", r, ir_opname(B.ins[r].op),
             B.ins[r].a, B.ins[r].b, ir_opname(op), a, b);
}

static bool is_dropped(IRRef r) {
  return B.ins[r].op == IR_KPRI && B.ins[r].tag == TAG_TRUE;
}

/* r is a guard on two constants that does not hold (kept: it exits). */
static void assert_false_guard(IRRef r) {
  const IRIns *x = &B.ins[r];
  if (x->op < IR_LT || x->op > IR_NE || !ir_isk(&B, x->a) || !ir_isk(&B, x->b))
    fail_msg("ref %u is %s, not a guard on constants", r, ir_opname(x->op));
  const IRIns *p = &B.ins[x->a], *q = &B.ins[x->b];
  bool res;
  if (p->op == IR_KNUM) {
    double a = ir_knumval(&B, x->a), b = ir_knumval(&B, x->b);
    res = x->op == IR_LT ? a < b : x->op == IR_LE ? a <= b : x->op == IR_GT ? a > b
        : x->op == IR_GE ? a >= b : x->op == IR_EQ ? a == b : a != b;
  } else {
    int64_t a = (int64_t)p->k, b = (int64_t)q->k;
    res = x->op == IR_LT ? a < b : x->op == IR_LE ? a <= b : x->op == IR_GT ? a > b
        : x->op == IR_GE ? a >= b : x->op == IR_EQ ? a == b : a != b;
  }
  if (res)
    fail_msg("ref %u: %s on constants holds, yet it was kept", r,
             ir_opname(x->op));
}

/* Fold op on two integer constants. */
static IRRef kk(uint8_t op, int64_t a, int64_t b) {
  return emit(op, TAG_INT, ir_kint(&B, a), ir_kint(&B, b));
}
static IRRef nn(uint8_t op, double a, double b) {
  return emit(op, TAG_FLT, ir_knum(&B, a), ir_knum(&B, b));
}

/* -- Constant folding -------------------------------------------------------- */

static void fold_integer_arithmetic_wraps(void **state) {
  (void)state;
  reset();
  assert_kint(kk(IR_ADD, 3, 4), 7);
  assert_kint(kk(IR_ADD, INT64_MAX, 1), INT64_MIN);
  assert_kint(kk(IR_SUB, INT64_MIN, 1), INT64_MAX);
  assert_kint(kk(IR_SUB, 5, 9), -4);
  assert_kint(kk(IR_MUL, INT64_MAX, 2), -2);
  assert_kint(kk(IR_MUL, -6, 7), -42);
  assert_kint(emit(IR_UNM, TAG_INT, ir_kint(&B, INT64_MIN), 0), INT64_MIN);
  assert_kint(emit(IR_UNM, TAG_INT, ir_kint(&B, 5), 0), -5);
  assert_kint(emit(IR_BNOT, TAG_INT, ir_kint(&B, 0), 0), -1);
  assert_kint(kk(IR_BAND, 0xf0f, 0x0ff), 0x00f);
  assert_kint(kk(IR_BOR, 0xf00, 0x00f), 0xf0f);
  assert_kint(kk(IR_BXOR, 0xff, 0x0f), 0xf0);
  assert_kint(kk(IR_MIN, -3, 2), -3);
  assert_kint(kk(IR_MIN, 7, 2), 2);
  assert_kint(kk(IR_MAX, -3, 2), 2);
  assert_kint(kk(IR_MAX, INT64_MIN, INT64_MAX), INT64_MAX);
}

static void fold_floor_division_and_modulo(void **state) {
  (void)state;
  reset();
  assert_kint(kk(IR_IDIV, 7, 2), 3);
  assert_kint(kk(IR_IDIV, -7, 2), -4);
  assert_kint(kk(IR_IDIV, 7, -2), -4);
  assert_kint(kk(IR_IDIV, -7, -2), 3);
  assert_kint(kk(IR_IDIV, -8, 2), -4);
  assert_kint(kk(IR_IDIV, INT64_MIN, -1), INT64_MIN);
  assert_kint(kk(IR_MOD, 7, 3), 1);
  assert_kint(kk(IR_MOD, -7, 3), 2);
  assert_kint(kk(IR_MOD, 7, -3), -2);
  assert_kint(kk(IR_MOD, -7, -3), -1);
  assert_kint(kk(IR_MOD, -6, 3), 0);
  assert_kint(kk(IR_MOD, INT64_MIN, -1), 0);
  /* by zero: an error at run time, never folded */
  IRRef k7 = ir_kint(&B, 7), k0 = ir_kint(&B, 0);
  assert_ins(emit(IR_IDIV, TAG_INT, k7, k0), IR_IDIV, k7, k0);
  assert_ins(emit(IR_MOD, TAG_INT, k7, k0), IR_MOD, k7, k0);
}

static void fold_shifts_saturate_and_reverse(void **state) {
  (void)state;
  reset();
  assert_kint(kk(IR_SHL, 1, 3), 8);
  assert_kint(kk(IR_SHL, 1, 63), INT64_MIN);
  assert_kint(kk(IR_SHL, 1, 64), 0);
  assert_kint(kk(IR_SHL, -1, 100), 0);
  assert_kint(kk(IR_SHL, 8, -2), 2);   /* negative: shifts right */
  assert_kint(kk(IR_SHL, -1, -1), INT64_MAX); /* logical */
  assert_kint(kk(IR_SHL, 5, -64), 0);
  assert_kint(kk(IR_SHR, 8, 2), 2);
  assert_kint(kk(IR_SHR, -1, 1), INT64_MAX);
  assert_kint(kk(IR_SHR, -1, 63), 1);
  assert_kint(kk(IR_SHR, -1, 64), 0);
  assert_kint(kk(IR_SHR, 3, -2), 12); /* negative: shifts left */
  assert_kint(kk(IR_SHR, 1, -63), INT64_MIN);
  assert_kint(kk(IR_SHR, 1, -64), 0);
  assert_kint(kk(IR_SHR, 1, INT64_MIN), 0);
  assert_kint(kk(IR_SHL, 1, INT64_MIN), 0);
}

static void fold_float_arithmetic(void **state) {
  (void)state;
  reset();
  assert_knum_bits(nn(IR_ADD, 0.1, 0.2), 0.1 + 0.2);
  assert_knum_bits(nn(IR_SUB, 1.0, 1.0), 0.0);
  assert_knum_bits(nn(IR_MUL, -2.0, 0.0), -0.0);
  assert_knum_bits(nn(IR_DIV, 1.0, 0.0), INFINITY);
  assert_knum_bits(nn(IR_DIV, -1.0, 0.0), -INFINITY);
  assert_knum_bits(nn(IR_DIV, 1.0, 3.0), 1.0 / 3.0);
  assert_knum_bits(nn(IR_ADD, -0.0, -0.0), -0.0);
  assert_knum_bits(nn(IR_ADD, -0.0, 0.0), 0.0);
  assert_knum_bits(emit(IR_UNM, TAG_FLT, ir_knum(&B, 0.0), 0), -0.0);
  assert_knum_bits(emit(IR_UNM, TAG_FLT, ir_knum(&B, -2.5), 0), 2.5);
  assert_knum_bits(emit(IR_CONV, TAG_FLT, ir_kint(&B, -3), 0), -3.0);
  assert_knum_bits(emit(IR_CONV, TAG_FLT, ir_kint(&B, INT64_MAX), 0),
                   9223372036854775807.0);
  /* float 0/0 folds to a NaN constant: compare by NaN-ness */
  IRRef nan = nn(IR_DIV, 0.0, 0.0);
  assert_int_equal(B.ins[nan].op, IR_KNUM);
  assert_true(isnan(ir_knumval(&B, nan)));
  /* float MOD, IDIV and POW stay (libm semantics at run time) */
  IRRef a = ir_knum(&B, 5.5), b = ir_knum(&B, 2.0);
  assert_ins(emit(IR_MOD, TAG_FLT, a, b), IR_MOD, a, b);
  assert_ins(emit(IR_POW, TAG_FLT, a, b), IR_POW, a, b);
  /* constants are interned: the same value is the same ref */
  assert_int_equal(ir_kint(&B, 12345), ir_kint(&B, 12345));
  assert_int_equal(ir_knum(&B, 0.5), ir_knum(&B, 0.5));
  assert_int_not_equal(ir_knum(&B, 0.0), ir_knum(&B, -0.0));
  assert_int_not_equal(ir_kint(&B, 1), ir_knum(&B, 1.0));
}

static void fold_guards_on_constants(void **state) {
  (void)state;
  reset();
  IRRef k1 = ir_kint(&B, 1), k2 = ir_kint(&B, 2);
  /* true: dropped */
  assert_true(is_dropped(emit(IR_LT, 0, k1, k2)));
  assert_true(is_dropped(emit(IR_LE, 0, k1, k1)));
  assert_true(is_dropped(emit(IR_GT, 0, k2, k1)));
  assert_true(is_dropped(emit(IR_GE, 0, k2, k2)));
  assert_true(is_dropped(emit(IR_EQ, 0, k2, k2)));
  assert_true(is_dropped(emit(IR_NE, 0, k1, k2)));
  IRRef f1 = ir_knum(&B, 1.5), f2 = ir_knum(&B, 2.5);
  assert_true(is_dropped(emit(IR_LT, 0, f1, f2)));
  assert_true(is_dropped(emit(IR_NE, 0, f1, f2)));
  static int obj1, obj2;
  IRRef g1 = ir_kgc(&B, &obj1, TAG_TABLE), g2 = ir_kgc(&B, &obj2, TAG_TABLE);
  assert_true(is_dropped(emit(IR_EQ, 0, g1, g1)));
  assert_true(is_dropped(emit(IR_NE, 0, g1, g2)));
  /* false: kept, it exits every time (the operands may be turned around,
   * the comparison stays false) */
  uint32_t n0 = B.n;
  assert_false_guard(emit(IR_LT, 0, k2, k1));
  assert_int_equal(B.n, n0 + 1);
  assert_false_guard(emit(IR_EQ, 0, k1, k2));
  assert_false_guard(emit(IR_GE, 0, f1, f2));
  assert_false_guard(emit(IR_LE, 0, k2, k1));
  assert_false_guard(emit(IR_GT, 0, f1, f2));
  assert_false_guard(emit(IR_NE, 0, k1, k1));
  assert_false_guard(emit(IR_EQ, 0, g1, g2));
  /* NaN compares false */
  IRRef fnan = ir_knum(&B, NAN);
  assert_false_guard(emit(IR_EQ, 0, fnan, fnan));
  assert_false_guard(emit(IR_LE, 0, fnan, f1));
  /* different types are not compared as constants */
  IRRef kf1 = ir_knum(&B, 1.0);
  IRRef mixed = emit(IR_EQ, 0, k1, kf1);
  assert_true(B.ins[mixed].op == IR_EQ);
  /* folding off: nothing is dropped */
  reset_opts(false, false);
  k1 = ir_kint(&B, 1), k2 = ir_kint(&B, 2);
  assert_ins(emit(IR_LT, 0, k1, k2), IR_LT, k1, k2);
  assert_ins(emit(IR_ADD, TAG_INT, k1, k2), IR_ADD, k1, k2);
}

static void fold_constants_go_right(void **state) {
  (void)state;
  reset();
  IRRef x = sload(1, TAG_INT), k = ir_kint(&B, 5);
  assert_ins(emit(IR_ADD, TAG_INT, k, x), IR_ADD, x, k);
  assert_ins(emit(IR_MUL, TAG_INT, k, x), IR_MUL, x, k);
  assert_ins(emit(IR_BAND, TAG_INT, k, x), IR_BAND, x, k);
  assert_ins(emit(IR_BOR, TAG_INT, k, x), IR_BOR, x, k);
  assert_ins(emit(IR_BXOR, TAG_INT, k, x), IR_BXOR, x, k);
  assert_ins(emit(IR_MIN, TAG_INT, k, x), IR_MIN, x, k);
  assert_ins(emit(IR_MAX, TAG_INT, k, x), IR_MAX, x, k);
  /* not commutative: stays */
  assert_ins(emit(IR_SUB, TAG_INT, k, x), IR_SUB, k, x);
  assert_ins(emit(IR_SHL, TAG_INT, k, x), IR_SHL, k, x);
  /* comparisons turn around */
  assert_ins(emit(IR_LT, 0, k, x), IR_GT, x, k);
  assert_ins(emit(IR_LE, 0, k, x), IR_GE, x, k);
  assert_ins(emit(IR_GT, 0, k, x), IR_LT, x, k);
  assert_ins(emit(IR_GE, 0, k, x), IR_LE, x, k);
  assert_ins(emit(IR_EQ, 0, k, x), IR_EQ, x, k);
  assert_ins(emit(IR_NE, 0, k, x), IR_NE, x, k);
  IRRef y = sload(2, TAG_FLT), kf = ir_knum(&B, 0.5);
  assert_ins(emit(IR_ADD, TAG_FLT, kf, y), IR_ADD, y, kf);
  assert_ins(emit(IR_LT, 0, kf, y), IR_GT, y, kf);
  /* and K op x then meets the x op K rules: 1 * x is x */
  assert_int_equal(emit(IR_MUL, TAG_INT, ir_kint(&B, 1), x), x);
  assert_int_equal(emit(IR_ADD, TAG_INT, ir_kint(&B, 0), x), x);
}

static void fold_integer_identities(void **state) {
  (void)state;
  reset();
  IRRef x = sload(1, TAG_INT), y = sload(2, TAG_INT);
  IRRef k0 = ir_kint(&B, 0), k1 = ir_kint(&B, 1), km1 = ir_kint(&B, -1);
  assert_int_equal(emit(IR_ADD, TAG_INT, x, k0), x);
  assert_int_equal(emit(IR_SUB, TAG_INT, x, k0), x);
  assert_int_equal(emit(IR_BOR, TAG_INT, x, k0), x);
  assert_int_equal(emit(IR_BXOR, TAG_INT, x, k0), x);
  assert_int_equal(emit(IR_SHL, TAG_INT, x, k0), x);
  assert_int_equal(emit(IR_SHR, TAG_INT, x, k0), x);
  assert_int_equal(emit(IR_MUL, TAG_INT, x, k1), x);
  assert_kint(emit(IR_MUL, TAG_INT, x, k0), 0);
  assert_int_equal(emit(IR_IDIV, TAG_INT, x, k1), x);
  assert_int_equal(emit(IR_BAND, TAG_INT, x, km1), x);
  assert_kint(emit(IR_BAND, TAG_INT, x, k0), 0);
  /* x * 2 -> x + x */
  assert_ins(emit(IR_MUL, TAG_INT, x, ir_kint(&B, 2)), IR_ADD, x, x);
  /* x op x */
  assert_kint(emit(IR_SUB, TAG_INT, x, x), 0);
  assert_kint(emit(IR_BXOR, TAG_INT, x, x), 0);
  assert_int_equal(emit(IR_BAND, TAG_INT, x, x), x);
  assert_int_equal(emit(IR_BOR, TAG_INT, x, x), x);
  assert_int_equal(emit(IR_MIN, TAG_INT, x, x), x);
  assert_int_equal(emit(IR_MAX, TAG_INT, x, x), x);
  /* -(-x), ~~x */
  IRRef n = emit(IR_UNM, TAG_INT, x, 0);
  assert_ins(n, IR_UNM, x, 0);
  assert_int_equal(emit(IR_UNM, TAG_INT, n, 0), x);
  IRRef c = emit(IR_BNOT, TAG_INT, y, 0);
  assert_int_equal(emit(IR_BNOT, TAG_INT, c, 0), y);
  /* no identity where there is none */
  assert_ins(emit(IR_MOD, TAG_INT, x, k1), IR_MOD, x, k1);
  assert_ins(emit(IR_SUB, TAG_INT, x, y), IR_SUB, x, y);
  assert_ins(emit(IR_IDIV, TAG_INT, x, km1), IR_IDIV, x, km1);
  assert_ins(emit(IR_SHL, TAG_INT, x, k1), IR_SHL, x, k1);
}

static void fold_float_identities_keep_signs(void **state) {
  (void)state;
  reset();
  IRRef x = sload(1, TAG_FLT);
  IRRef z = ir_knum(&B, 0.0), nz = ir_knum(&B, -0.0), one = ir_knum(&B, 1.0);
  /* x + 0.0 is not x for x = -0.0: kept */
  assert_ins(emit(IR_ADD, TAG_FLT, x, z), IR_ADD, x, z);
  /* x - 0.0 is x (also -0.0 and NaN); x - (-0.0) is x + 0.0: kept */
  assert_int_equal(emit(IR_SUB, TAG_FLT, x, z), x);
  assert_ins(emit(IR_SUB, TAG_FLT, x, nz), IR_SUB, x, nz);
  /* x * 0.0 is not 0.0 (-x, inf, NaN): kept */
  assert_ins(emit(IR_MUL, TAG_FLT, x, z), IR_MUL, x, z);
  assert_int_equal(emit(IR_MUL, TAG_FLT, x, one), x);
  assert_int_equal(emit(IR_DIV, TAG_FLT, x, one), x);
  assert_ins(emit(IR_MUL, TAG_FLT, x, ir_knum(&B, 2.0)), IR_ADD, x, x);
  /* x - x is NaN for inf and NaN: kept; x <= x is false for NaN: kept */
  assert_ins(emit(IR_SUB, TAG_FLT, x, x), IR_SUB, x, x);
  assert_ins(emit(IR_LE, 0, x, x), IR_LE, x, x);
  assert_ins(emit(IR_EQ, 0, x, x), IR_EQ, x, x);
  /* -(-x) is x for floats too */
  IRRef n = emit(IR_UNM, TAG_FLT, x, 0);
  assert_int_equal(emit(IR_UNM, TAG_FLT, n, 0), x);
}

static void fold_guards_on_the_same_value(void **state) {
  (void)state;
  reset();
  IRRef x = sload(1, TAG_INT);
  assert_true(is_dropped(emit(IR_LE, 0, x, x)));
  assert_true(is_dropped(emit(IR_GE, 0, x, x)));
  assert_true(is_dropped(emit(IR_EQ, 0, x, x)));
  assert_ins(emit(IR_LT, 0, x, x), IR_LT, x, x); /* false: exits */
  assert_ins(emit(IR_NE, 0, x, x), IR_NE, x, x);
  IRRef t = sload(2, TAG_TABLE);
  assert_true(is_dropped(emit(IR_EQ, 0, t, t)));
}

/* -- CSE ------------------------------------------------------------------- */

static void cse_reuses_pure_ops_and_guards(void **state) {
  (void)state;
  reset();
  IRRef x = sload(1, TAG_INT), y = sload(2, TAG_INT);
  IRRef a = emit(IR_ADD, TAG_INT, x, y);
  assert_int_equal(emit(IR_ADD, TAG_INT, x, y), a);
  IRRef s = emit(IR_SUB, TAG_INT, x, y);
  assert_int_not_equal(s, a);
  assert_int_equal(emit(IR_SUB, TAG_INT, x, y), s);
  assert_int_not_equal(emit(IR_SUB, TAG_INT, y, x), s);
  IRRef g = emit(IR_LT, 0, x, y);
  assert_int_equal(emit(IR_LT, 0, x, y), g);
  assert_int_not_equal(emit(IR_LE, 0, x, y), g);
  /* different result tags are different values */
  IRRef fx = sload(3, TAG_FLT);
  IRRef m1 = emit(IR_FPMATH, TAG_FLT, fx, 0);
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = IR_FPMATH;
  in.tag = TAG_FLT;
  in.a = fx;
  in.k = IRFP_SIN;
  IRRef m2 = ir_emit(&B, &in);
  assert_int_not_equal(m1, m2); /* k differs: sqrt vs sin */
  assert_int_equal(ir_emit(&B, &in), m2);
  /* slot loads are never CSE'd */
  assert_int_not_equal(sload(1, TAG_INT), x);
  /* CSE off: a new instruction each time */
  reset_opts(true, false);
  x = sload(1, TAG_INT), y = sload(2, TAG_INT);
  a = emit(IR_ADD, TAG_INT, x, y);
  assert_int_not_equal(emit(IR_ADD, TAG_INT, x, y), a);
}

static void cse_loads_respect_barriers(void **state) {
  (void)state;
  reset();
  IRRef t = sload(1, TAG_TABLE), u = sload(2, TAG_TABLE);
  IRRef i = sload(3, TAG_INT), v = sload(4, TAG_INT);
  IRRef nomt = emit(IR_GNOMT, 0, t, 0);
  IRRef garr = emit(IR_GARR, 0, t, i);
  IRRef al = emit(IR_ALOAD, TAG_INT, t, i);
  IRRef hl = emit3(IR_HLOAD, TAG_INT, t, 0, 0, 3);
  assert_int_equal(emit(IR_ALOAD, TAG_INT, t, i), al);
  assert_int_equal(emit3(IR_HLOAD, TAG_INT, t, 0, 0, 3), hl);
  assert_int_not_equal(emit3(IR_HLOAD, TAG_INT, t, 0, 0, 4), hl); /* other node */
  /* a store to the array part of any table kills array loads only */
  emit3(IR_ASTORE, 0, u, i, v, 0);
  IRRef al2 = emit(IR_ALOAD, TAG_INT, t, i);
  assert_int_not_equal(al2, al);
  assert_int_equal(emit(IR_ALOAD, TAG_INT, t, i), al2);
  assert_int_equal(emit3(IR_HLOAD, TAG_INT, t, 0, 0, 3), hl);
  assert_int_equal(emit(IR_GNOMT, 0, t, 0), nomt);
  assert_int_equal(emit(IR_GARR, 0, t, i), garr);
  /* a store to the hash part kills hash loads of its node index only */
  emit3(IR_HSTORE, 0, u, v, 0, 5);
  assert_int_equal(emit3(IR_HLOAD, TAG_INT, t, 0, 0, 3), hl);
  emit3(IR_HSTORE, 0, u, v, 0, 3);
  IRRef hl2 = emit3(IR_HLOAD, TAG_INT, t, 0, 0, 3);
  assert_int_not_equal(hl2, hl);
  assert_int_equal(emit(IR_ALOAD, TAG_INT, t, i), al2);
  /* stores to both parts change no table's shape */
  assert_int_equal(emit(IR_GNOMT, 0, t, 0), nomt);
  assert_int_equal(emit(IR_GARR, 0, t, i), garr);
  /* a full barrier (a helper may resize, rehash, set a metatable) kills
   * every load and structural guard */
  ir_barrier_all(&B);
  assert_int_not_equal(emit(IR_ALOAD, TAG_INT, t, i), al2);
  assert_int_not_equal(emit3(IR_HLOAD, TAG_INT, t, 0, 0, 3), hl2);
  IRRef nomt2 = emit(IR_GNOMT, 0, t, 0);
  assert_int_not_equal(nomt2, nomt);
  assert_int_not_equal(emit(IR_GARR, 0, t, i), garr);
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = IR_ULOAD;
  in.tag = TAG_INT;
  in.k = 1;
  IRRef ul = ir_emit(&B, &in);
  assert_int_equal(ir_emit(&B, &in), ul);
  ir_barrier_all(&B);
  assert_int_not_equal(ir_emit(&B, &in), ul);
  assert_int_not_equal(emit(IR_GNOMT, 0, t, 0), nomt2);
  /* structural guards survive a hash store alone */
  nomt2 = emit(IR_GNOMT, 0, u, 0);
  emit3(IR_HSTORE, 0, u, v, 0, 5);
  assert_int_equal(emit(IR_GNOMT, 0, u, 0), nomt2);
  /* pure ops survive barriers */
  IRRef a = emit(IR_ADD, TAG_INT, i, v);
  ir_barrier_all(&B);
  assert_int_equal(emit(IR_ADD, TAG_INT, i, v), a);
}

static void cse_forwards_stores_to_loads(void **state) {
  (void)state;
  reset();
  IRRef t = sload(1, TAG_TABLE), i = sload(2, TAG_INT), j = sload(3, TAG_INT);
  IRRef v = sload(4, TAG_INT), f = sload(5, TAG_FLT);
  emit3(IR_ASTORE, 0, t, i, v, 0);
  assert_int_equal(emit(IR_ALOAD, TAG_INT, t, i), v);
  /* another index, or another type expected: a real load */
  IRRef l = emit(IR_ALOAD, TAG_INT, t, j);
  assert_int_equal(B.ins[l].op, IR_ALOAD);
  IRRef lf = emit(IR_ALOAD, TAG_FLT, t, i);
  assert_int_equal(B.ins[lf].op, IR_ALOAD);
  /* the newest store wins */
  emit3(IR_ASTORE, 0, t, i, f, 0);
  assert_int_equal(emit(IR_ALOAD, TAG_FLT, t, i), f);
  IRRef li = emit(IR_ALOAD, TAG_INT, t, i);
  assert_int_equal(B.ins[li].op, IR_ALOAD);
  /* hash part */
  emit3(IR_HSTORE, 0, t, v, 0, 7);
  assert_int_equal(emit3(IR_HLOAD, TAG_INT, t, 0, 0, 7), v);
  IRRef h8 = emit3(IR_HLOAD, TAG_INT, t, 0, 0, 8);
  assert_int_equal(B.ins[h8].op, IR_HLOAD);
  /* not across a full barrier */
  emit3(IR_HSTORE, 0, t, v, 0, 9);
  ir_barrier_all(&B);
  IRRef h9 = emit3(IR_HLOAD, TAG_INT, t, 0, 0, 9);
  assert_int_equal(B.ins[h9].op, IR_HLOAD);
  emit3(IR_ASTORE, 0, t, j, v, 0);
  ir_barrier_all(&B);
  IRRef aj = emit(IR_ALOAD, TAG_INT, t, j);
  assert_int_equal(B.ins[aj].op, IR_ALOAD);
}

/* -- DCE -------------------------------------------------------------------- */

static uint16_t add_snap(const SnapEntry *e, uint16_t n, IRRef at) {
  Snapshot *s = &B.snap[B.nsnap];
  s->pc = NULL;
  s->start = B.nsnapent;
  s->n = n;
  s->exit = (uint16_t)B.nsnap;
  s->ref = at;
  s->loopvals = 0;
  memcpy(&B.snapent[B.nsnapent], e, n * sizeof *e);
  B.nsnapent += n;
  return (uint16_t)B.nsnap++;
}

static bool dead(IRRef r) { return (B.ins[r].xf & IRX_DEAD) != 0; }

static void dce_removes_unused_pure_ops_only(void **state) {
  (void)state;
  reset_opts(false, false);
  IRRef x = sload(1, TAG_INT);
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = IR_SLOAD;
  in.tag = TAG_INT;
  in.s = 2;
  in.snap = IR_NOSNAP;
  IRRef yg = ir_raw(&B, &in); /* a guarded load: its check stays */
  IRRef unused = emit(IR_ADD, TAG_INT, x, x);
  IRRef chain1 = emit(IR_MUL, TAG_INT, x, yg);
  IRRef chain2 = emit(IR_SUB, TAG_INT, chain1, x); /* unused: both dead */
  IRRef stored = emit(IR_BAND, TAG_INT, x, yg);
  IRRef ss = emit3(IR_SSTORE, 0, stored, 0, 0, 0);
  IRRef insnap = emit(IR_BOR, TAG_INT, x, yg);
  SnapEntry e[1] = {{5, insnap}};
  uint16_t sn = add_snap(e, 1, insnap);
  IRRef cmp1 = emit(IR_BXOR, TAG_INT, x, yg);
  IRRef g = emit(IR_LT, 0, cmp1, x);
  B.ins[g].snap = sn;
  IRRef z = sload(3, TAG_INT); /* unguarded and unused */
  /* a value only a dead instruction's snapshot would name stays dead */
  uint32_t n = ir_dce(&B);
  assert_true(dead(unused));
  assert_true(dead(chain1));
  assert_true(dead(chain2));
  assert_true(dead(z));
  assert_false(dead(x));
  assert_false(dead(yg));
  assert_false(dead(stored));
  assert_false(dead(ss));
  assert_false(dead(insnap)); /* a live guard's snapshot restores it */
  assert_false(dead(cmp1));
  assert_false(dead(g));
  assert_int_equal(n, 4);
  /* stores and MEMOPs are roots even when nothing uses them */
  reset_opts(false, false);
  x = sload(1, TAG_INT);
  IRRef t = sload(2, TAG_TABLE);
  IRRef v = emit(IR_ADD, TAG_INT, x, x);
  IRRef as = emit3(IR_ASTORE, 0, t, x, v, 0);
  memset(&in, 0, sizeof in);
  in.op = IR_MEMOP;
  IRRef mo = ir_raw(&B, &in);
  ir_dce(&B);
  assert_false(dead(as));
  assert_false(dead(v));
  assert_false(dead(t));
  assert_false(dead(mo));
  /* a loop-carried value keeps its back-edge value alive */
  reset_opts(false, false);
  x = sload(1, TAG_INT);
  IRRef nx = emit(IR_ADD, TAG_INT, x, ir_kint(&B, 1));
  IRRef other = emit(IR_ADD, TAG_INT, x, ir_kint(&B, 2));
  B.looped = true;
  B.ins[x].mode |= IRM_PHI;
  B.phis[0].phi = x;
  B.phis[0].val = nx;
  B.phis[0].slot = 1;
  B.nphi = 1;
  ir_dce(&B);
  assert_false(dead(x));
  assert_false(dead(nx));
  assert_true(dead(other));
}

/* -- Register allocation ---------------------------------------------------- */

#define NGPR 6
#define NFPR 6

/* Independent interval check: positions in A.order, last uses recomputed
 * from the IR (operands, snapshots of guards, the loop rules), then no two
 * values whose intervals overlap may share a register of their class. */
static void check_allocation(void) {
  static int pos[IR_MAX_INS], end[IR_MAX_INS];
  for (uint32_t r = 0; r < B.n; r++)
    pos[r] = end[r] = -1;
  for (uint32_t i = 0; i < A.norder; i++)
    pos[A.order[i]] = end[A.order[i]] = (int)i;
  for (uint32_t i = 0; i < A.norder; i++) {
    const IRIns *x = &B.ins[A.order[i]];
    IRRef ops[3] = {x->a, x->b, x->c};
    for (int k = 0; k < 3; k++)
      if (ops[k] && pos[ops[k]] >= 0 && end[ops[k]] < (int)i)
        end[ops[k]] = (int)i;
    if ((ir_opflags(x->op) & IRF_GUARD) && x->snap < B.nsnap) {
      const Snapshot *s = &B.snap[x->snap];
      for (uint32_t j = 0; j < s->n; j++) {
        IRRef q = B.snapent[s->start + j].ref;
        if (pos[q] >= 0 && end[q] < (int)i)
          end[q] = (int)i;
      }
    }
  }
  if (B.looped) {
    for (uint32_t p = 0; p < B.nphi; p++)
      end[B.phis[p].val] = (int)A.norder;
    for (uint32_t i = 0; i < A.loop_pos; i++) {
      IRRef r = A.order[i];
      if (end[r] >= (int)A.loop_pos && !(B.ins[r].mode & IRM_PHI && B.ins[r].op == IR_SLOAD))
        end[r] = (int)A.norder;
    }
  }
  for (uint32_t i = 0; i < A.norder; i++) {
    IRRef r = A.order[i];
    if (!A.cls[r])
      continue;
    assert_true(A.loc[r] != IRA_NONE);
    int nregs = (A.cls[r] == 'F' ? NFPR : NGPR) - IRA_SCRATCH;
    if (A.loc[r] >= 0 && A.loc[r] >= nregs)
      fail_msg("ref %u in register %d: a scratch register", r, A.loc[r]);
    if (A.loc[r] < 0 && -A.loc[r] - 1 >= (int)A.nspill)
      fail_msg("ref %u in spill slot %d of %u", r, -A.loc[r] - 1, A.nspill);
    for (uint32_t j = i + 1; j < A.norder; j++) {
      IRRef q = A.order[j];
      if (A.cls[q] != A.cls[r] || A.loc[q] < 0 || A.loc[q] != A.loc[r])
        continue;
      /* q starts at j > i; r must have died at j at the latest, and only
       * when q is its user taking over the register (two-address) */
      if (end[r] > (int)j ||
          (end[r] == (int)j && B.ins[q].a != r && B.ins[q].b != r &&
           B.ins[q].c != r))
        fail_msg("refs %u [%d,%d] and %u [%d,%d] share %c%d", r, pos[r],
                 end[r], q, pos[q], end[q], A.cls[r], A.loc[r]);
    }
    /* two spilled values with overlapping lives never share a slot */
    for (uint32_t j = i + 1; j < A.norder; j++) {
      IRRef q = A.order[j];
      if (A.loc[r] < 0 && A.loc[q] == A.loc[r])
        fail_msg("refs %u and %u share spill slot %d", r, q, -A.loc[r] - 1);
    }
  }
}

/* n values of one class all live at once (each used by the final sum). */
static void many_live(int n, uint8_t tag) {
  reset_opts(false, false);
  IRRef v[32];
  for (int k = 0; k < n; k++)
    v[k] = sload((uint16_t)(k + 1), tag);
  IRRef acc = v[0];
  for (int k = 1; k < n; k++)
    acc = emit(IR_ADD, tag, acc, v[k]);
  emit3(IR_SSTORE, 0, acc, 0, 0, 0);
  ir_dce(&B);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  check_allocation();
}

static void regalloc_spills_only_when_needed(void **state) {
  (void)state;
  /* NGPR - IRA_SCRATCH registers: that many live values fit; one more
   * spills */
  many_live(NGPR - IRA_SCRATCH, TAG_INT);
  assert_int_equal(A.nspill, 0);
  many_live(NGPR - IRA_SCRATCH + 1, TAG_INT);
  assert_int_equal(A.nspill, 1);
  many_live(14, TAG_INT);
  assert_int_equal(A.nspill, 14 - (NGPR - IRA_SCRATCH));
  many_live(NFPR - IRA_SCRATCH, TAG_FLT);
  assert_int_equal(A.nspill, 0);
  many_live(13, TAG_FLT);
  assert_int_equal(A.nspill, 13 - (NFPR - IRA_SCRATCH));
  /* pointers go to the G class */
  many_live(3, TAG_TABLE);
  assert_int_equal(A.cls[2], 'G');
  /* two classes do not compete: 4 ints and 4 floats live at once */
  reset_opts(false, false);
  IRRef v[8];
  for (int k = 0; k < 8; k++)
    v[k] = sload((uint16_t)(k + 1), k % 2 ? TAG_FLT : TAG_INT);
  IRRef gi = v[0], gf = v[1];
  for (int k = 2; k < 8; k++)
    if (k % 2)
      gf = emit(IR_ADD, TAG_FLT, gf, v[k]);
    else
      gi = emit(IR_ADD, TAG_INT, gi, v[k]);
  emit3(IR_SSTORE, 0, gi, 0, 0, 0);
  emit3(IR_SSTORE, 0, gf, 0, 0, 1);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  check_allocation();
  assert_int_equal(A.nspill, 0);
  assert_int_equal(A.cls[v[1]], 'F');
  assert_int_equal(A.cls[v[0]], 'G');
}

static void regalloc_reuses_dying_operand(void **state) {
  (void)state;
  reset_opts(false, false);
  IRRef x = sload(1, TAG_INT), y = sload(2, TAG_INT);
  IRRef a = emit(IR_ADD, TAG_INT, x, y); /* x and y die here */
  emit3(IR_SSTORE, 0, a, 0, 0, 0);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  check_allocation();
  assert_int_equal(A.loc[a], A.loc[x]);
}

static void regalloc_random_traces(void **state) {
  (void)state;
  uint64_t s = 12345;
  for (int n = 0; n < 400; n++) {
    reset_opts(false, false);
    B.opt.spillcost = (n / 2) % 2 == 0; /* both spill choices, looped or not */
    IRRef vals[200];
    uint8_t tags[200];
    int nv = 0;
    int len = 5 + (int)(s % 60);
    for (int k = 0; k < len; k++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      uint32_t r = (uint32_t)(s >> 33);
      uint8_t tag = r % 2 ? TAG_INT : TAG_FLT;
      /* operands of the same class from earlier values */
      int a = -1, b = -1;
      for (int t = 0; t < 6 && nv; t++) {
        int c = (int)((r >> (3 + t * 4)) % (uint32_t)nv);
        if (tags[c] == tag) {
          if (a < 0)
            a = c;
          else {
            b = c;
            break;
          }
        }
      }
      IRRef v;
      if (a < 0 || b < 0 || r % 7 == 0)
        v = sload((uint16_t)(k + 1), tag);
      else
        v = emit(r % 3 ? IR_ADD : IR_MUL, tag, vals[a], vals[b]);
      vals[nv] = v;
      tags[nv++] = tag;
      if (r % 11 == 0 && nv > 3) { /* a guard whose snapshot names values */
        SnapEntry e[3];
        for (int t = 0; t < 3; t++) {
          e[t].slot = (uint16_t)t;
          e[t].ref = vals[(r >> (t * 5)) % (uint32_t)nv];
        }
        uint16_t sn = add_snap(e, 3, v);
        IRRef g = emit(IR_NE, 0, v, v);
        B.ins[g].snap = sn;
      }
    }
    for (int k = 0; k < nv; k += 3)
      emit3(IR_SSTORE, 0, vals[k], 0, 0, (uint64_t)k);
    /* every other trace loops: the first third runs before the body */
    if (n % 2) {
      B.looped = true;
      for (uint32_t r = 1; r < B.n && r < B.n / 3; r++)
        if (!(ir_opflags(B.ins[r].op) & IRF_K) &&
            (B.ins[r].op == IR_SLOAD))
          B.ins[r].xf |= IRX_HOIST;
      /* a phi: the first body SLOAD of a class carried by a value of it */
      for (int k = nv - 1; k >= 0 && B.nphi == 0; k--)
        if (B.ins[vals[k]].op != IR_SLOAD)
          for (uint32_t r = 1; r < B.n; r++)
            if (B.ins[r].op == IR_SLOAD && (B.ins[r].xf & IRX_HOIST) &&
                B.ins[r].tag == B.ins[vals[k]].tag) {
              B.ins[r].mode |= IRM_PHI;
              B.phis[0].phi = r;
              B.phis[0].val = vals[k];
              B.nphi = 1;
              break;
            }
    }
    ir_dce(&B);
    if (!ir_regalloc(&B, &A, NGPR, NFPR, 0))
      continue; /* more than IRA_MAX_SPILL: refused, fine */
    check_allocation();
  }
}

static void regalloc_keeps_loop_values_to_the_back_edge(void **state) {
  (void)state;
  reset_opts(false, false);
  /* hoisted: an invariant k and a loop-carried i; the body: i2 = i + k,
   * lots of short-lived temporaries, back-edge i <- i2 */
  IRRef k = sload(1, TAG_INT), i = sload(2, TAG_INT);
  B.ins[k].xf |= IRX_HOIST;
  B.ins[i].xf |= IRX_HOIST;
  B.ins[i].mode |= IRM_PHI;
  IRRef i2 = emit(IR_ADD, TAG_INT, i, k);
  IRRef t = i2;
  for (int n = 0; n < 10; n++) {
    IRRef u = sload((uint16_t)(10 + n), TAG_INT);
    t = emit(IR_ADD, TAG_INT, t, u);
  }
  emit3(IR_SSTORE, 0, t, 0, 0, 3);
  B.looped = true;
  B.phis[0].phi = i;
  B.phis[0].val = i2;
  B.phis[0].slot = 2;
  B.nphi = 1;
  ir_dce(&B);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  check_allocation();
  /* the hoisted instructions come first, the body after */
  assert_int_equal(A.loop_pos, 2);
  assert_int_equal(A.order[0], k);
  assert_int_equal(A.order[1], i);
  /* k is used in every iteration and i2 crosses the back-edge: both live
   * to the end and are never overwritten by the temporaries */
  assert_int_equal(A.end[k], A.norder);
  assert_int_equal(A.end[i2], A.norder);
  assert_true(A.loc[k] >= 0);
  assert_true(A.loc[i2] >= 0);
  assert_int_equal(A.nspill, 0);
}


/* A looped body value s used once early and named by a late guard's
 * snapshot, with more floats live in between than there are registers. */
static IRRef snapshot_tail_trace(bool split, IRRef *t_out, uint16_t *sn_out) {
  reset_opts(false, false);
  B.opt.snapsplit = split;
  IRRef s = sload(1, TAG_FLT);
  IRRef t = emit(IR_MUL, TAG_FLT, s, s); /* s's last use by an instruction */
  IRRef v[8];
  for (int k = 0; k < 8; k++)
    v[k] = sload((uint16_t)(10 + k), TAG_FLT);
  IRRef acc = t;
  for (int k = 0; k < 8; k++)
    acc = emit(IR_ADD, TAG_FLT, acc, v[k]);
  SnapEntry e = {1, s};
  uint16_t sn = add_snap(&e, 1, acc);
  IRRef g = emit(IR_NE, 0, acc, acc);
  B.ins[g].snap = sn;
  emit3(IR_SSTORE, 0, acc, 0, 0, 0);
  B.looped = true;
  ir_dce(&B);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  *t_out = t;
  *sn_out = sn;
  return s;
}

static void regalloc_splits_snapshot_tails_under_pressure(void **state) {
  (void)state;
  IRRef t;
  uint16_t sn;
  /* without splitting, the snapshot keeps s to the guard */
  IRRef s = snapshot_tail_trace(false, &t, &sn);
  check_allocation();
  assert_int_equal(A.sslot[s], IRA_NONE);
  assert_int_equal(A.nsplit, 0);
  assert_int_equal(A.end[s] + 1, A.snappos[sn]);
  /* with it: s keeps its register only to t, and a slot of its own (not
   * shared with any spilled value) serves the guard's exit */
  s = snapshot_tail_trace(true, &t, &sn);
  assert_true(A.nsplit >= 1);
  assert_true(A.loc[s] >= 0);
  assert_true(A.sslot[s] != IRA_NONE && A.sslot[s] < 0);
  assert_true(-A.sslot[s] - 1 < (int)A.nspill);
  uint32_t tpos = 0;
  for (uint32_t i = 0; i < A.norder; i++)
    if (A.order[i] == t)
      tpos = i;
  assert_int_equal(A.end[s], tpos);
  assert_true(A.snappos[sn] > (uint32_t)A.end[s] + 1);
  for (uint32_t i = 0; i < A.norder; i++)
    assert_true(A.loc[A.order[i]] != A.sslot[s]);
  /* no pressure, no split: a body with few values keeps its allocation */
  reset_opts(false, false);
  B.opt.snapsplit = true;
  IRRef x = sload(1, TAG_FLT);
  IRRef y = emit(IR_MUL, TAG_FLT, x, x);
  SnapEntry e = {1, x};
  uint16_t sn2 = add_snap(&e, 1, y);
  IRRef g = emit(IR_NE, 0, y, y);
  B.ins[g].snap = sn2;
  emit3(IR_SSTORE, 0, y, 0, 0, 0);
  B.looped = true;
  ir_dce(&B);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  assert_int_equal(A.nsplit, 0);
  assert_int_equal(A.sslot[x], IRA_NONE);
  assert_int_equal(A.nspill, 0);
}

/* -- The hkey rule (ir.c) ----------------------------------------------------- */

static IRRef ghkey(IRRef t, uint64_t node, uint64_t key) {
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = IR_GHKEY;
  in.a = t;
  in.k = node;
  in.k3 = key;
  IRRef r = ir_emit(&B, &in);
  assert_true(r != 0);
  return r;
}

static bool sized(IRRef r) { return (B.ins[r].mode & IRM_HSIZED) != 0; }

static void hkey_drops_implied_size_checks(void **state) {
  (void)state;
  assert_int_equal(ir_node_bits(0), 0);
  assert_int_equal(ir_node_bits(1), 1);
  assert_int_equal(ir_node_bits(2), 2);
  assert_int_equal(ir_node_bits(3), 2);
  assert_int_equal(ir_node_bits(4), 3);
  assert_int_equal(ir_node_bits(7), 3);
  reset();
  B.opt.hkey = true;
  IRRef t = sload(1, TAG_TABLE), u = sload(2, TAG_TABLE);
  IRRef g5 = ghkey(t, 5, 100); /* node 5: lsizenode >= 3, checked */
  assert_false(sized(g5));
  IRRef g2 = ghkey(t, 2, 101); /* node 2 needs 2 bits: implied */
  assert_true(sized(g2));
  IRRef g7 = ghkey(t, 7, 102); /* 3 bits, as node 5: implied */
  assert_true(sized(g7));
  IRRef g8 = ghkey(t, 8, 103); /* 4 bits: a larger size, checked */
  assert_false(sized(g8));
  IRRef gu = ghkey(u, 0, 104); /* another table ref (maybe another table) */
  assert_false(sized(gu));
  IRRef gu1 = ghkey(u, 1, 105); /* 1 bit > 0 bits checked for u */
  assert_false(sized(gu1));
  /* the same guard again is CSE'd, size check or not */
  assert_int_equal(ghkey(t, 2, 101), g2);
  assert_int_equal(ghkey(t, 5, 100), g5);
  /* a store to a value does not change sizes */
  emit3(IR_HSTORE, 0, t, sload(3, TAG_INT), 0, 5);
  assert_true(sized(ghkey(t, 3, 106)));
  /* anything that may resize a table (a helper, a new key) does */
  ir_barrier_all(&B);
  sload(4, TAG_INT); /* (the instruction that raised it) */
  IRRef after = ghkey(t, 1, 107);
  assert_false(sized(after));
  assert_true(after != g2);
  assert_true(sized(ghkey(t, 0, 108)));
  /* switched off: every guard checks the size */
  reset();
  B.opt.hkey = false;
  t = sload(1, TAG_TABLE);
  ghkey(t, 5, 100);
  assert_false(sized(ghkey(t, 2, 101)));
}

/* -- Spill costs (ir_ra.c) ---------------------------------------------------- */

/* A loop with more float values live in the body than registers: `nk`
 * invariants read once per iteration, and `nd` loop-carried values each
 * used four times in the body. All live to the back-edge: furthest end
 * cannot tell them apart. */
static void spill_loop(bool cost, int nk, int nd, IRRef *inv, IRRef *hot) {
  reset_opts(false, false);
  B.opt.spillcost = cost;
  /* nd loop-carried values: hot[d] = phi[d] + x, carried to phi[d] */
  IRRef phi[4];
  for (int d = 0; d < nd; d++) {
    phi[d] = sload((uint16_t)(20 + d), TAG_FLT);
    B.ins[phi[d]].xf |= IRX_HOIST;
    B.ins[phi[d]].mode |= IRM_PHI;
  }
  for (int k = 0; k < nk; k++) {
    inv[k] = sload((uint16_t)(1 + k), TAG_FLT);
    B.ins[inv[k]].xf |= IRX_HOIST;
  }
  IRRef x = sload(40, TAG_FLT); /* the body: a fresh value per iteration */
  for (int d = 0; d < nd; d++) {
    hot[d] = emit(IR_ADD, TAG_FLT, phi[d], x);
    B.phis[d].phi = phi[d];
    B.phis[d].val = hot[d];
    B.phis[d].slot = (uint16_t)(20 + d);
  }
  B.nphi = (uint32_t)nd;
  IRRef acc = hot[0];
  for (int use = 0; use < 3; use++)
    for (int d = 0; d < nd; d++)
      acc = emit(IR_MUL, TAG_FLT, acc, hot[d]);
  for (int k = 0; k < nk; k++)
    acc = emit(IR_ADD, TAG_FLT, acc, inv[k]);
  emit3(IR_SSTORE, 0, acc, 0, 0, 0);
  B.looped = true;
  ir_dce(&B);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  check_allocation();
}

/* What the spilled values cost, by the weights (recomputed: without
 * opt.spillcost they are computed all the same). */
static uint32_t spill_cost(void) {
  uint32_t c = 0;
  for (uint32_t i = 0; i < A.norder; i++)
    if (A.cls[A.order[i]] && A.loc[A.order[i]] < 0)
      c += A.weight[A.order[i]];
  return c;
}



/* Straight-line: three values used once at the end, and h, used by every
 * step of a chain and then at the very end, the furthest of all. */
static IRRef hot_chain(bool cost) {
  reset_opts(false, false);
  B.opt.spillcost = cost;
  IRRef v[3];
  for (int k = 0; k < 3; k++)
    v[k] = sload((uint16_t)(1 + k), TAG_FLT);
  IRRef h = sload(10, TAG_FLT);
  IRRef acc = emit(IR_MUL, TAG_FLT, h, h);
  for (int n = 0; n < 10; n++)
    acc = emit(IR_MUL, TAG_FLT, acc, h);
  IRRef sum = emit(IR_ADD, TAG_FLT, v[0], v[1]);
  sum = emit(IR_ADD, TAG_FLT, sum, v[2]);
  sum = emit(IR_ADD, TAG_FLT, sum, acc);
  sum = emit(IR_ADD, TAG_FLT, sum, h);
  emit3(IR_SSTORE, 0, sum, 0, 0, 0);
  ir_dce(&B);
  assert_true(ir_regalloc(&B, &A, NGPR, NFPR, 0));
  check_allocation();
  return h;
}

static void regalloc_spills_the_cheapest(void **state) {
  (void)state;
  /* 4 float registers. By furthest end, h (12 uses) goes to memory when
   * the chain needs a register; by cost, one of the values used once. */
  IRRef h = hot_chain(true);
  assert_true(A.loc[h] >= 0);
  assert_int_equal(A.weight[h], 1 + 13); /* its definition, 13 uses */
  assert_int_equal(A.nspill, 1);
  uint32_t with = spill_cost();
  h = hot_chain(false);
  assert_true(A.loc[h] < 0);
  uint32_t without = spill_cost();
  if (with >= without)
    fail_msg("spill cost %u with spill costs, %u without", with, without);
  /* in a loop, uses in the body weigh 8: 3 hot loop-carried values (each
   * used four times, then carried) against invariants read once per
   * iteration -- the invariants go to memory first */
  IRRef inv[4], hot[3];
  for (int nk = 1; nk <= 4; nk++) {
    spill_loop(true, nk, 3, inv, hot);
    for (int k = 0; k < nk; k++)
      assert_int_equal(A.weight[inv[k]], 1 + 8);
    for (int d = 0; d < 3; d++)
      assert_int_equal(A.weight[hot[d]], 8 + (d == 0 ? 4 : 3) * 8 + 8);
    bool inv_in_reg = false;
    for (int k = 0; k < nk; k++)
      inv_in_reg |= A.loc[inv[k]] >= 0;
    for (int d = 0; d < 3; d++)
      if (A.loc[hot[d]] < 0 && inv_in_reg)
        fail_msg("nk %d: hot value %u spilled, an invariant kept", nk, hot[d]);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fold_integer_arithmetic_wraps),
      cmocka_unit_test(fold_floor_division_and_modulo),
      cmocka_unit_test(fold_shifts_saturate_and_reverse),
      cmocka_unit_test(fold_float_arithmetic),
      cmocka_unit_test(fold_guards_on_constants),
      cmocka_unit_test(fold_constants_go_right),
      cmocka_unit_test(fold_integer_identities),
      cmocka_unit_test(fold_float_identities_keep_signs),
      cmocka_unit_test(fold_guards_on_the_same_value),
      cmocka_unit_test(cse_reuses_pure_ops_and_guards),
      cmocka_unit_test(cse_loads_respect_barriers),
      cmocka_unit_test(cse_forwards_stores_to_loads),
      cmocka_unit_test(dce_removes_unused_pure_ops_only),
      cmocka_unit_test(regalloc_spills_only_when_needed),
      cmocka_unit_test(regalloc_reuses_dying_operand),
      cmocka_unit_test(regalloc_random_traces),
      cmocka_unit_test(regalloc_keeps_loop_values_to_the_back_edge),
      cmocka_unit_test(regalloc_splits_snapshot_tails_under_pressure),
      cmocka_unit_test(hkey_drops_implied_size_checks),
      cmocka_unit_test(regalloc_spills_the_cheapest),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
