/* undump.c -- binary chunks: reading and verifying them (load, loadfile).
 *
 * The interpreter and the trace JIT trust bytecode: a register, constant,
 * upvalue or prototype index out of range, a jump out of the function or a
 * conditional without its JMP would read or write outside the frame.  So a
 * loaded chunk is checked as strictly as the parser's output is built:
 *
 *  - every register an instruction reads or writes (including the ranges of
 *    CALL, RETURN, VARARG, CONCAT, LOADNIL, SETLIST and the for loops) lies
 *    below maxstacksize (at most MAXREGS);
 *  - constants are in range and of the type the instruction assumes (short
 *    strings for field names, numbers for arithmetic);
 *  - jumps land inside the function; a test is followed by a JMP;
 *    LOADKX and SETLIST by EXTRAARG; TFORPREP jumps to a TFORCALL;
 *    LFALSESKIP skips an instruction that exists;
 *  - VARARGPREP is the first instruction exactly of vararg functions; the
 *    last instruction is a return;
 *  - upvalue descriptors refer to registers or upvalues of the enclosing
 *    function; the main closure's upvalue count matches its prototype.
 *
 * Arrays grow while they are read, so a lying size costs memory in
 * proportion to the input actually present, never an up-front allocation
 * of the claimed size.  The collector is stopped while a chunk loads
 * (parse_protected); a failed load leaves only unreachable objects.
 */
#include "core.h"
#include "dump.h"
#include "lex.h"

#define MAXNESTING 200

typedef struct LoadState {
  lua_State *L;
  ZIO *Z;
  const char *name;
  int depth;
} LoadState;

static _Noreturn void error(LoadState *S, const char *why) {
  obj_pushfstring(S->L, "%s: bad binary format (%s)", S->name, why);
  do_throw(S->L, LUA_ERRSYNTAX);
}

/* -- Primitive reads -- */

static void loadblock(LoadState *S, void *b, size_t size) {
  char *dst = (char *)b;
  while (size > 0) {
    if (S->Z->n == 0) {
      int c = zio_fill(S->Z);
      if (c == EOZ) error(S, "truncated chunk");
      S->Z->n++; /* give the byte back */
      S->Z->p--;
    }
    size_t m = S->Z->n < size ? S->Z->n : size;
    memcpy(dst, S->Z->p, m);
    S->Z->n -= m;
    S->Z->p += m;
    dst += m;
    size -= m;
  }
}

#define loadvar(S, x) loadblock(S, &(x), sizeof(x))

static int loadbyte(LoadState *S) {
  int b = zgetc(S->Z);
  if (b == EOZ) error(S, "truncated chunk");
  return b;
}

static size_t loadunsigned(LoadState *S, size_t limit) {
  size_t x = 0;
  int b;
  limit >>= 7;
  do {
    b = loadbyte(S);
    if (x >= limit) error(S, "integer overflow");
    x = (x << 7) | (size_t)(b & 0x7f);
  } while ((b & 0x80) == 0);
  return x;
}

static int loadint(LoadState *S) { return (int)loadunsigned(S, (size_t)INT32_MAX); }

/* A string, or NULL; long strings are read in pieces through a buffer so
 * that a lying length cannot allocate more than the input holds. */
static TString *loadstringN(LoadState *S) {
  lua_State *L = S->L;
  size_t size = loadunsigned(S, (size_t)INT64_MAX / 2);
  if (size == 0) return NULL;
  size--;
  if (size <= SHORT_STR_MAX) {
    char buff[SHORT_STR_MAX];
    loadblock(S, buff, size);
    return str_newlstr(L, buff, size);
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (size > 0) {
    size_t m = size < 4096 ? size : 4096;
    char *p = luaL_prepbuffsize(&b, m);
    loadblock(S, p, m);
    luaL_addsize(&b, m);
    size -= m;
  }
  luaL_pushresult(&b);
  TString *ts = tsvalue(L->top - 1);
  L->top--; /* kept alive by the stopped collector until stored */
  return ts;
}

/* Make room for element i of an array whose final size is n: the array
 * doubles as elements arrive, new slots zeroed (nil, NULL). */
static void *growarray(LoadState *S, void *block, int *size, int i, int n, size_t esz) {
  if (i < *size) return block;
  int newsize = *size < 8 ? 8 : *size * 2;
  if (newsize > n) newsize = n;
  block = mem_realloc(S->L, block, (size_t)*size * esz, (size_t)newsize * esz);
  memset((char *)block + (size_t)*size * esz, 0, (size_t)(newsize - *size) * esz);
  *size = newsize;
  return block;
}

/* -- Prototype parts -- */

static void loadfunction(LoadState *S, Proto *f, TString *psource);

static void loadcode(LoadState *S, Proto *f) {
  int n = loadint(S);
  if (n == 0) error(S, "empty function");
  for (int i = 0; i < n; i++) {
    f->code = growarray(S, f->code, &f->sizecode, i, n, sizeof(Instruction));
    loadvar(S, f->code[i]);
  }
}

static void loadconstants(LoadState *S, Proto *f) {
  int n = loadint(S);
  for (int i = 0; i < n; i++) {
    f->k = growarray(S, f->k, &f->sizek, i, n, sizeof(TValue));
    TValue *o = &f->k[i];
    int t = loadbyte(S);
    switch (t) {
      case TAG_NIL: setnilvalue(o); break;
      case TAG_FALSE: setbfvalue(o); break;
      case TAG_TRUE: setbtvalue(o); break;
      case TAG_INT: {
        lua_Integer x;
        loadvar(S, x);
        setivalue(o, x);
        break;
      }
      case TAG_FLT: {
        lua_Number x;
        loadvar(S, x);
        setfltvalue(o, x);
        break;
      }
      case TAG_SHRSTR:
      case TAG_LNGSTR: {
        TString *ts = loadstringN(S);
        if (ts == NULL) error(S, "bad constant");
        setsvalue(o, ts);
        break;
      }
      default:
        error(S, "bad constant");
    }
  }
}

static void loadupvalues(LoadState *S, Proto *f) {
  int n = loadint(S);
  if (n > 255) error(S, "too many upvalues");
  for (int i = 0; i < n; i++) {
    f->upvalues = growarray(S, f->upvalues, &f->sizeupvalues, i, n, sizeof(Upvaldesc));
    f->upvalues[i].instack = (uint8_t)loadbyte(S);
    f->upvalues[i].idx = (uint8_t)loadbyte(S);
    f->upvalues[i].kind = (uint8_t)loadbyte(S);
    if (f->upvalues[i].instack > 1 || f->upvalues[i].kind > 3) error(S, "bad upvalue");
  }
}

static void loadprotos(LoadState *S, Proto *f) {
  int n = loadint(S);
  if (n > MAXARG_Bx + 1) error(S, "too many functions");
  for (int i = 0; i < n; i++) {
    f->p = growarray(S, f->p, &f->sizep, i, n, sizeof(Proto *));
    f->p[i] = func_newproto(S->L);
    loadfunction(S, f->p[i], f->source);
  }
}

static void loaddebug(LoadState *S, Proto *f) {
  int n = loadint(S);
  if (n != 0 && n != f->sizecode) error(S, "bad line information");
  for (int i = 0; i < n; i++) {
    f->lineinfo = growarray(S, f->lineinfo, &f->sizelineinfo, i, n, sizeof(int));
    f->lineinfo[i] = loadint(S);
  }
  n = loadint(S);
  for (int i = 0; i < n; i++) {
    f->locvars = growarray(S, f->locvars, &f->sizelocvars, i, n, sizeof(LocVar));
    f->locvars[i].varname = loadstringN(S);
    if (f->locvars[i].varname == NULL) error(S, "bad local variable");
    f->locvars[i].startpc = loadint(S);
    f->locvars[i].endpc = loadint(S);
  }
  n = loadint(S);
  if (n != 0 && n != f->sizeupvalues) error(S, "bad upvalue names");
  for (int i = 0; i < n; i++) f->upvalues[i].name = loadstringN(S);
}

/* -- Verification of one prototype's code -- */

static bool isreturn(OpCode op) {
  return op == OP_RETURN || op == OP_RETURN0 || op == OP_RETURN1;
}

static bool istest(OpCode op) {
  switch (op) {
    case OP_EQ: case OP_LT: case OP_LE: case OP_EQK: case OP_EQI: case OP_LTI:
    case OP_LEI: case OP_GTI: case OP_GEI: case OP_TEST: case OP_TESTSET:
      return true;
    default:
      return false;
  }
}

typedef struct Verify {
  LoadState *S;
  const Proto *f;
} Verify;

static void reg(Verify *V, int r) {
  if (r < 0 || r >= V->f->maxstacksize) error(V->S, "register out of range");
}

/* registers first .. first + n - 1 (n may be 0) */
static void regs(Verify *V, int first, int n) {
  if (n > 0) reg(V, first + n - 1);
  reg(V, first);
}

static const TValue *kst(Verify *V, int k) {
  if (k < 0 || k >= V->f->sizek) error(V->S, "constant out of range");
  return &V->f->k[k];
}

static void kstr(Verify *V, int k) {
  if (!ttisshrstring(kst(V, k))) error(V->S, "bad field name constant");
}

static void knum(Verify *V, int k) {
  if (!ttisnumber(kst(V, k))) error(V->S, "bad arithmetic constant");
}

static void upv(Verify *V, int u) {
  if (u < 0 || u >= V->f->sizeupvalues) error(V->S, "upvalue out of range");
}

static void target(Verify *V, int pc) {
  if (pc < 0 || pc >= V->f->sizecode) error(V->S, "jump out of range");
}

static OpCode opat(Verify *V, int pc) {
  target(V, pc);
  return GET_OPCODE(V->f->code[pc]);
}

static void verifycode(LoadState *S, const Proto *f) {
  Verify V = {S, f};
  Verify *v = &V;
  int n = f->sizecode;
  if (f->maxstacksize > MAXREGS || f->numparams > f->maxstacksize || f->is_vararg > 1 ||
      f->maxstacksize < 2)
    error(S, "bad function header");
  if (!isreturn(GET_OPCODE(f->code[n - 1]))) error(S, "function does not end in a return");
  if (f->is_vararg && GET_OPCODE(f->code[0]) != OP_VARARGPREP)
    error(S, "vararg function without VARARGPREP");
  for (int pc = 0; pc < n; pc++) {
    Instruction i = f->code[pc];
    OpCode op = GET_OPCODE(i);
    int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
    if ((unsigned)GET_RAWOP(i) >= NUM_OPCODES) error(S, "bad opcode"); /* no quickened forms */
    if (istest(op) && opat(v, pc + 1) != OP_JMP) error(S, "test without a jump");
    switch (op) {
      case OP_MOVE: reg(v, a); reg(v, b); break;
      case OP_LOADI: case OP_LOADF: case OP_LOADFALSE: case OP_LOADTRUE:
        reg(v, a);
        break;
      case OP_LFALSESKIP:
        reg(v, a);
        target(v, pc + 2);
        break;
      case OP_LOADK: reg(v, a); kst(v, GETARG_Bx(i)); break;
      case OP_LOADKX:
        reg(v, a);
        if (opat(v, pc + 1) != OP_EXTRAARG) error(S, "LOADKX without EXTRAARG");
        kst(v, GETARG_Ax(f->code[pc + 1]));
        target(v, pc + 2);
        pc++;
        break;
      case OP_LOADNIL: regs(v, a, b + 1); break;
      case OP_GETUPVAL: case OP_SETUPVAL: reg(v, a); upv(v, b); break;
      case OP_GETTABUP: reg(v, a); upv(v, b); kstr(v, c); break;
      case OP_GETTABLE: reg(v, a); reg(v, b); reg(v, c); break;
      case OP_GETI: reg(v, a); reg(v, b); break;
      case OP_GETFIELD: reg(v, a); reg(v, b); kstr(v, c); break;
      case OP_SETTABUP: upv(v, a); kstr(v, b); reg(v, c); break;
      case OP_SETTABLE: reg(v, a); reg(v, b); reg(v, c); break;
      case OP_SETI: reg(v, a); reg(v, c); break;
      case OP_SETFIELD: reg(v, a); kstr(v, b); reg(v, c); break;
      case OP_NEWTABLE:
        reg(v, a);
        /* sizes 2^(n-128) for n >= 128; 2^24 is beyond any constructor a parser takes */
        if ((b >= 128 && b - 128 > 24) || (c >= 128 && c - 128 > 24)) error(S, "table too big");
        break;
      case OP_SELF: regs(v, a, 2); reg(v, b); kstr(v, c); break;
      case OP_ADDI: case OP_SUBI: case OP_UNM: case OP_BNOT: case OP_NOT: case OP_LEN:
        reg(v, a);
        reg(v, b);
        break;
      case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK: case OP_DIVK:
      case OP_IDIVK: case OP_BANDK: case OP_BORK: case OP_BXORK: case OP_SHLK: case OP_SHRK:
      case OP_ADDKL: case OP_MULKL:
        reg(v, a);
        reg(v, b);
        knum(v, c);
        break;
      case OP_ADD: case OP_SUB: case OP_MUL: case OP_MOD: case OP_POW: case OP_DIV:
      case OP_IDIV: case OP_BAND: case OP_BOR: case OP_BXOR: case OP_SHL: case OP_SHR:
        reg(v, a);
        reg(v, b);
        reg(v, c);
        break;
      case OP_CONCAT:
        if (b < 2) error(S, "bad CONCAT");
        regs(v, a, b);
        break;
      case OP_CLOSE: case OP_TBC: reg(v, a); break;
      case OP_JMP: target(v, pc + 1 + GETARG_sJ(i)); break;
      case OP_EQ: case OP_LT: case OP_LE: case OP_TESTSET: reg(v, a); reg(v, b); break;
      case OP_EQK: reg(v, a); kst(v, b); break;
      case OP_EQI: case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI: case OP_TEST:
        reg(v, a);
        break;
      case OP_CALL:
        reg(v, a);
        if (b > 0) regs(v, a, b);
        if (c > 1) regs(v, a, c - 1);
        break;
      case OP_TAILCALL:
        reg(v, a);
        if (b > 0) regs(v, a, b);
        break;
      case OP_RETURN:
        reg(v, a);
        if (b > 1) regs(v, a, b - 1);
        break;
      /* their slow path is RETURN's, which reads B */
      case OP_RETURN0: if (b != 1) error(S, "bad RETURN0"); break;
      case OP_RETURN1: if (b != 2) error(S, "bad RETURN1"); reg(v, a); break;
      case OP_FORLOOP:
        regs(v, a, 4);
        target(v, pc + 1 - GETARG_Bx(i));
        break;
      case OP_FORPREP:
        regs(v, a, 4);
        target(v, pc + 2 + GETARG_Bx(i)); /* past the FORLOOP */
        break;
      case OP_TFORPREP:
        regs(v, a, 4);
        if (opat(v, pc + 1 + GETARG_Bx(i)) != OP_TFORCALL) error(S, "TFORPREP without TFORCALL");
        break;
      case OP_TFORCALL:
        regs(v, a, 7);
        if (c > 0) regs(v, a + 4, c);
        target(v, pc + 1);
        break;
      case OP_TFORLOOP:
        regs(v, a, 5);
        target(v, pc + 1 - GETARG_Bx(i));
        break;
      case OP_SETLIST:
        regs(v, a, b + 1);
        if (opat(v, pc + 1) != OP_EXTRAARG) error(S, "SETLIST without EXTRAARG");
        target(v, pc + 2);
        pc++;
        break;
      case OP_CLOSURE:
        reg(v, a);
        if (GETARG_Bx(i) >= f->sizep) error(S, "function index out of range");
        break;
      case OP_VARARG:
        reg(v, a);
        if (c > 1) regs(v, a, c - 1);
        break;
      case OP_VARARGPREP:
        if (pc != 0 || !f->is_vararg) error(S, "misplaced VARARGPREP");
        break;
      case OP_EXTRAARG:
        break;
      default:
        error(S, "bad opcode");
    }
  }
  /* An instruction that takes its operand count from L->top (B == 0) must
   * directly follow one that sets it (CALL or VARARG with C == 0) to an
   * end at or above its own registers, and no jump may enter between. */
  size_t ncode = (size_t)(unsigned)n;
  char *target = getstr(str_newlong(S->L, ncode)); /* garbage after the load */
  memset(target, 0, ncode);
  for (int pc = 0; pc < n; pc++) {
    Instruction i = f->code[pc];
    int bx = GETARG_Bx(i);
    switch (GET_OPCODE(i)) {
      case OP_JMP: target[pc + 1 + GETARG_sJ(i)] = 1; break;
      case OP_FORLOOP: case OP_TFORLOOP: target[pc + 1 - bx] = 1; break;
      case OP_FORPREP: target[pc + 2 + bx] = 1; break;
      case OP_TFORPREP: target[pc + 1 + bx] = 1; break;
      case OP_LFALSESKIP: target[pc + 2] = 1; break;
      case OP_LOADKX: case OP_SETLIST: target[pc + 2] = 1; pc++; break;
      default:
        if (istest(GET_OPCODE(i))) target[pc + 2] = 1; /* the JMP is skipped */
        break;
    }
  }
  if (f->is_vararg && target[0]) error(S, "jump to VARARGPREP");
  for (int pc = 0; pc < n; pc++) {
    Instruction i = f->code[pc];
    OpCode op = GET_OPCODE(i);
    if (op == OP_LOADKX || op == OP_SETLIST) {
      if (op == OP_SETLIST && GETARG_B(i) == 0) goto usestop;
      pc++;
      continue;
    }
    if (!((op == OP_CALL || op == OP_TAILCALL || op == OP_RETURN) && GETARG_B(i) == 0))
      continue;
  usestop: {
    Instruction prev = pc > 0 ? f->code[pc - 1] : 0;
    OpCode pop = GET_OPCODE(prev);
    /* 'return f()': TAILCALL (C == 0) then RETURN B == 0 */
    bool open = pc > 0 && (pop == OP_CALL || pop == OP_TAILCALL || pop == OP_VARARG) &&
                GETARG_C(prev) == 0;
    if (!open || target[pc] || (pc >= 2 && GET_OPCODE(f->code[pc - 2]) == OP_LOADKX))
      error(S, "variable operand count without a producer");
    int minA = GETARG_A(i) + (op == OP_RETURN ? 0 : 1);
    if (GETARG_A(prev) < minA) error(S, "variable operand count below its registers");
    if (op == OP_SETLIST) pc++;
  }
  }
  /* nested functions capture registers or upvalues of this one */
  for (int j = 0; j < f->sizep; j++) {
    const Proto *p = f->p[j];
    for (int u = 0; u < p->sizeupvalues; u++) {
      const Upvaldesc *d = &p->upvalues[u];
      if (d->instack ? d->idx >= f->maxstacksize : d->idx >= f->sizeupvalues)
        error(S, "bad upvalue");
    }
  }
}

static void loadfunction(LoadState *S, Proto *f, TString *psource) {
  if (++S->depth > MAXNESTING) error(S, "functions nested too deeply");
  f->source = loadstringN(S);
  if (f->source == NULL) f->source = psource ? psource : str_newliteral(S->L, "=?");
  f->linedefined = loadint(S);
  f->lastlinedefined = loadint(S);
  f->numparams = (uint8_t)loadbyte(S);
  f->is_vararg = (uint8_t)loadbyte(S);
  f->maxstacksize = (uint8_t)loadbyte(S);
  loadcode(S, f);
  loadconstants(S, f);
  loadupvalues(S, f);
  loadprotos(S, f);
  loaddebug(S, f);
  verifycode(S, f);
  S->depth--;
}

/* -- Header -- */

static void checkliteral(LoadState *S, const char *s, const char *msg) {
  char buff[16];
  size_t len = strlen(s);
  loadblock(S, buff, len);
  if (memcmp(s, buff, len) != 0) error(S, msg);
}

static void checksize(LoadState *S, size_t size, const char *tname) {
  if ((size_t)loadbyte(S) != size) {
    char msg[48];
    snprintf(msg, sizeof msg, "%s size mismatch", tname);
    error(S, msg);
  }
}

static void checkheader(LoadState *S) {
  checkliteral(S, &DUMP_SIGNATURE[1], "not a binary chunk"); /* ESC already read */
  if (loadbyte(S) != DUMP_LUA_VERSION) error(S, "version mismatch");
  if (loadbyte(S) != DUMP_FORMAT_ID) error(S, "format mismatch");
  if (loadbyte(S) != DUMP_FORMAT_VERSION) error(S, "format version mismatch");
  if (loadbyte(S) != NUM_OPCODES) error(S, "instruction set mismatch");
  checkliteral(S, DUMP_DATA, "corrupted chunk");
  checksize(S, sizeof(int), "int");
  checksize(S, sizeof(size_t), "size_t");
  checksize(S, sizeof(Instruction), "Instruction");
  checksize(S, sizeof(lua_Integer), "lua_Integer");
  checksize(S, sizeof(lua_Number), "lua_Number");
  lua_Integer ci;
  lua_Number cn;
  loadvar(S, ci);
  if (ci != DUMP_CHECKINT) error(S, "integer format mismatch");
  loadvar(S, cn);
  if (cn != DUMP_CHECKNUM) error(S, "float format mismatch");
}

void undump_chunk(lua_State *L, ZIO *z, const char *name) {
  LoadState S;
  if (*name == '@' || *name == '=') S.name = name + 1;
  else if (*name == DUMP_SIGNATURE[0]) S.name = "binary string";
  else S.name = name;
  S.L = L;
  S.Z = z;
  S.depth = 0;
  checkheader(&S);
  int nup = loadbyte(&S);
  LClosure *cl = func_newLclosure(L, nup);
  setclLvalue(L->top, cl);
  L->top++;
  cl->p = func_newproto(L);
  loadfunction(&S, cl->p, NULL);
  if (cl->p->sizeupvalues != nup) error(&S, "upvalue count mismatch");
}
