/* ctpb_write.h: writes a pl_netlist as a Circuit Training netlist (protobuf text, netlist.pb.txt).
 *
 * Layout: header comments (with "FP bbox" when the netlist has a die), `__metadata__`, then one
 * CT node per netlist node in index order; a hard or soft macro is followed by its pin nodes (its
 * pins grouped by name, "macro/pin"). MACRO/macro/PORT/STDCELL types (PL_NODE_OTHER is written as
 * STDCELL); a node's `input` list is the sinks of the nets its record drives (several driven nets
 * are merged, as CT does for multi-output cells); the driver's `weight` attribute carries the
 * net weight. pl_ctpb_index() gives nodes the CT indices of that order (for .plc files), so
 * pl_ctpb_read() of the output reproduces nodes, nets and weights. Names are written without
 * backslashes (a DEF's `ram\[0\]` is `ram[0]`), as Circuit Training's own LEF/DEF translator writes
 * them and as TILOS's plc_client_os needs them; only if that would make two different names equal
 * are they written as they are (a warning). Output via a temporary file renamed into place;
 * ".gz" paths are gzipped. Errors: PL_EIO, PL_ENOMEM, PL_EINVAL (not finalized).
 */
#ifndef PL_CTPB_WRITE_H
#define PL_CTPB_WRITE_H

#include "core/netlist.h"

typedef struct pl_ctpb_write_opts {
    double bloat;        /* __metadata__ soft_macro_area_bloating_ratio; <= 0: not written */
    const char *comment; /* extra header comment lines ('\n'-separated, no '#'), or NULL */
} pl_ctpb_write_opts;

/* Sets every node's ct_index (and nl->ct_indexed, nl->ct_count) to the writer's order. */
pl_status pl_ctpb_index(pl_netlist *nl);
/* Writes nl (finalized) to `path`; opts may be NULL. */
pl_status pl_ctpb_write(const pl_netlist *nl, const char *path, const pl_ctpb_write_opts *opts);

#endif
