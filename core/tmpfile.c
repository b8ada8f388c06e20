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
