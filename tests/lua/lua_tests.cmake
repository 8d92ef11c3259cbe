# lua_tests.cmake: registers the Lua script suite (tests/lua/) with ctest.
#
# Include this file, then call
#     cpjit_add_lua_script_tests(<exe-target-or-path>)
# For every tests/lua/*.lua and tests/lua/regress/*.lua it adds the tests
#     lua/<name>/joff      <exe> -joff <script>
#     lua/<name>/default   <exe> <script>
#     lua/<name>/hotloop1  <exe> -Ohotloop=1 <script>
#     lua/<name>/hotcall1  <exe> -Ohotloop=1 -Ohotcall=1 <script>
#                          (jit_* and regress/* scripts: entry traces)
#     lua/<name>/lua5.4    lua5.4 <script>       (only when lua5.4 is found)
# where <name> is the script path relative to tests/lua/ without ".lua"
# (e.g. "basics_arith" or "regress/issue-12").  Each test runs run_one.sh,
# which compares stdout with <name>.out, the exit status, and the first stderr
# line with <name>.err when that file exists.  All tests carry the label "lua".
#
# Scripts in tests/lua/traceback/ end in an uncaught error; for them
#     lua/traceback/<name>/{joff,default,hotloop1,lua5.4}
# compare the whole stderr (the stack traceback, program name aside), stdout
# and the exit status with lua5.4's (traceback/check.sh).

set(CPJIT_LUA_TESTS_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(cpjit_add_lua_script_tests exe)
    if(TARGET "${exe}")
        set(interp "$<TARGET_FILE:${exe}>")
    else()
        set(interp "${exe}")
    endif()

    set(dir "${CPJIT_LUA_TESTS_DIR}")
    set(runner "${dir}/run_one.sh")
    file(GLOB scripts CONFIGURE_DEPENDS
        "${dir}/*.lua"
        "${dir}/regress/*.lua")
    list(SORT scripts)

    find_program(LUA54 lua5.4)

    foreach(script IN LISTS scripts)
        file(RELATIVE_PATH rel "${dir}" "${script}")
        string(REGEX REPLACE "\\.lua$" "" name "${rel}")
        set(variants
            "joff|-joff"
            "default|"
            "hotloop1|-Ohotloop=1")
        # JIT scripts and regressions also run with function-entry traces
        # recorded at the first call (-Ohotcall, off by default)
        if(name MATCHES "^(jit_|regress/)")
            list(APPEND variants "hotcall1|-Ohotloop=1|-Ohotcall=1")
        endif()
        foreach(variant IN LISTS variants)
            string(REPLACE "|" ";" parts "${variant}")
            list(GET parts 0 suffix)
            list(LENGTH parts nparts)
            set(opts "")
            if(nparts GREATER 1)
                list(SUBLIST parts 1 -1 opts)
            endif()
            add_test(NAME "lua/${name}/${suffix}"
                     COMMAND sh "${runner}" "${interp}" "${rel}" ${opts}
                     WORKING_DIRECTORY "${dir}")
            set_tests_properties("lua/${name}/${suffix}" PROPERTIES
                LABELS "lua" TIMEOUT 90)
        endforeach()
        if(LUA54)
            add_test(NAME "lua/${name}/lua5.4"
                     COMMAND sh "${runner}" "${LUA54}" "${rel}"
                     WORKING_DIRECTORY "${dir}")
            set_tests_properties("lua/${name}/lua5.4" PROPERTIES
                LABELS "lua" TIMEOUT 90)
        endif()
    endforeach()

    file(GLOB tbscripts CONFIGURE_DEPENDS "${dir}/traceback/*.lua")
    list(SORT tbscripts)
    set(tbcheck "${dir}/traceback/check.sh")
    foreach(script IN LISTS tbscripts)
        get_filename_component(name "${script}" NAME_WE)
        get_filename_component(file "${script}" NAME)
        foreach(variant IN ITEMS "joff|-joff" "default|" "hotloop1|-Ohotloop=1")
            string(REPLACE "|" ";" parts "${variant}")
            list(GET parts 0 suffix)
            list(GET parts 1 opts)
            add_test(NAME "lua/traceback/${name}/${suffix}"
                     COMMAND sh "${tbcheck}" "${interp}" "${file}" ${opts})
            set_tests_properties("lua/traceback/${name}/${suffix}" PROPERTIES
                LABELS "lua" TIMEOUT 90)
        endforeach()
        if(LUA54)
            add_test(NAME "lua/traceback/${name}/lua5.4"
                     COMMAND sh "${tbcheck}" "${LUA54}" "${file}")
            set_tests_properties("lua/traceback/${name}/lua5.4" PROPERTIES
                LABELS "lua" TIMEOUT 90)
        endif()
    endforeach()
endfunction()
