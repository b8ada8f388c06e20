/* test_gridsel.c: Circuit Training's grid selection on hand-checkable cases and the shared Ariane. */
#include "cluster/gridsel.h"
#include "parsers/def.h"
#include "tests/shared_designs.h"
#include "tests/testutil.h"

Test(cluster_grid, no_macros_smallest_grid)
{
    pl_gridsel_config cfg;
    pl_gridsel_config_default(&cfg);
    pl_gridsel_result r;
    cr_assert_eq(pl_gridsel_choose(NULL, NULL, 0, 100, 100, &cfg, &r), PL_OK, "%s", pl_errmsg());
    /* every grid scores 1 (all empty): the fewest cells >= 500 with aspect <= 1.5; 20x25 first */
    cr_assert_eq(r.rows * r.cols, 500, "%dx%d", r.cols, r.rows);
    cr_assert_eq(r.rows, 20);
}

Test(cluster_grid, one_full_canvas_macro)
{
    /* a 100x100 macro on a 100x100 canvas fits only when a cell centre is the canvas centre (odd
     * rows and cols); score 2 for all of them; the fewest cells: 19 rows x 27 cols = 513 */
    pl_gridsel_config cfg;
    pl_gridsel_config_default(&cfg);
    double w = 100, h = 100;
    pl_gridsel_result r;
    cr_assert_eq(pl_gridsel_choose(&w, &h, 1, 100, 100, &cfg, &r), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(r.rows, 19, "%dx%d", r.cols, r.rows);
    cr_assert_eq(r.cols, 27);
    cr_assert_float_eq(r.score, 2.0, 1e-12);
    /* too big: no grid */
    w = 101;
    cr_assert_eq(pl_gridsel_choose(&w, &h, 1, 100, 100, &cfg, &r), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--grid"), "%s", pl_errmsg());
}

Test(cluster_grid, constraints_and_determinism)
{
    pl_gridsel_config cfg;
    pl_gridsel_config_default(&cfg);
    double w[40], h[40];
    for (int i = 0; i < 40; i++) w[i] = 6 + (i % 5), h[i] = 9 + (i % 3); /* mixed sizes */
    pl_gridsel_result a, b;
    cr_assert_eq(pl_gridsel_choose(w, h, 40, 150, 120, &cfg, &a), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gridsel_choose(w, h, 40, 150, 120, &cfg, &b), PL_OK);
    cr_assert(a.rows == b.rows && a.cols == b.cols);
    double gw = 150.0 / a.cols, gh = 120.0 / a.rows;
    cr_assert(a.rows >= 10 && a.cols >= 10 && a.rows <= 128 && a.cols <= 128);
    cr_assert(a.rows * a.cols >= 500 && a.rows * a.cols <= 4096);
    cr_assert(gw / gh <= 1.5 + 1e-12 && gh / gw <= 1.5 + 1e-12);
    cr_assert(a.score >= 0.95 * a.best_score - 1e-12 && a.score <= a.best_score);
    cr_assert(a.rows * a.cols <= a.best_rows * a.best_cols);
}

Test(cluster_grid, shared_asap7_ariane)
{
    PL_NEED_SHARED("designs/asap7_ariane133/ariane.def.gz");
    const pl_shared_design *d = &PL_SHARED_DESIGNS[2];
    const char *lefs[6];
    int nl = 0;
    for (; d->lefs[nl]; nl++) lefs[nl] = pl_test_shared_path(d->lefs[nl]);
    pl_netlist n;
    pl_netlist_init(&n);
    cr_assert_eq(pl_design_read(&n, pl_test_shared_path(d->def), lefs, nl), PL_OK, "%s", pl_errmsg());
    pl_gridsel_config cfg;
    pl_gridsel_config_default(&cfg);
    pl_gridsel_result r;
    cr_assert_eq(pl_gridsel_netlist(&n, &cfg, &r), PL_OK, "%s", pl_errmsg());
    /* golden (discrete): 133 SRAMs of 8.36 x 16.8 on the die, 226.44 x 225.972 */
    cr_assert_eq(r.cols, 27, "%dx%d", r.cols, r.rows);
    cr_assert_eq(r.rows, 25);
    /* on the core, 222.408 x 221.94, Circuit Training's rule gives the grid of TILOS's .plc headers */
    double w[133], h[133];
    int k = 0;
    for (int64_t i = 0; i < n.nnodes; i++)
        if (n.nodes[i].kind == PL_NODE_MACRO) w[k] = pl_node_width(&n.nodes[i]), h[k] = pl_node_height(&n.nodes[i]), k++;
    cr_assert_eq(k, 133);
    cr_assert_eq(pl_gridsel_choose(w, h, k, 222.408, 221.94, &cfg, &r), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(r.cols, 26, "%dx%d", r.cols, r.rows);
    cr_assert_eq(r.rows, 26);
    pl_netlist_free(&n);
}
