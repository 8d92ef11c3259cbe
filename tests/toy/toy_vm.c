/*
 * toy_vm.c -- the toy VM's host side: its helpers and the binding of its
 * generated stencil set.
 */
#include "toy.h"
#include "toy_stencils.h"

int64_t toy_helper_mix(toy_state *S, int64_t a, int64_t b) {
  S->helper_calls++;
  uint64_t x = (uint64_t)a * 0x9e3779b97f4a7c15u;
  return (int64_t)(x ^ ((uint64_t)b >> 7) ^ (x >> 29));
}

const void *const toy_helpers[] = {
#define TOY_HELPER_ADDR(name) (const void *)(uintptr_t)&name,
    TOY_HELPER_LIST(TOY_HELPER_ADDR)
#undef TOY_HELPER_ADDR
};
const uint32_t toy_nhelpers = sizeof toy_helpers / sizeof toy_helpers[0];

_Static_assert(toy_NUOPS == TOY__NUOPS, "stencil set and uop list disagree");
_Static_assert(toy_NRUOPS == TOY__NRUOPS && toy_NGPR == TOY_NGPR,
               "stencil set and register uop list disagree");

uint16_t toy_ruop_op(int ruop, unsigned r0, unsigned r1, unsigned r2) {
  const uint8_t reg[3] = {(uint8_t)r0, (uint8_t)r1, (uint8_t)r2};
  return (uint16_t)cpjit_ruop_op(&toy_ruops[ruop], reg);
}

int toy_ruop_decode_op(uint32_t op, uint32_t *ruop, uint8_t reg[3]) {
  return toy_ruop_decode(op, ruop, reg);
}

const cpjit_stencil_set *toy_stencil_set_get(void) { return &toy_stencil_set; }
