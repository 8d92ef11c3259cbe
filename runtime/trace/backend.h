/*
 * backend.h -- what compiles and runs cpjit-lua's traces. The trace JIT
 * (trace.c) never calls cpjit's compile/entry/free/link functions directly:
 * it goes through the JitBackend of its jit_State, so a benchmark build can
 * run the very same recorded traces with code from another compiler and
 * compare run times (bench/llvm/vm_llvm_backend.c: LLVM ORC at -O0/-O2).
 *
 * The default backend, "cpjit", is the library itself. Others are
 * registered with jit_backend_register() before the state is opened (the
 * benchmark executable does it from a constructor); `-jbackend=NAME` picks
 * one (cpjit_lua_options.backend).
 *
 * Contract of a compiled trace, for every backend: its entry is
 *   uint64_t fn(lua_State *L, TValue *base, uint64_t *spill)
 * and returns the operand[0] of the exit it left through (the TraceExit
 * record trace.c put there). `spill` is the activation's spill area: the
 * register file is loaded from its first lua_NGPR + lua_NFPR words at entry
 * and dumped there at every exit (trace.c writes the exit's snapshot back
 * from that dump), spill slots follow.
 *
 * jsave.c keeps a copy of every trace compiled through jit_backend_compile
 * when -jsave=FILE is given and writes them at jit_backend_close.
 */
#ifndef CPJIT_LUA_TRACE_BACKEND_H
#define CPJIT_LUA_TRACE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "cpjit.h"

typedef struct JitBackend {
  const char *name; /* what -jbackend= names it */
  /* Open over the JIT's cpjit instance J (opened with cpjit-lua's stencils
   * and helpers). Returns the backend's context, or NULL with a one-line
   * message in err. */
  void *(*open)(cpjit_jit *J, char *err, size_t errlen);
  void (*close)(void *ctx); /* frees every trace still alive */
  /* Compile a trace; on CPJIT_OK *code is the backend's handle for it. A
   * failed compile leaves nothing behind. `name` names the trace for
   * debuggers and profilers (copied; a backend may ignore it). */
  cpjit_status (*compile)(void *ctx, const cpjit_uop *uops, uint32_t nuops,
                          const cpjit_exit *exits, uint32_t nexits,
                          const char *name, void **code);
  void *(*entry)(void *code); /* see the contract above */
  void (*free)(void *ctx, void *code);
  /* Machine code of a trace, for -jdump and CPJIT_PERF (size 0 when the
   * backend does not know it). */
  void (*code)(void *code, const void **addr, size_t *size);
  /* Offset of uop i's machine code from the start given by `code` (for the
   * labels of -jdump), -1 when out of range. NULL when unknown. */
  int64_t (*uop_offset)(void *code, uint32_t i);
  /* Make exit `exit` of `from` jump straight into `to`. NULL when the
   * backend cannot: the caller then returns to C and enters `to` itself. */
  cpjit_status (*link)(void *ctx, void *from, uint32_t exit, void *to);
} JitBackend;

/* The library's backend (cpjit_compile, cpjit_trace_entry, ...). */
extern const JitBackend jit_backend_cpjit;

/* Add a backend for -jbackend. Returns 0, or -1 when the table is full or
 * the name is taken. Call before any state is opened. */
int jit_backend_register(const JitBackend *b);

/* The backend called `name` (NULL or "" means "cpjit"), or NULL. */
const JitBackend *jit_backend_find(const char *name);

/* Names of every backend, separated by ", " (for messages). */
void jit_backend_names(char *buf, size_t len);

/* -- What trace.c calls (jit_State in trace_int.h) -- */
struct jit_State;

/* Pick and open the backend of js->opts.backend and, with js->opts.save,
 * start collecting traces. Returns 0, or -1 after printing a one-line
 * message on stderr (the JIT then stays off). */
int jit_backend_open(struct jit_State *js);

/* Compile through the backend; keeps a copy for -jsave on success. */
cpjit_status jit_backend_compile(struct jit_State *js, const cpjit_uop *uops,
                                 uint32_t nuops, const cpjit_exit *exits,
                                 uint32_t nexits, const char *name,
                                 void **code);

/* Write the -jsave corpus (a failure prints one line on stderr and changes
 * nothing else) and close the backend, which frees the code of every trace
 * still alive (as cpjit_close does): call it before cpjit_close. */
void jit_backend_close(struct jit_State *js);

#endif /* CPJIT_LUA_TRACE_BACKEND_H */
