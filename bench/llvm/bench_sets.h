/*
 * bench_sets.h -- the uop sets the compile benchmark knows (toy VM and
 * cpjit-lua), behind one interface: op names for corpora, the stencil set
 * and helpers for cpjit, a "world" (the memory a trace reads and writes) to
 * run traces on, a reference run, and a random trace generator.
 */
#ifndef CPJIT_BENCH_SETS_H
#define CPJIT_BENCH_SETS_H

#include <stddef.h>
#include <stdint.h>

#include "cpjit.h"
#include "trace_corpus.h"

/* Kinds of generated traces. */
enum {
  BENCH_GEN_MIXED = 0, /* like the differential tests: guards may exit */
  BENCH_GEN_HOTLOOP    /* one long counted loop whose guards all pass */
};

/* Iterations of a BENCH_GEN_HOTLOOP trace's loop. */
#define BENCH_HOTLOOP_ITERS 10000

typedef struct bench_set {
  const char *name; /* corpus set name: "toy", "lua" */
  trace_corpus_ops ops; /* every op's name (register uop variants too) */
  /* Ops below nslot_ops are plain uops (function cpjit_bc_uop_<name>);
   * the others are variants of the register uops `ruops` (the generated
   * <set>_ruops table; function cpjit_bc_ruop_<NAME> of the body), whose
   * register file has ngpr + nfpr registers. */
  uint32_t nslot_ops;
  const cpjit_ruop_info *ruops;
  uint32_t nruops, ngpr, nfpr;
  /* Traces take a third argument, the spill area (cpjit-lua's contract:
   * fn(L, base, spill); spill[0..ngpr+nfpr) is the register file's dump,
   * loaded at entry and written at every exit). */
  int spill_arg;
  const cpjit_stencil_set *(*stencils)(void);
  size_t world_size;
  /* A deterministic world from a seed; clone moves pointers that point
   * into the world onto the copy; equal compares canonically (pointers
   * into a world relative to it) and explains the first difference. */
  void (*world_init)(void *w, uint64_t seed);
  void (*world_clone)(void *to, const void *from);
  int (*world_equal)(const void *a, const void *b, char *why, size_t len);
  /* The trace arguments (state pointer, frame pointer, spill area or
   * NULL when !spill_arg) of a world. */
  void (*world_args)(void *w, void **state, void **frame, void **spill);
  /* Run with the reference executor; returns the exit operand 0. */
  uint64_t (*ref_run)(void *w, const cpjit_uop *u, uint32_t n,
                      const cpjit_exit *e, uint32_t ne, uint64_t max_steps);
  uint64_t step_limit; /* what ref_run returns when max_steps ran out */
  /* Run a cpjit-compiled trace's entry on a world. */
  uint64_t (*cpjit_run)(void *entry, void *w);
  /* Whether a trace can run outside the real VM (no op needs the host). */
  int (*runnable)(const cpjit_uop *u, uint32_t n);
  /* Generate a random trace of about `len` uops into u/e. Returns 0, or
   * -1 when the buffers are too small. */
  int (*generate)(uint64_t *seed, uint32_t len, int kind, cpjit_uop *u,
                  uint32_t maxu, uint32_t *nu, cpjit_exit *e, uint32_t maxe,
                  uint32_t *ne);
} bench_set;

/* Address of a host helper by name ("floor", "toy_helper_mix", ...), or
 * NULL when the benchmark does not provide it. */
const void *bench_helper_address(const char *name);

/* The helper table of a stencil set, in its order. Helpers the benchmark
 * cannot provide (they need the real VM, e.g. cpjit-lua's jit_h_exec) get
 * bench_missing_helper, which stops the process with a message; traces
 * using them are never run (bench_set.runnable). Caller frees. */
const void **bench_helper_table(const cpjit_stencil_set *s);
void bench_missing_helper(void);

extern const bench_set bench_set_toy;
#ifdef CPJIT_BENCH_LUA
extern const bench_set bench_set_lua;
#endif

/* The set of a given name, or NULL. */
const bench_set *bench_set_find(const char *name);

/* xorshift64*, as the toy tests use. */
static inline uint64_t bench_rand(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545f4914f6cdd1dull;
}

#endif /* CPJIT_BENCH_SETS_H */
