/* jsonlog.c: training-log repair (see jsonlog.h). */
#include "rl/jsonlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "core/tmpfile.h"

/* 1: keep the line (len bytes, no newline) of a log whose records must not pass max_iteration. */
static int keep_line(const char *line, size_t len, const char *path, long lineno, int64_t max_iteration)
{
    if (strspn(line, " \t\r") >= len) return 0; /* blank */
    json_object *o;
    if (pl_json_parse_line(line, len, path, lineno, &o) != PL_OK) {
        pl_warn("train", "dropping a line that is not JSON: %s", pl_errmsg());
        return 0;
    }
    json_object *it = NULL;
    int keep = 1;
    if (json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "iteration", &it)) {
        if (json_object_is_type(it, json_type_int)) keep = json_object_get_int64(it) <= max_iteration;
        else if (json_object_is_type(it, json_type_double)) keep = json_object_get_double(it) <= (double)max_iteration;
    }
    json_object_put(o);
    return keep;
}

pl_status pl_jsonlog_trim(const char *path, int64_t max_iteration)
{
    FILE *in = fopen(path, "rb");
    if (!in) return errno == ENOENT ? PL_OK : pl_err(PL_EIO, "train: cannot read log %s: %s", path, strerror(errno));
    char *tmp;
    FILE *out;
    pl_status s = pl_tmpfile_open(path, &tmp, &out);
    if (s != PL_OK) return fclose(in), s;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        size_t n = (size_t)len - (line[len - 1] == '\n');
        if (keep_line(line, n, path, ++lineno, max_iteration)) fwrite(line, 1, n, out), fputc('\n', out);
    }
    if (ferror(in)) s = pl_err(PL_EIO, "train: cannot read log %s: %s", path, strerror(errno));
    free(line);
    fclose(in);
    return pl_tmpfile_finish(s, out, tmp, path);
}
