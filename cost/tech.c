/* tech.c: routing capacity from LEF routing layers; see tech.h. */
#include "cost/tech.h"

#include <string.h>

pl_status pl_cost_routes_from_lef(const pl_netlist *nl, int macro_layers, double reserve, pl_cost_routes *r)
{
    memset(r, 0, sizeof *r);
    if (!(reserve >= 0 && reserve < 1))
        return pl_err(PL_EINVAL, "cost: power reserve %g must be in [0, 1)", reserve);
    int k = 0; /* routing layers seen, bottom first */
    for (int64_t i = 0; i < nl->nlayers; i++) {
        const pl_layer *L = &nl->layers[i];
        if (!L->type || strcmp(L->type, "ROUTING") != 0 || L->dir == PL_LAYER_NONE) continue;
        k++;
        if (k == 1) continue; /* the lowest layer serves the cells' pins */
        double pitch = L->dir == PL_LAYER_HORIZONTAL ? (L->pitch_y > 0 ? L->pitch_y : L->pitch_x)
                                                     : (L->pitch_x > 0 ? L->pitch_x : L->pitch_y);
        if (!(pitch > 0)) continue;
        double t = (1.0 - reserve) / pitch;
        int blocked = k <= macro_layers;
        if (blocked && PL_COST_CHANNEL_TRACKS * pitch > r->channel) r->channel = PL_COST_CHANNEL_TRACKS * pitch;
        if (L->dir == PL_LAYER_HORIZONTAL) {
            r->h_rpm += t;
            if (blocked) r->h_macro_alloc += t;
        } else {
            r->v_rpm += t;
            if (blocked) r->v_macro_alloc += t;
        }
        r->layers++;
    }
    if (!(r->h_rpm > 0) || !(r->v_rpm > 0))
        return pl_err(PL_EINVAL,
                      "cost: the LEF has no horizontal and vertical routing layers with pitches above the "
                      "lowest one; give --routes H,V and --macro-routes H,V");
    return PL_OK;
}
