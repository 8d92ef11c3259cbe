/*
 * cpjit_stencil.h -- what a stencil author writes uop templates with.
 *
 * A stencil source file is compiled twice from the same uop bodies:
 *
 *   1. by clang-19 with the stencil flags (cpjit_add_stencils() in CMake),
 *      defining CPJIT_STENCIL_BUILD: every uop becomes a `preserve_none`
 *      function `cpjit_uop_<NAME>` whose operands are *holes* -- addresses of
 *      undefined symbols that tools/stencilgen records and the JIT patches;
 *   2. by the host's ordinary compiler into a reference executor (see
 *      "Reference mode" below), where the same macros read the current uop.
 *
 * Before including this header the host defines its VM state signature:
 *
 *   #define CPJIT_PARAMS  MyState *S, int64_t *regs   // parameter list
 *   #define CPJIT_ARGS    S, regs                     // the same names
 *
 * All uops, the trampoline and the exit stub share that signature, so the
 * state stays in registers across the whole trace. Extra parameters ride
 * along the same way: a uop that assigns one passes the new value to the
 * next uop in its argument register, and a uop that ignores it leaves the
 * register untouched (cpjit-lua keeps a float accumulator so).
 *
 * Contract with stencilgen (names are fixed):
 *   cpjit_uop_<NAME>   one function per uop, in the order of the uop list;
 *   cpjit_trampoline   an ordinary C-ABI function that enters the trace;
 *   cpjit_exit_stub    the tail of every side exit, returns to the trampoline;
 *   cpjit_exit_handler optional: the exit code shared by all exits of a trace
 *                      (below, "Shared exit handler");
 *   section .cpjit.uops     the uop names, NUL-separated, in op order
 *                           (emitted by CPJIT_DECLARE_UOPS);
 *   section .cpjit.helpers  the host helpers stencils may call, NUL-separated
 *                           (emitted by CPJIT_DECLARE_HELPERS);
 *   cpjit_uop_<NAME>__<r0>[_<r1>[_<r2>]], sections .cpjit.ruops and
 *                           .cpjit.regfile: register uops (below).
 * Any other undefined symbol, any writable data, and any relocation kind the
 * generator does not know stop the build with a message.
 *
 * What the generated header <set>_stencils.h gives the host, all derived
 * from the two lists above (so the host keeps no enum of its own in step):
 *   <set>_stencil_set                      the cpjit_stencil_set for cpjit_config.set
 *   <set>_NUOPS, <set>_NHELPERS            the lengths of the two lists
 *   enum <set>_op { <set>_OP_<NAME> }      cpjit_uop.op of each uop, in list order
 *   enum <set>_helper { <set>_HELPER_<n> } index of each helper in the table the
 *                                          host passes as cpjit_config.helpers
 *
 * Register uops and the register file
 * -----------------------------------
 * A host may keep values in a *register file*: CPJIT_NGPR uint64_t and
 * CPJIT_NFPR double parameters appended to every stencil's signature, so
 * they stay in machine registers across the whole trace. Define the counts
 * (decimal literals; GPRs 0..12, FPRs 0..8, both default 0) and append the
 * file to the signature before including this header:
 *
 *   #define CPJIT_NGPR 6
 *   #define CPJIT_NFPR 6
 *   #define CPJIT_PARAMS lua_State *L, TValue *base, uint64_t *spill
 *                        CPJIT_REGFILE_PARAMS
 *   #define CPJIT_ARGS   L, base, spill CPJIT_REGFILE_ARGS
 *
 *   CPJIT_REGFILE_PARAMS  ", uint64_t cpjit_g0, ..., double cpjit_f<M-1>"
 *   CPJIT_REGFILE_ARGS    ", cpjit_g0, ..., cpjit_f<M-1>"
 *   CPJIT_REGFILE_ZERO    ", 0, ..., 0.0"   (trampoline:
 *                         CPJIT_ENTER(L, base, spill CPJIT_REGFILE_ZERO))
 *   CPJIT_REGFILE_SAVE(gp, fp)  statement: gp[i] = cpjit_g<i>; fp[j] =
 *                         cpjit_f<j>; (an exit stub dumping the file)
 * All three lists are empty when both counts are 0. Plain uops pass the
 * file through untouched (a helper call in a plain uop makes clang keep the
 * file's caller-saved registers around it).
 *
 * The file must fit the argument registers of preserve_none, or clang
 * passes the rest on the stack (correct, but every uop then loads and
 * stores them): x86-64 has 12 GPR arguments in all -- host parameters plus
 * CPJIT_NGPR <= 12 -- and 8 XMM (CPJIT_NFPR <= 8); AArch64 has more GPRs
 * (x20-x28, x0-x7, x9-x15) and 8 FP/SIMD registers.
 *
 * A register uop operates on registers of the file, chosen per instance by
 * the host's register allocator. It is written once and built into one
 * stencil per assignment of file registers to its operands:
 *
 *   #define LUA_RUOP_LIST(X) X(ADD_II, GGG) X(ADDK_I, G) X(CONV_IF, FG)
 *   CPJIT_DECLARE_RUOPS(LUA_RUOP_LIST);      // beside CPJIT_DECLARE_UOPS
 *   CPJIT_RUOP(ADD_II, GGG) {
 *     CPJIT_RG(0) = CPJIT_RG(1) + CPJIT_RG(2);
 *     CPJIT_RCONTINUE();
 *   }
 *   ...
 *   CPJIT_DEFINE_RUOPS(LUA_RUOP_LIST);       // after the bodies
 *
 * SIG, written out (not a macro), is 1 to 3 letters G or F: the class of
 * each register operand in order (G: a GPR, F: an FPR). In a body:
 *   CPJIT_RG(k)   lvalue uint64_t, register operand k (class G; a literal k)
 *   CPJIT_RF(k)   lvalue double, register operand k (class F)
 *   CPJIT_RCONTINUE(), CPJIT_REXIT(), CPJIT_RJUMP()
 *                 leave to the next uop, the exit stub, uop[target] (as
 *                 CPJIT_GOTO_CONTINUE/EXIT/JUMP in a plain uop)
 * plus the host parameters (L, base, spill above) and every operand macro
 * and helper call of plain uops. Restrictions: the host parameters are
 * copies -- assigning one does not reach the next uop, as it does in a
 * plain uop; operands may name the same register (ADD_II 1,1,1), so read
 * the inputs before writing the output; the register-file parameters
 * cpjit_g<i> / cpjit_f<j> must not be used directly. From the first
 * CPJIT_RUOP on, the file does not warn about unused parameters.
 *
 * How it is built: CPJIT_RUOP opens an always_inline function taking the
 * host parameters and one pointer per operand and returning how to leave;
 * CPJIT_DEFINE_RUOPS emits each variant cpjit_uop_<NAME>__<r0>[_<r1>[_<r2>]]
 * (r_k the register number of operand k within its class), which passes
 * the addresses of its registers and tail-calls CONTINUE/EXIT/JUMP; after
 * inlining, clang's SROA turns the pointers back into the registers (an
 * ADD_II variant is one add and the jump). A uop with operand classes of
 * n0, n1, n2 registers has n0 * n1 * n2 variants (GGG with 6 GPRs: 216).
 *
 * Numbering (stencilgen): plain uops keep ops 0..NUOPS-1; then the variants
 * of each register uop in list order, contiguous: variant op = first +
 * sum(r_k * stride_k), stride of the last operand 1, stride_k the product
 * of the class sizes of the operands after k (operand 0 most significant).
 * The generated header adds
 *   <set>_NGPR, <set>_NFPR          the register file
 *   <set>_NRUOPS                    the length of the register uop list
 *   <set>_NOPS                      all ops: NUOPS + every variant (the
 *                                   set's nuops)
 *   <set>_OP_<NAME>                 in enum <set>_op: a register uop's
 *                                   first variant (registers 0, 0, 0)
 *   <set>_ruops[<set>_NRUOPS]       cpjit_ruop_info (cpjit.h): name, first,
 *                                   nvariants, noperands, classes, sizes
 *   <set>_ruop_decode(op, &ruop, reg)  1 and the register uop and the
 *                                   registers of a variant op; 0 for a plain
 *                                   op (cpjit_ruop_decode in cpjit.h)
 * .cpjit.ruops holds the list ("NAME\0SIG\0" pairs) and .cpjit.regfile the
 * bytes {CPJIT_NGPR, CPJIT_NFPR}; stencilgen checks that every variant
 * function is defined and rejects a malformed list with one message.
 *
 * Shared exit handler
 * -------------------
 * A side exit's code is copied once per exit. When it is more than a few
 * instructions (dumping a register file), define it once instead:
 *
 *   CPJIT_EXIT_STUB { CPJIT_GOTO_EXIT_HANDLER(CPJIT_OPERAND0_U64); }
 *   CPJIT_EXIT_HANDLER {
 *     CPJIT_REGFILE_SAVE(gp, fp);
 *     return CPJIT_EXIT_VALUE;
 *   }
 *
 * The handler has the host's parameters plus one uint64_t, CPJIT_EXIT_VALUE,
 * the value the stub passed; the JIT places it once per trace after the
 * stubs. The stub's call to it must be a tail call clang makes by itself
 * (musttail needs equal signatures): keep the parameters in registers --
 * one argument register must be left for the value -- or the stub becomes
 * a call with a stack frame (correct, only larger).
 *
 * The exit stub's return value is what the trampoline returns to the host
 * when the trace leaves through a side exit (typically the exit's
 * CPJIT_OPERAND0_U64: where the interpreter resumes). Templates compile with
 * -Wall -Wextra but not -Werror; unused parameters (an exit stub that ignores
 * the VM state) are fine.
 */
#ifndef CPJIT_STENCIL_H
#define CPJIT_STENCIL_H

#include <stdint.h>

/* -- The register file (both modes) --------------------------------------- *
 * CPJIT_NGPR (0..12) and CPJIT_NFPR (0..8), decimal literals defined before
 * this header, size the register file; both default to 0. */
#ifndef CPJIT_NGPR
#define CPJIT_NGPR 0
#endif
#ifndef CPJIT_NFPR
#define CPJIT_NFPR 0
#endif
#if CPJIT_NGPR < 0 || CPJIT_NGPR > 12
#error "CPJIT_NGPR must be a decimal literal from 0 to 12"
#endif
#if CPJIT_NFPR < 0 || CPJIT_NFPR > 8
#error "CPJIT_NFPR must be a decimal literal from 0 to 8"
#endif

#define CPJIT__CAT_(a, b) a##b
#define CPJIT__CAT(a, b) CPJIT__CAT_(a, b)

#define CPJIT__GP_PARAMS_0
#define CPJIT__GP_PARAMS_1 , uint64_t cpjit_g0
#define CPJIT__GP_PARAMS_2 CPJIT__GP_PARAMS_1 , uint64_t cpjit_g1
#define CPJIT__GP_PARAMS_3 CPJIT__GP_PARAMS_2 , uint64_t cpjit_g2
#define CPJIT__GP_PARAMS_4 CPJIT__GP_PARAMS_3 , uint64_t cpjit_g3
#define CPJIT__GP_PARAMS_5 CPJIT__GP_PARAMS_4 , uint64_t cpjit_g4
#define CPJIT__GP_PARAMS_6 CPJIT__GP_PARAMS_5 , uint64_t cpjit_g5
#define CPJIT__GP_PARAMS_7 CPJIT__GP_PARAMS_6 , uint64_t cpjit_g6
#define CPJIT__GP_PARAMS_8 CPJIT__GP_PARAMS_7 , uint64_t cpjit_g7
#define CPJIT__GP_PARAMS_9 CPJIT__GP_PARAMS_8 , uint64_t cpjit_g8
#define CPJIT__GP_PARAMS_10 CPJIT__GP_PARAMS_9 , uint64_t cpjit_g9
#define CPJIT__GP_PARAMS_11 CPJIT__GP_PARAMS_10 , uint64_t cpjit_g10
#define CPJIT__GP_PARAMS_12 CPJIT__GP_PARAMS_11 , uint64_t cpjit_g11
#define CPJIT__FP_PARAMS_0
#define CPJIT__FP_PARAMS_1 , double cpjit_f0
#define CPJIT__FP_PARAMS_2 CPJIT__FP_PARAMS_1 , double cpjit_f1
#define CPJIT__FP_PARAMS_3 CPJIT__FP_PARAMS_2 , double cpjit_f2
#define CPJIT__FP_PARAMS_4 CPJIT__FP_PARAMS_3 , double cpjit_f3
#define CPJIT__FP_PARAMS_5 CPJIT__FP_PARAMS_4 , double cpjit_f4
#define CPJIT__FP_PARAMS_6 CPJIT__FP_PARAMS_5 , double cpjit_f5
#define CPJIT__FP_PARAMS_7 CPJIT__FP_PARAMS_6 , double cpjit_f6
#define CPJIT__FP_PARAMS_8 CPJIT__FP_PARAMS_7 , double cpjit_f7
#define CPJIT__GP_ARGS_0
#define CPJIT__GP_ARGS_1 , cpjit_g0
#define CPJIT__GP_ARGS_2 CPJIT__GP_ARGS_1 , cpjit_g1
#define CPJIT__GP_ARGS_3 CPJIT__GP_ARGS_2 , cpjit_g2
#define CPJIT__GP_ARGS_4 CPJIT__GP_ARGS_3 , cpjit_g3
#define CPJIT__GP_ARGS_5 CPJIT__GP_ARGS_4 , cpjit_g4
#define CPJIT__GP_ARGS_6 CPJIT__GP_ARGS_5 , cpjit_g5
#define CPJIT__GP_ARGS_7 CPJIT__GP_ARGS_6 , cpjit_g6
#define CPJIT__GP_ARGS_8 CPJIT__GP_ARGS_7 , cpjit_g7
#define CPJIT__GP_ARGS_9 CPJIT__GP_ARGS_8 , cpjit_g8
#define CPJIT__GP_ARGS_10 CPJIT__GP_ARGS_9 , cpjit_g9
#define CPJIT__GP_ARGS_11 CPJIT__GP_ARGS_10 , cpjit_g10
#define CPJIT__GP_ARGS_12 CPJIT__GP_ARGS_11 , cpjit_g11
#define CPJIT__FP_ARGS_0
#define CPJIT__FP_ARGS_1 , cpjit_f0
#define CPJIT__FP_ARGS_2 CPJIT__FP_ARGS_1 , cpjit_f1
#define CPJIT__FP_ARGS_3 CPJIT__FP_ARGS_2 , cpjit_f2
#define CPJIT__FP_ARGS_4 CPJIT__FP_ARGS_3 , cpjit_f3
#define CPJIT__FP_ARGS_5 CPJIT__FP_ARGS_4 , cpjit_f4
#define CPJIT__FP_ARGS_6 CPJIT__FP_ARGS_5 , cpjit_f5
#define CPJIT__FP_ARGS_7 CPJIT__FP_ARGS_6 , cpjit_f6
#define CPJIT__FP_ARGS_8 CPJIT__FP_ARGS_7 , cpjit_f7
#define CPJIT__GP_ZERO_0
#define CPJIT__GP_ZERO_1 , 0
#define CPJIT__GP_ZERO_2 CPJIT__GP_ZERO_1 , 0
#define CPJIT__GP_ZERO_3 CPJIT__GP_ZERO_2 , 0
#define CPJIT__GP_ZERO_4 CPJIT__GP_ZERO_3 , 0
#define CPJIT__GP_ZERO_5 CPJIT__GP_ZERO_4 , 0
#define CPJIT__GP_ZERO_6 CPJIT__GP_ZERO_5 , 0
#define CPJIT__GP_ZERO_7 CPJIT__GP_ZERO_6 , 0
#define CPJIT__GP_ZERO_8 CPJIT__GP_ZERO_7 , 0
#define CPJIT__GP_ZERO_9 CPJIT__GP_ZERO_8 , 0
#define CPJIT__GP_ZERO_10 CPJIT__GP_ZERO_9 , 0
#define CPJIT__GP_ZERO_11 CPJIT__GP_ZERO_10 , 0
#define CPJIT__GP_ZERO_12 CPJIT__GP_ZERO_11 , 0
#define CPJIT__FP_ZERO_0
#define CPJIT__FP_ZERO_1 , 0.0
#define CPJIT__FP_ZERO_2 CPJIT__FP_ZERO_1 , 0.0
#define CPJIT__FP_ZERO_3 CPJIT__FP_ZERO_2 , 0.0
#define CPJIT__FP_ZERO_4 CPJIT__FP_ZERO_3 , 0.0
#define CPJIT__FP_ZERO_5 CPJIT__FP_ZERO_4 , 0.0
#define CPJIT__FP_ZERO_6 CPJIT__FP_ZERO_5 , 0.0
#define CPJIT__FP_ZERO_7 CPJIT__FP_ZERO_6 , 0.0
#define CPJIT__FP_ZERO_8 CPJIT__FP_ZERO_7 , 0.0
#define CPJIT__GP_SAVE_0(p)
#define CPJIT__GP_SAVE_1(p) (p)[0] = cpjit_g0;
#define CPJIT__GP_SAVE_2(p) CPJIT__GP_SAVE_1(p) (p)[1] = cpjit_g1;
#define CPJIT__GP_SAVE_3(p) CPJIT__GP_SAVE_2(p) (p)[2] = cpjit_g2;
#define CPJIT__GP_SAVE_4(p) CPJIT__GP_SAVE_3(p) (p)[3] = cpjit_g3;
#define CPJIT__GP_SAVE_5(p) CPJIT__GP_SAVE_4(p) (p)[4] = cpjit_g4;
#define CPJIT__GP_SAVE_6(p) CPJIT__GP_SAVE_5(p) (p)[5] = cpjit_g5;
#define CPJIT__GP_SAVE_7(p) CPJIT__GP_SAVE_6(p) (p)[6] = cpjit_g6;
#define CPJIT__GP_SAVE_8(p) CPJIT__GP_SAVE_7(p) (p)[7] = cpjit_g7;
#define CPJIT__GP_SAVE_9(p) CPJIT__GP_SAVE_8(p) (p)[8] = cpjit_g8;
#define CPJIT__GP_SAVE_10(p) CPJIT__GP_SAVE_9(p) (p)[9] = cpjit_g9;
#define CPJIT__GP_SAVE_11(p) CPJIT__GP_SAVE_10(p) (p)[10] = cpjit_g10;
#define CPJIT__GP_SAVE_12(p) CPJIT__GP_SAVE_11(p) (p)[11] = cpjit_g11;
#define CPJIT__FP_SAVE_0(p)
#define CPJIT__FP_SAVE_1(p) (p)[0] = cpjit_f0;
#define CPJIT__FP_SAVE_2(p) CPJIT__FP_SAVE_1(p) (p)[1] = cpjit_f1;
#define CPJIT__FP_SAVE_3(p) CPJIT__FP_SAVE_2(p) (p)[2] = cpjit_f2;
#define CPJIT__FP_SAVE_4(p) CPJIT__FP_SAVE_3(p) (p)[3] = cpjit_f3;
#define CPJIT__FP_SAVE_5(p) CPJIT__FP_SAVE_4(p) (p)[4] = cpjit_f4;
#define CPJIT__FP_SAVE_6(p) CPJIT__FP_SAVE_5(p) (p)[5] = cpjit_f5;
#define CPJIT__FP_SAVE_7(p) CPJIT__FP_SAVE_6(p) (p)[6] = cpjit_f6;
#define CPJIT__FP_SAVE_8(p) CPJIT__FP_SAVE_7(p) (p)[7] = cpjit_f7;

/* Repetition at three independent levels (one per register operand):
 * CPJIT__R<l>_<n>(M, ...) is M(..., 0) M(..., 1) ... M(..., n-1). */
#define CPJIT__R1_0(M, ...)
#define CPJIT__R1_1(M, ...) M(__VA_ARGS__, 0)
#define CPJIT__R1_2(M, ...) CPJIT__R1_1(M, __VA_ARGS__) M(__VA_ARGS__, 1)
#define CPJIT__R1_3(M, ...) CPJIT__R1_2(M, __VA_ARGS__) M(__VA_ARGS__, 2)
#define CPJIT__R1_4(M, ...) CPJIT__R1_3(M, __VA_ARGS__) M(__VA_ARGS__, 3)
#define CPJIT__R1_5(M, ...) CPJIT__R1_4(M, __VA_ARGS__) M(__VA_ARGS__, 4)
#define CPJIT__R1_6(M, ...) CPJIT__R1_5(M, __VA_ARGS__) M(__VA_ARGS__, 5)
#define CPJIT__R1_7(M, ...) CPJIT__R1_6(M, __VA_ARGS__) M(__VA_ARGS__, 6)
#define CPJIT__R1_8(M, ...) CPJIT__R1_7(M, __VA_ARGS__) M(__VA_ARGS__, 7)
#define CPJIT__R1_9(M, ...) CPJIT__R1_8(M, __VA_ARGS__) M(__VA_ARGS__, 8)
#define CPJIT__R1_10(M, ...) CPJIT__R1_9(M, __VA_ARGS__) M(__VA_ARGS__, 9)
#define CPJIT__R1_11(M, ...) CPJIT__R1_10(M, __VA_ARGS__) M(__VA_ARGS__, 10)
#define CPJIT__R1_12(M, ...) CPJIT__R1_11(M, __VA_ARGS__) M(__VA_ARGS__, 11)
#define CPJIT__R2_0(M, ...)
#define CPJIT__R2_1(M, ...) M(__VA_ARGS__, 0)
#define CPJIT__R2_2(M, ...) CPJIT__R2_1(M, __VA_ARGS__) M(__VA_ARGS__, 1)
#define CPJIT__R2_3(M, ...) CPJIT__R2_2(M, __VA_ARGS__) M(__VA_ARGS__, 2)
#define CPJIT__R2_4(M, ...) CPJIT__R2_3(M, __VA_ARGS__) M(__VA_ARGS__, 3)
#define CPJIT__R2_5(M, ...) CPJIT__R2_4(M, __VA_ARGS__) M(__VA_ARGS__, 4)
#define CPJIT__R2_6(M, ...) CPJIT__R2_5(M, __VA_ARGS__) M(__VA_ARGS__, 5)
#define CPJIT__R2_7(M, ...) CPJIT__R2_6(M, __VA_ARGS__) M(__VA_ARGS__, 6)
#define CPJIT__R2_8(M, ...) CPJIT__R2_7(M, __VA_ARGS__) M(__VA_ARGS__, 7)
#define CPJIT__R2_9(M, ...) CPJIT__R2_8(M, __VA_ARGS__) M(__VA_ARGS__, 8)
#define CPJIT__R2_10(M, ...) CPJIT__R2_9(M, __VA_ARGS__) M(__VA_ARGS__, 9)
#define CPJIT__R2_11(M, ...) CPJIT__R2_10(M, __VA_ARGS__) M(__VA_ARGS__, 10)
#define CPJIT__R2_12(M, ...) CPJIT__R2_11(M, __VA_ARGS__) M(__VA_ARGS__, 11)
#define CPJIT__R3_0(M, ...)
#define CPJIT__R3_1(M, ...) M(__VA_ARGS__, 0)
#define CPJIT__R3_2(M, ...) CPJIT__R3_1(M, __VA_ARGS__) M(__VA_ARGS__, 1)
#define CPJIT__R3_3(M, ...) CPJIT__R3_2(M, __VA_ARGS__) M(__VA_ARGS__, 2)
#define CPJIT__R3_4(M, ...) CPJIT__R3_3(M, __VA_ARGS__) M(__VA_ARGS__, 3)
#define CPJIT__R3_5(M, ...) CPJIT__R3_4(M, __VA_ARGS__) M(__VA_ARGS__, 4)
#define CPJIT__R3_6(M, ...) CPJIT__R3_5(M, __VA_ARGS__) M(__VA_ARGS__, 5)
#define CPJIT__R3_7(M, ...) CPJIT__R3_6(M, __VA_ARGS__) M(__VA_ARGS__, 6)
#define CPJIT__R3_8(M, ...) CPJIT__R3_7(M, __VA_ARGS__) M(__VA_ARGS__, 7)
#define CPJIT__R3_9(M, ...) CPJIT__R3_8(M, __VA_ARGS__) M(__VA_ARGS__, 8)
#define CPJIT__R3_10(M, ...) CPJIT__R3_9(M, __VA_ARGS__) M(__VA_ARGS__, 9)
#define CPJIT__R3_11(M, ...) CPJIT__R3_10(M, __VA_ARGS__) M(__VA_ARGS__, 10)
#define CPJIT__R3_12(M, ...) CPJIT__R3_11(M, __VA_ARGS__) M(__VA_ARGS__, 11)

/* The register-operand signatures: arity, then the class of each. */
#define CPJIT__SIG_G 1, G
#define CPJIT__SIG_F 1, F
#define CPJIT__SIG_GG 2, G, G
#define CPJIT__SIG_GF 2, G, F
#define CPJIT__SIG_FG 2, F, G
#define CPJIT__SIG_FF 2, F, F
#define CPJIT__SIG_GGG 3, G, G, G
#define CPJIT__SIG_GGF 3, G, G, F
#define CPJIT__SIG_GFG 3, G, F, G
#define CPJIT__SIG_GFF 3, G, F, F
#define CPJIT__SIG_FGG 3, F, G, G
#define CPJIT__SIG_FGF 3, F, G, F
#define CPJIT__SIG_FFG 3, F, F, G
#define CPJIT__SIG_FFF 3, F, F, F

/* ", uint64_t cpjit_g0, ..., double cpjit_f<M-1>" (empty for 0 and 0). */
#define CPJIT_REGFILE_PARAMS                                                   \
  CPJIT__CAT(CPJIT__GP_PARAMS_, CPJIT_NGPR)                                    \
  CPJIT__CAT(CPJIT__FP_PARAMS_, CPJIT_NFPR)
/* ", cpjit_g0, ..., cpjit_f<M-1>". */
#define CPJIT_REGFILE_ARGS                                                     \
  CPJIT__CAT(CPJIT__GP_ARGS_, CPJIT_NGPR)                                      \
  CPJIT__CAT(CPJIT__FP_ARGS_, CPJIT_NFPR)
/* ", 0, ..., 0.0": the register file's initial values (trampoline). */
#define CPJIT_REGFILE_ZERO                                                     \
  CPJIT__CAT(CPJIT__GP_ZERO_, CPJIT_NGPR)                                      \
  CPJIT__CAT(CPJIT__FP_ZERO_, CPJIT_NFPR)
/* Store every register parameter: gp[i] = cpjit_g<i>; fp[j] = cpjit_f<j>;
 * (gp a uint64_t *, fp a double *; an exit stub dumping the file). */
#define CPJIT_REGFILE_SAVE(gp, fp)                                             \
  do {                                                                         \
    CPJIT__CAT(CPJIT__GP_SAVE_, CPJIT_NGPR)(gp)                                \
    CPJIT__CAT(CPJIT__FP_SAVE_, CPJIT_NFPR)(fp)                                \
    (void)(gp);                                                                \
    (void)(fp);                                                                \
  } while (0)

/* A valid register-operand signature (1 to 3 letters G or F). */
#define CPJIT__SIGOK_G 1
#define CPJIT__SIGOK_F 1
#define CPJIT__SIGOK_GG 1
#define CPJIT__SIGOK_GF 1
#define CPJIT__SIGOK_FG 1
#define CPJIT__SIGOK_FF 1
#define CPJIT__SIGOK_GGG 1
#define CPJIT__SIGOK_GGF 1
#define CPJIT__SIGOK_GFG 1
#define CPJIT__SIGOK_GFF 1
#define CPJIT__SIGOK_FGG 1
#define CPJIT__SIGOK_FGF 1
#define CPJIT__SIGOK_FFG 1
#define CPJIT__SIGOK_FFF 1

#if !defined(CPJIT_PARAMS) || !defined(CPJIT_ARGS)
#error "define CPJIT_PARAMS and CPJIT_ARGS before including cpjit_stencil.h"
#endif

/* Every stencil returns this to the trampoline when the trace leaves. */
typedef uint64_t cpjit_result;

/* Mark a uop branch as unlikely so clang places it out of line and the
 * stencil ends in its jump to CONTINUE (which the JIT can then drop). */
#define CPJIT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CPJIT_LIKELY(x) __builtin_expect(!!(x), 1)

/* Name lists: LIST(X) expands X(NAME) for each uop / helper. */
#define CPJIT__NAME_STR(name) #name "\0"

#if defined(CPJIT_STENCIL_BUILD)
/* -- Stencil mode (clang-19, -fno-pic, -mcmodel=small on x86-64 and
 * -mcmodel=large on AArch64: tools/CpjitStencils.cmake) -------------------- */

#if !defined(__clang__) || __clang_major__ < 19
#error "stencils need clang >= 19 (preserve_none and musttail)"
#endif

/* Uops and the exit stub are entered by direct jumps only: no landing pad
 * (endbr64) in front of each under -fcf-protection (CPJIT_HARDEN). The
 * trampoline, which the host calls through a pointer, keeps its own, and
 * address-taken labels inside uops get theirs.
 *
 * AArch64 with BTI (-mbranch-protection=standard): likewise no `bti c` in
 * front of each uop, by compiling them with the same return-address
 * signing and no BTI. A uop that signs its return address still starts
 * with paciasp (an implicit bti c). Without BTI the compiler would not put
 * `bti j` at jump-table targets either: the hardened tests check that no
 * uop holds an indirect branch (br/blr), so none needs one. */
#if defined(__CET__) && (__CET__ & 1)
#define CPJIT_CC __attribute__((preserve_none, nocf_check))
#else
#define CPJIT_CC __attribute__((preserve_none))
#endif
/* The definitions of uops and the exit stub: CPJIT_CC, and on AArch64 the
 * branch protection without BTI (a function attribute, not a type's). */
#if defined(__ARM_FEATURE_BTI_DEFAULT) && defined(__ARM_FEATURE_PAC_DEFAULT)
#if (__ARM_FEATURE_PAC_DEFAULT & 6) == 6
#define CPJIT__PAC "pac-ret+leaf+b-key"
#elif __ARM_FEATURE_PAC_DEFAULT & 4
#define CPJIT__PAC "pac-ret+leaf"
#elif __ARM_FEATURE_PAC_DEFAULT & 2
#define CPJIT__PAC "pac-ret+b-key"
#else
#define CPJIT__PAC "pac-ret"
#endif
#define CPJIT__FNATTR                                                          \
  CPJIT_CC __attribute__((target("branch-protection=" CPJIT__PAC)))
#elif defined(__ARM_FEATURE_BTI_DEFAULT)
#define CPJIT__FNATTR CPJIT_CC __attribute__((target("branch-protection=none")))
#else
#define CPJIT__FNATTR CPJIT_CC
#endif
typedef CPJIT_CC cpjit_result cpjit_cont_fn(CPJIT_PARAMS);

extern cpjit_cont_fn CPJIT_CONTINUE, CPJIT_JUMP, CPJIT_EXIT;
extern char CPJIT_OPERAND0[], CPJIT_OPERAND1[], CPJIT_ARG[];

/* Operands as 32-bit immediates or displacements.
 *
 * x86-64: the value is the address of the hole symbol, so clang folds it
 * into instructions (R_X86_64_32 / 32S holes). Such a field receives the
 * low 32 bits of the uop's operand, exactly what the reference-mode macros
 * below read, so pass signed values sign-extended (e.g.
 * (uint64_t)(int64_t)-8). The JIT fails a compile with CPJIT_ERR_RANGE when
 * the operand is neither a zero- nor a sign-extended 32-bit number.
 *
 * AArch64 has no 32-bit immediates: a movz/movk pair loads the low 32 bits
 * (R_AARCH64_MOVW_UABS_G1_NC, G0_NC holes; the small argument is one movz,
 * G0_NC), half the code and holes of letting clang load the whole 64-bit
 * symbol address. The low 32 bits are taken without a range check, as the
 * reference-mode macros do.
 *
 * Use these for slot offsets and small constants. */
#if defined(__aarch64__)
#define CPJIT__LOAD32(sym)                                                     \
  ({                                                                           \
    uint32_t v_;                                                               \
    __asm__("movz %w0, #:abs_g1_nc:" #sym "\n\t"                               \
            "movk %w0, #:abs_g0_nc:" #sym                                      \
            : "=r"(v_));                                                       \
    v_;                                                                        \
  })
#define CPJIT_OPERAND0_U32 CPJIT__LOAD32(CPJIT_OPERAND0)
#define CPJIT_OPERAND1_U32 CPJIT__LOAD32(CPJIT_OPERAND1)
#define CPJIT_OPERAND0_S32 ((int32_t)CPJIT__LOAD32(CPJIT_OPERAND0))
#define CPJIT_OPERAND1_S32 ((int32_t)CPJIT__LOAD32(CPJIT_OPERAND1))
#define CPJIT_OPERAND0_DISP ((intptr_t)CPJIT_OPERAND0_S32)
#define CPJIT_OPERAND1_DISP ((intptr_t)CPJIT_OPERAND1_S32)
#define CPJIT_ARG_U16                                                          \
  ({                                                                           \
    uint32_t v_;                                                               \
    __asm__("movz %w0, #:abs_g0_nc:CPJIT_ARG" : "=r"(v_));                     \
    (uint16_t)v_;                                                              \
  })
#define CPJIT_ARG_DISP ((intptr_t)CPJIT_ARG_U16)
#else
#define CPJIT_OPERAND0_U32 ((uint32_t)(uintptr_t)CPJIT_OPERAND0)
#define CPJIT_OPERAND1_U32 ((uint32_t)(uintptr_t)CPJIT_OPERAND1)
#define CPJIT_OPERAND0_S32 ((int32_t)(intptr_t)CPJIT_OPERAND0)
#define CPJIT_OPERAND1_S32 ((int32_t)(intptr_t)CPJIT_OPERAND1)
/* As a byte displacement, folded into the addressing mode. */
#define CPJIT_OPERAND0_DISP ((intptr_t)CPJIT_OPERAND0)
#define CPJIT_OPERAND1_DISP ((intptr_t)CPJIT_OPERAND1)
#define CPJIT_ARG_U16 ((uint16_t)(uintptr_t)CPJIT_ARG)
/* The small argument as a byte displacement (0..65535). */
#define CPJIT_ARG_DISP ((intptr_t)CPJIT_ARG)
#endif

/* Full 64-bit operands (pointers, double bit patterns): a 64-bit absolute
 * hole, forced with an instruction clang cannot shrink. */
#if defined(__x86_64__)
#define CPJIT__LOAD64(sym)                                                     \
  ({                                                                           \
    uint64_t v_;                                                               \
    __asm__("movabsq $" #sym ", %0" : "=r"(v_));                               \
    v_;                                                                        \
  })
#elif defined(__aarch64__)
/* movz/movk of the four 16-bit groups (R_AARCH64_MOVW_UABS_G3, G2_NC,
 * G1_NC, G0_NC holes): any 64-bit value, whatever the code model. */
#define CPJIT__LOAD64(sym)                                                     \
  ({                                                                           \
    uint64_t v_;                                                               \
    __asm__("movz %0, #:abs_g3:" #sym "\n\t"                                   \
            "movk %0, #:abs_g2_nc:" #sym "\n\t"                                \
            "movk %0, #:abs_g1_nc:" #sym "\n\t"                                \
            "movk %0, #:abs_g0_nc:" #sym                                       \
            : "=r"(v_));                                                       \
    v_;                                                                        \
  })
#else
#error "cpjit stencils: x86-64 and AArch64 only"
#endif
#define CPJIT_OPERAND0_U64 CPJIT__LOAD64(CPJIT_OPERAND0)
#define CPJIT_OPERAND1_U64 CPJIT__LOAD64(CPJIT_OPERAND1)

#define CPJIT_UOP(name)                                                        \
  CPJIT__FNATTR cpjit_result cpjit_uop_##name(CPJIT_PARAMS)
#define CPJIT_TRAMPOLINE(...) cpjit_result cpjit_trampoline(__VA_ARGS__)
#define CPJIT_EXIT_STUB                                                        \
  CPJIT__FNATTR cpjit_result cpjit_exit_stub(CPJIT_PARAMS)
/* The shared exit handler and the stub's jump to it (a tail call clang
 * makes without musttail, which needs equal signatures). */
typedef CPJIT_CC cpjit_result cpjit_handler_fn(CPJIT_PARAMS, uint64_t);
extern cpjit_handler_fn CPJIT_HANDLER;
#define CPJIT_EXIT_HANDLER                                                     \
  CPJIT__FNATTR cpjit_result cpjit_exit_handler(CPJIT_PARAMS,                  \
                                                uint64_t cpjit_exit_value)
#define CPJIT_EXIT_VALUE cpjit_exit_value
#define CPJIT_GOTO_EXIT_HANDLER(value)                                         \
  return CPJIT_HANDLER(CPJIT_ARGS, (uint64_t)(value))

/* Leave the uop: next uop, uop[target], or exit stub[exit]. */
#define CPJIT_GOTO_CONTINUE()                                                  \
  __attribute__((musttail)) return CPJIT_CONTINUE(CPJIT_ARGS)
#define CPJIT_GOTO_JUMP() __attribute__((musttail)) return CPJIT_JUMP(CPJIT_ARGS)
#define CPJIT_GOTO_EXIT() __attribute__((musttail)) return CPJIT_EXIT(CPJIT_ARGS)
/* Inside the trampoline: run the trace (an ordinary, non-tail call). */
#define CPJIT_ENTER(...) CPJIT_CONTINUE(__VA_ARGS__)

#define CPJIT_DECLARE_UOPS(LIST)                                               \
  __attribute__((section(".cpjit.uops"), used)) static const char              \
      cpjit_uop_names_[] = LIST(CPJIT__NAME_STR)
#define CPJIT_DECLARE_HELPERS(LIST)                                            \
  __attribute__((section(".cpjit.helpers"), used)) static const char           \
      cpjit_helper_names_[] = LIST(CPJIT__NAME_STR)

/* -- Register uops (stencil mode) ----------------------------------------- *
 * CPJIT_RUOP(NAME, SIG) opens the body function cpjit__rbody_NAME: the
 * host's parameters, then one pointer per register operand (cpjit__g<k>
 * for class G, cpjit__f<k> for class F, so CPJIT_RG on an F operand does
 * not compile). It returns how to leave: 0 next uop, 1 exit, 2 jump.
 * CPJIT_DEFINE_RUOPS emits, for every assignment of file registers to the
 * operands, a uop cpjit_uop_NAME__<r0>[_<r1>[_<r2>]] that passes the
 * addresses of its registers to the inlined body and leaves accordingly;
 * clang's SROA turns the pointers back into the registers themselves. */
#define CPJIT__BP_G(k) uint64_t *cpjit__g##k
#define CPJIT__BP_F(k) double *cpjit__f##k
#define CPJIT__BPARAMS1(A) , CPJIT__BP_##A(0)
#define CPJIT__BPARAMS2(A, B) , CPJIT__BP_##A(0), CPJIT__BP_##B(1)
#define CPJIT__BPARAMS3(A, B, C)                                               \
  , CPJIT__BP_##A(0), CPJIT__BP_##B(1), CPJIT__BP_##C(2)
#define CPJIT__RUOP_2(NAME, n, ...)                                            \
  static inline __attribute__((always_inline)) int cpjit__rbody_##NAME(        \
      CPJIT_PARAMS CPJIT__BPARAMS##n(__VA_ARGS__))
#define CPJIT__RUOP_1(NAME, ...) CPJIT__RUOP_2(NAME, __VA_ARGS__)
/* The body function has every parameter of every uop, of which a body uses
 * a few: from the first register uop on, the file does not warn about
 * unused parameters (cpjit_add_stencils() never does). */
#define CPJIT_RUOP(NAME, SIG)                                                  \
  _Pragma("clang diagnostic ignored \"-Wunused-parameter\"")                   \
  _Static_assert(CPJIT__SIGOK_##SIG,                                           \
                 "register uop " #NAME ": SIG must be 1 to 3 letters G or F"); \
  CPJIT__RUOP_1(NAME, CPJIT__SIG_##SIG)
#define CPJIT_RG(k) (*cpjit__g##k)
#define CPJIT_RF(k) (*cpjit__f##k)
#define CPJIT_RCONTINUE() return 0
#define CPJIT_REXIT() return 1
#define CPJIT_RJUMP() return 2

#define CPJIT__N_G CPJIT_NGPR
#define CPJIT__N_F CPJIT_NFPR
#define CPJIT__REG_G(i) cpjit_g##i
#define CPJIT__REG_F(i) cpjit_f##i
/* The repetition of level l over the registers of class C. */
#define CPJIT__REP(l, C) CPJIT__CAT(CPJIT__R##l##_, CPJIT__N_##C)

#define CPJIT__VARIANT(V, NAME, ...)                                           \
  CPJIT__FNATTR cpjit_result cpjit_uop_##V(CPJIT_PARAMS) {                     \
    switch (cpjit__rbody_##NAME(CPJIT_ARGS, __VA_ARGS__)) {                    \
    case 1:                                                                    \
      __attribute__((musttail)) return CPJIT_EXIT(CPJIT_ARGS);                 \
    case 2:                                                                    \
      __attribute__((musttail)) return CPJIT_JUMP(CPJIT_ARGS);                 \
    default:                                                                   \
      __attribute__((musttail)) return CPJIT_CONTINUE(CPJIT_ARGS);             \
    }                                                                          \
  }
#define CPJIT__V1(N, A, i) CPJIT__VARIANT(N##__##i, N, &CPJIT__REG_##A(i))
#define CPJIT__DEF1(N, A) CPJIT__REP(1, A)(CPJIT__V1, N, A)
#define CPJIT__V2(N, A, B, i, j)                                               \
  CPJIT__VARIANT(N##__##i##_##j, N, &CPJIT__REG_##A(i), &CPJIT__REG_##B(j))
#define CPJIT__D2(N, A, B, i) CPJIT__REP(2, B)(CPJIT__V2, N, A, B, i)
#define CPJIT__DEF2(N, A, B) CPJIT__REP(1, A)(CPJIT__D2, N, A, B)
#define CPJIT__V3(N, A, B, C, i, j, k)                                         \
  CPJIT__VARIANT(N##__##i##_##j##_##k, N, &CPJIT__REG_##A(i),                  \
                 &CPJIT__REG_##B(j), &CPJIT__REG_##C(k))
#define CPJIT__D3B(N, A, B, C, i, j)                                           \
  CPJIT__REP(3, C)(CPJIT__V3, N, A, B, C, i, j)
#define CPJIT__D3A(N, A, B, C, i) CPJIT__REP(2, B)(CPJIT__D3B, N, A, B, C, i)
#define CPJIT__DEF3(N, A, B, C) CPJIT__REP(1, A)(CPJIT__D3A, N, A, B, C)
#define CPJIT__DEFN_(NAME, n, ...) CPJIT__DEF##n(NAME, __VA_ARGS__)
#define CPJIT__DEFN(NAME, ...) CPJIT__DEFN_(NAME, __VA_ARGS__)
#define CPJIT__DEF_RUOP(NAME, SIG) CPJIT__DEFN(NAME, CPJIT__SIG_##SIG)

/* All variants of every register uop of RLIST (after the bodies). The
 * closing declaration lets the host end the line with a semicolon. */
#define CPJIT_DEFINE_RUOPS(RLIST)                                              \
  RLIST(CPJIT__DEF_RUOP) extern char cpjit__ruops_defined_

#define CPJIT__RUOP_STR(NAME, SIG) #NAME "\0" #SIG "\0"
/* The register uop list ("NAME\0SIG\0" pairs, in order) and the register
 * file's size ({CPJIT_NGPR, CPJIT_NFPR}) for stencilgen. */
#define CPJIT_DECLARE_RUOPS(RLIST)                                             \
  __attribute__((section(".cpjit.ruops"), used)) static const char             \
      cpjit_ruop_names_[] = "" RLIST(CPJIT__RUOP_STR);                         \
  __attribute__((section(".cpjit.regfile"), used)) static const unsigned char  \
      cpjit_regfile_[2] = {CPJIT_NGPR, CPJIT_NFPR}

#else
/* -- Reference mode ------------------------------------------------------- *
 * The host includes its uop bodies inside a `switch (u->op)` of an ordinary
 * C loop, with `u` pointing at the current cpjit_uop:
 *
 *   #define CPJIT_REF_UOP(name) case my_OP_##name:   // required
 *   for (const cpjit_uop *u = trace;;) {
 *     switch (u->op) {
 *   #include "my_uops.h"
 *     }
 *   cpjit_ref_next: u++; continue;
 *   cpjit_ref_jump: u = trace + u->target; continue;
 *   cpjit_ref_exit: return exits[u->exit].operand[0];
 *   }
 *
 * Register uops: define CPJIT_REF_RUOP(NAME) too (e.g. `case MY_RUOP_##NAME:`,
 * a number of the host's own past the plain ops) and declare
 * `void *cpjit_ref_reg[3]` in scope. Before the switch, decode the op with
 * <set>_ruop_decode() and point cpjit_ref_reg[k] at the host's copy of
 * operand k's register: CPJIT_RG(k) is *(uint64_t *)cpjit_ref_reg[k],
 * CPJIT_RF(k) *(double *)cpjit_ref_reg[k], CPJIT_RCONTINUE/REXIT/RJUMP are
 * CPJIT_REF_NEXT/EXIT/JUMP, and CPJIT_DECLARE_RUOPS / CPJIT_DEFINE_RUOPS
 * expand to nothing (tests/toy/toy_ref.c does all of this).
 *
 * What leaving a uop does is a statement the host may redefine before
 * including this header (e.g. to count uops, or to `break` out of a loop
 * written without labels):
 *   CPJIT_REF_NEXT    go to the next uop       (default: goto cpjit_ref_next)
 *   CPJIT_REF_JUMP    go to uop[u->target]     (default: goto cpjit_ref_jump)
 *   CPJIT_REF_EXIT    leave through u->exit    (default: goto cpjit_ref_exit)
 */
#ifndef CPJIT_REF_UOP
#error "reference mode: define CPJIT_REF_UOP(name) (e.g. case OP_##name:)"
#endif
#ifndef CPJIT_REF_NEXT
#define CPJIT_REF_NEXT goto cpjit_ref_next
#endif
#ifndef CPJIT_REF_JUMP
#define CPJIT_REF_JUMP goto cpjit_ref_jump
#endif
#ifndef CPJIT_REF_EXIT
#define CPJIT_REF_EXIT goto cpjit_ref_exit
#endif
#define CPJIT_OPERAND0_U32 ((uint32_t)u->operand[0])
#define CPJIT_OPERAND1_U32 ((uint32_t)u->operand[1])
#define CPJIT_OPERAND0_S32 ((int32_t)u->operand[0])
#define CPJIT_OPERAND1_S32 ((int32_t)u->operand[1])
#define CPJIT_OPERAND0_DISP ((intptr_t)(int32_t)u->operand[0])
#define CPJIT_OPERAND1_DISP ((intptr_t)(int32_t)u->operand[1])
#define CPJIT_ARG_U16 ((uint16_t)u->arg)
#define CPJIT_ARG_DISP ((intptr_t)u->arg)
#define CPJIT_OPERAND0_U64 ((uint64_t)u->operand[0])
#define CPJIT_OPERAND1_U64 ((uint64_t)u->operand[1])
#define CPJIT_UOP(name) CPJIT_REF_UOP(name)
#define CPJIT_GOTO_CONTINUE() CPJIT_REF_NEXT
#define CPJIT_GOTO_JUMP() CPJIT_REF_JUMP
#define CPJIT_GOTO_EXIT() CPJIT_REF_EXIT
/* Register uops: the host decodes the op (<set>_ruop_decode of the
 * generated header), points `void *cpjit_ref_reg[3]` at its copies of the
 * operand registers and switches to CPJIT_REF_RUOP(NAME). */
#define CPJIT_RUOP(NAME, SIG) CPJIT_REF_RUOP(NAME)
#define CPJIT_RG(k) (*(uint64_t *)cpjit_ref_reg[k])
#define CPJIT_RF(k) (*(double *)cpjit_ref_reg[k])
#define CPJIT_RCONTINUE() CPJIT_REF_NEXT
#define CPJIT_REXIT() CPJIT_REF_EXIT
#define CPJIT_RJUMP() CPJIT_REF_JUMP
#define CPJIT_DEFINE_RUOPS(RLIST)
#define CPJIT_DECLARE_RUOPS(RLIST)
#endif

#endif /* CPJIT_STENCIL_H */
