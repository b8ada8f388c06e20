/* json.c: see json.h. */
#include "core/json.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/tmpfile.h"

/* Nesting allowed when reading (json-c's default is 32). */
#define PL_JSON_DEPTH 64

json_object *pl_json_num(double v)
{
    if (!isfinite(v)) return NULL;
    char buf[32];
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        /* the shortest of 15..17 significant digits that reads back to the same double */
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, v);
            if (strtod(buf, NULL) == v) break;
        }
    }
    return json_object_new_double_s(v, buf);
}

json_object *pl_json_fixed(double v, const char *fmt)
{
    if (!isfinite(v)) return NULL;
    char buf[64], *text = buf;
    int n = snprintf(buf, sizeof buf, fmt, v);
    if (n < 0) return NULL;
    if ((size_t)n >= sizeof buf) { /* "%f" of a huge value: up to ~320 characters */
        text = malloc((size_t)n + 1);
        if (!text) return NULL;
        snprintf(text, (size_t)n + 1, fmt, v);
    }
    json_object *o = json_object_new_double_s(v, text);
    if (text != buf) free(text);
    return o;
}

json_object *pl_json_str(const char *s)
{
    return json_object_new_string(s ? s : "");
}

/* Writes o and a newline; messages name `where`. */
static pl_status emit(FILE *fp, json_object *o, int flags, const char *where)
{
    int f = JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE;
    if (flags & PL_JSON_PRETTY) f |= JSON_C_TO_STRING_PRETTY;
    size_t n;
    const char *text = json_object_to_json_string_length(o, f, &n);
    if (!text) return pl_err(PL_ENOMEM, "%s: out of memory", where);
    if (fwrite(text, 1, n, fp) != n || putc('\n', fp) == EOF)
        return pl_err(PL_EIO, "%s: write error: %s", where, strerror(errno));
    return PL_OK;
}

pl_status pl_json_write(FILE *fp, json_object *o, int flags)
{
    return emit(fp, o, flags, "json");
}

pl_status pl_json_write_file(const char *path, json_object *o, int flags)
{
    char *tmp;
    FILE *fp;
    PL_TRY(pl_tmpfile_open(path, &tmp, &fp));
    return pl_tmpfile_finish(emit(fp, o, flags, path), fp, tmp, path);
}

pl_status pl_json_parse_line(const char *text, size_t len, const char *path, long line, json_object **out)
{
    *out = NULL;
    if (len > INT_MAX - 1) return pl_err(PL_EPARSE, "%s:%ld: line too long (%zu bytes)", path, line, len);
    json_tokener *tok = json_tokener_new_ex(PL_JSON_DEPTH);
    if (!tok) return pl_err(PL_ENOMEM, "%s: out of memory", path);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT); /* also refuses text after the value */
    json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t at = json_tokener_get_parse_end(tok);
    if (e == json_tokener_continue) { /* the line ended: a NUL ends a trailing number, or fails */
        o = json_tokener_parse_ex(tok, "", 1);
        e = json_tokener_get_error(tok);
        at = len;
    }
    pl_status s = PL_OK;
    if (e != json_tokener_success)
        s = pl_err(PL_EPARSE, "%s:%ld:%zu: %s", path, line, at + 1,
                   at >= len ? "unexpected end of line" : json_tokener_error_desc(e));
    json_tokener_free(tok);
    if (s == PL_OK) *out = o;
    else json_object_put(o);
    return s;
}
