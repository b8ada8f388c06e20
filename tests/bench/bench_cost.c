/* bench_cost.c: proxy-cost timings on the shared NG45 Ariane133 (netlist.pb.txt.gz + legalized.plc).
 * Prints one line per case:
 *   bench cost_full design=ng45_ariane133 median_ms=... (full evaluation, every cache rebuilt)
 *   bench cost_move design=ng45_ariane133 median_us=... (one incremental hard-macro move + new cost)
 * Designs come from $PL_SHARED (default ../shared); a missing design prints skipped=... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cost/proxy.h"
#include "parsers/ctpb.h"
#include "parsers/plc.h"
#include "core/rng.h"
#include "tests/bench/benchutil.h"

int main(void)
{
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    char net[1024], plc[1024];
    snprintf(net, sizeof net, "%s/designs/ct_ng45_ariane133/netlist.pb.txt.gz", shared);
    snprintf(plc, sizeof plc, "%s/designs/ct_ng45_ariane133/legalized.plc", shared);
    pl_netlist nl;
    pl_netlist_init(&nl);
    pl_plc_header h;
    pl_plc_header_init(&h);
    if (pl_ctpb_read(&nl, net) != PL_OK || pl_plc_read(plc, &h, &nl) != PL_OK) {
        printf("bench cost_full design=ng45_ariane133 skipped=\"%s\"\n", pl_errmsg());
        printf("bench cost_move design=ng45_ariane133 skipped=\"%s\"\n", pl_errmsg());
        pl_netlist_free(&nl);
        pl_plc_header_free(&h);
        return 0;
    }
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    cfg.canvas_w = h.width, cfg.canvas_h = h.height, cfg.cols = h.cols, cfg.rows = h.rows;
    cfg.h_rpm = h.h_rpm, cfg.v_rpm = h.v_rpm, cfg.h_macro_alloc = h.h_macro_alloc;
    cfg.v_macro_alloc = h.v_macro_alloc, cfg.smooth_range = h.smooth_range;
    pl_cost c;
    if (pl_cost_init(&c, &nl, &cfg) != PL_OK) {
        fprintf(stderr, "bench_cost: %s\n", pl_errmsg());
        return 1;
    }
    pl_cost_terms t;
    double sink = 0;

    enum { FULL_RUNS = 301, MOVE_RUNS = 20001 };
    static double ts[MOVE_RUNS];
    for (int i = 0; i < 20; i++) pl_cost_full(&c, &t); /* warm up */
    for (int i = 0; i < FULL_RUNS; i++) {
        double a = now_s();
        pl_cost_full(&c, &t);
        ts[i] = now_s() - a;
        sink += t.proxy_cost;
    }
    printf("bench cost_full design=ng45_ariane133 median_ms=%.4f runs=%d nodes=%lld nets=%d pins=%d grid=%dx%d "
           "target_ms=2 ratio=%.3f\n",
           median(ts, FULL_RUNS) * 1e3, FULL_RUNS, (long long)nl.nnodes, c.nnets, c.npins, cfg.cols, cfg.rows,
           median(ts, FULL_RUNS) * 1e3 / 2.0);

    int32_t *mac = malloc((size_t)nl.nnodes * sizeof *mac);
    int nm = 0;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) mac[nm++] = (int32_t)i;
    pl_rng rng;
    pl_rng_seed(&rng, 1);
    for (int i = 0; i < MOVE_RUNS; i++) {
        int32_t v = mac[pl_rng_below(&rng, (uint64_t)nm)];
        double x = pl_rng_uniform(&rng) * cfg.canvas_w, y = pl_rng_uniform(&rng) * cfg.canvas_h;
        double a = now_s();
        pl_cost_move(&c, v, x, y);
        pl_cost_terms_get(&c, &t);
        ts[i] = now_s() - a;
        sink += t.proxy_cost;
        pl_cost_undo(&c); /* keep the legal placement as the starting point */
    }
    printf("bench cost_move design=ng45_ariane133 median_us=%.3f runs=%d target_us=20 ratio=%.3f\n",
           median(ts, MOVE_RUNS) * 1e6, MOVE_RUNS, median(ts, MOVE_RUNS) * 1e6 / 20.0);
    if (sink == 0.123456789) printf("%g\n", sink); /* keep the work observable */
    free(mac);
    pl_cost_free(&c);
    pl_plc_header_free(&h);
    pl_netlist_free(&nl);
    return 0;
}
