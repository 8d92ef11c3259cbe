/*
 * Unit tests for runtime/object.c and the integer operators of vm.c:
 * number formatting as lua5.4 prints it (%.14g, "1.0", "-nan", "inf"),
 * string-to-number conversion, and floor division / modulo semantics.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"

static const char *fmt_int(lua_Integer i, char *buf) {
  TValue v;
  setivalue(&v, i);
  obj_tostringbuff(&v, buf);
  return buf;
}

static const char *fmt_flt(lua_Number n, char *buf) {
  TValue v;
  setfltvalue(&v, n);
  obj_tostringbuff(&v, buf);
  return buf;
}

static void test_integers_print_plainly(void **state) {
  (void)state;
  char b[64];
  assert_string_equal(fmt_int(0, b), "0");
  assert_string_equal(fmt_int(-17, b), "-17");
  assert_string_equal(fmt_int(INT64_MAX, b), "9223372036854775807");
  assert_string_equal(fmt_int(INT64_MIN, b), "-9223372036854775808");
}

static void test_floats_print_like_lua(void **state) {
  (void)state;
  char b[64];
  assert_string_equal(fmt_flt(1.0, b), "1.0");
  assert_string_equal(fmt_flt(-0.0, b), "-0.0");
  assert_string_equal(fmt_flt(3.5, b), "3.5");
  assert_string_equal(fmt_flt(1e100, b), "1e+100");
  assert_string_equal(fmt_flt(1e15, b), "1e+15");
  assert_string_equal(fmt_flt(pow(2, 63), b), "9.2233720368548e+18");
  assert_string_equal(fmt_flt(3.14159265358979323846, b), "3.1415926535898");
  assert_string_equal(fmt_flt(HUGE_VAL, b), "inf");
  assert_string_equal(fmt_flt(-HUGE_VAL, b), "-inf");
  /* NaNs print with their sign, as lua5.4 does through printf (on x86-64
   * the NaN of 0/0 has the sign bit set, so Lua shows "-nan"). */
  assert_string_equal(fmt_flt(copysign(NAN, -1.0), b), "-nan");
  assert_string_equal(fmt_flt(copysign(NAN, 1.0), b), "nan");
}

static void check_int(const char *s, lua_Integer expect) {
  TValue v;
  assert_int_equal(obj_str2num(s, &v), strlen(s) + 1);
  assert_true(ttisinteger(&v));
  assert_int_equal(ivalue(&v), expect);
}

static void check_flt(const char *s, lua_Number expect) {
  TValue v;
  assert_int_equal(obj_str2num(s, &v), strlen(s) + 1);
  assert_true(ttisfloat(&v));
  assert_true(fltvalue(&v) == expect);
}

static void check_bad(const char *s) {
  TValue v;
  assert_int_equal(obj_str2num(s, &v), 0);
}

static void test_string_to_number(void **state) {
  (void)state;
  check_int("42", 42);
  check_int("  -7  ", -7);
  check_int("0x10", 16);
  check_int("0xffffffffffffffff", -1); /* hex wraps around */
  check_int("9223372036854775807", INT64_MAX);
  check_flt("9223372036854775808", 9223372036854775808.0); /* decimal overflow: float */
  check_flt("1e2", 100.0);
  check_flt(".5", 0.5);
  check_flt("0x1p4", 16.0);
  check_flt("0x.8", 0.5);
  check_bad("");
  check_bad("abc");
  check_bad("1e");
  check_bad("0x");
  check_bad("inf");
  check_bad("nan");
  check_bad("1 2");
}

static void test_float_to_integer_modes(void **state) {
  (void)state;
  lua_Integer i;
  assert_true(obj_flttointns(3.0, &i, F2Ieq));
  assert_int_equal(i, 3);
  assert_false(obj_flttointns(3.5, &i, F2Ieq));
  assert_true(obj_flttointns(3.5, &i, F2Ifloor));
  assert_int_equal(i, 3);
  assert_true(obj_flttointns(-3.5, &i, F2Iceil));
  assert_int_equal(i, -3);
  assert_false(obj_flttointns(pow(2, 63), &i, F2Ieq));
  assert_true(obj_flttointns(-pow(2, 63), &i, F2Ieq));
  assert_int_equal(i, INT64_MIN);
}

static void test_floor_division_and_modulo(void **state) {
  lua_State *L = luaL_newstate();
  (void)state;
  assert_int_equal(vm_idiv(L, 7, 2), 3);
  assert_int_equal(vm_idiv(L, -7, 2), -4);
  assert_int_equal(vm_idiv(L, 7, -2), -4);
  assert_int_equal(vm_idiv(L, INT64_MIN, -1), INT64_MIN);
  assert_int_equal(vm_mod(L, -7, 2), 1);
  assert_int_equal(vm_mod(L, 7, -2), -1);
  assert_int_equal(vm_mod(L, INT64_MIN, -1), 0);
  assert_true(vm_modf(L, -5.0, 3.0) == 1.0);
  assert_true(vm_modf(L, 5.5, -2.0) == -0.5);
  assert_int_equal(vm_shiftl(1, 63), INT64_MIN);
  assert_int_equal(vm_shiftl(1, 64), 0);
  assert_int_equal(vm_shiftl(-1, -60), 15);
  lua_close(L);
}

static void test_chunk_ids(void **state) {
  (void)state;
  char out[LUA_IDSIZE];
  obj_chunkid(out, "@script.lua", 11);
  assert_string_equal(out, "script.lua");
  obj_chunkid(out, "=stdin", 6);
  assert_string_equal(out, "stdin");
  const char *src = "return 1";
  obj_chunkid(out, src, strlen(src));
  assert_string_equal(out, "[string \"return 1\"]");
  src = "x = 1\ny = 2";
  obj_chunkid(out, src, strlen(src));
  assert_string_equal(out, "[string \"x = 1...\"]");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_integers_print_plainly),
      cmocka_unit_test(test_floats_print_like_lua),
      cmocka_unit_test(test_string_to_number),
      cmocka_unit_test(test_float_to_integer_modes),
      cmocka_unit_test(test_floor_division_and_modulo),
      cmocka_unit_test(test_chunk_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
