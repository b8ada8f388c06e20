/* refine.c: simulated annealing over hard macros on the incremental proxy cost (see refine.h). */
#include "search/refine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/rng.h"

void pl_refine_config_default(pl_refine_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->max_moves = 200000;
    cfg->t_start = 0; /* calibrate */
    cfg->t_end = 0;
    cfg->p_swap = 0.2;
    cfg->p_flip = 0.1;
    cfg->step_hi = 0.31;
    cfg->step_lo = 0.01;
    cfg->sched_lo = 0;
    cfg->sched_hi = 1;
}

/* Hard macros as centre + half extents, the state the geometry checks need. */
typedef struct macros {
    int32_t *node;      /* (M) node index */
    int *movable;       /* (M) */
    double *hw, *hh;    /* (M) half width / height of the oriented footprint */
    int32_t m, nmov;
    int32_t *mov;       /* (nmov) indices into the M arrays */
} macros;

static void macros_free(macros *mc)
{
    free(mc->node);
    free(mc->movable);
    free(mc->hw);
    free(mc->hh);
    free(mc->mov);
}

static void half_extent(const pl_cost *c, int32_t v, double *hw, double *hh)
{
    const pl_node *n = &c->nl->nodes[v];
    int swap = pl_orient_swaps((pl_orient)c->orient[v]);
    *hw = 0.5 * (swap ? n->h : n->w);
    *hh = 0.5 * (swap ? n->w : n->h);
}

/* The hard macros of c, half extents grown by pad (the channel's half). */
static pl_status macros_init(macros *mc, const pl_cost *c, double pad)
{
    memset(mc, 0, sizeof *mc);
    const pl_netlist *nl = c->nl;
    size_t n = (size_t)(nl->nnodes ? nl->nnodes : 1);
    mc->node = malloc(n * sizeof *mc->node);
    mc->movable = malloc(n * sizeof *mc->movable);
    mc->hw = malloc(n * sizeof *mc->hw);
    mc->hh = malloc(n * sizeof *mc->hh);
    mc->mov = malloc(n * sizeof *mc->mov);
    if (!mc->node || !mc->movable || !mc->hw || !mc->hh || !mc->mov) {
        macros_free(mc);
        return pl_err(PL_ENOMEM, "out of memory in refinement");
    }
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind != PL_NODE_MACRO || nd->state == PL_PLACE_UNPLACED) continue;
        int32_t k = mc->m++;
        mc->node[k] = (int32_t)i;
        mc->movable[k] = nd->state != PL_PLACE_FIXED && nd->state != PL_PLACE_COVER;
        half_extent(c, (int32_t)i, &mc->hw[k], &mc->hh[k]);
        mc->hw[k] += pad, mc->hh[k] += pad;
        if (mc->movable[k]) mc->mov[mc->nmov++] = k;
    }
    return PL_OK;
}

/* 1 if macro k centred at (x, y) with half extents (hw, hh) fits the region and overlaps no other
 * hard macro (except `other`, which is moving too and is checked by the caller). */
static int fits(const pl_cost *c, const macros *mc, const double reg[4], const pl_refine_config *cfg, int32_t k,
                int32_t other, double x, double y, double hw, double hh)
{
    const double eps = 1e-9;
    if (x - hw < reg[0] - eps || x + hw > reg[2] + eps || y - hh < reg[1] - eps || y + hh > reg[3] + eps) return 0;
    for (int32_t j = 0; j < cfg->nobstacles; j++) {
        const double *o = cfg->obstacles + 4 * j;
        if (x + hw > o[0] + eps && x - hw < o[2] - eps && y + hh > o[1] + eps && y - hh < o[3] - eps) return 0;
    }
    for (int32_t j = 0; j < mc->m; j++) {
        if (j == k || j == other) continue;
        int32_t v = mc->node[j];
        double ox = c->cx[v] + c->cfg.origin_x, oy = c->cy[v] + c->cfg.origin_y;
        if (fabs(x - ox) < hw + mc->hw[j] - eps && fabs(y - oy) < hh + mc->hh[j] - eps) return 0;
    }
    return 1;
}

static double current_cost(pl_cost *c)
{
    pl_cost_terms t;
    pl_cost_terms_get(c, &t);
    return t.proxy_cost;
}

/* Applies one random move to c (undoable) if its geometry is legal; *ok says whether it did. */
static pl_status propose(pl_cost *c, const macros *mc, const double reg[4], const pl_refine_config *cfg,
                         double step, pl_rng *rng, int *ok)
{
    *ok = 0;
    int32_t k = mc->mov[pl_rng_below(rng, (uint64_t)mc->nmov)];
    int32_t v = mc->node[k];
    double ax = c->cx[v] + c->cfg.origin_x, ay = c->cy[v] + c->cfg.origin_y;
    double u = pl_rng_uniform(rng);
    if (u < cfg->p_swap && mc->nmov > 1) {
        int32_t k2 = mc->mov[pl_rng_below(rng, (uint64_t)mc->nmov)];
        int32_t v2 = mc->node[k2];
        double bx = c->cx[v2] + c->cfg.origin_x, by = c->cy[v2] + c->cfg.origin_y;
        /* the two keep their distance, so they cannot come to overlap each other */
        if (k2 == k || !fits(c, mc, reg, cfg, k, k2, bx, by, mc->hw[k], mc->hh[k]) ||
            !fits(c, mc, reg, cfg, k2, k, ax, ay, mc->hw[k2], mc->hh[k2]))
            return PL_OK;
        *ok = 1;
        return pl_cost_swap(c, v, v2);
    }
    if (u < cfg->p_swap + cfg->p_flip) {
        *ok = 1;
        return pl_cost_flip(c, v, (int)pl_rng_below(rng, 2));
    }
    double nx = ax + step * (2 * pl_rng_uniform(rng) - 1);
    double ny = ay + step * (2 * pl_rng_uniform(rng) - 1);
    if (!fits(c, mc, reg, cfg, k, -1, nx, ny, mc->hw[k], mc->hh[k])) return PL_OK;
    *ok = 1;
    return pl_cost_move(c, v, nx, ny);
}

/* Initial temperature: an average uphill move is accepted with probability 0.3 at the start.
 * Measured on up to 200 trial moves, each undone. */
static pl_status calibrate(pl_cost *c, const macros *mc, const double reg[4], const pl_refine_config *cfg,
                           double span, pl_rng *rng, double cur, double *t_start)
{
    double sum = 0;
    int n = 0;
    for (int i = 0; i < 200 && mc->nmov > 0; i++) {
        int ok;
        PL_TRY(propose(c, mc, reg, cfg, 0.1 * span, rng, &ok));
        if (!ok) continue;
        double d = current_cost(c) - cur;
        pl_cost_undo(c);
        if (d > 0) {
            sum += d;
            n++;
        }
    }
    *t_start = n ? (sum / n) / log(1 / 0.3) : 1e-4;
    return PL_OK;
}

pl_status pl_refine_sa(pl_cost *c, const pl_refine_config *cfg, pl_refine_stats *stats)
{
    pl_refine_config def;
    if (!cfg) {
        pl_refine_config_default(&def);
        cfg = &def;
    }
    macros mc;
    PL_TRY(macros_init(&mc, c, cfg->pad > 0 ? cfg->pad : 0));
    double reg[4] = {c->cfg.origin_x, c->cfg.origin_y, c->cfg.origin_x + c->cfg.canvas_w,
                     c->cfg.origin_y + c->cfg.canvas_h};
    if (cfg->has_region) memcpy(reg, cfg->region, sizeof reg);
    pl_rng rng;
    pl_rng_seed(&rng, cfg->seed);
    pl_refine_stats st = {0};
    double t0 = pl_clock_seconds();
    pl_cost_commit(c);
    double cur = current_cost(c), best = cur;
    st.start_cost = cur;
    /* best state: centres and orientations of the movable macros */
    double *bx = NULL, *by = NULL;
    uint8_t *bo = NULL;
    pl_status s = PL_ALLOC(bx, mc.nmov) && PL_ALLOC(by, mc.nmov) && PL_ALLOC(bo, mc.nmov) ? PL_OK : pl_err(PL_ENOMEM, "out of memory in refinement");
    for (int32_t i = 0; s == PL_OK && i < mc.nmov; i++) {
        int32_t v = mc.node[mc.mov[i]];
        bx[i] = c->cx[v];
        by[i] = c->cy[v];
        bo[i] = c->orient[v];
    }
    double span = fmax(reg[2] - reg[0], reg[3] - reg[1]);
    double t_start = cfg->t_start, t_end = cfg->t_end;
    if (s == PL_OK && !(t_start > 0)) s = calibrate(c, &mc, reg, cfg, span, &rng, cur, &t_start);
    if (!(t_end > 0)) t_end = 1e-3 * t_start;
    int64_t budget = cfg->max_moves > 0 ? cfg->max_moves : 1;
    double tfrac = 0; /* elapsed share of the time limit, refreshed every 256 moves */
    for (int64_t it = 0; s == PL_OK && mc.nmov > 0 && it < budget; it++) {
        if ((it & 255) == 0 && cfg->stop && *cfg->stop) break;
        if (cfg->time_limit > 0 && (it & 255) == 0) {
            tfrac = (pl_clock_seconds() - t0) / cfg->time_limit;
            if (tfrac >= 1) break;
        }
        double frac = (double)it / (double)budget;
        if (cfg->time_schedule && tfrac > frac) frac = tfrac;
        double f = cfg->sched_lo + (cfg->sched_hi - cfg->sched_lo) * frac;
        double temp = t_start * pow(t_end / t_start, f);
        double step = span * (cfg->step_hi + (cfg->step_lo - cfg->step_hi) * frac);
        st.moves++;
        int ok = 0;
        s = propose(c, &mc, reg, cfg, step, &rng, &ok);
        if (s != PL_OK) break;
        if (!ok) {
            st.rejected_geometry++;
            continue;
        }
        double next = current_cost(c);
        double d = next - cur;
        if (d <= 0 || pl_rng_uniform(&rng) < exp(-d / temp)) {
            cur = next;
            st.accepted++;
            pl_cost_commit(c);
            if (cur < best) {
                best = cur;
                for (int32_t i = 0; i < mc.nmov; i++) {
                    int32_t w = mc.node[mc.mov[i]];
                    bx[i] = c->cx[w];
                    by[i] = c->cy[w];
                    bo[i] = c->orient[w];
                }
            }
        } else {
            pl_cost_undo(c);
        }
    }
    /* return to the best state seen */
    for (int32_t i = 0; s == PL_OK && i < mc.nmov; i++) {
        int32_t w = mc.node[mc.mov[i]];
        if (c->orient[w] != bo[i]) s = pl_cost_set_orient(c, w, (pl_orient)bo[i]);
        if (s == PL_OK && (c->cx[w] != bx[i] || c->cy[w] != by[i]))
            s = pl_cost_move(c, w, bx[i] + c->cfg.origin_x, by[i] + c->cfg.origin_y);
    }
    pl_cost_commit(c);
    st.best_cost = best;
    st.seconds = pl_clock_seconds() - t0;
    st.t_start = t_start;
    st.t_end = t_end;
    if (stats) *stats = st;
    free(bx);
    free(by);
    free(bo);
    macros_free(&mc);
    return s;
}
