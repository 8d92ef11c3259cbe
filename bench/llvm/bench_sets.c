/*
 * bench_sets.c -- what the uop sets of the compile benchmark share: the
 * helper table by name and the lookup of a set by name.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_sets.h"
#include "toy.h"

const void *bench_helper_address(const char *name) {
  if (!strcmp(name, "toy_helper_mix"))
    return (const void *)(uintptr_t)&toy_helper_mix;
  if (!strcmp(name, "floor"))
    return (const void *)(uintptr_t)&floor;
  if (!strcmp(name, "fmod"))
    return (const void *)(uintptr_t)&fmod;
  if (!strcmp(name, "pow"))
    return (const void *)(uintptr_t)&pow;
  if (!strcmp(name, "sqrt"))
    return (const void *)(uintptr_t)&sqrt;
  if (!strcmp(name, "sin"))
    return (const void *)(uintptr_t)&sin;
  if (!strcmp(name, "cos"))
    return (const void *)(uintptr_t)&cos;
  if (!strcmp(name, "exp"))
    return (const void *)(uintptr_t)&exp;
  if (!strcmp(name, "log"))
    return (const void *)(uintptr_t)&log;
  return NULL;
}

void bench_missing_helper(void) {
  fprintf(stderr, "compile-bench: a trace called a host helper that only the "
                  "real VM provides; such traces must not be run here\n");
  exit(2);
}

const void **bench_helper_table(const cpjit_stencil_set *s) {
  const void **t = calloc(s->nhelpers ? s->nhelpers : 1, sizeof *t);
  if (!t)
    return NULL;
  for (uint32_t i = 0; i < s->nhelpers; i++) {
    t[i] = bench_helper_address(s->helper_names[i]);
    if (!t[i])
      t[i] = (const void *)(uintptr_t)&bench_missing_helper;
  }
  return t;
}

const bench_set *bench_set_find(const char *name) {
  if (!strcmp(name, bench_set_toy.name))
    return &bench_set_toy;
#ifdef CPJIT_BENCH_LUA
  if (!strcmp(name, bench_set_lua.name))
    return &bench_set_lua;
#endif
  return NULL;
}
