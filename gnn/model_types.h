/* model_types.h: the network's types: configuration, parameter views, the model and one observation.
 *
 * Shared by model.c (the driver: init, forward, backward) and head.c (the policy heads it calls),
 * which both include this and not each other's header; callers include gnn/model.h, which
 * includes this. Shapes and ownership as in model.h: params and grads are views into one buffer
 * each, owned by the model; an observation's arrays are borrowed. Nothing here allocates or runs.
 */
#ifndef PL_GNN_MODEL_TYPES_H
#define PL_GNN_MODEL_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "gnn/graph.h"

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
    int32_t side;          /* 1: the side term (model.h) on the logits and the head's last layer zero at init;
                              default 0 */
} pl_gnn_config;

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
    float *side_w;          /* side term: (1) with cfg.side, else absent */
} pl_gnn_params;

enum { PL_GNN_NTENSORS = 26 };

typedef struct pl_gnn_model {
    pl_gnn_config cfg;
    uint64_t seed;
    size_t sizes[PL_GNN_NTENSORS];
    size_t nparams;
    float *params_mem; /* (nparams) */
    float *grads_mem;  /* (nparams) */
    pl_gnn_params params, grads;
} pl_gnn_model;

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

#endif
