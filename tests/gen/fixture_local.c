/*
 * fixture_local.c -- a stencil set that stencilgen must reject: a uop calls
 * a local function that clang kept out of line in its own section, which
 * the copied stencil could not reach. Compiled by make-fixtures.sh into
 * fixture_local.o.
 */
#include <stdint.h>

#define CPJIT_PARAMS int64_t *regs
#define CPJIT_ARGS regs
#include "cpjit_stencil.h"

#define LOCAL_UOPS(X) X(MIX)
CPJIT_DECLARE_UOPS(LOCAL_UOPS);

__attribute__((noinline)) static int64_t mix(int64_t a, int64_t b) {
  return a * 31 + (b ^ (a >> 7));
}

CPJIT_TRAMPOLINE(int64_t *regs) { return CPJIT_ENTER(regs); }
CPJIT_EXIT_STUB { return (cpjit_result)regs[0]; }

CPJIT_UOP(MIX) {
  regs[0] = mix(regs[0], regs[1]);
  CPJIT_GOTO_CONTINUE();
}
