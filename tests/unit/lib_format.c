/*
 * Unit tests for runtime/lib/lformat.c: conversion specification parsing
 * and checking for string.format, and the "%q" forms of numbers.  Expected
 * results are lua5.4's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lformat.h"

static LFmtStatus scan(const char *fmt, LFmtSpec *spec, const char **next) {
  return lfmt_scan(fmt, fmt + strlen(fmt), spec, next);
}

static void test_scan_splits_spec(void **state) {
  (void)state;
  LFmtSpec spec;
  const char *next;
  assert_int_equal(scan("-5.2frest", &spec, &next), LFMT_OK);
  assert_string_equal(spec.form, "%-5.2f");
  assert_int_equal(spec.conv, 'f');
  assert_int_equal(spec.modlen, 4);
  assert_string_equal(next, "rest");
  assert_int_equal(scan("d", &spec, &next), LFMT_OK);
  assert_string_equal(spec.form, "%d");
  assert_int_equal(spec.modlen, 0);
}

static void test_scan_at_end_of_format(void **state) {
  (void)state;
  LFmtSpec spec;
  const char *next;
  assert_int_equal(scan("5", &spec, &next), LFMT_OK);
  assert_int_equal(spec.conv, '\0');
  assert_string_equal(spec.form, "%5"); /* "invalid conversion '%5'" */
}

static void test_scan_length_limit(void **state) {
  (void)state;
  LFmtSpec spec;
  const char *next;
  /* 20 flag characters plus the letter fit; 21 do not (as lua5.4). */
  assert_int_equal(scan("--------------------d", &spec, &next), LFMT_OK);
  assert_int_equal(scan("---------------------d", &spec, &next),
                   LFMT_TOO_LONG);
}

static int valid(const char *fmt, const char *flags, int precision) {
  LFmtSpec spec;
  const char *next;
  assert_int_equal(scan(fmt, &spec, &next), LFMT_OK);
  return lfmt_spec_valid(&spec, flags, precision);
}

static void test_spec_validity(void **state) {
  (void)state;
  assert_true(valid("99.99f", "-+ #0", 1));
  assert_false(valid(".100f", "-+ #0", 1));
  assert_false(valid("123d", "-+ 0", 1));
  assert_false(valid("#d", "-+ 0", 1));
  assert_true(valid("0-5d", "-+ 0", 1));
  assert_true(valid("099d", "-+ 0", 1));
  assert_false(valid(".3c", "-", 0));
  assert_false(valid("05c", "-", 0)); /* width may not start with 0 */
  assert_true(valid("-5c", "-", 0));
  assert_false(valid("+x", "-#0", 1));
  assert_true(valid("#x", "-#0", 1));
}

static void test_add_length(void **state) {
  (void)state;
  LFmtSpec spec;
  const char *next;
  scan("-08x", &spec, &next);
  lfmt_add_length(&spec, "ll");
  assert_string_equal(spec.form, "%-08llx");
}

static void test_quote_numbers(void **state) {
  (void)state;
  char buf[64];
  lfmt_quote_integer(buf, sizeof buf, -3);
  assert_string_equal(buf, "-3");
  lfmt_quote_integer(buf, sizeof buf, (-9223372036854775807LL - 1));
  assert_string_equal(buf, "0x8000000000000000");
  lfmt_quote_float(buf, sizeof buf, 1.0);
  assert_string_equal(buf, "0x1p+0");
  lfmt_quote_float(buf, sizeof buf, 0.1);
  assert_string_equal(buf, "0x1.999999999999ap-4");
  lfmt_quote_float(buf, sizeof buf, -0.0);
  assert_string_equal(buf, "-0x0p+0");
  lfmt_quote_float(buf, sizeof buf, 1.0 / 0.0);
  assert_string_equal(buf, "1e9999");
  lfmt_quote_float(buf, sizeof buf, -1.0 / 0.0);
  assert_string_equal(buf, "-1e9999");
  lfmt_quote_float(buf, sizeof buf, 0.0 / 0.0);
  assert_string_equal(buf, "(0/0)");
}

static void test_integer_like_printf(void **state) {
  (void)state;
  static const long long values[] = {0, 1, -1, 9, 10, -10, 99, 100, 123456789,
                                     -987654321, 9223372036854775807LL,
                                     -9223372036854775807LL - 1};
  char mine[32], ref[32];
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    int n = lfmt_integer(mine, values[i]);
    int m = snprintf(ref, sizeof ref, "%lld", values[i]);
    assert_string_equal(mine, ref);
    assert_int_equal(n, m);
  }
  uint64_t x = 0x9E3779B97F4A7C15ull; /* a stream of varied values */
  for (int i = 0; i < 100000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    long long v = (long long)(x >> (i % 64));
    if (i & 1)
      v = -v;
    lfmt_integer(mine, v);
    snprintf(ref, sizeof ref, "%lld", v);
    assert_string_equal(mine, ref);
  }
}

/* lfmt_g_fast agrees with printf wherever it answers, and answers for the
 * common numbers (short decimals, integers). */
static void check_g(double v, int prec, int must_answer) {
  char mine[64], ref[64], form[16];
  snprintf(form, sizeof form, "%%.%dg", prec);
  snprintf(ref, sizeof ref, form, v);
  int n = lfmt_g_fast(mine, v, prec);
  if (n < 0) {
    if (must_answer)
      fail_msg("lfmt_g_fast declined %s (%%.%dg)", ref, prec);
    return;
  }
  if (strcmp(mine, ref) != 0 || n != (int)strlen(ref))
    fail_msg("%%.%dg of %.17g: got '%s', printf says '%s'", prec, v, mine, ref);
}

static void test_g_fast_like_printf(void **state) {
  (void)state;
  static const double values[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3,
                                  1e-4, 1.5e-4, 9.99e-5, 1e-5, 123.456, -2.75,
                                  1e13, 99999999999999.0, 1e14, 1e15, 1e100,
                                  3.14159265358979, 1.0 / 3.0, 2.0 / 3.0,
                                  0.1 + 0.2, 1e300 * 1e10, -1e300 * 1e10,
                                  4503599627370495.5, 0.30000000000000004};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
    for (int prec = 1; prec <= 15; prec++)
      check_g(values[i], prec, 0);
  check_g(0.0 / 0.0, 14, 0);
  check_g(0.1, 14, 1);
  check_g(-0.0, 14, 1);
  check_g(123.25, 14, 1);
  check_g(0.0001, 6, 1);
  check_g(1e13, 14, 1);
  /* integers, halves, short decimals, and arbitrary doubles */
  uint64_t x = 0x2545F4914F6CDD1Dull;
  for (int i = 0; i < 200000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    double d;
    switch (i % 5) {
    case 0: d = (double)(int64_t)(x >> 12) / 1e4; break;
    case 1: d = (double)(x >> 40) + 0.5; break;
    case 2: d = (double)(x >> 30) / (double)(1 + (x & 0xffff)); break;
    case 3: memcpy(&d, &x, sizeof d); break;
    default: d = (double)(x % 100000) * 1e-6; break;
    }
    check_g(d, 14, 0);
    check_g(d, 6, 0);
    check_g(d, 1 + (int)(x % 15), 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_scan_splits_spec),
    cmocka_unit_test(test_scan_at_end_of_format),
    cmocka_unit_test(test_scan_length_limit),
    cmocka_unit_test(test_spec_validity),
    cmocka_unit_test(test_add_length),
    cmocka_unit_test(test_quote_numbers),
    cmocka_unit_test(test_integer_like_printf),
    cmocka_unit_test(test_g_fast_like_printf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
