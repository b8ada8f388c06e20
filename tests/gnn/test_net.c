/* test_net.c: the network on its device (gnn/net.h).
 *
 * Everywhere: the CPU net is the model itself (a batch of B states gives bit for bit the logits, values,
 * gradients and Adam step of B single-state calls), a CUDA net is refused cleanly without a GPU, and a
 * checkpoint written through the net (sync, then write) reads back and rewrites to the same bytes.
 * With a GPU: training steps on the CUDA net against the CPU net within test_cuda.c's tolerances, two
 * CUDA runs bit-identical, and the checkpoint downloaded from the device in the CPU layout (read on the
 * CPU, same size). Without one those report SKIPPED.
 */
#include <math.h>

#include "gnn/ckpt.h"
#include "gnn/net.h"
#include "tests/gnn/fixture.h"
#include "tests/testutil.h"

TestSuite(gnn_net);

enum { B = 3 };

typedef struct states {
    gnn_fixture fx[B];
    pl_gnn_obs obs[B];
    int64_t A; /* sum of the states' cells */
} states;

/* Three states with different graphs and grids. */
static void states_make(states *s, const pl_gnn_config *c)
{
    const gnn_spec spec[B] = {{12, 30, 4, 3, 101, 0.7, 1, 0.1, 1}, {7, 11, 5, 5, 102, 0.5, 0, 0.3, 0},
                              {20, 50, 3, 6, 103, 0.9, 2, 0, 1}};
    s->A = 0;
    for (int b = 0; b < B; b++) {
        cr_assert_eq(gnn_fixture_make(&s->fx[b], c, &spec[b]), PL_OK);
        s->obs[b] = s->fx[b].obs;
        s->A += spec[b].cols * spec[b].rows;
    }
}

static void states_free(states *s)
{
    for (int b = 0; b < B; b++) gnn_fixture_free(&s->fx[b]);
}

static pl_gnn_config small_config(void)
{
    pl_gnn_config c;
    pl_gnn_config_default(&c);
    c.node_feats = 4, c.meta_feats = 3, c.hidden = 8, c.layers = 2;
    c.grid_embed = 3, c.conv_channels = 4, c.conv_layers = 2;
    return c;
}

/* dlogits (A) on the legal cells, dvalues (B): fixed pseudo-random numbers. */
static void upstream(const states *s, float *dlogits, float *dvalues, uint64_t seed)
{
    pl_rng r;
    pl_rng_seed(&r, seed);
    int64_t k = 0;
    for (int b = 0; b < B; b++)
        for (int32_t a = 0; a < s->obs[b].cols * s->obs[b].rows; a++, k++)
            dlogits[k] = s->obs[b].mask[a] ? (float)(pl_rng_uniform(&r) - 0.5) : 0.0f;
    for (int b = 0; b < B; b++) dvalues[b] = (float)(pl_rng_uniform(&r) - 0.5);
}

/* One training step through the net: zero, forward, backward with the fixed upstream, Adam. */
static void net_step(pl_gnn_net *n, states *s, float *logits, float *values, uint64_t seed)
{
    float *dl = malloc(sizeof *dl * (size_t)s->A), dv[B];
    upstream(s, dl, dv, seed);
    cr_assert_eq(pl_gnn_net_zero_grad(n), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_net_forward(n, B, s->obs, logits, values), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_net_backward(n, B, s->obs, dl, dv), PL_OK, "%s", pl_errmsg());
    float gn = 0;
    cr_assert_eq(pl_gnn_net_adam_step(n, &gn), PL_OK, "%s", pl_errmsg());
    cr_assert(gn > 0 && isfinite(gn));
    free(dl);
}

Test(gnn_net, a_cpu_batch_is_the_model_state_by_state)
{
    pl_gnn_config c = small_config();
    states s;
    states_make(&s, &c);
    pl_gnn_model m, ref;
    cr_assert_eq(pl_gnn_model_init(&m, &c, 5), PL_OK);
    cr_assert_eq(pl_gnn_model_init(&ref, &c, 5), PL_OK);
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    pl_gnn_adam adam, ref_adam;
    cr_assert_eq(pl_gnn_adam_init(&adam, &ac, m.nparams), PL_OK);
    cr_assert_eq(pl_gnn_adam_init(&ref_adam, &ac, m.nparams), PL_OK);
    pl_gnn_net n;
    cr_assert_eq(pl_gnn_net_init(&n, PL_GNN_DEVICE_CPU, &m, &adam), PL_OK);
    cr_assert_str_eq(pl_gnn_net_device(&n), "cpu");
    cr_assert_eq(pl_gnn_net_chunk(&n, 32), 1);
    float *logits = malloc(sizeof *logits * (size_t)s.A), *rl = malloc(sizeof *rl * (size_t)s.A), values[B];
    net_step(&n, &s, logits, values, 9);
    /* the reference: one state at a time on the model, as rl/ did before the net */
    float *dl = malloc(sizeof *dl * (size_t)s.A), dv[B];
    upstream(&s, dl, dv, 9);
    pl_gnn_model_zero_grad(&ref);
    pl_gnn_work w;
    pl_gnn_work_init(&w);
    int64_t off = 0;
    for (int b = 0; b < B; b++) {
        float v;
        cr_assert_eq(pl_gnn_forward(&ref, &w, &s.obs[b], rl + off, &v), PL_OK);
        cr_assert_eq(memcmp(&v, &values[b], sizeof v), 0, "value %d", b);
        cr_assert_eq(pl_gnn_backward(&ref, &w, &s.obs[b], dl + off, dv[b]), PL_OK);
        off += s.obs[b].cols * s.obs[b].rows;
    }
    cr_assert_eq(memcmp(rl, logits, sizeof *rl * (size_t)s.A), 0, "logits");
    cr_assert_eq(memcmp(ref.grads_mem, m.grads_mem, sizeof(float) * m.nparams), 0, "gradients");
    cr_assert_eq(pl_gnn_adam_step(&ref_adam, ref.params_mem, ref.grads_mem, NULL), PL_OK);
    cr_assert_eq(memcmp(ref.params_mem, m.params_mem, sizeof(float) * m.nparams), 0, "parameters after Adam");
    cr_assert_eq(adam.t, 1);
    cr_assert_eq(pl_gnn_net_sync(&n), PL_OK, "nothing to bring back on the CPU");
    /* one state through the thread-safe call: the caller's work, the same numbers */
    float v1;
    cr_assert_eq(pl_gnn_net_infer(&n, &w, &s.obs[1], rl, &v1), PL_OK);
    cr_assert_eq(pl_gnn_forward(&m, &w, &s.obs[1], logits, values), PL_OK);
    cr_assert_eq(memcmp(&v1, values, sizeof v1), 0);
    /* misuse */
    cr_assert_eq(pl_gnn_net_forward(&n, 0, s.obs, logits, values), PL_EINVAL);
    cr_assert_eq(pl_gnn_net_backward(&n, B + 1, s.obs, dl, dv), PL_EINVAL);
    pl_gnn_net inf;
    cr_assert_eq(pl_gnn_net_init(&inf, PL_GNN_DEVICE_CPU, &m, NULL), PL_OK);
    cr_assert_eq(pl_gnn_net_adam_step(&inf, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "inference"), "%s", pl_errmsg());
    pl_gnn_net_free(&inf);
    cr_assert_eq(pl_gnn_net_init(&inf, PL_GNN_DEVICE_AUTO, &m, NULL), PL_EINVAL, "AUTO is resolved first");
    pl_gnn_net_free(&inf);
    pl_gnn_work_free(&w);
    free(logits), free(rl), free(dl);
    pl_gnn_net_free(&n);
    pl_gnn_net_free(&n);
    pl_gnn_net_free(NULL);
    pl_gnn_adam_free(&adam), pl_gnn_adam_free(&ref_adam);
    pl_gnn_model_free(&m), pl_gnn_model_free(&ref);
    states_free(&s);
}

Test(gnn_net, a_cuda_net_is_refused_cleanly_without_a_gpu)
{
    char why[256];
    if (pl_gnn_cuda_available(why, sizeof why))
        cr_skip_test("a GPU is present (%s): the refusal path is not reachable", why);
    pl_gnn_config c = small_config();
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &c, 1), PL_OK);
    pl_gnn_net n;
    cr_assert_eq(pl_gnn_net_init(&n, PL_GNN_DEVICE_CUDA, &m, NULL), PL_ENOTSUP);
    cr_assert(strstr(pl_errmsg(), why), "%s", pl_errmsg());
    pl_gnn_net_free(&n);
    pl_gnn_net_free(&n);
    pl_gnn_model_free(&m);
}

/* Two steps on a net of the given device from the seed-7 model; then sync and write path. */
static void train_and_write(pl_gnn_device dev, const char *path, pl_gnn_model *m, pl_gnn_adam *adam)
{
    pl_gnn_config c = small_config();
    states s;
    states_make(&s, &c);
    cr_assert_eq(pl_gnn_model_init(m, &c, 7), PL_OK);
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    ac.lr = 1e-3f, ac.eps = 1e-2f; /* a large eps: a rounding-size gradient makes a rounding-size step */
    cr_assert_eq(pl_gnn_adam_init(adam, &ac, m->nparams), PL_OK);
    pl_gnn_net n;
    cr_assert_eq(pl_gnn_net_init(&n, dev, m, adam), PL_OK, "%s", pl_errmsg());
    float *logits = malloc(sizeof *logits * (size_t)s.A), values[B];
    for (int step = 0; step < 2; step++) net_step(&n, &s, logits, values, 20 + (uint64_t)step);
    cr_assert_eq(pl_gnn_net_sync(&n), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_ckpt_write(path, m, adam, 2), PL_OK, "%s", pl_errmsg());
    pl_gnn_net_free(&n);
    free(logits);
    states_free(&s);
}

/* Reads path on the CPU (model + Adam) and writes it to again; returns the step read. */
static uint64_t reread(const char *path, const char *again, pl_gnn_model *m, pl_gnn_adam *adam)
{
    pl_gnn_config c;
    uint64_t seed, step;
    cr_assert_eq(pl_gnn_ckpt_peek(path, &c, &seed, &step), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_model_init(m, &c, seed), PL_OK);
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    cr_assert_eq(pl_gnn_adam_init(adam, &ac, m->nparams), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_read(path, m, adam, &step), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_ckpt_write(again, m, adam, step), PL_OK);
    return step;
}

static int same_bytes(const char *a, const char *b)
{
    size_t na, nb;
    char *x = pl_test_slurp(a, &na), *y = pl_test_slurp(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x), free(y);
    return same;
}

Test(gnn_net, a_checkpoint_written_through_the_net_round_trips_byte_for_byte)
{
    const char *dir = pl_test_tmpdir();
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/cpu.ckpt", dir);
    snprintf(b, sizeof b, "%s/again.ckpt", dir);
    pl_gnn_model m, r;
    pl_gnn_adam adam, ra;
    train_and_write(PL_GNN_DEVICE_CPU, a, &m, &adam);
    cr_assert_eq(reread(a, b, &r, &ra), 2);
    cr_assert(same_bytes(a, b), "read and written again, the checkpoint changed");
    cr_assert_eq(memcmp(r.params_mem, m.params_mem, sizeof(float) * m.nparams), 0);
    cr_assert_eq(memcmp(ra.v, adam.v, sizeof(float) * m.nparams), 0);
    pl_gnn_adam_free(&adam), pl_gnn_adam_free(&ra);
    pl_gnn_model_free(&m), pl_gnn_model_free(&r);
}

/* |got - ref| <= atol (1 + max |ref|) + rtol |ref|, as test_cuda.c's gradients */
static void expect_close(const char *what, const float *got, const float *ref, size_t n, double atol, double rtol)
{
    double mx = 0;
    for (size_t i = 0; i < n; i++) mx = fmax(mx, fabs((double)ref[i]));
    atol *= 1 + mx;
    for (size_t i = 0; i < n; i++)
        cr_assert(fabs((double)got[i] - ref[i]) <= atol + rtol * fabs((double)ref[i]), "%s[%zu]: cuda %.9g cpu %.9g",
                  what, i, (double)got[i], (double)ref[i]);
}

Test(gnn_net, cuda_training_steps_match_the_cpu_and_repeat_bit_for_bit)
{
    char why[256];
    if (!pl_gnn_cuda_available(why, sizeof why)) cr_skip_test("needs a GPU: %s", why);
    const char *dir = pl_test_tmpdir();
    char cpu[512], g1[512], g2[512], again[512];
    snprintf(cpu, sizeof cpu, "%s/cpu.ckpt", dir);
    snprintf(g1, sizeof g1, "%s/gpu1.ckpt", dir);
    snprintf(g2, sizeof g2, "%s/gpu2.ckpt", dir);
    snprintf(again, sizeof again, "%s/again.ckpt", dir);
    pl_gnn_model mc, m1, m2, r;
    pl_gnn_adam ac, a1, a2, ra;
    train_and_write(PL_GNN_DEVICE_CPU, cpu, &mc, &ac);
    train_and_write(PL_GNN_DEVICE_CUDA, g1, &m1, &a1);
    train_and_write(PL_GNN_DEVICE_CUDA, g2, &m2, &a2);
    cr_assert(same_bytes(g1, g2), "two CUDA runs wrote different checkpoints");
    cr_assert_eq(a1.t, 2);
    /* the gradients agree to test_cuda.c's tolerances (2e-4 scaled, 2e-3); Adam's moment m is 0.1 g, and
     * with eps 1e-2 a step moves a parameter by at most lr g / eps = 0.1 g: both well inside them */
    expect_close("adam m", a1.m, ac.m, mc.nparams, 2e-4, 2e-3);
    expect_close("params", m1.params_mem, mc.params_mem, mc.nparams, 2e-4, 2e-3);
    /* the device's checkpoint is the CPU layout: it reads on the CPU and rewrites to the same bytes */
    cr_assert_eq(reread(g1, again, &r, &ra), 2);
    cr_assert(same_bytes(g1, again));
    pl_gnn_adam_free(&ac), pl_gnn_adam_free(&a1), pl_gnn_adam_free(&a2), pl_gnn_adam_free(&ra);
    pl_gnn_model_free(&mc), pl_gnn_model_free(&m1), pl_gnn_model_free(&m2), pl_gnn_model_free(&r);
}
