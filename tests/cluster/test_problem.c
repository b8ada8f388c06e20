/* test_problem.c: the one problem set-up (cluster/problem.h). A DEF is clustered with the grid chosen
 * and routing from the LEF, a given placement applied by name, overrides applied last; a Circuit
 * Training netlist takes its .plc header (the shared NG45 Ariane133) and gets a grid chosen without
 * one; the soft-macro stream is the one prepare derives; a prepared netlist equals a read one; the RL
 * environment and `placer render` see the grid and cost that `placer eval` sees. */
#include <math.h>

#include "cluster/problem.h"
#include "core/log.h"
#include "parsers/def.h"
#include "rl/env.h"
#include "tests/testutil.h"

static void setup(void) { pl_log_set_level(PL_LOG_QUIET); }
TestSuite(problem, .init = setup, .timeout = 120);

static double proxy_of(const pl_problem *p)
{
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, p->nl, &p->cost), PL_OK, "%s", pl_errmsg());
    pl_cost_terms t;
    pl_cost_terms_get(&c, &t);
    pl_cost_free(&c);
    return t.proxy_cost;
}

Test(problem, def_is_clustered_with_chosen_grid_and_lef_routes)
{
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pc.prep.seed = 3;
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert(p.clustered && p.format == PL_DESIGN_DEF);
    cr_assert_eq(p.nl, &p.prep.nl, "a DEF is costed on its clustered netlist");
    cr_assert(p.grid_chosen);
    cr_assert_eq(p.cost.cols, p.prep.cols);
    cr_assert_eq(p.cost.rows, p.prep.rows);
    cr_assert_str_eq(p.routes_from, "lef");
    pl_rect core = pl_problem_core(&p.flat), rows;
    cr_assert(pl_netlist_rows_bbox(&p.flat, &rows));
    cr_assert_str_eq(p.canvas_from, "core");
    cr_assert_float_eq(core.x0, rows.x0, 1e-12, "the core starts where the rows start");
    cr_assert_float_eq(core.x1 - p.flat.die.x0, p.flat.die.x1 - rows.x0, 1e-9, "and keeps the same margin on the right");
    cr_assert(core.x1 >= rows.x1 && core.y1 >= rows.y1, "it holds every row");
    cr_assert_float_eq(p.cost.canvas_w, core.x1 - core.x0, 1e-12);
    cr_assert_float_eq(p.cost.canvas_h, core.y1 - core.y0, 1e-12);
    cr_assert_eq(p.prep.origin_x, core.x0, "the clustered netlist starts at the core's corner");
    cr_assert_eq(p.cost.origin_x, 0);
    uint64_t cs, fs;
    pl_prepare_streams(3, &cs, &fs);
    cr_assert_eq(p.fd_seed, fs, "the soft-macro stream is prepare's");
    cr_assert_neq(cs, fs);
    cr_assert_gt(p.prep.cl.nclusters, 0);
    double proxy = proxy_of(&p);
    cr_assert(proxy > 0 && isfinite(proxy));
    /* the same design read already and moved in: the same problem, the same cost */
    pl_netlist flat;
    pl_netlist_init(&flat);
    cr_assert_eq(pl_design_read(&flat, "designs/small/small.def", NULL, 0), PL_OK);
    pl_problem q;
    cr_assert_eq(pl_problem_setup_netlist(&q, &flat, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(flat.nnodes, 0, "the netlist moved into the problem");
    cr_assert_eq(q.cost.cols, p.cost.cols);
    cr_assert_eq(proxy_of(&q), proxy);
    pl_problem_free(&q);
    pl_netlist_free(&flat);
    pl_problem_free(&p);
    pl_problem_free(&p); /* idempotent */
    pl_problem_free(NULL);
}

Test(problem, overrides_apply_last)
{
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pc.prep.cols = 12, pc.prep.rows = 11;
    pc.have_routes = 1, pc.h_rpm = 10, pc.v_rpm = 11;
    pc.have_macro = 1, pc.h_macro = 3, pc.v_macro = 4;
    pc.have_smooth = 1, pc.smooth = 1;
    pc.have_weights = 1, pc.w[0] = 1, pc.w[1] = 0, pc.w[2] = 0;
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(p.cost.cols, 12);
    cr_assert_eq(p.cost.rows, 11);
    cr_assert_eq(p.grid_chosen, 0);
    cr_assert_str_eq(p.routes_from, "option");
    cr_assert_eq(p.cost.h_rpm, 10);
    cr_assert_eq(p.cost.v_macro_alloc, 4);
    cr_assert_eq(p.cost.smooth_range, 1);
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, p.nl, &p.cost), PL_OK);
    pl_cost_terms t;
    pl_cost_terms_get(&c, &t);
    cr_assert_float_eq(t.proxy_cost, t.wirelength_cost, 1e-12, "weights 1,0,0: the wirelength alone");
    pl_cost_free(&c);
    pl_problem_free(&p);
    /* the 2023 congestion grid: smoothing 5 and its own grid */
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pc.grid2023 = 1;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(p.cost.smooth_range, 5);
    cr_assert_gt(p.cost.cong_cols, 0);
    pl_problem_free(&p);
}

Test(problem, errors_name_the_input)
{
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pc.placement = "x.plc";
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), ".plc placement needs a Circuit Training netlist"), "%s", pl_errmsg());
    pl_problem_free(&p);
    pl_problem_config_default(&pc);
    pc.design = "designs/small/missing.def";
    cr_assert_neq(pl_problem_setup(&p, &pc), PL_OK);
    cr_assert(strstr(pl_errmsg(), "missing.def"), "%s", pl_errmsg());
    pl_problem_free(&p);
    pl_err_clear();
}

Test(problem, def_placement_is_applied_by_name)
{
    char dir[64], cmd[512], out[128];
    snprintf(dir, sizeof dir, "%s", pl_test_tmpdir());
    snprintf(out, sizeof out, "%s/placed.def", dir);
    snprintf(cmd, sizeof cmd, "%s -q place designs/small/small.def --policy none --effort fast --time-limit 0 "
             "--rollouts 2 --chains 0 -o %s", pl_test_placer(), out);
    char *o, *e;
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0, "%s", e);
    free(o), free(e);
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pc.placement = out;
    pl_problem a, b;
    cr_assert_eq(pl_problem_setup(&a, &pc), PL_OK, "%s", pl_errmsg());
    pc.design = out; /* in a temporary folder: its LEFs named */
    pc.placement = NULL;
    pc.lefs[0] = "designs/small/small.tlef", pc.lefs[1] = "designs/small/small_cells.lef";
    pc.lefs[2] = "designs/small/small_macros.lef";
    pc.nlef = 3;
    cr_assert_eq(pl_problem_setup(&b, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(proxy_of(&a), proxy_of(&b), "design + placement = the placed design");
    pl_problem_free(&a);
    pl_problem_free(&b);
}

#define NG45 "designs/ct_ng45_ariane133/"

Test(problem, ct_netlist_takes_the_plc_header)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = pl_test_shared_path(NG45 "netlist.pb.txt.gz");
    pc.placement = pl_test_shared_path(NG45 "legalized.plc");
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert(!p.clustered && p.format == PL_DESIGN_CT);
    cr_assert_eq(p.nl, &p.flat);
    cr_assert_eq(p.cost.cols, 24);
    cr_assert_eq(p.cost.rows, 21);
    cr_assert_str_eq(p.routes_from, "plc");
    cr_assert_float_eq(p.cost.h_rpm, 57.031, 1e-9);
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, p.nl, &p.cost), PL_OK);
    pl_cost_terms t;
    pl_cost_terms_get(&c, &t);
    cr_assert_float_eq(t.wirelength_cost, 0.073568224, 1e-8, "the published figure");
    pl_cost_free(&c);
    pl_problem_free(&p);
    /* no .plc: no canvas is an error naming the netlist; given one, a grid is chosen by Circuit
     * Training's rule rather than refused */
    pc.placement = NULL;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "netlist.pb.txt.gz: no canvas"), "%s", pl_errmsg());
    pl_problem_free(&p);
    pc.have_canvas = 1, pc.canvas_w = 1433.406, pc.canvas_h = 1433.406;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert(p.grid_chosen);
    cr_assert_gt(p.cost.cols, 0);
    pl_problem_free(&p);
}

Test(problem, env_and_eval_see_the_same_grid_and_options)
{
    pl_env_config ec;
    pl_env_config_default(&ec);
    ec.problem.grid2023 = 1;
    ec.problem.prep.soft_ct = 1;
    pl_env_source src = {0};
    src.path = "designs/small/small.def";
    pl_env e;
    cr_assert_eq(pl_env_init(&e, &src, &ec), PL_OK, "%s", pl_errmsg());
    pl_problem_config pc = ec.problem;
    pc.design = src.path;
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(e.cols, p.cost.cols);
    cr_assert_eq(e.rows, p.cost.rows);
    cr_assert_eq(e.ccfg.cong_cols, p.cost.cong_cols, "the 2023 congestion grid reaches the environment");
    cr_assert_eq(e.ccfg.smooth_range, 5);
    cr_assert_eq(e.prob.soft_ct, 1, "the CT soft placer reaches the environment");
    cr_assert_eq(e.prob.fd_seed, p.fd_seed);
    pl_problem_free(&p);
    pl_env_free(&e);
}

Test(problem, canvas_from_die_keeps_the_die)
{
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pc.canvas_die = 1;
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert_str_eq(p.canvas_from, "die");
    cr_assert_float_eq(p.cost.canvas_w, p.flat.die.x1 - p.flat.die.x0, 1e-12);
    cr_assert_eq(p.prep.origin_x, p.flat.die.x0);
    pl_problem_free(&p);
}

Test(problem, eval_seeds_reports_mean_and_spread, .timeout = 120)
{
    char cmd[512], *o1, *o2, *e;
    snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def --seeds 3 --json", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &o1, &e), 0, "%s", e);
    free(e);
    cr_assert(strstr(o1, "\"seeds\": { \"count\": 3, \"proxy_cost\": ["), "%s", o1);
    /* the mean of the three is the mean of three single-seed runs */
    double sum = 0;
    for (int s = 1; s <= 3; s++) {
        snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def --seed %d --json", pl_test_placer(), s);
        cr_assert_eq(pl_test_run(cmd, &o2, &e), 0, "%s", e);
        const char *q = strstr(o2, "\"proxy_cost\": ");
        cr_assert_not_null(q);
        sum += strtod(q + 14, NULL);
        free(o2), free(e);
    }
    const char *m = strstr(o1, "\"mean\": ");
    cr_assert_not_null(m);
    cr_assert_float_eq(strtod(m + 8, NULL), sum / 3, 1e-8, "%s", o1);
    const char *top = strstr(o1, "\"proxy_cost\": ");
    cr_assert_float_eq(strtod(top + 14, NULL), sum / 3, 1e-8, "the reported proxy is the mean");
    free(o1);
}
