/* model.h: the edge-based GCN policy/value network (Circuit Training's, reference doc §3.1), CPU reference.
 *
 * Shapes: N nodes, E edges, F node features, M metadata, H hidden, G = 5H readout, A = cols*rows cells.
 * encoder relu(x We) -> K edge-conv layers (residual) -> readout g = [meta | edge mean | edge max |
 * attention(query = current macro) | h_current] -> value MLP, and a policy head giving one logit per
 * cell: conv (default; g broadcast + grid maps, 3x3 convolutions) or deconv (CT's, 128x128, centre crop).
 * Side term (cfg.side = 1): logit(a) += PL_GNN_SIDE_SCALE * side_w * side(a), one learned scalar times how far
 * the current macro's footprint with its centre on cell a lies from the nearest side of the canvas:
 *   side(a) = max(0, min(xc - w/2, 1 - xc - w/2, yc - h/2, 1 - yc - h/2)) / 0.5,
 * xc = (col + 0.5) / cols, yc = (row + 0.5) / rows, w and h the current node's features 2 and 3 (width and
 * height over the canvas's, rl/obs.h), so 0 against a side and 1 at the centre of a square canvas; and the
 * head's last layer starts at zero, so that a new network's logits are the side term alone (0: uniform, or
 * the wire mask's prior in a residual). A feature that reads the same on every design, for a weight that a
 * design teaches and another can use.
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

/* The side term's fixed scale: side_w moves the logits by 32x its own step, so that Adam's steps of about the
 * learning rate reach the tens of logits a pull needs within a short run. */
#define PL_GNN_SIDE_SCALE 32.0f

/* The cell's side(a) of the side term (above) for a macro of width w and height h (canvas fractions). */
float pl_gnn_side_feature(int32_t col, int32_t row, int32_t cols, int32_t rows, float w, float h);

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
