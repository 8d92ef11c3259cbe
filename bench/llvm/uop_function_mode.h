/*
 * uop_function_mode.h -- a third compilation mode of a uop body header, for
 * the LLVM baseline: every body becomes an ordinary function
 *
 *   int cpjit_bc_uop_<NAME>(STATE *s, FRAME **frame, uint64_t cp_op0,
 *                           uint64_t cp_op1, uint64_t cp_arg)
 *
 * returning BC_CONTINUE, BC_JUMP or BC_EXIT. The frame pointer is passed by
 * reference because a body may move it (cpjit-lua's EXEC reloads `base`
 * after the interpreter may have reallocated the stack); the stencil build
 * keeps it in a register across tail calls instead. The operands arrive as
 * scalar parameters, so when the LLVM harness calls the function with constants
 * and inlines it, the operands fold exactly where the stencil build patches
 * holes. Bodies are included unmodified (the same toy_uops.h / lua_uops.h
 * the stencils and reference executors are built from); only the macros of
 * cpjit_stencil.h are redirected.
 *
 * Register uops (CPJIT_RUOP(NAME, SIG) bodies) become
 *
 *   int cpjit_bc_ruop_<NAME>(STATE *s, FRAME **frame, [EXTRA,] uint64_t
 *                            cp_op0, uint64_t cp_op1, uint64_t cp_arg,
 *                            T0 *r0[, T1 *r1[, T2 *r2]])
 *
 * one function per body (not per register assignment): each register
 * operand is a pointer (uint64_t * for class G, double * for class F), and
 * the LLVM harness passes the addresses of the trace function's copies of
 * the register file, which SROA/mem2reg turn into SSA values once the body
 * is inlined -- the same trick the stencil build's variants play with
 * clang. A register uop never moves the frame, so `frame` is only read.
 *
 * Before including, define the state parameter and the frame:
 *   #define BC_STATE_PARAM toy_state *S   // first parameter
 *   #define BC_STATE_ARG   S
 *   #define BC_FRAME_TYPE  int64_t        // the frame is BC_FRAME_TYPE *
 *   #define BC_FRAME_NAME  R
 * and, optionally, further parameters of the set's CPJIT_PARAMS after the
 * frame (cpjit-lua's spill area), with a leading comma:
 *   #define BC_EXTRA_PARAMS , uint64_t *spill
 *   #define BC_EXTRA_ARGS   , spill
 * CPJIT_PARAMS / CPJIT_ARGS are derived from them.
 * The functions are `always_inline` so that even LLVM's -O0 pipeline (which
 * runs only the always-inliner) builds one function per trace.
 */
#ifndef CPJIT_BENCH_UOP_FUNCTION_MODE_H
#define CPJIT_BENCH_UOP_FUNCTION_MODE_H

#ifndef BC_EXTRA_PARAMS
#define BC_EXTRA_PARAMS
#define BC_EXTRA_ARGS
#endif
#define CPJIT_PARAMS BC_STATE_PARAM, BC_FRAME_TYPE *BC_FRAME_NAME BC_EXTRA_PARAMS
#define CPJIT_ARGS BC_STATE_ARG, BC_FRAME_NAME BC_EXTRA_ARGS

/* The reference mode of cpjit_stencil.h gives the hooks we redirect. */
#define CPJIT_REF_UOP(name) /* replaced below */
#include "cpjit_stencil.h"

#include "uop_function_abi.h"

#undef CPJIT_OPERAND0_U32
#undef CPJIT_OPERAND1_U32
#undef CPJIT_OPERAND0_S32
#undef CPJIT_OPERAND1_S32
#undef CPJIT_OPERAND0_DISP
#undef CPJIT_OPERAND1_DISP
#undef CPJIT_ARG_U16
#undef CPJIT_ARG_DISP
#undef CPJIT_OPERAND0_U64
#undef CPJIT_OPERAND1_U64
#undef CPJIT_UOP
#undef CPJIT_GOTO_CONTINUE
#undef CPJIT_GOTO_JUMP
#undef CPJIT_GOTO_EXIT
#undef CPJIT_RUOP
#undef CPJIT_RG
#undef CPJIT_RF
#undef CPJIT_RCONTINUE
#undef CPJIT_REXIT
#undef CPJIT_RJUMP

/* Same truncations as reference mode (and as the stencil holes). */
#define CPJIT_OPERAND0_U32 ((uint32_t)cp_op0)
#define CPJIT_OPERAND1_U32 ((uint32_t)cp_op1)
#define CPJIT_OPERAND0_S32 ((int32_t)cp_op0)
#define CPJIT_OPERAND1_S32 ((int32_t)cp_op1)
#define CPJIT_OPERAND0_DISP ((intptr_t)(int32_t)cp_op0)
#define CPJIT_OPERAND1_DISP ((intptr_t)(int32_t)cp_op1)
#define CPJIT_ARG_U16 ((uint16_t)cp_arg)
#define CPJIT_ARG_DISP ((intptr_t)(uint16_t)cp_arg)
#define CPJIT_OPERAND0_U64 ((uint64_t)cp_op0)
#define CPJIT_OPERAND1_U64 ((uint64_t)cp_op1)

/* The exported function reads the frame, runs the body (a static inline
 * function whose parameters carry the names the body expects) and the
 * body's exits write the frame back. */
#define BC_BODY_PARAMS                                                         \
  CPJIT_PARAMS, uint64_t cp_op0, uint64_t cp_op1, uint64_t cp_arg,             \
      BC_FRAME_TYPE **cp_frame_out
#define CPJIT_UOP(name)                                                        \
  static inline                                                                \
      __attribute__((always_inline)) int cpjit_bc_body_##name(BC_BODY_PARAMS); \
  __attribute__((always_inline)) int cpjit_bc_uop_##name(                      \
      BC_STATE_PARAM, BC_FRAME_TYPE **cp_frame BC_EXTRA_PARAMS,                \
      uint64_t cp_op0, uint64_t cp_op1, uint64_t cp_arg) {                     \
    return cpjit_bc_body_##name(BC_STATE_ARG, *cp_frame BC_EXTRA_ARGS, cp_op0, \
                                cp_op1, cp_arg, cp_frame);                     \
  }                                                                            \
  static inline                                                                \
      __attribute__((always_inline)) int cpjit_bc_body_##name(BC_BODY_PARAMS)
#define BC_LEAVE(how) return (*cp_frame_out = BC_FRAME_NAME, (how))
#define CPJIT_GOTO_CONTINUE() BC_LEAVE(BC_CONTINUE)
#define CPJIT_GOTO_JUMP() BC_LEAVE(BC_JUMP)
#define CPJIT_GOTO_EXIT() BC_LEAVE(BC_EXIT)

/* Register uops: the register operands as pointers, named as the bodies'
 * CPJIT_RG / CPJIT_RF expect; CPJIT__SIG_<SIG> (cpjit_stencil.h, both
 * modes) gives the arity and the classes. */
#define BC__BP_G(k) uint64_t *cpjit__g##k
#define BC__BP_F(k) double *cpjit__f##k
#define BC__BA_G(k) cpjit__g##k
#define BC__BA_F(k) cpjit__f##k
#define BC__BPARAMS1(A) , BC__BP_##A(0)
#define BC__BPARAMS2(A, B) , BC__BP_##A(0), BC__BP_##B(1)
#define BC__BPARAMS3(A, B, C) , BC__BP_##A(0), BC__BP_##B(1), BC__BP_##C(2)
#define BC__BARGS1(A) , BC__BA_##A(0)
#define BC__BARGS2(A, B) , BC__BA_##A(0), BC__BA_##B(1)
#define BC__BARGS3(A, B, C) , BC__BA_##A(0), BC__BA_##B(1), BC__BA_##C(2)
#define BC__RBODY_PARAMS(n, ...)                                               \
  CPJIT_PARAMS, uint64_t cp_op0, uint64_t cp_op1,                              \
      uint64_t cp_arg BC__BPARAMS##n(__VA_ARGS__)
#define BC__RUOP_2(NAME, n, ...)                                               \
  static inline __attribute__((always_inline)) int cpjit_bc_rbody_##NAME(      \
      BC__RBODY_PARAMS(n, __VA_ARGS__));                                       \
  __attribute__((always_inline)) int cpjit_bc_ruop_##NAME(                     \
      BC_STATE_PARAM, BC_FRAME_TYPE **cp_frame BC_EXTRA_PARAMS,                \
      uint64_t cp_op0, uint64_t cp_op1,                                        \
      uint64_t cp_arg BC__BPARAMS##n(__VA_ARGS__)) {                           \
    return cpjit_bc_rbody_##NAME(BC_STATE_ARG, *cp_frame BC_EXTRA_ARGS,        \
                                 cp_op0, cp_op1,                               \
                                 cp_arg BC__BARGS##n(__VA_ARGS__));            \
  }                                                                            \
  static inline __attribute__((always_inline)) int cpjit_bc_rbody_##NAME(      \
      BC__RBODY_PARAMS(n, __VA_ARGS__))
#define BC__RUOP_1(NAME, ...) BC__RUOP_2(NAME, __VA_ARGS__)
#define CPJIT_RUOP(NAME, SIG) BC__RUOP_1(NAME, CPJIT__SIG_##SIG)
#define CPJIT_RG(k) (*cpjit__g##k)
#define CPJIT_RF(k) (*cpjit__f##k)
#define CPJIT_RCONTINUE() return BC_CONTINUE
#define CPJIT_REXIT() return BC_EXIT
#define CPJIT_RJUMP() return BC_JUMP

#endif /* CPJIT_BENCH_UOP_FUNCTION_MODE_H */
