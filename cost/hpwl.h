/* hpwl.h: half-perimeter wirelength of a flat netlist, as chip engineers and the literature report it.
 *
 * pl_hpwl: Σ net weight × HPWL over every net with two or more pins, pins where their nodes are now
 * (offsets and orientations applied): the full-design (mixed-size) figure.
 * pl_hpwl_macro: the *macro HPWL* of the learning-based macro-placement papers (MaskPlace, ChiPFormer,
 * WireMask-BBO, EfficientPlace), as their Bookshelf code computes it: only pins on hard macros count (IO
 * ports, standard cells and soft macros do not); a macro counts once per net, at the first of its pins on
 * that net (pl_netlist_finalize's order, the driver first); a net with fewer than two distinct macros
 * adds nothing; each net's figure is multiplied by its weight (1 unless the input gave one). docs/benchmarks.md
 * cites the code read. Both in the netlist's units (µm; Bookshelf units for a Bookshelf design).
 * The netlist must be finalized; it is only read. Pure functions, thread-safe.
 */
#ifndef PL_COST_HPWL_H
#define PL_COST_HPWL_H

#include <stdint.h>

#include "core/netlist.h"

double pl_hpwl(const pl_netlist *nl);

/* nets: NULL, or it gets the count of nets that added to the sum (two or more distinct macros). */
double pl_hpwl_macro(const pl_netlist *nl, int64_t *nets);

#endif
