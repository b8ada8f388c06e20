/* rollout.h: collecting episodes: the learner's side (central inference) and local collection.
 *
 * The learner holds the network; for each in-flight episode j it receives an observation record,
 * runs the forward pass, draws the action from episode j's own stream pl_rng_derive(seed,
 * PL_ROLLOUT_STREAM, global episode index) (argmax when greedy), stores the step and answers the
 * action. So an episode's outcome depends only on the policy, the design and its index: it is the
 * same whichever process steps the environment (local, or an MPI actor, rl/mpi_seed.h).
 * Static observation parts are cached per design. Local collection steps the environments (loaded
 * lazily, one per design) in this process. Ownership: the rollout owns statics, envs, trajectories;
 * the network (gnn/net.h) is borrowed. init/free, free NULL-safe and idempotent. Errors: pl_status. One thread.
 */
#ifndef PL_RL_ROLLOUT_H
#define PL_RL_ROLLOUT_H

#include "gnn/net.h"
#include "rl/env.h"
#include "rl/traj.h"

#define PL_ROLLOUT_STREAM 0x524f4c4cull /* "ROLL" */

typedef struct pl_rollout_config {
    const pl_env_source *sources; /* (ndesigns), borrowed */
    int ndesigns;
    pl_env_config env;
    uint64_t seed;
    double prior_wire;  /* the wire-mask bias on the logits before the softmax (rl/obs.h), as pl_ppo_config's */
} pl_rollout_config;

typedef struct pl_rollout {
    pl_rollout_config cfg;
    pl_gnn_net *net;    /* borrowed: the network, on its device */
    pl_obs_static *st;  /* (ndesigns) */
    uint8_t *have_st;   /* (ndesigns) */
    pl_env *env;        /* (ndesigns), local collection */
    uint8_t *have_env;  /* (ndesigns) */
    float *x, *logits, *probs, *values; /* one network call's states */
    pl_gnn_obs *obs;
    size_t x_cap, l_cap, a_cap;
    int b_cap;
    pl_traj *traj;      /* (ntraj) this iteration's episodes */
    pl_rng *rng;        /* (ntraj) */
    int ntraj, traj_cap;
    int64_t steps;      /* environment steps collected in this iteration */
} pl_rollout;

pl_status pl_rollout_init(pl_rollout *ro, const pl_rollout_config *cfg, pl_gnn_net *net);
void pl_rollout_free(pl_rollout *ro);

/* Starts an iteration of M episodes: episode j runs design designs[j], global index first + j. */
pl_status pl_rollout_begin(pl_rollout *ro, const int32_t *designs, int M, int64_t first, int greedy);
/* Caches design d's static observation (taken over: *st is emptied). */
pl_status pl_rollout_set_static(pl_rollout *ro, int32_t d, pl_obs_static *st);
/* Learner step of episode j: rec is the observation, prev_reward the reward of its previous action. */
pl_status pl_rollout_act(pl_rollout *ro, int j, const void *rec, double prev_reward, int32_t *action);
/* The same for n observations at once (episodes j[k], distinct): one inference batch on CUDA
 * (pl_gnn_net_chunk); the actions are those n pl_rollout_act calls in this order would give. */
pl_status pl_rollout_act_batch(pl_rollout *ro, int n, const int *j, const void *const *rec, const double *prev_reward,
                               int32_t *action);
/* Episode j ended: reward of its last action and the environment's result. */
void pl_rollout_end(pl_rollout *ro, int j, double last_reward, const pl_env_result *res);
/* Design d's environment in this process (loaded on first use). */
pl_status pl_rollout_env(pl_rollout *ro, int32_t d, pl_env **out);
/* Runs every begun episode in this process. */
pl_status pl_rollout_local(pl_rollout *ro);
/* Runs episode j (begun, not yet stepped, or restarted) in this process. */
pl_status pl_rollout_local_episode(pl_rollout *ro, int j);
/* Episode j starts over: its steps are forgotten (and taken off ro->steps) and its stream rewound, so
 * that running it again anywhere gives the trajectory it would have had (an actor lost mid-episode). */
void pl_rollout_restart(pl_rollout *ro, int j);

#endif
