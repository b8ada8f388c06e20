/* gen_config.c: see gen_config.h. */
#include "gen/gen_config.h"

#include <string.h>

pl_gen_config pl_gen_config_default(void)
{
    pl_gen_config c;
    c.macros = 16;
    c.cells = 3000;
    c.ios = 64;
    c.seed = 1;
    c.name = "demo";
    c.utilization = 0.6;
    c.macro_area_ratio = 1.2;
    return c;
}

pl_status pl_gen_config_check(const pl_gen_config *cfg)
{
    if (cfg->macros < 0 || cfg->macros > 10000)
        return pl_err(PL_EINVAL, "gen: --macros must be in 0..10000 (got %d)", cfg->macros);
    if (cfg->cells < 1 || cfg->cells > 5000000)
        return pl_err(PL_EINVAL, "gen: --cells must be in 1..5000000 (got %d)", cfg->cells);
    if (cfg->ios < 0 || cfg->ios > 100000)
        return pl_err(PL_EINVAL, "gen: --ios must be in 0..100000 (got %d)", cfg->ios);
    if (!(cfg->utilization >= 0.05 && cfg->utilization <= 0.95))
        return pl_err(PL_EINVAL, "gen: --utilization must be in 0.05..0.95 (got %g)",
                      cfg->utilization);
    if (!(cfg->macro_area_ratio >= 0.0 && cfg->macro_area_ratio <= 100.0))
        return pl_err(PL_EINVAL, "gen: --macro-ratio must be in 0..100 (got %g)",
                      cfg->macro_area_ratio);
    const char *n = cfg->name;
    size_t len = n ? strlen(n) : 0;
    int ok = len > 0 && len <= 64 && !(n[0] >= '0' && n[0] <= '9');
    for (size_t i = 0; ok && i < len; i++) {
        char c = n[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok)
        return pl_err(PL_EINVAL, "gen: --name '%s' must be 1-64 letters, digits or '_', not starting "
                      "with a digit", n ? n : "");
    return PL_OK;
}
