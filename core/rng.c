/* rng.c: see rng.h. xoshiro256** and splitmix64 as published by Blackman and Vigna. */
#include "core/rng.h"

#include <math.h>

uint64_t pl_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void pl_rng_seed(pl_rng *r, uint64_t seed)
{
    uint64_t st = seed;
    for (int i = 0; i < 4; i++) r->s[i] = pl_splitmix64(&st);
}

void pl_rng_derive(pl_rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
    uint64_t st = seed;
    uint64_t h = pl_splitmix64(&st);
    st = h ^ (a * 0xd1b54a32d192ed03ull);
    h = pl_splitmix64(&st);
    st = h ^ (b * 0xaef17502108ef2d9ull);
    pl_rng_seed(r, pl_splitmix64(&st));
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t pl_rng_u64(pl_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double pl_rng_uniform(pl_rng *r) { return (double)(pl_rng_u64(r) >> 11) * 0x1.0p-53; }

uint64_t pl_rng_below(pl_rng *r, uint64_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = pl_rng_u64(r);
    while (x >= lim);
    return x % n;
}

double pl_rng_normal(pl_rng *r)
{
    double u1 = pl_rng_uniform(r), u2 = pl_rng_uniform(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
