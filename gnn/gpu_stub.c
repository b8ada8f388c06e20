/* gpu_stub.c: gpu.h without CUDA (built when PL_HAVE_CUDA is undefined): every GPU entry point links
 * and answers PL_ENOTSUP, so callers choose the CPU at run time instead of at build time. */
#include "gnn/gpu.h"

#ifndef PL_HAVE_CUDA

#include <stdio.h>
#include <string.h>

#define NO_CUDA "built without CUDA (make CUDA=1)"

static pl_status no_cuda(void) { return pl_err(PL_ENOTSUP, "gnn: " NO_CUDA); }

int pl_gnn_cuda_available(char *why, size_t why_cap)
{
    if (why && why_cap) snprintf(why, why_cap, "%s", NO_CUDA);
    return 0;
}

pl_status pl_gnn_gpu_init(pl_gnn_gpu *g, const pl_gnn_model *m)
{
    (void)m;
    memset(g, 0, sizeof *g);
    return no_cuda();
}

void pl_gnn_gpu_free(pl_gnn_gpu *g)
{
    if (g) memset(g, 0, sizeof *g);
}

pl_status pl_gnn_gpu_upload_params(pl_gnn_gpu *g, const pl_gnn_model *m) { return (void)g, (void)m, no_cuda(); }
pl_status pl_gnn_gpu_download_params(const pl_gnn_gpu *g, pl_gnn_model *m) { return (void)g, (void)m, no_cuda(); }
pl_status pl_gnn_gpu_download_grads(const pl_gnn_gpu *g, pl_gnn_model *m) { return (void)g, (void)m, no_cuda(); }
pl_status pl_gnn_gpu_upload_grads(pl_gnn_gpu *g, const pl_gnn_model *m) { return (void)g, (void)m, no_cuda(); }
pl_status pl_gnn_gpu_zero_grad(pl_gnn_gpu *g) { return (void)g, no_cuda(); }

pl_status pl_gnn_gpu_forward(pl_gnn_gpu *g, int32_t B, const pl_gnn_obs *obs, float *logits, float *values)
{
    (void)g, (void)B, (void)obs, (void)logits, (void)values;
    return no_cuda();
}

pl_status pl_gnn_gpu_backward(pl_gnn_gpu *g, const float *dlogits, const float *dvalues)
{
    (void)g, (void)dlogits, (void)dvalues;
    return no_cuda();
}

pl_status pl_gnn_gpu_policy(pl_gnn_gpu *g, const int32_t *actions, float *logp, float *entropy, float *probs)
{
    (void)g, (void)actions, (void)logp, (void)entropy, (void)probs;
    return no_cuda();
}

pl_status pl_gnn_gpu_policy_backward(pl_gnn_gpu *g, const float *dlogp, const float *dent, const float *dvalues)
{
    (void)g, (void)dlogp, (void)dent, (void)dvalues;
    return no_cuda();
}

pl_status pl_gnn_gpu_adam_step(pl_gnn_gpu *g, pl_gnn_adam *a, float *grad_norm)
{
    (void)g, (void)a, (void)grad_norm;
    return no_cuda();
}

pl_status pl_gnn_gpu_upload_adam(pl_gnn_gpu *g, const pl_gnn_adam *a) { return (void)g, (void)a, no_cuda(); }
pl_status pl_gnn_gpu_download_adam(const pl_gnn_gpu *g, pl_gnn_adam *a) { return (void)g, (void)a, no_cuda(); }

#endif
