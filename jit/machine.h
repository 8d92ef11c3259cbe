/*
 * machine.h -- what the generic pipeline (jit.c, mcode.c) asks of the
 * machine it runs on. Everything that knows instruction bytes lives behind
 * it, in patch_<machine>.c (general patchers, jumps, veneers, fill) and
 * patch_<machine>.h (the inline fast path of the compile loop).
 *
 * Both patchers are plain byte manipulation and build on any host (the
 * unit tests exercise each on every machine); the cpjit_mach_* names below
 * select the one of the machine cpjit is compiled for.
 *
 *   cpjit_mach_patch_fast(loc, P, reloc, S, A)  the common kinds, inline;
 *       CPJIT_ERR_BAD_RELOC (nothing written) for any other kind
 *   cpjit_mach_patch(loc, P, reloc, S, A, G)    every kind; G: GOT slot
 *   cpjit_mach_operand(reloc, S)                a uop operand as its hole's
 *       field receives it (x86-64: the low 32 bits for 32-bit fields)
 *   cpjit_mach_needs_got(reloc)                 needs a GOT slot holding S
 *   cpjit_mach_is_branch(reloc, loc)            a call/jump whose target may
 *       be replaced by a veneer when out of reach
 *   cpjit_mach_write_veneer(p, target)          CPJIT_VENEER_SIZE bytes
 *   cpjit_mach_link_jump(loc, pc, target)       the CPJIT_LINK_JUMP_SIZE-byte
 *       jump at the start of each exit stub, written as one aligned store
 *       where the machine allows patching live code so
 *   cpjit_mach_link_in_range(pc, target)
 *   cpjit_mach_fill(p, n)                       trap instructions for gaps
 *   cpjit_mach_branch_reach(reloc)              for a branch kind of short
 *       reach (AArch64 b.cond/cbz: 1 MiB, tbz: 32 KiB) the bound on its
 *       displacement's magnitude, else 0; the JIT then sends a hole of such
 *       a kind that cannot reach its in-trace target through an island, a
 *       link jump written next to the instance (jit.c)
 *   cpjit_mach_call_landing_pad(code, size)    the code starts with a landing
 *       pad for indirect calls (x86-64 endbr64; AArch64 bti c/jc, paciasp,
 *       pacibsp): the trampoline of a set built with CPJIT_HARDEN does
 *
 * The i-cache flush after every write of code is cpjit_mcode_flush()
 * (mcode.c), which counts flushes in the instance's stats.
 */
#ifndef CPJIT_MACHINE_H
#define CPJIT_MACHINE_H

#include "jit_internal.h"

/* -- x86-64 (patch_x86_64.c) ---------------------------------------------- */
#define CPJIT_X86_64_VENEER_SIZE 16
#define CPJIT_X86_64_LINK_JUMP_SIZE 5
cpjit_status cpjit_x86_64_patch(uint8_t *loc, uint64_t P, int reloc,
                                uint64_t S, int64_t A, uint64_t G);
bool cpjit_x86_64_needs_got(int reloc);
bool cpjit_x86_64_is_branch(int reloc, const uint8_t *loc);
void cpjit_x86_64_write_veneer(uint8_t *p, uint64_t target);
void cpjit_x86_64_link_jump(uint8_t *loc, uint64_t pc, uint64_t target);
bool cpjit_x86_64_link_in_range(uint64_t pc, uint64_t target);
void cpjit_x86_64_fill(uint8_t *p, size_t n);
uint32_t cpjit_x86_64_branch_reach(int reloc);
bool cpjit_x86_64_call_landing_pad(const uint8_t *code, size_t size);

/* -- AArch64 (patch_aarch64.c) -------------------------------------------- */
#define CPJIT_AARCH64_VENEER_SIZE 16
#define CPJIT_AARCH64_LINK_JUMP_SIZE 4
cpjit_status cpjit_aarch64_patch(uint8_t *loc, uint64_t P, int reloc,
                                 uint64_t S, int64_t A, uint64_t G);
bool cpjit_aarch64_needs_got(int reloc);
bool cpjit_aarch64_is_branch(int reloc, const uint8_t *loc);
void cpjit_aarch64_write_veneer(uint8_t *p, uint64_t target);
void cpjit_aarch64_link_jump(uint8_t *loc, uint64_t pc, uint64_t target);
bool cpjit_aarch64_link_in_range(uint64_t pc, uint64_t target);
void cpjit_aarch64_fill(uint8_t *p, size_t n);
uint32_t cpjit_aarch64_branch_reach(int reloc);
bool cpjit_aarch64_call_landing_pad(const uint8_t *code, size_t size);

/* -- The host machine ------------------------------------------------------ */
#if defined(__aarch64__)
#include "patch_aarch64.h"
#define CPJIT_HOST_MACHINE CPJIT_MACHINE_AARCH64
#define CPJIT_VENEER_SIZE CPJIT_AARCH64_VENEER_SIZE
#define CPJIT_LINK_JUMP_SIZE CPJIT_AARCH64_LINK_JUMP_SIZE
#define cpjit_mach_patch_fast cpjit_aarch64_patch_fast
#define cpjit_mach_operand cpjit_aarch64_operand
#define cpjit_mach_patch cpjit_aarch64_patch
#define cpjit_mach_needs_got cpjit_aarch64_needs_got
#define cpjit_mach_is_branch cpjit_aarch64_is_branch
#define cpjit_mach_write_veneer cpjit_aarch64_write_veneer
#define cpjit_mach_link_jump cpjit_aarch64_link_jump
#define cpjit_mach_link_in_range cpjit_aarch64_link_in_range
#define cpjit_mach_fill cpjit_aarch64_fill
#define cpjit_mach_branch_reach cpjit_aarch64_branch_reach
#define cpjit_mach_call_landing_pad cpjit_aarch64_call_landing_pad
#else
/* x86-64, and the fallback of other hosts, where cpjit_open refuses every
 * stencil set (CPJIT_HOST_MACHINE 0) so nothing below ever runs. */
#include "patch_x86_64.h"
#if defined(__x86_64__)
#define CPJIT_HOST_MACHINE CPJIT_MACHINE_X86_64
#else
#define CPJIT_HOST_MACHINE 0
#endif
#define CPJIT_VENEER_SIZE CPJIT_X86_64_VENEER_SIZE
#define CPJIT_LINK_JUMP_SIZE CPJIT_X86_64_LINK_JUMP_SIZE
#define cpjit_mach_patch_fast cpjit_x86_64_patch_fast
#define cpjit_mach_operand cpjit_x86_64_operand
#define cpjit_mach_patch cpjit_x86_64_patch
#define cpjit_mach_needs_got cpjit_x86_64_needs_got
#define cpjit_mach_is_branch cpjit_x86_64_is_branch
#define cpjit_mach_write_veneer cpjit_x86_64_write_veneer
#define cpjit_mach_link_jump cpjit_x86_64_link_jump
#define cpjit_mach_link_in_range cpjit_x86_64_link_in_range
#define cpjit_mach_fill cpjit_x86_64_fill
#define cpjit_mach_branch_reach cpjit_x86_64_branch_reach
#define cpjit_mach_call_landing_pad cpjit_x86_64_call_landing_pad
#endif

#endif /* CPJIT_MACHINE_H */
