/*
 * lua_uops.h -- the slot-level uops of cpjit-lua's trace JIT, written once.
 *
 * Included by lua_stencils.c (clang-19: each body becomes a stencil) and by
 * lua_ref.c (each body becomes a case of the reference executor). Inside a
 * body `L` is the lua_State and `base` the frame's first register; operand
 * conventions are in lua_uop_list.h.
 *
 * These uops work on frame slots in memory: what the trace IR (ir.h) does
 * not keep in registers -- a tag check of a slot, truthiness tests of
 * values of unknown type, constant stores, field access through helpers,
 * upvalue stores, for-loop preparation and the interpreter's slow path
 * (EXEC). The IR's MEMOP names them; the register uops are in lua_ruops.h.
 *
 * Guards only read. Anything a guard protects exits to the interpreter,
 * which redoes the instruction with its full semantics.
 */
#define SLOT(d) ((TValue *)(void *)((char *)base + (d)))
#define RA SLOT(CPJIT_ARG_DISP)
#define RB SLOT(CPJIT_OPERAND0_DISP)
#define RC SLOT(CPJIT_OPERAND1_DISP)
#define IOP(op, a, b) ((int64_t)((uint64_t)(a) op (uint64_t)(b)))

#define NEXT() CPJIT_GOTO_CONTINUE()
#define GUARD(cond)                                                            \
  do {                                                                         \
    if (CPJIT_UNLIKELY(!(cond)))                                               \
      CPJIT_GOTO_EXIT();                                                       \
  } while (0)

CPJIT_UOP(G_NIL) { GUARD((RA->tt & 0x0f) == LUA_TNIL); NEXT(); }

CPJIT_UOP(G_TAG_EQ) { GUARD(RA->tt == (uint8_t)CPJIT_OPERAND1_U32); NEXT(); }

CPJIT_UOP(G_TRUTHY) { GUARD(!lu_isfalse(RA)); NEXT(); }

CPJIT_UOP(G_FALSY) { GUARD(lu_isfalse(RA)); NEXT(); }

CPJIT_UOP(K) {
  TValue *a = RA;
  a->v.i = (int64_t)CPJIT_OPERAND0_U64;
  a->tt = (uint8_t)CPJIT_OPERAND1_U32;
  NEXT();
}

CPJIT_UOP(GETFIELD_S) {
  const TValue *s = tab_getshortstr((Table *)RB->v.gc,
                                    (TString *)(uintptr_t)CPJIT_OPERAND1_U64);
  TValue *a = RA;
  a->v = s->v;
  a->tt = (s->tt & 0x0f) == LUA_TNIL ? TAG_NIL : s->tt;
  NEXT();
}

CPJIT_UOP(LEN_T) {
  TValue *a = RA;
  a->v.i = (int64_t)tab_getn((Table *)RB->v.gc);
  a->tt = TAG_INT;
  NEXT();
}

CPJIT_UOP(GETI_T) {
  const TValue *s = tab_getint((Table *)RB->v.gc, (lua_Integer)CPJIT_OPERAND1_U64);
  TValue *a = RA;
  a->v = s->v;
  a->tt = (s->tt & 0x0f) == LUA_TNIL ? TAG_NIL : s->tt;
  NEXT();
}

/* VARARG in the frame the trace runs in: op0's low half values from its
 * extra arguments (nil past them) to A on; op0 >> 16 set: all of them,
 * guarded to be that many (the trace's top depends on it). */
CPJIT_UOP(VARARG_T) {
  uint32_t w = CPJIT_OPERAND0_U32;
  uint32_t n = w & 0xffffu;
  uint32_t nextra = (uint32_t)L->ci->nextraargs;
  GUARD(!(w >> 16) || nextra == n);
  const TValue *src = base - 1 - nextra;
  TValue *a = RA;
  for (uint32_t j = 0; j < n; j++) {
    if (j < nextra) {
      a[j] = src[j];
    } else {
      a[j].v.i = 0;
      a[j].tt = TAG_NIL;
    }
  }
  NEXT();
}

CPJIT_UOP(NEWTAB) {
  GUARD(jit_h_newtable(L, RA, CPJIT_OPERAND0_U64) == 0);
  NEXT();
}

CPJIT_UOP(SETLIST_T) {
  jit_h_setlist(L, RA, CPJIT_OPERAND0_U32, CPJIT_OPERAND1_U32);
  NEXT();
}

CPJIT_UOP(GETTAB_TV) {
  const TValue *s = tab_get((Table *)RB->v.gc, RC);
  TValue *a = RA;
  a->v = s->v;
  a->tt = (s->tt & 0x0f) == LUA_TNIL ? TAG_NIL : s->tt;
  NEXT();
}

CPJIT_UOP(SETTAB_TS) {
  jit_h_setfield(L, (Table *)RA->v.gc, (TString *)RB->v.gc, RC);
  NEXT();
}

CPJIT_UOP(GETTAB_TI) {
  const TValue *s = tab_getint((Table *)RB->v.gc, RC->v.i);
  TValue *a = RA;
  a->v = s->v;
  a->tt = (s->tt & 0x0f) == LUA_TNIL ? TAG_NIL : s->tt;
  NEXT();
}

CPJIT_UOP(SETFIELD_S) {
  jit_h_setfield(L, (Table *)RA->v.gc,
                 (TString *)(uintptr_t)CPJIT_OPERAND0_U64, RC);
  NEXT();
}

CPJIT_UOP(GETTABUP_S) {
  const TValue *t = lu_upval(base, CPJIT_OPERAND0_U32);
  const TValue *s = tab_getshortstr((Table *)t->v.gc,
                                    (TString *)(uintptr_t)CPJIT_OPERAND1_U64);
  TValue *a = RA;
  a->v = s->v;
  a->tt = (s->tt & 0x0f) == LUA_TNIL ? TAG_NIL : s->tt;
  NEXT();
}

CPJIT_UOP(SETUPVAL) {
  TValue *d = (TValue *)lu_upval(base, CPJIT_OPERAND0_U32);
  const TValue *a = RA;
  d->v = a->v;
  d->tt = a->tt;
  NEXT();
}

CPJIT_UOP(G_UPTAG) {
  uint8_t tt = lu_upval(base, CPJIT_OPERAND0_U32)->tt;
  uint8_t want = (uint8_t)CPJIT_OPERAND1_U32;
  GUARD(want == TAG_NIL ? (tt & 0x0f) == LUA_TNIL : tt == want);
  NEXT();
}

CPJIT_UOP(G_UPIN) {
  GUARD(lu_upval(base, CPJIT_OPERAND0_U32) == RA);
  NEXT();
}

CPJIT_UOP(G_UPOUT) {
  const TValue *v = lu_upval(base, CPJIT_OPERAND0_U32);
  GUARD(v < base || v >= base + LU_TRACE_SLOTS);
  NEXT();
}

CPJIT_UOP(FORLOOP_I) {
  TValue *ra = RA;
  uint64_t count = (uint64_t)ra[1].v.i;
  if (CPJIT_LIKELY(count > 0)) {
    int64_t idx = IOP(+, ra[0].v.i, ra[2].v.i);
    ra[1].v.i = (int64_t)(count - 1);
    ra[0].v.i = idx;
    ra[3].v.i = idx;
    ra[3].tt = TAG_INT;
    CPJIT_GOTO_JUMP();
  }
  CPJIT_GOTO_EXIT();
}

CPJIT_UOP(FORLOOP_F) {
  TValue *ra = RA;
  double step = ra[2].v.n, limit = ra[1].v.n;
  double idx = ra[0].v.n + step;
  if (CPJIT_LIKELY(step > 0 ? idx <= limit : limit <= idx)) {
    ra[0].v.n = idx;
    ra[3].v.n = idx;
    ra[3].tt = TAG_FLT;
    CPJIT_GOTO_JUMP();
  }
  CPJIT_GOTO_EXIT();
}

CPJIT_UOP(FOREND_I) { GUARD(RA[1].v.i == 0); NEXT(); }

CPJIT_UOP(FOREND_F) {
  const TValue *ra = RA;
  double step = ra[2].v.n, limit = ra[1].v.n;
  double idx = ra[0].v.n + step;
  GUARD(!(step > 0 ? idx <= limit : limit <= idx));
  NEXT();
}

CPJIT_UOP(FORPREP_I) {
  TValue *ra = RA;
  int64_t init = ra[0].v.i, limit = ra[1].v.i, step = ra[2].v.i;
  GUARD(step != 0 && (step > 0 ? init <= limit : init >= limit));
  uint64_t count;
  if (step > 0) {
    count = (uint64_t)limit - (uint64_t)init;
    if (step != 1)
      count /= (uint64_t)step;
  } else {
    count = (uint64_t)init - (uint64_t)limit;
    count /= (uint64_t)(-(step + 1)) + 1u;
  }
  ra[1].v.i = (int64_t)count;
  ra[3].v.i = init;
  ra[3].tt = TAG_INT;
  NEXT();
}

CPJIT_UOP(FORPREP_F) {
  TValue *ra = RA;
  double init = ra[0].v.n, limit = ra[1].v.n, step = ra[2].v.n;
  GUARD(step != 0 && (step > 0 ? !(limit < init) : !(init < limit)));
  ra[3].v.n = init;
  ra[3].tt = TAG_FLT;
  NEXT();
}

CPJIT_UOP(FORSKIP_I) {
  const TValue *ra = RA;
  int64_t init = ra[0].v.i, limit = ra[1].v.i, step = ra[2].v.i;
  GUARD(step != 0 && (step > 0 ? init > limit : init < limit));
  NEXT();
}

CPJIT_UOP(FORSKIP_F) {
  const TValue *ra = RA;
  double init = ra[0].v.n, limit = ra[1].v.n, step = ra[2].v.n;
  GUARD(step != 0 && (step > 0 ? limit < init : init < limit));
  NEXT();
}

CPJIT_UOP(JUMP) { CPJIT_GOTO_JUMP(); }

CPJIT_UOP(G_STACK) {
  GUARD((uint64_t)((char *)L->stack_last - (char *)base) >=
        CPJIT_OPERAND0_U32);
  NEXT();
}

CPJIT_UOP(NEXT_T) {
  GUARD(jit_h_next(RA, CPJIT_OPERAND0_U32) == 0);
  NEXT();
}

CPJIT_UOP(SETMT) {
  GUARD(jit_h_setmt(L, RA, RB) == 0);
  NEXT();
}

CPJIT_UOP(G_NOCLOSE) {
  const TValue *a = RA;
  GUARD(!(L->openupval != NULL && L->openupval->v >= a) &&
        !(L->ntbc > 0 && L->tbc[L->ntbc - 1] >= (char *)a - (char *)L->stack));
  NEXT();
}

/* Recursion (record.c: rec_pushf, rec_popf): the trace makes and drops
 * frames as the interpreter's CALL and RETURN fast paths do, and its
 * base follows them; L->ci is always the frame whose slots base points
 * at, so an exit restores there (trace.c: run_trace). */
CPJIT_UOP(PUSHF) {
  CallInfo *ci = L->ci;
  CallInfo *nci = ci->next;
  GUARD(nci != NULL);
  TValue *fn = RA;
  uint32_t w = CPJIT_OPERAND1_U32;
  ci->savedpc = (const Instruction *)(uintptr_t)CPJIT_OPERAND0_U64;
  nci->func = fn;
  nci->top = fn + 1 + (w >> 16);
  nci->nresults = (short)(int16_t)(uint16_t)(w & 0xffffu);
  nci->callstatus = 0;
  nci->savedpc = ((const LClosure *)fn->v.gc)->p->code;
  nci->nextraargs = 0;
  L->ci = nci;
  L->top = nci->top;
  base = fn + 1;
  NEXT();
}

CPJIT_UOP(POPF) {
  CallInfo *ci = L->ci;
  CallInfo *prev = ci->previous;
  /* not while the recorder follows the interpreter: it would miss the
   * caller's instructions this trace runs */
  GUARD(G(L)->dispatch != G(L)->disp_record && !(ci->callstatus & CIST_FRESH) &&
        (uintptr_t)prev->savedpc == (uintptr_t)CPJIT_OPERAND0_U64 &&
        !(L->openupval != NULL && L->openupval->v >= base) &&
        !(L->ntbc > 0 && L->tbc[L->ntbc - 1] >= (char *)base - (char *)L->stack));
  L->ci = prev;
  L->top = prev->top;
  base = prev->func + 1;
  NEXT();
}

/* POPF from a frame whose locals closures captured: their upvalues are
 * closed (the values were written to the slots before), as the
 * interpreter's RETURN does; to-be-closed variables still exit. */
CPJIT_UOP(POPFC) {
  CallInfo *ci = L->ci;
  CallInfo *prev = ci->previous;
  GUARD(G(L)->dispatch != G(L)->disp_record && !(ci->callstatus & CIST_FRESH) &&
        (uintptr_t)prev->savedpc == (uintptr_t)CPJIT_OPERAND0_U64 &&
        !(L->ntbc > 0 && L->tbc[L->ntbc - 1] >= (char *)base - (char *)L->stack));
  func_closeupval(L, base);
  L->ci = prev;
  L->top = prev->top;
  base = prev->func + 1;
  NEXT();
}

CPJIT_UOP(TAILF) {
  L->ci->callstatus |= CIST_TAIL;
  NEXT();
}

CPJIT_UOP(EXEC) {
  jit_h_exec(L, (const Instruction *)(uintptr_t)CPJIT_OPERAND0_U64);
  base = L->ci->func + 1;
  NEXT();
}

CPJIT_UOP(EXEC_F) {
  jit_h_exec_f(L, (const Instruction *)(uintptr_t)CPJIT_OPERAND0_U64,
               (const void *)(uintptr_t)CPJIT_OPERAND1_U64);
  base = L->ci->func + 1;
  NEXT();
}

CPJIT_UOP(EXIT) { CPJIT_GOTO_EXIT(); }

CPJIT_UOP(S_LEN) {
  TValue *a = RA;
  a->v.i = (int64_t)((const TString *)RB->v.gc)->len;
  a->tt = TAG_INT;
  NEXT();
}

CPJIT_UOP(G_STRMT) {
  GUARD((uintptr_t)G(L)->mt[LUA_TSTRING] == (uintptr_t)CPJIT_OPERAND0_U64);
  NEXT();
}

CPJIT_UOP(STRH) {
  int declined = jit_h_str(L, base, CPJIT_OPERAND0_U64, CPJIT_OPERAND1_U64);
  GUARD(declined == 0);
  NEXT();
}

#undef SLOT
#undef RA
#undef RB
#undef RC
#undef IOP
#undef NEXT
#undef GUARD
