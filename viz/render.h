/* render.h: floorplan images (PNG, SVG or PDF from the file extension) of a netlist's placement.
 *
 * Draws die, core (bounding box of the rows) and rows, blockages, placed std cells as a faint
 * density, hard macros (placed and fixed in different colours, pin-1 corner marked, names where they
 * fit without overlapping), soft macros translucent, IO pins, an optional density/congestion heatmap
 * (from a pl_cost on which pl_cost_full() or pl_cost_terms_get() ran) or flylines of the heaviest
 * nets, a title, a µm scale bar and a legend; unplaced macros are counted and shown apart, never
 * inside the die. Nothing is owned: the netlist and cost are only read. Output is written through a
 * temporary file renamed into place. Errors: PL_EINVAL, PL_EIO, PL_ENOMEM, PL_ENOTSUP (no Cairo).
 * Deterministic for the same inputs; one thread per call. No Cairo types here.
 */
#ifndef PL_VIZ_RENDER_H
#define PL_VIZ_RENDER_H

#include <stdint.h>

#include "viz/render_layout.h"
#include "cost/proxy.h"
#include "core/events.h"
#include "core/netlist.h"

/* Fill colour (0xRRGGBB) of a hard macro in `state`, or of a soft macro's outline. */
unsigned pl_render_macro_color(pl_node_kind kind, pl_place_state state);

/* 1 if images can be written (built with Cairo). */
int pl_render_available(void);
/* Draws nl (and cost's grid when an overlay needs it; NULL otherwise) into out_path. */
pl_status pl_render_file(const pl_netlist *nl, const pl_cost *cost, const pl_render_config *cfg,
                         const char *out_path);

/* An event sink that renders: on the kinds in `kinds` (PL_EVENT_BIT mask) it writes `path`, or for
 * PL_EVENT_ITERATION events "<stem>_iter<N><ext>". Title terms and seed come from the event. */
typedef struct pl_render_sink {
    pl_render_config cfg;
    const char *path;          /* borrowed; must outlive the subscription */
    unsigned kinds;
    int64_t every;             /* iteration events: render when iteration % every == 0 (0: never) */
    int64_t written;           /* images written so far */
} pl_render_sink;

void pl_render_sink_init(pl_render_sink *rs, const char *path, const pl_render_config *cfg);
/* The sink to subscribe: {callback, rs}. rs must outlive the subscription. */
pl_event_sink pl_render_sink_get(pl_render_sink *rs);

#endif
