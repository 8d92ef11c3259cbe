#!/bin/sh
# run_compile_bench.sh -- compile speed and code size of cpjit against an
# LLVM ORC baseline on the same traces (issue 5). Called by
# `make bench-compile`; reproducible with one command:
#
#   bench/llvm/run_compile_bench.sh [BUILD_DIR]        (default: build)
#
# Real traces first: every program of bench/programs runs once under
# BUILD_DIR/runtime/cpjit-lua -jsave=..., which writes the traces its JIT
# compiled to BUILD_DIR/bench/corpus/real/<program>.corpus; compile-bench
# compiles them again (--real), per program and in total. Then synthetic
# corpora from gen-corpus (traces of about 10, 100 and 1000 uops, and
# long-running loops whose run time is compared): they show how compile time
# scales with trace length, which the short real traces do not.
#
# Writes BUILD_DIR/bench/compile.json, compile.md and compile.png, and the
# corpora under BUILD_DIR/bench/corpus/. Environment:
#   BENCH_COMPILE_REPS  cpjit rounds over each corpus (default 20)
#   BENCH_LLVM_REPS     LLVM compiles per trace and level (default 1)
#   BENCH_PROGRAMS      programs to record (names without .lua; default all)
#   BENCH_SYNTHETIC=0   skip the synthetic corpora
# Without llvm-19-dev (compile-bench built without the baseline) the LLVM
# columns are skipped with a line saying so; without gnuplot, the chart.
set -eu

BUILD=${1:-build}
BIN=$BUILD/bench/llvm
OUT=$BUILD/bench
REPS=${BENCH_COMPILE_REPS:-20}
LLVM_REPS=${BENCH_LLVM_REPS:-1}

if [ ! -x "$BIN/compile-bench" ] || [ ! -x "$BIN/gen-corpus" ]; then
  echo "run_compile_bench.sh: $BIN/compile-bench not built (cmake --build $BUILD)" >&2
  exit 1
fi
mkdir -p "$OUT/corpus/real"
HERE=$(cd "$(dirname "$0")/.." && pwd)
LUA=$BUILD/runtime/cpjit-lua

# Real corpora, recorded by the VM (each program's output is discarded; a
# program that fails stops the benchmark).
real=""
if [ -x "$LUA" ]; then
  LUA=$(cd "$(dirname "$LUA")" && pwd)/cpjit-lua
  progs=${BENCH_PROGRAMS:-$(cd "$HERE/programs" && ls ./*.lua | sed 's|^\./||; s|\.lua$||')}
  for p in $progs; do
    c=$(cd "$OUT/corpus/real" && pwd)/$p.corpus
    if ! (cd "$HERE/programs" && "$LUA" -jsave="$c" "$p.lua" >/dev/null); then
      echo "bench-compile: $p.lua failed under $LUA" >&2
      exit 1
    fi
    real="$real --real $c"
  done
  echo "bench-compile: recorded the traces of $(echo $progs | wc -w) programs into $OUT/corpus/real/"
else
  echo "bench-compile: $LUA not built: no real traces"
fi

# Deterministic corpora: traces of about 10, 100 and 1000 uops, a few
# hundred per set, and three long-running loop traces per set for run time.
corpora=""
hotloops=""
sets="toy lua"
[ "${BENCH_SYNTHETIC:-1}" = 0 ] && sets=""
for set in $sets; do
  seed=1
  [ "$set" = lua ] && seed=2
  if "$BIN/gen-corpus" "$set" mixed "$seed" "$OUT/corpus/$set.corpus" \
       10:200 100:100 1000:20 >/dev/null 2>"$OUT/corpus/$set.err"; then
    "$BIN/gen-corpus" "$set" hotloop $((seed + 10)) \
      "$OUT/corpus/${set}_loop.corpus" 100:3 >/dev/null
    corpora="$corpora $OUT/corpus/$set.corpus"
    hotloops="$hotloops --hotloop $OUT/corpus/${set}_loop.corpus"
  else
    echo "bench-compile: uop set '$set' not in this build, skipped ($(cat "$OUT/corpus/$set.err"))"
  fi
  rm -f "$OUT/corpus/$set.err"
done

if ! command -v llvm-config-19 >/dev/null 2>&1; then
  echo "bench-compile: llvm-19-dev not installed: LLVM columns skipped"
fi

# shellcheck disable=SC2086  # word splitting of the corpus lists is wanted
"$BIN/compile-bench" --reps "$REPS" --llvm-reps "$LLVM_REPS" \
  --json "$OUT/compile.json" --md "$OUT/compile.md" --dat "$OUT/compile.dat" \
  $real $corpora $hotloops

# The machine, so the numbers can be read (and reproduced) in context.
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')
llvm=$(llvm-config-19 --version 2>/dev/null || echo "not installed")
machine="Machine: ${cpu:-unknown CPU}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at the end of the run; $(uname -sr); LLVM $llvm. Command: \`bench/llvm/run_compile_bench.sh $BUILD\` (BENCH_COMPILE_REPS=$REPS, BENCH_LLVM_REPS=$LLVM_REPS)."
printf '\n%s\n' "$machine" >> "$OUT/compile.md"
echo "$machine"

if ! command -v gnuplot >/dev/null 2>&1; then
  echo "bench-compile: gnuplot not installed: no chart"
  exit 0
fi
if grep -q '"llvm": true' "$OUT/compile.json"; then
  ns_plot="'$OUT/compile.dat' using 2:xtic(1) title 'cpjit', '' using 3 title 'LLVM -O0', '' using 4 title 'LLVM -O2'"
  b_plot="'$OUT/compile.dat' using 5:xtic(1) title 'cpjit', '' using 6 title 'LLVM -O0', '' using 7 title 'LLVM -O2'"
else
  ns_plot="'$OUT/compile.dat' using 2:xtic(1) title 'cpjit'"
  b_plot="'$OUT/compile.dat' using 5:xtic(1) title 'cpjit'"
fi
gnuplot <<GP
set terminal pngcairo size 1200,500 font ",10"
set output '$OUT/compile.png'
set multiplot layout 1,2 title "cpjit vs LLVM ORC on the same traces (real = recorded by cpjit-lua -jsave, synth = generated; /uops per trace)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set grid ytics
set xtics rotate by -30 font ",9"
set key horizontal top center
set ylabel "compile time, ns per uop (log)"
plot $ns_plot
unset logscale y
set logscale y
set ylabel "machine code, bytes per uop (log)"
plot $b_plot
unset multiplot
GP
echo "bench-compile: wrote $OUT/compile.json, $OUT/compile.md, $OUT/compile.png"
