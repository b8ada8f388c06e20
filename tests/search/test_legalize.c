/* test_legalize.c: macro legalisation: legal results (checked by an independent pairwise
 * check), minimal moves, fixed macros, halos and blockages kept, clear failures. */
#include <math.h>

#include "parsers/def.h"
#include "parsers/lef.h"
#include "core/log.h"
#include "core/rng.h"
#include "search/legalize.h"
#include "tests/testutil.h"

static pl_netlist nl;
static void setup(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(&nl);
}
static void teardown(void) { pl_netlist_free(&nl); }
TestSuite(legalize, .init = setup, .fini = teardown);

static void read_gen(const char *name)
{
    char def[256];
    snprintf(def, sizeof def, "designs/%s/%s.def", name, name);
    cr_assert_eq(pl_design_read(&nl, def, NULL, 0), PL_OK, "%s", pl_errmsg());
}

/* Independent pairwise overlap test on the footprints plus halos (µm, tolerance 1e-9). */
static int overlaps(const pl_node *a, const pl_node *b)
{
    double ax0 = a->x - a->halo[0], ay0 = a->y - a->halo[1];
    double ax1 = a->x + pl_node_width(a) + a->halo[2], ay1 = a->y + pl_node_height(a) + a->halo[3];
    double bx0 = b->x, by0 = b->y, bx1 = b->x + pl_node_width(b), by1 = b->y + pl_node_height(b);
    return ax0 < bx1 - 1e-9 && bx0 < ax1 - 1e-9 && ay0 < by1 - 1e-9 && by0 < ay1 - 1e-9;
}

static void assert_legal(void)
{
    char msg[256] = "";
    cr_assert_eq(pl_legalize_check(&nl, NULL, msg, sizeof msg), 0, "%s", msg);
    double cx0 = 1e300, cy0 = 1e300, cx1 = -1e300, cy1 = -1e300;
    for (int64_t r = 0; r < nl.nrows; r++) {
        const pl_row *w = &nl.rows[r];
        if (w->x < cx0) cx0 = w->x;
        if (w->y < cy0) cy0 = w->y;
        if (w->x + w->sx * w->nx > cx1) cx1 = w->x + w->sx * w->nx;
        if (w->y > cy1) cy1 = w->y;
    }
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *a = &nl.nodes[i];
        if (a->kind != PL_NODE_MACRO) continue;
        cr_assert_eq(a->state, PL_PLACE_FIXED, "%s fixed", a->name);
        cr_assert_geq(a->x, cx0 - 1e-9, "%s inside", a->name);
        cr_assert_leq(a->x + pl_node_width(a), cx1 + 1e-9, "%s inside", a->name);
        cr_assert_geq(a->y, cy0 - 1e-9, "%s inside", a->name);
        double k = (a->x - cx0) / nl.rows[0].sx;
        cr_assert_float_eq(k, llround(k), 1e-6, "%s on the site grid", a->name);
        for (int64_t j = 0; j < nl.nnodes; j++)
            if (j != i && nl.nodes[j].kind == PL_NODE_MACRO)
                cr_assert_not(overlaps(a, &nl.nodes[j]), "%s and %s overlap", a->name, nl.nodes[j].name);
    }
}

Test(legalize, all_macros_piled_in_the_middle)
{
    read_gen("demo");
    for (int64_t i = 0; i < nl.nnodes; i++) {
        pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        n->state = PL_PLACE_PLACED;
        n->x = 0.5 * (nl.die.x0 + nl.die.x1) - 0.5 * pl_node_width(n);
        n->y = 0.5 * (nl.die.y0 + nl.die.y1) - 0.5 * pl_node_height(n);
    }
    pl_legalize_stats st;
    cr_assert_eq(pl_legalize_macros(&nl, NULL, &st), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st.moved, 16);
    assert_legal();
}

Test(legalize, random_positions_deterministic)
{
    read_gen("medium");
    pl_rng rng;
    pl_rng_seed(&rng, 7);
    for (int64_t i = 0; i < nl.nnodes; i++) {
        pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        n->state = PL_PLACE_PLACED;
        n->orient = (pl_orient)pl_rng_below(&rng, 8);
        n->x = nl.die.x0 + pl_rng_uniform(&rng) * (nl.die.x1 - nl.die.x0 - pl_node_width(n));
        n->y = nl.die.y0 + pl_rng_uniform(&rng) * (nl.die.y1 - nl.die.y0 - pl_node_height(n));
    }
    pl_node *copy = malloc((size_t)nl.nnodes * sizeof *copy);
    memcpy(copy, nl.nodes, (size_t)nl.nnodes * sizeof *copy);
    cr_assert_eq(pl_legalize_macros(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    assert_legal();
    pl_node *first = malloc((size_t)nl.nnodes * sizeof *first);
    memcpy(first, nl.nodes, (size_t)nl.nnodes * sizeof *first);
    memcpy(nl.nodes, copy, (size_t)nl.nnodes * sizeof *copy);
    cr_assert_eq(pl_legalize_macros(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    for (int64_t i = 0; i < nl.nnodes; i++) {
        cr_assert_eq(nl.nodes[i].x, first[i].x);
        cr_assert_eq(nl.nodes[i].y, first[i].y);
    }
    free(copy);
    free(first);
}

Test(legalize, legal_placement_does_not_move)
{
    read_gen("small");
    /* stack the macros along the bottom-left of the core on the lattice: legal already */
    double x = nl.rows[0].x;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        n->state = PL_PLACE_PLACED;
        n->x = x;
        n->y = nl.rows[0].y;
        double w = pl_node_width(n);
        x += ceil(w / nl.rows[0].sx - 1e-9) * nl.rows[0].sx;
    }
    pl_legalize_stats st;
    cr_assert_eq(pl_legalize_macros(&nl, NULL, &st), PL_OK, "%s", pl_errmsg());
    cr_assert_float_eq(st.total_disp, 0, 1e-12);
    assert_legal();
}

Test(legalize, tiny_keeps_fixed_halo_and_blockage)
{
    cr_assert_eq(pl_lef_read(&nl, "tests/data/tiny/tiny.lef"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_def_read(&nl, "tests/data/tiny/tiny.def"), PL_OK, "%s", pl_errmsg());
    /* make row0 an array of 54 rows (DO 480 BY 54 STEP 0.2 1.4) so the core holds the RAMs */
    nl.rows[0].ny = 54;
    nl.rows[0].sy = 1.4;
    pl_node *r0 = &nl.nodes[pl_netlist_find_node(&nl, "ram\\[0\\]")];
    pl_node *r1 = &nl.nodes[pl_netlist_find_node(&nl, "ram\\[1\\]")]; /* FIXED, halo 1 2 3 4 */
    pl_node *r2 = &nl.nodes[pl_netlist_find_node(&nl, "ram2")];
    r1->y = 20.2; /* on the row lattice 2 + 13 * 1.4, so that the check's grid rule holds */
    double fx = r1->x, fy = r1->y;
    r0->x = r1->x + 1; /* on top of the fixed macro */
    r0->y = r1->y + 1;
    nl.blockages[0].partial = 0; /* tiny's blockage is PARTIAL (no bar to macros): make it hard */
    r2->state = PL_PLACE_PLACED;
    r2->x = 61; /* on the placement blockage (60..70, 60..70) */
    r2->y = 61;
    cr_assert_eq(pl_legalize_macros(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(r1->x, fx);
    cr_assert_eq(r1->y, fy);
    char msg[256] = "";
    cr_assert_eq(pl_legalize_check(&nl, NULL, msg, sizeof msg), 0, "%s", msg);
    /* ram[0] clears ram[1]'s halo on some side */
    int clear = r0->x + 20 <= r1->x - 1 + 1e-9 || r0->x >= r1->x + 20 + 3 - 1e-9 || r0->y + 10 <= r1->y - 2 + 1e-9 ||
                r0->y >= r1->y + 10 + 4 - 1e-9;
    cr_assert(clear, "ram[0] at (%g,%g) respects ram[1]'s halo", r0->x, r0->y);
    int off_blockage = r2->x >= 70 - 1e-9 || r2->x + 20 <= 60 + 1e-9 || r2->y >= 70 - 1e-9 || r2->y + 10 <= 60 + 1e-9;
    cr_assert(off_blockage, "ram2 at (%g,%g) avoids the blockage", r2->x, r2->y);
}

Test(legalize, too_big_or_too_full_fails_clearly)
{
    read_gen("small");
    int32_t m = -1;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) m = (int32_t)i;
    nl.nodes[m].w = 1000;
    nl.nodes[m].state = PL_PLACE_PLACED;
    cr_assert_eq(pl_legalize_macros(&nl, NULL, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), nl.nodes[m].name), "%s", pl_errmsg());
}

Test(legalize, check_finds_overlaps)
{
    read_gen("small");
    int32_t a = -1, b = -1;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) {
            if (a < 0) a = (int32_t)i;
            else if (b < 0) b = (int32_t)i;
        }
    nl.nodes[a].state = nl.nodes[b].state = PL_PLACE_FIXED;
    nl.nodes[a].x = nl.nodes[b].x = nl.rows[0].x;
    nl.nodes[a].y = nl.nodes[b].y = nl.rows[0].y;
    char msg[256] = "";
    cr_assert_gt(pl_legalize_check(&nl, NULL, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "overlap"), "%s", msg);
}

/* The widest channel whose grown macros cover at most the given share of the area. */
Test(legalize, channel_fit_is_the_widest_channel_the_area_holds)
{
    pl_netlist n;
    pl_netlist_init(&n);
    for (int k = 0; k < 4; k++) {
        char name[16];
        snprintf(name, sizeof name, "m%d", k);
        int32_t id;
        cr_assert_eq(pl_netlist_add_node(&n, name, strlen(name), PL_NODE_MACRO, &id), PL_OK);
        n.nodes[id].w = 10, n.nodes[id].h = 10;
    }
    const double area = 1000; /* the macros alone cover 40 % */
    cr_assert_float_eq(pl_legalize_cover(&n, area, 0), 0.4, 1e-12);
    cr_assert_float_eq(pl_legalize_channel_fit(&n, area, 1.0, 0.75), 1.0, 1e-12, "(11 x 11) x 4 = 48.4 %% fits");
    double c = pl_legalize_channel_fit(&n, area, 20.0, 0.75);
    cr_assert_float_eq(pl_legalize_cover(&n, area, c), 0.75, 1e-9, "narrowed to exactly 75 %%: %.6f", c);
    cr_assert_float_eq(c, sqrt(750.0 / 4) - 10, 1e-9);
    cr_assert_eq(pl_legalize_channel_fit(&n, area, 5.0, 0.3), 0.0, "the macros alone cover more than 30 %%");
    pl_netlist_free(&n);
}
