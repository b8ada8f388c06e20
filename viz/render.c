/* render.c: floorplan images: title, scale bar, legend, the file and the event sink (see render.h).
 * Configuration and layout are in render_layout.c, the layers inside the plot area in render_layers.c. */
#include "viz/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/colors.h"
#include "viz/render_layers.h"
#include "viz/surface.h"

#ifdef PL_HAVE_CAIRO
#include <cairo.h>
#endif

unsigned pl_render_macro_color(pl_node_kind kind, pl_place_state state)
{
    if (kind == PL_NODE_SOFT) return PL_VIZ_SOFT;
    if (state == PL_PLACE_UNPLACED) return PL_VIZ_UNPLACED;
    return state == PL_PLACE_FIXED || state == PL_PLACE_COVER ? PL_VIZ_MACRO_FIXED : PL_VIZ_MACRO_PLACED;
}

int pl_render_available(void)
{
    return pl_viz_available();
}

#ifdef PL_HAVE_CAIRO

/* ---- text that fits ---- */

/* Largest size in [lo, hi] at which s fits in maxw (lo if none does). */
static double fit_size(cairo_t *cr, const char *s, double maxw, double hi, double lo)
{
    double w, h;
    for (double fs = hi; fs > lo; fs *= 0.92) {
        pl_viz_text_size(cr, fs, s, &w, &h);
        if (w <= maxw) return fs;
    }
    return lo;
}

/* Draws s at (x, y) (top-left anchor) within maxw: shrinks to `lo`, then elides the start. */
static double text_fit(cairo_t *cr, double x, double y, double maxw, double hi, double lo, const char *s)
{
    double fs = fit_size(cr, s, maxw, hi, lo), w, h;
    pl_viz_text_size(cr, fs, s, &w, &h);
    if (w <= maxw) {
        pl_viz_text(cr, x, y, fs, 0, 0, s);
        return fs;
    }
    char buf[1024];
    size_t n = strlen(s);
    for (size_t k = 1; k < n; k++) {
        snprintf(buf, sizeof buf, "...%s", s + k);
        pl_viz_text_size(cr, fs, buf, &w, &h);
        if (w <= maxw) break;
    }
    pl_viz_text(cr, x, y, fs, 0, 0, buf);
    return fs;
}

/* ---- title and scale bar ---- */

static void draw_title(pl_render_ctx *ctx, cairo_t *cr, int W)
{
    const pl_render_config *cfg = ctx->cfg;
    double f = ctx->lay.font, m = f, maxw = W - 2 * m;
    char t[512], line[1024] = "";
    const char *name = cfg->title ? cfg->title : ctx->nl->design ? ctx->nl->design : "design";
    if (cfg->overlay != PL_RENDER_OVERLAY_NONE)
        snprintf(t, sizeof t, "%s  \xe2\x80\x94  %s", name, pl_render_overlay_name(cfg->overlay));
    else snprintf(t, sizeof t, "%s", name);
    pl_viz_rgb(cr, PL_VIZ_TEXT, 1);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 1.35 * f);
    cairo_text_extents_t te;
    cairo_text_extents(cr, t, &te);
    double fs = 1.35 * f * fmin(1.0, maxw / fmax(1, te.x_advance));
    cairo_set_font_size(cr, fs);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    cairo_move_to(cr, m, m + fe.ascent);
    cairo_show_text(cr, t);
    cairo_new_path(cr);
    size_t k = 0;
    if (cfg->subtitle) k += (size_t)snprintf(line + k, sizeof line - k, "%s", cfg->subtitle);
    if (cfg->has_terms && k < sizeof line)
        k += (size_t)snprintf(line + k, sizeof line - k, "%sproxy cost %.4f (wirelength %.4f, density %.4f, congestion %.4f)",
                              k ? "   " : "", cfg->terms.proxy_cost, cfg->terms.wirelength_cost,
                              cfg->terms.density_cost, cfg->terms.congestion_cost);
    if (cfg->has_seed && k < sizeof line)
        k += (size_t)snprintf(line + k, sizeof line - k, "%sseed %llu", k ? "   " : "", (unsigned long long)cfg->seed);
    if (k) {
        pl_viz_rgb(cr, PL_VIZ_TEXT_DIM, 1);
        text_fit(cr, m, m + 1.35 * f * 1.3, maxw, 0.95 * f, 0.6 * f, line);
    }
}

/* A 1-2-5 length near `target` µm, and its label. */
static double nice_len(double target)
{
    double p = pow(10, floor(log10(target))), r = target / p;
    return (r >= 5 ? 5 : r >= 2 ? 2 : 1) * p;
}

static void fmt_um(char *buf, size_t cap, double v)
{
    if (v >= 1) snprintf(buf, cap, "%g \xc2\xb5m", v);
    else snprintf(buf, cap, "%g \xc2\xb5m", v);
}

static void draw_scale_bar(pl_render_ctx *ctx, cairo_t *cr)
{
    const pl_render_layout *L = &ctx->lay;
    double f = L->font, vw = L->plot_w / L->scale;
    double len = nice_len(0.25 * vw), px = len * L->scale;
    double x = L->px0, y = L->py1 + PL_RENDER_PAD(f) + 0.9 * f, th = 0.3 * f;
    pl_viz_rgb(cr, PL_VIZ_TEXT, 1);
    cairo_rectangle(cr, x, y, px, th);
    cairo_fill(cr);
    cairo_set_line_width(cr, fmax(1, 0.1 * f));
    for (int i = 0; i <= 1; i++) {
        cairo_move_to(cr, x + i * px, y - 0.35 * f);
        cairo_line_to(cr, x + i * px, y + th + 0.35 * f);
    }
    cairo_stroke(cr);
    char buf[64], die[160];
    fmt_um(buf, sizeof buf, len);
    pl_viz_text(cr, x + px + 0.6 * f, y + th / 2, 0.9 * f, 0, 0.5, buf);
    double w, h;
    pl_viz_text_size(cr, 0.9 * f, buf, &w, &h);
    const pl_netlist *nl = ctx->nl;
    if (nl->has_die) {
        snprintf(die, sizeof die, "die %.6g \xc3\x97 %.6g \xc2\xb5m", nl->die.x1 - nl->die.x0, nl->die.y1 - nl->die.y0);
        pl_viz_rgb(cr, PL_VIZ_TEXT_DIM, 1);
        double dx = x + px + 0.6 * f + w + 1.5 * f, room = L->px0 + L->plot_w - dx;
        double dw, dh;
        pl_viz_text_size(cr, 0.85 * f, die, &dw, &dh);
        if (dw <= room) pl_viz_text(cr, L->px0 + L->plot_w, y + th / 2, 0.85 * f, 1, 0.5, die);
    }
}

/* ---- legend ---- */

typedef struct legend {
    cairo_t *cr;
    double x, y, w, f, rh; /* cursor and sizes */
} legend;

/* One text line in the legend, shrunk to fit its width. */
static void leg_text(legend *lg, double indent, unsigned rgb, const char *s)
{
    pl_viz_rgb(lg->cr, rgb, 1);
    text_fit(lg->cr, lg->x + indent, lg->y + 0.5 * (lg->rh - 1.2 * 0.85 * lg->f), lg->w - indent, 0.85 * lg->f,
             0.55 * lg->f, s);
    lg->y += lg->rh;
}

enum { SW_FILL, SW_SOFT, SW_DOTS, SW_PORT, SW_HATCH, SW_LINE, SW_DASH, SW_PIN1, SW_OUTLINE, SW_FRAME, SW_PIN1_FRAME };

static void leg_item(legend *lg, int kind, unsigned rgb, unsigned line, const char *s)
{
    cairo_t *cr = lg->cr;
    double f = lg->f, sw = 1.3 * f, sh = 0.9 * f, x = lg->x, y = lg->y + 0.5 * (lg->rh - sh);
    cairo_set_line_width(cr, fmax(1, 0.08 * f));
    switch (kind) {
    case SW_FILL:
    case SW_SOFT:
        cairo_rectangle(cr, x, y, sw, sh);
        pl_viz_rgb(cr, rgb, kind == SW_SOFT ? 0.16 : 1);
        cairo_fill_preserve(cr);
        pl_viz_rgb(cr, line, kind == SW_SOFT ? 0.55 : 1);
        cairo_stroke(cr);
        break;
    case SW_DOTS:
        cairo_rectangle(cr, x, y, sw, sh);
        pl_viz_rgb(cr, rgb, 0.35);
        cairo_fill(cr);
        break;
    case SW_PORT: {
        double ps = fmin(fmax(2.0, 0.32 * f), 6.0);
        cairo_rectangle(cr, x + sw / 2 - ps / 2, y + sh / 2 - ps / 2, ps, ps);
        pl_viz_rgb(cr, rgb, 0.9);
        cairo_fill(cr);
        break;
    }
    case SW_HATCH:
        pl_render_hatch(cr, x, y, sw, sh, fmax(3, 0.35 * f), rgb, 0.9);
        cairo_rectangle(cr, x, y, sw, sh);
        pl_viz_rgb(cr, line, 1);
        cairo_stroke(cr);
        break;
    case SW_LINE:
        cairo_move_to(cr, x, y + sh);
        cairo_line_to(cr, x + sw, y);
        pl_viz_rgb(cr, rgb, 0.8);
        cairo_set_line_width(cr, fmax(1, 0.12 * f));
        cairo_stroke(cr);
        break;
    case SW_DASH:
    case SW_OUTLINE: {
        double d[2] = {0.3 * f, 0.2 * f};
        if (kind == SW_DASH) cairo_set_dash(cr, d, 2, 0);
        cairo_rectangle(cr, x, y, sw, sh);
        pl_viz_rgb(cr, rgb, 1);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        break;
    }
    case SW_FRAME:
        cairo_rectangle(cr, x + 0.1 * f, y + 0.1 * f, sw - 0.2 * f, sh - 0.2 * f);
        pl_viz_rgb(cr, rgb, 1);
        cairo_set_line_width(cr, 0.2 * f);
        cairo_stroke(cr);
        break;
    case SW_PIN1_FRAME:
    case SW_PIN1:
        if (kind == SW_PIN1_FRAME) {
            cairo_rectangle(cr, x + 0.1 * f, y + 0.1 * f, sw - 0.2 * f, sh - 0.2 * f);
            pl_viz_rgb(cr, rgb, 1);
            cairo_set_line_width(cr, 0.2 * f);
            cairo_stroke(cr);
        } else {
            cairo_rectangle(cr, x, y, sw, sh);
            pl_viz_rgb(cr, rgb, 1);
            cairo_fill(cr);
        }
        cairo_move_to(cr, x, y + sh);
        cairo_line_to(cr, x + 0.6 * sh, y + sh);
        cairo_line_to(cr, x, y + 0.4 * sh);
        cairo_close_path(cr);
        pl_viz_rgb(cr, line, 0.9);
        cairo_fill(cr);
        break;
    }
    leg_text(lg, sw + 0.6 * f, PL_VIZ_TEXT, s);
}

static void draw_color_scale(pl_render_ctx *ctx, legend *lg)
{
    cairo_t *cr = lg->cr;
    double f = lg->f;
    pl_render_overlay ov = ctx->cfg->overlay;
    int dens = ov == PL_RENDER_OVERLAY_DENSITY;
    lg->y += 0.4 * f;
    if (pl_render_overlay_source(ov) == 1) {
        leg_text(lg, 0, PL_VIZ_TEXT, ov == PL_RENDER_OVERLAY_CELLS ? "cell density" : "RUDY wire density");
        if (ctx->cfg->heat && ctx->cfg->heat->what) leg_text(lg, 0, PL_VIZ_TEXT_DIM, ctx->cfg->heat->what);
    } else {
        leg_text(lg, 0, PL_VIZ_TEXT, dens ? "density: macro area / cell area" : "congestion: demand / capacity");
        if (!dens) leg_text(lg, 0, PL_VIZ_TEXT_DIM, "(smoothed, max of H and V)");
    }
    double bh = 0.9 * f, x = lg->x, y = lg->y + 0.2 * f;
    cairo_pattern_t *pat = cairo_pattern_create_linear(x, 0, x + lg->w, 0);
    for (int i = 0; i <= 16; i++) {
        unsigned c = pl_viz_heat(i / 16.0);
        cairo_pattern_add_color_stop_rgba(pat, i / 16.0, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0,
                                          (c & 255) / 255.0, 0.75);
    }
    cairo_rectangle(cr, x, y, lg->w, bh);
    cairo_set_source(cr, pat);
    cairo_fill_preserve(cr);
    cairo_pattern_destroy(pat);
    pl_viz_rgb(cr, PL_VIZ_TEXT_DIM, 1);
    cairo_set_line_width(cr, fmax(0.8, 0.06 * f));
    cairo_stroke(cr);
    char buf[64];
    double vmax = ctx->heat_max;
    for (int i = 0; i <= 4; i++) {
        double tx = x + lg->w * i / 4.0;
        cairo_move_to(cr, tx, y + bh);
        cairo_line_to(cr, tx, y + bh + 0.3 * f);
        cairo_stroke(cr);
        if (i % 2) continue;
        snprintf(buf, sizeof buf, "%.3g", vmax * i / 4.0);
        pl_viz_text(cr, tx, y + bh + 0.35 * f, 0.8 * f, i == 0 ? 0 : i == 4 ? 1 : 0.5, 0, buf);
    }
    lg->y = y + bh + 1.6 * f;
    snprintf(buf, sizeof buf, "grid %d \xc3\x97 %d cells", ctx->heat_cols, ctx->heat_rows);
    leg_text(lg, 0, PL_VIZ_TEXT_DIM, buf);
}

typedef struct park_item {
    double w, h; /* µm */
} park_item;

/* Tallest first, then widest: shelves pack tighter. */
static int park_cmp(const void *a, const void *b)
{
    const park_item *x = a, *y = b;
    if (x->h != y->h) return x->h > y->h ? -1 : 1;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return 0;
}

/* Shelf-packs the items at scale s into a w-wide box; returns the height used. With cr, draws them
 * (hatched, dashed outline) with the box's top-left at (ox, oy). */
static double park(cairo_t *cr, const park_item *it, int64_t n, double s, double w, double gap, double f,
                   double ox, double oy)
{
    double x = 0, y = 0, shelf = 0, lw = fmax(0.8, 0.06 * f), d[2] = {0.25 * f, 0.15 * f};
    for (int64_t i = 0; i < n; i++) {
        double mw = it[i].w * s, mh = it[i].h * s;
        if (x > 0 && x + mw > w) x = 0, y += shelf + gap, shelf = 0;
        if (cr) {
            pl_render_hatch(cr, ox + x, oy + y, mw, mh, fmax(2.5, 0.3 * f), PL_VIZ_UNPLACED, 0.7);
            cairo_rectangle(cr, ox + x, oy + y, mw, mh);
            cairo_set_dash(cr, d, 2, 0);
            pl_viz_rgb(cr, PL_VIZ_UNPLACED, 1);
            cairo_set_line_width(cr, lw);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        x += mw + gap;
        shelf = fmax(shelf, mh);
    }
    return y + shelf;
}

/* Unplaced macros, drawn apart (hatched, dashed) in the legend at the largest scale that fits. */
static pl_status draw_unplaced(pl_render_ctx *ctx, legend *lg, double bottom)
{
    const pl_netlist *nl = ctx->nl;
    double f = lg->f, gap = 0.25 * f;
    char buf[128];
    lg->y += 0.4 * f;
    snprintf(buf, sizeof buf, "unplaced macros: %lld", (long long)ctx->cnt.macros_unplaced);
    leg_text(lg, 0, PL_VIZ_UNPLACED, buf);
    park_item *it = malloc((size_t)ctx->cnt.macros_unplaced * sizeof *it);
    if (!it) return pl_err(PL_ENOMEM, "viz: out of memory for unplaced macros");
    int64_t n = 0;
    for (int64_t i = 0; i < nl->nnodes && n < ctx->cnt.macros_unplaced; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind != PL_NODE_MACRO || nd->state != PL_PLACE_UNPLACED) continue;
        it[n].w = nd->w;
        it[n].h = nd->h;
        n++;
    }
    qsort(it, (size_t)n, sizeof *it, park_cmp);
    double room = bottom - lg->y - lg->rh, s = ctx->lay.scale;
    while (s > 1e-9 && park(NULL, it, n, s, lg->w, gap, f, 0, 0) > room) s *= 0.9;
    if (room < 2 * f || park(NULL, it, n, s, lg->w, gap, f, 0, 0) > room) {
        leg_text(lg, 0, PL_VIZ_TEXT_DIM, "(not drawn: no room)");
    } else {
        if (s >= ctx->lay.scale * 0.999) snprintf(buf, sizeof buf, "(not in the die; to scale)");
        else snprintf(buf, sizeof buf, "(not in the die; scaled \xc3\x97%.2g)", s / ctx->lay.scale);
        leg_text(lg, 0, PL_VIZ_TEXT_DIM, buf);
        lg->y += park(lg->cr, it, n, s, lg->w, gap, f, lg->x, lg->y) + 0.4 * f;
    }
    free(it);
    return PL_OK;
}

static pl_status draw_legend(pl_render_ctx *ctx, cairo_t *cr, int H)
{
    const pl_render_counts *c = &ctx->cnt;
    legend lg = {cr, ctx->lay.legend_x, ctx->lay.legend_y, ctx->lay.legend_w, ctx->lay.font, 1.45 * ctx->lay.font};
    double bottom = H - ctx->lay.font;
    char buf[160];
    if (ctx->nl->has_die) leg_item(&lg, SW_OUTLINE, PL_VIZ_DIE_LINE, 0, "die");
    if (c->rows) {
        snprintf(buf, sizeof buf, "core, %lld rows%s", (long long)c->rows, ctx->rows_drawn ? "" : " (too dense to draw)");
        leg_item(&lg, SW_DASH, PL_VIZ_CORE_LINE, 0, buf);
    }
    int64_t hard = c->macros_placed + c->macros_fixed + c->macros_unplaced;
    int heat = ctx->heat_cols > 0;
    if (hard) {
        snprintf(buf, sizeof buf, "placed macro (%lld)", (long long)c->macros_placed);
        leg_item(&lg, heat ? SW_FRAME : SW_FILL, PL_VIZ_MACRO_PLACED, PL_VIZ_MACRO_PLACED_LINE, buf);
        snprintf(buf, sizeof buf, "fixed macro (%lld)", (long long)c->macros_fixed);
        leg_item(&lg, heat ? SW_FRAME : SW_FILL, PL_VIZ_MACRO_FIXED, PL_VIZ_MACRO_FIXED_LINE, buf);
        if (c->macros_placed + c->macros_fixed)
            leg_item(&lg, heat ? SW_PIN1_FRAME : SW_PIN1, PL_VIZ_MACRO_PLACED, heat ? PL_VIZ_MACRO_PLACED : 0xffffff,
                     "pin-1 corner (orientation)");
    }
    if (c->soft) {
        snprintf(buf, sizeof buf, "soft macro / cluster (%lld)", (long long)(c->soft - c->soft_unplaced));
        leg_item(&lg, SW_SOFT, PL_VIZ_SOFT, PL_VIZ_SOFT, buf);
    }
    if (c->std_placed) {
        snprintf(buf, sizeof buf, "std-cell density (%lld cells)", (long long)c->std_placed);
        leg_item(&lg, SW_DOTS, PL_VIZ_STDCELL, 0, buf);
    }
    if (c->ports) {
        snprintf(buf, sizeof buf, "IO pin (%lld)", (long long)(c->ports - c->ports_unplaced));
        leg_item(&lg, SW_PORT, PL_VIZ_PORT, 0, buf);
    }
    if (c->blockages) {
        snprintf(buf, sizeof buf, "placement blockage (%lld)", (long long)c->blockages);
        leg_item(&lg, SW_HATCH, PL_VIZ_BLOCKAGE, PL_VIZ_BLOCKAGE, buf);
    }
    if (ctx->cfg->overlay == PL_RENDER_OVERLAY_NETS) {
        snprintf(buf, sizeof buf, "flylines: %lld heaviest nets", (long long)ctx->flylines);
        leg_item(&lg, SW_LINE, PL_VIZ_FLYLINE, 0, buf);
        leg_text(&lg, 0, PL_VIZ_TEXT_DIM, "(on a macro or IO; weight \xc3\x97 fan-out)");
    }
    if (c->std_unplaced) {
        snprintf(buf, sizeof buf, "std cells unplaced: %lld (not drawn)", (long long)c->std_unplaced);
        leg_text(&lg, 0, PL_VIZ_TEXT_DIM, buf);
    }
    if (ctx->lay.font > 0 && ctx->heat_cols > 0) draw_color_scale(ctx, &lg);
    if (c->macros_unplaced) PL_TRY(draw_unplaced(ctx, &lg, bottom));
    return PL_OK;
}

/* ---- the drawing ---- */

static pl_status draw(void *vcr, int W, int H, void *user)
{
    cairo_t *cr = vcr;
    pl_render_ctx *ctx = user;
    const pl_render_layout *L = &ctx->lay;
    pl_viz_rgb(cr, PL_VIZ_BACKGROUND, 1);
    cairo_paint(cr);
    draw_title(ctx, cr, W);
    double pad = PL_RENDER_PAD(L->font);
    cairo_save(cr);
    cairo_rectangle(cr, L->px0 - pad, L->py1 - L->plot_h - pad, L->plot_w + 2 * pad, L->plot_h + 2 * pad);
    cairo_clip(cr);
    pl_status s = pl_render_draw_floor(ctx, cr);
    if (s == PL_OK) s = pl_render_draw_heat(ctx, cr);
    if (s == PL_OK) s = pl_render_draw_macros(ctx, cr);
    if (s == PL_OK) s = pl_render_draw_flylines(ctx, cr);
    if (s == PL_OK) pl_render_draw_ports(ctx, cr);
    if (s == PL_OK) s = pl_render_draw_labels(ctx, cr);
    cairo_restore(cr);
    if (s != PL_OK) return s;
    draw_scale_bar(ctx, cr);
    return draw_legend(ctx, cr, H);
}

#endif /* PL_HAVE_CAIRO */

pl_status pl_render_file(const pl_netlist *nl, const pl_cost *cost, const pl_render_config *cfg,
                         const char *out_path)
{
    if (!nl || !cfg || !out_path) return pl_err(PL_EINVAL, "render: netlist, configuration and output are required");
    pl_viz_format fmt;
    PL_TRY(pl_viz_format_from_path(out_path, &fmt));
    if (cfg->size < 64 || cfg->size > 16384)
        return pl_err(PL_EINVAL, "render: image size %d out of range (64 to 16384)", cfg->size);
    if (pl_render_overlay_source(cfg->overlay) == 2 && !cost)
        return pl_err(PL_EINVAL, "render: the %s overlay needs a cost context", pl_render_overlay_name(cfg->overlay));
    if (pl_render_overlay_source(cfg->overlay) == 1 && !cfg->heat)
        return pl_err(PL_EINVAL, "render: the %s overlay needs its map", pl_render_overlay_name(cfg->overlay));
    if (cfg->max_flylines < 0) return pl_err(PL_EINVAL, "render: max_flylines must be >= 0");
#ifndef PL_HAVE_CAIRO
    return pl_viz_write(out_path, 0, 0, NULL, NULL);
#else
    pl_render_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.nl = nl;
    ctx.cost = cost;
    ctx.cfg = cfg;
    pl_render_counts_compute(nl, &ctx.cnt, &ctx.core);
    pl_render_layout_compute(nl, cfg, &ctx.lay);
    pl_viz_labels_init(&ctx.labels);
    pl_status s = pl_viz_write(out_path, ctx.lay.width, ctx.lay.height, draw, &ctx);
    pl_viz_labels_free(&ctx.labels);
    return s;
#endif
}

/* ---- event sink ---- */

void pl_render_sink_init(pl_render_sink *rs, const char *path, const pl_render_config *cfg)
{
    memset(rs, 0, sizeof *rs);
    if (cfg) rs->cfg = *cfg;
    else pl_render_config_default(&rs->cfg);
    rs->path = path;
    rs->kinds = PL_EVENT_BIT(PL_EVENT_PLACEMENT_DONE);
}

static pl_status sink_fn(void *user, const pl_event *ev)
{
    pl_render_sink *rs = user;
    if ((unsigned)ev->kind >= PL_EVENT_NKINDS || !(rs->kinds & PL_EVENT_BIT(ev->kind))) return PL_OK;
    if (ev->kind == PL_EVENT_ITERATION && (rs->every <= 0 || ev->iteration < 0 || ev->iteration % rs->every != 0))
        return PL_OK;
    if (!ev->nl) return pl_err(PL_EINVAL, "render: event %s carries no netlist", pl_event_kind_name(ev->kind));
    char path[4096];
    if (ev->kind == PL_EVENT_ITERATION) {
        const char *slash = strrchr(rs->path, '/'), *dot = strrchr(rs->path, '.');
        if (!dot || (slash && dot < slash)) dot = rs->path + strlen(rs->path);
        if ((size_t)snprintf(path, sizeof path, "%.*s_iter%lld%s", (int)(dot - rs->path), rs->path,
                             (long long)ev->iteration, dot) >= sizeof path)
            return pl_err(PL_EINVAL, "render: output path too long");
    } else if ((size_t)snprintf(path, sizeof path, "%s", rs->path) >= sizeof path) {
        return pl_err(PL_EINVAL, "render: output path too long");
    }
    pl_render_config cfg = rs->cfg;
    if (ev->terms) cfg.terms = *ev->terms, cfg.has_terms = 1;
    if (ev->has_seed) cfg.seed = ev->seed, cfg.has_seed = 1;
    const pl_cost *cost = ev->cost;
    if (!cost && (cfg.overlay == PL_RENDER_OVERLAY_DENSITY || cfg.overlay == PL_RENDER_OVERLAY_CONGESTION))
        cfg.overlay = PL_RENDER_OVERLAY_NONE; /* nothing to show: draw the floorplan alone */
    PL_TRY(pl_render_file(ev->nl, cost, &cfg, path));
    rs->written++;
    return PL_OK;
}

pl_event_sink pl_render_sink_get(pl_render_sink *rs)
{
    pl_event_sink s = {sink_fn, rs};
    return s;
}
