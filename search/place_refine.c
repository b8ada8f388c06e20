/* place_refine.c: the refinement stage: one annealing chain per start, the soft macros re-placed by
 * FD (as eval places them) after each round, each chain keeping its best FD-evaluated state;
 * see place_refine.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/rng.h"
#include "search/place_refine.h"
#include "search/refine.h"

#define STREAM_REFINE 0x53414e4eull /* "SANN" */

/* The annealing seed of chain `ci`, round r (r = -1: the calibration). */
static uint64_t sa_seed(uint64_t seed, int64_t ci, int64_t r)
{
    pl_rng g;
    pl_rng_derive(&g, seed, STREAM_REFINE + (uint64_t)ci, (uint64_t)(r + 1));
    return pl_rng_u64(&g);
}

typedef struct chain {
    pl_place_cand best;
    int64_t moves, accepted;
    int time_limited, ran;
} chain;

static pl_status chain_run(pl_place_ctx *x, chain *ch, int64_t ci, pl_netlist *view, pl_netlist *fview, pl_cost *c,
                           int *has_c)
{
    const pl_place_config *cfg = x->cfg;
    int32_t n = x->k.n;
    pl_place_cand cur;
    PL_TRY(pl_place_cand_alloc(&cur, n));
    pl_place_cand_copy(&cur, &x->starts[ci], n);
    pl_node *best_nodes = malloc((size_t)(view->nnodes ? view->nnodes : 1) * sizeof *best_nodes);
    pl_status s = best_nodes ? pl_place_evaluate(x, view, fview, c, has_c, &cur)
                             : pl_err(PL_ENOMEM, "out of memory in refinement");
    if (s == PL_OK && !cur.ok) s = pl_err(PL_EINVAL, "place: a refinement start does not legalise");
    if (s == PL_OK) {
        pl_place_cand_copy(&ch->best, &cur, n);
        memcpy(best_nodes, view->nodes, (size_t)view->nnodes * sizeof *best_nodes);
    }
    int rounds = cfg->rounds > 0 ? cfg->rounds : 1;
    int64_t total = cfg->moves_per_macro * (int64_t)n;
    int64_t per_round = total / rounds > 0 ? total / rounds : 1;
    double chain_end = 0;
    if (x->deadline > 0) {
        int threads = cfg->threads > 1 ? cfg->threads : 1;
        int64_t nch = cfg->chains < x->nstarts ? cfg->chains : x->nstarts;
        int64_t waves = (nch + threads - 1) / threads, wave = ci / threads;
        double now = pl_clock_seconds();
        chain_end = now + (x->deadline - x->reserve - now) / (double)(waves - wave);
    }
    pl_refine_config rc;
    pl_refine_config_default(&rc);
    rc.region[0] = x->region[0], rc.region[1] = x->region[1], rc.region[2] = x->region[2], rc.region[3] = x->region[3];
    rc.has_region = 1;
    rc.obstacles = x->obs;
    rc.nobstacles = x->nobs;
    rc.p_swap = cfg->p_swap;
    rc.pad = 0.5 * x->legal.spacing;
    rc.stop = cfg->stop;
    rc.p_flip = x->flips ? cfg->p_flip : 0;
    /* calibrate the starting temperature once (one move, kept only if it helps) */
    double t_hi = 0;
    if (s == PL_OK) {
        pl_refine_stats st;
        rc.seed = sa_seed(cfg->seed, ci, -1);
        rc.max_moves = 1;
        s = pl_refine_sa(c, &rc, &st);
        t_hi = st.t_start;
    }
    for (int r = 0; s == PL_OK && r < rounds; r++) {
        double now = pl_clock_seconds();
        if (cfg->stop && *cfg->stop) break;
        if (chain_end > 0 && now >= chain_end) {
            ch->time_limited = 1;
            break;
        }
        pl_refine_stats st;
        rc.seed = sa_seed(cfg->seed, ci, r);
        rc.max_moves = per_round;
        rc.t_start = t_hi;
        rc.t_end = t_hi * cfg->t_ratio;
        rc.sched_lo = (double)r / rounds;
        rc.sched_hi = (double)(r + 1) / rounds;
        rc.step_hi = 0.31 - 0.30 * rc.sched_lo;
        rc.step_lo = 0.31 - 0.30 * rc.sched_hi;
        rc.time_limit = chain_end > 0 ? (chain_end - now) / (rounds - r) : 0;
        rc.time_schedule = chain_end > 0;
        s = pl_refine_sa(c, &rc, &st);
        if (s != PL_OK) break;
        if (chain_end > 0 && st.moves < per_round) ch->time_limited = 1;
        ch->moves += st.moves;
        ch->accepted += st.accepted;
        pl_place_cand_from_cost(x, c, &cur);
        s = pl_place_evaluate(x, view, fview, c, has_c, &cur);
        if (s != PL_OK) break;
        if (cur.ok && cur.proxy < ch->best.proxy) {
            pl_place_cand_copy(&ch->best, &cur, n);
            memcpy(best_nodes, view->nodes, (size_t)view->nnodes * sizeof *best_nodes);
        } else if (cfg->elitist) { /* the next round starts from the best state again */
            memcpy(view->nodes, best_nodes, (size_t)view->nnodes * sizeof *best_nodes);
            pl_cost_free(c);
            *has_c = 0;
            s = pl_cost_init(c, view, &x->ccfg);
            if (s != PL_OK) break;
            *has_c = 1;
        }
        pl_debug("place", "chain %lld round %d: %lld moves, annealed %.4f, after FD %.4f (best %.4f)", (long long)ci,
                 r, (long long)st.moves, st.best_cost, cur.proxy, ch->best.proxy);
        if (ci == 0) pl_place_progress(x, "refine", (double)(r + 1) / rounds, ch->best.proxy);
    }
    ch->ran = 1;
    free(best_nodes);
    pl_place_cand_free(&cur);
    return s;
}

static pl_status chain_job(pl_place_ctx *x, void *arg, int64_t ci, void *local)
{
    (void)local;
    chain *ch = (chain *)arg + ci;
    pl_netlist view, fview;
    PL_TRY(pl_netlist_view_init(&view, x->prob->nl));
    pl_status s = pl_netlist_view_init(&fview, x->flat);
    if (s != PL_OK) {
        pl_netlist_view_free(&view);
        return s;
    }
    pl_cost c;
    int has_c = 0;
    s = pl_place_cand_alloc(&ch->best, x->k.n);
    if (s == PL_OK) s = chain_run(x, ch, ci, &view, &fview, &c, &has_c);
    if (has_c) pl_cost_free(&c);
    pl_netlist_view_free(&view);
    pl_netlist_view_free(&fview);
    return s;
}

pl_status pl_place_refine(pl_place_ctx *x, pl_place_result *res, pl_place_cand *best)
{
    const pl_place_config *cfg = x->cfg;
    double t0 = pl_clock_seconds();
    int nch = cfg->chains < x->nstarts ? cfg->chains : x->nstarts;
    if (nch < 1 || cfg->moves_per_macro <= 0 || cfg->rounds <= 0) {
        if (res->nstages < PL_PLACE_MAX_STAGES)
            res->stage[res->nstages++] = (pl_place_stage){"refine", best->terms, best->hpwl, 0};
        return PL_OK;
    }
    chain *ch = calloc((size_t)nch, sizeof *ch);
    if (!ch) return pl_err(PL_ENOMEM, "out of memory in refinement");
    if (cfg->referee && !(x->finals = calloc((size_t)nch, sizeof *x->finals))) {
        free(ch);
        return pl_err(PL_ENOMEM, "out of memory in refinement");
    }
    pl_status s = pl_place_parallel(x, nch, chain_job, ch, 0, NULL, NULL);
    res->chains = nch;
    for (int i = 0; s == PL_OK && i < nch; i++) {
        res->moves += ch[i].moves;
        res->accepted += ch[i].accepted;
        res->time_limited |= ch[i].time_limited;
        if (ch[i].ran && ch[i].best.proxy < best->proxy) {
            pl_place_cand_copy(best, &ch[i].best, x->k.n);
            res->best_chain = i;
        }
    }
    if (s == PL_OK) {
        double sec = pl_clock_seconds() - t0;
        if (res->nstages < PL_PLACE_MAX_STAGES)
            res->stage[res->nstages++] = (pl_place_stage){"refine", best->terms, best->hpwl, sec};
        pl_info("place", "refine: %d chains, %lld moves (%lld accepted): proxy %.4f (wl %.4f, density %.4f, "
                "congestion %.4f) in %.1f s", nch, (long long)res->moves, (long long)res->accepted,
                best->terms.proxy_cost, best->terms.wirelength_cost, best->terms.density_cost,
                best->terms.congestion_cost, sec);
    }
    for (int i = 0; i < nch; i++) {
        if (s == PL_OK && cfg->referee && ch[i].ran) {
            x->finals[x->nfinals++] = ch[i].best; /* the referee's to measure; freed with the ctx */
            continue;
        }
        pl_place_cand_free(&ch[i].best);
    }
    free(ch);
    return s;
}
