/*
 * llvm_backend.c -- the LLVM ORC baseline (see llvm_backend.h), written
 * against LLVM's C API only.
 *
 * The trace function: an entry block keeps the frame pointer in a stack
 * slot (uop functions take it by reference because a body may move it;
 * at -O2 mem2reg keeps it in a register). Block i calls uop i's function
 * with constant operands and switches on its result: BC_CONTINUE goes to
 * block i + 1, BC_JUMP to block `target`, BC_EXIT to a block returning the
 * exit's operand 0. Running off the end returns the set's step-limit value,
 * as the reference executor does. The uop functions are always_inline, so
 * both pipelines inline them and the JIT gets one function per trace.
 *
 * Sets with a register file (cpjit-lua): the trace function is
 * fn(state, frame, spill) and keeps every register of the file the trace
 * names in its own stack slot, loaded from spill[] at entry as the stencil
 * trampoline does.
 * A register uop variant (op >= nslot_ops) calls its body's function with
 * the addresses of the slots of the registers the variant names; once the
 * bodies are inlined SROA/mem2reg turns the slots into SSA values (at -O2;
 * -O0 keeps them in memory). Every exit block stores those registers into
 * spill[0..ngpr+nfpr) before returning, as the stencil exit stub does (the
 * registers the trace never names still hold what entry found there), so
 * the host's exit handling (trace.c jit_restore) works unchanged.
 */
#define _POSIX_C_SOURCE 200809L
#include "llvm_backend.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "uop_function_abi.h"

/* Largest register file a set may have (cpjit_stencil.h: 12 + 8). */
#define CPJIT_BENCH_MAX_FILE 20

struct llvm_backend {
  const bench_set *set;
  int opt;
  LLVMOrcThreadSafeContextRef tsc;
  LLVMContextRef ctx;
  LLVMModuleRef base;       /* the parsed bitcode, never handed out */
  LLVMModuleRef *op_module; /* per function: base cut down to it */
  LLVMTargetMachineRef tm;  /* passes and size measurement */
  LLVMOrcLLJITRef jit;
  LLVMOrcJITDylibRef jd;
  LLVMPassBuilderOptionsRef pbo;
  /* Functions: nslot_ops plain uops, then one per register uop body. */
  uint32_t nfuncs;
  char **uop_fn_names; /* "cpjit_bc_uop_<NAME>", "cpjit_bc_ruop_<NAME>" */
  uint64_t parse_ns;
  uint64_t counter; /* unique trace function names */
};

/* Thread CPU time: an LLVM compile takes milliseconds and is measured
 * once, so on a shared machine wall time would count other processes'
 * time slices; reading this clock (~1-3 us) is noise at that scale. LLJIT
 * compiles on the calling thread (no compile threads are configured). */
static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Move an LLVM error's message into err; returns -1. */
static int take_error(LLVMErrorRef e, const char *what, char *err,
                      size_t errlen) {
  char *msg = LLVMGetErrorMessage(e);
  snprintf(err, errlen, "%s: %s", what, msg);
  LLVMDisposeErrorMessage(msg);
  return -1;
}

static LLVMTargetMachineRef host_machine(int opt, char *err, size_t errlen) {
  char *triple = LLVMGetDefaultTargetTriple();
  LLVMTargetRef target;
  char *msg = NULL;
  if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
    snprintf(err, errlen, "no LLVM target for %s: %s", triple, msg);
    LLVMDisposeMessage(msg);
    LLVMDisposeMessage(triple);
    return NULL;
  }
  char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
  LLVMTargetMachineRef tm = LLVMCreateTargetMachine(
      target, triple, cpu, features,
      opt ? LLVMCodeGenLevelDefault : LLVMCodeGenLevelNone, LLVMRelocDefault,
      LLVMCodeModelJITDefault);
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(features);
  LLVMDisposeMessage(triple);
  if (!tm)
    snprintf(err, errlen, "cannot create an LLVM target machine");
  return tm;
}

/* Give every external function the bitcode declares (host helpers, libm)
 * the benchmark's address for it. */
static int define_helpers(llvm_backend *B, char *err, size_t errlen) {
  size_t n = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(B->base); f;
       f = LLVMGetNextFunction(f))
    if (LLVMIsDeclaration(f) && !LLVMGetIntrinsicID(f))
      n++;
  if (n == 0)
    return 0;
  LLVMOrcCSymbolMapPair *pairs = calloc(n, sizeof *pairs);
  if (!pairs) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  size_t k = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(B->base); f;
       f = LLVMGetNextFunction(f)) {
    if (!LLVMIsDeclaration(f) || LLVMGetIntrinsicID(f))
      continue;
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    const void *addr = bench_helper_address(name);
    if (!addr)
      addr = (const void *)(uintptr_t)&bench_missing_helper;
    pairs[k].Name = LLVMOrcLLJITMangleAndIntern(B->jit, name);
    pairs[k].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)addr;
    pairs[k].Sym.Flags.GenericFlags =
        LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable;
    pairs[k].Sym.Flags.TargetFlags = 0;
    k++;
  }
  LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(pairs, k);
  free(pairs);
  LLVMErrorRef e = LLVMOrcJITDylibDefine(B->jd, mu);
  if (e)
    return take_error(e, "defining helper symbols", err, errlen);
  return 0;
}

/* One small module per op holding only that op's function (and the
 * declarations it needs), so a trace links in just the bodies it uses
 * instead of cloning every body of the set. Done once, like parsing. */
static int split_ops(llvm_backend *B, char *err, size_t errlen) {
  uint32_t nops = B->nfuncs;
  B->op_module = calloc(nops, sizeof *B->op_module);
  if (!B->op_module) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < nops; i++) {
    LLVMModuleRef m = LLVMCloneModule(B->base);
    LLVMValueRef keep = LLVMGetNamedFunction(m, B->uop_fn_names[i]);
    LLVMValueRef f = LLVMGetFirstFunction(m);
    while (f) {
      LLVMValueRef next = LLVMGetNextFunction(f);
      if (f != keep && !LLVMIsDeclaration(f))
        LLVMDeleteFunction(f);
      f = next;
    }
    /* External, so the linker copies it although nothing refers to it
     * yet; drop_unused_functions() makes it internal in the trace. */
    B->op_module[i] = m;
  }
  return 0;
}

int llvm_backend_open(llvm_backend **out, const bench_set *set,
                      const char *bc_path, int opt, char *err, size_t errlen) {
  *out = NULL;
  LLVMInitializeNativeTarget();
  LLVMInitializeNativeAsmPrinter();
  llvm_backend *B = calloc(1, sizeof *B);
  if (!B) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  B->set = set;
  B->opt = opt;
  B->tsc = LLVMOrcCreateNewThreadSafeContext();
  B->ctx = LLVMOrcThreadSafeContextGetContext(B->tsc);

  uint64_t t0 = now_ns();
  LLVMMemoryBufferRef buf;
  char *msg = NULL;
  if (LLVMCreateMemoryBufferWithContentsOfFile(bc_path, &buf, &msg)) {
    snprintf(err, errlen, "%s: %s", bc_path, msg);
    LLVMDisposeMessage(msg);
    goto fail;
  }
  int bad = LLVMParseBitcodeInContext2(B->ctx, buf, &B->base);
  LLVMDisposeMemoryBuffer(buf);
  if (bad) {
    snprintf(err, errlen, "%s: not valid LLVM bitcode", bc_path);
    goto fail;
  }
  B->parse_ns = now_ns() - t0;

  if (set->nslot_ops > set->ops.count ||
      (set->nruops && set->ngpr + set->nfpr == 0) ||
      (set->ngpr + set->nfpr && !set->spill_arg)) {
    snprintf(err, errlen, "set %s: inconsistent op or register file sizes",
             set->name);
    goto fail;
  }
  uint32_t nops = set->nslot_ops + set->nruops;
  B->nfuncs = nops;
  B->uop_fn_names = calloc(nops, sizeof *B->uop_fn_names);
  if (!B->uop_fn_names) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  unsigned extra = set->spill_arg ? 1u : 0u;
  for (uint32_t i = 0; i < nops; i++) {
    int reg = i >= set->nslot_ops;
    const char *prefix = reg ? BC_RUOP_SYMBOL_PREFIX : BC_UOP_SYMBOL_PREFIX;
    const char *base_name =
        reg ? set->ruops[i - set->nslot_ops].name : set->ops.names[i];
    unsigned want =
        5u + extra + (reg ? set->ruops[i - set->nslot_ops].noperands : 0u);
    size_t len = strlen(prefix) + strlen(base_name) + 1;
    B->uop_fn_names[i] = malloc(len);
    if (!B->uop_fn_names[i]) {
      snprintf(err, errlen, "out of memory");
      goto fail;
    }
    snprintf(B->uop_fn_names[i], len, "%s%s", prefix, base_name);
    LLVMValueRef f = LLVMGetNamedFunction(B->base, B->uop_fn_names[i]);
    if (!f || LLVMIsDeclaration(f) || LLVMCountParams(f) != want) {
      snprintf(err, errlen,
               "%s: no definition of %s with %u parameters; was the bitcode "
               "built from this uop list?",
               bc_path, B->uop_fn_names[i], want);
      goto fail;
    }
  }

  B->tm = host_machine(opt, err, errlen);
  LLVMTargetMachineRef jit_tm = B->tm ? host_machine(opt, err, errlen) : NULL;
  if (!jit_tm)
    goto fail;
  LLVMOrcLLJITBuilderRef jb = LLVMOrcCreateLLJITBuilder();
  LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(
      jb, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(jit_tm));
  LLVMErrorRef e = LLVMOrcCreateLLJIT(&B->jit, jb);
  if (e) {
    take_error(e, "creating the LLJIT", err, errlen);
    goto fail;
  }
  B->jd = LLVMOrcLLJITGetMainJITDylib(B->jit);
  LLVMSetDataLayout(B->base, LLVMOrcLLJITGetDataLayoutStr(B->jit));
  LLVMSetTarget(B->base, LLVMOrcLLJITGetTripleString(B->jit));
  if (define_helpers(B, err, errlen))
    goto fail;
  if (split_ops(B, err, errlen))
    goto fail;
  B->pbo = LLVMCreatePassBuilderOptions();
  *out = B;
  return 0;
fail:
  llvm_backend_close(B);
  return -1;
}

uint64_t llvm_backend_parse_ns(const llvm_backend *B) { return B->parse_ns; }

/* -- Building a trace ------------------------------------------------------ */

/* The function of `op` (index into uop_fn_names) and, for a register uop
 * variant, its registers: file index (G registers first, then F) per
 * operand. Returns -1 when op is not an op of the set. */
static int op_function(const llvm_backend *B, uint32_t op, uint32_t *fi,
                       unsigned *nregs, uint32_t regs[3]) {
  const bench_set *set = B->set;
  *nregs = 0;
  if (op < set->nslot_ops) {
    *fi = op;
    return 0;
  }
  uint32_t which;
  uint8_t reg[3];
  if (!set->nruops ||
      !cpjit_ruop_decode(set->ruops, set->nruops, op, &which, reg))
    return -1;
  const cpjit_ruop_info *ri = &set->ruops[which];
  for (unsigned k = 0; k < ri->noperands; k++) {
    uint32_t limit = ri->cls[k] == CPJIT_REG_F ? set->nfpr : set->ngpr;
    if (reg[k] >= limit)
      return -1;
    regs[k] = ri->cls[k] == CPJIT_REG_F ? set->ngpr + reg[k] : reg[k];
  }
  *nregs = ri->noperands;
  *fi = set->nslot_ops + which;
  return 0;
}

static int build_trace(llvm_backend *B, LLVMModuleRef M, const char *name,
                       const cpjit_uop *u, uint32_t n, const cpjit_exit *e,
                       uint32_t ne, char *err, size_t errlen) {
  LLVMContextRef C = B->ctx;
  LLVMTypeRef i64 = LLVMInt64TypeInContext(C);
  LLVMTypeRef ptr = LLVMPointerTypeInContext(C, 0);
  LLVMTypeRef f64 = LLVMDoubleTypeInContext(C);
  const bench_set *set = B->set;
  unsigned nparams = set->spill_arg ? 3 : 2;
  uint32_t nfile = set->ngpr + set->nfpr;
  LLVMTypeRef params[3] = {ptr, ptr, ptr};
  LLVMTypeRef fty = LLVMFunctionType(i64, params, nparams, 0);
  LLVMValueRef fn = LLVMAddFunction(M, name, fty);
  LLVMBuilderRef b = LLVMCreateBuilderInContext(C);
  LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(C, fn, "entry");
  LLVMBasicBlockRef *blocks = malloc((size_t)n * sizeof *blocks);
  LLVMBasicBlockRef *exits = malloc((size_t)(ne ? ne : 1) * sizeof *exits);
  LLVMValueRef *fns = calloc(B->nfuncs, sizeof *fns);
  LLVMValueRef file[CPJIT_BENCH_MAX_FILE];
  int rc = -1;
  if (!blocks || !exits || !fns) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  if (nfile > CPJIT_BENCH_MAX_FILE) {
    snprintf(err, errlen, "register file of %u registers: too large", nfile);
    goto done;
  }
  /* Entry: the frame and the register file in stack slots, the file
   * loaded from the spill area's dump (the trampoline's job). */
  LLVMPositionBuilderAtEnd(b, entry);
  LLVMValueRef state = LLVMGetParam(fn, 0);
  LLVMValueRef frame = LLVMBuildAlloca(b, ptr, "frame");
  LLVMValueRef spill = set->spill_arg ? LLVMGetParam(fn, 2) : NULL;
  LLVMBuildStore(b, LLVMGetParam(fn, 1), frame);
  /* Only the registers the trace names: the others keep the values the
   * entry would load, so neither loading nor dumping them changes spill[]
   * (and the exits' IR, which -O2 cannot drop, stays small). */
  unsigned char used[CPJIT_BENCH_MAX_FILE] = {0};
  for (uint32_t i = 0; i < n; i++) {
    uint32_t fi, regs[3];
    unsigned nregs;
    if (op_function(B, u[i].op, &fi, &nregs, regs) == 0)
      for (unsigned k = 0; k < nregs; k++)
        used[regs[k]] = 1;
  }
  for (uint32_t r = 0; r < nfile; r++) {
    LLVMTypeRef ty = r < set->ngpr ? i64 : f64;
    file[r] = NULL;
    if (!used[r])
      continue;
    file[r] = LLVMBuildAlloca(b, ty, "");
    LLVMValueRef idx = LLVMConstInt(i64, r, 0);
    LLVMValueRef at = LLVMBuildGEP2(b, i64, spill, &idx, 1, "");
    LLVMValueRef v = LLVMBuildLoad2(b, ty, at, "");
    LLVMBuildStore(b, v, file[r]);
  }

  for (uint32_t i = 0; i < n; i++)
    blocks[i] = LLVMAppendBasicBlockInContext(C, fn, "");
  for (uint32_t i = 0; i < ne; i++) {
    /* An exit dumps the register file (the exit stub's job). */
    exits[i] = LLVMAppendBasicBlockInContext(C, fn, "");
    LLVMPositionBuilderAtEnd(b, exits[i]);
    for (uint32_t r = 0; r < nfile; r++) {
      if (!used[r])
        continue;
      LLVMTypeRef ty = r < set->ngpr ? i64 : f64;
      LLVMValueRef idx = LLVMConstInt(i64, r, 0);
      LLVMValueRef at = LLVMBuildGEP2(b, i64, spill, &idx, 1, "");
      LLVMBuildStore(b, LLVMBuildLoad2(b, ty, file[r], ""), at);
    }
    LLVMBuildRet(b, LLVMConstInt(i64, e[i].operand[0], 0));
  }
  LLVMBasicBlockRef off_end = LLVMAppendBasicBlockInContext(C, fn, "off_end");
  LLVMPositionBuilderAtEnd(b, off_end);
  LLVMBuildRet(b, LLVMConstInt(i64, B->set->step_limit, 0));

  LLVMPositionBuilderAtEnd(b, entry);
  LLVMBuildBr(b, blocks[0]);

  for (uint32_t i = 0; i < n; i++) {
    uint32_t fi, regs[3];
    unsigned nregs;
    if (op_function(B, u[i].op, &fi, &nregs, regs) != 0) {
      snprintf(err, errlen, "uop %u: op %u outside the set", i,
               (unsigned)u[i].op);
      goto done;
    }
    LLVMValueRef f = fns[fi];
    if (!f) {
      f = LLVMGetNamedFunction(M, B->uop_fn_names[fi]);
      fns[fi] = f;
    }
    LLVMPositionBuilderAtEnd(b, blocks[i]);
    LLVMValueRef args[9];
    unsigned na = 0;
    args[na++] = state;
    args[na++] = frame;
    if (spill)
      args[na++] = spill;
    args[na++] = LLVMConstInt(i64, u[i].operand[0], 0);
    args[na++] = LLVMConstInt(i64, u[i].operand[1], 0);
    args[na++] = LLVMConstInt(i64, u[i].arg, 0);
    for (unsigned k = 0; k < nregs; k++)
      args[na++] = file[regs[k]];
    LLVMValueRef r =
        LLVMBuildCall2(b, LLVMGlobalGetValueType(f), f, args, na, "");
    LLVMBasicBlockRef next = i + 1 < n ? blocks[i + 1] : off_end;
    LLVMValueRef sw = LLVMBuildSwitch(b, r, next, 2);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(C);
    LLVMAddCase(sw, LLVMConstInt(i32, BC_JUMP, 0),
                u[i].target < n ? blocks[u[i].target] : off_end);
    LLVMAddCase(sw, LLVMConstInt(i32, BC_EXIT, 0),
                u[i].exit < ne ? exits[u[i].exit] : off_end);
  }
  rc = 0;
done:
  free(blocks);
  free(exits);
  free(fns);
  LLVMDisposeBuilder(b);
  return rc;
}

/* Delete defined functions nothing calls (the uop functions the trace does
 * not use, and after inlining the ones it did). `keep` stays. */
static void drop_unused_functions(LLVMModuleRef M, LLVMValueRef keep) {
  LLVMValueRef f = LLVMGetFirstFunction(M);
  while (f) {
    LLVMValueRef next = LLVMGetNextFunction(f);
    if (f != keep && !LLVMIsDeclaration(f) && !LLVMGetFirstUse(f))
      LLVMDeleteFunction(f);
    else if (f != keep && !LLVMIsDeclaration(f))
      LLVMSetLinkage(f, LLVMInternalLinkage);
    f = next;
  }
}

/* Sum of the sizes of the executable sections of an ELF64 object. */
static int elf_text_bytes(const char *p, size_t size, size_t *out) {
  Elf64_Ehdr eh;
  if (size < sizeof eh)
    return -1;
  memcpy(&eh, p, sizeof eh);
  if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_shentsize != sizeof(Elf64_Shdr))
    return -1;
  if (eh.e_shoff > size ||
      (size - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum)
    return -1;
  size_t total = 0;
  for (unsigned i = 0; i < eh.e_shnum; i++) {
    Elf64_Shdr sh;
    memcpy(&sh, p + eh.e_shoff + i * sizeof sh, sizeof sh);
    if ((sh.sh_flags & SHF_EXECINSTR) && sh.sh_type == SHT_PROGBITS)
      total += sh.sh_size;
  }
  *out = total;
  return 0;
}

static int measure_text(llvm_backend *B, LLVMModuleRef M, size_t *out,
                        char *err, size_t errlen) {
  LLVMModuleRef copy = LLVMCloneModule(M);
  LLVMMemoryBufferRef obj = NULL;
  char *msg = NULL;
  if (LLVMTargetMachineEmitToMemoryBuffer(B->tm, copy, LLVMObjectFile, &msg,
                                          &obj)) {
    snprintf(err, errlen, "emitting an object: %s", msg);
    LLVMDisposeMessage(msg);
    LLVMDisposeModule(copy);
    return -1;
  }
  LLVMDisposeModule(copy);
  int rc = elf_text_bytes(LLVMGetBufferStart(obj), LLVMGetBufferSize(obj), out);
  LLVMDisposeMemoryBuffer(obj);
  if (rc)
    snprintf(err, errlen, "emitted object is not ELF64");
  return rc;
}

/* Link a copy of each distinct op's module into M. */
static int link_ops(llvm_backend *B, LLVMModuleRef M, const cpjit_uop *u,
                    uint32_t n, char *err, size_t errlen) {
  unsigned char *seen = calloc(B->nfuncs, 1);
  if (!seen) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  int rc = 0;
  for (uint32_t i = 0; i < n && rc == 0; i++) {
    uint32_t fi, regs[3];
    unsigned nregs;
    if (op_function(B, u[i].op, &fi, &nregs, regs) != 0) {
      snprintf(err, errlen, "uop %u: op %u outside the set", i,
               (unsigned)u[i].op);
      rc = -1;
    } else if (!seen[fi]) {
      seen[fi] = 1;
      if (LLVMLinkModules2(M, LLVMCloneModule(B->op_module[fi]))) {
        snprintf(err, errlen, "linking %s failed", B->uop_fn_names[fi]);
        rc = -1;
      }
    }
  }
  free(seen);
  return rc;
}

int llvm_backend_compile(llvm_backend *B, const cpjit_uop *u, uint32_t n,
                         const cpjit_exit *e, uint32_t ne, int measure_size,
                         llvm_trace *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (n == 0) {
    snprintf(err, errlen, "empty trace");
    return -1;
  }
  char name[48];
  snprintf(name, sizeof name, "cpjit_llvm_trace_%llu",
           (unsigned long long)++B->counter);

  uint64_t t0 = now_ns();
  LLVMModuleRef M = LLVMModuleCreateWithNameInContext(name, B->ctx);
  LLVMSetDataLayout(M, LLVMGetDataLayoutStr(B->base));
  LLVMSetTarget(M, LLVMGetTarget(B->base));
  if (link_ops(B, M, u, n, err, errlen) ||
      build_trace(B, M, name, u, n, e, ne, err, errlen)) {
    LLVMDisposeModule(M);
    return -1;
  }
  LLVMValueRef fn = LLVMGetNamedFunction(M, name);
  drop_unused_functions(M, fn);
  uint64_t t1 = now_ns();
  LLVMErrorRef le =
      LLVMRunPasses(M, B->opt ? "default<O2>" : "default<O0>", B->tm, B->pbo);
  if (le) {
    LLVMDisposeModule(M);
    return take_error(le, "running passes", err, errlen);
  }
  drop_unused_functions(M, fn);
  uint64_t t2 = now_ns();
  /* CPJIT_BENCH_LLVM_DUMP=DIR writes each optimized trace module as
   * DIR/trace_<N>_O<level>.ll (outside the timing that matters little). */
  const char *dump = getenv("CPJIT_BENCH_LLVM_DUMP");
  if (dump && *dump) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s_O%d.ll", dump, name, B->opt);
    char *msg = NULL;
    if (LLVMPrintModuleToFile(M, path, &msg)) {
      fprintf(stderr, "compile-bench: %s: %s\n", path, msg);
      LLVMDisposeMessage(msg);
    }
  }

  if (measure_size && measure_text(B, M, &out->text_bytes, err, errlen)) {
    LLVMDisposeModule(M);
    return -1;
  }

  uint64_t t3 = now_ns();
  LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(B->jd);
  LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(M, B->tsc);
  le = LLVMOrcLLJITAddLLVMIRModuleWithRT(B->jit, rt, tsm);
  if (le) {
    LLVMOrcDisposeThreadSafeModule(tsm);
    LLVMOrcReleaseResourceTracker(rt);
    return take_error(le, "adding the module", err, errlen);
  }
  LLVMOrcExecutorAddress addr = 0;
  le = LLVMOrcLLJITLookup(B->jit, &addr, name);
  uint64_t t4 = now_ns();
  if (le) {
    LLVMOrcResourceTrackerRemove(rt);
    LLVMOrcReleaseResourceTracker(rt);
    return take_error(le, "looking the trace up", err, errlen);
  }
  out->entry = (void *)(uintptr_t)addr;
  out->ns_ir = t1 - t0;
  out->ns_opt = t2 - t1;
  out->ns_jit = t4 - t3;
  out->ns_total = out->ns_ir + out->ns_opt + out->ns_jit;
  out->tracker_ = rt;
  return 0;
}

void llvm_backend_release(llvm_backend *B, llvm_trace *t) {
  (void)B;
  if (!t->tracker_)
    return;
  LLVMErrorRef e = LLVMOrcResourceTrackerRemove(t->tracker_);
  if (e)
    LLVMConsumeError(e);
  LLVMOrcReleaseResourceTracker(t->tracker_);
  t->tracker_ = NULL;
  t->entry = NULL;
}

void llvm_backend_close(llvm_backend *B) {
  if (!B)
    return;
  if (B->jit) {
    LLVMErrorRef e = LLVMOrcDisposeLLJIT(B->jit);
    if (e)
      LLVMConsumeError(e);
  }
  if (B->pbo)
    LLVMDisposePassBuilderOptions(B->pbo);
  if (B->op_module)
    for (uint32_t i = 0; i < B->nfuncs; i++)
      if (B->op_module[i])
        LLVMDisposeModule(B->op_module[i]);
  free(B->op_module);
  if (B->base)
    LLVMDisposeModule(B->base);
  if (B->tm)
    LLVMDisposeTargetMachine(B->tm);
  if (B->uop_fn_names)
    for (uint32_t i = 0; i < B->nfuncs; i++)
      free(B->uop_fn_names[i]);
  free(B->uop_fn_names);
  if (B->tsc)
    LLVMOrcDisposeThreadSafeContext(B->tsc);
  free(B);
}

typedef uint64_t (*llvm_entry_fn)(void *state, void *frame);
typedef uint64_t (*llvm_entry3_fn)(void *state, void *frame, void *spill);

uint64_t llvm_backend_run(const bench_set *set, const llvm_trace *t, void *w) {
  void *state, *frame, *spill;
  set->world_args(w, &state, &frame, &spill);
  if (set->spill_arg) {
    llvm_entry3_fn f;
    memcpy(&f, &t->entry, sizeof f);
    return f(state, frame, spill);
  }
  llvm_entry_fn f;
  memcpy(&f, &t->entry, sizeof f);
  return f(state, frame);
}
