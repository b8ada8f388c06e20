/* render_layers.h: the layers of a floorplan image inside the plot area (render_layers.c: die, rows,
 * cells, heatmap, macros, pins, flylines, labels), drawn by render.c in order.
 *
 * A render_ctx borrows the netlist, cost and config for one drawing and owns nothing but `labels`.
 * Functions taking `void *cr` expect a cairo_t * (no Cairo types in headers). Not thread-safe.
 */
#ifndef PL_VIZ_RENDER_LAYERS_H
#define PL_VIZ_RENDER_LAYERS_H

#include "viz/labels.h"
#include "viz/render_layout.h"
#include "cost/proxy.h"
#include "core/netlist.h"

typedef struct pl_render_ctx {
    const pl_netlist *nl;
    const pl_cost *cost;
    const pl_render_config *cfg;
    pl_render_layout lay;
    pl_render_counts cnt;
    pl_viz_labels labels;
    int rows_drawn;          /* 1 if rows were far enough apart to draw */
    pl_rect core;            /* bounding box of the rows, µm (valid if cnt.rows) */
    double heat_max;         /* largest heatmap value drawn */
    int heat_cols, heat_rows;
    int64_t flylines;        /* nets drawn by the nets overlay */
    int64_t labels_drawn;
} pl_render_ctx;

/* The layers, in drawing order; each draws inside the plot area (clip set by the caller). */
pl_status pl_render_draw_floor(pl_render_ctx *ctx, void *cr);   /* die, std cells, rows, blockages */
pl_status pl_render_draw_heat(pl_render_ctx *ctx, void *cr);    /* density/congestion overlay */
pl_status pl_render_draw_macros(pl_render_ctx *ctx, void *cr);  /* soft and hard macros, pin-1 marks */
pl_status pl_render_draw_flylines(pl_render_ctx *ctx, void *cr);
void pl_render_draw_ports(pl_render_ctx *ctx, void *cr);
pl_status pl_render_draw_labels(pl_render_ctx *ctx, void *cr);

/* The hatch used for blockages and unplaced macros, over the current path (which it keeps). */
void pl_render_hatch(void *cr, double x, double y, double w, double h, double step, unsigned rgb, double alpha);

#endif
