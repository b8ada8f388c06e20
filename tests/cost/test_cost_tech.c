/* test_cost_tech.c: routing capacity from LEF routing layers, and `placer eval` on a DEF design. */
#include <math.h>

#include "cost/proxy.h"
#include "cost/tech.h"
#include "parsers/def.h"
#include "parsers/lef.h"
#include "core/rng.h"
#include "tests/testutil.h"

static pl_netlist nl;
static void setup(void) { pl_netlist_init(&nl); }
static void teardown(void) { pl_netlist_free(&nl); }

TestSuite(cost_tech, .init = setup, .fini = teardown);

Test(cost_tech, nangate45_layers)
{
    PL_NEED_SHARED("designs/nangate45/Nangate45_tech.lef");
    cr_assert_eq(pl_lef_read(&nl, pl_test_shared_path("designs/nangate45/Nangate45_tech.lef")), PL_OK, "%s",
                 pl_errmsg());
    pl_cost_routes r;
    cr_assert_eq(pl_cost_routes_from_lef(&nl, 4, 0.18, &r), PL_OK, "%s", pl_errmsg());
    /* metal1 (H 0.14) is skipped; H: metal3 0.14, metal5 0.28, metal7 0.8, metal9 1.6;
     * V: metal2 0.19, metal4 0.28, metal6 0.28, metal8 0.8, metal10 1.6 */
    double h = 0.82 * (1 / 0.14 + 1 / 0.28 + 1 / 0.8 + 1 / 1.6);
    double v = 0.82 * (1 / 0.19 + 1 / 0.28 + 1 / 0.28 + 1 / 0.8 + 1 / 1.6);
    cr_assert_float_eq(r.h_rpm, h, 1e-9, "%g", r.h_rpm);
    cr_assert_float_eq(r.v_rpm, v, 1e-9, "%g", r.v_rpm);
    /* a macro blocks metal1..metal4: metal3 (H), metal2 and metal4 (V) */
    cr_assert_float_eq(r.h_macro_alloc, 0.82 / 0.14, 1e-9);
    cr_assert_float_eq(r.v_macro_alloc, 0.82 * (1 / 0.19 + 1 / 0.28), 1e-9);
    cr_assert_eq(r.layers, 9);
    /* the default channel: 20 pitches of the widest blocked layer (metal4, 0.28 um) */
    cr_assert_float_eq(r.channel, 20 * 0.28, 1e-12, "%g", r.channel);
    cr_assert_eq(pl_cost_routes_from_lef(&nl, 0, 0.0, &r), PL_OK);
    cr_assert_float_eq(r.channel, 0, 0, "no blocked layer, no channel");
    cr_assert_float_eq(r.h_macro_alloc, 0, 0);
    cr_assert_float_eq(r.h_rpm, h / 0.82, 1e-9);
}

Test(cost_tech, too_few_layers_and_bad_reserve)
{
    cr_assert_eq(pl_lef_read(&nl, "tests/data/tiny/tiny.lef"), PL_OK, "%s", pl_errmsg());
    pl_cost_routes r;
    /* two routing layers: m1 is skipped, so there is no horizontal capacity */
    cr_assert_eq(pl_cost_routes_from_lef(&nl, 4, 0.18, &r), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--routes") != NULL, "%s", pl_errmsg());
    cr_assert_eq(pl_cost_routes_from_lef(&nl, 4, 1.5, &r), PL_EINVAL);
}

Test(cost_tech, placer_eval_def_json)
{
    PL_NEED_SHARED("designs/ng45_bp_fe_top/bp_fe_top.def.gz");
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd,
             "%s eval %s --lef %s --lef %s --lef %s --lef %s --lef %s --grid 30x20 --json", pl_test_placer(),
             pl_test_shared_path("designs/ng45_bp_fe_top/bp_fe_top.def.gz"),
             pl_test_shared_path("designs/nangate45/Nangate45_tech.lef"),
             pl_test_shared_path("designs/nangate45/Nangate45_stdcell.lef"),
             pl_test_shared_path("designs/ng45_bp_fe_top/fakeram45_512x64.lef"),
             pl_test_shared_path("designs/ng45_bp_fe_top/fakeram45_64x7.lef"),
             pl_test_shared_path("designs/ng45_bp_fe_top/fakeram45_64x96.lef"));
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "rc %d: %s", rc, err);
    cr_assert(strstr(out, "\"grid\": { \"cols\": 30, \"rows\": 20 }"), "%s", out);
    cr_assert(strstr(out, "\"from\": \"lef\""), "%s", out);
    /* the core: the die (800 x 600) less the rows' lower-left margin (10.07, 11.2) on every side, grown to hold the top row */
    cr_assert(strstr(out, "\"canvas\": { \"width\": 779.860000, \"height\": 578.200000, \"from\": \"core\", "
                          "\"x0\": 10.070000, \"y0\": 11.200000 }"), "%s", out);
    const char *p = strstr(out, "\"wirelength_cost\": ");
    cr_assert_not_null(p);
    double wl = strtod(p + 19, NULL);
    cr_assert(wl > 0 && wl < 1, "%s", out);
    free(out);
    free(err);
    /* the cell LEF missing: one clear error line (without --grid the grid is chosen, issue 4) */
    snprintf(cmd, sizeof cmd, "%s eval %s --lef %s", pl_test_placer(),
             pl_test_shared_path("designs/ng45_bp_fe_top/bp_fe_top.def.gz"),
             pl_test_shared_path("designs/nangate45/Nangate45_tech.lef"));
    cr_assert_neq(pl_test_run(cmd, &out, &err), 0);
    cr_assert(strstr(err, "unknown master") && pl_test_count_lines(err) == 1, "%s", err);
    free(out);
    free(err);
}

/* The repository's own small design (no ../shared needed): LEF-derived routing, incremental moves
 * of its macros and cells against a fresh full evaluation. */
Test(cost_tech, small_def_incremental)
{
    cr_assert_eq(pl_design_read(&nl, "designs/small/small.def", NULL, 0), PL_OK, "%s", pl_errmsg());
    cr_assert(nl.has_die);
    pl_cost_routes r;
    cr_assert_eq(pl_cost_routes_from_lef(&nl, PL_COST_MACRO_LAYERS, PL_COST_POWER_RESERVE, &r), PL_OK, "%s",
                 pl_errmsg());
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    cfg.origin_x = nl.die.x0;
    cfg.origin_y = nl.die.y0;
    cfg.canvas_w = nl.die.x1 - nl.die.x0;
    cfg.canvas_h = nl.die.y1 - nl.die.y0;
    cfg.cols = 9;
    cfg.rows = 7;
    cfg.h_rpm = r.h_rpm, cfg.v_rpm = r.v_rpm, cfg.h_macro_alloc = r.h_macro_alloc, cfg.v_macro_alloc = r.v_macro_alloc;
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    pl_rng rng;
    pl_rng_seed(&rng, 7);
    for (int i = 0; i < 3000; i++) {
        int32_t v = (int32_t)pl_rng_below(&rng, (uint64_t)nl.nnodes);
        int k = (int)pl_rng_below(&rng, 4);
        if (k == 0) pl_cost_flip(&c, v, 1);
        else if (k == 1) pl_cost_undo(&c);
        else
            pl_cost_move(&c, v, nl.die.x0 + pl_rng_uniform(&rng) * cfg.canvas_w,
                         nl.die.y0 + pl_rng_uniform(&rng) * cfg.canvas_h);
    }
    pl_cost_terms a, b;
    pl_cost_terms_get(&c, &a);
    pl_cost_write_back(&c, &nl);
    pl_cost fresh;
    cr_assert_eq(pl_cost_init(&fresh, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    pl_cost_terms_get(&fresh, &b);
    cr_assert_float_eq(a.wirelength, b.wirelength, 1e-9 * b.wirelength);
    cr_assert_float_eq(a.density_cost, b.density_cost, 1e-9 * fmax(1, b.density_cost));
    cr_assert_float_eq(a.congestion_cost, b.congestion_cost, 1e-9 * fmax(1, b.congestion_cost));
    cr_assert(b.wirelength_cost > 0 && b.congestion_cost > 0 && b.density_cost > 0);
    pl_cost_free(&fresh);
    pl_cost_free(&c);
}
