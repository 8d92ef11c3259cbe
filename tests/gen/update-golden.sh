#!/bin/sh
# update-golden.sh -- regenerate tests/gen/fixture_set.golden.h and
# tests/gen/fixture_set_aarch64.golden.h.
#
#   tests/gen/update-golden.sh [BUILD_DIR]
#
# Runs the stencilgen built in BUILD_DIR (default: build) on the committed
# fixture object (decoded from fixture_set.o.hex). Review `git diff tests/gen/fixture_set.golden.h` before
# committing: every change in it is a change in what the JIT receives.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
gen="$build/tools/stencilgen"
if [ ! -x "$gen" ]; then
  gen=$(find "$build" -type f -name stencilgen -perm -u+x | head -n 1)
fi
if [ -z "$gen" ] || [ ! -x "$gen" ]; then
  echo "update-golden.sh: no stencilgen under $build; build it first" >&2
  exit 1
fi
case $gen in /*) ;; *) gen="$PWD/$gen" ;; esac
cd "$here"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xxd -r -p fixture_set.o.hex "$tmp/fixture_set.o"
"$gen" --no-disasm --set fixture --output fixture_set.golden.h "$tmp/fixture_set.o"
echo "updated tests/gen/fixture_set.golden.h with $gen"
xxd -r -p fixture_set_aarch64.o.hex "$tmp/fixture_set_aarch64.o"
"$gen" --no-disasm --set fixture --output fixture_set_aarch64.golden.h \
  "$tmp/fixture_set_aarch64.o"
echo "updated tests/gen/fixture_set_aarch64.golden.h with $gen"
