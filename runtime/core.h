/* core.h -- internal interfaces of the cpjit-lua VM core.
 *
 * Everything behind the C API: the thread/global state, call frames, the
 * bytecode format (one X-macro list), and the functions each module of
 * runtime/ exports to the others.  Module prefixes say where a function
 * lives: str_ (str.c), tab_ (table.c), gc_ / mem_ (gc.c), func_ (func.c),
 * obj_ (object.c), lex_ (lex.c), parse_ (parse.c), vm_ (vm.c), do_ (do.c),
 * tm_ (vm.c, metamethods), dbg_ (debug.c), coro_ (coro.c).
 *
 * Frame convention (shared with the JIT): a call frame's function sits at
 * ci->func and its registers start at base = ci->func + 1.  A vararg
 * function moves itself and its fixed parameters above the actual
 * arguments at entry (VARARGPREP), so the extra arguments sit just below
 * ci->func.
 */
#ifndef CPJIT_LUA_CORE_H
#define CPJIT_LUA_CORE_H

#include <setjmp.h>
#include <stdbool.h>
#include <string.h>

#include "value.h"

/* -- Options filled by main(); the JIT reads them once it exists -- */
typedef struct cpjit_lua_options {
  int jit_enabled;  /* -jon / -joff */
  int hotloop;      /* -Ohotloop=N: backward-jump count that makes a loop hot */
  int hotexit;      /* -Ohotexit=N: side-exit count that starts a side trace */
  int hotcall;      /* -Ohotcall=N: calls that make a function hot (0: no entry traces) */
  /* trace IR passes, each switchable for measurement (-O-fold, -O+fold):
   * constant folding and simplification, CSE, loop optimization (hoisting
   * and loop-carried registers), dead-code elimination, implied GHKEY size
   * checks (ir.c), spill choice by use counts (ir_ra.c), snapshot-only
   * tails of loop values in memory when registers run short (ir_ra.c) */
  int ir_fold, ir_cse, ir_loop, ir_dce, ir_hkey, ir_spillcost, ir_snapsplit;
  int callf;        /* calls not inlined make real frames in traces (-O-callf: EXEC) */
  int exitstress;   /* -Oexitstress=N (testing): the Nth guard of every
                     * trace exits unconditionally, 0: off */
  int verbose;      /* -jv: trace events and aborts */
  int dump;         /* -jdump: uops and machine code per trace */
  int stats;        /* -jstats: summary at exit */
  int gdb;          /* -jgdb: register traces with gdb (CPJIT_FLAG_GDB) */
  const char *backend; /* -jbackend=NAME: trace compiler (NULL: cpjit) */
  const char *save;    /* -jsave=FILE: write every compiled trace at exit */
  int maxmcode;     /* -Omaxmcode=KB: machine code of all live traces */
  int maxtrace;     /* -Omaxtrace=N: live traces (roots and sides) */
  int istats;       /* -istats: interpreter quickening statistics at exit */
  int cbench;       /* -Ocbench=N (measurement): compile every trace N more
                     * times, report the time (trace/compile_bench.c) */
} cpjit_lua_options;

/* Defaults of -Omaxmcode and -Omaxtrace: when either is reached the trace
 * cache is flushed (runtime/trace/trace.c). */
#define JIT_DEFAULT_MAXMCODE 8192 /* KB, as LuaJIT */
#define JIT_DEFAULT_MAXTRACE 2000

/* -- Metamethod events; the first TM_EQ+1 are cached as absent bits in Table.flags -- */
typedef enum {
  TM_INDEX, TM_NEWINDEX, TM_GC, TM_MODE, TM_LEN, TM_EQ,
  TM_ADD, TM_SUB, TM_MUL, TM_MOD, TM_POW, TM_DIV, TM_IDIV,
  TM_BAND, TM_BOR, TM_BXOR, TM_SHL, TM_SHR, TM_UNM, TM_BNOT,
  TM_LT, TM_LE, TM_CONCAT, TM_CALL, TM_CLOSE, TM_N
} TMS;

/* -- Call frames -- */
#define CIST_C 1u      /* C function frame */
#define CIST_FRESH 2u  /* Lua frame entered from C: its return leaves vm_execute */
#define CIST_TAIL 4u   /* reached through a tail call */
#define CIST_FIN 8u    /* running a finalizer */
#define CIST_YPCALL 16u /* C frame: a yieldable lua_pcallk without its own setjmp */
#define CIST_LEQ 32u   /* Lua frame: "a <= b" is running as "not (b < a)" */
#define CIST_HOOKED 64u /* running a debug hook (set on the hooked frame) */
#define CIST_TRAN 128u /* ftransfer/ntransfer are valid (call/return hooks) */
#define CIST_HOOKSEEN 256u /* the hook dispatch has seen this frame (vm.c L_HOOK) */

typedef struct CallInfo {
  StkId func;
  StkId top; /* end of this frame's registers / C stack area */
  struct CallInfo *previous, *next;
  short nresults; /* expected results, LUA_MULTRET for all */
  unsigned short callstatus;
  const Instruction *savedpc; /* Lua frames: next instruction */
  int nextraargs;             /* Lua vararg frames: number of extra arguments */
  /* C frames that can be suspended (lua_callk / lua_pcallk / lua_yieldk) */
  int recst;                  /* status a recovered lua_pcallk finishes with */
  lua_KFunction k;            /* continuation, called when resumed */
  lua_KContext ctx;
  ptrdiff_t funcidx;          /* lua_pcallk: stack offset of the called function */
  ptrdiff_t old_errfunc;      /* lua_pcallk: message handler to restore */
  unsigned short ftransfer, ntransfer; /* values passed, for call/return hooks */
} CallInfo;

#define isLua(ci) (!((ci)->callstatus & CIST_C))

/* -- Error recovery -- */
struct lua_longjmp {
  struct lua_longjmp *previous;
  jmp_buf b;
  volatile int status;
};

/* -- Per-VM state -- */
typedef struct StringTable {
  TString **hash;
  int nuse;
  int size;
} StringTable;

#define GC_NPOOLS 16

typedef struct global_State {
  size_t totalbytes;  /* bytes currently allocated */
  size_t gcthreshold; /* collect when totalbytes exceeds this */
  size_t gcestimate;  /* live bytes after the last collection */
  int gcstop;         /* >0: collection disabled (parser, user request) */
  int gcpause;        /* threshold = live * max(gcpause, 100) / 100 */
  int gcrunning_user; /* collectgarbage("stop"/"restart") */
  bool gcinprogress;
  StringTable strt;
  TValue l_registry;
  unsigned int seed;
  GCObject *allgc;   /* all collectable objects except short strings */
  GCObject *finobj;  /* objects with a __gc metamethod */
  GCObject *tobefnz; /* unreachable objects waiting for their finalizer */
  GCObject *gray;
  GCObject *weak;    /* weak tables found while marking (linked by gclist) */
  struct lua_State *mainthread;
  TString *tmname[TM_N];
  struct Table *mt[LUA_NUMTYPES];
  TString *memerrmsg;
  TString *fixedstr[40]; /* reserved words and other never-collected strings */
  int nfixed;
  lua_CFunction panic;
  const void *const *dispatch; /* interpreter dispatch table (JIT may swap it) */
  const void *const *disp_normal; /* the interpreter's two tables, registered */
  const void *const *disp_record; /* by vm_execute on first entry */
  struct jit_State *jit;          /* trace JIT (runtime/trace), NULL when off */
  const void *const *disp_hook;   /* hook dispatch table (debug hooks, debug.c) */
  int nhooked;                    /* threads with a hook set: >0 disables traces */
  int32_t hotcall_init;           /* Proto.hotcall of a new function (INT32_MAX: no JIT) */
  void *pool[GC_NPOOLS];       /* free lists of small blocks, see gc.c */
  lua_Alloc frealloc;          /* the allocator (lua_newstate) and its ud */
  void *ud;
  struct lua_State *running;   /* the thread running now (errors go there) */
  int jitdepth;                /* trace activations on C stacks (trace.c) */
  cpjit_lua_options opts;
  uint8_t warnstate; /* warnings: off (default), on, or inside a message (api.c) */
  struct QStats *qstats; /* -istats counters (vm.c), also made by -jstats */
  size_t qbytes;         /* bytes of quickening caches allocated now */
  size_t qprotos;        /* prototypes that have them */
  /* collectgarbage's parameters as lua5.4 reports them back: one collector
   * (gc.c) serves both modes; only the pause paces it (gcpause). */
  int gcstepmul;  /* "setstepmul", "incremental"'s second argument */
  bool gcgenmode; /* "generational" was asked last (lua.c asks for it) */
  int gcinfin;    /* >0 while a finalizer runs: lua_gc fails (returns -1) */
  bool nopool;    /* gc_freeall: small blocks go straight back to frealloc */
} global_State;

struct lua_State {
  GC_HEADER;
  uint8_t status;    /* LUA_OK, LUA_YIELD, or an error code for a dead coroutine */
  uint8_t costate;   /* coroutine life cycle, see coro.c */
  StkId top;
  global_State *g;
  CallInfo *ci;
  StkId stack;
  StkId stack_last; /* end of usable stack (EXTRA_STACK slots follow) */
  ptrdiff_t *tbc;    /* stack offsets of live to-be-closed variables, innermost last */
  int ntbc, sizetbc;
  UpVal *openupval;
  GCObject *gclist;
  struct lua_longjmp *errorJmp;
  CallInfo base_ci;
  int nci;
  int nCcalls;   /* nested native calls (C functions, metamethods) */
  int nny;       /* >0: cannot yield (inside a non-yieldable C call) */
  int stacksize; /* slots, not counting EXTRA_STACK */
  int nyield;    /* values passed through the last yield */
  lua_State *resumer;
  ptrdiff_t errfunc; /* stack offset of the current message handler (0: none) */
  int jitdepth;      /* this thread's share of g->jitdepth */
  /* debug hooks (debug.c) */
  lua_Hook hook;
  int basehookcount, hookcount;
  int oldpc;         /* pc of the last line event, see dbg_traceexec */
  uint8_t hookmask;
  uint8_t allowhook; /* 0 while a hook runs */
};

#define G(L) ((L)->g)
#define EXTRA_STACK 5
#define BASIC_STACK_SIZE (2 * LUA_MINSTACK)
#define LUAI_MAXCCALLS 200
#define ERRORSTACKSIZE (LUAI_MAXSTACK + 200)

#define savestack(L, p) ((char *)(p) - (char *)(L)->stack)
#define restorestack(L, n) ((StkId)((char *)(L)->stack + (n)))

/* Ensure n free slots above top; may reallocate the stack. */
#define checkstackGC(L, n)                                  \
  do {                                                      \
    if ((L)->stack_last - (L)->top <= (n)) do_growstack(L, n); \
  } while (0)

/* -- Bytecode: 32-bit instructions.
 *   op: bits 0-7 | A: 8-15 | B: 16-23 | C: 24-31
 *   Bx = bits 16-31 (unsigned), sBx = Bx - OFFSET_sBx
 *   Ax = bits 8-31, sJ = Ax - OFFSET_sJ
 *   sB / sC: 8-bit operands holding a signed immediate + OFFSET_sC
 */
#define OPCODES(X)                                                       \
  X(MOVE) X(LOADI) X(LOADF) X(LOADK) X(LOADKX) X(LOADFALSE)              \
  X(LFALSESKIP) X(LOADTRUE) X(LOADNIL) X(GETUPVAL) X(SETUPVAL)           \
  X(GETTABUP) X(GETTABLE) X(GETI) X(GETFIELD) X(SETTABUP) X(SETTABLE)    \
  X(SETI) X(SETFIELD) X(NEWTABLE) X(SELF) X(ADDI) X(SUBI)                \
  X(ADDK) X(SUBK) X(MULK) X(MODK) X(POWK) X(DIVK) X(IDIVK) X(BANDK)      \
  X(BORK) X(BXORK) X(SHLK) X(SHRK) X(ADDKL) X(MULKL)                     \
  X(ADD) X(SUB) X(MUL) X(MOD) X(POW) X(DIV) X(IDIV) X(BAND) X(BOR)       \
  X(BXOR) X(SHL) X(SHR) X(UNM) X(BNOT) X(NOT) X(LEN) X(CONCAT)           \
  X(CLOSE) X(TBC) X(JMP) X(EQ) X(LT) X(LE) X(EQK) X(EQI) X(LTI) X(LEI)   \
  X(GTI) X(GEI) X(TEST) X(TESTSET) X(CALL) X(TAILCALL) X(RETURN)         \
  X(RETURN0) X(RETURN1) X(FORLOOP) X(FORPREP) X(TFORPREP) X(TFORCALL)    \
  X(TFORLOOP) X(SETLIST) X(CLOSURE) X(VARARG) X(VARARGPREP) X(EXTRAARG)

/* Quickened instructions (vm.c, "Quickening"): forms the interpreter
 * rewrites a generic instruction into, in place, once it has seen what its
 * operands are.  Each keeps the operands of its generic opcode and means
 * exactly what the generic one means; only the interpreter's dispatch ever
 * sees them.  X(name, generic). */
#define QOPCODES(X)                                                      \
  X(GETTABUP_H, GETTABUP) X(GETFIELD_H, GETFIELD) X(GETFIELD_MT, GETFIELD) \
  X(SETTABUP_H, SETTABUP)                                                \
  X(SETFIELD_H, SETFIELD) X(SELF_H, SELF) X(SELF_MT, SELF) X(SELF_MT2, SELF) \
  X(SELF_S, SELF)                                                        \
  X(ADD_II, ADD) X(ADD_FF, ADD) X(SUB_II, SUB) X(SUB_FF, SUB)            \
  X(MUL_II, MUL) X(MUL_FF, MUL) X(DIV_FF, DIV)                           \
  X(ADDK_II, ADDK) X(ADDK_FF, ADDK) X(SUBK_II, SUBK) X(SUBK_FF, SUBK)    \
  X(MULK_II, MULK) X(MULK_FF, MULK)                                      \
  X(LT_II, LT) X(LT_FF, LT) X(LE_II, LE) X(LE_FF, LE)

typedef enum {
#define OPENUM(name) OP_##name,
  OPCODES(OPENUM)
#undef OPENUM
  NUM_OPCODES,
  OP_QBEFORE_ = NUM_OPCODES - 1,
#define QOPENUM(name, gen) OP_##name,
  QOPCODES(QOPENUM)
#undef QOPENUM
  NUM_ALLOPS /* generic and quickened */
} OpCode;

_Static_assert(NUM_ALLOPS <= 255, "opcodes fit in 8 bits, 255 stays invalid");

extern const char *const opcode_names[NUM_OPCODES];
/* Generic opcode of each quickened one (index: op - NUM_OPCODES). */
extern const uint8_t vm_qgeneric[NUM_ALLOPS - NUM_OPCODES];

/* The generic opcode an opcode byte stands for: itself for a generic one,
 * the opcode it was specialized from for a quickened one, 255 (not an
 * opcode) for anything else.  Everything outside the interpreter's
 * dispatch (debug information, string.dump, the JIT recorder, the
 * binary-chunk verifier) reads instructions through this, by GET_OPCODE. */
static inline OpCode vm_generic_op(OpCode op) {
  if ((unsigned)op < NUM_OPCODES) return op;
  if ((unsigned)op < NUM_ALLOPS) return (OpCode)vm_qgeneric[op - NUM_OPCODES];
  return (OpCode)255;
}

#define MAXARG_A 255
#define MAXARG_B 255
#define MAXARG_C 255
#define MAXARG_Bx 0xffff
#define OFFSET_sBx 0x7fff
#define MAXARG_Ax 0xffffff
#define OFFSET_sJ 0x7fffff
#define OFFSET_sC 127

/* The opcode byte as stored (possibly a quickened form): the interpreter's
 * dispatch and the binary-chunk verifier only. */
#define GET_RAWOP(i) ((OpCode)((i) & 0xff))
/* The generic opcode of an instruction (see vm_generic_op). */
#define GET_OPCODE(i) vm_generic_op(GET_RAWOP(i))
/* The instruction with its generic opcode (what string.dump writes). */
#define GENERIC_INSTR(i) (((i) & ~(Instruction)0xff) | (Instruction)GET_OPCODE(i))
#define GETARG_A(i) ((int)(((i) >> 8) & 0xff))
#define GETARG_B(i) ((int)(((i) >> 16) & 0xff))
#define GETARG_C(i) ((int)((i) >> 24))
#define GETARG_sB(i) (GETARG_B(i) - OFFSET_sC)
#define GETARG_sC(i) (GETARG_C(i) - OFFSET_sC)
#define GETARG_Bx(i) ((int)((i) >> 16))
#define GETARG_sBx(i) (GETARG_Bx(i) - OFFSET_sBx)
#define GETARG_Ax(i) ((int)((i) >> 8))
#define GETARG_sJ(i) (GETARG_Ax(i) - OFFSET_sJ)
#define CREATE_ABC(o, a, b, c) \
  ((Instruction)(o) | ((Instruction)(a) << 8) | ((Instruction)(b) << 16) | ((Instruction)(c) << 24))
#define CREATE_ABx(o, a, bx) ((Instruction)(o) | ((Instruction)(a) << 8) | ((Instruction)(bx) << 16))
#define CREATE_Ax(o, ax) ((Instruction)(o) | ((Instruction)(ax) << 8))
#define SETARG_A(i, v) ((i) = ((i) & ~(0xffu << 8)) | ((Instruction)(v) << 8))
#define SETARG_B(i, v) ((i) = ((i) & ~(0xffu << 16)) | ((Instruction)(v) << 16))
#define SETARG_C(i, v) ((i) = ((i) & ~(0xffu << 24)) | ((Instruction)(v) << 24))
#define SETARG_Bx(i, v) ((i) = ((i) & 0xffffu) | ((Instruction)(v) << 16))
#define SETARG_sJ(i, v) ((i) = ((i) & 0xffu) | ((Instruction)((v) + OFFSET_sJ) << 8))

/* -- Quickening (vm.c).  A prototype gets one cache entry per instruction
 * the first time one of its instructions may be specialized. -- */
typedef struct QCache {
  uint16_t counter; /* generic: executions before the next try; quickened: misses left */
  uint8_t backoff;  /* log2 of the wait after a failed try or a de-specialization */
  uint8_t unused;
  uint32_t a; /* hash node of the key (GET/SETFIELD_H, GET/SETTABUP_H, SELF_H) or of
               * "__index" in the metatable (SELF_MT, SELF_S; SELF_MT2: 16 bits
               * each, in the metatable and in its __index's metatable) */
  uint32_t b; /* SELF_MT, SELF_MT2, SELF_S: hash node of the method in the __index table;
               * GETFIELD_MT: "__index" in the metatable and the key in the
               * __index table, 16 bits each (a: the key in the table itself);
               * the field forms: a second node (tables of another layout) */
} QCache;

_Static_assert(sizeof(QCache) == 3 * sizeof(Instruction), "vm.c: QAT's stride");

typedef struct QStats {
  uint64_t exec[NUM_ALLOPS];   /* executions per opcode byte */
  uint64_t miss[NUM_ALLOPS];   /* quickened forms: guard failed, generic path taken */
  uint64_t spec[NUM_ALLOPS];   /* instructions rewritten into this form */
  uint64_t despec[NUM_ALLOPS]; /* rewritten back after repeated misses */
  uint64_t fail[NUM_OPCODES];  /* generic: tries that found nothing to specialize on */
} QStats;

/* Maximum number of registers in a Lua function. */
#define MAXREGS 250

/* -- gc.c: memory and collection -- */
void *mem_realloc(lua_State *L, void *block, size_t osize, size_t nsize);
/* As mem_realloc, but NULL (block untouched) instead of raising an error. */
void *mem_tryrealloc(lua_State *L, void *block, size_t osize, size_t nsize);
void mem_freepools(global_State *g);
/* The allocator of luaL_newstate: realloc and free. */
void *mem_defaultalloc(void *ud, void *ptr, size_t osize, size_t nsize);
void *mem_malloc(lua_State *L, size_t size);
void mem_free(lua_State *L, void *block, size_t size);
#define mem_newvector(L, n, t) ((t *)mem_malloc(L, (size_t)(n) * sizeof(t)))
#define mem_freearray(L, b, n) mem_free(L, (b), (size_t)(n) * sizeof(*(b)))
void *mem_growvector(lua_State *L, void *block, int *size, int needed, size_t elemsize,
                     int limit, const char *what);
GCObject *gc_newobj(lua_State *L, uint8_t tt, size_t sz);
void gc_check(lua_State *L);
bool gc_isdue(lua_State *L);
void gc_fullgc(lua_State *L);
void gc_freeall(lua_State *L);
void gc_checkfinalizer(lua_State *L, GCObject *o, Table *mt);
void gc_runpending(lua_State *L);

/* -- str.c: strings -- */
void str_init(lua_State *L);
TString *str_newlstr(lua_State *L, const char *s, size_t l);
TString *str_new(lua_State *L, const char *s);
TString *str_newlong(lua_State *L, size_t l);
TString *str_resizelong(lua_State *L, TString *ts, size_t l);
uint32_t str_hash(const char *s, size_t l, uint32_t seed);
uint32_t str_hashlong(TString *ts);
bool str_eqlngstr(TString *a, TString *b);
void str_remove(lua_State *L, TString *ts);
void str_resize(lua_State *L, int newsize);
Udata *str_newudata(lua_State *L, size_t s, int nuvalue);
#define str_newliteral(L, s) str_newlstr(L, "" s, sizeof(s) - 1)
#define eqshrstr(a, b) ((a) == (b))

/* -- object.c: numbers, conversions, formatting -- */
size_t obj_str2num(const char *s, TValue *o);
int obj_tostringbuff(const TValue *obj, char *buff);
void obj_tostring(lua_State *L, TValue *obj);
const char *obj_pushvfstring(lua_State *L, const char *fmt, va_list argp);
const char *obj_pushfstring(lua_State *L, const char *fmt, ...);
void obj_chunkid(char *out, const char *source, size_t srclen);
int obj_ceillog2(unsigned int x);
int obj_hexavalue(int c);
int obj_utf8esc(char *buff, unsigned long x);
bool obj_tointegerns(const TValue *obj, lua_Integer *p, int mode);
bool obj_tonumber(const TValue *obj, lua_Number *n);
bool obj_flttointns(lua_Number n, lua_Integer *p, int mode);
int obj_rawarith(lua_State *L, int op, const TValue *p1, const TValue *p2, TValue *res);
#define F2Ieq 0
#define F2Ifloor 1
#define F2Iceil 2
#define cvt2num(o) ttisstring(o)

/* -- table.c -- */
Table *tab_new(lua_State *L);
void tab_free(lua_State *L, Table *t);
void tab_resize(lua_State *L, Table *t, unsigned int nasize, unsigned int nhsize);
void tab_resizearray(lua_State *L, Table *t, unsigned int nasize);
const TValue *tab_get(Table *t, const TValue *key);
const TValue *tab_getint(Table *t, lua_Integer key);
const TValue *tab_getshortstr(Table *t, TString *key);
const TValue *tab_getstr(Table *t, TString *key);
void tab_set(lua_State *L, Table *t, const TValue *key, const TValue *value);
void tab_setint(lua_State *L, Table *t, lua_Integer key, const TValue *value);
/* store 'value' where a previous get returned 'slot' (slot may be an absent marker) */
void tab_finishset(lua_State *L, Table *t, const TValue *key, const TValue *slot,
                   const TValue *value);
lua_Unsigned tab_getn(Table *t);
int tab_next(lua_State *L, Table *t, StkId key);
/* The same without raising: -1 when key is not in t. */
int tab_next_noerr(Table *t, TValue *key);
size_t tab_size(Table *t);
extern const TValue abstkey_value;
#define isabstkey(v) ((v)->tt == TAG_ABSTKEY)

/* -- func.c: closures, upvalues, prototypes -- */
Proto *func_newproto(lua_State *L);
void func_freeproto(lua_State *L, Proto *f);
LClosure *func_newLclosure(lua_State *L, int nupvals);
CClosure *func_newCclosure(lua_State *L, int nupvals);
void func_initupvals(lua_State *L, LClosure *cl);
UpVal *func_findupval(lua_State *L, StkId level);
void func_closeupval(lua_State *L, StkId level);
StkId func_close(lua_State *L, StkId level, int status);
StkId func_closeyield(lua_State *L, StkId level, int status);
void func_newtbcupval(lua_State *L, StkId obj);
const char *func_getlocalname(const Proto *f, int local_number, int pc);
#define sizeLclosure(n) (sizeof(LClosure) + sizeof(UpVal *) * (size_t)(n))
#define sizeCclosure(n) (sizeof(CClosure) + sizeof(TValue) * (size_t)(n))

/* -- do.c: stack, calls, errors -- */
typedef void (*Pfunc)(lua_State *L, void *ud);
void do_growstack(lua_State *L, int n);
void do_reallocstack(lua_State *L, int newsize);
void do_shrinkstack(lua_State *L);
_Noreturn void do_throw(lua_State *L, int errcode);
int do_rawrunprotected(lua_State *L, Pfunc f, void *ud);
int do_pcall(lua_State *L, Pfunc func, void *u, ptrdiff_t oldtop, ptrdiff_t ef);
void do_call(lua_State *L, StkId func, int nresults);
void do_callnoyield(lua_State *L, StkId func, int nresults);
CallInfo *do_precall(lua_State *L, StkId func, int nresults);
int do_pretailcall(lua_State *L, CallInfo *ci, StkId func, int narg1, int delta);
void do_poscall(lua_State *L, CallInfo *ci, int nres);
void do_seterrorobj(lua_State *L, int errcode, StkId oldtop);
int do_protectedparser(lua_State *L, lua_Reader reader, void *data, const char *name,
                       const char *mode);
CallInfo *do_extendci(lua_State *L);
void do_freeci(lua_State *L);
StkId do_tryfuncTM(lua_State *L, StkId func);
void do_checkcstack(lua_State *L);
lua_State *do_newthread(lua_State *L);
void do_freethread(lua_State *L, lua_State *L1);
void do_inithread(lua_State *L);
#define next_ci(L) ((L)->ci->next ? (L)->ci->next : do_extendci(L))

/* -- vm.c: interpreter and operations with metamethods -- */
void vm_execute(lua_State *L, CallInfo *ci);
/* Free a prototype's quickening caches (func_freeproto). */
void vm_qfree(lua_State *L, Proto *p);
/* Print the -istats report to stderr (lua_close). */
void vm_qreport(lua_State *L);
/* Free the -istats counters, once no Lua code can run (lua_close). */
void vm_qfreestats(lua_State *L);
void vm_finishop(lua_State *L);
bool vm_equalobj(lua_State *L, const TValue *t1, const TValue *t2);
bool vm_lessthan(lua_State *L, const TValue *l, const TValue *r);
bool vm_lessequal(lua_State *L, const TValue *l, const TValue *r);
void vm_gettable(lua_State *L, const TValue *t, TValue *key, StkId val);
void vm_settable(lua_State *L, const TValue *t, TValue *key, TValue *val);
void vm_finishget(lua_State *L, const TValue *t, TValue *key, StkId val, const TValue *slot);
void vm_finishset(lua_State *L, const TValue *t, TValue *key, TValue *val, const TValue *slot);
bool vm_rawequalobj(const TValue *t1, const TValue *t2);
void vm_concat(lua_State *L, int total);
void vm_objlen(lua_State *L, StkId ra, const TValue *rb);
void vm_arith(lua_State *L, int op, const TValue *p1, const TValue *p2, StkId res);
bool vm_tonumber(const TValue *obj, lua_Number *n);
bool vm_tointeger(const TValue *obj, lua_Integer *p, int mode);
lua_Integer vm_idiv(lua_State *L, lua_Integer m, lua_Integer n);
lua_Integer vm_mod(lua_State *L, lua_Integer m, lua_Integer n);
lua_Number vm_modf(lua_State *L, lua_Number m, lua_Number n);
lua_Integer vm_shiftl(lua_Integer x, lua_Integer y);
const TValue *tm_gettmbyobj(lua_State *L, const TValue *o, TMS event);
const TValue *tm_fasttm(lua_State *L, Table *mt, TMS event);
void tm_init(lua_State *L);
const char *tm_objtypename(lua_State *L, const TValue *o);
void tm_callTMres(lua_State *L, const TValue *f, const TValue *p1, const TValue *p2,
                  StkId res);
void tm_callTM(lua_State *L, const TValue *f, const TValue *p1, const TValue *p2,
               const TValue *p3);
void tm_trybinTM(lua_State *L, const TValue *p1, const TValue *p2, StkId res, TMS event);
bool tm_callorderTM(lua_State *L, const TValue *p1, const TValue *p2, TMS event);
extern const char *const tm_typenames[LUA_NUMTYPES + 2];
#define ttypename(x) tm_typenames[(x) + 1]
#define fasttm(L, et, e) \
  ((et) == NULL ? NULL : ((et)->flags & (1u << (e))) ? NULL : tm_fasttm(L, et, e))

/* -- debug.c: error messages with variable names, tracebacks -- */
_Noreturn void dbg_runerror(lua_State *L, const char *fmt, ...);
_Noreturn void dbg_typeerror(lua_State *L, const TValue *o, const char *opname);
_Noreturn void dbg_callerror(lua_State *L, const TValue *o);
_Noreturn void dbg_forerror(lua_State *L, const TValue *o, const char *what);
_Noreturn void dbg_concaterror(lua_State *L, const TValue *p1, const TValue *p2);
_Noreturn void dbg_opinterror(lua_State *L, const TValue *p1, const TValue *p2,
                              const char *msg);
_Noreturn void dbg_tointerror(lua_State *L, const TValue *p1, const TValue *p2);
_Noreturn void dbg_ordererror(lua_State *L, const TValue *p1, const TValue *p2);
_Noreturn void dbg_errormsg(lua_State *L);
const char *dbg_addinfo(lua_State *L, const char *msg, TString *src, int line);
int dbg_currentline(CallInfo *ci);
int dbg_getfuncline(const Proto *p, int pc);
const char *dbg_funcname(lua_State *L, CallInfo *ci, const char **name);
const char *dbg_getlocal(lua_State *L, CallInfo *ci, int n, StkId *pos);
void dbg_hook(lua_State *L, int event, int line, int ftransfer, int ntransfer);
void dbg_hookcall(lua_State *L, CallInfo *ci);
void dbg_rethook(lua_State *L, CallInfo *ci, int nres);
void dbg_traceexec(lua_State *L, const Instruction *pc);
void dbg_inithooks(lua_State *L1, lua_State *from);
/* Does instruction i read L->top (set by the instruction before it)? */
#define dbg_usestop(i)                                                        \
  ((GET_OPCODE(i) == OP_CALL || GET_OPCODE(i) == OP_TAILCALL ||                \
    GET_OPCODE(i) == OP_RETURN || GET_OPCODE(i) == OP_SETLIST) && GETARG_B(i) == 0)
#define ci_func(ci) (clLvalue((ci)->func))

/* -- coro.c: coroutines (resume runs them on the resumer's C stack) -- */
int coro_state(lua_State *L);
/* Can L yield here?  Not the main thread, not inside a non-yieldable call. */
#define coro_yieldable(L) ((L)->nny == 0 && (L) != G(L)->mainthread)

/* -- lex.c / parse.c -- */
typedef struct ZIO ZIO;
int parse_protected(lua_State *L, ZIO *z, const char *name, const char *mode);

/* -- baselib.c -- */
int base_openlibs_core(lua_State *L);

#define cast_num(i) ((lua_Number)(i))
#define cast_int(i) ((int)(i))
#define l_castS2U(i) ((lua_Unsigned)(i))
#define l_castU2S(i) ((lua_Integer)(i))
#define intop(op, v1, v2) l_castU2S(l_castS2U(v1) op l_castS2U(v2))
#define l_likely(x) __builtin_expect(((x) != 0), 1)
#define l_unlikely(x) __builtin_expect(((x) != 0), 0)

#endif
