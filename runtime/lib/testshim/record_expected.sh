#!/bin/sh
# Record what lua5.4 prints for every check script (the reference outputs
# the shim host is compared with).  Run from anywhere.
set -e
cd "$(dirname "$0")/checks"
for script in *.lua; do
  name=${script%.lua}
  input=/dev/null
  [ -f "$name.stdin" ] && input="$name.stdin"
  TZ=UTC lua5.4 "$script" < "$input" > "$name.expected"
done
