/* bench_gnn.c: CPU timings of the GNN policy/value network on an Ariane-size random graph
 * (1,000 nodes, 10,000 edges, 35 x 33 grid), default configuration, OpenBLAS on one thread.
 *   bench gnn_forward device=cpu batch=1 ... median_ms=...   (one state; target 2 ms on one core)
 *   bench gnn_forward device=cpu batch=32 ... median_ms=...  (32 states, whole batch)
 *   bench gnn_train_step device=cpu batch=32 ... median_ms=... (forward + log-prob/entropy/value
 *                                                             backward per state, then one Adam step) */
#include <stdio.h>
#include <time.h>

#include "gnn/adam.h"
#include "gnn/ops.h"
#include "tests/gnn/fixture.h"

#ifdef PL_HAVE_OPENBLAS
#include <cblas.h>
#include "tests/bench/benchutil.h"
#endif

enum { NODES = 1000, EDGES = 10000, COLS = 35, ROWS = 33, B = 32 };

/* One PPO-like sample: forward, sample an action, backward of -logp - 0.01 entropy + value^2 / 2. */
static pl_status train_one(pl_gnn_model *m, pl_gnn_work *w, const pl_gnn_obs *obs, float *logits, float *probs,
                           float *dlogits, pl_rng *rng)
{
    float value, logp;
    int32_t act;
    const int32_t A = obs->cols * obs->rows;
    PL_TRY(pl_gnn_forward(m, w, obs, logits, &value));
    pl_gnn_dist d = {logits, obs->mask, probs, 0.0, A};
    PL_TRY(pl_gnn_softmax_masked_forward(&d));
    PL_TRY(pl_gnn_sample(&d, rng, &act));
    PL_TRY(pl_gnn_logprob_forward(&d, act, &logp));
    const float ent = pl_gnn_entropy_forward(&d);
    memset(dlogits, 0, (size_t)A * sizeof *dlogits);
    pl_gnn_logprob_backward(dlogits, &d, act, -1.0f / B);
    pl_gnn_entropy_backward(dlogits, &d, ent, -0.01f / B);
    return pl_gnn_backward(m, w, obs, dlogits, value / B);
}

static int run(void)
{
    pl_gnn_config cfg;
    pl_gnn_config_default(&cfg);
    gnn_fixture fx[B];
    for (int b = 0; b < B; b++) {
        gnn_spec s = {NODES, EDGES, COLS, ROWS, 1234, 0.7, 20, 0.02, 0};
        s.seed += (uint64_t)b;
        if (gnn_fixture_make(&fx[b], &cfg, &s) != PL_OK) return 1;
    }
    pl_gnn_obs obs[B];
    for (int b = 0; b < B; b++) obs[b] = fx[b].obs;
    pl_gnn_model m;
    pl_gnn_work w;
    pl_gnn_adam adam;
    pl_gnn_adam_config acfg;
    pl_gnn_adam_config_default(&acfg);
    pl_gnn_work_init(&w);
    if (pl_gnn_model_init(&m, &cfg, 1) != PL_OK || pl_gnn_adam_init(&adam, &acfg, m.nparams) != PL_OK) return 1;
    const int A = COLS * ROWS;
    float *logits = malloc(sizeof *logits * (size_t)A * B), *values = malloc(sizeof *values * B);
    float *probs = malloc(sizeof *probs * (size_t)A), *dlogits = malloc(sizeof *dlogits * (size_t)A);
    char shape[256];
    snprintf(shape, sizeof shape, "nodes=%d edges=%d grid=%dx%d hidden=%d layers=%d head=%s params=%zu", NODES, EDGES,
             COLS, ROWS, cfg.hidden, cfg.layers, cfg.head == PL_GNN_HEAD_CONV ? "conv" : "deconv", m.nparams);
    enum { RUNS1 = 301, RUNS32 = 21, RUNST = 11 };
    static double ts[RUNS1];
    pl_status st = PL_OK;
    for (int i = 0; i < 20 && st == PL_OK; i++) st = pl_gnn_forward(&m, &w, &obs[0], logits, values);
    for (int i = 0; i < RUNS1 && st == PL_OK; i++) {
        double t0 = now_s();
        st = pl_gnn_forward(&m, &w, &obs[i % B], logits, values);
        ts[i] = now_s() - t0;
    }
    const double ms1 = median(ts, RUNS1) * 1e3;
    printf("bench gnn_forward device=cpu batch=1 %s median_ms=%.4f runs=%d target_ms=2 ratio=%.3f\n", shape, ms1,
           RUNS1, ms1 / 2.0);
    for (int i = 0; i < RUNS32 && st == PL_OK; i++) {
        double t0 = now_s();
        st = pl_gnn_forward_batch(&m, &w, B, obs, logits, values);
        ts[i] = now_s() - t0;
    }
    const double ms32 = median(ts, RUNS32) * 1e3;
    printf("bench gnn_forward device=cpu batch=%d %s median_ms=%.4f runs=%d per_state_ms=%.4f\n", B, shape, ms32,
           RUNS32, ms32 / B);
    pl_rng rng;
    pl_rng_seed(&rng, 7);
    for (int i = 0; i < RUNST && st == PL_OK; i++) {
        double t0 = now_s();
        pl_gnn_model_zero_grad(&m);
        for (int b = 0; b < B && st == PL_OK; b++) st = train_one(&m, &w, &obs[b], logits, probs, dlogits, &rng);
        if (st == PL_OK) st = pl_gnn_adam_step(&adam, m.params_mem, m.grads_mem, NULL);
        ts[i] = now_s() - t0;
    }
    const double mst = median(ts, RUNST) * 1e3;
    printf("bench gnn_train_step device=cpu batch=%d %s median_ms=%.4f runs=%d per_state_ms=%.4f\n", B, shape, mst,
           RUNST, mst / B);
    if (st != PL_OK) fprintf(stderr, "bench_gnn: %s\n", pl_errmsg());
    free(logits), free(values), free(probs), free(dlogits);
    for (int b = 0; b < B; b++) gnn_fixture_free(&fx[b]);
    pl_gnn_adam_free(&adam);
    pl_gnn_work_free(&w);
    pl_gnn_model_free(&m);
    return st == PL_OK ? 0 : 1;
}

int main(void)
{
#ifdef PL_HAVE_OPENBLAS
    openblas_set_num_threads(1); /* the 2 ms target is for one core */
#endif
    return run();
}
