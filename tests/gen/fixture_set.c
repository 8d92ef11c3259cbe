/*
 * fixture_set.c -- a tiny stencil set for the stencilgen golden tests.
 *
 * It is compiled once by tests/gen/make-fixtures.sh into fixture_set.o,
 * which is committed so the golden header does not depend on the clang
 * version installed. Each uop exercises one relocation or hole shape:
 * 64-bit operands, 32-bit operands, the small argument, a double constant
 * in .rodata.cst8 (DATA hole), a helper call (HELPER), guards with side
 * exits (EXIT), a loop back-edge (JUMP), a string constant passed to a
 * helper, and a table of label addresses in .rodata (holes inside the data
 * blob pointing back at the stencil's own code).
 */
#include <stdint.h>

typedef struct fixture_state {
  int64_t slot[16];
  double fslot[4];
  const char *msg;
} fixture_state;

#define CPJIT_PARAMS fixture_state *S, int64_t acc
#define CPJIT_ARGS S, acc
#include "cpjit_stencil.h"

#define FIXTURE_UOPS(X)                                                       \
  X(LOAD64) X(ADDI) X(LOADSLOT) X(SCALE_F) X(CALL) X(GUARD) X(LOOP)           \
  X(NAME) X(DISPATCH) X(TYPED_LOAD)
#define FIXTURE_HELPERS(X) X(fixture_helper_add) X(fixture_helper_note)

CPJIT_DECLARE_UOPS(FIXTURE_UOPS);
CPJIT_DECLARE_HELPERS(FIXTURE_HELPERS);

int64_t fixture_helper_add(int64_t a, int64_t b);
void fixture_helper_note(fixture_state *S, const char *what);

CPJIT_TRAMPOLINE(fixture_state *S) { return CPJIT_ENTER(S, 0); }

CPJIT_EXIT_STUB {
  S->slot[0] = acc;
  return CPJIT_OPERAND0_U64;
}

CPJIT_UOP(LOAD64) {
  acc = (int64_t)CPJIT_OPERAND0_U64;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(ADDI) {
  acc += CPJIT_OPERAND0_S32;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(LOADSLOT) {
  acc = *(int64_t *)((char *)S + CPJIT_OPERAND1_DISP) + CPJIT_ARG_U16;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(SCALE_F) {
  S->fslot[0] = S->fslot[1] * 2.718281828459045 + (double)acc;
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(CALL) {
  acc = fixture_helper_add(acc, S->slot[CPJIT_ARG_U16 & 15]);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(GUARD) {
  if (CPJIT_UNLIKELY(acc != CPJIT_OPERAND0_S32))
    CPJIT_GOTO_EXIT();
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(LOOP) {
  if (--acc > 0)
    CPJIT_GOTO_JUMP();
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(NAME) {
  static const char *const names[] = {"zero", "one", "two", "many"};
  fixture_helper_note(S, names[CPJIT_ARG_U16 & 3]);
  CPJIT_GOTO_CONTINUE();
}

CPJIT_UOP(DISPATCH) {
  static const void *const targets[] = {&&even, &&odd};
  goto *targets[acc & 1];
even:
  S->slot[1] += 2;
  CPJIT_GOTO_CONTINUE();
odd:
  S->slot[2] += 1;
  CPJIT_GOTO_CONTINUE();
}

/* A type check before a load: clang puts the exit after the hot path's
 * jump to CONTINUE, reached by a short jcc (stencilgen widens it). */
CPJIT_UOP(TYPED_LOAD) {
  const int64_t *v = (const int64_t *)((char *)S + CPJIT_OPERAND1_DISP);
  if (CPJIT_UNLIKELY(v[1] != 3))
    CPJIT_GOTO_EXIT();
  acc = v[0];
  CPJIT_GOTO_CONTINUE();
}
