/*
 * ir.c -- the IR buffer: emitting through folding and CSE, interned
 * constants, memory barriers, and the -jdump listing.
 *
 * CSE: every op has a chain of its instructions, newest first (IRIns.prev).
 * A pure instruction, or a guard, identical to an earlier one (same op,
 * tag, operands and immediates) is not emitted again: the earlier ref is
 * returned (for a guard: the check already happened on this path). A load
 * is reused only when no barrier of its kind came after it: a store to the
 * array part for ALOAD, to the hash part for HLOAD, and anything that may
 * rehash or resize a table, change a metatable or run arbitrary code for
 * every load and structural guard (GNOMT, TMETA, GARR, GHKEY); GHNIL (a key
 * absent or nil) is not reused across any hash store. A load right after
 * a store to the same place with the same tag is the stored value
 * (store-to-load forwarding).
 *
 * Alias rules, explicitly: array-part and hash-part values never alias each
 * other; two table refs may be the same table, so an array store kills
 * every array load; a hash store kills only loads of the same node index
 * (node n of table t and node m != n of any table are different memory, and
 * a GHKEY guard before every hash access pins which key a node holds); SLOAD
 * is never CSE'd (the recorder's slot map does that job, and a MEMOP may
 * rewrite a slot).
 */
#include <inttypes.h>
#include <string.h>

#include "ir.h"

static const char *const op_names[] = {
#define IR_NAME(name, n, f) #name,
    IR_OP_LIST(IR_NAME)
#undef IR_NAME
};

const uint8_t ir_op_flags[IR__COUNT] = {
#define IR_FLAGS(name, n, f) (uint8_t)(f),
    IR_OP_LIST(IR_FLAGS)
#undef IR_FLAGS
};

const char *ir_opname(int op) {
  return op >= 0 && op < IR__COUNT ? op_names[op] : "?";
}

void ir_reset(IRBuf *B) {
  B->n = 1; /* ref 0 is "none" */
  memset(&B->ins[0], 0, sizeof B->ins[0]);
  B->nsnap = 0;
  B->nsnapent = 0;
  memset(B->chain, 0, sizeof B->chain);
  B->barrier_arr = B->barrier_hash = B->barrier_struct = 0;
  B->overflow = false;
  B->looped = false;
  B->nphi = 0;
  B->entry_snap = 0;
}

IRRef ir_raw(IRBuf *B, const IRIns *in) {
  if (B->n >= IR_MAX_INS) {
    B->overflow = true;
    return 0;
  }
  IRRef r = (IRRef)B->n++;
  IRIns *d = &B->ins[r];
  *d = *in;
  d->xf = 0;
  d->prev = B->chain[in->op];
  B->chain[in->op] = r;
  return r;
}

void ir_barrier_all(IRBuf *B) {
  B->barrier_arr = B->barrier_hash = B->barrier_struct = (IRRef)B->n;
}

/* -- Constants ----------------------------------------------------------------- */

static IRRef intern(IRBuf *B, uint8_t op, uint8_t tag, uint64_t k) {
  for (IRRef r = B->chain[op]; r; r = B->ins[r].prev)
    if (B->ins[r].k == k && B->ins[r].tag == tag)
      return r;
  IRIns in;
  memset(&in, 0, sizeof in);
  in.op = op;
  in.tag = tag;
  in.k = k;
  return ir_raw(B, &in);
}

IRRef ir_kint(IRBuf *B, int64_t v) { return intern(B, IR_KINT, TAG_INT, (uint64_t)v); }

IRRef ir_knum(IRBuf *B, double v) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return intern(B, IR_KNUM, TAG_FLT, u);
}

IRRef ir_kgc(IRBuf *B, const void *p, uint8_t tag) {
  return intern(B, IR_KGC, tag, (uint64_t)(uintptr_t)p);
}

IRRef ir_kpri(IRBuf *B, uint8_t tag) { return intern(B, IR_KPRI, tag, 0); }

/* -- Emitting ------------------------------------------------------------------ */

static bool same(const IRIns *x, const IRIns *in) {
  return x->tag == in->tag && x->a == in->a && x->b == in->b &&
         x->c == in->c && x->k == in->k && x->k3 == in->k3 && x->s == in->s &&
         x->k2 == in->k2 &&
         (x->mode & ~IRM_HSIZED) == (in->mode & ~IRM_HSIZED);
}

/* The barrier below which loads of op are stale. */
static IRRef load_floor(const IRBuf *B, int op) {
  switch (op) {
  case IR_ALOAD: return B->barrier_arr;
  case IR_HLOAD: return B->barrier_hash;
  default: return B->barrier_arr > B->barrier_hash ? B->barrier_arr : B->barrier_hash;
  }
}

static IRRef cse(IRBuf *B, const IRIns *in) {
  unsigned f = ir_op_flags[in->op];
  IRRef floor = (f & IRF_LOAD) ? load_floor(B, in->op) : 0;
  /* structural state (metatables, sizes, keys) is only changed by what
   * raises both barriers: ir_barrier_all */
  if (in->op == IR_GNOMT || in->op == IR_GARR || in->op == IR_GHKEY ||
      in->op == IR_TMETA || in->op == IR_ULOAD ||
      in->op == IR_HLOAD) /* HLOAD: below, per node */
    floor = B->barrier_struct;
  if (in->op == IR_GHNIL) { /* any value stored to a node may be its key's */
    floor = B->barrier_struct > B->barrier_hash ? B->barrier_struct : B->barrier_hash;
    if (B->chain[IR_HSTORE] > floor)
      floor = B->chain[IR_HSTORE];
  }
  for (IRRef r = B->chain[in->op]; r > floor; r = B->ins[r].prev)
    if (same(&B->ins[r], in)) {
      if (in->op == IR_HLOAD)
        for (IRRef s = B->chain[IR_HSTORE]; s > r; s = B->ins[s].prev)
          if (B->ins[s].k == in->k)
            return 0;
      return r;
    }
  /* store-to-load forwarding */
  if (in->op == IR_ALOAD) {
    IRRef s = B->chain[IR_ASTORE];
    if (s && s >= B->barrier_arr && B->ins[s].a == in->a && B->ins[s].b == in->b &&
        B->ins[B->ins[s].c].tag == in->tag)
      return B->ins[s].c;
  } else if (in->op == IR_HLOAD) {
    IRRef s = B->chain[IR_HSTORE];
    if (s && s >= B->barrier_hash && B->ins[s].a == in->a && B->ins[s].k == in->k &&
        B->ins[B->ins[s].b].tag == in->tag)
      return B->ins[s].b;
  }
  return 0;
}

/* The hkey rule. GHKEY checks that node k of the table exists (k <
 * 2^lsizenode) and holds the key. The size part is implied by an earlier
 * GHKEY on the same table ref for a node needing at least as many bits,
 * when nothing that may resize a table came between: table sizes change
 * only through what raises barrier_struct (ir_barrier_all), the barrier
 * CSE of GHKEY relies on too. Trace code runs in IR order, and hoisting
 * keeps that: both guards have the same operand, so both move or neither.
 * Such a GHKEY is lowered without the size check (GHKEYS_G). */
uint16_t ir_node_bits(uint64_t k) {
  uint16_t l = 0;
  while (l < 64 && (k >> l) != 0)
    l++;
  return l;
}

static bool size_checked(const IRBuf *B, const IRIns *in) {
  uint16_t need = ir_node_bits(in->k);
  for (IRRef r = B->chain[IR_GHKEY]; r > B->barrier_struct; r = B->ins[r].prev)
    if (B->ins[r].a == in->a && ir_node_bits(B->ins[r].k) >= need)
      return true;
  return false;
}

IRRef ir_emit(IRBuf *B, const IRIns *in0) {
  IRIns in = *in0;
  if (B->opt.fold) {
    IRRef f = ir_fold(B, &in);
    if (f)
      return f;
  }
  unsigned f = ir_op_flags[in.op];
  if (B->opt.cse && in.op != IR_SLOAD && (f & (IRF_PURE | IRF_GUARD | IRF_LOAD))) {
    IRRef r = cse(B, &in);
    if (r)
      return r;
  }
  if (in.op == IR_GHKEY && B->opt.hkey && size_checked(B, &in))
    in.mode |= IRM_HSIZED;
  IRRef r = ir_raw(B, &in);
  if (!r)
    return 0;
  if (in.op == IR_ASTORE)
    B->barrier_arr = r;
  else if (in.op == IR_HSTORE)
    B->barrier_hash = r;
  return r;
}

/* -- Dump ---------------------------------------------------------------------- */

static const char *tag_name(uint8_t tag) {
  switch (tag) {
  case TAG_NIL: return "nil";
  case TAG_FALSE: return "fal";
  case TAG_TRUE: return "tru";
  case TAG_INT: return "int";
  case TAG_FLT: return "num";
  case TAG_SHRSTR: case TAG_LNGSTR: return "str";
  case TAG_TABLE: return "tab";
  case TAG_LCL: case TAG_CCL: case TAG_LCF: return "fun";
  default: return "gco";
  }
}

static void dump_ref(const IRBuf *B, IRRef r, FILE *out) {
  if (!r)
    return;
  const IRIns *x = &B->ins[r];
  switch (x->op) {
  case IR_KINT: fprintf(out, " %" PRId64, (int64_t)x->k); break;
  case IR_KNUM: fprintf(out, " %.17g", ir_knumval(B, r)); break;
  case IR_KPRI: fprintf(out, " %s", tag_name(x->tag)); break;
  case IR_KGC: fprintf(out, " [%#" PRIx64 "]", x->k); break;
  default: fprintf(out, " %04u", r); break;
  }
}

void ir_dump(const IRBuf *B, FILE *out) {
  for (IRRef r = 1; r < B->n; r++) {
    const IRIns *x = &B->ins[r];
    if (ir_op_flags[x->op] & IRF_K)
      continue;
    bool value = !(ir_op_flags[x->op] & (IRF_STORE)) && x->op != IR_NOP &&
                 !(x->op >= IR_LT && x->op <= IR_NE) && x->op != IR_GNOMT &&
                 x->op != IR_GARR && x->op != IR_GHKEY && x->op != IR_GFUNCP &&
                 x->op != IR_GHNIL;
    fprintf(out, "%04u %c %s %-6s", r,
            (x->xf & IRX_DEAD) ? '-' : (x->xf & IRX_HOIST) ? '^' : ' ',
            value ? tag_name(x->tag) : "   ", op_names[x->op]);
    switch (x->op) {
    case IR_SLOAD:
      fprintf(out, " #%u%s%s%s", x->s, (x->mode & IRM_NOGUARD) ? "" : " guard",
              (x->mode & IRM_HOIST) ? " hoisted" : "",
              (x->mode & IRM_PHI) ? " phi" : "");
      break;
    case IR_PVAL:
      fprintf(out, " %c%u%s", IR_PVAL_CLS(x->k3) == 'S' ? 's' : IR_PVAL_CLS(x->k3) == 'F' ? 'f' : 'g',
              IR_PVAL_IDX(x->k3), (x->mode & IRM_PHI) ? " phi" : "");
      break;
    case IR_SSTORE:
      fprintf(out, " #%u =", x->s);
      dump_ref(B, x->a, out);
      break;
    case IR_FPMATH: case IR_GHKEY: case IR_HLOAD: case IR_HSTORE:
    case IR_GHNIL:
      dump_ref(B, x->a, out);
      dump_ref(B, x->b, out);
      fprintf(out, " k=%" PRIu64, x->k);
      break;
    case IR_MEMOP:
      fprintf(out, " uop %u a=#%u %#" PRIx64 " %#" PRIx64, x->k2, x->s, x->k,
              x->k3);
      break;
    default:
      dump_ref(B, x->a, out);
      dump_ref(B, x->b, out);
      dump_ref(B, x->c, out);
      break;
    }
    if (ir_op_flags[x->op] & IRF_GUARD || x->op == IR_MEMOP) {
      if (x->snap < B->nsnap) {
        const Snapshot *s = &B->snap[x->snap];
        fprintf(out, "  > exit %u {", s->exit);
        for (uint32_t j = 0; j < s->n; j++) {
          const SnapEntry *e = &B->snapent[s->start + j];
          fprintf(out, "%s#%u=", j ? " " : "", e->slot);
          if (ir_isk(B, e->ref))
            dump_ref(B, e->ref, out);
          else
            fprintf(out, "%04u", e->ref);
        }
        fputc('}', out);
      }
    }
    fputc('\n', out);
  }
}
