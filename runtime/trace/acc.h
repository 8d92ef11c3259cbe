/*
 * acc.h -- the float accumulator pass: rewrite uops of a finished trace to
 * read a float operand from the accumulator register instead of its slot.
 */
#ifndef CPJIT_LUA_TRACE_ACC_H
#define CPJIT_LUA_TRACE_ACC_H

#include <stdint.h>

#include "cpjit.h"

/* Rewrite u[0..n) in place; returns how many uops now read the
 * accumulator. Any trace is accepted: the pass only narrows what it knows. */
uint32_t trace_acc_assign(cpjit_uop *u, uint32_t n);

#endif /* CPJIT_LUA_TRACE_ACC_H */
