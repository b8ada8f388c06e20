/* benchutil.h: timing helpers shared by the benchmark programs (header-only): a monotonic clock
 * and the median of a sample (sorted in place). */
#ifndef PL_BENCHUTIL_H
#define PL_BENCHUTIL_H

#include <stdlib.h>

#include "core/clock.h"

static inline double now_s(void) { return pl_clock_seconds(); }

static inline double now_ms(void) { return 1e3 * now_s(); }

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (n >= 1); sorts v. */
static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#endif
