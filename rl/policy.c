/* policy.c: a trained policy evaluated on any partial placement (see policy.h).
 *
 * The graph, features, metadata and maps follow rl/env.c line for line (build_graph, compute_wire,
 * dens_add, pl_env_observe); tests/rl/test_policy.c checks that both give the same observation. */
#include "rl/policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnn/ckpt.h"

pl_status pl_policy_load(pl_policy *p, const char *path)
{
    memset(p, 0, sizeof *p);
    pl_gnn_config cfg;
    uint64_t seed, step;
    PL_TRY(pl_gnn_ckpt_peek(path, &cfg, &seed, &step));
    PL_TRY(pl_gnn_model_init(&p->model, &cfg, seed));
    pl_status s = pl_gnn_ckpt_read(path, &p->model, NULL, &p->step);
    if (s != PL_OK) {
        pl_gnn_model_free(&p->model);
        return s;
    }
    if (cfg.node_feats != PL_OBS_F || cfg.meta_feats != PL_OBS_M) {
        pl_gnn_model_free(&p->model);
        return pl_err(PL_EINVAL, "%s: the network takes %d node features and %d metadata values, the "
                      "environment gives %d and %d", path, (int)cfg.node_feats, (int)cfg.meta_feats, PL_OBS_F,
                      PL_OBS_M);
    }
    p->loaded = 1;
    return PL_OK;
}

void pl_policy_free(pl_policy *p)
{
    if (!p) return;
    if (p->loaded) pl_gnn_model_free(&p->model);
    p->loaded = 0;
}

/* ---- the design ---- */

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

static int moves(const pl_policy_design *d, int64_t i) { return d->step_of[i] >= 0; }

/* Graph nodes, edges and static features, as rl/env.c's build_graph. */
static pl_status build_graph(pl_policy_design *d)
{
    const pl_netlist *nl = d->nl;
    int64_t nn = nl->nnodes;
    int32_t nhard = 0, nsoft = 0, nport = 0;
    int32_t *cell_cluster = malloc(sizeof *cell_cluster * (size_t)d->A);
    if (!cell_cluster) return pl_err(PL_ENOMEM, "policy: out of memory");
    for (int64_t i = 0; i < nn; i++) d->node_g[i] = -1;
    for (int32_t a = 0; a < d->A; a++) cell_cluster[a] = -1;
    for (int64_t i = 0; i < nn; i++)
        if (nl->nodes[i].kind == PL_NODE_MACRO) d->node_g[i] = nhard++;
    for (int64_t i = 0; i < nn; i++)
        if (nl->nodes[i].kind == PL_NODE_SOFT) d->node_g[i] = nhard + nsoft++;
    for (int64_t i = 0; i < nn; i++) {
        if (nl->nodes[i].kind != PL_NODE_PORT) continue;
        double cx, cy;
        pl_node_center(&nl->nodes[i], &cx, &cy);
        int c = (int)floor(cx / d->gw), r = (int)floor(cy / d->gh);
        c = c < 0 ? 0 : c >= d->cols ? d->cols - 1 : c;
        r = r < 0 ? 0 : r >= d->rows ? d->rows - 1 : r;
        int32_t a = c + r * d->cols;
        if (cell_cluster[a] < 0) cell_cluster[a] = nport++;
        d->node_g[i] = nhard + nsoft + cell_cluster[a];
    }
    free(cell_cluster);
    pl_obs_static *st = &d->st;
    st->n = nhard + nsoft + nport;
    st->nhard = nhard;
    st->cols = d->cols, st->rows = d->rows, st->nsteps = d->nsteps;
    if (st->n < 1) return pl_err(PL_EINVAL, "policy: design %s has no macro and no port", nl->design ? nl->design : "");
    int64_t cap = 0;
    for (int64_t n = 0; n < nl->nnets; n++) cap += nl->net_pin_off[n + 1] - nl->net_pin_off[n];
    edge_rec *er = malloc(sizeof *er * (size_t)(cap + 1));
    if (!er) return pl_err(PL_ENOMEM, "policy: out of memory for the graph edges");
    int64_t ne = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], en = nl->net_pin_off[n + 1];
        if (en - b < 2) continue;
        int32_t gd = d->node_g[nl->pins[nl->net_pins[b]].node];
        if (gd < 0) continue;
        for (int64_t k = b + 1; k < en; k++) {
            int32_t gs = d->node_g[nl->pins[nl->net_pins[k]].node];
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
    double *pc = calloc((size_t)(nport + 1) * 3, sizeof *pc);
    if (!pc) return pl_err(PL_ENOMEM, "policy: out of memory");
    memset(st->feat, 0, sizeof(float) * (size_t)st->n * PL_OBS_F);
    double hard_area = 0, soft_area = 0;
    for (int64_t i = 0; i < nn; i++) {
        int32_t g = d->node_g[i];
        if (g < 0) continue;
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind == PL_NODE_MACRO) hard_area += nd->w * nd->h;
        if (nd->kind == PL_NODE_SOFT) soft_area += nd->w * nd->h;
        double cx, cy;
        pl_node_center(nd, &cx, &cy);
        float *f = st->feat + (size_t)g * PL_OBS_F;
        if (g >= nhard + nsoft) {
            int32_t k = g - nhard - nsoft;
            pc[3 * k] += cx, pc[3 * k + 1] += cy, pc[3 * k + 2] += 1;
            f[6] = 1, f[7] = 1;
            continue;
        }
        int movable = moves(d, i);
        f[0] = movable ? 0.5f : (float)(cx / d->W);
        f[1] = movable ? 0.5f : (float)(cy / d->H);
        f[2] = (float)(pl_node_width(nd) / d->W);
        f[3] = (float)(pl_node_height(nd) / d->H);
        f[4] = nd->kind == PL_NODE_MACRO;
        f[5] = nd->kind == PL_NODE_SOFT;
        f[7] = movable ? 0.0f : 1.0f;
    }
    for (int32_t k = 0; k < nport; k++) {
        float *f = st->feat + (size_t)(nhard + nsoft + k) * PL_OBS_F;
        f[0] = (float)(pc[3 * k] / pc[3 * k + 2] / d->W);
        f[1] = (float)(pc[3 * k + 1] / pc[3 * k + 2] / d->H);
    }
    free(pc);
    const char *dn = nl->design && nl->design[0] ? nl->design : "design";
    snprintf(st->name, sizeof st->name, "%s", dn);
    /* metadata, as pl_env_observe (the last value, the fraction placed, per state) */
    double N = st->n;
    float *mt = d->meta;
    mt[0] = (float)(st->nhard / N);
    mt[1] = (float)(nsoft / N);
    mt[2] = (float)((st->n - st->nhard - nsoft) / N);
    mt[3] = (float)(log1p(N) / 10);
    mt[4] = (float)(log1p((double)st->e) / 10);
    mt[5] = (float)d->cols / PL_GNN_GRID_MAX;
    mt[6] = (float)d->rows / PL_GNN_GRID_MAX;
    mt[7] = (float)(d->W / (d->W + d->H));
    mt[8] = (float)(d->H / (d->W + d->H));
    mt[9] = (float)(hard_area / (d->W * d->H));
    mt[10] = (float)(soft_area / (d->W * d->H));
    mt[11] = 0;
    return pl_obs_static_finish(st);
}

/* Adds sign * the overlap of rect r with the grid cells to dens (fraction of cell area), as env. */
static void dens_add(const pl_policy_design *d, double *dens, const double *r, double sign)
{
    int c0 = (int)floor(r[0] / d->gw), c1 = (int)floor(r[2] / d->gw);
    int r0 = (int)floor(r[1] / d->gh), r1 = (int)floor(r[3] / d->gh);
    c0 = c0 < 0 ? 0 : c0, r0 = r0 < 0 ? 0 : r0;
    c1 = c1 >= d->cols ? d->cols - 1 : c1, r1 = r1 >= d->rows ? d->rows - 1 : r1;
    double ca = d->gw * d->gh;
    for (int rr = r0; rr <= r1; rr++) {
        double oy = fmin(r[3], (rr + 1) * d->gh) - fmax(r[1], rr * d->gh);
        if (oy <= 0) continue;
        for (int cc = c0; cc <= c1; cc++) {
            double ox = fmin(r[2], (cc + 1) * d->gw) - fmax(r[0], cc * d->gw);
            if (ox > 0) dens[cc + rr * d->cols] += sign * ox * oy / ca;
        }
    }
}

/* Per step, the macro's distinct nets and its pin extents from its centre on each. */
static pl_status build_nets(pl_policy_design *d)
{
    const pl_netlist *nl = d->nl;
    int32_t *mark = malloc(sizeof *mark * (size_t)(nl->nnets + 1));
    d->net_off = calloc((size_t)d->nsteps + 1, sizeof *d->net_off);
    if (!mark || !d->net_off) return free(mark), pl_err(PL_ENOMEM, "policy: out of memory");
    for (int64_t n = 0; n < nl->nnets; n++) mark[n] = -1;
    int64_t total = 0;
    for (int32_t t = 0; t < d->nsteps; t++) {
        int32_t m = d->order[t];
        for (int64_t k = nl->node_pin_off[m]; k < nl->node_pin_off[m + 1]; k++) {
            int32_t n = nl->pins[nl->node_pins[k]].net;
            if (n < 0 || mark[n] == t) continue;
            mark[n] = t;
            total++;
        }
        d->net_off[t + 1] = total;
    }
    d->net = malloc(sizeof *d->net * (size_t)(total + 1));
    d->pin_ext = malloc(sizeof *d->pin_ext * 4 * (size_t)(total + 1));
    if (!d->net || !d->pin_ext) return free(mark), pl_err(PL_ENOMEM, "policy: out of memory");
    for (int64_t n = 0; n < nl->nnets; n++) mark[n] = -1;
    for (int32_t t = 0; t < d->nsteps; t++) {
        int32_t m = d->order[t];
        double mx, my;
        pl_node_center(&nl->nodes[m], &mx, &my);
        int64_t j = d->net_off[t];
        for (int64_t k = nl->node_pin_off[m]; k < nl->node_pin_off[m + 1]; k++) {
            int32_t n = nl->pins[nl->node_pins[k]].net;
            if (n < 0 || mark[n] == t) continue;
            mark[n] = t;
            double *pe = d->pin_ext + 4 * j;
            pe[0] = pe[2] = INFINITY, pe[1] = pe[3] = -INFINITY;
            for (int64_t q = nl->net_pin_off[n]; q < nl->net_pin_off[n + 1]; q++) {
                int32_t p = nl->net_pins[q];
                if (nl->pins[p].node != m) continue;
                double px, py;
                pl_pin_position(nl, p, &px, &py);
                pe[0] = fmin(pe[0], px - mx), pe[1] = fmax(pe[1], px - mx);
                pe[2] = fmin(pe[2], py - my), pe[3] = fmax(pe[3], py - my);
            }
            d->net[j++] = n;
        }
    }
    free(mark);
    return PL_OK;
}

static void node_rect(const pl_node *n, double *r)
{
    r[0] = n->x, r[1] = n->y, r[2] = n->x + pl_node_width(n), r[3] = n->y + pl_node_height(n);
}

pl_status pl_policy_design_init(pl_policy_design *d, const pl_netlist *nl, double W, double H, int32_t cols,
                                int32_t rows, const int32_t *order, int32_t nsteps)
{
    memset(d, 0, sizeof *d);
    d->nl = nl;
    if (cols < 1 || rows < 1 || cols > PL_GNN_GRID_MAX || rows > PL_GNN_GRID_MAX)
        return pl_err(PL_EINVAL, "policy: grid %dx%d, the policy takes 1..%d per side", (int)cols, (int)rows,
                      PL_GNN_GRID_MAX);
    if (!(W > 0) || !(H > 0)) return pl_err(PL_EINVAL, "policy: empty canvas %g x %g", W, H);
    d->W = W, d->H = H, d->cols = cols, d->rows = rows, d->A = cols * rows;
    d->gw = W / cols, d->gh = H / rows;
    d->nsteps = nsteps;
    size_t nn = (size_t)nl->nnodes + 1;
    d->order = malloc(sizeof *d->order * ((size_t)nsteps + 1));
    d->step_of = malloc(sizeof *d->step_of * nn);
    d->node_g = malloc(sizeof *d->node_g * nn);
    d->dens0 = calloc((size_t)d->A, sizeof *d->dens0);
    if (!d->order || !d->step_of || !d->node_g || !d->dens0) {
        pl_policy_design_free(d);
        return pl_err(PL_ENOMEM, "policy: out of memory");
    }
    for (int64_t i = 0; i < nl->nnodes; i++) d->step_of[i] = -1;
    for (int32_t t = 0; t < nsteps; t++) {
        if (order[t] < 0 || order[t] >= nl->nnodes || nl->nodes[order[t]].kind != PL_NODE_MACRO) {
            pl_policy_design_free(d);
            return pl_err(PL_EINVAL, "policy: step %d: node %d is not a hard macro", (int)t, (int)order[t]);
        }
        d->order[t] = order[t];
        d->step_of[order[t]] = t;
    }
    pl_status s = build_graph(d);
    if (s == PL_OK) s = build_nets(d);
    if (s != PL_OK) {
        pl_policy_design_free(d);
        return s;
    }
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if ((nd->kind == PL_NODE_MACRO && !moves(d, i)) || nd->kind == PL_NODE_SOFT) {
            double r[4];
            node_rect(nd, r);
            dens_add(d, d->dens0, r, 1);
        }
    }
    return PL_OK;
}

void pl_policy_design_free(pl_policy_design *d)
{
    if (!d) return;
    pl_obs_static_free(&d->st);
    free(d->order), free(d->step_of), free(d->node_g), free(d->dens0);
    free(d->net_off), free(d->net), free(d->pin_ext);
    memset(d, 0, sizeof *d);
}

/* ---- one state ---- */

pl_status pl_policy_work_init(pl_policy_work *w, const pl_policy_design *d)
{
    memset(w, 0, sizeof *w);
    pl_gnn_work_init(&w->gw);
    w->rec = calloc(1, pl_obs_rec_bytes(d->st.nhard, d->A));
    w->x = malloc(sizeof *w->x * (size_t)d->st.n * PL_OBS_F);
    w->logits = malloc(sizeof *w->logits * (size_t)d->A);
    w->dens = malloc(sizeof *w->dens * (size_t)d->A);
    w->wx = malloc(sizeof *w->wx * (size_t)d->cols);
    w->wy = malloc(sizeof *w->wy * (size_t)d->rows);
    if (!w->rec || !w->x || !w->logits || !w->dens || !w->wx || !w->wy) {
        pl_policy_work_free(w);
        return pl_err(PL_ENOMEM, "policy: out of memory");
    }
    return PL_OK;
}

void pl_policy_work_free(pl_policy_work *w)
{
    if (!w) return;
    pl_gnn_work_free(&w->gw);
    free(w->rec), free(w->x), free(w->logits), free(w->dens), free(w->wx), free(w->wy);
    memset(w, 0, sizeof *w);
}

/* Position of pin p: where the netlist has it, or moved with its macro when that macro is placed
 * (step_of < step). *known 0 for a pin of a macro not placed yet. */
static void pin_at(const pl_policy_design *d, int32_t p, int32_t step, const double *xy, double *px, double *py,
                   int *known)
{
    const pl_netlist *nl = d->nl;
    int32_t owner = nl->pins[p].node, t = d->step_of[owner];
    pl_pin_position(nl, p, px, py);
    *known = 1;
    if (t < 0) return;
    if (t >= step) {
        *known = 0;
        return;
    }
    double cx, cy;
    pl_node_center(&nl->nodes[owner], &cx, &cy);
    *px = xy[2 * t] + (*px - cx), *py = xy[2 * t + 1] + (*py - cy);
}

/* The wire map of macro order[step], as env's compute_wire: weighted HPWL growth of its nets against
 * the pins whose place is known, 0 outside the mask, divided by its maximum. */
static void wire_map(const pl_policy_design *d, pl_policy_work *w, int32_t step, const double *xy,
                     const uint8_t *mask, float *wire)
{
    const pl_netlist *nl = d->nl;
    int32_t m = d->order[step];
    memset(w->wx, 0, sizeof(double) * (size_t)d->cols);
    memset(w->wy, 0, sizeof(double) * (size_t)d->rows);
    for (int64_t j = d->net_off[step]; j < d->net_off[step + 1]; j++) {
        int32_t n = d->net[j];
        const double *pe = d->pin_ext + 4 * j;
        double bx0 = INFINITY, bx1 = -INFINITY, by0 = INFINITY, by1 = -INFINITY;
        int others = 0;
        for (int64_t q = nl->net_pin_off[n]; q < nl->net_pin_off[n + 1]; q++) {
            int32_t p = nl->net_pins[q];
            if (nl->pins[p].node == m) continue;
            double px, py;
            int known;
            pin_at(d, p, step, xy, &px, &py, &known);
            if (!known) continue;
            bx0 = fmin(bx0, px), bx1 = fmax(bx1, px), by0 = fmin(by0, py), by1 = fmax(by1, py);
            others = 1;
        }
        double wt = nl->nets[n].weight > 0 ? nl->nets[n].weight : 1.0;
        for (int c = 0; c < d->cols; c++) {
            double cx = (c + 0.5) * d->gw, lo = cx + pe[0], hi = cx + pe[1];
            w->wx[c] += wt * (others ? fmax(hi, bx1) - fmin(lo, bx0) - (bx1 - bx0) : hi - lo);
        }
        for (int r = 0; r < d->rows; r++) {
            double cy = (r + 0.5) * d->gh, lo = cy + pe[2], hi = cy + pe[3];
            w->wy[r] += wt * (others ? fmax(hi, by1) - fmin(lo, by0) - (by1 - by0) : hi - lo);
        }
    }
    double mx = 0;
    for (int32_t a = 0; a < d->A; a++) {
        double v = mask[a] ? w->wx[a % d->cols] + w->wy[a / d->cols] : 0;
        wire[a] = (float)v;
        mx = fmax(mx, v);
    }
    if (mx > 0)
        for (int32_t a = 0; a < d->A; a++) wire[a] = (float)(wire[a] / mx);
}

void pl_policy_observe(const pl_policy_design *d, pl_policy_work *w, int32_t step, const double *xy,
                       const uint8_t *mask, void *rec)
{
    const pl_netlist *nl = d->nl;
    pl_obs_rec v;
    memset(rec, 0, pl_obs_rec_bytes(d->st.nhard, d->A));
    pl_obs_rec_view(&v, rec, d->st.nhard, d->A);
    *v.current = d->node_g[d->order[step]];
    for (int32_t g = 0; g < d->st.nhard; g++) {
        const float *f = d->st.feat + (size_t)g * PL_OBS_F;
        v.hard[3 * g] = f[0], v.hard[3 * g + 1] = f[1], v.hard[3 * g + 2] = f[7];
    }
    memcpy(w->dens, d->dens0, sizeof(double) * (size_t)d->A);
    for (int32_t t = 0; t < step; t++) {
        const pl_node *nd = &nl->nodes[d->order[t]];
        double cx = xy[2 * t], cy = xy[2 * t + 1], hw = pl_node_width(nd) / 2, hh = pl_node_height(nd) / 2;
        int32_t g = d->node_g[d->order[t]];
        v.hard[3 * g] = (float)(cx / d->W), v.hard[3 * g + 1] = (float)(cy / d->H), v.hard[3 * g + 2] = 1;
        double r[4] = {cx - hw, cy - hh, cx - hw + pl_node_width(nd), cy - hh + pl_node_height(nd)};
        dens_add(d, w->dens, r, 1);
    }
    for (int32_t a = 0; a < d->A; a++) v.density[a] = (float)w->dens[a];
    wire_map(d, w, step, xy, mask, v.wire);
    memcpy(v.mask, mask, (size_t)d->A);
    memcpy(v.meta, d->meta, sizeof d->meta);
    v.meta[PL_OBS_M - 1] = d->nsteps ? (float)step / (float)d->nsteps : 0.0f;
}

pl_status pl_policy_probs(const pl_policy *p, const pl_policy_design *d, pl_policy_work *w, int32_t step,
                          const double *xy, const uint8_t *mask, double *prob, double *legal_mass)
{
    *legal_mass = 0;
    for (int32_t a = 0; a < d->A; a++) prob[a] = 0;
    if (step < 0 || step >= d->nsteps)
        return pl_err(PL_EINVAL, "policy: step %d outside 0..%d", (int)step, (int)d->nsteps - 1);
    int32_t legal = 0;
    for (int32_t a = 0; a < d->A; a++) legal += mask[a] != 0;
    if (!legal) return PL_OK;
    pl_policy_observe(d, w, step, xy, mask, w->rec);
    pl_gnn_obs o;
    pl_obs_make(&o, &d->st, w->rec, w->x);
    float value;
    PL_TRY(pl_gnn_forward(&p->model, &w->gw, &o, w->logits, &value));
    double mx = -INFINITY;
    for (int32_t a = 0; a < d->A; a++)
        if (mask[a]) mx = fmax(mx, (double)w->logits[a]);
    if (!isfinite(mx)) return PL_OK;
    double sum = 0;
    for (int32_t a = 0; a < d->A; a++) {
        if (!mask[a]) continue;
        double l = w->logits[a];
        prob[a] = isfinite(l) ? exp(l - mx) : 0;
        sum += prob[a];
    }
    if (!(sum > 0) || !isfinite(sum)) {
        for (int32_t a = 0; a < d->A; a++) prob[a] = 0;
        return PL_OK;
    }
    for (int32_t a = 0; a < d->A; a++) prob[a] /= sum;
    *legal_mass = 1;
    return PL_OK;
}
