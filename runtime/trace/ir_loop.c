/*
 * ir_loop.c -- loop optimization of a trace that jumps back to its start.
 *
 * The recorder emits one pass through the loop body. This pass decides
 * what crosses the back-edge in registers and what runs only once:
 *
 * Loop-carried values (PHIs). A slot whose first access in the body is a
 * load (SLOAD), that the body then writes with a value of the same type,
 * and that nothing reads or writes in memory meanwhile (no MEMOP on it, no
 * EXEC in the loop) is carried in a register: its SLOAD runs once at the
 * loop's entry, and at the back-edge the new value moves into the SLOAD's
 * register instead of going through memory. Memory is then behind for the
 * whole loop, so every snapshot taken before the slot's first write in the
 * body gets the PHI's value.
 *
 * Invariant hoisting (LICM). An instruction whose operands are constants or
 * hoisted instructions, and whose result cannot change inside the loop, is
 * moved before it: loads of slots the loop never writes, with their type
 * guards; upvalue loads, metatable, key and bounds guards and table loads
 * when nothing in the loop can store there or change a table's shape;
 * arithmetic and guards on invariant values. Hoisted guards exit to the
 * loop's start with nothing to restore (the entry snapshot).
 *
 * Back-edge stores. Every other slot the body left dirty is stored before
 * the jump back -- except temporaries: registers at or above the number of
 * locals active at the loop's start (from the prototype's local-variable
 * ranges; all slots when the chunk was stripped of them) are dead there.
 */
#include <string.h>

#include "trace_int.h"

/* Can instruction r be hoisted, given what the loop does? */
static bool invariant(const IRBuf *B, IRRef r, const uint16_t *inv, bool calls,
                      bool shape, bool astore, bool hstore,
                      const Recorder *R) {
  const IRIns *x = &B->ins[r];
  unsigned f = ir_opflags(x->op);
  if (f & IRF_K)
    return true;
  if ((x->a && !inv[x->a]) || (x->b && !inv[x->b]) || (x->c && !inv[x->c]))
    return false;
  switch (x->op) {
  case IR_SLOAD:
    return !calls && !R->swritten[x->s] && !R->smemw[x->s];
  case IR_PVAL: /* runs before the loop; carried or unchanged (checked) */
    return true;
  case IR_SSTORE: /* a side trace's inherited constants */
    return (x->mode & IRM_ENTRY) != 0;
  case IR_ULOAD: /* not of an inlined call's function: it may change */
    return !calls && !shape && (x->k >> 16) == 0;
  case IR_GNOMT: case IR_GHKEY: case IR_GARR: case IR_TMETA:
    return !calls && !shape;
  case IR_GHNIL: /* a hash store may give the key a value */
    return !calls && !shape && !hstore;
  case IR_ALOAD:
    return !calls && !shape && !astore;
  case IR_HLOAD: /* unless the loop stores to the same node index */
    if (calls || shape)
      return false;
    if (hstore)
      for (IRRef q = B->chain[IR_HSTORE]; q; q = B->ins[q].prev)
        if (B->ins[q].k == x->k)
          return false;
    return true;
  case IR_MEMOP: /* the stack check of an inlined call */
    return !calls && x->k2 == UOP_G_STACK;
  case IR_GFUNCP: case IR_TOINT:
  case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_EQ: case IR_NE:
    return true;
  default:
    return (f & IRF_PURE) != 0;
  }
}

/* A snapshot copy with entries added: kept in a scratch area, then moved
 * back over snapent. */
static bool add_phi_entries(IRBuf *B, const Recorder *R) {
  SnapEntry *tmp = B->tmpent;
  uint32_t n = 0;
  for (uint32_t k = 0; k < B->nsnap; k++) {
    Snapshot *sn = &B->snap[k];
    uint32_t start = n;
    for (uint32_t j = 0; j < sn->n; j++) {
      if (n >= IR_MAX_SNAPENT)
        return false;
      tmp[n++] = B->snapent[sn->start + j];
    }
    if (k != B->entry_snap) {
      for (uint32_t p = 0; p < B->nphi; p++) {
        uint16_t s = B->phis[p].slot;
        /* before the slot's first write, memory holds last iteration's
         * value only in the first iteration: the snapshot names it */
        if (sn->ref >= R->sfirstw[s])
          continue;
        if (n >= IR_MAX_SNAPENT)
          return false;
        tmp[n].slot = s;
        tmp[n].ref = B->phis[p].phi;
        n++;
        sn->loopvals = 1;
      }
    }
    sn->start = start;
    sn->n = (uint16_t)(n - start);
  }
  memcpy(B->snapent, tmp, n * sizeof *tmp);
  B->nsnapent = n;
  return true;
}

/* Bounds-check elimination for the induction variable of the loop's own
 * numeric for (step 1): in the body, `GARR t, i+k` with t invariant is true
 * for every iteration when it holds for the first and the last index, i0+k
 * and i0+c+k (i0, c: the index and the remaining count at the entry, the
 * loop-carried loads' initial values). Those two checks run once at the
 * entry; the body's goes. Array sizes only change through what `shape`
 * covers (helpers, EXEC). Root traces only: when the range does not fit (an
 * array still growing, a loop reading past the end), the entry exit gets a
 * side trace, which keeps its checks per iteration and goes where the
 * first one fails. */
static void bounds_checks(Recorder *R, const uint16_t *inv, bool shape) {
  IRBuf *B = &R->B;
  IRRef P = R->bce_idx, C = R->bce_cnt;
  if (shape || R->parent || !P || !C || !B->opt.loop || B->ins[P].op != IR_SLOAD ||
      !(B->ins[P].mode & IRM_PHI) || B->ins[C].op != IR_SLOAD ||
      !(B->ins[C].mode & IRM_PHI))
    return;
  IRRef hi0 = 0;
  IRRef n0 = (IRRef)B->n;
  for (IRRef r = 1; r < n0; r++) {
    IRIns *x = &B->ins[r];
    if (x->op != IR_GARR || (x->xf & IRX_HOIST) || !inv[x->a])
      continue;
    const IRIns *xi = &B->ins[x->b];
    int64_t k;
    if (x->b == P)
      k = 0;
    else if (xi->op == IR_ADD && xi->tag == TAG_INT && xi->a == P &&
             B->ins[xi->b].op == IR_KINT)
      k = (int64_t)B->ins[xi->b].k;
    else
      continue;
    if (k < -65536 || k > 65536)
      continue;
    if (!hi0) {
      IRIns h;
      memset(&h, 0, sizeof h);
      h.op = IR_ADD;
      h.tag = TAG_INT;
      h.a = P;
      h.b = C;
      hi0 = ir_raw(B, &h);
      if (!hi0)
        return;
      B->ins[hi0].xf |= IRX_HOIST;
    }
    IRRef bound[2] = {P, hi0};
    bool ok = true;
    IRRef made[4];
    int nm = 0;
    for (int e = 0; e < 2 && ok; e++) {
      IRRef v = bound[e];
      if (k) {
        IRIns add;
        memset(&add, 0, sizeof add);
        add.op = IR_ADD;
        add.tag = TAG_INT;
        add.a = v;
        add.b = ir_kint(B, k);
        v = ir_raw(B, &add);
        ok = v != 0;
        if (ok)
          made[nm++] = v;
      }
      IRIns g;
      memset(&g, 0, sizeof g);
      g.op = IR_GARR;
      g.a = x->a;
      g.b = v;
      g.snap = B->entry_snap;
      IRRef gr = ok ? ir_raw(B, &g) : 0;
      ok = gr != 0;
      if (ok)
        made[nm++] = gr;
    }
    if (!ok)
      return;
    for (int m = 0; m < nm; m++)
      B->ins[made[m]].xf |= IRX_HOIST;
    x->op = IR_NOP; /* the body's check is implied */
  }
}

bool ir_loop(Recorder *R) {
  IRBuf *B = &R->B;
  B->looped = true;
  bool calls = R->has_exec, shape = false, astore = false, hstore = false;
  for (IRRef r = 1; r < B->n; r++) {
    const IRIns *x = &B->ins[r];
    if (x->op == IR_ASTORE)
      astore = true;
    else if (x->op == IR_HSTORE)
      hstore = true;
    else if (x->op == IR_MEMOP &&
             (x->k2 == UOP_SETUPVAL || x->k2 == UOP_SETFIELD_S || x->k2 == UOP_EXEC ||
              x->k2 == UOP_SETTAB_TS || x->k2 == UOP_SETMT || x->k2 == UOP_SETLIST_T))
      shape = true;
  }
  /* A trace that made or dropped frames: slot s is another frame's
   * register on the next pass; nothing stays in registers. */
  if (!B->opt.loop || R->frames_moved) {
    for (int s = 0; s <= R->maxslot; s++)
      if (R->sdirty[s]) {
        IRIns in;
        memset(&in, 0, sizeof in);
        in.op = IR_SSTORE;
        in.a = R->sref[s];
        in.s = (uint16_t)s;
        if (!ir_raw(B, &in))
          return false;
      }
    return true;
  }
  /* Loop-carried slots. */
  B->nphi = 0;
  for (int s = 0; s <= R->maxslot; s++) {
    IRRef phi = R->sfirst[s], val = R->sref[s];
    if (!phi || !val || !R->swritten[s] ||
        (B->ins[phi].op != IR_SLOAD && B->ins[phi].op != IR_PVAL) || R->smemw[s] || R->smemread[s] ||
        calls || B->ins[phi].tag != B->ins[val].tag ||
        B->ins[phi].tag == TAG_NIL || B->ins[phi].tag == TAG_FALSE ||
        B->ins[phi].tag == TAG_TRUE || B->nphi >= IR_MAX_PHIS)
      continue;
    B->ins[phi].mode |= IRM_PHI;
    B->phis[B->nphi].phi = phi;
    B->phis[B->nphi].val = val;
    B->phis[B->nphi].slot = (uint16_t)s;
    B->nphi++;
  }
  /* A side trace that took over its parent's values (record.c: inherit)
   * reads them in its first pass through the loop: a slot it writes must be
   * carried, or the next pass would read the parent's value again. */
  if (R->inherit) {
    for (int s = 0; s <= R->maxslot; s++) {
      bool carried = false;
      for (uint32_t p = 0; p < B->nphi; p++)
        carried |= B->phis[p].slot == s;
      if (R->sinherited[s] && (calls || (R->swritten[s] && !carried) || R->smemw[s])) {
        if (R->parent)
          R->parent->noinherit = 1; /* next time: write the exit back first */
        R->soft_abort = true;
        snprintf(R->why, sizeof R->why, "side trace loop over its parent's values");
        return false;
      }
    }
  }
  /* Stores at the back-edge for the rest. */
  for (int s = 0; s <= R->maxslot; s++) {
    bool carried = false;
    for (uint32_t p = 0; p < B->nphi; p++)
      carried |= B->phis[p].slot == s;
    /* registers above the function's active locals at the loop's start
     * are temporaries, dead there: no store */
    if (R->sdirty[s] && !carried && s < R->live_at_head) {
      IRIns in;
      memset(&in, 0, sizeof in);
      in.op = IR_SSTORE;
      in.a = R->sref[s];
      in.s = (uint16_t)s;
      if (!ir_raw(B, &in))
        return false;
    }
  }
  /* The entry snapshot: back to the loop's start, nothing to restore. */
  if (B->nsnap >= IR_MAX_SNAP || R->nexits >= JIT_MAX_EXITS)
    return false;
  Snapshot *es = &B->snap[B->nsnap];
  es->pc = R->head;
  es->start = B->nsnapent;
  es->n = 0;
  for (int s = 0; s <= R->maxslot; s++) /* what the parent left */
    if (R->sinherited[s] && B->nsnapent < IR_MAX_SNAPENT) {
      B->snapent[B->nsnapent].slot = (uint16_t)s;
      B->snapent[B->nsnapent].ref = R->sfirst[s];
      B->nsnapent++;
      es->n++;
    }
  es->ref = 1;
  es->loopvals = 0;
  es->exit = (uint16_t)R->nexits;
  R->exit_frame[R->nexits] = 0;
  R->exit_top[R->nexits] = -1;
  R->exit_pc[R->nexits++] = R->head;
  B->entry_snap = (uint16_t)B->nsnap++;
  /* Hoisting, in order (operands come first). PHI loads run once at the
   * entry too: the back-edge supplies their later values. */
  uint16_t *inv = B->tmp; /* invariant (hoisted, not loop-carried) */
  memset(inv, 0, B->n * sizeof *inv);
  for (IRRef r = 1; r < B->n; r++) {
    IRIns *x = &B->ins[r];
    if (ir_opflags(x->op) & IRF_K) {
      inv[r] = true;
      continue;
    }
    bool phi = (x->op == IR_SLOAD || x->op == IR_PVAL) && (x->mode & IRM_PHI);
    if (phi || invariant(B, r, inv, calls, shape, astore, hstore, R)) {
      x->xf |= IRX_HOIST;
      if ((ir_opflags(x->op) & IRF_GUARD) || x->op == IR_MEMOP)
        x->snap = B->entry_snap;
      inv[r] = !phi;
    }
  }
  bounds_checks(R, inv, calls || shape);
  return add_phi_entries(B, R);
}
