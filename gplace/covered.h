/* covered.h: the standard cells that hard macros cover, counted or unplaced.
 *
 * A standard cell (PL_NODE_STDCELL, PLACED or FIXED) is covered when its footprint and the footprint of
 * a placed hard macro (PL_NODE_MACRO, PLACED, FIXED or COVER) overlap with positive area: touching
 * edges do not count and halos are not part of a footprint (tests/tools/def_macro_gaps.py --cells-under
 * counts the same cells from the DEF text). Footprints are compared in whole DEF database units
 * (nl->dbu_per_micron; 1000 when the netlist has none), so a cell that abuts a macro never counts
 * through a rounding error. Cost: O(cells x macros) rectangle tests, no allocation beyond one array of
 * macro boxes (PL_ENOMEM). Deterministic; not thread-safe per netlist.
 */
#ifndef PL_GPLACE_COVERED_H
#define PL_GPLACE_COVERED_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_covered_stats {
    int64_t placed; /* covered PLACED standard cells (by pl_cells_covered_unplace: the cells it unplaced) */
    int64_t fixed;  /* covered FIXED standard cells: counted, never moved */
} pl_covered_stats;

/* Counts the covered cells of nl into *st. */
pl_status pl_cells_covered_count(const pl_netlist *nl, pl_covered_stats *st);
/* Sets every covered PLACED standard cell UNPLACED (its x, y and orientation stay, unused); FIXED ones
 * are only counted. *st gets the counts from before the change. */
pl_status pl_cells_covered_unplace(pl_netlist *nl, pl_covered_stats *st);

#endif
