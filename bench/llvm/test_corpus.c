/*
 * test_corpus.c -- the trace corpus format (bench/trace_corpus.h): a
 * written corpus reads back identical, and every kind of malformed input is
 * refused with "file:line: message" naming the right line.
 */
#define _POSIX_C_SOURCE 200809L
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_corpus.h"

static const char *const names[] = {"NOP", "ADD", "GUARD", "LOOP", "EXIT"};
static const trace_corpus_ops ops = {names, 5};

static uint64_t rnd(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static int read_text(const char *text, trace_corpus *c, char *err,
                     size_t errlen) {
  FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
  assert_non_null(f);
  int rc = trace_corpus_read(f, "t.corpus", "demo", &ops, c, err, errlen);
  fclose(f);
  return rc;
}

static void write_then_read_gives_the_same_traces(void **unused) {
  (void)unused;
  trace_corpus c, back;
  trace_corpus_init(&c, "demo");
  uint64_t s = 88172645463325252ull;
  cpjit_uop u[300];
  cpjit_exit e[40];
  for (int t = 0; t < 25; t++) {
    uint32_t n = 1 + (uint32_t)(rnd(&s) % 300), ne = (uint32_t)(rnd(&s) % 40);
    memset(u, 0, sizeof u);
    for (uint32_t i = 0; i < n; i++) {
      u[i].op = (uint16_t)(rnd(&s) % 5);
      u[i].arg = (uint16_t)rnd(&s);
      u[i].target = (uint32_t)(rnd(&s) % n);
      u[i].exit = ne ? (uint32_t)(rnd(&s) % ne) : 0;
      u[i].operand[0] = rnd(&s);
      u[i].operand[1] = i % 3 ? rnd(&s) >> (rnd(&s) % 64) : UINT64_MAX;
    }
    for (uint32_t i = 0; i < ne; i++)
      e[i].operand[0] = rnd(&s), e[i].operand[1] = i;
    assert_int_equal(trace_corpus_add(&c, u, n, e, ne), 0);
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  char err[256];
  assert_int_equal(trace_corpus_write(f, &c, &ops, err, sizeof err), 0);
  fclose(f);
  assert_int_equal(read_text(buf, &back, err, sizeof err), 0);
  assert_string_equal(back.set, "demo");
  assert_int_equal(back.ntraces, c.ntraces);
  for (size_t t = 0; t < c.ntraces; t++) {
    assert_int_equal(back.traces[t].nuops, c.traces[t].nuops);
    assert_int_equal(back.traces[t].nexits, c.traces[t].nexits);
    assert_memory_equal(back.traces[t].uops, c.traces[t].uops,
                        c.traces[t].nuops * sizeof(cpjit_uop));
    if (c.traces[t].nexits)
      assert_memory_equal(back.traces[t].exits, c.traces[t].exits,
                          c.traces[t].nexits * sizeof(cpjit_exit));
  }
  free(buf);
  trace_corpus_free(&c);
  trace_corpus_free(&back);
}

static void writer_refuses_an_op_without_a_name(void **unused) {
  (void)unused;
  trace_corpus c;
  trace_corpus_init(&c, "demo");
  cpjit_uop u = {0};
  u.op = 9;
  assert_int_equal(trace_corpus_add(&c, &u, 1, NULL, 0), 0);
  assert_int_equal(trace_corpus_add(&c, &u, 0, NULL, 0), -1);
  FILE *f = fopen("/dev/null", "w");
  assert_non_null(f);
  char err[256] = "";
  assert_int_equal(trace_corpus_write(f, &c, &ops, err, sizeof err), -1);
  assert_non_null(strstr(err, "op 9 has no name"));
  fclose(f);
  trace_corpus_free(&c);
}

static void comments_blank_lines_and_ops_by_name_are_read(void **unused) {
  (void)unused;
  const char *text = "# a comment\ncpjit-trace-corpus 1 demo\n\n"
                     "trace 2 1\nu EXIT 0 0 0 0 0\nu ADD 16 1 0 ff 10\n"
                     "x 7 0\nend\n";
  trace_corpus c;
  char err[256];
  assert_int_equal(read_text(text, &c, err, sizeof err), 0);
  assert_int_equal(c.ntraces, 1);
  assert_int_equal(c.traces[0].uops[0].op, 4);
  assert_int_equal(c.traces[0].uops[1].op, 1);
  assert_int_equal(c.traces[0].uops[1].arg, 16);
  assert_int_equal(c.traces[0].uops[1].target, 1);
  assert_int_equal(c.traces[0].uops[1].operand[0], 0xff);
  assert_int_equal(c.traces[0].exits[0].operand[0], 7);
  trace_corpus_free(&c);
}

/* Each bad input and the "line: message" it must give. */
static const struct {
  const char *text, *want;
} bad[] = {
    {"", "t.corpus:0: empty file"},
    {"hello\n", "t.corpus:1: not a trace corpus"},
    {"cpjit-trace-corpus 2 demo\n", "t.corpus:1: corpus version 2"},
    {"cpjit-trace-corpus 1 other\n",
     "t.corpus:1: corpus is for uop set 'other'"},
    {"cpjit-trace-corpus 1\n", "t.corpus:1: expected 'cpjit-trace-corpus"},
    {"cpjit-trace-corpus 1 demo\nfoo\n", "t.corpus:2: expected 'trace"},
    {"cpjit-trace-corpus 1 demo\ntrace 0 0\nend\n",
     "t.corpus:2: a trace needs at least one uop"},
    {"cpjit-trace-corpus 1 demo\ntrace -1 0\n", "t.corpus:2: nuops"},
    {"cpjit-trace-corpus 1 demo\ntrace 99999999999 0\n",
     "t.corpus:2: nuops: 99999999999 is out of range"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu MUL 0 0 0 0 0\nend\n",
     "t.corpus:3: unknown op 'MUL'"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 70000 0 0 0 0\nend\n",
     "t.corpus:3: arg: 70000 is out of range"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 5 0 0 0\nend\n",
     "t.corpus:3: target 5 outside the trace"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 1\nu ADD 0 0 3 0 0\nx 0 0\nend\n",
     "t.corpus:3: exit 3 outside the trace"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 0 0 zz 0\nend\n",
     "t.corpus:3: operand0: 'zz' is not a hex number"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 0 0 0x1 0\nend\n",
     "t.corpus:3: operand0: '0x1' is not a hex number"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 0 0 10000000000000000 0\n",
     "t.corpus:3: operand0: 10000000000000000 is out of range"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 0 0 0\nend\n",
     "t.corpus:3: expected 'u <OPNAME>"},
    {"cpjit-trace-corpus 1 demo\ntrace 2 0\nu ADD 0 0 0 0 0\n",
     "t.corpus:3: end of file inside the trace started at line 2 (1 of 2"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 1\nu ADD 0 0 0 0 0\nend\n",
     "t.corpus:4: expected exit line 1 of 1"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 1\nu ADD 0 0 0 0 0\nx 1\nend\n",
     "t.corpus:4: expected 'x <op0-hex> <op1-hex>'"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 0 0 0 0\n",
     "t.corpus:3: end of file: missing 'end'"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 0 0 0 0\nu ADD 0 0 0 0 0\n",
     "t.corpus:4: expected 'end' after 1 uops"},
    {"cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD 0 0 0 0 0 0 0 0 0\n",
     "t.corpus:3: too many fields"},
};

static void malformed_input_reports_file_and_line(void **unused) {
  (void)unused;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    trace_corpus c;
    char err[256] = "";
    if (read_text(bad[i].text, &c, err, sizeof err) != -1)
      fail_msg("case %zu was accepted", i);
    assert_int_equal(c.ntraces, 0);
    assert_null(c.traces);
    if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
      fail_msg("case %zu: got '%s', want '%s...'", i, err, bad[i].want);
  }
}

static void an_overlong_line_is_refused(void **unused) {
  (void)unused;
  char text[2048];
  int n = snprintf(text, sizeof text,
                   "cpjit-trace-corpus 1 demo\ntrace 1 0\nu ADD");
  memset(text + n, ' ', 1000);
  strcpy(text + n + 1000, "0 0 0 0 0\nend\n");
  trace_corpus c;
  char err[256] = "";
  assert_int_equal(read_text(text, &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "t.corpus:3: line longer than"));
}

static void a_missing_file_is_an_error_not_a_crash(void **unused) {
  (void)unused;
  trace_corpus c;
  char err[256] = "";
  assert_int_equal(trace_corpus_load("/nonexistent/x.corpus", NULL, &ops, &c,
                                     err, sizeof err),
                   -1);
  assert_non_null(strstr(err, "/nonexistent/x.corpus: cannot open"));
  char set[64];
  assert_int_equal(trace_corpus_peek_set("/nonexistent/x.corpus", set,
                                         sizeof set, err, sizeof err),
                   -1);
}

/* Random corruption of a valid corpus: the reader accepts or refuses, and
 * a refusal always names the file and a line. (Run under ASan by
 * `make test-asan`, this is a small fuzzer.) */
static void corrupted_corpora_never_crash(void **unused) {
  (void)unused;
  const char *valid = "cpjit-trace-corpus 1 demo\ntrace 3 2\n"
                      "u ADD 16 2 1 ff 10\nu GUARD 0 0 1 0 ffffffffffffffff\n"
                      "u LOOP 32 0 0 a b\nx 7 0\nx 8 1\nend\n"
                      "trace 1 0\nu EXIT 0 0 0 0 0\nend\n";
  static const char junk[] = " \n\t0179afxuend-#\r";
  size_t len = strlen(valid);
  uint64_t s = 12345;
  int refused = 0, accepted = 0;
  for (int i = 0; i < 5000; i++) {
    char text[512];
    memcpy(text, valid, len + 1);
    int edits = 1 + (int)(rnd(&s) % 3);
    for (int k = 0; k < edits; k++) {
      size_t at = rnd(&s) % len;
      if (rnd(&s) % 4 == 0) /* cut the file short */
        text[at] = '\0';
      else
        text[at] = junk[rnd(&s) % (sizeof junk - 1)];
    }
    trace_corpus c;
    char err[256] = "";
    if (read_text(text, &c, err, sizeof err) == 0) {
      accepted++;
      for (size_t t = 0; t < c.ntraces; t++)
        for (uint32_t k = 0; k < c.traces[t].nuops; k++) {
          assert_true(c.traces[t].uops[k].op < ops.count);
          assert_true(c.traces[t].uops[k].target == 0 ||
                      c.traces[t].uops[k].target < c.traces[t].nuops);
        }
      trace_corpus_free(&c);
    } else {
      refused++;
      assert_int_equal(strncmp(err, "t.corpus:", 9), 0);
    }
  }
  assert_true(refused > 1000);
  assert_true(accepted > 0); /* e.g. an operand digit changed */
}

/* Register uop variants get their stencils' names, in op order after the
 * plain uops; a table with a gap is refused. */
static void register_uop_variants_are_named_like_their_stencils(void **unused) {
  (void)unused;
  static const cpjit_ruop_info r[2] = {
      {"MOV", 5, 4, 2, {CPJIT_REG_G, CPJIT_REG_G, 0}, {2, 2, 0}, 0},
      {"LD", 9, 6, 3, {CPJIT_REG_F, CPJIT_REG_G, CPJIT_REG_G}, {3, 1, 2}, 0}};
  trace_corpus_ops all;
  assert_int_equal(trace_corpus_ops_with_ruops(&all, names, 5, r, 2), 0);
  assert_int_equal(all.count, 15);
  assert_string_equal(all.names[4], "EXIT");
  assert_string_equal(all.names[5], "MOV__0_0");
  assert_string_equal(all.names[6], "MOV__0_1");
  assert_string_equal(all.names[7], "MOV__1_0");
  assert_string_equal(all.names[8], "MOV__1_1");
  assert_string_equal(all.names[9], "LD__0_0_0");
  assert_string_equal(all.names[10], "LD__0_0_1");
  assert_string_equal(all.names[14], "LD__2_0_1");
  /* and a corpus naming them reads back */
  static const char text[] = "cpjit-trace-corpus 1 demo\n"
                             "trace 2 1\n"
                             "u LD__2_0_1 0 0 0 0 0\n"
                             "u MOV__1_0 0 0 0 0 0\n"
                             "x 1 0\n"
                             "end\n";
  FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
  assert_non_null(f);
  trace_corpus c;
  char err[256];
  assert_int_equal(trace_corpus_read(f, "t.corpus", "demo", &all, &c, err,
                                     sizeof err),
                   0);
  fclose(f);
  assert_int_equal(c.traces[0].uops[0].op, 14);
  assert_int_equal(c.traces[0].uops[1].op, 7);
  trace_corpus_free(&c);
  trace_corpus_ops_free(&all);
  assert_null(all.names);

  static const cpjit_ruop_info gap[1] = {
      {"MOV", 6, 4, 2, {CPJIT_REG_G, CPJIT_REG_G, 0}, {2, 2, 0}, 0}};
  assert_int_equal(trace_corpus_ops_with_ruops(&all, names, 5, gap, 1), -1);
  assert_null(all.names);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(write_then_read_gives_the_same_traces),
      cmocka_unit_test(writer_refuses_an_op_without_a_name),
      cmocka_unit_test(comments_blank_lines_and_ops_by_name_are_read),
      cmocka_unit_test(malformed_input_reports_file_and_line),
      cmocka_unit_test(an_overlong_line_is_refused),
      cmocka_unit_test(a_missing_file_is_an_error_not_a_crash),
      cmocka_unit_test(corrupted_corpora_never_crash),
      cmocka_unit_test(register_uop_variants_are_named_like_their_stencils),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
