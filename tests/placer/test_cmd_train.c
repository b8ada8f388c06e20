/* test_cmd_train.c: `placer train` on the command line: one summary line per iteration on stderr by default
 * and none with -q; -o an existing checkpoint is refused (exit 2, one line, before any work: no log is
 * started and the file keeps its bytes) unless --resume continues it or --force replaces it; --lef-dir gives
 * the LEFs of DEF designs; --device says where the network runs; --prior-wire is logged and steers the
 * rollouts. */
#include "gnn/ckpt.h"
#include "gnn/gpu.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

#define TRAIN_TINY "--episodes-per-iter 2 --fd-steps 2 --no-eval --hidden 8"

static const char *fixture(void)
{
    const char *d = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(d, 3, 2, 7), 0);
    return d;
}

/* Lines of s that start with prefix. */
static int lines_starting(const char *s, const char *prefix)
{
    int n = 0;
    for (const char *l = s; *l;) {
        n += !strncmp(l, prefix, strlen(prefix));
        const char *e = strchr(l, '\n');
        if (!e) break;
        l = e + 1;
    }
    return n;
}

Test(train_cli, one_line_per_iteration_and_q_silences_it, .timeout = 120)
{
    const char *d = fixture();
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s/a.ckpt --iterations 3 " TRAIN_TINY, pl_test_placer(), d,
             d);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    cr_assert_eq(lines_starting(err, "[train] iteration "), 3, "%s", err);
    for (int i = 1; i <= 3; i++) {
        char want[64];
        snprintf(want, sizeof want, "[train] iteration %d/3: reward mean ", i);
        cr_assert(strstr(err, want), "no '%s' in\n%s", want, err);
    }
    cr_assert(strstr(out, "checkpoint"), "the summary stays on stdout: %s", out);
    cr_assert_null(strstr(out, "[train]"), "%s", out);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s -q train %s/netlist.pb.txt -o %s/b.ckpt --iterations 2 " TRAIN_TINY, pl_test_placer(),
             d, d);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    cr_assert_eq(lines_starting(err, "[train] iteration "), 0, "-q: %s", err);
    free(out), free(err);
}

Test(train_cli, existing_checkpoint_needs_resume_or_force, .timeout = 120)
{
    const char *d = fixture();
    char cmd[2048], ck[512], log[512], *out, *err;
    snprintf(ck, sizeof ck, "%s/p.ckpt", d);
    snprintf(log, sizeof log, "%s/run.jsonl", d);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s --iterations 1 " TRAIN_TINY, pl_test_placer(), d, ck);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    free(out), free(err);
    size_t n0, n1;
    char *before = pl_test_slurp(ck, &n0);

    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s --log %s --iterations 2 " TRAIN_TINY, pl_test_placer(),
             d, ck, log);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2, "%s\n%s", cmd, err);
    cr_assert_eq(pl_test_count_lines(err), 1, "not one line:\n%s", err);
    cr_assert(strstr(err, "placer: error: train: -o ") && strstr(err, ck), "%s", err);
    cr_assert(strstr(err, "--resume") && strstr(err, "--force"), "%s", err);
    cr_assert_null(strstr(err, "[train] iteration"), "refused after some work:\n%s", err);
    cr_assert(!pl_test_exists(log), "refused after the log was started");
    char *after = pl_test_slurp(ck, &n1);
    cr_assert(n0 == n1 && memcmp(before, after, n0) == 0, "the checkpoint changed");
    free(after), free(out), free(err);

    /* --supervise refuses too, before starting mpirun */
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s --supervise --np 2 --mpirun /nonexistent/mpirun " TRAIN_TINY,
             pl_test_placer(), d, ck);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2, "%s\n%s", cmd, err);
    cr_assert(strstr(err, "--resume") && strstr(err, "--force") && !strstr(err, "nonexistent"), "%s", err);
    free(out), free(err);

    /* --resume continues it: 1 + 1 iterations */
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s --resume --iterations 2 " TRAIN_TINY, pl_test_placer(),
             d, ck);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    free(out), free(err);
    uint64_t step;
    cr_assert_eq(pl_gnn_ckpt_peek(ck, NULL, NULL, &step), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(step, 2);
    /* --force replaces it: a fresh run of 1 iteration */
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s --force --iterations 1 " TRAIN_TINY, pl_test_placer(), d,
             ck);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    free(out), free(err);
    cr_assert_eq(pl_gnn_ckpt_peek(ck, NULL, NULL, &step), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(step, 1);
    char *forced = pl_test_slurp(ck, &n1);
    cr_assert(n0 == n1 && memcmp(before, forced, n0) == 0, "same inputs and seed, same checkpoint");
    free(forced), free(before);
}

Test(train_cli, lef_dir_for_def_designs, .timeout = 120)
{
    const char *d = pl_test_tmpdir(), *libs = pl_test_tmpdir();
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd,
             "cp designs/small/small.def %s/ && cp designs/small/small.tlef designs/small/small_cells.lef "
             "designs/small/small_macros.lef %s/",
             d, libs);
    cr_assert_eq(pl_test_run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "%s train %s/small.def --lef-dir %s -o %s/p.ckpt --iterations 1 " TRAIN_TINY,
             pl_test_placer(), d, libs, d);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    cr_assert_eq(lines_starting(err, "[train] iteration 1/1"), 1, "%s", err);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train %s/small.def -o %s/q.ckpt --iterations 1 " TRAIN_TINY, pl_test_placer(), d, d);
    cr_assert_neq(pl_test_run(cmd, &out, &err), 0, "no LEF beside the DEF, none given: %s", out);
    free(out), free(err);
}

/* --device: cuda without a GPU is one line naming the reason (exit 1, nothing written); auto trains on the
 * CPU with a note, and the summary and every log line say "cpu"; a word that is not a device is a usage
 * error. With a GPU the refusal is unreachable: skipped. */
Test(train_cli, device_cuda_without_a_gpu_fails_and_auto_trains_on_the_cpu, .timeout = 120)
{
    char why[256];
    if (pl_gnn_cuda_available(why, sizeof why)) cr_skip_test("a GPU is present (%s)", why);
    const char *d = fixture();
    char cmd[2048], ck[512], log[512], *out, *err;
    snprintf(ck, sizeof ck, "%s/c.ckpt", d);
    snprintf(log, sizeof log, "%s/c.jsonl", d);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s --log %s --iterations 1 --device cuda " TRAIN_TINY,
             pl_test_placer(), d, ck, log);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 1, "%s\n%s", cmd, err);
    cr_assert_eq(pl_test_count_lines(err), 1, "one line: %s", err);
    cr_assert(strstr(err, "placer: error: ") && strstr(err, "--device cuda") && strstr(err, why), "%s", err);
    cr_assert_not(pl_test_exists(ck), "a checkpoint was written");
    cr_assert_not(pl_test_exists(log), "a log was started");
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s --log %s --iterations 2 --device auto --json " TRAIN_TINY,
             pl_test_placer(), d, ck, log);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    cr_assert(strstr(err, "[train] no GPU (") && strstr(err, "running on CPU"), "no note: %s", err);
    cr_assert(strstr(out, "\"device\": \"cpu\""), "%s", out);
    free(out), free(err);
    char *text = pl_test_slurp(log, NULL);
    cr_assert_not_null(text);
    cr_assert_eq(pl_test_count_lines(text), 2);
    const char *p = text;
    for (int i = 0; i < 2; i++, p++) cr_assert_not_null(p = strstr(p, "\"device\": \"cpu\""), "log line %d: %s", i + 1, text);
    free(text);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s/t.ckpt --device tpu " TRAIN_TINY, pl_test_placer(), d, d);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2, "%s\n%s", cmd, err);
    cr_assert(strstr(err, "--device") && strstr(err, "auto, cpu or cuda"), "%s", err);
    free(out), free(err);
}

/* --prior-wire W: the log says the weight, and the rollouts follow policy x wire mask, so the same seed
 * trains a different network than the policy alone (0, the default). */
Test(train_cli, prior_wire_is_logged_and_changes_the_rollouts, .timeout = 120)
{
    const char *d = fixture();
    char cmd[2048], ck[2][512], log[512], *out, *err;
    for (int w = 0; w < 2; w++) {
        snprintf(ck[w], sizeof ck[w], "%s/w%d.ckpt", d, w);
        snprintf(log, sizeof log, "%s/w%d.jsonl", d, w);
        snprintf(cmd, sizeof cmd, "%s -q train %s/netlist.pb.txt -o %s --log %s --iterations 1 --prior-wire %d " TRAIN_TINY,
                 pl_test_placer(), d, ck[w], log, w);
        cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
        free(out), free(err);
        char *l = pl_test_slurp(log, NULL), want[64];
        snprintf(want, sizeof want, "\"prior_wire\": %d", w);
        cr_assert(l && strstr(l, want), "%s lacks %s:\n%s", log, want, l);
        free(l);
    }
    size_t n0, n1;
    char *a = pl_test_slurp(ck[0], &n0), *b = pl_test_slurp(ck[1], &n1);
    cr_assert(a && b);
    cr_assert(n0 != n1 || memcmp(a, b, n0) != 0, "--prior-wire 1 trained the same network as 0");
    free(a), free(b);
    snprintf(cmd, sizeof cmd, "%s train %s/netlist.pb.txt -o %s/x.ckpt --prior-wire -1 " TRAIN_TINY, pl_test_placer(), d, d);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2, "%s\n%s", cmd, err);
    cr_assert(strstr(err, "prior-wire"), "%s", err);
    free(out), free(err);
}
