/* gen_nets.c: step 3 of `placer gen`: pins, the clock net and signal nets with spatial locality. */
#include "gen/gen_nets.h"

#include <math.h>
#include <stdlib.h>

/* ---- step 3: nets ----
 * Every driver first takes one sink near it, then more up to a long-tailed fan-out target, and
 * each input left over joins a nearby driver's net. DFF and SRAM clock pins hang on the `clk` port.
 */

/* Fan-out target: mostly 1-4, with a long tail to ~40. */
static int32_t fanout_target(gen *g)
{
    double u = uniform(g);
    if (u < 0.60) return 1;
    if (u < 0.80) return 2;
    if (u < 0.88) return 3;
    if (u < 0.93) return 4;
    if (u < 0.97) return 5 + below(g, 4);
    if (u < 0.99) return 9 + below(g, 8);
    return 17 + below(g, 24);
}

static pl_status add_pin(gen *g, int32_t owner, int32_t mpin, int is_out, int is_clock)
{
    if (g->npins == g->pins_cap) {
        int32_t cap = g->pins_cap ? g->pins_cap * 2 : 1024;
        gpin *p = realloc(g->pins, (size_t)cap * sizeof *p);
        if (!p) return pl_err(PL_ENOMEM, "gen: out of memory (%d pins)", cap);
        g->pins = p;
        g->pins_cap = cap;
    }
    gpin *p = &g->pins[g->npins++];
    p->owner = owner;
    p->mpin = mpin;
    p->net = -1;
    p->next = -1;
    p->is_out = (uint8_t)is_out;
    p->is_clock = (uint8_t)is_clock;
    return PL_OK;
}

static pl_status build_pins(gen *g)
{
    for (int32_t o = 0; o < g->nowners; o++) {
        gowner *w = &g->owners[o];
        w->pin0 = g->npins;
        if (w->kind == OWN_MACRO) {
            const gmaster *m = &g->masters[w->type];
            for (int k = 0; k < m->npins; k++)
                PL_TRY(add_pin(g, o, k, m->pins[k].is_out, m->pins[k].is_clock));
        } else if (w->kind == OWN_CELL) {
            const cell_def *c = &CELLS[w->type];
            for (int k = 0; k <= c->nin; k++)
                PL_TRY(add_pin(g, o, k, k == c->nin, k == c->clock_pin));
        } else {
            PL_TRY(add_pin(g, o, 0, !w->type, 0)); /* an input port drives the design */
        }
        w->npins = g->npins - w->pin0;
    }
    return PL_OK;
}

static pl_status grid_build(gen *g, grid *gr, int32_t nitems, int32_t (*owner_of)(const gen *, int32_t),
                            int (*keep)(const gen *, int32_t))
{
    double cw = (double)g->core_w, ch = (double)g->core_h;
    double cell = sqrt(cw * ch * 6.0 / (nitems > 0 ? nitems : 1));
    gr->gx = (int)(cw / cell) + 1;
    gr->gy = (int)(ch / cell) + 1;
    gr->x0 = (double)g->core_x0;
    gr->y0 = (double)g->core_y0;
    gr->bw = cw / gr->gx;
    gr->bh = ch / gr->gy;
    int32_t nb = gr->gx * gr->gy;
    if (!PL_CALLOC(gr->off, nb + 1)) return gen_oom("search grid");
    if (!PL_CALLOC(gr->items, nitems)) return gen_oom("search grid");
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t i = 0; i < nitems; i++) {
            if (!keep(g, i)) continue;
            const gowner *o = &g->owners[owner_of(g, i)];
            int bx = (int)((o->x - gr->x0) / gr->bw), by = (int)((o->y - gr->y0) / gr->bh);
            bx = bx < 0 ? 0 : bx >= gr->gx ? gr->gx - 1 : bx;
            by = by < 0 ? 0 : by >= gr->gy ? gr->gy - 1 : by;
            int32_t b = by * gr->gx + bx;
            if (pass == 0) gr->off[b + 1]++;
            else gr->items[gr->off[b]++] = i;
        }
        if (pass == 0) {
            for (int32_t b = 0; b < nb; b++) gr->off[b + 1] += gr->off[b];
        } else {
            for (int32_t b = nb; b > 0; b--) gr->off[b] = gr->off[b - 1];
            gr->off[0] = 0;
        }
    }
    return PL_OK;
}

static int32_t owner_self(const gen *g, int32_t i) { (void)g; return i; }
static int32_t owner_of_pin(const gen *g, int32_t i) { return g->pins[i].owner; }
static int keep_sink_owner(const gen *g, int32_t i) { return g->owners[i].nfree > 0; }
static int keep_driver(const gen *g, int32_t i) { return g->pins[i].is_out; }

static void bucket_of(const grid *gr, double x, double y, int *bx, int *by)
{
    int ix = (int)((x - gr->x0) / gr->bw), iy = (int)((y - gr->y0) / gr->bh);
    *bx = ix < 0 ? 0 : ix >= gr->gx ? gr->gx - 1 : ix;
    *by = iy < 0 ? 0 : iy >= gr->gy ? gr->gy - 1 : iy;
}

static pl_status net_new(gen *g, int32_t driver)
{
    if (g->nnets == g->nets_cap) {
        int32_t cap = g->nets_cap ? g->nets_cap * 2 : 1024;
        gnet *n = realloc(g->nets, (size_t)cap * sizeof *n);
        if (!n) return pl_err(PL_ENOMEM, "gen: out of memory (%d nets)", cap);
        g->nets = n;
        g->nets_cap = cap;
    }
    gnet *n = &g->nets[g->nnets];
    n->driver = n->tail = driver;
    n->count = 1;
    g->pins[driver].net = g->nnets++;
    return PL_OK;
}

/* Puts sink pin p on driver d's net (creating the net on the first sink). */
static pl_status attach(gen *g, int32_t d, int32_t p)
{
    if (g->pins[d].net < 0) PL_TRY(net_new(g, d));
    int32_t id = g->pins[d].net;
    gnet *n = &g->nets[id];
    gpin *sp = &g->pins[p];
    sp->net = id;
    sp->next = -1;
    g->pins[n->tail].next = p;
    n->tail = p;
    n->count++;
    gowner *o = &g->owners[sp->owner];
    o->nfree--;
    g->free_total--;
    if (g->owner_bucket) g->bucket_free[g->owner_bucket[sp->owner]]--;
    return PL_OK;
}

static int owner_on_net(const gen *g, int32_t owner, int32_t net)
{
    const gowner *o = &g->owners[owner];
    for (int32_t k = 0; k < o->npins; k++)
        if (g->pins[o->pin0 + k].net == net && net >= 0) return 1;
    return 0;
}

/* A random free input pin of owner o. */
static int32_t free_input(gen *g, int32_t o)
{
    const gowner *w = &g->owners[o];
    int32_t r = below(g, w->nfree);
    for (int32_t k = 0; k < w->npins; k++) {
        const gpin *p = &g->pins[w->pin0 + k];
        if (!p->is_out && p->net < 0 && r-- == 0) return w->pin0 + k;
    }
    PL_ASSERT(0);
    return -1;
}

static int cmp_cand(const void *a, const void *b)
{
    const gcand *x = a, *y = b;
    if (x->d2 != y->d2) return x->d2 < y->d2 ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Collects candidates around (x, y) ring by ring into g->cand (owners for the sink grid, driver
 * pins for the driver grid) until at least `want` are found beyond the first ring; sorts them by
 * distance and returns how many. accept() filters. */
static int32_t nearby(gen *g, const grid *gr, int sink_grid, double x, double y, int32_t want,
                      int (*accept)(gen *, int32_t, void *), void *ctx)
{
    int bx, by;
    bucket_of(gr, x, y, &bx, &by);
    int32_t cnt = 0;
    int maxr = gr->gx > gr->gy ? gr->gx : gr->gy;
    for (int r = 0; r <= maxr; r++) {
        for (int dy = -r; dy <= r; dy++) {
            int yy = by + dy;
            if (yy < 0 || yy >= gr->gy) continue;
            int edge_row = dy == -r || dy == r;
            for (int dx = -r; dx <= r; dx += edge_row ? 1 : 2 * r) {
                int xx = bx + dx;
                if (xx >= 0 && xx < gr->gx) {
                    int32_t b = yy * gr->gx + xx;
                    if (!sink_grid || g->bucket_free[b] > 0) {
                        for (int32_t k = gr->off[b]; k < gr->off[b + 1] && cnt < g->cand_cap; k++) {
                            int32_t it = gr->items[k];
                            if (!accept(g, it, ctx)) continue;
                            const gowner *o = &g->owners[sink_grid ? it : g->pins[it].owner];
                            double ex = o->x - x, ey = o->y - y;
                            g->cand[cnt].id = it;
                            g->cand[cnt].d2 = ex * ex + ey * ey;
                            cnt++;
                        }
                    }
                }
                if (r == 0) break;
            }
        }
        if ((cnt >= want && r >= 1) || cnt >= g->cand_cap) break;
    }
    /* (distance, id) is a total order, so qsort's result does not depend on its algorithm */
    qsort(g->cand, (size_t)cnt, sizeof *g->cand, cmp_cand);
    return cnt;
}

static int accept_sink_owner(gen *g, int32_t o, void *ctx)
{
    (void)ctx;
    return g->owners[o].nfree > 0 && g->mark[o] != g->stamp;
}

/* Gives driver d up to `want` more sinks, near it (94%) or anywhere (6%). */
static pl_status add_sinks(gen *g, int32_t d, int32_t want)
{
    if (want <= 0 || g->free_total <= 0) return PL_OK;
    const gpin *dp = &g->pins[d];
    const gowner *dow = &g->owners[dp->owner];
    /* owners already on the net (and the driver's own) are excluded */
    g->stamp++;
    g->mark[dp->owner] = g->stamp;
    if (dp->net >= 0)
        for (int32_t p = g->nets[dp->net].driver; p >= 0; p = g->pins[p].next) g->mark[g->pins[p].owner] = g->stamp;
    int32_t pool = want * 2 + 2;
    int32_t cnt = nearby(g, &g->sg, 1, dow->x, dow->y, pool, accept_sink_owner, NULL);
    if (cnt > pool) cnt = pool;
    for (int32_t k = 0; k < want && g->free_total > 0; k++) {
        int32_t o = -1;
        if (uniform(g) < 0.06) {
            for (int t = 0; t < 16 && o < 0; t++) {
                int32_t c = below(g, g->nowners);
                if (g->owners[c].nfree > 0 && g->mark[c] != g->stamp) o = c;
            }
        }
        while (o < 0 && cnt > 0) {
            int32_t j = below(g, cnt);
            int32_t c = g->cand[j].id;
            g->cand[j] = g->cand[--cnt];
            if (g->owners[c].nfree > 0 && g->mark[c] != g->stamp) o = c;
        }
        if (o < 0) break;
        g->mark[o] = g->stamp;
        PL_TRY(attach(g, d, free_input(g, o)));
    }
    return PL_OK;
}

typedef struct drv_ctx {
    int32_t owner;
} drv_ctx;

static int accept_driver(gen *g, int32_t d, void *ctx)
{
    const drv_ctx *c = ctx;
    const gpin *p = &g->pins[d];
    if (p->owner == c->owner) return 0;
    if (p->net >= 0 && p->net == g->clock_net) return 0;
    return !owner_on_net(g, c->owner, p->net);
}

/* Moves the last sink of a net with at least three pins to driver d (a port left without sinks). */
static pl_status steal_sink(gen *g, int32_t d)
{
    for (int32_t id = 0; id < g->nnets; id++) {
        gnet *n = &g->nets[id];
        if (n->count < 3 || id == g->clock_net) continue;
        int32_t prev = n->driver;
        while (g->pins[prev].next != n->tail) prev = g->pins[prev].next;
        int32_t p = n->tail;
        if (g->pins[p].owner == g->pins[d].owner) continue;
        g->pins[prev].next = -1;
        n->tail = prev;
        n->count--;
        g->owners[g->pins[p].owner].nfree++; /* attach() takes these back */
        g->free_total++;
        g->bucket_free[g->owner_bucket[g->pins[p].owner]]++;
        return attach(g, d, p);
    }
    return pl_err(PL_EINVAL, "gen: the design is too small to connect every IO pin; add --cells or "
                  "lower --ios");
}

pl_status pl_gen_nets_build(gen *g)
{
    const pl_gen_config *cfg = g->cfg;
    PL_TRY(build_pins(g));
    g->clock_net = -1;

    /* clock: every DFF and SRAM clock pin on `clk` */
    int32_t clk = cfg->ios > 0 ? g->pins[g->owners[cfg->macros + cfg->cells].pin0].owner : -1;
    int32_t clk_pin = clk >= 0 ? g->owners[clk].pin0 : -1;
    int nclock = 0;
    for (int32_t p = 0; p < g->npins; p++) nclock += g->pins[p].is_clock;
    for (int32_t o = 0; o < g->nowners; o++) {
        gowner *w = &g->owners[o];
        for (int32_t k = 0; k < w->npins; k++) {
            const gpin *p = &g->pins[w->pin0 + k];
            w->nfree += !p->is_out;
        }
        g->free_total += w->nfree;
    }
    if (clk_pin >= 0 && nclock > 0) {
        for (int32_t p = 0; p < g->npins; p++)
            if (g->pins[p].is_clock) PL_TRY(attach(g, clk_pin, p));
        g->clock_net = g->pins[clk_pin].net;
    }

    if (!PL_CALLOC(g->mark, g->nowners)) return gen_oom("owner marks");
    g->cand_cap = 4096;
    if (!PL_CALLOC(g->cand, g->cand_cap)) return gen_oom("candidates");
    PL_TRY(grid_build(g, &g->sg, g->nowners, owner_self, keep_sink_owner));
    int32_t nb = g->sg.gx * g->sg.gy;
    if (!PL_CALLOC(g->bucket_free, nb)) return gen_oom("search grid");
    if (!PL_CALLOC(g->owner_bucket, g->nowners)) return gen_oom("search grid");
    for (int32_t b = 0; b < nb; b++)
        for (int32_t k = g->sg.off[b]; k < g->sg.off[b + 1]; k++) {
            int32_t o = g->sg.items[k];
            g->owner_bucket[o] = b;
            g->bucket_free[b] += g->owners[o].nfree;
        }

    /* drivers: ports first, then macro outputs and cells, each group in random order */
    int32_t ndrv = 0;
    int32_t *drv = NULL, *target = NULL;
    if (!PL_CALLOC(drv, (int64_t)g->npins + 1) || !PL_CALLOC(target, (int64_t)g->npins + 1)) {
        free(drv);
        free(target);
        return pl_err(PL_ENOMEM, "gen: out of memory (drivers)");
    }
    int32_t first_port_pin = cfg->ios > 0 ? g->owners[cfg->macros + cfg->cells].pin0 : g->npins;
    for (int32_t p = first_port_pin; p < g->npins; p++)
        if (g->pins[p].is_out && g->pins[p].net < 0) drv[ndrv++] = p;
    int32_t nport_drv = ndrv;
    for (int32_t p = 0; p < first_port_pin; p++)
        if (g->pins[p].is_out) drv[ndrv++] = p;
    shuffle(g, drv, nport_drv);
    shuffle(g, drv + nport_drv, ndrv - nport_drv);
    for (int32_t i = 0; i < ndrv; i++) {
        const gpin *p = &g->pins[drv[i]];
        int is_rst = cfg->ios > 1 && p->owner == clk + 1;
        target[i] = is_rst ? 8 + cfg->cells / 40 : fanout_target(g);
    }
    pl_status s = PL_OK;
    /* phase 1: one sink each; phase 2: up to the target while 10% of the inputs remain */
    for (int32_t i = 0; i < ndrv && s == PL_OK; i++) s = add_sinks(g, drv[i], 1);
    int64_t reserve = g->free_total / 10;
    for (int32_t i = 0; i < ndrv && s == PL_OK; i++) {
        if (g->free_total <= reserve) break;
        int32_t have = g->pins[drv[i]].net >= 0 ? g->nets[g->pins[drv[i]].net].count - 1 : 0;
        int32_t want = target[i] - have;
        if (want > g->free_total - reserve) want = (int32_t)(g->free_total - reserve);
        s = add_sinks(g, drv[i], want);
    }
    free(target);
    free(drv);
    PL_TRY(s);

    /* phase 3: each input still free joins the net of one of the three nearest drivers */
    PL_TRY(grid_build(g, &g->dg, g->npins, owner_of_pin, keep_driver));
    for (int32_t o = 0; o < g->nowners; o++) {
        gowner *w = &g->owners[o];
        for (int32_t k = 0; k < w->npins && w->nfree > 0; k++) {
            int32_t p = w->pin0 + k;
            if (g->pins[p].is_out || g->pins[p].net >= 0) continue;
            drv_ctx c = {o};
            int32_t cnt = nearby(g, &g->dg, 0, w->x, w->y, 3, accept_driver, &c);
            if (cnt == 0) continue;
            PL_TRY(attach(g, g->cand[below(g, cnt < 3 ? cnt : 3)].id, p));
        }
    }
    /* every input port must reach the design, every output port be driven */
    for (int32_t p = first_port_pin; p < g->npins; p++) {
        if (g->pins[p].is_out && g->pins[p].net < 0) PL_TRY(steal_sink(g, p));
        if (g->pins[p].net < 0)
            return pl_err(PL_EINVAL, "gen: the design is too small to drive every IO pin; add "
                          "--cells or lower --ios");
    }
    return PL_OK;
}
