#!/bin/sh
# build-with-pkg-config.sh OUTDIR -- build minivm without CMake: everything
# comes from pkg-config (cpjit.pc of an installed cpjit; set
# PKG_CONFIG_PATH=<prefix>/lib/pkgconfig when the prefix is not a system one).
#   CPJIT_STENCIL_CC  clang >= 19 for the stencils (default clang-19)
#   CC, CFLAGS, LDFLAGS  the host compiler, as usual
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-.}
mkdir -p "$out"
clang=${CPJIT_STENCIL_CC:-clang-19}

# 1. uops -> object code with holes (the flags cpjit_add_stencils() uses)
"$clang" $(pkg-config --variable=stencil_cflags cpjit) -I"$src" \
  -c "$src/minivm_uops.c" -o "$out/minivm_uops.o"
# 2. object -> minivm_stencils.h
"$(pkg-config --variable=stencilgen cpjit)" --set minivm --no-disasm \
  --output "$out/minivm_stencils.h" "$out/minivm_uops.o"
# 3. the VM, linked with libcpjit
${CC:-cc} ${CFLAGS:-} $(pkg-config --cflags cpjit) -I"$src" -I"$out" \
  "$src/minivm.c" -o "$out/minivm" ${LDFLAGS:-} $(pkg-config --libs cpjit)
