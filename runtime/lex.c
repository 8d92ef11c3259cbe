/* lex.c -- the lexer: characters from a ZIO stream to tokens.
 *
 * Token text is accumulated in ls->buff (strings keep their delimiters there
 * so error messages can quote them as lua5.4 does).  Names and string
 * literals become interned TStrings anchored in ls->h until the compiled
 * chunk references them.  Error messages: "chunk:line: msg near 'token'".
 */
#include <ctype.h>

#include "lex.h"

static const char *const token_names[] = {
#define TOKSTR(name, text) text,
    RESERVED_WORDS(TOKSTR) OTHER_TOKENS(TOKSTR)
#undef TOKSTR
};

/* -- ZIO -- */

int zio_fill(ZIO *z) {
  size_t size;
  const char *buff = z->reader(z->L, z->data, &size);
  if (buff == NULL || size == 0) {
    z->n = 0;
    return EOZ;
  }
  z->n = size - 1;
  z->p = buff;
  return (unsigned char)(*(z->p++));
}

void zio_init(lua_State *L, ZIO *z, lua_Reader reader, void *data) {
  z->L = L;
  z->reader = reader;
  z->data = data;
  z->n = 0;
  z->p = NULL;
}

/* -- Helpers -- */

#define next(ls) ((ls)->current = zgetc((ls)->z))
#define currIsNewline(ls) ((ls)->current == '\n' || (ls)->current == '\r')

static void save(LexState *ls, int c) {
  if (ls->bufflen + 1 > ls->buffsize) {
    size_t ns = ls->buffsize * 2 + 32;
    if (ns > ((size_t)1 << 40)) lex_syntaxerror(ls, "lexical element too long");
    ls->buff = mem_realloc(ls->L, ls->buff, ls->buffsize, ns);
    ls->buffsize = ns;
  }
  ls->buff[ls->bufflen++] = (char)c;
}

#define save_and_next(ls) (save(ls, (ls)->current), next(ls))

void lex_init(lua_State *L) {
  global_State *g = G(L);
  g->fixedstr[g->nfixed++] = str_newliteral(L, "_ENV");
  for (int i = 0; i < NUM_RESERVED; i++) {
    TString *ts = str_new(L, token_names[i]);
    ts->extra = (uint8_t)(i + 1); /* reserved word */
    g->fixedstr[g->nfixed++] = ts;
  }
}

const char *lex_token2str(LexState *ls, int token) {
  if (token < FIRST_RESERVED) {
    if (isprint(token)) return obj_pushfstring(ls->L, "'%c'", token);
    return obj_pushfstring(ls->L, "'<\\%d>'", token);
  }
  const char *s = token_names[token - FIRST_RESERVED];
  if (token < TK_EOS) return obj_pushfstring(ls->L, "'%s'", s);
  return s;
}

static const char *txttoken(LexState *ls, int token) {
  switch (token) {
    case TK_NAME: case TK_STRING: case TK_FLT: case TK_INT:
      save(ls, '\0');
      return obj_pushfstring(ls->L, "'%s'", ls->buff);
    default:
      return lex_token2str(ls, token);
  }
}

static _Noreturn void lexerror(LexState *ls, const char *msg, int token) {
  msg = dbg_addinfo(ls->L, msg, ls->source, ls->linenumber);
  if (token) obj_pushfstring(ls->L, "%s near %s", msg, txttoken(ls, token));
  do_throw(ls->L, LUA_ERRSYNTAX);
}

_Noreturn void lex_syntaxerror(LexState *ls, const char *msg) { lexerror(ls, msg, ls->t.token); }

TString *lex_newstring(LexState *ls, const char *str, size_t l) {
  lua_State *L = ls->L;
  TString *ts = str_newlstr(L, str, l);
  TValue key;
  setsvalue(&key, ts);
  const TValue *o = tab_get(ls->h, &key);
  if (!ttisnil(o)) {
    /* for long strings reuse the anchored copy */
    Node *n = (Node *)((char *)o - offsetof(Node, i_val));
    return (TString *)keyval(n).gc;
  }
  TValue v;
  setbtvalue(&v);
  tab_set(L, ls->h, &key, &v);
  return ts;
}

static void inclinenumber(LexState *ls) {
  int old = ls->current;
  next(ls);
  if (currIsNewline(ls) && ls->current != old) next(ls); /* \n\r or \r\n */
  if (++ls->linenumber >= INT32_MAX) lex_syntaxerror(ls, "chunk has too many lines");
}

void lex_setinput(lua_State *L, LexState *ls, ZIO *z, TString *source, int firstchar) {
  ls->t.token = 0;
  ls->L = L;
  ls->current = firstchar;
  ls->lookahead.token = TK_EOS;
  ls->z = z;
  ls->fs = NULL;
  ls->linenumber = 1;
  ls->lastline = 1;
  ls->source = source;
  ls->envn = str_newliteral(L, "_ENV");
  ls->bufflen = 0;
  ls->buff = NULL;
  ls->buffsize = 0;
}

/* -- Numbers -- */

static int check_next1(LexState *ls, int c) {
  if (ls->current == c) {
    next(ls);
    return 1;
  }
  return 0;
}

static int check_next2(LexState *ls, const char *set) {
  if (ls->current == set[0] || ls->current == set[1]) {
    save_and_next(ls);
    return 1;
  }
  return 0;
}

static int read_numeral(LexState *ls, SemInfo *seminfo) {
  TValue obj;
  const char *expo = "Ee";
  int first = ls->current;
  save_and_next(ls);
  if (first == '0' && check_next2(ls, "xX")) expo = "Pp";
  for (;;) {
    if (check_next2(ls, expo)) check_next2(ls, "-+");
    else if (isxdigit(ls->current) || ls->current == '.') save_and_next(ls);
    else break;
  }
  if (isalnum(ls->current) || ls->current == '_') save_and_next(ls); /* force an error */
  save(ls, '\0');
  if (obj_str2num(ls->buff, &obj) == 0) lexerror(ls, "malformed number", TK_FLT);
  if (ttisinteger(&obj)) {
    seminfo->i = ivalue(&obj);
    return TK_INT;
  }
  seminfo->r = fltvalue(&obj);
  return TK_FLT;
}

/* -- Long strings and comments -- */

/* Reads '[=*[' or ']=*]'; returns the count of '=' + 2 if well formed, 1 for
 * a lone bracket, 0 for '[=' without the second bracket. */
static size_t skip_sep(LexState *ls) {
  size_t count = 0;
  int s = ls->current;
  save_and_next(ls);
  while (ls->current == '=') {
    save_and_next(ls);
    count++;
  }
  return (ls->current == s) ? count + 2 : (count == 0) ? 1 : 0;
}

static void read_long_string(LexState *ls, SemInfo *seminfo, size_t sep) {
  int line = ls->linenumber;
  save_and_next(ls);
  if (currIsNewline(ls)) inclinenumber(ls);
  for (;;) {
    switch (ls->current) {
      case EOZ: {
        const char *what = seminfo ? "string" : "comment";
        const char *msg = obj_pushfstring(ls->L, "unfinished long %s (starting at line %d)", what, line);
        lexerror(ls, msg, TK_EOS);
      }
      case ']':
        if (skip_sep(ls) == sep) {
          save_and_next(ls);
          goto done;
        }
        break;
      case '\n':
      case '\r':
        save(ls, '\n');
        inclinenumber(ls);
        if (!seminfo) ls->bufflen = 0;
        break;
      default:
        if (seminfo) save_and_next(ls);
        else next(ls);
    }
  }
done:
  if (seminfo) seminfo->ts = lex_newstring(ls, ls->buff + sep, ls->bufflen - 2 * sep);
}

/* -- Short strings -- */

static void esccheck(LexState *ls, int c, const char *msg) {
  if (!c) {
    if (ls->current != EOZ) save_and_next(ls);
    lexerror(ls, msg, TK_STRING);
  }
}

static int gethexa(LexState *ls) {
  save_and_next(ls);
  esccheck(ls, isxdigit(ls->current), "hexadecimal digit expected");
  return obj_hexavalue(ls->current);
}

static int readhexaesc(LexState *ls) {
  int r = gethexa(ls);
  r = (r << 4) + gethexa(ls);
  ls->bufflen -= 2;
  return r;
}

static unsigned long readutf8esc(LexState *ls) {
  unsigned long r;
  int i = 4;
  save_and_next(ls);
  esccheck(ls, ls->current == '{', "missing '{'");
  r = (unsigned long)gethexa(ls);
  while (save_and_next(ls), isxdigit(ls->current)) {
    i++;
    esccheck(ls, r <= (0x7FFFFFFFu >> 4), "UTF-8 value too large");
    r = (r << 4) + (unsigned long)obj_hexavalue(ls->current);
  }
  esccheck(ls, ls->current == '}', "missing '}'");
  next(ls);
  ls->bufflen -= (size_t)i;
  return r;
}

static void utf8esc(LexState *ls) {
  char buff[8];
  int n = obj_utf8esc(buff, readutf8esc(ls));
  for (; n > 0; n--) save(ls, buff[8 - n]);
}

static int readdecesc(LexState *ls) {
  int i, r = 0;
  for (i = 0; i < 3 && isdigit(ls->current); i++) {
    r = 10 * r + ls->current - '0';
    save_and_next(ls);
  }
  esccheck(ls, r <= 255, "decimal escape too large");
  ls->bufflen -= (size_t)i;
  return r;
}

static void read_string(LexState *ls, int del, SemInfo *seminfo) {
  save_and_next(ls);
  while (ls->current != del) {
    switch (ls->current) {
      case EOZ:
        lexerror(ls, "unfinished string", TK_EOS);
      case '\n':
      case '\r':
        lexerror(ls, "unfinished string", TK_STRING);
      case '\\': {
        int c;
        save_and_next(ls); /* keep '\\' for error messages */
        switch (ls->current) {
          case 'a': c = '\a'; goto read_save;
          case 'b': c = '\b'; goto read_save;
          case 'f': c = '\f'; goto read_save;
          case 'n': c = '\n'; goto read_save;
          case 'r': c = '\r'; goto read_save;
          case 't': c = '\t'; goto read_save;
          case 'v': c = '\v'; goto read_save;
          case 'x': c = readhexaesc(ls); goto read_save;
          case 'u': utf8esc(ls); goto no_save;
          case '\n':
          case '\r':
            inclinenumber(ls);
            c = '\n';
            goto only_save;
          case '\\': case '\"': case '\'':
            c = ls->current;
            goto read_save;
          case EOZ:
            goto no_save; /* will raise an error next loop */
          case 'z': {
            ls->bufflen--;
            next(ls);
            while (isspace(ls->current)) {
              if (currIsNewline(ls)) inclinenumber(ls);
              else next(ls);
            }
            goto no_save;
          }
          default: {
            esccheck(ls, isdigit(ls->current), "invalid escape sequence");
            c = readdecesc(ls);
            goto only_save;
          }
        }
      read_save:
        next(ls);
      only_save:
        ls->bufflen--; /* remove '\\' */
        save(ls, c);
      no_save:
        break;
      }
      default:
        save_and_next(ls);
    }
  }
  save_and_next(ls);
  seminfo->ts = lex_newstring(ls, ls->buff + 1, ls->bufflen - 2);
}

/* -- Main scanner -- */

static int llex(LexState *ls, SemInfo *seminfo) {
  ls->bufflen = 0;
  for (;;) {
    switch (ls->current) {
      case '\n':
      case '\r':
        inclinenumber(ls);
        break;
      case ' ': case '\f': case '\t': case '\v':
        next(ls);
        break;
      case '-': {
        next(ls);
        if (ls->current != '-') return '-';
        next(ls);
        if (ls->current == '[') {
          size_t sep = skip_sep(ls);
          ls->bufflen = 0;
          if (sep >= 2) {
            read_long_string(ls, NULL, sep);
            ls->bufflen = 0;
            break;
          }
        }
        while (!currIsNewline(ls) && ls->current != EOZ) next(ls);
        break;
      }
      case '[': {
        size_t sep = skip_sep(ls);
        if (sep >= 2) {
          read_long_string(ls, seminfo, sep);
          return TK_STRING;
        }
        if (sep == 0) lexerror(ls, "invalid long string delimiter", TK_STRING);
        return '[';
      }
      case '=':
        next(ls);
        return check_next1(ls, '=') ? TK_EQ : '=';
      case '<':
        next(ls);
        if (check_next1(ls, '=')) return TK_LE;
        if (check_next1(ls, '<')) return TK_SHL;
        return '<';
      case '>':
        next(ls);
        if (check_next1(ls, '=')) return TK_GE;
        if (check_next1(ls, '>')) return TK_SHR;
        return '>';
      case '/':
        next(ls);
        return check_next1(ls, '/') ? TK_IDIV : '/';
      case '~':
        next(ls);
        return check_next1(ls, '=') ? TK_NE : '~';
      case ':':
        next(ls);
        return check_next1(ls, ':') ? TK_DBCOLON : ':';
      case '"':
      case '\'':
        read_string(ls, ls->current, seminfo);
        return TK_STRING;
      case '.':
        save_and_next(ls);
        if (check_next1(ls, '.')) {
          if (check_next1(ls, '.')) return TK_DOTS;
          return TK_CONCAT;
        }
        if (!isdigit(ls->current)) return '.';
        return read_numeral(ls, seminfo);
      case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9':
        return read_numeral(ls, seminfo);
      case EOZ:
        return TK_EOS;
      default: {
        if (isalpha(ls->current) || ls->current == '_') {
          do {
            save_and_next(ls);
          } while (isalnum(ls->current) || ls->current == '_');
          TString *ts = lex_newstring(ls, ls->buff, ls->bufflen);
          seminfo->ts = ts;
          if (ts->tt == TAG_SHRSTR && ts->extra > 0) return ts->extra - 1 + FIRST_RESERVED;
          return TK_NAME;
        }
        int c = ls->current;
        next(ls);
        return c;
      }
    }
  }
}

void lex_next(LexState *ls) {
  ls->lastline = ls->linenumber;
  if (ls->lookahead.token != TK_EOS) {
    ls->t = ls->lookahead;
    ls->lookahead.token = TK_EOS;
  } else {
    ls->t.token = llex(ls, &ls->t.seminfo);
  }
}

int lex_lookahead(LexState *ls) {
  ls->lookahead.token = llex(ls, &ls->lookahead.seminfo);
  return ls->lookahead.token;
}
