/*
 * ir.h -- the trace IR of cpjit-lua: typed SSA instructions with snapshots.
 *
 * The recorder (record.c) emits IR, not machine-level uops. An instruction
 * names its operands by reference (IRRef: an index into the IR buffer) and
 * carries the Lua tag of the value it produces (TAG_INT, TAG_FLT, TAG_TABLE,
 * ...; 0 for none). Integers and floats are unboxed: a value's tag is known
 * statically, so tags are written only where a value goes back to a frame
 * slot (a store, an exit).
 *
 * Frame slots: the recorder keeps a slot map (slot -> IRRef). A slot is read
 * once per trace with SLOAD (a type guard unless the type is known) and
 * written lazily: a write only updates the map and marks the slot dirty.
 * Dirty slots are stored (SSTORE) only where something needs memory to be
 * current: before an instruction that works on frame slots itself (MEMOP,
 * below), before the interpreter's slow path (EXEC), and at the loop's
 * back-edge for slots that are not carried in registers.
 *
 * Guards carry a snapshot: the exit's pc and, for each slot whose memory is
 * stale at that point, the IR value it holds. Leaving through a guard writes
 * those values back with their tags (trace.c: jit_restore, or a side trace's
 * prologue) and the interpreter resumes exactly where the guard's
 * instruction began.
 *
 * MEMOP is the IR's way of using one of the slot-level uops of
 * lua_uop_list.h unchanged (table access with metamethod checks, field
 * stores through a helper, upvalues, for-loop preparation, EXEC, ...): its
 * slot operands are read from memory, so the recorder stores the slots it
 * reads first and forgets the slots it writes.
 *
 * Pipeline (trace.c: finish_recording): record + fold/CSE on the fly
 * (ir.c, ir_fold.c) -> loop optimization (ir_loop.c: invariant hoisting and
 * loop-carried values) -> dead-code elimination (ir_dce.c) -> register
 * allocation (ir_ra.c) -> lowering to stencil uops (ir_lower.c) ->
 * cpjit_compile. Each pass can be switched off for measurement (-O-fold,
 * -O-cse, -O-loop, -O-dce, -O-hkey, -O-spillcost, -O-snapsplit).
 */
#ifndef CPJIT_LUA_IR_H
#define CPJIT_LUA_IR_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "core.h"

typedef uint16_t IRRef; /* 0: none */

/* Instruction flags (IR_OP_LIST third column). */
#define IRF_K 1u      /* constant: interned, no code of its own */
#define IRF_PURE 2u   /* no effect: CSE and DCE apply */
#define IRF_GUARD 4u  /* may exit: carries a snapshot */
#define IRF_LOAD 8u   /* reads memory: CSE only within its memory epoch */
#define IRF_STORE 16u /* writes memory (never removed) */

/* name, operand refs used (a, b, c), flags */
#define IR_OP_LIST(X)                                                          \
  X(NOP, 0, 0)                                                                 \
  /* constants: k holds the payload bits; KPRI: nil/false/true (tag only) */  \
  X(KINT, 0, IRF_K) X(KNUM, 0, IRF_K) X(KGC, 0, IRF_K) X(KPRI, 0, IRF_K)       \
  /* frame slots: s = slot index from the trace's base */                     \
  X(SLOAD, 0, IRF_LOAD | IRF_GUARD) /* value of slot s (guard: its tag) */     \
  X(SSTORE, 1, IRF_STORE)           /* slot s = a, with a's tag          */   \
  X(PVAL, 0, 0) /* side trace: a value its parent left in register/spill k3 */ \
  /* arithmetic on unboxed values; the tag says integer or float */          \
  X(ADD, 2, IRF_PURE) X(SUB, 2, IRF_PURE) X(MUL, 2, IRF_PURE)                  \
  X(DIV, 2, IRF_PURE) X(MOD, 2, IRF_PURE) X(IDIV, 2, IRF_PURE)                 \
  X(POW, 2, IRF_PURE) X(BAND, 2, IRF_PURE) X(BOR, 2, IRF_PURE)                 \
  X(BXOR, 2, IRF_PURE) X(SHL, 2, IRF_PURE) X(SHR, 2, IRF_PURE)                 \
  X(UNM, 1, IRF_PURE) X(BNOT, 1, IRF_PURE) X(MIN, 2, IRF_PURE)                 \
  X(MAX, 2, IRF_PURE) X(ABS, 1, IRF_PURE)                                      \
  X(FPMATH, 1, IRF_PURE) /* k: IRFP_SQRT ... of a float */                   \
  X(CONV, 1, IRF_PURE)   /* float of integer a */                            \
  /* guards: exit unless (a op b); integers, floats or GC pointers */        \
  X(LT, 2, IRF_GUARD) X(LE, 2, IRF_GUARD) X(GT, 2, IRF_GUARD)                  \
  X(GE, 2, IRF_GUARD) X(EQ, 2, IRF_GUARD) X(NE, 2, IRF_GUARD)                  \
  /* tables (a: the table) */                                                \
  X(GNOMT, 1, IRF_GUARD | IRF_LOAD)  /* a has no metatable                 */ \
  X(GARR, 2, IRF_GUARD | IRF_LOAD)   /* 1 <= b <= asize of a               */ \
  X(ALOAD, 2, IRF_GUARD | IRF_LOAD)  /* a->array[b - 1], guard: the tag    */ \
  X(ASTORE, 3, IRF_STORE)            /* a->array[b - 1] = c                */ \
  X(GHKEY, 1, IRF_GUARD | IRF_LOAD)  /* node k of a holds key k2           */ \
  X(TMETA, 1, IRF_GUARD | IRF_LOAD)  /* a's metatable (guard: it has one)  */ \
  X(GHNIL, 1, IRF_GUARD | IRF_LOAD)  /* a[key k3] is nil (k: its hash)     */ \
  X(HLOAD, 1, IRF_GUARD | IRF_LOAD)  /* value of node k of a, guard: tag   */ \
  X(HSTORE, 2, IRF_STORE)            /* value of node k of a = b           */ \
  X(ULOAD, 0, IRF_GUARD | IRF_LOAD)  /* upvalue k of the running closure   */ \
  X(GFUNCP, 1, IRF_GUARD)            /* Lua closure a runs prototype k     */ \
  X(TOINT, 1, IRF_GUARD)             /* integer of float a (in range)      */ \
  /* a slot-level uop of lua_uop_list.h (uop k2, arg s, operands k, k3) */  \
  X(MEMOP, 0, IRF_STORE)                                                       \
  X(LOOP, 0, 0) /* the loop starts after this (ir_loop.c)                   */

enum {
#define IR_ENUM(name, n, f) IR_##name,
  IR_OP_LIST(IR_ENUM)
#undef IR_ENUM
  IR__COUNT
};

/* FPMATH functions (IRIns.k). */
enum { IRFP_SQRT, IRFP_SIN, IRFP_COS, IRFP_EXP, IRFP_LOG, IRFP_FLOOR, IRFP_CEIL };

/* SLOAD modes (IRIns.mode). */
#define IRM_NOGUARD 1u /* the slot's tag is known: no check */
#define IRM_HOIST 2u   /* ir_loop.c: moved to the loop's entry */
#define IRM_PHI 4u     /* ir_loop.c: loop-carried (value from the back-edge) */
/* IRIns.xf */
#define IRX_DEAD 1u  /* ir_dce.c: nothing uses it */
#define IRX_HOIST 2u /* ir_loop.c: runs once, before the loop */

#define IRM_HKEYV 8u   /* GHKEY: and the value is not nil */
#define IRM_NEXT 16u   /* MEMOP: its jump target is the next instruction */
#define IRM_ENTRY 32u  /* SSTORE: once, at the trace's start (record.c) */
#define IRM_HSIZED 64u /* GHKEY: an earlier GHKEY checked the size (ir.c) */

typedef struct IRIns {
  uint8_t op;
  uint8_t tag;   /* Lua tag of the result, 0: none */
  uint8_t mode;  /* IRM_* (SLOAD), MEMOP: the memop's flags */
  uint8_t xf;    /* IRX_*: set by the passes */
  IRRef a, b, c; /* operands */
  IRRef prev;    /* previous instruction with the same op (CSE chains) */
  uint16_t s;    /* slot (SLOAD, SSTORE), MEMOP: arg slot */
  uint16_t snap; /* guards: snapshot index */
  uint32_t k2;   /* GHKEY: (unused); MEMOP: the uop */
  uint64_t k;    /* constant bits / node index / FPMATH function / ... */
  uint64_t k3;   /* MEMOP: operand 1; GHKEY, GHNIL: the key */
} IRIns;

/* One slot of a snapshot: slot `slot` holds IR value `ref`. */
typedef struct SnapEntry {
  uint16_t slot;
  IRRef ref;
} SnapEntry;

typedef struct Snapshot {
  const Instruction *pc; /* where the interpreter resumes */
  uint32_t start;        /* first entry in IRBuf.snapent */
  uint16_t n;            /* entries */
  uint16_t exit;         /* exit index (trace exits, in order) */
  IRRef ref;             /* the first instruction after which it holds */
  uint8_t loopvals;      /* ir_loop.c added loop-carried entries */
} Snapshot;

#define IR_MAX_INS 8000
#define IR_MAX_SNAP 2000
#define IR_MAX_SNAPENT 60000
#define IR_MAX_SLOTS 256
#define IR_NOSNAP 0xffffu
#define IR_MAX_PHIS 64

/* Switches of the passes (cpjit_lua_options, -O-fold ...). */
typedef struct IROpts {
  bool fold, cse, loop, dce;
  bool hkey;      /* GHKEY: drop size checks an earlier one implies (ir.c) */
  bool spillcost; /* ir_ra.c: spill the value with the fewest uses */
  bool snapsplit; /* ir_ra.c: snapshot-only tails of loop values in memory */
} IROpts;

typedef struct IRBuf {
  IRIns *ins; /* ins[0] unused: ref 0 means none */
  uint32_t n;
  Snapshot *snap;
  uint32_t nsnap;
  SnapEntry *snapent;
  uint32_t nsnapent;
  /* scratch space of the passes (allocated with the buffer, so the passes
   * keep no static state): IR_MAX_INS entries, IR_MAX_SNAPENT entries */
  uint16_t *tmp;
  SnapEntry *tmpent;
  IRRef chain[IR__COUNT];    /* newest instruction of each op */
  IRRef barrier_arr;         /* array-part loads before this are stale */
  IRRef barrier_hash;        /* hash-part loads likewise */
  IRRef barrier_struct;      /* shape guards (metatables, sizes, keys) and */
                             /* upvalue loads likewise: ir_barrier_all */
  IROpts opt;
  bool overflow;             /* a buffer is full: the recording aborts */
  bool looped;               /* the trace loops back to its start */
  uint16_t entry_snap;       /* snapshot of hoisted guards (loop entry) */
  /* ir_loop.c: loop-carried values: slot `slot`'s SLOAD `phi` receives
   * `val` at the back-edge */
  struct { IRRef phi, val; uint16_t slot; } phis[IR_MAX_PHIS];
  uint32_t nphi;
} IRBuf;

/* -- Register allocation (ir_ra.c) ---------------------------------------- *
 * Each value gets one location for its whole life: a register of its class
 * (G: integers and pointers, F: floats) or a spill slot. Linear scan over
 * the lowering order (hoisted instructions, then the loop body); a value
 * used across the back-edge lives to the end of the loop. When a class runs
 * out, the value with the furthest end is spilled (with opt.spillcost: the
 * one whose memory traffic per remaining position is least, ir_ra.c). The
 * last `IRA_SCRATCH`
 * registers of each class are left to the lowering (constants, reloads).
 *
 * Snapshot splitting (opt.snapsplit, looped traces): a body value that
 * only exits need after its last use by an instruction can hold its
 * register just to that use and live on in a spill slot `sslot`, stored
 * once at its definition; the exits of later guards restore it from there
 * (snappos says where each snapshot's last guard is). Done for a register
 * class only when the allocation without it spills in the loop body. */
#define IRA_SCRATCH 2
#define IRA_MAX_SPILL 64
#define IRA_NONE INT16_MIN

/* PVAL locations (IRIns.k3): what the parent's exit left where. */
#define IR_PVAL_LOC(cls, idx) (((uint64_t)(cls) << 32) | (uint32_t)(idx))
#define IR_PVAL_CLS(k3) ((int)((k3) >> 32))   /* 'G', 'F' or 'S' (spill) */
#define IR_PVAL_IDX(k3) ((uint32_t)(k3))      /* register, or spill-area index */

typedef struct IRAlloc {
  int16_t loc[IR_MAX_INS];  /* >= 0: register; < 0: spill slot -(loc + 1) */
  uint8_t cls[IR_MAX_INS];  /* 'G', 'F' or 0 (no register: constants, ...) */
  uint16_t end[IR_MAX_INS]; /* last position that uses it */
  uint16_t weight[IR_MAX_INS]; /* what spilling it costs (opt.spillcost) */
  int16_t sslot[IR_MAX_INS]; /* snapshot splitting: the value's spill slot */
                             /* from end[] on (as loc), IRA_NONE: none */
  uint16_t snappos[IR_MAX_SNAP]; /* 1 + order index of each snapshot's last */
                                 /* guard, 0: none */
  uint32_t nsplit;          /* values split */
  IRRef order[IR_MAX_INS];  /* the lowering order */
  uint32_t norder;
  uint32_t loop_pos;        /* order index where the loop body starts */
  uint32_t nspill;
  int ngpr, nfpr;           /* the register file */
} IRAlloc;

/* The register class of values with this tag. */
static inline uint8_t ir_class(uint8_t tag) {
  if (tag == 0 || tag == TAG_NIL || tag == TAG_FALSE || tag == TAG_TRUE)
    return 0;
  return tag == TAG_FLT ? 'F' : 'G';
}

/* Returns false when more than IRA_MAX_SPILL slots are needed. Spill slots
 * are numbered from `spill0` (a side trace keeps its parent's in use). */
bool ir_regalloc(const IRBuf *B, IRAlloc *A, int ngpr, int nfpr,
                 uint32_t spill0);

/* -- ir.c ------------------------------------------------------------------ */

void ir_reset(IRBuf *B);
/* Emit an instruction through folding and CSE. Returns its ref (possibly an
 * earlier one, or a constant), 0 on overflow. Guards get snapshot `snap`. */
IRRef ir_emit(IRBuf *B, const IRIns *in);
IRRef ir_kint(IRBuf *B, int64_t v);
IRRef ir_knum(IRBuf *B, double v);
IRRef ir_kgc(IRBuf *B, const void *p, uint8_t tag);
IRRef ir_kpri(IRBuf *B, uint8_t tag);
/* Emit without folding or CSE (loop copies, tests). */
IRRef ir_raw(IRBuf *B, const IRIns *in);
/* Memory barriers (stores, helpers that may rehash or resize tables). */
void ir_barrier_all(IRBuf *B);
/* The least lsizenode of a table that has node k (k < 2^lsizenode). */
uint16_t ir_node_bits(uint64_t k);

static inline bool ir_isk(const IRBuf *B, IRRef r) {
  return r && (B->ins[r].op == IR_KINT || B->ins[r].op == IR_KNUM ||
               B->ins[r].op == IR_KGC || B->ins[r].op == IR_KPRI);
}
static inline double ir_knumval(const IRBuf *B, IRRef r) {
  union { uint64_t u; double d; } x;
  x.u = B->ins[r].k;
  return x.d;
}

const char *ir_opname(int op);
extern const uint8_t ir_op_flags[IR__COUNT];
/* inline: the passes ask once per instruction and snapshot entry */
static inline unsigned ir_opflags(int op) {
  return op >= 0 && op < IR__COUNT ? ir_op_flags[op] : 0;
}
/* Write the IR with its snapshots, one line each, for -jdump. */
void ir_dump(const IRBuf *B, FILE *out);

/* -- ir_fold.c: constant folding and algebraic simplification ------------- */
/* Returns the ref the instruction folds to, or 0 when no rule applies
 * (then *in may have been rewritten into a simpler form). */
IRRef ir_fold(IRBuf *B, IRIns *in);

/* -- ir_dce.c -------------------------------------------------------------- */
/* Mark instructions nothing uses (pure, not in a snapshot, not needed by
 * the loop) dead. Returns how many. */
uint32_t ir_dce(IRBuf *B);

#endif /* CPJIT_LUA_IR_H */
