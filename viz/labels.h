/* labels.h: a set of axis-aligned rectangles for placing text without overlap (viz-internal).
 *
 * pl_viz_labels_try() adds a rectangle only if it overlaps none already taken. Owns its array;
 * pl_viz_labels_free() is NULL-safe and idempotent. Errors: PL_ENOMEM. Not thread-safe.
 */
#ifndef PL_VIZ_LABELS_H
#define PL_VIZ_LABELS_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_viz_labels {
    pl_rect *r;
    int64_t n, cap;
} pl_viz_labels;

void pl_viz_labels_init(pl_viz_labels *L);
void pl_viz_labels_free(pl_viz_labels *L);
/* 1 if r overlaps a taken rectangle (touching edges do not count). */
int pl_viz_labels_hits(const pl_viz_labels *L, pl_rect r);
/* Takes r if free: *taken = 1; else *taken = 0. */
pl_status pl_viz_labels_try(pl_viz_labels *L, pl_rect r, int *taken);

#endif
