/* plot.h: training curves from a pl_trainlog: reward columns ("reward*") in one panel and proxy-cost
 * components ("*_cost") in another, against "iteration", with ticks, grid, legends and a title.
 *
 * Output format from the extension (PNG, SVG, PDF), written through a temporary file renamed into
 * place. NaN values break a line; a series of one point is drawn as a dot. Reads the log only.
 * Errors: PL_EINVAL (no plottable column, bad size or extension), PL_EIO, PL_ENOMEM, PL_ENOTSUP
 * without Cairo. Deterministic; one thread per call. No Cairo types here.
 */
#ifndef PL_VIZ_PLOT_H
#define PL_VIZ_PLOT_H

#include "viz/trainlog.h"

typedef struct pl_plot_config {
    int width, height;  /* px (PNG) or pt (SVG, PDF) */
    const char *title;  /* NULL: "training" */
} pl_plot_config;

/* 1200 x 800, no title. */
void pl_plot_config_default(pl_plot_config *cfg);
/* 0: not plotted, 1: reward panel, 2: cost panel. */
int pl_plot_panel_of(const char *column);
pl_status pl_plot_file(const pl_trainlog *log, const pl_plot_config *cfg, const char *out_path);

#endif
