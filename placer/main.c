/* main.c: the `placer` command line. The only place that prints errors and exits. */
#include <stdio.h>
#include <string.h>

#include "placer/commands.h"
#include "placer/options.h"
#include "core/log.h"
#include "core/status.h"

typedef struct command {
    const char *name;
    pl_status (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command COMMANDS[] = {
    {"place", pl_cmd_place, "place the macros of a DEF design (also: placer DESIGN.def)"},
    {"info", pl_cmd_info, "read a design and print its figures (--json for scripts)"},
    {"eval", pl_cmd_eval, "compute the Circuit Training proxy cost of a placement"},
    {"cluster", pl_cmd_cluster, "cluster standard cells into soft macros; write a Circuit Training netlist"},
    {"render", pl_cmd_render, "draw a floorplan image (PNG, SVG or PDF) with optional heatmaps"},
    {"plot", pl_cmd_plot, "draw training curves from a JSON-lines training log"},
    {"train", pl_cmd_train, "train the placement policy with PPO (mpirun for distributed rollouts)"},
    {"gen", pl_cmd_gen, "write a synthetic LEF/DEF design, deterministic for a seed"},
};
enum { NCOMMANDS = sizeof COMMANDS / sizeof COMMANDS[0] };

static void usage(FILE *out)
{
    fprintf(out,
            "placer: reinforcement-learning chip macro placer\n\n"
            "usage: placer [-q|-v] COMMAND [options]\n\n"
            "commands:\n");
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out, "  %-8s %s\n", "help", "this text, or `placer help COMMAND`: a command's options (as COMMAND --help)");
    fprintf(out,
            "\nglobal options:\n"
            "  -q, --quiet    errors only\n"
            "  -v, --verbose  progress and details (twice: debug)\n"
            "  -h, --help     this text; `placer help COMMAND` or `placer COMMAND --help` for a command's options\n"
            "  --version      print the version\n\n"
            "Inputs: DEF/LEF (.gz read transparently), Bookshelf (.aux), Circuit Training netlists (.pb.txt). Licence: GPL-3.0-or-later.\n");
}

/* `placer DESIGN.def ...` (or DESIGN.aux) means `placer place DESIGN.def ...`. */
static int is_design_path(const char *s)
{
    size_t n = strlen(s);
    return (n > 4 && !strcmp(s + n - 4, ".def")) || (n > 7 && !strcmp(s + n - 7, ".def.gz")) ||
           (n > 4 && !strcmp(s + n - 4, ".aux"));
}

/* The command named name, or NULL. */
static const command *find_command(const char *name)
{
    for (int c = 0; c < NCOMMANDS; c++)
        if (!strcmp(name, COMMANDS[c].name)) return &COMMANDS[c];
    return NULL;
}

/* "unknown command 'plcae'; did you mean place? (see placer --help)", exit 2. */
static int unknown_command(const char *name)
{
    const char *names[NCOMMANDS + 1];
    for (int c = 0; c < NCOMMANDS; c++) names[c] = COMMANDS[c].name;
    names[NCOMMANDS] = "help";
    const char *near = pl_opts_closest(name, names, NCOMMANDS + 1);
    if (near) fprintf(stderr, "placer: error: unknown command '%s'; did you mean %s? (see placer --help)\n", name, near);
    else fprintf(stderr, "placer: error: unknown command '%s' (see placer --help)\n", name);
    return 2;
}

int main(int argc, char **argv)
{
    int i = 1;
    pl_log_level level = PL_LOG_WARN;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) level = PL_LOG_QUIET;
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) level = level < PL_LOG_INFO ? PL_LOG_INFO : PL_LOG_DEBUG;
        else if (!strcmp(a, "-vv")) level = PL_LOG_DEBUG;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("placer 0.1.0\n");
            return 0;
        } else {
            fprintf(stderr, "placer: error: unknown option '%s' (see placer --help)\n", a);
            return 2;
        }
    }
    pl_log_set_level(level);
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    char *implicit_place[argc + 2];
    if (is_design_path(argv[i])) {
        implicit_place[0] = "place";
        for (int k = i; k < argc; k++) implicit_place[k - i + 1] = argv[k];
        implicit_place[argc - i + 1] = NULL;
        argc = argc - i + 1;
        argv = implicit_place;
        i = 0;
    }
    char *help_argv[3];
    if (!strcmp(argv[i], "help")) { /* `placer help [COMMAND]`: `placer COMMAND --help` */
        if (i + 1 >= argc) {
            usage(stdout);
            return 0;
        }
        if (i + 2 < argc) {
            fprintf(stderr, "placer: error: help: one COMMAND at a time, not '%s' (see placer --help)\n", argv[i + 2]);
            return 2;
        }
        if (!find_command(argv[i + 1])) return unknown_command(argv[i + 1]);
        help_argv[0] = argv[i + 1], help_argv[1] = "--help", help_argv[2] = NULL;
        argc = 2, argv = help_argv, i = 0;
    }
    for (int c = 0; c < NCOMMANDS; c++) {
        if (strcmp(argv[i], COMMANDS[c].name) != 0) continue;
        pl_status s = COMMANDS[c].run(argc - i, argv + i);
        if (s != PL_OK) {
            const char *msg = pl_errmsg();
            fprintf(stderr, "placer: error: %s\n", msg[0] ? msg : pl_status_str(s));
            return s == PL_EINVAL ? 2 : 1;
        }
        if (fflush(stdout) != 0) {
            fprintf(stderr, "placer: error: cannot write to standard output\n");
            return 1;
        }
        return 0;
    }
    return unknown_command(argv[i]);
}
