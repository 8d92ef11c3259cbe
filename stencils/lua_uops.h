/*
 * lua_uops.h -- the bodies of cpjit-lua's uops, written once.
 *
 * Included by lua_stencils.c (clang-19: each body becomes a stencil) and by
 * lua_ref.c (each body becomes a case of the reference executor). Inside a
 * body `L` is the lua_State and `base` the frame's first register; operand
 * conventions are in lua_uop_list.h. Semantics follow Lua 5.4 exactly:
 * integer arithmetic wraps, `//` and `%` floor, shifts are logical and
 * saturate at 64 bits, float modulo takes the sign of the divisor.
 *
 * Guards only read. Anything a guard protects (division by zero raising an
 * error, an index outside the array part) exits to the interpreter, which
 * redoes the instruction with its full semantics.
 */
#define SLOT(d) ((TValue *)(void *)((char *)base + (d)))
#define RA SLOT(CPJIT_ARG_DISP)
#define RB SLOT(CPJIT_OPERAND0_DISP)
#define RC SLOT(CPJIT_OPERAND1_DISP)
#define KI ((int64_t)CPJIT_OPERAND1_S32)
#define KN lu_bits2num(CPJIT_OPERAND1_U64)
#define IOP(op, a, b) ((int64_t)((uint64_t)(a) op (uint64_t)(b)))

/* The float accumulator `fa` (a parameter in a register across the stencils
 * of a trace) holds a copy of the float last written by an accumulating uop
 * (ACC_SET); the slot is written as well, so exits and every other uop see
 * memory as usual. The `_A` forms read an operand from `fa` instead of its
 * slot: lua_acc.c rewrites a uop to such a form only when the slot holds
 * what `fa` holds, so both forms compute the same. Without an accumulator
 * (the LLVM baseline's function mode) the `_A` forms read the slot. */
#if defined(LUA_UOP_ACC)
#define ACC_SET(x) (fa = (x))
#define ACC_B fa
#define ACC_C fa
#else
#define ACC_SET(x) (x)
#define ACC_B (RB->v.n)
#define ACC_C (RC->v.n)
#endif

#define NEXT() CPJIT_GOTO_CONTINUE()
#define GUARD(cond)                                                            \
  do {                                                                         \
    if (CPJIT_UNLIKELY(!(cond)))                                               \
      CPJIT_GOTO_EXIT();                                                       \
  } while (0)

/* -- Guards --------------------------------------------------------------- */

CPJIT_UOP(G_INT) { GUARD(RA->tt == TAG_INT); NEXT(); }
CPJIT_UOP(G_FLT) { GUARD(RA->tt == TAG_FLT); NEXT(); }
CPJIT_UOP(G_NUM) { GUARD((RA->tt & 0x0f) == LUA_TNUMBER); NEXT(); }
CPJIT_UOP(G_STR) { GUARD((RA->tt & 0x0f) == LUA_TSTRING); NEXT(); }
CPJIT_UOP(G_TAB) { GUARD(RA->tt == TAG_TABLE); NEXT(); }
CPJIT_UOP(G_FUNC) { GUARD((RA->tt & 0x0f) == LUA_TFUNCTION); NEXT(); }
CPJIT_UOP(G_NIL) { GUARD((RA->tt & 0x0f) == LUA_TNIL); NEXT(); }
CPJIT_UOP(G_NOTNIL) { GUARD((RA->tt & 0x0f) != LUA_TNIL); NEXT(); }
CPJIT_UOP(G_TRUTHY) { GUARD(!lu_isfalse(RA)); NEXT(); }
CPJIT_UOP(G_FALSY) { GUARD(lu_isfalse(RA)); NEXT(); }
CPJIT_UOP(G_GCEQ) {
  GUARD((RA->tt & TAG_COLLECTABLE) &&
        (uint64_t)(uintptr_t)RA->v.gc == CPJIT_OPERAND1_U64);
  NEXT();
}
CPJIT_UOP(G_GCNE) {
  GUARD(!((RA->tt & TAG_COLLECTABLE) &&
          (uint64_t)(uintptr_t)RA->v.gc == CPJIT_OPERAND1_U64));
  NEXT();
}
CPJIT_UOP(G_TAG_EQ) { GUARD(RA->tt == (uint8_t)CPJIT_OPERAND1_U32); NEXT(); }
CPJIT_UOP(G_TAG_NE) { GUARD(RA->tt != (uint8_t)CPJIT_OPERAND1_U32); NEXT(); }
CPJIT_UOP(G_NOMT) { GUARD(((Table *)RA->v.gc)->metatable == NULL); NEXT(); }
CPJIT_UOP(G_ARR) {
  GUARD((uint64_t)RB->v.i - 1 < ((Table *)RA->v.gc)->asize);
  NEXT();
}
CPJIT_UOP(G_ARRK) {
  GUARD(CPJIT_OPERAND1_U32 < ((Table *)RA->v.gc)->asize);
  NEXT();
}

/* -- Moves and constants -------------------------------------------------- */

CPJIT_UOP(MOV) {
  TValue *a = RA;
  const TValue *b = RB;
  a->v = b->v;
  a->tt = b->tt;
  NEXT();
}
CPJIT_UOP(K) {
  TValue *a = RA;
  a->v.i = (int64_t)CPJIT_OPERAND0_U64;
  a->tt = (uint8_t)CPJIT_OPERAND1_U32;
  NEXT();
}
CPJIT_UOP(KNIL) { RA->tt = TAG_NIL; NEXT(); }
CPJIT_UOP(NOT) {
  TValue *a = RA;
  a->tt = lu_isfalse(RB) ? TAG_TRUE : TAG_FALSE;
  NEXT();
}

/* -- Integer arithmetic --------------------------------------------------- */

#define INT_OP(name, expr)                                                     \
  CPJIT_UOP(name) {                                                            \
    int64_t b = RB->v.i;                                                       \
    int64_t c = RC->v.i;                                                       \
    TValue *a = RA;                                                            \
    a->v.i = (expr);                                                           \
    a->tt = TAG_INT;                                                           \
    NEXT();                                                                    \
  }
#define INT_OPK(name, expr)                                                    \
  CPJIT_UOP(name) {                                                            \
    int64_t b = RB->v.i;                                                       \
    int64_t c = KI;                                                            \
    TValue *a = RA;                                                            \
    a->v.i = (expr);                                                           \
    a->tt = TAG_INT;                                                           \
    NEXT();                                                                    \
  }

INT_OP(ADD_II, IOP(+, b, c))
INT_OP(SUB_II, IOP(-, b, c))
INT_OP(MUL_II, IOP(*, b, c))
INT_OP(BAND_II, b & c)
INT_OP(BOR_II, b | c)
INT_OP(BXOR_II, b ^ c)
INT_OP(SHL_II, lu_shiftl(b, c))
INT_OP(SHR_II, lu_shiftl(b, IOP(-, 0, c)))
INT_OPK(ADD_IK, IOP(+, b, c))
INT_OPK(SUB_IK, IOP(-, b, c))
INT_OPK(MUL_IK, IOP(*, b, c))
INT_OPK(BAND_IK, b & c)
INT_OPK(BOR_IK, b | c)
INT_OPK(BXOR_IK, b ^ c)
INT_OPK(SHL_IK, lu_shiftl(b, c))
INT_OPK(SHR_IK, lu_shiftl(b, IOP(-, 0, c)))

/* Division and modulo by zero raise an error: leave that to the
 * interpreter. */
CPJIT_UOP(IDIV_II) {
  int64_t b = RB->v.i, c = RC->v.i;
  GUARD(c != 0);
  TValue *a = RA;
  a->v.i = lu_idiv(b, c);
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(MOD_II) {
  int64_t b = RB->v.i, c = RC->v.i;
  GUARD(c != 0);
  TValue *a = RA;
  a->v.i = lu_imod(b, c);
  a->tt = TAG_INT;
  NEXT();
}
/* The recorder never emits a zero constant divisor (the interpreter raises
 * the error), but the guard keeps a malformed trace safe. */
CPJIT_UOP(IDIV_IK) {
  int64_t b = RB->v.i, c = KI;
  GUARD(c != 0);
  TValue *a = RA;
  a->v.i = lu_idiv(b, c);
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(MOD_IK) {
  int64_t b = RB->v.i, c = KI;
  GUARD(c != 0);
  TValue *a = RA;
  a->v.i = lu_imod(b, c);
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(UNM_I) {
  TValue *a = RA;
  a->v.i = IOP(-, 0, RB->v.i);
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(BNOT_I) {
  TValue *a = RA;
  a->v.i = ~RB->v.i;
  a->tt = TAG_INT;
  NEXT();
}

/* -- Float arithmetic ----------------------------------------------------- */

#define NUM_OP(name, expr)                                                     \
  CPJIT_UOP(name) {                                                            \
    double b = lu_tonum(RB);                                                   \
    double c = lu_tonum(RC);                                                   \
    TValue *a = RA;                                                            \
    a->v.n = ACC_SET(expr);                                                    \
    a->tt = TAG_FLT;                                                           \
    NEXT();                                                                    \
  }
#define NUM_OPK(name, expr)                                                    \
  CPJIT_UOP(name) {                                                            \
    double b = lu_tonum(RB);                                                   \
    double c = KN;                                                             \
    TValue *a = RA;                                                            \
    a->v.n = ACC_SET(expr);                                                    \
    a->tt = TAG_FLT;                                                           \
    NEXT();                                                                    \
  }

NUM_OP(ADD_NN, b + c)
NUM_OP(SUB_NN, b - c)
NUM_OP(MUL_NN, b * c)
NUM_OP(DIV_NN, b / c)
NUM_OP(MOD_NN, lu_fmod(b, c))
NUM_OP(IDIV_NN, floor(b / c))
NUM_OP(POW_NN, c == 2.0 ? b * b : pow(b, c))
NUM_OPK(ADD_NK, b + c)
NUM_OPK(SUB_NK, b - c)
NUM_OPK(MUL_NK, b * c)
NUM_OPK(DIV_NK, b / c)
NUM_OPK(MOD_NK, lu_fmod(b, c))
NUM_OPK(IDIV_NK, floor(b / c))
NUM_OPK(POW_NK, c == 2.0 ? b * b : pow(b, c))

CPJIT_UOP(UNM_F) {
  TValue *a = RA;
  a->v.n = ACC_SET(-RB->v.n);
  a->tt = TAG_FLT;
  NEXT();
}

/* Both operands known to be floats: no conversion on the way. */
#define FLT_OP(name, expr)                                                     \
  CPJIT_UOP(name) {                                                            \
    double b = RB->v.n;                                                        \
    double c = RC->v.n;                                                        \
    TValue *a = RA;                                                            \
    a->v.n = ACC_SET(expr);                                                    \
    a->tt = TAG_FLT;                                                           \
    NEXT();                                                                    \
  }
#define FLT_OPC(name, expr)                                                    \
  CPJIT_UOP(name) {                                                            \
    double b = RB->v.n;                                                        \
    double c = KN;                                                             \
    TValue *a = RA;                                                            \
    a->v.n = ACC_SET(expr);                                                    \
    a->tt = TAG_FLT;                                                           \
    NEXT();                                                                    \
  }
FLT_OP(ADD_FF, b + c)
FLT_OP(SUB_FF, b - c)
FLT_OP(MUL_FF, b * c)
FLT_OP(DIV_FF, b / c)
FLT_OPC(ADD_FC, b + c)
FLT_OPC(SUB_FC, b - c)
FLT_OPC(MUL_FC, b * c)
FLT_OPC(DIV_FC, b / c)

/* The same with an operand from the accumulator. */
#define FLT_OPA(name, bexpr, cexpr, expr)                                      \
  CPJIT_UOP(name) {                                                            \
    double b = (bexpr);                                                        \
    double c = (cexpr);                                                        \
    TValue *a = RA;                                                            \
    a->v.n = ACC_SET(expr);                                                    \
    a->tt = TAG_FLT;                                                           \
    NEXT();                                                                    \
  }
FLT_OPA(ADD_AF, ACC_B, RC->v.n, b + c)
FLT_OPA(SUB_AF, ACC_B, RC->v.n, b - c)
FLT_OPA(MUL_AF, ACC_B, RC->v.n, b * c)
FLT_OPA(DIV_AF, ACC_B, RC->v.n, b / c)
FLT_OPA(ADD_FA, RB->v.n, ACC_C, b + c)
FLT_OPA(SUB_FA, RB->v.n, ACC_C, b - c)
FLT_OPA(MUL_FA, RB->v.n, ACC_C, b * c)
FLT_OPA(DIV_FA, RB->v.n, ACC_C, b / c)
FLT_OPA(ADD_AC, ACC_B, KN, b + c)
FLT_OPA(SUB_AC, ACC_B, KN, b - c)
FLT_OPA(MUL_AC, ACC_B, KN, b * c)
FLT_OPA(DIV_AC, ACC_B, KN, b / c)
FLT_OPA(ADD_AA, ACC_B, ACC_C, b + c)
FLT_OPA(MUL_AA, ACC_B, ACC_C, b * c)
#undef FLT_OP
#undef FLT_OPC
#undef FLT_OPA
/* Before a loop head: the back-edge brings slot A in the accumulator, so
 * the way in loads it too (whatever A holds: only uops reading A as a
 * float, after their guards, use it). */
CPJIT_UOP(LOADF) {
  (void)ACC_SET(RA->v.n);
  NEXT();
}

/* -- Compare and guard ---------------------------------------------------- */

#define CMP_UOP(name, expr)                                                    \
  CPJIT_UOP(name) {                                                            \
    GUARD(expr);                                                               \
    NEXT();                                                                    \
  }

CMP_UOP(LT_II_T, RB->v.i < RC->v.i)
CMP_UOP(LT_II_F, !(RB->v.i < RC->v.i))
CMP_UOP(LE_II_T, RB->v.i <= RC->v.i)
CMP_UOP(LE_II_F, !(RB->v.i <= RC->v.i))
CMP_UOP(EQ_II_T, RB->v.i == RC->v.i)
CMP_UOP(EQ_II_F, RB->v.i != RC->v.i)
CMP_UOP(LT_FF_T, RB->v.n < RC->v.n)
CMP_UOP(LT_FF_F, !(RB->v.n < RC->v.n))
CMP_UOP(LE_FF_T, RB->v.n <= RC->v.n)
CMP_UOP(LE_FF_F, !(RB->v.n <= RC->v.n))
CMP_UOP(EQ_FF_T, RB->v.n == RC->v.n)
CMP_UOP(EQ_FF_F, !(RB->v.n == RC->v.n))
CMP_UOP(LT_IK_T, RB->v.i < KI)
CMP_UOP(LT_IK_F, !(RB->v.i < KI))
CMP_UOP(LE_IK_T, RB->v.i <= KI)
CMP_UOP(LE_IK_F, !(RB->v.i <= KI))
CMP_UOP(GT_IK_T, RB->v.i > KI)
CMP_UOP(GT_IK_F, !(RB->v.i > KI))
CMP_UOP(GE_IK_T, RB->v.i >= KI)
CMP_UOP(GE_IK_F, !(RB->v.i >= KI))
CMP_UOP(EQ_IK_T, RB->v.i == KI)
CMP_UOP(EQ_IK_F, RB->v.i != KI)
CMP_UOP(LT_FK_T, RB->v.n < (double)KI)
CMP_UOP(LT_FK_F, !(RB->v.n < (double)KI))
CMP_UOP(LE_FK_T, RB->v.n <= (double)KI)
CMP_UOP(LE_FK_F, !(RB->v.n <= (double)KI))
CMP_UOP(GT_FK_T, RB->v.n > (double)KI)
CMP_UOP(GT_FK_F, !(RB->v.n > (double)KI))
CMP_UOP(GE_FK_T, RB->v.n >= (double)KI)
CMP_UOP(GE_FK_F, !(RB->v.n >= (double)KI))
CMP_UOP(EQ_FK_T, RB->v.n == (double)KI)
CMP_UOP(EQ_FK_F, !(RB->v.n == (double)KI))
/* Float compares with an operand from the accumulator. */
CMP_UOP(LT_AF_T, ACC_B < RC->v.n)
CMP_UOP(LT_AF_F, !(ACC_B < RC->v.n))
CMP_UOP(LE_AF_T, ACC_B <= RC->v.n)
CMP_UOP(LE_AF_F, !(ACC_B <= RC->v.n))
CMP_UOP(EQ_AF_T, ACC_B == RC->v.n)
CMP_UOP(EQ_AF_F, !(ACC_B == RC->v.n))
CMP_UOP(LT_FA_T, RB->v.n < ACC_C)
CMP_UOP(LT_FA_F, !(RB->v.n < ACC_C))
CMP_UOP(LE_FA_T, RB->v.n <= ACC_C)
CMP_UOP(LE_FA_F, !(RB->v.n <= ACC_C))
CMP_UOP(EQ_FA_T, RB->v.n == ACC_C)
CMP_UOP(EQ_FA_F, !(RB->v.n == ACC_C))
CMP_UOP(LT_AK_T, ACC_B < (double)KI)
CMP_UOP(LT_AK_F, !(ACC_B < (double)KI))
CMP_UOP(LE_AK_T, ACC_B <= (double)KI)
CMP_UOP(LE_AK_F, !(ACC_B <= (double)KI))
CMP_UOP(GT_AK_T, ACC_B > (double)KI)
CMP_UOP(GT_AK_F, !(ACC_B > (double)KI))
CMP_UOP(GE_AK_T, ACC_B >= (double)KI)
CMP_UOP(GE_AK_F, !(ACC_B >= (double)KI))
CMP_UOP(EQ_AK_T, ACC_B == (double)KI)
CMP_UOP(EQ_AK_F, !(ACC_B == (double)KI))
CMP_UOP(EQ_TT_T, RB->tt == RC->tt)
CMP_UOP(EQ_TT_F, RB->tt != RC->tt)
CMP_UOP(EQ_GC_T, RB->tt == RC->tt && RB->v.gc == RC->v.gc)
CMP_UOP(EQ_GC_F, !(RB->tt == RC->tt && RB->v.gc == RC->v.gc))

/* -- Tables (array part, no metatable) ------------------------------------ */

CPJIT_UOP(GETI_A) {
  const TValue *s = &((Table *)RB->v.gc)->array[RC->v.i - 1];
  TValue *a = RA;
  a->v = s->v;
  a->tt = s->tt;
  NEXT();
}
/* Loads whose type the recorder saw: the type is checked before anything
 * is written, so the exit redoes the whole load in the interpreter. */
CPJIT_UOP(GETI_AF) {
  const TValue *s = &((Table *)RB->v.gc)->array[RC->v.i - 1];
  GUARD(s->tt == TAG_FLT);
  TValue *a = RA;
  a->v.n = ACC_SET(s->v.n);
  a->tt = TAG_FLT;
  NEXT();
}
CPJIT_UOP(GETI_AI) {
  const TValue *s = &((Table *)RB->v.gc)->array[RC->v.i - 1];
  GUARD(s->tt == TAG_INT);
  TValue *a = RA;
  a->v = s->v;
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(GETI_AK) {
  const TValue *s = &((Table *)RB->v.gc)->array[CPJIT_OPERAND1_U32];
  TValue *a = RA;
  a->v = s->v;
  a->tt = s->tt;
  NEXT();
}
CPJIT_UOP(SETI_A) {
  TValue *d = &((Table *)RA->v.gc)->array[RB->v.i - 1];
  const TValue *c = RC;
  d->v = c->v;
  d->tt = c->tt;
  NEXT();
}
/* Super-uops: the bounds guard and the access in one stencil, which loads
 * the table and the key once (trace_fuse() makes them from adjacent
 * G_ARR + access pairs). */
CPJIT_UOP(GETI_AG) {
  const Table *t = (const Table *)RB->v.gc;
  uint64_t k = (uint64_t)RC->v.i - 1;
  GUARD(k < t->asize);
  const TValue *s = &t->array[k];
  TValue *a = RA;
  a->v = s->v;
  a->tt = s->tt;
  NEXT();
}
CPJIT_UOP(GETI_AFG) {
  const Table *t = (const Table *)RB->v.gc;
  uint64_t k = (uint64_t)RC->v.i - 1;
  GUARD(k < t->asize);
  const TValue *s = &t->array[k];
  GUARD(s->tt == TAG_FLT);
  TValue *a = RA;
  a->v.n = ACC_SET(s->v.n);
  a->tt = TAG_FLT;
  NEXT();
}
CPJIT_UOP(GETI_AIG) {
  const Table *t = (const Table *)RB->v.gc;
  uint64_t k = (uint64_t)RC->v.i - 1;
  GUARD(k < t->asize);
  const TValue *s = &t->array[k];
  GUARD(s->tt == TAG_INT);
  TValue *a = RA;
  a->v = s->v;
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(SETI_AG) {
  Table *t = (Table *)RA->v.gc;
  uint64_t k = (uint64_t)RB->v.i - 1;
  GUARD(k < t->asize);
  TValue *d = &t->array[k];
  const TValue *c = RC;
  d->v = c->v;
  d->tt = c->tt;
  NEXT();
}
CPJIT_UOP(SETI_AK) {
  TValue *d = &((Table *)RA->v.gc)->array[CPJIT_OPERAND0_U32];
  const TValue *c = RC;
  d->v = c->v;
  d->tt = c->tt;
  NEXT();
}

/* Field access on tables without metatables (guarded): raw get/set with an
 * interned key. An absent key reads as nil; a store that must insert may
 * allocate (the helper makes the frame visible to the GC first). */
CPJIT_UOP(GETFIELD_S) {
  const TValue *s = tab_getshortstr((Table *)RB->v.gc,
                                    (TString *)(uintptr_t)CPJIT_OPERAND1_U64);
  TValue *a = RA;
  a->v = s->v;
  a->tt = (s->tt & 0x0f) == LUA_TNIL ? TAG_NIL : s->tt;
  NEXT();
}
CPJIT_UOP(SETFIELD_S) {
  jit_h_setfield(L, (Table *)RA->v.gc,
                 (TString *)(uintptr_t)CPJIT_OPERAND0_U64, RC);
  NEXT();
}
CPJIT_UOP(G_UPT) {
  const LClosure *cl = (const LClosure *)base[-1].v.gc;
  const TValue *v = cl->upvals[CPJIT_OPERAND0_U32]->v;
  GUARD(v->tt == TAG_TABLE && ((Table *)v->v.gc)->metatable == NULL);
  NEXT();
}
CPJIT_UOP(GETTABUP_S) {
  const LClosure *cl = (const LClosure *)base[-1].v.gc;
  const TValue *t = cl->upvals[CPJIT_OPERAND0_U32]->v;
  const TValue *s = tab_getshortstr((Table *)t->v.gc,
                                    (TString *)(uintptr_t)CPJIT_OPERAND1_U64);
  TValue *a = RA;
  a->v = s->v;
  a->tt = (s->tt & 0x0f) == LUA_TNIL ? TAG_NIL : s->tt;
  NEXT();
}

/* Hash-part fields at a node position found while recording: the guard
 * checks that the key still sits there (the table may have been rehashed,
 * or be another table with a different layout); the value is then read
 * or written in place. Only value and tag are written: the key's tag and
 * chain link share the node's padding. */
CPJIT_UOP(G_HKEY) {
  const Table *t = (const Table *)RA->v.gc;
  uint32_t n = CPJIT_OPERAND0_U32;
  GUARD((n >> t->lsizenode) == 0 && t->node[n].u.key_tt == TAG_SHRSTR &&
        (uint64_t)(uintptr_t)t->node[n].u.key_val.gc == CPJIT_OPERAND1_U64);
  NEXT();
}
/* The same and a value that is not nil: then the raw value is the whole
 * answer even for a table with a metatable (no __index / __newindex). */
CPJIT_UOP(G_HKEYV) {
  const Table *t = (const Table *)RA->v.gc;
  uint32_t n = CPJIT_OPERAND0_U32;
  GUARD((n >> t->lsizenode) == 0 && t->node[n].u.key_tt == TAG_SHRSTR &&
        (uint64_t)(uintptr_t)t->node[n].u.key_val.gc == CPJIT_OPERAND1_U64 &&
        (t->node[n].i_val.tt & 0x0f) != LUA_TNIL);
  NEXT();
}
CPJIT_UOP(HGET) {
  const Node *nd = &((const Table *)RB->v.gc)->node[CPJIT_OPERAND1_U32];
  Value v = nd->i_val.v;
  uint8_t tt = nd->i_val.tt;
  TValue *a = RA;
  a->v = v;
  a->tt = (tt & 0x0f) == LUA_TNIL ? TAG_NIL : tt;
  NEXT();
}
CPJIT_UOP(HGET_F) {
  const Node *nd = &((const Table *)RB->v.gc)->node[CPJIT_OPERAND1_U32];
  GUARD(nd->i_val.tt == TAG_FLT);
  double v = nd->i_val.v.n;
  TValue *a = RA;
  a->v.n = ACC_SET(v);
  a->tt = TAG_FLT;
  NEXT();
}
CPJIT_UOP(HSET) {
  Node *nd = &((Table *)RA->v.gc)->node[CPJIT_OPERAND0_U32];
  const TValue *c = RC;
  nd->i_val.v = c->v;
  nd->i_val.tt = c->tt;
  NEXT();
}

/* -- Known builtins --------------------------------------------------------- */

CPJIT_UOP(G_VAL) {
  GUARD(RA->tt == (uint8_t)CPJIT_OPERAND0_U32 &&
        (uint64_t)RA->v.i == CPJIT_OPERAND1_U64);
  NEXT();
}
#define NUM_FN(name, expr)                                                     \
  CPJIT_UOP(name) {                                                            \
    double x = lu_tonum(RB);                                                   \
    TValue *a = RA;                                                            \
    a->v.n = ACC_SET(expr);                                                    \
    a->tt = TAG_FLT;                                                           \
    NEXT();                                                                    \
  }
NUM_FN(SQRT_N, lu_sqrt(x))
NUM_FN(SIN_N, sin(x))
NUM_FN(COS_N, cos(x))
NUM_FN(EXP_N, exp(x))
NUM_FN(LOG_N, log(x))
CPJIT_UOP(ABS_F) { /* clear the sign bit, as fabs */
  int64_t bits = RB->v.i;
  TValue *a = RA;
  a->v.i = bits & INT64_MAX;
  a->tt = TAG_FLT;
  NEXT();
}
CPJIT_UOP(ABS_I) {
  int64_t v = RB->v.i;
  TValue *a = RA;
  a->v.i = v < 0 ? (int64_t)(0u - (uint64_t)v) : v;
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(FLOOR_F) { double d = floor(RB->v.n); lu_setintegral(RA, d); NEXT(); }
CPJIT_UOP(CEIL_F) { double d = -floor(-RB->v.n); lu_setintegral(RA, d); NEXT(); }
/* min/max keep the chosen argument, comparing with '<' like math.min. */
CPJIT_UOP(MIN_II) {
  int64_t b = RB->v.i, c = RC->v.i;
  TValue *a = RA;
  a->v.i = c < b ? c : b;
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(MAX_II) {
  int64_t b = RB->v.i, c = RC->v.i;
  TValue *a = RA;
  a->v.i = b < c ? c : b;
  a->tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(MIN_FF) {
  double b = RB->v.n, c = RC->v.n;
  TValue *a = RA;
  a->v.n = ACC_SET(c < b ? c : b);
  a->tt = TAG_FLT;
  NEXT();
}
CPJIT_UOP(MAX_FF) {
  double b = RB->v.n, c = RC->v.n;
  TValue *a = RA;
  a->v.n = ACC_SET(b < c ? c : b);
  a->tt = TAG_FLT;
  NEXT();
}
#undef NUM_FN

/* -- Upvalues ------------------------------------------------------------- */

CPJIT_UOP(GETUPVAL) {
  const LClosure *cl = (const LClosure *)base[-1].v.gc;
  const TValue *s = cl->upvals[CPJIT_OPERAND0_U32]->v;
  TValue *a = RA;
  a->v = s->v;
  a->tt = s->tt;
  NEXT();
}
CPJIT_UOP(SETUPVAL) {
  const LClosure *cl = (const LClosure *)base[-1].v.gc;
  TValue *d = cl->upvals[CPJIT_OPERAND0_U32]->v;
  const TValue *a = RA;
  d->v = a->v;
  d->tt = a->tt;
  NEXT();
}

/* -- Loops ---------------------------------------------------------------- */

/* Lua 5.4's integer loop keeps an unsigned iteration count in A+1, the step
 * in A+2, the index in A and a copy for the body in A+3. */
CPJIT_UOP(FORLOOP_I) {
  TValue *ra = RA;
  uint64_t count = (uint64_t)ra[1].v.i;
  if (CPJIT_LIKELY(count > 0)) {
    int64_t idx = IOP(+, ra[0].v.i, ra[2].v.i);
    ra[1].v.i = (int64_t)(count - 1);
    ra[0].v.i = idx;
    ra[3].v.i = idx;
    ra[3].tt = TAG_INT;
    CPJIT_GOTO_JUMP();
  }
  CPJIT_GOTO_EXIT();
}

/* The float loop keeps index, limit and step in A, A+1, A+2. */
CPJIT_UOP(FORLOOP_F) {
  TValue *ra = RA;
  double step = ra[2].v.n, limit = ra[1].v.n;
  double idx = ra[0].v.n + step;
  if (CPJIT_LIKELY(step > 0 ? idx <= limit : limit <= idx)) {
    ra[0].v.n = idx;
    ra[3].v.n = idx;
    ra[3].tt = TAG_FLT;
    CPJIT_GOTO_JUMP();
  }
  CPJIT_GOTO_EXIT();
}

/* The loop's last step was taken: count exhausted / index past limit. */
CPJIT_UOP(FOREND_I) { GUARD(RA[1].v.i == 0); NEXT(); }
CPJIT_UOP(FOREND_F) {
  const TValue *ra = RA;
  double step = ra[2].v.n, limit = ra[1].v.n;
  double idx = ra[0].v.n + step;
  GUARD(!(step > 0 ? idx <= limit : limit <= idx));
  NEXT();
}

/* Lua 5.4's FORPREP for integer init, limit and step (types guarded
 * before): the iteration count replaces the limit in A+1. A loop that would
 * not run, or a zero step (an error), exits to the interpreter before
 * anything is written. */
CPJIT_UOP(FORPREP_I) {
  TValue *ra = RA;
  int64_t init = ra[0].v.i, limit = ra[1].v.i, step = ra[2].v.i;
  GUARD(step != 0 && (step > 0 ? init <= limit : init >= limit));
  uint64_t count;
  if (step > 0) {
    count = (uint64_t)limit - (uint64_t)init;
    if (step != 1)
      count /= (uint64_t)step;
  } else {
    count = (uint64_t)init - (uint64_t)limit;
    count /= (uint64_t)(-(step + 1)) + 1u;
  }
  ra[1].v.i = (int64_t)count;
  ra[3].v.i = init;
  ra[3].tt = TAG_INT;
  NEXT();
}
CPJIT_UOP(FORPREP_F) {
  TValue *ra = RA;
  double init = ra[0].v.n, limit = ra[1].v.n, step = ra[2].v.n;
  GUARD(step != 0 && (step > 0 ? !(limit < init) : !(init < limit)));
  ra[3].v.n = init;
  ra[3].tt = TAG_FLT;
  NEXT();
}

/* The loop is skipped (a zero step raises its error in the interpreter). */
CPJIT_UOP(FORSKIP_I) {
  const TValue *ra = RA;
  int64_t init = ra[0].v.i, limit = ra[1].v.i, step = ra[2].v.i;
  GUARD(step != 0 && (step > 0 ? init > limit : init < limit));
  NEXT();
}
CPJIT_UOP(FORSKIP_F) {
  const TValue *ra = RA;
  double init = ra[0].v.n, limit = ra[1].v.n, step = ra[2].v.n;
  GUARD(step != 0 && (step > 0 ? limit < init : init < limit));
  NEXT();
}

/* Room for an inlined callee's registers above the frame. */
CPJIT_UOP(G_STACK) {
  GUARD((uint64_t)((char *)L->stack_last - (char *)base) >=
        CPJIT_OPERAND0_U32);
  NEXT();
}

/* The function an inlined call runs: its code, whatever the closure. */
CPJIT_UOP(G_PROTO) {
  const TValue *a = RA;
  GUARD(a->tt == TAG_LCL && (uint64_t)(uintptr_t)((const LClosure *)a->v.gc)->p ==
                                CPJIT_OPERAND1_U64);
  NEXT();
}

CPJIT_UOP(JUMP) { CPJIT_GOTO_JUMP(); }

/* Anything without a fast uop: the host runs the whole instruction (which
 * may call metamethods or Lua functions, raise errors, run the GC or move
 * the stack), so the frame base is reloaded afterwards. */
CPJIT_UOP(EXEC) {
  jit_h_exec(L, (const Instruction *)(uintptr_t)CPJIT_OPERAND0_U64);
  base = L->ci->func + 1;
  NEXT();
}
CPJIT_UOP(EXIT) { CPJIT_GOTO_EXIT(); }

#undef SLOT
#undef RA
#undef RB
#undef RC
#undef KI
#undef KN
#undef IOP
#undef NEXT
#undef GUARD
#undef INT_OP
#undef INT_OPK
#undef NUM_OP
#undef NUM_OPK
#undef CMP_UOP
#undef ACC_SET
#undef ACC_B
#undef ACC_C
