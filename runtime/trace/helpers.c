/*
 * helpers.c -- the slow path that trace code calls: jit_h_exec runs one
 * bytecode instruction with exactly the interpreter's semantics (table
 * access with metamethods, calls, concatenation, allocation, ...).
 *
 * Contract with the EXEC uop: the frame is the current CallInfo's; before
 * anything that can raise an error, call Lua or collect garbage, savedpc
 * points past the instruction (as the interpreter's Protect does) and
 * L->top covers the whole frame; the stack may move, so the stencil reloads
 * its base afterwards. The recorder only emits EXEC for the opcodes handled
 * here; anything else is a bug and raises an error instead of guessing.
 *
 * A call made here may yield (a coroutine's Lua function, a metamethod):
 * the yield longjmps through the trace's frames like an error does, and
 * the next resume finishes this instruction in the interpreter (vm.c:
 * vm_finishop), which then continues at savedpc. That is sound because
 * savedpc and every value are in the frame at this point, nothing in
 * registers.
 */
#include "trace.h"

static const char *op_name(OpCode op) {
  static const char *const names[NUM_OPCODES] = {
#define OPNAME(name) #name,
      OPCODES(OPNAME)
#undef OPNAME
  };
  return (unsigned)op < NUM_OPCODES ? names[op] : "?";
}

/* As the interpreter's checkGC (vm.c): the frame is marked up to 'top',
 * just above the instruction's result; the dead registers above are not. */
static void gc_step_if_needed(lua_State *L, CallInfo *ci, StkId top) {
  if (G(L)->totalbytes > G(L)->gcthreshold) {
    L->top = top;
    gc_check(L);
    L->top = ci->top;
  }
}

static void exec_get(lua_State *L, TValue *t, TValue *key, StkId ra) {
  const TValue *slot = NULL;
  if (ttistable(t)) {
    slot = tab_get(hvalue(t), key);
    if (!ttisnil(slot)) {
      setobj(ra, slot);
      return;
    }
  }
  vm_finishget(L, t, key, ra, slot);
}

static void exec_set(lua_State *L, TValue *t, TValue *key, TValue *val) {
  const TValue *slot = NULL;
  if (ttistable(t)) {
    slot = tab_get(hvalue(t), key);
    if (!ttisnil(slot)) {
      setobj((TValue *)slot, val);
      return;
    }
  }
  vm_finishset(L, t, key, val, slot);
}

static int arith_op(OpCode op) {
  switch (op) {
  case OP_ADD: case OP_ADDK: case OP_ADDI: return LUA_OPADD;
  case OP_SUB: case OP_SUBK: case OP_SUBI: return LUA_OPSUB;
  case OP_MUL: case OP_MULK: return LUA_OPMUL;
  case OP_MOD: case OP_MODK: return LUA_OPMOD;
  case OP_POW: case OP_POWK: return LUA_OPPOW;
  case OP_DIV: case OP_DIVK: return LUA_OPDIV;
  case OP_IDIV: case OP_IDIVK: return LUA_OPIDIV;
  case OP_BAND: case OP_BANDK: return LUA_OPBAND;
  case OP_BOR: case OP_BORK: return LUA_OPBOR;
  case OP_BXOR: case OP_BXORK: return LUA_OPBXOR;
  case OP_SHL: case OP_SHLK: return LUA_OPSHL;
  case OP_SHR: case OP_SHRK: return LUA_OPSHR;
  case OP_UNM: return LUA_OPUNM;
  case OP_BNOT: return LUA_OPBNOT;
  default: return -1;
  }
}

/* -- Frames of inlined calls ------------------------------------------------ */

static CallInfo *push_frame(lua_State *L, CallInfo *root, const JitFrame *f) {
  CallInfo *caller = f->up ? push_frame(L, root, f->up) : root;
  caller->savedpc = f->callpc + 1; /* where the call returns to */
  L->ci = caller;
  CallInfo *ci = next_ci(L);
  ci->func = root->func + f->base;
  ci->top = ci->func + 1 + f->p->maxstacksize;
  ci->savedpc = f->p->code;
  ci->nresults = (short)f->nres;
  ci->callstatus = f->tail ? CIST_TAIL : 0;
  ci->nextraargs = f->nextra;
  L->ci = ci;
  return ci;
}

CallInfo *jit_push_frames(lua_State *L, CallInfo *root, const JitFrame *f) {
  /* The innermost frame is the highest: the stack up to its top is live
   * (the trace's G_STACK guards made the room) while CallInfos are made. */
  L->top = root->func + 1 + f->base + f->p->maxstacksize;
  return push_frame(L, root, f);
}

void jit_h_exec_f(lua_State *L, const Instruction *pc, const void *frame) {
  CallInfo *root = L->ci;
  jit_push_frames(L, root, (const JitFrame *)frame);
  jit_h_exec(L, pc);
  L->ci = root; /* the stack may have moved: root was corrected with it */
}

void jit_h_exec(lua_State *L, const Instruction *pc) {
  CallInfo *ci = L->ci;
  LClosure *cl = clLvalue(ci->func);
  TValue *k = cl->p->k;
  StkId base = ci->func + 1;
  Instruction i = *pc;
  OpCode op = GET_OPCODE(i);
  StkId ra = base + GETARG_A(i);
  ci->savedpc = pc + 1;
  L->top = ci->top;
  switch (op) {
  case OP_GETTABUP:
    exec_get(L, cl->upvals[GETARG_B(i)]->v, k + GETARG_C(i), ra);
    break;
  case OP_GETTABLE:
    exec_get(L, base + GETARG_B(i), base + GETARG_C(i), ra);
    break;
  case OP_GETI: {
    TValue key;
    setivalue(&key, GETARG_C(i));
    exec_get(L, base + GETARG_B(i), &key, ra);
    break;
  }
  case OP_GETFIELD:
    exec_get(L, base + GETARG_B(i), k + GETARG_C(i), ra);
    break;
  case OP_SELF: {
    TValue *rb = base + GETARG_B(i);
    setobj(ra + 1, rb);
    exec_get(L, ra + 1, k + GETARG_C(i), ra);
    break;
  }
  case OP_SETTABUP:
    exec_set(L, cl->upvals[GETARG_A(i)]->v, k + GETARG_B(i),
             base + GETARG_C(i));
    break;
  case OP_SETTABLE:
    exec_set(L, ra, base + GETARG_B(i), base + GETARG_C(i));
    break;
  case OP_SETI: {
    TValue key;
    setivalue(&key, GETARG_B(i));
    exec_set(L, ra, &key, base + GETARG_C(i));
    break;
  }
  case OP_SETFIELD:
    exec_set(L, ra, k + GETARG_B(i), base + GETARG_C(i));
    break;
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_MOD: case OP_POW:
  case OP_DIV: case OP_IDIV: case OP_BAND: case OP_BOR: case OP_BXOR:
  case OP_SHL: case OP_SHR:
    vm_arith(L, arith_op(op), base + GETARG_B(i), base + GETARG_C(i), ra);
    break;
  case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK:
  case OP_DIVK: case OP_IDIVK: case OP_BANDK: case OP_BORK: case OP_BXORK:
  case OP_SHLK: case OP_SHRK:
    vm_arith(L, arith_op(op), base + GETARG_B(i), k + GETARG_C(i), ra);
    break;
  case OP_ADDKL: case OP_MULKL: /* constant first, for metamethods */
    vm_arith(L, op == OP_ADDKL ? LUA_OPADD : LUA_OPMUL, k + GETARG_C(i),
             base + GETARG_B(i), ra);
    break;
  case OP_ADDI: {
    TValue imm;
    setivalue(&imm, GETARG_sC(i));
    vm_arith(L, LUA_OPADD, base + GETARG_B(i), &imm, ra);
    break;
  }
  case OP_SUBI: { /* x + (-i) for numbers, __sub(x, i) otherwise */
    TValue *rb = base + GETARG_B(i);
    int imm = GETARG_sC(i);
    TValue iv;
    setivalue(&iv, ttisnumber(rb) ? -imm : imm);
    vm_arith(L, ttisnumber(rb) ? LUA_OPADD : LUA_OPSUB, rb, &iv, ra);
    break;
  }
  case OP_UNM: case OP_BNOT:
    vm_arith(L, arith_op(op), base + GETARG_B(i), base + GETARG_B(i), ra);
    break;
  case OP_LEN:
    vm_objlen(L, ra, base + GETARG_B(i));
    break;
  case OP_CONCAT: {
    int n = GETARG_B(i);
    L->top = ra + n;
    vm_concat(L, n);
    gc_step_if_needed(L, ci, L->top);
    break;
  }
  case OP_NEWTABLE: {
    int b = GETARG_B(i), c = GETARG_C(i);
    unsigned int asize = b < 128 ? (unsigned int)b : 1u << (b - 128);
    unsigned int hsize = c < 128 ? (unsigned int)c : 1u << (c - 128);
    Table *t = tab_new(L);
    sethvalue(ra, t);
    if (asize || hsize)
      tab_resize(L, t, asize, hsize);
    gc_step_if_needed(L, ci, ra + 1);
    break;
  }
  case OP_CLOSURE: {
    Proto *p = cl->p->p[GETARG_Bx(i)];
    LClosure *ncl = func_newLclosure(L, p->sizeupvalues);
    ncl->p = p;
    setclLvalue(ra, ncl);
    for (int j = 0; j < p->sizeupvalues; j++) {
      if (p->upvalues[j].instack)
        ncl->upvals[j] = func_findupval(L, base + p->upvalues[j].idx);
      else
        ncl->upvals[j] = cl->upvals[p->upvalues[j].idx];
    }
    gc_step_if_needed(L, ci, ra + 1);
    break;
  }
  case OP_CALL: {
    /* Fixed argument and result counts only (the recorder checks). */
    L->top = ra + GETARG_B(i);
    do_call(L, ra, GETARG_C(i) - 1);
    break;
  }
  case OP_TFORCALL: {
    setobj(ra + 4, ra);
    setobj(ra + 5, ra + 1);
    setobj(ra + 6, ra + 2);
    L->top = ra + 4 + 3;
    do_call(L, ra + 4, GETARG_C(i));
    break;
  }
  case OP_SETLIST: {
    /* Fixed counts only (the recorder checks); the last index follows in
     * the next instruction (EXTRAARG), as the interpreter reads it. */
    int n = GETARG_B(i);
    unsigned int last = (unsigned int)GETARG_Ax(pc[1]) + (unsigned int)n;
    Table *h = hvalue(ra);
    ci->savedpc = pc + 2;
    if (last > h->asize)
      tab_resizearray(L, h, last);
    for (; n > 0; n--, last--)
      setobj(&h->array[last - 1], ra + n);
    break;
  }
  case OP_TFORPREP:
    /* The jump to TFORCALL is the trace's path; only the to-be-closed
     * variable is made here. */
    L->top = ci->top;
    func_newtbcupval(L, ra + 3);
    break;
  default:
    dbg_runerror(L, "internal error: trace cannot execute %s",
                 op_name(op));
  }
  L->top = ci->top;
}

/* NEXT_T: the call `next(t, k)` a TFORCALL at ra makes (the trace guards
 * that ra is `next` and ra + 1 a table): key and value at ra + 4, or nil
 * at the end, then nils up to c results; raw, nothing allocated. Declines
 * (nonzero, nothing that matters changed: the interpreter's TFORCALL
 * rewrites ra + 4 on) for a key not in the table, whose error the
 * interpreter raises. */
int jit_h_next(TValue *ra, uint32_t c) {
  setobj(ra + 4, ra + 2);
  int r = tab_next_noerr(hvalue(ra + 1), ra + 4);
  if (r < 0)
    return 1;
  if (r == 0)
    setnilvalue(ra + 4);
  for (uint32_t j = r ? 2 : 1; j < c; j++)
    setnilvalue(ra + 4 + j);
  return 0;
}

/* SETMT: setmetatable(t, mt) as the library does it, for a table t that
 * has no metatable yet and mt a table or nil (the trace guards both
 * types). Declines (nonzero, nothing changed) when t has a metatable,
 * which may be protected: the interpreter's call decides then. */
int jit_h_setmt(lua_State *L, TValue *t, const TValue *mt) {
  Table *h = hvalue(t);
  if (h->metatable != NULL)
    return 1;
  Table *m = ttisnil(mt) ? NULL : hvalue(mt);
  h->metatable = m;
  gc_checkfinalizer(L, gcvalue(t), m);
  return 0;
}

/* NEWTAB: NEWTABLE's table (sizes: array | hash << 32). Declines
 * (nonzero, nothing done) when a collection is due: the trace exits and
 * the interpreter's NEWTABLE makes the table and collects, finalizers and
 * all, with the frame written back. So no Lua code runs here. */
int jit_h_newtable(lua_State *L, TValue *ra, uint64_t sizes) {
  if (gc_isdue(L))
    return 1;
  Table *t = tab_new(L);
  sethvalue(ra, t);
  unsigned int asize = (unsigned int)sizes, hsize = (unsigned int)(sizes >> 32);
  if (asize || hsize)
    tab_resize(L, t, asize, hsize);
  return 0;
}

/* SETLIST_T: items first+1 .. first+n of table ra from ra+1 .. ra+n, the
 * array part grown first as the interpreter's SETLIST does. */
void jit_h_setlist(lua_State *L, TValue *ra, uint32_t n, uint32_t first) {
  Table *h = hvalue(ra);
  unsigned int last = first + n;
  if (last > h->asize) {
    StkId tp = ra + n + 1;
    L->top = tp > L->ci->top ? tp : L->ci->top;
    tab_resizearray(L, h, last);
    L->top = L->ci->top;
  }
  for (; n > 0; n--) {
    setobj(&h->array[last - 1], ra + n);
    last--;
  }
}

/* SETFIELD_S: raw store of a short-string key into a table that has no
 * metatable (the trace guards that). Inserting a new key may rehash and
 * allocate, so the whole frame is made visible to the GC first. */
void jit_h_setfield(lua_State *L, Table *t, TString *key, const TValue *val) {
  const TValue *slot = tab_getshortstr(t, key);
  if (!ttisnil(slot)) {
    setobj((TValue *)slot, val);
    return;
  }
  TValue k, v;
  setsvalue(&k, key);
  setobj(&v, val); /* val points into the stack, which does not move here */
  L->top = L->ci->top;
  tab_finishset(L, t, &k, slot, &v);
}
