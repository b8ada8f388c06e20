/* strmap.c: see strmap.h. FNV-1a hashing; the stored hash avoids most string compares. */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static int key_eq(const pl_strmap_slot *sl, uint32_t h, const char *key, size_t len)
{
    return sl->hash == h && strncmp(sl->key, key, len) == 0 && sl->key[len] == '\0';
}

void pl_strmap_init(pl_strmap *m) { memset(m, 0, sizeof *m); }

void pl_strmap_free(pl_strmap *m)
{
    if (!m) return;
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static pl_status rehash(pl_strmap *m, uint32_t ncap)
{
    pl_strmap_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns) return pl_err(PL_ENOMEM, "out of memory in a name table of %u slots", ncap);
    for (uint32_t i = 0; i < m->cap; i++) {
        pl_strmap_slot *s = &m->slots[i];
        if (!s->key) continue;
        uint32_t j = s->hash & (ncap - 1);
        while (ns[j].key) j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return PL_OK;
}

pl_status pl_strmap_put(pl_strmap *m, const char *key, size_t len, int32_t value, int32_t *old)
{
    if (2 * (m->count + 1) > m->cap) PL_TRY(rehash(m, m->cap ? 2 * m->cap : 64));
    uint32_t h = hash_bytes(key, len);
    uint32_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        if (key_eq(&m->slots[j], h, key, len)) {
            if (old) *old = m->slots[j].value;
            return PL_EINVAL;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->slots[j].key = key;
    m->slots[j].hash = h;
    m->slots[j].value = value;
    m->count++;
    return PL_OK;
}

int32_t pl_strmap_get(const pl_strmap *m, const char *key, size_t len)
{
    if (!m->cap) return -1;
    uint32_t h = hash_bytes(key, len);
    uint32_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        if (key_eq(&m->slots[j], h, key, len)) return m->slots[j].value;
        j = (j + 1) & (m->cap - 1);
    }
    return -1;
}

int32_t pl_strmap_gets(const pl_strmap *m, const char *key)
{
    return pl_strmap_get(m, key, strlen(key));
}
