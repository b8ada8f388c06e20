/* trainlog.h: reads a training log in JSON lines (one JSON object per line) into numeric columns.
 *
 * Every key whose value is a number becomes a column (first-seen order); null and missing keys read
 * as NaN, other values (strings, booleans, nested objects and arrays) are skipped. "iteration" gives
 * the x of each record (its 0-based record index when absent). Blank lines are ignored. Plain or gzip.
 * Each line is read by core/json.h (json-c, strict). Owns its arrays: pl_trainlog_free() is NULL-safe
 * and idempotent; a failed read leaves it freeable.
 * Errors: PL_EPARSE "file:line[:column]: ...", PL_EIO, PL_ENOMEM. Deterministic; one thread per log.
 */
#ifndef PL_VIZ_TRAINLOG_H
#define PL_VIZ_TRAINLOG_H

#include <stdint.h>

#include "core/status.h"

typedef struct pl_trainlog_col {
    char *name;
    double *v; /* (n) */
} pl_trainlog_col;

typedef struct pl_trainlog {
    int64_t n, cap;        /* records, capacity of each array */
    double *iter;          /* (n) */
    pl_trainlog_col *cols; /* (ncols), "iteration" not among them */
    int ncols, cols_cap;
} pl_trainlog;

void pl_trainlog_init(pl_trainlog *log);
void pl_trainlog_free(pl_trainlog *log);
pl_status pl_trainlog_read(pl_trainlog *log, const char *path);
/* Same from a NUL-terminated buffer; `path` names it in messages. */
pl_status pl_trainlog_parse(pl_trainlog *log, const char *path, const char *text);
/* Column index of `name`, -1 if none. */
int pl_trainlog_find(const pl_trainlog *log, const char *name);

#endif
