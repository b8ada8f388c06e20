/* gen_design.c: see gen_design.h. */
#include "gen/gen_design.h"

#include <string.h>

void pl_gen_design_init(gen *g, const pl_gen_config *cfg)
{
    memset(g, 0, sizeof *g);
    g->cfg = cfg;
    pl_rng_seed(&g->rng, cfg->seed);
}

void pl_gen_design_free(gen *g)
{
    if (!g) return;
    for (int i = 0; i < g->nmasters; i++) free(g->masters[i].pins);
    free(g->macro_master);
    free(g->cell_master);
    free(g->ports);
    free(g->clusters);
    free(g->owners);
    free(g->pins);
    free(g->nets);
    free(g->sg.off);
    free(g->sg.items);
    free(g->dg.off);
    free(g->dg.items);
    free(g->bucket_free);
    free(g->owner_bucket);
    free(g->mark);
    free(g->cand);
    memset(g, 0, sizeof *g);
}
