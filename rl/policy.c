/* policy.c: a trained policy evaluated on any partial placement (see policy.h).
 *
 * The graph, features, metadata and maps come from rl/obsbuild.h, as in rl/env.c;
 * tests/rl/test_policy.c checks that both give the same observation. */
#include "rl/policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnn/ckpt.h"
#include "core/log.h"
#include "rl/obsbuild.h"

pl_status pl_policy_load(pl_policy *p, const char *path, pl_gnn_device device)
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
    char note[320];
    s = pl_gnn_device_resolve(device, &device, note, sizeof note); /* after the checkpoint: probing CUDA is not free */
    if (s == PL_OK && note[0]) pl_info("policy", "%s", note);
    if (s == PL_OK) s = pl_gnn_net_init(&p->net, device, &p->model, NULL);
    if (s != PL_OK) {
        pl_gnn_net_free(&p->net);
        pl_gnn_model_free(&p->model);
        return s;
    }
    p->loaded = 1;
    return PL_OK;
}

void pl_policy_free(pl_policy *p)
{
    if (!p) return;
    if (p->loaded) pl_gnn_net_free(&p->net), pl_gnn_model_free(&p->model);
    p->loaded = 0;
}

/* ---- the design ---- */

static int moves(const pl_policy_design *d, int64_t i) { return d->step_of[i] >= 0; }

static pl_obs_grid grid_of(const pl_policy_design *d)
{
    return (pl_obs_grid){d->W, d->H, d->gw, d->gh, d->cols, d->rows, d->A};
}

/* Graph nodes, edges, static features and metadata (rl/obsbuild.h); the macros in order move. */
static pl_status build_graph(pl_policy_design *d)
{
    const pl_netlist *nl = d->nl;
    uint8_t *mv = malloc((size_t)nl->nnodes + 1);
    if (!mv) return pl_err(PL_ENOMEM, "policy: out of memory");
    for (int64_t i = 0; i < nl->nnodes; i++) mv[i] = (uint8_t)moves(d, i);
    pl_obs_grid g = grid_of(d);
    d->st.nsteps = d->nsteps;
    pl_status s = pl_obsbuild_graph(&d->st, d->node_g, nl, &g, mv, "policy");
    free(mv);
    if (s == PL_OK) pl_obsbuild_meta(d->meta, &d->st, nl, &g);
    return s;
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
    pl_obs_grid g = grid_of(d);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if ((nd->kind == PL_NODE_MACRO && !moves(d, i)) || nd->kind == PL_NODE_SOFT) {
            double r[4];
            pl_obsbuild_node_rect(nd, r);
            pl_obsbuild_dens_add(&g, d->dens0, r, 1);
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

/* The wire map of macro order[step] (rl/obsbuild.h), as env's compute_wire: its nets against the
 * pins whose place is known, 0 outside the mask. */
static void wire_map(const pl_policy_design *d, pl_policy_work *w, int32_t step, const double *xy,
                     const uint8_t *mask, float *wire)
{
    const pl_netlist *nl = d->nl;
    pl_obs_grid g = grid_of(d);
    int32_t m = d->order[step];
    memset(w->wx, 0, sizeof(double) * (size_t)d->cols);
    memset(w->wy, 0, sizeof(double) * (size_t)d->rows);
    for (int64_t j = d->net_off[step]; j < d->net_off[step + 1]; j++) {
        int32_t n = d->net[j];
        pl_obs_wire_net wn = {.box = {INFINITY, -INFINITY, INFINITY, -INFINITY}};
        memcpy(wn.pe, d->pin_ext + 4 * j, sizeof wn.pe);
        double *b = wn.box;
        for (int64_t q = nl->net_pin_off[n]; q < nl->net_pin_off[n + 1]; q++) {
            int32_t p = nl->net_pins[q];
            if (nl->pins[p].node == m) continue;
            double px, py;
            int known;
            pin_at(d, p, step, xy, &px, &py, &known);
            if (!known) continue;
            b[0] = fmin(b[0], px), b[1] = fmax(b[1], px), b[2] = fmin(b[2], py), b[3] = fmax(b[3], py);
            wn.others = 1;
        }
        wn.wt = nl->nets[n].weight > 0 ? nl->nets[n].weight : 1.0;
        pl_obsbuild_wire_net(&g, w->wx, w->wy, &wn);
    }
    pl_obsbuild_wire_finish(&g, w->wx, w->wy, mask, wire);
}

void pl_policy_observe(const pl_policy_design *d, pl_policy_work *w, int32_t step, const double *xy,
                       const uint8_t *mask, void *rec)
{
    const pl_netlist *nl = d->nl;
    pl_obs_rec v;
    memset(rec, 0, pl_obs_rec_bytes(d->st.nhard, d->A));
    pl_obs_rec_view(&v, rec, d->st.nhard, d->A);
    *v.current = d->node_g[d->order[step]];
    pl_obsbuild_hard_init(v.hard, &d->st);
    pl_obs_grid grid = grid_of(d);
    memcpy(w->dens, d->dens0, sizeof(double) * (size_t)d->A);
    for (int32_t t = 0; t < step; t++) {
        const pl_node *nd = &nl->nodes[d->order[t]];
        double cx = xy[2 * t], cy = xy[2 * t + 1], hw = pl_node_width(nd) / 2, hh = pl_node_height(nd) / 2;
        int32_t g = d->node_g[d->order[t]];
        v.hard[3 * g] = (float)(cx / d->W), v.hard[3 * g + 1] = (float)(cy / d->H), v.hard[3 * g + 2] = 1;
        double r[4] = {cx - hw, cy - hh, cx - hw + pl_node_width(nd), cy - hh + pl_node_height(nd)};
        pl_obsbuild_dens_add(&grid, w->dens, r, 1);
    }
    for (int32_t a = 0; a < d->A; a++) v.density[a] = (float)w->dens[a];
    wire_map(d, w, step, xy, mask, v.wire);
    memcpy(v.mask, mask, (size_t)d->A);
    memcpy(v.meta, d->meta, sizeof d->meta);
    v.meta[PL_OBS_M - 1] = d->nsteps ? (float)step / (float)d->nsteps : 0.0f;
}

pl_status pl_policy_probs(pl_policy *p, const pl_policy_design *d, pl_policy_work *w, int32_t step,
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
    PL_TRY(pl_gnn_net_infer(&p->net, &w->gw, &o, w->logits, &value));
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
