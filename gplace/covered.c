/* covered.c: standard cells under hard macros; see covered.h. */
#include "gplace/covered.h"

#include <math.h>
#include <stdlib.h>

typedef struct box {
    long long x0, y0, x1, y1; /* DBU */
} box;

static box footprint(const pl_node *n, double dbu)
{
    box b;
    b.x0 = llround(n->x * dbu);
    b.y0 = llround(n->y * dbu);
    b.x1 = b.x0 + llround(pl_node_width(n) * dbu);
    b.y1 = b.y0 + llround(pl_node_height(n) * dbu);
    return b;
}

/* The placed hard macros' footprints, malloc'd into *out (NULL when there are none). */
static pl_status macro_boxes(const pl_netlist *nl, double dbu, box **out, int64_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t m = 0;
    for (int64_t i = 0; i < nl->nnodes; i++)
        m += nl->nodes[i].kind == PL_NODE_MACRO && nl->nodes[i].state != PL_PLACE_UNPLACED;
    if (m == 0) return PL_OK;
    box *b = malloc((size_t)m * sizeof *b);
    if (!b) return pl_err(PL_ENOMEM, "cells under macros: out of memory (%lld macros)", (long long)m);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind == PL_NODE_MACRO && nd->state != PL_PLACE_UNPLACED) b[(*n)++] = footprint(nd, dbu);
    }
    *out = b;
    return PL_OK;
}

static int covered(const box *c, const box *m, int64_t nm)
{
    for (int64_t k = 0; k < nm; k++)
        if (c->x0 < m[k].x1 && m[k].x0 < c->x1 && c->y0 < m[k].y1 && m[k].y0 < c->y1) return 1;
    return 0;
}

/* Counts the covered cells of nl; when out is not NULL (nl itself), sets the covered PLACED ones UNPLACED
 * there. */
static pl_status scan(const pl_netlist *nl, pl_netlist *out, pl_covered_stats *st)
{
    st->placed = st->fixed = 0;
    double dbu = nl->dbu_per_micron > 0 ? nl->dbu_per_micron : 1000;
    box *m;
    int64_t nm;
    PL_TRY(macro_boxes(nl, dbu, &m, &nm));
    for (int64_t i = 0; i < nl->nnodes && nm > 0; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind != PL_NODE_STDCELL || (nd->state != PL_PLACE_PLACED && nd->state != PL_PLACE_FIXED)) continue;
        box c = footprint(nd, dbu);
        if (!covered(&c, m, nm)) continue;
        if (nd->state == PL_PLACE_FIXED) {
            st->fixed++;
            continue;
        }
        st->placed++;
        if (out) out->nodes[i].state = PL_PLACE_UNPLACED;
    }
    free(m);
    return PL_OK;
}

pl_status pl_cells_covered_count(const pl_netlist *nl, pl_covered_stats *st)
{
    return scan(nl, NULL, st);
}

pl_status pl_cells_covered_unplace(pl_netlist *nl, pl_covered_stats *st)
{
    return scan(nl, nl, st);
}
