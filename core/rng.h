/* rng.h: the project's random numbers: xoshiro256** seeded through splitmix64.
 *
 * Contract: no global state. One uint64 seed enters at the CLI; every consumer owns a pl_rng
 * and independent streams are derived with pl_rng_derive(seed, a, b) (a hash of the seed and two
 * stream indices, e.g. rank and episode). Same seed, same sequence, on every platform.
 */
#ifndef PL_RNG_H
#define PL_RNG_H

#include <stdint.h>

typedef struct pl_rng {
    uint64_t s[4];
} pl_rng;

uint64_t pl_splitmix64(uint64_t *state);
void pl_rng_seed(pl_rng *r, uint64_t seed);
/* Seeds r with a stream derived from (seed, a, b). */
void pl_rng_derive(pl_rng *r, uint64_t seed, uint64_t a, uint64_t b);
uint64_t pl_rng_u64(pl_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double pl_rng_uniform(pl_rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t pl_rng_below(pl_rng *r, uint64_t n);
/* Standard normal (Box-Muller, one value per call). */
double pl_rng_normal(pl_rng *r);

#endif
