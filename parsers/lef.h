/* lef.h: LEF reader (technology and cell/macro libraries) into a pl_netlist's library part.
 *
 * Reads UNITS, MANUFACTURINGGRID, SITE, LAYER (type; ROUTING: DIRECTION, PITCH, WIDTH, OFFSET),
 * MACRO (CLASS, ORIGIN, SIZE, SYMMETRY, SITE, PIN with DIRECTION, USE and PORT shapes -> pin
 * centre, OBS); other constructs are skipped by their syntax. Call it once per file, technology
 * first; a macro defined twice keeps its first definition (with a warning). `.lef.gz` is read
 * transparently. Errors: PL_EPARSE "file:line: ...", PL_EIO for unreadable files; the netlist
 * stays valid (and freeable) after a failure.
 */
#ifndef PL_LEF_H
#define PL_LEF_H

#include "core/netlist.h"

pl_status pl_lef_read(pl_netlist *nl, const char *path);

#endif
