/* graph.c: see graph.h. Builds the incidence CSR by a counting sort that keeps edge order. */
#include "gnn/graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pl_gnn_graph_free(pl_gnn_graph *g)
{
    if (!g) return;
    free(g->src);
    free(g->dst);
    free(g->w);
    free(g->off);
    free(g->inc);
    memset(g, 0, sizeof *g);
}

static pl_status check_edges(int32_t n, int32_t e, const int32_t *edges, const float *w)
{
    for (int32_t k = 0; k < e; k++) {
        int32_t s = edges[2 * k], d = edges[2 * k + 1];
        if (s < 0 || s >= n || d < 0 || d >= n)
            return pl_err(PL_EINVAL, "gnn graph: edge %d joins nodes %d and %d, outside 0..%d", (int)k, (int)s,
                          (int)d, (int)n - 1);
        if (!isfinite(w[k])) return pl_err(PL_EINVAL, "gnn graph: edge %d has a non-finite weight", (int)k);
    }
    return PL_OK;
}

pl_status pl_gnn_graph_init(pl_gnn_graph *g, int32_t n, int32_t e, const int32_t *edges, const float *w)
{
    memset(g, 0, sizeof *g);
    if (n < 1 || e < 0 || e > INT32_MAX / 2)
        return pl_err(PL_EINVAL, "gnn graph: %d nodes and %d edges (need at least one node)", (int)n, (int)e);
    PL_TRY(check_edges(n, e, edges, w));
    g->src = malloc((size_t)e * sizeof *g->src + 1);
    g->dst = malloc((size_t)e * sizeof *g->dst + 1);
    g->w = malloc((size_t)e * sizeof *g->w + 1);
    g->off = calloc((size_t)n + 1, sizeof *g->off);
    g->inc = malloc((size_t)2 * (size_t)e * sizeof *g->inc + 1);
    if (!g->src || !g->dst || !g->w || !g->off || !g->inc) {
        pl_gnn_graph_free(g);
        return pl_err(PL_ENOMEM, "gnn graph: out of memory for %d nodes, %d edges", (int)n, (int)e);
    }
    g->n = n, g->e = e;
    for (int32_t k = 0; k < e; k++) {
        g->src[k] = edges[2 * k], g->dst[k] = edges[2 * k + 1], g->w[k] = w[k];
        g->off[g->src[k] + 1]++;
        g->off[g->dst[k] + 1]++;
    }
    for (int32_t v = 0; v < n; v++) g->off[v + 1] += g->off[v];
    int32_t *fill = malloc((size_t)n * sizeof *fill);
    if (!fill) {
        pl_gnn_graph_free(g);
        return pl_err(PL_ENOMEM, "gnn graph: out of memory for %d nodes", (int)n);
    }
    memcpy(fill, g->off, (size_t)n * sizeof *fill);
    for (int32_t k = 0; k < e; k++) {
        g->inc[fill[g->src[k]]++] = k << 1;
        g->inc[fill[g->dst[k]]++] = k << 1 | 1;
    }
    free(fill);
    return PL_OK;
}
