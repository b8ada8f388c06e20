/* full.h: the full-design evaluation of a macro placement: every standard cell placed around the
 * macros, legalised, and measured as a chip engineer measures it.
 *
 * Steps: global placement of the movable standard cells with every hard macro where it is
 * (gplace/gplace.h), legalisation into rows and sites (gplace/legal.h), full HPWL before and after
 * legalisation, and the routability estimate of the legal placement (cost/route.h). nl is changed in
 * place (its cells end PLACED); the caller keeps ownership. Errors: PL_EINVAL when a hard macro is
 * unplaced (the evaluation needs a macro placement) and those of the steps. Deterministic for
 * cfg->gplace.seed whatever the threads, except the seconds.
 */
#ifndef PL_GPLACE_FULL_H
#define PL_GPLACE_FULL_H

#include "cost/route.h"
#include "gplace/gplace.h"
#include "gplace/legal.h"

typedef struct pl_full_config {
    pl_gplace_config gplace;
    int legalize;              /* 1: legalise the cells and measure the legal placement (1) */
    pl_cell_legal_config legal;
    int route_estimate;        /* 1: estimate routability (needs LEF routing layers) (1) */
    pl_route_config route;
} pl_full_config;

void pl_full_config_default(pl_full_config *cfg);

typedef struct pl_full_stats {
    pl_gplace_stats gplace;
    int legalized;             /* 1: the cells were legalised */
    pl_cell_legal_stats legal;
    int violations;            /* pl_cell_legal_check after legalisation (0 when legal) */
    double hpwl_global;        /* Σ weight x HPWL after global placement, µm */
    double hpwl;               /* the same for the final (legal, when legalised) placement, µm */
    double dbu_per_micron;     /* of the design, to state hpwl in DBU */
    int routed;                /* 1: route holds the routability estimate */
    pl_route_stats route;      /* of the final placement (zeros unless routed) */
    double gcell_um;           /* mean GCell side, µm: (die width / cols + die height / rows) / 2 */
    double seconds;            /* all steps */
} pl_full_stats;

/* maps: NULL, or it gets the routing estimate's maps (cost/route.h; the caller frees them). */
pl_status pl_full_eval(pl_netlist *nl, const pl_full_config *cfg, pl_full_stats *st, pl_route_maps *maps);

/* The full-design score the search's referee and the RL environment's full reward use, in µm:
 * full HPWL + lambda x total overflow (tracks) x the mean GCell side. A track of overflow is a net
 * that must leave its GCell: lambda GCells of detour each (PL_FULL_LAMBDA by default). Lower is
 * better. A Bookshelf design has no routing layers: its score is the full HPWL alone. */
enum { PL_FULL_LAMBDA = 2 };
double pl_full_score(const pl_full_stats *st, double lambda);

/* Standard-cell density on the GCell grid of m (cost/route.h): the area of the placed standard
 * cells over each GCell (clipped to it) / the GCell's area, into out (m->rows * m->cols, row-major,
 * row 0 at the bottom). Unplaced cells are not counted. */
void pl_full_cell_map(const pl_netlist *nl, const pl_route_maps *m, double *out);

#endif
