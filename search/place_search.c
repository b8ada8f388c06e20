/* place_search.c: the search stage: sampled rollouts from the prior, ranked by the quick cost (soft
 * macros as prepared), the best re-costed after FD; see place_search.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/rng.h"
#include "search/online.h"
#include "search/place_search.h"

#define STREAM_ROLLOUT 0x524f4c4cull /* "ROLL" */

typedef struct roll_arg {
    int32_t *cells;   /* (R, n) */
    double *quick;    /* (R) INFINITY: infeasible or not run */
    uint8_t *ran;     /* (R) */
    double until;     /* search deadline (0: none) */
    int64_t total;
    int64_t first;    /* the generation's first rollout: job i is rollout first + i */
    int learned;      /* 1: sample from the priors times the online preference (below) */
    pl_online_prior on_prior, on_rest;
} roll_arg;

typedef struct roll_local {
    pl_construct_work w;
    pl_cost c;
    int has_c;
} roll_local;

static pl_status roll_local_init(pl_place_ctx *x, void *l_)
{
    roll_local *l = l_;
    PL_TRY(pl_construct_work_init(&l->w, &x->k));
    PL_TRY(pl_cost_init(&l->c, x->prob->nl, &x->ccfg));
    l->has_c = 1;
    return PL_OK;
}

static void roll_local_free(void *l_)
{
    roll_local *l = l_;
    pl_construct_work_free(&l->w);
    if (l->has_c) pl_cost_free(&l->c);
}

/* The odd rollouts alone get the edge term (place_config.h edge_all). */
static int edge_split(const pl_place_config *cfg)
{
    return cfg->edge_weight > 0 && !cfg->edge_all;
}

/* The rollouts come in two families, the even and the odd ones: the edge term or `rest` in the odd ones only. */
static int two_families(const pl_place_config *cfg)
{
    return edge_split(cfg) || cfg->prior_alternate;
}

/* Rollout i uses cfg->rest, not cfg->prior (place_config.h prior_rollouts, prior_alternate). */
static int rollout_rest(const pl_place_config *cfg, int64_t i)
{
    if (cfg->prior_alternate) return i % 2 == 1;
    return cfg->prior_rollouts > 0 && i >= cfg->prior_rollouts;
}

/* Rollout k > 0 samples at temperature x {0.25, 0.5, 1, 2} in turn; rollout 0 is greedy. With the edge
 * term or the prior in the odd rollouts only, the pairs (2j, 2j + 1) share a temperature: rollouts 0 and 1
 * greedy. */
static double rollout_temperature(const pl_place_config *cfg, int64_t i)
{
    static const double mult[4] = {0.25, 0.5, 1, 2};
    if (two_families(cfg)) return i < 2 ? 0 : cfg->temperature * mult[(i / 2) % 4];
    return i == 0 ? 0 : cfg->temperature * mult[i % 4];
}

static double rollout_edge(const pl_place_config *cfg, int64_t i)
{
    return edge_split(cfg) && i % 2 == 0 ? 0 : cfg->edge_weight;
}

static pl_status roll_job(pl_place_ctx *x, void *arg_, int64_t i, void *l_)
{
    roll_arg *a = arg_;
    roll_local *l = l_;
    i += a->first;
    a->quick[i] = INFINITY;
    if (a->until > 0 && pl_clock_seconds() > a->until) return PL_OK;
    if (x->cfg->stop && *x->cfg->stop) return PL_OK;
    int32_t n = x->k.n, placed;
    pl_rng rng;
    pl_rng_derive(&rng, x->cfg->seed, STREAM_ROLLOUT, (uint64_t)i);
    int rest = rollout_rest(x->cfg, i);
    pl_prior learned = pl_online_prior_get(rest ? &a->on_rest : &a->on_prior);
    const pl_prior *pr = a->learned ? &learned : rest ? &x->cfg->rest : &x->cfg->prior;
    PL_TRY(pl_construct_rollout(&x->k, &l->w, pr, rollout_temperature(x->cfg, i), rollout_edge(x->cfg, i), &rng,
                                 &placed));
    a->ran[i] = 1;
    memcpy(a->cells + (size_t)i * (size_t)n, l->w.cells, (size_t)n * sizeof *a->cells);
    if (placed == n) {
        pl_status s = PL_OK;
        for (int32_t j = 0; j < n && s == PL_OK; j++) {
            double cx, cy;
            pl_construct_cell_center(&x->k, l->w.cells[j], &cx, &cy);
            s = pl_cost_move(&l->c, x->k.order[j], cx, cy);
        }
        pl_cost_terms t;
        pl_cost_terms_get(&l->c, &t);
        while (pl_cost_undo(&l->c)) {
        }
        pl_cost_commit(&l->c);
        PL_TRY(s);
        a->quick[i] = t.proxy_cost;
    }
    if ((i & 15) == 15) pl_place_progress(x, "search", (double)(i + 1) / (double)a->total, NAN);
    return PL_OK;
}

typedef struct eval_local {
    pl_netlist view, fview;
    pl_cost c;
    int has_c, has_view, has_fview;
} eval_local;

static pl_status eval_local_init(pl_place_ctx *x, void *l_)
{
    eval_local *l = l_;
    PL_TRY(pl_netlist_view_init(&l->view, x->prob->nl));
    l->has_view = 1;
    PL_TRY(pl_netlist_view_init(&l->fview, x->flat));
    l->has_fview = 1;
    return PL_OK;
}

static void eval_local_free(void *l_)
{
    eval_local *l = l_;
    if (l->has_c) pl_cost_free(&l->c);
    if (l->has_view) pl_netlist_view_free(&l->view);
    if (l->has_fview) pl_netlist_view_free(&l->fview);
}

static pl_status eval_job(pl_place_ctx *x, void *arg_, int64_t i, void *l_)
{
    pl_place_cand *cands = arg_;
    eval_local *l = l_;
    return pl_place_evaluate(x, &l->view, &l->fview, &l->c, &l->has_c, &cands[i]);
}

typedef struct ranked {
    double v;
    int64_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *p = a, *q = b;
    if (p->v != q->v) return p->v < q->v ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

static int cmp_cand(const void *a, const void *b)
{
    const pl_place_cand *p = a, *q = b;
    if (p->proxy != q->proxy) return p->proxy < q->proxy ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

/* The feasible rollouts among the first `upto`, best quick cost first (ties by index), into rk; their number. */
static int64_t rank_rollouts(const roll_arg *a, int64_t upto, ranked *rk)
{
    int64_t m = 0;
    for (int64_t i = 0; i < upto; i++)
        if (isfinite(a->quick[i])) rk[m++] = (ranked){a->quick[i], i};
    qsort(rk, (size_t)m, sizeof *rk, cmp_ranked);
    return m;
}

/* Rollouts first .. first + count - 1 on the worker threads; rollout 0 alone first when the prior asks
 * for it (prior.h first_alone), so that the calls it records come in a fixed order. */
static pl_status roll_batch(pl_place_ctx *x, roll_arg *a, int64_t count)
{
    const pl_place_config *cfg = x->cfg;
    if (a->first == 0 && count > 1 && (cfg->prior.first_alone || cfg->rest.first_alone)) {
        PL_TRY(pl_place_parallel(x, 1, roll_job, a, sizeof(roll_local), roll_local_init, roll_local_free));
        a->first = 1;
        pl_status s = pl_place_parallel(x, count - 1, roll_job, a, sizeof(roll_local), roll_local_init, roll_local_free);
        a->first = 0;
        return s;
    }
    return pl_place_parallel(x, count, roll_job, a, sizeof(roll_local), roll_local_init, roll_local_free);
}

/* The R rollouts; with cfg->online > 1, in that many generations (at most R and PL_PLACE_MAX_GENERATIONS):
 * after each but the last the online preference (search/online.h) learns from the elites, the best quarter
 * of a generation's count among all the rollouts so far, and the next generation samples from it. Each
 * generation's best quick cost and time go into res. rk is scratch (R). */
static pl_status run_rollouts(pl_place_ctx *x, roll_arg *a, int64_t R, ranked *rk, pl_place_result *res, double t0)
{
    const pl_place_config *cfg = x->cfg;
    int64_t G = cfg->online > 1 ? cfg->online : 1;
    if (G > R) G = R;
    if (G > PL_PLACE_MAX_GENERATIONS) G = PL_PLACE_MAX_GENERATIONS;
    if (G <= 1) return roll_batch(x, a, R);
    pl_online on;
    pl_status s = pl_online_init(&on, x->k.n, x->k.cols, x->k.rows, cfg->online_rate);
    if (s != PL_OK) {
        pl_warn("place", "%s; the rollouts run in one batch, nothing learned", pl_errmsg());
        return roll_batch(x, a, R);
    }
    a->on_prior = (pl_online_prior){&on, cfg->prior};
    a->on_rest = (pl_online_prior){&on, cfg->rest};
    int64_t *elite = malloc((size_t)R * sizeof *elite);
    if (!elite) s = pl_err(PL_ENOMEM, "out of memory in search");
    for (int64_t g = 0; s == PL_OK && g < G; g++) {
        int64_t end = R * (g + 1) / G, done = 0;
        a->first = R * g / G;
        a->learned = g > 0;
        s = roll_batch(x, a, end - a->first);
        if (s != PL_OK) break;
        int64_t m = rank_rollouts(a, end, rk), ne = (end - a->first) / 4;
        for (int64_t i = 0; i < end; i++) done += a->ran[i];
        res->generation[g].rollouts = done;
        res->generation[g].best = m ? rk[0].v : INFINITY;
        res->generation[g].seconds = pl_clock_seconds() - t0;
        res->generations = (int)g + 1;
        pl_debug("place", "search: generation %lld, %lld rollouts, best quick %.4f", (long long)g, (long long)done,
                 res->generation[g].best);
        if (ne < 1) ne = 1;
        if (ne > m) ne = m;
        for (int64_t e = 0; e < ne; e++) elite[e] = rk[e].i;
        if (g + 1 < G) pl_online_update(&on, a->cells, elite, ne);
    }
    a->first = 0, a->learned = 0;
    free(elite);
    pl_online_free(&on);
    return s;
}

/* The rollouts re-costed after FD: the `keep` best by quick cost, in rank order. When the rollouts come in two
 * families (the prior or the edge term in the odd ones only), each family gets half the places and a family
 * with too few feasible rollouts leaves its places to the other: the quick cost ranks the families unlike the
 * proxy after FD (a pull toward the sides lowers the quick cost of every rollout that has it), so one quota
 * for both would keep one family alone. Moves the kept entries to the front of rk; their number. */
static int64_t keep_rollouts(const pl_place_config *cfg, ranked *rk, int64_t nrk, int keep)
{
    if (!two_families(cfg) || nrk <= keep) return nrk < keep ? nrk : keep;
    int64_t quota[2] = {(keep + 1) / 2, keep / 2}, taken = 0; /* the even family (rollout 0's) first */
    for (int64_t r = 0; r < nrk && taken < keep; r++) { /* rk[taken..r-1] were passed over: keep their order */
        int f = (int)(rk[r].i % 2);
        if (quota[f] == 0) continue;
        quota[f]--;
        ranked t = rk[r];
        memmove(rk + taken + 1, rk + taken, (size_t)(r - taken) * sizeof *rk);
        rk[taken++] = t;
    }
    return keep; /* a short family's places: rk[taken..] holds the passed-over rollouts in rank order */
}

pl_status pl_place_search(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best)
{
    const pl_place_config *cfg = x->cfg;
    double t0 = pl_clock_seconds();
    int32_t n = x->k.n;
    int64_t R = cfg->rollouts > 0 ? cfg->rollouts : 0;
    roll_arg a = {0};
    a.total = R;
    a.cells = malloc((size_t)(R ? R : 1) * (size_t)n * sizeof *a.cells);
    a.quick = malloc((size_t)(R ? R : 1) * sizeof *a.quick);
    a.ran = calloc((size_t)(R ? R : 1), 1);
    ranked *rk = malloc((size_t)(R ? R : 1) * sizeof *rk);
    int keep = cfg->keep > 0 ? cfg->keep : 1;
    pl_place_cand *cands = calloc((size_t)keep + 1, sizeof *cands);
    int ncand = 0;
    pl_status s = (a.cells && a.quick && a.ran && rk && cands) ? PL_OK : pl_err(PL_ENOMEM, "out of memory in search");
    if (s == PL_OK && x->deadline > 0) /* the search may use a fifth of the time left */
        a.until = t0 + 0.2 * (x->deadline - x->reserve - t0);
    if (s == PL_OK && R > 0) s = run_rollouts(x, &a, R, rk, res, t0);
    int64_t nrk = s == PL_OK ? rank_rollouts(&a, R, rk) : 0;
    for (int64_t i = 0; s == PL_OK && i < R; i++) res->rollouts += a.ran[i];
    res->feasible = nrk;
    if (s == PL_OK && res->rollouts < R) res->time_limited = 1;
    int64_t nkeep = s == PL_OK ? keep_rollouts(cfg, rk, nrk, keep) : 0;
    for (int64_t r = 0; s == PL_OK && r < nkeep; r++) {
        pl_place_cand *cd = &cands[ncand];
        s = pl_place_cand_alloc(cd, n);
        if (s != PL_OK) break;
        ncand++;
        int64_t i = rk[r].i;
        for (int32_t j = 0; j < n; j++) {
            pl_construct_cell_center(&x->k, a.cells[(size_t)i * (size_t)n + (size_t)j], &cd->x[j], &cd->y[j]);
            cd->o[j] = x->base.orient[x->k.order[j]];
        }
        cd->quick = rk[r].v;
        cd->index = (int32_t)i;
    }
    if (s == PL_OK && cfg->fd_start) {
        pl_place_cand *cd = &cands[ncand];
        s = pl_place_cand_alloc(cd, n);
        int ok = 0;
        if (s == PL_OK) {
            ncand++;
            cd->index = -1;
            s = pl_place_fd_start(x, cd, &ok);
        }
        if (s == PL_OK && !ok) pl_place_cand_free(&cands[--ncand]);
    }
    if (s == PL_OK && ncand == 0) x->no_start = 1;
    if (s == PL_OK && ncand == 0)
        s = pl_err(PL_EINVAL, "place: no start found: no rollout placed every macro on the %dx%d grid and the "
                   "prepared positions do not legalise", x->k.cols, x->k.rows);
    if (s == PL_OK)
        s = pl_place_parallel(x, ncand, eval_job, cands, sizeof(eval_local), eval_local_init, eval_local_free);
    for (int i = 0; s == PL_OK && i < ncand; i++)
        pl_debug("place", "search: candidate %d (rollout %d): quick %.6f, after FD %.6f (wl %.6f, density %.6f, "
                 "congestion %.6f)", i, (int)cands[i].index, cands[i].quick, cands[i].proxy,
                 cands[i].terms.wirelength_cost, cands[i].terms.density_cost, cands[i].terms.congestion_cost);
    if (s == PL_OK) {
        qsort(cands, (size_t)ncand, sizeof *cands, cmp_cand);
        while (ncand > 0 && !cands[ncand - 1].ok) pl_place_cand_free(&cands[--ncand]); /* did not legalise */
        if (ncand == 0) x->no_start = 1;
        if (ncand == 0)
            s = pl_err(PL_EINVAL, "place: no start found: no candidate legalises with a %.3f um channel between macros%s",
                       x->legal.spacing, x->legal.spacing > 0 ? " (a narrower --channel may fit)" : "");
    }
    if (s == PL_OK) {
        pl_place_cand_copy(best, &cands[0], n);
        x->starts = cands;
        x->nstarts = ncand;
        cands = NULL;
        pl_cost_terms t = best->terms;
        double sec = pl_clock_seconds() - t0;
        if (res->nstages < PL_PLACE_MAX_STAGES)
            res->stage[res->nstages++] = (pl_place_stage){"search", t, best->hpwl, sec};
        pl_info("place", "search: %lld rollouts (%lld feasible), %d starts; best %s: proxy %.4f (wl %.4f, density "
                "%.4f, congestion %.4f) in %.1f s", (long long)res->rollouts, (long long)res->feasible, x->nstarts,
                best->index < 0 ? "the FD start" : "a rollout", t.proxy_cost, t.wirelength_cost, t.density_cost,
                t.congestion_cost, sec);
        pl_place_progress(x, "search", 1, t.proxy_cost);
    }
    for (int i = 0; cands && i < ncand; i++) pl_place_cand_free(&cands[i]);
    free(cands);
    free(a.cells);
    free(a.quick);
    free(a.ran);
    free(rk);
    return s;
}
