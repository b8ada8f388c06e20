/* test_env.c: the placement environment: masks, rewards against an independent cost, reset, infeasible
 * episodes, the static observation's round trip, Circuit Training designs. */
#include <math.h>
#include <string.h>

#include "gplace/full.h"
#include "rl/env.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

static const char *fixture(int nmacros, int nsoft, uint64_t seed)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, nmacros, nsoft, seed), 0);
    static char path[8][256];
    static int k;
    char *p = path[k++ & 7];
    snprintf(p, sizeof path[0], "%s/netlist.pb.txt", dir);
    return p;
}

static void open_env(pl_env *e, const char *path, const pl_env_config *cfg)
{
    pl_env_source src = {0};
    src.path = path;
    cr_assert_eq(pl_env_init(e, &src, cfg), PL_OK, "%s", pl_errmsg());
}

/* Brute force: is cell a legal for macro order[t]? */
static int legal_oracle(const pl_env *e, int32_t a)
{
    const pl_node *nd = &e->nl->nodes[e->order[e->t]];
    double w = pl_node_width(nd), h = pl_node_height(nd);
    double cx = (a % e->cols + 0.5) * e->gw, cy = (a / e->cols + 0.5) * e->gh;
    double x0 = cx - w / 2, y0 = cy - h / 2, x1 = cx + w / 2, y1 = cy + h / 2;
    if (x0 < -1e-6 || y0 < -1e-6 || x1 > e->W + 1e-6 || y1 > e->H + 1e-6) return 0;
    for (int32_t k = 0; k < e->t; k++) {
        const pl_node *o = &e->nl->nodes[e->order[k]];
        double ox0 = o->x, oy0 = o->y, ox1 = o->x + pl_node_width(o), oy1 = o->y + pl_node_height(o);
        if (x1 > ox0 + 1e-6 && x0 < ox1 - 1e-6 && y1 > oy0 + 1e-6 && y0 < oy1 - 1e-6) return 0;
    }
    return 1;
}

Test(rl_env, mask_matches_brute_force_and_illegal_cells_are_refused)
{
    pl_env e;
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.fd_steps = 10;
    open_env(&e, fixture(16, 8, 3), &cfg);
    cr_assert_eq(e.nsteps, 16);
    cr_assert_eq(e.cols * e.rows, 256);
    pl_rng r;
    pl_rng_seed(&r, 5);
    cr_assert_eq(pl_env_reset(&e), PL_OK);
    int checked = 0;
    while (!e.done) {
        int32_t legal = 0, first = -1, illegal = -1;
        for (int32_t a = 0; a < e.A; a++) {
            cr_assert_eq(e.mask[a], legal_oracle(&e, a), "step %d cell %d", (int)e.t, (int)a);
            legal += e.mask[a];
            if (e.mask[a] && first < 0) first = a;
            if (!e.mask[a]) illegal = a;
            checked++;
        }
        cr_assert_eq(pl_env_legal_count(&e), legal);
        double rw;
        int done;
        if (illegal >= 0) cr_assert_eq(pl_env_step(&e, illegal, &rw, &done), PL_EINVAL);
        int32_t k = (int32_t)pl_rng_below(&r, (uint64_t)legal), a = 0;
        for (; a < e.A; a++)
            if (e.mask[a] && k-- == 0) break;
        cr_assert_eq(pl_env_step(&e, a, &rw, &done), PL_OK, "%s", pl_errmsg());
        if (!done) cr_assert_eq(rw, 0.0, "no shaping: zero reward before the end");
    }
    cr_assert_gt(checked, 16 * 256 - 1);
    pl_env_free(&e);
    pl_env_free(&e); /* idempotent */
}

Test(rl_env, terminal_reward_is_minus_the_proxy_cost_of_the_final_placement)
{
    pl_env e;
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.fd_steps = 10;
    open_env(&e, fixture(16, 8, 4), &cfg);
    pl_rng r;
    pl_rng_seed(&r, 9);
    pl_env_result res;
    cr_assert_eq(pl_env_random_episode(&e, &r, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(res.infeasible, 0);
    cr_assert_eq(res.placed, 16);
    cr_assert_float_eq(res.reward, -res.terms.proxy_cost, 1e-15);
    cr_assert_float_eq(res.return_sum, res.reward, 1e-15);
    /* an independent evaluation of the netlist the episode left behind */
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, e.nl, &e.ccfg), PL_OK);
    pl_cost_terms t;
    pl_cost_full(&c, &t);
    cr_assert_float_eq(t.proxy_cost, res.terms.proxy_cost, 1e-9, "%.12g vs %.12g", t.proxy_cost, res.terms.proxy_cost);
    pl_cost_free(&c);
    /* every hard macro moved and is inside the canvas, none overlaps another */
    for (int32_t i = 0; i < e.nsteps; i++) {
        const pl_node *a = &e.nl->nodes[e.order[i]];
        cr_assert_eq(a->state, PL_PLACE_PLACED);
        cr_assert(a->x >= -1e-9 && a->y >= -1e-9 && a->x + pl_node_width(a) <= e.W + 1e-9);
        for (int32_t j = 0; j < i; j++) {
            const pl_node *b = &e.nl->nodes[e.order[j]];
            double ox = fmin(a->x + pl_node_width(a), b->x + pl_node_width(b)) - fmax(a->x, b->x);
            double oy = fmin(a->y + pl_node_height(a), b->y + pl_node_height(b)) - fmax(a->y, b->y);
            cr_assert(ox <= 1e-9 || oy <= 1e-9, "macros %d and %d overlap", (int)i, (int)j);
        }
    }
    pl_env_free(&e);
}

Test(rl_env, episodes_do_not_depend_on_history)
{
    pl_env e1, e2;
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.fd_steps = 10;
    cfg.shaping = 1.0;
    const char *p = fixture(12, 6, 5);
    open_env(&e1, p, &cfg);
    open_env(&e2, p, &cfg);
    pl_rng r;
    pl_env_result a, b;
    for (int k = 0; k < 3; k++) {
        pl_rng_seed(&r, 100 + k);
        cr_assert_eq(pl_env_random_episode(&e1, &r, &a), PL_OK);
    }
    pl_rng_seed(&r, 102);
    cr_assert_eq(pl_env_random_episode(&e2, &r, &b), PL_OK);
    cr_assert_eq(memcmp(&a.terms, &b.terms, sizeof a.terms), 0, "third episode of e1 == first of e2, bit for bit");
    cr_assert_eq(a.return_sum, b.return_sum);
    /* shaping: the per-step rewards sum to -Δ wirelength cost plus the terminal reward */
    cr_assert_neq(a.return_sum, a.reward);
    /* observations are identical too */
    cr_assert_eq(pl_env_reset(&e1), PL_OK);
    cr_assert_eq(pl_env_reset(&e2), PL_OK);
    size_t n = pl_env_rec_bytes(&e1);
    char *r1 = malloc(n), *r2 = malloc(n);
    pl_env_observe(&e1, r1);
    pl_env_observe(&e2, r2);
    cr_assert_eq(memcmp(r1, r2, n), 0);
    free(r1), free(r2);
    pl_env_free(&e1), pl_env_free(&e2);
}

Test(rl_env, no_legal_cell_ends_the_episode_with_the_penalty)
{
    pl_env e;
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.spacing = 150; /* after the first macro nothing else fits */
    cfg.infeasible_reward = -3.5;
    open_env(&e, fixture(6, 2, 6), &cfg);
    pl_rng r;
    pl_rng_seed(&r, 1);
    pl_env_result res;
    cr_assert_eq(pl_env_random_episode(&e, &r, &res), PL_OK);
    cr_assert_eq(res.infeasible, 1);
    cr_assert_lt(res.placed, 6);
    cr_assert_eq(res.reward, -3.5);
    double rw;
    int done;
    cr_assert_eq(pl_env_step(&e, 0, &rw, &done), PL_EINVAL, "no step after the end");
    pl_env_free(&e);
}

Test(rl_env, static_observation_round_trip_and_features)
{
    pl_env e;
    open_env(&e, fixture(16, 8, 7), NULL);
    const pl_obs_static *s = &e.st;
    cr_assert_eq(s->nhard, 16);
    cr_assert_eq(s->n, 16 + 8 + 16, "16 macros, 8 soft macros, 16 ports each in its own cell");
    cr_assert_gt(s->e, 16);
    double wsum = 0;
    for (int32_t k = 0; k < s->e; k++) {
        cr_assert_lt(s->edges[2 * k], s->edges[2 * k + 1], "i < j, no self-loop");
        if (k) cr_assert_lt((int64_t)s->edges[2 * k - 2] * s->n + s->edges[2 * k - 1],
                            (int64_t)s->edges[2 * k] * s->n + s->edges[2 * k + 1], "sorted, no duplicate");
        wsum += s->w[k];
    }
    cr_assert_float_eq(wsum / s->e, 1.0, 1e-5, "weights divided by their mean");
    for (int64_t i = 0; i < (int64_t)s->n * PL_OBS_F; i++) cr_assert(s->feat[i] >= 0 && s->feat[i] <= 1);
    size_t n = pl_obs_static_bytes(s);
    char *buf = malloc(n);
    pl_obs_static_pack(s, buf);
    pl_obs_static u;
    cr_assert_eq(pl_obs_static_unpack(&u, buf, n), PL_OK);
    cr_assert_eq(u.n, s->n);
    cr_assert_eq(memcmp(u.feat, s->feat, sizeof(float) * (size_t)s->n * PL_OBS_F), 0);
    cr_assert_eq(memcmp(u.edges, s->edges, sizeof(int32_t) * 2 * (size_t)s->e), 0);
    cr_assert_str_eq(u.name, s->name);
    pl_obs_static_free(&u);
    cr_assert_eq(pl_obs_static_unpack(&u, buf, n - 1), PL_EPARSE, "a truncated message is refused");
    pl_obs_static_free(&u);
    free(buf);
    /* a record becomes a model observation with the hard-macro rows updated */
    cr_assert_eq(pl_env_reset(&e), PL_OK);
    double rw;
    int done;
    int32_t a = 0;
    while (!e.mask[a]) a++;
    cr_assert_eq(pl_env_step(&e, a, &rw, &done), PL_OK);
    char *rec = malloc(pl_env_rec_bytes(&e));
    pl_env_observe(&e, rec);
    float *x = malloc(sizeof(float) * (size_t)s->n * PL_OBS_F);
    pl_gnn_obs o;
    pl_obs_make(&o, s, rec, x);
    int32_t g = e.node_g[e.order[0]];
    cr_assert_eq(x[g * PL_OBS_F + 7], 1.0f, "the first macro is placed");
    cr_assert_float_eq(x[g * PL_OBS_F + 0], (a % e.cols + 0.5) / e.cols, 1e-6);
    cr_assert_eq(o.current, e.node_g[e.order[1]]);
    cr_assert_float_eq(o.meta[11], 1.0 / 16, 1e-7, "progress");
    float wmax = 0;
    for (int32_t c = 0; c < e.A; c++) wmax = fmaxf(wmax, o.wire[c]);
    cr_assert_float_eq(wmax, 1.0f, 1e-6, "wire map scaled to [0, 1]");
    free(rec), free(x);
    pl_env_free(&e);
}

Test(rl_env, circuit_training_designs)
{
    PL_NEED_SHARED("designs/ct_testdata/toy_macro_stdcell/netlist.pb.txt");
    pl_env e;
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    open_env(&e, pl_test_shared_path("designs/ct_testdata/toy_macro_stdcell/netlist.pb.txt"), &cfg);
    cr_assert_eq(e.nsteps, 2);
    cr_assert_eq(e.cols, 20);
    cr_assert_eq(e.rows, 10);
    pl_rng r;
    pl_rng_seed(&r, 3);
    pl_env_result res;
    cr_assert_eq(pl_env_random_episode(&e, &r, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(res.infeasible, 0);
    cr_assert_gt(res.terms.proxy_cost, 0);
    pl_env_free(&e);
}

Test(rl_env, ariane_episode, .timeout = 60)
{
    PL_NEED_SHARED("designs/ct_ng45_ariane133/netlist.pb.txt.gz");
    pl_env e;
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.soft = PL_ENV_SOFT_KEEP;
    open_env(&e, pl_test_shared_path("designs/ct_ng45_ariane133/netlist.pb.txt.gz"), &cfg);
    cr_assert_eq(e.nsteps, 133);
    cr_assert_eq(e.cols, 24);
    cr_assert_eq(e.rows, 21);
    pl_rng r;
    pl_rng_seed(&r, 3);
    pl_env_result res;
    cr_assert_eq(pl_env_random_episode(&e, &r, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(res.infeasible, 0, "133 macros fit at random on Ariane");
    cr_assert(res.terms.proxy_cost > 0.5 && res.terms.proxy_cost < 3, "%g", res.terms.proxy_cost);
    pl_env_free(&e);
}

/* reward_full: the terminal reward is minus the full-design score of the episode's macros in the flat
 * design, normalised by (W + H) x nets; a Circuit Training netlist (no standard cells) is refused. */
Test(rl_env, full_reward_is_minus_the_normalised_full_score, .timeout = 60)
{
    pl_env e;
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.reward_full = 1;
    cfg.fd_steps = 10;
    pl_env_source src = {0};
    src.path = fixture(4, 4, 2);
    cr_assert_neq(pl_env_init(&e, &src, &cfg), PL_OK);
    cr_assert(strstr(pl_errmsg(), "LEF/DEF") != NULL, "%s", pl_errmsg());
    pl_env_free(&e);
    open_env(&e, "designs/small/small.def", &cfg);
    pl_rng r;
    pl_rng_seed(&r, 5);
    pl_env_result res;
    cr_assert_eq(pl_env_random_episode(&e, &r, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(res.infeasible, 0);
    cr_assert_gt(res.full_hpwl, 0);
    cr_assert_geq(res.full_overflow, 0);
    cr_assert_gt(res.terms.proxy_cost, 0, "the proxy is still computed and reported");
    /* independently: the macros into the flat design, the full evaluation, the normalised score */
    pl_netlist *flat = &e.prob.flat;
    for (int32_t k = 0; k < e.nsteps; k++) {
        const pl_node *m = &e.nl->nodes[e.order[k]];
        pl_node *f = &flat->nodes[pl_netlist_find_node(flat, m->name)];
        f->x = m->x + e.prob.prep.origin_x, f->y = m->y + e.prob.prep.origin_y, f->orient = m->orient;
        f->state = PL_PLACE_PLACED;
    }
    pl_full_config fc;
    pl_full_config_default(&fc);
    fc.gplace.seed = cfg.problem.prep.seed;
    pl_full_stats fs;
    cr_assert_eq(pl_full_eval(flat, &fc, &fs, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert_float_eq(fs.hpwl, res.full_hpwl, 1e-9 * fs.hpwl);
    double want = -(fs.hpwl + PL_FULL_LAMBDA * fs.route.total_overflow * fs.gcell_um) / ((e.W + e.H) * (double)flat->nnets);
    cr_assert_float_eq(res.reward, want, 1e-12, "%.12g vs %.12g", res.reward, want);
    pl_env_free(&e);
}
