/*
 * lua_ruops.h -- the register uops of cpjit-lua's trace JIT: uops whose
 * operands live in the register file carried across the stencils of a
 * trace (CPJIT_NGPR general-purpose registers for integers and pointers,
 * CPJIT_NFPR float registers). Each body is written once; the stencil build
 * makes one variant per assignment of its register operands
 * (CPJIT_DEFINE_RUOPS), the reference executor runs the same body on an
 * array of registers.
 *
 * Conventions: operand 0 is the result where there is one; arithmetic is
 * two-address (operand 0 is also the first source), as the register
 * allocator prefers to reuse a dying operand's register (ir_ra.c). `_K`
 * forms take a constant: a sign-extended 32-bit OPERAND0 for integers, the
 * 64-bit bits of a double for floats. Slot displacements (SLOAD, SSTORE)
 * are in ARG, in bytes. Typed loads guard the tag they expect and exit
 * before writing anything; `_P` forms load or store a pointer payload with
 * the tag in OPERAND1; `_T` forms only check or store a tag (nil, false,
 * true). Table uops assume the guards the IR puts before them (GNOMT, GARR,
 * GHKEY): alone, they only read memory those guards make valid.
 */

#define RG0 CPJIT_RG(0)
#define RG1 CPJIT_RG(1)
#define RG2 CPJIT_RG(2)
#define RF0 CPJIT_RF(0)
#define RF1 CPJIT_RF(1)
#define RF2 CPJIT_RF(2)
#define RNEXT() CPJIT_RCONTINUE()
#define RGUARD(cond)                                                           \
  do {                                                                         \
    if (CPJIT_UNLIKELY(!(cond)))                                               \
      CPJIT_REXIT();                                                           \
  } while (0)
#define RSLOT ((TValue *)(void *)((char *)base + CPJIT_ARG_DISP))
/* A sign-extended 32-bit constant. RK32F: as a displacement-style operand
 * that clang folds into the instruction (x86-64: `lea k(%r)`, `cmp $k`
 * with an R_X86_64_32S hole), where the S32 form costs `mov $k, %eax;
 * cdqe` first. Only where the generated header shows that fold: clang may
 * also load such a value with a zero-extending `movl $k` (R_X86_64_32),
 * which cannot take a negative k (the compile would fail with a range
 * error): EQ_GK and NE_GK materialize k on the path where the register
 * equals it. RK32: elsewhere, one sign-extending `movq $k, %reg`.
 * tests/unit/test_lua_uops.c runs every variant with random signed
 * constants, so such a hole fails it with the range error. */
#define RK32F ((int64_t)CPJIT_OPERAND0_DISP)
#if defined(CPJIT_STENCIL_BUILD) && defined(__x86_64__)
#define RK32                                                                   \
  ({                                                                           \
    int64_t k_;                                                                \
    __asm__("movq $CPJIT_OPERAND0, %0" : "=r"(k_));                            \
    k_;                                                                        \
  })
#else
#define RK32 ((int64_t)CPJIT_OPERAND0_S32)
#endif
#define RKBITS (CPJIT_OPERAND0_U64)
#define RTAG ((uint8_t)CPJIT_OPERAND1_U32)
/* spill slot at byte offset OPERAND0 of the spill area: a displacement */
#define RSPILL (*(uint64_t *)(void *)((char *)spill + CPJIT_OPERAND0_DISP))
/* node at byte offset OPERAND0 of t's node array (node index * sizeof(Node)) */
#define RNODE(t) ((Node *)(void *)((char *)(t)->node + CPJIT_OPERAND0_DISP))
#define I64(x) ((int64_t)(x))
#define U64(x) ((uint64_t)(x))
#define IADD(a, b) U64(U64(a) + U64(b))
#define TAB(x) ((Table *)(uintptr_t)(x))
#define TAGNIL(tt) (((tt) & 0x0f) == LUA_TNIL)

/* -- Moves, constants, spills --------------------------------------------- */
CPJIT_RUOP(MOV_G, GG) { RG0 = RG1; RNEXT(); }
CPJIT_RUOP(MOV_F, FF) { RF0 = RF1; RNEXT(); }
CPJIT_RUOP(KI_G, G) { RG0 = RKBITS; RNEXT(); }
CPJIT_RUOP(KF_F, F) { RF0 = lu_u2d(RKBITS); RNEXT(); }
CPJIT_RUOP(SPILL_G, G) { RSPILL = RG0; RNEXT(); }
CPJIT_RUOP(RELOAD_G, G) { RG0 = RSPILL; RNEXT(); }
CPJIT_RUOP(SPILL_F, F) { RSPILL = lu_d2u(RF0); RNEXT(); }
CPJIT_RUOP(RELOAD_F, F) { RF0 = lu_u2d(RSPILL); RNEXT(); }

/* -- Frame slots ----------------------------------------------------------- */
CPJIT_RUOP(SLOAD_I, G) {
  const TValue *s = RSLOT;
  RGUARD(s->tt == TAG_INT);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(SLOAD_F, F) {
  const TValue *s = RSLOT;
  RGUARD(s->tt == TAG_FLT);
  RF0 = s->v.n;
  RNEXT();
}
CPJIT_RUOP(SLOAD_P, G) {
  const TValue *s = RSLOT;
  RGUARD(s->tt == RTAG);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(SLOADU_G, G) { RG0 = U64(RSLOT->v.i); RNEXT(); }
CPJIT_RUOP(SLOADU_F, F) { RF0 = RSLOT->v.n; RNEXT(); }
CPJIT_RUOP(SSTORE_I, G) {
  TValue *s = RSLOT;
  s->v.i = I64(RG0);
  s->tt = TAG_INT;
  RNEXT();
}
CPJIT_RUOP(SSTORE_F, F) {
  TValue *s = RSLOT;
  s->v.n = RF0;
  s->tt = TAG_FLT;
  RNEXT();
}
CPJIT_RUOP(SSTORE_P, G) {
  TValue *s = RSLOT;
  s->v.i = I64(RG0);
  s->tt = RTAG;
  RNEXT();
}

/* -- Integer arithmetic (wraps; floor division and modulo) ----------------- */
CPJIT_RUOP(ADD_GG, GG) { RG0 = IADD(RG0, RG1); RNEXT(); }
CPJIT_RUOP(SUB_GG, GG) { RG0 = U64(RG0 - RG1); RNEXT(); }
CPJIT_RUOP(MUL_GG, GG) { RG0 = U64(RG0 * RG1); RNEXT(); }
CPJIT_RUOP(BAND_GG, GG) { RG0 &= RG1; RNEXT(); }
CPJIT_RUOP(BOR_GG, GG) { RG0 |= RG1; RNEXT(); }
CPJIT_RUOP(BXOR_GG, GG) { RG0 ^= RG1; RNEXT(); }
CPJIT_RUOP(SHL_GG, GG) { RG0 = U64(lu_shiftl(I64(RG0), I64(RG1))); RNEXT(); }
CPJIT_RUOP(SHR_GG, GG) {
  RG0 = U64(lu_shiftl(I64(RG0), I64(0u - RG1)));
  RNEXT();
}
CPJIT_RUOP(IDIV_GG, GG) { RG0 = U64(lu_idiv(I64(RG0), I64(RG1))); RNEXT(); }
CPJIT_RUOP(MOD_GG, GG) { RG0 = U64(lu_imod(I64(RG0), I64(RG1))); RNEXT(); }
CPJIT_RUOP(MIN_GG, GG) { RG0 = I64(RG1) < I64(RG0) ? RG1 : RG0; RNEXT(); }
CPJIT_RUOP(MAX_GG, GG) { RG0 = I64(RG0) < I64(RG1) ? RG1 : RG0; RNEXT(); }
CPJIT_RUOP(ADD_GK, G) { RG0 = IADD(RG0, RK32F); RNEXT(); }
CPJIT_RUOP(SUB_GK, G) { RG0 = U64(RG0 - U64(RK32)); RNEXT(); }
CPJIT_RUOP(MUL_GK, G) { RG0 = U64(RG0 * U64(RK32)); RNEXT(); }
CPJIT_RUOP(BAND_GK, G) { RG0 &= U64(RK32); RNEXT(); }
CPJIT_RUOP(BOR_GK, G) { RG0 |= U64(RK32); RNEXT(); }
CPJIT_RUOP(BXOR_GK, G) { RG0 ^= U64(RK32); RNEXT(); }
CPJIT_RUOP(SHL_GK, G) { RG0 = U64(lu_shiftl(I64(RG0), RK32)); RNEXT(); }
CPJIT_RUOP(SHR_GK, G) { RG0 = U64(lu_shiftl(I64(RG0), -RK32)); RNEXT(); }
CPJIT_RUOP(IDIV_GK, G) { RG0 = U64(lu_idiv(I64(RG0), RK32)); RNEXT(); }
CPJIT_RUOP(MOD_GK, G) { RG0 = U64(lu_imod(I64(RG0), RK32)); RNEXT(); }
CPJIT_RUOP(UNM_G, G) { RG0 = 0u - RG0; RNEXT(); }
CPJIT_RUOP(BNOT_G, G) { RG0 = ~RG0; RNEXT(); }
CPJIT_RUOP(ABS_G, G) { RG0 = I64(RG0) < 0 ? 0u - RG0 : RG0; RNEXT(); }

/* -- Float arithmetic ---------------------------------------------------- */
CPJIT_RUOP(ADD_FF, FF) { RF0 = RF0 + RF1; RNEXT(); }
CPJIT_RUOP(SUB_FF, FF) { RF0 = RF0 - RF1; RNEXT(); }
CPJIT_RUOP(MUL_FF, FF) { RF0 = RF0 * RF1; RNEXT(); }
CPJIT_RUOP(DIV_FF, FF) { RF0 = RF0 / RF1; RNEXT(); }
CPJIT_RUOP(MOD_FF, FF) { RF0 = lu_fmod(RF0, RF1); RNEXT(); }
CPJIT_RUOP(IDIV_FF, FF) { RF0 = floor(RF0 / RF1); RNEXT(); }
CPJIT_RUOP(POW_FF, FF) { RF0 = pow(RF0, RF1); RNEXT(); }
CPJIT_RUOP(MIN_FF, FF) { RF0 = RF1 < RF0 ? RF1 : RF0; RNEXT(); }
CPJIT_RUOP(MAX_FF, FF) { RF0 = RF0 < RF1 ? RF1 : RF0; RNEXT(); }
CPJIT_RUOP(ADD_FK, F) { RF0 = RF0 + lu_u2d(RKBITS); RNEXT(); }
CPJIT_RUOP(SUB_FK, F) { RF0 = RF0 - lu_u2d(RKBITS); RNEXT(); }
CPJIT_RUOP(MUL_FK, F) { RF0 = RF0 * lu_u2d(RKBITS); RNEXT(); }
CPJIT_RUOP(DIV_FK, F) { RF0 = RF0 / lu_u2d(RKBITS); RNEXT(); }
/* A spilled second operand read from its spill slot (OPERAND0, as RELOAD):
 * one memory-operand instruction instead of a reload into a scratch
 * register; the R forms take the spilled value as the first operand. */
CPJIT_RUOP(ADD_FM, F) { RF0 = RF0 + lu_u2d(RSPILL); RNEXT(); }
CPJIT_RUOP(SUB_FM, F) { RF0 = RF0 - lu_u2d(RSPILL); RNEXT(); }
CPJIT_RUOP(MUL_FM, F) { RF0 = RF0 * lu_u2d(RSPILL); RNEXT(); }
CPJIT_RUOP(DIV_FM, F) { RF0 = RF0 / lu_u2d(RSPILL); RNEXT(); }
CPJIT_RUOP(RSUB_FM, F) { RF0 = lu_u2d(RSPILL) - RF0; RNEXT(); }
CPJIT_RUOP(RDIV_FM, F) { RF0 = lu_u2d(RSPILL) / RF0; RNEXT(); }
/* A constant first operand: k - x, k / x (1.0 / x) in one uop, not a
 * move, a constant load and the operation. */
CPJIT_RUOP(RSUB_FK, F) { RF0 = lu_u2d(RKBITS) - RF0; RNEXT(); }
CPJIT_RUOP(RDIV_FK, F) { RF0 = lu_u2d(RKBITS) / RF0; RNEXT(); }
CPJIT_RUOP(UNM_F, F) { RF0 = lu_u2d(lu_d2u(RF0) ^ 0x8000000000000000u); RNEXT(); }
CPJIT_RUOP(ABS_F, F) { RF0 = lu_u2d(lu_d2u(RF0) & 0x7fffffffffffffffu); RNEXT(); }
CPJIT_RUOP(SQRT_F, F) { RF0 = lu_sqrt(RF0); RNEXT(); }
CPJIT_RUOP(SIN_F, F) { RF0 = sin(RF0); RNEXT(); }
CPJIT_RUOP(COS_F, F) { RF0 = cos(RF0); RNEXT(); }
CPJIT_RUOP(EXP_F, F) { RF0 = exp(RF0); RNEXT(); }
CPJIT_RUOP(LOG_F, F) { RF0 = log(RF0); RNEXT(); }
CPJIT_RUOP(FLOOR_F, F) { RF0 = floor(RF0); RNEXT(); }
CPJIT_RUOP(CEIL_F, F) { RF0 = -floor(-RF0); RNEXT(); }
/* x86-64's cvtsi2sd writes only the low lane of its register and so waits
 * for the register's last writer: in a loop that chains iterations through
 * whatever the register held (spectral_norm: 4x slower). A zeroing xorps
 * first breaks that false dependency, as compilers do. */
CPJIT_RUOP(CONV_FG, FG) {
#if defined(CPJIT_STENCIL_BUILD) && defined(__x86_64__)
  double d;
  __asm__("xorps %0, %0\n\tcvtsi2sdq %1, %0" : "=&x"(d) : "r"(I64(RG1)));
  RF0 = d;
#else
  RF0 = (double)I64(RG1);
#endif
  RNEXT();
}
/* An integral float to an integer: exits unless it is in range. */
CPJIT_RUOP(TOINT_GF, GF) {
  double d = RF1;
  RGUARD(d >= -9223372036854775808.0 && d < 9223372036854775808.0);
  RG0 = U64((int64_t)d);
  RNEXT();
}

/* -- Guards: exit unless the comparison holds ----------------------------- */
CPJIT_RUOP(LT_GG, GG) { RGUARD(I64(RG0) < I64(RG1)); RNEXT(); }
CPJIT_RUOP(LE_GG, GG) { RGUARD(I64(RG0) <= I64(RG1)); RNEXT(); }
CPJIT_RUOP(EQ_GG, GG) { RGUARD(RG0 == RG1); RNEXT(); }
CPJIT_RUOP(NE_GG, GG) { RGUARD(RG0 != RG1); RNEXT(); }
CPJIT_RUOP(LT_GK, G) { RGUARD(I64(RG0) < RK32F); RNEXT(); }
CPJIT_RUOP(LE_GK, G) { RGUARD(I64(RG0) <= RK32F); RNEXT(); }
CPJIT_RUOP(GT_GK, G) { RGUARD(I64(RG0) > RK32F); RNEXT(); }
CPJIT_RUOP(GE_GK, G) { RGUARD(I64(RG0) >= RK32F); RNEXT(); }
CPJIT_RUOP(EQ_GK, G) { RGUARD(I64(RG0) == RK32); RNEXT(); }
CPJIT_RUOP(NE_GK, G) { RGUARD(I64(RG0) != RK32); RNEXT(); }
CPJIT_RUOP(LT_FF, FF) { RGUARD(RF0 < RF1); RNEXT(); }
CPJIT_RUOP(LE_FF, FF) { RGUARD(RF0 <= RF1); RNEXT(); }
CPJIT_RUOP(EQ_FF, FF) { RGUARD(RF0 == RF1); RNEXT(); }
CPJIT_RUOP(NE_FF, FF) { RGUARD(RF0 != RF1); RNEXT(); }
CPJIT_RUOP(LT_FK, F) { RGUARD(RF0 < lu_u2d(RKBITS)); RNEXT(); }
CPJIT_RUOP(LE_FK, F) { RGUARD(RF0 <= lu_u2d(RKBITS)); RNEXT(); }
CPJIT_RUOP(GT_FK, F) { RGUARD(RF0 > lu_u2d(RKBITS)); RNEXT(); }
CPJIT_RUOP(GE_FK, F) { RGUARD(RF0 >= lu_u2d(RKBITS)); RNEXT(); }
CPJIT_RUOP(EQ_FK, F) { RGUARD(RF0 == lu_u2d(RKBITS)); RNEXT(); }
CPJIT_RUOP(NE_FK, F) { RGUARD(RF0 != lu_u2d(RKBITS)); RNEXT(); }

/* -- Tables --------------------------------------------------------------- */
CPJIT_RUOP(GNOMT_G, G) { RGUARD(TAB(RG0)->metatable == NULL); RNEXT(); }
CPJIT_RUOP(GARR_GG, GG) { RGUARD(RG1 - 1u < TAB(RG0)->asize); RNEXT(); }
CPJIT_RUOP(GARR_GK, G) { RGUARD(U64(CPJIT_OPERAND0_U32) < TAB(RG0)->asize); RNEXT(); }
/* r0 = t(r1)->array[r2 - 1] */
CPJIT_RUOP(ALOAD_I, GGG) {
  const TValue *s = &TAB(RG1)->array[RG2 - 1u];
  RGUARD(s->tt == TAG_INT);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(ALOAD_F, FGG) {
  const TValue *s = &TAB(RG1)->array[RG2 - 1u];
  RGUARD(s->tt == TAG_FLT);
  RF0 = s->v.n;
  RNEXT();
}
CPJIT_RUOP(ALOAD_P, GGG) {
  const TValue *s = &TAB(RG1)->array[RG2 - 1u];
  RGUARD(s->tt == RTAG);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(ALOAD_T, GG) {
  RGUARD(lu_tag_is(TAB(RG0)->array[RG1 - 1u].tt, RTAG));
  RNEXT();
}
/* constant index: OPERAND0 is the 0-based position */
CPJIT_RUOP(ALOADK_I, GG) {
  const TValue *s = &TAB(RG1)->array[CPJIT_OPERAND0_U32];
  RGUARD(s->tt == TAG_INT);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(ALOADK_F, FG) {
  const TValue *s = &TAB(RG1)->array[CPJIT_OPERAND0_U32];
  RGUARD(s->tt == TAG_FLT);
  RF0 = s->v.n;
  RNEXT();
}
CPJIT_RUOP(ALOADK_P, GG) {
  const TValue *s = &TAB(RG1)->array[CPJIT_OPERAND0_U32];
  RGUARD(s->tt == RTAG);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(ALOADK_T, G) {
  RGUARD(lu_tag_is(TAB(RG0)->array[CPJIT_OPERAND0_U32].tt, RTAG));
  RNEXT();
}
/* t(r0)->array[r1 - 1] = r2 */
CPJIT_RUOP(ASTORE_I, GGG) {
  TValue *d = &TAB(RG0)->array[RG1 - 1u];
  d->v.i = I64(RG2);
  d->tt = TAG_INT;
  RNEXT();
}
CPJIT_RUOP(ASTORE_F, GGF) {
  TValue *d = &TAB(RG0)->array[RG1 - 1u];
  d->v.n = RF2;
  d->tt = TAG_FLT;
  RNEXT();
}
CPJIT_RUOP(ASTORE_P, GGG) {
  TValue *d = &TAB(RG0)->array[RG1 - 1u];
  d->v.i = I64(RG2);
  d->tt = RTAG;
  RNEXT();
}
CPJIT_RUOP(ASTORE_T, GG) {
  TValue *d = &TAB(RG0)->array[RG1 - 1u];
  d->v.i = 0;
  d->tt = RTAG;
  RNEXT();
}
CPJIT_RUOP(ASTOREK_I, GG) {
  TValue *d = &TAB(RG0)->array[CPJIT_OPERAND0_U32];
  d->v.i = I64(RG1);
  d->tt = TAG_INT;
  RNEXT();
}
CPJIT_RUOP(ASTOREK_F, GF) {
  TValue *d = &TAB(RG0)->array[CPJIT_OPERAND0_U32];
  d->v.n = RF1;
  d->tt = TAG_FLT;
  RNEXT();
}
CPJIT_RUOP(ASTOREK_P, GG) {
  TValue *d = &TAB(RG0)->array[CPJIT_OPERAND0_U32];
  d->v.i = I64(RG1);
  d->tt = RTAG;
  RNEXT();
}
CPJIT_RUOP(ASTOREK_T, G) {
  TValue *d = &TAB(RG0)->array[CPJIT_OPERAND0_U32];
  d->v.i = 0;
  d->tt = RTAG;
  RNEXT();
}
/* node OPERAND0 (a byte offset, as for HLOAD) of t(r0) holds the
 * short-string key OPERAND1; ARG: the least lsizenode that has that node
 * (one compare instead of a shift by the size) */
CPJIT_RUOP(GHKEY_G, G) {
  const Table *t = TAB(RG0);
  const Node *n = RNODE(t);
  RGUARD(t->lsizenode >= CPJIT_ARG_U16 && n->u.key_tt == TAG_SHRSTR &&
         (uint64_t)(uintptr_t)n->u.key_val.gc == CPJIT_OPERAND1_U64);
  RNEXT();
}
/* ... and a value that is not nil (a table with a metatable) */
CPJIT_RUOP(GHKEYV_G, G) {
  const Table *t = TAB(RG0);
  const Node *n = RNODE(t);
  RGUARD(t->lsizenode >= CPJIT_ARG_U16 && n->u.key_tt == TAG_SHRSTR &&
         (uint64_t)(uintptr_t)n->u.key_val.gc == CPJIT_OPERAND1_U64 &&
         !TAGNIL(n->i_val.tt));
  RNEXT();
}
/* the same two without the size check: an earlier GHKEY on the same table
 * checked a size at least as large, and nothing has resized it since
 * (ir.c: the hkey rule) */
CPJIT_RUOP(GHKEYS_G, G) {
  const Node *n = RNODE(TAB(RG0));
  RGUARD(n->u.key_tt == TAG_SHRSTR &&
         (uint64_t)(uintptr_t)n->u.key_val.gc == CPJIT_OPERAND1_U64);
  RNEXT();
}
CPJIT_RUOP(GHKEYVS_G, G) {
  const Node *n = RNODE(TAB(RG0));
  RGUARD(n->u.key_tt == TAG_SHRSTR &&
         (uint64_t)(uintptr_t)n->u.key_val.gc == CPJIT_OPERAND1_U64 &&
         !TAGNIL(n->i_val.tt));
  RNEXT();
}
/* r0 = the metatable of t(r1); guard: it has one */
CPJIT_RUOP(TMETA_GG, GG) {
  const Table *mt = TAB(RG1)->metatable;
  RGUARD(mt != NULL);
  RG0 = U64((uintptr_t)mt);
  RNEXT();
}
/* t(r0)[OPERAND1] is nil, raw: the short-string key OPERAND1 (hash OPERAND0)
 * is in no node of t, or its value is nil */
CPJIT_RUOP(GHNIL_G, G) {
  const Table *t = TAB(RG0);
  const Node *n = &t->node[CPJIT_OPERAND0_U32 & ((1u << t->lsizenode) - 1u)];
  for (;;) {
    if (n->u.key_tt == TAG_SHRSTR &&
        (uint64_t)(uintptr_t)n->u.key_val.gc == CPJIT_OPERAND1_U64) {
      RGUARD(TAGNIL(n->i_val.tt));
      break;
    }
    if (n->u.next == 0)
      break;
    n += n->u.next;
  }
  RNEXT();
}
/* r0 = value of the node at byte offset OPERAND0 of t(r1)'s nodes */
CPJIT_RUOP(HLOAD_I, GG) {
  const TValue *s = &RNODE(TAB(RG1))->i_val;
  RGUARD(s->tt == TAG_INT);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(HLOAD_F, FG) {
  const TValue *s = &RNODE(TAB(RG1))->i_val;
  RGUARD(s->tt == TAG_FLT);
  RF0 = s->v.n;
  RNEXT();
}
CPJIT_RUOP(HLOAD_P, GG) {
  const TValue *s = &RNODE(TAB(RG1))->i_val;
  RGUARD(s->tt == RTAG);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(HLOAD_T, G) {
  RGUARD(lu_tag_is(RNODE(TAB(RG0))->i_val.tt, RTAG));
  RNEXT();
}
/* value of the node at byte offset OPERAND0 of t(r0)'s nodes = r1 */
CPJIT_RUOP(HSTORE_I, GG) {
  TValue *d = &RNODE(TAB(RG0))->i_val;
  d->v.i = I64(RG1);
  d->tt = TAG_INT;
  RNEXT();
}
CPJIT_RUOP(HSTORE_F, GF) {
  TValue *d = &RNODE(TAB(RG0))->i_val;
  d->v.n = RF1;
  d->tt = TAG_FLT;
  RNEXT();
}
CPJIT_RUOP(HSTORE_P, GG) {
  TValue *d = &RNODE(TAB(RG0))->i_val;
  d->v.i = I64(RG1);
  d->tt = RTAG;
  RNEXT();
}
CPJIT_RUOP(HSTORE_T, G) {
  TValue *d = &RNODE(TAB(RG0))->i_val;
  d->v.i = 0;
  d->tt = RTAG;
  RNEXT();
}

/* -- Upvalues and functions of the running closure (base[-1]) ------------ */
CPJIT_RUOP(ULOAD_I, G) {
  const TValue *s = lu_upval(base, CPJIT_OPERAND0_U32);
  RGUARD(s->tt == TAG_INT);
  RG0 = U64(s->v.i);
  RNEXT();
}
CPJIT_RUOP(ULOAD_F, F) {
  const TValue *s = lu_upval(base, CPJIT_OPERAND0_U32);
  RGUARD(s->tt == TAG_FLT);
  RF0 = s->v.n;
  RNEXT();
}
CPJIT_RUOP(ULOAD_P, G) {
  const TValue *s = lu_upval(base, CPJIT_OPERAND0_U32);
  RGUARD(s->tt == RTAG);
  RG0 = U64(s->v.i);
  RNEXT();
}
/* the Lua closure in r0 runs prototype OPERAND0 */
CPJIT_RUOP(GFUNCP_G, G) {
  RGUARD((uint64_t)(uintptr_t)((const LClosure *)(uintptr_t)RG0)->p ==
         CPJIT_OPERAND0_U64);
  RNEXT();
}

#undef RG0
#undef RG1
#undef RG2
#undef RF0
#undef RF1
#undef RF2
#undef RNEXT
#undef RGUARD
#undef RSLOT
#undef RK32
#undef RK32F
#undef RKBITS
#undef RTAG
#undef RSPILL
#undef RNODE
#undef I64
#undef U64
#undef IADD
#undef TAB
#undef TAGNIL
