/*
 * uop_function_abi.h -- what a uop function of the LLVM baseline returns
 * (see uop_function_mode.h) and how its symbol is named.
 */
#ifndef CPJIT_BENCH_UOP_FUNCTION_ABI_H
#define CPJIT_BENCH_UOP_FUNCTION_ABI_H

enum { BC_CONTINUE = 0, BC_JUMP = 1, BC_EXIT = 2 };

#define BC_UOP_SYMBOL_PREFIX "cpjit_bc_uop_"
/* A register uop body (CPJIT_RUOP), one function for all its variants. */
#define BC_RUOP_SYMBOL_PREFIX "cpjit_bc_ruop_"

#endif
