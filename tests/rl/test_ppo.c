/* test_ppo.c: returns and advantages, the first PPO epoch (ratio exactly 1), bit-reproducible updates,
 * the episode schedule of a suite and its XML file. */
#include <math.h>

#include "rl/ppo.h"
#include "rl/rollout.h"
#include "rl/suite.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

static void fake_traj(pl_traj *t, int32_t design, int n, const float *rew, const float *val)
{
    pl_traj_init(t);
    char rec[8] = {0};
    pl_traj_clear(t, 0, design, sizeof rec, 0);
    for (int s = 0; s < n; s++) {
        cr_assert_eq(pl_traj_push(t, rec, 0, -1.0f, val[s]), PL_OK);
        t->reward[s] = rew[s];
    }
}

Test(rl_ppo, monte_carlo_returns_and_per_design_normalisation)
{
    pl_ppo_config cfg;
    pl_ppo_config_default(&cfg);
    cr_assert_eq(cfg.gamma, 1.0f);
    cr_assert_eq(cfg.gae, 0);
    pl_traj t[3];
    const float r0[3] = {0, 0, -2}, v0[3] = {-1, -1.5f, -2.5f};
    const float r1[3] = {0, 0, -1}, v1[3] = {-1, -1, -1};
    const float r2[2] = {0.5f, -10}, v2[2] = {0, 0};
    fake_traj(&t[0], 0, 3, r0, v0);
    fake_traj(&t[1], 0, 3, r1, v1);
    fake_traj(&t[2], 1, 2, r2, v2);
    pl_ppo_advantages(&cfg, t, 3, 2);
    for (int s = 0; s < 3; s++) cr_assert_eq(t[0].ret[s], -2.0f, "gamma 1: every step returns the terminal reward");
    cr_assert_eq(t[2].ret[0], -9.5f);
    double sum = 0, sq = 0;
    for (int j = 0; j < 2; j++)
        for (int s = 0; s < 3; s++) sum += t[j].adv[s], sq += t[j].adv[s] * t[j].adv[s];
    cr_assert_float_eq(sum / 6, 0.0, 1e-6, "design 0: mean 0");
    cr_assert_float_eq(sq / 6, 1.0, 1e-5, "design 0: std 1");
    cr_assert_float_eq(t[2].adv[0], 1.0, 1e-5, "design 1 normalised on its own (two samples: +-1)");
    cr_assert_float_eq(t[2].adv[1], -1.0, 1e-5);
    /* GAE with lambda = 1 and gamma = 1 is the Monte-Carlo advantage */
    float mc[3];
    for (int s = 0; s < 3; s++) mc[s] = t[0].ret[s] - t[0].value[s];
    cfg.gae = 1, cfg.lambda = 1;
    pl_ppo_advantages(&cfg, t, 1, 1);
    double m = (mc[0] + mc[1] + mc[2]) / 3, sd = 0;
    for (int s = 0; s < 3; s++) sd += (mc[s] - m) * (mc[s] - m);
    sd = sqrt(sd / 3);
    for (int s = 0; s < 3; s++) cr_assert_float_eq(t[0].adv[s], (mc[s] - m) / (sd + 1e-8), 1e-5);
    for (int j = 0; j < 3; j++) pl_traj_free(&t[j]);
}

/* Collects M episodes of a fixture design with a fresh model; returns the rollout. */
static void collect(pl_rollout *ro, pl_gnn_model *m, pl_gnn_adam *adam, pl_gnn_net *net, pl_env_source *src, int M)
{
    pl_gnn_config gc;
    pl_gnn_config_default(&gc);
    gc.hidden = 16;
    cr_assert_eq(pl_gnn_model_init(m, &gc, 3), PL_OK);
    pl_ppo_config pc;
    pl_ppo_config_default(&pc);
    cr_assert_eq(pl_gnn_adam_init(adam, &pc.adam, m->nparams), PL_OK);
    cr_assert_eq(pl_gnn_net_init(net, PL_GNN_DEVICE_CPU, m, adam), PL_OK);
    pl_rollout_config rc = {src, 1, {0}, 11, 0};
    pl_env_config_default(&rc.env);
    rc.env.fd_steps = 5;
    cr_assert_eq(pl_rollout_init(ro, &rc, net), PL_OK);
    int32_t d[16] = {0};
    cr_assert_eq(pl_rollout_begin(ro, d, M, 0, 0), PL_OK);
    cr_assert_eq(pl_rollout_local(ro), PL_OK, "%s", pl_errmsg());
}

Test(rl_ppo, first_epoch_ratio_is_one_and_updates_are_bit_reproducible, .timeout = 60)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 8, 4, 2), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    pl_env_source src = {0};
    src.path = path;
    pl_ppo_config cfg;
    pl_ppo_config_default(&cfg);
    float *after[2];
    for (int run = 0; run < 2; run++) {
        pl_gnn_model m;
        pl_gnn_adam adam;
        pl_gnn_net net;
        pl_rollout ro;
        collect(&ro, &m, &adam, &net, &src, 4);
        cr_assert_eq(ro.steps, 4 * 8);
        pl_ppo_config one = cfg;
        one.epochs = 1, one.minibatch = 1000;
        pl_ppo_stats st;
        cr_assert_eq(pl_ppo_update(&one, &net, ro.traj, ro.ntraj, ro.st, 1, 11, 0, &st), PL_OK, "%s", pl_errmsg());
        cr_assert_eq(st.samples, 32);
        cr_assert_eq(st.updates, 1);
        cr_assert_eq(st.approx_kl, 0.0, "the collected log-probabilities are recomputed exactly");
        cr_assert_eq(st.clip_frac, 0.0);
        cr_assert_gt(st.entropy, 0);
        cr_assert_eq(pl_ppo_update(&cfg, &net, ro.traj, ro.ntraj, ro.st, 1, 11, 1, &st), PL_OK);
        cr_assert_eq(st.updates, 4, "4 epochs of one 32-sample minibatch");
        cr_assert(isfinite(st.policy_loss) && isfinite(st.value_loss) && st.grad_norm > 0);
        after[run] = malloc(sizeof(float) * m.nparams);
        memcpy(after[run], m.params_mem, sizeof(float) * m.nparams);
        if (run == 1) cr_assert_eq(memcmp(after[0], after[1], sizeof(float) * m.nparams), 0, "bit-identical");
        pl_rollout_free(&ro);
        pl_gnn_net_free(&net);
        pl_gnn_adam_free(&adam);
        pl_gnn_model_free(&m);
    }
    free(after[0]), free(after[1]);
}

Test(rl_suite, weighted_round_robin)
{
    pl_suite s;
    pl_suite_init(&s);
    cr_assert_eq(pl_suite_add(&s, "a", NULL, NULL, 0, 1), PL_OK);
    cr_assert_eq(pl_suite_add(&s, "b", NULL, NULL, 0, 1), PL_OK);
    int32_t d[8];
    pl_suite_schedule(&s, 4, d);
    cr_assert(d[0] == 0 && d[1] == 1 && d[2] == 0 && d[3] == 1, "equal weights alternate");
    cr_assert_eq(pl_suite_add(&s, "c", NULL, NULL, 0, 2), PL_OK);
    pl_suite_schedule(&s, 8, d);
    int cnt[3] = {0};
    for (int j = 0; j < 8; j++) cnt[d[j]]++;
    cr_assert(cnt[0] == 2 && cnt[1] == 2 && cnt[2] == 4, "weights 1:1:2 -> %d %d %d", cnt[0], cnt[1], cnt[2]);
    cr_assert_eq(pl_suite_add(&s, "d", NULL, NULL, 0, 0), PL_EINVAL);
    pl_suite_free(&s);
    pl_suite_free(&s);
}

Test(rl_suite, xml_file)
{
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/suite.xml", dir);
    FILE *fp = fopen(path, "w");
    fputs("<?xml version=\"1.0\"?>\n<suite>\n  <design path=\"a/netlist.pb.txt\" weight=\"3\"/>\n"
          "  <design path=\"/abs/b.def\" expert=\"b_placed.def\">\n    <lef path=\"tech.lef\"/>\n    <lef path=\"m.lef\"/>\n  </design>\n"
          "</suite>\n",
          fp);
    fclose(fp);
    pl_suite s;
    pl_suite_init(&s);
#ifdef PL_HAVE_LIBXML2
    cr_assert_eq(pl_suite_read(&s, path), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(s.n, 2);
    char want[300];
    snprintf(want, sizeof want, "%s/a/netlist.pb.txt", dir);
    cr_assert_str_eq(s.src[0].path, want, "relative to the suite's folder");
    cr_assert_eq(s.src[0].weight, 3);
    cr_assert_str_eq(s.src[1].path, "/abs/b.def");
    cr_assert_eq(s.src[1].nlef, 2);
    snprintf(want, sizeof want, "%s/m.lef", dir);
    cr_assert_str_eq(s.src[1].lefs[1], want);
    cr_assert_null(s.src[0].expert);
    snprintf(want, sizeof want, "%s/b_placed.def", dir);
    cr_assert_str_eq(s.src[1].expert, want, "expert= relative to the suite's folder");
    fp = fopen(path, "w");
    fputs("<suite>\n  <design weight=\"2\"/>\n</suite>\n", fp);
    fclose(fp);
    pl_suite_free(&s);
    cr_assert_eq(pl_suite_read(&s, path), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "suite.xml:2:"), "%s", pl_errmsg());
    fp = fopen(path, "w");
    fputs("<suite>\n  <design path=\"x\"\n</suite>\n", fp);
    fclose(fp);
    cr_assert_eq(pl_suite_read(&s, path), PL_EPARSE, "malformed XML");
#else
    cr_assert_eq(pl_suite_read(&s, path), PL_ENOTSUP);
#endif
    pl_suite_free(&s);
}
