/* design_cost.h: a LEF/DEF design -> its clustered placement graph and proxy-cost configuration.
 *
 * The one path shared by `placer eval` and `placer place`, so that both measure the same thing: the
 * canvas is the DIEAREA, routing capacity comes from the technology LEF (cost/tech.h), the design is
 * prepared (cluster/prepare.h: grid, clusters, clustered netlist, FD of the soft macros) with the
 * given seed, and the cost grid is the prepared grid with the canvas origin at (0, 0) (the clustered
 * netlist is shifted so the die's lower-left corner is the origin). The caller owns `prep` (freed with
 * pl_prepare_free, also after a failure). Errors: PL_EINVAL (no DIEAREA, no routing layers), those of
 * pl_prepare_run. Deterministic for the seed; one call at a time per process (igraph's global RNG).
 */
#ifndef PL_CLUSTER_DESIGN_COST_H
#define PL_CLUSTER_DESIGN_COST_H

#include <stdint.h>

#include "cluster/prepare.h"
#include "cost/proxy.h"
#include "cost/tech.h"

typedef struct pl_design_cost_config {
    uint64_t seed;       /* clustering and FD seed (1) */
    int cols, rows;      /* placement grid; 0: Circuit Training's choice */
    int clusters;        /* soft macros wanted; 0: cluster/ default */
    int macro_layers;    /* routing layers a hard macro blocks (PL_COST_MACRO_LAYERS) */
    double reserve;      /* power-grid reserve (PL_COST_POWER_RESERVE) */
    int routes_from_lef; /* 1: derive routing capacity from the LEF layers (1); 0: keep cfg's */
    int grid2023;        /* 1: smoothing 5 (the June 2023 congestion grid; the caller applies the grid) */
    int soft_ct;         /* 1: soft macros by Circuit Training's FD schedule (0: the analytical placer) */
} pl_design_cost_config;

void pl_design_cost_config_default(pl_design_cost_config *dc);

/* Sets cfg's canvas and routing from `flat` (a DEF design with its LEF library), then prepares it
 * into prep and sets cfg's grid and origin for the clustered netlist prep->nl. cfg keeps its other
 * fields (weights, smoothing). routes may be NULL; it gets the LEF figures when they were derived. */
pl_status pl_design_cost_prepare(const pl_netlist *flat, const pl_design_cost_config *dc, pl_prepare *prep,
                                 pl_cost_config *cfg, pl_cost_routes *routes);

#endif
