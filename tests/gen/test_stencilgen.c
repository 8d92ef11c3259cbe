/*
 * test_stencilgen.c -- golden, determinism and malformed-input tests of
 * tools/stencilgen.
 *
 * Every test runs the real stencilgen executable (STENCILGEN, set by
 * gen_tests.cmake) on the committed fixture objects in FIXTURE_DIR, or on
 * copies of them mutated here in memory (truncated, wrong machine, bad
 * indices, patched relocation types...). A rejected input must make
 * stencilgen exit with status 1 and print exactly one line naming the file
 * (and stencil, symbol, relocation where they apply), and leave no output
 * file behind. When stencilgen is built with ASan, a sanitizer report would
 * add lines to stderr, so the one-line check also catches memory errors.
 *
 * Scratch files go to WORK_DIR (in the build tree). The random-corruption
 * test runs 64 seeded mutations by default; CPJIT_GEN_FUZZ_SEED and
 * CPJIT_GEN_FUZZ_RUNS choose others (e.g. a long run under ASan).
 */
#define _POSIX_C_SOURCE 200809L

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h> /* before cmocka.h, which needs jmp_buf */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#ifndef STENCILGEN
#error "STENCILGEN must name the stencilgen executable"
#endif
#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must name tests/gen"
#endif
#ifndef WORK_DIR
#error "WORK_DIR must name a scratch directory"
#endif

/* -- Files and processes -------------------------------------------------- */

typedef struct buf {
  uint8_t *bytes;
  size_t size;
} buf;

static char *path_join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  assert_non_null(p);
  snprintf(p, n, "%s/%s", a, b);
  return p;
}

static buf read_whole(const char *path) {
  buf b = {NULL, 0};
  FILE *f = fopen(path, "rb");
  if (!f)
    fail_msg("cannot open %s: %s", path, strerror(errno));
  size_t cap = 4096;
  b.bytes = malloc(cap);
  assert_non_null(b.bytes);
  size_t got;
  while ((got = fread(b.bytes + b.size, 1, cap - b.size, f)) > 0) {
    b.size += got;
    if (b.size == cap) {
      b.bytes = realloc(b.bytes, cap *= 2);
      assert_non_null(b.bytes);
    }
  }
  fclose(f);
  return b;
}

static void write_whole(const char *path, const uint8_t *bytes, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f)
    fail_msg("cannot create %s: %s", path, strerror(errno));
  assert_int_equal(fwrite(bytes, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static buf fixture(const char *name) {
  char *p = path_join(FIXTURE_DIR, name);
  buf b = read_whole(p);
  free(p);
  return b;
}

/* Run stencilgen with `args` (NULL-terminated) in directory `cwd`; returns
 * its exit status (or 128+signal) and its stderr in err. */
static int run_stencilgen(const char *cwd, const char *const *args, char *err,
                          size_t errcap) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    const char *argv[32];
    size_t n = 0;
    argv[n++] = STENCILGEN;
    for (; *args && n < 31; args++)
      argv[n++] = *args;
    argv[n] = NULL;
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, 1);
    if (cwd && chdir(cwd) != 0)
      _exit(126);
    execv(STENCILGEN, (char *const *)argv);
    _exit(127);
  }
  close(fds[1]);
  size_t n = 0;
  ssize_t got;
  while ((got = read(fds[0], err + n, errcap - 1 - n)) > 0)
    n += (size_t)got;
  err[n] = '\0';
  close(fds[0]);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

/* -- Minimal ELF access, to find what to corrupt ------------------------- */

static uint64_t get(const buf *b, size_t off, size_t size) {
  assert_true(off + size <= b->size);
  uint64_t v = 0;
  for (size_t i = 0; i < size; i++)
    v |= (uint64_t)b->bytes[off + i] << (8 * i);
  return v;
}

static void put(buf *b, size_t off, size_t size, uint64_t v) {
  assert_true(off + size <= b->size);
  for (size_t i = 0; i < size; i++)
    b->bytes[off + i] = (uint8_t)(v >> (8 * i));
}

#define FIELD(type, field) offsetof(type, field), sizeof(((type *)0)->field)

static size_t shdr(const buf *b, unsigned i) {
  return get(b, FIELD(Elf64_Ehdr, e_shoff)) + (size_t)i * sizeof(Elf64_Shdr);
}

static const char *section_name(const buf *b, unsigned i) {
  unsigned strndx = (unsigned)get(b, FIELD(Elf64_Ehdr, e_shstrndx));
  size_t strtab = get(b, shdr(b, strndx) + FIELD(Elf64_Shdr, sh_offset));
  return (const char *)b->bytes + strtab +
         get(b, shdr(b, i) + FIELD(Elf64_Shdr, sh_name));
}

/* Index of the section called `name`; fails the test if absent. */
static unsigned find_section(const buf *b, const char *name) {
  unsigned n = (unsigned)get(b, FIELD(Elf64_Ehdr, e_shnum));
  for (unsigned i = 1; i < n; i++)
    if (strcmp(section_name(b, i), name) == 0)
      return i;
  fail_msg("fixture has no section %s", name);
  return 0;
}

static uint64_t sh(const buf *b, unsigned i, size_t off, size_t size) {
  return get(b, shdr(b, i) + off, size);
}

/* File offset of the symbol-table entry of symbol `name`. */
static size_t find_symbol(const buf *b, const char *name) {
  unsigned symtab = find_section(b, ".symtab");
  size_t off = sh(b, symtab, FIELD(Elf64_Shdr, sh_offset));
  size_t size = sh(b, symtab, FIELD(Elf64_Shdr, sh_size));
  unsigned strsec = (unsigned)sh(b, symtab, FIELD(Elf64_Shdr, sh_link));
  size_t str = sh(b, strsec, FIELD(Elf64_Shdr, sh_offset));
  for (size_t e = off; e < off + size; e += sizeof(Elf64_Sym))
    if (strcmp((const char *)b->bytes + str +
                   get(b, e + FIELD(Elf64_Sym, st_name)),
               name) == 0)
      return e;
  fail_msg("fixture has no symbol %s", name);
  return 0;
}

static size_t symbol_index(const buf *b, const char *name) {
  unsigned symtab = find_section(b, ".symtab");
  return (find_symbol(b, name) - sh(b, symtab, FIELD(Elf64_Shdr, sh_offset))) /
         sizeof(Elf64_Sym);
}

/* File offset of the k-th relocation in section `rela`. */
static size_t rela_entry(const buf *b, const char *rela, unsigned k) {
  unsigned i = find_section(b, rela);
  assert_true((k + 1) * sizeof(Elf64_Rela) <=
              sh(b, i, FIELD(Elf64_Shdr, sh_size)));
  return sh(b, i, FIELD(Elf64_Shdr, sh_offset)) + k * sizeof(Elf64_Rela);
}

/* Replace the string `from` by `to` (same length) inside section `sec`. */
static void patch_string(buf *b, const char *sec, const char *from,
                         const char *to) {
  assert_int_equal(strlen(from), strlen(to));
  unsigned i = find_section(b, sec);
  size_t off = sh(b, i, FIELD(Elf64_Shdr, sh_offset));
  size_t size = sh(b, i, FIELD(Elf64_Shdr, sh_size));
  int found = 0;
  for (size_t p = off; p + strlen(from) <= off + size; p++)
    if (memcmp(b->bytes + p, from, strlen(from)) == 0) {
      memcpy(b->bytes + p, to, strlen(to));
      found = 1;
    }
  if (!found)
    fail_msg("section %s has no string %s", sec, from);
}

/* -- Expectations --------------------------------------------------------- */

/* Write `input` as WORK_DIR/<name>.o, run stencilgen on it (after the
 * optional `extra` input), and check it fails cleanly with `expected` in its
 * message. When `exact` is set, the message after "stencilgen: <path>: " must
 * equal it. */
static void expect_reject_with(const char *name, const buf *input,
                               const char *extra, const char *expected,
                               int exact) {
  char oname[128], hname[128], tname[140], err[4096];
  snprintf(oname, sizeof oname, "%s.o", name);
  snprintf(hname, sizeof hname, "%s.h", name);
  char *opath = path_join(WORK_DIR, oname);
  char *hpath = path_join(WORK_DIR, hname);
  snprintf(tname, sizeof tname, "%s.tmp", hpath);
  write_whole(opath, input->bytes, input->size);
  remove(hpath);
  remove(tname);
  /* `extra` goes first: errors about a second definition name the later
   * file, which must be the one under test. */
  const char *args[] = {"--no-disasm",        "--set", "t",
                        "--output",           hpath,   extra ? extra : opath,
                        extra ? opath : NULL, NULL};
  int rc = run_stencilgen(NULL, args, err, sizeof err);
  if (rc != 1)
    fail_msg("%s: stencilgen exited with %d (want 1); stderr:\n%s", name, rc,
             err);
  size_t len = strlen(err);
  if (len == 0 || err[len - 1] != '\n' || memchr(err, '\n', len - 1))
    fail_msg("%s: want exactly one line on stderr, got:\n%s", name, err);
  char prefix[300];
  snprintf(prefix, sizeof prefix, "stencilgen: %s: ", opath);
  if (strncmp(err, prefix, strlen(prefix)) != 0)
    fail_msg("%s: message does not start with '%s':\n%s", name, prefix, err);
  err[len - 1] = '\0';
  const char *rest = err + strlen(prefix);
  if (exact ? strcmp(rest, expected) != 0 : !strstr(rest, expected))
    fail_msg("%s: want %s '%s' in the message, got:\n%s", name,
             exact ? "exactly" : "", expected, err);
  if (file_exists(hpath) || file_exists(tname))
    fail_msg("%s: stencilgen failed but left %s behind", name, hpath);
  free(opath);
  free(hpath);
}

static void expect_reject(const char *name, const buf *input,
                          const char *expected) {
  expect_reject_with(name, input, NULL, expected, 0);
}

static void expect_reject_exact(const char *name, const buf *input,
                                const char *expected) {
  expect_reject_with(name, input, NULL, expected, 1);
}

/* Run stencilgen on fixture_set.o (at `input`) into `out`; must succeed. */
static void generate(const char *cwd, const char *input, const char *out,
                     int disasm) {
  char err[4096];
  const char *args[] = {"--set",
                        "fixture",
                        "--output",
                        out,
                        disasm ? "--objdump" : "--no-disasm",
                        disasm ? "llvm-objdump-19" : input,
                        disasm ? input : NULL,
                        NULL};
  int rc = run_stencilgen(cwd, args, err, sizeof err);
  if (rc != 0)
    fail_msg("stencilgen on %s exited with %d:\n%s", input, rc, err);
}

static void assert_same_file(const char *a, const char *b, const char *hint) {
  buf x = read_whole(a), y = read_whole(b);
  if (x.size != y.size || memcmp(x.bytes, y.bytes, x.size) != 0)
    fail_msg("%s and %s differ (diff -u %s %s)%s", a, b, a, b, hint);
  free(x.bytes);
  free(y.bytes);
}

/* -- Golden and determinism ------------------------------------------------ */

static void golden_header_matches(void **state) {
  (void)state;
  char *in = path_join(FIXTURE_DIR, "fixture_set.o");
  char *golden = path_join(FIXTURE_DIR, "fixture_set.golden.h");
  char *out = path_join(WORK_DIR, "fixture_set.golden.out.h");
  generate(NULL, in, out, 0);
  assert_same_file(
      golden, out,
      "\nIf the change is intended, regenerate the golden file "
      "with tests/gen/update-golden.sh <build-dir> and review it.");
  free(in);
  free(golden);
  free(out);
}

static void golden_aarch64_header_matches(void **state) {
  (void)state;
  char *in = path_join(FIXTURE_DIR, "fixture_set_aarch64.o");
  char *golden = path_join(FIXTURE_DIR, "fixture_set_aarch64.golden.h");
  char *out = path_join(WORK_DIR, "fixture_set_aarch64.golden.out.h");
  generate(NULL, in, out, 0);
  assert_same_file(
      golden, out,
      "\nIf the change is intended, regenerate the golden files "
      "with tests/gen/update-golden.sh <build-dir> and review them.");
  free(in);
  free(golden);
  free(out);
}

static void output_is_deterministic(void **state) {
  (void)state;
  /* The same object under two absolute paths, run from two directories,
   * with and without disassembly. */
  char *in = path_join(FIXTURE_DIR, "fixture_set.o");
  char *elsewhere = path_join(WORK_DIR, "elsewhere");
  mkdir(elsewhere, 0777);
  char *copy = path_join(elsewhere, "fixture_set.o");
  buf b = read_whole(in);
  write_whole(copy, b.bytes, b.size);
  free(b.bytes);
  char *out1 = path_join(WORK_DIR, "det1.h");
  char *out2 = path_join(WORK_DIR, "det2.h");
  char *out3 = path_join(elsewhere, "det3.h");
  for (int disasm = 0; disasm <= 1; disasm++) {
    generate(NULL, in, out1, disasm);
    generate(NULL, in, out2, disasm);
    assert_same_file(out1, out2, ": two runs on the same input differ");
    generate(elsewhere, "fixture_set.o", out3, disasm);
    assert_same_file(out1, out3, ": the output depends on the input's path");
  }
  /* With disassembly the header must contain it (when objdump exists)
   * and no absolute path of the input. */
  buf h = read_whole(out1);
  char *text = malloc(h.size + 1);
  assert_non_null(text);
  memcpy(text, h.bytes, h.size);
  text[h.size] = '\0';
  assert_null(strstr(text, FIXTURE_DIR));
  assert_null(strstr(text, WORK_DIR));
  if (system("llvm-objdump-19 --version >/dev/null 2>&1") == 0 &&
      !strstr(text, "R_X86_64_PLT32"))
    fail_msg("%s: llvm-objdump-19 exists but the header has no disassembly",
             out1);
  free(text);
  free(h.bytes);
  free(in);
  free(elsewhere);
  free(copy);
  free(out1);
  free(out2);
  free(out3);
}

/* A byte inside an instruction that looks like a short branch across the
 * guard (the ModRM 0x7c of `cmpb $t, -8(%rax,%r10)` in every array load is
 * a `jl rel8`) must not stop stencilgen from widening the guard: it decodes
 * the stencil into instructions first. The fixture's TYPED_LOAD begins with
 * `cmpq $3, d32(%r12)` (49 83 bc 24 d32 03); its immediate becomes 0x7c,
 * which with the next byte (75, the guard's jne) reads as a `jl` out of the
 * code. */
static void lookalike_branch_bytes_still_widen(void **state) {
  (void)state;
  buf b = fixture("fixture_set.o");
  unsigned sec = find_section(&b, ".text.cpjit_uop_TYPED_LOAD");
  size_t off = sh(&b, sec, FIELD(Elf64_Shdr, sh_offset));
  static const uint8_t head[] = {0x49, 0x83, 0xbc, 0x24};
  assert_memory_equal(b.bytes + off, head, sizeof head);
  assert_int_equal(b.bytes[off + 8], 0x03);
  assert_int_equal(b.bytes[off + 9], 0x75);
  b.bytes[off + 8] = 0x7c;
  char *in = path_join(WORK_DIR, "lookalike.o");
  char *out = path_join(WORK_DIR, "lookalike.h");
  write_whole(in, b.bytes, b.size);
  generate(NULL, in, out, 0);
  buf h = read_whole(out);
  char *text = malloc(h.size + 1);
  assert_non_null(text);
  memcpy(text, h.bytes, h.size);
  text[h.size] = '\0';
  /* widened: 29 bytes less the final jmp (5), plus 4 for the rel32 jcc */
  if (!strstr(text, "fixture_uop_TYPED_LOAD_code[28]"))
    fail_msg("%s: TYPED_LOAD was not widened", out);
  free(text);
  free(h.bytes);
  free(b.bytes);
  free(in);
  free(out);
}

static void missing_objdump_only_drops_comments(void **state) {
  (void)state;
  char *in = path_join(FIXTURE_DIR, "fixture_set.o");
  char *golden = path_join(FIXTURE_DIR, "fixture_set.golden.h");
  char *out = path_join(WORK_DIR, "no-objdump.h");
  char err[4096];
  const char *args[] = {"--objdump", "/nonexistent/llvm-objdump",
                        "--set",     "fixture",
                        "--output",  out,
                        in,          NULL};
  assert_int_equal(run_stencilgen(NULL, args, err, sizeof err), 0);
  assert_same_file(golden, out,
                   ": without objdump the header must equal "
                   "the --no-disasm golden");
  free(in);
  free(golden);
  free(out);
}

/* -- Call-frame information ----------------------------------------------- */

/* The golden headers carry the CFI of the stencils that move the stack
 * pointer (the trampoline's saves, a uop that saves its return address
 * around a helper call); a damaged or unexpected .eh_frame costs the
 * stencils their CFI and nothing else: the header is still written, the
 * same but for the _cfi arrays. */
typedef struct cfi_damage {
  size_t at; /* from the start of .eh_frame (its CIE) */
  uint8_t value;
  const char *name;
} cfi_damage;

static void damage_drops_cfi(const char *obj, const char *golden_name,
                             const char *const want[2], const char *code,
                             const cfi_damage *damage, size_t ndamage) {
  char *golden = path_join(FIXTURE_DIR, golden_name);
  buf g = read_whole(golden);
  char *text = calloc(1, g.size + 1);
  memcpy(text, g.bytes, g.size);
  for (int k = 0; k < 2; k++)
    if (!strstr(text, want[k]))
      fail_msg("%s: no '%s'", golden, want[k]);
  free(text);
  free(g.bytes);

  buf good = fixture(obj);
  unsigned eh = find_section(&good, ".eh_frame");
  size_t off = sh(&good, eh, FIELD(Elf64_Shdr, sh_offset));
  for (size_t i = 0; i < ndamage; i++) {
    buf b = {malloc(good.size), good.size};
    memcpy(b.bytes, good.bytes, good.size);
    b.bytes[off + damage[i].at] = damage[i].value;
    char oname[64], hname[64];
    snprintf(oname, sizeof oname, "%s.o", damage[i].name);
    snprintf(hname, sizeof hname, "%s.h", damage[i].name);
    char *opath = path_join(WORK_DIR, oname);
    char *hpath = path_join(WORK_DIR, hname);
    write_whole(opath, b.bytes, b.size);
    generate(NULL, opath, hpath, 0);
    buf h = read_whole(hpath);
    char *out = calloc(1, h.size + 1);
    memcpy(out, h.bytes, h.size);
    if (strstr(out, "_cfi"))
      fail_msg("%s: %s still has CFI", damage[i].name, hpath);
    assert_non_null(strstr(out, code));
    free(out);
    free(h.bytes);
    free(b.bytes);
    free(opath);
    free(hpath);
  }
  free(good.bytes);
  free(golden);
}

static void damaged_eh_frame_only_drops_cfi(void **state) {
  (void)state;
  static const char *const want[2] = {"fixture_trampoline_cfi, 40}",
                                      "fixture_uop_CALL_cfi, 6}"};
  static const cfi_damage damage[] = {
      {3, 0x7f, "cfi-cie-length"},   /* runs past the section */
      {8, 3, "cfi-cie-version"},     /* not version 1 */
      {13, 0x7c, "cfi-data-align"},  /* data alignment -4, not -8 */
      {18, 0x06, "cfi-initial-rule"}, /* CFA on rbp, not rsp */
  };
  damage_drops_cfi("fixture_set.o", "fixture_set.golden.h", want,
                   "fixture_trampoline_code[30]", damage,
                   sizeof damage / sizeof damage[0]);
}

/* The same for AArch64's CIE: data alignment -4, return address x30,
 * CFA = sp+0, FDE pointers pcrel sdata8 (R_AARCH64_PREL64). */
static void damaged_aarch64_eh_frame_only_drops_cfi(void **state) {
  (void)state;
  static const char *const want[2] = {"fixture_trampoline_cfi, 81}",
                                      "fixture_uop_CALL_cfi, 9}"};
  static const cfi_damage damage[] = {
      {3, 0x7f, "a64-cfi-cie-length"},  /* runs past the section */
      {8, 3, "a64-cfi-cie-version"},    /* not version 1 */
      {13, 0x78, "a64-cfi-data-align"}, /* data alignment -8, not -4 */
      {14, 29, "a64-cfi-ra"},           /* return address x29, not x30 */
      {16, 0x1b, "a64-cfi-sdata4"},     /* 4-byte pointers: not PREL64's */
      {18, 0x1d, "a64-cfi-initial-rule"}, /* CFA on x29, not sp */
  };
  damage_drops_cfi("fixture_set_aarch64.o", "fixture_set_aarch64.golden.h",
                   want, "fixture_trampoline_code[96]", damage,
                   sizeof damage / sizeof damage[0]);
}

/* -- Malformed files ------------------------------------------------------- */

static void truncated_files_are_rejected(void **state) {
  (void)state;
  buf good = fixture("fixture_set.o");
  size_t shoff = get(&good, FIELD(Elf64_Ehdr, e_shoff));
  const struct {
    size_t size;
    const char *msg;
  } cuts[] = {
      {0, "not an ELF file"},
      {3, "not an ELF file"},
      {20, "truncated ELF header"},
      {63, "truncated ELF header"},
      {64, "section header table"},
      {shoff / 2, "section header table"},
      {shoff + 100, "section header table"},
      {good.size - 1, "section header table"},
  };
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    buf b = {good.bytes, cuts[i].size};
    char name[64];
    snprintf(name, sizeof name, "truncated-%zu", cuts[i].size);
    expect_reject(name, &b, cuts[i].msg);
  }
  free(good.bytes);
}

static void wrong_machine_class_or_type_is_rejected(void **state) {
  (void)state;
  buf b = fixture("fixture_set.o");
  put(&b, FIELD(Elf64_Ehdr, e_machine), EM_386);
  expect_reject_exact("em386", &b,
                      "unsupported machine 3 (EM_386); cpjit supports x86-64 "
                      "and AArch64");
  /* x86-64 relocation numbers read as AArch64 ones name no known type. */
  put(&b, FIELD(Elf64_Ehdr, e_machine), EM_AARCH64);
  expect_reject("x86-as-aarch64", &b, "unknown relocation type");
  put(&b, FIELD(Elf64_Ehdr, e_machine), EM_X86_64);

  b.bytes[EI_CLASS] = ELFCLASS32;
  expect_reject("class32", &b, "not a 64-bit ELF file");
  b.bytes[EI_CLASS] = ELFCLASS64;

  b.bytes[EI_DATA] = ELFDATA2MSB;
  expect_reject("bigendian", &b, "not a little-endian ELF file");
  b.bytes[EI_DATA] = ELFDATA2LSB;

  put(&b, FIELD(Elf64_Ehdr, e_type), ET_EXEC);
  expect_reject("exec", &b, "not a relocatable object (e_type 2)");
  put(&b, FIELD(Elf64_Ehdr, e_type), ET_REL);

  b.bytes[1] = 'X';
  expect_reject("badmagic", &b, "not an ELF file");
  free(b.bytes);
}

static void bad_indices_and_offsets_are_rejected(void **state) {
  (void)state;
  buf b = fixture("fixture_set.o");
  size_t sym = find_symbol(&b, "cpjit_uop_ADDI");
  uint64_t shndx = get(&b, sym + FIELD(Elf64_Sym, st_shndx));
  put(&b, sym + FIELD(Elf64_Sym, st_shndx), 0x500);
  expect_reject("bad-shndx", &b,
                "symbol 'cpjit_uop_ADDI': section index 1280 out of range");
  put(&b, sym + FIELD(Elf64_Sym, st_shndx), shndx);

  uint64_t name = get(&b, sym + FIELD(Elf64_Sym, st_name));
  put(&b, sym + FIELD(Elf64_Sym, st_name), 0x7fffffff);
  expect_reject("bad-symname", &b, "name: string offset 2147483647 outside");
  put(&b, sym + FIELD(Elf64_Sym, st_name), name);

  unsigned text = find_section(&b, ".text.cpjit_uop_ADDI");
  size_t shname = shdr(&b, text) + offsetof(Elf64_Shdr, sh_name);
  uint64_t old = get(&b, shname, 4);
  put(&b, shname, 4, 0xfffffff0);
  expect_reject("bad-secname", &b, "name: string offset 4294967280 outside");
  put(&b, shname, 4, old);

  size_t shoff = shdr(&b, text) + offsetof(Elf64_Shdr, sh_offset);
  old = get(&b, shoff, 8);
  put(&b, shoff, 8, b.size + 16);
  expect_reject("offset-past-eof", &b, "extends past the end of the file");
  put(&b, shoff, 8, UINT64_MAX - 4); /* offset + size overflows */
  expect_reject("offset-overflow", &b, "extends past the end of the file");
  put(&b, shoff, 8, old);

  size_t shsize = shdr(&b, text) + offsetof(Elf64_Shdr, sh_size);
  old = get(&b, shsize, 8);
  put(&b, shsize, 8, b.size);
  expect_reject("size-past-eof", &b, "extends past the end of the file");
  put(&b, shsize, 8, old);

  put(&b, FIELD(Elf64_Ehdr, e_shstrndx), 0x7000);
  expect_reject("bad-shstrndx", &b, "section name table index 28672");
  free(b.bytes);
}

static void bad_relocations_are_rejected(void **state) {
  (void)state;
  buf b = fixture("fixture_set.o");
  /* ADDI's first relocation: R_X86_64_32 against CPJIT_OPERAND0 at 0x1. */
  size_t r = rela_entry(&b, ".rela.text.cpjit_uop_ADDI", 0);
  uint64_t info = get(&b, r + FIELD(Elf64_Rela, r_info));
  assert_int_equal(ELF64_R_TYPE(info), R_X86_64_32);

  put(&b, r + FIELD(Elf64_Rela, r_offset), 0x1000);
  expect_reject_exact("reloc-offset", &b,
                      "stencil 'ADDI': symbol 'CPJIT_OPERAND0': relocation "
                      "R_X86_64_32 at 0x1000: relocation offset out of range "
                      "(section '.text.cpjit_uop_ADDI' has 15 bytes)");
  put(&b, r + FIELD(Elf64_Rela, r_offset), 13); /* 4 bytes at 13 > 15 */
  expect_reject("reloc-offset-edge", &b, "relocation offset out of range");
  put(&b, r + FIELD(Elf64_Rela, r_offset), 1);

  put(&b, r + FIELD(Elf64_Rela, r_info), ELF64_R_INFO(ELF64_R_SYM(info), 200));
  expect_reject_exact("reloc-type-200", &b,
                      "stencil 'ADDI': symbol 'CPJIT_OPERAND0': relocation "
                      "type 200 at 0x1: unknown relocation type");
  put(&b, r + FIELD(Elf64_Rela, r_info),
      ELF64_R_INFO(ELF64_R_SYM(info), R_X86_64_TPOFF32));
  expect_reject_exact("reloc-type-tpoff32", &b,
                      "stencil 'ADDI': symbol 'CPJIT_OPERAND0': relocation "
                      "R_X86_64_TPOFF32 at 0x1: relocation type not supported "
                      "by the JIT");

  put(&b, r + FIELD(Elf64_Rela, r_info),
      ELF64_R_INFO(symbol_index(&b, "cpjit_uop_LOAD64"), R_X86_64_32));
  expect_reject("reloc-other-stencil", &b,
                "stencil 'ADDI': symbol 'cpjit_uop_LOAD64': relocation "
                "R_X86_64_32 at 0x1: relocation against another stencil's "
                "code");

  put(&b, r + FIELD(Elf64_Rela, r_info), ELF64_R_INFO(100000, R_X86_64_32));
  expect_reject("reloc-symbol-index", &b, "names symbol 100000, out of range");
  put(&b, r + FIELD(Elf64_Rela, r_info), info);
  free(b.bytes);
}

/* AArch64: every kind the JIT patches is read (the first relocation of
 * ADDI, a movz, retyped to each), every other one is refused by
 * name or number, and offsets are checked against the section. */
static void aarch64_relocations_are_read_or_rejected(void **state) {
  (void)state;
  buf b = fixture("fixture_set_aarch64.o");
  size_t r = rela_entry(&b, ".rela.text.cpjit_uop_ADDI", 0);
  uint64_t info = get(&b, r + FIELD(Elf64_Rela, r_info));
  assert_int_equal(ELF64_R_TYPE(info), R_AARCH64_MOVW_UABS_G1_NC);
  uint32_t sym = (uint32_t)ELF64_R_SYM(info);
  static const struct {
    uint32_t type;
    const char *kind;
  } ok[] = {
      {R_AARCH64_PREL32, "PREL32"},
      {R_AARCH64_CALL26, "CALL26"},
      {R_AARCH64_JUMP26, "JUMP26"},
      {R_AARCH64_CONDBR19, "CONDBR19"},
      {R_AARCH64_TSTBR14, "TSTBR14"},
      {R_AARCH64_ADR_PREL_LO21, "ADR_PREL_LO21"},
      {R_AARCH64_ADR_PREL_PG_HI21, "ADR_PREL_PG_HI21"},
      {R_AARCH64_ADD_ABS_LO12_NC, "ADD_ABS_LO12_NC"},
      {R_AARCH64_LDST8_ABS_LO12_NC, "LDST8_ABS_LO12_NC"},
      {R_AARCH64_LDST16_ABS_LO12_NC, "LDST16_ABS_LO12_NC"},
      {R_AARCH64_LDST32_ABS_LO12_NC, "LDST32_ABS_LO12_NC"},
      {R_AARCH64_LDST64_ABS_LO12_NC, "LDST64_ABS_LO12_NC"},
      {299 /* R_AARCH64_LDST128_ABS_LO12_NC */, "LDST128_ABS_LO12_NC"},
      {R_AARCH64_MOVW_UABS_G0, "MOVW_UABS_G0"},
      {R_AARCH64_MOVW_UABS_G1, "MOVW_UABS_G1"},
      {R_AARCH64_MOVW_UABS_G2, "MOVW_UABS_G2"},
  };
  char *opath = path_join(WORK_DIR, "a64-kind.o");
  char *hpath = path_join(WORK_DIR, "a64-kind.h");
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    put(&b, r + FIELD(Elf64_Rela, r_info), ELF64_R_INFO(sym, ok[i].type));
    write_whole(opath, b.bytes, b.size);
    generate(NULL, opath, hpath, 0);
    buf h = read_whole(hpath);
    char want[96];
    snprintf(want, sizeof want, "{0x0, CPJIT_RELOC_AARCH64_%s, CPJIT_HOLE_OPERAND0",
             ok[i].kind);
    h.bytes = realloc(h.bytes, h.size + 1);
    assert_non_null(h.bytes);
    h.bytes[h.size] = 0;
    if (!strstr((const char *)h.bytes, want))
      fail_msg("type %u: no hole '%s' in %s", ok[i].type, want, hpath);
    free(h.bytes);
  }
  /* The 8-byte kinds, in NAME's pointer table (ABS64 there already). */
  size_t t = rela_entry(&b, ".rela.rodata.cpjit_uop_NAME.names", 0);
  uint64_t tinfo = get(&b, t + FIELD(Elf64_Rela, r_info));
  assert_int_equal(ELF64_R_TYPE(tinfo), R_AARCH64_ABS64);
  put(&b, t + FIELD(Elf64_Rela, r_info),
      ELF64_R_INFO(ELF64_R_SYM(tinfo), R_AARCH64_PREL64));
  write_whole(opath, b.bytes, b.size);
  generate(NULL, opath, hpath, 0);
  buf h = read_whole(hpath);
  h.bytes = realloc(h.bytes, h.size + 1);
  assert_non_null(h.bytes);
  h.bytes[h.size] = 0;
  assert_non_null(strstr((const char *)h.bytes,
                         "{0x0, CPJIT_RELOC_AARCH64_PREL64, CPJIT_HOLE_DATA, 1"));
  assert_non_null(strstr((const char *)h.bytes,
                         "{0x8, CPJIT_RELOC_AARCH64_ABS64, CPJIT_HOLE_DATA, 1"));
  free(h.bytes);
  put(&b, t + FIELD(Elf64_Rela, r_info), tinfo);
  free(opath);
  free(hpath);

  put(&b, r + FIELD(Elf64_Rela, r_info),
      ELF64_R_INFO(sym, R_AARCH64_ADR_GOT_PAGE));
  expect_reject_exact("a64-got", &b,
                      "stencil 'ADDI': symbol 'CPJIT_OPERAND0': relocation "
                      "R_AARCH64_ADR_GOT_PAGE at 0x0: relocation type not "
                      "supported by the JIT");
  put(&b, r + FIELD(Elf64_Rela, r_info), ELF64_R_INFO(sym, R_X86_64_32));
  expect_reject_exact("a64-type-10", &b,
                      "stencil 'ADDI': symbol 'CPJIT_OPERAND0': relocation "
                      "type 10 at 0x0: unknown relocation type");
  put(&b, r + FIELD(Elf64_Rela, r_info), info);
  put(&b, r + FIELD(Elf64_Rela, r_offset), 0x1000);
  expect_reject("a64-offset", &b,
                "relocation R_AARCH64_MOVW_UABS_G1_NC at 0x1000: relocation "
                "offset out of range (section '.text.cpjit_uop_ADDI' has");
  put(&b, r + FIELD(Elf64_Rela, r_offset), 0);
  /* An 8-byte kind in the last word of the section overruns it. */
  unsigned text = find_section(&b, ".text.cpjit_uop_ADDI");
  uint64_t size = sh(&b, text, FIELD(Elf64_Shdr, sh_size));
  put(&b, r + FIELD(Elf64_Rela, r_offset), size - 4);
  put(&b, r + FIELD(Elf64_Rela, r_info), ELF64_R_INFO(sym, R_AARCH64_ABS64));
  expect_reject("a64-offset-edge", &b, "relocation offset out of range");
  free(b.bytes);
}

static void undefined_symbols_are_rejected(void **state) {
  (void)state;
  buf b = fixture("fixture_set.o");
  patch_string(&b, ".strtab", "fixture_helper_add", "fixture_helper_adX");
  expect_reject_exact(
      "undefined-helper", &b,
      "stencil 'CALL': symbol 'fixture_helper_adX': relocation R_X86_64_PLT32 "
      "at 0x11: undefined symbol that is neither a hole (CPJIT_*) nor a "
      "helper listed in CPJIT_DECLARE_HELPERS");
  free(b.bytes);

  b = fixture("fixture_set.o");
  patch_string(&b, ".strtab", "CPJIT_JUMP", "CPJIT_JUMX");
  expect_reject("misspelt-hole", &b,
                "stencil 'LOOP': symbol 'CPJIT_JUMX': relocation "
                "R_X86_64_PLT32 at 0x11: undefined symbol");
  free(b.bytes);
}

static void bad_stencil_sets_are_rejected(void **state) {
  (void)state;
  buf b = fixture("fixture_writable.o");
  expect_reject_exact("writable", &b,
                      "section '.bss.fixture_counter': writable data section; "
                      "stencils may not have writable globals, make them "
                      "const or move them to the host");
  free(b.bytes);

  b = fixture("fixture_local.o");
  expect_reject("local-call", &b,
                "stencil 'MIX': symbol '.text.mix': relocation R_X86_64_PLT32 "
                "at 0xb: call to local function 'mix' in another section; "
                "mark it static inline __attribute__((always_inline))");
  free(b.bytes);

  /* The function of a listed uop renamed away: its body is missing. */
  b = fixture("fixture_set.o");
  patch_string(&b, ".strtab", "cpjit_uop_ADDI", "cpjit_uoq_ADDI");
  expect_reject_exact("missing-body", &b,
                      "stencil 'ADDI': missing uop body: no input defines "
                      "cpjit_uop_ADDI");
  free(b.bytes);

  /* A uop body that the list does not name. */
  b = fixture("fixture_set.o");
  patch_string(&b, ".cpjit.uops", "ADDI", "ADDX");
  expect_reject("unlisted-function", &b,
                "symbol 'cpjit_uop_ADDI': function is not in the uop list");
  free(b.bytes);

  /* The same object twice: every stencil is defined twice. */
  b = fixture("fixture_set.o");
  char *again = path_join(FIXTURE_DIR, "fixture_set.o");
  expect_reject_with("duplicate", &b, again,
                     "stencil 'trampoline': symbol 'cpjit_trampoline': "
                     "duplicate definition (also defined in",
                     0);
  free(again);
  free(b.bytes);
}

/* File offset and size of section `name`. */
static size_t section_at(const buf *b, const char *name, size_t *size) {
  unsigned i = find_section(b, name);
  *size = sh(b, i, FIELD(Elf64_Shdr, sh_size));
  return sh(b, i, FIELD(Elf64_Shdr, sh_offset));
}

/* fixture_ruops.o: register uops (.cpjit.ruops, .cpjit.regfile) are read
 * into the op numbering and table, and every malformed list, register file
 * or variant set is one clean error. */
static void register_uops_are_read_or_rejected(void **state) {
  (void)state;
  char *in = path_join(FIXTURE_DIR, "fixture_ruops.o");
  char *out = path_join(WORK_DIR, "ruops.h");
  char err[4096];
  const char *args[] = {"--no-disasm", "--set", "t", "--output", out, in, NULL};
  if (run_stencilgen(NULL, args, err, sizeof err) != 0)
    fail_msg("stencilgen on fixture_ruops.o failed:\n%s", err);
  buf h = read_whole(out);
  h.bytes = realloc(h.bytes, h.size + 1);
  assert_non_null(h.bytes);
  h.bytes[h.size] = '\0';
  static const char *const want[] = {
      "#define t_NUOPS 1\n", "#define t_NGPR 2\n", "#define t_NFPR 1\n",
      "#define t_NRUOPS 3\n", "#define t_NOPS 9\n",
      "    t_OP_RADD = 1, /* GG: 4 variants */\n",
      "    t_OP_RCVT = 5, /* FG: 2 variants */\n",
      "    t_OP_RGUARD = 7, /* G: 2 variants */\n",
      "{\"RCVT\", 5, 2, 2, {CPJIT_REG_F, CPJIT_REG_G, 0}, {1, 2, 0}, 0},",
      "{\"RADD__1_0\", t_uop_RADD__1_0_code,",
      "static const cpjit_stencil t_uops[t_NOPS] = {",
      "return cpjit_ruop_decode(t_ruops, t_NRUOPS, op, ruop, reg);"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    if (!strstr((const char *)h.bytes, want[i]))
      fail_msg("header of fixture_ruops.o lacks '%s'", want[i]);
  free(h.bytes);
  remove(out);
  free(out);
  free(in);

  buf b = fixture("fixture_ruops.o");
  patch_string(&b, ".cpjit.ruops", "FG", "FX");
  expect_reject_exact("ruops-sig", &b,
                      "section '.cpjit.ruops': register uop 'RCVT': "
                      "signature 'FX' is not 1 to 3 letters G or F");
  free(b.bytes);

  b = fixture("fixture_ruops.o");
  patch_string(&b, ".cpjit.ruops", "RADD", "R-DD");
  expect_reject_exact("ruops-name", &b,
                      "section '.cpjit.ruops': 'R-DD' is not a C identifier");
  free(b.bytes);

  b = fixture("fixture_ruops.o");
  patch_string(&b, ".cpjit.ruops", "RCVT", "RADD");
  expect_reject_exact("ruops-twice", &b,
                      "section '.cpjit.ruops': 'RADD' is listed twice");
  free(b.bytes);

  b = fixture("fixture_ruops.o");
  patch_string(&b, ".cpjit.uops", "RNOP", "RADD");
  expect_reject_exact("ruops-uop-clash", &b,
                      "section '.cpjit.ruops': 'RADD' is both a uop and a "
                      "register uop");
  free(b.bytes);

  /* "...RGUARD\0G\0\0": the last signature dropped. */
  b = fixture("fixture_ruops.o");
  size_t size, at = section_at(&b, ".cpjit.ruops", &size);
  assert_true(size >= 3 && b.bytes[at + size - 3] == 'G');
  b.bytes[at + size - 3] = '\0';
  expect_reject_exact("ruops-no-sig", &b,
                      "section '.cpjit.ruops': register uop 'RGUARD' has no "
                      "signature");
  b.bytes[at + size - 1] = 'x';
  expect_reject_exact("ruops-unterminated", &b,
                      "section '.cpjit.ruops': not a NUL-terminated list of "
                      "name and signature pairs");
  free(b.bytes);

  /* The register file: too large, empty for a G operand, or larger than
   * the variants the object defines. */
  b = fixture("fixture_ruops.o");
  at = section_at(&b, ".cpjit.regfile", &size);
  assert_int_equal(size, 2);
  assert_int_equal(b.bytes[at], 2);
  assert_int_equal(b.bytes[at + 1], 1);
  b.bytes[at] = 13;
  expect_reject_exact("regfile-large", &b,
                      "section '.cpjit.regfile': a register file of 13 GPRs "
                      "and 1 FPRs is larger than 12 and 8");
  b.bytes[at] = 0;
  expect_reject_exact("regfile-empty", &b,
                      "register uop 'RADD' (GG) has no variants: the register "
                      "file has 0 GPRs (CPJIT_NGPR) and 1 FPRs (CPJIT_NFPR)");
  b.bytes[at] = 3;
  expect_reject_exact("regfile-more", &b,
                      "stencil 'RADD__0_2': missing register uop variant: no "
                      "input defines cpjit_uop_RADD__0_2 (no "
                      "CPJIT_DEFINE_RUOPS, or another CPJIT_NGPR/CPJIT_NFPR)");
  b.bytes[at] = 2;
  b.bytes[at + 1] = 0;
  expect_reject("regfile-fewer", &b,
                "register uop 'RCVT' (FG) has no variants");
  free(b.bytes);

  /* A variant function for a register outside the file. */
  b = fixture("fixture_ruops.o");
  patch_string(&b, ".strtab", "cpjit_uop_RADD__1_1", "cpjit_uop_RADD__1_7");
  expect_reject("ruops-bad-variant", &b,
                "symbol 'cpjit_uop_RADD__1_7': function is not in the uop "
                "list (.cpjit.uops) nor a variant of a register uop");
  free(b.bytes);
  b = fixture("fixture_ruops.o");
  patch_string(&b, ".strtab", "cpjit_uop_RADD__1_1", "cpjit_uop_RADD__01_");
  expect_reject("ruops-bad-variant-name", &b,
                "symbol 'cpjit_uop_RADD__01_': function is not in the uop "
                "list");
  free(b.bytes);
}

/* Seeded random corruptions of the fixture: each run must either succeed
 * (the flipped bytes did not matter) or fail with one clean line; never a
 * signal, a sanitizer report or a leftover temporary file. */
static uint64_t rng_next(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

static void corrupt_and_run(const char *name, unsigned default_runs) {
  const char *env = getenv("CPJIT_GEN_FUZZ_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 0) : 0x5eed2026u;
  const char *envn = getenv("CPJIT_GEN_FUZZ_RUNS");
  unsigned runs = envn ? (unsigned)strtoul(envn, NULL, 0) : default_runs;
  buf good = fixture(name);
  buf b = {malloc(good.size), good.size};
  assert_non_null(b.bytes);
  char *opath = path_join(WORK_DIR, "fuzz.o");
  char *hpath = path_join(WORK_DIR, "fuzz.h");
  char tpath[600], err[8192];
  snprintf(tpath, sizeof tpath, "%s.tmp", hpath);
  uint64_t x = seed ? seed : 1;
  for (unsigned run = 0; run < runs; run++) {
    uint64_t run_seed = x;
    memcpy(b.bytes, good.bytes, good.size);
    b.size = good.size;
    unsigned flips = 1 + (unsigned)(rng_next(&x) % 4);
    for (unsigned k = 0; k < flips; k++) {
      size_t at = (size_t)(rng_next(&x) % good.size);
      /* Bias toward the headers and tables, where indices live. */
      if (rng_next(&x) % 2)
        at = (size_t)(get(&good, FIELD(Elf64_Ehdr, e_shoff)) +
                      rng_next(&x) %
                          (good.size - get(&good, FIELD(Elf64_Ehdr, e_shoff))));
      b.bytes[at] = (uint8_t)rng_next(&x);
    }
    if (rng_next(&x) % 8 == 0)
      b.size = (size_t)(rng_next(&x) % good.size);
    write_whole(opath, b.bytes, b.size);
    remove(hpath);
    const char *args[] = {"--no-disasm", "--set", "t", "--output",
                          hpath,         opath,   NULL};
    int rc = run_stencilgen(NULL, args, err, sizeof err);
    size_t len = strlen(err);
    int one_line = len > 0 && err[len - 1] == '\n' &&
                   !memchr(err, '\n', len - 1) &&
                   strncmp(err, "stencilgen: ", 12) == 0;
    if (!((rc == 0 && len == 0 && file_exists(hpath)) ||
          (rc == 1 && one_line && !file_exists(hpath))) ||
        file_exists(tpath))
      fail_msg("%s: corruption run %u (CPJIT_GEN_FUZZ_SEED=0x%llx "
               "CPJIT_GEN_FUZZ_RUNS=1 reproduces it, input kept in %s): "
               "exit %d, stderr:\n%s",
               name, run, (unsigned long long)run_seed, opath, rc, err);
  }
  free(good.bytes);
  free(b.bytes);
  free(opath);
  free(hpath);
}

static void random_corruptions_fail_cleanly(void **state) {
  (void)state;
  corrupt_and_run("fixture_set.o", 64);
}

static void random_aarch64_corruptions_fail_cleanly(void **state) {
  (void)state;
  corrupt_and_run("fixture_set_aarch64.o", 32);
}

static void random_ruops_corruptions_fail_cleanly(void **state) {
  (void)state;
  corrupt_and_run("fixture_ruops.o", 32);
}

static void good_input_leaves_no_temporary(void **state) {
  (void)state;
  char *in = path_join(FIXTURE_DIR, "fixture_set.o");
  char *out = path_join(WORK_DIR, "notmp.h");
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%s.tmp", out);
  generate(NULL, in, out, 0);
  assert_true(file_exists(out));
  assert_false(file_exists(tmp));
  /* A later failing run leaves the previous output untouched. */
  buf before = read_whole(out);
  buf bad = fixture("fixture_writable.o");
  char *badpath = path_join(WORK_DIR, "notmp-bad.o");
  write_whole(badpath, bad.bytes, bad.size);
  char err[4096];
  const char *args[] = {"--no-disasm", "--set", "t", "--output",
                        out,           badpath, NULL};
  assert_int_equal(run_stencilgen(NULL, args, err, sizeof err), 1);
  buf after = read_whole(out);
  assert_int_equal(before.size, after.size);
  assert_memory_equal(before.bytes, after.bytes, before.size);
  assert_false(file_exists(tmp));
  free(before.bytes);
  free(after.bytes);
  free(bad.bytes);
  free(badpath);
  free(in);
  free(out);
}

static void bad_command_lines_are_rejected(void **state) {
  (void)state;
  char err[4096];
  const char *no_inputs[] = {"--set", "t", "--output", "x.h", NULL};
  assert_int_equal(run_stencilgen(WORK_DIR, no_inputs, err, sizeof err), 1);
  assert_non_null(strstr(err, "stencilgen: no input files; usage: stencilgen"));
  const char *bad_opt[] = {"--sett", "t", "--output", "x.h", "a.o", NULL};
  assert_int_equal(run_stencilgen(WORK_DIR, bad_opt, err, sizeof err), 1);
  assert_non_null(strstr(err, "unknown or incomplete option '--sett'"));
  const char *no_value[] = {"a.o", "--set", "t", "--output", NULL};
  assert_int_equal(run_stencilgen(WORK_DIR, no_value, err, sizeof err), 1);
  assert_non_null(strstr(err, "unknown or incomplete option '--output'"));
  const char *bad_set[] = {"--set", "1x", "--output", "x.h", "a.o", NULL};
  assert_int_equal(run_stencilgen(WORK_DIR, bad_set, err, sizeof err), 1);
  assert_string_equal(err, "stencilgen: set name '1x' is not a C identifier\n");
  const char *missing[] = {"--set", "t", "--output", "x.h", "/nonexistent/in.o",
                           NULL};
  assert_int_equal(run_stencilgen(WORK_DIR, missing, err, sizeof err), 1);
  assert_string_equal(err, "stencilgen: /nonexistent/in.o: cannot open: No "
                           "such file or directory\n");
  /* The output is renamed into place: never over a non-regular file. */
  char *in = path_join(FIXTURE_DIR, "fixture_set.o");
  const char *to_dir[] = {"--no-disasm", "--set", "t", "--output",
                          WORK_DIR,      in,      NULL};
  assert_int_equal(run_stencilgen(NULL, to_dir, err, sizeof err), 1);
  char want[600];
  snprintf(want, sizeof want,
           "stencilgen: %s: output exists and is not a regular file\n",
           WORK_DIR);
  assert_string_equal(err, want);
  free(in);
}

int main(void) {
  mkdir(WORK_DIR, 0777);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(golden_header_matches),
      cmocka_unit_test(golden_aarch64_header_matches),
      cmocka_unit_test(output_is_deterministic),
      cmocka_unit_test(lookalike_branch_bytes_still_widen),
      cmocka_unit_test(missing_objdump_only_drops_comments),
      cmocka_unit_test(damaged_eh_frame_only_drops_cfi),
      cmocka_unit_test(damaged_aarch64_eh_frame_only_drops_cfi),
      cmocka_unit_test(truncated_files_are_rejected),
      cmocka_unit_test(wrong_machine_class_or_type_is_rejected),
      cmocka_unit_test(bad_indices_and_offsets_are_rejected),
      cmocka_unit_test(bad_relocations_are_rejected),
      cmocka_unit_test(aarch64_relocations_are_read_or_rejected),
      cmocka_unit_test(undefined_symbols_are_rejected),
      cmocka_unit_test(bad_stencil_sets_are_rejected),
      cmocka_unit_test(random_corruptions_fail_cleanly),
      cmocka_unit_test(random_aarch64_corruptions_fail_cleanly),
      cmocka_unit_test(register_uops_are_read_or_rejected),
      cmocka_unit_test(random_ruops_corruptions_fail_cleanly),
      cmocka_unit_test(good_input_leaves_no_temporary),
      cmocka_unit_test(bad_command_lines_are_rejected),
  };
  return cmocka_run_group_tests_name("stencilgen", tests, NULL, NULL);
}
