/* net.h: the policy/value network on the device that runs it, behind one set of calls, so that rl/ and
 * search/ are written once: the CPU reference (model.h, adam.h) or the CUDA twin (gpu.h).
 *
 * A pl_gnn_net borrows a host model and, for training, its Adam state. On the CPU every call works on
 * those directly. On CUDA the parameters, gradients and Adam moments live on the device from init on and
 * the host copies go stale; pl_gnn_net_sync brings them back (before a checkpoint is written), after which
 * the host model and Adam state have the CPU layout, so checkpoints move freely between devices.
 * Batches: B states, logits (sum_b A_b) in state order, values (B). pl_gnn_net_chunk says how many states
 * a caller should hand over at once: 1 on the CPU (the states run one after the other anyway, and one work
 * keeps the memory small and the floats those of the per-state loops), all of them on CUDA. The CPU still
 * takes any B (one activation work per state, grown on demand) so that backward can follow any forward.
 * Ownership: init/free, free NULL-safe and idempotent; a failed init leaves n safe to free.
 * Errors: pl_status (PL_ENOTSUP: CUDA asked of a build or machine without it). Determinism: as model.h on
 * the CPU, as gpu.h on CUDA. Threads: pl_gnn_net_infer from any number of threads (each with its own work;
 * on CUDA they take turns); every other call from one thread.
 */
#ifndef PL_GNN_NET_H
#define PL_GNN_NET_H

#include <pthread.h>

#include "gnn/adam.h"
#include "gnn/gpu.h"
#include "gnn/model.h"

typedef struct pl_gnn_net {
    pl_gnn_device device;  /* CPU or CUDA: what runs (never AUTO) */
    pl_gnn_model *m;       /* borrowed; on CUDA stale until pl_gnn_net_sync */
    pl_gnn_adam *adam;     /* borrowed, NULL for inference only */
    pl_gnn_gpu gpu;        /* CUDA */
    pl_gnn_work *work;     /* CPU: (nwork), one per state of the last forward */
    int32_t nwork;
    pthread_mutex_t lock;  /* CUDA: pl_gnn_net_infer one call at a time */
    int ready;
} pl_gnn_net;

/* device: CPU or CUDA (resolve AUTO first, gpu.h). On CUDA the model's parameters (and adam's moments
 * and step count) go to the device. */
pl_status pl_gnn_net_init(pl_gnn_net *n, pl_gnn_device device, pl_gnn_model *m, pl_gnn_adam *adam);
void pl_gnn_net_free(pl_gnn_net *n);
/* "cpu" or "cuda": the device that runs, for reports and logs. */
const char *pl_gnn_net_device(const pl_gnn_net *n);
/* How many of B states to pass per forward: 1 on the CPU, B on CUDA. */
int32_t pl_gnn_net_chunk(const pl_gnn_net *n, int32_t B);

pl_status pl_gnn_net_forward(pl_gnn_net *n, int32_t B, const pl_gnn_obs *obs /* (B) */, float *logits,
                             float *values /* (B) */);
/* grads += the gradients for the states of the last forward (same obs), given dlogits (sum_b A_b) and
 * dvalues (B). */
pl_status pl_gnn_net_backward(pl_gnn_net *n, int32_t B, const pl_gnn_obs *obs /* (B) */, const float *dlogits,
                              const float *dvalues /* (B) */);
pl_status pl_gnn_net_zero_grad(pl_gnn_net *n);
/* One Adam step of the borrowed adam (its t is incremented); grad_norm (may be NULL) before clipping. */
pl_status pl_gnn_net_adam_step(pl_gnn_net *n, float *grad_norm);
/* Host model (and adam) <- the device's; nothing to do on the CPU. */
pl_status pl_gnn_net_sync(pl_gnn_net *n);
/* One state, thread-safe: on the CPU with the caller's work w (the model is only read), on CUDA under
 * the net's lock. */
pl_status pl_gnn_net_infer(pl_gnn_net *n, pl_gnn_work *w, const pl_gnn_obs *obs, float *logits, float *value);

#endif
