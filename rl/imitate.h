/* imitate.h: expert trajectories for imitation learning (behaviour cloning before PPO).
 *
 * An expert is a placement of a training design (a DEF placed by `placer place`, or a reference
 * .plc of a Circuit Training netlist). Its trajectory is the environment's own episode in which each
 * macro, in the environment's order, goes to the grid cell holding its expert centre, or, when the
 * mask forbids that cell (an earlier macro snapped onto it), to the legal cell whose centre is
 * nearest the expert centre. The records are the observations the policy would have seen, so the
 * PPO update can train on them with the loss -log p(expert cell) (rl/ppo.h, imitate).
 * Ownership: the trajectory is the caller's (rl/traj.h); the expert's set-up is freed inside.
 * Errors: PL_EINVAL when an expert lacks a placed movable macro of the design, and the set-up's.
 * Deterministic: a pure function of the design, the configuration and the expert file. One thread.
 */
#ifndef PL_RL_IMITATE_H
#define PL_RL_IMITATE_H

#include "rl/env.h"
#include "rl/traj.h"

typedef struct pl_imitate_stats {
    int32_t steps;
    int32_t snapped;     /* steps whose expert cell was illegal: the nearest legal cell was taken */
    double mean_shift;   /* mean distance from the expert centre to the cell centre taken, µm */
} pl_imitate_stats;

/* Rolls the expert episode of environment e (reset here) from expert file `expert` into t (cleared
 * as episode -1 of `design`). src is e's source (design path and LEFs). stats may be NULL. */
pl_status pl_imitate_trajectory(pl_env *e, const pl_env_source *src, const char *expert, int32_t design, pl_traj *t,
                                pl_imitate_stats *stats);

#endif
