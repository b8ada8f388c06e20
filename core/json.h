/* json.h: small helpers for writing JSON results (commands' --json output, reports).
 *
 * Contract: writes to a FILE*; strings are escaped per RFC 8259; numbers are printed in the
 * fewest digits (15 to 17) that read back to the same double, or as null when not finite.
 * No allocation, no state.
 */
#ifndef PL_JSON_H
#define PL_JSON_H

#include <stdio.h>

/* Writes s as a quoted JSON string. */
void pl_json_str(FILE *fp, const char *s);
/* Writes a number, or null if it is NaN or infinite. */
void pl_json_num(FILE *fp, double v);

#endif
