/* adam.h: Adam (optionally AdamW-style decoupled weight decay) with global-norm gradient clipping.
 *
 * Shapes: n parameters; the moments m and v are each ONE contiguous buffer (n) aligned with the model's
 * params/grads buffers, so a checkpoint or an MPI average is one call. Ownership: init/free pair,
 * free is NULL-safe and idempotent. Determinism: the gradient norm is summed in double in index order.
 * Threads: none. The step reads grads (it does not zero them) and updates params in place.
 */
#ifndef PL_GNN_ADAM_H
#define PL_GNN_ADAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

typedef struct pl_gnn_adam_config {
    float lr;           /* default 3e-4 */
    float beta1, beta2; /* default 0.9, 0.999 */
    float eps;          /* default 1e-8 */
    float weight_decay; /* decoupled, default 0 */
    float clip_norm;    /* global-norm clip, <= 0 disables; default 1 */
} pl_gnn_adam_config;

typedef struct pl_gnn_adam {
    pl_gnn_adam_config cfg;
    size_t n;
    uint64_t t; /* steps taken */
    float *m;   /* (n) */
    float *v;   /* (n) */
} pl_gnn_adam;

void pl_gnn_adam_config_default(pl_gnn_adam_config *c);
pl_status pl_gnn_adam_init(pl_gnn_adam *a, const pl_gnn_adam_config *cfg, size_t n);
void pl_gnn_adam_free(pl_gnn_adam *a);
/* One step. *grad_norm (may be NULL) receives the norm before clipping. PL_EINVAL on a non-finite norm
 * (nothing is updated then). */
pl_status pl_gnn_adam_step(pl_gnn_adam *a, float *params /* (n) */, const float *grads /* (n) */, float *grad_norm);

#endif
