/* cmd_gen.c: `placer gen`, the command line over placer/gen.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "placer/commands.h"
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

static pl_status parse_i32(const char *opt, const char *v, int32_t *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < INT32_MIN || x > INT32_MAX)
        return pl_err(PL_EINVAL, "gen: %s expects an integer, got '%s'", opt, v);
    *out = (int32_t)x;
    return PL_OK;
}

static pl_status parse_u64(const char *opt, const char *v, uint64_t *out)
{
    char *end;
    errno = 0;
    if (v[0] == '-' || v[0] == '\0') return pl_err(PL_EINVAL, "gen: %s expects an unsigned integer, got '%s'", opt, v);
    unsigned long long x = strtoull(v, &end, 0);
    if (errno || *end) return pl_err(PL_EINVAL, "gen: %s expects an unsigned integer, got '%s'", opt, v);
    *out = (uint64_t)x;
    return PL_OK;
}

static pl_status parse_f64(const char *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end) return pl_err(PL_EINVAL, "gen: %s expects a number, got '%s'", opt, v);
    *out = x;
    return PL_OK;
}

pl_status pl_cmd_gen(int argc, char **argv)
{
    pl_gen_config cfg = pl_gen_config_default();
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return PL_OK;
        }
        /* every other option takes a value: "--opt V" or "--opt=V" */
        const char *v = NULL;
        char opt[32];
        const char *eq = strchr(a, '=');
        if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < sizeof opt) {
            memcpy(opt, a, (size_t)(eq - a));
            opt[eq - a] = '\0';
            v = eq + 1;
        } else {
            snprintf(opt, sizeof opt, "%s", a);
        }
        int known = !strcmp(opt, "-o") || !strcmp(opt, "--out") || !strcmp(opt, "--macros") ||
                    !strcmp(opt, "--cells") || !strcmp(opt, "--ios") || !strcmp(opt, "--seed") ||
                    !strcmp(opt, "--name") || !strcmp(opt, "--utilization") ||
                    !strcmp(opt, "--macro-ratio");
        if (!known) {
            if (a[0] == '-') return pl_err(PL_EINVAL, "gen: unknown option '%s' (see placer gen --help)", a);
            return pl_err(PL_EINVAL, "gen: unexpected argument '%s' (the folder goes after -o)", a);
        }
        if (!v) {
            if (i + 1 >= argc) return pl_err(PL_EINVAL, "gen: %s needs a value", opt);
            v = argv[++i];
        }
        if (!strcmp(opt, "-o") || !strcmp(opt, "--out")) {
            if (!v[0]) return pl_err(PL_EINVAL, "gen: %s needs a folder", opt);
            dir = v;
        } else if (!strcmp(opt, "--macros")) PL_TRY(parse_i32(opt, v, &cfg.macros));
        else if (!strcmp(opt, "--cells")) PL_TRY(parse_i32(opt, v, &cfg.cells));
        else if (!strcmp(opt, "--ios")) PL_TRY(parse_i32(opt, v, &cfg.ios));
        else if (!strcmp(opt, "--seed")) PL_TRY(parse_u64(opt, v, &cfg.seed));
        else if (!strcmp(opt, "--name")) cfg.name = v;
        else if (!strcmp(opt, "--utilization")) PL_TRY(parse_f64(opt, v, &cfg.utilization));
        else PL_TRY(parse_f64(opt, v, &cfg.macro_area_ratio));
    }
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
