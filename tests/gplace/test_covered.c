/* test_covered.c: gplace/covered.h: which standard cells a hard macro covers, on hand-built netlists:
 * overlap counts, touching edges and halos do not, rotated macros use their turned footprint, unplaced
 * macros cover nothing, FIXED cells are counted but never unplaced, and an abutting cell whose float
 * sum x + w misses the macro's edge by an ulp is not counted. */
#include "gplace/covered.h"
#include "tests/testutil.h"

static pl_netlist nl;

static void setup(void)
{
    pl_netlist_init(&nl);
    nl.dbu_per_micron = 2000;
}
static void teardown(void) { pl_netlist_free(&nl); }

static int32_t add(const char *name, pl_node_kind kind, pl_place_state st, double x, double y, double w, double h,
                   pl_orient o)
{
    int32_t i;
    cr_assert_eq(pl_netlist_add_node(&nl, name, strlen(name), kind, &i), PL_OK);
    pl_node *n = &nl.nodes[i];
    n->state = st, n->x = x, n->y = y, n->w = w, n->h = h, n->orient = o;
    return i;
}

TestSuite(covered, .init = setup, .fini = teardown);

Test(covered, overlap_counts_touching_and_halo_do_not)
{
    int32_t m = add("m", PL_NODE_MACRO, PL_PLACE_FIXED, 10, 10, 20, 10, PL_ORIENT_N); /* [10,30] x [10,20] */
    nl.nodes[m].halo[0] = nl.nodes[m].halo[1] = nl.nodes[m].halo[2] = nl.nodes[m].halo[3] = 5;
    int32_t in = add("in", PL_NODE_STDCELL, PL_PLACE_PLACED, 12, 12, 1, 1, PL_ORIENT_N);
    int32_t edge = add("edge", PL_NODE_STDCELL, PL_PLACE_PLACED, 29.5, 19.5, 2, 2, PL_ORIENT_N); /* corner overlap */
    int32_t left = add("left", PL_NODE_STDCELL, PL_PLACE_PLACED, 8, 12, 2, 1, PL_ORIENT_N);   /* touches x = 10 */
    int32_t top = add("top", PL_NODE_STDCELL, PL_PLACE_PLACED, 15, 20, 1, 1, PL_ORIENT_N);    /* touches y = 20 */
    int32_t halo = add("halo", PL_NODE_STDCELL, PL_PLACE_PLACED, 31, 12, 1, 1, PL_ORIENT_N);  /* in the halo only */
    int32_t fix = add("fix", PL_NODE_STDCELL, PL_PLACE_FIXED, 20, 15, 1, 1, PL_ORIENT_N);
    int32_t un = add("un", PL_NODE_STDCELL, PL_PLACE_UNPLACED, 20, 15, 1, 1, PL_ORIENT_N);
    int32_t port = add("port", PL_NODE_PORT, PL_PLACE_PLACED, 20, 15, 0, 0, PL_ORIENT_N);
    pl_covered_stats st;
    cr_assert_eq(pl_cells_covered_count(&nl, &st), PL_OK);
    cr_assert_eq(st.placed, 2, "%lld", (long long)st.placed);
    cr_assert_eq(st.fixed, 1);
    cr_assert_eq(nl.nodes[in].state, PL_PLACE_PLACED, "counting changes nothing");

    cr_assert_eq(pl_cells_covered_unplace(&nl, &st), PL_OK);
    cr_assert_eq(st.placed, 2);
    cr_assert_eq(st.fixed, 1);
    cr_assert_eq(nl.nodes[in].state, PL_PLACE_UNPLACED);
    cr_assert_eq(nl.nodes[edge].state, PL_PLACE_UNPLACED);
    cr_assert_float_eq(nl.nodes[in].x, 12, 0, "the position stays");
    const int32_t kept[] = {left, top, halo, port};
    for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++)
        cr_assert_eq(nl.nodes[kept[k]].state, PL_PLACE_PLACED, "%s", nl.nodes[kept[k]].name);
    cr_assert_eq(nl.nodes[fix].state, PL_PLACE_FIXED);
    cr_assert_eq(nl.nodes[un].state, PL_PLACE_UNPLACED);
    cr_assert_eq(pl_cells_covered_count(&nl, &st), PL_OK);
    cr_assert_eq(st.placed, 0);
    cr_assert_eq(st.fixed, 1);
}

Test(covered, rotated_and_unplaced_macros)
{
    add("rot", PL_NODE_MACRO, PL_PLACE_PLACED, 0, 0, 20, 4, PL_ORIENT_W); /* footprint 4 x 20 */
    add("gone", PL_NODE_MACRO, PL_PLACE_UNPLACED, 50, 50, 20, 20, PL_ORIENT_N);
    int32_t up = add("up", PL_NODE_STDCELL, PL_PLACE_PLACED, 1, 15, 1, 1, PL_ORIENT_N);     /* inside: y < 20 */
    int32_t right = add("right", PL_NODE_STDCELL, PL_PLACE_PLACED, 5, 1, 1, 1, PL_ORIENT_N); /* x > 4 */
    int32_t under_gone = add("ug", PL_NODE_STDCELL, PL_PLACE_PLACED, 55, 55, 1, 1, PL_ORIENT_N);
    pl_covered_stats st;
    cr_assert_eq(pl_cells_covered_unplace(&nl, &st), PL_OK);
    cr_assert_eq(st.placed, 1);
    cr_assert_eq(nl.nodes[up].state, PL_PLACE_UNPLACED);
    cr_assert_eq(nl.nodes[right].state, PL_PLACE_PLACED);
    cr_assert_eq(nl.nodes[under_gone].state, PL_PLACE_PLACED);
}

/* 17.57 + 9.31 = 26.880000000000003 in doubles: the cell at 26.88 abuts the macro, it is not under it. */
Test(covered, abutting_cell_is_not_covered_through_rounding)
{
    add("m", PL_NODE_MACRO, PL_PLACE_PLACED, 17.57, 11.2, 9.31, 21, PL_ORIENT_N);
    cr_assert_gt(17.57 + 9.31, 26.88, "the float sum this test is about");
    add("c", PL_NODE_STDCELL, PL_PLACE_PLACED, 26.88, 19.6, 0.57, 1.4, PL_ORIENT_N);
    pl_covered_stats st;
    cr_assert_eq(pl_cells_covered_count(&nl, &st), PL_OK);
    cr_assert_eq(st.placed, 0);
}

Test(covered, no_macros_no_cells)
{
    pl_covered_stats st = {7, 7};
    cr_assert_eq(pl_cells_covered_unplace(&nl, &st), PL_OK);
    cr_assert_eq(st.placed, 0);
    cr_assert_eq(st.fixed, 0);
    add("c", PL_NODE_STDCELL, PL_PLACE_PLACED, 0, 0, 1, 1, PL_ORIENT_N);
    cr_assert_eq(pl_cells_covered_count(&nl, &st), PL_OK);
    cr_assert_eq(st.placed, 0);
}
