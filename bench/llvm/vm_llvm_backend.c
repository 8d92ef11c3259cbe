/*
 * vm_llvm_backend.c -- the LLVM ORC backends of cpjit-lua's trace JIT, for
 * the benchmark executable cpjit-lua-llvm only (built when llvm-19-dev is
 * present; the library and the default cpjit-lua never see LLVM).
 *
 *   cpjit-lua-llvm -jbackend=llvm-O0 script.lua
 *   cpjit-lua-llvm -jbackend=llvm-O2 script.lua
 *
 * The recorder, trace management and exits are cpjit-lua's own (runtime/);
 * only the compile step differs: each recorded trace goes to
 * llvm_backend_compile (llvm_backend.c), which builds one function from the
 * LLVM bitcode of the same uop bodies the stencils come from
 * (lua_uops_bc.c), runs `default<O0>` or `default<O2>` and adds it to an
 * LLJIT. The trace function has the cpjit contract,
 * uint64_t fn(lua_State *L, TValue *base, uint64_t *spill), loading the
 * register file from spill[] and dumping it there at every exit as the
 * stencil trampoline and exit stub do, and returning the exit's operand[0]
 * (the TraceExit record). Register uops compile from the bodies of
 * lua_ruops.h, one function per body taking its registers by address.
 *
 * The uop bodies call libm and the VM's own helpers (jit_h_exec,
 * tab_getshortstr, jit_h_setfield): bench_helper_address() below gives the
 * LLJIT the addresses of the real ones in this process (absolute symbols),
 * never the stand-ins of bench_lua.c, which is not linked here.
 *
 * Exits are not linked (JitBackend.link is NULL): a trace always returns
 * to the interpreter. With CPJIT_LLVM_STATS=1 the backend prints, at exit,
 * one line with the thread CPU time spent opening it (parsing the bitcode,
 * creating the LLJIT), compiling traces and closing it, so a benchmark can tell
 * compile time from run time (bench/run_backends.py).
 *
 * Registration happens in a constructor, before main() opens the state, so
 * main.c needs no LLVM knowledge.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_sets.h"
#include "core.h"
#include "llvm_backend.h"
#include "lua_stencils.h"
#include "lua_uop_list.h"
#include "trace/backend.h"
#include "trace/trace.h"

#ifndef CPJIT_BENCH_BC_DIR
#error "CPJIT_BENCH_BC_DIR must name the directory of lua_uops.bc"
#endif

/* -- What llvm_backend.c needs of a uop set ----------------------------------
 * Only the slot-level op names and the register uop table (to find each
 * op's function in the bitcode), the register file, and the value returned
 * when a trace runs off its end, which a recorded trace never does (it
 * ends in a loop uop or an exit). */

static const char *const op_names[] = {
#define UOP_NAME(name) #name,
    LUA_UOP_LIST(UOP_NAME)
#undef UOP_NAME
};

static const bench_set vm_lua_set = {
    .name = "lua",
    .ops = {op_names, UOP__COUNT},
    .nslot_ops = UOP__COUNT,
    .ruops = lua_ruops,
    .nruops = lua_NRUOPS,
    .ngpr = lua_NGPR,
    .nfpr = lua_NFPR,
    .spill_arg = 1,
    .step_limit = 0,
};

const void *bench_helper_address(const char *name) {
#define HELPER_IF(fn)                                                          \
  if (strcmp(name, #fn) == 0)                                                  \
    return (const void *)(uintptr_t)&fn;
  LUA_UOP_HELPER_LIST(HELPER_IF)
#undef HELPER_IF
  return NULL;
}

void bench_missing_helper(void) {
  fprintf(stderr, "cpjit-lua-llvm: an LLVM trace called a function that is "
                  "not one of cpjit-lua's uop helpers\n");
  abort();
}

/* -- The backend ---------------------------------------------------------- */

/* A compiled trace; the live ones are listed so that closing the backend
 * frees them, as cpjit_close frees cpjit's (trace.c frees a trace itself
 * only while the JIT is open). */
typedef struct vm_trace {
  llvm_trace lt;
  struct vm_trace *prev, *next;
} vm_trace;

typedef struct vm_llvm {
  llvm_backend *B;
  vm_trace *live;
  int opt;
  uint64_t open_ns, compile_ns; /* thread CPU time */
  uint64_t traces, uops;
} vm_llvm;

static uint64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *llvm_open(int opt, char *err, size_t errlen) {
  uint64_t t0 = cpu_ns();
  const char *dir = getenv("CPJIT_LLVM_BC_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/lua_uops.bc",
           dir && *dir ? dir : CPJIT_BENCH_BC_DIR);
  vm_llvm *V = calloc(1, sizeof *V);
  if (!V) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (llvm_backend_open(&V->B, &vm_lua_set, path, opt, err, errlen) != 0) {
    free(V);
    return NULL;
  }
  V->opt = opt;
  V->open_ns = cpu_ns() - t0;
  return V;
}

static void *llvm_open_o0(cpjit_jit *J, char *err, size_t errlen) {
  (void)J;
  return llvm_open(0, err, errlen);
}

static void *llvm_open_o2(cpjit_jit *J, char *err, size_t errlen) {
  (void)J;
  return llvm_open(2, err, errlen);
}

static void llvm_close(void *ctx) {
  vm_llvm *V = ctx;
  uint64_t t0 = cpu_ns();
  while (V->live) {
    vm_trace *t = V->live;
    V->live = t->next;
    llvm_backend_release(V->B, &t->lt);
    free(t);
  }
  llvm_backend_close(V->B);
  uint64_t close_ns = cpu_ns() - t0;
  const char *st = getenv("CPJIT_LLVM_STATS");
  if (st && *st == '1')
    fprintf(stderr,
            "[cpjit-lua-llvm llvm-O%d: open %.3f ms, %llu traces, %llu uops "
            "compiled in %.3f ms, close %.3f ms (thread CPU)]\n",
            V->opt, (double)V->open_ns / 1e6, (unsigned long long)V->traces,
            (unsigned long long)V->uops, (double)V->compile_ns / 1e6,
            (double)close_ns / 1e6);
  free(V);
}

static cpjit_status llvm_compile(void *ctx, const cpjit_uop *uops,
                                 uint32_t nuops, const cpjit_exit *exits,
                                 uint32_t nexits, const char *name,
                                 void **code) {
  vm_llvm *V = ctx;
  (void)name; /* LLVM's code is not registered with debuggers here */
  *code = NULL;
  vm_trace *t = calloc(1, sizeof *t);
  if (!t)
    return CPJIT_ERR_NOMEM;
  char err[512];
  uint64_t t0 = cpu_ns();
  int rc = llvm_backend_compile(V->B, uops, nuops, exits, nexits, 0, &t->lt,
                                err, sizeof err);
  V->compile_ns += cpu_ns() - t0;
  if (rc != 0) {
    /* Only LLVM knows why; the trace JIT reports a failed compile. */
    fprintf(stderr, "[cpjit-lua-llvm: %s]\n", err);
    free(t);
    return CPJIT_ERR_ARG;
  }
  V->traces++;
  V->uops += nuops;
  t->next = V->live;
  if (V->live)
    V->live->prev = t;
  V->live = t;
  *code = t;
  return CPJIT_OK;
}

static void *llvm_entry(void *code) { return ((vm_trace *)code)->lt.entry; }

static void llvm_free(void *ctx, void *code) {
  vm_llvm *V = ctx;
  vm_trace *t = code;
  llvm_backend_release(V->B, &t->lt);
  if (t->prev)
    t->prev->next = t->next;
  else
    V->live = t->next;
  if (t->next)
    t->next->prev = t->prev;
  free(t);
}

static void llvm_code(void *code, const void **addr, size_t *size) {
  *addr = ((vm_trace *)code)->lt.entry;
  *size = 0; /* LLJIT does not report a function's size */
}

static const JitBackend llvm_o0 = {
    .name = "llvm-O0",
    .open = llvm_open_o0,
    .close = llvm_close,
    .compile = llvm_compile,
    .entry = llvm_entry,
    .free = llvm_free,
    .code = llvm_code,
    .link = NULL,
};

static const JitBackend llvm_o2 = {
    .name = "llvm-O2",
    .open = llvm_open_o2,
    .close = llvm_close,
    .compile = llvm_compile,
    .entry = llvm_entry,
    .free = llvm_free,
    .code = llvm_code,
    .link = NULL,
};

__attribute__((constructor)) static void register_llvm_backends(void) {
  if (jit_backend_register(&llvm_o0) != 0 ||
      jit_backend_register(&llvm_o2) != 0)
    fprintf(stderr, "cpjit-lua-llvm: cannot register the LLVM backends\n");
}
