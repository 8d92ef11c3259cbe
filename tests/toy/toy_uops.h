/*
 * toy_uops.h -- the toy VM's uop bodies, written once.
 *
 * Included by toy_stencils.c (each body becomes a stencil) and by toy_ref.c
 * (each body becomes a `case` of the reference executor). Inside a body:
 * S is the toy_state, R its register frame; operands come from the macros
 * of cpjit_stencil.h.
 */
#define REG(x) R[(x) & 15]
#define DST REG(CPJIT_ARG_U16)
#define A REG(CPJIT_OPERAND0_U32)
#define B REG(CPJIT_OPERAND1_U32)
#define WRAP(op, a, b) ((int64_t)((uint64_t)(a) op (uint64_t)(b)))

CPJIT_UOP(LOADK) {
  DST = (int64_t)CPJIT_OPERAND0_U64;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(LOADKS) {
  DST = CPJIT_OPERAND0_S32;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(MOV) {
  DST = A;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(ADD) {
  DST = WRAP(+, A, B);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(SUB) {
  DST = WRAP(-, A, B);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(MUL) {
  DST = WRAP(*, A, B);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(ADDI) {
  DST = WRAP(+, A, (int64_t)CPJIT_OPERAND1_S32);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(XOR) {
  DST = A ^ B;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(SHL) {
  DST = (int64_t)((uint64_t)A << (B & 63));
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(NEG) {
  DST = WRAP(-, 0, A);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(MIN) {
  int64_t a = A, b = B;
  DST = a < b ? a : b;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(LOADF) {
  DST = *(int64_t *)(void *)((char *)R + CPJIT_OPERAND0_DISP);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(STOREF) {
  *(int64_t *)(void *)((char *)R + CPJIT_OPERAND0_DISP) = DST;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(LOADM) {
  DST = S->mem[(uint64_t)A & 255];
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(STOREM) {
  S->mem[(uint64_t)A & 255] = DST;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(SCALE) {
  /* A double constant: the stencil reads it from its own rodata. */
  DST = (int64_t)((double)(A & 0xffff) * 1.25);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(CALL) {
  DST = toy_helper_mix(S, A, B);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(ACCUM) {
  S->acc = WRAP(+, S->acc, DST);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(GUARD_LT) {
  if (CPJIT_UNLIKELY(!(A < B)))
    CPJIT_GOTO_EXIT();
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(GUARD_EQK) {
  if (CPJIT_UNLIKELY(A != (int64_t)CPJIT_OPERAND1_S32))
    CPJIT_GOTO_EXIT();
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(JUMP) {
  CPJIT_GOTO_JUMP();
}

CPJIT_UOP(BRANCH_NZ) {
  if (A != 0)
    CPJIT_GOTO_JUMP();
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(LOOP_LT) {
  int64_t i = WRAP(+, A, 1);
  A = i;
  if (CPJIT_LIKELY(i < B))
    CPJIT_GOTO_JUMP();
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(EXIT) {
  CPJIT_GOTO_EXIT();
}

CPJIT_UOP(GUARD_EVEN) {
  if (CPJIT_UNLIKELY(A & 1))
    CPJIT_GOTO_EXIT();
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(GUARD_NZ) {
  if (CPJIT_UNLIKELY(A == 0))
    CPJIT_GOTO_EXIT();
  CPJIT_GOTO_CONTINUE();
}

#undef REG
#undef DST
#undef A
#undef B
#undef WRAP
