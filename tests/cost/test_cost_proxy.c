/* test_cost_proxy.c: the proxy cost on the shared NG45 Ariane133 (golden TILOS figures), the
 * incremental operations against full recomputation, orientation against the netlist's own pin
 * geometry, and `placer eval --json`. */
#include <math.h>

#include "cost/proxy.h"
#include "parsers/ctpb.h"
#include "parsers/plc.h"
#include "core/rng.h"
#include "tests/testutil.h"

#define NG45 "designs/ct_ng45_ariane133/"

/* TILOS plc_client_os on netlist.pb.txt.gz + legalized.plc (../shared/README.md) */
#define GOLD_WL 0.073568224
#define GOLD_DEN 0.498817906
#define GOLD_CONG 0.725914890

static pl_netlist nl;
static pl_plc_header hdr;
static pl_cost cost;

static void setup(void)
{
    pl_netlist_init(&nl);
    pl_plc_header_init(&hdr);
    memset(&cost, 0, sizeof cost);
}
static void teardown(void)
{
    pl_cost_free(&cost);
    pl_plc_header_free(&hdr);
    pl_netlist_free(&nl);
}

TestSuite(cost_proxy, .init = setup, .fini = teardown, .timeout = 120);

static void config_from_header(pl_cost_config *cfg)
{
    pl_cost_config_default(cfg);
    cfg->canvas_w = hdr.width;
    cfg->canvas_h = hdr.height;
    cfg->cols = hdr.cols;
    cfg->rows = hdr.rows;
    cfg->h_rpm = hdr.h_rpm;
    cfg->v_rpm = hdr.v_rpm;
    cfg->h_macro_alloc = hdr.h_macro_alloc;
    cfg->v_macro_alloc = hdr.v_macro_alloc;
    cfg->smooth_range = hdr.smooth_range;
}

static void load_ng45(const char *plc, pl_cost_config *cfg)
{
    cr_assert_eq(pl_ctpb_read(&nl, pl_test_shared_path(NG45 "netlist.pb.txt.gz")), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_plc_read(pl_test_shared_path(plc), &hdr, &nl), PL_OK, "%s", pl_errmsg());
    config_from_header(cfg);
}

static int rel_close(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(1.0, fmax(fabs(a), fabs(b)));
}

Test(cost_proxy, ng45_golden)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    pl_cost_config cfg;
    load_ng45(NG45 "legalized.plc", &cfg);
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    cr_assert(fabs(t.wirelength_cost - GOLD_WL) < 1e-6, "wirelength cost %.9f", t.wirelength_cost);
    cr_assert(fabs(t.density_cost - GOLD_DEN) < 1e-6, "density cost %.9f", t.density_cost);
    cr_assert(fabs(t.congestion_cost - GOLD_CONG) < 1e-6, "congestion cost %.9f", t.congestion_cost);
    cr_assert_float_eq(t.proxy_cost, t.wirelength_cost + 0.5 * t.density_cost + 0.5 * t.congestion_cost, 1e-12);
    /* the file header (Google's evaluator, 4 digits) agrees too */
    cr_assert(fabs(t.wirelength_cost - hdr.wirelength_cost) < 1e-4);
    cr_assert(fabs(t.density_cost - hdr.density_cost) < 1e-4);
    cr_assert(fabs(t.congestion_cost - hdr.congestion_cost) < 1e-4);
}

Test(cost_proxy, ng45_initial_plc_matches_header)
{
    PL_NEED_SHARED(NG45 "initial.plc");
    pl_cost_config cfg;
    load_ng45(NG45 "initial.plc", &cfg);
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    /* Google's header, 4 digits: 0.0497 / 0.6067 (congestion 0.7128 differs by 3e-3: not checked) */
    cr_assert(fabs(t.wirelength_cost - 0.0497) < 1e-4, "%.6f", t.wirelength_cost);
    cr_assert(fabs(t.density_cost - 0.6067) < 1e-4, "%.6f", t.density_cost);
}

/* Every cost pin lies where the netlist's own geometry (pl_pin_position) puts it. */
static void check_pins_against_netlist(void)
{
    pl_cost_write_back(&cost, &nl);
    int32_t k = 0;
    for (int64_t n = 0; n < nl.nnets; n++) {
        int64_t b = nl.net_pin_off[n], e = nl.net_pin_off[n + 1];
        if (e - b < 2) continue;
        for (int64_t i = b; i < e; i++, k++) {
            double x, y;
            pl_pin_position(&nl, nl.net_pins[i], &x, &y);
            cr_assert(fabs(x - cost.pin_x[k]) < 1e-9 && fabs(y - cost.pin_y[k]) < 1e-9,
                      "pin %d: cost (%g, %g) netlist (%g, %g)", (int)k, cost.pin_x[k], cost.pin_y[k], x, y);
        }
    }
}

static void compare_with_fresh(const pl_cost_terms *inc, double rel)
{
    pl_cost_write_back(&cost, &nl);
    pl_cost fresh;
    cr_assert_eq(pl_cost_init(&fresh, &nl, &cost.cfg), PL_OK, "%s", pl_errmsg());
    pl_cost_terms f;
    pl_cost_terms_get(&fresh, &f);
    cr_assert(rel_close(inc->wirelength, f.wirelength, rel), "wirelength %.15g vs %.15g", inc->wirelength,
              f.wirelength);
    cr_assert(rel_close(inc->density_cost, f.density_cost, rel), "density %.15g vs %.15g", inc->density_cost,
              f.density_cost);
    cr_assert(rel_close(inc->congestion_cost, f.congestion_cost, rel), "congestion %.15g vs %.15g",
              inc->congestion_cost, f.congestion_cost);
    cr_assert(rel_close(inc->proxy_cost, f.proxy_cost, rel), "proxy %.15g vs %.15g", inc->proxy_cost,
              f.proxy_cost);
    pl_cost_free(&fresh);
}

/* 10,000 random moves (hard and soft macros, some off the canvas edge), flips, orientations,
 * swaps and undos; incremental terms equal a fresh full evaluation to 1e-9 relative. */
static void random_ops(int smooth, int grid2023)
{
    pl_cost_config cfg;
    load_ng45(NG45 "legalized.plc", &cfg);
    cfg.smooth_range = smooth;
    if (grid2023) pl_cost_config_grid2023(&cfg);
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    int32_t *mac = malloc((size_t)nl.nnodes * sizeof *mac);
    int nm = 0;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO || nl.nodes[i].kind == PL_NODE_SOFT) mac[nm++] = (int32_t)i;
    pl_rng rng;
    pl_rng_seed(&rng, 12345 + (uint64_t)smooth);
    pl_cost_terms t;
    for (int it = 1; it <= 10000; it++) {
        int32_t v = mac[pl_rng_below(&rng, (uint64_t)nm)];
        int r = (int)pl_rng_below(&rng, 100);
        if (r < 50) {
            double x = -20 + pl_rng_uniform(&rng) * (cfg.canvas_w + 40);
            double y = -20 + pl_rng_uniform(&rng) * (cfg.canvas_h + 40);
            cr_assert_eq(pl_cost_move(&cost, v, x, y), PL_OK);
        } else if (r < 65) {
            cr_assert_eq(pl_cost_flip(&cost, v, (int)pl_rng_below(&rng, 2)), PL_OK);
        } else if (r < 72) {
            cr_assert_eq(pl_cost_set_orient(&cost, v, (pl_orient)pl_rng_below(&rng, 8)), PL_OK);
        } else if (r < 87) {
            int32_t u = mac[pl_rng_below(&rng, (uint64_t)nm)];
            if (u != v) cr_assert_eq(pl_cost_swap(&cost, v, u), PL_OK);
        } else {
            pl_cost_undo(&cost);
        }
        if (it % 2000 == 0) pl_cost_commit(&cost);
        if (it % 2500 == 0) {
            pl_cost_terms_get(&cost, &t);
            compare_with_fresh(&t, 1e-9);
        }
    }
    check_pins_against_netlist();
    free(mac);
}

Test(cost_proxy, incremental_equals_full_legacy)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    random_ops(0, 0);
}

Test(cost_proxy, incremental_equals_full_smoothing_2023_grid)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    random_ops(5, 1);
}

Test(cost_proxy, undo_restores_the_cost)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    pl_cost_config cfg;
    load_ng45(NG45 "legalized.plc", &cfg);
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    pl_cost_terms t0, t1, t2;
    pl_cost_terms_get(&cost, &t0);
    int32_t a = -1, b = -1, s = -1;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        if (nl.nodes[i].kind == PL_NODE_MACRO) {
            if (a < 0) a = (int32_t)i;
            else if (b < 0) b = (int32_t)i;
        }
        if (nl.nodes[i].kind == PL_NODE_SOFT && s < 0) s = (int32_t)i;
    }
    cr_assert_eq(pl_cost_move(&cost, a, 300, 400), PL_OK);
    cr_assert_eq(pl_cost_flip(&cost, b, 1), PL_OK);
    cr_assert_eq(pl_cost_swap(&cost, a, s), PL_OK);
    cr_assert_eq(pl_cost_move(&cost, s, 10, 10), PL_OK);
    pl_cost_terms_get(&cost, &t1);
    cr_assert(fabs(t1.proxy_cost - t0.proxy_cost) > 1e-6, "the operations changed nothing");
    int undone = 0;
    while (pl_cost_undo(&cost)) undone++;
    cr_assert_eq(undone, 4);
    pl_cost_terms_get(&cost, &t2);
    cr_assert(rel_close(t2.wirelength, t0.wirelength, 1e-12));
    cr_assert(rel_close(t2.density_cost, t0.density_cost, 1e-12));
    cr_assert(rel_close(t2.congestion_cost, t0.congestion_cost, 1e-12));
    cr_assert_eq(pl_cost_undo(&cost), 0);
}

/* A flipped placement is another placement: the full cost of the written-back netlist equals the
 * incremental one, and pins follow the netlist's orientation rules (checked above). Here: every
 * orientation of one macro with pins, against pl_pin_position. */
Test(cost_proxy, orientations_match_netlist_geometry)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    pl_cost_config cfg;
    load_ng45(NG45 "legalized.plc", &cfg);
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    int32_t a = -1;
    for (int64_t i = 0; i < nl.nnodes && a < 0; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) a = (int32_t)i;
    for (int o = 0; o < 8; o++) {
        cr_assert_eq(pl_cost_set_orient(&cost, a, (pl_orient)o), PL_OK);
        check_pins_against_netlist();
    }
}

Test(cost_proxy, bad_operations)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    pl_cost_config cfg;
    load_ng45(NG45 "legalized.plc", &cfg);
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_cost_move(&cost, -1, 0, 0), PL_EINVAL);
    cr_assert_eq(pl_cost_move(&cost, (int32_t)nl.nnodes, 0, 0), PL_EINVAL);
    cr_assert_eq(pl_cost_move(&cost, 0, NAN, 0), PL_EINVAL);
    cr_assert_eq(pl_cost_swap(&cost, 3, 3), PL_EINVAL);
    cr_assert_eq(pl_cost_undo(&cost), 0);
}

static double json_num(const char *s, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(s, k);
    cr_assert_not_null(p, "key %s missing in %s", key, s);
    return strtod(p + strlen(k), NULL);
}

Test(cost_proxy, placer_eval_json)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, "%s eval %s --placement %s --json", pl_test_placer(),
             pl_test_shared_path(NG45 "netlist.pb.txt.gz"), pl_test_shared_path(NG45 "legalized.plc"));
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "rc %d: %s", rc, err);
    cr_assert_eq(pl_test_count_lines(out), 1, "one JSON object: %s", out);
    cr_assert(fabs(json_num(out, "wirelength_cost") - GOLD_WL) < 1e-6, "%s", out);
    cr_assert(fabs(json_num(out, "density_cost") - GOLD_DEN) < 1e-6, "%s", out);
    cr_assert(fabs(json_num(out, "congestion_cost") - GOLD_CONG) < 1e-6, "%s", out);
    cr_assert(strstr(out, "\"proxy_cost\": ") && strstr(out, "\"wirelength\": "));
    cr_assert(strstr(out, "\"grid\": { \"cols\": 24, \"rows\": 21 }"), "%s", out);
    free(out);
    free(err);
}

Test(cost_proxy, placer_eval_errors)
{
    char *out, *err;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s eval /nonexistent.pb.txt", pl_test_placer());
    cr_assert_neq(pl_test_run(cmd, &out, &err), 0);
    cr_assert_eq(pl_test_count_lines(err), 1, "one error line: %s", err);
    cr_assert(strstr(err, "/nonexistent.pb.txt"));
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "%s eval x.pb.txt --grid 12", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2);
    cr_assert(strstr(err, "--grid"), "%s", err);
    free(out);
    free(err);
}
