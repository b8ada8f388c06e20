/* hpwl.c: full and macro HPWL; see hpwl.h. */
#include "cost/hpwl.h"

#include <math.h>

typedef struct box {
    double x0, x1, y0, y1;
} box;

static void box_add(box *b, const pl_netlist *nl, int32_t pin)
{
    double px, py;
    pl_pin_position(nl, pin, &px, &py);
    b->x0 = fmin(b->x0, px), b->x1 = fmax(b->x1, px), b->y0 = fmin(b->y0, py), b->y1 = fmax(b->y1, py);
}

static const box EMPTY = {INFINITY, -INFINITY, INFINITY, -INFINITY};

double pl_hpwl(const pl_netlist *nl)
{
    double total = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        if (e - b < 2) continue;
        box bb = EMPTY;
        for (int64_t q = b; q < e; q++) box_add(&bb, nl, nl->net_pins[q]);
        total += nl->nets[n].weight * ((bb.x1 - bb.x0) + (bb.y1 - bb.y0));
    }
    return total;
}

/* 1 when pin q of net row [b, q) is the first pin of its node on that net. */
static int first_of_node(const pl_netlist *nl, int64_t b, int64_t q)
{
    int32_t node = nl->pins[nl->net_pins[q]].node;
    for (int64_t r = b; r < q; r++)
        if (nl->pins[nl->net_pins[r]].node == node) return 0;
    return 1;
}

double pl_hpwl_macro(const pl_netlist *nl, int64_t *nets)
{
    double total = 0;
    int64_t counted = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        box bb = EMPTY;
        int macros = 0;
        for (int64_t q = b; q < e; q++) {
            int32_t pin = nl->net_pins[q];
            if (nl->nodes[nl->pins[pin].node].kind != PL_NODE_MACRO || !first_of_node(nl, b, q)) continue;
            box_add(&bb, nl, pin);
            macros++;
        }
        if (macros < 2) continue;
        total += nl->nets[n].weight * ((bb.x1 - bb.x0) + (bb.y1 - bb.y0));
        counted++;
    }
    if (nets) *nets = counted;
    return total;
}
