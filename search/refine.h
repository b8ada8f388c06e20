/* refine.h: simulated-annealing refinement of hard-macro positions on the incremental proxy cost.
 *
 * Moves: shift a macro by a random step (the step shrinks with the temperature), swap two
 * macros, flip a macro about either axis. A move that puts a macro outside the region or
 * over another hard macro (fixed ones included) is rejected before it is costed, so a legal
 * start stays legal up to the site grid (the legaliser snaps it afterwards). Metropolis
 * acceptance on the change of the proxy cost; geometric cooling from t_start to t_end over the
 * budget (moves or seconds, whichever ends first). Soft macros stay where they are. The pl_cost
 * is left at the best state seen; obstacles (blockages) are kept clear like fixed macros.
 * Deterministic for a seed when the budget is a move count.
 */
#ifndef PL_SEARCH_REFINE_H
#define PL_SEARCH_REFINE_H

#include <signal.h>
#include <stdint.h>

#include "cost/proxy.h"

typedef struct pl_refine_config {
    uint64_t seed;
    int64_t max_moves;   /* move budget (default 200000) */
    double time_limit;   /* seconds, 0 = none (then only max_moves counts) */
    double t_start;      /* initial temperature, in proxy-cost units (default 0.01) */
    double t_end;        /* final temperature (default 1e-5) */
    double p_swap, p_flip; /* move mix; the rest are shifts (defaults 0.2, 0.1) */
    double region[4];    /* x0 y0 x1 y1, µm: where macros must stay (default: the cost canvas) */
    int has_region;
    const double *obstacles; /* (nobstacles, 4) x0 y0 x1 y1, µm: no macro may overlap these
                                (placement blockages); borrowed, NULL for none */
    int32_t nobstacles;
    double step_hi, step_lo; /* shift range as a fraction of the region's longer side: it shrinks
                                linearly from step_hi to step_lo over the budget (0.31, 0.01) */
    double sched_lo, sched_hi; /* the budget covers this part of the cooling schedule: temperature
                                  t_start (t_end/t_start)^f, f from sched_lo to sched_hi (0, 1);
                                  lets a caller split one anneal over several calls */
    int time_schedule;   /* 1: progress is max(moves/max_moves, seconds/time_limit), so a
                            time-limited run still cools fully (results then depend on speed) */
    const volatile sig_atomic_t *stop; /* when not NULL and set (e.g. by a signal handler): stop at once, the
                                 best state kept as after a time limit (NULL) */
    double pad;          /* µm added to every hard macro's half extents: macros keep 2 pad apart
                            (the channel), pad from obstacles and the region's edge (0) */
} pl_refine_config;

void pl_refine_config_default(pl_refine_config *cfg);

typedef struct pl_refine_stats {
    int64_t moves, accepted, rejected_geometry;
    double start_cost, best_cost, seconds;
    double t_start, t_end; /* the temperatures used (t_start calibrated when the config's is 0) */
} pl_refine_stats;

/* Refines the movable hard macros (PL_NODE_MACRO, not FIXED/COVER) of c's netlist in c; the
 * netlist is not written (call pl_cost_write_back). stats may be NULL. */
pl_status pl_refine_sa(pl_cost *c, const pl_refine_config *cfg, pl_refine_stats *stats);

#endif
