/* cluster.h: standard-cell clustering with igraph (the cells that become soft macros).
 *
 * Graph: one vertex per PL_NODE_STDCELL; nets with more than fanout_max pins are left out; a net
 * of k nodes adds a clique (<= clique_max cells, weight 1/(k-1) per pair) or a star from its first
 * cell (weight c/(2(k-1)) for c cells, the clique's total); parallel edges summed (u < v, sorted).
 * Steps: cells sharing a net with a macro pin or an IO region's ports are grouped with it (IO
 * regions first, then macros in node order); the rest go through Leiden (modularity, resolution
 * searched to the target count) or, when cfg->physical, are cut by position: recursive bisection of
 * their centres in `flat` (the longer side of each part's bounding box, at the area share of the
 * clusters it is to hold; ties by vertex), one cluster per mean area; clusters above split_factor x the mean area are split along BFS
 * order, tiny ones merged into their best-connected neighbour. Ownership: caller-owned structs,
 * init by the functions below, *_free NULL-safe and idempotent. Determinism: same netlist, config
 * and seed -> same result; igraph's RNG is global, so runs seed it and must not overlap in threads.
 */
#ifndef PL_CLUSTER_H
#define PL_CLUSTER_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_cluster_config {
    uint64_t seed;
    int target;          /* clusters wanted; 0: round(2 sqrt(cells)) in [1, 1000] */
    int clique_max;      /* nets with at most this many cells are cliques (default 16) */
    int fanout_max;      /* nets with more pins are left out of the graph and the clustered netlist (500) */
    double utilization;  /* soft-macro area = cell area / utilization (0.5: Circuit Training's bloat of 2) */
    double split_factor; /* clusters with area > split_factor * mean area are split (4) */
    double merge_factor; /* clusters with area < merge_factor * mean area are merged (0.25) */
    int group_macros, group_ios;     /* 1: group cells adjacent to macros / IO regions (1, 1) */
    double io_region_w, io_region_h; /* IO region size along the edges, µm; 0: die side / 32 */
    double tolerance;    /* accepted relative distance from the target in the resolution search (0.1) */
    int max_runs;        /* Leiden runs in the search at most (10) */
    int physical;        /* 1: free cells cut by their positions in `flat` (placed by the caller), not Leiden (0) */
} pl_cluster_config;

void pl_cluster_config_default(pl_cluster_config *cfg);

/* The weighted cell graph (E edges, u < v, sorted by (u, v)). */
typedef struct pl_cluster_graph {
    int32_t nv;
    int32_t *cell_node;  /* (nv) flat node of each vertex */
    int32_t *vertex_of;  /* (nnodes) vertex of each node, -1 if not a cell */
    int64_t ne;
    int32_t *eu, *ev;    /* (E) */
    double *ew;          /* (E) */
    int64_t nets_used, nets_skipped; /* nets with edges / nets over fanout_max */
} pl_cluster_graph;

pl_status pl_cluster_graph_build(pl_cluster_graph *g, const pl_netlist *flat, const pl_cluster_config *cfg);
void pl_cluster_graph_free(pl_cluster_graph *g);
/* Σ weights of the edges whose ends lie in different clusters; membership (nv). */
double pl_cluster_graph_cut(const pl_cluster_graph *g, const int32_t *membership);

typedef struct pl_cluster {
    pl_cluster_graph g;
    int32_t nclusters;
    int32_t *of_cell;    /* (nv) cluster of each vertex, numbered by first vertex */
    int32_t *of_node;    /* (nnodes of the flat netlist) cluster of each cell, -1 otherwise */
    double *area;        /* (nclusters) Σ cell area, µm² */
    int32_t *size;       /* (nclusters) cells */
    int32_t ngroups;     /* macro and IO groups that got cells */
    int leiden_runs;
    int physical;        /* 1: the free cells were cut by position (cfg->physical) */
    double resolution;   /* the modularity resolution chosen */
    double cut, total;   /* weighted cut and total weight of the cell graph */
} pl_cluster;

/* Clusters the standard cells of `flat` (finalized). */
pl_status pl_cluster_run(pl_cluster *cl, const pl_netlist *flat, const pl_cluster_config *cfg);
void pl_cluster_free(pl_cluster *cl);

#endif
