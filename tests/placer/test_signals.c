/* test_signals.c: `placer place` under signals: the first SIGINT ends the search and writes the best
 * result so far (a legal DEF, the report saying "interrupted"); a second SIGINT, or SIGTERM, ends the
 * process by the signal with no output and no staged file left in the output folder. */
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "parsers/def.h"
#include "search/legalize.h"
#include "tests/testutil.h"

static void setup(void) { pl_log_set_level(PL_LOG_QUIET); }
TestSuite(signals, .init = setup, .timeout = 120);

/* Starts `placer -q place designs/demo/demo.def` (budgets long enough to be interrupted) writing
 * DIR/out.def and DIR/out.json; stderr to DIR/err.txt. */
static pid_t start_place(const char *dir)
{
    char out[512], rep[512], err[512];
    snprintf(out, sizeof out, "%s/out.def", dir);
    snprintf(rep, sizeof rep, "%s/out.json", dir);
    snprintf(err, sizeof err, "%s/err.txt", dir);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        if (!freopen(err, "w", stderr)) _exit(127);
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        execl(pl_test_placer(), pl_test_placer(), "-q", "place", "designs/demo/demo.def", "--policy", "none",
              "--effort", "default", "--time-limit", "0", "--threads", "1", "-o", out, "--report", rep, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits for pid at most `seconds`; returns its wait status (kills it and fails on a timeout). */
static int wait_for(pid_t pid, double seconds)
{
    for (int i = 0; i < (int)(seconds * 20); i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) return st;
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    cr_assert_fail("placer did not end within %.0f s", seconds);
    return -1;
}

/* Files in dir other than err.txt and the names given. */
static int stray_files(const char *dir, const char *a, const char *b)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *m = e->d_name;
        if (!strcmp(m, ".") || !strcmp(m, "..") || !strcmp(m, "err.txt")) continue;
        if ((a && !strcmp(m, a)) || (b && !strcmp(m, b))) continue;
        n++;
    }
    closedir(d);
    return n;
}

static void fresh_dir(char *dir, size_t len, const char *name)
{
    snprintf(dir, len, "%s/%s", pl_test_tmpdir(), name);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    cr_assert_eq(system(cmd), 0);
}

Test(signals, first_sigint_writes_the_best_result_so_far)
{
    char dir[512];
    fresh_dir(dir, sizeof dir, "sigint1");
    pid_t pid = start_place(dir);
    sleep(4); /* into the refinement: the default effort's budgets run for minutes */
    kill(pid, SIGINT);
    int st = wait_for(pid, 60);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
    cr_assert_eq(stray_files(dir, "out.def", "out.json"), 0, "no staged file left");
    char path[600];
    snprintf(path, sizeof path, "%s/out.json", dir);
    char *rep = pl_test_slurp(path, NULL);
    cr_assert_not_null(rep);
    cr_assert(strstr(rep, "\"interrupted\": true") || strstr(rep, "\"interrupted\":true"), "%s", rep);
    free(rep);
    snprintf(path, sizeof path, "%s/out.def", dir);
    const char *lefs[] = {"designs/demo/demo.tlef", "designs/demo/demo_cells.lef", "designs/demo/demo_macros.lef"};
    pl_netlist nl;
    pl_netlist_init(&nl);
    cr_assert_eq(pl_design_read(&nl, path, lefs, 3), PL_OK, "%s", pl_errmsg());
    pl_legalize_config lc;
    pl_legalize_config_default(&lc);
    char msg[256];
    cr_assert_eq(pl_legalize_check(&nl, &lc, msg, sizeof msg), 0, "%s", msg);
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) cr_assert_eq(nl.nodes[i].state, PL_PLACE_FIXED);
    pl_netlist_free(&nl);
}

Test(signals, second_sigint_or_sigterm_leave_nothing)
{
    const int sigs[2][2] = {{SIGINT, SIGINT}, {SIGTERM, 0}};
    for (int k = 0; k < 2; k++) {
        char dir[512];
        fresh_dir(dir, sizeof dir, k ? "sigterm" : "sigint2");
        pid_t pid = start_place(dir);
        sleep(3);
        kill(pid, sigs[k][0]);
        if (sigs[k][1]) {
            usleep(20000);
            kill(pid, sigs[k][1]);
        }
        int st = wait_for(pid, 60);
        cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == sigs[k][0], "ended by the signal (status %d)", st);
        cr_assert_eq(stray_files(dir, NULL, NULL), 0, "no output and no staged file");
    }
}
