/* bench_policy.c: what one construction step costs with each prior, side by side in one run, on
 * asap7_ariane133 (seed 1, the set-up of `placer eval`). A step is one macro put on the grid during a
 * rollout; the search is run alone (no FD start, no refinement, one thread, no time limit) with R1 and
 * then R2 rollouts, and the per-step time is the difference over (R2 - R1) x macros, so the fixed costs
 * (the set-up, the FD re-costing of the kept rollouts) cancel. Lines:
 *   bench policy_step design=asap7_ariane133 prior=wiremask us_per_step=... runs=...
 *   bench policy_step design=asap7_ariane133 prior=policy us_per_step=... runs=... ratio=... target_ratio=1.5
 * ratio = the policy's step over the wire mask's (issue: a policy rollout should cost at most 1.5x a
 * wire-mask rollout). The policy is policies/default.ckpt (times the wire mask, as `placer place` uses it).
 * A missing design or checkpoint prints skipped=. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/problem.h"
#include "core/log.h"
#include "search/place.h"
#include "search/policy_prior.h"
#include "tests/bench/benchutil.h"
#include "tests/shared_designs.h"

enum { R1 = 4, R2 = 20, RUNS = 3 };

static const char *const POLICY = "policies/default.ckpt";

/* Seconds of the search stage for `rollouts` rollouts with `prior`; < 0 on failure. */
static double search_seconds(pl_problem *prob, pl_prior prior, int rollouts, int32_t *macros)
{
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    pl_place_config_effort(&cfg, "fast");
    cfg.time_limit = 0;
    cfg.threads = 1;
    cfg.rollouts = rollouts;
    cfg.keep = 1;
    cfg.fd_start = 0;
    cfg.chains = 0;
    cfg.prior = prior;
    pl_place_result res;
    if (pl_place_run(prob, &cfg, &res) != PL_OK) return -1;
    *macros = (int32_t)res.movable;
    for (int i = 0; i < res.nstages; i++)
        if (!strcmp(res.stage[i].name, "search")) return res.stage[i].seconds;
    return -1;
}

/* Median over RUNS of the per-step time in µs. */
static double us_per_step(pl_problem *prob, pl_prior prior)
{
    double v[RUNS];
    for (int r = 0; r < RUNS; r++) {
        int32_t n = 0;
        double a = search_seconds(prob, prior, R1, &n), b = search_seconds(prob, prior, R2, &n);
        if (a < 0 || b < 0 || n <= 0) return -1;
        v[r] = 1e6 * (b - a) / ((double)(R2 - R1) * n);
    }
    return median(v, RUNS);
}

int main(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    const pl_shared_design *d = pl_shared_design_find("asap7_ariane133");
    pl_shared_paths sp;
    if (!pl_shared_design_paths(d, shared, &sp)) {
        printf("bench policy_step design=%s skipped=absent\n", d->name);
        return 0;
    }
    pl_policy_prior *g = calloc(1, sizeof *g);
    if (!g || pl_policy_prior_init(g, POLICY, 1.0, PL_GNN_DEVICE_CPU) != PL_OK) {
        printf("bench policy_step design=%s skipped=\"no policy: %s\"\n", d->name, g ? pl_errmsg() : "out of memory");
        free(g);
        return 0;
    }
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pl_problem_config_inputs(&pc, sp.def, NULL, sp.lp, sp.nlef);
    pl_problem prob;
    if (pl_problem_setup(&prob, &pc) != PL_OK) {
        printf("bench policy_step design=%s skipped=\"%s\"\n", d->name, pl_errmsg());
    } else {
        double wire = us_per_step(&prob, pl_prior_wiremask());
        double pol = us_per_step(&prob, pl_prior_mix_get(&g->mix));
        printf("bench policy_step design=%s prior=wiremask us_per_step=%.1f runs=%d rollouts=%d-%d\n", d->name, wire,
               RUNS, R1, R2);
        printf("bench policy_step design=%s prior=policy us_per_step=%.1f runs=%d rollouts=%d-%d ratio=%.2f "
               "target_ratio=1.5\n", d->name, pol, RUNS, R1, R2, wire > 0 ? pol / wire : -1);
    }
    pl_problem_free(&prob);
    pl_policy_prior_free(g);
    free(g);
    return 0;
}
