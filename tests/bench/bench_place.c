/* bench_place.c: the whole placement pipeline on asap7_ariane133 at effort fast (about 30 s), against
 * the best published reference placement as our evaluator scores it. Prints one line:
 *   bench place design=asap7_ariane133 effort=fast seconds=... proxy=... best_ref=... ratio=...
 * where best_ref is the lowest `placer eval` proxy cost among the 8 reference placements in refs/
 * (computed here, same seed and grid) and ratio = proxy / best_ref (< 1: better than every reference).
 * The default effort (about 5 min) is a manual experiment: placer DESIGN.def --lef ... (see README).
 * A missing design prints skipped=absent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/problem.h"
#include "parsers/def.h"
#include "core/log.h"
#include "search/place.h"
#include "tests/shared_designs.h"
#include "tests/bench/benchutil.h"

/* The problem set-up of `placer eval DESIGN [--placement ref.def]` (seed 1). */
static void problem_config(pl_problem_config *pc, const char *def, const char *ref, const char *const *lefs, int nlef)
{
    pl_problem_config_default(pc);
    pl_problem_config_inputs(pc, def, ref, lefs, nlef);
}

static double eval_ref(const char *def, const char *ref, const char *const *lefs, int nlef)
{
    pl_problem_config pc;
    problem_config(&pc, def, ref, lefs, nlef);
    pl_problem p;
    double proxy = NAN;
    if (pl_problem_setup(&p, &pc) == PL_OK) {
        pl_cost c;
        if (pl_cost_init(&c, p.nl, &p.cost) == PL_OK) {
            pl_cost_terms t;
            pl_cost_terms_get(&c, &t);
            proxy = t.proxy_cost;
            pl_cost_free(&c);
        }
    }
    pl_problem_free(&p);
    return proxy;
}

int main(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    const pl_shared_design *d = pl_shared_design_find("asap7_ariane133");
    pl_shared_paths sp;
    if (!pl_shared_design_paths(d, shared, &sp)) {
        printf("bench place design=%s skipped=absent\n", d->name);
        return 0;
    }
    const char *def = sp.def, *const *lp = sp.lp;
    int nlef = sp.nlef;
    pl_problem_config pc;
    problem_config(&pc, def, NULL, lp, nlef);
    pl_problem prob;
    double t0 = now_s();
    if (pl_problem_setup(&prob, &pc) != PL_OK) {
        printf("bench place design=%s skipped=\"%s\"\n", d->name, pl_errmsg());
        pl_problem_free(&prob);
        return 0;
    }
    double t_setup = now_s() - t0;
    static const char *refs[] = {"SA", "CT_Scratch", "CT_Ours", "CT_AC", "CT_AC_DP", "Innovus_CMP", "RePlAce", "Human"};
    double best_ref = INFINITY;
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        char ref[1200];
        snprintf(ref, sizeof ref, "%s/designs/asap7_ariane133/refs/%s/ariane_fp_placed_macros.def", shared, refs[i]);
        double p = eval_ref(def, ref, lp, nlef);
        if (p < best_ref) best_ref = p;
    }
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    pl_place_config_effort(&cfg, "fast");
    cfg.threads = 2;
    pl_place_result res;
    t0 = now_s();
    pl_status s = pl_place_run(&prob, &cfg, &res);
    double sec = t_setup + now_s() - t0;
    if (s != PL_OK) {
        printf("bench place design=%s effort=fast failed=\"%s\"\n", d->name, pl_errmsg());
    } else {
        double proxy = res.stage[res.nstages - 1].terms.proxy_cost;
        printf("bench place design=%s effort=fast seconds=%.1f proxy=%.4f best_ref=%.4f ratio=%.4f\n", d->name, sec,
               proxy, best_ref, proxy / best_ref);
    }
    pl_problem_free(&prob);
    return 0;
}
