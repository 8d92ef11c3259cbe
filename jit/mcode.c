/*
 * mcode.c -- executable memory for cpjit (Linux).
 *
 * Invariants:
 *   - No page is ever writable and executable at the same address.
 *   - Preferred strategy: one memfd, each chunk mapped twice (PROT_READ|
 *     PROT_WRITE view for the JIT, PROT_READ|PROT_EXEC view for running).
 *     Writing a trace then costs no system call at all.
 *   - With CPJIT_FLAG_PERF_MAP the two views are made from shared
 *     anonymous memory instead of a memfd: the RX view is mapped
 *     MAP_SHARED|MAP_ANONYMOUS (writable first), mremap(old_size 0) makes
 *     the RW alias of the same pages, then the first view is mprotected to
 *     RX. Such memory shows as "/dev/zero (deleted)" in the mmap events
 *     perf records, which perf treats as anonymous and so resolves through
 *     /tmp/perf-<pid>.map; a memfd shows as "/memfd:..." and perf ignores
 *     the perf map for it.
 *   - CPJIT_FLAG_STRICT_WX: the write view is PROT_NONE except while
 *     cpjit writes (a compile, an exit link): two mprotect calls each.
 *   - Fallback (memfd unavailable, CPJIT_FLAG_NO_DUAL_MAP, or the
 *     environment variable CPJIT_NO_DUAL_MAP set and not "0"): one
 *     PROT_READ|PROT_EXEC mapping per chunk; writes are bracketed by
 *     mprotect(RW) ... mprotect(RX) of the pages touched.
 *   - Traces are packed into chunks (first fit over a sorted free list kept
 *     in ordinary memory); a chunk that empties stays mapped for reuse, so
 *     the steady state makes no system call. Chunks are unmapped by
 *     cpjit_flush/cpjit_close.
 *   - The total mapped size never exceeds the budget.
 *   - Chunks are placed within +-2 GiB of `near` when possible, so stencils'
 *     rel32 calls reach the host's helpers directly.
 *   - AArch64: when the stencil set was compiled with branch protection
 *     (its trampoline starts with a landing pad) code
 *     is mapped PROT_BTI, a guarded page: an indirect branch into trace
 *     code that does not land on a BTI instruction traps, as it does in
 *     the host's own BTI-marked code. Kernels or CPUs without BTI refuse
 *     PROT_BTI (EINVAL): the flag is then dropped for good.
 */
#define _GNU_SOURCE
#include "machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1u
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#if defined(__aarch64__) && !defined(PROT_BTI)
#define PROT_BTI 0x10 /* Linux, arm64 */
#endif

#define NEAR_RANGE ((uint64_t)1 << 31)

/* -- System calls through the (possibly injected) hooks ------------------ */

/* A request for an executable view carries M->xprot's extra bits; when the
 * system refuses them (EINVAL: PROT_BTI without kernel or CPU support),
 * they are dropped for the rest of the instance's life and the call made
 * again without them. */
static bool drop_extra_prot(mcode *M, int *prot) {
  int extra = M->xprot & ~(PROT_READ | PROT_EXEC);
  if (!extra || !(*prot & PROT_EXEC) || errno != EINVAL)
    return false;
  M->xprot &= ~extra;
  *prot &= ~extra;
  return true;
}

static void *sys_mmap(mcode *M, void *addr, size_t len, int prot, int flags,
                      int fd, int64_t off) {
  M->J->stats.syscalls++;
  errno = 0;
  void *p = M->J->ops.mmap(addr, len, prot, flags, fd, off);
  if (p == MAP_FAILED && drop_extra_prot(M, &prot)) {
    M->J->stats.syscalls++;
    p = M->J->ops.mmap(addr, len, prot, flags, fd, off);
  }
  return p;
}

static int sys_munmap(mcode *M, void *addr, size_t len) {
  M->J->stats.syscalls++;
  return M->J->ops.munmap(addr, len);
}

static int sys_mprotect(mcode *M, void *addr, size_t len, int prot) {
  M->J->stats.syscalls++;
  errno = 0;
  int r = M->J->ops.mprotect(addr, len, prot);
  if (r != 0 && drop_extra_prot(M, &prot)) {
    M->J->stats.syscalls++;
    r = M->J->ops.mprotect(addr, len, prot);
  }
  return r;
}

void cpjit_mcode_init(mcode *M, cpjit_jit *J, const cpjit_config *cfg) {
  memset(M, 0, sizeof *M);
  M->J = J;
  long pg = sysconf(_SC_PAGESIZE);
  M->page = pg > 0 ? (size_t)pg : 4096;
  M->budget = cfg->code_budget ? cfg->code_budget : (size_t)64 << 20;
  size_t cs = cfg->chunk_size ? cfg->chunk_size : (size_t)1 << 20;
  M->chunk_size = (cs + M->page - 1) & ~(M->page - 1);
  M->fd = -1;
  M->near = (cfg->flags & CPJIT_FLAG_NO_NEAR) ? NULL : (const uint8_t *)cfg->near;
  M->xprot = PROT_READ | PROT_EXEC;
#if defined(__aarch64__)
  const cpjit_stencil *tr = cfg->set->trampoline;
  if (cpjit_mach_call_landing_pad(tr->code, tr->code_size))
    M->xprot |= PROT_BTI;
#endif
}

/* -- Placement ----------------------------------------------------------- */

static bool within_reach(const uint8_t *near, const uint8_t *p, size_t size) {
  if (!near)
    return true;
  uint64_t a = (uint64_t)(uintptr_t)p, n = (uint64_t)(uintptr_t)near;
  uint64_t lo = a < n ? a : n, hi = a + size > n ? a + size : n;
  return hi - lo < NEAR_RANGE - ((uint64_t)16 << 20);
}

/* Map `size` bytes with the given protection, near M->near when possible.
 * Candidates step away from `near` below and above it; MAP_FIXED_NOREPLACE
 * never clobbers an existing mapping. */
static void *map_near(mcode *M, size_t size, int prot, int flags, int fd,
                      int64_t off) {
  if (M->near) {
    uint64_t n = (uint64_t)(uintptr_t)M->near;
    uint64_t step = (uint64_t)64 << 20; /* 64 MiB */
    for (int i = 1; i <= 24; i++) {
      uint64_t d = step * (uint64_t)((i + 1) / 2);
      uint64_t cand = (i & 1) ? n - d : n + d;
      if ((i & 1) && n < d + ((uint64_t)1 << 24))
        continue; /* would wrap below the low end of the address space */
      cand &= ~(uint64_t)(M->page - 1);
      void *p = sys_mmap(M, (void *)(uintptr_t)cand, size, prot,
                         flags | MAP_FIXED_NOREPLACE, fd, off);
      if (p == MAP_FAILED)
        continue;
      if (within_reach(M->near, p, size))
        return p;
      sys_munmap(M, p, size); /* kernel without NOREPLACE put it elsewhere */
    }
  }
  return sys_mmap(M, NULL, size, prot, flags, fd, off);
}

/* -- Chunks -------------------------------------------------------------- */

static bool dual_setup(mcode *M) {
  if (M->tried)
    return M->dual;
  M->tried = true;
  if (M->J->cfg.flags & CPJIT_FLAG_NO_DUAL_MAP)
    return false;
  /* Emulators that translate guest code (qemu-user) notice writes to code
   * only through the address it runs at, never through an alias: under
   * them the dual mapping would run stale translations of reused blocks. */
  const char *env = getenv("CPJIT_NO_DUAL_MAP");
  if (env && env[0] && strcmp(env, "0") != 0)
    return false;
  if (M->J->cfg.flags & CPJIT_FLAG_PERF_MAP) {
    M->dual = true; /* shared anonymous views, no memfd (see above) */
    return true;
  }
  M->J->stats.syscalls++;
  int fd = M->J->ops.memfd_create("cpjit-code", MFD_CLOEXEC);
  if (fd < 0)
    return false;
  M->fd = fd;
  M->dual = true;
  return true;
}

static void write_veneers(mcode *M, mcode_chunk *c) {
  const void *const *helpers = M->J->cfg.helpers;
  for (uint32_t i = 0; i < c->nveneers; i++)
    cpjit_mach_write_veneer(c->rw + (size_t)i * CPJIT_VENEER_SIZE,
                            (uint64_t)(uintptr_t)helpers[i]);
}

static cpjit_status chunk_new(mcode *M, size_t size, mcode_chunk **out) {
  uint32_t nven = M->J->cfg.nhelpers;
  size_t head = ((size_t)nven * CPJIT_VENEER_SIZE + 15) & ~(size_t)15;
  size = (size + head + M->page - 1) & ~(M->page - 1);
  if (size > M->budget)
    return CPJIT_ERR_TOO_BIG;
  if (M->mapped + size > M->budget)
    return CPJIT_ERR_BUDGET;
  mcode_chunk *c = cpjit_mem_alloc(M->J, sizeof *c);
  if (!c)
    return CPJIT_ERR_NOMEM;
  memset(c, 0, sizeof *c);
  c->capfree = 8;
  c->free = cpjit_mem_alloc(M->J, c->capfree * sizeof *c->free);
  if (!c->free) {
    cpjit_mem_free(M->J, c, sizeof *c);
    return CPJIT_ERR_NOMEM;
  }
  c->size = size;
  c->nveneers = nven;
  if (dual_setup(M) && M->fd < 0) {
    void *rx = map_near(M, size, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (rx == MAP_FAILED)
      goto fail;
    M->J->stats.syscalls++;
    void *rw = mremap(rx, 0, size, MREMAP_MAYMOVE);
    if (rw == MAP_FAILED) {
      sys_munmap(M, rx, size);
      goto fail;
    }
    if (sys_mprotect(M, rx, size, M->xprot) != 0) {
      sys_munmap(M, rw, size);
      sys_munmap(M, rx, size);
      goto fail;
    }
    c->rx = rx;
    c->rw = rw;
    write_veneers(M, c);
  } else if (M->dual) {
    int64_t off = M->fd_size;
    M->J->stats.syscalls++;
    if (M->J->ops.ftruncate(M->fd, off + (int64_t)size) != 0)
      goto fail;
    M->fd_size = off + (int64_t)size;
    void *rx = map_near(M, size, M->xprot, MAP_SHARED, M->fd, off);
    if (rx == MAP_FAILED)
      goto fail;
    void *rw = sys_mmap(M, NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
                        M->fd, off);
    if (rw == MAP_FAILED) {
      sys_munmap(M, rx, size);
      goto fail;
    }
    c->rx = rx;
    c->rw = rw;
    c->fd_off = off;
    write_veneers(M, c);
    /* Strict W^X: the write view stays inaccessible outside writes. */
    if ((M->J->cfg.flags & CPJIT_FLAG_STRICT_WX) &&
        sys_mprotect(M, rw, size, PROT_NONE) != 0) {
      sys_munmap(M, rw, size);
      sys_munmap(M, rx, size);
      goto fail;
    }
  } else {
    /* Mapped writable (not executable) to write the veneers, then flipped
     * to read-execute before any code runs from it. */
    void *p = map_near(M, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
      goto fail;
    c->rx = c->rw = p;
    write_veneers(M, c);
    if (sys_mprotect(M, p, size, M->xprot) != 0) {
      sys_munmap(M, p, size);
      goto fail;
    }
  }
  cpjit_mcode_flush(M, c->rx, head);
  c->free[0].off = head;
  c->free[0].size = size - head;
  c->nfree = size > head;
  c->next = M->chunks;
  M->chunks = c;
  M->mapped += size;
  M->J->stats.mapped_bytes = M->mapped;
  *out = c;
  return CPJIT_OK;
fail:
  cpjit_mem_free(M->J, c->free, c->capfree * sizeof *c->free);
  cpjit_mem_free(M->J, c, sizeof *c);
  return CPJIT_ERR_MMAP;
}

static void chunk_unmap(mcode *M, mcode_chunk *c) {
  sys_munmap(M, c->rx, c->size);
  if (c->rw != c->rx)
    sys_munmap(M, c->rw, c->size);
  M->mapped -= c->size;
  cpjit_mem_free(M->J, c->free, c->capfree * sizeof *c->free);
  cpjit_mem_free(M->J, c, sizeof *c);
}

void cpjit_mcode_unmap_all(mcode *M) {
  mcode_chunk *c = M->chunks;
  while (c) {
    mcode_chunk *next = c->next;
    chunk_unmap(M, c);
    c = next;
  }
  M->chunks = NULL;
  M->J->stats.mapped_bytes = M->mapped;
  if (M->fd >= 0) {
    close(M->fd);
    M->fd = -1;
  }
  M->fd_size = 0;
  M->tried = false;
  M->dual = false;
}

/* -- Block allocator ----------------------------------------------------- */

static bool chunk_take(mcode_chunk *c, size_t size, size_t *off) {
  for (uint32_t i = 0; i < c->nfree; i++) {
    mcode_free *f = &c->free[i];
    if (f->size >= size) {
      *off = f->off;
      f->off += size;
      f->size -= size;
      if (f->size == 0) {
        memmove(f, f + 1, (c->nfree - i - 1) * sizeof *f);
        c->nfree--;
      }
      return true;
    }
  }
  return false;
}

cpjit_status cpjit_mcode_reserve(mcode *M, size_t size, mcode_block *out) {
  size = (size + 15) & ~(size_t)15;
  size_t off = 0;
  mcode_chunk *c;
  for (c = M->chunks; c; c = c->next)
    if (chunk_take(c, size, &off))
      break;
  if (!c) {
    size_t want = size > M->chunk_size ? size : M->chunk_size;
    if (M->mapped + want > M->budget && size <= M->budget)
      want = size; /* a smaller chunk may still fit the budget */
    cpjit_status st = chunk_new(M, want, &c);
    if (st != CPJIT_OK)
      return st;
    chunk_take(c, size, &off);
  }
  out->chunk = c;
  out->off = off;
  out->size = size;
  out->rw = c->rw + off;
  out->rx = c->rx + off;
  return CPJIT_OK;
}

void cpjit_mcode_release(mcode *M, const mcode_block *b) {
  mcode_chunk *c = b->chunk;
  uint32_t i = 0;
  while (i < c->nfree && c->free[i].off < b->off)
    i++;
  bool merge_prev = i > 0 && c->free[i - 1].off + c->free[i - 1].size == b->off;
  bool merge_next = i < c->nfree && b->off + b->size == c->free[i].off;
  if (merge_prev && merge_next) {
    c->free[i - 1].size += b->size + c->free[i].size;
    memmove(&c->free[i], &c->free[i + 1], (c->nfree - i - 1) * sizeof *c->free);
    c->nfree--;
  } else if (merge_prev) {
    c->free[i - 1].size += b->size;
  } else if (merge_next) {
    c->free[i].off = b->off;
    c->free[i].size += b->size;
  } else {
    if (c->nfree == c->capfree) {
      uint32_t ncap = c->capfree * 2;
      mcode_free *nf = M->J->cfg.alloc(M->J->cfg.alloc_ud, c->free,
                                       c->capfree * sizeof *nf,
                                       ncap * sizeof *nf);
      if (!nf)
        return; /* out of memory: the block leaks into the arena, safely */
      c->free = nf;
      c->capfree = ncap;
    }
    memmove(&c->free[i + 1], &c->free[i], (c->nfree - i) * sizeof *c->free);
    c->free[i].off = b->off;
    c->free[i].size = b->size;
    c->nfree++;
  }
}

/* -- Write windows ---------------------------------------------------------
 * Dual mapping: nothing to do (the write view is always writable), except
 * with CPJIT_FLAG_STRICT_WX, where the write view is PROT_NONE outside a
 * window and read-write inside it, while the code stays executable through
 * the other view. Fallback: the code's own pages flip RW and back to RX. */

static cpjit_status protect(mcode *M, const mcode_block *b, size_t off,
                            size_t size, int prot) {
  const uint8_t *base = b->rx;
  if (M->dual) {
    if (!(M->J->cfg.flags & CPJIT_FLAG_STRICT_WX))
      return CPJIT_OK;
    base = b->rw;
    prot = (prot & PROT_WRITE) ? PROT_READ | PROT_WRITE : PROT_NONE;
  }
  uintptr_t lo = (uintptr_t)(base + off) & ~(uintptr_t)(M->page - 1);
  uintptr_t hi = ((uintptr_t)(base + off + size) + M->page - 1) &
                 ~(uintptr_t)(M->page - 1);
  if (sys_mprotect(M, (void *)lo, hi - lo, prot) != 0)
    return CPJIT_ERR_PROTECT;
  return CPJIT_OK;
}

cpjit_status cpjit_mcode_begin_write(mcode *M, const mcode_block *b,
                                     size_t off, size_t size) {
  return protect(M, b, off, size, PROT_READ | PROT_WRITE);
}

cpjit_status cpjit_mcode_end_write(mcode *M, const mcode_block *b, size_t off,
                                   size_t size) {
  cpjit_status st = protect(M, b, off, size, M->xprot);
  cpjit_mcode_flush(M, b->rx + off, size);
  return st;
}

/* Every write of code ends here (chunk veneers, compiles, exit links and
 * unlinks): required on AArch64 before the new bytes run, free on x86-64.
 * The count lets tests check that no write path skips it. */
void cpjit_mcode_flush(mcode *M, const uint8_t *rx, size_t size) {
  __builtin___clear_cache((char *)(uintptr_t)rx, (char *)(uintptr_t)(rx + size));
  M->J->stats.icache_flushes++;
}
