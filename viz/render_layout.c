/* render_layout.c: configuration, object counts and where things land in the image (see render_layout.h). */
#include "viz/render_layout.h"

#include <math.h>
#include <string.h>

void pl_render_config_default(pl_render_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->size = 1024;
    cfg->overlay = PL_RENDER_OVERLAY_NONE;
    cfg->max_flylines = 200;
    cfg->labels = 1;
}

static const char *const OVERLAY_NAMES[] = {"none", "density", "congestion", "nets", "cells", "rudy"};
enum { NOVERLAYS = (int)(sizeof OVERLAY_NAMES / sizeof OVERLAY_NAMES[0]) };

int pl_render_overlay_parse(const char *s)
{
    for (int i = 0; i < NOVERLAYS; i++)
        if (!strcmp(s, OVERLAY_NAMES[i])) return i;
    return -1;
}

const char *pl_render_overlay_name(pl_render_overlay o)
{
    return (unsigned)o < NOVERLAYS ? OVERLAY_NAMES[o] : "?";
}

int pl_render_overlay_source(pl_render_overlay o)
{
    if (o == PL_RENDER_OVERLAY_CELLS || o == PL_RENDER_OVERLAY_RUDY) return 1;
    if (o == PL_RENDER_OVERLAY_DENSITY || o == PL_RENDER_OVERLAY_CONGESTION) return 2;
    return 0;
}

/* ---- counts ---- */

/* The row's footprint: sites DO nx BY ny with steps (sx, sy). */
pl_rect pl_render_row_rect(const pl_netlist *nl, const pl_row *r)
{
    double sw = 0, sh = 0;
    for (int64_t i = 0; i < nl->nsites; i++)
        if (r->site && nl->sites[i].name && !strcmp(nl->sites[i].name, r->site)) {
            sw = nl->sites[i].w;
            sh = nl->sites[i].h;
            break;
        }
    if (pl_orient_swaps(r->orient)) {
        double t = sw;
        sw = sh;
        sh = t;
    }
    double sx = r->sx > 0 ? r->sx : sw, sy = r->sy > 0 ? r->sy : sh;
    int32_t nx = r->nx > 0 ? r->nx : 1, ny = r->ny > 0 ? r->ny : 1;
    pl_rect q = {r->x, r->y, r->x + (nx - 1) * sx + sw, r->y + (ny - 1) * sy + sh};
    return q;
}

void pl_render_counts_compute(const pl_netlist *nl, pl_render_counts *cnt, pl_rect *core)
{
    memset(cnt, 0, sizeof *cnt);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        int un = n->state == PL_PLACE_UNPLACED;
        switch (n->kind) {
        case PL_NODE_MACRO:
            if (un) cnt->macros_unplaced++;
            else if (n->state == PL_PLACE_FIXED || n->state == PL_PLACE_COVER) cnt->macros_fixed++;
            else cnt->macros_placed++;
            break;
        case PL_NODE_SOFT:
            cnt->soft++;
            cnt->soft_unplaced += un;
            break;
        case PL_NODE_STDCELL:
            if (un) cnt->std_unplaced++;
            else cnt->std_placed++;
            break;
        case PL_NODE_PORT:
            cnt->ports++;
            cnt->ports_unplaced += un;
            break;
        default: break;
        }
    }
    for (int64_t b = 0; b < nl->nblockages; b++) cnt->blockages += nl->blockages[b].kind == PL_BLOCK_PLACEMENT;
    cnt->rows = nl->nrows;
    memset(core, 0, sizeof *core);
    for (int64_t r = 0; r < nl->nrows; r++) {
        pl_rect q = pl_render_row_rect(nl, &nl->rows[r]);
        if (r == 0) *core = q;
        core->x0 = fmin(core->x0, q.x0);
        core->y0 = fmin(core->y0, q.y0);
        core->x1 = fmax(core->x1, q.x1);
        core->y1 = fmax(core->y1, q.y1);
    }
}

/* ---- layout ---- */

static void grow(pl_rect *v, int *have, double x0, double y0, double x1, double y1)
{
    if (!(x1 >= x0 && y1 >= y0) || !isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) return;
    if (!*have) {
        pl_rect r = {x0, y0, x1, y1};
        *v = r;
        *have = 1;
        return;
    }
    v->x0 = fmin(v->x0, x0);
    v->y0 = fmin(v->y0, y0);
    v->x1 = fmax(v->x1, x1);
    v->y1 = fmax(v->y1, y1);
}

/* The µm window: die, rows and everything placed that matters to a floorplan. */
static pl_rect view_rect(const pl_netlist *nl)
{
    pl_rect v = {0, 0, 1, 1};
    int have = 0;
    if (nl->has_die) grow(&v, &have, nl->die.x0, nl->die.y0, nl->die.x1, nl->die.y1);
    pl_render_counts cnt;
    pl_rect core;
    pl_render_counts_compute(nl, &cnt, &core);
    if (cnt.rows) grow(&v, &have, core.x0, core.y0, core.x1, core.y1);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->state == PL_PLACE_UNPLACED || n->kind == PL_NODE_STDCELL || n->kind == PL_NODE_OTHER) continue;
        grow(&v, &have, n->x, n->y, n->x + pl_node_width(n), n->y + pl_node_height(n));
    }
    if (v.x1 - v.x0 <= 0) v.x1 = v.x0 + fmax(1, v.y1 - v.y0);
    if (v.y1 - v.y0 <= 0) v.y1 = v.y0 + (v.x1 - v.x0);
    return v;
}

/* Chrome sizes, in units of the base font f. */
#define TITLE_H(f) (3.1 * (f))
#define BOTTOM_H(f) (2.6 * (f))
#define LEGEND_W(f) (17.0 * (f))

void pl_render_layout_compute(const pl_netlist *nl, const pl_render_config *cfg, pl_render_layout *lay)
{
    memset(lay, 0, sizeof *lay);
    double S = cfg->size > 64 ? cfg->size : 64;
    double f = fmax(7.0, S * 0.0135), m = f, pad = PL_RENDER_PAD(f);
    pl_rect v = view_rect(nl);
    double vw = v.x1 - v.x0, vh = v.y1 - v.y0;
    double aw = S - LEGEND_W(f) - 3 * m - 2 * pad, ah = S - TITLE_H(f) - BOTTOM_H(f) - 2 * m - 2 * pad;
    double scale = fmin(aw / vw, ah / vh);
    double W = vw * scale + 2 * pad + LEGEND_W(f) + 3 * m, H = vh * scale + 2 * pad + TITLE_H(f) + BOTTOM_H(f) + 2 * m;
    /* the limiting side is S up to rounding; make it exact */
    if (W >= H) {
        lay->width = (int)S;
        lay->height = (int)fmin(S, lround(H));
    } else {
        lay->height = (int)S;
        lay->width = (int)fmin(S, lround(W));
    }
    lay->scale = scale;
    lay->x0 = v.x0;
    lay->y0 = v.y0;
    lay->plot_w = vw * scale;
    lay->plot_h = vh * scale;
    lay->px0 = m + pad;
    lay->py1 = m + TITLE_H(f) + pad + lay->plot_h;
    lay->font = f;
    lay->legend_x = m + lay->plot_w + 2 * pad + m;
    lay->legend_y = m + TITLE_H(f);
    lay->legend_w = LEGEND_W(f);
}

void pl_render_layout_map(const pl_render_layout *lay, double x, double y, double *px, double *py)
{
    *px = lay->px0 + (x - lay->x0) * lay->scale;
    *py = lay->py1 - (y - lay->y0) * lay->scale;
}
