/*
 * test_debug.c -- debuggers and profilers through the library, on the toy
 * VM's stencils: trace names, the GDB JIT interface (descriptor list, the
 * in-memory ELF read back, unwinding through a trace with the unwind tables
 * it carries), the jitdump file read back record by record, the perf map,
 * and that failures of any of these never fail a compile.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unwind.h>

#include "cpjit.h"
#include "toy.h"
#include "toy_trace.h"

/* The ELF machine of this host and the CIE the library writes for it
 * (jit/gdbjit.c): data alignment, return address column, the stack
 * pointer's DWARF number and the CFA's offset from it at a function's
 * entry. */
#if defined(__aarch64__)
#define HOST_EM EM_AARCH64
#define CIE_DATA_ALIGN 0x7c /* -4 */
#define CIE_RA 30           /* x30 */
#define DWARF_SP 31
#define ENTRY_CFA 0 /* the return address is in x30 */
#define TRAMPOLINE_FRAME 160 /* d8-d15, x19-x28 and x30 */
#else
#define HOST_EM EM_X86_64
#define CIE_DATA_ALIGN 0x78 /* -8 */
#define CIE_RA 16           /* rip */
#define DWARF_SP 7
#define ENTRY_CFA 8 /* the return address is on the stack */
#define TRAMPOLINE_FRAME (8 + 5 * 8)
#endif

/* -- GDB's interface, as a debugger reads it ------------------------------ */

struct jit_code_entry {
  struct jit_code_entry *next_entry;
  struct jit_code_entry *prev_entry;
  const char *symfile_addr;
  uint64_t symfile_size;
};
struct jit_descriptor {
  uint32_t version;
  uint32_t action_flag;
  struct jit_code_entry *relevant_entry;
  struct jit_code_entry *first_entry;
};
extern struct jit_descriptor __jit_debug_descriptor;

static int gdb_entries(void) {
  int n = 0;
  const struct jit_code_entry *prev = NULL;
  for (const struct jit_code_entry *e = __jit_debug_descriptor.first_entry; e;
       e = e->next_entry) {
    assert_ptr_equal(e->prev_entry, prev);
    prev = e;
    n++;
  }
  return n;
}

/* -- Fixtures ------------------------------------------------------------- */

/* A helper with toy_helper_mix's signature that records the unwinder's view
 * of the stack when asked to (see unwinds_through_trace). */
#define MAX_FRAMES 64
static int record_frames;
static uintptr_t frames[MAX_FRAMES];
static int nframes;

static _Unwind_Reason_Code collect(struct _Unwind_Context *ctx, void *arg) {
  (void)arg;
  if (nframes == MAX_FRAMES)
    return _URC_END_OF_STACK;
  frames[nframes++] = (uintptr_t)_Unwind_GetIP(ctx);
  return _URC_NO_REASON;
}

static int64_t test_helper(toy_state *S, int64_t a, int64_t b) {
  S->helper_calls++;
  if (record_frames) {
    nframes = 0;
    _Unwind_Backtrace(collect, NULL);
  }
  return a * 3 + b;
}
static const void *const test_helpers[] = {(const void *)(uintptr_t)&test_helper};

/* Allocator that fails the allocation numbered `fail_at` (counting from 1;
 * 0: never), for the degradation test. */
static unsigned long nallocs, fail_at;
static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  if (++nallocs == fail_at)
    return NULL;
  return realloc(ptr, nsize);
}

static cpjit_jit *open_jit(uint32_t flags, const char *dir) {
  cpjit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.set = toy_stencil_set_get();
  cfg.helpers = test_helpers;
  cfg.nhelpers = 1;
  cfg.flags = flags;
  cfg.jitdump_dir = dir;
  cfg.alloc = counting_alloc;
  cpjit_jit *J = NULL;
  assert_int_equal(cpjit_open(&cfg, &J), CPJIT_OK);
  return J;
}

static toy_trace T;

/* r0 = 0; loop: r1 = call(r0, r0); acc += r1; r0++ while r0 < r2; exit. The
 * CALL stencil pushes before calling the helper, so its CFI matters. */
static void build_loop(void) {
  memset(&T, 0, sizeof T);
  toy_emit(&T, TOY_LOADK, 0, 0, 0);
  toy_emit(&T, TOY_LOADK, 2, 5, 0);
  uint32_t head = toy_emit(&T, TOY_CALL, 1, 0, 0);
  toy_emit(&T, TOY_ACCUM, 1, 0, 0);
  uint32_t l = toy_emit(&T, TOY_LOOP_LT, 0, 0, 2);
  T.u[l].target = head;
  uint32_t x = toy_emit(&T, TOY_EXIT, 0, 0, 0);
  T.u[x].exit = toy_exit(&T, 42);
}

static cpjit_trace *compile_named(cpjit_jit *J, const char *name) {
  cpjit_trace *t = NULL;
  assert_int_equal(
      cpjit_compile_named(J, T.u, T.n, T.e, T.nexits, name, &t), CPJIT_OK);
  return t;
}

static uint64_t debug_failures(cpjit_jit *J) {
  cpjit_stats st;
  cpjit_get_stats(J, &st);
  return st.debug_failures;
}

/* -- Names ---------------------------------------------------------------- */

static void trace_names_default_and_copied(void **state) {
  (void)state;
  build_loop();
  cpjit_jit *J = open_jit(0, NULL);
  cpjit_trace *a = NULL;
  assert_int_equal(cpjit_compile(J, T.u, T.n, T.e, T.nexits, &a), CPJIT_OK);
  assert_string_equal(cpjit_trace_name(a), "cpjit_trace_1");
  char name[] = "loop@7";
  cpjit_trace *b = compile_named(J, name);
  name[0] = 'X'; /* the trace keeps its own copy */
  assert_string_equal(cpjit_trace_name(b), "loop@7");
  cpjit_trace *c = compile_named(J, NULL);
  assert_string_equal(cpjit_trace_name(c), "cpjit_trace_3");
  assert_null(cpjit_trace_name(NULL));
  cpjit_close(J);
}

/* -- GDB ------------------------------------------------------------------ */

static void gdb_list_grows_and_shrinks(void **state) {
  (void)state;
  build_loop();
  int base = gdb_entries();
  cpjit_jit *off = open_jit(0, NULL);
  cpjit_trace *t0 = compile_named(off, "no-gdb");
  assert_int_equal(gdb_entries(), base); /* off by default */
  cpjit_trace_free(off, t0);
  cpjit_close(off);

  cpjit_jit *J = open_jit(CPJIT_FLAG_GDB, NULL);
  cpjit_trace *t[3];
  for (int i = 0; i < 3; i++) {
    t[i] = compile_named(J, "t");
    assert_int_equal(gdb_entries(), base + i + 1);
    assert_int_equal(__jit_debug_descriptor.action_flag, 0);
  }
  cpjit_trace_free(J, t[1]); /* from the middle of the list */
  assert_int_equal(gdb_entries(), base + 2);
  cpjit_flush(J);
  assert_int_equal(gdb_entries(), base);
  compile_named(J, "again");
  assert_int_equal(gdb_entries(), base + 1);
  assert_int_equal(debug_failures(J), 0);
  cpjit_close(J);
  assert_int_equal(gdb_entries(), base);
}

/* The image of the trace whose code starts at `code`. */
static const uint8_t *find_image(const void *code, size_t *size) {
  for (const struct jit_code_entry *e = __jit_debug_descriptor.first_entry; e;
       e = e->next_entry) {
    const Elf64_Ehdr *eh = (const void *)e->symfile_addr;
    const Elf64_Shdr *sh = (const void *)(e->symfile_addr + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++)
      if (sh[i].sh_type == SHT_NOBITS &&
          sh[i].sh_addr == (uint64_t)(uintptr_t)code) {
        *size = e->symfile_size;
        return (const uint8_t *)e->symfile_addr;
      }
  }
  return NULL;
}

static uint64_t uleb(const uint8_t **p) {
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *(*p)++;
    v |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return v;
}

/* The CFA offset (from the stack pointer) in effect at `pc` by an FDE's
 * program, or -1 when the program uses a rule this reader does not know. */
static long cfa_offset_at(const uint8_t *p, const uint8_t *end, uint64_t start,
                          uint64_t pc) {
  long off = ENTRY_CFA, saved = ENTRY_CFA;
  uint64_t loc = start;
  while (p < end) {
    uint8_t op = *p++;
    uint64_t adv = 0;
    if ((op & 0xc0) == 0x40) {
      adv = op & 0x3f;
    } else if ((op & 0xc0) == 0x80) {
      uleb(&p); /* DW_CFA_offset: a saved register, CFA unchanged */
      continue;
    } else if ((op & 0xc0) == 0xc0) {
      continue; /* DW_CFA_restore */
    } else if (op == 0x05) {
      uleb(&p); /* DW_CFA_offset_extended */
      uleb(&p);
      continue;
    } else if (op == 0x06) {
      uleb(&p); /* DW_CFA_restore_extended */
      continue;
    } else if (op == 0x02) {
      adv = *p++;
    } else if (op == 0x03) {
      adv = (uint64_t)p[0] | (uint64_t)p[1] << 8;
      p += 2;
    } else if (op == 0x0e) {
      off = (long)uleb(&p);
      continue;
    } else if (op == 0x0c) {
      if (uleb(&p) != DWARF_SP)
        return -1;
      off = (long)uleb(&p);
      continue;
    } else if (op == 0x0a) {
      saved = off;
      continue;
    } else if (op == 0x0b) {
      off = saved;
      continue;
    } else if (op == 0x00) {
      continue;
#if defined(__aarch64__)
    } else if (op == 0x2d) {
      continue; /* DW_CFA_AARCH64_negate_ra_state (pac-ret) */
#endif
    } else {
      return -1;
    }
    if (loc + adv > pc)
      return off;
    loc += adv;
  }
  return off;
}

typedef struct fde_info {
  uint64_t pc, len;
  const uint8_t *ins, *end;
} fde_info;

/* Check the .eh_frame's CIE and collect its FDEs. */
static int read_eh_frame(const uint8_t *eh, size_t size, fde_info *out,
                         int max) {
  assert_true(size >= 28);
  uint32_t cie_len = *(const uint32_t *)eh;
  assert_int_equal(*(const uint32_t *)(eh + 4), 0); /* CIE id */
  const uint8_t *p = eh + 8;
  assert_int_equal(*p++, 1); /* version */
  assert_string_equal((const char *)p, "zR");
  p += 3;
  assert_int_equal(uleb(&p), 1);  /* code alignment */
  assert_int_equal(*p++, CIE_DATA_ALIGN);
  assert_int_equal(uleb(&p), CIE_RA); /* return address column */
  assert_int_equal(uleb(&p), 1);
  assert_int_equal(*p++, 0x00); /* absolute pointers */
  int n = 0;
  size_t off = 4 + cie_len;
  while (off + 4 <= size) {
    uint32_t len = *(const uint32_t *)(eh + off);
    if (len == 0)
      break;
    assert_true(off + 4 + len <= size);
    assert_int_equal(*(const uint32_t *)(eh + off + 4), off + 4); /* -> CIE */
    assert_true(n < max);
    fde_info *f = &out[n++];
    memcpy(&f->pc, eh + off + 8, 8);
    memcpy(&f->len, eh + off + 16, 8);
    const uint8_t *q = eh + off + 24;
    uint64_t auglen = uleb(&q);
    f->ins = q + auglen;
    f->end = eh + off + 4 + len;
    off += 4 + len;
  }
  assert_int_equal(off + 4, size); /* the zero terminator ends it */
  return n;
}

static void gdb_image_is_well_formed(void **state) {
  (void)state;
  build_loop();
  cpjit_jit *J = open_jit(CPJIT_FLAG_GDB, NULL);
  cpjit_trace *t = compile_named(J, "toy_loop");
  const void *code;
  size_t code_size;
  cpjit_trace_code(t, &code, &code_size);
  uint64_t base = (uint64_t)(uintptr_t)code;
  size_t size = 0;
  const uint8_t *img = find_image(code, &size);
  assert_non_null(img);

  const Elf64_Ehdr *eh = (const void *)img;
  assert_memory_equal(eh->e_ident, ELFMAG, SELFMAG);
  assert_int_equal(eh->e_ident[EI_CLASS], ELFCLASS64);
  assert_int_equal(eh->e_ident[EI_DATA], ELFDATA2LSB);
  assert_int_equal(eh->e_type, ET_REL);
  assert_int_equal(eh->e_machine, HOST_EM);
  assert_int_equal(eh->e_shentsize, sizeof(Elf64_Shdr));
  assert_true(eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) <= size);
  const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
  assert_true(eh->e_shstrndx < eh->e_shnum);
  const char *shstr = (const char *)img + sh[eh->e_shstrndx].sh_offset;
  int text = -1, ehf = -1, sym = -1;
  for (int i = 1; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_NOBITS)
      assert_true(sh[i].sh_offset + sh[i].sh_size <= size);
    const char *nm = shstr + sh[i].sh_name;
    if (strcmp(nm, ".text") == 0)
      text = i;
    else if (strcmp(nm, ".eh_frame") == 0)
      ehf = i;
    else if (strcmp(nm, ".symtab") == 0)
      sym = i;
  }
  assert_true(text > 0 && sym > 0 && ehf > 0);
  assert_int_equal(sh[text].sh_addr, base);
  assert_int_equal(sh[text].sh_size, code_size);
  assert_true(sh[text].sh_flags & SHF_EXECINSTR);

  /* The one function symbol: the trace's name over all of its code. */
  assert_int_equal(sh[sym].sh_entsize, sizeof(Elf64_Sym));
  assert_int_equal(sh[sym].sh_size, 2 * sizeof(Elf64_Sym));
  const Elf64_Sym *s = (const Elf64_Sym *)(const void *)(img + sh[sym].sh_offset) + 1;
  const char *strtab = (const char *)img + sh[sh[sym].sh_link].sh_offset;
  assert_string_equal(strtab + s->st_name, "toy_loop");
  assert_int_equal(ELF64_ST_TYPE(s->st_info), STT_FUNC);
  assert_int_equal(ELF64_ST_BIND(s->st_info), STB_GLOBAL);
  assert_int_equal(s->st_shndx, text);
  assert_int_equal(s->st_value, 0);
  assert_int_equal(s->st_size, code_size);

  /* FDEs tile the code exactly, in order. */
  fde_info f[64];
  int n = read_eh_frame(img + sh[ehf].sh_offset, sh[ehf].sh_size, f, 64);
  uint64_t at = base;
  for (int i = 0; i < n; i++) {
    assert_int_equal(f[i].pc, at);
    assert_true(f[i].len > 0);
    at += f[i].len;
  }
  assert_int_equal(at, base + code_size);

  /* Where the unwinder needs them: each uop's entry has the CFA where the
   * trampoline's call left it (x86-64: rsp+8, the return address into the
   * trampoline on top; AArch64: sp+0, the return address in x30); inside
   * the trampoline, after its call into the uops, the host's return
   * address lies above its saved registers (x86-64: the toy trampoline
   * pushes 5; AArch64: TRAMPOLINE_FRAME). */
  for (uint32_t i = 0; i < T.n; i++) {
    uint64_t pc = base + (uint64_t)cpjit_trace_uop_offset(t, i);
    for (int k = 0; k < n; k++)
      if (pc >= f[k].pc && pc < f[k].pc + f[k].len)
        assert_int_equal(cfa_offset_at(f[k].ins, f[k].end, f[k].pc, pc),
                         ENTRY_CFA);
  }
  const cpjit_stencil *tr = toy_stencil_set_get()->trampoline;
  uint32_t call_ret = 0;
  for (uint32_t h = 0; h < tr->nholes; h++)
    if (tr->holes[h].kind == CPJIT_HOLE_CONTINUE)
      call_ret = tr->holes[h].offset + 4;
  assert_true(call_ret > 0);
  assert_int_equal(f[0].pc, base);
  assert_int_equal(cfa_offset_at(f[0].ins, f[0].end, base, base + call_ret),
                   TRAMPOLINE_FRAME);
  cpjit_close(J);
}

/* Give the image's .eh_frame to the C runtime's unwinder and walk the stack
 * from inside a helper the trace calls: it must pass through the uop, the
 * trampoline, and arrive in the function that entered the trace. */
void __register_frame(void *begin);
void __deregister_frame(void *begin);

static __attribute__((noinline)) uint64_t enter(cpjit_trace *t, toy_state *S) {
  uint64_t r = ((toy_entry_fn)cpjit_trace_entry(t))(S);
  __asm__ volatile("" ::: "memory"); /* not a tail call */
  return r;
}

static void unwinds_through_trace(void **state) {
  (void)state;
  build_loop();
  cpjit_jit *J = open_jit(CPJIT_FLAG_GDB, NULL);
  cpjit_trace *t = compile_named(J, "toy_loop");
  const void *code;
  size_t code_size;
  cpjit_trace_code(t, &code, &code_size);
  size_t size;
  const uint8_t *img = find_image(code, &size);
  assert_non_null(img);
  const Elf64_Ehdr *eh = (const void *)img;
  const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
  void *frame = NULL;
  for (int i = 1; i < eh->e_shnum; i++)
    if (sh[i].sh_type == SHT_PROGBITS && (sh[i].sh_flags & SHF_ALLOC))
      frame = (void *)(img + sh[i].sh_offset);
  assert_non_null(frame);

  __register_frame(frame);
  static toy_state S;
  memset(&S, 0, sizeof S);
  record_frames = 1;
  uint64_t r = enter(t, &S);
  record_frames = 0;
  __deregister_frame(frame);
  assert_int_equal(r, 42);
  assert_true(S.helper_calls == 5);

  uint64_t lo = (uint64_t)(uintptr_t)code, hi = lo + code_size;
  uint64_t call_uop = lo + (uint64_t)cpjit_trace_uop_offset(t, 2);
  uint64_t tramp_end = lo + (uint64_t)cpjit_trace_uop_offset(t, 0);
  int in_uop = -1, in_tramp = -1, in_enter = -1;
  for (int i = 0; i < nframes; i++) {
    uint64_t ip = frames[i];
    if (ip > call_uop && ip <= lo + (uint64_t)cpjit_trace_uop_offset(t, 3))
      in_uop = i;
    else if (ip > lo && ip <= tramp_end)
      in_tramp = i;
    else if (in_tramp >= 0 && in_enter < 0 && (ip < lo || ip >= hi) &&
             _Unwind_FindEnclosingFunction((void *)(uintptr_t)ip) ==
                 (void *)(uintptr_t)&enter)
      in_enter = i;
  }
  assert_true(in_uop >= 0);
  assert_int_equal(in_tramp, in_uop + 1);
  assert_int_equal(in_enter, in_tramp + 1);
  cpjit_close(J);
}

/* -- jitdump -------------------------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/cpjit-test-debug-XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
}

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t cap = 1 << 16, n = 0;
  uint8_t *b = malloc(cap);
  size_t k;
  while ((k = fread(b + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap)
      b = realloc(b, cap *= 2);
  }
  fclose(f);
  *len = n;
  return b;
}

static void jitdump_records_match_the_code(void **state) {
  (void)state;
  build_loop();
  make_tmpdir();
  cpjit_jit *J = open_jit(CPJIT_FLAG_JITDUMP, tmpdir);
  const char *names[2] = {"first", "second trace"};
  uint8_t *copy[2];
  uint64_t addr[2];
  size_t csize[2];
  for (int i = 0; i < 2; i++) {
    cpjit_trace *t = compile_named(J, names[i]);
    const void *code;
    cpjit_trace_code(t, &code, &csize[i]);
    addr[i] = (uint64_t)(uintptr_t)code;
    copy[i] = malloc(csize[i]);
    memcpy(copy[i], code, csize[i]);
  }
  assert_int_equal(debug_failures(J), 0);
  cpjit_close(J);

  char path[128];
  snprintf(path, sizeof path, "%s/jit-%d.dump", tmpdir, (int)getpid());
  size_t len;
  uint8_t *d = slurp(path, &len);
  assert_true(len >= 40);
  uint32_t h[6];
  memcpy(h, d, sizeof h);
  assert_int_equal(h[0], 0x4A695444); /* magic */
  assert_int_equal(h[1], 1);          /* version */
  assert_int_equal(h[2], 40);         /* header size */
  assert_int_equal(h[3], HOST_EM);
  assert_int_equal(h[5], (uint32_t)getpid());
  size_t off = h[2];
  int loads = 0, closes = 0;
  uint64_t last_ts = 0;
  while (off < len) {
    uint32_t id, total;
    uint64_t ts;
    assert_true(off + 16 <= len);
    memcpy(&id, d + off, 4);
    memcpy(&total, d + off + 4, 4);
    memcpy(&ts, d + off + 8, 8);
    assert_true(total >= 16 && off + total <= len);
    assert_true(ts >= last_ts);
    last_ts = ts;
    if (id == 0) { /* JIT_CODE_LOAD */
      assert_true(loads < 2);
      uint32_t pid, tid;
      uint64_t vma, code_addr, code_size, index;
      memcpy(&pid, d + off + 16, 4);
      memcpy(&tid, d + off + 20, 4);
      memcpy(&vma, d + off + 24, 8);
      memcpy(&code_addr, d + off + 32, 8);
      memcpy(&code_size, d + off + 40, 8);
      memcpy(&index, d + off + 48, 8);
      const char *name = (const char *)d + off + 56;
      assert_int_equal(pid, (uint32_t)getpid());
      assert_true(tid != 0);
      assert_int_equal(vma, addr[loads]);
      assert_int_equal(code_addr, addr[loads]);
      assert_int_equal(code_size, csize[loads]);
      assert_int_equal(index, (uint64_t)loads);
      assert_string_equal(name, names[loads]);
      size_t at = off + 56 + strlen(name) + 1;
      assert_int_equal(at + code_size, off + total);
      assert_memory_equal(d + at, copy[loads], code_size);
      loads++;
    } else {
      assert_int_equal(id, 3); /* JIT_CODE_CLOSE, last */
      assert_int_equal(total, 16);
      closes++;
    }
    off += total;
  }
  assert_int_equal(off, len);
  assert_int_equal(loads, 2);
  assert_int_equal(closes, 1);
  free(d);
  free(copy[0]);
  free(copy[1]);
  unlink(path);
  rmdir(tmpdir);
}

/* -- perf map ------------------------------------------------------------- */

static void perf_map_lines_and_code_runs(void **state) {
  (void)state;
  build_loop();
  char path[64];
  snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
  unlink(path);
  cpjit_jit *J = open_jit(CPJIT_FLAG_PERF_MAP, NULL);
  cpjit_trace *t = compile_named(J, "mapped trace");
  static toy_state S;
  memset(&S, 0, sizeof S);
  assert_int_equal(enter(t, &S), 42); /* the shared-anonymous views work */
  const void *code;
  size_t size;
  cpjit_trace_code(t, &code, &size);
  char want[128];
  snprintf(want, sizeof want, "%llx %zx mapped trace\n",
           (unsigned long long)(uintptr_t)code, size);
  size_t len;
  uint8_t *d = slurp(path, &len);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(d, want, len);
  free(d);
  cpjit_close(J);
  unlink(path);
}

/* -- Failures degrade, never fail a compile -------------------------------- */

static void debug_failures_do_not_fail_compiles(void **state) {
  (void)state;
  build_loop();
  /* An unwritable jitdump directory: counted at open and at each trace. */
  cpjit_jit *J = open_jit(CPJIT_FLAG_JITDUMP, "/nonexistent-cpjit-dir");
  assert_int_equal(debug_failures(J), 1);
  cpjit_trace *t = compile_named(J, "x");
  static toy_state S;
  memset(&S, 0, sizeof S);
  assert_int_equal(enter(t, &S), 42);
  assert_int_equal(debug_failures(J), 2);
  cpjit_close(J);

  /* No memory for the GDB image (the last allocation of a compile). */
  J = open_jit(CPJIT_FLAG_GDB, NULL);
  compile_named(J, "warm-up"); /* scratch is allocated once */
  unsigned long before = nallocs;
  compile_named(J, "count");
  unsigned long per_compile = nallocs - before;
  int base = gdb_entries();
  fail_at = nallocs + per_compile;
  t = compile_named(J, "no memory for gdb");
  fail_at = 0;
  assert_int_equal(gdb_entries(), base);
  assert_int_equal(debug_failures(J), 1);
  memset(&S, 0, sizeof S);
  assert_int_equal(enter(t, &S), 42);
  cpjit_trace_free(J, t); /* nothing to unregister: fine */
  assert_int_equal(gdb_entries(), base);
  cpjit_close(J);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(trace_names_default_and_copied),
      cmocka_unit_test(gdb_list_grows_and_shrinks),
      cmocka_unit_test(gdb_image_is_well_formed),
      cmocka_unit_test(unwinds_through_trace),
      cmocka_unit_test(jitdump_records_match_the_code),
      cmocka_unit_test(perf_map_lines_and_code_runs),
      cmocka_unit_test(debug_failures_do_not_fail_compiles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
