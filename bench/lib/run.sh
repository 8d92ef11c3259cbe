#!/bin/sh
# Library microbenchmarks: each bench/lib/*.lua under two VMs, median of
# RUNS runs of user+sys CPU time, and the ratio (lower is better for A).
# Usage: bench/lib/run.sh [A [B]]   defaults: A="build/runtime/cpjit-lua -joff", B=lua5.4
# Outputs of the two VMs are compared; a mismatch is reported.
A=${1:-"build/runtime/cpjit-lua -joff"}
B=${2:-lua5.4}
RUNS=${RUNS:-3}
DIR=$(dirname "$0")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
median() { # command...
  i=0
  while [ $i -lt "$RUNS" ]; do
    /usr/bin/time -o "$TMP/t" -f "%U %S" "$@" > "$TMP/out" 2>&1
    awk '{print $1 + $2}' "$TMP/t"
    i=$((i + 1))
  done | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}
printf '%-18s %8s %8s %6s\n' program A B A/B
for f in "$DIR"/*.lua; do
  name=$(basename "$f" .lua)
  # shellcheck disable=SC2086
  $A "$f" > "$TMP/a" 2>&1; $B "$f" > "$TMP/b" 2>&1
  cmp -s "$TMP/a" "$TMP/b" || echo "$name: OUTPUT DIFFERS"
  # shellcheck disable=SC2086
  ta=$(median $A "$f"); tb=$(median $B "$f")
  printf '%-18s %8s %8s %6s\n' "$name" "$ta" "$tb" "$(awk -v a="$ta" -v b="$tb" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"
done
