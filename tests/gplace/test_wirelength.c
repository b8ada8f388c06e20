/* test_wirelength.c: WA wirelength on a hand-built netlist (pin offsets, a turned cell, a fixed macro
 * and port, net weights, a one-pin net and a net of fixed pins only): gradient against central finite
 * differences, WA tending to HPWL as γ shrinks, the same values for any thread count, and the exact
 * HPWL of pl_hpwl against a sum written out by hand. */
#include <math.h>

#include "cost/hpwl.h"
#include "gplace/gplace.h"
#include "gplace/wirelength.h"
#include "tests/testutil.h"

/* Nodes c0..c3 (movable cells; c1 turned FS), m0 a fixed macro, p0 a port. Nets:
 * n0 {c0, c1}, n1 {c1, c2, p0}, n2 {c0, c2, c3, m0, c1} weight 2.5, n3 {c3}, n4 {m0, p0}. */
static void tiny(pl_netlist *nl, int32_t *slot)
{
    pl_netlist_init(nl);
    static const char *names[] = {"c0", "c1", "c2", "c3", "m0", "p0"};
    static const pl_node_kind kinds[] = {PL_NODE_STDCELL, PL_NODE_STDCELL, PL_NODE_STDCELL, PL_NODE_STDCELL,
                                         PL_NODE_MACRO, PL_NODE_PORT};
    static const double geo[][4] = {{1, 2, 3, 4}, {2, 2, 8, 1}, {1, 1, 5, 9}, {3, 1, 12, 6}, {10, 8, 20, 5}, {0, 0, 0, 15}};
    for (int i = 0; i < 6; i++) {
        int32_t k;
        cr_assert_eq(pl_netlist_add_node(nl, names[i], strlen(names[i]), kinds[i], &k), PL_OK);
        pl_node *n = &nl->nodes[k];
        n->w = geo[i][0], n->h = geo[i][1], n->x = geo[i][2], n->y = geo[i][3];
        n->state = i < 4 ? PL_PLACE_UNPLACED : PL_PLACE_FIXED;
        slot[i] = i < 4 ? i : -1;
    }
    nl->nodes[1].orient = PL_ORIENT_FS;
    static const int members[5][6] = {{0, 1, -1}, {1, 2, 5, -1}, {0, 2, 3, 4, 1, -1}, {3, -1}, {4, 5, -1}};
    for (int e = 0; e < 5; e++) {
        char nm[16];
        int32_t net;
        snprintf(nm, sizeof nm, "n%d", e);
        cr_assert_eq(pl_netlist_add_net(nl, nm, strlen(nm), &net), PL_OK);
        if (e == 2) nl->nets[net].weight = 2.5;
        for (int k = 0; members[e][k] >= 0; k++) {
            int32_t p, nd = members[e][k];
            cr_assert_eq(pl_netlist_add_pin(nl, nd, net, &p), PL_OK);
            nl->pins[p].dx = 0.25 * nl->nodes[nd].w * (1 + (k + e) % 3); /* inside the node */
            nl->pins[p].dy = 0.2 * nl->nodes[nd].h * (1 + (k * 2 + e) % 4);
        }
    }
    cr_assert_eq(pl_netlist_finalize(nl), PL_OK);
}

static void centres(const pl_netlist *nl, double *x, double *y)
{
    for (int i = 0; i < 4; i++) pl_node_center(&nl->nodes[i], &x[i], &y[i]);
}

Test(gplace, wl_gradient_matches_finite_differences)
{
    pl_netlist nl;
    int32_t slot[6];
    tiny(&nl, slot);
    pl_gp_wl w;
    cr_assert_eq(pl_gp_wl_init(&w, &nl, slot, 4, 0), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(w.nnets, 3, "n3 (one pin) and n4 (fixed pins only) are left out");
    cr_assert_eq(w.npins, 2 + 3 + 5);
    cr_assert_float_eq(w.obj_deg[1], 1 + 1 + 2.5, 1e-12);
    double x[4], y[4], gx[4] = {0}, gy[4] = {0}, gamma = 0.8, h = 1e-5;
    centres(&nl, x, y);
    x[2] += 0.3, y[0] -= 1.7; /* away from the netlist's own positions */
    pl_gp_wl_forward(&w, x, y, gamma, 1, NULL);
    pl_gp_wl_backward(&w, gx, gy, 1);
    for (int o = 0; o < 4; o++)
        for (int d = 0; d < 2; d++) {
            double *c = d ? y : x, keep = c[o];
            c[o] = keep + h;
            double fp = pl_gp_wl_forward(&w, x, y, gamma, 1, NULL);
            c[o] = keep - h;
            double fm = pl_gp_wl_forward(&w, x, y, gamma, 1, NULL);
            c[o] = keep;
            double fd = (fp - fm) / (2 * h), g = d ? gy[o] : gx[o];
            /* truncation ~h²·f''' with f''' ~ 1/γ², round-off ~1e-16·|f|/h: both far below 1e-7 */
            cr_assert_float_eq(g, fd, 1e-7 + 1e-7 * fabs(fd), "object %d axis %d: %.10g vs %.10g", o, d, g, fd);
        }
    /* backward adds */
    pl_gp_wl_forward(&w, x, y, gamma, 1, NULL);
    double gx2[4] = {1, 1, 1, 1}, gy2[4] = {0};
    pl_gp_wl_backward(&w, gx2, gy2, 1);
    for (int o = 0; o < 4; o++) cr_assert_float_eq(gx2[o], 1 + gx[o], 1e-12);
    pl_gp_wl_free(&w);
    pl_gp_wl_free(&w);
    pl_netlist_free(&nl);
}

Test(gplace, wl_tends_to_hpwl_same_for_any_threads)
{
    pl_netlist nl;
    int32_t slot[6];
    tiny(&nl, slot);
    pl_gp_wl w;
    cr_assert_eq(pl_gp_wl_init(&w, &nl, slot, 4, 0), PL_OK);
    double x[4], y[4], hp, hp3;
    centres(&nl, x, y);
    double all = pl_hpwl(&nl);
    /* the kept nets' HPWL is the whole HPWL less n4 {m0, p0}: exact arithmetic on the pin positions */
    double mx, my, px, py;
    pl_pin_position(&nl, nl.net_pins[nl.net_pin_off[4]], &mx, &my);
    pl_pin_position(&nl, nl.net_pins[nl.net_pin_off[4] + 1], &px, &py);
    double wa = pl_gp_wl_forward(&w, x, y, 1e-3, 1, &hp);
    cr_assert_float_eq(hp, all - (fabs(mx - px) + fabs(my - py)), 1e-9 * all);
    cr_assert(wa <= hp + 1e-9 && wa > hp - 0.05, "WA %.9g HPWL %.9g: WA <= HPWL, close at small gamma", wa, hp);
    double wa_big = pl_gp_wl_forward(&w, x, y, 5, 1, NULL);
    cr_assert_lt(wa_big, wa, "a larger gamma smooths more");
    double g1x[4] = {0}, g1y[4] = {0}, g3x[4] = {0}, g3y[4] = {0};
    double a = pl_gp_wl_forward(&w, x, y, 0.5, 1, &hp);
    pl_gp_wl_backward(&w, g1x, g1y, 1);
    double b = pl_gp_wl_forward(&w, x, y, 0.5, 3, &hp3);
    pl_gp_wl_backward(&w, g3x, g3y, 3);
    cr_assert(a == b && hp == hp3 && !memcmp(g1x, g3x, sizeof g1x) && !memcmp(g1y, g3y, sizeof g1y));
    /* a degree limit of 3 drops n2 (5 pins) */
    pl_gp_wl w3;
    cr_assert_eq(pl_gp_wl_init(&w3, &nl, slot, 4, 3), PL_OK);
    cr_assert_eq(w3.nnets, 2);
    pl_gp_wl_free(&w3);
    pl_gp_wl_free(&w);
    pl_netlist_free(&nl);
}

Test(gplace, hpwl_written_out_by_hand)
{
    /* two cells (one turned W), a port; a 3-pin net of weight 2, a 1-pin net, a 2-pin net */
    pl_netlist nl;
    pl_netlist_init(&nl);
    int32_t a, b, p, n0, n1, n2, q;
    cr_assert_eq(pl_netlist_add_node(&nl, "a", 1, PL_NODE_STDCELL, &a), PL_OK);
    cr_assert_eq(pl_netlist_add_node(&nl, "b", 1, PL_NODE_STDCELL, &b), PL_OK);
    cr_assert_eq(pl_netlist_add_node(&nl, "p", 1, PL_NODE_PORT, &p), PL_OK);
    nl.nodes[a] = (pl_node){.name = nl.nodes[a].name, .kind = PL_NODE_STDCELL, .master = -1, .w = 2, .h = 1, .x = 10, .y = 20};
    nl.nodes[b] = (pl_node){.name = nl.nodes[b].name, .kind = PL_NODE_STDCELL, .master = -1, .w = 4, .h = 2, .x = 30, .y = 5,
                            .orient = PL_ORIENT_W};
    nl.nodes[p].x = 0, nl.nodes[p].y = 40, nl.nodes[p].master = -1;
    cr_assert_eq(pl_netlist_add_net(&nl, "n0", 2, &n0), PL_OK);
    cr_assert_eq(pl_netlist_add_net(&nl, "n1", 2, &n1), PL_OK);
    cr_assert_eq(pl_netlist_add_net(&nl, "n2", 2, &n2), PL_OK);
    nl.nets[n0].weight = 2;
    cr_assert_eq(pl_netlist_add_pin(&nl, a, n0, &q), PL_OK);
    nl.pins[q].dx = 0.5, nl.pins[q].dy = 0.25; /* (10.5, 20.25) */
    cr_assert_eq(pl_netlist_add_pin(&nl, b, n0, &q), PL_OK);
    nl.pins[q].dx = 1, nl.pins[q].dy = 0.5; /* W = R90: (x, y) -> (h - y, x) = (1.5, 1): (31.5, 6) */
    cr_assert_eq(pl_netlist_add_pin(&nl, p, n0, &q), PL_OK); /* (0, 40) */
    cr_assert_eq(pl_netlist_add_pin(&nl, a, n1, &q), PL_OK);
    cr_assert_eq(pl_netlist_add_pin(&nl, a, n2, &q), PL_OK); /* (10, 20) */
    cr_assert_eq(pl_netlist_add_pin(&nl, b, n2, &q), PL_OK); /* W: (0, 0) -> (h, 0): (32, 5) */
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
    double want = 2 * ((31.5 - 0) + (40 - 6)) + ((32 - 10) + (20 - 5));
    cr_assert_float_eq(pl_hpwl(&nl), want, 1e-12, "%.12g vs %.12g", pl_hpwl(&nl), want);
    pl_netlist_free(&nl);
}
