#!/bin/sh
# check.sh MODE ARGS... -- one way of building the minivm example (see
# CMakeLists.txt here); runs it and checks the interpreter and the JIT agree
# and a trace ran. Environment: CC, CFLAGS, LDFLAGS, CPJIT_STENCIL_CC, CMAKE.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cmake=${CMAKE:-cmake}
mode=$1
flags() { # common configure arguments
  echo "-DCMAKE_C_COMPILER=$CC -DCPJIT_STENCIL_CC=$CPJIT_STENCIL_CC"
}
cfg() { # src build extra-args...
  src=$1 dir=$2
  shift 2
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  "$cmake" -S "$src" -B "$dir" $(flags) "-DCMAKE_C_FLAGS=$CFLAGS" \
    "-DCMAKE_EXE_LINKER_FLAGS=$LDFLAGS" "$@" >"$dir.log" 2>&1 ||
    { cat "$dir.log"; exit 1; }
  "$cmake" --build "$dir" -j 2 >>"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
}
run() { # minivm executable
  out=$("$1" 100000)
  echo "$out"
  sum=333328333350000
  echo "$out" | grep -qx "interpreter: $sum" || { echo "FAIL: interpreter"; exit 1; }
  echo "$out" | grep -qx "jit:         $sum" || { echo "FAIL: jit"; exit 1; }
  echo "$out" | grep -q ": 1 trace, .* 1 trace entries" || { echo "FAIL: no trace ran"; exit 1; }
}
case $mode in
install) # build-dir stage
  rm -rf "$3"
  "$cmake" --install "$2" --prefix "$3"
  for f in include/cpjit.h include/cpjit_stencil.h bin/stencilgen \
           lib/cmake/cpjit/cpjitConfig.cmake lib/cmake/cpjit/cpjitConfigVersion.cmake \
           lib/cmake/cpjit/CpjitStencils.cmake lib/pkgconfig/cpjit.pc \
           share/doc/cpjit/LICENSE; do
    [ -e "$3/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
  done
  ls "$3"/lib/libcpjit.* >/dev/null ;;
find_package) # stage work
  cfg "$here/minivm" "$3" "-DCMAKE_PREFIX_PATH=$2"
  run "$3/minivm" ;;
pkg_config) # stage work
  rm -rf "$3"
  PKG_CONFIG_PATH="$2/lib/pkgconfig" sh "$here/minivm/build-with-pkg-config.sh" "$3"
  run "$3/minivm" ;;
add_subdirectory) # source work
  cfg "$here/subproject" "$3" "-DCPJIT_SOURCE_DIR=$2"
  # Only the library and stencilgen; the consumer's flags left alone.
  [ ! -e "$3/cpjit/runtime" ] || { echo "FAIL: cpjit-lua was configured"; exit 1; }
  ! grep -q -- -Werror "$3/cpjit/jit/CMakeFiles/cpjit.dir/flags.make" ||
    { echo "FAIL: -Werror in a subproject build"; exit 1; }
  grep -q '^CMAKE_BUILD_TYPE:STRING=$' "$3/CMakeCache.txt" ||
    { echo "FAIL: the consumer's build type was changed"; exit 1; }
  run "$3/minivm/minivm" ;;
shared) # source work
  cfg "$2" "$3/cpjit" -DBUILD_SHARED_LIBS=ON -DCPJIT_LUA=OFF -DCPJIT_TESTS=OFF
  "$cmake" --install "$3/cpjit" --prefix "$3/stage" >/dev/null
  ls "$3"/stage/lib/libcpjit.so.* >/dev/null
  cfg "$here/minivm" "$3/minivm" "-DCMAKE_PREFIX_PATH=$3/stage"
  run "$3/minivm/minivm" ;;
*) echo "check.sh: unknown mode $mode" >&2; exit 2 ;;
esac
echo "examples/$mode: ok"
