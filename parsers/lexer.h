/* lexer.h: the tokenizer shared by the LEF and DEF readers.
 *
 * Tokens are runs of non-space bytes; a ';' that ends a token is split off as its own token;
 * "quoted strings" are one token (tok points inside the quotes, quoted = 1); '#' at a token's
 * start comments out the rest of the line. Tokens point into the caller's NUL-terminated
 * buffer (no copies); `line` is the 1-based line of the current token. Errors are recorded with
 * pl_err() as "path:line: message" and returned as PL_EPARSE. Not thread-safe per object.
 */
#ifndef PL_LEXER_H
#define PL_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

typedef struct pl_lexer {
    const char *path;
    const char *base, *p, *end; /* buffer, cursor, end (*end == 0) */
    int line;                   /* line of the cursor */
    const char *tok;            /* current token (not NUL-terminated) */
    size_t len;
    int tok_line;
    int quoted;
    int eof;                    /* 1 once the cursor passed the last token */
} pl_lexer;

void pl_lex_init(pl_lexer *lx, const char *path, const char *data, size_t len);
/* Advances to the next token; returns 0 at end of input (tok = "", eof = 1). */
int pl_lex_next(pl_lexer *lx);
/* 1 if the current token equals the NUL-terminated word (case-sensitive). */
int pl_lex_is(const pl_lexer *lx, const char *word);
/* Records "path:line: <message>" and returns PL_EPARSE. */
pl_status pl_lex_error(const pl_lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads the next token and checks it is `word`. `what` names the construct for the message. */
pl_status pl_lex_expect(pl_lexer *lx, const char *word, const char *what);
/* Reads the next token as a number / integer. */
pl_status pl_lex_number(pl_lexer *lx, double *v, const char *what);
pl_status pl_lex_int(pl_lexer *lx, int64_t *v, const char *what);
/* Parses the current token as a number; 0 if it is not one. */
int pl_lex_tok_number(const pl_lexer *lx, double *v);
/* Skips to the ';' that ends the current statement (the current token may be it). */
pl_status pl_lex_skip_statement(pl_lexer *lx, const char *what);
/* Skips tokens until "END name" (name of `nlen` bytes), used for blocks we don't need. */
pl_status pl_lex_skip_block(pl_lexer *lx, const char *name, size_t nlen, const char *what,
                            int open_line);
/* The current token as a printable, shortened C string for messages (static buffer). */
const char *pl_lex_tokstr(const pl_lexer *lx);
/* Byte offset of the current token in the buffer. */
static inline int64_t pl_lex_offset(const pl_lexer *lx) { return (int64_t)(lx->tok - lx->base); }

#endif
