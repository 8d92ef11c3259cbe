/*
 * test_jsave.c -- `cpjit-lua -jsave=FILE`: the trace corpus written at
 * jit_close holds exactly the traces the JIT compiled (same count, same
 * uops, operand for operand, and one exit record per exit), it reads back
 * with the shared reader, and a file that cannot be written costs a message
 * and nothing else. Also: -jbackend picks only backends that exist.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "lua_stencils.h"
#include "lua_uop_list.h"
#include "trace/backend.h"
#include "trace/trace.h"
#include "trace_corpus.h"

static const char *const op_names[] = {
#define UOP_NAME(name) #name,
    LUA_UOP_LIST(UOP_NAME)
#undef UOP_NAME
};

/* Three loops in one chunk: an integer sum, a float array fill and a
 * while loop with a branch; each becomes one trace at -Ohotloop=1. */
static const char script[] =
    "local s = 0\n"
    "for i = 1, 200 do s = s + i end\n"
    "local t = {}\n"
    "for i = 1, 200 do t[i] = i * 0.5 end\n"
    "local n, odd = 0, 0\n"
    "while n < 300 do n = n + 1 if n % 2 == 1 then odd = odd + 1 end end\n"
    "return s + odd\n";

#define MAX_TRACES 16

typedef struct expected {
  cpjit_uop *uops[MAX_TRACES];
  uint32_t nuops[MAX_TRACES];
  int n, nroots; /* root traces first, then side traces */
} expected;

/* Run the script with -jsave=path, remembering the uops of every trace
 * installed in its main function (the chunk has no other function): its
 * root traces and its side traces. */
static void run_saving(const char *path, expected *want) {
  lua_State *L = luaL_newstate();
  assert_non_null(L);
  G(L)->opts.jit_enabled = 1;
  G(L)->opts.hotloop = 1;
  G(L)->opts.save = path;
  jit_open(L);
  assert_non_null(G(L)->jit);
  luaL_openlibs(L);
  assert_int_equal(luaL_loadstring(L, script), LUA_OK);
  lua_pushvalue(L, -1); /* keep the prototype alive */
  if (lua_pcall(L, 0, 1, 0) != LUA_OK)
    fail_msg("script failed: %s", lua_tostring(L, -1));
  assert_int_equal(lua_tointeger(L, -1), 20100 + 150);
  lua_pop(L, 1);
  const Proto *p = clLvalue(L->top - 1)->p;
  want->n = 0;
  for (int pc = 0; pc < p->sizecode; pc++) {
    uint32_t n;
    const cpjit_uop *u = jit_trace_uops(p, pc, &n);
    if (!u)
      continue;
    assert_true(want->n < MAX_TRACES);
    want->uops[want->n] = malloc(n * sizeof *u);
    assert_non_null(want->uops[want->n]);
    memcpy(want->uops[want->n], u, n * sizeof *u);
    want->nuops[want->n++] = n;
  }
  want->nroots = want->n;
  uint32_t n;
  const cpjit_uop *u;
  for (int k = 0; (u = jit_side_trace_uops(p, k, &n)) != NULL; k++) {
    assert_true(want->n < MAX_TRACES);
    want->uops[want->n] = malloc(n * sizeof *u);
    assert_non_null(want->uops[want->n]);
    memcpy(want->uops[want->n], u, n * sizeof *u);
    want->nuops[want->n++] = n;
  }
  lua_close(L); /* writes the corpus */
}

static void free_expected(expected *want) {
  for (int i = 0; i < want->n; i++)
    free(want->uops[i]);
}

static void corpus_holds_every_compiled_trace(void **state) {
  (void)state;
  char path[] = "/tmp/cpjit-test-jsave-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  expected want;
  run_saving(path, &want);
  assert_int_equal(want.nroots, 3);
  assert_true(want.n >= want.nroots);

  /* Register uop variants are named as their stencils (ADD_GG__1_2). */
  trace_corpus_ops lua_ops;
  assert_int_equal(trace_corpus_ops_with_ruops(&lua_ops, op_names, UOP__COUNT,
                                               lua_ruops, lua_NRUOPS),
                   0);
  assert_int_equal(lua_ops.count, lua_NOPS);
  assert_string_equal(lua_ops.names[lua_OP_ADD_GG + 1], "ADD_GG__0_1");
  trace_corpus c;
  char err[256];
  if (trace_corpus_load(path, "lua", &lua_ops, &c, err, sizeof err) != 0)
    fail_msg("%s", err);
  unlink(path);
  /* Every trace compiled is in the corpus once, uop for uop (in compile
   * order, which interleaves roots and side traces). */
  assert_int_equal(c.ntraces, (size_t)want.n);
  bool used[MAX_TRACES] = {false};
  for (size_t i = 0; i < c.ntraces; i++) {
    const trace_corpus_trace *t = &c.traces[i];
    int found = -1;
    for (int j = 0; j < want.n && found < 0; j++) {
      if (used[j] || t->nuops != want.nuops[j])
        continue;
      bool same = true;
      for (uint32_t k = 0; same && k < t->nuops; k++) {
        const cpjit_uop *a = &t->uops[k], *b = &want.uops[j][k];
        same = a->op == b->op && a->arg == b->arg && a->target == b->target &&
               a->exit == b->exit && a->operand[0] == b->operand[0] &&
               a->operand[1] == b->operand[1];
      }
      if (same)
        found = j;
    }
    if (found < 0)
      fail_msg("corpus trace %zu (%u uops, first %s) was not compiled", i,
               t->nuops, lua_ops.names[t->uops[0].op]);
    used[found] = true;
    for (uint32_t k = 0; k < t->nuops; k++)
      assert_true(t->uops[k].exit < t->nexits || t->uops[k].exit == 0);
    /* Every exit record is a TraceExit pointer (what the trace returns). */
    assert_true(t->nexits > 0);
    for (uint32_t x = 0; x < t->nexits; x++)
      assert_true(t->exits[x].operand[0] != 0);
  }
  trace_corpus_free(&c);
  trace_corpus_ops_free(&lua_ops);
  free_expected(&want);
}

static void unwritable_path_is_reported_not_fatal(void **state) {
  (void)state;
  expected want;
  /* stderr gets "cpjit-lua: -jsave: cannot write ..."; the run and the
   * close complete normally (ASan checks nothing leaks). */
  run_saving("/nonexistent-dir/cpjit/x.corpus", &want);
  assert_int_equal(want.nroots, 3);
  assert_true(want.n >= want.nroots);
  free_expected(&want);
}

static void backends_by_name(void **state) {
  (void)state;
  assert_ptr_equal(jit_backend_find(NULL), &jit_backend_cpjit);
  assert_ptr_equal(jit_backend_find(""), &jit_backend_cpjit);
  assert_ptr_equal(jit_backend_find("cpjit"), &jit_backend_cpjit);
  assert_null(jit_backend_find("llvm-O2"));
  assert_int_equal(jit_backend_register(&jit_backend_cpjit), -1); /* taken */
  char names[64];
  jit_backend_names(names, sizeof names);
  assert_string_equal(names, "cpjit");
  /* A state asked for an unknown backend keeps the JIT off. */
  lua_State *L = luaL_newstate();
  assert_non_null(L);
  G(L)->opts.jit_enabled = 1;
  G(L)->opts.backend = "no-such-backend";
  jit_open(L);
  assert_null(G(L)->jit);
  lua_close(L);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(corpus_holds_every_compiled_trace),
      cmocka_unit_test(unwritable_path_is_reported_not_fatal),
      cmocka_unit_test(backends_by_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
