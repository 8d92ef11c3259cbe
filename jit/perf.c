/*
 * perf.c -- telling Linux perf where traces are: the perf map and jitdump.
 *
 *   perf map   /tmp/perf-<pid>.map, one text line "ADDR SIZE NAME" per
 *              trace (hex, no 0x). perf reads it at report time for samples
 *              in anonymous executable memory only.
 *   jitdump    <dir>/jit-<pid>.dump in the format of perf's
 *              jitdump-specification: a header, then one JIT_CODE_LOAD record
 *              per trace with its name and a copy of its code bytes, and a
 *              JIT_CODE_CLOSE record at the end. The file is mapped
 *              PROT_EXEC once while open: that mmap is what `perf record`
 *              records, and `perf inject --jit` follows it to the file, then
 *              writes one small ELF per record and injects an mmap of it at
 *              the trace's address (at the record's time), so samples resolve
 *              to the trace whatever mapping (memfd or anonymous) holds the
 *              code. Timestamps are CLOCK_MONOTONIC, which `perf record -k 1`
 *              uses too.
 *
 * Both files belong to the process, not to one instance (the names only
 * hold the pid): instances share them under `lock`, with a reference count
 * each; the last instance to close closes them. Any failure is counted in
 * the instance's stats.debug_failures and leaves the compile alone.
 */
#define _GNU_SOURCE
#include "jit_internal.h"
#include "machine.h"

#include <elf.h>

#if defined(__aarch64__)
#define J_MACHINE_ELF EM_AARCH64
#else
#define J_MACHINE_ELF EM_X86_64
#endif
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define JITDUMP_MAGIC 0x4A695444u /* "JiTD" as a little-endian u32 */
#define JITDUMP_VERSION 1
enum { JIT_CODE_LOAD = 0, JIT_CODE_CLOSE = 3 };

/* The process's files. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  int map_refs, dump_refs;
  int map_fd, dump_fd;
  void *mark; /* the PROT_EXEC mapping of the jitdump that perf records */
  size_t mark_size;
  uint64_t code_index;
  uint32_t pid; /* of the process that opened the jitdump */
} P = {0, 0, -1, -1, NULL, 0, 0, 0};

static __thread uint32_t thread_id; /* cached gettid() (0: not yet) */

/* What J holds (J->perf_refs). */
#define HOLDS_MAP 1u
#define HOLDS_DUMP 2u

/* -- Writing ------------------------------------------------------------- */

static bool write_all(int fd, struct iovec *iov, int n) {
  while (n > 0) {
    ssize_t w = writev(fd, iov, n);
    if (w < 0)
      return false;
    size_t left = (size_t)w;
    while (n > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0) {
      iov->iov_base = (char *)iov->iov_base + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

typedef struct dump_header {
  uint32_t magic, version, total_size, elf_mach, pad1, pid;
  uint64_t timestamp, flags;
} dump_header;

typedef struct record_header {
  uint32_t id, total_size;
  uint64_t timestamp;
} record_header;

typedef struct code_load {
  record_header h;
  uint32_t pid, tid;
  uint64_t vma, code_addr, code_size, code_index;
  /* then the NUL-terminated name, then code_size bytes of code */
} code_load;

static bool dump_open(const char *dir) {
  char path[4096];
  int len = snprintf(path, sizeof path, "%s/jit-%d.dump", dir ? dir : ".",
                     (int)getpid());
  if (len < 0 || (size_t)len >= sizeof path)
    return false;
  int fd = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    return false;
  dump_header h;
  memset(&h, 0, sizeof h);
  h.magic = JITDUMP_MAGIC;
  h.version = JITDUMP_VERSION;
  h.total_size = sizeof h;
  h.elf_mach = J_MACHINE_ELF;
  h.pid = (uint32_t)getpid();
  h.timestamp = cpjit_now_ns();
  struct iovec iov = {&h, sizeof h};
  long pg = sysconf(_SC_PAGESIZE);
  size_t mark_size = pg > 0 ? (size_t)pg : 4096;
  void *mark = MAP_FAILED;
  if (write_all(fd, &iov, 1))
    mark = mmap(NULL, mark_size, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  if (mark == MAP_FAILED) {
    close(fd);
    return false;
  }
  P.dump_fd = fd;
  P.pid = h.pid;
  P.mark = mark;
  P.mark_size = mark_size;
  return true;
}

static void dump_close(void) {
  record_header r = {JIT_CODE_CLOSE, sizeof r, cpjit_now_ns()};
  struct iovec iov = {&r, sizeof r};
  (void)write_all(P.dump_fd, &iov, 1);
  munmap(P.mark, P.mark_size);
  close(P.dump_fd);
  P.dump_fd = -1;
  P.mark = NULL;
}

/* -- Open / add / close --------------------------------------------------- */

void cpjit_perf_open(cpjit_jit *J) {
  pthread_mutex_lock(&lock);
  if (J->cfg.flags & CPJIT_FLAG_PERF_MAP) {
    if (P.map_fd < 0) {
      char path[64];
      snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
      P.map_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    }
    if (P.map_fd >= 0) {
      P.map_refs++;
      J->perf_refs |= HOLDS_MAP;
    } else {
      J->stats.debug_failures++;
    }
  }
  if (J->cfg.flags & CPJIT_FLAG_JITDUMP) {
    if (P.dump_fd >= 0 || dump_open(J->cfg.jitdump_dir)) {
      P.dump_refs++;
      J->perf_refs |= HOLDS_DUMP;
    } else {
      J->stats.debug_failures++;
    }
  }
  pthread_mutex_unlock(&lock);
}

void cpjit_perf_add(cpjit_jit *J, const cpjit_trace *t) {
  /* A file that could not be opened costs each trace its record. */
  if ((J->cfg.flags & CPJIT_FLAG_PERF_MAP) && !(J->perf_refs & HOLDS_MAP))
    J->stats.debug_failures++;
  if ((J->cfg.flags & CPJIT_FLAG_JITDUMP) && !(J->perf_refs & HOLDS_DUMP))
    J->stats.debug_failures++;
  if (!J->perf_refs)
    return;
  uint64_t addr = (uint64_t)(uintptr_t)t->block.rx;
  const char *name = cpjit_trace_name(t);
  size_t name_len = strlen(name);
  pthread_mutex_lock(&lock);
  if (J->perf_refs & HOLDS_MAP) {
    char line[64];
    int n = snprintf(line, sizeof line, "%llx %llx ", (unsigned long long)addr,
                     (unsigned long long)t->code_size);
    struct iovec iov[3] = {{line, (size_t)n},
                           {(void *)name, name_len},
                           {(void *)"\n", 1}};
    J->stats.syscalls++;
    if (!write_all(P.map_fd, iov, 3))
      J->stats.debug_failures++;
  }
  if (J->perf_refs & HOLDS_DUMP) {
    code_load r;
    memset(&r, 0, sizeof r);
    r.h.id = JIT_CODE_LOAD;
    r.h.total_size = (uint32_t)(sizeof r + name_len + 1 + t->code_size);
    r.h.timestamp = cpjit_now_ns();
    if (!thread_id)
      thread_id = (uint32_t)syscall(SYS_gettid);
    r.pid = P.pid;
    r.tid = thread_id;
    r.vma = r.code_addr = addr;
    r.code_size = t->code_size;
    r.code_index = P.code_index++;
    struct iovec iov[3] = {{&r, sizeof r},
                           {(void *)name, name_len + 1},
                           {t->block.rx, t->code_size}};
    J->stats.syscalls++;
    if (!write_all(P.dump_fd, iov, 3))
      J->stats.debug_failures++;
  }
  pthread_mutex_unlock(&lock);
}

void cpjit_perf_close(cpjit_jit *J) {
  if (!J->perf_refs)
    return;
  pthread_mutex_lock(&lock);
  if ((J->perf_refs & HOLDS_MAP) && --P.map_refs == 0) {
    close(P.map_fd);
    P.map_fd = -1;
  }
  if ((J->perf_refs & HOLDS_DUMP) && --P.dump_refs == 0)
    dump_close();
  J->perf_refs = 0;
  pthread_mutex_unlock(&lock);
}
