/* test_place.c: the placement pipeline (search/place.h) and the construction it starts from
 * (search/construct.h): legal results (pl_legalize_check and an independent integer check), fixed
 * macros and blockages kept, standard cells untouched, reproducible for a seed whatever the threads,
 * the last stage equal to what `placer eval` computes, the prior plugged in as one function. */
#include <math.h>

#include "cluster/problem.h"
#include "cluster/softcost.h"
#include "parsers/def.h"
#include "core/alloc.h"
#include "core/log.h"
#include "gplace/full.h"
#include "search/construct.h"
#include "search/place.h"
#include "tests/testutil.h"

static pl_netlist nl;
static void setup(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(&nl);
}
static void teardown(void) { pl_netlist_free(&nl); }
TestSuite(place, .init = setup, .fini = teardown);

static void read_gen(pl_netlist *n, const char *name)
{
    char def[256];
    snprintf(def, sizeof def, "designs/%s/%s.def", name, name);
    cr_assert_eq(pl_design_read(n, def, NULL, 0), PL_OK, "%s", pl_errmsg());
}

/* Sets n up as `placer eval` does (seed): n moves into p until unprepare() gives it back. */
static pl_status prepare(pl_netlist *n, uint64_t seed, pl_problem *p)
{
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.prep.seed = seed;
    return pl_problem_setup_netlist(p, n, &pc);
}

static void unprepare(pl_netlist *n, pl_problem *p)
{
    pl_netlist_free(n);
    *n = p->flat;
    pl_netlist_init(&p->flat);
    pl_problem_free(p);
}

/* pl_place_run on n, set up with the run's seed; n gets the placed design. */
static pl_status place_nl(pl_netlist *n, const pl_place_config *cfg, pl_place_result *res)
{
    pl_problem p;
    pl_status s = prepare(n, cfg->seed, &p);
    if (s == PL_OK) s = pl_place_run(&p, cfg, res);
    unprepare(n, &p);
    return s;
}

/* Small budgets, no time limit: a deterministic run that takes about a second. */
static void small_config(pl_place_config *cfg)
{
    pl_place_config_default(cfg);
    cr_assert_eq(pl_place_config_effort(cfg, "fast"), PL_OK);
    cfg->time_limit = 0;
    cfg->rollouts = 12;
    cfg->keep = 3;
    cfg->chains = 2;
    cfg->rounds = 3;
    cfg->moves_per_macro = 600;
    cfg->threads = 1;
}

/* Independent legality check in integer DBU: every hard macro inside the rows' bounding box, its
 * lower-left on a site of some row (x) and on a row's y, no two macros overlapping (halos added),
 * none overlapping a hard placement blockage. */
static void assert_legal_independent(const pl_netlist *n)
{
    char msg[256] = "";
    cr_assert_eq(pl_legalize_check(n, NULL, msg, sizeof msg), 0, "%s", msg);
    double u = n->dbu_per_micron > 0 ? n->dbu_per_micron : 1000;
    int64_t cx0 = INT64_MAX, cy0 = INT64_MAX, cx1 = INT64_MIN, cy1 = INT64_MIN, sx = 0;
    for (int64_t r = 0; r < n->nrows; r++) {
        const pl_row *w = &n->rows[r];
        int64_t x0 = llround(w->x * u), y0 = llround(w->y * u), step = llround(w->sx * u);
        int64_t x1 = x0 + step * w->nx, y1 = y0 + llround(1.4 * u); /* generated designs: 1.4 µm rows */
        cx0 = x0 < cx0 ? x0 : cx0, cy0 = y0 < cy0 ? y0 : cy0;
        cx1 = x1 > cx1 ? x1 : cx1, cy1 = y1 > cy1 ? y1 : cy1;
        sx = step;
    }
    int64_t row_h = llround(1.4 * u);
    for (int64_t i = 0; i < n->nnodes; i++) {
        const pl_node *a = &n->nodes[i];
        if (a->kind != PL_NODE_MACRO) continue;
        cr_assert_neq(a->state, PL_PLACE_UNPLACED, "%s placed", a->name);
        int64_t x0 = llround(a->x * u), y0 = llround(a->y * u);
        int64_t x1 = x0 + llround(pl_node_width(a) * u), y1 = y0 + llround(pl_node_height(a) * u);
        cr_assert(x0 >= cx0 && y0 >= cy0 && x1 <= cx1 && y1 <= cy1, "%s inside the core", a->name);
        cr_assert_eq((x0 - cx0) % sx, 0, "%s on the site grid", a->name);
        cr_assert_eq((y0 - cy0) % row_h, 0, "%s on a row", a->name);
        cr_assert_float_eq(a->x * u, (double)x0, 1e-6, "%s on the DBU grid", a->name);
        for (int64_t k = 0; k < n->nblockages; k++) {
            const pl_blockage *b = &n->blockages[k];
            if (b->kind != PL_BLOCK_PLACEMENT || b->soft || b->partial > 0) continue;
            int64_t bx0 = llround(b->r.x0 * u), by0 = llround(b->r.y0 * u);
            int64_t bx1 = llround(b->r.x1 * u), by1 = llround(b->r.y1 * u);
            cr_assert(!(x0 < bx1 && bx0 < x1 && y0 < by1 && by0 < y1), "%s overlaps a blockage", a->name);
        }
        for (int64_t j = i + 1; j < n->nnodes; j++) {
            const pl_node *b = &n->nodes[j];
            if (b->kind != PL_NODE_MACRO) continue;
            int64_t p0 = llround((b->x - b->halo[0]) * u), q0 = llround((b->y - b->halo[1]) * u);
            int64_t p1 = llround((b->x + pl_node_width(b) + b->halo[2]) * u);
            int64_t q1 = llround((b->y + pl_node_height(b) + b->halo[3]) * u);
            cr_assert(!(x0 < p1 && p0 < x1 && y0 < q1 && q0 < y1), "%s and %s overlap", a->name, b->name);
        }
    }
}

Test(place, construct_rollouts_are_legal_and_greedy_is_deterministic)
{
    read_gen(&nl, "demo");
    pl_problem prob;
    cr_assert_eq(prepare(&nl, 1, &prob), PL_OK, "%s", pl_errmsg());
    pl_cost_config cc = prob.cost;
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, prob.nl, &cc), PL_OK, "%s", pl_errmsg());
    double region[4] = {5, 5, cc.canvas_w - 5, cc.canvas_h - 5};
    double block[4] = {60, 60, 80, 80};
    pl_construct k;
    cr_assert_eq(pl_construct_init(&k, &c, region, block, 1), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(k.n, 16);
    for (int32_t i = 1; i < k.n; i++) { /* area descending */
        const pl_node *a = &prob.nl->nodes[k.order[i - 1]], *b = &prob.nl->nodes[k.order[i]];
        cr_assert_geq(a->w * a->h, b->w * b->h);
    }
    pl_construct_work w;
    cr_assert_eq(pl_construct_work_init(&w, &k), PL_OK);
    pl_prior priors[2] = {pl_prior_wiremask(), pl_prior_uniform()};
    int32_t greedy[16];
    for (int p = 0; p < 2; p++) {
        for (int run = 0; run < 4; run++) {
            pl_rng rng;
            pl_rng_derive(&rng, 9, (uint64_t)p, (uint64_t)run);
            int32_t placed;
            double temp = run < 2 ? 0 : 0.5;
            cr_assert_eq(pl_construct_rollout(&k, &w, &priors[p], temp, 0, &rng, &placed), PL_OK);
            cr_assert_eq(placed, k.n, "prior %d run %d placed %d", p, run, placed);
            for (int32_t i = 0; i < k.n; i++) {
                double x, y;
                pl_construct_cell_center(&k, w.cells[i], &x, &y);
                const double *e = k.ext + 4 * i;
                cr_assert(x - e[0] >= region[0] - 1e-9 && x + e[2] <= region[2] + 1e-9, "inside (x)");
                cr_assert(y - e[1] >= region[1] - 1e-9 && y + e[3] <= region[3] + 1e-9, "inside (y)");
                cr_assert(!(x + e[2] > block[0] + 1e-9 && x - e[0] < block[2] - 1e-9 && y + e[3] > block[1] + 1e-9 &&
                            y - e[1] < block[3] - 1e-9), "clear of the blockage");
                for (int32_t j = 0; j < i; j++) {
                    double x2, y2;
                    pl_construct_cell_center(&k, w.cells[j], &x2, &y2);
                    const double *f = k.ext + 4 * j;
                    cr_assert(!(x + e[2] > x2 - f[0] + 1e-9 && x2 + f[2] > x - e[0] + 1e-9 &&
                                y + e[3] > y2 - f[1] + 1e-9 && y2 + f[3] > y - e[1] + 1e-9), "no overlap");
                }
            }
            if (p == 0 && run == 0) memcpy(greedy, w.cells, sizeof greedy);
            if (p == 0 && run == 1) cr_assert_arr_eq(greedy, w.cells, sizeof greedy, "greedy is deterministic");
        }
    }
    pl_construct_work_free(&w);
    pl_construct_free(&k);
    pl_cost_free(&c);
    unprepare(&nl, &prob);
}

/* The greedy wire-mask rollout puts the first macro where the weighted HPWL increase is least. */
static pl_status record_fn(void *user, const pl_prior_state *st, double *weight)
{
    double *best = user;
    if (st->step == 0) {
        double lo = INFINITY;
        for (int32_t a = 0; a < st->cols * st->rows; a++)
            if (st->mask[a] && st->wire[a] < lo) lo = st->wire[a];
        *best = lo;
    }
    return pl_prior_wiremask().fn(NULL, st, weight);
}

/* The "small" design prepared, its cost and a construction over the canvas less the margins m (x0 y0 x1 y1). */
typedef struct small_k {
    pl_problem prob;
    pl_cost c;
    pl_construct k;
    pl_construct_work w;
} small_k;

static void small_k_init(small_k *s, const double m[4])
{
    read_gen(&nl, "small");
    cr_assert_eq(prepare(&nl, 1, &s->prob), PL_OK, "%s", pl_errmsg());
    pl_cost_config cc = s->prob.cost;
    cr_assert_eq(pl_cost_init(&s->c, s->prob.nl, &cc), PL_OK);
    double region[4] = {m[0], m[1], cc.canvas_w - m[2], cc.canvas_h - m[3]};
    cr_assert_eq(pl_construct_init(&s->k, &s->c, region, NULL, 0), PL_OK);
    cr_assert_eq(pl_construct_work_init(&s->w, &s->k), PL_OK);
}

static void small_k_free(small_k *s)
{
    pl_construct_work_free(&s->w);
    pl_construct_free(&s->k);
    pl_cost_free(&s->c);
    unprepare(&nl, &s->prob);
}

Test(place, wiremask_greedy_picks_the_least_wire)
{
    small_k s;
    small_k_init(&s, (double[4]){0, 0, 0, 0});
    const pl_construct *k = &s.k;
    const pl_cost *c = &s.c;
    double best = NAN;
    pl_prior pr = {record_fn, &best, "record", 0};
    pl_rng rng;
    pl_rng_seed(&rng, 1);
    int32_t placed;
    cr_assert_eq(pl_construct_rollout(k, &s.w, &pr, 0, 0, &rng, &placed), PL_OK);
    cr_assert_eq(placed, k->n);
    /* recompute the HPWL increase of the first macro at its chosen cell directly */
    double x, y, inc = 0;
    pl_construct_cell_center(k, s.w.cells[0], &x, &y);
    int32_t v = k->order[0];
    for (int32_t q = c->node_net_off[v]; q < c->node_net_off[v + 1]; q++) {
        int32_t n = c->node_nets[q];
        double a0 = INFINITY, a1 = -INFINITY, b0 = INFINITY, b1 = -INFINITY; /* without the macro */
        double m0 = INFINITY, m1 = -INFINITY, n0 = INFINITY, n1 = -INFINITY; /* with it at (x, y) */
        for (int32_t t = c->net_pin_off[n]; t < c->net_pin_off[n + 1]; t++) {
            int32_t p = c->net_pins[t], u = c->pin_node[p];
            int moving = 0;
            for (int32_t i = 0; i < k->n; i++) moving |= k->order[i] == u;
            double px = c->pin_x[p], py = c->pin_y[p];
            if (u == v) px += x - c->cx[v], py += y - c->cy[v];
            else if (moving) continue;
            if (u != v) a0 = fmin(a0, px), a1 = fmax(a1, px), b0 = fmin(b0, py), b1 = fmax(b1, py);
            m0 = fmin(m0, px), m1 = fmax(m1, px), n0 = fmin(n0, py), n1 = fmax(n1, py);
        }
        if (a0 <= a1) inc += c->net_w[n] * ((m1 - m0) - (a1 - a0) + (n1 - n0) - (b1 - b0));
    }
    cr_assert_float_eq(inc, best, 1e-6 * (1 + fabs(best)), "increase %g, least %g", inc, best);
    small_k_free(&s);
}

/* The edge map handed to the prior, checked against the footprint's distance to the region's sides. */
typedef struct edge_rec {
    const pl_construct *k;
    int checked;
    double worst;
} edge_rec;

static pl_status edge_fn(void *user, const pl_prior_state *st, double *weight)
{
    edge_rec *r = user;
    const pl_construct *k = r->k;
    const double *e = k->ext + 4 * st->step, *g = k->region;
    double half = 0.5 * fmin(g[2] - g[0], g[3] - g[1]);
    for (int32_t a = 0; a < k->A; a++) {
        double x, y;
        pl_construct_cell_center(k, a, &x, &y);
        double d = fmin(fmin(x - e[0] - g[0], g[2] - x - e[2]), fmin(y - e[1] - g[1], g[3] - y - e[3]));
        double want = (d > 0 ? d : 0) / half;
        r->worst = fmax(r->worst, fabs(st->edge[a] - want));
        r->checked++;
    }
    cr_assert_eq(st->edge_weight, 4);
    /* the greedy wire-mask prior's pick: the least wire + weight x spread x edge */
    PL_TRY(pl_prior_wiremask().fn(NULL, st, weight));
    double lo = INFINITY, sum = 0, best = INFINITY;
    int32_t n = 0, arg = -1;
    for (int32_t a = 0; a < k->A; a++)
        if (st->mask[a]) lo = fmin(lo, st->wire[a]), sum += st->wire[a], n++;
    for (int32_t a = 0; a < k->A; a++) {
        if (!st->mask[a]) continue;
        double v = st->wire[a] + st->edge_weight * (sum / n - lo) * st->edge[a];
        if (v < best) best = v, arg = a;
    }
    for (int32_t a = 0; a < k->A; a++) cr_assert_eq(weight[a], a == arg ? 1.0 : 0.0, "step %d cell %d", st->step, (int)a);
    return PL_OK;
}

Test(place, edge_term_is_the_distance_to_the_sides_and_pulls_the_greedy_pick)
{
    small_k s;
    small_k_init(&s, (double[4]){1.5, 2.0, 1.0, 0.5});
    edge_rec r = {&s.k, 0, 0};
    pl_prior pr = {edge_fn, &r, "edge", 0};
    pl_rng rng;
    pl_rng_seed(&rng, 1);
    int32_t placed;
    cr_assert_eq(pl_construct_rollout(&s.k, &s.w, &pr, 0, 4, &rng, &placed), PL_OK);
    cr_assert_gt(placed, 0);
    cr_assert_eq(r.checked, placed * s.k.A);
    cr_assert_lt(r.worst, 1e-12, "edge map off by %g", r.worst);
    small_k_free(&s);
}

/* Mean distance of the movable hard macros to the nearest side of the rows' box, over its smaller half side. */
static double mean_edge(const pl_netlist *n, const uint8_t *movable)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY, sum = 0;
    for (int64_t r = 0; r < n->nrows; r++) {
        const pl_row *w = &n->rows[r];
        x0 = fmin(x0, w->x), y0 = fmin(y0, w->y), x1 = fmax(x1, w->x + w->sx * w->nx), y1 = fmax(y1, w->y + 1.4);
    }
    int m = 0;
    for (int64_t i = 0; i < n->nnodes; i++) {
        const pl_node *a = &n->nodes[i];
        if (!movable[i]) continue;
        double d = fmin(fmin(a->x - x0, x1 - a->x - pl_node_width(a)), fmin(a->y - y0, y1 - a->y - pl_node_height(a)));
        sum += fmax(d, 0) / (0.5 * fmin(x1 - x0, y1 - y0));
        m++;
    }
    return sum / m;
}

Test(place, edge_weight_moves_the_greedy_placement_toward_the_sides, .timeout = 60)
{
    double edge[2];
    for (int t = 0; t < 2; t++) {
        read_gen(&nl, "demo");
        uint8_t *movable = calloc((size_t)nl.nnodes, 1);
        for (int64_t i = 0; i < nl.nnodes; i++)
            movable[i] = nl.nodes[i].kind == PL_NODE_MACRO && nl.nodes[i].state != PL_PLACE_FIXED;
        pl_place_config cfg;
        small_config(&cfg);
        cfg.rollouts = 1, cfg.chains = 0, cfg.fd_start = 0;
        cfg.edge_weight = t ? 8 : 0;
        cfg.edge_all = 1; /* rollout 0 too (by default the odd rollouts only) */
        pl_place_result res;
        cr_assert_eq(place_nl(&nl, &cfg, &res), PL_OK, "%s", pl_errmsg());
        assert_legal_independent(&nl);
        edge[t] = mean_edge(&nl, movable);
        free(movable);
        pl_netlist_free(&nl);
        pl_netlist_init(&nl);
    }
    cr_assert_lt(edge[1], 0.75 * edge[0], "mean distance to the sides: %.3f with the edge term, %.3f without", edge[1],
                 edge[0]);
}

/* --online: the rollouts in generations, each one's best (so far) reported and never worse than the one
 * before; every rollout still runs; the same result with 1 or 2 threads; without it, no generation. */
Test(place, online_generations_learn_and_are_reproducible, .timeout = 120)
{
    pl_place_config cfg;
    pl_place_result r[3];
    double xy[3][64] = {{0}};
    int nxy = 0;
    for (int t = 0; t < 3; t++) {
        read_gen(&nl, "demo");
        small_config(&cfg);
        cfg.rollouts = 24, cfg.chains = 0;
        cfg.online = t < 2 ? 4 : 0;
        cfg.threads = t == 1 ? 2 : 1;
        cr_assert_eq(place_nl(&nl, &cfg, &r[t]), PL_OK, "%s", pl_errmsg());
        assert_legal_independent(&nl);
        int k = 0;
        for (int64_t i = 0; i < nl.nnodes && k < 64; i++)
            if (nl.nodes[i].kind == PL_NODE_MACRO) xy[t][k++] = nl.nodes[i].x, xy[t][k++] = nl.nodes[i].y;
        nxy = k;
        pl_netlist_free(&nl);
        pl_netlist_init(&nl);
    }
    cr_assert_eq(r[0].generations, 4);
    cr_assert_eq(r[2].generations, 0, "one batch without --online");
    cr_assert_eq(r[0].rollouts, 24);
    for (int g = 0; g < 4; g++) {
        cr_assert_eq(r[0].generation[g].rollouts, 6 * (g + 1));
        cr_assert(isfinite(r[0].generation[g].best));
        if (g) cr_assert_leq(r[0].generation[g].best, r[0].generation[g - 1].best);
        /* the quick cost is summed incrementally on each thread's own cost state, so its last bits depend on
         * which rollouts a thread ran before; the placements and the costs after FD do not */
        cr_assert_float_eq(r[0].generation[g].best, r[1].generation[g].best, 1e-12, "generation %d, 1 or 2 threads", g);
    }
    cr_assert_gt(nxy, 0);
    cr_assert_eq(memcmp(xy[0], xy[1], (size_t)nxy * sizeof xy[0][0]), 0, "1 or 2 threads: the same placement");
    cr_assert_eq(r[0].stage[1].terms.proxy_cost, r[1].stage[1].terms.proxy_cost);
}

static void node_positions(const pl_netlist *n, double *xy)
{
    for (int64_t i = 0; i < n->nnodes; i++) xy[2 * i] = n->nodes[i].x, xy[2 * i + 1] = n->nodes[i].y;
}

Test(place, small_pipeline_is_legal_and_improves, .timeout = 60)
{
    read_gen(&nl, "small");
    double *before = malloc((size_t)nl.nnodes * 2 * sizeof *before);
    node_positions(&nl, before);
    pl_place_config cfg;
    small_config(&cfg);
    pl_place_result res;
    cr_assert_eq(place_nl(&nl, &cfg, &res), PL_OK, "%s", pl_errmsg());
    assert_legal_independent(&nl);
    cr_assert_eq(res.nstages, 4);
    const char *names[4] = {"start", "search", "refine", "legalize"};
    for (int i = 0; i < 4; i++) {
        cr_assert_str_eq(res.stage[i].name, names[i]);
        cr_assert(isfinite(res.stage[i].terms.proxy_cost) && res.stage[i].terms.proxy_cost > 0);
        cr_assert_float_eq(res.stage[i].terms.proxy_cost,
                           res.stage[i].terms.wirelength_cost + 0.5 * res.stage[i].terms.density_cost +
                               0.5 * res.stage[i].terms.congestion_cost, 1e-9);
    }
    cr_assert_leq(res.stage[2].terms.proxy_cost, res.stage[1].terms.proxy_cost, "refinement keeps the best");
    cr_assert_eq(res.movable, 4);
    cr_assert_eq(res.rollouts, 12);
    cr_assert_gt(res.moves, 0);
    for (int64_t i = 0; i < nl.nnodes; i++) { /* only macros move */
        if (nl.nodes[i].kind == PL_NODE_MACRO) {
            cr_assert_eq(nl.nodes[i].state, PL_PLACE_FIXED);
            continue;
        }
        cr_assert_eq(nl.nodes[i].x, before[2 * i], "%s moved", nl.nodes[i].name);
        cr_assert_eq(nl.nodes[i].y, before[2 * i + 1], "%s moved", nl.nodes[i].name);
    }
    free(before);
}

/* The last stage is what eval computes for the result: prepare the flat result again, same seed. */
Test(place, last_stage_equals_eval_and_runs_are_reproducible, .timeout = 120)
{
    read_gen(&nl, "demo");
    pl_netlist b;
    pl_netlist_init(&b);
    read_gen(&b, "demo");
    pl_place_config cfg;
    small_config(&cfg);
    cfg.seed = 7;
    pl_place_result r1, r2;
    cr_assert_eq(place_nl(&nl, &cfg, &r1), PL_OK, "%s", pl_errmsg());
    cfg.threads = 2; /* same budgets, other threads: same result */
    cr_assert_eq(place_nl(&b, &cfg, &r2), PL_OK, "%s", pl_errmsg());
    for (int64_t i = 0; i < nl.nnodes; i++) {
        cr_assert_eq(nl.nodes[i].x, b.nodes[i].x, "%s", nl.nodes[i].name);
        cr_assert_eq(nl.nodes[i].y, b.nodes[i].y, "%s", nl.nodes[i].name);
        cr_assert_eq(nl.nodes[i].orient, b.nodes[i].orient, "%s", nl.nodes[i].name);
    }
    for (int i = 0; i < r1.nstages; i++)
        cr_assert_eq(r1.stage[i].terms.proxy_cost, r2.stage[i].terms.proxy_cost, "stage %s", r1.stage[i].name);
    assert_legal_independent(&nl);
    pl_problem prob;
    cr_assert_eq(prepare(&nl, 7, &prob), PL_OK, "%s", pl_errmsg());
    pl_cost c;
    int has_cost = 0;
    pl_soft_mean sm; /* the mean over the soft placements, as eval reports it */
    cr_assert_eq(pl_soft_cost(&prob, prob.nl, 1, &c, &has_cost, &sm), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(sm.runs, PL_SOFT_RUNS);
    cr_assert_eq(r1.soft_runs, PL_SOFT_RUNS);
    cr_assert_eq(sm.mean.proxy_cost, r1.stage[r1.nstages - 1].terms.proxy_cost);
    cr_assert_eq(sm.mean.congestion_cost, r1.stage[r1.nstages - 1].terms.congestion_cost);
    pl_cost_free(&c);
    unprepare(&nl, &prob);
    /* another seed gives another placement */
    pl_netlist_free(&b);
    pl_netlist_init(&b);
    read_gen(&b, "demo");
    cfg.seed = 8;
    cr_assert_eq(place_nl(&b, &cfg, &r2), PL_OK);
    int differ = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) differ += nl.nodes[i].x != b.nodes[i].x || nl.nodes[i].y != b.nodes[i].y;
    cr_assert_gt(differ, 0);
    pl_netlist_free(&b);
}

/* demo placed with the referee `mode` measuring 3 candidates; the checks every mode shares: at least
 * two measured, in proxy order, the lowest score chosen, a "referee" stage before the last. */
static void place_refereed(int mode, pl_place_config *cfg, pl_place_result *res)
{
    read_gen(&nl, "demo");
    small_config(cfg);
    cfg->referee = mode;
    cfg->referee_keep = 3;
    cr_assert_eq(place_nl(&nl, cfg, res), PL_OK, "%s", pl_errmsg());
    assert_legal_independent(&nl);
    cr_assert_geq(res->njudged, 2, "two chains and the starts give at least two distinct candidates");
    cr_assert_leq(res->njudged, 3);
    cr_assert(res->chosen >= 0 && res->chosen < res->njudged);
    for (int i = 0; i < res->njudged; i++) {
        cr_assert_leq(res->judged[res->chosen].score, res->judged[i].score);
        if (i > 0) cr_assert_leq(res->judged[i - 1].proxy, res->judged[i].proxy, "measured in proxy order");
    }
    cr_assert_eq(res->nstages, 5);
    cr_assert_str_eq(res->stage[3].name, "referee");
    cr_assert_str_eq(res->stage[4].name, "legalize");
}

/* --referee full: every candidate measured, the lowest full score chosen, and the written result's
 * full figures (measured again on the placed design, same seed) are the chosen candidate's. */
Test(place, full_referee_chooses_the_lowest_full_score, .timeout = 120)
{
    pl_place_config cfg;
    pl_place_result res;
    place_refereed(PL_PLACE_REFEREE_FULL, &cfg, &res);
    for (int i = 0; i < res.njudged; i++) {
        const pl_place_judged *j = &res.judged[i];
        cr_assert(j->hpwl > 0 && j->overflow >= 0 && j->score >= j->hpwl);
    }
    cr_assert_eq(res.stage[3].terms.proxy_cost, res.judged[res.chosen].proxy);
    pl_full_config fc;
    pl_full_config_default(&fc);
    fc.gplace.seed = cfg.seed;
    pl_full_stats fs;
    cr_assert_eq(pl_full_eval(&nl, &fc, &fs, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert_float_eq(fs.hpwl, res.judged[res.chosen].hpwl, 1e-6 * fs.hpwl);
    cr_assert_float_eq(fs.route.total_overflow, res.judged[res.chosen].overflow, 1e-9);
    cr_assert_float_eq(pl_full_score(&fs, cfg.referee_lambda), res.judged[res.chosen].score, 1e-6 * fs.hpwl);
}

/* --referee mean: the candidates measured by the mean over their soft placements, the lowest chosen,
 * and the result's reported proxy (legalised, the mean as eval reports it) is the chosen one's. */
Test(place, mean_referee_chooses_the_lowest_mean_and_reports_it, .timeout = 120)
{
    pl_place_config cfg;
    pl_place_result res;
    place_refereed(PL_PLACE_REFEREE_MEAN, &cfg, &res);
    for (int i = 0; i < res.njudged; i++) cr_assert(res.judged[i].score > 0 && isfinite(res.judged[i].score));
    cr_assert_eq(res.soft_runs, PL_SOFT_RUNS);
    cr_assert_eq(res.stage[4].terms.proxy_cost, res.judged[res.chosen].score,
                 "the final figure is the one the referee chose by");
}

/* The channel (legal.spacing): every pair of hard macros ends at least that far apart, by an
 * independent pairwise check of the written positions, and the legaliser had nothing to repair. */
/* The closest pair of hard macros, µm (negative: overlap). */
static double closest_macros(const pl_netlist *n)
{
    double gmin = INFINITY;
    for (int64_t i = 0; i < n->nnodes; i++) {
        const pl_node *a = &n->nodes[i];
        if (a->kind != PL_NODE_MACRO) continue;
        for (int64_t j = i + 1; j < n->nnodes; j++) {
            const pl_node *b = &n->nodes[j];
            if (b->kind != PL_NODE_MACRO) continue;
            double gx = fmax(b->x - (a->x + pl_node_width(a)), a->x - (b->x + pl_node_width(b)));
            double gy = fmax(b->y - (a->y + pl_node_height(a)), a->y - (b->y + pl_node_height(b)));
            gmin = fmin(gmin, fmax(gx, gy));
        }
    }
    return gmin;
}

Test(place, channel_keeps_macros_apart, .timeout = 60)
{
    read_gen(&nl, "demo");
    pl_place_config cfg;
    small_config(&cfg);
    cfg.legal.spacing = 4.0;
    pl_place_result res;
    cr_assert_eq(place_nl(&nl, &cfg, &res), PL_OK, "%s", pl_errmsg());
    assert_legal_independent(&nl);
    double gmin = closest_macros(&nl);
    cr_assert_geq(gmin, 4.0 - 1e-6, "closest macro pair %.4f um apart", gmin);
    cr_assert_leq(res.legal.max_disp, 1.0, "the search kept the channel: legalisation moved %.3f um", res.legal.max_disp);
}

/* A channel no start can keep: an error naming it, or, with channel_narrow, a search again with half of
 * it until one fits, the result keeping the narrower channel (res.channel). */
Test(place, a_channel_too_wide_fails_or_narrows, .timeout = 120)
{
    read_gen(&nl, "demo");
    pl_place_config cfg;
    small_config(&cfg);
    cfg.legal.spacing = 60.0;
    pl_place_result res;
    cr_assert_neq(place_nl(&nl, &cfg, &res), PL_OK);
    cr_assert(strstr(pl_errmsg(), "60.000 um channel"), "%s", pl_errmsg());
    pl_err_clear();
    cfg.channel_narrow = 1;
    cr_assert_eq(place_nl(&nl, &cfg, &res), PL_OK, "%s", pl_errmsg());
    cr_assert(res.channel < 60.0 && res.channel >= 0, "kept %.3f um", res.channel);
    assert_legal_independent(&nl);
    double gmin = closest_macros(&nl);
    cr_assert_geq(gmin, res.channel - 1e-6, "closest macro pair %.4f um apart, channel %.3f", gmin, res.channel);
    fprintf(stderr, "[place] a 60 um channel narrowed to %.3f um; closest pair %.3f um\n", res.channel, gmin);
}

Test(place, fixed_macros_and_blockages_are_kept, .timeout = 60)
{
    read_gen(&nl, "demo");
    double cx0 = 1e300, cy0 = 1e300;
    for (int64_t r = 0; r < nl.nrows; r++) cx0 = fmin(cx0, nl.rows[r].x), cy0 = fmin(cy0, nl.rows[r].y);
    int32_t fixed = -1;
    for (int64_t i = 0; i < nl.nnodes && fixed < 0; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) fixed = (int32_t)i;
    pl_node *f = &nl.nodes[fixed];
    f->state = PL_PLACE_FIXED;
    f->x = cx0, f->y = cy0;
    /* a hard placement blockage over the middle of the die */
    cr_assert_eq(PL_GROW(nl.blockages, nl.blockages_cap, nl.nblockages + 1), PL_OK);
    pl_blockage *bl = &nl.blockages[nl.nblockages++];
    memset(bl, 0, sizeof *bl);
    bl->kind = PL_BLOCK_PLACEMENT;
    double mx = 0.5 * (nl.die.x0 + nl.die.x1), my = 0.5 * (nl.die.y0 + nl.die.y1);
    bl->r = (pl_rect){mx - 20, my - 20, mx + 20, my + 20};
    pl_place_config cfg;
    small_config(&cfg);
    pl_place_result res;
    cr_assert_eq(place_nl(&nl, &cfg, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(res.fixed, 1);
    cr_assert_eq(res.movable, 15);
    cr_assert_eq(nl.nodes[fixed].x, cx0);
    cr_assert_eq(nl.nodes[fixed].y, cy0);
    assert_legal_independent(&nl);
}

/* A prior is one function: a custom one that only ever wants the top-right legal cell is obeyed. */
static pl_status top_right_fn(void *user, const pl_prior_state *st, double *weight)
{
    int *calls = user;
    __atomic_add_fetch(calls, 1, __ATOMIC_RELAXED);
    int32_t A = st->cols * st->rows, pick = -1;
    for (int32_t a = 0; a < A; a++) {
        weight[a] = 0;
        if (st->mask[a]) pick = a;
    }
    if (pick >= 0) weight[pick] = 1;
    return PL_OK;
}

Test(place, custom_prior_is_used_and_uniform_runs, .timeout = 60)
{
    read_gen(&nl, "small");
    pl_place_config cfg;
    small_config(&cfg);
    int calls = 0;
    cfg.prior = (pl_prior){top_right_fn, &calls, "top-right", 0};
    cfg.chains = 0; /* search only */
    cfg.fd_start = 0;
    pl_place_result res;
    cr_assert_eq(place_nl(&nl, &cfg, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(calls, 12 * 4, "one call per rollout and macro");
    cr_assert_eq(res.moves, 0);
    /* the largest macro ends up in the top-right part of the die */
    double best_area = 0, cx = 0, cy = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_MACRO || n->w * n->h <= best_area) continue;
        best_area = n->w * n->h;
        pl_node_center(n, &cx, &cy);
    }
    cr_assert_gt(cx, 0.5 * (nl.die.x0 + nl.die.x1));
    cr_assert_gt(cy, 0.5 * (nl.die.y0 + nl.die.y1));
    assert_legal_independent(&nl);

    pl_netlist_free(&nl);
    pl_netlist_init(&nl);
    read_gen(&nl, "small");
    small_config(&cfg);
    cfg.prior = pl_prior_uniform();
    cr_assert_eq(place_nl(&nl, &cfg, &res), PL_OK, "%s", pl_errmsg());
    assert_legal_independent(&nl);
}

Test(place, effort_presets)
{
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    cr_assert_str_eq(cfg.effort, "default");
    cr_assert_float_eq(cfg.time_limit, 300, 1e-12);
    cr_assert_eq(pl_place_config_effort(&cfg, "fast"), PL_OK);
    cr_assert_float_eq(cfg.time_limit, 30, 1e-12);
    cr_assert_eq(pl_place_config_effort(&cfg, "high"), PL_OK);
    cr_assert_float_eq(cfg.time_limit, 1200, 1e-12);
    cr_assert_eq(pl_place_config_effort(&cfg, "turbo"), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "turbo"));
}
