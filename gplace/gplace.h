/* gplace.h: standard-cell global placement with the macros fixed (ePlace / RePlAce / DREAMPlace).
 *
 * Minimises WA wirelength + λ · electrostatic density energy over the movable standard cells (kind
 * STDCELL, state UNPLACED or PLACED) inside the core (bounding box of the rows, else the die), with
 * filler cells taking up the free area the target density leaves. Nesterov's method with a Lipschitz
 * step estimate and backtracking, a Jacobi preconditioner, λ ramped by the HPWL change and γ set by
 * the overflow, as RePlAce; stops when the overflow is at most stop_overflow. Placed or fixed macros
 * (halos included), other placed nodes, fixed cells and placement blockages are fixed charge;
 * placed ports and placed nodes are fixed terminals; unplaced macros, ports and others are left out
 * (one warning). Works on a finalized netlist in place: only movable cells change (their x, y, and
 * their orientation, reset to N: where and how they were placed before does not enter; they become
 * PLACED, inside the core). Errors: PL_EINVAL (bad config, no core, too little room),
 * PL_ENOMEM. Deterministic for the seed, bit for bit whatever cfg->threads (fixed reduction order).
 */
#ifndef PL_GPLACE_GPLACE_H
#define PL_GPLACE_GPLACE_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_gplace_config {
    double target_density;   /* bin capacity as a fraction of its free area, (0, 1] (1.0, DREAMPlace's) */
    double stop_overflow;    /* stop when the overflow (area above capacity / movable area) <= this (0.10) */
    int max_iters;           /* Nesterov iterations at most (1000) */
    int bins_x, bins_y;      /* density bins; 0: the power of two nearest √(movable cells), 16..1024 */
    double init_density_penalty; /* λ0 = this · |∇WL|₁ / |∇D|₁ (8e-3; RePlAce's 8e-5 costs a
                                    hundred more iterations from a centre start, no better HPWL) */
    double lambda_max_growth; /* λ multiplier at most (1.05); at least 2 minus it (0.95) */
    double ref_hpwl_ratio;   /* λ grows by max^(1 - ΔHPWL / (ratio · HPWL)) per iteration (0.01) */
    double gamma_bins;       /* WA γ at overflow 0.1... in bins: γ = gamma_bins · bin · 10^((ovf - 0.1) 20/9 - 1) (4) */
    int max_net_degree;      /* nets with more pins are left out of the wirelength gradient (0: none) (0) */
    int fillers;             /* 1: filler cells take up target · free area - movable area (1) */
    int macros;              /* 1: placed hard macros are fixed charge and terminals (1); 0: every hard
                                macro is left out, without the warning (the cells' own arrangement) */
    uint64_t seed;           /* initial jitter and filler positions (1) */
    int threads;             /* worker threads, 1..64 (1); results do not depend on it */
} pl_gplace_config;

void pl_gplace_config_default(pl_gplace_config *cfg);

typedef struct pl_gplace_stats {
    int64_t movable, fillers;  /* objects placed */
    int bins_x, bins_y;
    int iters;                 /* Nesterov iterations */
    int evals;                 /* gradient evaluations (backtracking included) */
    int converged;             /* 1: the overflow reached stop_overflow */
    double hpwl;               /* pl_hpwl() (cost/hpwl.h) at the end, µm */
    double overflow;           /* at the end, exact cell footprints */
    double lambda;             /* final density weight */
    double seconds;            /* wall time of the run */
} pl_gplace_stats;

/* Places the movable standard cells of nl. st may be NULL. */
pl_status pl_gplace_run(pl_netlist *nl, const pl_gplace_config *cfg, pl_gplace_stats *st);

/* The placement region: the bounding box of the rows, else the die; 0 when there is neither. */
int pl_gplace_core(const pl_netlist *nl, pl_rect *core);

#endif
