/* test_model.c: the whole network: gradient checks of every parameter tensor against central finite
 * differences (both policy heads, awkward graphs and grids), determinism (same seed, repeated runs,
 * OpenBLAS 1 vs 2 threads), batching, input validation, Adam with clipping. */
#include "gnn/adam.h"
#include "gnn/ops.h"
#include "tests/gnn/fixture.h"
#include "tests/gnn/gradcheck.h"
#include "tests/testutil.h"

#ifdef PL_HAVE_OPENBLAS
#include <cblas.h>
#endif

TestSuite(gnn_model);

static pl_gnn_config small_config(int head)
{
    pl_gnn_config c;
    pl_gnn_config_default(&c);
    c.node_feats = 4, c.meta_feats = 3, c.hidden = 10, c.layers = 2;
    c.grid_embed = 3, c.conv_channels = 4, c.conv_layers = 3, c.head = head;
    return c;
}

/* loss = wl log p(action) + we entropy + wv value, evaluated in double. */
typedef struct net_ctx {
    pl_gnn_model m;
    pl_gnn_work w;
    const pl_gnn_obs *obs;
    float *logits, *probs;
    int32_t action;
    double wl, we, wv;
} net_ctx;

static double net_loss(void *p)
{
    net_ctx *c = p;
    float value, lp;
    cr_assert_eq(pl_gnn_forward(&c->m, &c->w, c->obs, c->logits, &value), PL_OK, "%s", pl_errmsg());
    pl_gnn_dist d = {c->logits, c->obs->mask, c->probs, 0.0, c->obs->cols * c->obs->rows};
    cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_OK);
    cr_assert_eq(pl_gnn_logprob_forward(&d, c->action, &lp), PL_OK);
    return c->wl * lp + c->we * pl_gnn_entropy_forward(&d) + c->wv * value;
}

/* The analytic gradient of net_loss into c->m.grads. */
static void net_grad(net_ctx *c)
{
    const int32_t A = c->obs->cols * c->obs->rows;
    float value, *dl = calloc((size_t)A, sizeof *dl);
    pl_gnn_model_zero_grad(&c->m);
    cr_assert_eq(pl_gnn_forward(&c->m, &c->w, c->obs, c->logits, &value), PL_OK);
    pl_gnn_dist d = {c->logits, c->obs->mask, c->probs, 0.0, A};
    cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_OK);
    pl_gnn_logprob_backward(dl, &d, c->action, (float)c->wl);
    pl_gnn_entropy_backward(dl, &d, pl_gnn_entropy_forward(&d), (float)c->we);
    cr_assert_eq(pl_gnn_backward(&c->m, &c->w, c->obs, dl, (float)c->wv), PL_OK, "%s", pl_errmsg());
    free(dl);
}

static void net_open(net_ctx *c, const pl_gnn_config *cfg, const pl_gnn_obs *obs, uint64_t seed)
{
    memset(c, 0, sizeof *c);
    cr_assert_eq(pl_gnn_model_init(&c->m, cfg, seed), PL_OK, "%s", pl_errmsg());
    pl_gnn_work_init(&c->w);
    c->obs = obs;
    const int32_t A = obs->cols * obs->rows;
    c->logits = calloc((size_t)A, sizeof *c->logits);
    c->probs = calloc((size_t)A, sizeof *c->probs);
    c->action = -1;
    for (int32_t a = 0; a < A && c->action < 0; a++)
        if (obs->mask[(a + 3) % A]) c->action = (a + 3) % A;
    c->wl = 1.0, c->we = 0.3, c->wv = 0.7;
}

static void net_close(net_ctx *c)
{
    pl_gnn_model_free(&c->m);
    pl_gnn_work_free(&c->w);
    free(c->logits), free(c->probs);
}

/* Every non-empty tensor, up to `per` entries each (all of a small tensor). */
static void check_all_tensors(net_ctx *c, int per)
{
    net_grad(c);
    size_t off = 0;
    for (int t = 0; t < PL_GNN_NTENSORS; t++) {
        if (c->m.sizes[t])
            gc_check(pl_gnn_tensor_name(t), c->m.params_mem + off, (int64_t)c->m.sizes[t], c->m.grads_mem + off,
                     net_loss, c, per);
        off += c->m.sizes[t];
    }
}

static void whole_net_check_side(int head, int side, gnn_spec s, int per)
{
    pl_gnn_config cfg = small_config(head);
    cfg.side = side;
    gnn_fixture f;
    cr_assert_eq(gnn_fixture_make(&f, &cfg, &s), PL_OK, "%s", pl_errmsg());
    net_ctx c;
    net_open(&c, &cfg, &f.obs, 5);
    /* Biases start at 0, so a unit whose inputs are all ReLU-dead sits exactly on its kink (where
     * finite differences see half a slope); random biases move every unit off it. */
    pl_rng r;
    pl_rng_seed(&r, 77);
    for (size_t i = 0; i < c.m.nparams; i++) c.m.params_mem[i] += (float)(0.1 * (pl_rng_uniform(&r) - 0.5));
    check_all_tensors(&c, per);
    net_close(&c);
    gnn_fixture_free(&f);
}

static void whole_net_check(int head, gnn_spec s, int per) { whole_net_check_side(head, 0, s, per); }

Test(gnn_model, whole_network_gradient_conv_head)
{
    /* isolated nodes, self-loops, a hub; H = 10 runs one SIMD chunk and a tail */
    whole_net_check(PL_GNN_HEAD_CONV, (gnn_spec){9, 14, 5, 4, 21, 0.6, 2, 0.3, 1}, 40);
}

Test(gnn_model, whole_network_gradient_deconv_head)
{
    whole_net_check(PL_GNN_HEAD_DECONV, (gnn_spec){7, 10, 6, 5, 22, 0.6, 1, 0.2, 1}, 25);
}

Test(gnn_model, whole_network_gradient_without_edges_on_a_1xN_grid)
{
    whole_net_check(PL_GNN_HEAD_CONV, (gnn_spec){5, 0, 9, 1, 23, 0.7, 0, 0, 0}, 40);
}

Test(gnn_model, whole_network_gradient_single_node_Nx1_grid)
{
    whole_net_check(PL_GNN_HEAD_CONV, (gnn_spec){1, 0, 1, 7, 24, 0.7, 0, 0, 0}, 40);
    whole_net_check(PL_GNN_HEAD_DECONV, (gnn_spec){2, 1, 1, 7, 25, 0.7, 0, 0, 0}, 10);
}

Test(gnn_model, whole_network_gradient_with_the_side_term)
{
    whole_net_check_side(PL_GNN_HEAD_CONV, 1, (gnn_spec){9, 14, 5, 4, 21, 0.6, 2, 0.3, 1}, 40);
    whole_net_check_side(PL_GNN_HEAD_DECONV, 1, (gnn_spec){7, 10, 6, 5, 22, 0.6, 1, 0.2, 1}, 25);
}

/* A fresh network with the side term: the head's last layer is zero, so its logits are the side term alone,
 * scale x side_w x side(a), side(a) the footprint's distance to the nearest side (model.h), worked by hand. */
Test(gnn_model, side_term_alone_at_init_and_its_feature_by_hand)
{
    cr_assert_float_eq(pl_gnn_side_feature(0, 0, 4, 4, 0.25f, 0.25f), 0.0f, 1e-7); /* centre 1/8: against a side */
    cr_assert_float_eq(pl_gnn_side_feature(1, 1, 4, 4, 0.25f, 0.25f), 0.5f, 1e-7); /* 3/8 - 1/8 = 1/4, over 1/2 */
    cr_assert_float_eq(pl_gnn_side_feature(1, 2, 4, 4, 0.25f, 0.5f), 0.25f, 1e-7); /* y: 5/8 - 1/4 = 3/8 -> 1/8 */
    cr_assert_float_eq(pl_gnn_side_feature(3, 1, 4, 4, 1.0f, 0.25f), 0.0f, 1e-7);  /* wider than it fits: 0 */
    for (int head = 0; head < 2; head++) {
        pl_gnn_config cfg = small_config(head);
        cfg.side = 1;
        gnn_fixture f;
        cr_assert_eq(gnn_fixture_make(&f, &cfg, &(gnn_spec){6, 8, 5, 4, 27, 1.0, 0, 0, 0}), PL_OK);
        net_ctx c;
        net_open(&c, &cfg, &f.obs, 8);
        cr_assert_eq(c.m.sizes[PL_GNN_NTENSORS - 1], 1);
        cr_assert_eq(c.m.params.side_w[0], 0.0f, "the side weight starts at 0");
        c.m.params.side_w[0] = -0.25f;
        float v;
        cr_assert_eq(pl_gnn_forward(&c.m, &c.w, &f.obs, c.logits, &v), PL_OK);
        const float *x = f.obs.x + (int64_t)f.obs.current * cfg.node_feats;
        for (int r = 0; r < 4; r++)
            for (int col = 0; col < 5; col++) {
                const float want = PL_GNN_SIDE_SCALE * -0.25f * pl_gnn_side_feature(col, r, 5, 4, x[2], x[3]);
                cr_assert_float_eq(c.logits[r * 5 + col], want, 1e-5, "head %d cell %d,%d", head, col, r);
            }
        net_close(&c);
        gnn_fixture_free(&f);
    }
}

Test(gnn_model, masked_cells_get_minus_infinity)
{
    pl_gnn_config cfg = small_config(PL_GNN_HEAD_CONV);
    gnn_fixture f;
    cr_assert_eq(gnn_fixture_make(&f, &cfg, &(gnn_spec){12, 30, 8, 3, 26, 0.5, 0, 0, 0}), PL_OK);
    net_ctx c;
    net_open(&c, &cfg, &f.obs, 6);
    float v;
    cr_assert_eq(pl_gnn_forward(&c.m, &c.w, &f.obs, c.logits, &v), PL_OK);
    for (int a = 0; a < 24; a++) {
        if (f.mask[a]) cr_assert(isfinite(c.logits[a]), "legal cell %d: %g", a, c.logits[a]);
        else cr_assert(isinf(c.logits[a]) && c.logits[a] < 0, "masked cell %d: %g", a, c.logits[a]);
    }
    cr_assert(isfinite(v));
    /* all masked: forward works, the distribution refuses */
    memset(f.mask, 0, 24);
    cr_assert_eq(pl_gnn_forward(&c.m, &c.w, &f.obs, c.logits, &v), PL_OK);
    pl_gnn_dist d = {c.logits, f.mask, c.probs, 0.0, 24};
    cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "no legal cell"), "%s", pl_errmsg());
    net_close(&c);
    gnn_fixture_free(&f);
}

Test(gnn_model, grid_limits_and_bad_inputs)
{
    pl_gnn_config cfg = small_config(PL_GNN_HEAD_CONV);
    gnn_fixture f;
    cr_assert_eq(gnn_fixture_make(&f, &cfg, &(gnn_spec){6, 8, 128, 128, 27, 0.9, 0, 0, 0}), PL_OK);
    net_ctx c;
    net_open(&c, &cfg, &f.obs, 7);
    float v;
    cr_assert_eq(pl_gnn_forward(&c.m, &c.w, &f.obs, c.logits, &v), PL_OK, "%s", pl_errmsg());
    pl_gnn_obs bad = f.obs;
    bad.cols = 129, bad.rows = 1;
    cr_assert_eq(pl_gnn_forward(&c.m, &c.w, &bad, c.logits, &v), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "grid 129x1"), "%s", pl_errmsg());
    bad = f.obs;
    bad.current = 6;
    cr_assert_eq(pl_gnn_forward(&c.m, &c.w, &bad, c.logits, &v), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "current macro 6"), "%s", pl_errmsg());
    pl_gnn_config bc = cfg;
    bc.hidden = 0;
    pl_gnn_model m2;
    cr_assert_eq(pl_gnn_model_init(&m2, &bc, 1), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "hidden = 0"), "%s", pl_errmsg());
    pl_gnn_model_free(&m2);
    pl_gnn_model_free(&m2);
    net_close(&c);
    gnn_fixture_free(&f);
}

/* Forward + backward of net_grad on c, copying logits and grads out. */
static void run_once(net_ctx *c, float *logits, float *grads)
{
    net_grad(c);
    memcpy(logits, c->logits, sizeof(float) * (size_t)(c->obs->cols * c->obs->rows));
    memcpy(grads, c->m.grads_mem, sizeof(float) * c->m.nparams);
}

Test(gnn_model, same_seed_gives_bit_identical_outputs_and_gradients)
{
    pl_gnn_config cfg = small_config(PL_GNN_HEAD_CONV);
    gnn_fixture f;
    cr_assert_eq(gnn_fixture_make(&f, &cfg, &(gnn_spec){40, 120, 11, 7, 28, 0.6, 3, 0.2, 1}), PL_OK);
    net_ctx a, b;
    net_open(&a, &cfg, &f.obs, 42);
    net_open(&b, &cfg, &f.obs, 42);
    cr_assert_eq(memcmp(a.m.params_mem, b.m.params_mem, sizeof(float) * a.m.nparams), 0);
    const size_t A = 77;
    float *la = calloc(A, 4), *lb = calloc(A, 4), *ga = calloc(a.m.nparams, 4), *gb = calloc(a.m.nparams, 4);
    run_once(&a, la, ga);
    run_once(&b, lb, gb);
    cr_assert_eq(memcmp(la, lb, A * 4), 0, "logits differ between two models of one seed");
    cr_assert_eq(memcmp(ga, gb, a.m.nparams * 4), 0, "gradients differ between two models of one seed");
    run_once(&a, lb, gb); /* again on a used work buffer */
    cr_assert_eq(memcmp(la, lb, A * 4), 0);
    cr_assert_eq(memcmp(ga, gb, a.m.nparams * 4), 0);
    net_ctx o;
    net_open(&o, &cfg, &f.obs, 43);
    cr_assert_neq(memcmp(a.m.params_mem, o.m.params_mem, sizeof(float) * a.m.nparams), 0);
    net_close(&o), net_close(&a), net_close(&b);
    free(la), free(lb), free(ga), free(gb);
    gnn_fixture_free(&f);
}

Test(gnn_model, openblas_thread_count_does_not_change_a_bit)
{
#ifndef PL_HAVE_OPENBLAS
    cr_skip_test("built without OpenBLAS: the plain-loop GEMM is single-threaded");
#else
    pl_gnn_config cfg;
    pl_gnn_config_default(&cfg); /* the real sizes, so that OpenBLAS does split the GEMMs */
    gnn_fixture f;
    cr_assert_eq(gnn_fixture_make(&f, &cfg, &(gnn_spec){800, 6000, 35, 33, 29, 0.7, 5, 0.02, 0}), PL_OK);
    net_ctx c;
    net_open(&c, &cfg, &f.obs, 9);
    const size_t A = 35 * 33, P = c.m.nparams;
    float *l1 = calloc(A, 4), *l2 = calloc(A, 4), *g1 = calloc(P, 4), *g2 = calloc(P, 4);
    const int before = openblas_get_num_threads();
    openblas_set_num_threads(1);
    run_once(&c, l1, g1);
    openblas_set_num_threads(2);
    run_once(&c, l2, g2);
    openblas_set_num_threads(before);
    cr_assert_eq(memcmp(l1, l2, A * 4), 0, "logits differ between 1 and 2 OpenBLAS threads");
    cr_assert_eq(memcmp(g1, g2, P * 4), 0, "gradients differ between 1 and 2 OpenBLAS threads");
    net_close(&c);
    free(l1), free(l2), free(g1), free(g2);
    gnn_fixture_free(&f);
#endif
}

Test(gnn_model, batch_equals_one_state_at_a_time)
{
    pl_gnn_config cfg = small_config(PL_GNN_HEAD_DECONV);
    enum { B = 3, C = 9, R = 4 };
    gnn_fixture f[B];
    pl_gnn_obs obs[B];
    for (int b = 0; b < B; b++) {
        cr_assert_eq(gnn_fixture_make(&f[b], &cfg, &(gnn_spec){10 + b, 20 + 3 * b, C, R, 30 + (uint64_t)b, 0.5, 1, 0.1, 0}),
                     PL_OK);
        obs[b] = f[b].obs;
    }
    net_ctx c;
    net_open(&c, &cfg, &obs[0], 11);
    float lb[B * C * R], vb[B], l1[C * R], v1;
    cr_assert_eq(pl_gnn_forward_batch(&c.m, &c.w, B, obs, lb, vb), PL_OK);
    for (int b = 0; b < B; b++) {
        cr_assert_eq(pl_gnn_forward(&c.m, &c.w, &obs[b], l1, &v1), PL_OK);
        cr_assert_eq(memcmp(l1, lb + b * C * R, sizeof l1), 0, "state %d", b);
        cr_assert_eq(memcmp(&v1, &vb[b], sizeof v1), 0, "state %d", b);
    }
    obs[1].rows = 3;
    cr_assert_eq(pl_gnn_forward_batch(&c.m, &c.w, B, obs, lb, vb), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "batch state 1 has a 9x3 grid"), "%s", pl_errmsg());
    net_close(&c);
    for (int b = 0; b < B; b++) gnn_fixture_free(&f[b]);
}

Test(gnn_model, adam_clips_by_global_norm)
{
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    ac.clip_norm = 1.0f, ac.lr = 0.5f;
    pl_gnn_adam a;
    cr_assert_eq(pl_gnn_adam_init(&a, &ac, 2), PL_OK);
    float p[2] = {1.0f, 2.0f}, g[2] = {6.0f, -8.0f}, norm;
    cr_assert_eq(pl_gnn_adam_step(&a, p, g, &norm), PL_OK);
    cr_assert_float_eq(norm, 10.0f, 1e-6);
    /* m = (1 - beta1) * g * (1 / 10) */
    cr_assert_float_eq(a.m[0], 0.1f * 0.6f, 1e-7);
    cr_assert_float_eq(a.m[1], 0.1f * -0.8f, 1e-7);
    /* Adam's first step moves each parameter by lr against the sign of its gradient */
    cr_assert_float_eq(p[0], 0.5f, 1e-5);
    cr_assert_float_eq(p[1], 2.5f, 1e-5);
    float bad[2] = {NAN, 0};
    cr_assert_eq(pl_gnn_adam_step(&a, p, bad, NULL), PL_EINVAL);
    cr_assert_float_eq(p[0], 0.5f, 1e-5);
    cr_assert_eq(a.t, 1);
    pl_gnn_adam_free(&a);
    pl_gnn_adam_free(&a);
}

Test(gnn_model, adam_steps_raise_the_log_probability_of_an_action)
{
    pl_gnn_config cfg = small_config(PL_GNN_HEAD_CONV);
    gnn_fixture f;
    cr_assert_eq(gnn_fixture_make(&f, &cfg, &(gnn_spec){15, 40, 6, 6, 31, 0.8, 1, 0.1, 0}), PL_OK);
    net_ctx c;
    net_open(&c, &cfg, &f.obs, 12);
    c.wl = -1.0, c.we = 0.0, c.wv = 0.0; /* minimise -log p(action) */
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    ac.lr = 1e-2f;
    pl_gnn_adam a;
    cr_assert_eq(pl_gnn_adam_init(&a, &ac, c.m.nparams), PL_OK);
    const double start = -net_loss(&c);
    for (int i = 0; i < 30; i++) {
        net_grad(&c);
        cr_assert_eq(pl_gnn_adam_step(&a, c.m.params_mem, c.m.grads_mem, NULL), PL_OK);
    }
    const double end = -net_loss(&c);
    cr_assert_gt(end, start + 1.0, "log p went from %g to %g", start, end);
    pl_gnn_adam_free(&a);
    net_close(&c);
    gnn_fixture_free(&f);
}
