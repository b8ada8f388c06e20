/* mpiutil.h: helpers for the tests that run `placer train` under mpirun and disturb it (header-only,
 * static functions, Criterion): skip without an MPI build or mpirun, start a shell command in the
 * background in its own process group, wait for it with a limit (then kill the group: a test never
 * hangs), wait for a file to reach N lines, and signal the rank R of a job, found in /proc by a marker
 * in its command line (the test's folder) and OMPI_COMM_WORLD_RANK=R in its environment. */
#ifndef PL_TEST_MPIUTIL_H
#define PL_TEST_MPIUTIL_H

#include <dirent.h>
#include <signal.h>
#include <time.h>

#include "tests/testutil.h"

/* Environment for mpirun in CI: root allowed, idle ranks yield (2 cores), no leak checks in ranks. */
#define PL_TEST_MPI_ENV                                                                                       \
    "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none " \
    "OMPI_MCA_mpi_yield_when_idle=1 ASAN_OPTIONS=detect_leaks=0"

/* --mpi-timeout of the fault tests, seconds: short, but longer than a PPO update and a checkpoint
 * of their small design; a sanitizer build runs several times slower, so it waits longer. */
#if defined(__SANITIZE_ADDRESS__)
#define PL_TEST_MPI_TIMEOUT "20"
#else
#define PL_TEST_MPI_TIMEOUT "2"
#endif

static inline void pl_test_need_mpirun(void)
{
#ifndef PL_HAVE_MPI
    cr_skip_test("built without MPI (make MPI=1)");
#endif
    char *out, *err;
    int rc = pl_test_run("command -v mpirun", &out, &err);
    free(out), free(err);
    if (rc != 0) cr_skip_test("mpirun is not installed (make deps installs openmpi-bin)");
}

static inline double pl_test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline void pl_test_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* `sh -c cmd` in the background, leading its own process group. */
static inline pid_t pl_test_spawn(const char *cmd)
{
    fflush(stdout), fflush(stderr);
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork");
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

/* The exit code of pid (128 + signal when killed), or -1 when it ran past timeout_s: then its whole
 * process group is killed and reaped. */
static inline int pl_test_wait(pid_t pid, double timeout_s)
{
    double t0 = pl_test_now();
    for (;;) {
        int st;
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (pl_test_now() - t0 > timeout_s) {
            kill(-pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        pl_test_sleep_ms(20);
    }
}

/* Lines in the file (0 when it does not exist). */
static inline int pl_test_file_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF) n += c == '\n';
    fclose(f);
    return n;
}

/* Waits until path has n lines; 0 when pid ended first (left for pl_test_wait to reap) or timeout_s
 * passed. */
static inline int pl_test_wait_lines(const char *path, int n, pid_t pid, double timeout_s)
{
    double t0 = pl_test_now();
    while (pl_test_file_lines(path) < n) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != 0) return 0;
        if (pl_test_now() - t0 > timeout_s) return 0;
        pl_test_sleep_ms(10);
    }
    return 1;
}

/* The file's bytes with NULs turned into '\n', malloc'd (NULL when unreadable). */
static inline char *pl_test_proc_file(int pid, const char *name)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *s = malloc(cap);
    while ((got = fread(s + n, 1, cap - n - 1, f)) > 0)
        if ((n += got) + 1 >= cap) s = realloc(s, cap *= 2);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (!s[i]) s[i] = '\n';
    s[n] = 0;
    return s;
}

/* Sends sig to the rank of a job whose command line contains marker; its pid, or -1 if none. */
static inline int pl_test_signal_rank(const char *marker, int rank, int sig)
{
    char want[48];
    snprintf(want, sizeof want, "\nOMPI_COMM_WORLD_RANK=%d\n", rank);
    DIR *d = opendir("/proc");
    cr_assert_not_null(d);
    int found = -1;
    for (struct dirent *e; found < 0 && (e = readdir(d));) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == getpid()) continue;
        char *cmd = pl_test_proc_file((int)pid, "cmdline");
        char *env = cmd && strstr(cmd, marker) ? pl_test_proc_file((int)pid, "environ") : NULL;
        if (env) {
            size_t n = strlen(env);
            char *wrapped = malloc(n + 3); /* "\n" env "\n": every variable between two newlines */
            snprintf(wrapped, n + 3, "\n%s\n", env);
            if (strstr(wrapped, want) && kill((pid_t)pid, sig) == 0) found = (int)pid;
            free(wrapped);
        }
        free(cmd), free(env);
    }
    closedir(d);
    return found;
}

#endif
