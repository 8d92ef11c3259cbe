/* str.c -- strings and full userdata allocation.
 *
 * Strings of up to SHORT_STR_MAX bytes are interned in g->strt, so two
 * short strings are equal iff they are the same object and table lookups
 * compare pointers.  Longer strings are created fresh each time; their hash
 * is computed on first use as a table key (extra != 0 once computed).
 * Every string is NUL-terminated so C code can use it directly.
 */
#include "core.h"

uint32_t str_hash(const char *s, size_t l, uint32_t seed) {
  uint32_t h = seed ^ (uint32_t)l;
  for (size_t i = 0; i < l; i++) h ^= ((h << 5) + (h >> 2) + (uint8_t)s[i]);
  return h;
}

uint32_t str_hashlong(TString *ts) {
  if (!ts->extra) {
    ts->hash = str_hash(ts->data, ts->len, ts->hash);
    ts->extra = 1;
  }
  return ts->hash;
}

bool str_eqlngstr(TString *a, TString *b) {
  return a == b || (a->len == b->len && memcmp(a->data, b->data, a->len) == 0);
}

void str_resize(lua_State *L, int newsize) {
  StringTable *tb = &G(L)->strt;
  TString **nh = mem_newvector(L, newsize, TString *);
  for (int i = 0; i < newsize; i++) nh[i] = NULL;
  for (int i = 0; i < tb->size; i++) {
    TString *p = tb->hash[i];
    while (p) {
      TString *nx = p->hnext;
      unsigned int h = p->hash & (unsigned int)(newsize - 1);
      p->hnext = nh[h];
      nh[h] = p;
      p = nx;
    }
  }
  mem_freearray(L, tb->hash, tb->size);
  tb->hash = nh;
  tb->size = newsize;
}

void str_init(lua_State *L) {
  global_State *g = G(L);
  g->strt.size = 0;
  g->strt.hash = NULL;
  str_resize(L, 128);
  g->memerrmsg = str_newliteral(L, "not enough memory");
}

static TString *createstr(lua_State *L, const char *s, size_t l, uint8_t tt, uint32_t h) {
  TString *ts = (TString *)mem_malloc(L, sizeof(TString) + l + 1);
  ts->tt = tt;
  ts->marked = 0;
  ts->extra = 0;
  ts->hash = h;
  ts->len = l;
  ts->hnext = NULL;
  ts->next = NULL;
  if (s) memcpy(ts->data, s, l);
  ts->data[l] = '\0';
  return ts;
}

static TString *internshort(lua_State *L, const char *s, size_t l) {
  global_State *g = G(L);
  StringTable *tb = &g->strt;
  uint32_t h = str_hash(s, l, g->seed);
  for (TString *ts = tb->hash[h & (unsigned int)(tb->size - 1)]; ts; ts = ts->hnext) {
    /* the hash first: chains hold strings of equal length (k-mers, keys
     * of one shape), and it spares a memcmp call per collision */
    if (ts->hash == h && ts->len == l && memcmp(s, ts->data, l) == 0) {
      /* a string found dead during a sweep is already gone, so any hit is live */
      return ts;
    }
  }
  if (tb->nuse >= tb->size && tb->size < (1 << 28)) str_resize(L, tb->size * 2);
  TString *ts = createstr(L, s, l, TAG_SHRSTR, h);
  TString **list = &tb->hash[h & (unsigned int)(tb->size - 1)];
  ts->hnext = *list;
  *list = ts;
  tb->nuse++;
  return ts;
}

TString *str_newlstr(lua_State *L, const char *s, size_t l) {
  if (l <= SHORT_STR_MAX) return internshort(L, s, l);
  if (l >= (SIZE_MAX - sizeof(TString)) / 2) dbg_runerror(L, "string length overflow");
  TString *ts = createstr(L, s, l, TAG_LNGSTR, G(L)->seed);
  ts->next = G(L)->allgc;
  G(L)->allgc = (GCObject *)ts;
  return ts;
}

/* A long string with uninitialised contents (the caller fills data[0..l)). */
TString *str_newlong(lua_State *L, size_t l) {
  if (l >= (SIZE_MAX - sizeof(TString)) / 2) dbg_runerror(L, "string length overflow");
  TString *ts = createstr(L, NULL, l, TAG_LNGSTR, G(L)->seed);
  ts->next = G(L)->allgc;
  G(L)->allgc = (GCObject *)ts;
  return ts;
}

/* Resize the long string ts to length l in place (contents kept up to the
 * shorter length) when ts is the newest object of g->allgc, the usual case
 * for a buffer that grows while nothing else is allocated: the allocator can
 * then extend or shrink the block without a copy (glibc remaps large
 * blocks).  Returns the string's new address, or NULL when ts is not the
 * newest object (the caller copies instead).  The caller updates every
 * reference to ts, so only use it on a string nothing else has seen yet. */
TString *str_resizelong(lua_State *L, TString *ts, size_t l) {
  global_State *g = G(L);
  if (g->allgc != (GCObject *)ts || ts->tt != TAG_LNGSTR) return NULL;
  if (l >= (SIZE_MAX - sizeof(TString)) / 2) dbg_runerror(L, "string length overflow");
  TString *nts = (TString *)mem_realloc(L, ts, sizeof(TString) + ts->len + 1, sizeof(TString) + l + 1);
  g->allgc = (GCObject *)nts;
  nts->len = l;
  nts->extra = 0; /* a hash computed before would be stale */
  nts->data[l] = '\0';
  return nts;
}

TString *str_new(lua_State *L, const char *s) { return str_newlstr(L, s, strlen(s)); }

Udata *str_newudata(lua_State *L, size_t s, int nuvalue) {
  if (s > SIZE_MAX / 2) dbg_runerror(L, "memory allocation error: block too big");
  Udata *u = (Udata *)gc_newobj(L, TAG_UDATA, sizeof(Udata) + sizeof(TValue) * (size_t)nuvalue + s);
  u->nuvalue = (uint16_t)nuvalue;
  u->len = s;
  u->metatable = NULL;
  u->gclist = NULL;
  for (int i = 0; i < nuvalue; i++) setnilvalue(&u->uv[i]);
  return u;
}
