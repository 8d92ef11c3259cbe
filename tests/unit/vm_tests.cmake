# cmocka unit tests of the cpjit-lua VM core (runtime/), included by
# tests/CMakeLists.txt after runtime/ is added (target cpjit_lua_vm).
#
#   unit/vm_table    array/hash parts, resizing, key normalisation, '#', next
#   unit/vm_string   interning, long strings, collection of dead strings
#   unit/vm_number   number <-> string conversion and formatting, // and %
#   unit/vm_lex      lexer tokens and lexical error messages
#   unit/vm_coro     coroutine continuations through the C API (coro.c)
#   unit/vm_quicken  quickening: specialization, misses, de-specialization (vm.c)
foreach(name table string number lex coro quicken)
  set(src "${CMAKE_CURRENT_LIST_DIR}/vm_${name}.c")
  if(COMMAND cpjit_unit_test)
    cpjit_unit_test(vm_${name} ${src})
  else()
    find_library(VM_CMOCKA cmocka REQUIRED)
    add_executable(vm_${name} ${src})
    target_link_libraries(vm_${name} PRIVATE ${VM_CMOCKA})
    add_test(NAME unit/vm_${name} COMMAND vm_${name})
  endif()
  target_compile_options(vm_${name} PRIVATE -Wall -Wextra -Werror)
  target_link_libraries(vm_${name} PRIVATE cpjit_lua_vm)
endforeach()
