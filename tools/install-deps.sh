#!/usr/bin/env bash
# install-deps.sh -- install what the build, tests and benchmarks need.
# As root: apt-get install -y the missing Debian packages. Otherwise: print
# the exact command to run and fail if something required is missing.
#
#   tools/install-deps.sh                 the native build (required) and
#                                         benchmark tools (optional)
#   tools/install-deps.sh --aarch64 DIR   also the AArch64 cross build of
#                                         `make test-aarch64` (optional for
#                                         everything else): clang's cross
#                                         libc and binutils, qemu-user,
#                                         gdb-multiarch, and
#                                         Debian's arm64 cmocka unpacked into
#                                         DIR (needs dpkg's arm64 architecture,
#                                         added if missing)
set -euo pipefail

aarch64_dir=""
if [ "${1:-}" = "--aarch64" ]; then
  aarch64_dir=${2:?"usage: install-deps.sh --aarch64 DIR"}
fi

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

if [ -n "$aarch64_dir" ]; then
  required+=(
    "qemu-user:qemu-aarch64"
    "libc6-dev-arm64-cross:/usr/aarch64-linux-gnu/include/stdio.h"
    "libgcc-12-dev-arm64-cross:/usr/lib/gcc-cross/aarch64-linux-gnu/12/libgcc.a"
    "binutils-aarch64-linux-gnu:aarch64-linux-gnu-ld"
    "gdb-multiarch:gdb-multiarch"
  )
fi

have() {
  case "$1" in
    /*) [ -e "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# cmocka for AArch64: no Debian cross package exists; the arm64 packages
# are downloaded (not installed) and unpacked into $aarch64_dir.
aarch64_cmocka() {
  local dir=$1
  [ -e "$dir/usr/include/cmocka.h" ] &&
    [ -e "$dir/usr/lib/aarch64-linux-gnu/libcmocka.so" ] && return 0
  if [ "$(id -u)" -ne 0 ] &&
     ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "install-deps: run: sudo dpkg --add-architecture arm64 && sudo apt-get update" >&2
    return 1
  fi
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "install-deps: adding dpkg architecture arm64 (for cmocka:arm64)"
    dpkg --add-architecture arm64
    apt-get update -qq >/dev/null
  fi
  local tmp
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  if ! (cd "$tmp" && apt-get download -qq libcmocka0:arm64 libcmocka-dev:arm64 \
          >/dev/null 2>&1); then
    apt-get update -qq >/dev/null
    (cd "$tmp" && apt-get download -qq libcmocka0:arm64 libcmocka-dev:arm64 >/dev/null)
  fi
  mkdir -p "$dir"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dir"; done
  rm -rf "$tmp"
  echo "install-deps: unpacked cmocka for arm64 into $dir"
}

missing=()
for entry in "${required[@]}" "${optional[@]}"; do
  pkg=${entry%%:*} probe=${entry#*:}
  have "$probe" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  if [ -n "$aarch64_dir" ]; then aarch64_cmocka "$aarch64_dir"; fi
  exit 0
fi

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
if [ -n "$aarch64_dir" ]; then aarch64_cmocka "$aarch64_dir" || status=1; fi
for entry in "${required[@]}"; do
  pkg=${entry%%:*} probe=${entry#*:}
  if ! have "$probe"; then
    echo "install-deps: required package $pkg is still missing" >&2
    status=1
  fi
done
exit $status
