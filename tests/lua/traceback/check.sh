#!/bin/sh
# check.sh: run one uncaught-error script and compare its whole stderr (the
# traceback), its stdout and its exit status with what lua5.4 gives.
#
# Usage: check.sh <interpreter> <script.lua> [interpreter options...]
# Expectations: <name>.stderr (lua5.4's stderr, program name replaced by
# "lua:") and <name>.out (stdout); regenerate both with `check.sh --regen
# <script.lua>` (needs lua5.4) and read them before committing.
cd "$(dirname "$0")" || exit 2
if [ "$1" = "--regen" ]; then
    shift
    for s in "$@"; do
        b=${s%.lua}
        lua5.4 "$s" >"$b.out" 2>"$b.stderr.tmp"
        sed '1s/^[^:]*: /lua: /' "$b.stderr.tmp" >"$b.stderr"
        rm -f "$b.stderr.tmp"
    done
    exit 0
fi
interp=$1
script=$2
shift 2
b=${script%.lua}
tmp=${TMPDIR:-/tmp}/tbcheck.$$
"$interp" "$@" "$script" >"$tmp.out" 2>"$tmp.err" </dev/null
status=$?
sed '1s/^[^:]*: /lua: /' "$tmp.err" >"$tmp.err2"
rc=0
if [ "$status" -ne 1 ]; then
    echo "$script: exit status $status, expected 1"
    rc=1
fi
diff -u "$b.out" "$tmp.out" || rc=1
diff -u "$b.stderr" "$tmp.err2" || rc=1
rm -f "$tmp.out" "$tmp.err" "$tmp.err2"
exit $rc
