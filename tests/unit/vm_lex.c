/*
 * Unit tests for runtime/lex.c: token sequences (numbers, strings with
 * escapes, long brackets, operators, comments) and lexical error messages
 * worded as lua5.4 words them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lex.h"

typedef struct Src {
  const char *s;
  size_t n;
} Src;

static const char *reader(lua_State *L, void *ud, size_t *size) {
  (void)L;
  Src *src = ud;
  if (src->n == 0) return NULL;
  *size = src->n;
  src->n = 0;
  return src->s;
}

#define MAXTOK 64

typedef struct Scan {
  const char *text;
  Token toks[MAXTOK];
  int n;
  LexState ls; /* outlives the protected call: its buffer is freed after */
} Scan;

static void doscan(lua_State *L, void *ud) {
  Scan *sc = ud;
  Src src = {sc->text, strlen(sc->text)};
  ZIO z;
  LexState *ls = &sc->ls;
  zio_init(L, &z, reader, &src);
  ls->h = tab_new(L);
  lex_setinput(L, ls, &z, str_new(L, "=test"), zgetc(&z));
  do {
    lex_next(ls);
    sc->toks[sc->n++] = ls->t;
  } while (ls->t.token != TK_EOS && sc->n < MAXTOK);
}

/* Scan 'text'; returns the status and leaves an error message on the stack. */
static int scan(lua_State *L, Scan *sc, const char *text) {
  sc->text = text;
  sc->n = 0;
  memset(&sc->ls, 0, sizeof sc->ls);
  G(L)->gcstop++;
  int status = do_pcall(L, doscan, sc, savestack(L, L->top), 0);
  G(L)->gcstop--;
  /* The lexer's buffer, on success or after an error unwound past it. */
  mem_free(L, sc->ls.buff, sc->ls.buffsize);
  return status;
}

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

static void test_numbers(void **state) {
  lua_State *L = *state;
  Scan sc;
  assert_int_equal(scan(L, &sc, "3 3.0 0x10 1e2 0xA.8p1 .5"), LUA_OK);
  assert_int_equal(sc.toks[0].token, TK_INT);
  assert_int_equal(sc.toks[0].seminfo.i, 3);
  assert_int_equal(sc.toks[1].token, TK_FLT);
  assert_int_equal(sc.toks[2].token, TK_INT);
  assert_int_equal(sc.toks[2].seminfo.i, 16);
  assert_true(sc.toks[3].seminfo.r == 100.0);
  assert_true(sc.toks[4].seminfo.r == 21.0);
  assert_true(sc.toks[5].seminfo.r == 0.5);
  assert_int_equal(sc.toks[6].token, TK_EOS);
}

static void test_strings_and_escapes(void **state) {
  lua_State *L = *state;
  Scan sc;
  assert_int_equal(scan(L, &sc, "'a\\tb' \"\\x41\\65\\u{48}\" 'x\\z   \n  y' [==[\nlong]]]==]"), LUA_OK);
  assert_int_equal(sc.toks[0].token, TK_STRING);
  assert_string_equal(getstr(sc.toks[0].seminfo.ts), "a\tb");
  assert_string_equal(getstr(sc.toks[1].seminfo.ts), "AAH");
  assert_string_equal(getstr(sc.toks[2].seminfo.ts), "xy");
  assert_string_equal(getstr(sc.toks[3].seminfo.ts), "long]]");
}

static void test_operators_keywords_comments(void **state) {
  lua_State *L = *state;
  Scan sc;
  assert_int_equal(scan(L, &sc, "local x <const> = a // b .. c ... ~= == >= <= << >> :: --[[ c ]] -- line\nend"), LUA_OK);
  int expect[] = {TK_LOCAL, TK_NAME, '<', TK_NAME, '>', '=', TK_NAME, TK_IDIV, TK_NAME, TK_CONCAT,
                  TK_NAME, TK_DOTS, TK_NE, TK_EQ, TK_GE, TK_LE, TK_SHL, TK_SHR, TK_DBCOLON, TK_END, TK_EOS};
  for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) assert_int_equal(sc.toks[i].token, expect[i]);
}

static void expect_error(lua_State *L, const char *text, const char *msg) {
  Scan sc;
  assert_int_equal(scan(L, &sc, text), LUA_ERRSYNTAX);
  assert_string_equal(lua_tostring(L, -1), msg);
  lua_pop(L, 1);
}

static void test_lexical_errors(void **state) {
  lua_State *L = *state;
  expect_error(L, "x = 3x", "test:1: malformed number near '3x'");
  expect_error(L, "s = 'abc", "test:1: unfinished string near <eof>");
  expect_error(L, "s = '\\q'", "test:1: invalid escape sequence near ''\\q'");
  expect_error(L, "s = '\\300'", "test:1: decimal escape too large near ''\\300''");
  expect_error(L, "\n\ns = [[abc", "test:3: unfinished long string (starting at line 3) near <eof>");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_strings_and_escapes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_operators_keywords_comments, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lexical_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
