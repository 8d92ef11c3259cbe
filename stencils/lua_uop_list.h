/*
 * lua_uop_list.h -- the uops of cpjit-lua's trace JIT: one list of
 * slot-level uops and one of register uops, from which the enums, the
 * names, the stencil set and the reference executor derive.
 *
 * Slot-level uops (lua_uops.h): slot operands are BYTE displacements from
 * the frame base (16 * register index), so stencils fold them into
 * addressing modes:
 *   arg  : A, the slot the uop works on
 *   op0  : B, a second slot, or a 64-bit constant
 *   op1  : C, a third slot, or a constant (tag, key, ...)
 *   target : the loop's start (JUMP), the next uop (FORLOOP_* in a side
 *            trace that crosses a loop)
 *   exit   : side exit (every guard)
 * Register uops (lua_ruops.h) take their operands from the register file.
 */
#ifndef CPJIT_LUA_UOP_LIST_H
#define CPJIT_LUA_UOP_LIST_H

#define LUA_UOP_LIST(X)                                                        \
  /* -- guards on the slot at arg -- */                                        \
  X(G_NIL)      /* slot holds nil (any variant)                        */      \
  X(G_TAG_EQ)   /* tag of slot == op1                                  */      \
  X(G_TRUTHY) X(G_FALSY)                                                       \
  X(K)          /* A = {payload op0 (64-bit), tag op1}                 */      \
  /* -- tables through helpers (no metatable, guarded by the IR) -- */       \
  X(GETFIELD_S) /* A = rawget(table(B), short string op1)              */      \
  X(SETFIELD_S) /* rawset(table(A), short string op0, C)               */      \
  X(GETTABUP_S) /* A = rawget(upvalue op0 as table, short string op1)  */      \
  X(LEN_T)      /* A = #table(B), raw (an integer)                     */      \
  X(GETI_T)     /* A = B[op1] raw (integer key op1, any part; helper   */      \
                /* tab_getint): the IR guards B has no metatable       */      \
  X(GETTAB_TI)  /* A = B[C] raw, C an integer (likewise)               */      \
  X(VARARG_T)   /* A .. A+op0-1 = the frame's extra arguments (nil    */      \
                /* past them); op0 >> 16: all, guarded to be op0 many  */      \
  X(NEWTAB)     /* A = a new table (op0: array | hash size << 32);     */      \
                /* exits when a collection is due (jit_h_newtable)     */      \
  X(SETLIST_T)  /* table A's items op1+1 .. op1+op0 = A+1 .. A+op0     */      \
                /* (helper jit_h_setlist)                              */      \
  X(GETTAB_TV)  /* A = B[C] raw, C any key (helper tab_get)            */      \
  X(SETTAB_TS)  /* A[B] = C raw, B a short string (helper              */      \
                /* jit_h_setfield: may insert)                         */      \
  X(SETUPVAL)   /* upvalue op0 = A                                     */      \
  X(G_UPTAG)    /* upvalue op0 has tag op1 (any nil for nil)           */      \
  X(G_UPIN)     /* upvalue op0 is open on slot A (an inlined call's    */      \
                /* upvalue aliasing the trace's registers)             */      \
  X(G_UPOUT)    /* upvalue op0 is not open on any of the trace's slots */      \
  /* -- loops and exits -- */                                                \
  X(FORLOOP_I)  /* integer for loop step at A: jump back or exit       */      \
  X(FORLOOP_F)  /* float for loop step at A: jump back or exit         */      \
  X(FOREND_I)   /* guard: the integer for loop at A has finished     */      \
  X(FOREND_F)   /* guard: the float for loop at A has finished       */      \
  X(FORPREP_I)  /* integer for loop prep at A (integer limit); exits  */      \
                /* when the loop would not run or the step is zero  */      \
  X(FORPREP_F)  /* float for loop prep at A (all floats), likewise  */      \
  X(FORSKIP_I)  /* guard: the integer for loop at A will not run     */      \
  X(FORSKIP_F)  /* guard: the float for loop at A will not run       */      \
  X(JUMP)       /* go to uop target (the loop's start)                */      \
  X(G_STACK)    /* the stack has op0 bytes from the frame base on      */      \
  X(NEXT_T)     /* TFORCALL A of `next` over a table wanting op0       */      \
                /* results (helper jit_h_next); exits when it declines */      \
  X(SETMT)      /* setmetatable(A, op0's slot) for a table A without a */      \
                /* metatable (helper jit_h_setmt); exits when it has one */    \
  X(G_NOCLOSE)  /* nothing to close from slot A up (CLOSE): no open    */      \
                /* upvalue, no to-be-closed variable there             */      \
  X(PUSHF)      /* the call at A (a Lua function, its arguments in     */      \
                /* memory) gets a real frame (CallInfo): the caller's  */      \
                /* savedpc = op0, op1 = results | frame size << 16;    */      \
                /* base moves to the callee's. Exits before any change */      \
                /* when no CallInfo is free (the interpreter makes it) */      \
  X(POPF)       /* guard: the running frame returns to a Lua frame     */      \
                /* whose savedpc is op0 (no C boundary, nothing to     */      \
                /* close); then that frame runs and base moves to it   */      \
  X(POPFC)      /* POPF closing the frame's open upvalues first (no    */      \
                /* to-be-closed variable; helper func_closeupval)      */      \
  X(TAILF)      /* the running frame is reached by a tail call now    */      \
  X(EXEC)       /* run the instruction at op0 in the interpreter's     */      \
                /* slow path (helper jit_h_exec), then reload base     */      \
  X(EXEC_F)     /* EXEC inside inlined calls: their frames (JitFrame   */      \
                /* op1) made real around it (helper jit_h_exec_f)      */      \
  X(EXIT)       /* leave through exit                                  */      \
  /* -- strings (the IR guards the operands' types) -- */                   \
  X(S_LEN)      /* A = length of the string at B (integer)             */      \
  X(G_STRMT)    /* guard: the strings' metatable is table op0          */      \
  X(STRH)       /* string helper jit_h_str (op0: what and which slots, */      \
                /* op1: resume pc or a constant); exits when it        */      \
                /* declines, before it has changed anything            */

enum {
#define LUA_UOP_ENUM(name) UOP_##name,
  LUA_UOP_LIST(LUA_UOP_ENUM)
#undef LUA_UOP_ENUM
  UOP__COUNT
};

/* Register uops (lua_ruops.h): name and the classes of their register
 * operands (G: integer or pointer, F: float), in lua_ruops.h's order. */
#define LUA_RUOP_LIST(X)                                                       \
  X(MOV_G, GG) X(MOV_F, FF) X(KI_G, G) X(KF_F, F) X(SPILL_G, G)              \
  X(RELOAD_G, G) X(SPILL_F, F) X(RELOAD_F, F) X(SLOAD_I, G) X(SLOAD_F, F)    \
  X(SLOAD_P, G) X(SLOADU_G, G) X(SLOADU_F, F) X(SSTORE_I, G) X(SSTORE_F, F)  \
  X(SSTORE_P, G) X(ADD_GG, GG) X(SUB_GG, GG) X(MUL_GG, GG) X(BAND_GG, GG)    \
  X(BOR_GG, GG) X(BXOR_GG, GG) X(SHL_GG, GG) X(SHR_GG, GG) X(IDIV_GG, GG)    \
  X(MOD_GG, GG) X(MIN_GG, GG) X(MAX_GG, GG) X(ADD_GK, G) X(SUB_GK, G)        \
  X(MUL_GK, G) X(BAND_GK, G) X(BOR_GK, G) X(BXOR_GK, G) X(SHL_GK, G)         \
  X(SHR_GK, G) X(IDIV_GK, G) X(MOD_GK, G) X(UNM_G, G) X(BNOT_G, G)           \
  X(ABS_G, G) X(ADD_FF, FF) X(SUB_FF, FF) X(MUL_FF, FF) X(DIV_FF, FF)        \
  X(MOD_FF, FF) X(IDIV_FF, FF) X(POW_FF, FF) X(MIN_FF, FF) X(MAX_FF, FF)     \
  X(ADD_FK, F) X(SUB_FK, F) X(MUL_FK, F) X(DIV_FK, F) X(ADD_FM, F)           \
  X(SUB_FM, F) X(MUL_FM, F) X(DIV_FM, F) X(RSUB_FM, F) X(RDIV_FM, F)         \
  X(RSUB_FK, F) X(RDIV_FK, F)                                                \
  X(UNM_F, F)                                                                \
  X(ABS_F, F) X(SQRT_F, F) X(SIN_F, F) X(COS_F, F) X(EXP_F, F) X(LOG_F, F)   \
  X(FLOOR_F, F) X(CEIL_F, F) X(CONV_FG, FG) X(TOINT_GF, GF) X(LT_GG, GG)     \
  X(LE_GG, GG) X(EQ_GG, GG) X(NE_GG, GG) X(LT_GK, G) X(LE_GK, G)             \
  X(GT_GK, G) X(GE_GK, G) X(EQ_GK, G) X(NE_GK, G) X(LT_FF, FF) X(LE_FF, FF)  \
  X(EQ_FF, FF) X(NE_FF, FF) X(LT_FK, F) X(LE_FK, F) X(GT_FK, F) X(GE_FK, F)  \
  X(EQ_FK, F) X(NE_FK, F) X(GNOMT_G, G) X(GARR_GG, GG) X(GARR_GK, G)         \
  X(ALOAD_I, GGG) X(ALOAD_F, FGG) X(ALOAD_P, GGG) X(ALOAD_T, GG)             \
  X(ALOADK_I, GG) X(ALOADK_F, FG) X(ALOADK_P, GG) X(ALOADK_T, G)             \
  X(ASTORE_I, GGG) X(ASTORE_F, GGF) X(ASTORE_P, GGG) X(ASTORE_T, GG)         \
  X(ASTOREK_I, GG) X(ASTOREK_F, GF) X(ASTOREK_P, GG) X(ASTOREK_T, G)         \
  X(GHKEY_G, G) X(GHKEYV_G, G) X(GHKEYS_G, G) X(GHKEYVS_G, G) X(TMETA_GG, GG) X(GHNIL_G, G) X(HLOAD_I, GG) X(HLOAD_F, FG) X(HLOAD_P, GG)  \
  X(HLOAD_T, G) X(HSTORE_I, GG) X(HSTORE_F, GF) X(HSTORE_P, GG)              \
  X(HSTORE_T, G) X(ULOAD_I, G) X(ULOAD_F, F) X(ULOAD_P, G) X(GFUNCP_G, G)

/* Functions stencils call: libm for float modulo, floor division and pow;
 * the host's one-instruction slow path; raw field access on tables. */
#define LUA_UOP_HELPER_LIST(X)                                                 \
  X(floor) X(fmod) X(pow) X(jit_h_exec) X(tab_getshortstr) X(jit_h_setfield)  \
  X(jit_h_exec_f) X(sqrt) X(sin) X(cos) X(exp) X(log) X(jit_h_str) X(tab_getn) \
  X(jit_h_next) X(tab_getint) X(jit_h_setmt) X(func_closeupval) \
  X(tab_get) X(jit_h_newtable) X(jit_h_setlist)

#endif /* CPJIT_LUA_UOP_LIST_H */
