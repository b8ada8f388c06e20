/* test_strmap.c: the string -> index map on its own: insert and find, duplicates (refused, old value
 * reported, no message), growth past many thousands of keys with the load kept <= 1/2, the empty key,
 * keys that differ only late or are prefixes of each other, lookups of tokens in place (pointer and
 * length into a longer buffer), keys whose 32-bit hashes collide, probes that wrap around the table,
 * and free being NULL-safe and idempotent. Keys come from a pl_strpool, as the header asks. */
#include "core/alloc.h"
#include "core/strmap.h"
#include "tests/testutil.h"

static pl_strpool pool;

static void setup(void) { pl_strpool_init(&pool); }
static void teardown(void) { pl_strpool_free(&pool); }

TestSuite(strmap, .init = setup, .fini = teardown);

static const char *keep(const char *s, size_t len)
{
    const char *k = pl_strpool_add(&pool, s, len);
    cr_assert_not_null(k);
    return k;
}

static pl_status put(pl_strmap *m, const char *s, int32_t v, int32_t *old)
{
    size_t n = strlen(s);
    return pl_strmap_put(m, keep(s, n), n, v, old);
}

/* The table's invariants: power-of-two capacity, load <= 1/2, count = occupied slots. */
static void check_table(const pl_strmap *m)
{
    if (m->cap == 0) {
        cr_assert_eq(m->count, 0);
        return;
    }
    cr_assert_eq(m->cap & (m->cap - 1), 0, "capacity %u is a power of two", m->cap);
    cr_assert_leq(2 * (uint64_t)m->count, m->cap, "load %u / %u", m->count, m->cap);
    uint32_t used = 0;
    for (uint32_t i = 0; i < m->cap; i++) used += m->slots[i].key != NULL;
    cr_assert_eq(used, m->count);
}

/* FNV-1a, as strmap.c uses it: only to build colliding and wrapping keys below. */
static uint32_t fnv1a(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

Test(strmap, empty_map_finds_nothing)
{
    pl_strmap m;
    pl_strmap_init(&m);
    cr_assert_eq(m.cap, 0);
    cr_assert_eq(m.count, 0);
    cr_assert_null(m.slots);
    cr_assert_eq(pl_strmap_gets(&m, "x"), -1);
    cr_assert_eq(pl_strmap_gets(&m, ""), -1);
    cr_assert_eq(pl_strmap_get(&m, "abc", 0), -1);
    pl_strmap_free(&m);
}

Test(strmap, put_and_get)
{
    pl_strmap m;
    pl_strmap_init(&m);
    cr_assert_eq(put(&m, "ram0", 0, NULL), PL_OK);
    cr_assert_eq(put(&m, "ram1", 1, NULL), PL_OK);
    cr_assert_eq(put(&m, "u_core/alu", 7, NULL), PL_OK);
    cr_assert_eq(put(&m, "neg", -5, NULL), PL_OK);
    cr_assert_eq(put(&m, "big", INT32_MAX, NULL), PL_OK);
    cr_assert_eq(m.count, 5);
    check_table(&m);
    cr_assert_eq(pl_strmap_gets(&m, "ram0"), 0);
    cr_assert_eq(pl_strmap_gets(&m, "ram1"), 1);
    cr_assert_eq(pl_strmap_gets(&m, "u_core/alu"), 7);
    cr_assert_eq(pl_strmap_gets(&m, "neg"), -5);
    cr_assert_eq(pl_strmap_gets(&m, "big"), INT32_MAX);
    cr_assert_eq(pl_strmap_gets(&m, "ram2"), -1);
    cr_assert_eq(pl_strmap_gets(&m, "RAM0"), -1, "case-sensitive");
    cr_assert_eq(pl_strmap_gets(&m, "u_core"), -1);
    pl_strmap_free(&m);
}

Test(strmap, duplicates_are_refused_without_a_message)
{
    pl_strmap m;
    pl_strmap_init(&m);
    cr_assert_eq(put(&m, "a", 10, NULL), PL_OK);
    cr_assert_eq(put(&m, "b", 11, NULL), PL_OK);
    pl_err(PL_EIO, "an earlier message");
    int32_t old = -99;
    cr_assert_eq(put(&m, "a", 20, &old), PL_EINVAL);
    cr_assert_eq(old, 10, "the value already stored");
    cr_assert_str_eq(pl_errmsg(), "an earlier message", "duplicates are the caller's to report");
    cr_assert_eq(put(&m, "b", 21, NULL), PL_EINVAL, "old may be NULL");
    cr_assert_eq(pl_strmap_gets(&m, "a"), 10, "the first value is kept");
    cr_assert_eq(pl_strmap_gets(&m, "b"), 11);
    cr_assert_eq(m.count, 2);
    /* the same pointer again, and an equal key from another buffer, are both duplicates */
    const char *k = keep("c", 1);
    cr_assert_eq(pl_strmap_put(&m, k, 1, 30, NULL), PL_OK);
    cr_assert_eq(pl_strmap_put(&m, k, 1, 31, &old), PL_EINVAL);
    cr_assert_eq(old, 30);
    cr_assert_eq(pl_strmap_put(&m, "cx", 1, 32, &old), PL_EINVAL, "\"c\" given in place in \"cx\"");
    cr_assert_eq(old, 30);
    pl_err_clear();
    pl_strmap_free(&m);
}

Test(strmap, empty_string_is_a_key)
{
    pl_strmap m;
    pl_strmap_init(&m);
    cr_assert_eq(pl_strmap_gets(&m, ""), -1);
    cr_assert_eq(put(&m, "", 3, NULL), PL_OK);
    cr_assert_eq(put(&m, "x", 4, NULL), PL_OK);
    cr_assert_eq(pl_strmap_gets(&m, ""), 3);
    cr_assert_eq(pl_strmap_get(&m, "anything", 0), 3, "length 0 is the empty key whatever the pointer");
    int32_t old;
    cr_assert_eq(put(&m, "", 5, &old), PL_EINVAL);
    cr_assert_eq(old, 3);
    cr_assert_eq(pl_strmap_gets(&m, "x"), 4);
    pl_strmap_free(&m);
}

Test(strmap, keys_that_differ_late_or_are_prefixes)
{
    pl_strmap m;
    pl_strmap_init(&m);
    /* 300 keys of 2,000 bytes that differ only in their last two bytes */
    enum { L = 2000, K = 300 };
    char buf[L + 1];
    memset(buf, 'q', L);
    buf[L] = 0;
    for (int i = 0; i < K; i++) {
        buf[L - 2] = (char)('A' + i / 26), buf[L - 1] = (char)('a' + i % 26);
        cr_assert_eq(put(&m, buf, i, NULL), PL_OK, "key %d", i);
    }
    for (int i = 0; i < K; i++) {
        buf[L - 2] = (char)('A' + i / 26), buf[L - 1] = (char)('a' + i % 26);
        cr_assert_eq(pl_strmap_get(&m, buf, L), i, "key %d", i);
    }
    buf[L - 1] = 'Z';
    cr_assert_eq(pl_strmap_get(&m, buf, L), -1);
    /* prefixes: "" "n" "ne" ... "net_12345" are all different keys */
    const char *full = "net_12345/a";
    size_t n = strlen(full);
    pl_strmap p;
    pl_strmap_init(&p);
    for (size_t len = 0; len <= n; len++) cr_assert_eq(pl_strmap_put(&p, keep(full, len), len, (int32_t)len, NULL), PL_OK);
    for (size_t len = 0; len <= n; len++) cr_assert_eq(pl_strmap_get(&p, full, len), (int32_t)len, "prefix of %zu bytes", len);
    cr_assert_eq(pl_strmap_gets(&p, "net_12345/ab"), -1, "one byte longer than the longest key");
    cr_assert_eq(p.count, n + 1);
    pl_strmap_free(&p);
    pl_strmap_free(&m);
}

Test(strmap, lookups_take_tokens_in_place)
{
    pl_strmap m;
    pl_strmap_init(&m);
    cr_assert_eq(put(&m, "VDD", 1, NULL), PL_OK);
    cr_assert_eq(put(&m, "VSS", 2, NULL), PL_OK);
    cr_assert_eq(put(&m, "VDDX", 3, NULL), PL_OK);
    const char *line = "  - VDD ( PIN VSS ) + USE POWER ;";
    cr_assert_eq(pl_strmap_get(&m, line + 4, 3), 1);
    cr_assert_eq(pl_strmap_get(&m, line + 14, 3), 2);
    cr_assert_eq(pl_strmap_get(&m, line + 4, 4), -1, "\"VDD \" is not a key");
    cr_assert_eq(pl_strmap_get(&m, line + 4, 2), -1, "\"VD\" is not a key");
    /* a token without a NUL anywhere after it */
    char tok[4] = {'V', 'D', 'D', 'X'};
    cr_assert_eq(pl_strmap_get(&m, tok, 4), 3);
    cr_assert_eq(pl_strmap_get(&m, tok, 3), 1);
    pl_strmap_free(&m);
}

Test(strmap, grows_past_many_thousands_of_keys)
{
    pl_strmap m;
    pl_strmap_init(&m);
    enum { N = 100000 };
    char buf[32];
    uint32_t last_cap = 0;
    int grew = 0;
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "inst_%d/u%d", i * 7919 % N, i);
        cr_assert_eq(pl_strmap_put(&m, keep(buf, (size_t)n), (size_t)n, i, NULL), PL_OK);
        cr_assert_eq(m.count, (uint32_t)i + 1);
        cr_assert_leq(2 * (uint64_t)m.count, m.cap, "load <= 1/2 after every put");
        if (m.cap != last_cap) {
            cr_assert(last_cap == 0 ? m.cap == 64 : m.cap == 2 * last_cap, "%u -> %u", last_cap, m.cap);
            last_cap = m.cap, grew++;
        }
    }
    check_table(&m);
    cr_assert_eq(m.cap, 262144, "100,000 keys at load <= 1/2: 2^18 slots");
    cr_assert_eq(grew, 13, "64 .. 2^18: every growth doubles");
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "inst_%d/u%d", i * 7919 % N, i);
        cr_assert_eq(pl_strmap_get(&m, buf, (size_t)n), i, "%s", buf);
    }
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(buf, sizeof buf, "inst_%d/u%d", i, N + i);
        cr_assert_eq(pl_strmap_get(&m, buf, (size_t)n), -1, "%s", buf);
    }
    pl_strmap_free(&m);
}

/* Keys with equal 32-bit hashes are told apart by their bytes. The pairs were found by brute force
 * over "k%d_x" and "key_%x"; the test checks that they still collide. */
Test(strmap, colliding_hashes_are_told_apart)
{
    static const char *pairs[2][2] = {{"k32728_x", "k261234_x"}, {"key_3897b", "key_738a8"}};
    pl_strmap m;
    pl_strmap_init(&m);
    for (int p = 0; p < 2; p++) {
        const char *a = pairs[p][0], *b = pairs[p][1];
        cr_assert_eq(fnv1a(a, strlen(a)), fnv1a(b, strlen(b)), "%s and %s share a hash", a, b);
        cr_assert_eq(put(&m, a, 10 * p + 1, NULL), PL_OK);
        cr_assert_eq(pl_strmap_gets(&m, b), -1, "%s shares %s's hash but is not in the map", b, a);
        cr_assert_eq(put(&m, b, 10 * p + 2, NULL), PL_OK, "%s and %s are different keys", a, b);
        cr_assert_eq(pl_strmap_gets(&m, a), 10 * p + 1);
        cr_assert_eq(pl_strmap_gets(&m, b), 10 * p + 2);
    }
    /* still told apart after the table is rehashed around them */
    char buf[32];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(buf, sizeof buf, "fill%d", i);
        cr_assert_eq(pl_strmap_put(&m, keep(buf, (size_t)n), (size_t)n, 100 + i, NULL), PL_OK);
    }
    cr_assert_gt(m.cap, 64);
    for (int p = 0; p < 2; p++) {
        cr_assert_eq(pl_strmap_gets(&m, pairs[p][0]), 10 * p + 1);
        cr_assert_eq(pl_strmap_gets(&m, pairs[p][1]), 10 * p + 2);
    }
    int32_t old;
    cr_assert_eq(put(&m, pairs[0][1], 0, &old), PL_EINVAL);
    cr_assert_eq(old, 2, "the duplicate is found past its hash twin");
    pl_strmap_free(&m);
}

/* Keys that all hash to the table's last slot: their probes wrap around to slot 0 and on. */
Test(strmap, probes_wrap_around_the_end_of_the_table)
{
    char keys[8][32];
    int nk = 0;
    for (int i = 0; nk < 8 && i < 1000000; i++) {
        int n = snprintf(keys[nk], sizeof keys[nk], "w%d", i);
        if ((fnv1a(keys[nk], (size_t)n) & 63) == 63) nk++;
    }
    cr_assert_eq(nk, 8);
    pl_strmap m;
    pl_strmap_init(&m);
    for (int k = 0; k < 8; k++) cr_assert_eq(put(&m, keys[k], k + 1, NULL), PL_OK);
    cr_assert_eq(m.cap, 64, "no growth: the wrap happens in the first 64-slot table");
    cr_assert_str_eq(m.slots[63].key, keys[0], "the first key sits in the last slot");
    for (int k = 1; k < 8; k++) cr_assert_str_eq(m.slots[k - 1].key, keys[k], "key %d wrapped to slot %d", k, k - 1);
    for (int k = 0; k < 8; k++) cr_assert_eq(pl_strmap_gets(&m, keys[k]), k + 1, "%s", keys[k]);
    int32_t old;
    cr_assert_eq(put(&m, keys[7], 99, &old), PL_EINVAL, "a duplicate found past the wrap");
    cr_assert_eq(old, 8);
    /* a missing key of the same bucket walks the wrapped run and stops at the first empty slot */
    char miss[32];
    for (int i = 1000000;; i++) {
        int n = snprintf(miss, sizeof miss, "w%d", i);
        if ((fnv1a(miss, (size_t)n) & 63) == 63) break;
    }
    cr_assert_eq(pl_strmap_gets(&m, miss), -1);
    pl_strmap_free(&m);
}

Test(strmap, free_is_null_safe_idempotent_and_leaves_a_usable_map)
{
    pl_strmap_free(NULL);
    pl_strmap m;
    pl_strmap_init(&m);
    pl_strmap_free(&m); /* never used */
    pl_strmap_free(&m);
    cr_assert_eq(put(&m, "a", 1, NULL), PL_OK);
    cr_assert_eq(put(&m, "b", 2, NULL), PL_OK);
    pl_strmap_free(&m);
    cr_assert_null(m.slots);
    cr_assert_eq(m.cap, 0);
    cr_assert_eq(m.count, 0);
    cr_assert_eq(pl_strmap_gets(&m, "a"), -1, "a freed map is empty");
    pl_strmap_free(&m); /* twice */
    cr_assert_eq(put(&m, "a", 3, NULL), PL_OK, "and can be used again");
    cr_assert_eq(pl_strmap_gets(&m, "a"), 3);
    pl_strmap_free(&m);
}

/* Known gap, reported rather than fixed (core/ belongs to another change): a slot stores only the
 * key pointer, and equality is "the first len bytes match and key[len] == 0". So pl_strmap_put needs
 * a key that is NUL-terminated at key[len] (what pl_strpool_add returns), which the header does not
 * say; a key put in place from a longer buffer is never found again, and its duplicate is not
 * detected. Enable once the header states the requirement (then delete this case) or put() honours
 * len. */
Test(strmap, put_of_a_key_in_place_is_found, .disabled = true)
{
    pl_strmap m;
    pl_strmap_init(&m);
    const char *line = "VDD VSS";
    cr_assert_eq(pl_strmap_put(&m, line, 3, 1, NULL), PL_OK);
    cr_assert_eq(pl_strmap_gets(&m, "VDD"), 1);
    cr_assert_eq(pl_strmap_put(&m, "VDD", 3, 2, NULL), PL_EINVAL);
    pl_strmap_free(&m);
}
