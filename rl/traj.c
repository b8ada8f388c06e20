/* traj.c: trajectory storage (see traj.h). */
#include "rl/traj.h"

#include <stdlib.h>
#include <string.h>

void pl_traj_init(pl_traj *t) { memset(t, 0, sizeof *t); }

void pl_traj_free(pl_traj *t)
{
    if (!t) return;
    free(t->recs), free(t->action), free(t->logp), free(t->value), free(t->reward), free(t->ret), free(t->adv);
    memset(t, 0, sizeof *t);
}

void pl_traj_clear(pl_traj *t, int64_t episode, int32_t design, size_t rec_bytes, int greedy)
{
    if (rec_bytes != t->rec_bytes) {
        free(t->recs);
        t->recs = NULL;
        t->cap = 0;
        free(t->action), free(t->logp), free(t->value), free(t->reward), free(t->ret), free(t->adv);
        t->action = NULL, t->logp = t->value = t->reward = t->ret = t->adv = NULL;
    }
    t->episode = episode, t->design = design, t->rec_bytes = rec_bytes, t->greedy = greedy;
    t->nsteps = 0;
    t->done = 0;
    memset(&t->res, 0, sizeof t->res);
}

pl_status pl_traj_push(pl_traj *t, const void *rec, int32_t action, float logp, float value)
{
    if (t->nsteps == t->cap) {
        int32_t nc = t->cap ? 2 * t->cap : 16;
        void *r = realloc(t->recs, t->rec_bytes * (size_t)nc);
        if (!r) return pl_err(PL_ENOMEM, "train: out of memory for trajectories");
        t->recs = r;
        float **fa[6] = {&t->logp, &t->value, &t->reward, &t->ret, &t->adv, NULL};
        for (int k = 0; fa[k]; k++) {
            float *p = realloc(*fa[k], sizeof(float) * (size_t)nc);
            if (!p) return pl_err(PL_ENOMEM, "train: out of memory for trajectories");
            *fa[k] = p;
        }
        int32_t *a = realloc(t->action, sizeof(int32_t) * (size_t)nc);
        if (!a) return pl_err(PL_ENOMEM, "train: out of memory for trajectories");
        t->action = a;
        t->cap = nc;
    }
    memcpy(t->recs + t->rec_bytes * (size_t)t->nsteps, rec, t->rec_bytes);
    t->action[t->nsteps] = action;
    t->logp[t->nsteps] = logp;
    t->value[t->nsteps] = value;
    t->reward[t->nsteps] = 0;
    t->ret[t->nsteps] = t->adv[t->nsteps] = 0;
    t->nsteps++;
    return PL_OK;
}

const void *pl_traj_rec(const pl_traj *t, int32_t step) { return t->recs + t->rec_bytes * (size_t)step; }
