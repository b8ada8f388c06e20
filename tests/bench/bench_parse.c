/* bench_parse.c: LEF+DEF read time and peak memory for each shared design.
 * Prints one line per design:
 *   bench parse design=NAME median_ms=... min_ms=... runs=N peak_mb=... components=... nets=...
 * Each design is read in its own child process so peak_mb (max RSS) is that design's alone.
 * Designs absent from $PL_SHARED print "skipped=absent". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parsers/def.h"
#include "core/log.h"
#include "tests/shared_designs.h"
#include "tests/bench/benchutil.h"

enum { RUNS = 5 };

static int bench_one(const pl_shared_design *sd, const char *shared)
{
    char def[1024], lefbuf[6][1024];
    const char *lefs[6];
    int nlef = 0;
    snprintf(def, sizeof def, "%s/%s", shared, sd->def);
    for (; sd->lefs[nlef]; nlef++) {
        snprintf(lefbuf[nlef], sizeof lefbuf[0], "%s/%s", shared, sd->lefs[nlef]);
        lefs[nlef] = lefbuf[nlef];
    }
    if (access(def, R_OK) != 0) {
        printf("bench parse design=%s skipped=absent\n", sd->name);
        return 0;
    }
    double t[RUNS];
    long long comps = 0, nets = 0;
    for (int r = 0; r < RUNS; r++) {
        pl_netlist nl;
        pl_netlist_init(&nl);
        double t0 = now_ms();
        pl_status s = pl_design_read(&nl, def, lefs, nlef);
        t[r] = now_ms() - t0;
        if (s != PL_OK) {
            fprintf(stderr, "bench parse: %s\n", pl_errmsg());
            pl_netlist_free(&nl);
            return 1;
        }
        comps = nl.nnodes;
        nets = nl.nnets;
        pl_netlist_free(&nl);
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("bench parse design=%s median_ms=%.1f min_ms=%.1f runs=%d peak_mb=%.1f nodes=%lld nets=%lld\n",
           sd->name, t[RUNS / 2], t[0], RUNS, (double)ru.ru_maxrss / 1024.0, comps, nets);
    fflush(stdout);
    return 0;
}

int main(void)
{
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    pl_log_set_level(PL_LOG_QUIET);
    int bad = 0;
    for (int d = 0; d < PL_NSHARED_DESIGNS; d++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) _exit(bench_one(&PL_SHARED_DESIGNS[d], shared));
        int st = 0;
        waitpid(pid, &st, 0);
        bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    }
    return bad;
}
