/* fdplace.c: force-directed soft-macro placement; see fdplace.h. */
#include "cluster/fdplace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/rng.h"

void pl_fd_config_default(pl_fd_config *cfg)
{
    pl_fd_config_ct(cfg);
    cfg->method = PL_FD_ANALYTIC;
}

void pl_fd_config_ct(pl_fd_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->nstages = 3;
    for (int i = 0; i < 3; i++) cfg->steps[i] = 100, cfg->move_factor[i] = 1.0;
    cfg->attract[0] = 100, cfg->attract[1] = 1e-3, cfg->attract[2] = 1e-5;
    cfg->repel[0] = 0, cfg->repel[1] = 1e6, cfg->repel[2] = 1e7;
    cfg->io_factor = 1.0;
    cfg->final_step = 0.05;
    cfg->seed = 1;
    cfg->method = PL_FD_FORCES;
    pl_an_config_default(&cfg->an);
}

void pl_fd_config_mixed(pl_fd_config *cfg)
{
    pl_fd_config_ct(cfg);
    cfg->move_factor[1] = cfg->move_factor[2] = 2.0;
    cfg->repel[1] = 1e5, cfg->repel[2] = 1e6;
    cfg->mixed = 1;
}


typedef struct fd_edge {
    int32_t d, s;          /* driver node, sink node */
    double dox, doy, sox, soy; /* pin offsets from the node centres */
    double w;
} fd_edge;

typedef struct fd_ws {
    int32_t n;               /* nodes */
    double W, H;
    double *cx, *cy, *hw, *hh; /* (N) centres relative to the die, half sizes */
    uint8_t *mov, *blk;      /* (N) movable, takes part in overlap */
    double *fx, *fy;         /* (N) */
    fd_edge *e;
    int64_t ne;
    int32_t *blist;          /* blockers */
    int32_t nb;
    /* bins */
    int bcols, brows;
    double bw, bh;
    int32_t *boff, *bitems, *bfill;
    int64_t bcap;
    int32_t *stamp;
} fd_ws;

static void ws_free(fd_ws *w)
{
    free(w->cx), free(w->cy), free(w->hw), free(w->hh), free(w->mov), free(w->blk), free(w->fx), free(w->fy);
    free(w->e), free(w->blist), free(w->boff), free(w->bitems), free(w->bfill), free(w->stamp);
}

static void bin_range(const fd_ws *w, int32_t i, int *c0, int *c1, int *r0, int *r1)
{
    *c0 = (int)floor((w->cx[i] - w->hw[i]) / w->bw), *c1 = (int)floor((w->cx[i] + w->hw[i]) / w->bw);
    *r0 = (int)floor((w->cy[i] - w->hh[i]) / w->bh), *r1 = (int)floor((w->cy[i] + w->hh[i]) / w->bh);
    *c0 = *c0 < 0 ? 0 : *c0 >= w->bcols ? w->bcols - 1 : *c0;
    *c1 = *c1 < 0 ? 0 : *c1 >= w->bcols ? w->bcols - 1 : *c1;
    *r0 = *r0 < 0 ? 0 : *r0 >= w->brows ? w->brows - 1 : *r0;
    *r1 = *r1 < 0 ? 0 : *r1 >= w->brows ? w->brows - 1 : *r1;
}

/* Blockers into every bin their rectangle touches (counting sort). */
static pl_status bins_build(fd_ws *w)
{
    int nbin = w->bcols * w->brows;
    memset(w->boff, 0, (size_t)(nbin + 1) * sizeof *w->boff);
    int64_t total = 0;
    for (int32_t k = 0; k < w->nb; k++) {
        int c0, c1, r0, r1;
        bin_range(w, w->blist[k], &c0, &c1, &r0, &r1);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) w->boff[r * w->bcols + c + 1]++;
        total += (int64_t)(c1 - c0 + 1) * (r1 - r0 + 1);
    }
    if (total > w->bcap) {
        int32_t *p = realloc(w->bitems, (size_t)total * sizeof *p);
        if (!p) return pl_err(PL_ENOMEM, "fd: out of memory");
        w->bitems = p;
        w->bcap = total;
    }
    for (int b = 0; b < nbin; b++) w->boff[b + 1] += w->boff[b];
    memcpy(w->bfill, w->boff, (size_t)nbin * sizeof *w->bfill);
    for (int32_t k = 0; k < w->nb; k++) {
        int32_t i = w->blist[k];
        int c0, c1, r0, r1;
        bin_range(w, i, &c0, &c1, &r0, &r1);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) w->bitems[w->bfill[r * w->bcols + c]++] = i;
    }
    return PL_OK;
}

static int overlaps(const fd_ws *w, int32_t i, int32_t j, double *ox, double *oy)
{
    *ox = w->hw[i] + w->hw[j] - fabs(w->cx[i] - w->cx[j]);
    *oy = w->hh[i] + w->hh[j] - fabs(w->cy[i] - w->cy[j]);
    return *ox > 1e-9 && *oy > 1e-9;
}

/* Calls the pairs (i movable, j blocker != i) that overlap, each j once per i. */
static void repel(fd_ws *w, double k, pl_rng *rng, int32_t *stampc)
{
    for (int32_t i = 0; i < w->n; i++) {
        if (!w->mov[i] || !w->blk[i]) continue;
        (*stampc)++;
        int c0, c1, r0, r1;
        bin_range(w, i, &c0, &c1, &r0, &r1);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) {
                int b = r * w->bcols + c;
                for (int32_t t = w->boff[b]; t < w->boff[b + 1]; t++) {
                    int32_t j = w->bitems[t];
                    if (j == i || w->stamp[j] == *stampc) continue;
                    w->stamp[j] = *stampc;
                    double ox, oy;
                    if (!overlaps(w, i, j, &ox, &oy)) continue;
                    double dx = w->cx[i] - w->cx[j], dy = w->cy[i] - w->cy[j], d = hypot(dx, dy);
                    if (d < 1e-12) {
                        double a = 2 * M_PI * pl_rng_uniform(rng);
                        dx = cos(a), dy = sin(a), d = 1;
                    }
                    w->fx[i] += k * dx / d;
                    w->fy[i] += k * dy / d;
                }
            }
    }
}

static double overlap_total(fd_ws *w, int32_t *stampc)
{
    double tot = 0;
    for (int32_t i = 0; i < w->n; i++) {
        if (!w->mov[i] || !w->blk[i]) continue;
        (*stampc)++;
        int c0, c1, r0, r1;
        bin_range(w, i, &c0, &c1, &r0, &r1);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) {
                int b = r * w->bcols + c;
                for (int32_t t = w->boff[b]; t < w->boff[b + 1]; t++) {
                    int32_t j = w->bitems[t];
                    if (j == i || w->stamp[j] == *stampc || (w->mov[j] && j < i)) continue;
                    w->stamp[j] = *stampc;
                    double ox, oy;
                    if (overlaps(w, i, j, &ox, &oy)) tot += ox * oy;
                }
            }
    }
    return tot;
}

static pl_status ws_init(fd_ws *w, const pl_netlist *nl, const pl_fd_config *cfg)
{
    memset(w, 0, sizeof *w);
    int32_t N = (int32_t)nl->nnodes;
    w->n = N;
    w->W = nl->die.x1 - nl->die.x0, w->H = nl->die.y1 - nl->die.y0;
    if (!PL_CALLOC(w->cx, N) || !PL_CALLOC(w->cy, N) || !PL_CALLOC(w->hw, N) || !PL_CALLOC(w->hh, N) ||
        !PL_CALLOC(w->mov, N) || !PL_CALLOC(w->blk, N) || !PL_CALLOC(w->fx, N) || !PL_CALLOC(w->fy, N) ||
        !PL_CALLOC(w->blist, N) || !PL_CALLOC(w->stamp, N))
        return pl_err(PL_ENOMEM, "fd: out of memory");
    double dimsum = 0;
    for (int32_t i = 0; i < N; i++) {
        const pl_node *nd = &nl->nodes[i];
        double cx, cy;
        pl_node_center(nd, &cx, &cy);
        w->cx[i] = cx - nl->die.x0, w->cy[i] = cy - nl->die.y0;
        w->hw[i] = 0.5 * pl_node_width(nd), w->hh[i] = 0.5 * pl_node_height(nd);
        w->mov[i] = nd->kind == PL_NODE_SOFT || (cfg->mixed && nd->kind == PL_NODE_MACRO && nd->state == PL_PLACE_UNPLACED);
        w->blk[i] = (nd->kind == PL_NODE_SOFT || nd->kind == PL_NODE_MACRO) && w->hw[i] > 0 && w->hh[i] > 0;
        if (w->blk[i]) {
            w->blist[w->nb++] = i;
            dimsum += w->hw[i] + w->hh[i];
        }
        w->stamp[i] = 0;
    }
    /* bins about the mean blocker size, at most 256 a side */
    double side = w->nb > 0 ? dimsum / w->nb : fmax(w->W, w->H);
    side = fmax(side, fmax(w->W, w->H) / 256);
    w->bcols = (int)ceil(w->W / side), w->brows = (int)ceil(w->H / side);
    w->bcols = w->bcols < 1 ? 1 : w->bcols, w->brows = w->brows < 1 ? 1 : w->brows;
    w->bw = w->W / w->bcols, w->bh = w->H / w->brows;
    if (!PL_CALLOC(w->boff, w->bcols * w->brows + 1) || !PL_CALLOC(w->bfill, w->bcols * w->brows))
        return pl_err(PL_ENOMEM, "fd: out of memory");
    /* star edges with pin offsets from the centres (orientations do not change) */
    int64_t cap = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
        if (e - b < 2) continue;
        int32_t dp = nl->net_pins[b], d = nl->pins[dp].node;
        double px, py;
        pl_pin_position(nl, dp, &px, &py);
        double dox = px - nl->die.x0 - w->cx[d], doy = py - nl->die.y0 - w->cy[d];
        for (int64_t q = b + 1; q < e; q++) {
            int32_t sp = nl->net_pins[q], s = nl->pins[sp].node;
            if (s == d || (!w->mov[s] && !w->mov[d])) continue;
            PL_TRY(PL_GROW(w->e, cap, w->ne + 1));
            pl_pin_position(nl, sp, &px, &py);
            double wt = nl->nets[n].weight > 0 ? nl->nets[n].weight : 1.0;
            if (nl->nodes[s].kind == PL_NODE_PORT || nl->nodes[d].kind == PL_NODE_PORT) wt *= cfg->io_factor;
            w->e[w->ne++] = (fd_edge){d, s, dox, doy, px - nl->die.x0 - w->cx[s], py - nl->die.y0 - w->cy[s], wt};
        }
    }
    return PL_OK;
}

static void clamp_node(fd_ws *w, int32_t i)
{
    double lo = w->hw[i], hi = w->W - w->hw[i];
    w->cx[i] = hi < lo ? 0.5 * w->W : w->cx[i] < lo ? lo : w->cx[i] > hi ? hi : w->cx[i];
    lo = w->hh[i], hi = w->H - w->hh[i];
    w->cy[i] = hi < lo ? 0.5 * w->H : w->cy[i] < lo ? lo : w->cy[i] > hi ? hi : w->cy[i];
}

/* The analytical method, then the same overlap statistic as the forces give. */
static pl_status place_analytic(pl_netlist *nl, const pl_fd_config *cfg, pl_fd_stats *stats)
{
    pl_an_config ac = cfg->an;
    ac.mixed = cfg->mixed, ac.from_current = cfg->from_current, ac.seed = cfg->seed;
    pl_an_stats as;
    PL_TRY(pl_an_place(nl, &ac, &as));
    if (!stats) return PL_OK;
    fd_ws w;
    pl_status s = ws_init(&w, nl, cfg);
    if (s == PL_OK) s = bins_build(&w);
    if (s == PL_OK) {
        int32_t stampc = 0;
        stats->movable = as.movable;
        stats->steps = as.iters;
        stats->overflow = as.overflow;
        stats->overlap_area = overlap_total(&w, &stampc);
    }
    ws_free(&w);
    return s;
}

pl_status pl_fd_place(pl_netlist *nl, const pl_fd_config *cfg, pl_fd_stats *stats)
{
    if (!nl->finalized) return pl_err(PL_EINVAL, "fd: the netlist is not finalized");
    if (!nl->has_die || !(nl->die.x1 > nl->die.x0) || !(nl->die.y1 > nl->die.y0))
        return pl_err(PL_EINVAL, "fd: the design has no die area (canvas)");
    if (cfg->nstages < 0 || cfg->nstages > PL_FD_MAX_STAGES) return pl_err(PL_EINVAL, "fd: bad stage count");
    if (cfg->method == PL_FD_ANALYTIC) return place_analytic(nl, cfg, stats);
    if (cfg->method != PL_FD_FORCES) return pl_err(PL_EINVAL, "fd: unknown method %d", (int)cfg->method);
    fd_ws w;
    pl_status s = ws_init(&w, nl, cfg);
    if (s != PL_OK) {
        ws_free(&w);
        return s;
    }
    pl_rng rng;
    pl_rng_seed(&rng, cfg->seed);
    int nmov = 0;
    double jit = 1e-3 * fmin(w.W, w.H);
    for (int32_t i = 0; i < w.n; i++) {
        if (!w.mov[i]) continue;
        nmov++;
        if (!cfg->from_current) {
            w.cx[i] = 0.5 * w.W + jit * (pl_rng_uniform(&rng) - 0.5);
            w.cy[i] = 0.5 * w.H + jit * (pl_rng_uniform(&rng) - 0.5);
        }
        clamp_node(&w, i);
    }
    int32_t stampc = 0;
    int steps_done = 0;
    for (int st = 0; st < cfg->nstages && nmov > 0 && s == PL_OK; st++) {
        int nsteps = cfg->steps[st];
        double ka = cfg->attract[st], kr = cfg->repel[st];
        double maxmove = cfg->move_factor[st] * fmax(w.W, w.H) / (nsteps > 0 ? nsteps : 1);
        for (int it = 0; it < nsteps && s == PL_OK; it++, steps_done++) {
            for (int32_t i = 0; i < w.n; i++) w.fx[i] = w.fy[i] = 0;
            if (ka > 0) {
                for (int64_t k = 0; k < w.ne; k++) {
                    const fd_edge *e = &w.e[k];
                    double dx = (w.cx[e->d] + e->dox) - (w.cx[e->s] + e->sox);
                    double dy = (w.cy[e->d] + e->doy) - (w.cy[e->s] + e->soy);
                    double f = ka * e->w;
                    w.fx[e->s] += f * dx, w.fy[e->s] += f * dy;
                    w.fx[e->d] -= f * dx, w.fy[e->d] -= f * dy;
                }
            }
            if (kr > 0) {
                s = bins_build(&w);
                if (s != PL_OK) break;
                repel(&w, kr * maxmove, &rng, &stampc);
            }
            double fmax2 = 0;
            for (int32_t i = 0; i < w.n; i++)
                if (w.mov[i]) fmax2 = fmax(fmax2, w.fx[i] * w.fx[i] + w.fy[i] * w.fy[i]);
            if (!(fmax2 > 0)) continue;
            double frac = 1.0 - (1.0 - cfg->final_step) * (nsteps > 1 ? (double)it / (nsteps - 1) : 0);
            double scale = frac * maxmove / sqrt(fmax2);
            for (int32_t i = 0; i < w.n; i++) {
                if (!w.mov[i]) continue;
                w.cx[i] += scale * w.fx[i];
                w.cy[i] += scale * w.fy[i];
                clamp_node(&w, i);
            }
        }
    }
    if (s == PL_OK) s = bins_build(&w);
    if (s == PL_OK) {
        for (int32_t i = 0; i < w.n; i++) {
            if (!w.mov[i]) continue;
            pl_node *nd = &nl->nodes[i];
            nd->x = nl->die.x0 + w.cx[i] - w.hw[i];
            nd->y = nl->die.y0 + w.cy[i] - w.hh[i];
            nd->state = PL_PLACE_PLACED;
        }
        if (stats) {
            stats->movable = nmov;
            stats->steps = steps_done;
            stats->overflow = 0;
            stats->overlap_area = overlap_total(&w, &stampc);
        }
    }
    ws_free(&w);
    return s;
}
