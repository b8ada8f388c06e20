/* prior.c: the built-in priors (uniform, wire mask); see prior.h. */
#include "search/prior.h"

#include <math.h>

static pl_status uniform_fn(void *user, const pl_prior_state *st, double *weight)
{
    (void)user;
    int32_t A = st->cols * st->rows;
    for (int32_t a = 0; a < A; a++) weight[a] = st->mask[a] ? 1.0 : 0.0;
    return PL_OK;
}

/* exp(-(wire - min) / (T * spread)) over legal cells, spread = mean of (wire - min) over them (the
 * scale of the choice, so the temperature is dimensionless). T == 0 or no spread: the first argmin. */
static pl_status wiremask_fn(void *user, const pl_prior_state *st, double *weight)
{
    (void)user;
    int32_t A = st->cols * st->rows, best = -1, n = 0;
    double lo = INFINITY, sum = 0;
    for (int32_t a = 0; a < A; a++) {
        weight[a] = 0;
        if (!st->mask[a]) continue;
        if (st->wire[a] < lo) lo = st->wire[a], best = a;
        sum += st->wire[a];
        n++;
    }
    if (best < 0) return PL_OK;
    double spread = sum / n - lo;
    if (!(st->temperature > 0) || !(spread > 0)) {
        weight[best] = 1;
        return PL_OK;
    }
    double inv = 1.0 / (st->temperature * spread);
    for (int32_t a = 0; a < A; a++)
        if (st->mask[a]) weight[a] = exp(-(st->wire[a] - lo) * inv);
    return PL_OK;
}

pl_prior pl_prior_uniform(void) { return (pl_prior){uniform_fn, NULL, "uniform"}; }
pl_prior pl_prior_wiremask(void) { return (pl_prior){wiremask_fn, NULL, "wiremask"}; }
