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
bt=$(printf '%s\n' "$out" | grep '^#')
# Frame 0 is the helper, then the uop that called it and the trampoline
# (both named after the trace), then the host's C frames down to main.
printf '%s\n' "$bt" | sed -n 1p | grep -q ' jit_h_exec ' ||
  { echo "FAIL: frame 0 is not jit_h_exec"; exit 1; }
for f in 2 3; do
  printf '%s\n' "$bt" | sed -n ${f}p | grep -q ' in TRACE_1_gdb_trace\.lua:5 ()' ||
    { echo "FAIL: frame $((f - 1)) does not name the trace"; exit 1; }
done
printf '%s\n' "$bt" | sed -n 4p | grep -q ' run_trace (' ||
  { echo "FAIL: frame 3 is not the host's run_trace"; exit 1; }
printf '%s\n' "$bt" | tail -n 1 | grep -q ' main (' ||
  { echo "FAIL: the backtrace does not end in main"; exit 1; }
if printf '%s\n' "$bt" | grep -q ' ?? ('; then
  echo "FAIL: unnamed frames"; exit 1
fi
echo "PASS"
