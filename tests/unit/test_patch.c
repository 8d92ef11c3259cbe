/*
 * test_patch.c -- every x86-64 relocation patcher at the edges of its range:
 * the largest value that fits is written exactly, one past it is refused
 * with CPJIT_ERR_RANGE and leaves the bytes untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jit_internal.h"

static uint8_t buf[32];

static cpjit_status patch(int reloc, uint64_t P, uint64_t S, int64_t A,
                          uint64_t G) {
  memset(buf, 0xaa, sizeof buf);
  return cpjit_patch_x86_64(buf + 8, P, reloc, S, A, G);
}

static uint32_t get32(void) {
  uint32_t v;
  memcpy(&v, buf + 8, 4);
  return v;
}

static uint64_t get64(void) {
  uint64_t v;
  memcpy(&v, buf + 8, 8);
  return v;
}

static void untouched(void) {
  for (int i = 0; i < 32; i++)
    assert_int_equal(buf[i], 0xaa);
}

static void abs64_writes_any_value(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_64, 0, UINT64_MAX, 0, 0), CPJIT_OK);
  assert_true(get64() == UINT64_MAX);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_64, 0, 10, -3, 0), CPJIT_OK);
  assert_true(get64() == 7);
}

static void abs32_is_zero_extended(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, UINT32_MAX, 0, 0), CPJIT_OK);
  assert_true(get32() == UINT32_MAX);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, 0, 0, 0), CPJIT_OK);
  assert_true(get32() == 0);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, (uint64_t)UINT32_MAX + 1, 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32, 0, (uint64_t)-1, 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
}

static void abs32s_is_sign_extended(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, INT32_MAX, 0, 0), CPJIT_OK);
  assert_true(get32() == (uint32_t)INT32_MAX);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, (uint64_t)(int64_t)INT32_MIN, 0, 0),
                   CPJIT_OK);
  assert_true(get32() == 0x80000000u);
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, (uint64_t)INT32_MAX + 1, 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
  assert_int_equal(patch(CPJIT_RELOC_X86_64_32S, 0, (uint64_t)((int64_t)INT32_MIN - 1), 0, 0),
                   CPJIT_ERR_RANGE);
  untouched();
}

static void pc32_and_plt32_reach_two_gib(void **u) {
  (void)u;
  int kinds[] = {CPJIT_RELOC_X86_64_PC32, CPJIT_RELOC_X86_64_PLT32};
  uint64_t P = 0x100000000ull;
  for (int k = 0; k < 2; k++) {
    /* S + A - P == INT32_MAX */
    assert_int_equal(patch(kinds[k], P, P + INT32_MAX + 4, -4, 0), CPJIT_OK);
    assert_true(get32() == (uint32_t)INT32_MAX);
    assert_int_equal(patch(kinds[k], P, P - 0x80000000ull + 4, -4, 0), CPJIT_OK);
    assert_true(get32() == 0x80000000u);
    assert_int_equal(patch(kinds[k], P, P + (uint64_t)INT32_MAX + 5, -4, 0),
                     CPJIT_ERR_RANGE);
    untouched();
    assert_int_equal(patch(kinds[k], P, P - 0x80000000ull + 3, -4, 0),
                     CPJIT_ERR_RANGE);
    untouched();
  }
}

static void pc64_is_relative(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_PC64, 100, 50, 0, 0), CPJIT_OK);
  assert_true(get64() == (uint64_t)-50);
}

static void gotpcrel_points_at_the_slot(void **u) {
  (void)u;
  uint64_t P = 0x1000, G = 0x2000;
  assert_int_equal(patch(CPJIT_RELOC_X86_64_GOTPCREL, P, 0xdeadbeef00ull, -4, G),
                   CPJIT_OK);
  assert_true(get32() == (uint32_t)(G - 4 - P));
  /* Slot out of reach. */
  assert_int_equal(patch(CPJIT_RELOC_X86_64_GOTPCREL, P, 0, -4, P + (1ull << 32)),
                   CPJIT_ERR_RANGE);
  untouched();
  assert_true(cpjit_patch_needs_got(CPJIT_RELOC_X86_64_GOTPCREL));
  assert_true(cpjit_patch_needs_got(CPJIT_RELOC_X86_64_GOTPCRELX));
  assert_true(cpjit_patch_needs_got(CPJIT_RELOC_X86_64_REX_GOTPCRELX));
  assert_false(cpjit_patch_needs_got(CPJIT_RELOC_X86_64_PC32));
}

static void gotpcrelx_relaxes_call_jmp_and_mov(void **u) {
  (void)u;
  uint64_t P = 0x10000, G = 0x20000, S = 0x30000;
  /* call *G(%rip) -> addr32 call S */
  memset(buf, 0xaa, sizeof buf);
  buf[6] = 0xff, buf[7] = 0x15;
  assert_int_equal(cpjit_patch_x86_64(buf + 8, P, CPJIT_RELOC_X86_64_GOTPCRELX, S, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0x67);
  assert_int_equal(buf[7], 0xe8);
  assert_true(get32() == (uint32_t)(S - (P + 4)));
  /* jmp *G(%rip) -> jmp S; nop */
  memset(buf, 0xaa, sizeof buf);
  buf[6] = 0xff, buf[7] = 0x25;
  assert_int_equal(cpjit_patch_x86_64(buf + 8, P, CPJIT_RELOC_X86_64_GOTPCRELX, S, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0xe9);
  uint32_t rel;
  memcpy(&rel, buf + 7, 4);
  assert_true(rel == (uint32_t)(S - (P - 2 + 5)));
  assert_int_equal(buf[11], 0x90);
  /* mov G(%rip), %rax -> lea S(%rip), %rax */
  memset(buf, 0xaa, sizeof buf);
  buf[5] = 0x48, buf[6] = 0x8b, buf[7] = 0x05;
  assert_int_equal(cpjit_patch_x86_64(buf + 8, P, CPJIT_RELOC_X86_64_REX_GOTPCRELX, S, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0x8d);
  assert_true(get32() == (uint32_t)(S - (P + 4)));
  /* S out of rel32 reach: keep the GOT load. */
  memset(buf, 0xaa, sizeof buf);
  buf[5] = 0x48, buf[6] = 0x8b, buf[7] = 0x05;
  assert_int_equal(cpjit_patch_x86_64(buf + 8, P, CPJIT_RELOC_X86_64_REX_GOTPCRELX,
                                      1ull << 40, -4, G),
                   CPJIT_OK);
  assert_int_equal(buf[6], 0x8b);
  assert_true(get32() == (uint32_t)(G - (P + 4)));
}

static void unknown_relocation_is_refused(void **u) {
  (void)u;
  assert_int_equal(patch(CPJIT_RELOC__COUNT, 0, 0, 0, 0), CPJIT_ERR_BAD_RELOC);
  untouched();
}

static void link_jump_range(void **u) {
  (void)u;
  assert_true(cpjit_patch_link_in_range(0x1000, 0x1000 + 5 + (uint64_t)INT32_MAX));
  assert_false(cpjit_patch_link_in_range(0x1000, 0x1000 + 6 + (uint64_t)INT32_MAX));
  memset(buf, 0, sizeof buf);
  cpjit_patch_link_jump(buf, 0x1000, 0x1005);
  assert_int_equal(buf[0], 0xe9);
  assert_int_equal(buf[1] | buf[2] | buf[3] | buf[4], 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(abs64_writes_any_value),
      cmocka_unit_test(abs32_is_zero_extended),
      cmocka_unit_test(abs32s_is_sign_extended),
      cmocka_unit_test(pc32_and_plt32_reach_two_gib),
      cmocka_unit_test(pc64_is_relative),
      cmocka_unit_test(gotpcrel_points_at_the_slot),
      cmocka_unit_test(gotpcrelx_relaxes_call_jmp_and_mov),
      cmocka_unit_test(unknown_relocation_is_refused),
      cmocka_unit_test(link_jump_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
