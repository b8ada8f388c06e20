/* gridsel.h: Circuit Training's choice of the placement grid (reference §1.5).
 *
 * Every (rows, cols) in [min, max] with min_cells <= rows*cols <= max_cells and cell aspect <= max_aspect
 * is tried: the macros, largest area first, go one by one to the first cell (row-major) whose centre
 * takes them inside the canvas without overlapping earlier ones (one macro per cell centre); a grid
 * where one does not fit is infeasible. Score = empty_ratio + (1 - horizontal waste) + (1 - vertical
 * waste), the waste of packing the macro widths (heights) side by side, each centred on cells, as
 * Circuit Training's get_waste_ratio computes it; the answer is the grid with the fewest cells among those within
 * `tolerance` of the best score (ties: fewer rows, then fewer cols). Pure function: deterministic,
 * thread-safe, no allocation kept. Errors: PL_EINVAL when no grid is feasible, PL_ENOMEM.
 */
#ifndef PL_CLUSTER_GRIDSEL_H
#define PL_CLUSTER_GRIDSEL_H

#include "core/netlist.h"

typedef struct pl_gridsel_config {
    int min_rows, max_rows, min_cols, max_cols; /* 10, 128, 10, 128 */
    int min_cells, max_cells;                   /* 500, 4096 */
    double max_aspect;                          /* 1.5 */
    double tolerance;                           /* 0.05 */
} pl_gridsel_config;

void pl_gridsel_config_default(pl_gridsel_config *cfg);

typedef struct pl_gridsel_result {
    int cols, rows;
    double score, best_score;
    int best_cols, best_rows; /* the highest-scoring grid */
    int feasible;             /* candidates that packed */
} pl_gridsel_result;

/* Macros (w, h) of n (µm) on a canvas_w x canvas_h canvas. */
pl_status pl_gridsel_choose(const double *w, const double *h, int n, double canvas_w, double canvas_h,
                            const pl_gridsel_config *cfg, pl_gridsel_result *out);
/* The hard macros (PL_NODE_MACRO, oriented footprint) of nl on its die. */
pl_status pl_gridsel_netlist(const pl_netlist *nl, const pl_gridsel_config *cfg, pl_gridsel_result *out);

#endif
