/* test_online.c: the preference learned while placing (search/online.h): it starts uniform, an update moves
 * each macro's row toward the elites' cells spread over their 3x3 neighbourhood (exact values), rows stay
 * distributions, and its prior multiplies the base weights except in a greedy rollout. */
#include <math.h>

#include "core/log.h"
#include "search/online.h"
#include "tests/testutil.h"

static void setup(void) { pl_log_set_level(PL_LOG_QUIET); }
TestSuite(online, .init = setup);

static double row_sum(const pl_online *o, int32_t j)
{
    double s = 0;
    for (int32_t a = 0; a < o->A; a++) s += o->q[(int64_t)j * o->A + a];
    return s;
}

Test(online, starts_uniform_and_refuses_bad_sizes)
{
    pl_online o;
    cr_assert_eq(pl_online_init(&o, 3, 5, 4, 0.5), PL_OK);
    cr_assert_eq(o.A, 20);
    for (int64_t i = 0; i < 3 * 20; i++) cr_assert_float_eq(o.q[i], 1.0 / 20, 1e-7);
    pl_online_free(&o);
    pl_online_free(&o); /* idempotent */
    cr_assert_eq(pl_online_init(&o, 0, 5, 4, 0.5), PL_EINVAL);
    cr_assert_eq(pl_online_init(&o, 3, 5, 4, 0), PL_EINVAL);
    cr_assert_eq(pl_online_init(&o, 3, 5, 4, 1.5), PL_EINVAL);
    cr_assert_eq(pl_online_init(&o, 5000, 128, 128, 0.5), PL_EINVAL, "5000 x 16384 is over the limit");
    cr_assert(strstr(pl_errmsg(), "5000 macros"), "%s", pl_errmsg());
}

/* Grid 5 x 4; macro 0's elites: cell (2, 1) twice; macro 1's: the corner (0, 0) and (4, 3). */
Test(online, an_update_moves_each_row_toward_the_elites_cells)
{
    pl_online o;
    cr_assert_eq(pl_online_init(&o, 2, 5, 4, 0.5), PL_OK);
    const int32_t cells[3 * 2] = {1 * 5 + 2, 0, /* rollout 0 */
                                  7, 19,        /* rollout 1: not an elite */
                                  1 * 5 + 2, 19};
    const int64_t elite[2] = {0, 2};
    pl_online_update(&o, cells, elite, 2);
    cr_assert_eq(o.updates, 1);
    const double u = 0.5 / 20;
    /* macro 0: both elites on (2, 1), interior: kernel [1 2 1] x [1 2 1] / 16 */
    cr_assert_float_eq(o.q[1 * 5 + 2], u + 0.5 * 4.0 / 16, 1e-6);
    cr_assert_float_eq(o.q[0 * 5 + 2], u + 0.5 * 2.0 / 16, 1e-6);
    cr_assert_float_eq(o.q[0 * 5 + 1], u + 0.5 * 1.0 / 16, 1e-6);
    cr_assert_float_eq(o.q[3 * 5 + 2], u, 1e-7, "two rows away: the uniform part only");
    /* macro 1: half an elite each on two corners, the kernel cut at the border: 4 + 2 + 2 + 1 = 9 */
    const float *q1 = o.q + 20;
    cr_assert_float_eq(q1[0], u + 0.5 * 0.5 * 4.0 / 9, 1e-6);
    cr_assert_float_eq(q1[1], u + 0.5 * 0.5 * 2.0 / 9, 1e-6);
    cr_assert_float_eq(q1[19], u + 0.5 * 0.5 * 4.0 / 9, 1e-6);
    cr_assert_float_eq(q1[7], u, 1e-7, "rollout 1 is not an elite");
    for (int32_t j = 0; j < 2; j++) cr_assert_float_eq(row_sum(&o, j), 1.0, 1e-6);
    /* a second update at rate 0.5 halves what the first left, and ne == 0 changes nothing */
    pl_online_update(&o, cells, elite, 2);
    cr_assert_float_eq(o.q[3 * 5 + 2], u / 2, 1e-7);
    float before = o.q[0];
    pl_online_update(&o, cells, elite, 0);
    cr_assert_eq(o.q[0], before);
    cr_assert_eq(o.updates, 2);
    pl_online_free(&o);
}

static pl_status ones_fn(void *user, const pl_prior_state *st, double *weight)
{
    (void)user;
    for (int32_t a = 0; a < st->cols * st->rows; a++) weight[a] = 1.0 + a;
    return PL_OK;
}

Test(online, its_prior_multiplies_the_base_except_when_greedy)
{
    pl_online o;
    cr_assert_eq(pl_online_init(&o, 2, 3, 2, 1.0), PL_OK);
    const int32_t cells[2] = {3, 0}; /* macro 0 at (0, 1): its neighbourhood is cells 0, 1, 3, 4 */
    const int64_t elite[1] = {0};
    pl_online_update(&o, cells, elite, 1); /* rate 1: the rows are the elite's kernels alone */
    pl_online_prior p = {&o, {ones_fn, NULL, "ones", 0}};
    pl_prior pr = pl_online_prior_get(&p);
    cr_assert_str_eq(pr.name, "ones");
    uint8_t mask[6] = {1, 1, 1, 1, 1, 0};
    double w[6], wire[6] = {0};
    pl_prior_state st = {.step = 0, .nsteps = 2, .cols = 3, .rows = 2, .mask = mask, .wire = wire, .temperature = 0.1};
    cr_assert_eq(pr.fn(pr.user, &st, w), PL_OK);
    for (int32_t a = 0; a < 6; a++) {
        double want = mask[a] ? (1.0 + a) * o.q[a] : 0;
        cr_assert_float_eq(w[a], want, 1e-12, "cell %d", a);
    }
    cr_assert_eq(w[2], 0, "cell (2, 0) is outside the elite's neighbourhood at rate 1");
    cr_assert_gt(w[4], 0);
    st.temperature = 0; /* greedy: the base as it is */
    cr_assert_eq(pr.fn(pr.user, &st, w), PL_OK);
    for (int32_t a = 0; a < 6; a++) cr_assert_eq(w[a], 1.0 + a);
    pl_online_free(&o);
}
