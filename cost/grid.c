/* grid.c: routing demand, macro blockage, density and top-k on the cost grids; see grid.h.
 *
 * Conventions (reference §1.4): cell (col, row) has index row·cols + col; an H crossing from
 * (i, j) to (i+1, j) is charged to (i, j), a V crossing from (i, j) to (i, j+1) to (i, j).
 */
#include "cost/grid.h"

#include <math.h>
#include <string.h>

int pl_cost_orient_swaps(int o)
{
    return o == PL_ORIENT_E || o == PL_ORIENT_W || o == PL_ORIENT_FE || o == PL_ORIENT_FW;
}

/* The same mapping as pl_orient_apply(), about the centre: S turns by 180°, W by +90°, E by -90°;
 * FN mirrors x, FS mirrors y, FE = FN then +90°... */
void pl_cost_orient_offset(int o, double ox, double oy, double *rx, double *ry)
{
    switch (o) {
    case PL_ORIENT_S: *rx = -ox; *ry = -oy; break;
    case PL_ORIENT_FN: *rx = -ox; *ry = oy; break;
    case PL_ORIENT_FS: *rx = ox; *ry = -oy; break;
    case PL_ORIENT_E: *rx = oy; *ry = -ox; break;
    case PL_ORIENT_W: *rx = -oy; *ry = ox; break;
    case PL_ORIENT_FE: *rx = -oy; *ry = -ox; break;
    case PL_ORIENT_FW: *rx = oy; *ry = ox; break;
    default: *rx = ox; *ry = oy; break;
    }
}

/* ---- routing ---- */

static void h_run(pl_cost *c, int row, int c0, int c1, double w)
{
    double *h = c->hdem + (int64_t)row * c->cfg.cong_cols;
    for (int col = c0; col < c1; col++) h[col] += w;
}

static void v_run(pl_cost *c, int col, int r0, int r1, double w)
{
    int cols = c->cfg.cong_cols;
    for (int row = r0; row < r1; row++) c->vdem[(int64_t)row * cols + col] += w;
}

static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int imax(int a, int b) { return a > b ? a : b; }

/* H along the source row, V along the sink column. */
static void two_pin(pl_cost *c, int sr, int sc, int tr, int tc, double w)
{
    h_run(c, sr, imin(sc, tc), imax(sc, tc), w);
    v_run(c, tc, imin(sr, tr), imax(sr, tr), w);
}

typedef struct rc {
    int r, c;
} rc;

static void sort3(rc *a, int by_col)
{
    for (int i = 1; i < 3; i++)
        for (int j = i; j > 0; j--) {
            rc x = a[j - 1], y = a[j];
            int gt = by_col ? (x.c > y.c || (x.c == y.c && x.r > y.r)) : (x.r > y.r || (x.r == y.r && x.c > y.c));
            if (!gt) break;
            a[j - 1] = y;
            a[j] = x;
        }
}

static void three_pin(pl_cost *c, rc *p, double w)
{
    sort3(p, 1); /* by column, then row */
    int y1 = p[0].r, x1 = p[0].c, y2 = p[1].r, x2 = p[1].c, y3 = p[2].r, x3 = p[2].c;
    if (x1 < x2 && x2 < x3 && imin(y1, y3) < y2 && imax(y1, y3) > y2) { /* L: a monotone staircase */
        h_run(c, y1, x1, x2, w);
        h_run(c, y2, x2, x3, w);
        v_run(c, x2, imin(y1, y2), imax(y1, y2), w);
        v_run(c, x3, imin(y2, y3), imax(y2, y3), w);
        return;
    }
    if (x2 == x3 && x1 < x2 && y1 < imin(y2, y3)) {
        h_run(c, y1, x1, x2, w);
        v_run(c, x2, y1, imax(y2, y3), w);
        return;
    }
    if (y2 == y3) {
        h_run(c, y1, x1, x2, w);
        h_run(c, y2, x2, x3, w);
        v_run(c, x2, imin(y1, y2), imax(y1, y2), w);
        return;
    }
    /* T: H along the middle row, V drops at the outer columns */
    sort3(p, 0); /* by row, then column */
    y1 = p[0].r, x1 = p[0].c, y2 = p[1].r, x2 = p[1].c, y3 = p[2].r, x3 = p[2].c;
    int xmin = imin(x1, imin(x2, x3)), xmax = imax(x1, imax(x2, x3));
    h_run(c, y2, xmin, xmax, w);
    v_run(c, x1, imin(y1, y2), imax(y1, y2), w);
    v_run(c, x3, imin(y2, y3), imax(y2, y3), w);
}

void pl_cost_grid_route_net(pl_cost *c, int32_t n, double sign)
{
    int32_t b = c->net_pin_off[n], e = c->net_pin_off[n + 1];
    int cols = c->cfg.cong_cols;
    double w = sign * c->net_rw[n];
    int32_t ep = ++c->epoch;
    int k = 0;
    for (int32_t i = b; i < e; i++) {
        int32_t cell = c->pin_cell[c->net_pins[i]];
        if (c->stamp[cell] == ep) continue;
        c->stamp[cell] = ep;
        c->cells[k++] = cell;
    }
    if (k < 2) return;
    int sr = c->cells[0] / cols, sc = c->cells[0] % cols; /* the driver's cell comes first */
    if (k == 2) {
        two_pin(c, sr, sc, c->cells[1] / cols, c->cells[1] % cols, w);
    } else if (k == 3) {
        rc p[3];
        for (int i = 0; i < 3; i++) p[i] = (rc){c->cells[i] / cols, c->cells[i] % cols};
        three_pin(c, p, w);
    } else {
        for (int i = 1; i < k; i++) two_pin(c, sr, sc, c->cells[i] / cols, c->cells[i] % cols, w);
    }
}

/* ---- macro blockage ---- */

/* Cell range [*lo, *hi] that [a, b] spans on an axis of n cells of size g, clipped to the
 * canvas; 0 if it is empty (the rule of TILOS's grid-cell overlap loops). */
static int span(double a, double b, double g, int n, int *lo, int *hi)
{
    double fl = floor(a / g), fh = floor(b / g);
    if (fh < 0 || fl > n - 1) return 0;
    *lo = fl < 0 ? 0 : (int)fl;
    *hi = fh > n - 1 ? n - 1 : (int)fh;
    return *lo <= *hi;
}

/* The oriented footprint of `node` around its cached centre (canvas coordinates). */
static void footprint(const pl_cost *c, int32_t node, double *x0, double *y0, double *x1, double *y1)
{
    int o = c->orient[node];
    const pl_node *nd = &c->nl->nodes[node];
    double w = pl_cost_orient_swaps(o) ? nd->h : nd->w, h = pl_cost_orient_swaps(o) ? nd->w : nd->h;
    *x0 = c->cx[node] - w / 2, *x1 = c->cx[node] + w / 2;
    *y0 = c->cy[node] - h / 2, *y1 = c->cy[node] + h / 2;
}

void pl_cost_grid_macro_block(pl_cost *c, int32_t node, double sign)
{
    double x0, y0, x1, y1;
    footprint(c, node, &x0, &y0, &x1, &y1);
    double gw = c->cgw, gh = c->cgh;
    int cols = c->cfg.cong_cols, c0, c1, r0, r1;
    if (!span(x0, x1, gw, cols, &c0, &c1) || !span(y0, y1, gh, c->cfg.cong_rows, &r0, &r1)) return;
    double vs = sign * c->cfg.v_macro_alloc / (gw * c->cfg.v_rpm);
    double hs = sign * c->cfg.h_macro_alloc / (gh * c->cfg.h_rpm);
    int part_v = 0, part_h = 0;
    for (int r = r0; r <= r1; r++) {
        for (int col = c0; col <= c1; col++) {
            double dx = fmin(x1, (col + 1) * gw) - fmax(x0, col * gw);
            double dy = fmin(y1, (r + 1) * gh) - fmax(y0, r * gh);
            if (!(dx > 0 && dy > 0)) dx = dy = 0; /* both extents or neither */
            if (r1 != r0 && (r == r0 || r == r1) && fabs(dy - gh) > 1e-5) part_v = 1;
            if (c1 != c0 && (col == c0 || col == c1) && fabs(dx - gw) > 1e-5) part_h = 1;
            int64_t i = (int64_t)r * cols + col;
            c->vmac[i] += dx * vs;
            c->hmac[i] += dy * hs;
        }
    }
    /* partial overlap: drop the V share of the top row, the H share of the right column */
    if (part_v)
        for (int col = c0; col <= c1; col++) {
            double dx = fmin(x1, (col + 1) * gw) - fmax(x0, col * gw);
            double dy = fmin(y1, (r1 + 1) * gh) - fmax(y0, r1 * gh);
            if (dx > 0 && dy > 0) c->vmac[(int64_t)r1 * cols + col] -= dx * vs;
        }
    if (part_h)
        for (int r = r0; r <= r1; r++) {
            double dx = fmin(x1, (c1 + 1) * gw) - fmax(x0, c1 * gw);
            double dy = fmin(y1, (r + 1) * gh) - fmax(y0, r * gh);
            if (dx > 0 && dy > 0) c->hmac[(int64_t)r * cols + c1] -= dy * hs;
        }
}

/* ---- density ---- */

void pl_cost_grid_density_add(pl_cost *c, int32_t node, double sign)
{
    double x0, y0, x1, y1;
    footprint(c, node, &x0, &y0, &x1, &y1);
    double gw = c->gw, gh = c->gh;
    int cols = c->cfg.cols, c0, c1, r0, r1;
    if (!span(x0, x1, gw, cols, &c0, &c1) || !span(y0, y1, gh, c->cfg.rows, &r0, &r1)) return;
    for (int r = r0; r <= r1; r++) {
        double dy = fmin(y1, (r + 1) * gh) - fmax(y0, r * gh);
        if (dy < 0) continue;
        for (int col = c0; col <= c1; col++) {
            double dx = fmin(x1, (col + 1) * gw) - fmax(x0, col * gw);
            if (dx < 0) continue;
            c->occ[(int64_t)r * cols + col] += sign * dx * dy;
        }
    }
}

/* ---- top-k ---- */

/* Rearranges a[0..n) so that its k largest come first (quickselect, deterministic pivots). */
static void select_top(double *a, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        /* median of three as pivot */
        double x = a[lo], y = a[mid], z = a[hi];
        double piv = x > y ? (y > z ? y : (x > z ? z : x)) : (x > z ? x : (y > z ? z : y));
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] > piv) i++;
            while (a[j] < piv) j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        /* now a[lo..j] >= piv >= a[i..hi], and a[j+1..i-1] == piv */
        if (k - 1 <= j) hi = j;
        else if (k - 1 >= i) lo = i;
        else return;
    }
}

double pl_cost_topk_mean(const double *v, int n, int k, double *scratch)
{
    if (n <= 0 || k <= 0) return 0;
    if (k > n) k = n;
    memcpy(scratch, v, (size_t)n * sizeof *scratch);
    select_top(scratch, n, k);
    double s = 0;
    for (int i = 0; i < k; i++) s += scratch[i];
    return s / k;
}

double pl_cost_grid_density(pl_cost *c)
{
    int n = c->ncell;
    double area = c->gw * c->gh;
    if (n < 10) { /* the mean over occupied cells */
        double s = 0;
        int m = 0;
        for (int i = 0; i < n; i++)
            if (c->occ[i] != 0) s += c->occ[i] / area, m++;
        return m ? 0.5 * s / m : 0;
    }
    int k = (int)floor(n * 0.1);
    double *d = c->dvals;
    for (int i = 0; i < n; i++) d[i] = c->occ[i] / area;
    return 0.5 * pl_cost_topk_mean(d, n, k, c->scratch);
}

/* out[j] = Σ over cells i within `k` of j along the axis of in[i] / (window size of i). */
static void smooth_line(const double *in, double *out, int n, int stride, int k, double cap, const double *add)
{
    if (k <= 0) {
        for (int j = 0; j < n; j++) out[j * stride] = in[j * stride] / cap + add[j * stride];
        return;
    }
    for (int j = 0; j < n; j++) {
        int lo = j - k < 0 ? 0 : j - k, hi = j + k > n - 1 ? n - 1 : j + k;
        double s = 0;
        for (int i = lo; i <= hi; i++) {
            int a = i - k < 0 ? 0 : i - k, b = i + k > n - 1 ? n - 1 : i + k;
            s += in[i * stride] / cap / (b - a + 1);
        }
        out[j * stride] = s + add[j * stride];
    }
}

double pl_cost_grid_congestion(pl_cost *c)
{
    int cols = c->cfg.cong_cols, rows = c->cfg.cong_rows, n = c->nccell;
    double *all = c->cvals, *vf = all, *hf = all + n;
    double vs = c->cgw * c->cfg.v_rpm, hs = c->cgh * c->cfg.h_rpm; /* capacities */
    int k = c->cfg.smooth_range;
    for (int r = 0; r < rows; r++) /* V spreads along its row */
        smooth_line(c->vdem + (int64_t)r * cols, vf + (int64_t)r * cols, cols, 1, k, vs, c->vmac + (int64_t)r * cols);
    for (int col = 0; col < cols; col++) /* H spreads along its column */
        smooth_line(c->hdem + col, hf + col, rows, cols, k, hs, c->hmac + col);
    int cnt = (int)floor(2 * n * 0.05);
    if (cnt == 0) {
        double m = all[0];
        for (int i = 1; i < 2 * n; i++) m = all[i] > m ? all[i] : m;
        return m;
    }
    return pl_cost_topk_mean(all, 2 * n, cnt, c->scratch);
}
