/* cmd_info.c: `placer info DESIGN [--lef FILE]... [--json]`: read a design, print its figures. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "parsers/def.h"
#include "placer/commands.h"
#include "core/json.h"
#include "core/log.h"
#include "core/netlist.h"

#define MAX_LEFS 64

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer info DESIGN.def[.gz] [--lef FILE]... [--json]\n\n"
            "Reads a LEF/DEF design and prints its figures: design name, units, die, rows, counts of\n"
            "components, macros (LEF CLASS BLOCK), standard cells (CLASS CORE), IO pins, nets and net\n"
            "pins, macro and std-cell area as a fraction of the die, placement status counts.\n\n"
            "  --lef FILE   a LEF file, technology first; repeat for several. Without --lef the\n"
            "               *.tlef and *.lef files beside the DEF are read, technology first.\n"
            "  --json       one JSON object on stdout instead of text\n");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void print_text(const pl_netlist *nl, const pl_netlist_stats *st, const char *path, double ms)
{
    const pl_rect *d = &nl->die;
    printf("design          %s\n", nl->design ? nl->design : "(unnamed)");
    printf("file            %s\n", path);
    printf("dbu per micron  %g\n", nl->dbu_per_micron);
    printf("die (um)        %g %g %g %g  (%g x %g)\n", d->x0, d->y0, d->x1, d->y1, d->x1 - d->x0, d->y1 - d->y0);
    printf("rows            %lld\n", (long long)nl->nrows);
    printf("components      %lld\n", (long long)st->components);
    printf("  macros        %lld\n", (long long)st->macros);
    printf("  std cells     %lld\n", (long long)st->std_cells);
    printf("  other         %lld\n", (long long)st->others);
    printf("io pins         %lld\n", (long long)st->io_pins);
    printf("nets            %lld\n", (long long)st->nets);
    printf("net pins        %lld\n", (long long)st->net_pins);
    printf("blockages       %lld\n", (long long)nl->nblockages);
    if (st->die_area > 0) {
        printf("macro area      %.1f %% of the die\n", 100.0 * st->macro_area / st->die_area);
        printf("std-cell area   %.1f %% of the die\n", 100.0 * st->std_cell_area / st->die_area);
    }
    printf("placement       %lld unplaced, %lld placed, %lld fixed, %lld cover\n", (long long)st->unplaced,
           (long long)st->placed, (long long)st->fixed, (long long)st->cover);
    printf("read in         %.0f ms, %.1f MB in memory\n", ms, (double)pl_netlist_memory(nl) / 1e6);
}

static void print_json(const pl_netlist *nl, const pl_netlist_stats *st, const char *path,
                       const char *const *lefs, int nlef, double ms)
{
    const pl_rect *d = &nl->die;
    double area = st->die_area > 0 ? st->die_area : 1;
    printf("{\"design\": ");
    pl_json_str(stdout, nl->design ? nl->design : "");
    printf(", \"def\": ");
    pl_json_str(stdout, path);
    printf(", \"lef\": [");
    for (int i = 0; i < nlef; i++) {
        if (i) printf(", ");
        pl_json_str(stdout, lefs[i]);
    }
    printf("], \"dbu_per_micron\": ");
    pl_json_num(stdout, nl->dbu_per_micron);
    printf(", \"die_um\": [");
    pl_json_num(stdout, d->x0);
    printf(", ");
    pl_json_num(stdout, d->y0);
    printf(", ");
    pl_json_num(stdout, d->x1);
    printf(", ");
    pl_json_num(stdout, d->y1);
    printf("], \"rows\": %lld, \"components\": %lld, \"macros\": %lld, \"std_cells\": %lld, \"others\": %lld",
           (long long)nl->nrows, (long long)st->components, (long long)st->macros, (long long)st->std_cells,
           (long long)st->others);
    printf(", \"io_pins\": %lld, \"nets\": %lld, \"net_pins\": %lld, \"blockages\": %lld",
           (long long)st->io_pins, (long long)st->nets, (long long)st->net_pins, (long long)nl->nblockages);
    printf(", \"macro_area_ratio\": ");
    pl_json_num(stdout, st->macro_area / area);
    printf(", \"std_cell_area_ratio\": ");
    pl_json_num(stdout, st->std_cell_area / area);
    printf(", \"unplaced\": %lld, \"placed\": %lld, \"fixed\": %lld, \"cover\": %lld", (long long)st->unplaced,
           (long long)st->placed, (long long)st->fixed, (long long)st->cover);
    printf(", \"read_ms\": %.1f, \"memory_mb\": %.1f}\n", ms, (double)pl_netlist_memory(nl) / 1e6);
}

pl_status pl_cmd_info(int argc, char **argv)
{
    const char *lefs[MAX_LEFS];
    int nlef = 0, json = 0;
    const char *def = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return PL_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--lef")) {
            if (i + 1 >= argc) return pl_err(PL_EINVAL, "--lef needs a file name");
            if (nlef == MAX_LEFS) return pl_err(PL_EINVAL, "too many --lef files (at most %d)", MAX_LEFS);
            lefs[nlef++] = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return pl_err(PL_EINVAL, "info: unknown option '%s' (see placer info --help)", a);
        } else if (!def) {
            def = a;
        } else {
            return pl_err(PL_EINVAL, "info: one design at a time ('%s' and '%s')", def, a);
        }
    }
    if (!def) return pl_err(PL_EINVAL, "info: no design given (see placer info --help)");
    char **found = NULL;
    int nfound = 0;
    if (nlef == 0) { /* the LEF files beside the DEF, so that the report can list them */
        PL_TRY(pl_def_find_lefs(def, &found, &nfound));
        for (int i = 0; i < nfound && nlef < MAX_LEFS; i++) lefs[nlef++] = found[i];
        if (nfound == 0) pl_warn("info", "no --lef given and no .tlef/.lef files beside %s", def);
    }
    pl_netlist nl;
    pl_netlist_init(&nl);
    double t0 = now_s();
    pl_status s = nlef > 0 ? pl_design_read(&nl, def, lefs, nlef) : pl_def_read(&nl, def);
    double ms = 1e3 * (now_s() - t0);
    if (s == PL_OK) {
        pl_netlist_stats st;
        pl_netlist_stats_compute(&nl, &st);
        if (json) print_json(&nl, &st, def, lefs, nlef, ms);
        else print_text(&nl, &st, def, ms);
    }
    pl_netlist_free(&nl);
    pl_def_free_lefs(found, nfound);
    return s;
}
