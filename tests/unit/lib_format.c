/*
 * Unit tests for runtime/lib/lformat.c: conversion specification parsing
 * and checking for string.format, and the "%q" forms of numbers.  Expected
 * results are lua5.4's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_scan_splits_spec),
    cmocka_unit_test(test_scan_at_end_of_format),
    cmocka_unit_test(test_scan_length_limit),
    cmocka_unit_test(test_spec_validity),
    cmocka_unit_test(test_add_length),
    cmocka_unit_test(test_quote_numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
