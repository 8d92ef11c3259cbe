#!/bin/sh
# env_path.sh -- package.path and package.cpath from LUA_PATH(_5_4) and
# LUA_CPATH(_5_4) as lua5.4 sets them: the versioned name wins, the first
# ";;" stands for the default path, -E ignores the environment, and
# require finds a module through the variable.
#   sh env_path.sh CPJIT_LUA [LUA5.4]
# With LUA5.4 given, every check runs against it too (the defaults differ,
# the rules are the same). Exit 0 when all is right, 1 with a message when not.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nfail=0
fail() {
  echo "FAIL: $*"
  nfail=$((nfail + 1))
}
clean="env -u LUA_PATH -u LUA_PATH_5_4 -u LUA_CPATH -u LUA_CPATH_5_4 -u LUA_INIT -u LUA_INIT_5_4"

mkdir "$tmp/lp"
printf 'return { name = "envmod", where = ... }\n' >"$tmp/lp/envmod.lua"

check() { # LUA
  lua=$1
  dp=$($clean "$lua" -e 'io.write(package.path)')
  dc=$($clean "$lua" -e 'io.write(package.cpath)')
  # expect NAME EXPECTED [ENV=VALUE...] -- ARGS...
  expect() {
    name=$1
    want=$2
    shift 2
    envs=""
    while [ "$1" != "--" ]; do
      envs="$envs $1"
      shift
    done
    shift
    # shellcheck disable=SC2086
    got=$($clean $envs "$lua" "$@" 2>&1)
    [ "$got" = "$want" ] || fail "$lua: $name: expected [$want], got [$got]"
  }
  pp='io.write(package.path)'
  pc='io.write(package.cpath)'
  expect plain "$tmp/lp/?.lua" "LUA_PATH=$tmp/lp/?.lua" -- -e "$pp"
  expect prefix "$tmp/lp/?.lua;$dp" "LUA_PATH=$tmp/lp/?.lua;;" -- -e "$pp"
  expect suffix "$dp;x/?.lua" "LUA_PATH=;;x/?.lua" -- -e "$pp"
  expect only "$dp" "LUA_PATH=;;" -- -e "$pp"
  expect middle "a;$dp;b" "LUA_PATH=a;;b" -- -e "$pp"
  expect first_only "a;$dp;;b" "LUA_PATH=a;;;b" -- -e "$pp"
  expect versioned "v;$dp" "LUA_PATH=u" "LUA_PATH_5_4=v;;" -- -e "$pp"
  expect empty_value "" "LUA_PATH=" -- -e "$pp"
  expect noenv "$dp" "LUA_PATH=u" "LUA_PATH_5_4=v" -- -E -e "$pp"
  expect cplain "c/?.so" "LUA_CPATH=c/?.so" -- -e "$pc"
  expect cdefault "c/?.so;$dc" "LUA_CPATH=c/?.so;;" -- -e "$pc"
  expect cversioned "w" "LUA_CPATH=c" "LUA_CPATH_5_4=w" -- -e "$pc"
  expect cnoenv "$dc" "LUA_CPATH=c" -- -E -e "$pc"
  expect require "envmod $tmp/lp/envmod.lua" "LUA_PATH=$tmp/lp/?.lua;;" -- \
    -e 'local m, w = require("envmod") io.write(m.name, " ", w)'
  expect require_l "envmod" "LUA_PATH_5_4=$tmp/lp/?.lua" -- -l envmod -e 'print(envmod.name)'
  # -E: the module is not found through the variable.
  $clean "LUA_PATH=$tmp/lp/?.lua" "$lua" -E -e 'require("envmod")' >/dev/null 2>&1 &&
    fail "$lua: -E still finds the module through LUA_PATH"
}

check "$1"
[ -n "${2:-}" ] && check "$2"
[ "$nfail" -eq 0 ] || exit 1
echo "all env_path checks passed"
