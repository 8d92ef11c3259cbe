/*
 * gdbjit.c -- GDB's JIT interface: every trace as an in-memory ELF object.
 *
 * The protocol (GDB manual, "JIT Compilation Interface"): the process
 * defines __jit_debug_descriptor, a doubly linked list of entries each
 * pointing at an object file image in memory, and the empty function
 * __jit_debug_register_code, on which gdb sets a breakpoint. To add or
 * remove an entry we edit the list, set action_flag and relevant_entry, and
 * call the function; gdb reads the image (or drops it) when it stops there.
 *
 * The image of one trace is a relocatable ELF64 file (as LuaJIT's gdbjit
 * writes them) with:
 *
 *   .text      SHT_NOBITS at the trace's executable address, its code size
 *              (gdb places an object's sections at their sh_addr);
 *   .eh_frame  one CIE (code alignment 1, absolute FDE pointers; the rest
 *              as the stencils' own CIE, which their CFA programs assume:
 *                x86-64   data alignment -8, return address r16 (rip),
 *                         CFA = rsp+8, RA at CFA-8;
 *                AArch64  data alignment -4, return address x30 (LR),
 *                         CFA = sp+0, RA in x30 itself)
 *              and FDEs:
 *                - the trampoline, with its stencil's CFI (where it saves
 *                  the host's callee-saved registers and the call into
 *                  uop 0);
 *                - each uop, with its stencil's CFI (a uop that moves the
 *                  stack pointer around a helper call, or saves x30 there,
 *                  says so); runs of uops without CFI share one FDE of the
 *                  initial rules, right for code that does not move it;
 *                - the exit stubs (patchable jump + stub), likewise;
 *                - the shared exit handler, when the set has one.
 *              Every uop is entered with the stack pointer where the
 *              trampoline's call left it (x86-64: `call`, the return
 *              address on the stack; AArch64: `bl`, the return address in
 *              x30 -- uops pass control on with `b`, which leaves x30 as
 *              it is, and a uop that calls a helper saves and restores it
 *              around the call). So the initial rules at a uop's entry name
 *              the trampoline as the caller, whose own FDE leads on to the
 *              host: gdb unwinds helper -> trace -> host -> main.
 *              Under pac-ret (hardened AArch64 builds) a uop signs x30
 *              before it saves it, and its CFI says so with
 *              DW_CFA_AARCH64_negate_ra_state: an unwinder strips the
 *              signature from the saved return address (libgcc's does; gdb
 *              needs the target's pauth masks for it).
 *   .symtab    one global STT_FUNC symbol, the trace's name, over .text.
 *
 * Invariants: entries are only touched under `lock`; an image is freed only
 * after gdb has been told it is gone.
 */
#include "jit_internal.h"
#include "machine.h"

#include <elf.h>

#if defined(__aarch64__)
#define J_MACHINE_ELF EM_AARCH64
#else
#define J_MACHINE_ELF EM_X86_64
#endif
#include <pthread.h>
#include <string.h>

/* -- The interface GDB looks for (names and layout fixed by GDB) --------- */

struct jit_code_entry {
  struct jit_code_entry *next_entry;
  struct jit_code_entry *prev_entry;
  const char *symfile_addr;
  uint64_t symfile_size;
};

struct jit_descriptor {
  uint32_t version;
  uint32_t action_flag; /* JIT_NOACTION, JIT_REGISTER_FN, JIT_UNREGISTER_FN */
  struct jit_code_entry *relevant_entry;
  struct jit_code_entry *first_entry;
};

enum { JIT_NOACTION = 0, JIT_REGISTER_FN, JIT_UNREGISTER_FN };

/* Weak: a process that also links another JIT with this interface gets one
 * descriptor, shared (the list is the protocol; each JIT edits its own
 * entries). */
void __jit_debug_register_code(void);
extern struct jit_descriptor __jit_debug_descriptor;

/* Visible from a shared libcpjit too: gdb looks these names up. */
__attribute__((weak, noinline, used, visibility("default"))) void
__jit_debug_register_code(void) {
  __asm__ volatile("" ::: "memory");
}
__attribute__((weak, visibility("default"))) struct jit_descriptor
    __jit_debug_descriptor = {
    1, JIT_NOACTION, NULL, NULL};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* One registered trace: the list entry, then the ELF image. */
typedef struct gdbjit_entry {
  struct jit_code_entry e;
  size_t bytes; /* of the whole allocation */
} gdbjit_entry;

/* -- Writing the image ---------------------------------------------------- */

typedef struct buf {
  uint8_t *p;
  size_t n, cap;
} buf;

static void put(buf *b, const void *src, size_t len) {
  if (len && b->n + len <= b->cap)
    memcpy(b->p + b->n, src, len);
  b->n += len; /* the size pass runs with cap 0 and only counts */
}
static void put8(buf *b, uint8_t v) { put(b, &v, 1); }
static void put32(buf *b, uint32_t v) { put(b, &v, 4); }
static void put64(buf *b, uint64_t v) { put(b, &v, 8); }
static void set32(buf *b, size_t at, uint32_t v) {
  if (at + 4 <= b->cap)
    memcpy(b->p + at, &v, 4);
}
static void pad_to(buf *b, size_t align, uint8_t fill) {
  while (b->n % align)
    put8(b, fill);
}

#define DW_CFA_nop 0x00
#define DW_CFA_advance_loc1 0x02
#define DW_CFA_advance_loc2 0x03
#define DW_CFA_advance_loc4 0x04

static void cie(buf *b) {
#if defined(__aarch64__)
  enum { DATA_ALIGN = 0x7c /* sleb128 -4 */, RA = 30 /* x30 */ };
  static const uint8_t init[] = {0x0c, 0x1f, 0x00}; /* CFA = sp + 0 */
#else
  enum { DATA_ALIGN = 0x78 /* sleb128 -8 */, RA = 16 /* rip */ };
  static const uint8_t init[] = {0x0c, 0x07, 0x08,  /* CFA = rsp + 8 */
                                 0x90, 0x01};       /* rip at CFA - 8 */
#endif
  size_t start = b->n;
  put32(b, 0); /* length, set below */
  put32(b, 0); /* CIE id */
  put8(b, 1);  /* version */
  put(b, "zR", 3);
  put8(b, 1); /* code alignment factor */
  put8(b, DATA_ALIGN);
  put8(b, RA);   /* return address column */
  put8(b, 1);    /* augmentation data length */
  put8(b, 0x00); /* FDE pointers: DW_EH_PE_absptr */
  put(b, init, sizeof init);
  pad_to(b, 8, DW_CFA_nop);
  set32(b, start, (uint32_t)(b->n - start - 4));
}

/* An FDE for [pc, pc+len) whose CFA program is `cfi`, preceded by an
 * advance of `skip` bytes (code before the stencil: an exit's jump). */
static void fde(buf *b, size_t cie_at, uint64_t pc, uint64_t len,
                uint32_t skip, const uint8_t *cfi, uint32_t cfi_size) {
  if (len == 0)
    return;
  size_t start = b->n;
  put32(b, 0);                               /* length, set below */
  put32(b, (uint32_t)(start + 4 - cie_at)); /* back to the CIE */
  put64(b, pc);
  put64(b, len);
  put8(b, 0); /* augmentation data length */
  if (skip && cfi_size) {
    put8(b, DW_CFA_advance_loc1);
    put8(b, (uint8_t)skip);
  }
  put(b, cfi, cfi_size);
  pad_to(b, 8, DW_CFA_nop);
  set32(b, start, (uint32_t)(b->n - start - 4));
}

static void eh_frame(buf *b, cpjit_jit *J, const cpjit_trace *t,
                     const cpjit_uop *uops) {
  const cpjit_stencil_set *set = J->set;
  uint64_t base = (uint64_t)(uintptr_t)t->block.rx;
  size_t c = b->n;
  cie(b);
  const cpjit_stencil *tr = set->trampoline;
  fde(b, c, base, t->uop_off[0], 0, tr->cfi, tr->cfi_size);
  /* Uops: one FDE per uop with CFI, one per run of uops without. */
  uint32_t run = 0; /* start of the current run without CFI */
  for (uint32_t i = 0; i < t->nuops; i++) {
    const cpjit_stencil *s = &set->uops[uops[i].op];
    if (!s->cfi_size)
      continue;
    fde(b, c, base + t->uop_off[run], t->uop_off[i] - t->uop_off[run], 0, NULL, 0);
    fde(b, c, base + t->uop_off[i], t->uop_off[i + 1] - t->uop_off[i], 0, s->cfi,
        s->cfi_size);
    run = i + 1;
  }
  fde(b, c, base + t->uop_off[run], t->uop_off[t->nuops] - t->uop_off[run], 0,
      NULL, 0);
  const cpjit_stencil *st = set->exit_stub;
  /* The shared exit handler, when the set has one, ends the code. */
  const cpjit_stencil *hd = t->nexits ? set->exit_handler : NULL;
  size_t stubs_end = t->code_size - (hd ? hd->code_size : 0);
  if (t->nexits && st->cfi_size) {
    for (uint32_t e = 0; e < t->nexits; e++)
      fde(b, c, base + t->stub_off[e], J->link_head + st->code_size,
          J->link_head, st->cfi, st->cfi_size);
  } else if (t->nexits) {
    fde(b, c, base + t->stub_off[0], stubs_end - t->stub_off[0], 0, NULL, 0);
  }
  if (hd)
    fde(b, c, base + stubs_end, hd->code_size, 0, hd->cfi, hd->cfi_size);
  put32(b, 0); /* terminator */
}

enum { SEC_NULL, SEC_TEXT, SEC_EH, SEC_SHSTR, SEC_SYM, SEC_STR, NSEC };
static const char shstr[] = "\0.text\0.eh_frame\0.shstrtab\0.symtab\0.strtab";
static const uint32_t shname[NSEC] = {0, 1, 7, 17, 27, 35};

/* Write the whole image into b (b->cap 0: only measure). `self` is the
 * address the image will live at (for .eh_frame's sh_addr). */
static void image(buf *b, cpjit_jit *J, const cpjit_trace *t,
                  const cpjit_uop *uops, uint64_t self) {
  Elf64_Ehdr eh;
  Elf64_Shdr sh[NSEC];
  memset(&eh, 0, sizeof eh);
  memset(sh, 0, sizeof sh);
  size_t at = b->n;
  put(b, &eh, sizeof eh); /* written again below */
  size_t shoff = b->n;
  put(b, sh, sizeof sh);

  size_t off_shstr = b->n;
  put(b, shstr, sizeof shstr);
  pad_to(b, 8, 0);
  size_t off_eh = b->n;
  eh_frame(b, J, t, uops);
  size_t len_eh = b->n - off_eh;
  pad_to(b, 8, 0);
  size_t off_str = b->n;
  put8(b, 0);
  const char *name = cpjit_trace_name(t);
  put(b, name, strlen(name) + 1);
  size_t len_str = b->n - off_str;
  pad_to(b, 8, 0);
  size_t off_sym = b->n;
  Elf64_Sym sym[2];
  memset(sym, 0, sizeof sym);
  sym[1].st_name = 1;
  sym[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
  sym[1].st_shndx = SEC_TEXT;
  sym[1].st_value = 0; /* relocatable file: an offset into .text */
  sym[1].st_size = t->code_size;
  put(b, sym, sizeof sym);

  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
  eh.e_type = ET_REL;
  eh.e_machine = (uint16_t)J_MACHINE_ELF;
  eh.e_version = EV_CURRENT;
  eh.e_shoff = shoff - at;
  eh.e_ehsize = sizeof eh;
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = NSEC;
  eh.e_shstrndx = SEC_SHSTR;

  for (int i = 0; i < NSEC; i++)
    sh[i].sh_name = shname[i];
  sh[SEC_TEXT].sh_type = SHT_NOBITS;
  sh[SEC_TEXT].sh_flags = SHF_ALLOC | SHF_EXECINSTR;
  sh[SEC_TEXT].sh_addr = (uint64_t)(uintptr_t)t->block.rx;
  sh[SEC_TEXT].sh_size = t->code_size;
  sh[SEC_TEXT].sh_addralign = 16;
  sh[SEC_EH].sh_type = SHT_PROGBITS;
  sh[SEC_EH].sh_flags = SHF_ALLOC;
  sh[SEC_EH].sh_addr = self + (off_eh - at);
  sh[SEC_EH].sh_offset = off_eh - at;
  sh[SEC_EH].sh_size = len_eh;
  sh[SEC_EH].sh_addralign = 8;
  sh[SEC_SHSTR].sh_type = SHT_STRTAB;
  sh[SEC_SHSTR].sh_offset = off_shstr - at;
  sh[SEC_SHSTR].sh_size = sizeof shstr;
  sh[SEC_SHSTR].sh_addralign = 1;
  sh[SEC_SYM].sh_type = SHT_SYMTAB;
  sh[SEC_SYM].sh_offset = off_sym - at;
  sh[SEC_SYM].sh_size = sizeof sym;
  sh[SEC_SYM].sh_link = SEC_STR;
  sh[SEC_SYM].sh_info = 1; /* first global symbol */
  sh[SEC_SYM].sh_addralign = 8;
  sh[SEC_SYM].sh_entsize = sizeof(Elf64_Sym);
  sh[SEC_STR].sh_type = SHT_STRTAB;
  sh[SEC_STR].sh_offset = off_str - at;
  sh[SEC_STR].sh_size = len_str;
  sh[SEC_STR].sh_addralign = 1;
  if (b->cap) {
    memcpy(b->p + at, &eh, sizeof eh);
    memcpy(b->p + shoff, sh, sizeof sh);
  }
}

/* -- Registering ---------------------------------------------------------- */

void cpjit_gdbjit_add(cpjit_jit *J, cpjit_trace *t, const cpjit_uop *uops) {
  buf b = {NULL, 0, 0};
  image(&b, J, t, uops, 0); /* measure */
  size_t bytes = sizeof(gdbjit_entry) + b.n;
  gdbjit_entry *g = cpjit_mem_alloc(J, bytes);
  if (!g) {
    J->stats.debug_failures++;
    return;
  }
  memset(g, 0, sizeof *g);
  g->bytes = bytes;
  uint8_t *img = (uint8_t *)(g + 1);
  size_t n = b.n;
  b.p = img;
  b.n = 0;
  b.cap = n;
  image(&b, J, t, uops, (uint64_t)(uintptr_t)img);
  g->e.symfile_addr = (const char *)img;
  g->e.symfile_size = n;

  pthread_mutex_lock(&lock);
  struct jit_descriptor *d = &__jit_debug_descriptor;
  g->e.next_entry = d->first_entry;
  if (d->first_entry)
    d->first_entry->prev_entry = &g->e;
  d->first_entry = &g->e;
  d->relevant_entry = &g->e;
  d->action_flag = JIT_REGISTER_FN;
  __jit_debug_register_code();
  d->action_flag = JIT_NOACTION;
  pthread_mutex_unlock(&lock);
  t->gdb = g;
}

void cpjit_gdbjit_remove(cpjit_jit *J, cpjit_trace *t) {
  gdbjit_entry *g = t->gdb;
  if (!g)
    return;
  pthread_mutex_lock(&lock);
  struct jit_descriptor *d = &__jit_debug_descriptor;
  if (g->e.prev_entry)
    g->e.prev_entry->next_entry = g->e.next_entry;
  else
    d->first_entry = g->e.next_entry;
  if (g->e.next_entry)
    g->e.next_entry->prev_entry = g->e.prev_entry;
  d->relevant_entry = &g->e;
  d->action_flag = JIT_UNREGISTER_FN;
  __jit_debug_register_code();
  d->action_flag = JIT_NOACTION;
  d->relevant_entry = NULL;
  pthread_mutex_unlock(&lock);
  t->gdb = NULL;
  cpjit_mem_free(J, g, g->bytes);
}
