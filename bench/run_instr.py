#!/usr/bin/env python3
"""Instruction counts of cpjit-lua with the JIT on and off (valgrind callgrind).

Timings on a shared machine move by 10-25% between runs; instruction counts
do not. This runs every program in bench/programs/ (or --bench ones) at a
reduced size under `valgrind --tool=callgrind`, once with -joff and once
with the JIT, and reports JIT instructions / interpreter instructions.
Above 1.05 the JIT executes more than 5% more instructions than the
interpreter alone: the script then exits with status 1.

Writes <out>/instr.md and <out>/instr.json.

  python3 bench/run_instr.py --cpjit build/runtime/cpjit-lua --out build/bench
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")

# Sizes that run 0.1 to 1.5 billion instructions each (about a tenth of
# the timed benchmark's default), large enough for the JIT to warm up.
SIZES = {
    "ackermann": "8", "binary_trees": "12", "closures": "150000",
    "deltablue": "300", "fannkuch": "8", "fft": "8192", "fib": "27",
    "gsub": "1500", "hash_churn": "20000", "heapsort": "60000", "json": "24",
    "mandelbrot": "200", "matmul": "100", "minilang": "2", "nbody": "50000",
    "partial_sums": "250000", "queens": "9", "quicksort": "16000",
    "raytrace": "60", "richards": "4", "sieve": "200000", "sor": "120",
    "spectral_norm": "200", "string_build": "12000", "string_format": "50000",
    "tak": "120", "varargs": "70000",
}
LIMIT = 1.05


def count(cpjit, mode, prog, size):
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         # trace code is patched in place (exit links): without this
         # valgrind would keep running stale translations of it
         "--smc-check=all",
         cpjit, mode, os.path.join(PROGRAMS, prog + ".lua"), size],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or not m:
        raise RuntimeError("%s %s %s failed: %s" % (prog, mode, size, out.stderr[-400:]))
    return int(m.group(1))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cpjit", default="build/runtime/cpjit-lua")
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("--bench", action="append", default=[],
                    help="only this program (repeatable, or comma-separated)")
    args = ap.parse_args(argv)
    if not shutil.which("valgrind"):
        print("run_instr.py: valgrind not found (apt-get install valgrind)", file=sys.stderr)
        return 2
    if not os.access(args.cpjit, os.X_OK):
        print("run_instr.py: %s is not an executable" % args.cpjit, file=sys.stderr)
        return 2
    wanted = [w for b in args.bench for w in b.split(",") if w]
    unknown = [w for w in wanted if w not in SIZES]
    if unknown:
        print("run_instr.py: unknown program(s): %s" % ", ".join(unknown), file=sys.stderr)
        return 2
    names = wanted or sorted(SIZES)
    rows = []
    for name in names:
        off = count(args.cpjit, "-joff", name, SIZES[name])
        on = count(args.cpjit, "-jon", name, SIZES[name])
        rows.append({"program": name, "size": SIZES[name], "joff": off, "jit": on,
                     "ratio": on / off})
        print("%-14s %-7s -joff %13d  jit %13d  jit/joff %.4f%s"
              % (name, SIZES[name], off, on, on / off,
                 "  > %.2f" % LIMIT if on / off > LIMIT else ""), flush=True)
    gm = math.exp(sum(math.log(r["ratio"]) for r in rows) / len(rows))
    over = [r for r in rows if r["ratio"] > LIMIT]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "instr.json"), "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows,
                   "geomean": gm}, f, indent=1)
    L = ["# Instructions executed, JIT on / off", "",
         "- Date: %s" % time.strftime("%Y-%m-%d %H:%M"),
         "- Command: `python3 bench/run_instr.py --cpjit %s --out %s`" % (args.cpjit, args.out),
         "- `valgrind --tool=callgrind` totals (Ir) of one run each; below 1 the JIT "
         "executes fewer instructions than the interpreter alone.", "",
         "| program | size | -joff Ir | JIT Ir | JIT / -joff |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        L.append("| %s | %s | %d | %d | %.4f |" % (r["program"], r["size"], r["joff"],
                                                  r["jit"], r["ratio"]))
    L += ["", "Geometric mean JIT / -joff: %.4f; above %.2f: %s." %
          (gm, LIMIT, ", ".join(r["program"] for r in over) if over else "none"), ""]
    with open(os.path.join(args.out, "instr.md"), "w") as f:
        f.write("\n".join(L))
    print("geomean jit/joff %.4f; above %.2f: %s; wrote %s" %
          (gm, LIMIT, ", ".join(r["program"] for r in over) if over else "none",
           os.path.join(args.out, "instr.md")))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
