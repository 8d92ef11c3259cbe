/* repl.h -- cpjit-lua's interactive mode (read-eval-print loop), as lua5.4's
 * lua.c has it: entered with -i, or with no script when stdin is a terminal.
 */
#ifndef CPJIT_LUA_REPL_H
#define CPJIT_LUA_REPL_H

#include "luaapi.h"

/* Read lines from stdin until end of file and run each as a chunk named
 * "stdin":
 *   - the prompt is tostring(_PROMPT) when that global is not nil, else
 *     "> "; a chunk that ends too early ("... near <eof>") reads another
 *     line after the prompt tostring(_PROMPT2) or ">> ";
 *   - a line is first tried as "return <line>;", so an expression's values
 *     are printed with the global print (an error there is reported as
 *     "error calling 'print' (...)"); a first line "=expr" means
 *     "return expr" as in Lua 5.2;
 *   - an error prints its message and traceback on stderr (no program name
 *     in front, as in lua.c) and the loop goes on.
 * At end of file a newline is printed and the function returns; the stack
 * is left empty. Call it inside a protected call: errors of tostring on a
 * prompt propagate. */
void repl_run(lua_State *L);

/* Call the function below `narg` arguments on the stack, as lua.c's docall:
 * protected, with a message handler that adds a traceback. Returns the
 * status; the error message (or `nres` results) is left on the stack. */
int repl_docall(lua_State *L, int narg, int nres);

#endif /* CPJIT_LUA_REPL_H */
