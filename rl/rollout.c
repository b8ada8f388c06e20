/* rollout.c: central inference and local collection (see rollout.h). */
#include "rl/rollout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnn/ops.h"

pl_status pl_rollout_init(pl_rollout *ro, const pl_rollout_config *cfg, pl_gnn_net *net)
{
    memset(ro, 0, sizeof *ro);
    ro->cfg = *cfg;
    ro->net = net;
    int n = cfg->ndesigns > 0 ? cfg->ndesigns : 1;
    ro->st = calloc((size_t)n, sizeof *ro->st);
    ro->have_st = calloc((size_t)n, 1);
    ro->env = calloc((size_t)n, sizeof *ro->env);
    ro->have_env = calloc((size_t)n, 1);
    if (!ro->st || !ro->have_st || !ro->env || !ro->have_env) {
        pl_rollout_free(ro);
        return pl_err(PL_ENOMEM, "train: out of memory");
    }
    return PL_OK;
}

void pl_rollout_free(pl_rollout *ro)
{
    if (!ro) return;
    for (int d = 0; d < ro->cfg.ndesigns; d++) {
        if (ro->have_st && ro->have_st[d]) pl_obs_static_free(&ro->st[d]);
        if (ro->have_env && ro->have_env[d]) pl_env_free(&ro->env[d]);
    }
    for (int j = 0; j < ro->traj_cap; j++) pl_traj_free(&ro->traj[j]);
    free(ro->st), free(ro->have_st), free(ro->env), free(ro->have_env), free(ro->traj), free(ro->rng);
    free(ro->x), free(ro->logits), free(ro->probs), free(ro->values), free(ro->obs);
    memset(ro, 0, sizeof *ro);
}

pl_status pl_rollout_begin(pl_rollout *ro, const int32_t *designs, int M, int64_t first, int greedy)
{
    if (M > ro->traj_cap) {
        pl_traj *t = realloc(ro->traj, sizeof *t * (size_t)M);
        if (!t) return pl_err(PL_ENOMEM, "train: out of memory");
        ro->traj = t;
        for (int j = ro->traj_cap; j < M; j++) pl_traj_init(&ro->traj[j]);
        ro->traj_cap = M;
        pl_rng *r = realloc(ro->rng, sizeof *r * (size_t)M);
        if (!r) return pl_err(PL_ENOMEM, "train: out of memory");
        ro->rng = r;
    }
    for (int j = 0; j < M; j++) {
        if (designs[j] < 0 || designs[j] >= ro->cfg.ndesigns)
            return pl_err(PL_EINVAL, "train: episode %d asks for design %d of %d", j, (int)designs[j],
                          ro->cfg.ndesigns);
        pl_traj_clear(&ro->traj[j], first + j, designs[j], ro->traj[j].rec_bytes, greedy);
        pl_rng_derive(&ro->rng[j], ro->cfg.seed, PL_ROLLOUT_STREAM, (uint64_t)(first + j));
    }
    ro->ntraj = M;
    ro->steps = 0;
    return PL_OK;
}

pl_status pl_rollout_set_static(pl_rollout *ro, int32_t d, pl_obs_static *st)
{
    if (d < 0 || d >= ro->cfg.ndesigns) return pl_err(PL_EINVAL, "train: static part for unknown design %d", (int)d);
    if (ro->have_st[d]) {
        pl_obs_static_free(st);
        return PL_OK;
    }
    ro->st[d] = *st;
    memset(st, 0, sizeof *st);
    ro->have_st[d] = 1;
    return PL_OK;
}

static pl_status grow(float **p, size_t *cap, size_t need)
{
    if (need <= *cap) return PL_OK;
    float *q = realloc(*p, sizeof(float) * need);
    if (!q) return pl_err(PL_ENOMEM, "train: out of memory");
    *p = q;
    *cap = need;
    return PL_OK;
}

/* Episode j's observation rec: its trajectory made ready for it (reward of the previous action stored)
 * and its static part. */
static pl_status act_prepare(pl_rollout *ro, int j, double prev_reward, const pl_obs_static **out)
{
    pl_traj *t = &ro->traj[j];
    if (!ro->have_st[t->design]) return pl_err(PL_EINVAL, "train: observation before design %d's static part", (int)t->design);
    const pl_obs_static *st = &ro->st[t->design];
    size_t rb = pl_obs_rec_bytes(st->nhard, st->cols * st->rows);
    if (t->rec_bytes != rb) pl_traj_clear(t, t->episode, t->design, rb, t->greedy);
    if (t->nsteps > 0) t->reward[t->nsteps - 1] = (float)prev_reward;
    *out = st;
    return PL_OK;
}

/* Episode j's action from the network's logits (A) and value: drawn from its own stream (argmax when
 * greedy) and stored with the step. */
static pl_status act_decide(pl_rollout *ro, int j, const void *rec, const pl_gnn_obs *o, float *logits, float value,
                            int32_t *action)
{
    pl_traj *t = &ro->traj[j];
    pl_obs_prior_bias(logits, o, ro->cfg.prior_wire);
    pl_gnn_dist d = {logits, o->mask, ro->probs, 0, o->cols * o->rows};
    PL_TRY(pl_gnn_softmax_masked_forward(&d));
    int32_t a;
    if (t->greedy) PL_TRY(pl_gnn_argmax(&d, &a));
    else PL_TRY(pl_gnn_sample(&d, &ro->rng[j], &a));
    float logp;
    PL_TRY(pl_gnn_logprob_forward(&d, a, &logp));
    PL_TRY(pl_traj_push(t, rec, a, logp, value));
    ro->steps++;
    *action = a;
    return PL_OK;
}

/* Grows the buffers for n observations of up to N nodes and A cells each. */
static pl_status act_buffers(pl_rollout *ro, int n, size_t N, size_t A)
{
    PL_TRY(grow(&ro->x, &ro->x_cap, (size_t)n * N * PL_OBS_F));
    PL_TRY(grow(&ro->logits, &ro->l_cap, (size_t)n * A));
    PL_TRY(grow(&ro->probs, &ro->a_cap, A));
    if (n > ro->b_cap) {
        float *v = realloc(ro->values, sizeof *v * (size_t)n);
        if (v) ro->values = v;
        pl_gnn_obs *o = realloc(ro->obs, sizeof *o * (size_t)n);
        if (o) ro->obs = o;
        if (!v || !o) return pl_err(PL_ENOMEM, "train: out of memory");
        ro->b_cap = n;
    }
    return PL_OK;
}

pl_status pl_rollout_act_batch(pl_rollout *ro, int n, const int *j, const void *const *rec, const double *prev_reward,
                               int32_t *action)
{
    const int C = pl_gnn_net_chunk(ro->net, n);
    for (int c0 = 0; c0 < n; c0 += C) {
        int nc = c0 + C < n ? C : n - c0;
        size_t maxn = 1, maxa = 1;
        for (int c = 0; c < nc; c++) {
            const pl_obs_static *st = NULL;
            PL_TRY(act_prepare(ro, j[c0 + c], prev_reward[c0 + c], &st));
            maxn = (size_t)st->n > maxn ? (size_t)st->n : maxn;
            maxa = (size_t)(st->cols * st->rows) > maxa ? (size_t)(st->cols * st->rows) : maxa;
        }
        PL_TRY(act_buffers(ro, nc, maxn, maxa));
        for (int c = 0; c < nc; c++)
            pl_obs_make(&ro->obs[c], &ro->st[ro->traj[j[c0 + c]].design], rec[c0 + c], ro->x + (size_t)c * maxn * PL_OBS_F);
        PL_TRY(pl_gnn_net_forward(ro->net, nc, ro->obs, ro->logits, ro->values));
        float *lg = ro->logits;
        for (int c = 0; c < nc; c++) {
            PL_TRY(act_decide(ro, j[c0 + c], rec[c0 + c], &ro->obs[c], lg, ro->values[c], &action[c0 + c]));
            lg += ro->obs[c].cols * ro->obs[c].rows;
        }
    }
    return PL_OK;
}

pl_status pl_rollout_act(pl_rollout *ro, int j, const void *rec, double prev_reward, int32_t *action)
{
    return pl_rollout_act_batch(ro, 1, &j, &rec, &prev_reward, action);
}

void pl_rollout_end(pl_rollout *ro, int j, double last_reward, const pl_env_result *res)
{
    pl_traj *t = &ro->traj[j];
    if (t->nsteps > 0) t->reward[t->nsteps - 1] = (float)last_reward;
    t->res = *res;
    t->done = 1;
}

pl_status pl_rollout_env(pl_rollout *ro, int32_t d, pl_env **out)
{
    if (!ro->have_env[d]) {
        pl_status s = pl_env_init(&ro->env[d], &ro->cfg.sources[d], &ro->cfg.env);
        if (s != PL_OK) {
            pl_env_free(&ro->env[d]);
            return s;
        }
        ro->have_env[d] = 1;
    }
    if (!ro->have_st[d]) {
        /* a copy of the environment's static part, as an actor would send it */
        pl_obs_static *es = &ro->env[d].st;
        size_t n = pl_obs_static_bytes(es);
        void *buf = malloc(n);
        if (!buf) return pl_err(PL_ENOMEM, "train: out of memory");
        pl_obs_static_pack(es, buf);
        pl_obs_static s;
        pl_status st = pl_obs_static_unpack(&s, buf, n);
        free(buf);
        PL_TRY(st);
        PL_TRY(pl_rollout_set_static(ro, d, &s));
    }
    *out = &ro->env[d];
    return PL_OK;
}

void pl_rollout_restart(pl_rollout *ro, int j)
{
    pl_traj *t = &ro->traj[j];
    ro->steps -= t->nsteps;
    pl_traj_clear(t, t->episode, t->design, t->rec_bytes, t->greedy);
    pl_rng_derive(&ro->rng[j], ro->cfg.seed, PL_ROLLOUT_STREAM, (uint64_t)t->episode);
}

/* Episode j from its start to its end in this process; *rec is a work buffer of *rec_cap bytes. */
static pl_status run_episode(pl_rollout *ro, int j, void **rec, size_t *rec_cap)
{
    pl_env *e = NULL;
    PL_TRY(pl_rollout_env(ro, ro->traj[j].design, &e));
    PL_TRY(pl_env_reset(e));
    size_t rb = pl_env_rec_bytes(e);
    if (rb > *rec_cap) {
        free(*rec);
        *rec = malloc(rb);
        *rec_cap = *rec ? rb : 0;
        if (!*rec) return pl_err(PL_ENOMEM, "train: out of memory");
    }
    double r = 0;
    while (!e->done) {
        int32_t a;
        int done;
        pl_env_observe(e, *rec);
        PL_TRY(pl_rollout_act(ro, j, *rec, r, &a));
        PL_TRY(pl_env_step(e, a, &r, &done));
    }
    pl_rollout_end(ro, j, r, &e->res);
    return PL_OK;
}

pl_status pl_rollout_local_episode(pl_rollout *ro, int j)
{
    void *rec = NULL;
    size_t rec_cap = 0;
    pl_status s = run_episode(ro, j, &rec, &rec_cap);
    free(rec);
    return s;
}

pl_status pl_rollout_local(pl_rollout *ro)
{
    void *rec = NULL;
    size_t rec_cap = 0;
    pl_status s = PL_OK;
    for (int j = 0; j < ro->ntraj && s == PL_OK; j++) s = run_episode(ro, j, &rec, &rec_cap);
    free(rec);
    return s;
}
