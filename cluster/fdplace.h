/* fdplace.h: force-directed placement of soft macros with hard macros fixed (Circuit Training's FD).
 *
 * Each step: attraction along every net as a star from its driver (k_a · weight · Δ between pin
 * positions, times io_factor for ports), repulsion between overlapping pairs (k_r · max_move along
 * the centre line; coincident centres get a direction from the seeded pl_rng); forces are scaled so
 * the largest moves max_move = move_factor · max(W, H) / steps (cooled within a stage, see final_step),
 * and nodes are clamped to the canvas.
 * Stages follow CT's schedule (100/100/100 steps, attract 100/1e-3/1e-5, repel 0/1e6/1e7); movable
 * nodes start at the canvas centre. Mixed-size mode also moves UNPLACED hard macros (CT's initial
 * locations for features: move 1/2/2, repel 0/1e5/1e6). Works on a finalized netlist in place
 * (node x, y; moved nodes become PLACED). Deterministic for a seed; single-threaded.
 */
#ifndef PL_CLUSTER_FDPLACE_H
#define PL_CLUSTER_FDPLACE_H

#include <stdint.h>

#include "placer/netlist.h"

enum { PL_FD_MAX_STAGES = 8 };

typedef struct pl_fd_config {
    int nstages;
    int steps[PL_FD_MAX_STAGES];
    double move_factor[PL_FD_MAX_STAGES];
    double attract[PL_FD_MAX_STAGES];
    double repel[PL_FD_MAX_STAGES];
    double io_factor;
    double final_step; /* the step shrinks linearly to this fraction of max_move in each stage
                          (0.05; 1 = CT's constant step) so attraction settles instead of oscillating */
    int mixed;     /* 1: UNPLACED hard macros move too */
    int from_current; /* 1: start from the current positions instead of the centre */
    uint64_t seed;
} pl_fd_config;

/* Circuit Training's soft-macro schedule. */
void pl_fd_config_default(pl_fd_config *cfg);
/* Circuit Training's mixed-size schedule (hard macros that are UNPLACED move too). */
void pl_fd_config_mixed(pl_fd_config *cfg);

typedef struct pl_fd_stats {
    int movable;
    int steps;
    double overlap_area; /* Σ pairwise overlap among moved nodes and with macros at the end, µm² */
} pl_fd_stats;

/* Places the movable nodes of nl (canvas: its die). stats may be NULL. */
pl_status pl_fd_place(pl_netlist *nl, const pl_fd_config *cfg, pl_fd_stats *stats);

#endif
