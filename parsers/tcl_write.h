/* tcl_write.h: the hard macros' placement as a Tcl script that OpenROAD sources (ORFS MACRO_PLACEMENT_TCL).
 *
 * Comment lines (#), then per placed hard macro (PL_NODE_MACRO, not UNPLACED), in node order:
 *   place_macro -macro_name {NAME} -location {X Y} -orientation O -exact -allow_overlap
 * X Y: lower-left of the placed footprint in microns, the exact decimal of its DEF database units; O: the
 * OpenDB name of the orientation. OpenROAD (src/mpl) then holds the macro LOCKED (FIXED in DEF); -exact:
 * no snapping to the tracks; -allow_overlap: a macro may land where another still is mid-script. NAME is
 * byte for byte in braces (DEF escapes such as \[0\] kept, as OpenDB keeps them), else backslash-quoted.
 * Written to a temporary file renamed into place (core/tmpfile.h). Errors: PL_EIO, PL_EINVAL (no UNITS).
 */
#ifndef PL_TCL_WRITE_H
#define PL_TCL_WRITE_H

#include "core/netlist.h"

/* OpenDB's orientation for a DEF one: N R0, S R180, W R90, E R270, FN MY, FS MX, FW MXR90, FE MYR90. */
const char *pl_tcl_orient_name(pl_orient o);

/* Writes the script for nl to path; comment (one line, NULL: none) goes into the header. *nmacros
 * (may be NULL) gets the number of place_macro lines. */
pl_status pl_tcl_write(const pl_netlist *nl, const char *path, const char *comment, int64_t *nmacros);

#endif
