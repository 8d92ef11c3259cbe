/*
 * iolib.c -- the Lua 5.4 io library and the methods of file handles.
 *
 * A file handle is a full userdata holding a luaL_Stream with metatable
 * LUA_FILEHANDLE ("FILE*").  closef == NULL marks a closed handle; the
 * standard streams get a close function that refuses to close them.  The
 * default input and output files live in the registry under "_IO_input"
 * and "_IO_output".  Read formats, results and error returns (nil, message,
 * errno) follow lua5.4.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* popen, pclose */
#endif

#include "luaapi.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IO_INPUT "_IO_input"
#define IO_OUTPUT "_IO_output"

/* Most formats one lines() iterator may carry. */
#define MAX_LINES_FORMATS 250

/* Longest numeral read by the "n" format. */
#define MAX_NUMERAL 200

/* -- Handles -- */

static luaL_Stream *to_stream(lua_State *L) {
  return (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
}

static int is_closed(const luaL_Stream *p) { return p->closef == NULL; }

/* The open FILE of argument 1, or an error. */
static FILE *to_file(lua_State *L) {
  luaL_Stream *p = to_stream(L);
  if (is_closed(p))
    luaL_error(L, "attempt to use a closed file");
  return p->f;
}

/* A new handle, not yet usable (closed) until f and closef are set. */
static luaL_Stream *new_stream(lua_State *L) {
  luaL_Stream *p = (luaL_Stream *)lua_newuserdatauv(L, sizeof(luaL_Stream), 0);
  p->f = NULL;
  p->closef = NULL;
  luaL_setmetatable(L, LUA_FILEHANDLE);
  return p;
}

static int close_regular(lua_State *L) {
  luaL_Stream *p = to_stream(L);
  int ok = fclose(p->f) == 0;
  return luaL_fileresult(L, ok, NULL);
}

static int close_pipe(lua_State *L) {
  luaL_Stream *p = to_stream(L);
  errno = 0; /* luaL_execresult reads errno */
  return luaL_execresult(L, pclose(p->f));
}

static int close_standard(lua_State *L) {
  luaL_Stream *p = to_stream(L);
  p->closef = close_standard; /* stays open */
  lua_pushnil(L);
  lua_pushliteral(L, "cannot close standard file");
  return 2;
}

/* Close the handle at index 1 with its own close function. */
static int close_handle(lua_State *L) {
  luaL_Stream *p = to_stream(L);
  lua_CFunction closef = p->closef;
  p->closef = NULL; /* closed from now on, even if closing fails */
  return closef(L);
}

static luaL_Stream *open_stream(lua_State *L, const char *name,
                                const char *mode) {
  luaL_Stream *p = new_stream(L);
  p->closef = close_regular;
  p->f = fopen(name, mode);
  return p;
}

/* Open or raise "cannot open file 'x' (reason)". */
static void open_or_fail(lua_State *L, const char *name, const char *mode) {
  luaL_Stream *p = open_stream(L, name, mode);
  if (p->f == NULL) {
    p->closef = NULL;
    luaL_error(L, "cannot open file '%s' (%s)", name, strerror(errno));
  }
}

/* [rwa]+?b* -- what fopen accepts portably. */
static int valid_mode(const char *mode) {
  if (*mode == '\0' || strchr("rwa", *mode) == NULL)
    return 0;
  mode++;
  if (*mode == '+')
    mode++;
  return strspn(mode, "b") == strlen(mode);
}

/* The default file of kind name; errors when it has been closed. */
static FILE *default_file(lua_State *L, const char *name) {
  lua_getfield(L, LUA_REGISTRYINDEX, name);
  luaL_Stream *p = (luaL_Stream *)lua_touserdata(L, -1);
  if (p == NULL || is_closed(p))
    luaL_error(L, "default %s file is closed",
               name + sizeof("_IO_") - 1);
  return p->f;
}

/* -- Reading -- */

/* The numeral reader for "n": collects at most MAX_NUMERAL characters that
 * can form a Lua numeral, then lets lua_stringtonumber judge them. */
typedef struct NumeralReader {
  FILE *f;
  int c;   /* current lookahead character */
  int len; /* characters kept */
  char text[MAX_NUMERAL + 1];
} NumeralReader;

/* Keep the lookahead and read the next one; 0 when the numeral is too long
 * (then the text is made invalid). */
static int numeral_take(NumeralReader *nr) {
  if (nr->len >= MAX_NUMERAL) {
    nr->text[0] = '\0';
    return 0;
  }
  nr->text[nr->len++] = (char)nr->c;
  nr->c = getc(nr->f);
  return 1;
}

/* Take the lookahead if it is one of the two characters in pair. */
static int numeral_accept(NumeralReader *nr, const char *pair) {
  if (nr->c == pair[0] || nr->c == pair[1])
    return numeral_take(nr);
  return 0;
}

static int numeral_digits(NumeralReader *nr, int hex) {
  int count = 0;
  while ((hex ? isxdigit(nr->c) : isdigit(nr->c)) && numeral_take(nr))
    count++;
  return count;
}

static int read_number(lua_State *L, FILE *f) {
  NumeralReader nr;
  nr.f = f;
  nr.len = 0;
  int digits = 0;
  int hex = 0;
  do {
    nr.c = getc(f);
  } while (isspace(nr.c));
  numeral_accept(&nr, "-+");
  if (numeral_accept(&nr, "00")) {
    if (numeral_accept(&nr, "xX"))
      hex = 1;
    else
      digits = 1;
  }
  digits += numeral_digits(&nr, hex);
  if (numeral_accept(&nr, ".."))
    digits += numeral_digits(&nr, hex);
  if (digits > 0 && numeral_accept(&nr, hex ? "pP" : "eE")) {
    numeral_accept(&nr, "-+");
    numeral_digits(&nr, 0);
  }
  ungetc(nr.c, f);
  nr.text[nr.len] = '\0';
  if (lua_stringtonumber(L, nr.text) != 0)
    return 1;
  lua_pushnil(L);
  return 0;
}

/* Push "" and report whether anything is left to read. */
static int test_eof(lua_State *L, FILE *f) {
  int c = getc(f);
  ungetc(c, f);
  lua_pushliteral(L, "");
  return c != EOF;
}

static int read_line(lua_State *L, FILE *f, int chop) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int c = EOF;
  for (;;) {
    char *buf = luaL_prepbuffsize(&b, LUAL_BUFFERSIZE);
    size_t i = 0;
    /* One lock per chunk, not per byte (lua5.4 does the same); nothing in
     * the locked loop can raise an error or run Lua code. */
    flockfile(f);
    while (i < LUAL_BUFFERSIZE && (c = getc_unlocked(f)) != EOF && c != '\n')
      buf[i++] = (char)c;
    funlockfile(f);
    luaL_addsize(&b, i);
    if (i < LUAL_BUFFERSIZE)
      break; /* stopped at a newline or end of file */
  }
  if (!chop && c == '\n')
    luaL_addchar(&b, '\n');
  luaL_pushresult(&b);
  return c == '\n' || lua_rawlen(L, -1) > 0;
}

static void read_all(lua_State *L, FILE *f) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t n;
  do {
    char *buf = luaL_prepbuffsize(&b, LUAL_BUFFERSIZE);
    n = fread(buf, 1, LUAL_BUFFERSIZE, f);
    luaL_addsize(&b, n);
  } while (n == LUAL_BUFFERSIZE);
  luaL_pushresult(&b);
}

static int read_chars(lua_State *L, FILE *f, size_t n) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  char *buf = luaL_prepbuffsize(&b, n);
  size_t got = fread(buf, 1, n, f);
  luaL_addsize(&b, got);
  luaL_pushresult(&b);
  return got > 0;
}

/* Read with the formats at stack indices first..top; returns the number of
 * results (a failed format yields nil and ends the list). */
static int read_formats(lua_State *L, FILE *f, int first) {
  int nargs = lua_gettop(L) - 1;
  int n;
  int ok;
  clearerr(f);
  if (nargs == 0) {
    ok = read_line(L, f, 1);
    n = first + 1;
  } else {
    luaL_checkstack(L, nargs + 20, "too many arguments"); /* + buffer room */
    ok = 1;
    for (n = first; nargs-- > 0 && ok; n++) {
      if (lua_type(L, n) == LUA_TNUMBER) {
        size_t count = (size_t)luaL_checkinteger(L, n);
        ok = (count == 0) ? test_eof(L, f) : read_chars(L, f, count);
        continue;
      }
      const char *fmt = luaL_checkstring(L, n);
      if (*fmt == '*')
        fmt++; /* "*l" and friends, as older versions spelled them */
      switch (*fmt) {
      case 'n': ok = read_number(L, f); break;
      case 'l': ok = read_line(L, f, 1); break;
      case 'L': ok = read_line(L, f, 0); break;
      case 'a':
        read_all(L, f);
        ok = 1;
        break;
      default: return luaL_argerror(L, n, "invalid format");
      }
    }
  }
  if (ferror(f))
    return luaL_fileresult(L, 0, NULL);
  if (!ok) {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
  return n - first;
}

/* -- Writing -- */

/* Write the values at first..top-1 (top holds the file, returned on
 * success). */
static int write_values(lua_State *L, FILE *f, int first) {
  int nargs = lua_gettop(L) - first;
  int ok = 1;
  for (int arg = first; nargs-- > 0; arg++) {
    if (lua_type(L, arg) == LUA_TNUMBER) {
      int len = lua_isinteger(L, arg)
                    ? fprintf(f, "%lld", (long long)lua_tointeger(L, arg))
                    : fprintf(f, "%.14g", (double)lua_tonumber(L, arg));
      ok = ok && len > 0;
    } else {
      size_t len;
      const char *s = luaL_checklstring(L, arg, &len);
      ok = ok && fwrite(s, 1, len, f) == len;
    }
  }
  if (ok)
    return 1;
  return luaL_fileresult(L, 0, NULL);
}

/* -- lines iterators -- */

static int lines_step(lua_State *L) {
  luaL_Stream *p = (luaL_Stream *)lua_touserdata(L, lua_upvalueindex(1));
  int n = (int)lua_tointeger(L, lua_upvalueindex(2));
  if (is_closed(p))
    return luaL_error(L, "file is already closed");
  lua_settop(L, 1);
  luaL_checkstack(L, n, "too many arguments");
  for (int i = 1; i <= n; i++)
    lua_pushvalue(L, lua_upvalueindex(3 + i));
  n = read_formats(L, p->f, 2);
  if (lua_toboolean(L, -n))
    return n;
  if (n > 1) /* nil, message, errno: a read error */
    return luaL_error(L, "%s", lua_tostring(L, -n + 1));
  if (lua_toboolean(L, lua_upvalueindex(3))) { /* opened by io.lines */
    lua_settop(L, 0);
    lua_pushvalue(L, lua_upvalueindex(1));
    close_handle(L);
  }
  return 0;
}

/* Push an iterator over the file at index 1 with the formats at 2..top. */
static void push_lines_iterator(lua_State *L, int close_at_end) {
  int n = lua_gettop(L) - 1;
  luaL_argcheck(L, n <= MAX_LINES_FORMATS, MAX_LINES_FORMATS + 2,
                "too many arguments");
  lua_pushvalue(L, 1);
  lua_pushinteger(L, n);
  lua_pushboolean(L, close_at_end);
  lua_rotate(L, 2, 3); /* upvalues: file, n, close flag, formats... */
  lua_pushcclosure(L, lines_step, 3 + n);
}

/* -- io functions -- */

static int io_open(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  luaL_argcheck(L, valid_mode(mode), 2, "invalid mode");
  luaL_Stream *p = open_stream(L, name, mode);
  if (p->f == NULL) {
    p->closef = NULL;
    return luaL_fileresult(L, 0, name);
  }
  return 1;
}

static int io_popen(lua_State *L) {
  const char *cmd = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  luaL_argcheck(L, (mode[0] == 'r' || mode[0] == 'w') && mode[1] == '\0', 2,
                "invalid mode");
  luaL_Stream *p = new_stream(L);
  fflush(NULL);
  p->f = popen(cmd, mode);
  if (p->f == NULL)
    return luaL_fileresult(L, 0, cmd);
  p->closef = close_pipe;
  return 1;
}

static int io_tmpfile(lua_State *L) {
  luaL_Stream *p = new_stream(L);
  p->f = tmpfile();
  if (p->f == NULL)
    return luaL_fileresult(L, 0, NULL);
  p->closef = close_regular;
  return 1;
}

static int io_close(lua_State *L) {
  if (lua_isnone(L, 1))
    lua_getfield(L, LUA_REGISTRYINDEX, IO_OUTPUT);
  to_file(L);
  return close_handle(L);
}

static int io_type(lua_State *L) {
  luaL_checkany(L, 1);
  luaL_Stream *p = (luaL_Stream *)luaL_testudata(L, 1, LUA_FILEHANDLE);
  if (p == NULL)
    lua_pushnil(L);
  else if (is_closed(p))
    lua_pushliteral(L, "closed file");
  else
    lua_pushliteral(L, "file");
  return 1;
}

/* io.input / io.output: set the default from a name or a handle, then
 * return the current default. */
static int set_default(lua_State *L, const char *which, const char *mode) {
  if (!lua_isnoneornil(L, 1)) {
    const char *name = lua_tostring(L, 1);
    if (name != NULL) {
      open_or_fail(L, name, mode);
    } else {
      to_file(L);
      lua_pushvalue(L, 1);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, which);
  }
  lua_getfield(L, LUA_REGISTRYINDEX, which);
  return 1;
}

static int io_input(lua_State *L) { return set_default(L, IO_INPUT, "r"); }

static int io_output(lua_State *L) { return set_default(L, IO_OUTPUT, "w"); }

static int io_lines(lua_State *L) {
  if (lua_isnone(L, 1))
    lua_pushnil(L);
  int close_at_end;
  if (lua_isnil(L, 1)) {
    lua_getfield(L, LUA_REGISTRYINDEX, IO_INPUT);
    lua_replace(L, 1);
    to_file(L);
    close_at_end = 0;
  } else {
    const char *name = luaL_checkstring(L, 1);
    open_or_fail(L, name, "r");
    lua_replace(L, 1);
    close_at_end = 1;
  }
  push_lines_iterator(L, close_at_end);
  if (!close_at_end)
    return 1;
  /* for-loop state, control, and the file as to-be-closed value */
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, 1);
  return 4;
}

static int io_read(lua_State *L) {
  return read_formats(L, default_file(L, IO_INPUT), 1);
}

static int io_write(lua_State *L) {
  return write_values(L, default_file(L, IO_OUTPUT), 1);
}

static int io_flush(lua_State *L) {
  FILE *f = default_file(L, IO_OUTPUT);
  errno = 0;
  return luaL_fileresult(L, fflush(f) == 0, NULL);
}

/* -- File methods -- */

static int file_close(lua_State *L) {
  to_file(L);
  return close_handle(L);
}

static int file_read(lua_State *L) { return read_formats(L, to_file(L), 2); }

static int file_write(lua_State *L) {
  FILE *f = to_file(L);
  lua_pushvalue(L, 1); /* the result on success */
  return write_values(L, f, 2);
}

static int file_lines(lua_State *L) {
  to_file(L);
  push_lines_iterator(L, 0);
  return 1;
}

static int file_seek(lua_State *L) {
  static const int whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  static const char *const names[] = {"set", "cur", "end", NULL};
  FILE *f = to_file(L);
  int op = luaL_checkoption(L, 2, "cur", names);
  lua_Integer offset = luaL_optinteger(L, 3, 0);
  luaL_argcheck(L, (lua_Integer)(long)offset == offset, 3,
                "not an integer in proper range");
  if (fseek(f, (long)offset, whence[op]) != 0)
    return luaL_fileresult(L, 0, NULL);
  lua_pushinteger(L, (lua_Integer)ftell(f));
  return 1;
}

static int file_setvbuf(lua_State *L) {
  static const int modes[] = {_IONBF, _IOFBF, _IOLBF};
  static const char *const names[] = {"no", "full", "line", NULL};
  FILE *f = to_file(L);
  int op = luaL_checkoption(L, 2, NULL, names);
  lua_Integer size = luaL_optinteger(L, 3, LUAL_BUFFERSIZE);
  int ok = setvbuf(f, NULL, modes[op], (size_t)size) == 0;
  return luaL_fileresult(L, ok, NULL);
}

static int file_flush(lua_State *L) {
  FILE *f = to_file(L);
  errno = 0;
  return luaL_fileresult(L, fflush(f) == 0, NULL);
}

/* __gc and __close: close a handle still open, ignoring the outcome. */
static int file_gc(lua_State *L) {
  luaL_Stream *p = to_stream(L);
  if (!is_closed(p) && p->f != NULL)
    close_handle(L);
  return 0;
}

static int file_tostring(lua_State *L) {
  luaL_Stream *p = to_stream(L);
  if (is_closed(p))
    lua_pushliteral(L, "file (closed)");
  else
    lua_pushfstring(L, "file (%p)", (void *)p->f);
  return 1;
}

/* -- Registration -- */

static const luaL_Reg io_funcs[] = {
  {"close", io_close},
  {"flush", io_flush},
  {"input", io_input},
  {"lines", io_lines},
  {"open", io_open},
  {"output", io_output},
  {"popen", io_popen},
  {"read", io_read},
  {"tmpfile", io_tmpfile},
  {"type", io_type},
  {"write", io_write},
  {NULL, NULL}
};

static const luaL_Reg file_methods[] = {
  {"read", file_read},
  {"write", file_write},
  {"lines", file_lines},
  {"flush", file_flush},
  {"seek", file_seek},
  {"close", file_close},
  {"setvbuf", file_setvbuf},
  {NULL, NULL}
};

static const luaL_Reg file_metamethods[] = {
  {"__gc", file_gc},
  {"__close", file_gc},
  {"__tostring", file_tostring},
  {NULL, NULL}
};

static void create_file_metatable(lua_State *L) {
  luaL_newmetatable(L, LUA_FILEHANDLE); /* also sets __name */
  luaL_setfuncs(L, file_metamethods, 0);
  luaL_newlibtable(L, file_methods);
  luaL_setfuncs(L, file_methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

/* Create io.<field> for a standard stream; optionally make it a default. */
static void add_standard_stream(lua_State *L, FILE *f, const char *regkey,
                                const char *field) {
  luaL_Stream *p = new_stream(L);
  p->f = f;
  p->closef = close_standard;
  if (regkey != NULL) {
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, regkey);
  }
  lua_setfield(L, -2, field);
}

int luaopen_io(lua_State *L) {
  luaL_newlib(L, io_funcs);
  create_file_metatable(L);
  add_standard_stream(L, stdin, IO_INPUT, "stdin");
  add_standard_stream(L, stdout, IO_OUTPUT, "stdout");
  add_standard_stream(L, stderr, NULL, "stderr");
  return 1;
}
