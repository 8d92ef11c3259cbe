/* dump.c -- binary chunks: writing a function's prototypes (string.dump).
 *
 * The format is cpjit-lua's own; undump.c reads it and is the reference for
 * what each field may hold.  Layout (all multi-byte numbers native-endian,
 * "varint" = unsigned, 7 bits per byte, most significant group first, the
 * last byte marked with 0x80):
 *
 *   header   "\x1bLua" 0x54 'C' DUMP_FORMAT_VERSION NUM_OPCODES
 *            "\x19\x93\r\n\x1a\n" (catches text-mode conversions)
 *            sizeof int, size_t, Instruction, lua_Integer, lua_Number
 *            lua_Integer 0x5678, lua_Number 370.5 (endianness, float format)
 *   byte     upvalues of the main closure
 *   function source (string, absent when stripped or equal to the parent's)
 *            varint linedefined, lastlinedefined
 *            byte numparams, is_vararg, maxstacksize
 *            varint n, n Instructions
 *            varint n, n constants: byte tag + payload
 *            varint n, n upvalue descriptors: instack, idx, kind
 *            varint n, n nested functions
 *            debug: varint n, n lines (varint); varint n, n locals (name,
 *            varint startpc, endpc); varint n, n upvalue names
 *            (all three empty when stripped)
 *   string   varint size+1 (0: absent), then the bytes
 *
 * The first bytes match lua5.4's signature, so load() tells binary chunks
 * from text by the ESC byte; the 'C' where lua5.4 writes its format 0 keeps
 * the two formats apart.  Change DUMP_FORMAT_VERSION with any change of the
 * layout or of the bytecode.
 */
#include "core.h"
#include "dump.h"

typedef struct DumpState {
  lua_State *L;
  lua_Writer writer;
  void *data;
  int strip;
  int status;
} DumpState;

static void dumpblock(DumpState *D, const void *b, size_t size) {
  if (D->status == 0 && size > 0) D->status = D->writer(D->L, b, size, D->data);
}

#define dumpvar(D, x) dumpblock(D, &(x), sizeof(x))

static void dumpbyte(DumpState *D, int y) {
  uint8_t x = (uint8_t)y;
  dumpvar(D, x);
}

static void dumpsize(DumpState *D, size_t x) {
  uint8_t buff[(sizeof(size_t) * 8 + 6) / 7];
  int n = 0;
  do {
    buff[sizeof(buff) - (++n)] = (uint8_t)(x & 0x7f);
    x >>= 7;
  } while (x != 0);
  buff[sizeof(buff) - 1] |= 0x80;
  dumpblock(D, buff + sizeof(buff) - n, (size_t)n);
}

static void dumpint(DumpState *D, int x) { dumpsize(D, (size_t)(unsigned)x); }

static void dumpstring(DumpState *D, const TString *s) {
  if (s == NULL) {
    dumpsize(D, 0);
    return;
  }
  dumpsize(D, s->len + 1);
  dumpblock(D, getstr(s), s->len);
}

static void dumpfunction(DumpState *D, const Proto *f, const TString *psource);

static void dumpconstants(DumpState *D, const Proto *f) {
  dumpint(D, f->sizek);
  for (int i = 0; i < f->sizek; i++) {
    const TValue *o = &f->k[i];
    dumpbyte(D, o->tt);
    switch (o->tt) {
      case TAG_INT: dumpvar(D, o->v.i); break;
      case TAG_FLT: dumpvar(D, o->v.n); break;
      case TAG_SHRSTR:
      case TAG_LNGSTR: dumpstring(D, tsvalue(o)); break;
      default: break; /* nil, false, true: the tag says it all */
    }
  }
}

/* The code with generic opcodes: the interpreter may have quickened some
 * instructions in place (vm.c), and a binary chunk holds only generic ones. */
static void dumpcode(DumpState *D, const Proto *f) {
  Instruction buf[256];
  int n = 0;
  for (int pc = 0; pc < f->sizecode; pc++) {
    buf[n++] = GENERIC_INSTR(f->code[pc]);
    if (n == (int)(sizeof(buf) / sizeof(buf[0]))) {
      dumpblock(D, buf, sizeof(buf));
      n = 0;
    }
  }
  dumpblock(D, buf, (size_t)n * sizeof(Instruction));
}

static void dumpfunction(DumpState *D, const Proto *f, const TString *psource) {
  dumpstring(D, (D->strip || f->source == psource) ? NULL : f->source);
  dumpint(D, f->linedefined);
  dumpint(D, f->lastlinedefined);
  dumpbyte(D, f->numparams);
  dumpbyte(D, f->is_vararg);
  dumpbyte(D, f->maxstacksize);
  dumpint(D, f->sizecode);
  dumpcode(D, f);
  dumpconstants(D, f);
  dumpint(D, f->sizeupvalues);
  for (int i = 0; i < f->sizeupvalues; i++) {
    dumpbyte(D, f->upvalues[i].instack);
    dumpbyte(D, f->upvalues[i].idx);
    dumpbyte(D, f->upvalues[i].kind);
  }
  dumpint(D, f->sizep);
  for (int i = 0; i < f->sizep; i++) dumpfunction(D, f->p[i], f->source);
  int nlines = D->strip ? 0 : f->sizelineinfo;
  dumpint(D, nlines);
  for (int i = 0; i < nlines; i++) dumpint(D, f->lineinfo[i]);
  int nloc = D->strip ? 0 : f->sizelocvars;
  dumpint(D, nloc);
  for (int i = 0; i < nloc; i++) {
    dumpstring(D, f->locvars[i].varname);
    dumpint(D, f->locvars[i].startpc);
    dumpint(D, f->locvars[i].endpc);
  }
  int nupn = D->strip ? 0 : f->sizeupvalues;
  dumpint(D, nupn);
  for (int i = 0; i < nupn; i++) dumpstring(D, f->upvalues[i].name);
}

static void dumpheader(DumpState *D) {
  dumpblock(D, DUMP_SIGNATURE, sizeof(DUMP_SIGNATURE) - 1);
  dumpbyte(D, DUMP_LUA_VERSION);
  dumpbyte(D, DUMP_FORMAT_ID);
  dumpbyte(D, DUMP_FORMAT_VERSION);
  dumpbyte(D, NUM_OPCODES);
  dumpblock(D, DUMP_DATA, sizeof(DUMP_DATA) - 1);
  dumpbyte(D, sizeof(int));
  dumpbyte(D, sizeof(size_t));
  dumpbyte(D, sizeof(Instruction));
  dumpbyte(D, sizeof(lua_Integer));
  dumpbyte(D, sizeof(lua_Number));
  lua_Integer ci = DUMP_CHECKINT;
  lua_Number cn = DUMP_CHECKNUM;
  dumpvar(D, ci);
  dumpvar(D, cn);
}

int dump_function(lua_State *L, const Proto *f, lua_Writer w, void *data, int strip) {
  DumpState D;
  D.L = L;
  D.writer = w;
  D.data = data;
  D.strip = strip;
  D.status = 0;
  dumpheader(&D);
  dumpbyte(&D, f->sizeupvalues);
  dumpfunction(&D, f, NULL);
  return D.status;
}

int lua_dump(lua_State *L, lua_Writer writer, void *data, int strip) {
  const TValue *o = L->top - 1;
  if (!ttisLclosure(o)) return 1;
  return dump_function(L, clLvalue(o)->p, writer, data, strip);
}
