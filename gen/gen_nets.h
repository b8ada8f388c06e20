/* gen_nets.h: step 3 of `placer gen`: pins and nets (gen_nets.c).
 *
 * Needs the library and floorplan steps done; fills g->pins, g->nets and the search grids, which g
 * owns (pl_gen_design_free frees them). Draws from g->rng in a fixed order. Errors: PL_ENOMEM.
 * One thread per gen.
 */
#ifndef PL_GEN_NETS_H
#define PL_GEN_NETS_H

#include "gen/gen_design.h"

/* Pins for every owner, the clock net, then the signal nets. */
pl_status pl_gen_nets_build(gen *g);

#endif
