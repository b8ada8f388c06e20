/* prior.h: the placement prior: for the next macro of a partial placement, a weight per grid cell.
 *
 * The search (search/construct.h) places hard macros one by one on the cols x rows grid (cell = col +
 * row * cols, centre on the cell centre); before each step it fills a pl_prior_state (legality mask,
 * wire mask, edge map) and asks the prior for weights (A = cols * rows, >= 0, any scale); it samples a legal
 * cell in proportion to them. Built-ins: uniform (1 on every legal cell), wiremask (WireMask-BBO's
 * greedy signal: exp(-(cost - min) / (temperature * spread)), temperature 0 = argmin) and mix (a learned
 * policy's probabilities, supplied by the command layer, times the wire mask; see below). The cost of a
 * cell is its wire growth plus, when the search asks for it, an edge term (below). State arrays
 * are borrowed for the call. A prior's fn may be called from several threads at once (one state each);
 * it must be thread-safe or the search must run with one thread. Errors: a prior's own pl_status.
 */
#ifndef PL_SEARCH_PRIOR_H
#define PL_SEARCH_PRIOR_H

#include <stdint.h>

#include "cost/proxy.h"

typedef struct pl_prior_state {
    const pl_cost *cost;   /* net structure; positions of ports and soft macros (placed macros: see cells) */
    int32_t step, nsteps;  /* macros placed so far, macros to place */
    const int32_t *order;  /* (nsteps) netlist nodes in placement order */
    const int32_t *cells;  /* (step) cells chosen so far for order[0..step) */
    int32_t node;          /* order[step], the macro to place now */
    int32_t cols, rows;
    const uint8_t *mask;   /* (A) 1: the macro fits with its centre on this cell's centre */
    const double *wire;    /* (A) weighted HPWL increase of the macro's nets there (µm), counting the
                              pins of ports, soft macros, fixed and already placed macros */
    const double *edge;    /* (A) distance from the macro's footprint there to the nearest side of the region
                              macros must lie in, over half the region's smaller side: 0 against a side */
    double edge_weight;    /* the wire-mask term's cost of a cell is wire + edge_weight x spread x edge, spread
                              the mean of (wire - min) over the legal cells: a pull toward the sides, in units
                              of the choice's own scale (0: the wire alone) */
    double temperature;    /* the search's sampling temperature for this rollout (>= 0) */
} pl_prior_state;

typedef pl_status (*pl_prior_fn)(void *user, const pl_prior_state *st, double *weight /* (A) */);

typedef struct pl_prior {
    pl_prior_fn fn;
    void *user;
    const char *name; /* for reports: "wiremask", "uniform", a checkpoint path... */
    int first_alone;  /* 1: the search runs rollout 0 (the greedy one) alone, before any other: a prior that
                         records along it (search/policy_prior.h) needs the order of its calls fixed */
} pl_prior;

/* The most entries (macros x cells) a per-design table kept by a prior may hold (256 MB of floats): the online
 * preference (search/online.h) and a policy's greedy record (search/policy_prior.h) refuse larger designs. */
#define PL_PRIOR_TABLE_MAX ((int64_t)1 << 26)

pl_prior pl_prior_uniform(void);
pl_prior pl_prior_wiremask(void);

/* A learned prior: `probs` gives a probability per cell for the state (a trained policy, through the
 * command layer; it must be thread-safe), combined with the wire mask:
 *   weight(a) = p(a) * exp(-wire_weight * (cost(a) - min) / (T * spread))   on legal cells, 0 elsewhere,
 * cost, min and spread as the wiremask prior's, T the rollout's temperature; T == 0 (the greedy rollout)
 * puts weight 1 on the first argmax of that product at T = t_ref. wire_weight 0: the policy alone
 * (greedy: its argmax). Whatever probs writes on illegal cells is ignored. If p is 0 (or not finite)
 * on every legal cell, the weights are uniform over the legal cells and `fallbacks` counts it. */
typedef pl_status (*pl_prior_probs_fn)(void *user, const pl_prior_state *st, double *prob /* (A) */);

typedef struct pl_prior_mix {
    pl_prior_probs_fn probs;
    void *user;
    double wire_weight;        /* 1 */
    double t_ref;              /* 0.1, the search's default temperature */
    const char *name;
    int first_alone;           /* copied into the prior (above); 0 */
    _Atomic long long fallbacks; /* states where the uniform fallback was used */
    _Atomic long long calls;     /* states seen */
} pl_prior_mix;

void pl_prior_mix_init(pl_prior_mix *m, pl_prior_probs_fn probs, void *user, const char *name);
/* The prior that uses m (borrowed: m must outlive it). */
pl_prior pl_prior_mix_get(pl_prior_mix *m);

#endif
