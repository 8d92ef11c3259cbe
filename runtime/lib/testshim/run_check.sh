#!/bin/sh
# Run one check script with an interpreter (the shim's lib-host, or
# cpjit-lua) and compare its stdout with the output lua5.4 gave for the same
# script (checks/NAME.expected).
#   run_check.sh HOST NAME OUTDIR     (run from the checks directory)
# Addresses ("0x55d0c0a1b2c3") differ between runs and are masked on both
# sides.  Standard input is NAME.stdin if present, else /dev/null.
# TZ=UTC, as when the expected files were recorded.  To re-record
# after checking a change against lua5.4: ./record_expected.sh
host=$1 name=$2 outdir=$3
mkdir -p "$outdir"
mask() { sed -E 's/0x[0-9a-f]{6,}/ADDR/g'; }
# CPJIT_TEST_NAN_SIGN=any (cross builds): the sign of a NaN is the
# machine's, and the expected files come from lua5.4 on x86-64.
if [ "${CPJIT_TEST_NAN_SIGN:-}" = any ]; then
  mask() { sed -E -e 's/0x[0-9a-f]{6,}/ADDR/g' -e 's/ *[-+]?nan */NAN/gI'; }
fi
input=/dev/null
[ -f "$name.stdin" ] && input="$name.stdin"
TZ=UTC "$host" "$name.lua" < "$input" > "$outdir/$name.raw"
rc=$?
if [ $rc -ne 0 ]; then
  echo "$name.lua: host exited with status $rc" >&2
  exit 1
fi
mask < "$outdir/$name.raw" > "$outdir/$name.actual"
mask < "$name.expected" > "$outdir/$name.reference"
if ! cmp -s "$outdir/$name.actual" "$outdir/$name.reference"; then
  echo "$name.lua: output differs from lua5.4 (addresses masked):" >&2
  diff -a "$outdir/$name.reference" "$outdir/$name.actual" | head -40 >&2
  exit 1
fi
