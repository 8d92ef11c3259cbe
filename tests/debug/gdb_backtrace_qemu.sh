#!/bin/sh
# gdb_backtrace_qemu.sh CPJIT_LUA GDB QEMU [QEMU-ARGS...] -- gdb_backtrace.sh
# for a cross build: cpjit-lua (built for the target) runs under qemu-user
# (the build's emulator command line, CMAKE_CROSSCOMPILING_EMULATOR) with
# its gdb stub (-g PORT); gdb-multiarch attaches over TCP with the sysroot
# qemu's -L names, stops in the host helper jit_h_exec that a trace calls
# (-jgdb), and the backtrace must name the trace and unwind through it to
# main (gdb_bt_check.sh). gdb reads the trace's in-memory ELF through the
# stub like any other memory: the JIT interface needs only its breakpoint
# on __jit_debug_register_code. Exit 77 (skipped) when gdb-multiarch is
# missing, or when the program signs return addresses (pac-ret, a hardened
# build) and gdb cannot strip the signatures because qemu's stub does not
# report the pauth registers (qemu 7.2 does not): then gdb cannot unwind
# even the host's own C frames.
set -u
lua=$1
gdb=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
sysroot=/
prev=
for a in "$@"; do
  [ "$prev" = -L ] && sysroot=$a
  prev=$a
done
case $gdb in ""|*-NOTFOUND) gdb=gdb-multiarch ;; esac
if ! command -v "$gdb" >/dev/null 2>&1; then
  echo "SKIP: no gdb-multiarch"; exit 77
fi
cd "$here" || exit 1
tmp=$(mktemp -d) || exit 1
qpid=
trap 'if [ -n "$qpid" ]; then kill "$qpid" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
# A port of this run's own (ctest runs tests in parallel); another one when
# qemu cannot listen there.
port=$((20000 + $$ % 20000))
for try in 1 2 3 4 5; do
  "$@" -g "$port" "$lua" -jgdb gdb_trace.lua \
    >"$tmp/qemu.out" 2>&1 &
  qpid=$!
  # gdb retries the connection until qemu listens (set tcp auto-retry).
  out=$(timeout 240 "$gdb" -q -nx -batch \
    -ex 'set debuginfod enabled off' -ex 'set confirm off' \
    -ex "set sysroot $sysroot" -ex 'set tcp connect-timeout 30' \
    -ex "file $lua" -ex "target remote 127.0.0.1:$port" \
    -ex 'break jit_h_exec' -ex continue -ex bt \
    -ex 'info registers pauth_dmask' -ex kill 2>&1)
  wait "$qpid" 2>/dev/null
  qpid=
  if grep -q 'could not open gdbserver' "$tmp/qemu.out"; then
    port=$((port + 997)); continue
  fi
  break
done
printf '%s\n' "$out"
printf '%s\n' "--- qemu:"; cat "$tmp/qemu.out"
# Frame 1's address with any of bits 48-63 set: a signed return address.
if printf '%s\n' "$out" | grep -q 'Invalid register .pauth_dmask' &&
   printf '%s\n' "$out" | grep '^#1  0x[0-9a-f]\{16\} ' | grep -qv '^#1  0x0000'; then
  echo "SKIP: signed return addresses, and qemu's gdb stub gives gdb no pauth registers"
  exit 77
fi
printf '%s\n' "$out" | sh "$here/gdb_bt_check.sh"
