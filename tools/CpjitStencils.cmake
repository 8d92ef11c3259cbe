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
# generated first. The header <name>_stencils.h defines
#   static const cpjit_stencil_set <name>_stencil_set;  the set for cpjit_config
#   #define <name>_NUOPS, <name>_NHELPERS               counts
#   enum <name>_op { <name>_OP_<UOP> = i, ... };         cpjit_uop.op values
#   enum <name>_helper { <name>_HELPER_<helper> = i };   helper table indexes
#   #define <name>_NGPR, _NFPR, _NRUOPS, _NOPS           register file, register
#   <name>_ruops[], <name>_ruop_decode()                 uops and their variants
# all derived from the CPJIT_DECLARE_UOPS / CPJIT_DECLARE_RUOPS /
# CPJIT_DECLARE_HELPERS lists (cpjit_stencil.h).
#
# This module comes with cpjit: find_package(cpjit CONFIG REQUIRED) or
# add_subdirectory(<cpjit source>) includes it; it needs the stencilgen
# target (cpjit::stencilgen) either provides.
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

# The stencil compile flags (without include paths), also written into
# cpjit.pc as the variable stencil_cflags for hosts that build without CMake.
# Warnings are on but never errors here (ordinary template code -- an exit
# stub that ignores its parameters -- must build); cpjit's own build adds
# -Werror when CPJIT_WERROR is on.
#
# The code model depends on the target machine (CMAKE_SYSTEM_PROCESSOR):
#   x86-64   -mcmodel=small: operands fold into 32-bit immediates and
#            displacements (R_X86_64_32/32S), calls and jumps are rel32.
#   AArch64  -mcmodel=large: every operand and data address is a movz/movk
#            group (R_AARCH64_MOVW_UABS_G0_NC..G3) that takes any 64-bit
#            value. The small and tiny models address a symbol relative to
#            the instruction (adrp+add, adr), which cannot carry an operand
#            such as 8 once the code sits at 0x7f.... Calls stay bl/b
#            (CALL26/JUMP26) in every model; the JIT adds veneers.
# A cross build (CMAKE_C_COMPILER_TARGET set, e.g. by
# tools/aarch64-linux-gnu.cmake) compiles the stencils for that target.
# Unwind tables: the stencils keep their .eh_frame, from which stencilgen
# takes each stencil's call-frame information for the GDB JIT interface
# (CPJIT_FLAG_GDB, jit/gdbjit.c). It is not copied into the JIT's code.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(cpjit_stencil_machine_flags -mcmodel=large)
else()
  set(cpjit_stencil_machine_flags -mcmodel=small)
endif()
set(cpjit_stencil_unwind_flags -fasynchronous-unwind-tables)
# A hardened build (CPJIT_HARDEN, top-level CMakeLists.txt) compiles the
# stencils with the same control-flow protection as the host: the
# trampoline (the trace entry) and address-taken labels get landing pads;
# uops, reached by direct jumps only, do not (cpjit_stencil.h).
if(CPJIT_HARDEN_FLAGS)
  list(APPEND cpjit_stencil_machine_flags ${CPJIT_HARDEN_FLAGS})
endif()
if(CMAKE_CROSSCOMPILING AND CMAKE_C_COMPILER_TARGET)
  list(PREPEND cpjit_stencil_machine_flags "--target=${CMAKE_C_COMPILER_TARGET}")
endif()
set(CPJIT_STENCIL_FLAGS
    -O2 -std=c11 -DCPJIT_STENCIL_BUILD -fno-pic ${cpjit_stencil_machine_flags}
    -fno-builtin
    -fno-stack-protector ${cpjit_stencil_unwind_flags}
    -ffunction-sections -fdata-sections -fno-jump-tables -fomit-frame-pointer
    -fno-sanitize=all -Wall -Wextra -Wno-unused-parameter)

# Where cpjit_stencil.h is: the source tree's include/ next to this file, or
# what an installed package config set before including it.
if(NOT DEFINED CPJIT_STENCIL_INCLUDE_DIR)
  get_filename_component(CPJIT_STENCIL_INCLUDE_DIR
                         "${CMAKE_CURRENT_LIST_DIR}/../include" ABSOLUTE)
endif()
set_property(GLOBAL PROPERTY CPJIT_STENCIL_INCLUDE_DIR "${CPJIT_STENCIL_INCLUDE_DIR}")
set_property(GLOBAL PROPERTY CPJIT_STENCIL_FLAGS "${CPJIT_STENCIL_FLAGS}")

# clang >= 19 for the stencils: CPJIT_STENCIL_CC when given, else the first
# of clang-19, clang-20, ... , clang on PATH that is recent enough (an old
# unversioned clang earlier on PATH is skipped, not cached).
function(cpjit_stencil_cc_version cc out)
  execute_process(COMMAND "${cc}" --version
                  OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND text MATCHES "clang version ([0-9]+)")
    set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
  else()
    set(${out} 0 PARENT_SCOPE)
  endif()
endfunction()

function(cpjit_find_stencil_cc)
  get_property(checked GLOBAL PROPERTY CPJIT_STENCIL_CC_CHECKED)
  if(checked)
    return()
  endif()
  if(CPJIT_STENCIL_CC)
    cpjit_stencil_cc_version("${CPJIT_STENCIL_CC}" major)
    if(major EQUAL 0)
      message(FATAL_ERROR "cpjit: CPJIT_STENCIL_CC=${CPJIT_STENCIL_CC} is not a working clang")
    elseif(major LESS 19)
      message(FATAL_ERROR
        "cpjit: CPJIT_STENCIL_CC=${CPJIT_STENCIL_CC} is clang ${major}; stencils "
        "need clang >= 19 (preserve_none); set -DCPJIT_STENCIL_CC=clang-19")
    endif()
  else()
    set(found "")
    foreach(name clang-19 clang-20 clang-21 clang-22 clang)
      find_program(cpjit_cc_${name} NAMES ${name} NO_CACHE)
      if(cpjit_cc_${name})
        cpjit_stencil_cc_version("${cpjit_cc_${name}}" major)
        if(major GREATER_EQUAL 19)
          set(found "${cpjit_cc_${name}}")
          break()
        endif()
      endif()
    endforeach()
    if(NOT found)
      message(FATAL_ERROR
        "cpjit: no clang >= 19 found (stencils need preserve_none); install "
        "it (apt-get install -y clang-19) or set -DCPJIT_STENCIL_CC=/path/to/clang")
    endif()
    set(CPJIT_STENCIL_CC "${found}" CACHE FILEPATH
        "clang >= 19, used to compile cpjit stencils" FORCE)
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
  if(NOT TARGET cpjit::stencilgen)
    message(FATAL_ERROR "cpjit_add_stencils(${target}): no stencilgen: use "
      "cpjit through find_package(cpjit CONFIG REQUIRED) or "
      "add_subdirectory(<cpjit source tree>)")
  endif()
  cpjit_find_stencil_cc()

  get_property(incdir GLOBAL PROPERTY CPJIT_STENCIL_INCLUDE_DIR)
  get_property(flags GLOBAL PROPERTY CPJIT_STENCIL_FLAGS)
  if(CPJIT_WERROR)
    list(APPEND flags -Werror)
  endif()
  list(APPEND flags "-I${incdir}")
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

  # A stencilgen built in this tree is a target-level dependency; an
  # installed one is a file.
  get_target_property(gen_imported cpjit::stencilgen IMPORTED)
  if(gen_imported)
    set(gen_dep "$<TARGET_FILE:cpjit::stencilgen>")
  else()
    get_target_property(gen_dep cpjit::stencilgen ALIASED_TARGET)
  endif()

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
    COMMAND "$<TARGET_FILE:cpjit::stencilgen>" --set "${arg_SET}" --output "${header}"
            ${disasm} ${objects}
    DEPENDS ${gen_dep} ${objects}
    COMMENT "Generating stencil set ${arg_SET}"
    VERBATIM)
  add_custom_target(${target}_header DEPENDS "${header}")
  # A cross build's stencilgen for the build machine is brought up to date
  # first (tools/CMakeLists.txt).
  get_property(gen_target GLOBAL PROPERTY CPJIT_STENCILGEN_DEPENDS)
  if(gen_target)
    add_dependencies(${target}_header ${gen_target})
  endif()
  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE "${gendir}" "${incdir}")
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
      "-DSOURCES=${sources}" "-DSTENCILGEN=$<TARGET_FILE:cpjit::stencilgen>"
      "-DSET=${SET}" "-DDISASM=${disasm}" "-DHEADER=${HEADER}"
      "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/${test}-work"
      -P "${CMAKE_CURRENT_FUNCTION_LIST_FILE}")
endfunction()
