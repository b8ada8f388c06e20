/* test_fdplace.c: force-directed placement: a lower wirelength + density cost than every soft macro
 * at the canvas centre (wirelength alone is not lower on demo: the centre gives soft-to-soft nets zero
 * length, FD must spread 1.2x the core area of bloated clusters), inside the canvas, deterministic
 * for a seed; mixed-size mode places unplaced macros; repulsion removes most overlap. */
#include <math.h>

#include "cluster/prepare.h"
#include "cost/proxy.h"
#include "parsers/def.h"
#include "tests/testutil.h"

static double wl_cost(const pl_netlist *nl, double *den)
{
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    cfg.canvas_w = nl->die.x1, cfg.canvas_h = nl->die.y1, cfg.cols = 10, cfg.rows = 10;
    pl_cost c;
    cr_assert_eq(pl_cost_init(&c, nl, &cfg), PL_OK, "%s", pl_errmsg());
    pl_cost_terms t;
    pl_cost_terms_get(&c, &t);
    pl_cost_free(&c);
    *den = t.density_cost;
    return t.wirelength_cost;
}

Test(cluster_fd, lowers_wirelength_against_centre)
{
    pl_netlist flat;
    pl_netlist_init(&flat);
    cr_assert_eq(pl_design_read(&flat, "designs/demo/demo.def", NULL, 0), PL_OK, "%s", pl_errmsg());
    pl_prepare_config pc;
    pl_prepare_config_default(&pc);
    pl_prepare p;
    cr_assert_eq(pl_prepare_run(&p, &flat, &pc), PL_OK, "%s", pl_errmsg()); /* mixed: macros get places */
    cr_assert(p.fd_mixed);
    pl_netlist *nl = &p.nl;
    double W = nl->die.x1, H = nl->die.y1;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *n = &nl->nodes[i];
        if (n->kind == PL_NODE_MACRO) {
            cr_assert_eq(n->state, PL_PLACE_PLACED);
            cr_assert(n->x >= -1e-9 && n->y >= -1e-9 && n->x + n->w <= W + 1e-9 && n->y + n->h <= H + 1e-9);
            n->state = PL_PLACE_FIXED;
        }
    }
    /* all soft macros at the centre */
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *n = &nl->nodes[i];
        if (n->kind == PL_NODE_SOFT) n->x = 0.5 * (W - n->w), n->y = 0.5 * (H - n->h);
    }
    double dc, dp;
    double centre = wl_cost(nl, &dc);
    pl_fd_config fc;
    pl_fd_config_default(&fc);
    fc.seed = 11;
    pl_fd_stats st;
    cr_assert_eq(pl_fd_place(nl, &fc, &st), PL_OK, "%s", pl_errmsg());
    double placed = wl_cost(nl, &dp);
    cr_assert(placed + 0.5 * dp < centre + 0.5 * dc, "FD wirelength+density %g + 0.5*%g not below the centre's %g + 0.5*%g",
              placed, dp, centre, dc);
    cr_assert(dp < 0.5 * dc, "density %g vs %g at the centre", dp, dc);
    cr_assert_eq(st.movable, p.cl.nclusters);
    cr_assert_eq(st.steps, 300);
    double *xs = malloc((size_t)nl->nnodes * sizeof *xs);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        xs[i] = n->x;
        if (n->kind != PL_NODE_SOFT) continue;
        cr_assert(n->x >= -1e-9 && n->y >= -1e-9 && n->x + n->w <= W + 1e-9 && n->y + n->h <= H + 1e-9);
    }
    /* same seed, same positions */
    cr_assert_eq(pl_fd_place(nl, &fc, NULL), PL_OK);
    for (int64_t i = 0; i < nl->nnodes; i++) cr_assert_eq(xs[i], nl->nodes[i].x);
    free(xs);
    pl_prepare_free(&p);
    pl_prepare_free(&p);
    pl_netlist_free(&flat);
}

Test(cluster_fd, spreads_overlaps)
{
    pl_netlist flat;
    pl_netlist_init(&flat);
    cr_assert_eq(pl_design_read(&flat, "designs/small/small.def", NULL, 0), PL_OK, "%s", pl_errmsg());
    pl_prepare_config pc;
    pl_prepare_config_default(&pc);
    pc.fd = 0;
    pl_prepare p;
    cr_assert_eq(pl_prepare_run(&p, &flat, &pc), PL_OK, "%s", pl_errmsg());
    pl_fd_config only_attract, full;
    pl_fd_config_mixed(&full);
    pl_fd_config_mixed(&only_attract);
    only_attract.nstages = 1;
    pl_fd_stats a, b;
    cr_assert_eq(pl_fd_place(&p.nl, &only_attract, &a), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_fd_place(&p.nl, &full, &b), PL_OK, "%s", pl_errmsg());
    cr_assert(b.overlap_area < 0.5 * a.overlap_area, "repulsion: overlap %g after vs %g attraction only",
              b.overlap_area, a.overlap_area);
    pl_prepare_free(&p);
    pl_netlist_free(&flat);
}
