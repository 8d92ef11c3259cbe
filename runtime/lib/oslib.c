/*
 * oslib.c -- the Lua 5.4 os library: clock date difftime execute exit
 * getenv remove rename setlocale time tmpname.
 *
 * os.date accepts exactly the strftime conversions lua5.4 accepts (C99 and
 * POSIX, including the %E and %O modifiers) and rejects anything else with
 * lua5.4's message, which quotes the rest of the format.  os.time
 * normalizes the table it is given, as lua5.4 does.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkstemp, gmtime_r, localtime_r */
#endif

#include "luaapi.h"
#include "lformat.h"
#include "lpattern.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Room for one strftime conversion. */
#define DATE_ITEMSIZE 250

/* -- Dates and times -- */

/* Conversions accepted after '%': one-character ones, then the two-character
 * %E and %O forms. */
static const char date_single[] = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
static const char *const date_double[] = {
  "Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI", "Om", "OM",
  "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy", NULL
};

/* Copy the conversion at conv (after '%') into spec as "%X" or "%EX";
 * return the position after it, or raise lua5.4's error. */
static const char *date_conversion(lua_State *L, const char *conv,
                                   size_t left, char *spec) {
  spec[0] = '%';
  if (left >= 1 && *conv != '\0' && strchr(date_single, *conv) != NULL) {
    spec[1] = *conv;
    spec[2] = '\0';
    return conv + 1;
  }
  if (left >= 2) {
    for (const char *const *d = date_double; *d != NULL; d++) {
      if (conv[0] == (*d)[0] && conv[1] == (*d)[1]) {
        spec[1] = conv[0];
        spec[2] = conv[1];
        spec[3] = '\0';
        return conv + 2;
      }
    }
  }
  luaL_argerror(L, 1,
                lua_pushfstring(L, "invalid conversion specifier '%%%s'", conv));
  return conv;
}

static time_t check_time(lua_State *L, int arg) {
  lua_Integer t = luaL_checkinteger(L, arg);
  luaL_argcheck(L, (lua_Integer)(time_t)t == t, arg, "time out of bounds");
  return (time_t)t;
}

static void set_int_field(lua_State *L, const char *key, int value,
                          int delta) {
  lua_pushinteger(L, (lua_Integer)value + delta);
  lua_setfield(L, -2, key);
}

static void set_date_fields(lua_State *L, const struct tm *tm) {
  set_int_field(L, "year", tm->tm_year, 1900);
  set_int_field(L, "month", tm->tm_mon, 1);
  set_int_field(L, "day", tm->tm_mday, 0);
  set_int_field(L, "hour", tm->tm_hour, 0);
  set_int_field(L, "min", tm->tm_min, 0);
  set_int_field(L, "sec", tm->tm_sec, 0);
  set_int_field(L, "yday", tm->tm_yday, 1);
  set_int_field(L, "wday", tm->tm_wday, 1);
  if (tm->tm_isdst >= 0) { /* negative: unknown, so no field */
    lua_pushboolean(L, tm->tm_isdst);
    lua_setfield(L, -2, "isdst");
  }
}

/* Field key of the table on top as a C int minus delta; def < 0 means the
 * field is required. */
static int get_int_field(lua_State *L, const char *key, int def, int delta) {
  int type = lua_getfield(L, -1, key);
  int isint;
  lua_Integer v = lua_tointegerx(L, -1, &isint);
  if (!isint) {
    if (type != LUA_TNIL)
      return luaL_error(L, "field '%s' is not an integer", key);
    if (def < 0)
      return luaL_error(L, "field '%s' missing in date table", key);
    v = def;
  } else {
    int fits = v >= 0 ? v - delta <= INT_MAX : INT_MIN + delta <= v;
    if (!fits)
      return luaL_error(L, "field '%s' is out-of-bound", key);
    v -= delta;
  }
  lua_pop(L, 1);
  return (int)v;
}

static int get_bool_field(lua_State *L, const char *key) {
  int v = lua_getfield(L, -1, key) == LUA_TNIL ? -1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

static int os_date(lua_State *L) {
  size_t len;
  const char *s = luaL_optlstring(L, 1, "%c", &len);
  const char *end = s + len;
  time_t t = lua_isnoneornil(L, 2) ? time(NULL) : check_time(L, 2);
  struct tm storage;
  struct tm *tm;
  if (*s == '!') {
    tm = gmtime_r(&t, &storage);
    s++;
  } else {
    tm = localtime_r(&t, &storage);
  }
  if (tm == NULL)
    return luaL_error(L,
        "date result cannot be represented in this installation");
  if (strcmp(s, "*t") == 0) {
    lua_createtable(L, 0, 9);
    set_date_fields(L, tm);
    return 1;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (s < end) {
    if (*s != '%') {
      luaL_addchar(&b, *s++);
      continue;
    }
    char spec[4];
    s = date_conversion(L, s + 1, (size_t)(end - s - 1), spec);
    char *out = luaL_prepbuffsize(&b, DATE_ITEMSIZE);
    luaL_addsize(&b, strftime(out, DATE_ITEMSIZE, spec, tm));
  }
  luaL_pushresult(&b);
  return 1;
}

static int os_time(lua_State *L) {
  time_t t;
  if (lua_isnoneornil(L, 1)) {
    t = time(NULL);
  } else {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    tm.tm_year = get_int_field(L, "year", -1, 1900);
    tm.tm_mon = get_int_field(L, "month", -1, 1);
    tm.tm_mday = get_int_field(L, "day", -1, 0);
    tm.tm_hour = get_int_field(L, "hour", 12, 0);
    tm.tm_min = get_int_field(L, "min", 0, 0);
    tm.tm_sec = get_int_field(L, "sec", 0, 0);
    tm.tm_isdst = get_bool_field(L, "isdst");
    t = mktime(&tm);
    set_date_fields(L, &tm); /* write back the normalized date */
  }
  if (t == (time_t)-1)
    return luaL_error(L,
        "time result cannot be represented in this installation");
  lua_pushinteger(L, (lua_Integer)t);
  return 1;
}

static int os_difftime(lua_State *L) {
  time_t t1 = check_time(L, 1);
  time_t t2 = check_time(L, 2);
  lua_pushnumber(L, (lua_Number)difftime(t1, t2));
  return 1;
}

static int os_clock(lua_State *L) {
  lua_pushnumber(L, (lua_Number)clock() / (lua_Number)CLOCKS_PER_SEC);
  return 1;
}

/* -- Files, environment, processes -- */

static int os_getenv(lua_State *L) {
  lua_pushstring(L, getenv(luaL_checkstring(L, 1)));
  return 1;
}

static int os_remove(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  return luaL_fileresult(L, remove(name) == 0, name);
}

static int os_rename(lua_State *L) {
  const char *from = luaL_checkstring(L, 1);
  const char *to = luaL_checkstring(L, 2);
  return luaL_fileresult(L, rename(from, to) == 0, NULL);
}

static int os_tmpname(lua_State *L) {
  char name[32];
  strcpy(name, "/tmp/lua_XXXXXX");
  int fd = mkstemp(name);
  if (fd == -1)
    return luaL_error(L, "unable to generate a unique filename");
  close(fd);
  lua_pushstring(L, name);
  return 1;
}

static int os_execute(lua_State *L) {
  const char *cmd = luaL_optstring(L, 1, NULL);
  errno = 0;
  int status = system(cmd);
  if (cmd == NULL) {
    lua_pushboolean(L, status);
    return 1;
  }
  return luaL_execresult(L, status);
}

static int os_setlocale(lua_State *L) {
  static const int categories[] = {LC_ALL, LC_COLLATE, LC_CTYPE,
                                   LC_MONETARY, LC_NUMERIC, LC_TIME};
  static const char *const names[] = {"all", "collate", "ctype", "monetary",
                                      "numeric", "time", NULL};
  const char *locale = luaL_optstring(L, 1, NULL);
  int op = luaL_checkoption(L, 2, "all", names);
  const char *set = setlocale(categories[op], locale);
  if (set && locale) {
    lpat_locale_changed(); /* pattern classes follow LC_CTYPE */
    lfmt_locale_changed(); /* number formatting follows LC_NUMERIC */
  }
  lua_pushstring(L, set);
  return 1;
}

/* exit() flushes and closes the C streams, so buffered io.write output is
 * not lost; with a true second argument the Lua state is closed first (its
 * to-be-closed variables and finalizers run). */
static int os_exit(lua_State *L) {
  int status;
  if (lua_isboolean(L, 1))
    status = lua_toboolean(L, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
  else
    status = (int)luaL_optinteger(L, 1, EXIT_SUCCESS);
  if (lua_toboolean(L, 2))
    lua_close(L);
  exit(status);
}

/* -- Registration -- */

static const luaL_Reg os_funcs[] = {
  {"clock", os_clock},
  {"date", os_date},
  {"difftime", os_difftime},
  {"execute", os_execute},
  {"exit", os_exit},
  {"getenv", os_getenv},
  {"remove", os_remove},
  {"rename", os_rename},
  {"setlocale", os_setlocale},
  {"time", os_time},
  {"tmpname", os_tmpname},
  {NULL, NULL}
};

int luaopen_os(lua_State *L) {
  luaL_newlib(L, os_funcs);
  return 1;
}
