#!/bin/sh
# check_all.sh: run every script of the suite through run_one.sh.
#
# Usage: check_all.sh <interpreter> [interpreter options...]
# Prints one FAIL block per mismatching script and a summary line; exits 1 if
# any script failed.  Handy outside ctest, e.g. "./check_all.sh lua5.4".

if [ "$#" -lt 1 ]; then
    echo "usage: $0 <interpreter> [interpreter options...]" >&2
    exit 2
fi
interp=$1
shift
suite_dir=$(cd "$(dirname "$0")" && pwd) || exit 2
case "$interp" in
    */*) interp="$(cd "$(dirname "$interp")" && pwd)/$(basename "$interp")" ;;
esac

pass=0
fail=0
failed=""
for f in "$suite_dir"/*.lua "$suite_dir"/regress/*.lua; do
    [ -f "$f" ] || continue
    rel=${f#"$suite_dir"/}
    if "$suite_dir/run_one.sh" "$interp" "$rel" "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed="$failed $rel"
    fi
done
echo "passed: $pass, failed: $fail"
[ -n "$failed" ] && echo "failed scripts:$failed"
[ "$fail" -eq 0 ]
