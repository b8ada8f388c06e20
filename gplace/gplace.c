/* gplace.c: the global placement driver: set-up, gradient, Nesterov's method; see gplace.h.
 *
 * Objects are the movable cells (node order) then the fillers; a position vector holds the
 * centres, x of every object then y (2n). The density of a cell narrower than √2 bins is spread
 * over √2 bins at a lower charge (ePlace's smoothing); its centre is kept where that wider charge
 * stays inside the core, so the cell always does. The overflow is measured on the exact footprints.
 */
#include "gplace/gplace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/rng.h"
#include "cost/hpwl.h"
#include "gplace/density.h"
#include "gplace/wirelength.h"

void pl_gplace_config_default(pl_gplace_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->target_density = 1.0;
    cfg->stop_overflow = 0.10;
    cfg->max_iters = 1000;
    cfg->init_density_penalty = 8e-3;
    cfg->lambda_max_growth = 1.05;
    cfg->ref_hpwl_ratio = 0.01;
    cfg->gamma_bins = 4.0;
    cfg->max_net_degree = 0;
    cfg->fillers = 1;
    cfg->macros = 1;
    cfg->seed = 1;
    cfg->threads = 1;
}

int pl_gplace_core(const pl_netlist *nl, pl_rect *core)
{
    if (pl_netlist_rows_bbox(nl, core)) return 1;
    if (!(nl->has_die && nl->die.x1 > nl->die.x0 && nl->die.y1 > nl->die.y0)) return 0;
    *core = nl->die;
    return 1;
}

/* ---- state ---- */

typedef struct gp_state {
    pl_netlist *nl;
    const pl_gplace_config *cfg;
    pl_rect core;
    int32_t nmov, nobj;        /* movable cells, then fillers up to nobj */
    int32_t *slot;             /* (N) object of a node, -1 fixed, -2 left out */
    int32_t *node;             /* (nmov) node of a movable cell */
    double *hw, *hh;           /* (nobj) half footprint */
    double *dhw, *dhh, *dq;    /* (nobj) half density rectangle and its charge density */
    double *area;              /* (nobj) */
    double mov_area, free_area;
    pl_gp_wl wl;
    pl_gp_density den;
    double *exact;             /* (B) exact footprints of the movable cells */
    double *gwx, *gwy;         /* (nmov) wirelength gradient */
    double *gdx, *gdy;         /* (nobj) density gradient */
    int threads;
} gp_state;

static void state_free(gp_state *s)
{
    free(s->slot), free(s->node), free(s->hw), free(s->hh), free(s->dhw), free(s->dhh), free(s->dq), free(s->area);
    free(s->exact), free(s->gwx), free(s->gwy), free(s->gdx), free(s->gdy);
    pl_gp_wl_free(&s->wl);
    pl_gp_density_free(&s->den);
}

static int is_movable(const pl_node *nd)
{
    return nd->kind == PL_NODE_STDCELL && (nd->state == PL_PLACE_UNPLACED || nd->state == PL_PLACE_PLACED);
}

/* slot of each node; counts movable cells and warns about the nodes left out. */
static pl_status classify(gp_state *s)
{
    const pl_netlist *nl = s->nl;
    int64_t left_out = 0;
    if (!PL_ALLOC(s->slot, nl->nnodes)) return pl_err(PL_ENOMEM, "gplace: out of memory");
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (is_movable(nd)) {
            if (s->nmov == INT32_MAX) return pl_err(PL_EINVAL, "gplace: too many movable cells");
            s->slot[i] = s->nmov++;
        } else if (nd->kind == PL_NODE_MACRO && !s->cfg->macros) {
            s->slot[i] = -2;
        } else if (nd->state == PL_PLACE_UNPLACED || nd->kind == PL_NODE_SOFT) {
            s->slot[i] = -2;
            left_out++;
        } else {
            s->slot[i] = -1;
        }
    }
    if (left_out)
        pl_warn("gplace", "%lld unplaced macros, ports or other nodes are left out (no charge, no terminal)",
                (long long)left_out);
    return PL_OK;
}

/* The fixed charge: placed non-movable nodes (with halos), hard placement blockages. */
static void add_fixed(gp_state *s)
{
    const pl_netlist *nl = s->nl;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (s->slot[i] != -1 || nd->kind == PL_NODE_PORT) continue;
        double w = pl_node_width(nd), h = pl_node_height(nd);
        pl_rect r = {nd->x - nd->halo[0], nd->y - nd->halo[1], nd->x + w + nd->halo[2], nd->y + h + nd->halo[3]};
        if (r.x1 > r.x0 && r.y1 > r.y0) pl_gp_density_add_fixed(&s->den, r, 1.0);
    }
    for (int64_t b = 0; b < nl->nblockages; b++) {
        const pl_blockage *bk = &nl->blockages[b];
        if (bk->kind != PL_BLOCK_PLACEMENT || bk->soft) continue;
        pl_gp_density_add_fixed(&s->den, bk->r, bk->partial > 0 ? fmin(bk->partial, 100.0) / 100 : 1.0);
    }
    pl_gp_density_fixed_done(&s->den);
    double fixed = 0;
    for (int64_t q = 0; q < (int64_t)s->den.bx * s->den.by; q++) fixed += s->den.fixed[q];
    s->free_area = (s->core.x1 - s->core.x0) * (s->core.y1 - s->core.y0) - fixed;
}

/* The power of two nearest to √(movable cells) (in log scale), 16..1024. */
static int auto_bins(const gp_state *s)
{
    int b = 16;
    while (b < 1024 && (double)b * b * 2 < s->nmov) b *= 2; /* b < √n / √2: b is nearer to 2b */
    return b;
}

static int cmp_size(const void *a, const void *b)
{
    const double *x = a, *y = b; /* (area, w, h) */
    for (int k = 0; k < 3; k++)
        if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
    return 0;
}

/* Filler size: the mean footprint of the movable cells between the 5th and 95th percentile of area. */
static pl_status filler_size(const gp_state *s, double *fw, double *fh)
{
    double *v;
    if (!PL_ALLOC(v, 3 * (int64_t)s->nmov)) return pl_err(PL_ENOMEM, "gplace: out of memory");
    for (int32_t k = 0; k < s->nmov; k++) {
        const pl_node *nd = &s->nl->nodes[s->node[k]];
        v[3 * k + 1] = pl_node_width(nd), v[3 * k + 2] = pl_node_height(nd);
        v[3 * k] = v[3 * k + 1] * v[3 * k + 2];
    }
    qsort(v, (size_t)s->nmov, 3 * sizeof *v, cmp_size);
    int32_t lo = (int32_t)(0.05 * s->nmov), hi = (int32_t)(0.95 * s->nmov);
    if (hi <= lo) lo = 0, hi = s->nmov;
    double sw = 0, sh = 0;
    for (int32_t k = lo; k < hi; k++) sw += v[3 * k + 1], sh += v[3 * k + 2];
    *fw = sw / (hi - lo), *fh = sh / (hi - lo);
    free(v);
    return PL_OK;
}

/* Object sizes: cells' footprints, then fillers of fw x fh; density rectangles at least √2 bins. */
static pl_status objects_init(gp_state *s, double fw, double fh)
{
    int32_t n = s->nobj;
    if (!PL_CALLOC(s->hw, n) || !PL_CALLOC(s->hh, n) || !PL_CALLOC(s->area, n) || !PL_CALLOC(s->dhw, n) ||
        !PL_CALLOC(s->dhh, n) || !PL_CALLOC(s->dq, n) || !PL_CALLOC(s->gdx, n) || !PL_CALLOC(s->gdy, n))
        return pl_err(PL_ENOMEM, "gplace: out of memory for %d objects", (int)n);
    double mw = 0.5 * M_SQRT2 * s->den.bw, mh = 0.5 * M_SQRT2 * s->den.bh;
    for (int32_t k = 0; k < n; k++) {
        const pl_node *nd = k < s->nmov ? &s->nl->nodes[s->node[k]] : NULL;
        s->hw[k] = 0.5 * (nd ? pl_node_width(nd) : fw), s->hh[k] = 0.5 * (nd ? pl_node_height(nd) : fh);
        s->area[k] = 4 * s->hw[k] * s->hh[k];
        s->dhw[k] = fmax(s->hw[k], mw), s->dhh[k] = fmax(s->hh[k], mh);
        s->dq[k] = s->area[k] / (4 * s->dhw[k] * s->dhh[k]);
    }
    return PL_OK;
}

static pl_status state_init(gp_state *s, pl_netlist *nl, const pl_gplace_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->nl = nl, s->cfg = cfg, s->threads = cfg->threads;
    if (!pl_gplace_core(nl, &s->core))
        return pl_err(PL_EINVAL, "gplace: design %s has no rows and no die area", nl->design ? nl->design : "?");
    PL_TRY(classify(s));
    if (!PL_ALLOC(s->node, s->nmov + 1) || !PL_CALLOC(s->gwx, s->nmov + 1) || !PL_CALLOC(s->gwy, s->nmov + 1))
        return pl_err(PL_ENOMEM, "gplace: out of memory");
    for (int64_t i = 0; i < nl->nnodes; i++) {
        if (s->slot[i] < 0) continue;
        s->node[s->slot[i]] = (int32_t)i;
        s->mov_area += pl_node_width(&nl->nodes[i]) * pl_node_height(&nl->nodes[i]);
    }
    int bx = cfg->bins_x > 0 ? cfg->bins_x : auto_bins(s), by = cfg->bins_y > 0 ? cfg->bins_y : auto_bins(s);
    PL_TRY(pl_gp_density_init(&s->den, s->core, bx, by));
    if (!PL_CALLOC(s->exact, (int64_t)bx * by)) return pl_err(PL_ENOMEM, "gplace: out of memory");
    add_fixed(s);
    double cap = cfg->target_density * s->free_area;
    if (s->mov_area > cap)
        return pl_err(PL_EINVAL, "gplace: the movable cells (%.1f um2) exceed the room at target density %g "
                      "(%.1f um2 free in the core)", s->mov_area, cfg->target_density, s->free_area);
    PL_TRY(pl_gp_wl_init(&s->wl, nl, s->slot, s->nmov, cfg->max_net_degree));
    double fw = 0, fh = 0, nf = 0;
    if (cfg->fillers && s->nmov > 0) {
        PL_TRY(filler_size(s, &fw, &fh));
        nf = fw > 0 && fh > 0 ? floor((cap - s->mov_area) / (fw * fh)) : 0;
        if (nf > INT32_MAX - s->nmov) return pl_err(PL_EINVAL, "gplace: too many fillers (%.0f)", nf);
    }
    s->nobj = s->nmov + (int32_t)nf;
    return objects_init(s, fw, fh);
}

/* ---- the objective ---- */

typedef struct gp_point {
    double hpwl;      /* Σ w · HPWL over the kept nets */
    double overflow;
} gp_point;

/* Keeps every object's density rectangle inside the core. */
static void clamp_xy(const gp_state *s, double *xy)
{
    const pl_rect *c = &s->core;
    double *x = xy, *y = xy + s->nobj;
    for (int32_t k = 0; k < s->nobj; k++) {
        double lo = c->x0 + s->dhw[k], hi = c->x1 - s->dhw[k];
        x[k] = hi < lo ? 0.5 * (c->x0 + c->x1) : x[k] < lo ? lo : x[k] > hi ? hi : x[k];
        lo = c->y0 + s->dhh[k], hi = c->y1 - s->dhh[k];
        y[k] = hi < lo ? 0.5 * (c->y0 + c->y1) : y[k] < lo ? lo : y[k] > hi ? hi : y[k];
    }
}

/* Clamps xy, then fills the wirelength and density gradients and the point's measures. */
static gp_point eval_parts(gp_state *s, double *xy, double gamma)
{
    gp_point pt;
    int32_t n = s->nobj;
    double *x = xy, *y = xy + n, target = s->cfg->target_density;
    clamp_xy(s, xy);
    memset(s->gwx, 0, (size_t)s->nmov * sizeof *s->gwx);
    memset(s->gwy, 0, (size_t)s->nmov * sizeof *s->gwy);
    pl_gp_wl_forward(&s->wl, x, y, gamma, s->threads, &pt.hpwl);
    pl_gp_wl_backward(&s->wl, s->gwx, s->gwy, s->threads);
    pl_gp_charges smooth = {n, x, y, s->dhw, s->dhh, s->dq}, exact = {s->nmov, x, y, s->hw, s->hh, NULL};
    pl_gp_density_spread(&s->den, &exact, s->exact, s->threads);
    pt.overflow = s->mov_area > 0 ? pl_gp_density_overflow(&s->den, s->exact, target) / s->mov_area : 0;
    pl_gp_density_spread(&s->den, &smooth, s->den.mov, s->threads);
    pl_gp_density_solve(&s->den, target, 0, s->threads);
    pl_gp_density_gather(&s->den, &smooth, s->gdx, s->gdy, s->threads);
    return pt;
}

/* g (2n) = the preconditioned gradient of WL + λ D at xy (clamped first). */
static gp_point eval_grad(gp_state *s, double *xy, double lambda, double gamma, double *g)
{
    gp_point pt = eval_parts(s, xy, gamma);
    int32_t n = s->nobj;
    for (int32_t k = 0; k < n; k++) {
        double wx = k < s->nmov ? s->gwx[k] : 0, wy = k < s->nmov ? s->gwy[k] : 0;
        double pre = fmax(1.0, (k < s->nmov ? s->wl.obj_deg[k] : 0) + lambda * s->area[k]);
        g[k] = (wx + lambda * s->gdx[k]) / pre;
        g[n + k] = (wy + lambda * s->gdy[k]) / pre;
    }
    return pt;
}

static double gamma_of(const gp_state *s, double overflow)
{
    double o = fmin(1.0, fmax(0.1, overflow));
    return s->cfg->gamma_bins * 0.5 * (s->den.bw + s->den.bh) * pow(10, (o - 0.1) * 20 / 9 - 1);
}

static double dist(const double *a, const double *b, int64_t n)
{
    double d = 0;
    for (int64_t i = 0; i < n; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(d);
}

/* Cells at the core's centre with a seeded jitter of 0.5 % of its size; fillers uniform over it. */
static void initial_positions(const gp_state *s, double *xy)
{
    const pl_rect *c = &s->core;
    double W = c->x1 - c->x0, H = c->y1 - c->y0;
    pl_rng cells, fill;
    pl_rng_derive(&cells, s->cfg->seed, 0x67706c616365ull, 0);
    pl_rng_derive(&fill, s->cfg->seed, 0x67706c616365ull, 1);
    for (int32_t k = 0; k < s->nobj; k++) {
        if (k < s->nmov) {
            xy[k] = c->x0 + W * (0.5 + 0.005 * (pl_rng_uniform(&cells) - 0.5));
            xy[s->nobj + k] = c->y0 + H * (0.5 + 0.005 * (pl_rng_uniform(&cells) - 0.5));
        } else {
            xy[k] = c->x0 + W * pl_rng_uniform(&fill);
            xy[s->nobj + k] = c->y0 + H * pl_rng_uniform(&fill);
        }
    }
    clamp_xy(s, xy);
}

/* ---- Nesterov ---- */

typedef struct gp_nest {
    double *u, *v, *un, *vn, *gv, *gn; /* (2n) major and reference solutions, their gradients */
    int32_t *perm, *cnt;               /* (n) and (B + 1) scratch of sort_fillers */
} gp_nest;

/* Fillers (after the cells) reordered by the bin of their reference position, stable: spread and
 * gather then walk the maps in memory order instead of at random. Fillers are interchangeable (one
 * size, no pins), so only u, v and gv are permuted; the order depends on the positions alone. */
static void sort_fillers(const gp_state *s, gp_nest *ns)
{
    int32_t n = s->nobj, m = s->nmov, nf = n - m;
    const pl_gp_density *d = &s->den;
    int64_t B = (int64_t)d->bx * d->by;
    if (nf < 2) return;
    memset(ns->cnt, 0, (size_t)(B + 1) * sizeof *ns->cnt);
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t k = m; k < n; k++) {
            int i = (int)((ns->v[k] - d->x0) / d->bw), j = (int)((ns->v[n + k] - d->y0) / d->bh);
            int64_t b = (int64_t)(i < 0 ? 0 : i >= d->bx ? d->bx - 1 : i) * d->by + (j < 0 ? 0 : j >= d->by ? d->by - 1 : j);
            if (pass) ns->perm[ns->cnt[b]++] = k;
            else ns->cnt[b + 1]++;
        }
        for (int64_t b = 0; !pass && b < B; b++) ns->cnt[b + 1] += ns->cnt[b];
    }
    double *arr[3] = {ns->u, ns->v, ns->gv}, *tmp = ns->un; /* un is scratch between iterations */
    for (int a = 0; a < 3; a++)
        for (int h = 0; h < 2; h++) {
            double *x = arr[a] + (size_t)h * n;
            for (int32_t k = 0; k < nf; k++) tmp[k] = x[ns->perm[k]];
            memcpy(x + m, tmp, (size_t)nf * sizeof *tmp);
        }
}

/* λ0 from the gradient norms at v (RePlAce), then v's preconditioned gradient and a first step
 * from a probe a tenth of a bin away. */
static void nest_start(gp_state *s, gp_nest *ns, double *lambda, double *gamma, double *alpha, gp_point *pt)
{
    int64_t n2 = 2 * (int64_t)s->nobj;
    *pt = eval_parts(s, ns->v, *gamma);
    double gw = 0, gd = 0;
    for (int32_t k = 0; k < s->nmov; k++) gw += fabs(s->gwx[k]) + fabs(s->gwy[k]);
    for (int32_t k = 0; k < s->nobj; k++) gd += fabs(s->gdx[k]) + fabs(s->gdy[k]);
    *lambda = gd > 0 ? s->cfg->init_density_penalty * (gw > 0 ? gw : gd) / gd : 0;
    *gamma = gamma_of(s, pt->overflow);
    *pt = eval_grad(s, ns->v, *lambda, *gamma, ns->gv);
    double gm = 0;
    for (int64_t q = 0; q < n2; q++) gm = fmax(gm, fabs(ns->gv[q]));
    if (!(gm > 0)) {
        *alpha = 0;
        return;
    }
    double c = 0.1 * fmin(s->den.bw, s->den.bh) / gm;
    for (int64_t q = 0; q < n2; q++) ns->un[q] = ns->v[q] - c * ns->gv[q];
    eval_grad(s, ns->un, *lambda, *gamma, ns->gn);
    double dg = dist(ns->gn, ns->gv, n2), dv = dist(ns->un, ns->v, n2);
    *alpha = dg > 0 ? dv / dg : c;
}

static void swap_ptr(double **a, double **b)
{
    double *t = *a;
    *a = *b, *b = t;
}

/* Runs the iterations; leaves the last reference solution in ns->v. */
static void nest_run(gp_state *s, gp_nest *ns, pl_gplace_stats *st)
{
    const pl_gplace_config *cfg = s->cfg;
    int64_t n2 = 2 * (int64_t)s->nobj;
    memcpy(ns->v, ns->u, (size_t)n2 * sizeof *ns->u);
    double lambda = 0, gamma = gamma_of(s, 1.0), alpha = 0, a = 1;
    gp_point pt;
    nest_start(s, ns, &lambda, &gamma, &alpha, &pt);
    st->evals = 2;
    int it = 0;
    for (; it < cfg->max_iters && pt.overflow > cfg->stop_overflow && alpha > 0; it++) {
        if (it % 10 == 0) sort_fillers(s, ns);
        double an = 0.5 * (1 + sqrt(4 * a * a + 1)), coef = (a - 1) / an, prev_hpwl = pt.hpwl;
        for (int bt = 0;; bt++) {
            for (int64_t q = 0; q < n2; q++) ns->un[q] = ns->v[q] - alpha * ns->gv[q];
            clamp_xy(s, ns->un);
            for (int64_t q = 0; q < n2; q++) ns->vn[q] = ns->un[q] + coef * (ns->un[q] - ns->u[q]);
            pt = eval_grad(s, ns->vn, lambda, gamma, ns->gn);
            st->evals++;
            double dg = dist(ns->gn, ns->gv, n2), na = dg > 0 ? dist(ns->vn, ns->v, n2) / dg : alpha;
            if (!isfinite(na) || na <= 0) na = alpha;
            int ok = na > 0.95 * alpha || bt >= 9;
            alpha = na;
            if (ok) break;
        }
        swap_ptr(&ns->u, &ns->un), swap_ptr(&ns->v, &ns->vn), swap_ptr(&ns->gv, &ns->gn);
        a = an;
        double p = (pt.hpwl - prev_hpwl) / (cfg->ref_hpwl_ratio * fmax(pt.hpwl, 1e-300));
        double mu = p < 0 ? cfg->lambda_max_growth : pow(cfg->lambda_max_growth, 1 - p);
        lambda *= fmax(2 - cfg->lambda_max_growth, fmin(cfg->lambda_max_growth, mu));
        gamma = gamma_of(s, pt.overflow);
        if (it % 50 == 0)
            pl_debug("gplace", "iter %d: hpwl %.6g overflow %.4f lambda %.3g gamma %.3g step %.3g", it, pt.hpwl,
                     pt.overflow, lambda, gamma, alpha);
    }
    st->iters = it, st->overflow = pt.overflow, st->lambda = lambda;
    st->converged = pt.overflow <= cfg->stop_overflow;
}

static pl_status check_config(const pl_gplace_config *c)
{
    if (!(c->target_density > 0 && c->target_density <= 1))
        return pl_err(PL_EINVAL, "gplace: target_density %g is outside (0, 1]", c->target_density);
    if (!(c->stop_overflow >= 0 && c->stop_overflow < 1))
        return pl_err(PL_EINVAL, "gplace: stop_overflow %g is outside [0, 1)", c->stop_overflow);
    if (c->max_iters < 0) return pl_err(PL_EINVAL, "gplace: max_iters %d is negative", c->max_iters);
    if (c->bins_x < 0 || c->bins_y < 0 || c->bins_x == 1 || c->bins_y == 1 || c->bins_x > 4096 || c->bins_y > 4096)
        return pl_err(PL_EINVAL, "gplace: bins %d x %d: each must be 0 (auto) or 2..4096", c->bins_x, c->bins_y);
    if (c->threads < 1 || c->threads > 64) return pl_err(PL_EINVAL, "gplace: threads %d is outside 1..64", c->threads);
    if (!(c->init_density_penalty > 0) || !(c->lambda_max_growth >= 1 && c->lambda_max_growth < 2) ||
        !(c->ref_hpwl_ratio > 0) || !(c->gamma_bins > 0) || c->max_net_degree < 0)
        return pl_err(PL_EINVAL, "gplace: bad schedule: init_density_penalty %g, lambda_max_growth %g, "
                      "ref_hpwl_ratio %g, gamma_bins %g, max_net_degree %d", c->init_density_penalty,
                      c->lambda_max_growth, c->ref_hpwl_ratio, c->gamma_bins, c->max_net_degree);
    return PL_OK;
}

/* Writes the cells' positions (lower-left, inside the core) and marks them PLACED. */
static void write_back(gp_state *s, const double *xy)
{
    const pl_rect *c = &s->core;
    for (int32_t k = 0; k < s->nmov; k++) {
        pl_node *nd = &s->nl->nodes[s->node[k]];
        double w = 2 * s->hw[k], h = 2 * s->hh[k];
        nd->x = fmax(c->x0, fmin(c->x1 - w, xy[k] - s->hw[k]));
        nd->y = fmax(c->y0, fmin(c->y1 - h, xy[s->nobj + k] - s->hh[k]));
        nd->state = PL_PLACE_PLACED;
    }
}

pl_status pl_gplace_run(pl_netlist *nl, const pl_gplace_config *cfg, pl_gplace_stats *st)
{
    double t0 = pl_clock_seconds();
    pl_gplace_stats local;
    if (!st) st = &local;
    memset(st, 0, sizeof *st);
    PL_TRY(check_config(cfg));
    if (!nl->finalized) return pl_err(PL_EINVAL, "gplace: the netlist is not finalized");
    /* how the cells were placed before does not enter: an orientation a legaliser gave them (FS on
     * alternate rows) would mirror their pins, and even their old position would change the last bits
     * of the pin offsets (taken at (0, 0), N, as an unplaced cell is read) */
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *nd = &nl->nodes[i];
        if (is_movable(nd)) nd->x = nd->y = 0, nd->orient = PL_ORIENT_N;
    }
    gp_state s;
    gp_nest ns = {0};
    pl_status rc = state_init(&s, nl, cfg);
    int64_t n2 = 2 * (int64_t)s.nobj;
    if (rc == PL_OK && (!PL_CALLOC(ns.u, n2) || !PL_CALLOC(ns.v, n2) || !PL_CALLOC(ns.un, n2) ||
                        !PL_CALLOC(ns.vn, n2) || !PL_CALLOC(ns.gv, n2) || !PL_CALLOC(ns.gn, n2) ||
                        !PL_CALLOC(ns.perm, s.nobj + 1) || !PL_CALLOC(ns.cnt, (int64_t)s.den.bx * s.den.by + 1)))
        rc = pl_err(PL_ENOMEM, "gplace: out of memory for %lld objects", (long long)s.nobj);
    if (rc == PL_OK) {
        st->movable = s.nmov, st->fillers = s.nobj - s.nmov, st->bins_x = s.den.bx, st->bins_y = s.den.by;
        if (s.nmov > 0) {
            initial_positions(&s, ns.u);
            nest_run(&s, &ns, st);
            write_back(&s, ns.v);
        }
        st->hpwl = pl_hpwl(nl);
        st->seconds = pl_clock_seconds() - t0;
        pl_info("gplace", "%lld cells, %lld fillers, %d x %d bins: %d iterations (%d evaluations), hpwl %.6g um, "
                "overflow %.4f, %.2f s", (long long)st->movable, (long long)st->fillers, st->bins_x, st->bins_y,
                st->iters, st->evals, st->hpwl, st->overflow, st->seconds);
    }
    free(ns.u), free(ns.v), free(ns.un), free(ns.vn), free(ns.gv), free(ns.gn), free(ns.perm), free(ns.cnt);
    state_free(&s);
    return rc;
}
