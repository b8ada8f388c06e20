/* trainlog.c: JSON-lines training logs (see trainlog.h). Each line is read by core/json.h (json-c). */
#include "viz/trainlog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/textfile.h"
#include "core/json.h"

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

/* One line (len bytes, no newline) holding an object: appends a record. */
static pl_status record(pl_trainlog *log, const char *path, long line, const char *text, size_t len)
{
    json_object *o;
    PL_TRY(pl_json_parse_line(text, len, path, line, &o));
    pl_status s = PL_OK;
    if (!json_object_is_type(o, json_type_object))
        s = pl_err(PL_EPARSE, "%s:%ld: expected a JSON object on each line", path, line);
    if (s == PL_OK) s = grow_rows(log);
    if (s == PL_OK) {
        int64_t r = log->n;
        log->iter[r] = (double)r;
        for (int i = 0; i < log->ncols; i++) log->cols[i].v[r] = NAN;
        json_object_object_foreach(o, key, val) {
            json_type t = json_object_get_type(val); /* json_type_null for null */
            if (t != json_type_int && t != json_type_double && t != json_type_null) continue;
            double d = t == json_type_null ? NAN : json_object_get_double(val);
            if (!strcmp(key, "iteration")) {
                if (t != json_type_null) log->iter[r] = d;
                continue;
            }
            int c = -1;
            if ((s = column(log, key, &c)) != PL_OK) break;
            log->cols[c].v[r] = d;
        }
        if (s == PL_OK) log->n++;
    }
    json_object_put(o);
    return s;
}

pl_status pl_trainlog_parse(pl_trainlog *log, const char *path, const char *text)
{
    long line = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (strspn(p, " \t\r") < len) PL_TRY(record(log, path, line, p, len)); /* blank lines are skipped */
        if (!nl) break;
        p = nl + 1;
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
