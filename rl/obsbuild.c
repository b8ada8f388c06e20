/* obsbuild.c: graph, features, metadata, density and wire maps of an observation (see obsbuild.h). */
#include "rl/obsbuild.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge_rec {
    int64_t key, seq;
    double w;
} edge_rec;

static int cmp_edge(const void *a, const void *b)
{
    const edge_rec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Graph nodes: hard macros, soft macros, then one node per grid cell holding ports. */
static pl_status number_nodes(pl_obs_static *st, int32_t *node_g, const pl_netlist *nl, const pl_obs_grid *g,
                              int32_t *nsoft_out, int32_t *nport_out, const char *who)
{
    int64_t nn = nl->nnodes;
    int32_t nhard = 0, nsoft = 0, nport = 0;
    int32_t *cell_cluster = malloc(sizeof *cell_cluster * (size_t)g->A);
    if (!cell_cluster) return pl_err(PL_ENOMEM, "%s: out of memory", who);
    for (int64_t i = 0; i < nn; i++) node_g[i] = -1;
    for (int32_t a = 0; a < g->A; a++) cell_cluster[a] = -1;
    for (int64_t i = 0; i < nn; i++)
        if (nl->nodes[i].kind == PL_NODE_MACRO) node_g[i] = nhard++;
    for (int64_t i = 0; i < nn; i++)
        if (nl->nodes[i].kind == PL_NODE_SOFT) node_g[i] = nhard + nsoft++;
    for (int64_t i = 0; i < nn; i++) {
        if (nl->nodes[i].kind != PL_NODE_PORT) continue;
        double cx, cy;
        pl_node_center(&nl->nodes[i], &cx, &cy);
        int c = (int)floor(cx / g->gw), r = (int)floor(cy / g->gh);
        c = c < 0 ? 0 : c >= g->cols ? g->cols - 1 : c;
        r = r < 0 ? 0 : r >= g->rows ? g->rows - 1 : r;
        int32_t a = c + r * g->cols;
        if (cell_cluster[a] < 0) cell_cluster[a] = nport++;
        node_g[i] = nhard + nsoft + cell_cluster[a];
    }
    free(cell_cluster);
    st->n = nhard + nsoft + nport;
    st->nhard = nhard;
    st->cols = g->cols, st->rows = g->rows;
    *nsoft_out = nsoft, *nport_out = nport;
    if (st->n < 1)
        return pl_err(PL_EINVAL, "%s: design %s has no macro and no port", who, nl->design ? nl->design : "");
    return PL_OK;
}

/* Edges: a star from each net's driver, parallel pairs summed, weights over their mean. Allocates st. */
static pl_status build_edges(pl_obs_static *st, const int32_t *node_g, const pl_netlist *nl, const char *who)
{
    int64_t cap = 0;
    for (int64_t n = 0; n < nl->nnets; n++) cap += nl->net_pin_off[n + 1] - nl->net_pin_off[n];
    edge_rec *er = malloc(sizeof *er * (size_t)(cap + 1));
    if (!er) return pl_err(PL_ENOMEM, "%s: out of memory for the graph edges", who);
    int64_t ne = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], en = nl->net_pin_off[n + 1];
        if (en - b < 2) continue;
        int32_t gd = node_g[nl->pins[nl->net_pins[b]].node];
        if (gd < 0) continue;
        for (int64_t k = b + 1; k < en; k++) {
            int32_t gs = node_g[nl->pins[nl->net_pins[k]].node];
            if (gs < 0 || gs == gd) continue;
            int32_t lo = gd < gs ? gd : gs, hi = gd < gs ? gs : gd;
            er[ne] = (edge_rec){(int64_t)lo * st->n + hi, ne, nl->nets[n].weight > 0 ? nl->nets[n].weight : 1.0};
            ne++;
        }
    }
    qsort(er, (size_t)ne, sizeof *er, cmp_edge);
    int64_t ue = 0;
    for (int64_t k = 0; k < ne; k++) {
        if (ue > 0 && er[ue - 1].key == er[k].key) er[ue - 1].w += er[k].w;
        else er[ue++] = er[k];
    }
    st->e = (int32_t)ue;
    pl_status s = pl_obs_static_alloc(st);
    if (s != PL_OK) return free(er), s;
    double wsum = 0;
    for (int64_t k = 0; k < ue; k++) wsum += er[k].w;
    double wmean = ue ? wsum / (double)ue : 1.0;
    for (int64_t k = 0; k < ue; k++) {
        st->edges[2 * k] = (int32_t)(er[k].key / st->n);
        st->edges[2 * k + 1] = (int32_t)(er[k].key % st->n);
        st->w[k] = (float)(er[k].w / wmean);
    }
    free(er);
    return PL_OK;
}

pl_status pl_obsbuild_graph(pl_obs_static *st, int32_t *node_g, const pl_netlist *nl, const pl_obs_grid *g,
                            const uint8_t *moves, const char *who)
{
    int32_t nsoft = 0, nport = 0;
    PL_TRY(number_nodes(st, node_g, nl, g, &nsoft, &nport, who));
    PL_TRY(build_edges(st, node_g, nl, who));
    int32_t nhard = st->nhard;
    double *pc = calloc((size_t)(nport + 1) * 3, sizeof *pc); /* port clusters: Σx, Σy, count */
    if (!pc) return pl_err(PL_ENOMEM, "%s: out of memory", who);
    memset(st->feat, 0, sizeof(float) * (size_t)st->n * PL_OBS_F);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        int32_t gi = node_g[i];
        if (gi < 0) continue;
        const pl_node *nd = &nl->nodes[i];
        double cx, cy;
        pl_node_center(nd, &cx, &cy);
        float *f = st->feat + (size_t)gi * PL_OBS_F;
        if (gi >= nhard + nsoft) {
            int32_t k = gi - nhard - nsoft;
            pc[3 * k] += cx, pc[3 * k + 1] += cy, pc[3 * k + 2] += 1;
            f[6] = 1, f[7] = 1;
            continue;
        }
        int movable = moves[i] != 0;
        f[0] = movable ? 0.5f : (float)(cx / g->W);
        f[1] = movable ? 0.5f : (float)(cy / g->H);
        f[2] = (float)(pl_node_width(nd) / g->W);
        f[3] = (float)(pl_node_height(nd) / g->H);
        f[4] = nd->kind == PL_NODE_MACRO;
        f[5] = nd->kind == PL_NODE_SOFT;
        f[7] = movable ? 0.0f : 1.0f;
    }
    for (int32_t k = 0; k < nport; k++) {
        float *f = st->feat + (size_t)(nhard + nsoft + k) * PL_OBS_F;
        f[0] = (float)(pc[3 * k] / pc[3 * k + 2] / g->W);
        f[1] = (float)(pc[3 * k + 1] / pc[3 * k + 2] / g->H);
    }
    free(pc);
    const char *dn = nl->design && nl->design[0] ? nl->design : "design";
    snprintf(st->name, sizeof st->name, "%s", dn);
    return pl_obs_static_finish(st);
}

void pl_obsbuild_meta(float *meta, const pl_obs_static *st, const pl_netlist *nl, const pl_obs_grid *g)
{
    double N = st->n, hard_area = 0, soft_area = 0;
    int32_t nsoft = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind == PL_NODE_MACRO) hard_area += nd->w * nd->h;
        if (nd->kind == PL_NODE_SOFT) soft_area += nd->w * nd->h, nsoft++;
    }
    meta[0] = (float)(st->nhard / N);
    meta[1] = (float)(nsoft / N);
    meta[2] = (float)((st->n - st->nhard - nsoft) / N);
    meta[3] = (float)(log1p(N) / 10);
    meta[4] = (float)(log1p((double)st->e) / 10);
    meta[5] = (float)g->cols / PL_GNN_GRID_MAX;
    meta[6] = (float)g->rows / PL_GNN_GRID_MAX;
    meta[7] = (float)(g->W / (g->W + g->H));
    meta[8] = (float)(g->H / (g->W + g->H));
    meta[9] = (float)(hard_area / (g->W * g->H));
    meta[10] = (float)(soft_area / (g->W * g->H));
    meta[11] = 0;
}

void pl_obsbuild_hard_init(float *hard, const pl_obs_static *st)
{
    for (int32_t g = 0; g < st->nhard; g++) {
        const float *f = st->feat + (size_t)g * PL_OBS_F;
        hard[3 * g] = f[0], hard[3 * g + 1] = f[1], hard[3 * g + 2] = f[7];
    }
}

void pl_obsbuild_node_rect(const pl_node *n, double *r)
{
    r[0] = n->x, r[1] = n->y, r[2] = n->x + pl_node_width(n), r[3] = n->y + pl_node_height(n);
}

void pl_obsbuild_dens_add(const pl_obs_grid *g, double *dens, const double *r, double sign)
{
    int c0 = (int)floor(r[0] / g->gw), c1 = (int)floor(r[2] / g->gw);
    int r0 = (int)floor(r[1] / g->gh), r1 = (int)floor(r[3] / g->gh);
    c0 = c0 < 0 ? 0 : c0, r0 = r0 < 0 ? 0 : r0;
    c1 = c1 >= g->cols ? g->cols - 1 : c1, r1 = r1 >= g->rows ? g->rows - 1 : r1;
    double ca = g->gw * g->gh;
    for (int rr = r0; rr <= r1; rr++) {
        double oy = fmin(r[3], (rr + 1) * g->gh) - fmax(r[1], rr * g->gh);
        if (oy <= 0) continue;
        for (int cc = c0; cc <= c1; cc++) {
            double ox = fmin(r[2], (cc + 1) * g->gw) - fmax(r[0], cc * g->gw);
            if (ox > 0) dens[cc + rr * g->cols] += sign * ox * oy / ca;
        }
    }
}

void pl_obsbuild_wire_net(const pl_obs_grid *g, double *wx, double *wy, const pl_obs_wire_net *n)
{
    const double *pe = n->pe, *b = n->box;
    for (int c = 0; c < g->cols; c++) {
        double cx = (c + 0.5) * g->gw, lo = cx + pe[0], hi = cx + pe[1];
        wx[c] += n->wt * (n->others ? fmax(hi, b[1]) - fmin(lo, b[0]) - (b[1] - b[0]) : hi - lo);
    }
    for (int r = 0; r < g->rows; r++) {
        double cy = (r + 0.5) * g->gh, lo = cy + pe[2], hi = cy + pe[3];
        wy[r] += n->wt * (n->others ? fmax(hi, b[3]) - fmin(lo, b[2]) - (b[3] - b[2]) : hi - lo);
    }
}

void pl_obsbuild_wire_finish(const pl_obs_grid *g, const double *wx, const double *wy, const uint8_t *mask,
                             float *wire)
{
    double mx = 0;
    for (int32_t a = 0; a < g->A; a++) {
        double v = mask[a] ? wx[a % g->cols] + wy[a / g->cols] : 0;
        wire[a] = (float)v;
        mx = fmax(mx, v);
    }
    if (mx > 0)
        for (int32_t a = 0; a < g->A; a++) wire[a] = (float)(wire[a] / mx);
}
