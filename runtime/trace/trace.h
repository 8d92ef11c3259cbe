/*
 * trace.h -- cpjit-lua's trace JIT: what the interpreter and the rest of
 * the runtime call.
 *
 * Life of a loop:
 *   1. Every backward branch (FORLOOP, TFORLOOP, JMP back) calls
 *      jit_backedge() with the loop head. A head that has a trace runs it;
 *      otherwise its counter grows and at -Ohotloop=N the recorder starts.
 *   2. While recording, the interpreter dispatches through a second table
 *      that calls jit_record() before each instruction; the recorder turns
 *      what it sees (types of operands, direction of branches) into typed,
 *      guarded uops (record.c). Back at the head, the trace is compiled by
 *      cpjit and installed; anything unsupported aborts it with a reason.
 *   3. A trace runs until a guard fails or the loop ends; it returns its
 *      exit record, whose snapshot writes back the slots trace code kept in
 *      registers (the exit stub dumps the register file first), and the
 *      interpreter resumes at the exit's pc, the start of the instruction
 *      whose guard failed.
 *
 * Traces never unwind: a Lua error raised inside a helper longjmps through
 * trace frames to the enclosing protected call, like any C frame; so does
 * a coroutine's yield (the interpreter finishes the instruction later).
 */
#ifndef CPJIT_LUA_TRACE_H
#define CPJIT_LUA_TRACE_H

#include "core.h"
#include "cpjit.h"

/* One slot an exit writes back: slot `slot` (from the trace's base) gets a
 * value of tag `tag` from a register, a spill slot or a constant. */
typedef struct ExitRestore {
  uint16_t slot;
  uint8_t kind; /* EXR_* */
  uint8_t tag;
  uint32_t idx;  /* register number or spill slot */
  uint64_t bits; /* EXR_CONST: the payload */
} ExitRestore;

enum { EXR_CONST, EXR_GPR, EXR_FPR, EXR_SPILL };

/* A call frame an inlined call would have made: an exit or an EXEC inside
 * the callee makes it real (a CallInfo) before the interpreter runs. The
 * callee's registers start at slot `base` of the trace's frame (its
 * function at base - 1, where the caller's CALL left it). */
typedef struct JitFrame {
  const struct JitFrame *up;  /* the caller's inlined frame, or NULL */
  Proto *p;                   /* the callee */
  const Instruction *callpc;  /* the CALL in the caller */
  int32_t base;               /* first register, from the trace's base */
  int32_t nres;               /* results the caller wants */
  int32_t tail;               /* reached by a tail call (CIST_TAIL) */
  int32_t nextra;             /* vararg callee: its extra arguments, right */
                              /* below its function's copy at base - 1 */
                              /* (as the interpreter's VARARGPREP moves it) */
} JitFrame;

/* One side exit of a trace: where the interpreter resumes, and what it
 * writes back first (its snapshot, with the registers it was compiled
 * with). Its address is what the exit stub returns. */
typedef struct TraceExit {
  const Instruction *pc;
  const ExitRestore *rs; /* nrs entries, owned by the trace */
  uint32_t nrs;
  struct LuaTrace *owner; /* the trace the exit belongs to */
  struct LuaTrace *link;  /* trace this exit continues in (side trace or */
                          /* linked loop), or NULL: back to the interpreter */
  uint32_t count;         /* times taken back to the interpreter */
  uint16_t trace_id;
  uint16_t no;
  uint8_t linked;         /* link patched into the code (else followed in C) */
  uint8_t aborts;         /* side recordings from here that aborted */
  uint8_t blocked;        /* no side trace will be recorded here */
  uint8_t noinherit;      /* a side trace here writes the exit back first */
                          /* (its loop could not carry the parent's values) */
  const JitFrame *frame;  /* resumes inside an inlined call: its frames, */
                          /* innermost first (owned by the trace) */
  const Proto *p;         /* the function of the frame it restores */
  int32_t top;            /* >= 0: resumes at an instruction that takes */
                          /* its values up to L->top (CALL/RETURN with */
                          /* B == 0 after a call or VARARG with variable */
                          /* results): L->top is the trace's base + top */
} TraceExit;

/* The part of a prototype's JIT data (Proto.jitdata) the interpreter reads
 * inline: blocked[pc] != 0 means the loop at pc is blacklisted, so its
 * back-edges skip jit_backedge entirely. */
typedef struct ProtoJitView {
  uint8_t *blocked;
} ProtoJitView;

static inline bool jit_blocked(const Proto *p, const Instruction *head) {
  const ProtoJitView *pj = (const ProtoJitView *)p->jitdata;
  return pj && pj->blocked[head - p->code];
}

/* Library functions the recorder turns into uops (guarded by identity). */
typedef enum JitBuiltin {
  JIT_BI_NONE = -1,
  JIT_BI_SQRT, JIT_BI_SIN, JIT_BI_COS, JIT_BI_EXP, JIT_BI_LOG,
  JIT_BI_ABS, JIT_BI_FLOOR, JIT_BI_CEIL, JIT_BI_MIN, JIT_BI_MAX
} JitBuiltin;

/* Which builtin the light C function f is (runtime/lib/mathlib.c). */
JitBuiltin jit_math_builtin(lua_CFunction f);

/* String operations the STRH uop does (runtime/trace/helpers_str.c) and
 * the library functions among them. The uop's first operand packs the
 * operation and its slots (STRH_WHAT); the second is the pc the frame
 * resumes at when an allocation fails (an error), or a constant string. */
typedef enum JitStrOp {
  STRH_NONE = -1,
  STRH_CONCAT,  /* A = A .. A+1 .. ... (b values, strings or numbers) */
  STRH_LT, STRH_LE, STRH_EQ, /* (A op B) == c, both strings */
  STRH_EQK,     /* (A == constant string k) == c */
  /* calls: function at A, b arguments, c results */
  STRH_LEN, STRH_SUB, STRH_BYTE, STRH_CHAR, STRH_REP, STRH_TOSTRING,
  STRH_TONUMBER
} JitStrOp;

#define STRH_WHAT(op, a, b, c)                                                 \
  ((uint64_t)(op) | (uint64_t)(a) << 8 | (uint64_t)(b) << 24 |                 \
   (uint64_t)(c) << 40)
#define STRH_OP(w) ((int)((w) & 0xff))
#define STRH_A(w) ((int)(((w) >> 8) & 0xffff))
#define STRH_B(w) ((int)(((w) >> 24) & 0xffff))
#define STRH_C(w) ((int)(((w) >> 40) & 0xffff))

/* Which string operation the light C function f is (runtime/lib/strlib.c
 * for string.*, runtime/baselib.c for tostring and tonumber). */
JitStrOp jit_str_builtin(lua_CFunction f);
JitStrOp jit_base_builtin(lua_CFunction f);
bool jit_is_select(lua_CFunction f);
bool jit_is_ipairs_iter(lua_CFunction f);
bool jit_is_next(lua_CFunction f);
bool jit_is_setmetatable(lua_CFunction f);
bool jit_is_yield(lua_CFunction f);

/* Open the JIT for the state (reads G(L)->opts); a failure only disables
 * the JIT. Called once by the state's creator. */
void jit_open(lua_State *L);
/* Print -jstats, free every trace. Called by lua_close. */
void jit_close(lua_State *L);

/* A backward branch of frame `ci` lands on `head`. Returns the pc where the
 * interpreter continues in ci (`head`; the caller reloads base and dispatch
 * afterwards), or NULL after running a trace: the interpreter then goes on
 * in L->ci at its savedpc, the exit's. That frame may be another one than
 * ci even at the same address: a trace makes and drops frames (recursion)
 * and an exit inside inlined calls makes theirs, reusing CallInfos. */
const Instruction *jit_backedge(lua_State *L, CallInfo *ci,
                                const Instruction *head);

/* Frame `ci` of a Lua function starts (its savedpc at its first
 * instruction) and Proto.hotcall ran out: run the function's entry trace,
 * or count the call, or start recording one. Returns the pc where the
 * interpreter continues in L->ci (which it reloads in any case). */
const Instruction *jit_call(lua_State *L, CallInfo *ci);

/* Recording hook: the instruction at `pc` of frame `ci` is about to run. */
void jit_record(lua_State *L, CallInfo *ci, const Instruction *pc);
/* A debug hook was set: drop a recording in progress (no blacklisting). */
void jit_cancel_recording(lua_State *L);
/* An error is about to unwind L's frames: a recording on L is aborted. */
void jit_error(lua_State *L);

/* An allocation of the program failed: flush the trace cache when no trace
 * is running. Returns true when memory was freed (retry the allocation). */
bool jit_release(lua_State *L);

/* A prototype is being freed: drop its traces and counters. */
void jit_freeproto(lua_State *L, Proto *p);
void jit_markdeps(global_State *g, void (*mark)(global_State *, GCObject *));

/* For tests and tools: the uops of the trace installed at instruction
 * `pc` of `p`, or NULL. */
const cpjit_uop *jit_trace_uops(const Proto *p, int pc, uint32_t *n);
/* The uops of side trace k (0: the newest) of `p`, or NULL. */
const cpjit_uop *jit_side_trace_uops(const Proto *p, int k, uint32_t *n);
/* Name of uop `op`. */
const char *jit_uop_name(int op);

/* The host's slow path for one instruction, called by the EXEC uop. */
void jit_h_exec(lua_State *L, const Instruction *pc);
/* EXEC inside inlined calls: their frames (JitFrame) made real around it. */
void jit_h_exec_f(lua_State *L, const Instruction *pc, const void *frame);
/* Make frame f and its callers real on top of `root` (an exit or an EXEC
 * inside inlined calls); returns the innermost CallInfo, now L->ci. */
CallInfo *jit_push_frames(lua_State *L, CallInfo *root, const JitFrame *f);
/* Raw field store for SETFIELD_S. */
void jit_h_setfield(lua_State *L, Table *t, TString *key, const TValue *val);
/* String operations for STRH (helpers_str.c; JitStrOp above): 0 when
 * done, nonzero when declined, having changed nothing. */
int jit_h_str(lua_State *L, TValue *base, uint64_t what, uint64_t k);
int jit_h_next(TValue *ra, uint32_t c);
int jit_h_setmt(lua_State *L, TValue *t, const TValue *mt);
int jit_h_newtable(lua_State *L, TValue *ra, uint64_t sizes);
void jit_h_setlist(lua_State *L, TValue *ra, uint32_t n, uint32_t first);

#endif /* CPJIT_LUA_TRACE_H */
