/* dump.h -- binary chunks of cpjit-lua (dump.c writes, undump.c reads).
 * The layout is described at the top of dump.c. */
#ifndef CPJIT_LUA_DUMP_H
#define CPJIT_LUA_DUMP_H

#include "core.h"

#define DUMP_SIGNATURE "\x1bLua"
#define DUMP_LUA_VERSION 0x54
#define DUMP_FORMAT_ID 'C' /* lua5.4 writes 0 here (its official format) */
#define DUMP_FORMAT_VERSION 1
#define DUMP_DATA "\x19\x93\r\n\x1a\n"
#define DUMP_CHECKINT 0x5678
#define DUMP_CHECKNUM 370.5

struct ZIO;

/* Write prototype f (and its nested ones) through w; returns the first
 * non-zero status of w, or 0. */
int dump_function(lua_State *L, const Proto *f, lua_Writer w, void *data, int strip);

/* Read a binary chunk from z, whose first byte (ESC) was already read;
 * push the main closure (upvalues not yet initialised: the caller runs
 * func_initupvals).  Every malformed or truncated input raises a syntax
 * error "<chunk>: bad binary format (...)"; nothing is trusted. */
void undump_chunk(lua_State *L, struct ZIO *z, const char *name);

#endif
