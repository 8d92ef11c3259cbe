/* gc.c -- memory accounting and the garbage collector of cpjit-lua.
 *
 * Design: precise, stop-the-world mark and sweep.
 *
 *  - Every heap object starts with GC_HEADER and lives on exactly one list:
 *    g->allgc, g->finobj (objects whose metatable has __gc), g->tobefnz
 *    (unreachable objects waiting for their finalizer), or, for short
 *    strings, the intern table.
 *  - A collection never starts inside an allocation.  It starts only at
 *    gc_check() calls placed at points where every live object is reachable
 *    from the roots (the VM sets L->top to the frame top first).  That keeps
 *    the parser and C helpers free of anchoring rules.
 *  - Mark: 'marked' becomes 1; containers are pushed on the gray list and
 *    traversed iteratively, so deep structures do not recurse on the C stack.
 *  - Sweep: unmarked objects are freed, survivors reset to 0.
 *  - Pacing: after a collection the threshold is gcpause% of the live bytes
 *    (default 200%), i.e. collect when the heap doubles.
 *  - Weak tables (__mode 'k', 'v' or 'kv'): weak parts are not marked; after
 *    marking, entries whose weak key or value died are removed (dead keys
 *    get TAG_DEADKEY).  Strings count as values, never as weak references.
 *    Weak-key tables are ephemerons (a value is marked only once its key is,
 *    iterated to a fixed point); weak values are cleared before the objects
 *    to be finalized are resurrected, weak keys after (as in lua5.4).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdlib.h>

#include "core.h"
#include "trace/trace.h"

#define GC_MINTHRESHOLD (256 * 1024)

/* -- Allocation --
 *
 * Small blocks (up to POOL_MAX bytes) are recycled through per-size free
 * lists kept in g->pool: a sweep frees many small objects at once and the
 * next allocations want exactly those sizes again, which the C allocator
 * handles much more slowly.  Pooled memory is reused, never returned to the
 * system.  Sanitizer builds bypass the pools so use-after-free stays visible.
 */

#if defined(__SANITIZE_ADDRESS__)
#define GC_NO_POOL 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GC_NO_POOL 1
#endif
#endif

#define POOL_GRAIN 16
#define POOL_MAX (POOL_GRAIN * GC_NPOOLS)
#define poolindex(sz) (((sz) - 1) / POOL_GRAIN)

typedef struct PoolBlock {
  struct PoolBlock *next;
} PoolBlock;

static void *rawalloc(global_State *g, size_t sz) {
#ifndef GC_NO_POOL
  if (sz <= POOL_MAX) {
    size_t idx = poolindex(sz);
    PoolBlock *b = (PoolBlock *)g->pool[idx];
    if (b != NULL) {
      g->pool[idx] = b->next;
      return b;
    }
    return g->frealloc(g->ud, NULL, 0, (idx + 1) * POOL_GRAIN);
  }
#endif
  return g->frealloc(g->ud, NULL, 0, sz);
}

static void rawfree(global_State *g, void *block, size_t sz) {
#ifndef GC_NO_POOL
  if (sz <= POOL_MAX && g->nopool) { /* closing: allocated rounded up */
    g->frealloc(g->ud, block, (poolindex(sz) + 1) * POOL_GRAIN, 0);
    return;
  }
  if (sz <= POOL_MAX) {
    PoolBlock *b = (PoolBlock *)block;
    size_t idx = poolindex(sz);
    b->next = (PoolBlock *)g->pool[idx];
    g->pool[idx] = b;
    return;
  }
#endif
  g->frealloc(g->ud, block, sz, 0);
}

void *mem_defaultalloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

void mem_freepools(global_State *g) {
  for (int i = 0; i < GC_NPOOLS; i++) {
    PoolBlock *b = (PoolBlock *)g->pool[i];
    while (b) {
      PoolBlock *nx = b->next;
      g->frealloc(g->ud, b, (size_t)(i + 1) * POOL_GRAIN, 0);
      b = nx;
    }
    g->pool[i] = NULL;
  }
}

void *mem_realloc(lua_State *L, void *block, size_t osize, size_t nsize) {
  void *nb = mem_tryrealloc(L, block, osize, nsize);
  if (nb == NULL && nsize > 0) do_throw(L, LUA_ERRMEM);
  return nb;
}

void *mem_tryrealloc(lua_State *L, void *block, size_t osize, size_t nsize) {
  global_State *g = G(L);
  if (nsize == 0) {
    if (block) rawfree(g, block, osize);
    g->totalbytes -= osize;
    return NULL;
  }
  void *nb;
  if (block == NULL) {
    nb = rawalloc(g, nsize);
  } else if (osize > POOL_MAX && nsize > POOL_MAX) {
    nb = g->frealloc(g->ud, block, osize, nsize);
  } else {
    nb = rawalloc(g, nsize);
    if (nb != NULL) {
      memcpy(nb, block, osize < nsize ? osize : nsize);
      rawfree(g, block, osize);
    }
  }
  if (nb == NULL && g->jit && jit_release(L)) /* traces give way to the program */
    return mem_tryrealloc(L, block, osize, nsize);
  if (nb == NULL) return NULL; /* the block is untouched */
  g->totalbytes += nsize - osize;
  return nb;
}

void *mem_malloc(lua_State *L, size_t size) {
  if (size == 0) return NULL;
  return mem_realloc(L, NULL, 0, size);
}

void mem_free(lua_State *L, void *block, size_t size) {
  if (block) mem_realloc(L, block, size, 0);
}

void *mem_growvector(lua_State *L, void *block, int *size, int needed, size_t elemsize,
                     int limit, const char *what) {
  int sz = *size;
  if (needed < sz) return block;
  int nsz;
  if (sz >= limit / 2) {
    if (sz >= limit) dbg_runerror(L, "too many %s (limit is %d)", what, limit);
    nsz = limit;
  } else {
    nsz = sz * 2;
    if (nsz < 4) nsz = 4;
  }
  if (nsz <= needed) nsz = needed + 1;
  void *nb = mem_realloc(L, block, (size_t)sz * elemsize, (size_t)nsz * elemsize);
  *size = nsz;
  return nb;
}

GCObject *gc_newobj(lua_State *L, uint8_t tt, size_t sz) {
  global_State *g = G(L);
  GCObject *o = (GCObject *)mem_malloc(L, sz);
  o->tt = tt;
  o->marked = 0;
  o->next = g->allgc;
  g->allgc = o;
  return o;
}

/* -- Marking -- */

static void markobject(global_State *g, GCObject *o);

static void markvalue(global_State *g, const TValue *v) {
  if (iscollectable(v)) markobject(g, gcvalue(v));
}

static void markobject(global_State *g, GCObject *o) {
  if (o == NULL || o->marked) return;
  o->marked = 1;
  switch (o->tt) {
    case TAG_SHRSTR:
    case TAG_LNGSTR:
      return;
    case TAG_UPVAL: {
      UpVal *uv = (UpVal *)o;
      markvalue(g, uv->v);
      return;
    }
    case TAG_TABLE:
      ((Table *)o)->gclist = g->gray;
      break;
    case TAG_LCL:
      ((LClosure *)o)->gclist = g->gray;
      break;
    case TAG_CCL:
      ((CClosure *)o)->gclist = g->gray;
      break;
    case TAG_PROTO:
      ((Proto *)o)->gclist = g->gray;
      break;
    case TAG_UDATA:
      ((Udata *)o)->gclist = g->gray;
      break;
    case TAG_THREAD:
      ((lua_State *)o)->gclist = g->gray;
      break;
    default:
      return;
  }
  g->gray = o;
}

/* A weak reference does not keep its object alive; strings are values. */
#define isweakref(tt) (((tt) & TAG_COLLECTABLE) && ((tt) & 0x0f) != LUA_TSTRING)

static int weakmode(global_State *g, Table *t) {
  Table *mt = t->metatable;
  if (mt == NULL || (mt->flags & (1u << TM_MODE))) return 0;
  const TValue *mode = tab_getshortstr(mt, g->tmname[TM_MODE]);
  if (!ttisstring(mode)) return 0;
  int w = 0;
  if (strchr(svalue(mode), 'k')) w |= 1;
  if (strchr(svalue(mode), 'v')) w |= 2;
  return w;
}

static void traversetable(global_State *g, Table *t) {
  if (t->metatable) markobject(g, (GCObject *)t->metatable);
  int w = weakmode(g, t);
  if (w) {
    t->gclist = g->weak;
    g->weak = (GCObject *)t;
  }
  for (uint32_t i = 0; i < t->asize; i++)
    if (!(w & 2) || !isweakref(t->array[i].tt)) markvalue(g, &t->array[i]);
  if (t->lastfree == NULL) return; /* dummy node */
  Node *limit = t->node + sizenode(t);
  for (Node *n = t->node; n < limit; n++) {
    if (!ttisnil(gval(n))) {
      bool weakkey = (w & 1) && isweakref(keytt(n));
      /* a fully weak table marks its string keys only when the entry
       * survives (clearweak), so a key dies with its value's entry */
      if ((keytt(n) & TAG_COLLECTABLE) && !weakkey && w != 3) markobject(g, keyval(n).gc);
      /* an ephemeron: the value of a weak key is marked once the key is
       * (convergeephemerons) */
      if (weakkey && !keyval(n).gc->marked) continue;
      if (!(w & 2) || !isweakref(gval(n)->tt)) markvalue(g, gval(n));
    } else if (keytt(n) & TAG_COLLECTABLE) {
      keytt(n) = TAG_DEADKEY; /* unmarked key of an empty slot: may be freed */
    }
  }
}

/* Remove entries of weak tables that refer to unmarked objects: by dead
 * values only, or by dead keys too. */
static void clearweak(global_State *g, bool keys) {
  for (GCObject *o = g->weak; o; o = ((Table *)o)->gclist) {
    Table *t = (Table *)o;
    bool weakvals = (weakmode(g, t) & 2) != 0; /* else unmarked values are ephemerons' */
    for (uint32_t i = 0; weakvals && i < t->asize; i++) {
      TValue *v = &t->array[i];
      if (isweakref(v->tt) && !gcvalue(v)->marked) setempty(v);
    }
    if (t->lastfree == NULL) continue;
    Node *limit = t->node + sizenode(t);
    for (Node *n = t->node; n < limit; n++) {
      if (ttisnil(gval(n))) continue;
      bool deadval = weakvals && isweakref(gval(n)->tt) && !gcvalue(gval(n))->marked;
      bool deadkey = keys && isweakref(keytt(n)) && !keyval(n).gc->marked;
      if (deadval || deadkey) setempty(gval(n));
      else if (keys && (keytt(n) & TAG_COLLECTABLE)) keyval(n).gc->marked = 1; /* string key */
    }
  }
}

/* Weak-key tables are ephemerons: a value stays alive only while its key
 * does.  Mark the values of marked keys until nothing more gets marked. */
static void propagateall(global_State *g);
static void convergeephemerons(global_State *g) {
  bool changed;
  do {
    changed = false;
    for (GCObject *o = g->weak; o; o = ((Table *)o)->gclist) {
      Table *t = (Table *)o;
      if (weakmode(g, t) != 1 || t->lastfree == NULL) continue;
      Node *limit = t->node + sizenode(t);
      for (Node *n = t->node; n < limit; n++) {
        if (ttisnil(gval(n)) || !iscollectable(gval(n)) || gcvalue(gval(n))->marked) continue;
        if (isweakref(keytt(n)) && !keyval(n).gc->marked) continue;
        markvalue(g, gval(n));
        changed = true;
      }
    }
    propagateall(g); /* may put more tables on g->weak, at its head */
  } while (changed);
}

/* Nodes with an empty value may still hold a key object that is about to be
 * freed; turn such keys into dead keys so no lookup can match them. */
static void cleardeadkeys(Table *t) {
  if (t->lastfree == NULL) return;
  Node *limit = t->node + sizenode(t);
  for (Node *n = t->node; n < limit; n++) {
    if (ttisnil(gval(n)) && (keytt(n) & TAG_COLLECTABLE)) keytt(n) = TAG_DEADKEY;
  }
}

static void traverseproto(global_State *g, Proto *f) {
  if (f->source) markobject(g, (GCObject *)f->source);
  for (int i = 0; i < f->sizek; i++) markvalue(g, &f->k[i]);
  for (int i = 0; i < f->sizeupvalues; i++)
    if (f->upvalues[i].name) markobject(g, (GCObject *)f->upvalues[i].name);
  for (int i = 0; i < f->sizep; i++)
    if (f->p[i]) markobject(g, (GCObject *)f->p[i]);
  for (int i = 0; i < f->sizelocvars; i++)
    if (f->locvars[i].varname) markobject(g, (GCObject *)f->locvars[i].varname);
}

static void traversethread(global_State *g, lua_State *th) {
  if (th->stack == NULL) return;
  StkId o = th->stack;
  for (; o < th->top; o++) markvalue(g, o);
  /* dead slots above the top must not keep (or later expose) freed objects */
  for (; o < th->stack_last + EXTRA_STACK; o++) setnilvalue(o);
  for (UpVal *uv = th->openupval; uv; uv = uv->u.open.next) markobject(g, (GCObject *)uv);
}

static void propagateall(global_State *g) {
  while (g->gray) {
    GCObject *o = g->gray;
    switch (o->tt) {
      case TAG_TABLE: {
        Table *t = (Table *)o;
        g->gray = t->gclist;
        traversetable(g, t);
        break;
      }
      case TAG_LCL: {
        LClosure *cl = (LClosure *)o;
        g->gray = cl->gclist;
        markobject(g, (GCObject *)cl->p);
        for (int i = 0; i < cl->nupvalues; i++) markobject(g, (GCObject *)cl->upvals[i]);
        break;
      }
      case TAG_CCL: {
        CClosure *cl = (CClosure *)o;
        g->gray = cl->gclist;
        for (int i = 0; i < cl->nupvalues; i++) markvalue(g, &cl->upvalue[i]);
        break;
      }
      case TAG_PROTO: {
        Proto *p = (Proto *)o;
        g->gray = p->gclist;
        traverseproto(g, p);
        break;
      }
      case TAG_UDATA: {
        Udata *u = (Udata *)o;
        g->gray = u->gclist;
        if (u->metatable) markobject(g, (GCObject *)u->metatable);
        for (int i = 0; i < u->nuvalue; i++) markvalue(g, &u->uv[i]);
        break;
      }
      case TAG_THREAD: {
        lua_State *th = (lua_State *)o;
        g->gray = th->gclist;
        traversethread(g, th);
        break;
      }
      default:
        g->gray = NULL; /* cannot happen: only containers are gray */
        break;
    }
  }
}

static void markroots(lua_State *L) {
  global_State *g = G(L);
  markobject(g, (GCObject *)g->mainthread);
  markobject(g, (GCObject *)L);
  markvalue(g, &g->l_registry);
  for (int i = 0; i < LUA_NUMTYPES; i++)
    if (g->mt[i]) markobject(g, (GCObject *)g->mt[i]);
  for (int i = 0; i < TM_N; i++) markobject(g, (GCObject *)g->tmname[i]);
  markobject(g, (GCObject *)g->memerrmsg);
  for (int i = 0; i < g->nfixed; i++) markobject(g, (GCObject *)g->fixedstr[i]);
  /* a running coroutine chain: every resumer is alive */
  for (lua_State *r = L->resumer; r; r = r->resumer) markobject(g, (GCObject *)r);
  /* functions traces rely on besides their own */
  jit_markdeps(g, markobject);
  /* objects already waiting for finalization stay alive until finalized */
  for (GCObject *o = g->tobefnz; o; o = o->next) markobject(g, o);
}

/* -- Freeing -- */

static void freeobj(lua_State *L, GCObject *o) {
  switch (o->tt) {
    case TAG_SHRSTR:
    case TAG_LNGSTR: {
      TString *ts = (TString *)o;
      mem_free(L, ts, sizeof(TString) + ts->len + 1);
      break;
    }
    case TAG_TABLE:
      tab_free(L, (Table *)o);
      break;
    case TAG_LCL: {
      LClosure *cl = (LClosure *)o;
      mem_free(L, cl, sizeLclosure(cl->nupvalues));
      break;
    }
    case TAG_CCL: {
      CClosure *cl = (CClosure *)o;
      mem_free(L, cl, sizeCclosure(cl->nupvalues));
      break;
    }
    case TAG_PROTO:
      func_freeproto(L, (Proto *)o);
      break;
    case TAG_UPVAL: {
      /* an open upvalue is only unreachable when its thread is dead too */
      mem_free(L, o, sizeof(UpVal));
      break;
    }
    case TAG_UDATA: {
      Udata *u = (Udata *)o;
      mem_free(L, u, sizeof(Udata) + sizeof(TValue) * u->nuvalue + u->len);
      break;
    }
    case TAG_THREAD:
      do_freethread(L, (lua_State *)o);
      break;
    default:
      break;
  }
}

static void sweeplist(lua_State *L, GCObject **p) {
  GCObject *o;
  while ((o = *p) != NULL) {
    if (o->marked) {
      o->marked = 0;
      p = &o->next;
    } else {
      *p = o->next;
      freeobj(L, o);
    }
  }
}

static void sweepstrings(lua_State *L) {
  StringTable *tb = &G(L)->strt;
  for (int i = 0; i < tb->size; i++) {
    TString **p = &tb->hash[i];
    TString *ts;
    while ((ts = *p) != NULL) {
      if (ts->marked) {
        ts->marked = 0;
        p = &ts->hnext;
      } else {
        *p = ts->hnext;
        tb->nuse--;
        mem_free(L, ts, sizeof(TString) + ts->len + 1);
      }
    }
  }
  if (tb->nuse < tb->size / 4 && tb->size > 128) str_resize(L, tb->size / 2);
}

/* -- Finalizers -- */

void gc_checkfinalizer(lua_State *L, GCObject *o, Table *mt) {
  global_State *g = G(L);
  if (mt == NULL || tm_fasttm(L, mt, TM_GC) == NULL) return;
  /* already on finobj?  Walk is cheap compared to setmetatable frequency. */
  for (GCObject *p = g->finobj; p; p = p->next)
    if (p == o) return;
  GCObject **pp = &g->allgc;
  while (*pp && *pp != o) pp = &(*pp)->next;
  if (*pp == NULL) return;
  *pp = o->next;
  o->next = g->finobj;
  g->finobj = o;
}

static void separatetobefnz(global_State *g, bool all) {
  GCObject **p = &g->finobj;
  GCObject **lastnext = &g->tobefnz;
  while (*lastnext) lastnext = &(*lastnext)->next;
  GCObject *o;
  while ((o = *p) != NULL) {
    if (o->marked && !all) {
      p = &o->next;
    } else {
      *p = o->next;
      o->next = NULL;
      *lastnext = o;
      lastnext = &o->next;
    }
  }
}

static void callgcmethod(lua_State *L, void *ud) {
  (void)ud;
  do_callnoyield(L, L->top - 2, 0);
}

/* Run the __gc metamethods of objects waiting in tobefnz.  An error in a
 * finalizer becomes the warning "error in __gc (msg)", as in lua5.4, and is
 * otherwise ignored. */
void gc_runpending(lua_State *L) {
  global_State *g = G(L);
  while (g->tobefnz) {
    GCObject *o = g->tobefnz;
    g->tobefnz = o->next;
    o->next = g->allgc; /* back to normal life: freed by the next cycle */
    g->allgc = o;
    TValue v;
    setgcovalue(&v, o, o->tt);
    const TValue *tm = tm_gettmbyobj(L, &v, TM_GC);
    if (tm == NULL || !ttisfunction(tm)) continue;
    checkstackGC(L, 2);
    setobj(L->top, tm);
    setobj(L->top + 1, &v);
    L->top += 2;
    g->gcstop++;
    g->gcinfin++;
    ptrdiff_t oldtop = savestack(L, L->top - 2);
    /* the frame the collection ran in calls the finalizer: debug.getinfo
     * names it "__gc" (metamethod) from this mark */
    CallInfo *ci = L->ci;
    ci->callstatus |= CIST_FIN;
    int status = do_pcall(L, callgcmethod, NULL, oldtop, 0);
    ci->callstatus &= (unsigned short)~CIST_FIN;
    g->gcstop--;
    g->gcinfin--;
    if (status != LUA_OK) {
      const char *msg = ttisstring(L->top - 1) ? svalue(L->top - 1) : "error object is not a string";
      lua_warning(L, "error in __gc (", 1);
      lua_warning(L, msg, 1);
      lua_warning(L, ")", 0);
      L->top--;
    }
  }
}

/* -- Collection -- */

/* Close the open upvalues of the threads about to be freed (unmarked ones,
 * or all) while every object is still there: the sweep may free such an
 * upvalue before its thread, whose list would then point at freed memory. */
static void closethreadupvals(global_State *g, bool all) {
  for (GCObject *o = g->allgc; o; o = o->next)
    if (o->tt == TAG_THREAD && (all || !o->marked)) {
      lua_State *th = (lua_State *)o;
      if (th->stack) func_closeupval(th, th->stack);
    }
}

static void collect(lua_State *L, bool runfinalizers) {
  global_State *g = G(L);
  if (g->gcinprogress) return;
  g->gcinprogress = true;
  g->gray = NULL;
  g->weak = NULL;
  g->mainthread->marked = 0; /* the main thread lives outside the object lists */
  markroots(L);
  propagateall(g);
  convergeephemerons(g);
  /* weak values die before their finalizers run (lua5.4): cleared now,
   * while the objects to be finalized are still unmarked */
  clearweak(g, false);
  separatetobefnz(g, false);
  for (GCObject *o = g->tobefnz; o; o = o->next) {
    o->marked = 0;
    markobject(g, o); /* resurrect for the finalizer */
  }
  propagateall(g);
  convergeephemerons(g);
  clearweak(g, true); /* weak keys of resurrected objects stay one more cycle */
  GCObject *weak = g->weak;
  g->weak = NULL;
  for (GCObject *o = weak; o; o = ((Table *)o)->gclist) cleardeadkeys((Table *)o);
  closethreadupvals(g, false);
  sweepstrings(L);
  sweeplist(L, &g->allgc);
  sweeplist(L, &g->finobj);
  for (GCObject *o = g->tobefnz; o; o = o->next) o->marked = 0;
  g->gcestimate = g->totalbytes;
  size_t th = g->gcestimate / 100 * (size_t)(g->gcpause < 100 ? 100 : g->gcpause);
  g->gcthreshold = th < GC_MINTHRESHOLD ? GC_MINTHRESHOLD : th;
  g->gcinprogress = false;
  if (runfinalizers && g->tobefnz) gc_runpending(L);
}

/* Would gc_check collect now? */
bool gc_isdue(lua_State *L) {
  global_State *g = G(L);
  return g->totalbytes > g->gcthreshold && g->gcstop == 0 && g->gcrunning_user;
}

void gc_check(lua_State *L) {
  global_State *g = G(L);
  if (g->totalbytes > g->gcthreshold && g->gcstop == 0 && g->gcrunning_user) collect(L, true);
}

void gc_fullgc(lua_State *L) {
  if (G(L)->gcstop) return;
  collect(L, true);
}

/* Free everything (lua_close): run all pending finalizers first. */
void gc_freeall(lua_State *L) {
  global_State *g = G(L);
  separatetobefnz(g, true);
  gc_runpending(L);
  g->gcinprogress = true;
  closethreadupvals(g, true);
  if (g->mainthread->stack) func_closeupval(g->mainthread, g->mainthread->stack);
  /* Everything goes now: free each block once instead of chaining it into
   * a pool that mem_freepools walks again (a cache miss per object). */
  mem_freepools(g);
  g->nopool = true;
  GCObject *o;
  while ((o = g->allgc) != NULL) {
    g->allgc = o->next;
    if (o != (GCObject *)g->mainthread) freeobj(L, o);
  }
  while ((o = g->finobj) != NULL) {
    g->finobj = o->next;
    freeobj(L, o);
  }
  StringTable *tb = &g->strt;
  for (int i = 0; i < tb->size; i++) {
    TString *ts = tb->hash[i];
    while (ts) {
      TString *nx = ts->hnext;
      mem_free(L, ts, sizeof(TString) + ts->len + 1);
      ts = nx;
    }
    tb->hash[i] = NULL;
  }
  tb->nuse = 0;
}
