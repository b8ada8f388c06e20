/* legalize.h: macro legalisation: every movable hard macro inside the core, on the row/site
 * grid and the manufacturing grid, with no overlap (halos and spacing respected) with other
 * macros, fixed macros and hard placement blockages; minimal displacement, greedy.
 *
 * Algorithm: macros in order of decreasing area; each goes to the legal position nearest its
 * current one, found by a best-first search over positions that clear the obstacle it hits
 * (push left/right/down/up to the obstacle's edge, snapped outward). All geometry in integer
 * database units, so "legal" is exact. Legalised macros become PL_PLACE_FIXED. Errors:
 * PL_EINVAL naming the macro that does not fit. Deterministic; single-threaded.
 */
#ifndef PL_SEARCH_LEGALIZE_H
#define PL_SEARCH_LEGALIZE_H

#include "core/netlist.h"

typedef struct pl_legalize_config {
    double spacing;   /* µm kept between macros (beyond halos), default 0 */
    int use_halos;    /* honour DEF HALO of each macro (default 1) */
    int max_expand;   /* best-first search budget per macro (default 200000 positions) */
} pl_legalize_config;

void pl_legalize_config_default(pl_legalize_config *cfg);

typedef struct pl_legalize_stats {
    int32_t moved;          /* macros legalised */
    double total_disp;      /* Σ |Δx| + |Δy|, µm */
    double max_disp;        /* largest single displacement, µm */
} pl_legalize_stats;

/* Legalises every PL_NODE_MACRO that is not FIXED (or COVER), in place. stats may be NULL. */
pl_status pl_legalize_macros(pl_netlist *nl, const pl_legalize_config *cfg, pl_legalize_stats *stats);

/* The widest channel c <= want at which the hard macros, each grown by c in width and height, cover
 * at most max_cover of `area` µm²: Σ (w + c)(h + c) <= max_cover x area over every PL_NODE_MACRO;
 * 0 when the macros alone cover more. A channel above it leaves the legaliser no room. */
double pl_legalize_channel_fit(const pl_netlist *nl, double area, double want, double max_cover);
/* Their cover at channel c: Σ (w + c)(h + c) / area. */
double pl_legalize_cover(const pl_netlist *nl, double area, double c);

/* Checks a placement: returns the number of violations (overlap, outside core, off grid) among
 * hard macros and, if msg is given, describes the first one. */
int pl_legalize_check(const pl_netlist *nl, const pl_legalize_config *cfg, char *msg, size_t msglen);

#endif
