#!/usr/bin/env bash
# Runs a directory of Lua programs (fetched elsewhere, never kept in this repository) through
# lua5.4, cpjit-lua in three JIT modes and LuaJIT: checks that every cpjit-lua mode prints
# byte-for-byte what lua5.4 prints (stdout and exit status), times the modes (median CPU time)
# and collects -jstats (share of bytecodes in traces, abort and EXEC reasons).
#
# usage: bench/public/run_public.sh [options] DIR
#   DIR/PROGRAMS lists the programs, one per line ('#' starts a comment):
#       NAME  SUBDIR  PROGRAM.lua [ARGS...] [< INPUT]
#   each runs with SUBDIR (relative to DIR) as working directory; INPUT (relative to SUBDIR)
#   is fed on stdin, otherwise stdin is /dev/null.
# options:
#   -c PATH      cpjit-lua binary (default: build/runtime/cpjit-lua of this checkout)
#   -n N         timed runs per mode, median reported (default 3)
#   -o DIR       where outputs, timings and -jstats go (default /tmp/run_public.out)
#   -t SEC       timeout per run (default 300)
#   -k           correctness check only (no timing, no -jstats)
#   -s           skip the correctness check
#   -f REGEX     only programs whose NAME matches REGEX
#   -r           run nothing: print the table and reasons from the files already in the -o DIR
#                (e.g. after concatenating the table.txt and jstats.all of several runs)
# exit status: 0 if all outputs match, 1 if any mismatch, 2 on usage errors.
set -u

here=$(cd "$(dirname "$0")/../.." && pwd)
cpjit="$here/build/runtime/cpjit-lua"
runs=3
out=/tmp/run_public.out
tmo=300
check=1
perf=1
filter=.
report_only=0

while getopts "c:n:o:t:ksf:rh" opt; do
  case $opt in
    c) cpjit=$OPTARG ;;
    n) runs=$OPTARG ;;
    o) out=$OPTARG ;;
    t) tmo=$OPTARG ;;
    k) perf=0 ;;
    s) check=0 ;;
    f) filter=$OPTARG ;;
    r) report_only=1; check=0 ;;
    *) sed -n '2,23p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ] || [ ! -f "$1/PROGRAMS" ]; then
  echo "run_public.sh: need a directory with a PROGRAMS file (see -h)" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
if [ $report_only = 0 ] && [ ! -x "$cpjit" ]; then echo "run_public.sh: no cpjit-lua at $cpjit" >&2; exit 2; fi
for tool in lua5.4 /usr/bin/time timeout; do
  command -v "$tool" > /dev/null || { echo "run_public.sh: $tool not found" >&2; exit 2; }
done
have_luajit=0
command -v luajit > /dev/null && have_luajit=1
mkdir -p "$out"
[ $report_only = 0 ] && cpjit=$(cd "$(dirname "$cpjit")" && pwd)/$(basename "$cpjit")

# mode name -> command
declare -A cmd=(
  [lua]="lua5.4"
  [joff]="$cpjit -joff"
  [jit]="$cpjit"
  [hot1]="$cpjit -Ohotloop=1"
  [ljoff]="luajit -joff"
  [lj]="luajit"
)

# run_one MODE SUBDIR INPUT OUTFILE ARGS... ; exit status of the program
run_one() {
  local mode=$1 sub=$2 input=$3 of=$4
  shift 4
  (cd "$dir/$sub" && timeout "$tmo" ${cmd[$mode]} "$@" < "$input" > "$of" 2> "$of.err")
}

# time_one MODE SUBDIR INPUT ARGS... ; prints user+sys CPU seconds
time_one() {
  local mode=$1 sub=$2 input=$3
  shift 3
  local t try
  for try in 1 2; do
    rm -f "$out/time.tmp"
    (cd "$dir/$sub" && /usr/bin/time -f "%U %S" -o "$out/time.tmp" \
       timeout "$tmo" ${cmd[$mode]} "$@" < "$input" > /dev/null 2>&1)
    t=$(awk '/^[0-9.]+ [0-9.]+$/ { printf "%.3f\n", $1 + $2 }' "$out/time.tmp" | tail -1)
    # a time of 0 or none means the run failed: one more try, then report it as 0
    if [ -n "$t" ] && awk -v t="$t" 'BEGIN { exit !(t > 0) }'; then echo "$t"; return; fi
    echo "run_public.sh: no CPU time for $mode $* (try $try)" >&2
  done
  echo 0
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

mismatch=0
if [ $report_only = 0 ]; then
  : > "$out/table.txt"
  : > "$out/jstats.all"
else
  filter='^$' # no program runs
fi
perf_modes="lua joff jit"
[ $have_luajit = 1 ] && perf_modes="$perf_modes ljoff lj"

while read -r name sub prog rest; do
  case "$name" in ''|'#'*) continue ;; esac
  [[ "$name" =~ $filter ]] || continue
  args=() input=/dev/null
  read -r -a words <<< "$rest"
  i=0
  while [ $i -lt ${#words[@]} ]; do
    if [ "${words[$i]}" = "<" ]; then input="$dir/$sub/${words[$((i + 1))]}"; i=$((i + 2)); continue; fi
    args+=("${words[$i]}"); i=$((i + 1))
  done
  if [ $check = 1 ]; then
    run_one lua "$sub" "$input" "$out/$name.lua.out" "$prog" "${args[@]}"
    ref_rc=$?
    status=ok
    for m in joff jit hot1; do
      run_one $m "$sub" "$input" "$out/$name.$m.out" "$prog" "${args[@]}"
      rc=$?
      if [ $rc -ne $ref_rc ] || ! cmp -s "$out/$name.lua.out" "$out/$name.$m.out"; then
        status=MISMATCH
        mismatch=1
        echo "MISMATCH $name [$m]: exit $rc (lua5.4: $ref_rc); diff $out/$name.lua.out $out/$name.$m.out" >&2
        tail -3 "$out/$name.$m.out.err" | sed 's/^/    /' >&2
      fi
    done
    echo "check $name: $status (exit $ref_rc, $(wc -c < "$out/$name.lua.out") bytes)" >&2
  fi
  if [ $perf = 1 ]; then
    line="$name"
    for m in $perf_modes; do
      ts=()
      for ((r = 0; r < runs; r++)); do ts+=("$(time_one $m "$sub" "$input" "$prog" "${args[@]}")"); done
      line="$line $(printf '%s\n' "${ts[@]}" | median)"
    done
    (cd "$dir/$sub" && timeout "$tmo" "$cpjit" -jstats "$prog" "${args[@]}" < "$input" \
       > /dev/null 2> "$out/$name.jstats")
    share=$(sed -n 's/.*share of bytecodes in traces: \([0-9]*\)%.*/\1/p' "$out/$name.jstats" | tail -1)
    echo "$line ${share:-?}" >> "$out/table.txt"
    sed "s/^/$name	/" "$out/$name.jstats" >> "$out/jstats.all"
    echo "timed $name: $line ${share:-?}%" >&2
  fi
done < "$dir/PROGRAMS"

if [ $perf = 1 ]; then
  # Table: seconds for lua5.4, then speed of each mode relative to lua5.4 (higher is faster).
  awk -v lj=$have_luajit '
    function r(a, b) { return (a > 0 && b > 0) ? a / b : 0 }
    function g(s, n) { return n ? exp(s / n) : 0 }
    BEGIN {
      printf "%-16s %7s %7s %7s %7s", "program", "lua5.4", "joff", "jit", "jit/joff"
      if (lj) printf " %7s %7s %8s", "lj-joff", "luajit", "lj/jit"
      printf " %6s\n", "traced"
      print "                 (s)     (x lua5.4, higher is faster)"
    }
    {
      n++; lua = $2; joff = r(lua, $3); jit = r(lua, $4); jj = r($3, $4)
      printf "%-16s %7.2f %6.2fx %6.2fx %7.2fx", $1, lua, joff, jit, jj
      sj += log(joff); sjit += log(jit); sjj += log(jj)
      if (lj) { a = r(lua, $5); b = r(lua, $6); c = r($4, $6)
        printf " %6.2fx %6.2fx %7.2fx", a, b, c; sa += log(a); sb += log(b); sc += log(c) }
      printf " %5s%%%s\n", lj ? $7 : $5, (jj < 0.97 ? "  <-- JIT slower than -joff" : "")
    }
    END {
      printf "%-16s %7s %6.2fx %6.2fx %7.2fx", "geomean", "", g(sj, n), g(sjit, n), g(sjj, n)
      if (lj) printf " %6.2fx %6.2fx %7.2fx", g(sa, n), g(sb, n), g(sc, n)
      printf "\n"
    }' "$out/table.txt"
  echo
  # Abort and EXEC reasons summed over all programs (from -jstats).
  awk -F'\t' '
    /abort reasons/ { sec[$1] = "a"; next }
    /EXEC reasons/ { sec[$1] = "e"; next }
    /^\[JIT stats\]/ || /\(runs:/ { next }
    sec[$1] == "a" && $2 ~ /^ +[0-9]+  / {
      s = $2; sub(/^ +[0-9]+  /, "", s); n = s; sub(/^.* /, "", n); sub(/ +[0-9]+$/, "", s)
      ab[s] += n; abp[s] = abp[s] " " $1
    }
    sec[$1] == "e" && $2 ~ /^ +[0-9]+  / {
      s = $2; sub(/^ +[0-9]+  /, "", s)
      k = split(s, w, / +/); runs = w[k]; ina = w[k - 1]; intr = w[k - 2]
      sub(/ +[0-9]+ +[0-9]+ +[0-9]+$/, "", s)
      ex[s] += runs; exa[s] += ina; ext[s] += intr; exp_[s] = exp_[s] " " $1
    }
    END {
      print "abort reasons summed over programs (count  reason  [programs])"
      for (s in ab) printf "%8d  %s  [%s ]\n", ab[s], s, abp[s] | "sort -rn | head -15"
      close("sort -rn | head -15")
      print "EXEC reasons summed (runs from root traces, sites in traces, in aborts  reason  [programs])"
      for (s in ex) printf "%12d %5d %5d  %s  [%s ]\n", ex[s], ext[s], exa[s], s, exp_[s] | "sort -rn | head -15"
    }' "$out/jstats.all"
fi
exit $mismatch
