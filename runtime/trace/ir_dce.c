/*
 * ir_dce.c -- dead-code elimination.
 *
 * Roots: instructions with an effect (stores, MEMOPs), guards (a type check
 * stays even when the loaded value is unused: lowering then emits only the
 * check), loop-carried loads and the values the back-edge gives them, and
 * the values snapshots of live guards restore. Everything a root uses,
 * transitively, is live; the rest is marked IRX_DEAD and gets no code.
 * Operands always precede their users, and the only later uses (PHI
 * values, snapshot entries naming a PHI) are roots, so one backward sweep
 * decides.
 */
#include <string.h>

#include "ir.h"

uint32_t ir_dce(IRBuf *B) {
  uint16_t *live = B->tmp;
  memset(live, 0, B->n * sizeof *live);
  for (uint32_t p = 0; p < B->nphi; p++)
    live[B->phis[p].phi] = live[B->phis[p].val] = 1;
  uint32_t dead = 0;
  for (IRRef r = (IRRef)(B->n - 1); r >= 1; r--) {
    IRIns *x = &B->ins[r];
    unsigned f = ir_opflags(x->op);
    if (f & IRF_K) {
      continue;
    }
    bool guard = (f & IRF_GUARD) && !(x->op == IR_SLOAD && (x->mode & IRM_NOGUARD));
    if ((f & IRF_STORE) || guard)
      live[r] = 1;
    if (!live[r]) {
      x->xf |= IRX_DEAD;
      dead++;
      continue;
    }
    x->xf &= (uint8_t)~IRX_DEAD;
    if (x->a) live[x->a] = 1;
    if (x->b) live[x->b] = 1;
    if (x->c) live[x->c] = 1;
    if ((guard || x->op == IR_MEMOP) && x->snap < B->nsnap) {
      const Snapshot *s = &B->snap[x->snap];
      for (uint32_t j = 0; j < s->n; j++)
        live[B->snapent[s->start + j].ref] = 1;
    }
  }
  return dead;
}
