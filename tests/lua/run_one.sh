#!/bin/sh
# run_one.sh: run one Lua test script and compare it with its expectation.
#
# Usage: run_one.sh <interpreter> <script.lua> [interpreter options...]
#
# Runs "<interpreter> [options] <script>" with the working directory set to the
# directory holding this file (tests/lua/), stdin from /dev/null and a 60 s
# timeout (CPJIT_RUN_ONE_TIMEOUT=seconds overrides it).  Then checks:
#   - stdout equals <script>.out byte for byte (a unified diff is printed if not);
#   - the exit status is 1 when <script>.err exists, 0 otherwise;
#   - when <script>.err exists, the first line of stderr, with its leading
#     "<program name>: " prefix replaced by "lua: ", equals the line in .err.
# Exits 0 when everything matches, 1 otherwise, 2 on a usage error.

if [ "$#" -lt 2 ]; then
    echo "usage: $0 <interpreter> <script.lua> [interpreter options...]" >&2
    exit 2
fi

interp=$1
script=$2
shift 2

suite_dir=$(cd "$(dirname "$0")" && pwd) || exit 2

# Resolve the interpreter before changing directory: a name without a slash is
# looked up in PATH, a relative path is made absolute.
case "$interp" in
    */*)
        interp_dir=$(cd "$(dirname "$interp")" 2>/dev/null && pwd) || {
            echo "run_one.sh: interpreter not found: $interp" >&2; exit 2; }
        interp="$interp_dir/$(basename "$interp")"
        ;;
    *)
        command -v "$interp" >/dev/null 2>&1 || {
            echo "run_one.sh: interpreter not found in PATH: $interp" >&2; exit 2; }
        ;;
esac
if [ ! -x "$interp" ] && ! command -v "$interp" >/dev/null 2>&1; then
    echo "run_one.sh: interpreter is not executable: $interp" >&2
    exit 2
fi

# The script may be given as "name.lua", "regress/name.lua" (relative to the
# suite directory) or as any path that lies inside the suite directory.
if [ -f "$suite_dir/$script" ]; then
    rel=$script
else
    abs=$(cd "$(dirname "$script")" 2>/dev/null && pwd)/$(basename "$script")
    case "$abs" in
        "$suite_dir"/*) rel=${abs#"$suite_dir"/} ;;
        *) echo "run_one.sh: script not found in $suite_dir: $script" >&2; exit 2 ;;
    esac
fi
if [ ! -f "$suite_dir/$rel" ]; then
    echo "run_one.sh: script not found: $suite_dir/$rel" >&2
    exit 2
fi

base=${rel%.lua}
out_file="$suite_dir/$base.out"
err_file="$suite_dir/$base.err"
if [ ! -f "$out_file" ]; then
    echo "run_one.sh: missing expected output $out_file" >&2
    exit 1
fi

tmp_dir=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp_dir"' EXIT INT TERM

cd "$suite_dir" || exit 2
timeout "${CPJIT_RUN_ONE_TIMEOUT:-60}" "$interp" "$@" "$rel" </dev/null >"$tmp_dir/stdout" 2>"$tmp_dir/stderr"
status=$?

ok=0
if [ "$status" -eq 124 ]; then
    echo "FAIL $rel: timed out after ${CPJIT_RUN_ONE_TIMEOUT:-60} s"
    ok=1
fi

# The sign of a NaN that arithmetic produces (printed "-nan" or "nan") is
# the machine's: x86-64 makes negative ones where AArch64 makes positive
# ones, and the .out files were recorded on x86-64. CPJIT_TEST_NAN_SIGN=any
# (set for cross builds by tests/CMakeLists.txt) compares without it, and
# without the padding around it, whose width the sign changes.
if [ "${CPJIT_TEST_NAN_SIGN:-}" = any ]; then
    sed -E 's/ *[-+]?nan */NAN/gI' "$out_file" >"$tmp_dir/want_out"
    sed -i -E 's/ *[-+]?nan */NAN/gI' "$tmp_dir/stdout"
    out_file=$tmp_dir/want_out
fi

if ! cmp -s "$out_file" "$tmp_dir/stdout"; then
    echo "FAIL $rel: stdout differs from $base.out"
    diff -u "$out_file" "$tmp_dir/stdout" --label "expected ($base.out)" --label "actual stdout" | head -n 200
    ok=1
fi

if [ -f "$err_file" ]; then
    want_status=1
else
    want_status=0
fi
if [ "$status" -ne "$want_status" ]; then
    echo "FAIL $rel: exit status $status, expected $want_status"
    ok=1
fi

if [ -f "$err_file" ]; then
    head -n 1 "$err_file" >"$tmp_dir/want_err"
    head -n 1 "$tmp_dir/stderr" | sed '1s/^[^:]*: /lua: /' >"$tmp_dir/got_err"
    if ! cmp -s "$tmp_dir/want_err" "$tmp_dir/got_err"; then
        echo "FAIL $rel: first stderr line differs from $base.err"
        diff -u "$tmp_dir/want_err" "$tmp_dir/got_err" --label "expected ($base.err)" --label "actual stderr" 
        ok=1
    fi
fi

if [ "$ok" -ne 0 ] && [ "$want_status" -eq 0 ] && [ -s "$tmp_dir/stderr" ]; then
    echo "--- stderr (first 20 lines) ---"
    head -n 20 "$tmp_dir/stderr"
fi
exit "$ok"
