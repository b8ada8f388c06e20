/* alloc.h: typed array allocation, growable arrays and an arena for strings.
 *
 * Contract: PL_ALLOC/PL_CALLOC set a pointer to a new malloc'd array of n elements (uninitialised /
 * zeroed; n == 0 still gives a freeable block, so NULL always means failure) and evaluate to true on
 * success; a negative n or an overflowing byte size fails. They record no message: the caller says
 * what ran out. pl_grow() enlarges a malloc'd array geometrically so that it holds at least `need`
 * elements; on failure the old array is untouched and PL_ENOMEM is returned. A pl_strpool owns
 * every string it returns until pl_strpool_free(); the strings never move. Not thread-safe: one
 * owner per pool.
 */
#ifndef PL_ALLOC_H
#define PL_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* n elements of elem bytes (at least one element's bytes when n == 0), zeroed when `zero`; NULL when n < 0,
 * when n * elem overflows, or when out of memory. */
void *pl_alloc_array(int64_t n, size_t elem, int zero);

/* if (!PL_ALLOC(c->cx, N)) return pl_err(PL_ENOMEM, ...); the element type comes from the pointer. */
#define PL_ALLOC(p, n) (((p) = pl_alloc_array((int64_t)(n), sizeof *(p), 0)) != NULL)
#define PL_CALLOC(p, n) (((p) = pl_alloc_array((int64_t)(n), sizeof *(p), 1)) != NULL)

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
