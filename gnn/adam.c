/* adam.c: see adam.h. */
#include "gnn/adam.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

void pl_gnn_adam_config_default(pl_gnn_adam_config *c)
{
    c->lr = 3e-4f;
    c->beta1 = 0.9f;
    c->beta2 = 0.999f;
    c->eps = 1e-8f;
    c->weight_decay = 0.0f;
    c->clip_norm = 1.0f;
}

pl_status pl_gnn_adam_init(pl_gnn_adam *a, const pl_gnn_adam_config *cfg, size_t n)
{
    memset(a, 0, sizeof *a);
    a->cfg = *cfg;
    if (!PL_CALLOC(a->m, n) || !PL_CALLOC(a->v, n)) {
        pl_gnn_adam_free(a);
        return pl_err(PL_ENOMEM, "adam: out of memory for %zu moments", n);
    }
    a->n = n;
    return PL_OK;
}

void pl_gnn_adam_free(pl_gnn_adam *a)
{
    if (!a) return;
    free(a->m);
    free(a->v);
    memset(a, 0, sizeof *a);
}

pl_status pl_gnn_adam_step(pl_gnn_adam *a, float *params, const float *grads, float *grad_norm)
{
    double ss = 0.0;
    for (size_t i = 0; i < a->n; i++) ss += (double)grads[i] * grads[i];
    const double norm = sqrt(ss);
    if (grad_norm) *grad_norm = (float)norm;
    if (!isfinite(norm)) return pl_err(PL_EINVAL, "adam: gradient norm is not finite (step %llu)",
                                       (unsigned long long)a->t + 1);
    const float scale = a->cfg.clip_norm > 0.0f && norm > a->cfg.clip_norm ? (float)(a->cfg.clip_norm / norm) : 1.0f;
    a->t++;
    const float b1 = a->cfg.beta1, b2 = a->cfg.beta2;
    const float c1 = (float)(1.0 - pow(b1, (double)a->t)), c2 = (float)(1.0 - pow(b2, (double)a->t));
    for (size_t i = 0; i < a->n; i++) {
        const float g = grads[i] * scale;
        a->m[i] = b1 * a->m[i] + (1.0f - b1) * g;
        a->v[i] = b2 * a->v[i] + (1.0f - b2) * g * g;
        const float mh = a->m[i] / c1, vh = a->v[i] / c2;
        params[i] -= a->cfg.lr * (mh / (sqrtf(vh) + a->cfg.eps) + a->cfg.weight_decay * params[i]);
    }
    return PL_OK;
}
