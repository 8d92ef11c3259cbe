# CpjitStencils.cmake -- cpjit_add_stencils(), the build rule for a stencil set.
#
#   cpjit_add_stencils(<target> SET <name> SOURCES <c files...>
#                      [INCLUDE_DIRECTORIES <dirs...>]
#                      [COMPILE_DEFINITIONS <defs...>]
#                      [COMPILE_OPTIONS <opts...>])
#
# Compiles each source with clang-19 and the fixed stencil flags below into
# ${CMAKE_CURRENT_BINARY_DIR}/cpjit_stencils/<name>/, runs the `stencilgen`
# target on the objects, and writes ${CMAKE_BINARY_DIR}/generated/<name>_stencils.h.
# <target> is an INTERFACE library: linking it adds the generated directory
# and cpjit's include/ to the include path and makes sure the header is
# generated first. The header defines `static const cpjit_stencil_set
# <name>_stencil_set`.
#
# The host's CMAKE_C_FLAGS are deliberately not used: a sanitizer or
# coverage build of the host must not instrument the stencils, whose code is
# copied byte for byte into traces. Header dependencies of the stencil
# sources are tracked with a depfile (-MD -MF), so editing an included
# header rebuilds the set.
#
# cpjit_add_stencils_rebuild_test(<target> <test name>) adds a ctest that
# builds the set again elsewhere and checks the header is byte-identical.
#
# Cache variables: CPJIT_STENCIL_CC (clang >= 19), CPJIT_OBJDUMP (optional,
# llvm-objdump for the disassembly comments; without it the header is
# identical minus those comments).

# Script mode (cmake -P this file), used by cpjit_add_stencils_rebuild_test().
if(CMAKE_SCRIPT_MODE_FILE AND CPJIT_REBUILD_CHECK)
  string(REPLACE "|" ";" FLAGS "${FLAGS}")
  string(REPLACE "|" ";" SOURCES "${SOURCES}")
  string(REPLACE "|" ";" DISASM "${DISASM}")
  file(REMOVE_RECURSE "${WORK}")
  file(MAKE_DIRECTORY "${WORK}/src" "${WORK}/obj")
  set(objects "")
  foreach(src IN LISTS SOURCES)
    get_filename_component(dir "${src}" DIRECTORY)
    get_filename_component(name "${src}" NAME)
    get_filename_component(stem "${src}" NAME_WE)
    file(COPY "${src}" DESTINATION "${WORK}/src")
    # -I the original directory so "..." includes next to the source resolve.
    execute_process(COMMAND "${CC}" ${FLAGS} "-I${dir}" -c "${WORK}/src/${name}"
                            -o "${WORK}/obj/${stem}.o"
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "rebuild of ${src} failed")
    endif()
    list(APPEND objects "${WORK}/obj/${stem}.o")
  endforeach()
  execute_process(COMMAND "${STENCILGEN}" --set "${SET}" --output
                          "${WORK}/again.h" ${DISASM} ${objects}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "stencilgen failed on the rebuilt objects")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${HEADER}"
                          "${WORK}/again.h" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "a second clean build of stencil set ${SET} gives a "
            "different header: diff -u ${HEADER} ${WORK}/again.h")
  endif()
  message(STATUS "stencil set ${SET}: rebuilt header is byte-identical")
  return()
endif()

function(cpjit_find_stencil_cc)
  get_property(checked GLOBAL PROPERTY CPJIT_STENCIL_CC_CHECKED)
  if(checked)
    return()
  endif()
  find_program(CPJIT_STENCIL_CC NAMES clang-19 clang
               DOC "clang >= 19, used to compile cpjit stencils")
  if(NOT CPJIT_STENCIL_CC)
    message(FATAL_ERROR
      "cpjit: clang-19 not found; install it (tools/install-deps.sh, or "
      "apt-get install -y clang-19) or set -DCPJIT_STENCIL_CC=/path/to/clang")
  endif()
  execute_process(COMMAND "${CPJIT_STENCIL_CC}" --version
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "clang version ([0-9]+)")
    message(FATAL_ERROR "cpjit: ${CPJIT_STENCIL_CC} is not a working clang")
  endif()
  if(CMAKE_MATCH_1 LESS 19)
    message(FATAL_ERROR
      "cpjit: ${CPJIT_STENCIL_CC} is clang ${CMAKE_MATCH_1}; stencils need "
      "clang >= 19 (preserve_none); set -DCPJIT_STENCIL_CC=clang-19")
  endif()
  find_program(CPJIT_OBJDUMP NAMES llvm-objdump-19 llvm-objdump
               DOC "llvm-objdump for disassembly comments in stencil headers")
  set_property(GLOBAL PROPERTY CPJIT_STENCIL_CC_CHECKED TRUE)
endfunction()

function(cpjit_add_stencils target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
                        "SET" "SOURCES;INCLUDE_DIRECTORIES;COMPILE_DEFINITIONS;COMPILE_OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "cpjit_add_stencils(${target}): unknown arguments: "
                        "${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SET OR NOT arg_SET MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "cpjit_add_stencils(${target}): SET must be a C identifier")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "cpjit_add_stencils(${target}): no SOURCES")
  endif()
  if(NOT TARGET stencilgen)
    message(FATAL_ERROR "cpjit_add_stencils(${target}): the stencilgen target "
                        "is missing; add_subdirectory(tools) first")
  endif()
  cpjit_find_stencil_cc()

  get_filename_component(repo "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/.." ABSOLUTE)
  set(stencil_flags
      -O2 -std=c11 -DCPJIT_STENCIL_BUILD -fno-pic -mcmodel=small -fno-builtin
      -fno-stack-protector -fasynchronous-unwind-tables
      -ffunction-sections -fdata-sections -fno-jump-tables -fomit-frame-pointer
      -fno-sanitize=all -Wall -Wextra -Werror)
  set(flags ${stencil_flags} "-I${repo}/include")
  foreach(dir IN LISTS arg_INCLUDE_DIRECTORIES)
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND flags "-I${dir}")
  endforeach()
  foreach(def IN LISTS arg_COMPILE_DEFINITIONS)
    list(APPEND flags "-D${def}")
  endforeach()
  list(APPEND flags ${arg_COMPILE_OPTIONS})

  set(objdir "${CMAKE_CURRENT_BINARY_DIR}/cpjit_stencils/${arg_SET}")
  file(MAKE_DIRECTORY "${objdir}")
  set(objects "")
  set(abs_sources "")
  foreach(src IN LISTS arg_SOURCES)
    get_filename_component(src "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND abs_sources "${src}")
    get_filename_component(stem "${src}" NAME_WE)
    set(obj "${objdir}/${stem}.o")
    if(obj IN_LIST objects)
      message(FATAL_ERROR "cpjit_add_stencils(${target}): two sources named ${stem}")
    endif()
    add_custom_command(
      OUTPUT "${obj}"
      COMMAND "${CPJIT_STENCIL_CC}" ${flags} -MD -MF "${obj}.d" -MT "${obj}"
              -c "${src}" -o "${obj}"
      DEPENDS "${src}"
      DEPFILE "${obj}.d"
      COMMENT "Compiling stencil ${stem}.c (set ${arg_SET})"
      VERBATIM)
    list(APPEND objects "${obj}")
  endforeach()

  set(gendir "${CMAKE_BINARY_DIR}/generated")
  set(header "${gendir}/${arg_SET}_stencils.h")
  if(CPJIT_OBJDUMP)
    set(disasm --objdump "${CPJIT_OBJDUMP}")
  else()
    set(disasm --no-disasm)
  endif()
  add_custom_command(
    OUTPUT "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${gendir}"
    COMMAND stencilgen --set "${arg_SET}" --output "${header}" ${disasm} ${objects}
    DEPENDS stencilgen ${objects}
    COMMENT "Generating stencil set ${arg_SET}"
    VERBATIM)
  add_custom_target(${target}_header DEPENDS "${header}")
  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE "${gendir}" "${repo}/include")
  add_dependencies(${target} ${target}_header)
  set_target_properties(${target} PROPERTIES
    CPJIT_STENCIL_SET "${arg_SET}"
    CPJIT_STENCIL_HEADER "${header}"
    CPJIT_STENCIL_SOURCES "${abs_sources}"
    CPJIT_STENCIL_COMPILE_FLAGS "${flags}"
    CPJIT_STENCIL_DISASM_ARGS "${disasm}")
endfunction()

# cpjit_add_stencils_rebuild_test(<target> <test name>)
#
# Adds a ctest that compiles the sources of stencil set <target> again from
# copies at another absolute path, runs stencilgen on the new objects and
# checks the result is byte-identical to the header the build generated:
# two clean builds must give the same header.
function(cpjit_add_stencils_rebuild_test target test)
  foreach(p SET HEADER SOURCES COMPILE_FLAGS DISASM_ARGS)
    get_target_property(${p} ${target} CPJIT_STENCIL_${p})
  endforeach()
  string(REPLACE ";" "|" sources "${SOURCES}")
  string(REPLACE ";" "|" flags "${COMPILE_FLAGS}")
  string(REPLACE ";" "|" disasm "${DISASM_ARGS}")
  add_test(NAME ${test}
    COMMAND "${CMAKE_COMMAND}"
      "-DCPJIT_REBUILD_CHECK=1" "-DCC=${CPJIT_STENCIL_CC}" "-DFLAGS=${flags}"
      "-DSOURCES=${sources}" "-DSTENCILGEN=$<TARGET_FILE:stencilgen>"
      "-DSET=${SET}" "-DDISASM=${disasm}" "-DHEADER=${HEADER}"
      "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/${test}-work"
      -P "${CMAKE_CURRENT_FUNCTION_LIST_FILE}")
endfunction()
