/*
 * stencilgen/machine_x86_64.c -- the x86-64 machine table.
 *
 * Maps the ELF relocation types clang-19 emits for stencils onto
 * cpjit_reloc (the JIT has one patch function per kind), names the other
 * known types so an error can say which one it met, and recognises the
 * final `jmp rel32` to CONTINUE that the JIT may drop when the next uop
 * follows directly.
 */
#include <elf.h>
#include <string.h>

#include "stencilgen.h"

#define RELOC_OK(name, kind, size)                                             \
  { name, #name, 1, CPJIT_RELOC_##kind, size, 0 }
#define RELOC_GOT(name, kind)                                                  \
  { name, #name, 1, CPJIT_RELOC_##kind, 4, 1 }
#define RELOC_NO(name)                                                         \
  { name, #name, 0, CPJIT_RELOC_X86_64_64, 0, 0 }

static const reloc_desc x86_64_relocs[] = {
    RELOC_OK(R_X86_64_64, X86_64_64, 8),
    RELOC_OK(R_X86_64_PC32, X86_64_PC32, 4),
    RELOC_OK(R_X86_64_PLT32, X86_64_PLT32, 4),
    RELOC_GOT(R_X86_64_GOTPCREL, X86_64_GOTPCREL),
    RELOC_OK(R_X86_64_32, X86_64_32, 4),
    RELOC_OK(R_X86_64_32S, X86_64_32S, 4),
    RELOC_OK(R_X86_64_PC64, X86_64_PC64, 8),
    RELOC_GOT(R_X86_64_GOTPCRELX, X86_64_GOTPCRELX),
    RELOC_GOT(R_X86_64_REX_GOTPCRELX, X86_64_REX_GOTPCRELX),
    /* Known types the JIT has no patcher for: named in the error. */
    RELOC_NO(R_X86_64_NONE),
    RELOC_NO(R_X86_64_GOT32),
    RELOC_NO(R_X86_64_COPY),
    RELOC_NO(R_X86_64_GLOB_DAT),
    RELOC_NO(R_X86_64_JUMP_SLOT),
    RELOC_NO(R_X86_64_RELATIVE),
    RELOC_NO(R_X86_64_16),
    RELOC_NO(R_X86_64_PC16),
    RELOC_NO(R_X86_64_8),
    RELOC_NO(R_X86_64_PC8),
    RELOC_NO(R_X86_64_DTPMOD64),
    RELOC_NO(R_X86_64_DTPOFF64),
    RELOC_NO(R_X86_64_TPOFF64),
    RELOC_NO(R_X86_64_TLSGD),
    RELOC_NO(R_X86_64_TLSLD),
    RELOC_NO(R_X86_64_DTPOFF32),
    RELOC_NO(R_X86_64_GOTTPOFF),
    RELOC_NO(R_X86_64_TPOFF32),
    RELOC_NO(R_X86_64_GOTOFF64),
    RELOC_NO(R_X86_64_GOTPC32),
    RELOC_NO(R_X86_64_GOT64),
    RELOC_NO(R_X86_64_GOTPCREL64),
    RELOC_NO(R_X86_64_GOTPC64),
    RELOC_NO(R_X86_64_GOTPLT64),
    RELOC_NO(R_X86_64_PLTOFF64),
    RELOC_NO(R_X86_64_SIZE32),
    RELOC_NO(R_X86_64_SIZE64),
    RELOC_NO(R_X86_64_GOTPC32_TLSDESC),
    RELOC_NO(R_X86_64_TLSDESC_CALL),
    RELOC_NO(R_X86_64_TLSDESC),
    RELOC_NO(R_X86_64_IRELATIVE),
};

/* The code ends in `jmp rel32` (e9) to CONTINUE: the 5 bytes can go. */
static uint32_t tail_continue(const stencil *st) {
  if (st->code_size < 5 || st->code[st->code_size - 5] != 0xe9)
    return 0;
  for (uint32_t i = 0; i < st->nholes; i++) {
    const hole *h = &st->holes[i];
    if (!h->in_data && h->offset == st->code_size - 4 &&
        h->kind == CPJIT_HOLE_CONTINUE && h->addend == -4 &&
        (h->reloc == CPJIT_RELOC_X86_64_PC32 ||
         h->reloc == CPJIT_RELOC_X86_64_PLT32))
      return 5;
  }
  return 0;
}

static int is_rel32_hole(const hole *h) {
  return h->addend == -4 && (h->reloc == CPJIT_RELOC_X86_64_PC32 ||
                             h->reloc == CPJIT_RELOC_X86_64_PLT32);
}

/* The code hole at `off`, or NULL. */
static hole *code_hole_at(const stencil *st, uint32_t off) {
  for (uint32_t i = 0; i < st->nholes; i++)
    if (!st->holes[i].in_data && st->holes[i].offset == off)
      return &st->holes[i];
  return NULL;
}

/* Could any byte sequence of the code be a direct branch to `target`
 * (rel8 jcc/jmp/jrcxz/loop, rel32 jmp/call/jcc with no relocation on its
 * displacement), or a code address in a hole (jump tables) point near it?
 * Scanning every offset, not just instruction starts, over-approximates:
 * a false "yes" only costs the rewrite. */
static int maybe_branched_to(const stencil *st, const uint8_t *code,
                             uint32_t target) {
  uint32_t n = st->code_size;
  for (uint32_t p = 0; p < n; p++) {
    uint8_t b = code[p];
    if (((b >= 0x70 && b <= 0x7f) || b == 0xeb || (b >= 0xe0 && b <= 0xe3)) &&
        p + 2 <= n && (int64_t)p + 2 + (int8_t)code[p + 1] == target)
      return 1;
    if ((b == 0xe9 || b == 0xe8) && p + 5 <= n && !code_hole_at(st, p + 1) &&
        (int64_t)p + 5 + (int32_t)rd32(code + p + 1) == target)
      return 1;
    if (b == 0x0f && p + 6 <= n && (code[p + 1] & 0xf0) == 0x80 &&
        !code_hole_at(st, p + 2) &&
        (int64_t)p + 6 + (int32_t)rd32(code + p + 2) == target)
      return 1;
  }
  for (uint32_t i = 0; i < st->nholes; i++)
    if (st->holes[i].kind == CPJIT_HOLE_CODE &&
        st->holes[i].addend >= (int64_t)target - 16)
      return 1;
  return 0;
}

/* `0f 8X rel32` to CONTINUE, then `e9 rel32` to EXIT or JUMP, at the end:
 * becomes `0f 8(X^1) rel32` to the jmp's target. The low bit of a jcc's
 * condition code negates it (jne <-> je, jb <-> jae, ...). */
static int fallthrough(stencil *st, uint8_t *code) {
  uint32_t n = st->code_size;
  if (n < 11 || code[n - 5] != 0xe9 || code[n - 11] != 0x0f ||
      (code[n - 10] & 0xf0) != 0x80)
    return 0;
  hole *jcc = code_hole_at(st, n - 9), *jmp = code_hole_at(st, n - 4);
  if (!jcc || !jmp || jcc->kind != CPJIT_HOLE_CONTINUE || !is_rel32_hole(jcc) ||
      (jmp->kind != CPJIT_HOLE_EXIT && jmp->kind != CPJIT_HOLE_JUMP) ||
      !is_rel32_hole(jmp))
    return 0;
  if (maybe_branched_to(st, code, n - 5))
    return 0;
  code[n - 10] ^= 1;
  jcc->kind = jmp->kind;
  jcc->symbol = jmp->symbol;
  jcc->helper = jmp->helper;
  /* Code holes come first, sorted by offset: the jmp's is the last one. */
  uint32_t k = (uint32_t)(jmp - st->holes);
  memmove(jmp, jmp + 1, (st->nholes - k - 1) * sizeof *jmp);
  st->nholes--;
  st->code_size = n - 5;
  return 1;
}

const machine machine_x86_64 = {EM_X86_64,
                                "x86-64",
                                NULL,
                                x86_64_relocs,
                                sizeof x86_64_relocs / sizeof x86_64_relocs[0],
                                tail_continue,
                                fallthrough};
