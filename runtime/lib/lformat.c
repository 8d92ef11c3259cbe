/*
 * lformat.c -- conversion specifications and "%q" number literals for
 * string.format (see lformat.h).
 */
#include "lformat.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Characters that may appear between '%' and the conversion letter.  '0' is
 * listed with the flags; the per-conversion check sorts out the rest. */
static const char spec_chars[] = "-+ #0123456789.";

LFmtStatus lfmt_scan(const char *fmt, const char *end, LFmtSpec *spec,
                     const char **next) {
  size_t len = 0;
  while (fmt + len < end && fmt[len] != '\0' &&
         strchr(spec_chars, fmt[len]) != NULL)
    len++;
  if (len + 1 > LFMT_MAXSPEC)
    return LFMT_TOO_LONG;
  spec->form[0] = '%';
  memcpy(spec->form + 1, fmt, len);
  spec->conv = (fmt + len < end) ? fmt[len] : '\0';
  spec->form[len + 1] = spec->conv;
  spec->form[len + 2] = '\0';
  spec->modlen = len;
  *next = fmt + len + 1;
  return LFMT_OK;
}

/* Skip at most two decimal digits. */
static const char *skip_two_digits(const char *p) {
  for (int i = 0; i < 2 && isdigit((unsigned char)*p); i++)
    p++;
  return p;
}

int lfmt_spec_valid(const LFmtSpec *spec, const char *flags,
                    int with_precision) {
  const char *p = spec->form + 1;
  while (*p != '\0' && strchr(flags, *p) != NULL)
    p++;
  if (*p != '0') { /* a width never starts with '0' */
    p = skip_two_digits(p);
    if (*p == '.' && with_precision)
      p = skip_two_digits(p + 1);
  }
  return isalpha((unsigned char)*p) != 0;
}

void lfmt_add_length(LFmtSpec *spec, const char *modifier) {
  size_t len = strlen(spec->form);
  size_t mlen = strlen(modifier);
  if (len + mlen >= LFMT_FORMSIZE)
    return; /* cannot happen: lfmt_scan bounds the specification */
  char conv = spec->form[len - 1];
  memcpy(spec->form + len - 1, modifier, mlen);
  spec->form[len - 1 + mlen] = conv;
  spec->form[len + mlen] = '\0';
}

int lfmt_quote_integer(char *buf, size_t size, long long n) {
  /* The most negative integer has no decimal literal (its negation
   * overflows), so it is written in hexadecimal, which reads back as the
   * same integer. */
  if (n == (-9223372036854775807LL - 1))
    return snprintf(buf, size, "0x%llx", (unsigned long long)n);
  return snprintf(buf, size, "%lld", n);
}

int lfmt_quote_float(char *buf, size_t size, double n) {
  if (isinf(n))
    return snprintf(buf, size, "%s", n > 0 ? "1e9999" : "-1e9999");
  if (isnan(n))
    return snprintf(buf, size, "(0/0)");
  int len = snprintf(buf, size, "%a", n);
  /* A locale may print another decimal point; a literal needs '.'. */
  if (len > 0 && memchr(buf, '.', (size_t)len) == NULL) {
    for (int i = 0; i < len; i++) {
      if (buf[i] == ',') {
        buf[i] = '.';
        break;
      }
    }
  }
  return len;
}
