/* env.c: the placement environment (see env.h): loading, the placement graph, masks, steps. */
#include "rl/env.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/fdplace.h"
#include "cluster/gridsel.h"
#include "cost/tech.h"
#include "gplace/full.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "core/log.h"
#include "rl/obsbuild.h"

#define EPS 1e-6 /* µm: abutting macros do not overlap */

void pl_env_config_default(pl_env_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->order = PL_ENV_ORDER_AREA;
    cfg->soft = PL_ENV_SOFT_FD;
    cfg->spacing = 0;
    cfg->infeasible_reward = -4.0;
    cfg->shaping = 0;
    cfg->full_lambda = PL_FULL_LAMBDA;
    pl_problem_config_default(&cfg->problem);
}

/* The design through the one problem set-up, with the options of cfg->problem (as `placer eval`). */
static pl_status load(pl_env *e, const pl_env_source *src)
{
    pl_problem_config pc = e->cfg.problem;
    pl_problem_config_inputs(&pc, src->path, src->plc, src->lefs, src->nlef);
    pc.plc_beside = 1;
    PL_TRY(pl_problem_setup(&e->prob, &pc));
    e->nl = e->prob.nl;
    e->ccfg = e->prob.cost;
    return PL_OK;
}

static double node_area(const pl_netlist *nl, int32_t i) { return nl->nodes[i].w * nl->nodes[i].h; }

typedef struct area_rec {
    double area;
    int32_t node;
} area_rec;

static int cmp_area(const void *a, const void *b)
{
    const area_rec *x = a, *y = b;
    if (x->area != y->area) return x->area > y->area ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

static pl_obs_grid grid_of(const pl_env *e)
{
    return (pl_obs_grid){e->W, e->H, e->gw, e->gh, e->cols, e->rows, e->A};
}

/* Graph nodes, edges and static features (rl/obsbuild.h); the macros not fixed move. */
static pl_status build_graph(pl_env *e)
{
    const pl_netlist *nl = e->nl;
    size_t nn = (size_t)nl->nnodes + 1;
    e->node_g = malloc(sizeof *e->node_g * nn);
    uint8_t *moves = malloc(nn);
    if (!e->node_g || !moves) return free(moves), pl_err(PL_ENOMEM, "env: out of memory");
    for (int64_t i = 0; i < nl->nnodes; i++)
        moves[i] = nl->nodes[i].kind == PL_NODE_MACRO && nl->nodes[i].state != PL_PLACE_FIXED;
    pl_obs_grid g = grid_of(e);
    pl_status s = pl_obsbuild_graph(&e->st, e->node_g, nl, &g, moves, "env");
    free(moves);
    return s;
}

static void dens_add(const pl_env *e, double *dens, const double *r)
{
    pl_obs_grid g = grid_of(e);
    pl_obsbuild_dens_add(&g, dens, r, 1);
}

static pl_status alloc_state(pl_env *e)
{
    const pl_netlist *nl = e->nl;
    size_t nn = (size_t)nl->nnodes + 1, A = (size_t)e->A;
    e->init_x = malloc(sizeof(double) * nn);
    e->init_y = malloc(sizeof(double) * nn);
    e->init_state = malloc(nn);
    e->order = malloc(sizeof(int32_t) * nn);
    e->hard_node = malloc(sizeof(int32_t) * ((size_t)e->st.nhard + 1));
    e->hard = malloc(sizeof(float) * 3 * ((size_t)e->st.nhard + 1));
    e->placed_r = malloc(sizeof(double) * 4 * nn);
    e->fixed_r = malloc(sizeof(double) * 4 * (nn + (size_t)nl->nblockages + (size_t)e->prob.plc.nblockages));
    e->dens0 = calloc(A, sizeof(double));
    e->dens = calloc(A, sizeof(double));
    e->mask = calloc(A, 1);
    e->wire = calloc(A, sizeof(float));
    e->wx = calloc((size_t)e->cols, sizeof(double));
    e->wy = calloc((size_t)e->rows, sizeof(double));
    e->net_mark = malloc(sizeof(int32_t) * ((size_t)nl->nnets + 1));
    if (!e->init_x || !e->init_y || !e->init_state || !e->order || !e->hard_node || !e->hard || !e->placed_r ||
        !e->fixed_r || !e->dens0 || !e->dens || !e->mask || !e->wire || !e->wx || !e->wy || !e->net_mark)
        return pl_err(PL_ENOMEM, "env: out of memory");
    for (int64_t n = 0; n < nl->nnets; n++) e->net_mark[n] = -1;
    return PL_OK;
}

/* reward_full: each movable macro's node in the flat design, where the full placement happens. */
static pl_status full_map(pl_env *e, const char *path)
{
    if (e->nl == &e->prob.flat)
        return pl_err(PL_EINVAL, "env: %s: the full reward needs a LEF/DEF design (its standard cells)", path);
    e->flat_of = malloc(sizeof(int32_t) * ((size_t)e->nsteps + 1));
    if (!e->flat_of) return pl_err(PL_ENOMEM, "env: out of memory");
    for (int32_t k = 0; k < e->nsteps; k++) {
        e->flat_of[k] = (int32_t)pl_netlist_find_node(&e->prob.flat, e->nl->nodes[e->order[k]].name);
        if (e->flat_of[k] < 0)
            return pl_err(PL_EINVAL, "env: %s: macro '%s' is not in the flat design", path,
                          e->nl->nodes[e->order[k]].name);
    }
    return PL_OK;
}

pl_status pl_env_init(pl_env *e, const pl_env_source *src, const pl_env_config *cfg)
{
    memset(e, 0, sizeof *e);
    pl_problem_free(&e->prob);
    e->nl = e->prob.nl;
    if (cfg) e->cfg = *cfg;
    else pl_env_config_default(&e->cfg);
    PL_TRY(load(e, src));
    pl_netlist *nl = e->nl;
    e->W = e->ccfg.canvas_w, e->H = e->ccfg.canvas_h;
    e->ccfg.origin_x = e->ccfg.origin_y = 0;
    e->cols = e->ccfg.cols, e->rows = e->ccfg.rows, e->A = e->cols * e->rows;
    if (e->cols < 1 || e->rows < 1 || e->cols > PL_GNN_GRID_MAX || e->rows > PL_GNN_GRID_MAX)
        return pl_err(PL_EINVAL, "env: %s: grid %dx%d, the policy takes 1..%d per side", src->path, e->cols, e->rows,
                      PL_GNN_GRID_MAX);
    e->gw = e->W / e->cols, e->gh = e->H / e->rows;
    nl->die = (pl_rect){0, 0, e->W, e->H};
    nl->has_die = 1;
    PL_TRY(build_graph(e));
    PL_TRY(alloc_state(e));
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        e->init_x[i] = nd->x, e->init_y[i] = nd->y, e->init_state[i] = (uint8_t)nd->state;
        int32_t g = e->node_g[i];
        if (g >= 0 && g < e->st.nhard) e->hard_node[g] = (int32_t)i;
        if (nd->kind == PL_NODE_MACRO && nd->state != PL_PLACE_FIXED) e->order[e->nsteps++] = (int32_t)i;
        double r[4];
        pl_obsbuild_node_rect(nd, r);
        if (nd->kind == PL_NODE_MACRO && nd->state == PL_PLACE_FIXED) {
            memcpy(e->fixed_r + 4 * e->nfixed++, r, sizeof r);
            dens_add(e, e->dens0, r);
        } else if (nd->kind == PL_NODE_SOFT) {
            dens_add(e, e->dens0, r);
        }
    }
    for (int64_t b = 0; b < nl->nblockages; b++) {
        const pl_blockage *bk = &nl->blockages[b];
        if (bk->kind != PL_BLOCK_PLACEMENT || bk->soft || bk->partial > 0) continue;
        double *r = e->fixed_r + 4 * e->nfixed++;
        r[0] = bk->r.x0, r[1] = bk->r.y0, r[2] = bk->r.x1, r[3] = bk->r.y1;
    }
    for (int64_t b = 0; b < e->prob.plc.nblockages; b++) {
        const pl_plc_blockage *bk = &e->prob.plc.blockages[b];
        double *r = e->fixed_r + 4 * e->nfixed++;
        r[0] = bk->x0, r[1] = bk->y0, r[2] = bk->x1, r[3] = bk->y1;
    }
    if (e->cfg.order == PL_ENV_ORDER_AREA) {
        area_rec *ar = malloc(sizeof *ar * (size_t)(e->nsteps + 1));
        if (!ar) return pl_err(PL_ENOMEM, "env: out of memory");
        for (int32_t k = 0; k < e->nsteps; k++) ar[k] = (area_rec){node_area(nl, e->order[k]), e->order[k]};
        qsort(ar, (size_t)e->nsteps, sizeof *ar, cmp_area);
        for (int32_t k = 0; k < e->nsteps; k++) e->order[k] = ar[k].node;
        free(ar);
    }
    e->st.nsteps = e->nsteps;
    if (e->cfg.reward_full) PL_TRY(full_map(e, src->path));
    PL_TRY(pl_cost_init(&e->cost, nl, &e->ccfg));
    e->cost_ready = 1;
    pl_info("train", "%s: %d movable macros, %d graph nodes, %d edges, grid %dx%d", e->st.name, (int)e->nsteps,
            (int)e->st.n, (int)e->st.e, e->cols, e->rows);
    return PL_OK;
}

void pl_env_free(pl_env *e)
{
    if (!e) return;
    if (e->cost_ready) pl_cost_free(&e->cost);
    e->cost_ready = 0;
    pl_obs_static_free(&e->st);
    free(e->node_g), free(e->hard_node), free(e->order), free(e->init_x), free(e->init_y), free(e->init_state);
    free(e->fixed_r), free(e->placed_r), free(e->dens0), free(e->dens), free(e->hard), free(e->mask), free(e->wire);
    free(e->wx), free(e->wy), free(e->net_mark), free(e->flat_of);
    e->flat_of = NULL;
    e->node_g = e->hard_node = e->order = e->net_mark = NULL;
    e->init_x = e->init_y = e->fixed_r = e->placed_r = e->dens0 = e->dens = e->wx = e->wy = NULL;
    e->init_state = e->mask = NULL;
    e->hard = e->wire = NULL;
    pl_problem_free(&e->prob);
}

/* Legal cells of macro order[t]. Returns how many. */
static int32_t compute_mask(pl_env *e)
{
    const pl_node *nd = &e->nl->nodes[e->order[e->t]];
    double hw = pl_node_width(nd) / 2, hh = pl_node_height(nd) / 2, sp = e->cfg.spacing;
    uint8_t colok[PL_GNN_GRID_MAX], rowok[PL_GNN_GRID_MAX];
    for (int c = 0; c < e->cols; c++) {
        double cx = (c + 0.5) * e->gw;
        colok[c] = cx - hw >= -EPS && cx + hw <= e->W + EPS;
    }
    for (int r = 0; r < e->rows; r++) {
        double cy = (r + 0.5) * e->gh;
        rowok[r] = cy - hh >= -EPS && cy + hh <= e->H + EPS;
    }
    for (int r = 0; r < e->rows; r++)
        for (int c = 0; c < e->cols; c++) e->mask[c + r * e->cols] = colok[c] && rowok[r];
    for (int32_t k = 0; k < e->nfixed + e->t; k++) {
        const double *o = k < e->nfixed ? e->fixed_r + 4 * k : e->placed_r + 4 * (k - e->nfixed);
        int c0 = e->cols, c1 = -1, r0 = e->rows, r1 = -1;
        for (int c = 0; c < e->cols; c++) {
            double cx = (c + 0.5) * e->gw;
            if (cx + hw > o[0] - sp + EPS && cx - hw < o[2] + sp - EPS) c0 = c < c0 ? c : c0, c1 = c;
        }
        for (int r = 0; r < e->rows; r++) {
            double cy = (r + 0.5) * e->gh;
            if (cy + hh > o[1] - sp + EPS && cy - hh < o[3] + sp - EPS) r0 = r < r0 ? r : r0, r1 = r;
        }
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) e->mask[c + r * e->cols] = 0;
    }
    int32_t n = 0;
    for (int32_t a = 0; a < e->A; a++) n += e->mask[a];
    return n;
}

int32_t pl_env_legal_count(const pl_env *e)
{
    if (e->done) return 0;
    int32_t n = 0;
    for (int32_t a = 0; a < e->A; a++) n += e->mask[a];
    return n;
}

/* The wire map of macro order[t] (rl/obsbuild.h): its nets against the pins of nodes whose place is
 * known (not unplaced movable macros), 0 outside the mask. */
static void compute_wire(pl_env *e)
{
    const pl_netlist *nl = e->nl;
    pl_obs_grid g = grid_of(e);
    int32_t m = e->order[e->t];
    double mx, my;
    pl_node_center(&nl->nodes[m], &mx, &my);
    memset(e->wx, 0, sizeof(double) * (size_t)e->cols);
    memset(e->wy, 0, sizeof(double) * (size_t)e->rows);
    for (int64_t k = nl->node_pin_off[m]; k < nl->node_pin_off[m + 1]; k++) {
        int32_t n = nl->pins[nl->node_pins[k]].net;
        if (n < 0 || e->net_mark[n] == e->t) continue;
        e->net_mark[n] = e->t;
        pl_obs_wire_net w = {.pe = {INFINITY, -INFINITY, INFINITY, -INFINITY},
                             .box = {INFINITY, -INFINITY, INFINITY, -INFINITY}};
        double *pe = w.pe, *b = w.box;
        for (int64_t q = nl->net_pin_off[n]; q < nl->net_pin_off[n + 1]; q++) {
            int32_t p = nl->net_pins[q], owner = nl->pins[p].node;
            double px, py;
            pl_pin_position(nl, p, &px, &py);
            if (owner == m) {
                pe[0] = fmin(pe[0], px - mx), pe[1] = fmax(pe[1], px - mx);
                pe[2] = fmin(pe[2], py - my), pe[3] = fmax(pe[3], py - my);
                continue;
            }
            const pl_node *on = &nl->nodes[owner];
            if (on->kind == PL_NODE_MACRO && on->state == PL_PLACE_UNPLACED) continue;
            b[0] = fmin(b[0], px), b[1] = fmax(b[1], px), b[2] = fmin(b[2], py), b[3] = fmax(b[3], py);
            w.others = 1;
        }
        w.wt = nl->nets[n].weight > 0 ? nl->nets[n].weight : 1.0;
        pl_obsbuild_wire_net(&g, e->wx, e->wy, &w);
    }
    pl_obsbuild_wire_finish(&g, e->wx, e->wy, e->mask, e->wire);
}

static void cost_move_node(pl_env *e, int32_t i)
{
    double cx, cy;
    pl_node_center(&e->nl->nodes[i], &cx, &cy);
    pl_cost_move(&e->cost, i, cx, cy);
}

pl_status pl_env_reset(pl_env *e)
{
    pl_netlist *nl = e->nl;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *nd = &nl->nodes[i];
        if (nd->kind != PL_NODE_MACRO && nd->kind != PL_NODE_SOFT) continue;
        nd->x = e->init_x[i], nd->y = e->init_y[i], nd->state = (pl_place_state)e->init_state[i];
        if (nd->kind == PL_NODE_MACRO && nd->state != PL_PLACE_FIXED) nd->state = PL_PLACE_UNPLACED;
        if (nd->state != PL_PLACE_FIXED) cost_move_node(e, (int32_t)i);
    }
    pl_cost_commit(&e->cost);
    pl_cost_terms t;
    pl_cost_full(&e->cost, &t);
    e->wl_cost = t.wirelength_cost;
    memcpy(e->dens, e->dens0, sizeof(double) * (size_t)e->A);
    pl_obsbuild_hard_init(e->hard, &e->st);
    for (int64_t n = 0; n < nl->nnets; n++) e->net_mark[n] = -1;
    e->t = 0;
    e->done = 0;
    memset(&e->res, 0, sizeof e->res);
    e->res.nsteps = e->nsteps;
    if (e->nsteps == 0) {
        double r;
        return pl_env_step(e, -1, &r, &e->done);
    }
    if (compute_mask(e) == 0) {
        e->done = 1;
        e->res.infeasible = 1;
        e->res.reward = e->res.return_sum = e->cfg.infeasible_reward;
        return PL_OK;
    }
    compute_wire(e);
    return PL_OK;
}

size_t pl_env_rec_bytes(const pl_env *e) { return pl_obs_rec_bytes(e->st.nhard, e->A); }

void pl_env_observe(const pl_env *e, void *rec)
{
    pl_obs_rec v;
    memset(rec, 0, pl_env_rec_bytes(e));
    pl_obs_rec_view(&v, rec, e->st.nhard, e->A);
    int32_t m = e->order[e->t];
    *v.current = e->node_g[m];
    memcpy(v.hard, e->hard, sizeof(float) * 3 * (size_t)e->st.nhard);
    memcpy(v.wire, e->wire, sizeof(float) * (size_t)e->A);
    for (int32_t a = 0; a < e->A; a++) v.density[a] = (float)e->dens[a];
    memcpy(v.mask, e->mask, (size_t)e->A);
    pl_obs_grid g = grid_of(e);
    pl_obsbuild_meta(v.meta, &e->st, e->nl, &g);
    v.meta[PL_OBS_M - 1] = e->nsteps ? (float)e->t / (float)e->nsteps : 0.0f;
}

/* reward_full: the episode's macros put into a copy of the flat design, every standard cell placed
 * and legalised around them and the routing estimated; the reward is the full score normalised as
 * the proxy's wirelength cost is (by (W + H) x nets), so that it reads on the same scale. */
static pl_status full_reward(pl_env *e)
{
    const pl_netlist *flat = &e->prob.flat;
    pl_netlist view;
    PL_TRY(pl_netlist_view_init(&view, flat));
    for (int32_t k = 0; k < e->nsteps; k++) {
        const pl_node *m = &e->nl->nodes[e->order[k]];
        pl_node *f = &view.nodes[e->flat_of[k]];
        f->x = m->x + e->prob.prep.origin_x, f->y = m->y + e->prob.prep.origin_y;
        f->orient = m->orient, f->state = PL_PLACE_PLACED;
    }
    pl_full_config fc;
    pl_full_config_default(&fc);
    fc.gplace.seed = e->cfg.problem.prep.seed;
    fc.route_estimate = e->prob.format != PL_DESIGN_BOOKSHELF; /* no routing layers: the score is the HPWL */
    pl_full_stats fs;
    pl_status s = pl_full_eval(&view, &fc, &fs, NULL);
    pl_netlist_view_free(&view);
    PL_TRY(s);
    double norm = (e->W + e->H) * (double)(flat->nnets > 0 ? flat->nnets : 1);
    e->res.full_hpwl = fs.hpwl, e->res.full_overflow = fs.route.total_overflow;
    e->res.reward = -pl_full_score(&fs, e->cfg.full_lambda) / norm;
    return PL_OK;
}

/* Soft-macro placement at the end of an episode: the one place where it happens. */
static pl_status place_soft(pl_env *e)
{
    if (e->cfg.soft == PL_ENV_SOFT_KEEP) return PL_OK;
    pl_fd_config fc;
    pl_problem_fd_config(&e->prob, &fc);
    if (e->cfg.fd_steps > 0)
        for (int s = 0; s < fc.nstages; s++) fc.steps[s] = e->cfg.fd_steps;
    return pl_fd_place(e->nl, &fc, NULL);
}

static pl_status finish(pl_env *e)
{
    PL_TRY(place_soft(e));
    pl_netlist *nl = e->nl;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if ((nd->kind == PL_NODE_MACRO && nd->state != PL_PLACE_FIXED) || nd->kind == PL_NODE_SOFT)
            cost_move_node(e, (int32_t)i);
    }
    pl_cost_full(&e->cost, &e->res.terms);
    pl_cost_commit(&e->cost);
    e->res.reward = -e->res.terms.proxy_cost;
    if (e->cfg.reward_full) PL_TRY(full_reward(e));
    return PL_OK;
}

pl_status pl_env_step(pl_env *e, int32_t cell, double *reward, int *done)
{
    *reward = 0;
    if (e->nsteps > 0) {
        if (e->done) return pl_err(PL_EINVAL, "env: step after the end of the episode");
        if (cell < 0 || cell >= e->A || !e->mask[cell])
            return pl_err(PL_EINVAL, "env: %s: cell %d is not legal for macro %d", e->st.name, (int)cell, (int)e->t);
        pl_netlist *nl = e->nl;
        int32_t m = e->order[e->t];
        pl_node *nd = &nl->nodes[m];
        double cx = (cell % e->cols + 0.5) * e->gw, cy = (cell / e->cols + 0.5) * e->gh;
        nd->x = cx - pl_node_width(nd) / 2;
        nd->y = cy - pl_node_height(nd) / 2;
        nd->state = PL_PLACE_PLACED;
        int32_t g = e->node_g[m];
        e->hard[3 * g] = (float)(cx / e->W), e->hard[3 * g + 1] = (float)(cy / e->H), e->hard[3 * g + 2] = 1;
        double *r = e->placed_r + 4 * e->t;
        pl_obsbuild_node_rect(nd, r);
        dens_add(e, e->dens, r);
        if (e->cfg.shaping != 0) {
            PL_TRY(pl_cost_move(&e->cost, m, cx, cy));
            pl_cost_terms t;
            pl_cost_terms_get(&e->cost, &t);
            *reward -= e->cfg.shaping * (t.wirelength_cost - e->wl_cost);
            e->wl_cost = t.wirelength_cost;
        }
        e->t++;
        e->res.placed = e->t;
    }
    if (e->t == e->nsteps) {
        PL_TRY(finish(e));
        *reward += e->res.reward;
        e->done = 1;
    } else if (compute_mask(e) == 0) {
        e->res.infeasible = 1;
        e->res.reward = e->cfg.infeasible_reward;
        *reward += e->res.reward;
        e->done = 1;
    } else {
        compute_wire(e);
    }
    e->res.return_sum += *reward;
    *done = e->done;
    return PL_OK;
}

pl_status pl_env_random_episode(pl_env *e, pl_rng *rng, pl_env_result *out)
{
    PL_TRY(pl_env_reset(e));
    while (!e->done) {
        int32_t n = pl_env_legal_count(e), k = (int32_t)pl_rng_below(rng, (uint64_t)n), a = 0;
        for (; a < e->A; a++)
            if (e->mask[a] && k-- == 0) break;
        double r;
        int done;
        PL_TRY(pl_env_step(e, a, &r, &done));
    }
    *out = e->res;
    return PL_OK;
}
