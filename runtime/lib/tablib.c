/*
 * tablib.c -- the Lua 5.4 table library: insert remove concat sort unpack
 * pack move.
 *
 * Every element access goes through lua_geti/lua_seti, so __index,
 * __newindex and __len are honoured as in lua5.4, and a non-table argument
 * is accepted when its metatable provides what the function needs.
 *
 * sort is a quicksort with the same pivot choice and the same sequence of
 * comparisons and swaps as lua5.4's.  That matters for two visible reasons:
 * elements that compare equal end up in the same order as under lua5.4, and
 * an inconsistent comparator (one that says a < b and b < a) is detected at
 * the same moment, when a partition scan runs past its bound, raising
 * "invalid order function for sorting" instead of reading out of range.
 */
#include "luaapi.h"

#include <limits.h>
#include <time.h>

/* What a function needs from a table-like argument. */
#define NEED_READ 1
#define NEED_WRITE 2
#define NEED_LENGTH 4

/* Does the value on top of the stack (a metatable) have field 'name'?
 * Pops it either way. */
static int has_metafield(lua_State *L, const char *name) {
  int found = lua_getfield(L, -1, name) != LUA_TNIL;
  lua_pop(L, 1);
  return found;
}

/* Accept a table, or any value whose metatable supplies every needed
 * metamethod; otherwise raise the usual "table expected" error. */
static void check_table_like(lua_State *L, int arg, int needs) {
  if (lua_type(L, arg) == LUA_TTABLE)
    return;
  if (lua_getmetatable(L, arg)) {
    int ok = (!(needs & NEED_READ) || has_metafield(L, "__index")) &&
             (!(needs & NEED_WRITE) || has_metafield(L, "__newindex")) &&
             (!(needs & NEED_LENGTH) || has_metafield(L, "__len"));
    lua_pop(L, 1); /* the metatable */
    if (ok)
      return;
  }
  luaL_checktype(L, arg, LUA_TTABLE); /* raises the error */
}

static lua_Integer length_of(lua_State *L, int arg, int needs) {
  check_table_like(L, arg, needs | NEED_LENGTH);
  return luaL_len(L, arg);
}

/* -- insert, remove, move -- */

static int tab_insert(lua_State *L) {
  lua_Integer size = length_of(L, 1, NEED_READ | NEED_WRITE);
  lua_Integer first_empty = (lua_Integer)((lua_Unsigned)size + 1u);
  lua_Integer pos;
  switch (lua_gettop(L)) {
  case 2:
    pos = first_empty;
    break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    /* pos must lie in [1, first_empty]; the unsigned trick also rejects
     * pos <= 0 */
    luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)first_empty, 2,
                  "position out of bounds");
    for (lua_Integer i = first_empty; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
    break;
  default:
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos); /* the value is on top */
  return 0;
}

static int tab_remove(lua_State *L) {
  lua_Integer size = length_of(L, 1, NEED_READ | NEED_WRITE);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size) /* an explicit position must lie in [1, size + 1] */
    luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1,
                  "position out of bounds");
  lua_geti(L, 1, pos); /* the result */
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

static int tab_move(lua_State *L) {
  lua_Integer from = luaL_checkinteger(L, 2);
  lua_Integer last = luaL_checkinteger(L, 3);
  lua_Integer to = luaL_checkinteger(L, 4);
  int dest = lua_isnoneornil(L, 5) ? 1 : 5;
  check_table_like(L, 1, NEED_READ);
  check_table_like(L, dest, NEED_WRITE);
  if (last >= from) {
    luaL_argcheck(L, from > 0 || last < LUA_MAXINTEGER + from, 3,
                  "too many elements to move");
    lua_Integer count = last - from + 1;
    luaL_argcheck(L, to <= LUA_MAXINTEGER - count + 1, 4,
                  "destination wrap around");
    /* Copy backwards when the ranges overlap with the destination above
     * the source inside the same table. */
    int forward = to > last || to <= from ||
                  (dest != 1 && !lua_compare(L, 1, dest, LUA_OPEQ));
    if (forward) {
      for (lua_Integer i = 0; i < count; i++) {
        lua_geti(L, 1, from + i);
        lua_seti(L, dest, to + i);
      }
    } else {
      for (lua_Integer i = count - 1; i >= 0; i--) {
        lua_geti(L, 1, from + i);
        lua_seti(L, dest, to + i);
      }
    }
  }
  lua_pushvalue(L, dest);
  return 1;
}

/* -- concat, pack, unpack -- */

static void add_concat_item(lua_State *L, luaL_Buffer *b, lua_Integer i) {
  lua_geti(L, 1, i);
  if (!lua_isstring(L, -1))
    luaL_error(L, "invalid value (%s) at index %I in table for 'concat'",
               luaL_typename(L, -1), (lua_Integer)i);
  luaL_addvalue(b);
}

static int tab_concat(lua_State *L) {
  lua_Integer last = length_of(L, 1, NEED_READ);
  size_t seplen;
  const char *sep = luaL_optlstring(L, 2, "", &seplen);
  lua_Integer i = luaL_optinteger(L, 3, 1);
  last = luaL_optinteger(L, 4, last);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (; i < last; i++) {
    add_concat_item(L, &b, i);
    luaL_addlstring(&b, sep, seplen);
  }
  if (i == last)
    add_concat_item(L, &b, i);
  luaL_pushresult(&b);
  return 1;
}

static int tab_pack(lua_State *L) {
  int n = lua_gettop(L);
  lua_createtable(L, n, 1);
  lua_insert(L, 1);
  for (int i = n; i >= 1; i--) /* pops the values from the top down */
    lua_seti(L, 1, i);
  lua_pushinteger(L, n);
  lua_setfield(L, 1, "n");
  return 1;
}

static int tab_unpack(lua_State *L) {
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer last = lua_isnoneornil(L, 3) ? luaL_len(L, 1)
                                           : luaL_checkinteger(L, 3);
  if (i > last)
    return 0;
  lua_Unsigned extra = (lua_Unsigned)last - (lua_Unsigned)i;
  if (extra >= (lua_Unsigned)INT_MAX || !lua_checkstack(L, (int)extra + 1))
    return luaL_error(L, "too many results to unpack");
  for (; i < last; i++)
    lua_geti(L, 1, i);
  lua_geti(L, 1, last);
  return (int)extra + 1;
}

/* -- sort -- */

typedef unsigned int SortIndex;

/* Intervals at least this long choose a randomized pivot once the sort has
 * seen a badly unbalanced partition. */
#define SORT_RANDOM_LIMIT 100u

/* Is the value at stack index a less than the one at b, by the comparator
 * in argument 2 (cmp != 0: looked up once per sort) or by '<'? */
static int sort_less(lua_State *L, int cmp, int a, int b) {
  if (!cmp)
    return lua_compare(L, a, b, LUA_OPLT);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, a - 1); /* the push shifted relative indices by one */
  lua_pushvalue(L, b - 2);
  lua_call(L, 2, 1);
  int less = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return less;
}

/* Store the two values on top of the stack: top goes to t[i], the one
 * below it to t[j]. */
static void store_pair(lua_State *L, SortIndex i, SortIndex j) {
  lua_seti(L, 1, i);
  lua_seti(L, 1, j);
}

static unsigned int fresh_seed(void) {
  return (unsigned int)clock() ^ (unsigned int)time(NULL);
}

/* Pivot in the middle half of [lo, up], chosen by rnd. */
static SortIndex random_pivot(SortIndex lo, SortIndex up, unsigned int rnd) {
  SortIndex quarter = (up - lo) / 4;
  return rnd % (quarter * 2) + (lo + quarter);
}

/* Partition [lo, up] around the pivot value P, which is on top of the stack
 * and also stored at t[up - 1]; t[lo] <= P <= t[up] already hold.  Returns
 * the pivot's final index. */
static SortIndex partition(lua_State *L, int cmp, SortIndex lo, SortIndex up) {
  SortIndex i = lo;
  SortIndex j = up - 1;
  for (;;) {
    /* Advance i while t[i] < P.  t[up - 1] is P itself, so passing it means
     * the comparator claims P < P. */
    for (;;) {
      lua_geti(L, 1, ++i);
      if (!sort_less(L, cmp, -1, -2))
        break;
      if (i == up - 1)
        luaL_error(L, "invalid order function for sorting");
      lua_pop(L, 1);
    }
    /* Retreat j while P < t[j].  t[lo] <= P, so crossing i is impossible
     * for a consistent comparator. */
    for (;;) {
      lua_geti(L, 1, --j);
      if (!sort_less(L, cmp, -3, -1))
        break;
      if (j < i)
        luaL_error(L, "invalid order function for sorting");
      lua_pop(L, 1);
    }
    /* Stack: P, t[i], t[j]. */
    if (j < i) {
      lua_pop(L, 1);
      store_pair(L, up - 1, i); /* t[up-1] = t[i], t[i] = P; pops P */
      return i;
    }
    store_pair(L, i, j); /* t[i] = t[j], t[j] = old t[i]; P stays */
  }
}

static void sort_range(lua_State *L, int cmp, SortIndex lo, SortIndex up,
                       unsigned int rnd) {
  while (lo < up) {
    /* Order t[lo] and t[up]. */
    lua_geti(L, 1, lo);
    lua_geti(L, 1, up);
    if (sort_less(L, cmp, -1, -2))
      store_pair(L, lo, up);
    else
      lua_pop(L, 2);
    if (up - lo == 1)
      return;
    SortIndex p = (up - lo < SORT_RANDOM_LIMIT || rnd == 0)
                      ? (lo + up) / 2
                      : random_pivot(lo, up, rnd);
    /* Median of three: order t[p] against t[lo], then against t[up]. */
    lua_geti(L, 1, p);
    lua_geti(L, 1, lo);
    if (sort_less(L, cmp, -2, -1)) {
      store_pair(L, p, lo);
    } else {
      lua_pop(L, 1);
      lua_geti(L, 1, up);
      if (sort_less(L, cmp, -1, -2))
        store_pair(L, p, up);
      else
        lua_pop(L, 2);
    }
    if (up - lo == 2)
      return;
    /* Park the pivot at up - 1 and keep a copy on the stack. */
    lua_geti(L, 1, p);
    lua_pushvalue(L, -1);
    lua_geti(L, 1, up - 1);
    store_pair(L, p, up - 1);
    p = partition(L, cmp, lo, up); /* consumes the pivot copy */
    /* Recurse into the smaller side, loop on the larger one. */
    SortIndex smaller;
    if (p - lo < up - p) {
      sort_range(L, cmp, lo, p - 1, rnd);
      smaller = p - lo;
      lo = p + 1;
    } else {
      sort_range(L, cmp, p + 1, up, rnd);
      smaller = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > smaller) /* very unbalanced: randomize pivots */
      rnd = fresh_seed();
  }
}

static int tab_sort(lua_State *L) {
  lua_Integer n = length_of(L, 1, NEED_READ | NEED_WRITE);
  if (n > 1) {
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2))
      luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    sort_range(L, !lua_isnil(L, 2), 1, (SortIndex)n, 0);
  }
  return 0;
}

/* -- Registration -- */

static const luaL_Reg table_funcs[] = {
  {"concat", tab_concat},
  {"insert", tab_insert},
  {"move", tab_move},
  {"pack", tab_pack},
  {"remove", tab_remove},
  {"sort", tab_sort},
  {"unpack", tab_unpack},
  {NULL, NULL}
};

int luaopen_table(lua_State *L) {
  luaL_newlib(L, table_funcs);
  return 1;
}
