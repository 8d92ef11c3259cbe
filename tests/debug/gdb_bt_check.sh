#!/bin/sh
# gdb_bt_check.sh -- reads gdb's output (break in jit_h_exec, then `bt`) on
# stdin and checks the backtrace: frame 0 is the helper, then the uop that
# called it and the trampoline (both named after the trace), then the
# host's C frames from run_trace down to main, no unnamed frame. Prints
# PASS or FAIL: ...; exit status 0 or 1. Used by gdb_backtrace.sh and
# gdb_backtrace_qemu.sh.
set -u
bt=$(grep '^#')
if [ -z "$bt" ]; then
  echo "FAIL: no backtrace"; exit 1
fi
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
