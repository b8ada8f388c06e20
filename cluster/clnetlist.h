/* clnetlist.h: the clustered netlist (the placement graph) built from a flat netlist and its clusters.
 *
 * Output: a NEW finalized pl_netlist: ports (PL_NODE_PORT, size 0, FIXED), hard macros (PL_NODE_MACRO,
 * real pins "macro/pin", positions kept) and soft macros "Grp_k" (PL_NODE_SOFT, square, area = cell
 * area / utilization, at the canvas centre, UNPLACED), in that order. Coordinates are shifted so the
 * die's lower-left is (0, 0), as Circuit Training's canvas. Each flat net (<= fanout_max pins) maps
 * to its endpoints (cluster, macro pin, port); nets left with one endpoint vanish and nets with the
 * same driver and sinks merge, weight = Σ merged weights. Soft pins sit at the centre, named
 * Pinput / Poutput_single_j / Poutput_multi_j as CT does. CT indices follow parsers/ctpb_write.h.
 * GraphML goes through igraph (its attribute table is global: set and restored inside the call).
 * Errors: PL_ENOMEM, PL_EIO, PL_ENOTSUP without igraph. Deterministic.
 */
#ifndef PL_CLUSTER_CLNETLIST_H
#define PL_CLUSTER_CLNETLIST_H

#include "cluster/cluster.h"

/* `out` is initialised here; free it with pl_netlist_free(). */
pl_status pl_cluster_netlist_build(pl_netlist *out, const pl_netlist *flat, const pl_cluster *cl,
                                   const pl_cluster_config *cfg);

/* Macro/soft/port adjacency of a clustered netlist as GraphML: vertices with name, type, x, y,
 * width, height; one undirected edge per connected pair, weight = Σ net weights (star from driver). */
pl_status pl_cluster_graphml_write(const pl_netlist *nl, const char *path);

#endif
