/* parse.h -- shared state of the one-pass compiler (parse.c: syntax and
 * scopes, code.c: expression descriptors and instruction emission).
 *
 * An expdesc describes an expression whose code is not yet (fully) emitted:
 * a constant, a register, an indexed location, a pending jump, or an
 * instruction whose destination register is still open (VRELOC).  The
 * parser hands these to code.c, which emits instructions as late as
 * possible so that, e.g., 'x = t.k' loads straight into x's register.
 * Jump lists are chained through the sJ field of JMP instructions.
 */
#ifndef CPJIT_LUA_PARSE_H
#define CPJIT_LUA_PARSE_H

#include "lex.h"

#define NO_JUMP (-1)
#define NO_REG MAXARG_A

typedef enum {
  VVOID,     /* empty expression list / no value */
  VNIL, VTRUE, VFALSE,
  VK,        /* constant; info = index in k */
  VKFLT,     /* float constant; nval */
  VKINT,     /* integer constant; ival */
  VKSTR,     /* string constant; strval */
  VNONRELOC, /* value in a fixed register; info */
  VLOCAL,    /* local variable; var.ridx register, var.vidx index in actvar */
  VUPVAL,    /* upvalue; info */
  VCONST,    /* compile-time constant; info = absolute index in actvar */
  VINDEXED,  /* t[k]: ind.t register, ind.idx register */
  VINDEXUP,  /* upvalue[k]: ind.t upvalue, ind.idx string constant */
  VINDEXI,   /* t[i]: ind.t register, ind.idx small integer */
  VINDEXSTR, /* t.name: ind.t register, ind.idx string constant */
  VJMP,      /* comparison/test; info = pc of its jump */
  VRELOC,    /* instruction at info still needs its destination register */
  VCALL,     /* call; info = pc */
  VVARARG    /* vararg expression; info = pc */
} expkind;

#define vkisvar(k) (VLOCAL <= (k) && (k) <= VINDEXSTR)
#define vkisindexed(k) (VINDEXED <= (k) && (k) <= VINDEXSTR)

typedef struct expdesc {
  expkind k;
  union {
    lua_Integer ival;
    lua_Number nval;
    TString *strval;
    int info;
    struct {
      short idx;
      uint8_t t;
    } ind;
    struct {
      uint8_t ridx;
      unsigned short vidx;
    } var;
  } u;
  int t; /* patch list of 'exit when true' */
  int f; /* patch list of 'exit when false' */
} expdesc;

/* variable kinds */
#define VDKREG 0     /* regular */
#define RDKCONST 1   /* <const> held in a register */
#define RDKTOCLOSE 2 /* <close> */
#define RDKCTC 3     /* compile-time constant (no register) */

typedef struct Vardesc {
  TValue k; /* value of a compile-time constant */
  uint8_t kind;
  uint8_t ridx;  /* register */
  short pidx;    /* index in Proto.locvars */
  TString *name;
} Vardesc;

typedef struct Labeldesc {
  TString *name;
  int pc;
  int line;
  uint8_t nactvar;
  uint8_t close;
} Labeldesc;

typedef struct Labellist {
  Labeldesc *arr;
  int n, size;
} Labellist;

typedef struct Dyndata {
  struct {
    Vardesc *arr;
    int n, size;
  } actvar;
  Labellist gt;
  Labellist label;
} Dyndata;

struct BlockCnt;

typedef struct FuncState {
  Proto *f;
  struct FuncState *prev;
  LexState *ls;
  struct BlockCnt *bl;
  Table *kcache; /* constant -> index in f->k */
  int pc;
  int lasttarget; /* pc of the last jump target */
  int nk, np;
  int firstlocal, firstlabel;
  short ndebugvars;
  uint8_t nactvar;
  uint8_t nups;
  uint8_t freereg;
  uint8_t needclose;
} FuncState;

typedef enum BinOpr {
  OPR_ADD, OPR_SUB, OPR_MUL, OPR_MOD, OPR_POW, OPR_DIV, OPR_IDIV,
  OPR_BAND, OPR_BOR, OPR_BXOR, OPR_SHL, OPR_SHR,
  OPR_CONCAT,
  OPR_EQ, OPR_LT, OPR_LE, OPR_NE, OPR_GT, OPR_GE,
  OPR_AND, OPR_OR,
  OPR_NOBINOPR
} BinOpr;

typedef enum UnOpr { OPR_MINUS, OPR_BNOT, OPR_NOT, OPR_LEN, OPR_NOUNOPR } UnOpr;

#define LFIELDS_PER_FLUSH 50
#define getinstr(fs, e) ((fs)->f->code[(e)->u.info])

/* code.c */
int code_code(FuncState *fs, Instruction i);
int code_ABC(FuncState *fs, OpCode o, int a, int b, int c);
int code_ABx(FuncState *fs, OpCode o, int a, int bx);
int code_jump(FuncState *fs);
void code_ret(FuncState *fs, int first, int nret);
void code_nil(FuncState *fs, int from, int n);
void code_int(FuncState *fs, int reg, lua_Integer i);
void code_reserveregs(FuncState *fs, int n);
void code_checkstack(FuncState *fs, int n);
void code_exp2nextreg(FuncState *fs, expdesc *e);
int code_exp2anyreg(FuncState *fs, expdesc *e);
void code_exp2anyregup(FuncState *fs, expdesc *e);
void code_exp2val(FuncState *fs, expdesc *e);
void code_dischargevars(FuncState *fs, expdesc *e);
void code_self(FuncState *fs, expdesc *e, expdesc *key);
void code_indexed(FuncState *fs, expdesc *t, expdesc *k);
void code_goiftrue(FuncState *fs, expdesc *e);
void code_goiffalse(FuncState *fs, expdesc *e);
void code_storevar(FuncState *fs, expdesc *var, expdesc *e);
void code_setreturns(FuncState *fs, expdesc *e, int nresults);
void code_setoneret(FuncState *fs, expdesc *e);
void code_patchlist(FuncState *fs, int list, int target);
void code_patchtohere(FuncState *fs, int list);
void code_concat(FuncState *fs, int *l1, int l2);
int code_getlabel(FuncState *fs);
void code_prefix(FuncState *fs, UnOpr op, expdesc *v, int line);
void code_infix(FuncState *fs, BinOpr op, expdesc *v);
void code_posfix(FuncState *fs, BinOpr op, expdesc *v1, expdesc *v2, int line);
void code_settablesize(FuncState *fs, int pc, int ra, int asize, int hsize);
void code_setlist(FuncState *fs, int base, int nelems, int tostore);
void code_fixline(FuncState *fs, int line);
int code_stringK(FuncState *fs, TString *s);
int code_exp2const(FuncState *fs, const expdesc *e, TValue *v);
void code_finish(FuncState *fs);
void code_freeexp(FuncState *fs, expdesc *e);
_Noreturn void code_semerror(LexState *ls, const char *msg);

#define code_setmultret(fs, e) code_setreturns(fs, e, LUA_MULTRET)
#define code_jumpto(fs, t) code_patchlist(fs, code_jump(fs), t)

/* parse.c, used by code.c */
int parse_nvarstack(FuncState *fs);
Vardesc *parse_getlocalvardesc(FuncState *fs, int vidx);

#endif
