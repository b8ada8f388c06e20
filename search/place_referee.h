/* place_referee.h: the search's final choice among its best candidates by a better-informed figure
 * than the search's own (`placer place --referee mean|full`).
 *
 * The search ranks candidates by the proxy of one soft placement, which moves by a few % with the soft
 * placer's seed, and the proxy itself is a clustered estimate that does not always predict the chip
 * (docs/fidelity.md). The referee takes the referee_keep best candidates by that proxy (each
 * refinement chain's best, then the search's starts; identical placements once) and legalises each
 * one's macros in a copy of the flat netlist as the final stage will. PL_PLACE_REFEREE_MEAN then
 * costs it by the mean over the problem's soft placements (cluster/softcost.h), the figure `placer
 * eval` reports for the result; PL_PLACE_REFEREE_FULL places and legalises every standard cell around
 * the macros and estimates the routing (gplace/full.h), scoring pl_full_score (full HPWL + lambda x
 * overflow x GCell side). The lowest score wins: *best becomes that candidate; res->judged lists what
 * was measured. Cost, after the time-limited stages: referee_keep evaluations (asap7_ariane133 with 2
 * threads: about 6 s each for the mean, 30 s for the full score). Deterministic for the seed.
 * Internal to search/.
 */
#ifndef PL_SEARCH_PLACE_REFEREE_H
#define PL_SEARCH_PLACE_REFEREE_H

#include "search/place_ctx.h"

pl_status pl_place_referee(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best);

#endif
