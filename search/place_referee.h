/* place_referee.h: the search's final choice by the full-design figures (`placer place --referee full`).
 *
 * The proxy ranks placements by a clustered estimate that does not always predict the chip
 * (docs/fidelity.md). The referee takes the few best candidates by proxy (each refinement chain's
 * best, then the search's starts; identical placements once), and for each one legalises the macros
 * in a copy of the flat netlist, places and legalises every standard cell around them and estimates
 * the routing (gplace/full.h), then keeps the candidate with the lowest pl_full_score (full HPWL +
 * lambda x overflow x GCell side). *best becomes that candidate; res->judged lists what was measured.
 * Cost: referee_keep full evaluations, after the time-limited stages (about 30 s each on a 100k-cell
 * design with 2 threads). Deterministic for the seed. Internal to search/.
 */
#ifndef PL_SEARCH_PLACE_REFEREE_H
#define PL_SEARCH_PLACE_REFEREE_H

#include "search/place_ctx.h"

pl_status pl_place_referee(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best);

#endif
