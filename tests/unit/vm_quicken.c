/*
 * Unit tests of the interpreter's quickening (runtime/vm.c): instructions
 * rewrite themselves into specialized forms after a warm-up, run the
 * generic path on a miss, and go back to their generic form after repeated
 * misses; cached hash-node positions never return a wrong value (rehash,
 * removed keys, metatables set or changed after the warm-up, globals
 * replaced, methods redefined, collections between accesses); string.dump
 * writes generic opcodes; error messages still name variables; and a
 * prototype whose caches cannot be allocated runs generic code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"

static int setup(void **state) {
  lua_State *L = luaL_newstate();
  if (L == NULL) return -1;
  luaL_openlibs(L); /* no jit_open: the interpreter alone */
  *state = L;
  return 0;
}

static int teardown(void **state) {
  lua_close((lua_State *)*state);
  return 0;
}

static void run(lua_State *L, const char *code) {
  if (luaL_dostring(L, code) != LUA_OK) fail_msg("%s", lua_tostring(L, -1));
  lua_settop(L, 0);
}

static Proto *proto_of(lua_State *L, const char *global) {
  lua_getglobal(L, global);
  assert_true(lua_type(L, -1) == LUA_TFUNCTION);
  const LClosure *cl = (const LClosure *)lua_topointer(L, -1);
  lua_pop(L, 1);
  return cl->p;
}

/* The opcode byte, as stored, of the first instruction of global function
 * 'fn' whose generic opcode is 'gen'. */
static OpCode rawop(lua_State *L, const char *fn, OpCode gen) {
  Proto *p = proto_of(L, fn);
  for (int pc = 0; pc < p->sizecode; pc++)
    if (GET_OPCODE(p->code[pc]) == gen) return GET_RAWOP(p->code[pc]);
  fail_msg("no opcode %d in %s", (int)gen, fn);
  return NUM_OPCODES;
}

/* Evaluate expression 'expr' and return it as an integer. */
static lua_Integer evali(lua_State *L, const char *expr) {
  char buf[512];
  snprintf(buf, sizeof buf, "return %s", expr);
  if (luaL_dostring(L, buf) != LUA_OK) fail_msg("%s", lua_tostring(L, -1));
  int isnum = 0;
  lua_Integer v = lua_tointegerx(L, -1, &isnum);
  if (!isnum) fail_msg("%s is not an integer", expr);
  lua_settop(L, 0);
  return v;
}

static const char *evals(lua_State *L, const char *expr, char *out, size_t n) {
  char buf[512];
  snprintf(buf, sizeof buf, "return %s", expr);
  if (luaL_dostring(L, buf) != LUA_OK) fail_msg("%s", lua_tostring(L, -1));
  snprintf(out, n, "%s", lua_tostring(L, -1));
  lua_settop(L, 0);
  return out;
}

static void test_arith_types_change(void **state) {
  lua_State *L = *state;
  run(L, "function add(a, b) return a + b end");
  assert_int_equal(rawop(L, "add", OP_ADD), OP_ADD);
  assert_int_equal(evali(L, "add(1, 2) + add(3, 4) + add(5, 6)"), 21);
  assert_int_equal(rawop(L, "add", OP_ADD), OP_ADD_II);
  /* integer wrap-around as the generic path does it */
  assert_int_equal(evali(L, "add(math.maxinteger, 1) == math.mininteger and 1 or 0"), 1);
  /* floats: each call misses, the result is still right; after the misses
   * the instruction is generic again, then specializes on floats */
  char buf[64];
  assert_string_equal(evals(L, "add(0.5, 0.25)", buf, sizeof buf), "0.75");
  assert_int_equal(rawop(L, "add", OP_ADD), OP_ADD_II);
  run(L, "for i = 1, 40 do assert(add(i + 0.5, 1.0) == i + 1.5) end");
  assert_int_equal(rawop(L, "add", OP_ADD), OP_ADD_FF);
  /* strings, mixed numbers and metamethods through the quickened form */
  assert_string_equal(evals(L, "add('10', 5)", buf, sizeof buf), "15");
  assert_string_equal(evals(L, "add(1, 2.5)", buf, sizeof buf), "3.5");
  assert_string_equal(
      evals(L, "add(setmetatable({}, {__add = function() return 'mm' end}), 1)", buf, sizeof buf),
      "mm");
  /* the QMISSES-th miss gives the generic form back */
  run(L, "for i = 1, 40 do assert(add(i, 1.5) == i + 1.5) end");
  assert_int_equal(rawop(L, "add", OP_ADD), OP_ADD);
}

static void test_compare_types_change(void **state) {
  lua_State *L = *state;
  run(L, "function lt(a, b) if a < b then return 1 else return 0 end end");
  assert_int_equal(evali(L, "lt(1, 2) + lt(2, 1) + lt(3, 3)"), 1);
  assert_int_equal(rawop(L, "lt", OP_LT), OP_LT_II);
  assert_int_equal(evali(L, "lt(1, 1.5) + lt('a', 'b') + lt(0/0, 1)"), 2);
  run(L, "for i = 1, 100 do assert(lt(i + 0.5, i + 1.0) == 1) end");
  assert_int_equal(rawop(L, "lt", OP_LT), OP_LT_FF);
  assert_int_equal(evali(L, "lt(0/0, 0/0) + lt(-0.0, 0.0) + lt(math.mininteger, 1)"), 1);
}

static void test_field_survives_rehash(void **state) {
  lua_State *L = *state;
  run(L, "function get(t) return t.x end\n"
         "function set(t, v) t.x = v end\n"
         "T = {x = 1, y = 2}\n"
         "for i = 1, 5 do get(T); set(T, i) end");
  assert_int_equal(rawop(L, "get", OP_GETFIELD), OP_GETFIELD_H);
  assert_int_equal(rawop(L, "set", OP_SETFIELD), OP_SETFIELD_H);
  /* grow the hash part twice over: x moves to another node */
  run(L, "for i = 1, 200 do T['k' .. i] = i end\n"
         "for i = 1, 200 do assert(get(T) == 5) end\n"
         "set(T, 77)");
  assert_int_equal(evali(L, "get(T)"), 77);
  /* x removed: its node may keep the key with a nil value; __index and
   * __newindex must now run */
  run(L, "T.x = nil\n"
         "setmetatable(T, {__index = function(t, k) return 1000 end,\n"
         "  __newindex = function(t, k, v) rawset(t, 'seen', v) end})");
  assert_int_equal(evali(L, "get(T)"), 1000);
  run(L, "set(T, 9)");
  assert_int_equal(evali(L, "rawget(T, 'seen')"), 9);
  assert_int_equal(evali(L, "rawget(T, 'x') == nil and 1 or 0"), 1);
  /* a different table of another shape at the same site */
  assert_int_equal(evali(L, "get({a = 1, b = 2, c = 3, x = 4})"), 4);
}

static void test_method_metatable_changes(void **state) {
  lua_State *L = *state;
  run(L, "A = {}; A.__index = A; function A:who() return 1 end\n"
         "B = {}; B.__index = B; function B:who() return 2 end\n"
         "function call(o) return o:who() end\n"
         "O = setmetatable({}, A)\n"
         "for i = 1, 5 do assert(call(O) == 1) end");
  assert_int_equal(rawop(L, "call", OP_SELF), OP_SELF_MT);
  /* metatable replaced after the warm-up */
  run(L, "setmetatable(O, B)");
  assert_int_equal(evali(L, "call(O)"), 2);
  /* method redefined */
  run(L, "function B:who() return 3 end");
  assert_int_equal(evali(L, "call(O)"), 3);
  /* the object gets its own method: it shadows the class's */
  run(L, "O.who = function() return 4 end");
  assert_int_equal(evali(L, "call(O)"), 4);
  run(L, "O.who = nil");
  assert_int_equal(evali(L, "call(O)"), 3);
  /* __index becomes a function, then the class's table rehashes */
  run(L, "B.__index = function(t, k) return function() return 5 end end");
  assert_int_equal(evali(L, "call(O)"), 5);
  run(L, "B.__index = B; for i = 1, 100 do B['m' .. i] = i end");
  assert_int_equal(evali(L, "call(O)"), 3);
  /* string methods */
  run(L, "function up(s) return s:upper() end\n"
         "for i = 1, 5 do assert(up('ab') == 'AB') end");
  assert_int_equal(rawop(L, "up", OP_SELF), OP_SELF_S);
  run(L, "string.upper = function(s) return 'redefined' end");
  char buf[64];
  assert_string_equal(evals(L, "up('ab')", buf, sizeof buf), "redefined");
}

static void test_inherited_method_changes(void **state) {
  lua_State *L = *state;
  run(L, "Base = {}; Base.__index = Base; function Base:f() return 1 end\n"
         "Mid = setmetatable({}, {__index = Base}); Mid.__index = Mid\n"
         "function callf(o) return o:f() end\n"
         "O = setmetatable({}, Mid)\n"
         "for i = 1, 5 do assert(callf(O) == 1) end");
  assert_int_equal(rawop(L, "callf", OP_SELF), OP_SELF_MT2);
  run(L, "function Base:f() return 2 end");
  assert_int_equal(evali(L, "callf(O)"), 2);
  /* the subclass overrides it: the cached parent's method must not win */
  run(L, "function Mid:f() return 3 end");
  assert_int_equal(evali(L, "callf(O)"), 3);
  run(L, "Mid.f = nil");
  assert_int_equal(evali(L, "callf(O)"), 2);
  /* the object shadows it */
  run(L, "O.f = function() return 4 end");
  assert_int_equal(evali(L, "callf(O)"), 4);
  run(L, "O.f = nil");
  /* another parent class */
  run(L, "Other = {f = function() return 5 end}\n"
         "setmetatable(Mid, {__index = Other})");
  assert_int_equal(evali(L, "callf(O)"), 5);
  run(L, "getmetatable(Mid).__index = function(t, k) return function() return 6 end end");
  assert_int_equal(evali(L, "callf(O)"), 6);
  run(L, "setmetatable(Mid, nil)");
  assert_int_not_equal(luaL_dostring(L, "return callf(O)"), LUA_OK);
  assert_non_null(strstr(lua_tostring(L, -1), "attempt to call a nil value (method 'f')"));
  lua_settop(L, 0);
}

static void test_field_through_class(void **state) {
  lua_State *L = *state;
  run(L, "C = {}; C.__index = C; C.k = 1\n"
         "function getk(o) return o.k end\n"
         "O = setmetatable({}, C)\n"
         "for i = 1, 5 do assert(getk(O) == 1) end");
  assert_int_equal(rawop(L, "getk", OP_GETFIELD), OP_GETFIELD_MT);
  run(L, "C.k = 2");
  assert_int_equal(evali(L, "getk(O)"), 2);
  run(L, "O.k = 3"); /* the object's own field wins */
  assert_int_equal(evali(L, "getk(O)"), 3);
  run(L, "O.k = nil; C.k = nil");
  assert_int_equal(evali(L, "getk(O) == nil and 1 or 0"), 1);
  /* the class gets a parent after the warm-up */
  run(L, "P = {k = 4}; setmetatable(C, {__index = P})");
  assert_int_equal(evali(L, "getk(O)"), 4);
  run(L, "setmetatable(C, nil)");
  assert_int_equal(evali(L, "getk(O) == nil and 1 or 0"), 1);
  /* the class's metatable gains __index later (a new key in it) */
  run(L, "local m = {}; setmetatable(C, m); assert(getk(O) == nil); m.__index = P");
  assert_int_equal(evali(L, "getk(O)"), 4);
  /* __index becomes a function; the metatable changes; the class rehashes */
  run(L, "C.__index = function(t, k) return 5 end");
  assert_int_equal(evali(L, "getk(O)"), 5);
  run(L, "C.__index = C; C.k = 6; for i = 1, 100 do C['c' .. i] = i end");
  assert_int_equal(evali(L, "getk(O)"), 6);
  run(L, "setmetatable(O, {__index = {k = 7}})");
  assert_int_equal(evali(L, "getk(O)"), 7);
}

static void test_globals_replaced(void **state) {
  lua_State *L = *state;
  run(L, "G1 = 10\n"
         "function getg() return G1 end\n"
         "function setg(v) G1 = v end\n"
         "for i = 1, 5 do getg(); setg(10) end");
  assert_int_equal(rawop(L, "getg", OP_GETTABUP), OP_GETTABUP_H);
  assert_int_equal(rawop(L, "setg", OP_SETTABUP), OP_SETTABUP_H);
  run(L, "G1 = 20");
  assert_int_equal(evali(L, "getg()"), 20);
  run(L, "setg(30)");
  assert_int_equal(evali(L, "G1"), 30);
  /* the global removed, _ENV given an __index */
  run(L, "G1 = nil; setmetatable(_G, {__index = function(t, k) return 40 end})");
  assert_int_equal(evali(L, "getg()"), 40);
  run(L, "setmetatable(_G, nil); G1 = 50");
  assert_int_equal(evali(L, "getg()"), 50);
}

static void test_function_replaced_between_calls(void **state) {
  lua_State *L = *state;
  run(L, "function f() return 1 end\n"
         "function caller() return f() end\n"
         "for i = 1, 5 do assert(caller() == 1) end\n"
         "function f() return 2 end");
  assert_int_equal(evali(L, "caller()"), 2);
  run(L, "f = setmetatable({}, {__call = function() return 3 end})");
  assert_int_equal(evali(L, "caller()"), 3);
}

static void test_gc_between_accesses(void **state) {
  lua_State *L = *state;
  /* tables die and new ones (of other shapes) may take their memory: a
   * cached node index must be checked against the key every time */
  run(L, "function getv(t) return t.v end\n"
         "local sum = 0\n"
         "for i = 1, 300 do\n"
         "  local t = {}\n"
         "  for j = 1, i % 7 do t['f' .. j] = j end\n"
         "  t.v = i\n"
         "  sum = sum + getv(t)\n"
         "  if i % 50 == 0 then collectgarbage() end\n"
         "end\n"
         "SUM = sum");
  assert_int_equal(evali(L, "SUM"), 300 * 301 / 2);
}

typedef struct DumpBuf {
  char *data;
  size_t len;
} DumpBuf;

static int writer(lua_State *L, const void *p, size_t sz, void *ud) {
  (void)L;
  DumpBuf *b = (DumpBuf *)ud;
  char *nd = realloc(b->data, b->len + sz);
  if (nd == NULL) return 1;
  memcpy(nd + b->len, p, sz);
  b->data = nd;
  b->len += sz;
  return 0;
}

static void test_dump_writes_generic_opcodes(void **state) {
  lua_State *L = *state;
  run(L, "function work(t, n) local s = 0 for i = 1, n do s = s + t.x * i end "
         "return s + #('x'):rep(2) end\n"
         "BEFORE = string.dump(work)");
  run(L, "for i = 1, 10 do work({x = 2}, 10) end");
  assert_int_equal(rawop(L, "work", OP_GETFIELD), OP_GETFIELD_H);
  assert_int_equal(evali(L, "string.dump(work) == BEFORE and 1 or 0"), 1);
  assert_int_equal(evali(L, "load(string.dump(work))({x = 3}, 4)"), 32);
  /* lua_dump too */
  lua_getglobal(L, "work");
  DumpBuf b = {0};
  assert_int_equal(lua_dump(L, writer, &b, 0), 0);
  lua_getglobal(L, "BEFORE");
  size_t len;
  const char *before = lua_tolstring(L, -1, &len);
  assert_int_equal(b.len, len);
  assert_memory_equal(b.data, before, len);
  free(b.data);
  lua_settop(L, 0);
}

/* A binary chunk holding a quickened opcode byte is refused: only the
 * interpreter may create those, with their caches. */
static void test_load_refuses_quickened_opcodes(void **state) {
  lua_State *L = *state;
  run(L, "function rd(t) return t.field end");
  Proto *p = proto_of(L, "rd");
  Instruction gen = 0;
  for (int pc = 0; pc < p->sizecode; pc++)
    if (GET_OPCODE(p->code[pc]) == OP_GETFIELD) gen = p->code[pc];
  assert_int_equal(GET_RAWOP(gen), OP_GETFIELD);
  lua_getglobal(L, "rd");
  DumpBuf b = {0};
  assert_int_equal(lua_dump(L, writer, &b, 1), 0);
  lua_settop(L, 0);
  /* the instruction word, as stored (little-endian or not, as dumped) */
  int hits = 0;
  for (size_t j = 0; j + sizeof gen <= b.len; j++) {
    if (memcmp(b.data + j, &gen, sizeof gen) == 0) {
      Instruction q = (gen & ~(Instruction)0xff) | (Instruction)OP_GETFIELD_H;
      memcpy(b.data + j, &q, sizeof q);
      hits++;
    }
  }
  assert_int_equal(hits, 1);
  assert_int_not_equal(luaL_loadbuffer(L, b.data, b.len, "=quickened"), LUA_OK);
  assert_non_null(strstr(lua_tostring(L, -1), "bad opcode"));
  lua_settop(L, 0);
  free(b.data);
}

static void test_error_messages_name_variables(void **state) {
  lua_State *L = *state;
  run(L, "function idx(a) return a.b.c end\n"
         "function ar(x, y) return x + y end\n"
         "function meth(o) return o:m() end\n"
         "local o = setmetatable({}, {__index = {m = function() return 1 end}})\n"
         "for i = 1, 5 do idx({b = {c = 1}}); ar(i, i); meth(o) end");
  assert_int_equal(rawop(L, "idx", OP_GETFIELD), OP_GETFIELD_H);
  assert_int_equal(rawop(L, "ar", OP_ADD), OP_ADD_II);
  assert_int_equal(rawop(L, "meth", OP_SELF), OP_SELF_MT);
  const char *cases[][2] = {
      {"idx({})", "attempt to index a nil value (field 'b')"},
      {"ar(1, nil)", "attempt to perform arithmetic on a nil value (local 'y')"},
      {"ar({}, 1)", "attempt to perform arithmetic on a table value (local 'x')"},
      {"meth({})", "attempt to call a nil value (method 'm')"},
  };
  for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
    char buf[256];
    snprintf(buf, sizeof buf, "return %s", cases[j][0]);
    assert_int_not_equal(luaL_dostring(L, buf), LUA_OK);
    const char *msg = lua_tostring(L, -1);
    if (strstr(msg, cases[j][1]) == NULL) fail_msg("%s: got '%s'", cases[j][0], msg);
    lua_settop(L, 0);
  }
}

static void test_hook_sees_every_line(void **state) {
  lua_State *L = *state;
  /* a count hook inside a loop of quickened instructions */
  run(L, "function loop(t) local s = 0\n"
         "  for i = 1, 100 do\n"
         "    s = s + t.x\n"
         "  end\n"
         "  return s end\n"
         "for i = 1, 3 do loop({x = 1}) end\n"
         "local lines = 0\n"
         "debug.sethook(function(ev, line) if line == 3 then lines = lines + 1 end end, 'l')\n"
         "local r = loop({x = 2})\n"
         "debug.sethook()\n"
         "assert(r == 200 and lines == 100, r .. ' ' .. lines)");
  assert_int_equal(rawop(L, "loop", OP_GETFIELD), OP_GETFIELD_H);
}

/* An allocator that refuses blocks of one size: the caches of the
 * prototype whose code has that many instructions. */
static size_t refused;
static void *refusing_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  if (ptr == NULL && nsize == refused) return NULL;
  return realloc(ptr, nsize);
}

static void test_no_memory_for_caches(void **state) {
  (void)state;
  lua_State *L = lua_newstate(refusing_alloc, NULL);
  assert_non_null(L);
  luaL_openlibs(L);
  /* long enough for its caches to bypass the small-block pools (gc.c) */
  run(L, "function f(t) local s = 0 for i = 1, 50 do s = s + t.x end\n"
         "  local a, b, c = t.x, t.x, t.x; a = a + b + c; b = a * c - b; c = a - b * c\n"
         "  a = a + b + c; b = a * c - b; c = a - b * c; a = a + b + c; b = a * c - b\n"
         "  return s end");
  Proto *p = proto_of(L, "f");
  refused = (size_t)p->sizecode * sizeof(QCache);
  assert_true(refused > 16 * 16);
  assert_int_equal(evali(L, "f({x = 2}) + f({x = 3})"), 250);
  assert_null(p->qc);
  assert_int_equal(rawop(L, "f", OP_GETFIELD), OP_GETFIELD);
  refused = 0;
  assert_int_equal(evali(L, "f({x = 1})"), 50);
  assert_non_null(p->qc);
  assert_int_equal(rawop(L, "f", OP_GETFIELD), OP_GETFIELD_H);
  lua_close(L);
}

static void test_coroutine_yields_in_miss_path(void **state) {
  lua_State *L = *state;
  run(L, "local mt = {__index = function(t, k) return coroutine.yield(k) end,\n"
         "  __add = function(a, b) return coroutine.yield('add') end}\n"
         "function g(t) return t.x end\n"
         "function a(x, y) return x + y end\n"
         "for i = 1, 5 do g({x = 1}); a(1, 2) end\n"
         "local co = coroutine.wrap(function()\n"
         "  local v = g(setmetatable({}, mt))\n"
         "  local w = a(setmetatable({}, mt), 1)\n"
         "  return v + w end)\n"
         "assert(co() == 'x'); assert(co(10) == 'add'); R = co(5)");
  assert_int_equal(evali(L, "R"), 15);
  assert_int_equal(rawop(L, "g", OP_GETFIELD), OP_GETFIELD_H);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_arith_types_change, setup, teardown),
      cmocka_unit_test_setup_teardown(test_compare_types_change, setup, teardown),
      cmocka_unit_test_setup_teardown(test_field_survives_rehash, setup, teardown),
      cmocka_unit_test_setup_teardown(test_method_metatable_changes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_inherited_method_changes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_field_through_class, setup, teardown),
      cmocka_unit_test_setup_teardown(test_globals_replaced, setup, teardown),
      cmocka_unit_test_setup_teardown(test_function_replaced_between_calls, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gc_between_accesses, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dump_writes_generic_opcodes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_load_refuses_quickened_opcodes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_messages_name_variables, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hook_sees_every_line, setup, teardown),
      cmocka_unit_test_setup_teardown(test_coroutine_yields_in_miss_path, setup, teardown),
      cmocka_unit_test(test_no_memory_for_caches),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
