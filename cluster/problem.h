/* problem.h: the one problem set-up: a design file -> the netlist to place, its proxy-cost
 * configuration and, for a flat design, the prepared placement problem.
 *
 * Every command and the RL environment start here, so that all of them place and cost the same thing:
 * a Circuit Training netlist takes canvas, grid, routing and smoothing from its .plc header; a flat design
 * (LEF/DEF, or Bookshelf .aux) is clustered and its soft macros placed (cluster/prepare.h) on its canvas.
 * A DEF's canvas is the core as Circuit Training's flow takes it (the die less the rows' lower-left margin
 * on every side, grown to hold every row; the die when there are no rows or with canvas_die), with routing
 * capacity from the technology LEF (cost/tech.h). A Bookshelf design's canvas is the rows' bounding box
 * (the die with canvas_die: rows and fixed nodes) and, having no LEF, its routing capacity is Circuit
 * Training's default (cost/proxy.h) unless overridden. The user's overrides apply last, to all.
 * Ownership: pl_problem owns every netlist and header in it; pl_problem_free is NULL-safe, idempotent
 * and safe after a failed setup. Errors name the input file. Deterministic for the seed; one setup at
 * a time per process (igraph's global RNG, see prepare.h).
 */
#ifndef PL_CLUSTER_PROBLEM_H
#define PL_CLUSTER_PROBLEM_H

#include <stdint.h>

#include "cluster/prepare.h"
#include "cost/proxy.h"
#include "cost/tech.h"
#include "parsers/bookshelf.h"
#include "parsers/plc.h"

enum { PL_PROBLEM_MAX_LEFS = 64 };
/* Soft placements averaged by default: 32 take the SA reference's proxy on asap7_ariane133 from a
 * 1.6 % to a 0.2 % standard deviation over seeds (docs/fidelity.md). */
enum { PL_SOFT_RUNS = 32 };

typedef struct pl_problem_config {
    const char *design;        /* netlist.pb.txt[.gz] (Circuit Training), .def[.gz] or .aux; borrowed */
    const char *placement;     /* CT: a .plc; DEF: a .def whose components are matched by name; Bookshelf: a
                                  .pl; NULL: none */
    int plc_beside;            /* CT without placement: read initial.plc beside the netlist when present */
    const char *lefs[PL_PROBLEM_MAX_LEFS];
    int nlef;                  /* DEF: LEF files, technology first; 0: those beside the DEF */
    pl_prepare_config prep;    /* flat: seed, grid (0: chosen), clusters, soft placer, FD on/off */
    int macro_layers;          /* DEF: routing layers a hard macro blocks (PL_COST_MACRO_LAYERS) */
    double reserve;            /* DEF: power-grid reserve of the tracks (PL_COST_POWER_RESERVE) */
    int routes_optional;       /* DEF: no routing layers in the LEF is a note, not an error (0) */
    pl_bookshelf_options bookshelf; /* Bookshelf: which nodes are the hard macros */
    int grid2023;              /* the June 2023 congestion grid (smoothing 5 unless given) */
    int canvas_die;            /* flat: 1: the canvas is the die (DEF DIEAREA), 0: the core (0) */
    int have_halo;             /* flat: 1: every hard macro without a DEF HALO gets halo (x, y) µm on
                                  its left/right (x) and bottom/top (y) sides, before clustering (0) */
    double halo[2];
    /* overrides of the derived values; each applies when its have_ flag is set */
    int have_canvas, have_routes, have_macro, have_smooth, have_weights;
    double canvas_w, canvas_h, h_rpm, v_rpm, h_macro, v_macro, w[3];
    int smooth;
    int soft_runs;             /* flat: soft placements whose mean proxy an evaluation reports
                                  (cluster/softcost.h; PL_SOFT_RUNS) */
} pl_problem_config;

void pl_problem_config_default(pl_problem_config *cfg);
/* Sets the inputs (borrowed): the design, a placement or NULL, the LEFs (nlef <= PL_PROBLEM_MAX_LEFS,
 * more are dropped). */
void pl_problem_config_inputs(pl_problem_config *cfg, const char *design, const char *placement,
                              const char *const *lefs, int nlef);

typedef enum pl_design_format { PL_DESIGN_CT = 0, PL_DESIGN_DEF, PL_DESIGN_BOOKSHELF } pl_design_format;

typedef struct pl_problem {
    pl_design_format format;
    int clustered;            /* 1: a flat design (DEF, Bookshelf), clustered here */
    pl_netlist flat;          /* the design as read, with the placement applied */
    pl_plc_header plc;        /* CT: the .plc header (blockages too); empty for a DEF */
    pl_prepare prep;          /* flat: the clustered problem (prep.nl, clusters, FD stream) */
    pl_netlist *nl;           /* the netlist placed and costed: &prep.nl (flat) or &flat (CT) */
    pl_cost_config cost;      /* its proxy-cost configuration, overrides applied */
    double channel;           /* DEF: the default gap between hard macros from the LEF (cost/tech.h:
                                 pl_cost_routes.channel), µm; 0 when the LEF has no routing layers */
    const char *routes_from;  /* "default", "plc", "lef" or "option" */
    const char *canvas_from;  /* "plc", "die", "core" or "option" */
    int grid_chosen;          /* 1: Circuit Training's grid rule chose the grid */
    uint64_t fd_seed;         /* the soft-macro placer's stream (pl_prepare_streams of the seed) */
    int soft_ct;              /* 1: soft macros by Circuit Training's schedule, 0: the analytical placer */
    int soft_runs;            /* flat: as configured (at least 1); CT: 1 */
    double read_seconds;      /* time reading the design took */
    double seconds;           /* time the whole set-up took */
} pl_problem;

/* The core of a DEF design as Circuit Training's flow takes it (see above); the die without rows. */
pl_rect pl_problem_core(const pl_netlist *flat);
/* The format a path names by its ending: .def/.def.gz DEF, .aux Bookshelf, anything else Circuit Training. */
pl_design_format pl_problem_format(const char *path);
/* 1 when `path` names a DEF (.def, .def.gz). */
int pl_problem_is_def(const char *path);
/* 1 when `path` names a flat design that is clustered: a DEF or a Bookshelf .aux. */
int pl_problem_is_flat(const char *path);
/* Reads, prepares and configures; `p` is initialised here. */
pl_status pl_problem_setup(pl_problem *p, const pl_problem_config *cfg);
/* The same for a flat design read already (a generated one, in tests): *flat moves into p->flat and
 * is left empty; design, placement and LEFs of cfg are not used. */
pl_status pl_problem_setup_netlist(pl_problem *p, pl_netlist *flat, const pl_problem_config *cfg);
void pl_problem_free(pl_problem *p);
/* How the soft macros are placed again once the hard macros have moved: the prepared placer
 * (analytical or Circuit Training's schedule, never mixed-size) on the prepared stream. */
void pl_problem_fd_config(const pl_problem *p, pl_fd_config *fc);

#endif
