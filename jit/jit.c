/*
 * jit.c -- the cpjit instance: open/close, the compile pipeline, exit
 * linking, freeing and statistics.
 *
 * The pipeline reads in one function, cpjit_compile():
 *
 *   validate  every op known, its stencil well-formed (checked the first
 *             time any compile uses the op, not at open: rec_prepare), every
 *             JUMP target a uop of the trace, every EXIT index an exit, no
 *             CONTINUE off the end of the trace (falling through,
 *             CPJIT_STENCIL_FALLTHROUGH, is continuing);
 *   size      offsets of the trampoline, each uop (dropping a final jump to
 *             CONTINUE when the next uop follows; a falling-through uop is
 *             always followed directly), each exit stub, the shared exit
 *             handler (once, when the set has one and the trace exits),
 *             and of the data area (each instance's rodata copy, then GOT
 *             slots);
 *   reserve   one block in the code arena (no system call in steady state);
 *   emit      copy each stencil and patch its holes (machine.h);
 *   commit    make the block executable / flush the i-cache.
 *
 * A failure at any stage releases the block and returns a status; the
 * instance stays usable.
 */
#define _GNU_SOURCE
#include "machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* -- Memory -------------------------------------------------------------- */

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

void *cpjit_mem_alloc(cpjit_jit *J, size_t size) {
  return J->cfg.alloc(J->cfg.alloc_ud, NULL, 0, size);
}

void cpjit_mem_free(cpjit_jit *J, void *p, size_t size) {
  if (p)
    J->cfg.alloc(J->cfg.alloc_ud, p, size, 0);
}

static void *libc_mmap(void *a, size_t l, int p, int f, int fd, int64_t o) {
  return mmap(a, l, p, f, fd, (off_t)o);
}
static int libc_memfd(const char *name, unsigned flags) {
  return memfd_create(name, flags);
}
static int libc_ftruncate(int fd, int64_t len) {
  return ftruncate(fd, (off_t)len);
}

/* -- Status -------------------------------------------------------------- */

static const char *const status_msg[] = {
#define CPJIT__MSG(name, msg) msg,
    CPJIT_STATUS_LIST(CPJIT__MSG)
#undef CPJIT__MSG
};

unsigned cpjit_version(void) { return CPJIT_VERSION_NUM; }

const char *cpjit_status_str(cpjit_status s) {
  if ((unsigned)s >= CPJIT_STATUS__COUNT)
    return "unknown status";
  return status_msg[s];
}

/* -- Open / close -------------------------------------------------------- */

static bool stencil_ok(const cpjit_stencil *s) {
  if (!s || (!s->code && s->code_size) || (!s->holes && s->nholes) ||
      (!s->cfi && s->cfi_size) ||
      (!s->data && s->data_size))
    return false;
  if ((s->data_align & (s->data_align - 1)) || s->nholes > 65535 ||
      s->data_align > 4096)
    return false;
  if ((s->flags & CPJIT_STENCIL_TAIL_CONTINUE) && s->tail_size > s->code_size)
    return false;
  if ((s->flags & CPJIT_STENCIL_FALLTHROUGH) &&
      (s->flags & CPJIT_STENCIL_TAIL_CONTINUE))
    return false;
  for (uint32_t i = 0; i < s->nholes; i++) {
    const cpjit_hole *h = &s->holes[i];
    uint32_t limit = h->in_data ? s->data_size : s->code_size;
    if (h->kind >= CPJIT_HOLE__COUNT || h->reloc >= CPJIT_RELOC__COUNT ||
        h->offset > limit || limit - h->offset < 4)
      return false;
  }
  return true;
}

static bool uses_handler(const cpjit_stencil *s) {
  for (uint32_t i = 0; i < s->nholes; i++)
    if (s->holes[i].kind == CPJIT_HOLE_HANDLER)
      return true;
  return false;
}

static op_rec make_rec(const cpjit_stencil *s) {
  op_rec r;
  memset(&r, 0, sizeof r);
  r.code = s->code;
  r.holes = s->holes;
  r.data = s->data;
  r.code_size = s->code_size;
  r.tail_size = (s->flags & CPJIT_STENCIL_TAIL_CONTINUE) ? s->tail_size : 0;
  r.data_size = s->data_size;
  r.data_align = s->data_align ? s->data_align : 1;
  r.nholes = (uint16_t)s->nholes;
  /* Falling off the end is continuing: such a uop must not be last. */
  r.uses_continue = (s->flags & CPJIT_STENCIL_FALLTHROUGH) != 0;
  r.falls_off = r.uses_continue;
  for (uint32_t i = 0; i < s->nholes; i++) {
    const cpjit_hole *h = &s->holes[i];
    r.uses_jump |= h->kind == CPJIT_HOLE_JUMP;
    r.uses_exit |= h->kind == CPJIT_HOLE_EXIT;
    r.uses_continue |= h->kind == CPJIT_HOLE_CONTINUE;
    if (cpjit_mach_needs_got(h->reloc))
      r.ngot++;
    uint32_t reach = cpjit_mach_branch_reach(h->reloc);
    if (reach && !h->in_data &&
        (h->kind == CPJIT_HOLE_CONTINUE || h->kind == CPJIT_HOLE_JUMP ||
         h->kind == CPJIT_HOLE_EXIT)) {
      r.island_kinds |= (uint8_t)(1u << (h->kind - CPJIT_HOLE_CONTINUE));
      if (!r.reach || reach < r.reach)
        r.reach = reach;
    }
  }
  return r;
}

/* The uops' records and, after them, their states: one allocation. */
static size_t rec_bytes(const cpjit_stencil_set *set) {
  return (size_t)set->nuops * (sizeof(op_rec) + 1);
}

/* Make the record of uop `op` (< nuops) the first time a compile uses the
 * uop, checking its stencil as cpjit_open checks the others: stencil_ok,
 * and no HANDLER hole (only an exit stub jumps to the handler). False when
 * the stencil is malformed, then and on every later use: the compile fails
 * with CPJIT_ERR_BAD_SET. Out of line: size_pass's walk over the uops
 * only tests the state byte, on the branch of its op check. A cpjit_jit
 * is used by one thread at a time (cpjit.h), so plain bytes do. */
static __attribute__((noinline, cold)) bool rec_prepare(cpjit_jit *J,
                                                        uint32_t op) {
  if (J->rec_state[op] == REC_UNSEEN) {
    const cpjit_stencil *s = &J->set->uops[op];
    uint8_t st = REC_BAD;
    if (stencil_ok(s) && !uses_handler(s)) {
      J->rec[op] = make_rec(s);
      st = REC_READY;
    }
    J->rec_state[op] = st;
  }
  return J->rec_state[op] == REC_READY;
}

/* The far form of a uop with short-reach branches (op_rec.reach): its whole
 * code (a final jump to CONTINUE kept), a jump to CONTINUE when it would
 * fall off its end, then one island per kind in island_kinds -- a link
 * jump to that kind's target, which the short branches reach instead. */
static uint32_t island_count(const op_rec *r) {
  /* Three kinds at most; no __builtin_popcount, which is a libgcc call
   * without -mpopcnt and makes the size loop spill around it. */
  uint32_t k = r->island_kinds;
  return (k & 1) + (k >> 1 & 1) + (k >> 2 & 1);
}
static size_t far_size(const op_rec *r) {
  return r->code_size +
         (r->falls_off + island_count(r)) * (size_t)CPJIT_LINK_JUMP_SIZE;
}

cpjit_status cpjit_open(const cpjit_config *cfg, cpjit_jit **out) {
  if (!out)
    return CPJIT_ERR_ARG;
  *out = NULL;
  if (!cfg || !cfg->set)
    return CPJIT_ERR_ARG;
  const cpjit_stencil_set *set = cfg->set;
  if (set->abi_version != CPJIT_ABI_VERSION || !set->uops || set->nuops == 0 ||
      set->nuops > 65536 || !stencil_ok(set->trampoline) ||
      !stencil_ok(set->exit_stub) ||
      (set->exit_stub->flags & CPJIT_STENCIL_FALLTHROUGH) ||
      (set->exit_handler && (!stencil_ok(set->exit_handler) ||
                             (set->exit_handler->flags &
                              CPJIT_STENCIL_FALLTHROUGH))))
    return CPJIT_ERR_BAD_SET;
  if (set->machine != CPJIT_HOST_MACHINE)
    return CPJIT_ERR_BAD_MACHINE;
  /* Only an exit stub jumps to the handler, and only when there is one.
   * (The uops are checked one by one, the first time a compile uses each,
   * by rec_prepare: opening costs the same for 10 uops or 10,000.) */
  if (uses_handler(set->trampoline) ||
      (set->exit_handler ? uses_handler(set->exit_handler)
                         : uses_handler(set->exit_stub)))
    return CPJIT_ERR_BAD_SET;
  if (cfg->nhelpers != set->nhelpers || (set->nhelpers && !cfg->helpers))
    return CPJIT_ERR_BAD_HELPER;
  for (uint32_t i = 0; i < set->nhelpers; i++)
    if (!cfg->helpers[i])
      return CPJIT_ERR_BAD_HELPER;

  cpjit_alloc_fn alloc = cfg->alloc ? cfg->alloc : default_alloc;
  cpjit_jit *J = alloc(cfg->alloc_ud, NULL, 0, sizeof *J);
  if (!J)
    return CPJIT_ERR_NOMEM;
  memset(J, 0, sizeof *J);
  J->cfg = *cfg;
  J->cfg.alloc = alloc;
  /* Helpers are what stencils call; near them, calls stay rel32 even when
   * cpjit itself is a shared library mapped far from the host. */
  if (!J->cfg.near)
    J->cfg.near = cfg->nhelpers ? cfg->helpers[0]
                                : (const void *)(uintptr_t)&cpjit_open;
  J->set = set;
  J->err_index = -1;
  J->ops.mmap = cfg->memops && cfg->memops->mmap ? cfg->memops->mmap : libc_mmap;
  J->ops.munmap = cfg->memops && cfg->memops->munmap ? cfg->memops->munmap : munmap;
  J->ops.mprotect =
      cfg->memops && cfg->memops->mprotect ? cfg->memops->mprotect : mprotect;
  J->ops.memfd_create = cfg->memops && cfg->memops->memfd_create
                            ? cfg->memops->memfd_create
                            : libc_memfd;
  J->ops.ftruncate =
      cfg->memops && cfg->memops->ftruncate ? cfg->memops->ftruncate : libc_ftruncate;
  /* Records left unwritten (rec_prepare fills them), their states zeroed. */
  J->rec = cpjit_mem_alloc(J, rec_bytes(set));
  if (!J->rec) {
    alloc(cfg->alloc_ud, J, sizeof *J, 0);
    return CPJIT_ERR_NOMEM;
  }
  J->rec_state = (uint8_t *)(J->rec + set->nuops);
  memset(J->rec_state, REC_UNSEEN, set->nuops);
  J->tramp = make_rec(set->trampoline);
  J->stub = make_rec(set->exit_stub);
  J->has_handler = set->exit_handler != NULL;
  if (J->has_handler)
    J->handler = make_rec(set->exit_handler);
  J->link_head = J->has_handler && J->stub.code_size >= CPJIT_LINK_JUMP_SIZE
                     ? 0
                     : CPJIT_LINK_JUMP_SIZE;
  cpjit_mcode_init(&J->M, J, &J->cfg);
  if (cfg->flags & (CPJIT_FLAG_PERF_MAP | CPJIT_FLAG_JITDUMP))
    cpjit_perf_open(J);
  *out = J;
  return CPJIT_OK;
}

static void trace_destroy(cpjit_jit *J, cpjit_trace *t, bool release);

void cpjit_close(cpjit_jit *J) {
  if (!J)
    return;
  while (J->traces)
    trace_destroy(J, J->traces, false);
  cpjit_mcode_unmap_all(&J->M);
  cpjit_perf_close(J);
  cpjit_mem_free(J, J->scratch, J->scratch_cap * sizeof *J->scratch);
  cpjit_mem_free(J, J->rec, rec_bytes(J->set));
  cpjit_alloc_fn alloc = J->cfg.alloc;
  alloc(J->cfg.alloc_ud, J, sizeof *J, 0);
}

void cpjit_flush(cpjit_jit *J) {
  if (!J)
    return;
  while (J->traces)
    trace_destroy(J, J->traces, false);
  cpjit_mcode_unmap_all(&J->M);
}

int64_t cpjit_last_error_index(const cpjit_jit *J) {
  return J ? J->err_index : -1;
}

void cpjit_get_stats(const cpjit_jit *J, cpjit_stats *out) {
  if (!J || !out)
    return;
  *out = J->stats;
}

/* -- Compile ------------------------------------------------------------- */

uint64_t cpjit_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t align_up(size_t v, size_t a) {
  return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

/* Layout of one trace, computed by the size pass. Offsets are from the
 * start of the block. Stencil instances are numbered 0 = trampoline,
 * 1..n = uops, n+1..n+nexits = exit stubs, then the exit handler when the
 * trace has one (layout.handler); data_off/got_off are indexed that way and
 * only filled when some instance has data or GOT slots. */
typedef struct layout {
  uint32_t *code_off; /* n + 1 entries: uop starts, then end of uops */
  uint32_t *stub_off; /* nexits */
  uint32_t *data_off; /* ninst */
  uint32_t *got_off;  /* ninst */
  uint32_t *far;      /* n: 1 where the uop takes its far form */
  bool extra;         /* any data blob or GOT slot at all */
  bool any_far;
  bool handler;       /* the shared exit handler is placed, at handler_off */
  size_t ninst;       /* 1 + n + nexits + handler */
  size_t handler_off;
  size_t code_size, total;
} layout;

static cpjit_status scratch_reserve(cpjit_jit *J, size_t count) {
  if (count <= J->scratch_cap)
    return CPJIT_OK;
  size_t ncap = J->scratch_cap ? J->scratch_cap : 256;
  while (ncap < count)
    ncap *= 2;
  uint32_t *p = J->cfg.alloc(J->cfg.alloc_ud, J->scratch,
                             J->scratch_cap * sizeof *p, ncap * sizeof *p);
  if (!p)
    return CPJIT_ERR_NOMEM;
  J->scratch = p;
  J->scratch_cap = ncap;
  return CPJIT_OK;
}

/* Data area: place instance k's rodata copy (got: its GOT slots) at
 * `off` or after; returns the end. */
static size_t place(layout *L, size_t k, const op_rec *r, bool got,
                    size_t off) {
  if (got) {
    L->got_off[k] = (uint32_t)off;
    return off + (size_t)r->ngot * 8;
  }
  if (!r->data_size)
    return off;
  off = align_up(off, r->data_align);
  L->data_off[k] = (uint32_t)off;
  return off + r->data_size;
}

/* Place every instance, in instance order (trampoline, uops, exit stubs,
 * the handler). `rec` is J->rec, whose entries for the uops of this trace
 * size_pass's first walk has made ready. */
static size_t place_all(const cpjit_jit *J, const op_rec *rec,
                        const cpjit_uop *uops, uint32_t n, uint32_t nexits,
                        layout *L, bool got, size_t off) {
  off = place(L, 0, &J->tramp, got, off);
  for (uint32_t i = 0; i < n; i++)
    off = place(L, 1 + (size_t)i, &rec[uops[i].op], got, off);
  for (uint32_t e = 0; e < nexits; e++)
    off = place(L, 1 + (size_t)n + e, &J->stub, got, off);
  if (L->handler)
    off = place(L, L->ninst - 1, &J->handler, got, off);
  return off;
}

/* Validate and size in one walk over the uops. */
static cpjit_status size_pass(cpjit_jit *J, const cpjit_uop *uops, uint32_t n,
                              uint32_t nexits, layout *L) {
  L->handler = J->has_handler && nexits > 0;
  size_t ninst = 1 + (size_t)n + nexits + L->handler;
  L->ninst = ninst;
  cpjit_status st = scratch_reserve(J, (n + 1) + nexits + 2 * ninst + n);
  if (st != CPJIT_OK)
    return st;
  L->code_off = J->scratch;
  L->stub_off = L->code_off + n + 1;
  L->data_off = L->stub_off + nexits;
  L->got_off = L->data_off + ninst;
  L->far = L->got_off + ninst;
  L->any_far = false;

  /* J->rec is read only through `rec`, and only past the check of this
   * walk below: from there on, the records of all uops of the trace are
   * ready (here, in place_all and in emit_pass). */
  const op_rec *rec = J->rec;
  const uint8_t *state = J->rec_state;
  uint32_t nops = J->set->nuops;
  uint32_t extra = (J->tramp.data_size | J->tramp.ngot) +
                   (nexits ? (J->stub.data_size | J->stub.ngot) : 0) +
                   (L->handler ? (J->handler.data_size | J->handler.ngot) : 0);
  size_t off = J->tramp.code_size;
  size_t grow = 0;                /* bytes the far forms would add */
  uint32_t reach = UINT32_MAX;    /* the shortest reach of any uop */
  for (uint32_t i = 0; i < n; i++) {
    const cpjit_uop *u = &uops[i];
    uint32_t op = u->op;
    if (__builtin_expect(op >= nops || state[op] != REC_READY, 0)) {
      st = op >= nops        ? CPJIT_ERR_BAD_OP
           : rec_prepare(J, op) ? CPJIT_OK
                                : CPJIT_ERR_BAD_SET; /* stencil malformed */
      if (st != CPJIT_OK) {
        J->err_index = i;
        return st;
      }
    }
    const op_rec *r = &rec[op];
    if ((r->uses_jump && u->target >= n) || (r->uses_continue && i + 1 == n)) {
      J->err_index = i; /* jump outside, or continuing off the end */
      return CPJIT_ERR_BAD_TARGET;
    }
    if (r->uses_exit && u->exit >= nexits) {
      J->err_index = i;
      return CPJIT_ERR_BAD_EXIT;
    }
    L->code_off[i] = (uint32_t)off;
    size_t len = r->code_size - (i + 1 < n ? r->tail_size : 0);
    off += len;
    extra |= r->data_size | r->ngot;
    if (r->reach) {
      grow += far_size(r) - len;
      if (r->reach < reach)
        reach = r->reach;
    }
  }
  L->code_off[n] = (uint32_t)off;
  size_t stub_size = J->link_head + J->stub.code_size;
  for (uint32_t e = 0; e < nexits; e++, off += stub_size)
    L->stub_off[e] = (uint32_t)off;
  L->handler_off = off;
  off += L->handler ? J->handler.code_size : 0;
  L->code_size = off;
  L->extra = extra != 0;

  /* Short branches. Every in-trace target lies within the code, so a trace
   * shorter than the shortest reach (even with every far form) needs
   * nothing. Otherwise a uop whose branch may not reach a target takes its
   * far form: judged on this layout with a margin of `grow`, the most any
   * distance can change once far forms are placed, so the decision holds
   * in the final layout; then the offsets are placed again. */
  if (reach != UINT32_MAX && off + grow + 4 > reach) {
    memset(L->far, 0, n * sizeof *L->far);
    for (uint32_t i = 0; i < n; i++) {
      const op_rec *r = &rec[uops[i].op];
      if (!r->reach)
        continue;
      int64_t lo = L->code_off[i], hi = L->code_off[i + 1];
      for (int k = CPJIT_HOLE_CONTINUE; k <= CPJIT_HOLE_EXIT; k++) {
        if (!(r->island_kinds & (1u << (k - CPJIT_HOLE_CONTINUE))))
          continue;
        int64_t t = k == CPJIT_HOLE_CONTINUE ? hi
                    : k == CPJIT_HOLE_JUMP   ? L->code_off[uops[i].target]
                                             : L->stub_off[uops[i].exit];
        int64_t d1 = t > lo ? t - lo : lo - t, d2 = t > hi ? t - hi : hi - t;
        if ((d1 > d2 ? d1 : d2) + (int64_t)grow + 4 > (int64_t)r->reach)
          L->far[i] = 1;
      }
      L->any_far |= L->far[i] != 0;
    }
    off = J->tramp.code_size;
    for (uint32_t i = 0; i < n; i++) {
      const op_rec *r = &rec[uops[i].op];
      L->code_off[i] = (uint32_t)off;
      off += L->far[i] ? far_size(r)
                       : r->code_size - (i + 1 < n ? r->tail_size : 0);
      if (off > UINT32_MAX)
        return CPJIT_ERR_TOO_BIG;
    }
    L->code_off[n] = (uint32_t)off;
    for (uint32_t e = 0; e < nexits; e++, off += stub_size)
      L->stub_off[e] = (uint32_t)off;
    L->handler_off = off;
    off += L->handler ? J->handler.code_size : 0;
    L->code_size = off;
  }

  /* Data area: per-instance rodata copies, then GOT slots. */
  off = align_up(off, 16);
  if (L->extra) {
    off = place_all(J, rec, uops, n, nexits, L, false, off);
    off = place_all(J, rec, uops, n, nexits, L, true, align_up(off, 8));
  }
  if (off > UINT32_MAX)
    return CPJIT_ERR_TOO_BIG;
  L->total = off;
  return CPJIT_OK;
}

/* Hole values of the instance being emitted, indexed by cpjit_hole_kind
 * (HELPER is looked up in the helper table instead). */
typedef uint64_t hole_vals[CPJIT_HOLE__COUNT];

/* Copy one stencil instance and patch its holes. `code_len` may be shorter
 * than the stencil when its final jump to CONTINUE is elided. */
static cpjit_status emit_instance(cpjit_jit *J, const mcode_chunk *chunk,
                                  const op_rec *r,
                                  uint32_t code_len, uint8_t *rw_base,
                                  uint64_t rx_base, const layout *L, size_t k,
                                  size_t code_off, hole_vals v) {
  uint8_t *code_rw = rw_base + code_off;
  memcpy(code_rw, r->code, code_len);
  v[CPJIT_HOLE_CODE] = rx_base + code_off;
  v[CPJIT_HOLE_DATA] = 0;
  uint8_t *data_rw = NULL;
  if (r->data_size) {
    data_rw = rw_base + L->data_off[k];
    memcpy(data_rw, r->data, r->data_size);
    v[CPJIT_HOLE_DATA] = rx_base + L->data_off[k];
  }
  size_t got = L->extra ? L->got_off[k] : 0;
  const void *const *helpers = J->cfg.helpers;
  /* (A stencil without holes has holes == NULL: no arithmetic on it.) */
  const cpjit_hole *h = r->holes, *end = r->nholes ? h + r->nholes : h;
  for (; h < end; h++) {
    uint64_t S = h->kind == CPJIT_HOLE_HELPER
                     ? (uint64_t)(uintptr_t)helpers[h->helper]
                     : v[h->kind];
    uint8_t *loc;
    uint64_t P;
    if (!h->in_data) {
      if (h->offset >= code_len)
        continue; /* inside the elided tail jump */
      loc = code_rw + h->offset;
      P = v[CPJIT_HOLE_CODE] + h->offset;
    } else {
      loc = data_rw + h->offset;
      P = v[CPJIT_HOLE_DATA] + h->offset;
    }
    if (h->kind <= CPJIT_HOLE_ARG)
      S = cpjit_mach_operand(h->reloc, S);
    cpjit_status st = cpjit_mach_patch_fast(loc, P, h->reloc, S, h->addend);
    if (st == CPJIT_ERR_RANGE && h->kind == CPJIT_HOLE_HELPER &&
        !h->in_data && cpjit_mach_is_branch(h->reloc, loc)) {
      /* A helper out of the branch's reach: go through the chunk's veneer. */
      uint64_t ven = (uint64_t)(uintptr_t)chunk->rx +
                     (uint64_t)h->helper * CPJIT_VENEER_SIZE;
      st = cpjit_mach_patch_fast(loc, P, h->reloc, ven, h->addend);
    }
    if (st == CPJIT_ERR_BAD_RELOC) { /* not a fast kind: the general path */
      uint64_t G = 0;
      if (cpjit_mach_needs_got(h->reloc)) {
        memcpy(rw_base + got, &S, 8);
        G = rx_base + got;
        got += 8;
      }
      st = cpjit_mach_patch(loc, P, h->reloc, S, h->addend, G);
    }
    if (st != CPJIT_OK)
      return st;
  }
  return CPJIT_OK;
}

/* Write a link jump at offset `off` of the block to `target`. */
static cpjit_status emit_jump(const mcode_block *b, size_t off,
                              uint64_t target) {
  uint64_t pc = (uint64_t)(uintptr_t)b->rx + off;
  if (!cpjit_mach_link_in_range(pc, target))
    return CPJIT_ERR_RANGE;
  cpjit_mach_link_jump(b->rw + off, pc, target);
  return CPJIT_OK;
}

/* Uop i in its far form (far_size): the holes of each island kind patched
 * with the island's address, then the jump to CONTINUE if the code would
 * fall off its end, then the islands. */
static cpjit_status emit_far(cpjit_jit *J, const mcode_block *b,
                             const op_rec *r, const layout *L, uint32_t i,
                             hole_vals v) {
  uint64_t rx = (uint64_t)(uintptr_t)b->rx;
  size_t at = L->code_off[i] + r->code_size;
  size_t isl = at + (r->falls_off ? CPJIT_LINK_JUMP_SIZE : 0);
  hole_vals real;
  memcpy(real, v, sizeof real);
  for (int k = CPJIT_HOLE_CONTINUE, x = 0; k <= CPJIT_HOLE_EXIT; k++)
    if (r->island_kinds & (1u << (k - CPJIT_HOLE_CONTINUE)))
      v[k] = rx + isl + (size_t)x++ * CPJIT_LINK_JUMP_SIZE;
  cpjit_status st = emit_instance(J, b->chunk, r, r->code_size, b->rw, rx, L,
                                  1 + (size_t)i, L->code_off[i], v);
  memcpy(v, real, sizeof real);
  if (st == CPJIT_OK && r->falls_off)
    st = emit_jump(b, at, real[CPJIT_HOLE_CONTINUE]);
  for (int k = CPJIT_HOLE_CONTINUE; k <= CPJIT_HOLE_EXIT && st == CPJIT_OK; k++)
    if (r->island_kinds & (1u << (k - CPJIT_HOLE_CONTINUE))) {
      st = emit_jump(b, isl, real[k]);
      isl += CPJIT_LINK_JUMP_SIZE;
    }
  return st;
}

static cpjit_status emit_pass(cpjit_jit *J, const cpjit_uop *uops, uint32_t n,
                              const cpjit_exit *exits, uint32_t nexits,
                              const layout *L, const mcode_block *b,
                              uint8_t *stub_head) {
  uint8_t *rw = b->rw;
  uint64_t rx = (uint64_t)(uintptr_t)b->rx;
  const op_rec *rec = J->rec;
  hole_vals v;
  cpjit_status st;

  memset(v, 0, sizeof v);
  v[CPJIT_HOLE_CONTINUE] = rx + L->code_off[0];
  st = emit_instance(J, b->chunk, &J->tramp, J->tramp.code_size, rw, rx, L, 0, 0, v);
  if (st != CPJIT_OK)
    return st;

  for (uint32_t i = 0; i < n; i++) {
    const cpjit_uop *u = &uops[i];
    const op_rec *r = &rec[u->op]; /* ready: size_pass checked it */
    v[CPJIT_HOLE_OPERAND0] = u->operand[0];
    v[CPJIT_HOLE_OPERAND1] = u->operand[1];
    v[CPJIT_HOLE_ARG] = u->arg;
    v[CPJIT_HOLE_CONTINUE] = rx + L->code_off[i + 1];
    if (r->uses_jump)
      v[CPJIT_HOLE_JUMP] = rx + L->code_off[u->target];
    if (r->uses_exit)
      v[CPJIT_HOLE_EXIT] = rx + L->stub_off[u->exit];
    if (L->any_far && L->far[i])
      st = emit_far(J, b, r, L, i, v);
    else
      st = emit_instance(J, b->chunk, r, L->code_off[i + 1] - L->code_off[i],
                         rw, rx, L, 1 + (size_t)i, L->code_off[i], v);
    if (st != CPJIT_OK) {
      J->err_index = i;
      return st;
    }
  }

  memset(v, 0, sizeof v);
  if (L->handler) {
    st = emit_instance(J, b->chunk, &J->handler, J->handler.code_size, rw, rx,
                       L, L->ninst - 1, L->handler_off, v);
    if (st != CPJIT_OK)
      return st;
    v[CPJIT_HOLE_HANDLER] = rx + L->handler_off;
  }
  for (uint32_t e = 0; e < nexits; e++) {
    size_t off = L->stub_off[e], head = J->link_head;
    if (head)
      cpjit_mach_link_jump(rw + off, rx + off, rx + off + head);
    v[CPJIT_HOLE_OPERAND0] = exits[e].operand[0];
    v[CPJIT_HOLE_OPERAND1] = exits[e].operand[1];
    st = emit_instance(J, b->chunk, &J->stub, J->stub.code_size, rw, rx, L,
                       1 + (size_t)n + e, off + head, v);
    if (st != CPJIT_OK) {
      J->err_index = e;
      return st;
    }
    if (!head) /* what unlinking puts back */
      memcpy(stub_head + (size_t)e * CPJIT_LINK_JUMP_SIZE, rw + off,
             CPJIT_LINK_JUMP_SIZE);
  }
  /* Fill the gap between code and data with traps (clean disassembly). */
  size_t data_start = align_up(L->code_size, 16);
  cpjit_mach_fill(rw + L->code_size, data_start - L->code_size);
  return CPJIT_OK;
}

/* One allocation: the trace, its link and offset arrays, the saved stub
 * heads (link_head 0), its name. */
static size_t trace_size(const cpjit_jit *J, uint32_t n, uint32_t nexits,
                         size_t name_len) {
  return sizeof(cpjit_trace) + (size_t)nexits * sizeof(cpjit_trace *) +
         (n + 1 + (size_t)nexits) * 4 +
         (J->link_head ? 0 : (size_t)nexits * CPJIT_LINK_JUMP_SIZE) +
         name_len + 1;
}

/* Room for a default name, which is only formatted when asked for
 * (cpjit_trace_name): unnamed compiles pay no snprintf. */
#define DEFAULT_NAME_SIZE 32

static cpjit_status trace_new(cpjit_jit *J, uint32_t n, uint32_t nexits,
                              const char *name, cpjit_trace **out) {
  size_t len = name && *name ? strlen(name) : DEFAULT_NAME_SIZE - 1;
  size_t bytes = trace_size(J, n, nexits, len);
  cpjit_trace *t = cpjit_mem_alloc(J, bytes);
  if (!t)
    return CPJIT_ERR_NOMEM;
  memset(t, 0, sizeof *t);
  t->owner = J;
  t->nuops = n;
  t->nexits = nexits;
  t->linked = (cpjit_trace **)(void *)(t + 1);
  memset(t->linked, 0, nexits * sizeof *t->linked);
  t->uop_off = (uint32_t *)(void *)(t->linked + nexits);
  t->stub_off = t->uop_off + n + 1;
  t->stub_head = J->link_head ? NULL : (uint8_t *)(t->stub_off + nexits);
  t->name = (char *)(t->stub_off + nexits) +
            (J->link_head ? 0 : (size_t)nexits * CPJIT_LINK_JUMP_SIZE);
  t->name_len = (uint32_t)len;
  t->serial = J->serial;
  if (name && *name)
    memcpy(t->name, name, len + 1);
  else
    t->name[0] = '\0'; /* the default, made by cpjit_trace_name */
  *out = t;
  return CPJIT_OK;
}

static size_t trace_bytes(const cpjit_trace *t) {
  return trace_size(t->owner, t->nuops, t->nexits, t->name_len);
}

cpjit_status cpjit_compile(cpjit_jit *J, const cpjit_uop *uops, uint32_t n,
                           const cpjit_exit *exits, uint32_t nexits,
                           cpjit_trace **out) {
  return cpjit_compile_named(J, uops, n, exits, nexits, NULL, out);
}

cpjit_status cpjit_compile_named(cpjit_jit *J, const cpjit_uop *uops,
                                 uint32_t n, const cpjit_exit *exits,
                                 uint32_t nexits, const char *name,
                                 cpjit_trace **out) {
  if (out)
    *out = NULL;
  if (!J)
    return CPJIT_ERR_ARG;
  J->serial++;
  uint64_t t0 = cpjit_now_ns();
  cpjit_status st;
  layout L;
  mcode_block b;
  cpjit_trace *t = NULL;
  bool reserved = false;

  J->err_index = -1;
  if (!out || !uops || n == 0 || (nexits && !exits) || n > (1u << 24) ||
      nexits > (1u << 24)) {
    st = CPJIT_ERR_ARG;
    goto fail;
  }
  if ((st = size_pass(J, uops, n, nexits, &L)) != CPJIT_OK)
    goto fail;
  if ((st = trace_new(J, n, nexits, name, &t)) != CPJIT_OK)
    goto fail;
  if ((st = cpjit_mcode_reserve(&J->M, L.total, &b)) != CPJIT_OK)
    goto fail;
  reserved = true;
  if ((st = cpjit_mcode_begin_write(&J->M, &b, 0, L.total)) != CPJIT_OK)
    goto fail;
  st = emit_pass(J, uops, n, exits, nexits, &L, &b, t->stub_head);
  cpjit_status st2 = cpjit_mcode_end_write(&J->M, &b, 0, L.total);
  if (st == CPJIT_OK)
    st = st2;
  if (st != CPJIT_OK)
    goto fail;

  t->block = b;
  t->code_size = L.code_size;
  memcpy(t->uop_off, L.code_off, (n + 1) * sizeof *t->uop_off);
  memcpy(t->stub_off, L.stub_off, nexits * sizeof *t->stub_off);
  t->next = J->traces;
  if (J->traces)
    J->traces->prev = t;
  J->traces = t;
  if (J->cfg.flags & CPJIT_FLAG_GDB)
    cpjit_gdbjit_add(J, t, uops);
  if (J->cfg.flags & (CPJIT_FLAG_PERF_MAP | CPJIT_FLAG_JITDUMP))
    cpjit_perf_add(J, t);

  J->stats.traces_compiled++;
  J->stats.traces_live++;
  J->stats.uops_compiled += n;
  J->stats.code_bytes += L.total;
  J->stats.code_bytes_live += b.size;
  J->stats.compile_ns += cpjit_now_ns() - t0;
  *out = t;
  return CPJIT_OK;

fail:
  if (reserved)
    cpjit_mcode_release(&J->M, &b);
  if (t)
    cpjit_mem_free(J, t, trace_bytes(t));
  J->stats.compile_failures++;
  return st;
}

/* -- Traces -------------------------------------------------------------- */

const char *cpjit_trace_name(const cpjit_trace *t) {
  if (!t)
    return NULL;
  if (!t->name[0]) /* the trace's own buffer, DEFAULT_NAME_SIZE bytes */
    snprintf(t->name, DEFAULT_NAME_SIZE, "cpjit_trace_%llu",
             (unsigned long long)t->serial);
  return t->name;
}

void *cpjit_trace_entry(const cpjit_trace *t) {
  return t ? (void *)t->block.rx : NULL;
}

void cpjit_trace_code(const cpjit_trace *t, const void **code, size_t *size) {
  if (code)
    *code = t ? t->block.rx : NULL;
  if (size)
    *size = t ? t->code_size : 0;
}

int64_t cpjit_trace_uop_offset(const cpjit_trace *t, uint32_t i) {
  if (!t || i >= t->nuops)
    return -1;
  return t->uop_off[i];
}

/* Point exit `e` of `from` at `target` (an executable address), or back at
 * its own stub body when target == 0: the jump in front of the stub to the
 * stub, or (stub_head) the stub's own first bytes. */
static cpjit_status write_link(cpjit_jit *J, cpjit_trace *from, uint32_t e,
                               uint64_t target) {
  size_t off = from->stub_off[e];
  uint64_t pc = (uint64_t)(uintptr_t)from->block.rx + off;
  if (!target && !from->stub_head)
    target = pc + CPJIT_LINK_JUMP_SIZE;
  if (target && !cpjit_mach_link_in_range(pc, target))
    return CPJIT_ERR_RANGE;
  cpjit_status st =
      cpjit_mcode_begin_write(&J->M, &from->block, off, CPJIT_LINK_JUMP_SIZE);
  if (st != CPJIT_OK)
    return st;
  if (target)
    cpjit_mach_link_jump(from->block.rw + off, pc, target);
  else
    memcpy(from->block.rw + off,
           from->stub_head + (size_t)e * CPJIT_LINK_JUMP_SIZE,
           CPJIT_LINK_JUMP_SIZE);
  return cpjit_mcode_end_write(&J->M, &from->block, off, CPJIT_LINK_JUMP_SIZE);
}

static void incoming_remove(cpjit_jit *J, cpjit_trace *to, cpjit_trace *from,
                            uint32_t e) {
  for (link_rec **p = &to->incoming; *p; p = &(*p)->next) {
    if ((*p)->from == from && (*p)->exit == e) {
      link_rec *r = *p;
      *p = r->next;
      cpjit_mem_free(J, r, sizeof *r);
      return;
    }
  }
}

static bool owns(cpjit_jit *J, const cpjit_trace *t) { return t->owner == J; }

cpjit_status cpjit_link_exit(cpjit_jit *J, cpjit_trace *from, uint32_t e,
                             cpjit_trace *to) {
  if (!J || !from)
    return CPJIT_ERR_ARG;
  if (e >= from->nexits || !owns(J, from) || (to && !owns(J, to)))
    return CPJIT_ERR_LINK;
  link_rec *r = NULL;
  if (to) {
    r = cpjit_mem_alloc(J, sizeof *r);
    if (!r)
      return CPJIT_ERR_NOMEM;
  }
  uint64_t target =
      to ? (uint64_t)(uintptr_t)to->block.rx + to->uop_off[0] : 0;
  cpjit_status st = write_link(J, from, e, target);
  if (st != CPJIT_OK) {
    cpjit_mem_free(J, r, sizeof *r);
    return st;
  }
  if (from->linked[e])
    incoming_remove(J, from->linked[e], from, e);
  from->linked[e] = to;
  if (to) {
    r->from = from;
    r->exit = e;
    r->next = to->incoming;
    to->incoming = r;
    J->stats.links++;
  }
  return CPJIT_OK;
}

static void trace_destroy(cpjit_jit *J, cpjit_trace *t, bool release) {
  /* Unlink exits of other traces that jump here. */
  while (t->incoming) {
    link_rec *r = t->incoming;
    t->incoming = r->next;
    if (release)
      (void)write_link(J, r->from, r->exit, 0);
    r->from->linked[r->exit] = NULL;
    cpjit_mem_free(J, r, sizeof *r);
  }
  /* Forget our own outgoing links. */
  for (uint32_t e = 0; e < t->nexits; e++)
    if (t->linked[e])
      incoming_remove(J, t->linked[e], t, e);
  if (t->prev)
    t->prev->next = t->next;
  else
    J->traces = t->next;
  if (t->next)
    t->next->prev = t->prev;
  cpjit_gdbjit_remove(J, t);
  if (release)
    cpjit_mcode_release(&J->M, &t->block);
  J->stats.traces_live--;
  J->stats.code_bytes_live -= t->block.size;
  cpjit_mem_free(J, t, trace_bytes(t));
}

void cpjit_trace_free(cpjit_jit *J, cpjit_trace *t) {
  if (!J || !t)
    return;
  trace_destroy(J, t, true);
}
