/* online.h: learning while placing: a preference over grid cells for each macro, learned on the target
 * design from the search's own rollouts by the cross-entropy method, and the prior that applies it.
 *
 * The search (search/place_search.c) runs its rollouts in generations. After each, the preference of
 * every macro moves toward the cells the best rollouts so far (the elites) gave it:
 *   q_j <- (1 - rate) q_j + rate f_j,
 * f_j the elites' cells for macro j, each spread over its 3x3 neighbourhood ([1 2 1] x [1 2 1], cut at the
 * grid's border and renormalised), averaged over the elites. q_j starts uniform (1/A) and stays a
 * distribution over the A cells, positive everywhere. The next generation samples from the search's prior
 * times q: weight(a) = base(a) x q_j(a), so the prior sharpens as the run goes; macros keep their legality
 * mask and the base prior's wire and edge terms. A greedy base (temperature 0: one cell) is left as it is.
 * Ownership: init/free pair, free NULL-safe and idempotent; the prior borrows the pl_online and the base.
 * Threads: the prior only reads q (any number of threads); update writes it, between generations.
 * Errors: PL_ENOMEM, PL_EINVAL (sizes), the base prior's.
 */
#ifndef PL_SEARCH_ONLINE_H
#define PL_SEARCH_ONLINE_H

#include <stdint.h>

#include "search/prior.h"

typedef struct pl_online {
    int32_t n, cols, rows, A; /* macros (placement order), grid */
    double rate;              /* weight of the new elites' cells in an update, (0, 1] */
    float *q;                 /* (n, A) preference of macro j for cell a; each row sums to 1 */
    double *f;                /* (A) scratch of an update: the elites' cells of one macro */
    int64_t updates;          /* updates done */
} pl_online;

pl_status pl_online_init(pl_online *o, int32_t n, int32_t cols, int32_t rows, double rate);
void pl_online_free(pl_online *o);

/* One cross-entropy step toward the elites: cells (R, n) the rollouts' cells (row r = rollout r, cell of
 * macro j in placement order), elite (ne >= 1) the rows to learn from. ne == 0: nothing changes. */
void pl_online_update(pl_online *o, const int32_t *cells, const int64_t *elite, int64_t ne);

/* The base prior times the learned preference (see above). */
typedef struct pl_online_prior {
    const pl_online *online;
    pl_prior base;
} pl_online_prior;

/* The prior that uses p (borrowed: p, its pl_online and its base must outlive it). */
pl_prior pl_online_prior_get(pl_online_prior *p);

#endif
