/*
 * ir_ra.c -- register allocation: linear scan over the lowering order.
 *
 * Order: in a looped trace the hoisted instructions (and the loop-carried
 * loads) come first, then the body; otherwise the IR order. Each value's
 * interval runs from its definition to its last use, counting the
 * snapshots of guards as uses; a value defined before the loop body and
 * used in it, and every value the back-edge needs (loop-carried loads and
 * the values that replace them), lives to the end of the loop.
 *
 * Intervals are visited by start. Intervals that ended before the current
 * position free their registers; an operand of the current instruction
 * that dies there gives its register to the result first (the stencils'
 * two-address forms then need no move). With no free register, the value
 * with the furthest end -- the new one or an active one -- goes to a spill
 * slot for its whole life (Poletto and Sarkar's linear scan: no splitting).
 *
 * Spill costs (opt.spillcost, -O-spillcost to switch off). A spilled
 * value costs a store at its definition and a reload at every use; in a
 * loop, those in the body run every iteration, those before it once. Each
 * value gets a weight: 1 per definition or use before the loop, 8 per one
 * in the body (the back-edge's move counts as a use of both ends); exits are rare, so
 * snapshots count nothing. With no free register, the victim is the value
 * (the new one, or an active one) with the least weight per position it
 * still lives, ties going to the furthest end: an invariant read once per
 * iteration is spilled before a difference used four times in the body.
 *
 * Snapshot splitting (opt.snapsplit). Snapshots keep many values alive:
 * every Lua local an exit must write back, long after the body last
 * computes with it. When a class spills in the loop body, the scan runs
 * again with those values split: the register interval ends at the last
 * use by an instruction (or the back-edge), and a spill slot written once
 * at the definition (ir_lower.c) serves the exits of later guards. The
 * extra store per iteration is cheaper than a spilled value on the body's
 * critical path (nbody: a reload right after its store adds the
 * store-forwarding latency to the chain through sqrt and div).
 *
 * Why linear scan and not LuaJIT's backwards allocation: the lowering runs
 * forwards, stencils are chosen per register assignment after allocation,
 * and a single location per value keeps snapshots (exits) a plain table;
 * at the trace sizes of cpjit-lua (tens to hundreds of values) the spill
 * choice matters less than carrying loop values in registers, which the
 * loop pass arranges.
 */
#include <string.h>

#include "ir.h"

/* The flags of each op, inline (ir_opflags is a call per instruction). */
static const uint8_t ra_opflags[IR__COUNT] = {
#define IR_FLAGS(name, n, f) (uint8_t)(f),
    IR_OP_LIST(IR_FLAGS)
#undef IR_FLAGS
};

/* Ops that produce no value of their own (stores, guards, markers). */
static const uint8_t ra_novalue[IR__COUNT] = {
    [IR_SSTORE] = 1, [IR_ASTORE] = 1, [IR_HSTORE] = 1, [IR_MEMOP] = 1,
    [IR_LOOP] = 1,   [IR_NOP] = 1,    [IR_GNOMT] = 1,  [IR_GARR] = 1,
    [IR_GHKEY] = 1,  [IR_GHNIL] = 1,  [IR_GFUNCP] = 1, [IR_LT] = 1,     [IR_LE] = 1,
    [IR_GT] = 1,     [IR_GE] = 1,     [IR_EQ] = 1,     [IR_NE] = 1,
};

static inline unsigned opflags(unsigned op) {
  return op < IR__COUNT ? ra_opflags[op] : 0;
}

static inline uint8_t value_class(const IRIns *x) {
  if ((opflags(x->op) & IRF_K) || (x->xf & IRX_DEAD) ||
      (x->op < IR__COUNT && ra_novalue[x->op]))
    return 0;
  return ir_class(x->tag);
}

static inline void use(IRAlloc *A, IRRef r, uint16_t pos) {
  if (r && A->cls[r] && A->end[r] < pos)
    A->end[r] = pos;
}

/* A use of r that costs w if r is spilled. */
static inline void weigh(IRAlloc *A, IRRef r, uint16_t w) {
  if (r && A->cls[r])
    A->weight[r] = (uint16_t)(A->weight[r] + w < UINT16_MAX ? A->weight[r] + w : UINT16_MAX);
}

/* Is spilling a cheaper than spilling b at position i (weight per position
 * still to live; ties: the further end)? */
static bool cheaper(const IRAlloc *A, IRRef a, IRRef b, uint32_t i) {
  uint64_t la = (uint64_t)A->end[a] - i + 1, lb = (uint64_t)A->end[b] - i + 1;
  uint64_t ca = (uint64_t)A->weight[a] * lb, cb = (uint64_t)A->weight[b] * la;
  if (ca != cb)
    return ca < cb;
  return A->end[a] > A->end[b];
}

/* The linear scan over A->order with the intervals in A->end. Returns
 * false when more than IRA_MAX_SPILL slots or 64 active values of a class
 * are needed. */
static bool scan(const IRBuf *B, IRAlloc *A, const uint16_t *pos, int ngpr,
                 int nfpr) {
  for (uint32_t i = 0; i < A->norder; i++)
    A->loc[A->order[i]] = IRA_NONE;
  /* the scan; the active sets are expired only when one of their values
   * has ended (minend: the earliest end in the set) */
  IRRef active[2][64];
  int nactive[2] = {0, 0};
  uint32_t minend[2] = {UINT32_MAX, UINT32_MAX};
  uint64_t busy[2] = {0, 0}; /* bit k: register k holds a value */
  int nregs[2] = {ngpr - IRA_SCRATCH, nfpr - IRA_SCRATCH};
  for (uint32_t i = 0; i < A->norder; i++) {
    IRRef r = A->order[i];
    if (!A->cls[r])
      continue;
    int c = A->cls[r] == 'F';
    const IRIns *xr = &B->ins[r];
    if (xr->op == IR_PVAL) { /* pre-coloured: where the parent left it */
      int pc = IR_PVAL_CLS(xr->k3);
      uint32_t idx = IR_PVAL_IDX(xr->k3);
      if (pc == 'S') {
        A->loc[r] = (int16_t)-(int)(idx + 1);
        continue;
      }
      if ((int)idx >= nregs[c] + IRA_SCRATCH || idx >= 64 ||
          (busy[c] >> idx & 1))
        return false;
      A->loc[r] = (int16_t)idx;
      if ((int)idx < nregs[c])
        busy[c] |= (uint64_t)1 << idx;
      if (nactive[c] >= 64)
        return false;
      active[c][nactive[c]++] = r;
      if (A->end[r] < minend[c])
        minend[c] = A->end[r];
      continue;
    }
    /* expire */
    for (int k = 0; k < 2; k++) {
      if (minend[k] >= i)
        continue;
      uint32_t m = UINT32_MAX;
      for (int j = 0; j < nactive[k];) {
        IRRef q = active[k][j];
        if (A->end[q] < i) {
          if (A->loc[q] >= 0)
            busy[k] &= ~((uint64_t)1 << A->loc[q]);
          active[k][j] = active[k][--nactive[k]];
        } else {
          if (A->end[q] < m)
            m = A->end[q];
          j++;
        }
      }
      minend[k] = m;
    }
    /* an operand dying here hands over its register */
    int reg = -1;
    IRRef ops[3] = {xr->a, xr->b, xr->c};
    for (int o = 0; o < 3 && reg < 0; o++) {
      IRRef q = ops[o];
      if (!q || A->cls[q] != A->cls[r] || A->end[q] != i || A->loc[q] < 0 ||
          pos[q] >= i)
        continue;
      for (int j = 0; j < nactive[c]; j++)
        if (active[c][j] == q) {
          reg = A->loc[q];
          active[c][j] = active[c][--nactive[c]];
          break;
        }
    }
    if (reg < 0) {
      uint64_t avail = ~busy[c] & ((nregs[c] >= 64 ? 0 : (uint64_t)1 << nregs[c]) - 1);
      if (nregs[c] > 0 && avail)
        reg = __builtin_ctzll(avail);
    }
    if (reg < 0) { /* spill the furthest, or the cheapest */
      int far = -1;
      bool cost = B->opt.spillcost;
      for (int j = 0; j < nactive[c]; j++)
        if (A->loc[active[c][j]] >= 0 && B->ins[active[c][j]].op != IR_PVAL &&
            (far < 0 || (cost ? cheaper(A, active[c][j], active[c][far], i)
                              : A->end[active[c][j]] > A->end[active[c][far]])))
          far = j;
      if (A->nspill >= IRA_MAX_SPILL)
        return false;
      /* a value that dies before the loop body costs one store and load
       * there; one the body uses would cost them every iteration */
      bool entry_only = B->looped && A->end[r] < A->loop_pos;
      if (far >= 0 && !entry_only &&
          (cost ? cheaper(A, active[c][far], r, i) : A->end[active[c][far]] > A->end[r])) {
        IRRef q = active[c][far];
        reg = A->loc[q];
        A->loc[q] = (int16_t)-(int)(++A->nspill);
      } else {
        A->loc[r] = (int16_t)-(int)(++A->nspill);
        continue;
      }
    }
    A->loc[r] = (int16_t)reg;
    busy[c] |= (uint64_t)1 << reg;
    if (nactive[c] >= 64)
      return false;
    active[c][nactive[c]++] = r;
    if (A->end[r] < minend[c])
      minend[c] = A->end[r];
  }
  return true;
}

/* Did the scan spill a value of class c that the loop body defines? */
static bool spills_in_body(const IRAlloc *A, uint8_t c) {
  for (uint32_t i = A->loop_pos; i < A->norder; i++) {
    IRRef r = A->order[i];
    if (A->cls[r] == c && A->loc[r] < 0 && A->loc[r] != IRA_NONE)
      return true;
  }
  return false;
}

bool ir_regalloc(const IRBuf *B, IRAlloc *A, int ngpr, int nfpr,
                 uint32_t spill0) {
  uint16_t *pos = B->tmp; /* order index of each instruction */
  A->ngpr = ngpr;
  A->nfpr = nfpr;
  A->nspill = spill0;
  A->norder = 0;
  /* the order, the classes; one pass: in a looped trace the body goes to
   * `pos` first (free until the positions are set) and behind the hoisted
   * part after */
  uint16_t *body = pos;
  uint32_t nbody = 0;
  A->cls[0] = 0;
  A->loc[0] = IRA_NONE;
  A->sslot[0] = IRA_NONE;
  A->end[0] = 0;
  A->nsplit = 0;
  for (IRRef r = 1; r < B->n; r++) {
    const IRIns *x = &B->ins[r];
    A->cls[r] = value_class(x);
    A->loc[r] = IRA_NONE;
    A->sslot[r] = IRA_NONE;
    A->end[r] = 0;
    if ((opflags(x->op) & IRF_K) || (x->xf & IRX_DEAD))
      continue;
    if (!B->looped || (x->xf & IRX_HOIST))
      A->order[A->norder++] = r;
    else
      body[nbody++] = r;
  }
  A->loop_pos = A->norder;
  memcpy(A->order + A->norder, body, nbody * sizeof *body);
  A->norder += nbody;
  uint16_t last = (uint16_t)A->norder; /* the back-edge */
  /* positions, last uses; a snapshot counts as a use at the last guard
   * that carries it (guards often share one: each is walked once, after
   * this loop; snaplast[k].ref = position + 1, 0: unused) */
  SnapEntry *snaplast = B->tmpent; /* free scratch here */
  uint32_t nsnap = B->nsnap <= IR_MAX_SNAP ? B->nsnap : IR_MAX_SNAP;
  for (uint32_t k = 0; k < nsnap; k++)
    snaplast[k].ref = 0;
  for (uint32_t i = 0; i < A->norder; i++) {
    IRRef r = A->order[i];
    const IRIns *x = &B->ins[r];
    pos[r] = (uint16_t)i;
    A->end[r] = (uint16_t)i;
    use(A, x->a, (uint16_t)i);
    use(A, x->b, (uint16_t)i);
    use(A, x->c, (uint16_t)i);
    uint16_t w = B->looped && i >= A->loop_pos ? 8 : 1;
    A->weight[r] = w; /* the definition's store */
    weigh(A, x->a, w);
    weigh(A, x->b, w);
    weigh(A, x->c, w);
    if (((opflags(x->op) & IRF_GUARD) || x->op == IR_MEMOP) &&
        x->snap < nsnap)
      snaplast[x->snap].ref = (IRRef)(i + 1);
  }
  /* the ends so far are uses by instructions: keep them (rend, in the
   * scratch space behind snaplast: snapshot entries are four bytes, an
   * end two) */
  _Static_assert(IR_MAX_SNAP * sizeof(SnapEntry) + IR_MAX_INS * sizeof(uint16_t) <=
                     IR_MAX_SNAPENT * sizeof(SnapEntry),
                 "rend fits the scratch entries");
  uint16_t *rend = (uint16_t *)(void *)(B->tmpent + IR_MAX_SNAP);
  for (uint32_t i = 0; i < A->norder; i++)
    rend[A->order[i]] = A->end[A->order[i]];
  for (uint32_t k = 0; k < nsnap; k++) /* read only below B->nsnap */
    A->snappos[k] = (uint16_t)snaplast[k].ref;
  for (uint32_t k = 0; k < nsnap; k++) {
    if (!snaplast[k].ref)
      continue;
    uint16_t at = (uint16_t)(snaplast[k].ref - 1);
    const Snapshot *s = &B->snap[k];
    const SnapEntry *e = &B->snapent[s->start];
    for (uint32_t j = 0; j < s->n; j++)
      use(A, e[j].ref, at);
  }
  if (B->looped) {
    /* the values the back-edge moves live to it; a loop-carried load
     * itself only to its last use in the body (its register is the
     * back-edge's destination, free meanwhile) */
    for (uint32_t p = 0; p < B->nphi; p++) {
      use(A, B->phis[p].val, last);
      weigh(A, B->phis[p].val, 8); /* the back-edge's move: from it, */
      weigh(A, B->phis[p].phi, 8); /* into it */
      use(A, B->phis[p].phi, (uint16_t)A->loop_pos);
      if (B->phis[p].val && A->cls[B->phis[p].val])
        rend[B->phis[p].val] = last;
    }
    /* values from before the body that the body uses live through it */
    for (uint32_t i = 0; i < A->loop_pos; i++) {
      IRRef r = A->order[i];
      if (A->cls[r] && A->end[r] >= A->loop_pos &&
          !((B->ins[r].op == IR_SLOAD || B->ins[r].op == IR_PVAL) &&
            (B->ins[r].mode & IRM_PHI)))
        A->end[r] = rend[r] = last;
    }
  }
  A->nspill = spill0;
  if (!scan(B, A, pos, ngpr, nfpr))
    return false;
  if (!B->looped || !B->opt.snapsplit)
    return true;
  /* snapshot splitting, per class that spills in the body */
  bool split[2] = {spills_in_body(A, 'G'), spills_in_body(A, 'F')};
  if (!split[0] && !split[1])
    return true;
  for (uint32_t i = A->loop_pos; i < A->norder; i++) {
    IRRef r = A->order[i];
    const IRIns *x = &B->ins[r];
    if (!A->cls[r] || !split[A->cls[r] == 'F'] || A->end[r] <= rend[r] ||
        x->op == IR_PVAL || (x->op == IR_SLOAD && (x->mode & IRM_PHI)))
      continue;
    A->end[r] = rend[r];
    A->sslot[r] = 0; /* marked; a slot below if it gets a register */
    A->nsplit++;
  }
  if (!A->nsplit)
    return true;
  A->nspill = spill0;
  if (!scan(B, A, pos, ngpr, nfpr))
    return false;
  for (uint32_t i = A->loop_pos; i < A->norder; i++) {
    IRRef r = A->order[i];
    if (A->sslot[r] == IRA_NONE)
      continue;
    if (A->loc[r] < 0) { /* spilled all the same: its slot serves exits */
      A->sslot[r] = IRA_NONE;
      A->nsplit--;
      continue;
    }
    if (A->nspill >= IRA_MAX_SPILL)
      return false;
    A->sslot[r] = (int16_t)-(int)(++A->nspill);
  }
  return true;
}
