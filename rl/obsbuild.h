/* obsbuild.h: the one builder of observations from a placement netlist, shared by the training
 * environment (rl/env.c) and the inference policy (rl/policy.c), so both see the same numbers.
 *
 * Grid: cols x rows cells of gw x gh over a W x H canvas (origin 0), A = cols * rows. Graph nodes:
 * hard macros, soft macros, then ports clustered per grid cell (rl/obs.h). Ownership: the caller
 * owns every array; pl_obsbuild_graph fills a static allocated by pl_obs_static_alloc and finished.
 * Errors: PL_ENOMEM, PL_EINVAL (no graph node), messages prefixed by the caller's `who`.
 * Deterministic: fixed loop orders, edges sorted with a stable tie-break. No threads, no state.
 */
#ifndef PL_RL_OBSBUILD_H
#define PL_RL_OBSBUILD_H

#include <stdint.h>

#include "core/netlist.h"
#include "rl/obs.h"

typedef struct pl_obs_grid {
    double W, H, gw, gh; /* canvas and cell size, µm */
    int32_t cols, rows, A;
} pl_obs_grid;

/* Graph nodes (node_g (nnodes): graph node, -1 if none), edges (a star from each net's driver,
 * parallel pairs summed, weights over their mean), static features and name of st; moves (nnodes):
 * nonzero for a macro placed by an episode (features at the centre, not placed). st->nsteps is
 * left to the caller. */
pl_status pl_obsbuild_graph(pl_obs_static *st, int32_t *node_g, const pl_netlist *nl, const pl_obs_grid *g,
                            const uint8_t *moves, const char *who);

/* Metadata (M) of the design; the last value, the fraction placed, is set to 0. */
void pl_obsbuild_meta(float *meta /* (M) */, const pl_obs_static *st, const pl_netlist *nl, const pl_obs_grid *g);

/* Hard-macro rows (nhard, 3) before any step: x, y, placed as in the static features. */
void pl_obsbuild_hard_init(float *hard /* (nhard, 3) */, const pl_obs_static *st);

/* Rectangle x0 y0 x1 y1 of a node where the netlist has it. */
void pl_obsbuild_node_rect(const pl_node *n, double *r /* (4) */);

/* Adds sign * the overlap of rect r with the grid cells to dens (A) (fraction of cell area). */
void pl_obsbuild_dens_add(const pl_obs_grid *g, double *dens /* (A) */, const double *r /* (4) */, double sign);

/* The wire map of the macro to place, as weighted HPWL growth. One of its nets: weight wt, pe the
 * macro's min/max pin offsets from its centre (x then y), box the bounding box x0 x1 y0 y1 of the
 * other pins whose place is known (used when others). pl_obsbuild_wire_net adds it to wx (cols) and
 * wy (rows), which start at 0; pl_obsbuild_wire_finish writes wire (A): 0 outside mask, divided by
 * its maximum. */
typedef struct pl_obs_wire_net {
    double wt, pe[4], box[4];
    int others;
} pl_obs_wire_net;

void pl_obsbuild_wire_net(const pl_obs_grid *g, double *wx, double *wy, const pl_obs_wire_net *n);
void pl_obsbuild_wire_finish(const pl_obs_grid *g, const double *wx, const double *wy, const uint8_t *mask,
                             float *wire /* (A) */);

#endif
