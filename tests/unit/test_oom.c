/*
 * test_oom.c -- out-of-memory everywhere, tested the way Lua's own suite
 * does it: a failing allocator (lua_newstate's hook) that refuses the N-th
 * allocation, for every N from 1 to the number of allocations a script
 * makes (every k-th N when that is large, see SWEEP_RUNS), with the JIT off
 * and with the JIT forced on (-Ohotloop=1); every other run refuses all
 * allocations from the N-th on (a memory limit) instead of only that one.  Each run must either succeed
 * or end with "not enough memory" (LUA_ERRMEM) -- never crash, never leave
 * an allocation behind after lua_close.  The JIT's allocations come from the
 * same hook: a refusal there only stops compiling, so the run succeeds.
 *
 * CPJIT_OOM_RUNS=n overrides the number of runs per script and mode
 * (0: every N).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core.h"
#include "trace/trace.h"

#if defined(__SANITIZE_ADDRESS__)
#define OOM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OOM_ASAN 1
#endif
#endif
#ifdef OOM_ASAN
#define SWEEP_RUNS 100 /* runs per script and mode under ASan */
#else
#define SWEEP_RUNS 400 /* runs per script and mode (N sampled evenly) */
#endif

typedef struct FailAlloc {
  long count;   /* allocations (and growths) so far */
  long fail_at; /* refuse this one (0: never) */
  int sticky;   /* and every one after it (a memory limit) */
  long live;    /* blocks allocated and not freed */
  int failed;
} FailAlloc;

static void *fail_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  FailAlloc *fa = ud;
  (void)osize;
  if (nsize == 0) {
    if (ptr) {
      fa->live--;
      free(ptr);
    }
    return NULL;
  }
  if (++fa->count == fa->fail_at || (fa->sticky && fa->fail_at && fa->count > fa->fail_at)) {
    fa->failed = 1;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p && !ptr) fa->live++;
  return p;
}

typedef struct Script {
  const char *name;
  const char *src;
} Script;

static int run_chunk(lua_State *L) {
  const Script *s = lua_touserdata(L, 1);
  luaL_openlibs(L);
  if (luaL_loadbuffer(L, s->src, strlen(s->src), s->name) != LUA_OK) lua_error(L);
  lua_call(L, 0, 0);
  return 0;
}

typedef struct Outcome {
  int status;      /* LUA_OK, an error status, or -1: no state */
  char msg[200];   /* the error message */
  long allocs;     /* allocations made */
  long leaked;     /* blocks not freed by lua_close */
  int failed;      /* the refusal happened */
} Outcome;

static Outcome run_once(const Script *s, int jit, long fail_at, int sticky) {
  FailAlloc fa = {0, fail_at, sticky, 0, 0};
  Outcome o = {-1, "", 0, 0, 0};
  lua_State *L = lua_newstate(fail_alloc, &fa);
  if (L != NULL) {
    G(L)->opts.jit_enabled = jit;
    G(L)->opts.hotloop = 1;
    G(L)->opts.hotexit = 1;
    jit_open(L);
    lua_pushcfunction(L, run_chunk);
    lua_pushlightuserdata(L, (void *)s);
    o.status = lua_pcall(L, 1, 0, 0);
    if (o.status != LUA_OK) {
      const char *m = lua_tostring(L, -1);
      snprintf(o.msg, sizeof o.msg, "%s", m ? m : "(not a string)");
    }
    lua_close(L);
  }
  o.allocs = fa.count;
  o.leaked = fa.live;
  o.failed = fa.failed;
  return o;
}

static const Script scripts[] = {
    {"parser",
     "local src = {'local a, b, c = 1, 2.5, \"x\"'}\n"
     "for i = 1, 40 do src[#src + 1] = ('local v%d = {a = %d, [%d] = \"s%d\", f = function(x) return x + %d end}')"
     ":format(i, i, i, i, i) end\n"
     "src[#src + 1] = 'return v1.f(1) + v40.f(2)'\n"
     "local f = assert(load(table.concat(src, '\\n')))\n"
     "assert(f() == 44)\n"
     "assert(load('return function(...) local t = {...} return #t end'))\n"
     "print(load('x = = 1'))\n"},
    {"strings",
     "local t = {}\n"
     "for i = 1, 200 do t[#t + 1] = string.format('%d:%5.2f:%s:%q', i, i / 3, tostring(i), 'a\\nb') end\n"
     "local s = table.concat(t, ',')\n"
     "local r = s:gsub('%d+', function(d) return d .. d end)\n"
     "r = r:gsub('(%a)', '%1%1')\n"
     "local u = ('ab'):rep(500, '-')\n"
     "print(#s, #r, #u, s:sub(1, 20), s:find('100'), s:match('(%d+):'), s:upper():len())\n"
     "for w in s:gmatch('[^,]+') do local _ = w .. '!' end\n"
     "print(utf8.char(72, 228, 8364), #string.pack('i4s', 7, 'xyz'))\n"},
    {"tables",
     "local t = {}\n"
     "for i = 1, 3000 do t[i] = i end\n"
     "local h = {}\n"
     "for i = 1, 1500 do h['k' .. i] = i; h[i + 0.5] = i end\n"
     "for i = 1, 1500, 2 do h['k' .. i] = nil end\n"
     "local n = 0 for k, v in pairs(h) do n = n + 1 end\n"
     "table.sort(t, function(a, b) return a > b end)\n"
     "table.insert(t, 1, 0) table.remove(t, 5)\n"
     "print(n, #t, t[1], t[2], table.concat(t, ' ', 1, 10), select('#', table.unpack(t, 1, 100)))\n"
     "local w = setmetatable({}, {__mode = 'k'})\n"
     "for i = 1, 100 do w[{}] = i end collectgarbage()\n"},
    {"closures",
     "local function counter() local c = 0 return function() c = c + 1 return c end end\n"
     "local fs = {}\n"
     "for i = 1, 300 do fs[i] = counter() end\n"
     "local s = 0 for i = 1, 300 do s = s + fs[i]() + fs[i]() end\n"
     "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\n"
     "local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end\n"
     "print(s, fib(15), deep(3000), select('#', table.unpack({}, 1, 500)))\n"
     "setmetatable({}, {__gc = function() local x = {} end}) collectgarbage()\n"},
    {"coroutines",
     "local cos = {}\n"
     "for i = 1, 60 do cos[i] = coroutine.create(function(a) local s = a while true do s = s + coroutine.yield(s) end end) end\n"
     "local s = 0 for r = 1, 5 do for i = 1, 60 do local ok, v = coroutine.resume(cos[i], i) assert(ok, v) s = s + v end end\n"
     "local gen = coroutine.wrap(function() for i = 1, 100 do coroutine.yield(i) end end)\n"
     "for i = 1, 100 do s = s + gen() end\n"
     "print(s, coroutine.status(cos[1]), coroutine.isyieldable())\n"
     "local co = coroutine.create(function() error('x') end)\n"
     "print(coroutine.resume(co)) print(coroutine.resume(co))\n"
     "print(coroutine.close(coroutine.create(print)))\n"},
    {"pcall",
     "local n = 0\n"
     "for i = 1, 200 do\n"
     "  local ok, e = pcall(function() local t = {} for j = 1, i do t[j] = j .. '' end error({i}) end)\n"
     "  if not ok and type(e) == 'table' then n = n + e[1] end\n"
     "end\n"
     "print(n, xpcall(function() error('boom') end, function(m) return 'handled: ' .. m end))\n"
     "print(pcall(error), select('#', pcall(string.rep, 'x', -1)))\n"
     "do local x <close> = setmetatable({}, {__close = function() n = n + 1 end}) end\n"
     "print(n, pcall(setmetatable, 1, 2))\n"},
    {"jitloops",
     "local s, f, t = 0, 0.5, {}\n"
     "for i = 1, 2000 do s = s + i % 7; f = f * 1.0001 + i; t[i] = i * 2 end\n"
     "local i, m = 0, 0 while i < 1000 do i = i + 1 if i % 3 == 0 then m = m + 1 else m = m - 1 end end\n"
     "local parts = {} for k = 1, 300 do parts[#parts + 1] = tostring(k) end\n"
     "local function g(x) return x * 2 + 1 end\n"
     "local a = 0 for k = 1, 1000 do a = a + g(k) end\n"
     "for r = 1, 30 do for k = 1, 50 do a = a + (k - 0) end end\n"
     "print(s, f > 1, #t, m, #table.concat(parts), a)\n"},
    {"quicken", /* quickened instructions and their caches (vm.c) */
     "local C = {}; C.__index = C; C.k = 1\n"
     "function C:m(x) return self.v + x + self.k end\n"
     "local D = setmetatable({}, {__index = C}); D.__index = D\n"
     "G = 0\n"
     "local s, f = 0, 0.5\n"
     "for i = 1, 300 do\n"
     "  local o = setmetatable({v = i}, i % 2 == 0 and C or D)\n"
     "  s = s + o:m(i) + o.k; o.v = o.v * 2; G = G + 1\n"
     "  f = f * 1.5 - f / 3; if s < i then s = -s end\n"
     "  if i % 100 == 0 then C.k = C.k + 1; for j = 1, 50 do C['x' .. j] = j end end\n"
     "end\n"
     "print(s, G, f > 0, ('abc'):upper(), string.dump(C.m) == string.dump(C.m))\n"},
};

/* "chunk:line: not enough memory": a script passed the error on (assert,
 * error) after a library call returned it. */
static int reraised(const char *msg) {
  size_t n = strlen(msg), k = strlen(": not enough memory");
  return n > k && strcmp(msg + n - k, ": not enough memory") == 0;
}

static long sweep_runs(void) {
  const char *e = getenv("CPJIT_OOM_RUNS");
  return e ? strtol(e, NULL, 10) : SWEEP_RUNS;
}

/* Sweep one script in one mode; returns the runs made. */
static long sweep(const Script *s, int jit) {
  Outcome ref = run_once(s, jit, 0, 0);
  if (ref.status != LUA_OK)
    fail_msg("%s (jit %d): fails without an allocation failure: %s", s->name, jit,
             ref.msg);
  assert_int_equal(ref.leaked, 0);
  long total = ref.allocs, runs = sweep_runs();
  long step = (runs <= 0 || total <= runs) ? 1 : (total + runs - 1) / runs;
  long n = 0, ok = 0, mem = 0;
  for (long at = 1; at <= total; at += step, n++) {
    Outcome o = run_once(s, jit, at, (int)(n & 1)); /* one refusal, or a limit */
    if (o.leaked != 0)
      fail_msg("%s (jit %d): refusing allocation %ld leaks %ld blocks", s->name, jit,
               at, o.leaked);
    if (o.status == LUA_OK) {
      ok++;
    } else if (o.status == -1 || (o.status == LUA_ERRMEM &&
                                  strcmp(o.msg, "not enough memory") == 0)) {
      mem++;
    } else if (o.status == LUA_ERRRUN && reraised(o.msg)) { /* assert(load(...)) */
      mem++;
    } else {
      fail_msg("%s (jit %d): refusing allocation %ld of %ld: status %d, '%s'", s->name,
               jit, at, total, o.status, o.msg);
    }
  }
  fprintf(stderr, "%-10s jit %d: %ld allocations, %ld runs (every %ld): %ld ok, %ld "
                "not enough memory\n", s->name, jit, total, n, step, ok, mem);
  return n;
}

static void test_sweep(void **state) {
  const Script *s = *state;
  sweep(s, 0);
  sweep(s, 1);
}

/* The crash of issue 17: creating coroutines until memory runs out raised
 * the error on the new thread, which has no handler (abort). */
static void test_newthread_until_oom(void **state) {
  (void)state;
  static const Script s = {"newthread",
                           "local t = {} for i = 1, 1e6 do t[i] = coroutine.create(print) end"};
  for (long limit = 2000; limit <= 2600; limit += 7) {
    Outcome o = run_once(&s, 0, limit, 1);
    if (!o.failed) continue;
    assert_int_equal(o.leaked, 0);
    assert_true(o.status == -1 || o.status == LUA_ERRMEM);
  }
}

int main(void) {
  /* the scripts print; keep the test log readable */
  if (!freopen("/dev/null", "w", stdout)) return 1;
  struct CMUnitTest tests[sizeof scripts / sizeof scripts[0] + 1];
  size_t n = 0;
  for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
    tests[n++] = (struct CMUnitTest){scripts[i].name, test_sweep, NULL, NULL,
                                     (void *)&scripts[i]};
  tests[n++] = (struct CMUnitTest){"newthread_until_oom", test_newthread_until_oom, NULL,
                                   NULL, NULL};
  return _cmocka_run_group_tests("oom", tests, n, NULL, NULL);
}
