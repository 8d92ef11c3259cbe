/*
 * toy_ruops.h -- the toy VM's register uop bodies, written once.
 *
 * Included by toy_stencils.c (CPJIT_DEFINE_RUOPS then builds every
 * assignment of file registers to the operands) and by toy_ref.c (each body
 * becomes a `case` of the reference executor, its operands reached through
 * cpjit_ref_reg). Not part of bench/llvm's function mode, which has no
 * register file. Operands may name the same register: each body reads its
 * inputs before it writes.
 */
#define REG(x) R[(x) & 15]
#define WRAP(op, a, b) ((uint64_t)(a) op (uint64_t)(b))

CPJIT_RUOP(RLOAD, G) {
  CPJIT_RG(0) = (uint64_t)REG(CPJIT_ARG_U16);
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RSTORE, G) {
  REG(CPJIT_ARG_U16) = (int64_t)CPJIT_RG(0);
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RMOV, GG) {
  CPJIT_RG(0) = CPJIT_RG(1);
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RADD, GGG) {
  CPJIT_RG(0) = WRAP(+, CPJIT_RG(1), CPJIT_RG(2));
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RSUB, GGG) {
  CPJIT_RG(0) = WRAP(-, CPJIT_RG(1), CPJIT_RG(2));
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RMUL, GGG) {
  CPJIT_RG(0) = WRAP(*, CPJIT_RG(1), CPJIT_RG(2));
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RADDI, GG) {
  CPJIT_RG(0) = WRAP(+, CPJIT_RG(1), (int64_t)CPJIT_OPERAND0_S32);
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RGUARD_LT, GG) {
  if (CPJIT_UNLIKELY(!((int64_t)CPJIT_RG(0) < (int64_t)CPJIT_RG(1))))
    CPJIT_REXIT();
  CPJIT_RCONTINUE();
}

CPJIT_RUOP(RLOOP_LT, GG) {
  uint64_t i = CPJIT_RG(0) + 1;
  CPJIT_RG(0) = i;
  if (CPJIT_LIKELY((int64_t)i < (int64_t)CPJIT_RG(1)))
    CPJIT_RJUMP();
  CPJIT_RCONTINUE();
}

#undef REG
#undef WRAP
