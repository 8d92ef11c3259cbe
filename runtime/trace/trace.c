/*
 * trace.c -- cpjit-lua's trace management: hot-loop counting, starting and
 * finishing recordings, compiling with cpjit, entering traces, exits,
 * blacklisting, and the -jv / -jdump / -jstats / CPJIT_PERF tools.
 *
 * The pipeline of one trace reads in jit_record -> finish():
 *   record IR with folding and CSE (record.c, ir.c, ir_fold.c)
 *   -> loop optimization (ir_loop.c) -> dead-code elimination (ir_dce.c)
 *   -> register allocation (ir_ra.c) -> lowering to uops (ir_lower.c)
 *   -> compile (the backend: cpjit_compile by default, backend.h)
 *   -> install at the head pc of its prototype.
 * A failed compile is reported like an abort; the interpreter keeps going.
 *
 * Memory: every allocation of the JIT goes through the state's allocator
 * (lua_newstate) and a refusal never raises an error: the JIT does without.
 * The trace cache is bounded by -Omaxmcode (machine code, the library's code
 * budget) and -Omaxtrace (live traces); reaching either, or running out of
 * memory, flushes it: every trace is freed, hot counters start again, and
 * only the per-prototype data of blacklisted loops is kept.  A flush waits
 * until no trace is running (g->jitdepth == 0), and a Lua allocation that
 * fails flushes first and retries (jit_release) before raising an error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lua_stencils.h"
#include "mcode_dump.h"
#include "trace_int.h"

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

/* -- Memory ---------------------------------------------------------------- */

static void *jalloc(global_State *g, size_t n) {
  return g->frealloc(g->ud, NULL, 0, n);
}

static void *jcalloc(global_State *g, size_t n) {
  void *p = jalloc(g, n);
  if (p)
    memset(p, 0, n);
  return p;
}

static void jfree(global_State *g, void *p, size_t n) {
  if (p)
    g->frealloc(g->ud, p, n, 0);
}

/* The library's allocation hook: the same allocator. */
static void *lib_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  global_State *g = ud;
  return g->frealloc(g->ud, ptr, osize, nsize);
}

/* -- Open / close ----------------------------------------------------------- */

void jit_open(lua_State *L) {
  global_State *g = G(L);
  if (g->jit || !g->opts.jit_enabled)
    return;
  jit_State *js = jcalloc(g, sizeof *js);
  if (!js)
    return;
  js->g = g;
  js->opts = g->opts;
  if (js->opts.maxtrace < 1)
    js->opts.maxtrace = 1;
  if (js->opts.hotloop < 1)
    js->opts.hotloop = 1;
  if (js->opts.hotexit < 1 || js->opts.hotexit > js->opts.hotloop)
    js->opts.hotexit = js->opts.hotloop; /* -Ohotloop=1 forces both */
  /* Function-entry traces are recorded for recursive functions only
   * unless -Ohotcall=N asks for them all (on the project's bench those
   * cost more than they save, README); -Ohotcall=0: none at all. */
  if (js->opts.hotcall < 0) { /* not given: recursion only */
    js->opts.hotcall = JIT_HOTCALL_REC;
    js->entry_rec_only = true;
  }
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = &lua_stencil_set;
  /* Debuggers and profilers, through the library: -jgdb, CPJIT_PERF=1
   * (perf map) or CPJIT_PERF=jitdump (jit-<pid>.dump in the current
   * directory, for perf inject --jit). */
  const char *perf = getenv("CPJIT_PERF");
  if (js->opts.gdb)
    cfg.flags |= CPJIT_FLAG_GDB;
  if (perf && strcmp(perf, "1") == 0)
    cfg.flags |= CPJIT_FLAG_PERF_MAP;
  else if (perf && strcmp(perf, "jitdump") == 0)
    cfg.flags |= CPJIT_FLAG_JITDUMP;
  cfg.helpers = lua_helpers;
  cfg.nhelpers = lua_NHELPERS;
  cfg.alloc = lib_alloc;
  cfg.alloc_ud = g;
  if (js->opts.maxmcode > 0)
    cfg.code_budget = (size_t)js->opts.maxmcode * 1024u;
  cpjit_status st = cpjit_open(&cfg, &js->J);
  if (st != CPJIT_OK) {
    if (js->opts.verbose)
      fprintf(stderr, "[JIT off: %s]\n", cpjit_status_str(st));
    jfree(g, js, sizeof *js);
    return;
  }
  if (jit_backend_open(js) != 0) {
    cpjit_close(js->J);
    jfree(g, js, sizeof *js);
    return;
  }
  js->next_id = 1;
  if (js->opts.stats)
    jstats_open(js);
  g->jit = js;
  if (js->opts.hotcall > 0)
    g->hotcall_init = js->opts.hotcall;
}

static void free_recorder(jit_State *js);
static void memory_pressure(jit_State *js);

static void free_trace(jit_State *js, LuaTrace *t) {
  global_State *g = js->g;
  js->backend->free(js->backend_ctx, t->code);
  js->live_traces--;
  js->live_code -= t->code_bytes;
  js->live_meta -= t->meta_bytes;
  jfree(g, t->exits, t->nexits * sizeof *t->exits);
  jfree(g, t->rs, t->nrs * sizeof *t->rs);
  jfree(g, t->uops, t->nuops * sizeof *t->uops);
  jfree(g, t->frames, t->nframes * sizeof *t->frames);
  jfree(g, t->deps, t->ndeps * sizeof *t->deps);
  jfree(g, t, sizeof *t);
}

/* Bytes of a ProtoJit and its arrays. */
static size_t protojit_bytes(int size) {
  return sizeof(ProtoJit) +
         (size_t)size * (sizeof(uint16_t) + 2 * sizeof(uint8_t) + sizeof(LuaTrace *));
}

/* Free the traces of a prototype. Side traces first: they are linked to
 * (and from) the roots; freeing unlinks whatever jumps into the freed code. */
static void free_traces(jit_State *js, ProtoJit *pj) {
  while (pj->sides) {
    LuaTrace *t = pj->sides;
    pj->sides = t->next_side;
    free_trace(js, t);
  }
  pj->nsides = 0;
  pj->hasdeps = 0;
  for (int i = 0; i < pj->size; i++)
    if (pj->trace[i]) {
      free_trace(js, pj->trace[i]);
      pj->trace[i] = NULL;
    }
}

static void free_protojit(jit_State *js, ProtoJit *pj) {
  global_State *g = js->g;
  free_traces(js, pj);
  if (pj->prev)
    pj->prev->next = pj->next;
  else
    js->protos = pj->next;
  if (pj->next)
    pj->next->prev = pj->prev;
  js->proto_meta -= protojit_bytes(pj->size);
  pj->p->jitdata = NULL;
  size_t n = (size_t)pj->size;
  jfree(g, pj->blocked, n);
  jfree(g, pj->hot, n * sizeof *pj->hot);
  jfree(g, pj->aborts, n);
  jfree(g, pj->trace, n * sizeof *pj->trace);
  jfree(g, pj, sizeof *pj);
}

/* The GC's roots: the functions traces rely on besides their own (inlined,
 * or whose frames they make or return to) live as long as those traces;
 * a trace's own function frees it when it dies. */
void jit_markdeps(global_State *g, void (*mark)(global_State *, GCObject *)) {
  jit_State *js = g->jit;
  for (ProtoJit *pj = js ? js->protos : NULL; pj; pj = pj->next) {
    if (!pj->hasdeps)
      continue;
    for (LuaTrace *t = pj->sides; t; t = t->next_side)
      for (uint32_t j = 0; j < t->ndeps; j++)
        mark(g, (GCObject *)t->deps[j]);
    for (int i = 0; i < pj->size; i++)
      for (uint32_t j = 0; pj->trace[i] && j < pj->trace[i]->ndeps; j++)
        mark(g, (GCObject *)pj->trace[i]->deps[j]);
  }
}

void jit_freeproto(lua_State *L, Proto *p) {
  ProtoJit *pj = p->jitdata;
  jit_State *js = G(L)->jit;
  if (pj && js) /* without the JIT (closed), no ProtoJit is left */
    free_protojit(js, pj);
}

static void print_stats(jit_State *js) {
  cpjit_stats st;
  cpjit_get_stats(js->J, &st);
  uint64_t n = js->traces ? js->traces : 1;
  fprintf(stderr,
          "[JIT stats]\n"
          "  traces compiled   %" PRIu64 " (%" PRIu64 " side traces)\n"
          "  traces live       %d (-Omaxtrace=%d), flushes %" PRIu64 "\n"
          "  memory per trace  %" PRIu64 " bytes of code, %" PRIu64 " bytes of metadata\n"
          "  memory live       %zu bytes of code (-Omaxmcode=%d KB), %zu of trace "
          "metadata, %zu of prototype data\n"
          "  exits linked      %" PRIu64 "\n"
          "  aborted           %" PRIu64 "\n"
          "  blacklisted heads %" PRIu64 "\n"
          "  compile failures  %" PRIu64 "\n"
          "  uops compiled     %" PRIu64 "\n"
          "  code bytes        %" PRIu64 " (mapped %" PRIu64 ")\n"
          "  compile time      %.3f ms total, %.2f us per trace, %.1f ns per uop\n"
          "  IR passes         %.3f ms total, %.1f ns per IR instruction "
          "(loop %.1f, dce %.1f, regalloc %.1f, lowering %.1f)\n"
          "  IR instructions   %" PRIu64 " (%" PRIu64 " spilled values)\n"
          "  trace entries     %" PRIu64 "\n"
          "  exits taken       %" PRIu64 "\n",
          js->traces, js->side_traces, js->live_traces, js->opts.maxtrace, js->flushes,
          js->code_total / n, js->meta_total / n, js->live_code, js->opts.maxmcode,
          js->live_meta, js->proto_meta, js->links, js->aborts, js->blacklisted,
          js->compile_fail,
          st.uops_compiled, st.code_bytes, st.mapped_bytes,
          (double)st.compile_ns / 1e6,
          st.traces_compiled ? (double)st.compile_ns / 1e3 / (double)st.traces_compiled : 0.0,
          st.uops_compiled ? (double)st.compile_ns / (double)st.uops_compiled : 0.0,
          (double)js->opt_ns / 1e6,
          js->ir_ins ? (double)js->opt_ns / (double)js->ir_ins : 0.0,
          js->ir_ins ? (double)js->pass_ns[0] / (double)js->ir_ins : 0.0,
          js->ir_ins ? (double)js->pass_ns[1] / (double)js->ir_ins : 0.0,
          js->ir_ins ? (double)js->pass_ns[2] / (double)js->ir_ins : 0.0,
          js->ir_ins ? (double)js->pass_ns[3] / (double)js->ir_ins : 0.0,
          js->ir_ins, js->spills,
          js->entries, js->exits);
  jstats_print(js);
}

void jit_close(lua_State *L) {
  jit_State *js = G(L)->jit;
  if (!js)
    return;
  global_State *g = js->g;
  if (js->opts.stats)
    print_stats(js);
  jstats_close(js);
  jit_cbench_close(js);
  free_recorder(js);
  /* Prototypes still alive are freed by the GC after this; their traces
   * and counters go with the JIT instance now. */
  while (js->protos)
    free_protojit(js, js->protos);
  G(L)->jit = NULL;
  jit_backend_close(js);
  cpjit_close(js->J);
  jfree(g, js, sizeof *js);
}

/* -- Per-prototype data ------------------------------------------------------- */

static ProtoJit *protojit(jit_State *js, Proto *p) {
  ProtoJit *pj = p->jitdata;
  if (pj || !js)
    return pj;
  global_State *g = js->g;
  pj = jcalloc(g, sizeof *pj);
  if (!pj) {
    js->flush_pending = true;
    return NULL;
  }
  size_t n = (size_t)p->sizecode;
  pj->size = p->sizecode;
  pj->hot = jcalloc(g, n * sizeof *pj->hot);
  pj->aborts = jcalloc(g, n * sizeof *pj->aborts);
  pj->trace = jcalloc(g, n * sizeof *pj->trace);
  pj->blocked = jcalloc(g, n * sizeof *pj->blocked);
  if (!pj->hot || !pj->aborts || !pj->trace || !pj->blocked) {
    jfree(g, pj->blocked, n);
    jfree(g, pj->hot, n * sizeof *pj->hot);
    jfree(g, pj->aborts, n);
    jfree(g, pj->trace, n * sizeof *pj->trace);
    jfree(g, pj, sizeof *pj);
    js->flush_pending = true;
    return NULL;
  }
  pj->p = p;
  pj->next = js->protos;
  if (js->protos)
    js->protos->prev = pj;
  js->protos = pj;
  js->proto_meta += protojit_bytes(pj->size);
  p->jitdata = pj;
  return pj;
}

ProtoJit *jit_protojit(jit_State *js, Proto *p) { return protojit(js, p); }

/* -- Dumps ---------------------------------------------------------------------- */

static const char *loc_name(const IRAlloc *A, IRRef r, char *buf, size_t n) {
  if (!A->cls[r] || A->loc[r] == IRA_NONE)
    return "";
  if (A->loc[r] >= 0)
    snprintf(buf, n, "%c%d", A->cls[r] == 'F' ? 'f' : 'g', A->loc[r]);
  else
    snprintf(buf, n, "[spill %d]", -A->loc[r] - 1);
  return buf;
}

/* -jdump: the IR with snapshots and register assignments, the uops, then
 * the machine code. */
static void dump_trace(LuaTrace *t, const Recorder *R, const IRAlloc *A,
                       const LowerOut *lo) {
  const jit_State *js = G(R->L)->jit;
  fprintf(stderr, "---- TRACE %d start %s:%d", t->id, jit_chunkname(t->hp),
          jit_line(t->hp, t->hp->code + t->headpc));
  if (t->parent)
    fprintf(stderr, " (side of %d)", t->parent);
  if (R->link_pc)
    fprintf(stderr, " (links to the loop at line %d)",
            jit_line(t->p, R->link_pc));
  fputc('\n', stderr);
  fprintf(stderr, "---- TRACE %d IR (^ hoisted, - dead)\n", t->id);
  ir_dump(&R->B, stderr);
  fprintf(stderr, "---- TRACE %d registers\n", t->id);
  for (uint32_t i = 0; i < A->norder; i++) {
    IRRef r = A->order[i];
    char buf[32];
    const char *l = loc_name(A, r, buf, sizeof buf);
    if (*l)
      fprintf(stderr, "%04u %s\n", r, l);
  }
  for (uint32_t p = 0; p < R->B.nphi; p++)
    fprintf(stderr, "phi #%u: %04u <- %04u\n", R->B.phis[p].slot, R->B.phis[p].phi,
            R->B.phis[p].val);
  fprintf(stderr, "---- TRACE %d uops\n", t->id);
  for (uint32_t j = 0; j < lo->nuops; j++) {
    const cpjit_uop *u = &lo->uops[j];
    fprintf(stderr, "%04u %-14s a=%-3u op0=%#" PRIx64 " op1=%#" PRIx64, j,
            jit_uop_name(u->op), u->arg / 16u, u->operand[0], u->operand[1]);
    if (u->op == UOP_JUMP)
      fprintf(stderr, " ->%04u", u->target);
    fputc('\n', stderr);
  }
  const void *code;
  size_t size;
  js->backend->code(t->code, &code, &size);
  fprintf(stderr, "---- TRACE %d mcode %zu bytes at %p\n", t->id, size, code);
  /* A label at the first byte of each uop's code; an elided uop (no code)
   * shares its offset with the next one, which names the label. */
  McodeLabel *labels = calloc((size_t)lo->nuops + 1, sizeof *labels);
  size_t nlabels = 0;
  if (labels && js->backend->uop_offset) {
    for (uint32_t j = 0; j < lo->nuops; j++) {
      int64_t off = js->backend->uop_offset(t->code, j);
      if (off < 0 || (uint64_t)off >= size)
        continue;
      if (nlabels == 0 && off > 0)
        labels[nlabels++] = (McodeLabel){0, "trampoline"};
      if (nlabels > 0 && labels[nlabels - 1].offset == (size_t)off)
        nlabels--; /* the previous uop at this offset is elided */
      else if (nlabels > 0 && labels[nlabels - 1].offset > (size_t)off)
        continue; /* not in code order: leave it unlabelled */
      McodeLabel *l = &labels[nlabels++];
      l->offset = (size_t)off;
      snprintf(l->name, sizeof l->name, "%04u_%s", j, jit_uop_name(lo->uops[j].op));
    }
  }
  jit_dump_mcode(stderr, code, size, labels, nlabels);
  free(labels);
  fprintf(stderr, "---- TRACE %d stop\n", t->id);
}

/* -- Recording -------------------------------------------------------------------- */

static void stop_recording(lua_State *L, jit_State *js) {
  (void)L;
  if (js->jstats)
    jstats_stop(js, js->rec);
  js->rec->L = NULL;
  G(L)->dispatch = G(L)->disp_normal;
}

static void abort_recording(lua_State *L, jit_State *js) {
  Recorder *R = js->rec;
  ProtoJit *pj = protojit(js, R->p0);
  if (R->npush > 0 && !R->parent && !R->push_wait && !R->soft_abort &&
      !R->light_abort) {
    /* a root trace that made a frame for a call gave up inside it (not
     * for a passing reason: an error raised, a loop without a trace yet):
     * run such calls through the interpreter from now on, record again */
    ProtoJit *cpj = protojit(js, R->p);
    if (cpj && cpj != pj) {
      cpj->nopush = 1;
      R->soft_abort = true;
      if (js->opts.verbose)
        fprintf(stderr, "[TRACE --- %s:%d -- its calls run in the interpreter from now on]\n",
                jit_chunkname(R->p), R->p->linedefined);
    }
  }
  int head = (int)(R->head - R->hp->code);
  if (!R->probe_abort) { /* a probe is the JIT's business, not a gap */
    js->aborts++;
    if (js->jstats)
      jstats_abort(js, R);
  }
  if (R->parent) { /* side trace: the exit stays with the interpreter */
    TraceExit *x = R->parent;
    x->count = 0;
    if (!R->soft_abort && ++x->aborts >= JIT_MAX_ABORTS)
      x->blocked = 1;
    if (js->opts.verbose)
      fprintf(stderr, "[TRACE --- %s:%d -- side of %d/%u -- %s%s]\n",
              jit_chunkname(R->hp), jit_line(R->hp, R->head), x->trace_id,
              x->no, R->why[0] ? R->why : "aborted",
              x->blocked ? " (exit blacklisted)" : "");
    stop_recording(L, js);
    return;
  }
  bool now_blacklisted = false;
  if (pj && R->soft_abort) {
    pj->hot[head] = 0;
  } else if (pj) {
    pj->hot[head] = 0;
    int n = pj->aborts[head] + (R->light_abort ? 1 : JIT_ABORT_HARD);
    pj->aborts[head] = (uint8_t)(n < JIT_BLACKLIST ? n : JIT_BLACKLIST);
    if (n >= JIT_BLACKLIST) {
      js->blacklisted++;
      pj->blocked[head] = 1;
      now_blacklisted = true;
    }
  }
  if (js->opts.verbose && !R->probe_abort) {
    fprintf(stderr, "[TRACE --- %s:%d -- %s]\n", jit_chunkname(R->hp),
            jit_line(R->hp, R->head), R->why[0] ? R->why : "aborted");
    if (now_blacklisted)
      fprintf(stderr, "[TRACE --- %s:%d -- blacklisted]\n",
              jit_chunkname(R->hp), jit_line(R->hp, R->head));
  }
  stop_recording(L, js);
}

/* The function exit x of trace t resumes in. */
static const Proto *exit_proto(const LuaTrace *t, const TraceExit *x) {
  return x->frame ? x->frame->p : x->p ? x->p : t->p;
}

/* Make exit x of `from` continue in trace `to`: patched into the code
 * when the backend can, followed by jit_backedge otherwise. */
static void link_exit(jit_State *js, LuaTrace *from, TraceExit *x,
                      LuaTrace *to) {
  x->link = to;
  /* -jstats counts every trace run: links go through the host */
  x->linked = js->backend->link && !js->jstats &&
              js->backend->link(js->backend_ctx, from->code, x->no, to->code) == CPJIT_OK;
  js->links++;
  if (js->opts.verbose)
    fprintf(stderr, "[TRACE %3d %s:%d link exit %u -> trace %d%s]\n", from->id,
            jit_chunkname(exit_proto(from, x)), jit_line(exit_proto(from, x), x->pc),
            x->no, to->id,
            x->linked ? "" : " (through the host)");
}

static uint64_t ns_between(const struct timespec *a, const struct timespec *b) {
  return (uint64_t)((b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec));
}

static void finish_recording(lua_State *L, jit_State *js) {
  Recorder *R = js->rec;
  ProtoJit *pj = protojit(js, R->p0);
  int head = (int)(R->head - R->hp->code);
  /* An instruction run by EXEC costs more than in the interpreter (a
   * helper call, and a call to Lua restarts the interpreter); a trace that
   * is mostly EXEC runs slower than no trace. */
  if (R->nexec * JIT_EXEC_SHARE > R->ninsn) {
    snprintf(R->why, sizeof R->why,
             "mostly slow paths (%d of %d instructions)", R->nexec, R->ninsn);
    abort_recording(L, js);
    return;
  }
  /* Without -Ohotcall, a function-entry trace is only a probe for
   * recursion (record.c: rec_pushf, rec_popf): one that made or dropped no
   * frame is not kept. */
  if (R->entry && js->entry_rec_only && !R->frames_moved) {
    R->probe_abort = true;
    snprintf(R->why, sizeof R->why, "no recursion (function-entry traces: -Ohotcall)");
    abort_recording(L, js);
    return;
  }
  /* Entering a trace from a call and leaving it at the return costs about
   * what the interpreter spends on a dozen instructions: an entry trace
   * must do more than that to pay. */
  if (R->entry && !R->frames_moved &&
      R->ninsn - 2 * R->nexec < JIT_MIN_ENTRY_INSNS) {
    snprintf(R->why, sizeof R->why, "function too short (%d instructions)",
             R->ninsn);
    abort_recording(L, js);
    return;
  }
  /* Everything after recording: loop optimization, DCE, register
   * allocation, lowering. */
  jit_cbench_trace(js, R);
  struct timespec t0, t1, t2, t3, t4;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  IRBuf *B = &R->B;
  IRAlloc *A = js->ra;
  LowerOut *lo = &js->lo;
  bool ok = !R->looped || ir_loop(R);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (ok && B->opt.dce)
    ir_dce(B);
  clock_gettime(CLOCK_MONOTONIC, &t2);
  ok = ok && !B->overflow && ir_regalloc(B, A, lua_NGPR, lua_NFPR, R->spill0);
  clock_gettime(CLOCK_MONOTONIC, &t3);
  lo->exitstress = (uint32_t)js->opts.exitstress;
  ok = ok && ir_lower(B, A, R->inherit ? NULL : R->parent, R->nexits, lo);
  clock_gettime(CLOCK_MONOTONIC, &t4);
  js->pass_ns[0] += ns_between(&t0, &t1);
  js->pass_ns[1] += ns_between(&t1, &t2);
  js->pass_ns[2] += ns_between(&t2, &t3);
  js->pass_ns[3] += ns_between(&t3, &t4);
  js->opt_ns += ns_between(&t0, &t4);
  js->ir_ins += B->n;
  if (!ok) {
    snprintf(R->why, sizeof R->why, "%s",
             B->overflow ? "trace too long"
             : lo->why[0] ? lo->why : "too many values live at once");
    if (js->opts.dump) { /* what the passes made of it, for the reason */
      fprintf(stderr, "---- TRACE --- %s:%d not compiled: %s\n",
              jit_chunkname(R->hp), jit_line(R->hp, R->head), R->why);
      ir_dump(B, stderr);
    }
    abort_recording(L, js);
    return;
  }
  js->spills += A->nspill;
  global_State *g = js->g;
  size_t exbytes = R->nexits * sizeof(TraceExit);
  size_t cxbytes = (R->nexits ? R->nexits : 1) * sizeof(cpjit_exit);
  size_t uopbytes = lo->nuops * sizeof(cpjit_uop);
  size_t rsbytes = lo->nrs * sizeof(ExitRestore);
  LuaTrace *t = jcalloc(g, sizeof *t);
  TraceExit *ex = R->nexits ? jcalloc(g, exbytes) : NULL;
  cpjit_exit *cx = jcalloc(g, cxbytes);
  cpjit_uop *uops = jalloc(g, uopbytes ? uopbytes : 1);
  ExitRestore *rs = lo->nrs ? jalloc(g, rsbytes) : NULL;
  size_t frbytes = (size_t)R->nframes * sizeof(JitFrame);
  JitFrame *fr = R->nframes ? jalloc(g, frbytes) : NULL;
  size_t dpbytes = (size_t)R->ndeps * sizeof(Proto *);
  Proto **dp = R->ndeps ? jalloc(g, dpbytes) : NULL;
  cpjit_status st = CPJIT_ERR_NOMEM;
  if (pj && t && (ex || !R->nexits) && cx && uops && (rs || !lo->nrs) &&
      (fr || !R->nframes) && (dp || !R->ndeps)) {
    if (dpbytes)
      memcpy(dp, R->deps, dpbytes);
    /* the frames of inlined calls: chained, then named by exits and by
     * the EXECs inside those calls (their operand 1: entry + 1) */
    for (int k = 0; k < R->nframes; k++) {
      fr[k] = R->frames[k];
      fr[k].up = R->frame_up[k] ? &fr[R->frame_up[k] - 1] : NULL;
    }
    for (uint32_t j = 0; j < lo->nuops; j++)
      if (lo->uops[j].op == UOP_EXEC_F)
        lo->uops[j].operand[1] = (uint64_t)(uintptr_t)&fr[lo->uops[j].operand[1] - 1];
    memcpy(uops, lo->uops, uopbytes);
    if (rsbytes)
      memcpy(rs, lo->rs, rsbytes);
    for (uint32_t e = 0; e < R->nexits; e++) {
      ex[e].pc = R->exit_pc[e];
      ex[e].frame = R->exit_frame[e] ? &fr[R->exit_frame[e] - 1] : NULL;
      ex[e].top = R->exit_top[e];
      ex[e].p = R->exit_p[e];
      ex[e].rs = rs ? rs + lo->exit_rs[e] : NULL;
      ex[e].nrs = lo->exit_nrs[e];
      ex[e].owner = t;
      ex[e].trace_id = (uint16_t)js->next_id;
      ex[e].no = (uint16_t)e;
      cx[e].operand[0] = (uint64_t)(uintptr_t)&ex[e];
    }
    char name[128]; /* as perf and gdb show the trace */
    snprintf(name, sizeof name, "TRACE_%d_%s:%d", js->next_id,
             jit_chunkname(R->hp), jit_line(R->hp, R->head));
    st = jit_backend_compile(js, lo->uops, lo->nuops, cx, R->nexits, name,
                             &t->code);
  }
  jfree(g, cx, cxbytes);
  if (st != CPJIT_OK) {
    jfree(g, t, sizeof *t);
    jfree(g, ex, exbytes);
    jfree(g, uops, uopbytes ? uopbytes : 1);
    jfree(g, rs, rsbytes);
    jfree(g, fr, frbytes);
    jfree(g, dp, dpbytes);
    /* out of code space or memory: make room for the traces to come */
    if (st == CPJIT_ERR_BUDGET || st == CPJIT_ERR_NOMEM || st == CPJIT_ERR_MMAP ||
        st == CPJIT_ERR_TOO_BIG)
      js->flush_pending = true;
    if (st == CPJIT_ERR_NOMEM || st == CPJIT_ERR_MMAP)
      memory_pressure(js);
    js->compile_fail++;
    R->soft_abort = false;
    snprintf(R->why, sizeof R->why, "compile failed: %s", cpjit_status_str(st));
    abort_recording(L, js);
    return;
  }
  if (!uopbytes)
    jfree(g, uops, 1), uops = NULL;
  for (uint32_t j = 0; j < lo->nuops; j++)
    if (lo->uops[j].op == UOP_G_STACK &&
        (int)(lo->uops[j].operand[0] / sizeof(TValue)) > js->stack_need)
      js->stack_need = (int)(lo->uops[j].operand[0] / sizeof(TValue));
  t->id = js->next_id++;
  t->p = R->p0;
  t->headpc = head;
  t->hp = R->hp;
  t->exits = ex;
  t->uops = uops;
  t->rs = rs;
  t->frames = fr;
  t->nframes = (uint32_t)R->nframes;
  t->deps = dp;
  t->ndeps = (uint32_t)R->ndeps;
  if (R->ndeps)
    pj->hasdeps = 1;
  t->nexits = R->nexits;
  t->nuops = lo->nuops;
  t->nrs = lo->nrs;
  {
    const void *code;
    size_t size;
    js->backend->code(t->code, &code, &size);
    t->code_bytes = (uint32_t)size;
    t->meta_bytes =
        (uint32_t)(sizeof *t + exbytes + uopbytes + rsbytes + frbytes + dpbytes);
    js->live_traces++;
    js->live_code += t->code_bytes;
    js->live_meta += t->meta_bytes;
    js->code_total += t->code_bytes;
    js->meta_total += t->meta_bytes;
  }
  if (R->parent) {
    t->parent = R->parent->trace_id;
    t->next_side = pj->sides;
    pj->sides = t;
    pj->nsides++;
    js->side_traces++;
  } else {
    pj->trace[head] = t;
  }
  if (R->recursed)
    pj->recursive = 1;
  js->traces++;
  js->uops += lo->nuops;
  if (js->jstats)
    jstats_trace(js, R, t);
  if (js->opts.verbose) {
    if (R->parent)
      fprintf(stderr, "[TRACE %3d %s:%d side of %d/%u]\n", t->id,
              jit_chunkname(R->hp), jit_line(R->hp, R->head), t->parent,
              R->parent->no);
    else
      fprintf(stderr, "[TRACE %3d %s:%d %s]\n", t->id,
              jit_chunkname(R->p0), jit_line(R->p0, R->head),
              R->looped ? "loop" : R->entry ? "function entry" : "to exit");
  }
  if (js->opts.dump)
    dump_trace(t, R, A, lo);
  if (R->link_pc) /* ends in the loop trace there (of the function it
                     * ended in) */
    link_exit(js, t, &ex[R->link_exit],
              ((ProtoJit *)R->p->jitdata)->trace[R->link_pc - R->p->code]);
  if (R->parent) /* the parent's exit now continues here */
    link_exit(js, R->parent->owner, R->parent, t);
  if (js->mem_cap && js->live_code + js->live_meta + js->proto_meta > js->mem_cap)
    js->flush_pending = true; /* memory ran out before: stay under the cap */
  stop_recording(L, js);
}

/* Memory ran out: from now on the JIT flushes itself before it holds half
 * of what it held at this point again, leaving the program room to
 * allocate while traces run (when they cannot be flushed). */
static void memory_pressure(jit_State *js) {
  size_t held = js->live_code + js->live_meta + js->proto_meta;
  size_t cap = held / 2 > 65536 ? held / 2 : 65536;
  if (!js->mem_cap || cap < js->mem_cap)
    js->mem_cap = cap;
}

static void free_recorder(jit_State *js) {
  global_State *g = js->g;
  Recorder *R = js->rec;
  if (R) {
    jfree(g, R->B.ins, IR_MAX_INS * sizeof *R->B.ins);
    jfree(g, R->B.snap, IR_MAX_SNAP * sizeof *R->B.snap);
    jfree(g, R->B.snapent, IR_MAX_SNAPENT * sizeof *R->B.snapent);
    jfree(g, R->B.tmp, IR_MAX_INS * sizeof *R->B.tmp);
    jfree(g, R->B.tmpent, IR_MAX_SNAPENT * sizeof *R->B.tmpent);
    jfree(g, R->exit_pc, JIT_MAX_EXITS * sizeof *R->exit_pc);
    jfree(g, R->exit_frame, JIT_MAX_EXITS * sizeof *R->exit_frame);
    jfree(g, R, sizeof *R);
  }
  LowerOut *lo = &js->lo;
  jfree(g, lo->uops, JIT_MAX_UOPS * sizeof *lo->uops);
  jfree(g, lo->rs, IR_MAX_SNAPENT * sizeof *lo->rs);
  jfree(g, lo->exit_rs, JIT_MAX_EXITS * sizeof *lo->exit_rs);
  jfree(g, lo->exit_nrs, JIT_MAX_EXITS * sizeof *lo->exit_nrs);
  jfree(g, lo->ins_uop, IR_MAX_INS * sizeof *lo->ins_uop);
  jfree(g, js->ra, sizeof *js->ra);
  memset(lo, 0, sizeof *lo);
  js->ra = NULL;
  js->rec = NULL;
}

/* The recorder and the buffers of the passes, allocated at the first
 * recording and kept. */
static bool alloc_recorder(jit_State *js) {
  global_State *g = js->g;
  Recorder *R = jcalloc(g, sizeof *R);
  js->rec = R;
  if (!R)
    return false;
  R->B.ins = jalloc(g, IR_MAX_INS * sizeof *R->B.ins);
  R->B.snap = jalloc(g, IR_MAX_SNAP * sizeof *R->B.snap);
  R->B.snapent = jalloc(g, IR_MAX_SNAPENT * sizeof *R->B.snapent);
  R->B.tmp = jalloc(g, IR_MAX_INS * sizeof *R->B.tmp);
  R->B.tmpent = jalloc(g, IR_MAX_SNAPENT * sizeof *R->B.tmpent);
  R->exit_pc = jalloc(g, JIT_MAX_EXITS * sizeof *R->exit_pc);
  R->exit_frame = jalloc(g, JIT_MAX_EXITS * sizeof *R->exit_frame);
  LowerOut *lo = &js->lo;
  lo->uops = jalloc(g, JIT_MAX_UOPS * sizeof *lo->uops);
  lo->cap = JIT_MAX_UOPS;
  lo->rs = jalloc(g, IR_MAX_SNAPENT * sizeof *lo->rs);
  lo->rscap = IR_MAX_SNAPENT;
  lo->exit_rs = jalloc(g, JIT_MAX_EXITS * sizeof *lo->exit_rs);
  lo->exit_nrs = jalloc(g, JIT_MAX_EXITS * sizeof *lo->exit_nrs);
  lo->ins_uop = jalloc(g, IR_MAX_INS * sizeof *lo->ins_uop);
  js->ra = jalloc(g, sizeof *js->ra);
  return R->B.ins && R->B.snap && R->B.snapent && R->B.tmp && R->B.tmpent &&
         R->exit_pc && R->exit_frame && lo->uops &&
         lo->rs && lo->exit_rs && lo->exit_nrs && lo->ins_uop && js->ra;
}

static bool start_recording(lua_State *L, jit_State *js, CallInfo *ci,
                            const Instruction *head, TraceExit *parent,
                            bool entry) {
  if (js->live_traces >= js->opts.maxtrace) {
    js->flush_pending = true; /* -Omaxtrace: room first */
    return false;
  }
  if (!js->rec && !alloc_recorder(js)) {
    free_recorder(js);
    js->flush_pending = true;
    return false;
  }
  if (!G(L)->disp_record)
    return false;
  rec_start(js, js->rec, L, ci, entry, head, parent);
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

/* -- Flushing ---------------------------------------------------------------------- */

/* Free every trace; keep only the per-prototype data that remembers
 * blacklisted loops and callees that must not be inlined, with its hot
 * counters cleared. The caller makes sure no trace is running. */
static void flush(lua_State *L, jit_State *js, const char *why) {
  if (recording(js)) { /* its parent exit is about to go: drop it quietly */
    js->rec->parent = NULL;
    stop_recording(L, js);
  }
  ProtoJit *pj = js->protos;
  while (pj) {
    ProtoJit *next = pj->next;
    bool keep = pj->noinline;
    /* an entry trace gone: count the function's calls again */
    if (js->opts.hotcall > 0 &&
        (pj->trace[0] || pj->p->hotcall < js->opts.hotcall))
      pj->p->hotcall = js->opts.hotcall;
    for (int i = 0; i < pj->size && !keep; i++)
      keep = pj->blocked[i] || pj->aborts[i];
    if (keep) {
      free_traces(js, pj);
      pj->recursive = 0;
      memset(pj->hot, 0, (size_t)pj->size * sizeof *pj->hot);
    } else {
      free_protojit(js, pj);
    }
    pj = next;
  }
  if (js->backend == &jit_backend_cpjit)
    cpjit_flush(js->J); /* no trace left: unmap the code */
  js->stack_need = 0;
  js->flush_pending = false;
  js->flushes++;
  if (js->opts.verbose)
    fprintf(stderr, "[TRACE flush: %s]\n", why);
}

bool jit_release(lua_State *L) {
  jit_State *js = G(L)->jit;
  if (!js || G(L)->jitdepth > 0)
    return false;
  size_t before = js->live_code + js->live_meta + js->proto_meta;
  memory_pressure(js);
  flush(L, js, "out of memory");
  return js->live_code + js->live_meta + js->proto_meta < before;
}

void jit_error(lua_State *L) {
  jit_State *js = G(L)->jit;
  if (js && recording(js) && js->rec->L == L) {
    /* the frames it records may be gone when the error is caught, and
     * their CallInfos reused by other calls */
    js->rec->light_abort = true;
    snprintf(js->rec->why, sizeof js->rec->why, "error raised");
    abort_recording(L, js);
  }
}

void jit_cancel_recording(lua_State *L) {
  jit_State *js = G(L)->jit;
  if (js && recording(js)) {
    js->rec->soft_abort = true;
    snprintf(js->rec->why, sizeof js->rec->why, "debug hook set");
    abort_recording(L, js);
  }
}

/* -- Back-edges -------------------------------------------------------------------- */

typedef TraceExit *(*trace_fn)(lua_State *L, TValue *base, uint64_t *spill);

/* The spill area of one trace activation: the register dump the exit stub
 * writes (general-purpose registers, then float registers), then the spill
 * slots. */
#define SPILL_WORDS (lua_NGPR + lua_NFPR + IRA_MAX_SPILL)

/* Write back exit x's snapshot: the slots the trace kept in registers. */
static inline __attribute__((always_inline)) void
jit_restore(const TraceExit *x, TValue *base, const uint64_t *spill) {
  for (uint32_t j = 0; j < x->nrs; j++) {
    const ExitRestore *rs = &x->rs[j];
    TValue *o = base + rs->slot;
    uint64_t bits;
    switch (rs->kind) {
    case EXR_CONST: bits = rs->bits; break;
    case EXR_GPR: bits = spill[rs->idx]; break;
    case EXR_FPR: bits = spill[lua_NGPR + rs->idx]; break;
    default: bits = spill[rs->idx]; break;
    }
    o->v.i = (int64_t)bits;
    o->tt = rs->tag;
  }
}

/* -jstats: a link followed through the host (every link, then). Memory
 * first: the for loop counts it reads. Out of line, to leave run_trace's
 * code as it is without -jstats. */
static __attribute__((noinline, cold)) void
stats_link(const jit_State *js, lua_State *L, const TraceExit *x,
           const uint64_t *spill) {
  jit_restore(x, L->ci->func + 1, spill);
  jstats_link(js->jstats, G(L), x->link, L->ci);
}

/* Run trace t from the interpreter and follow exits linked through the
 * host (a backend that cannot patch links); the exit taken is written back
 * before returning. A trace keeps L->ci at the frame its base points at
 * (record.c: PUSHF, POPF): the exit's slots are that frame's, *xci on
 * return, where the interpreter resumes unless the exit is inside inlined
 * calls, whose frames are made above it. */
static TraceExit *run_trace(const jit_State *js, lua_State *L, CallInfo *ci,
                            LuaTrace *t, CallInfo **xci) {
  uint64_t spill[SPILL_WORDS];
  /* the register dump the trampoline loads (spill slots are written
   * before they are read) */
  memset(spill, 0, (lua_NGPR + lua_NFPR) * sizeof *spill);
  /* traces on the C stack: no flush until they are gone (an error
   * unwinding through them restores the counts, do_rawrunprotected) */
  L->jitdepth++;
  G(L)->jitdepth++;
  TraceExit *x = ((trace_fn)js->backend->entry(t->code))(L, ci->func + 1, spill);
  /* a link followed here: the side trace's trampoline reloads the
   * registers from the dump, and its prologue writes the exit back */
  while (x->link && !x->linked) {
    if (l_unlikely(js->jstats != NULL))
      stats_link(js, L, x, spill);
    x = ((trace_fn)js->backend->entry(x->link->code))(L, L->ci->func + 1, spill);
  }
  CallInfo *c = L->ci;
  *xci = c;
  jit_restore(x, c->func + 1, spill);
  L->jitdepth--;
  G(L)->jitdepth--;
  if (x->frame) { /* inside inlined calls: the interpreter resumes there */
    CallInfo *in = jit_push_frames(L, c, x->frame);
    in->savedpc = x->pc;
    L->top = in->top;
  } else {
    c->savedpc = x->pc;
    if (c != ci) /* a frame the trace made or returned to */
      L->top = c->top;
  }
  if (x->top >= 0) /* the next instruction takes values up to L->top */
    L->top = c->func + 1 + x->top;
  return x;
}

/* Exit x came back to the interpreter once more: when it is hot, record a
 * side trace from its pc, or link it to the loop trace that starts there. */
static void hot_exit(lua_State *L, jit_State *js, CallInfo *ci, ProtoJit *pj,
                     TraceExit *x) {
  if (x->link || x->blocked || ++x->count < (uint32_t)js->opts.hotexit)
    return;
  /* An exit to the head of a loop with a trace (its condition failing,
   * an entry guard) gets a side trace too: recorded from the head, it
   * follows the other way out; it links back only after running at least
   * one instruction, so the exit never loops into the guard that failed. */
  if (pj->nsides >= JIT_MAX_SIDES) {
    x->blocked = 1;
    return;
  }
  start_recording(L, js, ci, x->pc, x, false);
}

/* Run root trace t of frame ci, which is at head: returns where the
 * interpreter goes on (L->ci is the innermost frame, when the exit was
 * inside inlined calls). */
static const Instruction *enter(lua_State *L, jit_State *js, CallInfo *ci,
                                ProtoJit *pj, LuaTrace *t,
                                const Instruction *head) {
  ci->savedpc = head;
  L->top = ci->top;
  /* Inlined calls keep their registers above the frame: make the room
   * their G_STACK guards check for, or they would exit every time. */
  if (L->stack_last - (ci->func + 1) < js->stack_need &&
      (L->top - L->stack) + js->stack_need + 1 <= LUAI_MAXSTACK) {
    L->jitdepth++; /* t stays: no flush to make room for the stack */
    G(L)->jitdepth++;
    do_growstack(L, js->stack_need);
    L->jitdepth--;
    G(L)->jitdepth--;
    L->top = ci->top;
  }
  TraceExit *x;
  CallInfo *xci;
  if (l_unlikely(js->jstats != NULL)) { /* -jstats: its iterations */
    jstats_enter(js, t, ci);
    x = run_trace(js, L, ci, t, &xci);
    jstats_leave(js, ci);
  } else {
    x = run_trace(js, L, ci, t, &xci);
  }
  t->entries++;
  js->entries++;
  js->exits++;
  if (!recording(js)) {
    Proto *xp = clLvalue(xci->func)->p; /* xci may be another frame now */
    if (xp != pj->p) /* the exit's side trace belongs to its function */
      pj = protojit(js, xp);
    if (pj)
      hot_exit(L, js, xci, pj, x);
  }
  return x->pc;
}

const Instruction *jit_backedge(lua_State *L, CallInfo *ci,
                                const Instruction *head) {
  jit_State *js = G(L)->jit;
  if (!js || G(L)->nhooked > 0)
    return head; /* debug hooks see every instruction: no traces */
  if (js->flush_pending && G(L)->jitdepth == 0)
    flush(L, js, js->live_traces >= js->opts.maxtrace ? "-Omaxtrace reached"
                                                        : "code space or memory exhausted");
  if (recording(js) && js->rec->L == L && js->rec->ci == ci &&
      rec_arrive(js->rec, head)) {
    if (!js->rec->why[0])
      finish_recording(L, js);
    else
      abort_recording(L, js);
  }
  Proto *p = clLvalue(ci->func)->p;
  ProtoJit *pj = p->jitdata;
  int h = (int)(head - p->code);
  if (pj && pj->trace[h]) {
    if (L->nCcalls >= JIT_MAX_CCALLS_ENTER)
      return head; /* deep native nesting: stay in the interpreter */
    enter(L, js, ci, pj, pj->trace[h], head);
    return NULL; /* L->ci and its savedpc say where */
  }
  if (recording(js))
    return head; /* one recording at a time */
  if (!pj && !(pj = protojit(js, p)))
    return head;
  if (pj->aborts[h] >= JIT_BLACKLIST)
    return head;
  if (++pj->hot[h] >= js->opts.hotloop) {
    pj->hot[h] = 0;
    start_recording(L, js, ci, head, NULL, false);
  }
  return head;
}

/* Calls of a function: Proto.hotcall counts them down in the interpreter,
 * which comes here when it runs out. A function with an entry trace keeps
 * it at 0, so that every call runs the trace; one that cannot have a trace
 * (varargs, no JIT, blacklisted) gets INT32_MAX. */
const Instruction *jit_call(lua_State *L, CallInfo *ci) {
  jit_State *js = G(L)->jit;
  Proto *p = clLvalue(ci->func)->p;
  const Instruction *head = p->code;
  if (!js || p->is_vararg || js->opts.hotcall < 1) {
    p->hotcall = INT32_MAX;
    return head;
  }
  p->hotcall = js->opts.hotcall;
  if (G(L)->nhooked > 0)
    return head; /* debug hooks see every instruction: no traces */
  if (js->flush_pending && G(L)->jitdepth == 0)
    flush(L, js, js->live_traces >= js->opts.maxtrace ? "-Omaxtrace reached"
                                                        : "code space or memory exhausted");
  ProtoJit *pj = p->jitdata;
  if (recording(js) && !(pj && pj->trace[0] && pj->recursive)) {
    /* one recording at a time; and the recorder must see the calls it
     * inlines run in the interpreter: no trace now, look again soon.
     * (It never inlines a recursive function's calls: those run their
     * trace, whose returns past the frame wait for the recording to end,
     * a guard in POPF.) */
    p->hotcall = pj && pj->trace[0] ? 0 : 1;
    return head;
  }
  if (pj && pj->trace[0]) {
    p->hotcall = 0;
    if (L->nCcalls >= JIT_MAX_CCALLS_ENTER)
      return head; /* deep native nesting: stay in the interpreter */
    return enter(L, js, ci, pj, pj->trace[0], head);
  }
  if (!pj && !(pj = protojit(js, p)))
    return head;
  if (pj->aborts[0] >= JIT_BLACKLIST) {
    p->hotcall = INT32_MAX;
    return head;
  }
  /* each abort doubles the wait */
  p->hotcall = js->opts.hotcall << (pj->aborts[0] / JIT_ABORT_HARD);
  start_recording(L, js, ci, head, NULL, true);
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

const cpjit_uop *jit_side_trace_uops(const Proto *p, int k, uint32_t *n) {
  const ProtoJit *pj = p->jitdata;
  for (const LuaTrace *t = pj ? pj->sides : NULL; t; t = t->next_side)
    if (k-- == 0) {
      *n = t->nuops;
      return t->uops;
    }
  return NULL;
}

const char *jit_uop_name(int op) {
  if (op >= 0 && op < UOP__COUNT)
    return uop_names[op];
  uint32_t which;
  uint8_t reg[3];
  if (op < 0 || !lua_ruop_decode((uint32_t)op, &which, reg))
    return "?";
  /* a register uop: its name and registers (not reentrant: dumps only) */
  static char buf[48];
  const cpjit_ruop_info *ri = &lua_ruops[which];
  int n = snprintf(buf, sizeof buf, "%s", ri->name);
  for (int k = 0; k < ri->noperands && n > 0 && (size_t)n < sizeof buf; k++)
    n += snprintf(buf + n, sizeof buf - (size_t)n, " %c%u",
                  ri->cls[k] == CPJIT_REG_F ? 'f' : 'g', reg[k]);
  return buf;
}
