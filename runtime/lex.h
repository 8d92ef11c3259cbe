/* lex.h -- the lexer of cpjit-lua: tokens, input streams, lexer state.
 * Shared by lex.c and parse.c (and the lexer unit test). */
#ifndef CPJIT_LUA_LEX_H
#define CPJIT_LUA_LEX_H

#include "core.h"

/* -- Buffered input stream over a lua_Reader -- */
struct ZIO {
  size_t n;      /* bytes still unread in the current block */
  const char *p; /* current position */
  lua_Reader reader;
  void *data;
  lua_State *L;
};

#define EOZ (-1)
#define zgetc(z) (((z)->n--) > 0 ? (unsigned char)(*(z)->p++) : zio_fill(z))
int zio_fill(ZIO *z);
void zio_init(lua_State *L, ZIO *z, lua_Reader reader, void *data);

/* -- Tokens: single-byte tokens are their own character code -- */
#define FIRST_RESERVED 257

#define RESERVED_WORDS(X)                                                   \
  X(AND, "and") X(BREAK, "break") X(DO, "do") X(ELSE, "else")               \
  X(ELSEIF, "elseif") X(END, "end") X(FALSE, "false") X(FOR, "for")         \
  X(FUNCTION, "function") X(GOTO, "goto") X(IF, "if") X(IN, "in")           \
  X(LOCAL, "local") X(NIL, "nil") X(NOT, "not") X(OR, "or")                 \
  X(REPEAT, "repeat") X(RETURN, "return") X(THEN, "then") X(TRUE, "true")   \
  X(UNTIL, "until") X(WHILE, "while")

#define OTHER_TOKENS(X)                                                     \
  X(IDIV, "//") X(CONCAT, "..") X(DOTS, "...") X(EQ, "==") X(GE, ">=")      \
  X(LE, "<=") X(NE, "~=") X(SHL, "<<") X(SHR, ">>") X(DBCOLON, "::")        \
  X(EOS, "<eof>") X(FLT, "<number>") X(INT, "<integer>") X(NAME, "<name>")  \
  X(STRING, "<string>")

enum RESERVED {
  TK_FIRST_ = FIRST_RESERVED - 1,
#define TOKENUM(name, text) TK_##name,
  RESERVED_WORDS(TOKENUM) OTHER_TOKENS(TOKENUM)
#undef TOKENUM
  TK_LAST_
};

#define NUM_RESERVED ((int)(TK_WHILE - FIRST_RESERVED + 1))

typedef union {
  lua_Number r;
  lua_Integer i;
  TString *ts;
} SemInfo;

typedef struct Token {
  int token;
  SemInfo seminfo;
} Token;

struct FuncState;
struct Dyndata;

typedef struct LexState {
  int current;     /* current character */
  int linenumber;
  int lastline;    /* line of the last token consumed */
  Token t;         /* current token */
  Token lookahead;
  struct FuncState *fs;
  lua_State *L;
  ZIO *z;
  char *buff; /* token text */
  size_t bufflen, buffsize;
  Table *h; /* anchors constants and strings during compilation */
  struct Dyndata *dyd;
  TString *source;
  TString *envn; /* "_ENV" */
} LexState;

void lex_init(lua_State *L);
void lex_setinput(lua_State *L, LexState *ls, ZIO *z, TString *source, int firstchar);
TString *lex_newstring(LexState *ls, const char *str, size_t l);
void lex_next(LexState *ls);
int lex_lookahead(LexState *ls);
_Noreturn void lex_syntaxerror(LexState *ls, const char *s);
const char *lex_token2str(LexState *ls, int token);

#endif
