/* strmap.h: a hash map from strings to int32 indices (names of nodes, nets, masters...).
 *
 * Contract: open addressing with linear probing, power-of-two capacity, load <= 1/2. Keys are
 * borrowed pointers (normally into a pl_strpool) that must outlive the map; lookups take a
 * (pointer, length) pair so parsers can look up tokens in place. Deterministic: no random seed.
 * Not thread-safe for writes; concurrent reads are fine.
 */
#ifndef PL_STRMAP_H
#define PL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

typedef struct pl_strmap_slot {
    const char *key; /* NULL: empty */
    uint32_t hash;
    int32_t value;
} pl_strmap_slot;

typedef struct pl_strmap {
    pl_strmap_slot *slots;
    uint32_t cap, count;
} pl_strmap;

void pl_strmap_init(pl_strmap *m);
void pl_strmap_free(pl_strmap *m);
/* Inserts key -> value. The map keeps the pointer, not a copy: key must outlive the map and be
 * NUL-terminated at key[len] (a pl_strpool string is). If the key exists, leaves it and stores its value in *old (if given)
 * and returns PL_EINVAL without recording a message (duplicates are the caller's to report). */
pl_status pl_strmap_put(pl_strmap *m, const char *key, size_t len, int32_t value, int32_t *old);
/* The value for key[0..len), or -1. */
int32_t pl_strmap_get(const pl_strmap *m, const char *key, size_t len);
/* Convenience for NUL-terminated keys. */
int32_t pl_strmap_gets(const pl_strmap *m, const char *key);

#endif
