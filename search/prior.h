/* prior.h: the placement prior: for the next macro of a partial placement, a weight per grid cell.
 *
 * The search (search/construct.h) places hard macros one by one on the cols x rows grid (cell = col +
 * row * cols, centre on the cell centre); before each step it fills a pl_prior_state (legality mask,
 * wire mask) and asks the prior for weights (A = cols * rows, >= 0, any scale); it samples a legal
 * cell in proportion to them. A learned policy plugs in as one more pl_prior from the command layer.
 * Built-ins: uniform (1 on every legal cell) and wiremask (WireMask-BBO's greedy signal: the weighted
 * HPWL increase, exp(-(wire - min) / (temperature * spread)), temperature 0 = argmin). State arrays
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
    double temperature;    /* the search's sampling temperature for this rollout (>= 0) */
} pl_prior_state;

typedef pl_status (*pl_prior_fn)(void *user, const pl_prior_state *st, double *weight /* (A) */);

typedef struct pl_prior {
    pl_prior_fn fn;
    void *user;
    const char *name; /* for reports: "wiremask", "uniform", a checkpoint path... */
} pl_prior;

pl_prior pl_prior_uniform(void);
pl_prior pl_prior_wiremask(void);

#endif
