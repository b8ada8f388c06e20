/* labels.c: non-overlapping label rectangles (see labels.h). Linear scan: labels are few. */
#include "viz/labels.h"

#include <stdlib.h>
#include <string.h>

void pl_viz_labels_init(pl_viz_labels *L)
{
    memset(L, 0, sizeof *L);
}

void pl_viz_labels_free(pl_viz_labels *L)
{
    if (!L) return;
    free(L->r);
    memset(L, 0, sizeof *L);
}

int pl_viz_labels_hits(const pl_viz_labels *L, pl_rect r)
{
    for (int64_t i = 0; i < L->n; i++) {
        const pl_rect *q = &L->r[i];
        if (r.x0 < q->x1 && q->x0 < r.x1 && r.y0 < q->y1 && q->y0 < r.y1) return 1;
    }
    return 0;
}

pl_status pl_viz_labels_try(pl_viz_labels *L, pl_rect r, int *taken)
{
    *taken = 0;
    if (pl_viz_labels_hits(L, r)) return PL_OK;
    if (PL_GROW(L->r, L->cap, L->n + 1) != PL_OK) return pl_err(PL_ENOMEM, "viz: out of memory for labels");
    L->r[L->n++] = r;
    *taken = 1;
    return PL_OK;
}
