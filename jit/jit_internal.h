/*
 * jit_internal.h -- shared internals of the cpjit library (the .c files of jit/ only).
 *
 * Modules:
 *   jit.c            instance life cycle, the compile pipeline, linking, stats
 *   mcode.c          executable memory: chunks, dual mapping, block allocator
 *   machine.h        the machine interface the two above call
 *   patch_x86_64.c   x86-64: one patch function per relocation kind, jumps
 *   patch_aarch64.c  AArch64: the same
 *   gdbjit.c         GDB JIT interface: an in-memory ELF object per trace
 *   perf.c           perf map and jitdump files
 */
#ifndef CPJIT_JIT_INTERNAL_H
#define CPJIT_JIT_INTERNAL_H

#include "cpjit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* -- Executable memory (mcode.c) ----------------------------------------- */

typedef struct mcode_free {
  size_t off, size;
} mcode_free;

/* One mapping. In dual-map mode `rw` and `rx` view the same pages of the
 * instance's memfd; in fallback mode rw == rx and writes are bracketed by
 * mprotect calls. Free space is a sorted, coalesced array of ranges. */
typedef struct mcode_chunk {
  struct mcode_chunk *next;
  uint8_t *rx;
  uint8_t *rw;
  size_t size;
  int64_t fd_off;
  mcode_free *free;
  uint32_t nfree, capfree;
  /* The chunk starts with one veneer per host helper: an indirect jump to
   * the helper, so rel32 calls from traces reach helpers that live more
   * than 2 GiB away (e.g. in a shared libm). */
  uint32_t nveneers;
} mcode_chunk;

/* A reserved block: where the JIT writes (rw) and where code runs (rx). */
typedef struct mcode_block {
  mcode_chunk *chunk;
  size_t off, size;
  uint8_t *rw;
  uint8_t *rx;
} mcode_block;

typedef struct mcode {
  cpjit_jit *J; /* for the allocator, memops and stats */
  mcode_chunk *chunks;
  size_t mapped;
  size_t budget;
  size_t chunk_size;
  size_t page;
  int fd;     /* memfd of the dual mapping, -1 before first use / fallback */
  bool dual;  /* dual mapping in use */
  bool tried; /* dual mapping attempted */
  int64_t fd_size;
  const uint8_t *near;
  int xprot; /* protection of code views: PROT_READ|PROT_EXEC [|PROT_BTI] */
} mcode;

void cpjit_mcode_init(mcode *M, cpjit_jit *J, const cpjit_config *cfg);
/* Reserve `size` bytes (16-byte aligned) for a trace. */
cpjit_status cpjit_mcode_reserve(mcode *M, size_t size, mcode_block *out);
/* Make [rw, rw+size) of a block writable (fallback mode only; no-op with
 * dual mapping), and back to executable after writing. */
cpjit_status cpjit_mcode_begin_write(mcode *M, const mcode_block *b,
                                     size_t off, size_t size);
cpjit_status cpjit_mcode_end_write(mcode *M, const mcode_block *b, size_t off,
                                   size_t size);
void cpjit_mcode_release(mcode *M, const mcode_block *b);
void cpjit_mcode_unmap_all(mcode *M);

/* Flush the instruction cache over [rx, rx+size) after writing code there
 * (a no-op on x86-64, required on AArch64) and count it in J->stats. */
void cpjit_mcode_flush(mcode *M, const uint8_t *rx, size_t size);

/* Patching, jumps, veneers: the machine interface, machine.h. */

/* -- Instance ------------------------------------------------------------ */

typedef struct link_rec {
  struct link_rec *next;
  cpjit_trace *from;
  uint32_t exit;
} link_rec;

struct cpjit_trace {
  cpjit_jit *owner;
  cpjit_trace *prev, *next; /* live list of the instance */
  mcode_block block;
  size_t code_size;     /* trampoline + uops + stubs + exit handler */
  uint32_t nuops, nexits;
  uint32_t *uop_off;    /* nuops + 1 offsets from block start */
  uint32_t *stub_off;   /* nexits offsets of the exit stubs */
  uint8_t *stub_head;   /* link_head 0: the first CPJIT_LINK_JUMP_SIZE bytes
                           of each stub as emitted (nexits of them), else NULL */
  cpjit_trace **linked; /* nexits: where each exit is linked, or NULL */
  link_rec *incoming;   /* exits of other traces linked here */
  char *name;           /* in the trace's allocation; "" until a default
                           name is asked for (read it with cpjit_trace_name) */
  uint32_t name_len;    /* bytes reserved for it, without the NUL */
  uint64_t serial;      /* compile call number, for the default name */
  struct gdbjit_entry *gdb; /* registration with GDB, or NULL */
};

/* Per-stencil facts, packed for the compile loops: gathered at open for
 * the trampoline, exit stub and handler, and for a uop the first time a
 * compile uses it (jit.c, rec_prepare). */
typedef struct op_rec {
  const uint8_t *code;
  const cpjit_hole *holes;
  const uint8_t *data;
  uint32_t code_size;
  uint32_t tail_size; /* bytes dropped when the next uop follows (0: none) */
  uint32_t data_size, data_align;
  uint16_t nholes, ngot;
  uint8_t uses_jump, uses_exit, uses_continue;
  uint8_t falls_off; /* CPJIT_STENCIL_FALLTHROUGH */
  /* Holes of a short-reach branch kind (cpjit_mach_branch_reach) to an
   * in-trace target: the smallest reach (0: none), and their kinds as bits
   * 1 << (kind - CPJIT_HOLE_CONTINUE), each given one island in the far
   * form (jit.c). */
  uint32_t reach;
  uint8_t island_kinds;
} op_rec;

/* States of a uop's op_rec (cpjit_jit.rec_state). */
enum { REC_UNSEEN = 0, REC_READY, REC_BAD };

struct cpjit_jit {
  cpjit_config cfg;
  cpjit_memops ops;
  const cpjit_stencil_set *set;
  /* One per uop, filled lazily: rec[op] is valid only once
   * rec_state[op] == REC_READY (jit.c: size_pass checks it before any read). A set of
   * thousands of register variants costs nothing at open for the uops a
   * program never uses. Both in one allocation, the states zeroed. */
  op_rec *rec;
  uint8_t *rec_state; /* nuops bytes: REC_UNSEEN, REC_READY, REC_BAD */
  op_rec tramp, stub;
  op_rec handler; /* the set's shared exit handler (has_handler) */
  bool has_handler;
  /* Bytes of the link jump in front of each exit stub: CPJIT_LINK_JUMP_SIZE,
   * or 0 when a stub jumping to the shared handler is at least that long --
   * then linking writes the jump over the stub's first bytes, and
   * unlinking puts them back (cpjit_trace.stub_head). */
  uint32_t link_head;
  mcode M;
  cpjit_trace *traces;
  cpjit_stats stats;
  int64_t err_index;
  /* Scratch reused across compiles (no allocation in the steady state). */
  uint32_t *scratch;
  size_t scratch_cap;
  uint8_t perf_refs; /* perf files it holds a reference on (perf.c) */
  uint64_t serial;   /* compiles attempted, for default trace names */
};

void *cpjit_mem_alloc(cpjit_jit *J, size_t size);
uint64_t cpjit_now_ns(void); /* CLOCK_MONOTONIC, as perf -k 1 records */

/* -- Debuggers and profilers (gdbjit.c, perf.c) --------------------------- */

/* Register trace `t` (just compiled from `uops`) with GDB. A failure only
 * counts in stats.debug_failures; t->gdb stays NULL then. */
void cpjit_gdbjit_add(cpjit_jit *J, cpjit_trace *t, const cpjit_uop *uops);
/* Unregister and free t's entry (no-op when it has none). */
void cpjit_gdbjit_remove(cpjit_jit *J, cpjit_trace *t);

/* Take a reference on the process's perf map / jitdump files (at open). */
void cpjit_perf_open(cpjit_jit *J);
/* Write the records of a new trace. */
void cpjit_perf_add(cpjit_jit *J, const cpjit_trace *t);
/* Drop the reference; the last one closes the files. */
void cpjit_perf_close(cpjit_jit *J);
void cpjit_mem_free(cpjit_jit *J, void *p, size_t size);

#endif /* CPJIT_JIT_INTERNAL_H */
