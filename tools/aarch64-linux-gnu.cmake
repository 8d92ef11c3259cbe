# aarch64-linux-gnu.cmake -- CMake toolchain file: build cpjit, cpjit-lua
# and the tests for AArch64 Linux with clang-19 on another machine, and run
# them under qemu-aarch64 (`make test-aarch64` uses it).
#
# Debian packages: clang-19, libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross,
# binutils-aarch64-linux-gnu, qemu-user (tools/install-deps.sh --aarch64).
# cmocka for the tests: CPJIT_AARCH64_CMOCKA_ROOT names a directory with
# usr/include/cmocka.h and usr/lib/aarch64-linux-gnu/libcmocka.so (Debian's
# arm64 package there).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER clang-19)
set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
# -E: qemu-user does not see writes to code through a second mapping (the
# dual mapping of jit/mcode.c), so the JIT uses its mprotect mode there.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu
    -E CPJIT_NO_DUAL_MAP=1)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
if(DEFINED ENV{CPJIT_AARCH64_CMOCKA_ROOT})
  set(CPJIT_AARCH64_CMOCKA_ROOT "$ENV{CPJIT_AARCH64_CMOCKA_ROOT}")
endif()
if(CPJIT_AARCH64_CMOCKA_ROOT)
  list(APPEND CMAKE_FIND_ROOT_PATH "${CPJIT_AARCH64_CMOCKA_ROOT}")
  # The tests find libcmocka.so where it was unpacked, under qemu too.
  set(CMAKE_BUILD_RPATH "${CPJIT_AARCH64_CMOCKA_ROOT}/usr/lib/aarch64-linux-gnu")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
