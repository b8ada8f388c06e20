/* bench_render.c: floorplan image time (PNG, 1024 px) for each shared design, each reference placement
 * of asap7_ariane133 and the clustered ct_ng45_ariane133. One line per case:
 *   bench render design=NAME size=1024 overlay=KIND read_ms=... median_ms=... min_ms=... runs=N
 * read_ms is the design read (and placement applied), once; median_ms/min_ms time pl_render_file alone
 * (the density overlay's cost context is built before timing). Absent designs print "skipped=absent";
 * a build without Cairo prints "skipped=no-cairo". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cost/proxy.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "parsers/plc.h"
#include "core/log.h"
#include "tests/shared_designs.h"
#include "viz/render.h"
#include "tests/bench/benchutil.h"

enum { RUNS = 5, SIZE = 1024 };

/* Renders nl RUNS times and prints the line; cost may be NULL. */
static int time_render(const char *name, const pl_netlist *nl, const pl_cost *cost, pl_render_overlay ov,
                       double read_ms)
{
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.size = SIZE;
    cfg.overlay = ov;
    char out[256];
    snprintf(out, sizeof out, "/tmp/pl_bench_render_%d.png", (int)getpid());
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms();
        pl_status s = pl_render_file(nl, cost, &cfg, out);
        t[r] = now_ms() - t0;
        if (s != PL_OK) {
            fprintf(stderr, "bench render: %s: %s\n", name, pl_errmsg());
            return 1;
        }
    }
    unlink(out);
    qsort(t, RUNS, sizeof t[0], cmp_double);
    printf("bench render design=%s size=%d overlay=%s read_ms=%.1f median_ms=%.1f min_ms=%.1f runs=%d\n", name, SIZE,
           pl_render_overlay_name(ov), read_ms, t[RUNS / 2], t[0], RUNS);
    return 0;
}

static int read_shared(const pl_shared_design *sd, const char *shared, pl_netlist *nl)
{
    char def[1024], lefbuf[6][1024];
    const char *lefs[6];
    int nlef = 0;
    snprintf(def, sizeof def, "%s/%s", shared, sd->def);
    for (; sd->lefs[nlef]; nlef++) {
        snprintf(lefbuf[nlef], sizeof lefbuf[0], "%s/%s", shared, sd->lefs[nlef]);
        lefs[nlef] = lefbuf[nlef];
    }
    if (pl_design_read(nl, def, lefs, nlef) != PL_OK) {
        fprintf(stderr, "bench render: %s\n", pl_errmsg());
        return 1;
    }
    return 0;
}

/* The density overlay needs a cost context: die canvas, a 34 x 34 grid, default routing. */
static int density_case(const char *name, const pl_netlist *nl, double read_ms)
{
    pl_cost c;
    memset(&c, 0, sizeof c);
    pl_cost_config cc;
    pl_cost_config_default(&cc);
    cc.origin_x = nl->die.x0, cc.origin_y = nl->die.y0;
    cc.canvas_w = nl->die.x1 - nl->die.x0, cc.canvas_h = nl->die.y1 - nl->die.y0;
    cc.cols = cc.rows = 34;
    int rc = 1;
    if (pl_cost_init(&c, nl, &cc) == PL_OK) {
        pl_cost_full(&c, NULL);
        rc = time_render(name, nl, &c, PL_RENDER_OVERLAY_DENSITY, read_ms);
    } else {
        fprintf(stderr, "bench render: %s: %s\n", name, pl_errmsg());
    }
    pl_cost_free(&c);
    return rc;
}

int main(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    if (!pl_render_available()) {
        printf("bench render skipped=no-cairo\n");
        return 0;
    }
    int rc = 0;
    char path[1024];
    for (int i = 0; i < PL_NSHARED_DESIGNS; i++) {
        const pl_shared_design *sd = &PL_SHARED_DESIGNS[i];
        snprintf(path, sizeof path, "%s/%s", shared, sd->def);
        if (access(path, R_OK) != 0) {
            printf("bench render design=%s skipped=absent\n", sd->name);
            continue;
        }
        pl_netlist nl;
        pl_netlist_init(&nl);
        double t0 = now_ms();
        if (read_shared(sd, shared, &nl) == 0) {
            double read_ms = now_ms() - t0;
            rc |= time_render(sd->name, &nl, NULL, PL_RENDER_OVERLAY_NONE, read_ms);
            if (!strcmp(sd->name, "ct_ariane133")) rc |= density_case(sd->name, &nl, read_ms);
            if (!strcmp(sd->name, "asap7_ariane133")) { /* each reference placement on the same netlist */
                static const char *const REFS[] = {"CT_AC",  "CT_AC_DP",    "CT_Ours", "CT_Scratch",
                                                   "Human", "Innovus_CMP", "RePlAce", "SA"};
                for (int r = 0; r < 8; r++) {
                    char name[128];
                    snprintf(name, sizeof name, "asap7_ariane133/%s", REFS[r]);
                    snprintf(path, sizeof path, "%s/designs/asap7_ariane133/refs/%s/ariane_fp_placed_macros.def",
                             shared, REFS[r]);
                    if (access(path, R_OK) != 0) {
                        printf("bench render design=%s skipped=absent\n", name);
                        continue;
                    }
                    pl_def_placement_stats st;
                    double t1 = now_ms();
                    if (pl_def_placement_apply(&nl, path, &st) != PL_OK) {
                        fprintf(stderr, "bench render: %s\n", pl_errmsg());
                        rc = 1;
                        continue;
                    }
                    rc |= time_render(name, &nl, NULL, PL_RENDER_OVERLAY_NONE, now_ms() - t1);
                }
            }
        } else {
            rc = 1;
        }
        pl_netlist_free(&nl);
    }
    /* the clustered Circuit Training netlist with soft macros */
    char pb[1024], plc[1024];
    snprintf(pb, sizeof pb, "%s/designs/ct_ng45_ariane133/netlist.pb.txt.gz", shared);
    snprintf(plc, sizeof plc, "%s/designs/ct_ng45_ariane133/legalized.plc", shared);
    if (access(pb, R_OK) != 0 || access(plc, R_OK) != 0) {
        printf("bench render design=ct_ng45_ariane133 skipped=absent\n");
    } else {
        pl_netlist nl;
        pl_netlist_init(&nl);
        pl_plc_header h;
        pl_plc_header_init(&h);
        double t0 = now_ms();
        if (pl_ctpb_read(&nl, pb) == PL_OK && pl_plc_read(plc, &h, &nl) == PL_OK) {
            double read_ms = now_ms() - t0;
            pl_rect die = {0, 0, h.width, h.height};
            nl.die = die;
            nl.has_die = 1;
            rc |= time_render("ct_ng45_ariane133", &nl, NULL, PL_RENDER_OVERLAY_NONE, read_ms);
            rc |= time_render("ct_ng45_ariane133", &nl, NULL, PL_RENDER_OVERLAY_NETS, read_ms);
        } else {
            fprintf(stderr, "bench render: %s\n", pl_errmsg());
            rc = 1;
        }
        pl_plc_header_free(&h);
        pl_netlist_free(&nl);
    }
    return rc;
}
