/* alloc.h: growable arrays and an arena for strings.
 *
 * Contract: pl_grow() enlarges a malloc'd array geometrically so that it holds at least `need`
 * elements; on failure the old array is untouched and PL_ENOMEM is returned. A pl_strpool owns
 * every string it returns until pl_strpool_free(); the strings never move. Not thread-safe: one
 * owner per pool.
 */
#ifndef PL_ALLOC_H
#define PL_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* Makes *ptr (an array of `elem`-byte items with capacity *cap) hold at least `need` items. */
pl_status pl_grow(void **ptr, int64_t *cap, int64_t need, size_t elem);

/* Same, as a macro that keeps the element type: PL_GROW(nl->nodes, nl->nodes_cap, n + 1). */
#define PL_GROW(arr, cap, need) \
    (((int64_t)(need) <= (cap)) ? PL_OK : pl_grow((void **)&(arr), &(cap), (need), sizeof *(arr)))

typedef struct pl_strpool_chunk pl_strpool_chunk;
typedef struct pl_strpool {
    pl_strpool_chunk *head; /* newest chunk first */
    size_t used, size;      /* bytes used / available in head */
    size_t total;           /* bytes held by all chunks, for memory reports */
} pl_strpool;

void pl_strpool_init(pl_strpool *p);
void pl_strpool_free(pl_strpool *p);
/* Copies s[0..len) plus a NUL into the pool; NULL when out of memory. */
const char *pl_strpool_add(pl_strpool *p, const char *s, size_t len);

#endif
