/*
 * Unit tests for runtime/coro.c through the C API: continuations of
 * lua_callk / lua_pcallk / lua_yieldk are called when a coroutine is
 * resumed (Lua 5.4's contract: lua_yieldk does not return), lua_pcallk's
 * continuation receives an error caught after a yield, calls without a
 * continuation cannot yield, and lua_resume reports dead coroutines.
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
  luaL_openlibs(L);
  *state = L;
  return 0;
}

static int teardown(void **state) {
  lua_close((lua_State *)*state);
  return 0;
}

static int k_status, k_calls;
static lua_KContext k_ctx;

/* continuation of c_callk: records how it was called, returns the callee's
 * results plus a marker */
static int callk_k(lua_State *L, int status, lua_KContext ctx) {
  k_status = status;
  k_ctx = ctx;
  k_calls++;
  lua_pushstring(L, "k");
  return lua_gettop(L);
}

/* c_callk(f, ...): calls f(...) with a continuation */
static int c_callk(lua_State *L) {
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 42, callk_k);
  return callk_k(L, LUA_OK, 7);
}

/* load `code` as the body of a new coroutine of L */
static lua_State *newco(lua_State *L, const char *code) {
  lua_State *co = lua_newthread(L);
  assert_int_equal(luaL_loadstring(co, code), LUA_OK);
  return co;
}

static void test_callk_continuation_after_yield(void **state) {
  lua_State *L = *state;
  lua_register(L, "c_callk", c_callk);
  lua_State *co = newco(L, "return c_callk(function(a) local b = coroutine.yield(a + 1) return b * 2 end, 10)");
  k_calls = 0;
  int nres = 0;
  assert_int_equal(lua_resume(co, L, 0, &nres), LUA_YIELD);
  assert_int_equal(nres, 1);
  assert_int_equal(lua_tointeger(co, -1), 11);
  lua_pop(co, 1);
  assert_int_equal(k_calls, 0);
  lua_pushinteger(co, 5);
  assert_int_equal(lua_resume(co, L, 1, &nres), LUA_OK);
  /* the continuation ran once, with LUA_YIELD and the context given */
  assert_int_equal(k_calls, 1);
  assert_int_equal(k_status, LUA_YIELD);
  assert_int_equal((int)k_ctx, 42);
  assert_int_equal(nres, 2);
  assert_int_equal(lua_tointeger(co, -2), 10);
  assert_string_equal(lua_tostring(co, -1), "k");
  lua_pop(L, 1);
}

static void test_callk_without_yield_returns_normally(void **state) {
  lua_State *L = *state;
  lua_register(L, "c_callk", c_callk);
  lua_State *co = newco(L, "return c_callk(function(a) return a * 3 end, 4)");
  k_calls = 0;
  int nres = 0;
  assert_int_equal(lua_resume(co, L, 0, &nres), LUA_OK);
  /* called directly by c_callk after lua_callk returned, with its ctx */
  assert_int_equal(k_calls, 1);
  assert_int_equal(k_status, LUA_OK);
  assert_int_equal((int)k_ctx, 7);
  assert_int_equal(nres, 2);
  assert_int_equal(lua_tointeger(co, -2), 12);
  lua_pop(L, 1);
}

/* c_yieldk(x): yields x + 1; resumed, its continuation returns the resume
 * values with the context appended */
static int yieldk_k(lua_State *L, int status, lua_KContext ctx) {
  k_status = status;
  k_calls++;
  lua_pushinteger(L, (lua_Integer)ctx);
  return lua_gettop(L) - 1; /* drop the argument x */
}

static int c_yieldk(lua_State *L) {
  lua_pushinteger(L, lua_tointeger(L, 1) + 1);
  return lua_yieldk(L, 1, 99, yieldk_k);
}

static void test_yieldk_continuation(void **state) {
  lua_State *L = *state;
  lua_register(L, "c_yieldk", c_yieldk);
  lua_State *co = newco(L, "local a, b, c = c_yieldk(1) return a, b, c");
  k_calls = 0;
  int nres = 0;
  assert_int_equal(lua_resume(co, L, 0, &nres), LUA_YIELD);
  assert_int_equal(nres, 1);
  assert_int_equal(lua_tointeger(co, -1), 2);
  lua_pop(co, 1);
  lua_pushstring(co, "r1");
  lua_pushstring(co, "r2");
  assert_int_equal(lua_resume(co, L, 2, &nres), LUA_OK);
  assert_int_equal(k_calls, 1);
  assert_int_equal(k_status, LUA_YIELD);
  assert_int_equal(nres, 3);
  assert_string_equal(lua_tostring(co, -3), "r1");
  assert_string_equal(lua_tostring(co, -2), "r2");
  assert_int_equal(lua_tointeger(co, -1), 99);
  lua_pop(L, 1);
}

/* c_pcallk(f): protected call of f with a continuation that reports the
 * status it got and the error message */
static int pcallk_k(lua_State *L, int status, lua_KContext ctx) {
  (void)ctx;
  k_status = status;
  k_calls++;
  lua_pushinteger(L, status);
  lua_insert(L, 1);
  return lua_gettop(L);
}

static int c_pcallk(lua_State *L) {
  int status = lua_pcallk(L, 0, 1, 0, 0, pcallk_k);
  return pcallk_k(L, status, 0);
}

static void test_pcallk_error_after_yield(void **state) {
  lua_State *L = *state;
  lua_register(L, "c_pcallk", c_pcallk);
  lua_State *co = newco(L, "return c_pcallk(function() coroutine.yield('y') error('late', 0) end)");
  k_calls = 0;
  int nres = 0;
  assert_int_equal(lua_resume(co, L, 0, &nres), LUA_YIELD);
  lua_pop(co, nres);
  assert_int_equal(lua_resume(co, L, 0, &nres), LUA_OK);
  /* the error was caught by the pcall's frame: its continuation got
   * LUA_ERRRUN and the message, and the coroutine finished normally */
  assert_int_equal(k_calls, 1);
  assert_int_equal(k_status, LUA_ERRRUN);
  assert_int_equal(nres, 2);
  assert_int_equal(lua_tointeger(co, -2), LUA_ERRRUN);
  assert_string_equal(lua_tostring(co, -1), "late");
  lua_pop(L, 1);
}

/* c_call(f): lua_call without continuation: f cannot yield */
static int c_call(lua_State *L) {
  lua_call(L, lua_gettop(L) - 1, 0);
  return 0;
}

static void test_call_without_k_cannot_yield(void **state) {
  lua_State *L = *state;
  lua_register(L, "c_call", c_call);
  lua_State *co = newco(L, "c_call(function() coroutine.yield() end)");
  int nres = 0;
  assert_int_equal(lua_resume(co, L, 0, &nres), LUA_ERRRUN);
  assert_int_equal(nres, 1);
  assert_string_equal(lua_tostring(co, -1), "attempt to yield across a C-call boundary");
  /* dead now */
  assert_int_equal(lua_resume(co, L, 0, &nres), LUA_ERRRUN);
  assert_string_equal(lua_tostring(co, -1), "cannot resume dead coroutine");
  lua_pop(L, 1);
}

static void test_resume_from_null_and_yieldable(void **state) {
  lua_State *L = *state;
  assert_false(lua_isyieldable(L));
  lua_State *co = newco(L, "local x = coroutine.yield(coroutine.isyieldable()) return x + 1");
  int nres = 0;
  assert_int_equal(lua_resume(co, NULL, 0, &nres), LUA_YIELD);
  assert_int_equal(nres, 1);
  assert_true(lua_toboolean(co, -1));
  lua_pop(co, 1);
  assert_int_equal(lua_status(co), LUA_YIELD);
  lua_pushinteger(co, 41);
  assert_int_equal(lua_resume(co, NULL, 1, &nres), LUA_OK);
  assert_int_equal(nres, 1);
  assert_int_equal(lua_tointeger(co, -1), 42);
  assert_int_equal(lua_status(co), LUA_OK);
  lua_pop(L, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_callk_continuation_after_yield, setup, teardown),
      cmocka_unit_test_setup_teardown(test_callk_without_yield_returns_normally, setup, teardown),
      cmocka_unit_test_setup_teardown(test_yieldk_continuation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pcallk_error_after_yield, setup, teardown),
      cmocka_unit_test_setup_teardown(test_call_without_k_cannot_yield, setup, teardown),
      cmocka_unit_test_setup_teardown(test_resume_from_null_and_yieldable, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
