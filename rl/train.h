/* train.h: the training loop: collect, PPO update, log, checkpoint; resume and fine-tuning.
 *
 * Iteration i (0-based) < imitate is behaviour cloning of the designs' experts (rl/imitate.h); any later one runs M episodes with global indices i*M .. i*M+M-1 (designs by the suite's
 * schedule), collected locally or on MPI actors (rl/mpi_seed.h), then one PPO update; the log gets one
 * JSON line "iteration": i+1, and every ckpt_every iterations (and at the end) the checkpoint
 * (model + Adam, step = iterations done) is written atomically to `out`. Resume: the state comes from
 * `out`, the log is trimmed to its step, and the run goes on to `iterations` in all: on CPU the final
 * checkpoint is byte-identical to an uninterrupted run's. The seed is in the checkpoint (model seed).
 * Ownership: the caller owns config and suite; results are owned by pl_train_result (free it).
 * Errors: pl_status. Rank 0 calls pl_train_run, other ranks pl_train_actor. One thread per process.
 */
#ifndef PL_RL_TRAIN_H
#define PL_RL_TRAIN_H

#include "gnn/gpu.h"
#include "gnn/model.h"
#include "rl/ppo.h"
#include "rl/suite.h"

typedef struct pl_train_config {
    int iterations;     /* total, 10 */
    int episodes;       /* per iteration, 32 */
    int ckpt_every;     /* 1 */
    int slots;          /* environments per MPI actor, 2 */
    double mpi_timeout; /* seconds: the longest MPI wait (rl/mpi_seed.h), 600; 0: no limit */
    uint64_t seed;      /* 1 */
    const char *out;    /* checkpoint path (required) */
    const char *init;   /* fine-tune from this checkpoint (parameters only) */
    const char *log;    /* JSON-lines log, NULL: none */
    int resume;
    int greedy_eval;    /* 1: place every design greedily at the end */
    pl_gnn_device device; /* where the learner's network runs: CPU or CUDA (resolved by the caller; AUTO = CPU) */
    int imitate;        /* the first `imitate` iterations clone the suite's experts (rl/imitate.h): one PPO-shaped
                         * update on the expert trajectories with the loss -log p(expert cell), no rollouts */
    double side_init;   /* a fresh network with the side term (gnn.side): its logit weight at the start, in logits
                         * at side = 1 (side_w = side_init / PL_GNN_SIDE_SCALE; negative: toward the sides), 0 */
    pl_ppo_config ppo;
    pl_gnn_config gnn;
    pl_env_config env;
} pl_train_config;

void pl_train_config_default(pl_train_config *cfg);

typedef struct pl_train_result {
    int ndesigns;
    int64_t iterations_done;
    pl_env_result *greedy; /* (ndesigns) when greedy_eval */
    char (*names)[PL_OBS_NAME];
    double last_reward_mean, best_reward;
    double steps_per_s, episodes_per_s; /* collection throughput over the run */
    const char *device; /* "cpu" or "cuda": where the network ran */
    int actors_lost;    /* MPI actors dropped on the way (mpirun --enable-recovery): skip MPI_Finalize */
} pl_train_result;

void pl_train_result_free(pl_train_result *r);
/* Under MPI it tells the actors to stop at its end, after an error too. */
pl_status pl_train_run(const pl_train_config *cfg, const pl_suite *suite, pl_train_result *res);
/* *peers_lost: 1 when the learner dropped ranks (pl_seed_actor): do not call MPI_Finalize then. */
pl_status pl_train_actor(const pl_train_config *cfg, const pl_suite *suite, int *peers_lost);

#endif
