/* bench_gnn.c: the GNN policy/value network on each device, through gnn/net.h as rl/ calls it, on
 * Ariane-size random states (1,000 nodes, 10,000 edges, 35 x 33 grid, default configuration; 32 distinct
 * states repeated to fill a batch), OpenBLAS on one thread. One line per case, the devices side by side:
 *   bench gnn_forward device=cpu|cuda batch=1|32|256 ... median_ms=... per_state_ms=... states_per_s=...
 *     (B states handed over in the device's chunks: one at a time on the CPU, the whole batch on CUDA,
 *     staging, upload and the logits' download included; cpu batch=1 carries the 2 ms target; the cuda
 *     lines carry speedup = states/s over the CPU's batch=1, target 50 at batch=256)
 *   bench gnn_train_step device=cpu|cuda batch=32|256 ... median_ms=... per_state_ms=... [speedup=...]
 *     (the PPO update's step: forward, masked softmax, a sampled action's log-prob and the entropy on the
 *     host, backward with a value term, one Adam step; speedup = over the CPU at the same batch)
 * Without a usable GPU the cuda lines read "skipped=no-gpu reason=...", and the exit status is 0. */
#include <stdio.h>
#include <time.h>

#include "gnn/net.h"
#include "gnn/ops.h"
#include "tests/gnn/fixture.h"

#ifdef PL_HAVE_OPENBLAS
#include <cblas.h>
#include "tests/bench/benchutil.h"
#endif

enum { NODES = 1000, EDGES = 10000, COLS = 35, ROWS = 33, A = COLS * ROWS, DISTINCT = 32, BMAX = 256 };

static const int fwd_batches[] = {1, 32, 256}, train_batches[] = {32, 256};

#ifdef PL_HAVE_OPENBLAS
typedef struct bench {
    pl_gnn_config cfg;
    gnn_fixture fx[DISTINCT];
    pl_gnn_obs obs[BMAX];
    float *logits, *dlogits, *probs, values[BMAX], dvalues[BMAX];
    char shape[256];
    double cpu1_sps;            /* CPU states/s at batch 1 */
    double cpu_train_ms[2];     /* CPU train step at train_batches[k] */
} bench;

/* B states through the net in its chunks. */
static pl_status forward(pl_gnn_net *n, bench *b, int B)
{
    const int C = pl_gnn_net_chunk(n, B);
    for (int c0 = 0; c0 < B; c0 += C) {
        int nc = c0 + C < B ? C : B - c0;
        PL_TRY(pl_gnn_net_forward(n, nc, b->obs + c0, b->logits, b->values));
    }
    return PL_OK;
}

/* One update on B states: per chunk forward, host loss -log p(sampled) / B - 0.01 H / B + v^2 / 2B, backward;
 * then Adam. */
static pl_status train_step(pl_gnn_net *n, bench *b, int B, pl_rng *rng)
{
    PL_TRY(pl_gnn_net_zero_grad(n));
    const int C = pl_gnn_net_chunk(n, B);
    for (int c0 = 0; c0 < B; c0 += C) {
        int nc = c0 + C < B ? C : B - c0;
        PL_TRY(pl_gnn_net_forward(n, nc, b->obs + c0, b->logits, b->values));
        for (int k = 0; k < nc; k++) {
            float *lg = b->logits + (size_t)k * A, *dl = b->dlogits + (size_t)k * A, logp;
            pl_gnn_dist d = {lg, b->obs[c0 + k].mask, b->probs, 0.0, A};
            int32_t act;
            PL_TRY(pl_gnn_softmax_masked_forward(&d));
            PL_TRY(pl_gnn_sample(&d, rng, &act));
            PL_TRY(pl_gnn_logprob_forward(&d, act, &logp));
            const float ent = pl_gnn_entropy_forward(&d);
            memset(dl, 0, sizeof *dl * A);
            pl_gnn_logprob_backward(dl, &d, act, -1.0f / (float)B);
            pl_gnn_entropy_backward(dl, &d, ent, -0.01f / (float)B);
            b->dvalues[k] = b->values[k] / (float)B;
        }
        PL_TRY(pl_gnn_net_backward(n, nc, b->obs + c0, b->dlogits, b->dvalues));
    }
    return pl_gnn_net_adam_step(n, NULL);
}

/* One timed case: B states forward, or a train step on them. */
typedef struct job {
    pl_gnn_net *n;
    bench *b;
    int B, train;
    pl_rng *rng;
} job;

/* The median ms of runs calls after warm untimed ones; -1 on an error. */
static double timed(const job *j, int runs, int warm)
{
    static double ts[512];
    pl_status s = PL_OK;
    for (int i = 0; i < runs + warm && s == PL_OK; i++) {
        double t0 = now_s();
        s = j->train ? train_step(j->n, j->b, j->B, j->rng) : forward(j->n, j->b, j->B);
        if (i >= warm) ts[i - warm] = now_s() - t0;
    }
    return s == PL_OK ? median(ts, runs) * 1e3 : -1.0;
}

static pl_status run_device(bench *b, pl_gnn_device dev)
{
    const char *name = pl_gnn_device_name(dev);
    pl_gnn_model m;
    pl_gnn_adam adam;
    pl_gnn_adam_config acfg;
    pl_gnn_adam_config_default(&acfg);
    pl_gnn_net n;
    memset(&n, 0, sizeof n);
    PL_TRY(pl_gnn_model_init(&m, &b->cfg, 1));
    pl_status s = pl_gnn_adam_init(&adam, &acfg, m.nparams);
    if (s == PL_OK) s = pl_gnn_net_init(&n, dev, &m, &adam);
    for (int k = 0; k < 3 && s == PL_OK; k++) {
        const int B = fwd_batches[k], runs = B == 1 ? 101 : B == 32 ? 11 : 5;
        double ms = timed(&(job){&n, b, B, 0, NULL}, runs, 3);
        if (ms < 0) s = PL_EINVAL;
        if (s != PL_OK) break;
        const double sps = B / (ms * 1e-3);
        if (dev == PL_GNN_DEVICE_CPU && B == 1) b->cpu1_sps = sps;
        printf("bench gnn_forward device=%s batch=%d %s median_ms=%.4f runs=%d per_state_ms=%.4f states_per_s=%.1f", name,
               B, b->shape, ms, runs, ms / B, sps);
        if (dev == PL_GNN_DEVICE_CPU && B == 1) printf(" target_ms=2 ratio=%.3f", ms / 2.0);
        if (dev == PL_GNN_DEVICE_CUDA)
            printf(" cpu1_states_per_s=%.1f speedup=%.2f%s", b->cpu1_sps, sps / b->cpu1_sps, B == 256 ? " target_speedup=50" : "");
        printf("\n");
    }
    pl_rng rng;
    pl_rng_seed(&rng, 7);
    for (int k = 0; k < 2 && s == PL_OK; k++) {
        const int B = train_batches[k], runs = B == 32 ? 11 : 5;
        double ms = timed(&(job){&n, b, B, 1, &rng}, runs, 2);
        if (ms < 0) s = PL_EINVAL;
        if (s != PL_OK) break;
        if (dev == PL_GNN_DEVICE_CPU) b->cpu_train_ms[k] = ms;
        printf("bench gnn_train_step device=%s batch=%d %s median_ms=%.4f runs=%d per_state_ms=%.4f", name, B, b->shape,
               ms, runs, ms / B);
        if (dev == PL_GNN_DEVICE_CUDA) printf(" speedup=%.2f", b->cpu_train_ms[k] / ms);
        printf("\n");
    }
    if (s != PL_OK) fprintf(stderr, "bench_gnn: %s: %s\n", name, pl_errmsg());
    pl_gnn_net_free(&n);
    pl_gnn_adam_free(&adam);
    pl_gnn_model_free(&m);
    return s;
}

static int run(void)
{
    static bench b;
    pl_gnn_config_default(&b.cfg);
    for (int k = 0; k < DISTINCT; k++) {
        gnn_spec s = {NODES, EDGES, COLS, ROWS, 1234 + (uint64_t)k, 0.7, 20, 0.02, 0};
        if (gnn_fixture_make(&b.fx[k], &b.cfg, &s) != PL_OK) return 1;
    }
    for (int k = 0; k < BMAX; k++) b.obs[k] = b.fx[k % DISTINCT].obs;
    b.logits = malloc(sizeof *b.logits * (size_t)A * BMAX);
    b.dlogits = malloc(sizeof *b.dlogits * (size_t)A * BMAX);
    b.probs = malloc(sizeof *b.probs * (size_t)A);
    if (!b.logits || !b.dlogits || !b.probs) return 1;
    snprintf(b.shape, sizeof b.shape, "nodes=%d edges=%d grid=%dx%d hidden=%d layers=%d head=%s params=%zu", NODES, EDGES,
             COLS, ROWS, b.cfg.hidden, b.cfg.layers, b.cfg.head == PL_GNN_HEAD_CONV ? "conv" : "deconv",
             pl_gnn_config_nparams(&b.cfg));
    int rc = run_device(&b, PL_GNN_DEVICE_CPU) == PL_OK ? 0 : 1;
    char why[256];
    if (pl_gnn_cuda_available(why, sizeof why)) {
        rc |= run_device(&b, PL_GNN_DEVICE_CUDA) == PL_OK ? 0 : 1;
    } else {
        for (char *p = why; *p; p++) /* the reason as one token */
            if (*p == ' ' || *p == '=' || *p == '\t') *p = '-';
        for (int k = 0; k < 3; k++) printf("bench gnn_forward device=cuda batch=%d skipped=no-gpu reason=%s\n", fwd_batches[k], why);
        for (int k = 0; k < 2; k++) printf("bench gnn_train_step device=cuda batch=%d skipped=no-gpu reason=%s\n", train_batches[k], why);
    }
    free(b.logits), free(b.dlogits), free(b.probs);
    for (int k = 0; k < DISTINCT; k++) gnn_fixture_free(&b.fx[k]);
    return rc;
}
#endif

int main(void)
{
#ifdef PL_HAVE_OPENBLAS
    openblas_set_num_threads(1); /* the 2 ms target is for one core */
    return run();
#else
    printf("bench gnn_forward skipped=no-openblas\n");
    return 0;
#endif
}
