/* place_config.c: the placement pipeline's settings and effort presets; see place_config.h. */
#include "search/place_config.h"

#include <string.h>

#include "gplace/full.h"

void pl_place_config_default(pl_place_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->prior = pl_prior_wiremask();
    cfg->threads = 1;
    cfg->temperature = 0.1;
    cfg->edge_weight = 0;
    cfg->online_rate = 0.5;
    cfg->fd_start = 1;
    cfg->t_ratio = 1e-3;
    cfg->elitist = 1;
    cfg->p_swap = 0.2;
    cfg->p_flip = 0.1;
    pl_legalize_config_default(&cfg->legal);
    cfg->referee_keep = 4;
    cfg->referee_lambda = PL_FULL_LAMBDA;
    PL_ASSERT(pl_place_config_effort(cfg, "default") == PL_OK);
}

pl_status pl_place_config_effort(pl_place_config *cfg, const char *effort)
{
    static const struct {
        const char *name;
        double seconds;
        int rollouts, keep, chains, rounds;
        int64_t moves_per_macro;
    } P[] = {
        {"fast", 30, 64, 4, 2, 12, 15000},
        {"default", 300, 256, 8, 2, 60, 150000},
        {"high", 1200, 1024, 8, 4, 150, 600000},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        if (strcmp(effort, P[i].name) != 0) continue;
        cfg->effort = P[i].name;
        cfg->time_limit = P[i].seconds;
        cfg->rollouts = P[i].rollouts;
        cfg->keep = P[i].keep;
        cfg->chains = P[i].chains;
        cfg->rounds = P[i].rounds;
        cfg->moves_per_macro = P[i].moves_per_macro;
        return PL_OK;
    }
    return pl_err(PL_EINVAL, "place: --effort wants fast, default or high, not '%s'", effort);
}
