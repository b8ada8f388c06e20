/* head.h: the activation layout of one forward and the two policy heads (internal to gnn/model.c;
 * this includes gnn/model_types.h, never model.h).
 *
 * pl_gnn_acts points into one float buffer: pl_gnn_acts_point lays out every activation of a
 * forward for (cfg, N, E, A); the same layout over a second buffer holds their gradients, so
 * d<name> of activation <name> is at the same offset. Heads read g (G = 5H) and write `raw`
 * (A) logits before masking; their backward ADDS into dg and the parameter gradients.
 * Threads: none; the caller owns the buffers.
 */
#ifndef PL_GNN_HEAD_H
#define PL_GNN_HEAD_H

#include "gnn/model_types.h"

typedef struct pl_gnn_acts {
    float *h;      /* (K+1, N, H): encoder output, then after each edge-conv layer */
    float *pq;     /* (K, 2, N, H) */
    float *e;      /* (E, H): the last layer's edge features */
    float *hmeta;  /* (H) */
    float *stats;  /* (2H) */
    float *q;      /* (H) */
    float *kk, *vv; /* (N, H) each */
    float *alpha;  /* (N) */
    float *att;    /* (H) */
    float *g;      /* (G) */
    float *v1;     /* (H) */
    float *encz;   /* (N, H): encoder scratch (gradient side) */
    float *raw;    /* (A): logits before masking */
    /* conv head */
    float *p;      /* (Cg) */
    float *x0;     /* (A, Cg + 5) */
    float *cva;    /* (L-1, A, Cc) */
    float *col;    /* (A, 9 max(Cg + 5, Cc)) */
    /* deconv head */
    float *d0;     /* (8 * 8 * 32) */
    float *dt;     /* the transposed convolutions' outputs, 16^2*16 + 32^2*8 + 64^2*4 + 128^2*2 + 128^2 */
} pl_gnn_acts;

/* Points a's views into base (NULL: only counts) and returns the number of floats. */
size_t pl_gnn_acts_point(pl_gnn_acts *a, float *base, const pl_gnn_config *c, int32_t N, int32_t E, int32_t A);

/* raw (A) from a->g. */
void pl_gnn_head_forward(const pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_obs *obs);
/* d->g and the head's parameter gradients += given d->raw (already zero on masked cells). */
void pl_gnn_head_backward(pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_acts *d, const pl_gnn_obs *obs);

/* Channels of the deconvolution head: 32 at 8x8, halving per layer down to 1 at 128x128. */
extern const int32_t pl_gnn_deconv_ch[PL_GNN_DECONV_LAYERS + 1];

#endif
