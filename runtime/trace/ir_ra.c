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
 * Why linear scan and not LuaJIT's backwards allocation: the lowering runs
 * forwards, stencils are chosen per register assignment after allocation,
 * and a single location per value keeps snapshots (exits) a plain table;
 * at the trace sizes of cpjit-lua (tens to hundreds of values) the spill
 * choice matters less than carrying loop values in registers, which the
 * loop pass arranges.
 */
#include <string.h>

#include "ir.h"

static uint8_t value_class(const IRIns *x) {
  unsigned f = ir_opflags(x->op);
  if ((f & IRF_K) || (x->xf & IRX_DEAD))
    return 0;
  switch (x->op) {
  case IR_SSTORE: case IR_ASTORE: case IR_HSTORE: case IR_MEMOP: case IR_LOOP:
  case IR_NOP: case IR_GNOMT: case IR_GARR: case IR_GHKEY: case IR_GFUNCP:
  case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_EQ: case IR_NE:
    return 0;
  default:
    return ir_class(x->tag);
  }
}

static void use(IRAlloc *A, const IRBuf *B, IRRef r, uint16_t pos) {
  if (r && A->cls[r] && A->end[r] < pos)
    A->end[r] = pos;
  (void)B;
}

bool ir_regalloc(const IRBuf *B, IRAlloc *A, int ngpr, int nfpr,
                 uint32_t spill0) {
  uint16_t *pos = B->tmp; /* order index of each instruction */
  A->ngpr = ngpr;
  A->nfpr = nfpr;
  A->nspill = spill0;
  A->norder = 0;
  /* the order */
  if (B->looped) {
    for (IRRef r = 1; r < B->n; r++) {
      const IRIns *x = &B->ins[r];
      if (!(ir_opflags(x->op) & IRF_K) && !(x->xf & IRX_DEAD) && (x->xf & IRX_HOIST))
        A->order[A->norder++] = r;
    }
  }
  A->loop_pos = A->norder;
  for (IRRef r = 1; r < B->n; r++) {
    const IRIns *x = &B->ins[r];
    if (!(ir_opflags(x->op) & IRF_K) && !(x->xf & IRX_DEAD) &&
        !(B->looped && (x->xf & IRX_HOIST)))
      A->order[A->norder++] = r;
  }
  uint16_t last = (uint16_t)A->norder; /* the back-edge */
  for (IRRef r = 0; r < B->n; r++) {
    A->cls[r] = value_class(&B->ins[r]);
    A->loc[r] = IRA_NONE;
    A->end[r] = 0;
  }
  for (uint32_t i = 0; i < A->norder; i++) {
    IRRef r = A->order[i];
    pos[r] = (uint16_t)i;
    A->end[r] = (uint16_t)i;
  }
  /* last uses */
  for (uint32_t i = 0; i < A->norder; i++) {
    const IRIns *x = &B->ins[A->order[i]];
    use(A, B, x->a, (uint16_t)i);
    use(A, B, x->b, (uint16_t)i);
    use(A, B, x->c, (uint16_t)i);
    unsigned f = ir_opflags(x->op);
    if (((f & IRF_GUARD) || x->op == IR_MEMOP) && x->snap < B->nsnap) {
      const Snapshot *s = &B->snap[x->snap];
      for (uint32_t j = 0; j < s->n; j++)
        use(A, B, B->snapent[s->start + j].ref, (uint16_t)i);
    }
  }
  if (B->looped) {
    /* the values the back-edge moves live to it; a loop-carried load
     * itself only to its last use in the body (its register is the
     * back-edge's destination, free meanwhile) */
    for (uint32_t p = 0; p < B->nphi; p++) {
      use(A, B, B->phis[p].val, last);
      use(A, B, B->phis[p].phi, (uint16_t)A->loop_pos);
    }
    /* values from before the body that the body uses live through it */
    for (uint32_t i = 0; i < A->loop_pos; i++) {
      IRRef r = A->order[i];
      if (A->cls[r] && A->end[r] >= A->loop_pos &&
          !((B->ins[r].op == IR_SLOAD || B->ins[r].op == IR_PVAL) &&
            (B->ins[r].mode & IRM_PHI)))
        A->end[r] = last;
    }
  }
  /* the scan */
  IRRef active[2][64];
  int nactive[2] = {0, 0};
  bool busy[2][64];
  memset(busy, 0, sizeof busy);
  int nregs[2] = {ngpr - IRA_SCRATCH, nfpr - IRA_SCRATCH};
  for (uint32_t i = 0; i < A->norder; i++) {
    IRRef r = A->order[i];
    int c = A->cls[r] == 'F';
    if (!A->cls[r])
      continue;
    const IRIns *xr = &B->ins[r];
    if (xr->op == IR_PVAL) { /* pre-coloured: where the parent left it */
      int pc = IR_PVAL_CLS(xr->k3);
      uint32_t idx = IR_PVAL_IDX(xr->k3);
      if (pc == 'S') {
        A->loc[r] = (int16_t)-(int)(idx + 1);
        continue;
      }
      if ((int)idx >= nregs[c] + IRA_SCRATCH || busy[c][idx])
        return false;
      A->loc[r] = (int16_t)idx;
      if ((int)idx < nregs[c])
        busy[c][idx] = true;
      active[c][nactive[c]++] = r;
      continue;
    }
    /* expire */
    for (int k = 0; k < 2; k++)
      for (int j = 0; j < nactive[k];) {
        IRRef q = active[k][j];
        if (A->end[q] < i) {
          if (A->loc[q] >= 0)
            busy[k][A->loc[q]] = false;
          active[k][j] = active[k][--nactive[k]];
        } else {
          j++;
        }
      }
    /* an operand dying here hands over its register */
    const IRIns *x = &B->ins[r];
    int reg = -1;
    IRRef ops[3] = {x->a, x->b, x->c};
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
    if (reg < 0)
      for (int k = 0; k < nregs[c]; k++)
        if (!busy[c][k]) {
          reg = k;
          break;
        }
    if (reg < 0) { /* spill the furthest */
      int far = -1;
      for (int j = 0; j < nactive[c]; j++)
        if (A->loc[active[c][j]] >= 0 && B->ins[active[c][j]].op != IR_PVAL &&
            (far < 0 || A->end[active[c][j]] > A->end[active[c][far]]))
          far = j;
      if (A->nspill >= IRA_MAX_SPILL)
        return false;
      /* a value that dies before the loop body costs one store and load
       * there; one the body uses would cost them every iteration */
      bool entry_only = B->looped && A->end[r] < A->loop_pos;
      if (far >= 0 && A->end[active[c][far]] > A->end[r] && !entry_only) {
        IRRef q = active[c][far];
        reg = A->loc[q];
        A->loc[q] = (int16_t)-(int)(++A->nspill);
      } else {
        A->loc[r] = (int16_t)-(int)(++A->nspill);
        continue;
      }
    }
    A->loc[r] = (int16_t)reg;
    busy[c][reg] = true;
    if (nactive[c] >= 64)
      return false;
    active[c][nactive[c]++] = r;
  }
  return true;
}
