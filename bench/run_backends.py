#!/usr/bin/env python3
"""Run time of the same traces compiled by cpjit and by LLVM ORC.

Runs every program in bench/programs/ under one executable, cpjit-lua-llvm
(bench/llvm, built when llvm-19-dev is present), with each trace backend:

  -jbackend=cpjit     copy-and-patch (the library; what cpjit-lua runs)
  -jbackend=llvm-O0   the same recorded traces, built by LLVM ORC from the
  -jbackend=llvm-O2   bitcode of the same uop bodies, default<O0> / <O2>

The recorder, the interpreter and the exits are identical, so the difference
is the trace code, plus the compile time: each run also reports how much
CPU time its JIT spent (cpjit: -jstats' compile time; LLVM: opening the
backend, i.e. parsing the bitcode and creating the LLJIT, compiling and
closing, printed by CPJIT_LLVM_STATS=1), and the report gives the speed both with
and without it.

Method (as run_exec.py): one untimed reference run (lua5.4 when installed,
else --ref) gives the expected output; runs are interleaved, backend order
rotated each round; a run that fails or prints anything else is reported and
that backend is not timed on that program. Times are user + system CPU time
(the machine is shared), median of --runs.

Writes <out>/backends.json and <out>/backends.md. Exit status: 0 when every
run matched, 1 when any failed, 2 on a usage error. Python 3 standard library.
"""

import argparse
import datetime
import json
import os
import re
import statistics
import sys

import run_exec as rx

BACKENDS = ["cpjit", "llvm-O0", "llvm-O2"]
RE_CPJIT = re.compile(rb"compile time\s+([0-9.]+) ms total")
RE_LLVM = re.compile(rb"\[cpjit-lua-llvm llvm-O\d: open ([0-9.]+) ms, (\d+) traces, "
                     rb"(\d+) uops compiled in ([0-9.]+) ms, close ([0-9.]+) ms")
RE_TRACES = re.compile(rb"traces compiled\s+(\d+)")


def jit_seconds(backend, err):
    """CPU seconds the run's JIT spent compiling (and opening LLVM), and the
    number of traces, from the run's stderr; (None, None) when missing."""
    traces = RE_TRACES.search(err)
    ntraces = int(traces.group(1)) if traces else None
    if backend == "cpjit":
        m = RE_CPJIT.search(err)
        return (float(m.group(1)) / 1e3 if m else None), ntraces
    m = RE_LLVM.search(err)
    if not m:
        return None, ntraces
    return (float(m.group(1)) + float(m.group(4)) + float(m.group(5))) / 1e3, int(m.group(2))


def bench_program(prog, exe, ref_cmd, args):
    rec = {"name": prog["name"], "group": prog["group"], "results": {}}
    secs, cpu, rc, out, err, to = rx.run_once(ref_cmd + [prog["path"]], args.timeout)
    reason = rx.describe_failure(rc, out, err, to, args.timeout, None)
    if reason:
        rec["reference_error"] = reason
        return rec
    expected = out
    res = {b: {"status": "ok", "cpu": [], "wall": [], "jit": [], "traces": None,
               "error": None} for b in BACKENDS}
    for r in range(args.runs):
        order = BACKENDS[r % 3:] + BACKENDS[:r % 3]
        for b in order:
            if res[b]["status"] != "ok":
                continue
            cmd = [exe, "-jbackend=" + b, "-jstats", prog["path"]]
            secs, cpu, rc, out, err, to = rx.run_once(cmd, args.timeout)
            reason = rx.describe_failure(rc, out, err, to, args.timeout, expected)
            jit, ntraces = jit_seconds(b, err)
            if not reason and jit is None:
                reason = "no JIT statistics on stderr"
            if reason:
                res[b].update(status="fail", error=reason, cpu=[], wall=[], jit=[])
                continue
            res[b]["cpu"].append(cpu)
            res[b]["wall"].append(secs)
            res[b]["jit"].append(jit)
            res[b]["traces"] = ntraces
    for b in BACKENDS:
        x = res[b]
        if x["status"] == "ok" and x["cpu"]:
            x["cpu_median"] = statistics.median(x["cpu"])
            x["wall_median"] = statistics.median(x["wall"])
            x["jit_median"] = statistics.median(x["jit"])
            # Run time without the JIT's own time, per run, then the median.
            x["run_median"] = statistics.median(c - j for c, j in zip(x["cpu"], x["jit"]))
    base = res["cpjit"]
    for b in BACKENDS:
        x = res[b]
        ok = x["status"] == "ok" and base["status"] == "ok" and x.get("cpu_median")
        x["speed"] = base["cpu_median"] / x["cpu_median"] if ok else None
        x["speed_run"] = (base["run_median"] / x["run_median"]
                          if ok and x["run_median"] > 0 else None)
    rec["results"] = res
    return rec


def has_traces(rec):
    """Whether cpjit compiled any trace in the program (the geometric means
    leave out programs that ran in the interpreter only)."""
    r = rec.get("results")
    return bool(r) and r["cpjit"]["status"] == "ok" and (r["cpjit"]["traces"] or 0) > 0


def fmt(x, digits=3):
    return "-" if x is None else "%.*f" % (digits, x)


def markdown(report):
    lines = []
    w = lines.append
    w("### Run time of the same traces: copy-and-patch (cpjit) vs LLVM ORC -O0 / -O2")
    w("")
    w("One executable (`%s`), the same recorder and interpreter; only the "
      "trace compiler differs (`-jbackend=`). CPU time (user + system), "
      "median of %d runs; **speed** = cpjit time / backend time (above 1: "
      "faster than cpjit). *JIT s* is the CPU time the backend spent "
      "compiling (LLVM: also parsing the uop bitcode and creating the LLJIT, "
      "~0.15 s per run, and closing it); *without JIT* subtracts it from every "
      "run. Programs without traces show the noise of the machine. Outputs "
      "checked against %s." % (report["executable"], report["runs"], report["reference"]))
    w("")
    w("| program | group | traces | cpjit s | llvm-O0 s | llvm-O2 s | JIT s cpjit / O0 / O2 "
      "| speed O0 | speed O2 | speed O0 without JIT | speed O2 without JIT |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for rec in report["programs"]:
        if "reference_error" in rec:
            w("| %s | %s | reference failed: %s |" % (rec["name"], rec["group"],
                                                      rec["reference_error"]))
            continue
        r = rec["results"]

        def t(b, key="cpu_median"):
            return "FAIL" if r[b]["status"] != "ok" else fmt(r[b].get(key))
        w("| %s | %s | %s | %s | %s | %s | %s / %s / %s | %s | %s | %s | %s |" % (
            rec["name"], rec["group"], r["cpjit"]["traces"] if r["cpjit"]["traces"] is not None else "-",
            t("cpjit"), t("llvm-O0"), t("llvm-O2"),
            t("cpjit", "jit_median"), t("llvm-O0", "jit_median"), t("llvm-O2", "jit_median"),
            fmt(r["llvm-O0"]["speed"], 2), fmt(r["llvm-O2"]["speed"], 2),
            fmt(r["llvm-O0"]["speed_run"], 2), fmt(r["llvm-O2"]["speed_run"], 2)))
    g = report["geomean"]
    w("| **geometric mean** (%d programs with traces) | | | | | | | **%s** | **%s** | **%s** | **%s** |" % (
        sum(1 for rec in report["programs"] if has_traces(rec)),
        fmt(g["llvm-O0"]["speed"], 2), fmt(g["llvm-O2"]["speed"], 2),
        fmt(g["llvm-O0"]["speed_run"], 2), fmt(g["llvm-O2"]["speed_run"], 2)))
    w("")
    fails = [(rec["name"], b, rec["results"][b]["error"]) for rec in report["programs"]
             for b in BACKENDS if rec.get("results") and rec["results"][b]["status"] != "ok"]
    if fails:
        w("Failures:")
        w("")
        for name, b, e in fails:
            w("- %s, %s: %s" % (name, b, e))
        w("")
    m = report["machine"]
    w("Machine: %s, %s cores, %s; load average %s at the end; %s. Command: `%s`." % (
        m["cpu"], m["cores"], m["uname"], report["loadavg_end"], report["date"],
        report["command"]))
    return "\n".join(lines) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exe", required=True,
                    help="cpjit-lua-llvm (build/bench/llvm/cpjit-lua-llvm)")
    ap.add_argument("--ref", default=None,
                    help="reference interpreter when lua5.4 is not installed (e.g. "
                         "build/runtime/cpjit-lua)")
    ap.add_argument("--out", default=os.path.join("build", "bench"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--bench", action="append", default=[],
                    help="only this program (repeatable, or comma-separated)")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    exe = rx.resolve_executable(args.exe)
    if not exe:
        print("run_backends.py: %s is not an executable file (it is built when "
              "llvm-19-dev is installed)" % args.exe, file=sys.stderr)
        return 2
    ref = rx.resolve_executable("lua5.4") or rx.resolve_executable(args.ref or "")
    if not ref:
        print("run_backends.py: no reference interpreter (install lua5.4 or pass --ref)",
              file=sys.stderr)
        return 2
    try:
        programs = rx.select_programs(rx.discover_programs(), args.bench)
    except ValueError as e:
        print("run_backends.py: %s" % e, file=sys.stderr)
        return 2
    os.environ["CPJIT_LLVM_STATS"] = "1"  # for the children: LLVM's JIT time
    records = []
    for prog in programs:
        rec = bench_program(prog, exe, [ref], args)
        records.append(rec)
        r = rec.get("results") or {}
        print("%-14s %s" % (prog["name"], "  ".join(
            "%s %s" % (b, fmt(r[b].get("cpu_median")) if r[b]["status"] == "ok" else "FAIL")
            for b in BACKENDS) if r else "reference failed: " + rec["reference_error"]),
            flush=True)
    geo = {}
    for b in BACKENDS:
        geo[b] = {k: rx.geomean([rec["results"][b][k] for rec in records
                                 if has_traces(rec) and rec["results"][b].get(k)])
                  for k in ("speed", "speed_run")}
    report = {
        "schema": 1,
        "executable": os.path.relpath(exe),
        "reference": os.path.basename(ref),
        "runs": args.runs,
        "metric": "cpu",
        "programs": records,
        "geomean": geo,
        "machine": rx.machine_info(),
        "loadavg_end": rx.loadavg(),
        "date": datetime.date.today().isoformat(),
        "command": "python3 bench/run_backends.py " + " ".join(argv),
    }
    os.makedirs(args.out, exist_ok=True)
    rx.write_atomic(os.path.join(args.out, "backends.json"), json.dumps(report, indent=1) + "\n")
    rx.write_atomic(os.path.join(args.out, "backends.md"), markdown(report))
    print("geometric mean speed vs cpjit: " + ", ".join(
        "%s %s (without JIT time %s)" % (b, fmt(geo[b]["speed"], 2), fmt(geo[b]["speed_run"], 2))
        for b in BACKENDS[1:]))
    print("wrote %s, %s" % (os.path.join(args.out, "backends.json"),
                            os.path.join(args.out, "backends.md")))
    failed = any(rec.get("reference_error") or any(
        rec["results"][b]["status"] != "ok" for b in BACKENDS) for rec in records)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
