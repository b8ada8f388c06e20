/* gen_config.h: the options of `placer gen` (gen.h) and their checks.
 *
 * A pl_gen_config is a plain value; name is borrowed. pl_gen_config_check names the offending field
 * in a PL_EINVAL message (as the command-line option). No state, no allocation; thread-safe.
 */
#ifndef PL_GEN_CONFIG_H
#define PL_GEN_CONFIG_H

#include <stdint.h>

#include "core/status.h"

typedef struct pl_gen_config {
    int32_t macros;          /* hard macros (0..10000) */
    int32_t cells;           /* standard cells (1..5000000) */
    int32_t ios;             /* IO pins (0..100000); the first is `clk`, the second `rst_n` */
    uint64_t seed;
    const char *name;        /* design name and file stem: [A-Za-z_][A-Za-z0-9_]* */
    double utilization;      /* (macro + cell area) / core area, in [0.05, 0.95] */
    double macro_area_ratio; /* total macro area / total std-cell area (before size minimums) */
} pl_gen_config;

/* 16 macros, 3000 cells, 64 IOs, seed 1, name "demo", utilization 0.6, macro_area_ratio 1.2. */
pl_gen_config pl_gen_config_default(void);

/* Checks cfg; PL_EINVAL with a message naming the offending field. */
pl_status pl_gen_config_check(const pl_gen_config *cfg);

#endif
