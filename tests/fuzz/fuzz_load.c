/*
 * fuzz_load.c -- libFuzzer target: `load` (lexer, parser, code generator,
 * binary chunk reader) on arbitrary bytes must return a syntax error or a
 * function, never crash, leak or trip a sanitizer. Built only by clang with
 * CPJIT_SANITIZE (the `make test-asan` build), where ctest runs it for a
 * bounded time seeded with the Lua test scripts.
 *
 * Two paths per input:
 *  - the bytes are loaded as they are (text, or binary when they start with
 *    ESC, which libFuzzer reaches by mutation);
 *  - when they compile as text, the function is dumped (stripped or not,
 *    by the input's length parity), and the dump is loaded again intact,
 *    truncated, and with bytes changed at positions drawn from the input.
 *    Every chunk that loads is also run, under a count hook that stops it
 *    after a few thousand instructions or 64 MB, in a state without
 *    libraries: the
 *    reader's verification must make any accepted chunk safe to run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luaapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Bytes {
  unsigned char *p;
  size_t n, cap;
} Bytes;

static int writer(lua_State *L, const void *p, size_t sz, void *ud) {
  (void)L;
  Bytes *b = (Bytes *)ud;
  if (b->n + sz > b->cap) {
    size_t cap = (b->n + sz) * 2;
    unsigned char *np = realloc(b->p, cap);
    if (np == NULL) return 1;
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->n, p, sz);
  b->n += sz;
  return 0;
}

/* Count hook, every instruction: a budget of instructions and of memory,
 * so that a mutated chunk that loops or doubles a string stops early. */
static int budget;

static void stop(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (--budget <= 0) luaL_error(L, "instruction budget exhausted");
  if (lua_gc(L, LUA_GCCOUNT, 0) > 64 * 1024) luaL_error(L, "memory budget exhausted");
}

/* Load 'chunk' in binary mode; if it loads, run it for a bounded time. */
static void load_and_run(lua_State *L, const unsigned char *chunk, size_t n) {
  int top = lua_gettop(L);
  const char *keep = getenv("FUZZ_LOAD_KEEP"); /* debugging: the last chunk tried */
  if (keep != NULL) {
    FILE *fk = fopen(keep, "wb");
    if (fk != NULL) {
      fwrite(chunk, 1, n, fk);
      fclose(fk);
    }
  }
  if (luaL_loadbufferx(L, (const char *)chunk, n, "=fuzz", "b") == LUA_OK) {
    budget = 5000;
    lua_sethook(L, stop, LUA_MASKCOUNT, 1);
    (void)lua_pcall(L, 0, 0, 0);
    lua_sethook(L, NULL, 0, 0);
  }
  lua_settop(L, top);
}

static uint32_t next_rand(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = luaL_newstate();
  if (L == NULL)
    return 0;
  int status = luaL_loadbufferx(L, (const char *)data, size, "=fuzz", "bt");
  if (status == LUA_OK && size > 0 && data[0] != 0x1b) {
    Bytes b = {NULL, 0, 0};
    if (lua_dump(L, writer, &b, (int)(size & 1)) == 0 && b.n > 0) {
      load_and_run(L, b.p, b.n);
      uint32_t seed = 2166136261u;
      for (size_t i = 0; i < size; i++) seed = (seed ^ data[i]) * 16777619u;
      if (seed == 0) seed = 1;
      load_and_run(L, b.p, next_rand(&seed) % b.n); /* truncated */
      unsigned char *m = malloc(b.n);
      if (m != NULL) {
        for (int round = 0; round < 8; round++) {
          memcpy(m, b.p, b.n);
          int flips = 1 + (int)(next_rand(&seed) % 3);
          for (int k = 0; k < flips; k++) {
            size_t pos = next_rand(&seed) % b.n;
            m[pos] = (unsigned char)next_rand(&seed);
          }
          load_and_run(L, m, b.n);
        }
        free(m);
      }
    }
    free(b.p);
  }
  lua_close(L);
  return 0;
}
