/* test_policy.c: a trained policy on any partial placement (rl/policy.h): the observation it builds
 * equals the training environment's at every step of an episode, its probabilities are 0 on every cell
 * outside the caller's mask and sum to 1 over it, bad checkpoints fail with one line naming the file,
 * and the shipped default policy loads. */
#include <math.h>

#include "gnn/ckpt.h"
#include "core/log.h"
#include "rl/env.h"
#include "rl/policy.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

static const char *fixture(int nmacros, int nsoft, uint64_t seed)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, nmacros, nsoft, seed), 0);
    static char path[4][256];
    static int k;
    char *p = path[k++ & 3];
    snprintf(p, sizeof path[0], "%s/netlist.pb.txt", dir);
    return p;
}

/* A fresh (untrained) network written as a checkpoint: the policy's inputs matter, not its skill. */
static const char *random_ckpt(uint64_t seed)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ & 3];
    snprintf(p, sizeof path[0], "%s/p.ckpt", pl_test_tmpdir());
    pl_gnn_config c;
    pl_gnn_config_default(&c);
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &c, seed), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_write(p, &m, NULL, 3), PL_OK, "%s", pl_errmsg());
    pl_gnn_model_free(&m);
    return p;
}

static void open_env(pl_env *e, const char *path)
{
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.fd_steps = 5;
    pl_env_source src = {0};
    src.path = path;
    cr_assert_eq(pl_env_init(e, &src, &cfg), PL_OK, "%s", pl_errmsg());
}

Test(rl_policy, observation_equals_the_environment_s_at_every_step)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_env e;
    open_env(&e, fixture(16, 8, 5));
    cr_assert_eq(pl_env_reset(&e), PL_OK);
    pl_policy_design d;
    cr_assert_eq(pl_policy_design_init(&d, e.nl, e.W, e.H, e.cols, e.rows, e.order, e.nsteps), PL_OK, "%s",
                 pl_errmsg());
    /* the static part */
    cr_assert_eq(d.st.n, e.st.n);
    cr_assert_eq(d.st.e, e.st.e);
    cr_assert_eq(d.st.nhard, e.st.nhard);
    cr_assert_eq(memcmp(d.st.edges, e.st.edges, sizeof(int32_t) * 2 * (size_t)e.st.e), 0);
    cr_assert_eq(memcmp(d.st.w, e.st.w, sizeof(float) * (size_t)e.st.e), 0);
    cr_assert_eq(memcmp(d.st.feat, e.st.feat, sizeof(float) * PL_OBS_F * (size_t)e.st.n), 0);
    pl_policy_work w;
    cr_assert_eq(pl_policy_work_init(&w, &d), PL_OK);
    size_t bytes = pl_env_rec_bytes(&e);
    void *want = malloc(bytes), *got = malloc(bytes);
    double *xy = malloc(sizeof *xy * 2 * (size_t)e.nsteps);
    pl_rng r;
    pl_rng_seed(&r, 11);
    int steps = 0;
    while (!e.done) {
        pl_env_observe(&e, want);
        pl_policy_observe(&d, &w, e.t, xy, e.mask, got);
        pl_obs_rec a, b;
        pl_obs_rec_view(&a, want, e.st.nhard, e.A);
        pl_obs_rec_view(&b, got, e.st.nhard, e.A);
        cr_assert_eq(*a.current, *b.current, "step %d", (int)e.t);
        cr_assert_eq(memcmp(a.meta, b.meta, sizeof(float) * PL_OBS_M), 0, "step %d meta", (int)e.t);
        cr_assert_eq(memcmp(a.hard, b.hard, sizeof(float) * 3 * (size_t)e.st.nhard), 0, "step %d", (int)e.t);
        cr_assert_eq(memcmp(a.mask, b.mask, (size_t)e.A), 0);
        for (int32_t c = 0; c < e.A; c++) {
            /* placed macros' pins: env moves the node, the policy adds the pin's offset to the centre */
            cr_assert_float_eq(a.wire[c], b.wire[c], 1e-5, "step %d cell %d wire", (int)e.t, (int)c);
            cr_assert_float_eq(a.density[c], b.density[c], 1e-6, "step %d cell %d density", (int)e.t, (int)c);
        }
        int32_t n = pl_env_legal_count(&e), k = (int32_t)pl_rng_below(&r, (uint64_t)n), cell = 0;
        for (; cell < e.A; cell++)
            if (e.mask[cell] && k-- == 0) break;
        xy[2 * e.t] = (cell % e.cols + 0.5) * e.gw;
        xy[2 * e.t + 1] = (cell / e.cols + 0.5) * e.gh;
        double rew;
        int done;
        cr_assert_eq(pl_env_step(&e, cell, &rew, &done), PL_OK);
        steps++;
    }
    cr_assert_gt(steps, 8);
    free(want), free(got), free(xy);
    pl_policy_work_free(&w);
    pl_policy_work_free(&w); /* idempotent */
    pl_policy_design_free(&d);
    pl_policy_design_free(&d);
    pl_env_free(&e);
}

Test(rl_policy, probabilities_are_zero_outside_the_mask_and_sum_to_one)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_env e;
    open_env(&e, fixture(12, 6, 9));
    cr_assert_eq(pl_env_reset(&e), PL_OK);
    pl_policy p;
    cr_assert_eq(pl_policy_load(&p, random_ckpt(4), PL_GNN_DEVICE_CPU), PL_OK, "%s", pl_errmsg());
    pl_policy_design d;
    cr_assert_eq(pl_policy_design_init(&d, e.nl, e.W, e.H, e.cols, e.rows, e.order, e.nsteps), PL_OK);
    pl_policy_work w;
    cr_assert_eq(pl_policy_work_init(&w, &d), PL_OK);
    uint8_t *mask = malloc((size_t)e.A);
    double *prob = malloc(sizeof *prob * (size_t)e.A), *prob2 = malloc(sizeof *prob * (size_t)e.A);
    double xy[2 * 3] = {0.3 * e.W, 0.3 * e.H, 0.7 * e.W, 0.2 * e.H, 0.5 * e.W, 0.8 * e.H};
    pl_rng r;
    pl_rng_seed(&r, 2);
    for (int trial = 0; trial < 6; trial++) {
        int32_t step = trial % 4, legal = 0;
        /* masks of every density, down to a single legal cell, none of them the environment's */
        double keep = trial == 5 ? 0 : 0.9 - 0.15 * trial;
        for (int32_t a = 0; a < e.A; a++) legal += mask[a] = pl_rng_uniform(&r) < keep;
        if (trial == 5) mask[e.A / 3] = 1, legal = 1;
        double mass;
        cr_assert_eq(pl_policy_probs(&p, &d, &w, step, xy, mask, prob, &mass), PL_OK, "%s", pl_errmsg());
        double sum = 0;
        for (int32_t a = 0; a < e.A; a++) {
            if (!mask[a]) cr_assert_eq(prob[a], 0.0, "trial %d: illegal cell %d has %g", trial, (int)a, prob[a]);
            cr_assert(prob[a] >= 0 && isfinite(prob[a]));
            sum += prob[a];
        }
        cr_assert_eq(mass, legal ? 1.0 : 0.0);
        cr_assert_float_eq(sum, legal ? 1.0 : 0.0, 1e-9, "trial %d", trial);
        if (trial == 5) cr_assert_eq(prob[e.A / 3], 1.0);
        /* deterministic */
        cr_assert_eq(pl_policy_probs(&p, &d, &w, step, xy, mask, prob2, &mass), PL_OK);
        cr_assert_eq(memcmp(prob, prob2, sizeof *prob * (size_t)e.A), 0);
    }
    /* no legal cell: all zero, mass 0 */
    memset(mask, 0, (size_t)e.A);
    double mass = 1;
    cr_assert_eq(pl_policy_probs(&p, &d, &w, 0, xy, mask, prob, &mass), PL_OK);
    cr_assert_eq(mass, 0.0);
    for (int32_t a = 0; a < e.A; a++) cr_assert_eq(prob[a], 0.0);
    free(mask), free(prob), free(prob2);
    pl_policy_work_free(&w);
    pl_policy_design_free(&d);
    pl_policy_free(&p);
    pl_policy_free(&p);
    pl_env_free(&e);
}

static void expect_load_error(const char *path, const char *needle)
{
    pl_policy p;
    pl_status s = pl_policy_load(&p, path, PL_GNN_DEVICE_CPU);
    cr_assert_neq(s, PL_OK, "%s loaded", path);
    const char *msg = pl_errmsg();
    cr_assert(strstr(msg, path), "message does not name %s: %s", path, msg);
    cr_assert(strstr(msg, needle), "message lacks '%s': %s", needle, msg);
    cr_assert_null(strchr(msg, '\n'), "not one line: %s", msg);
    pl_policy_free(&p);
}

Test(rl_policy, bad_checkpoints_fail_with_one_line_naming_the_file)
{
    const char *dir = pl_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/missing.ckpt", dir);
    expect_load_error(path, "cannot open");
    snprintf(path, sizeof path, "%s/garbage.ckpt", dir);
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 300; i++) fputc('x', f);
    fclose(f);
    expect_load_error(path, "bad magic");
    /* a real checkpoint with one payload byte flipped */
    const char *good = random_ckpt(8);
    snprintf(path, sizeof path, "%s/flipped.ckpt", dir);
    FILE *in = fopen(good, "rb"), *out = fopen(path, "wb");
    int c, k = 0;
    while ((c = fgetc(in)) != EOF) fputc(k++ == PL_GNN_CKPT_HEADER_BYTES + 40 ? c ^ 0x10 : c, out);
    fclose(in), fclose(out);
    expect_load_error(path, "corrupted");
    /* a network for other inputs than the environment's */
    pl_gnn_config cfg;
    pl_gnn_config_default(&cfg);
    cfg.node_feats = 5;
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &cfg, 1), PL_OK);
    snprintf(path, sizeof path, "%s/other.ckpt", dir);
    cr_assert_eq(pl_gnn_ckpt_write(path, &m, NULL, 1), PL_OK);
    pl_gnn_model_free(&m);
    expect_load_error(path, "node features");
}

Test(rl_policy, the_default_policy_is_shipped_and_loads)
{
    const char *path = "policies/default.ckpt";
    cr_assert(pl_test_exists(path), "%s is missing (make policy)", path);
    pl_policy p;
    cr_assert_eq(pl_policy_load(&p, path, PL_GNN_DEVICE_CPU), PL_OK, "%s", pl_errmsg());
    /* make policy keeps the network that places its training designs best greedily, which may be the line
     * search's (iteration 0, docs/training.md): either way the side term's pull was learned, not left at 0 */
    cr_assert_eq(p.model.cfg.side, 1, "the default policy has no side term");
    cr_assert_lt(p.model.params.side_w[0] * PL_GNN_SIDE_SCALE, -1.0f, "the default policy's pull was never set: %g",
                 p.model.params.side_w[0] * PL_GNN_SIDE_SCALE);
    cr_assert_eq(p.model.cfg.node_feats, PL_OBS_F);
    pl_policy_free(&p);
}
