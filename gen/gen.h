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

#include "gen/gen_config.h"
#include "core/status.h"

/* What was written (may be passed as NULL). */
typedef struct pl_gen_report {
    int64_t macros, cells, ios, nets, net_pins, macro_masters;
    int64_t die_w_dbu, die_h_dbu, dbu_per_micron;
} pl_gen_report;

/* Writes the design into dir (created, with parents, if missing). */
pl_status pl_gen_write(const pl_gen_config *cfg, const char *dir, pl_gen_report *report);

#endif
