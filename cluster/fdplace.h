/* fdplace.h: soft-macro placement with hard macros fixed: analytical (default) or Circuit Training's FD.
 *
 * PL_FD_ANALYTIC runs cluster/anplace.h (WA wirelength + electrostatic density). PL_FD_FORCES, the
 * reference (pl_fd_config_ct), runs CT's stages (100/100/100 steps, attract 100/1e-3/1e-5, repel
 * 0/1e6/1e7): attraction along nets as stars from the driver (k_a · weight · Δ, io_factor for ports),
 * repulsion k_r · max_move between overlapping pairs (coincident centres: a seeded direction), forces
 * scaled so the largest moves max_move = move_factor · max(W, H) / steps (cooled, see final_step),
 * nodes clamped to the canvas, starting at its centre. Mixed-size mode also moves UNPLACED hard macros
 * (CT's feature locations: move 1/2/2, repel 0/1e5/1e6). Works in place on a finalized netlist (moved
 * nodes become PLACED). Errors: PL_EINVAL, PL_ENOMEM. Deterministic for a seed; single-threaded.
 */
#ifndef PL_CLUSTER_FDPLACE_H
#define PL_CLUSTER_FDPLACE_H

#include <stdint.h>

#include "core/netlist.h"

#include "cluster/anplace.h"

enum { PL_FD_MAX_STAGES = 8 };

typedef enum pl_fd_method {
    PL_FD_ANALYTIC = 0, /* cluster/anplace.h with the settings in `an` */
    PL_FD_FORCES        /* the force-directed stages below */
} pl_fd_method;

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
    pl_fd_method method;
    pl_an_config an; /* PL_FD_ANALYTIC; its mixed, from_current and seed are taken from the fields above */
} pl_fd_config;

/* The analytical placer (the forces' fields hold Circuit Training's schedule, unused). */
void pl_fd_config_default(pl_fd_config *cfg);
/* Circuit Training's soft-macro schedule (method PL_FD_FORCES). */
void pl_fd_config_ct(pl_fd_config *cfg);
/* Circuit Training's mixed-size schedule (PL_FD_FORCES; hard macros that are UNPLACED move too). */
void pl_fd_config_mixed(pl_fd_config *cfg);

typedef struct pl_fd_stats {
    int movable;
    int steps;           /* force steps, or analytical iterations */
    double overflow;     /* analytical: density overflow at the end (0 for forces) */
    double overlap_area; /* Σ pairwise overlap among moved nodes and with macros at the end, µm² */
} pl_fd_stats;

/* Places the movable nodes of nl (canvas: its die). stats may be NULL. */
pl_status pl_fd_place(pl_netlist *nl, const pl_fd_config *cfg, pl_fd_stats *stats);

#endif
