/*
 * stencilgen/machine_x86_64.c -- the x86-64 machine table.
 *
 * Maps the ELF relocation types clang-19 emits for stencils onto
 * cpjit_reloc (the JIT has one patch function per kind), names the other
 * known types so an error can say which one it met, and recognises the
 * final `jmp rel32` to CONTINUE that the JIT may drop when the next uop
 * follows directly. Guards get their hot path straightened (see
 * fallthrough and widen_guard below): a passing guard then runs no taken
 * branch and no extra jump.
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

/* A direct branch candidate at byte p: its length and target, or 0. Any
 * offset is tried (see maybe_branched_to); relocated displacements are not
 * internal branches. */
static uint32_t branch_at(const stencil *st, const uint8_t *code, uint32_t p,
                          int64_t *target) {
  uint32_t n = st->code_size;
  uint8_t b = code[p];
  if (((b >= 0x70 && b <= 0x7f) || b == 0xeb || (b >= 0xe0 && b <= 0xe3)) &&
      p + 2 <= n) {
    *target = (int64_t)p + 2 + (int8_t)code[p + 1];
    return 2;
  }
  if ((b == 0xe9 || b == 0xe8) && p + 5 <= n && !code_hole_at(st, p + 1)) {
    *target = (int64_t)p + 5 + (int32_t)rd32(code + p + 1);
    return 5;
  }
  if (b == 0x0f && p + 6 <= n && (code[p + 1] & 0xf0) == 0x80 &&
      !code_hole_at(st, p + 2)) {
    *target = (int64_t)p + 6 + (int32_t)rd32(code + p + 2);
    return 6;
  }
  return 0;
}

/* The second guard shape, clang's for a guard with work on the hot path:
 *
 *   p:    jcc rel8 .L          ; 7X d8, the only branch to .L
 *         ...                  ; the hot path
 *   n-10: jmp CONTINUE         ; e9, hole CONTINUE
 *   n-5:  .L: jmp EXIT         ; e9, hole EXIT or JUMP
 *
 * becomes `jcc rel32 EXIT` (0f 8X, 4 bytes longer) and the code ends at the
 * jmp to CONTINUE, which the JIT then drops. Growing the jcc moves all code
 * after it by 4: done only when no candidate branch (every offset scanned,
 * as above) crosses the jcc, no unrelocated rip-relative operand could
 * point into the code, no hole addresses the code, and the stencil has no
 * call-frame program whose offsets would move. Returns the new code (the
 * caller frees the old copy), or NULL with nothing changed. */
static uint8_t *widen_guard(stencil *st, const uint8_t *code) {
  uint32_t n = st->code_size;
  if (n < 12 || code[n - 5] != 0xe9 || code[n - 10] != 0xe9 || st->cfi_size)
    return NULL;
  hole *cont = code_hole_at(st, n - 9), *jmp = code_hole_at(st, n - 4);
  if (!cont || !jmp || cont->kind != CPJIT_HOLE_CONTINUE ||
      !is_rel32_hole(cont) ||
      (jmp->kind != CPJIT_HOLE_EXIT && jmp->kind != CPJIT_HOLE_JUMP) ||
      !is_rel32_hole(jmp))
    return NULL;
  for (uint32_t i = 0; i < st->nholes; i++)
    if (st->holes[i].kind == CPJIT_HOLE_CODE)
      return NULL;
  /* The one branch to .L: a rel8 jcc. */
  int64_t t;
  uint32_t p = UINT32_MAX;
  for (uint32_t s = 0; s < n - 5; s++) {
    uint32_t len = branch_at(st, code, s, &t);
    if (len && t == (int64_t)(n - 5)) {
      if (p != UINT32_MAX || len != 2 || code[s] < 0x70 || code[s] > 0x7f)
        return NULL;
      p = s;
    }
  }
  if (p == UINT32_MAX)
    return NULL;
  uint32_t q = p + 2; /* code from q on moves by 4 */
  for (uint32_t s = 0; s < n; s++) {
    if (s == p || s == p + 1)
      continue;
    uint32_t len = branch_at(st, code, s, &t);
    if (len && (t >= (int64_t)(n - 5) || t < 0 || (s < q) != (t < q)))
      return NULL;
    /* ModRM mod=00 rm=101: rip-relative; unrelocated and small, it could
     * address the code itself. */
    if ((code[s] & 0xc7) == 0x05 && s + 5 <= n && !code_hole_at(st, s + 1)) {
      int32_t d = (int32_t)rd32(code + s + 1);
      if (d > -(int64_t)n - 16 && d < (int64_t)n + 16)
        return NULL;
    }
  }
  /* Rebuild: [0,p) jcc-rel32 [q, n-5). */
  uint32_t nn = n - 5 + 4;
  uint8_t *out = xcalloc(nn, 1);
  memcpy(out, code, p);
  out[p] = 0x0f;
  out[p + 1] = (uint8_t)(0x80 | (code[p] & 0x0f));
  memcpy(out + p + 6, code + q, n - 5 - q);
  jmp->offset = p + 2;
  for (uint32_t i = 0; i < st->nholes; i++)
    if (!st->holes[i].in_data && &st->holes[i] != jmp &&
        st->holes[i].offset >= q)
      st->holes[i].offset += 4;
  /* Keep the code holes sorted: the jcc's moves from last to its place. */
  hole h = *jmp;
  uint32_t k = (uint32_t)(jmp - st->holes), at = 0;
  memmove(jmp, jmp + 1, (st->nholes - k - 1) * sizeof h);
  while (at < st->nholes - 1 && !st->holes[at].in_data &&
         st->holes[at].offset < h.offset)
    at++;
  memmove(st->holes + at + 1, st->holes + at,
          (st->nholes - 1 - at) * sizeof h);
  st->holes[at] = h;
  st->code_size = nn;
  return out;
}

const machine machine_x86_64 = {EM_X86_64,
                                "x86-64",
                                NULL,
                                x86_64_relocs,
                                sizeof x86_64_relocs / sizeof x86_64_relocs[0],
                                tail_continue,
                                fallthrough,
                                widen_guard};
