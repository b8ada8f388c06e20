/* ppo.h: proximal policy optimisation on one iteration's trajectories (reference §3.2).
 *
 * Returns: Monte-Carlo with discount gamma (Circuit Training: gamma 1, no GAE), or GAE(lambda) as an
 * option; advantage = return - value at collection, normalised per design (mean 0, std 1 over that
 * design's steps in the batch). Loss per minibatch (mean over its samples): clipped surrogate +
 * vf_coef (V - R)^2 - ent_coef H; Adam with global-norm clipping (gnn/adam.h). Samples are shuffled
 * per epoch with pl_rng_derive(seed, PL_PPO_STREAM ^ iteration, epoch), visited in that order, and
 * every sum is in that fixed order: a CPU update is bit-reproducible. The model's grads are used
 * as scratch. Errors: pl_status (a non-finite gradient norm is PL_EINVAL). One thread.
 */
#ifndef PL_RL_PPO_H
#define PL_RL_PPO_H

#include "gnn/net.h"
#include "rl/traj.h"

#define PL_PPO_STREAM 0x50504f00ull /* "PPO" */

typedef struct pl_ppo_config {
    float clip;      /* importance-ratio clipping, 0.2 */
    float vf_coef;   /* value-loss coefficient, 0.5 */
    float ent_coef;  /* entropy bonus, 0.01 */
    float gamma;     /* discount, 1 */
    float lambda;    /* GAE lambda when gae, 0.95 */
    int gae;         /* 0: Monte-Carlo returns (Circuit Training) */
    int epochs;      /* 4 */
    int imitate;     /* 1: behaviour cloning: loss -log p(action) (+ the entropy bonus), no ratio, no value loss */
    int minibatch;   /* samples per gradient step, 128 */
    float prior_wire; /* the wire-mask prior's weight in the action distribution (rl/obs.h pl_obs_prior_bias), 0 */
    pl_gnn_adam_config adam; /* lr 4e-4, eps 1e-5, clip_norm 1 */
} pl_ppo_config;

void pl_ppo_config_default(pl_ppo_config *cfg);

typedef struct pl_ppo_stats {
    double policy_loss, value_loss, entropy, approx_kl, clip_frac, grad_norm;
    int64_t samples;
    int updates;
} pl_ppo_stats;

/* Fills ret and adv of the trajectories (n of them; designs < ndesigns). */
void pl_ppo_advantages(const pl_ppo_config *cfg, pl_traj *traj, int n, int ndesigns);
/* Advantages, then epochs x minibatches of updates of the network and its Adam state (net, on its device:
 * one state per network call on the CPU, a whole minibatch on CUDA). statics: (ndesigns). */
pl_status pl_ppo_update(const pl_ppo_config *cfg, pl_gnn_net *net, pl_traj *traj, int n,
                        const pl_obs_static *statics, int ndesigns, uint64_t seed, int64_t iteration,
                        pl_ppo_stats *stats);

#endif
