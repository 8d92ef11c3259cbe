/* value.h -- tagged values and heap object layouts of cpjit-lua.
 *
 * This is the one place that fixes the value layout the JIT depends on:
 * a TValue is 16 bytes, an 8-byte payload at offset 0 and a one-byte tag at
 * offset 8.  Trace code reads and writes frame slots (base[i]) directly, so
 * the layout, the tag numbers and the frame convention (base = func + 1) must
 * only change together with the stencils.
 *
 * Tags: the low nibble is the basic Lua type (LUA_T*), bits 4-5 a variant
 * (integer/float, short/long string, Lua/C closure, ...), bit 6 marks values
 * whose payload is a collectable heap object.
 */
#ifndef CPJIT_LUA_VALUE_H
#define CPJIT_LUA_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "luaapi.h"

#define TAG_COLLECTABLE 0x40
#define MAKE_TAG(t, v) ((t) | ((v) << 4))

enum {
  TAG_NIL = MAKE_TAG(LUA_TNIL, 0),
  TAG_EMPTY = MAKE_TAG(LUA_TNIL, 1),   /* empty slot in a table */
  TAG_ABSTKEY = MAKE_TAG(LUA_TNIL, 2), /* result of a lookup that found nothing */
  TAG_FALSE = MAKE_TAG(LUA_TBOOLEAN, 0),
  TAG_TRUE = MAKE_TAG(LUA_TBOOLEAN, 1),
  TAG_LIGHTUD = MAKE_TAG(LUA_TLIGHTUSERDATA, 0),
  TAG_INT = MAKE_TAG(LUA_TNUMBER, 0),
  TAG_FLT = MAKE_TAG(LUA_TNUMBER, 1),
  TAG_LCF = MAKE_TAG(LUA_TFUNCTION, 2), /* light C function (no upvalues) */
  TAG_SHRSTR = MAKE_TAG(LUA_TSTRING, 0) | TAG_COLLECTABLE,
  TAG_LNGSTR = MAKE_TAG(LUA_TSTRING, 1) | TAG_COLLECTABLE,
  TAG_TABLE = MAKE_TAG(LUA_TTABLE, 0) | TAG_COLLECTABLE,
  TAG_LCL = MAKE_TAG(LUA_TFUNCTION, 0) | TAG_COLLECTABLE,
  TAG_CCL = MAKE_TAG(LUA_TFUNCTION, 1) | TAG_COLLECTABLE,
  TAG_UDATA = MAKE_TAG(LUA_TUSERDATA, 0) | TAG_COLLECTABLE,
  TAG_THREAD = MAKE_TAG(LUA_TTHREAD, 0) | TAG_COLLECTABLE,
  /* heap-only object kinds, never stored in a TValue */
  TAG_PROTO = MAKE_TAG(9, 0) | TAG_COLLECTABLE,
  TAG_UPVAL = MAKE_TAG(10, 0) | TAG_COLLECTABLE,
  /* key of a table node whose key object was collected (weak tables):
   * never equal to any live key, never marked */
  TAG_DEADKEY = MAKE_TAG(11, 0)
};

typedef struct GCObject GCObject;

typedef union Value {
  GCObject *gc;
  void *p;
  lua_CFunction f;
  lua_Integer i;
  lua_Number n;
  int b;
} Value;

typedef struct TValue {
  Value v;
  uint8_t tt;
} TValue;

_Static_assert(sizeof(TValue) == 16, "TValue must be 16 bytes");
_Static_assert(offsetof(TValue, v) == 0, "payload at offset 0");
_Static_assert(offsetof(TValue, tt) == 8, "tag at offset 8");

typedef TValue *StkId;

#define GC_HEADER \
  GCObject *next; \
  uint8_t tt;     \
  uint8_t marked

struct GCObject {
  GC_HEADER;
};

/* -- Tag tests -- */
#define ttype(o) ((o)->tt & 0x0f)
#define ttisnil(o) (ttype(o) == LUA_TNIL)
#define ttisstrictnil(o) ((o)->tt == TAG_NIL)
#define ttisfalse(o) ((o)->tt == TAG_FALSE)
#define l_isfalse(o) ((o)->tt == TAG_FALSE || ttisnil(o))
#define ttisboolean(o) (ttype(o) == LUA_TBOOLEAN)
#define ttisinteger(o) ((o)->tt == TAG_INT)
#define ttisfloat(o) ((o)->tt == TAG_FLT)
#define ttisnumber(o) (ttype(o) == LUA_TNUMBER)
#define ttisstring(o) (ttype(o) == LUA_TSTRING)
#define ttisshrstring(o) ((o)->tt == TAG_SHRSTR)
#define ttistable(o) ((o)->tt == TAG_TABLE)
#define ttisfunction(o) (ttype(o) == LUA_TFUNCTION)
#define ttisLclosure(o) ((o)->tt == TAG_LCL)
#define ttisCclosure(o) ((o)->tt == TAG_CCL)
#define ttislcf(o) ((o)->tt == TAG_LCF)
#define ttisfulluserdata(o) ((o)->tt == TAG_UDATA)
#define ttisthread(o) ((o)->tt == TAG_THREAD)
#define iscollectable(o) ((o)->tt & TAG_COLLECTABLE)

/* -- Payload access -- */
#define ivalue(o) ((o)->v.i)
#define fltvalue(o) ((o)->v.n)
#define nvalue(o) (ttisinteger(o) ? (lua_Number)ivalue(o) : fltvalue(o))
#define gcvalue(o) ((o)->v.gc)
#define pvalue(o) ((o)->v.p)
#define fvalue(o) ((o)->v.f)
#define tsvalue(o) ((TString *)(o)->v.gc)
#define hvalue(o) ((Table *)(o)->v.gc)
#define clLvalue(o) ((LClosure *)(o)->v.gc)
#define clCvalue(o) ((CClosure *)(o)->v.gc)
#define uvalue(o) ((Udata *)(o)->v.gc)
#define thvalue(o) ((lua_State *)(o)->v.gc)

/* -- Setters.  Always copy field by field: table nodes keep key data in the
 * padding after the tag, so a 16-byte struct copy would clobber it. -- */
#define setobj(d, s)                \
  do {                              \
    TValue *d_ = (d);               \
    const TValue *s_ = (s);         \
    d_->v = s_->v;                  \
    d_->tt = s_->tt;                \
  } while (0)
#define setnilvalue(o) ((o)->tt = TAG_NIL)
#define setempty(o) ((o)->tt = TAG_EMPTY)
#define setbfvalue(o) ((o)->tt = TAG_FALSE)
#define setbtvalue(o) ((o)->tt = TAG_TRUE)
#define setbvalue(o, x) ((o)->tt = (x) ? TAG_TRUE : TAG_FALSE)
#define setivalue(o, x) ((o)->v.i = (x), (o)->tt = TAG_INT)
#define setfltvalue(o, x) ((o)->v.n = (x), (o)->tt = TAG_FLT)
#define setpvalue(o, x) ((o)->v.p = (x), (o)->tt = TAG_LIGHTUD)
#define setfvalue(o, x) ((o)->v.f = (x), (o)->tt = TAG_LCF)
#define setgcovalue(o, x, t) ((o)->v.gc = (GCObject *)(x), (o)->tt = (t))
#define setsvalue(o, s) setgcovalue(o, s, (s)->tt)
#define sethvalue(o, h) setgcovalue(o, h, TAG_TABLE)
#define setclLvalue(o, c) setgcovalue(o, c, TAG_LCL)
#define setclCvalue(o, c) setgcovalue(o, c, TAG_CCL)
#define setuvalue(o, u) setgcovalue(o, u, TAG_UDATA)
#define setthvalue(o, t) setgcovalue(o, t, TAG_THREAD)

/* -- Strings -- */
#define SHORT_STR_MAX 40

typedef struct TString {
  GC_HEADER;
  uint8_t extra;  /* short strings: reserved-word index + 1; long: hash computed */
  uint32_t hash;
  size_t len;
  struct TString *hnext; /* chain in the intern table */
  char data[];           /* len bytes followed by a NUL */
} TString;

#define getstr(ts) ((ts)->data)
#define tsslen(ts) ((ts)->len)
#define svalue(o) getstr(tsvalue(o))
#define vslen(o) (tsvalue(o)->len)

/* -- Tables -- */
/* A node keeps its value as a TValue prefix and packs the key's tag and the
 * collision link into the value's padding; see setobj above. */
typedef union Node {
  struct NodeKey {
    Value value_;
    uint8_t tt_;
    uint8_t key_tt;
    int32_t next; /* offset to the next node of the chain */
    Value key_val;
  } u;
  TValue i_val;
} Node;

_Static_assert(sizeof(Node) == 24, "Node layout");

#define gval(n) (&(n)->i_val)
#define gnext(n) ((n)->u.next)
#define keytt(n) ((n)->u.key_tt)
#define keyisnil(n) (keytt(n) == TAG_NIL)
#define keyval(n) ((n)->u.key_val)
#define getnodekey(obj, node) ((obj)->v = (node)->u.key_val, (obj)->tt = (node)->u.key_tt)

typedef struct Table {
  GC_HEADER;
  uint8_t flags;     /* bit i set: metamethod i is known to be absent */
  uint8_t lsizenode; /* log2 of the hash part size */
  uint32_t asize;    /* array part size */
  TValue *array;
  Node *node;
  Node *lastfree;
  struct Table *metatable;
  GCObject *gclist;
} Table;

#define sizenode(t) (1u << (t)->lsizenode)

/* -- Userdata -- */
typedef struct Udata {
  GC_HEADER;
  uint16_t nuvalue;
  size_t len;
  struct Table *metatable;
  GCObject *gclist;
  TValue uv[]; /* user values, then the (aligned) memory block */
} Udata;

#define udatamem(u) ((char *)(u) + sizeof(Udata) + sizeof(TValue) * (u)->nuvalue)

/* -- Functions -- */
typedef uint32_t Instruction;

typedef struct Upvaldesc {
  struct TString *name;
  uint8_t instack; /* captured from the enclosing function's registers? */
  uint8_t idx;     /* register or upvalue index in the enclosing function */
  uint8_t kind;    /* VDKREG, RDKCONST, RDKTOCLOSE */
} Upvaldesc;

typedef struct LocVar {
  struct TString *varname;
  int startpc; /* first pc where the variable is active */
  int endpc;   /* first pc where it is dead */
} LocVar;

typedef struct Proto {
  GC_HEADER;
  uint8_t numparams;
  uint8_t is_vararg;
  uint8_t maxstacksize;
  int sizeupvalues, sizek, sizecode, sizelineinfo, sizep, sizelocvars;
  int linedefined, lastlinedefined;
  TValue *k;
  Instruction *code;
  struct Proto **p;
  Upvaldesc *upvalues;
  int *lineinfo; /* absolute source line of each instruction */
  LocVar *locvars;
  TString *source;
  GCObject *gclist;
  void *jitdata; /* reserved for the trace JIT (hot counters, traces) */
  struct QCache *qc; /* quickening caches, one per instruction (vm.c), or NULL */
  uintptr_t qbias;   /* qc - 3 * code - 12 (vm.c: entry of an instruction from its pc), 0 without qc */
  int32_t hotcall;   /* calls left before the JIT looks at the function (vm.c, trace.c jit_call) */
} Proto;

typedef struct UpVal {
  GC_HEADER;
  uint8_t tbc; /* unused; keeps the header compact */
  TValue *v;   /* points into the stack (open) or to 'value' (closed) */
  union {
    struct {
      struct UpVal *next; /* open upvalues of a thread, sorted by level */
    } open;
    TValue value;
  } u;
} UpVal;

#define upisopen(up) ((up)->v != &(up)->u.value)

typedef struct CClosure {
  GC_HEADER;
  uint8_t nupvalues;
  GCObject *gclist;
  lua_CFunction f;
  TValue upvalue[];
} CClosure;

typedef struct LClosure {
  GC_HEADER;
  uint8_t nupvalues;
  GCObject *gclist;
  struct Proto *p;
  UpVal *upvals[];
} LClosure;

#endif
