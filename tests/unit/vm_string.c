/*
 * Unit tests for runtime/str.c: short strings are interned (one object per
 * content), long strings are not but compare equal, strings keep embedded
 * NULs, and unreferenced strings are collected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"

static int setup(void **state) {
  lua_State *L = luaL_newstate();
  if (L == NULL) return -1;
  *state = L;
  return 0;
}

static int teardown(void **state) {
  lua_close((lua_State *)*state);
  return 0;
}

static void test_short_strings_are_interned(void **state) {
  lua_State *L = *state;
  TString *a = str_new(L, "hello");
  TString *b = str_newlstr(L, "hello world", 5);
  assert_ptr_equal(a, b);
  assert_int_equal(a->tt, TAG_SHRSTR);
  assert_int_equal(a->len, 5);
  assert_int_equal(a->data[5], '\0');
  assert_ptr_not_equal(str_new(L, "hellp"), a);
}

static void test_long_strings_compare_by_content(void **state) {
  lua_State *L = *state;
  char buf[100];
  memset(buf, 'x', sizeof(buf));
  TString *a = str_newlstr(L, buf, sizeof(buf));
  TString *b = str_newlstr(L, buf, sizeof(buf));
  assert_int_equal(a->tt, TAG_LNGSTR);
  assert_ptr_not_equal(a, b);
  assert_true(str_eqlngstr(a, b));
  assert_int_equal(str_hashlong(a), str_hashlong(b));
  buf[50] = 'y';
  assert_false(str_eqlngstr(a, str_newlstr(L, buf, sizeof(buf))));
}

static void test_embedded_nul_is_kept(void **state) {
  lua_State *L = *state;
  TString *a = str_newlstr(L, "a\0b", 3);
  TString *b = str_newlstr(L, "a\0c", 3);
  assert_int_equal(a->len, 3);
  assert_ptr_not_equal(a, b);
  assert_memory_equal(getstr(a), "a\0b", 3);
}

static void test_dead_strings_are_collected(void **state) {
  lua_State *L = *state;
  int before = G(L)->strt.nuse;
  char name[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(name, sizeof(name), "tmp-%d", i);
    str_new(L, name);
  }
  assert_true(G(L)->strt.nuse >= before + 5000);
  lua_pushstring(L, "kept-alive");
  lua_gc(L, LUA_GCCOLLECT);
  assert_true(G(L)->strt.nuse < before + 10);
  /* the anchored one survived and is still the interned copy */
  assert_ptr_equal(tsvalue(L->top - 1), str_new(L, "kept-alive"));
  /* reserved words survive collections and stay recognisable */
  assert_true(str_new(L, "while")->extra > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_short_strings_are_interned, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_strings_compare_by_content, setup, teardown),
      cmocka_unit_test_setup_teardown(test_embedded_nul_is_kept, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dead_strings_are_collected, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
