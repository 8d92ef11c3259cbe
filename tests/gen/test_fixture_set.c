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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(set_invariants_hold),
      cmocka_unit_test(fixture_uops_have_their_holes),
  };
  return cmocka_run_group_tests_name(SET_HEADER, tests, NULL, NULL);
}
