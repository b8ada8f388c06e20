/* test_route.c: routability figures (cost/route.h) on hand-built netlists: capacity of a hand-made
 * layer stack with DEF tracks and a macro, an L route and its demand per GCell, a net inside one
 * GCell, the L chosen against demand, a Z around two congested columns, RUDY's integral, overflow
 * exactly past capacity, the grid rules, determinism, bad input; then asap7_ariane133 with the SA
 * macros and cells at random in the core (finite figures only). */
#include <math.h>

#include "core/rng.h"
#include "cost/route.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "tests/shared_designs.h"
#include "tests/testutil.h"

static pl_netlist nl;
static pl_route_maps maps;
static pl_route_config cfg;
static pl_route_stats st;

static void setup(void)
{
    pl_netlist_init(&nl);
    pl_route_maps_init(&maps);
    pl_route_config_default(&cfg);
}
static void teardown(void)
{
    pl_route_maps_free(&maps);
    pl_netlist_free(&nl);
}

TestSuite(route, .init = setup, .fini = teardown);

static void add_layer(const char *name, const char *type, pl_layer_dir dir, double pitch, double offset)
{
    cr_assert_eq(PL_GROW(nl.layers, nl.layers_cap, nl.nlayers + 1), PL_OK);
    pl_layer *L = &nl.layers[nl.nlayers++];
    memset(L, 0, sizeof *L);
    L->name = pl_netlist_str(&nl, name, strlen(name));
    L->type = pl_netlist_str(&nl, type, strlen(type));
    L->dir = dir;
    L->pitch_x = L->pitch_y = pitch;
    L->offset_x = L->offset_y = offset;
    L->width = pitch / 2;
}

static void add_gcells(char axis, double start, int32_t num, double step)
{
    cr_assert_eq(PL_GROW(nl.gcells, nl.gcells_cap, nl.ngcells + 1), PL_OK);
    nl.gcells[nl.ngcells++] = (pl_gcellgrid){axis, start, step, num};
}

static void add_tracks(char axis, double start, int32_t num, double step, const char *layers)
{
    cr_assert_eq(PL_GROW(nl.tracks, nl.tracks_cap, nl.ntracks + 1), PL_OK);
    nl.tracks[nl.ntracks++] = (pl_tracks){axis, start, step, num, pl_netlist_str(&nl, layers, strlen(layers))};
}

/* The hand-made stack on a 10 x 10 µm die with 1 µm GCells (DEF GCELLGRID):
 *   M1 V pitch 0.1 (not counted), M2 H pitch 1 offset 0.5 (1 track per row),
 *   M3 V pitch 0.5 offset 0.25 (2 per column), M4 H pitch 0.25 offset 0.125 (4 per row):
 *   H capacity 5, V capacity 2 per GCell. */
static void stack(void)
{
    nl.has_die = 1;
    nl.die = (pl_rect){0, 0, 10, 10};
    add_layer("M1", "ROUTING", PL_LAYER_VERTICAL, 0.1, 0);
    add_layer("V1", "CUT", PL_LAYER_NONE, 0, 0);
    add_layer("M2", "ROUTING", PL_LAYER_HORIZONTAL, 1.0, 0.5);
    add_layer("M3", "ROUTING", PL_LAYER_VERTICAL, 0.5, 0.25);
    add_layer("M4", "ROUTING", PL_LAYER_HORIZONTAL, 0.25, 0.125);
    add_gcells('X', 0, 11, 1);
    add_gcells('Y', 0, 11, 1);
}

static int nports;

static int32_t port(double x, double y)
{
    char name[32];
    snprintf(name, sizeof name, "p%d", nports++);
    int32_t n;
    cr_assert_eq(pl_netlist_add_node(&nl, name, strlen(name), PL_NODE_PORT, &n), PL_OK);
    nl.nodes[n].x = x;
    nl.nodes[n].y = y;
    nl.nodes[n].state = PL_PLACE_FIXED;
    return n;
}

static int32_t macro(double x, double y, double w, double h)
{
    char name[32];
    snprintf(name, sizeof name, "m%d", nports++);
    int32_t n;
    cr_assert_eq(pl_netlist_add_node(&nl, name, strlen(name), PL_NODE_MACRO, &n), PL_OK);
    nl.nodes[n].x = x, nl.nodes[n].y = y, nl.nodes[n].w = w, nl.nodes[n].h = h;
    nl.nodes[n].state = PL_PLACE_FIXED;
    return n;
}

/* A net over k points (x, y), each a port; the first drives it. */
static int32_t net(double weight, int k, const double (*xy)[2])
{
    char name[32];
    snprintf(name, sizeof name, "n%lld", (long long)nl.nnets);
    int32_t n, pin;
    cr_assert_eq(pl_netlist_add_net(&nl, name, strlen(name), &n), PL_OK);
    nl.nets[n].weight = weight;
    for (int i = 0; i < k; i++) {
        cr_assert_eq(pl_netlist_add_pin(&nl, port(xy[i][0], xy[i][1]), n, &pin), PL_OK);
        nl.pins[pin].dir = i == 0 ? PL_DIR_INPUT : PL_DIR_OUTPUT; /* an INPUT port drives the net */
        if (i == 0) nl.nets[n].driver = pin;
    }
    return n;
}

static void net2(double x0, double y0, double x1, double y1)
{
    const double xy[2][2] = {{x0, y0}, {x1, y1}};
    net(1, 2, xy);
}

static void run(void)
{
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_OK, "%s", pl_errmsg());
}

#define AT(m, i, j) ((m)[(j) * maps.cols + (i)])

/* Σ of a map's entries. */
static double total(const double *m)
{
    double s = 0;
    for (int g = 0; g < maps.cols * maps.rows; g++) s += m[g];
    return s;
}

Test(route, capacity_hand_count)
{
    stack();
    add_tracks('X', 0.1, 50, 0.2, "M3"); /* DEF tracks replace M3's LEF pitch: 5 per column */
    add_tracks('Y', 0.0, 100, 0.1, "M3 M2"); /* non-preferred direction of M3: ignored; M2 now 10 per row */
    macro(2.5, 2, 1.5, 1.5); /* [2.5, 4) x [2, 3.5) */
    cfg.macro_layers = 3;   /* blocks M1..M3: M2 (H) and M3 (V) */
    run();
    cr_assert_eq(st.cols, 10);
    cr_assert_eq(st.rows, 10);
    cr_assert_eq(st.gcells_from_def, 1);
    cr_assert_eq(st.layers, 3);
    cr_assert_float_eq(AT(maps.h_cap, 0, 0), 14, 1e-12, "M2 10 DEF tracks + M4 4 LEF tracks");
    cr_assert_float_eq(AT(maps.v_cap, 9, 9), 5, 1e-12);
    /* H: M2 tracks at y = 2.0 .. 2.9 (row 2) lie in the macro; over half of GCell (2, 2), all of (3, 2) */
    cr_assert_float_eq(AT(maps.h_cap, 2, 2), 14 - 10 * 0.5, 1e-12);
    cr_assert_float_eq(AT(maps.h_cap, 3, 2), 14 - 10, 1e-12);
    /* row 3: y = 3.0 .. 3.4 (5 tracks) blocked */
    cr_assert_float_eq(AT(maps.h_cap, 2, 3), 14 - 5 * 0.5, 1e-12);
    cr_assert_float_eq(AT(maps.h_cap, 3, 3), 14 - 5, 1e-12);
    cr_assert_float_eq(AT(maps.h_cap, 4, 2), 14, 1e-12);
    /* V: M3 tracks x = 2.5, 2.7, 2.9 in column 2 and all 5 of column 3; over all of row 2, half of row 3 */
    cr_assert_float_eq(AT(maps.v_cap, 2, 2), 5 - 3, 1e-12);
    cr_assert_float_eq(AT(maps.v_cap, 3, 2), 0, 1e-12);
    cr_assert_float_eq(AT(maps.v_cap, 2, 3), 5 - 1.5, 1e-12);
    cr_assert_float_eq(AT(maps.v_cap, 3, 3), 5 - 2.5, 1e-12);
    cr_assert_float_eq(AT(maps.v_cap, 2, 4), 5, 1e-12);
    /* the reserve scales everything; layers 2..3 only drop M4 */
    cfg.reserve = 0.25;
    cfg.max_layer = 3;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st.layers, 2);
    cr_assert_float_eq(AT(maps.h_cap, 0, 0), 10 * 0.75, 1e-12);
    cr_assert_float_eq(AT(maps.h_cap, 3, 3), 5 * 0.75, 1e-12);
    cr_assert_float_eq(AT(maps.v_cap, 2, 3), 3.5 * 0.75, 1e-12);
    /* the macro on no routing layer blocks nothing */
    cfg.reserve = 0, cfg.max_layer = 0, cfg.macro_layers = 1;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_OK, "%s", pl_errmsg());
    cr_assert_float_eq(AT(maps.v_cap, 3, 2), 5, 1e-12);
}

Test(route, routing_blockage_on_its_layer)
{
    stack();
    cr_assert_eq(PL_GROW(nl.blockages, nl.blockages_cap, 1), PL_OK);
    nl.blockages[nl.nblockages++] =
        (pl_blockage){PL_BLOCK_ROUTING, {0, 0, 10, 10}, 0, 0, pl_netlist_str(&nl, "M4", 2)};
    run();
    cr_assert_float_eq(AT(maps.h_cap, 5, 5), 1, 1e-12, "M2's track only");
    cr_assert_float_eq(AT(maps.v_cap, 5, 5), 2, 1e-12);
}

Test(route, l_route_demand_by_hand)
{
    stack();
    cfg.z_shapes = 0;
    net2(1.5, 1.5, 4.5, 3.5); /* GCell (1, 1) to (4, 3) */
    run();
    cr_assert_eq(st.nets, 1);
    cr_assert_eq(st.routed_nets, 1);
    cr_assert_eq(st.segments, 1);
    /* an empty grid: both L shapes cost the same and the H-first one from the driver wins:
     * H edges (1,1)-(2,1), (2,1)-(3,1), (3,1)-(4,1); V edges (4,1)-(4,2), (4,2)-(4,3) */
    for (int j = 0; j < 10; j++)
        for (int i = 0; i < 10; i++) {
            double h = (j == 1 && i >= 1 && i <= 3) ? 1 : 0, v = (i == 4 && (j == 1 || j == 2)) ? 1 : 0;
            cr_assert_float_eq(AT(maps.h_dem, i, j), h, 0, "H (%d, %d)", i, j);
            cr_assert_float_eq(AT(maps.v_dem, i, j), v, 0, "V (%d, %d)", i, j);
        }
    cr_assert_float_eq(st.wirelength, 5.0, 1e-12);
    cr_assert_float_eq(st.total_overflow, 0, 0);
    cr_assert_float_eq(st.max_overflow, 0, 0);
}

Test(route, l_route_avoids_demand)
{
    stack();
    cfg.z_shapes = 0;
    net2(1.5, 1.5, 4.5, 3.5); /* half-perimeter 5: routed second */
    net2(1.5, 1.5, 3.5, 1.5); /* 2: routed first, on row 1 */
    run();
    cr_assert_eq(st.segments, 2);
    /* H-first: 2/5 + 2/5 + 1/5 + 1/2 + 1/2 = 2.0; V-first: 1/2 + 1/2 + 3 x 1/5 = 1.6 */
    cr_assert_float_eq(AT(maps.v_dem, 1, 1), 1, 0);
    cr_assert_float_eq(AT(maps.v_dem, 1, 2), 1, 0);
    for (int i = 1; i <= 3; i++) cr_assert_float_eq(AT(maps.h_dem, i, 3), 1, 0);
    cr_assert_float_eq(AT(maps.h_dem, 1, 1), 1, 0);
    cr_assert_float_eq(AT(maps.h_dem, 3, 1), 0, 0);
    cr_assert_float_eq(AT(maps.v_dem, 4, 1), 0, 0);
    cr_assert_float_eq(total(maps.h_dem) + total(maps.v_dem), 7, 0);
}

Test(route, z_shape_around_full_columns)
{
    stack();
    /* columns 1 and 4 filled to their 2 tracks from row 1 to row 3 */
    for (int k = 0; k < 2; k++) net2(1.5, 1.5, 1.5, 3.5), net2(4.5, 1.5, 4.5, 3.5);
    net2(1.5, 1.5, 4.5, 3.5);
    cfg.z_shapes = 0;
    run();
    cr_assert_float_eq(st.total_overflow, 2, 0, "an L overflows one full column twice");
    cfg.z_shapes = 1;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_OK, "%s", pl_errmsg());
    cr_assert_float_eq(st.total_overflow, 0, 0);
    /* H row 1 from column 1 to 2, V column 2 from row 1 to 3, H row 3 from 2 to 4 (k = 2 before 3) */
    cr_assert_float_eq(AT(maps.h_dem, 1, 1), 1, 0);
    cr_assert_float_eq(AT(maps.v_dem, 2, 1), 1, 0);
    cr_assert_float_eq(AT(maps.v_dem, 2, 2), 1, 0);
    cr_assert_float_eq(AT(maps.h_dem, 2, 3), 1, 0);
    cr_assert_float_eq(AT(maps.h_dem, 3, 3), 1, 0);
    cr_assert_float_eq(total(maps.h_dem) + total(maps.v_dem), 4 * 2 + 5, 0);
}

/* A net over more than trunk_above GCells is a comb: GCells (1,1) (1,4) (3,2) (5,2) (5,3).
 * H trunk on the median row 2 from column 1 to 5 (4 edges), branches on column 1 rows 1..4 (3)
 * and column 5 rows 2..3 (1): 8 edges. The V comb (trunk on column 3) takes 3 + 4 x 2 = 11. The
 * transposed net takes the V comb. */
Test(route, high_fanout_net_as_a_comb)
{
    stack();
    cfg.trunk_above = 3;
    const int pts[5][2] = {{1, 1}, {1, 4}, {3, 2}, {5, 2}, {5, 3}};
    for (int t = 0; t < 2; t++) {
        double xy[5][2];
        for (int k = 0; k < 5; k++) xy[k][t] = pts[k][0] + 0.5, xy[k][1 - t] = pts[k][1] + 0.5;
        if (t) { /* a fresh netlist for the second turn */
            pl_netlist_free(&nl);
            pl_netlist_init(&nl);
            stack();
        }
        net(1, 5, (const double(*)[2])xy);
        run();
        cr_assert_eq(st.trunk_nets, 1);
        cr_assert_eq(st.segments, 3, "trunk and two branches");
        cr_assert_float_eq(st.wirelength, 8, 1e-12);
        const double *trunk = t ? maps.v_dem : maps.h_dem, *branch = t ? maps.h_dem : maps.v_dem;
        for (int a = 0; a < 10; a++)
            for (int b = 0; b < 10; b++) {
                int i = t ? b : a, j = t ? a : b; /* (a, b) in the net's own frame */
                double want_trunk = (b == 2 && a >= 1 && a <= 4) ? 1 : 0;
                double want_branch = ((a == 1 && b >= 1 && b <= 3) || (a == 5 && b == 2)) ? 1 : 0;
                cr_assert_float_eq(AT(trunk, i, j), want_trunk, 0, "turn %d trunk (%d, %d)", t, i, j);
                cr_assert_float_eq(AT(branch, i, j), want_branch, 0, "turn %d branch (%d, %d)", t, i, j);
            }
    }
}

Test(route, net_inside_one_gcell)
{
    stack();
    const double xy[3][2] = {{1.2, 1.2}, {1.8, 1.8}, {1.5, 1.3}};
    net(1, 3, xy);
    run();
    cr_assert_eq(st.nets, 1);
    cr_assert_eq(st.routed_nets, 0);
    cr_assert_eq(st.segments, 0);
    cr_assert_float_eq(total(maps.h_dem) + total(maps.v_dem), 0, 0);
    cr_assert_float_eq(st.wirelength, 0, 0);
    /* its box (0.6 x 0.6) widened to one GCell: weight x (1 + 1) in GCell (1, 1) alone */
    cr_assert_float_eq(AT(maps.rudy, 1, 1), 2, 1e-9);
    cr_assert_float_eq(total(maps.rudy), 2, 1e-9);
}

Test(route, rudy_integrates_to_weight_times_half_perimeter)
{
    stack();
    const double a[2][2] = {{1.5, 1.5}, {6.25, 4.0}}; /* w 4.75, h 2.5 */
    net(2, 2, a);
    run();
    /* GCells are 1 µm²: Σ rudy = Σ rudy x area */
    cr_assert_float_eq(total(maps.rudy), 2 * (4.75 + 2.5), 1e-9);
    cr_assert_float_eq(total(maps.rudy_h), 2 * 4.75, 1e-9);
    cr_assert_float_eq(total(maps.rudy_v), 2 * 2.5, 1e-9);
    double d = 2 * (4.75 + 2.5) / (4.75 * 2.5);
    cr_assert_float_eq(AT(maps.rudy, 3, 2), d, 1e-9, "inside the box");
    cr_assert_float_eq(AT(maps.rudy, 1, 1), d * 0.25, 1e-9, "a quarter of the corner GCell");
    cr_assert_float_eq(AT(maps.rudy, 6, 3), d * 0.25, 1e-9, "a quarter of the far column");
    cr_assert_float_eq(AT(maps.rudy, 7, 3), 0, 1e-12);
    cr_assert_float_eq(st.rudy_peak, d, 1e-9);
    cr_assert_float_eq(st.rudy_mean, 2 * 7.25 / 100, 1e-9);
    cr_assert_float_eq(st.rudy_top1, d, 1e-9, "the top 1 %% is one GCell");
    /* a flat net (h = 0) is widened to one GCell, kept in the die */
    const double b[2][2] = {{0.2, 9.9}, {5.2, 9.9}};
    net(1, 2, b);
    run();
    cr_assert_float_eq(total(maps.rudy), 2 * 7.25 + (5 + 1), 1e-9);
    cr_assert_float_eq(AT(maps.rudy, 2, 9), (5.0 + 1) / 5, 1e-9);
    cr_assert_float_eq(AT(maps.rudy, 2, 8), 0, 1e-12);
}

Test(route, overflow_exactly_past_capacity)
{
    stack();
    /* V capacity 2: two straight nets on column 5 from row 1 to row 6 fit */
    for (int k = 0; k < 2; k++) net2(5.5, 1.5, 5.5, 6.5);
    run();
    cr_assert_float_eq(AT(maps.v_dem, 5, 3), 2, 0);
    cr_assert_float_eq(st.total_overflow, 0, 0);
    cr_assert_float_eq(st.v_over_pct, 0, 0);
    cr_assert_float_eq(st.top1_ratio, 1.0, 1e-12);
    net2(5.5, 1.5, 5.5, 6.5);
    run();
    cr_assert_float_eq(st.total_overflow, 5, 1e-12, "5 edges one track over");
    cr_assert_float_eq(st.v_overflow, 5, 1e-12);
    cr_assert_float_eq(st.h_overflow, 0, 0);
    cr_assert_float_eq(st.max_overflow, 1, 1e-12);
    cr_assert_float_eq(st.v_over_pct, 100.0 * 5 / 90, 1e-9);
    cr_assert_float_eq(st.h_over_pct, 0, 0);
    /* 180 edges: the top 1 % is 2 edges at 3 / 2, the top 5 % 9 edges of which 5 at 3 / 2 */
    cr_assert_float_eq(st.top1_ratio, 1.5, 1e-12);
    cr_assert_float_eq(st.top5_ratio, 5 * 1.5 / 9, 1e-12);
}

Test(route, grid_rules)
{
    stack();
    nl.ngcells = 0; /* no GCELLGRID: 2 M2 pitches (2 µm) from the die's lower-left */
    cfg.gcell_tracks = 2;
    nl.die = (pl_rect){0, 0, 11, 11.5};
    net2(0.5, 0.5, 10.5, 11);
    run();
    cr_assert_eq(st.gcells_from_def, 0);
    cr_assert_eq(st.cols, 5, "a 1 µm remainder (half a GCell) joins the last column");
    cr_assert_eq(st.rows, 6, "a 1.5 µm remainder gets its own row");
    cr_assert_float_eq(maps.xs[4], 8, 1e-12);
    cr_assert_float_eq(maps.xs[5], 11, 1e-12);
    cr_assert_float_eq(maps.ys[5], 10, 1e-12);
    cr_assert_float_eq(maps.ys[6], 11.5, 1e-12);
    cr_assert_float_eq(AT(maps.h_cap, 0, 0), 2 + 8, 1e-12);
    cr_assert_float_eq(AT(maps.h_cap, 0, 5), 1 + 6, 1e-12, "y 10.5; 10.125 .. 11.375");
    /* a DEF GCELLGRID of several statements, as OpenROAD writes them: the union of their lines */
    nl.die = (pl_rect){0, 0, 10, 10};
    add_gcells('X', 0, 2, 0.5);
    add_gcells('X', 0.5, 5, 2);
    add_gcells('X', 8.5, 2, 1.5);
    add_gcells('Y', 0, 3, 5);
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st.gcells_from_def, 1);
    cr_assert_eq(st.cols, 6);
    cr_assert_eq(st.rows, 2);
    const double want[] = {0, 0.5, 2.5, 4.5, 6.5, 8.5, 10};
    for (int i = 0; i <= 6; i++) cr_assert_float_eq(maps.xs[i], want[i], 1e-12, "line %d", i);
    cr_assert_float_eq(AT(maps.v_cap, 0, 0), 1, 1e-12, "M3 x = 0.25");
    /* the tracks rule on request, the DEF grid present */
    cfg.gcell_source = PL_ROUTE_GCELL_TRACKS;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st.gcells_from_def, 0);
    cr_assert_eq(st.cols, 5);
}

/* A seeded jumble: ports, a macro, nets of 2..9 pins, one large net laid as a comb. */
static void jumble(void)
{
    stack();
    macro(3, 3, 2.5, 3.2);
    pl_rng rng;
    pl_rng_seed(&rng, 11);
    for (int n = 0; n < 60; n++) {
        double xy[40][2];
        int k = n == 0 ? 40 : 2 + (int)pl_rng_below(&rng, 8);
        for (int i = 0; i < k; i++) xy[i][0] = 10 * pl_rng_uniform(&rng), xy[i][1] = 10 * pl_rng_uniform(&rng);
        net(1 + pl_rng_below(&rng, 3), k, xy);
    }
    cfg.trunk_above = 20;
}

Test(route, deterministic)
{
    jumble();
    run();
    pl_route_stats a = st;
    pl_route_maps m2;
    pl_route_maps_init(&m2);
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &m2), PL_OK, "%s", pl_errmsg());
    a.seconds = st.seconds = 0;
    cr_assert_eq(memcmp(&a, &st, sizeof a), 0, "stats differ between two runs");
    size_t n = sizeof(double) * 100;
    cr_assert_eq(memcmp(maps.h_dem, m2.h_dem, n), 0);
    cr_assert_eq(memcmp(maps.v_dem, m2.v_dem, n), 0);
    cr_assert_eq(memcmp(maps.rudy, m2.rudy, n), 0);
    cr_assert_eq(memcmp(maps.h_cap, m2.h_cap, n), 0);
    cr_assert_eq(a.trunk_nets, 1);
    cr_assert_eq(a.nets, 60);
    cr_assert_gt(a.segments, 60);
    cr_assert_gt(a.total_overflow + a.top1_ratio, 0);
    /* the demand is the routes' edges: the wirelength counts each at 1 µm */
    cr_assert_float_eq(a.wirelength, total(maps.h_dem) + total(maps.v_dem), 1e-9);
    pl_route_maps_free(&m2);
    pl_route_maps_free(&m2); /* idempotent */
    cr_assert_null(m2.rudy);
    /* without maps: the same figures */
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, NULL), PL_OK, "%s", pl_errmsg());
    st.seconds = 0;
    cr_assert_eq(memcmp(&a, &st, sizeof a), 0);
}

Test(route, bad_input_named)
{
    stack();
    net2(1.5, 1.5, 4.5, 3.5);
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
    nl.has_die = 0;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "no die area") != NULL, "%s", pl_errmsg());
    nl.has_die = 1;
    /* only M1 and M2: no vertical layer above the lowest */
    cfg.max_layer = 2;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "no vertical routing layer") != NULL, "%s", pl_errmsg());
    cfg.max_layer = 0;
    cfg.reserve = 1;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "reserve 1") != NULL, "%s", pl_errmsg());
    cfg.reserve = 0;
    for (int64_t i = 0; i < nl.nlayers; i++) nl.layers[i].type = "CUT";
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "no routing layers") != NULL, "%s", pl_errmsg());
    cr_assert_null(maps.rudy, "a failed estimate leaves the maps alone");
    nl.nlayers = 0;
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "no routing layers") != NULL, "%s", pl_errmsg());
}

Test(route, not_finalized)
{
    stack();
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "not finalized") != NULL, "%s", pl_errmsg());
}

Test(route, shared_asap7_ariane133_sa, .timeout = 120)
{
    PL_NEED_SHARED("designs/asap7_ariane133/refs/SA/ariane_fp_placed_macros.def");
    const pl_shared_design *sd = &PL_SHARED_DESIGNS[2];
    cr_assert_str_eq(sd->name, "asap7_ariane133");
    const char *lefs[6];
    int nlef = 0;
    for (; sd->lefs[nlef]; nlef++) lefs[nlef] = pl_test_shared_path(sd->lefs[nlef]);
    cr_assert_eq(pl_design_read(&nl, pl_test_shared_path(sd->def), lefs, nlef), PL_OK, "%s", pl_errmsg());
    pl_def_placement_stats ps;
    cr_assert_eq(pl_def_placement_apply(&nl, pl_test_shared_path("designs/asap7_ariane133/refs/SA/"
                                                                 "ariane_fp_placed_macros.def"),
                                        &ps),
                 PL_OK, "%s", pl_errmsg());
    cr_assert_eq(ps.applied, 133);
    pl_rect core;
    cr_assert(pl_netlist_rows_bbox(&nl, &core));
    pl_rng rng;
    pl_rng_seed(&rng, 5);
    for (int64_t v = 0; v < nl.nnodes; v++) {
        pl_node *n = &nl.nodes[v];
        if (n->kind != PL_NODE_STDCELL) continue;
        n->x = core.x0 + pl_rng_uniform(&rng) * (core.x1 - core.x0 - pl_node_width(n));
        n->y = core.y0 + pl_rng_uniform(&rng) * (core.y1 - core.y0 - pl_node_height(n));
        n->state = PL_PLACE_PLACED;
    }
    cr_assert_eq(pl_route_estimate(&nl, &cfg, &st, &maps), PL_OK, "%s", pl_errmsg());
    cr_log_info("asap7_ariane133 SA + random cells: %dx%d GCells (%s), %d layers, %lld nets, %lld segments, "
                "overflow %.0f (max %.1f), H %.1f %% V %.1f %%, top1 %.2f top5 %.2f, RUDY peak %.2f top1 %.2f "
                "mean %.3f, wl %.0f µm, %.2f s",
                st.cols, st.rows, st.gcells_from_def ? "DEF" : "tracks", st.layers, (long long)st.nets,
                (long long)st.segments, st.total_overflow, st.max_overflow, st.h_over_pct, st.v_over_pct,
                st.top1_ratio, st.top5_ratio, st.rudy_peak, st.rudy_top1, st.rudy_mean, st.wirelength, st.seconds);
    cr_assert_eq(st.gcells_from_def, 1, "the DEF has a GCELLGRID");
    cr_assert(st.cols > 10 && st.rows > 10);
    cr_assert_eq(st.layers, 9, "M2..M9 and Pad");
    cr_assert_gt(st.nets, 100000);
    cr_assert_gt(st.segments, st.routed_nets);
    cr_assert_eq(st.unplaced, 0);
    const double f[] = {st.total_overflow, st.max_overflow, st.h_over_pct, st.v_over_pct, st.top1_ratio,
                        st.top5_ratio, st.rudy_peak, st.rudy_top1, st.rudy_mean, st.wirelength};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) cr_assert(isfinite(f[i]) && f[i] >= 0, "figure %zu: %g", i, f[i]);
    cr_assert(st.top1_ratio >= st.top5_ratio && st.rudy_peak >= st.rudy_top1 && st.rudy_top1 >= st.rudy_mean);
    cr_assert(st.h_over_pct <= 100 && st.v_over_pct <= 100);
    cr_assert_gt(st.wirelength, 0);
    /* the macros block M2..M4: a GCell inside a macro has less capacity than one in the open */
    double hmin = INFINITY, hmax = 0;
    for (int g = 0; g < maps.cols * maps.rows; g++) hmin = fmin(hmin, maps.h_cap[g]), hmax = fmax(hmax, maps.h_cap[g]);
    cr_assert_lt(hmin, hmax);
}
