/* grid.h: the grid half of the proxy cost, shared by cost/proxy.c: routing one net onto the
 * congestion grid (2-pin, the 3-pin L/T rules, star for more), a hard macro's routing blockage
 * with the partial-overlap rule, a macro's area on the density grid, smoothing and top-k.
 *
 * All functions add `sign` (+1 or -1) times their contribution, so removing a contribution is
 * the same call with -1; routing demand is in raw tracks (weights), blockage already normalised.
 * Internal to cost/: callers use cost/proxy.h; this includes cost/context.h, never proxy.h.
 * No allocation; deterministic; not thread-safe.
 */
#ifndef PL_COST_GRID_H
#define PL_COST_GRID_H

#include "cost/context.h"

/* Routes net n from its pins' cached congestion cells, adding sign · routing weight. */
void pl_cost_grid_route_net(pl_cost *c, int32_t n, double sign);
/* Adds sign · the routing blockage of hard macro `node` at its cached centre. */
void pl_cost_grid_macro_block(pl_cost *c, int32_t node, double sign);
/* Adds sign · the overlap areas of `node` with the density cells. */
void pl_cost_grid_density_add(pl_cost *c, int32_t node, double sign);
/* Congestion cost from the demand and blockage arrays (smoothing included). */
double pl_cost_grid_congestion(pl_cost *c);
/* Density cost from the occupied areas. */
double pl_cost_grid_density(pl_cost *c);

/* Mean of the k largest of v[0..n) (k >= 1), using scratch (n); v is not changed. */
double pl_cost_topk_mean(const double *v, int n, int k, double *scratch);

/* Oriented footprint and pin-offset rotation (offsets relative to the centre). */
int pl_cost_orient_swaps(int o);
void pl_cost_orient_offset(int o, double ox, double oy, double *rx, double *ry);

#endif
