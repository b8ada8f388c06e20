/* gradcheck.h: central finite differences for the gnn tests (header-only, static functions).
 *
 * A check perturbs one float x[i] by +-eps, evaluates a scalar loss in double (the ops themselves
 * run in float32) and compares (L(x+eps) - L(x-eps)) / 2eps with the analytic gradient:
 *   |analytic - fd| <= atol + rtol * max(|analytic|, |fd|).
 * Why the tolerances: float32 outputs carry a relative rounding error of ~6e-8 each; a loss summing
 * ~100-1000 of them with O(1) weights has an absolute error of ~1e-6, which a 2eps = 2e-3 difference
 * quotient turns into ~5e-4. Summation-order differences and the rare ReLU kink crossed within
 * +-eps add less. So eps = 1e-3, atol = 3e-3, rtol = 2e-2 separate right from wrong gradients
 * (a wrong gradient is off by O(1) relative) without flaky failures.
 * Kinks: ReLU and max are piecewise linear. When a kink lies inside +-eps of a coordinate, the
 * one-sided slopes (L(x+eps) - L(x)) / eps and (L(x) - L(x-eps)) / eps disagree and the central
 * quotient is meaningless; the analytic gradient (the slope on x's side of the kink) must then match
 * one of the two one-sided slopes, within twice the tolerance (a one-sided quotient has twice the
 * rounding error).
 */
#ifndef PL_TEST_GNN_GRADCHECK_H
#define PL_TEST_GNN_GRADCHECK_H

#include <criterion/criterion.h>
#include <math.h>

#include "core/rng.h"

#define GC_EPS 1e-3f
#define GC_ATOL 3e-3
#define GC_RTOL 2e-2

typedef double (*gc_loss_fn)(void *ctx);

/* Checks up to `max` entries of x (all when n <= max, else a seeded random subset). */
static inline void gc_check(const char *what, float *x, int64_t n, const float *analytic, gc_loss_fn loss, void *ctx,
                            int64_t max)
{
    pl_rng r;
    pl_rng_seed(&r, 99 + (uint64_t)n);
    const int64_t count = n <= max ? n : max;
    const double l0 = loss(ctx);
    for (int64_t c = 0; c < count; c++) {
        const int64_t i = n <= max ? c : (int64_t)pl_rng_below(&r, (uint64_t)n);
        const float keep = x[i];
        x[i] = keep + GC_EPS;
        const double lp = loss(ctx);
        x[i] = keep - GC_EPS;
        const double lm = loss(ctx);
        x[i] = keep;
        const double fd = (lp - lm) / (2.0 * (double)GC_EPS), an = analytic[i];
        const double fwd = (lp - l0) / GC_EPS, bwd = (l0 - lm) / GC_EPS;
        const double tol = GC_ATOL + GC_RTOL * fmax(fabs(an), fabs(fd));
        const int kink = fabs(fwd - bwd) > 2 * (GC_ATOL + GC_RTOL * fmax(fabs(fwd), fabs(bwd)));
        const int ok = fabs(an - fd) <= tol ||
                       (kink && (fabs(an - fwd) <= 2 * (GC_ATOL + GC_RTOL * fabs(fwd)) ||
                                 fabs(an - bwd) <= 2 * (GC_ATOL + GC_RTOL * fabs(bwd))));
        cr_assert(ok, "%s[%lld]: analytic %.6g, finite difference %.6g (one-sided %.6g, %.6g)", what, (long long)i, an,
                  fd, fwd, bwd);
    }
    loss(ctx); /* leave the forward state of the unperturbed x behind */
}

/* Fills x with uniform values in [lo, hi). */
static inline void gc_fill(float *x, int64_t n, double lo, double hi, pl_rng *r)
{
    for (int64_t i = 0; i < n; i++) x[i] = (float)(lo + (hi - lo) * pl_rng_uniform(r));
}

/* sum_i r_i out_i in double. */
static inline double gc_dot(const float *out, const float *r, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += (double)out[i] * r[i];
    return s;
}

#endif
