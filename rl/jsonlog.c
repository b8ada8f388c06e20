/* jsonlog.c: training-log repair (see jsonlog.h). */
#include "rl/jsonlog.h"
#include "core/tmpfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The value of the first "iteration" key on the line, or -1. */
static int64_t line_iteration(const char *line)
{
    const char *p = strstr(line, "\"iteration\"");
    if (!p) return -1;
    p += strlen("\"iteration\"");
    while (*p == ' ' || *p == ':') p++;
    char *end;
    long long v = strtoll(p, &end, 10);
    return end == p ? -1 : v;
}

pl_status pl_jsonlog_trim(const char *path, int64_t max_iteration)
{
    FILE *in = fopen(path, "rb");
    if (!in) return errno == ENOENT ? PL_OK : pl_err(PL_EIO, "train: cannot read log %s: %s", path, strerror(errno));
    char *tmp;
    int fd;
    pl_status ts = pl_tmpfile_create(path, &tmp, &fd);
    if (ts != PL_OK) return fclose(in), ts;
    FILE *out = fdopen(fd, "wb");
    if (!out) {
        if (fd >= 0) close(fd), unlink(tmp);
        free(tmp), fclose(in);
        return pl_err(PL_EIO, "train: cannot write beside log %s: %s", path, strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, in)) > 0)
        if (line_iteration(line) <= max_iteration) fwrite(line, 1, (size_t)len, out);
    free(line);
    fclose(in);
    int bad = ferror(out);
    bad |= fclose(out) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        free(tmp);
        return pl_err(PL_EIO, "train: cannot rewrite log %s", path);
    }
    free(tmp);
    return PL_OK;
}
