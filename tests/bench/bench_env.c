/* bench_env.c: environment throughput of training rollouts on an Ariane-size design, by learner device:
 *   bench env_steps design=D actors=0 learner=cpu steps_per_s=... episodes_per_s=... update_s=...
 *     (one process: the learner steps the environments itself)
 *   bench env_steps design=D actors=N learner=cpu ... ratio=...  (mpirun -np N+1, SEED RL; ratio = steps/s
 *     over the 1-actor case)
 *   bench env_steps design=D actors=0|2 learner=cuda ... cpu_ratio=...  (the same with --device cuda;
 *     cpu_ratio = steps/s over the CPU learner's with as many actors; skipped=no-gpu without a GPU)
 * Each case is one training iteration (8 episodes, 1 PPO epoch) of `placer train`; the rates are the
 * collection phase's and update_s the PPO update's, read from the JSON-lines log. Absent designs print
 * skipped=absent, a missing mpirun skipped=no_mpirun. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gnn/gpu.h"

static double field(const char *line, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(line, k);
    return p ? strtod(p + strlen(k), NULL) : -1;
}

typedef struct rates {
    double sps, eps, update_s;
} rates;

/* Runs one iteration with the learner on device; fills r; 0 on success. */
static int run(const char *placer, const char *design, int actors, const char *device, rates *r)
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
             "%s%s train %s --device %s --iterations 1 --episodes-per-iter 8 --epochs 1 --no-eval -o %s.ckpt --log %s "
             ">/dev/null 2>&1",
             mpi, placer, design, device, log, log);
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
    r->sps = field(line, "steps_per_s"), r->eps = field(line, "episodes_per_s"), r->update_s = field(line, "update_s");
    return rc == 0 && r->sps > 0 ? 0 : -1;
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
    int have_mpi = system("command -v mpirun >/dev/null 2>&1") == 0;
    char why[256];
    int gpu = pl_gnn_cuda_available(why, sizeof why);
    for (char *p = why; *p; p++) /* the reason as one token */
        if (*p == ' ' || *p == '=' || *p == '\t') *p = '-';
    double base = 0, cpu_sps[3] = {0, 0, 0};
    for (int dev = 0; dev < 2; dev++) {
        const char *learner = dev ? "cuda" : "cpu";
        for (int n = 0; n <= 2; n++) {
            if (dev && n == 1) continue; /* cuda: alone and with 2 actors */
            if (dev && !gpu) {
                printf("bench env_steps design=%s actors=%d learner=cuda skipped=no-gpu reason=%s\n", name, n, why);
                continue;
            }
            if (n > 0 && !have_mpi) {
                printf("bench env_steps design=%s actors=%d learner=%s skipped=no_mpirun\n", name, n, learner);
                continue;
            }
            rates r;
            if (run(placer, design, n, learner, &r) != 0) {
                printf("bench env_steps design=%s actors=%d learner=%s failed=1\n", name, n, learner);
                continue;
            }
            printf("bench env_steps design=%s actors=%d learner=%s steps_per_s=%.1f episodes_per_s=%.3f update_s=%.3f", name,
                   n, learner, r.sps, r.eps, r.update_s);
            if (!dev) cpu_sps[n] = r.sps;
            if (!dev && n == 1) base = r.sps;
            if (!dev && n == 2 && base > 0) printf(" ratio=%.2f", r.sps / base);
            if (dev && cpu_sps[n] > 0) printf(" cpu_ratio=%.2f", r.sps / cpu_sps[n]);
            printf("\n");
        }
    }
    return 0;
}
