/* test_alloc.c: typed array allocation and growth: zero counts, negative counts, overflowing sizes. */
#include "core/alloc.h"

#include <stdint.h>

#include "tests/testutil.h"

Test(alloc, zero_count_gives_a_freeable_block)
{
    double *d = NULL;
    int32_t *z = NULL;
    cr_assert(PL_ALLOC(d, 0));
    cr_assert(PL_CALLOC(z, 0));
    cr_assert_eq(z[0], 0, "one zeroed element even for n = 0");
    free(d);
    free(z);
}

Test(alloc, calloc_zeroes_and_keeps_the_element_type)
{
    int64_t *v = NULL;
    cr_assert(PL_CALLOC(v, 1000));
    for (int i = 0; i < 1000; i++) cr_assert_eq(v[i], 0);
    v[999] = INT64_MAX; /* the block holds 1000 eight-byte elements */
    free(v);
}

Test(alloc, negative_and_overflowing_counts_fail)
{
    double *d = (double *)&d;
    cr_assert_not(PL_ALLOC(d, -1));
    cr_assert_null(d, "the pointer is set to NULL on failure");
    cr_assert_not(PL_CALLOC(d, INT64_MAX), "INT64_MAX doubles overflow size_t");
    cr_assert_null(pl_alloc_array((int64_t)(SIZE_MAX / 8 + 1), 8, 0), "n * elem overflows size_t");
}

Test(alloc, grow_keeps_contents_and_fails_cleanly)
{
    int32_t *a = NULL;
    int64_t cap = 0;
    for (int32_t i = 0; i < 100; i++) {
        cr_assert_eq(PL_GROW(a, cap, i + 1), PL_OK);
        a[i] = i;
    }
    cr_assert_geq(cap, 100);
    cr_assert_eq(PL_GROW(a, cap, INT64_MAX / 2), PL_ENOMEM);
    for (int32_t i = 0; i < 100; i++) cr_assert_eq(a[i], i, "the old array is untouched");
    free(a);
}
