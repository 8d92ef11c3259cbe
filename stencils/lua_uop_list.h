/*
 * lua_uop_list.h -- the uops of cpjit-lua's trace JIT: one list, from which
 * the enum, the names, the stencil set and the reference executor derive.
 *
 * Operand conventions (all slot operands are BYTE displacements from the
 * frame base, i.e. 16 * register index, so stencils fold them into
 * addressing modes):
 *   arg  : A, the destination slot (or the slot a guard/loop works on)
 *   op0  : B, the first source slot
 *   op1  : C, the second source slot, or an immediate (int32 `_IK`), or a
 *          64-bit constant (`_NK`: the bits of a double; K: payload)
 *   target : loop head (JUMP, FORLOOP_*)
 *   exit   : side exit (every guard)
 *
 * A guard never writes: when it fails the interpreter resumes at the start
 * of the bytecode instruction the guard belongs to and redoes it. Types of
 * operands are guarded before an operation, so `_II` ops may assume both
 * sources are integers and `_FF` ops both floats; `_NN` ops accept integers
 * or floats and produce a float.
 */
#ifndef CPJIT_LUA_UOP_LIST_H
#define CPJIT_LUA_UOP_LIST_H

#define LUA_UOP_LIST(X)                                                        \
  /* -- guards on the slot at arg -- */                                        \
  X(G_INT) X(G_FLT) X(G_NUM) X(G_STR) X(G_TAB) X(G_FUNC) X(G_NIL)              \
  X(G_TRUTHY) X(G_FALSY)                                                       \
  X(G_GCEQ)     /* slot holds exactly the object op1 (64-bit)          */      \
  X(G_GCNE)     /* slot does not hold the object op1                   */      \
  X(G_TAG_EQ)   /* tag of slot == op1                                  */      \
  X(G_TAG_NE)   /* tag of slot != op1                                  */      \
  X(G_NOTNIL)   /* slot is not nil (any nil variant)                   */      \
  X(G_NOMT)     /* table at arg has no metatable                       */      \
  X(G_ARR)      /* 1 <= int at op0 <= table(arg)->asize                */      \
  X(G_ARRK)     /* op1 < table(arg)->asize (op1: 0-based index)        */      \
  /* -- moves and constants -- */                                            \
  X(MOV)        /* A = B                                               */      \
  X(K)          /* A = {payload op0 (64-bit), tag op1}                 */      \
  X(KNIL)       /* A = nil                                             */      \
  X(NOT)        /* A = not B                                           */      \
  /* -- integer arithmetic (wrap-around, floor division/modulo) -- */        \
  X(ADD_II) X(SUB_II) X(MUL_II) X(IDIV_II) X(MOD_II)                           \
  X(BAND_II) X(BOR_II) X(BXOR_II) X(SHL_II) X(SHR_II)                          \
  X(ADD_IK) X(SUB_IK) X(MUL_IK) X(IDIV_IK) X(MOD_IK)                           \
  X(BAND_IK) X(BOR_IK) X(BXOR_IK) X(SHL_IK) X(SHR_IK)                          \
  X(UNM_I) X(BNOT_I)                                                           \
  /* -- float arithmetic -- */                                               \
  X(ADD_NN) X(SUB_NN) X(MUL_NN) X(DIV_NN) X(MOD_NN) X(IDIV_NN) X(POW_NN)       \
  X(ADD_NK) X(SUB_NK) X(MUL_NK) X(DIV_NK) X(MOD_NK) X(IDIV_NK) X(POW_NK)       \
  X(UNM_F)                                                                     \
  X(ADD_FF) X(SUB_FF) X(MUL_FF) X(DIV_FF) /* both floats (guarded)          */ \
  X(ADD_FC) X(SUB_FC) X(MUL_FC) X(DIV_FC) /* float op constant (op1 bits)   */ \
  /* the same with an operand from the float accumulator (lua_uops.h):  */ \
  X(ADD_AF) X(SUB_AF) X(MUL_AF) X(DIV_AF) /* B from the accumulator       */ \
  X(ADD_FA) X(SUB_FA) X(MUL_FA) X(DIV_FA) /* C from the accumulator       */ \
  X(ADD_AC) X(SUB_AC) X(MUL_AC) X(DIV_AC) /* accumulator op constant      */ \
  X(ADD_AA) X(MUL_AA)                     /* B and C both                 */ \
  X(LOADF)      /* accumulator = the float bits of slot A (loop entry)  */ \
  /* -- compare-and-guard: _T exits unless true, _F unless false -- */       \
  X(LT_II_T) X(LT_II_F) X(LE_II_T) X(LE_II_F) X(EQ_II_T) X(EQ_II_F)           \
  X(LT_FF_T) X(LT_FF_F) X(LE_FF_T) X(LE_FF_F) X(EQ_FF_T) X(EQ_FF_F)           \
  X(LT_IK_T) X(LT_IK_F) X(LE_IK_T) X(LE_IK_F) X(GT_IK_T) X(GT_IK_F)           \
  X(GE_IK_T) X(GE_IK_F) X(EQ_IK_T) X(EQ_IK_F)                                  \
  X(LT_FK_T) X(LT_FK_F) X(LE_FK_T) X(LE_FK_F) X(GT_FK_T) X(GT_FK_F)           \
  X(GE_FK_T) X(GE_FK_F) X(EQ_FK_T) X(EQ_FK_F)                                  \
  X(LT_AF_T) X(LT_AF_F) X(LE_AF_T) X(LE_AF_F) X(EQ_AF_T) X(EQ_AF_F)           \
  X(LT_FA_T) X(LT_FA_F) X(LE_FA_T) X(LE_FA_F) X(EQ_FA_T) X(EQ_FA_F)           \
  X(LT_AK_T) X(LT_AK_F) X(LE_AK_T) X(LE_AK_F) X(GT_AK_T) X(GT_AK_F)           \
  X(GE_AK_T) X(GE_AK_F) X(EQ_AK_T) X(EQ_AK_F) /* _FF/_FK, accumulator  */    \
  X(EQ_TT_T) X(EQ_TT_F)   /* tags equal (nil / booleans)               */      \
  X(EQ_GC_T) X(EQ_GC_F)   /* same tag and same object                  */      \
  /* -- tables without metatables, after G_TAB/G_NOMT/G_ARR guards -- */     \
  X(GETI_A)     /* A = table(B)->array[int(C) - 1]                     */      \
  X(GETI_AK)    /* A = table(B)->array[op1]                            */      \
  X(GETI_AF)    /* GETI_A of a float: exits first if it is not one     */     \
  X(GETI_AI)    /* GETI_A of an integer, likewise                      */     \
  X(SETI_A)     /* table(A)->array[int(B) - 1] = C                     */      \
  X(SETI_AK)    /* table(A)->array[op0] = C                            */      \
  /* super-uops: G_ARR fused with the access it guards (same operands   */  \
  /* as the access; the bounds check exits like G_ARR)                  */  \
  X(GETI_AG) X(GETI_AFG) X(GETI_AIG) X(SETI_AG)                               \
  X(GETFIELD_S) /* A = rawget(table(B), short string op1)              */      \
  X(SETFIELD_S) /* rawset(table(A), short string op0, C)               */      \
  X(G_UPT)      /* upvalue op0 holds a table without metatable         */      \
  X(G_HKEY)     /* node op0 of table(A) holds short-string key op1     */     \
  X(G_HKEYV)    /* ... and a value that is not nil (any metatable)     */     \
  X(HGET)       /* A = value of node op1 of table(B)                   */     \
  X(HSET)       /* value of node op0 of table(A) = C                   */     \
  X(HGET_F)     /* HGET of a float: exits first if it is not one       */     \
  /* -- known builtins, after G_VAL on the function slot -- */                \
  X(G_VAL)      /* slot A has tag op0 and value bits op1               */     \
  X(SQRT_N) X(SIN_N) X(COS_N) X(EXP_N) X(LOG_N) /* A = f(number B)    */      \
  X(ABS_I) X(ABS_F)                                                           \
  X(FLOOR_F) X(CEIL_F) /* A = integral value of float B (int if fits)  */     \
  X(MIN_II) X(MAX_II) X(MIN_FF) X(MAX_FF) /* A = min/max(B, C)         */     \
  X(GETTABUP_S) /* A = rawget(upvalue op0 as table, short string op1)  */      \
  /* -- upvalues of the running closure (base[-1]) -- */                     \
  X(GETUPVAL)   /* A = upvalue op0                                     */      \
  X(SETUPVAL)   /* upvalue op0 = A                                     */      \
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
  X(JUMP)       /* go to the loop head                                 */      \
  X(G_STACK)    /* the stack has op0 bytes from the frame base on      */      \
  X(G_PROTO)    /* slot A holds a Lua closure of prototype op1         */      \
  X(EXEC)       /* run the instruction at op0 in the interpreter's     */      \
                /* slow path (helper jit_h_exec), then reload base     */      \
  X(EXIT)       /* leave through exit                                  */

enum {
#define LUA_UOP_ENUM(name) UOP_##name,
  LUA_UOP_LIST(LUA_UOP_ENUM)
#undef LUA_UOP_ENUM
  UOP__COUNT
};

/* Functions stencils call: libm for float modulo, floor division and pow;
 * the host's one-instruction slow path; raw field access on tables. */
#define LUA_UOP_HELPER_LIST(X)                                                 \
  X(floor) X(fmod) X(pow) X(jit_h_exec) X(tab_getshortstr) X(jit_h_setfield)  \
  X(sqrt) X(sin) X(cos) X(exp) X(log)

#endif /* CPJIT_LUA_UOP_LIST_H */
