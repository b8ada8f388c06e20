/* bench_env.c: environment throughput of training rollouts on an Ariane-size design:
 *   bench env_steps design=D actors=0 steps_per_s=... episodes_per_s=...   (one process: the learner steps)
 *   bench env_steps design=D actors=N steps_per_s=... episodes_per_s=... ratio=...  (mpirun -np N+1, SEED RL)
 * Each case is one training iteration (8 episodes, 1 PPO epoch) of `placer train`; the rates are the
 * collection phase's, read from the JSON-lines log. ratio = steps/s over the 1-actor case. Absent
 * designs print skipped=absent, a missing mpirun skipped=no_mpirun. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static double field(const char *line, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(line, k);
    return p ? strtod(p + strlen(k), NULL) : -1;
}

/* Runs one iteration; fills steps/s and episodes/s; 0 on success. */
static int run(const char *placer, const char *design, int actors, double *sps, double *eps)
{
    char log[] = "/tmp/pl_bench_env_XXXXXX";
    int fd = mkstemp(log);
    if (fd < 0) return -1;
    close(fd);
    char cmd[4096], mpi[256] = "";
    if (actors > 0)
        snprintf(mpi, sizeof mpi,
                 "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np %d ", actors + 1);
    snprintf(cmd, sizeof cmd,
             "%s%s train %s --iterations 1 --episodes-per-iter 8 --epochs 1 --no-eval -o %s.ckpt --log %s >/dev/null 2>&1",
             mpi, placer, design, log, log);
    int rc = system(cmd);
    FILE *fp = fopen(log, "r");
    char line[16384] = "";
    if (fp) {
        if (!fgets(line, sizeof line, fp)) line[0] = 0;
        fclose(fp);
    }
    unlink(log);
    snprintf(cmd, sizeof cmd, "%s.ckpt", log);
    unlink(cmd);
    *sps = field(line, "steps_per_s"), *eps = field(line, "episodes_per_s");
    return rc == 0 && *sps > 0 ? 0 : -1;
}

int main(void)
{
    const char *shared = getenv("PL_SHARED") ? getenv("PL_SHARED") : "../shared";
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    char placer[1024], design[1024];
    snprintf(placer, sizeof placer, "%s/placer", build);
    snprintf(design, sizeof design, "%s/designs/ct_ng45_ariane133/netlist.pb.txt.gz", shared);
    const char *name = "ct_ng45_ariane133";
    if (access(design, R_OK) != 0) {
        printf("bench env_steps design=%s skipped=absent\n", name);
        return 0;
    }
    double sps, eps, base = 0;
    if (run(placer, design, 0, &sps, &eps) == 0)
        printf("bench env_steps design=%s actors=0 steps_per_s=%.1f episodes_per_s=%.3f\n", name, sps, eps);
    else printf("bench env_steps design=%s actors=0 failed=1\n", name);
    int have_mpi = system("command -v mpirun >/dev/null 2>&1") == 0;
    for (int n = 1; n <= 2; n++) {
        if (!have_mpi) {
            printf("bench env_steps design=%s actors=%d skipped=no_mpirun\n", name, n);
            continue;
        }
        if (run(placer, design, n, &sps, &eps) != 0) {
            printf("bench env_steps design=%s actors=%d failed=1\n", name, n);
            continue;
        }
        if (n == 1) base = sps;
        printf("bench env_steps design=%s actors=%d steps_per_s=%.1f episodes_per_s=%.3f ratio=%.2f\n", name, n, sps, eps,
               base > 0 ? sps / base : 0);
    }
    return 0;
}
