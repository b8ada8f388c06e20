/* context.h: the proxy cost's types: its configuration, its terms and the pl_cost context itself.
 *
 * Shared by proxy.c (the driver: init, full and incremental evaluation, undo) and grid.c (the grid
 * half it calls), which both include this and not each other's header; callers include cost/proxy.h,
 * which includes this. A pl_cost owns its arrays (see proxy.h); nothing here allocates or runs.
 */
#ifndef PL_COST_CONTEXT_H
#define PL_COST_CONTEXT_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_cost_config {
    double canvas_w, canvas_h;           /* µm */
    double origin_x, origin_y;           /* canvas lower-left, µm (0 for Circuit Training) */
    int cols, rows;                      /* placement (density) grid */
    int cong_cols, cong_rows;            /* congestion grid; 0 = the placement grid (legacy) */
    double h_rpm, v_rpm;                 /* routing tracks per micron */
    double h_macro_alloc, v_macro_alloc; /* tracks per micron that a hard macro blocks */
    int smooth_range;                    /* congestion smoothing half-window, cells */
    double w_wirelength, w_density, w_congestion;
} pl_cost_config;

typedef struct pl_cost_terms {
    double wirelength;      /* Σ weight · HPWL, µm */
    double wirelength_cost; /* wirelength / ((W + H) · Σ net weights) */
    double density_cost;    /* 0.5 · mean of the top 10 % cell densities */
    double congestion_cost; /* mean of the top 5 % of the H and V congestion values */
    double proxy_cost;      /* weighted sum */
} pl_cost_terms;

typedef struct pl_cost_undo_rec {
    int32_t node;
    int32_t op;            /* operation number it belongs to */
    double cx, cy;
    pl_orient orient;
} pl_cost_undo_rec;

typedef struct pl_cost {
    pl_cost_config cfg;
    const pl_netlist *nl;
    int32_t nnodes, npins, nnets;
    /* grids */
    double gw, gh, cgw, cgh;     /* placement / congestion cell size */
    int ncell, nccell;           /* cols·rows, cong_cols·cong_rows */
    /* nodes */
    double *cx, *cy;             /* (N) centres, relative to the canvas origin */
    uint8_t *orient;             /* (N) */
    uint8_t *area_kind;          /* (N) 1: counts in density, 2: also blocks routing (hard macro) */
    int32_t *node_net_off, *node_nets; /* CSR node -> distinct nets it is on */
    /* pins (only pins on a costed net) */
    int32_t *pin_node;           /* (P) */
    double *pin_ox, *pin_oy;     /* (P) offset from the centre, N frame */
    double *pin_x, *pin_y;       /* (P) position relative to the canvas origin */
    int32_t *pin_cell;           /* (P) congestion-grid cell */
    int32_t *node_pin_off, *node_pins; /* CSR node -> its costed pins */
    /* nets (driver first) */
    int32_t *net_pin_off, *net_pins;
    double *net_w;               /* HPWL weight */
    double *net_rw;              /* routing weight */
    double *net_hpwl;
    double net_count;            /* Σ net weights (the normaliser) */
    double wl;                   /* Σ net_w · net_hpwl */
    /* grids' state */
    double *occ;                 /* (ncell) overlapped area */
    double *hdem, *vdem;         /* (nccell) routing demand, raw track counts */
    double *hmac, *vmac;         /* (nccell) macro blockage, normalised */
    double *scratch;             /* (max(2 nccell, ncell)) top-k work area */
    double *cvals;               /* (2 nccell) final V then H congestion */
    double *dvals;               /* (ncell) densities */
    int32_t *stamp;              /* (nccell) */
    int32_t *cells;              /* (nccell) */
    int32_t epoch;
    int32_t *touched;            /* (nnets) mark for the nets of an operation */
    int32_t *tlist;              /* (nnets) */
    int32_t tmark;
    /* undo journal */
    pl_cost_undo_rec *journal;
    int64_t njournal, journal_cap;
    int32_t op;
} pl_cost;

#endif
