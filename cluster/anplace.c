/* anplace.c: analytical soft-macro placement (WA wirelength + electrostatic density); see anplace.h.
 *
 * The density follows ePlace (Lu et al., TCAD 2015): node areas spread on bins are charges, the
 * potential solves ∇²ψ = -ρ with Neumann borders through a cosine expansion, the field E = -∇ψ
 * pushes each node by Σ overlap · E over its bins. Nodes smaller than 1.5 bins are stretched to that
 * size with their density scaled down, so they feel a smooth field. Coordinates are relative to
 * the die's lower-left throughout.
 */
#include "cluster/anplace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/rng.h"

void pl_an_config_default(pl_an_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->max_iters = 600;
    cfg->bins = 0;
    cfg->target_density = 1.0;
    cfg->stop_overflow = 0.05;
    cfg->density_weight = 8e-5;
    cfg->lambda_growth = 1.1;
    cfg->gamma = 4.0;
    cfg->seed = 1;
}


typedef struct an_ws {
    int32_t n, m;              /* nodes, movable nodes */
    double W, H;
    double *cx, *cy, *hw, *hh; /* (N) centres relative to the die, half sizes */
    int32_t *mi;               /* (M) movable node index */
    int32_t *slot;             /* (N) position in mi, -1 if fixed */
    double *pre;               /* (M) Σ incident net weights (the wirelength part of the preconditioner) */
    /* nets with a movable pin: CSR over pins */
    int32_t nnet;
    int32_t *noff;             /* (nnet + 1) */
    int32_t *pnode;            /* pins' node */
    double *pox, *poy;         /* pins' offsets from the node centre */
    double *pv, *pep, *pen;    /* pins' scratch: coordinate, exp terms */
    double *nw;                /* (nnet) weight */
    /* density bins, index i·by + j (i along x) */
    int bx, by;
    double bw, bh;
    double *fixed;             /* (B) fixed-macro area in the bin */
    double *mov;               /* (B) movable area (stretched) in the bin */
    double *ex, *ey;           /* (B) field */
    double *cosx, *sinx;       /* (bx·bx) [u·bx + i]: cos/sin(w_u x_i) */
    double *cosy, *siny;       /* (by·by) */
    double *wu, *wv;           /* (bx), (by) frequencies π u / W, π v / H */
    double *t1, *t2, *coef;    /* (B) scratch */
} an_ws;

static void ws_free(an_ws *w)
{
    free(w->cx), free(w->cy), free(w->hw), free(w->hh), free(w->mi), free(w->slot), free(w->pre);
    free(w->noff), free(w->pnode), free(w->pox), free(w->poy), free(w->nw), free(w->pv), free(w->pep), free(w->pen);
    free(w->fixed), free(w->mov), free(w->ex), free(w->ey), free(w->cosx), free(w->sinx), free(w->cosy);
    free(w->siny), free(w->wu), free(w->wv), free(w->t1), free(w->t2), free(w->coef);
}

static int auto_bins(int32_t m)
{
    int b = 32;
    while (b < 64 && (double)b * b < m) b *= 2;
    return b;
}

/* Adds `a` times the overlap of r with each bin to map. */
static void splat(const an_ws *w, double *map, pl_rect r, double a)
{
    double x0 = r.x0, x1 = r.x1, y0 = r.y0, y1 = r.y1;
    int i0 = (int)floor(x0 / w->bw), i1 = (int)floor(x1 / w->bw);
    int j0 = (int)floor(y0 / w->bh), j1 = (int)floor(y1 / w->bh);
    i0 = i0 < 0 ? 0 : i0, j0 = j0 < 0 ? 0 : j0;
    i1 = i1 >= w->bx ? w->bx - 1 : i1, j1 = j1 >= w->by ? w->by - 1 : j1;
    for (int i = i0; i <= i1; i++) {
        double ox = fmin(x1, (i + 1) * w->bw) - fmax(x0, i * w->bw);
        if (ox <= 0) continue;
        for (int j = j0; j <= j1; j++) {
            double oy = fmin(y1, (j + 1) * w->bh) - fmax(y0, j * w->bh);
            if (oy > 0) map[i * w->by + j] += a * ox * oy;
        }
    }
}

/* Σ overlap · (ex, ey) over the bins of r. */
static void gather(const an_ws *w, pl_rect r, double *gx, double *gy)
{
    double x0 = r.x0, x1 = r.x1, y0 = r.y0, y1 = r.y1;
    int i0 = (int)floor(x0 / w->bw), i1 = (int)floor(x1 / w->bw);
    int j0 = (int)floor(y0 / w->bh), j1 = (int)floor(y1 / w->bh);
    i0 = i0 < 0 ? 0 : i0, j0 = j0 < 0 ? 0 : j0;
    i1 = i1 >= w->bx ? w->bx - 1 : i1, j1 = j1 >= w->by ? w->by - 1 : j1;
    double sx = 0, sy = 0;
    for (int i = i0; i <= i1; i++) {
        double ox = fmin(x1, (i + 1) * w->bw) - fmax(x0, i * w->bw);
        if (ox <= 0) continue;
        for (int j = j0; j <= j1; j++) {
            double oy = fmin(y1, (j + 1) * w->bh) - fmax(y0, j * w->bh);
            if (oy <= 0) continue;
            sx += ox * oy * w->ex[i * w->by + j];
            sy += ox * oy * w->ey[i * w->by + j];
        }
    }
    *gx = sx, *gy = sy;
}

/* The density rectangle of a movable node: at least 1.5 bins a side, `scale` keeps its area. */
static pl_rect dens_rect(const an_ws *w, int32_t node, double *scale)
{
    double sw = fmax(2 * w->hw[node], 1.5 * w->bw), sh = fmax(2 * w->hh[node], 1.5 * w->bh);
    *scale = 4 * w->hw[node] * w->hh[node] / (sw * sh);
    return (pl_rect){w->cx[node] - 0.5 * sw, w->cy[node] - 0.5 * sh, w->cx[node] + 0.5 * sw, w->cy[node] + 0.5 * sh};
}

static pl_status ws_init(an_ws *w, const pl_netlist *nl, const pl_an_config *cfg)
{
    memset(w, 0, sizeof *w);
    int32_t N = (int32_t)nl->nnodes;
    w->n = N;
    w->W = nl->die.x1 - nl->die.x0, w->H = nl->die.y1 - nl->die.y0;
    if (!PL_CALLOC(w->cx, N) || !PL_CALLOC(w->cy, N) || !PL_CALLOC(w->hw, N) || !PL_CALLOC(w->hh, N) ||
        !PL_CALLOC(w->mi, N) || !PL_CALLOC(w->slot, N) || !PL_CALLOC(w->pre, N))
        return pl_err(PL_ENOMEM, "an: out of memory");
    for (int32_t i = 0; i < N; i++) {
        const pl_node *nd = &nl->nodes[i];
        double cx, cy;
        pl_node_center(nd, &cx, &cy);
        w->cx[i] = cx - nl->die.x0, w->cy[i] = cy - nl->die.y0;
        w->hw[i] = 0.5 * pl_node_width(nd), w->hh[i] = 0.5 * pl_node_height(nd);
        int mv = nd->kind == PL_NODE_SOFT || (cfg->mixed && nd->kind == PL_NODE_MACRO && nd->state == PL_PLACE_UNPLACED);
        w->slot[i] = mv ? w->m : -1;
        if (mv) w->mi[w->m++] = i;
    }
    /* nets with two or more pins and at least one movable one, driver first as in the netlist */
    int64_t np = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        int any = 0;
        for (int64_t q = b; q < e && !any; q++) any = w->slot[nl->pins[nl->net_pins[q]].node] >= 0;
        if (e - b >= 2 && any) w->nnet++, np += e - b;
    }
    if (!PL_CALLOC(w->noff, w->nnet + 1) || !PL_CALLOC(w->pnode, np) || !PL_CALLOC(w->pox, np) ||
        !PL_CALLOC(w->poy, np) || !PL_CALLOC(w->nw, w->nnet) || !PL_CALLOC(w->pv, np) || !PL_CALLOC(w->pep, np) ||
        !PL_CALLOC(w->pen, np))
        return pl_err(PL_ENOMEM, "an: out of memory");
    int32_t k = 0, p = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        int any = 0;
        for (int64_t q = b; q < e && !any; q++) any = w->slot[nl->pins[nl->net_pins[q]].node] >= 0;
        if (e - b < 2 || !any) continue;
        double wt = nl->nets[n].weight != 0 ? nl->nets[n].weight : 1.0;
        w->nw[k] = wt;
        w->noff[k] = p;
        for (int64_t q = b; q < e; q++) {
            int32_t pin = nl->net_pins[q], nd = nl->pins[pin].node;
            double px, py;
            pl_pin_position(nl, pin, &px, &py);
            w->pnode[p] = nd;
            w->pox[p] = px - nl->die.x0 - w->cx[nd], w->poy[p] = py - nl->die.y0 - w->cy[nd];
            if (w->slot[nd] >= 0) w->pre[w->slot[nd]] += wt;
            p++;
        }
        k++;
    }
    w->noff[k] = p;
    /* bins and the cosine tables */
    int b = cfg->bins > 0 ? cfg->bins : auto_bins(w->m);
    w->bx = w->by = b;
    w->bw = w->W / b, w->bh = w->H / b;
    int B = b * b;
    if (!PL_CALLOC(w->fixed, B) || !PL_CALLOC(w->mov, B) || !PL_CALLOC(w->ex, B) || !PL_CALLOC(w->ey, B) ||
        !PL_CALLOC(w->cosx, B) || !PL_CALLOC(w->sinx, B) || !PL_CALLOC(w->cosy, B) || !PL_CALLOC(w->siny, B) ||
        !PL_CALLOC(w->wu, b) || !PL_CALLOC(w->wv, b) || !PL_CALLOC(w->t1, B) || !PL_CALLOC(w->t2, B) ||
        !PL_CALLOC(w->coef, B))
        return pl_err(PL_ENOMEM, "an: out of memory");
    for (int u = 0; u < b; u++) {
        w->wu[u] = M_PI * u / w->W, w->wv[u] = M_PI * u / w->H;
        for (int i = 0; i < b; i++) {
            w->cosx[u * b + i] = cos(w->wu[u] * (i + 0.5) * w->bw), w->sinx[u * b + i] = sin(w->wu[u] * (i + 0.5) * w->bw);
            w->cosy[u * b + i] = cos(w->wv[u] * (i + 0.5) * w->bh), w->siny[u * b + i] = sin(w->wv[u] * (i + 0.5) * w->bh);
        }
    }
    /* fixed macros (scaled by the target density, ePlace's convention), clipped to the bin */
    for (int32_t i = 0; i < N; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (w->slot[i] >= 0 || nd->kind != PL_NODE_MACRO || !(w->hw[i] > 0 && w->hh[i] > 0)) continue;
        pl_rect r = {w->cx[i] - w->hw[i], w->cy[i] - w->hh[i], w->cx[i] + w->hw[i], w->cy[i] + w->hh[i]};
        splat(w, w->fixed, r, 1.0);
    }
    double ba = w->bw * w->bh;
    for (int q = 0; q < B; q++) w->fixed[q] = fmin(w->fixed[q], ba) * cfg->target_density;
    return PL_OK;
}

static void clamp_node(an_ws *w, int32_t i)
{
    double lo = w->hw[i], hi = w->W - w->hw[i];
    w->cx[i] = hi < lo ? 0.5 * w->W : w->cx[i] < lo ? lo : w->cx[i] > hi ? hi : w->cx[i];
    lo = w->hh[i], hi = w->H - w->hh[i];
    w->cy[i] = hi < lo ? 0.5 * w->H : w->cy[i] < lo ? lo : w->cy[i] > hi ? hi : w->cy[i];
}

/* x (2M: x then y) -> node centres, clamped back into x. */
static void set_pos(an_ws *w, double *x)
{
    for (int32_t k = 0; k < w->m; k++) {
        int32_t i = w->mi[k];
        w->cx[i] = x[k], w->cy[i] = x[w->m + k];
        clamp_node(w, i);
        x[k] = w->cx[i], x[w->m + k] = w->cy[i];
    }
}

/* Adds the WA wirelength gradient to g (2M); returns Σ weight · HPWL. */
static double wl_grad(const an_ws *w, double gamma, double *g)
{
    double hpwl = 0, ig = 1 / gamma;
    for (int32_t n = 0; n < w->nnet; n++) {
        int32_t b = w->noff[n], e = w->noff[n + 1];
        double wt = w->nw[n];
        for (int d = 0; d < 2; d++) {
            const double *c = d ? w->cy : w->cx, *o = d ? w->poy : w->pox;
            double *v = w->pv, *ep = w->pep, *en = w->pen;
            double mx = -INFINITY, mn = INFINITY;
            for (int32_t p = b; p < e; p++) {
                v[p] = c[w->pnode[p]] + o[p];
                mx = v[p] > mx ? v[p] : mx, mn = v[p] < mn ? v[p] : mn;
            }
            hpwl += wt * (mx - mn);
            /* ep · en = exp((mn - mx) / γ) for every pin: one exp per pin unless that underflows */
            double sp = 0, spx = 0, sn = 0, snx = 0, span = (mx - mn) * ig, kk = exp(-span);
            for (int32_t p = b; p < e; p++) {
                ep[p] = exp((v[p] - mx) * ig);
                en[p] = span < 600 ? kk / ep[p] : exp((mn - v[p]) * ig);
                sp += ep[p], spx += v[p] * ep[p], sn += en[p], snx += v[p] * en[p];
            }
            double wp = spx / sp, wn = snx / sn;
            for (int32_t p = b; p < e; p++) {
                int32_t s = w->slot[w->pnode[p]];
                if (s < 0) continue;
                double gp = ep[p] / sp * (1 + (v[p] - wp) * ig), gn = en[p] / sn * (1 - (v[p] - wn) * ig);
                g[d * w->m + s] += wt * (gp - gn);
            }
        }
    }
    return hpwl;
}

/* The field from the current positions; returns the overflow. */
static double field(an_ws *w, double target)
{
    int bx = w->bx, by = w->by, B = bx * by;
    double ba = w->bw * w->bh, total = 0;
    memset(w->mov, 0, (size_t)B * sizeof *w->mov);
    for (int32_t k = 0; k < w->m; k++) {
        int32_t i = w->mi[k];
        double s;
        pl_rect r = dens_rect(w, i, &s);
        splat(w, w->mov, r, s);
        total += 4 * w->hw[i] * w->hh[i];
    }
    double over = 0;
    for (int q = 0; q < B; q++) {
        double cap = target * ba - w->fixed[q];
        over += fmax(0, w->mov[q] - fmax(0, cap));
        w->t1[q] = (w->mov[q] + w->fixed[q]) / ba;
    }
    /* a_uv = c_u c_v / (bx by) Σ_ij ρ_ij cos(w_u x_i) cos(w_v y_j), c_0 = 1, c_k = 2 */
    for (int u = 0; u < bx; u++)
        for (int j = 0; j < by; j++) {
            double s = 0;
            for (int i = 0; i < bx; i++) s += w->cosx[u * bx + i] * w->t1[i * by + j];
            w->t2[u * by + j] = s;
        }
    for (int u = 0; u < bx; u++)
        for (int v = 0; v < by; v++) {
            double s = 0;
            for (int j = 0; j < by; j++) s += w->t2[u * by + j] * w->cosy[v * by + j];
            w->coef[u * by + v] = s * (u ? 2.0 : 1.0) * (v ? 2.0 : 1.0) / (bx * by);
        }
    /* E_x = Σ a_uv w_u / (w_u² + w_v²) sin(w_u x) cos(w_v y); E_y likewise */
    for (int d = 0; d < 2; d++) {
        for (int u = 0; u < bx; u++)
            for (int j = 0; j < by; j++) {
                double s = 0;
                for (int v = 0; v < by; v++) {
                    double k2 = w->wu[u] * w->wu[u] + w->wv[v] * w->wv[v];
                    if (k2 <= 0) continue;
                    double a = w->coef[u * by + v] * (d ? w->wv[v] : w->wu[u]) / k2;
                    s += a * (d ? w->siny[v * by + j] : w->cosy[v * by + j]);
                }
                w->t2[u * by + j] = s;
            }
        double *out = d ? w->ey : w->ex;
        for (int i = 0; i < bx; i++)
            for (int j = 0; j < by; j++) {
                double s = 0;
                for (int u = 0; u < bx; u++) s += (d ? w->cosx[u * bx + i] : w->sinx[u * bx + i]) * w->t2[u * by + j];
                out[i * by + j] = s;
            }
    }
    return total > 0 ? over / total : 0;
}

/* Adds the density gradient ∂N/∂x = -Σ overlap · E to g (2M). */
static void dens_grad(const an_ws *w, double *g)
{
    for (int32_t k = 0; k < w->m; k++) {
        int32_t i = w->mi[k];
        double s, gx, gy;
        pl_rect r = dens_rect(w, i, &s);
        gather(w, r, &gx, &gy);
        g[k] -= s * gx, g[w->m + k] -= s * gy;
    }
}

static double norm1(const double *v, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += fabs(v[i]);
    return s;
}

typedef struct an_eval {
    double hpwl, overflow;
} an_eval;

/* The objective's weights of one iteration. */
typedef struct an_weights {
    double lambda, gamma, target;
} an_weights;

/* g = preconditioned ∇(WL + λ D) at x (x is clamped into the canvas first); gd: scratch, left
 * holding ∇D (2M). */
static an_eval grad(an_ws *w, double *x, an_weights wt, double *g, double *gd)
{
    double lambda = wt.lambda, gamma = wt.gamma, target = wt.target;
    an_eval r;
    int32_t M = w->m;
    set_pos(w, x);
    memset(g, 0, 2 * (size_t)M * sizeof *g);
    memset(gd, 0, 2 * (size_t)M * sizeof *gd);
    r.hpwl = wl_grad(w, gamma, g);
    r.overflow = field(w, target);
    dens_grad(w, gd);
    for (int32_t k = 0; k < M; k++) {
        int32_t i = w->mi[k];
        double p = fmax(1.0, w->pre[k] + lambda * 4 * w->hw[i] * w->hh[i]);
        g[k] = (g[k] + lambda * gd[k]) / p;
        g[M + k] = (g[M + k] + lambda * gd[M + k]) / p;
    }
    return r;
}

static double dist2(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

pl_status pl_an_place(pl_netlist *nl, const pl_an_config *cfg, pl_an_stats *stats)
{
    if (!nl->finalized) return pl_err(PL_EINVAL, "an: the netlist is not finalized");
    if (!nl->has_die || !(nl->die.x1 > nl->die.x0) || !(nl->die.y1 > nl->die.y0))
        return pl_err(PL_EINVAL, "an: the design has no die area (canvas)");
    if (cfg->max_iters < 0 || cfg->bins < 0 || cfg->bins > 512 || !(cfg->target_density > 0) ||
        !(cfg->lambda_growth >= 1))
        return pl_err(PL_EINVAL, "an: bad configuration");
    an_ws w;
    pl_status s = ws_init(&w, nl, cfg);
    int32_t M = w.m;
    double *u = NULL, *v = NULL, *vn = NULL, *up = NULL, *g = NULL, *gp = NULL, *gd = NULL;
    if (s == PL_OK && (!PL_CALLOC(u, 2 * M) || !PL_CALLOC(v, 2 * M) || !PL_CALLOC(vn, 2 * M) || !PL_CALLOC(up, 2 * M) ||
                       !PL_CALLOC(g, 2 * M) || !PL_CALLOC(gp, 2 * M) || !PL_CALLOC(gd, 2 * M)))
        s = pl_err(PL_ENOMEM, "an: out of memory");
    an_eval ev = {0, 0};
    int it = 0;
    if (s == PL_OK && M > 0) {
        pl_rng rng;
        pl_rng_seed(&rng, cfg->seed);
        double jit = 1e-2 * fmin(w.W, w.H);
        for (int32_t k = 0; k < M; k++) {
            int32_t i = w.mi[k];
            u[k] = cfg->from_current ? w.cx[i] : 0.5 * w.W + jit * (pl_rng_uniform(&rng) - 0.5);
            u[M + k] = cfg->from_current ? w.cy[i] : 0.5 * w.H + jit * (pl_rng_uniform(&rng) - 0.5);
        }
        double gamma0 = cfg->gamma * 0.5 * (w.bw + w.bh);
        /* λ0 from the gradient norms at the start (no preconditioning: λ = 0, p = max(1, pre)) */
        ev = grad(&w, u, (an_weights){0, gamma0 * 10, cfg->target_density}, g, gd);
        double gl = 0;
        for (int32_t k = 0; k < M; k++) gl += (fabs(g[k]) + fabs(g[M + k])) * fmax(1.0, w.pre[k]);
        double gdn = norm1(gd, 2 * M);
        double lambda = gdn > 0 ? cfg->density_weight * gl / gdn : 0;
        double gamma = gamma0 * pow(10, (20 * ev.overflow - 11) / 9);
        memcpy(v, u, 2 * (size_t)M * sizeof *u);
        /* the first step: a tenth of a bin for the largest move */
        double a = 1, alpha;
        {
            ev = grad(&w, u, (an_weights){lambda, gamma, cfg->target_density}, g, gd);
            double gm = 0;
            for (int64_t q = 0; q < 2 * M; q++) gm = fmax(gm, fabs(g[q]));
            alpha = gm > 0 ? 0.1 * fmin(w.bw, w.bh) / gm : 0;
        }
        for (it = 0; it < cfg->max_iters; it++) {
            if (it > 0) {
                ev = grad(&w, u, (an_weights){lambda, gamma, cfg->target_density}, g, gd);
                double du = dist2(u, up, 2 * M), dg = dist2(g, gp, 2 * M);
                if (dg > 0 && du > 0) alpha = du / dg;
            }
            if (ev.overflow < cfg->stop_overflow && it > 0) break;
            for (int64_t q = 0; q < 2 * M; q++) vn[q] = u[q] - alpha * g[q];
            set_pos(&w, vn);
            double an = 0.5 * (1 + sqrt(4 * a * a + 1)), c = (a - 1) / an;
            memcpy(up, u, 2 * (size_t)M * sizeof *u);
            memcpy(gp, g, 2 * (size_t)M * sizeof *g);
            for (int64_t q = 0; q < 2 * M; q++) u[q] = vn[q] + c * (vn[q] - v[q]);
            memcpy(v, vn, 2 * (size_t)M * sizeof *v);
            a = an;
            lambda *= cfg->lambda_growth;
            gamma = gamma0 * pow(10, (20 * ev.overflow - 11) / 9);
        }
        set_pos(&w, v);
        ev.overflow = field(&w, cfg->target_density);
        memset(g, 0, 2 * (size_t)M * sizeof *g);
        ev.hpwl = wl_grad(&w, gamma, g);
        pl_debug("an", "%d iterations, overflow %.3f, hpwl %.1f, lambda %.3g", it, ev.overflow, ev.hpwl, lambda);
    }
    if (s == PL_OK) {
        for (int32_t k = 0; k < M; k++) {
            int32_t i = w.mi[k];
            pl_node *nd = &nl->nodes[i];
            nd->x = nl->die.x0 + w.cx[i] - w.hw[i];
            nd->y = nl->die.y0 + w.cy[i] - w.hh[i];
            nd->state = PL_PLACE_PLACED;
        }
        if (stats) stats->movable = M, stats->iters = it, stats->overflow = ev.overflow, stats->hpwl = ev.hpwl;
    }
    free(u), free(v), free(vn), free(up), free(g), free(gp), free(gd);
    ws_free(&w);
    return s;
}
