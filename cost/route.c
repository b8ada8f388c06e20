/* route.c: GCell grid, track capacity, RUDY and pattern routing; see route.h. */
#include "cost/route.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "cost/tech.h"

/* µm: positions closer than this are equal (a DBU is 1e-3 or 5e-4 µm, far above it). */
#define EPS 1e-6
/* Largest grid accepted (cols * rows). */
#define MAX_GCELLS (1 << 26)

void pl_route_config_default(pl_route_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->gcell_source = PL_ROUTE_GCELL_AUTO;
    cfg->gcell_tracks = 15;
    cfg->min_layer = 2;
    cfg->max_layer = 0;
    cfg->macro_layers = PL_COST_MACRO_LAYERS;
    cfg->reserve = 0;
    cfg->trunk_above = 1000;
    cfg->z_shapes = 1;
    cfg->z_max_cells = 4096;
}

void pl_route_maps_init(pl_route_maps *m) { memset(m, 0, sizeof *m); }

void pl_route_maps_free(pl_route_maps *m)
{
    if (!m) return;
    free(m->xs);
    free(m->ys);
    free(m->h_cap);
    free(m->v_cap);
    free(m->h_dem);
    free(m->v_dem);
    free(m->rudy_h);
    free(m->rudy_v);
    free(m->rudy);
    pl_route_maps_init(m);
}

/* ---- tracks ---- */

/* Positions start + k * step, k in [0, num). */
typedef struct seq {
    double start, step;
    int64_t num;
} seq;

typedef struct rlayer {
    const pl_layer *L;
    int k;       /* routing layer number, 1 = lowest */
    int horiz;
    seq *s;      /* its tracks in the preferred direction */
    int ns;
} rlayer;

/* Tracks of s lying in [a, b). */
static double seq_count(const seq *s, double a, double b)
{
    if (s->num <= 0 || !(b > a)) return 0;
    if (!(s->step > 0)) return (s->start >= a - EPS && s->start < b - EPS) ? 1 : 0;
    double lo = ceil((a - EPS - s->start) / s->step);
    double hi = ceil((b - EPS - s->start) / s->step) - 1;
    if (lo < 0) lo = 0;
    if (hi > (double)(s->num - 1)) hi = (double)(s->num - 1);
    return hi >= lo ? hi - lo + 1 : 0;
}

static double layer_count(const rlayer *r, double a, double b)
{
    double n = 0;
    for (int i = 0; i < r->ns; i++) n += seq_count(&r->s[i], a, b);
    return n;
}

/* 1 if the space-separated list names `name`. */
static int names_layer(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if ((size_t)(e - p) == n && memcmp(p, name, n) == 0) return 1;
        p = e;
    }
    return 0;
}

static double pref_pitch(const pl_layer *L, int horiz)
{
    double a = horiz ? L->pitch_y : L->pitch_x, b = horiz ? L->pitch_x : L->pitch_y;
    return a > 0 ? a : b;
}

/* The routing layers min..max with their tracks; *nr of them, *nall routing layers in the LEF. */
static pl_status collect_layers(const pl_netlist *nl, const pl_route_config *cfg, rlayer **out, int *nr, int *nall)
{
    *out = NULL;
    *nr = *nall = 0;
    rlayer *r;
    if (!PL_CALLOC(r, nl->nlayers)) return pl_err(PL_ENOMEM, "route: out of memory for %lld layers", (long long)nl->nlayers);
    int k = 0, n = 0;
    for (int64_t i = 0; i < nl->nlayers; i++) {
        const pl_layer *L = &nl->layers[i];
        if (!L->type || strcmp(L->type, "ROUTING") != 0 || L->dir == PL_LAYER_NONE) continue;
        k++;
        if (k < cfg->min_layer || (cfg->max_layer > 0 && k > cfg->max_layer)) continue;
        rlayer *R = &r[n];
        R->L = L;
        R->k = k;
        R->horiz = L->dir == PL_LAYER_HORIZONTAL;
        char axis = R->horiz ? 'Y' : 'X';
        int nt = 0;
        for (int64_t t = 0; t < nl->ntracks; t++)
            if (nl->tracks[t].axis == axis && names_layer(nl->tracks[t].layers, L->name)) nt++;
        if (!PL_ALLOC(R->s, nt > 0 ? nt : 1)) {
            for (int j = 0; j <= n; j++) free(r[j].s);
            free(r);
            return pl_err(PL_ENOMEM, "route: out of memory for tracks");
        }
        if (nt > 0) {
            for (int64_t t = 0; t < nl->ntracks; t++) {
                const pl_tracks *T = &nl->tracks[t];
                if (T->axis == axis && names_layer(T->layers, L->name))
                    R->s[R->ns++] = (seq){T->start, T->step, T->num};
            }
        } else {
            double p = pref_pitch(L, R->horiz);
            if (!(p > 0)) { /* no pitch, no tracks: nothing to count */
                free(R->s);
                R->s = NULL;
                continue;
            }
            double lo = R->horiz ? nl->die.y0 : nl->die.x0, hi = R->horiz ? nl->die.y1 : nl->die.x1;
            double off = fmod(R->horiz ? L->offset_y : L->offset_x, p);
            if (off < 0) off += p;
            R->s[0] = (seq){lo + off, p, (int64_t)floor((hi - lo - off) / p + EPS) + 1};
            R->ns = 1;
        }
        n++;
    }
    *out = r;
    *nr = n;
    *nall = k;
    return PL_OK;
}

static void free_layers(rlayer *r, int n)
{
    if (!r) return;
    for (int i = 0; i < n; i++) free(r[i].s);
    free(r);
}

/* ---- the grid ---- */

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The DEF GCELLGRID lines on one axis, clipped to [lo, hi] with both ends added, sorted and
 * deduplicated into a malloc'd *out of *n lines; *n = 0 when the DEF has none on this axis. */
static pl_status def_lines(const pl_netlist *nl, char axis, double lo, double hi, double **out, int *n)
{
    int64_t cnt = 2;
    int any = 0;
    for (int64_t g = 0; g < nl->ngcells; g++)
        if (nl->gcells[g].axis == axis && nl->gcells[g].num > 0) cnt += nl->gcells[g].num, any = 1;
    *out = NULL;
    *n = 0;
    if (!any) return PL_OK;
    double *v;
    if (!PL_ALLOC(v, cnt)) return pl_err(PL_ENOMEM, "route: out of memory for %lld GCell lines", (long long)cnt);
    int64_t m = 0;
    v[m++] = lo;
    v[m++] = hi;
    for (int64_t g = 0; g < nl->ngcells; g++) {
        const pl_gcellgrid *G = &nl->gcells[g];
        if (G->axis != axis) continue;
        for (int32_t i = 0; i < G->num; i++) {
            double x = G->start + i * G->step;
            if (x > lo + EPS && x < hi - EPS) v[m++] = x;
        }
    }
    qsort(v, (size_t)m, sizeof *v, cmp_dbl);
    int64_t u = 0;
    for (int64_t i = 0; i < m; i++)
        if (u == 0 || v[i] > v[u - 1] + EPS) v[u++] = v[i];
    if (u - 1 > MAX_GCELLS) {
        free(v);
        return pl_err(PL_EINVAL, "route: the DEF GCELLGRID %c has %lld lines", axis, (long long)u);
    }
    *out = v;
    *n = (int)u;
    return PL_OK;
}

/* Bounds of GCells of size g over [lo, hi]: *n + 1 lines. */
static pl_status even_lines(double lo, double hi, double g, double **out, int *n)
{
    double len = hi - lo, c = floor(len / g + EPS);
    if (c < 1) c = 1;
    if (len - c * g > 0.5 * g + EPS) c += 1; /* a remainder of over half a GCell gets its own */
    if (c > MAX_GCELLS) return pl_err(PL_EINVAL, "route: %.0f GCells of %g µm across %g µm is too many", c, g, len);
    int cols = (int)c;
    double *v;
    if (!PL_ALLOC(v, cols + 1)) return pl_err(PL_ENOMEM, "route: out of memory for the GCell grid");
    for (int i = 0; i < cols; i++) v[i] = lo + i * g;
    v[cols] = hi;
    *out = v;
    *n = cols + 1;
    return PL_OK;
}

/* Index of the GCell holding x among bounds b[0..n] (clamped to [0, n - 1]). */
static int locate(const double *b, int n, double x)
{
    int lo = 0, hi = n - 1; /* answer in [lo, hi] */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (b[mid] <= x) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

/* ---- the estimate's working state ---- */

typedef struct route_ctx {
    const pl_netlist *nl;
    const pl_route_config *cfg;
    pl_route_maps m;
    int cols, rows;
    double *cx, *cy;           /* GCell centres */
    double *hcap_e, *vcap_e;   /* edge capacities (rows * cols), own edge per GCell */
    int32_t *pin_g;            /* per net_pins entry: its GCell */
    double *pin_x, *pin_y;     /* per net_pins entry: position, clamped to the die */
    int32_t *net_g;            /* distinct GCells per net (CSR over net_g_off) */
    int64_t *net_g_off;
    int32_t *order;            /* nets routed, in routing order */
    int64_t norder;
    /* Prim scratch */
    double *dist;
    int32_t *parent;
    char *done;
    int32_t *seg_a, *seg_b;
    int64_t nseg;
    int32_t *scratch;          /* comb scratch: (max distinct GCells), (cols), (rows) */
    int32_t *col_lo, *col_hi, *row_lo, *row_hi;
} route_ctx;

static void ctx_free(route_ctx *c)
{
    pl_route_maps_free(&c->m);
    free(c->cx);
    free(c->cy);
    free(c->hcap_e);
    free(c->vcap_e);
    free(c->pin_g);
    free(c->pin_x);
    free(c->pin_y);
    free(c->net_g);
    free(c->net_g_off);
    free(c->order);
    free(c->dist);
    free(c->parent);
    free(c->done);
    free(c->seg_a);
    free(c->seg_b);
    free(c->scratch);
    free(c->col_lo);
    free(c->col_hi);
    free(c->row_lo);
    free(c->row_hi);
}

static pl_status build_grid(route_ctx *c, int *from_def)
{
    const pl_netlist *nl = c->nl;
    int nx = 0, ny = 0;
    *from_def = 0;
    if (c->cfg->gcell_source == PL_ROUTE_GCELL_AUTO) {
        PL_TRY(def_lines(nl, 'X', nl->die.x0, nl->die.x1, &c->m.xs, &nx));
        pl_status s = def_lines(nl, 'Y', nl->die.y0, nl->die.y1, &c->m.ys, &ny);
        if (s != PL_OK) return s;
        if (nx >= 2 && ny >= 2) *from_def = 1;
    }
    if (!*from_def) {
        free(c->m.xs);
        free(c->m.ys);
        c->m.xs = c->m.ys = NULL;
        /* the lowest horizontal routing layer above the lowest one (not limited to min..max) */
        double p = 0;
        int k = 0;
        for (int64_t i = 0; i < nl->nlayers && !(p > 0); i++) {
            const pl_layer *L = &nl->layers[i];
            if (!L->type || strcmp(L->type, "ROUTING") != 0 || L->dir == PL_LAYER_NONE) continue;
            if (++k < 2 || L->dir != PL_LAYER_HORIZONTAL) continue;
            p = pref_pitch(L, 1);
            if (!(p > 0)) { /* its DEF tracks: step / statements */
                int nt = 0;
                double step = 0;
                for (int64_t t = 0; t < nl->ntracks; t++)
                    if (nl->tracks[t].axis == 'Y' && names_layer(nl->tracks[t].layers, L->name))
                        nt++, step = nl->tracks[t].step;
                if (nt > 0 && step > 0) p = step / nt;
            }
        }
        if (!(p > 0))
            return pl_err(PL_EINVAL, "route: no GCELLGRID in the DEF and no horizontal routing layer above the "
                                     "lowest with a pitch or tracks to derive GCells from");
        double g = c->cfg->gcell_tracks * p;
        PL_TRY(even_lines(nl->die.x0, nl->die.x1, g, &c->m.xs, &nx));
        PL_TRY(even_lines(nl->die.y0, nl->die.y1, g, &c->m.ys, &ny));
    }
    c->cols = c->m.cols = nx - 1;
    c->rows = c->m.rows = ny - 1;
    if ((double)c->cols * c->rows > MAX_GCELLS)
        return pl_err(PL_EINVAL, "route: a GCell grid of %dx%d is too large", c->cols, c->rows);
    int64_t n = (int64_t)c->cols * c->rows;
    if (!PL_CALLOC(c->m.h_cap, n) || !PL_CALLOC(c->m.v_cap, n) || !PL_CALLOC(c->m.h_dem, n) ||
        !PL_CALLOC(c->m.v_dem, n) || !PL_CALLOC(c->m.rudy_h, n) || !PL_CALLOC(c->m.rudy_v, n) ||
        !PL_CALLOC(c->m.rudy, n) || !PL_CALLOC(c->hcap_e, n) || !PL_CALLOC(c->vcap_e, n) ||
        !PL_ALLOC(c->cx, c->cols) || !PL_ALLOC(c->cy, c->rows))
        return pl_err(PL_ENOMEM, "route: out of memory for a %dx%d GCell grid", c->cols, c->rows);
    for (int i = 0; i < c->cols; i++) c->cx[i] = 0.5 * (c->m.xs[i] + c->m.xs[i + 1]);
    for (int j = 0; j < c->rows; j++) c->cy[j] = 0.5 * (c->m.ys[j] + c->m.ys[j + 1]);
    return PL_OK;
}

/* ---- capacity ---- */

/* Removes from one layer's capacity grid `cap` the tracks of R blocked by the rectangle b. */
static void block_rect(route_ctx *c, const rlayer *R, double *cap, pl_rect b)
{
    const double *xs = c->m.xs, *ys = c->m.ys;
    b.x0 = fmax(b.x0, xs[0]), b.x1 = fmin(b.x1, xs[c->cols]);
    b.y0 = fmax(b.y0, ys[0]), b.y1 = fmin(b.y1, ys[c->rows]);
    if (!(b.x1 > b.x0) || !(b.y1 > b.y0)) return;
    int i0 = locate(xs, c->cols, b.x0), i1 = locate(xs, c->cols, b.x1 - EPS);
    int j0 = locate(ys, c->rows, b.y0), j1 = locate(ys, c->rows, b.y1 - EPS);
    for (int j = j0; j <= j1; j++) {
        double ya = fmax(ys[j], b.y0), yb = fmin(ys[j + 1], b.y1);
        double fy = (yb - ya) / (ys[j + 1] - ys[j]);
        for (int i = i0; i <= i1; i++) {
            double xa = fmax(xs[i], b.x0), xb = fmin(xs[i + 1], b.x1);
            double fx = (xb - xa) / (xs[i + 1] - xs[i]);
            /* horizontal tracks with y in the box, over fx of the GCell's width */
            double blocked = R->horiz ? layer_count(R, ya, yb) * fx : layer_count(R, xa, xb) * fy;
            if (blocked > 0) cap[(int64_t)j * c->cols + i] -= blocked;
        }
    }
}

static pl_status build_capacity(route_ctx *c, const rlayer *r, int nr)
{
    const pl_netlist *nl = c->nl;
    int cols = c->cols, rows = c->rows;
    int64_t n = (int64_t)cols * rows;
    double *cap;
    if (!PL_ALLOC(cap, n)) return pl_err(PL_ENOMEM, "route: out of memory for the capacity grid");
    for (int l = 0; l < nr; l++) {
        const rlayer *R = &r[l];
        for (int j = 0; j < rows; j++)
            for (int i = 0; i < cols; i++)
                cap[(int64_t)j * cols + i] = R->horiz ? layer_count(R, c->m.ys[j], c->m.ys[j + 1])
                                                      : layer_count(R, c->m.xs[i], c->m.xs[i + 1]);
        if (R->k <= c->cfg->macro_layers)
            for (int64_t v = 0; v < nl->nnodes; v++) {
                const pl_node *nd = &nl->nodes[v];
                if (nd->kind != PL_NODE_MACRO) continue;
                pl_rect b = {nd->x, nd->y, nd->x + pl_node_width(nd), nd->y + pl_node_height(nd)};
                block_rect(c, R, cap, b);
            }
        for (int64_t b = 0; b < nl->nblockages; b++) {
            const pl_blockage *B = &nl->blockages[b];
            if (B->kind == PL_BLOCK_ROUTING && B->layer && strcmp(B->layer, R->L->name) == 0)
                block_rect(c, R, cap, B->r);
        }
        double *dst = R->horiz ? c->m.h_cap : c->m.v_cap;
        for (int64_t g = 0; g < n; g++) dst[g] += cap[g] > 0 ? cap[g] : 0;
    }
    free(cap);
    double keep = 1 - c->cfg->reserve;
    for (int64_t g = 0; g < n; g++) c->m.h_cap[g] *= keep, c->m.v_cap[g] *= keep;
    for (int j = 0; j < rows; j++)
        for (int i = 0; i < cols; i++) {
            int64_t g = (int64_t)j * cols + i;
            c->hcap_e[g] = i + 1 < cols ? fmin(c->m.h_cap[g], c->m.h_cap[g + 1]) : 0;
            c->vcap_e[g] = j + 1 < rows ? fmin(c->m.v_cap[g], c->m.v_cap[g + cols]) : 0;
        }
    return PL_OK;
}

/* ---- pins and RUDY ---- */

static void clampd(double *v, double lo, double hi) { *v = *v < lo ? lo : *v > hi ? hi : *v; }

/* Adds v over columns [i0, i1] x rows [j0, j1] of the (cols + 1) x (rows + 1) difference array. */
static void diff_add(double *D, int cols, int i0, int i1, int j0, int j1, double v)
{
    int64_t w = cols + 1;
    D[j0 * w + i0] += v;
    D[j0 * w + i1 + 1] -= v;
    D[(j1 + 1) * w + i0] -= v;
    D[(j1 + 1) * w + i1 + 1] += v;
}

/* Up to three runs [a, b] with a factor (overlap / GCell length) covering [lo, hi] on bounds. */
typedef struct run {
    int a, b;
    double f;
} run;

static int runs_of(const double *bd, int n, double lo, double hi, run *out)
{
    int i0 = locate(bd, n, lo), i1 = locate(bd, n, hi - EPS);
    if (i1 < i0) i1 = i0;
    if (i0 == i1) {
        out[0] = (run){i0, i0, (hi - lo) / (bd[i0 + 1] - bd[i0])};
        return 1;
    }
    int k = 0;
    out[k++] = (run){i0, i0, (bd[i0 + 1] - lo) / (bd[i0 + 1] - bd[i0])};
    if (i1 > i0 + 1) out[k++] = (run){i0 + 1, i1 - 1, 1.0};
    out[k++] = (run){i1, i1, (hi - bd[i1]) / (bd[i1 + 1] - bd[i1])};
    return k;
}

/* Spreads the box [x0, x1] x [y0, y1] (widened and kept in the die) into the RUDY differences. */
static void rudy_add(route_ctx *c, double *Dh, double *Dv, double x0, double x1, double y0, double y1, double wt)
{
    const pl_rect *die = &c->nl->die;
    double gw = (die->x1 - die->x0) / c->cols, gh = (die->y1 - die->y0) / c->rows;
    double w = x1 - x0, h = y1 - y0;
    if (w < gw) {
        double m = 0.5 * (x0 + x1);
        x0 = m - 0.5 * gw, x1 = m + 0.5 * gw, w = gw;
        if (x0 < die->x0) x0 = die->x0, x1 = die->x0 + gw;
        if (x1 > die->x1) x1 = die->x1, x0 = die->x1 - gw;
    }
    if (h < gh) {
        double m = 0.5 * (y0 + y1);
        y0 = m - 0.5 * gh, y1 = m + 0.5 * gh, h = gh;
        if (y0 < die->y0) y0 = die->y0, y1 = die->y0 + gh;
        if (y1 > die->y1) y1 = die->y1, y0 = die->y1 - gh;
    }
    double dh = wt / h, dv = wt / w; /* µm of H (V) wire per µm² */
    run rx[3], ry[3];
    int nx = runs_of(c->m.xs, c->cols, x0, x1, rx), ny = runs_of(c->m.ys, c->rows, y0, y1, ry);
    for (int a = 0; a < ny; a++)
        for (int b = 0; b < nx; b++) {
            double f = ry[a].f * rx[b].f;
            diff_add(Dh, c->cols, rx[b].a, rx[b].b, ry[a].a, ry[a].b, dh * f);
            diff_add(Dv, c->cols, rx[b].a, rx[b].b, ry[a].a, ry[a].b, dv * f);
        }
}

/* Integrates a difference array into map (rows * cols), negatives from rounding set to 0. */
static void diff_integrate(double *acc, int cols, int rows, double *map)
{
    int64_t w = cols + 1; /* acc is integrated in place, row by row */
    for (int j = 0; j < rows; j++)
        for (int i = 0; i < cols; i++) {
            double v = acc[j * w + i];
            if (i > 0) v += acc[j * w + i - 1];
            if (j > 0) v += acc[(j - 1) * w + i];
            if (i > 0 && j > 0) v -= acc[(j - 1) * w + i - 1];
            acc[j * w + i] = v;
            map[(int64_t)j * cols + i] = v > 0 ? v : 0;
        }
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Pin positions and GCells, RUDY, each net's distinct GCells; counts into st. */
static pl_status prepare_nets(route_ctx *c, pl_route_stats *st)
{
    const pl_netlist *nl = c->nl;
    int64_t np = nl->net_pin_off[nl->nnets];
    int cols = c->cols, rows = c->rows;
    if (!PL_ALLOC(c->pin_g, np) || !PL_ALLOC(c->pin_x, np) || !PL_ALLOC(c->pin_y, np) ||
        !PL_ALLOC(c->net_g, np) || !PL_ALLOC(c->net_g_off, nl->nnets + 1) || !PL_ALLOC(c->order, nl->nnets))
        return pl_err(PL_ENOMEM, "route: out of memory for %lld pins", (long long)np);
    for (int64_t e = 0; e < np; e++) {
        double x, y;
        pl_pin_position(nl, nl->net_pins[e], &x, &y);
        clampd(&x, nl->die.x0, nl->die.x1);
        clampd(&y, nl->die.y0, nl->die.y1);
        c->pin_x[e] = x;
        c->pin_y[e] = y;
        c->pin_g[e] = locate(c->m.ys, rows, y) * cols + locate(c->m.xs, cols, x);
    }
    double *Dh, *Dv;
    int64_t dn = (int64_t)(cols + 1) * (rows + 1);
    if (!PL_CALLOC(Dh, dn) || !PL_CALLOC(Dv, dn)) {
        free(Dh);
        return pl_err(PL_ENOMEM, "route: out of memory for the RUDY map");
    }
    int64_t off = 0;
    c->norder = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        c->net_g_off[n] = off;
        if (e - b < 2) continue;
        st->nets++;
        double x0 = c->pin_x[b], x1 = x0, y0 = c->pin_y[b], y1 = y0;
        for (int64_t k = b + 1; k < e; k++) {
            x0 = fmin(x0, c->pin_x[k]), x1 = fmax(x1, c->pin_x[k]);
            y0 = fmin(y0, c->pin_y[k]), y1 = fmax(y1, c->pin_y[k]);
        }
        rudy_add(c, Dh, Dv, x0, x1, y0, y1, nl->nets[n].weight);
        /* distinct GCells, sorted, then the driver's (first pin's) moved to the front */
        int32_t *g = c->net_g + off;
        for (int64_t k = b; k < e; k++) g[k - b] = c->pin_g[k];
        qsort(g, (size_t)(e - b), sizeof *g, cmp_i32);
        int64_t u = 0;
        for (int64_t k = 0; k < e - b; k++)
            if (u == 0 || g[k] != g[u - 1]) g[u++] = g[k];
        if (u < 2) continue; /* one GCell: no edge demand */
        for (int64_t k = 0; k < u; k++)
            if (g[k] == c->pin_g[b]) {
                int32_t t = g[0];
                g[0] = g[k], g[k] = t;
                break;
            }
        off += u;
        c->order[c->norder++] = (int32_t)n;
    }
    c->net_g_off[nl->nnets] = off; /* nets skipped above keep an empty range */
    diff_integrate(Dh, cols, rows, c->m.rudy_h);
    diff_integrate(Dv, cols, rows, c->m.rudy_v);
    free(Dh);
    free(Dv);
    int64_t ng = (int64_t)cols * rows;
    for (int64_t g = 0; g < ng; g++) c->m.rudy[g] = c->m.rudy_h[g] + c->m.rudy_v[g];
    return PL_OK;
}

/* ---- pattern routing ---- */

/* Cost of one more wire on an edge with demand d and capacity cap. */
static inline double edge_cost(double d, double cap)
{
    return (d + 1) / (cap > 1 ? cap : 1) + (d + 1 > cap + 1e-9 ? 1.0 : 0.0);
}

/* Cost of the H run on row j between columns a and b (either order). */
static double h_cost(const route_ctx *c, int j, int a, int b)
{
    if (a > b) { int t = a; a = b; b = t; }
    double s = 0;
    const double *d = c->m.h_dem + (int64_t)j * c->cols, *cap = c->hcap_e + (int64_t)j * c->cols;
    for (int i = a; i < b; i++) s += edge_cost(d[i], cap[i]);
    return s;
}

static double v_cost(const route_ctx *c, int i, int a, int b)
{
    if (a > b) { int t = a; a = b; b = t; }
    double s = 0;
    for (int j = a; j < b; j++) {
        int64_t g = (int64_t)j * c->cols + i;
        s += edge_cost(c->m.v_dem[g], c->vcap_e[g]);
    }
    return s;
}

static void h_add(route_ctx *c, int j, int a, int b)
{
    if (a > b) { int t = a; a = b; b = t; }
    double *d = c->m.h_dem + (int64_t)j * c->cols;
    for (int i = a; i < b; i++) d[i] += 1;
}

static void v_add(route_ctx *c, int i, int a, int b)
{
    if (a > b) { int t = a; a = b; b = t; }
    for (int j = a; j < b; j++) c->m.v_dem[(int64_t)j * c->cols + i] += 1;
}

/* 1 if cost is clearly below best (ties keep the earlier candidate, whatever the rounding). */
static inline int better(double cost, double best) { return cost < best - 1e-9 * (best > 1 ? best : 1); }

/* Routes GCell ga to gb: the cheaper L, or a Z. */
static void route_segment(route_ctx *c, int32_t ga, int32_t gb)
{
    int ia = ga % c->cols, ja = ga / c->cols, ib = gb % c->cols, jb = gb / c->cols;
    if (ia == ib || ja == jb) { /* straight: the only monotone route */
        if (ja == jb) h_add(c, ja, ia, ib);
        else v_add(c, ia, ja, jb);
        return;
    }
    /* kind 0: H on row ja then V on column ib; 1: V on column ia then H on row jb;
     * 2: H (row ja) to column k, V, H (row jb); 3: V (column ia) to row k, H, V (column ib) */
    int kind = 0, at = 0;
    double best = h_cost(c, ja, ia, ib) + v_cost(c, ib, ja, jb);
    double l2 = v_cost(c, ia, ja, jb) + h_cost(c, jb, ia, ib);
    if (better(l2, best)) best = l2, kind = 1;
    int dx = abs(ib - ia), dy = abs(jb - ja);
    if (c->cfg->z_shapes && (double)(dx + 1) * (dy + 1) <= c->cfg->z_max_cells && (dx > 1 || dy > 1)) {
        int sx = ib > ia ? 1 : -1, sy = jb > ja ? 1 : -1;
        /* HVH through column k: the run on row ja grows from ia while the one on row jb shrinks */
        double pre = 0, post = h_cost(c, jb, ia, ib);
        for (int k = ia + sx; k != ib; k += sx) {
            int64_t ea = (int64_t)ja * c->cols + (sx > 0 ? k - 1 : k), eb = ea + (int64_t)(jb - ja) * c->cols;
            pre += edge_cost(c->m.h_dem[ea], c->hcap_e[ea]); /* the edge between k - sx and k */
            post -= edge_cost(c->m.h_dem[eb], c->hcap_e[eb]);
            double cost = pre + v_cost(c, k, ja, jb) + post;
            if (better(cost, best)) best = cost, kind = 2, at = k;
        }
        /* VHV through row k */
        pre = 0, post = v_cost(c, ib, ja, jb);
        for (int k = ja + sy; k != jb; k += sy) {
            int64_t ea = (int64_t)(sy > 0 ? k - 1 : k) * c->cols + ia, eb = ea + (ib - ia);
            pre += edge_cost(c->m.v_dem[ea], c->vcap_e[ea]);
            post -= edge_cost(c->m.v_dem[eb], c->vcap_e[eb]);
            double cost = pre + h_cost(c, k, ia, ib) + post;
            if (better(cost, best)) best = cost, kind = 3, at = k;
        }
    }
    switch (kind) {
    case 0: h_add(c, ja, ia, ib), v_add(c, ib, ja, jb); break;
    case 1: v_add(c, ia, ja, jb), h_add(c, jb, ia, ib); break;
    case 2: h_add(c, ja, ia, at), v_add(c, at, ja, jb), h_add(c, jb, at, ib); break;
    default: v_add(c, ia, ja, at), h_add(c, at, ia, ib), v_add(c, ib, at, jb); break;
    }
}

/* Joins the net's distinct GCells g[0..m) by a minimum spanning tree into 2-pin segments. */
static void spanning_tree(route_ctx *c, const int32_t *g, int64_t m)
{
    int cols = c->cols;
    c->nseg = 0;
    for (int64_t k = 0; k < m; k++) c->dist[k] = INFINITY, c->done[k] = 0, c->parent[k] = 0;
    int64_t cur = 0;
    c->done[0] = 1;
    for (int64_t it = 1; it < m; it++) {
        double ux = c->cx[g[cur] % cols], uy = c->cy[g[cur] / cols];
        int64_t nxt = -1;
        double bd = INFINITY;
        for (int64_t k = 0; k < m; k++) {
            if (c->done[k]) continue;
            double d = fabs(c->cx[g[k] % cols] - ux) + fabs(c->cy[g[k] / cols] - uy);
            if (d < c->dist[k]) c->dist[k] = d, c->parent[k] = (int32_t)cur;
            if (c->dist[k] < bd) bd = c->dist[k], nxt = k;
        }
        c->done[nxt] = 1;
        c->seg_a[c->nseg] = g[c->parent[nxt]], c->seg_b[c->nseg++] = g[nxt];
        cur = nxt;
    }
}

/* Length in edges of the single-trunk comb over g[0..m): with horiz an H trunk along the median
 * row and one V branch per column, else the same turned 90 degrees; with commit its demand is
 * added too. The per-column (per-row) lo/hi scratch is -1 on entry and left so. */
static int64_t comb(route_ctx *c, const int32_t *g, int64_t m, int horiz, int commit)
{
    int cols = c->cols, n = horiz ? cols : c->rows;
    int32_t *lo = horiz ? c->col_lo : c->row_lo, *hi = horiz ? c->col_hi : c->row_hi, *b = c->scratch;
    int a0 = n, a1 = -1;
    for (int64_t k = 0; k < m; k++) {
        int i = g[k] % cols, j = g[k] / cols, a = horiz ? i : j, v = horiz ? j : i;
        b[k] = v;
        if (lo[a] < 0 || v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
        a0 = a < a0 ? a : a0, a1 = a > a1 ? a : a1;
    }
    qsort(b, (size_t)m, sizeof *b, cmp_i32);
    int t = b[(m - 1) / 2]; /* the trunk's row (column) */
    int64_t len = a1 - a0;
    if (commit) {
        if (horiz) h_add(c, t, a0, a1);
        else v_add(c, t, a0, a1);
        c->nseg++;
    }
    for (int a = a0; a <= a1; a++) {
        if (lo[a] < 0) continue;
        int l = lo[a] < t ? lo[a] : t, h = hi[a] > t ? hi[a] : t;
        len += h - l;
        if (commit && h > l) {
            if (horiz) v_add(c, a, l, h);
            else h_add(c, a, l, h);
            c->nseg++;
        }
        lo[a] = hi[a] = -1;
    }
    return len;
}

static int64_t net_halfper(const route_ctx *c, int32_t n)
{
    const int32_t *g = c->net_g + c->net_g_off[n];
    int64_t m = c->net_g_off[n + 1] - c->net_g_off[n];
    int i0 = c->cols, i1 = -1, j0 = c->rows, j1 = -1;
    for (int64_t k = 0; k < m; k++) {
        int i = g[k] % c->cols, j = g[k] / c->cols;
        i0 = i < i0 ? i : i0, i1 = i > i1 ? i : i1, j0 = j < j0 ? j : j0, j1 = j > j1 ? j : j1;
    }
    return (int64_t)(i1 - i0) + (j1 - j0);
}

typedef struct net_key {
    int64_t key;
    int32_t net;
} net_key;

static int cmp_key(const void *a, const void *b)
{
    const net_key *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->net > y->net) - (x->net < y->net);
}

static pl_status route_all(route_ctx *c, pl_route_stats *st)
{
    int64_t maxm = 0;
    for (int64_t k = 0; k < c->norder; k++) {
        int32_t n = c->order[k];
        int64_t m = c->net_g_off[n + 1] - c->net_g_off[n];
        if (m > maxm) maxm = m;
    }
    net_key *keys;
    if (!PL_ALLOC(keys, c->norder) || !PL_ALLOC(c->dist, maxm) || !PL_ALLOC(c->parent, maxm) ||
        !PL_ALLOC(c->done, maxm) || !PL_ALLOC(c->seg_a, maxm) || !PL_ALLOC(c->seg_b, maxm) ||
        !PL_ALLOC(c->scratch, maxm) || !PL_ALLOC(c->col_lo, c->cols) || !PL_ALLOC(c->col_hi, c->cols) ||
        !PL_ALLOC(c->row_lo, c->rows) || !PL_ALLOC(c->row_hi, c->rows)) {
        free(keys);
    for (int i = 0; i < c->cols; i++) c->col_lo[i] = c->col_hi[i] = -1;
    for (int j = 0; j < c->rows; j++) c->row_lo[j] = c->row_hi[j] = -1;
        return pl_err(PL_ENOMEM, "route: out of memory for routing scratch");
    }
    for (int64_t k = 0; k < c->norder; k++) keys[k] = (net_key){net_halfper(c, c->order[k]), c->order[k]};
    qsort(keys, (size_t)c->norder, sizeof *keys, cmp_key);
    for (int64_t k = 0; k < c->norder; k++) c->order[k] = keys[k].net;
    free(keys);
    for (int i = 0; i < c->cols; i++) c->col_lo[i] = c->col_hi[i] = -1;
    for (int j = 0; j < c->rows; j++) c->row_lo[j] = c->row_hi[j] = -1;
    for (int64_t k = 0; k < c->norder; k++) {
        int32_t n = c->order[k];
        const int32_t *g = c->net_g + c->net_g_off[n];
        int64_t m = c->net_g_off[n + 1] - c->net_g_off[n];
        c->nseg = 0;
        if (m > c->cfg->trunk_above) {
            int horiz = comb(c, g, m, 1, 0) <= comb(c, g, m, 0, 0);
            comb(c, g, m, horiz, 1);
            st->trunk_nets++;
        } else {
            spanning_tree(c, g, m);
            for (int64_t s = 0; s < c->nseg; s++) route_segment(c, c->seg_a[s], c->seg_b[s]);
        }
        st->segments += c->nseg;
        st->routed_nets++;
    }
    return PL_OK;
}

/* ---- figures ---- */

/* Mean of the largest `frac` of v[0..n) (at least one value); sorts v. */
static double top_mean(double *v, int64_t n, double frac)
{
    if (n <= 0) return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_dbl);
    int64_t k = (int64_t)ceil(frac * (double)n - 1e-9);
    if (k < 1) k = 1;
    double s = 0;
    for (int64_t i = n - k; i < n; i++) s += v[i];
    return s / (double)k;
}

static pl_status figures(route_ctx *c, pl_route_stats *st)
{
    int cols = c->cols, rows = c->rows;
    int64_t n = (int64_t)cols * rows;
    int64_t nh = (int64_t)(cols - 1) * rows, nv = (int64_t)cols * (rows - 1);
    double *tmp;
    if (!PL_ALLOC(tmp, (nh + nv) > n ? nh + nv : n)) return pl_err(PL_ENOMEM, "route: out of memory for figures");
    int64_t hov = 0, vov = 0, e = 0;
    for (int j = 0; j < rows; j++)
        for (int i = 0; i < cols; i++) {
            int64_t g = (int64_t)j * cols + i;
            if (i + 1 < cols) {
                double d = c->m.h_dem[g], cap = c->hcap_e[g], ov = d - cap;
                if (ov > 1e-9) st->h_overflow += ov, hov++, st->max_overflow = fmax(st->max_overflow, ov);
                tmp[e++] = d / (cap > 1 ? cap : 1);
                st->wirelength += d * (c->cx[i + 1] - c->cx[i]);
            }
            if (j + 1 < rows) {
                double d = c->m.v_dem[g], cap = c->vcap_e[g], ov = d - cap;
                if (ov > 1e-9) st->v_overflow += ov, vov++, st->max_overflow = fmax(st->max_overflow, ov);
                tmp[e++] = d / (cap > 1 ? cap : 1);
                st->wirelength += d * (c->cy[j + 1] - c->cy[j]);
            }
        }
    st->total_overflow = st->h_overflow + st->v_overflow;
    st->h_over_pct = nh > 0 ? 100.0 * (double)hov / (double)nh : 0;
    st->v_over_pct = nv > 0 ? 100.0 * (double)vov / (double)nv : 0;
    st->top5_ratio = top_mean(tmp, e, 0.05);
    st->top1_ratio = top_mean(tmp, e, 0.01); /* the array is sorted already: cheap */
    double s = 0, peak = 0;
    for (int64_t g = 0; g < n; g++) s += c->m.rudy[g], peak = fmax(peak, c->m.rudy[g]), tmp[g] = c->m.rudy[g];
    st->rudy_peak = peak;
    st->rudy_mean = s / (double)n;
    st->rudy_top1 = top_mean(tmp, n, 0.01);
    free(tmp);
    return PL_OK;
}

/* The estimate once the layers are known. */
static pl_status estimate(const pl_netlist *nl, const pl_route_config *cfg, const rlayer *r, int nr,
                          pl_route_stats *st, pl_route_maps *maps)
{
    route_ctx c;
    memset(&c, 0, sizeof c);
    c.nl = nl;
    c.cfg = cfg;
    pl_route_maps_init(&c.m);
    int from_def = 0;
    pl_status s;
    if ((s = build_grid(&c, &from_def)) != PL_OK || (s = build_capacity(&c, r, nr)) != PL_OK ||
        (s = prepare_nets(&c, st)) != PL_OK || (s = route_all(&c, st)) != PL_OK || (s = figures(&c, st)) != PL_OK) {
        ctx_free(&c);
        return s;
    }
    st->cols = c.cols;
    st->rows = c.rows;
    st->gcells_from_def = from_def;
    st->layers = nr;
    for (int64_t v = 0; v < nl->nnodes; v++)
        if ((nl->nodes[v].kind == PL_NODE_MACRO || nl->nodes[v].kind == PL_NODE_STDCELL) &&
            nl->nodes[v].state == PL_PLACE_UNPLACED)
            st->unplaced++;
    if (maps) {
        pl_route_maps_free(maps);
        *maps = c.m;
        pl_route_maps_init(&c.m);
    }
    ctx_free(&c);
    return PL_OK;
}

pl_status pl_route_estimate(const pl_netlist *nl, const pl_route_config *cfg, pl_route_stats *st,
                            pl_route_maps *maps)
{
    double t0 = pl_clock_seconds();
    memset(st, 0, sizeof *st);
    if (cfg->gcell_tracks < 1 || cfg->min_layer < 1 || (cfg->max_layer != 0 && cfg->max_layer < cfg->min_layer) ||
        cfg->macro_layers < 0 || !(cfg->reserve >= 0 && cfg->reserve < 1) || cfg->trunk_above < 2 ||
        cfg->z_max_cells < 0)
        return pl_err(PL_EINVAL, "route: bad config (gcell_tracks %d, layers %d..%d, macro_layers %d, reserve %g, "
                                 "trunk_above %d, z_max_cells %d)",
                      cfg->gcell_tracks, cfg->min_layer, cfg->max_layer, cfg->macro_layers, cfg->reserve,
                      cfg->trunk_above, cfg->z_max_cells);
    if (!nl->has_die || !(nl->die.x1 > nl->die.x0) || !(nl->die.y1 > nl->die.y0))
        return pl_err(PL_EINVAL, "route: the design has no die area (DEF DIEAREA) to lay GCells over");
    if (!nl->finalized || !nl->net_pin_off)
        return pl_err(PL_EINVAL, "route: the netlist is not finalized (internal: call pl_netlist_finalize)");
    rlayer *r;
    int nr, nall;
    PL_TRY(collect_layers(nl, cfg, &r, &nr, &nall));
    int nh = 0, nv = 0;
    for (int l = 0; l < nr; l++) nh += r[l].horiz, nv += !r[l].horiz;
    pl_status s;
    if (nall == 0)
        s = pl_err(PL_EINVAL, "route: the library has no routing layers (LEF LAYER with TYPE ROUTING and a "
                              "DIRECTION); read the technology LEF");
    else if (nh == 0 || nv == 0)
        s = pl_err(PL_EINVAL, "route: no %s routing layer with a pitch or tracks among routing layers %d..%d of %d",
                   nh == 0 ? "horizontal" : "vertical", cfg->min_layer, cfg->max_layer ? cfg->max_layer : nall, nall);
    else
        s = estimate(nl, cfg, r, nr, st, maps);
    free_layers(r, nr);
    if (s != PL_OK) {
        memset(st, 0, sizeof *st);
        return s;
    }
    st->seconds = pl_clock_seconds() - t0;
    return PL_OK;
}
