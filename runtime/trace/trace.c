/*
 * trace.c -- cpjit-lua's trace management: hot-loop counting, starting and
 * finishing recordings, compiling with cpjit, entering traces, exits,
 * blacklisting, and the -jv / -jdump / -jstats / CPJIT_PERF tools.
 *
 * The pipeline of one trace reads in jit_record -> finish():
 *   record (record.c) -> optimize (rec_optimize) -> compile (cpjit_compile)
 *   -> install at the head pc of its prototype.
 * A failed compile is reported like an abort; the interpreter keeps going.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua_stencils.h"
#include "trace_int.h"

typedef uint64_t (*trace_fn)(lua_State *L, TValue *base);

static const void *const lua_helpers[] = {
#define HELPER_ADDR(name) (const void *)(uintptr_t)&name,
    LUA_UOP_HELPER_LIST(HELPER_ADDR)
#undef HELPER_ADDR
};

static const char *const uop_names[] = {
#define UOP_NAME(name) #name,
    LUA_UOP_LIST(UOP_NAME)
#undef UOP_NAME
};

/* -- Source positions ------------------------------------------------------ */

const char *jit_chunkname(const Proto *p) {
  if (!p->source)
    return "?";
  const char *s = getstr(p->source);
  return (*s == '@' || *s == '=') ? s + 1 : s;
}

int jit_line(const Proto *p, const Instruction *pc) {
  int i = (int)(pc - p->code);
  if (p->lineinfo && i >= 0 && i < p->sizelineinfo)
    return p->lineinfo[i];
  return p->linedefined;
}

/* -- Open / close ----------------------------------------------------------- */

void jit_open(lua_State *L) {
  global_State *g = G(L);
  if (g->jit || !g->opts.jit_enabled)
    return;
  jit_State *js = calloc(1, sizeof *js);
  if (!js)
    return;
  js->opts = g->opts;
  if (js->opts.hotloop < 1)
    js->opts.hotloop = 1;
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = &lua_stencil_set;
  cfg.helpers = lua_helpers;
  cfg.nhelpers = lua_NHELPERS;
  cpjit_status st = cpjit_open(&cfg, &js->J);
  if (st != CPJIT_OK) {
    if (js->opts.verbose)
      fprintf(stderr, "[JIT off: %s]\n", cpjit_status_str(st));
    free(js);
    return;
  }
  if (jit_backend_open(js) != 0) {
    cpjit_close(js->J);
    free(js);
    return;
  }
  const char *perf = getenv("CPJIT_PERF");
  if (perf && *perf == '1') {
    char name[64];
    snprintf(name, sizeof name, "/tmp/perf-%d.map", (int)getpid());
    js->perf_map = fopen(name, "w");
  }
  js->next_id = 1;
  g->jit = js;
}

static void free_protojit(ProtoJit *pj, jit_State *js) {
  for (int i = 0; i < pj->size; i++) {
    LuaTrace *t = pj->trace[i];
    if (t) {
      if (js)
        js->backend->free(js->backend_ctx, t->code);
      free(t->exits);
      free(t->uops);
      free(t);
    }
  }
  free(pj->blocked);
  free(pj->hot);
  free(pj->aborts);
  free(pj->trace);
  free(pj);
}

void jit_freeproto(lua_State *L, Proto *p) {
  ProtoJit *pj = p->jitdata;
  if (!pj)
    return;
  free_protojit(pj, G(L)->jit);
  p->jitdata = NULL;
}

static void print_stats(jit_State *js) {
  cpjit_stats st;
  cpjit_get_stats(js->J, &st);
  fprintf(stderr,
          "[JIT stats]\n"
          "  traces compiled   %" PRIu64 "\n"
          "  aborted           %" PRIu64 "\n"
          "  blacklisted heads %" PRIu64 "\n"
          "  compile failures  %" PRIu64 "\n"
          "  uops compiled     %" PRIu64 "\n"
          "  code bytes        %" PRIu64 " (mapped %" PRIu64 ")\n"
          "  compile time      %.3f ms total, %.2f us per trace, %.1f ns per uop\n"
          "  trace entries     %" PRIu64 "\n"
          "  exits taken       %" PRIu64 "\n",
          js->traces, js->aborts, js->blacklisted, js->compile_fail,
          st.uops_compiled, st.code_bytes, st.mapped_bytes,
          (double)st.compile_ns / 1e6,
          st.traces_compiled ? (double)st.compile_ns / 1e3 / (double)st.traces_compiled : 0.0,
          st.uops_compiled ? (double)st.compile_ns / (double)st.uops_compiled : 0.0,
          js->entries, js->exits);
}

void jit_close(lua_State *L) {
  jit_State *js = G(L)->jit;
  if (!js)
    return;
  if (js->opts.stats)
    print_stats(js);
  if (js->rec) {
    free(js->rec->uops);
    free(js->rec->exit_pc);
    free(js->rec);
  }
  if (js->perf_map)
    fclose(js->perf_map);
  /* Prototypes still alive are freed by the GC after this; their traces
   * go with the JIT instance now. */
  G(L)->jit = NULL;
  jit_backend_close(js);
  cpjit_close(js->J);
  free(js);
}

/* -- Per-prototype data ------------------------------------------------------- */

static ProtoJit *protojit(Proto *p) {
  ProtoJit *pj = p->jitdata;
  if (pj)
    return pj;
  pj = calloc(1, sizeof *pj);
  if (!pj)
    return NULL;
  pj->size = p->sizecode;
  pj->hot = calloc((size_t)p->sizecode, sizeof *pj->hot);
  pj->aborts = calloc((size_t)p->sizecode, sizeof *pj->aborts);
  pj->trace = calloc((size_t)p->sizecode, sizeof *pj->trace);
  pj->blocked = calloc((size_t)p->sizecode, sizeof *pj->blocked);
  if (!pj->hot || !pj->aborts || !pj->trace || !pj->blocked) {
    free(pj->blocked);
    free(pj->hot);
    free(pj->aborts);
    free(pj->trace);
    free(pj);
    return NULL;
  }
  p->jitdata = pj;
  return pj;
}

/* -- Dumps ---------------------------------------------------------------------- */

static void dump_trace(LuaTrace *t, const Recorder *R) {
  const jit_State *js = G(R->L)->jit;
  fprintf(stderr, "---- TRACE %d start %s:%d\n", t->id, jit_chunkname(t->p),
          jit_line(t->p, t->p->code + t->headpc));
  fprintf(stderr, "---- TRACE %d uops\n", t->id);
  for (uint32_t j = 0; j < R->nuops; j++) {
    const cpjit_uop *u = &R->uops[j];
    fprintf(stderr, "%04u %-10s a=%-3u op0=%#" PRIx64 " op1=%#" PRIx64, j,
            uop_names[u->op], u->arg / 16u, u->operand[0], u->operand[1]);
    if (u->op == UOP_JUMP || u->op == UOP_FORLOOP_I || u->op == UOP_FORLOOP_F)
      fprintf(stderr, " ->%04u", u->target);
    if (u->op < UOP_MOV || (u->op >= UOP_LT_II_T && u->op <= UOP_EQ_GC_F) ||
        u->op == UOP_FORLOOP_I || u->op == UOP_FORLOOP_F)
      fprintf(stderr, " exit %u (line %d)", u->exit,
              jit_line(t->p, R->exit_pc[u->exit]));
    fputc('\n', stderr);
  }
  const void *code;
  size_t size;
  js->backend->code(t->code, &code, &size);
  fprintf(stderr, "---- TRACE %d mcode %zu bytes at %p\n", t->id, size, code);
  /* Disassemble with llvm-objdump when it is installed, hex otherwise. */
  char tmpl[] = "/tmp/cpjit-dump-XXXXXX";
  int fd = mkstemp(tmpl);
  bool shown = false;
  if (fd >= 0) {
    bool ok = write(fd, code, size) == (ssize_t)size;
    close(fd);
    if (ok) {
      char cmd[256];
      snprintf(cmd, sizeof cmd,
               "llvm-objdump-19 -D -b binary -m i386:x86-64 "
               "--adjust-vma=%#" PRIxPTR " %s 2>/dev/null | tail -n +8 >&2",
               (uintptr_t)code, tmpl);
      if (system("command -v llvm-objdump-19 >/dev/null 2>&1") == 0)
        shown = system(cmd) == 0;
    }
    unlink(tmpl);
  }
  if (!shown) {
    const uint8_t *b = code;
    for (size_t j = 0; j < size; j++)
      fprintf(stderr, "%02x%s", b[j], (j % 16 == 15 || j + 1 == size) ? "\n" : " ");
  }
  fprintf(stderr, "---- TRACE %d stop\n", t->id);
}

/* -- Recording -------------------------------------------------------------------- */

static void stop_recording(lua_State *L, jit_State *js) {
  (void)L;
  js->rec->L = NULL;
  G(L)->dispatch = G(L)->disp_normal;
}

static void abort_recording(lua_State *L, jit_State *js) {
  Recorder *R = js->rec;
  ProtoJit *pj = protojit(R->p);
  int head = (int)(R->head - R->p->code);
  js->aborts++;
  if (pj) {
    pj->hot[head] = 0;
    if (++pj->aborts[head] >= JIT_MAX_ABORTS) {
      js->blacklisted++;
      pj->blocked[head] = 1;
    }
  }
  if (js->opts.verbose) {
    fprintf(stderr, "[TRACE --- %s:%d -- %s]\n", jit_chunkname(R->p),
            jit_line(R->p, R->head), R->why[0] ? R->why : "aborted");
    if (pj && pj->aborts[head] == JIT_MAX_ABORTS)
      fprintf(stderr, "[TRACE --- %s:%d -- blacklisted]\n",
              jit_chunkname(R->p), jit_line(R->p, R->head));
  }
  stop_recording(L, js);
}

static void finish_recording(lua_State *L, jit_State *js) {
  Recorder *R = js->rec;
  ProtoJit *pj = protojit(R->p);
  int head = (int)(R->head - R->p->code);
  rec_optimize(R);
  LuaTrace *t = calloc(1, sizeof *t);
  TraceExit *ex = calloc(R->nexits ? R->nexits : 1, sizeof *ex);
  cpjit_exit *cx = calloc(R->nexits ? R->nexits : 1, sizeof *cx);
  cpjit_uop *uops = malloc(R->nuops * sizeof *uops);
  cpjit_status st = CPJIT_ERR_NOMEM;
  if (pj && t && ex && cx && uops) {
    memcpy(uops, R->uops, R->nuops * sizeof *uops);
    for (uint32_t e = 0; e < R->nexits; e++) {
      ex[e].pc = R->exit_pc[e];
      ex[e].trace_id = (uint16_t)js->next_id;
      ex[e].no = (uint16_t)e;
      cx[e].operand[0] = (uint64_t)(uintptr_t)&ex[e];
    }
    st = jit_backend_compile(js, R->uops, R->nuops, cx, R->nexits, &t->code);
  }
  free(cx);
  if (st != CPJIT_OK) {
    free(t);
    free(ex);
    free(uops);
    js->compile_fail++;
    snprintf(R->why, sizeof R->why, "compile failed: %s", cpjit_status_str(st));
    abort_recording(L, js);
    return;
  }
  t->id = js->next_id++;
  t->p = R->p;
  t->headpc = head;
  t->exits = ex;
  t->uops = uops;
  t->nexits = R->nexits;
  t->nuops = R->nuops;
  pj->trace[head] = t;
  js->traces++;
  js->uops += R->nuops;
  if (js->opts.verbose)
    fprintf(stderr, "[TRACE %3d %s:%d loop]\n", t->id, jit_chunkname(R->p),
            jit_line(R->p, R->head));
  if (js->opts.dump)
    dump_trace(t, R);
  if (js->perf_map) {
    const void *code;
    size_t size;
    js->backend->code(t->code, &code, &size);
    fprintf(js->perf_map, "%" PRIxPTR " %zx TRACE_%d_%s:%d\n", (uintptr_t)code,
            size, t->id, jit_chunkname(R->p), jit_line(R->p, R->head));
    fflush(js->perf_map);
  }
  stop_recording(L, js);
}

static bool start_recording(lua_State *L, jit_State *js, CallInfo *ci,
                            const Instruction *head) {
  if (!js->rec) {
    Recorder *R = calloc(1, sizeof *R);
    if (!R)
      return false;
    R->uops = malloc(JIT_MAX_UOPS * sizeof *R->uops);
    R->exit_pc = malloc(JIT_MAX_UOPS * sizeof *R->exit_pc);
    if (!R->uops || !R->exit_pc) {
      free(R->uops);
      free(R->exit_pc);
      free(R);
      return false;
    }
    js->rec = R;
  }
  if (!G(L)->disp_record)
    return false;
  rec_start(js, js->rec, L, ci, head);
  G(L)->dispatch = G(L)->disp_record;
  return true;
}

static bool recording(const jit_State *js) { return js->rec && js->rec->L; }

void jit_record(lua_State *L, CallInfo *ci, const Instruction *pc) {
  jit_State *js = G(L)->jit;
  (void)ci;
  if (!js || !recording(js)) {
    if (js)
      G(L)->dispatch = G(L)->disp_normal;
    return;
  }
  if (L != js->rec->L)
    return; /* another coroutine runs meanwhile: not part of this trace */
  if (rec_ins(js->rec, pc))
    return;
  if (js->rec->closed && !js->rec->why[0])
    finish_recording(L, js);
  else
    abort_recording(L, js);
}

/* -- Back-edges -------------------------------------------------------------------- */

const Instruction *jit_backedge(lua_State *L, CallInfo *ci,
                                const Instruction *head) {
  jit_State *js = G(L)->jit;
  if (!js)
    return head;
  Proto *p = clLvalue(ci->func)->p;
  ProtoJit *pj = p->jitdata;
  int h = (int)(head - p->code);
  if (pj && pj->trace[h]) {
    if (L->nCcalls >= JIT_MAX_CCALLS_ENTER)
      return head; /* deep native nesting: stay in the interpreter */
    LuaTrace *t = pj->trace[h];
    ci->savedpc = head;
    L->top = ci->top;
    TraceExit *x =
        (TraceExit *)(uintptr_t)((trace_fn)js->backend->entry(t->code))(
            L, ci->func + 1);
    x->count++;
    t->entries++;
    js->entries++;
    js->exits++;
    return x->pc;
  }
  if (recording(js))
    return head; /* one recording at a time */
  if (!pj && !(pj = protojit(p)))
    return head;
  if (pj->aborts[h] >= JIT_MAX_ABORTS)
    return head;
  if (++pj->hot[h] >= js->opts.hotloop) {
    pj->hot[h] = 0;
    start_recording(L, js, ci, head);
  }
  return head;
}

/* -- Introspection ------------------------------------------------------------ */

const cpjit_uop *jit_trace_uops(const Proto *p, int pc, uint32_t *n) {
  const ProtoJit *pj = p->jitdata;
  if (!pj || pc < 0 || pc >= pj->size || !pj->trace[pc])
    return NULL;
  *n = pj->trace[pc]->nuops;
  return pj->trace[pc]->uops;
}

const char *jit_uop_name(int op) {
  return op >= 0 && op < UOP__COUNT ? uop_names[op] : "?";
}
