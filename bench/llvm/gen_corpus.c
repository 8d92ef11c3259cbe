/*
 * gen_corpus.c -- write deterministic corpora of random traces for the
 * compile benchmark.
 *
 *   gen-corpus SET KIND SEED OUT.corpus LEN:COUNT [LEN:COUNT...]
 *
 * SET is toy or lua, KIND is mixed (traces like the differential tests',
 * whose guards may exit) or hotloop (one long counted loop whose guards all
 * pass, for run-time comparisons). LEN:COUNT asks for COUNT traces of
 * about LEN uops each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_sets.h"
#include "trace_corpus.h"

#define MAXU 4200
#define MAXE 4200

static cpjit_uop U[MAXU];
static cpjit_exit E[MAXE];

static int usage(void) {
  fprintf(stderr, "usage: gen-corpus SET(toy|lua) KIND(mixed|hotloop) SEED "
                  "OUT.corpus LEN:COUNT [LEN:COUNT...]\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 6)
    return usage();
  const bench_set *set = bench_set_find(argv[1]);
  if (!set) {
    fprintf(stderr,
            "gen-corpus: unknown uop set '%s' (this build knows toy%s)\n",
            argv[1],
#ifdef CPJIT_BENCH_LUA
            " and lua"
#else
            ""
#endif
    );
    return 2;
  }
  int kind;
  if (!strcmp(argv[2], "mixed"))
    kind = BENCH_GEN_MIXED;
  else if (!strcmp(argv[2], "hotloop"))
    kind = BENCH_GEN_HOTLOOP;
  else
    return usage();
  char *end;
  errno = 0;
  uint64_t seed = strtoull(argv[3], &end, 0);
  if (errno || *end || end == argv[3]) {
    fprintf(stderr, "gen-corpus: bad seed '%s'\n", argv[3]);
    return 2;
  }
  trace_corpus c;
  trace_corpus_init(&c, set->name);
  uint64_t s = seed | 1;
  for (int a = 5; a < argc; a++) {
    unsigned long len, count;
    char extra;
    if (sscanf(argv[a], "%lu:%lu%c", &len, &count, &extra) != 2 || len < 2 ||
        len > 4000 || count < 1 || count > 100000) {
      fprintf(stderr,
              "gen-corpus: bad size '%s' (LEN:COUNT, 2 <= LEN <= "
              "4000)\n",
              argv[a]);
      trace_corpus_free(&c);
      return 2;
    }
    for (unsigned long i = 0; i < count; i++) {
      uint32_t nu, ne;
      if (set->generate(&s, (uint32_t)len, kind, U, MAXU, &nu, E, MAXE, &ne) ||
          trace_corpus_add(&c, U, nu, E, ne)) {
        fprintf(stderr, "gen-corpus: cannot generate a trace of %lu uops\n",
                len);
        trace_corpus_free(&c);
        return 1;
      }
    }
  }
  FILE *f = fopen(argv[4], "w");
  if (!f) {
    fprintf(stderr, "gen-corpus: %s: %s\n", argv[4], strerror(errno));
    trace_corpus_free(&c);
    return 1;
  }
  char err[256];
  int rc = trace_corpus_write(f, &c, &set->ops, err, sizeof err);
  if (fclose(f) != 0 && rc == 0) {
    snprintf(err, sizeof err, "close: %s", strerror(errno));
    rc = -1;
  }
  if (rc)
    fprintf(stderr, "gen-corpus: %s: %s\n", argv[4], err);
  else
    printf("gen-corpus: %s: %zu %s traces\n", argv[4], c.ntraces, set->name);
  trace_corpus_free(&c);
  return rc ? 1 : 0;
}
