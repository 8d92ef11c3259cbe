/*
 * toy_uops_bc.c -- the toy VM's uop bodies (tests/toy/toy_uops.h, unmodified)
 * as one function per uop, compiled by clang-19 to LLVM bitcode for the LLVM
 * baseline. Not linked into anything: bench/llvm loads the bitcode.
 */
#include "toy.h"

#define BC_STATE_PARAM toy_state *S
#define BC_STATE_ARG S
#define BC_FRAME_TYPE int64_t
#define BC_FRAME_NAME R
#include "uop_function_mode.h"

#include "toy_uops.h"
