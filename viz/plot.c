/* plot.c: training curves (see plot.h). */
#include "viz/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "viz/colors.h"
#include "viz/surface.h"

#ifdef PL_HAVE_CAIRO
#include <cairo.h>
#endif

void pl_plot_config_default(pl_plot_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->width = 1200;
    cfg->height = 800;
}

int pl_plot_panel_of(const char *column)
{
    size_t n = strlen(column);
    if (!strncmp(column, "reward", 6)) return 1;
    if (n > 5 && !strcmp(column + n - 5, "_cost")) return 2;
    return 0;
}

#ifdef PL_HAVE_CAIRO

typedef struct plot_ctx {
    const pl_trainlog *log;
    const pl_plot_config *cfg;
    double xmin, xmax;
} plot_ctx;

/* Ticks at 1-2-5 steps covering [lo, hi]: *first, *step, count returned. */
static int ticks(double lo, double hi, int want, double *first, double *step)
{
    double span = hi - lo;
    if (!(span > 0)) span = fabs(lo) > 0 ? fabs(lo) : 1;
    double raw = span / want, p = pow(10, floor(log10(raw))), r = raw / p;
    *step = (r > 5 ? 10 : r > 2 ? 5 : r > 1 ? 2 : 1) * p;
    *first = ceil(lo / *step - 1e-9) * *step;
    return (int)floor((hi - *first) / *step + 1e-9) + 1;
}

static void fmt_tick(char *buf, size_t cap, double v, double step)
{
    if (fabs(v) < step * 1e-6) v = 0;
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (fabs(v) >= 1e6 || (v != 0 && fabs(v) < 1e-4)) snprintf(buf, cap, "%.3g", v);
    else snprintf(buf, cap, "%.*f", dec > 6 ? 6 : dec, v);
}

/* The panel's legend, one row right-aligned at xr with its baseline at y, above the frame. */
static void legend_row(plot_ctx *pc, cairo_t *cr, double xr, double y, int which, double f)
{
    const pl_trainlog *log = pc->log;
    double total = 0, tw, th, fs = 0.85 * f;
    for (int c = 0; c < log->ncols; c++)
        if (pl_plot_panel_of(log->cols[c].name) == which) {
            pl_viz_text_size(cr, fs, log->cols[c].name, &tw, &th);
            total += 2.2 * f + tw + 1.2 * f;
        }
    double x = xr - total;
    int k = 0;
    for (int c = 0; c < log->ncols; c++) {
        if (pl_plot_panel_of(log->cols[c].name) != which) continue;
        pl_viz_text_size(cr, fs, log->cols[c].name, &tw, &th);
        cairo_move_to(cr, x, y - 0.35 * f);
        cairo_line_to(cr, x + 1.6 * f, y - 0.35 * f);
        pl_viz_rgb(cr, pl_viz_series(k++), 1);
        cairo_set_line_width(cr, fmax(2, 0.2 * f));
        cairo_stroke(cr);
        pl_viz_rgb(cr, PL_VIZ_TEXT, 1);
        pl_viz_text(cr, x + 2.2 * f, y, fs, 0, 1, log->cols[c].name);
        x += 2.2 * f + tw + 1.2 * f;
    }
}

/* One panel: frame at (x, y, w, h) px; the columns whose panel is `which`. */
static void panel(plot_ctx *pc, cairo_t *cr, double x, double y, double w, double h, int which, double f)
{
    const pl_trainlog *log = pc->log;
    double lo = INFINITY, hi = -INFINITY;
    for (int c = 0; c < log->ncols; c++) {
        if (pl_plot_panel_of(log->cols[c].name) != which) continue;
        for (int64_t r = 0; r < log->n; r++) {
            double v = log->cols[c].v[r];
            if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
        }
    }
    if (!isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-12) lo -= 0.5 * fmax(fabs(lo), 1e-3), hi += 0.5 * fmax(fabs(hi), 1e-3);
    double m = 0.06 * (hi - lo);
    lo -= m, hi += m;
    double xlo = pc->xmin, xhi = pc->xmax > pc->xmin ? pc->xmax : pc->xmin + 1;
#define PX(v) (x + ((v) - xlo) / (xhi - xlo) * w)
#define PY(v) (y + h - ((v) - lo) / (hi - lo) * h)
    /* grid and ticks */
    char buf[64];
    double t0, st;
    int nt = ticks(lo, hi, 5, &t0, &st);
    cairo_set_line_width(cr, 1);
    for (int i = 0; i < nt; i++) {
        double v = t0 + i * st, py = PY(v);
        cairo_move_to(cr, x, py);
        cairo_line_to(cr, x + w, py);
        pl_viz_rgb(cr, 0xe4e4e4, 1);
        cairo_stroke(cr);
        fmt_tick(buf, sizeof buf, v, st);
        pl_viz_rgb(cr, PL_VIZ_TEXT_DIM, 1);
        pl_viz_text(cr, x - 0.5 * f, py, 0.85 * f, 1, 0.5, buf);
    }
    nt = ticks(xlo, xhi, 8, &t0, &st);
    if (st < 1) st = 1, t0 = ceil(xlo), nt = (int)floor(xhi - t0) + 1; /* iterations are integers */
    for (int i = 0; i < nt && i < 64; i++) {
        double v = t0 + i * st, px = PX(v);
        cairo_move_to(cr, px, y);
        cairo_line_to(cr, px, y + h);
        pl_viz_rgb(cr, 0xeeeeee, 1);
        cairo_stroke(cr);
        fmt_tick(buf, sizeof buf, v, st);
        pl_viz_rgb(cr, PL_VIZ_TEXT_DIM, 1);
        pl_viz_text(cr, px, y + h + 0.4 * f, 0.85 * f, 0.5, 0, buf);
    }
    cairo_rectangle(cr, x, y, w, h);
    pl_viz_rgb(cr, PL_VIZ_TEXT_DIM, 1);
    cairo_stroke(cr);
    pl_viz_rgb(cr, PL_VIZ_TEXT, 1);
    pl_viz_text(cr, x, y - 0.5 * f, 1.0 * f, 0, 1, which == 1 ? "reward" : "proxy cost components");
    /* series */
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    int k = 0;
    for (int c = 0; c < log->ncols; c++) {
        if (pl_plot_panel_of(log->cols[c].name) != which) continue;
        unsigned col = pl_viz_series(k++);
        int pen = 0;
        int64_t pts = 0;
        for (int64_t r = 0; r < log->n; r++) {
            double v = log->cols[c].v[r];
            if (!isfinite(v) || !isfinite(log->iter[r])) {
                pen = 0;
                continue;
            }
            pts++;
            if (pen) cairo_line_to(cr, PX(log->iter[r]), PY(v));
            else cairo_move_to(cr, PX(log->iter[r]), PY(v));
            pen = 1;
        }
        pl_viz_rgb(cr, col, 1);
        cairo_set_line_width(cr, fmax(1.5, 0.15 * f));
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        if (pts < 3) { /* too few for a line to show: dots */
            for (int64_t r = 0; r < log->n; r++) {
                double v = log->cols[c].v[r];
                if (!isfinite(v)) continue;
                cairo_new_sub_path(cr);
                cairo_arc(cr, PX(log->iter[r]), PY(v), 0.25 * f, 0, 2 * M_PI);
            }
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);
    legend_row(pc, cr, x + w, y - 0.5 * f, which, f);
#undef PX
#undef PY
}

static pl_status draw(void *vcr, int W, int H, void *user)
{
    cairo_t *cr = vcr;
    plot_ctx *pc = user;
    double f = fmax(8, 0.016 * fmax(W, H));
    pl_viz_rgb(cr, PL_VIZ_BACKGROUND, 1);
    cairo_paint(cr);
    int have[3] = {0, 0, 0};
    for (int c = 0; c < pc->log->ncols; c++) have[pl_plot_panel_of(pc->log->cols[c].name)] = 1;
    int np = have[1] + have[2];
    char title[256];
    snprintf(title, sizeof title, "%s  (%lld records)", pc->cfg->title ? pc->cfg->title : "training",
             (long long)pc->log->n);
    pl_viz_rgb(cr, PL_VIZ_TEXT, 1);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 1.3 * f);
    cairo_move_to(cr, f, 2.0 * f);
    cairo_show_text(cr, title);
    cairo_new_path(cr);
    double left = 5.5 * f, right = 1.5 * f, top = 4.5 * f, bottom = 3.5 * f, gap = 4.0 * f;
    double ph = (H - top - bottom - (np - 1) * gap) / np, y = top;
    for (int which = 1; which <= 2; which++) {
        if (!have[which]) continue;
        panel(pc, cr, left, y, W - left - right, ph, which, f);
        y += ph + gap;
    }
    pl_viz_rgb(cr, PL_VIZ_TEXT, 1);
    pl_viz_text(cr, left + 0.5 * (W - left - right), H - 0.8 * f, 0.95 * f, 0.5, 1, "iteration");
    return PL_OK;
}

#endif /* PL_HAVE_CAIRO */

pl_status pl_plot_file(const pl_trainlog *log, const pl_plot_config *cfg, const char *out_path)
{
    pl_viz_format fmt;
    PL_TRY(pl_viz_format_from_path(out_path, &fmt));
    if (cfg->width < 200 || cfg->height < 150 || cfg->width > 16384 || cfg->height > 16384)
        return pl_err(PL_EINVAL, "plot: image size %dx%d out of range (200x150 to 16384x16384)", cfg->width, cfg->height);
    int any = 0;
    for (int c = 0; c < log->ncols; c++) any |= pl_plot_panel_of(log->cols[c].name) != 0;
    if (!any || log->n == 0)
        return pl_err(PL_EINVAL, "plot: nothing to plot: the log has no numeric reward* or *_cost keys");
#ifndef PL_HAVE_CAIRO
    return pl_viz_write(out_path, 0, 0, NULL, NULL);
#else
    plot_ctx pc = {log, cfg, INFINITY, -INFINITY};
    for (int64_t r = 0; r < log->n; r++)
        if (isfinite(log->iter[r])) pc.xmin = fmin(pc.xmin, log->iter[r]), pc.xmax = fmax(pc.xmax, log->iter[r]);
    if (!isfinite(pc.xmin)) pc.xmin = 0, pc.xmax = 1;
    return pl_viz_write(out_path, cfg->width, cfg->height, draw, &pc);
#endif
}
