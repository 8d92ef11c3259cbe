#!/usr/bin/env bash
# demo.sh BUILD -- what `make demo` shows: a Lua program under cpjit-lua with
# the interpreter alone and with the trace JIT (same output, both timed, JIT
# statistics), lua5.4 for reference, then the library on its own through the
# toy VM.
set -euo pipefail
build=${1:-build}
prog=bench/programs/mandelbrot.lua
size=600

timed() { # label, command...
  local label=$1 t0 t1
  shift
  t0=$(date +%s%N)
  "$@"
  t1=$(date +%s%N)
  awk -v l="$label" -v a="$t0" -v b="$t1" \
    'BEGIN { printf "  %-24s %.2f s\n", l, (b - a) / 1e9 }'
}

echo "== cpjit-lua: $prog $size"
timed "interpreter (-joff)" "$build/runtime/cpjit-lua" -joff "$prog" "$size"
timed "trace JIT (-jstats)" "$build/runtime/cpjit-lua" -jstats "$prog" "$size"
if command -v lua5.4 >/dev/null 2>&1; then
  timed "lua5.4" lua5.4 "$prog" "$size"
fi
echo
echo "== the cpjit library alone: the toy VM"
"$build/tests/toy-demo"
