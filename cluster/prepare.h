/* prepare.h: flat netlist -> placement graph: grid selection, clustering, clustered netlist, FD.
 *
 * Steps: the grid (given, or Circuit Training's choice over the hard macros, cluster/gridsel.h);
 * standard-cell clusters (cluster/cluster.h, IO regions = grid cells; with cluster.physical the
 * cells are first spread by a coarse global placement without the hard macros, gplace/gplace.h, on
 * the clustering stream, and cut by position: the clusters do not depend on the macros' placement);
 * the clustered netlist
 * (cluster/clnetlist.h); force-directed placement of the soft macros (cluster/fdplace.h), in
 * mixed-size mode when some hard macro is UNPLACED. The canvas (the die unless given) is the area all
 * of these see: the grid divides it, the clustered netlist's origin is its lower-left corner. Owns the clustered netlist and the clusters;
 * pl_prepare_free() is NULL-safe and idempotent. Deterministic for cfg seeds (igraph's global RNG is
 * seeded inside: one preparation at a time per process). Errors: as the steps'.
 */
#ifndef PL_CLUSTER_PREPARE_H
#define PL_CLUSTER_PREPARE_H

#include "cluster/clnetlist.h"
#include "cluster/cluster.h"
#include "cluster/fdplace.h"
#include "cluster/gridsel.h"

typedef struct pl_prepare_config {
    pl_cluster_config cluster;
    pl_gridsel_config grid;
    int cols, rows;  /* 0: choose */
    int fd;          /* 1: place the soft macros (default) */
    int soft_ct;     /* 1: Circuit Training's force-directed schedule instead of the analytical placer */
    int has_canvas;  /* 1: canvas (flat coordinates) is the placement area; 0: the die */
    pl_rect canvas;
    uint64_t seed;   /* the one seed: clustering and FD streams derive from it */
    int threads;     /* the physical clustering's global placement (1); results do not depend on it */
} pl_prepare_config;

void pl_prepare_config_default(pl_prepare_config *cfg);

typedef struct pl_prepare {
    pl_netlist nl;        /* the clustered netlist */
    pl_cluster cl;
    int cols, rows;
    int grid_chosen;      /* 1: from grid selection */
    pl_gridsel_result gs;
    pl_fd_stats fd;
    int fd_mixed;
    uint64_t fd_seed;     /* the soft-macro placer's stream (pl_prepare_streams) */
    double origin_x, origin_y; /* flat coordinates of the clustered netlist's (0, 0): the canvas corner */
    int soft_ct;          /* as configured */
    double ms_grid, ms_cluster, ms_build, ms_fd;
    double ms_spread;     /* of ms_cluster: the physical clustering's global placement */
} pl_prepare;

/* The seed streams, derived here and nowhere else: igraph's clustering stream, then the soft-macro
 * placer's. */
void pl_prepare_streams(uint64_t seed, uint64_t *cluster_seed, uint64_t *fd_seed);
/* The soft-macro placer once the hard macros are placed (never mixed-size): the analytical placer, or
 * Circuit Training's schedule when soft_ct, on fd_seed. */
void pl_prepare_fd_config(int soft_ct, uint64_t fd_seed, pl_fd_config *fc);

/* `p` is initialised here. */
pl_status pl_prepare_run(pl_prepare *p, const pl_netlist *flat, const pl_prepare_config *cfg);
void pl_prepare_free(pl_prepare *p);

#endif
