/* object.c -- number conversion and formatting, chunk ids, pushfstring.
 *
 * Output must match lua5.4 byte for byte: integers print with %lld, floats
 * with %.14g plus ".0" when the result looks like an integer; inf, -inf,
 * nan and -nan come from the C library's %g exactly as in lua5.4.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"
#include "lib/lformat.h"

int obj_ceillog2(unsigned int x) {
  int l = 0;
  x--;
  while (x >= 256) {
    l += 8;
    x >>= 8;
  }
  while (x) {
    l++;
    x >>= 1;
  }
  return l;
}

int obj_hexavalue(int c) {
  if (isdigit(c)) return c - '0';
  return (tolower(c) - 'a') + 10;
}

/* -- Float <-> integer -- */

bool obj_flttointns(lua_Number n, lua_Integer *p, int mode) {
  lua_Number f = floor(n);
  if (n != f) {
    if (mode == F2Ieq) return false;
    if (mode == F2Iceil) f += 1;
  }
  return lua_numbertointeger(f, p);
}

bool obj_tointegerns(const TValue *obj, lua_Integer *p, int mode) {
  TValue v;
  if (ttisstring(obj) && obj_str2num(svalue(obj), &v) == vslen(obj) + 1) obj = &v;
  if (ttisinteger(obj)) {
    *p = ivalue(obj);
    return true;
  }
  if (ttisfloat(obj)) return obj_flttointns(fltvalue(obj), p, mode);
  return false;
}

bool obj_tonumber(const TValue *obj, lua_Number *n) {
  TValue v;
  if (ttisinteger(obj)) {
    *n = (lua_Number)ivalue(obj);
    return true;
  }
  if (ttisfloat(obj)) {
    *n = fltvalue(obj);
    return true;
  }
  if (ttisstring(obj) && obj_str2num(svalue(obj), &v) == vslen(obj) + 1) {
    *n = nvalue(&v);
    return true;
  }
  return false;
}

/* -- String -> number -- */

static const char *l_str2int(const char *s, lua_Integer *result) {
  lua_Unsigned a = 0;
  int empty = 1;
  int neg;
  while (isspace((unsigned char)*s)) s++;
  neg = (*s == '-');
  if (*s == '-' || *s == '+') s++;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    for (; isxdigit((unsigned char)*s); s++) {
      a = a * 16 + (lua_Unsigned)obj_hexavalue(*s);
      empty = 0;
    }
  } else {
    const lua_Unsigned maxby10 = (lua_Unsigned)LUA_MAXINTEGER / 10;
    const int maxlastd = (int)((lua_Unsigned)LUA_MAXINTEGER % 10);
    for (; isdigit((unsigned char)*s); s++) {
      int d = *s - '0';
      if (a >= maxby10 && (a > maxby10 || d > maxlastd + neg)) return NULL; /* overflow: float */
      a = a * 10 + (lua_Unsigned)d;
      empty = 0;
    }
  }
  while (isspace((unsigned char)*s)) s++;
  if (empty || *s != '\0') return NULL;
  *result = l_castU2S(neg ? 0u - a : a);
  return s;
}

static const char *l_str2d(const char *s, lua_Number *result) {
  const char *pmode = strpbrk(s, ".xXnN");
  int mode = pmode ? (tolower((unsigned char)*pmode)) : 0;
  if (mode == 'n') return NULL; /* reject 'inf' and 'nan' */
  char *endptr;
  *result = strtod(s, &endptr);
  if (endptr == s) return NULL;
  while (isspace((unsigned char)*endptr)) endptr++;
  if (*endptr != '\0') return NULL;
  return endptr;
}

/* Convert a NUL-terminated string; returns its size + 1 on success, 0 if it
 * is not a numeral.  Embedded NULs make the caller's size check fail. */
size_t obj_str2num(const char *s, TValue *o) {
  lua_Integer i;
  lua_Number n;
  const char *e;
  if ((e = l_str2int(s, &i)) != NULL) {
    setivalue(o, i);
  } else if ((e = l_str2d(s, &n)) != NULL) {
    setfltvalue(o, n);
  } else {
    return 0;
  }
  return (size_t)(e - s) + 1;
}

/* -- Number -> string -- */

int obj_tostringbuff(const TValue *obj, char *buff) {
  int len;
  if (ttisinteger(obj)) {
    len = lfmt_integer(buff, (long long)ivalue(obj));
  } else {
    len = lfmt_g_fast(buff, fltvalue(obj), 14); /* most floats, quickly */
    if (len < 0)
      len = snprintf(buff, 44, "%.14g", fltvalue(obj));
    if (buff[strspn(buff, "-0123456789")] == '\0') { /* looks like an int? */
      buff[len++] = '.';
      buff[len++] = '0';
      buff[len] = '\0';
    }
  }
  return len;
}

void obj_tostring(lua_State *L, TValue *obj) {
  char buff[48];
  int len = obj_tostringbuff(obj, buff);
  TString *ts = str_newlstr(L, buff, (size_t)len);
  setsvalue(obj, ts);
}

int obj_utf8esc(char *buff, unsigned long x) {
  int n = 1; /* bytes written, from the end of an 8-byte buffer */
  if (x < 0x80) {
    buff[7] = (char)x;
  } else {
    unsigned int mfb = 0x3f;
    do {
      buff[8 - (n++)] = (char)(0x80 | (x & 0x3f));
      x >>= 6;
      mfb >>= 1;
    } while (x > mfb);
    buff[8 - n] = (char)((~mfb << 1) | x);
  }
  return n;
}

/* -- pushfstring: %s %d %I %f %p %c %U %% -- */

/* The text collects in a fixed buffer; a full buffer becomes a string on
 * the stack and the pieces are concatenated at the end, so no memory is held
 * outside the stack when an allocation fails (as lua5.4's luaO_pushvfstring). */
#define FBUF_SIZE 200

typedef struct FBuf {
  char b[FBUF_SIZE];
  size_t n;
  int pushed; /* pieces on the stack */
  lua_State *L;
} FBuf;

static void fb_push(FBuf *fb, const char *s, size_t l) {
  lua_State *L = fb->L;
  checkstackGC(L, 1);
  setsvalue(L->top, str_newlstr(L, s, l));
  L->top++;
  if (++fb->pushed == 16) { /* keep few pieces on the stack */
    vm_concat(L, 16);
    fb->pushed = 1;
  }
}

static void fb_add(FBuf *fb, const char *s, size_t l) {
  if (fb->n + l > FBUF_SIZE) { /* does not fit: the buffer becomes a piece */
    fb_push(fb, fb->b, fb->n);
    fb->n = 0;
    if (l >= FBUF_SIZE) { /* a long argument is a piece of its own */
      fb_push(fb, s, l);
      return;
    }
  }
  memcpy(fb->b + fb->n, s, l);
  fb->n += l;
}

const char *obj_pushvfstring(lua_State *L, const char *fmt, va_list argp) {
  FBuf fb;
  fb.n = 0;
  fb.pushed = 0;
  fb.L = L;
  char buff[64];
  const char *e;
  while ((e = strchr(fmt, '%')) != NULL) {
    fb_add(&fb, fmt, (size_t)(e - fmt));
    switch (e[1]) {
      case 's': {
        const char *s = va_arg(argp, char *);
        if (s == NULL) s = "(null)";
        fb_add(&fb, s, strlen(s));
        break;
      }
      case 'c': {
        char c = (char)va_arg(argp, int);
        fb_add(&fb, &c, 1);
        break;
      }
      case 'd': {
        TValue v;
        setivalue(&v, va_arg(argp, int));
        int l = obj_tostringbuff(&v, buff);
        fb_add(&fb, buff, (size_t)l);
        break;
      }
      case 'I': {
        TValue v;
        setivalue(&v, (lua_Integer)va_arg(argp, lua_Integer));
        int l = obj_tostringbuff(&v, buff);
        fb_add(&fb, buff, (size_t)l);
        break;
      }
      case 'f': {
        TValue v;
        setfltvalue(&v, (lua_Number)va_arg(argp, double));
        int l = obj_tostringbuff(&v, buff);
        fb_add(&fb, buff, (size_t)l);
        break;
      }
      case 'p': {
        void *p = va_arg(argp, void *);
        int l = snprintf(buff, sizeof(buff), "%p", p);
        fb_add(&fb, buff, (size_t)l);
        break;
      }
      case 'U': {
        char ub[8];
        int l = obj_utf8esc(ub, (unsigned long)va_arg(argp, long));
        fb_add(&fb, ub + 8 - l, (size_t)l);
        break;
      }
      case '%':
        fb_add(&fb, "%", 1);
        break;
      default: {
        dbg_runerror(L, "invalid option '%%%c' to 'lua_pushfstring'", e[1]);
      }
    }
    fmt = e + 2;
  }
  fb_add(&fb, fmt, strlen(fmt));
  fb_push(&fb, fb.b, fb.n);
  vm_concat(L, fb.pushed);
  return svalue(L->top - 1);
}

const char *obj_pushfstring(lua_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  const char *r = obj_pushvfstring(L, fmt, argp);
  va_end(argp);
  return r;
}

/* -- Chunk ids for messages: "@file" -> file, "=name" -> name, else [string "..."] -- */

void obj_chunkid(char *out, const char *source, size_t srclen) {
  size_t room = LUA_IDSIZE; /* including the NUL */
  if (*source == '=') {
    size_t n = srclen - 1;
    if (n >= room) n = room - 1;
    memcpy(out, source + 1, n);
    out[n] = '\0';
  } else if (*source == '@') {
    size_t n = srclen - 1;
    if (n < room) {
      memcpy(out, source + 1, n);
      out[n] = '\0';
    } else { /* keep the tail of a long file name */
      size_t keep = room - 1 - 3;
      memcpy(out, "...", 3);
      memcpy(out + 3, source + 1 + n - keep, keep);
      out[room - 1] = '\0';
    }
  } else {
    const char *nl = memchr(source, '\n', srclen);
    size_t avail = room - (sizeof("[string \"...\"]") - 1) - 1;
    size_t pos = 0;
    memcpy(out, "[string \"", 9);
    pos = 9;
    if (srclen < avail && nl == NULL) {
      memcpy(out + pos, source, srclen);
      pos += srclen;
    } else {
      size_t n = nl ? (size_t)(nl - source) : srclen;
      if (n > avail) n = avail;
      memcpy(out + pos, source, n);
      pos += n;
      memcpy(out + pos, "...", 3);
      pos += 3;
    }
    memcpy(out + pos, "\"]", 3);
  }
}

/* -- Raw arithmetic (no metamethods): returns 1 on success -- */

int obj_rawarith(lua_State *L, int op, const TValue *p1, const TValue *p2, TValue *res) {
  switch (op) {
    case LUA_OPBAND: case LUA_OPBOR: case LUA_OPBXOR:
    case LUA_OPSHL: case LUA_OPSHR: case LUA_OPBNOT: {
      lua_Integer i1, i2;
      if (!(ttisnumber(p1) && ttisnumber(p2))) return 0;
      if (!obj_tointegerns(p1, &i1, F2Ieq) || !obj_tointegerns(p2, &i2, F2Ieq)) return 0;
      lua_Integer r;
      switch (op) {
        case LUA_OPBAND: r = i1 & i2; break;
        case LUA_OPBOR: r = i1 | i2; break;
        case LUA_OPBXOR: r = i1 ^ i2; break;
        case LUA_OPSHL: r = vm_shiftl(i1, i2); break;
        case LUA_OPSHR: r = vm_shiftl(i1, intop(-, 0, i2)); break;
        default: r = intop(^, ~l_castS2U(0), i1); break;
      }
      setivalue(res, r);
      return 1;
    }
    case LUA_OPDIV: case LUA_OPPOW: {
      lua_Number n1, n2;
      if (!(ttisnumber(p1) && ttisnumber(p2))) return 0;
      n1 = nvalue(p1);
      n2 = nvalue(p2);
      setfltvalue(res, op == LUA_OPDIV ? n1 / n2 : (n2 == 2 ? n1 * n1 : pow(n1, n2)));
      return 1;
    }
    default: {
      if (ttisinteger(p1) && ttisinteger(p2)) {
        lua_Integer a = ivalue(p1), b = ivalue(p2), r;
        switch (op) {
          case LUA_OPADD: r = intop(+, a, b); break;
          case LUA_OPSUB: r = intop(-, a, b); break;
          case LUA_OPMUL: r = intop(*, a, b); break;
          case LUA_OPMOD: r = vm_mod(L, a, b); break;
          case LUA_OPIDIV: r = vm_idiv(L, a, b); break;
          case LUA_OPUNM: r = intop(-, 0, a); break;
          default: return 0;
        }
        setivalue(res, r);
        return 1;
      }
      if (!(ttisnumber(p1) && ttisnumber(p2))) return 0;
      lua_Number a = nvalue(p1), b = nvalue(p2), r;
      switch (op) {
        case LUA_OPADD: r = a + b; break;
        case LUA_OPSUB: r = a - b; break;
        case LUA_OPMUL: r = a * b; break;
        case LUA_OPMOD: r = vm_modf(L, a, b); break;
        case LUA_OPIDIV: r = floor(a / b); break;
        case LUA_OPUNM: r = -a; break;
        default: return 0;
      }
      setfltvalue(res, r);
      return 1;
    }
  }
}
