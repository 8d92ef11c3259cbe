/*
 * Unit tests for runtime/table.c: the array and hash parts, rehashing,
 * float-key normalisation, borders ('#') and traversal with tab_next.
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
  G(L)->gcstop++; /* tables below are not anchored */
  *state = L;
  return 0;
}

static int teardown(void **state) {
  lua_State *L = *state;
  G(L)->gcstop--;
  lua_close(L);
  return 0;
}

static void seti(lua_State *L, Table *t, lua_Integer k, lua_Integer v) {
  TValue tv;
  setivalue(&tv, v);
  tab_setint(L, t, k, &tv);
}

static void test_sequence_moves_into_array_part(void **state) {
  lua_State *L = *state;
  Table *t = tab_new(L);
  for (lua_Integer i = 1; i <= 1000; i++) seti(L, t, i, i * 10);
  assert_true(t->asize >= 1000);
  assert_true(t->asize < 2048);
  assert_int_equal(tab_getn(t), 1000);
  for (lua_Integer i = 1; i <= 1000; i++) assert_int_equal(ivalue(tab_getint(t, i)), i * 10);
  assert_true(ttisnil(tab_getint(t, 1001)));
  assert_true(isabstkey(tab_getint(t, 0)));
}

static void test_sparse_keys_stay_in_hash_part(void **state) {
  lua_State *L = *state;
  Table *t = tab_new(L);
  for (lua_Integer i = 1; i <= 64; i++) seti(L, t, i * 1000, i);
  assert_int_equal(t->asize, 0);
  assert_int_equal(tab_getn(t), 0);
  for (lua_Integer i = 1; i <= 64; i++) assert_int_equal(ivalue(tab_getint(t, i * 1000)), i);
}

static void test_float_keys_are_normalised(void **state) {
  lua_State *L = *state;
  Table *t = tab_new(L);
  TValue k, v;
  setfltvalue(&k, 3.0);
  setivalue(&v, 7);
  tab_set(L, t, &k, &v);
  assert_int_equal(ivalue(tab_getint(t, 3)), 7);
  setfltvalue(&k, 3.5);
  setivalue(&v, 8);
  tab_set(L, t, &k, &v);
  assert_int_equal(ivalue(tab_get(t, &k)), 8);
  assert_int_equal(ivalue(tab_getint(t, 3)), 7);
}

static void test_string_keys(void **state) {
  lua_State *L = *state;
  Table *t = tab_new(L);
  char name[32];
  for (int i = 0; i < 500; i++) {
    snprintf(name, sizeof(name), "key%d", i);
    TValue k, v;
    setsvalue(&k, str_new(L, name));
    setivalue(&v, i);
    tab_set(L, t, &k, &v);
  }
  for (int i = 0; i < 500; i++) {
    snprintf(name, sizeof(name), "key%d", i);
    assert_int_equal(ivalue(tab_getstr(t, str_new(L, name))), i);
  }
  /* a long key (not interned) finds the same slot as an equal long key */
  const char *longname = "a key that is much longer than forty characters, so not interned";
  TValue k, v;
  setsvalue(&k, str_new(L, longname));
  setivalue(&v, 99);
  tab_set(L, t, &k, &v);
  assert_int_equal(ivalue(tab_getstr(t, str_new(L, longname))), 99);
}

static void test_border_after_removing_tail(void **state) {
  lua_State *L = *state;
  Table *t = tab_new(L);
  for (lua_Integer i = 1; i <= 10; i++) seti(L, t, i, i);
  TValue nil;
  setnilvalue(&nil);
  tab_setint(L, t, 10, &nil);
  tab_setint(L, t, 9, &nil);
  assert_int_equal(tab_getn(t), 8);
}

static void test_next_visits_every_key_once(void **state) {
  lua_State *L = *state;
  Table *t = tab_new(L);
  for (lua_Integer i = 1; i <= 100; i++) seti(L, t, i, i);
  for (lua_Integer i = 1; i <= 100; i++) seti(L, t, -i, i);
  TValue kv[2];
  setnilvalue(&kv[0]);
  lua_Integer sum = 0;
  int count = 0;
  while (tab_next(L, t, kv)) {
    sum += ivalue(&kv[1]);
    count++;
  }
  assert_int_equal(count, 200);
  assert_int_equal(sum, 2 * 5050);
}

static void test_nil_and_nan_keys_raise_errors(void **state) {
  lua_State *L = *state;
  G(L)->gcstop--;
  luaL_openlibs(L);
  assert_int_equal(luaL_loadstring(L, "local t = {} t[nil] = 1"), LUA_OK);
  assert_int_equal(lua_pcall(L, 0, 0, 0), LUA_ERRRUN);
  assert_non_null(strstr(lua_tostring(L, -1), "table index is nil"));
  lua_pop(L, 1);
  assert_int_equal(luaL_loadstring(L, "local t = {} t[0/0] = 1"), LUA_OK);
  assert_int_equal(lua_pcall(L, 0, 0, 0), LUA_ERRRUN);
  assert_non_null(strstr(lua_tostring(L, -1), "table index is NaN"));
  lua_pop(L, 1);
  G(L)->gcstop++;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_sequence_moves_into_array_part, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sparse_keys_stay_in_hash_part, setup, teardown),
      cmocka_unit_test_setup_teardown(test_float_keys_are_normalised, setup, teardown),
      cmocka_unit_test_setup_teardown(test_string_keys, setup, teardown),
      cmocka_unit_test_setup_teardown(test_border_after_removing_tail, setup, teardown),
      cmocka_unit_test_setup_teardown(test_next_visits_every_key_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nil_and_nan_keys_raise_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
