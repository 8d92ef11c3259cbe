/*
 * stencilgen/cfi.c -- call-frame information of each stencil, for debuggers.
 *
 * Stencils are compiled with -fasynchronous-unwind-tables, so clang writes
 * one .eh_frame FDE per stencil function that says, at every instruction,
 * where the return address is (how far the uop has moved rsp with pushes,
 * `sub rsp` before a helper call, ...). The JIT copies these instructions
 * into the unwind tables it gives gdb (jit/gdbjit.c), so a debugger unwinds
 * from a helper through the uop that called it, through the trampoline, to
 * the host.
 *
 * What is kept is the FDE's CFA program only (trailing DW_CFA_nop padding
 * dropped). It is meaningful after the one CIE the JIT writes itself, the
 * one clang writes for the target:
 *
 *   x86-64   code alignment 1, data alignment -8, return address column 16
 *            (rip), CFA = rsp+8, return address at CFA-8; FDE pointers
 *            sdata4 (R_X86_64_PC32);
 *   AArch64  code alignment 1, data alignment -4, return address column 30
 *            (x30, the link register), CFA = sp+0, the return address in
 *            x30 itself; FDE pointers sdata8 (R_AARCH64_PREL64, clang's
 *            choice under -mcmodel=large) or sdata4 (R_AARCH64_PREL32).
 *            Under pac-ret the programs hold DW_CFA_AARCH64_negate_ra_state
 *            (0x2d), kept as is.
 *
 * A CIE of any other shape (another augmentation, such as pac-ret's b-key
 * "zRB"), an FDE we cannot tie to a stencil, or a missing .eh_frame leaves
 * the stencil without CFI (cfi_size 0) -- never an error: it only costs
 * debuggability, and the JIT then assumes the initial rules for the whole
 * stencil.
 */
#define _POSIX_C_SOURCE 200809L

#include <elf.h>
#include <string.h>

#include "stencilgen.h"

/* The only CIE whose FDEs we keep, per machine. */
typedef struct cfi_abi {
  uint16_t e_machine;
  uint8_t data_align; /* its sleb128 byte */
  uint8_t ra;         /* return address column */
  uint8_t ninitial;
  uint8_t initial[8]; /* initial instructions, exactly */
  uint32_t rel4;      /* relocation of an sdata4 FDE pointer */
  uint32_t rel8;      /* of an sdata8 one; 0: not accepted */
} cfi_abi;

static const cfi_abi abis[] = {
    {EM_X86_64, 0x78 /* -8 */, 16, 5,
     {0x0c, 0x07, 0x08, /* DW_CFA_def_cfa: rsp + 8 */
      0x90, 0x01},      /* DW_CFA_offset: r16 (rip) at cfa - 8 */
     R_X86_64_PC32, 0},
    {EM_AARCH64, 0x7c /* -4 */, 30, 3,
     {0x0c, 0x1f, 0x00}, /* DW_CFA_def_cfa: sp + 0 */
     R_AARCH64_PREL32, R_AARCH64_PREL64},
};

/* Read an unsigned LEB128 at *p (< end); returns 0 when malformed. */
static int uleb(const uint8_t **p, const uint8_t *end, uint64_t *out) {
  uint64_t v = 0;
  for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
    uint8_t b = *(*p)++;
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return 1;
    }
  }
  return 0;
}

/* Does the CIE at `c` (its length field) of `n` bytes have the one shape
 * we accept? Also returns its FDE pointer encoding. */
static int cie_ok(const cfi_abi *a, const uint8_t *c, uint64_t n,
                  uint8_t *enc) {
  const uint8_t *p = c + 8, *end = c + 4 + n;
  if (n < 4 + 1 || rd32(c + 4) != 0 || *p++ != 1) /* id 0, version 1 */
    return 0;
  const char *aug = (const char *)p;
  size_t alen = strnlen(aug, (size_t)(end - p));
  if (p + alen >= end || strcmp(aug, "zR") != 0)
    return 0;
  p += alen + 1;
  uint64_t caf, ra, auglen;
  if (!uleb(&p, end, &caf) || caf != 1)
    return 0;
  if (p >= end || *p++ != a->data_align)
    return 0;
  if (!uleb(&p, end, &ra) || ra != a->ra || !uleb(&p, end, &auglen) ||
      auglen != 1 || p >= end)
    return 0;
  *enc = *p++;
  if ((size_t)(end - p) < a->ninitial ||
      memcmp(p, a->initial, a->ninitial) != 0)
    return 0;
  for (p += a->ninitial; p < end; p++)
    if (*p != 0) /* only DW_CFA_nop padding may follow */
      return 0;
  return 1;
}

/* The stencil whose code section the relocation (of type `type`) at `off`
 * of .eh_frame (section `ehi`) points at the start of, or NULL. */
static stencil *fde_target(gen *g, const object *o, uint32_t ehi,
                           uint64_t off, uint32_t type) {
  const section *eh = &o->secs[ehi];
  if (!eh->rela)
    return NULL;
  const section *r = &o->secs[eh->rela];
  for (uint64_t k = 0; k < r->size / sizeof(Elf64_Rela); k++) {
    const uint8_t *p = o->bytes + r->offset + k * sizeof(Elf64_Rela);
    if (rd64(p + offsetof(Elf64_Rela, r_offset)) != off)
      continue;
    uint64_t info = rd64(p + offsetof(Elf64_Rela, r_info));
    int64_t addend = (int64_t)rd64(p + offsetof(Elf64_Rela, r_addend));
    const symbol *sym = &o->syms[ELF64_R_SYM(info)]; /* checked at load */
    if (ELF64_R_TYPE(info) != type ||
        sym->value + (uint64_t)addend != 0)
      return NULL;
    for (size_t i = 0; i < g->nstencils; i++)
      if (g->stencils[i].obj == o && g->stencils[i].text == sym->shndx)
        return &g->stencils[i];
    return NULL;
  }
  return NULL;
}

static void object_cfi(gen *g, object *o) {
  const cfi_abi *a = NULL;
  for (size_t k = 0; k < sizeof abis / sizeof abis[0]; k++)
    if (abis[k].e_machine == o->mach->e_machine)
      a = &abis[k];
  if (!a)
    return;
  for (uint32_t i = 1; i < o->nsecs; i++) {
    const section *eh = &o->secs[i];
    if (strcmp(eh->name, ".eh_frame") != 0 ||
        (eh->type != SHT_PROGBITS &&
         !(a->e_machine == EM_X86_64 && eh->type == SHT_X86_64_UNWIND)))
      continue;
    const uint8_t *base = o->bytes + eh->offset;
    uint64_t size = eh->size, off = 0;
    uint64_t cie_off = UINT64_MAX;
    int cie_good = 0;
    uint8_t enc = 0;
    while (off + 4 <= size) {
      uint64_t len = rd32(base + off);
      if (len == 0 || len == 0xffffffffu || len > size - off - 4 || len < 4)
        break; /* terminator, 64-bit DWARF, or damage: stop here */
      const uint8_t *e = base + off;
      uint32_t id = rd32(e + 4);
      /* FDE pointers: pc_begin and pc_range, 4 or 8 bytes each. */
      unsigned w = (enc & 0x0f) == 0x0b   ? 4 /* sdata4 */
                   : (enc & 0x0f) == 0x0c ? 8 /* sdata8 */
                                          : 0;
      uint32_t type = w == 4 ? a->rel4 : w == 8 ? a->rel8 : 0;
      if (id == 0) {
        cie_off = off;
        cie_good = cie_ok(a, e, len, &enc);
      } else if (cie_good && off + 4 >= id && off + 4 - id == cie_off &&
                 type && len >= 4 + 2 * w + 1) {
        stencil *st = fde_target(g, o, i, off + 8, type);
        const uint8_t *p = e + 8 + 2 * w, *end = e + 4 + len;
        uint64_t range = w == 4 ? rd32(e + 8 + w) : rd64(e + 8 + w);
        uint64_t auglen;
        if (st && !st->has_cfi && range == st->code_size &&
            uleb(&p, end, &auglen) && auglen <= (uint64_t)(end - p)) {
          p += auglen;
          while (end > p && end[-1] == 0) /* DW_CFA_nop padding */
            end--;
          st->cfi = p;
          st->cfi_size = (uint32_t)(end - p);
          st->has_cfi = 1;
        }
      }
      off += 4 + len;
    }
  }
}

void build_cfi(gen *g) {
  for (size_t i = 0; i < g->nobjs; i++)
    object_cfi(g, &g->objs[i]);
}
