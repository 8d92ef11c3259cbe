#!/bin/sh
# make-fixtures.sh -- rebuild the committed generator test fixtures.
#
# The golden test must not depend on the clang installed on the test
# machine, so the fixture objects are built once with clang-19 and
# committed as `xxd -p` text (fixture_*.o.hex; the test build decodes them).
# Run this only when a fixture_*.c changes, then run update-golden.sh and
# review the diff of fixture_set.golden.h.
#
# The flags are those of cpjit_add_stencils() (tools/CpjitStencils.cmake):
# x86-64 with -mcmodel=small, and fixture_set.c once more for AArch64 with
# -mcmodel=large (fixture_set_aarch64.o.hex).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cc=${CPJIT_STENCIL_CC:-clang-19}
common="-O2 -std=c11 -DCPJIT_STENCIL_BUILD -fno-pic -fno-builtin
  -fno-stack-protector
  -ffunction-sections -fdata-sections -fno-jump-tables -fomit-frame-pointer
  -fno-sanitize=all -Wall -Wextra -Werror"
flags="--target=x86_64-linux-gnu -mcmodel=small -fasynchronous-unwind-tables $common"
a64flags="--target=aarch64-linux-gnu -mcmodel=large -fasynchronous-unwind-tables $common"
cd "$here"
for f in fixture_set fixture_writable fixture_local fixture_minimal fixture_ruops; do
  # Relative paths only: the object's FILE symbol must not record where the
  # checkout lives.
  # shellcheck disable=SC2086
  "$cc" $flags -I../../include -c "$f.c" -o "$f.o"
  xxd -p "$f.o" > "$f.o.hex"
  rm -f "$f.o"
  echo "built tests/gen/$f.o.hex"
done
# shellcheck disable=SC2086
"$cc" $a64flags -I../../include -c fixture_set.c -o fixture_set_aarch64.o
xxd -p fixture_set_aarch64.o > fixture_set_aarch64.o.hex
rm -f fixture_set_aarch64.o
echo "built tests/gen/fixture_set_aarch64.o.hex"
