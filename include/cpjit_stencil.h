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
 *   section .cpjit.uops     the uop names, NUL-separated, in op order
 *                           (emitted by CPJIT_DECLARE_UOPS);
 *   section .cpjit.helpers  the host helpers stencils may call, NUL-separated
 *                           (emitted by CPJIT_DECLARE_HELPERS).
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
 * The exit stub's return value is what the trampoline returns to the host
 * when the trace leaves through a side exit (typically the exit's
 * CPJIT_OPERAND0_U64: where the interpreter resumes). Templates compile with
 * -Wall -Wextra but not -Werror; unused parameters (an exit stub that ignores
 * the VM state) are fine.
 */
#ifndef CPJIT_STENCIL_H
#define CPJIT_STENCIL_H

#include <stdint.h>

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
 * address-taken labels inside uops get theirs. */
#if defined(__CET__) && (__CET__ & 1)
#define CPJIT_CC __attribute__((preserve_none, nocf_check))
#else
#define CPJIT_CC __attribute__((preserve_none))
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

#define CPJIT_UOP(name) CPJIT_CC cpjit_result cpjit_uop_##name(CPJIT_PARAMS)
#define CPJIT_TRAMPOLINE(...) cpjit_result cpjit_trampoline(__VA_ARGS__)
#define CPJIT_EXIT_STUB CPJIT_CC cpjit_result cpjit_exit_stub(CPJIT_PARAMS)

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
#endif

#endif /* CPJIT_STENCIL_H */
