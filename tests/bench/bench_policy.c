/* bench_policy.c: what one construction step costs with each prior, side by side in one run, on
 * asap7_ariane133 (seed 1, the set-up of `placer eval`). A step is one macro put on the grid during a
 * rollout; the search is run alone (no FD start, no refinement, one thread, no time limit) with R1 and
 * then R2 rollouts, and the per-step time is the difference over (R2 - R1) x macros, so the fixed costs
 * (the set-up, the FD re-costing of the kept rollouts, and with eval=greedy the network along the greedy
 * rollout, once per search) cancel; each search gets a freshly loaded policy. Lines:
 *   bench policy_step design=asap7_ariane133 prior=wiremask us_per_step=... runs=...
 *   bench policy_step design=asap7_ariane133 prior=policy eval=greedy us_per_step=... search_s=... ratio=... target_ratio=1.5
 *   bench policy_step design=asap7_ariane133 prior=policy eval=state us_per_step=... search_s=... ratio=...
 * ratio = the policy's step over the wire mask's (issue: a policy rollout should cost at most 1.5x a
 * wire-mask rollout); eval=greedy is `placer place`'s default (search/policy_prior.h), eval=state runs the
 * network at every step. search_s: the median search time with R2 rollouts, fixed costs included. The
 * policy is policies/default.ckpt (times the wire mask, as `placer place` uses it). A missing design or
 * checkpoint prints skipped=. */
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

/* Seconds of the search stage for `rollouts` rollouts with the wire mask (eval < 0) or the policy evaluated
 * as eval says, freshly loaded; < 0 on failure. */
static double search_seconds(pl_problem *prob, int eval, int rollouts, int32_t *macros)
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
    cfg.prior = pl_prior_wiremask();
    pl_policy_prior *g = NULL;
    if (eval >= 0) {
        g = calloc(1, sizeof *g);
        if (!g || pl_policy_prior_init(g, POLICY, 1.0, PL_GNN_DEVICE_CPU, (pl_policy_eval)eval) != PL_OK) {
            free(g);
            return -1;
        }
        cfg.prior = pl_prior_mix_get(&g->mix);
    }
    pl_place_result res;
    double sec = -1;
    if (pl_place_run(prob, &cfg, &res) == PL_OK) {
        *macros = (int32_t)res.movable;
        for (int i = 0; i < res.nstages; i++)
            if (!strcmp(res.stage[i].name, "search")) sec = res.stage[i].seconds;
    }
    pl_policy_prior_free(g);
    free(g);
    return sec;
}

/* Median over RUNS of the per-step time in µs; *search_s: the median search time with R2 rollouts. */
static double us_per_step(pl_problem *prob, int eval, double *search_s)
{
    double v[RUNS], t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        int32_t n = 0;
        double a = search_seconds(prob, eval, R1, &n), b = search_seconds(prob, eval, R2, &n);
        if (a < 0 || b < 0 || n <= 0) return -1;
        v[r] = 1e6 * (b - a) / ((double)(R2 - R1) * n);
        t[r] = b;
    }
    *search_s = median(t, RUNS);
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
    pl_policy_prior probe;
    if (pl_policy_prior_init(&probe, POLICY, 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_GREEDY) != PL_OK) {
        printf("bench policy_step design=%s skipped=\"no policy: %s\"\n", d->name, pl_errmsg());
        return 0;
    }
    pl_policy_prior_free(&probe);
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pl_problem_config_inputs(&pc, sp.def, NULL, sp.lp, sp.nlef);
    pl_problem prob;
    if (pl_problem_setup(&prob, &pc) != PL_OK) {
        printf("bench policy_step design=%s skipped=\"%s\"\n", d->name, pl_errmsg());
    } else {
        double ws, gs, ss;
        double wire = us_per_step(&prob, -1, &ws);
        double greedy = us_per_step(&prob, PL_POLICY_EVAL_GREEDY, &gs);
        double state = us_per_step(&prob, PL_POLICY_EVAL_STATE, &ss);
        printf("bench policy_step design=%s prior=wiremask us_per_step=%.1f search_s=%.3f runs=%d rollouts=%d-%d\n",
               d->name, wire, ws, RUNS, R1, R2);
        printf("bench policy_step design=%s prior=policy eval=greedy us_per_step=%.1f search_s=%.3f runs=%d "
               "rollouts=%d-%d ratio=%.2f target_ratio=1.5\n", d->name, greedy, gs, RUNS, R1, R2,
               wire > 0 ? greedy / wire : -1);
        printf("bench policy_step design=%s prior=policy eval=state us_per_step=%.1f search_s=%.3f runs=%d "
               "rollouts=%d-%d ratio=%.2f\n", d->name, state, ss, RUNS, R1, R2, wire > 0 ? state / wire : -1);
    }
    pl_problem_free(&prob);
    return 0;
}
