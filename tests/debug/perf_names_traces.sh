#!/bin/sh
# perf_names_traces.sh CPJIT_LUA -- perf names cpjit-lua's traces, both ways
# the library offers, with the dual mapping on:
#   CPJIT_PERF=jitdump: perf record -k 1, perf inject --jit, perf report;
#   CPJIT_PERF=1:       perf record, perf report (perf map).
# Exit 77 (skipped) when perf is missing or perf_event_open is not permitted.
set -u
lua=$1
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v perf >/dev/null 2>&1; then
  echo "SKIP: no perf"; exit 77
fi
tmp=$(mktemp -d /tmp/cpjit-perf-test-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
export HOME="$tmp" # perf's build-id cache and jitted-*.so stay in here
if ! perf record -q -o probe.data -- true >/dev/null 2>&1; then
  echo "SKIP: perf record does not work here (perf_event_paranoid?)"; exit 77
fi
export ASAN_OPTIONS=detect_leaks=0
perf_report() { # the symbol of the hottest user-space sample
  perf report -i "$1" --stdio --sort sym 2>/dev/null | grep '\[\.\]' | head -n 1
}

CPJIT_PERF=jitdump perf record -q -k 1 -o dump.data "$lua" \
  "$here/hot_loop.lua" >/dev/null || { echo "FAIL: perf record"; exit 1; }
ls jit-*.dump >/dev/null 2>&1 || { echo "FAIL: no jit-<pid>.dump"; exit 1; }
perf inject --jit -i dump.data -o dump.jit.data ||
  { echo "FAIL: perf inject --jit"; exit 1; }
top=$(perf_report dump.jit.data)
echo "jitdump: $top"
case $top in
  *TRACE_1_*hot_loop.lua:5*) ;;
  *) echo "FAIL: the jitdump does not name the hot trace"; exit 1 ;;
esac

CPJIT_PERF=1 perf record -q -o map.data "$lua" "$here/hot_loop.lua" \
  >/dev/null || { echo "FAIL: perf record"; exit 1; }
top=$(perf_report map.data)
# The perf map of that run (perf reads it at report time) goes now.
for pid in $(perf script -i map.data -F pid 2>/dev/null | sort -u); do
  rm -f "/tmp/perf-$pid.map"
done
echo "perf map: $top"
case $top in
  *TRACE_1_*hot_loop.lua:5*) ;;
  *) echo "FAIL: the perf map does not name the hot trace"; exit 1 ;;
esac
echo "PASS"
