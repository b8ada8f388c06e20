/* train.c: the training loop (see train.h). */
#include "rl/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "gnn/ckpt.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "rl/imitate.h"
#include "rl/jsonlog.h"
#include "rl/mpi_seed.h"

void pl_train_config_default(pl_train_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->iterations = 10;
    cfg->episodes = 32;
    cfg->ckpt_every = 1;
    cfg->slots = 2;
    cfg->mpi_timeout = 600;
    cfg->seed = 1;
    cfg->greedy_eval = 1;
    cfg->device = PL_GNN_DEVICE_CPU;
    pl_ppo_config_default(&cfg->ppo);
    pl_gnn_config_default(&cfg->gnn);
    pl_env_config_default(&cfg->env);
}

void pl_train_result_free(pl_train_result *r)
{
    if (!r) return;
    free(r->greedy), free(r->names);
    memset(r, 0, sizeof *r);
}

static double now_s(void)
{
    return pl_clock_seconds();
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Model and Adam: fresh, from --init (parameters), or from the checkpoint being resumed. */
static pl_status setup_model(const pl_train_config *cfg, pl_gnn_model *m, pl_gnn_adam *adam, int64_t *start,
                             uint64_t *seed)
{
    *start = 0;
    *seed = cfg->seed;
    pl_gnn_config gc = cfg->gnn;
    uint64_t ck_seed = 0, step = 0;
    const char *from = NULL;
    if (cfg->resume && file_exists(cfg->out)) from = cfg->out;
    else if (cfg->resume) pl_warn("train", "--resume: %s does not exist yet, starting afresh", cfg->out);
    if (!from && cfg->init) from = cfg->init;
    if (from) PL_TRY(pl_gnn_ckpt_peek(from, &gc, &ck_seed, &step));
    if (gc.node_feats != PL_OBS_F || gc.meta_feats != PL_OBS_M)
        return pl_err(PL_EINVAL, "train: the network takes %d node features and %d metadata, the environment gives %d and %d",
                      (int)gc.node_feats, (int)gc.meta_feats, PL_OBS_F, PL_OBS_M);
    if (from && from == cfg->out) {
        if (ck_seed != cfg->seed)
            pl_info("train", "resuming with the checkpoint's seed %llu", (unsigned long long)ck_seed);
        *seed = ck_seed;
    }
    PL_TRY(pl_gnn_model_init(m, &gc, *seed));
    if (!from && gc.side) m->params.side_w[0] = (float)(cfg->side_init / PL_GNN_SIDE_SCALE);
    PL_TRY(pl_gnn_adam_init(adam, &cfg->ppo.adam, m->nparams));
    if (from == cfg->out && from) {
        PL_TRY(pl_gnn_ckpt_read(from, m, adam, &step));
        *start = (int64_t)step;
        pl_info("train", "resumed from %s at iteration %llu", from, (unsigned long long)step);
    } else if (from) {
        PL_TRY(pl_gnn_ckpt_read(from, m, NULL, NULL));
        m->seed = *seed;
        pl_info("train", "fine-tuning from %s", from);
    }
    m->seed = *seed;
    return PL_OK;
}

/* The checkpoint (model + Adam, step) from the network's device. */
static pl_status checkpoint(const pl_train_config *cfg, pl_gnn_net *net, uint64_t step)
{
    PL_TRY(pl_gnn_net_sync(net));
    return pl_gnn_ckpt_write(cfg->out, net->m, net->adam, step);
}

static pl_status collect(pl_rollout *ro, pl_seed_learner *L)
{
    return L->nact > 0 ? pl_seed_collect(L, ro) : pl_rollout_local(ro);
}

static void seed_config(const pl_train_config *cfg, pl_seed_config *sc)
{
    pl_seed_config_default(sc);
    sc->slots = cfg->slots;
    sc->timeout_s = cfg->mpi_timeout;
}

typedef struct iter_stats {
    double reward_mean, reward_best, proxy_mean, proxy_best, wl, den, cong;
    int feasible, infeasible;
} iter_stats;

static void summarise(const pl_rollout *ro, int d, iter_stats *s)
{
    memset(s, 0, sizeof *s);
    s->reward_best = s->proxy_best = NAN;
    int n = 0;
    for (int j = 0; j < ro->ntraj; j++) {
        const pl_traj *t = &ro->traj[j];
        if (d >= 0 && t->design != d) continue;
        n++;
        s->reward_mean += t->res.return_sum;
        if (!(t->res.return_sum <= s->reward_best)) s->reward_best = t->res.return_sum;
        if (t->res.infeasible) {
            s->infeasible++;
            continue;
        }
        s->feasible++;
        s->proxy_mean += t->res.terms.proxy_cost;
        s->wl += t->res.terms.wirelength_cost, s->den += t->res.terms.density_cost, s->cong += t->res.terms.congestion_cost;
        if (!(t->res.terms.proxy_cost >= s->proxy_best)) s->proxy_best = t->res.terms.proxy_cost;
    }
    if (n) s->reward_mean /= n;
    if (s->feasible) s->proxy_mean /= s->feasible, s->wl /= s->feasible, s->den /= s->feasible, s->cong /= s->feasible;
    else s->proxy_mean = s->wl = s->den = s->cong = NAN;
}

static void kv(json_object *o, const char *k, double v)
{
    json_object_object_add(o, k, pl_json_num(v));
}

/* One log line (core/json.h), flushed so that a killed run keeps the iterations it finished. */
static pl_status write_log(FILE *fp, int64_t it, uint64_t seed, const pl_gnn_net *net, const pl_rollout *ro,
                           const pl_suite *suite, const pl_ppo_stats *ps, double t_roll, double t_upd, int actors)
{
    iter_stats s;
    summarise(ro, -1, &s);
    json_object *o = json_object_new_object(), *designs = json_object_new_array();
    json_object_object_add(o, "iteration", json_object_new_int64(it));
    json_object_object_add(o, "seed", json_object_new_uint64(seed));
    json_object_object_add(o, "device", pl_json_str(pl_gnn_net_device(net)));
    json_object_object_add(o, "episodes", json_object_new_int(ro->ntraj));
    kv(o, "prior_wire", ro->cfg.prior_wire);
    json_object_object_add(o, "steps", json_object_new_int64(ro->steps));
    kv(o, "reward_mean", s.reward_mean), kv(o, "reward_best", s.reward_best);
    kv(o, "proxy_mean", s.proxy_mean), kv(o, "proxy_best", s.proxy_best);
    kv(o, "wirelength_cost", s.wl), kv(o, "density_cost", s.den), kv(o, "congestion_cost", s.cong);
    kv(o, "infeasible", s.infeasible);
    kv(o, "entropy", ps->entropy), kv(o, "policy_loss", ps->policy_loss), kv(o, "value_loss", ps->value_loss);
    kv(o, "approx_kl", ps->approx_kl), kv(o, "clip_frac", ps->clip_frac), kv(o, "grad_norm", ps->grad_norm);
    kv(o, "updates", ps->updates);
    kv(o, "steps_per_s", t_roll > 0 ? (double)ro->steps / t_roll : NAN);
    kv(o, "episodes_per_s", t_roll > 0 ? ro->ntraj / t_roll : NAN);
    kv(o, "rollout_s", t_roll), kv(o, "update_s", t_upd), kv(o, "actors", actors);
    json_object_object_add(o, "designs", designs);
    for (int d = 0; d < suite->n; d++) {
        summarise(ro, d, &s);
        json_object *e = json_object_new_object();
        json_object_object_add(e, "name", pl_json_str(ro->have_st[d] ? ro->st[d].name : suite->src[d].path));
        kv(e, "reward_mean", s.reward_mean), kv(e, "proxy_mean", s.proxy_mean), kv(e, "proxy_best", s.proxy_best);
        json_object_array_add(designs, e);
    }
    pl_status st = pl_json_write(fp, o, PL_JSON_LINE);
    json_object_put(o);
    fflush(fp);
    return st;
}

/* The expert trajectory of every design that has an expert, built once in this process. */
static pl_status experts_build(pl_rollout *ro, const pl_suite *suite, pl_traj **out, int *n)
{
    *n = 0;
    if (!PL_CALLOC(*out, suite->n)) return pl_err(PL_ENOMEM, "train: out of memory");
    for (int d = 0; d < suite->n; d++) {
        if (!suite->src[d].expert) continue;
        pl_env *e;
        pl_traj *t = &(*out)[(*n)++];
        pl_traj_init(t);
        PL_TRY(pl_rollout_env(ro, d, &e));
        PL_TRY(pl_imitate_trajectory(e, &suite->src[d], suite->src[d].expert, d, t, NULL));
    }
    if (*n == 0) return pl_err(PL_EINVAL, "train: imitation iterations, but no design has an expert (--expert)");
    return PL_OK;
}

static pl_status write_imitation_log(FILE *fp, int64_t it, uint64_t seed, const pl_gnn_net *net, const pl_traj *ex,
                                     int n, const pl_ppo_stats *ps, double t_upd)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "iteration", json_object_new_int64(it));
    json_object_object_add(o, "seed", json_object_new_uint64(seed));
    json_object_object_add(o, "device", pl_json_str(pl_gnn_net_device(net)));
    json_object_object_add(o, "imitation", json_object_new_boolean(1));
    json_object_object_add(o, "experts", json_object_new_int(n));
    double proxy = 0;
    for (int j = 0; j < n; j++) proxy += ex[j].res.terms.proxy_cost / n;
    kv(o, "expert_proxy_mean", proxy);
    kv(o, "nll", ps->policy_loss), kv(o, "entropy", ps->entropy), kv(o, "grad_norm", ps->grad_norm);
    kv(o, "updates", ps->updates), kv(o, "samples", (double)ps->samples), kv(o, "update_s", t_upd);
    pl_status st = pl_json_write(fp, o, PL_JSON_LINE);
    json_object_put(o);
    fflush(fp);
    return st;
}

pl_status pl_train_run(const pl_train_config *cfg, const pl_suite *suite, pl_train_result *res)
{
    memset(res, 0, sizeof *res);
    if (suite->n < 1) return pl_err(PL_EINVAL, "train: no design to train on");
    if (!cfg->out) return pl_err(PL_EINVAL, "train: no output checkpoint (-o POLICY.ckpt)");
    if (cfg->episodes < 1 || cfg->iterations < 0 || cfg->ckpt_every < 1 || cfg->slots < 1)
        return pl_err(PL_EINVAL, "train: episodes, checkpoint interval and slots must be >= 1, iterations >= 0");
    pl_seed_config sc;
    seed_config(cfg, &sc);
    pl_seed_learner L;
    PL_TRY(pl_seed_learner_init(&L, &sc));
    pl_gnn_model m;
    pl_gnn_adam adam;
    memset(&m, 0, sizeof m), memset(&adam, 0, sizeof adam);
    pl_rollout ro;
    memset(&ro, 0, sizeof ro);
    pl_gnn_net net;
    memset(&net, 0, sizeof net);
    FILE *log = NULL;
    int32_t *designs = malloc(sizeof *designs * (size_t)(cfg->episodes > suite->n ? cfg->episodes : suite->n));
    int64_t start = 0;
    uint64_t seed = cfg->seed;
    pl_status s = designs ? PL_OK : pl_err(PL_ENOMEM, "train: out of memory");
    if (s == PL_OK) s = setup_model(cfg, &m, &adam, &start, &seed);
    if (s == PL_OK) s = pl_gnn_net_init(&net, cfg->device == PL_GNN_DEVICE_CUDA ? PL_GNN_DEVICE_CUDA : PL_GNN_DEVICE_CPU,
                                        &m, &adam);
    if (s == PL_OK) {
        pl_rollout_config rc = {suite->src, suite->n, cfg->env, seed, cfg->ppo.prior_wire};
        s = pl_rollout_init(&ro, &rc, &net);
    }
    if (s == PL_OK) res->device = pl_gnn_net_device(&net);
    if (s == PL_OK && cfg->log) {
        if (start > 0) s = pl_jsonlog_trim(cfg->log, start);
        log = s == PL_OK ? fopen(cfg->log, start > 0 ? "ab" : "wb") : NULL;
        if (s == PL_OK && !log) s = pl_err(PL_EIO, "train: cannot write log %s", cfg->log);
    }
    double steps_total = 0, eps_total = 0, t_total = 0;
    res->best_reward = -INFINITY;
    res->iterations_done = start;
    pl_traj *ex = NULL;
    int nex = 0;
    if (s == PL_OK && cfg->imitate > start && start < cfg->iterations) s = experts_build(&ro, suite, &ex, &nex);
    for (int64_t it = start; it < cfg->iterations && s == PL_OK; it++) {
        if (it < cfg->imitate) {
            pl_ppo_config ic = cfg->ppo;
            ic.imitate = 1;
            pl_ppo_stats ps;
            double t0 = now_s();
            s = pl_ppo_update(&ic, &net, ex, nex, ro.st, suite->n, seed, it, &ps);
            if (s == PL_OK && log) s = write_imitation_log(log, it + 1, seed, &net, ex, nex, &ps, now_s() - t0);
            if (s != PL_OK) break;
            pl_note("train", "iteration %lld/%d (imitation of %d experts): -log p %.4f, entropy %.3f", (long long)(it + 1),
                    cfg->iterations, nex, ps.policy_loss, ps.entropy);
            res->iterations_done = it + 1;
            if ((it + 1) % cfg->ckpt_every == 0 || it + 1 == cfg->iterations)
                s = checkpoint(cfg, &net, (uint64_t)(it + 1));
            continue;
        }
        pl_suite_schedule(suite, cfg->episodes, designs);
        s = pl_rollout_begin(&ro, designs, cfg->episodes, it * cfg->episodes, 0);
        double t0 = now_s();
        if (s == PL_OK) s = collect(&ro, &L);
        double t1 = now_s();
        pl_ppo_stats ps;
        memset(&ps, 0, sizeof ps);
        if (s == PL_OK) s = pl_ppo_update(&cfg->ppo, &net, ro.traj, ro.ntraj, ro.st, suite->n, seed, it, &ps);
        double t2 = now_s();
        if (s != PL_OK) break;
        steps_total += (double)ro.steps, eps_total += ro.ntraj, t_total += t1 - t0;
        iter_stats is;
        summarise(&ro, -1, &is);
        res->last_reward_mean = is.reward_mean;
        if (is.reward_best > res->best_reward) res->best_reward = is.reward_best;
        if (log && (s = write_log(log, it + 1, seed, &net, &ro, suite, &ps, t1 - t0, t2 - t1, pl_seed_actors(&L))) != PL_OK)
            break;
        pl_note("train", "iteration %lld/%d: reward mean %.4f best %.4f, entropy %.3f, %.0f steps/s",
                (long long)(it + 1), cfg->iterations, is.reward_mean, is.reward_best, ps.entropy,
                t1 > t0 ? (double)ro.steps / (t1 - t0) : 0.0); /* one line per iteration; -q: none */
        res->iterations_done = it + 1;
        if ((it + 1) % cfg->ckpt_every == 0 || it + 1 == cfg->iterations) s = checkpoint(cfg, &net, (uint64_t)(it + 1));
    }
    /* no iteration ran: the network as set up, unless it is the resumed checkpoint itself (--force with
     * --iterations 0 replaces the file, as it would after any iteration) */
    if (s == PL_OK && start >= cfg->iterations && !(cfg->resume && file_exists(cfg->out)))
        s = checkpoint(cfg, &net, (uint64_t)start);
    res->steps_per_s = t_total > 0 ? steps_total / t_total : 0;
    res->episodes_per_s = t_total > 0 ? eps_total / t_total : 0;
    if (s == PL_OK && cfg->greedy_eval) {
        res->ndesigns = suite->n;
        res->greedy = calloc((size_t)suite->n, sizeof *res->greedy);
        res->names = calloc((size_t)suite->n, sizeof *res->names);
        if (!res->greedy || !res->names) s = pl_err(PL_ENOMEM, "train: out of memory");
        for (int d = 0; d < suite->n && s == PL_OK; d++) designs[d] = d;
        if (s == PL_OK) s = pl_rollout_begin(&ro, designs, suite->n, -1 - suite->n, 1);
        if (s == PL_OK) s = collect(&ro, &L);
        for (int d = 0; d < suite->n && s == PL_OK; d++) {
            res->greedy[d] = ro.traj[d].res;
            snprintf(res->names[d], PL_OBS_NAME, "%s", ro.have_st[d] ? ro.st[d].name : "");
        }
    }
    if (log && fclose(log) != 0 && s == PL_OK) s = pl_err(PL_EIO, "train: cannot write log %s", cfg->log);
    res->actors_lost = L.nlost;
    if (L.nact > 0) { /* after an error too, so that no actor waits for a learner that is gone */
        pl_status s2 = pl_seed_stop(&L);
        if (s == PL_OK) s = s2;
    }
    pl_seed_learner_free(&L);
    for (int j = 0; j < nex; j++) pl_traj_free(&ex[j]);
    free(ex);
    free(designs);
    pl_rollout_free(&ro);
    pl_gnn_net_free(&net);
    pl_gnn_adam_free(&adam);
    pl_gnn_model_free(&m);
    return s;
}

pl_status pl_train_actor(const pl_train_config *cfg, const pl_suite *suite, int *peers_lost)
{
    pl_seed_config sc;
    seed_config(cfg, &sc);
    return pl_seed_actor(suite->src, suite->n, &cfg->env, &sc, peers_lost);
}
