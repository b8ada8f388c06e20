/* proxy.c: the proxy-cost context, full evaluation and incremental operations; see proxy.h. */
#include "cost/proxy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "cost/grid.h"

void pl_cost_config_default(pl_cost_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->h_rpm = 70.33;
    cfg->v_rpm = 74.51;
    cfg->h_macro_alloc = 51.79;
    cfg->v_macro_alloc = 51.79;
    cfg->smooth_range = 2;
    cfg->w_wirelength = 1.0;
    cfg->w_density = 0.5;
    cfg->w_congestion = 0.5;
}

void pl_cost_config_grid2023(pl_cost_config *cfg)
{
    double size = 2.0 * 1000.0 / (cfg->h_rpm + cfg->v_rpm);
    cfg->cong_cols = (int)(cfg->canvas_w / size);
    cfg->cong_rows = (int)(cfg->canvas_h / size);
    if (cfg->cong_cols < 1) cfg->cong_cols = 1;
    if (cfg->cong_rows < 1) cfg->cong_rows = 1;
}

void pl_cost_free(pl_cost *c)
{
    if (!c) return;
    free(c->cx);
    free(c->cy);
    free(c->orient);
    free(c->area_kind);
    free(c->node_net_off);
    free(c->node_nets);
    free(c->pin_node);
    free(c->pin_ox);
    free(c->pin_oy);
    free(c->pin_x);
    free(c->pin_y);
    free(c->pin_cell);
    free(c->node_pin_off);
    free(c->node_pins);
    free(c->net_pin_off);
    free(c->net_pins);
    free(c->net_w);
    free(c->net_rw);
    free(c->net_hpwl);
    free(c->occ);
    free(c->hdem);
    free(c->vdem);
    free(c->hmac);
    free(c->vmac);
    free(c->scratch);
    free(c->cvals);
    free(c->dvals);
    free(c->stamp);
    free(c->cells);
    free(c->touched);
    free(c->tlist);
    free(c->journal);
    memset(c, 0, sizeof *c);
}


static pl_status check_config(const pl_cost_config *cfg)
{
    if (!(cfg->canvas_w > 0) || !(cfg->canvas_h > 0))
        return pl_err(PL_EINVAL, "cost: canvas size %gx%g must be positive (give a .plc or --canvas)",
                      cfg->canvas_w, cfg->canvas_h);
    if (cfg->cols < 1 || cfg->rows < 1 || cfg->cols > 100000 || cfg->rows > 100000)
        return pl_err(PL_EINVAL, "cost: grid %dx%d is not usable (give a .plc or --grid COLSxROWS)", cfg->cols,
                      cfg->rows);
    if (cfg->cong_cols < 0 || cfg->cong_rows < 0 || cfg->cong_cols > 100000 || cfg->cong_rows > 100000)
        return pl_err(PL_EINVAL, "cost: congestion grid %dx%d is not usable", cfg->cong_cols, cfg->cong_rows);
    if (!(cfg->h_rpm > 0) || !(cfg->v_rpm > 0))
        return pl_err(PL_EINVAL, "cost: routes per micron %g/%g must be positive", cfg->h_rpm, cfg->v_rpm);
    if (cfg->smooth_range < 0) return pl_err(PL_EINVAL, "cost: smoothing range must be >= 0");
    return PL_OK;
}

/* Position and congestion cell of pin p from its node's state. */
static inline void pin_update(pl_cost *c, int32_t p)
{
    int32_t n = c->pin_node[p];
    double rx, ry;
    pl_cost_orient_offset(c->orient[n], c->pin_ox[p], c->pin_oy[p], &rx, &ry);
    double x = c->cx[n] + rx, y = c->cy[n] + ry;
    c->pin_x[p] = x;
    c->pin_y[p] = y;
    int col = (int)floor(x / c->cgw), row = (int)floor(y / c->cgh);
    /* pins off the canvas count in the nearest cell */
    if (!(col >= 0)) col = 0;
    if (col >= c->cfg.cong_cols) col = c->cfg.cong_cols - 1;
    if (!(row >= 0)) row = 0;
    if (row >= c->cfg.cong_rows) row = c->cfg.cong_rows - 1;
    c->pin_cell[p] = row * c->cfg.cong_cols + col;
}

static inline double net_hpwl(const pl_cost *c, int32_t n)
{
    int32_t b = c->net_pin_off[n], e = c->net_pin_off[n + 1];
    int32_t p = c->net_pins[b];
    double x0 = c->pin_x[p], x1 = x0, y0 = c->pin_y[p], y1 = y0;
    for (int32_t i = b + 1; i < e; i++) {
        p = c->net_pins[i];
        double x = c->pin_x[p], y = c->pin_y[p];
        x0 = x < x0 ? x : x0;
        x1 = x > x1 ? x : x1;
        y0 = y < y0 ? y : y0;
        y1 = y > y1 ? y : y1;
    }
    return (x1 - x0) + (y1 - y0);
}

/* Builds the flat net/pin arrays: costed nets are those with two or more pins. */
static pl_status build_arrays(pl_cost *c, const pl_netlist *nl)
{
    int32_t N = (int32_t)nl->nnodes;
    int32_t nnets = 0, npins = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t k = nl->net_pin_off[n + 1] - nl->net_pin_off[n];
        if (k < 2) continue;
        nnets++;
        npins += (int32_t)k;
    }
    c->nnets = nnets;
    c->npins = npins;
    if (!PL_CALLOC(c->net_pin_off, nnets + 1) || !PL_CALLOC(c->net_pins, npins) || !PL_CALLOC(c->net_w, nnets) ||
        !PL_CALLOC(c->net_rw, nnets) || !PL_CALLOC(c->net_hpwl, nnets) || !PL_CALLOC(c->pin_node, npins) ||
        !PL_CALLOC(c->pin_ox, npins) || !PL_CALLOC(c->pin_oy, npins) || !PL_CALLOC(c->pin_x, npins) ||
        !PL_CALLOC(c->pin_y, npins) || !PL_CALLOC(c->pin_cell, npins) || !PL_CALLOC(c->node_pin_off, N + 1) ||
        !PL_CALLOC(c->node_pins, npins) || !PL_CALLOC(c->touched, nnets) || !PL_CALLOC(c->tlist, nnets)) {
        return pl_err(PL_ENOMEM, "cost: out of memory");
    }
    int32_t ni = 0, pi = 0;
    c->net_count = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        if (e - b < 2) continue;
        double w = nl->nets[n].weight;
        c->net_w[ni] = w != 0 ? w : 1.0;
        c->net_rw[ni] = w > 1 ? w : 1.0;
        c->net_count += w;
        c->net_pin_off[ni] = pi;
        for (int64_t i = b; i < e; i++) {
            int32_t p = nl->net_pins[i];
            const pl_pin *pp = &nl->pins[p];
            const pl_node *nd = &nl->nodes[pp->node];
            c->pin_node[pi] = pp->node;
            c->pin_ox[pi] = pp->dx - nd->w / 2;
            c->pin_oy[pi] = pp->dy - nd->h / 2;
            c->node_pin_off[pp->node + 1]++;
            c->net_pins[pi] = pi;
            pi++;
        }
        ni++;
    }
    c->net_pin_off[ni] = pi;
    /* node -> pins */
    for (int32_t n = 0; n < N; n++) c->node_pin_off[n + 1] += c->node_pin_off[n];
    int32_t *fill;
    if (!PL_ALLOC(fill, N)) return pl_err(PL_ENOMEM, "cost: out of memory");
    memcpy(fill, c->node_pin_off, (size_t)N * sizeof *fill);
    for (int32_t p = 0; p < npins; p++) c->node_pins[fill[c->pin_node[p]]++] = p;
    /* node -> distinct nets */
    int32_t *pin_net;
    if (!PL_ALLOC(pin_net, npins) || !PL_CALLOC(c->node_net_off, N + 1)) {
        free(fill);
        free(pin_net);
        return pl_err(PL_ENOMEM, "cost: out of memory");
    }
    for (int32_t n = 0; n < nnets; n++)
        for (int32_t i = c->net_pin_off[n]; i < c->net_pin_off[n + 1]; i++) pin_net[i] = n;
    for (int32_t n = 0; n < nnets; n++) c->touched[n] = -1;
    int32_t total = 0;
    for (int32_t v = 0; v < N; v++) {
        for (int32_t i = c->node_pin_off[v]; i < c->node_pin_off[v + 1]; i++) {
            int32_t net = pin_net[c->node_pins[i]];
            if (c->touched[net] != v) c->touched[net] = v, total++;
        }
        c->node_net_off[v + 1] = total;
    }
    if (!PL_CALLOC(c->node_nets, total)) {
        free(fill);
        free(pin_net);
        return pl_err(PL_ENOMEM, "cost: out of memory");
    }
    for (int32_t n = 0; n < nnets; n++) c->touched[n] = -1;
    total = 0;
    for (int32_t v = 0; v < N; v++)
        for (int32_t i = c->node_pin_off[v]; i < c->node_pin_off[v + 1]; i++) {
            int32_t net = pin_net[c->node_pins[i]];
            if (c->touched[net] != v) c->touched[net] = v, c->node_nets[total++] = net;
        }
    for (int32_t n = 0; n < nnets; n++) c->touched[n] = 0;
    free(fill);
    free(pin_net);
    return PL_OK;
}

pl_status pl_cost_init(pl_cost *c, const pl_netlist *nl, const pl_cost_config *cfg)
{
    memset(c, 0, sizeof *c);
    if (!nl->finalized) return pl_err(PL_EINVAL, "cost: the netlist is not finalized");
    PL_TRY(check_config(cfg));
    c->cfg = *cfg;
    if (c->cfg.cong_cols == 0 || c->cfg.cong_rows == 0) {
        c->cfg.cong_cols = cfg->cols;
        c->cfg.cong_rows = cfg->rows;
    }
    c->nl = nl;
    c->nnodes = (int32_t)nl->nnodes;
    c->gw = c->cfg.canvas_w / c->cfg.cols;
    c->gh = c->cfg.canvas_h / c->cfg.rows;
    c->cgw = c->cfg.canvas_w / c->cfg.cong_cols;
    c->cgh = c->cfg.canvas_h / c->cfg.cong_rows;
    c->ncell = c->cfg.cols * c->cfg.rows;
    c->nccell = c->cfg.cong_cols * c->cfg.cong_rows;
    int32_t N = c->nnodes;
    int work = 2 * c->nccell > c->ncell ? 2 * c->nccell : c->ncell;
    if (!PL_CALLOC(c->cx, N) || !PL_CALLOC(c->cy, N) || !PL_CALLOC(c->orient, N) || !PL_CALLOC(c->area_kind, N) ||
        !PL_CALLOC(c->occ, c->ncell) || !PL_CALLOC(c->hdem, c->nccell) || !PL_CALLOC(c->vdem, c->nccell) ||
        !PL_CALLOC(c->hmac, c->nccell) || !PL_CALLOC(c->vmac, c->nccell) || !PL_CALLOC(c->scratch, work) ||
        !PL_CALLOC(c->cvals, 2 * c->nccell) || !PL_CALLOC(c->dvals, c->ncell) || !PL_CALLOC(c->stamp, c->nccell) ||
        !PL_CALLOC(c->cells, c->nccell)) {
        pl_cost_free(c);
        return pl_err(PL_ENOMEM, "cost: out of memory");
    }
    for (int32_t i = 0; i < N; i++) {
        const pl_node *nd = &nl->nodes[i];
        pl_node_center(nd, &c->cx[i], &c->cy[i]);
        c->cx[i] -= c->cfg.origin_x;
        c->cy[i] -= c->cfg.origin_y;
        c->orient[i] = (uint8_t)nd->orient;
        c->area_kind[i] = nd->kind == PL_NODE_MACRO ? 2 : nd->kind == PL_NODE_SOFT ? 1 : 0;
    }
    pl_status s = build_arrays(c, nl);
    if (s != PL_OK) {
        pl_cost_free(c);
        return s;
    }
    pl_cost_full(c, NULL);
    return PL_OK;
}

void pl_cost_terms_get(pl_cost *c, pl_cost_terms *t)
{
    t->wirelength = c->wl;
    double norm = (c->cfg.canvas_w + c->cfg.canvas_h) * c->net_count;
    t->wirelength_cost = norm > 0 ? c->wl / norm : 0;
    t->density_cost = pl_cost_grid_density(c);
    t->congestion_cost = pl_cost_grid_congestion(c);
    t->proxy_cost = c->cfg.w_wirelength * t->wirelength_cost + c->cfg.w_density * t->density_cost +
                    c->cfg.w_congestion * t->congestion_cost;
}

void pl_cost_full(pl_cost *c, pl_cost_terms *t)
{
    memset(c->occ, 0, (size_t)c->ncell * sizeof *c->occ);
    memset(c->hdem, 0, (size_t)c->nccell * sizeof *c->hdem);
    memset(c->vdem, 0, (size_t)c->nccell * sizeof *c->vdem);
    memset(c->hmac, 0, (size_t)c->nccell * sizeof *c->hmac);
    memset(c->vmac, 0, (size_t)c->nccell * sizeof *c->vmac);
    for (int32_t p = 0; p < c->npins; p++) pin_update(c, p);
    double wl = 0;
    for (int32_t n = 0; n < c->nnets; n++) {
        c->net_hpwl[n] = net_hpwl(c, n);
        wl += c->net_w[n] * c->net_hpwl[n];
        pl_cost_grid_route_net(c, n, 1.0);
    }
    c->wl = wl;
    for (int32_t i = 0; i < c->nnodes; i++) {
        if (c->area_kind[i] >= 1) pl_cost_grid_density_add(c, i, 1.0);
        if (c->area_kind[i] == 2) pl_cost_grid_macro_block(c, i, 1.0);
    }
    if (t) pl_cost_terms_get(c, t);
}

/* ---- incremental operations ---- */

/* Marks the nets of node v (once per operation) and unroutes them. */
static void touch_nets(pl_cost *c, int32_t v, int32_t *nt)
{
    for (int32_t i = c->node_net_off[v]; i < c->node_net_off[v + 1]; i++) {
        int32_t n = c->node_nets[i];
        if (c->touched[n] == c->tmark) continue;
        c->touched[n] = c->tmark;
        c->tlist[(*nt)++] = n;
        pl_cost_grid_route_net(c, n, -1.0);
    }
}

static void node_remove(pl_cost *c, int32_t v)
{
    if (c->area_kind[v] >= 1) pl_cost_grid_density_add(c, v, -1.0);
    if (c->area_kind[v] == 2) pl_cost_grid_macro_block(c, v, -1.0);
}

static void node_add(pl_cost *c, int32_t v)
{
    for (int32_t i = c->node_pin_off[v]; i < c->node_pin_off[v + 1]; i++) pin_update(c, c->node_pins[i]);
    if (c->area_kind[v] >= 1) pl_cost_grid_density_add(c, v, 1.0);
    if (c->area_kind[v] == 2) pl_cost_grid_macro_block(c, v, 1.0);
}

static void reroute(pl_cost *c, int32_t nt)
{
    for (int32_t i = 0; i < nt; i++) {
        int32_t n = c->tlist[i];
        double h = net_hpwl(c, n);
        c->wl += c->net_w[n] * (h - c->net_hpwl[n]);
        c->net_hpwl[n] = h;
        pl_cost_grid_route_net(c, n, 1.0);
    }
}

static void next_mark(pl_cost *c)
{
    if (++c->tmark == INT32_MAX) { /* wrap: clear the marks */
        for (int32_t n = 0; n < c->nnets; n++) c->touched[n] = 0;
        c->tmark = 1;
    }
}

/* Sets the state of k nodes (1 or 2) in one step, updating every cache they touch. */
static void apply(pl_cost *c, int k, const int32_t *v, const double *x, const double *y, const uint8_t *o)
{
    next_mark(c);
    int32_t nt = 0;
    for (int i = 0; i < k; i++) touch_nets(c, v[i], &nt);
    for (int i = 0; i < k; i++) node_remove(c, v[i]);
    for (int i = 0; i < k; i++) {
        c->cx[v[i]] = x[i];
        c->cy[v[i]] = y[i];
        c->orient[v[i]] = o[i];
    }
    for (int i = 0; i < k; i++) node_add(c, v[i]);
    reroute(c, nt);
}

static pl_status journal(pl_cost *c, int k, const int32_t *v)
{
    PL_TRY(PL_GROW(c->journal, c->journal_cap, c->njournal + k));
    c->op++;
    for (int i = 0; i < k; i++)
        c->journal[c->njournal++] =
            (pl_cost_undo_rec){v[i], c->op, c->cx[v[i]], c->cy[v[i]], (pl_orient)c->orient[v[i]]};
    return PL_OK;
}

static pl_status check_node(const pl_cost *c, int32_t v)
{
    if (v < 0 || v >= c->nnodes) return pl_err(PL_EINVAL, "cost: node %d out of range", (int)v);
    return PL_OK;
}

pl_status pl_cost_move(pl_cost *c, int32_t node, double cx, double cy)
{
    PL_TRY(check_node(c, node));
    if (!isfinite(cx) || !isfinite(cy)) return pl_err(PL_EINVAL, "cost: position is not finite");
    PL_TRY(journal(c, 1, &node));
    uint8_t o = c->orient[node];
    cx -= c->cfg.origin_x;
    cy -= c->cfg.origin_y;
    apply(c, 1, &node, &cx, &cy, &o);
    return PL_OK;
}

pl_status pl_cost_set_orient(pl_cost *c, int32_t node, pl_orient o)
{
    PL_TRY(check_node(c, node));
    if ((unsigned)o > PL_ORIENT_FW) return pl_err(PL_EINVAL, "cost: bad orientation %d", (int)o);
    PL_TRY(journal(c, 1, &node));
    uint8_t ob = (uint8_t)o;
    apply(c, 1, &node, &c->cx[node], &c->cy[node], &ob);
    return PL_OK;
}

pl_status pl_cost_flip(pl_cost *c, int32_t node, int vertical_axis)
{
    static const uint8_t MX[8] = {PL_ORIENT_FN, PL_ORIENT_FS, PL_ORIENT_FE, PL_ORIENT_FW,
                                  PL_ORIENT_N,  PL_ORIENT_S,  PL_ORIENT_E,  PL_ORIENT_W};
    static const uint8_t MY[8] = {PL_ORIENT_FS, PL_ORIENT_FN, PL_ORIENT_FW, PL_ORIENT_FE,
                                  PL_ORIENT_S,  PL_ORIENT_N,  PL_ORIENT_W,  PL_ORIENT_E};
    PL_TRY(check_node(c, node));
    return pl_cost_set_orient(c, node, (pl_orient)(vertical_axis ? MX : MY)[c->orient[node]]);
}

pl_status pl_cost_swap(pl_cost *c, int32_t a, int32_t b)
{
    PL_TRY(check_node(c, a));
    PL_TRY(check_node(c, b));
    if (a == b) return pl_err(PL_EINVAL, "cost: cannot swap node %d with itself", (int)a);
    int32_t v[2] = {a, b};
    PL_TRY(journal(c, 2, v));
    double x[2] = {c->cx[b], c->cx[a]}, y[2] = {c->cy[b], c->cy[a]};
    uint8_t o[2] = {c->orient[a], c->orient[b]};
    apply(c, 2, v, x, y, o);
    return PL_OK;
}

int pl_cost_undo(pl_cost *c)
{
    if (c->njournal == 0) return 0;
    int32_t op = c->journal[c->njournal - 1].op;
    int k = 0;
    int32_t v[2];
    double x[2], y[2];
    uint8_t o[2];
    while (c->njournal > 0 && c->journal[c->njournal - 1].op == op && k < 2) {
        const pl_cost_undo_rec *r = &c->journal[--c->njournal];
        v[k] = r->node;
        x[k] = r->cx;
        y[k] = r->cy;
        o[k] = (uint8_t)r->orient;
        k++;
    }
    apply(c, k, v, x, y, o);
    c->op--;
    return 1;
}

void pl_cost_commit(pl_cost *c) { c->njournal = 0; }

void pl_cost_write_back(const pl_cost *c, pl_netlist *nl)
{
    for (int32_t i = 0; i < c->nnodes && i < nl->nnodes; i++) {
        pl_node *n = &nl->nodes[i];
        n->orient = (pl_orient)c->orient[i];
        n->x = c->cfg.origin_x + c->cx[i] - pl_node_width(n) / 2;
        n->y = c->cfg.origin_y + c->cy[i] - pl_node_height(n) / 2;
    }
}
