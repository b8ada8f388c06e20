/* test_mpi_seed.c: SEED RL over MPI (rl/mpi_seed.c). In this process (MPI not initialised): the world
 * is rank 0 of 1, collection refuses to run without an actor, stop has no one to tell, abort logs its
 * rank and returns. Through `mpirun placer train` (skipped without an MPI build or mpirun): what
 * tests/rl/test_train.c leaves out of its -np 3 case, each checkpoint compared byte for byte with
 * the one-process run: one actor (-np 2) with an episode count that is not a multiple of its slots;
 * three actors with more slots than episodes, on two designs (each actor sends a design's static part
 * once, the learner keeps the first); the final greedy placements (negative episode indices) in the
 * summary, which come from a second collection on the same actors (environments and static parts
 * already loaded and sent); an actor's failure naming its rank and stopping every rank without a
 * checkpoint; and under mpirun --enable-recovery, actors killed mid-run (kill -9) dropped by the
 * learner after --mpi-timeout, their episodes run again elsewhere, the checkpoint still the one-process
 * one. One iteration each but the last two: mpirun start-up dominates, idle ranks yield (2 cores in CI). */
#include "rl/mpi_seed.h"
#include "tests/mpiutil.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

#include <criterion/redirect.h>

#define MPIRUN                                                                                                \
    "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none " \
    "OMPI_MCA_mpi_yield_when_idle=1 ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe"

Test(mpi_seed, one_process_world)
{
    int rank = -1, size = -1;
    pl_seed_world(&rank, &size);
    cr_assert_eq(rank, 0);
    cr_assert_eq(size, 1);
    pl_seed_config sc;
    pl_seed_config_default(&sc);
    pl_seed_learner L;
    cr_assert_eq(pl_seed_learner_init(&L, &sc), PL_OK);
    cr_assert_eq(L.nact, 0);
    cr_assert_eq(pl_seed_actors(&L), 0);
    cr_assert_eq(pl_seed_stop(&L), PL_OK, "no actor to tell");
    pl_seed_learner_free(&L);
    pl_seed_learner_free(&L); /* idempotent */
}

Test(mpi_seed, config_defaults_and_recovery_from_the_launcher)
{
    pl_seed_config sc;
    unsetenv("OMPI_MCA_orte_enable_recovery");
    pl_seed_config_default(&sc);
    cr_assert_eq(sc.slots, 2);
    cr_assert_float_eq(sc.timeout_s, 600.0, 0);
    cr_assert_eq(sc.recovery, 0, "a plain mpirun ends the job when a rank dies");
    setenv("OMPI_MCA_orte_enable_recovery", "1", 1); /* what mpirun --enable-recovery exports */
    pl_seed_config_default(&sc);
    cr_assert_eq(sc.recovery, 1);
    unsetenv("OMPI_MCA_orte_enable_recovery");
    sc.timeout_s = -1;
    pl_seed_learner L;
    cr_assert_eq(pl_seed_learner_init(&L, &sc), PL_EINVAL);
    pl_seed_learner_free(&L);
}

Test(mpi_seed, collection_needs_an_actor_rank)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 3, 1, 1), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    pl_env_source src = {0};
    src.path = path;
    pl_gnn_config gc;
    pl_gnn_config_default(&gc);
    gc.hidden = 8;
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &gc, 1), PL_OK);
    pl_rollout_config rc = {&src, 1, {0}, 1, 0};
    pl_env_config_default(&rc.env);
    pl_gnn_net net;
    cr_assert_eq(pl_gnn_net_init(&net, PL_GNN_DEVICE_CPU, &m, NULL), PL_OK);
    pl_rollout ro;
    cr_assert_eq(pl_rollout_init(&ro, &rc, &net), PL_OK);
    const int32_t d[2] = {0, 0};
    cr_assert_eq(pl_rollout_begin(&ro, d, 2, 0, 0), PL_OK);
    pl_seed_config sc;
    pl_seed_config_default(&sc);
    pl_seed_learner L;
    cr_assert_eq(pl_seed_learner_init(&L, &sc), PL_OK);
#ifdef PL_HAVE_MPI
    cr_assert_eq(pl_seed_collect(&L, &ro), PL_EINVAL);
    cr_assert_str_eq(pl_errmsg(), "train: distributed collection needs at least one actor rank");
#else
    cr_assert_eq(pl_seed_collect(&L, &ro), PL_ENOTSUP);
    cr_assert(strstr(pl_errmsg(), "built without MPI"), "%s", pl_errmsg());
    int lost = -1;
    cr_assert_eq(pl_seed_actor(&src, 1, &rc.env, &sc, &lost), PL_ENOTSUP);
    cr_assert_eq(lost, 0);
#endif
    pl_seed_learner_free(&L);
    cr_assert_eq(ro.steps, 0, "nothing was collected");
    cr_assert_eq(ro.traj[0].done, 0);
    pl_rollout_free(&ro);
    pl_gnn_net_free(&net);
    pl_gnn_model_free(&m);
}

Test(mpi_seed, abort_in_one_process_logs_the_rank_and_returns, .init = cr_redirect_stderr)
{
    pl_err(PL_EIO, "train: cannot write x.ckpt");
    pl_seed_abort(PL_EIO);
    pl_err_clear();
    pl_seed_abort(PL_ENOMEM);
    fflush(stderr);
#ifdef PL_HAVE_MPI
    cr_assert_stderr_eq_str("[train] rank 0: error: train: cannot write x.ckpt\n"
                            "[train] rank 0: error: out of memory\n");
#else
    cr_assert_stderr_eq_str("", "without MPI, main.c reports errors itself");
#endif
}

/* ---- through mpirun ---- */

static void need_mpirun(void)
{
#ifndef PL_HAVE_MPI
    cr_skip_test("built without MPI (make MPI=1)");
#endif
    char *out, *err;
    int rc = pl_test_run("command -v mpirun", &out, &err);
    free(out), free(err);
    if (rc != 0) cr_skip_test("mpirun is not installed (make deps installs openmpi-bin)");
}

static int files_equal(const char *a, const char *b)
{
    size_t na, nb;
    char *x = pl_test_slurp(a, &na), *y = pl_test_slurp(b, &nb);
    int eq = na == nb && memcmp(x, y, na) == 0;
    free(x), free(y);
    return eq;
}

/* The part of a --json summary that is a function of the inputs (designs and greedy placements),
 * malloc'd; the throughput before it is not. */
static char *summary_designs(const char *json)
{
    const char *p = strstr(json, "\"designs\"");
    cr_assert_not_null(p, "%s", json);
    cr_assert(strstr(p, "\"greedy\"") && strstr(p, "\"proxy_cost\""), "%s", json);
    return strdup(p);
}

/* The integer after "key": at or after p (any spacing); *end gets where it stops. */
static long json_int(const char *p, const char *key, const char **end)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *q = strstr(p, pat);
    cr_assert_not_null(q, "no %s in %s", pat, p);
    q += strlen(pat);
    while (*q == ' ' || *q == ':') q++;
    char *e;
    long v = strtol(q, &e, 10);
    cr_assert_neq(e, q, "%s is not an integer in %s", pat, p);
    if (end) *end = e;
    return v;
}

/* Runs `train ARGS -o DIR/NAME.ckpt --log DIR/NAME.jsonl --json`, with mpirun -np np when np > 0; the
 * summary's designs part is returned (malloc'd). */
static char *train(const char *dir, const char *name, int np, const char *args)
{
    char cmd[4096], pre[256] = "";
    if (np > 0) snprintf(pre, sizeof pre, MPIRUN " -np %d ", np);
    snprintf(cmd, sizeof cmd, "%s%s train %s -o %s/%s.ckpt --log %s/%s.jsonl --json", pre, pl_test_placer(), args, dir,
             name, dir, name);
    char *out, *err;
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s\nstdout: %s\nstderr: %s", cmd, out, err);
    cr_assert_eq(pl_test_count_lines(out), 1, "one summary, from rank 0 only: %s", out);
    char *s = summary_designs(out);
    free(out), free(err);
    return s;
}

/* Every log line says how many actors collected. */
static void log_actors(const char *dir, const char *name, int iterations, int actors)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.jsonl", dir, name);
    char *log = pl_test_slurp(path, NULL);
    cr_assert_eq(pl_test_count_lines(log), iterations, "%s", log);
    const char *p = log;
    for (int i = 0; i < iterations; i++) {
        cr_assert_eq(json_int(p, "iteration", NULL), i + 1, "%s", log);
        cr_assert_eq(json_int(p, "actors", &p), actors, "line %d of %s", i + 1, log);
    }
    free(log);
}

static void check_same(const char *dir, const char *a, const char *b, const char *what)
{
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/%s.ckpt", dir, a);
    snprintf(pb, sizeof pb, "%s/%s.ckpt", dir, b);
    cr_assert(files_equal(pa, pb), "%s: checkpoint equals the one-process one, byte for byte", what);
}

Test(mpi_seed, one_actor_uneven_episodes_matches_one_process, .timeout = 120)
{
    need_mpirun();
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 5, 2, 13), 0);
    char args[1024];
    /* 5 episodes on one actor with 2 slots: 2 + 2 + 1, the slots refilled as episodes end */
    snprintf(args, sizeof args,
             "%s/netlist.pb.txt --iterations 1 --episodes-per-iter 5 --slots 2 --fd-steps 5 --seed 3 --hidden 16", dir);
    char *one = train(dir, "one", 0, args);
    char *mpi = train(dir, "mpi", 2, args);
    check_same(dir, "mpi", "one", "-np 2");
    cr_assert_str_eq(mpi, one, "the final greedy placement over MPI is the one-process one");
    log_actors(dir, "one", 1, 0);
    log_actors(dir, "mpi", 1, 1);
    free(one), free(mpi);
}

Test(mpi_seed, more_slots_than_episodes_on_two_designs, .timeout = 120)
{
    need_mpirun();
    const char *dir = pl_test_tmpdir();
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    cr_assert_eq(mkdir(a, 0755), 0);
    cr_assert_eq(mkdir(b, 0755), 0);
    cr_assert_eq(rl_fixture_write(a, 4, 2, 5), 0);
    cr_assert_eq(rl_fixture_write(b, 3, 2, 9), 0);
    char args[2048];
    /* 3 actors x 3 slots = 9 slots for 5 episodes: some slots never get one; both designs reach
     * several actors, each of which sends the design's static part */
    snprintf(args, sizeof args,
             "%s/netlist.pb.txt %s/netlist.pb.txt --iterations 1 --episodes-per-iter 5 --slots 3 --fd-steps 5 "
             "--seed 9 --hidden 16",
             a, b);
    char *one = train(dir, "one", 0, args);
    char *mpi = train(dir, "mpi", 4, args);
    check_same(dir, "mpi", "one", "-np 4, 2 designs");
    cr_assert_str_eq(mpi, one, "greedy placements of both designs");
    cr_assert(strstr(one, "/a/netlist.pb.txt\"") && strstr(one, "/b/netlist.pb.txt\""), "both designs: %s", one);
    log_actors(dir, "mpi", 1, 3);
    free(one), free(mpi);
}

Test(mpi_seed, an_actor_s_error_names_its_rank_and_stops_every_rank, .timeout = 60)
{
    need_mpirun();
    const char *dir = pl_test_tmpdir();
    char path[512], cmd[2048];
    snprintf(path, sizeof path, "%s/netlist.pb.txt", dir);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("node {\n  name: \"M0\"\n  garbage\n", fp); /* the learner never reads it; the actor does */
    fclose(fp);
    snprintf(cmd, sizeof cmd, MPIRUN " -np 2 %s train %s --iterations 1 --episodes-per-iter 2 -o %s/x.ckpt",
             pl_test_placer(), path, dir);
    char *out, *err;
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_neq(rc, 0, "%s\nstderr: %s", cmd, err);
    const char *line = strstr(err, "[train] rank 1: error: ");
    cr_assert_not_null(line, "the actor names its rank: %s", err);
    const char *eol = strchr(line, '\n');
    char *msg = strndup(line, eol ? (size_t)(eol - line) : strlen(line));
    cr_assert(strstr(msg, path), "the message names the input file %s: %s", path, msg);
    free(msg);
    cr_assert_null(strstr(err, "rank 0: error"), "the learner did not fail on its own: %s", err);
    snprintf(path, sizeof path, "%s/x.ckpt", dir);
    cr_assert_not(pl_test_exists(path), "no checkpoint");
    free(out), free(err);
}

/* Under `mpirun --enable-recovery` the job outlives a dead rank: the learner notices the actor's
 * silence (--mpi-timeout PL_TEST_MPI_TIMEOUT), drops it, starts its episodes in flight again on the other actors (or,
 * with none left, steps them itself) and ends with the checkpoint of an undisturbed run. The victims
 * are killed once the first iteration is logged; every log line says how many actors collected. */
static void recovery_run(int np, int nkill)
{
    need_mpirun();
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 10, 4, 17), 0);
    char args[1024];
    snprintf(args, sizeof args,
             "%s/netlist.pb.txt --iterations 5 --episodes-per-iter 8 --fd-steps 20 --seed 3 --hidden 16 --mpi-timeout " PL_TEST_MPI_TIMEOUT,
             dir);
    char *one = train(dir, "one", 0, args);
    char cmd[4096], log[512], err_path[512], out_path[512];
    snprintf(log, sizeof log, "%s/rec.jsonl", dir);
    snprintf(err_path, sizeof err_path, "%s/rec.err", dir);
    snprintf(out_path, sizeof out_path, "%s/rec.out", dir);
    snprintf(cmd, sizeof cmd, MPIRUN " --enable-recovery -np %d %s train %s -o %s/rec.ckpt --log %s --json >%s 2>%s", np,
             pl_test_placer(), args, dir, log, out_path, err_path);
    pid_t pid = pl_test_spawn(cmd);
    int started = pl_test_wait_lines(log, 1, pid, 90);
    int killed = 0;
    for (int r = np - 1; started && r >= np - nkill; r--) killed += pl_test_signal_rank(dir, r, SIGKILL) > 0;
    int rc = pl_test_wait(pid, 150);
    char *err = pl_test_slurp(err_path, NULL), *out = pl_test_slurp(out_path, NULL);
    cr_assert(started, "the first iteration was logged: %s", err);
    cr_assert_eq(killed, nkill);
    cr_assert_neq(rc, -1, "the job ended within 150 s: %s", err);
    cr_assert_eq(rc, 0, "%s", err);
    for (int r = np - 1; r >= np - nkill; r--) {
        char want[128];
        snprintf(want, sizeof want, "[train] warning: rank %d sent nothing for ", r);
        cr_assert(strstr(err, want), "%s in %s", want, err);
    }
    cr_assert(strstr(err, "(--mpi-timeout): dropped; its "), "%s", err);
    check_same(dir, "rec", "one", "an actor killed under --enable-recovery");
    cr_assert_eq(pl_test_count_lines(out), 1, "%s", out);
    char *d = summary_designs(out);
    cr_assert_str_eq(d, one, "the final greedy placement");
    /* iteration 1 had every actor, the last ones only the survivors */
    char *text = pl_test_slurp(log, NULL);
    const char *p = text;
    for (int i = 0; i < 5; i++) {
        long a = json_int(p, "actors", &p);
        if (i == 0) cr_assert_eq(a, np - 1, "%s", text);
        if (i == 4) cr_assert_eq(a, np - 1 - nkill, "%s", text);
    }
    free(text), free(d), free(one), free(err), free(out);
}

Test(mpi_seed, recovery_drops_a_killed_actor_and_ends_byte_identical, .timeout = 240)
{
    recovery_run(4, 1);
}

Test(mpi_seed, recovery_with_every_actor_killed_the_learner_steps_alone, .timeout = 240)
{
    recovery_run(3, 2);
}
