/* place_search.h: the search stage of the placement pipeline: sampled rollouts from the prior
 * (search/construct.h), ranked by the quick cost (soft macros as prepared), the best re-costed after
 * the soft macros are placed again; the prepared positions, legalised, compete as a start. The
 * starts are kept in the ctx for refinement. With cfg->online > 1 the rollouts run in generations and the
 * prior sharpens between them (search/online.h: learning while placing). Deterministic for the seed
 * whatever the threads. */
#ifndef PL_SEARCH_PLACE_SEARCH_H
#define PL_SEARCH_PLACE_SEARCH_H

#include "search/place_ctx.h"

/* Rollouts, then the evaluation of the best; best gets the winner. */
pl_status pl_place_search(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best);

#endif
