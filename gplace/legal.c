/* legal.c: Abacus standard-cell legalisation and its independent check (see legal.h).
 *
 * Units: every length is an integer number of database units (DBU, llround(µm · dbu_per_micron)),
 * as in search/legalize.c; a row's sites are numbered 0 .. n-1 from its origin and a segment is a
 * half-open range [a, b) of free sites. Within a segment, cells keep the order in which they came
 * (increasing x) and form clusters of abutting cells; a cluster of total weight e with
 * q = Σ e_i (x_i - offset_i) has its quadratic optimum at q / e, rounded to a site and clamped to
 * the segment. */
#include "gplace/legal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"

void pl_cell_legal_config_default(pl_cell_legal_config *cfg)
{
    cfg->weight_by_width = 0;
    cfg->soft_blockages = 0;
}

/* ---- integer helpers (den > 0) ---- */

static int64_t floor_div(int64_t num, int64_t den)
{
    int64_t q = num / den;
    return (num % den != 0 && num < 0) ? q - 1 : q;
}

static int64_t ceil_div(int64_t num, int64_t den) { return -floor_div(-num, den); }

/* num / den to the nearest integer, halves upward. */
static int64_t round_div(int64_t num, int64_t den) { return floor_div(2 * num + den, 2 * den); }

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

static double dbu_unit(const pl_netlist *nl) { return nl->dbu_per_micron > 0 ? nl->dbu_per_micron : 1000; }

static int64_t to_dbu(double unit, double um) { return llround(um * unit); }

/* ---- what the cells must keep clear of (shared by the legaliser and the check) ---- */

static int is_movable_cell(const pl_node *n)
{
    return n->kind == PL_NODE_STDCELL && n->state != PL_PLACE_FIXED && n->state != PL_PLACE_COVER;
}

/* Placed macros, fixed cells, placed others (pads, end caps, taps); not ports, soft macros or
 * COVER-class masters (bumps lie over the rows without taking them). */
static int is_obstacle(const pl_netlist *nl, const pl_node *n)
{
    if (n->state == PL_PLACE_UNPLACED || is_movable_cell(n)) return 0;
    if (n->kind == PL_NODE_PORT || n->kind == PL_NODE_SOFT) return 0;
    if (n->master >= 0 && n->master < nl->nmasters) {
        const char *cls = nl->masters[n->master].cls;
        if (cls && !strncmp(cls, "COVER", 5)) return 0;
    }
    return 1;
}

static int is_hard_blockage(const pl_blockage *b)
{
    return b->kind == PL_BLOCK_PLACEMENT && !b->soft && !(b->partial > 0);
}

/* A node's footprint with its halo, DBU. */
static void obstacle_box(double unit, const pl_node *n, int64_t *x0, int64_t *y0, int64_t *x1, int64_t *y1)
{
    int64_t x = to_dbu(unit, n->x), y = to_dbu(unit, n->y);
    *x0 = x - to_dbu(unit, n->halo[0]);
    *y0 = y - to_dbu(unit, n->halo[1]);
    *x1 = x + to_dbu(unit, pl_node_width(n)) + to_dbu(unit, n->halo[2]);
    *y1 = y + to_dbu(unit, pl_node_height(n)) + to_dbu(unit, n->halo[3]);
}

/* ---- rows ---- */

typedef struct lrow {
    int64_t x0, y, h, sx; /* origin, height, site step (DBU) */
    int64_t n;            /* sites */
    pl_orient orient;
    int32_t site;         /* index into the distinct row site names */
    int64_t seg0, nseg;   /* its free segments: segs[seg0 .. seg0 + nseg), by increasing a */
} lrow;

typedef struct cluster {
    int64_t x, w;   /* first site, width in sites */
    int64_t e, q;   /* Σ e_i, Σ e_i (x_i - offset_i), DBU relative to the row origin */
    int64_t first;  /* its first cell in the segment's cell list */
} cluster;

typedef struct lseg {
    int64_t a, b;   /* free sites [a, b) */
    int64_t used;   /* sites taken by cells */
    int32_t row;
    cluster *cl;    /* clusters left to right */
    int64_t ncl, clcap;
    int32_t *cells; /* movable-cell indices, left to right */
    int64_t ncells, cellcap;
} lseg;

typedef struct lcell {
    int64_t x, y, w, h; /* wanted lower-left, footprint (DBU) */
    int32_t node, site; /* site: row site index, -1 if its master names none of the rows' */
} lcell;

typedef struct blocked {
    int64_t row, a, b; /* sites [a, b) of row taken by an obstacle */
} blocked;

typedef struct legal {
    double unit;
    lrow *rows;
    int64_t nrows;
    int64_t hmax;       /* tallest row */
    const char **sites; /* distinct row site names */
    int32_t nsites;
    lseg *segs;
    int64_t nsegs;
    lcell *cells;       /* movable cells by increasing x */
    int64_t ncells;
} legal;

static int cmp_row(const void *pa, const void *pb)
{
    const lrow *a = pa, *b = pb;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

static int is_pad_site(const pl_netlist *nl, const char *site)
{
    int32_t s = site ? pl_strmap_gets(&nl->site_by_name, site) : -1;
    return s >= 0 && nl->sites[s].cls && !strncmp(nl->sites[s].cls, "PAD", 3);
}

/* The smallest positive distance between row origins in y (DBU), 0 if none. */
static int64_t row_pitch(const pl_netlist *nl, double unit)
{
    int64_t p = 0;
    for (int64_t i = 0; i < nl->nrows; i++) {
        const pl_row *r = &nl->rows[i];
        if (r->ny > 1 && r->sy > 0 && (!p || to_dbu(unit, r->sy) < p)) p = to_dbu(unit, r->sy);
        for (int64_t j = i + 1; j < nl->nrows && j < i + 64; j++) {
            int64_t d = llabs(to_dbu(unit, nl->rows[j].y) - to_dbu(unit, r->y));
            if (d > 0 && (!p || d < p)) p = d;
        }
    }
    return p;
}

/* One lrow per DEF row and per step of DO nx BY ny, sorted by (y, x). */
static pl_status rows_build(const pl_netlist *nl, legal *L)
{
    int64_t n = 0;
    for (int64_t i = 0; i < nl->nrows; i++)
        if (!is_pad_site(nl, nl->rows[i].site)) n += nl->rows[i].ny > 1 ? nl->rows[i].ny : 1;
    if (n == 0)
        return pl_err(PL_EINVAL, "cell legalisation: the design '%s' has no core rows", nl->design ? nl->design : "?");
    if (!PL_CALLOC(L->rows, n) || !PL_CALLOC(L->sites, nl->nrows))
        return pl_err(PL_ENOMEM, "out of memory for %lld rows in cell legalisation", (long long)n);
    int64_t pitch = row_pitch(nl, L->unit);
    for (int64_t i = 0; i < nl->nrows; i++) {
        const pl_row *r = &nl->rows[i];
        if (is_pad_site(nl, r->site)) continue;
        int32_t s = r->site ? pl_strmap_gets(&nl->site_by_name, r->site) : -1;
        int64_t sx = to_dbu(L->unit, r->sx > 0 && r->nx > 1 ? r->sx : s >= 0 ? nl->sites[s].w : 0);
        int64_t h = s >= 0 && nl->sites[s].h > 0 ? to_dbu(L->unit, nl->sites[s].h) : pitch;
        if (sx <= 0 || h <= 0)
            return pl_err(PL_EINVAL, "cell legalisation: row '%s' has no site width or height (site '%s' %s)",
                          r->name ? r->name : "?", r->site ? r->site : "?",
                          s >= 0 ? "has no size" : "is not in the LEF");
        int32_t id = -1;
        for (int32_t k = 0; k < L->nsites && id < 0; k++)
            if (r->site && !strcmp(L->sites[k], r->site)) id = k;
        if (id < 0 && r->site) L->sites[id = L->nsites++] = r->site;
        for (int32_t j = 0; j < (r->ny > 1 ? r->ny : 1); j++) {
            lrow *w = &L->rows[L->nrows++];
            w->x0 = to_dbu(L->unit, r->x);
            w->y = to_dbu(L->unit, r->y) + j * to_dbu(L->unit, r->sy);
            w->h = h;
            w->sx = sx;
            w->n = r->nx > 0 ? r->nx : 1;
            w->orient = r->orient;
            w->site = id;
            if (h > L->hmax) L->hmax = h;
        }
    }
    qsort(L->rows, (size_t)L->nrows, sizeof *L->rows, cmp_row);
    return PL_OK;
}

/* First row index whose y >= y. */
static int64_t rows_lower_bound(const lrow *rows, int64_t n, int64_t y)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (rows[mid].y < y) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

typedef struct blist {
    blocked *v;
    int64_t n, cap;
} blist;

/* Records the sites of every row that the box [x0, x1) x [y0, y1) touches. */
static pl_status block_box(const legal *L, int64_t x0, int64_t y0, int64_t x1, int64_t y1, blist *bl)
{
    if (x1 <= x0 || y1 <= y0) return PL_OK;
    for (int64_t r = rows_lower_bound(L->rows, L->nrows, y0 - L->hmax + 1); r < L->nrows && L->rows[r].y < y1; r++) {
        const lrow *w = &L->rows[r];
        if (w->y + w->h <= y0) continue;
        int64_t a = floor_div(x0 - w->x0, w->sx), b = ceil_div(x1 - w->x0, w->sx);
        a = a < 0 ? 0 : a;
        b = b > w->n ? w->n : b;
        if (a >= b) continue;
        if (PL_GROW(bl->v, bl->cap, bl->n + 1) != PL_OK) return pl_err(PL_ENOMEM, "out of memory in cell legalisation");
        bl->v[bl->n++] = (blocked){r, a, b};
    }
    return PL_OK;
}

static int cmp_blocked(const void *pa, const void *pb)
{
    const blocked *a = pa, *b = pb;
    if (a->row != b->row) return a->row < b->row ? -1 : 1;
    return (a->a > b->a) - (a->a < b->a);
}

/* Splits every row into free segments around the obstacles. */
static pl_status segments_build(const pl_netlist *nl, const pl_cell_legal_config *cfg, legal *L)
{
    blist bl = {0};
    pl_status st = PL_OK;
    for (int64_t i = 0; st == PL_OK && i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (!is_obstacle(nl, n)) continue;
        int64_t x0, y0, x1, y1;
        obstacle_box(L->unit, n, &x0, &y0, &x1, &y1);
        st = block_box(L, x0, y0, x1, y1, &bl);
    }
    for (int64_t i = 0; st == PL_OK && i < nl->nblockages; i++) {
        const pl_blockage *b = &nl->blockages[i];
        if (b->kind != PL_BLOCK_PLACEMENT || (!cfg->soft_blockages && !is_hard_blockage(b))) continue;
        st = block_box(L, to_dbu(L->unit, b->r.x0), to_dbu(L->unit, b->r.y0), to_dbu(L->unit, b->r.x1),
                       to_dbu(L->unit, b->r.y1), &bl);
    }
    if (st == PL_OK && bl.n > 0) qsort(bl.v, (size_t)bl.n, sizeof *bl.v, cmp_blocked);
    /* at most one more segment per row than blocked ranges */
    if (st == PL_OK && !PL_CALLOC(L->segs, L->nrows + bl.n))
        st = pl_err(PL_ENOMEM, "out of memory for row segments in cell legalisation");
    for (int64_t r = 0, k = 0; st == PL_OK && r < L->nrows; r++) {
        lrow *w = &L->rows[r];
        w->seg0 = L->nsegs;
        int64_t free0 = 0;
        for (; k < bl.n && bl.v[k].row == r; k++) {
            if (bl.v[k].a > free0) L->segs[L->nsegs++] = (lseg){.a = free0, .b = bl.v[k].a, .row = (int32_t)r};
            if (bl.v[k].b > free0) free0 = bl.v[k].b;
        }
        if (w->n > free0) L->segs[L->nsegs++] = (lseg){.a = free0, .b = w->n, .row = (int32_t)r};
        w->nseg = L->nsegs - w->seg0;
    }
    free(bl.v);
    return st;
}

/* ---- Abacus ---- */

static int cmp_cell_x(const void *pa, const void *pb)
{
    const lcell *a = pa, *b = pb;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    if (a->w != b->w) return a->w > b->w ? -1 : 1; /* wider first: it is harder to fit */
    return (a->node > b->node) - (a->node < b->node);
}

static pl_status cells_build(const pl_netlist *nl, legal *L)
{
    int64_t n = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) n += is_movable_cell(&nl->nodes[i]);
    if (!PL_ALLOC(L->cells, n))
        return pl_err(PL_ENOMEM, "out of memory for %lld cells in cell legalisation", (long long)n);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (!is_movable_cell(nd)) continue;
        lcell *c = &L->cells[L->ncells];
        c->x = to_dbu(L->unit, nd->x);
        c->y = to_dbu(L->unit, nd->y);
        c->w = to_dbu(L->unit, nd->w); /* rows are N/S/FN/FS in practice: no swap */
        c->h = to_dbu(L->unit, nd->h);
        c->node = (int32_t)i;
        c->site = -1;
        const char *ms = nd->master >= 0 && nd->master < nl->nmasters ? nl->masters[nd->master].site : NULL;
        for (int32_t k = 0; ms && k < L->nsites; k++)
            if (!strcmp(L->sites[k], ms)) c->site = k;
        if (c->h > L->hmax)
            return pl_err(PL_ENOTSUP, "cell legalisation: standard cell '%s' is %.4g um tall, more than every row "
                          "(%.4g um): multi-row cells are not supported", nd->name, nd->h, (double)L->hmax / L->unit);
        if (c->w <= 0) return pl_err(PL_EINVAL, "cell legalisation: standard cell '%s' has no width", nd->name);
        L->ncells++;
    }
    qsort(L->cells, (size_t)L->ncells, sizeof *L->cells, cmp_cell_x);
    return PL_OK;
}

static int row_fits(const lrow *r, const lcell *c)
{
    return c->h <= r->h && (c->site < 0 || c->site == r->site);
}

/* Site where cell (x: wanted DBU from the row origin, w sites, weight e) would end if appended to
 * segment s: Abacus's PlaceRow on the last clusters, without changing them. */
static int64_t seg_trial(const lseg *s, int64_t sx, int64_t x, int64_t w, int64_t e)
{
    int64_t pos = clamp64(round_div(x, sx), s->a, s->b - w);
    int64_t k = s->ncl - 1;
    if (k < 0 || s->cl[k].x + s->cl[k].w <= pos) return pos;
    int64_t ce = s->cl[k].e + e, cq = s->cl[k].q + e * (x - s->cl[k].w * sx), cw = s->cl[k].w + w;
    for (;;) {
        int64_t cx = clamp64(round_div(cq, ce * sx), s->a, s->b - cw);
        if (k > 0 && s->cl[k - 1].x + s->cl[k - 1].w > cx) {
            const cluster *p = &s->cl[k - 1];
            cq = p->q + cq - ce * p->w * sx;
            ce += p->e;
            cw += p->w;
            k--;
            continue;
        }
        return cx + cw - w;
    }
}

/* The same, committed: the cell (index ci) joins the segment. */
static pl_status seg_append(lseg *s, int64_t sx, int32_t ci, int64_t x, int64_t w, int64_t e)
{
    if (PL_GROW(s->cells, s->cellcap, s->ncells + 1) != PL_OK || PL_GROW(s->cl, s->clcap, s->ncl + 1) != PL_OK)
        return pl_err(PL_ENOMEM, "out of memory in cell legalisation");
    s->cells[s->ncells++] = ci;
    s->used += w;
    int64_t pos = clamp64(round_div(x, sx), s->a, s->b - w);
    if (s->ncl == 0 || s->cl[s->ncl - 1].x + s->cl[s->ncl - 1].w <= pos) {
        s->cl[s->ncl++] = (cluster){pos, w, e, e * x, s->ncells - 1};
        return PL_OK;
    }
    cluster *c = &s->cl[s->ncl - 1];
    c->q += e * (x - c->w * sx);
    c->e += e;
    c->w += w;
    for (;;) {
        c->x = clamp64(round_div(c->q, c->e * sx), s->a, s->b - c->w);
        if (s->ncl < 2) break;
        cluster *p = c - 1;
        if (p->x + p->w <= c->x) break;
        p->q += c->q - c->e * p->w * sx;
        p->e += c->e;
        p->w += c->w;
        s->ncl--;
        c = p;
    }
    return PL_OK;
}

typedef struct best {
    double cost;
    int64_t seg;
} best;

/* Tries the segments of row r around the cell's x, nearest first, while they can beat b. */
static void row_try(const legal *L, int64_t r, const lcell *c, double dy2, int weight_by_width, best *b)
{
    const lrow *w = &L->rows[r];
    int64_t ws = ceil_div(c->w, w->sx), e = weight_by_width ? ws : 1, x = c->x - w->x0;
    /* the last segment starting at or left of the cell's site */
    int64_t lo = 0, hi = w->nseg, k = floor_div(x, w->sx);
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (L->segs[w->seg0 + mid].a <= k) lo = mid + 1;
        else hi = mid;
    }
    for (int dir = 0; dir < 2; dir++) {
        for (int64_t j = dir ? lo : lo - 1; j >= 0 && j < w->nseg; j += dir ? 1 : -1) {
            const lseg *s = &L->segs[w->seg0 + j];
            if (s->b - s->a < ws) continue;
            int64_t xl = s->a * w->sx, xr = (s->b - ws) * w->sx;
            double d = (double)(x < xl ? xl - x : x > xr ? x - xr : 0);
            if (dy2 + d * d >= b->cost) break; /* farther segments this way are farther still */
            if (s->b - s->a - s->used < ws) continue;
            int64_t pos = seg_trial(s, w->sx, x, ws, e);
            double dx = (double)(pos * w->sx - x), cost = dy2 + dx * dx;
            if (cost < b->cost) *b = (best){cost, w->seg0 + j};
        }
    }
}

/* Area figures for a failure message. */
static void capacity(const legal *L, double *free_area, double *cell_area)
{
    double fa = 0, ca = 0, u2 = L->unit * L->unit;
    for (int64_t s = 0; s < L->nsegs; s++) {
        const lrow *w = &L->rows[L->segs[s].row];
        fa += (double)(L->segs[s].b - L->segs[s].a) * (double)w->sx * (double)w->h / u2;
    }
    for (int64_t i = 0; i < L->ncells; i++) ca += (double)L->cells[i].w * (double)L->cells[i].h / u2;
    *free_area = fa;
    *cell_area = ca;
}

static pl_status place_all(const pl_netlist *nl, const pl_cell_legal_config *cfg, legal *L)
{
    for (int64_t k = 0; k < L->ncells; k++) {
        const lcell *c = &L->cells[k];
        best b = {INFINITY, -1};
        int64_t up = rows_lower_bound(L->rows, L->nrows, c->y), dn = up - 1;
        while (up < L->nrows || dn >= 0) {
            int64_t r;
            if (dn < 0 || (up < L->nrows && L->rows[up].y - c->y <= c->y - L->rows[dn].y)) r = up++;
            else r = dn--;
            double dy = (double)(L->rows[r].y - c->y);
            if (dy * dy >= b.cost) break; /* the nearer of the two ways already cannot win */
            if (row_fits(&L->rows[r], c)) row_try(L, r, c, dy * dy, cfg->weight_by_width, &b);
        }
        if (b.seg < 0) {
            const pl_node *n = &nl->nodes[c->node];
            double fa, ca;
            capacity(L, &fa, &ca);
            return pl_err(PL_EINVAL,
                          "cell legalisation: no row has room for standard cell '%s' (%.4g x %.4g um, wanted at "
                          "(%.4g, %.4g)) after %lld of %lld cells: the cells need %.6g um^2, the free row area is "
                          "%.6g um^2 (%.1f%% used) in %lld rows, %lld segments",
                          n->name, n->w, n->h, n->x, n->y, (long long)k, (long long)L->ncells, ca, fa,
                          fa > 0 ? 100 * ca / fa : 0.0, (long long)L->nrows, (long long)L->nsegs);
        }
        lseg *s = &L->segs[b.seg];
        const lrow *w = &L->rows[s->row];
        int64_t ws = ceil_div(c->w, w->sx);
        PL_TRY(seg_append(s, w->sx, (int32_t)k, c->x - w->x0, ws, cfg->weight_by_width ? ws : 1));
    }
    return PL_OK;
}

/* Writes the clusters' cells back into the netlist. */
static void write_back(pl_netlist *nl, const legal *L, pl_cell_legal_stats *acc)
{
    for (int64_t si = 0; si < L->nsegs; si++) {
        const lseg *s = &L->segs[si];
        const lrow *w = &L->rows[s->row];
        for (int64_t k = 0; k < s->ncl; k++) {
            int64_t end = k + 1 < s->ncl ? s->cl[k + 1].first : s->ncells, pos = s->cl[k].x;
            for (int64_t j = s->cl[k].first; j < end; j++) {
                const lcell *c = &L->cells[s->cells[j]];
                pl_node *n = &nl->nodes[c->node];
                double nx = (double)(w->x0 + pos * w->sx) / L->unit, ny = (double)w->y / L->unit;
                double d = fabs(nx - n->x) + fabs(ny - n->y);
                acc->moved += nx != n->x || ny != n->y;
                acc->total_disp += d;
                if (d > acc->max_disp) acc->max_disp = d;
                n->x = nx;
                n->y = ny;
                n->orient = w->orient;
                n->state = PL_PLACE_PLACED;
                pos += ceil_div(c->w, w->sx);
            }
        }
    }
}

static void legal_free(legal *L)
{
    for (int64_t s = 0; s < L->nsegs; s++) {
        free(L->segs[s].cl);
        free(L->segs[s].cells);
    }
    free(L->segs);
    free(L->rows);
    free((void *)L->sites);
    free(L->cells);
    memset(L, 0, sizeof *L);
}

pl_status pl_cell_legalize(pl_netlist *nl, const pl_cell_legal_config *cfg, pl_cell_legal_stats *st)
{
    double t0 = pl_clock_seconds();
    pl_cell_legal_config def;
    if (!cfg) {
        pl_cell_legal_config_default(&def);
        cfg = &def;
    }
    legal L = {.unit = dbu_unit(nl)};
    pl_cell_legal_stats acc = {0};
    pl_status s = rows_build(nl, &L);
    if (s == PL_OK) s = segments_build(nl, cfg, &L);
    if (s == PL_OK) s = cells_build(nl, &L);
    acc.cells = L.ncells;
    if (s == PL_OK) s = place_all(nl, cfg, &L);
    if (s == PL_OK) write_back(nl, &L, &acc);
    int64_t unplaced_macros = 0;
    for (int64_t i = 0; i < nl->nnodes; i++)
        unplaced_macros += nl->nodes[i].kind == PL_NODE_MACRO && nl->nodes[i].state == PL_PLACE_UNPLACED;
    if (s == PL_OK && unplaced_macros)
        pl_warn("legal", "%lld unplaced macros are not obstacles: cells may lie where they go",
                (long long)unplaced_macros);
    acc.seconds = pl_clock_seconds() - t0;
    if (s == PL_OK)
        pl_info("legal", "%lld cells in %lld rows: %lld moved, mean %.4g um, max %.4g um, %.3f s", (long long)acc.cells,
                (long long)L.nrows, (long long)acc.moved, acc.cells ? acc.total_disp / (double)acc.cells : 0.0,
                acc.max_disp, acc.seconds);
    if (st) *st = acc;
    legal_free(&L);
    return s;
}

/* ---- the check: its own row table and one sort-and-sweep per row height level ---- */

typedef struct crow {
    int64_t y, x0, x1, sx, h;
    pl_orient orient;
} crow;

typedef struct span {
    int64_t level, x0, x1;
    int64_t who; /* node index, or -1 - blockage index */
    int cell;    /* 1: a movable cell, 0: an obstacle */
} span;

static int cmp_crow(const void *pa, const void *pb)
{
    const crow *a = pa, *b = pb;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return (a->x0 > b->x0) - (a->x0 < b->x0);
}

static int cmp_span(const void *pa, const void *pb)
{
    const span *a = pa, *b = pb;
    if (a->level != b->level) return a->level < b->level ? -1 : 1;
    if (a->x0 != b->x0) return a->x0 < b->x0 ? -1 : 1;
    if (a->cell != b->cell) return a->cell - b->cell;
    return (a->who > b->who) - (a->who < b->who);
}

typedef struct checker {
    const pl_netlist *nl;
    double unit;
    crow *rows;
    int64_t nrows;
    int64_t *lv_y, *lv_h; /* distinct row y (the levels) and the tallest row there */
    int64_t nlv, lv_hmax;
    span *sp;
    int64_t nsp, spcap;
    int bad;
    char *msg;
    size_t len;
    int oom;
} checker;

static void violation(checker *C, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(checker *C, const char *fmt, ...)
{
    if (C->bad++ == 0 && C->msg && C->len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(C->msg, C->len, fmt, ap);
        va_end(ap);
    }
}

static void span_add(checker *C, int64_t level, int64_t x0, int64_t x1, int64_t who, int cell)
{
    if (PL_GROW(C->sp, C->spcap, C->nsp + 1) != PL_OK) {
        C->oom = 1;
        return;
    }
    C->sp[C->nsp++] = (span){level, x0, x1, who, cell};
}

static const char *who_name(const checker *C, int64_t who, char *buf, size_t len)
{
    if (who >= 0) return C->nl->nodes[who].name;
    const pl_rect *r = &C->nl->blockages[-1 - who].r;
    snprintf(buf, len, "placement blockage (%.4g %.4g %.4g %.4g)", r->x0, r->y0, r->x1, r->y1);
    return buf;
}

static int checker_rows(checker *C)
{
    const pl_netlist *nl = C->nl;
    int64_t n = 0;
    for (int64_t i = 0; i < nl->nrows; i++) n += nl->rows[i].ny > 1 ? nl->rows[i].ny : 1;
    if (!PL_ALLOC(C->rows, n) || !PL_ALLOC(C->lv_y, n) || !PL_ALLOC(C->lv_h, n)) return -1;
    for (int64_t i = 0; i < nl->nrows; i++) {
        const pl_row *r = &nl->rows[i];
        if (is_pad_site(nl, r->site)) continue;
        int32_t s = r->site ? pl_strmap_gets(&nl->site_by_name, r->site) : -1;
        double sw = r->sx > 0 && r->nx > 1 ? r->sx : s >= 0 ? nl->sites[s].w : 0;
        double sh = s >= 0 ? nl->sites[s].h : 0;
        for (int32_t j = 0; j < (r->ny > 1 ? r->ny : 1); j++) {
            crow *c = &C->rows[C->nrows++];
            c->y = to_dbu(C->unit, r->y) + j * to_dbu(C->unit, r->sy);
            c->x0 = to_dbu(C->unit, r->x);
            c->sx = to_dbu(C->unit, sw);
            c->x1 = c->x0 + c->sx * (r->nx > 0 ? r->nx : 1);
            c->h = to_dbu(C->unit, sh);
            c->orient = r->orient;
        }
    }
    qsort(C->rows, (size_t)C->nrows, sizeof *C->rows, cmp_crow);
    for (int64_t i = 0; i < C->nrows; i++) {
        if (C->nlv == 0 || C->lv_y[C->nlv - 1] != C->rows[i].y) {
            C->lv_y[C->nlv] = C->rows[i].y;
            C->lv_h[C->nlv++] = 0;
        }
        if (C->rows[i].h > C->lv_h[C->nlv - 1]) C->lv_h[C->nlv - 1] = C->rows[i].h;
    }
    for (int64_t i = 0; i < C->nlv; i++) /* a row without a known site height: up to the next one */
        if (C->lv_h[i] <= 0) C->lv_h[i] = i + 1 < C->nlv ? C->lv_y[i + 1] - C->lv_y[i] : 1;
    for (int64_t i = 0; i < C->nlv; i++)
        if (C->lv_h[i] > C->lv_hmax) C->lv_hmax = C->lv_h[i];
    return 0;
}

/* Index of the level at y exactly, -1 if none. */
static int64_t level_of(const checker *C, int64_t y)
{
    int64_t lo = 0, hi = C->nlv;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (C->lv_y[mid] < y) lo = mid + 1;
        else hi = mid;
    }
    return lo < C->nlv && C->lv_y[lo] == y ? lo : -1;
}

static void check_cell(checker *C, int64_t i)
{
    const pl_node *n = &C->nl->nodes[i];
    if (n->state == PL_PLACE_UNPLACED) {
        violation(C, "standard cell '%s' is not placed", n->name);
        return;
    }
    int64_t x = to_dbu(C->unit, n->x), y = to_dbu(C->unit, n->y);
    int64_t w = to_dbu(C->unit, pl_node_width(n)), h = to_dbu(C->unit, pl_node_height(n));
    int64_t lv = level_of(C, y);
    if (lv < 0) {
        violation(C, "standard cell '%s' at y = %.4f um is on no row", n->name, n->y);
        return;
    }
    const crow *in = NULL;
    int64_t lo = 0, hi = C->nrows;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (C->rows[mid].y < y) lo = mid + 1;
        else hi = mid;
    }
    for (int64_t r = lo; r < C->nrows && C->rows[r].y == y && !in; r++)
        if (C->rows[r].x0 <= x && x + w <= C->rows[r].x1) in = &C->rows[r];
    if (!in) {
        violation(C, "standard cell '%s' at (%.4f, %.4f) um sticks out of its row (outside the core)", n->name, n->x,
                  n->y);
        return;
    }
    if (in->sx <= 0 || (x - in->x0) % in->sx != 0)
        violation(C, "standard cell '%s' at x = %.4f um is off the site grid (row origin %.4f, site %.4f um)", n->name,
                  n->x, (double)in->x0 / C->unit, (double)in->sx / C->unit);
    else if (n->orient != in->orient)
        violation(C, "standard cell '%s' has orientation %s in a row of orientation %s", n->name,
                  pl_orient_name(n->orient), pl_orient_name(in->orient));
    else if (h > C->lv_h[lv])
        violation(C, "standard cell '%s' (%.4f um tall) is taller than its row", n->name, pl_node_height(n));
    span_add(C, lv, x, x + w, i, 1);
}

static void obstacle_spans(checker *C, int64_t x0, int64_t y0, int64_t x1, int64_t y1, int64_t who)
{
    if (x1 <= x0 || y1 <= y0) return;
    int64_t lo = 0, hi = C->nlv; /* the first level whose top can be above y0 */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (C->lv_y[mid] + C->lv_hmax <= y0) lo = mid + 1;
        else hi = mid;
    }
    for (int64_t lv = lo; lv < C->nlv && C->lv_y[lv] < y1; lv++)
        if (C->lv_y[lv] + C->lv_h[lv] > y0) span_add(C, lv, x0, x1, who, 0);
}

static void sweep(checker *C)
{
    if (C->nsp > 0) qsort(C->sp, (size_t)C->nsp, sizeof *C->sp, cmp_span);
    char b1[128], b2[128];
    for (int64_t i = 0; i < C->nsp;) {
        int64_t lv = C->sp[i].level, cell_end = INT64_MIN, obs_end = INT64_MIN, cell_who = 0, obs_who = 0;
        for (; i < C->nsp && C->sp[i].level == lv; i++) {
            const span *s = &C->sp[i];
            if (s->cell && s->x0 < cell_end)
                violation(C, "standard cells '%s' and '%s' overlap at y = %.4f um",
                          who_name(C, cell_who, b1, sizeof b1), who_name(C, s->who, b2, sizeof b2),
                          (double)C->lv_y[lv] / C->unit);
            else if (s->x0 < (s->cell ? obs_end : cell_end))
                violation(C, "standard cell '%s' overlaps '%s' (macro with halo, fixed node or blockage) "
                             "at y = %.4f um",
                          who_name(C, s->cell ? s->who : cell_who, b1, sizeof b1),
                          who_name(C, s->cell ? obs_who : s->who, b2, sizeof b2), (double)C->lv_y[lv] / C->unit);
            if (s->cell && s->x1 > cell_end) cell_end = s->x1, cell_who = s->who;
            if (!s->cell && s->x1 > obs_end) obs_end = s->x1, obs_who = s->who;
        }
    }
}

int pl_cell_legal_check(const pl_netlist *nl, char *msg, size_t len)
{
    checker C = {.nl = nl, .unit = dbu_unit(nl), .msg = msg, .len = len};
    if (msg && len) msg[0] = '\0';
    if (checker_rows(&C) != 0) C.oom = 1;
    for (int64_t i = 0; !C.oom && i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (is_movable_cell(n)) {
            if (C.nlv == 0) violation(&C, "standard cell '%s' cannot be legal: the design has no rows", n->name);
            else check_cell(&C, i);
        } else if (is_obstacle(nl, n)) {
            int64_t x0, y0, x1, y1;
            obstacle_box(C.unit, n, &x0, &y0, &x1, &y1);
            obstacle_spans(&C, x0, y0, x1, y1, i);
        }
    }
    for (int64_t k = 0; !C.oom && k < nl->nblockages; k++) {
        const pl_blockage *b = &nl->blockages[k];
        if (!is_hard_blockage(b)) continue;
        obstacle_spans(&C, to_dbu(C.unit, b->r.x0), to_dbu(C.unit, b->r.y0), to_dbu(C.unit, b->r.x1),
                       to_dbu(C.unit, b->r.y1), -1 - k);
    }
    if (!C.oom) sweep(&C);
    if (C.oom) {
        C.bad++;
        if (msg && len) snprintf(msg, len, "out of memory while checking the cell placement");
    }
    free(C.rows);
    free(C.lv_y);
    free(C.lv_h);
    free(C.sp);
    return C.bad;
}
