/* test_hpwl.c: the macro HPWL of the learning-based macro-placement papers (cost/hpwl.h) on a hand-built
 * netlist, every figure written out by hand: only hard-macro pins count, a macro counts once per net (its
 * first pin), nets with fewer than two macros add nothing, net weights apply; and the full HPWL beside it. */
#include <math.h>

#include "cost/hpwl.h"
#include "tests/testutil.h"

/* Macros m0 (10 x 10 at 0,0), m1 (20 x 10 at 100,50), m2 (4 x 4 at 30,200, turned FS); a cell c (2 x 2 at
 * 500,500); a port p at (-40, 0). Pin offsets (dx, dy from the lower-left, orientation N):
 *   n0 {m0 (5,5), m1 (10,5)}                          macro: |110-5| + |55-5| = 155
 *   n1 {m0 (0,0), c (1,1), p}                         one macro: 0; full: 501 + 501 + 40 = 1042
 *   n2 {m1 (0,0), m0 (10,10), m0 (0,0), m2 (1,1)} w 2 macro: m0 at its first pin (10,10):
 *        m1 (100,50), m0 (10,10), m2 FS: (31, 200 + 4 - 1 = 203) -> (100-10) + (203-10) = 283, x2 = 566
 *   n3 {c, p}                                         no macro
 * macro HPWL = 155 + 566 = 721 over 2 nets. */
static void tiny(pl_netlist *nl)
{
    pl_netlist_init(nl);
    static const char *names[] = {"m0", "m1", "m2", "c", "p"};
    static const pl_node_kind kinds[] = {PL_NODE_MACRO, PL_NODE_MACRO, PL_NODE_MACRO, PL_NODE_STDCELL, PL_NODE_PORT};
    static const double geo[][4] = {{10, 10, 0, 0}, {20, 10, 100, 50}, {4, 4, 30, 200}, {2, 2, 500, 500}, {0, 0, -40, 0}};
    for (int i = 0; i < 5; i++) {
        int32_t k;
        cr_assert_eq(pl_netlist_add_node(nl, names[i], strlen(names[i]), kinds[i], &k), PL_OK);
        pl_node *n = &nl->nodes[k];
        n->w = geo[i][0], n->h = geo[i][1], n->x = geo[i][2], n->y = geo[i][3];
        n->state = PL_PLACE_PLACED;
    }
    nl->nodes[2].orient = PL_ORIENT_FS;
    static const int members[4][5] = {{0, 1, -1}, {0, 3, 4, -1}, {1, 0, 0, 2, -1}, {3, 4, -1}};
    static const double off[4][4][2] = {{{5, 5}, {10, 5}}, {{0, 0}, {1, 1}, {0, 0}}, {{0, 0}, {10, 10}, {0, 0}, {1, 1}},
                                        {{1, 1}, {0, 0}}};
    for (int e = 0; e < 4; e++) {
        char nm[16];
        int32_t net;
        snprintf(nm, sizeof nm, "n%d", e);
        cr_assert_eq(pl_netlist_add_net(nl, nm, strlen(nm), &net), PL_OK);
        if (e == 2) nl->nets[net].weight = 2;
        for (int k = 0; members[e][k] >= 0; k++) {
            int32_t p;
            cr_assert_eq(pl_netlist_add_pin(nl, members[e][k], net, &p), PL_OK);
            nl->pins[p].dx = off[e][k][0], nl->pins[p].dy = off[e][k][1];
        }
    }
    cr_assert_eq(pl_netlist_finalize(nl), PL_OK);
}

Test(cost_hpwl, macro_hpwl_counts_macro_pins_once_per_net)
{
    pl_netlist nl;
    tiny(&nl);
    int64_t nets = -1;
    double h = pl_hpwl_macro(&nl, &nets);
    cr_assert_float_eq(h, 721.0, 1e-9, "macro HPWL %.9g, want 721", h);
    cr_assert_eq(nets, 2, "n0 and n2 have two or more macros");
    cr_assert_float_eq(pl_hpwl_macro(&nl, NULL), h, 0, "nets may be NULL");
    pl_netlist_free(&nl);
}

Test(cost_hpwl, macro_hpwl_follows_the_macros_and_ignores_the_rest)
{
    pl_netlist nl;
    tiny(&nl);
    double h0 = pl_hpwl_macro(&nl, NULL);
    nl.nodes[3].x = 9000, nl.nodes[4].y = -9000; /* the cell and the port */
    cr_assert_float_eq(pl_hpwl_macro(&nl, NULL), h0, 0, "cells and ports do not count");
    nl.nodes[1].x += 7; /* m1: n0 grows by 7, n2 (m1 is its rightmost pin) by 7 x 2 */
    cr_assert_float_eq(pl_hpwl_macro(&nl, NULL), h0 + 21, 1e-9);
    pl_netlist_free(&nl);
}

Test(cost_hpwl, full_hpwl_counts_every_pin)
{
    pl_netlist nl;
    tiny(&nl);
    /* n0 155; n1: pins (0,0), (501,501), (-40,0): 541 + 501 = 1042; n2 with every pin (m0's second at
     * (0,0)): x 0..100, y 0..203: 303, x2 = 606; n3: (501,501), (-40,0): 541 + 501 = 1042 */
    double h = pl_hpwl(&nl);
    cr_assert_float_eq(h, 155.0 + 1042 + 606 + 1042, 1e-9, "full HPWL %.9g", h);
    pl_netlist_free(&nl);
}
