/* policy_prior.h: a trained policy (rl/policy.h) as the search's prior (search/prior.h's mix).
 *
 * Two ways to evaluate the network (pl_policy_eval):
 *   state  : at every state of every rollout (one network call per step: about 40x a wire-mask step on
 *            Ariane, docs/training.md);
 *   greedy : along the search's first rollout only (rollout 0, the greedy one, which the search runs
 *            alone first: prior.h first_alone). Each of its states' probabilities is recorded, per step;
 *            every later call for step j replays the record of step j, whatever the rollout's own state:
 *            the rollout's own state enters through the legality mask and the wire-mask term of the mix.
 *            Cells the recorded state had taken (probability 0 there) get the geometric mean of the
 *            recorded legal cells' probabilities (no opinion); steps past the end of the record (the first
 *            rollout stopped early) get a uniform map (the wire mask alone). One network call per macro
 *            per search. A record past PL_PRIOR_TABLE_MAX floats (prior.h) is refused with a warning: state mode then.
 * The search calls the prior from its worker threads with the clustered netlist of its cost; the
 * policy's view of that design is built on the first call (under the lock) and each call borrows one
 * work slot from a pool, so the network runs on up to PL_POLICY_PRIOR_SLOTS threads without sharing
 * buffers. One prior serves one design (a second design is PL_EINVAL). Ownership: the caller owns the
 * struct (it must not move while the prior is in use); init/free, free NULL-safe and idempotent.
 * Errors: those of pl_policy_load (the checkpoint named), PL_ENOMEM. Deterministic: state mode, a call's
 * probabilities depend on the state only; greedy mode, on the step and the first rollout (itself
 * deterministic) only; neither on the slot or the thread.
 */
#ifndef PL_SEARCH_POLICY_PRIOR_H
#define PL_SEARCH_POLICY_PRIOR_H

#include <pthread.h>

#include "rl/policy.h"
#include "search/prior.h"

enum { PL_POLICY_PRIOR_SLOTS = 64 };

typedef enum pl_policy_eval { PL_POLICY_EVAL_GREEDY = 0, PL_POLICY_EVAL_STATE = 1 } pl_policy_eval;

/* "greedy" or "state". */
const char *pl_policy_eval_name(pl_policy_eval e);

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
    pl_policy_eval eval;
    float *ref;               /* greedy: (nsteps, A) the recorded probabilities */
    int32_t nref;             /* greedy: steps recorded */
    int recording;            /* greedy: 1 until a call breaks the first rollout's sequence of steps */
    int busy;                 /* greedy: a step is being recorded */
    _Atomic long long network; /* network calls */
    int loaded;
} pl_policy_prior;

/* Loads the checkpoint at path (borrowed) onto device (auto, cpu or cuda: rl/policy.h) and sets up the mix with
 * wire_weight (search/prior.h), evaluating the network as eval says (above). */
pl_status pl_policy_prior_init(pl_policy_prior *g, const char *path, double wire_weight, pl_gnn_device device,
                               pl_policy_eval eval);
void pl_policy_prior_free(pl_policy_prior *g);

#endif
