/* cmd_info.c: `placer info DESIGN [--lef FILE]... [--json]`: read a LEF/DEF or Bookshelf design, print its
 * figures. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "parsers/bookshelf.h"
#include "parsers/def.h"
#include "placer/commands.h"
#include "placer/inputs.h"
#include "placer/options.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/netlist.h"

#define MAX_LEFS 64

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer info DESIGN.def[.gz] [--lef FILE]... [--lef-dir DIR] [--json]\n"
            "       placer info DESIGN.aux [--macros RULE] [--json]\n\n"
            "Reads a LEF/DEF or Bookshelf design and prints its figures: design name, units, die, rows,\n"
            "counts of components, macros (LEF CLASS BLOCK; for Bookshelf, by --macros), standard cells\n"
            "(CLASS CORE), IO pins (Bookshelf: terminals no larger than a row), nets and net pins, macro\n"
            "and std-cell area as a fraction of the die, placement status counts. A Bookshelf unit is\n"
            "reported as one micron.\n\n"
            "  --lef FILE   a LEF file, technology first; repeat for several. Without --lef the\n"
            "               *.tlef and *.lef files beside the DEF are read, technology first.\n"
            "  --lef-dir DIR  every *.tlef/*.lef in DIR, technology first (a .tlef, or a LEF with\n"
            "               LAYER/SITE and no MACRO), then by name; after --lef; repeat\n"
            PL_INPUTS_MACROS_HELP
            "  --json       one JSON object on stdout instead of text\n");
}

static double now_s(void)
{
    return pl_clock_seconds();
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

static pl_status print_json(const pl_netlist *nl, const pl_netlist_stats *st, const char *path,
                            const char *const *lefs, int nlef, double ms)
{
    const pl_rect *d = &nl->die;
    double area = st->die_area > 0 ? st->die_area : 1;
    json_object *o = json_object_new_object(), *lef = json_object_new_array(), *die = json_object_new_array();
    int aux = pl_bookshelf_is_aux(path);
    json_object_object_add(o, "design", pl_json_str(nl->design));
    json_object_object_add(o, "format", pl_json_str(aux ? "bookshelf" : "def"));
    json_object_object_add(o, aux ? "aux" : "def", pl_json_str(path));
    for (int i = 0; i < nlef; i++) json_object_array_add(lef, pl_json_str(lefs[i]));
    json_object_object_add(o, "lef", lef);
    json_object_object_add(o, "dbu_per_micron", pl_json_num(nl->dbu_per_micron));
    json_object_array_add(die, pl_json_num(d->x0));
    json_object_array_add(die, pl_json_num(d->y0));
    json_object_array_add(die, pl_json_num(d->x1));
    json_object_array_add(die, pl_json_num(d->y1));
    json_object_object_add(o, "die_um", die);
    json_object_object_add(o, "rows", json_object_new_int64(nl->nrows));
    json_object_object_add(o, "components", json_object_new_int64(st->components));
    json_object_object_add(o, "macros", json_object_new_int64(st->macros));
    json_object_object_add(o, "std_cells", json_object_new_int64(st->std_cells));
    json_object_object_add(o, "others", json_object_new_int64(st->others));
    json_object_object_add(o, "io_pins", json_object_new_int64(st->io_pins));
    json_object_object_add(o, "nets", json_object_new_int64(st->nets));
    json_object_object_add(o, "net_pins", json_object_new_int64(st->net_pins));
    json_object_object_add(o, "blockages", json_object_new_int64(nl->nblockages));
    json_object_object_add(o, "macro_area_ratio", pl_json_num(st->macro_area / area));
    json_object_object_add(o, "std_cell_area_ratio", pl_json_num(st->std_cell_area / area));
    json_object_object_add(o, "unplaced", json_object_new_int64(st->unplaced));
    json_object_object_add(o, "placed", json_object_new_int64(st->placed));
    json_object_object_add(o, "fixed", json_object_new_int64(st->fixed));
    json_object_object_add(o, "cover", json_object_new_int64(st->cover));
    json_object_object_add(o, "read_ms", pl_json_fixed(ms, "%.1f"));
    json_object_object_add(o, "memory_mb", pl_json_fixed((double)pl_netlist_memory(nl) / 1e6, "%.1f"));
    pl_status s = pl_json_write(stdout, o, PL_JSON_LINE);
    json_object_put(o);
    return s;
}

static pl_status report(const pl_netlist *nl, const char *path, const char *const *lefs, int nlef, double ms,
                        int json)
{
    pl_netlist_stats st;
    pl_netlist_stats_compute(nl, &st);
    if (json) return print_json(nl, &st, path, lefs, nlef, ms);
    print_text(nl, &st, path, ms);
    return PL_OK;
}

static pl_status info_bookshelf(const char *aux, const pl_bookshelf_options *bk, int json)
{
    pl_netlist nl;
    pl_netlist_init(&nl);
    double t0 = now_s();
    pl_status s = pl_bookshelf_read(&nl, aux, bk);
    if (s == PL_OK) s = report(&nl, aux, NULL, 0, 1e3 * (now_s() - t0), json);
    pl_netlist_free(&nl);
    return s;
}

pl_status pl_cmd_info(int argc, char **argv)
{
    const char *lefs[MAX_LEFS];
    int nlef = 0, json = 0, help;
    const char *def = NULL;
    pl_lef_extra lx;
    memset(&lx, 0, sizeof lx);
    pl_bookshelf_options bk;
    pl_bookshelf_options_default(&bk);
    const pl_opt table[] = {
        {PL_OPT_FLAG("json", 0, &json, 1)},
        PL_OPTS_MACROS(&bk),
        {PL_OPT_REPEAT("lef", 0, lefs, &nlef, MAX_LEFS)},
        PL_OPTS_LEF_DIR(&lx),
        {0},
    };
    pl_opt_pos pos = {&def, 1, 0, "one design at a time"};
    PL_TRY(pl_opts_parse("info", table, argc, argv, &pos, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    if (!def) return pl_err(PL_EINVAL, "info: no design given (see placer info --help)");
    if (pl_bookshelf_is_aux(def)) {
        if (nlef || lx.ndir) return pl_err(PL_EINVAL, "info: --lef and --lef-dir apply to DEF designs; %s is Bookshelf", def);
        return info_bookshelf(def, &bk, json);
    }
    pl_status s = pl_inputs_lefs(&lx, "info", lefs, &nlef, MAX_LEFS, NULL);
    if (s != PL_OK) {
        pl_inputs_lefs_free(&lx);
        return s;
    }
    char **found = NULL;
    int nfound = 0;
    if (nlef == 0) { /* the LEF files beside the DEF, so that the report can list them */
        if ((s = pl_def_find_lefs(def, &found, &nfound)) != PL_OK) {
            pl_inputs_lefs_free(&lx);
            return s;
        }
        for (int i = 0; i < nfound && nlef < MAX_LEFS; i++) lefs[nlef++] = found[i];
        if (nfound == 0) pl_warn("info", "no --lef given and no .tlef/.lef files beside %s", def);
    }
    pl_netlist nl;
    pl_netlist_init(&nl);
    double t0 = now_s();
    s = nlef > 0 ? pl_design_read(&nl, def, lefs, nlef) : pl_def_read(&nl, def);
    double ms = 1e3 * (now_s() - t0);
    if (s == PL_OK) s = report(&nl, def, lefs, nlef, ms, json);
    pl_netlist_free(&nl);
    pl_def_free_lefs(found, nfound);
    pl_inputs_lefs_free(&lx);
    return s;
}
