/* prior.c: the built-in priors (uniform, wire mask); see prior.h. */
#include "search/prior.h"

#include <math.h>
#include <stdatomic.h>

static pl_status uniform_fn(void *user, const pl_prior_state *st, double *weight)
{
    (void)user;
    int32_t A = st->cols * st->rows;
    for (int32_t a = 0; a < A; a++) weight[a] = st->mask[a] ? 1.0 : 0.0;
    return PL_OK;
}

/* The scale of the wire-mask term: spread = mean of (wire - min) over the legal cells (0 when none is legal
 * or all are equal). */
static double wire_spread(const pl_prior_state *st)
{
    int32_t A = st->cols * st->rows, n = 0;
    double lo = INFINITY, sum = 0;
    for (int32_t a = 0; a < A; a++) {
        if (!st->mask[a]) continue;
        lo = fmin(lo, st->wire[a]);
        sum += st->wire[a];
        n++;
    }
    return n ? sum / n - lo : 0;
}

/* A legal cell's cost: wire, plus the edge term (prior.h). */
static double cell_cost(const pl_prior_state *st, int32_t a, double spread)
{
    return st->edge_weight > 0 && st->edge ? st->wire[a] + st->edge_weight * spread * st->edge[a] : st->wire[a];
}

/* exp(-(cost - min) / (T * spread)) over legal cells, spread the wire's (dimensionless temperature).
 * T == 0 or no spread: the first argmin. */
static pl_status wiremask_fn(void *user, const pl_prior_state *st, double *weight)
{
    (void)user;
    int32_t A = st->cols * st->rows, best = -1;
    double spread = wire_spread(st), lo = INFINITY;
    for (int32_t a = 0; a < A; a++) {
        weight[a] = 0;
        if (!st->mask[a]) continue;
        double v = cell_cost(st, a, spread);
        if (v < lo) lo = v, best = a;
    }
    if (best < 0) return PL_OK;
    if (!(st->temperature > 0) || !(spread > 0)) {
        weight[best] = 1;
        return PL_OK;
    }
    double inv = 1.0 / (st->temperature * spread);
    for (int32_t a = 0; a < A; a++)
        if (st->mask[a]) weight[a] = exp(-(cell_cost(st, a, spread) - lo) * inv);
    return PL_OK;
}

pl_prior pl_prior_uniform(void) { return (pl_prior){uniform_fn, NULL, "uniform", 0}; }
pl_prior pl_prior_wiremask(void) { return (pl_prior){wiremask_fn, NULL, "wiremask", 0}; }

/* ---- mix: a learned policy's probabilities times the wire mask ---- */

void pl_prior_mix_init(pl_prior_mix *m, pl_prior_probs_fn probs, void *user, const char *name)
{
    m->probs = probs;
    m->user = user;
    m->wire_weight = 1;
    m->t_ref = 0.1;
    m->name = name;
    m->first_alone = 0;
    atomic_init(&m->fallbacks, 0);
    atomic_init(&m->calls, 0);
}

/* log weight(a) = log p(a) - wire_weight (cost(a) - min) / (T spread), computed in logs so that a
 * sharp wire term never underflows every cell; normalised by the maximum, so the best cell gets 1. */
static pl_status mix_fn(void *user, const pl_prior_state *st, double *weight)
{
    pl_prior_mix *m = user;
    int32_t A = st->cols * st->rows, n = 0;
    atomic_fetch_add(&m->calls, 1);
    PL_TRY(m->probs(m->user, st, weight));
    double mass = 0, lo = INFINITY, spread = wire_spread(st);
    for (int32_t a = 0; a < A; a++) {
        if (!st->mask[a]) {
            weight[a] = 0;
            continue;
        }
        double p = weight[a];
        if (!(p > 0) || !isfinite(p)) p = weight[a] = 0;
        mass += p;
        lo = fmin(lo, cell_cost(st, a, spread));
        n++;
    }
    if (n == 0) return PL_OK;
    if (!(mass > 0) || !isfinite(mass)) {
        atomic_fetch_add(&m->fallbacks, 1);
        for (int32_t a = 0; a < A; a++) weight[a] = st->mask[a] ? 1.0 : 0.0;
        return PL_OK;
    }
    double T = st->temperature > 0 ? st->temperature : m->t_ref;
    double k = m->wire_weight > 0 && spread > 0 && T > 0 ? m->wire_weight / (T * spread) : 0;
    double best = -INFINITY;
    int32_t arg = -1;
    for (int32_t a = 0; a < A; a++) {
        if (!st->mask[a]) continue;
        weight[a] = weight[a] > 0 ? log(weight[a]) - k * (cell_cost(st, a, spread) - lo) : -INFINITY;
        if (weight[a] > best) best = weight[a], arg = a;
    }
    for (int32_t a = 0; a < A; a++) {
        if (!st->mask[a] || !isfinite(weight[a])) weight[a] = 0;
        else weight[a] = st->temperature > 0 ? exp(weight[a] - best) : (a == arg ? 1.0 : 0.0);
    }
    return PL_OK;
}

pl_prior pl_prior_mix_get(pl_prior_mix *m)
{
    return (pl_prior){mix_fn, m, m->name ? m->name : "policy", m->first_alone};
}
