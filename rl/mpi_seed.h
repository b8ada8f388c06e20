/* mpi_seed.h: distributed rollouts over MPI in the SEED RL design (reference peers §7).
 *
 * Rank 0 is the learner: it holds the only network, hands episodes (design, index) to the actors'
 * slots, answers every observation with an action (all observations pending at that moment in one
 * inference batch, pl_rollout_act) and stores the trajectories. Ranks 1..N-1 are actors: `slots`
 * environments each, a design's static observation sent once, then one record per step and the
 * result; no network. Episodes own their randomness (rl/rollout.h): the trajectories do not depend on
 * the ranks or slots. Faults: every wait polls against timeout_s; an actor silent that long with
 * episodes in flight is an error, or with `recovery` dropped, its episodes run again elsewhere (by the
 * learner when no actor is left). Without PL_HAVE_MPI collection returns PL_ENOTSUP. Errors: PL_EMPI
 * naming the call or rank. Ownership: learner init/free. One thread per process.
 */
#ifndef PL_RL_MPI_SEED_H
#define PL_RL_MPI_SEED_H

#include "rl/rollout.h"

/* pl_seed_abort's MPI_Abort code for PL_EMPI (a lost or silent rank): EX_TEMPFAIL, worth a restart
 * from the last checkpoint (placer train --supervise); 1 for every other error. */
#define PL_SEED_EXIT_RETRY 75

typedef struct pl_seed_config {
    int slots;        /* environments per actor, 2 */
    double timeout_s; /* the longest wait for any message, 600; 0: no limit */
    int recovery;     /* 1: drop a lost actor and go on; 0: a lost actor is an error */
} pl_seed_config;

/* Defaults; recovery is 1 when this process was started by `mpirun --enable-recovery`. */
void pl_seed_config_default(pl_seed_config *cfg);

/* The learner's view of its actors, kept across collections. */
typedef struct pl_seed_learner {
    pl_seed_config cfg;
    int nact;      /* actor ranks at the start: world size - 1 (0 without MPI) */
    uint8_t *lost; /* (nact + 1) by rank: 1 once dropped */
    int nlost;
} pl_seed_learner;

/* This process's rank and the world size (0 and 1 without MPI or when MPI is not initialised). */
void pl_seed_world(int *rank, int *size);
pl_status pl_seed_learner_init(pl_seed_learner *L, const pl_seed_config *cfg);
void pl_seed_learner_free(pl_seed_learner *L);
/* Actors still serving. */
int pl_seed_actors(const pl_seed_learner *L);
/* Learner: runs the episodes begun in ro on the actors. */
pl_status pl_seed_collect(pl_seed_learner *L, pl_rollout *ro);
/* Learner: tells every actor still there to return from pl_seed_actor. */
pl_status pl_seed_stop(pl_seed_learner *L);
/* Actor: serves episodes until the learner says stop; *peers_lost gets 1 when the learner dropped
 * ranks (then MPI_Finalize would wait for them: skip it, as the learner does). */
pl_status pl_seed_actor(const pl_env_source *sources, int ndesigns, const pl_env_config *cfg, const pl_seed_config *sc,
                        int *peers_lost);
/* Logs "[train] rank R: error: MSG" and aborts every rank (MPI_Abort, code PL_SEED_EXIT_RETRY for
 * PL_EMPI, else 1); returns only without MPI. */
void pl_seed_abort(pl_status s);

#endif
