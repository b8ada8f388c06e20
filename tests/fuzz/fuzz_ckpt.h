/* fuzz_ckpt.h: the small network architecture of the generated checkpoint seeds, shared by the
 * checkpoint target (fuzz_ckpt.c) and the seed generator (mkseeds.c) so the seeds load fully. */
#ifndef PL_FUZZ_CKPT_H
#define PL_FUZZ_CKPT_H

#include "gnn/model.h"

static inline void pl_fuzz_ckpt_small_config(pl_gnn_config *c)
{
    pl_gnn_config_default(c);
    c->hidden = 4;
    c->layers = 1;
    c->grid_embed = 2;
    c->conv_channels = 2;
    c->conv_layers = 2;
}

#endif
