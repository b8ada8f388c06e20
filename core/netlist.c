/* netlist.c: see netlist.h. */
#include "core/netlist.h"

#include <stdlib.h>
#include <string.h>

void pl_rect_include(pl_rect *r, int first, double x, double y)
{
    if (first || x < r->x0) r->x0 = x;
    if (first || x > r->x1) r->x1 = x;
    if (first || y < r->y0) r->y0 = y;
    if (first || y > r->y1) r->y1 = y;
}

static const char *const ORIENT_NAMES[] = {"N", "S", "E", "W", "FN", "FS", "FE", "FW"};

const char *pl_orient_name(pl_orient o)
{
    return (unsigned)o < 8 ? ORIENT_NAMES[o] : "?";
}

int pl_orient_parse(const char *s, size_t len)
{
    for (int i = 0; i < 8; i++)
        if (strlen(ORIENT_NAMES[i]) == len && memcmp(ORIENT_NAMES[i], s, len) == 0) return i;
    /* LEF/OpenAccess style synonyms */
    static const struct { const char *name; pl_orient o; } syn[] = {
        {"R0", PL_ORIENT_N},  {"R90", PL_ORIENT_W},  {"R180", PL_ORIENT_S},   {"R270", PL_ORIENT_E},
        {"MY", PL_ORIENT_FN}, {"MX", PL_ORIENT_FS},  {"MX90", PL_ORIENT_FW},  {"MY90", PL_ORIENT_FE},
        {"MXR90", PL_ORIENT_FW}, {"MYR90", PL_ORIENT_FE}};
    for (size_t i = 0; i < sizeof syn / sizeof syn[0]; i++)
        if (strlen(syn[i].name) == len && memcmp(syn[i].name, s, len) == 0) return (int)syn[i].o;
    return -1;
}

int pl_orient_swaps(pl_orient o)
{
    return o == PL_ORIENT_E || o == PL_ORIENT_W || o == PL_ORIENT_FE || o == PL_ORIENT_FW;
}

void pl_orient_apply(pl_orient o, double w, double h, double px, double py, double *ox, double *oy)
{
    switch (o) {
    case PL_ORIENT_N: *ox = px; *oy = py; break;
    case PL_ORIENT_S: *ox = w - px; *oy = h - py; break;
    case PL_ORIENT_W: *ox = h - py; *oy = px; break;
    case PL_ORIENT_E: *ox = py; *oy = w - px; break;
    case PL_ORIENT_FN: *ox = w - px; *oy = py; break;
    case PL_ORIENT_FS: *ox = px; *oy = h - py; break;
    case PL_ORIENT_FW: *ox = py; *oy = px; break;
    case PL_ORIENT_FE: *ox = h - py; *oy = w - px; break;
    default: *ox = px; *oy = py; break;
    }
}

static const char *const DIR_NAMES[] = {"UNKNOWN", "INPUT", "OUTPUT", "INOUT", "FEEDTHRU"};

int pl_pin_dir_parse(const char *s, size_t len)
{
    for (int i = 1; i < 5; i++)
        if (strlen(DIR_NAMES[i]) == len && memcmp(DIR_NAMES[i], s, len) == 0) return i;
    return -1;
}

void pl_netlist_init(pl_netlist *nl)
{
    memset(nl, 0, sizeof *nl);
    pl_strmap_init(&nl->node_by_name);
    pl_strmap_init(&nl->net_by_name);
    pl_strmap_init(&nl->master_by_name);
    pl_strmap_init(&nl->layer_by_name);
    pl_strmap_init(&nl->site_by_name);
    pl_strpool_init(&nl->strings);
    nl->divider = '/';
    nl->bus_open = '[';
    nl->bus_close = ']';
}

static void placesrc_free(pl_place_source *d)
{
    if (!d) return;
    free(d->place_off);
    free(d->place_len);
    free(d->orig);
    free(d);
}

pl_status pl_netlist_view_init(pl_netlist *view, const pl_netlist *base)
{
    *view = *base;
    view->nodes = malloc((size_t)(base->nnodes ? base->nnodes : 1) * sizeof *view->nodes);
    if (!view->nodes) {
        memset(view, 0, sizeof *view);
        return pl_err(PL_ENOMEM, "netlist: out of memory for a view");
    }
    memcpy(view->nodes, base->nodes, (size_t)base->nnodes * sizeof *view->nodes);
    view->nodes_cap = base->nnodes;
    return PL_OK;
}

void pl_netlist_view_free(pl_netlist *view)
{
    if (!view) return;
    free(view->nodes);
    memset(view, 0, sizeof *view);
}

void pl_netlist_free(pl_netlist *nl)
{
    if (!nl) return;
    free(nl->layers);
    free(nl->sites);
    free(nl->masters);
    free(nl->mpins);
    free(nl->nodes);
    free(nl->pins);
    free(nl->nets);
    free(nl->rows);
    free(nl->tracks);
    free(nl->gcells);
    free(nl->blockages);
    free(nl->net_pin_off);
    free(nl->net_pins);
    free(nl->node_pin_off);
    free(nl->node_pins);
    pl_strmap_free(&nl->node_by_name);
    pl_strmap_free(&nl->net_by_name);
    pl_strmap_free(&nl->master_by_name);
    pl_strmap_free(&nl->layer_by_name);
    pl_strmap_free(&nl->site_by_name);
    pl_strpool_free(&nl->strings);
    placesrc_free(nl->placesrc);
    pl_netlist_init(nl);
}

const char *pl_netlist_str(pl_netlist *nl, const char *s, size_t len)
{
    return pl_strpool_add(&nl->strings, s, len);
}

pl_status pl_netlist_add_node(pl_netlist *nl, const char *name, size_t len, pl_node_kind kind,
                              int32_t *idx)
{
    int32_t existing = pl_strmap_get(&nl->node_by_name, name, len);
    if (existing >= 0) {
        *idx = existing;
        return PL_EINVAL;
    }
    PL_TRY(PL_GROW(nl->nodes, nl->nodes_cap, nl->nnodes + 1));
    const char *nm = pl_netlist_str(nl, name, len);
    if (!nm) return pl_err(PL_ENOMEM, "out of memory storing node names");
    int32_t i = (int32_t)nl->nnodes;
    pl_node *n = &nl->nodes[i];
    memset(n, 0, sizeof *n);
    n->name = nm;
    n->master = -1;
    n->kind = kind;
    PL_TRY(pl_strmap_put(&nl->node_by_name, nm, len, i, NULL));
    nl->nnodes++;
    nl->finalized = 0;
    *idx = i;
    return PL_OK;
}

pl_status pl_netlist_append_net(pl_netlist *nl, const char *name, size_t len, int32_t *idx)
{
    PL_TRY(PL_GROW(nl->nets, nl->nets_cap, nl->nnets + 1));
    const char *nm = pl_netlist_str(nl, name, len);
    if (!nm) return pl_err(PL_ENOMEM, "out of memory storing net names");
    int32_t i = (int32_t)nl->nnets;
    nl->nets[i] = (pl_net){.name = nm, .weight = 1.0, .driver = -1};
    if (pl_strmap_get(&nl->net_by_name, name, len) < 0)
        PL_TRY(pl_strmap_put(&nl->net_by_name, nm, len, i, NULL));
    nl->nnets++;
    nl->finalized = 0;
    *idx = i;
    return PL_OK;
}

pl_status pl_netlist_add_net(pl_netlist *nl, const char *name, size_t len, int32_t *idx)
{
    int32_t existing = pl_strmap_get(&nl->net_by_name, name, len);
    if (existing >= 0) {
        *idx = existing;
        return PL_EINVAL;
    }
    return pl_netlist_append_net(nl, name, len, idx);
}

pl_status pl_netlist_add_pin(pl_netlist *nl, int32_t node, int32_t net, int32_t *idx)
{
    PL_TRY(PL_GROW(nl->pins, nl->pins_cap, nl->npins + 1));
    int32_t i = (int32_t)nl->npins;
    nl->pins[i] = (pl_pin){.node = node, .net = net, .mpin = -1, .weight = 1.0};
    nl->npins++;
    nl->finalized = 0;
    if (idx) *idx = i;
    return PL_OK;
}

/* Counting sort of pins by key (net or node), stable in pin order. */
static pl_status build_csr(int64_t nkeys, int64_t npins, const pl_pin *pins, int by_net,
                           int64_t **off_out, int32_t **idx_out)
{
    int64_t *off = NULL;
    int32_t *idx = NULL;
    if (!PL_CALLOC(off, nkeys + 1) || !PL_ALLOC(idx, npins)) {
        free(off);
        free(idx);
        return pl_err(PL_ENOMEM, "out of memory building the pin index");
    }
    for (int64_t p = 0; p < npins; p++) {
        int32_t k = by_net ? pins[p].net : pins[p].node;
        if (k >= 0) off[k + 1]++;
    }
    for (int64_t k = 0; k < nkeys; k++) off[k + 1] += off[k];
    int64_t *fill;
    if (!PL_ALLOC(fill, nkeys)) {
        free(off);
        free(idx);
        return pl_err(PL_ENOMEM, "out of memory building the pin index");
    }
    memcpy(fill, off, (size_t)nkeys * sizeof *fill);
    for (int64_t p = 0; p < npins; p++) {
        int32_t k = by_net ? pins[p].net : pins[p].node;
        if (k >= 0) idx[fill[k]++] = (int32_t)p;
    }
    free(fill);
    free(*off_out);
    free(*idx_out);
    *off_out = off;
    *idx_out = idx;
    return PL_OK;
}

/* The pin that drives a net when the input did not say: a component OUTPUT pin, else a port
 * whose direction is INPUT (it drives the design), else the first pin. */
static int32_t guess_driver(const pl_netlist *nl, const int32_t *row, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        const pl_pin *p = &nl->pins[row[i]];
        if (nl->nodes[p->node].kind != PL_NODE_PORT && p->dir == PL_DIR_OUTPUT) return row[i];
    }
    for (int64_t i = 0; i < n; i++) {
        const pl_pin *p = &nl->pins[row[i]];
        if (nl->nodes[p->node].kind == PL_NODE_PORT && p->dir == PL_DIR_INPUT) return row[i];
    }
    return n > 0 ? row[0] : -1;
}

pl_status pl_netlist_finalize(pl_netlist *nl)
{
    PL_TRY(build_csr(nl->nnets, nl->npins, nl->pins, 1, &nl->net_pin_off, &nl->net_pins));
    PL_TRY(build_csr(nl->nnodes, nl->npins, nl->pins, 0, &nl->node_pin_off, &nl->node_pins));
    for (int64_t n = 0; n < nl->nnets; n++) {
        int32_t *row = nl->net_pins + nl->net_pin_off[n];
        int64_t cnt = nl->net_pin_off[n + 1] - nl->net_pin_off[n];
        pl_net *net = &nl->nets[n];
        if (net->driver < 0 || nl->pins[net->driver].net != (int32_t)n)
            net->driver = guess_driver(nl, row, cnt);
        /* move the driver to the front, keeping the others in order */
        for (int64_t i = 0; i < cnt; i++) {
            if (row[i] != net->driver) continue;
            for (int64_t j = i; j > 0; j--) row[j] = row[j - 1];
            row[0] = net->driver;
            break;
        }
    }
    nl->finalized = 1;
    return PL_OK;
}

int32_t pl_netlist_find_node(const pl_netlist *nl, const char *name)
{
    return pl_strmap_gets(&nl->node_by_name, name);
}
int32_t pl_netlist_find_net(const pl_netlist *nl, const char *name)
{
    return pl_strmap_gets(&nl->net_by_name, name);
}
int32_t pl_netlist_find_master(const pl_netlist *nl, const char *name)
{
    return pl_strmap_gets(&nl->master_by_name, name);
}
int32_t pl_netlist_find_layer(const pl_netlist *nl, const char *name)
{
    return pl_strmap_gets(&nl->layer_by_name, name);
}

double pl_node_width(const pl_node *n) { return pl_orient_swaps(n->orient) ? n->h : n->w; }
double pl_node_height(const pl_node *n) { return pl_orient_swaps(n->orient) ? n->w : n->h; }

void pl_node_center(const pl_node *n, double *cx, double *cy)
{
    *cx = n->x + 0.5 * pl_node_width(n);
    *cy = n->y + 0.5 * pl_node_height(n);
}

void pl_pin_position(const pl_netlist *nl, int32_t pin, double *x, double *y)
{
    const pl_pin *p = &nl->pins[pin];
    const pl_node *n = &nl->nodes[p->node];
    double ox, oy;
    pl_orient_apply(n->orient, n->w, n->h, p->dx, p->dy, &ox, &oy);
    *x = n->x + ox;
    *y = n->y + oy;
}

const char *pl_pin_name(const pl_netlist *nl, int32_t pin)
{
    const pl_pin *p = &nl->pins[pin];
    if (p->name) return p->name;
    if (p->mpin >= 0) return nl->mpins[p->mpin].name;
    return "";
}

void pl_netlist_stats_compute(const pl_netlist *nl, pl_netlist_stats *st)
{
    memset(st, 0, sizeof *st);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        double area = n->w * n->h;
        switch (n->kind) {
        case PL_NODE_PORT: st->io_pins++; continue;
        case PL_NODE_MACRO: st->macros++; st->macro_area += area; break;
        case PL_NODE_STDCELL: st->std_cells++; st->std_cell_area += area; break;
        case PL_NODE_SOFT: st->soft_macros++; break;
        case PL_NODE_OTHER: st->others++; break;
        }
        st->components++;
        switch (n->state) {
        case PL_PLACE_UNPLACED: st->unplaced++; break;
        case PL_PLACE_PLACED: st->placed++; break;
        case PL_PLACE_FIXED: st->fixed++; break;
        case PL_PLACE_COVER: st->cover++; break;
        }
    }
    st->nets = nl->nnets;
    for (int64_t p = 0; p < nl->npins; p++)
        if (nl->pins[p].net >= 0) st->net_pins++;
    if (nl->has_die) st->die_area = (nl->die.x1 - nl->die.x0) * (nl->die.y1 - nl->die.y0);
}

size_t pl_netlist_memory(const pl_netlist *nl)
{
    size_t b = 0;
    b += (size_t)nl->layers_cap * sizeof *nl->layers + (size_t)nl->sites_cap * sizeof *nl->sites;
    b += (size_t)nl->masters_cap * sizeof *nl->masters + (size_t)nl->mpins_cap * sizeof *nl->mpins;
    b += (size_t)nl->nodes_cap * sizeof *nl->nodes + (size_t)nl->pins_cap * sizeof *nl->pins;
    b += (size_t)nl->nets_cap * sizeof *nl->nets + (size_t)nl->rows_cap * sizeof *nl->rows;
    b += (size_t)nl->tracks_cap * sizeof *nl->tracks;
    b += (size_t)nl->blockages_cap * sizeof *nl->blockages;
    if (nl->finalized)
        b += (size_t)(nl->nnets + nl->nnodes + 2) * sizeof(int64_t) +
             (size_t)2 * (size_t)nl->npins * sizeof(int32_t);
    const pl_strmap *maps[] = {&nl->node_by_name, &nl->net_by_name, &nl->master_by_name,
                               &nl->layer_by_name, &nl->site_by_name};
    for (int i = 0; i < 5; i++) b += (size_t)maps[i]->cap * sizeof(pl_strmap_slot);
    b += nl->strings.total;
    if (nl->placesrc)
        b += (size_t)nl->placesrc->nnodes * (sizeof(int64_t) + sizeof(int32_t) + sizeof(pl_node));
    return b;
}

int pl_netlist_rows_bbox(const pl_netlist *nl, pl_rect *box)
{
    int any = 0;
    for (int64_t i = 0; i < nl->nrows; i++) {
        const pl_row *r = &nl->rows[i];
        int32_t s = r->site ? pl_strmap_gets(&nl->site_by_name, r->site) : -1;
        double sw = s >= 0 ? nl->sites[s].w : 0, sh = s >= 0 ? nl->sites[s].h : 0;
        if (pl_orient_swaps(r->orient)) {
            double t = sw;
            sw = sh, sh = t;
        }
        double w = (r->nx > 1 ? (r->nx - 1) * r->sx : 0) + sw, h = (r->ny > 1 ? (r->ny - 1) * r->sy : 0) + sh;
        if (!(w > 0 && h > 0)) continue;
        pl_rect_include(box, !any, r->x, r->y);
        pl_rect_include(box, 0, r->x + w, r->y + h);
        any = 1;
    }
    return any;
}
