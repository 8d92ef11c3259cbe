/*
 * lformat.c -- conversion specifications and "%q" number literals for
 * string.format (see lformat.h).
 */
#include "lformat.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Characters that may appear between '%' and the conversion letter ('0'
 * with the flags; the per-conversion check sorts out the rest) are those
 * is_spec_char accepts: "-+ #0123456789.". */

static int is_spec_char(int c) {
  switch (c) {
  case '-': case '+': case ' ': case '#': case '.':
  case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9':
    return 1;
  default:
    return 0;
  }
}

LFmtStatus lfmt_scan(const char *fmt, const char *end, LFmtSpec *spec,
                     const char **next) {
  size_t len = 0;
  while (fmt + len < end && is_spec_char((unsigned char)fmt[len]))
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

int lfmt_integer(char *buf, long long n) {
  char tmp[24];
  int i = (int)sizeof tmp;
  unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
  do {
    tmp[--i] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u != 0);
  if (n < 0)
    tmp[--i] = '-';
  int len = (int)sizeof tmp - i;
  memcpy(buf, tmp + i, (size_t)len);
  buf[len] = '\0';
  return len;
}

/* Powers of ten, all exact doubles. */
static const double pow10_tab[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20};

/*
 * Why this is exact: look for the decimal D = m / 10^k (smallest k, m an
 * integer below 10^prec) that x rounds from, i.e. m / 10^k == x after
 * correctly rounded division. Then |x - D| is at most half an ulp of x, a
 * relative 1.2e-16, while D lies on the grid of prec-digit decimals whose
 * half spacing is at least a relative 5e-16 for prec <= 15: rounding x to
 * prec significant digits gives D itself. With 1e-4 <= D < 10^prec "%g"
 * chooses fixed notation and strips trailing zeros, which leaves the
 * digits of m with the point k places from the right.
 */
/* Is the C locale's decimal point '.'? -1: not looked up since the last
 * os.setlocale. */
static int point_is_dot = -1;

void lfmt_locale_changed(void) { point_is_dot = -1; }

int lfmt_g_fast(char *buf, double x, int prec) {
  if (prec < 1 || prec > 15 || !isfinite(x))
    return -1;
  if (point_is_dot < 0) {
    const char *point = localeconv()->decimal_point;
    point_is_dot = point[0] == '.' && point[1] == '\0';
  }
  char *out = buf;
  if (signbit(x)) {
    *out++ = '-';
    x = -x;
  }
  if (x == 0) {
    *out++ = '0';
    *out = '\0';
    return (int)(out - buf);
  }
  double limit = pow10_tab[prec];
  if (x < 1e-4 || x >= limit)
    return -1;
  for (int k = 0; k <= prec + 4; k++) {
    double t = x * pow10_tab[k];
    if (t >= limit)
      return -1;
    double m = floor(t + 0.5);
    if (m < limit && m / pow10_tab[k] == x) {
      char digits[24];
      int nd = lfmt_integer(digits, (long long)m);
      if (k == 0) {
        memcpy(out, digits, (size_t)nd);
        out += nd;
      } else if (!point_is_dot) {
        return -1; /* printf writes the locale's decimal point */
      } else if (nd > k) { /* ddd.ddd */
        memcpy(out, digits, (size_t)(nd - k));
        out += nd - k;
        *out++ = '.';
        memcpy(out, digits + nd - k, (size_t)k);
        out += k;
      } else { /* 0.000ddd */
        *out++ = '0';
        *out++ = '.';
        for (int z = 0; z < k - nd; z++)
          *out++ = '0';
        memcpy(out, digits, (size_t)nd);
        out += nd;
      }
      *out = '\0';
      return (int)(out - buf);
    }
  }
  return -1;
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
