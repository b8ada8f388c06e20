/* tmpfile.h: every atomic write: a temporary file beside the destination, then a rename.
 *
 * Writers open "<path>.tmp.XXXXXX" in the destination's folder (pl_tmpfile_open, or
 * pl_tmpfile_create for a raw descriptor), write it, and end with pl_tmpfile_finish, which renames
 * it over the destination or unlinks it on failure, so a reader never sees a partial file. The file gets
 * the permissions of a new ordinary file (0666 less the umask), not mkstemp's 0600. *tmp is a
 * malloc'd name that pl_tmpfile_finish frees; errors name the destination. Thread-safe except that the umask
 * is read by setting and restoring it. A pl_outset (below) makes the several outputs of one command all or
 * nothing, and refuses an output that would replace one of its inputs.
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

/* An output set: every file one command writes, all of them or none. Before any work the command declares
 * its inputs (pl_outset_input) and outputs (pl_outset_output, in any order): an output that is the same
 * file as an input or another output (same device and inode, or the same resolved path), or that exists
 * and is not a regular file, is refused with PL_EINVAL; each output's folder is probed at once by creating
 * and removing its staging file, so an unwritable folder fails at once with PL_EIO. Writers write the
 * staging name *stage ("<path>.tmp.XXXXXX.<file name>": it ends like the destination, so formats chosen
 * by extension agree) by any means, pl_tmpfile_open included. pl_outset_commit renames every staged file
 * over its destination (one never written is an error); pl_outset_free removes the staged files not
 * committed (call it on every path). Messages start with the command's name and name the option:
 * "place: --report in.def is the same file as the design in.def: ...". The set owns copies of every path;
 * one set per thread. */
typedef struct pl_outset_file pl_outset_file;
typedef struct pl_outset {
    const char *cmd;   /* borrowed: "place" */
    pl_outset_file *f; /* (n) inputs and outputs as declared */
    int n, cap;
} pl_outset;

void pl_outset_init(pl_outset *o, const char *cmd);
/* An input file; what names it in messages ("the design", "--lef"). A missing file is compared by name. */
pl_status pl_outset_input(pl_outset *o, const char *path, const char *what);
/* An output file; what is its option ("-o", "--report"). *stage gets the staging name (owned by the set).
 * stage NULL: the checks only, the folder probed by creating and removing a file (outputs written
 * progressively, such as a training checkpoint, keep their own atomic writes). */
pl_status pl_outset_output(pl_outset *o, const char *path, const char *what, const char **stage);
/* Renames every staged output over its destination, in declaration order; the first failure stops
 * and is returned (the rest are removed by pl_outset_free). */
pl_status pl_outset_commit(pl_outset *o);
/* Removes the staged files not committed, and nothing else: no allocation, only unlink(2), so a
 * signal handler may call it before the process dies. */
void pl_outset_unlink_staged(const pl_outset *o);
/* Removes staged files not committed and frees the set; NULL-safe and idempotent. */
void pl_outset_free(pl_outset *o);

#endif
