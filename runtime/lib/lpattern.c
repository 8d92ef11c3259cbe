/*
 * lpattern.c -- the Lua 5.4 pattern matcher (see lpattern.h).
 *
 * A backtracking matcher over byte strings.  The pattern is walked item by
 * item; a single-character item (".", "%a", "[set]", a literal) may carry a
 * quantifier.  "*" and "+" expand greedily and give back one character at a
 * time, "-" expands lazily, "?" tries with and without.  Captures are kept in
 * a fixed array; an open capture has length LPAT_CAP_UNFINISHED until its
 * ")" is reached.  Recursion happens at quantifiers, captures and "?", and is
 * bounded by LPAT_MAXDEPTH so hostile patterns fail with "pattern too
 * complex" instead of exhausting the C stack.
 *
 * Errors are detected lazily, when the matcher reaches the faulty part of
 * the pattern, as lua5.4 does: searching "x%" in "abc" quietly fails because
 * the '%' is never reached.  Once an error is recorded every function
 * returns NULL at once.
 */
#include "lpattern.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ESC '%'

/* -- Errors -- */

static const char *fail(LPatState *ms, LPatError err) {
  if (ms->error == LPAT_OK)
    ms->error = err;
  return NULL;
}

static const char *fail_index(LPatState *ms, int index) {
  if (ms->error == LPAT_OK) {
    ms->error = LPAT_ERR_CAPTURE_INDEX;
    ms->error_index = index;
  }
  return NULL;
}

const char *lpat_errmsg(LPatState *ms) {
  switch (ms->error) {
  case LPAT_OK: return "no error";
  case LPAT_ERR_ENDS_WITH_ESC: return "malformed pattern (ends with '%')";
  case LPAT_ERR_MISSING_BRACKET: return "malformed pattern (missing ']')";
  case LPAT_ERR_BALANCE_ARGS:
    return "malformed pattern (missing arguments to '%b')";
  case LPAT_ERR_FRONTIER: return "missing '[' after '%f' in pattern";
  case LPAT_ERR_CAPTURE_INDEX:
    snprintf(ms->errbuf, sizeof ms->errbuf, "invalid capture index %%%d",
             ms->error_index);
    return ms->errbuf;
  case LPAT_ERR_PATTERN_CAPTURE: return "invalid pattern capture";
  case LPAT_ERR_TOO_MANY_CAPTURES: return "too many captures";
  case LPAT_ERR_TOO_COMPLEX: return "pattern too complex";
  case LPAT_ERR_UNFINISHED: return "unfinished capture";
  }
  return "unknown pattern error";
}

/* -- Single-character items -- */

/* Class membership of every byte, from the C library's ctype functions in
 * the current locale (so "%a" means what isalpha says, as in lua5.4), built
 * once and again after os.setlocale (lpat_locale_changed): the matcher's
 * inner loops test a bit instead of calling into libc per byte. */
enum {
  CL_A = 1 << 0, CL_C = 1 << 1, CL_D = 1 << 2, CL_G = 1 << 3, CL_L = 1 << 4,
  CL_P = 1 << 5, CL_S = 1 << 6, CL_U = 1 << 7, CL_W = 1 << 8, CL_X = 1 << 9,
  CL_Z = 1 << 10
};
static uint16_t class_tab[256];
/* For every byte used as a class letter after '%': its class bit (0 when
 * the letter is no class and stands for itself), plus CL_NEG when the class
 * is complemented ("%A"), as tolower/isupper say in the current locale. */
#define CL_NEG (1u << 15)
static uint16_t class_code[256];
static int class_tab_ready;

/* The class bit of a lower-case class letter, 0 for other letters. */
static const uint16_t class_bit[26] = {
    ['a' - 'a'] = CL_A, ['c' - 'a'] = CL_C, ['d' - 'a'] = CL_D,
    ['g' - 'a'] = CL_G, ['l' - 'a'] = CL_L, ['p' - 'a'] = CL_P,
    ['s' - 'a'] = CL_S, ['u' - 'a'] = CL_U, ['w' - 'a'] = CL_W,
    ['x' - 'a'] = CL_X, ['z' - 'a'] = CL_Z};

static void class_tab_build(void) {
  for (int c = 0; c < 256; c++) {
    class_tab[c] = (uint16_t)((isalpha(c) ? CL_A : 0) | (iscntrl(c) ? CL_C : 0) |
                              (isdigit(c) ? CL_D : 0) | (isgraph(c) ? CL_G : 0) |
                              (islower(c) ? CL_L : 0) | (ispunct(c) ? CL_P : 0) |
                              (isspace(c) ? CL_S : 0) | (isupper(c) ? CL_U : 0) |
                              (isalnum(c) ? CL_W : 0) | (isxdigit(c) ? CL_X : 0) |
                              (c == 0 ? CL_Z : 0)); /* %z: deprecated, still in 5.4 */
    unsigned low = (unsigned)tolower(c) - 'a';
    uint16_t bit = low < 26 ? class_bit[low] : 0;
    class_code[c] = (uint16_t)(bit == 0 ? 0 : bit | (isupper(c) ? CL_NEG : 0));
  }
  class_tab_ready = 1;
}

void lpat_locale_changed(void) { class_tab_ready = 0; }

/* Does byte c belong to the class whose class_code is code (not 0)? */
static inline int class_code_matches(int c, unsigned code) {
  return ((class_tab[c] & code & ~CL_NEG) != 0) != ((code & CL_NEG) != 0);
}

/* Does byte c belong to class letter cl ("%a", "%D", ...)?  A letter that
 * is not a class stands for itself ("%." is a dot). */
static inline int class_matches(int c, int cl) {
  unsigned code = class_code[cl];
  if (code == 0)
    return cl == c;
  return class_code_matches(c, code);
}

/* Byte c against the set that starts at '[' (p) and whose ']' is at close. */
static int set_matches(int c, const char *p, const char *close) {
  int negated = 0;
  p++; /* skip '[' */
  if (*p == '^') {
    negated = 1;
    p++;
  }
  while (p < close) {
    if (*p == ESC) {
      if (class_matches(c, (unsigned char)p[1]))
        return !negated;
      p += 2;
    } else if (p + 2 < close && p[1] == '-') {
      if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
        return !negated;
      p += 3;
    } else {
      if ((unsigned char)*p == c)
        return !negated;
      p++;
    }
  }
  return negated;
}

/* End of the single-character item starting at p (exclusive), or NULL on a
 * malformed item. */
static const char *item_end(LPatState *ms, const char *p) {
  char first = *p++;
  if (first == ESC) {
    if (p >= ms->p_end)
      return fail(ms, LPAT_ERR_ENDS_WITH_ESC);
    return p + 1;
  }
  if (first == '[') {
    if (p < ms->p_end && *p == '^')
      p++;
    /* The first member is taken literally, so "[]]" is a set holding ']'. */
    do {
      if (p >= ms->p_end)
        return fail(ms, LPAT_ERR_MISSING_BRACKET);
      if (*p++ == ESC && p < ms->p_end)
        p++;
    } while (p >= ms->p_end || *p != ']');
    return p + 1;
  }
  return p;
}

/* Does the subject byte at s match the item [p, ep)? */
static int item_matches(LPatState *ms, const char *s, const char *p,
                        const char *ep) {
  if (s >= ms->src_end)
    return 0;
  int c = (unsigned char)*s;
  switch (*p) {
  case '.': return 1;
  case ESC: return class_matches(c, (unsigned char)p[1]);
  case '[': return set_matches(c, p, ep - 1);
  default: return (unsigned char)*p == c;
  }
}

/* -- The matcher -- */

static const char *match(LPatState *ms, const char *s, const char *p);

/* %bxy at p (p points at x). */
static const char *match_balance(LPatState *ms, const char *s,
                                 const char *p) {
  if (p + 1 >= ms->p_end)
    return fail(ms, LPAT_ERR_BALANCE_ARGS);
  if (s >= ms->src_end || *s != p[0])
    return NULL;
  char open = p[0], close = p[1];
  int depth = 1;
  while (++s < ms->src_end) {
    if (*s == close) {
      if (--depth == 0)
        return s + 1;
    } else if (*s == open) {
      depth++;
    }
  }
  return NULL;
}

/* How many bytes from s on match the single-character item [p, ep): the
 * item is decoded once, not per byte. */
static ptrdiff_t count_matches(LPatState *ms, const char *s, const char *p,
                               const char *ep) {
  ptrdiff_t n = ms->src_end - s, i = 0;
  switch (*p) {
  case '.': return n;
  case ESC: {
    int cl = (unsigned char)p[1];
    unsigned code = class_code[cl];
    if (code == 0) {
      while (i < n && (unsigned char)s[i] == cl)
        i++;
    } else {
      uint16_t bit = (uint16_t)(code & ~CL_NEG);
      if (code & CL_NEG) {
        while (i < n && (class_tab[(unsigned char)s[i]] & bit) == 0)
          i++;
      } else {
        while (i < n && (class_tab[(unsigned char)s[i]] & bit) != 0)
          i++;
      }
    }
    return i;
  }
  case '[':
    while (i < n && set_matches((unsigned char)s[i], p, ep - 1))
      i++;
    return i;
  default:
    while (i < n && s[i] == *p)
      i++;
    return i;
  }
}

/* -- Looking ahead at the rest of a pattern --
 * After a quantified item, the matcher tries the rest of the pattern at
 * many positions, most of which fail on the rest's first byte. When that
 * first item is simple, the positions where it cannot match are skipped
 * without calling match(); the result is the same, only found sooner.
 *
 * The look-ahead goes past captures opening and closing (they consume
 * nothing), but only where running them would raise no error (a ')'
 * with an open capture to close, a '(' with room for one more), and only
 * when the recursion budget covers the calls it saves, so a pattern that
 * fails with "pattern too complex" or "invalid pattern capture" under
 * lua5.4 still does. */
typedef enum NextKind {
  NEXT_ANY,   /* no cheap test: run the matcher */
  NEXT_EMPTY, /* the rest is empty: it matches anywhere */
  NEXT_EOS,   /* the rest is a final '$' (after captures closing, when
                 code is 0): it matches at the subject's end */
  NEXT_CHAR,  /* the rest begins with byte code (one or more times) */
  NEXT_CLASS  /* ... with one of the class coded by code */
} NextKind;

typedef struct NextItem {
  NextKind kind;
  unsigned code;
} NextItem;

static NextItem next_item(const LPatState *ms, const char *p) {
  NextItem nx = {NEXT_ANY, 0};
  int open = 0, level = ms->level, calls = 1;
  for (int i = 0; i < level; i++)
    open += ms->capture[i].len == LPAT_CAP_UNFINISHED;
  for (;;) {
    if (p >= ms->p_end) {
      nx.kind = NEXT_EMPTY;
      break;
    }
    if (*p == '(') {
      if (level >= LPAT_MAXCAPTURES)
        return nx;
      level++;
      if (p + 1 < ms->p_end && p[1] == ')') {
        p += 2;
      } else {
        open++;
        p++;
      }
      calls++;
    } else if (*p == ')') {
      if (open == 0)
        return nx;
      open--;
      p++;
      calls++;
    } else {
      break;
    }
  }
  if (ms->depth <= calls)
    return (NextItem){NEXT_ANY, 0};
  if (nx.kind == NEXT_EMPTY) /* closing captures left to run: no shortcut */
    return calls == 1 ? nx : (NextItem){NEXT_ANY, 0};
  const char *ep = p + 1;
  switch (*p) {
  case '.': case '[':
    return nx;
  case '$':
    if (p + 1 == ms->p_end) {
      nx.kind = NEXT_EOS;
      nx.code = calls == 1; /* 1: nothing to run after the test */
      return nx;
    }
    nx.code = '$';
    break;
  case ESC: {
    if (p + 1 >= ms->p_end)
      return nx;
    int cl = (unsigned char)p[1];
    if (cl == 'b' || cl == 'f' || isdigit(cl))
      return nx;
    nx.code = class_code[cl];
    if (nx.code == 0) {
      nx.code = (unsigned)cl;
    } else {
      nx.kind = NEXT_CLASS;
    }
    ep = p + 2;
    break;
  }
  default:
    nx.code = (unsigned char)*p;
    break;
  }
  if (ep < ms->p_end && (*ep == '*' || *ep == '?' || *ep == '-'))
    return (NextItem){NEXT_ANY, 0}; /* the item may match nothing */
  if (nx.kind == NEXT_ANY)
    nx.kind = NEXT_CHAR;
  return nx;
}

/* Can the rest described by nx match at s?  0 only when it surely cannot. */
static inline int next_may_match(const LPatState *ms, NextItem nx,
                                 const char *s) {
  switch (nx.kind) {
  case NEXT_ANY: case NEXT_EMPTY: return 1;
  case NEXT_EOS: return s == ms->src_end;
  case NEXT_CHAR: return s < ms->src_end && (unsigned char)*s == nx.code;
  case NEXT_CLASS:
    return s < ms->src_end && class_code_matches((unsigned char)*s, nx.code);
  }
  return 1;
}

/* Greedy: take as many as possible, then give back one at a time. */
static const char *expand_greedy(LPatState *ms, const char *s, const char *p,
                                 const char *ep) {
  ptrdiff_t count = count_matches(ms, s, p, ep);
  NextItem nx = next_item(ms, ep + 1);
  switch (nx.kind) {
  case NEXT_EMPTY:
    return s + count;
  case NEXT_EOS:
    if (s + count != ms->src_end)
      return NULL; /* only the longest expansion can reach the end */
    return nx.code ? s + count : match(ms, s + count, ep + 1);
  case NEXT_CHAR:
    /* the byte must follow the expansion: skip the counts where it does not */
    for (; count >= 0; count--) {
      if (s + count < ms->src_end && (unsigned char)s[count] == nx.code) {
        const char *res = match(ms, s + count, ep + 1);
        if (res != NULL || ms->error != LPAT_OK)
          return res;
      }
    }
    return NULL;
  default:
    for (; count >= 0; count--) {
      if (!next_may_match(ms, nx, s + count))
        continue;
      const char *res = match(ms, s + count, ep + 1);
      if (res != NULL || ms->error != LPAT_OK)
        return res;
    }
    return NULL;
  }
}

/* Lazy: try the rest first, take one more only when the rest fails. */
static const char *expand_lazy(LPatState *ms, const char *s, const char *p,
                               const char *ep) {
  NextItem nx = next_item(ms, ep + 1);
  if (nx.kind == NEXT_EMPTY)
    return s;
  for (;;) {
    if (next_may_match(ms, nx, s)) {
      const char *res = match(ms, s, ep + 1);
      if (res != NULL || ms->error != LPAT_OK)
        return res;
    }
    if (!item_matches(ms, s, p, ep))
      return NULL;
    s++;
  }
}

static const char *open_capture(LPatState *ms, const char *s, const char *p,
                                ptrdiff_t what) {
  if (ms->level >= LPAT_MAXCAPTURES)
    return fail(ms, LPAT_ERR_TOO_MANY_CAPTURES);
  ms->capture[ms->level].init = s;
  ms->capture[ms->level].len = what;
  ms->level++;
  const char *res = match(ms, s, p);
  if (res == NULL)
    ms->level--; /* undo the capture */
  return res;
}

static const char *close_capture(LPatState *ms, const char *s,
                                 const char *p) {
  int l = ms->level - 1;
  while (l >= 0 && ms->capture[l].len != LPAT_CAP_UNFINISHED)
    l--;
  if (l < 0)
    return fail(ms, LPAT_ERR_PATTERN_CAPTURE);
  ms->capture[l].len = s - ms->capture[l].init;
  const char *res = match(ms, s, p);
  if (res == NULL)
    ms->capture[l].len = LPAT_CAP_UNFINISHED; /* undo the close */
  return res;
}

/* %1 .. %9: the subject must repeat the text of a finished capture. */
static const char *match_backref(LPatState *ms, const char *s, int digit) {
  int l = digit - '1';
  if (l < 0 || l >= ms->level || ms->capture[l].len == LPAT_CAP_UNFINISHED)
    return fail_index(ms, l + 1);
  size_t len = (size_t)ms->capture[l].len;
  if ((size_t)(ms->src_end - s) >= len &&
      memcmp(ms->capture[l].init, s, len) == 0)
    return s + len;
  return NULL;
}

static const char *match(LPatState *ms, const char *s, const char *p) {
  if (ms->error != LPAT_OK)
    return NULL;
  if (ms->depth-- == 0) {
    ms->depth++;
    return fail(ms, LPAT_ERR_TOO_COMPLEX);
  }
  while (s != NULL && p != ms->p_end && ms->error == LPAT_OK) {
    const char *ep;
    switch (*p) {
    case '(':
      if (p + 1 < ms->p_end && p[1] == ')')
        s = open_capture(ms, s, p + 2, LPAT_CAP_POSITION);
      else
        s = open_capture(ms, s, p + 1, LPAT_CAP_UNFINISHED);
      goto done;
    case ')':
      s = close_capture(ms, s, p + 1);
      goto done;
    case '$':
      if (p + 1 == ms->p_end) {
        if (s != ms->src_end)
          s = NULL;
        goto done;
      }
      break; /* a '$' elsewhere is a literal */
    case ESC:
      if (p + 1 >= ms->p_end)
        break; /* item_end reports it */
      if (p[1] == 'b') {
        s = match_balance(ms, s, p + 2);
        p += 4;
        continue;
      }
      if (p[1] == 'f') {
        p += 2;
        if (p >= ms->p_end || *p != '[') {
          fail(ms, LPAT_ERR_FRONTIER);
          s = NULL;
          goto done;
        }
        ep = item_end(ms, p);
        if (ep == NULL) {
          s = NULL;
          goto done;
        }
        int prev = (s == ms->src_init) ? 0 : (unsigned char)s[-1];
        int cur = (s < ms->src_end) ? (unsigned char)*s : 0;
        if (!set_matches(prev, p, ep - 1) && set_matches(cur, p, ep - 1)) {
          p = ep;
          continue;
        }
        s = NULL;
        goto done;
      }
      if (isdigit((unsigned char)p[1])) {
        s = match_backref(ms, s, (unsigned char)p[1]);
        p += 2;
        continue;
      }
      break;
    default:
      break;
    }
    /* A single-character item, possibly followed by a quantifier. */
    ep = item_end(ms, p);
    if (ep == NULL) {
      s = NULL;
      goto done;
    }
    char quant = (ep < ms->p_end) ? *ep : '\0';
    if (!item_matches(ms, s, p, ep)) {
      if (quant == '*' || quant == '?' || quant == '-') {
        p = ep + 1; /* zero repetitions are fine */
        continue;
      }
      s = NULL;
      goto done;
    }
    switch (quant) {
    case '?': {
      const char *res = match(ms, s + 1, ep + 1);
      if (res != NULL || ms->error != LPAT_OK) {
        s = res;
        goto done;
      }
      p = ep + 1;
      continue;
    }
    case '+': s = expand_greedy(ms, s + 1, p, ep); goto done;
    case '*': s = expand_greedy(ms, s, p, ep); goto done;
    case '-': s = expand_lazy(ms, s, p, ep); goto done;
    default:
      s++;
      p = ep;
      continue;
    }
  }
done:
  ms->depth++;
  return ms->error == LPAT_OK ? s : NULL;
}

/* -- First-byte filter -- *
 * When the pattern must begin with one byte of a known set (its first item,
 * after any opening captures, has no quantifier or '+'), an unanchored
 * search skips the positions whose byte is not in the set instead of
 * running the matcher there: what it would do, only faster. Anything less
 * simple (a '.', '*', '?', '-', %f, %1, an anchor, a malformed first item
 * whose error the matcher must report) leaves the filter off.
 *
 * The filter is one literal byte (memchr), one class ("%d": a table
 * lookup per byte) or a 256-bit set for "[...]". Building it costs a few
 * instructions, except for a set, which is built only for subjects long
 * enough to repay filling the bit set. */
#define FIRST_MIN_SUBJECT 32

static void first_add(LPatState *ms, int c) {
  ms->first[c >> 3] |= (unsigned char)(1u << (c & 7));
}

/* Fill ms->first with the bytes the set [p, close] matches (p at '[',
 * close at its ']'), walking the members as set_matches does. */
static void first_add_set(LPatState *ms, const char *p, const char *close) {
  int negated = 0;
  memset(ms->first, 0, sizeof ms->first);
  p++; /* skip '[' */
  if (*p == '^') {
    negated = 1;
    p++;
  }
  while (p < close) {
    if (*p == ESC) {
      int cl = (unsigned char)p[1];
      unsigned code = class_code[cl];
      if (code == 0) {
        first_add(ms, cl);
      } else {
        for (int c = 0; c < 256; c++)
          if (class_code_matches(c, code))
            first_add(ms, c);
      }
      p += 2;
    } else if (p + 2 < close && p[1] == '-') {
      for (int c = (unsigned char)p[0]; c <= (unsigned char)p[2]; c++)
        first_add(ms, c);
      p += 3;
    } else {
      first_add(ms, (unsigned char)*p);
      p++;
    }
  }
  if (negated)
    for (size_t i = 0; i < sizeof ms->first; i++)
      ms->first[i] = (unsigned char)~ms->first[i];
}

static void first_build(LPatState *ms, const char *p, size_t srclen) {
  ms->first_kind = LPAT_FIRST_NONE;
  while (p < ms->p_end && *p == '(') /* captures open before the item */
    p += (p + 1 < ms->p_end && p[1] == ')') ? 2 : 1;
  if (p >= ms->p_end)
    return;
  const char *ep;
  LPatFirstKind kind = LPAT_FIRST_CHAR;
  unsigned code = (unsigned char)*p;
  switch (*p) {
  case '.': case ')': return;
  case '$':
    if (p + 1 == ms->p_end)
      return;
    ep = p + 1;
    break;
  case ESC:
    if (p + 1 >= ms->p_end || p[1] == 'f' || isdigit((unsigned char)p[1]))
      return;
    if (p[1] == 'b') {
      if (p + 3 >= ms->p_end)
        return; /* missing arguments: the matcher reports it */
      ms->first_code = (unsigned char)p[2];
      ms->first_kind = LPAT_FIRST_CHAR; /* %bxy takes no quantifier */
      return;
    }
    code = class_code[(unsigned char)p[1]];
    if (code == 0)
      code = (unsigned char)p[1]; /* "%." is a literal byte */
    else
      kind = LPAT_FIRST_CLASS;
    ep = p + 2;
    break;
  case '[': {
    if (srclen < FIRST_MIN_SUBJECT)
      return;
    LPatError saved = ms->error;
    ep = item_end(ms, p);
    if (ep == NULL) { /* malformed: leave the error to the matcher */
      ms->error = saved;
      return;
    }
    if (ep < ms->p_end && (*ep == '*' || *ep == '?' || *ep == '-'))
      return;
    first_add_set(ms, p, ep - 1);
    ms->first_kind = LPAT_FIRST_SET;
    return;
  }
  default:
    ep = p + 1;
    break;
  }
  if (ep < ms->p_end && (*ep == '*' || *ep == '?' || *ep == '-'))
    return; /* the item may match nothing */
  ms->first_code = code;
  ms->first_kind = kind;
}

const char *lpat_next_candidate(const LPatState *ms, const char *s) {
  const char *end = ms->src_end;
  switch (ms->first_kind) {
  case LPAT_FIRST_NONE:
    return s;
  case LPAT_FIRST_CHAR: {
    if (s >= end)
      return s;
    const char *hit = memchr(s, (int)ms->first_code, (size_t)(end - s));
    return hit != NULL ? hit : end;
  }
  case LPAT_FIRST_CLASS: {
    uint16_t bit = (uint16_t)(ms->first_code & ~CL_NEG);
    if (ms->first_code & CL_NEG) {
      while (s < end && (class_tab[(unsigned char)*s] & bit) != 0)
        s++;
    } else {
      while (s < end && (class_tab[(unsigned char)*s] & bit) == 0)
        s++;
    }
    return s;
  }
  case LPAT_FIRST_SET:
    while (s < end && !(ms->first[(unsigned char)*s >> 3] &
                        (1u << ((unsigned char)*s & 7))))
      s++;
    return s;
  }
  return s;
}

/* -- Public entry points -- */

void lpat_init(LPatState *ms, const char *src, size_t srclen,
               const char *pat, size_t patlen) {
  if (!class_tab_ready)
    class_tab_build();
  ms->src_init = src;
  ms->src_end = src + srclen;
  ms->p_end = pat + patlen;
  ms->depth = LPAT_MAXDEPTH;
  ms->level = 0;
  ms->error = LPAT_OK;
  ms->error_index = 0;
  ms->errbuf[0] = '\0';
  first_build(ms, pat, srclen);
}

const char *lpat_exec(LPatState *ms, const char *s, const char *p) {
  ms->level = 0;
  ms->depth = LPAT_MAXDEPTH;
  ms->error = LPAT_OK; /* a gmatch iterator may be called again after one */
  ms->error_index = 0;
  return match(ms, s, p);
}

LPatValue lpat_get_capture(LPatState *ms, int i, const char *s,
                           const char *e) {
  LPatValue v = {LPAT_CAPTURE_ERROR, NULL, 0, 0};
  if (i >= ms->level) {
    if (i != 0) {
      fail_index(ms, i + 1);
      return v;
    }
    v.kind = LPAT_CAPTURE_STRING; /* no captures: the whole match */
    v.ptr = s;
    v.len = (size_t)(e - s);
    return v;
  }
  ptrdiff_t len = ms->capture[i].len;
  if (len == LPAT_CAP_UNFINISHED) {
    fail(ms, LPAT_ERR_UNFINISHED);
    return v;
  }
  if (len == LPAT_CAP_POSITION) {
    v.kind = LPAT_CAPTURE_POSITION;
    v.position = (long long)(ms->capture[i].init - ms->src_init) + 1;
    return v;
  }
  v.kind = LPAT_CAPTURE_STRING;
  v.ptr = ms->capture[i].init;
  v.len = (size_t)len;
  return v;
}

int lpat_capture_count(const LPatState *ms, int wholeifnone) {
  return (ms->level == 0 && wholeifnone) ? 1 : ms->level;
}

int lpat_has_specials(const char *p, size_t len) {
  static const char specials[] = "^$*+?.([%-";
  for (size_t i = 0; i < len; i++) {
    if (p[i] != '\0' && strchr(specials, p[i]) != NULL)
      return 1;
  }
  return 0;
}

const char *lpat_find_plain(const char *hay, size_t haylen,
                            const char *needle, size_t needlelen) {
  if (needlelen == 0)
    return hay;
  if (needlelen > haylen)
    return NULL;
  const char *last = hay + (haylen - needlelen);
  const char *cur = hay;
  while (cur <= last) {
    const char *hit = memchr(cur, needle[0], (size_t)(last - cur) + 1);
    if (hit == NULL)
      return NULL;
    if (memcmp(hit + 1, needle + 1, needlelen - 1) == 0)
      return hit;
    cur = hit + 1;
  }
  return NULL;
}
