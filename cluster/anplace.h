/* anplace.h: analytical soft-macro placement with hard macros fixed (a small ePlace/DREAMPlace).
 *
 * Minimises weighted-average wirelength (WA, a smooth HPWL; nets as hyperedges, pins at their
 * offsets) + λ · electrostatic density energy: node areas on a bins x bins grid, hard macros as
 * fixed charge, the potential from a DCT Poisson solve (Neumann borders). Nesterov steps with a
 * Lipschitz step estimate and a per-node preconditioner; λ grows each iteration until the density
 * overflow drops to stop_overflow. Movable nodes start at the canvas centre (small seeded jitter) or
 * where they are. Works on a finalized netlist in place (centres inside the canvas; moved nodes
 * become PLACED). Errors: PL_EINVAL (no canvas, bad config), PL_ENOMEM. Deterministic for a seed
 * (fixed summation order); single-threaded.
 */
#ifndef PL_CLUSTER_ANPLACE_H
#define PL_CLUSTER_ANPLACE_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_an_config {
    int max_iters;          /* Nesterov iterations at most (600) */
    int bins;               /* density bins a side; 0: a power of two >= sqrt(movable), 32..64 */
    double target_density;  /* bin capacity as a fraction of its free area (1.0) */
    double stop_overflow;   /* stop when the overflow (area above capacity / movable area) is below (0.05) */
    double density_weight;  /* λ0 = density_weight · |∇WL|₁ / |∇D|₁ (DREAMPlace's 8e-5 style) */
    double lambda_growth;   /* λ multiplier per iteration (1.1) */
    double gamma;           /* WA smoothing at overflow 0.5, in bins (4; ×10 at overflow 1, /10 at 0.1) */
    int mixed;              /* 1: UNPLACED hard macros move too */
    int from_current;       /* 1: start from the current positions instead of the centre */
    uint64_t seed;
} pl_an_config;

void pl_an_config_default(pl_an_config *cfg);

typedef struct pl_an_stats {
    int movable;
    int iters;
    double overflow;        /* at the end */
    double hpwl;            /* Σ weight · HPWL at the end, µm */
} pl_an_stats;

/* Places the movable nodes of nl (canvas: its die). stats may be NULL. */
pl_status pl_an_place(pl_netlist *nl, const pl_an_config *cfg, pl_an_stats *stats);

#endif
