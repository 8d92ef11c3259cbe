/*
 * test_fixture_minimal.c -- the empty cases of a generated header.
 *
 * gen_tests.cmake generates minimal_stencils.h from the committed
 * fixture_minimal.o (one uop, no helpers, no data, an exit stub without
 * holes) and compiles this file with -Wall -Wextra -Werror, so the header
 * must be valid, warning-free C where arrays would be empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "minimal_stencils.h"
#include "set_checks.h"

static void empty_parts_are_null(void **state) {
  (void)state;
  const cpjit_stencil_set *set = &minimal_stencil_set;
  check_set_invariants(set);
  assert_int_equal(minimal_NUOPS, 1);
  assert_int_equal(minimal_NHELPERS, 0);
  assert_int_equal(set->nhelpers, 0);
  assert_null(set->helper_names);
  assert_string_equal(set->uops[0].name, "INC");
  assert_null(set->uops[0].data);
  assert_int_equal(set->uops[0].data_size, 0);
  assert_int_equal(set->uops[0].flags, CPJIT_STENCIL_TAIL_CONTINUE);
  assert_int_equal(set->uops[0].tail_size, 5);
  assert_int_equal(set->exit_stub->nholes, 0);
  assert_null(set->exit_stub->holes);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(empty_parts_are_null),
  };
  return cmocka_run_group_tests_name("minimal set", tests, NULL, NULL);
}
