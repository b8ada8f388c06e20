/* lexer.c: see lexer.h. The hot loop is pl_lex_next(); numbers have a fast path for plain
 * decimals (exact for up to 15 significant digits), strtod for the rest. */
#include "parsers/lexer.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static inline int is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

void pl_lex_init(pl_lexer *lx, const char *path, const char *data, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->path = path;
    lx->base = lx->p = data;
    lx->end = data + len;
    lx->line = 1;
    lx->tok = "";
}

int pl_lex_next(pl_lexer *lx)
{
    const char *p = lx->p;
    for (;;) {
        while (p < lx->end && is_space(*p)) {
            if (*p == '\n') lx->line++;
            p++;
        }
        if (p < lx->end && *p == '#') {
            while (p < lx->end && *p != '\n') p++;
            continue;
        }
        break;
    }
    lx->quoted = 0;
    lx->tok_line = lx->line;
    if (p >= lx->end) {
        lx->p = p;
        lx->tok = "";
        lx->len = 0;
        lx->eof = 1;
        return 0;
    }
    if (*p == '"') {
        const char *s = ++p;
        while (p < lx->end && *p != '"') {
            if (*p == '\n') lx->line++;
            if (*p == '\\' && p + 1 < lx->end) p++;
            p++;
        }
        lx->tok = s;
        lx->len = (size_t)(p - s);
        lx->quoted = 1;
        if (p < lx->end) p++; /* closing quote; an unterminated string runs to EOF */
        lx->p = p;
        return 1;
    }
    const char *s = p;
    while (p < lx->end && !is_space(*p)) p++;
    if (p - s > 1 && p[-1] == ';' && p[-2] != '\\') p--; /* split "N;" into "N" ";" */
    lx->tok = s;
    lx->len = (size_t)(p - s);
    lx->p = p;
    return 1;
}

int pl_lex_is(const pl_lexer *lx, const char *word)
{
    size_t n = strlen(word);
    return !lx->quoted && lx->len == n && memcmp(lx->tok, word, n) == 0;
}

const char *pl_lex_tokstr(const pl_lexer *lx)
{
    static _Thread_local char buf[80];
    if (lx->eof) return "end of file";
    buf[0] = '\'';
    pl_err_printable(buf + 1, 77, lx->tok, lx->len); /* 73 bytes, then "..." when some were left out */
    size_t n = strlen(buf);
    buf[n++] = '\'';
    buf[n] = '\0';
    return buf;
}

pl_status pl_lex_error(const pl_lexer *lx, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pl_err(PL_EPARSE, "%s:%d: %s", lx->path, lx->eof ? lx->line : lx->tok_line, msg);
}

pl_status pl_lex_expect(pl_lexer *lx, const char *word, const char *what)
{
    pl_lex_next(lx);
    if (!pl_lex_is(lx, word))
        return pl_lex_error(lx, "expected '%s' in %s, found %s", word, what, pl_lex_tokstr(lx));
    return PL_OK;
}

/* Fast decimal: [+-]digits[.digits] with at most 15 significant digits; else strtod. */
static int parse_number(const char *s, size_t len, double *v)
{
    if (len == 0 || len > 64) return 0;
    size_t i = 0;
    int neg = 0;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    uint64_t mant = 0;
    int digits = 0, frac = 0, seen_dot = 0, simple = 1;
    size_t start = i;
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (digits < 18) mant = mant * 10 + (uint64_t)(c - '0');
            if (mant) digits++;
            if (seen_dot) frac++;
        } else if (c == '.' && !seen_dot) {
            seen_dot = 1;
        } else {
            simple = 0;
            break;
        }
    }
    if (i == start || (seen_dot && i == start + 1 && simple)) {
        if (simple) return 0; /* "" or "." */
    }
    if (simple && digits <= 15 && frac <= 22) {
        static const double P10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        double d = (double)mant / P10[frac];
        *v = neg ? -d : d;
        return 1;
    }
    char buf[72];
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *endp;
    double d = strtod(buf, &endp);
    if (endp != buf + len || !isfinite(d)) return 0;
    *v = d;
    return 1;
}

int pl_lex_tok_number(const pl_lexer *lx, double *v)
{
    return !lx->quoted && parse_number(lx->tok, lx->len, v);
}

pl_status pl_lex_number(pl_lexer *lx, double *v, const char *what)
{
    pl_lex_next(lx);
    if (!pl_lex_tok_number(lx, v))
        return pl_lex_error(lx, "expected a number for %s, found %s", what, pl_lex_tokstr(lx));
    return PL_OK;
}

pl_status pl_lex_int(pl_lexer *lx, int64_t *v, const char *what)
{
    double d;
    PL_TRY(pl_lex_number(lx, &d, what));
    if (d != floor(d) || fabs(d) > 9e15)
        return pl_lex_error(lx, "expected an integer for %s, found %s", what, pl_lex_tokstr(lx));
    *v = (int64_t)d;
    return PL_OK;
}

pl_status pl_lex_skip_statement(pl_lexer *lx, const char *what)
{
    int start = lx->tok_line;
    while (!(lx->len == 1 && lx->tok[0] == ';' && !lx->quoted)) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in %s (statement started at line %d; missing ';'?)",
                                what, start);
    }
    return PL_OK;
}

pl_status pl_lex_skip_block(pl_lexer *lx, const char *name, size_t nlen, const char *what,
                            int open_line)
{
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in %s opened at line %d (missing 'END %.*s')",
                                what, open_line, (int)nlen, name);
        if (pl_lex_is(lx, "END")) {
            pl_lex_next(lx);
            if (lx->len == nlen && memcmp(lx->tok, name, nlen) == 0) return PL_OK;
        }
    }
}
