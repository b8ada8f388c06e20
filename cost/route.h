/* route.h: routability figures of a placed flat LEF/DEF design: RUDY and a pattern-routing estimate.
 *
 * Layout: a GCell grid of cols x rows cells over the die (non-uniform column/row bounds allowed);
 * every map is row-major (rows * cols), cell (i, j) at j * cols + i. The rules are stated beside
 * pl_route_config (grid, capacity, decomposition, routing), pl_route_maps (RUDY), pl_route_stats.
 * Ownership: the caller owns config, stats and the optional pl_route_maps (init/free; a successful
 * estimate replaces what they held, a failed one leaves them alone). The netlist is only read.
 * Errors: PL_EINVAL (no die, no routing layers, no H or V layer in range, netlist not finalized,
 * bad config), PL_ENOMEM; messages start "route:". Deterministic (stats.seconds aside). One thread
 * per call, no global state: calls on distinct outputs may run concurrently.
 */
#ifndef PL_COST_ROUTE_H
#define PL_COST_ROUTE_H

#include <stdint.h>

#include "core/netlist.h"

typedef enum pl_route_gcell_source {
    PL_ROUTE_GCELL_AUTO = 0, /* the DEF GCELLGRID when the design has one, else derived from tracks */
    PL_ROUTE_GCELL_TRACKS    /* always derived from tracks (the DEF GCELLGRID ignored) */
} pl_route_gcell_source;

typedef struct pl_route_config {
    /* GCell grid. DEF GCELLGRID: the union of the lines of every statement per axis, clipped to
     * the die, the die edges added. Derived: square GCells of gcell_tracks pitches of the lowest
     * HORIZONTAL routing layer above the lowest routing layer (its LEF y pitch, else x pitch, else
     * its DEF TRACKS Y step / statement count; metal2 on most stacks), starting at the die's
     * lower-left corner; the last column/row takes the remainder (merged into its neighbour when
     * under half a GCell). About 15 tracks per GCell is the usual global-routing choice. */
    pl_route_gcell_source gcell_source; /* PL_ROUTE_GCELL_AUTO */
    int gcell_tracks;                   /* 15 */
    /* Capacity. Routing layers (LEF TYPE ROUTING with a DIRECTION) are numbered 1.. bottom up in
     * LEF order; layers min_layer..max_layer count (default 2..top: layer 1 serves the cells'
     * pins). A GCell's H capacity = the tracks of its HORIZONTAL layers whose y lies in the
     * GCell's [y0, y1) (V: VERTICAL layers, x in [x0, x1)); a layer's tracks are its DEF TRACKS in
     * the preferred direction (Y for horizontal layers) when the DEF gives any, else LEF
     * offset + k * pitch from the die's lower-left. Blockages: our LEF reader keeps no OBS shapes,
     * so a hard macro blocks the lowest macro_layers routing layers (as cost/tech.h), and a DEF
     * routing BLOCKAGE its own layer: in each GCell the blocked tracks (those whose position lies
     * in the footprint) count x the fraction of the GCell's length the footprint covers, so
     * capacity is fractional; each layer's count is clamped at 0 where blockages overlap. Then
     * everything x (1 - reserve).
     * A GCell edge's capacity is the smaller of its two GCells' capacities in that direction. */
    int min_layer;       /* 2 */
    int max_layer;       /* 0: the top routing layer */
    int macro_layers;    /* PL_COST_MACRO_LAYERS (4) */
    double reserve;      /* 0: fraction of the tracks kept back (power grid); [0, 1) */
    /* Decomposition. Pins are snapped to their GCells; a net's distinct GCells are joined by a
     * rectilinear minimum spanning tree (Prim, O(p^2), from the driver's GCell, distances between
     * GCell centres in µm). A net with more than trunk_above distinct GCells (a clock, a reset)
     * is laid as a single-trunk comb instead, O(p log p): a trunk along the median row from the
     * leftmost to the rightmost GCell and, in each column, one vertical branch joining its GCells
     * to the trunk (or all of it turned 90 degrees when that is shorter; ties: the H trunk), each
     * edge 1 track, demand not consulted. (A star to the centroid would pile thousands of tracks
     * on the edges beside its hub: ariane's clock has 20k pins.)
     * Routing. Nets (>= 2 pins) go one by one in increasing GCell bounding-box half-perimeter,
     * then net index; each 2-pin segment takes the cheapest of its two L shapes and, with z_shapes
     * and a segment box of at most z_max_cells GCells, of its Z shapes (ties: H-first L, V-first
     * L, then the Zs in order). Using an edge costs (d + 1) / max(c, 1), plus 1 if d + 1 > c (d:
     * demand so far, c: capacity); each edge crossed adds 1 track of demand, whatever the net
     * weight. Vias and nets within one GCell add nothing. */
    int trunk_above;     /* 1000 */
    int z_shapes;        /* 1 */
    int z_max_cells;     /* 4096 */
} pl_route_config;

void pl_route_config_default(pl_route_config *cfg);

typedef struct pl_route_stats {
    int cols, rows;            /* GCell grid */
    int gcells_from_def;       /* 1: the DEF GCELLGRID, 0: derived from tracks */
    int layers;                /* routing layers counted */
    int64_t nets;              /* nets with >= 2 pins (RUDY and routing) */
    int64_t routed_nets;       /* of those, nets spanning >= 2 GCells */
    int64_t trunk_nets;        /* laid as a single-trunk comb */
    int64_t segments;          /* 2-pin segments routed (spanning-tree edges; a comb counts its trunk and branches) */
    int64_t unplaced;          /* macros and cells still UNPLACED (counted, not refused) */
    double wirelength;         /* µm: Σ demand x distance between the GCell centres of each edge */
    /* Overflow per edge = max(0, demand - capacity), in tracks. */
    double total_overflow, h_overflow, v_overflow, max_overflow;
    /* % of GCells whose own edge (its right H edge / its top V edge) is over capacity; the last
     * column (H) / row (V) has no own edge and is not counted. */
    double h_over_pct, v_over_pct;
    /* Mean of the top 1 % / 5 % of demand / max(capacity, 1) over all H and V edges (at least one
     * edge each); the ACE-like figure. */
    double top1_ratio, top5_ratio;
    /* RUDY per GCell (µm of wire per µm², H + V): its peak, mean and the mean of the top 1 %. */
    double rudy_peak, rudy_mean, rudy_top1;
    double seconds;            /* wall time of the estimate (not deterministic) */
} pl_route_stats;

/* The maps, for drawing. All (rows * cols) row-major unless said. */
typedef struct pl_route_maps {
    int cols, rows;
    double *xs;            /* (cols + 1) column bounds, µm, xs[0] = die.x0, xs[cols] = die.x1 */
    double *ys;            /* (rows + 1) row bounds, µm */
    double *h_cap, *v_cap; /* tracks of the GCell per direction, blockages and reserve applied */
    double *h_dem;         /* demand on the edge from (i, j) to (i + 1, j); 0 in the last column */
    double *v_dem;         /* demand on the edge from (i, j) to (i, j + 1); 0 in the top row */
    /* RUDY, mean density over the GCell, µm/µm². A net's box (w x h, each widened to at least
     * the mean GCell width / height, kept inside the die) gets weight x (w + h) / (w h) spread
     * evenly: weight / h of it horizontal wire (rudy_h), weight / w vertical (rudy_v). So
     * Σ rudy x GCell area = Σ weight x (w + h) over the nets. */
    double *rudy_h, *rudy_v, *rudy;
} pl_route_maps;

void pl_route_maps_init(pl_route_maps *m);
/* NULL-safe and idempotent; leaves m as after init. */
void pl_route_maps_free(pl_route_maps *m);

/* Estimates the routability of nl as placed (pins at pl_pin_position, clamped to the die). Fills
 * *st; when maps is not NULL it receives the maps (it must be initialised). */
pl_status pl_route_estimate(const pl_netlist *nl, const pl_route_config *cfg, pl_route_stats *st,
                            pl_route_maps *maps);

#endif
