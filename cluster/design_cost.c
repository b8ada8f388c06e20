/* design_cost.c: DEF design -> clustered netlist + proxy-cost configuration; see design_cost.h. */
#include "cluster/design_cost.h"

#include <string.h>

#include "core/log.h"

void pl_design_cost_config_default(pl_design_cost_config *dc)
{
    memset(dc, 0, sizeof *dc);
    dc->seed = 1;
    dc->macro_layers = PL_COST_MACRO_LAYERS;
    dc->reserve = PL_COST_POWER_RESERVE;
    dc->routes_from_lef = 1;
}

pl_status pl_design_cost_prepare(const pl_netlist *flat, const pl_design_cost_config *dc, pl_prepare *prep,
                                 pl_cost_config *cfg, pl_cost_routes *routes)
{
    memset(prep, 0, sizeof *prep);
    pl_netlist_init(&prep->nl);
    if (!flat->has_die) return pl_err(PL_EINVAL, "the design has no DIEAREA (canvas)");
    cfg->origin_x = flat->die.x0;
    cfg->origin_y = flat->die.y0;
    cfg->canvas_w = flat->die.x1 - flat->die.x0;
    cfg->canvas_h = flat->die.y1 - flat->die.y0;
    if (dc->routes_from_lef) {
        pl_cost_routes r;
        PL_TRY(pl_cost_routes_from_lef(flat, dc->macro_layers, dc->reserve, &r));
        cfg->h_rpm = r.h_rpm, cfg->v_rpm = r.v_rpm;
        cfg->h_macro_alloc = r.h_macro_alloc, cfg->v_macro_alloc = r.v_macro_alloc;
        if (routes) *routes = r;
        pl_info("cost", "routing from %d LEF layers: %g/%g tracks/um, macros %g/%g", r.layers, r.h_rpm, r.v_rpm,
                r.h_macro_alloc, r.v_macro_alloc);
    }
    if (dc->grid2023) cfg->smooth_range = 5;
    pl_prepare_config pc;
    pl_prepare_config_default(&pc);
    pc.seed = dc->seed;
    pc.cols = dc->cols, pc.rows = dc->rows;
    pc.soft_ct = dc->soft_ct;
    if (dc->clusters) pc.cluster.target = dc->clusters;
    PL_TRY(pl_prepare_run(prep, flat, &pc));
    cfg->origin_x = cfg->origin_y = 0; /* the clustered netlist starts at the die's corner */
    cfg->cols = prep->cols, cfg->rows = prep->rows;
    return PL_OK;
}
