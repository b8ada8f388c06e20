/* legalize.c: greedy best-first macro legalisation (see legalize.h). */
#include "search/legalize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

void pl_legalize_config_default(pl_legalize_config *cfg)
{
    cfg->spacing = 0;
    cfg->use_halos = 1;
    cfg->max_expand = 200000;
}

/* ---- the placement lattice, in database units ---- */

typedef struct lattice {
    double unit;            /* DBU per µm */
    int64_t cx0, cy0, cx1, cy1; /* core */
    int64_t ox, oy;         /* lattice origin */
    int64_t sx, sy;         /* lattice steps */
} lattice;

static int64_t to_dbu(const lattice *L, double um) { return llround(um * L->unit); }

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static int64_t lcm_step(int64_t a, int64_t b)
{
    if (a <= 0) return b > 0 ? b : 1;
    if (b <= 0) return a;
    return a / gcd64(a, b) * b;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Core = bounding box of the rows (the die if there are none); steps = site width and row
 * pitch, made multiples of the manufacturing grid. */
static pl_status lattice_build(const pl_netlist *nl, lattice *L)
{
    memset(L, 0, sizeof *L);
    L->unit = nl->dbu_per_micron > 0 ? nl->dbu_per_micron : 1000;
    int64_t mg = nl->manufacturing_grid > 0 ? llround(nl->manufacturing_grid * L->unit) : 1;
    if (mg < 1) mg = 1;
    if (nl->nrows > 0) {
        int64_t *ys = malloc((size_t)nl->nrows * sizeof *ys);
        if (!ys) return pl_err(PL_ENOMEM, "out of memory in legalisation");
        int64_t site_w = 0, row_h = 0;
        for (int64_t i = 0; i < nl->nrows; i++) {
            const pl_row *r = &nl->rows[i];
            int32_t s = pl_strmap_gets(&nl->site_by_name, r->site);
            double sw = r->sx > 0 ? r->sx : (s >= 0 ? nl->sites[s].w : 0);
            double sh = s >= 0 ? nl->sites[s].h : 0;
            int64_t x0 = to_dbu(L, r->x), y0 = to_dbu(L, r->y);
            int64_t x1 = x0 + to_dbu(L, sw) * (r->nx > 0 ? r->nx : 1);
            int64_t y1 = y0 + to_dbu(L, sh) + (r->ny > 1 ? (r->ny - 1) * to_dbu(L, r->sy) : 0);
            if (i == 0 || x0 < L->cx0) L->cx0 = x0;
            if (i == 0 || y0 < L->cy0) L->cy0 = y0;
            if (i == 0 || x1 > L->cx1) L->cx1 = x1;
            if (i == 0 || y1 > L->cy1) L->cy1 = y1;
            if (!site_w && sw > 0) site_w = to_dbu(L, sw);
            if (!row_h && sh > 0) row_h = to_dbu(L, sh);
            ys[i] = y0;
        }
        qsort(ys, (size_t)nl->nrows, sizeof *ys, cmp_i64);
        for (int64_t i = 1; i < nl->nrows; i++) /* the row pitch, if rows have no known site */
            if (ys[i] > ys[i - 1] && (!row_h || ys[i] - ys[i - 1] < row_h)) row_h = ys[i] - ys[i - 1];
        if (L->cy1 <= ys[nl->nrows - 1]) L->cy1 = ys[nl->nrows - 1] + row_h;
        free(ys);
        L->sx = lcm_step(site_w, mg);
        L->sy = lcm_step(row_h, mg);
    } else if (nl->has_die) {
        L->cx0 = to_dbu(L, nl->die.x0);
        L->cy0 = to_dbu(L, nl->die.y0);
        L->cx1 = to_dbu(L, nl->die.x1);
        L->cy1 = to_dbu(L, nl->die.y1);
        L->sx = L->sy = mg;
    } else {
        return pl_err(PL_EINVAL, "legalisation needs rows or a die area");
    }
    L->ox = L->cx0;
    L->oy = L->cy0;
    return PL_OK;
}

static int64_t snap_down(int64_t v, int64_t o, int64_t s)
{
    int64_t k = (v - o) / s;
    if ((v - o) % s != 0 && v < o) k--;
    return o + k * s;
}

static int64_t snap_up(int64_t v, int64_t o, int64_t s)
{
    int64_t d = snap_down(v, o, s);
    return d == v ? v : d + s;
}

/* ---- obstacles ---- */

typedef struct box {
    int64_t x0, y0, x1, y1;
    int64_t halo[4]; /* left bottom right top */
} box;

/* The region where the lower-left corner of a w x h macro with halo ha may NOT be, because of
 * obstacle b: open intervals (L, R) x (B, T). The gap on each side is the larger halo. */
static void forbidden(const box *b, int64_t w, int64_t h, const int64_t ha[4], int64_t sp, int64_t *L,
                      int64_t *R, int64_t *B, int64_t *T)
{
    int64_t gl = (ha[2] > b->halo[0] ? ha[2] : b->halo[0]) + sp; /* a left of b */
    int64_t gr = (ha[0] > b->halo[2] ? ha[0] : b->halo[2]) + sp; /* a right of b */
    int64_t gb = (ha[3] > b->halo[1] ? ha[3] : b->halo[1]) + sp; /* a below b */
    int64_t gt = (ha[1] > b->halo[3] ? ha[1] : b->halo[3]) + sp; /* a above b */
    *L = b->x0 - gl - w;
    *R = b->x1 + gr;
    *B = b->y0 - gb - h;
    *T = b->y1 + gt;
}

static int first_conflict(const box *obs, int64_t nobs, int64_t x, int64_t y, int64_t w, int64_t h,
                          const int64_t ha[4], int64_t sp, int64_t *L, int64_t *R, int64_t *B, int64_t *T)
{
    for (int64_t i = 0; i < nobs; i++) {
        forbidden(&obs[i], w, h, ha, sp, L, R, B, T);
        if (x > *L && x < *R && y > *B && y < *T) return 1;
    }
    return 0;
}

/* ---- best-first search ---- */

typedef struct cand {
    int64_t cost, x, y;
} cand;

typedef struct search {
    cand *heap;
    int64_t n, cap;
    int64_t *seen; /* open-addressing set of (x, y) pairs, 2 slots each */
    int64_t seen_cap, seen_n;
} search;

static int cand_less(const cand *a, const cand *b)
{
    if (a->cost != b->cost) return a->cost < b->cost;
    if (a->y != b->y) return a->y < b->y;
    return a->x < b->x;
}

static pl_status heap_push(search *s, cand c)
{
    PL_TRY(PL_GROW(s->heap, s->cap, s->n + 1));
    int64_t i = s->n++;
    while (i > 0) {
        int64_t p = (i - 1) / 2;
        if (!cand_less(&c, &s->heap[p])) break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = c;
    return PL_OK;
}

static cand heap_pop(search *s)
{
    cand top = s->heap[0], last = s->heap[--s->n];
    int64_t i = 0;
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, m = i;
        const cand *mc = &last;
        if (l < s->n && cand_less(&s->heap[l], mc)) m = l, mc = &s->heap[l];
        if (r < s->n && cand_less(&s->heap[r], mc)) m = r, mc = &s->heap[r];
        if (m == i) break;
        s->heap[i] = s->heap[m];
        i = m;
    }
    if (s->n > 0) s->heap[i] = last;
    return top;
}

static uint64_t hash_xy(int64_t x, int64_t y)
{
    uint64_t h = (uint64_t)x * 0x9e3779b97f4a7c15ull ^ ((uint64_t)y + 0x632be59bd9b4e019ull) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
}

/* Adds (x, y) to the visited set; returns 1 if it was new. */
static pl_status seen_add(search *s, int64_t x, int64_t y, int *added)
{
    if (2 * (s->seen_n + 1) > s->seen_cap) {
        int64_t ncap = s->seen_cap ? 2 * s->seen_cap : 1024;
        int64_t *ns = malloc((size_t)ncap * 2 * sizeof *ns);
        if (!ns) return pl_err(PL_ENOMEM, "out of memory in legalisation");
        for (int64_t i = 0; i < ncap; i++) ns[2 * i] = INT64_MIN;
        for (int64_t i = 0; i < s->seen_cap; i++) {
            if (s->seen[2 * i] == INT64_MIN) continue;
            uint64_t j = hash_xy(s->seen[2 * i], s->seen[2 * i + 1]) & (uint64_t)(ncap - 1);
            while (ns[2 * j] != INT64_MIN) j = (j + 1) & (uint64_t)(ncap - 1);
            ns[2 * j] = s->seen[2 * i];
            ns[2 * j + 1] = s->seen[2 * i + 1];
        }
        free(s->seen);
        s->seen = ns;
        s->seen_cap = ncap;
    }
    uint64_t j = hash_xy(x, y) & (uint64_t)(s->seen_cap - 1);
    while (s->seen[2 * j] != INT64_MIN) {
        if (s->seen[2 * j] == x && s->seen[2 * j + 1] == y) {
            *added = 0;
            return PL_OK;
        }
        j = (j + 1) & (uint64_t)(s->seen_cap - 1);
    }
    s->seen[2 * j] = x;
    s->seen[2 * j + 1] = y;
    s->seen_n++;
    *added = 1;
    return PL_OK;
}

static void search_reset(search *s)
{
    s->n = 0;
    s->seen_n = 0;
    for (int64_t i = 0; i < s->seen_cap; i++) s->seen[2 * i] = INT64_MIN;
}

/* Pushes (x, y) clamped to [xmin, xmax] x [ymin, ymax] unless already seen. */
static pl_status push_cand(search *s, int64_t x, int64_t y, int64_t dx0, int64_t dy0, int64_t xmin,
                           int64_t xmax, int64_t ymin, int64_t ymax)
{
    if (x < xmin || x > xmax || y < ymin || y > ymax) return PL_OK;
    int added;
    PL_TRY(seen_add(s, x, y, &added));
    if (!added) return PL_OK;
    int64_t cost = llabs(x - dx0) + llabs(y - dy0);
    return heap_push(s, (cand){cost, x, y});
}

typedef struct place_job {
    int64_t w, h, ha[4], sp;
    int64_t dx, dy;             /* desired lower-left */
    int64_t xmin, xmax, ymin, ymax;
} place_job;

/* Finds the legal lower-left nearest (dx, dy); 0 if none within the budget. */
static pl_status find_spot(search *s, const lattice *Lt, const box *obs, int64_t nobs, const place_job *j,
                           int budget, int64_t *ox, int64_t *oy, int *found)
{
    *found = 0;
    search_reset(s);
    int64_t x0 = snap_down(j->dx, Lt->ox, Lt->sx), y0 = snap_down(j->dy, Lt->oy, Lt->sy);
    int64_t xs[2] = {x0, x0 + Lt->sx}, ys[2] = {y0, y0 + Lt->sy};
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            int64_t x = xs[a] < j->xmin ? j->xmin : xs[a] > j->xmax ? j->xmax : xs[a];
            int64_t y = ys[b] < j->ymin ? j->ymin : ys[b] > j->ymax ? j->ymax : ys[b];
            PL_TRY(push_cand(s, x, y, j->dx, j->dy, j->xmin, j->xmax, j->ymin, j->ymax));
        }
    for (int it = 0; it < budget && s->n > 0; it++) {
        cand c = heap_pop(s);
        int64_t L, R, B, T;
        if (!first_conflict(obs, nobs, c.x, c.y, j->w, j->h, j->ha, j->sp, &L, &R, &B, &T)) {
            *ox = c.x;
            *oy = c.y;
            *found = 1;
            return PL_OK;
        }
        /* move just clear of the obstacle, in each of the four directions */
        PL_TRY(push_cand(s, snap_up(R, Lt->ox, Lt->sx), c.y, j->dx, j->dy, j->xmin, j->xmax, j->ymin, j->ymax));
        PL_TRY(push_cand(s, snap_down(L, Lt->ox, Lt->sx), c.y, j->dx, j->dy, j->xmin, j->xmax, j->ymin, j->ymax));
        PL_TRY(push_cand(s, c.x, snap_up(T, Lt->oy, Lt->sy), j->dx, j->dy, j->xmin, j->xmax, j->ymin, j->ymax));
        PL_TRY(push_cand(s, c.x, snap_down(B, Lt->oy, Lt->sy), j->dx, j->dy, j->xmin, j->xmax, j->ymin, j->ymax));
    }
    return PL_OK;
}

/* ---- driver ---- */

static int movable(const pl_node *n)
{
    return n->kind == PL_NODE_MACRO && n->state != PL_PLACE_FIXED && n->state != PL_PLACE_COVER;
}

static void node_box(const lattice *L, const pl_node *n, int use_halos, box *b)
{
    b->x0 = to_dbu(L, n->x);
    b->y0 = to_dbu(L, n->y);
    b->x1 = b->x0 + to_dbu(L, pl_node_width(n));
    b->y1 = b->y0 + to_dbu(L, pl_node_height(n));
    for (int k = 0; k < 4; k++) b->halo[k] = use_halos ? to_dbu(L, n->halo[k]) : 0;
}

typedef struct by_area {
    double area;
    int32_t node;
} by_area;

static int cmp_area(const void *a, const void *b)
{
    const by_area *x = a, *y = b;
    if (x->area != y->area) return x->area < y->area ? 1 : -1;
    return x->node - y->node;
}

pl_status pl_legalize_macros(pl_netlist *nl, const pl_legalize_config *cfg, pl_legalize_stats *stats)
{
    pl_legalize_config def;
    if (!cfg) {
        pl_legalize_config_default(&def);
        cfg = &def;
    }
    lattice L;
    PL_TRY(lattice_build(nl, &L));
    box *obs = malloc((size_t)(nl->nnodes + nl->nblockages + 1) * sizeof *obs);
    by_area *order = malloc((size_t)(nl->nnodes + 1) * sizeof *order);
    search s = {0};
    pl_status st = (obs && order) ? PL_OK : pl_err(PL_ENOMEM, "out of memory in legalisation");
    int64_t nobs = 0, nmov = 0;
    for (int64_t i = 0; st == PL_OK && i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        if (movable(n)) order[nmov++] = (by_area){n->w * n->h, (int32_t)i};
        else node_box(&L, n, cfg->use_halos, &obs[nobs++]);
    }
    for (int64_t i = 0; st == PL_OK && i < nl->nblockages; i++) {
        const pl_blockage *b = &nl->blockages[i];
        if (b->kind != PL_BLOCK_PLACEMENT || b->soft || b->partial > 0) continue;
        box *o = &obs[nobs++];
        memset(o, 0, sizeof *o);
        o->x0 = to_dbu(&L, b->r.x0);
        o->y0 = to_dbu(&L, b->r.y0);
        o->x1 = to_dbu(&L, b->r.x1);
        o->y1 = to_dbu(&L, b->r.y1);
    }
    if (st == PL_OK) qsort(order, (size_t)nmov, sizeof *order, cmp_area);
    pl_legalize_stats acc = {0};
    int64_t sp = to_dbu(&L, cfg->spacing);
    for (int64_t k = 0; st == PL_OK && k < nmov; k++) {
        pl_node *n = &nl->nodes[order[k].node];
        box b;
        node_box(&L, n, cfg->use_halos, &b);
        place_job j = {.w = b.x1 - b.x0, .h = b.y1 - b.y0, .sp = sp, .dx = b.x0, .dy = b.y0};
        memcpy(j.ha, b.halo, sizeof j.ha);
        j.xmin = snap_up(L.cx0 + b.halo[0], L.ox, L.sx);
        j.xmax = snap_down(L.cx1 - j.w - b.halo[2], L.ox, L.sx);
        j.ymin = snap_up(L.cy0 + b.halo[1], L.oy, L.sy);
        j.ymax = snap_down(L.cy1 - j.h - b.halo[3], L.oy, L.sy);
        if (j.xmin > j.xmax || j.ymin > j.ymax) {
            st = pl_err(PL_EINVAL, "cannot legalise: macro '%s' (%.3f x %.3f um) is larger than the core",
                        n->name, pl_node_width(n), pl_node_height(n));
            break;
        }
        int64_t x, y;
        int found;
        st = find_spot(&s, &L, obs, nobs, &j, cfg->max_expand, &x, &y, &found);
        if (st != PL_OK) break;
        if (!found) {
            st = pl_err(PL_EINVAL, "cannot legalise: no free place for macro '%s' (%.3f x %.3f um) in the core",
                        n->name, pl_node_width(n), pl_node_height(n));
            break;
        }
        double disp = (double)(llabs(x - b.x0) + llabs(y - b.y0)) / L.unit;
        acc.moved++;
        acc.total_disp += disp;
        if (disp > acc.max_disp) acc.max_disp = disp;
        n->x = (double)x / L.unit;
        n->y = (double)y / L.unit;
        n->state = PL_PLACE_FIXED;
        b.x1 = x + j.w;
        b.y1 = y + j.h;
        b.x0 = x;
        b.y0 = y;
        obs[nobs++] = b;
    }
    if (stats) *stats = acc;
    free(s.heap);
    free(s.seen);
    free(obs);
    free(order);
    return st;
}

int pl_legalize_check(const pl_netlist *nl, const pl_legalize_config *cfg, char *msg, size_t msglen)
{
    pl_legalize_config def;
    if (!cfg) {
        pl_legalize_config_default(&def);
        cfg = &def;
    }
    lattice L;
    if (lattice_build(nl, &L) != PL_OK) {
        if (msg) snprintf(msg, msglen, "%s", pl_errmsg());
        return 1;
    }
    int bad = 0;
    int64_t sp = llround(cfg->spacing * L.unit);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *a = &nl->nodes[i];
        if (a->kind != PL_NODE_MACRO || a->state == PL_PLACE_UNPLACED) continue;
        box ba;
        node_box(&L, a, cfg->use_halos, &ba);
        const char *why = NULL;
        if (ba.x0 < L.cx0 || ba.y0 < L.cy0 || ba.x1 > L.cx1 || ba.y1 > L.cy1) why = "outside the core";
        else if ((ba.x0 - L.ox) % L.sx != 0 || (ba.y0 - L.oy) % L.sy != 0) why = "off the site/row grid";
        if (why) {
            if (!bad++ && msg) snprintf(msg, msglen, "macro '%s' is %s", a->name, why);
            continue;
        }
        for (int64_t k = 0; k < nl->nblockages; k++) {
            const pl_blockage *bl = &nl->blockages[k];
            if (bl->kind != PL_BLOCK_PLACEMENT || bl->soft || bl->partial > 0) continue;
            box o = {.x0 = llround(bl->r.x0 * L.unit), .y0 = llround(bl->r.y0 * L.unit),
                     .x1 = llround(bl->r.x1 * L.unit), .y1 = llround(bl->r.y1 * L.unit)};
            int64_t Lx, Rx, By, Ty;
            forbidden(&o, ba.x1 - ba.x0, ba.y1 - ba.y0, ba.halo, sp, &Lx, &Rx, &By, &Ty);
            if (ba.x0 > Lx && ba.x0 < Rx && ba.y0 > By && ba.y0 < Ty && !bad++ && msg)
                snprintf(msg, msglen, "macro '%s' overlaps a placement blockage", a->name);
        }
        for (int64_t k = i + 1; k < nl->nnodes; k++) {
            const pl_node *b = &nl->nodes[k];
            if (b->kind != PL_NODE_MACRO || b->state == PL_PLACE_UNPLACED) continue;
            box bb;
            node_box(&L, b, cfg->use_halos, &bb);
            int64_t Lx, Rx, By, Ty;
            forbidden(&bb, ba.x1 - ba.x0, ba.y1 - ba.y0, ba.halo, sp, &Lx, &Rx, &By, &Ty);
            if (ba.x0 > Lx && ba.x0 < Rx && ba.y0 > By && ba.y0 < Ty) {
                if (!bad++ && msg) snprintf(msg, msglen, "macros '%s' and '%s' overlap (halos included)", a->name, b->name);
            }
        }
    }
    return bad;
}

/* Σ (w + c)(h + c) over the hard macros = a + b c + n c^2. */
static void macro_area_terms(const pl_netlist *nl, double *a, double *b, double *n)
{
    *a = *b = *n = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind != PL_NODE_MACRO) continue;
        *a += pl_node_width(nd) * pl_node_height(nd), *b += pl_node_width(nd) + pl_node_height(nd), ++*n;
    }
}

double pl_legalize_cover(const pl_netlist *nl, double area, double c)
{
    double a, b, n;
    macro_area_terms(nl, &a, &b, &n);
    return area > 0 ? (a + b * c + n * c * c) / area : INFINITY;
}

double pl_legalize_channel_fit(const pl_netlist *nl, double area, double want, double max_cover)
{
    double a, b, n;
    macro_area_terms(nl, &a, &b, &n);
    double k = max_cover * area;
    if (n == 0 || a + b * want + n * want * want <= k) return want;
    if (a >= k) return 0;
    return (-b + sqrt(b * b + 4 * n * (k - a))) / (2 * n);
}
