#!/bin/sh
# harden_trace_code.sh CPJIT_LUA STENCIL_HEADER SCRIPT... -- landing pads in
# the trace code of an x86-64 CPJIT_HARDEN build (-fcf-protection=full).
#
# Under IBT every indirect call or jump must land on endbr64, unless it is
# a `notrack` one (clang's jump tables). Checked twice:
#   1. every stencil of the set, from the disassembly in its generated
#      header: endbr64 only at the trampoline's first byte (uops are entered
#      by direct jumps, CPJIT_CC's nocf_check) and no tracked indirect jmp or
#      call anywhere, so no other place in trace code is an indirect-branch
#      target;
#   2. the code cpjit-lua really emits (-jdump -Ohotloop=1 on each SCRIPT):
#      each trace starts with endbr64 at its entry address, holds no other,
#      and no tracked indirect jmp or call.
# Helpers that trace code reaches through a veneer's indirect jmp are host
# functions: tests/unit/test_lua_uops.c checks their landing pads.
lua=$1
header=$2
shift 2
status=0

awk '
  /^\/\* -- / { name = $3; sub(":", "", name); next }
  /^ \*  *[0-9a-f]+:/ {
    off = $2; sub(":", "", off)
    line = $0; sub(/^ \*  *[0-9a-f]+:[ \t]*/, "", line)
    if (line ~ /^endbr64/) {
      pads++
      if (name != "trampoline" || off != "0") {
        print "stencil " name "+0x" off ": endbr64 outside the trampoline entry"; bad = 1
      }
    }
    if (line ~ /^(jmp|call)q?[ \t]+\*/) {
      print "stencil " name "+0x" off ": tracked indirect branch: " line; bad = 1
    }
    if (line ~ /^notrack/) notrack++
    insns++
  }
  END {
    if (insns < 1000) { print FILENAME ": only " insns " instructions in the disassembly"; bad = 1 }
    if (pads != 1) { print FILENAME ": " pads + 0 " endbr64, want exactly 1 (the trampoline)"; bad = 1 }
    if (!bad) printf "stencils: %d instructions, %d endbr64, %d notrack indirect jumps\n", insns, pads, notrack
    exit bad
  }' "$header" || status=1

for script in "$@"; do
  dump=$("$lua" -jdump -Ohotloop=1 "$script" 2>&1 >/dev/null) || {
    echo "$script: cpjit-lua failed"; status=1; continue; }
  printf '%s\n' "$dump" | awk -v script="$script" '
    /^---- TRACE [0-9]+ mcode / {
      trace = $3; entry = $NF; sub(/^0x0*/, "", entry)
      in_code = 1; first = 1; pads = 0; ntraces++; next
    }
    /^---- TRACE [0-9]+ stop/ {
      if (in_code && pads != 1) {
        print script ": trace " trace " holds " pads " endbr64, want 1 (its entry)"; bad = 1
      }
      in_code = 0; next
    }
    in_code && /^ *[0-9a-f]+:/ {
      n = split($0, f, "\t")
      if (n < 2) next                      # continuation of a long encoding
      addr = $1; sub(":", "", addr); sub(/^0*/, "", addr)
      insn = f[2]; for (i = 3; i <= n; i++) insn = insn " " f[i]
      if (first) {
        first = 0
        if (addr != entry || insn !~ /^endbr64/) {
          print script ": trace " trace " entry " entry ": " insn " (want endbr64)"; bad = 1
        }
      }
      if (insn ~ /^endbr64/) pads++
      if (insn ~ /^(jmp|call)[ \t]/ && insn !~ /^(jmp|call)[ \t]+(0x)?[0-9a-f]+( |$)/) {
        print script ": trace " trace " at " addr ": tracked indirect branch: " insn; bad = 1
      }
      insns++
    }
    END {
      if (ntraces < 1) { print script ": no trace compiled"; bad = 1 }
      else if (insns < 1) { print script ": -jdump printed no instructions (no objdump?)"; bad = 1 }
      else if (!bad) printf "%s: %d traces, %d instructions: each trace starts with endbr64, no tracked indirect branch\n", script, ntraces, insns
      exit bad
    }' || status=1
done
exit $status
