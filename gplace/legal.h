/* legal.h: standard-cell legalisation into rows and sites (Abacus), and an independent check.
 *
 * pl_cell_legalize() moves every movable standard cell (STDCELL, UNPLACED or PLACED, starting from
 * its x, y) onto a row: y and orientation the row's, x on its site grid, no overlap with other cells
 * or obstacles (placed macros with halos, fixed cells, placed others, hard placement blockages; not
 * ports, soft macros, COVER masters); cells become PLACED, nothing else changes. Abacus (Spindler et
 * al., ISPD 2008): cells by x, each tried at the end of nearby rows' free segments, clusters collapsed
 * to their quadratic optimum, the least squared displacement kept; integer DBU throughout. Errors:
 * PL_EINVAL (no rows, a row without a site size, a cell finding no room: named, with the areas),
 * PL_ENOTSUP (a cell taller than every row), PL_ENOMEM. Deterministic; single-threaded.
 */
#ifndef PL_GPLACE_LEGAL_H
#define PL_GPLACE_LEGAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_cell_legal_config {
    int weight_by_width; /* Abacus cell weight: 0 = 1 per cell, Σ squared moves (default); 1 = its
                            width in sites, so wide cells move less */
    int soft_blockages;  /* 1: keep cells out of SOFT and PARTIAL placement blockages too (default 0,
                            as pl_cell_legal_check, which only knows hard ones) */
} pl_cell_legal_config;

void pl_cell_legal_config_default(pl_cell_legal_config *cfg);

typedef struct pl_cell_legal_stats {
    int64_t cells;     /* movable standard cells */
    int64_t moved;     /* of them, cells whose x or y changed */
    double total_disp; /* Σ |Δx| + |Δy|, µm */
    double max_disp;   /* largest |Δx| + |Δy|, µm */
    double seconds;    /* wall time */
} pl_cell_legal_stats;

/* Legalises the movable standard cells of nl in place. cfg NULL: defaults; st may be NULL. On
 * failure nl is unchanged (positions are written only once every cell has found its place). */
pl_status pl_cell_legalize(pl_netlist *nl, const pl_cell_legal_config *cfg, pl_cell_legal_stats *st);

/* Counts the violations among movable standard cells (unplaced, on no row, off the site grid, in a
 * row of another orientation, taller than the row, sticking out of the rows, i.e. the core; two
 * cells overlapping; a cell on an obstacle as above, halos included, hard blockages only) with its
 * own row table and a sort-and-sweep per row: only the definition of an obstacle is shared with the
 * legaliser. msg (may be NULL) gets the first violation. */
int pl_cell_legal_check(const pl_netlist *nl, char *msg, size_t len);

#endif
