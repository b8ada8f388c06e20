/* parallel.h: fork-join for global placement: fn(ctx, t, nt) for t = 0..nt-1 on nt threads.
 *
 * Worker 0 runs on the caller's thread, the others on new pthreads joined before the call returns
 * (a thread that cannot start runs on the caller afterwards, so every t runs exactly once). The
 * callers split work into disjoint outputs with pl_gp_range(), and every output element is computed
 * by one worker with the same arithmetic whatever nt is: results are bit-identical for any thread
 * count. No allocation; no errors; nt is clamped to 1..PL_GP_MAX_THREADS.
 */
#ifndef PL_GPLACE_PARALLEL_H
#define PL_GPLACE_PARALLEL_H

#include <stdint.h>

enum { PL_GP_MAX_THREADS = 64 };

typedef void (*pl_gp_task)(void *ctx, int t, int nt);

void pl_gp_parallel(int nt, pl_gp_task fn, void *ctx);

/* The contiguous share [*lo, *hi) of 0..n for worker t of nt. */
static inline void pl_gp_range(int64_t n, int t, int nt, int64_t *lo, int64_t *hi)
{
    *lo = n * t / nt;
    *hi = n * (t + 1) / nt;
}

#endif
