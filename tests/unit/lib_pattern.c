/*
 * Unit tests for runtime/lib/lpattern.c, the Lua pattern matcher, used
 * without a Lua state.  Expected results are what lua5.4's string.find /
 * string.match give for the same subject and pattern.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lpattern.h"

/* A search like string.find: first match at or after position 1, honouring
 * a leading '^'.  Returns the 1-based start (0 if none, -1 on error) and
 * the exclusive end offset in *end. */
static int find(LPatState *ms, const char *s, const char *p, size_t *end) {
  size_t slen = strlen(s), plen = strlen(p);
  int anchored = plen > 0 && p[0] == '^';
  if (anchored) {
    p++;
    plen--;
  }
  lpat_init(ms, s, slen, p, plen);
  for (const char *start = s;; start++) {
    const char *e = lpat_exec(ms, start, p);
    if (ms->error != LPAT_OK)
      return -1;
    if (e != NULL) {
      *end = (size_t)(e - s);
      return (int)(start - s) + 1;
    }
    if (anchored || start >= s + slen)
      return 0;
  }
}

/* The text of capture i after a successful find. */
static void assert_capture(LPatState *ms, int i, const char *s, size_t start,
                           size_t end, const char *expected) {
  LPatValue v = lpat_get_capture(ms, i, s + start - 1, s + end);
  assert_int_equal(v.kind, LPAT_CAPTURE_STRING);
  assert_int_equal(v.len, strlen(expected));
  assert_memory_equal(v.ptr, expected, v.len);
}

static void test_literal_and_classes(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  assert_int_equal(find(&ms, "hello world", "o w", &end), 5);
  assert_int_equal(end, 7);
  assert_int_equal(find(&ms, "abc123def", "%d+", &end), 4);
  assert_int_equal(end, 6);
  assert_int_equal(find(&ms, "  x", "%S", &end), 3);
  assert_int_equal(find(&ms, "ab_c", "%W", &end), 3);
  assert_int_equal(find(&ms, "abc", "%u", &end), 0);
  assert_int_equal(find(&ms, "a.b", "%.", &end), 2);
  assert_int_equal(find(&ms, "0xFg", "%x+", &end), 1);
  assert_int_equal(end, 1); /* 'x' is not a hex digit */
  assert_int_equal(find(&ms, "zFa9g", "%x+", &end), 2);
  assert_int_equal(end, 4);
}

static void test_sets_and_ranges(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  assert_int_equal(find(&ms, "xyz-42", "[%d-]+", &end), 4);
  assert_int_equal(end, 6);
  assert_int_equal(find(&ms, "hello", "[^hel]", &end), 5);
  assert_int_equal(find(&ms, "a]b", "[]]", &end), 2);
  assert_int_equal(find(&ms, "Q", "[a-z]", &end), 0);
  assert_int_equal(find(&ms, "m", "[a-z]", &end), 1);
  assert_int_equal(find(&ms, "-", "[a-]", &end), 1);
}

static void test_quantifiers(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  /* greedy versus lazy */
  assert_int_equal(find(&ms, "<a><b>", "<.*>", &end), 1);
  assert_int_equal(end, 6);
  assert_int_equal(find(&ms, "<a><b>", "<.->", &end), 1);
  assert_int_equal(end, 3);
  assert_int_equal(find(&ms, "color colour", "colou?r", &end), 1);
  assert_int_equal(end, 5);
  assert_int_equal(find(&ms, "aaa", "a+b", &end), 0);
  assert_int_equal(find(&ms, "", "a*", &end), 1);
  assert_int_equal(end, 0);
}

static void test_anchors(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  assert_int_equal(find(&ms, "abc", "^b", &end), 0);
  assert_int_equal(find(&ms, "abc", "c$", &end), 3);
  assert_int_equal(find(&ms, "a$c", "$c", &end), 2); /* '$' inside: literal */
}

static void test_captures_and_positions(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  const char *s = "key = value";
  int start = find(&ms, s, "(%w+)%s*=%s*(%w+)", &end);
  assert_int_equal(start, 1);
  assert_int_equal(lpat_capture_count(&ms, 1), 2);
  assert_capture(&ms, 0, s, 1, end, "key");
  assert_capture(&ms, 1, s, 1, end, "value");
  start = find(&ms, "abc", "()b()", &end);
  assert_int_equal(start, 2);
  const char *abc = "abc";
  LPatValue v = lpat_get_capture(&ms, 1, abc + 1, abc + end);
  assert_int_equal(v.kind, LPAT_CAPTURE_POSITION);
  assert_int_equal(v.position, 3);
}

static void test_balance_frontier_backref(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  assert_int_equal(find(&ms, "f(a(b)c) x", "%b()", &end), 2);
  assert_int_equal(end, 8);
  assert_int_equal(find(&ms, "THE (quick) fox", "%f[%a]%a+", &end), 1);
  assert_int_equal(find(&ms, "the fox", "%f[%l]fox", &end), 5);
  assert_int_equal(find(&ms, "say 'hi' now", "(['\"]).-%1", &end), 5);
  assert_int_equal(end, 8);
}

static void assert_error(const char *s, const char *p, const char *msg) {
  LPatState ms;
  size_t end;
  assert_int_equal(find(&ms, s, p, &end), -1);
  assert_string_equal(lpat_errmsg(&ms), msg);
}

static void test_errors_match_lua_wording(void **state) {
  (void)state;
  assert_error("abc", "%", "malformed pattern (ends with '%')");
  assert_error("abc", "[a", "malformed pattern (missing ']')");
  assert_error("abc", "[%]", "malformed pattern (missing ']')");
  assert_error("abc", "%f", "missing '[' after '%f' in pattern");
  assert_error("abc", "%b", "malformed pattern (missing arguments to '%b')");
  assert_error("abc", "%1", "invalid capture index %1");
  assert_error("abc", "(a%1)", "invalid capture index %1");
  assert_error("abc", "a)", "invalid pattern capture");
  /* 33 nested captures, one more than allowed */
  char many[80] = "";
  for (int i = 0; i < 33; i++)
    strcat(many, "(");
  assert_error("x", many, "too many captures");
}

static void test_errors_are_lazy(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  /* The faulty '%' is never reached because 'x' never matches. */
  assert_int_equal(find(&ms, "abc", "x%", &end), 0);
}

static void test_exec_clears_previous_error(void **state) {
  (void)state;
  LPatState ms;
  const char *s = "ba";
  const char *p = "a%";
  lpat_init(&ms, s, 2, p, 2);
  /* At "a" the matcher reaches the dangling '%' ... */
  assert_null(lpat_exec(&ms, s + 1, p));
  assert_int_equal(ms.error, LPAT_ERR_ENDS_WITH_ESC);
  /* ... at "ba" it fails on 'b' first: a plain miss, not the old error. */
  assert_null(lpat_exec(&ms, s, p));
  assert_int_equal(ms.error, LPAT_OK);
}

static void test_depth_limit(void **state) {
  (void)state;
  char s[301], p[601];
  memset(s, 'a', 300);
  s[300] = '\0';
  for (int i = 0; i < 300; i++) {
    p[2 * i] = 'a';
    p[2 * i + 1] = '?';
  }
  p[600] = '\0';
  assert_error(s, p, "pattern too complex");
}

static void test_unfinished_capture(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  int start = find(&ms, "abc", "(a", &end);
  assert_int_equal(start, 1);
  const char *abc = "abc";
  LPatValue v = lpat_get_capture(&ms, 0, abc, abc + end);
  assert_int_equal(v.kind, LPAT_CAPTURE_ERROR);
  assert_string_equal(lpat_errmsg(&ms), "unfinished capture");
}

static void test_capture_index_out_of_range(void **state) {
  (void)state;
  LPatState ms;
  size_t end;
  assert_int_equal(find(&ms, "abc", "b", &end), 2);
  /* Without captures, index 0 is the whole match; index 1 is invalid. */
  const char *abc = "abc";
  LPatValue whole = lpat_get_capture(&ms, 0, abc + 1, abc + end);
  assert_int_equal(whole.kind, LPAT_CAPTURE_STRING);
  assert_int_equal(whole.len, 1);
  LPatValue bad = lpat_get_capture(&ms, 1, abc + 1, abc + end);
  assert_int_equal(bad.kind, LPAT_CAPTURE_ERROR);
  assert_string_equal(lpat_errmsg(&ms), "invalid capture index %2");
}

static void test_embedded_zeros(void **state) {
  (void)state;
  LPatState ms;
  const char s[] = "a\0b";
  const char p[] = "\0b";
  lpat_init(&ms, s, 3, p, 2);
  assert_null(lpat_exec(&ms, s, p));
  const char *e = lpat_exec(&ms, s + 1, p);
  assert_non_null(e);
  assert_ptr_equal(e, s + 3);
}

static void test_plain_helpers(void **state) {
  (void)state;
  assert_false(lpat_has_specials("abc)", 4));
  assert_true(lpat_has_specials("a.c", 3));
  assert_true(lpat_has_specials("a-", 2));
  const char *hay = "abcabd";
  assert_ptr_equal(lpat_find_plain(hay, 6, "abd", 3), hay + 3);
  assert_null(lpat_find_plain(hay, 6, "abe", 3));
  assert_ptr_equal(lpat_find_plain(hay, 6, "", 0), hay);
  assert_null(lpat_find_plain(hay, 2, "abc", 3));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_literal_and_classes),
    cmocka_unit_test(test_sets_and_ranges),
    cmocka_unit_test(test_quantifiers),
    cmocka_unit_test(test_anchors),
    cmocka_unit_test(test_captures_and_positions),
    cmocka_unit_test(test_balance_frontier_backref),
    cmocka_unit_test(test_errors_match_lua_wording),
    cmocka_unit_test(test_errors_are_lazy),
    cmocka_unit_test(test_exec_clears_previous_error),
    cmocka_unit_test(test_depth_limit),
    cmocka_unit_test(test_unfinished_capture),
    cmocka_unit_test(test_capture_index_out_of_range),
    cmocka_unit_test(test_embedded_zeros),
    cmocka_unit_test(test_plain_helpers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
