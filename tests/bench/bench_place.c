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

#include "cluster/design_cost.h"
#include "parsers/def.h"
#include "core/log.h"
#include "search/place.h"
#include "tests/shared_designs.h"
#include "tests/bench/benchutil.h"

/* `placer eval DESIGN --placement ref.def` (seed 1): the reference's macros applied by name. */
static double eval_ref(const pl_netlist *base, const char *ref, const char *const *lefs, int nlef)
{
    pl_netlist r, d;
    pl_netlist_init(&r);
    pl_netlist_init(&d);
    double proxy = NAN;
    if (pl_design_read(&r, ref, lefs, nlef) != PL_OK) goto out;
    if (pl_design_read(&d, base->defsrc->path, lefs, nlef) != PL_OK) goto out;
    for (int64_t i = 0; i < r.nnodes; i++) {
        int32_t k = pl_netlist_find_node(&d, r.nodes[i].name);
        if (k < 0) continue;
        d.nodes[k].x = r.nodes[i].x, d.nodes[k].y = r.nodes[i].y;
        d.nodes[k].orient = r.nodes[i].orient, d.nodes[k].state = r.nodes[i].state;
    }
    pl_design_cost_config dc;
    pl_design_cost_config_default(&dc);
    pl_prepare prep;
    pl_cost_config cc;
    pl_cost_config_default(&cc);
    if (pl_design_cost_prepare(&d, &dc, &prep, &cc, NULL) == PL_OK) {
        pl_cost c;
        if (pl_cost_init(&c, &prep.nl, &cc) == PL_OK) {
            pl_cost_terms t;
            pl_cost_terms_get(&c, &t);
            proxy = t.proxy_cost;
            pl_cost_free(&c);
        }
    }
    pl_prepare_free(&prep);
out:
    pl_netlist_free(&r);
    pl_netlist_free(&d);
    return proxy;
}

int main(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    const pl_shared_design *d = NULL;
    for (int i = 0; i < PL_NSHARED_DESIGNS; i++)
        if (!strcmp(PL_SHARED_DESIGNS[i].name, "asap7_ariane133")) d = &PL_SHARED_DESIGNS[i];
    char def[1024], lefs[6][1024];
    const char *lp[6];
    int nlef = 0;
    snprintf(def, sizeof def, "%s/%s", shared, d->def);
    for (; d->lefs[nlef]; nlef++) snprintf(lefs[nlef], sizeof lefs[nlef], "%s/%s", shared, d->lefs[nlef]), lp[nlef] = lefs[nlef];
    FILE *f = fopen(def, "rb");
    if (!f) {
        printf("bench place design=%s skipped=absent\n", d->name);
        return 0;
    }
    fclose(f);
    pl_netlist nl;
    pl_netlist_init(&nl);
    if (pl_design_read(&nl, def, lp, nlef) != PL_OK) {
        printf("bench place design=%s skipped=\"%s\"\n", d->name, pl_errmsg());
        pl_netlist_free(&nl);
        return 0;
    }
    static const char *refs[] = {"SA", "CT_Scratch", "CT_Ours", "CT_AC", "CT_AC_DP", "Innovus_CMP", "RePlAce", "Human"};
    double best_ref = INFINITY;
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        char ref[1200];
        snprintf(ref, sizeof ref, "%s/designs/asap7_ariane133/refs/%s/ariane_fp_placed_macros.def", shared, refs[i]);
        double p = eval_ref(&nl, ref, lp, nlef);
        if (p < best_ref) best_ref = p;
    }
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    pl_place_config_effort(&cfg, "fast");
    cfg.threads = 2;
    pl_place_result res;
    double t0 = now_s();
    pl_status s = pl_place_run(&nl, &cfg, &res);
    double sec = now_s() - t0;
    if (s != PL_OK) {
        printf("bench place design=%s effort=fast failed=\"%s\"\n", d->name, pl_errmsg());
    } else {
        double proxy = res.stage[res.nstages - 1].terms.proxy_cost;
        printf("bench place design=%s effort=fast seconds=%.1f proxy=%.4f best_ref=%.4f ratio=%.4f\n", d->name, sec,
               proxy, best_ref, proxy / best_ref);
    }
    pl_netlist_free(&nl);
    return 0;
}
