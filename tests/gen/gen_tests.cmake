# gen_tests.cmake -- tests of tools/stencilgen and cpjit_add_stencils().
#
# Included from the top-level CMakeLists.txt after add_subdirectory(tools),
# include(tools/CpjitStencils.cmake) and enable_testing(). Needs the
# `stencilgen` target and cmocka (cmocka::cmocka, CMOCKA_LIBRARIES or a
# libcmocka on the default search path).
#
# Tests (ctest -L gen):
#   gen/stencilgen       golden header, determinism, malformed objects,
#                        seeded random corruptions
#   gen/golden_set       the committed golden header's content
#   gen/golden_set_aarch64  the same for the AArch64 golden header
#   gen/golden_set_clang the golden header compiles warning-free with clang
#   gen/minimal_set      empty cases: no helpers, no data, no holes
#   gen/cmake_set        a set built by cpjit_add_stencils() from fixture_set.c
#   gen/cmake_rebuild    rebuilding that set elsewhere gives the same header
#   gen/<set>_rebuild    the same for toy_stencils / lua_stencils if defined

set(CPJIT_GEN_TEST_DIR "${CMAKE_CURRENT_LIST_DIR}")

# The fixture objects are committed as `xxd -p` text (binary build outputs
# stay out of git) and decoded here into the build tree, next to a copy of
# the golden header, so the tests read one fixture directory.
find_program(CPJIT_XXD xxd REQUIRED)
set(CPJIT_GEN_FIXTURE_DIR "${CMAKE_CURRENT_BINARY_DIR}/gen-fixtures")
file(MAKE_DIRECTORY "${CPJIT_GEN_FIXTURE_DIR}")
foreach(fx fixture_set fixture_writable fixture_local fixture_minimal
           fixture_set_aarch64 fixture_ruops)
  set(hex "${CPJIT_GEN_TEST_DIR}/${fx}.o.hex")
  execute_process(COMMAND "${CPJIT_XXD}" -r -p "${hex}"
                          "${CPJIT_GEN_FIXTURE_DIR}/${fx}.o"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cannot decode ${hex} with xxd")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${hex}")
endforeach()
foreach(golden fixture_set fixture_set_aarch64)
  configure_file("${CPJIT_GEN_TEST_DIR}/${golden}.golden.h"
                 "${CPJIT_GEN_FIXTURE_DIR}/${golden}.golden.h" COPYONLY)
endforeach()

if(TARGET cmocka::cmocka)
  set(cpjit_gen_cmocka cmocka::cmocka)
elseif(CMOCKA_LIB)
  set(cpjit_gen_cmocka ${CMOCKA_LIB})
elseif(CMOCKA_LIBRARIES)
  set(cpjit_gen_cmocka ${CMOCKA_LIBRARIES})
else()
  find_library(CPJIT_CMOCKA_LIBRARY cmocka REQUIRED)
  set(cpjit_gen_cmocka ${CPJIT_CMOCKA_LIBRARY})
endif()

function(cpjit_gen_test_target name)
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                                           C_EXTENSIONS OFF)
  target_compile_options(${name} PRIVATE -Wall -Wextra -Werror)
  target_link_libraries(${name} PRIVATE ${cpjit_gen_cmocka})
  foreach(dir IN ITEMS ${CMOCKA_INCLUDE} ${CMOCKA_INCLUDE_DIR})
    target_include_directories(${name} PRIVATE ${dir})
  endforeach()
endfunction()

# The generator run as a program on committed and mutated fixtures.
add_executable(test_stencilgen "${CPJIT_GEN_TEST_DIR}/test_stencilgen.c")
cpjit_gen_test_target(test_stencilgen)
target_compile_definitions(test_stencilgen PRIVATE
  "STENCILGEN=\"$<TARGET_FILE:stencilgen>\""
  "FIXTURE_DIR=\"${CPJIT_GEN_FIXTURE_DIR}\""
  "WORK_DIR=\"${CMAKE_CURRENT_BINARY_DIR}/gen-test-work\"")
add_dependencies(test_stencilgen stencilgen)
add_test(NAME gen/stencilgen COMMAND test_stencilgen)

# The committed golden header, compiled and checked.
add_executable(test_gen_golden_set "${CPJIT_GEN_TEST_DIR}/test_fixture_set.c")
cpjit_gen_test_target(test_gen_golden_set)
target_include_directories(test_gen_golden_set PRIVATE
  "${CPJIT_GEN_TEST_DIR}" "${CPJIT_GEN_TEST_DIR}/../../include")
target_compile_definitions(test_gen_golden_set PRIVATE
  "SET_HEADER=\"fixture_set.golden.h\"" SET_VAR=fixture_stencil_set
  SET_MACHINE=CPJIT_MACHINE_X86_64)
add_test(NAME gen/golden_set COMMAND test_gen_golden_set)
# The same checks on the AArch64 golden header (fixture_set.c built for
# AArch64), on any build machine.
add_executable(test_gen_golden_set_aarch64 "${CPJIT_GEN_TEST_DIR}/test_fixture_set.c")
cpjit_gen_test_target(test_gen_golden_set_aarch64)
target_include_directories(test_gen_golden_set_aarch64 PRIVATE
  "${CPJIT_GEN_TEST_DIR}" "${CPJIT_GEN_TEST_DIR}/../../include")
target_compile_definitions(test_gen_golden_set_aarch64 PRIVATE
  "SET_HEADER=\"fixture_set_aarch64.golden.h\"" SET_VAR=fixture_stencil_set
  SET_MACHINE=CPJIT_MACHINE_AARCH64)
add_test(NAME gen/golden_set_aarch64 COMMAND test_gen_golden_set_aarch64)

# The empty cases (no helpers, no data, a stencil without holes): a header
# generated at build time from the committed fixture_minimal.o.hex.
set(cpjit_gen_min_dir "${CMAKE_CURRENT_BINARY_DIR}/gen-minimal")
add_custom_command(
  OUTPUT "${cpjit_gen_min_dir}/minimal_stencils.h"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${cpjit_gen_min_dir}"
  COMMAND stencilgen --no-disasm --set minimal
          --output "${cpjit_gen_min_dir}/minimal_stencils.h"
          "${CPJIT_GEN_FIXTURE_DIR}/fixture_minimal.o"
  DEPENDS stencilgen "${CPJIT_GEN_FIXTURE_DIR}/fixture_minimal.o"
  COMMENT "Generating the minimal test stencil set"
  VERBATIM)
add_executable(test_gen_minimal_set "${CPJIT_GEN_TEST_DIR}/test_fixture_minimal.c"
                                    "${cpjit_gen_min_dir}/minimal_stencils.h")
cpjit_gen_test_target(test_gen_minimal_set)
target_include_directories(test_gen_minimal_set PRIVATE
  "${cpjit_gen_min_dir}" "${CPJIT_GEN_TEST_DIR}" "${CPJIT_GEN_TEST_DIR}/../../include")
add_test(NAME gen/minimal_set COMMAND test_gen_minimal_set)

# The golden header must also compile warning-free with clang.
add_test(NAME gen/golden_set_clang
  COMMAND "${CPJIT_STENCIL_CC}" -std=c11 -Wall -Wextra -Werror -pedantic
          -fsyntax-only "-I${CPJIT_GEN_TEST_DIR}" "-I${CPJIT_GEN_TEST_DIR}/../../include"
          "-DSET_HEADER=\"fixture_set.golden.h\"" -DSET_VAR=fixture_stencil_set
          "${CPJIT_GEN_TEST_DIR}/test_fixture_set.c")

# The same fixture through cpjit_add_stencils() with the installed clang-19.
cpjit_add_stencils(cpjit_gen_fixture_stencils SET genfix
                   SOURCES "${CPJIT_GEN_TEST_DIR}/fixture_set.c")
add_executable(test_gen_cmake_set "${CPJIT_GEN_TEST_DIR}/test_fixture_set.c")
cpjit_gen_test_target(test_gen_cmake_set)
target_include_directories(test_gen_cmake_set PRIVATE "${CPJIT_GEN_TEST_DIR}")
target_link_libraries(test_gen_cmake_set PRIVATE cpjit_gen_fixture_stencils)
target_compile_definitions(test_gen_cmake_set PRIVATE
  "SET_HEADER=\"genfix_stencils.h\"" SET_VAR=genfix_stencil_set)
if(CPJIT_HARDEN)
  target_compile_definitions(test_gen_cmake_set PRIVATE CPJIT_TEST_HARDENED_SET=1)
endif()
add_test(NAME gen/cmake_set COMMAND test_gen_cmake_set)

# Two clean builds (sources at different absolute paths) give byte-identical
# headers.
cpjit_add_stencils_rebuild_test(cpjit_gen_fixture_stencils gen/cmake_rebuild)
# The same for the project's real stencil sets, when this build has them.
foreach(set_target IN ITEMS toy_stencils lua_stencils)
  if(TARGET ${set_target})
    cpjit_add_stencils_rebuild_test(${set_target} gen/${set_target}_rebuild)
    set_property(TEST gen/${set_target}_rebuild PROPERTY LABELS gen)
  endif()
endforeach()
set_property(TEST gen/stencilgen gen/golden_set gen/golden_set_aarch64 gen/golden_set_clang
             gen/minimal_set gen/cmake_set gen/cmake_rebuild PROPERTY LABELS gen)
