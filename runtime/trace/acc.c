/*
 * acc.c -- peephole passes over a finished trace (acc.h).
 *
 * The float accumulator pass.
 *
 * Every uop that writes a float result to its slot A also leaves it in the
 * accumulator register `fa` (lua_uops.h, ACC_SET). Values still go to their
 * slots, so exits and the interpreter never need the register; what the
 * pass saves is the store-to-load round trip on chains like `a*b + c`,
 * where the next uop would otherwise reload the slot it was just given.
 *
 * One forward walk over the trace tracks which slot `fa` mirrors. A uop
 * reading that slot as a float is switched to its `_A` form. The knowledge
 * ends at a loop head (the back-edge arrives with another value in `fa`), at
 * any uop that may write the mirrored slot, and at any uop this pass does
 * not know to leave slots alone (calls, EXEC, for-loop steps...).
 */
#include "acc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lua_uop_list.h"

/* Does `op` leave `fa` equal to the float it wrote to slot A? */
static bool acc_producer(int op) {
  return (op >= UOP_ADD_NN && op <= UOP_MUL_AA) || op == UOP_GETI_AF ||
         op == UOP_GETI_AFG ||
         op == UOP_HGET_F || (op >= UOP_SQRT_N && op <= UOP_LOG_N) ||
         op == UOP_MIN_FF || op == UOP_MAX_FF;
}

/* Does `op` write nothing but (at most) its slot A, and keep `fa`? */
static bool writes_only_a(int op) {
  switch (op) {
  case UOP_MOV: case UOP_K: case UOP_KNIL: case UOP_NOT:
  case UOP_GETI_A: case UOP_GETI_AK: case UOP_GETI_AI: case UOP_HGET:
  case UOP_GETI_AG: case UOP_GETI_AIG:
  case UOP_GETUPVAL: case UOP_ABS_I: case UOP_ABS_F: case UOP_FLOOR_F:
  case UOP_CEIL_F: case UOP_MIN_II: case UOP_MAX_II:
    return true;
  default:
    return op >= UOP_ADD_II && op <= UOP_BNOT_I; /* integer arithmetic */
  }
}

/* Does `op` write no slot at all (guards, compares, table stores)? */
static bool writes_no_slot(int op) {
  return op < UOP_MOV || (op >= UOP_LT_II_T && op <= UOP_EQ_GC_F) ||
         op == UOP_SETI_A || op == UOP_SETI_AK || op == UOP_HSET ||
         op == UOP_SETI_AG ||
         op == UOP_G_VAL || op == UOP_G_HKEY || op == UOP_G_HKEYV ||
         op == UOP_G_UPT || op == UOP_G_STACK || op == UOP_G_PROTO;
}

/* The accumulator form of x when it reads slot `acc` as a float, or x's
 * own op. */
static int acc_form(const cpjit_uop *x, int64_t acc) {
  int op = x->op;
  bool b = acc >= 0 && (int64_t)x->operand[0] == acc;
  bool c = acc >= 0 && (int64_t)x->operand[1] == acc;
  if (op >= UOP_ADD_FF && op <= UOP_DIV_FF) {
    if (b && c && (op == UOP_ADD_FF || op == UOP_MUL_FF))
      return op == UOP_ADD_FF ? UOP_ADD_AA : UOP_MUL_AA;
    if (b)
      return UOP_ADD_AF + (op - UOP_ADD_FF);
    if (c)
      return UOP_ADD_FA + (op - UOP_ADD_FF);
  } else if (op >= UOP_ADD_FC && op <= UOP_DIV_FC) {
    if (b)
      return UOP_ADD_AC + (op - UOP_ADD_FC);
  } else if (op >= UOP_LT_FF_T && op <= UOP_EQ_FF_F) {
    if (b)
      return UOP_LT_AF_T + (op - UOP_LT_FF_T);
    if (c)
      return UOP_LT_FA_T + (op - UOP_LT_FF_T);
  } else if (op >= UOP_LT_FK_T && op <= UOP_EQ_FK_F) {
    if (b)
      return UOP_LT_AK_T + (op - UOP_LT_FK_T);
  }
  return op;
}

/* What `fa` mirrors after x ran, given what it mirrored before. */
static int64_t acc_after(const cpjit_uop *x, int64_t acc) {
  int op = x->op;
  if (acc_producer(op) || op == UOP_LOADF)
    return x->arg;
  if (writes_no_slot(op) || op == UOP_JUMP)
    return acc;
  if (writes_only_a(op))
    return x->arg == acc ? -1 : acc;
  if (op == UOP_FORLOOP_I || op == UOP_FORLOOP_F) /* slots A..A+3 */
    return acc >= x->arg && acc < x->arg + 64 ? -1 : acc;
  return -1;
}

static bool has_target(int op) {
  return op == UOP_JUMP || op == UOP_FORLOOP_I || op == UOP_FORLOOP_F;
}

/* One forward walk: `fa` mirrors nothing at uop 0, and at a jump target
 * what `at_head` says (-1: nothing) -- only valid when every jump there
 * arrives with that slot mirrored. Counts the uops it can rewrite (and
 * rewrites them when `rewrite`); returns what `fa` mirrors after uop
 * `probe`. */
static int64_t acc_walk(cpjit_uop *u, uint32_t n, const bool *label,
                        int64_t at_head, bool rewrite, uint32_t probe,
                        uint32_t *rewritten) {
  int64_t acc = -1, probed = -1;
  for (uint32_t j = 0; j < n; j++) {
    if (label[j])
      acc = at_head;
    int nop = acc_form(&u[j], acc);
    if (nop != u[j].op) {
      ++*rewritten;
      if (rewrite)
        u[j].op = (uint16_t)nop;
    }
    cpjit_uop x = u[j];
    x.op = (uint16_t)nop;
    acc = acc_after(&x, acc);
    if (j == probe)
      probed = acc;
  }
  return probed;
}

uint32_t trace_acc_assign(cpjit_uop *u, uint32_t *n, uint32_t cap,
                          uint32_t frame_bytes) {
  uint32_t m = *n;
  bool *label = calloc(m + 1, sizeof *label);
  if (!label)
    return 0; /* the trace stays as it is: still correct */
  /* A single loop: one jump back to one head. */
  uint32_t nlabels = 0, head = 0, back = 0, nback = 0;
  for (uint32_t j = 0; j < m; j++)
    if (has_target(u[j].op) && u[j].target < m) {
      if (!label[u[j].target])
        nlabels++;
      label[u[j].target] = true;
      head = u[j].target;
      back = j;
      nback++;
    }
  uint32_t rewritten = 0;
  int64_t carried = -1;
  if (nlabels == 1 && nback == 1 && back >= head && m < cap) {
    /* What does the back-edge bring to the head, when the head itself
     * brings nothing? A slot then set by the loop body: load that slot
     * into `fa` on the way in too (LOADF), and the head has it from both
     * sides. */
    uint32_t without = 0, with = 0;
    carried = acc_walk(u, m, label, -1, false, back, &without);
    if (carried >= (int64_t)frame_bytes) /* an inlined callee's register */
      carried = -1;
    /* Worth a LOADF only when a uop reads the slot before redefining it. */
    if (carried >= 0 &&
        (acc_walk(u, m, label, carried, false, back, &with), with <= without))
      carried = -1;
  }
  if (carried >= 0) {
    memmove(&u[head + 1], &u[head], (m - head) * sizeof *u);
    memset(&u[head], 0, sizeof *u);
    u[head].op = UOP_LOADF;
    u[head].arg = (uint16_t)carried;
    m++;
    for (uint32_t j = 0; j < m; j++)
      if (has_target(u[j].op) && u[j].target >= head && u[j].target < m - 1)
        u[j].target++;
    memmove(&label[head + 1], &label[head], (m - 1 - head) * sizeof *label);
    label[head] = false;
    *n = m;
  }
  acc_walk(u, m, label, carried, true, 0, &rewritten);
  free(label);
  return rewritten;
}

/* -- Super-uops ---------------------------------------------------------- */

/* The super-uop of bounds guard g followed by x, or -1. */
static int fused(const cpjit_uop *g, const cpjit_uop *x) {
  if (g->op != UOP_G_ARR)
    return -1;
  switch (x->op) {
  case UOP_SETI_A: /* table A, key op0 */
    return x->arg == g->arg && x->operand[0] == g->operand[0] ? UOP_SETI_AG
                                                              : -1;
  case UOP_GETI_A: case UOP_GETI_AF: case UOP_GETI_AI: /* table op0, key op1 */
    if (x->operand[0] != g->arg || x->operand[1] != g->operand[0])
      return -1;
    if (x->op == UOP_GETI_A)
      return UOP_GETI_AG;
    if (x->exit != g->exit)
      return -1;
    return x->op == UOP_GETI_AF ? UOP_GETI_AFG : UOP_GETI_AIG;
  default:
    return -1;
  }
}

uint32_t trace_fuse(cpjit_uop *u, uint32_t n) {
  if (n < 2)
    return n;
  bool *label = calloc(n, sizeof *label);
  uint32_t *map = malloc((n + 1) * sizeof *map);
  if (!label || !map) {
    free(label);
    free(map);
    return n;
  }
  for (uint32_t j = 0; j < n; j++)
    if (has_target(u[j].op) && u[j].target < n)
      label[u[j].target] = true;
  uint32_t out = 0;
  for (uint32_t j = 0; j < n; j++) {
    map[j] = out;
    int f = j + 1 < n && !label[j + 1] ? fused(&u[j], &u[j + 1]) : -1;
    if (f >= 0) {
      cpjit_uop x = u[j + 1];
      x.op = (uint16_t)f;
      x.exit = u[j].exit;
      map[j + 1] = out;
      u[out++] = x;
      j++;
      continue;
    }
    u[out++] = u[j];
  }
  map[n] = out;
  for (uint32_t j = 0; j < out; j++)
    if (has_target(u[j].op) && u[j].target <= n)
      u[j].target = map[u[j].target];
  free(label);
  free(map);
  return out;
}
