/* coro.c -- coroutines without C stacks of their own.
 *
 * As in Lua 5.4, a coroutine's frames run on the C stack of whoever
 * resumes it: lua_resume enters the interpreter (a nested vm_execute
 * activation) under a protected call.  A yield raises LUA_YIELD, a
 * longjmp back to that protected call that throws away the C frames in
 * between and leaves the coroutine's CallInfo chain intact.  The next
 * resume "unrolls" that chain: it finishes the C function that yielded,
 * then, frame by frame towards the base, either calls the continuation of
 * a C function that was suspended in lua_callk / lua_pcallk, or finishes
 * the instruction a Lua frame was executing (vm_finishop: a metamethod's
 * result to store, a comparison's jump to take, a __close handler's
 * CLOSE/RETURN to repeat) and continues it in the interpreter.
 *
 * So a coroutine costs only its Lua stack and CallInfos, and yielding is
 * possible only where every C frame in between can be rebuilt: Lua code,
 * metamethods called by Lua code, pcall/xpcall, dofile, __pairs, trace
 * code (an EXEC uop runs one instruction through the interpreter's slow
 * path, and values live in frame slots there, so the interpreter finishes
 * that instruction and continues).  Everywhere else (table.sort
 * comparators, string.gsub replacement functions, __gc, metamethods
 * called from C, ...) L->nny > 0 and yield raises "attempt to yield
 * across a C-call boundary", as lua5.4 does.
 *
 * Errors: a yieldable lua_pcallk installs no setjmp of its own (the
 * resume's protected call catches everything); it marks its frame
 * CIST_YPCALL, and after an error the resume looks for the innermost such
 * frame, finishes that pcall with the error status and unrolls from there
 * (precover).  An error nobody recovers kills the coroutine.
 *
 * Nesting: each resume counts one C level above its resumer's (L->nCcalls,
 * LUAI_MAXCCALLS), as lua5.4 counts them, hence "C stack overflow" at
 * the same depth.
 */
#include "core.h"

/* costate values */
#define CO_NEW 0     /* never resumed */
#define CO_RUNNING 1 /* started; suspended or running */
#define CO_DEAD 2    /* finished or died with an error */

/* -- Finishing interrupted frames -- */

/* A yieldable lua_pcallk was interrupted (yield, or an error caught here):
 * restore its state; returns the status its continuation gets. */
static int finishpcallk(lua_State *L, CallInfo *ci) {
  int status = ci->recst;
  if (status == LUA_OK) {
    status = LUA_YIELD; /* it was interrupted by a yield */
  } else {
    /* an error: close what the protected call opened, leave the error
     * object where the called function was */
    StkId func = restorestack(L, ci->funcidx);
    L->nny = 0; /* the pcall was yieldable */
    /* these two leave no error object on the stack (do.c: closeprotected) */
    if (status == LUA_ERRMEM || status == LUA_ERRERR) do_seterrorobj(L, status, L->top);
    func = func_closeyield(L, func, status);
    do_seterrorobj(L, status, func);
    do_shrinkstack(L);
    ci->recst = LUA_OK;
  }
  ci->callstatus &= (unsigned short)~CIST_YPCALL;
  L->errfunc = ci->old_errfunc;
  return status;
}

/* Complete a C function frame that was suspended in lua_callk/lua_pcallk:
 * call its continuation, then return its results. */
static void finishCcall(lua_State *L, CallInfo *ci) {
  int status = LUA_YIELD;
  if (ci->callstatus & CIST_YPCALL) status = finishpcallk(L, ci);
  if (ci->top < L->top) ci->top = L->top; /* as lua_callk with LUA_MULTRET */
  int n = ci->k(L, status, ci->ctx);
  do_poscall(L, ci, n);
}

/* Run the suspended frames of L down to the base. */
static void unroll(lua_State *L, void *ud) {
  (void)ud;
  CallInfo *ci;
  while ((ci = L->ci) != &L->base_ci) {
    if (!isLua(ci)) {
      finishCcall(L, ci);
    } else {
      vm_finishop(L);
      vm_execute(L, ci);
    }
  }
}

/* innermost frame with a yieldable pcall still open, or NULL */
static CallInfo *findpcall(lua_State *L) {
  for (CallInfo *ci = L->ci; ci != NULL; ci = ci->previous)
    if (ci->callstatus & CIST_YPCALL) return ci;
  return NULL;
}

/* An error reached the resume: let the innermost open pcall of the
 * coroutine catch it and continue from there, until no pcall is left or
 * the coroutine yields or ends. */
static int precover(lua_State *L, int status) {
  CallInfo *ci;
  while (status != LUA_OK && status != LUA_YIELD && (ci = findpcall(L)) != NULL) {
    L->ci = ci;
    ci->recst = status;
    status = do_rawrunprotected(L, unroll, NULL);
  }
  return status;
}

/* -- Resume and yield -- */

static void resume(lua_State *L, void *ud) {
  int n = *(int *)ud;
  StkId firstArg = L->top - n;
  CallInfo *ci = L->ci;
  if (L->costate == CO_NEW) {
    L->costate = CO_RUNNING;
    /* the body counts no C level of its own (lua_resume counted one) */
    CallInfo *nci = do_precall(L, firstArg - 1, LUA_MULTRET);
    if (nci != NULL) {
      nci->callstatus = CIST_FRESH;
      vm_execute(L, nci);
    }
    return;
  }
  L->status = LUA_OK;
  if (isLua(ci)) { /* yielded inside a hook: just continue the Lua code */
    L->top = firstArg;
    vm_execute(L, ci);
  } else {
    if (ci->k != NULL) n = ci->k(L, LUA_YIELD, ci->ctx);
    do_poscall(L, ci, n); /* the resume values are what yield returns */
  }
  unroll(L, NULL);
}

static int resume_error(lua_State *L, const char *msg, int nargs, int *nres) {
  L->top -= nargs;
  setsvalue(L->top, str_new(L, msg));
  L->top++;
  *nres = 1;
  return LUA_ERRRUN;
}

int lua_resume(lua_State *L, lua_State *from, int nargs, int *nres) {
  if (L == G(L)->mainthread) return resume_error(L, "cannot resume non-suspended coroutine", nargs, nres);
  if (L->costate == CO_DEAD) return resume_error(L, "cannot resume dead coroutine", nargs, nres);
  if (L->costate == CO_RUNNING && L->status != LUA_YIELD)
    return resume_error(L, "cannot resume non-suspended coroutine", nargs, nres);
  /* counted as lua5.4 (5.4.4) counts it: one level above the resumer's,
   * and too deep at LUAI_MAXCCALLS */
  L->nCcalls = (from ? from->nCcalls : 0) + 1;
  if (L->nCcalls >= LUAI_MAXCCALLS) return resume_error(L, "C stack overflow", nargs, nres);
  L->nny = 0;
  L->resumer = from;
  lua_State *was_running = G(L)->running;
  G(L)->running = L; /* errors raised from now on belong to L (do_throw) */
  int status = do_rawrunprotected(L, resume, &nargs);
  status = precover(L, status);
  G(L)->running = was_running;
  L->resumer = NULL;
  if (status == LUA_OK) {
    L->costate = CO_DEAD;
    *nres = (int)(L->top - (L->ci->func + 1));
  } else if (status == LUA_YIELD) {
    *nres = L->nyield;
  } else {
    /* an unrecovered error kills the coroutine; its frames stay for
     * tracebacks, the error object goes on top */
    L->costate = CO_DEAD;
    L->status = (uint8_t)status;
    do_seterrorobj(L, status, L->top);
    L->ci->top = L->top;
    *nres = 1;
  }
  return status;
}

int lua_yieldk(lua_State *L, int nresults, lua_KContext ctx, lua_KFunction k) {
  CallInfo *ci = L->ci;
  if (!coro_yieldable(L)) {
    if (L != G(L)->mainthread) dbg_runerror(L, "attempt to yield across a C-call boundary");
    dbg_runerror(L, "attempt to yield from outside a coroutine");
  }
  if (isLua(ci) && nresults != 0) dbg_runerror(L, "hooks cannot yield values");
  L->status = LUA_YIELD;
  L->nyield = nresults;
  if (!isLua(ci)) { /* else inside a hook: the Lua frame just continues later */
    ci->k = k;
    ci->ctx = ctx;
  }
  do_throw(L, LUA_YIELD);
}

/* -- Other API entry points -- */

int lua_status(lua_State *L) { return L->status; }

/* 0: not started, 1: started (suspended, running or normal), 2: dead */
int coro_state(lua_State *L) { return L->costate; }

int lua_isyieldable(lua_State *L) { return coro_yieldable(L); }

/* ud: the status the coroutine died with; for an error its object is on
 * top of the stack and is passed to the __close handlers */
static void closeall(lua_State *L, void *ud) {
  func_close(L, L->stack + 1, *(int *)ud);
}

/* Close a suspended or dead coroutine: run its pending __close handlers
 * and reset it to a dead state. */
int lua_closethread(lua_State *L, lua_State *from) {
  int status = L->costate == CO_DEAD ? L->status : LUA_OK;
  L->nCcalls = from ? from->nCcalls : 0;
  L->ci = &L->base_ci;
  L->errorJmp = NULL;
  if (status == LUA_YIELD) status = LUA_OK;
  L->status = LUA_OK;
  L->nny = 1; /* __close handlers cannot yield here */
  lua_State *was_running = G(L)->running;
  G(L)->running = L; /* the handlers run on L, on this C stack */
  int st = do_pcall(L, closeall, &status, savestack(L, L->stack + 1), 0);
  G(L)->running = was_running;
  L->nny = 0;
  if (st != LUA_OK) status = st;
  else if (status != LUA_OK) do_seterrorobj(L, status, L->top);
  else L->top = L->stack + 1;
  L->costate = CO_DEAD;
  return status;
}
