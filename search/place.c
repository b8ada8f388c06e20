/* place.c: the placement pipeline's driver: the start, then the stages (place_search.c,
 * place_refine.c), legalisation and the final evaluation; see place.h. */
#include "search/place.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/fdplace.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/rng.h"
#include "search/construct.h"
#include "search/place_ctx.h"
#include "search/place_referee.h"
#include "search/place_refine.h"
#include "search/place_search.h"
#include "search/refine.h"

/* ---- setup ---- */

/* Core (bounding box of the rows, else the die) and hard placement blockages, in the clustered
 * netlist's coordinates (canvas lower-left = origin). */
static pl_status geometry(pl_place_ctx *x)
{
    const pl_netlist *f = x->flat;
    double dx = x->prob->prep.origin_x, dy = x->prob->prep.origin_y;
    pl_rect core = f->die;
    pl_netlist_rows_bbox(f, &core);
    x->region[0] = fmax(core.x0, f->die.x0) - dx, x->region[1] = fmax(core.y0, f->die.y0) - dy;
    x->region[2] = fmin(core.x1, f->die.x1) - dx, x->region[3] = fmin(core.y1, f->die.y1) - dy;
    x->obs = malloc((size_t)(f->nblockages + 1) * 4 * sizeof *x->obs);
    if (!x->obs) return pl_err(PL_ENOMEM, "out of memory in placement");
    for (int64_t i = 0; i < f->nblockages; i++) {
        const pl_blockage *b = &f->blockages[i];
        if (b->kind != PL_BLOCK_PLACEMENT || b->soft || b->partial > 0) continue;
        double *o = x->obs + 4 * x->nobs++;
        o[0] = b->r.x0 - dx, o[1] = b->r.y0 - dy, o[2] = b->r.x1 - dx, o[3] = b->r.y1 - dy;
    }
    return PL_OK;
}

/* Flips are allowed when every movable macro's master is symmetric about X and Y. */
static int flips_allowed(const pl_place_ctx *x)
{
    for (int32_t j = 0; j < x->k.n; j++) {
        const pl_node *n = &x->flat->nodes[x->flat_of[j]];
        if (n->master < 0) return 0;
        int sym = x->flat->masters[n->master].symmetry;
        if (!(sym & PL_SYM_X) || !(sym & PL_SYM_Y)) return 0;
    }
    return 1;
}

static void record(pl_place_result *res, const char *name, const pl_cost_terms *t, double hpwl, double seconds)
{
    if (res->nstages >= PL_PLACE_MAX_STAGES) return;
    pl_place_stage *s = &res->stage[res->nstages++];
    s->name = name;
    s->terms = *t;
    s->macro_hpwl = hpwl;
    s->seconds = seconds;
}

static pl_status publish(const pl_place_ctx *x, pl_event_kind kind, const char *stage, const pl_netlist *nl,
                         const pl_cost *c, const pl_cost_terms *t)
{
    if (!x->cfg->bus) return PL_OK;
    pl_event ev = pl_event_make(kind);
    ev.stage = stage;
    ev.nl = nl;
    ev.cost = c;
    ev.terms = t;
    ev.seed = x->cfg->seed;
    ev.has_seed = 1;
    return pl_event_bus_publish(x->cfg->bus, &ev);
}

static void ctx_free(pl_place_ctx *x)
{
    for (int i = 0; i < x->nstarts; i++) pl_place_cand_free(&x->starts[i]);
    free(x->starts);
    for (int i = 0; i < x->nfinals; i++) pl_place_cand_free(&x->finals[i]);
    free(x->finals);
    pl_construct_free(&x->k);
    if (x->has_base) pl_cost_free(&x->base);
    free(x->obs);
    free(x->flat_of);
    pthread_mutex_destroy(&x->lock);
}

pl_status pl_place_run(pl_problem *prob, const pl_place_config *cfg, pl_place_result *res)
{
    memset(res, 0, sizeof *res);
    res->best_chain = -1;
    res->chosen = -1;
    pl_place_ctx x;
    memset(&x, 0, sizeof x);
    pthread_mutex_init(&x.lock, NULL);
    x.cfg = cfg;
    x.prob = prob;
    x.flat = &prob->flat;
    pl_netlist *flat = x.flat;
    const pl_netlist *cnl = prob->nl; /* the clustered problem */
    x.t0 = pl_clock_seconds();
    x.deadline = cfg->time_limit > 0 ? x.t0 + cfg->time_limit : 0;
    x.legal = cfg->legal;
    res->channel = x.legal.spacing;
    x.ccfg = prob->cost;
    /* ---- start: the problem as prepared (as eval prepares it) ---- */
    pl_status s = publish(&x, PL_EVENT_STAGE_BEGIN, "prepare", NULL, NULL, NULL);
    if (s == PL_OK) s = pl_cost_init(&x.base, cnl, &x.ccfg);
    if (s == PL_OK) x.has_base = 1;
    if (s == PL_OK) s = geometry(&x);
    if (s == PL_OK) s = pl_construct_init(&x.k, &x.base, x.region, x.obs, x.nobs);
    /* the channel (cfg->legal.spacing): the rollouts put macros on cell centres without it (padding the
     * footprints left the dense designs no feasible rollout); every start is legalised to it when it is
     * evaluated, and the annealing keeps it */
    if (s != PL_OK) goto done;
    res->cols = x.ccfg.cols, res->rows = x.ccfg.rows, res->clusters = prob->prep.cl.nclusters;
    res->physical = prob->prep.cl.physical;
    res->movable = x.k.n;
    for (int64_t i = 0; i < cnl->nnodes; i++)
        res->fixed += cnl->nodes[i].kind == PL_NODE_MACRO &&
                      (cnl->nodes[i].state == PL_PLACE_FIXED || cnl->nodes[i].state == PL_PLACE_COVER);
    x.flat_of = malloc((size_t)(x.k.n ? x.k.n : 1) * sizeof *x.flat_of);
    if (!x.flat_of) {
        s = pl_err(PL_ENOMEM, "out of memory in placement");
        goto done;
    }
    for (int32_t j = 0; j < x.k.n; j++) {
        x.flat_of[j] = pl_netlist_find_node(flat, cnl->nodes[x.k.order[j]].name);
        PL_ASSERT(x.flat_of[j] >= 0);
    }
    x.flips = cfg->p_flip > 0 && flips_allowed(&x);
    res->flips = x.flips;
    {
        pl_cost_terms t;
        pl_cost_terms_get(&x.base, &t);
        x.prepare_seconds = prob->seconds - prob->read_seconds + (pl_clock_seconds() - x.t0);
        record(res, "start", &t, pl_place_macro_hpwl(&x.base), x.prepare_seconds);
        pl_info("place", "start: proxy %.4f (wl %.4f, density %.4f, congestion %.4f), %d movable macros, grid %dx%d, "
                "%d soft macros, prepared in %.1f s", t.proxy_cost, t.wirelength_cost, t.density_cost,
                t.congestion_cost, x.k.n, res->cols, res->rows, res->clusters, x.prepare_seconds);
    }
    s = publish(&x, PL_EVENT_STAGE_END, "prepare", cnl, &x.base, NULL);
    if (s != PL_OK) goto done;
    /* the final stage legalises and evaluates once more: keep time for that */
    x.reserve = 3.0 * (pl_clock_seconds() - x.t0) + 1.0;

    pl_place_cand best;
    memset(&best, 0, sizeof best);
    if (x.k.n > 0) {
        s = pl_place_cand_alloc(&best, x.k.n);
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_BEGIN, "search", NULL, NULL, NULL);
        if (s == PL_OK) s = pl_place_search(&x, res, &best);
        while (s != PL_OK && x.no_start && cfg->channel_narrow && x.legal.spacing > 0) {
            double was = x.legal.spacing;
            x.legal.spacing = was > 4 * PL_PLACE_CHANNEL_MIN ? 0.5 * was : 0;
            pl_warn("place", "no start legalises with a %.3f um channel between macros: searching again with %.3f um",
                    was, x.legal.spacing);
            pl_err_clear();
            x.no_start = 0;
            res->rollouts = res->feasible = 0;
            s = pl_place_search(&x, res, &best);
        }
        res->channel = x.legal.spacing;
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_END, "search", NULL, NULL, NULL);
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_BEGIN, "refine", NULL, NULL, NULL);
        if (s == PL_OK) s = pl_place_refine(&x, res, &best);
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_END, "refine", NULL, NULL, NULL);
        if (s == PL_OK && cfg->referee && !(cfg->stop && *cfg->stop)) s = pl_place_referee(&x, res, &best);
        if (s == PL_OK) pl_place_cand_to_flat(&x, &best, x.flat);
    }
    pl_place_cand_free(&best);
    if (s != PL_OK) goto done;

    /* ---- legalise, then evaluate exactly as `placer eval` evaluates the written DEF ---- */
    {
        double t = pl_clock_seconds();
        s = publish(&x, PL_EVENT_STAGE_BEGIN, "legalize", NULL, NULL, NULL);
        if (s == PL_OK) s = pl_legalize_macros(flat, &x.legal, &res->legal);
        pl_netlist fin;
        memset(&fin, 0, sizeof fin);
        pl_cost fc;
        int has_fc = 0;
        pl_place_cand cd;
        memset(&cd, 0, sizeof cd);
        pl_soft_mean sm;
        if (s == PL_OK) s = pl_netlist_view_init(&fin, cnl);
        if (s == PL_OK) s = pl_place_evaluate_flat(&x, flat, &fin, &fc, &has_fc, &cd, &sm);
        if (s == PL_OK) res->soft_runs = sm.runs, res->soft_spread = sm.spread;
        if (s == PL_OK) {
            pl_cost_terms tt = cd.terms;
            record(res, "legalize", &tt, cd.hpwl, pl_clock_seconds() - t);
            pl_info("place", "legalised %d macros (displacement total %.3f um, max %.3f um): proxy %.4f",
                    res->legal.moved, res->legal.total_disp, res->legal.max_disp, tt.proxy_cost);
            s = publish(&x, PL_EVENT_STAGE_END, "legalize", NULL, NULL, NULL);
            if (s == PL_OK) s = publish(&x, PL_EVENT_PLACEMENT_DONE, "place", &fin, &fc, &tt);
        }
        if (has_fc) pl_cost_free(&fc);
        pl_netlist_view_free(&fin);
    }
done:
    res->interrupted = cfg->stop && *cfg->stop;
    res->seconds = pl_clock_seconds() - x.t0;
    ctx_free(&x);
    return s;
}
