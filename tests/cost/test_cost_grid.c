/* test_cost_grid.c: hand-computed proxy-cost cases on tiny netlists: every routing pattern
 * (2-pin, the 3-pin L / corner / shared-row / T rules, star), merged cells, weights, smoothing at
 * the edges, macro blockage with partial overlap, top-k with few cells, wirelength normalisation.
 * The grids are 1 µm cells with 1 route per µm, so a congestion value equals its track count. */
#include <math.h>

#include "cost/proxy.h"
#include "tests/testutil.h"

static pl_netlist nl;
static pl_cost cost;
static void setup(void)
{
    pl_netlist_init(&nl);
    memset(&cost, 0, sizeof cost);
}
static void teardown(void)
{
    pl_cost_free(&cost);
    pl_netlist_free(&nl);
}

TestSuite(cost_grid, .init = setup, .fini = teardown);

enum { G = 10 };

static int32_t add_port(const char *name, double x, double y)
{
    int32_t n;
    cr_assert_eq(pl_netlist_add_node(&nl, name, strlen(name), PL_NODE_PORT, &n), PL_OK);
    nl.nodes[n].x = x;
    nl.nodes[n].y = y;
    return n;
}

static int32_t add_macro(const char *name, pl_node_kind kind, double x, double y, double w, double h)
{
    int32_t n;
    cr_assert_eq(pl_netlist_add_node(&nl, name, strlen(name), kind, &n), PL_OK);
    nl.nodes[n].x = x;
    nl.nodes[n].y = y;
    nl.nodes[n].w = w;
    nl.nodes[n].h = h;
    return n;
}

/* A net driven by the first of k nodes (pins at their lower-left + (dx, dy) = 0 for ports). */
static int32_t add_net(const char *name, double weight, int k, const int32_t *nodes)
{
    int32_t net, pin;
    cr_assert_eq(pl_netlist_add_net(&nl, name, strlen(name), &net), PL_OK);
    nl.nets[net].weight = weight;
    for (int i = 0; i < k; i++) {
        cr_assert_eq(pl_netlist_add_pin(&nl, nodes[i], net, &pin), PL_OK);
        nl.pins[pin].dx = nl.nodes[nodes[i]].w / 2;
        nl.pins[pin].dy = nl.nodes[nodes[i]].h / 2;
        if (i == 0) nl.nets[net].driver = pin;
    }
    return net;
}

/* Ports at the centres of the given (col, row) cells, on one net. */
static void net_of_cells(const char *name, double weight, int k, const int (*cells)[2])
{
    int32_t nodes[16];
    for (int i = 0; i < k; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "%s_%d", name, i);
        nodes[i] = add_port(nm, cells[i][0] + 0.5, cells[i][1] + 0.5);
    }
    add_net(name, weight, k, nodes);
}

static void build(int cols, int rows, int smooth, double macro_alloc)
{
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    cfg.canvas_w = cols;
    cfg.canvas_h = rows;
    cfg.cols = cols;
    cfg.rows = rows;
    cfg.h_rpm = cfg.v_rpm = 1.0;
    cfg.h_macro_alloc = cfg.v_macro_alloc = macro_alloc;
    cfg.smooth_range = smooth;
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
}

/* Expected demand: runs given as {col, row} lists; checks every cell of both grids. */
typedef struct cell {
    int c, r;
    double v;
} cell;

static void expect(const double *got, const cell *want, int n, const char *what)
{
    double e[G * G] = {0};
    for (int i = 0; i < n; i++) e[want[i].r * G + want[i].c] += want[i].v;
    for (int i = 0; i < G * G; i++)
        cr_assert_float_eq(got[i], e[i], 1e-12, "%s demand at col %d row %d: got %g, want %g", what, i % G, i / G,
                           got[i], e[i]);
}

Test(cost_grid, two_pin_h_on_source_row_v_on_sink_column)
{
    static const int cells[][2] = {{1, 1}, {4, 3}};
    net_of_cells("n", 1, 2, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{1, 1, 1}, {2, 1, 1}, {3, 1, 1}};
    static const cell v[] = {{4, 1, 1}, {4, 2, 1}};
    expect(cost.hdem, h, 3, "H");
    expect(cost.vdem, v, 2, "V");
}

Test(cost_grid, two_pin_driver_on_the_right)
{
    static const int cells[][2] = {{6, 5}, {2, 8}};
    net_of_cells("n", 1, 2, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{2, 5, 1}, {3, 5, 1}, {4, 5, 1}, {5, 5, 1}};
    static const cell v[] = {{2, 5, 1}, {2, 6, 1}, {2, 7, 1}};
    expect(cost.hdem, h, 4, "H");
    expect(cost.vdem, v, 3, "V");
}

Test(cost_grid, three_pin_l_staircase)
{
    /* by column: (1,1) (3,4) (6,7): the middle row lies strictly between */
    static const int cells[][2] = {{3, 4}, {6, 7}, {1, 1}};
    net_of_cells("n", 1, 3, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{1, 1, 1}, {2, 1, 1}, {3, 4, 1}, {4, 4, 1}, {5, 4, 1}};
    static const cell v[] = {{3, 1, 1}, {3, 2, 1}, {3, 3, 1}, {6, 4, 1}, {6, 5, 1}, {6, 6, 1}};
    expect(cost.hdem, h, 5, "H");
    expect(cost.vdem, v, 6, "V");
}

Test(cost_grid, three_pin_two_share_the_right_column)
{
    /* (1,1) then (5,3) (5,6): c2 == c3, c1 < c2, r1 below both */
    static const int cells[][2] = {{5, 6}, {1, 1}, {5, 3}};
    net_of_cells("n", 1, 3, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{1, 1, 1}, {2, 1, 1}, {3, 1, 1}, {4, 1, 1}};
    static const cell v[] = {{5, 1, 1}, {5, 2, 1}, {5, 3, 1}, {5, 4, 1}, {5, 5, 1}};
    expect(cost.hdem, h, 4, "H");
    expect(cost.vdem, v, 5, "V");
}

Test(cost_grid, three_pin_two_share_a_row)
{
    /* by column (1,5) (3,2) (6,2): r2 == r3 */
    static const int cells[][2] = {{1, 5}, {3, 2}, {6, 2}};
    net_of_cells("n", 1, 3, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{1, 5, 1}, {2, 5, 1}, {3, 2, 1}, {4, 2, 1}, {5, 2, 1}};
    static const cell v[] = {{3, 2, 1}, {3, 3, 1}, {3, 4, 1}};
    expect(cost.hdem, h, 5, "H");
    expect(cost.vdem, v, 3, "V");
}

Test(cost_grid, three_pin_t)
{
    /* by column (2,1) (5,6) (7,3): not monotone, no shared column or row -> T on the middle row 3 */
    static const int cells[][2] = {{5, 6}, {2, 1}, {7, 3}};
    net_of_cells("n", 1, 3, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{2, 3, 1}, {3, 3, 1}, {4, 3, 1}, {5, 3, 1}, {6, 3, 1}};
    static const cell v[] = {{2, 1, 1}, {2, 2, 1}, {5, 3, 1}, {5, 4, 1}, {5, 5, 1}};
    expect(cost.hdem, h, 5, "H");
    expect(cost.vdem, v, 5, "V");
}

Test(cost_grid, star_for_four_cells_and_weight)
{
    /* source (0,0); sinks (3,0) (0,3) (2,2); driver weight 3 -> 3 tracks per segment */
    static const int cells[][2] = {{0, 0}, {3, 0}, {0, 3}, {2, 2}};
    net_of_cells("n", 3, 4, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{0, 0, 3}, {1, 0, 3}, {2, 0, 3}, {0, 0, 3}, {1, 0, 3}};
    static const cell v[] = {{0, 0, 3}, {0, 1, 3}, {0, 2, 3}, {2, 0, 3}, {2, 1, 3}};
    expect(cost.hdem, h, 5, "H");
    expect(cost.vdem, v, 5, "V");
}

Test(cost_grid, duplicate_cells_merge_and_light_weights_route_as_one)
{
    /* four pins in two distinct cells: a 2-pin route; weight 0.5 routes as 1 but halves the HPWL */
    static const int cells[][2] = {{1, 1}, {1, 1}, {3, 1}, {3, 1}};
    net_of_cells("n", 0.5, 4, cells);
    build(G, G, 0, 0);
    static const cell h[] = {{1, 1, 1}, {2, 1, 1}};
    expect(cost.hdem, h, 2, "H");
    expect(cost.vdem, NULL, 0, "V");
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    cr_assert_float_eq(t.wirelength, 0.5 * 2.0, 1e-12);
    /* WL cost = WL / ((W + H) · Σ weights) = 1 / (20 · 0.5) */
    cr_assert_float_eq(t.wirelength_cost, 0.1, 1e-12);
}

Test(cost_grid, single_cell_net_has_no_demand)
{
    static const int cells[][2] = {{4, 4}, {4, 4}, {4, 4}};
    net_of_cells("n", 1, 3, cells);
    build(G, G, 0, 0);
    expect(cost.hdem, NULL, 0, "H");
    expect(cost.vdem, NULL, 0, "V");
}

Test(cost_grid, smoothing_clips_at_the_edges)
{
    /* V demand 1 in (0,4) and (5,4) (2-pin nets along a column), H demand 1 in (7,9)... */
    static const int a[][2] = {{0, 4}, {0, 5}}; /* V at col 0 row 4 */
    static const int b[][2] = {{5, 4}, {5, 5}}; /* V at col 5 row 4 */
    static const int c[][2] = {{7, 9}, {8, 9}}; /* H at col 7 row 9 (top row) */
    net_of_cells("a", 1, 2, a);
    net_of_cells("b", 1, 2, b);
    net_of_cells("c", 1, 2, c);
    build(G, G, 1, 0);
    /* raw demand is unsmoothed */
    cr_assert_float_eq(cost.vdem[4 * G + 0], 1, 0);
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    const double *V = cost.cvals, *H = cost.cvals + G * G;
    /* V spreads along its row: col 0 has a window of 2 cells -> 1/2 to cols 0, 1 */
    cr_assert_float_eq(V[4 * G + 0], 0.5, 1e-12);
    cr_assert_float_eq(V[4 * G + 1], 0.5, 1e-12);
    /* col 5: a window of 3 -> 1/3 to cols 4, 5, 6 */
    cr_assert_float_eq(V[4 * G + 4], 1.0 / 3, 1e-12);
    cr_assert_float_eq(V[4 * G + 5], 1.0 / 3, 1e-12);
    cr_assert_float_eq(V[4 * G + 6], 1.0 / 3, 1e-12);
    cr_assert_float_eq(V[4 * G + 7], 0, 1e-12);
    cr_assert_float_eq(V[5 * G + 5], 0, 1e-12);
    /* H spreads along its column: row 9 is the top edge -> 1/2 to rows 8, 9 */
    cr_assert_float_eq(H[9 * G + 7], 0.5, 1e-12);
    cr_assert_float_eq(H[8 * G + 7], 0.5, 1e-12);
    cr_assert_float_eq(H[7 * G + 7], 0, 1e-12);
    /* 200 values, top 5 % = 10: 0.5 + 0.5 + 1/3·3 + 0.5 + 0.5 + five zeros -> 3 / 10 */
    cr_assert_float_eq(t.congestion_cost, 3.0 / 10, 1e-12);
}

Test(cost_grid, macro_blockage_aligned)
{
    add_macro("m", PL_NODE_MACRO, 1, 1, 2, 2); /* covers cells (1..2, 1..2) exactly */
    build(G, G, 0, 1.0);
    for (int r = 0; r < G; r++)
        for (int c = 0; c < G; c++) {
            double want = (r >= 1 && r <= 2 && c >= 1 && c <= 2) ? 1.0 : 0.0;
            cr_assert_float_eq(cost.vmac[r * G + c], want, 1e-12, "V col %d row %d", c, r);
            cr_assert_float_eq(cost.hmac[r * G + c], want, 1e-12, "H col %d row %d", c, r);
        }
}

Test(cost_grid, macro_blockage_partial_overlap)
{
    /* x 1..3.5, y 1..3.5: the top row and the right column are half covered, so the V share of
     * row 3 and the H share of column 3 are removed */
    add_macro("m", PL_NODE_MACRO, 1, 1, 2.5, 2.5);
    add_macro("soft", PL_NODE_SOFT, 6, 6, 2.5, 2.5); /* soft macros never block routing */
    build(G, G, 0, 1.0);
    for (int r = 0; r < G; r++)
        for (int c = 0; c < G; c++) {
            int in = r >= 1 && r <= 3 && c >= 1 && c <= 3;
            double dx = c == 3 ? 0.5 : 1.0, dy = r == 3 ? 0.5 : 1.0;
            double v = in && r != 3 ? dx : 0.0, h = in && c != 3 ? dy : 0.0;
            cr_assert_float_eq(cost.vmac[r * G + c], v, 1e-12, "V col %d row %d", c, r);
            cr_assert_float_eq(cost.hmac[r * G + c], h, 1e-12, "H col %d row %d", c, r);
        }
}

Test(cost_grid, macro_blockage_single_row_keeps_partial_cells)
{
    /* one row tall (0.5 µm): the partial rule needs more than one row, so V stays */
    add_macro("m", PL_NODE_MACRO, 1.25, 4.25, 2.0, 0.5);
    build(G, G, 0, 2.0);
    cr_assert_float_eq(cost.vmac[4 * G + 1], 0.75 * 2, 1e-12);
    cr_assert_float_eq(cost.vmac[4 * G + 2], 1.0 * 2, 1e-12);
    cr_assert_float_eq(cost.vmac[4 * G + 3], 0.25 * 2, 1e-12);
    /* it spans three columns, partly covered at both ends -> H of the right column removed */
    cr_assert_float_eq(cost.hmac[4 * G + 1], 0.5 * 2, 1e-12);
    cr_assert_float_eq(cost.hmac[4 * G + 2], 0.5 * 2, 1e-12);
    cr_assert_float_eq(cost.hmac[4 * G + 3], 0, 1e-12);
}

Test(cost_grid, density_top_ten_percent)
{
    /* 100 cells, k = 10; a 5 x 1 macro fills 5 cells: mean of the top 10 = 0.5, cost 0.25 */
    add_macro("m", PL_NODE_MACRO, 2, 2, 5, 1);
    /* an overlapping soft macro doubles one cell (density 2) */
    add_macro("s", PL_NODE_SOFT, 2, 2, 1, 1);
    build(G, G, 0, 0);
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    cr_assert_float_eq(t.density_cost, 0.5 * (6.0 / 10), 1e-12);
}

Test(cost_grid, density_fewer_than_ten_cells)
{
    /* 3 x 3 grid: mean over occupied cells; a 1.5 x 1 macro -> cells 1.0 and 0.5 -> 0.75, x 0.5 */
    add_macro("m", PL_NODE_MACRO, 0, 0, 1.5, 1);
    build(3, 3, 0, 0);
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    cr_assert_float_eq(t.density_cost, 0.5 * 0.75, 1e-12);
}

Test(cost_grid, congestion_fewer_than_twenty_values_takes_the_max)
{
    /* 3 x 3: 18 values, floor(0.9) = 0 -> the maximum */
    int32_t a = add_port("a", 0.5, 0.5), b = add_port("b", 2.5, 0.5), c = add_port("c", 2.5, 0.5);
    int32_t n1[] = {a, b}, n2[] = {c, a};
    add_net("n1", 1, 2, n1);
    add_net("n2", 2, 2, n2); /* weight 2 from the right: H in cells (0,0), (1,0) again */
    build(3, 3, 0, 0);
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    cr_assert_float_eq(t.congestion_cost, 3.0, 1e-12);
}

Test(cost_grid, empty_design)
{
    build(G, G, 0, 0);
    pl_cost_terms t;
    pl_cost_terms_get(&cost, &t);
    cr_assert_float_eq(t.wirelength_cost, 0, 0);
    cr_assert_float_eq(t.density_cost, 0, 0);
    cr_assert_float_eq(t.congestion_cost, 0, 0);
}

Test(cost_grid, bad_config_is_rejected)
{
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_EINVAL); /* no canvas */
    cfg.canvas_w = cfg.canvas_h = 10;
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_EINVAL); /* no grid */
    cfg.cols = cfg.rows = 2;
    cfg.h_rpm = 0;
    cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_EINVAL);
}

Test(cost_grid, grid2023_cell_size)
{
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    cfg.canvas_w = 356.592;
    cfg.canvas_h = 356.640;
    pl_cost_config_grid2023(&cfg);
    /* cell = 2000 / (70.33 + 74.51) = 13.81 µm -> 25 x 25 (reference §1.4.6) */
    cr_assert_eq(cfg.cong_cols, 25);
    cr_assert_eq(cfg.cong_rows, 25);
}

Test(cost_grid, canvas_origin_shifts_nothing)
{
    /* the same design shifted by (100, 50) on a canvas whose origin is (100, 50) costs the same */
    pl_cost_terms t[2];
    for (int k = 0; k < 2; k++) {
        pl_netlist_free(&nl);
        pl_cost_free(&cost);
        double ox = k ? 100 : 0, oy = k ? 50 : 0;
        int32_t a = add_port("a", ox + 0.5, oy + 0.5), b = add_port("b", ox + 7.5, oy + 3.5);
        int32_t m = add_macro("m", PL_NODE_MACRO, ox + 2.25, oy + 4.5, 3, 2);
        int32_t n1[] = {a, b, m};
        add_net("n", 1, 3, n1);
        cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
        pl_cost_config cfg;
        pl_cost_config_default(&cfg);
        cfg.canvas_w = cfg.canvas_h = G;
        cfg.origin_x = ox;
        cfg.origin_y = oy;
        cfg.cols = cfg.rows = G;
        cfg.h_rpm = cfg.v_rpm = 1;
        cfg.h_macro_alloc = cfg.v_macro_alloc = 0.5;
        cr_assert_eq(pl_cost_init(&cost, &nl, &cfg), PL_OK, "%s", pl_errmsg());
        cr_assert_eq(pl_cost_move(&cost, m, ox + 5.5, oy + 6.25), PL_OK);
        pl_cost_terms_get(&cost, &t[k]);
        pl_cost_write_back(&cost, &nl);
        cr_assert_float_eq(nl.nodes[m].x, ox + 4.0, 1e-12);
    }
    cr_assert_float_eq(t[0].wirelength, t[1].wirelength, 1e-12);
    cr_assert_float_eq(t[0].density_cost, t[1].density_cost, 1e-12);
    cr_assert_float_eq(t[0].congestion_cost, t[1].congestion_cost, 1e-12);
    cr_assert(t[0].congestion_cost > 0 && t[0].density_cost > 0);
}
