/* place_ctx.c: candidates, views, evaluation and the worker pool of the placement pipeline; see
 * place_ctx.h.
 *
 * Workers that run FD need their own node positions: a "view" is a shallow copy of the clustered
 * netlist that owns only a private copy of the nodes array (FD writes node x, y; pl_cost reads the
 * netlist). A view is never passed to pl_netlist_free: view_free frees the nodes copy only. */
#include "search/place_ctx.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/fdplace.h"
#include "core/log.h"

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
    double dx = x->prob->prep.origin_x, dy = x->prob->prep.origin_y;
    for (int32_t j = 0; j < x->k.n; j++) {
        pl_node *n = &fview->nodes[x->flat_of[j]];
        n->orient = (pl_orient)cd->o[j];
        n->x = dx + cd->x[j] - 0.5 * pl_node_width(n);
        n->y = dy + cd->y[j] - 0.5 * pl_node_height(n);
        n->state = PL_PLACE_PLACED;
    }
    pl_status s = pl_legalize_macros(fview, &x->legal, NULL);
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
    double ox = x->prob->prep.origin_x, oy = x->prob->prep.origin_y;
    for (int32_t j = 0; j < x->k.n; j++) {
        const pl_node *src = &fview->nodes[x->flat_of[j]];
        pl_node *d = &view->nodes[x->k.order[j]];
        d->x = src->x - ox, d->y = src->y - oy;
        d->orient = src->orient;
        d->state = PL_PLACE_PLACED;
    }
}

static pl_status soft_and_cost(const pl_place_ctx *x, pl_netlist *view, pl_cost *c, int *has_cost, pl_place_cand *cd);

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
    return soft_and_cost(x, view, c, has_cost, cd);
}

/* Places the view's soft macros as eval does and rebuilds c on the view; cd gets the terms. */
static pl_status soft_and_cost(const pl_place_ctx *x, pl_netlist *view, pl_cost *c, int *has_cost, pl_place_cand *cd)
{
    pl_fd_config fc;
    pl_problem_fd_config(x->prob, &fc);
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

/* Writes the candidate's macros into the flat netlist (PLACED, lower-left in die coordinates). */
void pl_place_cand_to_flat(const pl_place_ctx *x, const pl_place_cand *cd, pl_netlist *flat)
{
    for (int32_t j = 0; j < x->k.n; j++) {
        pl_node *n = &flat->nodes[x->flat_of[j]];
        n->orient = (pl_orient)cd->o[j];
        n->x = x->prob->prep.origin_x + cd->x[j] - 0.5 * pl_node_width(n);
        n->y = x->prob->prep.origin_y + cd->y[j] - 0.5 * pl_node_height(n);
        n->state = PL_PLACE_PLACED;
    }
}

static void from_flat(const pl_place_ctx *x, pl_place_cand *cd)
{
    for (int32_t j = 0; j < x->k.n; j++) {
        const pl_node *n = &x->flat->nodes[x->flat_of[j]];
        cd->o[j] = (uint8_t)n->orient;
        cd->x[j] = n->x - x->prob->prep.origin_x + 0.5 * pl_node_width(n);
        cd->y[j] = n->y - x->prob->prep.origin_y + 0.5 * pl_node_height(n);
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
    pl_place_cand_to_flat(x, cd, x->flat);
    pl_legalize_stats ls;
    pl_status s = pl_legalize_macros(x->flat, &x->legal, &ls);
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

pl_status pl_place_evaluate_flat(const pl_place_ctx *x, const pl_netlist *flat, pl_netlist *view, pl_cost *c,
                                 int *has_cost, pl_place_cand *cd, pl_soft_mean *sm)
{
    view_from_fview(x, view, flat);
    PL_TRY(pl_soft_cost(x->prob, view, x->cfg->threads, c, has_cost, sm));
    cd->terms = sm->mean;
    cd->proxy = sm->mean.proxy_cost;
    cd->hpwl = pl_place_macro_hpwl(c);
    cd->ok = 1;
    return PL_OK;
}
