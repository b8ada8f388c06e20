/* test_imitate.c: expert trajectories replay the expert's cells; behaviour cloning makes the policy's
 * argmax the expert's cell; the CLI's --expert/--imitate and their errors. */
#include <math.h>

#include "gnn/ckpt.h"
#include "parsers/plc.h"
#include "rl/imitate.h"
#include "rl/train.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

/* A random legal episode of design `src`, written as DIR/expert.plc; actions[] gets its cells. */
static int write_expert(const char *dir, const pl_env_source *src, const pl_env_config *cfg, uint64_t seed,
                        int32_t *actions)
{
    pl_env e;
    cr_assert_eq(pl_env_init(&e, src, cfg), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_env_reset(&e), PL_OK);
    pl_rng r;
    pl_rng_seed(&r, seed);
    int n = 0;
    while (!e.done) {
        int32_t legal = pl_env_legal_count(&e), k = (int32_t)pl_rng_below(&r, (uint64_t)legal), a = -1;
        for (int32_t c = 0; c < e.A; c++)
            if (e.mask[c] && k-- == 0) {
                a = c;
                break;
            }
        double rw;
        int done;
        actions[n++] = a;
        cr_assert_eq(pl_env_step(&e, a, &rw, &done), PL_OK);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/expert.plc", dir);
    cr_assert_eq(pl_plc_write(path, &e.prob.plc, e.nl), PL_OK, "%s", pl_errmsg());
    pl_env_free(&e);
    return n;
}

Test(rl_imitate, the_expert_trajectory_replays_the_expert_s_cells)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 10, 4, 3), 0);
    char path[512], expert[512];
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    snprintf(expert, sizeof expert, "%s/expert.plc", dir);
    pl_env_source src = {.path = path, .weight = 1};
    pl_env_config cfg;
    pl_env_config_default(&cfg);
    cfg.fd_steps = 5;
    int32_t want[64];
    int n = write_expert(dir, &src, &cfg, 11, want);
    cr_assert_eq(n, 10);
    pl_env e;
    cr_assert_eq(pl_env_init(&e, &src, &cfg), PL_OK);
    pl_traj t;
    pl_traj_init(&t);
    pl_imitate_stats st;
    cr_assert_eq(pl_imitate_trajectory(&e, &src, expert, 0, &t, &st), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(t.nsteps, 10);
    cr_assert_eq(st.snapped, 0, "every expert macro sits on a legal cell centre");
    cr_assert_lt(st.mean_shift, 1e-3);
    for (int k = 0; k < n; k++) cr_assert_eq(t.action[k], want[k], "step %d", k);
    cr_assert(t.done && !t.res.infeasible);
    cr_assert_float_eq(t.reward[t.nsteps - 1], t.res.reward, 1e-5);
    /* the same again: a pure function of design and expert */
    pl_traj t2;
    pl_traj_init(&t2);
    cr_assert_eq(pl_imitate_trajectory(&e, &src, expert, 0, &t2, NULL), PL_OK);
    cr_assert_eq(memcmp(t.recs, t2.recs, t.rec_bytes * (size_t)t.nsteps), 0);
    pl_traj_free(&t), pl_traj_free(&t2);
    pl_env_free(&e);
}

Test(rl_imitate, a_bad_expert_is_an_error_naming_it)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 6, 2, 5), 0);
    char path[512], bad[512];
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    pl_env_source src = {.path = path, .weight = 1};
    pl_env e;
    cr_assert_eq(pl_env_init(&e, &src, NULL), PL_OK);
    pl_traj t;
    pl_traj_init(&t);
    snprintf(bad, sizeof bad, "%s/missing.plc", dir);
    cr_assert_neq(pl_imitate_trajectory(&e, &src, bad, 0, &t, NULL), PL_OK);
    cr_assert(strstr(pl_errmsg(), "missing.plc"), "%s", pl_errmsg());
    snprintf(bad, sizeof bad, "%s/bad.plc", dir);
    FILE *fp = fopen(bad, "w");
    fputs("# Columns : 16  Rows : 16\n0 12.5 oops N 0\n", fp);
    fclose(fp);
    cr_assert_neq(pl_imitate_trajectory(&e, &src, bad, 0, &t, NULL), PL_OK);
    cr_assert(strstr(pl_errmsg(), "bad.plc:2"), "%s", pl_errmsg());
    pl_traj_free(&t);
    pl_env_free(&e);
}

/* Cloning one expert for 40 iterations: the policy's argmax is the expert's cell on >= 80 % of the
 * steps (a fresh network: about 1 / legal cells). */
Test(rl_imitate, cloning_makes_the_argmax_the_expert_s_cell, .timeout = 240)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 12, 6, 9), 0);
    char path[512], expert[512], out[512];
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    snprintf(expert, sizeof expert, "%s/expert.plc", dir);
    snprintf(out, sizeof out, "%s/bc.ckpt", dir);
    pl_train_config cfg;
    pl_train_config_default(&cfg);
    cfg.env.fd_steps = 5;
    int32_t want[64];
    pl_env_source src0 = {.path = path, .weight = 1};
    write_expert(dir, &src0, &cfg.env, 21, want);
    pl_suite su;
    pl_suite_init(&su);
    cr_assert_eq(pl_suite_add(&su, path, NULL, NULL, 0, 1), PL_OK);
    cr_assert_eq(pl_suite_set_expert(&su, 0, expert), PL_OK);
    cfg.iterations = cfg.imitate = 40;
    cfg.out = out;
    cfg.greedy_eval = 0;
    cfg.ppo.adam.lr = 3e-3f;
    cfg.ppo.ent_coef = 0;
    pl_train_result res;
    cr_assert_eq(pl_train_run(&cfg, &su, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(res.iterations_done, 40);
    /* the trained network against the expert's own records */
    pl_gnn_config gc;
    uint64_t seed, step;
    cr_assert_eq(pl_gnn_ckpt_peek(out, &gc, &seed, &step), PL_OK);
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &gc, seed), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_read(out, &m, NULL, NULL), PL_OK);
    pl_env e;
    cr_assert_eq(pl_env_init(&e, &su.src[0], &cfg.env), PL_OK);
    pl_traj t;
    pl_traj_init(&t);
    cr_assert_eq(pl_imitate_trajectory(&e, &su.src[0], expert, 0, &t, NULL), PL_OK);
    float *x = malloc(sizeof *x * (size_t)e.st.n * PL_OBS_F), *logits = malloc(sizeof *logits * (size_t)e.A), v;
    pl_gnn_work w;
    pl_gnn_work_init(&w);
    int hit = 0;
    for (int32_t k = 0; k < t.nsteps; k++) {
        pl_gnn_obs o;
        pl_obs_make(&o, &e.st, pl_traj_rec(&t, k), x);
        cr_assert_eq(pl_gnn_forward(&m, &w, &o, logits, &v), PL_OK);
        int32_t best = -1;
        for (int32_t a = 0; a < e.A; a++)
            if (o.mask[a] && (best < 0 || logits[a] > logits[best])) best = a;
        hit += best == t.action[k];
    }
    fprintf(stderr, "[rl_imitate] argmax = expert cell on %d of %d steps\n", hit, t.nsteps);
    cr_assert_geq(hit * 5, t.nsteps * 4, "%d of %d", hit, t.nsteps);
    free(x), free(logits);
    pl_gnn_work_free(&w);
    pl_traj_free(&t);
    pl_env_free(&e);
    pl_gnn_model_free(&m);
    pl_train_result_free(&res);
    pl_suite_free(&su);
}

Test(rl_imitate, cli_expert_and_imitate, .timeout = 120)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 8, 4, 13), 0);
    char path[512], cmd[2048], *out, *err;
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    /* the fixture's own initial.plc places every macro: a valid expert */
    snprintf(cmd, sizeof cmd,
             "%s train %s --expert %s/initial.plc --imitate 2 --iterations 3 --episodes-per-iter 4 --fd-steps 5 "
             "--no-eval --device cpu -o %s/p.ckpt --log %s/log.jsonl && cat %s/log.jsonl",
             pl_test_placer(), path, dir, dir, dir, dir);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s\n%s", out, err);
    cr_assert(strstr(out, "\"iteration\": 1, \"seed\": 1, \"device\": \"cpu\", \"imitation\": true"), "%s", out);
    cr_assert(strstr(out, "\"iteration\": 2, \"seed\": 1, \"device\": \"cpu\", \"imitation\": true"), "%s", out);
    cr_assert(strstr(out, "\"iteration\": 3, \"seed\": 1, \"device\": \"cpu\", \"episodes\": 4"), "%s", out);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train %s --expert a.plc --expert b.plc -o %s/q.ckpt", pl_test_placer(), path, dir);
    rc = pl_test_run(cmd, &out, &err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, "2 --expert files for 1 DESIGN"), "%s", err);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train %s --imitate 2 --iterations 2 --no-eval -o %s/r.ckpt", pl_test_placer(), path,
             dir);
    rc = pl_test_run(cmd, &out, &err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, "no design has an expert"), "%s", err);
    free(out), free(err);
}
