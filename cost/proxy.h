/* proxy.h: the Circuit Training proxy cost (wirelength + density + congestion), full and incremental.
 *
 * Definition: ../shared/docs/reference/circuit-training-and-tilos.md §1 (TILOS plc_client_os, which
 * matches Google's evaluator). A pl_cost mirrors the netlist's node centres and orientations in
 * flat arrays, caches per-net bounding boxes and grid cells, the density grid, the routing demand
 * and the macro blockage; move/orient/swap update only what the moved nodes touch; undo reverts
 * the operations since the last commit. pl_cost_full() recomputes everything and is the oracle.
 * Owns its arrays; the netlist must outlive it, unchanged in structure (pl_cost_write_back copies
 * positions back). Errors: init PL_EINVAL/PL_ENOMEM; the hot path allocates only to grow the undo
 * journal. Deterministic; one thread per pl_cost.
 */
#ifndef PL_COST_PROXY_H
#define PL_COST_PROXY_H

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

/* Circuit Training defaults: routes 70.33/74.51, macro 51.79/51.79, smoothing 2 (legacy grid),
 * weights 1.0/0.5/0.5; canvas and grid 0 (the caller must set them). */
void pl_cost_config_default(pl_cost_config *cfg);
/* The June 2023 congestion grid: cell = 2000/(h_rpm + v_rpm) µm, cols/rows = int(W or H / cell). */
void pl_cost_config_grid2023(pl_cost_config *cfg);

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

/* Builds the context from nl's current placement (finalized netlist; canvas and grid set). */
pl_status pl_cost_init(pl_cost *c, const pl_netlist *nl, const pl_cost_config *cfg);
void pl_cost_free(pl_cost *c);

/* Recomputes every cached quantity from the current node state and returns the terms. */
void pl_cost_full(pl_cost *c, pl_cost_terms *t);
/* The terms of the current state (cached wirelength; density and congestion top-k now). */
void pl_cost_terms_get(pl_cost *c, pl_cost_terms *t);

/* Incremental operations; each is one undoable step. Centres are absolute µm (as in the netlist). */
pl_status pl_cost_move(pl_cost *c, int32_t node, double cx, double cy);
pl_status pl_cost_set_orient(pl_cost *c, int32_t node, pl_orient o);
/* Flip about the vertical axis (N<->FN, S<->FS, ...: x mirrored) or the horizontal one. */
pl_status pl_cost_flip(pl_cost *c, int32_t node, int vertical_axis);
/* Exchanges the centres of two nodes (orientations stay). */
pl_status pl_cost_swap(pl_cost *c, int32_t a, int32_t b);
/* Reverts the most recent operation since the last commit; 0 if there was none. */
int pl_cost_undo(pl_cost *c);
/* Forgets the undo journal. */
void pl_cost_commit(pl_cost *c);

/* Copies centres and orientations into nl's nodes (lower-left convention). */
void pl_cost_write_back(const pl_cost *c, pl_netlist *nl);

/* Mean of the k largest of v[0..n) (k >= 1), using scratch (n); v is not changed. */
double pl_cost_topk_mean(const double *v, int n, int k, double *scratch);

#endif
