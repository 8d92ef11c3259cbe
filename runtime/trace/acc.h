/*
 * acc.h -- peephole passes over a finished trace: super-uops for bounds
 * guards and the array accesses they guard, and the float accumulator
 * (uops that read a float operand from a register instead of its slot).
 */
#ifndef CPJIT_LUA_TRACE_ACC_H
#define CPJIT_LUA_TRACE_ACC_H

#include <stdint.h>

#include "cpjit.h"

/* Rewrite u[0..*n) in place; returns how many uops now read the
 * accumulator. A loop whose back-edge arrives with a slot below byte
 * offset `frame_bytes` (the recorded function's own registers, which exist
 * whenever the trace runs) in the accumulator gets a LOADF of that slot
 * before its head (so *n may grow by one, when *n < cap). Any trace is
 * accepted: the pass only narrows what it knows. */
uint32_t trace_acc_assign(cpjit_uop *u, uint32_t *n, uint32_t cap,
                          uint32_t frame_bytes);

/* Fuse each G_ARR with the array access right after it on the same table
 * and key (GETI_A* -> GETI_A*G, SETI_A -> SETI_AG) when both leave through
 * the same exit and no jump lands between them. Jump targets are
 * renumbered; returns the new length (n when nothing changed or memory
 * is short). */
uint32_t trace_fuse(cpjit_uop *u, uint32_t n);

#endif /* CPJIT_LUA_TRACE_ACC_H */
