/* plc.h: Circuit Training placement files (.plc): header comments and `index x y orient fixed` lines.
 *
 * Read: the header fields Circuit Training writes (grid, canvas, routes per micron, macro routing
 * allocation, smoothing, overlap threshold, costs, blockages) into a caller-owned pl_plc_header,
 * and the body applied to a netlist read by parsers/ctpb.h (x, y are node centres; '-' keeps the
 * orientation; fixed 1 -> PL_PLACE_FIXED, 0 -> PL_PLACE_PLACED). Write: header + one line per CT
 * node that is not a pin, via a temporary file renamed into place (never a partial output).
 * Errors: PL_EPARSE "file:line: ..." (bad line, unknown index, a header grid, canvas or smoothing out
 * of range, checked before it sizes anything), "file: empty .plc" when no line places a node or sets a header field,
 * PL_EINVAL for a netlist without CT indices, PL_EIO. pl_plc_header_free() is NULL-safe and idempotent. Not thread-safe per netlist.
 */
#ifndef PL_PLC_H
#define PL_PLC_H

#include "core/netlist.h"

enum {
    PL_PLC_HAVE_GRID = 1,       /* cols, rows */
    PL_PLC_HAVE_CANVAS = 2,     /* width, height */
    PL_PLC_HAVE_ROUTES = 4,     /* h_rpm, v_rpm */
    PL_PLC_HAVE_MACRO = 8,      /* h_macro_alloc, v_macro_alloc */
    PL_PLC_HAVE_SMOOTH = 16,    /* smooth_range */
    PL_PLC_HAVE_OVERLAP = 32,   /* overlap_threshold */
    PL_PLC_HAVE_CONG_GRID = 64, /* cong_cols, cong_rows */
    PL_PLC_HAVE_COSTS = 128     /* wirelength, *_cost */
};

typedef struct pl_plc_blockage {
    double x0, y0, x1, y1, rate;
} pl_plc_blockage;

typedef struct pl_plc_header {
    unsigned have;              /* PL_PLC_HAVE_* bits */
    int cols, rows;             /* placement grid */
    int cong_cols, cong_rows;   /* congestion grid (newer files) */
    double width, height;       /* canvas, µm */
    double h_rpm, v_rpm;        /* routes per micron */
    double h_macro_alloc, v_macro_alloc; /* routes per micron used by macros */
    int smooth_range;
    double overlap_threshold;
    double wirelength, wirelength_cost, congestion_cost, density_cost; /* as written, NAN if absent */
    char block[128];
    pl_plc_blockage *blockages; /* owned */
    int64_t nblockages, blockages_cap;
} pl_plc_header;

void pl_plc_header_init(pl_plc_header *h);
void pl_plc_header_free(pl_plc_header *h);

/* Reads `path` (plain or gzip): fills *h (if not NULL) and applies the body to nl (if not NULL). */
pl_status pl_plc_read(const char *path, pl_plc_header *h, pl_netlist *nl);
/* Writes h's fields (the ones in h->have) and every CT node's placement of nl to `path`. */
pl_status pl_plc_write(const char *path, const pl_plc_header *h, const pl_netlist *nl);

#endif
