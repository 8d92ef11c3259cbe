/* repl.c -- cpjit-lua's interactive mode (see repl.h).
 *
 * The shape is lua.c's: a line is first compiled as "return <line>;" so that
 * an expression prints its values; if that does not compile, the line is a
 * statement, and while its syntax error ends in "<eof>" (the chunk stopped
 * too early: an open function, string, comment...) more lines are read and
 * joined with newlines. The chunk under construction lives on the Lua
 * stack, so an error (a failing __tostring of _PROMPT) leaks nothing.
 *
 * Lines are read with getline: no line editing or history, and no length
 * limit. Where lua.c (without readline) loses the syntax message when end of
 * file interrupts a continuation, this prints it; on a terminal the loop then
 * goes on (Ctrl-D cancels the unfinished chunk), elsewhere it ends there.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "repl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define EOFMARK "<eof>"

static void message(const char *msg) {
  fflush(stdout);
  fprintf(stderr, "%s\n", msg);
  fflush(stderr);
}

static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    message(msg ? msg : "(error object is not a string)");
    lua_pop(L, 1);
  }
  return status;
}

/* The message handler of the command line and the REPL: message +
 * traceback (lua.c's). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int repl_docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  int status = lua_pcall(L, narg, nres, base);
  lua_remove(L, base);
  return status;
}

/* -- Reading ------------------------------------------------------------------ */

/* Print the prompt and push the next line of stdin without its newline
 * (a first line "=e" becomes "return e"). Returns 0 at end of file. */
static int pushline(lua_State *L, int firstline) {
  if (lua_getglobal(L, firstline ? "_PROMPT" : "_PROMPT2") == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushstring(L, firstline ? "> " : ">> ");
  } else {
    luaL_tolstring(L, -1, NULL);
    lua_remove(L, -2);
  }
  fputs(lua_tostring(L, -1), stdout);
  fflush(stdout);
  lua_pop(L, 1);
  char *b = NULL;
  size_t cap = 0;
  ssize_t n = getline(&b, &cap, stdin);
  if (n < 0) {
    free(b);
    return 0;
  }
  if (n > 0 && b[n - 1] == '\n')
    b[--n] = '\0';
  lua_pushlstring(L, b, (size_t)n);
  free(b);
  const char *s = lua_tostring(L, -1);
  if (firstline && s[0] == '=') {
    lua_pushfstring(L, "return %s", s + 1);
    lua_remove(L, -2);
  }
  return 1;
}

/* Is the syntax error on top of the stack one of a chunk cut short? */
static int incomplete(lua_State *L, int status) {
  if (status != LUA_ERRSYNTAX)
    return 0;
  size_t len, mark = sizeof EOFMARK - 1;
  const char *msg = lua_tolstring(L, -1, &len);
  return msg && len >= mark && strcmp(msg + len - mark, EOFMARK) == 0;
}

/* Stack: line. Compile "return line;": on success replace the line with
 * the function (status LUA_OK); otherwise leave the line alone. */
static int addreturn(lua_State *L) {
  const char *retline = lua_pushfstring(L, "return %s;", lua_tostring(L, -1));
  int status = luaL_loadbuffer(L, retline, strlen(retline), "=stdin");
  if (status == LUA_OK)
    lua_remove(L, -2); /* the "return" text */
  else
    lua_pop(L, 2); /* the message and the "return" text */
  return status;
}

/* Stack: line. Compile it as a statement, reading continuation lines while
 * it is incomplete. Pushes the function or the error message. */
static int multiline(lua_State *L) {
  for (;;) {
    size_t len;
    const char *chunk = lua_tolstring(L, 1, &len);
    int status = luaL_loadbuffer(L, chunk, len, "=stdin");
    if (!incomplete(L, status))
      return status;
    if (!pushline(L, 0)) { /* end of file: report the chunk's error */
      fputc('\n', stdout);
      if (isatty(STDIN_FILENO))
        clearerr(stdin);
      return status;
    }
    lua_remove(L, -2); /* the "<eof>" message */
    lua_pushliteral(L, "\n");
    lua_insert(L, -2);
    lua_concat(L, 3); /* chunk .. "\n" .. line, at index 1 */
  }
}

/* Read one chunk. Returns -1 at end of file, else the load status with the
 * function or the message as the only value on the stack. */
static int loadline(lua_State *L) {
  lua_settop(L, 0);
  if (!pushline(L, 1))
    return -1;
  int status = addreturn(L);
  if (status != LUA_OK)
    status = multiline(L);
  lua_remove(L, 1); /* the line */
  return status;
}

/* -- The loop ----------------------------------------------------------------- */

/* Print the values on the stack with the global print, as lua.c does. */
static void print_results(lua_State *L) {
  int n = lua_gettop(L);
  if (n == 0)
    return;
  luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
  lua_getglobal(L, "print");
  lua_insert(L, 1);
  if (lua_pcall(L, n, 0, 0) != LUA_OK)
    message(lua_pushfstring(L, "error calling 'print' (%s)", lua_tostring(L, -1)));
}

void repl_run(lua_State *L) {
  int status;
  while ((status = loadline(L)) != -1) {
    if (status == LUA_OK)
      status = repl_docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK)
      print_results(L);
    else
      report(L, status);
  }
  lua_settop(L, 0);
  fputc('\n', stdout);
  fflush(stdout);
}
