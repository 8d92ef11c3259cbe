/*
 * ir_fold.c -- constant folding and algebraic simplification, driven by one
 * rule table.
 *
 * A rule matches an op, the kind of its operands (constant or anything) and
 * the result type (integer, float, or any); the first matching rule whose
 * function returns a ref wins. A function may also rewrite the instruction
 * in place (operand order, a cheaper op) and return 0 to go on.
 *
 * Every rule keeps Lua 5.4's exact semantics: integer arithmetic wraps,
 * `//` and `%` floor, shifts saturate; float rules never change a result's
 * sign (x + 0.0 is not x when x is -0.0, so it is not folded) or NaN-ness.
 * Guards on constants that hold are dropped (the result is the constant
 * true); those that fail stay, and exit every time, as the interpreter
 * would branch.
 */
#include <math.h>
#include <string.h>

#include "ir.h"
#include "lua_uop_support.h"

#define IS_K(B, r) ir_isk(B, r)
#define KI(B, r) ((int64_t)(B)->ins[r].k)
#define KN(B, r) ir_knumval(B, r)

enum { ANY = 0, K = 1 };
enum { T_ANY = 0, T_INT = 1, T_FLT = 2 };

typedef IRRef (*FoldFn)(IRBuf *B, IRIns *in);

typedef struct FoldRule {
  uint8_t op, ka, kb, type;
  FoldFn fn;
} FoldRule;

static IRRef dropped(IRBuf *B) { return ir_kpri(B, TAG_TRUE); }

/* -- Constant folding ------------------------------------------------------ */

static IRRef kfold_int(IRBuf *B, IRIns *in) {
  int64_t a = KI(B, in->a), b = in->b ? KI(B, in->b) : 0, r;
  uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  switch (in->op) {
  case IR_ADD: r = (int64_t)(ua + ub); break;
  case IR_SUB: r = (int64_t)(ua - ub); break;
  case IR_MUL: r = (int64_t)(ua * ub); break;
  case IR_IDIV: if (b == 0) return 0; r = lu_idiv(a, b); break;
  case IR_MOD: if (b == 0) return 0; r = lu_imod(a, b); break;
  case IR_BAND: r = a & b; break;
  case IR_BOR: r = a | b; break;
  case IR_BXOR: r = a ^ b; break;
  case IR_SHL: r = lu_shiftl(a, b); break;
  case IR_SHR: r = lu_shiftl(a, (int64_t)(0u - ub)); break;
  case IR_UNM: r = (int64_t)(0u - ua); break;
  case IR_BNOT: r = ~a; break;
  case IR_MIN: r = b < a ? b : a; break;
  case IR_MAX: r = a < b ? b : a; break;
  default: return 0;
  }
  return ir_kint(B, r);
}

static IRRef kfold_num(IRBuf *B, IRIns *in) {
  double a = KN(B, in->a), b = in->b ? KN(B, in->b) : 0, r;
  switch (in->op) {
  case IR_ADD: r = a + b; break;
  case IR_SUB: r = a - b; break;
  case IR_MUL: r = a * b; break;
  case IR_DIV: r = a / b; break;
  case IR_UNM: r = -a; break;
  default: return 0;
  }
  return ir_knum(B, r);
}

static IRRef kfold_conv(IRBuf *B, IRIns *in) {
  return ir_knum(B, (double)KI(B, in->a));
}

static bool kcompare(const IRBuf *B, const IRIns *in, bool *res) {
  const IRIns *x = &B->ins[in->a], *y = &B->ins[in->b];
  if (x->tag != y->tag)
    return false;
  if (x->op == IR_KINT) {
    int64_t a = (int64_t)x->k, b = (int64_t)y->k;
    switch (in->op) {
    case IR_LT: *res = a < b; return true;
    case IR_LE: *res = a <= b; return true;
    case IR_GT: *res = a > b; return true;
    case IR_GE: *res = a >= b; return true;
    case IR_EQ: *res = a == b; return true;
    case IR_NE: *res = a != b; return true;
    }
  } else if (x->op == IR_KNUM) {
    double a = KN(B, in->a), b = KN(B, in->b);
    switch (in->op) {
    case IR_LT: *res = a < b; return true;
    case IR_LE: *res = a <= b; return true;
    case IR_GT: *res = a > b; return true;
    case IR_GE: *res = a >= b; return true;
    case IR_EQ: *res = a == b; return true;
    case IR_NE: *res = a != b; return true;
    }
  } else if (x->op == IR_KGC || x->op == IR_KPRI) {
    if (in->op == IR_EQ) { *res = x->k == y->k; return true; }
    if (in->op == IR_NE) { *res = x->k != y->k; return true; }
  }
  return false;
}

static IRRef kfold_guard(IRBuf *B, IRIns *in) {
  bool res;
  if (kcompare(B, in, &res) && res)
    return dropped(B);
  return 0;
}

/* -- Normalization --------------------------------------------------------- */

/* Constants go right: K op x -> x op K (commutative ops). */
static IRRef comm_swap(IRBuf *B, IRIns *in) {
  (void)B;
  IRRef t = in->a;
  in->a = in->b;
  in->b = t;
  return 0;
}

/* K < x -> x > K, and so on. */
static IRRef cmp_swap(IRBuf *B, IRIns *in) {
  (void)B;
  static const uint8_t rev[] = {[IR_LT] = IR_GT, [IR_LE] = IR_GE,
                                [IR_GT] = IR_LT, [IR_GE] = IR_LE,
                                [IR_EQ] = IR_EQ, [IR_NE] = IR_NE};
  in->op = rev[in->op];
  return comm_swap(B, in);
}

/* -- Algebraic simplification ---------------------------------------------- */

static IRRef int_identity(IRBuf *B, IRIns *in) {
  int64_t k = KI(B, in->b);
  switch (in->op) {
  case IR_ADD: case IR_SUB: case IR_BOR: case IR_BXOR: case IR_SHL:
  case IR_SHR:
    return k == 0 ? in->a : 0;
  case IR_MUL:
    if (k == 1)
      return in->a;
    if (k == 0)
      return in->b;
    if (k == 2) { /* x * 2 -> x + x */
      in->op = IR_ADD;
      in->b = in->a;
    }
    return 0;
  case IR_IDIV:
    return k == 1 ? in->a : 0;
  case IR_BAND:
    if (k == -1)
      return in->a;
    return k == 0 ? in->b : 0;
  }
  return 0;
}

static IRRef num_identity(IRBuf *B, IRIns *in) {
  double k = KN(B, in->b);
  switch (in->op) {
  case IR_MUL:
    if (k == 1.0)
      return in->a;
    if (k == 2.0) { /* x * 2 -> x + x, exact */
      in->op = IR_ADD;
      in->b = in->a;
    }
    return 0;
  case IR_DIV:
    if (k == 1.0)
      return in->a;
    return 0;
  case IR_SUB: /* x - 0.0 is x, also for -0.0 and NaN */
    if (k == 0.0 && !signbit(k))
      return in->a;
    return 0;
  }
  return 0;
}

/* x - x = 0, x ^ x = 0, x & x = x, x | x = x for integers. */
static IRRef int_self(IRBuf *B, IRIns *in) {
  if (in->a != in->b)
    return 0;
  switch (in->op) {
  case IR_SUB: case IR_BXOR: return ir_kint(B, 0);
  case IR_BAND: case IR_BOR: case IR_MIN: case IR_MAX: return in->a;
  }
  return 0;
}

/* x op x for guards on integers and pointers. */
static IRRef guard_self(IRBuf *B, IRIns *in) {
  if (in->a != in->b || B->ins[in->a].tag == TAG_FLT)
    return 0;
  if (in->op == IR_LE || in->op == IR_GE || in->op == IR_EQ)
    return dropped(B);
  return 0;
}

/* -(-x) = x, ~~x = x. */
static IRRef double_neg(IRBuf *B, IRIns *in) {
  const IRIns *x = &B->ins[in->a];
  if (x->op == in->op && x->tag == in->tag)
    return x->a;
  return 0;
}

static const FoldRule rules[] = {
    /* constants */
    {IR_ADD, K, K, T_INT, kfold_int}, {IR_SUB, K, K, T_INT, kfold_int},
    {IR_MUL, K, K, T_INT, kfold_int}, {IR_IDIV, K, K, T_INT, kfold_int},
    {IR_MOD, K, K, T_INT, kfold_int}, {IR_BAND, K, K, T_INT, kfold_int},
    {IR_BOR, K, K, T_INT, kfold_int}, {IR_BXOR, K, K, T_INT, kfold_int},
    {IR_SHL, K, K, T_INT, kfold_int}, {IR_SHR, K, K, T_INT, kfold_int},
    {IR_MIN, K, K, T_INT, kfold_int}, {IR_MAX, K, K, T_INT, kfold_int},
    {IR_UNM, K, ANY, T_INT, kfold_int}, {IR_BNOT, K, ANY, T_INT, kfold_int},
    {IR_ADD, K, K, T_FLT, kfold_num}, {IR_SUB, K, K, T_FLT, kfold_num},
    {IR_MUL, K, K, T_FLT, kfold_num}, {IR_DIV, K, K, T_FLT, kfold_num},
    {IR_UNM, K, ANY, T_FLT, kfold_num},
    {IR_CONV, K, ANY, T_ANY, kfold_conv},
    {IR_LT, K, K, T_ANY, kfold_guard}, {IR_LE, K, K, T_ANY, kfold_guard},
    {IR_GT, K, K, T_ANY, kfold_guard}, {IR_GE, K, K, T_ANY, kfold_guard},
    {IR_EQ, K, K, T_ANY, kfold_guard}, {IR_NE, K, K, T_ANY, kfold_guard},
    /* constants to the right */
    {IR_ADD, K, ANY, T_ANY, comm_swap}, {IR_MUL, K, ANY, T_ANY, comm_swap},
    {IR_BAND, K, ANY, T_ANY, comm_swap}, {IR_BOR, K, ANY, T_ANY, comm_swap},
    {IR_BXOR, K, ANY, T_ANY, comm_swap}, {IR_MIN, K, ANY, T_INT, comm_swap},
    {IR_MAX, K, ANY, T_INT, comm_swap},
    {IR_LT, K, ANY, T_ANY, cmp_swap}, {IR_LE, K, ANY, T_ANY, cmp_swap},
    {IR_GT, K, ANY, T_ANY, cmp_swap}, {IR_GE, K, ANY, T_ANY, cmp_swap},
    {IR_EQ, K, ANY, T_ANY, cmp_swap}, {IR_NE, K, ANY, T_ANY, cmp_swap},
    /* identities */
    {IR_ADD, ANY, K, T_INT, int_identity}, {IR_SUB, ANY, K, T_INT, int_identity},
    {IR_MUL, ANY, K, T_INT, int_identity}, {IR_IDIV, ANY, K, T_INT, int_identity},
    {IR_BAND, ANY, K, T_INT, int_identity}, {IR_BOR, ANY, K, T_INT, int_identity},
    {IR_BXOR, ANY, K, T_INT, int_identity}, {IR_SHL, ANY, K, T_INT, int_identity},
    {IR_SHR, ANY, K, T_INT, int_identity},
    {IR_MUL, ANY, K, T_FLT, num_identity}, {IR_DIV, ANY, K, T_FLT, num_identity},
    {IR_SUB, ANY, K, T_FLT, num_identity},
    {IR_SUB, ANY, ANY, T_INT, int_self}, {IR_BXOR, ANY, ANY, T_INT, int_self},
    {IR_BAND, ANY, ANY, T_INT, int_self}, {IR_BOR, ANY, ANY, T_INT, int_self},
    {IR_MIN, ANY, ANY, T_INT, int_self}, {IR_MAX, ANY, ANY, T_INT, int_self},
    {IR_LT, ANY, ANY, T_ANY, guard_self}, {IR_LE, ANY, ANY, T_ANY, guard_self},
    {IR_GT, ANY, ANY, T_ANY, guard_self}, {IR_GE, ANY, ANY, T_ANY, guard_self},
    {IR_EQ, ANY, ANY, T_ANY, guard_self}, {IR_NE, ANY, ANY, T_ANY, guard_self},
    {IR_UNM, ANY, ANY, T_ANY, double_neg}, {IR_BNOT, ANY, ANY, T_INT, double_neg},
};

/* Rules by op, built once: index of the first rule of each op. */
static uint8_t first_rule[IR__COUNT + 1];
static bool rules_ready;

static void build_index(void) {
  uint8_t count[IR__COUNT];
  memset(count, 0, sizeof count);
  /* rules of one op must be listed in order of priority; they need not be
   * adjacent: the index only speeds up the common case of no rule */
  for (size_t j = 0; j < sizeof rules / sizeof rules[0]; j++)
    count[rules[j].op] = 1;
  for (int op = 0; op < IR__COUNT; op++)
    first_rule[op] = count[op];
  rules_ready = true;
}

static bool kind_ok(const IRBuf *B, IRRef r, uint8_t kind) {
  return kind == ANY || (r && IS_K(B, r));
}

static bool type_ok(const IRIns *in, const IRBuf *B, uint8_t type) {
  uint8_t tag = in->tag;
  if (!tag && in->a) /* guards: the type of the operands */
    tag = B->ins[in->a].tag;
  return type == T_ANY || (type == T_INT && tag == TAG_INT) ||
         (type == T_FLT && tag == TAG_FLT);
}

IRRef ir_fold(IRBuf *B, IRIns *in) {
  if (!rules_ready)
    build_index();
  if (!first_rule[in->op])
    return 0;
  for (size_t j = 0; j < sizeof rules / sizeof rules[0]; j++) {
    const FoldRule *r = &rules[j];
    if (r->op != in->op || !kind_ok(B, in->a, r->ka) ||
        !kind_ok(B, in->b, r->kb) || !type_ok(in, B, r->type))
      continue;
    IRRef res = r->fn(B, in);
    if (res)
      return res;
  }
  return 0;
}
