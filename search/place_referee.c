/* place_referee.c: the final choice by the mean proxy or the full-design score; see place_referee.h. */
#include "search/place_referee.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "gplace/full.h"
#include "search/legalize.h"

typedef struct entry {
    const pl_place_cand *cd;
    int32_t source;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    const entry *p = a, *q = b;
    if (p->cd->proxy != q->cd->proxy) return p->cd->proxy < q->cd->proxy ? -1 : 1;
    return (p->source < q->source) - (p->source > q->source); /* chains (>= 0) before starts, in order */
}

static int same_placement(const pl_place_cand *a, const pl_place_cand *b, int32_t n)
{
    return !memcmp(a->x, b->x, (size_t)n * sizeof *a->x) && !memcmp(a->y, b->y, (size_t)n * sizeof *a->y) &&
           !memcmp(a->o, b->o, (size_t)n);
}

/* The candidate's mean proxy over the soft placements, legalised on a copy of the flat netlist as the
 * final stage legalises it: the figure `placer eval` will report if it wins. */
static pl_status judge_mean(const pl_place_ctx *x, const pl_place_cand *cd, pl_place_judged *j)
{
    double t0 = pl_clock_seconds();
    pl_netlist fview, view;
    memset(&view, 0, sizeof view);
    PL_TRY(pl_netlist_view_init(&fview, x->flat));
    pl_place_cand_to_flat(x, cd, &fview);
    pl_status s = pl_legalize_macros(&fview, &x->legal, NULL);
    if (s == PL_OK) s = pl_netlist_view_init(&view, x->prob->nl);
    pl_cost c;
    int has_cost = 0;
    pl_place_cand m;
    memset(&m, 0, sizeof m);
    pl_soft_mean sm;
    if (s == PL_OK) s = pl_place_evaluate_flat(x, &fview, &view, &c, &has_cost, &m, &sm);
    if (s == PL_OK) {
        j->proxy = cd->proxy;
        j->score = m.proxy;
        j->seconds = pl_clock_seconds() - t0;
    }
    if (has_cost) pl_cost_free(&c);
    pl_netlist_view_free(&view);
    pl_netlist_view_free(&fview);
    return s;
}

/* The candidate's full-design figures, measured on a copy of the flat netlist. */
static pl_status judge_full(const pl_place_ctx *x, const pl_place_cand *cd, pl_place_judged *j)
{
    const pl_place_config *cfg = x->cfg;
    double t0 = pl_clock_seconds();
    pl_netlist view;
    PL_TRY(pl_netlist_view_init(&view, x->flat));
    pl_place_cand_to_flat(x, cd, &view);
    pl_legalize_stats ls;
    pl_status s = pl_legalize_macros(&view, &x->legal, &ls);
    pl_full_config fc;
    pl_full_config_default(&fc);
    fc.gplace.seed = cfg->seed;
    fc.gplace.threads = cfg->threads;
    fc.route_estimate = x->prob->format != PL_DESIGN_BOOKSHELF; /* no routing layers: the score is the HPWL */
    pl_full_stats fs;
    if (s == PL_OK) s = pl_full_eval(&view, &fc, &fs, NULL);
    if (s == PL_OK) {
        j->proxy = cd->proxy;
        j->hpwl = fs.hpwl;
        j->overflow = fs.route.total_overflow;
        j->score = pl_full_score(&fs, cfg->referee_lambda);
        j->seconds = pl_clock_seconds() - t0;
    }
    pl_netlist_view_free(&view);
    return s;
}

pl_status pl_place_referee(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best)
{
    const pl_place_config *cfg = x->cfg;
    int full = cfg->referee == PL_PLACE_REFEREE_FULL;
    int32_t n = x->k.n;
    int total = x->nfinals + x->nstarts;
    entry *e = calloc((size_t)(total ? total : 1), sizeof *e);
    if (!e) return pl_err(PL_ENOMEM, "out of memory in the referee");
    int m = 0;
    for (int i = 0; i < x->nfinals; i++)
        if (x->finals[i].ok) e[m++] = (entry){&x->finals[i], i};
    for (int i = 0; i < x->nstarts; i++)
        if (x->starts[i].ok) e[m++] = (entry){&x->starts[i], -1 - i};
    qsort(e, (size_t)m, sizeof *e, cmp_entry);
    int keep = cfg->referee_keep < PL_PLACE_MAX_REFEREE ? cfg->referee_keep : PL_PLACE_MAX_REFEREE;
    const pl_place_cand *pick[PL_PLACE_MAX_REFEREE];
    int np = 0;
    for (int i = 0; i < m && np < keep; i++) {
        int dup = 0;
        for (int q = 0; q < np && !dup; q++) dup = same_placement(pick[q], e[i].cd, n);
        if (dup) continue;
        res->judged[np].source = e[i].source;
        pick[np++] = e[i].cd;
    }
    free(e);
    double t0 = pl_clock_seconds();
    pl_status s = PL_OK;
    int win = -1;
    for (int i = 0; i < np && s == PL_OK; i++) {
        pl_place_judged *j = &res->judged[i];
        s = full ? judge_full(x, pick[i], j) : judge_mean(x, pick[i], j);
        if (s != PL_OK) break;
        res->njudged = i + 1;
        if (win < 0 || j->score < res->judged[win].score) win = i;
        const char *src = j->source >= 0 ? "chain" : "start";
        int idx = j->source >= 0 ? j->source : -1 - j->source;
        if (full)
            pl_info("place", "referee %d/%d (%s %d): proxy %.4f, full HPWL %.1f um, overflow %.0f tracks, score %.1f "
                    "um (%.1f s)", i + 1, np, src, idx, j->proxy, j->hpwl, j->overflow, j->score, j->seconds);
        else
            pl_info("place", "referee %d/%d (%s %d): proxy %.4f, mean over %d soft placements %.4f (%.1f s)", i + 1,
                    np, src, idx, j->proxy, x->prob->soft_runs, j->score, j->seconds);
        pl_place_progress(x, "referee", (double)(i + 1) / np, res->judged[win].score);
    }
    if (s != PL_OK) return s;
    if (win >= 0) {
        pl_place_cand_copy(best, pick[win], n);
        res->chosen = win;
    }
    if (res->nstages < PL_PLACE_MAX_STAGES)
        res->stage[res->nstages++] = (pl_place_stage){"referee", best->terms, best->hpwl, pl_clock_seconds() - t0};
    pl_info("place", "referee: candidate %d of %d kept (%s %.4f, proxy %.4f)", win + 1, np,
            full ? "full score, um" : "mean proxy", win >= 0 ? res->judged[win].score : 0.0, best->proxy);
    return PL_OK;
}
