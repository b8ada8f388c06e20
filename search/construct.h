/* construct.h: sequential construction of a macro placement on the grid, guided by a prior (rollouts).
 *
 * A pl_construct holds what every rollout shares: the grid, the region (the core, in the cost's
 * coordinates), static obstacles (fixed macros, blockages), the movable macros in placement order
 * (area descending, ties by node index) with their footprints (halos included) and, per macro, its
 * nets and pin extents; per net, the bounding box of the pins that do not move (ports, soft macros,
 * fixed macros) at the cost's current positions. A rollout fills a work area (one per thread) and
 * writes one cell per macro; it is a pure function of (construct, prior, temperature, rng state).
 * Ownership: init/free pairs, free NULL-safe and idempotent; the pl_cost is borrowed and must outlive
 * the construct. Errors: PL_ENOMEM, PL_EINVAL (no movable macro fits the region), the prior's.
 */
#ifndef PL_SEARCH_CONSTRUCT_H
#define PL_SEARCH_CONSTRUCT_H

#include <stdint.h>

#include "cost/proxy.h"
#include "core/rng.h"
#include "search/prior.h"

typedef struct pl_construct {
    const pl_cost *cost;
    int32_t cols, rows, A;
    double gw, gh;             /* cell size, µm */
    double region[4];          /* x0 y0 x1 y1 where macro footprints must lie (cost coordinates) */
    double *obs;               /* (nobs, 4) static obstacles x0 y0 x1 y1 */
    int32_t nobs;
    int32_t n;                 /* movable macros */
    int32_t *order;            /* (n) nodes, placement order */
    double *ext;               /* (n, 4) footprint extents from the centre: left bottom right top */
    int64_t *net_off;          /* (n + 1) CSR macro -> nets */
    int32_t *net;              /* nets of each macro */
    double *pin_ext;           /* per (macro, net): min/max pin offset x, min/max y (4 doubles) */
    double *sbb;               /* (nnets, 4) static bbox x0 x1 y0 y1; x0 > x1: no static pin */
} pl_construct;

/* Region and obstacles in the cost's coordinates; obstacles (nobs, 4) are copied. Fixed hard macros
 * (PL_PLACE_FIXED / COVER) of the cost's netlist are added as obstacles here, halos included. */
pl_status pl_construct_init(pl_construct *k, const pl_cost *c, const double region[4], const double *obstacles,
                            int32_t nobs);
void pl_construct_free(pl_construct *k);

typedef struct pl_construct_work {
    uint8_t *mask;     /* (A) */
    double *wire, *edge, *weight, *wx, *wy; /* (A), (A), (A), (cols), (rows) */
    double *bb;        /* (nnets, 4) */
    double *placed;    /* (n, 4) rectangles of placed macros */
    int32_t *cells;    /* (n) */
} pl_construct_work;

pl_status pl_construct_work_init(pl_construct_work *w, const pl_construct *k);
void pl_construct_work_free(pl_construct_work *w);

/* One rollout: every macro to a legal cell sampled from the prior's weights (uniform over legal
 * cells if the prior gives them all zero); temperature and edge_weight go to the prior's state
 * (search/prior.h). w->cells gets the cells; *placed the number placed before a macro had no legal
 * cell (== k->n when the rollout is feasible). */
pl_status pl_construct_rollout(const pl_construct *k, pl_construct_work *w, const pl_prior *prior, double temperature,
                               double edge_weight, pl_rng *rng, int32_t *placed);

/* Centre of a cell in the cost's coordinates. */
void pl_construct_cell_center(const pl_construct *k, int32_t cell, double *x, double *y);

#endif
