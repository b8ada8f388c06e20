/* cmd_gen.c: `placer gen`, the command line over placer/gen.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "placer/commands.h"
#include "placer/options.h"
#include "gen/gen.h"
#include "core/log.h"

static void usage(FILE *out)
{
    pl_gen_config d = pl_gen_config_default();
    fprintf(out,
            "usage: placer gen -o DIR [options]\n\n"
            "Writes a synthetic design into DIR (created if missing): NAME.tlef (technology),\n"
            "NAME_cells.lef (standard cells), NAME_macros.lef (SRAM-like blocks) and NAME.def\n"
            "(unplaced macros and cells, IO pins on the die edges, nets with spatial locality).\n"
            "The same options give byte-identical files.\n\n"
            "options:\n"
            "  -o, --out DIR          output folder (required)\n"
            "  --macros N             hard macros, 0..10000 (default %d)\n"
            "  --cells N              standard cells, 1..5000000 (default %d)\n"
            "  --ios N                IO pins, 0..100000; the first two are clk and rst_n (default %d)\n"
            "  --seed S               random seed, an unsigned 64-bit integer (default %" PRIu64 ")\n"
            "  --name NAME            design name and file stem (default %s)\n"
            "  --utilization U        (macro + cell area) / core area, 0.05..0.95 (default %g)\n"
            "  --macro-ratio R        total macro area / total cell area, 0..100 (default %g)\n"
            "  -h, --help             this text\n",
            d.macros, d.cells, d.ios, d.seed, d.name, d.utilization, d.macro_area_ratio);
}

pl_status pl_cmd_gen(int argc, char **argv)
{
    pl_gen_config cfg = pl_gen_config_default();
    const char *dir = NULL;
    int help;
    const pl_opt table[] = {
        {PL_OPT_STRING("out", 'o', &dir)},
        {PL_OPT_INT("macros", 0, &cfg.macros, -INFINITY, INFINITY)}, /* ranges: pl_gen_config_check */
        {PL_OPT_INT("cells", 0, &cfg.cells, -INFINITY, INFINITY)},
        {PL_OPT_INT("ios", 0, &cfg.ios, -INFINITY, INFINITY)},
        {PL_OPT_UINT64("seed", 0, &cfg.seed)},
        {PL_OPT_STRING("name", 0, &cfg.name)},
        {PL_OPT_DOUBLE("utilization", 0, &cfg.utilization, -INFINITY, INFINITY)},
        {PL_OPT_DOUBLE("macro-ratio", 0, &cfg.macro_area_ratio, -INFINITY, INFINITY)},
        {0},
    };
    pl_opt_pos pos = {NULL, 0, 0, "the folder goes after -o"};
    PL_TRY(pl_opts_parse("gen", table, argc, argv, &pos, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    if (dir && !dir[0]) return pl_err(PL_EINVAL, "gen: --out needs a folder");
    if (!dir) return pl_err(PL_EINVAL, "gen: no output folder: give -o DIR (see placer gen --help)");
    PL_TRY(pl_gen_config_check(&cfg));

    pl_info("gen", "design %s: %d macros, %d cells, %d IOs, seed %" PRIu64, cfg.name, cfg.macros,
            cfg.cells, cfg.ios, cfg.seed);
    pl_gen_report rep;
    PL_TRY(pl_gen_write(&cfg, dir, &rep));
    double dbu = (double)rep.dbu_per_micron;
    printf("%s/%s.def: %" PRId64 " macros (%" PRId64 " masters), %" PRId64 " cells, %" PRId64
           " IO pins, %" PRId64 " nets, %" PRId64 " net pins, die %.3f x %.3f um, seed %" PRIu64 "\n",
           dir, cfg.name, rep.macros, rep.macro_masters, rep.cells, rep.ios, rep.nets, rep.net_pins,
           rep.die_w_dbu / dbu, rep.die_h_dbu / dbu, cfg.seed);
    return PL_OK;
}
