/* construct.c: rollouts that place macros one by one on the grid; see construct.h. */
#include "search/construct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static const double EPS = 1e-6; /* µm: touching footprints do not overlap */

static int is_movable_macro(const pl_node *n)
{
    return n->kind == PL_NODE_MACRO && n->state != PL_PLACE_FIXED && n->state != PL_PLACE_COVER &&
           n->state != PL_PLACE_UNPLACED;
}

typedef struct by_area {
    double area;
    int32_t node;
} by_area;

static int cmp_area(const void *a, const void *b)
{
    const by_area *x = a, *y = b;
    if (x->area != y->area) return x->area < y->area ? 1 : -1;
    return (x->node > y->node) - (x->node < y->node);
}

/* Footprint extents (left bottom right top from the centre) of node v, halo included. */
static void extents(const pl_cost *c, int32_t v, double e[4])
{
    const pl_node *n = &c->nl->nodes[v];
    int sw = pl_orient_swaps((pl_orient)c->orient[v]);
    double hw = 0.5 * (sw ? n->h : n->w), hh = 0.5 * (sw ? n->w : n->h);
    e[0] = hw + n->halo[0];
    e[1] = hh + n->halo[1];
    e[2] = hw + n->halo[2];
    e[3] = hh + n->halo[3];
}

void pl_construct_free(pl_construct *k)
{
    if (!k) return;
    free(k->obs);
    free(k->order);
    free(k->ext);
    free(k->net_off);
    free(k->net);
    free(k->pin_ext);
    free(k->sbb);
    memset(k, 0, sizeof *k);
}

pl_status pl_construct_init(pl_construct *k, const pl_cost *c, const double region[4], const double *obstacles,
                            int32_t nobs)
{
    memset(k, 0, sizeof *k);
    const pl_netlist *nl = c->nl;
    k->cost = c;
    k->cols = c->cfg.cols, k->rows = c->cfg.rows, k->A = k->cols * k->rows;
    k->gw = c->gw, k->gh = c->gh;
    memcpy(k->region, region, sizeof k->region);
    int32_t N = c->nnodes, nfixed = 0;
    by_area *ba;
    if (!PL_ALLOC(ba, N)) return pl_err(PL_ENOMEM, "out of memory in the search");
    for (int32_t v = 0; v < N; v++) {
        const pl_node *n = &nl->nodes[v];
        if (is_movable_macro(n)) ba[k->n++] = (by_area){n->w * n->h, v};
        else if (n->kind == PL_NODE_MACRO && n->state != PL_PLACE_UNPLACED) nfixed++;
    }
    qsort(ba, (size_t)k->n, sizeof *ba, cmp_area);
    size_t n1 = (size_t)(k->n ? k->n : 1);
    k->obs = malloc((size_t)(nobs + nfixed + 1) * 4 * sizeof *k->obs);
    k->order = malloc(n1 * sizeof *k->order);
    k->ext = malloc(n1 * 4 * sizeof *k->ext);
    k->net_off = calloc(n1 + 1, sizeof *k->net_off);
    k->sbb = malloc((size_t)(c->nnets ? c->nnets : 1) * 4 * sizeof *k->sbb);
    uint8_t *moving = calloc((size_t)(N ? N : 1), 1);
    pl_status s = PL_OK;
    if (!k->obs || !k->order || !k->ext || !k->net_off || !k->sbb || !moving) {
        s = pl_err(PL_ENOMEM, "out of memory in the search");
        goto done;
    }
    if (nobs) memcpy(k->obs, obstacles, (size_t)nobs * 4 * sizeof *k->obs);
    k->nobs = nobs;
    for (int32_t v = 0; v < N; v++) {
        const pl_node *n = &nl->nodes[v];
        if (n->kind != PL_NODE_MACRO || n->state == PL_PLACE_UNPLACED || is_movable_macro(n)) continue;
        double e[4], *o = k->obs + 4 * k->nobs++;
        extents(c, v, e);
        o[0] = c->cx[v] - e[0], o[1] = c->cy[v] - e[1], o[2] = c->cx[v] + e[2], o[3] = c->cy[v] + e[3];
    }
    for (int32_t i = 0; i < k->n; i++) {
        k->order[i] = ba[i].node;
        moving[ba[i].node] = 1;
        extents(c, ba[i].node, k->ext + 4 * i);
    }
    /* per macro, its distinct nets */
    for (int32_t i = 0; i < k->n; i++) {
        int32_t v = k->order[i];
        k->net_off[i + 1] = k->net_off[i] + (c->node_net_off[v + 1] - c->node_net_off[v]);
    }
    size_t nm = (size_t)(k->net_off[k->n] ? k->net_off[k->n] : 1);
    k->net = malloc(nm * sizeof *k->net);
    k->pin_ext = malloc(nm * 4 * sizeof *k->pin_ext);
    if (!k->net || !k->pin_ext) {
        s = pl_err(PL_ENOMEM, "out of memory in the search");
        goto done;
    }
    for (int32_t i = 0; i < k->n; i++) {
        int32_t v = k->order[i];
        int64_t base = k->net_off[i];
        for (int32_t q = c->node_net_off[v]; q < c->node_net_off[v + 1]; q++) {
            int32_t n = c->node_nets[q];
            int64_t j = base + (q - c->node_net_off[v]);
            k->net[j] = n;
            double *pe = k->pin_ext + 4 * j;
            pe[0] = pe[2] = INFINITY;
            pe[1] = pe[3] = -INFINITY;
        }
        for (int32_t q = c->node_net_off[v]; q < c->node_net_off[v + 1]; q++) {
            int32_t n = c->node_nets[q];
            double *pe = k->pin_ext + 4 * (base + (q - c->node_net_off[v]));
            for (int32_t t = c->net_pin_off[n]; t < c->net_pin_off[n + 1]; t++) {
                int32_t p = c->net_pins[t];
                if (c->pin_node[p] != v) continue;
                double ox = c->pin_x[p] - c->cx[v], oy = c->pin_y[p] - c->cy[v];
                if (ox < pe[0]) pe[0] = ox;
                if (ox > pe[1]) pe[1] = ox;
                if (oy < pe[2]) pe[2] = oy;
                if (oy > pe[3]) pe[3] = oy;
            }
        }
    }
    /* static part of each net's bounding box */
    for (int32_t n = 0; n < c->nnets; n++) {
        double *b = k->sbb + 4 * n;
        b[0] = b[2] = INFINITY;
        b[1] = b[3] = -INFINITY;
        for (int32_t t = c->net_pin_off[n]; t < c->net_pin_off[n + 1]; t++) {
            int32_t p = c->net_pins[t];
            if (moving[c->pin_node[p]]) continue;
            double x = c->pin_x[p], y = c->pin_y[p];
            if (x < b[0]) b[0] = x;
            if (x > b[1]) b[1] = x;
            if (y < b[2]) b[2] = y;
            if (y > b[3]) b[3] = y;
        }
    }
done:
    free(ba);
    free(moving);
    if (s != PL_OK) pl_construct_free(k);
    return s;
}

void pl_construct_work_free(pl_construct_work *w)
{
    if (!w) return;
    free(w->mask);
    free(w->wire);
    free(w->edge);
    free(w->weight);
    free(w->wx);
    free(w->wy);
    free(w->bb);
    free(w->placed);
    free(w->cells);
    memset(w, 0, sizeof *w);
}

pl_status pl_construct_work_init(pl_construct_work *w, const pl_construct *k)
{
    memset(w, 0, sizeof *w);
    size_t A = (size_t)(k->A ? k->A : 1), n = (size_t)(k->n ? k->n : 1);
    size_t nn = (size_t)(k->cost->nnets ? k->cost->nnets : 1);
    w->mask = malloc(A);
    w->wire = malloc(A * sizeof *w->wire);
    w->edge = malloc(A * sizeof *w->edge);
    w->weight = malloc(A * sizeof *w->weight);
    w->wx = malloc((size_t)(k->cols + 1) * sizeof *w->wx);
    w->wy = malloc((size_t)(k->rows + 1) * sizeof *w->wy);
    w->bb = malloc(nn * 4 * sizeof *w->bb);
    w->placed = malloc(n * 4 * sizeof *w->placed);
    w->cells = malloc(n * sizeof *w->cells);
    if (!w->mask || !w->wire || !w->edge || !w->weight || !w->wx || !w->wy || !w->bb || !w->placed || !w->cells) {
        pl_construct_work_free(w);
        return pl_err(PL_ENOMEM, "out of memory in the search");
    }
    return PL_OK;
}

void pl_construct_cell_center(const pl_construct *k, int32_t cell, double *x, double *y)
{
    *x = ((double)(cell % k->cols) + 0.5) * k->gw;
    *y = ((double)(cell / k->cols) + 0.5) * k->gh;
}

/* Clears mask cells whose centre would make a footprint with extents e overlap rectangle o. */
static void block_rect(const pl_construct *k, uint8_t *mask, const double e[4], const double o[4])
{
    int32_t c0 = -1, c1 = -2, r0 = -1, r1 = -2;
    for (int32_t i = 0; i < k->cols; i++) {
        double x = ((double)i + 0.5) * k->gw;
        if (x + e[2] > o[0] + EPS && x - e[0] < o[2] - EPS) {
            if (c0 < 0) c0 = i;
            c1 = i;
        }
    }
    for (int32_t j = 0; j < k->rows; j++) {
        double y = ((double)j + 0.5) * k->gh;
        if (y + e[3] > o[1] + EPS && y - e[1] < o[3] - EPS) {
            if (r0 < 0) r0 = j;
            r1 = j;
        }
    }
    for (int32_t j = r0; j >= 0 && j <= r1; j++)
        memset(mask + (size_t)j * (size_t)k->cols + (size_t)c0, 0, (size_t)(c1 - c0 + 1));
}

/* The edge map (search/prior.h) of a footprint with extents e: the distance from the footprint to the
 * nearest side of the region, separable as min(distance in x, distance in y), over half the region's
 * smaller side. */
static void edge_map(const pl_construct *k, pl_construct_work *w, const double e[4])
{
    const double *r = k->region;
    double half = 0.5 * fmin(r[2] - r[0], r[3] - r[1]);
    double inv = half > 0 ? 1.0 / half : 0;
    for (int32_t c = 0; c < k->cols; c++) {
        double x = ((double)c + 0.5) * k->gw;
        w->wx[c] = fmax(0, fmin(x - e[0] - r[0], r[2] - x - e[2])) * inv;
    }
    for (int32_t j = 0; j < k->rows; j++) {
        double y = ((double)j + 0.5) * k->gh;
        w->wy[j] = fmax(0, fmin(y - e[1] - r[1], r[3] - y - e[3])) * inv;
    }
    for (int32_t j = 0; j < k->rows; j++)
        for (int32_t c = 0; c < k->cols; c++) w->edge[j * k->cols + c] = fmin(w->wx[c], w->wy[j]);
}

/* Mask, wire (and edge) arrays of macro i given the placed ones. Returns the number of legal cells. */
static int32_t fill_state(const pl_construct *k, pl_construct_work *w, int32_t i, int want_edge)
{
    const double *e = k->ext + 4 * i;
    int32_t legal = 0;
    for (int32_t j = 0; j < k->rows; j++) {
        double y = ((double)j + 0.5) * k->gh;
        int rok = y - e[1] >= k->region[1] - EPS && y + e[3] <= k->region[3] + EPS;
        for (int32_t c = 0; c < k->cols; c++) {
            double x = ((double)c + 0.5) * k->gw;
            w->mask[j * k->cols + c] = (uint8_t)(rok && x - e[0] >= k->region[0] - EPS && x + e[2] <= k->region[2] + EPS);
        }
    }
    for (int32_t o = 0; o < k->nobs; o++) block_rect(k, w->mask, e, k->obs + 4 * o);
    for (int32_t p = 0; p < i; p++) block_rect(k, w->mask, e, w->placed + 4 * p);
    for (int32_t a = 0; a < k->A; a++) legal += w->mask[a];
    if (!legal) return 0;
    /* wire mask: separable in x and y */
    for (int32_t c = 0; c < k->cols; c++) w->wx[c] = 0;
    for (int32_t j = 0; j < k->rows; j++) w->wy[j] = 0;
    const pl_cost *cost = k->cost;
    for (int64_t q = k->net_off[i]; q < k->net_off[i + 1]; q++) {
        int32_t n = k->net[q];
        const double *b = w->bb + 4 * n, *pe = k->pin_ext + 4 * q;
        double wt = cost->net_w[n];
        if (!(pe[0] <= pe[1]) || wt == 0) continue;
        if (b[0] <= b[1]) {
            for (int32_t c = 0; c < k->cols; c++) {
                double x = ((double)c + 0.5) * k->gw;
                double lo = fmin(b[0], x + pe[0]), hi = fmax(b[1], x + pe[1]);
                w->wx[c] += wt * ((hi - lo) - (b[1] - b[0]));
            }
        }
        if (b[2] <= b[3]) {
            for (int32_t j = 0; j < k->rows; j++) {
                double y = ((double)j + 0.5) * k->gh;
                double lo = fmin(b[2], y + pe[2]), hi = fmax(b[3], y + pe[3]);
                w->wy[j] += wt * ((hi - lo) - (b[3] - b[2]));
            }
        }
    }
    for (int32_t j = 0; j < k->rows; j++)
        for (int32_t c = 0; c < k->cols; c++) w->wire[j * k->cols + c] = w->wx[c] + w->wy[j];
    if (want_edge) edge_map(k, w, e);
    return legal;
}

pl_status pl_construct_rollout(const pl_construct *k, pl_construct_work *w, const pl_prior *prior, double temperature,
                               double edge_weight, pl_rng *rng, int32_t *placed)
{
    *placed = 0;
    memcpy(w->bb, k->sbb, (size_t)k->cost->nnets * 4 * sizeof *w->bb);
    pl_prior_state st = {.cost = k->cost, .nsteps = k->n, .order = k->order, .cells = w->cells,
                         .cols = k->cols, .rows = k->rows, .mask = w->mask, .wire = w->wire,
                         .edge = w->edge, .edge_weight = edge_weight, .temperature = temperature};
    for (int32_t i = 0; i < k->n; i++) {
        if (!fill_state(k, w, i, edge_weight > 0)) return PL_OK;
        st.step = i;
        st.node = k->order[i];
        PL_TRY(prior->fn(prior->user, &st, w->weight));
        double total = 0;
        for (int32_t a = 0; a < k->A; a++)
            if (w->mask[a] && w->weight[a] > 0) total += w->weight[a];
        int uniform = !(total > 0) || !isfinite(total);
        if (uniform) {
            total = 0;
            for (int32_t a = 0; a < k->A; a++) total += w->mask[a];
        }
        double u = pl_rng_uniform(rng) * total, acc = 0;
        int32_t pick = -1, last = -1;
        for (int32_t a = 0; a < k->A && pick < 0; a++) {
            if (!w->mask[a]) continue;
            double wt = uniform ? 1.0 : (w->weight[a] > 0 ? w->weight[a] : 0);
            if (wt <= 0) continue;
            last = a;
            acc += wt;
            if (u < acc) pick = a;
        }
        if (pick < 0) pick = last; /* rounding at the top end */
        w->cells[i] = pick;
        double x, y;
        pl_construct_cell_center(k, pick, &x, &y);
        const double *e = k->ext + 4 * i;
        double *r = w->placed + 4 * i;
        r[0] = x - e[0], r[1] = y - e[1], r[2] = x + e[2], r[3] = y + e[3];
        for (int64_t q = k->net_off[i]; q < k->net_off[i + 1]; q++) {
            double *b = w->bb + 4 * k->net[q];
            const double *pe = k->pin_ext + 4 * q;
            if (!(pe[0] <= pe[1])) continue;
            b[0] = fmin(b[0], x + pe[0]);
            b[1] = fmax(b[1], x + pe[1]);
            b[2] = fmin(b[2], y + pe[2]);
            b[3] = fmax(b[3], y + pe[3]);
        }
        *placed = i + 1;
    }
    return PL_OK;
}
