/*
 * test_record.c -- the trace recorder: which uops a given loop produces,
 * asserted op by op (as Lua's own tests assert opcodes), including guard
 * elimination, the for-loop entry guard, the array bounds-check reuse, and
 * loops that must not produce a trace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core.h"
#include "lua_uop_list.h"
#include "trace/trace.h"

/* A state with the JIT forced on; `acc` and `fuse` switch the peephole
 * passes (-O-acc, -O-fuse). */
static lua_State *new_jit_state_with(int acc, int fuse) {
  lua_State *L = luaL_newstate();
  assert_non_null(L);
  G(L)->opts.jit_enabled = 1;
  G(L)->opts.hotloop = 1;
  G(L)->opts.acc = acc;
  G(L)->opts.fuse = fuse;
  jit_open(L);
  assert_non_null(G(L)->jit);
  luaL_openlibs(L);
  return L;
}

static lua_State *new_jit_state(void) { return new_jit_state_with(1, 1); }

/* Run `code` and return the uops of the first trace found in its main
 * function (NULL if none). */
static const cpjit_uop *trace_of(lua_State *L, const char *code, uint32_t *n) {
  assert_int_equal(luaL_loadstring(L, code), LUA_OK);
  lua_pushvalue(L, -1); /* keep the function (and its prototype) alive */
  if (lua_pcall(L, 0, 0, 0) != LUA_OK)
    fail_msg("script failed: %s", lua_tostring(L, -1));
  const Proto *p = clLvalue(L->top - 1)->p;
  for (int pc = 0; pc < p->sizecode; pc++) {
    const cpjit_uop *u = jit_trace_uops(p, pc, n);
    if (u)
      return u;
  }
  return NULL;
}

/* Compare a trace with the expected op sequence, printing both on error. */
static void expect_ops(const cpjit_uop *u, uint32_t n, const int *want,
                       uint32_t nwant) {
  bool same = u && n == nwant;
  for (uint32_t i = 0; same && i < n; i++)
    same = u[i].op == want[i];
  if (!same) {
    for (uint32_t i = 0; u && i < n; i++)
      print_message("  got  %2u %s\n", i, jit_uop_name(u[i].op));
    for (uint32_t i = 0; i < nwant; i++)
      print_message("  want %2u %s\n", i, jit_uop_name(want[i]));
    fail_msg("uop sequence differs");
  }
}

#define EXPECT(u, n, ...)                                                      \
  do {                                                                         \
    static const int want_[] = {__VA_ARGS__};                                  \
    expect_ops(u, n, want_, sizeof want_ / sizeof want_[0]);                   \
  } while (0)

static void integer_sum_loop(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u =
      trace_of(L, "local s = 0 for i = 1, 100 do s = s + i s = s + i end", &n);
  /* Entry guard on the loop kind, one guard on s (the second add knows s
   * is an integer; i is the loop's own slot) at the entry too (the body
   * keeps s an integer), two adds, the loop. */
  EXPECT(u, n, UOP_G_INT, UOP_G_INT, UOP_ADD_II, UOP_ADD_II, UOP_FORLOOP_I);
  assert_int_equal(u[0].arg, 16 * 3); /* the step slot, A + 2 */
  assert_int_equal(u[n - 1].target, 2); /* loops back past the entry guards */
  lua_close(L);
}

static void float_loop_uses_float_forms(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u =
      trace_of(L, "local f = 1.0 for x = 0.5, 10.5 do f = f * x end", &n);
  /* f goes around the loop in the accumulator: loaded on the way in. */
  EXPECT(u, n, UOP_G_FLT, UOP_G_FLT, UOP_LOADF, UOP_MUL_AF, UOP_FORLOOP_F);
  assert_int_equal(u[n - 1].target, 3);
  assert_int_equal(u[2].arg, u[3].operand[0]);
  lua_close(L);

  /* -O-acc: plain float forms. */
  L = new_jit_state_with(0, 1);
  u = trace_of(L, "local f = 1.0 for x = 0.5, 10.5 do f = f * x end", &n);
  EXPECT(u, n, UOP_G_FLT, UOP_G_FLT, UOP_MUL_FF, UOP_FORLOOP_F);
  assert_int_equal(u[n - 1].target, 2);
  lua_close(L);
}

/* Chains of float operations read the previous result from the
 * accumulator register; a loop head and a write of another type end it. */
static void float_chains_use_the_accumulator(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u = trace_of(L,
                                "local zr, zi, c = 0.5, 0.25, 0.125\n"
                                "for i = 1, 50 do\n"
                                "  local t = zr * zr - zi * zi + c\n"
                                "  if t > 4 then break end\n"
                                "  zi = 2.0 * zr * zi\n"
                                "  zr = t\n"
                                "end",
                                &n);
  /* zr*zr, zi*zi, then (zr*zr) - acc, + c, compare t > 4 from the
   * accumulator; 2.0*zr, then acc * zi; the move needs no rewrite. The
   * back-edge brings zi in the accumulator, but zr*zr replaces it before
   * anything reads it: no LOADF on the way in. */
  EXPECT(u, n, UOP_G_INT, UOP_G_FLT, UOP_G_FLT, UOP_G_FLT, UOP_MUL_FF,
         UOP_MUL_FF, UOP_SUB_FA, UOP_ADD_AF, UOP_GT_AK_F, UOP_MUL_FC,
         UOP_MUL_AF, UOP_MOV, UOP_FORLOOP_I);
  assert_int_equal(u[n - 1].target, 4);
  lua_close(L);
}

static void array_update_checks_bounds_once(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u = trace_of(
      L, "local t = {1,2,3,4,5,6,7,8} for i = 1, #t do t[i] = t[i] + 1 end",
      &n);
  /* t never changes: its guards run once; the bounds check of t[i] is
   * done once per iteration for the read and the write, inside the load
   * (a super-uop), which also checks the element's type. */
  EXPECT(u, n, UOP_G_INT, UOP_G_TAB, UOP_G_NOMT, UOP_GETI_AIG, UOP_ADD_IK,
         UOP_SETI_A, UOP_FORLOOP_I);
  assert_int_equal(u[n - 1].target, 3);
  lua_close(L);

  /* Without super-uops the guard stays a uop of its own. */
  L = new_jit_state_with(1, 0);
  u = trace_of(
      L, "local t = {1,2,3,4,5,6,7,8} for i = 1, #t do t[i] = t[i] + 1 end",
      &n);
  EXPECT(u, n, UOP_G_INT, UOP_G_TAB, UOP_G_NOMT, UOP_G_ARR, UOP_GETI_AI,
         UOP_ADD_IK, UOP_SETI_A, UOP_FORLOOP_I);
  assert_int_equal(u[n - 1].target, 3);
  lua_close(L);
}

static void branches_become_guards(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u = trace_of(L,
                                "local c = 0 for i = 1, 50 do "
                                "if i < 100 then c = c + 1 end end",
                                &n);
  /* `i < 100` became LT-immediate-true; c is guarded once, at entry. */
  EXPECT(u, n, UOP_G_INT, UOP_G_INT, UOP_LT_IK_T, UOP_ADD_IK, UOP_FORLOOP_I);
  lua_close(L);
}

static void while_loop_closes_with_jump(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u =
      trace_of(L, "local i = 0 while i < 100 do i = i + 1 end", &n);
  /* i stays an integer: its guard runs at entry only. */
  EXPECT(u, n, UOP_G_INT, UOP_LT_IK_T, UOP_ADD_IK, UOP_JUMP);
  assert_int_equal(u[n - 1].target, 1);
  lua_close(L);
}

static void calls_use_exec_and_plain_fields_do_not(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u = trace_of(L,
                                "local o, n = {v = 0}, 0 local function f(x) "
                                "n = n + 1 return x end for i = 1, 20 do "
                                "local y = i * 2 + 1 y = y * y - i "
                                "o.v = f(y) + y end",
                                &n);
  assert_non_null(u);
  int execs = 0, setfields = 0;
  for (uint32_t i = 0; i < n; i++) {
    execs += u[i].op == UOP_EXEC;
    setfields += u[i].op == UOP_HSET;
  }
  assert_int_equal(execs, 1);     /* the call, in the interpreter */
  assert_int_equal(setfields, 1); /* o has no metatable: a store in place */
  lua_close(L);
}

static void pure_lua_calls_are_inlined(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u = trace_of(L,
                                "local function sq(x) local y = x * x "
                                "return y end local s = 0 "
                                "for i = 1, 20 do s = s + sq(i) end",
                                &n);
  assert_non_null(u);
  bool identity = false, stack = false, mul = false;
  for (uint32_t i = 0; i < n; i++) {
    assert_int_not_equal(u[i].op, UOP_EXEC);
    identity |= u[i].op == UOP_G_PROTO;
    stack |= u[i].op == UOP_G_STACK;
    mul |= u[i].op == UOP_MUL_II;
  }
  assert_true(identity && stack && mul);
  lua_close(L);
}

static const Proto *global_proto(lua_State *L, const char *name) {
  lua_getglobal(L, name);
  assert_true(lua_isfunction(L, -1));
  const Proto *p = clLvalue(L->top - 1)->p;
  lua_pop(L, 1);
  return p;
}

static void fresh_closures_reuse_one_inlined_trace(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  /* A new closure of the same function on every call of fold: the inlined
   * call guards the prototype, and the stack room it needs is made before
   * the trace runs, so no exit keeps failing and no side traces pile up. */
  const char *code =
      "function fold(f, acc, a) for i = 1, #a do acc = f(acc, a[i]) end "
      "return acc end "
      "local a = {} for i = 1, 100 do a[i] = i end "
      "local s = 0 "
      "for r = 1, 200 do s = s + fold(function(x, y) return x + y + r end, "
      "0, a) end "
      "assert(s == 200 * 5050 + 100 * (200 * 201 // 2))";
  assert_int_equal(luaL_dostring(L, code), LUA_OK);
  const Proto *p = global_proto(L, "fold");
  uint32_t n;
  int sides = 0;
  while (jit_side_trace_uops(p, sides, &n))
    sides++;
  assert_true(sides <= 3);
  lua_close(L);
}

/* A while loop first recorded on its last test (k is 0 at the head) would
 * make a trace that leaves the loop at once; the recording aborts instead
 * and a later one follows the body: the trace at the head loops. */
static void root_trace_does_not_leave_its_loop(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  const char *code = "t = {4, 5, 6, 7, 8}\n"
                     "function f(k)\n"
                     "  local s = 0\n"
                     "  while k > 0 do s = s + t[k] * 2 + 1; k = k - 1 end\n"
                     "  s = s + 1; s = s * 3; s = s - 2; s = s + t[1]\n"
                     "  return s\n"
                     "end\n"
                     "assert(f(1) == 32)\n"
                     "for i = 1, 20 do assert(f(5) == 200) end\n";
  assert_int_equal(luaL_dostring(L, code), LUA_OK);
  const Proto *p = global_proto(L, "f");
  int loops = 0, others = 0;
  for (int pc = 0; pc < p->sizecode; pc++) {
    uint32_t n;
    const cpjit_uop *u = jit_trace_uops(p, pc, &n);
    if (u)
      u[n - 1].op == UOP_JUMP ? loops++ : others++;
  }
  assert_int_equal(loops, 1);
  assert_int_equal(others, 0);
  lua_close(L);
}

static void known_builtins_become_uops(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  const cpjit_uop *u = trace_of(L,
                                "local s, sqrt = 0, math.sqrt "
                                "for i = 1, 20 do "
                                "s = s + sqrt(i) + math.floor(i / 3) "
                                "+ math.max(i, 7) end",
                                &n);
  assert_non_null(u);
  int execs = 0, sqrts = 0, floors = 0, maxes = 0, vals = 0;
  for (uint32_t i = 0; i < n; i++) {
    execs += u[i].op == UOP_EXEC;
    sqrts += u[i].op == UOP_SQRT_N;
    floors += u[i].op == UOP_FLOOR_F;
    maxes += u[i].op == UOP_MAX_II;
    vals += u[i].op == UOP_G_VAL;
  }
  assert_int_equal(execs, 0);
  assert_int_equal(sqrts, 1);
  assert_int_equal(floors, 1);
  assert_int_equal(maxes, 1);
  assert_int_equal(vals, 3); /* each function's identity */
  lua_close(L);
}

static void guards_on_invariant_slots_move_to_the_entry(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n;
  /* t, k and s never change in the loop: their guards run once, before
   * the body; the loop jumps back past them. */
  const cpjit_uop *u = trace_of(L,
                                "local t, k, s = {1, 2, 3}, 2, 0.5 "
                                "for i = 1, 30 do s = s + t[k] * k end",
                                &n);
  assert_non_null(u);
  uint32_t body = u[n - 1].target;
  assert_true(body > 1);
  for (uint32_t i = 0; i < body; i++) /* only guards before the body */
    assert_true(u[i].op < UOP_MOV || (i == body - 1 && u[i].op == UOP_LOADF));
  for (uint32_t i = body; i < n; i++)
    assert_true(u[i].op != UOP_G_TAB && u[i].op != UOP_G_NOMT &&
                u[i].op != UOP_G_ARRK && u[i].op != UOP_G_ARR);
  /* No guard left in the body on t (register 0) or k (register 1). */
  for (uint32_t i = body; i < n; i++)
    if (u[i].op < UOP_MOV)
      assert_true(u[i].arg / 16 > 1);
  lua_close(L);
  /* A loop that may change tables (here: an allocation in the
   * interpreter's slow path) keeps its metatable and array-size guards
   * inside. */
  L = new_jit_state();
  u = trace_of(L,
               "local t, o, s = {1, 2, 3}, {}, 0 "
               "for i = 1, 30 do s = s + t[2] * i - 1 s = s % 1000 "
               "o = {} o.x = s end",
               &n);
  assert_non_null(u);
  body = u[n - 1].target;
  int inside = 0;
  for (uint32_t i = body; i < n; i++)
    inside += u[i].op == UOP_G_NOMT || u[i].op == UOP_G_ARRK;
  assert_true(inside >= 2);
  lua_close(L);
}

static void unsupported_loops_make_no_trace(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n = 0;
  /* A variable number of call results cannot be recorded, and a trace
   * that would stop there at once is not worth entering. */
  const cpjit_uop *u = trace_of(L,
                                "local function f() return 1, 2 end "
                                "local t = {} for i = 1, 30 do "
                                "t = {f()} end",
                                &n);
  assert_null(u);
  lua_close(L);
}

static bool has_op(const cpjit_uop *u, uint32_t n, int op) {
  for (uint32_t i = 0; i < n; i++)
    if (u[i].op == op)
      return true;
  return false;
}

static void unsupported_instruction_ends_trace_in_exit(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  uint32_t n = 0;
  /* Enough work before the call with variable results: the trace runs it
   * and leaves through an exit to the interpreter there. */
  const cpjit_uop *u = trace_of(L,
                                "local function f() return 1, 2 end "
                                "local t, s = {}, 0 for i = 1, 30 do "
                                "s = s + i * 2 - 1 s = s % 1000 "
                                "t = {f()} end",
                                &n);
  assert_non_null(u);
  assert_int_equal(u[n - 1].op, UOP_EXIT);
  assert_true(has_op(u, n, UOP_MUL_IK));
  assert_true(has_op(u, n, UOP_MOD_IK));
  lua_close(L);
}

/* Find the function value of global `name`'s prototype. */

static void nested_loops_link_through_side_traces(void **state) {
  (void)state;
  lua_State *L = new_jit_state();
  const char *code = "function nest(n) local s = 0 "
                     "for i = 1, n do for j = 1, n do s = s + j end end "
                     "return s end "
                     "assert(nest(40) == 40 * 820)";
  assert_int_equal(luaL_dostring(L, code), LUA_OK);
  const Proto *p = global_proto(L, "nest");
  /* The inner loop: a closed loop trace, the only root trace (the outer
   * loop never comes back to the interpreter). */
  uint32_t n = 0, inner = 0;
  const cpjit_uop *ui = NULL;
  int roots = 0;
  for (int pc = 0; pc < p->sizecode; pc++) {
    const cpjit_uop *u = jit_trace_uops(p, pc, &n);
    if (u)
      roots++, ui = u, inner = n;
  }
  assert_int_equal(roots, 1);
  assert_int_equal(ui[inner - 1].op, UOP_FORLOOP_I);
  assert_true(has_op(ui, inner, UOP_ADD_II));
  /* The inner loop's end is a side trace: the loop is done, the outer loop
   * steps, prepares the inner loop again and continues in its trace
   * through a linked exit. */
  bool found = false;
  for (int k = 0; !found; k++) {
    const cpjit_uop *u = jit_side_trace_uops(p, k, &n);
    if (!u)
      break;
    found = has_op(u, n, UOP_FOREND_I) && has_op(u, n, UOP_FORLOOP_I) &&
            has_op(u, n, UOP_FORPREP_I) && u[n - 1].op == UOP_EXIT;
  }
  assert_true(found);
  /* Same answer again, now running entirely in linked traces. */
  assert_int_equal(luaL_dostring(L, "assert(nest(100) == 100 * 5050)"),
                   LUA_OK);
  lua_close(L);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(integer_sum_loop),
      cmocka_unit_test(float_loop_uses_float_forms),
      cmocka_unit_test(array_update_checks_bounds_once),
      cmocka_unit_test(branches_become_guards),
      cmocka_unit_test(while_loop_closes_with_jump),
      cmocka_unit_test(calls_use_exec_and_plain_fields_do_not),
      cmocka_unit_test(known_builtins_become_uops),
      cmocka_unit_test(pure_lua_calls_are_inlined),
      cmocka_unit_test(fresh_closures_reuse_one_inlined_trace),
      cmocka_unit_test(guards_on_invariant_slots_move_to_the_entry),
      cmocka_unit_test(unsupported_loops_make_no_trace),
      cmocka_unit_test(unsupported_instruction_ends_trace_in_exit),
      cmocka_unit_test(nested_loops_link_through_side_traces),
      cmocka_unit_test(float_chains_use_the_accumulator),
      cmocka_unit_test(root_trace_does_not_leave_its_loop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
