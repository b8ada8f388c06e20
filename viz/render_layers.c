/* render_layers.c: the layers of a floorplan image inside the plot area (see render_layers.h). */
#include "viz/render_layers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "viz/colors.h"
#include "viz/surface.h"

#ifdef PL_HAVE_CAIRO
#include <cairo.h>
#endif

#ifdef PL_HAVE_CAIRO

static int is_fixed(pl_place_state s)
{
    return s == PL_PLACE_FIXED || s == PL_PLACE_COVER;
}

/* µm rectangle -> pixel rectangle (x, y top-left, w, h). */
static void px_rect(const pl_render_layout *L, double x0, double y0, double x1, double y1, double *px, double *py,
                    double *pw, double *ph)
{
    double ax, ay, bx, by;
    pl_render_layout_map(L, x0, y0, &ax, &ay);
    pl_render_layout_map(L, x1, y1, &bx, &by);
    *px = ax;
    *py = by;
    *pw = bx - ax;
    *ph = ay - by;
}

void pl_render_hatch(void *vcr, double x, double y, double w, double h, double step, unsigned rgb, double alpha)
{
    cairo_t *cr = vcr;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_new_path(cr);
    for (double d = -h; d < w; d += step) {
        cairo_move_to(cr, x + d, y + h);
        cairo_line_to(cr, x + d + h, y);
    }
    pl_viz_rgb(cr, rgb, alpha);
    cairo_set_line_width(cr, fmax(0.6, step * 0.18));
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- floor: die, placed std cells as a density, rows, core, blockages ---- */

/* Std cells binned by centre into ~3 px bins, painted as one translucent image. */
static pl_status draw_stdcells(pl_render_ctx *ctx, cairo_t *cr)
{
    const pl_render_layout *L = &ctx->lay;
    const pl_netlist *nl = ctx->nl;
    double bin = 3.0;
    int bw = (int)ceil(L->plot_w / bin), bh = (int)ceil(L->plot_h / bin);
    if (bw < 1 || bh < 1) return PL_OK;
    double ub = bin / L->scale; /* µm per bin */
    double *acc = calloc((size_t)bw * (size_t)bh, sizeof *acc);
    if (!acc) return pl_err(PL_ENOMEM, "viz: out of memory for the std-cell density");
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_STDCELL || n->state == PL_PLACE_UNPLACED) continue;
        double cx, cy;
        pl_node_center(n, &cx, &cy);
        int ix = (int)floor((cx - L->x0) / ub), iy = (int)floor((cy - L->y0) / ub);
        if (ix < 0 || iy < 0 || ix >= bw || iy >= bh) continue;
        acc[(int64_t)iy * bw + ix] += n->w * n->h;
    }
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, bw, bh);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        free(acc);
        cairo_surface_destroy(img);
        return pl_err(PL_ENOMEM, "viz: cannot create the std-cell density image");
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    unsigned r = (PL_VIZ_STDCELL >> 16) & 255, g = (PL_VIZ_STDCELL >> 8) & 255, b = PL_VIZ_STDCELL & 255;
    for (int iy = 0; iy < bh; iy++) {
        uint32_t *row = (uint32_t *)(data + (size_t)(bh - 1 - iy) * (size_t)stride);
        for (int ix = 0; ix < bw; ix++) {
            double u = acc[(int64_t)iy * bw + ix] / (ub * ub);
            double a = 0.55 * fmin(1.0, u);
            unsigned A = (unsigned)lround(255 * a);
            row[ix] = (A << 24) | ((r * A / 255) << 16) | ((g * A / 255) << 8) | (b * A / 255);
        }
    }
    cairo_surface_mark_dirty(img);
    free(acc);
    cairo_save(cr);
    cairo_translate(cr, L->px0, L->py1 - bh * bin);
    cairo_scale(cr, bin, bin);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return PL_OK;
}

pl_status pl_render_draw_floor(pl_render_ctx *ctx, void *vcr)
{
    cairo_t *cr = vcr;
    const pl_render_layout *L = &ctx->lay;
    const pl_netlist *nl = ctx->nl;
    double x, y, w, h, lw = fmax(1.0, L->font * 0.09);
    if (nl->has_die) {
        px_rect(L, nl->die.x0, nl->die.y0, nl->die.x1, nl->die.y1, &x, &y, &w, &h);
        cairo_rectangle(cr, x, y, w, h);
        pl_viz_rgb(cr, PL_VIZ_DIE_FILL, 1);
        cairo_fill(cr);
    }
    if (ctx->cnt.std_placed) PL_TRY(draw_stdcells(ctx, cr));
    if (ctx->cnt.rows) {
        pl_rect c = ctx->core;
        double pitch = nl->nrows > 1 ? (c.y1 - c.y0) / (double)nl->nrows * L->scale : 0;
        ctx->rows_drawn = nl->nrows > 1 && pitch >= 4;
        if (ctx->rows_drawn) {
            for (int64_t r = 0; r < nl->nrows; r++) {
                pl_rect q = pl_render_row_rect(nl, &nl->rows[r]);
                px_rect(L, q.x0, q.y0, q.x1, q.y1, &x, &y, &w, &h);
                cairo_move_to(cr, x, y + h);
                cairo_line_to(cr, x + w, y + h);
            }
            pl_viz_rgb(cr, PL_VIZ_ROW_LINE, 1);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
        }
        px_rect(L, c.x0, c.y0, c.x1, c.y1, &x, &y, &w, &h);
        cairo_rectangle(cr, x, y, w, h);
        double dash[2] = {4 * lw, 3 * lw};
        cairo_set_dash(cr, dash, 2, 0);
        pl_viz_rgb(cr, PL_VIZ_CORE_LINE, 1);
        cairo_set_line_width(cr, lw);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    for (int64_t b = 0; b < nl->nblockages; b++) {
        const pl_blockage *bk = &nl->blockages[b];
        if (bk->kind != PL_BLOCK_PLACEMENT) continue;
        px_rect(L, bk->r.x0, bk->r.y0, bk->r.x1, bk->r.y1, &x, &y, &w, &h);
        pl_render_hatch(cr, x, y, w, h, fmax(3, L->font * 0.5), PL_VIZ_BLOCKAGE, 0.8);
        cairo_rectangle(cr, x, y, w, h);
        pl_viz_rgb(cr, PL_VIZ_BLOCKAGE, 1);
        cairo_set_line_width(cr, lw);
        cairo_stroke(cr);
    }
    if (nl->has_die) {
        px_rect(L, nl->die.x0, nl->die.y0, nl->die.x1, nl->die.y1, &x, &y, &w, &h);
        cairo_rectangle(cr, x, y, w, h);
        pl_viz_rgb(cr, PL_VIZ_DIE_LINE, 1);
        cairo_set_line_width(cr, 1.5 * lw);
        cairo_stroke(cr);
    }
    return PL_OK;
}

/* ---- heatmap: one pixel per grid cell, scaled up without smoothing ---- */

/* The caller's map (cells, rudy): one rectangle per grid cell, the grid's own bounds. */
static pl_status draw_given_heat(pl_render_ctx *ctx, cairo_t *cr, const pl_render_heat *h)
{
    if (h->cols < 1 || h->rows < 1 || !h->xs || !h->ys || !h->v)
        return pl_err(PL_EINVAL, "viz: the %s overlay has an empty map", pl_render_overlay_name(ctx->cfg->overlay));
    double vmax = 0;
    for (int i = 0; i < h->cols * h->rows; i++)
        if (isfinite(h->v[i])) vmax = fmax(vmax, h->v[i]);
    ctx->heat_max = vmax;
    ctx->heat_cols = h->cols;
    ctx->heat_rows = h->rows;
    for (int r = 0; r < h->rows; r++) {
        for (int k = 0; k < h->cols; k++) {
            double v = h->v[r * h->cols + k];
            if (!(v > 0) || !isfinite(v)) continue;
            double x0, y0, x1, y1;
            pl_render_layout_map(&ctx->lay, h->xs[k], h->ys[r], &x0, &y0);
            pl_render_layout_map(&ctx->lay, h->xs[k + 1], h->ys[r + 1], &x1, &y1);
            cairo_rectangle(cr, x0, y1, x1 - x0, y0 - y1);
            pl_viz_rgb(cr, pl_viz_heat(vmax > 0 ? v / vmax : 0), 0.75);
            cairo_fill(cr);
        }
    }
    return PL_OK;
}

pl_status pl_render_draw_heat(pl_render_ctx *ctx, void *vcr)
{
    cairo_t *cr = vcr;
    const pl_cost *c = ctx->cost;
    pl_render_overlay ov = ctx->cfg->overlay;
    if (pl_render_overlay_source(ov) == 1) return draw_given_heat(ctx, cr, ctx->cfg->heat);
    if (!c || pl_render_overlay_source(ov) != 2) return PL_OK;
    int dens = ov == PL_RENDER_OVERLAY_DENSITY;
    int cols = dens ? c->cfg.cols : c->cfg.cong_cols, rows = dens ? c->cfg.rows : c->cfg.cong_rows;
    double cw = dens ? c->gw : c->cgw, ch = dens ? c->gh : c->cgh;
    if (cols < 1 || rows < 1) return pl_err(PL_EINVAL, "viz: the cost has an empty grid");
    int n = cols * rows;
    double *v = malloc((size_t)n * sizeof *v);
    if (!v) return pl_err(PL_ENOMEM, "viz: out of memory for the heatmap");
    double vmax = 0;
    for (int i = 0; i < n; i++) {
        v[i] = dens ? c->occ[i] / (cw * ch) : fmax(c->cvals[i], c->cvals[n + i]);
        if (!isfinite(v[i])) v[i] = 0;
        vmax = fmax(vmax, v[i]);
    }
    ctx->heat_max = vmax;
    ctx->heat_cols = cols;
    ctx->heat_rows = rows;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, cols, rows);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        free(v);
        cairo_surface_destroy(img);
        return pl_err(PL_ENOMEM, "viz: cannot create the heatmap image");
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    const unsigned A = 190; /* alpha of the heatmap, 0.75 */
    for (int r = 0; r < rows; r++) {
        uint32_t *row = (uint32_t *)(data + (size_t)(rows - 1 - r) * (size_t)stride);
        for (int k = 0; k < cols; k++) {
            unsigned rgb = pl_viz_heat(vmax > 0 ? v[r * cols + k] / vmax : 0);
            unsigned R = (rgb >> 16) & 255, G = (rgb >> 8) & 255, B = rgb & 255;
            row[k] = (A << 24) | ((R * A / 255) << 16) | ((G * A / 255) << 8) | (B * A / 255);
        }
    }
    cairo_surface_mark_dirty(img);
    free(v);
    double x, y;
    pl_render_layout_map(&ctx->lay, c->cfg.origin_x + ctx->cfg->grid_dx, c->cfg.origin_y + ctx->cfg->grid_dy + rows * ch,
                         &x, &y);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, cw * ctx->lay.scale, ch * ctx->lay.scale);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, 0, 0, cols, rows);
    cairo_fill(cr);
    /* faint cell boundaries, so that the grid can be counted */
    for (int k = 0; k <= cols; k++) cairo_move_to(cr, k, 0), cairo_line_to(cr, k, rows);
    for (int r = 0; r <= rows; r++) cairo_move_to(cr, 0, r), cairo_line_to(cr, cols, r);
    cairo_restore(cr);
    pl_viz_rgb(cr, 0xffffff, 0.35);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    cairo_surface_destroy(img);
    return PL_OK;
}

/* ---- macros ---- */

/* A triangle in the corner of the placed box that is the master's lower-left after orientation. */
static void pin1_mark(cairo_t *cr, const pl_node *n, double x, double y, double w, double h, double size)
{
    double ox, oy;
    pl_orient_apply(n->orient, n->w, n->h, 0, 0, &ox, &oy);
    int right = ox > 0.5 * pl_node_width(n), top = oy > 0.5 * pl_node_height(n);
    double cx = right ? x + w : x, cy = top ? y : y + h; /* pixel y grows downwards */
    double dx = right ? -size : size, dy = top ? size : -size;
    cairo_move_to(cr, cx, cy);
    cairo_line_to(cr, cx + dx, cy);
    cairo_line_to(cr, cx, cy + dy);
    cairo_close_path(cr);
    cairo_fill(cr);
}

pl_status pl_render_draw_macros(pl_render_ctx *ctx, void *vcr)
{
    cairo_t *cr = vcr;
    const pl_render_layout *L = &ctx->lay;
    const pl_netlist *nl = ctx->nl;
    int heat = ctx->cost && (ctx->cfg->overlay == PL_RENDER_OVERLAY_DENSITY ||
                             ctx->cfg->overlay == PL_RENDER_OVERLAY_CONGESTION);
    double lw = fmax(0.8, L->font * 0.07), x, y, w, h;
    for (int64_t i = 0; i < nl->nnodes; i++) { /* soft macros first, under the hard ones */
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_SOFT || n->state == PL_PLACE_UNPLACED) continue;
        px_rect(L, n->x, n->y, n->x + pl_node_width(n), n->y + pl_node_height(n), &x, &y, &w, &h);
        cairo_rectangle(cr, x, y, w, h);
        if (!heat) {
            pl_viz_rgb(cr, PL_VIZ_SOFT, 0.16);
            cairo_fill_preserve(cr);
        }
        pl_viz_rgb(cr, PL_VIZ_SOFT, heat ? 0.35 : 0.55);
        cairo_set_line_width(cr, 0.6 * lw);
        cairo_stroke(cr);
    }
    /* Over a heatmap, hard macros are outlines in their fill colour, so the heat keeps its colours. */
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_MACRO || n->state == PL_PLACE_UNPLACED) continue;
        int fx = is_fixed(n->state);
        unsigned fill = fx ? PL_VIZ_MACRO_FIXED : PL_VIZ_MACRO_PLACED;
        unsigned line = fx ? PL_VIZ_MACRO_FIXED_LINE : PL_VIZ_MACRO_PLACED_LINE;
        px_rect(L, n->x, n->y, n->x + pl_node_width(n), n->y + pl_node_height(n), &x, &y, &w, &h);
        if (heat) {
            double t = fmin(2.2 * lw, 0.25 * fmin(w, h));
            cairo_rectangle(cr, x + t / 2, y + t / 2, w - t, h - t);
            pl_viz_rgb(cr, fill, 1);
            cairo_set_line_width(cr, t);
        } else {
            cairo_rectangle(cr, x, y, w, h);
            pl_viz_rgb(cr, fill, 1);
            cairo_fill_preserve(cr);
            pl_viz_rgb(cr, line, 1);
            cairo_set_line_width(cr, lw);
        }
        cairo_stroke(cr);
        double size = fmin(0.3 * fmin(w, h), 0.9 * L->font);
        if (size >= 2.5) {
            pl_viz_rgb(cr, heat ? fill : 0xffffff, heat ? 1 : 0.9);
            pin1_mark(cr, n, x, y, w, h, size);
        }
    }
    return PL_OK;
}

/* ---- IO pins ---- */

void pl_render_draw_ports(pl_render_ctx *ctx, void *vcr)
{
    cairo_t *cr = vcr;
    const pl_netlist *nl = ctx->nl;
    double s = fmin(fmax(2.0, 0.32 * ctx->lay.font), 6.0);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_PORT || n->state == PL_PLACE_UNPLACED) continue;
        double cx, cy, x, y;
        pl_node_center(n, &cx, &cy);
        pl_render_layout_map(&ctx->lay, cx, cy, &x, &y);
        cairo_rectangle(cr, x - s / 2, y - s / 2, s, s);
    }
    pl_viz_rgb(cr, PL_VIZ_PORT, 0.9);
    cairo_fill(cr);
}

/* ---- flylines of the heaviest nets ---- */

typedef struct fly_net {
    double score;
    int32_t net;
} fly_net;

static int fly_cmp(const void *a, const void *b)
{
    const fly_net *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->net < y->net ? -1 : x->net > y->net;
}

enum { FLY_MAX_PINS = 64 }; /* nets with more placed pins (clocks, resets) would hide the rest */

static int pin_placed(const pl_netlist *nl, int32_t p)
{
    return nl->nodes[nl->pins[p].node].state != PL_PLACE_UNPLACED;
}

pl_status pl_render_draw_flylines(pl_render_ctx *ctx, void *vcr)
{
    cairo_t *cr = vcr;
    const pl_netlist *nl = ctx->nl;
    if (ctx->cfg->overlay != PL_RENDER_OVERLAY_NETS || !nl->finalized || nl->nnets == 0) return PL_OK;
    fly_net *cand = malloc((size_t)nl->nnets * sizeof *cand);
    if (!cand) return pl_err(PL_ENOMEM, "viz: out of memory for flylines");
    int64_t nc = 0;
    for (int64_t e = 0; e < nl->nnets; e++) {
        int64_t placed = 0, macro = 0;
        for (int64_t k = nl->net_pin_off[e]; k < nl->net_pin_off[e + 1]; k++) {
            int32_t p = nl->net_pins[k];
            if (!pin_placed(nl, p)) continue;
            placed++;
            pl_node_kind kd = nl->nodes[nl->pins[p].node].kind;
            macro += kd == PL_NODE_MACRO || kd == PL_NODE_SOFT || kd == PL_NODE_PORT;
        }
        if (placed < 2 || placed > FLY_MAX_PINS || macro == 0) continue;
        double wgt = nl->nets[e].weight > 0 ? nl->nets[e].weight : 1;
        cand[nc].score = wgt * (double)(placed - 1);
        cand[nc].net = (int32_t)e;
        nc++;
    }
    qsort(cand, (size_t)nc, sizeof *cand, fly_cmp);
    int64_t k = nc < ctx->cfg->max_flylines ? nc : ctx->cfg->max_flylines;
    double top = k > 0 ? cand[0].score : 1;
    for (int64_t j = k - 1; j >= 0; j--) { /* heaviest last, on top */
        int32_t e = cand[j].net, src = -1;
        for (int64_t q = nl->net_pin_off[e]; q < nl->net_pin_off[e + 1] && src < 0; q++)
            if (pin_placed(nl, nl->net_pins[q])) src = nl->net_pins[q];
        double sx, sy, ax, ay;
        pl_pin_position(nl, src, &sx, &sy);
        pl_render_layout_map(&ctx->lay, sx, sy, &ax, &ay);
        for (int64_t q = nl->net_pin_off[e]; q < nl->net_pin_off[e + 1]; q++) {
            int32_t p = nl->net_pins[q];
            if (p == src || !pin_placed(nl, p)) continue;
            double tx, ty, bx, by;
            pl_pin_position(nl, p, &tx, &ty);
            pl_render_layout_map(&ctx->lay, tx, ty, &bx, &by);
            cairo_move_to(cr, ax, ay);
            cairo_line_to(cr, bx, by);
        }
        double t = cand[j].score / top;
        pl_viz_rgb(cr, PL_VIZ_FLYLINE, 0.25 + 0.5 * t);
        cairo_set_line_width(cr, fmax(0.5, ctx->lay.font * (0.04 + 0.12 * t)));
        cairo_stroke(cr);
    }
    ctx->flylines = k;
    free(cand);
    return PL_OK;
}

/* ---- macro names where they fit ---- */

/* Copies s without DEF escapes ("\\[" -> "["). */
static void unescape(char *dst, size_t cap, const char *s)
{
    size_t k = 0;
    for (; *s && k + 1 < cap; s++) {
        if (*s == '\\' && s[1]) s++;
        dst[k++] = *s;
    }
    dst[k] = 0;
}

/* The name's last `k` hierarchy segments ('/'-separated); the whole name if it has fewer. */
static const char *tail_segments(const char *s, int k)
{
    const char *p = s + strlen(s);
    while (p > s) {
        p--;
        if (*p == '/' && --k == 0) return p + 1;
    }
    return s;
}

pl_status pl_render_draw_labels(pl_render_ctx *ctx, void *vcr)
{
    cairo_t *cr = vcr;
    const pl_render_layout *L = &ctx->lay;
    const pl_netlist *nl = ctx->nl;
    if (!ctx->cfg->labels) return PL_OK;
    int heat = ctx->cost && (ctx->cfg->overlay == PL_RENDER_OVERLAY_DENSITY ||
                             ctx->cfg->overlay == PL_RENDER_OVERLAY_CONGESTION);
    double fmax_ = 0.8 * L->font, fmin_ = fmax(6.0, 0.45 * L->font), pad = 2;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_MACRO || n->state == PL_PLACE_UNPLACED || !n->name) continue;
        double x, y, w, h;
        px_rect(L, n->x, n->y, n->x + pl_node_width(n), n->y + pl_node_height(n), &x, &y, &w, &h);
        if (w < 2 * fmin_ || h < 2 * fmin_) continue;
        char name[512];
        unescape(name, sizeof name, n->name);
        const char *cands[3] = {name, tail_segments(name, 2), tail_segments(name, 1)};
        int done = 0;
        for (int c = 0; c < 3 && !done; c++) {
            if (c > 0 && cands[c] == cands[c - 1]) continue;
            for (double fs = fmax_; fs >= fmin_ && !done; fs *= 0.85) {
                double tw, th;
                pl_viz_text_size(cr, fs, cands[c], &tw, &th);
                for (int rot = 0; rot < 2 && !done; rot++) {
                    double bw = rot ? th : tw, bh = rot ? tw : th;
                    if (bw > w - 2 * pad || bh > h - 2 * pad) continue;
                    double mx = x + w / 2, my = y + h / 2;
                    pl_rect box = {mx - bw / 2, my - bh / 2, mx + bw / 2, my + bh / 2};
                    int taken;
                    PL_TRY(pl_viz_labels_try(&ctx->labels, box, &taken));
                    if (!taken) continue;
                    cairo_save(cr);
                    cairo_translate(cr, mx, my);
                    if (rot) cairo_rotate(cr, -M_PI / 2);
                    pl_viz_rgb(cr, heat ? PL_VIZ_TEXT : 0xffffff, 1);
                    pl_viz_text(cr, 0, 0, fs, 0.5, 0.5, cands[c]);
                    cairo_restore(cr);
                    ctx->labels_drawn++;
                    done = 1;
                }
            }
        }
    }
    return PL_OK;
}

#endif /* PL_HAVE_CAIRO */
