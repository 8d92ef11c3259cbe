/*
 * utf8lib.c -- the Lua 5.4 utf8 library: char charpattern codepoint len
 * offset codes.
 *
 * Like lua5.4 it handles the original, extended UTF-8 (sequences of up to
 * six bytes, code points up to 2^31 - 1).  By default decoding is strict:
 * surrogates and code points above U+10FFFF are rejected; the "lax"
 * arguments accept them.  Overlong encodings are always rejected.
 */
#include "luaapi.h"

#include <limits.h>
#include <stdint.h>

#define UTF8_MAXCODE 0x7FFFFFFFu
#define UNICODE_MAX 0x10FFFFu

#define UTF8_PATTERN "[\0-\x7F\xC2-\xFD][\x80-\xBF]*"

static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Continuation test that treats the end of the string as a non-
 * continuation byte. */
static int continues_at(const char *s, size_t len, size_t i) {
  return i < len && is_continuation((unsigned char)s[i]);
}

/* Decode the sequence at s (reading no further than end).  Returns the
 * position after it and stores the code point, or NULL if invalid. */
static const char *decode(const char *s, const char *end, uint32_t *code,
                          int strict) {
  /* Smallest code point that needs 1..6 continuation bytes' length. */
  static const uint32_t minimum[] = {0, 0x80, 0x800, 0x10000u, 0x200000u,
                                     0x4000000u};
  unsigned char lead = (unsigned char)*s;
  uint32_t value;
  if (lead < 0x80) {
    value = lead;
  } else {
    int extra = 0;
    value = 0;
    /* Each 1 bit after the leading one announces a continuation byte. */
    for (unsigned int c = lead; c & 0x40; c <<= 1) {
      extra++;
      if (extra > 5 || s + extra >= end ||
          !is_continuation((unsigned char)s[extra]))
        return NULL;
      value = (value << 6) | ((unsigned char)s[extra] & 0x3Fu);
    }
    if (extra == 0)
      return NULL; /* a stray continuation byte */
    /* The lead byte's payload bits sit above the continuation bits. */
    uint32_t payload = lead & (0x3Fu >> extra);
    value |= payload << (6 * extra);
    if (value > UTF8_MAXCODE || value < minimum[extra])
      return NULL;
    s += extra;
  }
  if (strict && (value > UNICODE_MAX || (value >= 0xD800u && value <= 0xDFFFu)))
    return NULL;
  *code = value;
  return s + 1;
}

/* A position: negative counts from the end (-1 is the last byte). */
static lua_Integer relative_position(lua_Integer pos, size_t len) {
  if (pos >= 0)
    return pos;
  if (0u - (lua_Unsigned)pos > len)
    return 0;
  return (lua_Integer)len + pos + 1;
}

static int utf8_len(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer i = relative_position(luaL_optinteger(L, 2, 1), len);
  lua_Integer j = relative_position(luaL_optinteger(L, 3, -1), len);
  int lax = lua_toboolean(L, 4);
  luaL_argcheck(L, 1 <= i && --i <= (lua_Integer)len, 2,
                "initial position out of bounds");
  luaL_argcheck(L, --j < (lua_Integer)len, 3, "final position out of bounds");
  lua_Integer n = 0;
  while (i <= j) {
    uint32_t code;
    const char *next = decode(s + i, s + len, &code, !lax);
    if (next == NULL) { /* fail, and where */
      lua_pushnil(L);
      lua_pushinteger(L, i + 1);
      return 2;
    }
    i = next - s;
    n++;
  }
  lua_pushinteger(L, n);
  return 1;
}

static int utf8_codepoint(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer first = relative_position(luaL_optinteger(L, 2, 1), len);
  lua_Integer last = relative_position(luaL_optinteger(L, 3, first), len);
  int lax = lua_toboolean(L, 4);
  luaL_argcheck(L, first >= 1, 2, "out of bounds");
  luaL_argcheck(L, last <= (lua_Integer)len, 3, "out of bounds");
  if (first > last)
    return 0;
  if (last - first >= INT_MAX)
    return luaL_error(L, "string slice too long");
  int n = 0;
  luaL_checkstack(L, (int)(last - first) + 1, "string slice too long");
  const char *end = s + last;
  for (const char *p = s + first - 1; p < end;) {
    uint32_t code;
    p = decode(p, s + len, &code, !lax);
    if (p == NULL)
      return luaL_error(L, "invalid UTF-8 code");
    lua_pushinteger(L, (lua_Integer)code);
    n++;
  }
  return n;
}

/* Append the UTF-8 encoding of code (<= UTF8_MAXCODE) to b. */
static void add_encoded(luaL_Buffer *b, uint32_t code) {
  char out[8];
  int n = 0;
  if (code < 0x80) {
    luaL_addchar(b, (char)code);
    return;
  }
  /* Fill continuation bytes from the end while the rest does not fit in
   * the lead byte (which holds fewer bits the longer the sequence). */
  uint32_t lead_room = 0x3F;
  while (code > lead_room) {
    out[7 - n] = (char)(0x80 | (code & 0x3F));
    n++;
    code >>= 6;
    lead_room >>= 1;
  }
  out[7 - n] = (char)((~lead_room << 1) | code);
  luaL_addlstring(b, out + 7 - n, (size_t)n + 1);
}

static int utf8_char(lua_State *L) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    lua_Unsigned code = (lua_Unsigned)luaL_checkinteger(L, i);
    luaL_argcheck(L, code <= UTF8_MAXCODE, i, "value out of range");
    add_encoded(&b, (uint32_t)code);
  }
  luaL_pushresult(&b);
  return 1;
}

static int utf8_offset(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  lua_Integer def = (n >= 0) ? 1 : (lua_Integer)len + 1;
  lua_Integer pos = relative_position(luaL_optinteger(L, 3, def), len);
  luaL_argcheck(L, 1 <= pos && --pos <= (lua_Integer)len, 3,
                "position out of bounds");
  if (n == 0) { /* start of the character containing pos */
    while (pos > 0 && continues_at(s, len, (size_t)pos))
      pos--;
  } else {
    if (continues_at(s, len, (size_t)pos))
      return luaL_error(L, "initial position is a continuation byte");
    if (n < 0) {
      while (n < 0 && pos > 0) {
        do {
          pos--;
        } while (pos > 0 && continues_at(s, len, (size_t)pos));
        n++;
      }
    } else {
      n--; /* the character at pos is the first */
      while (n > 0 && pos < (lua_Integer)len) {
        do {
          pos++;
        } while (continues_at(s, len, (size_t)pos));
        n--;
      }
    }
  }
  if (n == 0)
    lua_pushinteger(L, pos + 1);
  else
    lua_pushnil(L);
  return 1;
}

static int codes_step(lua_State *L, int strict) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Unsigned i = (lua_Unsigned)lua_tointeger(L, 2);
  /* The control value is the 1-based position of the previous character,
   * i.e. the 0-based index just after its lead byte. */
  while (i < len && is_continuation((unsigned char)s[i]))
    i++;
  if (i >= len)
    return 0;
  uint32_t code;
  const char *next = decode(s + i, s + len, &code, strict);
  if (next == NULL) /* stray continuation bytes after it are skipped */
    return luaL_error(L, "invalid UTF-8 code");
  lua_pushinteger(L, (lua_Integer)i + 1);
  lua_pushinteger(L, (lua_Integer)code);
  return 2;
}

static int codes_step_strict(lua_State *L) { return codes_step(L, 1); }

static int codes_step_lax(lua_State *L) { return codes_step(L, 0); }

static int utf8_codes(lua_State *L) {
  int lax = lua_toboolean(L, 2);
  luaL_checkstring(L, 1);
  lua_pushcfunction(L, lax ? codes_step_lax : codes_step_strict);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

static const luaL_Reg utf8_funcs[] = {
  {"char", utf8_char},
  {"codepoint", utf8_codepoint},
  {"codes", utf8_codes},
  {"len", utf8_len},
  {"offset", utf8_offset},
  {NULL, NULL}
};

int luaopen_utf8(lua_State *L) {
  luaL_newlib(L, utf8_funcs);
  lua_pushlstring(L, UTF8_PATTERN, sizeof(UTF8_PATTERN) - 1);
  lua_setfield(L, -2, "charpattern");
  return 1;
}
