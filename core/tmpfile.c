/* tmpfile.c: see tmpfile.h. */
#include "core/tmpfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

pl_status pl_tmpfile_create(const char *path, char **tmp, int *fd)
{
    size_t n = strlen(path) + 16;
    char *name = malloc(n);
    if (!name) return pl_err(PL_ENOMEM, "%s: out of memory", path);
    snprintf(name, n, "%s.tmp.XXXXXX", path);
    int f = mkstemp(name);
    if (f < 0) {
        pl_status s = pl_err(PL_EIO, "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
        free(name);
        return s;
    }
    mode_t um = umask(022);
    umask(um);
    if (fchmod(f, 0666 & ~um) != 0) { /* keeps mkstemp's 0600: still a valid output */
    }
    *tmp = name;
    *fd = f;
    return PL_OK;
}

pl_status pl_tmpfile_open(const char *path, char **tmp, FILE **fp)
{
    int fd;
    PL_TRY(pl_tmpfile_create(path, tmp, &fd));
    *fp = fdopen(fd, "wb");
    if (*fp) return PL_OK;
    pl_status s = pl_err(PL_EIO, "%s: cannot open a temporary file for writing: %s", path, strerror(errno));
    close(fd);
    unlink(*tmp);
    free(*tmp);
    *tmp = NULL;
    return s;
}

pl_status pl_tmpfile_finish(pl_status s, FILE *fp, char *tmp, const char *path)
{
    if (fp) {
        if (s == PL_OK && (fflush(fp) != 0 || ferror(fp)))
            s = pl_err(PL_EIO, "%s: write error: %s", path, strerror(errno));
        if (fclose(fp) != 0 && s == PL_OK) s = pl_err(PL_EIO, "%s: write error: %s", path, strerror(errno));
    }
    if (s == PL_OK && rename(tmp, path) != 0)
        s = pl_err(PL_EIO, "%s: cannot rename the temporary file into place: %s", path, strerror(errno));
    if (s != PL_OK) unlink(tmp);
    free(tmp);
    return s;
}
