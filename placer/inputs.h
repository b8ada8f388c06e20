/* inputs.h: the input files of a command, declared to its output set (core/tmpfile.h) before any work,
 * so that no output replaces one of them.
 *
 * A design brings the files its reader will open: the design itself; for a DEF the given LEFs, or when
 * none are given the .tlef and .lef files beside it (as parsers/def.h's pl_design_read finds them); for a
 * Circuit Training netlist the placement, or initial.plc beside it when plc_beside. A folder that cannot be
 * listed adds nothing here: the reader reports it. Errors: those of pl_outset_input. No state.
 */
#ifndef PL_PLACER_INPUTS_H
#define PL_PLACER_INPUTS_H

#include "core/status.h"
#include "core/tmpfile.h"

/* Declares design (NULL: none), placement (NULL: none) and the LEFs (nlef may be 0) to os. */
pl_status pl_inputs_design(pl_outset *os, const char *design, const char *placement, const char *const *lefs,
                           int nlef, int plc_beside);

#endif
