/* alloc.c: see alloc.h. */
#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *pl_alloc_array(int64_t n, size_t elem, int zero)
{
    if (n < 0 || (uint64_t)n > SIZE_MAX / elem) return NULL;
    size_t k = n > 0 ? (size_t)n : 1;
    return zero ? calloc(k, elem) : malloc(k * elem);
}

pl_status pl_grow(void **ptr, int64_t *cap, int64_t need, size_t elem)
{
    if (need <= *cap) return PL_OK;
    int64_t ncap = *cap < 16 ? 16 : *cap;
    while (ncap < need) ncap += ncap / 2 + 8;
    void *p = (uint64_t)ncap <= SIZE_MAX / elem ? realloc(*ptr, (size_t)ncap * elem) : NULL;
    if (!p) return pl_err(PL_ENOMEM, "out of memory growing an array to %lld items", (long long)need);
    *ptr = p;
    *cap = ncap;
    return PL_OK;
}

struct pl_strpool_chunk {
    pl_strpool_chunk *next;
    char data[];
};

void pl_strpool_init(pl_strpool *p) { memset(p, 0, sizeof *p); }

void pl_strpool_free(pl_strpool *p)
{
    if (!p) return;
    pl_strpool_chunk *c = p->head;
    while (c) {
        pl_strpool_chunk *n = c->next;
        free(c);
        c = n;
    }
    memset(p, 0, sizeof *p);
}

const char *pl_strpool_add(pl_strpool *p, const char *s, size_t len)
{
    if (!p->head || p->used + len + 1 > p->size) {
        size_t sz = 1u << 16;
        if (len + 1 > sz) sz = len + 1;
        pl_strpool_chunk *c = malloc(sizeof *c + sz);
        if (!c) return NULL;
        c->next = p->head;
        p->head = c;
        p->used = 0;
        p->size = sz;
        p->total += sizeof *c + sz;
    }
    char *d = p->head->data + p->used;
    memcpy(d, s, len);
    d[len] = '\0';
    p->used += len + 1;
    return d;
}
