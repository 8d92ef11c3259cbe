#!/usr/bin/env bash
# install-deps.sh -- install what the build, tests and benchmarks need.
# As root: apt-get install -y the missing Debian packages. Otherwise: print
# the exact command to run and fail if something required is missing.
set -euo pipefail

# package:command-or-file that proves it is installed
required=(
  "cmake:cmake"
  "make:make"
  "gcc:gcc"
  "clang-19:clang-19"
  "llvm-19:llvm-objdump-19"
  "libclang-rt-19-dev:/usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.asan-x86_64.a"
  "libcmocka-dev:/usr/include/cmocka.h"
  "xxd:xxd"
  "lua5.4:lua5.4"
  "pkg-config:pkg-config"
  "gdb:gdb"
)
# Wanted for benchmarks and comparisons; installed when possible.
optional=(
  "luajit:luajit"
  "gnuplot-nox:gnuplot"
  "python3:python3"
  "llvm-19-dev:/usr/lib/llvm-19/include/llvm-c/LLJIT.h"
  "linux-perf:perf"
)

have() {
  case "$1" in
    /*) [ -e "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

missing=()
for entry in "${required[@]}" "${optional[@]}"; do
  pkg=${entry%%:*} probe=${entry#*:}
  have "$probe" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "install-deps: missing packages: ${missing[*]}"
  echo "install-deps: run: sudo apt-get install -y ${missing[*]}"
fi

status=0
for entry in "${required[@]}"; do
  pkg=${entry%%:*} probe=${entry#*:}
  if ! have "$probe"; then
    echo "install-deps: required package $pkg is still missing" >&2
    status=1
  fi
done
exit $status
