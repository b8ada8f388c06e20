/* bench_cluster.c: clustering and force-directed placement on the shared 100k-cell designs.
 * Prints one line per case and design:
 *   bench cluster design=NAME median_ms=... clusters=... cells=... runs=3 target_ms=3000 ratio=...
 *   bench fd design=NAME median_ms=... soft=... runs=3 target_ms=1000 ratio=...   (the default, analytical)
 *   bench fd_ct design=NAME median_ms=... soft=... runs=3 target_ms=1000 ratio=... (CT's force schedule)
 * (the DEF read is not timed). A missing design prints skipped=absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/prepare.h"
#include "parsers/def.h"
#include "tests/shared_designs.h"
#include "tests/bench/benchutil.h"

enum { RUNS = 3 };

static void bench(const char *shared, const pl_shared_design *d)
{
    pl_shared_paths sp;
    if (!pl_shared_design_paths(d, shared, &sp)) {
        printf("bench cluster design=%s skipped=absent\nbench fd design=%s skipped=absent\n"
               "bench fd_ct design=%s skipped=absent\n", d->name, d->name, d->name);
        return;
    }
    const char *def = sp.def, *const *lp = sp.lp;
    int nl = sp.nlef;
    pl_netlist flat;
    pl_netlist_init(&flat);
    if (pl_design_read(&flat, def, lp, nl) != PL_OK) {
        printf("bench cluster design=%s skipped=\"%s\"\n", d->name, pl_errmsg());
        pl_netlist_free(&flat);
        return;
    }
    pl_prepare_config pc;
    pl_prepare_config_default(&pc);
    pl_gridsel_result gs;
    pl_gridsel_netlist(&flat, &pc.grid, &gs);
    pl_cluster_config cc = pc.cluster;
    cc.io_region_w = (flat.die.x1 - flat.die.x0) / (gs.cols > 0 ? gs.cols : 32);
    cc.io_region_h = (flat.die.y1 - flat.die.y0) / (gs.rows > 0 ? gs.rows : 32);
    double tc[RUNS], tf[RUNS], tct[RUNS];
    pl_cluster cl;
    pl_netlist cn;
    int nclusters = 0, cells = 0, soft = 0;
    for (int r = 0; r < RUNS; r++) {
        double a = now_ms();
        if (pl_cluster_run(&cl, &flat, &cc) != PL_OK) {
            printf("bench cluster design=%s skipped=\"%s\"\n", d->name, pl_errmsg());
            pl_netlist_free(&flat);
            return;
        }
        tc[r] = now_ms() - a;
        nclusters = cl.nclusters, cells = cl.g.nv;
        pl_cluster_netlist_build(&cn, &flat, &cl, &cc);
        pl_fd_config fc;
        pl_fd_config_default(&fc);
        soft = 0;
        for (int64_t i = 0; i < cn.nnodes; i++) soft += cn.nodes[i].kind == PL_NODE_SOFT;
        a = now_ms();
        pl_fd_place(&cn, &fc, NULL);
        tf[r] = now_ms() - a;
        pl_fd_config_ct(&fc);
        a = now_ms();
        pl_fd_place(&cn, &fc, NULL);
        tct[r] = now_ms() - a;
        pl_netlist_free(&cn);
        pl_cluster_free(&cl);
    }
    qsort(tc, RUNS, sizeof *tc, cmp_double);
    qsort(tf, RUNS, sizeof *tf, cmp_double);
    qsort(tct, RUNS, sizeof *tct, cmp_double);
    printf("bench cluster design=%s median_ms=%.1f clusters=%d cells=%d runs=%d target_ms=3000 ratio=%.3f\n", d->name,
           tc[RUNS / 2], nclusters, cells, RUNS, tc[RUNS / 2] / 3000);
    printf("bench fd design=%s median_ms=%.1f soft=%d runs=%d target_ms=1000 ratio=%.3f\n", d->name, tf[RUNS / 2], soft,
           RUNS, tf[RUNS / 2] / 1000);
    printf("bench fd_ct design=%s median_ms=%.1f soft=%d runs=%d target_ms=1000 ratio=%.3f\n", d->name, tct[RUNS / 2],
           soft, RUNS, tct[RUNS / 2] / 1000);
    pl_netlist_free(&flat);
}

int main(void)
{
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    for (int i = 0; i < PL_NSHARED_DESIGNS; i++)
        if (!strcmp(PL_SHARED_DESIGNS[i].name, "asap7_ariane133") || !strcmp(PL_SHARED_DESIGNS[i].name, "ng45_mempool_tile"))
            bench(shared, &PL_SHARED_DESIGNS[i]);
    return 0;
}
