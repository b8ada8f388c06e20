/* supervise.c: `placer train --supervise` (see supervise.h). */
#include "placer/supervise.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gnn/ckpt.h"
#include "core/clock.h"
#include "core/log.h"
#include "rl/mpi_seed.h"

enum { MAX_WORDS = 64 };

static volatile sig_atomic_t got_signal;
static volatile pid_t job_pid;

/* SIGINT/SIGTERM/SIGHUP: passed on to the job, and no restart after it. */
static void on_signal(int sig)
{
    got_signal = sig;
    if (job_pid > 0) kill(job_pid, sig);
}

typedef struct file_id {
    int exists;
    struct stat st;
} file_id;

static void file_id_get(const char *path, file_id *id)
{
    memset(id, 0, sizeof *id);
    id->exists = stat(path, &id->st) == 0;
}

/* The checkpoint was written (renamed into place) since `before` was taken. */
static int rewritten(const file_id *before, const file_id *now)
{
    if (!now->exists) return 0;
    if (!before->exists) return 1;
    const struct stat *a = &before->st, *b = &now->st;
    return a->st_dev != b->st_dev || a->st_ino != b->st_ino || a->st_size != b->st_size ||
           a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

/* The checkpoint's step, -1 when it cannot be read. */
static int64_t ckpt_step(const char *path)
{
    pl_gnn_config gc;
    uint64_t seed, step;
    if (pl_gnn_ckpt_peek(path, &gc, &seed, &step) != PL_OK) {
        pl_err_clear();
        return -1;
    }
    return (int64_t)step;
}

/* Starts the job; *pid gets the child. */
static pl_status spawn(char **av, pid_t *pid)
{
    fflush(stdout), fflush(stderr);
    pid_t p = fork();
    if (p < 0) return pl_err(PL_EIO, "train: --supervise: fork failed: %s", strerror(errno));
    if (p == 0) {
        setenv("PL_TRAIN_SUPERVISED", "1", 1);
        execvp(av[0], av);
        fprintf(stderr, "[train] error: --supervise: cannot run %s: %s\n", av[0], strerror(errno));
        _exit(127); /* the forked child: nothing of this process may run on */
    }
    *pid = p;
    return PL_OK;
}

/* The children of pid (every thread's, from /proc) that have not ended (state other than zombie);
 * *had: how many there are, ended ones included. 0 and *had 0 when /proc cannot tell. */
static int live_children(pid_t pid, int *had)
{
    *had = 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d) return 0;
    int live = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char cp[PATH_MAX];
        snprintf(cp, sizeof cp, "/proc/%d/task/%s/children", (int)pid, e->d_name);
        FILE *f = fopen(cp, "r");
        if (!f) continue;
        for (long c; fscanf(f, "%ld", &c) == 1;) {
            char sp[64], stat[512];
            snprintf(sp, sizeof sp, "/proc/%ld/stat", c);
            FILE *g = fopen(sp, "r");
            size_t n = g ? fread(stat, 1, sizeof stat - 1, g) : 0;
            if (g) fclose(g);
            stat[n] = 0;
            const char *r = strrchr(stat, ')'); /* "pid (comm) S ...": the state follows the name */
            ++*had;
            live += !(r && r[1] == ' ' && r[2] == 'Z');
        }
        fclose(f);
    }
    closedir(d);
    return live;
}

/* Waits for the job. Open MPI's mpirun can deadlock in its abort path after every rank has ended (they
 * stay zombies, never reaped): when the job's children have all ended and it has not for
 * PL_SUPERVISE_HANG_S seconds, it is killed and *hung set. */
enum { PL_SUPERVISE_HANG_S = 10 };
static void wait_job(pid_t pid, int *status, int *hung)
{
    *hung = 0;
    double since = -1;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) return;
        int had, live = live_children(pid, &had);
        double now = pl_clock_seconds();
        if (!(had > 0 && live == 0)) since = -1;
        else if (since < 0) since = now;
        else if (now - since > PL_SUPERVISE_HANG_S) {
            kill(pid, SIGKILL);
            *hung = 1;
            while (waitpid(pid, status, 0) < 0 && errno == EINTR) {}
            return;
        }
        usleep(100000);
    }
}

/* How the job ended, for a message. */
static void describe(int status, char *buf, size_t len)
{
    if (WIFSIGNALED(status)) snprintf(buf, len, "signal %d", WTERMSIG(status));
    else if (WEXITSTATUS(status) > 128)
        snprintf(buf, len, "exit code %d (a rank was killed by signal %d)", WEXITSTATUS(status), WEXITSTATUS(status) - 128);
    else if (WEXITSTATUS(status) == PL_SEED_EXIT_RETRY)
        snprintf(buf, len, "exit code %d (a rank was lost or silent past --mpi-timeout)", PL_SEED_EXIT_RETRY);
    else snprintf(buf, len, "exit code %d", WEXITSTATUS(status));
}

pl_status pl_supervise_train(const pl_supervise_config *cfg, int argc, char **argv, int *restarts)
{
    *restarts = 0;
#ifndef PL_HAVE_MPI
    return pl_err(PL_ENOTSUP, "train: --supervise runs mpirun, but this placer was built without MPI (make MPI=1)");
#endif
    if (cfg->np < 1) return pl_err(PL_EINVAL, "train: --supervise needs --np N, the number of MPI ranks");
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return pl_err(PL_ENOTSUP, "train: --supervise: cannot find this executable (/proc/self/exe)");
    exe[n] = 0;
    /* LAUNCHER... -np N EXE ARGV... [--resume] NULL */
    char *words = strdup(cfg->launcher ? cfg->launcher : "mpirun"), np[16];
    char **av = calloc((size_t)argc + MAX_WORDS + 6, sizeof *av);
    if (!words || !av) {
        free(words), free(av);
        return pl_err(PL_ENOMEM, "train: out of memory");
    }
    int k = 0;
    for (char *save = NULL, *w = strtok_r(words, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
        if (k < MAX_WORDS) av[k++] = w;
    pl_status s = k ? PL_OK : pl_err(PL_EINVAL, "train: --mpirun is empty");
    snprintf(np, sizeof np, "%d", cfg->np);
    av[k++] = "-np", av[k++] = np, av[k++] = exe;
    pl_log_level lv = pl_log_get_level(); /* placer's global -q/-v, before the command */
    if (lv != PL_LOG_WARN) av[k++] = lv == PL_LOG_QUIET ? "-q" : lv == PL_LOG_INFO ? "-v" : "-vv";
    for (int i = 0; i < argc; i++) av[k++] = argv[i];
    const int resume_at = k; /* "--resume" goes here on a restart */

    file_id before;
    file_id_get(cfg->ckpt, &before);
    struct sigaction sa, old[3];
    const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    got_signal = 0;
    for (int i = 0; i < 3; i++) sigaction(sigs[i], &sa, &old[i]);
    pl_info("train", "--supervise: %s -np %d %s train ... (at most %d restarts)", av[0], cfg->np, exe, cfg->max_restarts);
    while (s == PL_OK) {
        pid_t pid = 0;
        if ((s = spawn(av, &pid)) != PL_OK) break;
        job_pid = pid;
        int status = 0, hung = 0;
        wait_job(pid, &status, &hung);
        job_pid = 0;
        file_id now;
        file_id_get(cfg->ckpt, &now);
        int ours = cfg->resume ? now.exists : rewritten(&before, &now); /* a checkpoint of this run */
        int64_t step = ours ? ckpt_step(cfg->ckpt) : -1;
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        char how[160];
        describe(status, how, sizeof how);
        if (hung)
            snprintf(how, sizeof how, "a hang: its ranks had ended, %s had not %d s later (killed)", av[0],
                     PL_SUPERVISE_HANG_S);
        if (got_signal) {
            s = pl_err(PL_EIO, "train: interrupted (signal %d); the MPI job ended with %s%s", (int)got_signal, how,
                       step >= 0 ? "; --resume continues from the checkpoint" : "");
            break;
        }
        if (code == 0 && (cfg->iterations <= step || (!ours && cfg->iterations == 0))) break; /* done */
        int retry = code == 0 || code > 128 || code == PL_SEED_EXIT_RETRY;
        if (!retry) {
            s = pl_err(code == 2 ? PL_EINVAL : PL_EMPI, "train: the MPI job failed with %s (not restarted: not a lost rank)",
                       how);
            break;
        }
        if (code == 0) snprintf(how, sizeof how, "exit code 0 short of the end (checkpoint at iteration %lld of %lld)",
                                (long long)(step > 0 ? step : 0), (long long)cfg->iterations);
        if (*restarts >= cfg->max_restarts) {
            s = pl_err(PL_EMPI, "train: the MPI job ended with %s after %d restarts; giving up (--max-restarts)%s", how,
                       *restarts, step >= 0 ? "; --resume continues from the checkpoint" : "");
            break;
        }
        ++*restarts;
        if (step >= 0) {
            av[resume_at] = "--resume";
            pl_warn("train", "the MPI job ended with %s; restarting from %s iteration %lld (restart %d of %d)", how,
                    cfg->ckpt, (long long)step, *restarts, cfg->max_restarts);
        } else {
            av[resume_at] = cfg->resume ? "--resume" : NULL;
            pl_warn("train", "the MPI job ended with %s before its first checkpoint; restarting from the beginning "
                    "(restart %d of %d)", how, *restarts, cfg->max_restarts);
        }
    }
    for (int i = 0; i < 3; i++) sigaction(sigs[i], &old[i], NULL);
    free(words), free(av);
    return s;
}
