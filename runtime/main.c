/* main.c -- the cpjit-lua command line.
 *
 *   cpjit-lua [options] [script [args]]
 *     -e chunk   run 'chunk'            -l mod   require 'mod' into global 'mod'
 *     -i         interactive mode after the script (repl.c)
 *     -v         print version          -        run stdin
 *     -E         ignore LUA_INIT, LUA_PATH, LUA_CPATH    -W  turn warnings on
 *     -h, --help print the usage        --       stop handling options
 *   JIT options (LuaJIT conventions; stored in the VM's options for the JIT):
 *     -jon / -joff, -Ohotloop=N, -Ohotexit=N, -O-fold, -O-cse, -O-loop, -O-dce,
 *     -O-hkey, -O-spillcost, -O-snapsplit, -jv, -jdump,
 *     -Omaxmcode=KB, -Omaxtrace=N (bounds of the trace cache: flushed when
 *     reached),
 *     -jstats
 *     -istats (the interpreter's quickening: hits and misses per instruction
 *     kind, cache memory; printed at exit)
 *     -jsave=FILE (every compiled trace, as a trace corpus, at exit)
 *     -jbackend=NAME (trace compiler: cpjit; benchmark builds add others)
 *
 * Without a script (nor -e, -v), a terminal on stdin gets the interactive
 * mode and anything else is run as one chunk.  LUA_INIT_5_4 or LUA_INIT
 * ("@file" or Lua code) runs first unless -E is given.  Errors go to stderr
 * as "cpjit-lua: message" plus a stack traceback, and the exit status is 1;
 * a bad option prints lua.c's "unrecognized option" line and the usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "repl.h"
#include "trace/backend.h"
#include "trace/trace.h"

static const char *progname = "cpjit-lua";

static void l_message(const char *pname, const char *msg) {
  if (pname) fprintf(stderr, "%s: ", pname);
  fprintf(stderr, "%s\n", msg);
  fflush(stderr);
}

static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (msg == NULL) msg = "(error object is not a string)";
    l_message(progname, msg);
    lua_pop(L, 1);
  }
  return status;
}

static void print_version(void) {
  printf("cpjit-lua 0.1 (Lua 5.4 compatible, copy-and-patch JIT host)\n");
  fflush(stdout);
}

/* arg table: arg[0] = script, arg[1..] = script arguments, negative
 * indices hold the interpreter and its options. */
static void createargtable(lua_State *L, char **argv, int argc, int script) {
  if (script == argc) script = 0;
  int narg = argc - (script + 1);
  lua_createtable(L, narg, script + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static int dochunk(lua_State *L, int status) {
  if (status == LUA_OK) status = repl_docall(L, 0, 0);
  return report(L, status);
}

static int dostring(lua_State *L, const char *s, const char *name) {
  return dochunk(L, luaL_loadbuffer(L, s, strlen(s), name));
}

static int dolibrary(lua_State *L, char *globname) {
  char *modname = strchr(globname, '=');
  if (modname == NULL) {
    modname = globname;
  } else {
    *modname = '\0';
    modname++;
  }
  lua_getglobal(L, "require");
  lua_pushstring(L, modname);
  int status = repl_docall(L, 1, 1);
  if (status == LUA_OK) lua_setglobal(L, globname);
  return report(L, status);
}

static int pushargs(lua_State *L) {
  if (lua_getglobal(L, "arg") != LUA_TTABLE) luaL_error(L, "'arg' is not a table");
  int n = (int)luaL_len(L, -1);
  luaL_checkstack(L, n + 3, "too many arguments to script");
  int i;
  for (i = 1; i <= n; i++) lua_rawgeti(L, -i, i);
  lua_remove(L, -i);
  return n;
}

static int handle_script(lua_State *L, char **argv) {
  const char *fname = argv[0];
  if (strcmp(fname, "-") == 0 && strcmp(argv[-1], "--") != 0) fname = NULL;
  int status = luaL_loadfile(L, fname);
  if (status == LUA_OK) {
    int n = pushargs(L);
    status = repl_docall(L, n, 0);
  }
  return report(L, status);
}

/* Add the script's directory to package.path (after ./?.lua). */
static void addscriptdir(lua_State *L, const char *script) {
  const char *slash = strrchr(script, '/');
  if (slash == NULL) return;
  if (lua_getglobal(L, "package") != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  lua_getfield(L, -1, "path");
  lua_pushlstring(L, script, (size_t)(slash - script));
  const char *dir = lua_tostring(L, -1);
  lua_pushfstring(L, "%s;%s/?.lua;%s/?/init.lua", lua_tostring(L, -2), dir, dir);
  lua_setfield(L, -4, "path");
  lua_pop(L, 3);
}

typedef struct Args {
  int script; /* index of the script in argv, or argc */
  int has_v;
  int has_e;
  int has_error;
  int has_W; /* -W: warnings on */
  char *bad;
  int has_i;    /* -i: interactive mode after the script */
  int no_env;   /* -E: ignore LUA_INIT, LUA_PATH, LUA_CPATH */
  int has_help; /* -h / --help */
} Args;

static Args collectargs(char **argv, int argc, cpjit_lua_options *opts) {
  Args a = {0};
  a.script = argc;
  int i;
  for (i = 1; i < argc; i++) {
    char *s = argv[i];
    if (s[0] != '-') break;
    if (strcmp(s, "-") == 0) break;
    if (strcmp(s, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(s, "-v") == 0) {
      a.has_v = 1;
    } else if (strcmp(s, "-e") == 0 || strcmp(s, "-l") == 0) {
      if (s[1] == 'e') a.has_e = 1;
      if (i + 1 >= argc || argv[i + 1][0] == '-') { /* as lua.c */
        a.has_error = 1;
        a.bad = s;
        return a;
      }
      i++;
    } else if ((s[1] == 'e' || s[1] == 'l') && s[2] != '\0') {
      if (s[1] == 'e') a.has_e = 1;
    } else if (strcmp(s, "-jon") == 0) {
      opts->jit_enabled = 1;
    } else if (strcmp(s, "-joff") == 0) {
      opts->jit_enabled = 0;
    } else if (strcmp(s, "-jv") == 0) {
      opts->verbose = 1;
    } else if (strcmp(s, "-jdump") == 0) {
      opts->dump = 1;
    } else if (strcmp(s, "-jstats") == 0) {
      opts->stats = 1;
    } else if (strcmp(s, "-istats") == 0) {
      opts->istats = 1;
    } else if (strcmp(s, "-jgdb") == 0) {
      opts->gdb = 1;
    } else if (strncmp(s, "-jsave=", 7) == 0 && s[7] != '\0') {
      opts->save = s + 7;
    } else if (strncmp(s, "-jbackend=", 10) == 0) {
      opts->backend = s + 10;
    } else if (strncmp(s, "-Ohotloop=", 10) == 0) {
      char *end;
      long v = strtol(s + 10, &end, 10);
      if (*end != '\0' || v < 1 || v > 65535) {
        a.has_error = 1;
        a.bad = s;
        return a;
      }
      opts->hotloop = (int)v;
    } else if (strncmp(s, "-Ohotcall=", 10) == 0) {
      char *end;
      long v = strtol(s + 10, &end, 10);
      if (*end != '\0' || v < 0 || v > 65535) {
        a.has_error = 1;
        a.bad = s;
        return a;
      }
      opts->hotcall = (int)v;
    } else if (strncmp(s, "-Ohotexit=", 10) == 0) {
      char *end;
      long v = strtol(s + 10, &end, 10);
      if (*end != '\0' || v < 1 || v > 65535) {
        a.has_error = 1;
        a.bad = s;
        return a;
      }
      opts->hotexit = (int)v;
    } else if (strncmp(s, "-Ocbench=", 9) == 0) {
      char *end;
      long v = strtol(s + 9, &end, 10);
      if (*end != '\0' || s[9] == '\0' || v < 0 || v > 100000) {
        a.has_error = 1;
        a.bad = s;
        return a;
      }
      opts->cbench = (int)v;
    } else if (strncmp(s, "-Oexitstress=", 13) == 0) {
      char *end;
      long v = strtol(s + 13, &end, 10);
      if (*end != '\0' || s[13] == '\0' || v < 0 || v > 1000000) {
        a.has_error = 1;
        a.bad = s;
        return a;
      }
      opts->exitstress = (int)v;
    } else if (strncmp(s, "-Omaxmcode=", 11) == 0 || strncmp(s, "-Omaxtrace=", 11) == 0) {
      char *end;
      long v = strtol(s + 11, &end, 10);
      if (*end != '\0' || s[11] == '\0' || v < 1 || v > 4194304) {
        a.has_error = 1;
        a.bad = s;
        return a;
      }
      if (s[5] == 'm') opts->maxmcode = (int)v;
      else opts->maxtrace = (int)v;
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "fold") == 0) {
      opts->ir_fold = s[2] == '+';
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "cse") == 0) {
      opts->ir_cse = s[2] == '+';
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "loop") == 0) {
      opts->ir_loop = s[2] == '+';
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "dce") == 0) {
      opts->ir_dce = s[2] == '+';
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "hkey") == 0) {
      opts->ir_hkey = s[2] == '+';
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "spillcost") == 0) {
      opts->ir_spillcost = s[2] == '+';
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "snapsplit") == 0) {
      opts->ir_snapsplit = s[2] == '+';
    } else if (s[1] == 'O' && (s[2] == '-' || s[2] == '+') &&
               strcmp(s + 3, "callf") == 0) {
      opts->callf = s[2] == '+';
    } else if (strcmp(s, "-i") == 0) {
      a.has_i = a.has_v = 1; /* lua.c prints the version too */
    } else if (strcmp(s, "-E") == 0) {
      a.no_env = 1;
    } else if (strcmp(s, "-W") == 0) {
      a.has_W = 1;
    } else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
      a.has_help = 1;
      return a;
    } else {
      a.has_error = 1;
      a.bad = s;
      return a;
    }
  }
  a.script = i;
  return a;
}

static int runargs(lua_State *L, char **argv, int n) {
  for (int i = 1; i < n; i++) {
    char *s = argv[i];
    if (s[0] != '-' || s[1] == '\0' || strcmp(s, "--") == 0) break;
    if (s[1] == 'e' || s[1] == 'l') {
      char *extra = s + 2;
      if (*extra == '\0') extra = argv[++i];
      int status = (s[1] == 'e') ? dostring(L, extra, "=(command line)") : dolibrary(L, extra);
      if (status != LUA_OK) return 0;
    }
  }
  return 1;
}

/* lua.c's usage: after a bad option on stderr (the caller exits with 1),
 * for -h on stdout. */
static void print_usage(FILE *out, const char *badoption) {
  if (badoption && (badoption[1] == 'e' || badoption[1] == 'l'))
    fprintf(out, "%s: '%s' needs argument\n", progname, badoption);
  else if (badoption)
    fprintf(out, "%s: unrecognized option '%s'\n", progname, badoption);
  fprintf(out,
          "usage: %s [options] [script [args]]\n"
          "Available options are:\n"
          "  -e stat     execute string 'stat'\n"
          "  -i          enter interactive mode after executing 'script'\n"
          "  -l mod      require library 'mod' into global 'mod'\n"
          "  -l g=mod    require library 'mod' into global 'g'\n"
          "  -v          show version information\n"
          "  -E          ignore environment variables (LUA_INIT)\n"
          "  -W          turn warnings on\n"
          "  -h, --help  show this help and exit\n"
          "  -jon/-joff  turn the JIT compiler on/off\n"
          "  -Ohotloop=N loop iterations before a trace is recorded\n"
          "  -Ohotcall=N function-entry traces, recorded after N calls (default:\n"
          "              only for recursive functions; 0: none)\n"
          "  -Ohotexit=N side-exit count before a side trace is recorded\n"
          "  -Omaxmcode=KB machine code of all traces (default %d)\n"
          "  -Oexitstress=N  testing: the Nth guard of every trace always exits\n"
          "  -Ocbench=N      measurement: compile every trace N more times, print\n"
          "                  ns per IR instruction after recording (median)\n"
          "  -Omaxtrace=N  live traces (default %d); the cache is flushed at either\n"
          "  -O-fold     no constant folding or simplification in the trace IR\n"
          "  -O-cse      no common-subexpression elimination\n"
          "  -O-loop     no loop optimization (hoisting, loop-carried registers)\n"
          "  -O-dce      no dead-code elimination\n"
          "  -O-hkey     keep every table key guard's size check\n"
          "  -O-spillcost  spill the value with the furthest end, not the fewest uses\n"
          "  -O-snapsplit  keep values exits need in registers to their last exit\n"
          "  -O-callf    run calls that are not inlined through the interpreter\n"
          "              (no frames made by traces, no returns past their loop)\n"
          "  -jv -jdump -jstats  JIT diagnostics\n"
          "  -istats     interpreter quickening statistics at exit\n"
          "  -jgdb       let gdb name and unwind through traces\n"
          "  -jsave=FILE write every compiled trace to FILE at exit\n"
          "  -jbackend=NAME      trace compiler (default cpjit)\n"
          "  --          stop handling options\n"
          "  -           stop handling options and execute stdin\n",
          progname, JIT_DEFAULT_MAXMCODE, JIT_DEFAULT_MAXTRACE);
}

/* LUA_INIT_5_4, else LUA_INIT: "@file" runs the file, anything else is
 * run as Lua code, before -e/-l and the script (as in lua.c). */
static int handle_luainit(lua_State *L) {
  const char *name = "=LUA_INIT_5_4";
  const char *init = getenv(name + 1);
  if (init == NULL) {
    name = "=LUA_INIT";
    init = getenv(name + 1);
  }
  if (init == NULL) return LUA_OK;
  if (init[0] == '@') return dochunk(L, luaL_loadfile(L, init + 1));
  return dostring(L, init, name);
}

/* Everything runs inside this C function, called in protected mode, so a
 * traceback ends in "[C]: in ?" exactly as lua5.4's does. */
typedef struct MainArgs {
  int argc;
  char **argv;
  Args args;
  int ok;
} MainArgs;

static int pmain(lua_State *L) {
  MainArgs *m = (MainArgs *)lua_touserdata(L, 1);
  int argc = m->argc;
  char **argv = m->argv;
  if (m->args.no_env) { /* read by the package library (LUA_PATH, LUA_CPATH) */
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  luaL_openlibs(L);
  if (m->args.has_W) lua_warning(L, "@on", 0);
  createargtable(L, argv, argc, m->args.script);
  lua_gc(L, LUA_GCGEN, 0, 0); /* lua.c's mode, as collectgarbage reports it */
  if (m->args.script < argc) addscriptdir(L, argv[m->args.script]);
  if (!m->args.no_env && handle_luainit(L) != LUA_OK) return 0;
  if (!runargs(L, argv, m->args.script)) return 0;
  if (m->args.script < argc) {
    if (handle_script(L, argv + m->args.script) != LUA_OK) return 0;
  }
  if (m->args.has_i) {
    repl_run(L);
  } else if (m->args.script == argc && !m->args.has_e && !m->args.has_v) {
    if (isatty(STDIN_FILENO)) {
      print_version();
      repl_run(L);
    } else if (dochunk(L, luaL_loadfile(L, NULL)) != LUA_OK) {
      return 0;
    }
  }
  m->ok = 1;
  return 0;
}

int main(int argc, char **argv) {
  lua_State *L = luaL_newstate();
  if (L == NULL) {
    l_message(progname, "cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  MainArgs m;
  m.argc = argc;
  m.argv = argv;
  m.ok = 0;
  m.args = collectargs(argv, argc, &G(L)->opts);
  if (m.args.has_error || m.args.has_help) {
    print_usage(m.args.has_help ? stdout : stderr, m.args.bad);
    lua_close(L);
    return m.args.has_help ? EXIT_SUCCESS : EXIT_FAILURE;
  }
  if (!jit_backend_find(G(L)->opts.backend)) {
    char names[256];
    jit_backend_names(names, sizeof names);
    fprintf(stderr, "%s: unknown JIT backend '%s' (this build has: %s)\n",
            progname, G(L)->opts.backend, names);
    lua_close(L);
    return EXIT_FAILURE;
  }
  if (m.args.has_v) print_version();
  jit_open(L); /* after the options: -joff leaves the JIT closed */
  lua_pushcfunction(L, pmain);
  lua_pushlightuserdata(L, &m);
  int status = lua_pcall(L, 1, 0, 0);
  report(L, status);
  fflush(stdout);
  lua_close(L);
  return (status == LUA_OK && m.ok) ? EXIT_SUCCESS : EXIT_FAILURE;
}
