# Tests of the standard libraries (runtime/lib/), included by tests/CMakeLists.txt
# and by the standalone shim build (runtime/lib/testshim/CMakeLists.txt).
#
#   unit/lib_pattern, unit/lib_format   cmocka tests of the lua_State-free
#                                       parts (lpattern.c, lformat.c)
#   lib/<name>                          runtime/lib/testshim/checks/<name>.lua
#                                       run by cpjit-lua, stdout compared with
#                                       the recorded lua5.4 output (only when
#                                       the cpjit-lua target exists, i.e. this
#                                       file is included after runtime/)
if(NOT DEFINED REPO_DIR)
  get_filename_component(REPO_DIR "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
endif()
set(LIB_SOURCE_DIR "${REPO_DIR}/runtime/lib")
set(LIB_CHECKS_DIR "${LIB_SOURCE_DIR}/testshim/checks")

foreach(name pattern format)
  set(sources "${REPO_DIR}/tests/unit/lib_${name}.c" "${LIB_SOURCE_DIR}/l${name}.c")
  if(COMMAND cpjit_unit_test)
    cpjit_unit_test(lib_${name} ${sources})
  else()
    find_library(LIB_CMOCKA cmocka REQUIRED)
    add_executable(lib_${name} ${sources})
    target_compile_options(lib_${name} PRIVATE -Wall -Wextra -Werror)
    target_link_libraries(lib_${name} PRIVATE ${LIB_CMOCKA})
    add_test(NAME unit/lib_${name} COMMAND lib_${name})
  endif()
  target_include_directories(lib_${name} PRIVATE "${LIB_SOURCE_DIR}")
  # lformat.c calls floor(): libm, which not every compiler inlines
  target_link_libraries(lib_${name} PRIVATE m)
endforeach()

if(TARGET cpjit-lua)
  file(GLOB lib_check_scripts CONFIGURE_DEPENDS "${LIB_CHECKS_DIR}/*.lua")
  foreach(script ${lib_check_scripts})
    get_filename_component(name "${script}" NAME_WE)
    add_test(NAME lib/${name}
      COMMAND sh "${LIB_SOURCE_DIR}/testshim/run_check.sh"
              "${CPJIT_LUA_RUN}" ${name} "${CMAKE_CURRENT_BINARY_DIR}/lib_checks"
      WORKING_DIRECTORY "${LIB_CHECKS_DIR}")
    set_tests_properties(lib/${name} PROPERTIES LABELS lib)
  endforeach()
  # Its expected output, from lua5.4 on x86-64, feeds the string "-nan" (the
  # sign of a NaN is the machine's) through string functions whose results
  # no normalisation can map: not run in cross builds.
  if(CMAKE_CROSSCOMPILING AND TEST lib/fuzz_differential)
    set_tests_properties(lib/fuzz_differential PROPERTIES DISABLED TRUE)
  endif()
endif()
