/* table.c -- Lua tables: an array part and a hash part.
 *
 * Keys 1..asize live in 'array'; everything else in 'node', a power-of-two
 * chained scatter table whose collision chains live inside the node array
 * (links are relative offsets).  A new key that collides with a node not in
 * its main position moves that node to a free slot (Brent's variation), so
 * every chain starts at its main position.  When no free node is left the
 * table is rehashed: the array size becomes the largest n such that more
 * than n/2 of the slots 1..n would be in use.
 *
 * Float keys with an integral value are normalised to integers, so t[1] and
 * t[1.0] are the same slot.  Empty slots carry TAG_EMPTY; lookups that find
 * nothing return &abstkey_value (TAG_ABSTKEY).
 */
#include <limits.h>
#include <math.h>

#include "core.h"

const TValue abstkey_value = {{NULL}, TAG_ABSTKEY};

/* The shared empty hash part (lastfree == NULL marks it). */
static Node dummynode_ = {{{NULL}, TAG_EMPTY, TAG_NIL, 0, {NULL}}};
#define dummynode (&dummynode_)
#define isdummy(t) ((t)->lastfree == NULL)

#define MAXABITS 31
#define MAXASIZE (1u << MAXABITS)
#define MAXHBITS 30

static inline Node *hashpow2(const Table *t, uint32_t h) { return &t->node[h & (sizenode(t) - 1)]; }
static inline Node *hashmod(const Table *t, uint64_t h) {
  return &t->node[h % ((sizenode(t) - 1) | 1)];
}

static Node *hashint(const Table *t, lua_Integer i) {
  lua_Unsigned ui = l_castS2U(i);
  if (ui <= (lua_Unsigned)INT32_MAX) return hashmod(t, ui);
  return hashmod(t, ui ^ (ui >> 32));
}

static Node *hashflt(const Table *t, lua_Number n) {
  uint64_t bits;
  memcpy(&bits, &n, sizeof(bits));
  bits ^= bits >> 29;
  return hashmod(t, bits);
}

static Node *mainposition(const Table *t, uint8_t ktt, const Value *kv) {
  switch (ktt) {
    case TAG_INT: return hashint(t, kv->i);
    case TAG_FLT: return hashflt(t, kv->n);
    case TAG_SHRSTR: return hashpow2(t, ((TString *)kv->gc)->hash);
    case TAG_LNGSTR: return hashpow2(t, str_hashlong((TString *)kv->gc));
    case TAG_FALSE: return hashpow2(t, 0);
    case TAG_TRUE: return hashpow2(t, 1);
    case TAG_LIGHTUD: return hashmod(t, (uintptr_t)kv->p >> 3);
    case TAG_LCF: return hashmod(t, (uintptr_t)kv->f >> 3);
    default: return hashmod(t, (uintptr_t)kv->gc >> 3);
  }
}

static inline Node *mainpositionTV(const Table *t, const TValue *key) {
  return mainposition(t, key->tt, &key->v);
}

static bool equalkey(const TValue *k1, const Node *n2) {
  if (k1->tt != keytt(n2)) return false;
  switch (k1->tt) {
    case TAG_NIL: case TAG_FALSE: case TAG_TRUE: return true;
    case TAG_INT: return k1->v.i == keyval(n2).i;
    case TAG_FLT: return k1->v.n == keyval(n2).n;
    case TAG_LIGHTUD: return k1->v.p == keyval(n2).p;
    case TAG_LCF: return k1->v.f == keyval(n2).f;
    case TAG_LNGSTR: return str_eqlngstr(tsvalue(k1), (TString *)keyval(n2).gc);
    default: return k1->v.gc == keyval(n2).gc;
  }
}

/* -- Allocation -- */

Table *tab_new(lua_State *L) {
  Table *t = (Table *)gc_newobj(L, TAG_TABLE, sizeof(Table));
  t->flags = 0xff;
  t->lsizenode = 0;
  t->asize = 0;
  t->array = NULL;
  t->node = dummynode;
  t->lastfree = NULL;
  t->metatable = NULL;
  t->gclist = NULL;
  return t;
}

static void freehash(lua_State *L, Table *t) {
  if (!isdummy(t)) mem_freearray(L, t->node, sizenode(t));
}

void tab_free(lua_State *L, Table *t) {
  freehash(L, t);
  mem_freearray(L, t->array, t->asize);
  mem_free(L, t, sizeof(Table));
}

static void setnodevector(lua_State *L, Table *t, unsigned int size) {
  if (size == 0) {
    t->node = dummynode;
    t->lsizenode = 0;
    t->lastfree = NULL;
    return;
  }
  int lsize = obj_ceillog2(size);
  if (lsize > MAXHBITS) dbg_runerror(L, "table overflow");
  size = 1u << lsize;
  t->node = mem_newvector(L, size, Node);
  for (unsigned int i = 0; i < size; i++) {
    Node *n = &t->node[i];
    gnext(n) = 0;
    keytt(n) = TAG_NIL;
    setempty(gval(n));
  }
  t->lsizenode = (uint8_t)lsize;
  t->lastfree = &t->node[size];
}

static void insertkey(lua_State *L, Table *t, const TValue *key, const TValue *value);

void tab_resize(lua_State *L, Table *t, unsigned int newasize, unsigned int nhsize) {
  unsigned int oldasize = t->asize;
  Node *oldnode = t->node;
  unsigned int oldhsize = isdummy(t) ? 0 : sizenode(t);
  bool olddummy = isdummy(t);
  uint8_t oldlsize = t->lsizenode;
  Node *oldlastfree = t->lastfree;
  /* new hash part first: if it fails, nothing has changed */
  Table tmp = *t;
  setnodevector(L, &tmp, nhsize);
  if (newasize < oldasize) {
    /* move the vanishing array slice into the new hash part */
    t->node = tmp.node;
    t->lsizenode = tmp.lsizenode;
    t->lastfree = tmp.lastfree;
    t->asize = newasize;
    for (unsigned int i = newasize; i < oldasize; i++) {
      if (!ttisnil(&t->array[i])) {
        TValue k;
        setivalue(&k, (lua_Integer)i + 1);
        insertkey(L, t, &k, &t->array[i]);
      }
    }
    t->asize = oldasize;
    tmp.node = t->node;
    tmp.lsizenode = t->lsizenode;
    tmp.lastfree = t->lastfree;
  }
  TValue *na = mem_tryrealloc(L, t->array, oldasize * sizeof(TValue), newasize * sizeof(TValue));
  if (na == NULL && newasize > 0) { /* no memory: the table keeps its old parts */
    if (!isdummy(&tmp)) mem_freearray(L, tmp.node, sizenode(&tmp));
    t->node = oldnode;
    t->lsizenode = oldlsize;
    t->lastfree = oldlastfree;
    t->asize = oldasize;
    do_throw(L, LUA_ERRMEM);
  }
  t->array = na;
  t->asize = newasize;
  t->node = tmp.node;
  t->lsizenode = tmp.lsizenode;
  t->lastfree = tmp.lastfree;
  for (unsigned int i = oldasize; i < newasize; i++) setempty(&t->array[i]);
  /* re-insert the old hash part */
  for (unsigned int j = 0; j < oldhsize; j++) {
    Node *old = &oldnode[j];
    if (!ttisnil(gval(old))) {
      TValue k;
      getnodekey(&k, old);
      if (ttisinteger(&k) && l_castS2U(ivalue(&k)) - 1u < newasize)
        setobj(&t->array[ivalue(&k) - 1], gval(old));
      else
        insertkey(L, t, &k, gval(old));
    }
  }
  if (!olddummy) mem_freearray(L, oldnode, oldhsize);
}

void tab_resizearray(lua_State *L, Table *t, unsigned int nasize) {
  unsigned int nsize = isdummy(t) ? 0 : sizenode(t);
  tab_resize(L, t, nasize, nsize);
}

/* -- Rehash: pick the array size -- */

static unsigned int computesizes(unsigned int nums[], unsigned int *pna) {
  unsigned int twotoi = 1, a = 0, na = 0, optimal = 0;
  for (int i = 0; twotoi > 0 && *pna > twotoi / 2; i++, twotoi *= 2) {
    a += nums[i];
    if (a > twotoi / 2) {
      optimal = twotoi;
      na = a;
    }
  }
  *pna = na;
  return optimal;
}

static int countint(lua_Integer key, unsigned int *nums) {
  if (l_castS2U(key) - 1u < MAXASIZE) {
    nums[obj_ceillog2((unsigned int)key)]++;
    return 1;
  }
  return 0;
}

static unsigned int numusearray(const Table *t, unsigned int *nums) {
  unsigned int ause = 0, i = 1, ttlg = 1;
  for (int lg = 0; lg <= MAXABITS; lg++, ttlg *= 2) {
    unsigned int lc = 0, lim = ttlg;
    if (lim > t->asize) {
      lim = t->asize;
      if (i > lim) break;
    }
    for (; i <= lim; i++)
      if (!ttisnil(&t->array[i - 1])) lc++;
    nums[lg] += lc;
    ause += lc;
  }
  return ause;
}

static unsigned int numusehash(const Table *t, unsigned int *nums, unsigned int *pna) {
  unsigned int totaluse = 0, ause = 0;
  if (isdummy(t)) return 0;
  int i = (int)sizenode(t);
  while (i--) {
    Node *n = &t->node[i];
    if (!ttisnil(gval(n))) {
      if (keytt(n) == TAG_INT) ause += (unsigned int)countint(keyval(n).i, nums);
      totaluse++;
    }
  }
  *pna += ause;
  return totaluse;
}

static void rehash(lua_State *L, Table *t, const TValue *ek) {
  unsigned int nums[MAXABITS + 1];
  for (int i = 0; i <= MAXABITS; i++) nums[i] = 0;
  unsigned int na = numusearray(t, nums);
  unsigned int totaluse = na;
  totaluse += numusehash(t, nums, &na);
  if (ttisinteger(ek)) na += (unsigned int)countint(ivalue(ek), nums);
  totaluse++;
  unsigned int asize = computesizes(nums, &na);
  tab_resize(L, t, asize, totaluse - na);
}

/* -- Lookup -- */

const TValue *tab_getint(Table *t, lua_Integer key) {
  if (l_castS2U(key) - 1u < t->asize) return &t->array[key - 1];
  if (isdummy(t)) return &abstkey_value;
  Node *n = hashint(t, key);
  for (;;) {
    if (keytt(n) == TAG_INT && keyval(n).i == key) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &abstkey_value;
    n += nx;
  }
}

const TValue *tab_getshortstr(Table *t, TString *key) {
  if (isdummy(t)) return &abstkey_value;
  Node *n = hashpow2(t, key->hash);
  for (;;) {
    if (keytt(n) == TAG_SHRSTR && keyval(n).gc == (GCObject *)key) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &abstkey_value;
    n += nx;
  }
}

static const TValue *getgeneric(Table *t, const TValue *key) {
  if (isdummy(t)) return &abstkey_value;
  Node *n = mainpositionTV(t, key);
  for (;;) {
    if (equalkey(key, n)) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &abstkey_value;
    n += nx;
  }
}

const TValue *tab_getstr(Table *t, TString *key) {
  if (key->tt == TAG_SHRSTR) return tab_getshortstr(t, key);
  TValue k;
  setsvalue(&k, key);
  return getgeneric(t, &k);
}

const TValue *tab_get(Table *t, const TValue *key) {
  switch (key->tt) {
    case TAG_SHRSTR: return tab_getshortstr(t, tsvalue(key));
    case TAG_INT: return tab_getint(t, ivalue(key));
    case TAG_NIL: return &abstkey_value;
    case TAG_FLT: {
      lua_Integer k;
      if (obj_flttointns(fltvalue(key), &k, F2Ieq)) return tab_getint(t, k);
      return getgeneric(t, key);
    }
    default: return getgeneric(t, key);
  }
}

/* -- Insertion -- */

static Node *getfreepos(Table *t) {
  if (!isdummy(t)) {
    while (t->lastfree > t->node) {
      t->lastfree--;
      if (keyisnil(t->lastfree)) return t->lastfree;
    }
  }
  return NULL;
}

/* Insert a key known to be absent (and not nil/NaN, already normalised). */
static void insertkey(lua_State *L, Table *t, const TValue *key, const TValue *value) {
  Node *mp = mainpositionTV(t, key);
  if (!ttisnil(gval(mp)) || isdummy(t)) {
    Node *f = getfreepos(t);
    if (f == NULL) {
      rehash(L, t, key);
      tab_set(L, t, key, value);
      return;
    }
    Node *othern = mainposition(t, keytt(mp), &keyval(mp));
    if (othern != mp) {
      /* colliding node is out of its main position: move it to the free slot */
      while (othern + gnext(othern) != mp) othern += gnext(othern);
      gnext(othern) = (int32_t)(f - othern);
      *f = *mp;
      if (gnext(mp) != 0) {
        gnext(f) += (int32_t)(mp - f);
        gnext(mp) = 0;
      }
      setempty(gval(mp));
    } else {
      /* colliding node is in its main position: new key goes to the free slot */
      if (gnext(mp) != 0)
        gnext(f) = (int32_t)((mp + gnext(mp)) - f);
      gnext(mp) = (int32_t)(f - mp);
      mp = f;
    }
  }
  keytt(mp) = key->tt;
  keyval(mp) = key->v;
  setobj(gval(mp), value);
}

void tab_finishset(lua_State *L, Table *t, const TValue *key, const TValue *slot,
                   const TValue *value) {
  t->flags = 0; /* a metamethod may have appeared */
  if (!isabstkey(slot)) {
    setobj((TValue *)slot, value);
    return;
  }
  TValue k;
  if (ttisfloat(key)) {
    lua_Number f = fltvalue(key);
    lua_Integer ik;
    if (obj_flttointns(f, &ik, F2Ieq)) {
      setivalue(&k, ik);
      key = &k;
    } else if (f != f) {
      dbg_runerror(L, "table index is NaN");
    }
  } else if (ttisnil(key)) {
    dbg_runerror(L, "table index is nil");
  }
  if (ttisnil(value)) return; /* assigning nil to an absent key: nothing to do */
  insertkey(L, t, key, value);
}

void tab_set(lua_State *L, Table *t, const TValue *key, const TValue *value) {
  const TValue *slot = tab_get(t, key);
  tab_finishset(L, t, key, slot, value);
}

void tab_setint(lua_State *L, Table *t, lua_Integer key, const TValue *value) {
  t->flags = 0;
  const TValue *slot = tab_getint(t, key);
  if (!isabstkey(slot)) {
    setobj((TValue *)slot, value);
  } else if (!ttisnil(value)) {
    TValue k;
    setivalue(&k, key);
    insertkey(L, t, &k, value);
  }
}

/* -- Length: a border (t[n] ~= nil and t[n+1] == nil) -- */

static lua_Unsigned hash_search(Table *t, lua_Unsigned j) {
  lua_Unsigned i;
  if (j == 0) j++;
  do {
    i = j;
    if (j <= l_castS2U(LUA_MAXINTEGER) / 2) {
      j *= 2;
    } else {
      j = l_castS2U(LUA_MAXINTEGER);
      if (ttisnil(tab_getint(t, (lua_Integer)j))) break;
      return j;
    }
  } while (!ttisnil(tab_getint(t, (lua_Integer)j)));
  while (j - i > 1u) {
    lua_Unsigned m = (i + j) / 2;
    if (ttisnil(tab_getint(t, (lua_Integer)m))) j = m;
    else i = m;
  }
  return i;
}

lua_Unsigned tab_getn(Table *t) {
  unsigned int limit = t->asize;
  if (limit > 0 && ttisnil(&t->array[limit - 1])) {
    /* border inside the array part: binary search */
    unsigned int i = 0, j = limit;
    while (j - i > 1u) {
      unsigned int m = (i + j) / 2;
      if (ttisnil(&t->array[m - 1])) j = m;
      else i = m;
    }
    return i;
  }
  if (isdummy(t) || ttisnil(tab_getint(t, (lua_Integer)limit + 1))) return limit;
  return hash_search(t, limit);
}

/* -- Traversal -- */

/* Like getgeneric, but also finds the node of a key whose value was set to
 * nil during the traversal (the GC may have turned it into a dead key). */
static Node *findnode(Table *t, const TValue *key) {
  if (isdummy(t)) return NULL;
  TValue k;
  setobj(&k, key);
  lua_Integer ik;
  if (ttisfloat(&k) && obj_flttointns(fltvalue(&k), &ik, F2Ieq)) setivalue(&k, ik);
  Node *n = mainpositionTV(t, &k);
  for (;;) {
    if (equalkey(&k, n)) return n;
    if (keytt(n) == TAG_DEADKEY && iscollectable(&k) && keyval(n).gc == gcvalue(&k)) return n;
    int nx = gnext(n);
    if (nx == 0) return NULL;
    n += nx;
  }
}

/* Where the traversal goes on after key, or UINT_MAX when key is not in
 * the table. */
static unsigned int findindex(Table *t, TValue *key) {
  if (ttisnil(key)) return 0;
  if (ttisinteger(key) && l_castS2U(ivalue(key)) - 1u < t->asize)
    return (unsigned int)ivalue(key);
  Node *n = findnode(t, key);
  if (n == NULL) return UINT_MAX;
  return (unsigned int)(n - t->node) + 1 + t->asize;
}

int tab_next(lua_State *L, Table *t, StkId key) {
  int r = tab_next_noerr(t, key);
  if (r < 0) dbg_runerror(L, "invalid key to 'next'");
  return r;
}

int tab_next_noerr(Table *t, TValue *key) {
  unsigned int i = findindex(t, key);
  if (i == UINT_MAX) return -1;
  for (; i < t->asize; i++) {
    if (!ttisnil(&t->array[i])) {
      setivalue(key, (lua_Integer)i + 1);
      setobj(key + 1, &t->array[i]);
      return 1;
    }
  }
  if (isdummy(t)) return 0;
  for (i -= t->asize; i < sizenode(t); i++) {
    Node *n = &t->node[i];
    if (!ttisnil(gval(n))) {
      getnodekey(key, n);
      setobj(key + 1, gval(n));
      return 1;
    }
  }
  return 0;
}

size_t tab_size(Table *t) {
  return sizeof(Table) + t->asize * sizeof(TValue) + (isdummy(t) ? 0 : sizenode(t) * sizeof(Node));
}
