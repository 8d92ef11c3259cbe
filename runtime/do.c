/* do.c -- stack management, calls, errors and protected execution.
 *
 * Errors unwind with longjmp to the innermost do_rawrunprotected (every
 * lua_pcall and every coroutine body installs one).  Lua-to-Lua calls do
 * not recurse natively: do_precall only builds the new frame and the
 * interpreter continues in the same vm_execute activation.  Native
 * recursion happens only when C code calls Lua (do_call), and is bounded by
 * L->nCcalls (LUAI_MAXCCALLS -> "C stack overflow").
 *
 * The Lua stack grows by reallocation (doubling, up to LUAI_MAXSTACK
 * slots); all stack pointers held by frames and open upvalues are moved
 * with it.  Code holding a raw StkId across anything that can grow the
 * stack must save it with savestack/restorestack.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdlib.h>

#include "core.h"
#include "trace/trace.h"
#include "lex.h"

/* -- Errors -- */

void do_seterrorobj(lua_State *L, int errcode, StkId oldtop) {
  switch (errcode) {
    case LUA_ERRMEM:
      if (G(L)->memerrmsg) setsvalue(oldtop, G(L)->memerrmsg);
      else setnilvalue(oldtop); /* while the state is being made */
      break;
    case LUA_ERRERR:
      setsvalue(oldtop, str_newliteral(L, "error in error handling"));
      break;
    case LUA_OK:
      setnilvalue(oldtop);
      break;
    default:
      setobj(oldtop, L->top - 1);
      break;
  }
  L->top = oldtop + 1;
}

_Noreturn void do_throw(lua_State *L, int errcode) {
  global_State *g = G(L);
  lua_State *run = g->running;
  if (run != NULL && run != L) {
    /* An error on a thread that is not running (an allocation for a new or
     * suspended coroutine's stack, a value pushed onto one): its handler,
     * if any, belongs to another C stack.  Raise it on the running thread;
     * the error object moves along. */
    if (errcode != LUA_ERRMEM && errcode != LUA_ERRERR && L->top > L->stack) {
      if (run->top < run->stack_last + EXTRA_STACK) {
        setobj(run->top, L->top - 1);
        run->top++;
      } else {
        errcode = LUA_ERRERR;
      }
    }
    L = run;
  }
  if (g->jit)
    jit_error(L); /* a recording in frames about to unwind is void */
  if (L->errorJmp) {
    L->errorJmp->status = errcode;
    _longjmp(L->errorJmp->b, 1);
  }
  if (g->panic) g->panic(L);
  abort();
}

int do_rawrunprotected(lua_State *L, Pfunc f, void *ud) {
  int oldnCcalls = L->nCcalls;
  int oldjitdepth = L->jitdepth;
  struct lua_longjmp lj;
  lj.status = LUA_OK;
  lj.previous = L->errorJmp;
  L->errorJmp = &lj;
  if (_setjmp(lj.b) == 0) f(L, ud);
  L->errorJmp = lj.previous;
  L->nCcalls = oldnCcalls;
  G(L)->jitdepth -= L->jitdepth - oldjitdepth; /* traces unwound by an error */
  L->jitdepth = oldjitdepth;
  return lj.status;
}

/* -- Stack -- */

/* Returns false, with the old stack in place, when there is no memory and
 * `raise` is off (shrinking); raises "not enough memory" otherwise. */
static bool reallocstack(lua_State *L, int newsize, bool raise) {
  int oldsize = L->stacksize;
  StkId oldstack = L->stack;
  StkId ns = (StkId)mem_tryrealloc(L, NULL, 0, (size_t)(newsize + EXTRA_STACK) * sizeof(TValue));
  if (ns == NULL) {
    if (!raise) return false;
    do_throw(L, LUA_ERRMEM); /* goes to the running thread (do_throw) */
  }
  int keep = (oldsize < newsize ? oldsize : newsize) + EXTRA_STACK;
  if (oldstack) memcpy(ns, oldstack, (size_t)keep * sizeof(TValue));
  for (int i = keep; i < newsize + EXTRA_STACK; i++) setnilvalue(&ns[i]);
  if (oldstack) {
    L->top = ns + (L->top - oldstack);
    for (UpVal *up = L->openupval; up; up = up->u.open.next) up->v = ns + (up->v - oldstack);
    for (CallInfo *ci = L->ci; ci; ci = ci->previous) {
      ci->top = ns + (ci->top - oldstack);
      ci->func = ns + (ci->func - oldstack);
    }
    mem_free(L, oldstack, (size_t)(oldsize + EXTRA_STACK) * sizeof(TValue));
  } else {
    L->top = ns;
  }
  L->stack = ns;
  L->stacksize = newsize;
  L->stack_last = ns + newsize;
  return true;
}

void do_reallocstack(lua_State *L, int newsize) { reallocstack(L, newsize, true); }

void do_growstack(lua_State *L, int n) {
  int size = L->stacksize;
  if (size > LUAI_MAXSTACK) do_throw(L, LUA_ERRERR); /* already handling an overflow */
  int needed = (int)(L->top - L->stack) + n + 1;
  if (n < LUAI_MAXSTACK && needed <= LUAI_MAXSTACK) {
    int newsize = 2 * size;
    if (newsize > LUAI_MAXSTACK) newsize = LUAI_MAXSTACK;
    if (newsize < needed) newsize = needed;
    do_reallocstack(L, newsize);
    return;
  }
  do_reallocstack(L, ERRORSTACKSIZE);
  dbg_runerror(L, "stack overflow");
}

static int stackinuse(lua_State *L) {
  StkId lim = L->top;
  for (CallInfo *ci = L->ci; ci != NULL; ci = ci->previous)
    if (lim < ci->top) lim = ci->top;
  int res = (int)(lim - L->stack) + 1;
  if (res < LUA_MINSTACK) res = LUA_MINSTACK;
  return res;
}

void do_shrinkstack(lua_State *L) {
  int inuse = stackinuse(L);
  int goodsize = inuse + inuse / 8 + 2 * EXTRA_STACK;
  if (goodsize > LUAI_MAXSTACK) goodsize = LUAI_MAXSTACK;
  if (inuse <= LUAI_MAXSTACK && L->stacksize > goodsize && L->stacksize > 4 * BASIC_STACK_SIZE)
    reallocstack(L, goodsize < BASIC_STACK_SIZE ? BASIC_STACK_SIZE : goodsize, false);
  do_freeci(L);
}

CallInfo *do_extendci(lua_State *L) {
  CallInfo *ci = (CallInfo *)mem_malloc(L, sizeof(CallInfo));
  L->ci->next = ci;
  ci->previous = L->ci;
  ci->next = NULL;
  ci->callstatus = 0;
  L->nci++;
  return ci;
}

/* free the CallInfo structures above the current frame */
void do_freeci(lua_State *L) {
  CallInfo *ci = L->ci;
  CallInfo *next = ci->next;
  ci->next = NULL;
  while ((ci = next) != NULL) {
    next = ci->next;
    mem_free(L, ci, sizeof(CallInfo));
    L->nci--;
  }
}

#define checkstackGCp(L, n, p)                 \
  do {                                         \
    if ((L)->stack_last - (L)->top <= (n)) {   \
      ptrdiff_t t__ = savestack(L, p);         \
      do_growstack(L, n);                      \
      p = restorestack(L, t__);                \
    }                                          \
  } while (0)

/* -- Calls -- */

void do_checkcstack(lua_State *L) {
  if (L->nCcalls == LUAI_MAXCCALLS)
    dbg_runerror(L, "C stack overflow");
  else if (L->nCcalls >= LUAI_MAXCCALLS / 10 * 11)
    do_throw(L, LUA_ERRERR);
}

/* Insert the __call metamethod of the non-function at 'func' below it. */
StkId do_tryfuncTM(lua_State *L, StkId func) {
  const TValue *tm;
  checkstackGCp(L, 1, func);
  tm = tm_gettmbyobj(L, func, TM_CALL);
  if (tm == NULL || ttisnil(tm)) dbg_callerror(L, func);
  for (StkId p = L->top; p > func; p--) setobj(p, p - 1);
  L->top++;
  setobj(func, tm);
  return func;
}

static void moveresults(lua_State *L, StkId res, int nres, int wanted) {
  StkId firstresult;
  switch (wanted) {
    case 0:
      L->top = res;
      return;
    case 1:
      if (nres == 0) setnilvalue(res);
      else setobj(res, L->top - nres);
      L->top = res + 1;
      return;
    case LUA_MULTRET:
      firstresult = L->top - nres;
      for (int i = 0; i < nres; i++) setobj(res + i, firstresult + i);
      L->top = res + nres;
      return;
    default: {
      firstresult = L->top - nres;
      int i;
      if (wanted <= nres) {
        for (i = 0; i < wanted; i++) setobj(res + i, firstresult + i);
      } else {
        for (i = 0; i < nres; i++) setobj(res + i, firstresult + i);
        for (; i < wanted; i++) setnilvalue(res + i);
      }
      L->top = res + wanted;
      return;
    }
  }
}

void do_poscall(lua_State *L, CallInfo *ci, int nres) {
  if (l_unlikely(L->ntbc > 0 && L->tbc[L->ntbc - 1] >= savestack(L, ci->func))) {
    /* C function with pending to-be-closed slots (lua_toclose) */
    ptrdiff_t fr = savestack(L, ci->func);
    ptrdiff_t firstres = savestack(L, L->top - nres);
    func_close(L, ci->func + 1, -1);
    L->top = restorestack(L, firstres) + nres;
    ci->func = restorestack(L, fr);
  }
  if (l_unlikely(L->hookmask)) {
    ptrdiff_t fr = savestack(L, ci->func);
    dbg_rethook(L, ci, nres);
    ci->func = restorestack(L, fr);
  }
  moveresults(L, ci->func, nres, ci->nresults);
  L->ci = ci->previous;
}

static int precallC(lua_State *L, StkId func, int nresults, lua_CFunction f) {
  checkstackGCp(L, LUA_MINSTACK, func);
  CallInfo *ci = next_ci(L);
  L->ci = ci;
  ci->func = func;
  ci->nresults = (short)nresults;
  ci->callstatus = CIST_C;
  ci->top = L->top + LUA_MINSTACK;
  if (l_unlikely(L->hookmask & LUA_MASKCALL)) {
    int narg = (int)(L->top - func) - 1;
    dbg_hook(L, LUA_HOOKCALL, -1, 1, narg);
  }
  int n = f(L);
  do_poscall(L, ci, n);
  return n;
}

/* Prepare a call to the value at 'func' with arguments up to L->top.
 * C functions run to completion here (returns NULL); for a Lua function the
 * new frame is returned and the caller runs it. */
CallInfo *do_precall(lua_State *L, StkId func, int nresults) {
  for (;;) {
    switch (func->tt) {
      case TAG_CCL:
        precallC(L, func, nresults, clCvalue(func)->f);
        return NULL;
      case TAG_LCF:
        precallC(L, func, nresults, fvalue(func));
        return NULL;
      case TAG_LCL: {
        Proto *p = clLvalue(func)->p;
        int narg = (int)(L->top - func) - 1;
        int nfixparams = p->numparams;
        int fsize = p->maxstacksize;
        checkstackGCp(L, fsize, func);
        CallInfo *ci = next_ci(L);
        L->ci = ci;
        ci->nresults = (short)nresults;
        ci->callstatus = 0;
        ci->top = func + 1 + fsize;
        ci->func = func;
        ci->savedpc = p->code;
        ci->nextraargs = 0;
        for (; narg < nfixparams; narg++) setnilvalue(L->top++);
        return ci;
      }
      default:
        func = do_tryfuncTM(L, func);
        break;
    }
  }
}

void do_call(lua_State *L, StkId func, int nresults) {
  L->nCcalls++;
  if (l_unlikely(L->nCcalls >= LUAI_MAXCCALLS)) {
    ptrdiff_t f = savestack(L, func);
    checkstackGC(L, 0);
    func = restorestack(L, f);
    do_checkcstack(L);
  }
  CallInfo *ci = do_precall(L, func, nresults);
  if (ci != NULL) {
    ci->callstatus = CIST_FRESH;
    vm_execute(L, ci);
  }
  L->nCcalls--;
}

void do_callnoyield(lua_State *L, StkId func, int nresults) {
  L->nny++;
  do_call(L, func, nresults);
  L->nny--;
}

/* -- Protected calls -- */

typedef struct CloseP {
  StkId level;
  int status;
} CloseP;

static void closepaux(lua_State *L, void *ud) {
  CloseP *pcl = (CloseP *)ud;
  func_close(L, pcl->level, pcl->status);
}

/* Close upvalues and to-be-closed variables down to 'level' after an
 * error; an error inside a __close handler replaces the current one. */
static int closeprotected(lua_State *L, ptrdiff_t level, int status) {
  CallInfo *old_ci = L->ci;
  for (;;) {
    CloseP pcl;
    pcl.level = restorestack(L, level);
    pcl.status = status;
    if (status == LUA_ERRMEM || status == LUA_ERRERR) do_seterrorobj(L, status, L->top);
    int st = do_rawrunprotected(L, closepaux, &pcl);
    if (st == LUA_OK) return status;
    L->ci = old_ci;
    status = st; /* an error in a __close handler replaces the original one */
  }
}

int do_pcall(lua_State *L, Pfunc func, void *u, ptrdiff_t old_top, ptrdiff_t ef) {
  CallInfo *old_ci = L->ci;
  int old_nny = L->nny;
  uint8_t old_allowhook = L->allowhook;
  ptrdiff_t old_errfunc = L->errfunc;
  L->errfunc = ef;
  int status = do_rawrunprotected(L, func, u);
  if (l_unlikely(status != LUA_OK)) {
    L->ci = old_ci;
    L->nny = old_nny;
    L->allowhook = old_allowhook;
    status = closeprotected(L, old_top, status);
    do_seterrorobj(L, status, restorestack(L, old_top));
    do_shrinkstack(L);
  }
  L->errfunc = old_errfunc;
  return status;
}

/* -- Threads -- */

static void initbaseci(lua_State *L) {
  CallInfo *ci = &L->base_ci;
  ci->next = ci->previous = NULL;
  ci->callstatus = CIST_C;
  ci->func = L->top;
  ci->nresults = 0;
  setnilvalue(L->top); /* 'function' entry of the base frame */
  L->top++;
  ci->top = L->top + LUA_MINSTACK;
  L->ci = ci;
}

void do_inithread(lua_State *L) {
  L->stack = NULL;
  L->stacksize = 0;
  L->ci = &L->base_ci;
  do_reallocstack(L, BASIC_STACK_SIZE);
  initbaseci(L);
}

static void preinit_thread(lua_State *L, global_State *g) {
  L->g = g;
  L->stack = NULL;
  L->ci = NULL;
  L->nci = 0;
  L->errorJmp = NULL;
  L->nCcalls = 0;
  L->nny = 0;
  L->openupval = NULL;
  L->status = LUA_OK;
  L->costate = 0;
  L->tbc = NULL;
  L->ntbc = L->sizetbc = 0;
  L->gclist = NULL;
  L->resumer = NULL;
  L->errfunc = 0;
  L->jitdepth = 0;
  L->nyield = 0;
  dbg_inithooks(L, NULL);
}

/* The new thread is complete before it is linked into the GC's lists, and
 * every allocation is made for L: running out of memory raises the error
 * on the creating thread and leaves nothing behind. */
lua_State *do_newthread(lua_State *L) {
  global_State *g = G(L);
  size_t stackbytes = (size_t)(BASIC_STACK_SIZE + EXTRA_STACK) * sizeof(TValue);
  lua_State *L1 = (lua_State *)mem_malloc(L, sizeof(lua_State));
  StkId stack;
  struct lua_longjmp *outer = L->errorJmp;
  struct lua_longjmp lj;
  lj.previous = outer;
  L->errorJmp = &lj;
  if (_setjmp(lj.b) == 0) {
    stack = (StkId)mem_malloc(L, stackbytes);
  } else { /* no room for the stack: free the thread, pass the error on */
    L->errorJmp = outer;
    mem_free(L, L1, sizeof(lua_State));
    do_throw(L, lj.status);
  }
  L->errorJmp = outer;
  preinit_thread(L1, g);
  L1->tt = TAG_THREAD;
  L1->marked = 0;
  L1->stack = stack;
  L1->stacksize = BASIC_STACK_SIZE;
  L1->stack_last = stack + BASIC_STACK_SIZE;
  L1->top = stack;
  for (int i = 0; i < BASIC_STACK_SIZE + EXTRA_STACK; i++) setnilvalue(&stack[i]);
  initbaseci(L1);
  L1->next = g->allgc;
  g->allgc = (GCObject *)L1;
  return L1;
}

void do_freethread(lua_State *L, lua_State *L1) {
  G(L)->jitdepth -= L1->jitdepth; /* a dead coroutine runs no trace */
  if (L1->hookmask) G(L)->nhooked--;
  func_closeupval(L1, L1->stack);
  if (L1->stack) {
    L1->ci = &L1->base_ci;
    do_freeci(L1);
    mem_free(L, L1->stack, (size_t)(L1->stacksize + EXTRA_STACK) * sizeof(TValue));
  }
  mem_free(L, L1->tbc, (size_t)L1->sizetbc * sizeof(ptrdiff_t));
  if (L1 != G(L)->mainthread) mem_free(L, L1, sizeof(lua_State));
}

/* -- State creation -- */

static void f_luaopen(lua_State *L, void *ud) {
  (void)ud;
  global_State *g = G(L);
  do_inithread(L);
  Table *registry = tab_new(L);
  sethvalue(&g->l_registry, registry);
  tab_resize(L, registry, LUA_RIDX_LAST, 0);
  TValue v;
  setthvalue(&v, L);
  tab_setint(L, registry, LUA_RIDX_MAINTHREAD, &v);
  sethvalue(&v, tab_new(L));
  tab_setint(L, registry, LUA_RIDX_GLOBALS, &v);
  str_init(L);
  tm_init(L);
  lex_init(L);
}

static void closeall(lua_State *L, void *ud) {
  (void)ud;
  func_close(L, L->stack + 1, LUA_OK);
}

lua_State *luaL_newstate(void) { return lua_newstate(mem_defaultalloc, NULL); }

lua_State *lua_newstate(lua_Alloc f, void *ud) {
  global_State *g = (global_State *)f(ud, NULL, 0, sizeof(global_State));
  if (g == NULL) return NULL;
  lua_State *L = (lua_State *)f(ud, NULL, 0, sizeof(lua_State));
  if (L == NULL) {
    f(ud, g, sizeof(global_State), 0);
    return NULL;
  }
  memset(g, 0, sizeof *g);
  memset(L, 0, sizeof *L);
  g->frealloc = f;
  g->ud = ud;
  g->running = L;
  L->tt = TAG_THREAD;
  L->marked = 0;
  L->next = NULL;
  preinit_thread(L, g);
  g->mainthread = L;
  g->seed = 0x2545F491u;
  g->gcpause = 200;
  g->gcstepmul = 100;
  g->gcgenmode = false;
  g->gcinfin = 0;
  g->gcrunning_user = 1;
  g->gcthreshold = 256 * 1024;
  g->gcstop = 1; /* no collection until the state is complete */
  g->totalbytes = sizeof(lua_State) + sizeof(global_State);
  g->opts.jit_enabled = 1;
  g->opts.hotloop = 56;
  g->opts.hotcall = -1; /* entry traces for recursion only (trace.c) */
  g->opts.hotexit = 10;
  g->hotcall_init = INT32_MAX;
  g->opts.ir_fold = 1;
  g->opts.ir_cse = 1;
  g->opts.ir_loop = 1;
  g->opts.ir_dce = 1;
  g->opts.ir_hkey = 1;
  g->opts.ir_spillcost = 1;
  g->opts.ir_snapsplit = 1;
  g->opts.callf = 1;
  g->opts.maxmcode = JIT_DEFAULT_MAXMCODE;
  g->opts.maxtrace = JIT_DEFAULT_MAXTRACE;
  setnilvalue(&g->l_registry);
  if (do_rawrunprotected(L, f_luaopen, NULL) != LUA_OK) {
    lua_close(L);
    return NULL;
  }
  g->gcstop = 0;
  return L;
}

void lua_close(lua_State *L) {
  L = G(L)->mainthread;
  global_State *g = G(L);
  if (L->stack) {
    L->ci = &L->base_ci;
    L->errfunc = 0;
    L->nCcalls = 0;
    /* close pending to-be-closed variables and upvalues of the main thread */
    do_pcall(L, closeall, NULL, savestack(L, L->stack + 1), 0);
  }
  vm_qreport(L);
  jit_close(L);
  gc_freeall(L); /* may run finalizers */
  vm_qfreestats(L);
  do_freethread(L, L);
  mem_freearray(L, g->strt.hash, g->strt.size);
  mem_freepools(g);
  lua_Alloc f = g->frealloc;
  void *ud = g->ud;
  f(ud, L, sizeof(lua_State), 0);
  f(ud, g, sizeof(global_State), 0);
}
