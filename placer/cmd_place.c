/* cmd_place.c: `placer place` (also `placer DESIGN.def`): place the macros of a DEF design. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parsers/def.h"
#include "parsers/tcl_write.h"
#include "placer/commands.h"
#include "placer/inputs.h"
#include "placer/options.h"
#include "placer/report.h"
#include "core/clock.h"
#include "core/events.h"
#include "core/json.h"
#include "core/log.h"
#include "core/netlist.h"
#include "core/tmpfile.h"
#include "search/legalize.h"
#include "cluster/problem.h"
#include "cost/hpwl.h"
#include "gplace/covered.h"
#include "gplace/full.h"
#include "search/place.h"
#include "search/policy_prior.h"
#include "viz/render.h"
#include "viz/surface.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer [place] DESIGN.def|DESIGN.aux [--lef FILE]... [--lef-dir DIR] [-o OUT.def|OUT.pl]\n"
            "              [--report OUT.json]\n"
            "              [--image OUT.png] [--policy none|uniform|FILE] [--seed N] [--effort fast|default|high]\n"
            "              [--time-limit SEC] [--device auto|cpu|cuda] [--threads N] [--cells unplace|keep|place]\n"
            "              [--referee proxy|mean|full] [--tcl OUT.tcl]\n\n"
            "Places the hard macros of a DEF design and writes the DEF back with the macros FIXED at\n"
            "legal positions (inside the core, on the site/row grid, no overlap, halos, fixed macros and\n"
            "placement blockages kept); the standard cells that a macro now covers are written UNPLACED\n"
            "(see --cells), everything else is left as it was.\n"
            "A Bookshelf design (DESIGN.aux) is placed the same way and its .pl written back with only the\n"
            "macros' lines changed (the hard macros chosen by --macros; no LEF: routing capacity is\n"
            "`placer eval`'s default; cells are kept as they were unless --cells place).\n\n"
            "Pipeline: the design is clustered and costed as `placer eval` does (same seed, same grid);\n"
            "search: sampled rollouts place the macros one by one on legal grid cells, drawing each cell\n"
            "from the prior, the best by proxy cost are re-costed after force-directed placement (FD) of\n"
            "the soft macros; refine: simulated annealing of the macros (shifts, swaps, flips) on the\n"
            "incremental proxy cost, one chain per start, the soft macros re-placed by FD after each\n"
            "round; then legalisation, and the proxy cost of the result as `placer eval OUT.def` reports it.\n\n"
            "options:\n"
            "  -o, --output FILE   output DEF (.gz: gzipped; default: DESIGN_placed.def in the current folder,\n"
            "                      DESIGN_placed.def.gz for a gzipped DESIGN), or .pl for a Bookshelf\n"
            "                      design (default DESIGN_placed.pl)\n"
            "  --lef FILE          LEF, technology first; repeat. Default: the *.tlef/*.lef beside the DEF\n"
            "  --lef-dir DIR       every *.tlef/*.lef in DIR, technology first (a .tlef, or a LEF with\n"
            "                      LAYER/SITE and no MACRO), then by name; after --lef; repeat\n"
            "  --report FILE       JSON report: proxy cost and components per stage, macro HPWL, times,\n"
            "                      seed, policy, grid, effort, the LEF files read (\"lefs\": eval and render\n"
            "                      take them back with --lef-from FILE), every macro's lower-left (um),\n"
            "                      orientation and displacement |dx| + |dy| (um) from the input DEF (null:\n"
            "                      it was unplaced), and \"macro_hpwl\": the papers' macro HPWL of the result\n"
            "                      (pins on hard macros only; the stages' macro_hpwl is the clustered one)\n"
            "  --json              print the report on stdout instead of the text summary\n"
            "  --cells M           the standard cells once the macros are placed. unplace (default): a PLACED\n"
            "                      cell whose footprint overlaps a hard macro's (halos not counted) is\n"
            "                      written UNPLACED, the rest as they were (count on stderr and in the\n"
            "                      report's \"cells\" object; FIXED cells are counted, never moved). keep:\n"
            "                      every cell as it was, even under a macro (a warning gives the count).\n"
            "                      place: every standard cell placed around the FIXED macros as `placer\n"
            "                      eval --full` does (global placement seeded by --seed, --threads,\n"
            "                      legalisation into rows and sites): the DEF gets every cell PLACED, the\n"
            "                      report a \"full\" object (full HPWL in um and DBU, legalisation, routability)\n"
            "  --place-cells       the same as --cells place\n"
            "  --tcl FILE          also write the macro placement as a Tcl script for OpenROAD (ORFS:\n"
            "                      MACRO_PLACEMENT_TCL): one `place_macro -macro_name {NAME} -location {X Y}\n"
            "                      -orientation O -exact -allow_overlap` per hard macro, X Y the lower-left\n"
            "                      corner in um, O the OpenDB orientation (N R0, S R180, FN MY, FS MX, W R90,\n"
            "                      E R270, FW MXR90, FE MYR90); OpenROAD then holds each macro LOCKED (FIXED)\n"
            "  --channel W|auto    minimum gap between hard macros, um (also --spacing); every start of\n"
            "                      the search is legalised to it, and the annealing and the final\n"
            "                      legaliser keep it. auto (the default): 20 routing pitches of the\n"
            "                      widest-pitched layer a macro blocks (the routing layers 2..4 of the\n"
            "                      technology LEF, as the proxy's macro blockage): 20 tracks free on each\n"
            "                      of them for the macros' pins and the routes between macros (asap7 0.96,\n"
            "                      NanGate45 5.6 um; 0 without routing layers, e.g. Bookshelf). --channel 0:\n"
            "                      macros may abut (what the proxy alone prefers: docs/flow.md). auto is\n"
            "                      narrowed, with a warning, to what the core can hold: the macros grown\n"
            "                      by the channel cover at most 75 %% of it, and halved again (to 0 at\n"
            "                      last) while no start of the search legalises; the report's channel_um\n"
            "                      is the channel kept\n"
            PL_INPUTS_MACROS_HELP
            "  --pl-fixed          Bookshelf: write /FIXED on every hard macro's line of the .pl\n"
            "  --halo X[,Y]        halo in um on the left/right (X) and bottom/top (Y) of every hard macro\n"
            "                      that has no HALO in the DEF (DEF halos win); none by default\n"
            "  --referee R         the final choice among the best candidates: proxy (default: the lowest\n"
            "                      proxy of one soft placement, as the search costs them), mean or full: the\n"
            "                      --referee-keep best by that proxy (each refinement chain's best, then the\n"
            "                      search's starts) are each legalised and measured, mean: by the mean proxy\n"
            "                      over the soft placements, the figure `placer eval` reports (about 6 s\n"
            "                      each for Ariane-size designs); full: as `placer eval --full` measures a\n"
            "                      placement (every cell placed and legalised, routing estimated; about 30 s\n"
            "                      each for 100k cells), the lowest full HPWL + lambda x overflow x GCell\n"
            "                      side wins. The report's \"referee\" object lists them\n"
            "  --referee-keep N    candidates the referee measures (default 4, at most 8)\n"
            "  --referee-lambda L  GCells of detour per track of overflow in the full score (default 2)\n"
            "  --image FILE        image of the result (PNG, SVG or PDF; needs Cairo)\n"
            "  --policy P          the search's prior. FILE = a trained policy checkpoint (`placer train`):\n"
            "                      a cell's weight is the policy's probability times the wire-mask term\n"
            "                      below (see --policy-wire). Default: the policy shipped with placer\n"
            "                      (policies/default.ckpt, installed in PREFIX/share/placer/), or 'none'\n"
            "                      with a note when it is missing. 'none' = the wire-mask prior alone (a\n"
            "                      cell's weight falls with the HPWL its macro adds there, WireMask-BBO's\n"
            "                      greedy signal; rollout 0 is its greedy placement); 'uniform' = uniform\n"
            "                      over the legal cells, same search\n"
            "  --policy-wire W     with a policy FILE: weight = p x exp(-W (cost - min) / (T spread)), cost\n"
            "                      a cell's wire growth (plus the edge term below), spread the mean wire\n"
            "                      growth above the min; 0 = the policy alone (default 1)\n"
            "  --edge-weight B     pull half the rollouts' macros toward the sides of the core: in the odd\n"
            "                      rollouts (rollout 1 greedy) a cell's cost (above, and the wire-mask\n"
            "                      prior's) is its wire growth plus B x spread x the distance from the macro\n"
            "                      to the nearest side over half the core's smaller side; the even ones keep\n"
            "                      the wire alone; half of --keep from each, and the search keeps the\n"
            "                      better starts (default 0: none; 4 measured best at 30 s, docs/training.md)\n"
            "  --online G          learn while placing: the rollouts run in G generations (2..64); after\n"
            "                      each, a preference over cells per macro moves toward the cells the best\n"
            "                      rollouts so far gave it (cross-entropy), and the next generation samples\n"
            "                      from the prior times it; the report's search.online gives the best\n"
            "                      quick cost after each generation and when (default 0: one batch; no\n"
            "                      gain measured at 30 s, docs/training.md)\n"
            "  --policy-mix M      with a policy FILE, which rollouts ask it: alternate (default: the even\n"
            "                      ones, rollout 0 its greedy one; the odd ones use the wire mask alone,\n"
            "                      rollout 1 its greedy one; the best of each half by quick cost are\n"
            "                      re-costed after FD, half of --keep each, and the search keeps the\n"
            "                      better starts of both) or all\n"
            "  --policy-rollouts K with a policy FILE: only the first K rollouts (rollout 0, the greedy one,\n"
            "                      first) ask the policy; the others use the wire mask alone, whose steps\n"
            "                      cost no network call (with --policy-eval state, about 40x cheaper on\n"
            "                      Ariane; with greedy, the same); replaces --policy-mix. 0 = the mix\n"
            "                      (default 0)\n"
            "  --policy-eval E     with a policy FILE, where its network runs: greedy (default: along the\n"
            "                      greedy rollout, run first and alone; the other rollouts reuse its\n"
            "                      probabilities step by step, their own state entering through the legal\n"
            "                      cells and the wire term: one network call per macro) or state (at every\n"
            "                      state of every rollout: one call per macro per rollout)\n"
            "  --seed N            the one seed: clustering and FD (as eval), rollouts, annealing (default 1)\n"
            "  --effort E          fast (about 30 s), default (about 5 min) or high (about 20 min) for an\n"
            "                      Ariane-size design; smaller designs finish sooner (budgets scale with\n"
            "                      the number of macros)\n"
            "  --time-limit SEC    override the effort's time limit; 0 = none: budgets are move counts and\n"
            "                      the result depends only on the inputs and the seed. With a time limit\n"
            "                      the result depends on the machine's speed.\n"
            "  --device D          where the policy's network runs: auto (default: CUDA when a GPU answers,\n"
            "                      else the CPU, with a note), cpu, or cuda (an error without a GPU); the\n"
            "                      search and the cost run on the CPU. The report's \"device\" says which ran\n"
            "  --threads N         worker threads for rollouts and refinement chains (default: CPUs, <= 16);\n"
            "                      results do not depend on it when there is no time limit\n"
            "tuning (override the effort's):\n"
            "  --rollouts N  --keep N  --chains N  --rounds N  --moves-per-macro N  --temperature T\n"
            "  --fd-start 0|1      1: the prepared (FD) macro positions compete as a start (default 1; 0\n"
            "                      with --chains 0 measures the rollouts alone)\n"
            "  --grid COLSxROWS    placement grid (default: Circuit Training's choice, as eval)\n"
            "  --soft-placer P     analytic (default) or ct: the soft-macro placement the cost uses (as eval)\n"
            "  --clusters N        soft macros wanted (as eval --clusters)\n"
            "  --soft-runs K       DEF, Bookshelf: the result's proxy is the mean over K placements of the\n"
            "                      soft macros (as eval --soft-runs; default 32); the search costs each\n"
            "                      candidate with one\n"
            "  --clustering C      physical (default) or leiden: the clustering the cost uses (as eval)\n"
            "  --congestion-grid G legacy (default) or 2023: the cost optimised, as eval's option\n"
            "  -h, --help          this text\n");
}

typedef struct place_opts {
    const char *design, *out, *report, *image, *policy;
    pl_gnn_device device; /* --device, as given (resolved with the policy) */
    const char *lefs[64];
    pl_lef_extra lx; /* --lef-dir */
    int nlef, json, threads, grid_cols, grid_rows, clusters, grid2023, soft_ct, physical;
    int soft_runs;                   /* --soft-runs K */
    unsigned long long seed;
    const char *effort;
    double time_limit;
    int have_time_limit;
    long rollouts, keep, chains, rounds;
    long long moves_per_macro;
    double temperature, policy_wire, edge_weight;
    int policy_rollouts, policy_eval;
    int policy_all, policy_mix_given; /* --policy-mix all (0: alternate) */
    int online; /* --online G (-1: the config's default) */
    int policy_given, fd_start;
    int place_cells; /* --place-cells: the same as --cells place */
    int cells, cells_given; /* --cells unplace|keep|place (CELLS_*) */
    const char *tcl;        /* --tcl FILE: the placement as place_macro commands (parsers/tcl_write.h) */
    int referee, referee_keep;       /* --referee proxy|full|mean (PL_PLACE_REFEREE_*), --referee-keep N (0: the
                                        default) */
    double referee_lambda;           /* --referee-lambda (< 0: the default) */
    double channel, halo[2];         /* --channel (-2 auto: from the LEF), --halo X[,Y] */
    int have_halo;
    pl_bookshelf_options bk;         /* --macros */
    int pl_fixed;                    /* --pl-fixed */
} place_opts;

enum { CELLS_UNPLACE = 0, CELLS_KEEP, CELLS_PLACE }; /* --cells, in the order of its words */
static const char *const cells_mode[] = {"unplace", "keep", "place"};

/* --channel W (µm, >= 0) or auto (-2: from the LEF) */
static int parse_channel(const char *v, void *dst)
{
    double *c = dst;
    if (!strcmp(v, "auto")) return *c = -2, 1;
    char *end;
    *c = strtod(v, &end);
    return end != v && *end == 0 && *c >= 0 && *c < 1e6;
}

/* --halo X or X,Y (µm, >= 0) */
static int parse_halo(const char *v, void *dst)
{
    double *h = dst;
    char *end;
    h[0] = strtod(v, &end);
    if (end == v || !(h[0] >= 0 && h[0] < 1e6)) return 0;
    if (*end == 0) return h[1] = h[0], 1;
    if (*end != ',') return 0;
    const char *y = end + 1;
    h[1] = strtod(y, &end);
    return end != y && *end == 0 && h[1] >= 0 && h[1] < 1e6;
}

static pl_status parse_args(int argc, char **argv, place_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->effort = "default";
    o->policy = "default";
    o->policy_wire = 1;
    o->fd_start = -1;
    o->device = PL_GNN_DEVICE_AUTO;
    o->physical = -1;
    o->rollouts = o->keep = o->chains = o->rounds = -1;
    o->moves_per_macro = -1;
    o->temperature = -1;
    o->edge_weight = -1;
    o->online = -1;
    o->referee_lambda = -1;
    o->channel = -2; /* auto */
    o->soft_runs = PL_SOFT_RUNS;
    const pl_opt table[] = {
        {PL_OPT_CUSTOM("channel", 0, &o->channel, parse_channel, "a width in um >= 0, or auto")},
        {PL_OPT_CUSTOM("spacing", 0, &o->channel, parse_channel, "a width in um >= 0, or auto")},
        {PL_OPT_CUSTOM("halo", 0, o->halo, parse_halo, "X or X,Y in um, >= 0"), .set = &o->have_halo},
        {PL_OPT_FLAG("json", 0, &o->json, 1)},
        PL_OPTS_MACROS(&o->bk),
        {PL_OPT_FLAG("pl-fixed", 0, &o->pl_fixed, 1)},
        {PL_OPT_FLAG("place-cells", 0, &o->place_cells, 1)},
        {PL_OPT_CHOICE("cells", 0, &o->cells, "unplace|keep|place"), .set = &o->cells_given},
        {PL_OPT_STRING("tcl", 0, &o->tcl)},
        {PL_OPT_STRING("output", 'o', &o->out)},
        {PL_OPT_REPEAT("lef", 0, o->lefs, &o->nlef, (int)(sizeof o->lefs / sizeof o->lefs[0]))},
        PL_OPTS_LEF_DIR(&o->lx),
        {PL_OPT_STRING("report", 0, &o->report)},
        {PL_OPT_STRING("image", 0, &o->image)},
        {PL_OPT_STRING("policy", 0, &o->policy), .set = &o->policy_given},
        PL_OPTS_DEVICE(&o->device),
        {PL_OPT_STRING("effort", 0, &o->effort)}, /* checked by pl_place_config_effort */
        {PL_OPT_UINT64("seed", 0, &o->seed)},
        {PL_OPT_DOUBLE("policy-wire", 0, &o->policy_wire, 0, 1e6)},
        {PL_OPT_INT("policy-rollouts", 0, &o->policy_rollouts, 0, 1e9)},
        {PL_OPT_CHOICE("policy-mix", 0, &o->policy_all, "alternate|all"), .set = &o->policy_mix_given},
        {PL_OPT_CHOICE("policy-eval", 0, &o->policy_eval, "greedy|state")},
        {PL_OPT_DOUBLE("time-limit", 0, &o->time_limit, 0, 1e9), .set = &o->have_time_limit},
        {PL_OPT_DOUBLE("temperature", 0, &o->temperature, 0, 1e9)},
        {PL_OPT_DOUBLE("edge-weight", 0, &o->edge_weight, 0, 1e3)},
        {PL_OPT_INT("online", 0, &o->online, 0, PL_PLACE_MAX_GENERATIONS)},
        {PL_OPT_INT("threads", 0, &o->threads, 1, 64)},
        {PL_OPT_INT("rollouts", 0, &o->rollouts, 0, 1000000)},
        {PL_OPT_INT("keep", 0, &o->keep, 1, 1000000)},
        {PL_OPT_INT("chains", 0, &o->chains, 0, 1000000)},
        {PL_OPT_INT("rounds", 0, &o->rounds, 1, 1000000)},
        {PL_OPT_INT("clusters", 0, &o->clusters, 1, 1000000)},
        {PL_OPT_INT("soft-runs", 0, &o->soft_runs, 1, 1024)},
        {PL_OPT_INT("fd-start", 0, &o->fd_start, 0, 1)},
        {PL_OPT_INT("moves-per-macro", 0, &o->moves_per_macro, 0, 1e12)},
        {PL_OPT_CHOICE("congestion-grid", 0, &o->grid2023, "legacy|2023")},
        {PL_OPT_CHOICE("soft-placer", 0, &o->soft_ct, "analytic|ct")},
        {PL_OPT_CHOICE("clustering", 0, &o->physical, "leiden|physical")},
        {PL_OPT_CHOICE("referee", 0, &o->referee, "proxy|full|mean")},
        {PL_OPT_INT("referee-keep", 0, &o->referee_keep, 1, PL_PLACE_MAX_REFEREE)},
        {PL_OPT_DOUBLE("referee-lambda", 0, &o->referee_lambda, 0, 1e6)},
        {PL_OPT_INT_PAIR("grid", 'x', &o->grid_cols, &o->grid_rows, 1, 1024), .want = "COLSxROWS such as 24x21"},
        {0},
    };
    pl_opt_pos pos = {&o->design, 1, 0, "one DESIGN only"};
    PL_TRY(pl_opts_parse("place", table, argc, argv, &pos, help));
    if (*help) return PL_OK;
    if (!o->design) return pl_err(PL_EINVAL, "place: no DESIGN.def given (see placer place --help)");
    if (pl_bookshelf_is_aux(o->design)) {
        if (o->cells_given && o->cells == CELLS_UNPLACE)
            return pl_err(PL_EINVAL, "place: --cells unplace: a Bookshelf .pl has no unplaced state; keep or place");
        if (!o->cells_given && !o->place_cells) o->cells = CELLS_KEEP;
        if (o->tcl) return pl_err(PL_EINVAL, "place: --tcl writes OpenROAD commands for a LEF/DEF design, not Bookshelf");
    } else if (o->pl_fixed) {
        return pl_err(PL_EINVAL, "place: --pl-fixed applies to Bookshelf designs (.aux)");
    }
    if (o->place_cells && o->cells_given && o->cells != CELLS_PLACE)
        return pl_err(PL_EINVAL, "place: --place-cells is --cells place; it contradicts --cells %s", cells_mode[o->cells]);
    if (o->place_cells) o->cells = CELLS_PLACE;
    if (o->policy_mix_given && o->policy_rollouts > 0)
        return pl_err(PL_EINVAL, "place: --policy-rollouts %d chooses the rollouts that ask the policy; it replaces "
                                 "--policy-mix, give one of them", o->policy_rollouts);
    return PL_OK;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* DESIGN_placed.def in the current folder, from the DEF's file name (DESIGN_placed.def.gz from a .def.gz);
 * DESIGN_placed.pl from a Bookshelf DESIGN.aux. */
static void default_output(const char *design, char *buf, size_t len)
{
    const char *base = strrchr(design, '/');
    base = base ? base + 1 : design;
    size_t n = strlen(base);
    if (ends_with(base, ".aux")) {
        snprintf(buf, len, "%.*s_placed.pl", (int)(n - 4), base);
        return;
    }
    int gz = ends_with(base, ".def.gz");
    if (gz) n -= 7;
    else if (ends_with(base, ".def")) n -= 4;
    snprintf(buf, len, "%.*s_placed.def%s", (int)n, base, gz ? ".gz" : "");
}

/* The default policy: policies/default.ckpt beside the build folder (a source tree) or
 * share/placer/default.ckpt beside the bin folder (make install). 0 when neither is there. */
static int default_policy(char *buf, size_t len, char *tried, size_t tlen)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    tried[0] = 0;
    if (n <= 0) return 0;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return 0;
    *slash = 0;
    static const char *const rel[] = {"../policies/default.ckpt", "../share/placer/default.ckpt"};
    size_t used = 0;
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(buf, len, "%s/%s", exe, rel[i]);
        char canon[PATH_MAX];
        if (access(buf, R_OK) == 0) {
            if (realpath(buf, canon) && strlen(canon) < len) memcpy(buf, canon, strlen(canon) + 1);
            return 1;
        }
        int k = snprintf(tried + used, tlen - used, "%s%s", i ? ", " : "", buf);
        if (k > 0 && (size_t)k < tlen - used) used += (size_t)k;
    }
    return 0;
}

/* Progress on stderr: on a terminal one line rewritten in place; otherwise (a log file, a pipe) whole
 * lines, one when a stage starts and one each time it passes another tenth, and no carriage return. */
typedef struct progress_state {
    const char *stage;
    double t0;
    int lines; /* 1: stderr is not a terminal */
    int tenth; /* lines: the last tenth of this stage printed */
} progress_state;

static double now_s(void)
{
    return pl_clock_seconds();
}

static void progress(void *user, const char *stage, double done, double best)
{
    progress_state *p = user;
    int tenth = (int)floor(10 * done + 1e-9), same = p->stage && !strcmp(p->stage, stage);
    if (p->lines && same && tenth <= p->tenth) return;
    if (!p->lines && p->stage && !same) fputc('\n', stderr);
    p->stage = stage;
    p->tenth = tenth;
    fprintf(stderr, "%s[place] %-7s %3.0f%%", p->lines ? "" : "\r", stage, 100 * done);
    if (best == best) fprintf(stderr, "  best proxy %.4f", best);
    fprintf(stderr, p->lines ? "  %.0f s\n" : "  %.0f s ", now_s() - p->t0);
    fflush(stderr);
}

static json_object *json_stage(const pl_place_stage *s)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", pl_json_str(s->name));
    json_object_object_add(o, "proxy_cost", pl_json_num(s->terms.proxy_cost));
    json_object_object_add(o, "wirelength_cost", pl_json_num(s->terms.wirelength_cost));
    json_object_object_add(o, "density_cost", pl_json_num(s->terms.density_cost));
    json_object_object_add(o, "congestion_cost", pl_json_num(s->terms.congestion_cost));
    json_object_object_add(o, "wirelength", pl_json_num(s->terms.wirelength));
    json_object_object_add(o, "macro_hpwl", pl_json_num(s->macro_hpwl));
    json_object_object_add(o, "seconds", pl_json_num(s->seconds));
    return o;
}

typedef struct run_info {
    const place_opts *o;
    const pl_place_config *cfg;
    const pl_place_result *res;
    const pl_netlist *nl;
    const char *out, *prior;
    pl_gnn_device device;      /* where the policy's network ran (CPU when no network runs) */
    double read_s, write_s, total_s;
    int violations;
    long long policy_states, policy_fallbacks; /* a learned policy: states it was asked, uniform fallbacks */
    const pl_full_stats *full; /* --place-cells: the standard cells' placement, else NULL */
    pl_covered_stats unplaced, under; /* --cells unplace: the cells unplaced; standard cells under macros after */
    double macro_hpwl;         /* cost/hpwl.h of the result, flat */
    long long policy_network;  /* a learned policy: network calls (policy_prior.h) */
    const char *policy_eval;   /* a learned policy: greedy or state; NULL: no network */
} run_info;

/* --cells: what became of the standard cells under the macros. */
static json_object *json_cells(const run_info *ri)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mode", pl_json_str(cells_mode[ri->o->cells]));
    json_object_object_add(o, "unplaced_under_macros", json_object_new_int64(ri->unplaced.placed));
    json_object_object_add(o, "placed_under_macros", json_object_new_int64(ri->under.placed));
    json_object_object_add(o, "fixed_under_macros", json_object_new_int64(ri->under.fixed));
    return o;
}

/* --online: generations, learning rate, and per generation the rollouts done, the best quick cost so far
 * (null: none feasible) and the seconds into the search. */
static json_object *json_online(const pl_place_config *c, const pl_place_result *r)
{
    json_object *o = json_object_new_object(), *a = json_object_new_array();
    json_object_object_add(o, "generations", json_object_new_int(r->generations));
    json_object_object_add(o, "rate", pl_json_num(c->online_rate));
    for (int g = 0; g < r->generations; g++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "rollouts", json_object_new_int64(r->generation[g].rollouts));
        json_object_object_add(e, "best_quick", isfinite(r->generation[g].best) ? pl_json_num(r->generation[g].best) : NULL);
        json_object_object_add(e, "seconds", pl_json_num(r->generation[g].seconds));
        json_object_array_add(a, e);
    }
    json_object_object_add(o, "best_by_generation", a);
    return o;
}

/* Every placed hard macro: name, lower-left (um, whole DBU), DEF orientation and |dx| + |dy| (um) from
 * its position in the input DEF (null when the input had it unplaced). */
static json_object *json_placements(const pl_netlist *nl)
{
    const pl_place_source *d = nl->placesrc;
    double dbu = nl->dbu_per_micron > 0 ? nl->dbu_per_micron : 1;
    json_object *a = json_object_new_array();
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_MACRO || n->state == PL_PLACE_UNPLACED) continue;
        const pl_node *in = d && i < d->nnodes ? &d->orig[i] : NULL;
        double x = (double)llround(n->x * dbu) / dbu, y = (double)llround(n->y * dbu) / dbu;
        json_object *e = json_object_new_object();
        json_object_object_add(e, "name", pl_json_str(n->name));
        json_object_object_add(e, "x_um", pl_json_num(x));
        json_object_object_add(e, "y_um", pl_json_num(y));
        json_object_object_add(e, "orient", pl_json_str(pl_orient_name(n->orient)));
        json_object *disp = NULL;
        if (in && in->state != PL_PLACE_UNPLACED)
            disp = pl_json_num((double)(llabs(llround(n->x * dbu) - llround(in->x * dbu)) +
                                        llabs(llround(n->y * dbu) - llround(in->y * dbu))) / dbu);
        json_object_object_add(e, "displacement_um", disp);
        json_object_array_add(a, e);
    }
    return a;
}

/* --referee: what was measured and which won; {"mode": "proxy"} without it. */
static json_object *json_referee(const pl_place_result *r, const pl_place_config *c)
{
    static const char *mode[] = {"proxy", "full", "mean"};
    int full = c->referee == PL_PLACE_REFEREE_FULL;
    json_object *o = json_object_new_object(), *a;
    json_object_object_add(o, "mode", pl_json_str(mode[c->referee]));
    if (c->referee == PL_PLACE_REFEREE_PROXY) return o;
    json_object_object_add(o, "keep", json_object_new_int(c->referee_keep));
    if (full) json_object_object_add(o, "lambda", pl_json_num(c->referee_lambda));
    json_object_object_add(o, "chosen", json_object_new_int(r->chosen));
    json_object_object_add(o, "candidates", a = json_object_new_array());
    for (int i = 0; i < r->njudged; i++) {
        const pl_place_judged *j = &r->judged[i];
        json_object *e = json_object_new_object();
        json_object_object_add(e, "source", pl_json_str(j->source >= 0 ? "chain" : "start"));
        json_object_object_add(e, "index", json_object_new_int(j->source >= 0 ? j->source : -1 - j->source));
        json_object_object_add(e, "proxy_cost", pl_json_num(j->proxy));
        if (full) {
            json_object_object_add(e, "full_hpwl_um", pl_json_num(j->hpwl));
            json_object_object_add(e, "overflow", pl_json_num(j->overflow));
            json_object_object_add(e, "score_um", pl_json_num(j->score));
        } else {
            json_object_object_add(e, "mean_proxy_cost", pl_json_num(j->score));
        }
        json_object_array_add(a, e);
    }
    return o;
}

static json_object *json_report(const run_info *ri)
{
    const pl_place_result *r = ri->res;
    const pl_place_config *c = ri->cfg;
    json_object *o = json_object_new_object(), *g;
    json_object_object_add(o, "design", pl_json_str(ri->nl->design));
    int aux = pl_bookshelf_is_aux(ri->o->design);
    json_object_object_add(o, "format", pl_json_str(aux ? "bookshelf" : "def"));
    json_object_object_add(o, aux ? "aux" : "def", pl_json_str(ri->o->design));
    json_object_object_add(o, "lefs", g = json_object_new_array()); /* as read: `eval --lef-from` takes them */
    for (int i = 0; i < ri->o->nlef; i++) json_object_array_add(g, pl_json_str(ri->o->lefs[i]));
    json_object_object_add(o, "output", pl_json_str(ri->out));
    json_object_object_add(o, "seed", json_object_new_uint64(c->seed));
    json_object_object_add(o, "effort", pl_json_str(c->effort));
    json_object_object_add(o, "time_limit", pl_json_num(c->time_limit));
    json_object_object_add(o, "deterministic", json_object_new_boolean(!(c->time_limit > 0)));
    json_object_object_add(o, "time_limited", json_object_new_boolean(r->time_limited));
    json_object_object_add(o, "interrupted", json_object_new_boolean(r->interrupted));
    json_object_object_add(o, "threads", json_object_new_int(c->threads));
    json_object_object_add(o, "device", pl_json_str(pl_gnn_device_name(ri->device)));
    json_object_object_add(o, "policy", pl_json_str(ri->o->policy));
    json_object_object_add(o, "prior", pl_json_str(ri->prior));
    json_object_object_add(o, "grid", g = json_object_new_object());
    json_object_object_add(g, "cols", json_object_new_int(r->cols));
    json_object_object_add(g, "rows", json_object_new_int(r->rows));
    json_object_object_add(o, "congestion_grid", pl_json_str(ri->o->grid2023 ? "2023" : "legacy"));
    json_object_object_add(o, "clusters", json_object_new_int(r->clusters));
    json_object_object_add(o, "clustering", pl_json_str(r->physical ? "physical" : "leiden"));
    if (r->soft_runs > 1) {
        json_object_object_add(o, "soft", g = json_object_new_object());
        json_object_object_add(g, "runs", json_object_new_int(r->soft_runs));
        json_object_object_add(g, "spread", pl_json_fixed(r->soft_spread, "%.6f"));
    }
    json_object_object_add(o, "macros", g = json_object_new_object());
    json_object_object_add(g, "movable", json_object_new_int((int)r->movable));
    json_object_object_add(g, "fixed", json_object_new_int((int)r->fixed));
    json_object_object_add(g, "placements", json_placements(ri->nl));
    if (ri->o->tcl) json_object_object_add(o, "tcl", pl_json_str(ri->o->tcl));
    json_object_object_add(o, "cells", json_cells(ri));
    json_object_object_add(o, "search", g = json_object_new_object());
    json_object_object_add(g, "rollouts", json_object_new_int64(r->rollouts));
    json_object_object_add(g, "feasible", json_object_new_int64(r->feasible));
    json_object_object_add(g, "keep", json_object_new_int(c->keep));
    json_object_object_add(g, "temperature", pl_json_num(c->temperature));
    json_object_object_add(g, "edge_weight", pl_json_num(c->edge_weight));
    const char *edged = c->edge_weight > 0 ? (c->edge_all ? "all" : "odd") : "none";
    json_object_object_add(g, "edge_rollouts", json_object_new_string(edged));
    json_object_object_add(g, "fd_start", json_object_new_boolean(c->fd_start));
    json_object_object_add(g, "online", json_online(c, r));
    json_object_object_add(g, "policy_states", json_object_new_int64(ri->policy_states));
    json_object_object_add(g, "policy_fallbacks", json_object_new_int64(ri->policy_fallbacks));
    json_object_object_add(g, "policy_eval", ri->policy_eval ? pl_json_str(ri->policy_eval) : NULL);
    json_object_object_add(g, "policy_network_calls", json_object_new_int64(ri->policy_network));
    const char *mix = c->prior_alternate ? "alternate" : c->prior_rollouts > 0 ? "first" : "all";
    json_object_object_add(g, "policy_mix", ri->policy_eval ? pl_json_str(mix) : NULL);
    json_object_object_add(o, "refine", g = json_object_new_object());
    json_object_object_add(g, "chains", json_object_new_int(r->chains));
    json_object_object_add(g, "best_chain", json_object_new_int(r->best_chain));
    json_object_object_add(g, "rounds", json_object_new_int(c->rounds));
    json_object_object_add(g, "moves", json_object_new_int64(r->moves));
    json_object_object_add(g, "accepted", json_object_new_int64(r->accepted));
    json_object_object_add(g, "flips", json_object_new_boolean(r->flips));
    json_object_object_add(o, "channel_um", pl_json_num(r->channel));
    json_object_object_add(o, "referee", json_referee(r, c));
    json_object_object_add(o, "legalize", g = json_object_new_object());
    json_object_object_add(g, "moved", json_object_new_int((int)r->legal.moved));
    json_object_object_add(g, "total_displacement", pl_json_num(r->legal.total_disp));
    json_object_object_add(g, "max_displacement", pl_json_num(r->legal.max_disp));
    json_object_object_add(g, "violations", json_object_new_int(ri->violations));
    json_object_object_add(o, "stages", g = json_object_new_array());
    for (int i = 0; i < r->nstages; i++) json_object_array_add(g, json_stage(&r->stage[i]));
    const pl_place_stage *last = r->nstages ? &r->stage[r->nstages - 1] : NULL;
    json_object_object_add(o, "proxy_cost", pl_json_num(last ? last->terms.proxy_cost : 0));
    json_object_object_add(o, "macro_hpwl", pl_json_num(ri->macro_hpwl));
    if (ri->full) json_object_object_add(o, "full", pl_report_full_json(ri->full));
    json_object_object_add(o, "seconds", g = json_object_new_object());
    json_object_object_add(g, "read", pl_json_num(ri->read_s));
    json_object_object_add(g, "place", pl_json_num(r->seconds));
    if (ri->full) json_object_object_add(g, "place_cells", pl_json_num(ri->full->seconds));
    json_object_object_add(g, "write", pl_json_num(ri->write_s));
    json_object_object_add(g, "total", pl_json_num(ri->total_s));
    return o;
}

/* Writes the report to path, whole or not at all (core/json.h), or to stdout when path is NULL. */
static pl_status write_report(const char *path, const run_info *ri)
{
    json_object *o = json_report(ri);
    pl_status s = path ? pl_json_write_file(path, o, PL_JSON_PRETTY) : pl_json_write(stdout, o, PL_JSON_PRETTY);
    json_object_put(o);
    return s;
}

static void text_summary(const run_info *ri)
{
    const pl_place_result *r = ri->res;
    printf("design      %s (%d movable macros, %d fixed)\n", ri->nl->design ? ri->nl->design : "", (int)r->movable,
           (int)r->fixed);
    printf("policy      %s (prior %s, on %s), seed %llu, effort %s, grid %dx%d, %d soft macros\n", ri->o->policy,
           ri->prior, pl_gnn_device_name(ri->device), (unsigned long long)ri->cfg->seed, ri->cfg->effort, r->cols,
           r->rows, r->clusters);
    printf("%-10s %10s %10s %10s %10s %14s %8s\n", "stage", "proxy", "wirelength", "density", "congestion",
           "macro_hpwl", "seconds");
    for (int i = 0; i < r->nstages; i++) {
        const pl_place_stage *s = &r->stage[i];
        printf("%-10s %10.4f %10.4f %10.4f %10.4f %14.1f %8.1f\n", s->name, s->terms.proxy_cost,
               s->terms.wirelength_cost, s->terms.density_cost, s->terms.congestion_cost, s->macro_hpwl, s->seconds);
    }
    if (r->soft_runs > 1)
        printf("soft        legalize's figures are the mean over %d placements of the soft macros (proxy spread "
               "%.2f %%), the others one placement's\n", r->soft_runs, 100 * r->soft_spread);
    printf("output      %s (%d macros legalised, max displacement %.3f um)\n", ri->out, (int)r->legal.moved,
           r->legal.max_disp);
    printf("cells       --cells %s: %lld under the macros written UNPLACED, %lld PLACED and %lld FIXED left "
           "under them\n", cells_mode[ri->o->cells], (long long)ri->unplaced.placed, (long long)ri->under.placed,
           (long long)ri->under.fixed);
    if (ri->o->tcl) printf("tcl         %s (place_macro per hard macro)\n", ri->o->tcl);
    printf("macro hpwl  %.6g (hard-macro pins only, on the design as written)\n", ri->macro_hpwl);
    if (ri->full) pl_report_full_print(stdout, ri->full, 11);
    printf("time        %.1f s%s\n", ri->total_s,
           r->interrupted ? " (interrupted: the best result so far)" : r->time_limited ? " (time-limited)" : "");
}

/* --policy when none is given: the shipped default (its path into path), else none with a note. */
static void resolve_policy(place_opts *o, char *path, size_t len)
{
    char tried[2 * PATH_MAX + 128];
    if (!o->policy_given) {
        if (default_policy(path, len, tried, sizeof tried)) {
            o->policy = path;
        } else {
            fprintf(stderr, "[place] note: no default policy (looked for %s); using --policy none\n",
                    tried[0] ? tried : "policies/default.ckpt");
            o->policy = "none";
        }
    }
}

/* 1 when --policy names a built-in prior rather than a checkpoint file. */
static int builtin_policy(const char *p)
{
    return !strcmp(p, "none") || !strcmp(p, "wiremask") || !strcmp(p, "uniform");
}

/* The search's prior from --policy (resolved by resolve_policy); *glue is the loaded policy, NULL for
 * the built-in priors; *device: where the policy's network runs (--device resolved; CPU without one). */
static pl_status choose_prior(place_opts *o, pl_place_config *cfg, pl_policy_prior **glue, pl_gnn_device *device)
{
    *glue = NULL;
    *device = PL_GNN_DEVICE_CPU;
    if (builtin_policy(o->policy) && o->device == PL_GNN_DEVICE_CUDA)
        pl_info("place", "--device cuda: --policy %s has no network, everything runs on the CPU", o->policy);
    if (!strcmp(o->policy, "none") || !strcmp(o->policy, "wiremask")) {
        cfg->prior = pl_prior_wiremask();
    } else if (!strcmp(o->policy, "uniform")) {
        cfg->prior = pl_prior_uniform();
    } else {
        pl_policy_prior *g = malloc(sizeof *g);
        if (!g) return pl_err(PL_ENOMEM, "place: out of memory");
        pl_status ps = pl_policy_prior_init(g, o->policy, o->policy_wire, o->device, (pl_policy_eval)o->policy_eval);
        if (ps != PL_OK) {
            free(g);
            return ps;
        }
        *device = g->pol.net.device;
        cfg->prior = pl_prior_mix_get(&g->mix);
        cfg->prior_rollouts = o->policy_rollouts;
        cfg->prior_alternate = o->policy_rollouts == 0 && !o->policy_all;
        cfg->rest = pl_prior_wiremask();
        *glue = g;
    }
    return PL_OK;
}

/* --threads, else the CPUs (at most 16). */
static int threads_of(const place_opts *o)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return o->threads ? o->threads : (int)(cpus < 1 ? 1 : cpus > 16 ? 16 : cpus);
}

/* Seed, time limit, threads and the budgets the options override. */
static void budgets(const place_opts *o, pl_place_config *cfg)
{
    cfg->seed = o->seed;
    if (o->have_time_limit) cfg->time_limit = o->time_limit;
    cfg->threads = threads_of(o);
    if (o->rollouts >= 0) cfg->rollouts = (int)o->rollouts;
    if (o->keep > 0) cfg->keep = (int)o->keep;
    if (o->chains >= 0) cfg->chains = (int)o->chains;
    if (o->rounds > 0) cfg->rounds = (int)o->rounds;
    if (o->moves_per_macro >= 0) cfg->moves_per_macro = o->moves_per_macro;
    if (o->temperature >= 0) cfg->temperature = o->temperature;
    if (o->edge_weight >= 0) cfg->edge_weight = o->edge_weight;
    if (o->online >= 0) cfg->online = o->online;
    if (o->fd_start >= 0) cfg->fd_start = o->fd_start;
    cfg->referee = o->referee;
    if (o->referee_keep > 0) cfg->referee_keep = o->referee_keep;
    if (o->referee_lambda >= 0) cfg->referee_lambda = o->referee_lambda;
}

/* The design set up as `placer eval` sets it up, with the same seed. */
static void problem_config(const place_opts *o, pl_problem_config *pc)
{
    pl_problem_config_default(pc);
    pl_problem_config_inputs(pc, o->design, NULL, o->lefs, o->nlef);
    pc->prep.seed = o->seed;
    pc->prep.cols = o->grid_cols, pc->prep.rows = o->grid_rows;
    if (o->clusters) pc->prep.cluster.target = o->clusters;
    pc->prep.soft_ct = o->soft_ct;
    if (o->physical >= 0) pc->prep.cluster.physical = o->physical;
    pc->prep.threads = threads_of(o);
    pc->soft_runs = o->soft_runs;
    pc->grid2023 = o->grid2023;
    pc->have_halo = o->have_halo;
    pc->halo[0] = o->halo[0], pc->halo[1] = o->halo[1];
    pc->bookshelf = o->bk;
}

/* Ctrl-C: the first SIGINT asks the search to stop (the best result so far is legalised, evaluated and
 * written, and the run says so); a second one, or SIGTERM, removes the staged outputs and ends the
 * process by the signal. */
static volatile sig_atomic_t g_stop;
static const pl_outset *g_outset;

static void on_sigint(int sig)
{
    if (g_stop) {
        pl_outset_unlink_staged(g_outset);
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    if (sig == SIGTERM) { /* terminated: no result, no staged file left behind */
        pl_outset_unlink_staged(g_outset);
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    g_stop = 1;
    static const char msg[] = "\nplace: interrupted: finishing with the best result so far (Ctrl-C again to abort)\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
}

/* --place-cells: the standard cells placed around the macros, now FIXED, as `placer eval --full` places
 * them (same seed, the place threads); fails, writing nothing, when the cells end up illegal. */
static pl_status place_cells(pl_netlist *nl, const pl_place_config *cfg, pl_full_stats *fs, run_info *ri)
{
    pl_full_config fc;
    pl_full_config_default(&fc);
    fc.route_estimate = !pl_bookshelf_is_aux(ri->o->design);
    fc.gplace.seed = cfg->seed;
    fc.gplace.threads = cfg->threads;
    PL_TRY(pl_full_eval(nl, &fc, fs, NULL));
    if (fs->violations)
        return pl_err(PL_EINVAL, "place: %d standard-cell placement violations after legalisation; nothing written",
                      fs->violations);
    ri->full = fs;
    return PL_OK;
}

/* --cells: the standard cells under the placed macros unplaced (default), kept, or every cell placed. */
static pl_status settle_cells(pl_netlist *nl, const pl_place_config *cfg, pl_full_stats *fs, run_info *ri)
{
    int mode = ri->o->cells;
    if (mode == CELLS_PLACE) PL_TRY(place_cells(nl, cfg, fs, ri));
    if (mode == CELLS_KEEP && pl_bookshelf_is_aux(ri->o->design))
        return PL_OK; /* a Bookshelf .pl's cells are often all at the origin: a count would say nothing */
    if (mode == CELLS_UNPLACE) {
        PL_TRY(pl_cells_covered_unplace(nl, &ri->unplaced));
        if (ri->unplaced.placed && pl_log_get_level() >= PL_LOG_WARN) /* a note, as resolve_policy's */
            fprintf(stderr, "[place] note: %lld standard cells under the placed macros written UNPLACED (--cells "
                    "keep keeps them, --cells place places every cell)\n", (long long)ri->unplaced.placed);
    }
    PL_TRY(pl_cells_covered_count(nl, &ri->under));
    if (ri->under.placed)
        pl_warn("place", "%lld PLACED standard cells lie under the placed macros (--cells %s)",
                (long long)ri->under.placed, cells_mode[mode]);
    if (ri->under.fixed)
        pl_warn("place", "%lld FIXED standard cells lie under the placed macros; left as they are",
                (long long)ri->under.fixed);
    return PL_OK;
}

/* A Bookshelf design's .pl: the placed macros (FIXED by the legaliser, as a DEF wants them) are written
 * movable, as the input had them, unless --pl-fixed writes /FIXED on every one. */
static pl_status write_pl(pl_netlist *nl, int fixed, const char *path)
{
    const pl_place_source *src = nl->placesrc;
    for (int64_t i = 0; !fixed && src && i < src->nnodes; i++)
        if (nl->nodes[i].kind == PL_NODE_MACRO && src->orig[i].state != PL_PLACE_FIXED)
            nl->nodes[i].state = PL_PLACE_PLACED;
    return pl_bookshelf_write_pl(nl, path, fixed);
}

/* --tcl: the macros as place_macro commands (parsers/tcl_write.h), to the staged name. */
static pl_status write_tcl(const pl_netlist *nl, const pl_place_config *cfg, const char *design, const char *path)
{
    char comment[1024];
    snprintf(comment, sizeof comment, "macro placement of %s (%s) by placer place, seed %llu",
             nl->design ? nl->design : "?", design, (unsigned long long)cfg->seed);
    return pl_tcl_write(nl, path, comment, NULL);
}

pl_status pl_cmd_place(int argc, char **argv)
{
    place_opts o;
    int help;
    PL_TRY(parse_args(argc, argv, &o, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    double t0 = now_s();
    if (!pl_problem_is_flat(o.design))
        return pl_err(PL_EINVAL, "place: DESIGN must be a DEF (.def or .def.gz) or a Bookshelf .aux, not '%s'",
                      o.design);
    FILE *probe = fopen(o.design, "rb");
    if (!probe) return pl_err(PL_EIO, "place: cannot read %s: %s", o.design, strerror(errno));
    fclose(probe);
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    PL_TRY(pl_place_config_effort(&cfg, o.effort));
    if (o.image && !pl_render_available())
        return pl_err(PL_ENOTSUP, "place: --image needs Cairo, which this build lacks (make deps, then rebuild)");
    pl_viz_format fmt;
    if (o.image) PL_TRY(pl_viz_format_from_path(o.image, &fmt)); /* before any work */
    char defpath[PATH_MAX + 64];
    resolve_policy(&o, defpath, sizeof defpath);
    char outbuf[4096];
    const char *out = o.out;
    if (!out) {
        default_output(o.design, outbuf, sizeof outbuf);
        out = outbuf;
    }
    /* every input and output known, before any work: no output replaces an input, every folder takes a file */
    pl_outset os;
    pl_outset_init(&os, "place");
    const char *st_out = NULL, *st_report = NULL, *st_image = NULL, *st_tcl = NULL;
    pl_status s = pl_inputs_lefs(&o.lx, "place", o.lefs, &o.nlef, (int)(sizeof o.lefs / sizeof o.lefs[0]), o.design);
    if (s == PL_OK) s = pl_inputs_design(&os, o.design, NULL, o.lefs, o.nlef, 0);
    if (s == PL_OK && !builtin_policy(o.policy)) s = pl_outset_input(&os, o.policy, "the policy");
    if (s == PL_OK) s = pl_outset_output(&os, out, o.out ? "-o" : "the default output", &st_out);
    if (s == PL_OK && o.report) s = pl_outset_output(&os, o.report, "--report", &st_report);
    if (s == PL_OK && o.image) s = pl_outset_output(&os, o.image, "--image", &st_image);
    if (s == PL_OK && o.tcl) s = pl_outset_output(&os, o.tcl, "--tcl", &st_tcl);
    pl_policy_prior *glue = NULL;
    pl_gnn_device device = PL_GNN_DEVICE_CPU;
    if (s == PL_OK) s = choose_prior(&o, &cfg, &glue, &device);
    if (s != PL_OK) {
        pl_outset_free(&os);
        pl_inputs_lefs_free(&o.lx);
        return s;
    }
    const char *prior_name = cfg.prior.name;
    budgets(&o, &cfg);
    pl_problem_config pc;
    problem_config(&o, &pc);

    pl_problem prob;
    s = pl_problem_setup(&prob, &pc);
    pl_netlist *nl = &prob.flat;
    double t_read = t0 + prob.read_seconds;
    cfg.legal.spacing = o.channel >= 0 ? o.channel : prob.channel;
    cfg.channel_narrow = o.channel < 0;
    if (s == PL_OK && o.channel < 0 && cfg.legal.spacing > 0) { /* auto: never a channel the core cannot hold */
        double area = prob.cost.canvas_w * prob.cost.canvas_h, want = cfg.legal.spacing;
        cfg.legal.spacing = pl_legalize_channel_fit(nl, area, want, PL_PLACE_CHANNEL_COVER);
        if (cfg.legal.spacing < want)
            pl_warn("place", "channel auto: %.3f um leaves no room (the macros grown by it would cover %.0f %% of the "
                    "core); using %.3f um, at which they cover %.0f %%", want, 100 * pl_legalize_cover(nl, area, want),
                    cfg.legal.spacing, 100 * pl_legalize_cover(nl, area, cfg.legal.spacing));
    }
    if (s == PL_OK && cfg.legal.spacing > 0)
        pl_info("place", "channel between macros %.3f um (%s)", cfg.legal.spacing,
                o.channel >= 0 ? "--channel" : "auto: 20 pitches of the layers a macro blocks; --channel 0 for none");
    pl_event_bus bus;
    pl_event_bus_init(&bus);
    pl_render_sink rs;
    if (s == PL_OK && o.image) {
        pl_render_config rc;
        pl_render_config_default(&rc);
        rc.subtitle = "placer place";
        pl_render_sink_init(&rs, st_image, &rc);
        rs.kinds = PL_EVENT_BIT(PL_EVENT_PLACEMENT_DONE);
        s = pl_event_bus_subscribe(&bus, pl_render_sink_get(&rs));
        cfg.bus = &bus;
    }
    progress_state ps = {NULL, t0, !isatty(2), -1};
    if (pl_log_get_level() >= PL_LOG_WARN) {
        cfg.progress = progress;
        cfg.progress_user = &ps;
    }
    pl_info("place", "%s: seed %llu, effort %s, time limit %g s, %d threads, prior %s", o.design,
            (unsigned long long)cfg.seed, cfg.effort, cfg.time_limit, cfg.threads, prior_name);
    pl_place_result res;
    memset(&res, 0, sizeof res);
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    g_stop = 0;
    g_outset = &os;
    cfg.stop = &g_stop;
    struct sigaction old_term;
    sigaction(SIGINT, &sa, &old_sa);
    sigaction(SIGTERM, &sa, &old_term);
    if (s == PL_OK) s = pl_place_run(&prob, &cfg, &res);
    if (ps.stage && !ps.lines) fputc('\n', stderr);
    if (s == PL_OK && res.interrupted) pl_warn("place", "interrupted: the best result found so far is written");
    run_info ri = {&o, &cfg, &res, nl, out, prior_name, device, t_read - t0, 0, 0, 0, 0, 0, NULL, {0, 0}, {0, 0}, 0, 0, NULL};
    if (glue) {
        ri.policy_states = atomic_load(&glue->mix.calls), ri.policy_fallbacks = atomic_load(&glue->mix.fallbacks);
        ri.policy_network = atomic_load(&glue->network);
        ri.policy_eval = pl_policy_eval_name(glue->eval);
    }
    if (s == PL_OK) {
        char msg[512];
        pl_legalize_config kept = cfg.legal; /* the channel the result keeps (narrowed when auto did not fit) */
        kept.spacing = res.channel;
        ri.violations = pl_legalize_check(nl, &kept, msg, sizeof msg);
        if (ri.violations)
            s = pl_err(PL_EINVAL, "place: the result is not legal (%d violations: %s); nothing written", ri.violations,
                       msg);
    }
    pl_full_stats fs;
    if (s == PL_OK) s = settle_cells(nl, &cfg, &fs, &ri);
    double t_w = now_s();
    if (s == PL_OK) ri.macro_hpwl = pl_hpwl_macro(nl, NULL);
    if (s == PL_OK) s = prob.format == PL_DESIGN_BOOKSHELF ? write_pl(nl, o.pl_fixed, st_out) : pl_def_write(nl, st_out);
    if (s == PL_OK && o.tcl) s = write_tcl(nl, &cfg, o.design, st_tcl);
    ri.write_s = now_s() - t_w;
    ri.total_s = now_s() - t0;
    if (s == PL_OK && o.report) s = write_report(st_report, &ri);
    if (s == PL_OK) s = pl_outset_commit(&os); /* every output, or none */
    if (s == PL_OK) {
        if (o.json) s = write_report(NULL, &ri);
        else text_summary(&ri);
    }
    if (glue) {
        long long fb = atomic_load(&glue->mix.fallbacks), calls = atomic_load(&glue->mix.calls);
        if (fb > 0) pl_warn("place", "policy %s: uniform fallback in %lld of %lld states", o.policy, fb, calls);
        pl_policy_prior_free(glue);
        free(glue);
    }
    pl_problem_free(&prob);
    sigaction(SIGINT, &old_sa, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    g_outset = NULL;
    pl_outset_free(&os);
    pl_inputs_lefs_free(&o.lx);
    return s;
}
