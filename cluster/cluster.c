/* cluster.c: the weighted cell graph, macro/IO groups, Leiden with a resolution search, split and
 * merge; see cluster.h. */
#include "cluster/cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"

#ifdef PL_HAVE_IGRAPH
#include <igraph.h>
#endif

void pl_cluster_config_default(pl_cluster_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->target = 0;
    cfg->clique_max = 16;
    cfg->fanout_max = 500;
    cfg->utilization = 0.5;
    cfg->split_factor = 4.0;
    cfg->merge_factor = 0.25;
    cfg->group_macros = 1;
    cfg->group_ios = 1;
    cfg->tolerance = 0.1;
    cfg->max_runs = 10;
}


/* ---- the cell graph ---- */

typedef struct pair {
    int32_t u, v;
    double w;
} pair;

static int cmp_pair_v(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return (x->v > y->v) - (x->v < y->v);
}

void pl_cluster_graph_free(pl_cluster_graph *g)
{
    if (!g) return;
    free(g->cell_node);
    free(g->vertex_of);
    free(g->eu);
    free(g->ev);
    free(g->ew);
    memset(g, 0, sizeof *g);
}

/* Sorts pairs by (u, v) (bucket by u, then each bucket by v) and sums duplicates into g. */
static pl_status pairs_to_edges(pl_cluster_graph *g, pair *pairs, int64_t np)
{
    int64_t *off;
    pair *sorted;
    if (!PL_CALLOC(off, (int64_t)g->nv + 1) || !PL_ALLOC(sorted, np)) {
        free(off);
        return pl_err(PL_ENOMEM, "cluster: out of memory sorting edges");
    }
    for (int64_t i = 0; i < np; i++) off[pairs[i].u + 1]++;
    for (int32_t v = 0; v < g->nv; v++) off[v + 1] += off[v];
    int64_t *fill;
    if (!PL_ALLOC(fill, g->nv)) {
        free(off);
        free(sorted);
        return pl_err(PL_ENOMEM, "cluster: out of memory sorting edges");
    }
    memcpy(fill, off, (size_t)g->nv * sizeof *fill);
    for (int64_t i = 0; i < np; i++) sorted[fill[pairs[i].u]++] = pairs[i];
    free(fill);
    int64_t ne = 0;
    for (int32_t u = 0; u < g->nv; u++) {
        int64_t b = off[u], e = off[u + 1];
        if (e - b > 1) qsort(sorted + b, (size_t)(e - b), sizeof *sorted, cmp_pair_v);
        for (int64_t i = b; i < e; i++) {
            if (ne > 0 && i > b && sorted[ne - 1].u == u && sorted[ne - 1].v == sorted[i].v) {
                sorted[ne - 1].w += sorted[i].w;
            } else {
                sorted[ne++] = sorted[i];
            }
        }
    }
    free(off);
    g->ne = ne;
    if (!PL_ALLOC(g->eu, ne) || !PL_ALLOC(g->ev, ne) || !PL_ALLOC(g->ew, ne)) {
        free(sorted);
        return pl_err(PL_ENOMEM, "cluster: out of memory storing edges");
    }
    for (int64_t i = 0; i < ne; i++) {
        g->eu[i] = sorted[i].u;
        g->ev[i] = sorted[i].v;
        g->ew[i] = sorted[i].w;
    }
    free(sorted);
    return PL_OK;
}

static pl_status push_pair(pair **pairs, int64_t *np, int64_t *cap, int32_t a, int32_t b, double w)
{
    PL_TRY(PL_GROW(*pairs, *cap, *np + 1));
    (*pairs)[(*np)++] = a < b ? (pair){a, b, w} : (pair){b, a, w};
    return PL_OK;
}

pl_status pl_cluster_graph_build(pl_cluster_graph *g, const pl_netlist *flat, const pl_cluster_config *cfg)
{
    memset(g, 0, sizeof *g);
    if (!flat->finalized) return pl_err(PL_EINVAL, "cluster: the netlist is not finalized");
    int64_t N = flat->nnodes;
    if (!PL_ALLOC(g->vertex_of, N)) return pl_err(PL_ENOMEM, "cluster: out of memory");
    int32_t nv = 0;
    for (int64_t i = 0; i < N; i++) g->vertex_of[i] = flat->nodes[i].kind == PL_NODE_STDCELL ? nv++ : -1;
    g->nv = nv;
    if (!PL_ALLOC(g->cell_node, nv)) return pl_err(PL_ENOMEM, "cluster: out of memory");
    for (int64_t i = 0; i < N; i++)
        if (g->vertex_of[i] >= 0) g->cell_node[g->vertex_of[i]] = (int32_t)i;
    int64_t *stamp;
    int32_t *cells;
    if (!PL_ALLOC(stamp, N) || !PL_ALLOC(cells, cfg->fanout_max + 1)) {
        free(stamp);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    for (int64_t i = 0; i < N; i++) stamp[i] = -1;
    pair *pairs = NULL;
    int64_t np = 0, cap = 0;
    pl_status s = PL_OK;
    for (int64_t n = 0; n < flat->nnets && s == PL_OK; n++) {
        int64_t b = flat->net_pin_off[n], e = flat->net_pin_off[n + 1];
        if (e - b > cfg->fanout_max) {
            g->nets_skipped++;
            continue;
        }
        int k = 0, c = 0;
        for (int64_t q = b; q < e; q++) {
            int32_t node = flat->pins[flat->net_pins[q]].node;
            if (stamp[node] == n) continue;
            stamp[node] = n;
            k++;
            if (g->vertex_of[node] >= 0) cells[c++] = g->vertex_of[node];
        }
        if (c < 2) continue;
        g->nets_used++;
        if (c <= cfg->clique_max) {
            double w = 1.0 / (k - 1);
            for (int i = 0; i < c && s == PL_OK; i++)
                for (int j = i + 1; j < c && s == PL_OK; j++) s = push_pair(&pairs, &np, &cap, cells[i], cells[j], w);
        } else {
            double w = (double)c / (2.0 * (k - 1));
            for (int j = 1; j < c && s == PL_OK; j++) s = push_pair(&pairs, &np, &cap, cells[0], cells[j], w);
        }
    }
    free(stamp);
    free(cells);
    if (s == PL_OK) s = pairs_to_edges(g, pairs, np);
    free(pairs);
    return s;
}

double pl_cluster_graph_cut(const pl_cluster_graph *g, const int32_t *membership)
{
    double cut = 0;
    for (int64_t i = 0; i < g->ne; i++)
        if (membership[g->eu[i]] != membership[g->ev[i]]) cut += g->ew[i];
    return cut;
}

/* Symmetric adjacency (CSR) of the graph. */
typedef struct adj {
    int64_t *off;
    int32_t *to;
    double *w;
} adj;

static void adj_free(adj *a)
{
    free(a->off);
    free(a->to);
    free(a->w);
}

static pl_status adj_build(adj *a, const pl_cluster_graph *g)
{
    memset(a, 0, sizeof *a);
    if (!PL_CALLOC(a->off, (int64_t)g->nv + 1) || !PL_ALLOC(a->to, 2 * g->ne) || !PL_ALLOC(a->w, 2 * g->ne))
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    for (int64_t i = 0; i < g->ne; i++) a->off[g->eu[i] + 1]++, a->off[g->ev[i] + 1]++;
    for (int32_t v = 0; v < g->nv; v++) a->off[v + 1] += a->off[v];
    int64_t *fill;
    if (!PL_ALLOC(fill, g->nv)) return pl_err(PL_ENOMEM, "cluster: out of memory");
    memcpy(fill, a->off, (size_t)g->nv * sizeof *fill);
    for (int64_t i = 0; i < g->ne; i++) {
        int64_t p = fill[g->eu[i]]++;
        a->to[p] = g->ev[i], a->w[p] = g->ew[i];
        p = fill[g->ev[i]]++;
        a->to[p] = g->eu[i], a->w[p] = g->ew[i];
    }
    free(fill);
    return PL_OK;
}

/* ---- groups: cells adjacent to an IO region or a macro ---- */

/* Group of every vertex (INT32_MAX: none); returns the number of group ids used. */
static pl_status groups_assign(const pl_netlist *flat, const pl_cluster_graph *g, const pl_cluster_config *cfg,
                               int32_t *grp, int32_t *ngroup_ids)
{
    int64_t N = flat->nnodes;
    int32_t *node_group;
    if (!PL_ALLOC(node_group, N)) return pl_err(PL_ENOMEM, "cluster: out of memory");
    for (int64_t i = 0; i < N; i++) node_group[i] = INT32_MAX;
    for (int32_t v = 0; v < g->nv; v++) grp[v] = INT32_MAX;
    int32_t nid = 0;
    if (cfg->group_ios && flat->has_die) {
        const pl_rect *d = &flat->die;
        double W = d->x1 - d->x0, H = d->y1 - d->y0;
        double rw = cfg->io_region_w > 0 ? cfg->io_region_w : W / 32;
        double rh = cfg->io_region_h > 0 ? cfg->io_region_h : H / 32;
        /* key = side * 2^32 + index along the side; ids by sorted key */
        int64_t nports = 0;
        int64_t *keys;
        if (!PL_ALLOC(keys, N)) {
            free(node_group);
            return pl_err(PL_ENOMEM, "cluster: out of memory");
        }
        for (int64_t i = 0; i < N; i++) {
            const pl_node *nd = &flat->nodes[i];
            if (nd->kind != PL_NODE_PORT) continue;
            double x, y;
            int64_t pb = flat->node_pin_off[i];
            if (pb < flat->node_pin_off[i + 1]) pl_pin_position(flat, flat->node_pins[pb], &x, &y);
            else pl_node_center(nd, &x, &y);
            double dist[4] = {x - d->x0, d->y1 - y, d->x1 - x, y - d->y0}; /* LEFT TOP RIGHT BOTTOM */
            int side = 0;
            for (int k = 1; k < 4; k++)
                if (dist[k] < dist[side]) side = k;
            double along = (side == 0 || side == 2) ? (y - d->y0) / rh : (x - d->x0) / rw;
            int64_t idx = along < 0 ? 0 : (int64_t)along;
            keys[nports++] = ((int64_t)side << 32) | idx;
            node_group[i] = (int32_t)(nports - 1); /* temporarily: position in keys */
        }
        /* rank the distinct keys */
        int64_t *sorted;
        if (!PL_ALLOC(sorted, nports)) {
            free(keys);
            free(node_group);
            return pl_err(PL_ENOMEM, "cluster: out of memory");
        }
        memcpy(sorted, keys, (size_t)nports * sizeof *sorted);
        /* insertion-friendly: ports are few; a simple sort keeps it short */
        for (int64_t i = 1; i < nports; i++) {
            int64_t x = sorted[i], j = i - 1;
            while (j >= 0 && sorted[j] > x) sorted[j + 1] = sorted[j], j--;
            sorted[j + 1] = x;
        }
        int64_t nu = 0;
        for (int64_t i = 0; i < nports; i++)
            if (nu == 0 || sorted[nu - 1] != sorted[i]) sorted[nu++] = sorted[i];
        for (int64_t i = 0; i < N; i++) {
            if (flat->nodes[i].kind != PL_NODE_PORT || node_group[i] == INT32_MAX) continue;
            int64_t key = keys[node_group[i]], lo = 0, hi = nu - 1;
            while (lo < hi) {
                int64_t mid = (lo + hi) / 2;
                if (sorted[mid] < key) lo = mid + 1;
                else hi = mid;
            }
            node_group[i] = (int32_t)lo;
        }
        nid = (int32_t)nu;
        free(sorted);
        free(keys);
    }
    if (cfg->group_macros)
        for (int64_t i = 0; i < N; i++)
            if (flat->nodes[i].kind == PL_NODE_MACRO) node_group[i] = nid++;
    for (int64_t n = 0; n < flat->nnets; n++) {
        int64_t b = flat->net_pin_off[n], e = flat->net_pin_off[n + 1];
        if (e - b > cfg->fanout_max) continue;
        int32_t gmin = INT32_MAX;
        for (int64_t q = b; q < e; q++) {
            int32_t gi = node_group[flat->pins[flat->net_pins[q]].node];
            if (gi < gmin) gmin = gi;
        }
        if (gmin == INT32_MAX) continue;
        for (int64_t q = b; q < e; q++) {
            int32_t v = g->vertex_of[flat->pins[flat->net_pins[q]].node];
            if (v >= 0 && gmin < grp[v]) grp[v] = gmin;
        }
    }
    free(node_group);
    *ngroup_ids = nid;
    return PL_OK;
}

/* ---- community detection on the graph with each group contracted to one vertex ---- */

/* Contracted vertices: groups 0..ngroups-1, then the free cells in vertex order. */
typedef struct contracted {
    int32_t nv, ngroups, ncv;
    const int32_t *cv_of; /* (nv) */
    const double *varea;  /* (nv) */
    double mean;
    /* scratch for assign(): (ncv) each */
    int32_t *comm_group, *comm_cluster;
    uint8_t *comm_multi;
} contracted;

/* Cells -> clusters from a community of each contracted vertex: a community holding one group
 * joins it (like a fixed partition absorbing free cells); its free cells otherwise form one
 * cluster; groups stay apart. Clusters 0..ngroups-1 are the groups. Returns the count. */
static int32_t assign(contracted *ct, const int32_t *cm, int32_t ncomm, int32_t *of_cell)
{
    for (int32_t k = 0; k < ncomm; k++) ct->comm_group[k] = -1, ct->comm_multi[k] = 0, ct->comm_cluster[k] = -1;
    for (int32_t gi = 0; gi < ct->ngroups; gi++) {
        int32_t k = cm[gi];
        if (ct->comm_group[k] < 0) ct->comm_group[k] = gi;
        else ct->comm_multi[k] = 1;
    }
    int32_t nc = ct->ngroups;
    for (int32_t v = 0; v < ct->nv; v++) {
        int32_t x = ct->cv_of[v];
        if (x < ct->ngroups) {
            of_cell[v] = x;
            continue;
        }
        int32_t k = cm[x];
        if (ct->comm_group[k] >= 0 && !ct->comm_multi[k]) {
            of_cell[v] = ct->comm_group[k];
        } else {
            if (ct->comm_cluster[k] < 0) ct->comm_cluster[k] = nc++;
            of_cell[v] = ct->comm_cluster[k];
        }
    }
    return nc;
}

/* The clusters that merging will leave (area >= merge_factor * mean); split pieces do not count, so
 * the search aims at natural communities of about the mean size. */
static int64_t estimate(const contracted *ct, const int32_t *of_cell, int32_t nc, double *scratch,
                        const pl_cluster_config *cfg)
{
    for (int32_t c = 0; c < nc; c++) scratch[c] = 0;
    for (int32_t v = 0; v < ct->nv; v++) scratch[of_cell[v]] += ct->varea[v];
    int64_t count = 0;
    for (int32_t c = 0; c < nc; c++) {
        if (scratch[c] >= cfg->merge_factor * ct->mean) count++;
    }
    return count;
}

/* ---- clusters by position: recursive bisection ---- */

typedef struct keyed {
    double key;
    int32_t v;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/* Cells it[0..n) into k clusters numbered from *nc: cut along the longer side of their bounding box
 * where the area share of floor(k/2) clusters is reached, then each side again. */
static void bisect(keyed *it, int32_t n, int64_t k, const double *cx, const double *cy, const double *varea,
                   int32_t *of_cell, int32_t *nc)
{
    if (n == 0) return;
    if (k <= 1 || n == 1) {
        for (int32_t i = 0; i < n; i++) of_cell[it[i].v] = *nc;
        (*nc)++;
        return;
    }
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, area = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t v = it[i].v;
        x0 = fmin(x0, cx[v]), x1 = fmax(x1, cx[v]), y0 = fmin(y0, cy[v]), y1 = fmax(y1, cy[v]);
        area += varea[v];
    }
    const double *key = x1 - x0 >= y1 - y0 ? cx : cy;
    for (int32_t i = 0; i < n; i++) it[i].key = key[it[i].v];
    qsort(it, (size_t)n, sizeof *it, cmp_keyed);
    int64_t k1 = k / 2;
    double want = area * (double)k1 / (double)k, acc = 0;
    int32_t m = 0;
    while (m < n - 1 && acc + varea[it[m].v] <= want) acc += varea[it[m++].v];
    if (m == 0) m = 1;
    bisect(it, m, k1, cx, cy, varea, of_cell, nc);
    bisect(it + m, n - m, k - k1, cx, cy, varea, of_cell, nc);
}

/* Groups keep clusters 0..ngroups-1; the free cells are cut by position into round(their area /
 * mean) clusters. */
static pl_status bisect_free(const pl_netlist *flat, const pl_cluster_graph *g, const contracted *ct,
                             int32_t *of_cell, int32_t *nc_out)
{
    int32_t nv = ct->nv, nfree = 0;
    double free_area = 0;
    for (int32_t v = 0; v < nv; v++)
        if (ct->cv_of[v] >= ct->ngroups) free_area += ct->varea[v], nfree++;
    keyed *it = NULL;
    double *cx = NULL, *cy = NULL;
    if (!PL_ALLOC(it, nfree > 0 ? nfree : 1) || !PL_ALLOC(cx, nv) || !PL_ALLOC(cy, nv)) {
        free(it), free(cx);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    int32_t n = 0;
    for (int32_t v = 0; v < nv; v++) {
        const pl_node *nd = &flat->nodes[g->cell_node[v]];
        pl_node_center(nd, &cx[v], &cy[v]);
        if (ct->cv_of[v] < ct->ngroups) of_cell[v] = ct->cv_of[v];
        else it[n++].v = v;
    }
    int64_t k = llround(free_area / ct->mean);
    int32_t nc = ct->ngroups;
    bisect(it, n, k < 1 ? 1 : k, cx, cy, ct->varea, of_cell, &nc);
    *nc_out = nc;
    free(it), free(cx), free(cy);
    return PL_OK;
}

#ifdef PL_HAVE_IGRAPH
/* Leiden (modularity) at resolutions searched so that the estimated count nears `target`: grow or
 * shrink by (target/count)^2 until bracketed, then log-log interpolation. Each run reseeds igraph's
 * RNG, so a resolution always gives the same communities. The best assignment lands in of_cell. */
static pl_status leiden_search(const pl_cluster_graph *g, contracted *ct, int64_t target, const pl_cluster_config *cfg,
                               int32_t *of_cell, int32_t *nc_out, double *res_out, int *runs_out)
{
    igraph_t ig;
    igraph_vector_int_t edges, membership;
    igraph_vector_t w, nodew;
    memset(&edges, 0, sizeof edges);
    memset(&membership, 0, sizeof membership);
    memset(&w, 0, sizeof w);
    memset(&nodew, 0, sizeof nodew);
    int64_t nce = 0;
    for (int64_t i = 0; i < g->ne; i++) nce += ct->cv_of[g->eu[i]] != ct->cv_of[g->ev[i]];
    int32_t *cm = NULL, *cand = NULL;
    double *scratch;
    if (!PL_ALLOC(cm, ct->ncv) || !PL_ALLOC(cand, ct->nv) || !PL_ALLOC(scratch, ct->nv)) {
        free(cm), free(cand);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    igraph_error_handler_t *old_err = igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_warning_handler_t *old_warn = igraph_set_warning_handler(igraph_warning_handler_ignore);
    pl_status s = PL_OK;
    int have_graph = 0;
    if (igraph_vector_int_init(&edges, 2 * nce) || igraph_vector_init(&w, nce) ||
        igraph_vector_init(&nodew, ct->ncv) || igraph_vector_int_init(&membership, ct->ncv)) {
        s = pl_err(PL_ENOMEM, "cluster: out of memory (igraph)");
        goto out;
    }
    double m2 = 0;
    int64_t k = 0;
    for (int64_t i = 0; i < g->ne; i++) {
        int32_t a = ct->cv_of[g->eu[i]], b = ct->cv_of[g->ev[i]];
        VECTOR(nodew)[a] += g->ew[i]; /* strengths keep the contracted groups' inner weight */
        VECTOR(nodew)[b] += g->ew[i];
        m2 += 2 * g->ew[i];
        if (a == b) continue;
        VECTOR(edges)[2 * k] = a;
        VECTOR(edges)[2 * k + 1] = b;
        VECTOR(w)[k] = g->ew[i];
        k++;
    }
    if (igraph_create(&ig, &edges, ct->ncv, IGRAPH_UNDIRECTED)) {
        s = pl_err(PL_ENOMEM, "cluster: igraph_create failed");
        goto out;
    }
    have_graph = 1;
    if (m2 <= 0) m2 = 1;
    double gam = 1.0, lo = 0, hi = 0, best_diff = INFINITY;
    int64_t c_lo = 0, c_hi = 0;
    int runs = 0;
    while (runs < cfg->max_runs) {
        igraph_integer_t nb = 0;
        igraph_real_t quality;
        igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)cfg->seed);
        if (igraph_community_leiden(&ig, &w, &nodew, gam / m2, 0.01, 0, 2, &membership, &nb, &quality)) {
            s = pl_err(PL_ENOMEM, "cluster: igraph_community_leiden failed");
            goto out;
        }
        runs++;
        for (int32_t x = 0; x < ct->ncv; x++) cm[x] = (int32_t)VECTOR(membership)[x];
        int32_t nc = assign(ct, cm, (int32_t)nb, cand);
        int64_t c = estimate(ct, cand, nc, scratch, cfg);
        double diff = fabs((double)(c - target));
        pl_debug("cluster", "leiden resolution %.4g: %lld communities, %d clusters, estimate %lld (target %lld)", gam,
                 (long long)nb, nc, (long long)c, (long long)target);
        if (diff < best_diff) {
            best_diff = diff;
            memcpy(of_cell, cand, (size_t)ct->nv * sizeof *of_cell);
            *nc_out = nc;
            *res_out = gam;
        }
        if (diff <= cfg->tolerance * (double)target) break;
        if (c < target) lo = gam, c_lo = c;
        else hi = gam, c_hi = c;
        if (lo > 0 && hi > 0) {
            if (hi / lo < 1.001) break;
            double a = log(c_lo > 0 ? (double)c_lo : 0.5), b = log((double)c_hi);
            double t = b > a ? (log((double)target) - a) / (b - a) : 0.5;
            t = t < 0.15 ? 0.15 : t > 0.85 ? 0.85 : t;
            gam = exp(log(lo) + t * (log(hi) - log(lo)));
        } else {
            double f = (double)target / (double)(c > 0 ? c : 1);
            f = f * f;
            if (c < target) f = f < 1.5 ? 1.5 : f > 100 ? 100 : f;
            else f = f > 1 / 1.5 ? 1 / 1.5 : f < 0.01 ? 0.01 : f;
            gam *= f;
            if (gam < 1e-6 || gam > 1e6) break;
        }
    }
    *runs_out = runs;
out:
    if (have_graph) igraph_destroy(&ig);
    igraph_vector_int_destroy(&edges);
    igraph_vector_destroy(&w);
    igraph_vector_destroy(&nodew);
    igraph_vector_int_destroy(&membership);
    igraph_set_error_handler(old_err);
    igraph_set_warning_handler(old_warn);
    free(cm);
    free(cand);
    free(scratch);
    return s;
}
#endif

/* ---- split and merge ---- */

/* Members of each cluster in vertex order (CSR). */
static pl_status members_build(const int32_t *memb, int32_t nv, int32_t nc, int32_t **off_out, int32_t **list_out)
{
    int32_t *off, *list;
    if (!PL_CALLOC(off, (int64_t)nc + 1) || !PL_ALLOC(list, nv)) {
        free(off);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    for (int32_t v = 0; v < nv; v++) off[memb[v] + 1]++;
    for (int32_t c = 0; c < nc; c++) off[c + 1] += off[c];
    int32_t *fill;
    if (!PL_ALLOC(fill, nc)) {
        free(off);
        free(list);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    memcpy(fill, off, (size_t)nc * sizeof *fill);
    for (int32_t v = 0; v < nv; v++) list[fill[memb[v]]++] = v;
    free(fill);
    *off_out = off;
    *list_out = list;
    return PL_OK;
}

/* Splits clusters with area > split_factor * mean into ceil(area / mean) pieces of about equal
 * area, cut along a breadth-first order inside the cluster. New ids are appended. */
static pl_status split_large(int32_t *memb, int32_t nv, int32_t *nc, uint8_t **is_group, int64_t *gcap,
                             const double *varea, const adj *a, double mean, const pl_cluster_config *cfg)
{
    int32_t *off, *list;
    PL_TRY(members_build(memb, nv, *nc, &off, &list));
    int32_t *queue, *seen;
    if (!PL_ALLOC(queue, nv) || !PL_ALLOC(seen, nv)) {
        free(off);
        free(list);
        free(queue);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    for (int32_t v = 0; v < nv; v++) seen[v] = 0;
    int32_t n0 = *nc;
    pl_status s = PL_OK;
    for (int32_t c = 0; c < n0 && s == PL_OK; c++) {
        double area = 0;
        for (int32_t i = off[c]; i < off[c + 1]; i++) area += varea[list[i]];
        if (!(area > cfg->split_factor * mean) || off[c + 1] - off[c] < 2) continue;
        int pieces = (int)ceil(area / mean);
        /* BFS order over the cluster's induced subgraph, components in vertex order */
        int32_t qn = 0;
        for (int32_t i = off[c]; i < off[c + 1]; i++) {
            int32_t r = list[i];
            if (seen[r]) continue;
            seen[r] = 1;
            int32_t qh = qn;
            queue[qn++] = r;
            while (qh < qn) {
                int32_t v = queue[qh++];
                for (int64_t e = a->off[v]; e < a->off[v + 1]; e++) {
                    int32_t u = a->to[e];
                    if (!seen[u] && memb[u] == c) seen[u] = 1, queue[qn++] = u;
                }
            }
        }
        double acc = 0, step = area / pieces;
        int piece = 0;
        int32_t id = c;
        s = PL_GROW(*is_group, *gcap, (int64_t)*nc + pieces);
        for (int32_t i = 0; i < qn && s == PL_OK; i++) {
            int32_t v = queue[i];
            if (acc >= (piece + 1) * step && piece + 1 < pieces) {
                piece++;
                id = (*nc)++;
                (*is_group)[id] = (*is_group)[c];
            }
            memb[v] = id;
            acc += varea[v];
        }
    }
    free(off);
    free(list);
    free(queue);
    free(seen);
    return s;
}

static int32_t find_root(int32_t *redirect, int32_t c)
{
    int32_t r = c;
    while (redirect[r] != r) r = redirect[r];
    while (redirect[c] != r) {
        int32_t n = redirect[c];
        redirect[c] = r;
        c = n;
    }
    return r;
}

/* Merges clusters below merge_factor * mean area into the neighbour they share the most weight
 * with (ties: the lower id); two groups never merge. Clusters without neighbours are pooled. */
static pl_status merge_small(int32_t *memb, int32_t nv, int32_t nc, const uint8_t *is_group, const double *varea,
                             const adj *a, double mean, const pl_cluster_config *cfg)
{
    double *area, *acc;
    int32_t *redirect, *touched;
    uint8_t *changed, *lonely;
    area = acc = NULL;
    redirect = touched = NULL;
    changed = lonely = NULL;
    pl_status s = PL_OK;
    if (!PL_ALLOC(area, nc) || !PL_ALLOC(acc, nc) || !PL_ALLOC(redirect, nc) || !PL_ALLOC(touched, nc) ||
        !PL_ALLOC(changed, nc) || !PL_ALLOC(lonely, nc)) {
        free(area), free(acc), free(redirect), free(touched), free(changed), free(lonely);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    for (int32_t c = 0; c < nc; c++) area[c] = 0, acc[c] = 0, redirect[c] = c, lonely[c] = 0;
    for (int32_t v = 0; v < nv; v++) area[memb[v]] += varea[v];
    double thr = cfg->merge_factor * mean;
    for (int pass = 0; pass < 32 && s == PL_OK; pass++) {
        int32_t *off, *list;
        s = members_build(memb, nv, nc, &off, &list);
        if (s != PL_OK) break;
        memset(changed, 0, (size_t)nc);
        int merges = 0;
        for (int32_t c = 0; c < nc; c++) {
            if (redirect[c] != c || changed[c] || off[c + 1] == off[c] || !(area[c] < thr)) continue;
            int32_t nt = 0;
            for (int32_t i = off[c]; i < off[c + 1]; i++) {
                int32_t v = list[i];
                for (int64_t e = a->off[v]; e < a->off[v + 1]; e++) {
                    int32_t d = find_root(redirect, memb[a->to[e]]);
                    if (d == c) continue;
                    if (acc[d] == 0) touched[nt++] = d;
                    acc[d] += a->w[e];
                }
            }
            int32_t best = -1;
            for (int32_t t = 0; t < nt; t++) {
                int32_t d = touched[t];
                if (!(is_group[c] && is_group[d]) &&
                    (best < 0 || acc[d] > acc[best] || (acc[d] == acc[best] && d < best)))
                    best = d;
            }
            for (int32_t t = 0; t < nt; t++) acc[touched[t]] = 0;
            if (best < 0) {
                lonely[c] = nt == 0;
                continue;
            }
            redirect[c] = best;
            area[best] += area[c];
            area[c] = 0;
            changed[best] = 1;
            merges++;
        }
        for (int32_t v = 0; v < nv; v++) memb[v] = find_root(redirect, memb[v]);
        free(off);
        free(list);
        if (!merges) break;
    }
    /* tiny clusters with no neighbour at all: pooled into the first of them */
    int32_t pool = -1;
    for (int32_t c = 0; c < nc && s == PL_OK; c++) {
        if (redirect[c] != c || !lonely[c] || !(area[c] < thr) || area[c] <= 0) continue;
        if (pool < 0) pool = c;
        else redirect[c] = pool;
    }
    for (int32_t v = 0; v < nv; v++) memb[v] = find_root(redirect, memb[v]);
    free(area);
    free(acc);
    free(redirect);
    free(touched);
    free(changed);
    free(lonely);
    return s;
}

/* ---- the whole run ---- */

void pl_cluster_free(pl_cluster *cl)
{
    if (!cl) return;
    pl_cluster_graph_free(&cl->g);
    free(cl->of_cell);
    free(cl->of_node);
    free(cl->area);
    free(cl->size);
    memset(cl, 0, sizeof *cl);
}

pl_status pl_cluster_run(pl_cluster *cl, const pl_netlist *flat, const pl_cluster_config *cfg)
{
    memset(cl, 0, sizeof *cl);
#ifndef PL_HAVE_IGRAPH
    (void)flat;
    (void)cfg;
    return pl_err(PL_ENOTSUP, "cluster: built without igraph (install libigraph-dev and rebuild)");
#else
    if (!(cfg->utilization > 0) || cfg->fanout_max < 2 || cfg->clique_max < 2 || !(cfg->merge_factor >= 0) ||
        !(cfg->split_factor > 1) || cfg->max_runs < 1)
        return pl_err(PL_EINVAL, "cluster: bad configuration (utilization > 0, fanout and clique >= 2, split > 1)");
    PL_TRY(pl_cluster_graph_build(&cl->g, flat, cfg));
    const pl_cluster_graph *g = &cl->g;
    int32_t nv = g->nv;
    if (!PL_ALLOC(cl->of_node, flat->nnodes) || !PL_ALLOC(cl->of_cell, nv))
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    for (int64_t i = 0; i < flat->nnodes; i++) cl->of_node[i] = -1;
    if (nv == 0) return PL_OK;
    int64_t target = cfg->target > 0 ? cfg->target : llround(2.0 * sqrt((double)nv));
    if (target < 1) target = 1;
    if (cfg->target <= 0 && target > 1000) target = 1000;
    if (target > nv) target = nv;

    double *varea;
    int32_t *grp, *fidx, *memb = cl->of_cell;
    uint8_t *is_group = NULL;
    adj a = {0};
    if (!PL_ALLOC(varea, nv) || !PL_ALLOC(grp, nv) || !PL_ALLOC(fidx, nv))
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    double total_area = 0;
    for (int32_t v = 0; v < nv; v++) {
        const pl_node *nd = &flat->nodes[g->cell_node[v]];
        varea[v] = nd->w * nd->h;
        total_area += varea[v];
    }
    double mean = total_area > 0 ? total_area / (double)target : 1;
    if (!(total_area > 0)) {
        for (int32_t v = 0; v < nv; v++) varea[v] = 1;
        mean = (double)nv / (double)target;
    }
    int32_t ngid = 0;
    pl_status s = groups_assign(flat, g, cfg, grp, &ngid);
    /* contracted vertices: groups with cells (compact ids), then free cells */
    int32_t *gmap = NULL, nc = 0, ngroups = 0, ncv = 0;
    contracted ct = {0};
    if (s == PL_OK && !PL_ALLOC(gmap, ngid)) s = pl_err(PL_ENOMEM, "cluster: out of memory");
    if (s == PL_OK) {
        for (int32_t i = 0; i < ngid; i++) gmap[i] = -1;
        for (int32_t v = 0; v < nv; v++)
            if (grp[v] != INT32_MAX && gmap[grp[v]] < 0) gmap[grp[v]] = ngroups++;
        ncv = ngroups;
        for (int32_t v = 0; v < nv; v++) fidx[v] = grp[v] != INT32_MAX ? gmap[grp[v]] : ncv++;
        cl->ngroups = ngroups;
        ct = (contracted){nv, ngroups, ncv, fidx, varea, mean, NULL, NULL, NULL};
        if (!PL_ALLOC(ct.comm_group, ncv) || !PL_ALLOC(ct.comm_cluster, ncv) || !PL_ALLOC(ct.comm_multi, ncv))
            s = pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    if (s == PL_OK) s = adj_build(&a, g);
    cl->physical = cfg->physical != 0;
    if (s == PL_OK && cfg->physical) s = bisect_free(flat, g, &ct, memb, &nc);
    else if (s == PL_OK) s = leiden_search(g, &ct, target, cfg, memb, &nc, &cl->resolution, &cl->leiden_runs);
    free(ct.comm_group);
    free(ct.comm_cluster);
    free(ct.comm_multi);
    if (s == PL_OK && !PL_CALLOC(is_group, nc))
        s = pl_err(PL_ENOMEM, "cluster: out of memory");
    for (int32_t c = 0; s == PL_OK && c < cl->ngroups && c < nc; c++) is_group[c] = 1;
    int64_t gcap = nc > 0 ? nc : 1;
    if (s == PL_OK) s = split_large(memb, nv, &nc, &is_group, &gcap, varea, &a, mean, cfg);
    if (s == PL_OK) s = merge_small(memb, nv, nc, is_group, varea, &a, mean, cfg);
    /* renumber by first vertex */
    int32_t *renum = NULL;
    if (s == PL_OK && !PL_ALLOC(renum, nc)) s = pl_err(PL_ENOMEM, "cluster: out of memory");
    if (s == PL_OK) {
        for (int32_t c = 0; c < nc; c++) renum[c] = -1;
        int32_t k = 0;
        for (int32_t v = 0; v < nv; v++) {
            if (renum[memb[v]] < 0) renum[memb[v]] = k++;
            memb[v] = renum[memb[v]];
        }
        cl->nclusters = k;
        if (!PL_ALLOC(cl->area, k) || !PL_ALLOC(cl->size, k)) s = pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    if (s == PL_OK) {
        for (int32_t c = 0; c < cl->nclusters; c++) cl->area[c] = 0, cl->size[c] = 0;
        for (int32_t v = 0; v < nv; v++) {
            const pl_node *nd = &flat->nodes[g->cell_node[v]];
            cl->area[memb[v]] += nd->w * nd->h;
            cl->size[memb[v]]++;
            cl->of_node[g->cell_node[v]] = memb[v];
        }
        cl->cut = pl_cluster_graph_cut(g, memb);
        cl->total = 0;
        for (int64_t i = 0; i < g->ne; i++) cl->total += g->ew[i];
        if (cfg->physical)
            pl_info("cluster", "%d cells -> %d clusters (%d groups, target %lld) by position, cut %.1f of %.1f", nv,
                    cl->nclusters, cl->ngroups, (long long)target, cl->cut, cl->total);
        else
            pl_info("cluster", "%d cells -> %d clusters (%d groups, target %lld, resolution %.4g after %d Leiden runs), "
                    "cut %.1f of %.1f", nv, cl->nclusters, cl->ngroups, (long long)target, cl->resolution,
                    cl->leiden_runs, cl->cut, cl->total);
    }
    free(renum);
    free(gmap);
    free(is_group);
    adj_free(&a);
    free(varea);
    free(grp);
    free(fidx);
    return s;
#endif
}
