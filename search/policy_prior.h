/* policy_prior.h: a trained policy (rl/policy.h) as the search's prior (search/prior.h's mix).
 *
 * The search calls the prior from its worker threads with the clustered netlist of its cost; the
 * policy's view of that design is built on the first call (under the lock) and each call borrows one
 * work slot from a pool, so the network runs on up to PL_POLICY_PRIOR_SLOTS threads without sharing
 * buffers. One prior serves one design (a second design is PL_EINVAL). Ownership: the caller owns the
 * struct (it must not move while the prior is in use); init/free, free NULL-safe and idempotent.
 * Errors: those of pl_policy_load (the checkpoint named), PL_ENOMEM. Deterministic: a call's
 * probabilities depend on the state only, not on the slot or the thread.
 */
#ifndef PL_SEARCH_POLICY_PRIOR_H
#define PL_SEARCH_POLICY_PRIOR_H

#include <pthread.h>

#include "rl/policy.h"
#include "search/prior.h"

enum { PL_POLICY_PRIOR_SLOTS = 64 };

typedef struct pl_policy_slot {
    pl_policy_work w;
    double *xy; /* (nsteps, 2) */
} pl_policy_slot;

typedef struct pl_policy_prior {
    pl_policy pol;
    const char *path;
    pthread_mutex_t lock;
    const pl_netlist *nl; /* the design d was built for */
    int has_design;
    pl_policy_design d;
    pl_policy_slot *slot[PL_POLICY_PRIOR_SLOTS];
    int nslots, nidle;
    pl_policy_slot *idle[PL_POLICY_PRIOR_SLOTS];
    pl_prior_mix mix;         /* the prior: pl_prior_mix_get(&mix) */
    int loaded;
} pl_policy_prior;

/* Loads the checkpoint at path (borrowed) onto device (auto, cpu or cuda: rl/policy.h) and sets up the mix with
 * wire_weight (search/prior.h). */
pl_status pl_policy_prior_init(pl_policy_prior *g, const char *path, double wire_weight, pl_gnn_device device);
void pl_policy_prior_free(pl_policy_prior *g);

#endif
