/* place_refine.h: the refinement stage of the placement pipeline: one annealing chain (search/refine.h)
 * per start the search kept, the soft macros placed again after each round, each chain keeping its
 * best evaluated state. Deterministic for the seed (move budgets) whatever the threads. */
#ifndef PL_SEARCH_PLACE_REFINE_H
#define PL_SEARCH_PLACE_REFINE_H

#include "search/place_ctx.h"

/* Chains from the starts found by the search; best gets the winner. */
pl_status pl_place_refine(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best);

#endif
