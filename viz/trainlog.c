/* trainlog.c: JSON-lines training logs (see trainlog.h). A small recursive-descent reader per line. */
#include "viz/trainlog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/textfile.h"
#include "core/alloc.h"

void pl_trainlog_init(pl_trainlog *log)
{
    memset(log, 0, sizeof *log);
}

void pl_trainlog_free(pl_trainlog *log)
{
    if (!log) return;
    for (int i = 0; i < log->ncols; i++) {
        free(log->cols[i].name);
        free(log->cols[i].v);
    }
    free(log->cols);
    free(log->iter);
    memset(log, 0, sizeof *log);
}

int pl_trainlog_find(const pl_trainlog *log, const char *name)
{
    for (int i = 0; i < log->ncols; i++)
        if (!strcmp(log->cols[i].name, name)) return i;
    return -1;
}

typedef struct jp {
    const char *p;
    const char *path;
    int line;
} jp;

static pl_status jerr(const jp *j, const char *what)
{
    return pl_err(PL_EPARSE, "%s:%d: %s", j->path, j->line, what);
}

static void ws(jp *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\r') j->p++;
}

/* A string; the lexer is on '"'. Copies up to cap-1 bytes of it (escapes kept as written). */
static pl_status jstring(jp *j, char *out, size_t cap)
{
    size_t k = 0;
    j->p++;
    for (;;) {
        char c = *j->p;
        if (c == 0 || c == '\n') return jerr(j, "unterminated string");
        j->p++;
        if (c == '"') break;
        if (c == '\\') {
            if (*j->p == 0 || *j->p == '\n') return jerr(j, "unterminated string");
            if (out && k + 1 < cap) out[k++] = c;
            c = *j->p++;
        }
        if (out && k + 1 < cap) out[k++] = c;
    }
    if (out) out[k] = 0;
    return PL_OK;
}

static pl_status jvalue(jp *j, double *num, int *is_num, int depth);

/* Skips an object or array (the lexer is on its opening bracket). */
static pl_status jcompound(jp *j, int depth)
{
    if (depth > 64) return jerr(j, "nesting too deep");
    char close = *j->p == '{' ? '}' : ']';
    int obj = close == '}';
    j->p++;
    ws(j);
    if (*j->p == close) {
        j->p++;
        return PL_OK;
    }
    for (;;) {
        ws(j);
        if (obj) {
            if (*j->p != '"') return jerr(j, "expected a key string");
            PL_TRY(jstring(j, NULL, 0));
            ws(j);
            if (*j->p != ':') return jerr(j, "expected ':' after a key");
            j->p++;
        }
        double d;
        int isn;
        PL_TRY(jvalue(j, &d, &isn, depth + 1));
        ws(j);
        if (*j->p == ',') {
            j->p++;
            continue;
        }
        if (*j->p == close) {
            j->p++;
            return PL_OK;
        }
        return jerr(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

/* Any value; *is_num = 1 and *num set for numbers, *is_num = 2 (num NaN) for null. */
static pl_status jvalue(jp *j, double *num, int *is_num, int depth)
{
    ws(j);
    *is_num = 0;
    char c = *j->p;
    if (c == '"') return jstring(j, NULL, 0);
    if (c == '{' || c == '[') return jcompound(j, depth);
    if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "null", 4)) {
        if (c == 'n') *num = NAN, *is_num = 2;
        j->p += 4;
        return PL_OK;
    }
    if (!strncmp(j->p, "false", 5)) {
        j->p += 5;
        return PL_OK;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        char *e;
        *num = strtod(j->p, &e);
        if (e == j->p) return jerr(j, "bad number");
        j->p = e;
        *is_num = 1;
        return PL_OK;
    }
    return jerr(j, "expected a value");
}

static pl_status grow_rows(pl_trainlog *log)
{
    if (log->n < log->cap) return PL_OK;
    int64_t cap = log->cap ? 2 * log->cap : 64;
    double *it = realloc(log->iter, (size_t)cap * sizeof *it);
    if (!it) return pl_err(PL_ENOMEM, "trainlog: out of memory");
    log->iter = it;
    for (int i = 0; i < log->ncols; i++) {
        double *v = realloc(log->cols[i].v, (size_t)cap * sizeof *v);
        if (!v) return pl_err(PL_ENOMEM, "trainlog: out of memory");
        log->cols[i].v = v;
    }
    log->cap = cap;
    return PL_OK;
}

/* The column `name`, created (NaN for the earlier records) if new. */
static pl_status column(pl_trainlog *log, const char *name, int *idx)
{
    int i = pl_trainlog_find(log, name);
    if (i >= 0) {
        *idx = i;
        return PL_OK;
    }
    if (log->ncols == log->cols_cap) {
        int cap = log->cols_cap ? 2 * log->cols_cap : 8;
        pl_trainlog_col *c = realloc(log->cols, (size_t)cap * sizeof *c);
        if (!c) return pl_err(PL_ENOMEM, "trainlog: out of memory");
        log->cols = c;
        log->cols_cap = cap;
    }
    pl_trainlog_col *c = &log->cols[log->ncols];
    c->name = strdup(name);
    c->v = malloc((size_t)(log->cap ? log->cap : 1) * sizeof *c->v);
    if (!c->name || !c->v) {
        free(c->name);
        free(c->v);
        return pl_err(PL_ENOMEM, "trainlog: out of memory");
    }
    for (int64_t r = 0; r < log->n + 1 && r < log->cap; r++) c->v[r] = NAN;
    *idx = log->ncols++;
    return PL_OK;
}

/* One line holding an object: appends a record. */
static pl_status record(pl_trainlog *log, jp *j)
{
    PL_TRY(grow_rows(log));
    int64_t r = log->n;
    log->iter[r] = (double)r;
    for (int i = 0; i < log->ncols; i++) log->cols[i].v[r] = NAN;
    j->p++; /* '{' */
    ws(j);
    if (*j->p == '}') {
        j->p++;
    } else {
        for (;;) {
            ws(j);
            if (*j->p != '"') return jerr(j, "expected a key string");
            char key[256];
            PL_TRY(jstring(j, key, sizeof key));
            ws(j);
            if (*j->p != ':') return jerr(j, "expected ':' after a key");
            j->p++;
            double d;
            int isn;
            PL_TRY(jvalue(j, &d, &isn, 1));
            if (isn && !strcmp(key, "iteration")) {
                if (isn == 1) log->iter[r] = d;
            } else if (isn) {
                int c = -1;
                PL_TRY(column(log, key, &c));
                log->cols[c].v[r] = d;
            }
            ws(j);
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p == '}') {
                j->p++;
                break;
            }
            return jerr(j, "expected ',' or '}'");
        }
    }
    ws(j);
    if (*j->p != '\n' && *j->p != 0) return jerr(j, "text after the object (one object per line)");
    log->n++;
    return PL_OK;
}

pl_status pl_trainlog_parse(pl_trainlog *log, const char *path, const char *text)
{
    jp j = {text, path, 1};
    while (*j.p) {
        ws(&j);
        if (*j.p == '{') PL_TRY(record(log, &j));
        else if (*j.p != '\n' && *j.p != 0) return jerr(&j, "expected a JSON object on each line");
        if (*j.p == '\n') {
            j.p++;
            j.line++;
        }
    }
    return PL_OK;
}

pl_status pl_trainlog_read(pl_trainlog *log, const char *path)
{
    pl_textfile f;
    PL_TRY(pl_textfile_read_text(&f, path, "training log"));
    pl_status s = pl_trainlog_parse(log, path, f.data);
    pl_textfile_free(&f);
    return s;
}
