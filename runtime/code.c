/* code.c -- code generation for the one-pass compiler.
 *
 * Turns expression descriptors (parse.h) into register-based bytecode.
 * Registers are allocated as a stack: fs->freereg is the first free one and
 * temporaries are freed in reverse order of allocation (freeexps frees the
 * higher one first).  Conditional code is built from jump lists that are
 * patched once their target is known; a TESTSET in a list can be turned
 * into a TEST when no value is needed (removevalues).
 *
 * Test instructions (EQ..TESTSET) skip the following JMP when their
 * condition differs from operand C, so "jump if true" is C = 1.
 */
#include <limits.h>
#include <math.h>

#include "parse.h"

#define hasjumps(e) ((e)->t != (e)->f)

_Noreturn void code_semerror(LexState *ls, const char *msg) {
  ls->t.token = 0; /* remove "near <token>" */
  lex_syntaxerror(ls, msg);
}

/* -- Emission -- */

int code_code(FuncState *fs, Instruction i) {
  Proto *f = fs->f;
  lua_State *L = fs->ls->L;
  f->code = mem_growvector(L, f->code, &f->sizecode, fs->pc, sizeof(Instruction), INT_MAX, "opcodes");
  f->code[fs->pc] = i;
  f->lineinfo = mem_growvector(L, f->lineinfo, &f->sizelineinfo, fs->pc, sizeof(int), INT_MAX, "opcodes");
  f->lineinfo[fs->pc] = fs->ls->lastline;
  return fs->pc++;
}

int code_ABC(FuncState *fs, OpCode o, int a, int b, int c) { return code_code(fs, CREATE_ABC(o, a, b, c)); }

int code_ABx(FuncState *fs, OpCode o, int a, int bx) { return code_code(fs, CREATE_ABx(o, a, bx)); }

void code_fixline(FuncState *fs, int line) { fs->f->lineinfo[fs->pc - 1] = line; }

static Instruction invalid_instruction = ~(Instruction)0;

static Instruction *previousinstruction(FuncState *fs) {
  if (fs->pc > fs->lasttarget) return &fs->f->code[fs->pc - 1];
  return &invalid_instruction;
}

void code_nil(FuncState *fs, int from, int n) {
  int l = from + n - 1;
  Instruction *prev = previousinstruction(fs);
  if (GET_OPCODE(*prev) == OP_LOADNIL && *prev != invalid_instruction) {
    int pfrom = GETARG_A(*prev);
    int pl = pfrom + GETARG_B(*prev);
    if ((pfrom <= from && from <= pl + 1) || (from <= pfrom && pfrom <= l + 1)) {
      if (pfrom < from) from = pfrom;
      if (pl > l) l = pl;
      SETARG_A(*prev, from);
      SETARG_B(*prev, l - from);
      return;
    }
  }
  code_ABC(fs, OP_LOADNIL, from, n - 1, 0);
}

/* -- Jumps -- */

static int getjump(FuncState *fs, int pc) {
  int offset = GETARG_sJ(fs->f->code[pc]);
  if (offset == NO_JUMP) return NO_JUMP;
  return pc + 1 + offset;
}

static void fixjump(FuncState *fs, int pc, int dest) {
  Instruction *jmp = &fs->f->code[pc];
  int offset = dest - (pc + 1);
  if (!(-OFFSET_sJ <= offset && offset <= MAXARG_Ax - OFFSET_sJ))
    lex_syntaxerror(fs->ls, "control structure too long");
  SETARG_sJ(*jmp, offset);
}

void code_concat(FuncState *fs, int *l1, int l2) {
  if (l2 == NO_JUMP) return;
  if (*l1 == NO_JUMP) {
    *l1 = l2;
  } else {
    int list = *l1, nx;
    while ((nx = getjump(fs, list)) != NO_JUMP) list = nx;
    fixjump(fs, list, l2);
  }
}

int code_jump(FuncState *fs) { return code_code(fs, CREATE_Ax(OP_JMP, NO_JUMP + OFFSET_sJ)); }

void code_ret(FuncState *fs, int first, int nret) {
  OpCode op = nret == 0 ? OP_RETURN0 : nret == 1 ? OP_RETURN1 : OP_RETURN;
  code_ABC(fs, op, first, nret + 1, 0);
}

static int condjump(FuncState *fs, OpCode op, int a, int b, int c) {
  code_ABC(fs, op, a, b, c);
  return code_jump(fs);
}

int code_getlabel(FuncState *fs) {
  fs->lasttarget = fs->pc;
  return fs->pc;
}

static bool istestop(OpCode op) { return op >= OP_EQ && op <= OP_TESTSET; }

static Instruction *getjumpcontrol(FuncState *fs, int pc) {
  Instruction *pi = &fs->f->code[pc];
  if (pc >= 1 && istestop(GET_OPCODE(*(pi - 1)))) return pi - 1;
  return pi;
}

static int patchtestreg(FuncState *fs, int node, int reg) {
  Instruction *i = getjumpcontrol(fs, node);
  if (GET_OPCODE(*i) != OP_TESTSET) return 0;
  if (reg != NO_REG && reg != GETARG_B(*i))
    SETARG_A(*i, reg);
  else
    *i = CREATE_ABC(OP_TEST, GETARG_B(*i), 0, GETARG_C(*i));
  return 1;
}

static void removevalues(FuncState *fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list)) patchtestreg(fs, list, NO_REG);
}

static void patchlistaux(FuncState *fs, int list, int vtarget, int reg, int dtarget) {
  while (list != NO_JUMP) {
    int nx = getjump(fs, list);
    if (patchtestreg(fs, list, reg)) fixjump(fs, list, vtarget);
    else fixjump(fs, list, dtarget);
    list = nx;
  }
}

void code_patchlist(FuncState *fs, int list, int target) { patchlistaux(fs, list, target, NO_REG, target); }

void code_patchtohere(FuncState *fs, int list) {
  int hr = code_getlabel(fs);
  code_patchlist(fs, list, hr);
}

/* -- Registers -- */

void code_checkstack(FuncState *fs, int n) {
  int newstack = fs->freereg + n;
  if (newstack > fs->f->maxstacksize) {
    if (newstack >= MAXREGS)
      lex_syntaxerror(fs->ls, "function or expression needs too many registers");
    fs->f->maxstacksize = (uint8_t)newstack;
  }
}

void code_reserveregs(FuncState *fs, int n) {
  code_checkstack(fs, n);
  fs->freereg = (uint8_t)(fs->freereg + n);
}

static void freereg(FuncState *fs, int reg) {
  if (reg >= parse_nvarstack(fs)) fs->freereg--;
}

static void freeregs(FuncState *fs, int r1, int r2) {
  if (r1 > r2) {
    freereg(fs, r1);
    freereg(fs, r2);
  } else {
    freereg(fs, r2);
    freereg(fs, r1);
  }
}

void code_freeexp(FuncState *fs, expdesc *e) {
  if (e->k == VNONRELOC) freereg(fs, e->u.info);
}

static void freeexps(FuncState *fs, expdesc *e1, expdesc *e2) {
  int r1 = (e1->k == VNONRELOC) ? e1->u.info : -1;
  int r2 = (e2->k == VNONRELOC) ? e2->u.info : -1;
  if (r1 > r2) {
    if (r1 >= 0) freereg(fs, r1);
    if (r2 >= 0) freereg(fs, r2);
  } else {
    if (r2 >= 0) freereg(fs, r2);
    if (r1 >= 0) freereg(fs, r1);
  }
}

/* -- Constants -- */

static int addk(FuncState *fs, const TValue *key, const TValue *v) {
  lua_State *L = fs->ls->L;
  Proto *f = fs->f;
  if (key) {
    const TValue *idx = tab_get(fs->kcache, key);
    if (ttisinteger(idx)) {
      int k = (int)ivalue(idx);
      if (k < fs->nk && f->k[k].tt == v->tt) return k;
    }
  }
  int oldsize = f->sizek;
  f->k = mem_growvector(L, f->k, &f->sizek, fs->nk, sizeof(TValue), MAXARG_Ax, "constants");
  while (oldsize < f->sizek) setnilvalue(&f->k[oldsize++]);
  int k = fs->nk++;
  setobj(&f->k[k], v);
  if (key) {
    TValue kv;
    setivalue(&kv, k);
    tab_set(L, fs->kcache, key, &kv);
  }
  return k;
}

int code_stringK(FuncState *fs, TString *s) {
  TValue o;
  setsvalue(&o, s);
  return addk(fs, &o, &o);
}

static int intK(FuncState *fs, lua_Integer n) {
  TValue o;
  setivalue(&o, n);
  return addk(fs, &o, &o);
}

static int numberK(FuncState *fs, lua_Number r) {
  TValue o;
  setfltvalue(&o, r);
  lua_Integer ik;
  if (obj_flttointns(r, &ik, F2Ieq)) return addk(fs, NULL, &o); /* would alias an integer key */
  return addk(fs, &o, &o);
}

static bool fitsBx(lua_Integer i) { return -OFFSET_sBx <= i && i <= MAXARG_Bx - OFFSET_sBx; }

static void codek(FuncState *fs, int reg, int k) {
  if (k <= MAXARG_Bx) {
    code_ABx(fs, OP_LOADK, reg, k);
  } else {
    code_ABx(fs, OP_LOADKX, reg, 0);
    code_code(fs, CREATE_Ax(OP_EXTRAARG, k));
  }
}

void code_int(FuncState *fs, int reg, lua_Integer i) {
  if (fitsBx(i)) code_ABx(fs, OP_LOADI, reg, (int)(i + OFFSET_sBx));
  else codek(fs, reg, intK(fs, i));
}

static void codefloat(FuncState *fs, int reg, lua_Number f) {
  lua_Integer fi;
  if (obj_flttointns(f, &fi, F2Ieq) && fitsBx(fi) && !(f == 0 && signbit(f)))
    code_ABx(fs, OP_LOADF, reg, (int)(fi + OFFSET_sBx));
  else
    codek(fs, reg, numberK(fs, f));
}

static bool tonumeral(const expdesc *e, TValue *v) {
  if (hasjumps(e)) return false;
  switch (e->k) {
    case VKINT:
      if (v) setivalue(v, e->u.ival);
      return true;
    case VKFLT:
      if (v) setfltvalue(v, e->u.nval);
      return true;
    default:
      return false;
  }
}

static void str2K(FuncState *fs, expdesc *e) {
  e->u.info = code_stringK(fs, e->u.strval);
  e->k = VK;
}

/* The value of a compile-time constant: a VCONST's info is an absolute index
 * into the parser's active variables (it may name a variable of an
 * enclosing function), not one relative to fs. */
static const TValue *constval(FuncState *fs, const expdesc *e) {
  return &fs->ls->dyd->actvar.arr[e->u.info].k;
}

static void const2exp(const TValue *v, expdesc *e) {
  switch (v->tt) {
    case TAG_INT: e->k = VKINT; e->u.ival = ivalue(v); break;
    case TAG_FLT: e->k = VKFLT; e->u.nval = fltvalue(v); break;
    case TAG_FALSE: e->k = VFALSE; break;
    case TAG_TRUE: e->k = VTRUE; break;
    case TAG_SHRSTR: case TAG_LNGSTR: e->k = VKSTR; e->u.strval = tsvalue(v); break;
    default: e->k = VNIL; break;
  }
}

int code_exp2const(FuncState *fs, const expdesc *e, TValue *v) {
  if (hasjumps(e)) return 0;
  switch (e->k) {
    case VFALSE: setbfvalue(v); return 1;
    case VTRUE: setbtvalue(v); return 1;
    case VNIL: setnilvalue(v); return 1;
    case VKSTR: setsvalue(v, e->u.strval); return 1;
    case VCONST: setobj(v, constval(fs, e)); return 1;
    default: return tonumeral(e, v);
  }
}

/* -- Discharging -- */

void code_setreturns(FuncState *fs, expdesc *e, int nresults) {
  Instruction *pc = &getinstr(fs, e);
  if (e->k == VCALL) {
    SETARG_C(*pc, nresults + 1);
  } else {
    SETARG_C(*pc, nresults + 1);
    SETARG_A(*pc, fs->freereg);
    code_reserveregs(fs, 1);
  }
}

void code_setoneret(FuncState *fs, expdesc *e) {
  if (e->k == VCALL) {
    e->k = VNONRELOC;
    e->u.info = GETARG_A(getinstr(fs, e));
  } else if (e->k == VVARARG) {
    SETARG_C(getinstr(fs, e), 2);
    e->k = VRELOC;
  }
}

void code_dischargevars(FuncState *fs, expdesc *e) {
  switch (e->k) {
    case VCONST:
      const2exp(constval(fs, e), e);
      break;
    case VLOCAL:
      e->u.info = e->u.var.ridx;
      e->k = VNONRELOC;
      break;
    case VUPVAL:
      e->u.info = code_ABC(fs, OP_GETUPVAL, 0, e->u.info, 0);
      e->k = VRELOC;
      break;
    case VINDEXUP:
      e->u.info = code_ABC(fs, OP_GETTABUP, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXI:
      freereg(fs, e->u.ind.t);
      e->u.info = code_ABC(fs, OP_GETI, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXSTR:
      freereg(fs, e->u.ind.t);
      e->u.info = code_ABC(fs, OP_GETFIELD, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXED:
      freeregs(fs, e->u.ind.t, e->u.ind.idx);
      e->u.info = code_ABC(fs, OP_GETTABLE, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VVARARG:
    case VCALL:
      code_setoneret(fs, e);
      break;
    default:
      break;
  }
}

static void discharge2reg(FuncState *fs, expdesc *e, int reg) {
  code_dischargevars(fs, e);
  switch (e->k) {
    case VNIL: code_nil(fs, reg, 1); break;
    case VFALSE: code_ABC(fs, OP_LOADFALSE, reg, 0, 0); break;
    case VTRUE: code_ABC(fs, OP_LOADTRUE, reg, 0, 0); break;
    case VKSTR:
      str2K(fs, e);
      /* fall through */
    case VK: codek(fs, reg, e->u.info); break;
    case VKFLT: codefloat(fs, reg, e->u.nval); break;
    case VKINT: code_int(fs, reg, e->u.ival); break;
    case VRELOC: SETARG_A(getinstr(fs, e), reg); break;
    case VNONRELOC:
      if (reg != e->u.info) code_ABC(fs, OP_MOVE, reg, e->u.info, 0);
      break;
    default:
      return; /* VJMP: nothing to do */
  }
  e->u.info = reg;
  e->k = VNONRELOC;
}

static void discharge2anyreg(FuncState *fs, expdesc *e) {
  if (e->k != VNONRELOC) {
    code_reserveregs(fs, 1);
    discharge2reg(fs, e, fs->freereg - 1);
  }
}

static int code_loadbool(FuncState *fs, int a, OpCode op) {
  code_getlabel(fs);
  return code_ABC(fs, op, a, 0, 0);
}

static int need_value(FuncState *fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list)) {
    Instruction i = *getjumpcontrol(fs, list);
    if (GET_OPCODE(i) != OP_TESTSET) return 1;
  }
  return 0;
}

static void exp2reg(FuncState *fs, expdesc *e, int reg) {
  discharge2reg(fs, e, reg);
  if (e->k == VJMP) code_concat(fs, &e->t, e->u.info);
  if (hasjumps(e)) {
    int p_f = NO_JUMP, p_t = NO_JUMP;
    if (need_value(fs, e->t) || need_value(fs, e->f)) {
      int fj = (e->k == VJMP) ? NO_JUMP : code_jump(fs);
      p_f = code_loadbool(fs, reg, OP_LFALSESKIP);
      p_t = code_loadbool(fs, reg, OP_LOADTRUE);
      code_patchtohere(fs, fj);
    }
    int final = code_getlabel(fs);
    patchlistaux(fs, e->f, final, reg, p_f);
    patchlistaux(fs, e->t, final, reg, p_t);
  }
  e->f = e->t = NO_JUMP;
  e->u.info = reg;
  e->k = VNONRELOC;
}

void code_exp2nextreg(FuncState *fs, expdesc *e) {
  code_dischargevars(fs, e);
  code_freeexp(fs, e);
  code_reserveregs(fs, 1);
  exp2reg(fs, e, fs->freereg - 1);
}

int code_exp2anyreg(FuncState *fs, expdesc *e) {
  code_dischargevars(fs, e);
  if (e->k == VNONRELOC) {
    if (!hasjumps(e)) return e->u.info;
    if (e->u.info >= parse_nvarstack(fs)) {
      exp2reg(fs, e, e->u.info);
      return e->u.info;
    }
  }
  code_exp2nextreg(fs, e);
  return e->u.info;
}

void code_exp2anyregup(FuncState *fs, expdesc *e) {
  if (e->k != VUPVAL || hasjumps(e)) code_exp2anyreg(fs, e);
}

void code_exp2val(FuncState *fs, expdesc *e) {
  if (hasjumps(e)) code_exp2anyreg(fs, e);
  else code_dischargevars(fs, e);
}

/* -- Tables and stores -- */

static bool isKstr(FuncState *fs, expdesc *e) {
  return e->k == VK && !hasjumps(e) && e->u.info <= MAXARG_C && ttisshrstring(&fs->f->k[e->u.info]);
}

static bool isCint(expdesc *e) {
  return e->k == VKINT && !hasjumps(e) && l_castS2U(e->u.ival) <= (lua_Unsigned)MAXARG_C;
}

/* integer or integral float constant that fits an sB/sC operand */
static bool isSCnumber(expdesc *e, int *imm, int *isfloat) {
  if (hasjumps(e)) return false;
  lua_Integer i;
  int isf;
  if (e->k == VKINT) {
    i = e->u.ival;
    isf = 0;
  } else if (e->k == VKFLT && obj_flttointns(e->u.nval, &i, F2Ieq) && !(e->u.nval == 0 && signbit(e->u.nval))) {
    isf = 1;
  } else {
    return false;
  }
  if (i < -OFFSET_sC || i > MAXARG_C - OFFSET_sC) return false;
  *imm = (int)i;
  *isfloat = isf;
  return true;
}

static bool isSCint(expdesc *e, int *imm) {
  if (e->k == VKINT && !hasjumps(e) && e->u.ival >= -OFFSET_sC && e->u.ival <= MAXARG_C - OFFSET_sC) {
    *imm = (int)e->u.ival;
    return true;
  }
  return false;
}

void code_self(FuncState *fs, expdesc *e, expdesc *key) {
  code_exp2anyreg(fs, e);
  int ereg = e->u.info;
  code_freeexp(fs, e);
  e->u.info = fs->freereg;
  e->k = VNONRELOC;
  code_reserveregs(fs, 2);
  int k = code_stringK(fs, key->u.strval);
  if (k <= MAXARG_C && ttisshrstring(&fs->f->k[k])) {
    code_ABC(fs, OP_SELF, e->u.info, ereg, k);
  } else {
    code_ABC(fs, OP_MOVE, e->u.info + 1, ereg, 0);
    codek(fs, e->u.info, k);
    code_ABC(fs, OP_GETTABLE, e->u.info, e->u.info + 1, e->u.info);
  }
}

void code_indexed(FuncState *fs, expdesc *t, expdesc *k) {
  if (k->k == VKSTR) str2K(fs, k);
  if (t->k == VUPVAL && !isKstr(fs, k)) code_exp2anyreg(fs, t);
  if (t->k == VUPVAL) {
    int up = t->u.info;
    t->u.ind.t = (uint8_t)up;
    t->u.ind.idx = (short)k->u.info;
    t->k = VINDEXUP;
  } else {
    t->u.ind.t = (uint8_t)((t->k == VLOCAL) ? t->u.var.ridx : t->u.info);
    if (isKstr(fs, k)) {
      t->u.ind.idx = (short)k->u.info;
      t->k = VINDEXSTR;
    } else if (isCint(k)) {
      t->u.ind.idx = (short)k->u.ival;
      t->k = VINDEXI;
    } else {
      t->u.ind.idx = (short)code_exp2anyreg(fs, k);
      t->k = VINDEXED;
    }
  }
}

void code_storevar(FuncState *fs, expdesc *var, expdesc *ex) {
  switch (var->k) {
    case VLOCAL:
      code_freeexp(fs, ex);
      exp2reg(fs, ex, var->u.var.ridx);
      return;
    case VUPVAL: {
      int e = code_exp2anyreg(fs, ex);
      code_ABC(fs, OP_SETUPVAL, e, var->u.info, 0);
      break;
    }
    case VINDEXUP: {
      int e = code_exp2anyreg(fs, ex);
      code_ABC(fs, OP_SETTABUP, var->u.ind.t, var->u.ind.idx, e);
      break;
    }
    case VINDEXI: {
      int e = code_exp2anyreg(fs, ex);
      code_ABC(fs, OP_SETI, var->u.ind.t, var->u.ind.idx, e);
      break;
    }
    case VINDEXSTR: {
      int e = code_exp2anyreg(fs, ex);
      code_ABC(fs, OP_SETFIELD, var->u.ind.t, var->u.ind.idx, e);
      break;
    }
    case VINDEXED: {
      int e = code_exp2anyreg(fs, ex);
      code_ABC(fs, OP_SETTABLE, var->u.ind.t, var->u.ind.idx, e);
      break;
    }
    default:
      break;
  }
  code_freeexp(fs, ex);
}

/* -- Conditionals -- */

static void negatecondition(FuncState *fs, expdesc *e) {
  Instruction *pc = getjumpcontrol(fs, e->u.info);
  SETARG_C(*pc, GETARG_C(*pc) ^ 1);
}

static int jumponcond(FuncState *fs, expdesc *e, int cond) {
  if (e->k == VRELOC) {
    Instruction ie = getinstr(fs, e);
    if (GET_OPCODE(ie) == OP_NOT) {
      fs->pc--; /* remove the NOT */
      return condjump(fs, OP_TEST, GETARG_B(ie), 0, !cond);
    }
  }
  discharge2anyreg(fs, e);
  code_freeexp(fs, e);
  return condjump(fs, OP_TESTSET, NO_REG, e->u.info, cond);
}

void code_goiftrue(FuncState *fs, expdesc *e) {
  int pc;
  code_dischargevars(fs, e);
  switch (e->k) {
    case VJMP:
      negatecondition(fs, e);
      pc = e->u.info;
      break;
    case VK: case VKFLT: case VKINT: case VKSTR: case VTRUE:
      pc = NO_JUMP;
      break;
    default:
      pc = jumponcond(fs, e, 0);
      break;
  }
  code_concat(fs, &e->f, pc);
  code_patchtohere(fs, e->t);
  e->t = NO_JUMP;
}

void code_goiffalse(FuncState *fs, expdesc *e) {
  int pc;
  code_dischargevars(fs, e);
  switch (e->k) {
    case VJMP:
      pc = e->u.info;
      break;
    case VNIL: case VFALSE:
      pc = NO_JUMP;
      break;
    default:
      pc = jumponcond(fs, e, 1);
      break;
  }
  code_concat(fs, &e->t, pc);
  code_patchtohere(fs, e->f);
  e->f = NO_JUMP;
}

static void codenot(FuncState *fs, expdesc *e) {
  switch (e->k) {
    case VNIL: case VFALSE:
      e->k = VTRUE;
      break;
    case VK: case VKFLT: case VKINT: case VKSTR: case VTRUE:
      e->k = VFALSE;
      break;
    case VJMP:
      negatecondition(fs, e);
      break;
    case VRELOC:
    case VNONRELOC: {
      discharge2anyreg(fs, e);
      code_freeexp(fs, e);
      e->u.info = code_ABC(fs, OP_NOT, 0, e->u.info, 0);
      e->k = VRELOC;
      break;
    }
    default:
      break;
  }
  int temp = e->f;
  e->f = e->t;
  e->t = temp;
  removevalues(fs, e->f);
  removevalues(fs, e->t);
}

/* -- Operators -- */

static bool validop(int op, TValue *v1, TValue *v2) {
  switch (op) {
    case LUA_OPBAND: case LUA_OPBOR: case LUA_OPBXOR:
    case LUA_OPSHL: case LUA_OPSHR: case LUA_OPBNOT: {
      lua_Integer i;
      return obj_tointegerns(v1, &i, F2Ieq) && obj_tointegerns(v2, &i, F2Ieq);
    }
    case LUA_OPDIV: case LUA_OPIDIV: case LUA_OPMOD:
      return nvalue(v2) != 0;
    default:
      return true;
  }
}

static bool constfolding(FuncState *fs, int op, expdesc *e1, const expdesc *e2) {
  TValue v1, v2, res;
  if (!tonumeral(e1, &v1) || !tonumeral(e2, &v2) || !validop(op, &v1, &v2)) return false;
  if (!obj_rawarith(fs->ls->L, op, &v1, &v2, &res)) return false;
  if (ttisinteger(&res)) {
    e1->k = VKINT;
    e1->u.ival = ivalue(&res);
  } else {
    lua_Number n = fltvalue(&res);
    if (n != n || n == 0) return false; /* keep NaN and -0.0 out of constants */
    e1->k = VKFLT;
    e1->u.nval = n;
  }
  return true;
}

void code_prefix(FuncState *fs, UnOpr op, expdesc *e, int line) {
  static const expdesc ef = {VKINT, {0}, NO_JUMP, NO_JUMP};
  code_dischargevars(fs, e);
  switch (op) {
    case OPR_MINUS:
    case OPR_BNOT:
      if (constfolding(fs, op == OPR_MINUS ? LUA_OPUNM : LUA_OPBNOT, e, &ef)) break;
      /* fall through */
    case OPR_LEN: {
      OpCode opc = op == OPR_MINUS ? OP_UNM : op == OPR_BNOT ? OP_BNOT : OP_LEN;
      int r = code_exp2anyreg(fs, e);
      code_freeexp(fs, e);
      e->u.info = code_ABC(fs, opc, 0, r, 0);
      e->k = VRELOC;
      code_fixline(fs, line);
      break;
    }
    case OPR_NOT:
      codenot(fs, e);
      break;
    default:
      break;
  }
}

void code_infix(FuncState *fs, BinOpr op, expdesc *v) {
  code_dischargevars(fs, v);
  switch (op) {
    case OPR_AND:
      code_goiftrue(fs, v);
      break;
    case OPR_OR:
      code_goiffalse(fs, v);
      break;
    case OPR_CONCAT:
      code_exp2nextreg(fs, v);
      break;
    case OPR_LT: case OPR_LE: case OPR_GT: case OPR_GE: {
      /* Only an immediate operand may wait: any other left operand takes
       * its register now, before the right operand's code claims it. */
      int imm, isf;
      if (!isSCnumber(v, &imm, &isf)) code_exp2anyreg(fs, v);
      break;
    }
    default:
      if (!tonumeral(v, NULL)) code_exp2anyreg(fs, v);
      break;
  }
}

static void codeconcat(FuncState *fs, expdesc *e1, expdesc *e2, int line) {
  Instruction *ie2 = previousinstruction(fs);
  if (*ie2 != invalid_instruction && GET_OPCODE(*ie2) == OP_CONCAT &&
      GETARG_A(*ie2) == e1->u.info + 1) {
    int n = GETARG_B(*ie2);
    code_freeexp(fs, e2);
    SETARG_A(*ie2, e1->u.info);
    SETARG_B(*ie2, n + 1);
  } else {
    code_ABC(fs, OP_CONCAT, e1->u.info, 2, 0);
    code_freeexp(fs, e2);
    code_fixline(fs, line);
  }
}

static void codearith(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2, int line) {
  int imm;
  OpCode op = (OpCode)(OP_ADD + (int)opr);
  OpCode opk = (OpCode)(OP_ADDK + (int)opr);
  TValue kv;
  if (opr == OPR_ADD && isSCint(e2, &imm)) {
    int r1 = code_exp2anyreg(fs, e1);
    freeexps(fs, e1, e2);
    e1->u.info = code_ABC(fs, OP_ADDI, 0, r1, imm + OFFSET_sC);
  } else if (opr == OPR_SUB && isSCint(e2, &imm) && -imm <= MAXARG_C - OFFSET_sC) {
    /* x - i runs as x + (-i), as in lua5.4 (so -0.0 - 0 is 0.0); the
     * instruction keeps i for the __sub metamethod */
    int r1 = code_exp2anyreg(fs, e1);
    freeexps(fs, e1, e2);
    e1->u.info = code_ABC(fs, OP_SUBI, 0, r1, imm + OFFSET_sC);
  } else if (tonumeral(e2, &kv)) {
    int k = ttisinteger(&kv) ? intK(fs, ivalue(&kv)) : numberK(fs, fltvalue(&kv));
    if (k <= MAXARG_C) {
      int r1 = code_exp2anyreg(fs, e1);
      freeexps(fs, e1, e2);
      e1->u.info = code_ABC(fs, opk, 0, r1, k);
    } else {
      int r2 = code_exp2anyreg(fs, e2);
      int r1 = code_exp2anyreg(fs, e1);
      freeexps(fs, e1, e2);
      e1->u.info = code_ABC(fs, op, 0, r1, r2);
    }
  } else if ((opr == OPR_ADD || opr == OPR_MUL) && tonumeral(e1, &kv) &&
             (ttisinteger(&kv) ? intK(fs, ivalue(&kv)) : numberK(fs, fltvalue(&kv))) <= MAXARG_C) {
    /* constant on the left of + or *: K op R, metamethods still see (K, R) */
    int k = ttisinteger(&kv) ? intK(fs, ivalue(&kv)) : numberK(fs, fltvalue(&kv));
    int r2 = code_exp2anyreg(fs, e2);
    freeexps(fs, e1, e2);
    e1->u.info = code_ABC(fs, opr == OPR_ADD ? OP_ADDKL : OP_MULKL, 0, r2, k);
  } else {
    int r2 = code_exp2anyreg(fs, e2);
    int r1 = code_exp2anyreg(fs, e1);
    freeexps(fs, e1, e2);
    e1->u.info = code_ABC(fs, op, 0, r1, r2);
  }
  e1->k = VRELOC;
  code_fixline(fs, line);
}

/* Order comparisons against small numeric constants use the immediate
 * forms; bit 1 of C records a float constant (for metamethod arguments),
 * bit 0 is the usual jump condition. */
static void codeorder(FuncState *fs, OpCode op, expdesc *e1, expdesc *e2) {
  int r1, r2, imm, isf = 0;
  OpCode opc;
  if (isSCnumber(e2, &imm, &isf)) {
    r1 = code_exp2anyreg(fs, e1);
    r2 = imm + OFFSET_sC;
    opc = op == OP_LT ? OP_LTI : OP_LEI;
  } else if (isSCnumber(e1, &imm, &isf)) {
    r1 = code_exp2anyreg(fs, e2);
    r2 = imm + OFFSET_sC;
    opc = op == OP_LT ? OP_GTI : OP_GEI;
  } else {
    r1 = code_exp2anyreg(fs, e1);
    r2 = code_exp2anyreg(fs, e2);
    opc = op;
  }
  freeexps(fs, e1, e2);
  e1->u.info = condjump(fs, opc, r1, r2, 1 | (isf << 1));
  e1->k = VJMP;
}

static void codeeq(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2) {
  int r1, r2, imm;
  OpCode op;
  if (e1->k != VNONRELOC) { /* e1 is a numeral left by infix: swap */
    expdesc temp = *e1;
    *e1 = *e2;
    *e2 = temp;
  }
  r1 = code_exp2anyreg(fs, e1);
  TValue kv;
  if (isSCint(e2, &imm)) {
    op = OP_EQI;
    r2 = imm + OFFSET_sC;
  } else {
    int k = -1;
    if (e2->k == VKSTR) k = code_stringK(fs, e2->u.strval);
    else if (tonumeral(e2, &kv)) k = ttisinteger(&kv) ? intK(fs, ivalue(&kv)) : numberK(fs, fltvalue(&kv));
    if (k >= 0 && k <= MAXARG_B) {
      op = OP_EQK;
      r2 = k;
    } else {
      op = OP_EQ;
      r2 = code_exp2anyreg(fs, e2);
    }
  }
  freeexps(fs, e1, e2);
  e1->u.info = condjump(fs, op, r1, r2, opr == OPR_EQ);
  e1->k = VJMP;
}

void code_posfix(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2, int line) {
  code_dischargevars(fs, e2);
  if (opr <= OPR_SHR && constfolding(fs, (int)opr + LUA_OPADD, e1, e2)) return;
  switch (opr) {
    case OPR_AND:
      code_concat(fs, &e2->f, e1->f);
      *e1 = *e2;
      break;
    case OPR_OR:
      code_concat(fs, &e2->t, e1->t);
      *e1 = *e2;
      break;
    case OPR_CONCAT:
      code_exp2nextreg(fs, e2);
      codeconcat(fs, e1, e2, line);
      break;
    case OPR_EQ:
    case OPR_NE:
      codeeq(fs, opr, e1, e2);
      break;
    case OPR_LT:
      codeorder(fs, OP_LT, e1, e2);
      break;
    case OPR_LE:
      codeorder(fs, OP_LE, e1, e2);
      break;
    case OPR_GT: { /* a > b  ==>  b < a */
      codeorder(fs, OP_LT, e2, e1);
      *e1 = *e2;
      break;
    }
    case OPR_GE: {
      codeorder(fs, OP_LE, e2, e1);
      *e1 = *e2;
      break;
    }
    default:
      codearith(fs, opr, e1, e2, line);
      break;
  }
}

/* -- Table constructors -- */

static int encodesize(int n) {
  if (n < 128) return n;
  int l = obj_ceillog2((unsigned int)n);
  if (l > 30) l = 30;
  return 128 + l;
}

void code_settablesize(FuncState *fs, int pc, int ra, int asize, int hsize) {
  fs->f->code[pc] = CREATE_ABC(OP_NEWTABLE, ra, encodesize(asize), encodesize(hsize));
}

void code_setlist(FuncState *fs, int base, int nelems, int tostore) {
  code_ABC(fs, OP_SETLIST, base, tostore == LUA_MULTRET ? 0 : tostore, 0);
  if (nelems > MAXARG_Ax) lex_syntaxerror(fs->ls, "constructor too long");
  code_code(fs, CREATE_Ax(OP_EXTRAARG, nelems));
  fs->freereg = (uint8_t)(base + 1);
}

void code_finish(FuncState *fs) { (void)fs; }
