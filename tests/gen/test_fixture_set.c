/*
 * test_fixture_set.c -- checks the content of a stencil header generated
 * from tests/gen/fixture_set.c.
 *
 * Built twice by gen_tests.cmake:
 *   - on the committed golden header (SET_HEADER "fixture_set.golden.h"),
 *     so a regenerated golden file that lost a hole or a flag fails here
 *     even if its author accepted the diff;
 *   - on the header cpjit_add_stencils() generates from fixture_set.c with
 *     the installed clang-19, which proves the CMake function end to end.
 * Both headers are also compiled with -Wall -Wextra -Werror by this build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include SET_HEADER
#include "set_checks.h"

static void set_invariants_hold(void **state) {
  (void)state;
  check_set_invariants(&SET_VAR);
#ifdef SET_MACHINE
  assert_int_equal(SET_VAR.machine, SET_MACHINE);
#endif
}

static void fixture_uops_have_their_holes(void **state) {
  (void)state;
  check_fixture_holes(&SET_VAR);
}

#ifdef CPJIT_TEST_HARDENED_SET
/* A set built with CPJIT_HARDEN: the trampoline (the trace entry, called
 * through a pointer) and every label whose address the code takes (an
 * indirect-branch target: in-data CODE holes) start with a landing pad;
 * uops, entered by direct jumps only, do not. */
static int landing_pad(uint32_t machine, const uint8_t *p) {
  static const uint8_t endbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
  uint32_t w;
  memcpy(&w, p, 4);
  if (machine == CPJIT_MACHINE_AARCH64) /* bti c / bti j / bti jc / paciasp */
    return (w & 0xffffff3fu) == 0xd503241fu || w == 0xd503233fu;
  return memcmp(p, endbr64, 4) == 0;
}

static void hardened_set_has_landing_pads(void **state) {
  (void)state;
  const cpjit_stencil_set *set = &SET_VAR;
  assert_true(landing_pad(set->machine, set->trampoline->code));
  unsigned targets = 0;
  for (uint32_t i = 0; i < set->nuops; i++) {
    const cpjit_stencil *u = &set->uops[i];
    if (set->machine == CPJIT_MACHINE_X86_64)
      assert_false(landing_pad(set->machine, u->code));
    for (uint32_t k = 0; k < u->nholes; k++) {
      const cpjit_hole *h = &u->holes[k];
      if (!h->in_data || h->kind != CPJIT_HOLE_CODE)
        continue;
      assert_true(h->addend >= 0 && h->addend + 4 <= (int64_t)u->code_size);
      if (!landing_pad(set->machine, u->code + h->addend))
        fail_msg("%s: indirect-branch target at 0x%llx has no landing pad",
                 u->name, (unsigned long long)h->addend);
      targets++;
    }
  }
  assert_int_equal(targets, 2); /* DISPATCH's two labels */
}
#endif

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(set_invariants_hold),
      cmocka_unit_test(fixture_uops_have_their_holes),
#ifdef CPJIT_TEST_HARDENED_SET
      cmocka_unit_test(hardened_set_has_landing_pads),
#endif
  };
  return cmocka_run_group_tests_name(SET_HEADER, tests, NULL, NULL);
}
