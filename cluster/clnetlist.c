/* clnetlist.c: the clustered netlist and its GraphML; see clnetlist.h. */
#include "cluster/clnetlist.h"
#include "core/tmpfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/ctpb_write.h"
#include "core/alloc.h"
#include "core/log.h"

#ifdef PL_HAVE_IGRAPH
#include <igraph.h>
#endif


/* Endpoint of a clustered net: kind in the top bits, id below. */
enum { EP_SOFT = 0, EP_MPIN = 1, EP_PORT = 2 };
#define EP(kind, id) (((int64_t)(kind) << 40) | (int64_t)(id))
#define EP_KIND(e) ((int)((e) >> 40))
#define EP_ID(e) ((int32_t)((e) & ((INT64_C(1) << 40) - 1)))

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t hash_seq(const int64_t *s, int32_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (int32_t i = 0; i < n; i++) {
        h ^= (uint64_t)s[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

typedef struct cand {
    int64_t off;    /* into seq */
    int32_t n;      /* endpoints, driver first */
    int32_t first;  /* first flat net */
    double weight;
} cand;

/* The distinct endpoint sequences (driver, sorted sinks) of the flat nets, merged. */
typedef struct cand_set {
    cand *c;
    int64_t nc, cc;
    int64_t *seq;
    int64_t nseq, cseq;
    int32_t *table; /* open addressing over candidates, -1 empty */
    int64_t tsize;
} cand_set;

static pl_status cand_add(cand_set *cs, const int64_t *ep, int32_t n, int32_t net, double w)
{
    uint64_t h = hash_seq(ep, n);
    int64_t mask = cs->tsize - 1, slot = (int64_t)(h & (uint64_t)mask);
    for (;; slot = (slot + 1) & mask) {
        int32_t k = cs->table[slot];
        if (k < 0) break;
        const cand *c = &cs->c[k];
        if (c->n == n && !memcmp(cs->seq + c->off, ep, (size_t)n * sizeof *ep)) {
            cs->c[k].weight += w;
            return PL_OK;
        }
    }
    PL_TRY(PL_GROW(cs->c, cs->cc, cs->nc + 1));
    PL_TRY(PL_GROW(cs->seq, cs->cseq, cs->nseq + n));
    memcpy(cs->seq + cs->nseq, ep, (size_t)n * sizeof *ep);
    cs->c[cs->nc] = (cand){cs->nseq, n, net, w};
    cs->table[slot] = (int32_t)cs->nc++;
    cs->nseq += n;
    return PL_OK;
}

static pl_status collect_nets(cand_set *cs, const pl_netlist *flat, const pl_cluster *cl, const pl_cluster_config *cfg)
{
    memset(cs, 0, sizeof *cs);
    cs->tsize = 1;
    while (cs->tsize < 2 * flat->nnets + 2) cs->tsize <<= 1;
    int64_t *ep;
    int32_t *stamp;
    if (!PL_ALLOC(cs->table, cs->tsize) || !PL_ALLOC(ep, cfg->fanout_max + 1) ||
        !PL_ALLOC(stamp, cl->nclusters + flat->nnodes))
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    for (int64_t i = 0; i < cs->tsize; i++) cs->table[i] = -1;
    for (int64_t i = 0; i < cl->nclusters + flat->nnodes; i++) stamp[i] = -1;
    pl_status s = PL_OK;
    for (int64_t n = 0; n < flat->nnets && s == PL_OK; n++) {
        int64_t b = flat->net_pin_off[n], e = flat->net_pin_off[n + 1];
        if (e - b > cfg->fanout_max || e - b < 2) continue;
        int32_t k = 0;
        for (int64_t q = b; q < e; q++) {
            int32_t p = flat->net_pins[q], node = flat->pins[p].node;
            const pl_node *nd = &flat->nodes[node];
            int64_t x;
            int32_t key;
            if (nd->kind == PL_NODE_STDCELL) x = EP(EP_SOFT, cl->of_node[node]), key = cl->of_node[node];
            else if (nd->kind == PL_NODE_MACRO) x = EP(EP_MPIN, p), key = -1;
            else if (nd->kind == PL_NODE_PORT) x = EP(EP_PORT, node), key = cl->nclusters + node;
            else continue;
            if (key >= 0) {
                if (stamp[key] == (int32_t)n) continue;
                stamp[key] = (int32_t)n;
            }
            ep[k++] = x;
        }
        if (k < 2) continue;
        /* driver first (the flat driver, else the first endpoint), sinks sorted */
        qsort(ep + 1, (size_t)(k - 1), sizeof *ep, cmp_i64);
        s = cand_add(cs, ep, k, (int32_t)n, flat->nets[n].weight > 0 ? flat->nets[n].weight : 1.0);
    }
    free(ep);
    free(stamp);
    return s;
}

static void cand_free(cand_set *cs)
{
    free(cs->c);
    free(cs->seq);
    free(cs->table);
}

/* Where the flat nodes and the clusters went in the clustered netlist, and the soft macros' pin state. */
typedef struct node_map {
    int32_t *newidx;     /* (flat nnodes) clustered index of a port or macro, -1 otherwise */
    int32_t *softidx;    /* (nclusters) clustered index of each soft macro */
    const char **pin_in; /* (nclusters) the shared input pin name of each soft macro, in out's pool */
    int32_t *outcount;   /* (nclusters) output pins named so far per soft macro */
} node_map;

/* Design name, units and a die moved to the origin, W x H. */
static pl_status copy_header(pl_netlist *out, const pl_netlist *flat, double W, double H)
{
    if (flat->design) {
        out->design = pl_netlist_str(out, flat->design, strlen(flat->design));
        if (!out->design) return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    out->dbu_per_micron = flat->dbu_per_micron;
    out->has_die = flat->has_die;
    out->die = (pl_rect){0, 0, W, H};
    return PL_OK;
}

/* A port fixed at its first pin (else its centre), shifted by (-ox, -oy). */
static void copy_port(pl_node *d, const pl_netlist *flat, int64_t i, double ox, double oy)
{
    double x, y;
    int64_t pb = flat->node_pin_off[i];
    if (pb < flat->node_pin_off[i + 1]) pl_pin_position(flat, flat->node_pins[pb], &x, &y);
    else pl_node_center(&flat->nodes[i], &x, &y);
    d->x = x - ox, d->y = y - oy;
    d->state = PL_PLACE_FIXED;
}

/* A hard macro as it is, shifted by (-ox, -oy). */
static void copy_macro(pl_node *d, const pl_node *src, double ox, double oy)
{
    d->w = src->w, d->h = src->h;
    d->x = src->x - ox, d->y = src->y - oy;
    d->orient = src->orient;
    d->state = src->state;
    memcpy(d->halo, src->halo, sizeof d->halo);
    d->halo_soft = src->halo_soft;
    d->weight = src->weight;
}

/* The ports, then the hard macros, in flat order; fills newidx. */
static pl_status add_fixed_nodes(pl_netlist *out, const pl_netlist *flat, int32_t *newidx, double ox, double oy)
{
    pl_status s = PL_OK;
    for (int pass = 0; pass < 2; pass++) {
        pl_node_kind want = pass == 0 ? PL_NODE_PORT : PL_NODE_MACRO;
        for (int64_t i = 0; i < flat->nnodes && s == PL_OK; i++) {
            const pl_node *src = &flat->nodes[i];
            if (pass == 0) newidx[i] = -1;
            if (src->kind != want) continue;
            int32_t k;
            s = pl_netlist_add_node(out, src->name, strlen(src->name), want, &k);
            if (s != PL_OK) break;
            newidx[i] = k;
            pl_node *d = &out->nodes[k];
            if (want == PL_NODE_PORT) copy_port(d, flat, i, ox, oy);
            else copy_macro(d, src, ox, oy);
        }
    }
    return s;
}

/* One unplaced soft macro Grp_<c> per cluster, centred in the W x H die; fills softidx, pin_in, outcount. */
static pl_status add_soft_nodes(pl_netlist *out, const pl_cluster *cl, const pl_cluster_config *cfg, double W,
                                double H, node_map *map)
{
    pl_status s = PL_OK;
    for (int32_t c = 0; c < cl->nclusters && s == PL_OK; c++) {
        char name[64], pname[80];
        snprintf(name, sizeof name, "Grp_%d", c);
        s = pl_netlist_add_node(out, name, strlen(name), PL_NODE_SOFT, &map->softidx[c]);
        if (s != PL_OK) {
            s = pl_err(PL_EINVAL, "cluster: a node named '%s' exists already", name);
            break;
        }
        pl_node *d = &out->nodes[map->softidx[c]];
        double side = sqrt(cl->area[c] / cfg->utilization);
        d->w = d->h = side;
        d->x = 0.5 * (W - side), d->y = 0.5 * (H - side);
        d->state = PL_PLACE_UNPLACED;
        snprintf(pname, sizeof pname, "%s/Pinput", name);
        map->pin_in[c] = pl_netlist_str(out, pname, strlen(pname));
        map->outcount[c] = 0;
        if (!map->pin_in[c]) s = pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    return s;
}

/* A pin of soft macro id at its centre: the driver gets its own output pin named for `fan`
 * ("single"/"multi"), a sink (fan NULL) the shared input pin. */
static pl_status add_soft_pin(pl_netlist *out, node_map *map, int32_t id, int32_t net, const char *fan, int32_t *pp)
{
    pl_node *sm = &out->nodes[map->softidx[id]];
    int32_t p;
    pl_status s = pl_netlist_add_pin(out, map->softidx[id], net, &p);
    if (s != PL_OK) return s;
    *pp = p;
    out->pins[p].dx = 0.5 * sm->w, out->pins[p].dy = 0.5 * sm->h;
    if (fan) {
        char pname[96];
        snprintf(pname, sizeof pname, "Grp_%d/Poutput_%s_%d", id, fan, map->outcount[id]++);
        out->pins[p].name = pl_netlist_str(out, pname, strlen(pname));
        out->pins[p].dir = PL_DIR_OUTPUT;
        if (!out->pins[p].name) s = pl_err(PL_ENOMEM, "cluster: out of memory");
    } else {
        out->pins[p].name = map->pin_in[id];
        out->pins[p].dir = PL_DIR_INPUT;
    }
    return s;
}

/* Flat macro pin id, copied onto its macro and named <macro>/<pin>. */
static pl_status add_macro_pin(pl_netlist *out, const pl_netlist *flat, const int32_t *newidx, int32_t id,
                               int32_t net, int32_t *pp)
{
    const pl_pin *fp = &flat->pins[id];
    const char *mn = flat->nodes[fp->node].name, *pn = pl_pin_name(flat, id);
    size_t la = strlen(mn), lb = strlen(pn);
    char *full = malloc(la + lb + 2);
    if (!full) return pl_err(PL_ENOMEM, "cluster: out of memory");
    memcpy(full, mn, la);
    full[la] = '/';
    memcpy(full + la + 1, pn, lb + 1);
    int32_t p;
    pl_status s = pl_netlist_add_pin(out, newidx[fp->node], net, &p);
    if (s == PL_OK) {
        *pp = p;
        out->pins[p].dx = fp->dx, out->pins[p].dy = fp->dy;
        out->pins[p].dir = fp->dir;
        out->pins[p].name = pl_netlist_str(out, full, la + lb + 1);
        if (!out->pins[p].name) s = pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    free(full);
    return s;
}

/* The clustered net of candidate cd, named after its first flat net, its endpoints as pins, driver first. */
static pl_status add_net(pl_netlist *out, const pl_netlist *flat, const cand_set *cs, const cand *cd, node_map *map)
{
    const pl_net *fn = &flat->nets[cd->first];
    int32_t net;
    pl_status s = pl_netlist_append_net(out, fn->name, strlen(fn->name), &net);
    if (s != PL_OK) return s;
    out->nets[net].weight = cd->weight;
    for (int32_t i = 0; i < cd->n && s == PL_OK; i++) {
        int64_t e = cs->seq[cd->off + i];
        int32_t id = EP_ID(e), p = -1;
        if (EP_KIND(e) == EP_SOFT) {
            s = add_soft_pin(out, map, id, net, i == 0 ? (cd->n == 2 ? "single" : "multi") : NULL, &p);
        } else if (EP_KIND(e) == EP_MPIN) {
            s = add_macro_pin(out, flat, map->newidx, id, net, &p);
        } else {
            s = pl_netlist_add_pin(out, map->newidx[id], net, &p);
            if (s == PL_OK) out->pins[p].dir = i == 0 ? PL_DIR_INPUT : PL_DIR_OUTPUT;
        }
        if (s == PL_OK && i == 0) out->nets[net].driver = p;
    }
    return s;
}

pl_status pl_cluster_netlist_build(pl_netlist *out, const pl_netlist *flat, const pl_cluster *cl,
                                   const pl_cluster_config *cfg)
{
    pl_netlist_init(out);
    if (!flat->finalized) return pl_err(PL_EINVAL, "cluster: the netlist is not finalized");
    double ox = flat->has_die ? flat->die.x0 : 0, oy = flat->has_die ? flat->die.y0 : 0;
    double W = flat->has_die ? flat->die.x1 - flat->die.x0 : 0, H = flat->has_die ? flat->die.y1 - flat->die.y0 : 0;
    PL_TRY(copy_header(out, flat, W, H));
    node_map map = {NULL, NULL, NULL, NULL};
    if (!PL_ALLOC(map.newidx, flat->nnodes) || !PL_ALLOC(map.softidx, cl->nclusters)) {
        free(map.newidx);
        return pl_err(PL_ENOMEM, "cluster: out of memory");
    }
    pl_status s = add_fixed_nodes(out, flat, map.newidx, ox, oy);
    if (s == PL_OK && (!PL_ALLOC(map.pin_in, cl->nclusters) || !PL_ALLOC(map.outcount, cl->nclusters)))
        s = pl_err(PL_ENOMEM, "cluster: out of memory");
    if (s == PL_OK) s = add_soft_nodes(out, cl, cfg, W, H, &map);
    cand_set cs;
    memset(&cs, 0, sizeof cs);
    if (s == PL_OK) s = collect_nets(&cs, flat, cl, cfg);
    for (int64_t k = 0; k < cs.nc && s == PL_OK; k++) s = add_net(out, flat, &cs, &cs.c[k], &map);
    cand_free(&cs);
    free(map.pin_in);
    free(map.outcount);
    free(map.newidx);
    free(map.softidx);
    if (s == PL_OK) s = pl_netlist_finalize(out);
    if (s == PL_OK) s = pl_ctpb_index(out);
    return s;
}

/* ---- GraphML ---- */

#ifdef PL_HAVE_IGRAPH
typedef struct wedge {
    int32_t u, v;
    double w;
} wedge;

static int cmp_wedge(const void *a, const void *b)
{
    const wedge *x = a, *y = b;
    if (x->u != y->u) return (x->u > y->u) - (x->u < y->u);
    return (x->v > y->v) - (x->v < y->v);
}

static const char *kind_label(pl_node_kind k)
{
    switch (k) {
    case PL_NODE_MACRO: return "macro";
    case PL_NODE_SOFT: return "soft";
    case PL_NODE_PORT: return "port";
    case PL_NODE_STDCELL: return "stdcell";
    default: return "other";
    }
}

static pl_status graphml_fill(igraph_t *ig, const pl_netlist *nl, wedge *ed, int64_t ne)
{
    igraph_vector_int_t edges;
    if (igraph_vector_int_init(&edges, 2 * ne)) return pl_err(PL_ENOMEM, "graphml: out of memory");
    for (int64_t i = 0; i < ne; i++) VECTOR(edges)[2 * i] = ed[i].u, VECTOR(edges)[2 * i + 1] = ed[i].v;
    int bad = igraph_create(ig, &edges, nl->nnodes, IGRAPH_UNDIRECTED) != IGRAPH_SUCCESS;
    igraph_vector_int_destroy(&edges);
    if (bad) return pl_err(PL_ENOMEM, "graphml: igraph_create failed");
    for (int64_t i = 0; i < nl->nnodes && !bad; i++) {
        const pl_node *n = &nl->nodes[i];
        double cx, cy;
        pl_node_center(n, &cx, &cy);
        bad = igraph_cattribute_VAS_set(ig, "name", i, n->name) || igraph_cattribute_VAS_set(ig, "type", i, kind_label(n->kind)) ||
              igraph_cattribute_VAN_set(ig, "x", i, cx) || igraph_cattribute_VAN_set(ig, "y", i, cy) ||
              igraph_cattribute_VAN_set(ig, "width", i, pl_node_width(n)) ||
              igraph_cattribute_VAN_set(ig, "height", i, pl_node_height(n));
    }
    for (int64_t i = 0; i < ne && !bad; i++) bad = igraph_cattribute_EAN_set(ig, "weight", i, ed[i].w);
    if (bad) {
        igraph_destroy(ig);
        return pl_err(PL_ENOMEM, "graphml: setting attributes failed");
    }
    return PL_OK;
}
#endif

pl_status pl_cluster_graphml_write(const pl_netlist *nl, const char *path)
{
#ifndef PL_HAVE_IGRAPH
    (void)nl;
    return pl_err(PL_ENOTSUP, "%s: GraphML needs igraph (install libigraph-dev and rebuild)", path);
#else
    if (!nl->finalized) return pl_err(PL_EINVAL, "graphml: the netlist is not finalized");
    wedge *ed = NULL;
    int64_t ne = 0, cap = 0;
    pl_status s = PL_OK;
    for (int64_t n = 0; n < nl->nnets && s == PL_OK; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        if (e - b < 2) continue;
        int32_t d = nl->pins[nl->net_pins[b]].node;
        for (int64_t q = b + 1; q < e && s == PL_OK; q++) {
            int32_t t = nl->pins[nl->net_pins[q]].node;
            if (t == d) continue;
            s = PL_GROW(ed, cap, ne + 1);
            if (s == PL_OK) ed[ne++] = d < t ? (wedge){d, t, nl->nets[n].weight} : (wedge){t, d, nl->nets[n].weight};
        }
    }
    if (s != PL_OK) {
        free(ed);
        return pl_err(PL_ENOMEM, "graphml: out of memory");
    }
    if (ne > 1) qsort(ed, (size_t)ne, sizeof *ed, cmp_wedge);
    int64_t m = 0;
    for (int64_t i = 0; i < ne; i++) {
        if (m > 0 && ed[m - 1].u == ed[i].u && ed[m - 1].v == ed[i].v) ed[m - 1].w += ed[i].w;
        else ed[m++] = ed[i];
    }
    igraph_error_handler_t *old_err = igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_warning_handler_t *old_warn = igraph_set_warning_handler(igraph_warning_handler_ignore);
    igraph_attribute_table_t *old_attr = igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_t ig;
    s = graphml_fill(&ig, nl, ed, m);
    free(ed);
    if (s == PL_OK) {
        char *tmp;
        FILE *f;
        s = pl_tmpfile_open(path, &tmp, &f);
        if (s == PL_OK) {
            if (igraph_write_graph_graphml(&ig, f, 1) != IGRAPH_SUCCESS) s = pl_err(PL_EIO, "%s: write failed", path);
            s = pl_tmpfile_finish(s, f, tmp, path);
        }
        igraph_destroy(&ig);
    }
    igraph_set_attribute_table(old_attr);
    igraph_set_error_handler(old_err);
    igraph_set_warning_handler(old_warn);
    return s;
#endif
}
