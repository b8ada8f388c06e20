/* test_cuda.c: the CUDA twin (gnn/gpu.h) against the CPU reference (gnn/model.h, ops.h, adam.h).
 *
 * Everywhere: --device parsing and resolution, and the clean refusal of the GPU entry points without a
 * usable GPU. With a GPU: forward (logits, values) and backward (every parameter tensor's gradient) on the
 * CPU tests' awkward shapes (isolated nodes, self-loops, a hub, E = 0, 1 x N and N x 1 grids, a single
 * node, both heads), batches mixing graph and grid sizes, the policy distribution and its backward, Adam,
 * and bit-for-bit determinism. Without a usable GPU those report SKIPPED (cr_skip_test), never passed.
 *
 * Tolerances, |gpu - ref| <= atol + rtol |ref|:
 * - Forward: FWD_ATOL 1e-4, FWD_RTOL 1e-3. Both sides are float32 (eps 6e-8) but sum in different orders
 *   (cuBLAS blocking, FMA contraction on the GPU, tree reductions), so each reduction of K terms may differ by
 *   ~K eps times the sum of the terms' magnitudes. The network chains about ten reductions with K up to a
 *   few hundred over O(1) activations: differences of ~1e-5 at worst, so 1e-4 / 1e-3 leaves a 10x margin
 *   while a wrong index, tap or offset (an O(1) error) fails.
 * - Gradients: atol GRAD_ATOL (1 + max |ref| over the tensor), rtol GRAD_RTOL 2e-3. A weight gradient sums
 *   over all nodes, edges, cells and states, with cancellation, so its rounding error scales with the
 *   tensor's magnitude rather than the entry's; GRAD_ATOL = 2e-4 bounds ~1e4 terms at ~2e-8 relative each.
 * - Policy log-probabilities and entropies follow the logits: the forward tolerances.
 * - Adam: ADAM_RTOL 1e-6, ADAM_ATOL 1e-9. The GPU update rounds every operation as the host does (no
 *   FMA); only the gradient norm's double summation order differs, which moves the clipping scale by at
 *   most one float ulp (6e-8 relative), and Adam's update is smooth in the scale.
 * ReLU kinks: a pre-activation within ~1e-6 of 0 could take different sides on CPU and GPU and flip one
 * unit's gradient; the parameters get random offsets (as test_model.c does), which makes this a ~1e-3
 * event per test, and the inputs are fixed, so a test either always passes or always fails.
 */
#include <math.h>

#include "gnn/adam.h"
#include "gnn/gpu.h"
#include "gnn/ops.h"
#include "tests/gnn/fixture.h"
#include "tests/testutil.h"

TestSuite(gnn_cuda);

#define FWD_ATOL 1e-4
#define FWD_RTOL 1e-3
#define GRAD_ATOL 2e-4
#define GRAD_RTOL 2e-3
#define ADAM_ATOL 1e-9
#define ADAM_RTOL 1e-6

/* ---- device choice: runs with or without a GPU ---- */

Test(gnn_cuda, device_parse_accepts_auto_cpu_cuda_only)
{
    pl_gnn_device d = PL_GNN_DEVICE_CPU;
    cr_assert_eq(pl_gnn_device_parse("auto", &d), PL_OK);
    cr_assert_eq(d, PL_GNN_DEVICE_AUTO);
    cr_assert_eq(pl_gnn_device_parse("cpu", &d), PL_OK);
    cr_assert_eq(d, PL_GNN_DEVICE_CPU);
    cr_assert_eq(pl_gnn_device_parse("cuda", &d), PL_OK);
    cr_assert_eq(d, PL_GNN_DEVICE_CUDA);
    const char *bad[] = {"gpu", "CUDA", "", "cuda ", "cpu0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = PL_GNN_DEVICE_CPU;
        cr_assert_eq(pl_gnn_device_parse(bad[i], &d), PL_EINVAL, "'%s' accepted", bad[i]);
        cr_assert_eq(d, PL_GNN_DEVICE_CPU, "output written on error");
        cr_assert(strstr(pl_errmsg(), "expected auto, cpu or cuda"), "%s", pl_errmsg());
    }
    cr_assert_eq(pl_gnn_device_parse(NULL, &d), PL_EINVAL);
    cr_assert_str_eq(pl_gnn_device_name(PL_GNN_DEVICE_AUTO), "auto");
    cr_assert_str_eq(pl_gnn_device_name(PL_GNN_DEVICE_CPU), "cpu");
    cr_assert_str_eq(pl_gnn_device_name(PL_GNN_DEVICE_CUDA), "cuda");
}

Test(gnn_cuda, device_resolve_picks_the_gpu_or_says_why_not)
{
    char why[256] = "", note[512] = "x";
    const int gpu = pl_gnn_cuda_available(why, sizeof why);
    cr_assert_neq(why[0], '\0', "the probe must say something (a device name or a reason)");
    pl_gnn_device got = PL_GNN_DEVICE_AUTO;
    cr_assert_eq(pl_gnn_device_resolve(PL_GNN_DEVICE_CPU, &got, note, sizeof note), PL_OK);
    cr_assert_eq(got, PL_GNN_DEVICE_CPU);
    cr_assert_str_eq(note, "");
    cr_assert_eq(pl_gnn_device_resolve(PL_GNN_DEVICE_AUTO, &got, note, sizeof note), PL_OK);
    if (gpu) {
        cr_assert_eq(got, PL_GNN_DEVICE_CUDA);
        cr_assert_eq(pl_gnn_device_resolve(PL_GNN_DEVICE_CUDA, &got, NULL, 0), PL_OK);
        cr_assert_eq(got, PL_GNN_DEVICE_CUDA);
        return;
    }
    cr_assert_eq(got, PL_GNN_DEVICE_CPU);
    cr_assert(strstr(note, "running on CPU") && strstr(note, why), "note: %s", note);
    cr_assert_eq(pl_gnn_device_resolve(PL_GNN_DEVICE_CUDA, &got, note, sizeof note), PL_ENOTSUP);
    cr_assert(strstr(pl_errmsg(), "--device cuda") && strstr(pl_errmsg(), why), "%s", pl_errmsg());
#ifndef PL_HAVE_CUDA
    cr_assert_str_eq(why, "built without CUDA (make CUDA=1)");
#endif
}

Test(gnn_cuda, gpu_entry_points_refuse_cleanly_without_a_gpu)
{
    char why[256];
    if (pl_gnn_cuda_available(why, sizeof why))
        cr_skip_test("a GPU is present (%s): the refusal path is not reachable", why);
    pl_gnn_config cfg;
    pl_gnn_config_default(&cfg);
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &cfg, 1), PL_OK);
    pl_gnn_gpu g;
    cr_assert_eq(pl_gnn_gpu_init(&g, &m), PL_ENOTSUP);
    cr_assert(strstr(pl_errmsg(), why), "%s", pl_errmsg());
    cr_assert_null(g.impl);
    pl_gnn_gpu_free(&g);
    pl_gnn_gpu_free(&g);
    pl_gnn_gpu_free(NULL);
    pl_gnn_model_free(&m);
}

/* ---- CPU vs GPU ---- */

static void need_gpu(void)
{
    char why[256];
    if (!pl_gnn_cuda_available(why, sizeof why)) cr_skip_test("CUDA tests need a GPU: %s", why);
}

static pl_gnn_config small_config(int head)
{
    pl_gnn_config c;
    pl_gnn_config_default(&c);
    c.node_feats = 4, c.meta_feats = 3, c.hidden = 10, c.layers = 2;
    c.grid_embed = 3, c.conv_channels = 4, c.conv_layers = 3, c.head = head;
    return c;
}

/* Model with random parameter offsets (biases start at 0: see the kink note above). */
static void model_open(pl_gnn_model *m, const pl_gnn_config *cfg, uint64_t seed)
{
    cr_assert_eq(pl_gnn_model_init(m, cfg, seed), PL_OK, "%s", pl_errmsg());
    pl_rng r;
    pl_rng_seed(&r, seed + 1000);
    for (size_t i = 0; i < m->nparams; i++) m->params_mem[i] += (float)(0.1 * (pl_rng_uniform(&r) - 0.5));
}

static void expect_close(const char *what, int b, const float *gpu, const float *ref, int64_t n, double atol,
                         double rtol)
{
    for (int64_t i = 0; i < n; i++) {
        if (isinf(ref[i]) || isinf(gpu[i])) {
            cr_assert(gpu[i] == ref[i], "%s (state %d) [%lld]: gpu %g, cpu %g", what, b, (long long)i, gpu[i], ref[i]);
            continue;
        }
        const double diff = fabs((double)gpu[i] - ref[i]);
        cr_assert(diff <= atol + rtol * fabs(ref[i]), "%s (state %d) [%lld]: gpu %.9g, cpu %.9g, |diff| %.3g > %.3g", what,
                  b, (long long)i, gpu[i], ref[i], diff, atol + rtol * fabs(ref[i]));
    }
}

static void expect_grads_close(const pl_gnn_model *m, const float *gpu, const float *ref)
{
    size_t off = 0;
    for (int t = 0; t < PL_GNN_NTENSORS; t++) {
        double mx = 0.0;
        for (size_t i = 0; i < m->sizes[t]; i++) mx = fmax(mx, fabs(ref[off + i]));
        expect_close(pl_gnn_tensor_name(t), -1, gpu + off, ref + off, (int64_t)m->sizes[t], GRAD_ATOL * (1.0 + mx),
                     GRAD_RTOL);
        off += m->sizes[t];
    }
}

/* A batch of fixtures and the CPU's answers for loss = sum_b wl log p(a_b) + we H_b + wv v_b. */
typedef struct batch {
    int B;
    gnn_fixture *fx;
    pl_gnn_obs *obs;
    int64_t A;                /* total cells */
    int32_t *actions;         /* (B) */
    float *logits, *values;   /* CPU: (A), (B) */
    float *logp, *ent;        /* CPU: (B) */
    float *dlogits;           /* CPU: (A) the loss's gradient wrt the logits */
    float *grads;             /* CPU: (nparams) */
} batch;

static const float WL = 1.0f, WE = 0.3f, WV = 0.7f;

static void batch_open(batch *bt, const pl_gnn_config *cfg, int B, const gnn_spec *specs)
{
    memset(bt, 0, sizeof *bt);
    bt->B = B;
    bt->fx = calloc((size_t)B, sizeof *bt->fx);
    bt->obs = calloc((size_t)B, sizeof *bt->obs);
    bt->actions = calloc((size_t)B, sizeof *bt->actions);
    for (int b = 0; b < B; b++) {
        cr_assert_eq(gnn_fixture_make(&bt->fx[b], cfg, &specs[b]), PL_OK, "%s", pl_errmsg());
        bt->obs[b] = bt->fx[b].obs;
        const int32_t A = specs[b].cols * specs[b].rows;
        bt->actions[b] = -1;
        for (int32_t a = 0; a < A && bt->actions[b] < 0; a++)
            if (bt->fx[b].mask[(a + 3) % A]) bt->actions[b] = (a + 3) % A;
        bt->A += A;
    }
    bt->logits = calloc((size_t)bt->A, sizeof(float));
    bt->dlogits = calloc((size_t)bt->A, sizeof(float));
    bt->values = calloc((size_t)B, sizeof(float));
    bt->logp = calloc((size_t)B, sizeof(float));
    bt->ent = calloc((size_t)B, sizeof(float));
}

static void batch_close(batch *bt)
{
    for (int b = 0; b < bt->B; b++) gnn_fixture_free(&bt->fx[b]);
    free(bt->fx), free(bt->obs), free(bt->actions), free(bt->logits), free(bt->dlogits), free(bt->values);
    free(bt->logp), free(bt->ent), free(bt->grads);
}

/* The CPU reference, one state at a time, gradients summed over the batch. */
static void cpu_reference(pl_gnn_model *m, batch *bt)
{
    pl_gnn_work w;
    pl_gnn_work_init(&w);
    pl_gnn_model_zero_grad(m);
    int64_t off = 0;
    for (int b = 0; b < bt->B; b++) {
        const pl_gnn_obs *o = &bt->obs[b];
        const int32_t A = o->cols * o->rows;
        float *lg = bt->logits + off, *dl = bt->dlogits + off, *probs = calloc((size_t)A, sizeof *probs);
        cr_assert_eq(pl_gnn_forward(m, &w, o, lg, &bt->values[b]), PL_OK, "%s", pl_errmsg());
        pl_gnn_dist d = {lg, o->mask, probs, 0.0, A};
        cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_OK);
        cr_assert_eq(pl_gnn_logprob_forward(&d, bt->actions[b], &bt->logp[b]), PL_OK);
        bt->ent[b] = pl_gnn_entropy_forward(&d);
        pl_gnn_logprob_backward(dl, &d, bt->actions[b], WL);
        pl_gnn_entropy_backward(dl, &d, bt->ent[b], WE);
        cr_assert_eq(pl_gnn_backward(m, &w, o, dl, WV), PL_OK, "%s", pl_errmsg());
        free(probs);
        off += A;
    }
    free(bt->grads);
    bt->grads = malloc(m->nparams * sizeof *bt->grads);
    memcpy(bt->grads, m->grads_mem, m->nparams * sizeof *bt->grads);
    pl_gnn_work_free(&w);
}

/* GPU forward of the whole batch at once, checked against the CPU. */
static void gpu_forward_check(pl_gnn_gpu *g, const batch *bt)
{
    float *lg = calloc((size_t)bt->A, sizeof *lg), *v = calloc((size_t)bt->B, sizeof *v);
    cr_assert_eq(pl_gnn_gpu_forward(g, bt->B, bt->obs, lg, v), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(g->B, bt->B);
    cr_assert_eq(g->A_total, bt->A);
    int64_t off = 0;
    for (int b = 0; b < bt->B; b++) {
        const int64_t A = (int64_t)bt->obs[b].cols * bt->obs[b].rows;
        expect_close("logits", b, lg + off, bt->logits + off, A, FWD_ATOL, FWD_RTOL);
        off += A;
    }
    expect_close("values", -1, v, bt->values, bt->B, FWD_ATOL, FWD_RTOL);
    free(lg), free(v);
}

/* Whole check of one batch: forward; backward from the CPU's dlogits; the policy path; grads each time. */
static void compare_batch(const pl_gnn_config *cfg, int B, const gnn_spec *specs, uint64_t seed)
{
    need_gpu();
    pl_gnn_model m;
    model_open(&m, cfg, seed);
    batch bt;
    batch_open(&bt, cfg, B, specs);
    cpu_reference(&m, &bt);
    pl_gnn_gpu g;
    cr_assert_eq(pl_gnn_gpu_init(&g, &m), PL_OK, "%s", pl_errmsg());
    pl_gnn_model gm; /* a second host model receives the GPU's gradients */
    cr_assert_eq(pl_gnn_model_init(&gm, cfg, seed), PL_OK);
    /* (1) forward, then backward from the CPU's dlogits and dvalue */
    gpu_forward_check(&g, &bt);
    float *dv = malloc((size_t)B * sizeof *dv);
    for (int b = 0; b < B; b++) dv[b] = WV;
    cr_assert_eq(pl_gnn_gpu_zero_grad(&g), PL_OK);
    cr_assert_eq(pl_gnn_gpu_backward(&g, bt.dlogits, dv), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_download_grads(&g, &gm), PL_OK, "%s", pl_errmsg());
    expect_grads_close(&m, gm.grads_mem, bt.grads);
    /* (2) the training path on the device: policy distribution, its backward, the network backward */
    float *logp = calloc((size_t)B, sizeof *logp), *ent = calloc((size_t)B, sizeof *ent);
    float *dlogp = malloc((size_t)B * sizeof *dlogp), *dent = malloc((size_t)B * sizeof *dent);
    for (int b = 0; b < B; b++) dlogp[b] = WL, dent[b] = WE;
    cr_assert_eq(pl_gnn_gpu_policy(&g, bt.actions, logp, ent, NULL), PL_OK, "%s", pl_errmsg());
    expect_close("log p", -1, logp, bt.logp, B, FWD_ATOL, FWD_RTOL);
    expect_close("entropy", -1, ent, bt.ent, B, FWD_ATOL, FWD_RTOL);
    cr_assert_eq(pl_gnn_gpu_zero_grad(&g), PL_OK);
    cr_assert_eq(pl_gnn_gpu_policy_backward(&g, dlogp, dent, dv), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_download_grads(&g, &gm), PL_OK);
    expect_grads_close(&m, gm.grads_mem, bt.grads);
    free(logp), free(ent), free(dlogp), free(dent), free(dv);
    pl_gnn_gpu_free(&g);
    pl_gnn_model_free(&gm);
    pl_gnn_model_free(&m);
    batch_close(&bt);
}

Test(gnn_cuda, conv_head_isolated_nodes_self_loops_hub)
{
    pl_gnn_config c = small_config(PL_GNN_HEAD_CONV);
    compare_batch(&c, 1, (gnn_spec[]){{9, 14, 5, 4, 21, 0.6, 2, 0.3, 1}}, 5);
}

Test(gnn_cuda, deconv_head)
{
    pl_gnn_config c = small_config(PL_GNN_HEAD_DECONV);
    compare_batch(&c, 1, (gnn_spec[]){{7, 10, 6, 5, 22, 0.6, 1, 0.2, 1}}, 6);
}

Test(gnn_cuda, no_edges_on_a_1xN_grid)
{
    pl_gnn_config c = small_config(PL_GNN_HEAD_CONV);
    compare_batch(&c, 1, (gnn_spec[]){{5, 0, 9, 1, 23, 0.7, 0, 0, 0}}, 7);
}

Test(gnn_cuda, single_node_Nx1_grid_both_heads)
{
    pl_gnn_config c = small_config(PL_GNN_HEAD_CONV);
    compare_batch(&c, 1, (gnn_spec[]){{1, 0, 1, 7, 24, 0.7, 0, 0, 0}}, 8);
    c = small_config(PL_GNN_HEAD_DECONV);
    compare_batch(&c, 1, (gnn_spec[]){{2, 1, 1, 7, 25, 0.7, 0, 0, 0}}, 9);
}

Test(gnn_cuda, high_degree_node)
{
    /* 90% of 400 edges touch node 0; 300 nodes run the attention's block loops more than once */
    pl_gnn_config c = small_config(PL_GNN_HEAD_CONV);
    compare_batch(&c, 1, (gnn_spec[]){{300, 400, 11, 7, 28, 0.6, 3, 0.9, 1}}, 10);
}

Test(gnn_cuda, batch_of_different_graphs_and_grids_conv_head)
{
    pl_gnn_config c = small_config(PL_GNN_HEAD_CONV);
    const gnn_spec s[] = {
        {9, 14, 5, 4, 31, 0.6, 2, 0.3, 1}, {5, 0, 9, 1, 32, 0.7, 0, 0, 0},  {1, 0, 1, 7, 33, 0.7, 0, 0, 0},
        {40, 120, 35, 33, 34, 0.5, 3, 0.2, 1}, {12, 30, 128, 2, 35, 0.3, 0, 0.5, 0},
    };
    compare_batch(&c, 5, s, 11);
}

Test(gnn_cuda, batch_of_different_graphs_and_grids_deconv_head)
{
    pl_gnn_config c = small_config(PL_GNN_HEAD_DECONV);
    const gnn_spec s[] = {
        {7, 10, 6, 5, 41, 0.6, 1, 0.2, 1}, {2, 1, 1, 7, 42, 0.7, 0, 0, 0}, {30, 0, 128, 128, 43, 0.2, 0, 0, 0},
        {20, 60, 13, 3, 44, 0.5, 2, 0.4, 1},
    };
    compare_batch(&c, 4, s, 12);
}

Test(gnn_cuda, side_term_both_heads_batch_of_different_grids)
{
    const gnn_spec s[] = {
        {9, 14, 5, 4, 51, 0.6, 2, 0.3, 1}, {5, 0, 9, 1, 52, 0.7, 0, 0, 0}, {12, 30, 128, 2, 53, 0.3, 0, 0.5, 0},
        {20, 60, 13, 3, 54, 0.5, 2, 0.4, 1},
    };
    for (int head = 0; head < 2; head++) {
        pl_gnn_config c = small_config(head);
        c.side = 1;
        compare_batch(&c, 4, s, 13 + (uint64_t)head);
    }
}

Test(gnn_cuda, default_config_ariane_like_batch)
{
    pl_gnn_config c;
    pl_gnn_config_default(&c);
    const gnn_spec s[] = {{600, 3000, 35, 33, 51, 0.7, 5, 0.02, 0}, {500, 2500, 30, 30, 52, 0.7, 4, 0.05, 1}};
    compare_batch(&c, 2, s, 13);
}

Test(gnn_cuda, policy_refuses_masked_actions_and_all_masked_states)
{
    need_gpu();
    pl_gnn_config c = small_config(PL_GNN_HEAD_CONV);
    pl_gnn_model m;
    model_open(&m, &c, 14);
    batch bt;
    const gnn_spec s[] = {{9, 14, 5, 4, 61, 0.5, 0, 0, 0}, {6, 8, 4, 4, 62, 0.5, 0, 0, 0}};
    batch_open(&bt, &c, 2, s);
    pl_gnn_gpu g;
    cr_assert_eq(pl_gnn_gpu_init(&g, &m), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_backward(&g, bt.dlogits, bt.values), PL_EINVAL); /* before any forward */
    cr_assert(strstr(pl_errmsg(), "without a matching forward"), "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_forward(&g, 2, bt.obs, NULL, NULL), PL_OK, "%s", pl_errmsg());
    int32_t act[2] = {bt.actions[0], -1};
    for (int32_t a = 0; a < 16 && act[1] < 0; a++)
        if (!bt.fx[1].mask[a]) act[1] = a;
    cr_assert_geq(act[1], 0);
    float logp[2], ent[2];
    cr_assert_eq(pl_gnn_gpu_policy(&g, act, logp, ent, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "batch state 1: action") && strstr(pl_errmsg(), "masked cell"), "%s", pl_errmsg());
    act[1] = 16;
    cr_assert_eq(pl_gnn_gpu_policy(&g, act, logp, ent, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "outside the 16-cell grid"), "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_policy_backward(&g, NULL, NULL, NULL), PL_EINVAL);
    memset(bt.fx[1].mask, 0, 16);
    cr_assert_eq(pl_gnn_gpu_forward(&g, 2, bt.obs, NULL, NULL), PL_OK);
    cr_assert_eq(pl_gnn_gpu_policy(&g, NULL, NULL, ent, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "batch state 1: no legal cell"), "%s", pl_errmsg());
    /* bad observations are refused as on the CPU, naming the state */
    pl_gnn_obs bad[2] = {bt.obs[0], bt.obs[1]};
    bad[1].cols = 129;
    cr_assert_eq(pl_gnn_gpu_forward(&g, 2, bad, NULL, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "batch state 1: grid 129x4"), "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_forward(&g, 0, bad, NULL, NULL), PL_EINVAL);
    pl_gnn_gpu_free(&g);
    pl_gnn_gpu_free(&g);
    pl_gnn_model_free(&m);
    batch_close(&bt);
}

Test(gnn_cuda, adam_step_matches_cpu)
{
    need_gpu();
    pl_gnn_config c = small_config(PL_GNN_HEAD_CONV);
    pl_gnn_model m, gm;
    model_open(&m, &c, 15);
    cr_assert_eq(pl_gnn_model_init(&gm, &c, 15), PL_OK);
    pl_gnn_gpu g;
    cr_assert_eq(pl_gnn_gpu_init(&g, &m), PL_OK, "%s", pl_errmsg());
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    ac.lr = 1e-2f, ac.weight_decay = 1e-3f;
    pl_gnn_adam ca, ga, back;
    cr_assert_eq(pl_gnn_adam_init(&ca, &ac, m.nparams), PL_OK);
    cr_assert_eq(pl_gnn_adam_init(&ga, &ac, m.nparams), PL_OK);
    cr_assert_eq(pl_gnn_adam_init(&back, &ac, m.nparams), PL_OK);
    pl_rng r;
    pl_rng_seed(&r, 16);
    for (int step = 0; step < 4; step++) {
        /* steps 0, 2: norm ~ sqrt(n) * 0.3, clipped to 1; steps 1, 3: small, unclipped */
        const double amp = step % 2 ? 1e-4 : 0.5;
        for (size_t i = 0; i < m.nparams; i++) m.grads_mem[i] = (float)(amp * (pl_rng_uniform(&r) - 0.5));
        cr_assert_eq(pl_gnn_gpu_upload_grads(&g, &m), PL_OK, "%s", pl_errmsg());
        float cn, gn;
        cr_assert_eq(pl_gnn_adam_step(&ca, m.params_mem, m.grads_mem, &cn), PL_OK);
        cr_assert_eq(pl_gnn_gpu_adam_step(&g, &ga, &gn), PL_OK, "%s", pl_errmsg());
        cr_assert_eq(ga.t, ca.t);
        expect_close("grad norm", step, &gn, &cn, 1, ADAM_ATOL, ADAM_RTOL);
        cr_assert_eq(pl_gnn_gpu_download_params(&g, &gm), PL_OK);
        expect_close("params", step, gm.params_mem, m.params_mem, (int64_t)m.nparams, ADAM_ATOL, ADAM_RTOL);
        cr_assert_eq(pl_gnn_gpu_download_adam(&g, &back), PL_OK);
        expect_close("adam m", step, back.m, ca.m, (int64_t)m.nparams, ADAM_ATOL, ADAM_RTOL);
        expect_close("adam v", step, back.v, ca.v, (int64_t)m.nparams, ADAM_ATOL, ADAM_RTOL);
    }
    m.grads_mem[3] = NAN;
    cr_assert_eq(pl_gnn_gpu_upload_grads(&g, &m), PL_OK);
    cr_assert_eq(pl_gnn_gpu_adam_step(&g, &ga, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "not finite"), "%s", pl_errmsg());
    cr_assert_eq(ga.t, 4);
    pl_gnn_adam_free(&ca), pl_gnn_adam_free(&ga), pl_gnn_adam_free(&back);
    pl_gnn_gpu_free(&g);
    pl_gnn_model_free(&m), pl_gnn_model_free(&gm);
}

/* Forward, policy and backward; logits, values and grads copied out. */
static void gpu_train_pass(pl_gnn_gpu *g, batch *bt, pl_gnn_model *gm, float *logits, float *values)
{
    float *dl = malloc((size_t)bt->B * sizeof *dl), *de = malloc((size_t)bt->B * sizeof *de);
    for (int b = 0; b < bt->B; b++) dl[b] = WL, de[b] = WE;
    cr_assert_eq(pl_gnn_gpu_zero_grad(g), PL_OK);
    cr_assert_eq(pl_gnn_gpu_forward(g, bt->B, bt->obs, logits, values), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_policy(g, bt->actions, NULL, NULL, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_policy_backward(g, dl, de, values), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_download_grads(g, gm), PL_OK);
    free(dl), free(de);
}

Test(gnn_cuda, two_runs_are_bit_identical)
{
    need_gpu();
    pl_gnn_config c;
    pl_gnn_config_default(&c);
    pl_gnn_model m, g1, g2;
    model_open(&m, &c, 17);
    cr_assert_eq(pl_gnn_model_init(&g1, &c, 17), PL_OK);
    cr_assert_eq(pl_gnn_model_init(&g2, &c, 17), PL_OK);
    batch bt;
    const gnn_spec s[] = {{800, 6000, 35, 33, 71, 0.7, 5, 0.02, 0}, {300, 900, 20, 24, 72, 0.6, 2, 0.3, 1},
                          {1, 0, 1, 1, 73, 1.0, 0, 0, 0}};
    batch_open(&bt, &c, 3, s);
    float *l1 = malloc((size_t)bt.A * 4), *l2 = malloc((size_t)bt.A * 4), v1[3], v2[3];
    pl_gnn_gpu a, b;
    cr_assert_eq(pl_gnn_gpu_init(&a, &m), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_gpu_init(&b, &m), PL_OK, "%s", pl_errmsg());
    gpu_train_pass(&a, &bt, &g1, l1, v1);
    gpu_train_pass(&b, &bt, &g2, l2, v2); /* a second context */
    cr_assert_eq(memcmp(l1, l2, (size_t)bt.A * 4), 0, "logits differ between two contexts");
    cr_assert_eq(memcmp(v1, v2, sizeof v1), 0, "values differ between two contexts");
    cr_assert_eq(memcmp(g1.grads_mem, g2.grads_mem, m.nparams * 4), 0, "gradients differ between two contexts");
    gpu_train_pass(&a, &bt, &g2, l2, v2); /* the first context again, on used buffers */
    cr_assert_eq(memcmp(l1, l2, (size_t)bt.A * 4), 0, "logits differ between two runs");
    cr_assert_eq(memcmp(g1.grads_mem, g2.grads_mem, m.nparams * 4), 0, "gradients differ between two runs");
    free(l1), free(l2);
    pl_gnn_gpu_free(&a), pl_gnn_gpu_free(&b);
    pl_gnn_model_free(&m), pl_gnn_model_free(&g1), pl_gnn_model_free(&g2);
    batch_close(&bt);
}
