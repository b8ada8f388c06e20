/* json.h: the one way JSON is built, written and read: json-c trees with the project's number text.
 *
 * Results (--json, --report, training-log lines) are json_object trees built with json-c's own
 * constructors and the helpers here, written by pl_json_write/pl_json_write_file: one line
 * ({ "key": value, ... }) or indented, slashes not escaped, strings escaped by json-c. Numbers:
 * pl_json_num prints the fewest digits (15 to 17) that read back to the same double; pl_json_fixed
 * keeps a printf format's text; both give NULL (json null) when the value is not finite.
 * The caller owns every tree (json_object_put); writers and readers do not keep it.
 * Errors: PL_EIO (write), PL_ENOMEM, PL_EPARSE "file:line:column: ...". No state; thread-safe.
 */
#ifndef PL_JSON_H
#define PL_JSON_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

#include "core/status.h"

/* pl_json_write flags: one line (JSON lines, --json), or indented over several lines (reports). */
enum { PL_JSON_LINE = 0, PL_JSON_PRETTY = 1 };

/* A number in the fewest digits that round-trip ("%.0f" when integral below 1e15); NULL if not finite. */
json_object *pl_json_num(double v);
/* A number printed with fmt (one double conversion, e.g. "%.9f", "%g"); NULL if not finite. */
json_object *pl_json_fixed(double v, const char *fmt);
/* A string; NULL reads as "". */
json_object *pl_json_str(const char *s);

/* Writes o and a newline to fp. */
pl_status pl_json_write(FILE *fp, json_object *o, int flags);
/* Writes o and a newline to path atomically (core/tmpfile.h): the file is whole or absent. */
pl_status pl_json_write_file(const char *path, json_object *o, int flags);

/* Parses one line of text (len bytes, no '\n' needed): exactly one JSON value, strict RFC 8259,
 * whitespace around it allowed. *out gets the value (NULL for the literal null). Errors name
 * path:line:column. */
pl_status pl_json_parse_line(const char *text, size_t len, const char *path, long line, json_object **out);

#endif
