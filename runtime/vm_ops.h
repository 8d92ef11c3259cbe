/* vm_ops.h -- the interpreter's handlers, written once for both dispatch
 * forms (vm.c, "The interpreter"): included inside vm_execute, where each
 * HANDLER/CASE is a label of one computed-goto loop, or at file scope,
 * where each is a function that ends in a tail call to the next one.
 *
 * Only vm.c includes this file, after defining HANDLER, CASE, SUBBODY,
 * JUMP, BREAK, DISPATCH_BASE, VM_LEAVE, VM_SETCL and the state every
 * handler sees: L, ci, cl, k, base, pc, i (the instruction), dispatch (the
 * table the next instruction goes through), and in a CASE (an opcode's
 * handler) ra, its register A, which CASE computes from i.  A CASE opens
 * the handler's block; every handler closes it with "}".  A handler never
 * falls off its end: it dispatches, jumps to another handler, or leaves
 * the interpreter. */

/* Enter the frame ci (a call, a return to it, or the first entry). */
HANDLER(START) {
  dispatch = G(L)->dispatch;
  VM_SETCL(); /* cl = the frame's closure (a macro reading ci->func in some forms) */
  k = cl->p->k;
  pc = ci->savedpc;
  base = ci->func + 1;
  BREAK;
}

/* The frame ci has returned (do_poscall or an inline return): leave when
 * it was the one vm_execute was entered with, else go on in its caller. */
HANDLER(RET) {
  if (ci->callstatus & CIST_FRESH) VM_LEAVE();
  ci = L->ci;
  JUMP(START);
}

/* Hook mode (debug.sethook): line and count events before each
 * instruction; Lua returns take the general path, which calls do_poscall
 * and so the return hook. */
HANDLER(HOOK) {
  if (L->hookmask) {
    /* A frame's savedpc stays at its first instruction until something
     * saves it, and in hook mode every instruction does (below); a frame
     * seen here once is marked, so a jump back to its first instruction
     * (whose back-edge may save that pc) is no new call.  Vararg functions
     * get their call event after VARARGPREP. */
    if (!(ci->callstatus & CIST_HOOKSEEN)) {
      ci->callstatus |= CIST_HOOKSEEN;
      if (ci->savedpc == cl->p->code && !cl->p->is_vararg) {
        dbg_hookcall(L, ci);
        updatebase();
      }
    }
    savepc();
    if ((L->hookmask & (LUA_MASKLINE | LUA_MASKCOUNT)) && GET_OPCODE(i) != OP_VARARGPREP) {
      if (!dbg_usestop(i)) L->top = ci->top;
      dbg_traceexec(L, pc);
      updatebase();
    }
    dispatch = G(L)->dispatch;
  }
  if (L->hookmask && GET_OPCODE(i) == OP_RETURN0) {
    L->top = RA(i);
    JUMP(RETURN);
  }
  if (L->hookmask && GET_OPCODE(i) == OP_RETURN1) JUMP(RETURN);
  DISPATCH_BASE();
}

/* Recording mode: every instruction passes through the recorder first. */
HANDLER(RECORD) {
  jit_record(L, ci, pc - 1);
  dispatch = G(L)->dispatch;
  DISPATCH_BASE();
}

/* -istats: count executions per opcode byte, then dispatch. */
HANDLER(ISTAT) {
  G(L)->qstats->exec[GET_RAWOP(i)]++;
  DISPATCH_BASE();
}

/* An adaptive handler's counter ran out: specialize, then run the
 * instruction in whatever form it now has. */
HANDLER(QSPEC) {
  qspecialize(L, ci, (int)(pc - 1 - cl->p->code));
  i = pc[-1];
  JUMP(QBODY);
}

/* The first adaptive instruction of this prototype: make its caches. */
HANDLER(QALLOC) {
  if (cl->p->qc == NULL) qalloc(L, cl->p);
  JUMP(QBODY);
}

/* Run instruction i, whose handler was entered and left before its body:
 * the generic body of an adaptive opcode, else its (quickened) handler. */
HANDLER(QBODY) {
  switch (GET_RAWOP(i)) {
#define QBODYCASE(name) case OP_##name: JUMP(name##_body);
    QGENERICS(QBODYCASE)
#undef QBODYCASE
    default: DISPATCH_BASE();
  }
}

#if VM_SLOWPATHS_OUT
/* A backward branch has set pc (JMP, FORLOOP, TFORLOOP, a taken
 * conditional jump back): run a trace there or count it, then go on.  Out
 * of line, as the misses below, so that the handlers that branch make no
 * calls of their own (in the tail-call form: nothing to save around them). */
HANDLER(LOOP) {
  jit_loop();
  dispatch = G(L)->dispatch;
  BREAK;
}

/* A quickened instruction's guard failed (QMISS): count the miss, then run
 * the generic body of its opcode. */
HANDLER(MISS) {
  qmiss(L, cl->p, (int)(pc - 1 - cl->p->code));
  JUMP(GENBODY);
}

/* A field form missed on t[key] (QMISSFIELD): qmissfield may remember the
 * key's node in t as the site's second layout. */
HANDLER(FMISS) {
  const TValue *t, *key;
  switch (GET_RAWOP(i)) {
    case OP_GETTABUP_H: t = cl->upvals[GETARG_B(i)]->v; key = KC(i); break;
    case OP_GETFIELD_H: t = RB(i); key = KC(i); break;
    case OP_SETTABUP_H: t = cl->upvals[GETARG_A(i)]->v; key = KB(i); break;
    case OP_SETFIELD_H: t = RA(i); key = KB(i); break;
    default: t = RB(i); key = KC(i); break; /* SELF_H */
  }
  qmissfield(L, cl->p, (int)(pc - 1 - cl->p->code), t, key);
  JUMP(GENBODY);
}

/* Run quickened instruction i as its generic opcode. */
HANDLER(GENBODY) {
  switch (GET_RAWOP(i)) {
#define GENBODYCASE(name, gen) case OP_##name: JUMP(gen##_body);
    QOPCODES(GENBODYCASE)
#undef GENBODYCASE
    default: DISPATCH_BASE(); /* a generic opcode: its own handler */
  }
}
#endif

/* -- The instructions -- */

CASE(MOVE)
  setobj(ra, RB(i));
  BREAK;
}
CASE(LOADI)
  setivalue(ra, GETARG_sBx(i));
  BREAK;
}
CASE(LOADF)
  setfltvalue(ra, (lua_Number)GETARG_sBx(i));
  BREAK;
}
CASE(LOADK)
  setobj(ra, KBx(i));
  BREAK;
}
CASE(LOADKX)
  setobj(ra, k + GETARG_Ax(*pc));
  pc++;
  BREAK;
}
CASE(LOADFALSE)
  setbfvalue(ra);
  BREAK;
}
CASE(LFALSESKIP)
  setbfvalue(ra);
  pc++;
  BREAK;
}
CASE(LOADTRUE)
  setbtvalue(ra);
  BREAK;
}
CASE(LOADNIL)
  int b = GETARG_B(i);
  do {
    setnilvalue(ra++);
  } while (b--);
  BREAK;
}
CASE(GETUPVAL)
  setobj(ra, cl->upvals[GETARG_B(i)]->v);
  BREAK;
}
CASE(SETUPVAL)
  setobj(cl->upvals[GETARG_B(i)]->v, ra);
  BREAK;
}
CASE(GETTABUP)
  QADAPT();
  SUBBODY(GETTABUP)
  TValue *upval = cl->upvals[GETARG_B(i)]->v;
  TValue *rc = KC(i);
  if (ttistable(upval)) {
    const TValue *slot = tab_getshortstr(hvalue(upval), tsvalue(rc));
    if (!ttisnil(slot)) {
      setobj(ra, slot);
      BREAK;
    }
    Protect(vm_finishget(L, upval, rc, ra, slot));
  } else {
    Protect(vm_finishget(L, upval, rc, ra, NULL));
  }
  BREAK;
}
CASE(GETTABLE)
  {
    TValue *rb = RB(i), *rc = RC(i);
    if (l_likely(ttistable(rb) && ttisinteger(rc))) {
      Table *h = hvalue(rb);
      lua_Unsigned ix = l_castS2U(ivalue(rc)) - 1u;
      if (l_likely(ix < h->asize && !ttisnil(&h->array[ix]))) {
        setobj(ra, &h->array[ix]);
        BREAK;
      }
    }
  }
  SLOWPATH(GETTABLE)
  TValue *rb = RB(i);
  TValue *rc = RC(i);
  if (ttistable(rb)) {
    Table *h = hvalue(rb);
    const TValue *slot;
    if (ttisinteger(rc)) {
      lua_Integer key = ivalue(rc);
      if (l_castS2U(key) - 1u < h->asize) slot = &h->array[key - 1];
      else slot = tab_getint(h, key);
    } else {
      slot = tab_get(h, rc);
    }
    if (!ttisnil(slot)) {
      setobj(ra, slot);
      BREAK;
    }
    Protect(vm_finishget(L, rb, rc, ra, slot));
  } else {
    Protect(vm_finishget(L, rb, rc, ra, NULL));
  }
  BREAK;
}
CASE(GETI)
  {
    TValue *rb = RB(i);
    if (l_likely(ttistable(rb))) {
      Table *h = hvalue(rb);
      unsigned ix = (unsigned)GETARG_C(i) - 1u;
      if (l_likely(ix < h->asize && !ttisnil(&h->array[ix]))) {
        setobj(ra, &h->array[ix]);
        BREAK;
      }
    }
  }
  SLOWPATH(GETI)
  TValue *rb = RB(i);
  int c = GETARG_C(i);
  if (ttistable(rb)) {
    Table *h = hvalue(rb);
    const TValue *slot = (unsigned)c - 1u < h->asize ? &h->array[c - 1] : tab_getint(h, c);
    if (!ttisnil(slot)) {
      setobj(ra, slot);
      BREAK;
    }
    TValue key;
    setivalue(&key, c);
    Protect(vm_finishget(L, rb, &key, ra, slot));
  } else {
    TValue key;
    setivalue(&key, c);
    Protect(vm_finishget(L, rb, &key, ra, NULL));
  }
  BREAK;
}
CASE(GETFIELD)
  QADAPT();
  SUBBODY(GETFIELD)
  TValue *rb = RB(i);
  TValue *rc = KC(i);
  if (ttistable(rb)) {
    const TValue *slot = tab_getshortstr(hvalue(rb), tsvalue(rc));
    if (!ttisnil(slot)) {
      setobj(ra, slot);
      BREAK;
    }
    Protect(vm_finishget(L, rb, rc, ra, slot));
  } else {
    Protect(vm_finishget(L, rb, rc, ra, NULL));
  }
  BREAK;
}
CASE(SETTABUP)
  QADAPT();
  SUBBODY(SETTABUP)
  TValue *upval = cl->upvals[GETARG_A(i)]->v;
  TValue *rb = KB(i);
  TValue *rc = RC(i);
  if (ttistable(upval)) {
    const TValue *slot = tab_getshortstr(hvalue(upval), tsvalue(rb));
    if (!ttisnil(slot)) {
      setobj((TValue *)slot, rc);
      BREAK;
    }
    Protect(vm_finishset(L, upval, rb, rc, slot));
  } else {
    Protect(vm_finishset(L, upval, rb, rc, NULL));
  }
  BREAK;
}
CASE(SETTABLE)
  {
    TValue *rb = RB(i);
    if (l_likely(ttistable(ra) && ttisinteger(rb))) {
      Table *h = hvalue(ra);
      lua_Unsigned ix = l_castS2U(ivalue(rb)) - 1u;
      if (l_likely(ix < h->asize && !ttisnil(&h->array[ix]))) {
        setobj(&h->array[ix], RC(i));
        BREAK;
      }
    }
  }
  SLOWPATH(SETTABLE)
  TValue *rb = RB(i);
  TValue *rc = RC(i);
  if (ttistable(ra)) {
    Table *h = hvalue(ra);
    const TValue *slot;
    if (ttisinteger(rb)) {
      lua_Integer key = ivalue(rb);
      if (l_castS2U(key) - 1u < h->asize) slot = &h->array[key - 1];
      else slot = tab_getint(h, key);
    } else {
      slot = tab_get(h, rb);
    }
    if (!ttisnil(slot)) {
      setobj((TValue *)slot, rc);
      BREAK;
    }
    Protect(vm_finishset(L, ra, rb, rc, slot));
  } else {
    Protect(vm_finishset(L, ra, rb, rc, NULL));
  }
  BREAK;
}
CASE(SETI)
  if (l_likely(ttistable(ra))) {
    Table *h = hvalue(ra);
    unsigned ix = (unsigned)GETARG_B(i) - 1u;
    if (l_likely(ix < h->asize && !ttisnil(&h->array[ix]))) {
      setobj(&h->array[ix], RC(i));
      BREAK;
    }
  }
  SLOWPATH(SETI)
  int b = GETARG_B(i);
  TValue *rc = RC(i);
  if (ttistable(ra)) {
    Table *h = hvalue(ra);
    const TValue *slot = (unsigned)b - 1u < h->asize ? &h->array[b - 1] : tab_getint(h, b);
    if (!ttisnil(slot)) {
      setobj((TValue *)slot, rc);
      BREAK;
    }
    TValue key;
    setivalue(&key, b);
    Protect(vm_finishset(L, ra, &key, rc, slot));
  } else {
    TValue key;
    setivalue(&key, b);
    Protect(vm_finishset(L, ra, &key, rc, NULL));
  }
  BREAK;
}
CASE(SETFIELD)
  QADAPT();
  SUBBODY(SETFIELD)
  TValue *rb = KB(i);
  TValue *rc = RC(i);
  if (ttistable(ra)) {
    const TValue *slot = tab_getshortstr(hvalue(ra), tsvalue(rb));
    if (!ttisnil(slot)) {
      setobj((TValue *)slot, rc);
      BREAK;
    }
    Protect(vm_finishset(L, ra, rb, rc, slot));
  } else {
    Protect(vm_finishset(L, ra, rb, rc, NULL));
  }
  BREAK;
}
CASE(NEWTABLE)
  int b = GETARG_B(i);
  int c = GETARG_C(i);
  unsigned int asize = b < 128 ? (unsigned int)b : 1u << (b - 128);
  unsigned int hsize = c < 128 ? (unsigned int)c : 1u << (c - 128);
  savestate();
  Table *t = tab_new(L);
  sethvalue(ra, t);
  if (asize || hsize) tab_resize(L, t, asize, hsize);
  checkGC(L, ra + 1);
  BREAK;
}
CASE(SELF)
  QADAPT();
  SUBBODY(SELF)
  TValue *rb = RB(i);
  TValue *rc = KC(i);
  setobj(ra + 1, rb);
  if (ttistable(rb)) {
    const TValue *slot = tab_getshortstr(hvalue(rb), tsvalue(rc));
    if (!ttisnil(slot)) {
      setobj(ra, slot);
      BREAK;
    }
    Protect(vm_finishget(L, rb, rc, ra, slot));
  } else {
    Protect(vm_finishget(L, rb, rc, ra, NULL));
  }
  BREAK;
}
CASE(ADDI)
  TValue *rb = RB(i);
  int imm = GETARG_sC(i);
  if (ttisinteger(rb)) {
    setivalue(ra, intop(+, ivalue(rb), imm));
  } else if (ttisfloat(rb)) {
    setfltvalue(ra, fltvalue(rb) + (lua_Number)imm);
  } else {
    TValue iv;
    setivalue(&iv, imm);
    Protect(vm_arith(L, LUA_OPADD, rb, &iv, ra));
  }
  BREAK;
}
CASE(SUBI) /* R[B] + (-sC): the sum, as lua5.4 computes x - i */
  TValue *rb = RB(i);
  int imm = GETARG_sC(i);
  if (ttisinteger(rb)) {
    setivalue(ra, intop(+, ivalue(rb), -imm));
  } else if (ttisfloat(rb)) {
    setfltvalue(ra, fltvalue(rb) + (lua_Number)-imm);
  } else {
    TValue iv;
    setivalue(&iv, imm);
    Protect(vm_arith(L, LUA_OPSUB, rb, &iv, ra));
  }
  BREAK;
}
CASE(ADDK) QADAPT(); SUBBODY(ADDK) op_arith_aux(RB(i), KC(i), iadd, fadd, LUA_OPADD); BREAK; }
CASE(SUBK) QADAPT(); SUBBODY(SUBK) op_arith_aux(RB(i), KC(i), isub, fsub, LUA_OPSUB); BREAK; }
CASE(MULK) QADAPT(); SUBBODY(MULK) op_arith_aux(RB(i), KC(i), imul, fmul, LUA_OPMUL); BREAK; }
CASE(MODK)
  {
    TValue *rb = RB(i), *kc = KC(i);
    if (l_likely(ttisinteger(rb) && ttisinteger(kc) && ivalue(kc) > 0)) {
      lua_Integer r = ivalue(rb) % ivalue(kc);
      if (r < 0) r += ivalue(kc);
      setivalue(ra, r);
      BREAK;
    }
  }
  SLOWPATH(MODK)
  op_arith_saved(RB(i), KC(i), vm_mod, vm_modf, LUA_OPMOD); BREAK; }
CASE(POWK) op_arithf_aux(RB(i), KC(i), fpow, LUA_OPPOW); BREAK; }
CASE(DIVK) op_arithf_aux(RB(i), KC(i), fdiv, LUA_OPDIV); BREAK; }
CASE(IDIVK)
  {
    TValue *v1_ = RB(i), *v2_ = KC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_) && ivalue(v2_) > 0)) {
      lua_Integer q_ = ivalue(v1_) / ivalue(v2_);
      if (ivalue(v1_) % ivalue(v2_) < 0) q_ -= 1;
      setivalue(ra, q_);
      BREAK;
    }
  }
  SLOWPATH(IDIVK)
  op_arith_saved(RB(i), KC(i), vm_idiv, fidiv, LUA_OPIDIV); BREAK; }
CASE(BANDK)
  {
    TValue *v1_ = RB(i), *v2_ = KC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, band(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(BANDK)
  op_bitwise_aux(RB(i), KC(i), band, LUA_OPBAND); BREAK; }
CASE(BORK)
  {
    TValue *v1_ = RB(i), *v2_ = KC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, bor(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(BORK)
  op_bitwise_aux(RB(i), KC(i), bor, LUA_OPBOR); BREAK; }
CASE(BXORK)
  {
    TValue *v1_ = RB(i), *v2_ = KC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, bxor(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(BXORK)
  op_bitwise_aux(RB(i), KC(i), bxor, LUA_OPBXOR); BREAK; }
CASE(SHLK)
  {
    TValue *v1_ = RB(i), *v2_ = KC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, shl(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(SHLK)
  op_bitwise_aux(RB(i), KC(i), shl, LUA_OPSHL); BREAK; }
CASE(SHRK)
  {
    TValue *v1_ = RB(i), *v2_ = KC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, shr(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(SHRK)
  op_bitwise_aux(RB(i), KC(i), shr, LUA_OPSHR); BREAK; }
CASE(ADDKL)
  TValue *rb = RB(i);
  TValue *kc = KC(i);
  if (ttisinteger(rb) && ttisinteger(kc)) {
    setivalue(ra, intop(+, ivalue(kc), ivalue(rb)));
  } else if (ttisfloat(rb) && ttisfloat(kc)) {
    setfltvalue(ra, fltvalue(kc) + fltvalue(rb));
  } else {
    op_arith_aux(kc, rb, iadd, fadd, LUA_OPADD);
  }
  BREAK;
}
CASE(MULKL)
  TValue *rb = RB(i);
  TValue *kc = KC(i);
  if (ttisfloat(rb) && ttisfloat(kc)) {
    setfltvalue(ra, fltvalue(kc) * fltvalue(rb));
  } else {
    op_arith_aux(kc, rb, imul, fmul, LUA_OPMUL);
  }
  BREAK;
}
CASE(ADD) QADAPT(); SUBBODY(ADD) op_arith_aux(RB(i), RC(i), iadd, fadd, LUA_OPADD); BREAK; }
CASE(SUB) QADAPT(); SUBBODY(SUB) op_arith_aux(RB(i), RC(i), isub, fsub, LUA_OPSUB); BREAK; }
CASE(MUL) QADAPT(); SUBBODY(MUL) op_arith_aux(RB(i), RC(i), imul, fmul, LUA_OPMUL); BREAK; }
CASE(MOD)
  {
    TValue *rb = RB(i), *rc = RC(i);
    if (l_likely(ttisinteger(rb) && ttisinteger(rc) && ivalue(rc) > 0)) {
      lua_Integer r = ivalue(rb) % ivalue(rc);
      if (r < 0) r += ivalue(rc);
      setivalue(ra, r);
      BREAK;
    }
  }
  SLOWPATH(MOD)
  op_arith_saved(RB(i), RC(i), vm_mod, vm_modf, LUA_OPMOD); BREAK; }
CASE(POW) op_arithf_aux(RB(i), RC(i), fpow, LUA_OPPOW); BREAK; }
CASE(DIV) QADAPT(); SUBBODY(DIV) op_arithf_aux(RB(i), RC(i), fdiv, LUA_OPDIV); BREAK; }
CASE(IDIV)
  {
    TValue *v1_ = RB(i), *v2_ = RC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_) && ivalue(v2_) > 0)) {
      lua_Integer q_ = ivalue(v1_) / ivalue(v2_);
      if (ivalue(v1_) % ivalue(v2_) < 0) q_ -= 1;
      setivalue(ra, q_);
      BREAK;
    }
  }
  SLOWPATH(IDIV)
  op_arith_saved(RB(i), RC(i), vm_idiv, fidiv, LUA_OPIDIV); BREAK; }
CASE(BAND)
  {
    TValue *v1_ = RB(i), *v2_ = RC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, band(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(BAND)
  op_bitwise_aux(RB(i), RC(i), band, LUA_OPBAND); BREAK; }
CASE(BOR)
  {
    TValue *v1_ = RB(i), *v2_ = RC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, bor(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(BOR)
  op_bitwise_aux(RB(i), RC(i), bor, LUA_OPBOR); BREAK; }
CASE(BXOR)
  {
    TValue *v1_ = RB(i), *v2_ = RC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, bxor(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(BXOR)
  op_bitwise_aux(RB(i), RC(i), bxor, LUA_OPBXOR); BREAK; }
CASE(SHL)
  {
    TValue *v1_ = RB(i), *v2_ = RC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, shl(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(SHL)
  op_bitwise_aux(RB(i), RC(i), shl, LUA_OPSHL); BREAK; }
CASE(SHR)
  {
    TValue *v1_ = RB(i), *v2_ = RC(i);
    if (l_likely(ttisinteger(v1_) && ttisinteger(v2_))) {
      setivalue(ra, shr(L, ivalue(v1_), ivalue(v2_)));
      BREAK;
    }
  }
  SLOWPATH(SHR)
  op_bitwise_aux(RB(i), RC(i), shr, LUA_OPSHR); BREAK; }
CASE(UNM)
  TValue *rb = RB(i);
  if (ttisinteger(rb)) {
    setivalue(ra, intop(-, 0, ivalue(rb)));
  } else if (ttisfloat(rb)) {
    setfltvalue(ra, -fltvalue(rb));
  } else {
    Protect(vm_arith(L, LUA_OPUNM, rb, rb, ra));
  }
  BREAK;
}
CASE(BNOT)
  TValue *rb = RB(i);
  lua_Integer ib;
  if (ttisinteger(rb)) {
    setivalue(ra, intop(^, ~l_castS2U(0), ivalue(rb)));
  } else if (ttisfloat(rb) && obj_tointegerns(rb, &ib, F2Ieq)) {
    setivalue(ra, intop(^, ~l_castS2U(0), ib));
  } else {
    Protect(vm_arith(L, LUA_OPBNOT, rb, rb, ra));
  }
  BREAK;
}
CASE(NOT)
  TValue *rb = RB(i);
  setbvalue(ra, l_isfalse(rb));
  BREAK;
}
CASE(LEN)
  Protect(vm_objlen(L, ra, RB(i)));
  BREAK;
}
CASE(CONCAT)
  int n = GETARG_B(i);
  L->top = ra + n;
  ProtectNT(vm_concat(L, n));
  checkGC(L, L->top); /* vm_concat leaves the top at ra + 1 */
  BREAK;
}
CASE(CLOSE)
  Protect(func_close(L, ra, -1));
  BREAK;
}
CASE(TBC)
  halfProtect(func_newtbcupval(L, ra));
  BREAK;
}
CASE(JMP)
  dojump(GETARG_sJ(i));
  if (GETARG_sJ(i) < 0) BACKEDGE();
  dispatch = G(L)->dispatch;
  BREAK;
}
CASE(EQ)
  {
    int cond = rawequal_fast(ra, RB(i));
    if (l_likely(cond >= 0)) {
      docondjump(cond);
      BREAK;
    }
  }
  SLOWPATH(EQ)
  TValue *rb = RB(i);
  int cond = rawequal_fast(ra, rb);
  if (cond < 0) {
    if (ra->tt == rb->tt && ra->tt != TAG_TABLE && ra->tt != TAG_UDATA) cond = vm_rawequalobj(ra, rb);
    else Protect(cond = vm_equalobj(L, ra, rb));
  }
  docondjump(cond);
  BREAK;
}
CASE(LT)
  QADAPT();
  SUBBODY(LT)
  op_order(<, LT, lessthan);
  BREAK;
}
CASE(LE)
  QADAPT();
  SUBBODY(LE)
  op_order(<=, LE, lessequal);
  BREAK;
}
CASE(EQK)
  {
    int cond = rawequal_fast(ra, KB(i));
    if (l_likely(cond >= 0)) {
      docondjump(cond);
      BREAK;
    }
  }
  SLOWPATH(EQK)
  int cond = rawequal_fast(ra, KB(i));
  if (cond < 0) cond = vm_rawequalobj(ra, KB(i));
  docondjump(cond);
  BREAK;
}
CASE(EQI)
  int cond;
  int im = GETARG_sB(i);
  if (ttisinteger(ra)) cond = (ivalue(ra) == im);
  else if (ttisfloat(ra)) cond = (fltvalue(ra) == (lua_Number)im);
  else cond = 0;
  docondjump(cond);
  BREAK;
}
CASE(LTI)
  if (l_likely(ttisinteger(ra))) {
    if ((int)(ivalue(ra) < GETARG_sB(i)) != (GETARG_C(i) & 1)) pc++;
    else donextjump();
    BREAK;
  }
  SLOWPATH(LTI)
  op_orderI(<, 0, TM_LT);
  BREAK;
}
CASE(LEI)
  if (l_likely(ttisinteger(ra))) {
    if ((int)(ivalue(ra) <= GETARG_sB(i)) != (GETARG_C(i) & 1)) pc++;
    else donextjump();
    BREAK;
  }
  SLOWPATH(LEI)
  op_orderI(<=, 0, TM_LE);
  BREAK;
}
CASE(GTI)
  if (l_likely(ttisinteger(ra))) {
    if ((int)(ivalue(ra) > GETARG_sB(i)) != (GETARG_C(i) & 1)) pc++;
    else donextjump();
    BREAK;
  }
  SLOWPATH(GTI)
  op_orderI(>, 1, TM_LT);
  BREAK;
}
CASE(GEI)
  if (l_likely(ttisinteger(ra))) {
    if ((int)(ivalue(ra) >= GETARG_sB(i)) != (GETARG_C(i) & 1)) pc++;
    else donextjump();
    BREAK;
  }
  SLOWPATH(GEI)
  op_orderI(>=, 1, TM_LE);
  BREAK;
}
CASE(TEST)
  docondjump(!l_isfalse(ra));
  BREAK;
}
CASE(TESTSET)
  TValue *rb = RB(i);
  if ((int)l_isfalse(rb) == GETARG_C(i)) {
    pc++;
  } else {
    setobj(ra, rb);
    donextjump();
  }
  BREAK;
}
CASE(CALL)
  if (l_likely(ttisLclosure(ra) && ci->next != NULL)) { /* Lua function: the frame inline */
    Proto *p = clLvalue(ra)->p;
    StkId top = GETARG_B(i) != 0 ? ra + GETARG_B(i) : L->top;
    int fsize = p->maxstacksize;
    if (l_likely(L->stack_last - top > fsize)) {
      int narg = (int)(top - ra) - 1;
      CallInfo *nci = ci->next;
      savepc();
      nci->nresults = (short)(GETARG_C(i) - 1);
      nci->callstatus = 0;
      nci->func = ra;
      nci->top = ra + 1 + fsize;
      nci->savedpc = p->code;
      nci->nextraargs = 0;
      for (; narg < p->numparams; narg++) setnilvalue(top++);
      L->top = top;
      ci = nci;
      L->ci = ci;
      jit_enterfunc();
      JUMP(START);
    }
  }
  SLOWPATH(CALL)
  callC_inline(ra, GETARG_B(i) != 0 ? ra + GETARG_B(i) : L->top, GETARG_C(i) - 1);
  int b = GETARG_B(i);
  int nresults = GETARG_C(i) - 1;
  if (b != 0) L->top = ra + b;
  savepc();
  if (ttisLclosure(ra)) { /* Lua function: set up the frame inline */
    Proto *p = clLvalue(ra)->p;
    int fsize = p->maxstacksize;
    if (l_likely(L->stack_last - L->top > fsize)) {
      int narg = (int)(L->top - ra) - 1;
      CallInfo *nci = ci->next ? ci->next : do_extendci(L);
      nci->nresults = (short)nresults;
      nci->callstatus = 0;
      nci->func = ra;
      nci->top = ra + 1 + fsize;
      nci->savedpc = p->code;
      nci->nextraargs = 0;
      for (; narg < p->numparams; narg++) setnilvalue(L->top++);
      ci = nci;
      L->ci = ci;
      jit_enterfunc();
      JUMP(START);
    }
  }
  CallInfo *newci = do_precall(L, ra, nresults);
  if (newci == NULL) { /* C function: already done */
    updatebase();
    dispatch = G(L)->dispatch; /* it may have set a debug hook */
    BREAK;
  }
  ci = newci;
  jit_enterfunc();
  JUMP(START);
}
CASE(TAILCALL)
  int b = GETARG_B(i);
  if (b != 0) L->top = ra + b;
  else b = (int)(L->top - ra);
  savepc();
  if (L->openupval != NULL && L->openupval->v >= base) {
    func_closeupval(L, base);
  }
  int delta = cl->p->is_vararg ? ci->nextraargs + cl->p->numparams + 1 : 0;
  while (!ttisfunction(ra)) {
    ptrdiff_t rar = savestack(L, ra);
    do_tryfuncTM(L, ra);
    ra = restorestack(L, rar);
    b++;
    updatebase();
  }
  if (ttisLclosure(ra)) {
    Proto *p = clLvalue(ra)->p;
    int fsize = p->maxstacksize;
    if (L->stack_last - L->top <= fsize) {
      ptrdiff_t rar = savestack(L, ra);
      do_growstack(L, fsize);
      ra = restorestack(L, rar);
    }
    ci->func -= delta;
    StkId func = ci->func;
    for (int j = 0; j < b; j++) setobj(func + j, ra + j);
    L->top = func + b;
    for (int narg = b - 1; narg < p->numparams; narg++) setnilvalue(L->top++);
    ci->top = func + 1 + fsize;
    ci->savedpc = p->code;
    ci->callstatus = (unsigned short)((ci->callstatus | CIST_TAIL) & ~CIST_HOOKSEEN);
    ci->nextraargs = 0;
    jit_enterfunc();
    JUMP(START);
  } else {
    ptrdiff_t rar = savestack(L, ra);
    do_precall(L, ra, LUA_MULTRET);
    ra = restorestack(L, rar);
    int n = (int)(L->top - ra);
    ci->func -= delta;
    do_poscall(L, ci, n);
    VMRET();
  }
}
CASE(RETURN)
  int n = GETARG_B(i) - 1;
  if (n < 0) n = (int)(L->top - ra);
  savepc();
  if ((L->openupval != NULL && L->openupval->v >= base) ||
      (L->ntbc > 0 && L->tbc[L->ntbc - 1] >= savestack(L, base))) {
    ptrdiff_t rar = savestack(L, ra);
    L->top = ra + n;
    func_close(L, base, -1);
    updatebase();
    ra = restorestack(L, rar);
  }
  if (cl->p->is_vararg) ci->func -= ci->nextraargs + cl->p->numparams + 1;
  L->top = ra + n;
  do_poscall(L, ci, n);
  VMRET();
}
CASE(RETURN0)
  if (l_unlikely(cl->p->is_vararg || (L->openupval != NULL && L->openupval->v >= base) ||
                 L->ntbc > 0)) {
    L->top = ra;
    JUMP(RETURN);
  }
  int nres = ci->nresults;
  L->ci = ci->previous;
  L->top = base - 1;
  for (; nres > 0; nres--) setnilvalue(L->top++);
  VMRET();
}
CASE(RETURN1)
  if (l_unlikely(cl->p->is_vararg || (L->openupval != NULL && L->openupval->v >= base) ||
                 L->ntbc > 0)) {
    JUMP(RETURN);
  }
  int nres = ci->nresults;
  L->ci = ci->previous;
  if (nres == 0) {
    L->top = base - 1;
  } else {
    StkId res = base - 1;
    setobj(res, ra);
    L->top = res + 1;
    for (; nres > 1; nres--) setnilvalue(L->top++);
  }
  VMRET();
}
CASE(FORLOOP)
  if (ttisinteger(ra + 2)) {
    lua_Unsigned count = l_castS2U(ivalue(ra + 1));
    if (count > 0) {
      lua_Integer step = ivalue(ra + 2);
      lua_Integer idx = ivalue(ra);
      setivalue(ra + 1, l_castU2S(count - 1));
      idx = intop(+, idx, step);
      setivalue(ra, idx);
      setivalue(ra + 3, idx);
      pc -= GETARG_Bx(i);
      BACKEDGE();
    }
  } else {
    lua_Number step = fltvalue(ra + 2);
    lua_Number limit = fltvalue(ra + 1);
    lua_Number idx = fltvalue(ra);
    idx += step;
    if (step > 0 ? idx <= limit : limit <= idx) {
      setfltvalue(ra, idx);
      setfltvalue(ra + 3, idx);
      pc -= GETARG_Bx(i);
      BACKEDGE();
    }
  }
  BREAK;
}
CASE(FORPREP)
  savestate();
  if (forprep(L, ra)) pc += GETARG_Bx(i) + 1;
  BREAK;
}
CASE(TFORPREP)
  halfProtect(func_newtbcupval(L, ra + 3));
  pc += GETARG_Bx(i);
  vmfetch();
  JUMP(TFORCALL);
}
CASE(TFORCALL)
  setobj(ra + 4, ra);
  setobj(ra + 5, ra + 1);
  setobj(ra + 6, ra + 2);
  callC_inline(ra + 4, ra + 4 + 3, GETARG_C(i));
  L->top = ra + 4 + 3;
  savepc();
  CallInfo *newci = do_precall(L, ra + 4, GETARG_C(i));
  if (newci == NULL) {
    updatebase();
    BREAK; /* next instruction is TFORLOOP */
  }
  ci = newci;
  jit_enterfunc();
  JUMP(START);
}
CASE(TFORLOOP)
  if (!ttisnil(ra + 4)) {
    setobj(ra + 2, ra + 4);
    pc -= GETARG_Bx(i);
    BACKEDGE();
  }
  BREAK;
}
CASE(SETLIST)
  int n = GETARG_B(i);
  unsigned int last = (unsigned int)GETARG_Ax(*pc);
  pc++;
  if (n == 0) n = (int)(L->top - ra) - 1;
  else L->top = ci->top;
  last += (unsigned int)n;
  if (l_unlikely(!ttistable(ra))) { /* only a forged binary chunk gets here */
    savestate();
    dbg_runerror(L, "bad binary chunk (SETLIST on a %s value)", tm_objtypename(L, ra));
  }
  Table *h = hvalue(ra);
  if (last > h->asize) {
    savepc();
    tab_resizearray(L, h, last);
  }
  for (; n > 0; n--) {
    TValue *val = ra + n;
    setobj(&h->array[last - 1], val);
    last--;
  }
  BREAK;
}
CASE(CLOSURE)
  Proto *p = cl->p->p[GETARG_Bx(i)];
  savestate();
  LClosure *ncl = func_newLclosure(L, p->sizeupvalues);
  ncl->p = p;
  setclLvalue(ra, ncl);
  for (int j = 0; j < p->sizeupvalues; j++) {
    if (p->upvalues[j].instack) ncl->upvals[j] = func_findupval(L, base + p->upvalues[j].idx);
    else ncl->upvals[j] = cl->upvals[p->upvalues[j].idx];
  }
  checkGC(L, ra + 1);
  BREAK;
}
CASE(VARARG)
  int n = GETARG_C(i) - 1;
  int nextra = ci->nextraargs;
  if (n < 0) {
    n = nextra;
    if (L->stack_last - L->top <= nextra) {
      ptrdiff_t rar = savestack(L, ra);
      savepc();
      do_growstack(L, nextra);
      updatebase();
      ra = restorestack(L, rar);
    }
    L->top = ra + n;
  }
  int j;
  for (j = 0; j < n && j < nextra; j++) setobj(ra + j, ci->func - nextra + j);
  for (; j < n; j++) setnilvalue(ra + j);
  BREAK;
}
CASE(VARARGPREP)
  Proto *p = cl->p;
  int nfixparams = p->numparams;
  int actual = (int)(L->top - ci->func) - 1;
  int nextra = actual - nfixparams;
  ci->nextraargs = nextra;
  if (L->stack_last - L->top <= p->maxstacksize + 1) {
    savepc();
    do_growstack(L, p->maxstacksize + 1);
  }
  StkId func = ci->func;
  setobj(L->top, func);
  L->top++;
  for (int j = 1; j <= nfixparams; j++) {
    setobj(L->top, func + j);
    L->top++;
    setnilvalue(func + j);
  }
  ci->func += actual + 1;
  ci->top += actual + 1;
  updatebase();
  if (l_unlikely(dispatch == G(L)->disp_hook) && L->hookmask) { /* call event after VARARGPREP */
    savepc();
    Protect(dbg_hookcall(L, ci));
    L->oldpc = 1; /* the next instruction starts a line */
  }
  BREAK;
}
CASE(EXTRAARG)
  BREAK;
}

/* -- Quickened forms (see "Quickening" above) -- */
CASE(GETTABUP_H)
  TValue *upval = cl->upvals[GETARG_B(i)]->v;
  if (l_likely(ttistable(upval))) {
    const TValue *v = qgetslot(hvalue(upval), QENTRY(), tsvalue(KC(i)));
    if (l_likely(v != NULL)) {
      if (l_likely(!ttisnil(v))) setobj(ra, v);
      else setnilvalue(ra);
      BREAK;
    }
  }
  QMISSFIELD(GETTABUP, upval, KC(i));
}
CASE(GETFIELD_H)
  TValue *rb = RB(i);
  if (l_likely(ttistable(rb))) {
    const TValue *v = qgetslot(hvalue(rb), QENTRY(), tsvalue(KC(i)));
    if (l_likely(v != NULL)) {
      if (l_likely(!ttisnil(v))) setobj(ra, v);
      else setnilvalue(ra);
      BREAK;
    }
  }
  QMISSFIELD(GETFIELD, rb, KC(i));
}
CASE(GETFIELD_MT) /* absent from the table or nil: its metatable's __index table */
  TValue *rb = RB(i);
  if (l_likely(ttistable(rb))) {
    Table *h = hvalue(rb);
    QCache *q = QENTRY();
    TString *key = tsvalue(KC(i));
    const TValue *v = qlookup(h, q->a, key);
    if (!ttisnil(v)) {
      setobj(ra, v);
      BREAK;
    }
    Table *mt = h->metatable;
    if (l_likely(mt != NULL)) {
      const TValue *c = qnode(mt, q->b & 0xffffu, G(L)->tmname[TM_INDEX]);
      if (l_likely(c != NULL && ttistable(c))) {
        Table *ct = hvalue(c);
        v = qlookup(ct, q->b >> 16, key);
        if (!ttisnil(v)) {
          setobj(ra, v);
          BREAK;
        }
        if (ct->metatable == NULL || (ct->metatable->flags & (1u << TM_INDEX))) {
          setnilvalue(ra); /* nowhere, and no further __index */
          BREAK;
        }
      }
    }
  }
  QMISS(GETFIELD);
}
CASE(SETTABUP_H)
  TValue *upval = cl->upvals[GETARG_A(i)]->v;
  if (l_likely(ttistable(upval))) {
    TValue *v = qsetslot(hvalue(upval), QENTRY(), tsvalue(KB(i)));
    if (l_likely(v != NULL)) { /* present: no __newindex, no new key */
      setobj(v, RC(i));
      BREAK;
    }
  }
  QMISSFIELD(SETTABUP, upval, KB(i));
}
CASE(SETFIELD_H)
  if (l_likely(ttistable(ra))) {
    TValue *v = qsetslot(hvalue(ra), QENTRY(), tsvalue(KB(i)));
    if (l_likely(v != NULL)) {
      setobj(v, RC(i));
      BREAK;
    }
  }
  QMISSFIELD(SETFIELD, ra, KB(i));
}
CASE(SELF_H) /* the method is in the object itself */
  TValue *rb = RB(i);
  if (l_likely(ttistable(rb))) {
    const TValue *v = qnode2(hvalue(rb), QENTRY(), tsvalue(KC(i)));
    if (l_likely(v != NULL)) {
      setobj(ra + 1, rb);
      setobj(ra, v);
      BREAK;
    }
  }
  QMISSFIELD(SELF, rb, KC(i));
}
CASE(SELF_MT) /* absent from the object, found in getmetatable(obj).__index */
  TValue *rb = RB(i);
  if (l_likely(ttistable(rb))) {
    Table *h = hvalue(rb);
    Table *mt = h->metatable;
    if (l_likely(mt != NULL)) {
      QCache *q = QENTRY();
      const TValue *ix = qnode(mt, q->a, G(L)->tmname[TM_INDEX]);
      if (l_likely(ix != NULL && ttistable(ix))) {
        TString *key = tsvalue(KC(i));
        const TValue *v = qnode(hvalue(ix), q->b, key);
        if (l_likely(v != NULL && ttisnil(tab_getshortstr(h, key)))) {
          setobj(ra + 1, rb);
          setobj(ra, v);
          BREAK;
        }
      }
    }
  }
  QMISS(SELF);
}
CASE(SELF_MT2) /* found one class up: getmetatable(mt.__index).__index */
  TValue *rb = RB(i);
  if (l_likely(ttistable(rb))) {
    Table *h = hvalue(rb);
    Table *mt = h->metatable;
    if (l_likely(mt != NULL)) {
      QCache *q = QENTRY();
      TString *ixname = G(L)->tmname[TM_INDEX];
      const TValue *c = qnode(mt, q->a & 0xffffu, ixname);
      if (l_likely(c != NULL && ttistable(c))) {
        Table *mt2 = hvalue(c)->metatable;
        const TValue *pt = mt2 != NULL ? qnode(mt2, q->a >> 16, ixname) : NULL;
        if (l_likely(pt != NULL && ttistable(pt))) {
          TString *key = tsvalue(KC(i));
          const TValue *v = qnode(hvalue(pt), q->b, key);
          if (l_likely(v != NULL && ttisnil(tab_getshortstr(h, key)) &&
                       ttisnil(tab_getshortstr(hvalue(c), key)))) {
            setobj(ra + 1, rb);
            setobj(ra, v);
            BREAK;
          }
        }
      }
    }
  }
  QMISS(SELF);
}
CASE(SELF_S) /* a string method: the string metatable's __index */
  TValue *rb = RB(i);
  Table *mt = G(L)->mt[LUA_TSTRING];
  if (l_likely(ttisstring(rb) && mt != NULL)) {
    QCache *q = QENTRY();
    const TValue *ix = qnode(mt, q->a, G(L)->tmname[TM_INDEX]);
    if (l_likely(ix != NULL && ttistable(ix))) {
      const TValue *v = qnode(hvalue(ix), q->b, tsvalue(KC(i)));
      if (l_likely(v != NULL)) {
        setobj(ra + 1, rb);
        setobj(ra, v);
        BREAK;
      }
    }
  }
  QMISS(SELF);
}
#define QARITH_II(gen, vc, op)                                         \
CASE(gen##_II)                                                     \
  TValue *rb = RB(i), *rc = vc(i);                                   \
  if (l_unlikely(!ttisinteger(rb) || !ttisinteger(rc))) QMISS(gen);  \
  setivalue(ra, intop(op, ivalue(rb), ivalue(rc)));                  \
  BREAK;                                                             \
}
#define QARITH_FF(gen, vc, op)                                         \
CASE(gen##_FF)                                                     \
  TValue *rb = RB(i), *rc = vc(i);                                   \
  if (l_unlikely(!ttisfloat(rb) || !ttisfloat(rc))) QMISS(gen);      \
  setfltvalue(ra, fltvalue(rb) op fltvalue(rc));                     \
  BREAK;                                                             \
}
QARITH_II(ADD, RC, +)
QARITH_FF(ADD, RC, +)
QARITH_II(SUB, RC, -)
QARITH_FF(SUB, RC, -)
QARITH_II(MUL, RC, *)
QARITH_FF(MUL, RC, *)
QARITH_FF(DIV, RC, /)
QARITH_II(ADDK, KC, +)
QARITH_FF(ADDK, KC, +)
QARITH_II(SUBK, KC, -)
QARITH_FF(SUBK, KC, -)
QARITH_II(MULK, KC, *)
QARITH_FF(MULK, KC, *)
#undef QARITH_II
#undef QARITH_FF
#define QORDER(gen, sfx, test, val, op)                                \
CASE(gen##_##sfx)                                                  \
  TValue *rb = RB(i);                                                \
  if (l_unlikely(!test(ra) || !test(rb))) QMISS(gen);                \
  docondjump(val(ra) op val(rb));                                    \
  BREAK;                                                             \
}
QORDER(LT, II, ttisinteger, ivalue, <)
QORDER(LT, FF, ttisfloat, fltvalue, <)
QORDER(LE, II, ttisinteger, ivalue, <=)
QORDER(LE, FF, ttisfloat, fltvalue, <=)
#undef QORDER
