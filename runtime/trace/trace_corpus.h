/*
 * trace_corpus.h -- a text file of traces for one uop set, so compile speed
 * can be measured apart from the program that recorded the traces.
 *
 * Format (one record per line, fields separated by single spaces or tabs):
 *
 *   cpjit-trace-corpus 1 <set-name>
 *   trace <nuops> <nexits>
 *   u <OPNAME> <arg> <target> <exit> <operand0-hex> <operand1-hex>   (nuops)
 *   x <operand0-hex> <operand1-hex>                                  (nexits)
 *   end
 *   trace ...
 *
 * Ops are written by name, never by number, so a corpus survives a
 * reordering of the uop list. Lines starting with '#' and blank lines are
 * ignored. Numbers: arg, target and exit are decimal; operands are hex
 * without a prefix (at most 16 digits). A uop's target must name a uop of
 * its trace and its exit an exit of its trace, except that 0 is always
 * accepted (the field is unused by most ops).
 *
 * The reader checks everything and reports the first problem as
 * "file:line: message"; it never crashes on bad input.
 *
 * Users: `cpjit-lua -jsave=FILE` writes the traces its JIT compiled
 * (runtime/trace/jsave.c); the compile benchmarks (bench/llvm/) read them
 * and also write synthetic corpora. This file depends on cpjit.h alone, so
 * it is compiled into both (CMake target `trace_corpus`) and neither
 * depends on the other. Traces recorded by the VM keep their operands as
 * they were compiled, absolute pointers included (exit records, interned
 * strings, instruction pointers): replaying them through a compiler only
 * patches those bytes, running them outside that process would be wrong.
 */
#ifndef CPJIT_TRACE_CORPUS_H
#define CPJIT_TRACE_CORPUS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpjit.h"

#define TRACE_CORPUS_VERSION 1
#define TRACE_CORPUS_MAX_SET_NAME 63
/* Limits that keep a malformed count from asking for absurd memory. */
#define TRACE_CORPUS_MAX_UOPS (1u << 20)
#define TRACE_CORPUS_MAX_EXITS (1u << 20)

typedef struct trace_corpus_trace {
  cpjit_uop *uops;
  uint32_t nuops;
  cpjit_exit *exits;
  uint32_t nexits;
} trace_corpus_trace;

typedef struct trace_corpus {
  char set[TRACE_CORPUS_MAX_SET_NAME + 1];
  trace_corpus_trace *traces;
  size_t ntraces;
  size_t cap_;
} trace_corpus;

/* The op names of a uop set, indexed by cpjit_uop.op. */
typedef struct trace_corpus_ops {
  const char *const *names;
  uint32_t count;
} trace_corpus_ops;

/* The op names of a set with register uops (cpjit_stencil.h CPJIT_RUOP):
 * the n plain uops' names, then one name per register uop variant, in op
 * order, "<NAME>__<r0>[_<r1>[_<r2>]]" as the generated stencils are named
 * (variant v of ruops[i] is op ruops[i].first + v, numbered from n on
 * without gaps). Returns 0, or -1 when out of memory or the table has gaps;
 * release with trace_corpus_ops_free. */
int trace_corpus_ops_with_ruops(trace_corpus_ops *out,
                                const char *const *names, uint32_t n,
                                const cpjit_ruop_info *ruops, uint32_t nruops);
void trace_corpus_ops_free(trace_corpus_ops *ops);

/* An empty corpus of set `set` (truncated to TRACE_CORPUS_MAX_SET_NAME). */
void trace_corpus_init(trace_corpus *c, const char *set);

/* Free every trace of the corpus; leaves it empty and reusable. */
void trace_corpus_free(trace_corpus *c);

/* Append a copy of a trace. Returns 0, or -1 when out of memory or when the
 * counts are 0 / above the limits. */
int trace_corpus_add(trace_corpus *c, const cpjit_uop *uops, uint32_t nuops,
                     const cpjit_exit *exits, uint32_t nexits);

/* Write the corpus. Every op must be < ops->count. Returns 0, or -1 on a
 * write error or an unknown op (message in err). */
int trace_corpus_write(FILE *f, const trace_corpus *c,
                       const trace_corpus_ops *ops, char *err, size_t errlen);

/* Read a corpus from `f`; `name` is the file name used in messages. When
 * `ops` is given the header's set must equal `want_set` (unless NULL) and
 * op names are resolved against `ops`. On success returns 0 and fills *out
 * (free with trace_corpus_free). On failure returns -1, leaves *out empty
 * and writes "name:line: message" into err. */
int trace_corpus_read(FILE *f, const char *name, const char *want_set,
                      const trace_corpus_ops *ops, trace_corpus *out, char *err,
                      size_t errlen);

/* The same, opening `path`. */
int trace_corpus_load(const char *path, const char *want_set,
                      const trace_corpus_ops *ops, trace_corpus *out, char *err,
                      size_t errlen);

/* Read only the header's set name (for tools that pick the set from the
 * file). Returns 0 or -1 with a message. */
int trace_corpus_peek_set(const char *path, char *set, size_t setlen, char *err,
                          size_t errlen);

#endif /* CPJIT_TRACE_CORPUS_H */
