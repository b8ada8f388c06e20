/* online.c: the cross-entropy preference learned while placing, and its prior; see online.h. */
#include "search/online.h"

#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"

pl_status pl_online_init(pl_online *o, int32_t n, int32_t cols, int32_t rows, double rate)
{
    *o = (pl_online){0};
    if (n < 1 || cols < 1 || rows < 1 || !(rate > 0 && rate <= 1))
        return pl_err(PL_EINVAL, "online: %d macros on a %dx%d grid at rate %g", n, cols, rows, rate);
    int64_t A = (int64_t)cols * rows;
    if ((int64_t)n * A > PL_PRIOR_TABLE_MAX)
        return pl_err(PL_EINVAL, "online: %d macros x %lld cells is more than the %lld preferences it may hold", n,
                      (long long)A, (long long)PL_PRIOR_TABLE_MAX);
    if (!PL_ALLOC(o->q, (int64_t)n * A) || !PL_ALLOC(o->f, A)) {
        pl_online_free(o);
        return pl_err(PL_ENOMEM, "online: out of memory for %d x %lld", n, (long long)A);
    }
    o->n = n, o->cols = cols, o->rows = rows, o->A = (int32_t)A, o->rate = rate;
    for (int64_t i = 0; i < (int64_t)n * A; i++) o->q[i] = (float)(1.0 / (double)A);
    return PL_OK;
}

void pl_online_free(pl_online *o)
{
    if (!o) return;
    free(o->q);
    free(o->f);
    o->q = NULL, o->f = NULL;
}

/* Adds the 3x3 neighbourhood of cell `a` ([1 2 1] x [1 2 1] inside the grid, summing to `mass`) to f. */
static void spread_cell(const pl_online *o, double *f, int32_t a, double mass)
{
    static const double k[3] = {1, 2, 1};
    int32_t c = a % o->cols, r = a / o->cols;
    double sum = 0;
    for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++)
            if (c + dc >= 0 && c + dc < o->cols && r + dr >= 0 && r + dr < o->rows) sum += k[dc + 1] * k[dr + 1];
    for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++)
            if (c + dc >= 0 && c + dc < o->cols && r + dr >= 0 && r + dr < o->rows)
                f[(r + dr) * o->cols + c + dc] += mass * k[dc + 1] * k[dr + 1] / sum;
}

void pl_online_update(pl_online *o, const int32_t *cells, const int64_t *elite, int64_t ne)
{
    if (ne < 1) return;
    double *f = o->f;
    for (int32_t j = 0; j < o->n; j++) {
        for (int32_t a = 0; a < o->A; a++) f[a] = 0;
        for (int64_t e = 0; e < ne; e++) {
            int32_t a = cells[elite[e] * o->n + j];
            if (a >= 0 && a < o->A) spread_cell(o, f, a, 1.0 / (double)ne);
        }
        float *q = o->q + (int64_t)j * o->A;
        double total = 0;
        for (int32_t a = 0; a < o->A; a++) total += (1 - o->rate) * q[a] + o->rate * f[a];
        for (int32_t a = 0; a < o->A; a++) q[a] = (float)(((1 - o->rate) * q[a] + o->rate * f[a]) / total);
    }
    o->updates++;
}

/* weight(a) = base(a) x q_step(a); a greedy base (temperature 0) is kept as it is. */
static pl_status online_fn(void *user, const pl_prior_state *st, double *weight)
{
    const pl_online_prior *p = user;
    PL_TRY(p->base.fn(p->base.user, st, weight));
    const pl_online *o = p->online;
    if (!(st->temperature > 0) || st->step >= o->n || st->cols * st->rows != o->A) return PL_OK;
    const float *q = o->q + (int64_t)st->step * o->A;
    for (int32_t a = 0; a < o->A; a++) weight[a] = st->mask[a] ? weight[a] * (double)q[a] : 0;
    return PL_OK;
}

pl_prior pl_online_prior_get(pl_online_prior *p)
{
    return (pl_prior){online_fn, p, p->base.name, p->base.first_alone};
}
