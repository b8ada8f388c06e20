/* traj.h: one episode's trajectory as the learner stores it: observation records and the policy's
 * outputs per step, then returns and advantages (filled by PPO).
 *
 * Layout: nsteps records of rec_bytes each in one buffer (recs), parallel per-step arrays.
 * Ownership: a pl_traj owns its arrays; pl_traj_free is NULL-safe and idempotent; pl_traj_clear
 * keeps the memory for the next episode. Errors: PL_ENOMEM. No threads.
 */
#ifndef PL_RL_TRAJ_H
#define PL_RL_TRAJ_H

#include <stddef.h>
#include <stdint.h>

#include "rl/env.h"

typedef struct pl_traj {
    int64_t episode;   /* global episode index (its random stream) */
    int32_t design;
    int greedy;
    int done;
    size_t rec_bytes;
    int32_t nsteps, cap;
    uint8_t *recs;     /* (nsteps, rec_bytes) */
    int32_t *action;   /* (nsteps) */
    float *logp;       /* (nsteps) log-probability of the action at collection */
    float *value;      /* (nsteps) value estimate at collection */
    float *reward;     /* (nsteps) */
    float *ret, *adv;  /* (nsteps) */
    pl_env_result res;
} pl_traj;

void pl_traj_init(pl_traj *t);
void pl_traj_free(pl_traj *t);
/* Empties t for a new episode of `design` with records of rec_bytes. */
void pl_traj_clear(pl_traj *t, int64_t episode, int32_t design, size_t rec_bytes, int greedy);
/* Appends a step (its reward 0; the collector sets reward[] when the environment gives it). */
pl_status pl_traj_push(pl_traj *t, const void *rec, int32_t action, float logp, float value);
const void *pl_traj_rec(const pl_traj *t, int32_t step);

#endif
