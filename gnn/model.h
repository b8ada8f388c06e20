/* model.h: the edge-based GCN policy/value network (Circuit Training's, reference doc §3.1), CPU reference.
 *
 * Shapes: N nodes, E edges, F node features, M metadata, H hidden, G = 5H readout, A = cols*rows cells.
 * encoder relu(x We) -> K edge-conv layers (residual) -> readout g = [meta | edge mean | edge max |
 * attention(query = current macro) | h_current] -> value MLP, and a policy head giving one logit per
 * cell: conv (default; g broadcast + grid maps, 3x3 convolutions) or deconv (CT's, 128x128, centre crop).
 * Ownership: params, grads (and Adam's moments, adam.h) are each ONE contiguous buffer with named views.
 * A pl_gnn_work holds the activations of the last forward; backward reads them and ADDS into grads.
 * Errors: pl_status + pl_err. Determinism: same seed and inputs give bit-identical outputs and grads.
 * Threads: a model is read-only during forward; use one work per thread; backward writes grads.
 */
#ifndef PL_GNN_MODEL_H
#define PL_GNN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "gnn/graph.h"
#include "core/rng.h"
#include "core/status.h"

typedef enum pl_gnn_head { PL_GNN_HEAD_CONV = 0, PL_GNN_HEAD_DECONV = 1 } pl_gnn_head;

enum { PL_GNN_GRID_MAX = 128, PL_GNN_DECONV_LAYERS = 5, PL_GNN_MAP_CHANNELS = 5 };

typedef struct pl_gnn_config {
    int32_t node_feats;    /* F: per-node features, default 8 */
    int32_t meta_feats;    /* M: metadata scalars, default 12 */
    int32_t hidden;        /* H, default 32 */
    int32_t layers;        /* K edge-conv layers, default 3 */
    int32_t head;          /* pl_gnn_head, default PL_GNN_HEAD_CONV */
    int32_t grid_embed;    /* conv head: channels of the broadcast graph embedding, default 8 */
    int32_t conv_channels; /* conv head: hidden channels, default 16 */
    int32_t conv_layers;   /* conv head: 3x3 convolutions (>= 2; the last gives the logit), default 3 */
} pl_gnn_config;

void pl_gnn_config_default(pl_gnn_config *c);
/* PL_EINVAL naming the bad field. */
pl_status pl_gnn_config_check(const pl_gnn_config *c);

/* Named views into one buffer (parameters or their gradients); absent tensors have size 0. */
typedef struct pl_gnn_params {
    float *enc_w, *enc_b;   /* (F, H), (H) */
    float *edge_w, *edge_b; /* (K, 2H+1, H), (K, H) */
    float *meta_w, *meta_b; /* (M, H), (H) */
    float *att_q, *att_k, *att_v; /* (H, H) each */
    float *val_w1, *val_b1, *val_w2, *val_b2; /* (G, H), (H), (H), (1) */
    float *pol_w, *pol_b;   /* conv head: (G, Cg), (Cg) */
    float *cv0_w, *cv0_b;   /* (9 (Cg+5), Cc), (Cc) */
    float *cvm_w, *cvm_b;   /* (L-2, 9 Cc, Cc), (L-2, Cc) */
    float *cvl_w, *cvl_b;   /* (9 Cc, 1), (1) */
    float *dc_w, *dc_b;     /* deconv head: (G, 8*8*32), (8*8*32) */
    float *dt_w, *dt_b;     /* the 5 transposed convolutions' weights (9, Ci, Co) and biases, concatenated */
} pl_gnn_params;

enum { PL_GNN_NTENSORS = 25 };

typedef struct pl_gnn_model {
    pl_gnn_config cfg;
    uint64_t seed;
    size_t sizes[PL_GNN_NTENSORS];
    size_t nparams;
    float *params_mem; /* (nparams) */
    float *grads_mem;  /* (nparams) */
    pl_gnn_params params, grads;
} pl_gnn_model;

/* Allocates and initialises (glorot-normal weights from pl_rng seeded with `seed`, zero biases,
 * zero grads). A failed init leaves m safe to free. */
pl_status pl_gnn_model_init(pl_gnn_model *m, const pl_gnn_config *cfg, uint64_t seed);
void pl_gnn_model_free(pl_gnn_model *m);
void pl_gnn_model_zero_grad(pl_gnn_model *m);
/* Tensor name for reports and tests ("edge_w"...), by table index. */
const char *pl_gnn_tensor_name(int t);

/* One observation (the environment fills it; every array is borrowed). */
typedef struct pl_gnn_obs {
    const pl_gnn_graph *graph;
    const float *x;        /* (N, F) node features */
    const float *meta;     /* (M) */
    int32_t current;       /* node of the macro placed now */
    int32_t cols, rows;    /* grid, each 1..128 */
    const uint8_t *mask;   /* (A) 1 = legal cell */
    const float *wire;     /* (A) wire mask: HPWL growth if the macro goes there */
    const float *density;  /* (A) current density */
} pl_gnn_obs;

/* Activations (and their gradients) of one forward, grown on demand; see model.c for the layout. */
typedef struct pl_gnn_work {
    float *mem, *dmem;
    size_t cap; /* floats in each of mem, dmem */
    int32_t *argmax; /* (H) */
    int32_t argmax_cap;
} pl_gnn_work;

void pl_gnn_work_init(pl_gnn_work *w);
void pl_gnn_work_free(pl_gnn_work *w);

/* logits (A): masked cells -inf, legal cells finite. value: the state value. */
pl_status pl_gnn_forward(const pl_gnn_model *m, pl_gnn_work *w, const pl_gnn_obs *obs, float *logits /* (A) */,
                         float *value);
/* grads += d(loss)/d(params) given dlogits (A; masked entries ignored) and dvalue, for the obs of
 * the last pl_gnn_forward on w (same obs pointer contents). */
pl_status pl_gnn_backward(pl_gnn_model *m, pl_gnn_work *w, const pl_gnn_obs *obs, const float *dlogits /* (A) */,
                          float dvalue);
/* B states with the same grid size, one after another on one work: logits (B, A), values (B). */
pl_status pl_gnn_forward_batch(const pl_gnn_model *m, pl_gnn_work *w, int32_t B, const pl_gnn_obs *obs /* (B) */,
                               float *logits /* (B, A) */, float *values /* (B) */);

#endif
