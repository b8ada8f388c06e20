/* tmpfile.h: the first half of every atomic write: a temporary file beside the destination.
 *
 * Writers create "<path>.tmp.XXXXXX" in the destination's folder, write it, then rename() it over
 * the destination (or unlink it on failure), so a reader never sees a partial file. The file gets
 * the permissions of a new ordinary file (0666 less the umask), not mkstemp's 0600. *tmp is a
 * malloc'd name the caller frees; errors name the destination. Thread-safe except that the umask
 * is read by setting and restoring it.
 */
#ifndef PL_TMPFILE_H
#define PL_TMPFILE_H

#include "core/status.h"

pl_status pl_tmpfile_create(const char *path, char **tmp, int *fd);

#endif
