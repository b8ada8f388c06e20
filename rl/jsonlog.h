/* jsonlog.h: the training log, one JSON object per line, and its repair on resume.
 *
 * pl_jsonlog_trim keeps the lines whose top-level "iteration" is <= max (and JSON lines without
 * one), so a resumed run that restarts from checkpoint step k drops the records written after it by
 * the killed run; a line that is not one whole JSON value (the killed run's partial last line) is
 * dropped with a warning, blank lines silently. Lines are read with core/json.h and copied byte for
 * byte, each ending in a newline; the file is rewritten through a temporary file renamed into place.
 * A missing file is not an error. Errors: PL_EIO, PL_ENOMEM. No threads.
 */
#ifndef PL_RL_JSONLOG_H
#define PL_RL_JSONLOG_H

#include <stdint.h>

#include "core/status.h"

pl_status pl_jsonlog_trim(const char *path, int64_t max_iteration);

#endif
