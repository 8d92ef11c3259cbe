/*
 * trace_int.h -- state shared by trace.c (trace management) and record.c
 * (the recorder). Nothing outside runtime/trace/ includes it.
 */
#ifndef CPJIT_LUA_TRACE_INT_H
#define CPJIT_LUA_TRACE_INT_H

#include <stdio.h>

#include "backend.h"
#include "cpjit.h"
#include "ir.h"
#include "lua_stencils.h"
#include "lua_uop_list.h"
#include "trace.h"

#define JIT_MAX_UOPS 24000    /* uops of one lowered trace */
#define JIT_MAX_EXITS IR_MAX_SNAP
/* The spill area (trace.c): the register dump, then spill slots. */
#define JIT_SPILL_BASE (lua_NGPR + lua_NFPR)
#define JIT_MAX_INSNS 1000    /* instructions per recording */
#define JIT_MAX_ABORTS 3      /* aborts before a head is blacklisted */
/* A root recording that leaves its loop before closing it (a while loop
 * recorded on its way out) aborts lightly: another recording will likely
 * follow the body. Aborts count JIT_ABORT_HARD each, those 1; after
 * JIT_MAX_LEAVES of them the way out is kept (its exits get side traces,
 * which then carry the loop: loops that mostly run once or twice). */
#define JIT_ABORT_HARD 8
#define JIT_MAX_LEAVES 2
#define JIT_BLACKLIST (JIT_MAX_ABORTS * JIT_ABORT_HARD)
#define JIT_EXEC_SHARE 4      /* traces with more than 1/4 EXEC are dropped */
#define JIT_MAX_BACKPASSES 2
#define JIT_MIN_YIELD_INSNS 24 /* of a loop trace that ends at a yield */
#define JIT_MIN_ENTRY_INSNS 24 /* of an entry trace, EXECs counted twice off */
#define JIT_MAX_INLINE 4      /* depth of inlined calls */
#define JIT_MAX_FRAMES 64     /* inlined calls per trace */
#define JIT_MAX_CALLEE_INSNS 5000 /* run by calls during one recording */
/* ... when one of them is a call of a recursive function with a trace:
 * while recording, its returns to its callers run in the interpreter */
#define JIT_MAX_CALLEE_INSNS_REC 400000
#define JIT_MAX_SIDES 100     /* side traces per prototype */  /* loop heads without trace a side trace crosses */
#define JIT_MAX_CCALLS_ENTER (LUAI_MAXCCALLS - 30)
/* Without -Ohotcall, function-entry traces are recorded only to compile
 * recursion (record.c: rec_pushf): after this many calls, and a recording
 * that meets no recursive call or return aborts. */
#define JIT_HOTCALL_REC 40
/* Frames a trace makes for calls it does not inline (record.c: rec_callf),
 * and functions other than its own a trace's code relies on: they stay
 * alive as long as the trace (jit_markdeps). */
#define JIT_MAX_PUSH 3
#define JIT_MAX_DEPS 24

/* One compiled trace, owned by its prototype's ProtoJit. */
typedef struct LuaTrace {
  int id;
  Proto *p;
  int headpc;       /* where it starts: loop head, or side exit's pc */
  Proto *hp;        /* the function headpc is in: p, or an inlined callee's
                       (a side trace of an exit inside inlined calls) */
  int parent;       /* id of the trace whose exit it extends, 0 for a root */
  struct LuaTrace *next_side; /* the prototype's side traces */
  void *code;       /* the backend's compiled trace (backend.h) */
  TraceExit *exits;
  cpjit_uop *uops; /* what was compiled (dumps, tests, trace corpora) */
  ExitRestore *rs;  /* the exits' restore lists */
  JitFrame *frames; /* inlined calls' frames the exits name */
  uint32_t nframes;
  Proto **deps;     /* other functions its code runs or returns to */
  uint32_t ndeps;
  uint32_t nexits, nuops, nrs;
  uint64_t entries;
  uint32_t code_bytes; /* machine code (backend->code) */
  uint32_t meta_bytes; /* this struct, its exits and uops */
} LuaTrace;

/* Per-prototype JIT data (Proto.jitdata), allocated at its first hot
 * back-edge. */
typedef struct ProtoJit {
  uint8_t *blocked;  /* first: ProtoJitView in trace.h */
  int size;          /* p->sizecode */
  uint16_t *hot;     /* back-edge counters per head pc */
  uint8_t *aborts;   /* aborted recordings per head pc */
  LuaTrace **trace;  /* installed root trace per head pc */
  LuaTrace *sides;   /* side traces, entered only through linked exits */
  uint8_t noinline;  /* calls to this function are not inlined */
  uint8_t recursive; /* has a trace that makes or drops frames (record.c: */
                     /* rec_pushf): its calls run that, never inlined */
  uint8_t hasdeps;   /* has a trace with deps (jit_markdeps) */
  uint8_t nopush;    /* a root trace that made a frame for a call of it */
                     /* aborted there: such calls are EXEC'd */
  int nsides;        /* side traces made (at most JIT_MAX_SIDES) */
  Proto *p;
  struct ProtoJit *prev, *next; /* every ProtoJit of the state (flushes) */
} ProtoJit;

/* What the recorder knows about a slot's tag (guard elimination). */
typedef struct SlotInfo {
  uint8_t known; /* tag below is certain */
  uint8_t tag;
} SlotInfo;

typedef struct Recorder {
  lua_State *L;
  CallInfo *ci;                /* the frame being recorded (base) */
  Proto *p;                    /* its function */
  Proto *p0;                   /* the function the trace started in: */
                               /* it owns the trace */
  const Instruction *head;
  Proto *hp;                   /* the function head is in (p, or the */
                               /* innermost inherited frame's) */
  int head_frames;             /* side trace of an exit inside inlined */
                               /* calls: their frames, inherited (inl[]) */
  int ninsn;
  int nexec;                   /* instructions left to the slow path */
  int callee_insns;            /* instructions run by calls meanwhile */
  int callee_max;              /* ... before the recording stops */
  IRBuf B;                     /* the trace's IR (ir.h) */
  const Instruction **exit_pc; /* JIT_MAX_EXITS entries */
  uint32_t nexits;
  bool closed;                 /* complete: looped back to the start, or */
                               /* ended in an exit (to the interpreter or */
                               /* linked to the trace at link_pc) */
  bool looped;                 /* closed by jumping back to its start */
  bool entry;                  /* a function-entry trace (jit_call): it */
                               /* ends at the function's return */
  bool has_exec;               /* runs the interpreter's slow path */
  bool frames_moved;           /* made or dropped real frames (PUSHF, */
                               /* POPF): slots name another frame after */
  bool recursed;               /* ... for a recursive call or return */
  bool ci_pending;             /* a frame made for a call: R->ci is the */
                               /* caller until the callee runs */
  int npush;                   /* frames made by rec_callf, not dropped */
  bool push_wait;              /* aborted: a called function's loop has */
                               /* no trace yet (not the callee's fault) */
  Proto *deps[JIT_MAX_DEPS];   /* functions other than p0 the code needs */
  int ndeps;
  bool soft_abort;             /* abort does not count towards blacklisting */
  bool light_abort;            /* abort counts 1, not JIT_ABORT_HARD */
  bool probe_abort;            /* an entry trace probing for recursion */
                               /* found none: not reported as an abort */
  const Instruction *loop_end; /* root: the loop's last back-edge, or */
                               /* NULL: it may leave (JIT_MAX_LEAVES) */
  TraceExit *parent;           /* side trace: the exit it extends */
  const Instruction *link_pc;  /* ends linked to the root trace there */
  uint32_t link_exit;          /* ... through this exit */
  int backpasses;              /* back-edges followed to other loop heads */
  /* Inlined calls: a callee's registers live in the trace's frame from
   * slot `off` on, right above its function (as the interpreter lays a
   * call out); guards and EXECs inside make its frames real (JitFrame). */
  int off;                     /* slot offset of the frame being recorded */
  struct {
    Proto *p;                  /* the callee */
    CallInfo *ci;              /* its frame, once it runs */
    const Instruction *call;   /* the CALL in the caller */
    int a, nres, off;          /* caller's A, results wanted (-1: all), */
                               /* slot offset */
    int off0, nargs;           /* vararg callee: where its registers were */
                               /* before VARARGPREP moved them, arguments */
    int frame;                 /* its entry in frames[] (1-based) */
  } inl[JIT_MAX_INLINE];
  int ninl;                    /* inlined calls in progress */
  JitFrame frames[JIT_MAX_FRAMES]; /* every inlined frame of the trace */
  int frame_up[JIT_MAX_FRAMES];    /* its caller's entry, 0: the trace's */
  int nframes;
  uint16_t *exit_frame;        /* per exit: frames[] entry + 1, 0: none */
  int16_t exit_top[JIT_MAX_EXITS]; /* per exit: TraceExit.top */
  Proto *exit_p[JIT_MAX_EXITS];    /* per exit: the frame's function */
  /* Values up to a variable top: a call with variable results or a VARARG
   * left mtop (a slot, -1: none) as L->top for the next instruction,
   * mtop_pc, which takes them (a CALL, RETURN or TAILCALL with B == 0). */
  int mtop;
  const Instruction *mtop_pc;
  /* The slot map (record.c): the IR value each trace slot holds (0: in
   * memory only), and whether memory is behind (dirty). */
  IRRef sref[IR_MAX_SLOTS];
  uint8_t sdirty[IR_MAX_SLOTS];
  uint8_t swritten[IR_MAX_SLOTS]; /* written anywhere in the trace */
  uint8_t smemread[IR_MAX_SLOTS]; /* read from memory before any write */
  uint8_t smemw[IR_MAX_SLOTS];    /* written to memory by a MEMOP */
  IRRef sfirst[IR_MAX_SLOTS];     /* its SLOAD, when read before written */
  IRRef sfirstw[IR_MAX_SLOTS];    /* IR position of its first write */
  uint8_t sinherited[IR_MAX_SLOTS]; /* holds a value from the parent exit */
  bool inherit;                   /* side trace on its parent's registers */
  uint32_t spill0;                /* spill slots the parent's values use */
  IRRef bce_idx, bce_cnt;         /* the closing integer for loop with step
                                   * 1: its index and count (ir_loop.c) */
  int maxslot;                    /* highest slot touched */
  int live_at_head;               /* slots below this may be live at the
                                   * head (record.c: active locals) */
  int for_a;                      /* the numeric for loop whose body starts
                                   * at the head: its A (index == control
                                   * variable there), or -1 */
  uint32_t gen, snap_gen;         /* slot-state generation (snapshots) */
  SlotInfo slot[256];          /* tags known of slots in memory */
  char why[160];               /* abort reason */
} Recorder;

/* ir_lower.c: allocated IR -> uops, and the exits' restore lists. */
typedef struct LowerOut {
  cpjit_uop *uops;
  uint32_t nuops, cap;
  uint32_t loop_uop;   /* where the loop body starts */
  ExitRestore *rs;     /* every exit's restore entries, back to back */
  uint32_t nrs, rscap;
  uint32_t *exit_rs;   /* per exit: first entry in rs */
  uint32_t *exit_nrs;  /* per exit: number of entries */
  uint32_t *ins_uop;   /* per IR ref: its first uop (dumps) */
  uint32_t exitstress; /* -Oexitstress */
  char why[96];
} LowerOut;

bool ir_lower(const IRBuf *B, const IRAlloc *A, const TraceExit *parent,
              uint32_t nexits, LowerOut *o);

typedef struct jit_State {
  cpjit_jit *J;
  global_State *g;  /* allocations go through g->frealloc, never raising */
  ProtoJit *protos; /* list of every ProtoJit */
  /* Memory bounds (-Omaxmcode, -Omaxtrace): live traces and their bytes;
   * reaching a bound, or a failed JIT allocation, flushes the trace cache
   * (at once when no trace is running, else at the next back-edge). */
  int live_traces;
  size_t live_code, live_meta, proto_meta;
  /* after memory ran out (the host allocator or mmap failed): the JIT's
   * memory is kept under half of what it held then (0: no cap yet) */
  size_t mem_cap;
  bool flush_pending;
  uint64_t flushes, code_total, meta_total; /* -jstats */
  cpjit_lua_options opts;
  Recorder *rec; /* non-NULL while recording */
  bool entry_rec_only; /* no -Ohotcall: entry traces only for recursion */
  int next_id;
  int stack_need; /* stack slots above a frame base inlined calls use */
  /* -jstats */
  uint64_t traces, side_traces, links, aborts, blacklisted, entries, exits,
      compile_fail;
  uint64_t uops;
  uint64_t opt_ns, ir_ins;   /* everything after recording, IR instructions */
  uint64_t pass_ns[4];       /* loop, dce, regalloc, lowering */
  uint64_t spills;
  IRAlloc *ra;               /* with rec: the allocator's and lowering's */
  LowerOut lo;               /* buffers */
  const JitBackend *backend; /* compiles and runs traces (backend.c) */
  void *backend_ctx;
  struct trace_corpus *save; /* -jsave: copies of every compiled trace */
  int save_failed;
  struct JStats *jstats;     /* -jstats tables (jstats.c), else NULL */
  struct CBench *cbench;     /* -Ocbench (compile_bench.c) */
} jit_State;

/* record.c */
void rec_start(jit_State *js, Recorder *R, lua_State *L, CallInfo *ci, bool entry,
               const Instruction *head, TraceExit *parent);
/* Record the instruction at pc. Returns false when recording must stop:
 * R->closed says whether the trace is complete, R->why why it aborted. */
bool rec_ins(Recorder *R, const Instruction *pc);
/* The interpreter arrives at pc through a back-edge or by falling into a
 * loop: returns true when the trace ends there (it reached its start, or a
 * loop that has a trace, which it then links to). */
bool rec_arrive(Recorder *R, const Instruction *pc);
/* record.c, for record_lib.c: the recorder's primitives on registers of
 * the frame being recorded (see record.c for what each does). */
IRRef recx_get(Recorder *R, const Instruction *pc, int r, const TValue *v);
void recx_set(Recorder *R, int r, IRRef ref);
void recx_know(Recorder *R, int r, uint8_t tag);
void recx_memop(Recorder *R, const Instruction *pc, int uop, int a,
                uint64_t op0, uint64_t op1, const int *rd, int nrd, int w,
                int nw);
IRRef recx_guard2(Recorder *R, const Instruction *pc, uint8_t op, IRRef a,
                  IRRef b);
/* The value of present key `key` in table t (IR value tref, the table
 * observed now): key position guarded, value's tag guarded. */
IRRef recx_field(Recorder *R, const Instruction *pc, IRRef tref,
                 const Table *t, const TString *key);
/* The frame being recorded (an inlined callee's, or the trace's). */
CallInfo *recx_ci(const Recorder *R);
/* Where the trace's frame resumes if a helper raises an error at pc. */
const Instruction *recx_resume(const Recorder *R, const Instruction *pc);

/* record_lib.c: strings. Each returns false when the instruction is not
 * one it records (the caller falls back to EXEC or its own path). */
bool recl_len(Recorder *R, const Instruction *pc, int a, int b,
              const TValue *vb);
bool recl_concat(Recorder *R, const Instruction *pc, int a, int n,
                 const TValue *ra);
bool recl_order(Recorder *R, const Instruction *pc, bool lt, int a, int b,
                const TValue *va, const TValue *vb);
bool recl_eq(Recorder *R, const Instruction *pc, int a, int b,
             const TValue *va, const TValue *vb);
bool recl_eqk(Recorder *R, const Instruction *pc, int a, const TValue *va,
              const TValue *kb);
bool recl_self(Recorder *R, const Instruction *pc, int a, int b,
               const TValue *vb, const TValue *key);
bool recl_call(Recorder *R, const Instruction *pc, int a, int nargs,
               int nres);

/* ir_loop.c: a looped trace's loop-carried values (PHIs), invariant
 * hoisting and the stores at its back-edge. Returns false when out of
 * room (the recording aborts). */
bool ir_loop(Recorder *R);

/* jstats.c: -jstats' abort and EXEC tables and the share of bytecodes run
 * in traces. Every hook but jstats_open/close/print runs only when
 * js->jstats is set (jstats_exec checks it itself). */
typedef struct JStats JStats;
void jstats_open(jit_State *js);
void jstats_close(jit_State *js);
void jstats_print(jit_State *js);
void jstats_exec(Recorder *R, const Instruction *pc); /* an EXEC recorded */
void jstats_abort(jit_State *js, const Recorder *R);  /* before its stop */
void jstats_trace(jit_State *js, const Recorder *R, const LuaTrace *t);
void jstats_stop(jit_State *js, const Recorder *R);   /* recording ends */
/* Around a run of root trace t from the interpreter in frame ci, and at
 * each link followed through the host meanwhile (-jstats makes every link
 * go that way: each trace run is counted). */
void jstats_enter(jit_State *js, const LuaTrace *t, const CallInfo *ci);
void jstats_link(JStats *s, const global_State *g, const LuaTrace *next,
                 const CallInfo *ci);
void jstats_leave(jit_State *js, const CallInfo *ci);
/* compile_bench.c (-Ocbench=N): time N compiles of the recorded trace,
 * leaving R as it was; print the figures at close */
void jit_cbench_trace(jit_State *js, Recorder *R);
void jit_cbench_close(jit_State *js);

/* trace.c */
ProtoJit *jit_protojit(jit_State *js, Proto *p);
const char *jit_chunkname(const Proto *p);
int jit_line(const Proto *p, const Instruction *pc);

#endif /* CPJIT_LUA_TRACE_INT_H */
