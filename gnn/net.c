/* net.c: the network on the CPU or on CUDA (see net.h). */
#include "gnn/net.h"

#include <stdlib.h>
#include <string.h>

static int on_gpu(const pl_gnn_net *n) { return n->device == PL_GNN_DEVICE_CUDA; }

pl_status pl_gnn_net_init(pl_gnn_net *n, pl_gnn_device device, pl_gnn_model *m, pl_gnn_adam *adam)
{
    memset(n, 0, sizeof *n);
    if (device != PL_GNN_DEVICE_CPU && device != PL_GNN_DEVICE_CUDA)
        return pl_err(PL_EINVAL, "gnn: the network runs on cpu or cuda, not %s", pl_gnn_device_name(device));
    n->device = device, n->m = m, n->adam = adam;
    pthread_mutex_init(&n->lock, NULL);
    n->ready = 1;
    if (!on_gpu(n)) return PL_OK;
    pl_status s = pl_gnn_gpu_init(&n->gpu, m);
    if (s == PL_OK && adam) s = pl_gnn_gpu_upload_adam(&n->gpu, adam);
    return s;
}

void pl_gnn_net_free(pl_gnn_net *n)
{
    if (!n || !n->ready) return;
    pl_gnn_gpu_free(&n->gpu);
    for (int32_t b = 0; b < n->nwork; b++) pl_gnn_work_free(&n->work[b]);
    free(n->work);
    pthread_mutex_destroy(&n->lock);
    memset(n, 0, sizeof *n);
}

const char *pl_gnn_net_device(const pl_gnn_net *n) { return pl_gnn_device_name(n->device); }

int32_t pl_gnn_net_chunk(const pl_gnn_net *n, int32_t B) { return on_gpu(n) ? B : 1; }

static pl_status works(pl_gnn_net *n, int32_t B)
{
    if (B <= n->nwork) return PL_OK;
    pl_gnn_work *w = realloc(n->work, sizeof *w * (size_t)B);
    if (!w) return pl_err(PL_ENOMEM, "gnn: out of memory");
    n->work = w;
    for (int32_t b = n->nwork; b < B; b++) pl_gnn_work_init(&w[b]);
    n->nwork = B;
    return PL_OK;
}

static int32_t cells(const pl_gnn_obs *o) { return o->cols * o->rows; }

pl_status pl_gnn_net_forward(pl_gnn_net *n, int32_t B, const pl_gnn_obs *obs, float *logits, float *values)
{
    if (B < 1) return pl_err(PL_EINVAL, "gnn: a batch of %d states", (int)B);
    if (on_gpu(n)) return pl_gnn_gpu_forward(&n->gpu, B, obs, logits, values);
    PL_TRY(works(n, B));
    for (int32_t b = 0; b < B; b++) {
        PL_TRY(pl_gnn_forward(n->m, &n->work[b], &obs[b], logits, &values[b]));
        logits += cells(&obs[b]);
    }
    return PL_OK;
}

pl_status pl_gnn_net_backward(pl_gnn_net *n, int32_t B, const pl_gnn_obs *obs, const float *dlogits,
                              const float *dvalues)
{
    if (on_gpu(n)) return pl_gnn_gpu_backward(&n->gpu, dlogits, dvalues);
    if (B < 1 || B > n->nwork) return pl_err(PL_EINVAL, "gnn: backward of %d states after a forward of %d", (int)B, (int)n->nwork);
    for (int32_t b = 0; b < B; b++) {
        PL_TRY(pl_gnn_backward(n->m, &n->work[b], &obs[b], dlogits, dvalues[b]));
        dlogits += cells(&obs[b]);
    }
    return PL_OK;
}

pl_status pl_gnn_net_zero_grad(pl_gnn_net *n)
{
    if (on_gpu(n)) return pl_gnn_gpu_zero_grad(&n->gpu);
    pl_gnn_model_zero_grad(n->m);
    return PL_OK;
}

pl_status pl_gnn_net_adam_step(pl_gnn_net *n, float *grad_norm)
{
    if (!n->adam) return pl_err(PL_EINVAL, "gnn: an optimiser step on a network made for inference");
    if (on_gpu(n)) return pl_gnn_gpu_adam_step(&n->gpu, n->adam, grad_norm);
    return pl_gnn_adam_step(n->adam, n->m->params_mem, n->m->grads_mem, grad_norm);
}

pl_status pl_gnn_net_sync(pl_gnn_net *n)
{
    if (!on_gpu(n)) return PL_OK;
    PL_TRY(pl_gnn_gpu_download_params(&n->gpu, n->m));
    return n->adam ? pl_gnn_gpu_download_adam(&n->gpu, n->adam) : PL_OK;
}

pl_status pl_gnn_net_infer(pl_gnn_net *n, pl_gnn_work *w, const pl_gnn_obs *obs, float *logits, float *value)
{
    if (!on_gpu(n)) return pl_gnn_forward(n->m, w, obs, logits, value);
    pthread_mutex_lock(&n->lock);
    pl_status s = pl_gnn_gpu_forward(&n->gpu, 1, obs, logits, value);
    pthread_mutex_unlock(&n->lock);
    return s;
}
