/* report.c: the report pieces shared by the commands; see report.h. */
#include "placer/report.h"

json_object *pl_report_full_json(const pl_full_stats *fs)
{
    json_object *f = json_object_new_object(), *g;
    json_object_object_add(f, "cells", json_object_new_int64(fs->gplace.movable));
    json_object_object_add(f, "hpwl_um", pl_json_fixed(fs->hpwl, "%.3f"));
    json_object_object_add(f, "hpwl_dbu", pl_json_fixed(fs->hpwl * fs->dbu_per_micron, "%.0f"));
    json_object_object_add(f, "global_hpwl_um", pl_json_fixed(fs->hpwl_global, "%.3f"));
    json_object_object_add(f, "legalized", json_object_new_boolean(fs->legalized));
    json_object_object_add(f, "global", g = json_object_new_object());
    json_object_object_add(g, "iterations", json_object_new_int(fs->gplace.iters));
    json_object_object_add(g, "overflow", pl_json_fixed(fs->gplace.overflow, "%.6f"));
    json_object_object_add(g, "bins", json_object_new_int(fs->gplace.bins_x));
    if (fs->legalized) {
        json_object_object_add(f, "legal", g = json_object_new_object());
        json_object_object_add(g, "moved", json_object_new_int64(fs->legal.moved));
        json_object_object_add(g, "total_displacement_um", pl_json_fixed(fs->legal.total_disp, "%.3f"));
        json_object_object_add(g, "max_displacement_um", pl_json_fixed(fs->legal.max_disp, "%.3f"));
        json_object_object_add(g, "violations", json_object_new_int(fs->violations));
    }
    const pl_route_stats *r = &fs->route;
    if (!fs->routed) {
        json_object_object_add(f, "route", NULL);
        return f;
    }
    json_object_object_add(f, "route", g = json_object_new_object());
    json_object_object_add(g, "gcells", json_object_new_int(r->cols * r->rows));
    json_object_object_add(g, "cols", json_object_new_int(r->cols));
    json_object_object_add(g, "rows", json_object_new_int(r->rows));
    json_object_object_add(g, "wirelength_um", pl_json_fixed(r->wirelength, "%.3f"));
    json_object_object_add(g, "total_overflow", pl_json_fixed(r->total_overflow, "%.1f"));
    json_object_object_add(g, "max_overflow", pl_json_fixed(r->max_overflow, "%.1f"));
    json_object_object_add(g, "h_over_pct", pl_json_fixed(r->h_over_pct, "%.3f"));
    json_object_object_add(g, "v_over_pct", pl_json_fixed(r->v_over_pct, "%.3f"));
    json_object_object_add(g, "top1_ratio", pl_json_fixed(r->top1_ratio, "%.6f"));
    json_object_object_add(g, "top5_ratio", pl_json_fixed(r->top5_ratio, "%.6f"));
    json_object_object_add(g, "rudy_peak", pl_json_fixed(r->rudy_peak, "%.6f"));
    json_object_object_add(g, "rudy_top1", pl_json_fixed(r->rudy_top1, "%.6f"));
    return f;
}

void pl_report_full_print(FILE *out, const pl_full_stats *fs, int label_width)
{
    int w = label_width;
    fprintf(out, "%-*s %.3f um (%.0f DBU), %s; after global placement %.3f um\n", w, "full hpwl", fs->hpwl,
            fs->hpwl * fs->dbu_per_micron, fs->legalized ? "legal" : "global", fs->hpwl_global);
    fprintf(out, "%-*s %lld cells, %d iterations, overflow %.4f, %.1f s\n", w, "global place",
            (long long)fs->gplace.movable, fs->gplace.iters, fs->gplace.overflow, fs->gplace.seconds);
    if (fs->legalized)
        fprintf(out, "%-*s %lld moved, max %.3f um, %d violations, %.1f s\n", w, "legalise",
                (long long)fs->legal.moved, fs->legal.max_disp, fs->violations, fs->legal.seconds);
    const pl_route_stats *r = &fs->route;
    if (!fs->routed) {
        fprintf(out, "%-*s not estimated (no routing layers: a Bookshelf design)\n", w, "routability");
        return;
    }
    fprintf(out, "%-*s %dx%d GCells: overflow %.0f tracks (max %.0f), over capacity H %.2f %% V %.2f %%, "
            "top 1 %% %.3f, top 5 %% %.3f, RUDY peak %.3f, %.1f s\n", w, "routability", r->cols, r->rows,
            r->total_overflow, r->max_overflow, r->h_over_pct, r->v_over_pct, r->top1_ratio, r->top5_ratio,
            r->rudy_peak, r->seconds);
}
