/* tech.h: routing capacity for the proxy cost from a technology LEF (for LEF/DEF designs).
 *
 * Rule (documented in `placer eval --help`): the routing layers (TYPE ROUTING with a DIRECTION),
 * bottom to top in LEF order, minus the lowest one (cell pin access). Horizontal capacity =
 * Σ 1/pitch_y over HORIZONTAL layers (pitch_x if no y pitch), vertical = Σ 1/pitch_x over
 * VERTICAL ones, both times (1 - reserve) for the power grid (Circuit Training assumes 18 %).
 * A hard macro blocks the lowest `macro_layers` routing layers: its allocation is the same sum
 * over those layers (minus the lowest). Errors: PL_EINVAL when the library has no usable routing
 * layer. Pure function of the netlist's layers; thread-safe.
 */
#ifndef PL_COST_TECH_H
#define PL_COST_TECH_H

#include "core/netlist.h"

typedef struct pl_cost_routes {
    double h_rpm, v_rpm;                 /* tracks per µm */
    double h_macro_alloc, v_macro_alloc; /* tracks per µm that a hard macro blocks */
    int layers;                          /* routing layers counted (the lowest excluded) */
    double channel;                      /* µm: the default gap between hard macros,
                                            PL_COST_CHANNEL_TRACKS x the largest pitch of the layers a
                                            macro blocks (the lowest excluded): room for that many
                                            tracks on each of them, for the macros' pins and the
                                            routes that cross between macros */
} pl_cost_routes;

/* Circuit Training's power-grid reserve. */
#define PL_COST_POWER_RESERVE 0.18
/* Layers a typical memory macro blocks (fakeram/OpenRAM: OBS on metal1-3, pins on metal4). */
#define PL_COST_MACRO_LAYERS 4
/* Tracks kept free between two hard macros on every layer they block (the default channel). */
#define PL_COST_CHANNEL_TRACKS 20

pl_status pl_cost_routes_from_lef(const pl_netlist *nl, int macro_layers, double reserve, pl_cost_routes *r);

#endif
