/* coro.c -- coroutines, each running on its own C stack.
 *
 * A coroutine's first resume allocates a C stack (mmap, lazily committed,
 * recycled through a small cache) and enters coro_main there; switches use
 * a few lines of assembly on x86-64 and ucontext on other targets.  Yield and resume are plain
 * context switches, so a coroutine can yield from anywhere: inside pcall,
 * metamethods, iterators, table.sort comparators, nested C calls.  Errors
 * inside the coroutine unwind to the protected call in coro_main and the
 * coroutine dies with that status.
 *
 * Values cross with the stack discipline of the Lua 5.4 API: lua_yield
 * leaves the yielded values on top of the coroutine stack (the resumer
 * moves them away), and lua_resume pushes the resume arguments on the
 * coroutine stack before switching in; lua_yield then returns their count.
 *
 * Under AddressSanitizer every switch is announced with
 * __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "core.h"

#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif

#ifdef CORO_ASAN
#include <sanitizer/common_interface_defs.h>
#define CORO_STACK_SIZE (8u << 20)
#else
#define CORO_STACK_SIZE (1u << 20)
#endif

/* costate values */
#define CO_NEW 0     /* never resumed */
#define CO_RUNNING 1 /* started; suspended or running */
#define CO_DEAD 2    /* finished or died with an error */

/* -- Context switching: a small assembly switch on x86-64 (no system calls),
 * ucontext elsewhere. -- */
#if defined(__x86_64__) && defined(__ELF__) && !defined(CPJIT_CORO_UCONTEXT)
#define CORO_ASM 1
/* cpjit_coro_switch(&save_sp, new_sp): push the callee-saved registers and
 * the SSE/x87 control words, save the stack pointer, load the other one and
 * pop the same frame there.  A new stack starts with such a frame whose
 * return address is the trampoline, which calls cpjit_coro_entry. */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl cpjit_coro_switch\n"
        ".hidden cpjit_coro_switch\n"
        ".type cpjit_coro_switch, @function\n"
        "cpjit_coro_switch:\n"
        "  pushq %rbp\n"
        "  pushq %rbx\n"
        "  pushq %r12\n"
        "  pushq %r13\n"
        "  pushq %r14\n"
        "  pushq %r15\n"
        "  subq $8, %rsp\n"
        "  stmxcsr (%rsp)\n"
        "  fnstcw 4(%rsp)\n"
        "  movq %rsp, (%rdi)\n"
        "  movq %rsi, %rsp\n"
        "  ldmxcsr (%rsp)\n"
        "  fldcw 4(%rsp)\n"
        "  addq $8, %rsp\n"
        "  popq %r15\n"
        "  popq %r14\n"
        "  popq %r13\n"
        "  popq %r12\n"
        "  popq %rbx\n"
        "  popq %rbp\n"
        "  ret\n"
        ".size cpjit_coro_switch, .-cpjit_coro_switch\n"
        ".p2align 4\n"
        ".globl cpjit_coro_trampoline\n"
        ".hidden cpjit_coro_trampoline\n"
        ".type cpjit_coro_trampoline, @function\n"
        "cpjit_coro_trampoline:\n"
        "  call cpjit_coro_entry\n"
        "  ud2\n"
        ".size cpjit_coro_trampoline, .-cpjit_coro_trampoline\n");
void cpjit_coro_switch(void **save_sp, void *new_sp);
void cpjit_coro_trampoline(void);
void cpjit_coro_entry(void);

typedef struct CoCtx {
  void *sp;
} CoCtx;

static void ctx_switch(CoCtx *from, CoCtx *to) { cpjit_coro_switch(&from->sp, to->sp); }

static void ctx_init(CoCtx *c, void *stack, size_t size) {
  uintptr_t top = ((uintptr_t)stack + size - 64) & ~(uintptr_t)15;
  uint64_t *sp = (uint64_t *)(top - 64); /* 16-byte aligned, see the switch */
  uint32_t mxcsr = 0x1F80;               /* default SSE control/status */
  uint16_t fcw = 0x037F;                 /* default x87 control word */
  memcpy(sp, &mxcsr, 4);
  memcpy((char *)sp + 4, &fcw, 2);
  for (int i = 1; i <= 6; i++) sp[i] = 0;  /* r15 r14 r13 r12 rbx rbp */
  sp[7] = (uint64_t)(uintptr_t)cpjit_coro_trampoline;
  c->sp = sp;
}
#else
typedef ucontext_t CoCtx;
static void coro_main(void);
static void ctx_switch(CoCtx *from, CoCtx *to) { swapcontext(from, to); }
static void ctx_init(CoCtx *c, void *stack, size_t size) {
  getcontext(c);
  c->uc_stack.ss_sp = stack;
  c->uc_stack.ss_size = size;
  c->uc_link = NULL;
  makecontext(c, coro_main, 0);
}
#endif

typedef struct CoroContext {
  CoCtx ctx;            /* the coroutine's own context */
  CoCtx *caller;        /* where to switch back to */
  void *stack;
  size_t size;
  int status;           /* status when control came back to the resumer */
  int nres;             /* values on top of the coroutine stack for the resumer */
  void *fake_stack;     /* ASan bookkeeping */
  const void *caller_bottom;
  size_t caller_size;
} CoroContext;

static _Thread_local lua_State *starting; /* coroutine being entered for the first time */

/* Recently freed C stacks, reused before mapping new ones: creating many
 * short-lived coroutines then costs no system calls or page faults. */
#define STACK_CACHE 256
/* what a C stack counts for in the GC's byte total (touched pages, roughly) */
#define STACK_COST (16u << 10)
static _Thread_local void *stack_cache[STACK_CACHE];
static _Thread_local int nstack_cache;

static void *getstack(void) {
  if (nstack_cache > 0) return stack_cache[--nstack_cache];
  void *p = mmap(NULL, CORO_STACK_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

static void putstack(void *p) {
  if (nstack_cache < STACK_CACHE) stack_cache[nstack_cache++] = p;
  else munmap(p, CORO_STACK_SIZE);
}

static void switch_to(CoroContext *cc, CoCtx *from, CoCtx *to, const void *bottom,
                      size_t size, bool to_coroutine) {
#ifdef CORO_ASAN
  void *fake = NULL;
  __sanitizer_start_switch_fiber(&fake, bottom, size);
  ctx_switch(from, to);
  if (to_coroutine) {
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
  } else {
    __sanitizer_finish_switch_fiber(fake, &cc->caller_bottom, &cc->caller_size);
  }
#else
  (void)cc;
  (void)bottom;
  (void)size;
  (void)to_coroutine;
  ctx_switch(from, to);
#endif
}

static void resume_body(lua_State *L, void *ud) {
  int nargs = *(int *)ud;
  StkId func = L->top - (nargs + 1);
  do_call(L, func, LUA_MULTRET);
}

static void coro_main(void) {
  lua_State *L = starting;
  CoroContext *cc = L->coctx;
#ifdef CORO_ASAN
  __sanitizer_finish_switch_fiber(NULL, &cc->caller_bottom, &cc->caller_size);
#endif
  int nargs = cc->nres;
  StkId base = L->top - (nargs + 1);
  ptrdiff_t baseoff = savestack(L, base);
  int status = do_rawrunprotected(L, resume_body, &nargs);
  if (status == LUA_OK) {
    cc->nres = (int)(L->top - restorestack(L, baseoff));
  } else {
    /* leave the error object on top; the frames stay for tracebacks */
    do_seterrorobj(L, status, L->top);
    cc->nres = 1;
  }
  L->status = (uint8_t)status;
  L->costate = CO_DEAD;
  cc->status = status;
#ifdef CORO_ASAN
  __sanitizer_start_switch_fiber(NULL, cc->caller_bottom, cc->caller_size);
#endif
  ctx_switch(&cc->ctx, cc->caller); /* never comes back: the coroutine is dead */
  abort();
}

#ifdef CORO_ASM
void cpjit_coro_entry(void) { coro_main(); }
#endif

int coro_resume(lua_State *L, lua_State *from, int nargs, int *nres) {
  CoroContext *volatile cc = L->coctx;
  if (L->costate == CO_DEAD || (L->costate == CO_RUNNING && L->status != LUA_YIELD) ||
      L == G(L)->mainthread) {
    lua_pushstring(L, L->costate == CO_DEAD ? "cannot resume dead coroutine"
                                            : "cannot resume non-suspended coroutine");
    *nres = 1;
    return LUA_ERRRUN;
  }
  int fromcalls = from ? from->nCcalls : 0;
  if (fromcalls >= LUAI_MAXCCALLS) {
    lua_pushstring(L, "C stack overflow");
    *nres = 1;
    return LUA_ERRRUN;
  }
  if (cc == NULL) {
    cc = (CoroContext *)mem_malloc(L, sizeof(CoroContext));
    memset(cc, 0, sizeof(*cc));
    cc->size = CORO_STACK_SIZE;
    cc->stack = getstack();
    G(L)->totalbytes += STACK_COST;
    if (cc->stack == NULL) {
      G(L)->totalbytes -= STACK_COST;
      mem_free(L, cc, sizeof(CoroContext));
      setsvalue(L->top, G(L)->memerrmsg); /* "not enough memory", as lua5.4 */
      L->top++;
      *nres = 1;
      return LUA_ERRMEM;
    }
    L->coctx = cc;
  }
  CoCtx here;
  cc->caller = &here;
  L->resumer = from;
  L->nCcalls = fromcalls + 1;
  lua_State *volatile saved_starting = starting;
  if (L->costate == CO_NEW) {
    L->costate = CO_RUNNING;
    ctx_init(&cc->ctx, cc->stack, cc->size);
    cc->nres = nargs;
    starting = L;
  } else {
    L->status = LUA_OK;
    cc->nres = nargs; /* resume values for lua_yield */
  }
  lua_State *volatile was_running = G(L)->running;
  G(L)->running = L; /* errors raised from now on belong to L (do_throw) */
  switch_to(cc, &here, &cc->ctx, cc->stack, cc->size, true);
  G(L)->running = was_running;
  starting = saved_starting;
  L->resumer = NULL;
  *nres = cc->nres;
  return cc->status;
}

int coro_yield(lua_State *L, int nresults) {
  CoroContext *volatile cc = L->coctx;
  if (cc == NULL || L == G(L)->mainthread) {
    dbg_runerror(L, "attempt to yield from outside a coroutine");
  }
  if (L->nny > 0) dbg_runerror(L, "attempt to yield across a C-call boundary");
  L->status = LUA_YIELD;
  cc->status = LUA_YIELD;
  cc->nres = nresults;
  volatile int saved_ncalls = L->nCcalls;
  switch_to(cc, &cc->ctx, cc->caller, cc->caller_bottom, cc->caller_size, false);
  /* resumed: the resume arguments are on top of the stack */
  L->nCcalls = saved_ncalls;
  L->status = LUA_OK;
  cc->status = LUA_OK;
  return cc->nres;
}

void coro_freestack(lua_State *L) {
  CoroContext *cc = L->coctx;
  if (cc == NULL) return;
  putstack(cc->stack);
  G(L)->totalbytes -= STACK_COST;
  mem_free(L, cc, sizeof(CoroContext));
  L->coctx = NULL;
}

/* -- API entry points -- */

int lua_resume(lua_State *L, lua_State *from, int nargs, int *nres) {
  return coro_resume(L, from, nargs, nres);
}

int lua_yieldk(lua_State *L, int nresults, lua_KContext ctx, lua_KFunction k) {
  (void)ctx;
  (void)k;
  return coro_yield(L, nresults);
}

int lua_status(lua_State *L) { return L->status; }

/* 0: not started, 1: started (suspended, running or normal), 2: dead */
int coro_state(lua_State *L) { return L->costate; }

int lua_isyieldable(lua_State *L) {
  return L != G(L)->mainthread && L->coctx != NULL && L->nny == 0;
}

/* ud: the status the coroutine died with; for an error its object is on
 * top of the stack and is passed to the __close handlers */
static void closeall(lua_State *L, void *ud) {
  func_close(L, L->stack + 1, *(int *)ud);
}

/* Close a suspended or dead coroutine: run its pending __close handlers
 * (on the caller's C stack) and reset it to a dead state. */
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
  coro_freestack(L);
  return status;
}
