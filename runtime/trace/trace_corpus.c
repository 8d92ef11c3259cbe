/*
 * trace_corpus.c -- reader and writer of trace corpus files (format in
 * trace_corpus.h). The reader is strict: every field is checked, the first
 * problem stops it with "file:line: message", and nothing read so far is
 * kept. Shared by cpjit-lua (-jsave) and bench/ (see trace_corpus.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "trace_corpus.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 512
#define MAX_FIELDS 8

/* -- Building ------------------------------------------------------------- */

void trace_corpus_init(trace_corpus *c, const char *set) {
  memset(c, 0, sizeof *c);
  if (set) {
    strncpy(c->set, set, TRACE_CORPUS_MAX_SET_NAME);
    c->set[TRACE_CORPUS_MAX_SET_NAME] = '\0';
  }
}

void trace_corpus_free(trace_corpus *c) {
  for (size_t i = 0; i < c->ntraces; i++) {
    free(c->traces[i].uops);
    free(c->traces[i].exits);
  }
  free(c->traces);
  c->traces = NULL;
  c->ntraces = c->cap_ = 0;
}

/* Take ownership of already-allocated arrays. */
static int append(trace_corpus *c, cpjit_uop *uops, uint32_t nuops,
                  cpjit_exit *exits, uint32_t nexits) {
  if (c->ntraces == c->cap_) {
    size_t cap = c->cap_ ? 2 * c->cap_ : 16;
    trace_corpus_trace *t = realloc(c->traces, cap * sizeof *t);
    if (!t)
      return -1;
    c->traces = t;
    c->cap_ = cap;
  }
  trace_corpus_trace *t = &c->traces[c->ntraces++];
  t->uops = uops;
  t->nuops = nuops;
  t->exits = exits;
  t->nexits = nexits;
  return 0;
}

int trace_corpus_add(trace_corpus *c, const cpjit_uop *uops, uint32_t nuops,
                     const cpjit_exit *exits, uint32_t nexits) {
  if (!uops || nuops == 0 || nuops > TRACE_CORPUS_MAX_UOPS ||
      nexits > TRACE_CORPUS_MAX_EXITS || (nexits && !exits))
    return -1;
  cpjit_uop *u = malloc(nuops * sizeof *u);
  cpjit_exit *e = malloc((nexits ? nexits : 1) * sizeof *e);
  if (!u || !e) {
    free(u);
    free(e);
    return -1;
  }
  memcpy(u, uops, nuops * sizeof *u);
  if (nexits)
    memcpy(e, exits, nexits * sizeof *e);
  if (append(c, u, nuops, e, nexits)) {
    free(u);
    free(e);
    return -1;
  }
  return 0;
}

/* -- Writing -------------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

int trace_corpus_write(FILE *f, const trace_corpus *c,
                       const trace_corpus_ops *ops, char *err, size_t errlen) {
  if (!f || !c || !ops) {
    set_err(err, errlen, "trace_corpus_write: NULL argument");
    return -1;
  }
  fprintf(f, "cpjit-trace-corpus %d %s\n", TRACE_CORPUS_VERSION,
          c->set[0] ? c->set : "unnamed");
  for (size_t i = 0; i < c->ntraces; i++) {
    const trace_corpus_trace *t = &c->traces[i];
    fprintf(f, "trace %u %u\n", t->nuops, t->nexits);
    for (uint32_t k = 0; k < t->nuops; k++) {
      const cpjit_uop *u = &t->uops[k];
      if (u->op >= ops->count) {
        set_err(err, errlen, "trace %zu uop %u: op %u has no name", i, k,
                (unsigned)u->op);
        return -1;
      }
      fprintf(f, "u %s %u %u %u %llx %llx\n", ops->names[u->op],
              (unsigned)u->arg, u->target, u->exit,
              (unsigned long long)u->operand[0],
              (unsigned long long)u->operand[1]);
    }
    for (uint32_t k = 0; k < t->nexits; k++)
      fprintf(f, "x %llx %llx\n", (unsigned long long)t->exits[k].operand[0],
              (unsigned long long)t->exits[k].operand[1]);
    fprintf(f, "end\n");
  }
  if (fflush(f) != 0 || ferror(f)) {
    set_err(err, errlen, "write error: %s", strerror(errno));
    return -1;
  }
  return 0;
}

/* -- Reading -------------------------------------------------------------- */

typedef struct reader {
  FILE *f;
  const char *name;
  unsigned long line;
  char buf[LINE_MAX_LEN + 2];
  char *field[MAX_FIELDS];
  int nfields;
  char *err;
  size_t errlen;
} reader;

static int fail(reader *r, const char *fmt, ...) {
  if (r->err && r->errlen) {
    int n = snprintf(r->err, r->errlen, "%s:%lu: ", r->name, r->line);
    if (n >= 0 && (size_t)n < r->errlen) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
      va_end(ap);
    }
  }
  return -1;
}

/* Next non-blank, non-comment line split into fields. Returns 1 on a line,
 * 0 at end of file, -1 on error. */
static int next_line(reader *r) {
  for (;;) {
    if (!fgets(r->buf, sizeof r->buf, r->f)) {
      if (ferror(r->f))
        return fail(r, "read error");
      return 0;
    }
    r->line++;
    size_t len = strlen(r->buf);
    if (len == sizeof r->buf - 1 && r->buf[len - 1] != '\n')
      return fail(r, "line longer than %d characters", LINE_MAX_LEN);
    r->nfields = 0;
    char *p = r->buf;
    for (;;) {
      while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
      if (!*p)
        break;
      if (r->nfields == MAX_FIELDS)
        return fail(r, "too many fields");
      r->field[r->nfields++] = p;
      while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
        p++;
      if (*p)
        *p++ = '\0';
    }
    if (r->nfields == 0 || r->field[0][0] == '#')
      continue;
    return 1;
  }
}

/* Parse an unsigned number of the given base with an upper bound. */
static int parse_u64(reader *r, const char *s, int base, uint64_t max,
                     const char *what, uint64_t *out) {
  if (!*s || *s == '-' || *s == '+' ||
      (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
    return fail(r, "%s: '%s' is not a %s number", what, s,
                base == 16 ? "hex" : "decimal");
  const char *digits = base == 16 ? "0123456789abcdefABCDEF" : "0123456789";
  if (strspn(s, digits) != strlen(s))
    return fail(r, "%s: '%s' is not a %s number", what, s,
                base == 16 ? "hex" : "decimal");
  errno = 0;
  char *end = NULL;
  unsigned long long v = strtoull(s, &end, base);
  if (errno == ERANGE || v > max)
    return fail(r, "%s: %s is out of range (max %llu)", what, s,
                (unsigned long long)max);
  *out = (uint64_t)v;
  return 0;
}

static int expect_fields(reader *r, int n, const char *usage) {
  if (r->nfields != n)
    return fail(r, "expected '%s' (%d fields), got %d fields", usage, n,
                r->nfields);
  return 0;
}

int trace_corpus_ops_with_ruops(trace_corpus_ops *out,
                                const char *const *names, uint32_t n,
                                const cpjit_ruop_info *ruops, uint32_t nruops) {
  out->names = NULL;
  out->count = 0;
  uint64_t total = n;
  for (uint32_t i = 0; i < nruops; i++) {
    if (ruops[i].first != total || ruops[i].noperands < 1 ||
        ruops[i].noperands > 3)
      return -1;
    total += ruops[i].nvariants;
  }
  if (total > UINT32_MAX / 2)
    return -1;
  /* One block: the pointer array, then the variants' strings. */
  size_t text = 0;
  for (uint32_t i = 0; i < nruops; i++)
    text += (size_t)ruops[i].nvariants * (strlen(ruops[i].name) + 12);
  size_t head = (size_t)total * sizeof(char *);
  char **tab = malloc(head + text + 1);
  if (!tab)
    return -1;
  char *p = (char *)tab + head, *end = p + text + 1;
  for (uint32_t i = 0; i < n; i++)
    tab[i] = (char *)(uintptr_t)names[i];
  uint32_t op = n;
  for (uint32_t i = 0; i < nruops; i++)
    for (uint32_t v = 0; v < ruops[i].nvariants; v++) {
      uint8_t reg[3];
      uint32_t which;
      if (!cpjit_ruop_decode(ruops, nruops, op, &which, reg) || which != i) {
        free(tab);
        return -1;
      }
      int len = snprintf(p, (size_t)(end - p), "%s__%u", ruops[i].name, reg[0]);
      for (int k = 1; k < ruops[i].noperands; k++)
        len += snprintf(p + len, (size_t)(end - p - len), "_%u", reg[k]);
      tab[op++] = p;
      p += len + 1;
    }
  out->names = (const char *const *)tab;
  out->count = (uint32_t)total;
  return 0;
}

void trace_corpus_ops_free(trace_corpus_ops *ops) {
  free((void *)(uintptr_t)ops->names);
  ops->names = NULL;
  ops->count = 0;
}

static int find_op(const trace_corpus_ops *ops, const char *name) {
  for (uint32_t i = 0; i < ops->count; i++)
    if (ops->names[i] && strcmp(ops->names[i], name) == 0)
      return (int)i;
  return -1;
}

static int read_header(reader *r, char *set, size_t setlen) {
  int got = next_line(r);
  if (got < 0)
    return -1;
  if (got == 0)
    return fail(r, "empty file (expected 'cpjit-trace-corpus 1 <set>')");
  if (strcmp(r->field[0], "cpjit-trace-corpus") != 0)
    return fail(r,
                "not a trace corpus (expected 'cpjit-trace-corpus 1 <set>')");
  if (expect_fields(r, 3, "cpjit-trace-corpus 1 <set>"))
    return -1;
  uint64_t v;
  if (parse_u64(r, r->field[1], 10, 1000000, "version", &v))
    return -1;
  if (v != TRACE_CORPUS_VERSION)
    return fail(r, "corpus version %llu not supported (this reader: %d)",
                (unsigned long long)v, TRACE_CORPUS_VERSION);
  if (strlen(r->field[2]) > TRACE_CORPUS_MAX_SET_NAME)
    return fail(r, "set name longer than %d characters",
                TRACE_CORPUS_MAX_SET_NAME);
  snprintf(set, setlen, "%s", r->field[2]);
  return 0;
}

/* Read one trace after its `trace` line. Allocates into *t. */
static int read_trace(reader *r, const trace_corpus_ops *ops,
                      trace_corpus_trace *t) {
  uint64_t nu, nx;
  if (expect_fields(r, 3, "trace <nuops> <nexits>") ||
      parse_u64(r, r->field[1], 10, TRACE_CORPUS_MAX_UOPS, "nuops", &nu) ||
      parse_u64(r, r->field[2], 10, TRACE_CORPUS_MAX_EXITS, "nexits", &nx))
    return -1;
  if (nu == 0)
    return fail(r, "a trace needs at least one uop");
  unsigned long start = r->line;
  t->nuops = (uint32_t)nu;
  t->nexits = (uint32_t)nx;
  t->uops = calloc(nu, sizeof *t->uops);
  t->exits = calloc(nx ? nx : 1, sizeof *t->exits);
  if (!t->uops || !t->exits)
    return fail(r, "out of memory for a trace of %llu uops",
                (unsigned long long)nu);
  for (uint64_t k = 0; k < nu; k++) {
    int got = next_line(r);
    if (got < 0)
      return -1;
    if (got == 0)
      return fail(r,
                  "end of file inside the trace started at line %lu "
                  "(%llu of %llu uops read)",
                  start, (unsigned long long)k, (unsigned long long)nu);
    if (strcmp(r->field[0], "u") != 0)
      return fail(r, "expected uop line %llu of %llu ('u ...'), got '%s'",
                  (unsigned long long)k + 1, (unsigned long long)nu,
                  r->field[0]);
    if (expect_fields(r, 7,
                      "u <OPNAME> <arg> <target> <exit> <op0-hex> <op1-hex>"))
      return -1;
    int op = find_op(ops, r->field[1]);
    if (op < 0)
      return fail(r, "unknown op '%s'", r->field[1]);
    uint64_t arg, target, exit, o0, o1;
    if (parse_u64(r, r->field[2], 10, UINT16_MAX, "arg", &arg) ||
        parse_u64(r, r->field[3], 10, UINT32_MAX, "target", &target) ||
        parse_u64(r, r->field[4], 10, UINT32_MAX, "exit", &exit) ||
        parse_u64(r, r->field[5], 16, UINT64_MAX, "operand0", &o0) ||
        parse_u64(r, r->field[6], 16, UINT64_MAX, "operand1", &o1))
      return -1;
    if (strlen(r->field[5]) > 16 || strlen(r->field[6]) > 16)
      return fail(r, "operand longer than 16 hex digits");
    if (target != 0 && target >= nu)
      return fail(r, "target %llu outside the trace (%llu uops)",
                  (unsigned long long)target, (unsigned long long)nu);
    if (exit != 0 && exit >= nx)
      return fail(r, "exit %llu outside the trace (%llu exits)",
                  (unsigned long long)exit, (unsigned long long)nx);
    cpjit_uop *u = &t->uops[k];
    u->op = (uint16_t)op;
    u->arg = (uint16_t)arg;
    u->target = (uint32_t)target;
    u->exit = (uint32_t)exit;
    u->operand[0] = o0;
    u->operand[1] = o1;
  }
  for (uint64_t k = 0; k < nx; k++) {
    int got = next_line(r);
    if (got < 0)
      return -1;
    if (got == 0)
      return fail(r,
                  "end of file inside the trace started at line %lu "
                  "(%llu of %llu exits read)",
                  start, (unsigned long long)k, (unsigned long long)nx);
    if (strcmp(r->field[0], "x") != 0)
      return fail(r, "expected exit line %llu of %llu ('x ...'), got '%s'",
                  (unsigned long long)k + 1, (unsigned long long)nx,
                  r->field[0]);
    uint64_t o0, o1;
    if (expect_fields(r, 3, "x <op0-hex> <op1-hex>") ||
        parse_u64(r, r->field[1], 16, UINT64_MAX, "operand0", &o0) ||
        parse_u64(r, r->field[2], 16, UINT64_MAX, "operand1", &o1))
      return -1;
    if (strlen(r->field[1]) > 16 || strlen(r->field[2]) > 16)
      return fail(r, "operand longer than 16 hex digits");
    t->exits[k].operand[0] = o0;
    t->exits[k].operand[1] = o1;
  }
  int got = next_line(r);
  if (got < 0)
    return -1;
  if (got == 0)
    return fail(r,
                "end of file: missing 'end' of the trace started at "
                "line %lu",
                start);
  if (strcmp(r->field[0], "end") != 0 || r->nfields != 1)
    return fail(r, "expected 'end' after %llu uops and %llu exits, got '%s'",
                (unsigned long long)nu, (unsigned long long)nx, r->field[0]);
  return 0;
}

int trace_corpus_read(FILE *f, const char *name, const char *want_set,
                      const trace_corpus_ops *ops, trace_corpus *out, char *err,
                      size_t errlen) {
  reader r;
  memset(&r, 0, sizeof r);
  r.f = f;
  r.name = name ? name : "<corpus>";
  r.err = err;
  r.errlen = errlen;
  if (!out)
    return -1;
  trace_corpus_init(out, NULL);
  if (!f || !ops || !ops->names)
    return fail(&r, "trace_corpus_read: NULL argument");
  if (read_header(&r, out->set, sizeof out->set))
    return -1;
  if (want_set && strcmp(out->set, want_set) != 0)
    return fail(&r, "corpus is for uop set '%s', expected '%s'", out->set,
                want_set);
  for (;;) {
    int got = next_line(&r);
    if (got < 0)
      goto bad;
    if (got == 0)
      break;
    if (strcmp(r.field[0], "trace") != 0) {
      fail(&r, "expected 'trace <nuops> <nexits>', got '%s'", r.field[0]);
      goto bad;
    }
    trace_corpus_trace t = {0};
    int rc = read_trace(&r, ops, &t);
    if (!rc && append(out, t.uops, t.nuops, t.exits, t.nexits))
      rc = fail(&r, "out of memory");
    if (rc) {
      free(t.uops);
      free(t.exits);
      goto bad;
    }
  }
  return 0;
bad:
  trace_corpus_free(out);
  return -1;
}

int trace_corpus_load(const char *path, const char *want_set,
                      const trace_corpus_ops *ops, trace_corpus *out, char *err,
                      size_t errlen) {
  if (out)
    trace_corpus_init(out, NULL);
  if (!path) {
    set_err(err, errlen, "trace_corpus_load: NULL path");
    return -1;
  }
  FILE *f = fopen(path, "r");
  if (!f) {
    set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  if (err && errlen)
    err[0] = '\0';
  int rc = trace_corpus_read(f, path, want_set, ops, out, err, errlen);
  fclose(f);
  return rc;
}

int trace_corpus_peek_set(const char *path, char *set, size_t setlen, char *err,
                          size_t errlen) {
  FILE *f = path ? fopen(path, "r") : NULL;
  if (!f) {
    set_err(err, errlen, "%s: cannot open: %s", path ? path : "(null)",
            strerror(errno));
    return -1;
  }
  reader r;
  memset(&r, 0, sizeof r);
  r.f = f;
  r.name = path;
  r.err = err;
  r.errlen = errlen;
  int rc = read_header(&r, set, setlen);
  fclose(f);
  return rc;
}
