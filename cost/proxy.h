/* proxy.h: the Circuit Training proxy cost (wirelength + density + congestion), full and incremental.
 *
 * Definition: ../shared/docs/reference/circuit-training-and-tilos.md §1 (TILOS plc_client_os, which
 * matches Google's evaluator). A pl_cost mirrors the netlist's node centres and orientations in
 * flat arrays, caches per-net bounding boxes and grid cells, the density grid, the routing demand
 * and the macro blockage; move/orient/swap update only what the moved nodes touch; undo reverts
 * the operations since the last commit. pl_cost_full() recomputes everything and is the oracle.
 * Owns its arrays; the netlist must outlive it, unchanged in structure (pl_cost_write_back copies
 * positions back). Errors: init PL_EINVAL/PL_ENOMEM; the hot path allocates only to grow the undo
 * journal. Deterministic; one thread per pl_cost.
 */
#ifndef PL_COST_PROXY_H
#define PL_COST_PROXY_H

#include <stdint.h>

#include "cost/context.h"
#include "core/netlist.h"

/* Circuit Training defaults: routes 70.33/74.51, macro 51.79/51.79, smoothing 2 (legacy grid),
 * weights 1.0/0.5/0.5; canvas and grid 0 (the caller must set them). */
void pl_cost_config_default(pl_cost_config *cfg);
/* The June 2023 congestion grid: cell = 2000/(h_rpm + v_rpm) µm, cols/rows = int(W or H / cell). */
void pl_cost_config_grid2023(pl_cost_config *cfg);

/* Builds the context from nl's current placement (finalized netlist; canvas and grid set). */
pl_status pl_cost_init(pl_cost *c, const pl_netlist *nl, const pl_cost_config *cfg);
void pl_cost_free(pl_cost *c);

/* Recomputes every cached quantity from the current node state and returns the terms. */
void pl_cost_full(pl_cost *c, pl_cost_terms *t);
/* The terms of the current state (cached wirelength; density and congestion top-k now). */
void pl_cost_terms_get(pl_cost *c, pl_cost_terms *t);

/* Incremental operations; each is one undoable step. Centres are absolute µm (as in the netlist). */
pl_status pl_cost_move(pl_cost *c, int32_t node, double cx, double cy);
pl_status pl_cost_set_orient(pl_cost *c, int32_t node, pl_orient o);
/* Flip about the vertical axis (N<->FN, S<->FS, ...: x mirrored) or the horizontal one. */
pl_status pl_cost_flip(pl_cost *c, int32_t node, int vertical_axis);
/* Exchanges the centres of two nodes (orientations stay). */
pl_status pl_cost_swap(pl_cost *c, int32_t a, int32_t b);
/* Reverts the most recent operation since the last commit; 0 if there was none. */
int pl_cost_undo(pl_cost *c);
/* Forgets the undo journal. */
void pl_cost_commit(pl_cost *c);

/* Copies centres and orientations into nl's nodes (lower-left convention). */
void pl_cost_write_back(const pl_cost *c, pl_netlist *nl);

#endif
