/* place.c: the placement pipeline (prepare, search, refine, legalise); see place.h.
 *
 * Workers that run FD need their own node positions: a "view" is a shallow copy of the clustered
 * netlist that owns only a private copy of the nodes array (FD writes node x, y; pl_cost reads the
 * netlist). A view is never passed to pl_netlist_free: view_free frees the nodes copy only. */
#include "search/place.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/fdplace.h"
#include "core/log.h"
#include "core/rng.h"
#include "search/construct.h"
#include "search/place_impl.h"
#include "search/refine.h"

void pl_place_config_default(pl_place_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    pl_design_cost_config_default(&cfg->dc);
    cfg->prior = pl_prior_wiremask();
    cfg->threads = 1;
    cfg->temperature = 0.1;
    cfg->fd_start = 1;
    cfg->t_ratio = 1e-3;
    cfg->elitist = 1;
    cfg->p_swap = 0.2;
    cfg->p_flip = 0.1;
    pl_legalize_config_default(&cfg->legal);
    PL_ASSERT(pl_place_config_effort(cfg, "default") == PL_OK);
}

pl_status pl_place_config_effort(pl_place_config *cfg, const char *effort)
{
    static const struct {
        const char *name;
        double seconds;
        int rollouts, keep, chains, rounds;
        int64_t moves_per_macro;
    } P[] = {
        {"fast", 30, 64, 4, 2, 12, 15000},
        {"default", 300, 256, 8, 2, 60, 150000},
        {"high", 1200, 1024, 8, 4, 150, 600000},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        if (strcmp(effort, P[i].name) != 0) continue;
        cfg->effort = P[i].name;
        cfg->time_limit = P[i].seconds;
        cfg->rollouts = P[i].rollouts;
        cfg->keep = P[i].keep;
        cfg->chains = P[i].chains;
        cfg->rounds = P[i].rounds;
        cfg->moves_per_macro = P[i].moves_per_macro;
        return PL_OK;
    }
    return pl_err(PL_EINVAL, "place: --effort wants fast, default or high, not '%s'", effort);
}

double pl_place_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double pl_place_macro_hpwl(const pl_cost *c)
{
    double sum = 0;
    for (int32_t n = 0; n < c->nnets; n++) {
        int k = 0;
        double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
        for (int32_t t = c->net_pin_off[n]; t < c->net_pin_off[n + 1]; t++) {
            int32_t p = c->net_pins[t];
            if (c->nl->nodes[c->pin_node[p]].kind != PL_NODE_MACRO) continue;
            double x = c->pin_x[p], y = c->pin_y[p];
            if (!k++) x0 = x1 = x, y0 = y1 = y;
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
        if (k >= 2) sum += c->net_w[n] * ((x1 - x0) + (y1 - y0));
    }
    return sum;
}

/* ---- views, candidates, evaluation ---- */

pl_status pl_place_view_init(pl_netlist *view, const pl_netlist *base)
{
    *view = *base;
    view->nodes = malloc((size_t)(base->nnodes ? base->nnodes : 1) * sizeof *view->nodes);
    if (!view->nodes) {
        memset(view, 0, sizeof *view);
        return pl_err(PL_ENOMEM, "out of memory in placement");
    }
    memcpy(view->nodes, base->nodes, (size_t)base->nnodes * sizeof *view->nodes);
    view->nodes_cap = base->nnodes;
    return PL_OK;
}

void pl_place_view_free(pl_netlist *view)
{
    if (!view) return;
    free(view->nodes);
    memset(view, 0, sizeof *view);
}

pl_status pl_place_cand_alloc(pl_place_cand *cd, int32_t n)
{
    memset(cd, 0, sizeof *cd);
    size_t m = (size_t)(n ? n : 1);
    cd->x = malloc(m * sizeof *cd->x);
    cd->y = malloc(m * sizeof *cd->y);
    cd->o = malloc(m);
    if (!cd->x || !cd->y || !cd->o) {
        pl_place_cand_free(cd);
        return pl_err(PL_ENOMEM, "out of memory in placement");
    }
    cd->proxy = cd->quick = INFINITY;
    return PL_OK;
}

void pl_place_cand_free(pl_place_cand *cd)
{
    if (!cd) return;
    free(cd->x);
    free(cd->y);
    free(cd->o);
    memset(cd, 0, sizeof *cd);
}

void pl_place_cand_copy(pl_place_cand *dst, const pl_place_cand *src, int32_t n)
{
    memcpy(dst->x, src->x, (size_t)n * sizeof *dst->x);
    memcpy(dst->y, src->y, (size_t)n * sizeof *dst->y);
    memcpy(dst->o, src->o, (size_t)n);
    dst->quick = src->quick, dst->proxy = src->proxy, dst->terms = src->terms, dst->hpwl = src->hpwl;
    dst->index = src->index, dst->ok = src->ok;
}

void pl_place_cand_from_cost(const pl_place_ctx *x, const pl_cost *c, pl_place_cand *cd)
{
    for (int32_t j = 0; j < x->k.n; j++) {
        int32_t v = x->k.order[j];
        cd->x[j] = c->cx[v], cd->y[j] = c->cy[v], cd->o[j] = c->orient[v];
    }
}

/* Legalises the candidate through `fview` (a view of the flat netlist): cd gets the legal positions,
 * the ones the final stage will write. *ok 0 if the legaliser finds no place for some macro. */
static pl_status legalise_cand(const pl_place_ctx *x, pl_netlist *fview, pl_place_cand *cd, int *ok)
{
    *ok = 0;
    double dx = x->flat->die.x0, dy = x->flat->die.y0;
    for (int32_t j = 0; j < x->k.n; j++) {
        pl_node *n = &fview->nodes[x->flat_of[j]];
        n->orient = (pl_orient)cd->o[j];
        n->x = dx + cd->x[j] - 0.5 * pl_node_width(n);
        n->y = dy + cd->y[j] - 0.5 * pl_node_height(n);
        n->state = PL_PLACE_PLACED;
    }
    pl_status s = pl_legalize_macros(fview, &x->cfg->legal, NULL);
    if (s != PL_OK) {
        pl_err_clear();
        return PL_OK;
    }
    for (int32_t j = 0; j < x->k.n; j++) {
        const pl_node *n = &fview->nodes[x->flat_of[j]];
        cd->x[j] = n->x - dx + 0.5 * pl_node_width(n);
        cd->y[j] = n->y - dy + 0.5 * pl_node_height(n);
    }
    *ok = 1;
    return PL_OK;
}

/* The view's macros from the legalised flat view, computed exactly as cluster/clnetlist.c derives them
 * from the flat netlist (FD is sensitive to the last bit: the evaluation must be the final one). */
static void view_from_fview(const pl_place_ctx *x, pl_netlist *view, const pl_netlist *fview)
{
    double ox = x->flat->die.x0, oy = x->flat->die.y0;
    for (int32_t j = 0; j < x->k.n; j++) {
        const pl_node *src = &fview->nodes[x->flat_of[j]];
        pl_node *d = &view->nodes[x->k.order[j]];
        d->x = src->x - ox, d->y = src->y - oy;
        d->orient = src->orient;
        d->state = PL_PLACE_PLACED;
    }
}

/* Legalises the candidate (when fview is given), puts its macros into `view`, places the soft macros
 * by FD as eval does, rebuilds the cost on the view; cd gets the terms (proxy INFINITY and ok 0 when
 * it does not legalise). */
pl_status pl_place_evaluate(const pl_place_ctx *x, pl_netlist *view, pl_netlist *fview, pl_cost *c, int *has_cost,
                            pl_place_cand *cd)
{
    if (fview) {
        int ok;
        PL_TRY(legalise_cand(x, fview, cd, &ok));
        if (!ok) {
            cd->ok = 0;
            cd->proxy = INFINITY;
            return PL_OK;
        }
    }
    for (int32_t j = 0; !fview && j < x->k.n; j++) {
        pl_node *n = &view->nodes[x->k.order[j]];
        n->orient = (pl_orient)cd->o[j];
        n->x = cd->x[j] - 0.5 * pl_node_width(n);
        n->y = cd->y[j] - 0.5 * pl_node_height(n);
        n->state = PL_PLACE_PLACED;
    }
    if (fview) view_from_fview(x, view, fview);
    pl_fd_config fc;
    if (x->cfg->dc.soft_ct) pl_fd_config_ct(&fc);
    else pl_fd_config_default(&fc);
    fc.seed = x->fd_seed;
    PL_TRY(pl_fd_place(view, &fc, NULL));
    if (*has_cost) pl_cost_free(c);
    *has_cost = 0;
    PL_TRY(pl_cost_init(c, view, &x->ccfg));
    *has_cost = 1;
    pl_cost_terms_get(c, &cd->terms);
    cd->proxy = cd->terms.proxy_cost;
    cd->hpwl = pl_place_macro_hpwl(c);
    cd->ok = 1;
    return PL_OK;
}

/* ---- a tiny thread pool: jobs 0..n-1 taken in order by `threads` workers ---- */

typedef struct pool {
    pl_place_ctx *x;
    int64_t next, n;
    pl_status (*fn)(pl_place_ctx *x, void *arg, int64_t job, void *local);
    void *arg;
    pl_status status;
    char msg[512];
    size_t local_size;
    pl_status (*local_init)(pl_place_ctx *x, void *local);
    void (*local_free)(void *local);
} pool;

static void *pool_worker(void *p_)
{
    pool *p = p_;
    pl_place_ctx *x = p->x;
    void *local = p->local_size ? calloc(1, p->local_size) : NULL;
    pl_status s = p->local_size && !local ? pl_err(PL_ENOMEM, "out of memory in placement") : PL_OK;
    if (s == PL_OK && p->local_init) s = p->local_init(x, local);
    for (;;) {
        pthread_mutex_lock(&x->lock);
        int64_t job = (s == PL_OK && p->status == PL_OK && p->next < p->n) ? p->next++ : -1;
        pthread_mutex_unlock(&x->lock);
        if (job < 0) break;
        s = p->fn(x, p->arg, job, local);
        if (s != PL_OK) break;
    }
    if (s != PL_OK) {
        pthread_mutex_lock(&x->lock);
        if (p->status == PL_OK) {
            p->status = s;
            snprintf(p->msg, sizeof p->msg, "%s", pl_errmsg()); /* messages are per thread */
        }
        pthread_mutex_unlock(&x->lock);
    }
    if (local && p->local_free) p->local_free(local);
    free(local);
    return NULL;
}

pl_status pl_place_parallel(pl_place_ctx *x, int64_t n, pl_status (*fn)(pl_place_ctx *, void *, int64_t, void *),
                            void *arg, size_t local_size, pl_status (*local_init)(pl_place_ctx *, void *),
                            void (*local_free)(void *))
{
    pool p = {.x = x, .n = n, .fn = fn, .arg = arg, .local_size = local_size, .local_init = local_init,
              .local_free = local_free};
    int nt = x->cfg->threads > 1 ? x->cfg->threads : 1;
    if (nt > n) nt = (int)(n > 0 ? n : 1);
    pthread_t th[64];
    if (nt > 64) nt = 64;
    int started = 0;
    for (int t = 1; t < nt; t++) {
        if (pthread_create(&th[t], NULL, pool_worker, &p) != 0) break;
        started = t;
    }
    pool_worker(&p);
    for (int t = 1; t <= started; t++) pthread_join(th[t], NULL);
    if (p.status != PL_OK) return pl_err(p.status, "%s", p.msg);
    return PL_OK;
}

void pl_place_progress(pl_place_ctx *x, const char *stage, double done, double best)
{
    if (!x->cfg->progress) return;
    pthread_mutex_lock(&x->lock);
    x->cfg->progress(x->cfg->progress_user, stage, done, best);
    pthread_mutex_unlock(&x->lock);
}

int pl_place_out_of_time(const pl_place_ctx *x, double reserve)
{
    return x->deadline > 0 && pl_place_now() + reserve > x->deadline;
}

/* ---- setup ---- */

/* Core (bounding box of the rows, else the die) and hard placement blockages, in the clustered
 * netlist's coordinates (die lower-left = origin). */
static pl_status geometry(pl_place_ctx *x)
{
    const pl_netlist *f = x->flat;
    double dx = f->die.x0, dy = f->die.y0;
    pl_rect core = f->die;
    for (int64_t i = 0; i < f->nrows; i++) {
        const pl_row *r = &f->rows[i];
        int32_t s = pl_strmap_gets(&f->site_by_name, r->site);
        double sw = r->sx > 0 ? r->sx : (s >= 0 ? f->sites[s].w : 0);
        double sh = s >= 0 ? f->sites[s].h : (r->sy > 0 ? r->sy : 0);
        double x1 = r->x + sw * (r->nx > 0 ? r->nx : 1);
        double y1 = r->y + sh + (r->ny > 1 ? (r->ny - 1) * r->sy : 0);
        pl_rect_include(&core, i == 0, r->x, r->y);
        pl_rect_include(&core, 0, x1, y1);
    }
    x->region[0] = fmax(core.x0, f->die.x0) - dx, x->region[1] = fmax(core.y0, f->die.y0) - dy;
    x->region[2] = fmin(core.x1, f->die.x1) - dx, x->region[3] = fmin(core.y1, f->die.y1) - dy;
    x->obs = malloc((size_t)(f->nblockages + 1) * 4 * sizeof *x->obs);
    if (!x->obs) return pl_err(PL_ENOMEM, "out of memory in placement");
    for (int64_t i = 0; i < f->nblockages; i++) {
        const pl_blockage *b = &f->blockages[i];
        if (b->kind != PL_BLOCK_PLACEMENT || b->soft || b->partial > 0) continue;
        double *o = x->obs + 4 * x->nobs++;
        o[0] = b->r.x0 - dx, o[1] = b->r.y0 - dy, o[2] = b->r.x1 - dx, o[3] = b->r.y1 - dy;
    }
    return PL_OK;
}

/* Flips are allowed when every movable macro's master is symmetric about X and Y. */
static int flips_allowed(const pl_place_ctx *x)
{
    for (int32_t j = 0; j < x->k.n; j++) {
        const pl_node *n = &x->flat->nodes[x->flat_of[j]];
        if (n->master < 0) return 0;
        int sym = x->flat->masters[n->master].symmetry;
        if (!(sym & PL_SYM_X) || !(sym & PL_SYM_Y)) return 0;
    }
    return 1;
}

static void record(pl_place_result *res, const char *name, const pl_cost_terms *t, double hpwl, double seconds)
{
    if (res->nstages >= PL_PLACE_MAX_STAGES) return;
    pl_place_stage *s = &res->stage[res->nstages++];
    s->name = name;
    s->terms = *t;
    s->macro_hpwl = hpwl;
    s->seconds = seconds;
}

static pl_status publish(const pl_place_ctx *x, pl_event_kind kind, const char *stage, const pl_netlist *nl,
                         const pl_cost *c, const pl_cost_terms *t)
{
    if (!x->cfg->bus) return PL_OK;
    pl_event ev = pl_event_make(kind);
    ev.stage = stage;
    ev.nl = nl;
    ev.cost = c;
    ev.terms = t;
    ev.seed = x->cfg->seed;
    ev.has_seed = 1;
    return pl_event_bus_publish(x->cfg->bus, &ev);
}

static void ctx_free(pl_place_ctx *x)
{
    for (int i = 0; i < x->nstarts; i++) pl_place_cand_free(&x->starts[i]);
    free(x->starts);
    pl_construct_free(&x->k);
    if (x->has_base) pl_cost_free(&x->base);
    pl_prepare_free(&x->prep);
    free(x->obs);
    free(x->flat_of);
    pthread_mutex_destroy(&x->lock);
}

/* Writes the candidate's macros into the flat netlist (PLACED, lower-left in die coordinates). */
static void to_flat(const pl_place_ctx *x, const pl_place_cand *cd)
{
    for (int32_t j = 0; j < x->k.n; j++) {
        pl_node *n = &x->flat->nodes[x->flat_of[j]];
        n->orient = (pl_orient)cd->o[j];
        n->x = x->flat->die.x0 + cd->x[j] - 0.5 * pl_node_width(n);
        n->y = x->flat->die.y0 + cd->y[j] - 0.5 * pl_node_height(n);
        n->state = PL_PLACE_PLACED;
    }
}

static void from_flat(const pl_place_ctx *x, pl_place_cand *cd)
{
    for (int32_t j = 0; j < x->k.n; j++) {
        const pl_node *n = &x->flat->nodes[x->flat_of[j]];
        cd->o[j] = (uint8_t)n->orient;
        cd->x[j] = n->x - x->flat->die.x0 + 0.5 * pl_node_width(n);
        cd->y[j] = n->y - x->flat->die.y0 + 0.5 * pl_node_height(n);
    }
}

/* The prepared macro positions legalised by the legaliser: a start that needs no grid. The flat
 * netlist's macros are restored afterwards. *ok 0 if it does not legalise. */
pl_status pl_place_fd_start(pl_place_ctx *x, pl_place_cand *cd, int *ok)
{
    *ok = 0;
    int32_t n = x->k.n;
    pl_node *save = malloc((size_t)(n ? n : 1) * sizeof *save);
    if (!save) return pl_err(PL_ENOMEM, "out of memory in placement");
    for (int32_t j = 0; j < n; j++) save[j] = x->flat->nodes[x->flat_of[j]];
    pl_place_cand_from_cost(x, &x->base, cd);
    to_flat(x, cd);
    pl_legalize_stats ls;
    pl_status s = pl_legalize_macros(x->flat, &x->legal_search, &ls);
    if (s == PL_OK) {
        from_flat(x, cd);
        *ok = 1;
    } else {
        pl_info("place", "the prepared positions do not legalise (%s); no FD start", pl_errmsg());
        pl_err_clear();
        s = PL_OK;
    }
    for (int32_t j = 0; j < n; j++) x->flat->nodes[x->flat_of[j]] = save[j];
    free(save);
    return s;
}

pl_status pl_place_run(pl_netlist *flat, const pl_place_config *cfg, pl_place_result *res)
{
    memset(res, 0, sizeof *res);
    res->best_chain = -1;
    pl_place_ctx x;
    memset(&x, 0, sizeof x);
    pthread_mutex_init(&x.lock, NULL);
    x.cfg = cfg;
    x.flat = flat;
    x.t0 = pl_place_now();
    x.deadline = cfg->time_limit > 0 ? x.t0 + cfg->time_limit : 0;
    x.legal_search = cfg->legal;
    pl_netlist_init(&x.prep.nl);
    pl_design_cost_config dc = cfg->dc;
    dc.seed = cfg->seed;
    pl_cost_config_default(&x.ccfg);
    /* ---- start: prepare as eval does ---- */
    pl_status s = publish(&x, PL_EVENT_STAGE_BEGIN, "prepare", NULL, NULL, NULL);
    if (s == PL_OK) s = pl_design_cost_prepare(flat, &dc, &x.prep, &x.ccfg, NULL);
    if (s == PL_OK && dc.grid2023) pl_cost_config_grid2023(&x.ccfg);
    if (s == PL_OK) s = pl_cost_init(&x.base, &x.prep.nl, &x.ccfg);
    if (s == PL_OK) x.has_base = 1;
    if (s == PL_OK) s = geometry(&x);
    if (s == PL_OK) s = pl_construct_init(&x.k, &x.base, x.region, x.obs, x.nobs);
    if (s != PL_OK) goto done;
    {
        uint64_t st = cfg->seed; /* as cluster/prepare.c derives its streams: clustering, then FD */
        pl_splitmix64(&st);
        x.fd_seed = pl_splitmix64(&st);
    }
    res->cols = x.prep.cols, res->rows = x.prep.rows, res->clusters = x.prep.cl.nclusters;
    res->movable = x.k.n;
    for (int64_t i = 0; i < x.prep.nl.nnodes; i++)
        res->fixed += x.prep.nl.nodes[i].kind == PL_NODE_MACRO && (x.prep.nl.nodes[i].state == PL_PLACE_FIXED ||
                                                                   x.prep.nl.nodes[i].state == PL_PLACE_COVER);
    x.flat_of = malloc((size_t)(x.k.n ? x.k.n : 1) * sizeof *x.flat_of);
    if (!x.flat_of) {
        s = pl_err(PL_ENOMEM, "out of memory in placement");
        goto done;
    }
    for (int32_t j = 0; j < x.k.n; j++) {
        x.flat_of[j] = pl_netlist_find_node(flat, x.prep.nl.nodes[x.k.order[j]].name);
        PL_ASSERT(x.flat_of[j] >= 0);
    }
    x.flips = cfg->p_flip > 0 && flips_allowed(&x);
    res->flips = x.flips;
    {
        pl_cost_terms t;
        pl_cost_terms_get(&x.base, &t);
        x.prepare_seconds = pl_place_now() - x.t0;
        record(res, "start", &t, pl_place_macro_hpwl(&x.base), x.prepare_seconds);
        pl_info("place", "start: proxy %.4f (wl %.4f, density %.4f, congestion %.4f), %d movable macros, grid %dx%d, "
                "%d soft macros, prepared in %.1f s", t.proxy_cost, t.wirelength_cost, t.density_cost,
                t.congestion_cost, x.k.n, x.prep.cols, x.prep.rows, x.prep.cl.nclusters, x.prepare_seconds);
    }
    s = publish(&x, PL_EVENT_STAGE_END, "prepare", &x.prep.nl, &x.base, NULL);
    if (s != PL_OK) goto done;
    /* the final stage repeats the preparation: keep that much time */
    x.reserve = 1.5 * x.prepare_seconds + 1.0;

    pl_place_cand best;
    memset(&best, 0, sizeof best);
    if (x.k.n > 0) {
        s = pl_place_cand_alloc(&best, x.k.n);
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_BEGIN, "search", NULL, NULL, NULL);
        if (s == PL_OK) s = pl_place_search(&x, res, &best);
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_END, "search", NULL, NULL, NULL);
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_BEGIN, "refine", NULL, NULL, NULL);
        if (s == PL_OK) s = pl_place_refine(&x, res, &best);
        if (s == PL_OK) s = publish(&x, PL_EVENT_STAGE_END, "refine", NULL, NULL, NULL);
        if (s == PL_OK) to_flat(&x, &best);
    }
    pl_place_cand_free(&best);
    if (s != PL_OK) goto done;

    /* ---- legalise, then evaluate exactly as `placer eval` evaluates the written DEF ---- */
    {
        double t = pl_place_now();
        s = publish(&x, PL_EVENT_STAGE_BEGIN, "legalize", NULL, NULL, NULL);
        if (s == PL_OK) s = pl_legalize_macros(flat, &cfg->legal, &res->legal);
        pl_prepare fin;
        memset(&fin, 0, sizeof fin);
        pl_netlist_init(&fin.nl);
        pl_cost fc;
        int has_fc = 0;
        pl_cost_config ccfg;
        pl_cost_config_default(&ccfg);
        if (s == PL_OK) s = pl_design_cost_prepare(flat, &dc, &fin, &ccfg, NULL);
        if (s == PL_OK && dc.grid2023) pl_cost_config_grid2023(&ccfg);
        if (s == PL_OK) s = pl_cost_init(&fc, &fin.nl, &ccfg);
        if (s == PL_OK) {
            has_fc = 1;
            pl_cost_terms tt;
            pl_cost_terms_get(&fc, &tt);
            record(res, "legalize", &tt, pl_place_macro_hpwl(&fc), pl_place_now() - t);
            pl_info("place", "legalised %d macros (displacement total %.3f um, max %.3f um): proxy %.4f",
                    res->legal.moved, res->legal.total_disp, res->legal.max_disp, tt.proxy_cost);
            s = publish(&x, PL_EVENT_STAGE_END, "legalize", NULL, NULL, NULL);
            if (s == PL_OK) s = publish(&x, PL_EVENT_PLACEMENT_DONE, "place", &fin.nl, &fc, &tt);
        }
        if (has_fc) pl_cost_free(&fc);
        pl_prepare_free(&fin);
    }
done:
    res->seconds = pl_place_now() - x.t0;
    ctx_free(&x);
    return s;
}
