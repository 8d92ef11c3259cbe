/*
 * fixture_minimal.c -- the smallest valid stencil set: one uop, no helpers,
 * no read-only data, and an exit stub without holes. Its header exercises
 * the empty cases (NULL holes, data and helper names). Compiled by
 * make-fixtures.sh into fixture_minimal.o.
 */
#include <stdint.h>

#define CPJIT_PARAMS int64_t *regs
#define CPJIT_ARGS regs
#include "cpjit_stencil.h"

#define MINIMAL_UOPS(X) X(INC)
CPJIT_DECLARE_UOPS(MINIMAL_UOPS);

CPJIT_TRAMPOLINE(int64_t *regs) { return CPJIT_ENTER(regs); }
CPJIT_EXIT_STUB { return (cpjit_result)regs[0]; }

CPJIT_UOP(INC) {
  regs[0]++;
  CPJIT_GOTO_CONTINUE();
}
