/* edgeconv.h: Circuit Training's edge convolution on a pl_gnn_graph, and the edge statistics.
 *
 * One layer, for edge k = (i, j) with weight w_k and FC(x) = relu(x W + b) on x = [h_i | h_j | w_k]:
 *   e_k = (FC([h_i | h_j | w_k]) + FC([h_j | h_i | w_k])) / 2          (E, H), symmetric in i, j
 *   hout_v = hin_v + mean of e over v's incident entries               (N, H), isolated nodes unchanged
 * W (2H+1, H) splits into Wa (rows 0..H-1), Wb (H..2H-1), c (row 2H); we compute P = hin Wa and
 * Q = hin Wb once per node (two GEMMs), so an edge costs additions only. Every per-node sum runs
 * over the graph's CSR in edge order (segment reduction, no atomics): bit-reproducible.
 * Backwards ADD into their d-buffers (parameters and activations alike). Callers own every buffer.
 */
#ifndef PL_GNN_EDGECONV_H
#define PL_GNN_EDGECONV_H

#include "gnn/graph.h"

/* e = symmetric edge MLP from precomputed pq = [P; Q]. */
void pl_gnn_edgemlp_forward(float *e /* (E, H) */, const float *pq /* (2, N, H) */, const float *c /* (H) */,
                            const float *b /* (H) */, const pl_gnn_graph *g, int H);
/* dpq, dc, db += gradients given de. */
void pl_gnn_edgemlp_backward(float *dpq /* (2, N, H) */, float *dc /* (H) */, float *db /* (H) */,
                             const float *de /* (E, H) */, const float *pq /* (2, N, H) */,
                             const float *c /* (H) */, const float *b /* (H) */, const pl_gnn_graph *g, int H);

/* out_v += mean of e over v's incident entries (nothing for isolated nodes). */
void pl_gnn_segmean_forward(float *out /* (N, H) */, const float *e /* (E, H) */, const pl_gnn_graph *g, int H);
/* de += gradient given dout. */
void pl_gnn_segmean_backward(float *de /* (E, H) */, const float *dout /* (N, H) */, const pl_gnn_graph *g, int H);

/* One edge-conv layer: its parameters, their gradients and its per-layer work buffers. */
typedef struct pl_gnn_edgeconv {
    const pl_gnn_graph *g;
    int H;
    const float *w, *b; /* (2H+1, H), (H) */
    float *dw, *db;     /* (2H+1, H), (H): accumulated by backward */
    float *pq;          /* (2, N, H): written by forward, read by backward */
    float *dpq;         /* (2, N, H): backward scratch */
} pl_gnn_edgeconv;

void pl_gnn_edgeconv_forward(const pl_gnn_edgeconv *L, float *hout /* (N, H) */, float *e /* (E, H) */,
                             const float *hin /* (N, H) */);
/* dhin += gradient. de holds on entry the gradient reaching e from outside (zeros, or the readout's)
 * and is used as scratch. */
void pl_gnn_edgeconv_backward(const pl_gnn_edgeconv *L, float *dhin /* (N, H) */, float *de /* (E, H) */,
                              const float *dhout /* (N, H) */, const float *hin /* (N, H) */);

/* out = [mean over edges | max over edges] of e, per channel; zeros when E = 0. argmax: first edge
 * reaching the max, per channel (-1 when E = 0). */
void pl_gnn_edgestats_forward(float *out /* (2H) */, int32_t *argmax /* (H) */, const float *e /* (E, H) */,
                              int E, int H);
void pl_gnn_edgestats_backward(float *de /* (E, H) */, const float *dout /* (2H) */, const int32_t *argmax /* (H) */,
                               int E, int H);

#endif
