/*
 * strlib.c -- the Lua 5.4 string library: len sub byte char rep reverse
 * upper lower format find match gmatch gsub pack packsize unpack.
 *
 * Pattern matching lives in lpattern.c and the lua_State-free parts of
 * format in lformat.c; binary packing in strpack.c.  This file is the glue
 * that reads arguments, raises errors with lua5.4's wording and pushes
 * results.  Positions follow lua5.4: negative positions count from the end,
 * out-of-range ones are clamped, never an error.
 */
#include "luaapi.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lformat.h"
#include "lpattern.h"
#include "strpack.h"
#include "trace/trace.h"

/* Longest string these functions build (as lua5.4: it fits in an int). */
#define STR_MAXSIZE ((size_t)INT_MAX)

/* -- Positions -- */

/* A start position: negative counts from the end, clamped to [1, ...]. */
static size_t start_position(lua_Integer pos, size_t len) {
  if (pos > 0)
    return (size_t)pos;
  if (pos == 0)
    return 1;
  if (pos < -(lua_Integer)len)
    return 1;
  return len + (size_t)pos + 1;
}

/* An end position from argument arg (default def), clamped to [0, len]. */
static size_t end_position(lua_State *L, int arg, lua_Integer def,
                           size_t len) {
  lua_Integer pos = luaL_optinteger(L, arg, def);
  if (pos > (lua_Integer)len)
    return len;
  if (pos >= 0)
    return (size_t)pos;
  if (pos < -(lua_Integer)len)
    return 0;
  return len + (size_t)pos + 1;
}

/* -- Simple functions -- */

static int str_len(lua_State *L) {
  size_t len;
  luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, (lua_Integer)len);
  return 1;
}

static int str_sub(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  size_t first = start_position(luaL_checkinteger(L, 2), len);
  size_t last = end_position(L, 3, -1, len);
  if (first <= last)
    lua_pushlstring(L, s + first - 1, last - first + 1);
  else
    lua_pushliteral(L, "");
  return 1;
}

static int str_reverse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, len);
  for (size_t i = 0; i < len; i++)
    out[i] = s[len - 1 - i];
  luaL_pushresultsize(&b, len);
  return 1;
}

static int str_lower(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, len);
  for (size_t i = 0; i < len; i++)
    out[i] = (char)tolower((unsigned char)s[i]);
  luaL_pushresultsize(&b, len);
  return 1;
}

static int str_upper(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, len);
  for (size_t i = 0; i < len; i++)
    out[i] = (char)toupper((unsigned char)s[i]);
  luaL_pushresultsize(&b, len);
  return 1;
}

/* -- string.dump -- */

typedef struct DumpBuffer {
  luaL_Buffer b;
  int init; /* the buffer is opened at the first write: the function stays on top for lua_dump */
} DumpBuffer;

static int dumpwriter(lua_State *L, const void *p, size_t size, void *ud) {
  DumpBuffer *db = (DumpBuffer *)ud;
  if (!db->init) {
    db->init = 1;
    luaL_buffinit(L, &db->b);
  }
  luaL_addlstring(&db->b, (const char *)p, size);
  return 0;
}

static int str_dump(lua_State *L) {
  DumpBuffer db;
  int strip = lua_toboolean(L, 2);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  db.init = 0;
  if (lua_dump(L, dumpwriter, &db, strip) != 0) return luaL_error(L, "unable to dump given function");
  luaL_pushresult(&db.b);
  return 1;
}

static int str_rep(lua_State *L) {
  size_t len, seplen;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *sep = luaL_optlstring(L, 3, "", &seplen);
  if (n <= 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  if (len + seplen < len || len + seplen > STR_MAXSIZE / (size_t)n)
    return luaL_error(L, "resulting string too large");
  size_t total = (size_t)n * len + (size_t)(n - 1) * seplen;
  if (total == 0) { /* "" repeated: no need to loop n times */
    lua_pushliteral(L, "");
    return 1;
  }
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, total);
  for (lua_Integer i = 0; i < n; i++) {
    memcpy(out, s, len);
    out += len;
    if (i + 1 < n && seplen > 0) {
      memcpy(out, sep, seplen);
      out += seplen;
    }
  }
  luaL_pushresultsize(&b, total);
  return 1;
}

static int str_byte(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer pi = luaL_optinteger(L, 2, 1);
  size_t first = start_position(pi, len);
  size_t last = end_position(L, 3, pi, len); /* default: pi unclamped */
  if (first > last)
    return 0;
  if (last - first >= (size_t)INT_MAX)
    return luaL_error(L, "string slice too long");
  int n = (int)(last - first) + 1;
  luaL_checkstack(L, n, "string slice too long");
  for (int i = 0; i < n; i++)
    lua_pushinteger(L, (unsigned char)s[first + (size_t)i - 1]);
  return n;
}

static int str_char(lua_State *L) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, (size_t)n);
  for (int i = 1; i <= n; i++) {
    lua_Unsigned c = (lua_Unsigned)luaL_checkinteger(L, i);
    luaL_argcheck(L, c <= (lua_Unsigned)UCHAR_MAX, i, "value out of range");
    out[i - 1] = (char)(unsigned char)c;
  }
  luaL_pushresultsize(&b, (size_t)n);
  return 1;
}

/* -- Pattern matching glue -- */

static int raise_pattern_error(lua_State *L, LPatState *ms) {
  return luaL_error(L, "%s", lpat_errmsg(ms));
}

static void push_capture(lua_State *L, LPatState *ms, int i, const char *s,
                         const char *e) {
  LPatValue v = lpat_get_capture(ms, i, s, e);
  switch (v.kind) {
  case LPAT_CAPTURE_STRING: lua_pushlstring(L, v.ptr, v.len); break;
  case LPAT_CAPTURE_POSITION: lua_pushinteger(L, (lua_Integer)v.position); break;
  case LPAT_CAPTURE_ERROR: raise_pattern_error(L, ms); break;
  }
}

/* Push the captures of match [s, e); s == NULL means "captures only, no
 * whole-match fallback" (used by find). */
static int push_captures(lua_State *L, LPatState *ms, const char *s,
                         const char *e) {
  int n = lpat_capture_count(ms, s != NULL);
  luaL_checkstack(L, n, "too many captures");
  for (int i = 0; i < n; i++)
    push_capture(L, ms, i, s, e);
  return n;
}

static int find_or_match(lua_State *L, int find) {
  size_t len, plen;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *p = luaL_checklstring(L, 2, &plen);
  size_t init = start_position(luaL_optinteger(L, 3, 1), len) - 1;
  if (init > len) {
    lua_pushnil(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || !lpat_has_specials(p, plen))) {
    const char *hit = lpat_find_plain(s + init, len - init, p, plen);
    if (hit != NULL) {
      lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
      lua_pushinteger(L, (lua_Integer)(hit - s + (ptrdiff_t)plen));
      return 2;
    }
  } else {
    int anchored = plen > 0 && *p == '^';
    if (anchored) {
      p++;
      plen--;
    }
    LPatState ms;
    lpat_init(&ms, s, len, p, plen);
    const char *start = s + init;
    for (;;) {
      if (!anchored)
        start = lpat_next_candidate(&ms, start);
      const char *e = lpat_exec(&ms, start, p);
      if (ms.error != LPAT_OK)
        return raise_pattern_error(L, &ms);
      if (e != NULL) {
        if (find) {
          lua_pushinteger(L, (lua_Integer)(start - s) + 1);
          lua_pushinteger(L, (lua_Integer)(e - s));
          return push_captures(L, &ms, NULL, NULL) + 2;
        }
        return push_captures(L, &ms, start, e);
      }
      if (anchored || start >= ms.src_end)
        break;
      start++;
    }
  }
  lua_pushnil(L);
  return 1;
}

static int str_find(lua_State *L) { return find_or_match(L, 1); }

static int str_match(lua_State *L) { return find_or_match(L, 0); }

/* State of one gmatch iteration, kept in a userdata upvalue. */
typedef struct GMatch {
  const char *src;       /* where the next search starts */
  const char *p;         /* the pattern */
  const char *lastmatch; /* end of the previous match (no empty rematch) */
  LPatState ms;
} GMatch;

static int gmatch_step(lua_State *L) {
  GMatch *gm = (GMatch *)lua_touserdata(L, lua_upvalueindex(3));
  for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
    src = lpat_next_candidate(&gm->ms, src);
    const char *e = lpat_exec(&gm->ms, src, gm->p);
    if (gm->ms.error != LPAT_OK)
      return raise_pattern_error(L, &gm->ms);
    if (e != NULL && e != gm->lastmatch) {
      gm->src = gm->lastmatch = e;
      return push_captures(L, &gm->ms, src, e);
    }
  }
  return 0;
}

static int str_gmatch(lua_State *L) {
  size_t len, plen;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *p = luaL_checklstring(L, 2, &plen);
  size_t init = start_position(luaL_optinteger(L, 3, 1), len) - 1;
  if (init > len)
    init = len + 1; /* start after the end: no matches */
  lua_settop(L, 2); /* keep the strings alive as upvalues */
  GMatch *gm = (GMatch *)lua_newuserdatauv(L, sizeof(GMatch), 0);
  lpat_init(&gm->ms, s, len, p, plen);
  gm->src = s + init;
  gm->p = p;
  gm->lastmatch = NULL;
  lua_pushcclosure(L, gmatch_step, 3);
  return 1;
}

/* Append the replacement string (argument 3) for match [s, e). */
static void add_replacement_string(lua_State *L, luaL_Buffer *b,
                                   LPatState *ms, const char *s,
                                   const char *e) {
  size_t len;
  const char *r = lua_tolstring(L, 3, &len);
  const char *end = r + len;
  const char *esc;
  while ((esc = memchr(r, '%', (size_t)(end - r))) != NULL) {
    luaL_addlstring(b, r, (size_t)(esc - r));
    esc++; /* skip '%' */
    char c = (esc < end) ? *esc : '\0';
    if (c == '%') {
      luaL_addchar(b, '%');
    } else if (c == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (isdigit((unsigned char)c)) {
      LPatValue v = lpat_get_capture(ms, c - '1', s, e);
      if (v.kind == LPAT_CAPTURE_ERROR) {
        raise_pattern_error(L, ms);
      } else if (v.kind == LPAT_CAPTURE_POSITION) {
        lua_pushinteger(L, (lua_Integer)v.position);
        luaL_addvalue(b);
      } else {
        luaL_addlstring(b, v.ptr, v.len);
      }
    } else {
      luaL_error(L, "invalid use of '%c' in replacement string", '%');
    }
    r = esc + 1;
  }
  luaL_addlstring(b, r, (size_t)(end - r));
}

/* Append the replacement for match [s, e); returns 1 if the text changed. */
static int add_replacement(lua_State *L, luaL_Buffer *b, LPatState *ms,
                           const char *s, const char *e, int kind) {
  if (kind == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(L, ms, s, e);
    lua_call(L, n, 1);
  } else if (kind == LUA_TTABLE) {
    push_capture(L, ms, 0, s, e);
    lua_gettable(L, 3);
  } else {
    add_replacement_string(L, b, ms, s, e);
    return 1;
  }
  if (!lua_toboolean(L, -1)) { /* nil or false: keep the original text */
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return 0;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)",
                      luaL_typename(L, -1));
  luaL_addvalue(b);
  return 1;
}

static int str_gsub(lua_State *L) {
  size_t len, plen;
  const char *src = luaL_checklstring(L, 1, &len);
  const char *p = luaL_checklstring(L, 2, &plen);
  int kind = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)len + 1);
  luaL_argexpected(L,
                   kind == LUA_TNUMBER || kind == LUA_TSTRING ||
                       kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                   3, "string/function/table");
  int anchored = plen > 0 && *p == '^';
  if (anchored) {
    p++;
    plen--;
  }
  LPatState ms;
  lpat_init(&ms, src, len, p, plen);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  const char *lastmatch = NULL;
  lua_Integer n = 0;
  int changed = 0;
  while (n < max_n) {
    if (!anchored) { /* copy the stretch where no match can begin */
      const char *next = lpat_next_candidate(&ms, src);
      luaL_addlstring(&b, src, (size_t)(next - src));
      src = next;
    }
    const char *e = lpat_exec(&ms, src, p);
    if (ms.error != LPAT_OK)
      return raise_pattern_error(L, &ms);
    if (e != NULL && e != lastmatch) {
      n++;
      changed |= add_replacement(L, &b, &ms, src, e, kind);
      src = lastmatch = e;
    } else if (src < ms.src_end) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchored)
      break;
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

/* -- format -- */

/* Flags each group of conversions accepts (as lua5.4). */
#define FLAGS_FLOAT "-+ #0"
#define FLAGS_HEX "-#0"
#define FLAGS_INT "-+ 0"
#define FLAGS_UNSIGNED "-0"
#define FLAGS_CHAR "-"

/* Room for any single formatted number: '%99.99f' of the largest double
 * has 309 integer digits, a point and 99 decimals. */
#define FORMAT_ITEMSIZE 512

static void check_spec(lua_State *L, const LFmtSpec *spec, const char *flags,
                       int with_precision) {
  if (!lfmt_spec_valid(spec, flags, with_precision))
    luaL_error(L, "invalid conversion specification: '%s'", spec->form);
}

static void add_quoted_string(luaL_Buffer *b, const char *s, size_t len) {
  luaL_addchar(b, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\' || c == '\n') {
      luaL_addchar(b, '\\');
      luaL_addchar(b, (char)c);
    } else if (iscntrl(c)) {
      char esc[8];
      /* Pad to three digits when a digit follows, so it is not absorbed. */
      int digit_next = i + 1 < len && isdigit((unsigned char)s[i + 1]);
      snprintf(esc, sizeof esc, digit_next ? "\\%03d" : "\\%d", (int)c);
      luaL_addstring(b, esc);
    } else {
      luaL_addchar(b, (char)c);
    }
  }
  luaL_addchar(b, '"');
}

static void add_literal(lua_State *L, luaL_Buffer *b, int arg) {
  char item[64];
  switch (lua_type(L, arg)) {
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, arg, &len);
    add_quoted_string(b, s, len);
    break;
  }
  case LUA_TNUMBER: {
    int n = lua_isinteger(L, arg)
                ? lfmt_quote_integer(item, sizeof item, lua_tointeger(L, arg))
                : lfmt_quote_float(item, sizeof item, lua_tonumber(L, arg));
    luaL_addlstring(b, item, (size_t)n);
    break;
  }
  case LUA_TNIL:
  case LUA_TBOOLEAN:
    luaL_tolstring(L, arg, NULL);
    luaL_addvalue(b);
    break;
  default:
    luaL_argerror(L, arg, "value has no literal form");
  }
}

static void add_formatted_string(lua_State *L, luaL_Buffer *b, int arg,
                                 LFmtSpec *spec) {
  size_t len;
  const char *s = luaL_tolstring(L, arg, &len);
  if (spec->modlen == 0) { /* no modifiers: the whole string as is */
    luaL_addvalue(b);
    return;
  }
  luaL_argcheck(L, len == strlen(s), arg, "string contains zeros");
  check_spec(L, spec, FLAGS_CHAR, 1);
  if (strchr(spec->form, '.') == NULL && len >= 100) {
    luaL_addvalue(b); /* any width is narrower than the string */
    return;
  }
  char item[FORMAT_ITEMSIZE];
  int n = snprintf(item, sizeof item, spec->form, s);
  lua_pop(L, 1);
  luaL_addlstring(b, item, (size_t)n);
}

static int str_format(lua_State *L) {
  int top = lua_gettop(L);
  size_t flen;
  const char *fmt = luaL_checklstring(L, 1, &flen);
  const char *fend = fmt + flen;
  int arg = 1;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (fmt < fend) {
    if (*fmt != '%') { /* copy the text up to the next '%' at once */
      const char *pct = memchr(fmt, '%', (size_t)(fend - fmt));
      if (pct == NULL)
        pct = fend;
      luaL_addlstring(&b, fmt, (size_t)(pct - fmt));
      fmt = pct;
      continue;
    }
    fmt++;
    if (fmt < fend && *fmt == '%') {
      luaL_addchar(&b, '%');
      fmt++;
      continue;
    }
    if (++arg > top)
      return luaL_argerror(L, arg, "no value");
    LFmtSpec spec;
    if (lfmt_scan(fmt, fend, &spec, &fmt) != LFMT_OK)
      return luaL_error(L, "invalid format (too long)");
    char item[FORMAT_ITEMSIZE];
    int n = 0;
    switch (spec.conv) {
    case 'c':
      check_spec(L, &spec, FLAGS_CHAR, 0);
      n = snprintf(item, sizeof item, spec.form,
                   (int)luaL_checkinteger(L, arg));
      break;
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
      lua_Integer v = luaL_checkinteger(L, arg);
      if (spec.modlen == 0 && (spec.conv == 'd' || spec.conv == 'i')) {
        n = lfmt_integer(item, (long long)v); /* plain "%d": no printf */
        break;
      }
      const char *flags = FLAGS_HEX;
      if (spec.conv == 'd' || spec.conv == 'i')
        flags = FLAGS_INT;
      else if (spec.conv == 'u')
        flags = FLAGS_UNSIGNED;
      check_spec(L, &spec, flags, 1);
      lfmt_add_length(&spec, "ll");
      n = snprintf(item, sizeof item, spec.form, (long long)v);
      break;
    }
    case 'a':
    case 'A':
      check_spec(L, &spec, FLAGS_FLOAT, 1);
      n = snprintf(item, sizeof item, spec.form,
                   (double)luaL_checknumber(L, arg));
      break;
    /* No 'F': lua5.4 rejects it ("invalid conversion '%F' to 'format'"). */
    case 'f':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      double v = (double)luaL_checknumber(L, arg);
      check_spec(L, &spec, FLAGS_FLOAT, 1);
      n = -1;
      if (spec.modlen == 0 && spec.conv == 'g')
        n = lfmt_g_fast(item, v, 6); /* plain "%g": most numbers, quickly */
      if (n < 0)
        n = snprintf(item, sizeof item, spec.form, v);
      break;
    }
    case 'p': {
      const void *ptr = lua_topointer(L, arg);
      check_spec(L, &spec, FLAGS_CHAR, 0);
      if (ptr == NULL) {
        spec.form[strlen(spec.form) - 1] = 's';
        n = snprintf(item, sizeof item, spec.form, "(null)");
      } else {
        n = snprintf(item, sizeof item, spec.form, ptr);
      }
      break;
    }
    case 'q':
      if (spec.modlen != 0)
        return luaL_error(L, "specifier '%%q' cannot have modifiers");
      add_literal(L, &b, arg);
      break;
    case 's':
      add_formatted_string(L, &b, arg, &spec);
      break;
    default:
      return luaL_error(L, "invalid conversion '%s' to 'format'", spec.form);
    }
    if (n > 0)
      luaL_addlstring(&b, item, (size_t)n < sizeof item ? (size_t)n
                                                         : sizeof item - 1);
  }
  luaL_pushresult(&b);
  return 1;
}

/* -- Registration -- */

static const luaL_Reg string_funcs[] = {
  {"byte", str_byte},
  {"char", str_char},
  {"find", str_find},
  {"format", str_format},
  {"gmatch", str_gmatch},
  {"gsub", str_gsub},
  {"len", str_len},
  {"lower", str_lower},
  {"match", str_match},
  {"rep", str_rep},
  {"dump", str_dump},
  {"reverse", str_reverse},
  {"sub", str_sub},
  {"upper", str_upper},
  {"pack", strpack_pack},
  {"packsize", strpack_packsize},
  {"unpack", strpack_unpack},
  {NULL, NULL}
};

int luaopen_string(lua_State *L) {
  luaL_newlib(L, string_funcs);
  return 1;
}

/* The trace recorder does these calls with its own string operations
 * (runtime/trace/helpers_str.c), guarded by the function's identity. */
JitStrOp jit_str_builtin(lua_CFunction f) {
  if (f == str_len) return STRH_LEN;
  if (f == str_sub) return STRH_SUB;
  if (f == str_byte) return STRH_BYTE;
  if (f == str_char) return STRH_CHAR;
  if (f == str_rep) return STRH_REP;
  return STRH_NONE;
}
