/* bench_gnn_cuda.c: GPU timings of the GNN policy/value network (gnn/gpu.h) on bench_gnn.c's Ariane-size
 * random states (1,000 nodes, 10,000 edges, 35 x 33 grid, default configuration), beside a single-core
 * CPU forward measured here for the ratio:
 *   bench gnn_forward device=cuda batch=B ... median_ms=... states_per_s=... cpu1_states_per_s=... speedup=...
 *     (B = 1, 32, 256; whole batch including staging, upload and the logits' download; the target is
 *     speedup >= 50 at B = 256 on an H100)
 *   bench gnn_train_step device=cuda batch=32 ... median_ms=...  (forward, policy log-prob/entropy, their
 *     backward with a value term, one Adam step: bench_gnn.c's train step on the device)
 * Without a usable GPU: "bench gnn_forward device=cuda skipped=no-gpu reason=..." (and the same for the
 * train step), exit status 0. */
#include <stdio.h>
#include <time.h>

#include "gnn/adam.h"
#include "gnn/gpu.h"
#include "tests/gnn/fixture.h"

#ifdef PL_HAVE_OPENBLAS
#include <cblas.h>
#include "tests/bench/benchutil.h"
#endif

enum { NODES = 1000, EDGES = 10000, COLS = 35, ROWS = 33, BMAX = 256, BTRAIN = 32, DISTINCT = 32 };

/* "reason" as one token: spaces and '=' become '-'. */
static void token(char *s)
{
    for (; *s; s++)
        if (*s == ' ' || *s == '=' || *s == '\t') *s = '-';
}

static int run(void)
{
    pl_gnn_config cfg;
    pl_gnn_config_default(&cfg);
    /* DISTINCT states, repeated to fill a batch of BMAX (the graphs are borrowed, so repeats are free) */
    gnn_fixture fx[DISTINCT];
    pl_gnn_obs obs[BMAX];
    for (int b = 0; b < DISTINCT; b++) {
        gnn_spec s = {NODES, EDGES, COLS, ROWS, 1234 + (uint64_t)b, 0.7, 20, 0.02, 0};
        if (gnn_fixture_make(&fx[b], &cfg, &s) != PL_OK) return 1;
    }
    for (int b = 0; b < BMAX; b++) obs[b] = fx[b % DISTINCT].obs;
    pl_gnn_model m;
    pl_gnn_work w;
    pl_gnn_work_init(&w);
    if (pl_gnn_model_init(&m, &cfg, 1) != PL_OK) return 1;
    const int A = COLS * ROWS;
    float *logits = malloc(sizeof *logits * (size_t)A * BMAX), *values = malloc(sizeof *values * BMAX);
    char shape[256];
    snprintf(shape, sizeof shape, "nodes=%d edges=%d grid=%dx%d hidden=%d layers=%d head=%s params=%zu", NODES, EDGES,
             COLS, ROWS, cfg.hidden, cfg.layers, cfg.head == PL_GNN_HEAD_CONV ? "conv" : "deconv", m.nparams);
    enum { RUNS = 21, CPU_RUNS = 51 };
    double ts[CPU_RUNS];
    pl_status st = PL_OK;
    /* the single-core CPU reference for the ratio (bench_gnn.c's batch=1 case) */
    for (int i = 0; i < 5 && st == PL_OK; i++) st = pl_gnn_forward(&m, &w, &obs[0], logits, values);
    for (int i = 0; i < CPU_RUNS && st == PL_OK; i++) {
        double t0 = now_s();
        st = pl_gnn_forward(&m, &w, &obs[i % DISTINCT], logits, values);
        ts[i] = now_s() - t0;
    }
    const double cpu1 = st == PL_OK ? 1.0 / median(ts, CPU_RUNS) : 0.0;
    pl_gnn_gpu g;
    memset(&g, 0, sizeof g); /* safe to free if init is never reached */
    st = st == PL_OK ? pl_gnn_gpu_init(&g, &m) : st;
    const int batches[] = {1, 32, 256};
    for (int k = 0; k < 3 && st == PL_OK; k++) {
        const int B = batches[k];
        for (int i = 0; i < 3 && st == PL_OK; i++) st = pl_gnn_gpu_forward(&g, B, obs, logits, values); /* warm-up */
        for (int i = 0; i < RUNS && st == PL_OK; i++) {
            double t0 = now_s();
            st = pl_gnn_gpu_forward(&g, B, obs, logits, values);
            ts[i] = now_s() - t0;
        }
        if (st != PL_OK) break;
        const double ms = median(ts, RUNS) * 1e3, sps = B / (ms * 1e-3);
        printf("bench gnn_forward device=cuda batch=%d %s median_ms=%.4f runs=%d states_per_s=%.1f "
               "cpu1_states_per_s=%.1f speedup=%.2f%s\n",
               B, shape, ms, RUNS, sps, cpu1, sps / cpu1, B == 256 ? " target_speedup=50" : "");
    }
    /* the train step: bench_gnn.c's loss (-log p / B, -0.01 entropy / B, value^2 / 2B), then Adam */
    pl_gnn_adam adam;
    pl_gnn_adam_config acfg;
    pl_gnn_adam_config_default(&acfg);
    int adam_ok = 0;
    if (st == PL_OK) st = pl_gnn_adam_init(&adam, &acfg, m.nparams), adam_ok = st == PL_OK;
    int32_t act[BTRAIN];
    float dlogp[BTRAIN], dent[BTRAIN], dval[BTRAIN];
    for (int b = 0; b < BTRAIN; b++) {
        act[b] = 0;
        while (!obs[b].mask[act[b]]) act[b]++; /* the fixture forces at least one legal cell */
        dlogp[b] = -1.0f / BTRAIN, dent[b] = -0.01f / BTRAIN;
    }
    for (int i = 0; i < RUNS + 3 && st == PL_OK; i++) {
        double t0 = now_s();
        st = pl_gnn_gpu_zero_grad(&g);
        if (st == PL_OK) st = pl_gnn_gpu_forward(&g, BTRAIN, obs, NULL, values);
        for (int b = 0; b < BTRAIN; b++) dval[b] = values[b] / BTRAIN;
        if (st == PL_OK) st = pl_gnn_gpu_policy(&g, act, NULL, NULL, NULL);
        if (st == PL_OK) st = pl_gnn_gpu_policy_backward(&g, dlogp, dent, dval);
        if (st == PL_OK) st = pl_gnn_gpu_adam_step(&g, &adam, NULL);
        if (i >= 3) ts[i - 3] = now_s() - t0; /* three warm-up steps */
    }
    if (st == PL_OK) {
        const double ms = median(ts, RUNS) * 1e3;
        printf("bench gnn_train_step device=cuda batch=%d %s median_ms=%.4f runs=%d per_state_ms=%.4f\n", BTRAIN,
               shape, ms, RUNS, ms / BTRAIN);
    } else {
        fprintf(stderr, "bench_gnn_cuda: %s\n", pl_errmsg());
    }
    if (adam_ok) pl_gnn_adam_free(&adam);
    pl_gnn_gpu_free(&g);
    free(logits), free(values);
    for (int b = 0; b < DISTINCT; b++) gnn_fixture_free(&fx[b]);
    pl_gnn_work_free(&w);
    pl_gnn_model_free(&m);
    return st == PL_OK ? 0 : 1;
}

int main(void)
{
    char why[256];
    if (!pl_gnn_cuda_available(why, sizeof why)) {
        token(why);
        printf("bench gnn_forward device=cuda skipped=no-gpu reason=%s\n", why);
        printf("bench gnn_train_step device=cuda skipped=no-gpu reason=%s\n", why);
        return 0;
    }
#ifdef PL_HAVE_OPENBLAS
    openblas_set_num_threads(1); /* the CPU reference is single-core */
#endif
    return run();
}
