/* place.h: the macro placement pipeline behind `placer place`: prepare, search, refine, legalise.
 *
 * Stages: the design comes prepared as `placer eval` prepares it (cluster/problem.h); "search" samples
 * rollouts from a prior (search/construct.h), keeps the best by quick cost and re-costs them after FD
 * of the soft macros; "refine" anneals (search/refine.h) one chain per kept start, FD between rounds,
 * keeping each chain's best FD-evaluated state; the winner goes back to the flat netlist, is legalised
 * (search/legalize.h) and evaluated again exactly as `placer eval` evaluates the written DEF (the
 * legal macros put into the prepared problem, the soft macros placed again), without preparing twice.
 * prob->flat is changed in place (movable macros FIXED at legal positions; nothing else).
 * Deterministic for a seed when time_limit is 0 (budgets are move counts, whatever the threads);
 * a time limit makes the result depend on speed. Threads: rollouts and chains run on cfg->threads.
 */
#ifndef PL_SEARCH_PLACE_H
#define PL_SEARCH_PLACE_H

#include <stdint.h>

#include "cluster/problem.h"
#include "search/place_config.h"

/* Places the movable hard macros of prob->flat (a LEF/DEF problem from pl_problem_setup). */
pl_status pl_place_run(pl_problem *prob, const pl_place_config *cfg, pl_place_result *res);

#endif
