/* ctpb.h: reads a Circuit Training netlist (protobuf text `netlist.pb.txt`, gzip too) into a pl_netlist.
 *
 * Mapping: MACRO -> PL_NODE_MACRO, macro -> PL_NODE_SOFT, PORT -> PL_NODE_PORT, STDCELL -> PL_NODE_STDCELL;
 * MACRO_PIN/macro_pin become pins of their macro (dx = w/2 + x_offset, N frame). Each node's `input`
 * list is one net named after the driver; a CT pin on several nets becomes one pl_pin per net.
 * Node (x, y) from the file's centres are stored as lower-left corners. Every node except
 * `__metadata__` takes the next CT index (nodes' ct_index, nl->ct_indexed = 1) for .plc files.
 * Net weight = the driver's `weight` (ports 1); "FP bbox" comments set nl->die. Errors: PL_EPARSE
 * "file:line: ..." (syntax, unknown type or input name; names quoted printable), "file: no nodes" for
 * a netlist without nodes; finalized on success, freeable on failure.
 */
#ifndef PL_CTPB_H
#define PL_CTPB_H

#include "core/netlist.h"

/* Reads `path` into `nl` (initialised by the caller, normally empty). */
pl_status pl_ctpb_read(pl_netlist *nl, const char *path);
/* Same from a NUL-terminated buffer; `path` only names it in messages. */
pl_status pl_ctpb_read_buffer(pl_netlist *nl, const char *path, char *data, size_t len);

#endif
