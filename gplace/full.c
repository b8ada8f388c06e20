/* full.c: the full-design evaluation; see full.h. */
#include "gplace/full.h"

#include <math.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "cost/hpwl.h"

void pl_full_config_default(pl_full_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    pl_gplace_config_default(&cfg->gplace);
    cfg->legalize = 1;
    cfg->route_estimate = 1;
    pl_cell_legal_config_default(&cfg->legal);
    pl_route_config_default(&cfg->route);
}

pl_status pl_full_eval(pl_netlist *nl, const pl_full_config *cfg, pl_full_stats *st, pl_route_maps *maps)
{
    memset(st, 0, sizeof *st);
    double t0 = pl_clock_seconds();
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind == PL_NODE_MACRO && n->state == PL_PLACE_UNPLACED)
            return pl_err(PL_EINVAL, "full evaluation: macro '%s' is unplaced; give a placement of every macro",
                          n->name);
    }
    st->dbu_per_micron = nl->dbu_per_micron;
    PL_TRY(pl_gplace_run(nl, &cfg->gplace, &st->gplace));
    st->hpwl_global = st->hpwl = pl_hpwl(nl);
    pl_info("full", "global placement: %lld cells, %d iterations, overflow %.3f, HPWL %.1f um, %.1f s",
            (long long)st->gplace.movable, st->gplace.iters, st->gplace.overflow, st->hpwl_global,
            st->gplace.seconds);
    if (cfg->legalize) {
        PL_TRY(pl_cell_legalize(nl, &cfg->legal, &st->legal));
        st->legalized = 1;
        char msg[256];
        st->violations = pl_cell_legal_check(nl, msg, sizeof msg);
        if (st->violations) pl_warn("full", "%d violations after legalisation; first: %s", st->violations, msg);
        st->hpwl = pl_hpwl(nl);
        pl_info("full", "legalisation: %lld cells moved, max %.3f um, HPWL %.1f um, %.1f s", (long long)st->legal.moved,
                st->legal.max_disp, st->hpwl, st->legal.seconds);
    }
    if (cfg->route_estimate) {
        PL_TRY(pl_route_estimate(nl, &cfg->route, &st->route, maps));
        st->routed = 1;
    }
    st->seconds = pl_clock_seconds() - t0;
    if (!st->routed) return PL_OK;
    pl_info("full", "routability: %dx%d GCells, overflow %.0f tracks (max %.0f), %.1f s", st->route.cols, st->route.rows,
            st->route.total_overflow, st->route.max_overflow, st->route.seconds);
    if (st->route.cols > 0 && st->route.rows > 0)
        st->gcell_um = 0.5 * ((nl->die.x1 - nl->die.x0) / st->route.cols + (nl->die.y1 - nl->die.y0) / st->route.rows);
    return PL_OK;
}

/* The last bound index b with bounds[b] <= v (0 .. n - 1). */
static int bound_of(const double *bounds, int n, double v)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (bounds[mid] <= v) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

void pl_full_cell_map(const pl_netlist *nl, const pl_route_maps *m, double *out)
{
    int C = m->cols, R = m->rows;
    for (int q = 0; q < C * R; q++) out[q] = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_STDCELL || n->state == PL_PLACE_UNPLACED) continue;
        double x0 = n->x, y0 = n->y, x1 = x0 + pl_node_width(n), y1 = y0 + pl_node_height(n);
        int k0 = bound_of(m->xs, C, x0), k1 = bound_of(m->xs, C, x1);
        int r0 = bound_of(m->ys, R, y0), r1 = bound_of(m->ys, R, y1);
        for (int r = r0; r <= r1; r++) {
            double oy = fmin(y1, m->ys[r + 1]) - fmax(y0, m->ys[r]);
            if (oy <= 0) continue;
            for (int k = k0; k <= k1; k++) {
                double ox = fmin(x1, m->xs[k + 1]) - fmax(x0, m->xs[k]);
                if (ox > 0) out[r * C + k] += ox * oy;
            }
        }
    }
    for (int r = 0; r < R; r++)
        for (int k = 0; k < C; k++) {
            double a = (m->xs[k + 1] - m->xs[k]) * (m->ys[r + 1] - m->ys[r]);
            out[r * C + k] = a > 0 ? out[r * C + k] / a : 0;
        }
}

double pl_full_score(const pl_full_stats *st, double lambda)
{
    return st->hpwl + lambda * st->route.total_overflow * st->gcell_um;
}
