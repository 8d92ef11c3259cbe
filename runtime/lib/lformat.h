/*
 * lformat.h -- the lua_State-free parts of string.format.
 *
 * Parsing and checking one conversion specification ("%-5.2f"), and the
 * literal forms that "%q" writes for numbers.  Kept apart from strlib.c so
 * the rules lua5.4 applies (which flags each conversion accepts, at most two
 * digits of width and of precision, the length limit of a specification)
 * can be unit-tested without a Lua state.
 */
#ifndef CPJIT_LIB_LFORMAT_H
#define CPJIT_LIB_LFORMAT_H

#include <stddef.h>

/* Room for a specification with its length modifier and terminator. */
#define LFMT_FORMSIZE 32

/* A specification longer than this (flags, width, precision and the
 * conversion letter) is rejected as "invalid format (too long)". */
#define LFMT_MAXSPEC 21

typedef enum LFmtStatus {
  LFMT_OK = 0,
  LFMT_TOO_LONG /* invalid format (too long) */
} LFmtStatus;

typedef struct LFmtSpec {
  char form[LFMT_FORMSIZE]; /* "%" + modifiers + conversion, NUL-terminated */
  size_t modlen;            /* number of modifier characters */
  char conv;                /* conversion letter ('\0' at end of format) */
} LFmtSpec;

/* Scan the specification that starts just after a '%' at fmt (the format
 * ends at end).  On LFMT_OK, *next points past the conversion letter. */
LFmtStatus lfmt_scan(const char *fmt, const char *end, LFmtSpec *spec,
                     const char **next);

/* Whether the modifiers of spec are legal for its conversion: only flags
 * from 'flags', a width of at most two digits that does not start with '0',
 * and (if with_precision) a '.' followed by at most two digits. */
int lfmt_spec_valid(const LFmtSpec *spec, const char *flags,
                    int with_precision);

/* Insert a length modifier (e.g. "ll") before the conversion letter. */
void lfmt_add_length(LFmtSpec *spec, const char *modifier);

/* "%q" forms of numbers.  Return the number of characters written (the
 * output is always NUL-terminated and fits in size >= 64). */
int lfmt_quote_integer(char *buf, size_t size, long long n);

/* n in decimal, as "%lld" writes it, into buf (room for 21 bytes and a
 * NUL); returns the length. */
int lfmt_integer(char *buf, long long n);

/* x as "%.<prec>g" writes it (1 <= prec <= 15), into buf (room for 32
 * bytes), for the numbers where that is quick to do exactly: those whose
 * value rounded to prec significant digits has at most prec digits in
 * fixed notation between 1e-4 and 10^prec.  Returns the length, or -1 when
 * x is not such a number (then the caller uses snprintf). */
int lfmt_g_fast(char *buf, double x, int prec);

/* The C locale changed (os.setlocale): its decimal point is looked up
 * again. */
void lfmt_locale_changed(void);
int lfmt_quote_float(char *buf, size_t size, double n);

#endif
