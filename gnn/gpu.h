/* gpu.h: the GNN policy/value network on a CUDA GPU, reached from plain C (no CUDA types here).
 *
 * Device choice: pl_gnn_device_parse reads --device auto|cpu|cuda; pl_gnn_device_resolve turns AUTO into
 * CUDA when a GPU is usable and into CPU (with a note saying why) otherwise. A pl_gnn_gpu mirrors one
 * pl_gnn_model: params, grads and Adam moments are each ONE device buffer in the CPU layout, so every
 * host<->device sync is one copy. Batches: B states stacked (graphs concatenated with node/edge offsets,
 * grids with cell offsets; designs and grid sizes may differ), logits (sum_b A_b) in state order.
 * Ownership: init/free pair (free NULL-safe, idempotent; a failed init leaves g safe to free); observations
 * are borrowed for the call only. Errors: PL_ECUDA (CUDA/cuBLAS failure), PL_EINVAL (bad input), PL_ENOTSUP
 * without CUDA or a GPU. Determinism: fixed-order segment reductions, no float atomics: two runs are bit-
 * identical on one GPU; results match the CPU within tolerances (tests/gnn/test_cuda.c). Threads: one per g.
 */
#ifndef PL_GNN_GPU_H
#define PL_GNN_GPU_H

#include <stddef.h>
#include <stdint.h>

#include "gnn/adam.h"
#include "gnn/model.h"
#include "core/status.h"

typedef enum pl_gnn_device { PL_GNN_DEVICE_AUTO = 0, PL_GNN_DEVICE_CPU = 1, PL_GNN_DEVICE_CUDA = 2 } pl_gnn_device;

/* "auto", "cpu" or "cuda" (exactly); anything else is PL_EINVAL naming the value. */
pl_status pl_gnn_device_parse(const char *s, pl_gnn_device *out);
const char *pl_gnn_device_name(pl_gnn_device d);
/* 1 when CUDA is built in and a device answers; else 0 and a one-line reason in why (may be NULL). */
int pl_gnn_cuda_available(char *why, size_t why_cap);
/* AUTO -> CUDA or CPU (note says "no GPU (reason): running on CPU"); CUDA without a usable GPU is
 * PL_ENOTSUP with the reason; CPU stays CPU. note (may be NULL) gets a line for the log, "" if none. */
pl_status pl_gnn_device_resolve(pl_gnn_device want, pl_gnn_device *got, char *note, size_t note_cap);

struct pl_gnn_gpu_impl;
typedef struct pl_gnn_gpu {
    pl_gnn_config cfg;
    size_t nparams;
    int32_t B;        /* states of the last forward, 0 before any */
    int64_t A_total;  /* cells of the last forward (logits it wrote) */
    struct pl_gnn_gpu_impl *impl;
} pl_gnn_gpu;

/* Creates the device buffers for m's shape, uploads m's params, zeroes grads and moments. */
pl_status pl_gnn_gpu_init(pl_gnn_gpu *g, const pl_gnn_model *m);
void pl_gnn_gpu_free(pl_gnn_gpu *g);
/* One copy each; m must have the shape g was made for. */
pl_status pl_gnn_gpu_upload_params(pl_gnn_gpu *g, const pl_gnn_model *m);
pl_status pl_gnn_gpu_download_params(const pl_gnn_gpu *g, pl_gnn_model *m);
pl_status pl_gnn_gpu_download_grads(const pl_gnn_gpu *g, pl_gnn_model *m);
/* m's grads to the device (e.g. after an MPI average of the downloaded grads). */
pl_status pl_gnn_gpu_upload_grads(pl_gnn_gpu *g, const pl_gnn_model *m);
pl_status pl_gnn_gpu_zero_grad(pl_gnn_gpu *g);

/* B >= 1 states at once. logits (sum_b A_b): state b's cells start at sum_{c<b} A_c, masked cells -inf;
 * values (B). Either output may be NULL (then it stays on the device). The activations stay on the
 * device for pl_gnn_gpu_backward / pl_gnn_gpu_policy*. */
pl_status pl_gnn_gpu_forward(pl_gnn_gpu *g, int32_t B, const pl_gnn_obs *obs /* (B) */, float *logits,
                             float *values /* (B) */);
/* grads += d(loss)/d(params) for the batch of the last forward, given dlogits (sum_b A_b; masked
 * entries ignored) and dvalues (B). Gradients of all states add up (as B CPU backward calls). */
pl_status pl_gnn_gpu_backward(pl_gnn_gpu *g, const float *dlogits, const float *dvalues /* (B) */);

/* On the last forward's logits, per state: masked softmax (probs, may be NULL: sum_b A_b), log p(actions[b])
 * (actions may be NULL: logp untouched) and entropy (may be NULL). PL_EINVAL for an all-masked state or
 * a masked/out-of-range action. Same semantics as ops.h. */
pl_status pl_gnn_gpu_policy(pl_gnn_gpu *g, const int32_t *actions /* (B) */, float *logp /* (B) */,
                            float *entropy /* (B) */, float *probs);
/* grads += gradients of sum_b dlogp[b] log p(actions[b]) + dent[b] entropy_b + dvalues[b] value_b, for the
 * actions of the last pl_gnn_gpu_policy (dlogp/dent NULL count as zeros). */
pl_status pl_gnn_gpu_policy_backward(pl_gnn_gpu *g, const float *dlogp /* (B) */, const float *dent /* (B) */,
                                     const float *dvalues /* (B) */);

/* One Adam step on the device with a's config and step count (a->t is incremented; a->m, a->v are NOT
 * touched: the moments live on the device). grad_norm (may be NULL): the norm before clipping, summed in
 * double by a fixed two-pass reduction. PL_EINVAL on a non-finite norm (nothing updated). */
pl_status pl_gnn_gpu_adam_step(pl_gnn_gpu *g, pl_gnn_adam *a, float *grad_norm);
/* Moments host<->device (for checkpoints and resuming): one copy each way per buffer. */
pl_status pl_gnn_gpu_upload_adam(pl_gnn_gpu *g, const pl_gnn_adam *a);
pl_status pl_gnn_gpu_download_adam(const pl_gnn_gpu *g, pl_gnn_adam *a);

#endif
