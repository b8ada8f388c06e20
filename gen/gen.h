/* gen.h: synthetic LEF/DEF designs for tests and demos (`placer gen`).
 *
 * Writes NAME.tlef (technology), NAME_cells.lef (std cells), NAME_macros.lef (CLASS BLOCK SRAMs)
 * and NAME.def (unplaced macros and cells, IO pins on the die edges, nets with spatial locality)
 * into a folder. Every cell gets a hidden 2-D location; nets join a driver to sinks chosen mostly
 * among its neighbours, so a good placement exists. All coordinates are integers in DBU.
 * Determinism: the files depend only on the config (one seed, no clock, no libm transcendentals),
 * never on the output folder. Atomic: all four files go to temporaries and are renamed at the end,
 * so a failure leaves no partial output. Errors: PL_EINVAL (bad config), PL_EIO, PL_ENOMEM.
 * Threads: no global state; concurrent calls writing to different folders are safe.
 */
#ifndef PL_GEN_H
#define PL_GEN_H

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

/* What was written (may be passed as NULL). */
typedef struct pl_gen_report {
    int64_t macros, cells, ios, nets, net_pins, macro_masters;
    int64_t die_w_dbu, die_h_dbu, dbu_per_micron;
} pl_gen_report;

/* Checks cfg; PL_EINVAL with a message naming the offending field. */
pl_status pl_gen_config_check(const pl_gen_config *cfg);

/* Writes the design into dir (created, with parents, if missing). */
pl_status pl_gen_write(const pl_gen_config *cfg, const char *dir, pl_gen_report *report);

#endif
