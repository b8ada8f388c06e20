/* softcost.c: the proxy cost as a mean over soft placements; see softcost.h. */
#include "cluster/softcost.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/rng.h"
#include "gplace/parallel.h"

int pl_soft_applies(const pl_problem *p) { return p->clustered && !p->prep.fd_mixed; }

uint64_t pl_soft_run_seed(uint64_t fd_seed, int j)
{
    uint64_t st = fd_seed, v = fd_seed;
    for (int i = 0; i < j; i++) v = pl_splitmix64(&st);
    return v;
}

/* Places the soft macros of nl on run j's stream and costs the result into *c (built here). */
static pl_status place_and_cost(const pl_problem *p, pl_netlist *nl, int j, pl_cost *c)
{
    pl_fd_config fc;
    pl_problem_fd_config(p, &fc);
    fc.seed = pl_soft_run_seed(p->fd_seed, j);
    PL_TRY(pl_fd_place(nl, &fc, NULL));
    return pl_cost_init(c, nl, &p->cost);
}

typedef struct runs_ctx {
    const pl_problem *p;
    const pl_netlist *nl;    /* read-only while the workers run */
    int runs;
    pl_cost_terms *terms;    /* (runs) */
    pl_status *status;       /* (runs) */
    char (*msg)[256];        /* (runs) the failing run's message (thread-local in the worker) */
} runs_ctx;

/* Worker t: runs t, t + nt, ... except run 0, each on its own view of nl. */
static void runs_task(void *ctx_, int t, int nt)
{
    runs_ctx *r = ctx_;
    for (int j = t; j < r->runs; j += nt) {
        if (j == 0) continue;
        pl_netlist view;
        pl_cost c;
        pl_status s = pl_netlist_view_init(&view, r->nl);
        if (s == PL_OK) {
            s = place_and_cost(r->p, &view, j, &c);
            if (s == PL_OK) {
                pl_cost_terms_get(&c, &r->terms[j]);
                pl_cost_free(&c);
            }
            pl_netlist_view_free(&view);
        }
        r->status[j] = s;
        if (s != PL_OK) snprintf(r->msg[j], sizeof r->msg[j], "%s", pl_errmsg());
    }
}

pl_status pl_soft_cost(const pl_problem *p, pl_netlist *nl, int threads, pl_cost *c, int *has_cost,
                       pl_soft_mean *out)
{
    int runs = p->soft_runs > 1 ? p->soft_runs : 1;
    runs_ctx r = {.p = p, .nl = nl, .runs = runs};
    r.terms = calloc((size_t)runs, sizeof *r.terms);
    r.status = calloc((size_t)runs, sizeof *r.status);
    r.msg = calloc((size_t)runs, sizeof *r.msg);
    pl_status s = PL_OK;
    if (!r.terms || !r.status || !r.msg) s = pl_err(PL_ENOMEM, "out of memory for %d soft placements", runs);
    if (s == PL_OK && runs > 1) {
        int nt = threads > 1 ? threads : 1;
        if (nt > runs - 1) nt = runs - 1;
        pl_gp_parallel(nt, runs_task, &r);
        for (int j = 1; j < runs && s == PL_OK; j++)
            if (r.status[j] != PL_OK) s = pl_err(r.status[j], "soft placement %d of %d: %s", j + 1, runs, r.msg[j]);
    }
    /* run 0 on nl itself, after the views were taken from it */
    if (s == PL_OK) {
        if (*has_cost) pl_cost_free(c);
        *has_cost = 0;
        s = place_and_cost(p, nl, 0, c);
        if (s == PL_OK) {
            *has_cost = 1;
            pl_cost_terms_get(c, &r.terms[0]);
        }
    }
    if (s == PL_OK) {
        pl_cost_terms sum = {0};
        double lo = INFINITY, hi = -INFINITY;
        for (int j = 0; j < runs; j++) {
            const pl_cost_terms *t = &r.terms[j];
            sum.wirelength += t->wirelength, sum.wirelength_cost += t->wirelength_cost;
            sum.density_cost += t->density_cost, sum.congestion_cost += t->congestion_cost;
            sum.proxy_cost += t->proxy_cost;
            lo = fmin(lo, t->proxy_cost), hi = fmax(hi, t->proxy_cost);
        }
        out->mean.wirelength = sum.wirelength / runs, out->mean.wirelength_cost = sum.wirelength_cost / runs;
        out->mean.density_cost = sum.density_cost / runs, out->mean.congestion_cost = sum.congestion_cost / runs;
        out->mean.proxy_cost = sum.proxy_cost / runs;
        out->runs = runs;
        out->min = lo, out->max = hi;
        out->spread = out->mean.proxy_cost > 0 ? (hi - lo) / out->mean.proxy_cost : 0;
    }
    free(r.terms);
    free(r.status);
    free(r.msg);
    return s;
}
