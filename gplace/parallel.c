/* parallel.c: see parallel.h. */
#include "gplace/parallel.h"

#include <pthread.h>

typedef struct gp_job {
    pl_gp_task fn;
    void *ctx;
    int t, nt;
} gp_job;

static void *gp_worker(void *arg)
{
    gp_job *j = arg;
    j->fn(j->ctx, j->t, j->nt);
    return NULL;
}

void pl_gp_parallel(int nt, pl_gp_task fn, void *ctx)
{
    if (nt < 1) nt = 1;
    if (nt > PL_GP_MAX_THREADS) nt = PL_GP_MAX_THREADS;
    if (nt == 1) {
        fn(ctx, 0, 1);
        return;
    }
    pthread_t th[PL_GP_MAX_THREADS];
    gp_job job[PL_GP_MAX_THREADS];
    int started[PL_GP_MAX_THREADS] = {0};
    for (int t = 1; t < nt; t++) {
        job[t] = (gp_job){fn, ctx, t, nt};
        started[t] = pthread_create(&th[t], NULL, gp_worker, &job[t]) == 0;
    }
    fn(ctx, 0, nt);
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            fn(ctx, t, nt);
    }
}
