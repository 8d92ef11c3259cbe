# tests/cli/ -- the cpjit-lua command line as a Lua user meets it: -jdump's
# machine code, the interactive mode through a pseudo-terminal (pty_run.c
# and the .pty scripts), and lua.c's option conventions (options.sh).
if(TARGET cpjit-lua)
  set(cli_dir ${CMAKE_CURRENT_SOURCE_DIR}/cli)

  # -jdump: disassembly by the first tool that works, GNU objdump when asked,
  # hex when told to, when no tool is on PATH and when the tool fails.
  foreach(mode disasm gnu hex-none hex-path hex-fails)
    add_test(NAME cli/jdump_${mode}
             COMMAND sh ${cli_dir}/jdump.sh ${CPJIT_LUA_RUN} ${mode}
                     ${CMAKE_SYSTEM_PROCESSOR})
    set_tests_properties(cli/jdump_${mode} PROPERTIES SKIP_RETURN_CODE 77 LABELS unit)
  endforeach()

  # The interactive mode on a terminal, in three JIT modes; -i after a script.
  add_executable(pty_run ${cli_dir}/pty_run.c)
  target_compile_options(pty_run PRIVATE -Wall -Wextra -Werror)
  foreach(jit default joff hotloop)
    set(jit_args)
    if(jit STREQUAL "joff")
      set(jit_args -joff)
    elseif(jit STREQUAL "hotloop")
      set(jit_args -Ohotloop=1)
    endif()
    add_test(NAME cli/repl_session_${jit}
             COMMAND pty_run ${cli_dir}/repl_session.pty -- ${CPJIT_LUA_RUN} ${jit_args})
    set_tests_properties(cli/repl_session_${jit} PROPERTIES LABELS unit)
  endforeach()
  add_test(NAME cli/repl_after_script
           COMMAND pty_run ${cli_dir}/repl_after_script.pty --
                   ${CPJIT_LUA_RUN} -i ${cli_dir}/repl_after_script.lua one)
  set_tests_properties(cli/repl_after_script PROPERTIES LABELS unit)

  # pty_run itself fails on a missing text, a wrong status, a forbidden text.
  foreach(check expect exit absent)
    add_test(NAME cli/pty_run_detects_${check}
             COMMAND sh -c "$0 -t 1 $1 -- $2; echo status $?"
                     "${CPJIT_TARGET_RUN} $<TARGET_FILE:pty_run>"
                     ${cli_dir}/selfcheck_${check}.pty ${CPJIT_LUA_RUN})
  endforeach()
  set_tests_properties(cli/pty_run_detects_expect PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "timed out waiting for \"this text is never printed\".*status 1\n$")
  set_tests_properties(cli/pty_run_detects_exit PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "exit status 3, expected 0.*status 1\n$")
  set_tests_properties(cli/pty_run_detects_absent PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "found text that must be absent: \"copy-and-patch\".*status 1\n$")

  # Options, -h, -v, -i without a terminal, LUA_INIT/-E (compared with
  # lua5.4's own messages when it is installed).
  find_program(LUA54 lua5.4)
  set(lua54_arg)
  if(LUA54)
    set(lua54_arg ${LUA54})
  endif()
  add_test(NAME cli/options
           COMMAND sh ${cli_dir}/options.sh ${CPJIT_LUA_RUN} ${lua54_arg})
  set_tests_properties(cli/options PROPERTIES LABELS unit)

  # LUA_PATH / LUA_CPATH (and their _5_4 names, ";;", -E) as lua5.4 reads
  # them; the same checks run against lua5.4 when it is installed.
  add_test(NAME cli/env_path
           COMMAND sh ${cli_dir}/env_path.sh ${CPJIT_LUA_RUN} ${lua54_arg})
  set_tests_properties(cli/env_path PROPERTIES LABELS unit)

  # -jstats ends with what the JIT leaves visible (runtime/trace/jstats.c):
  # abort reasons ranked, digits normalized ("mostly slow paths (1 of 3
  # instructions)" -> N), and EXEC reasons with what the recorder saw (a
  # field read through __index: one site in the compiled trace, three in
  # the aborted recordings).
  add_test(NAME cli/jstats_reasons
           COMMAND sh -c "$0 -jstats $1/jstats_reasons.lua 2>&1; echo status $?"
                   ${CPJIT_LUA_RUN} ${cli_dir})
  set_tests_properties(cli/jstats_reasons PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "^2007000\t2000\t750\n.*\n  abort reasons [^\n]*\n +1  comparison of table with table +3\n +2  mostly slow paths \\(N of N instructions\\) +3\n  EXEC reasons [^\n]*\n +\\(runs: [^\n]*\n +1  GETFIELD \\(metatable\\) +1 +3 +[1-9][0-9]*\nstatus 0\n$")
  # The share of bytecodes run in traces: a percentage; nearly all of two
  # nested integer for loops, whose 160000 inner iterations of 4 bytecodes
  # run in a trace entered through a link each time (counting its runs
  # from the interpreter only would give some 19000); none of a loop too
  # short to get a trace.
  add_test(NAME cli/jstats_share
           COMMAND sh -c "$0 -jstats $1/jstats_share.lua 2>&1; $0 -jstats -e 'local s = 0 for i = 1, 10 do s = s + i end print(s)' 2>&1; echo status $?"
                   ${CPJIT_LUA_RUN} ${cli_dir})
  set_tests_properties(cli/jstats_share PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "^318814\n.*\n  bytecodes +[0-9]+ interpreted \\(counted\\), 6[0-9][0-9][0-9][0-9][0-9] in traces \\(estimated\\)\n.*\n  share of bytecodes in traces: (9[0-9]|100)%\n.*\n55\n.*\n  share of bytecodes in traces: 0%\n.*status 0\n$")
  # Calls the JIT compiles instead of leaving them to the interpreter:
  # all results passed on (f(g())), vararg callees with select, Lua
  # iterators, ipairs and pairs, and a snapshot naming a value DCE removed. No
  # abort, (nearly) every bytecode in traces.
  add_test(NAME cli/jit_coverage
           COMMAND sh -c "$0 -jstats $1/jit_coverage.lua 2>&1; echo status $?"
                   ${CPJIT_LUA_RUN} ${cli_dir})
  set_tests_properties(cli/jit_coverage PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "^1416414490\n.*\n  share of bytecodes in traces: (9[0-9]|100)%\n  abort reasons [^\n]*\n +\\(none\\)\n")
  # Recursion (fib, tak, ackermann, a tree walk): traces that make and drop
  # real frames carry (nearly) every bytecode.
  add_test(NAME cli/jit_recursion_cov
           COMMAND sh -c "$0 -jstats $1/jit_recursion_cov.lua 2>&1; echo status $?"
                   ${CPJIT_LUA_RUN} ${cli_dir})
  set_tests_properties(cli/jit_recursion_cov PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "^75025\t7\t803\t509\t12274\t12274\n.*\n  share of bytecodes in traces: (9[0-9]|100)%\n.*status 0\n$")
  # bench/run_exec.py --jstats reads that report: the share and the top
  # reasons, as results.md lists them.
  find_program(PYTHON3 python3)
  if(PYTHON3)
    add_test(NAME cli/jstats_bench_parse
             COMMAND sh -c "$0 -jstats $1/jstats_reasons.lua 2>&1 >/dev/null | $2 -c 'import sys; sys.path.insert(0, sys.argv[1]); import run_exec; print(run_exec.parse_jstats(sys.stdin.buffer.read()))' $3"
                     ${CPJIT_LUA_RUN} ${cli_dir} ${PYTHON3} ${PROJECT_SOURCE_DIR}/bench)
    set_tests_properties(cli/jstats_bench_parse PROPERTIES LABELS unit
      PASS_REGULAR_EXPRESSION "^\\{'share': [0-9]+, 'aborts': \\[\\('comparison of table with table', 3\\), \\('mostly slow paths \\(N of N instructions\\)', 3\\)\\], 'execs': \\[\\('GETFIELD \\(metatable\\)', 4\\)\\]\\}\n$")
  endif()
endif()
