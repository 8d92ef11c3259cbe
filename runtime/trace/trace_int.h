/*
 * trace_int.h -- state shared by trace.c (trace management) and record.c
 * (the recorder). Nothing outside runtime/trace/ includes it.
 */
#ifndef CPJIT_LUA_TRACE_INT_H
#define CPJIT_LUA_TRACE_INT_H

#include <stdio.h>

#include "backend.h"
#include "cpjit.h"
#include "lua_uop_list.h"
#include "trace.h"

#define JIT_MAX_UOPS 4000     /* longer recordings abort */
#define JIT_MAX_INSNS 1000    /* instructions per recording */
#define JIT_MAX_ABORTS 3      /* aborts before a head is blacklisted */
#define JIT_MAX_CCALLS_ENTER (LUAI_MAXCCALLS - 30)

/* One compiled trace, owned by its prototype's ProtoJit. */
typedef struct LuaTrace {
  int id;
  Proto *p;
  int headpc;
  void *code; /* the backend's compiled trace (backend.h) */
  TraceExit *exits;
  cpjit_uop *uops; /* what was compiled (dumps, tests, trace corpora) */
  uint32_t nexits, nuops;
  uint64_t entries;
} LuaTrace;

/* Per-prototype JIT data (Proto.jitdata), allocated at its first hot
 * back-edge. */
typedef struct ProtoJit {
  uint8_t *blocked;  /* first: ProtoJitView in trace.h */
  int size;          /* p->sizecode */
  uint16_t *hot;     /* back-edge counters per head pc */
  uint8_t *aborts;   /* aborted recordings per head pc */
  LuaTrace **trace;  /* installed trace per head pc */
} ProtoJit;

/* What the recorder knows about a slot's tag (guard elimination). */
typedef struct SlotInfo {
  uint8_t known; /* tag below is certain */
  uint8_t tag;
} SlotInfo;

typedef struct Recorder {
  lua_State *L;
  CallInfo *ci;
  Proto *p;
  const Instruction *head;
  int ninsn;
  cpjit_uop *uops;
  uint32_t nuops;
  const Instruction **exit_pc; /* JIT_MAX_UOPS entries */
  uint32_t nexits;
  bool closed;                 /* reached the head again through a loop uop */
  bool arr_valid;              /* G_ARR of (arr_tab, arr_key) still holds */
  int arr_tab, arr_key;
  uint32_t upt_ok;             /* upvalues < 32 known to hold plain tables */
  SlotInfo slot[256];
  char why[160];               /* abort reason */
} Recorder;

typedef struct jit_State {
  cpjit_jit *J;
  cpjit_lua_options opts;
  Recorder *rec; /* non-NULL while recording */
  FILE *perf_map;
  int next_id;
  /* -jstats */
  uint64_t traces, aborts, blacklisted, entries, exits, compile_fail;
  uint64_t uops;
  const JitBackend *backend; /* compiles and runs traces (backend.c) */
  void *backend_ctx;
  struct trace_corpus *save; /* -jsave: copies of every compiled trace */
  int save_failed;
} jit_State;

/* record.c */
void rec_start(jit_State *js, Recorder *R, lua_State *L, CallInfo *ci,
               const Instruction *head);
/* Record the instruction at pc. Returns false when recording must stop:
 * R->closed says whether the trace is complete, R->why why it aborted. */
bool rec_ins(Recorder *R, const Instruction *pc);
/* Drop guards made redundant by the loop's own invariants. */
void rec_optimize(Recorder *R);

/* trace.c */
const char *jit_chunkname(const Proto *p);
int jit_line(const Proto *p, const Instruction *pc);

#endif /* CPJIT_LUA_TRACE_INT_H */
