/* test_inputs.c: nothing a user gives us is ever lost (issue 18). Every command refuses, with exit 2, one
 * line on stderr and before any work, an output that is one of its inputs (design, LEF found beside the
 * DEF, placement, policy, log, --init checkpoint) or another output, by name, by another path, through a
 * symlink; the input's bytes stay as they were. A failing output path leaves no output at all; a crafted
 * checkpoint fails at once (within a second of `placer --help`'s own time) in little memory; input errors
 * are one printable line naming the file.
 * Every run works on copies in a temporary folder, never on the repository's files. */
#include <dirent.h>
#include <sys/resource.h>
#include <time.h>
#include <zlib.h>

#include "gnn/ckpt.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

#define QUICK "--policy none --effort fast --time-limit 0 --rollouts 4 --keep 2 --chains 1 --rounds 1 --moves-per-macro 100"

/* dir/name in a static ring of buffers. */
static const char *in_dir(const char *dir, const char *name)
{
    static char buf[16][512];
    static int k;
    char *b = buf[k++ & 15];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *s = pl_test_slurp(from, &n);
    FILE *f = fopen(to, "wb");
    cr_assert_not_null(f, "cannot write %s", to);
    cr_assert_eq(fwrite(s, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
    free(s);
}

/* A fresh folder with copies of designs/small (small.def and its three LEFs). */
static const char *small_copy(void)
{
    const char *dir = pl_test_tmpdir();
    const char *names[] = {"small.def", "small.tlef", "small_cells.lef", "small_macros.lef"};
    for (int i = 0; i < 4; i++) {
        char from[256];
        snprintf(from, sizeof from, "designs/small/%s", names[i]);
        copy_file(from, in_dir(dir, names[i]));
    }
    return dir;
}

/* Files in dir whose name contains ".tmp.": staging or temporary files left behind. */
static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

/* Runs `placer ARGS` (cwd: the repository root) and expects a refusal: exit 2, one line on stderr that
 * contains needle, `victim` byte for byte as before, no temporary left in the victim's folder. */
static void expect_refused(const char *args, const char *victim, const char *needle)
{
    size_t n0, n1;
    char *before = pl_test_slurp(victim, &n0);
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd, "%s %s", pl_test_placer(), args);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 2, "%s: exit %d\n%s", cmd, rc, err);
    cr_assert_eq(pl_test_count_lines(err), 1, "%s: not one line:\n%s", cmd, err);
    cr_assert(strstr(err, "placer: error: "), "%s", err);
    cr_assert(strstr(err, needle), "%s: stderr lacks '%s':\n%s", cmd, needle, err);
    char *after = pl_test_slurp(victim, &n1);
    cr_assert(n0 == n1 && memcmp(before, after, n0) == 0, "%s changed %s", cmd, victim);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", victim);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    cr_assert_eq(count_tmp(slash ? dir : "."), 0, "%s left a temporary file", cmd);
    free(before), free(after), free(out), free(err);
}

Test(inputs_sacred, place_report_over_the_design)
{
    const char *d = small_copy(), *def = in_dir(d, "small.def");
    char a[2048];
    snprintf(a, sizeof a, "place %s --report %s " QUICK, def, def);
    expect_refused(a, def, "--report");
    snprintf(a, sizeof a, "%s --json --report %s " QUICK, def, def); /* the implicit `placer DESIGN.def` */
    expect_refused(a, def, "an output never replaces an input");
}

Test(inputs_sacred, place_output_over_the_design_by_any_path)
{
    const char *d = small_copy(), *def = in_dir(d, "small.def");
    char a[2048];
    snprintf(a, sizeof a, "place %s -o %s " QUICK, def, def);
    expect_refused(a, def, "the design");
    snprintf(a, sizeof a, "place %s -o %s/../%s/small.def " QUICK, def, d, strrchr(d, '/') + 1);
    expect_refused(a, def, "the design");
    cr_assert_eq(symlink("small.def", in_dir(d, "link.def")), 0);
    snprintf(a, sizeof a, "place %s -o %s " QUICK, def, in_dir(d, "link.def"));
    expect_refused(a, def, "the design");
    cr_assert_eq(link(def, in_dir(d, "hard.def")), 0);
    snprintf(a, sizeof a, "place %s -o %s " QUICK, def, in_dir(d, "hard.def"));
    expect_refused(a, def, "the design");
}

Test(inputs_sacred, place_output_over_a_lef_found_beside_the_def)
{
    const char *d = small_copy(), *def = in_dir(d, "small.def"), *lef = in_dir(d, "small_macros.lef");
    char a[2048];
    snprintf(a, sizeof a, "place %s -o %s " QUICK, def, lef);
    expect_refused(a, lef, "the LEF");
    snprintf(a, sizeof a, "place %s --lef %s --lef %s --lef %s --report %s " QUICK, def, in_dir(d, "small.tlef"),
             in_dir(d, "small_cells.lef"), lef, in_dir(d, "x.json"));
    cr_assert_eq(symlink("small.tlef", in_dir(d, "x.json")), 0); /* --report through a symlink to a given LEF */
    expect_refused(a, in_dir(d, "small.tlef"), "--report");
}

Test(inputs_sacred, place_policy_and_two_outputs_the_same)
{
    const char *d = small_copy(), *def = in_dir(d, "small.def");
    char a[2048];
    copy_file("tests/data/tiny/tiny.lef", in_dir(d, "p.ckpt")); /* any bytes: refused before it is read */
    snprintf(a, sizeof a, "place %s --policy %s -o %s", def, in_dir(d, "p.ckpt"), in_dir(d, "p.ckpt"));
    expect_refused(a, in_dir(d, "p.ckpt"), "the policy");
    copy_file(def, in_dir(d, "o.def"));
    snprintf(a, sizeof a, "place %s -o %s --report %s " QUICK, def, in_dir(d, "o.def"), in_dir(d, "o.def"));
    expect_refused(a, in_dir(d, "o.def"), "are the same file");
}

Test(inputs_sacred, cluster_render_and_plot)
{
    const char *d = small_copy(), *def = in_dir(d, "small.def");
    char a[2048];
    snprintf(a, sizeof a, "cluster %s -o %s", def, def);
    expect_refused(a, def, "cluster: -o");
    snprintf(a, sizeof a, "cluster %s -o %s --plc %s", def, in_dir(d, "c.pb.txt"), in_dir(d, "small_cells.lef"));
    expect_refused(a, in_dir(d, "small_cells.lef"), "--plc");
    cr_assert_eq(symlink("small.def", in_dir(d, "img.svg")), 0);
    snprintf(a, sizeof a, "render %s -o %s", def, in_dir(d, "img.svg"));
    expect_refused(a, def, "render: -o");
    FILE *f = fopen(in_dir(d, "log.svg"), "w");
    cr_assert_not_null(f);
    fputs("{\"iteration\": 1, \"reward_mean\": -1.0}\n", f);
    fclose(f);
    snprintf(a, sizeof a, "plot %s -o %s", in_dir(d, "log.svg"), in_dir(d, "log.svg"));
    expect_refused(a, in_dir(d, "log.svg"), "the log");
}

#define TRAIN_QUICK "--episodes-per-iter 2 --fd-steps 2 --no-eval --iterations 1"

Test(inputs_sacred, train_never_replaces_a_design_and_init_needs_force, .timeout = 120)
{
    const char *d = pl_test_tmpdir();
    cr_assert_eq(rl_fixture_write(d, 3, 2, 5), 0);
    const char *net = in_dir(d, "netlist.pb.txt"), *plc = in_dir(d, "initial.plc"), *ck = in_dir(d, "p.ckpt");
    char a[2048], cmd[4096], *out, *err;
    snprintf(a, sizeof a, "train %s -o %s " TRAIN_QUICK, net, net);
    expect_refused(a, net, "the design");
    snprintf(a, sizeof a, "train %s -o %s " TRAIN_QUICK, net, plc); /* initial.plc beside it is read too */
    expect_refused(a, plc, "the placement");
    snprintf(a, sizeof a, "train %s -o %s --log %s " TRAIN_QUICK, net, ck, net);
    expect_refused(a, net, "--log");

    snprintf(cmd, sizeof cmd, "%s train %s -o %s " TRAIN_QUICK, pl_test_placer(), net, ck);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    free(out), free(err);
    snprintf(a, sizeof a, "train %s --init %s -o %s " TRAIN_QUICK, net, ck, ck);
    expect_refused(a, ck, "--force");
    snprintf(cmd, sizeof cmd, "%s train %s --init %s -o %s --force " TRAIN_QUICK, pl_test_placer(), net, ck, ck);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "--force lets -o replace --init: %s\n%s", cmd, err);
    free(out), free(err);
    uint64_t step;
    cr_assert_eq(pl_gnn_ckpt_peek(ck, NULL, NULL, &step), PL_OK, "%s", pl_errmsg());
}

/* ---- all or nothing ---- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs the placer with argv (argv[0] is set here), stdout and stderr to files in dir; the exit code,
 * the wall time and the placer's peak resident memory (KiB). The placer is started by a small
 * python3 process that reads its children's ru_maxrss: a process forked from this test and then
 * exec'd would report the test's own peak (Linux keeps the pre-exec high-water mark). *err gets
 * stderr. */
static int run_measured(const char *dir, char **argv, double *seconds, long *maxrss_kb, char **err)
{
    static const char script[] = "import resource, subprocess, sys\n"
                                 "r = subprocess.run(sys.argv[2:]).returncode\n"
                                 "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
                                 "sys.exit(r if r >= 0 else 128)\n";
    argv[0] = (char *)pl_test_placer();
    int n = 0;
    while (argv[n]) n++;
    char **av = calloc((size_t)n + 5, sizeof *av);
    cr_assert_not_null(av);
    const char *fe = in_dir(dir, "stderr.txt"), *fm = in_dir(dir, "maxrss.txt");
    av[0] = "python3", av[1] = "-c", av[2] = (char *)script, av[3] = (char *)fm;
    for (int i = 0; i < n; i++) av[4 + i] = argv[i];
    double t0 = now_s();
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen(fe, "w", stderr)) _exit(126);
        execvp(av[0], av);
        _exit(127);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    *seconds = now_s() - t0;
    free(av);
    char *m = pl_test_slurp(fm, NULL);
    cr_assert_not_null(m, "python3 did not report the peak memory");
    *maxrss_kb = atol(m);
    free(m);
    unlink(fm);
    *err = pl_test_slurp(fe, NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* `placer --help` run as run_measured runs it: the program's own start (python3 around it, and a CUDA build
 * maps cuBLAS, ~230 MB, before main: docs/gpu.md), the floor of any run's time and memory on this machine now. */
static void measure_start(const char *dir, double *seconds, long *maxrss_kb)
{
    char *hv[] = {NULL, "--help", NULL}, *herr;
    cr_assert_eq(run_measured(dir, hv, seconds, maxrss_kb, &herr), 0);
    free(herr);
}

Test(all_or_nothing, a_bad_report_path_fails_at_once_and_writes_no_def)
{
    const char *d = small_copy();
    char *argv[] = {NULL, "place", (char *)in_dir(d, "small.def"), "-o", (char *)in_dir(d, "out.def"),
                    "--report", "/nonexistent/dir/r.json", "--policy", "none", NULL};
    double sec;
    long kb;
    char *err;
    int rc = run_measured(d, argv, &sec, &kb, &err);
    cr_assert_neq(rc, 0, "a report that cannot be written must fail the run");
    cr_assert_eq(pl_test_count_lines(err), 1, "%s", err);
    cr_assert(strstr(err, "/nonexistent/dir/r.json"), "%s", err);
    cr_assert_not(pl_test_exists(in_dir(d, "out.def")), "the DEF was written although the report failed");
    cr_assert_eq(count_tmp(d), 0);
    double hsec;
    long base;
    measure_start(d, &hsec, &base);
    cr_assert_lt(sec, 1.0 + hsec, "a bad output path took %.2f s to fail (placer --help %.2f s)", sec, hsec);
    free(err);
}

Test(all_or_nothing, every_output_or_none)
{
    const char *d = small_copy();
    char cmd[4096], *out, *err;
    /* a folder that is a file: the image cannot be written, so neither the DEF nor the report is */
    FILE *f = fopen(in_dir(d, "notadir"), "w");
    cr_assert_not_null(f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s place %s -o %s --report %s --image %s " QUICK, pl_test_placer(),
             in_dir(d, "small.def"), in_dir(d, "o.def"), in_dir(d, "r.json"), in_dir(d, "notadir/i.png"));
    cr_assert_neq(pl_test_run(cmd, &out, &err), 0, "%s", cmd);
    cr_assert_eq(pl_test_count_lines(err), 1, "%s", err);
    cr_assert_not(pl_test_exists(in_dir(d, "o.def")));
    cr_assert_not(pl_test_exists(in_dir(d, "r.json")));
    free(out), free(err);
    /* all of them, and no staging file left */
    snprintf(cmd, sizeof cmd, "%s place %s -o %s --report %s " QUICK, pl_test_placer(), in_dir(d, "small.def"),
             in_dir(d, "o.def.gz"), in_dir(d, "r.json"));
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    size_t n;
    char *gz = pl_test_slurp(in_dir(d, "o.def.gz"), &n);
    cr_assert(n > 2 && (unsigned char)gz[0] == 0x1f && (unsigned char)gz[1] == 0x8b, "a .gz output is gzipped");
    char *rep = pl_test_slurp(in_dir(d, "r.json"), NULL);
    cr_assert(strstr(rep, "\"output\""), "%s", rep);
    cr_assert_eq(count_tmp(d), 0);
    free(gz), free(rep), free(out), free(err);
}

/* A 100-byte checkpoint whose header is self-consistent (valid magic, CRC, architecture in range,
 * parameter count and payload size those of the architecture) but which holds no payload: refused from
 * its size before a model is built, in well under a second and 50 MB. */
Test(all_or_nothing, a_crafted_checkpoint_fails_fast_and_small)
{
    const char *d = small_copy();
    const char *ck = in_dir(d, "evil.ckpt");
    pl_gnn_config c = {8, 12, 1024, 64, 0, 1024, 1024, 64, 0}; /* about 600 M parameters */
    size_t np = pl_gnn_config_nparams(&c);
    unsigned char b[PL_GNN_CKPT_HEADER_BYTES] = "PLGNNCKP";
    uint64_t fields[] = {1, 7, np, 0};
    for (int i = 0; i < 4; i++) b[8 + i] = (unsigned char)(1 >> (8 * i));                        /* version */
    for (int i = 0; i < 4; i++) b[12 + i] = (unsigned char)(PL_GNN_CKPT_HEADER_BYTES >> (8 * i)); /* header */
    int32_t cf[8] = {c.node_feats, c.meta_feats, c.hidden, c.layers, c.head, c.grid_embed, c.conv_channels,
                     c.conv_layers};
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < 4; i++) b[16 + 4 * k + i] = (unsigned char)((uint32_t)cf[k] >> (8 * i));
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 8; i++) b[48 + 8 * k + i] = (unsigned char)(fields[k] >> (8 * i)); /* seed step n t */
    uint64_t payload = 4 * (uint64_t)np;
    for (int i = 0; i < 8; i++) b[84 + i] = (unsigned char)(payload >> (8 * i));
    uLong crc = crc32(crc32(0L, Z_NULL, 0), b, 96);
    for (int i = 0; i < 4; i++) b[96 + i] = (unsigned char)(crc >> (8 * i));
    FILE *f = fopen(ck, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, sizeof b, f), sizeof b);
    fclose(f);
    char *argv[] = {NULL, "place", (char *)in_dir(d, "small.def"), "-o", (char *)in_dir(d, "out.def"),
                    "--policy", (char *)ck, NULL};
    double sec;
    long kb;
    char *err;
    int rc = run_measured(d, argv, &sec, &kb, &err);
    cr_assert_neq(rc, 0);
    cr_assert_eq(pl_test_count_lines(err), 1, "%s", err);
    cr_assert(strstr(err, "evil.ckpt") && strstr(err, "truncated"), "%s", err);
    double hsec; /* against the program's own start */
    long base;
    measure_start(d, &hsec, &base);
    cr_assert_lt(sec, 1.0 + hsec, "the crafted checkpoint took %.2f s to fail (placer --help %.2f s)", sec, hsec);
    cr_assert_lt(kb - base, 50 * 1024, "the crafted checkpoint took %ld KiB (placer --help %ld KiB)", kb, base);
    cr_assert_not(pl_test_exists(in_dir(d, "out.def")));
    free(err);
}

/* ---- one line, naming the file ---- */

static void expect_input_error(const char *args, const char *file, const char *needle)
{
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd, "%s %s", pl_test_placer(), args);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_neq(rc, 0, "%s succeeded:\n%s", cmd, out);
    cr_assert_eq(pl_test_count_lines(err), 1, "%s: not one line:\n%s", cmd, err);
    cr_assert(strstr(err, file), "%s: the error does not name %s:\n%s", cmd, file, err);
    cr_assert(strstr(err, needle), "%s: stderr lacks '%s':\n%s", cmd, needle, err);
    for (const char *p = err; *p && p[1]; p++)
        cr_assert((unsigned char)*p >= 32 && *p != 127, "%s: a control byte in the message:\n%s", cmd, err);
    free(out), free(err);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

Test(one_line, empty_and_degenerate_inputs_are_errors_naming_the_file)
{
    const char *d = pl_test_tmpdir();
    rl_fixture_write(d, 3, 2, 5);
    char a[2048];
    const char *net = in_dir(d, "netlist.pb.txt");
    put(in_dir(d, "empty.plc"), "");
    snprintf(a, sizeof a, "eval %s --placement %s", net, in_dir(d, "empty.plc"));
    expect_input_error(a, "empty.plc", "empty .plc");
    put(in_dir(d, "empty.pb.txt"), "# nothing\n");
    snprintf(a, sizeof a, "eval %s", in_dir(d, "empty.pb.txt"));
    expect_input_error(a, "empty.pb.txt", "no nodes");
    /* a name of two lines (a CT string escape), quoted in a one-line error */
    put(in_dir(d, "nl.pb.txt"), "node {\n  name: \"evil\\nname\"\n}\n");
    snprintf(a, sizeof a, "eval %s", in_dir(d, "nl.pb.txt"));
    expect_input_error(a, "nl.pb.txt:1:", "evil?name");

    char *src = pl_test_slurp("tests/data/tiny/tiny.def", NULL);
    const char *die = strstr(src, "DIEAREA");
    cr_assert_not_null(die);
    const char *eol = strchr(die, '\n');
    const char *bad[] = {"DIEAREA ( 0 0 ) ( -100000 -80000 ) ;", "DIEAREA ( 0 0 ) ( 0 80000 ) ;",
                         "DIEAREA ( 0 0 ) ( 1e20 80000 ) ;"};
    const char *why[] = {"negative extent", "zero", "out of range"};
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(in_dir(d, "die.def"), "w");
        cr_assert_not_null(f);
        fprintf(f, "%.*s%s%s", (int)(die - src), src, bad[i], eol);
        fclose(f);
        snprintf(a, sizeof a, "info %s --lef tests/data/tiny/tiny.lef", in_dir(d, "die.def"));
        expect_input_error(a, "die.def:10:", why[i]);
    }
    free(src);
}
