#!/bin/sh
# jdump.sh -- -jdump prints each trace's machine code: disassembly at the
# run-time addresses with a label per uop, or hex when no disassembler works.
#   sh jdump.sh CPJIT_LUA MODE [MACHINE]
# MACHINE: the target's CMAKE_SYSTEM_PROCESSOR (default x86_64); it picks
#       the instructions looked for, and GNU objdump must know it.
# MODE: disasm (the default tool choice), gnu (CPJIT_OBJDUMP=objdump),
#       hex-none (CPJIT_OBJDUMP=none), hex-path (no tool on PATH),
#       hex-fails (the tool exits with status 1).
# Exit 0 when the output is right, 1 (with the output) when not, 77 to skip.
set -u
lua=$1
mode=$2
machine=${3:-x86_64}
case $machine in
  aarch64 | arm64 | ARM64)
    insns='stp mov b ret' jump='b' gnu_target=elf64-littleaarch64 ;;
  *) insns='push mov jmp ret' jump='jmp' gnu_target=elf64-x86-64 ;;
esac
prog='local s = 0 for i = 1, 200 do s = s + i end print(s)'

case $mode in
  disasm)
    command -v llvm-objdump-19 >/dev/null 2>&1 || command -v llvm-objdump >/dev/null 2>&1 ||
      command -v objdump >/dev/null 2>&1 || { echo "no disassembler: skipped"; exit 77; }
    out=$(env -u CPJIT_OBJDUMP "$lua" -Ohotloop=1 -jdump -e "$prog" 2>&1) ;;
  gnu)
    command -v objdump >/dev/null 2>&1 || { echo "no GNU objdump: skipped"; exit 77; }
    objdump -i 2>/dev/null | grep -qx "$gnu_target" ||
      { echo "GNU objdump does not know $gnu_target: skipped"; exit 77; }
    out=$(CPJIT_OBJDUMP=objdump "$lua" -Ohotloop=1 -jdump -e "$prog" 2>&1) ;;
  hex-none) out=$(CPJIT_OBJDUMP=none "$lua" -Ohotloop=1 -jdump -e "$prog" 2>&1) ;;
  hex-path) out=$(env -u CPJIT_OBJDUMP PATH=/nonexistent "$lua" -Ohotloop=1 -jdump -e "$prog" 2>&1) ;;
  hex-fails) out=$(CPJIT_OBJDUMP=false "$lua" -Ohotloop=1 -jdump -e "$prog" 2>&1) ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
status=$?

fail() {
  echo "FAIL ($mode): $*"
  echo "---- output:"
  printf '%s\n' "$out"
  exit 1
}
has() { printf '%s\n' "$out" | grep -Eq -- "$1"; }

[ "$status" -eq 0 ] || fail "exit status $status"
has '^20100$' || fail "the script's result is missing"
mline=$(printf '%s\n' "$out" | grep -E '^---- TRACE 1 mcode [0-9]+ bytes at 0x[0-9a-f]+$' | head -n 1)
[ -n "$mline" ] || fail "no '---- TRACE 1 mcode N bytes at ADDR' line"
size=$(echo "$mline" | awk '{print $5}')
addr=$(echo "$mline" | awk '{print $8}' | sed 's/^0x//')
# The code of trace 1: from its mcode line to its stop line.
code=$(printf '%s\n' "$out" | sed -n '/^---- TRACE 1 mcode/,/^---- TRACE 1 stop/p')
chas() { printf '%s\n' "$code" | grep -Eq -- "$1"; }

# Labels at the real addresses, in every mode.
chas "^0*$addr <trampoline>:$" || fail "no <trampoline> label at $addr"
chas '^[0-9a-f]+ <0000_[A-Za-z0-9_ ]+>:$' || fail "no label for uop 0000"
nlab=$(printf '%s\n' "$code" | grep -Ec '^[0-9a-f]+ <[0-9]{4}_[A-Za-z0-9_ ]+>:$')
[ "$nlab" -ge 2 ] || fail "$nlab uop labels, expected one per uop with code (at least 2)"
chas "^ *$addr:" || fail "the first code line is not at $addr"

case $mode in
  disasm | gnu)
    chas '^\(no disassembly' && fail "a disassembler was expected to work"
    for m in $insns; do
      chas "^ *[0-9a-f]+:.*[[:space:]]$m([[:space:]]|$)" || fail "no '$m' instruction"
    done
    # Branch targets are resolved to the labels.
    chas "$jump"'[[:space:]]+(0x)?[0-9a-f]+ <[0-9]{4}_[A-Za-z0-9_ ]+>$' || fail "the loop's jump back is not resolved to a uop label"
    ;;
  hex-*)
    case $mode in
      hex-none) why='CPJIT_OBJDUMP=none' ;;
      hex-path) why='llvm-objdump-19: not found; llvm-objdump: not found; objdump: not found' ;;
      hex-fails) why='false: exit status 1' ;;
    esac
    chas "^\\(no disassembly: $why; hex follows\\)$" || fail "no '(no disassembly: $why; hex follows)' line"
    chas '[[:space:]](mov|jmp|ret)([[:space:]]|$)' && fail "mnemonics in a hex dump"
    # Every byte of the code is there, exactly once.
    n=$(printf '%s\n' "$code" | awk '/^  [0-9a-f]+:/ { n += NF - 1 } END { print n + 0 }')
    [ "$n" -eq "$size" ] || fail "hex dump has $n bytes, the trace has $size"
    ;;
esac
echo "ok ($mode): trace 1, $size bytes at 0x$addr"
