#!/bin/sh
# options.sh -- cpjit-lua's command line follows lua5.4's lua.c: option
# errors, -h, -v, -i and stdin without a terminal, LUA_INIT and -E.
#   sh options.sh CPJIT_LUA [LUA5.4]
# With LUA5.4 given, the error lines are compared with its own (program
# names aside). Exit 0 when all is right, 1 with a message when not.
set -u
lua=$1
ref=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nfail=0
fail() {
  echo "FAIL: $*"
  nfail=$((nfail + 1))
}

# run NAME [ENV=VALUE...] -- ARGS... < stdin: status, stdout, stderr kept.
run() {
  name=$1
  shift
  envs=""
  while [ "$1" != "--" ]; do
    envs="$envs $1"
    shift
  done
  shift
  env -u LUA_INIT -u LUA_INIT_5_4 $envs "$lua" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  echo $? >"$tmp/$name.status"
}
expect_status() { [ "$(cat "$tmp/$1.status")" = "$2" ] || fail "$1: exit status $(cat "$tmp/$1.status"), expected $2"; }
expect_file() { # NAME out|err EXPECTED-TEXT
  printf '%s' "$3" >"$tmp/want"
  if ! cmp -s "$tmp/want" "$tmp/$1.$2"; then
    fail "$1: std$2 differs (expected, then got):"
    cat "$tmp/want"
    echo "----"
    cat "$tmp/$1.$2"
    echo "----"
  fi
}
first_lines() { head -n 2 "$tmp/$1.err"; }

banner='cpjit-lua 0.1 (Lua 5.4 compatible, copy-and-patch JIT host)'

# -- Bad options: one line naming the option, the usage, status 1.
run badopt -- -x </dev/null
expect_status badopt 1
expect_file badopt out ''
[ "$(first_lines badopt)" = "cpjit-lua: unrecognized option '-x'
usage: cpjit-lua [options] [script [args]]" ] || fail "badopt: $(first_lines badopt)"
grep -q '^  -i  ' "$tmp/badopt.err" || fail "badopt: the usage does not list -i"
run badopt2 -- -ix </dev/null
expect_status badopt2 1
[ "$(head -n 1 "$tmp/badopt2.err")" = "cpjit-lua: unrecognized option '-ix'" ] || fail "badopt2: $(head -n 1 "$tmp/badopt2.err")"
run noarg -- -e </dev/null
expect_status noarg 1
[ "$(head -n 1 "$tmp/noarg.err")" = "cpjit-lua: '-e' needs argument" ] || fail "noarg: $(head -n 1 "$tmp/noarg.err")"
run noarg2 -- -l -e 'print(1)' </dev/null
expect_status noarg2 1
expect_file noarg2 out ''
[ "$(head -n 1 "$tmp/noarg2.err")" = "cpjit-lua: '-l' needs argument" ] || fail "noarg2: $(head -n 1 "$tmp/noarg2.err")"
if [ -n "$ref" ]; then # the same lines as lua5.4's, program names aside
  for args in "-x" "-ix" "-e" "-l -e print(1)" "--x"; do
    # shellcheck disable=SC2086
    a=$("$ref" $args 2>&1 </dev/null | head -n 2 | sed "s#$ref#P#g")
    # shellcheck disable=SC2086
    b=$("$lua" $args 2>&1 </dev/null | head -n 2 | sed "s#cpjit-lua#P#g")
    [ "$a" = "$b" ] || fail "'$args': lua5.4 says [$a], cpjit-lua [$b]"
  done
fi

# -- -h / --help: the usage on stdout, status 0.
for h in -h --help; do
  run help -- $h </dev/null
  expect_status help 0
  expect_file help err ''
  [ "$(head -n 1 "$tmp/help.out")" = "usage: cpjit-lua [options] [script [args]]" ] || fail "$h: $(head -n 1 "$tmp/help.out")"
done

# -- -v prints the banner and does not read stdin.
echo 'print("read")' >"$tmp/in.lua"
run version -- -v <"$tmp/in.lua"
expect_status version 0
expect_file version out "$banner
"

# -- No script and stdin not a terminal: stdin is one chunk, no prompt.
printf 'local a = 20\nprint(a + 1)\n' >"$tmp/chunk.lua"
run stdin -- <"$tmp/chunk.lua"
expect_status stdin 0
expect_file stdin out '21
'
expect_file stdin err ''

# -- -i with stdin not a terminal: the interactive loop all the same.
printf 'x = 3\nx * 2\nfunction f()\nreturn x end\nf()\nerror("e")\n' >"$tmp/repl.in"
run repl -- -i <"$tmp/repl.in"
expect_status repl 0
expect_file repl out "$banner
> > 6
> >> > 3
> > 
"
[ "$(head -n 1 "$tmp/repl.err")" = "stdin:1: e" ] || fail "repl: stderr starts with $(head -n 1 "$tmp/repl.err")"
# ... after -e and the script; a failing script ends before it (status 1).
echo 'print("script", ...)' >"$tmp/ok.lua"
printf 'y\n' >"$tmp/y.in"
run iscript -- -e 'y = 7' -i "$tmp/ok.lua" a b <"$tmp/y.in"
expect_status iscript 0
expect_file iscript out "$banner
script	a	b
> 7
> 
"
echo 'error("bad script")' >"$tmp/bad.lua"
run ibad -- -i "$tmp/bad.lua" <"$tmp/y.in"
expect_status ibad 1
expect_file ibad out "$banner
"
grep -q '^cpjit-lua: .*bad.lua:1: bad script$' "$tmp/ibad.err" || fail "ibad: $(head -n 1 "$tmp/ibad.err")"

# -- LUA_INIT_5_4 before LUA_INIT, "@file", -E ignores both.
run init LUA_INIT=x=5 -- -e 'print(x)' </dev/null
expect_file init out '5
'
run init54 LUA_INIT=x=5 LUA_INIT_5_4=x=6 -- -e 'print(x)' </dev/null
expect_file init54 out '6
'
echo 'x = "from file"' >"$tmp/init.lua"
run initfile "LUA_INIT=@$tmp/init.lua" -- -e 'print(x)' </dev/null
expect_file initfile out 'from file
'
run initE LUA_INIT=x=5 -- -E -e 'print(x)' </dev/null
expect_file initE out 'nil
'
run initerr LUA_INIT=error\(\"i\"\) -- -e 'print(1)' </dev/null
expect_status initerr 1
expect_file initerr out ''
[ "$(head -n 1 "$tmp/initerr.err")" = "cpjit-lua: LUA_INIT:1: i" ] || fail "initerr: $(head -n 1 "$tmp/initerr.err")"

[ "$nfail" -eq 0 ] || exit 1
echo "ok: command-line options"
