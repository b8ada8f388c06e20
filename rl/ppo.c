/* ppo.c: PPO-clip update (see ppo.h). */
#include "rl/ppo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnn/ops.h"

void pl_ppo_config_default(pl_ppo_config *cfg)
{
    cfg->clip = 0.2f;
    cfg->vf_coef = 0.5f;
    cfg->ent_coef = 0.01f;
    cfg->gamma = 1.0f;
    cfg->lambda = 0.95f;
    cfg->gae = 0;
    cfg->epochs = 4;
    cfg->minibatch = 128;
    cfg->prior_wire = 0;
    pl_gnn_adam_config_default(&cfg->adam);
    cfg->adam.lr = 4e-4f;
    cfg->adam.eps = 1e-5f;
    cfg->adam.clip_norm = 1.0f;
}

void pl_ppo_advantages(const pl_ppo_config *cfg, pl_traj *traj, int n, int ndesigns)
{
    for (int j = 0; j < n; j++) {
        pl_traj *t = &traj[j];
        double g = 0, gae = 0, next_v = 0;
        for (int32_t s = t->nsteps - 1; s >= 0; s--) {
            if (cfg->gae) {
                double delta = t->reward[s] + cfg->gamma * next_v - t->value[s];
                gae = delta + (double)cfg->gamma * cfg->lambda * gae;
                t->adv[s] = (float)gae;
                t->ret[s] = (float)(gae + t->value[s]);
                next_v = t->value[s];
            } else {
                g = t->reward[s] + cfg->gamma * g;
                t->ret[s] = (float)g;
                t->adv[s] = (float)(g - t->value[s]);
            }
        }
    }
    for (int d = 0; d < ndesigns; d++) {
        double sum = 0, sq = 0;
        int64_t cnt = 0;
        for (int j = 0; j < n; j++)
            if (traj[j].design == d)
                for (int32_t s = 0; s < traj[j].nsteps; s++) sum += traj[j].adv[s], cnt++;
        if (cnt == 0) continue;
        double mean = sum / (double)cnt;
        for (int j = 0; j < n; j++)
            if (traj[j].design == d)
                for (int32_t s = 0; s < traj[j].nsteps; s++) sq += (traj[j].adv[s] - mean) * (traj[j].adv[s] - mean);
        double sd = sqrt(sq / (double)cnt);
        for (int j = 0; j < n; j++)
            if (traj[j].design == d)
                for (int32_t s = 0; s < traj[j].nsteps; s++)
                    traj[j].adv[s] = (float)((traj[j].adv[s] - mean) / (sd + 1e-8));
    }
}

typedef struct sample {
    int32_t j, s;
} sample;

/* Buffers of one chunk of a minibatch: C states' features, observations, logits and their gradients. */
typedef struct chunk_buf {
    float *x, *logits, *dlogits, *probs, *values, *dvalues;
    pl_gnn_obs *obs;
} chunk_buf;

static void chunk_free(chunk_buf *c)
{
    free(c->x), free(c->logits), free(c->dlogits), free(c->probs), free(c->values), free(c->dvalues), free(c->obs);
}

static pl_status chunk_alloc(chunk_buf *c, int64_t C, int32_t maxn, int32_t maxa)
{
    memset(c, 0, sizeof *c);
    c->x = malloc(sizeof *c->x * (size_t)(C * maxn * PL_OBS_F));
    c->logits = malloc(sizeof *c->logits * (size_t)(C * maxa));
    c->dlogits = malloc(sizeof *c->dlogits * (size_t)(C * maxa));
    c->probs = malloc(sizeof *c->probs * (size_t)maxa);
    c->values = malloc(sizeof *c->values * (size_t)C);
    c->dvalues = malloc(sizeof *c->dvalues * (size_t)C);
    c->obs = malloc(sizeof *c->obs * (size_t)C);
    if (c->x && c->logits && c->dlogits && c->probs && c->values && c->dvalues && c->obs) return PL_OK;
    chunk_free(c);
    return pl_err(PL_ENOMEM, "train: out of memory for the PPO update");
}

/* The loss terms of one sample (logits and value from the network): statistics, and the gradients of
 * the minibatch mean loss with respect to its logits (dlogits, A) and its value (*dv). */
static pl_status sample_loss(const pl_ppo_config *cfg, const pl_traj *t, int32_t st_i, const pl_gnn_obs *o,
                             float *logits, float v, float *probs, float inv, pl_ppo_stats *stats, double *n_terms,
                             float *dlogits, float *dv)
{
    const int32_t A = o->cols * o->rows;
    pl_obs_prior_bias(logits, o, cfg->prior_wire); /* a constant: d loss / d logits is unchanged by it */
    pl_gnn_dist d = {logits, o->mask, probs, 0, A};
    PL_TRY(pl_gnn_softmax_masked_forward(&d));
    float logp;
    PL_TRY(pl_gnn_logprob_forward(&d, t->action[st_i], &logp));
    float ent = pl_gnn_entropy_forward(&d);
    double ratio = exp((double)logp - t->logp[st_i]);
    double adv = t->adv[st_i], ret = t->ret[st_i];
    double s1 = ratio * adv, rc = fmin(fmax(ratio, 1.0 - cfg->clip), 1.0 + cfg->clip), s2 = rc * adv;
    int clipped = s2 < s1;
    if (cfg->imitate) adv = 1, ratio = 1, clipped = 0, ret = v; /* -log p(action): the PG of advantage 1 */
    stats->policy_loss += cfg->imitate ? -logp : -fmin(s1, s2);
    stats->value_loss += (v - ret) * (v - ret);
    stats->entropy += ent;
    stats->approx_kl += t->logp[st_i] - logp;
    stats->clip_frac += fabs(ratio - 1.0) > cfg->clip;
    *n_terms += 1;
    memset(dlogits, 0, sizeof(float) * (size_t)A);
    if (!clipped) pl_gnn_logprob_backward(dlogits, &d, t->action[st_i], (float)(-adv * ratio) * inv);
    if (cfg->ent_coef != 0) pl_gnn_entropy_backward(dlogits, &d, ent, -cfg->ent_coef * inv);
    *dv = 2.0f * cfg->vf_coef * (v - (float)ret) * inv;
    return PL_OK;
}

pl_status pl_ppo_update(const pl_ppo_config *cfg, pl_gnn_net *net, pl_traj *traj, int n,
                        const pl_obs_static *statics, int ndesigns, uint64_t seed, int64_t iteration,
                        pl_ppo_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    pl_ppo_advantages(cfg, traj, n, ndesigns);
    int64_t total = 0;
    int32_t maxn = 1, maxa = 1;
    for (int j = 0; j < n; j++) {
        if (traj[j].greedy) continue;
        total += traj[j].nsteps;
        const pl_obs_static *st = &statics[traj[j].design];
        maxn = st->n > maxn ? st->n : maxn;
        maxa = st->cols * st->rows > maxa ? st->cols * st->rows : maxa;
    }
    stats->samples = total;
    if (total == 0) return PL_OK;
    const int64_t B = cfg->minibatch > 0 && cfg->minibatch < total ? cfg->minibatch : total;
    const int64_t C = pl_gnn_net_chunk(net, (int32_t)B); /* states per network call */
    sample *smp = malloc(sizeof *smp * (size_t)total);
    chunk_buf cb;
    pl_status s = chunk_alloc(&cb, C, maxn, maxa);
    if (s == PL_OK && !smp) s = pl_err(PL_ENOMEM, "train: out of memory for the PPO update");
    int64_t k = 0;
    for (int j = 0; j < n && s == PL_OK; j++)
        if (!traj[j].greedy)
            for (int32_t t = 0; t < traj[j].nsteps; t++) smp[k++] = (sample){j, t};
    double n_terms = 0;
    for (int ep = 0; ep < cfg->epochs && s == PL_OK; ep++) {
        pl_rng rng;
        pl_rng_derive(&rng, seed, PL_PPO_STREAM ^ (uint64_t)iteration, (uint64_t)ep);
        for (int64_t i = total - 1; i > 0; i--) {
            int64_t r = (int64_t)pl_rng_below(&rng, (uint64_t)(i + 1));
            sample tmp = smp[i];
            smp[i] = smp[r], smp[r] = tmp;
        }
        for (int64_t b0 = 0; b0 < total && s == PL_OK; b0 += B) {
            int64_t b1 = b0 + B < total ? b0 + B : total;
            float inv = 1.0f / (float)(b1 - b0);
            s = pl_gnn_net_zero_grad(net);
            for (int64_t c0 = b0; c0 < b1 && s == PL_OK; c0 += C) {
                int32_t nc = (int32_t)(c0 + C < b1 ? C : b1 - c0);
                float *x = cb.x;
                for (int32_t c = 0; c < nc; c++) {
                    const pl_traj *t = &traj[smp[c0 + c].j];
                    const pl_obs_static *st = &statics[t->design];
                    pl_obs_make(&cb.obs[c], st, pl_traj_rec(t, smp[c0 + c].s), x);
                    x += (size_t)st->n * PL_OBS_F;
                }
                s = pl_gnn_net_forward(net, nc, cb.obs, cb.logits, cb.values);
                int64_t off = 0;
                for (int32_t c = 0; c < nc && s == PL_OK; c++) {
                    const pl_traj *t = &traj[smp[c0 + c].j];
                    s = sample_loss(cfg, t, smp[c0 + c].s, &cb.obs[c], cb.logits + off, cb.values[c], cb.probs, inv,
                                    stats, &n_terms, cb.dlogits + off, &cb.dvalues[c]);
                    off += cb.obs[c].cols * cb.obs[c].rows;
                }
                if (s == PL_OK) s = pl_gnn_net_backward(net, nc, cb.obs, cb.dlogits, cb.dvalues);
            }
            float gn = 0;
            if (s == PL_OK) s = pl_gnn_net_adam_step(net, &gn);
            stats->grad_norm += gn;
            stats->updates++;
        }
    }
    if (n_terms > 0) {
        stats->policy_loss /= n_terms, stats->value_loss /= n_terms, stats->entropy /= n_terms;
        stats->approx_kl /= n_terms, stats->clip_frac /= n_terms;
    }
    if (stats->updates) stats->grad_norm /= stats->updates;
    chunk_free(&cb);
    free(smp);
    return s;
}
