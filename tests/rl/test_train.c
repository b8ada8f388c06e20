/* test_train.c: training end to end: a clear gain over random placements, bit-exact resume, the
 * MPI (SEED RL) run giving the same checkpoint as a single process, the log, CLI errors. */
#include <math.h>

#include "gnn/ckpt.h"
#include "rl/train.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

static const char *fixture_dir(int nmacros, int nsoft, uint64_t seed)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, nmacros, nsoft, seed), 0);
    return dir;
}

static int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int eq = fa && fb;
    while (eq) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb) eq = 0;
        if (ca == EOF || cb == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return eq;
}

/* Small budget: 12 iterations of 32 episodes on a 16-macro design. The greedy placement of the
 * trained policy must beat the mean of 64 uniformly random legal placements by at least 10 %. */
Test(rl_train, learns_a_clear_gain_over_random_placements, .timeout = 240)
{
    const char *dir = fixture_dir(16, 8, 7);
    char path[256], out[256];
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    snprintf(out, sizeof out, "%s/p.ckpt", dir);
    pl_suite su;
    pl_suite_init(&su);
    cr_assert_eq(pl_suite_add(&su, path, NULL, NULL, 0, 1), PL_OK);
    pl_train_config cfg;
    pl_train_config_default(&cfg);
    cfg.iterations = 12;
    cfg.episodes = 32;
    cfg.out = out;
    cfg.env.fd_steps = 20;
    cfg.ppo.adam.lr = 3e-3f;
    pl_train_result res;
    cr_assert_eq(pl_train_run(&cfg, &su, &res), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(res.iterations_done, 12);
    cr_assert_eq(res.greedy[0].infeasible, 0);
    double greedy = res.greedy[0].terms.proxy_cost;
    pl_env e;
    cr_assert_eq(pl_env_init(&e, &su.src[0], &cfg.env), PL_OK);
    double mean = 0, best = INFINITY;
    for (int k = 0; k < 64; k++) {
        pl_rng r;
        pl_rng_derive(&r, 1, 0x52414e44ull, (uint64_t)k);
        pl_env_result rr;
        cr_assert_eq(pl_env_random_episode(&e, &r, &rr), PL_OK);
        cr_assert_eq(rr.infeasible, 0);
        mean += rr.terms.proxy_cost / 64;
        best = fmin(best, rr.terms.proxy_cost);
    }
    fprintf(stderr, "[rl_train] greedy %.4f, random mean %.4f, best of 64 %.4f\n", greedy, mean, best);
    cr_assert_lt(greedy, 0.9 * mean, "greedy %.4f vs random mean %.4f", greedy, mean);
    cr_assert_lt(greedy, best, "greedy %.4f vs best of 64 random %.4f", greedy, best);
    pl_env_free(&e);
    pl_train_result_free(&res);
    pl_suite_free(&su);
}

static void run_ok(const char *cmd)
{
    char *out, *err;
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s\nstdout: %s\nstderr: %s", cmd, out, err);
    free(out), free(err);
}

Test(rl_train, resume_is_bit_exact_and_trims_the_log, .timeout = 120)
{
    const char *dir = fixture_dir(8, 4, 3);
    char cmd[2048], a[256], b[256], log[256];
    snprintf(a, sizeof a, "%s/resumed.ckpt", dir);
    snprintf(b, sizeof b, "%s/straight.ckpt", dir);
    snprintf(log, sizeof log, "%s/train.jsonl", dir);
    const char *common = "--episodes-per-iter 4 --fd-steps 5 --seed 42 --no-eval";
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt %s --iterations 2 -o %s --log %s", pl_test_placer(), dir,
             common, a, log);
    run_ok(cmd);
    /* a killed run may have logged an iteration after its last checkpoint */
    FILE *fp = fopen(log, "a");
    fputs("{\"iteration\": 3, \"reward_mean\": 0}\n", fp);
    fclose(fp);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt %s --iterations 4 --resume -o %s --log %s", pl_test_placer(),
             dir, common, a, log);
    run_ok(cmd);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt %s --iterations 4 -o %s", pl_test_placer(), dir, common, b);
    run_ok(cmd);
    cr_assert(files_equal(a, b), "2 + 2 resumed iterations == 4 uninterrupted, byte for byte");
    uint64_t seed, step;
    pl_gnn_config gc;
    cr_assert_eq(pl_gnn_ckpt_peek(a, &gc, &seed, &step), PL_OK);
    cr_assert_eq(seed, 42);
    cr_assert_eq(step, 4);
    fp = fopen(log, "r");
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof line, fp)) {
        n++;
        char want[32];
        snprintf(want, sizeof want, "{ \"iteration\": %d,", n);
        cr_assert(!strncmp(line, want, strlen(want)), "line %d: %.60s", n, line);
        cr_assert(strstr(line, "\"reward_mean\": ") && strstr(line, "\"entropy\": ") && strstr(line, "\"steps_per_s\": "));
    }
    fclose(fp);
    cr_assert_eq(n, 4, "the stale line was dropped");
}

/* Under AddressSanitizer the ranks run without leak detection: Open MPI, hwloc and their dlopen'd
 * components keep allocations until exit (address errors are still caught). */
Test(rl_train, mpi_seed_rl_matches_one_process, .timeout = 180)
{
#ifndef PL_HAVE_MPI
    cr_skip_test("built without MPI (make MPI=1)");
#endif
    char *out, *err;
    if (pl_test_run("command -v mpirun", &out, &err) != 0) {
        free(out), free(err);
        cr_skip_test("mpirun is not installed (make deps installs openmpi-bin)");
    }
    free(out), free(err);
    const char *dir = fixture_dir(8, 4, 5);
    char cmd[2048], a[256], b[256];
    snprintf(a, sizeof a, "%s/mpi.ckpt", dir);
    snprintf(b, sizeof b, "%s/one.ckpt", dir);
    snprintf(cmd, sizeof cmd,
             "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none "
             "ASAN_OPTIONS=detect_leaks=0 "
             "mpirun --oversubscribe -np 3 %s train %s/netlist.pb.txt --iterations 2 --episodes-per-iter 8 "
             "--fd-steps 5 -o %s --json",
             pl_test_placer(), dir, a);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s\nstdout: %s\nstderr: %s", cmd, out, err);
    cr_assert_eq(pl_test_count_lines(out), 1, "one summary, from rank 0 only: %s", out);
    cr_assert(strstr(out, "\"greedy\": { \"proxy_cost\": "), "%s", out);
    free(out), free(err);
    pl_gnn_config gc;
    uint64_t seed, step;
    cr_assert_eq(pl_gnn_ckpt_peek(a, &gc, &seed, &step), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(step, 2);
    pl_gnn_model m;
    pl_gnn_adam adam;
    cr_assert_eq(pl_gnn_model_init(&m, &gc, seed), PL_OK);
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    cr_assert_eq(pl_gnn_adam_init(&adam, &ac, m.nparams), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_read(a, &m, &adam, NULL), PL_OK, "%s", pl_errmsg());
    pl_gnn_adam_free(&adam);
    pl_gnn_model_free(&m);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt --iterations 2 --episodes-per-iter 8 --fd-steps 5 -o %s",
             pl_test_placer(), dir, b);
    run_ok(cmd);
    cr_assert(files_equal(a, b), "2 actors over MPI == one process, byte for byte");
}

Test(rl_train, command_line_errors)
{
    char cmd[1024], *out, *err;
    const char *dir = fixture_dir(4, 2, 1);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt", pl_test_placer(), dir);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2);
    cr_assert(strstr(err, "-o POLICY.ckpt"), "%s", err);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train %s/missing.pb.txt -o %s/x.ckpt", pl_test_placer(), dir, dir);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 1);
    cr_assert(strstr(err, "missing.pb.txt"), "%s", err);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s/x.ckpt --soft maybe", pl_test_placer(), dir, dir);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2);
    cr_assert(strstr(err, "--soft"), "%s", err);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train --help", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0);
    cr_assert(strstr(out, "--episodes-per-iter"));
    free(out), free(err);
}
