/* test_softcost.c: the proxy as a mean over soft placements (cluster/softcost.h). One run is the
 * single placement as prepared; the mean is that of runs placed and costed one by one on the
 * documented streams; any thread count gives the same bits; the netlist ends with run 0's placement;
 * `placer eval` reports the mean and --soft-runs 1 the single placement. */
#include <math.h>

#include "cluster/softcost.h"
#include "core/log.h"
#include "core/rng.h"
#include "tests/testutil.h"

static void setup(void) { pl_log_set_level(PL_LOG_QUIET); }
TestSuite(softcost, .init = setup, .timeout = 120);

/* designs/small with its macros placed (its own DEF leaves them UNPLACED: mixed-size FD, one run). */
static const char *placed_small(void)
{
    static char path[512];
    if (path[0]) return path;
    const char *dir = pl_test_tmpdir();
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s -q place designs/small/small.def -o %s/placed.def --policy none --effort fast --time-limit 0 "
             "--rollouts 4 --keep 1 --chains 0 --soft-runs 1",
             pl_test_placer(), dir);
    cr_assert_eq(pl_test_run(cmd, NULL, NULL), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/placed.def", dir);
    return path;
}

static void setup_small(pl_problem *p, int runs)
{
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pc.placement = placed_small();
    pc.prep.seed = 5;
    pc.soft_runs = runs;
    cr_assert_eq(pl_problem_setup(p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert(p->clustered && !p->prep.fd_mixed);
    cr_assert_eq(p->soft_runs, runs);
}

static pl_cost_terms terms_of(pl_netlist *nl, const pl_cost_config *cc)
{
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, nl, cc), PL_OK, "%s", pl_errmsg());
    pl_cost_terms t;
    pl_cost_terms_get(&c, &t);
    pl_cost_free(&c);
    return t;
}

Test(softcost, run_seeds_start_at_the_prepared_stream)
{
    uint64_t st = 99;
    cr_assert_eq(pl_soft_run_seed(99, 0), 99);
    uint64_t a = pl_splitmix64(&st), b = pl_splitmix64(&st);
    cr_assert_eq(pl_soft_run_seed(99, 1), a);
    cr_assert_eq(pl_soft_run_seed(99, 2), b);
    cr_assert_neq(a, b);
}

Test(softcost, one_run_is_the_prepared_placement)
{
    pl_problem p;
    setup_small(&p, 1);
    pl_cost_terms prepared = terms_of(p.nl, &p.cost);
    pl_cost c;
    int has = 0;
    pl_soft_mean sm;
    cr_assert_eq(pl_soft_cost(&p, p.nl, 2, &c, &has, &sm), PL_OK, "%s", pl_errmsg());
    cr_assert(has);
    cr_assert_eq(sm.runs, 1);
    cr_assert_eq(sm.mean.proxy_cost, prepared.proxy_cost, "placing again on the prepared stream repeats it");
    cr_assert_eq(sm.spread, 0);
    pl_cost_free(&c);
    pl_problem_free(&p);
}

Test(softcost, mean_of_runs_placed_one_by_one_and_threads_do_not_matter)
{
    enum { K = 5 };
    pl_problem p;
    setup_small(&p, K);
    /* each run by hand: a view, the soft placer on run j's seed, the cost */
    double want[5] = {0}, sum = 0, lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < K; j++) {
        pl_netlist v;
        cr_assert_eq(pl_netlist_view_init(&v, p.nl), PL_OK);
        pl_fd_config fc;
        pl_problem_fd_config(&p, &fc);
        fc.seed = pl_soft_run_seed(p.fd_seed, j);
        cr_assert_eq(pl_fd_place(&v, &fc, NULL), PL_OK, "%s", pl_errmsg());
        want[j] = terms_of(&v, &p.cost).proxy_cost;
        sum += want[j], lo = fmin(lo, want[j]), hi = fmax(hi, want[j]);
        pl_netlist_view_free(&v);
    }
    cr_assert(hi > lo, "the soft placer's seed moves the proxy on this design too");
    pl_soft_mean a, b;
    pl_cost ca, cb;
    int ha = 0, hb = 0;
    pl_netlist va, vb;
    cr_assert_eq(pl_netlist_view_init(&va, p.nl), PL_OK);
    cr_assert_eq(pl_netlist_view_init(&vb, p.nl), PL_OK);
    cr_assert_eq(pl_soft_cost(&p, &va, 1, &ca, &ha, &a), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_soft_cost(&p, &vb, 3, &cb, &hb, &b), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(a.runs, K);
    cr_assert_float_eq(a.mean.proxy_cost, sum / K, 1e-12);
    cr_assert_eq(a.min, lo);
    cr_assert_eq(a.max, hi);
    cr_assert_float_eq(a.spread, (hi - lo) / (sum / K), 1e-12);
    cr_assert_eq(a.mean.proxy_cost, b.mean.proxy_cost, "1 and 3 threads: the same bits");
    cr_assert_eq(a.mean.congestion_cost, b.mean.congestion_cost);
    cr_assert_eq(a.mean.density_cost, b.mean.density_cost);
    /* the netlist and the cost end with run 0's placement */
    pl_cost_terms t0;
    pl_cost_terms_get(&ca, &t0);
    cr_assert_eq(t0.proxy_cost, want[0]);
    for (int64_t i = 0; i < va.nnodes; i++) {
        cr_assert_eq(va.nodes[i].x, p.nl->nodes[i].x, "%s", va.nodes[i].name);
        cr_assert_eq(va.nodes[i].y, vb.nodes[i].y, "%s", va.nodes[i].name);
    }
    pl_cost_free(&ca), pl_cost_free(&cb);
    pl_netlist_view_free(&va), pl_netlist_view_free(&vb);
    pl_problem_free(&p);
}

Test(softcost, eval_reports_the_mean_and_one_run_the_single_placement)
{
    char cmd[1200], *out, *err;
    snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def --placement %s --seed 5 --soft-runs 4 --json",
             pl_test_placer(), placed_small());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "\"soft\": { \"runs\": 4, \"min\": "), "%s", out);
    double mean4 = strtod(strstr(out, "\"proxy_cost\": ") + 14, NULL);
    free(out), free(err);
    pl_problem p;
    setup_small(&p, 4);
    pl_cost c;
    int has = 0;
    pl_soft_mean sm;
    cr_assert_eq(pl_soft_cost(&p, p.nl, 1, &c, &has, &sm), PL_OK, "%s", pl_errmsg());
    cr_assert_float_eq(mean4, sm.mean.proxy_cost, 1e-8);
    pl_cost_free(&c);
    pl_problem_free(&p);
    setup_small(&p, 1);
    double single = terms_of(p.nl, &p.cost).proxy_cost;
    pl_problem_free(&p);
    snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def --placement %s --seed 5 --soft-runs 1 --json",
             pl_test_placer(), placed_small());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert_float_eq(strtod(strstr(out, "\"proxy_cost\": ") + 14, NULL), single, 1e-8);
    free(out), free(err);
}
