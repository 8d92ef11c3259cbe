/*
 * strpack.c -- binary packing for the string library: string.pack,
 * string.packsize, string.unpack with lua5.4's format language.
 *
 * A format is read one option at a time.  Each option has a kind (signed or
 * unsigned integer, float, fixed or length-prefixed or zero-terminated
 * string, padding, alignment, or a setting such as endianness) and a size.
 * Alignment only happens after '!' sets a maximum alignment; an item is
 * then aligned to min(its size, that maximum), which must be a power of 2.
 * Integers of up to 16 bytes are supported: bytes beyond the 8 of a Lua
 * integer are sign (or zero) extension, checked on unpack.
 */
#include "strpack.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Largest size of an integer option ("i16"). */
#define PACK_MAXINTSIZE 16

/* Bytes in a lua_Integer. */
#define PACK_INTSIZE ((int)sizeof(lua_Integer))

/* Longest result these functions build (as the rest of strlib.c). */
#define PACK_MAXSIZE ((size_t)INT_MAX)

typedef enum PackKind {
  PACK_INT,       /* signed integer */
  PACK_UINT,      /* unsigned integer */
  PACK_FLOAT,     /* C float */
  PACK_NUMBER,    /* lua_Number */
  PACK_DOUBLE,    /* C double */
  PACK_CHARS,     /* fixed-size string */
  PACK_STRING,    /* string preceded by its length */
  PACK_ZSTRING,   /* zero-terminated string */
  PACK_PADDING,   /* one zero byte */
  PACK_ALIGN,     /* 'X': align like the next option */
  PACK_NOP        /* setting or space: no data */
} PackKind;

typedef struct PackState {
  lua_State *L;
  int little;   /* current endianness */
  int maxalign; /* current maximum alignment (1: none) */
} PackState;

/* The natural alignment of the widest basic type, used by a bare '!'. */
struct widest_align {
  char c;
  union {
    double d;
    void *p;
    lua_Integer i;
    lua_Number n;
  } u;
};

static int native_little_endian(void) {
  const union {
    int one;
    char first;
  } probe = {1};
  return probe.first == 1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Optional decimal number at *fmt (default def). */
static int read_count(const char **fmt, int def) {
  if (!is_digit(**fmt))
    return def;
  int n = 0;
  do {
    n = n * 10 + (*(*fmt)++ - '0');
  } while (is_digit(**fmt) && n <= ((int)PACK_MAXSIZE - 9) / 10);
  return n;
}

/* Optional integer size at *fmt, checked against [1, PACK_MAXINTSIZE]. */
static int read_int_size(PackState *ps, const char **fmt, int def) {
  int n = read_count(fmt, def);
  if (n > PACK_MAXINTSIZE || n <= 0)
    luaL_error(ps->L, "integral size (%d) out of limits [1,%d]", n,
               PACK_MAXINTSIZE);
  return n;
}

/* Read one option; settings ('<', '!', ...) are applied to ps. */
static PackKind read_option(PackState *ps, const char **fmt, int *size) {
  char opt = *(*fmt)++;
  *size = 0;
  switch (opt) {
  case 'b': *size = (int)sizeof(char); return PACK_INT;
  case 'B': *size = (int)sizeof(char); return PACK_UINT;
  case 'h': *size = (int)sizeof(short); return PACK_INT;
  case 'H': *size = (int)sizeof(short); return PACK_UINT;
  case 'l': *size = (int)sizeof(long); return PACK_INT;
  case 'L': *size = (int)sizeof(long); return PACK_UINT;
  case 'j': *size = (int)sizeof(lua_Integer); return PACK_INT;
  case 'J': *size = (int)sizeof(lua_Integer); return PACK_UINT;
  case 'T': *size = (int)sizeof(size_t); return PACK_UINT;
  case 'f': *size = (int)sizeof(float); return PACK_FLOAT;
  case 'n': *size = (int)sizeof(lua_Number); return PACK_NUMBER;
  case 'd': *size = (int)sizeof(double); return PACK_DOUBLE;
  case 'i': *size = read_int_size(ps, fmt, (int)sizeof(int)); return PACK_INT;
  case 'I': *size = read_int_size(ps, fmt, (int)sizeof(int)); return PACK_UINT;
  case 's':
    *size = read_int_size(ps, fmt, (int)sizeof(size_t));
    return PACK_STRING;
  case 'c':
    *size = read_count(fmt, -1);
    if (*size == -1)
      luaL_error(ps->L, "missing size for format option 'c'");
    return PACK_CHARS;
  case 'z': return PACK_ZSTRING;
  case 'x': *size = 1; return PACK_PADDING;
  case 'X': return PACK_ALIGN;
  case ' ': break;
  case '<': ps->little = 1; break;
  case '>': ps->little = 0; break;
  case '=': ps->little = native_little_endian(); break;
  case '!':
    ps->maxalign = read_int_size(ps, fmt,
                                 (int)offsetof(struct widest_align, u));
    break;
  default: luaL_error(ps->L, "invalid format option '%c'", opt);
  }
  return PACK_NOP;
}

/* Read one option and compute the padding needed before it when the
 * output so far has 'offset' bytes. */
static PackKind read_item(PackState *ps, size_t offset, const char **fmt,
                          int *size, int *padding) {
  PackKind kind = read_option(ps, fmt, size);
  int align = *size;
  if (kind == PACK_ALIGN) { /* alignment of the next option, not packed */
    if (**fmt == '\0' || read_option(ps, fmt, &align) == PACK_CHARS ||
        align == 0)
      luaL_argerror(ps->L, 1, "invalid next option for option 'X'");
  }
  if (align <= 1 || kind == PACK_CHARS) {
    *padding = 0;
  } else {
    if (align > ps->maxalign)
      align = ps->maxalign;
    if ((align & (align - 1)) != 0)
      luaL_argerror(ps->L, 1, "format asks for alignment not power of 2");
    *padding = (align - (int)(offset & (size_t)(align - 1))) & (align - 1);
  }
  return kind;
}

static void init_state(PackState *ps, lua_State *L) {
  ps->L = L;
  ps->little = native_little_endian();
  ps->maxalign = 1;
}

/* -- Integers and floats as bytes -- */

/* Append size bytes of v; bytes past the 8 of v repeat its sign. */
static void add_integer(luaL_Buffer *b, lua_Unsigned v, int little, int size,
                        int negative) {
  char *out = luaL_prepbuffsize(b, (size_t)size);
  for (int i = 0; i < size; i++) {
    unsigned char byte;
    if (i < PACK_INTSIZE)
      byte = (unsigned char)(v >> (8 * i));
    else
      byte = negative ? 0xFF : 0x00;
    out[little ? i : size - 1 - i] = (char)byte;
  }
  luaL_addsize(b, (size_t)size);
}

static lua_Integer read_integer(lua_State *L, const char *in, int little,
                                int size, int is_signed) {
  lua_Unsigned v = 0;
  int used = size <= PACK_INTSIZE ? size : PACK_INTSIZE;
  for (int i = used - 1; i >= 0; i--) {
    v <<= 8;
    v |= (unsigned char)in[little ? i : size - 1 - i];
  }
  if (size < PACK_INTSIZE) {
    if (is_signed) { /* sign-extend from the top bit of the field */
      lua_Unsigned top = (lua_Unsigned)1 << (size * 8 - 1);
      v = (v ^ top) - top;
    }
  } else if (size > PACK_INTSIZE) {
    unsigned char ext = (!is_signed || (lua_Integer)v >= 0) ? 0x00 : 0xFF;
    for (int i = used; i < size; i++) {
      if ((unsigned char)in[little ? i : size - 1 - i] != ext)
        luaL_error(L, "%d-byte integer does not fit into Lua Integer", size);
    }
  }
  return (lua_Integer)v;
}

/* Copy size bytes, reversing them when the wanted order is not native. */
static void copy_ordered(char *dst, const char *src, int size, int little) {
  if (little == native_little_endian()) {
    memcpy(dst, src, (size_t)size);
  } else {
    for (int i = 0; i < size; i++)
      dst[i] = src[size - 1 - i];
  }
}

/* -- Entry points -- */

int strpack_pack(lua_State *L) {
  PackState ps;
  const char *fmt = luaL_checkstring(L, 1);
  int arg = 1;
  size_t total = 0;
  init_state(&ps, L);
  lua_pushnil(L); /* keeps the arguments apart from the buffer */
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    int size, padding;
    PackKind kind = read_item(&ps, total, &fmt, &size, &padding);
    total += (size_t)padding + (size_t)size;
    while (padding-- > 0)
      luaL_addchar(&b, '\0');
    arg++;
    switch (kind) {
    case PACK_INT: {
      lua_Integer n = luaL_checkinteger(L, arg);
      if (size < PACK_INTSIZE) {
        lua_Integer lim = (lua_Integer)1 << (size * 8 - 1);
        luaL_argcheck(L, -lim <= n && n < lim, arg, "integer overflow");
      }
      add_integer(&b, (lua_Unsigned)n, ps.little, size, n < 0);
      break;
    }
    case PACK_UINT: {
      lua_Integer n = luaL_checkinteger(L, arg);
      if (size < PACK_INTSIZE)
        luaL_argcheck(L, (lua_Unsigned)n < ((lua_Unsigned)1 << (size * 8)),
                      arg, "unsigned overflow");
      add_integer(&b, (lua_Unsigned)n, ps.little, size, 0);
      break;
    }
    case PACK_FLOAT: {
      float f = (float)luaL_checknumber(L, arg);
      char *out = luaL_prepbuffsize(&b, sizeof f);
      copy_ordered(out, (const char *)&f, (int)sizeof f, ps.little);
      luaL_addsize(&b, sizeof f);
      break;
    }
    case PACK_NUMBER:
    case PACK_DOUBLE: {
      double d = (double)luaL_checknumber(L, arg);
      char *out = luaL_prepbuffsize(&b, sizeof d);
      copy_ordered(out, (const char *)&d, (int)sizeof d, ps.little);
      luaL_addsize(&b, sizeof d);
      break;
    }
    case PACK_CHARS: {
      size_t len;
      const char *s = luaL_checklstring(L, arg, &len);
      luaL_argcheck(L, len <= (size_t)size, arg,
                    "string longer than given size");
      luaL_addlstring(&b, s, len);
      for (; len < (size_t)size; len++)
        luaL_addchar(&b, '\0');
      break;
    }
    case PACK_STRING: {
      size_t len;
      const char *s = luaL_checklstring(L, arg, &len);
      luaL_argcheck(L,
                    size >= (int)sizeof(size_t) ||
                        len < ((size_t)1 << (size * 8)),
                    arg, "string length does not fit in given size");
      add_integer(&b, (lua_Unsigned)len, ps.little, size, 0);
      luaL_addlstring(&b, s, len);
      total += len;
      break;
    }
    case PACK_ZSTRING: {
      size_t len;
      const char *s = luaL_checklstring(L, arg, &len);
      luaL_argcheck(L, strlen(s) == len, arg, "string contains zeros");
      luaL_addlstring(&b, s, len);
      luaL_addchar(&b, '\0');
      total += len + 1;
      break;
    }
    case PACK_PADDING:
      luaL_addchar(&b, '\0');
      arg--;
      break;
    case PACK_ALIGN:
    case PACK_NOP:
      arg--; /* consumed no argument */
      break;
    }
  }
  luaL_pushresult(&b);
  return 1;
}

int strpack_packsize(lua_State *L) {
  PackState ps;
  const char *fmt = luaL_checkstring(L, 1);
  size_t total = 0;
  init_state(&ps, L);
  while (*fmt != '\0') {
    int size, padding;
    PackKind kind = read_item(&ps, total, &fmt, &size, &padding);
    luaL_argcheck(L, kind != PACK_STRING && kind != PACK_ZSTRING, 1,
                  "variable-length format");
    size += padding;
    luaL_argcheck(L, total <= PACK_MAXSIZE - (size_t)size, 1,
                  "format result too large");
    total += (size_t)size;
  }
  lua_pushinteger(L, (lua_Integer)total);
  return 1;
}

int strpack_unpack(lua_State *L) {
  PackState ps;
  const char *fmt = luaL_checkstring(L, 1);
  size_t len;
  const char *data = luaL_checklstring(L, 2, &len);
  lua_Integer init = luaL_optinteger(L, 3, 1);
  size_t pos;
  /* Same position rules as string.sub's start. */
  if (init > 0)
    pos = (size_t)init - 1;
  else if (init == 0 || init < -(lua_Integer)len)
    pos = 0;
  else
    pos = len + (size_t)init;
  luaL_argcheck(L, pos <= len, 3, "initial position out of string");
  init_state(&ps, L);
  int n = 0;
  while (*fmt != '\0') {
    int size, padding;
    PackKind kind = read_item(&ps, pos, &fmt, &size, &padding);
    luaL_argcheck(L, (size_t)padding + (size_t)size <= len - pos, 2,
                  "data string too short");
    pos += (size_t)padding;
    luaL_checkstack(L, 2, "too many results");
    n++;
    switch (kind) {
    case PACK_INT:
    case PACK_UINT:
      lua_pushinteger(L, read_integer(L, data + pos, ps.little, size,
                                      kind == PACK_INT));
      break;
    case PACK_FLOAT: {
      float f;
      copy_ordered((char *)&f, data + pos, (int)sizeof f, ps.little);
      lua_pushnumber(L, (lua_Number)f);
      break;
    }
    case PACK_NUMBER:
    case PACK_DOUBLE: {
      double d;
      copy_ordered((char *)&d, data + pos, (int)sizeof d, ps.little);
      lua_pushnumber(L, (lua_Number)d);
      break;
    }
    case PACK_CHARS:
      lua_pushlstring(L, data + pos, (size_t)size);
      break;
    case PACK_STRING: {
      size_t slen = (size_t)read_integer(L, data + pos, ps.little, size, 0);
      luaL_argcheck(L, slen <= len - pos - (size_t)size, 2,
                    "data string too short");
      lua_pushlstring(L, data + pos + size, slen);
      pos += slen;
      break;
    }
    case PACK_ZSTRING: {
      const char *zero = memchr(data + pos, '\0', len - pos);
      luaL_argcheck(L, zero != NULL, 2, "unfinished string for format 'z'");
      size_t slen = (size_t)(zero - (data + pos));
      lua_pushlstring(L, data + pos, slen);
      pos += slen + 1;
      break;
    }
    case PACK_ALIGN:
    case PACK_PADDING:
    case PACK_NOP:
      n--; /* produced no value */
      break;
    }
    pos += (size_t)size;
  }
  lua_pushinteger(L, (lua_Integer)pos + 1);
  return n + 1;
}
