/*
 * mathlib.c -- the Lua 5.4 math library.
 *
 * Integer and float results follow lua5.4 exactly: floor/ceil return an
 * integer when the result fits, abs/fmod/max/min keep integers integers,
 * modf returns an integral part that is an integer when it fits and always
 * a float fraction.
 *
 * math.random is xoshiro256** with lua5.4's seeding (state {n1, 0xff, n2, 0}
 * then 16 discarded outputs) and lua5.4's ways of turning a 64-bit output
 * into a float (top 53 bits) or into an integer in [low, up] (mask to the
 * next power of two minus one, retry when above the range), so a given seed
 * yields the same sequence as under lua5.4.
 */
#include "luaapi.h"
#include "trace/trace.h"

#include <math.h>
#include <stdint.h>
#include <time.h>

#define PI 3.141592653589793238462643383279502884

/* Push d as an integer when it has an exact integer value that fits,
 * otherwise as a float. */
static void push_integral(lua_State *L, lua_Number d) {
  /* -2^63 <= d < 2^63 is exactly the range that converts without overflow */
  if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
    lua_pushinteger(L, (lua_Integer)d);
  else
    lua_pushnumber(L, d);
}

/* -- Rounding and arithmetic -- */

static int math_abs(lua_State *L) {
  if (lua_isinteger(L, 1)) {
    lua_Integer n = lua_tointeger(L, 1);
    if (n < 0) /* wraps for mininteger, as in lua5.4 */
      n = (lua_Integer)(0u - (lua_Unsigned)n);
    lua_pushinteger(L, n);
  } else {
    lua_pushnumber(L, fabs(luaL_checknumber(L, 1)));
  }
  return 1;
}

static int math_floor(lua_State *L) {
  if (lua_isinteger(L, 1)) {
    lua_settop(L, 1);
  } else {
    push_integral(L, floor(luaL_checknumber(L, 1)));
  }
  return 1;
}

static int math_ceil(lua_State *L) {
  if (lua_isinteger(L, 1)) {
    lua_settop(L, 1);
  } else {
    push_integral(L, ceil(luaL_checknumber(L, 1)));
  }
  return 1;
}

static int math_fmod(lua_State *L) {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {
    lua_Integer d = lua_tointeger(L, 2);
    if ((lua_Unsigned)d + 1u <= 1u) { /* d is 0 or -1 */
      luaL_argcheck(L, d != 0, 2, "zero");
      lua_pushinteger(L, 0); /* x % -1 is 0; avoids overflow on minint */
    } else {
      lua_pushinteger(L, lua_tointeger(L, 1) % d); /* C truncates, as fmod */
    }
  } else {
    /* lua5.4 (built with gcc) happens to check argument 2 first; the
     * order decides which error a call with two bad arguments reports. */
    lua_Number y = luaL_checknumber(L, 2);
    lua_Number x = luaL_checknumber(L, 1);
    lua_pushnumber(L, fmod(x, y));
  }
  return 1;
}

static int math_modf(lua_State *L) {
  if (lua_isinteger(L, 1)) {
    lua_settop(L, 1);
    lua_pushnumber(L, 0.0);
  } else {
    lua_Number n = luaL_checknumber(L, 1);
    lua_Number ip = (n < 0) ? ceil(n) : floor(n);
    push_integral(L, ip);
    lua_pushnumber(L, (n == ip) ? 0.0 : n - ip); /* inf - inf would be nan */
  }
  return 2;
}

static int math_tointeger(lua_State *L) {
  int valid;
  lua_Integer n = lua_tointegerx(L, 1, &valid);
  if (valid) {
    lua_pushinteger(L, n);
  } else {
    luaL_checkany(L, 1);
    lua_pushnil(L);
  }
  return 1;
}

static int math_type(lua_State *L) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_pushstring(L, lua_isinteger(L, 1) ? "integer" : "float");
  } else {
    luaL_checkany(L, 1);
    lua_pushnil(L);
  }
  return 1;
}

static int math_ult(lua_State *L) {
  lua_Integer a = luaL_checkinteger(L, 1);
  lua_Integer b = luaL_checkinteger(L, 2);
  lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
  return 1;
}

/* max and min compare with '<' semantics and return the chosen argument
 * itself, so its integer/float subtype is kept. */
static int math_max(lua_State *L) {
  int n = lua_gettop(L);
  luaL_argcheck(L, n >= 1, 1, "value expected");
  int best = 1;
  for (int i = 2; i <= n; i++) {
    if (lua_compare(L, best, i, LUA_OPLT))
      best = i;
  }
  lua_pushvalue(L, best);
  return 1;
}

static int math_min(lua_State *L) {
  int n = lua_gettop(L);
  luaL_argcheck(L, n >= 1, 1, "value expected");
  int best = 1;
  for (int i = 2; i <= n; i++) {
    if (lua_compare(L, i, best, LUA_OPLT))
      best = i;
  }
  lua_pushvalue(L, best);
  return 1;
}

/* -- Elementary functions (always floats) -- */

static int math_sqrt(lua_State *L) {
  lua_pushnumber(L, sqrt(luaL_checknumber(L, 1)));
  return 1;
}

static int math_sin(lua_State *L) {
  lua_pushnumber(L, sin(luaL_checknumber(L, 1)));
  return 1;
}

static int math_cos(lua_State *L) {
  lua_pushnumber(L, cos(luaL_checknumber(L, 1)));
  return 1;
}

static int math_tan(lua_State *L) {
  lua_pushnumber(L, tan(luaL_checknumber(L, 1)));
  return 1;
}

static int math_asin(lua_State *L) {
  lua_pushnumber(L, asin(luaL_checknumber(L, 1)));
  return 1;
}

static int math_acos(lua_State *L) {
  lua_pushnumber(L, acos(luaL_checknumber(L, 1)));
  return 1;
}

static int math_atan(lua_State *L) {
  lua_Number y = luaL_checknumber(L, 1);
  lua_Number x = luaL_optnumber(L, 2, 1.0);
  lua_pushnumber(L, atan2(y, x));
  return 1;
}

static int math_exp(lua_State *L) {
  lua_pushnumber(L, exp(luaL_checknumber(L, 1)));
  return 1;
}

static int math_log(lua_State *L) {
  lua_Number x = luaL_checknumber(L, 1);
  lua_Number r;
  if (lua_isnoneornil(L, 2)) {
    r = log(x);
  } else {
    lua_Number base = luaL_checknumber(L, 2);
    if (base == 2.0)
      r = log2(x); /* exact for powers of two */
    else if (base == 10.0)
      r = log10(x);
    else
      r = log(x) / log(base);
  }
  lua_pushnumber(L, r);
  return 1;
}

static int math_deg(lua_State *L) {
  lua_pushnumber(L, luaL_checknumber(L, 1) * (180.0 / PI));
  return 1;
}

static int math_rad(lua_State *L) {
  lua_pushnumber(L, luaL_checknumber(L, 1) * (PI / 180.0));
  return 1;
}

/* -- Lua 5.3 leftovers --
 * lua5.4 as packaged by Debian (the reference) is built with
 * LUA_COMPAT_MATHLIB and still has these; scripts that use them must run
 * the same here. */

static int math_cosh(lua_State *L) {
  lua_pushnumber(L, cosh(luaL_checknumber(L, 1)));
  return 1;
}

static int math_sinh(lua_State *L) {
  lua_pushnumber(L, sinh(luaL_checknumber(L, 1)));
  return 1;
}

static int math_tanh(lua_State *L) {
  lua_pushnumber(L, tanh(luaL_checknumber(L, 1)));
  return 1;
}

static int math_pow(lua_State *L) {
  lua_Number x = luaL_checknumber(L, 1);
  lua_Number y = luaL_checknumber(L, 2);
  lua_pushnumber(L, pow(x, y));
  return 1;
}

static int math_frexp(lua_State *L) {
  int e;
  lua_pushnumber(L, frexp(luaL_checknumber(L, 1), &e));
  lua_pushinteger(L, e);
  return 2;
}

static int math_ldexp(lua_State *L) {
  lua_Number x = luaL_checknumber(L, 1);
  int e = (int)luaL_checkinteger(L, 2);
  lua_pushnumber(L, ldexp(x, e));
  return 1;
}

static int math_log10(lua_State *L) {
  lua_pushnumber(L, log10(luaL_checknumber(L, 1)));
  return 1;
}

/* -- Pseudo-random numbers: xoshiro256** -- */

typedef struct RandomState {
  uint64_t s[4];
} RandomState;

static uint64_t rotate_left(uint64_t x, int n) {
  return (x << n) | (x >> (64 - n));
}

static uint64_t random_next(RandomState *r) {
  uint64_t *s = r->s;
  uint64_t result = rotate_left(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotate_left(s[3], 45);
  return result;
}

/* A float in [0, 1) from the top 53 bits. */
static lua_Number random_float(uint64_t x) {
  return (lua_Number)(x >> 11) * 0x1.0p-53;
}

/* Map x into [0, n] without bias: keep the bits of the smallest 2^b - 1
 * covering n and draw again while the value is above n. */
static uint64_t random_project(uint64_t x, uint64_t n, RandomState *r) {
  if ((n & (n + 1)) == 0) /* n + 1 is a power of two */
    return x & n;
  uint64_t mask = n;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  while ((x &= mask) > n)
    x = random_next(r);
  return x;
}

/* Seed with n1, n2 and push both seeds (randomseed returns them). */
static void random_seed(lua_State *L, RandomState *r, uint64_t n1,
                        uint64_t n2) {
  r->s[0] = n1;
  r->s[1] = 0xff; /* never an all-zero state */
  r->s[2] = n2;
  r->s[3] = 0;
  for (int i = 0; i < 16; i++) /* spread the seed over the state */
    random_next(r);
  lua_pushinteger(L, (lua_Integer)n1);
  lua_pushinteger(L, (lua_Integer)n2);
}

static void random_seed_from_clock(lua_State *L, RandomState *r) {
  uint64_t n1 = (uint64_t)time(NULL);
  uint64_t n2 = (uint64_t)(uintptr_t)L ^ (uint64_t)clock();
  random_seed(L, r, n1, n2);
}

static int math_random(lua_State *L) {
  RandomState *r = (RandomState *)lua_touserdata(L, lua_upvalueindex(1));
  uint64_t x = random_next(r);
  lua_Integer low, up;
  switch (lua_gettop(L)) {
  case 0:
    lua_pushnumber(L, random_float(x));
    return 1;
  case 1:
    low = 1;
    up = luaL_checkinteger(L, 1);
    if (up == 0) { /* random(0): all 64 bits */
      lua_pushinteger(L, (lua_Integer)x);
      return 1;
    }
    break;
  case 2:
    low = luaL_checkinteger(L, 1);
    up = luaL_checkinteger(L, 2);
    break;
  default:
    return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, low <= up, 1, "interval is empty");
  uint64_t offset = random_project(x, (uint64_t)up - (uint64_t)low, r);
  lua_pushinteger(L, (lua_Integer)(offset + (uint64_t)low));
  return 1;
}

static int math_randomseed(lua_State *L) {
  RandomState *r = (RandomState *)lua_touserdata(L, lua_upvalueindex(1));
  if (lua_isnone(L, 1)) {
    random_seed_from_clock(L, r);
  } else {
    lua_Integer n1 = luaL_checkinteger(L, 1);
    lua_Integer n2 = luaL_optinteger(L, 2, 0);
    random_seed(L, r, (uint64_t)n1, (uint64_t)n2);
  }
  return 2;
}

static const luaL_Reg random_funcs[] = {
  {"random", math_random},
  {"randomseed", math_randomseed},
  {NULL, NULL}
};

/* -- Registration -- */

static const luaL_Reg math_funcs[] = {
  {"abs", math_abs},
  {"acos", math_acos},
  {"asin", math_asin},
  {"atan", math_atan},
  {"ceil", math_ceil},
  {"cos", math_cos},
  {"deg", math_deg},
  {"exp", math_exp},
  {"floor", math_floor},
  {"fmod", math_fmod},
  {"log", math_log},
  {"max", math_max},
  {"min", math_min},
  {"modf", math_modf},
  {"rad", math_rad},
  {"sin", math_sin},
  {"sqrt", math_sqrt},
  {"tan", math_tan},
  {"tointeger", math_tointeger},
  {"type", math_type},
  {"ult", math_ult},
  /* 5.3 compatibility, see above */
  {"atan2", math_atan},
  {"cosh", math_cosh},
  {"frexp", math_frexp},
  {"ldexp", math_ldexp},
  {"log10", math_log10},
  {"pow", math_pow},
  {"sinh", math_sinh},
  {"tanh", math_tanh},
  {NULL, NULL}
};

int luaopen_math(lua_State *L) {
  luaL_newlib(L, math_funcs);
  lua_pushnumber(L, PI);
  lua_setfield(L, -2, "pi");
  lua_pushnumber(L, HUGE_VAL);
  lua_setfield(L, -2, "huge");
  lua_pushinteger(L, LUA_MAXINTEGER);
  lua_setfield(L, -2, "maxinteger");
  lua_pushinteger(L, LUA_MININTEGER);
  lua_setfield(L, -2, "mininteger");
  /* random and randomseed share one generator state as an upvalue. */
  RandomState *r = (RandomState *)lua_newuserdatauv(L, sizeof(RandomState), 0);
  random_seed_from_clock(L, r);
  lua_pop(L, 2); /* the seeds */
  luaL_setfuncs(L, random_funcs, 1);
  return 1;
}

/* The trace recorder calls these functions' uops instead. */
JitBuiltin jit_math_builtin(lua_CFunction f) {
  if (f == math_sqrt) return JIT_BI_SQRT;
  if (f == math_sin) return JIT_BI_SIN;
  if (f == math_cos) return JIT_BI_COS;
  if (f == math_exp) return JIT_BI_EXP;
  if (f == math_abs) return JIT_BI_ABS;
  if (f == math_floor) return JIT_BI_FLOOR;
  if (f == math_ceil) return JIT_BI_CEIL;
  if (f == math_min) return JIT_BI_MIN;
  if (f == math_max) return JIT_BI_MAX;
  if (f == math_log) return JIT_BI_LOG;
  return JIT_BI_NONE;
}
