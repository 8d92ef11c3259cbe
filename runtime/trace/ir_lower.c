/*
 * ir_lower.c -- from allocated IR to the stencil uops cpjit compiles.
 *
 * Each IR instruction becomes the variant of its register uop
 * (lua_ruops.h) for the registers the allocator chose, plus moves where a
 * two-address form needs its first operand in the result's register,
 * constants loaded into a scratch register where a uop has no immediate
 * form, and reloads/spills for values that live in spill slots. MEMOPs are
 * emitted as the slot-level uop they name. Spill slots and hash nodes are
 * passed as byte offsets, which the stencils use as displacements (one
 * `movsd xmm, [r14 + off]` per reload); GHKEY gets the least lsizenode
 * that has its node in ARG, or, when an earlier guard on the same table
 * implies the size (IRM_HSIZED, ir.c), becomes GHKEYS_G without the check.
 *
 * Layout of a trace: [side trace: the parent exit's write-back] [hoisted
 * instructions] loop: [body] [back-edge moves into the loop-carried
 * registers] JUMP loop -- or, for a trace that does not loop, the body
 * ending in its EXIT.
 *
 * Exits: every snapshot becomes an exit whose restore list says where each
 * slot's value is (register, spill slot or constant); trace.c writes them
 * back from the register dump the exit stub leaves in the spill area.
 */
#include <string.h>

#include "lua_stencils.h"
#include "trace_int.h"

#define NG lua_NGPR
#define NF lua_NFPR
#define GS0 (NG - 2)
#define GS1 (NG - 1)
#define FS0 (NF - 2)
#define FS1 (NF - 1)
#define SPILL_BASE (NG + NF) /* spill slot k is spill[SPILL_BASE + k] */

typedef struct Lower {
  const IRBuf *B;
  const IRAlloc *A;
  LowerOut *o;
  uint32_t nguards; /* guards lowered so far (-Oexitstress) */
  int gs, fs; /* scratch registers taken by the current instruction */
  bool fail;
} Lower;

static void failf(Lower *X, const char *why) {
  if (!X->fail)
    snprintf(X->o->why, sizeof X->o->why, "%s", why);
  X->fail = true;
}

static cpjit_uop *out(Lower *X, int op) {
  LowerOut *o = X->o;
  if (o->nuops >= o->cap) {
    failf(X, "trace too long (uops)");
    static cpjit_uop sink;
    return &sink;
  }
  cpjit_uop *u = &o->uops[o->nuops++];
  memset(u, 0, sizeof *u);
  u->op = (uint16_t)op;
  return u;
}

static int cls_n(char c) { return c == 'F' ? NF : NG; }

/* The variant of register uop `first` (signature sig) for registers r[]. */
static cpjit_uop *ruop(Lower *X, int first, const char *sig, int r0, int r1,
                       int r2) {
  int r[3] = {r0, r1, r2};
  int idx = 0;
  for (int k = 0; sig[k]; k++) {
    if (r[k] < 0 || r[k] >= cls_n(sig[k])) {
      failf(X, "register out of range");
      r[k] = 0;
    }
    idx = idx * cls_n(sig[k]) + r[k];
  }
  return out(X, first + idx);
}

#define RU1(name, sig, a) ruop(X, lua_OP_##name, #sig, a, 0, 0)
#define RU2(name, sig, a, b) ruop(X, lua_OP_##name, #sig, a, b, 0)
#define RU3(name, sig, a, b, c) ruop(X, lua_OP_##name, #sig, a, b, c)

static int gscratch(Lower *X) {
  if (X->gs >= 2) {
    failf(X, "register pressure");
    return GS0;
  }
  return X->gs++ ? GS1 : GS0;
}

static int fscratch(Lower *X) {
  if (X->fs >= 2) {
    failf(X, "register pressure");
    return FS0;
  }
  return X->fs++ ? FS1 : FS0;
}

static uint32_t spill_slot(int16_t loc) { return (uint32_t)(SPILL_BASE + (-loc - 1)); }
/* SPILL and RELOAD address the spill area with a byte displacement. */
static uint64_t spill_off(int16_t loc) { return 8u * (uint64_t)spill_slot(loc); }

/* Hash uops address node k with a byte displacement into the node array
 * (lua_ruops.h: RNODE); a 32-bit one, as a table of that many nodes could
 * not be addressed otherwise. */
static uint64_t node_off(Lower *X, uint64_t k) {
  if (k > (uint64_t)INT32_MAX / sizeof(Node)) {
    failf(X, "node index out of range");
    return 0;
  }
  return k * sizeof(Node);
}



static bool is_kreg(const IRIns *x) {
  return x->op == IR_KINT || x->op == IR_KGC || x->op == IR_KNUM;
}

/* Load value r into G register d. */
static void movg(Lower *X, int d, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  int16_t loc = X->A->loc[r];
  if (is_kreg(x)) {
    RU1(KI_G, G, d)->operand[0] = x->k;
  } else if (loc >= 0) {
    if (loc != d)
      RU2(MOV_G, GG, d, loc);
  } else if (loc != IRA_NONE) {
    RU1(RELOAD_G, G, d)->operand[0] = spill_off(loc);
  } else {
    failf(X, "value without a location");
  }
}

static void movf(Lower *X, int d, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  int16_t loc = X->A->loc[r];
  if (is_kreg(x)) {
    RU1(KF_F, F, d)->operand[0] = x->k;
  } else if (loc >= 0) {
    if (loc != d)
      RU2(MOV_F, FF, d, loc);
  } else if (loc != IRA_NONE) {
    RU1(RELOAD_F, F, d)->operand[0] = spill_off(loc);
  } else {
    failf(X, "value without a location");
  }
}

/* A register holding value r (a scratch one for constants and spills). */
static int getg(Lower *X, IRRef r) {
  int16_t loc = X->A->loc[r];
  if (!is_kreg(&X->B->ins[r]) && loc >= 0)
    return loc;
  int s = gscratch(X);
  movg(X, s, r);
  return s;
}

static int getf(Lower *X, IRRef r) {
  int16_t loc = X->A->loc[r];
  if (!is_kreg(&X->B->ins[r]) && loc >= 0)
    return loc;
  int s = fscratch(X);
  movf(X, s, r);
  return s;
}

/* The register a result is computed in. */
static int defg(Lower *X, IRRef r) {
  int16_t loc = X->A->loc[r];
  return loc >= 0 ? loc : gscratch(X);
}

static int deff(Lower *X, IRRef r) {
  int16_t loc = X->A->loc[r];
  return loc >= 0 ? loc : fscratch(X);
}

/* After computing r in register d: store it to its spill slot if it has
 * one, or to the slot that serves the exits after its register is gone
 * (snapshot splitting, ir_ra.c). */
static void fing(Lower *X, IRRef r, int d) {
  int16_t loc = X->A->loc[r];
  if (loc < 0 && loc != IRA_NONE)
    RU1(SPILL_G, G, d)->operand[0] = spill_off(loc);
  else if (loc >= 0 && X->A->sslot[r] != IRA_NONE)
    RU1(SPILL_G, G, d)->operand[0] = spill_off(X->A->sslot[r]);
}

static void finf(Lower *X, IRRef r, int d) {
  int16_t loc = X->A->loc[r];
  if (loc < 0 && loc != IRA_NONE)
    RU1(SPILL_F, F, d)->operand[0] = spill_off(loc);
  else if (loc >= 0 && X->A->sslot[r] != IRA_NONE)
    RU1(SPILL_F, F, d)->operand[0] = spill_off(X->A->sslot[r]);
}

static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static void set_exit(Lower *X, cpjit_uop *u, const IRIns *x) {
  if (x->snap < X->B->nsnap)
    u->exit = X->B->snap[x->snap].exit;
  else
    failf(X, "guard without a snapshot");
}

/* -Oexitstress=N: before the Nth guard of the trace, leave through that
 * guard's exit unconditionally (the exit's snapshot is exact there too). */
static void exit_stress(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  unsigned f = ir_opflags(x->op);
  bool guard = ((f & IRF_GUARD) && !(x->op == IR_SLOAD && (x->mode & IRM_NOGUARD))) ||
               (x->op == IR_MEMOP && x->snap < X->B->nsnap && x->k2 != UOP_EXIT);
  if (!guard || x->snap >= X->B->nsnap)
    return;
  if (++X->nguards == X->o->exitstress) {
    cpjit_uop *u = out(X, UOP_EXIT);
    u->exit = X->B->snap[x->snap].exit;
  }
}

/* -- Arithmetic ------------------------------------------------------------ */

typedef struct BinOp {
  int gg, gk, ff, fk; /* first variants, -1: none */
  bool comm;          /* commutative (for both types) */
  bool fcomm;
  int fm, rfm; /* float with the second / first operand in a spill slot */
  int rfk;     /* float with a constant first operand */
} BinOp;

static BinOp binop(int op) {
  switch (op) {
  case IR_ADD: return (BinOp){lua_OP_ADD_GG, lua_OP_ADD_GK, lua_OP_ADD_FF, lua_OP_ADD_FK, true, true, lua_OP_ADD_FM, lua_OP_ADD_FM, -1};
  case IR_SUB: return (BinOp){lua_OP_SUB_GG, lua_OP_SUB_GK, lua_OP_SUB_FF, lua_OP_SUB_FK, false, false, lua_OP_SUB_FM, lua_OP_RSUB_FM, lua_OP_RSUB_FK};
  case IR_MUL: return (BinOp){lua_OP_MUL_GG, lua_OP_MUL_GK, lua_OP_MUL_FF, lua_OP_MUL_FK, true, true, lua_OP_MUL_FM, lua_OP_MUL_FM, -1};
  case IR_DIV: return (BinOp){-1, -1, lua_OP_DIV_FF, lua_OP_DIV_FK, false, false, lua_OP_DIV_FM, lua_OP_RDIV_FM, lua_OP_RDIV_FK};
  case IR_MOD: return (BinOp){lua_OP_MOD_GG, lua_OP_MOD_GK, lua_OP_MOD_FF, -1, false, false, -1, -1, -1};
  case IR_IDIV: return (BinOp){lua_OP_IDIV_GG, lua_OP_IDIV_GK, lua_OP_IDIV_FF, -1, false, false, -1, -1, -1};
  case IR_POW: return (BinOp){-1, -1, lua_OP_POW_FF, -1, false, false, -1, -1, -1};
  case IR_BAND: return (BinOp){lua_OP_BAND_GG, lua_OP_BAND_GK, -1, -1, true, false, -1, -1, -1};
  case IR_BOR: return (BinOp){lua_OP_BOR_GG, lua_OP_BOR_GK, -1, -1, true, false, -1, -1, -1};
  case IR_BXOR: return (BinOp){lua_OP_BXOR_GG, lua_OP_BXOR_GK, -1, -1, true, false, -1, -1, -1};
  case IR_SHL: return (BinOp){lua_OP_SHL_GG, lua_OP_SHL_GK, -1, -1, false, false, -1, -1, -1};
  case IR_SHR: return (BinOp){lua_OP_SHR_GG, lua_OP_SHR_GK, -1, -1, false, false, -1, -1, -1};
  case IR_MIN: return (BinOp){lua_OP_MIN_GG, -1, lua_OP_MIN_FF, -1, true, false, -1, -1, -1};
  case IR_MAX: return (BinOp){lua_OP_MAX_GG, -1, lua_OP_MAX_FF, -1, true, false, -1, -1, -1};
  default: return (BinOp){-1, -1, -1, -1, false, false, -1, -1, -1};
  }
}

/* Does value r live in a spill slot (not a register, not a constant)? */
static bool spilled(Lower *X, IRRef r) {
  int16_t loc = X->A->loc[r];
  return !is_kreg(&X->B->ins[r]) && loc < 0 && loc != IRA_NONE;
}

static void lower_binop(Lower *X, IRRef r) {
  const IRBuf *B = X->B;
  const IRAlloc *A = X->A;
  const IRIns *x = &B->ins[r];
  BinOp bo = binop(x->op);
  IRRef a = x->a, b = x->b;
  if (x->tag == TAG_INT) {
    if (bo.gg < 0)
      return failf(X, "integer form missing");
    int d = defg(X, r);
    const IRIns *xb = &B->ins[b];
    if (xb->op == IR_KINT && fits32((int64_t)xb->k) && bo.gk >= 0 &&
        !((x->op == IR_IDIV || x->op == IR_MOD) && xb->k == 0)) {
      movg(X, d, a);
      ruop(X, bo.gk, "G", d, 0, 0)->operand[0] = xb->k;
    } else {
      if (a != b && !is_kreg(xb) && A->loc[b] == d) {
        if (bo.comm) {
          IRRef t = a;
          a = b;
          b = t;
        } else { /* b sits where the result goes: copy it out first */
          int s = gscratch(X);
          RU2(MOV_G, GG, s, d);
          movg(X, d, a);
          ruop(X, bo.gg, "GG", d, s, 0);
          fing(X, r, d);
          return;
        }
      }
      int rb = getg(X, b);
      movg(X, d, a);
      ruop(X, bo.gg, "GG", d, rb, 0);
    }
    fing(X, r, d);
  } else {
    if (bo.ff < 0)
      return failf(X, "float form missing");
    int d = deff(X, r);
    const IRIns *xb = &B->ins[b];
    if (xb->op == IR_KNUM && bo.fk >= 0) {
      movf(X, d, a);
      ruop(X, bo.fk, "F", d, 0, 0)->operand[0] = xb->k;
    } else if (a == b) { /* x * x: one load of a spilled x, not two */
      movf(X, d, a);
      ruop(X, bo.ff, "FF", d, d, 0);
    } else if (bo.fm >= 0 && spilled(X, b) && !spilled(X, a)) {
      /* b read from its spill slot, no scratch register */
      movf(X, d, a);
      ruop(X, bo.fm, "F", d, 0, 0)->operand[0] = spill_off(A->loc[b]);
    } else if (bo.rfk >= 0 && B->ins[a].op == IR_KNUM && !is_kreg(xb) &&
               A->loc[b] == d) {
      /* b dies in the result's register: d = k op d */
      ruop(X, bo.rfk, "F", d, 0, 0)->operand[0] = B->ins[a].k;
    } else if (bo.rfm >= 0 && spilled(X, a) && A->loc[b] == d) {
      /* b dies in the result's register: d = spill(a) op d */
      ruop(X, bo.rfm, "F", d, 0, 0)->operand[0] = spill_off(A->loc[a]);
    } else {
      if (a != b && !is_kreg(xb) && A->loc[b] == d) {
        if (bo.fcomm) {
          IRRef t = a;
          a = b;
          b = t;
        } else {
          int s = fscratch(X);
          RU2(MOV_F, FF, s, d);
          movf(X, d, a);
          ruop(X, bo.ff, "FF", d, s, 0);
          finf(X, r, d);
          return;
        }
      }
      int rb = getf(X, b);
      movf(X, d, a);
      ruop(X, bo.ff, "FF", d, rb, 0);
    }
    finf(X, r, d);
  }
}

static void lower_unop(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  if (x->tag == TAG_INT) {
    int d = defg(X, r);
    movg(X, d, x->a);
    int first = x->op == IR_UNM ? lua_OP_UNM_G : x->op == IR_BNOT ? lua_OP_BNOT_G
                                                                  : lua_OP_ABS_G;
    ruop(X, first, "G", d, 0, 0);
    fing(X, r, d);
    return;
  }
  int first;
  switch (x->op) {
  case IR_UNM: first = lua_OP_UNM_F; break;
  case IR_ABS: first = lua_OP_ABS_F; break;
  default:
    switch (x->k) {
    case IRFP_SQRT: first = lua_OP_SQRT_F; break;
    case IRFP_SIN: first = lua_OP_SIN_F; break;
    case IRFP_COS: first = lua_OP_COS_F; break;
    case IRFP_EXP: first = lua_OP_EXP_F; break;
    case IRFP_LOG: first = lua_OP_LOG_F; break;
    case IRFP_FLOOR: first = lua_OP_FLOOR_F; break;
    default: first = lua_OP_CEIL_F; break;
    }
  }
  int d = deff(X, r);
  movf(X, d, x->a);
  ruop(X, first, "F", d, 0, 0);
  finf(X, r, d);
}

/* -- Guards ------------------------------------------------------------------ */

static void lower_cmp(Lower *X, IRRef r) {
  const IRBuf *B = X->B;
  const IRIns *x = &B->ins[r];
  IRRef a = x->a, b = x->b;
  int op = x->op;
  bool flt = B->ins[a].tag == TAG_FLT;
  const IRIns *xb = &B->ins[b];
  cpjit_uop *u;
  if (!flt && xb->op == IR_KINT && fits32((int64_t)xb->k)) {
    static const int kf[] = {[IR_LT] = lua_OP_LT_GK, [IR_LE] = lua_OP_LE_GK,
                             [IR_GT] = lua_OP_GT_GK, [IR_GE] = lua_OP_GE_GK,
                             [IR_EQ] = lua_OP_EQ_GK, [IR_NE] = lua_OP_NE_GK};
    int ra = getg(X, a);
    u = ruop(X, kf[op], "G", ra, 0, 0);
    u->operand[0] = xb->k;
  } else if (flt && xb->op == IR_KNUM) {
    static const int kf[] = {[IR_LT] = lua_OP_LT_FK, [IR_LE] = lua_OP_LE_FK,
                             [IR_GT] = lua_OP_GT_FK, [IR_GE] = lua_OP_GE_FK,
                             [IR_EQ] = lua_OP_EQ_FK, [IR_NE] = lua_OP_NE_FK};
    int ra = getf(X, a);
    u = ruop(X, kf[op], "F", ra, 0, 0);
    u->operand[0] = xb->k;
  } else {
    if (op == IR_GT || op == IR_GE) { /* a > b is b < a */
      IRRef t = a;
      a = b;
      b = t;
      op = op == IR_GT ? IR_LT : IR_LE;
    }
    if (flt) {
      static const int ff[] = {[IR_LT] = lua_OP_LT_FF, [IR_LE] = lua_OP_LE_FF,
                               [IR_EQ] = lua_OP_EQ_FF, [IR_NE] = lua_OP_NE_FF};
      int ra = getf(X, a), rb = getf(X, b);
      u = ruop(X, ff[op], "FF", ra, rb, 0);
    } else {
      static const int gg[] = {[IR_LT] = lua_OP_LT_GG, [IR_LE] = lua_OP_LE_GG,
                               [IR_EQ] = lua_OP_EQ_GG, [IR_NE] = lua_OP_NE_GG};
      int ra = getg(X, a), rb = getg(X, b);
      u = ruop(X, gg[op], "GG", ra, rb, 0);
    }
  }
  set_exit(X, u, x);
}

/* -- Slots, tables, upvalues ----------------------------------------------- */

static bool is_pri(uint8_t tag) {
  return tag == TAG_NIL || tag == TAG_FALSE || tag == TAG_TRUE;
}

static void lower_sload(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  bool guard = !(x->mode & IRM_NOGUARD);
  uint16_t disp = (uint16_t)(16u * x->s);
  cpjit_uop *u;
  if (is_pri(x->tag)) {
    if (!guard)
      return;
    u = out(X, x->tag == TAG_NIL ? UOP_G_NIL : UOP_G_TAG_EQ);
    u->operand[1] = x->tag;
  } else if (x->tag == TAG_FLT) {
    int d = deff(X, r);
    u = guard ? RU1(SLOAD_F, F, d) : RU1(SLOADU_F, F, d);
    u->arg = disp;
    if (guard)
      set_exit(X, u, x);
    finf(X, r, d);
    return;
  } else {
    int d = defg(X, r);
    if (!guard)
      u = RU1(SLOADU_G, G, d);
    else if (x->tag == TAG_INT)
      u = RU1(SLOAD_I, G, d);
    else
      (u = RU1(SLOAD_P, G, d))->operand[1] = x->tag;
    u->arg = disp;
    if (guard)
      set_exit(X, u, x);
    fing(X, r, d);
    return;
  }
  u->arg = disp;
  set_exit(X, u, x);
}

/* Store value v (any kind) to slot s. */
static void store_slot(Lower *X, uint16_t s, IRRef v) {
  const IRIns *x = &X->B->ins[v];
  uint16_t disp = (uint16_t)(16u * s);
  cpjit_uop *u;
  if (ir_opflags(x->op) & IRF_K) {
    u = out(X, UOP_K);
    u->operand[0] = x->k;
    u->operand[1] = x->tag;
  } else if (x->tag == TAG_FLT) {
    u = RU1(SSTORE_F, F, getf(X, v));
  } else if (x->tag == TAG_INT) {
    u = RU1(SSTORE_I, G, getg(X, v));
  } else {
    u = RU1(SSTORE_P, G, getg(X, v));
    u->operand[1] = x->tag;
  }
  u->arg = disp;
}

static void lower_aload(Lower *X, IRRef r) {
  const IRBuf *B = X->B;
  const IRIns *x = &B->ins[r];
  const IRIns *xi = &B->ins[x->b];
  bool kidx = xi->op == IR_KINT && (int64_t)xi->k >= 1 &&
              (int64_t)xi->k <= (int64_t)UINT32_MAX;
  int t = getg(X, x->a);
  int i = kidx ? 0 : getg(X, x->b);
  cpjit_uop *u;
  if (is_pri(x->tag)) {
    u = kidx ? RU1(ALOADK_T, G, t) : RU2(ALOAD_T, GG, t, i);
    u->operand[1] = x->tag;
  } else if (x->tag == TAG_FLT) {
    int16_t loc = X->A->loc[r];
    int d = loc >= 0 ? loc : FS0;
    u = kidx ? RU2(ALOADK_F, FG, d, t) : RU3(ALOAD_F, FGG, d, t, i);
    if (kidx)
      u->operand[0] = xi->k - 1;
    set_exit(X, u, x);
    finf(X, r, d);
    return;
  } else {
    int16_t loc = X->A->loc[r];
    int d = loc >= 0 ? loc : GS0; /* the stencil reads its operands first */
    if (x->tag == TAG_INT)
      u = kidx ? RU2(ALOADK_I, GG, d, t) : RU3(ALOAD_I, GGG, d, t, i);
    else
      u = kidx ? RU2(ALOADK_P, GG, d, t) : RU3(ALOAD_P, GGG, d, t, i);
    u->operand[1] = x->tag;
    if (kidx)
      u->operand[0] = xi->k - 1;
    set_exit(X, u, x);
    fing(X, r, d);
    return;
  }
  if (kidx)
    u->operand[0] = xi->k - 1;
  set_exit(X, u, x);
}

static void lower_astore(Lower *X, IRRef r) {
  const IRBuf *B = X->B;
  const IRIns *x = &B->ins[r];
  const IRIns *xi = &B->ins[x->b], *xv = &B->ins[x->c];
  bool kidx = xi->op == IR_KINT && (int64_t)xi->k >= 1 &&
              (int64_t)xi->k <= (int64_t)UINT32_MAX;
  int t = getg(X, x->a);
  int i = kidx ? 0 : getg(X, x->b);
  cpjit_uop *u;
  if (is_pri(xv->tag)) {
    u = kidx ? RU1(ASTOREK_T, G, t) : RU2(ASTORE_T, GG, t, i);
    u->operand[1] = xv->tag;
  } else if (xv->tag == TAG_FLT) {
    int v = getf(X, x->c);
    u = kidx ? RU2(ASTOREK_F, GF, t, v) : RU3(ASTORE_F, GGF, t, i, v);
  } else {
    int v = getg(X, x->c);
    if (xv->tag == TAG_INT)
      u = kidx ? RU2(ASTOREK_I, GG, t, v) : RU3(ASTORE_I, GGG, t, i, v);
    else
      u = kidx ? RU2(ASTOREK_P, GG, t, v) : RU3(ASTORE_P, GGG, t, i, v);
    u->operand[1] = xv->tag;
  }
  if (kidx)
    u->operand[0] = xi->k - 1;
}

static void lower_garr(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  const IRIns *xi = &X->B->ins[x->b];
  int t = getg(X, x->a);
  cpjit_uop *u;
  if (xi->op == IR_KINT && (int64_t)xi->k >= 1 &&
      (int64_t)xi->k <= (int64_t)UINT32_MAX) {
    u = RU1(GARR_GK, G, t);
    u->operand[0] = xi->k - 1;
  } else {
    u = RU2(GARR_GG, GG, t, getg(X, x->b));
  }
  set_exit(X, u, x);
}

static void lower_hload(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  int t = getg(X, x->a);
  cpjit_uop *u;
  if (is_pri(x->tag)) {
    u = RU1(HLOAD_T, G, t);
    u->operand[1] = x->tag;
  } else if (x->tag == TAG_FLT) {
    int16_t loc = X->A->loc[r];
    int d = loc >= 0 ? loc : FS0;
    u = RU2(HLOAD_F, FG, d, t);
    u->operand[0] = node_off(X, x->k);
    set_exit(X, u, x);
    finf(X, r, d);
    return;
  } else {
    int16_t loc = X->A->loc[r];
    int d = loc >= 0 ? loc : GS0;
    u = x->tag == TAG_INT ? RU2(HLOAD_I, GG, d, t) : RU2(HLOAD_P, GG, d, t);
    u->operand[0] = node_off(X, x->k);
    u->operand[1] = x->tag;
    set_exit(X, u, x);
    fing(X, r, d);
    return;
  }
  u->operand[0] = node_off(X, x->k);
  set_exit(X, u, x);
}

static void lower_hstore(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  const IRIns *xv = &X->B->ins[x->b];
  int t = getg(X, x->a);
  cpjit_uop *u;
  if (is_pri(xv->tag)) {
    u = RU1(HSTORE_T, G, t);
  } else if (xv->tag == TAG_FLT) {
    u = RU2(HSTORE_F, GF, t, getf(X, x->b));
  } else {
    int v = getg(X, x->b);
    u = xv->tag == TAG_INT ? RU2(HSTORE_I, GG, t, v) : RU2(HSTORE_P, GG, t, v);
  }
  u->operand[0] = node_off(X, x->k);
  u->operand[1] = xv->tag;
}

static void lower_uload(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  cpjit_uop *u;
  if (is_pri(x->tag)) {
    u = out(X, UOP_G_UPTAG);
  } else if (x->tag == TAG_FLT) {
    int d = deff(X, r);
    u = RU1(ULOAD_F, F, d);
    u->operand[0] = x->k;
    set_exit(X, u, x);
    finf(X, r, d);
    return;
  } else {
    int d = defg(X, r);
    u = x->tag == TAG_INT ? RU1(ULOAD_I, G, d) : RU1(ULOAD_P, G, d);
    u->operand[0] = x->k;
    u->operand[1] = x->tag;
    set_exit(X, u, x);
    fing(X, r, d);
    return;
  }
  u->operand[0] = x->k;
  u->operand[1] = x->tag;
  set_exit(X, u, x);
}

static void lower_memop(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  cpjit_uop *u = out(X, (int)x->k2);
  u->arg = (uint16_t)(16u * x->s);
  u->operand[0] = x->k;
  u->operand[1] = x->k3;
  if (x->snap < X->B->nsnap)
    u->exit = X->B->snap[x->snap].exit;
  if (x->mode & IRM_NEXT)
    u->target = X->o->nuops; /* either way on to the next uop */
}

static void lower_ins(Lower *X, IRRef r) {
  const IRIns *x = &X->B->ins[r];
  X->gs = X->fs = 0;
  X->o->ins_uop[r] = X->o->nuops;
  if (X->o->exitstress)
    exit_stress(X, r);
  switch (x->op) {
  case IR_SLOAD: lower_sload(X, r); break;
  case IR_SSTORE: store_slot(X, x->s, x->a); break;
  case IR_ADD: case IR_SUB: case IR_MUL: case IR_DIV: case IR_MOD:
  case IR_IDIV: case IR_POW: case IR_BAND: case IR_BOR: case IR_BXOR:
  case IR_SHL: case IR_SHR: case IR_MIN: case IR_MAX:
    lower_binop(X, r);
    break;
  case IR_UNM: case IR_BNOT: case IR_ABS: case IR_FPMATH:
    lower_unop(X, r);
    break;
  case IR_CONV: {
    int s = getg(X, x->a);
    int d = deff(X, r);
    RU2(CONV_FG, FG, d, s);
    finf(X, r, d);
    break;
  }
  case IR_TOINT: {
    int s = getf(X, x->a);
    int d = defg(X, r);
    set_exit(X, RU2(TOINT_GF, GF, d, s), x);
    fing(X, r, d);
    break;
  }
  case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_EQ: case IR_NE:
    lower_cmp(X, r);
    break;
  case IR_GNOMT:
    set_exit(X, RU1(GNOMT_G, G, getg(X, x->a)), x);
    break;
  case IR_GARR: lower_garr(X, r); break;
  case IR_ALOAD: lower_aload(X, r); break;
  case IR_ASTORE: lower_astore(X, r); break;
  case IR_GHKEY: {
    int t = getg(X, x->a);
    cpjit_uop *u;
    if (x->mode & IRM_HSIZED) /* an earlier GHKEY checked the size */
      u = (x->mode & IRM_HKEYV) ? RU1(GHKEYVS_G, G, t) : RU1(GHKEYS_G, G, t);
    else
      u = (x->mode & IRM_HKEYV) ? RU1(GHKEYV_G, G, t) : RU1(GHKEY_G, G, t);
    u->operand[0] = node_off(X, x->k);
    u->arg = ir_node_bits(x->k); /* the size GHKEY_G checks */
    u->operand[1] = x->k3;
    set_exit(X, u, x);
    break;
  }
  case IR_TMETA: {
    int s = getg(X, x->a);
    int d = defg(X, r);
    set_exit(X, RU2(TMETA_GG, GG, d, s), x);
    fing(X, r, d);
    break;
  }
  case IR_GHNIL: {
    cpjit_uop *u = RU1(GHNIL_G, G, getg(X, x->a));
    u->operand[0] = x->k;
    u->operand[1] = x->k3;
    set_exit(X, u, x);
    break;
  }
  case IR_HLOAD: lower_hload(X, r); break;
  case IR_HSTORE: lower_hstore(X, r); break;
  case IR_ULOAD: lower_uload(X, r); break;
  case IR_GFUNCP: {
    cpjit_uop *u = RU1(GFUNCP_G, G, getg(X, x->a));
    u->operand[0] = x->k;
    set_exit(X, u, x);
    break;
  }
  case IR_MEMOP: lower_memop(X, r); break;
  case IR_NOP: case IR_LOOP: case IR_PVAL: break;
  default:
    failf(X, "IR op without lowering");
  }
}

/* -- The back-edge: parallel moves into the loop-carried locations -------- */

typedef struct Move {
  int16_t dst; /* location: register >= 0, spill slot < 0 */
  IRRef src;
  int16_t sloc; /* its location, IRA_NONE for a constant */
  bool done;
} Move;

static void move_loc(Lower *X, char cls, int16_t dst, int16_t src) {
  if (dst == src)
    return;
  bool f = cls == 'F';
  int s = f ? FS1 : GS1;
  if (dst >= 0 && src >= 0) {
    f ? (void)RU2(MOV_F, FF, dst, src) : (void)RU2(MOV_G, GG, dst, src);
  } else if (dst >= 0) {
    (f ? RU1(RELOAD_F, F, dst) : RU1(RELOAD_G, G, dst))->operand[0] = spill_off(src);
  } else if (src >= 0) {
    (f ? RU1(SPILL_F, F, src) : RU1(SPILL_G, G, src))->operand[0] = spill_off(dst);
  } else {
    (f ? RU1(RELOAD_F, F, s) : RU1(RELOAD_G, G, s))->operand[0] = spill_off(src);
    (f ? RU1(SPILL_F, F, s) : RU1(SPILL_G, G, s))->operand[0] = spill_off(dst);
  }
}

static void backedge_moves(Lower *X, char cls) {
  const IRBuf *B = X->B;
  const IRAlloc *A = X->A;
  Move mv[IR_MAX_PHIS];
  int n = 0;
  for (uint32_t p = 0; p < B->nphi; p++) {
    IRRef phi = B->phis[p].phi, val = B->phis[p].val;
    if (A->cls[phi] != cls)
      continue;
    bool dup = false; /* two slots carried in one value (a for loop's index) */
    for (uint32_t q = 0; q < p; q++)
      dup |= B->phis[q].phi == phi && B->phis[q].val == val;
    if (dup)
      continue;
    bool k = ir_opflags(B->ins[val].op) & IRF_K;
    mv[n].dst = A->loc[phi];
    mv[n].src = val;
    mv[n].sloc = k ? IRA_NONE : A->loc[val];
    mv[n].done = !k && mv[n].sloc == mv[n].dst;
    n++;
  }
  /* register/spill moves: emit those whose destination no pending move
   * still reads; break cycles through the second scratch register */
  int16_t tmp = (int16_t)(cls == 'F' ? FS0 : GS0);
  for (;;) {
    bool progress = false, pending = false;
    for (int j = 0; j < n; j++) {
      if (mv[j].done || mv[j].sloc == IRA_NONE)
        continue;
      pending = true;
      bool blocked = false;
      for (int q = 0; q < n && !blocked; q++)
        blocked = q != j && !mv[q].done && mv[q].sloc == mv[j].dst;
      if (!blocked) {
        move_loc(X, cls, mv[j].dst, mv[j].sloc);
        mv[j].done = true;
        progress = true;
      }
    }
    if (!pending)
      break;
    if (!progress) { /* a cycle: park one source in the scratch register */
      for (int j = 0; j < n; j++)
        if (!mv[j].done && mv[j].sloc != IRA_NONE) {
          move_loc(X, cls, tmp, mv[j].sloc);
          for (int q = 0; q < n; q++)
            if (!mv[q].done && mv[q].sloc == mv[j].sloc)
              mv[q].sloc = tmp;
          break;
        }
    }
  }
  for (int j = 0; j < n; j++) /* constants last: they read nothing */
    if (!mv[j].done) {
      int16_t d = mv[j].dst;
      int r = d >= 0 ? d : (cls == 'F' ? FS0 : GS0);
      cls == 'F' ? movf(X, r, mv[j].src) : movg(X, r, mv[j].src);
      if (d < 0)
        (cls == 'F' ? RU1(SPILL_F, F, r) : RU1(SPILL_G, G, r))->operand[0] = spill_off(d);
    }
}

/* -- Restore lists ------------------------------------------------------------- */

static void restore_lists(Lower *X, uint32_t nexits) {
  const IRBuf *B = X->B;
  const IRAlloc *A = X->A;
  LowerOut *o = X->o;
  for (uint32_t e = 0; e < nexits; e++)
    o->exit_rs[e] = o->exit_nrs[e] = 0;
  o->nrs = 0;
  /* Snapshots no live instruction refers to any more (their guard was
   * hoisted to the entry snapshot, folded or removed) are never taken: a
   * value of theirs that DCE removed has no location, and needs none. */
  uint8_t used[(IR_MAX_SNAP + 7) / 8];
  memset(used, 0, (B->nsnap + 7) / 8 < sizeof used ? (B->nsnap + 7) / 8 : sizeof used);
  for (IRRef r = 1; r < B->n; r++) {
    const IRIns *x = &B->ins[r];
    if (!(x->xf & IRX_DEAD) && x->snap < B->nsnap)
      used[x->snap >> 3] |= (uint8_t)(1u << (x->snap & 7));
  }
  for (uint32_t k = 0; k < B->nsnap; k++) {
    const Snapshot *sn = &B->snap[k];
    o->exit_rs[sn->exit] = o->nrs;
    bool taken = (used[k >> 3] >> (k & 7)) & 1;
    if (sn->n > o->rscap - o->nrs)
      return failf(X, "too many exit slots");
    /* registers first: most entries are values in registers (constants
     * have no location) */
    uint32_t at = A->snappos[k];
    const SnapEntry *se = &B->snapent[sn->start];
    ExitRestore *rs = &o->rs[o->nrs];
    for (uint32_t j = 0; j < sn->n; j++, se++, rs++) {
      IRRef ref = se->ref;
      const IRIns *x = &B->ins[ref];
      int16_t loc = A->loc[ref];
      rs->slot = se->slot;
      rs->tag = x->tag;
      rs->bits = 0;
      if (loc >= 0) {
        if (A->sslot[ref] != IRA_NONE && at > (uint32_t)A->end[ref] + 1) {
          /* its register is gone by the snapshot's last guard: the slot
           * written at its definition */
          rs->kind = EXR_SPILL;
          rs->idx = spill_slot(A->sslot[ref]);
        } else {
          rs->kind = A->cls[ref] == 'F' ? EXR_FPR : EXR_GPR;
          rs->idx = (uint32_t)loc;
        }
      } else if (ir_op_flags[x->op] & IRF_K) {
        rs->kind = EXR_CONST;
        rs->idx = 0;
        rs->bits = x->k;
      } else if (loc != IRA_NONE) {
        rs->kind = EXR_SPILL;
        rs->idx = spill_slot(loc);
      } else if (!taken && (x->xf & IRX_DEAD)) {
        rs->kind = EXR_CONST; /* never restored: the exit is not taken */
        rs->tag = TAG_NIL;
        rs->idx = 0;
      } else {
        char why[64];
        snprintf(why, sizeof why, "exit value %04u without a location",
                 (unsigned)ref);
        return failf(X, why);
      }
    }
    o->nrs += sn->n;
    o->exit_nrs[sn->exit] = o->nrs - o->exit_rs[sn->exit];
  }
}

/* The parent exit's write-back, from the registers the parent left. */
static void prologue(Lower *X, const TraceExit *parent) {
  for (uint32_t j = 0; j < parent->nrs; j++) {
    const ExitRestore *rs = &parent->rs[j];
    uint16_t disp = (uint16_t)(16u * rs->slot);
    cpjit_uop *u;
    switch (rs->kind) {
    case EXR_CONST:
      u = out(X, UOP_K);
      u->operand[0] = rs->bits;
      u->operand[1] = rs->tag;
      break;
    case EXR_FPR:
      u = RU1(SSTORE_F, F, (int)rs->idx);
      break;
    case EXR_GPR:
      u = rs->tag == TAG_INT ? RU1(SSTORE_I, G, (int)rs->idx)
                             : RU1(SSTORE_P, G, (int)rs->idx);
      u->operand[1] = rs->tag;
      break;
    default: /* a spill slot (an absolute index into the spill area) */
      if (rs->tag == TAG_FLT) {
        RU1(RELOAD_F, F, FS0)->operand[0] = 8u * (uint64_t)rs->idx;
        u = RU1(SSTORE_F, F, FS0);
      } else {
        RU1(RELOAD_G, G, GS0)->operand[0] = 8u * (uint64_t)rs->idx;
        u = rs->tag == TAG_INT ? RU1(SSTORE_I, G, GS0) : RU1(SSTORE_P, G, GS0);
        u->operand[1] = rs->tag;
      }
      break;
    }
    u->arg = disp;
  }
}

bool ir_lower(const IRBuf *B, const IRAlloc *A, const TraceExit *parent,
              uint32_t nexits, LowerOut *o) {
  Lower X = {B, A, o, 0, 0, 0, false};
  o->nuops = 0;
  o->why[0] = '\0';
  if (parent)
    prologue(&X, parent);
  uint32_t loop_uop = 0;
  for (uint32_t i = 0; i < A->norder && !X.fail; i++) {
    if (B->looped && i == A->loop_pos)
      loop_uop = o->nuops;
    lower_ins(&X, A->order[i]);
  }
  if (B->looped) {
    if (A->loop_pos == A->norder)
      loop_uop = o->nuops;
    backedge_moves(&X, 'G');
    backedge_moves(&X, 'F');
    cpjit_uop *u = out(&X, UOP_JUMP);
    u->target = loop_uop;
  }
  o->loop_uop = loop_uop;
  restore_lists(&X, nexits);
  return !X.fail;
}
