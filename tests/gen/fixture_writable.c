/*
 * fixture_writable.c -- a stencil set that stencilgen must reject: a uop
 * keeps a counter in a writable global (.bss), which a copied stencil
 * cannot own. Compiled by make-fixtures.sh into fixture_writable.o.
 */
#include <stdint.h>

#define CPJIT_PARAMS int64_t *regs
#define CPJIT_ARGS regs
#include "cpjit_stencil.h"

#define WRITABLE_UOPS(X) X(COUNT)
CPJIT_DECLARE_UOPS(WRITABLE_UOPS);

int64_t fixture_counter;

CPJIT_TRAMPOLINE(int64_t *regs) { return CPJIT_ENTER(regs); }
CPJIT_EXIT_STUB { return (cpjit_result)regs[0]; }

CPJIT_UOP(COUNT) {
  regs[0] = ++fixture_counter;
  CPJIT_GOTO_CONTINUE();
}
