/*
 * llvm_backend.h -- the LLVM baseline of the compile benchmark: compiles a
 * trace of a uop set with LLVM ORC (LLJIT), from the bitcode of the same uop
 * bodies the stencils are built from (uop_function_mode.h).
 *
 * Per trace: a new module into which the uop functions the trace uses are
 * linked (copies of per-op modules split from the parsed bitcode once, at
 * open), then one function
 *   uint64_t trace_N(void *state, void *frame)
 * or, for a set with a register file (cpjit-lua),
 *   uint64_t trace_N(void *state, void *frame, uint64_t *spill)
 * that calls the uop functions in trace order with constant operands (and
 * the addresses of the register file's local slots for register uops) and
 * branches on their result, drop the uop functions the trace does not use,
 * run `default<O0>` or `default<O2>` (LLVMRunPasses), add the module to the
 * LLJIT and look the symbol up (code ready). The clock (the thread's CPU
 * time, see llvm_backend.c) covers all of that;
 * parsing the bitcode happens once per backend (a JIT keeps the parsed
 * module) and is reported separately. Linking only the used bodies is
 * cheaper than cloning the whole parsed module per trace (measured: a
 * whole-module clone of the Lua set cost ~2.5 ms per trace).
 *
 * Code size: the optimized module is cloned (outside the clock), emitted to
 * an ELF object with LLVMTargetMachineEmitToMemoryBuffer at the same codegen
 * level as the JIT, and the sizes of its executable sections are summed.
 */
#ifndef CPJIT_BENCH_LLVM_BACKEND_H
#define CPJIT_BENCH_LLVM_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "bench_sets.h"

typedef struct llvm_backend llvm_backend;

typedef struct llvm_trace {
  void *entry;       /* the trace function above */
  uint64_t ns_total; /* clone + IR + passes + JIT add + lookup */
  uint64_t ns_ir;    /* linking the uop bodies + IR building */
  uint64_t ns_opt;   /* LLVMRunPasses */
  uint64_t ns_jit;   /* add module + lookup (instruction selection, MC) */
  size_t text_bytes; /* executable bytes of the object (when measured) */
  void *tracker_;    /* the trace's ORC resource tracker */
} llvm_trace;

/* Open a backend for `set` at optimisation level `opt` (0 or 2) over the
 * bitcode file `bc_path`. Returns 0, or -1 with a message in err. */
int llvm_backend_open(llvm_backend **out, const bench_set *set,
                      const char *bc_path, int opt, char *err, size_t errlen);

/* Time spent parsing the bitcode in llvm_backend_open (ns). */
uint64_t llvm_backend_parse_ns(const llvm_backend *B);

/* Compile one trace. With measure_size, also fills text_bytes. Returns 0,
 * or -1 with a message. On success release the trace with
 * llvm_backend_release when done running it. */
int llvm_backend_compile(llvm_backend *B, const cpjit_uop *u, uint32_t n,
                         const cpjit_exit *e, uint32_t ne, int measure_size,
                         llvm_trace *out, char *err, size_t errlen);

/* Free a compiled trace's code. */
void llvm_backend_release(llvm_backend *B, llvm_trace *t);

void llvm_backend_close(llvm_backend *B);

/* Run a compiled trace on a world of its set. */
uint64_t llvm_backend_run(const bench_set *set, const llvm_trace *t, void *w);

#endif /* CPJIT_BENCH_LLVM_BACKEND_H */
