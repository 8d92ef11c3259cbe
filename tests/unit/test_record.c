/*
 * test_record.c -- the IR the trace recorder and the loop pass produce for
 * small Lua loops: typed arithmetic, loop-carried values (PHIs), hoisted
 * invariants, back-edge stores, folded guards, CSE of table accesses, the
 * EXEC barrier and snapshot contents.
 *
 * What is observed: -jdump's listing of the IR (ir_dump, with the loop
 * pass's ^ hoisted / - dead marks and snapshots) and its "phi" lines,
 * captured from stderr while the loop runs in this process. The listing is
 * the JIT's documented view of a trace; parsing it needs no hook into
 * trace.c, and the same text is what a developer reads with -jdump. Each
 * script also stores its result in a global, checked against the value
 * the interpreter computes, so a trace that looks right but runs wrong
 * fails too.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "luaapi.h"
#include "trace/trace.h"

/* -- One trace's listing ----------------------------------------------------- */

typedef struct DIns {
  int ref;
  char mark;     /* ' ', '^' hoisted, '-' dead */
  char tag[4];   /* "int", "num", "tab", ... or "" */
  char op[8];
  char args[96]; /* operand text up to the snapshot */
  int exit;      /* -1: no snapshot */
  char snap[160];
} DIns;

typedef struct DPhi {
  int slot, phi, val;
} DPhi;

typedef struct Trace {
  int id, side;
  DIns ins[400];
  int nins;
  DPhi phis[64];
  int nphi;
} Trace;

static Trace traces[16];
static int ntraces;
static char listing[1 << 20];

static void parse(const char *text) {
  ntraces = 0;
  Trace *t = NULL;
  int section = 0; /* 1: IR, 2: registers */
  const char *p = text;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    char line[512];
    if (len >= sizeof line)
      len = sizeof line - 1;
    memcpy(line, p, len);
    line[len] = 0;
    p = e ? e + 1 : p + len;
    int id;
    char word[32];
    if (sscanf(line, "---- TRACE %d %31s", &id, word) == 2) {
      if (!strcmp(word, "start") && ntraces < 16) {
        t = &traces[ntraces++];
        memset(t, 0, sizeof *t);
        t->id = id;
        t->side = strstr(line, "(side of") != NULL;
        section = 0;
      } else if (!strcmp(word, "IR")) {
        section = 1;
      } else if (!strcmp(word, "registers")) {
        section = 2;
      } else {
        section = 0;
      }
      continue;
    }
    if (!t)
      continue;
    if (section == 1 && t->nins < 400 && len > 16) {
      DIns *d = &t->ins[t->nins++];
      memset(d, 0, sizeof *d);
      d->ref = atoi(line);
      d->mark = line[5];
      memcpy(d->tag, line + 7, 3);
      for (int k = 2; k >= 0 && d->tag[k] == ' '; k--)
        d->tag[k] = 0;
      sscanf(line + 11, "%7s", d->op);
      const char *a = line + 11 + strlen(d->op);
      const char *s = strstr(a, "  > exit ");
      size_t alen = s ? (size_t)(s - a) : strlen(a);
      if (alen >= sizeof d->args)
        alen = sizeof d->args - 1;
      while (alen > 0 && *a == ' ')
        a++, alen--;
      memcpy(d->args, a, alen);
      d->exit = -1;
      if (s) {
        d->exit = atoi(s + 9);
        const char *b = strchr(s, '{');
        if (b)
          snprintf(d->snap, sizeof d->snap, "%s", b);
      }
    } else if (section == 2 && !strncmp(line, "phi #", 5) && t->nphi < 64) {
      DPhi *ph = &t->phis[t->nphi];
      if (sscanf(line, "phi #%d: %d <- %d", &ph->slot, &ph->phi, &ph->val) == 3)
        t->nphi++;
    }
  }
}

/* Run `code` with -jdump (and the given IR pass switches) and parse the
 * listing of every trace it compiles. */
static void run_with(const char *code, int fold, int cse, int loop) {
  lua_State *L = luaL_newstate();
  assert_non_null(L);
  G(L)->opts.jit_enabled = 1;
  G(L)->opts.hotloop = 1;
  G(L)->opts.dump = 1;
  G(L)->opts.ir_fold = fold;
  G(L)->opts.ir_cse = cse;
  G(L)->opts.ir_loop = loop;
  jit_open(L);
  assert_non_null(G(L)->jit);
  luaL_openlibs(L);
  /* stderr into a file while the code runs */
  fflush(stderr);
  FILE *tmp = tmpfile();
  assert_non_null(tmp);
  int saved = dup(2);
  assert_true(saved >= 0);
  assert_true(dup2(fileno(tmp), 2) >= 0);
  int st = luaL_loadstring(L, code);
  if (st == LUA_OK)
    st = lua_pcall(L, 0, 0, 0);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  if (st != LUA_OK)
    fail_msg("script failed: %s", lua_tostring(L, -1));
  /* the result, against the interpreter's */
  lua_getglobal(L, "RESULT");
  char got[128];
  snprintf(got, sizeof got, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "(none)");
  lua_close(L);
  rewind(tmp);
  size_t n = fread(listing, 1, sizeof listing - 1, tmp);
  listing[n] = 0;
  fclose(tmp);
  parse(listing);

  L = luaL_newstate();
  G(L)->opts.jit_enabled = 0;
  luaL_openlibs(L);
  assert_int_equal(luaL_dostring(L, code), LUA_OK);
  lua_getglobal(L, "RESULT");
  if (!lua_tostring(L, -1) || strcmp(lua_tostring(L, -1), got) != 0)
    fail_msg("RESULT with the JIT %s, interpreter %s", got,
             lua_tostring(L, -1) ? lua_tostring(L, -1) : "(none)");
  lua_close(L);
}

static void run(const char *code) { run_with(code, 1, 1, 1); }

static void show(const Trace *t) {
  for (int k = 0; k < t->nins; k++) {
    const DIns *d = &t->ins[k];
    print_message("  %04d %c %-3s %-6s%s exit %d %s\n", d->ref, d->mark, d->tag,
                  d->op, d->args, d->exit, d->snap);
  }
  for (int k = 0; k < t->nphi; k++)
    print_message("  phi #%d: %04d <- %04d\n", t->phis[k].slot, t->phis[k].phi,
                  t->phis[k].val);
}

/* The first root trace. */
static const Trace *root(void) {
  for (int k = 0; k < ntraces; k++)
    if (!traces[k].side)
      return &traces[k];
  print_message("%s", listing);
  fail_msg("no root trace");
  return NULL;
}

static const DIns *find(const Trace *t, int ref) {
  for (int k = 0; k < t->nins; k++)
    if (t->ins[k].ref == ref)
      return &t->ins[k];
  return NULL;
}

static const char *op_of(const Trace *t, int ref) {
  const DIns *d = find(t, ref);
  return d ? d->op : "";
}

static char mark_of(const Trace *t, int ref) {
  const DIns *d = find(t, ref);
  return d ? d->mark : '?';
}

static int count_op(const Trace *t, const char *op, const char *tag) {
  int n = 0;
  for (int k = 0; k < t->nins; k++)
    if (!strcmp(t->ins[k].op, op) && (!tag || !strcmp(t->ins[k].tag, tag)) &&
        t->ins[k].mark != '-')
      n++;
  return n;
}

/* The SLOAD of slot s (the first one). */
static const DIns *sload(const Trace *t, int s) {
  char want[16];
  snprintf(want, sizeof want, "#%d", s);
  for (int k = 0; k < t->nins; k++) {
    const DIns *d = &t->ins[k];
    size_t n = strlen(want);
    if (!strcmp(d->op, "SLOAD") && !strncmp(d->args, want, n) &&
        (d->args[n] == 0 || d->args[n] == ' '))
      return d;
  }
  return NULL;
}

static const DPhi *phi_of(const Trace *t, int slot) {
  for (int k = 0; k < t->nphi; k++)
    if (t->phis[k].slot == slot)
      return &t->phis[k];
  return NULL;
}

static bool has_sstore(const Trace *t, int slot) {
  char want[16];
  snprintf(want, sizeof want, "#%d =", slot);
  for (int k = 0; k < t->nins; k++)
    if (!strcmp(t->ins[k].op, "SSTORE") && !strncmp(t->ins[k].args, want, strlen(want)))
      return true;
  return false;
}

#define CHECK(t, cond)                                                         \
  do {                                                                         \
    if (!(cond)) {                                                             \
      show(t);                                                                 \
      fail_msg("%s", #cond);                                                   \
    }                                                                          \
  } while (0)

/* "%04d" of r inside text (an operand or a snapshot entry). */
static bool mentions(const char *text, int r) {
  char want[8];
  snprintf(want, sizeof want, "%04d", r);
  return strstr(text, want) != NULL;
}

/* -- Tests ------------------------------------------------------------------- */

/* local s (slot 0); for loop at slots 1..4: index, count, step, variable */
static void integer_sum_is_carried_in_registers(void **state) {
  (void)state;
  run("local s = 0 for i = 1, 100 do s = s + i end RESULT = s");
  const Trace *t = root();
  const DIns *s = sload(t, 0), *i = sload(t, 4);
  CHECK(t, s && i);
  /* s is loop-carried: loaded once (hoisted), typed, a PHI */
  CHECK(t, s->mark == '^' && !strcmp(s->tag, "int"));
  CHECK(t, strstr(s->args, "phi") && strstr(s->args, "hoisted") == NULL);
  /* s + i is an integer ADD of the two loads, in the body */
  int add = 0;
  for (int k = 0; k < t->nins; k++) {
    const DIns *d = &t->ins[k];
    if (!strcmp(d->op, "ADD") && !strcmp(d->tag, "int") && mentions(d->args, s->ref) &&
        mentions(d->args, i->ref))
      add = d->ref;
  }
  CHECK(t, add != 0);
  CHECK(t, mark_of(t, add) == ' ');
  /* the back-edge gives s's SLOAD the ADD */
  const DPhi *p = phi_of(t, 0);
  CHECK(t, p && p->phi == s->ref && p->val == add);
  /* the for loop's count and variable are carried too */
  CHECK(t, phi_of(t, 2) && phi_of(t, 4));
  /* nothing carried is stored to its slot in the loop */
  CHECK(t, !has_sstore(t, 0) && !has_sstore(t, 2) && !has_sstore(t, 4));
  CHECK(t, count_op(t, "SSTORE", NULL) == 0);
  /* the step (slot 3) is invariant: hoisted, not carried */
  const DIns *step = sload(t, 3);
  CHECK(t, step && step->mark == '^' && !strstr(step->args, "phi"));
  CHECK(t, !phi_of(t, 3));
  /* loop-carried loads and hoisted guards exit through the entry snapshot,
   * which restores nothing */
  CHECK(t, s->exit >= 0 && !strcmp(s->snap, "{}"));
}

static void float_loop_uses_float_ops(void **state) {
  (void)state;
  run("local f = 1.0 for x = 0.5, 10.5 do f = f * x end RESULT = f");
  const Trace *t = root();
  const DIns *f = sload(t, 0);
  CHECK(t, f && !strcmp(f->tag, "num") && strstr(f->args, "phi"));
  CHECK(t, count_op(t, "MUL", "num") == 1);
  CHECK(t, count_op(t, "MUL", "int") == 0);
  const DPhi *p = phi_of(t, 0);
  CHECK(t, p && p->phi == f->ref && !strcmp(op_of(t, p->val), "MUL"));
  CHECK(t, !has_sstore(t, 0));
}

static void invariants_are_hoisted(void **state) {
  (void)state;
  run("local k = 7 local s = 0 for i = 1, 100 do s = s + k * 3 end RESULT = s");
  const Trace *t = root();
  const DIns *k = sload(t, 0);
  /* k is never written: loaded once, not carried; k * 3 runs once */
  CHECK(t, k && k->mark == '^' && !strstr(k->args, "phi"));
  CHECK(t, !phi_of(t, 0));
  int mul = 0;
  for (int j = 0; j < t->nins; j++)
    if (!strcmp(t->ins[j].op, "MUL") && mentions(t->ins[j].args, k->ref))
      mul = t->ins[j].ref;
  CHECK(t, mul && mark_of(t, mul) == '^');
  /* the sum is not invariant */
  const DPhi *p = phi_of(t, 1);
  CHECK(t, p && mark_of(t, p->val) == ' ');
  CHECK(t, !strcmp(op_of(t, p->val), "ADD") && mentions(find(t, p->val)->args, mul));
}

static void loop_pass_off_keeps_everything_in_the_body(void **state) {
  (void)state;
  run_with("local s = 0 for i = 1, 100 do s = s + i end RESULT = s", 1, 1, 0);
  const Trace *t = root();
  CHECK(t, t->nphi == 0);
  for (int k = 0; k < t->nins; k++)
    CHECK(t, t->ins[k].mark != '^');
  /* without carried values, s goes through memory at the back-edge */
  CHECK(t, has_sstore(t, 0));
}

static void constant_guards_fold(void **state) {
  (void)state;
  /* 10 > 3 holds: no guard for it; the only comparisons left are the for
   * loop's count check and its step, specialized as a constant */
  run("local s = 0 for i = 1, 100 do if 10 > 3 then s = s + 1 end end RESULT = s");
  const Trace *t = root();
  int cmps = count_op(t, "LT", NULL) + count_op(t, "LE", NULL) +
             count_op(t, "GT", NULL) + count_op(t, "GE", NULL) +
             count_op(t, "EQ", NULL) + count_op(t, "NE", NULL);
  CHECK(t, cmps == 2 && count_op(t, "NE", NULL) == 1 &&
               count_op(t, "EQ", NULL) == 1);
  /* folding off: the comparison of constants is a guard again */
  run_with("local s = 0 for i = 1, 100 do if 10 > 3 then s = s + 1 end end RESULT = s",
           0, 1, 1);
  t = root();
  cmps = count_op(t, "LT", NULL) + count_op(t, "LE", NULL) +
         count_op(t, "GT", NULL) + count_op(t, "GE", NULL) +
         count_op(t, "EQ", NULL) + count_op(t, "NE", NULL);
  CHECK(t, cmps == 3);
}

static void repeated_table_loads_are_shared(void **state) {
  (void)state;
  /* no store in the loop: one guarded load of t[2], hoisted with its
   * metatable and bounds guards */
  run("local t = {1,2,3} local s = 0 for i = 1, 100 do s = s + t[2] + t[2] end "
      "RESULT = s");
  const Trace *t = root();
  CHECK(t, count_op(t, "ALOAD", NULL) == 1);
  CHECK(t, count_op(t, "GNOMT", NULL) == 1 && count_op(t, "GARR", NULL) == 1);
  for (int k = 0; k < t->nins; k++)
    if (!strcmp(t->ins[k].op, "ALOAD") || !strcmp(t->ins[k].op, "GNOMT"))
      CHECK(t, t->ins[k].mark == '^');
  /* CSE off: two loads */
  run_with("local t = {1,2,3} local s = 0 for i = 1, 100 do s = s + t[2] + t[2] end "
           "RESULT = s", 1, 0, 1);
  CHECK(root(), count_op(root(), "ALOAD", NULL) == 2);
}

/* Bounds-check elimination: the for loop's index with step 1, reads at
 * i-1, i, i+1 of an invariant table: the body has no GARR left, the entry
 * checks the first and the last index of each offset. */
static void bounds_checks_move_to_the_entry(void **state) {
  (void)state;
  const char *code = "local t = {} for i = 1, 300 do t[i] = i end local s = 0 "
                     "for i = 2, 299 do s = s + t[i - 1] + t[i] + t[i + 1] end "
                     "RESULT = s";
  run(code);
  const Trace *t = NULL;
  for (int k = 0; k < ntraces; k++) /* the summing loop: three ALOADs */
    if (count_op(&traces[k], "ALOAD", NULL) == 3)
      t = &traces[k];
  assert_non_null(t);
  int body = 0, entry = 0;
  for (int k = 0; k < t->nins; k++)
    if (!strcmp(t->ins[k].op, "GARR"))
      t->ins[k].mark == '^' ? entry++ : body++;
  CHECK(t, body == 0 && entry == 6);
  /* a step other than 1 (or a computed one): the checks stay in the body */
  run("local t = {} for i = 1, 300 do t[i] = i end local s = 0 "
      "for i = 1, 299, 2 do s = s + t[i] end RESULT = s");
  t = NULL;
  for (int k = 0; k < ntraces; k++)
    if (count_op(&traces[k], "ALOAD", NULL) == 1 && !traces[k].side)
      t = &traces[k];
  assert_non_null(t);
  body = 0;
  for (int k = 0; k < t->nins; k++)
    if (!strcmp(t->ins[k].op, "GARR") && t->ins[k].mark != '^')
      body++;
  CHECK(t, body == 1);
}

static void stores_keep_loads_in_the_loop(void **state) {
  (void)state;
  /* t[1] = t[2] + t[2]: the two reads share one load, but a store in the
   * loop keeps it in the body (it may read what the store wrote) */
  run("local t = {1,2,3} for i = 1, 100 do t[1] = t[2] + t[2] end "
      "RESULT = t[1] .. ',' .. t[2]");
  const Trace *t = root();
  CHECK(t, count_op(t, "ALOAD", NULL) == 1 && count_op(t, "ASTORE", NULL) == 1);
  int al = 0, as = 0;
  for (int k = 0; k < t->nins; k++) {
    if (!strcmp(t->ins[k].op, "ALOAD"))
      al = k;
    if (!strcmp(t->ins[k].op, "ASTORE"))
      as = k;
  }
  CHECK(t, t->ins[al].mark == ' ' && t->ins[as].mark == ' ');
  /* the table's own guards stay hoisted: stores do not change its shape */
  CHECK(t, count_op(t, "GNOMT", NULL) == 1);
  for (int k = 0; k < t->nins; k++)
    if (!strcmp(t->ins[k].op, "GNOMT"))
      CHECK(t, t->ins[k].mark == '^');
  /* a load after the store in the same iteration is the stored value */
  run("local t = {1,2,3} local s = 0 for i = 1, 100 do t[2] = i s = s + t[2] end "
      "RESULT = s");
  t = root();
  CHECK(t, count_op(t, "ALOAD", NULL) == 0 && count_op(t, "ASTORE", NULL) == 1);
}

static void exec_is_a_barrier(void **state) {
  (void)state;
  /* a closure's creation runs in the interpreter's slow path (EXEC): it
   * may run anything (a collection, finalizers), so nothing is hoisted or
   * carried */
  run("local x = 0 local n = 0 for i = 1, 100 do x = x + 1 "
      "local u = function() end n = n + x * 2 end RESULT = x .. ',' .. n");
  const Trace *t = root();
  CHECK(t, count_op(t, "MEMOP", NULL) >= 1);
  CHECK(t, t->nphi == 0);
  for (int k = 0; k < t->nins; k++)
    CHECK(t, t->ins[k].mark != '^');
  /* x, written before the EXEC, is stored before it (the slow path reads
   * the frame) */
  int sst = -1, memop = -1;
  for (int k = 0; k < t->nins; k++) {
    if (!strcmp(t->ins[k].op, "SSTORE") && !strncmp(t->ins[k].args, "#0 =", 4) && sst < 0)
      sst = k;
    if (!strcmp(t->ins[k].op, "MEMOP") && memop < 0)
      memop = k;
  }
  CHECK(t, sst >= 0 && memop >= 0 && sst < memop);
}

static void snapshots_name_dirty_slots(void **state) {
  (void)state;
  run("local s, t = 0, 0 for i = 1, 100 do s = s + i if i > 50 then t = t + 1 end "
      "end RESULT = s .. ',' .. t");
  const Trace *t = root();
  /* the guard on i (recorded not taken: i <= 50) comes after s = s + i:
   * its snapshot restores s from the ADD, and the loop's slots */
  const DIns *s = sload(t, 0);
  const DPhi *ps = phi_of(t, 0);
  CHECK(t, s && ps);
  const DIns *g = NULL;
  for (int k = 0; k < t->nins; k++)
    if (!strcmp(t->ins[k].op, "LE") || !strcmp(t->ins[k].op, "GT"))
      g = &t->ins[k];
  CHECK(t, g && g->exit >= 0);
  char want[32];
  snprintf(want, sizeof want, "#0=%04d", ps->val);
  CHECK(t, strstr(g->snap, want) != NULL);
  /* t (slot 1) was not written on this path: memory is current, it is not
   * in the snapshot */
  CHECK(t, strstr(g->snap, "#1=") == NULL);
  /* the other way out of the guard became a side trace that starts by
   * checking the opposite condition, with t incremented and stored */
  bool side = false;
  for (int k = 0; k < ntraces; k++) /* (another one may start at the loop's */
    if (traces[k].side &&            /* end: RESULT's concatenation) */
        count_op(&traces[k], "GT", NULL) + count_op(&traces[k], "LE", NULL) >= 1)
      side = true;
  assert_true(side);
}

static void snapshot_before_first_write_names_the_phi(void **state) {
  (void)state;
  /* a guard before s's write in the body: memory still holds the value of
   * the iteration before, so the snapshot restores s from its PHI */
  run("local s = 0 for i = 1, 100 do if i > 1000 then break end s = s + i "
      "end RESULT = s");
  const Trace *t = root();
  const DPhi *ps = phi_of(t, 0);
  CHECK(t, ps);
  /* the first guard in the body (not hoisted) that comes before the ADD */
  const DIns *add = find(t, ps->val);
  CHECK(t, add);
  const DIns *g = NULL;
  for (int k = 0; k < t->nins && t->ins[k].ref < add->ref; k++)
    if (t->ins[k].mark == ' ' && t->ins[k].exit >= 0 && strcmp(t->ins[k].snap, "{}"))
      g = &t->ins[k];
  CHECK(t, g);
  char want[32];
  snprintf(want, sizeof want, "#0=%04d", ps->phi);
  CHECK(t, strstr(g->snap, want) != NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(integer_sum_is_carried_in_registers),
      cmocka_unit_test(float_loop_uses_float_ops),
      cmocka_unit_test(invariants_are_hoisted),
      cmocka_unit_test(loop_pass_off_keeps_everything_in_the_body),
      cmocka_unit_test(constant_guards_fold),
      cmocka_unit_test(repeated_table_loads_are_shared),
      cmocka_unit_test(stores_keep_loads_in_the_loop),
      cmocka_unit_test(bounds_checks_move_to_the_entry),
      cmocka_unit_test(exec_is_a_barrier),
      cmocka_unit_test(snapshots_name_dirty_slots),
      cmocka_unit_test(snapshot_before_first_write_names_the_phi),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
