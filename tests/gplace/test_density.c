/* test_density.c: the electrostatic density of global placement: spreading conserves charge and
 * does not depend on the thread count, fixed area is clipped per bin, overflow on a hand-made map,
 * the FFTW solve against the cosine series summed directly, and a single charge's field and
 * force pointing away from it. */
#include <math.h>

#include "core/rng.h"
#include "gplace/density.h"
#include "tests/testutil.h"

Test(gplace, density_spread_conserves_charge_any_threads)
{
    pl_gp_density d;
    cr_assert_eq(pl_gp_density_init(&d, (pl_rect){0, 0, 16, 4}, 16, 8), PL_OK, "%s", pl_errmsg());
    enum { N = 200 };
    double x[N], y[N], hw[N], hh[N], q[N], want = 0;
    pl_rng r;
    pl_rng_seed(&r, 3);
    for (int k = 0; k < N; k++) {
        hw[k] = 0.05 + 1.5 * pl_rng_uniform(&r), hh[k] = 0.05 + 0.5 * pl_rng_uniform(&r);
        x[k] = hw[k] + (16 - 2 * hw[k]) * pl_rng_uniform(&r), y[k] = hh[k] + (4 - 2 * hh[k]) * pl_rng_uniform(&r);
        q[k] = 0.2 + pl_rng_uniform(&r);
        want += q[k] * 4 * hw[k] * hh[k];
    }
    pl_gp_charges c = {N, x, y, hw, hh, q};
    double a[16 * 8], b[16 * 8], sum = 0;
    pl_gp_density_spread(&d, &c, a, 1);
    pl_gp_density_spread(&d, &c, b, 3);
    for (int i = 0; i < 16 * 8; i++) sum += a[i];
    cr_assert_float_eq(sum, want, 1e-9 * want, "map total %.12g, charge %.12g", sum, want);
    cr_assert(!memcmp(a, b, sizeof a), "1 and 3 threads give the same map, bit for bit");
    /* a charge half outside the grid keeps only its inside half */
    double x1 = 0, y1 = 2, h1 = 0.5;
    pl_gp_charges e = {1, &x1, &y1, &h1, &h1, NULL};
    pl_gp_density_spread(&d, &e, a, 2);
    sum = 0;
    for (int i = 0; i < 16 * 8; i++) sum += a[i];
    cr_assert_float_eq(sum, 0.5, 1e-12);
    pl_gp_density_free(&d);
    pl_gp_density_free(&d); /* idempotent */
}

Test(gplace, density_fixed_clipped_and_overflow)
{
    pl_gp_density d;
    cr_assert_eq(pl_gp_density_init(&d, (pl_rect){0, 0, 4, 4}, 4, 4), PL_OK);
    pl_gp_density_add_fixed(&d, (pl_rect){0, 0, 1.5, 1}, 1.0);
    pl_gp_density_add_fixed(&d, (pl_rect){-3, 0, 1, 1}, 1.0); /* overlaps bin (0,0) again, and sticks out */
    pl_gp_density_add_fixed(&d, (pl_rect){2, 2, 3, 3}, 0.25); /* a 25 % partial blockage */
    pl_gp_density_fixed_done(&d);
    cr_assert_float_eq(d.fixed[0], 1.0, 1e-12, "clipped to the bin's area");
    cr_assert_float_eq(d.fixed[1 * 4 + 0], 0.5, 1e-12);
    cr_assert_float_eq(d.fixed[2 * 4 + 2], 0.25, 1e-12);
    double map[16] = {0};
    map[0] = 0.3, map[4] = 0.7, map[10] = 0.8, map[15] = 0.9;
    /* capacities at target 1: 0, 0.5, 0.75, 1 -> 0.3 + 0.2 + 0.05 + 0 above */
    cr_assert_float_eq(pl_gp_density_overflow(&d, map, 1.0), 0.55, 1e-12);
    /* at target 0.5: 0, 0.25, 0.375, 0.5 -> 0.3 + 0.45 + 0.425 + 0.4 */
    cr_assert_float_eq(pl_gp_density_overflow(&d, map, 0.5), 1.575, 1e-12);
    pl_gp_density_free(&d);
    cr_assert_eq(pl_gp_density_init(&d, (pl_rect){0, 0, 4, 4}, 1, 4), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "density grid"), "%s", pl_errmsg());
    pl_gp_density_free(&d);
}

/* ψ, E_x, E_y of bin (i, j) by the cosine series summed directly (O(B²): the oracle). */
static void direct(const pl_gp_density *d, const double *rho, int i, int j, double out[3])
{
    int bx = d->bx, by = d->by;
    double W = bx * d->bw, H = by * d->bh;
    out[0] = out[1] = out[2] = 0;
    for (int u = 0; u < bx; u++)
        for (int v = 0; v < by; v++) {
            if (!u && !v) continue;
            double a = 0;
            for (int p = 0; p < bx; p++)
                for (int s = 0; s < by; s++)
                    a += rho[p * by + s] * cos(M_PI * u * (p + 0.5) / bx) * cos(M_PI * v * (s + 0.5) / by);
            a *= (u ? 2.0 : 1.0) * (v ? 2.0 : 1.0) / (bx * by);
            double wu = M_PI * u / W, wv = M_PI * v / H, k2 = wu * wu + wv * wv;
            double cu = cos(M_PI * u * (i + 0.5) / bx), su = sin(M_PI * u * (i + 0.5) / bx);
            double cv = cos(M_PI * v * (j + 0.5) / by), sv = sin(M_PI * v * (j + 0.5) / by);
            out[0] += a / k2 * cu * cv;
            out[1] += a * wu / k2 * su * cv;
            out[2] += a * wv / k2 * cu * sv;
        }
}

Test(gplace, density_solve_matches_direct_series)
{
    /* non-square grid and bins, a region away from the origin, random fixed and movable area */
    pl_gp_density d;
    cr_assert_eq(pl_gp_density_init(&d, (pl_rect){1, 2, 9, 6}, 8, 6), PL_OK);
    int B = 8 * 6;
    double ba = d.bw * d.bh, rho[8 * 6], fs = 0.7;
    pl_rng r;
    pl_rng_seed(&r, 11);
    for (int q = 0; q < B; q++) {
        d.mov[q] = ba * pl_rng_uniform(&r);
        d.fixed[q] = q % 5 == 0 ? ba * pl_rng_uniform(&r) : 0;
        rho[q] = (d.mov[q] + fs * d.fixed[q]) / ba;
    }
    pl_gp_density_solve(&d, fs, 1, 2);
    double scale = 0;
    for (int q = 0; q < B; q++) scale = fmax(scale, fmax(fabs(d.psi[q]), fmax(fabs(d.ex[q]), fabs(d.ey[q]))));
    cr_assert(scale > 0);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 6; j++) {
            double o[3];
            direct(&d, rho, i, j, o);
            int q = i * 6 + j;
            cr_assert_float_eq(d.psi[q], o[0], 1e-10 * scale, "psi(%d,%d) %g vs %g", i, j, d.psi[q], o[0]);
            cr_assert_float_eq(d.ex[q], o[1], 1e-10 * scale, "ex(%d,%d) %g vs %g", i, j, d.ex[q], o[1]);
            cr_assert_float_eq(d.ey[q], o[2], 1e-10 * scale, "ey(%d,%d) %g vs %g", i, j, d.ey[q], o[2]);
        }
    /* the energy is ½ Σ charge · ψ */
    double e = 0;
    for (int q = 0; q < B; q++) e += 0.5 * rho[q] * ba * d.psi[q];
    cr_assert_float_eq(pl_gp_density_energy(&d, fs), e, 1e-10 * fabs(e));
    pl_gp_density_free(&d);
}

Test(gplace, density_single_charge_pushes_away)
{
    pl_gp_density d;
    cr_assert_eq(pl_gp_density_init(&d, (pl_rect){0, 0, 32, 32}, 32, 32), PL_OK);
    double x = 16, y = 16, h = 1; /* covers bins 15 and 16 on both axes: symmetric about 16 */
    pl_gp_charges c = {1, &x, &y, &h, &h, NULL};
    pl_gp_density_spread(&d, &c, d.mov, 1);
    pl_gp_density_solve(&d, 0, 0, 1);
    for (int k = 1; k < 12; k++) {
        int i = 15 + k, m = 16 - k, j = 15;
        cr_assert_gt(d.ex[i * 32 + j], 0, "right of the charge the field points right (k %d)", k);
        cr_assert_lt(d.ex[m * 32 + j], 0, "left of it, left");
        cr_assert_float_eq(d.ex[i * 32 + j], -d.ex[m * 32 + j], 1e-9 * fabs(d.ex[i * 32 + j]), "antisymmetric");
        cr_assert_gt(d.ey[j * 32 + i], 0, "above it, up");
        cr_assert_lt(d.ey[j * 32 + m], 0, "below it, down");
    }
    /* a probe charge to the right: its energy falls as it moves right (gradient < 0), not up or down */
    double px[2] = {16, 24}, py[2] = {16, 16}, ph[2] = {1, 0.5}, gx[2], gy[2];
    pl_gp_charges two = {2, px, py, ph, ph, NULL};
    pl_gp_density_gather(&d, &two, gx, gy, 2);
    cr_assert_lt(gx[1], 0);
    cr_assert_lt(fabs(gy[1]), 1e-9 * fabs(gx[1]));
    cr_assert_lt(fabs(gx[0]) + fabs(gy[0]), 1e-9 * fabs(gx[1]), "the centred charge feels no net force");
    pl_gp_density_free(&d);
}
