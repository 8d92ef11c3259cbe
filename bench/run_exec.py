#!/usr/bin/env python3
"""Execution benchmark runner for cpjit-lua.

Runs every program in bench/programs/ under cpjit-lua -joff, cpjit-lua,
lua5.4, luajit -joff and luajit, checks each output against the reference
(lua5.4's output), and reports the median wall time per VM together with the
speed relative to lua5.4.

Method:
  * One untimed reference run per program under lua5.4 gives the expected
    output (and warms the file cache).
  * The VMs are interleaved: run r executes every VM once, in an order rotated
    by r, so slow drifts in machine load spread over all VMs alike.
  * A run that crashes, times out, exits non-zero or prints anything other
    than the reference output is a failure for that VM and program: it is
    reported, never timed, and that VM is not run again on that program.
  * Speedup = baseline median / VM median (above 1 means faster than lua5.4),
    from wall time, or from user + system CPU time with --metric cpu (steadier
    when other jobs share the machine); both are always recorded.
    Geometric means are taken over the programs where both the VM and the
    baseline succeeded, per group and overall.

Writes <out>/results.json, <out>/results.md and <out>/results.png (the chart
needs gnuplot; without it a line says so and the chart is skipped).
With --jstats, each program also runs once, untimed, under cpjit-lua -jstats:
results.md then lists per program the share of bytecodes run in traces and
the top abort and EXEC (slow path) reasons.
Exit status: 0 when every run succeeded, 1 when any VM failed any program,
2 on a usage error.

Python 3.11 standard library only.
"""

import argparse
import datetime
import json
import math
import os
import platform
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM_DIR = os.path.join(HERE, "programs")
GROUP_ORDER = ["numeric", "recursion", "tables", "oop", "strings", "closures", "coroutines", "app"]
BASELINE = "lua5.4"


# -- Programs -----------------------------------------------------------------

def read_header(path):
    """Returns (group, quick_arg) from the '-- bench-group:' and
    '-- bench-quick:' lines at the top of a program."""
    group, quick = "other", None
    with open(path, encoding="utf-8") as f:
        for _ in range(20):
            line = f.readline()
            if not line.startswith("--"):
                break
            body = line[2:].strip()
            if body.startswith("bench-group:"):
                group = body.split(":", 1)[1].strip()
            elif body.startswith("bench-quick:"):
                quick = body.split(":", 1)[1].strip()
    return group, quick


def discover_programs():
    programs = []
    for name in sorted(os.listdir(PROGRAM_DIR)):
        if not name.endswith(".lua"):
            continue
        path = os.path.join(PROGRAM_DIR, name)
        group, quick = read_header(path)
        programs.append({"name": name[:-4], "path": path, "group": group, "quick": quick})

    def key(p):
        g = GROUP_ORDER.index(p["group"]) if p["group"] in GROUP_ORDER else len(GROUP_ORDER)
        return (g, p["name"])

    programs.sort(key=key)
    return programs


def select_programs(programs, wanted):
    """wanted: list of names (each may hold comma-separated names, or end in
    .lua); empty means all. Returns the selection or raises ValueError."""
    names = []
    for w in wanted or []:
        for part in w.split(","):
            part = part.strip()
            if part.endswith(".lua"):
                part = part[:-4]
            if part:
                names.append(part)
    if not names:
        return programs
    by_name = {p["name"]: p for p in programs}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ValueError("unknown benchmark(s): %s; available: %s"
                         % (", ".join(unknown), ", ".join(p["name"] for p in programs)))
    seen, out = set(), []
    for n in names:
        if n not in seen:
            seen.add(n)
            out.append(by_name[n])
    return out


# -- Virtual machines ---------------------------------------------------------

def resolve_executable(path_or_name):
    """Returns an absolute path to an executable file, or None."""
    if not path_or_name:
        return None
    if os.sep in path_or_name:
        p = os.path.abspath(path_or_name)
        return p if os.path.isfile(p) and os.access(p, os.X_OK) else None
    return shutil.which(path_or_name)


def version_of(exe):
    """First line of `exe -v`, or None; never hangs (stdin is closed)."""
    try:
        r = subprocess.run([exe, "-v"], stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (r.stdout or r.stderr).decode("utf-8", "replace").strip()
    if r.returncode != 0 or not text:
        return None
    return text.splitlines()[0]


def build_vms(args):
    """Returns the list of VMs, each {name, command, available, note, version}."""
    cpjit = resolve_executable(args.cpjit) if args.cpjit else None
    lua = resolve_executable(args.lua)
    luajit = resolve_executable(args.luajit)
    if args.cpjit and not cpjit:
        cpjit_note = "%s is not an executable file" % args.cpjit
    elif not args.cpjit:
        cpjit_note = "no --cpjit given"
    else:
        cpjit_note = None
    specs = [
        ("cpjit-lua -joff", cpjit, ["-joff"], cpjit_note),
        ("cpjit-lua", cpjit, ["-jon"], cpjit_note),   # explicit, whatever the default
        ("lua5.4", lua, [], None if lua else "%s not found" % args.lua),
        ("luajit -joff", luajit, ["-joff"], None if luajit else "%s not found" % args.luajit),
        ("luajit", luajit, [], None if luajit else "%s not found" % args.luajit),
    ]
    for spec in args.extra_vm:
        name, _, command = spec.partition("=")
        words = shlex.split(command)
        exe = resolve_executable(words[0]) if words else None
        specs.append((name.strip(), exe, words[1:],
                      None if exe else "%s is not an executable file"
                      % (words[0] if words else "(empty command)")))
    vms = []
    versions = {}
    for name, exe, extra, note in specs:
        if exe and exe not in versions:
            versions[exe] = version_of(exe)
        vms.append({
            "name": name,
            "command": [exe] + extra if exe else None,
            "available": exe is not None,
            "note": note,
            "version": versions.get(exe) if exe else None,
        })
    return vms


# -- Running ------------------------------------------------------------------

def run_once(command, timeout):
    """Runs command; returns (seconds, cpu_seconds, returncode, stdout bytes,
    stderr bytes, timed_out). Wall time covers process start to exit; CPU time
    is the user + system time of the child and the processes it waited for.
    The child gets its own process group so that a timeout kills everything it
    started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=PROGRAM_DIR,
                                start_new_session=True)
    except OSError as e:
        return 0.0, 0.0, None, b"", str(e).encode(), False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        return time.perf_counter() - start, 0.0, None, out, err, True
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode, out, err, False


def short(b, limit=120):
    s = b.decode("utf-8", "replace") if isinstance(b, bytes) else b
    s = s.replace("\t", "\\t")
    return s if len(s) <= limit else s[:limit] + "..."


def describe_failure(rc, out, err, timed_out, timeout, expected):
    """Returns None when the run is good, else a one-line reason."""
    if timed_out:
        return "timed out after %gs" % timeout
    if rc is None:
        return "could not start: %s" % short(err)
    if rc != 0:
        # the first line carries the message (Lua errors put a traceback after it)
        lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
        tail = lines[0] if lines else "(no message)"
        if rc < 0:
            return "killed by signal %d: %s" % (-rc, short(tail))
        return "exit status %d: %s" % (rc, short(tail))
    if expected is not None and out != expected:
        got = out.decode("utf-8", "replace").split("\n")
        want = expected.decode("utf-8", "replace").split("\n")
        for i in range(max(len(got), len(want))):
            g = got[i] if i < len(got) else "<end of output>"
            w = want[i] if i < len(want) else "<end of output>"
            if g != w:
                return "output differs at line %d: expected '%s', got '%s'" % (
                    i + 1, short(w, 60), short(g, 60))
        return "output differs"
    return None


def bench_program(prog, vms, args):
    """Runs one program under all available VMs. Returns its result record."""
    extra = [prog["quick"]] if args.quick and prog["quick"] else []
    results = {}
    for vm in vms:
        if not vm["available"]:
            results[vm["name"]] = {"status": "skipped", "times": [], "median": None,
                                   "error": vm["note"]}
    active = [vm for vm in vms if vm["available"]]
    ref_vm = next((vm for vm in active if vm["name"] == BASELINE), active[0] if active else None)
    record = {"name": prog["name"], "group": prog["group"], "args": extra,
              "reference": ref_vm["name"] if ref_vm else None, "results": results}
    if ref_vm is None:
        return record

    # untimed reference run
    secs, cpu, rc, out, err, to = run_once(ref_vm["command"] + [prog["path"]] + extra,
                                           args.timeout)
    reason = describe_failure(rc, out, err, to, args.timeout, None)
    if reason:
        record["reference_error"] = reason
        for vm in active:
            results[vm["name"]] = {"status": "fail", "times": [], "median": None,
                                   "error": "reference run under %s failed: %s"
                                   % (ref_vm["name"], reason)}
        return record
    expected = out
    record["output_lines"] = expected.count(b"\n")

    for vm in active:
        results[vm["name"]] = {"status": "ok", "times": [], "median": None,
                               "cpu_times": [], "cpu_median": None, "error": None}
    for r in range(args.runs):
        k = r % len(active)
        order = active[k:] + active[:k]
        for vm in order:
            res = results[vm["name"]]
            if res["status"] != "ok":
                continue
            secs, cpu, rc, out, err, to = run_once(vm["command"] + [prog["path"]] + extra,
                                              args.timeout)
            reason = describe_failure(rc, out, err, to, args.timeout, expected)
            if reason:
                res["status"] = "fail"
                res["error"] = reason
                res["stderr_head"] = err.decode("utf-8", "replace").splitlines()[:10]
                res["times"] = []
                res["cpu_times"] = []
            else:
                res["times"].append(secs)
                res["cpu_times"].append(cpu)
    for res in results.values():
        if res["status"] == "ok" and res["times"]:
            res["median"] = statistics.median(res["times"])
            res["cpu_median"] = statistics.median(res["cpu_times"])
    return record


def parse_jstats(err):
    """Reads the end of cpjit-lua's -jstats report (stderr): returns
    {share, aborts, execs}, the reasons as (text, count) in report order, or
    None when there is no such report."""
    share = None
    aborts, execs = [], []
    table = None
    for line in err.decode("utf-8", "replace").splitlines():
        if line.startswith("  share of bytecodes in traces: "):
            try:
                share = int(line.split(":", 1)[1].strip().rstrip("%"))
            except ValueError:
                share = None
        elif line.startswith("  abort reasons "):
            table = aborts
        elif line.startswith("  EXEC reasons "):
            table = execs
        elif table is not None and line.startswith("    ") and line[4:6].strip().isdigit():
            # "     1  <reason>   <count>[ <count> <runs>]": rank, text, numbers
            words = line[6:].split()
            nums = []
            while words and words[-1].isdigit():
                nums.insert(0, int(words.pop()))
            if not nums:
                continue
            table.append((" ".join(words), nums))
        elif not line.startswith("    ") and not line.startswith("        "):
            table = None
    if share is None:
        return None
    return {"share": share,
            "aborts": [(t, n[0]) for t, n in aborts],
            "execs": [(t, n[0] + (n[1] if len(n) > 1 else 0)) for t, n in execs]}


def jstats_program(prog, vms, args):
    """One untimed run of cpjit-lua -jstats: the share of bytecodes in traces
    and the top reasons, or an error string."""
    vm = next((v for v in vms if v["name"] == "cpjit-lua" and v["available"]), None)
    if vm is None:
        return {"error": "cpjit-lua not available"}
    extra = [prog["quick"]] if args.quick and prog["quick"] else []
    secs, cpu, rc, out, err, to = run_once(vm["command"] + ["-jstats", prog["path"]] + extra,
                                           args.timeout)
    reason = describe_failure(rc, out, err, to, args.timeout, None)
    if reason:
        return {"error": reason}
    st = parse_jstats(err)
    return st if st else {"error": "no -jstats report on stderr"}


def add_ratios(records, metric):
    """metric: "median" (wall time) or "cpu_median" (user + system time)."""
    for rec in records:
        base = rec["results"].get(BASELINE, {})
        bmed = base.get(metric) if base.get("status") == "ok" else None
        for res in rec["results"].values():
            if res.get(metric) and bmed:
                res["ratio"] = res[metric] / bmed      # time relative to lua5.4
                res["speedup"] = bmed / res[metric]    # speed relative to lua5.4
            else:
                res["ratio"] = None
                res["speedup"] = None


# The programs that spend their time in loops: the trace JIT's goal is a
# geometric-mean speedup over its own interpreter on these.
LOOP_PROGRAMS = ["mandelbrot", "nbody", "spectral_norm", "fannkuch", "sieve",
                 "heapsort", "queens", "matmul", "sor", "fft", "partial_sums"]


def jit_over_interpreter(report, metric_key):
    """cpjit-lua -joff time / cpjit-lua time per program, with geometric
    means over all programs and over LOOP_PROGRAMS; None without both."""
    per = {}
    for rec in report["programs"]:
        off = rec["results"].get("cpjit-lua -joff", {})
        on = rec["results"].get("cpjit-lua", {})
        if off.get("status") == "ok" and on.get("status") == "ok" and \
                off.get(metric_key) and on.get(metric_key):
            per[rec["name"]] = off[metric_key] / on[metric_key]
    if not per:
        return None
    loops = [per[n] for n in LOOP_PROGRAMS if n in per]
    worst = min(per.items(), key=lambda kv: kv[1])
    return {"per_program": per, "all": geomean(list(per.values())),
            "loops": geomean(loops), "loops_count": len(loops),
            "worst": {"program": worst[0], "speedup": worst[1]}}


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def geomeans(records, vms):
    groups = []
    for rec in records:
        if rec["group"] not in groups:
            groups.append(rec["group"])
    out = {"groups": {}, "overall": {}}
    for g in groups + [None]:
        table = {}
        members = [r for r in records if g is None or r["group"] == g]
        for vm in vms:
            sp = [r["results"][vm["name"]]["speedup"] for r in members
                  if r["results"][vm["name"]].get("speedup")]
            table[vm["name"]] = {"speedup": geomean(sp), "count": len(sp),
                                 "of": len(members)}
        if g is None:
            out["overall"] = table
        else:
            out["groups"][g] = table
    return out


# -- Machine ------------------------------------------------------------------

def machine_info():
    try:
        uname = subprocess.run(["uname", "-srm"], capture_output=True, text=True,
                               timeout=5).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        uname = " ".join([platform.system(), platform.release(), platform.machine()])
    cpu = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            fields = {}
            for line in f:
                if ":" in line:
                    k, v = line.split(":", 1)
                    fields.setdefault(k.strip(), v.strip())
        cpu = fields.get("model name") or fields.get("Model") or fields.get("Hardware")
        if not cpu and "CPU implementer" in fields:
            cpu = "implementer %s part %s" % (fields["CPU implementer"],
                                              fields.get("CPU part", "?"))
    except OSError:
        pass
    return {"uname": uname, "cpu": cpu or platform.processor() or "unknown",
            "cores": os.cpu_count()}


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return None


# -- Reports ------------------------------------------------------------------

def fmt_time(res):
    if res["status"] == "skipped":
        return "-"
    if res["status"] != "ok":
        return "FAIL"
    return "%.3f" % res["median"]


def fmt_speed(x):
    if x is None:
        return "-"
    return "%.2f" % x if x < 10 else "%.1f" % x


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def furthest_behind(report, count=3):
    """The programs with the largest cpjit-lua / luajit time ratio, as
    (name, ratio) pairs; empty when either VM has no results."""
    pairs = []
    for rec in report["programs"]:
        a, b = rec["results"].get("cpjit-lua", {}), rec["results"].get("luajit", {})
        key = "cpu_median" if report["metric"] == "cpu" else "median"
        if a.get("status") == "ok" and b.get("status") == "ok" and a.get(key) and b.get(key):
            pairs.append((rec["name"], a[key] / b[key]))
    pairs.sort(key=lambda p: -p[1])
    return pairs[:count]


def busy_warning(report):
    """A sentence when the machine was busy while measuring, else None."""
    cores = report["machine"]["cores"] or 1
    loads = []
    for text in (report["load_before"], report["load_after"]):
        if text:
            loads.append(float(text.split()[0]))
    if loads and max(loads) > 0.5 * cores + 0.5:
        return ("the machine was busy (1-minute load average up to %.1f on %d cores): "
                "wall times are noisy; --metric cpu is steadier" % (max(loads), cores))
    return None


def markdown(report):
    vms = report["vms"]
    names = [vm["name"] for vm in vms]
    m = report["machine"]
    L = []
    L.append("# Execution benchmarks")
    L.append("")
    L.append("- Machine: `%s`, %s, %s cores" % (m["uname"], m["cpu"], m["cores"]))
    L.append("- Date: %s" % report["date"])
    L.append("- Command: `%s`" % report["command"])
    L.append("- %d run(s) per VM and program, VMs interleaved; ratios from the median %s%s."
             % (report["runs"],
                "wall time" if report["metric"] == "wall" else "user + system CPU time",
                ", quick sizes" if report["quick"] else ""))
    L.append("- Load average before / after: %s / %s" % (report["load_before"],
                                                          report["load_after"]))
    if busy_warning(report):
        L.append("- **Warning**: %s." % busy_warning(report))
    for vm in vms:
        if vm["available"]:
            L.append("- `%s`: `%s`%s" % (vm["name"], " ".join(vm["command"]),
                                          " (%s)" % vm["version"] if vm["version"] else ""))
        else:
            L.append("- `%s`: skipped, %s" % (vm["name"], vm["note"]))
    L.append("")

    L.append("## Speed relative to lua5.4")
    L.append("")
    L.append("lua5.4 time / VM time (%s): above 1 is faster than lua5.4. Geometric means "
             % ("median wall time" if report["metric"] == "wall" else "median CPU time") +
             "are over the programs where both the VM and lua5.4 succeeded.")
    L.append("")
    L.append("| group | " + " | ".join(names) + " |")
    L.append("|---|" + "---:|" * len(names))
    gm = report["geomean"]
    for g, table in list(gm["groups"].items()) + [("**all**", gm["overall"])]:
        cells = []
        for n in names:
            e = table[n]
            c = fmt_speed(e["speedup"])
            if e["speedup"] is not None and e["count"] < e["of"]:
                c += " (%d of %d)" % (e["count"], e["of"])
            cells.append(c)
        L.append("| %s | %s |" % (g, " | ".join(cells)))
    L.append("")
    L.append("| program | group | " + " | ".join(names) + " |")
    L.append("|---|---|" + "---:|" * len(names))
    for rec in report["programs"]:
        cells = []
        for n in names:
            res = rec["results"][n]
            cells.append("FAIL" if res["status"] == "fail" else fmt_speed(res.get("speedup")))
        L.append("| %s | %s | %s |" % (rec["name"], rec["group"], " | ".join(cells)))
    L.append("")

    L.append("## Median wall time (seconds)")
    L.append("")
    L.append("| program | " + " | ".join(names) + " |")
    L.append("|---|" + "---:|" * len(names))
    for rec in report["programs"]:
        L.append("| %s | %s |" % (rec["name"], " | ".join(fmt_time(rec["results"][n])
                                                          for n in names)))
    L.append("")

    L.append("## Median CPU time, user + system (seconds)")
    L.append("")
    L.append("Less sensitive than wall time to other load on the machine.")
    L.append("")
    L.append("| program | " + " | ".join(names) + " |")
    L.append("|---|" + "---:|" * len(names))
    for rec in report["programs"]:
        cells = []
        for n in names:
            res = rec["results"][n]
            cells.append("%.3f" % res["cpu_median"] if res.get("cpu_median") is not None
                         else fmt_time(res))
        L.append("| %s | %s |" % (rec["name"], " | ".join(cells)))
    L.append("")

    jo = report.get("jit_over_interpreter")
    if jo:
        L.append("## JIT over interpreter")
        L.append("")
        L.append("cpjit-lua -joff time / cpjit-lua time (%s), same run: %s over all "
                 "%d programs, %s over the %d loop programs (%s); lowest: %s %s."
                 % ("median wall time" if report["metric"] == "wall" else "median CPU time",
                    fmt_speed(jo["all"]), len(jo["per_program"]), fmt_speed(jo["loops"]),
                    jo["loops_count"], ", ".join(LOOP_PROGRAMS),
                    jo["worst"]["program"], fmt_speed(jo["worst"]["speedup"])))
        L.append("")
        L.append("| program | JIT / interpreter |")
        L.append("|---|---:|")
        for rec in report["programs"]:
            if rec["name"] in jo["per_program"]:
                L.append("| %s | %s |" % (rec["name"], fmt_speed(jo["per_program"][rec["name"]])))
        L.append("")

    behind = furthest_behind(report)
    if behind:
        L.append("## Where cpjit-lua is furthest behind luajit")
        L.append("")
        slower = [(name, factor) for name, factor in behind if factor > 1.0]
        if slower:
            L.append("| program | cpjit-lua time / luajit time |")
            L.append("|---|---:|")
            for name, factor in slower:
                L.append("| %s | %.2f |" % (name, factor))
        else:
            L.append("Nowhere: cpjit-lua was at least as fast as luajit on every program.")
        L.append("")

    fails = [(rec["name"], n, rec["results"][n]["error"]) for rec in report["programs"]
             for n in names if rec["results"][n]["status"] == "fail"]
    L.append("## Failures")
    L.append("")
    if fails:
        for prog, vm, err in fails:
            L.append("- %s under `%s`: %s" % (prog, vm, err))
    else:
        L.append("None: every available VM printed lua5.4's output on every program.")
    L.append("")
    if any("jstats" in rec for rec in report["programs"]):
        L.append("## What the JIT leaves visible (cpjit-lua -jstats)")
        L.append("")
        L.append("One untimed run per program. Share: bytecodes run in trace code out of all "
                 "(interpreter counted; traces estimated from loop iterations x recorded "
                 "length, see -jstats). Reasons: the top 3, with their counts (EXEC: sites "
                 "in compiled traces and aborted recordings).")
        L.append("")
        L.append("| program | share in traces | top abort reasons | top EXEC reasons |")
        L.append("|---|---:|---|---|")

        def cell(items):
            return "; ".join("%s (%d)" % (t.replace("|", "\\|"), n) for t, n in items[:3]) or "-"
        for rec in report["programs"]:
            js = rec.get("jstats")
            if js is None:
                continue
            if js.get("error"):
                L.append("| %s | - | %s | |" % (rec["name"], js["error"].replace("|", "\\|")))
            else:
                L.append("| %s | %d%% | %s | %s |" % (rec["name"], js["share"],
                                                      cell(js["aborts"]), cell(js["execs"])))
        L.append("")
    if report.get("chart"):
        L.append("![speed relative to lua5.4](%s)" % report["chart"])
        L.append("")
    return "\n".join(L)


def gnuplot_terminal(gnuplot):
    try:
        r = subprocess.run([gnuplot, "-e", "set terminal"], capture_output=True, text=True,
                           timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = r.stdout + r.stderr
    words = {line.split()[0] for line in text.splitlines() if line.strip()}
    if "pngcairo" in words:
        return "pngcairo"
    if "png" in words:
        return "png"
    return None


def log_tics(lo, hi):
    """1-2-5 tic values covering [lo, hi]."""
    tics = []
    decade = 10.0 ** math.floor(math.log10(lo))
    while decade <= hi:
        for m in (1, 2, 5):
            t = m * decade
            if lo <= t <= hi:
                tics.append(float("%.6g" % t))
        decade *= 10
    return tics


def chart(report, out_dir):
    """Draws results.png; returns its file name or None (with a printed reason)."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("gnuplot not installed: skipping the chart (results.png)")
        return None
    term = gnuplot_terminal(gnuplot)
    if not term:
        print("gnuplot has neither the pngcairo nor the png terminal: skipping the chart")
        return None
    vms = [vm["name"] for vm in report["vms"] if vm["available"] and vm["name"] != BASELINE]
    progs = report["programs"]
    values = [rec["results"][n].get("speedup") for rec in progs for n in vms]
    values = [v for v in values if v]
    if not vms or not values:
        print("no speedups to chart: skipping results.png")
        return None

    dat = os.path.join(out_dir, "results.dat")
    lines = ["# index program " + " ".join('"%s"' % n for n in vms)]
    for i, rec in enumerate(progs):
        cells = []
        for n in vms:
            s = rec["results"][n].get("speedup")
            cells.append("%.6g" % s if s else "?")
        lines.append("%d %s %s" % (i, rec["name"], " ".join(cells)))
    write_atomic(dat, "\n".join(lines) + "\n")

    lo = min(values + [1.0]) / 1.5
    hi = max(values + [1.0]) * 1.5
    width = 0.8 / len(vms)
    colours = ["#9ecae1", "#3182bd", "#fdae6b", "#e6550d", "#74c476", "#31a354", "#9e9ac8",
               "#756bb1"]
    png = os.path.join(out_dir, "results.png")
    plots = []
    for j, n in enumerate(vms):
        off = -0.4 + width * (j + 0.5)
        plots.append(
            "'%s' using ($1+%g):(1):($1+%g):($1+%g):(1):%d%s with boxxyerror "
            "fill solid 0.9 lc rgb '%s' title '%s'"
            % (dat, off, off - width / 2, off + width / 2, j + 3,
               ":xtic(2)" if j == 0 else "", colours[j % len(colours)], n))
    pixels_w = max(900, 60 * len(progs) + 200)
    script = "\n".join([
        "set terminal %s size %d,600%s" % (term, pixels_w,
                                           " font 'sans,10'" if term == "pngcairo" else ""),
        "set output '%s'" % png,
        "set termoption noenhanced",
        "set datafile missing '?'",
        "set title 'Speed relative to lua5.4 (lua5.4 %s / VM %s, log scale; "
        "above 1 = faster)'" % ((("time",) * 2) if report["metric"] == "wall"
                                else ("CPU time", "CPU time")),
        "set logscale y",
        "set yrange [%g:%g]" % (lo, hi),
        "set ytics (%s)" % ", ".join("'%g' %g" % (t, t) for t in log_tics(lo, hi)),
        "set xrange [-0.6:%g]" % (len(progs) - 0.4),
        "set ylabel 'speedup vs lua5.4'",
        "set grid ytics",
        "set xtics rotate by -45 nomirror",
        "set key top left",
        "set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb 'black' lw 1",
        "plot " + ", \\\n     ".join(plots),
        "",
    ])
    gp = os.path.join(out_dir, "results.gp")
    write_atomic(gp, script)
    try:
        r = subprocess.run([gnuplot, gp], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        print("gnuplot failed (%s): skipping the chart" % e)
        return None
    if r.returncode != 0 or not os.path.exists(png):
        print("gnuplot failed: %s" % short(r.stderr.strip(), 300))
        return None
    return "results.png"


# -- Main ---------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Run the execution benchmarks under cpjit-lua, lua5.4 and LuaJIT.")
    ap.add_argument("--cpjit", help="path to the cpjit-lua executable")
    ap.add_argument("--out", default=os.path.join("build", "bench"),
                    help="output directory (default: build/bench)")
    ap.add_argument("--bench", action="append", default=[],
                    help="run only this program (repeatable, or comma-separated)")
    ap.add_argument("--runs", type=int, default=None,
                    help="timed runs per VM and program (default 5; 1 with --quick)")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes and one run: a smoke test, not a measurement")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds before a run counts as failed (default 60; 20 with --quick)")
    ap.add_argument("--metric", choices=["wall", "cpu"], default=None,
                    help="time the ratios are computed from: median wall time (default) "
                         "or median user+system CPU time, steadier on a busy machine")
    ap.add_argument("--lua", default="lua5.4", help="lua5.4 executable (default: lua5.4)")
    ap.add_argument("--luajit", default="luajit", help="luajit executable (default: luajit)")
    ap.add_argument("--extra-vm", action="append", default=[], metavar="NAME=COMMAND",
                    help="one more VM column, e.g. 'cpjit llvm-O2=build/runtime/cpjit-lua "
                         "-jbackend=llvm-O2' (repeatable)")
    ap.add_argument("--jstats", action="store_true",
                    help="also run each program once under cpjit-lua -jstats and list its "
                         "share of bytecodes in traces and top abort/EXEC reasons in "
                         "results.md")
    ap.add_argument("--list", action="store_true", help="list the programs and exit")
    ap.add_argument("--from-json", metavar="FILE",
                    help="run nothing: rewrite results.md and results.png in --out from a "
                         "results.json written earlier (with --metric, recompute the ratios)")
    args = ap.parse_args(argv)
    if args.runs is None:
        args.runs = 1 if args.quick else 5
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if args.timeout is None:
        args.timeout = 20.0 if args.quick else 60.0
    if args.timeout <= 0:
        ap.error("--timeout must be positive")
    names = {"cpjit-lua -joff", "cpjit-lua", "lua5.4", "luajit -joff", "luajit"}
    for spec in args.extra_vm:
        name, eq, command = spec.partition("=")
        if not eq or not name.strip() or not command.strip():
            ap.error("--extra-vm wants NAME=COMMAND, got '%s'" % spec)
        if name.strip() in names:
            ap.error("--extra-vm name '%s' is already taken" % name.strip())
        names.add(name.strip())
        try:
            shlex.split(command)
        except ValueError as e:
            ap.error("--extra-vm '%s': %s" % (spec, e))
    return args


def finish(report, out_dir):
    """Computes the derived numbers, writes the three reports, prints the
    summary; returns the exit status."""
    metric_key = "cpu_median" if report["metric"] == "cpu" else "median"
    add_ratios(report["programs"], metric_key)
    report["geomean"] = geomeans(report["programs"], report["vms"])
    report["jit_over_interpreter"] = jit_over_interpreter(report, metric_key)
    report["failures"] = sum(1 for rec in report["programs"]
                             for res in rec["results"].values() if res["status"] == "fail")
    report["chart"] = chart(report, out_dir)
    write_atomic(os.path.join(out_dir, "results.json"), json.dumps(report, indent=1) + "\n")
    write_atomic(os.path.join(out_dir, "results.md"), markdown(report))

    active = [vm["name"] for vm in report["vms"] if vm["available"]]
    print("")
    print("geometric mean speedup vs lua5.4 (all programs): " + ", ".join(
        "%s %s" % (n, fmt_speed(report["geomean"]["overall"][n]["speedup"])) for n in active))
    jo = report["jit_over_interpreter"]
    if jo:
        print("cpjit-lua over cpjit-lua -joff: %s (all), %s (%d loop programs), lowest %s %s"
              % (fmt_speed(jo["all"]), fmt_speed(jo["loops"]), jo["loops_count"],
                 jo["worst"]["program"], fmt_speed(jo["worst"]["speedup"])))
    print("wrote %s" % ", ".join(os.path.join(out_dir, f) for f in
                                 ["results.json", "results.md"] +
                                 (["results.png"] if report["chart"] else [])))
    if busy_warning(report):
        print("warning: %s" % busy_warning(report))
    if report["failures"]:
        print("%d failure(s): see the Failures section of results.md" % report["failures"])
        return 1
    return 0


def rerender(args):
    try:
        with open(args.from_json, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        print("run_exec.py: cannot read %s: %s" % (args.from_json, e), file=sys.stderr)
        return 2
    if not isinstance(report, dict) or report.get("schema") != 1:
        print("run_exec.py: %s is not a results.json of schema 1" % args.from_json,
              file=sys.stderr)
        return 2
    if args.metric:
        report["metric"] = args.metric
    try:
        os.makedirs(args.out, exist_ok=True)
        return finish(report, args.out)
    except KeyError as e:
        print("run_exec.py: cannot render %s: missing field %s" % (args.from_json, e),
              file=sys.stderr)
        return 2
    except (OSError, TypeError, AttributeError) as e:
        print("run_exec.py: cannot render %s: %s" % (args.from_json, e), file=sys.stderr)
        return 2


def main(argv):
    args = parse_args(argv)
    if args.from_json:
        return rerender(args)
    programs = discover_programs()
    if args.list:
        for p in programs:
            print("%-16s %-10s quick=%s" % (p["name"], p["group"], p["quick"]))
        return 0
    try:
        programs = select_programs(programs, args.bench)
    except ValueError as e:
        print("run_exec.py: %s" % e, file=sys.stderr)
        return 2
    if not programs:
        print("run_exec.py: no programs in %s" % PROGRAM_DIR, file=sys.stderr)
        return 2

    vms = build_vms(args)
    for vm in vms:
        if not vm["available"]:
            print("skipping %s: %s" % (vm["name"], vm["note"]))
    if not any(vm["available"] for vm in vms):
        print("run_exec.py: no VM available", file=sys.stderr)
        return 2
    if not next(vm for vm in vms if vm["name"] == BASELINE)["available"]:
        print("lua5.4 not available: outputs are checked against the first available VM "
              "and no speed ratios are computed")

    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as e:
        print("run_exec.py: cannot create %s: %s" % (args.out, e), file=sys.stderr)
        return 2

    active = [vm["name"] for vm in vms if vm["available"]]
    print("%d program(s), %d run(s) each under: %s" % (len(programs), args.runs,
                                                       ", ".join(active)))
    load_before = loadavg()
    started = time.time()
    records = []
    header = "%-15s" % "program" + "".join("%16s" % n for n in active)
    print(header)
    for prog in programs:
        rec = bench_program(prog, vms, args)
        if args.jstats:
            rec["jstats"] = jstats_program(prog, vms, args)
        records.append(rec)
        cells = []
        for n in active:
            res = rec["results"][n]
            cells.append("%16s" % ("%.3fs" % res["median"] if res["status"] == "ok"
                                   else "FAIL"))
        print("%-15s" % prog["name"] + "".join(cells), flush=True)
        for n in active:
            res = rec["results"][n]
            if res["status"] == "fail":
                print("  %s under %s: %s" % (prog["name"], n, res["error"]), flush=True)
        js = rec.get("jstats")
        if js:
            print("  -jstats: %s" % (js["error"] if js.get("error") else
                                      "%d%% of bytecodes in traces" % js["share"]), flush=True)

    report = {
        "schema": 1,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "machine": machine_info(),
        "command": " ".join(["python3", os.path.relpath(os.path.abspath(__file__))] + argv),
        "runs": args.runs,
        "quick": args.quick,
        "timeout": args.timeout,
        "baseline": BASELINE,
        "metric": args.metric or "wall",
        "elapsed_seconds": round(time.time() - started, 1),
        "load_before": load_before,
        "load_after": loadavg(),
        "vms": vms,
        "programs": records,
    }
    return finish(report, args.out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
