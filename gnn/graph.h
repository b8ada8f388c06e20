/* graph.h: the placement graph as the GNN sees it: N nodes, E undirected weighted edges, and the
 * incidence CSR that makes every per-node reduction a fixed-order segment reduction.
 *
 * Layout: edge k joins src[k] and dst[k] (self-loops allowed) with weight w[k]. Node v's incident
 * entries are inc[off[v] .. off[v+1]), each (k << 1 | side), side 0 when v = src[k], 1 when v = dst[k],
 * in increasing k; a self-loop appears twice. deg(v) = off[v+1] - off[v].
 * Ownership: pl_gnn_graph_init copies the caller's arrays; pl_gnn_graph_free releases them (NULL-safe,
 * idempotent; a failed init leaves the graph safe to free). Errors: PL_EINVAL names the bad edge.
 * Threads: read-only after init, shareable between threads.
 */
#ifndef PL_GNN_GRAPH_H
#define PL_GNN_GRAPH_H

#include <stdint.h>

#include "core/status.h"

typedef struct pl_gnn_graph {
    int32_t n, e;
    int32_t *src, *dst; /* (E) */
    float *w;           /* (E) */
    int32_t *off;       /* (N + 1) */
    int32_t *inc;       /* (2E) */
} pl_gnn_graph;

/* edges: (E, 2) int32 (src, dst) pairs; w: (E) finite weights (CT divides them by their mean). */
pl_status pl_gnn_graph_init(pl_gnn_graph *g, int32_t n, int32_t e, const int32_t *edges /* (E, 2) */,
                            const float *w /* (E) */);
void pl_gnn_graph_free(pl_gnn_graph *g);

#endif
