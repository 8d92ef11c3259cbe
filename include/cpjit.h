/*
 * cpjit.h -- the public API of cpjit, a copy-and-patch JIT compiler library.
 *
 * This header is the manual. Read it top to bottom once.
 *
 * The model
 * ---------
 * A host VM writes each of its micro-operations (uops) once, as a small C
 * function (see cpjit_stencil.h). At build time clang-19 compiles those
 * functions into relocatable machine code and tools/stencilgen turns the
 * object files into a generated header that defines one `cpjit_stencil_set`:
 * code bytes, read-only data bytes and the *holes* of every uop. At run time
 * the host hands cpjit a trace -- an array of `cpjit_uop` plus a table of
 * `cpjit_exit` -- and cpjit copies the stencils one after the other into
 * executable memory and patches the holes. No compiler runs at run time.
 *
 * Layout of one compiled trace (all inside one code arena, traces packed):
 *
 *     [trampoline][uop 0]...[uop n-1][exit stub 0]...[exit stub k-1][handler][data]
 *
 *   - The trampoline is an ordinary C-ABI function (the host's
 *     `cpjit_trampoline` stencil). `cpjit_trace_entry()` returns its address;
 *     the host casts it to its own function type and calls it.
 *   - uops run with the host's `preserve_none` calling convention and chain to
 *     each other with tail calls; a tail jump to the next uop is dropped when
 *     the next uop follows directly ("fall-through elision").
 *   - Each exit has a cold stub placed after all hot code: a patchable jump
 *     (initially to the instruction after it) followed by the host's
 *     `cpjit_exit_stub` stencil patched with the exit's operands. The stub
 *     returns to the trampoline, which returns to the host. cpjit_link_exit()
 *     retargets the patchable jump straight into another trace.
 *   - Exits: two designs, chosen by the stencil set. Without an exit handler
 *     every stub is the host's whole exit code (e.g. a register dump), one
 *     copy per exit. With one (`cpjit_exit_handler`, CPJIT_EXIT_HANDLER in
 *     cpjit_stencil.h) the stub only loads its exit's value (typically
 *     OPERAND0) and jumps to [handler], one copy per trace after the stubs,
 *     which does the rest. Such a stub (when at least a link jump long) has
 *     no jump of its own in front: linking writes the jump over its first
 *     bytes and unlinking puts them back. Per exit that is a few
 *     instructions (x86-64: 15 bytes with a 64-bit value, AArch64: 20).
 *   - [data] holds each uop's private copy of its read-only data and the
 *     trace's GOT slots (for GOTPCREL relocations).
 *
 * Errors are values. Every fallible call returns a `cpjit_status`; on failure
 * nothing is left half-made and the JIT instance stays usable. The library
 * never aborts on bad input.
 *
 * Threads: a cpjit_jit is not thread-safe; use one per thread or lock around
 * it. Compiles too write to the instance (e.g. the records of uops met for
 * the first time), so two threads may not compile on one cpjit_jit at once.
 */
#ifndef CPJIT_H
#define CPJIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* -- Version and stability ------------------------------------------------ *
 *
 * cpjit follows semantic versioning. Before 1.0, a minor release (0.x ->
 * 0.y) may change the API and the ABI; a patch release (0.x.y -> 0.x.z)
 * changes neither. From 1.0 on, only a major release may break either. The
 * shared library's SONAME carries what must match: libcpjit.so.0.MINOR
 * before 1.0, libcpjit.so.MAJOR after.
 *
 * Generated stencil headers (tools/stencilgen) carry CPJIT_ABI_VERSION, the
 * version of the data layout they share with the library; it changes only
 * when that layout does, and cpjit_open() refuses a set made for another
 * (CPJIT_ERR_BAD_SET): regenerate the header with the matching stencilgen.
 */
#define CPJIT_VERSION_MAJOR 0
#define CPJIT_VERSION_MINOR 2
#define CPJIT_VERSION_PATCH 0
#define CPJIT_VERSION_STRING "0.2.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons. */
#define CPJIT_VERSION_NUM                                                      \
  (CPJIT_VERSION_MAJOR * 10000 + CPJIT_VERSION_MINOR * 100 + CPJIT_VERSION_PATCH)

/* Version of the data layout shared with generated stencil headers. */
#define CPJIT_ABI_VERSION 4

/* Export marker of the public functions (a shared libcpjit exports these
 * only). A static build needs nothing; CPJIT_BUILDING is set by cpjit's own
 * build. */
#if defined(CPJIT_BUILDING) && defined(__GNUC__)
#define CPJIT_API __attribute__((visibility("default")))
#else
#define CPJIT_API
#endif

/* -- Status codes --------------------------------------------------------- */

/* One list, everything derived from it (enum and messages). */
#define CPJIT_STATUS_LIST(X)                                                   \
  X(OK, "success")                                                             \
  X(ERR_ARG, "invalid argument (NULL pointer or zero count)")                  \
  X(ERR_NOMEM, "out of memory (host allocator failed)")                        \
  X(ERR_MMAP, "cannot map executable memory")                                  \
  X(ERR_PROTECT, "cannot change memory protection")                            \
  X(ERR_BUDGET, "code budget exhausted")                                       \
  X(ERR_TOO_BIG, "trace larger than the whole code budget")                    \
  X(ERR_BAD_SET, "stencil set is malformed or of another ABI version")         \
  X(ERR_BAD_MACHINE, "stencil set built for another machine")                  \
  X(ERR_BAD_HELPER, "helper table does not match the stencil set")             \
  X(ERR_BAD_OP, "uop has an unknown op")                                       \
  X(ERR_BAD_TARGET, "uop jump target outside the trace")                       \
  X(ERR_BAD_EXIT, "uop exit index has no exit")                                \
  X(ERR_RANGE, "patched value out of range for its relocation")                \
  X(ERR_BAD_RELOC, "relocation kind not supported on this machine")            \
  X(ERR_LINK, "exit cannot be linked (index, trace or JIT mismatch)")

typedef enum cpjit_status {
#define CPJIT__ENUM(name, msg) CPJIT_##name,
  CPJIT_STATUS_LIST(CPJIT__ENUM)
#undef CPJIT__ENUM
  CPJIT_STATUS__COUNT
} cpjit_status;

/* The version of the library linked in (CPJIT_VERSION_NUM of its build),
 * to compare with the CPJIT_VERSION_NUM a host was compiled against. */
CPJIT_API unsigned cpjit_version(void);

/* A static English message for a status ("unknown status" if out of range). */
CPJIT_API const char *cpjit_status_str(cpjit_status s);

/* -- Stencil sets (written by tools/stencilgen, read by the JIT) ---------- */

/* ELF e_machine values of the supported targets. */
#define CPJIT_MACHINE_X86_64 62
#define CPJIT_MACHINE_AARCH64 183

/* Relocation kinds the patcher understands. The generator maps each machine's
 * ELF relocation types onto these; the JIT has one patch function each. */
#define CPJIT_RELOC_LIST(X)                                                    \
  X(X86_64_64)            /* 64-bit absolute S+A */                            \
  X(X86_64_32)            /* 32-bit absolute, zero-extended */                 \
  X(X86_64_32S)           /* 32-bit absolute, sign-extended */                 \
  X(X86_64_PC32)          /* 32-bit PC-relative S+A-P */                       \
  X(X86_64_PLT32)         /* as PC32 (no PLT: targets are reached directly) */ \
  X(X86_64_GOTPCREL)      /* PC-relative address of a GOT slot holding S */    \
  X(X86_64_GOTPCRELX)     /* same, relaxable */                                \
  X(X86_64_REX_GOTPCRELX) /* same, relaxable, REX prefix */                    \
  X(X86_64_PC64)          /* 64-bit PC-relative */                            \
  X(AARCH64_ABS64)        /* 64-bit absolute S+A */                            \
  X(AARCH64_PREL32)       /* 32-bit PC-relative, signed */                     \
  X(AARCH64_PREL64)       /* 64-bit PC-relative */                             \
  X(AARCH64_CALL26)       /* bl: (S+A-P)>>2 in 26 bits, +-128 MiB */           \
  X(AARCH64_JUMP26)       /* b: as CALL26 */                                   \
  X(AARCH64_CONDBR19)     /* b.cond / cbz / cbnz: 19 bits, +-1 MiB */          \
  X(AARCH64_TSTBR14)      /* tbz / tbnz: 14 bits, +-32 KiB */                  \
  X(AARCH64_ADR_PREL_LO21)    /* adr: S+A-P in 21 bits */                      \
  X(AARCH64_ADR_PREL_PG_HI21) /* adrp: Page(S+A)-Page(P), +-4 GiB */           \
  X(AARCH64_ADD_ABS_LO12_NC)  /* add: low 12 bits of S+A */                    \
  X(AARCH64_LDST8_ABS_LO12_NC)   /* ldr/str: low 12 bits, scaled by size */    \
  X(AARCH64_LDST16_ABS_LO12_NC)                                                \
  X(AARCH64_LDST32_ABS_LO12_NC)                                                \
  X(AARCH64_LDST64_ABS_LO12_NC)                                                \
  X(AARCH64_LDST128_ABS_LO12_NC)                                               \
  X(AARCH64_MOVW_UABS_G0)     /* movz/movk: bits 0-15, S+A < 2^16 */           \
  X(AARCH64_MOVW_UABS_G0_NC)  /* bits 0-15, unchecked */                       \
  X(AARCH64_MOVW_UABS_G1)     /* bits 16-31, S+A < 2^32 */                     \
  X(AARCH64_MOVW_UABS_G1_NC)                                                   \
  X(AARCH64_MOVW_UABS_G2)     /* bits 32-47, S+A < 2^48 */                     \
  X(AARCH64_MOVW_UABS_G2_NC)                                                   \
  X(AARCH64_MOVW_UABS_G3)     /* bits 48-63 */

typedef enum cpjit_reloc {
#define CPJIT__ENUM(name) CPJIT_RELOC_##name,
  CPJIT_RELOC_LIST(CPJIT__ENUM)
#undef CPJIT__ENUM
  CPJIT_RELOC__COUNT
} cpjit_reloc;

/* What value a hole receives. */
typedef enum cpjit_hole_kind {
  CPJIT_HOLE_OPERAND0, /* uop.operand[0] */
  CPJIT_HOLE_OPERAND1, /* uop.operand[1] */
  CPJIT_HOLE_ARG,      /* uop.arg (16-bit small argument) */
  CPJIT_HOLE_CONTINUE, /* address of the next uop's code */
  CPJIT_HOLE_JUMP,     /* address of uop[uop.target]'s code */
  CPJIT_HOLE_EXIT,     /* address of exit stub[uop.exit] */
  CPJIT_HOLE_DATA,     /* address of this instance's copy of its data blob */
  CPJIT_HOLE_CODE,     /* address of this instance's own code */
  CPJIT_HOLE_HELPER,   /* address of host helper number `helper` */
  CPJIT_HOLE_HANDLER,  /* address of the trace's shared exit handler (only
                          in an exit stub of a set with an exit_handler) */
  CPJIT_HOLE__COUNT
} cpjit_hole_kind;

/* One hole: patch `reloc` at byte `offset` of the stencil's code (or of its
 * data blob when `in_data` is set) with value(kind) + addend. For GOTPCREL
 * kinds the value is stored in a GOT slot and the slot's address is patched. */
typedef struct cpjit_hole {
  uint32_t offset;
  uint8_t reloc;   /* cpjit_reloc */
  uint8_t kind;    /* cpjit_hole_kind */
  uint8_t in_data; /* 0: offset is in code, 1: in the data blob */
  uint8_t pad_;
  uint32_t helper; /* helper index for CPJIT_HOLE_HELPER, else 0 */
  int64_t addend;
  const char *symbol; /* the symbol the relocation named (diagnostics) */
} cpjit_hole;

/* Stencil flag: the code ends in a tail jump to CONTINUE whose last
 * `tail_size` bytes may be dropped when the next uop follows directly. */
#define CPJIT_STENCIL_TAIL_CONTINUE 1u
/* Stencil flag: the code falls off its end into CONTINUE (stencilgen
 * inverted a final `jcc CONTINUE; jmp EXIT` into `j!cc EXIT`); the JIT lays
 * the next uop out directly after it, so the uop is never last. */
#define CPJIT_STENCIL_FALLTHROUGH 2u

typedef struct cpjit_stencil {
  const char *name;
  const uint8_t *code;
  uint32_t code_size;
  uint32_t code_align;
  const uint8_t *data; /* read-only data blob (may be NULL when data_size 0) */
  uint32_t data_size;
  uint32_t data_align;
  const cpjit_hole *holes; /* sorted by (in_data, offset) */
  uint32_t nholes;
  uint32_t flags;     /* CPJIT_STENCIL_* */
  uint32_t tail_size; /* bytes of the final jump to CONTINUE (if flagged) */
  /* Call-frame information, used only for CPJIT_FLAG_GDB: the DWARF CFA
   * instructions of the stencil function's .eh_frame FDE, to be read after
   * a CIE with code alignment 1 and, on x86-64, data alignment -8, return
   * address column 16 and initial rules CFA = rsp+8, return address at
   * CFA-8; on AArch64, data alignment -4, return address column 30 (x30)
   * and initial rule CFA = sp+0. NULL/0 when the code never moves the stack
   * pointer or the object had no .eh_frame (stencils compiled without
   * -fasynchronous-unwind-tables). */
  const uint8_t *cfi;
  uint32_t cfi_size;
} cpjit_stencil;

typedef struct cpjit_stencil_set {
  uint32_t abi_version; /* CPJIT_ABI_VERSION of the generator */
  uint32_t machine;     /* CPJIT_MACHINE_* */
  const char *name;
  const cpjit_stencil *uops; /* indexed by cpjit_uop.op */
  uint32_t nuops;
  const cpjit_stencil *trampoline; /* C-ABI entry, tail-calls CONTINUE */
  const cpjit_stencil *exit_stub;  /* returns to the trampoline */
  const char *const *helper_names; /* host helpers, in helper index order */
  uint32_t nhelpers;
  /* Optional (NULL: none). The exit code shared by all exits of a trace,
   * placed once after its exit stubs; each stub then only passes its exit's
   * value and jumps here (CPJIT_HOLE_HANDLER). See the layout at the top. */
  const cpjit_stencil *exit_handler;
} cpjit_stencil_set;

/* Register uops (cpjit_stencil.h, CPJIT_RUOP): one uop body compiled into
 * one stencil per assignment of register-file registers to its register
 * operands. The generated header numbers the variants of each register uop
 * contiguously after the plain uops and describes them with this table:
 * variant v (op = first + v) gives operand k the register
 *   (v / stride_k) % size[k],  stride_k = size[k+1] * ... * size[n-1],
 * so operand 0 varies slowest. `size[k]` is CPJIT_NGPR for class G and
 * CPJIT_NFPR for class F. */
#define CPJIT_REG_G 1 /* a uint64_t register of the file */
#define CPJIT_REG_F 2 /* a double register of the file */

typedef struct cpjit_ruop_info {
  const char *name;   /* NAME of CPJIT_RUOP(NAME, SIG) */
  uint32_t first;     /* op of variant 0 (registers 0, 0, 0) */
  uint32_t nvariants; /* product of size[k] */
  uint8_t noperands;  /* 1..3 */
  uint8_t cls[3];     /* CPJIT_REG_G / CPJIT_REG_F per operand, 0 beyond */
  uint8_t size[3];    /* registers of that class, 0 beyond */
  uint8_t pad_;
} cpjit_ruop_info;

/* The op of register uop `r` with operand k in register reg[k] (each below
 * size[k]; entries past noperands are ignored). */
static inline uint32_t cpjit_ruop_op(const cpjit_ruop_info *r,
                                     const uint8_t reg[3]) {
  uint32_t v = 0;
  for (int k = 0; k < r->noperands; k++)
    v = v * r->size[k] + reg[k];
  return r->first + v;
}

/* Decode `op` against a register-uop table sorted by `first` (as the
 * generated <set>_ruops is): when op is a variant, store the table index in
 * *index and each operand's register number in reg[0..noperands-1]
 * (reg[k] = 0 beyond) and return 1; otherwise return 0. */
static inline int cpjit_ruop_decode(const cpjit_ruop_info *t, uint32_t n,
                                    uint32_t op, uint32_t *index,
                                    uint8_t reg[3]) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) { /* the last entry with first <= op */
    uint32_t mid = lo + (hi - lo) / 2;
    if (t[mid].first <= op)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0 || op - t[lo - 1].first >= t[lo - 1].nvariants)
    return 0;
  const cpjit_ruop_info *r = &t[lo - 1];
  uint32_t v = op - r->first;
  reg[0] = reg[1] = reg[2] = 0;
  for (int k = r->noperands - 1; k >= 0; k--) {
    reg[k] = (uint8_t)(v % r->size[k]);
    v /= r->size[k];
  }
  *index = lo - 1;
  return 1;
}

/* -- Traces --------------------------------------------------------------- */

/* One uop of a trace. `op` indexes the stencil set's uops. `target` is the
 * index of a uop of the same trace (for JUMP holes: loop back-edges, local
 * branches); `exit` is an index into the trace's exit table (for EXIT holes).
 * Fields a stencil does not use are ignored. */
typedef struct cpjit_uop {
  uint16_t op;
  uint16_t arg;
  uint32_t target;
  uint32_t exit;
  uint32_t pad_;
  uint64_t operand[2];
} cpjit_uop;

/* One side exit. Its operands patch the host's exit stub (OPERAND0/1). */
typedef struct cpjit_exit {
  uint64_t operand[2];
} cpjit_exit;

typedef struct cpjit_jit cpjit_jit;
typedef struct cpjit_trace cpjit_trace;

/* -- Opening a JIT instance ----------------------------------------------- */

/* Ordinary memory hook, with the contract of Lua's lua_Alloc: nsize == 0
 * frees `ptr` and returns NULL; otherwise (re)allocates and returns NULL on
 * failure (leaving `ptr` untouched). `osize` is the old size (0 for new). */
typedef void *(*cpjit_alloc_fn)(void *ud, void *ptr, size_t osize,
                                size_t nsize);

/* Executable-memory hooks (tests inject failures through them). Any NULL
 * member uses the libc function of the same name. */
typedef struct cpjit_memops {
  void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
                int64_t off);
  int (*munmap)(void *addr, size_t len);
  int (*mprotect)(void *addr, size_t len, int prot);
  int (*memfd_create)(const char *name, unsigned flags);
  int (*ftruncate)(int fd, int64_t len);
} cpjit_memops;

/* Config flags. */
/* Use write-then-mprotect, not two views of the code. The environment
 * variable CPJIT_NO_DUAL_MAP (set, not "0") forces it for every instance:
 * needed under qemu-user, which does not see writes to code made through
 * another mapping of the same pages (`make test-aarch64` sets it). */
#define CPJIT_FLAG_NO_DUAL_MAP 1u
#define CPJIT_FLAG_NO_NEAR 2u     /* do not try to map near the host's code */
/* Strict W^X. By default the dual mapping keeps a read-write view of all
 * code for the instance's lifetime (no system call per compile), so a
 * memory-corruption bug elsewhere in the host could write to live code
 * through it. With this flag that view is inaccessible (PROT_NONE) except
 * during a write -- a compile, an exit link or unlink -- at the cost of two
 * mprotect calls per write and the page faults after them. That cost is the
 * machine's, not cpjit's, and dwarfs the copy-and-patch work: measured in a
 * Firecracker VM, a 25-uop toy trace took 7 us to compile and free by
 * default and 270 us with this flag (an mprotect pair alone: 275 us there).
 * Code keeps running from its executable view meanwhile. In the fallback
 * mode (no dual mapping) writes already flip the code pages, so the flag
 * changes nothing there. */
#define CPJIT_FLAG_STRICT_WX 32u

/* Debuggers and profilers. All three are off by default and cost nothing
 * then. Each trace carries a name (cpjit_compile_named). A failure of any of
 * them (no memory, a file that cannot be written) never fails a compile: the
 * trace is compiled and runs, the failure is counted in
 * cpjit_stats.debug_failures.
 *
 * CPJIT_FLAG_GDB: register every trace with GDB's JIT interface (the global
 *   __jit_debug_register_code / __jit_debug_descriptor of the process; cpjit
 *   defines them weak, so another JIT's definitions may win and are shared).
 *   Each trace becomes an in-memory ELF object with one function symbol, the
 *   trace's name, covering its code, and .eh_frame unwind tables made from
 *   the stencils' call-frame information (cpjit_stencil.cfi): gdb names the
 *   trace in a backtrace and unwinds from a helper the trace called, through
 *   the uop and the trampoline, into the host. Freeing the trace (also by
 *   cpjit_flush/cpjit_close) unregisters it. Registration is serialised by a
 *   process-wide lock, so instances on several threads may use it.
 * CPJIT_FLAG_PERF_MAP: append "ADDR SIZE NAME" for every trace to
 *   /tmp/perf-<pid>.map (opened for appending, shared by all instances).
 *   perf reads perf maps only for samples in memory it sees as anonymous,
 *   and a memfd mapping is not, so with this flag the two views of the dual
 *   mapping are made from shared anonymous memory (mremap) instead of a
 *   memfd; the dual mapping stays on. (mremap is not a cpjit_memops hook.)
 *   Plain `perf record` + `perf report` then names traces.
 * CPJIT_FLAG_JITDUMP: write perf's jitdump file <jitdump_dir>/jit-<pid>.dump
 *   (one code-load record per trace, with its name and code bytes); the
 *   file stays mapped executable while an instance uses it, which is how
 *   `perf record -k 1` notes it for `perf inject --jit` (which then names
 *   and annotates traces in `perf report`/`perf annotate`). One file per
 *   process, shared by all instances, closed with the last of them; the
 *   file stays on disk. Works with either mapping. */
#define CPJIT_FLAG_GDB 4u
#define CPJIT_FLAG_PERF_MAP 8u
#define CPJIT_FLAG_JITDUMP 16u

typedef struct cpjit_config {
  /* Required: the stencil set (from a generated header) and the addresses of
   * its helpers, in set->helper_names order (nhelpers must match). */
  const cpjit_stencil_set *set;
  const void *const *helpers;
  uint32_t nhelpers;
  uint32_t flags; /* CPJIT_FLAG_* */
  /* Total bytes of executable memory the instance may map (default 64 MiB)
   * and the size of one mapping (default 1 MiB; rounded up to pages). A
   * compile that does not fit the remaining budget fails with
   * CPJIT_ERR_BUDGET; freeing traces gives their bytes back. */
  size_t code_budget;
  size_t chunk_size;
  /* Where to place code: cpjit maps chunks within +-2 GiB of `near` when it
   * can, so helper calls and jumps stay rel32 (default: the first helper,
   * or the library's own code when there is none; a helper out of rel32
   * reach fails the compile with CPJIT_ERR_RANGE). */
  const void *near;
  cpjit_alloc_fn alloc; /* default: realloc/free */
  void *alloc_ud;
  const cpjit_memops *memops; /* default: libc */
  /* Directory of the jitdump file (CPJIT_FLAG_JITDUMP); default: the
   * current directory. The first instance to open the file picks it. */
  const char *jitdump_dir;
} cpjit_config;

/* Create a JIT instance. Validates the stencil set against this build
 * (ABI version, machine, helper count, no NULL helper) and checks its
 * trampoline, exit stub and exit handler. The uop stencils are not read
 * here: each is checked the first time a compile uses it (see
 * cpjit_compile), so opening takes the same time whatever the number of
 * uops. No executable memory is mapped until the first compile.
 * Errors: ERR_ARG, ERR_NOMEM, ERR_BAD_SET (ABI version, no uops, or a
 * malformed trampoline, exit stub or exit handler), ERR_BAD_MACHINE,
 * ERR_BAD_HELPER. */
CPJIT_API cpjit_status cpjit_open(const cpjit_config *cfg, cpjit_jit **out);

/* Free every trace and all memory of the instance. NULL is a no-op. */
CPJIT_API void cpjit_close(cpjit_jit *J);

/* -- Compiling ------------------------------------------------------------ */

/* Compile a trace of `nuops` uops with `nexits` side exits. The uops and
 * exits are read during the call only. On success *out is a new trace owned
 * by J (free it with cpjit_trace_free or cpjit_close).
 * Errors (nothing is left allocated, J stays usable): ERR_ARG (nuops == 0 or
 * NULL pointers), ERR_BAD_OP, ERR_BAD_SET (the stencil of a uop's op is
 * malformed; found the first time a compile uses that op, and given again
 * by every compile that uses it, while compiles of other ops still work),
 * ERR_BAD_TARGET, ERR_BAD_EXIT, ERR_RANGE (an operand does not fit its
 * hole, or code out of rel32 reach of a helper), ERR_BAD_RELOC, ERR_NOMEM,
 * ERR_MMAP, ERR_PROTECT, ERR_BUDGET, ERR_TOO_BIG.
 * On failure *out is set to NULL. The index of the offending uop (or exit)
 * is available from cpjit_last_error_index(). */
CPJIT_API cpjit_status cpjit_compile(cpjit_jit *J, const cpjit_uop *uops, uint32_t nuops,
                           const cpjit_exit *exits, uint32_t nexits,
                           cpjit_trace **out);

/* cpjit_compile, giving the trace a name for debuggers and profilers
 * (CPJIT_FLAG_GDB/PERF_MAP/JITDUMP) and cpjit_trace_name(). The name is
 * copied; NULL (or "") gives the default "cpjit_trace_<n>", n counting the
 * instance's compile calls from 1 (cpjit_compile uses the default). Errors:
 * those of cpjit_compile. */
CPJIT_API cpjit_status cpjit_compile_named(cpjit_jit *J, const cpjit_uop *uops,
                                 uint32_t nuops, const cpjit_exit *exits,
                                 uint32_t nexits, const char *name,
                                 cpjit_trace **out);

/* The trace's name (owned by the trace, valid until it is freed). */
CPJIT_API const char *cpjit_trace_name(const cpjit_trace *t);

/* Index of the uop (or exit) that made the last compile fail, or -1. */
CPJIT_API int64_t cpjit_last_error_index(const cpjit_jit *J);

/* The trace's entry point: the host's trampoline, an ordinary C function of
 * the signature the host gave cpjit_trampoline. */
CPJIT_API void *cpjit_trace_entry(const cpjit_trace *t);

/* Where the trace's machine code lives (for perf maps, GDB, dumps): the
 * executable address and the size of its code (trampoline, uops and exit
 * stubs, without the data area). */
CPJIT_API void cpjit_trace_code(const cpjit_trace *t, const void **code, size_t *size);

/* Offset of uop i's code from the trace's code start (for dumps). For a uop
 * whose code is empty (elided) it is the offset of the next code. Returns -1
 * when i is out of range. */
CPJIT_API int64_t cpjit_trace_uop_offset(const cpjit_trace *t, uint32_t i);

/* Make side exit `exit` of `from` jump straight to the first uop of `to`
 * (skipping `to`'s trampoline); `to` == NULL restores the exit to return to
 * the host. Both traces must belong to J. When `to` is freed, every exit
 * linked to it is restored first. Errors: ERR_ARG, ERR_LINK, ERR_RANGE (too
 * far for a direct jump), ERR_PROTECT. */
CPJIT_API cpjit_status cpjit_link_exit(cpjit_jit *J, cpjit_trace *from, uint32_t exit,
                             cpjit_trace *to);

/* Free a trace: its code bytes return to the arena, exits linked to it are
 * unlinked. NULL is a no-op. The trace must not be running. */
CPJIT_API void cpjit_trace_free(cpjit_jit *J, cpjit_trace *t);

/* Free every trace at once (flush the code cache); unmaps all chunks. */
CPJIT_API void cpjit_flush(cpjit_jit *J);

/* -- Statistics ----------------------------------------------------------- */

typedef struct cpjit_stats {
  uint64_t traces_compiled; /* successful compiles since open */
  uint64_t traces_live;     /* compiled and not freed */
  uint64_t compile_failures;
  uint64_t uops_compiled;
  uint64_t code_bytes;      /* bytes written by successful compiles, total */
  uint64_t code_bytes_live; /* bytes of live traces (code + stubs + data) */
  uint64_t compile_ns;      /* time spent in successful compiles */
  uint64_t mapped_bytes;    /* executable memory currently mapped */
  uint64_t syscalls;        /* mmap/mprotect/munmap/... calls (and perf writes) */
  uint64_t links;           /* cpjit_link_exit calls that linked */
  uint64_t debug_failures;  /* GDB / perf map / jitdump records not made */
  uint64_t icache_flushes;  /* instruction-cache flushes after writing code
                               (one per compile, exit (un)link and chunk;
                               counted on x86-64 too, where they are free) */
} cpjit_stats;

CPJIT_API void cpjit_get_stats(const cpjit_jit *J, cpjit_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* CPJIT_H */
