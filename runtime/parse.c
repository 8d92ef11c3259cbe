/* parse.c -- the recursive-descent parser of cpjit-lua.
 *
 * One pass from tokens to a Proto tree: each syntactic construct calls the
 * code generator (code.c) directly.  This file owns scopes, local and
 * upvalue resolution, labels/gotos, and statement-level control flow;
 * expression descriptors and instruction selection live in code.c.
 *
 * Scopes: Dyndata.actvar holds the active variables of all functions being
 * compiled (fs->firstlocal marks where the current function starts).
 * Compile-time constants (<const> with a literal initializer) occupy no
 * register.  Pending gotos (including 'break', which is 'goto break')
 * are resolved when a matching label appears in an enclosing block; a
 * goto that leaves a block whose locals were captured gets a CLOSE at its
 * label so each loop iteration gets fresh upvalues.
 *
 * The garbage collector is stopped while parsing, so nothing created here
 * needs anchoring.
 */
#include <limits.h>

#include "parse.h"
#include "dump.h"

typedef struct BlockCnt {
  struct BlockCnt *previous;
  int firstlabel;
  int firstgoto;
  uint8_t nactvar;
  uint8_t upval;    /* some variable of the block is captured */
  uint8_t isloop;
  uint8_t insidetbc;
} BlockCnt;

#define MAXVARS 200
#define MAXUPVAL 255

static void statement(LexState *ls);
static void expr(LexState *ls, expdesc *v);

/* -- Error helpers -- */

static _Noreturn void error_expected(LexState *ls, int token) {
  lex_syntaxerror(ls, obj_pushfstring(ls->L, "%s expected", lex_token2str(ls, token)));
}

static _Noreturn void errorlimit(FuncState *fs, int limit, const char *what) {
  lua_State *L = fs->ls->L;
  int line = fs->f->linedefined;
  const char *where = (line == 0) ? "main function" : obj_pushfstring(L, "function at line %d", line);
  const char *msg = obj_pushfstring(L, "too many %s (limit is %d) in %s", what, limit, where);
  lex_syntaxerror(fs->ls, msg);
}

static void checklimit(FuncState *fs, int v, int l, const char *what) {
  if (v > l) errorlimit(fs, l, what);
}

static int testnext(LexState *ls, int c) {
  if (ls->t.token == c) {
    lex_next(ls);
    return 1;
  }
  return 0;
}

static void check(LexState *ls, int c) {
  if (ls->t.token != c) error_expected(ls, c);
}

static void checknext(LexState *ls, int c) {
  check(ls, c);
  lex_next(ls);
}

#define check_condition(ls, c, msg) \
  do {                              \
    if (!(c)) lex_syntaxerror(ls, msg); \
  } while (0)

static void check_match(LexState *ls, int what, int who, int where) {
  if (!testnext(ls, what)) {
    if (where == ls->linenumber) {
      error_expected(ls, what);
    } else {
      lex_syntaxerror(ls, obj_pushfstring(ls->L, "%s expected (to close %s at line %d)",
                                          lex_token2str(ls, what), lex_token2str(ls, who), where));
    }
  }
}

static TString *str_checkname(LexState *ls) {
  check(ls, TK_NAME);
  TString *ts = ls->t.seminfo.ts;
  lex_next(ls);
  return ts;
}

static void init_exp(expdesc *e, expkind k, int i) {
  e->f = e->t = NO_JUMP;
  e->k = k;
  e->u.info = i;
}

static void codestring(expdesc *e, TString *s) {
  e->f = e->t = NO_JUMP;
  e->k = VKSTR;
  e->u.strval = s;
}

static void codename(LexState *ls, expdesc *e) { codestring(e, str_checkname(ls)); }

/* Nesting depth shares the C-call budget, as in lua5.4: deep nesting ends in
 * "C stack overflow" (a runtime error, so the message handler sees it). */
static void enterlevel(LexState *ls) {
  lua_State *L = ls->L;
  if (++L->nCcalls >= LUAI_MAXCCALLS) dbg_runerror(L, "C stack overflow");
}
#define leavelevel(ls) ((ls)->L->nCcalls--)

/* -- Variables -- */

Vardesc *parse_getlocalvardesc(FuncState *fs, int vidx) {
  return &fs->ls->dyd->actvar.arr[fs->firstlocal + vidx];
}

static int registerlocalvar(LexState *ls, FuncState *fs, TString *varname) {
  Proto *f = fs->f;
  int oldsize = f->sizelocvars;
  f->locvars = mem_growvector(ls->L, f->locvars, &f->sizelocvars, fs->ndebugvars, sizeof(LocVar),
                              SHRT_MAX, "local variables");
  while (oldsize < f->sizelocvars) f->locvars[oldsize++].varname = NULL;
  f->locvars[fs->ndebugvars].varname = varname;
  f->locvars[fs->ndebugvars].startpc = fs->pc;
  f->locvars[fs->ndebugvars].endpc = fs->pc;
  return fs->ndebugvars++;
}

static int new_localvar(LexState *ls, TString *name) {
  FuncState *fs = ls->fs;
  Dyndata *dyd = ls->dyd;
  checklimit(fs, dyd->actvar.n + 1 - fs->firstlocal, MAXVARS, "local variables");
  dyd->actvar.arr = mem_growvector(ls->L, dyd->actvar.arr, &dyd->actvar.size, dyd->actvar.n + 1,
                                   sizeof(Vardesc), USHRT_MAX, "local variables");
  Vardesc *var = &dyd->actvar.arr[dyd->actvar.n++];
  var->kind = VDKREG;
  var->name = name;
  setnilvalue(&var->k);
  return dyd->actvar.n - 1 - fs->firstlocal;
}

#define new_localvarliteral(ls, v) new_localvar(ls, lex_newstring(ls, "" v, sizeof(v) - 1))

static int reglevel(FuncState *fs, int nvar) {
  while (nvar-- > 0) {
    Vardesc *vd = parse_getlocalvardesc(fs, nvar);
    if (vd->kind != RDKCTC) return vd->ridx + 1;
  }
  return 0;
}

int parse_nvarstack(FuncState *fs) { return reglevel(fs, fs->nactvar); }

static LocVar *localdebuginfo(FuncState *fs, int vidx) {
  Vardesc *vd = parse_getlocalvardesc(fs, vidx);
  if (vd->kind == RDKCTC) return NULL;
  return &fs->f->locvars[vd->pidx];
}

static void init_var(FuncState *fs, expdesc *e, int vidx) {
  e->f = e->t = NO_JUMP;
  e->k = VLOCAL;
  e->u.var.vidx = (unsigned short)vidx;
  e->u.var.ridx = parse_getlocalvardesc(fs, vidx)->ridx;
}

static void check_readonly(LexState *ls, expdesc *e) {
  FuncState *fs = ls->fs;
  TString *varname = NULL;
  switch (e->k) {
    case VCONST:
      varname = ls->dyd->actvar.arr[e->u.info].name;
      break;
    case VLOCAL: {
      Vardesc *vardesc = parse_getlocalvardesc(fs, e->u.var.vidx);
      if (vardesc->kind != VDKREG) varname = vardesc->name;
      break;
    }
    case VUPVAL: {
      Upvaldesc *up = &fs->f->upvalues[e->u.info];
      if (up->kind != VDKREG) varname = up->name;
      break;
    }
    default:
      return;
  }
  if (varname) {
    const char *msg = obj_pushfstring(ls->L, "attempt to assign to const variable '%s'", getstr(varname));
    code_semerror(ls, msg);
  }
}

static void adjustlocalvars(LexState *ls, int nvars) {
  FuncState *fs = ls->fs;
  int rl = parse_nvarstack(fs);
  for (int i = 0; i < nvars; i++) {
    int vidx = fs->nactvar++;
    Vardesc *var = parse_getlocalvardesc(fs, vidx);
    var->ridx = (uint8_t)rl++;
    var->pidx = (short)registerlocalvar(ls, fs, var->name);
  }
}

static void removevars(FuncState *fs, int tolevel) {
  fs->ls->dyd->actvar.n -= (fs->nactvar - tolevel);
  while (fs->nactvar > tolevel) {
    LocVar *var = localdebuginfo(fs, --fs->nactvar);
    if (var) var->endpc = fs->pc;
  }
}

static int searchupvalue(FuncState *fs, TString *name) {
  Upvaldesc *up = fs->f->upvalues;
  for (int i = 0; i < fs->nups; i++)
    if (up[i].name == name) return i;
  return -1;
}

static Upvaldesc *allocupvalue(FuncState *fs) {
  Proto *f = fs->f;
  int oldsize = f->sizeupvalues;
  checklimit(fs, fs->nups + 1, MAXUPVAL, "upvalues");
  f->upvalues = mem_growvector(fs->ls->L, f->upvalues, &f->sizeupvalues, fs->nups,
                               sizeof(Upvaldesc), MAXUPVAL, "upvalues");
  while (oldsize < f->sizeupvalues) f->upvalues[oldsize++].name = NULL;
  return &f->upvalues[fs->nups++];
}

static int newupvalue(FuncState *fs, TString *name, expdesc *v) {
  Upvaldesc *up = allocupvalue(fs);
  FuncState *prev = fs->prev;
  if (v->k == VLOCAL) {
    up->instack = 1;
    up->idx = v->u.var.ridx;
    up->kind = parse_getlocalvardesc(prev, v->u.var.vidx)->kind;
  } else {
    up->instack = 0;
    up->idx = (uint8_t)v->u.info;
    up->kind = prev->f->upvalues[v->u.info].kind;
  }
  up->name = name;
  return fs->nups - 1;
}

static int searchvar(FuncState *fs, TString *n, expdesc *var) {
  for (int i = fs->nactvar - 1; i >= 0; i--) {
    Vardesc *vd = parse_getlocalvardesc(fs, i);
    if (n == vd->name) {
      if (vd->kind == RDKCTC) init_exp(var, VCONST, fs->firstlocal + i);
      else init_var(fs, var, i);
      return var->k;
    }
  }
  return -1;
}

static void markupval(FuncState *fs, int level) {
  BlockCnt *bl = fs->bl;
  while (bl->nactvar > level) bl = bl->previous;
  bl->upval = 1;
  fs->needclose = 1;
}

static void marktobeclosed(FuncState *fs) {
  BlockCnt *bl = fs->bl;
  bl->upval = 1;
  bl->insidetbc = 1;
  fs->needclose = 1;
}

static void singlevaraux(FuncState *fs, TString *n, expdesc *var, int base) {
  if (fs == NULL) {
    init_exp(var, VVOID, 0);
    return;
  }
  int v = searchvar(fs, n, var);
  if (v >= 0) {
    if (v == VLOCAL && !base) markupval(fs, var->u.var.vidx);
    return;
  }
  int idx = searchupvalue(fs, n);
  if (idx < 0) {
    singlevaraux(fs->prev, n, var, 0);
    if (var->k == VLOCAL || var->k == VUPVAL) idx = newupvalue(fs, n, var);
    else return; /* global or compile-time constant */
  }
  init_exp(var, VUPVAL, idx);
}

static void singlevar(LexState *ls, expdesc *var) {
  TString *varname = str_checkname(ls);
  FuncState *fs = ls->fs;
  singlevaraux(fs, varname, var, 1);
  if (var->k == VVOID) { /* global: _ENV[varname] */
    expdesc key;
    singlevaraux(fs, ls->envn, var, 1);
    code_exp2anyregup(fs, var);
    codestring(&key, varname);
    code_indexed(fs, var, &key);
  }
}

static void adjust_assign(LexState *ls, int nvars, int nexps, expdesc *e) {
  FuncState *fs = ls->fs;
  int needed = nvars - nexps;
  if (e->k == VCALL || e->k == VVARARG) {
    int extra = needed + 1;
    if (extra < 0) extra = 0;
    code_setreturns(fs, e, extra);
  } else {
    if (e->k != VVOID) code_exp2nextreg(fs, e);
    if (needed > 0) code_nil(fs, fs->freereg, needed);
  }
  if (needed > 0) code_reserveregs(fs, needed);
  else fs->freereg = (uint8_t)(fs->freereg + needed);
}

/* -- Labels and gotos -- */

static _Noreturn void jumpscopeerror(LexState *ls, Labeldesc *gt) {
  const char *varname = getstr(parse_getlocalvardesc(ls->fs, gt->nactvar)->name);
  const char *msg = obj_pushfstring(ls->L, "<goto %s> at line %d jumps into the scope of local '%s'",
                                    getstr(gt->name), gt->line, varname);
  code_semerror(ls, msg);
}

static void solvegoto(LexState *ls, int g, Labeldesc *label) {
  Labellist *gl = &ls->dyd->gt;
  Labeldesc *gt = &gl->arr[g];
  if (gt->nactvar < label->nactvar) jumpscopeerror(ls, gt);
  code_patchlist(ls->fs, gt->pc, label->pc);
  for (int i = g; i < gl->n - 1; i++) gl->arr[i] = gl->arr[i + 1];
  gl->n--;
}

static Labeldesc *findlabel(LexState *ls, TString *name) {
  Dyndata *dyd = ls->dyd;
  for (int i = ls->fs->firstlabel; i < dyd->label.n; i++) {
    Labeldesc *lb = &dyd->label.arr[i];
    if (lb->name == name) return lb;
  }
  return NULL;
}

static int newlabelentry(LexState *ls, Labellist *l, TString *name, int line, int pc) {
  int n = l->n;
  l->arr = mem_growvector(ls->L, l->arr, &l->size, n, sizeof(Labeldesc), SHRT_MAX, "labels/gotos");
  l->arr[n].name = name;
  l->arr[n].line = line;
  l->arr[n].nactvar = ls->fs->nactvar;
  l->arr[n].close = 0;
  l->arr[n].pc = pc;
  l->n = n + 1;
  return n;
}

static int newgotoentry(LexState *ls, TString *name, int line, int pc) {
  return newlabelentry(ls, &ls->dyd->gt, name, line, pc);
}

static int solvegotos(LexState *ls, Labeldesc *lb) {
  Labellist *gl = &ls->dyd->gt;
  int i = ls->fs->bl->firstgoto;
  int needsclose = 0;
  while (i < gl->n) {
    if (gl->arr[i].name == lb->name) {
      needsclose |= gl->arr[i].close;
      solvegoto(ls, i, lb);
    } else {
      i++;
    }
  }
  return needsclose;
}

static int createlabel(LexState *ls, TString *name, int line, int last) {
  FuncState *fs = ls->fs;
  Labellist *ll = &ls->dyd->label;
  int l = newlabelentry(ls, ll, name, line, code_getlabel(fs));
  if (last) ll->arr[l].nactvar = fs->bl->nactvar;
  if (solvegotos(ls, &ll->arr[l])) {
    code_ABC(fs, OP_CLOSE, parse_nvarstack(fs), 0, 0);
    return 1;
  }
  return 0;
}

static void movegotosout(FuncState *fs, BlockCnt *bl) {
  Labellist *gl = &fs->ls->dyd->gt;
  for (int i = bl->firstgoto; i < gl->n; i++) {
    Labeldesc *gt = &gl->arr[i];
    if (reglevel(fs, gt->nactvar) > reglevel(fs, bl->nactvar)) gt->close |= bl->upval;
    gt->nactvar = bl->nactvar;
  }
}

static _Noreturn void undefgoto(LexState *ls, Labeldesc *gt) {
  const char *msg;
  if (strcmp(getstr(gt->name), "break") == 0)
    msg = obj_pushfstring(ls->L, "break outside loop at line %d", gt->line);
  else
    msg = obj_pushfstring(ls->L, "no visible label '%s' for <goto> at line %d", getstr(gt->name), gt->line);
  code_semerror(ls, msg);
}

/* -- Blocks and functions -- */

static void enterblock(FuncState *fs, BlockCnt *bl, uint8_t isloop) {
  bl->isloop = isloop;
  bl->nactvar = fs->nactvar;
  bl->firstlabel = fs->ls->dyd->label.n;
  bl->firstgoto = fs->ls->dyd->gt.n;
  bl->upval = 0;
  bl->insidetbc = (fs->bl != NULL && fs->bl->insidetbc);
  bl->previous = fs->bl;
  fs->bl = bl;
}

static void leaveblock(FuncState *fs) {
  BlockCnt *bl = fs->bl;
  LexState *ls = fs->ls;
  int hasclose = 0;
  int stklevel = reglevel(fs, bl->nactvar);
  removevars(fs, bl->nactvar);
  if (bl->isloop) hasclose = createlabel(ls, lex_newstring(ls, "break", 5), 0, 0);
  if (!hasclose && bl->previous && bl->upval) code_ABC(fs, OP_CLOSE, stklevel, 0, 0);
  fs->freereg = (uint8_t)stklevel;
  ls->dyd->label.n = bl->firstlabel;
  fs->bl = bl->previous;
  if (bl->previous) movegotosout(fs, bl);
  else if (bl->firstgoto < ls->dyd->gt.n) undefgoto(ls, &ls->dyd->gt.arr[bl->firstgoto]);
}

static Proto *addprototype(LexState *ls) {
  lua_State *L = ls->L;
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  if (fs->np >= f->sizep) {
    int oldsize = f->sizep;
    f->p = mem_growvector(L, f->p, &f->sizep, fs->np, sizeof(Proto *), MAXARG_Bx, "functions");
    while (oldsize < f->sizep) f->p[oldsize++] = NULL;
  }
  Proto *clp = func_newproto(L);
  f->p[fs->np++] = clp;
  return clp;
}

static void codeclosure(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs->prev;
  init_exp(v, VRELOC, code_ABx(fs, OP_CLOSURE, 0, fs->np - 1));
  code_exp2nextreg(fs, v);
}

static void open_func(LexState *ls, FuncState *fs, BlockCnt *bl) {
  Proto *f = fs->f;
  fs->prev = ls->fs;
  fs->ls = ls;
  ls->fs = fs;
  fs->pc = 0;
  fs->lasttarget = 0;
  fs->freereg = 0;
  fs->nk = 0;
  fs->np = 0;
  fs->nups = 0;
  fs->ndebugvars = 0;
  fs->nactvar = 0;
  fs->needclose = 0;
  fs->firstlocal = ls->dyd->actvar.n;
  fs->firstlabel = ls->dyd->label.n;
  fs->bl = NULL;
  fs->kcache = tab_new(ls->L);
  f->source = ls->source;
  f->maxstacksize = 2;
  enterblock(fs, bl, 0);
}

static void shrink(lua_State *L, void **arr, int *size, int n, size_t elem) {
  *arr = mem_realloc(L, *arr, (size_t)*size * elem, (size_t)n * elem);
  *size = n;
}

static void close_func(LexState *ls) {
  lua_State *L = ls->L;
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  code_ret(fs, parse_nvarstack(fs), 0);
  leaveblock(fs);
  code_finish(fs);
  shrink(L, (void **)&f->code, &f->sizecode, fs->pc, sizeof(Instruction));
  shrink(L, (void **)&f->lineinfo, &f->sizelineinfo, fs->pc, sizeof(int));
  shrink(L, (void **)&f->k, &f->sizek, fs->nk, sizeof(TValue));
  shrink(L, (void **)&f->p, &f->sizep, fs->np, sizeof(Proto *));
  shrink(L, (void **)&f->locvars, &f->sizelocvars, fs->ndebugvars, sizeof(LocVar));
  shrink(L, (void **)&f->upvalues, &f->sizeupvalues, fs->nups, sizeof(Upvaldesc));
  ls->fs = fs->prev;
}

/* -- Statement lists -- */

static int block_follow(LexState *ls, int withuntil) {
  switch (ls->t.token) {
    case TK_ELSE: case TK_ELSEIF: case TK_END: case TK_EOS:
      return 1;
    case TK_UNTIL:
      return withuntil;
    default:
      return 0;
  }
}

static void statlist(LexState *ls) {
  while (!block_follow(ls, 1)) {
    if (ls->t.token == TK_RETURN) {
      statement(ls);
      return;
    }
    statement(ls);
  }
}

static void fieldsel(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs;
  expdesc key;
  code_exp2anyregup(fs, v);
  lex_next(ls);
  codename(ls, &key);
  code_indexed(fs, v, &key);
}

static void yindex(LexState *ls, expdesc *v) {
  lex_next(ls);
  expr(ls, v);
  code_exp2val(ls->fs, v);
  checknext(ls, ']');
}

/* -- Table constructors -- */

typedef struct ConsControl {
  expdesc v;
  expdesc *t;
  int nh;
  int na;
  int tostore;
} ConsControl;

static void recfield(LexState *ls, ConsControl *cc) {
  FuncState *fs = ls->fs;
  int reg = ls->fs->freereg;
  expdesc tab, key, val;
  if (ls->t.token == TK_NAME) codename(ls, &key);
  else yindex(ls, &key);
  cc->nh++;
  checknext(ls, '=');
  tab = *cc->t;
  code_indexed(fs, &tab, &key);
  expr(ls, &val);
  code_storevar(fs, &tab, &val);
  fs->freereg = (uint8_t)reg;
}

static void closelistfield(FuncState *fs, ConsControl *cc) {
  if (cc->v.k == VVOID) return;
  code_exp2nextreg(fs, &cc->v);
  cc->v.k = VVOID;
  if (cc->tostore == LFIELDS_PER_FLUSH) {
    code_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
    cc->na += cc->tostore;
    cc->tostore = 0;
  }
}

static void lastlistfield(FuncState *fs, ConsControl *cc) {
  if (cc->tostore == 0) return;
  if (cc->v.k == VCALL || cc->v.k == VVARARG) {
    code_setmultret(fs, &cc->v);
    code_setlist(fs, cc->t->u.info, cc->na, LUA_MULTRET);
    cc->na--;
  } else {
    if (cc->v.k != VVOID) code_exp2nextreg(fs, &cc->v);
    code_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
  }
  cc->na += cc->tostore;
}

static void listfield(LexState *ls, ConsControl *cc) {
  expr(ls, &cc->v);
  cc->tostore++;
}

static void field(LexState *ls, ConsControl *cc) {
  switch (ls->t.token) {
    case TK_NAME:
      if (lex_lookahead(ls) != '=') listfield(ls, cc);
      else recfield(ls, cc);
      break;
    case '[':
      recfield(ls, cc);
      break;
    default:
      listfield(ls, cc);
      break;
  }
}

static void constructor(LexState *ls, expdesc *t) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  int pc = code_ABC(fs, OP_NEWTABLE, 0, 0, 0);
  ConsControl cc;
  cc.na = cc.nh = cc.tostore = 0;
  cc.t = t;
  init_exp(t, VNONRELOC, fs->freereg);
  code_reserveregs(fs, 1);
  init_exp(&cc.v, VVOID, 0);
  checknext(ls, '{');
  do {
    /* '}' first: after a trailing separator the last item stays open (multi-value) */
    if (ls->t.token == '}') break;
    closelistfield(fs, &cc);
    field(ls, &cc);
  } while (testnext(ls, ',') || testnext(ls, ';'));
  check_match(ls, '}', '{', line);
  lastlistfield(fs, &cc);
  code_settablesize(fs, pc, t->u.info, cc.na, cc.nh);
}

/* -- Functions -- */

static void setvararg(FuncState *fs, int nparams) {
  fs->f->is_vararg = 1;
  code_ABC(fs, OP_VARARGPREP, nparams, 0, 0);
}

static void parlist(LexState *ls) {
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  int nparams = 0;
  int isvararg = 0;
  if (ls->t.token != ')') {
    do {
      switch (ls->t.token) {
        case TK_NAME:
          new_localvar(ls, str_checkname(ls));
          nparams++;
          break;
        case TK_DOTS:
          lex_next(ls);
          isvararg = 1;
          break;
        default:
          lex_syntaxerror(ls, "<name> or '...' expected");
      }
    } while (!isvararg && testnext(ls, ','));
  }
  adjustlocalvars(ls, nparams);
  f->numparams = fs->nactvar;
  if (isvararg) setvararg(fs, f->numparams);
  code_reserveregs(fs, fs->nactvar);
}

static void body(LexState *ls, expdesc *e, int ismethod, int line) {
  FuncState new_fs;
  BlockCnt bl;
  new_fs.f = addprototype(ls);
  new_fs.f->linedefined = line;
  open_func(ls, &new_fs, &bl);
  if (ismethod) {
    new_localvarliteral(ls, "self");
    adjustlocalvars(ls, 1);
  }
  checknext(ls, '(');
  parlist(ls);
  checknext(ls, ')');
  statlist(ls);
  new_fs.f->lastlinedefined = ls->linenumber;
  check_match(ls, TK_END, TK_FUNCTION, line);
  codeclosure(ls, e);
  close_func(ls);
}

static int explist(LexState *ls, expdesc *v) {
  int n = 1;
  expr(ls, v);
  while (testnext(ls, ',')) {
    code_exp2nextreg(ls->fs, v);
    expr(ls, v);
    n++;
  }
  return n;
}

static void funcargs(LexState *ls, expdesc *f, int line) {
  FuncState *fs = ls->fs;
  expdesc args;
  int base, nparams;
  switch (ls->t.token) {
    case '(': {
      lex_next(ls);
      if (ls->t.token == ')') {
        args.k = VVOID;
      } else {
        explist(ls, &args);
        if (args.k == VCALL || args.k == VVARARG) code_setmultret(fs, &args);
      }
      check_match(ls, ')', '(', line);
      break;
    }
    case '{':
      constructor(ls, &args);
      break;
    case TK_STRING:
      codestring(&args, ls->t.seminfo.ts);
      lex_next(ls);
      break;
    default:
      lex_syntaxerror(ls, "function arguments expected");
  }
  base = f->u.info;
  if (args.k == VCALL || args.k == VVARARG) {
    nparams = LUA_MULTRET;
  } else {
    if (args.k != VVOID) code_exp2nextreg(fs, &args);
    nparams = fs->freereg - (base + 1);
  }
  init_exp(f, VCALL, code_ABC(fs, OP_CALL, base, nparams + 1, 2));
  code_fixline(fs, line);
  fs->freereg = (uint8_t)(base + 1);
}

/* -- Expressions -- */

static void primaryexp(LexState *ls, expdesc *v) {
  switch (ls->t.token) {
    case '(': {
      int line = ls->linenumber;
      lex_next(ls);
      expr(ls, v);
      check_match(ls, ')', '(', line);
      code_dischargevars(ls->fs, v);
      return;
    }
    case TK_NAME:
      singlevar(ls, v);
      return;
    default:
      lex_syntaxerror(ls, "unexpected symbol");
  }
}

static void suffixedexp(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  primaryexp(ls, v);
  for (;;) {
    switch (ls->t.token) {
      case '.':
        fieldsel(ls, v);
        break;
      case '[': {
        expdesc key;
        code_exp2anyregup(fs, v);
        yindex(ls, &key);
        code_indexed(fs, v, &key);
        break;
      }
      case ':': {
        expdesc key;
        lex_next(ls);
        codename(ls, &key);
        code_self(fs, v, &key);
        funcargs(ls, v, line);
        break;
      }
      case '(': case TK_STRING: case '{':
        code_exp2nextreg(fs, v);
        funcargs(ls, v, line);
        break;
      default:
        return;
    }
  }
}

static void simpleexp(LexState *ls, expdesc *v) {
  switch (ls->t.token) {
    case TK_FLT:
      init_exp(v, VKFLT, 0);
      v->u.nval = ls->t.seminfo.r;
      break;
    case TK_INT:
      init_exp(v, VKINT, 0);
      v->u.ival = ls->t.seminfo.i;
      break;
    case TK_STRING:
      codestring(v, ls->t.seminfo.ts);
      break;
    case TK_NIL:
      init_exp(v, VNIL, 0);
      break;
    case TK_TRUE:
      init_exp(v, VTRUE, 0);
      break;
    case TK_FALSE:
      init_exp(v, VFALSE, 0);
      break;
    case TK_DOTS: {
      FuncState *fs = ls->fs;
      check_condition(ls, fs->f->is_vararg, "cannot use '...' outside a vararg function");
      init_exp(v, VVARARG, code_ABC(fs, OP_VARARG, 0, 0, 1));
      break;
    }
    case '{':
      constructor(ls, v);
      return;
    case TK_FUNCTION:
      lex_next(ls);
      body(ls, v, 0, ls->linenumber);
      return;
    default:
      suffixedexp(ls, v);
      return;
  }
  lex_next(ls);
}

static UnOpr getunopr(int op) {
  switch (op) {
    case TK_NOT: return OPR_NOT;
    case '-': return OPR_MINUS;
    case '~': return OPR_BNOT;
    case '#': return OPR_LEN;
    default: return OPR_NOUNOPR;
  }
}

static BinOpr getbinopr(int op) {
  switch (op) {
    case '+': return OPR_ADD;
    case '-': return OPR_SUB;
    case '*': return OPR_MUL;
    case '%': return OPR_MOD;
    case '^': return OPR_POW;
    case '/': return OPR_DIV;
    case TK_IDIV: return OPR_IDIV;
    case '&': return OPR_BAND;
    case '|': return OPR_BOR;
    case '~': return OPR_BXOR;
    case TK_SHL: return OPR_SHL;
    case TK_SHR: return OPR_SHR;
    case TK_CONCAT: return OPR_CONCAT;
    case TK_NE: return OPR_NE;
    case TK_EQ: return OPR_EQ;
    case '<': return OPR_LT;
    case TK_LE: return OPR_LE;
    case '>': return OPR_GT;
    case TK_GE: return OPR_GE;
    case TK_AND: return OPR_AND;
    case TK_OR: return OPR_OR;
    default: return OPR_NOBINOPR;
  }
}

/* Binding power of each binary operator, left and right (Lua 5.4 precedence:
 * or, and, comparisons, |, ~, &, shifts, .., + -, * / // %, unary, ^). */
static const struct {
  uint8_t left, right;
} priority[] = {
    {10, 10}, {10, 10},         /* + - */
    {11, 11}, {11, 11},         /* * % */
    {14, 13},                   /* ^ (right associative) */
    {11, 11}, {11, 11},         /* / // */
    {6, 6}, {4, 4}, {5, 5},     /* & | ~ */
    {7, 7}, {7, 7},             /* << >> */
    {9, 8},                     /* .. (right associative) */
    {3, 3}, {3, 3}, {3, 3},     /* == < <= */
    {3, 3}, {3, 3}, {3, 3},     /* ~= > >= */
    {2, 2}, {1, 1}              /* and or */
};

#define UNARY_PRIORITY 12

static BinOpr subexpr(LexState *ls, expdesc *v, int limit) {
  enterlevel(ls);
  UnOpr uop = getunopr(ls->t.token);
  if (uop != OPR_NOUNOPR) {
    int line = ls->linenumber;
    lex_next(ls);
    subexpr(ls, v, UNARY_PRIORITY);
    code_prefix(ls->fs, uop, v, line);
  } else {
    simpleexp(ls, v);
  }
  BinOpr op = getbinopr(ls->t.token);
  while (op != OPR_NOBINOPR && priority[op].left > limit) {
    expdesc v2;
    int line = ls->linenumber;
    lex_next(ls);
    code_infix(ls->fs, op, v);
    BinOpr nextop = subexpr(ls, &v2, priority[op].right);
    code_posfix(ls->fs, op, v, &v2, line);
    op = nextop;
  }
  leavelevel(ls);
  return op;
}

static void expr(LexState *ls, expdesc *v) { subexpr(ls, v, 0); }

/* -- Statements -- */

static void block(LexState *ls) {
  FuncState *fs = ls->fs;
  BlockCnt bl;
  enterblock(fs, &bl, 0);
  statlist(ls);
  leaveblock(fs);
}

struct LHS_assign {
  struct LHS_assign *prev;
  expdesc v;
};

static void check_conflict(LexState *ls, struct LHS_assign *lh, expdesc *v) {
  FuncState *fs = ls->fs;
  int extra = fs->freereg;
  int conflict = 0;
  for (; lh; lh = lh->prev) {
    if (vkisindexed(lh->v.k)) {
      if (lh->v.k == VINDEXUP) {
        if (v->k == VUPVAL && lh->v.u.ind.t == v->u.info) {
          conflict = 1;
          lh->v.k = VINDEXSTR;
          lh->v.u.ind.t = (uint8_t)extra;
        }
      } else {
        if (v->k == VLOCAL && lh->v.u.ind.t == v->u.var.ridx) {
          conflict = 1;
          lh->v.u.ind.t = (uint8_t)extra;
        }
        if (lh->v.k == VINDEXED && v->k == VLOCAL && lh->v.u.ind.idx == v->u.var.ridx) {
          conflict = 1;
          lh->v.u.ind.idx = (short)extra;
        }
      }
    }
  }
  if (conflict) {
    if (v->k == VLOCAL) code_ABC(fs, OP_MOVE, extra, v->u.var.ridx, 0);
    else code_ABC(fs, OP_GETUPVAL, extra, v->u.info, 0);
    code_reserveregs(fs, 1);
  }
}

static void restassign(LexState *ls, struct LHS_assign *lh, int nvars) {
  expdesc e;
  check_condition(ls, vkisvar(lh->v.k), "syntax error");
  check_readonly(ls, &lh->v);
  if (testnext(ls, ',')) {
    struct LHS_assign nv;
    nv.prev = lh;
    suffixedexp(ls, &nv.v);
    if (!vkisindexed(nv.v.k)) check_conflict(ls, lh, &nv.v);
    enterlevel(ls);
    restassign(ls, &nv, nvars + 1);
    leavelevel(ls);
  } else {
    checknext(ls, '=');
    int nexps = explist(ls, &e);
    if (nexps != nvars) {
      adjust_assign(ls, nvars, nexps, &e);
    } else {
      code_setoneret(ls->fs, &e);
      code_storevar(ls->fs, &lh->v, &e);
      return;
    }
  }
  init_exp(&e, VNONRELOC, ls->fs->freereg - 1);
  code_storevar(ls->fs, &lh->v, &e);
}

static int cond(LexState *ls) {
  expdesc v;
  expr(ls, &v);
  if (v.k == VNIL) v.k = VFALSE;
  code_goiftrue(ls->fs, &v);
  return v.f;
}

static void gotostat(LexState *ls) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  TString *name = str_checkname(ls);
  Labeldesc *lb = findlabel(ls, name);
  if (lb == NULL) {
    newgotoentry(ls, name, line, code_jump(fs));
  } else {
    int lblevel = reglevel(fs, lb->nactvar);
    if (parse_nvarstack(fs) > lblevel) code_ABC(fs, OP_CLOSE, lblevel, 0, 0);
    code_jumpto(fs, lb->pc);
  }
}

static void breakstat(LexState *ls) {
  int line = ls->linenumber;
  lex_next(ls);
  newgotoentry(ls, lex_newstring(ls, "break", 5), line, code_jump(ls->fs));
}

static void checkrepeated(LexState *ls, TString *name) {
  Labeldesc *lb = findlabel(ls, name);
  if (lb != NULL) {
    const char *msg = obj_pushfstring(ls->L, "label '%s' already defined on line %d", getstr(name), lb->line);
    code_semerror(ls, msg);
  }
}

static void labelstat(LexState *ls, TString *name, int line) {
  checknext(ls, TK_DBCOLON);
  while (ls->t.token == ';' || ls->t.token == TK_DBCOLON) statement(ls);
  checkrepeated(ls, name);
  createlabel(ls, name, line, block_follow(ls, 0));
}

static void whilestat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  BlockCnt bl;
  lex_next(ls);
  int whileinit = code_getlabel(fs);
  int condexit = cond(ls);
  enterblock(fs, &bl, 1);
  checknext(ls, TK_DO);
  block(ls);
  code_jumpto(fs, whileinit);
  check_match(ls, TK_END, TK_WHILE, line);
  leaveblock(fs);
  code_patchtohere(fs, condexit);
}

static void repeatstat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  int repeat_init = code_getlabel(fs);
  BlockCnt bl1, bl2;
  enterblock(fs, &bl1, 1);
  enterblock(fs, &bl2, 0);
  lex_next(ls);
  statlist(ls);
  check_match(ls, TK_UNTIL, TK_REPEAT, line);
  int condexit = cond(ls);
  leaveblock(fs);
  if (bl2.upval) {
    int exit = code_jump(fs);
    code_patchtohere(fs, condexit);
    code_ABC(fs, OP_CLOSE, reglevel(fs, bl2.nactvar), 0, 0);
    condexit = code_jump(fs);
    code_patchtohere(fs, exit);
  }
  code_patchlist(fs, condexit, repeat_init);
  leaveblock(fs);
}

static void exp1(LexState *ls) {
  expdesc e;
  expr(ls, &e);
  code_exp2nextreg(ls->fs, &e);
}

static void fixforjump(FuncState *fs, int pc, int dest, int back) {
  Instruction *jmp = &fs->f->code[pc];
  int offset = dest - (pc + 1);
  if (back) offset = -offset;
  if (offset > MAXARG_Bx) lex_syntaxerror(fs->ls, "control structure too long");
  SETARG_Bx(*jmp, offset);
}

static void forbody(LexState *ls, int base, int line, int nvars, int isgen) {
  BlockCnt bl;
  FuncState *fs = ls->fs;
  checknext(ls, TK_DO);
  int prep = isgen ? code_ABx(fs, OP_TFORPREP, base, 0) : code_ABx(fs, OP_FORPREP, base, 0);
  enterblock(fs, &bl, 0);
  adjustlocalvars(ls, nvars);
  code_reserveregs(fs, nvars);
  block(ls);
  leaveblock(fs);
  fixforjump(fs, prep, code_getlabel(fs), 0);
  if (isgen) {
    code_ABC(fs, OP_TFORCALL, base, 0, nvars);
    code_fixline(fs, line);
  }
  int endfor = code_ABx(fs, isgen ? OP_TFORLOOP : OP_FORLOOP, base, 0);
  fixforjump(fs, endfor, prep + 1, 1);
  code_fixline(fs, line);
}

static void fornum(LexState *ls, TString *varname, int line) {
  FuncState *fs = ls->fs;
  int base = fs->freereg;
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvar(ls, varname);
  checknext(ls, '=');
  exp1(ls);
  checknext(ls, ',');
  exp1(ls);
  if (testnext(ls, ',')) {
    exp1(ls);
  } else {
    code_int(fs, fs->freereg, 1);
    code_reserveregs(fs, 1);
  }
  adjustlocalvars(ls, 3);
  forbody(ls, base, line, 1, 0);
}

static void forlist(LexState *ls, TString *indexname) {
  FuncState *fs = ls->fs;
  expdesc e;
  int nvars = 5;
  int base = fs->freereg;
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvar(ls, indexname);
  while (testnext(ls, ',')) {
    new_localvar(ls, str_checkname(ls));
    nvars++;
  }
  checknext(ls, TK_IN);
  int line = ls->linenumber;
  adjust_assign(ls, 4, explist(ls, &e), &e);
  adjustlocalvars(ls, 4);
  marktobeclosed(fs);
  code_checkstack(fs, 3);
  forbody(ls, base, line, nvars - 4, 1);
}

static void forstat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  BlockCnt bl;
  enterblock(fs, &bl, 1);
  lex_next(ls);
  TString *varname = str_checkname(ls);
  switch (ls->t.token) {
    case '=':
      fornum(ls, varname, line);
      break;
    case ',':
    case TK_IN:
      forlist(ls, varname);
      break;
    default:
      lex_syntaxerror(ls, "'=' or 'in' expected");
  }
  check_match(ls, TK_END, TK_FOR, line);
  leaveblock(fs);
}

static void test_then_block(LexState *ls, int *escapelist) {
  BlockCnt bl;
  FuncState *fs = ls->fs;
  expdesc v;
  lex_next(ls);
  expr(ls, &v);
  checknext(ls, TK_THEN);
  code_goiftrue(fs, &v);
  enterblock(fs, &bl, 0);
  int jf = v.f;
  statlist(ls);
  leaveblock(fs);
  if (ls->t.token == TK_ELSE || ls->t.token == TK_ELSEIF) code_concat(fs, escapelist, code_jump(fs));
  code_patchtohere(fs, jf);
}

static void ifstat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  int escapelist = NO_JUMP;
  test_then_block(ls, &escapelist);
  while (ls->t.token == TK_ELSEIF) test_then_block(ls, &escapelist);
  if (testnext(ls, TK_ELSE)) block(ls);
  check_match(ls, TK_END, TK_IF, line);
  code_patchtohere(fs, escapelist);
}

static void localfunc(LexState *ls) {
  expdesc b;
  FuncState *fs = ls->fs;
  int fvar = fs->nactvar;
  new_localvar(ls, str_checkname(ls));
  adjustlocalvars(ls, 1);
  body(ls, &b, 0, ls->linenumber);
  localdebuginfo(fs, fvar)->startpc = fs->pc;
}

static int getlocalattribute(LexState *ls) {
  if (testnext(ls, '<')) {
    const char *attr = getstr(str_checkname(ls));
    checknext(ls, '>');
    if (strcmp(attr, "const") == 0) return RDKCONST;
    if (strcmp(attr, "close") == 0) return RDKTOCLOSE;
    code_semerror(ls, obj_pushfstring(ls->L, "unknown attribute '%s'", attr));
  }
  return VDKREG;
}

static void checktoclose(FuncState *fs, int level) {
  if (level != -1) {
    marktobeclosed(fs);
    code_ABC(fs, OP_TBC, reglevel(fs, level), 0, 0);
  }
}

static void localstat(LexState *ls) {
  FuncState *fs = ls->fs;
  int toclose = -1;
  int vidx, kind;
  int nvars = 0;
  int nexps;
  expdesc e;
  do {
    vidx = new_localvar(ls, str_checkname(ls));
    kind = getlocalattribute(ls);
    parse_getlocalvardesc(fs, vidx)->kind = (uint8_t)kind;
    if (kind == RDKTOCLOSE) {
      if (toclose != -1) code_semerror(ls, "multiple to-be-closed variables in local list");
      toclose = fs->nactvar + nvars;
    }
    nvars++;
  } while (testnext(ls, ','));
  if (testnext(ls, '=')) {
    nexps = explist(ls, &e);
  } else {
    e.k = VVOID;
    e.t = e.f = NO_JUMP;
    nexps = 0;
  }
  Vardesc *var = parse_getlocalvardesc(fs, vidx);
  if (nvars == nexps && var->kind == RDKCONST && code_exp2const(fs, &e, &var->k)) {
    var->kind = RDKCTC;
    adjustlocalvars(ls, nvars - 1);
    fs->nactvar++;
  } else {
    adjust_assign(ls, nvars, nexps, &e);
    adjustlocalvars(ls, nvars);
  }
  checktoclose(fs, toclose);
}

static int funcname(LexState *ls, expdesc *v) {
  int ismethod = 0;
  singlevar(ls, v);
  while (ls->t.token == '.') fieldsel(ls, v);
  if (ls->t.token == ':') {
    ismethod = 1;
    fieldsel(ls, v);
  }
  return ismethod;
}

static void funcstat(LexState *ls, int line) {
  expdesc v, b;
  lex_next(ls);
  int ismethod = funcname(ls, &v);
  body(ls, &b, ismethod, line);
  check_readonly(ls, &v);
  code_storevar(ls->fs, &v, &b);
  code_fixline(ls->fs, line);
}

static void exprstat(LexState *ls) {
  FuncState *fs = ls->fs;
  struct LHS_assign v;
  suffixedexp(ls, &v.v);
  if (ls->t.token == '=' || ls->t.token == ',') {
    v.prev = NULL;
    restassign(ls, &v, 1);
  } else {
    check_condition(ls, v.v.k == VCALL, "syntax error");
    Instruction *inst = &getinstr(fs, &v.v);
    SETARG_C(*inst, 1);
  }
}

static void retstat(LexState *ls) {
  FuncState *fs = ls->fs;
  expdesc e;
  int nret;
  int first = parse_nvarstack(fs);
  if (block_follow(ls, 1) || ls->t.token == ';') {
    nret = 0;
  } else {
    nret = explist(ls, &e);
    if (e.k == VCALL || e.k == VVARARG) {
      code_setmultret(fs, &e);
      if (e.k == VCALL && nret == 1 && !fs->bl->insidetbc) {
        Instruction *pi = &getinstr(fs, &e);
        *pi = (*pi & ~0xffu) | OP_TAILCALL;
      }
      nret = LUA_MULTRET;
    } else if (nret == 1) {
      first = code_exp2anyreg(fs, &e);
    } else {
      code_exp2nextreg(fs, &e);
    }
  }
  code_ret(fs, first, nret);
  testnext(ls, ';');
}

static void statement(LexState *ls) {
  int line = ls->linenumber;
  enterlevel(ls);
  switch (ls->t.token) {
    case ';':
      lex_next(ls);
      break;
    case TK_IF:
      ifstat(ls, line);
      break;
    case TK_WHILE:
      whilestat(ls, line);
      break;
    case TK_DO:
      lex_next(ls);
      block(ls);
      check_match(ls, TK_END, TK_DO, line);
      break;
    case TK_FOR:
      forstat(ls, line);
      break;
    case TK_REPEAT:
      repeatstat(ls, line);
      break;
    case TK_FUNCTION:
      funcstat(ls, line);
      break;
    case TK_LOCAL:
      lex_next(ls);
      if (testnext(ls, TK_FUNCTION)) localfunc(ls);
      else localstat(ls);
      break;
    case TK_DBCOLON:
      lex_next(ls);
      labelstat(ls, str_checkname(ls), line);
      break;
    case TK_RETURN:
      lex_next(ls);
      retstat(ls);
      break;
    case TK_BREAK:
      breakstat(ls);
      break;
    case TK_GOTO:
      lex_next(ls);
      gotostat(ls);
      break;
    default:
      exprstat(ls);
      break;
  }
  ls->fs->freereg = (uint8_t)parse_nvarstack(ls->fs);
  leavelevel(ls);
}

/* -- Main function -- */

static void mainfunc(LexState *ls, FuncState *fs) {
  BlockCnt bl;
  open_func(ls, fs, &bl);
  setvararg(fs, 0);
  Upvaldesc *env = allocupvalue(fs);
  env->instack = 1;
  env->idx = 0;
  env->kind = VDKREG;
  env->name = ls->envn;
  lex_next(ls);
  statlist(ls);
  check(ls, TK_EOS);
  close_func(ls);
}

typedef struct SParser {
  ZIO *z;
  Dyndata dyd;
  LexState lexstate; /* here, so its buffer can be freed after an error */
  const char *mode;
  const char *name;
} SParser;

static void checkmode(lua_State *L, const char *mode, const char *x) {
  if (mode && strchr(mode, x[0]) == NULL) {
    obj_pushfstring(L, "attempt to load a %s chunk (mode is '%s')", x, mode);
    do_throw(L, LUA_ERRSYNTAX);
  }
}

static void f_parser(lua_State *L, void *ud) {
  SParser *p = (SParser *)ud;
  int c = zgetc(p->z);
  if (c == DUMP_SIGNATURE[0]) { /* a binary chunk (dump.c, undump.c) */
    checkmode(L, p->mode, "binary");
    undump_chunk(L, p->z, p->name);
    func_initupvals(L, clLvalue(L->top - 1));
    return;
  }
  checkmode(L, p->mode, "text");
  LexState *ls = &p->lexstate;
  FuncState funcstate;
  LClosure *cl = func_newLclosure(L, 1);
  setclLvalue(L->top, cl);
  L->top++;
  ls->h = tab_new(L);
  sethvalue(L->top, ls->h);
  L->top++;
  funcstate.f = cl->p = func_newproto(L);
  funcstate.f->source = str_new(L, p->name);
  ls->dyd = &p->dyd;
  lex_setinput(L, ls, p->z, funcstate.f->source, c);
  mainfunc(ls, &funcstate);
  L->top--; /* pop the anchor table; the closure stays as the result */
  func_initupvals(L, cl);
}

/* Parse a chunk in protected mode; on success the new closure is on the top
 * of the stack, on failure the error message. */
int parse_protected(lua_State *L, ZIO *z, const char *name, const char *mode) {
  SParser p;
  memset(&p, 0, sizeof(p));
  p.z = z;
  p.name = name;
  p.mode = mode;
  G(L)->gcstop++;
  int oldncc = L->nCcalls;
  int status = do_pcall(L, f_parser, &p, savestack(L, L->top), L->errfunc);
  L->nCcalls = oldncc;
  mem_free(L, p.lexstate.buff, p.lexstate.buffsize);
  mem_freearray(L, p.dyd.actvar.arr, p.dyd.actvar.size);
  mem_freearray(L, p.dyd.gt.arr, p.dyd.gt.size);
  mem_freearray(L, p.dyd.label.arr, p.dyd.label.size);
  G(L)->gcstop--;
  return status;
}
