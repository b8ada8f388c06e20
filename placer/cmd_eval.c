/* cmd_eval.c: `placer eval`: the Circuit Training proxy cost of a placement. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/problem.h"
#include "cluster/softcost.h"
#include "gplace/full.h"
#include "cost/hpwl.h"
#include "cost/proxy.h"
#include "cost/tech.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "parsers/plc.h"
#include "placer/commands.h"
#include "placer/inputs.h"
#include "placer/options.h"
#include "placer/report.h"
#include "core/json.h"
#include "core/log.h"
#include "core/netlist.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer eval DESIGN [--placement FILE.plc|FILE.def] [--lef FILE]... [--lef-dir DIR]\n"
            "                         [--lef-from REPORT.json] [options]\n\n"
            "Computes the Circuit Training proxy cost: wirelength, density and\n"
            "congestion costs and their weighted sum.\n"
            "DESIGN is a Circuit Training netlist (netlist.pb.txt, .gz too): grid, canvas, routing\n"
            "capacities and smoothing come from the .plc header.\n"
            "Or DESIGN is a DEF (.def, .def.gz) or a Bookshelf design (.aux): it is clustered as\n"
            "`placer cluster` does (seeded), the\n"
            "macros take their places from --placement, the grid is Circuit Training's choice unless\n"
            "--grid is given, the soft macros are placed (by the analytical placer, --soft-runs times\n"
            "on seeded streams, and each term is the mean over those placements; once, mixed-size, when\n"
            "macros are unplaced), and the cost is that of the clustered netlist.\n"
            "Same inputs and seed, same number.\n"
            "The canvas is the core as Circuit Training's flow takes it (the DIEAREA less the rows' lower-left\n"
            "margin on every side; --canvas-from die for the DIEAREA), coordinates relative to its lower-left\n"
            "corner, and routing capacity comes from the technology LEF: the routing layers\n"
            "above the lowest one give H = sum 1/pitch over horizontal layers and V = sum 1/pitch\n"
            "over vertical ones, times (1 - power reserve, default 0.18); a hard macro blocks the\n"
            "lowest --macro-layers routing layers (default 4) and its allocation is the same sum\n"
            "over those. Density counts hard and soft macros only, as in Circuit Training.\n"
            "A Bookshelf design has no LEF: its canvas is the rows' bounding box (--canvas-from die: the\n"
            "rows and the fixed nodes), one unit is taken as one micron, and the routing capacity is\n"
            "the default below unless --routes/--macro-routes give it.\n"
            "Also reported: the macro HPWL of the learning-based macro placers' papers (pins on hard\n"
            "macros only, nets with two or more macros; docs/benchmarks.md) on the flat design.\n"
            "The options below override every derived value.\n\n"
            "options:\n"
            "  --placement FILE         .plc (CT netlists), .def (DEF designs; components are\n"
            "                           matched by name) or .pl (Bookshelf) to evaluate; default:\n"
            "                           the design's own\n"
            "  --lef FILE               LEF for a DEF design, technology first; repeat. Default:\n"
            "                           the *.tlef/*.lef files beside the DEF (never beside --placement)\n"
            "  --lef-dir DIR            every *.tlef/*.lef in DIR, technology first (a .tlef, or a LEF\n"
            "                           with LAYER/SITE and no MACRO), then by name; after --lef; repeat\n"
            "  --lef-from REPORT.json   the LEF files a `placer place --report` run read (its \"lefs\")\n"
            "  --macro-layers N         routing layers a hard macro blocks (DEF; default 4)\n"
            "  --power-reserve F        fraction of tracks kept for power (DEF; default 0.18)\n"
            "  --seed N                 clustering and FD seed for a DEF design (default 1)\n"
            "  --seeds K                DEF: evaluate with the clusterings of seeds N .. N+K-1 and report\n"
            "                           the mean of each cost term and the spread of the proxy cost\n"
            "  --soft-runs K            DEF, Bookshelf: the soft macros are placed K times (seeded from --seed)\n"
            "                           and each cost term is the mean over the K placements (default 32;\n"
            "                           one placement moves the proxy by a few %% from seed to seed)\n"
            "  --clusters N             soft macros wanted (DEF; default round(2 sqrt(cells)), <= 1000)\n"
            "  --clustering C           DEF: physical (default: the cells spread by a coarse global placement\n"
            "                           without the macros, cut by position) or leiden (by connectivity)\n"
            PL_INPUTS_MACROS_HELP
            "  --json                   one JSON object instead of text\n"
            "  --full                   DEF, Bookshelf: also place every standard cell around the macros (global\n"
            "                           placement, legalisation; seeded by --seed) and report the full\n"
            "                           HPWL (um and DBU) and routability (GCell overflow, RUDY; not for\n"
            "                           Bookshelf, which has no routing layers); the time\n"
            "                           of each step in the text output and on stderr, not in the JSON\n"
            "  --threads N              threads of the global placement (default 2; same result)\n"
            "  --grid COLSxROWS         placement grid (e.g. 24x21)\n"
            "  --soft-placer P          DEF: how the soft macros are placed: analytic (default) or ct\n"
            "                           (Circuit Training's force-directed schedule, as the published\n"
            "                           reference costs were computed)\n"
            "  --canvas WxH             canvas size in µm\n"
            "  --canvas-from core|die   DEF: the canvas is the core (default) or the DIEAREA\n"
            "  --routes H,V             routing tracks per µm (default 70.33,74.51)\n"
            "  --macro-routes H,V       tracks per µm blocked by hard macros (default 51.79,51.79)\n"
            "  --smooth K               congestion smoothing range in cells (default 2, 2023 grid 5)\n"
            "  --weights W,D,C          wirelength, density, congestion weights (default 1,0.5,0.5)\n"
            "  --congestion-grid 2023   congestion grid of CT since June 2023 (cell 2000/(H+V) µm)\n"
            "  --legacy-congestion-grid congestion grid = placement grid (the default)\n"
            "  -h, --help               this text\n");
}

enum { MAX_LEFS = 64 };

typedef struct eval_opts {
    const char *design, *placement;
    const char *lefs[MAX_LEFS];
    pl_lef_extra lx; /* --lef-dir, --lef-from */
    int nlef, macro_layers;
    double reserve;
    int json, grid2023, smooth_set, smooth;
    int cols, rows;
    double cw, ch, hr, vr, hm, vm, w[3];
    int have_canvas, have_routes, have_macro, have_weights;
    unsigned long long seed;
    int clusters;
    int soft_ct;    /* --soft-placer ct */
    int physical;   /* --clustering: 0 leiden, 1 physical */
    int canvas_die; /* --canvas-from die */
    int seeds;      /* --seeds K: clusterings seed .. seed+K-1 */
    int soft_runs;  /* --soft-runs K: soft placements averaged per clustering */
    int full;       /* --full: every standard cell placed, full HPWL and routability */
    int threads;    /* --threads N for --full */
    pl_bookshelf_options bk; /* --macros */
} eval_opts;

/* --weights W,D,C: three numbers >= 0 */
static int parse_weights(const char *s, void *dst)
{
    double *w = dst;
    char *e;
    for (int k = 0; k < 3; k++) {
        w[k] = strtod(s, &e);
        if (e == s || (k < 2 && *e != ',') || (k == 2 && *e) || !(w[k] >= 0)) return 0;
        s = e + 1;
    }
    return 1;
}

static pl_status parse_args(int argc, char **argv, eval_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    o->macro_layers = PL_COST_MACRO_LAYERS;
    o->reserve = PL_COST_POWER_RESERVE;
    o->seed = 1;
    o->seeds = 1;
    o->soft_runs = PL_SOFT_RUNS;
    o->threads = 2;
    o->physical = -1;
    const pl_opt table[] = {
        {PL_OPT_FLAG("json", 0, &o->json, 1)},
        {PL_OPT_STRING("placement", 0, &o->placement)},
        {PL_OPT_REPEAT("lef", 0, o->lefs, &o->nlef, MAX_LEFS)},
        PL_OPTS_LEF_DIR(&o->lx),
        PL_OPTS_LEF_FROM(&o->lx),
        PL_OPTS_MACROS(&o->bk),
        {PL_OPT_INT("macro-layers", 0, &o->macro_layers, 0, 100)},
        {PL_OPT_UINT64("seed", 0, &o->seed)},
        {PL_OPT_INT("seeds", 0, &o->seeds, 1, 64)},
        {PL_OPT_INT("soft-runs", 0, &o->soft_runs, 1, 1024)},
        {PL_OPT_FLAG("full", 0, &o->full, 1)},
        {PL_OPT_INT("threads", 0, &o->threads, 1, 64)},
        {PL_OPT_INT("clusters", 0, &o->clusters, 1, 1000000)},
        {PL_OPT_DOUBLE("power-reserve", 0, &o->reserve, 0, 1), .flags = PL_OPT_OPEN_HI},
        {PL_OPT_CHOICE("soft-placer", 0, &o->soft_ct, "analytic|ct")},
        {PL_OPT_CHOICE("clustering", 0, &o->physical, "leiden|physical")},
        {PL_OPT_INT_PAIR("grid", 'x', &o->cols, &o->rows, 1, INFINITY), .want = "COLSxROWS such as 24x21"},
        {PL_OPT_DOUBLE_PAIR("canvas", 'x', &o->cw, &o->ch, 0, INFINITY), .flags = PL_OPT_OPEN_LO,
         .want = "WxH in µm", .set = &o->have_canvas},
        {PL_OPT_DOUBLE_PAIR("routes", ',', &o->hr, &o->vr, 0, INFINITY), .flags = PL_OPT_OPEN_LO, .want = "H,V > 0",
         .set = &o->have_routes},
        {PL_OPT_DOUBLE_PAIR("macro-routes", ',', &o->hm, &o->vm, 0, INFINITY), .want = "H,V >= 0",
         .set = &o->have_macro},
        {PL_OPT_INT("smooth", 0, &o->smooth, 0, 1000), .set = &o->smooth_set},
        {PL_OPT_CUSTOM("weights", 0, o->w, parse_weights, "W,D,C such as 1,0.5,0.5"), .set = &o->have_weights},
        {PL_OPT_CHOICE("congestion-grid", 0, &o->grid2023, "legacy|2023")},
        {PL_OPT_CHOICE("canvas-from", 0, &o->canvas_die, "core|die")},
        {PL_OPT_FLAG("legacy-congestion-grid", 0, &o->grid2023, 0)},
        {0},
    };
    pl_opt_pos pos = {&o->design, 1, 0, "one DESIGN only"};
    PL_TRY(pl_opts_parse("eval", table, argc, argv, &pos, help));
    if (*help) return PL_OK;
    if (!o->design) return pl_err(PL_EINVAL, "eval: no DESIGN given (see placer eval --help)");
    return PL_OK;
}

enum { MAX_SEEDS = 64 };

/* The proxy cost over several clustering seeds (--seeds). */
typedef struct seed_stats {
    int k;
    double proxy[MAX_SEEDS];
    double soft_spread[MAX_SEEDS]; /* of each clustering's soft placements */
    double mean, min, max;
} seed_stats;

/* What eval measured. */
typedef struct eval_out {
    const pl_problem *p;
    const pl_cost *c;
    pl_cost_terms t;
    seed_stats ss;          /* used when ss.k > 1 */
    pl_soft_mean sm;        /* the last clustering's soft placements (sm.runs 0: the soft macros as set up) */
    int has_full;
    pl_full_stats fs;       /* --full */
    double macro_hpwl;      /* cost/hpwl.h, on the flat design */
    int64_t macro_nets;
} eval_out;

/* Where the congestion grid came from: the 2023 rule, the .plc header (a grid of its own), or the
 * placement grid (legacy). */
static const char *cong_mode(const eval_opts *o, const pl_cost *c)
{
    if (o->grid2023) return "2023";
    return c->cfg.cong_cols != c->cfg.cols || c->cfg.cong_rows != c->cfg.rows ? "plc" : "legacy";
}

/* The result as one JSON line; numbers keep the text of their printf formats. */
static pl_status json_result(const eval_opts *o, const eval_out *e)
{
    const pl_problem *p = e->p;
    const pl_cost *c = e->c;
    const pl_cost_terms *t = &e->t;
    const seed_stats *ss = e->ss.k > 1 ? &e->ss : NULL;
    const pl_netlist *nl = &p->flat;
    const pl_cost_config *cfg = &p->cost;
    const pl_prepare *prep = p->clustered ? &p->prep : NULL;
    json_object *r = json_object_new_object(), *g;
    json_object_object_add(r, "design", pl_json_str(nl->design));
    json_object_object_add(r, "placement", o->placement ? pl_json_str(o->placement) : NULL);
    json_object_object_add(r, "wirelength", pl_json_fixed(t->wirelength, "%.6f"));
    json_object_object_add(r, "wirelength_cost", pl_json_fixed(t->wirelength_cost, "%.9f"));
    json_object_object_add(r, "density_cost", pl_json_fixed(t->density_cost, "%.9f"));
    json_object_object_add(r, "congestion_cost", pl_json_fixed(t->congestion_cost, "%.9f"));
    json_object_object_add(r, "proxy_cost", pl_json_fixed(t->proxy_cost, "%.9f"));
    json_object_object_add(r, "macro_hpwl", pl_json_fixed(e->macro_hpwl, "%.6f"));
    json_object_object_add(r, "macro_hpwl_nets", json_object_new_int64(e->macro_nets));
    json_object_object_add(r, "grid", g = json_object_new_object());
    json_object_object_add(g, "cols", json_object_new_int(cfg->cols));
    json_object_object_add(g, "rows", json_object_new_int(cfg->rows));
    json_object_object_add(r, "congestion_grid", g = json_object_new_object());
    json_object_object_add(g, "cols", json_object_new_int(c->cfg.cong_cols));
    json_object_object_add(g, "rows", json_object_new_int(c->cfg.cong_rows));
    json_object_object_add(g, "mode", pl_json_str(cong_mode(o, c)));
    json_object_object_add(r, "canvas", g = json_object_new_object());
    json_object_object_add(g, "width", pl_json_fixed(cfg->canvas_w, "%.6f"));
    json_object_object_add(g, "height", pl_json_fixed(cfg->canvas_h, "%.6f"));
    json_object_object_add(g, "from", pl_json_str(p->canvas_from));
    if (prep) {
        json_object_object_add(g, "x0", pl_json_fixed(prep->origin_x, "%.6f"));
        json_object_object_add(g, "y0", pl_json_fixed(prep->origin_y, "%.6f"));
    }
    json_object_object_add(r, "routes_per_micron", g = json_object_new_object());
    json_object_object_add(g, "h", pl_json_fixed(cfg->h_rpm, "%g"));
    json_object_object_add(g, "v", pl_json_fixed(cfg->v_rpm, "%g"));
    json_object_object_add(g, "from", pl_json_str(p->routes_from));
    json_object_object_add(r, "macro_routes_per_micron", g = json_object_new_object());
    json_object_object_add(g, "h", pl_json_fixed(cfg->h_macro_alloc, "%g"));
    json_object_object_add(g, "v", pl_json_fixed(cfg->v_macro_alloc, "%g"));
    json_object_object_add(r, "smoothing", json_object_new_int(cfg->smooth_range));
    json_object_object_add(r, "weights", g = json_object_new_object());
    json_object_object_add(g, "wirelength", pl_json_fixed(cfg->w_wirelength, "%g"));
    json_object_object_add(g, "density", pl_json_fixed(cfg->w_density, "%g"));
    json_object_object_add(g, "congestion", pl_json_fixed(cfg->w_congestion, "%g"));
    json_object_object_add(r, "nets", json_object_new_int(c->nnets));
    json_object_object_add(r, "net_weight", pl_json_fixed(c->net_count, "%g"));
    if (prep) {
        json_object_object_add(r, "seed", json_object_new_uint64(o->seed));
        json_object_object_add(r, "clusters", json_object_new_int(prep->cl.nclusters));
        json_object_object_add(r, "clustering", pl_json_str(prep->cl.physical ? "physical" : "leiden"));
        json_object_object_add(r, "grid_chosen", json_object_new_boolean(prep->grid_chosen));
        json_object_object_add(r, "fd_mixed", json_object_new_boolean(prep->fd_mixed));
        json_object_object_add(r, "soft_placer", pl_json_str(o->soft_ct ? "ct" : "analytic"));
    }
    if (e->sm.runs) {
        json_object_object_add(r, "soft", g = json_object_new_object());
        json_object_object_add(g, "runs", json_object_new_int(e->sm.runs));
        json_object_object_add(g, "min", pl_json_fixed(e->sm.min, "%.9f"));
        json_object_object_add(g, "max", pl_json_fixed(e->sm.max, "%.9f"));
        json_object_object_add(g, "spread", pl_json_fixed(e->sm.spread, "%.6f"));
    }
    if (ss) {
        json_object *g2 = json_object_new_object(), *a = json_object_new_array();
        json_object_object_add(r, "seeds", g2);
        json_object_object_add(g2, "count", json_object_new_int(ss->k));
        for (int i = 0; i < ss->k; i++) json_object_array_add(a, pl_json_fixed(ss->proxy[i], "%.9f"));
        json_object_object_add(g2, "proxy_cost", a);
        json_object_object_add(g2, "mean", pl_json_fixed(ss->mean, "%.9f"));
        json_object_object_add(g2, "min", pl_json_fixed(ss->min, "%.9f"));
        json_object_object_add(g2, "max", pl_json_fixed(ss->max, "%.9f"));
        json_object_object_add(g2, "spread", pl_json_fixed((ss->max - ss->min) / ss->mean, "%.6f"));
        if (e->sm.runs) {
            json_object *b = json_object_new_array();
            for (int i = 0; i < ss->k; i++) json_object_array_add(b, pl_json_fixed(ss->soft_spread[i], "%.6f"));
            json_object_object_add(g2, "soft_spread", b);
        }
    }
    if (e->has_full) json_object_object_add(r, "full", pl_report_full_json(&e->fs));
    pl_status s = pl_json_write(stdout, r, PL_JSON_LINE);
    json_object_put(r);
    return s;
}

static pl_status print_result(const eval_opts *o, const eval_out *e)
{
    const pl_problem *p = e->p;
    const pl_cost *c = e->c;
    const pl_cost_terms *t = &e->t;
    const seed_stats *ss = e->ss.k > 1 ? &e->ss : NULL;
    const pl_netlist *nl = &p->flat;
    const pl_cost_config *cfg = &p->cost;
    const pl_prepare *prep = p->clustered ? &p->prep : NULL;
    int ccols = c->cfg.cong_cols, crows = c->cfg.cong_rows;
    if (o->json) return json_result(o, e);
    printf("design           %s\n", nl->design ? nl->design : "");
    if (o->placement) printf("placement        %s\n", o->placement);
    printf("wirelength       %.3f\n", t->wirelength);
    printf("wirelength_cost  %.9f\n", t->wirelength_cost);
    printf("density_cost     %.9f\n", t->density_cost);
    printf("congestion_cost  %.9f\n", t->congestion_cost);
    printf("proxy_cost       %.9f   (= %g*wirelength_cost + %g*density_cost + %g*congestion_cost)\n", t->proxy_cost,
           cfg->w_wirelength, cfg->w_density, cfg->w_congestion);
    printf("macro_hpwl       %.6f   (%lld nets between hard macros)\n", e->macro_hpwl, (long long)e->macro_nets);
    printf("grid             %dx%d (cols x rows)\n", cfg->cols, cfg->rows);
    printf("congestion_grid  %dx%d (%s)\n", ccols, crows, cong_mode(o, c));
    printf("canvas           %.10g x %.10g um (%s", cfg->canvas_w, cfg->canvas_h, p->canvas_from);
    if (prep) printf(", lower-left %.10g %.10g", prep->origin_x, prep->origin_y);
    printf(")\n");
    printf("routes/um        h %g  v %g (%s)\n", cfg->h_rpm, cfg->v_rpm, p->routes_from);
    printf("macro routes/um  h %g  v %g\n", cfg->h_macro_alloc, cfg->v_macro_alloc);
    printf("smoothing        %d\n", cfg->smooth_range);
    printf("nets             %d (total weight %g)\n", c->nnets, c->net_count);
    if (prep)
        printf("clustering       %d soft macros (%s), seed %llu, grid %s, soft placer %s%s\n", prep->cl.nclusters,
               prep->cl.physical ? "physical" : "leiden", o->seed, prep->grid_chosen ? "chosen" : "given", o->soft_ct ? "ct" : "analytic",
               prep->fd_mixed ? " (mixed-size FD)" : "");
    if (e->sm.runs)
        printf("soft placements  %d: the cost terms are their mean; proxy min %.9f, max %.9f, spread %.2f %%\n",
               e->sm.runs, e->sm.min, e->sm.max, 100 * e->sm.spread);
    if (ss)
        printf("seeds            %d (%llu..%llu): proxy mean %.9f, min %.9f, max %.9f, spread %.2f %%\n", ss->k,
               o->seed, o->seed + (unsigned long long)ss->k - 1, ss->mean, ss->min, ss->max,
               100 * (ss->max - ss->min) / ss->mean);
    if (e->has_full) pl_report_full_print(stdout, &e->fs, 16);
    return PL_OK;
}

/* The problem set-up that the options ask for. */
static void problem_config(const eval_opts *o, pl_problem_config *pc)
{
    pl_problem_config_default(pc);
    pl_problem_config_inputs(pc, o->design, o->placement, o->lefs, o->nlef);
    pc->prep.seed = o->seed;
    pc->prep.cols = o->cols, pc->prep.rows = o->rows;
    if (o->clusters) pc->prep.cluster.target = o->clusters;
    pc->prep.soft_ct = o->soft_ct;
    if (o->physical >= 0) pc->prep.cluster.physical = o->physical;
    pc->prep.threads = o->threads;
    pc->soft_runs = o->soft_runs;
    pc->macro_layers = o->macro_layers;
    pc->reserve = o->reserve;
    pc->grid2023 = o->grid2023;
    pc->canvas_die = o->canvas_die;
    pc->have_canvas = o->have_canvas, pc->canvas_w = o->cw, pc->canvas_h = o->ch;
    pc->have_routes = o->have_routes, pc->h_rpm = o->hr, pc->v_rpm = o->vr;
    pc->have_macro = o->have_macro, pc->h_macro = o->hm, pc->v_macro = o->vm;
    pc->have_smooth = o->smooth_set, pc->smooth = o->smooth;
    pc->have_weights = o->have_weights;
    memcpy(pc->w, o->w, sizeof pc->w);
    pc->bookshelf = o->bk;
}

/* Sets p up with seed o->seed + k and returns its cost; with more seeds, t and ss get the mean terms
 * and the proxy per seed (the last problem and cost are kept for the report). */
static pl_status eval_seeds(const eval_opts *o, pl_problem *p, pl_cost *c, pl_cost_terms *t, seed_stats *ss,
                            pl_soft_mean *sm)
{
    pl_problem_config pc;
    problem_config(o, &pc);
    int k = pl_problem_is_flat(o->design) ? o->seeds : 1;
    pl_cost_terms sum;
    memset(&sum, 0, sizeof sum);
    ss->k = k;
    for (int i = 0; i < k; i++) {
        pc.prep.seed = o->seed + (uint64_t)i;
        if (i > 0) pl_cost_free(c), pl_problem_free(p);
        PL_TRY(pl_problem_setup(p, &pc));
        memset(sm, 0, sizeof *sm);
        if (pl_soft_applies(p)) {
            /* the soft macros placed soft_runs times (the first as set up), the mean costed */
            int has_cost = 0;
            PL_TRY(pl_soft_cost(p, p->nl, o->threads, c, &has_cost, sm));
            *t = sm->mean;
            ss->soft_spread[i] = sm->spread;
        } else {
            PL_TRY(pl_cost_init(c, p->nl, &p->cost));
            pl_cost_terms_get(c, t);
        }
        ss->proxy[i] = t->proxy_cost;
        sum.wirelength += t->wirelength, sum.wirelength_cost += t->wirelength_cost;
        sum.density_cost += t->density_cost, sum.congestion_cost += t->congestion_cost;
        sum.proxy_cost += t->proxy_cost;
        ss->min = i ? fmin(ss->min, t->proxy_cost) : t->proxy_cost;
        ss->max = i ? fmax(ss->max, t->proxy_cost) : t->proxy_cost;
    }
    if (k > 1) {
        t->wirelength = sum.wirelength / k, t->wirelength_cost = sum.wirelength_cost / k;
        t->density_cost = sum.density_cost / k, t->congestion_cost = sum.congestion_cost / k;
        t->proxy_cost = sum.proxy_cost / k;
    }
    ss->mean = sum.proxy_cost / k;
    return PL_OK;
}

pl_status pl_cmd_eval(int argc, char **argv)
{
    eval_opts o;
    int help;
    PL_TRY(parse_args(argc, argv, &o, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    if (o.full && !pl_problem_is_flat(o.design))
        return pl_err(PL_EINVAL, "eval: --full needs a LEF/DEF or Bookshelf design (its standard cells are placed)");
    pl_status s = pl_inputs_lefs(&o.lx, "eval", o.lefs, &o.nlef, MAX_LEFS, NULL);
    if (s != PL_OK) {
        pl_inputs_lefs_free(&o.lx);
        return s;
    }
    pl_problem p;
    pl_cost c;
    memset(&c, 0, sizeof c);
    eval_out out;
    memset(&out, 0, sizeof out);
    s = eval_seeds(&o, &p, &c, &out.t, &out.ss, &out.sm);
    out.p = &p, out.c = &c;
    if (s == PL_OK) out.macro_hpwl = pl_hpwl_macro(&p.flat, &out.macro_nets);
    if (s == PL_OK && o.full) {
        pl_full_config fc;
        pl_full_config_default(&fc);
        fc.gplace.seed = o.seed;
        fc.gplace.threads = o.threads;
        fc.route_estimate = p.format != PL_DESIGN_BOOKSHELF;
        s = pl_full_eval(&p.flat, &fc, &out.fs, NULL);
        out.has_full = s == PL_OK;
    }
    if (s == PL_OK) {
        pl_info("eval", "%lld nodes, %d costed nets, %d pins", (long long)p.nl->nnodes, c.nnets, c.npins);
        s = print_result(&o, &out);
    }
    pl_cost_free(&c);
    pl_problem_free(&p);
    pl_inputs_lefs_free(&o.lx);
    return s;
}
