/* test_netlist.c: the netlist model: orientation maps, builders, CSR, name maps, stats. */
#include "core/netlist.h"
#include "core/rng.h"
#include "core/strmap.h"
#include "tests/testutil.h"

Test(netlist, orientation_maps_the_box_onto_itself)
{
    const double w = 3, h = 2;
    for (int o = 0; o < 8; o++) {
        double bw = pl_orient_swaps((pl_orient)o) ? h : w, bh = pl_orient_swaps((pl_orient)o) ? w : h;
        double c[4][2] = {{0, 0}, {w, 0}, {0, h}, {w, h}};
        for (int k = 0; k < 4; k++) {
            double x, y;
            pl_orient_apply((pl_orient)o, w, h, c[k][0], c[k][1], &x, &y);
            cr_assert((x == 0 || x == bw) && (y == 0 || y == bh), "%s corner %d -> (%g,%g)",
                      pl_orient_name((pl_orient)o), k, x, y);
        }
        /* mirrored orientations flip handedness: (1,0) x (0,1) changes sign */
        double ox, oy, ax, ay, bx, by;
        pl_orient_apply((pl_orient)o, w, h, 0, 0, &ox, &oy);
        pl_orient_apply((pl_orient)o, w, h, 1, 0, &ax, &ay);
        pl_orient_apply((pl_orient)o, w, h, 0, 1, &bx, &by);
        double cross = (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
        cr_assert_float_eq(cross, o >= PL_ORIENT_FN ? -1.0 : 1.0, 1e-12, "%s", pl_orient_name((pl_orient)o));
    }
}

Test(netlist, orientation_names_round_trip)
{
    for (int o = 0; o < 8; o++) {
        const char *s = pl_orient_name((pl_orient)o);
        cr_assert_eq(pl_orient_parse(s, strlen(s)), o);
    }
    cr_assert_eq(pl_orient_parse("R90", 3), PL_ORIENT_W);
    cr_assert_eq(pl_orient_parse("MX", 2), PL_ORIENT_FS);
    cr_assert_eq(pl_orient_parse("Q", 1), -1);
}

Test(netlist, builders_csr_and_driver_first)
{
    pl_netlist nl;
    pl_netlist_init(&nl);
    int32_t a, b, c, p, n0, n1, dup;
    cr_assert_eq(pl_netlist_add_node(&nl, "a", 1, PL_NODE_STDCELL, &a), PL_OK);
    cr_assert_eq(pl_netlist_add_node(&nl, "b", 1, PL_NODE_MACRO, &b), PL_OK);
    cr_assert_eq(pl_netlist_add_node(&nl, "in", 2, PL_NODE_PORT, &c), PL_OK);
    cr_assert_eq(pl_netlist_add_node(&nl, "a", 1, PL_NODE_STDCELL, &dup), PL_EINVAL);
    cr_assert_eq(dup, a);
    cr_assert_eq(pl_netlist_add_net(&nl, "n0", 2, &n0), PL_OK);
    cr_assert_eq(pl_netlist_add_net(&nl, "n1", 2, &n1), PL_OK);
    /* n0: a.in, b.out (driver), port; n1: port (INPUT, the driver), a */
    cr_assert_eq(pl_netlist_add_pin(&nl, a, n0, &p), PL_OK);
    nl.pins[p].dir = PL_DIR_INPUT;
    cr_assert_eq(pl_netlist_add_pin(&nl, b, n0, &p), PL_OK);
    nl.pins[p].dir = PL_DIR_OUTPUT;
    int32_t bout = p;
    cr_assert_eq(pl_netlist_add_pin(&nl, c, n1, &p), PL_OK);
    nl.pins[p].dir = PL_DIR_INPUT;
    int32_t port = p;
    cr_assert_eq(pl_netlist_add_pin(&nl, a, n1, &p), PL_OK);
    cr_assert_eq(pl_netlist_add_pin(&nl, c, -1, &p), PL_OK); /* unconnected */
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
    cr_assert_eq(nl.net_pin_off[1] - nl.net_pin_off[0], 2);
    cr_assert_eq(nl.net_pins[nl.net_pin_off[0]], bout);
    cr_assert_eq(nl.nets[n0].driver, bout);
    cr_assert_eq(nl.net_pins[nl.net_pin_off[1]], port);
    cr_assert_eq(nl.node_pin_off[a + 1] - nl.node_pin_off[a], 2);
    cr_assert_eq(nl.node_pin_off[c + 1] - nl.node_pin_off[c], 2);
    cr_assert_eq(pl_netlist_find_node(&nl, "in"), c);
    cr_assert_eq(pl_netlist_find_net(&nl, "n1"), n1);
    cr_assert_eq(pl_netlist_find_net(&nl, "zz"), -1);
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    cr_assert_eq(st.components, 2);
    cr_assert_eq(st.io_pins, 1);
    cr_assert_eq(st.net_pins, 4);
    pl_netlist_free(&nl);
    pl_netlist_free(&nl); /* idempotent */
}

Test(netlist, strmap_many_keys)
{
    pl_strmap m;
    pl_strmap_init(&m);
    pl_strpool pool;
    pl_strpool_init(&pool);
    char buf[32];
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(buf, sizeof buf, "key%d", i);
        const char *k = pl_strpool_add(&pool, buf, (size_t)n);
        cr_assert_eq(pl_strmap_put(&m, k, (size_t)n, i, NULL), PL_OK);
    }
    for (int i = 0; i < 20000; i += 7) {
        int n = snprintf(buf, sizeof buf, "key%d", i);
        cr_assert_eq(pl_strmap_get(&m, buf, (size_t)n), i);
    }
    cr_assert_eq(pl_strmap_gets(&m, "key"), -1);
    cr_assert_eq(pl_strmap_gets(&m, "key20000"), -1);
    pl_strmap_free(&m);
    pl_strpool_free(&pool);
}

Test(netlist, rng_streams_are_reproducible)
{
    pl_rng a, b, c;
    pl_rng_seed(&a, 42);
    pl_rng_seed(&b, 42);
    pl_rng_derive(&c, 42, 1, 0);
    int same_c = 1;
    for (int i = 0; i < 100; i++) {
        uint64_t x = pl_rng_u64(&a);
        cr_assert_eq(x, pl_rng_u64(&b));
        same_c &= x == pl_rng_u64(&c);
    }
    cr_assert_not(same_c);
    for (int i = 0; i < 1000; i++) {
        double u = pl_rng_uniform(&a);
        cr_assert(u >= 0 && u < 1);
        cr_assert_lt(pl_rng_below(&a, 7), 7);
    }
}
