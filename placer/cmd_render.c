/* cmd_render.c: `placer render DESIGN [--placement FILE] -o OUT.png|.svg|.pdf [options]`: a floorplan image. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cost/proxy.h"
#include "cost/tech.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "parsers/plc.h"
#include "placer/commands.h"
#include "core/log.h"
#include "core/netlist.h"
#include "viz/render.h"

enum { MAX_LEFS = 64 };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer render DESIGN [--lef FILE]... [--placement FILE] -o OUT.png|OUT.svg|OUT.pdf [options]\n\n"
            "Draws the floorplan: die and core (rows' bounding box; rows when at least 4 px apart),\n"
            "placed and fixed hard macros in different colours with a mark in the pin-1 corner (the\n"
            "master's lower-left after orientation) and their names where they fit, soft macros\n"
            "translucent, placed std cells as a faint density, IO pins, placement blockages, a title\n"
            "(design, proxy cost when every node is placed, seed), a scale bar in um and a legend.\n"
            "Unplaced macros are never drawn in the die: the legend counts them and draws them apart.\n"
            "The format comes from OUT's extension.\n\n"
            "DESIGN is a DEF (.def, .def.gz; LEFs beside it unless --lef) or a Circuit Training netlist\n"
            "(.pb.txt, .pb.txt.gz), normally with --placement FILE.plc.\n\n"
            "options:\n"
            "  -o, --output FILE     the image to write (.png, .svg or .pdf); required\n"
            "  --lef FILE            LEF for a DEF design, technology first; repeat\n"
            "  --placement FILE      .plc (Circuit Training netlists) or .def: the DEF's component\n"
            "                        placements are applied by instance name\n"
            "  --overlay KIND        none (default), density (macro area per grid cell, as in the\n"
            "                        proxy cost), congestion (proxy routing congestion, max of H and V)\n"
            "                        or nets (flylines of the heaviest nets on a macro or IO pin)\n"
            "  --size PIXELS         longer side of the image in pixels (points for SVG/PDF);\n"
            "                        default 1024, 64 to 16384\n"
            "  --grid COLSxROWS      cost grid for overlays and the title; default: the .plc header,\n"
            "                        else about 34x34 shaped like the die\n"
            "  --flylines N          nets drawn by --overlay nets (default 200)\n"
            "  --no-labels           no macro names\n"
            "  --title TEXT          title instead of the design name\n"
            "  --seed N              seed that produced the placement, shown in the title\n"
            "  -h, --help            this text\n");
}

typedef struct render_opts {
    const char *design, *placement, *out, *title;
    const char *lefs[MAX_LEFS];
    int nlef, cols, rows, size, overlay, labels, flylines, has_seed;
    unsigned long long seed;
} render_opts;

static pl_status need_arg(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) return pl_err(PL_EINVAL, "render: %s needs a value (see placer render --help)", opt);
    return PL_OK;
}

static pl_status parse_int(const char *opt, const char *s, long lo, long hi, int *out)
{
    char *e;
    long v = strtol(s, &e, 10);
    if (e == s || *e || v < lo || v > hi)
        return pl_err(PL_EINVAL, "render: %s wants an integer from %ld to %ld, not '%s'", opt, lo, hi, s);
    *out = (int)v;
    return PL_OK;
}

static pl_status parse_args(int argc, char **argv, render_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    o->size = 1024;
    o->labels = 1;
    o->flylines = 200;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            *help = 1;
            return PL_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            PL_TRY(need_arg(i, argc, a));
            o->out = argv[++i];
        } else if (!strcmp(a, "--lef")) {
            PL_TRY(need_arg(i, argc, a));
            if (o->nlef == MAX_LEFS) return pl_err(PL_EINVAL, "render: too many --lef files (at most %d)", MAX_LEFS);
            o->lefs[o->nlef++] = argv[++i];
        } else if (!strcmp(a, "--placement")) {
            PL_TRY(need_arg(i, argc, a));
            o->placement = argv[++i];
        } else if (!strcmp(a, "--overlay")) {
            PL_TRY(need_arg(i, argc, a));
            o->overlay = pl_render_overlay_parse(argv[++i]);
            if (o->overlay < 0)
                return pl_err(PL_EINVAL, "render: --overlay wants none, density, congestion or nets, not '%s'", argv[i]);
        } else if (!strcmp(a, "--size")) {
            PL_TRY(need_arg(i, argc, a));
            PL_TRY(parse_int(a, argv[++i], 64, 16384, &o->size));
        } else if (!strcmp(a, "--flylines")) {
            PL_TRY(need_arg(i, argc, a));
            PL_TRY(parse_int(a, argv[++i], 0, 1000000, &o->flylines));
        } else if (!strcmp(a, "--grid")) {
            PL_TRY(need_arg(i, argc, a));
            const char *g = argv[++i];
            char *e, *e2 = NULL;
            long c = strtol(g, &e, 10), r = *e == 'x' ? strtol(e + 1, &e2, 10) : 0;
            if (e == g || *e != 'x' || e2 == e + 1 || *e2 || c < 1 || r < 1 || c > 4096 || r > 4096)
                return pl_err(PL_EINVAL, "render: --grid wants COLSxROWS such as 35x33, not '%s'", g);
            o->cols = (int)c;
            o->rows = (int)r;
        } else if (!strcmp(a, "--no-labels")) {
            o->labels = 0;
        } else if (!strcmp(a, "--title")) {
            PL_TRY(need_arg(i, argc, a));
            o->title = argv[++i];
        } else if (!strcmp(a, "--seed")) {
            PL_TRY(need_arg(i, argc, a));
            const char *s = argv[++i];
            char *e;
            o->seed = strtoull(s, &e, 10);
            if (e == s || *e || s[0] == '-') return pl_err(PL_EINVAL, "render: --seed wants an integer >= 0, not '%s'", s);
            o->has_seed = 1;
        } else if (a[0] == '-' && a[1]) {
            return pl_err(PL_EINVAL, "render: unknown option '%s' (see placer render --help)", a);
        } else if (!o->design) {
            o->design = a;
        } else {
            return pl_err(PL_EINVAL, "render: unexpected argument '%s' (one DESIGN only)", a);
        }
    }
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
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return 1e3 * (double)ts.tv_sec + 1e-6 * (double)ts.tv_nsec;
}

/* Reads the design and applies the placement; fills the cost configuration from what was read. */
static pl_status load(const render_opts *o, pl_netlist *nl, pl_cost_config *cfg)
{
    int is_def = ends_with(o->design, ".def") || ends_with(o->design, ".def.gz");
    int is_pb = ends_with(o->design, ".pb.txt") || ends_with(o->design, ".pb.txt.gz") || ends_with(o->design, ".pb");
    if (!is_def && !is_pb)
        return pl_err(PL_EINVAL, "render: %s: DESIGN must be a .def(.gz) or a Circuit Training .pb.txt(.gz)", o->design);
    if (is_pb && o->nlef) return pl_err(PL_EINVAL, "render: --lef applies to DEF designs only");
    pl_cost_config_default(cfg);
    pl_plc_header h;
    pl_plc_header_init(&h);
    pl_status s = is_def ? pl_design_read(nl, o->design, o->lefs, o->nlef) : pl_ctpb_read(nl, o->design);
    if (s == PL_OK && o->placement) {
        if (ends_with(o->placement, ".plc")) {
            if (is_def) s = pl_err(PL_EINVAL, "render: a .plc placement needs a Circuit Training netlist; give a .def");
            else s = pl_plc_read(o->placement, &h, nl);
        } else {
            pl_def_placement_stats st;
            s = pl_def_placement_apply(nl, o->placement, &st);
            if (s == PL_OK && st.missing)
                pl_warn("render", "%s: %lld of %lld components are not in the design", o->placement,
                        (long long)st.missing, (long long)st.components);
            if (s == PL_OK) pl_info("render", "%s: %lld placements applied", o->placement, (long long)st.applied);
        }
    }
    if (s == PL_OK) {
        if (h.have & PL_PLC_HAVE_CANVAS) {
            cfg->canvas_w = h.width, cfg->canvas_h = h.height;
            if (!nl->has_die) { /* Circuit Training's canvas is the die, from the origin */
                pl_rect d = {0, 0, h.width, h.height};
                nl->die = d;
                nl->has_die = 1;
            }
        }
        else if (nl->has_die) {
            cfg->origin_x = nl->die.x0, cfg->origin_y = nl->die.y0;
            cfg->canvas_w = nl->die.x1 - nl->die.x0, cfg->canvas_h = nl->die.y1 - nl->die.y0;
        }
        if (h.have & PL_PLC_HAVE_GRID) cfg->cols = h.cols, cfg->rows = h.rows;
        if (h.have & PL_PLC_HAVE_CONG_GRID) cfg->cong_cols = h.cong_cols, cfg->cong_rows = h.cong_rows;
        if (h.have & PL_PLC_HAVE_ROUTES) cfg->h_rpm = h.h_rpm, cfg->v_rpm = h.v_rpm;
        if (h.have & PL_PLC_HAVE_MACRO) cfg->h_macro_alloc = h.h_macro_alloc, cfg->v_macro_alloc = h.v_macro_alloc;
        if (h.have & PL_PLC_HAVE_SMOOTH) cfg->smooth_range = h.smooth_range;
        if (is_def) {
            pl_cost_routes r;
            if (pl_cost_routes_from_lef(nl, PL_COST_MACRO_LAYERS, PL_COST_POWER_RESERVE, &r) == PL_OK) {
                cfg->h_rpm = r.h_rpm, cfg->v_rpm = r.v_rpm;
                cfg->h_macro_alloc = r.h_macro_alloc, cfg->v_macro_alloc = r.v_macro_alloc;
            } else {
                pl_info("render", "routing capacity: %s; using Circuit Training's defaults", pl_errmsg());
                pl_err_clear();
            }
        }
    }
    pl_plc_header_free(&h);
    return s;
}

/* The grid: --grid, else the .plc's, else about 34 x 34 cells shaped like the canvas. */
static void choose_grid(const render_opts *o, pl_cost_config *cfg)
{
    if (o->cols) {
        cfg->cols = o->cols, cfg->rows = o->rows;
        cfg->cong_cols = cfg->cong_rows = 0;
    } else if (cfg->cols == 0 && cfg->canvas_w > 0 && cfg->canvas_h > 0) {
        double a = sqrt(cfg->canvas_w / cfg->canvas_h);
        cfg->cols = (int)fmin(128, fmax(4, lround(34 * a)));
        cfg->rows = (int)fmin(128, fmax(4, lround(34 / a)));
    }
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
    pl_netlist nl;
    pl_netlist_init(&nl);
    pl_cost c;
    memset(&c, 0, sizeof c);
    pl_cost_config cc;
    double t0 = now_ms();
    pl_status s = load(&o, &nl, &cc);
    double t1 = now_ms(), t2 = t1;
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
    int have_cost = 0;
    if (s == PL_OK) {
        pl_netlist_stats st;
        pl_netlist_stats_compute(&nl, &st);
        int64_t unplaced_macros = 0, unplaced_cells = 0;
        for (int64_t i = 0; i < nl.nnodes; i++) {
            int un = nl.nodes[i].state == PL_PLACE_UNPLACED;
            pl_node_kind k = nl.nodes[i].kind;
            unplaced_macros += un && (k == PL_NODE_MACRO || k == PL_NODE_SOFT);
            unplaced_cells += un && k == PL_NODE_STDCELL;
        }
        int heat = rc.overlay == PL_RENDER_OVERLAY_DENSITY || rc.overlay == PL_RENDER_OVERLAY_CONGESTION;
        choose_grid(&o, &cc);
        if (cc.cols < 1 || !(cc.canvas_w > 0)) {
            if (heat) s = pl_err(PL_EINVAL, "render: %s has no die or canvas for the %s overlay", o.design,
                                 pl_render_overlay_name(rc.overlay));
        } else if (heat || (unplaced_macros == 0 && unplaced_cells == 0)) {
            pl_status cs = pl_cost_init(&c, &nl, &cc);
            if (cs == PL_OK) {
                pl_cost_full(&c, &rc.terms);
                have_cost = 1;
                rc.has_terms = unplaced_macros == 0 && unplaced_cells == 0;
                pl_info("render", "proxy cost %.4f on a %dx%d grid%s", rc.terms.proxy_cost, cc.cols, cc.rows,
                        rc.has_terms ? "" : " (not in the title: some nodes are unplaced)");
            } else if (heat) {
                s = cs;
            } else {
                pl_info("render", "no proxy cost in the title: %s", pl_errmsg());
                pl_err_clear();
            }
        }
        if (s == PL_OK && heat && unplaced_macros)
            pl_warn("render", "%lld macros are unplaced: the %s overlay counts them where the file puts them",
                    (long long)unplaced_macros, pl_render_overlay_name(rc.overlay));
        if (s == PL_OK && rc.overlay == PL_RENDER_OVERLAY_CONGESTION && unplaced_cells)
            pl_warn("render", "%lld std cells are unplaced: the congestion overlay routes their pins where the file "
                    "puts them", (long long)unplaced_cells);
        t2 = now_ms();
    }
    if (s == PL_OK) s = pl_render_file(&nl, have_cost ? &c : NULL, &rc, o.out);
    double t3 = now_ms();
    if (s == PL_OK) {
        pl_render_layout lay;
        pl_render_layout_compute(&nl, &rc, &lay);
        printf("wrote %s (%d x %d, overlay %s)\n", o.out, lay.width, lay.height, pl_render_overlay_name(rc.overlay));
        pl_info("render", "read %.0f ms, cost %.0f ms, drawing %.0f ms", t1 - t0, t2 - t1, t3 - t2);
    }
    pl_cost_free(&c);
    pl_netlist_free(&nl);
    return s;
}
