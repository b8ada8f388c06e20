/* bench_route.c: the routability estimate (cost/route.h) on the shared asap7_ariane133, macros where
 * refs/SA/ariane_fp_placed_macros.def puts them. Prints one line:
 *   bench route design=asap7_ariane133 cells=approx nets=N gcells=CxR runs=R median_s=S overflow=O ...
 * The cells are not globally placed (this bench stays off gplace/): from the core's centre, 30 Jacobi
 * sweeps move each cell to the mean of the other pins of its nets of at most 64 pins (macro and IO
 * pins where they are), a star-model quadratic placement; then each axis is spread by rank evenly
 * over the core, plus seeded jitter (σ 0.5 % of the core): cells=approx. The DEF read and this
 * set-up are not timed. A missing design prints skipped=absent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "cost/route.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "tests/bench/benchutil.h"
#include "tests/shared_designs.h"

enum { MAX_NET = 64, SWEEPS = 30, RUNS = 3 };

typedef struct keyed {
    double key;
    int32_t node;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

/* Places every standard cell as the header says. */
static void approx_cells(pl_netlist *nl, uint64_t seed)
{
    int64_t N = nl->nnodes;
    double *px = malloc((size_t)N * sizeof *px), *py = malloc((size_t)N * sizeof *py);
    double *sx = malloc((size_t)N * sizeof *sx), *sy = malloc((size_t)N * sizeof *sy);
    int64_t *cnt = malloc((size_t)N * sizeof *cnt);
    keyed *k = malloc((size_t)N * sizeof *k);
    if (!px || !py || !sx || !sy || !cnt || !k) {
        fprintf(stderr, "bench_route: out of memory\n");
        exit(1);
    }
    pl_rect core;
    if (!pl_netlist_rows_bbox(nl, &core)) core = nl->die;
    double W = core.x1 - core.x0, H = core.y1 - core.y0;
    pl_rng rng;
    pl_rng_seed(&rng, seed);
    for (int64_t v = 0; v < N; v++) {
        pl_node *nd = &nl->nodes[v];
        pl_node_center(nd, &px[v], &py[v]);
        if (nd->kind == PL_NODE_STDCELL)
            px[v] = core.x0 + W * (0.5 + 0.01 * pl_rng_normal(&rng)),
            py[v] = core.y0 + H * (0.5 + 0.01 * pl_rng_normal(&rng));
    }
    /* Jacobi sweeps: every cell to the mean of the other pins of its nets (fixed pins where they are) */
    for (int it = 0; it < SWEEPS; it++) {
        memset(cnt, 0, (size_t)N * sizeof *cnt);
        memset(sx, 0, (size_t)N * sizeof *sx);
        memset(sy, 0, (size_t)N * sizeof *sy);
        for (int64_t n = 0; n < nl->nnets; n++) {
            int64_t b = nl->net_pin_off[n], e = nl->net_pin_off[n + 1];
            if (e - b < 2 || e - b > MAX_NET) continue;
            double tx = 0, ty = 0;
            for (int64_t i = b; i < e; i++) {
                int32_t u = nl->pins[nl->net_pins[i]].node;
                double x = px[u], y = py[u];
                if (nl->nodes[u].kind != PL_NODE_STDCELL) pl_pin_position(nl, nl->net_pins[i], &x, &y);
                tx += x, ty += y;
            }
            for (int64_t i = b; i < e; i++) {
                int32_t u = nl->pins[nl->net_pins[i]].node;
                if (nl->nodes[u].kind != PL_NODE_STDCELL) continue;
                double m = (double)(e - b - 1);
                sx[u] += (tx - px[u]) / m, sy[u] += (ty - py[u]) / m, cnt[u]++;
            }
        }
        for (int64_t v = 0; v < N; v++)
            if (nl->nodes[v].kind == PL_NODE_STDCELL && cnt[v] > 0) px[v] = sx[v] / cnt[v], py[v] = sy[v] / cnt[v];
    }
    /* spread: each axis by rank over the core, plus jitter */
    int64_t m = 0;
    for (int64_t v = 0; v < N; v++)
        if (nl->nodes[v].kind == PL_NODE_STDCELL) k[m++] = (keyed){px[v], (int32_t)v};
    qsort(k, (size_t)m, sizeof *k, cmp_keyed);
    for (int64_t i = 0; i < m; i++) px[k[i].node] = core.x0 + W * ((double)i + 0.5) / (double)m;
    for (int64_t i = 0; i < m; i++) k[i] = (keyed){py[k[i].node], k[i].node};
    qsort(k, (size_t)m, sizeof *k, cmp_keyed);
    for (int64_t i = 0; i < m; i++) py[k[i].node] = core.y0 + H * ((double)i + 0.5) / (double)m;
    for (int64_t v = 0; v < N; v++) {
        pl_node *nd = &nl->nodes[v];
        if (nd->kind != PL_NODE_STDCELL) continue;
        double w = pl_node_width(nd), h = pl_node_height(nd);
        nd->x = fmin(fmax(px[v] - 0.5 * w + 0.005 * W * pl_rng_normal(&rng), core.x0), core.x1 - w);
        nd->y = fmin(fmax(py[v] - 0.5 * h + 0.005 * H * pl_rng_normal(&rng), core.y0), core.y1 - h);
        nd->state = PL_PLACE_PLACED;
    }
    free(px);
    free(py);
    free(sx);
    free(sy);
    free(cnt);
    free(k);
}

int main(void)
{
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    const pl_shared_design *sd = &PL_SHARED_DESIGNS[2];
    char def[1024], ref[1024], lefbuf[6][1024];
    const char *lefs[6];
    int nlef = 0;
    snprintf(def, sizeof def, "%s/%s", shared, sd->def);
    snprintf(ref, sizeof ref, "%s/designs/asap7_ariane133/refs/SA/ariane_fp_placed_macros.def", shared);
    for (; sd->lefs[nlef]; nlef++) {
        snprintf(lefbuf[nlef], sizeof lefbuf[nlef], "%s/%s", shared, sd->lefs[nlef]);
        lefs[nlef] = lefbuf[nlef];
    }
    pl_netlist nl;
    pl_netlist_init(&nl);
    pl_def_placement_stats ps;
    if (pl_design_read(&nl, def, lefs, nlef) != PL_OK || pl_def_placement_apply(&nl, ref, &ps) != PL_OK) {
        printf("bench route design=%s skipped=absent\n", sd->name);
        pl_netlist_free(&nl);
        return 0;
    }
    approx_cells(&nl, 1);
    pl_route_config cfg;
    pl_route_config_default(&cfg);
    pl_route_stats st;
    double ts[RUNS];
    for (int r = 0; r < RUNS; r++) {
        if (pl_route_estimate(&nl, &cfg, &st, NULL) != PL_OK) {
            fprintf(stderr, "bench_route: %s\n", pl_errmsg());
            return 1;
        }
        ts[r] = st.seconds;
    }
    printf("bench route design=%s cells=approx nets=%lld gcells=%dx%d gcells_from=%s runs=%d median_s=%.3f "
           "overflow=%.0f max_overflow=%.1f h_over_pct=%.2f v_over_pct=%.2f top1=%.3f top5=%.3f rudy_peak=%.3f "
           "rudy_top1=%.3f segments=%lld wl_um=%.0f\n",
           sd->name, (long long)st.nets, st.cols, st.rows, st.gcells_from_def ? "def" : "tracks", RUNS,
           median(ts, RUNS), st.total_overflow, st.max_overflow, st.h_over_pct, st.v_over_pct, st.top1_ratio,
           st.top5_ratio, st.rudy_peak, st.rudy_top1, (long long)st.segments, st.wirelength);
    pl_netlist_free(&nl);
    return 0;
}
