/* render_layout.h: what a floorplan image shows and where it lands: the render configuration, the
 * counts of objects by kind and state, and the µm -> pixel layout (render_layout.c).
 *
 * Shared by render.c (the driver: chrome, file, event sink) and render_layers.c (the layers it
 * draws), which include this and not each other's header; callers include viz/render.h, which
 * includes this. Nothing is owned: the netlist is only read. No errors, no allocation, no Cairo;
 * deterministic; thread-safe.
 */
#ifndef PL_VIZ_RENDER_LAYOUT_H
#define PL_VIZ_RENDER_LAYOUT_H

#include <stdint.h>

#include "cost/proxy.h"
#include "core/netlist.h"

typedef enum pl_render_overlay {
    PL_RENDER_OVERLAY_NONE = 0,
    PL_RENDER_OVERLAY_DENSITY,    /* cost->dvals on the cols x rows grid */
    PL_RENDER_OVERLAY_CONGESTION, /* max(V, H) of cost->cvals on the congestion grid */
    PL_RENDER_OVERLAY_NETS,       /* flylines of the heaviest nets */
    PL_RENDER_OVERLAY_CELLS,      /* standard-cell density, from cfg->heat */
    PL_RENDER_OVERLAY_RUDY        /* RUDY wire density, from cfg->heat */
} pl_render_overlay;

/* A heatmap given by the caller (the cells and RUDY overlays): values on a grid of columns and rows
 * whose bounds need not be even (a GCell grid's last column takes the remainder). Borrowed. */
typedef struct pl_render_heat {
    int cols, rows;
    const double *xs, *ys; /* (cols + 1), (rows + 1) bounds, µm, increasing */
    const double *v;       /* (rows * cols) row-major, row 0 at the bottom */
    const char *what;      /* the legend's line, e.g. "cell area / GCell area" */
} pl_render_heat;

typedef struct pl_render_config {
    int size;                  /* longer side of the image, px (PNG) or pt (SVG, PDF) */
    pl_render_overlay overlay;
    int max_flylines;          /* nets drawn by the nets overlay */
    int labels;                /* 1: macro names where they fit */
    const char *title;         /* NULL: the design name */
    const char *subtitle;      /* e.g. the placement file; NULL: none */
    pl_cost_terms terms;       /* shown in the title when has_terms */
    int has_terms;
    uint64_t seed;             /* shown in the title when has_seed */
    int has_seed;
    double grid_dx, grid_dy;   /* µm added to the cost grid's origin when drawn (a DEF's clustered
                                  problem is costed from the die's lower-left corner) */
    const pl_render_heat *heat; /* the cells and RUDY overlays' map (required by them); NULL */
} pl_render_config;

/* size 1024, no overlay, 200 flylines, labels on, no title/terms/seed. */
void pl_render_config_default(pl_render_config *cfg);
/* "none", "density", "congestion", "nets", "cells", "rudy" -> overlay; -1 if none matches. */
int pl_render_overlay_parse(const char *s);
const char *pl_render_overlay_name(pl_render_overlay o);
/* 1 for the overlays drawn from cfg->heat (cells, rudy); 2 for those drawn from a cost (density,
 * congestion); 0 otherwise. */
int pl_render_overlay_source(pl_render_overlay o);

/* Where things land in the image (for callers that annotate or test pixels). */
typedef struct pl_render_layout {
    int width, height;         /* image size; max(width, height) == cfg->size */
    double scale;              /* px per µm */
    double x0, y0;             /* µm at the view's lower-left corner */
    double px0, py1;           /* pixel of (x0, y0): left edge, bottom edge of the plot area */
    double plot_w, plot_h;     /* px */
    double font;               /* base font size, px */
    double legend_x, legend_y, legend_w; /* legend panel, px */
} pl_render_layout;

void pl_render_layout_compute(const pl_netlist *nl, const pl_render_config *cfg, pl_render_layout *lay);
/* µm -> image pixel (y grows downwards in the image). */
void pl_render_layout_map(const pl_render_layout *lay, double x, double y, double *px, double *py);

/* Padding around the plot area, px, for the base font size f. */
#define PL_RENDER_PAD(f) (0.8 * (f))

typedef struct pl_render_counts {
    int64_t macros_placed, macros_fixed, macros_unplaced;
    int64_t soft, soft_unplaced;
    int64_t std_placed, std_unplaced;
    int64_t ports, ports_unplaced;
    int64_t blockages;
    int64_t rows;
} pl_render_counts;

/* Counts placed/fixed/unplaced objects into *cnt and the core (bounding box of the rows) into *core. */
void pl_render_counts_compute(const pl_netlist *nl, pl_render_counts *cnt, pl_rect *core);
/* The row's footprint, µm: sites DO nx BY ny with steps (sx, sy). */
pl_rect pl_render_row_rect(const pl_netlist *nl, const pl_row *r);

#endif
