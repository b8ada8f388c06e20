/* test_obs.c: the wire-mask bias a residual policy is trained with (rl/obs.h pl_obs_prior_bias) gives the
 * same distribution as the search's mix of that policy with the wire mask (search/prior.h) at the search's
 * default temperature, whatever the wire map's scale; weight 0 leaves the logits alone. */
#include <math.h>

#include "gnn/ops.h"
#include "rl/obs.h"
#include "search/prior.h"
#include "tests/testutil.h"

enum { COLS = 6, ROWS = 4, A = COLS * ROWS };

static float g_logits[A];

static pl_status softmax_probs(void *user, const pl_prior_state *st, double *prob)
{
    (void)user;
    double mx = -INFINITY, sum = 0;
    for (int32_t a = 0; a < A; a++)
        if (st->mask[a]) mx = fmax(mx, g_logits[a]);
    for (int32_t a = 0; a < A; a++) sum += prob[a] = st->mask[a] ? exp(g_logits[a] - mx) : 0;
    for (int32_t a = 0; a < A; a++) prob[a] /= sum;
    return PL_OK;
}

Test(rl_obs, prior_bias_is_the_search_s_mix_at_its_temperature)
{
    uint8_t mask[A];
    double wire_um[A], weight[A];
    float wire_map[A], biased[A], probs[A];
    double mx = 0;
    for (int32_t a = 0; a < A; a++) {
        mask[a] = (a % 5) != 2;
        wire_um[a] = mask[a] ? 40.0 + (double)((a * 13) % 17) * 3.5 : 0;
        mx = fmax(mx, wire_um[a]);
        g_logits[a] = 0.3f * (float)((a * 7) % 5) - 0.6f;
    }
    for (int32_t a = 0; a < A; a++) wire_map[a] = (float)(wire_um[a] / mx); /* the observation's scale */
    for (double w = 0.5; w <= 2.0; w *= 2) {
        memcpy(biased, g_logits, sizeof biased);
        pl_gnn_obs o = {.cols = COLS, .rows = ROWS, .mask = mask, .wire = wire_map};
        pl_obs_prior_bias(biased, &o, w);
        pl_gnn_dist d = {biased, mask, probs, 0, A};
        cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_OK);

        pl_prior_mix m;
        pl_prior_mix_init(&m, softmax_probs, NULL, "softmax");
        m.wire_weight = w;
        pl_prior pr = pl_prior_mix_get(&m);
        pl_prior_state st = {.cols = COLS, .rows = ROWS, .mask = mask, .wire = wire_um, .temperature = PL_OBS_PRIOR_T};
        cr_assert_eq(pr.fn(pr.user, &st, weight), PL_OK);
        double sum = 0;
        for (int32_t a = 0; a < A; a++) sum += weight[a];
        for (int32_t a = 0; a < A; a++) {
            if (!mask[a]) cr_assert_eq(probs[a], 0.0f);
            cr_assert_float_eq(probs[a], weight[a] / sum, 2e-6, "weight %g cell %d: %g vs %g", w, (int)a, probs[a],
                               weight[a] / sum);
        }
    }
    /* weight 0: unchanged */
    memcpy(biased, g_logits, sizeof biased);
    pl_gnn_obs o = {.cols = COLS, .rows = ROWS, .mask = mask, .wire = wire_map};
    pl_obs_prior_bias(biased, &o, 0);
    cr_assert_eq(memcmp(biased, g_logits, sizeof biased), 0);
}
