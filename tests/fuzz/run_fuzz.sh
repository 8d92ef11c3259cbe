#!/bin/sh
# run_fuzz.sh -- differential fuzzing of cpjit-lua's trace JIT.
#
# Usage: run_fuzz.sh [--count N] [--seed S] [--interp PATH] [--keep DIR]
#                    [--lua LUA54] [--timeout SECS] [--exitstress SPEC]
#                    [--stress-only] [--gen "GEN OPTIONS"] [--xfail S,S...]
#                    [--jitopts "OPTIONS"]
#
# For each seed S, S+1, ..., S+N-1: gen.lua prints a program, which runs as
#     <interp> -joff seed-S.lua
#     <interp> -Ohotloop=1 seed-S.lua
#     lua5.4 seed-S.lua                      (when lua5.4 is found)
# and the three results (stdout, first stderr line without the program name,
# exit status) must be equal. A failing program is kept as DIR/seed-S.lua
# with the three outputs next to it. The last line is "N passed, M failed";
# the exit status is 1 if anything failed, 2 on usage errors.
#
# Exactness mode (--exitstress): each program also runs as
#     <interp> -Ohotloop=1 -Oexitstress=K seed-S.lua
# where the Kth guard of every trace always exits, so snapshots are
# written back at guards that normally never fail. SPEC is a comma list
# of K values, each run (e.g. 1,2,3,4), or perN: one K per seed,
# K = 1 + S mod N (e.g. per4). --stress-only leaves out the plain
# -Ohotloop=1 run (and lua5.4): -joff against the stressed runs only.
#
# --jitopts adds options to every JIT run (e.g. -Ohotcall=1: function-entry
# traces at every first call).
# --xfail lists seeds of known, reported bugs: they still run and print
# "XFAIL seed S" (or "XPASS seed S" once fixed: take it off the list), but
# do not make the run fail.
#
# --gen passes options to gen.lua, e.g. --gen "--off coro,meta" (construct
# families, see README.md).
#
# Defaults: --count 100, --seed 1, --interp build/runtime/cpjit-lua,
# --keep a new temporary directory, --lua the lua5.4 on PATH (--lua none to
# skip it), --timeout 10. --count 0 runs until interrupted.

count=100
seed=1
here=$(cd "$(dirname "$0")" && pwd) || exit 2
interp="$here/../../build/runtime/cpjit-lua"
keep=""
lua54=$(command -v lua5.4 2>/dev/null)
tmo=10
stress=""
stress_only=0
genopts=""
xfail=""
jitopts=""

while [ "$#" -gt 0 ]; do
    case "$1" in
        --count) count=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --interp) interp=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --lua) lua54=$2; [ "$lua54" = none ] && lua54=""; shift 2 ;;
        --timeout) tmo=$2; shift 2 ;;
        --exitstress) stress=$2; shift 2 ;;
        --stress-only) stress_only=1; shift ;;
        --gen) genopts=$2; shift 2 ;;
        --xfail) xfail=",$2,"; shift 2 ;;
        --jitopts) jitopts=$2; shift 2 ;;
        *) echo "usage: $0 [--count N] [--seed S] [--interp PATH] [--keep DIR] [--lua LUA54|none] [--timeout SECS] [--exitstress K,K...|perN] [--stress-only] [--gen \"GEN OPTIONS\"] [--xfail S,S...] [--jitopts \"OPTIONS\"]" >&2
           exit 2 ;;
    esac
done
case "$count$seed$tmo" in
    *[!0-9-]*) echo "$0: --count, --seed and --timeout take integers" >&2; exit 2 ;;
esac
stress_per=0
case "$stress" in
    "") ;;
    per*) stress_per=${stress#per}
          case "$stress_per" in
              ""|*[!0-9]*|0) echo "$0: --exitstress perN needs N > 0" >&2; exit 2 ;;
          esac ;;
    *[!0-9,]*|,*|*,|*,,*) echo "$0: --exitstress takes K,K,... or perN" >&2; exit 2 ;;
esac
if [ "$stress_only" = 1 ] && [ -z "$stress" ]; then
    echo "$0: --stress-only needs --exitstress" >&2
    exit 2
fi
case "$interp" in
    */*) interp="$(cd "$(dirname "$interp")" && pwd)/$(basename "$interp")" ;;
esac
if [ ! -x "$interp" ]; then
    echo "$0: interpreter not found: $interp" >&2
    exit 2
fi
# The generator runs under lua5.4 when present, else under the interpreter
# with the JIT off; both print the same program for a seed.
if [ -n "$lua54" ]; then gen="$lua54"; else gen="$interp -joff"; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cpjit-fuzz.XXXXXX") || exit 2
trap 'cd / && rm -rf "$work"' EXIT
pass=0
fail=0
nxfail=0
trap 'echo; echo "interrupted"; [ "$fail" -eq 0 ] && [ "$made_keep" = 1 ] && rmdir "$keep" 2>/dev/null
      echo "$pass passed, $fail failed"; exit 130' INT TERM
if [ -z "$keep" ]; then
    keep=$(mktemp -d "${TMPDIR:-/tmp}/cpjit-fuzz-fail.XXXXXX") || exit 2
    made_keep=1
else
    mkdir -p "$keep" || exit 2
    made_keep=0
fi
keep=$(cd "$keep" && pwd)
cd "$work" || exit 2

# run <tag> <cmd...>: runs the program in $work (the current directory),
# writes <tag>.res: exit status, first stderr line without its "progname: "
# prefix, then stdout. Shell builtins only, besides timeout: the fuzzer's
# speed is mostly process start-up.
run() {
    tag=$1; shift
    timeout "$tmo" "$@" "$prog" >"$tag.out" 2>"$tag.err"
    rc=$?
    line=""
    IFS= read -r line <"$tag.err"
    {
        echo "exit: $rc"
        echo "stderr: ${line#*: }"
        cat "$tag.out"
    } >"$tag.res"
}

i=0
while [ "$count" -eq 0 ] || [ "$i" -lt "$count" ]; do
    s=$((seed + i))
    i=$((i + 1))
    prog="seed-$s.lua"
    # $genopts unquoted on purpose: it is a list of words
    if ! $gen "$here/gen.lua" "$s" $genopts >"$prog" 2>gen.err; then
        echo "seed $s: generator failed: $(head -n 1 gen.err)"
        fail=$((fail + 1))
        continue
    fi
    run joff "$interp" -joff
    tags="joff"
    if [ "$stress_only" = 0 ]; then
        # $jitopts unquoted on purpose: a list of words
        run jit "$interp" -Ohotloop=1 $jitopts
        tags="joff jit"
        if [ -n "$lua54" ]; then
            run lua54 "$lua54"
            tags="lua54 joff jit"
        fi
    fi
    if [ "$stress_per" -gt 0 ]; then
        ks=$((1 + s % stress_per))
    else
        ks=$(echo "$stress" | tr ',' ' ')
    fi
    for k in $ks; do
        run "stress$k" "$interp" -Ohotloop=1 $jitopts -Oexitstress="$k"
        tags="$tags stress$k"
    done
    ref=${tags%% *}
    # CPJIT_TEST_NAN_SIGN=any (cross builds: lua5.4 runs on the build
    # machine, whose NaNs may carry another sign): compare without it.
    if [ "${CPJIT_TEST_NAN_SIGN:-}" = any ]; then
        for t in $tags; do sed -i -E 's/ *[-+]?nan */NAN/gI' "$t.res"; done
    fi
    bad=""
    for t in $tags; do
        [ "$t" = "$ref" ] && continue
        cmp -s "$ref.res" "$t.res" || bad="$bad $t"
    done
    case "$xfail" in
        *",$s,"*)
            if [ -z "$bad" ]; then
                echo "XPASS seed $s: it passes now, take it off --xfail"
                pass=$((pass + 1))
            else
                echo "XFAIL seed $s:$bad differ from $ref (known bug)"
                nxfail=$((nxfail + 1))
            fi
            continue ;;
    esac
    if [ -z "$bad" ]; then
        pass=$((pass + 1))
        continue
    fi
    fail=$((fail + 1))
    cp "$prog" "$keep/$prog"
    for t in $tags; do cp "$t.res" "$keep/seed-$s.$t.res"; done
    echo "FAIL seed $s:$bad differ from $ref"
    for t in $bad; do
        diff -u --label "$ref" --label "$t" "$ref.res" "$t.res" | head -n 20
    done
    echo "  kept: $keep/$prog"
    case "$bad" in
        *stress*) for t in $bad; do
                      case "$t" in stress*) echo "  reproduce: cd $keep && $interp -Ohotloop=1 $jitopts -Oexitstress=${t#stress} $prog" ;; esac
                  done ;;
        *) echo "  reproduce: cd $keep && $interp -Ohotloop=1 $jitopts $prog" ;;
    esac
    echo "  rerun: $here/run_fuzz.sh --count 1 --seed $s --interp $interp${stress:+ --exitstress $stress}${genopts:+ --gen \"$genopts\"}${jitopts:+ --jitopts \"$jitopts\"}"
done

[ "$fail" -eq 0 ] && [ "$made_keep" -eq 1 ] && rmdir "$keep" 2>/dev/null
echo "$pass passed, $fail failed${xfail:+, $nxfail known failures}"
[ "$fail" -eq 0 ]
