/* test_refine.c: simulated-annealing refinement lowers the proxy cost, keeps hard macros apart
 * and inside the canvas, leaves the incremental cost equal to a full recomputation, and is
 * reproducible for a seed. */
#include <math.h>

#include "cost/proxy.h"
#include "parsers/ctpb.h"
#include "parsers/plc.h"
#include "core/log.h"
#include "search/refine.h"
#include "tests/testutil.h"

#define CT_NET "designs/ct_ng45_ariane133/netlist.pb.txt.gz"
#define CT_PLC "designs/ct_ng45_ariane133/legalized.plc"

static void load_ct(pl_netlist *nl, pl_cost *c)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(nl);
    cr_assert_eq(pl_ctpb_read(nl, pl_test_shared_path(CT_NET)), PL_OK, "%s", pl_errmsg());
    pl_plc_header h;
    pl_plc_header_init(&h);
    cr_assert_eq(pl_plc_read(pl_test_shared_path(CT_PLC), &h, nl), PL_OK, "%s", pl_errmsg());
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    cfg.canvas_w = h.width;
    cfg.canvas_h = h.height;
    cfg.cols = h.cols;
    cfg.rows = h.rows;
    cfg.h_rpm = h.h_rpm;
    cfg.v_rpm = h.v_rpm;
    cfg.h_macro_alloc = h.h_macro_alloc;
    cfg.v_macro_alloc = h.v_macro_alloc;
    cfg.smooth_range = h.smooth_range;
    pl_plc_header_free(&h);
    /* the reference placement fixes nothing: let every hard macro move */
    for (int64_t i = 0; i < nl->nnodes; i++)
        if (nl->nodes[i].kind == PL_NODE_MACRO) nl->nodes[i].state = PL_PLACE_PLACED;
    cr_assert_eq(pl_cost_init(c, nl, &cfg), PL_OK, "%s", pl_errmsg());
}

static void assert_apart(const pl_cost *c, const pl_netlist *nl)
{
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *a = &nl->nodes[i];
        if (a->kind != PL_NODE_MACRO) continue;
        int sa = pl_orient_swaps((pl_orient)c->orient[i]);
        double aw = 0.5 * (sa ? a->h : a->w), ah = 0.5 * (sa ? a->w : a->h);
        cr_assert_geq(c->cx[i] - aw, -1e-6);
        cr_assert_leq(c->cx[i] + aw, c->cfg.canvas_w + 1e-6);
        for (int64_t j = i + 1; j < nl->nnodes; j++) {
            const pl_node *b = &nl->nodes[j];
            if (b->kind != PL_NODE_MACRO) continue;
            int sb = pl_orient_swaps((pl_orient)c->orient[j]);
            double bw = 0.5 * (sb ? b->h : b->w), bh = 0.5 * (sb ? b->w : b->h);
            int ov = fabs(c->cx[i] - c->cx[j]) < aw + bw - 1e-6 && fabs(c->cy[i] - c->cy[j]) < ah + bh - 1e-6;
            cr_assert_not(ov, "%s and %s overlap", a->name, b->name);
        }
    }
}

Test(refine, lowers_cost_on_ariane_and_stays_legal, .timeout = 120)
{
    PL_NEED_SHARED(CT_NET);
    pl_netlist nl;
    pl_cost c;
    load_ct(&nl, &c);
    pl_cost_terms t0;
    pl_cost_full(&c, &t0);
    pl_refine_config cfg;
    pl_refine_config_default(&cfg);
    cfg.max_moves = 50000;
    cfg.seed = 3;
    pl_refine_stats st;
    cr_assert_eq(pl_refine_sa(&c, &cfg, &st), PL_OK, "%s", pl_errmsg());
    pl_cost_terms inc, full;
    pl_cost_terms_get(&c, &inc);
    cr_assert_float_eq(inc.proxy_cost, st.best_cost, 1e-12, "ends at the best state");
    cr_assert_lt(inc.proxy_cost, t0.proxy_cost - 0.001, "SA improves %g -> %g", t0.proxy_cost, inc.proxy_cost);
    pl_cost_full(&c, &full);
    cr_assert_float_eq(full.proxy_cost, inc.proxy_cost, 1e-9 * full.proxy_cost, "incremental == full");
    assert_apart(&c, &nl);
    cr_assert_gt(st.accepted, 100);

    /* same seed, same result */
    pl_netlist nl2;
    pl_cost c2;
    load_ct(&nl2, &c2);
    pl_refine_stats st2;
    cr_assert_eq(pl_refine_sa(&c2, &cfg, &st2), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st2.best_cost, st.best_cost);
    pl_cost_free(&c);
    pl_cost_free(&c2);
    pl_netlist_free(&nl);
    pl_netlist_free(&nl2);
}

Test(refine, fixed_macros_do_not_move)
{
    PL_NEED_SHARED(CT_NET);
    pl_netlist nl;
    pl_cost c;
    load_ct(&nl, &c);
    int fixed = 0;
    double fx[200], fy[200];
    int32_t fi[200];
    for (int64_t i = 0; i < nl.nnodes && fixed < 200; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO && (i % 3) == 0) {
            nl.nodes[i].state = PL_PLACE_FIXED;
            fi[fixed] = (int32_t)i;
            fx[fixed] = c.cx[i];
            fy[fixed++] = c.cy[i];
        }
    pl_refine_config cfg;
    pl_refine_config_default(&cfg);
    cfg.max_moves = 5000;
    cr_assert_eq(pl_refine_sa(&c, &cfg, NULL), PL_OK, "%s", pl_errmsg());
    for (int k = 0; k < fixed; k++) {
        cr_assert_eq(c.cx[fi[k]], fx[k]);
        cr_assert_eq(c.cy[fi[k]], fy[k]);
    }
    assert_apart(&c, &nl);
    pl_cost_free(&c);
    pl_netlist_free(&nl);
}
