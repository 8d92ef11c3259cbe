#!/bin/sh
# gdb_backtrace.sh CPJIT_LUA GDB -- gdb, in batch mode, stops in a host
# helper that a trace calls (cpjit-lua -jgdb) and must name the trace in the
# backtrace and unwind through it to main. Exit 77 (skipped) when gdb is
# missing or cannot trace processes here.
set -u
lua=$1
gdb=${2:-gdb}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v "$gdb" >/dev/null 2>&1; then
  echo "SKIP: no gdb"; exit 77
fi
cd "$here" || exit 1
# LeakSanitizer cannot run under ptrace: the run is killed after `bt` anyway.
out=$(ASAN_OPTIONS=detect_leaks=0 timeout 120 "$gdb" -q -nx -batch \
  -ex 'set debuginfod enabled off' -ex 'break jit_h_exec' -ex run -ex bt \
  -ex kill --args "$lua" -jgdb gdb_trace.lua 2>&1)
printf '%s\n' "$out"
case $out in
  *"ptrace: Operation not permitted"*|*"Could not trace the inferior"*)
    echo "SKIP: ptrace not permitted"; exit 77 ;;
esac
# The frames: gdb_bt_check.sh.
printf '%s\n' "$out" | sh "$here/gdb_bt_check.sh"
