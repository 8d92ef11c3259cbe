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
#include <stdlib.h>
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

/* -- Instruction lengths ---------------------------------------------------- *
 * widen_guard moves code, so it must know every branch that could cross the
 * moved part. Scanning every byte offset for branch opcodes over-approximates
 * and rejects common stencils: `cmpb $0x13, -0x8(%rax,%r10)` (42 80 7c ...)
 * holds 0x7c, a `jl rel8`, in its ModRM byte -- every array load. So first
 * try to decode the code into instructions: the subset clang emits for
 * stencils (general-purpose and SSE2 instructions, legacy and REX prefixes).
 * Anything else (VEX, x87, unknown opcodes) fails the decode, and the byte
 * scan decides as before. */

/* Length of the ModRM operand (ModRM, SIB, displacement) at p, 0 if the
 * code ends first. *riprel: the displacement is rip-relative (its offset
 * from p in *dispoff). */
static uint32_t modrm_len(const uint8_t *code, uint32_t p, uint32_t n,
                          int *riprel, uint32_t *dispoff) {
  if (p >= n)
    return 0;
  uint8_t m = code[p];
  uint32_t mod = m >> 6, rm = m & 7, len = 1;
  *riprel = 0;
  if (mod == 3)
    return 1;
  if (rm == 4) {
    if (p + 1 >= n)
      return 0;
    uint8_t sib = code[p + 1];
    len = 2;
    if (mod == 0 && (sib & 7) == 5)
      len += 4;
  } else if (mod == 0 && rm == 5) {
    *riprel = 1;
    *dispoff = 1;
    len += 4;
  }
  if (mod == 1)
    len += 1;
  else if (mod == 2)
    len += 4;
  return p + len <= n ? len : 0;
}

/* Length of the instruction at p, 0 if it is not one this decoder knows.
 * *rip: offset of a rip-relative displacement in it (0: none). */
static uint32_t insn_len(const uint8_t *code, uint32_t p, uint32_t n,
                         uint32_t *rip) {
  uint32_t s = p;
  int opsize16 = 0, rexw = 0;
  *rip = 0;
  for (; p < n; p++) { /* legacy prefixes */
    uint8_t b = code[p];
    if (b == 0x66)
      opsize16 = 1;
    else if (!(b == 0xf2 || b == 0xf3 || b == 0xf0 || b == 0x2e ||
               b == 0x3e || b == 0x26 || b == 0x36 || b == 0x64 || b == 0x65))
      break;
  }
  if (p < n && (code[p] & 0xf0) == 0x40) { /* REX */
    rexw = (code[p] & 8) != 0;
    p++;
  }
  if (p >= n)
    return 0;
  uint8_t op = code[p++];
  int modrm = 0;
  uint32_t imm = 0;
  uint32_t imm32 = opsize16 ? 2 : 4;
  if (op == 0x0f) {
    if (p >= n)
      return 0;
    uint8_t op2 = code[p++];
    if (op2 == 0x38) {
      if (p >= n)
        return 0;
      p++;
      modrm = 1;
    } else if (op2 == 0x3a) {
      if (p >= n)
        return 0;
      p++;
      modrm = 1;
      imm = 1;
    } else if (op2 >= 0x80 && op2 <= 0x8f) {
      imm = 4; /* jcc rel32 */
    } else if (op2 == 0x05 || op2 == 0x0b || op2 == 0x31 || op2 == 0xa2 ||
               (op2 >= 0xc8 && op2 <= 0xcf)) {
      /* syscall, ud2, rdtsc, cpuid, bswap: no operand bytes */
    } else if ((op2 >= 0x70 && op2 <= 0x73) || op2 == 0xa4 || op2 == 0xac ||
               op2 == 0xba || op2 == 0xc2 || op2 == 0xc4 || op2 == 0xc5 ||
               op2 == 0xc6) {
      modrm = 1;
      imm = 1;
    } else if ((op2 >= 0x10 && op2 <= 0x1f) || (op2 >= 0x28 && op2 <= 0x2f) ||
               (op2 >= 0x40 && op2 <= 0x6f) || (op2 >= 0x74 && op2 <= 0x76) ||
               op2 == 0x7e || op2 == 0x7f || (op2 >= 0x90 && op2 <= 0x9f) ||
               op2 == 0xa3 || op2 == 0xa5 || op2 == 0xab || op2 == 0xad ||
               op2 == 0xaf || op2 == 0xb0 || op2 == 0xb1 || op2 == 0xb3 ||
               (op2 >= 0xb6 && op2 <= 0xb8) || (op2 >= 0xbb && op2 <= 0xbf) ||
               op2 == 0xc0 || op2 == 0xc1 || (op2 >= 0xd1 && op2 <= 0xfe)) {
      modrm = 1;
    } else {
      return 0;
    }
  } else if (op < 0x40) {
    uint8_t lo = op & 7;
    if (lo <= 3)
      modrm = 1;
    else if (lo == 4)
      imm = 1;
    else if (lo == 5)
      imm = imm32;
    else
      return 0; /* prefixes handled above; the rest is invalid in 64-bit */
  } else if (op >= 0x50 && op <= 0x5f) {
  } else if (op == 0x63) {
    modrm = 1;
  } else if (op == 0x68) {
    imm = imm32;
  } else if (op == 0x69) {
    modrm = 1;
    imm = imm32;
  } else if (op == 0x6a) {
    imm = 1;
  } else if (op == 0x6b) {
    modrm = 1;
    imm = 1;
  } else if (op >= 0x70 && op <= 0x7f) {
    imm = 1; /* jcc rel8 */
  } else if (op == 0x80 || op == 0x83) {
    modrm = 1;
    imm = 1;
  } else if (op == 0x81) {
    modrm = 1;
    imm = imm32;
  } else if ((op >= 0x84 && op <= 0x8f)) {
    modrm = 1;
  } else if ((op >= 0x90 && op <= 0x99) || op == 0xc3 || op == 0xc9 ||
             op == 0xcc) {
  } else if (op == 0xa8 || (op >= 0xb0 && op <= 0xb7) || op == 0xeb) {
    imm = 1;
  } else if (op == 0xa9) {
    imm = imm32;
  } else if (op >= 0xb8 && op <= 0xbf) {
    imm = rexw ? 8 : imm32;
  } else if (op == 0xc0 || op == 0xc1 || op == 0xc6) {
    modrm = 1;
    imm = 1;
  } else if (op == 0xc2) {
    imm = 2;
  } else if (op == 0xc7) {
    modrm = 1;
    imm = imm32;
  } else if (op >= 0xd0 && op <= 0xd3) {
    modrm = 1;
  } else if (op == 0xe8 || op == 0xe9) {
    imm = 4;
  } else if (op == 0xf6 || op == 0xf7) {
    if (p >= n)
      return 0;
    modrm = 1;
    if (((code[p] >> 3) & 7) <= 1) /* test r/m, imm */
      imm = op == 0xf6 ? 1 : imm32;
  } else if (op == 0xfe || op == 0xff) {
    modrm = 1;
  } else {
    return 0;
  }
  if (modrm) {
    int riprel;
    uint32_t dispoff = 0;
    uint32_t ml = modrm_len(code, p, n, &riprel, &dispoff);
    if (!ml)
      return 0;
    if (riprel)
      *rip = p + dispoff - s;
    p += ml;
  }
  p += imm;
  return p <= n ? p - s : 0;
}

/* Mark the instruction starts of the code in starts[] (n + 1 entries, the
 * end included). Returns 0, with nothing known, unless the whole code
 * decodes. */
static int decode_starts(const stencil *st, const uint8_t *code,
                         uint8_t *starts) {
  uint32_t n = st->code_size;
  memset(starts, 0, n + 1);
  for (uint32_t p = 0; p < n;) {
    uint32_t rip;
    uint32_t len = insn_len(code, p, n, &rip);
    if (!len)
      return 0;
    starts[p] = 1;
    p += len;
  }
  starts[n] = 1;
  return 1;
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
static uint8_t *widen_at(stencil *st, const uint8_t *code,
                         const uint8_t *starts);

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
  /* Instruction starts when the code decodes (then only they are
   * checked), else every offset is a candidate. */
  uint8_t *starts = xcalloc(n + 1, 1);
  int exact = decode_starts(st, code, starts);
  uint8_t *out = widen_at(st, code, exact ? starts : NULL);
  free(starts);
  return out;
}

static uint8_t *widen_at(stencil *st, const uint8_t *code,
                         const uint8_t *starts) {
  uint32_t n = st->code_size;
  hole *jmp = code_hole_at(st, n - 4);
  /* The one branch to .L: a rel8 jcc. */
  int64_t t;
  uint32_t p = UINT32_MAX;
  for (uint32_t s = 0; s < n - 5; s++) {
    if (starts && !starts[s])
      continue;
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
    if (s == p || s == p + 1 || (starts && !starts[s]))
      continue;
    uint32_t len = branch_at(st, code, s, &t);
    if (len && (t >= (int64_t)(n - 5) || t < 0 || (s < q) != (t < q)))
      return NULL;
    /* ModRM mod=00 rm=101: rip-relative; unrelocated and small, it could
     * address the code itself. Decoded: the instruction's own
     * displacement; else any byte that could be such a ModRM. */
    uint32_t d_at = 0;
    if (starts) {
      uint32_t rip;
      if (insn_len(code, s, n, &rip) && rip)
        d_at = s + rip;
    } else if ((code[s] & 0xc7) == 0x05) {
      d_at = s + 1;
    }
    if (d_at && d_at + 4 <= n && !code_hole_at(st, d_at)) {
      int32_t d = (int32_t)rd32(code + d_at);
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
