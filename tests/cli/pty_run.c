/* pty_run.c -- run a program on a pseudo-terminal and check what it prints,
 * for the interactive mode of cpjit-lua (the .pty scripts in tests/cli/).
 *
 *   pty_run [-t SECONDS] SCRIPT -- PROGRAM [ARGS...]
 *
 * The program gets a new session whose controlling terminal is the pty's
 * slave side (stdin, stdout and stderr), in the default cooked mode: the
 * terminal echoes what is sent and turns "\n" into "\r\n". Every "\r" is
 * dropped from the output before matching. SCRIPT has one command a line:
 *
 *   send TEXT    type TEXT and Return
 *   eof          type Ctrl-D (end of file on an empty line)
 *   expect TEXT  wait until TEXT appears in the output after the end of the
 *                previous match (at most -t seconds, default 10)
 *   absent TEXT  TEXT must not appear anywhere in the output (checked when
 *                the script ends)
 *   exit N       wait for the program to end and check its exit status
 *
 * TEXT is the rest of the line; \n, \t, \\ and \xHH are escapes (write a
 * trailing space as \x20). Lines starting with '#' and empty lines are
 * skipped. Exit status 0 when every command passed; otherwise 1 with what was
 * expected and the whole output on stderr. 2 for a usage or setup error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int master = -1;
static pid_t child = -1;
static bool child_done;
static int child_status;
static char *out; /* everything read, without '\r' */
static size_t outlen, outcap;
static size_t matched; /* end of the last match */
static double timeout_s = 10.0;
static const char *script_name;
static int lineno;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void append(const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (b[i] == '\r')
      continue;
    if (outlen + 2 > outcap) {
      outcap = outcap ? outcap * 2 : 4096;
      out = realloc(out, outcap);
      if (!out) {
        perror("pty_run");
        exit(2);
      }
    }
    out[outlen++] = b[i];
    out[outlen] = '\0';
  }
}

/* Read what is there, waiting at most `wait` seconds for the first byte.
 * Returns false at end of output (the slave side is closed). */
static bool pump(double wait) {
  struct pollfd p = {.fd = master, .events = POLLIN};
  int r = poll(&p, 1, (int)(wait * 1000));
  if (r <= 0)
    return true;
  char buf[4096];
  ssize_t n = read(master, buf, sizeof buf);
  if (n > 0) {
    append(buf, (size_t)n);
    return true;
  }
  if (n < 0 && errno == EINTR)
    return true;
  return false; /* EIO: every slave descriptor is closed */
}

static void print_escaped(FILE *f, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n')
      fputs("\\n\n", f);
    else if (c == '\t')
      fputs("\\t", f);
    else if (c < 32 || c == 127)
      fprintf(f, "\\x%02x", c);
    else
      fputc(c, f);
  }
}

static void fail(const char *what, const char *text, size_t n) {
  fprintf(stderr, "%s:%d: %s", script_name, lineno, what);
  if (text) {
    fputs(" \"", stderr);
    print_escaped(stderr, text, n);
    fputc('"', stderr);
  }
  fprintf(stderr, "\n---- output so far (\\n marks line ends; match position %zu):\n",
          matched);
  print_escaped(stderr, out ? out : "", outlen);
  fputs("\n----\n", stderr);
  if (child > 0 && !child_done)
    kill(child, SIGKILL);
  exit(1);
}

/* Decode the escapes of TEXT in place; returns its length. */
static size_t unescape(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (*r != '\\' || !r[1]) {
      *w++ = *r;
      continue;
    }
    r++;
    if (*r == 'n')
      *w++ = '\n';
    else if (*r == 't')
      *w++ = '\t';
    else if (*r == '\\')
      *w++ = '\\';
    else if (*r == 'x' && r[1] && r[2]) {
      char hex[3] = {r[1], r[2], 0};
      *w++ = (char)strtol(hex, NULL, 16);
      r += 2;
    } else {
      *w++ = '\\';
      *w++ = *r;
    }
  }
  *w = '\0';
  return (size_t)(w - s);
}

static void send_bytes(const char *s, size_t n) {
  while (n > 0) {
    ssize_t k = write(master, s, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      fail("cannot write to the terminal", NULL, 0);
    s += k;
    n -= (size_t)k;
  }
}

static const char *find(const char *hay, size_t haylen, const char *needle,
                        size_t n) {
  if (n == 0)
    return hay;
  for (size_t i = 0; i + n <= haylen; i++)
    if (memcmp(hay + i, needle, n) == 0)
      return hay + i;
  return NULL;
}

static void expect(const char *text, size_t n) {
  double end = now() + timeout_s;
  for (;;) {
    const char *at = out ? find(out + matched, outlen - matched, text, n) : NULL;
    if (at) {
      matched = (size_t)(at - out) + n;
      return;
    }
    double left = end - now();
    if (left <= 0)
      fail("timed out waiting for", text, n);
    if (!pump(left < 0.1 ? left : 0.1)) {
      if (!(out && find(out + matched, outlen - matched, text, n)))
        fail("output ended without", text, n);
    }
  }
}

static void wait_exit(int want) {
  double end = now() + timeout_s;
  while (!child_done) {
    pump(0.05);
    if (waitpid(child, &child_status, WNOHANG) == child)
      child_done = true;
    else if (now() > end)
      fail("timed out waiting for the program to exit", NULL, 0);
  }
  for (;;) { /* what it wrote before exiting */
    struct pollfd p = {.fd = master, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0 || !pump(0.0))
      break;
  }
  if (!WIFEXITED(child_status)) {
    char msg[64];
    snprintf(msg, sizeof msg, "program killed by signal %d",
             WIFSIGNALED(child_status) ? WTERMSIG(child_status) : -1);
    fail(msg, NULL, 0);
  }
  if (WEXITSTATUS(child_status) != want) {
    char msg[64];
    snprintf(msg, sizeof msg, "exit status %d, expected %d",
             WEXITSTATUS(child_status), want);
    fail(msg, NULL, 0);
  }
}

static void start(char **argv) {
  master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    perror("pty_run: posix_openpt");
    exit(2);
  }
  const char *slave = ptsname(master);
  if (!slave) {
    perror("pty_run: ptsname");
    exit(2);
  }
  child = fork();
  if (child < 0) {
    perror("pty_run: fork");
    exit(2);
  }
  if (child == 0) {
    setsid();
    int s = open(slave, O_RDWR);
    if (s < 0) {
      perror("pty_run: open slave");
      _exit(2);
    }
    ioctl(s, TIOCSCTTY, 0);
    dup2(s, 0);
    dup2(s, 1);
    dup2(s, 2);
    if (s > 2)
      close(s);
    close(master);
    execvp(argv[0], argv);
    fprintf(stderr, "pty_run: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
}

int main(int argc, char **argv) {
  int i = 1;
  if (i + 1 < argc && strcmp(argv[i], "-t") == 0) {
    timeout_s = atof(argv[i + 1]);
    i += 2;
  }
  if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
    fprintf(stderr, "usage: pty_run [-t SECONDS] SCRIPT -- PROGRAM [ARGS...]\n");
    return 2;
  }
  script_name = argv[i];
  FILE *f = fopen(script_name, "r");
  if (!f) {
    fprintf(stderr, "pty_run: cannot open %s: %s\n", script_name, strerror(errno));
    return 2;
  }
  start(argv + i + 2);

  char *absent[64];
  int absent_line[64];
  int nabsent = 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (n > 0 && line[n - 1] == '\n')
      line[--n] = '\0';
    if (n == 0 || line[0] == '#')
      continue;
    char *arg = strchr(line, ' ');
    if (arg)
      *arg++ = '\0';
    else
      arg = line + n;
    size_t len = unescape(arg);
    if (strcmp(line, "send") == 0) {
      send_bytes(arg, len);
      send_bytes("\n", 1);
    } else if (strcmp(line, "eof") == 0) {
      send_bytes("\x04", 1);
    } else if (strcmp(line, "expect") == 0) {
      expect(arg, len);
    } else if (strcmp(line, "absent") == 0 && nabsent < 64) {
      absent_line[nabsent] = lineno;
      absent[nabsent++] = strdup(arg);
    } else if (strcmp(line, "exit") == 0) {
      wait_exit(atoi(arg));
    } else {
      fprintf(stderr, "%s:%d: unknown command '%s'\n", script_name, lineno, line);
      if (!child_done)
        kill(child, SIGKILL);
      return 2;
    }
  }
  free(line);
  fclose(f);
  for (int k = 0; k < nabsent; k++) {
    if (out && strstr(out, absent[k])) {
      lineno = absent_line[k];
      fail("found text that must be absent:", absent[k], strlen(absent[k]));
    }
    free(absent[k]);
  }
  if (!child_done) {
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
  }
  free(out);
  return 0;
}
