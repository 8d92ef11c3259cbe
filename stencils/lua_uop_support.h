/*
 * lua_uop_support.h -- small inline functions the Lua uop bodies share.
 * They must inline: a stencil may not call a local function (stencilgen
 * refuses), only the helpers listed in lua_uop_list.h.
 */
#ifndef CPJIT_LUA_UOP_SUPPORT_H
#define CPJIT_LUA_UOP_SUPPORT_H

#include <math.h>
#include <stdint.h>

#include "core.h"

/* The host's slow path for one instruction (runtime/trace/helpers.c). */
void jit_h_exec(lua_State *L, const Instruction *pc);
/* The same inside inlined calls: `frame` is the innermost (a JitFrame). */
void jit_h_exec_f(lua_State *L, const Instruction *pc, const void *frame);
/* Raw store into a table without metatable (runtime/trace/helpers.c). */
void jit_h_setfield(lua_State *L, Table *t, TString *key, const TValue *val);

/* String operations for traces (runtime/trace/helpers_str.c): 0 when
 * done, nonzero when declined (nothing changed; the trace exits). */
int jit_h_str(lua_State *L, TValue *base, uint64_t what, uint64_t k);
/* `next` of a generic for (runtime/trace/helpers.c): the TFORCALL at ra
 * calling it wanting c results; nonzero when declined (a key not in the
 * table: the interpreter raises the error; the trace exits). */
int jit_h_next(TValue *ra, uint32_t c);
int jit_h_setmt(lua_State *L, TValue *t, const TValue *mt);
int jit_h_newtable(lua_State *L, TValue *ra, uint64_t sizes);
void jit_h_setlist(lua_State *L, TValue *ra, uint32_t n, uint32_t first);

#define LU_INLINE static inline __attribute__((always_inline))


LU_INLINE int lu_isfalse(const TValue *o) {
  return o->tt == TAG_FALSE || (o->tt & 0x0f) == LUA_TNIL;
}

LU_INLINE double lu_tonum(const TValue *o) {
  return o->tt == TAG_INT ? (double)o->v.i : o->v.n;
}

/* Correctly rounded square root as one instruction: clang's sqrt() stays a
 * libm call in stencils (no builtins, errno semantics); the result is the
 * same IEEE value (NaN below zero) either way. */
LU_INLINE double lu_sqrt(double x) {
#if defined(__clang__) && __clang_major__ >= 17
  return __builtin_elementwise_sqrt(x);
#else
  return sqrt(x);
#endif
}
LU_INLINE double lu_bits2num(uint64_t bits) {
  union {
    uint64_t u;
    double d;
  } x;
  x.u = bits;
  return x.d; /* not memcpy: stencils build with -fno-builtin */
}

/* Lua 5.4 shift: negative counts shift the other way; 64 or more gives 0. */
LU_INLINE int64_t lu_shiftl(int64_t x, int64_t y) {
  if (y < 0) {
    if (y <= -64)
      return 0;
    return (int64_t)((uint64_t)x >> (uint64_t)(-y));
  }
  if (y >= 64)
    return 0;
  return (int64_t)((uint64_t)x << (uint64_t)y);
}

/* Floor division, n != 0; mininteger // -1 wraps to mininteger. */
LU_INLINE int64_t lu_idiv(int64_t m, int64_t n) {
  if ((uint64_t)n + 1u <= 1u) /* n == 0 or n == -1 */
    return (int64_t)(0u - (uint64_t)m);
  int64_t q = m / n;
  if ((m ^ n) < 0 && m % n != 0)
    q -= 1;
  return q;
}

/* Floor modulo, n != 0; x % -1 is 0. */
LU_INLINE int64_t lu_imod(int64_t m, int64_t n) {
  if ((uint64_t)n + 1u <= 1u)
    return 0;
  int64_t r = m % n;
  if (r != 0 && (r ^ n) < 0)
    r += n;
  return r;
}

/* Float modulo with the sign of the divisor, as Lua 5.4: fmod truncates,
 * so a nonzero remainder whose sign differs from the divisor's is moved by
 * one divisor. */
LU_INLINE double lu_fmod(double a, double b) {
  double m = fmod(a, b);
  if ((m > 0) ? b < 0 : (m < 0 && b > 0))
    m += b;
  return m;
}

/* math.floor / math.ceil of a float: an integer when it fits. */
LU_INLINE void lu_setintegral(TValue *a, double d) {
  if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
    a->v.i = (int64_t)d;
    a->tt = TAG_INT;
  } else {
    a->v.n = d;
    a->tt = TAG_FLT;
  }
}

/* -- For the register uops (lua_ruops.h) -- */
LU_INLINE double lu_u2d(uint64_t u) { return lu_bits2num(u); }
LU_INLINE uint64_t lu_d2u(double d) {
  union {
    uint64_t u;
    double d;
  } x;
  x.d = d;
  return x.u;
}
/* A tag check that treats every nil variant as nil. */
LU_INLINE int lu_tag_is(uint8_t tt, uint8_t want) {
  return want == TAG_NIL ? (((tt) & 0x0f) == LUA_TNIL) : tt == want;
}

/* The closure whose upvalue operand k names: the function right below
 * slot k >> 16 (0: the trace's own function; above: an inlined call's).
 * Its upvalue is k & 0xffff. */
LU_INLINE const LClosure *lu_upcl(const TValue *base, uint32_t k) {
  return (const LClosure *)base[(int32_t)(k >> 16) - 1].v.gc;
}

/* The slots a trace may keep values of (IR_MAX_SLOTS). */
#define LU_TRACE_SLOTS 256

LU_INLINE const TValue *lu_upval(const TValue *base, uint32_t k) {
  return lu_upcl(base, k)->upvals[k & 0xffff]->v;
}

#endif /* CPJIT_LUA_UOP_SUPPORT_H */
