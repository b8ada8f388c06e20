/* cmd_render.c: `placer render DESIGN [--placement FILE] -o OUT.png|.svg|.pdf [options]`: a floorplan image. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/problem.h"
#include "cluster/softcost.h"
#include "cost/proxy.h"
#include "cost/route.h"
#include "cost/tech.h"
#include "gplace/full.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "parsers/plc.h"
#include "placer/commands.h"
#include "placer/inputs.h"
#include "placer/options.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/netlist.h"
#include "core/tmpfile.h"
#include "viz/render.h"
#include "viz/surface.h"

enum { MAX_LEFS = 64 };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer render DESIGN [--lef FILE]... [--lef-dir DIR] [--lef-from REPORT.json] [--placement FILE]\n"
            "                     -o OUT.png|OUT.svg|OUT.pdf [options]\n\n"
            "Draws the floorplan: die and core (rows' bounding box; rows when at least 4 px apart),\n"
            "placed and fixed hard macros in different colours with a mark in the pin-1 corner (the\n"
            "master's lower-left after orientation) and their names where they fit, soft macros\n"
            "translucent, placed std cells as a faint density, IO pins, placement blockages, a title\n"
            "(design, proxy cost when every node is placed, seed), a scale bar in um and a legend.\n"
            "Unplaced macros are never drawn in the die: the legend counts them and draws them apart.\n"
            "The format comes from OUT's extension.\n\n"
            "DESIGN is a DEF (.def, .def.gz; the LEFs beside it, never beside --placement, unless --lef,\n"
            "--lef-dir or --lef-from), a Bookshelf design (.aux; --placement FILE.pl for another .pl) or a\n"
            "Circuit Training netlist (.pb.txt, .pb.txt.gz), normally with --placement FILE.plc.\n\n"
            "options:\n"
            "  -o, --output FILE     the image to write (.png, .svg or .pdf); required\n"
            "  --lef FILE            LEF for a DEF design, technology first; repeat\n"
            "  --lef-dir DIR         every *.tlef/*.lef in DIR, technology first, then by name; repeat\n"
            "  --lef-from REPORT     the LEF files a `placer place --report REPORT` run read\n"
            "  --placement FILE      .plc (Circuit Training netlists), .def (the DEF's component\n"
            "                        placements are applied by instance name) or .pl (Bookshelf)\n"
            "  --overlay KIND        none (default), density (macro area per grid cell, as in the\n"
            "                        proxy cost), congestion (proxy routing congestion, max of H and V)\n"
            "                        or nets (flylines of the heaviest nets on a macro or IO pin);\n"
            "                        DEF designs: cells (standard-cell area per GCell) or rudy (RUDY wire\n"
            "                        density per GCell, um/um^2), on the GCell grid of `placer eval\n"
            "                        --full`; unplaced standard cells are first placed and legalised\n"
            "                        around the macros as `eval --full` does (--seed, default 1)\n"
            "  --size PIXELS         longer side of the image in pixels (points for SVG/PDF);\n"
            "                        default 1024, 64 to 16384\n"
            "  --grid COLSxROWS      cost grid for overlays and the title; default: the .plc header,\n"
            "                        else about 34x34 shaped like the die\n"
            "  --flylines N          nets drawn by --overlay nets (default 200)\n"
            "  --no-labels           no macro names\n"
            "  --title TEXT          title instead of the design name\n"
            "  --seed N              seed that produced the placement, shown in the title\n"
            PL_INPUTS_MACROS_HELP
            "  -h, --help            this text\n");
}

typedef struct render_opts {
    const char *design, *placement, *out, *title;
    const char *lefs[MAX_LEFS];
    pl_lef_extra lx; /* --lef-dir, --lef-from */
    int nlef, cols, rows, size, overlay, labels, flylines, has_seed;
    unsigned long long seed;
    pl_bookshelf_options bk; /* --macros */
} render_opts;

/* --overlay KIND, by viz/render.h's names */
static int parse_overlay(const char *v, void *dst)
{
    int k = pl_render_overlay_parse(v);
    if (k < 0) return 0;
    *(int *)dst = k;
    return 1;
}

static pl_status parse_args(int argc, char **argv, render_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    o->size = 1024;
    o->labels = 1;
    o->flylines = 200;
    const pl_opt table[] = {
        {PL_OPT_STRING("output", 'o', &o->out)},
        {PL_OPT_REPEAT("lef", 0, o->lefs, &o->nlef, MAX_LEFS)},
        PL_OPTS_LEF_DIR(&o->lx),
        PL_OPTS_LEF_FROM(&o->lx),
        PL_OPTS_MACROS(&o->bk),
        {PL_OPT_STRING("placement", 0, &o->placement)},
        {PL_OPT_CUSTOM("overlay", 0, &o->overlay, parse_overlay, "none, density, congestion, nets, cells or rudy")},
        {PL_OPT_INT("size", 0, &o->size, 64, 16384)},
        {PL_OPT_INT("flylines", 0, &o->flylines, 0, 1000000)},
        {PL_OPT_INT_PAIR("grid", 'x', &o->cols, &o->rows, 1, 4096), .want = "COLSxROWS such as 35x33"},
        {PL_OPT_FLAG("no-labels", 0, &o->labels, 0)},
        {PL_OPT_STRING("title", 0, &o->title)},
        {PL_OPT_UINT64("seed", 0, &o->seed), .set = &o->has_seed},
        {0},
    };
    pl_opt_pos pos = {&o->design, 1, 0, "one DESIGN only"};
    PL_TRY(pl_opts_parse("render", table, argc, argv, &pos, help));
    if (*help) return PL_OK;
    if (!o->design) return pl_err(PL_EINVAL, "render: no DESIGN given (see placer render --help)");
    if (!o->out) return pl_err(PL_EINVAL, "render: no output given: -o OUT.png|OUT.svg|OUT.pdf");
    return PL_OK;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static double now_ms(void)
{
    return 1e3 * pl_clock_seconds();
}

/* The problem set-up of `placer eval` for this design: the grid and proxy cost that eval shows. */
static void problem_config(const render_opts *o, pl_problem_config *pc)
{
    pl_problem_config_default(pc);
    pl_problem_config_inputs(pc, o->design, o->placement, o->lefs, o->nlef);
    pc->prep.cols = o->cols, pc->prep.rows = o->rows;
    if (o->has_seed) pc->prep.seed = o->seed;
    pc->routes_optional = 1;
    pc->bookshelf = o->bk;
}

/* Counts the unplaced macros (hard and soft) and standard cells of the drawn netlist. */
static void count_unplaced(const pl_netlist *nl, int64_t *macros, int64_t *cells)
{
    *macros = *cells = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        int un = nl->nodes[i].state == PL_PLACE_UNPLACED;
        pl_node_kind k = nl->nodes[i].kind;
        *macros += un && (k == PL_NODE_MACRO || k == PL_NODE_SOFT);
        *cells += un && k == PL_NODE_STDCELL;
    }
}

/* The cost of the set-up problem for the title and the heatmaps; a failure matters only to a heatmap. */
static pl_status cost_of(const render_opts *o, pl_problem *p, pl_status setup, pl_render_config *rc, pl_cost *c,
                         int *have_cost)
{
    int heat = rc->overlay == PL_RENDER_OVERLAY_DENSITY || rc->overlay == PL_RENDER_OVERLAY_CONGESTION;
    int64_t unplaced_macros, unplaced_cells;
    count_unplaced(&p->flat, &unplaced_macros, &unplaced_cells);
    /* a clustered design: the mean over the soft placements as eval reports it (the maps: the first) */
    int soft = setup == PL_OK && pl_soft_applies(p);
    pl_soft_mean sm;
    pl_status s = setup;
    if (s == PL_OK && soft) s = pl_soft_cost(p, p->nl, 2, c, have_cost, &sm);
    else if (s == PL_OK) s = pl_cost_init(c, p->nl, &p->cost);
    if (s != PL_OK) {
        if (heat) return pl_err(s, "render: %s: no cost for the %s overlay: %s", o->design,
                                pl_render_overlay_name(rc->overlay), pl_errmsg());
        pl_info("render", "no proxy cost in the title: %s", pl_errmsg());
        pl_err_clear();
        return PL_OK;
    }
    *have_cost = 1;
    pl_cost_full(c, &rc->terms);
    if (soft) rc->terms = sm.mean;
    /* a DEF's problem places every macro (mixed-size FD for unplaced ones); a CT netlist is as read */
    rc->has_terms = unplaced_macros == 0 && (p->clustered || unplaced_cells == 0);
    if (p->clustered) rc->grid_dx = p->prep.origin_x, rc->grid_dy = p->prep.origin_y;
    pl_info("render", "proxy cost %.4f on a %dx%d grid%s", rc->terms.proxy_cost, p->cost.cols, p->cost.rows,
            rc->has_terms ? "" : " (not in the title: some nodes are unplaced)");
    if (heat && unplaced_macros)
        pl_warn("render", "%lld macros are unplaced: the %s overlay counts them where %s", (long long)unplaced_macros,
                pl_render_overlay_name(rc->overlay),
                p->clustered ? "mixed-size FD puts them" : "the file puts them");
    if (rc->overlay == PL_RENDER_OVERLAY_CONGESTION && unplaced_cells && !p->clustered)
        pl_warn("render", "%lld std cells are unplaced: the congestion overlay routes their pins where the file "
                "puts them", (long long)unplaced_cells);
    return PL_OK;
}

/* The cells and rudy overlays' map on the GCell grid; unplaced standard cells are first placed as
 * `placer eval --full` places them (same seed). maps and v are the caller's to free. */
static pl_status full_heat(const render_opts *o, pl_problem *p, pl_route_maps *maps, double **v, pl_render_heat *h)
{
    pl_netlist *nl = &p->flat;
    if (p->format != PL_DESIGN_DEF)
        return pl_err(PL_EINVAL, "render: %s: the %s overlay needs a LEF/DEF design (its cells and routing layers)",
                      o->design,
                      pl_render_overlay_name((pl_render_overlay)o->overlay));
    int64_t unplaced_macros, unplaced_cells;
    count_unplaced(nl, &unplaced_macros, &unplaced_cells);
    pl_full_config fc;
    pl_full_config_default(&fc);
    if (unplaced_cells) {
        pl_info("render", "%lld standard cells are unplaced: placing them as `placer eval --full` does",
                (long long)unplaced_cells);
        fc.gplace.seed = o->has_seed ? o->seed : 1;
        pl_full_stats fs;
        PL_TRY(pl_full_eval(nl, &fc, &fs, maps));
    } else {
        pl_route_stats rs;
        PL_TRY(pl_route_estimate(nl, &fc.route, &rs, maps));
    }
    int n = maps->cols * maps->rows;
    if (!(*v = malloc((size_t)(n ? n : 1) * sizeof **v))) return pl_err(PL_ENOMEM, "render: out of memory");
    int cells = o->overlay == PL_RENDER_OVERLAY_CELLS;
    if (cells) pl_full_cell_map(nl, maps, *v);
    else memcpy(*v, maps->rudy, (size_t)n * sizeof **v);
    *h = (pl_render_heat){maps->cols, maps->rows, maps->xs, maps->ys, *v,
                          cells ? "cell area / GCell area" : "um of wire / um^2 (H + V)"};
    pl_info("render", "%s overlay on %dx%d GCells", pl_render_overlay_name((pl_render_overlay)o->overlay), maps->cols,
            maps->rows);
    return PL_OK;
}

pl_status pl_cmd_render(int argc, char **argv)
{
    render_opts o;
    int help;
    PL_TRY(parse_args(argc, argv, &o, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    int is_flat = pl_problem_is_flat(o.design);
    int is_pb = ends_with(o.design, ".pb.txt") || ends_with(o.design, ".pb.txt.gz") || ends_with(o.design, ".pb");
    if (!is_flat && !is_pb)
        return pl_err(PL_EINVAL, "render: %s: DESIGN must be a .def(.gz), a Bookshelf .aux or a Circuit Training "
                      ".pb.txt(.gz)", o.design);
    if (!pl_problem_is_def(o.design) && (o.nlef || o.lx.ndir || o.lx.from))
        return pl_err(PL_EINVAL, "render: --lef, --lef-dir and --lef-from apply to DEF designs only");
    pl_viz_format fmt;
    PL_TRY(pl_viz_format_from_path(o.out, &fmt));
    /* every input and the output known, before any work: the image never replaces an input */
    pl_outset os;
    pl_outset_init(&os, "render");
    const char *st_out = NULL;
    pl_status s = pl_inputs_lefs(&o.lx, "render", o.lefs, &o.nlef, MAX_LEFS, NULL);
    if (s == PL_OK && o.lx.from) s = pl_outset_input(&os, o.lx.from, "the --lef-from report");
    if (s == PL_OK) s = pl_inputs_design(&os, o.design, o.placement, o.lefs, o.nlef, 0);
    if (s == PL_OK) s = pl_outset_output(&os, o.out, "-o", &st_out);
    if (s != PL_OK) {
        pl_outset_free(&os);
        pl_inputs_lefs_free(&o.lx);
        return s;
    }
    pl_render_config rc;
    pl_render_config_default(&rc);
    rc.size = o.size;
    rc.overlay = (pl_render_overlay)o.overlay;
    rc.labels = o.labels;
    rc.max_flylines = o.flylines;
    rc.title = o.title;
    rc.subtitle = o.placement;
    rc.seed = o.seed;
    rc.has_seed = o.has_seed;
    pl_problem_config pc;
    problem_config(&o, &pc);
    pl_problem p;
    pl_cost c;
    memset(&c, 0, sizeof c);
    int have_cost = 0;
    double t0 = now_ms();
    s = pl_problem_setup(&p, &pc);
    double t1 = now_ms();
    if (s != PL_OK && !p.flat.finalized) goto done; /* the design itself could not be read */
    s = cost_of(&o, &p, s, &rc, &c, &have_cost);
    pl_route_maps maps;
    pl_route_maps_init(&maps);
    double *heat_v = NULL;
    pl_render_heat heat;
    if (s == PL_OK && pl_render_overlay_source(rc.overlay) == 1) {
        s = full_heat(&o, &p, &maps, &heat_v, &heat);
        rc.heat = &heat;
    }
    double t2 = now_ms();
    if (s == PL_OK) s = pl_render_file(&p.flat, have_cost ? &c : NULL, &rc, st_out);
    if (s == PL_OK) s = pl_outset_commit(&os);
    double t3 = now_ms();
    if (s == PL_OK) {
        pl_render_layout lay;
        pl_render_layout_compute(&p.flat, &rc, &lay);
        printf("wrote %s (%d x %d, overlay %s)\n", o.out, lay.width, lay.height, pl_render_overlay_name(rc.overlay));
        if (have_cost) printf("proxy_cost       %.9f   (as `placer eval` with the same inputs and seed)\n", rc.terms.proxy_cost);
        pl_info("render", "set-up %.0f ms, cost %.0f ms, drawing %.0f ms", t1 - t0, t2 - t1, t3 - t2);
    }
    pl_route_maps_free(&maps);
    free(heat_v);
done:
    pl_cost_free(&c);
    pl_problem_free(&p);
    pl_outset_free(&os);
    pl_inputs_lefs_free(&o.lx);
    return s;
}
