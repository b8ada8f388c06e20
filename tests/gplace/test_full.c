/* test_full.c: the full-design evaluation (gplace/full.h) and `placer eval --full`: on designs/small
 * with its macros placed by `placer place`, every cell ends legal, the reported HPWL is the netlist's,
 * the JSON is the same bytes on a second run, unplaced macros are refused with a message. */
#include <math.h>

#include "cluster/problem.h"
#include "core/log.h"
#include "cost/hpwl.h"
#include "gplace/full.h"
#include "parsers/def.h"
#include "tests/testutil.h"

static void setup(void) { pl_log_set_level(PL_LOG_QUIET); }
TestSuite(full, .init = setup, .timeout = 120);

/* designs/small with its macros placed, written to dir/placed.def. */
static void placed_small(char *out, size_t len)
{
    snprintf(out, len, "%s/placed.def", pl_test_tmpdir());
    char cmd[1024], *o, *e;
    snprintf(cmd, sizeof cmd, "%s -q place designs/small/small.def --policy none --effort fast --time-limit 0 "
             "--rollouts 4 --chains 0 -o %s", pl_test_placer(), out);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0, "%s", e);
    free(o), free(e);
}

static const char *SMALL_LEFS[] = {"designs/small/small.tlef", "designs/small/small_cells.lef",
                                   "designs/small/small_macros.lef"};

/* designs/small with its macros placed, read into nl (initialised here). */
static void read_placed_small(pl_netlist *nl)
{
    char def[256];
    placed_small(def, sizeof def);
    pl_netlist_init(nl);
    cr_assert_eq(pl_design_read(nl, def, SMALL_LEFS, 3), PL_OK, "%s", pl_errmsg());
}

Test(full, cells_end_legal_and_hpwl_is_the_netlists)
{
    char def[256];
    placed_small(def, sizeof def);
    const char *lefs[] = {"designs/small/small.tlef", "designs/small/small_cells.lef", "designs/small/small_macros.lef"};
    pl_netlist nl;
    pl_netlist_init(&nl);
    cr_assert_eq(pl_design_read(&nl, def, lefs, 3), PL_OK, "%s", pl_errmsg());
    pl_netlist before;
    pl_netlist_init(&before);
    cr_assert_eq(pl_design_read(&before, def, lefs, 3), PL_OK);
    pl_full_config fc;
    pl_full_config_default(&fc);
    pl_full_stats st;
    cr_assert_eq(pl_full_eval(&nl, &fc, &st, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert(st.legalized);
    cr_assert_eq(st.violations, 0);
    cr_assert_eq(pl_cell_legal_check(&nl, NULL, 0), 0);
    cr_assert_eq(st.hpwl, pl_hpwl(&nl), "the reported HPWL is that of the final placement");
    cr_assert(st.hpwl >= st.hpwl_global * 0.9 && st.hpwl > 0, "legal %g, global %g", st.hpwl, st.hpwl_global);
    cr_assert_gt(st.gplace.movable, 0);
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *n = &nl.nodes[i], *b = &before.nodes[i];
        if (n->kind == PL_NODE_STDCELL) {
            cr_assert_eq(n->state, PL_PLACE_PLACED, "%s", n->name);
        } else {
            cr_assert(n->x == b->x && n->y == b->y && n->state == b->state, "%s moved", n->name);
        }
    }
    cr_assert(st.route.cols > 0 && st.route.rows > 0);
    cr_assert(st.route.total_overflow >= 0 && st.route.top5_ratio > 0);
    pl_netlist_free(&nl);
    pl_netlist_free(&before);
}

Test(full, unplaced_macros_are_refused)
{
    pl_netlist nl;
    pl_netlist_init(&nl);
    cr_assert_eq(pl_design_read(&nl, "designs/small/small.def", NULL, 0), PL_OK, "%s", pl_errmsg());
    pl_full_config fc;
    pl_full_config_default(&fc);
    pl_full_stats st;
    cr_assert_eq(pl_full_eval(&nl, &fc, &st, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "is unplaced; give a placement of every macro"), "%s", pl_errmsg());
    pl_err_clear();
    pl_netlist_free(&nl);
}

Test(full, eval_full_json_is_the_same_bytes_twice)
{
    char def[256], cmd[1024], *o1, *o2, *e;
    placed_small(def, sizeof def);
    snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def --placement %s --full --json", pl_test_placer(), def);
    cr_assert_eq(pl_test_run(cmd, &o1, &e), 0, "%s", e);
    free(e);
    cr_assert_eq(pl_test_run(cmd, &o2, &e), 0, "%s", e);
    free(e);
    cr_assert_str_eq(o1, o2);
    cr_assert(strstr(o1, "\"full\": { \"cells\": 300, \"hpwl_um\": "), "%s", o1);
    cr_assert(strstr(o1, "\"violations\": 0"), "%s", o1);
    free(o1), free(o2);
    /* a Circuit Training netlist has no standard cells to place */
    snprintf(cmd, sizeof cmd, "%s eval x.pb.txt --full", pl_test_placer());
    cr_assert_neq(pl_test_run(cmd, &o1, &e), 0);
    cr_assert(strstr(e, "--full needs a LEF/DEF or Bookshelf design"), "%s", e);
    free(o1), free(e);
}

/* The cell map on the GCell grid conserves area: Σ density x GCell area = the placed cells' area
 * inside the die, and every value is within [0, a few] (legal cells do not pile up). */
Test(full, cell_map_conserves_the_cells_area)
{
    pl_netlist nl;
    read_placed_small(&nl);
    pl_full_config fc;
    pl_full_config_default(&fc);
    pl_full_stats st;
    pl_route_maps m;
    pl_route_maps_init(&m);
    cr_assert_eq(pl_full_eval(&nl, &fc, &st, &m), PL_OK, "%s", pl_errmsg());
    double *v = malloc(sizeof *v * (size_t)(m.cols * m.rows));
    pl_full_cell_map(&nl, &m, v);
    double area = 0, want = 0, vmax = 0;
    for (int r = 0; r < m.rows; r++)
        for (int k = 0; k < m.cols; k++) {
            area += v[r * m.cols + k] * (m.xs[k + 1] - m.xs[k]) * (m.ys[r + 1] - m.ys[r]);
            vmax = fmax(vmax, v[r * m.cols + k]);
        }
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_STDCELL) want += pl_node_width(&nl.nodes[i]) * pl_node_height(&nl.nodes[i]);
    cr_assert_float_eq(area, want, 1e-6 * want, "%.6f vs %.6f", area, want);
    cr_assert(vmax > 0 && vmax <= 1 + 1e-9, "legal cells fill a GCell at most: %g", vmax);
    free(v);
    pl_route_maps_free(&m);
    pl_netlist_free(&nl);
}
