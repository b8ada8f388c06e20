/* tmpfile.h: every atomic write: a temporary file beside the destination, then a rename.
 *
 * Writers open "<path>.tmp.XXXXXX" in the destination's folder (pl_tmpfile_open, or
 * pl_tmpfile_create for a raw descriptor), write it, and end with pl_tmpfile_finish, which renames
 * it over the destination or unlinks it on failure, so a reader never sees a partial file. The file gets
 * the permissions of a new ordinary file (0666 less the umask), not mkstemp's 0600. *tmp is a
 * malloc'd name that pl_tmpfile_finish frees; errors name the destination. Thread-safe except that the umask
 * is read by setting and restoring it.
 */
#ifndef PL_TMPFILE_H
#define PL_TMPFILE_H

#include <stdio.h>

#include "core/status.h"

/* Creates the temporary file; *fd is open for writing. */
pl_status pl_tmpfile_create(const char *path, char **tmp, int *fd);
/* The same as a stdio stream opened "wb". */
pl_status pl_tmpfile_open(const char *path, char **tmp, FILE **fp);
/* Ends the write begun by pl_tmpfile_open/create. When s is PL_OK: flushes and closes fp (when fp is
 * NULL the caller has closed the file already), renames tmp over path. Otherwise, or when one of those
 * steps fails: closes fp, unlinks tmp. Always frees tmp. Returns s, or the failing step's error naming
 * path. */
pl_status pl_tmpfile_finish(pl_status s, FILE *fp, char *tmp, const char *path);

#endif
