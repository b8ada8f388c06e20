/* place_ctx.h: what the stages of the placement pipeline share: the run's context, candidates,
 * views, their evaluation (as `placer eval` evaluates) and a worker pool.
 *
 * A pl_place_ctx is one run: the prepared problem, the base cost (as prepared), the construction
 * context, the geometry and the clock; the driver (place.c) fills it, the stages (place_search.c,
 * place_refine.c) use it. A pl_place_cand is a complete placement of the movable macros (centres in
 * the clustered netlist's coordinates and orientations, in k.order). Workers share the ctx read-only
 * except under `lock`. Internal to search/: not part of the public interface.
 */
#ifndef PL_SEARCH_PLACE_CTX_H
#define PL_SEARCH_PLACE_CTX_H

#include <pthread.h>

#include "cluster/problem.h"
#include "cluster/softcost.h"
#include "search/construct.h"
#include "search/place_config.h"

typedef struct pl_place_ctx {
    const pl_place_config *cfg;
    pl_problem *prob;         /* the prepared design: prob->nl clustered, prob->flat as read */
    pl_netlist *flat;         /* &prob->flat */
    pl_cost_config ccfg;      /* prob->cost */
    pl_cost base;
    int has_base;
    pl_construct k;
    double region[4];
    double *obs;              /* (nobs, 4) hard placement blockages */
    int32_t nobs;
    int32_t *flat_of;         /* (k.n) flat node of each movable macro */
    int flips;
    pl_legalize_config legal;  /* cfg->legal with the channel this run keeps (narrowed: cfg->channel_narrow) */
    int no_start;             /* set by the search when no start legalised */
    double t0, deadline, reserve, prepare_seconds;
    pthread_mutex_t lock;
    struct pl_place_cand *starts; /* (nstarts) FD-evaluated starts for refinement, best first */
    int nstarts;
    struct pl_place_cand *finals; /* (nfinals) each refinement chain's best (kept for the referee) */
    int nfinals;
} pl_place_ctx;

typedef struct pl_place_cand {
    double *x, *y;            /* (n) centres */
    uint8_t *o;               /* (n) orientations */
    double quick;             /* cost with the soft macros as prepared */
    double proxy;             /* cost after FD of the soft macros */
    pl_cost_terms terms;
    double hpwl;
    int32_t index;            /* rollout index, -1 for the FD start */
    int ok;
} pl_place_cand;

/* Σ weight x HPWL over hard-macro pins of nets with at least two of them (c's current state). */
double pl_place_macro_hpwl(const pl_cost *c);
pl_status pl_place_cand_alloc(pl_place_cand *cd, int32_t n);
void pl_place_cand_free(pl_place_cand *cd);
void pl_place_cand_copy(pl_place_cand *dst, const pl_place_cand *src, int32_t n);
void pl_place_cand_from_cost(const pl_place_ctx *x, const pl_cost *c, pl_place_cand *cd);
/* Legalises cd through fview (a view of the flat netlist; NULL: as it is), puts it into view (of the
 * clustered netlist), places the soft macros by FD as eval does and rebuilds c on view. */
pl_status pl_place_evaluate(const pl_place_ctx *x, pl_netlist *view, pl_netlist *fview, pl_cost *c, int *has_cost,
                            pl_place_cand *cd);
pl_status pl_place_parallel(pl_place_ctx *x, int64_t n, pl_status (*fn)(pl_place_ctx *, void *, int64_t, void *),
                            void *arg, size_t local_size, pl_status (*local_init)(pl_place_ctx *, void *),
                            void (*local_free)(void *));
void pl_place_progress(pl_place_ctx *x, const char *stage, double done, double best);

/* The macros of `flat` (x->flat or a view of it, legalised) put into view (of the clustered netlist),
 * the soft macros placed and c rebuilt, exactly as `placer eval` evaluates the written DEF: cd gets the
 * mean terms over the problem's soft_runs placements (cluster/softcost.h; 1 for a CT netlist; sm
 * their figures, view and c the first one). Only cd's terms, proxy, hpwl and ok are set. */
pl_status pl_place_evaluate_flat(const pl_place_ctx *x, const pl_netlist *flat, pl_netlist *view, pl_cost *c,
                                 int *has_cost, pl_place_cand *cd, pl_soft_mean *sm);
/* Writes the candidate's macros into flat (x->flat or a view of it: PLACED, lower-left in die
 * coordinates). */
void pl_place_cand_to_flat(const pl_place_ctx *x, const pl_place_cand *cd, pl_netlist *flat);
/* The prepared (FD) macro positions, legalised: a start that needs no grid; *ok 0 if they do not
 * legalise. The flat netlist is left as it was. */
pl_status pl_place_fd_start(pl_place_ctx *x, pl_place_cand *cd, int *ok);

#endif
