/*
 * backend.c -- the trace backends of cpjit-lua (see backend.h): the table
 * -jbackend picks from, the default backend (the cpjit library), and the
 * -jsave corpus of every compiled trace.
 */
#include "backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_stencils.h"
#include "trace_corpus.h"
#include "trace_int.h"

/* -- The cpjit backend --------------------------------------------------- */

static void *library_open(cpjit_jit *J, char *err, size_t errlen) {
  (void)err, (void)errlen;
  return J; /* jit_open owns the instance */
}

static void library_close(void *ctx) {
  (void)ctx; /* cpjit_close in jit_close frees the traces */
}

static cpjit_status library_compile(void *ctx, const cpjit_uop *uops,
                                    uint32_t nuops, const cpjit_exit *exits,
                                    uint32_t nexits, const char *name,
                                    void **code) {
  cpjit_trace *t = NULL;
  cpjit_status st =
      cpjit_compile_named(ctx, uops, nuops, exits, nexits, name, &t);
  *code = t;
  return st;
}

static void *library_entry(void *code) { return cpjit_trace_entry(code); }

static void library_free(void *ctx, void *code) { cpjit_trace_free(ctx, code); }

static void library_code(void *code, const void **addr, size_t *size) {
  cpjit_trace_code(code, addr, size);
}

static int64_t library_uop_offset(void *code, uint32_t i) {
  return cpjit_trace_uop_offset(code, i);
}

static cpjit_status library_link(void *ctx, void *from, uint32_t exit,
                                 void *to) {
  return cpjit_link_exit(ctx, from, exit, to);
}

const JitBackend jit_backend_cpjit = {
    .name = "cpjit",
    .open = library_open,
    .close = library_close,
    .compile = library_compile,
    .entry = library_entry,
    .free = library_free,
    .code = library_code,
    .uop_offset = library_uop_offset,
    .link = library_link,
};

/* -- The table of backends ------------------------------------------------
 * Process-wide and filled before any state exists (a benchmark build's
 * constructor); states only read it. */

#define MAX_BACKENDS 8

static const JitBackend *extra_backends[MAX_BACKENDS];
static int nextra_backends;

int jit_backend_register(const JitBackend *b) {
  if (!b || !b->name || jit_backend_find(b->name) ||
      nextra_backends == MAX_BACKENDS)
    return -1;
  extra_backends[nextra_backends++] = b;
  return 0;
}

const JitBackend *jit_backend_find(const char *name) {
  if (!name || !*name || strcmp(name, jit_backend_cpjit.name) == 0)
    return &jit_backend_cpjit;
  for (int i = 0; i < nextra_backends; i++)
    if (strcmp(name, extra_backends[i]->name) == 0)
      return extra_backends[i];
  return NULL;
}

void jit_backend_names(char *buf, size_t len) {
  if (!len)
    return;
  int n = snprintf(buf, len, "%s", jit_backend_cpjit.name);
  for (int i = 0; i < nextra_backends && n >= 0 && (size_t)n < len; i++)
    n += snprintf(buf + n, len - (size_t)n, ", %s", extra_backends[i]->name);
}

/* -- Open, compile, close -------------------------------------------------- */

static const char *const corpus_op_names[] = {
#define UOP_NAME(name) #name,
    LUA_UOP_LIST(UOP_NAME)
#undef UOP_NAME
};

int jit_backend_open(jit_State *js) {
  const JitBackend *b = jit_backend_find(js->opts.backend);
  if (!b) {
    char names[256];
    jit_backend_names(names, sizeof names);
    fprintf(stderr,
            "cpjit-lua: unknown JIT backend '%s' (this build has: %s)\n",
            js->opts.backend, names);
    return -1;
  }
  char err[256] = "";
  void *ctx = b->open(js->J, err, sizeof err);
  if (!ctx) {
    fprintf(stderr, "cpjit-lua: JIT backend '%s': %s\n", b->name,
            err[0] ? err : "cannot open");
    return -1;
  }
  if (js->opts.save) {
    js->save = malloc(sizeof *js->save);
    if (!js->save) {
      fprintf(stderr, "cpjit-lua: -jsave: out of memory\n");
      b->close(ctx);
      return -1;
    }
    trace_corpus_init(js->save, "lua");
  }
  js->backend = b;
  js->backend_ctx = ctx;
  return 0;
}

cpjit_status jit_backend_compile(jit_State *js, const cpjit_uop *uops,
                                 uint32_t nuops, const cpjit_exit *exits,
                                 uint32_t nexits, const char *name,
                                 void **code) {
  cpjit_status st = js->backend->compile(js->backend_ctx, uops, nuops, exits,
                                         nexits, name, code);
  if (st == CPJIT_OK && js->save && !js->save_failed &&
      trace_corpus_add(js->save, uops, nuops, exits, nexits) != 0)
    js->save_failed = 1; /* reported at close; the run goes on */
  return st;
}

static void write_corpus(jit_State *js) {
  const char *path = js->opts.save;
  if (js->save_failed) {
    fprintf(stderr,
            "cpjit-lua: -jsave: out of memory keeping traces, %s "
            "not written\n",
            path);
    return;
  }
  /* Register uop variants are named as their stencils (ADD_GG__1_2). */
  trace_corpus_ops ops;
  char err[256] = "";
  if (trace_corpus_ops_with_ruops(&ops, corpus_op_names, UOP__COUNT,
                                  lua_ruops, lua_NRUOPS) != 0) {
    fprintf(stderr, "cpjit-lua: -jsave: out of memory, %s not written\n",
            path);
    return;
  }
  FILE *f = fopen(path, "w");
  int rc = -1;
  if (!f) {
    snprintf(err, sizeof err, "%s", strerror(errno));
  } else {
    rc = trace_corpus_write(f, js->save, &ops, err, sizeof err);
    if (fclose(f) != 0 && rc == 0) {
      snprintf(err, sizeof err, "%s", strerror(errno));
      rc = -1;
    }
  }
  trace_corpus_ops_free(&ops);
  if (rc != 0)
    fprintf(stderr, "cpjit-lua: -jsave: cannot write %s: %s\n", path, err);
}

void jit_backend_close(jit_State *js) {
  if (js->save) {
    write_corpus(js);
    trace_corpus_free(js->save);
    free(js->save);
    js->save = NULL;
  }
  if (js->backend)
    js->backend->close(js->backend_ctx);
  js->backend = NULL;
  js->backend_ctx = NULL;
}
