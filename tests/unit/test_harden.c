/*
 * test_harden.c -- landing pads where cpjit-lua's trace code branches
 * indirectly out of itself (CPJIT_HARDEN builds; skipped otherwise).
 *
 * Stencils call helpers with direct calls; a call that cannot reach its
 * helper goes through the chunk's veneer, an indirect jump (x86-64
 * `jmp *[rip]`, AArch64 `br x16`). Under IBT / BTI its target must start
 * with a landing pad: every helper cpjit-lua defines itself is checked
 * here. Helpers from other objects (libm's floor, pow, ...) have one only
 * when that library was built with the protection too, which the process
 * needs anyway to run with it enabled: they are counted, not checked.
 * The trace entries and the code inside traces are checked by
 * tests/unit/test_jit.c (toy set) and tests/harden_trace_code.sh (the Lua
 * set and the code cpjit-lua emits).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "cpjit.h"
#include "lua_uop_list.h"
#if defined(__aarch64__) && defined(__ARM_FEATURE_BTI_DEFAULT)
#include "lua_stencils.h" /* large: only where its stencils are scanned */
#endif
#include "trace/trace.h"

#if (defined(__CET__) && (__CET__ & 1)) || defined(__ARM_FEATURE_BTI_DEFAULT)
/* x86-64 endbr64; AArch64 bti c, bti jc, paciasp or pacibsp. */
static int landing_pad(const void *fn) {
  uint8_t b[4];
  memcpy(b, fn, 4);
#if defined(__x86_64__)
  static const uint8_t endbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
  return memcmp(b, endbr64, 4) == 0;
#else
  uint32_t w;
  memcpy(&w, b, 4);
  return w == 0xd503245fu || w == 0xd50324dfu || w == 0xd503233fu ||
         w == 0xd503237fu;
#endif
}
#endif

static void helpers_have_landing_pads(void **unused) {
  (void)unused;
#if (defined(__CET__) && (__CET__ & 1)) || defined(__ARM_FEATURE_BTI_DEFAULT)
  static const struct {
    const char *name;
    const void *addr;
  } helpers[] = {
#define HELPER(name) {#name, (const void *)(uintptr_t)&name},
      LUA_UOP_HELPER_LIST(HELPER)
#undef HELPER
  };
  Dl_info self;
  assert_true(dladdr((const void *)(uintptr_t)&helpers_have_landing_pads, &self));
  int own = 0, other = 0;
  for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++) {
    Dl_info di;
    if (!dladdr(helpers[i].addr, &di))
      fail_msg("helper %s: no object holds %p", helpers[i].name, helpers[i].addr);
    if (di.dli_fbase != self.dli_fbase) {
      other++;
      continue;
    }
    if (!landing_pad(helpers[i].addr))
      fail_msg("helper %s at %p does not start with a landing pad",
               helpers[i].name, helpers[i].addr);
    own++;
  }
  print_message("%d helpers of cpjit-lua checked, %d from other objects\n",
                own, other);
  assert_true(own >= 4); /* jit_h_exec, jit_h_exec_f, jit_h_setfield, ... */
#else
  skip(); /* not a hardened build */
#endif
}

/* AArch64: uops carry no bti c of their own and no br (jump-table jumps
 * would need bti j at their targets, which uops compiled without BTI lack;
 * cpjit_stencil.h), so the trampoline is the only place in trace code an
 * indirect branch may land. x86-64: tests/harden_trace_code.sh reads the
 * disassembly instead. */
static void uops_hold_no_landing_pads_or_br(void **unused) {
  (void)unused;
#if defined(__aarch64__) && defined(__ARM_FEATURE_BTI_DEFAULT)
  const cpjit_stencil_set *set = &lua_stencil_set;
  assert_true(landing_pad(set->trampoline->code));
  uint32_t with_pac = 0;
  for (uint32_t i = 0; i <= set->nuops; i++) {
    const cpjit_stencil *s = i < set->nuops ? &set->uops[i] : set->exit_stub;
    for (uint32_t off = 0; off + 4 <= s->code_size; off += 4) {
      uint32_t x;
      memcpy(&x, s->code + off, 4);
      if (off == 0 && (x == 0xd503245fu || x == 0xd50324dfu))
        fail_msg("uop %s starts with bti c", s->name);
      if (off == 0 && x == 0xd503233fu)
        with_pac++; /* paciasp: signs its return address (calls a helper) */
      unsigned opc = (x >> 21) & 0xf;
      if ((x >> 25) == 0x6b && (opc == 0 || opc == 8))
        fail_msg("uop %s: indirect jump (br) at +%u", s->name, off);
    }
  }
  print_message("%u stencils, %u start with paciasp\n", set->nuops + 1,
                with_pac);
#else
  skip(); /* x86-64 or not hardened */
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(helpers_have_landing_pads),
      cmocka_unit_test(uops_hold_no_landing_pads_or_br),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
