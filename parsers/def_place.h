/* def_place.h: applies the component placements of a DEF to a netlist read elsewhere.
 *
 * pl_def_placement_apply() reads only UNITS and COMPONENTS of `path` (plain or .gz; no LEF needed)
 * and, for every component whose name is a node of nl, copies its state (PLACED, FIXED, COVER,
 * UNPLACED), lower-left position (µm) and orientation. Components absent from nl are counted, not
 * an error; a component whose master differs from the node's is counted too. nl keeps everything
 * else. Errors: PL_EPARSE "file:line: ...", PL_EIO; on error nl may be partly updated.
 * Deterministic; not thread-safe per netlist.
 */
#ifndef PL_DEF_PLACE_H
#define PL_DEF_PLACE_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_def_placement_stats {
    int64_t components; /* components in the DEF */
    int64_t applied;    /* matched by name and applied */
    int64_t missing;    /* not in the netlist */
    int64_t other_master; /* applied, but the DEF names another master */
} pl_def_placement_stats;

pl_status pl_def_placement_apply(pl_netlist *nl, const char *path, pl_def_placement_stats *st);

#endif
