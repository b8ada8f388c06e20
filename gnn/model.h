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
#include "gnn/model_types.h"
#include "core/rng.h"
#include "core/status.h"

/* The defaults given beside each field of pl_gnn_config (model_types.h). */
void pl_gnn_config_default(pl_gnn_config *c);
/* PL_EINVAL naming the bad field. */
pl_status pl_gnn_config_check(const pl_gnn_config *c);
/* The number of parameters a network of config c has (c must pass pl_gnn_config_check); allocates nothing,
 * so a checkpoint's header can be checked against its file size before a model is built. */
size_t pl_gnn_config_nparams(const pl_gnn_config *c);

/* Allocates and initialises (glorot-normal weights from pl_rng seeded with `seed`, zero biases,
 * zero grads). A failed init leaves m safe to free. */
pl_status pl_gnn_model_init(pl_gnn_model *m, const pl_gnn_config *cfg, uint64_t seed);
void pl_gnn_model_free(pl_gnn_model *m);
void pl_gnn_model_zero_grad(pl_gnn_model *m);
/* Tensor name for reports and tests ("edge_w"...), by table index. */
const char *pl_gnn_tensor_name(int t);

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
