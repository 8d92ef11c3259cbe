/*
 * fuzz_load.c -- libFuzzer target: `load` (lexer, parser, code generator)
 * on arbitrary bytes must return a syntax error or a function, never crash,
 * leak or trip a sanitizer. Built only by clang with CPJIT_SANITIZE (the
 * `make test-asan` build), where ctest runs it for a bounded time seeded
 * with the Lua test scripts.
 */
#include <stddef.h>
#include <stdint.h>

#include "luaapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = luaL_newstate();
  if (L == NULL)
    return 0;
  /* Any mode: cpjit-lua refuses binary chunks with an error message. */
  (void)luaL_loadbufferx(L, (const char *)data, size, "=fuzz", "bt");
  lua_close(L);
  return 0;
}
