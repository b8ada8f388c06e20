/* cmd_plot.c: `placer plot LOG -o OUT.png|.svg|.pdf`: training curves from a JSON-lines log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "placer/commands.h"
#include "placer/options.h"
#include "core/log.h"
#include "core/tmpfile.h"
#include "viz/plot.h"
#include "viz/surface.h"
#include "viz/trainlog.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer plot LOG -o OUT.png|OUT.svg|OUT.pdf [--size PIXELS] [--title TEXT]\n\n"
            "Draws training curves from LOG, a JSON-lines file (one JSON object per line, .gz too),\n"
            "for example:\n"
            "  {\"iteration\": 3, \"reward_mean\": -1.02, \"reward_best\": -0.93,\n"
            "   \"wirelength_cost\": 0.11, \"density_cost\": 0.82, \"congestion_cost\": 0.95}\n"
            "Keys starting with \"reward\" go in the upper panel, keys ending in \"_cost\" (proxy_cost\n"
            "too) in the lower one, against \"iteration\" (the line's record number when absent).\n"
            "null or a missing key leaves a gap; other keys are ignored.\n\n"
            "options:\n"
            "  -o, --output FILE   the image (.png, .svg or .pdf); required\n"
            "  --size PIXELS       width (height is 2/3 of it); default 1200, 300 to 16384\n"
            "  --title TEXT        title (default: the log's file name)\n"
            "  -h, --help          this text\n");
}

pl_status pl_cmd_plot(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *title = NULL;
    int size = 1200, help;
    const pl_opt table[] = {
        {PL_OPT_STRING("output", 'o', &out)},
        {PL_OPT_INT("size", 0, &size, 300, 16384)},
        {PL_OPT_STRING("title", 0, &title)},
        {0},
    };
    pl_opt_pos pos = {&in, 1, 0, "one LOG only"};
    PL_TRY(pl_opts_parse("plot", table, argc, argv, &pos, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    if (!in) return pl_err(PL_EINVAL, "plot: no LOG given (see placer plot --help)");
    if (!out) return pl_err(PL_EINVAL, "plot: no output given: -o OUT.png|OUT.svg|OUT.pdf");
    pl_viz_format fmt;
    PL_TRY(pl_viz_format_from_path(out, &fmt));
    /* the input and the output known, before any work: the image never replaces the log */
    pl_outset os;
    pl_outset_init(&os, "plot");
    const char *st_out = NULL;
    pl_status s = pl_outset_input(&os, in, "the log");
    if (s == PL_OK) s = pl_outset_output(&os, out, "-o", &st_out);
    if (s != PL_OK) {
        pl_outset_free(&os);
        return s;
    }
    pl_trainlog log;
    pl_trainlog_init(&log);
    s = pl_trainlog_read(&log, in);
    if (s == PL_OK) {
        pl_plot_config cfg;
        pl_plot_config_default(&cfg);
        cfg.width = size;
        cfg.height = size * 2 / 3;
        const char *slash = strrchr(in, '/');
        cfg.title = title ? title : slash ? slash + 1 : in;
        s = pl_plot_file(&log, &cfg, st_out);
        if (s == PL_OK) s = pl_outset_commit(&os);
        if (s == PL_OK) printf("wrote %s (%d x %d, %lld records, %d columns)\n", out, cfg.width, cfg.height,
                               (long long)log.n, log.ncols);
    }
    pl_trainlog_free(&log);
    pl_outset_free(&os);
    return s;
}
