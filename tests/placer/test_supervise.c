/* test_supervise.c: `placer train --supervise` (placer/supervise.c) and training through a dead or hung
 * MPI rank (issue 18). Through real mpirun (skipped without an MPI build or mpirun), on a small
 * generated design, each checkpoint compared byte for byte with an undisturbed one-process run:
 * `--supervise --np 4` with one actor killed by kill -9 after the first iteration (mpirun ends the
 * whole job, exit 137; the supervisor restarts it once with --resume from that checkpoint), and with
 * one actor stopped (SIGSTOP: the learner's --mpi-timeout ends the job, which is restarted). Every run
 * has a time limit: a test never hangs. With fake launchers (shell scripts): a restart appends --resume
 * once this run's checkpoint exists; the restarts end at --max-restarts with one line each; a real
 * error (exit 1) is not retried; SIGTERM to the supervisor reaches the job and ends both; option errors. */
#include "rl/mpi_seed.h"
#include "tests/mpiutil.h"
#include "tests/rl/fixture.h"

static int files_equal(const char *a, const char *b)
{
    size_t na, nb;
    char *x = pl_test_slurp(a, &na), *y = pl_test_slurp(b, &nb);
    int eq = na == nb && memcmp(x, y, na) == 0;
    free(x), free(y);
    return eq;
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what)) n++;
    return n;
}

/* The --json summary's "designs" part (inputs and greedy placements; the throughput before it varies). */
static char *designs_part(const char *json)
{
    const char *p = strstr(json, "\"designs\"");
    cr_assert_not_null(p, "%s", json);
    return strdup(p);
}

enum { ITERS = 6 };
#define TRAIN_ARGS "--iterations 6 --episodes-per-iter 8 --fd-steps 20 --seed 3 --hidden 16 --slots 2"

/* DIR/netlist.pb.txt and the undisturbed one-process run DIR/one.ckpt; its summary's designs part. */
static char *reference(const char *dir)
{
    cr_assert_eq(rl_fixture_write(dir, 10, 4, 17), 0);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt " TRAIN_ARGS " -o %s/one.ckpt --json", pl_test_placer(), dir, dir);
    char *out, *err;
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    char *d = designs_part(out);
    free(out), free(err);
    return d;
}

/* Runs `--supervise --np 4` in the background, sends sig to actor rank 2 once the log has its first
 * line, waits (limit 150 s) and checks the outcome against the reference. */
static void disturbed_run(int sig, const char *extra, const char *expect_in_err)
{
    pl_test_need_mpirun();
    const char *dir = pl_test_tmpdir();
    char *ref = reference(dir);
    char cmd[4096], log[512], err_path[512], out_path[512], ck[512], one[512];
    snprintf(log, sizeof log, "%s/sup.jsonl", dir);
    snprintf(err_path, sizeof err_path, "%s/sup.err", dir);
    snprintf(out_path, sizeof out_path, "%s/sup.out", dir);
    snprintf(ck, sizeof ck, "%s/sup.ckpt", dir);
    snprintf(one, sizeof one, "%s/one.ckpt", dir);
    snprintf(cmd, sizeof cmd,
             PL_TEST_MPI_ENV " exec %s train %s/netlist.pb.txt " TRAIN_ARGS " %s -o %s --log %s --json --supervise "
                             "--np 4 --mpirun 'mpirun --oversubscribe' >%s 2>%s",
             pl_test_placer(), dir, extra, ck, log, out_path, err_path);
    double t0 = pl_test_now();
    pid_t pid = pl_test_spawn(cmd);
    int started = pl_test_wait_lines(log, 1, pid, 90);
    int victim = started ? pl_test_signal_rank(dir, 2, sig) : -1;
    double t_sig = pl_test_now();
    int rc = pl_test_wait(pid, 150);
    double t_end = pl_test_now();
    char *err = pl_test_slurp(err_path, NULL), *out = pl_test_slurp(out_path, NULL);
    cr_assert(started, "the first iteration was logged: %s", err);
    cr_assert_gt(victim, 0, "rank 2 was found and signalled");
    cr_assert_neq(rc, -1, "the supervised run ended within 150 s: %s", err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    cr_log_info("signal %d to rank 2 at %.1f s; the run ended %.1f s later", sig, t_sig - t0, t_end - t_sig);
    cr_assert(strstr(err, expect_in_err), "'%s' in: %s", expect_in_err, err);
    char want[640];
    snprintf(want, sizeof want, "; restarting from %s iteration ", ck);
    cr_assert_eq(count(err, want), 1, "one restart, from this run's checkpoint: %s", err);
    cr_assert(strstr(err, "(restart 1 of 3)"), "%s", err);
    cr_assert(files_equal(ck, one), "the final checkpoint equals the undisturbed run's, byte for byte");
    cr_assert_eq(pl_test_file_lines(log), ITERS, "the log was trimmed to the checkpoint on resume: one line per iteration");
    cr_assert_eq(pl_test_count_lines(out), 1, "one summary, from the run that finished: %s", out);
    char *d = designs_part(out);
    cr_assert_str_eq(d, ref, "the final greedy placement");
    free(d), free(ref), free(err), free(out);
}

Test(supervise, an_actor_killed_mid_run_is_restarted_from_the_checkpoint_byte_identical, .timeout = 240)
{
    disturbed_run(SIGKILL, "", "[train] warning: the MPI job ended with exit code 137 (a rank was killed by signal 9); "
                               "restarting from ");
}

Test(supervise, a_hung_actor_times_out_and_the_job_is_restarted_byte_identical, .timeout = 240)
{
    disturbed_run(SIGSTOP, "--mpi-timeout " PL_TEST_MPI_TIMEOUT, "[train] rank 0: error: train: rank 2 sent nothing for ");
}

/* ---- fake launchers: the supervisor's decisions without MPI ranks ---- */

static void need_mpi_build(void)
{
#ifndef PL_HAVE_MPI
    cr_skip_test("built without MPI: --supervise is refused (tested in option_errors)");
#endif
}

/* DIR/launch.sh: appends its arguments to DIR/calls, then runs BODY (sh). */
static void write_launcher(const char *dir, const char *body)
{
    char path[512];
    snprintf(path, sizeof path, "%s/launch.sh", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "#!/bin/sh\necho \"$*\" >> %s/calls\nn=$(wc -l < %s/calls)\n%s\n", dir, dir, body);
    fclose(f);
    cr_assert_eq(chmod(path, 0755), 0);
}

static int supervise_fake(const char *dir, const char *args, char **err)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt --iterations 1 --episodes-per-iter 2 --fd-steps 5 %s "
             "-o %s/x.ckpt --supervise --np 3 --mpirun '%s/launch.sh --flag'", pl_test_placer(), dir, args, dir, dir);
    char *out;
    int rc = pl_test_run(cmd, &out, err);
    free(out);
    return rc;
}

Test(supervise, a_restart_resumes_once_the_run_has_a_checkpoint)
{
    need_mpi_build();
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 3, 1, 5), 0);
    char cmd[2048], body[1024], *out, *err;
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt --iterations 1 --episodes-per-iter 2 --fd-steps 5 --hidden 8 "
             "--no-eval -o %s/ref.ckpt", pl_test_placer(), dir, dir);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    free(out), free(err);
    /* call 1 dies before any checkpoint, call 2 leaves the step-1 checkpoint and dies, call 3 ends well */
    snprintf(body, sizeof body, "[ $n = 1 ] && exit 137\n[ $n = 2 ] && cp %s/ref.ckpt %s/x.ckpt && exit 75\nexit 0", dir, dir);
    write_launcher(dir, body);
    int rc = supervise_fake(dir, "--max-restarts 5", &err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(strstr(err, "[train] warning: the MPI job ended with exit code 137 (a rank was killed by signal 9) "
                          "before its first checkpoint; restarting from the beginning (restart 1 of 5)\n"), "%s", err);
    char want[1024];
    snprintf(want, sizeof want, "[train] warning: the MPI job ended with exit code 75 (a rank was lost or silent past "
             "--mpi-timeout); restarting from %s/x.ckpt iteration 1 (restart 2 of 5)\n", dir);
    cr_assert(strstr(err, want), "%s", err);
    snprintf(cmd, sizeof cmd, "%s/calls", dir);
    char *calls = pl_test_slurp(cmd, NULL);
    cr_assert_eq(pl_test_count_lines(calls), 3, "%s", calls);
    cr_assert_eq(count(calls, "--flag -np 3 "), 3, "the launcher's words, then -np N: %s", calls);
    cr_assert_eq(count(calls, " train "), 3, "%s", calls);
    const char *third = strrchr(calls, '\n');
    while (third > calls && third[-1] != '\n') third--;
    cr_assert_eq(count(calls, "--resume"), 1, "only the restart after the checkpoint resumes: %s", calls);
    cr_assert(strstr(third, "--resume"), "%s", calls);
    free(calls), free(err);
}

Test(supervise, restarts_end_at_max_restarts_and_real_errors_are_not_retried)
{
    need_mpi_build();
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 3, 1, 5), 0);
    char *err, calls[512];
    snprintf(calls, sizeof calls, "%s/calls", dir);
    write_launcher(dir, "exit 137");
    cr_assert_eq(supervise_fake(dir, "--max-restarts 2", &err), 1, "%s", err);
    cr_assert_eq(pl_test_file_lines(calls), 3, "the first run and 2 restarts");
    cr_assert_eq(count(err, "restarting from the beginning"), 2, "%s", err);
    cr_assert(strstr(err, "placer: error: train: the MPI job ended with exit code 137 (a rank was killed by signal 9) "
                          "after 2 restarts; giving up (--max-restarts)\n"), "%s", err);
    free(err);
    unlink(calls);
    write_launcher(dir, "exit 1");
    cr_assert_eq(supervise_fake(dir, "", &err), 1, "%s", err);
    cr_assert_eq(pl_test_file_lines(calls), 1, "bad input fails again if retried: run once");
    cr_assert(strstr(err, "placer: error: train: the MPI job failed with exit code 1 (not restarted: not a lost rank)\n"),
              "%s", err);
    cr_assert_null(strstr(err, "restarting"), "%s", err);
    free(err);
    unlink(calls);
    write_launcher(dir, "exit 0");
    cr_assert_eq(supervise_fake(dir, "--max-restarts 1", &err), 1, "%s", err);
    cr_assert(strstr(err, "exit code 0 short of the end (checkpoint at iteration 0 of 1)"),
              "a job that says success without the final checkpoint (mpirun --enable-recovery exits 0 "
              "whatever the ranks did) is restarted: %s", err);
    free(err);
}

Test(supervise, a_signal_to_the_supervisor_ends_the_job_and_the_supervision, .timeout = 60)
{
    need_mpi_build();
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 3, 1, 5), 0);
    write_launcher(dir, "exec sleep 30"); /* a job that runs until it is told to stop */
    char cmd[4096], calls[512], err_path[512];
    snprintf(calls, sizeof calls, "%s/calls", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    snprintf(cmd, sizeof cmd, "exec %s train %s/netlist.pb.txt -o %s/x.ckpt --supervise --np 2 --mpirun %s/launch.sh 2>%s",
             pl_test_placer(), dir, dir, dir, err_path);
    pid_t pid = pl_test_spawn(cmd);
    cr_assert(pl_test_wait_lines(calls, 1, pid, 20), "the job started");
    double t0 = pl_test_now();
    cr_assert_eq(kill(pid, SIGTERM), 0);
    int rc = pl_test_wait(pid, 20);
    char *err = pl_test_slurp(err_path, NULL);
    cr_assert_eq(rc, 1, "%s", err);
    cr_assert_lt(pl_test_now() - t0, 10, "the job got the signal too (it would sleep 30 s)");
    cr_assert(strstr(err, "placer: error: train: interrupted (signal 15); the MPI job ended with signal 15\n"), "%s", err);
    cr_assert_eq(pl_test_file_lines(calls), 1, "not restarted");
    free(err);
}

Test(supervise, option_errors)
{
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 3, 1, 5), 0);
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s/x.ckpt --supervise", pl_test_placer(), dir, dir);
    int rc = pl_test_run(cmd, &out, &err);
#ifdef PL_HAVE_MPI
    cr_assert_eq(rc, 2, "%s", err);
    cr_assert_str_eq(err, "placer: error: train: --supervise needs --np N, the number of MPI ranks\n");
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "OMPI_COMM_WORLD_SIZE=2 %s train %s/netlist.pb.txt -o %s/x.ckpt --supervise --np 2",
             pl_test_placer(), dir, dir);
    rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 2, "%s", err);
    cr_assert_str_eq(err, "placer: error: train: --supervise starts mpirun itself: run it without mpirun\n");
#else
    cr_assert_eq(rc, 1, "%s", err);
    cr_assert(strstr(err, "built without MPI"), "%s", err);
#endif
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s/x.ckpt --mpi-timeout -1", pl_test_placer(), dir, dir);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2, "%s", err);
    cr_assert(strstr(err, "--mpi-timeout"), "%s", err);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s/x.ckpt", dir);
    cr_assert_not(pl_test_exists(cmd), "no checkpoint");
}

/* A launcher whose ranks have all ended but which does not (Open MPI's mpirun can deadlock so in its
 * abort path, its ranks left unreaped): killed after 10 s, and the job counts as a lost rank. */
Test(supervise, a_launcher_that_outlives_its_ranks_is_killed, .timeout = 60)
{
    need_mpi_build();
    const char *dir = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(dir, 3, 1, 5), 0);
    /* the "rank" exits at once and, its parent being replaced by sleep, stays a zombie */
    write_launcher(dir, "(exit 75) &\nexec sleep 100");
    char *err;
    double t0 = pl_test_now();
    cr_assert_eq(supervise_fake(dir, "--max-restarts 0", &err), 1, "%s", err);
    double t = pl_test_now() - t0;
    cr_assert(t > 9.5 && t < 40, "killed after %.1f s", t);
    cr_assert(strstr(err, "placer: error: train: the MPI job ended with a hang: its ranks had ended, "), "%s", err);
    cr_assert(strstr(err, "launch.sh had not 10 s later (killed) after 0 restarts; giving up (--max-restarts)"), "%s",
              err);
    free(err);
}
