/* mpi_seed.h: distributed rollouts over MPI in the SEED RL design (reference peers §7).
 *
 * Rank 0 is the learner: it holds the only network, hands episodes out (design, index) to the
 * actors' slots, answers every observation with an action (central inference through
 * pl_rollout_act, all observations pending at that moment in one batch) and stores the
 * trajectories. Ranks 1..N-1 are actors: each runs `slots` environments (loaded lazily per design
 * and slot), sends a design's static observation once, then one record per step, and the result at
 * the end of an episode; they never hold the network. Since each episode's randomness belongs to
 * the episode (rl/rollout.h), the trajectories do not depend on the number of actors or slots.
 * Without PL_HAVE_MPI every function returns PL_ENOTSUP. Errors: PL_EMPI naming the call; the
 * caller (placer train) logs its rank and calls MPI_Abort. One thread per process.
 */
#ifndef PL_RL_MPI_SEED_H
#define PL_RL_MPI_SEED_H

#include "rl/rollout.h"

/* This process's rank and the world size (0 and 1 without MPI or when MPI is not initialised). */
void pl_seed_world(int *rank, int *size);
/* Learner: runs the episodes begun in ro on the actors. */
pl_status pl_seed_collect(pl_rollout *ro, int slots);
/* Learner: tells every actor to return from pl_seed_actor. */
pl_status pl_seed_stop(void);
/* Actor: serves episodes until the learner says stop. */
pl_status pl_seed_actor(const pl_env_source *sources, int ndesigns, const pl_env_config *cfg, int slots);
/* Logs "[train] rank R: error: MSG" and aborts every rank (MPI_Abort); returns only without MPI. */
void pl_seed_abort(pl_status s);

#endif
