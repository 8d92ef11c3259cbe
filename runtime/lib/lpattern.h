/*
 * lpattern.h -- Lua 5.4 pattern matching as a pure C module.
 *
 * The matcher knows nothing about lua_State: it works on byte ranges and
 * reports errors as values (an error code plus a message in the state), so
 * that it can be unit-tested on its own and so that the string library
 * decides how to raise the error.  The wording of every message is the one
 * lua5.4 prints, because the string library passes it through unchanged.
 *
 * Usage:
 *   LPatState ms;
 *   lpat_init(&ms, src, srclen, pat, patlen);
 *   const char *end = lpat_exec(&ms, src + start, pat_after_anchor);
 *   if (ms.error != LPAT_OK) ... lpat_errmsg(&ms) ...
 *   else if (end != NULL) ... match is [start, end), captures in ms ...
 *
 * Invariants: all pointers handed in point into the source/pattern given to
 * lpat_init; the pattern is not NUL-terminated (embedded zeros are ordinary
 * characters); once ms.error is set every matching function returns NULL
 * without looking further, so a failed match unwinds quickly.
 */
#ifndef CPJIT_LIB_LPATTERN_H
#define CPJIT_LIB_LPATTERN_H

#include <stddef.h>

/* Maximum number of captures in one pattern (as lua5.4). */
#define LPAT_MAXCAPTURES 32

/* Maximum recursion depth of the matcher before "pattern too complex". */
#define LPAT_MAXDEPTH 200

/* Capture lengths with a special meaning. */
#define LPAT_CAP_UNFINISHED (-1)
#define LPAT_CAP_POSITION (-2)

typedef enum LPatError {
  LPAT_OK = 0,
  LPAT_ERR_ENDS_WITH_ESC,     /* malformed pattern (ends with '%') */
  LPAT_ERR_MISSING_BRACKET,   /* malformed pattern (missing ']') */
  LPAT_ERR_BALANCE_ARGS,      /* malformed pattern (missing arguments to '%b') */
  LPAT_ERR_FRONTIER,          /* missing '[' after '%f' in pattern */
  LPAT_ERR_CAPTURE_INDEX,     /* invalid capture index %N */
  LPAT_ERR_PATTERN_CAPTURE,   /* invalid pattern capture */
  LPAT_ERR_TOO_MANY_CAPTURES, /* too many captures */
  LPAT_ERR_TOO_COMPLEX,       /* pattern too complex */
  LPAT_ERR_UNFINISHED         /* unfinished capture */
} LPatError;

typedef struct LPatCapture {
  const char *init;
  ptrdiff_t len; /* >= 0, or LPAT_CAP_UNFINISHED / LPAT_CAP_POSITION */
} LPatCapture;

/* The first-byte filter of an unanchored search (see lpat_next_candidate). */
typedef enum LPatFirstKind {
  LPAT_FIRST_NONE,  /* no filter: a match may begin anywhere */
  LPAT_FIRST_CHAR,  /* a match begins with byte first_code */
  LPAT_FIRST_CLASS, /* ... with a byte of the class coded by first_code */
  LPAT_FIRST_SET    /* ... with a byte whose bit is set in first[] */
} LPatFirstKind;

typedef struct LPatState {
  const char *src_init; /* start of the subject */
  const char *src_end;  /* end of the subject */
  const char *p_end;    /* end of the pattern */
  int depth;            /* remaining recursion budget */
  int level;            /* number of captures (finished or not) */
  LPatError error;
  int error_index;      /* capture number for LPAT_ERR_CAPTURE_INDEX */
  char errbuf[64];
  LPatCapture capture[LPAT_MAXCAPTURES];
  LPatFirstKind first_kind; /* see lpat_next_candidate */
  unsigned first_code;      /* the byte, or the class code */
  unsigned char first[32];  /* LPAT_FIRST_SET: the bytes, a bit each */
} LPatState;

/* What a capture turned out to be, as returned by lpat_get_capture. */
typedef enum LPatCaptureKind {
  LPAT_CAPTURE_STRING,   /* ptr/len describe a substring */
  LPAT_CAPTURE_POSITION, /* position is a 1-based subject index */
  LPAT_CAPTURE_ERROR     /* ms->error says why */
} LPatCaptureKind;

typedef struct LPatValue {
  LPatCaptureKind kind;
  const char *ptr;
  size_t len;
  long long position;
} LPatValue;

/* Prepare a state for matching pattern [pat, pat+patlen) in [src, src+srclen). */
void lpat_init(LPatState *ms, const char *src, size_t srclen,
               const char *pat, size_t patlen);

/* Try to match the pattern text starting at p against the subject at s.
 * Resets the captures, depth and error first.  Returns the end of the match, or NULL
 * when there is no match or an error (then ms->error != LPAT_OK). */
const char *lpat_exec(LPatState *ms, const char *s, const char *p);

/* Capture i (0-based) of the last successful match [s, e).  When the pattern
 * has no captures, index 0 means the whole match.  An invalid index or an
 * unfinished capture gives LPAT_CAPTURE_ERROR and sets ms->error. */
LPatValue lpat_get_capture(LPatState *ms, int i, const char *s, const char *e);

/* Number of values a successful match yields: its captures, or 1 (the whole
 * match) when it has none (if wholeifnone). */
int lpat_capture_count(const LPatState *ms, int wholeifnone);

/* The message of ms->error, worded as lua5.4 words it. */
const char *lpat_errmsg(LPatState *ms);

/* 1 if the pattern contains any character that makes it not a plain string. */
int lpat_has_specials(const char *p, size_t len);

/* Plain substring search: first occurrence of needle in hay, or NULL. */
const char *lpat_find_plain(const char *hay, size_t haylen,
                            const char *needle, size_t needlelen);

/* For unanchored searches: the first position at or after s (up to the
 * subject's end) where a match of the pattern given to lpat_init can
 * begin; no match begins in [s, result). Returns s when it cannot tell. */
const char *lpat_next_candidate(const LPatState *ms, const char *s);

/* The C locale's character classes changed (os.setlocale): "%a" and the
 * other classes are looked up again. */
void lpat_locale_changed(void);

#endif
