# CpjitInstall.cmake -- install rules and package files of the library.
#
# `cmake --install <build> [--prefix P]` installs:
#   include/cpjit.h, include/cpjit_stencil.h
#   lib/libcpjit.a (or libcpjit.so.* with BUILD_SHARED_LIBS=ON)
#   bin/stencilgen
#   lib/cmake/cpjit/{cpjitConfig,cpjitConfigVersion,cpjitTargets*,CpjitStencils}.cmake
#   lib/pkgconfig/cpjit.pc
#   share/doc/cpjit/{LICENSE,README.md}
# (lib is CMAKE_INSTALL_LIBDIR.) find_package(cpjit CONFIG REQUIRED) then
# gives the targets cpjit::cpjit and cpjit::stencilgen and the function
# cpjit_add_stencils().
include(CMakePackageConfigHelpers)

# A cross build runs a stencilgen for the build machine (tools/CMakeLists.txt),
# which is not part of the target's package: no install rules there.
get_target_property(cpjit_gen_imported stencilgen IMPORTED)
if(cpjit_gen_imported)
  message(STATUS "cpjit: no install rules in a cross build (stencilgen runs on the build machine)")
  return()
endif()

set(cpjit_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/cpjit)

install(TARGETS cpjit stencilgen EXPORT cpjitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/cpjit.h
              ${PROJECT_SOURCE_DIR}/include/cpjit_stencil.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT cpjitTargets NAMESPACE cpjit:: DESTINATION ${cpjit_cmake_dir})

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/tools/cpjitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cpjitConfig.cmake
  INSTALL_DESTINATION ${cpjit_cmake_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# Before 1.0 a minor release may break the API (include/cpjit.h).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(cpjit_compat SameMinorVersion)
else()
  set(cpjit_compat SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cpjitConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${cpjit_compat})
install(FILES ${PROJECT_BINARY_DIR}/cpjitConfig.cmake
              ${PROJECT_BINARY_DIR}/cpjitConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/tools/CpjitStencils.cmake
        DESTINATION ${cpjit_cmake_dir})

# pkg-config. Libs.private: nothing beyond libc. stencil_cflags: what
# cpjit_add_stencils() passes clang-19, for hosts that build without CMake:
#   clang-19 $(pkg-config --variable=stencil_cflags cpjit) -c uops.c
#   $(pkg-config --variable=stencilgen cpjit) --set my -o my_stencils.h uops.o
get_property(cpjit_pc_stencil_flags GLOBAL PROPERTY CPJIT_STENCIL_FLAGS)
list(JOIN cpjit_pc_stencil_flags " " cpjit_pc_stencil_flags)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(cpjit_pc_libdir "${CMAKE_INSTALL_LIBDIR}")
else()
  set(cpjit_pc_libdir "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(cpjit_pc_includedir "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(cpjit_pc_includedir "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_BINDIR}")
  set(cpjit_pc_bindir "${CMAKE_INSTALL_BINDIR}")
else()
  set(cpjit_pc_bindir "\${prefix}/${CMAKE_INSTALL_BINDIR}")
endif()
set(CPJIT_PC_PREFIX "@CPJIT_PC_PREFIX@") # filled in at install time
configure_file(${PROJECT_SOURCE_DIR}/tools/cpjit.pc.in
               ${PROJECT_BINARY_DIR}/cpjit.pc.in.configured @ONLY)
# The prefix is known at install time only (cmake --install --prefix).
install(CODE "
  file(READ \"${PROJECT_BINARY_DIR}/cpjit.pc.in.configured\" pc)
  string(REPLACE \"@CPJIT_PC_PREFIX@\" \"\${CMAKE_INSTALL_PREFIX}\" pc \"\${pc}\")
  file(WRITE \"${PROJECT_BINARY_DIR}/cpjit.pc\" \"\${pc}\")")
install(FILES ${PROJECT_BINARY_DIR}/cpjit.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
