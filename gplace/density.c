/* density.c: bins, charges and the Poisson solve of ePlace (Lu et al., TCAD 2015); see density.h.
 *
 * With bin centres x_i = (i + ½) bw and w_u = π u / (bx bw), ρ_ij = Σ_uv a_uv cos(w_u x_i) cos(w_v y_j)
 * where FFTW's REDFT10 (DCT-II) gives F_uv = 4 Σ_ij ρ_ij cos cos and a_uv = c_u c_v F_uv / (4 bx by)
 * (c_0 = 1, else 2). Then ψ = Σ a_uv / (w_u² + w_v²) cos cos (the (0, 0) term dropped: the mean
 * density is no force), E_x = Σ a_uv w_u / (w_u² + w_v²) sin(w_u x) cos(w_v y), E_y likewise. The
 * inverse sums are REDFT01 (DCT-III: Y_k = X_0 + 2 Σ X_j cos) and RODFT01 (DST-III: Y_k = 2 Σ X_j
 * sin(π (j+1)(k+½)/n) + (-1)^k X_{n-1}); folding the halves into c_u c_v leaves the plain factor
 * 1 / (4 bx by) on every input, the sine axis shifted by one frequency and its last one zero.
 */
#include "gplace/density.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gplace/parallel.h"

struct pl_gp_fft {
    double *rho, *spec, *inx, *iny, *inp; /* (B) FFTW-aligned */
    double *wu, *wv;                      /* (bx), (by) angular frequencies, 1/µm */
    fftw_plan dct, pex, pey, ppsi;
};

static void fft_free(pl_gp_fft *f)
{
    if (!f) return;
    if (f->dct) fftw_destroy_plan(f->dct);
    if (f->pex) fftw_destroy_plan(f->pex);
    if (f->pey) fftw_destroy_plan(f->pey);
    if (f->ppsi) fftw_destroy_plan(f->ppsi);
    fftw_free(f->rho), fftw_free(f->spec), fftw_free(f->inx), fftw_free(f->iny), fftw_free(f->inp);
    free(f->wu), free(f->wv);
    free(f);
}

void pl_gp_density_free(pl_gp_density *d)
{
    if (!d) return;
    free(d->fixed), free(d->mov);
    fftw_free(d->psi), fftw_free(d->ex), fftw_free(d->ey);
    free(d->exy);
    fft_free(d->fft);
    memset(d, 0, sizeof *d);
}

static double *fft_array(size_t n)
{
    double *p = fftw_alloc_real(n);
    if (p) memset(p, 0, n * sizeof *p);
    return p;
}

pl_status pl_gp_density_init(pl_gp_density *d, pl_rect region, int bx, int by)
{
    memset(d, 0, sizeof *d);
    if (bx < 2 || by < 2 || bx > 8192 || by > 8192 || !(region.x1 > region.x0) || !(region.y1 > region.y0))
        return pl_err(PL_EINVAL, "gplace: bad density grid %d x %d over (%g %g) (%g %g)", bx, by, region.x0, region.y0,
                      region.x1, region.y1);
    d->bx = bx, d->by = by;
    d->x0 = region.x0, d->y0 = region.y0;
    d->bw = (region.x1 - region.x0) / bx, d->bh = (region.y1 - region.y0) / by;
    size_t B = (size_t)bx * by;
    pl_gp_fft *f = calloc(1, sizeof *f);
    d->fft = f;
    if (!f || !PL_CALLOC(d->fixed, B) || !PL_CALLOC(d->mov, B) || !(d->psi = fft_array(B)) ||
        !(d->ex = fft_array(B)) || !(d->ey = fft_array(B)) || !PL_CALLOC(d->exy, 2 * B) || !(f->rho = fft_array(B)) || !(f->spec = fft_array(B)) ||
        !(f->inx = fft_array(B)) || !(f->iny = fft_array(B)) || !(f->inp = fft_array(B)) || !PL_CALLOC(f->wu, bx) ||
        !PL_CALLOC(f->wv, by))
        return pl_err(PL_ENOMEM, "gplace: out of memory for a %d x %d density grid", bx, by);
    for (int u = 0; u < bx; u++) f->wu[u] = M_PI * u / (bx * d->bw);
    for (int v = 0; v < by; v++) f->wv[v] = M_PI * v / (by * d->bh);
    /* FFTW_ESTIMATE: the plan depends only on sizes and alignment, so runs repeat bit for bit */
    unsigned fl = FFTW_ESTIMATE;
    f->dct = fftw_plan_r2r_2d(bx, by, f->rho, f->spec, FFTW_REDFT10, FFTW_REDFT10, fl);
    f->pex = fftw_plan_r2r_2d(bx, by, f->inx, d->ex, FFTW_RODFT01, FFTW_REDFT01, fl);
    f->pey = fftw_plan_r2r_2d(bx, by, f->iny, d->ey, FFTW_REDFT01, FFTW_RODFT01, fl);
    f->ppsi = fftw_plan_r2r_2d(bx, by, f->inp, d->psi, FFTW_REDFT01, FFTW_REDFT01, fl);
    if (!f->dct || !f->pex || !f->pey || !f->ppsi)
        return pl_err(PL_ENOMEM, "gplace: FFTW could not plan a %d x %d transform", bx, by);
    return PL_OK;
}

/* The bin columns [*i0, *i1] (or rows) that the interval [lo, hi) of bin units touches; 0 if none.
 * (Conversions instead of floor/ceil and ?: instead of fmin/fmax: these run per charge and bin.) */
static inline int span(double lo, double hi, int n, int *i0, int *i1)
{
    if (!(hi > 0) || !(lo < n) || !(hi > lo)) return 0;
    int a = lo > 0 ? (int)lo : 0, b = hi < n ? (int)hi : n - 1;
    if (b > a && (double)b == hi) b--; /* hi on a bin edge: that bin is not touched */
    *i0 = a, *i1 = b;
    return 1;
}

/* Overlap (in bin units) of [lo, hi) with bin k. */
static inline double ov(double lo, double hi, int k)
{
    double a = lo > k ? lo : k, b = hi < k + 1.0 ? hi : k + 1.0;
    return b - a;
}

void pl_gp_density_add_fixed(pl_gp_density *d, pl_rect r, double factor)
{
    double lx = (r.x0 - d->x0) / d->bw, hx = (r.x1 - d->x0) / d->bw;
    double ly = (r.y0 - d->y0) / d->bh, hy = (r.y1 - d->y0) / d->bh;
    int i0, i1, j0, j1;
    if (!span(lx, hx, d->bx, &i0, &i1) || !span(ly, hy, d->by, &j0, &j1)) return;
    double ba = d->bw * d->bh;
    for (int i = i0; i <= i1; i++)
        for (int j = j0; j <= j1; j++) d->fixed[(size_t)i * d->by + j] += factor * ba * ov(lx, hx, i) * ov(ly, hy, j);
}

void pl_gp_density_fixed_done(pl_gp_density *d)
{
    double ba = d->bw * d->bh;
    for (size_t q = 0; q < (size_t)d->bx * d->by; q++) d->fixed[q] = fmin(fmax(d->fixed[q], 0.0), ba);
}

/* The charges sit in no spatial order, so their bins are scattered over maps of megabytes: fetch
 * the bins of the charge PL_GP_AHEAD places ahead while working on this one. */
enum { PL_GP_AHEAD = 8 };

static inline void prefetch_bins(const pl_gp_density *d, const double *map, int stride, const pl_gp_charges *c,
                                 int64_t k)
{
    double lx = (c->x[k] - c->hw[k] - d->x0) / d->bw, hx = (c->x[k] + c->hw[k] - d->x0) / d->bw;
    double ly = (c->y[k] - c->hh[k] - d->y0) / d->bh, hy = (c->y[k] + c->hh[k] - d->y0) / d->bh;
    int i0, i1, j0, j1;
    if (!span(lx, hx, d->bx, &i0, &i1) || !span(ly, hy, d->by, &j0, &j1)) return;
    for (int i = i0; i <= i1 && i <= i0 + 3; i++) {
        __builtin_prefetch(map + (size_t)stride * ((size_t)i * d->by + j0));
        __builtin_prefetch(map + (size_t)stride * ((size_t)i * d->by + j1) + stride - 1);
    }
}

typedef struct spread_job {
    const pl_gp_density *d;
    const pl_gp_charges *c;
    double *map;
    double *gx, *gy;
} spread_job;

/* Worker t owns the bin columns [n t / nt, n (t+1) / nt): it scans every charge in order and adds
 * only to its own columns, so each bin sums its charges in index order whatever nt is. */
static void spread_task(void *ctx, int t, int nt)
{
    spread_job *jb = ctx;
    const pl_gp_density *d = jb->d;
    const pl_gp_charges *c = jb->c;
    int64_t clo, chi;
    pl_gp_range(d->bx, t, nt, &clo, &chi);
    memset(jb->map + clo * d->by, 0, (size_t)(chi - clo) * d->by * sizeof *jb->map);
    double ba = d->bw * d->bh, ibw = 1 / d->bw, ibh = 1 / d->bh;
    for (int64_t k = 0; k < c->n; k++) {
        if (k + PL_GP_AHEAD < c->n) prefetch_bins(d, jb->map, 1, c, k + PL_GP_AHEAD);
        double lx = (c->x[k] - c->hw[k] - d->x0) * ibw, hx = (c->x[k] + c->hw[k] - d->x0) * ibw;
        int i0, i1, j0, j1;
        if (!span(lx, hx, d->bx, &i0, &i1) || i1 < clo || i0 >= chi) continue;
        double ly = (c->y[k] - c->hh[k] - d->y0) * ibh, hy = (c->y[k] + c->hh[k] - d->y0) * ibh;
        if (!span(ly, hy, d->by, &j0, &j1)) continue;
        if (i0 < clo) i0 = (int)clo;
        if (i1 >= chi) i1 = (int)chi - 1;
        double a = ba * (c->q ? c->q[k] : 1.0);
        for (int i = i0; i <= i1; i++) {
            double ox = a * ov(lx, hx, i);
            double *row = jb->map + (size_t)i * d->by;
            for (int j = j0; j <= j1; j++) row[j] += ox * ov(ly, hy, j);
        }
    }
}

void pl_gp_density_spread(const pl_gp_density *d, const pl_gp_charges *c, double *map, int threads)
{
    spread_job jb = {d, c, map, NULL, NULL};
    int nt = threads < 1 ? 1 : threads > d->bx ? d->bx : threads;
    pl_gp_parallel(nt, spread_task, &jb);
}

static void gather_task(void *ctx, int t, int nt)
{
    spread_job *jb = ctx;
    const pl_gp_density *d = jb->d;
    const pl_gp_charges *c = jb->c;
    int64_t lo, hi;
    pl_gp_range(c->n, t, nt, &lo, &hi);
    double ba = d->bw * d->bh, ibw = 1 / d->bw, ibh = 1 / d->bh;
    for (int64_t k = lo; k < hi; k++) {
        if (k + PL_GP_AHEAD < hi) prefetch_bins(d, d->exy, 2, c, k + PL_GP_AHEAD);
        double lx = (c->x[k] - c->hw[k] - d->x0) * ibw, hx = (c->x[k] + c->hw[k] - d->x0) * ibw;
        double ly = (c->y[k] - c->hh[k] - d->y0) * ibh, hy = (c->y[k] + c->hh[k] - d->y0) * ibh;
        int i0, i1, j0, j1;
        double sx = 0, sy = 0;
        if (span(lx, hx, d->bx, &i0, &i1) && span(ly, hy, d->by, &j0, &j1)) {
            for (int i = i0; i <= i1; i++) {
                double ox = ov(lx, hx, i), rx = 0, ry = 0;
                const double *f = d->exy + 2 * ((size_t)i * d->by);
                for (int j = j0; j <= j1; j++) {
                    double oy = ov(ly, hy, j);
                    rx += oy * f[2 * j], ry += oy * f[2 * j + 1];
                }
                sx += ox * rx, sy += ox * ry;
            }
        }
        double a = ba * (c->q ? c->q[k] : 1.0);
        jb->gx[k] = -a * sx, jb->gy[k] = -a * sy;
    }
}

void pl_gp_density_gather(const pl_gp_density *d, const pl_gp_charges *c, double *gx, double *gy, int threads)
{
    spread_job jb = {d, c, NULL, gx, gy};
    int nt = threads < 1 ? 1 : threads;
    if (c->n < 4096) nt = 1;
    pl_gp_parallel(nt, gather_task, &jb);
}

typedef struct solve_job {
    pl_gp_density *d;
    int want_psi;
} solve_job;

/* Task 0: E_x (then ψ when asked and there is no third worker); task 1: E_y; task 2: ψ. */
static void solve_task(void *ctx, int t, int nt)
{
    solve_job *jb = ctx;
    pl_gp_density *d = jb->d;
    pl_gp_fft *f = d->fft;
    int bx = d->bx, by = d->by;
    double s = 1.0 / (4.0 * bx * by);
    for (int task = t; task < 3; task += nt) {
        if (task == 2 && !jb->want_psi) break;
        double *in = task == 0 ? f->inx : task == 1 ? f->iny : f->inp;
        for (int u = 0; u < bx; u++)
            for (int v = 0; v < by; v++) {
                double k2 = f->wu[u] * f->wu[u] + f->wv[v] * f->wv[v];
                double a = k2 > 0 ? s * f->spec[(size_t)u * by + v] / k2 : 0;
                if (task == 0 && u > 0) in[(size_t)(u - 1) * by + v] = a * f->wu[u];
                if (task == 1 && v > 0) in[(size_t)u * by + v - 1] = a * f->wv[v];
                if (task == 2) in[(size_t)u * by + v] = a;
            }
        if (task == 0)
            for (int v = 0; v < by; v++) in[(size_t)(bx - 1) * by + v] = 0;
        if (task == 1)
            for (int u = 0; u < bx; u++) in[(size_t)u * by + by - 1] = 0;
        fftw_execute(task == 0 ? f->pex : task == 1 ? f->pey : f->ppsi);
    }
}

void pl_gp_density_solve(pl_gp_density *d, double fixed_scale, int want_psi, int threads)
{
    pl_gp_fft *f = d->fft;
    size_t B = (size_t)d->bx * d->by;
    double iba = 1 / (d->bw * d->bh);
    for (size_t q = 0; q < B; q++) f->rho[q] = (d->mov[q] + fixed_scale * d->fixed[q]) * iba;
    fftw_execute(f->dct);
    solve_job jb = {d, want_psi};
    int nt = threads < 1 ? 1 : threads > 3 ? 3 : threads;
    pl_gp_parallel(nt, solve_task, &jb);
    for (size_t q = 0; q < B; q++) d->exy[2 * q] = d->ex[q], d->exy[2 * q + 1] = d->ey[q];
}

double pl_gp_density_overflow(const pl_gp_density *d, const double *map, double target)
{
    double ba = d->bw * d->bh, over = 0;
    for (size_t q = 0; q < (size_t)d->bx * d->by; q++) over += fmax(0.0, map[q] - target * (ba - d->fixed[q]));
    return over;
}

double pl_gp_density_energy(const pl_gp_density *d, double fixed_scale)
{
    double e = 0;
    for (size_t q = 0; q < (size_t)d->bx * d->by; q++) e += (d->mov[q] + fixed_scale * d->fixed[q]) * d->psi[q];
    return 0.5 * e;
}
