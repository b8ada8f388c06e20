/* policy_prior.c: a trained policy as the search's prior; see policy_prior.h. */
#include "search/policy_prior.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"

static void pl_policy_slot_free(pl_policy_slot *sl)
{
    if (!sl) return;
    pl_policy_work_free(&sl->w);
    free(sl->xy);
    free(sl);
}

void pl_policy_prior_free(pl_policy_prior *g)
{
    if (!g || !g->loaded) return;
    for (int i = 0; i < g->nslots; i++) pl_policy_slot_free(g->slot[i]);
    g->nslots = g->nidle = 0;
    if (g->has_design) pl_policy_design_free(&g->d);
    free(g->ref);
    g->ref = NULL;
    g->has_design = 0;
    pl_policy_free(&g->pol);
    pthread_mutex_destroy(&g->lock);
    g->loaded = 0;
}

/* Under the lock: the design view (first call) and an idle slot. */
static pl_status policy_take(pl_policy_prior *g, const pl_prior_state *st, pl_policy_slot **out)
{
    const pl_cost *c = st->cost;
    if (!g->has_design) {
        PL_TRY(pl_policy_design_init(&g->d, c->nl, c->gw * st->cols, c->gh * st->rows, st->cols, st->rows, st->order,
                                     st->nsteps));
        g->has_design = 1;
        g->nl = c->nl;
    } else if (g->nl != c->nl || g->d.nsteps != st->nsteps) {
        return pl_err(PL_EINVAL, "policy %s: one prior serves one design", g->path);
    }
    if (g->nidle > 0) {
        *out = g->idle[--g->nidle];
        return PL_OK;
    }
    if (g->nslots == PL_POLICY_PRIOR_SLOTS) return pl_err(PL_EINVAL, "policy %s: more than %d threads", g->path, PL_POLICY_PRIOR_SLOTS);
    pl_policy_slot *sl = calloc(1, sizeof *sl);
    if (!sl) return pl_err(PL_ENOMEM, "out of memory for the policy");
    sl->xy = malloc(sizeof *sl->xy * 2 * (size_t)(st->nsteps + 1));
    pl_status s = sl->xy ? pl_policy_work_init(&sl->w, &g->d) : pl_err(PL_ENOMEM, "out of memory for the policy");
    if (s != PL_OK) {
        free(sl->xy);
        free(sl);
        return s;
    }
    g->slot[g->nslots++] = sl;
    *out = sl;
    return PL_OK;
}

/* The network's probabilities for st, on a slot taken under the lock (state mode's probs). */
static pl_status network_probs(void *user, const pl_prior_state *st, double *prob)
{
    pl_policy_prior *g = user;
    pl_policy_slot *sl = NULL;
    pthread_mutex_lock(&g->lock);
    pl_status s = policy_take(g, st, &sl);
    pthread_mutex_unlock(&g->lock);
    PL_TRY(s);
    const pl_cost *c = st->cost;
    for (int32_t j = 0; j < st->step; j++) {
        sl->xy[2 * j] = ((double)(st->cells[j] % st->cols) + 0.5) * c->gw;
        sl->xy[2 * j + 1] = ((double)(st->cells[j] / st->cols) + 0.5) * c->gh;
    }
    double mass;
    s = pl_policy_probs(&g->pol, &g->d, &sl->w, st->step, sl->xy, st->mask, prob, &mass);
    atomic_fetch_add(&g->network, 1);
    pthread_mutex_lock(&g->lock);
    g->idle[g->nidle++] = sl;
    pthread_mutex_unlock(&g->lock);
    return s;
}

/* Greedy mode: record step j of the first rollout (cells it could not take: the geometric mean of the others). */
static void record(pl_policy_prior *g, const pl_prior_state *st, const double *prob)
{
    int32_t A = st->cols * st->rows, n = 0;
    float *r = g->ref + (size_t)st->step * (size_t)A;
    double lsum = 0;
    for (int32_t a = 0; a < A; a++)
        if (prob[a] > 0) lsum += log(prob[a]), n++;
    float fill = n ? (float)exp(lsum / n) : 1.0f;
    for (int32_t a = 0; a < A; a++) r[a] = prob[a] > 0 ? (float)prob[a] : fill;
}

static pl_status greedy_probs(void *user, const pl_prior_state *st, double *prob)
{
    pl_policy_prior *g = user;
    int32_t A = st->cols * st->rows;
    pthread_mutex_lock(&g->lock);
    pl_status s = PL_OK;
    if (!g->ref && g->recording) {
        int64_t need = (int64_t)st->nsteps * A;
        if (need > PL_PRIOR_TABLE_MAX || !PL_ALLOC(g->ref, need)) {
            pl_warn("place", "policy %s: no room to record %lld probabilities; the network runs at every state",
                    g->path, (long long)need);
            g->eval = PL_POLICY_EVAL_STATE;
            g->recording = 0;
        }
    }
    int rec = g->recording && !g->busy && st->step == g->nref && st->step < st->nsteps;
    if (!rec) g->recording = 0;
    g->busy |= rec;
    int eval = g->eval;
    int32_t nref = g->nref;
    pthread_mutex_unlock(&g->lock);
    if (eval == PL_POLICY_EVAL_STATE) return network_probs(g, st, prob);
    if (rec) {
        s = network_probs(g, st, prob);
        if (s == PL_OK) record(g, st, prob);
        pthread_mutex_lock(&g->lock);
        if (s == PL_OK) g->nref++;
        else g->recording = 0;
        g->busy = 0;
        pthread_mutex_unlock(&g->lock);
        return s;
    }
    if (st->step < nref) {
        const float *r = g->ref + (size_t)st->step * (size_t)A;
        for (int32_t a = 0; a < A; a++) prob[a] = r[a];
    } else {
        for (int32_t a = 0; a < A; a++) prob[a] = 1;
    }
    return PL_OK;
}

const char *pl_policy_eval_name(pl_policy_eval e) { return e == PL_POLICY_EVAL_STATE ? "state" : "greedy"; }

pl_status pl_policy_prior_init(pl_policy_prior *g, const char *path, double wire_weight, pl_gnn_device device,
                               pl_policy_eval eval)
{
    memset(g, 0, sizeof *g);
    pthread_mutex_init(&g->lock, NULL);
    g->path = path;
    pl_status s = pl_policy_load(&g->pol, path, device);
    if (s != PL_OK) {
        pthread_mutex_destroy(&g->lock);
        return s;
    }
    g->eval = eval;
    g->recording = eval == PL_POLICY_EVAL_GREEDY;
    atomic_init(&g->network, 0);
    pl_prior_mix_init(&g->mix, eval == PL_POLICY_EVAL_GREEDY ? greedy_probs : network_probs, g, path);
    g->mix.wire_weight = wire_weight;
    g->mix.first_alone = eval == PL_POLICY_EVAL_GREEDY;
    g->loaded = 1;
    return PL_OK;
}
