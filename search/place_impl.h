/* place_impl.h: internals shared by search/place.c, place_search.c and place_refine.c.
 *
 * A pl_place_ctx is one run: the prepared design, the base cost (as prepared), the construction
 * context, the geometry and the clock. A pl_place_cand is a complete placement of the movable macros
 * (centres in the clustered netlist's coordinates and orientations, in k.order). Workers share the
 * ctx read-only except under `lock`. Not part of the public interface.
 */
#ifndef PL_SEARCH_PLACE_IMPL_H
#define PL_SEARCH_PLACE_IMPL_H

#include <pthread.h>

#include "search/construct.h"
#include "search/place.h"

typedef struct pl_place_ctx {
    const pl_place_config *cfg;
    pl_netlist *flat;
    pl_prepare prep;
    pl_cost_config ccfg;
    pl_cost base;
    int has_base;
    pl_construct k;
    double region[4];
    double *obs;              /* (nobs, 4) hard placement blockages */
    int32_t nobs;
    int32_t *flat_of;         /* (k.n) flat node of each movable macro */
    uint64_t fd_seed;         /* the FD stream prepare uses for this seed */
    int flips;
    pl_legalize_config legal_search;
    double t0, deadline, reserve, prepare_seconds;
    pthread_mutex_t lock;
    struct pl_place_cand *starts; /* (nstarts) FD-evaluated starts for refinement, best first */
    int nstarts;
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

double pl_place_now(void);
pl_status pl_place_view_init(pl_netlist *view, const pl_netlist *base);
void pl_place_view_free(pl_netlist *view);
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
int pl_place_out_of_time(const pl_place_ctx *x, double reserve);

/* The prepared (FD) macro positions, legalised: a start that needs no grid; *ok 0 if they do not
 * legalise. The flat netlist is left as it was. */
pl_status pl_place_fd_start(pl_place_ctx *x, pl_place_cand *cd, int *ok);

/* Rollouts, then FD evaluation of the best; the starts are kept in x for refinement. */
pl_status pl_place_search(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best);
/* Chains from the starts found by the search; best gets the winner. */
pl_status pl_place_refine(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best);

#endif
