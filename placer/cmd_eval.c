/* cmd_eval.c: `placer eval`: the Circuit Training proxy cost of a placement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/design_cost.h"
#include "cost/proxy.h"
#include "cost/tech.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "parsers/plc.h"
#include "placer/commands.h"
#include "core/log.h"
#include "core/netlist.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer eval DESIGN [--placement FILE.plc|FILE.def] [--lef FILE]... [options]\n\n"
            "Computes the Circuit Training proxy cost (reference §1): wirelength, density and\n"
            "congestion costs and their weighted sum.\n"
            "DESIGN is a Circuit Training netlist (netlist.pb.txt, .gz too): grid, canvas, routing\n"
            "capacities and smoothing come from the .plc header.\n"
            "Or DESIGN is a DEF (.def, .def.gz): it is clustered as `placer cluster` does (seeded), the\n"
            "macros take their places from --placement, the grid is Circuit Training's choice unless\n"
            "--grid is given, the soft macros are placed (by the analytical placer;\n"
            "mixed-size when macros are unplaced), and the cost is that of the clustered netlist; coordinates are\n"
            "relative to the DIEAREA's lower-left corner. Same inputs and seed, same number.\n"
            "The canvas is the DIEAREA and routing capacity comes from the technology LEF: the routing layers\n"
            "above the lowest one give H = sum 1/pitch over horizontal layers and V = sum 1/pitch\n"
            "over vertical ones, times (1 - power reserve, default 0.18); a hard macro blocks the\n"
            "lowest --macro-layers routing layers (default 4) and its allocation is the same sum\n"
            "over those. Density counts hard and soft macros only, as in Circuit Training.\n"
            "The options below override every derived value.\n\n"
            "options:\n"
            "  --placement FILE         .plc (CT netlists) or .def (DEF designs; components are\n"
            "                           matched by name) to evaluate; default: the design's own\n"
            "  --lef FILE               LEF for a DEF design, technology first; repeat. Default:\n"
            "                           the *.tlef/*.lef files beside the DEF\n"
            "  --macro-layers N         routing layers a hard macro blocks (DEF; default 4)\n"
            "  --power-reserve F        fraction of tracks kept for power (DEF; default 0.18)\n"
            "  --seed N                 clustering and FD seed for a DEF design (default 1)\n"
            "  --clusters N             soft macros wanted (DEF; default round(2 sqrt(cells)), <= 1000)\n"
            "  --json                   one JSON object instead of text\n"
            "  --grid COLSxROWS         placement grid (e.g. 24x21)\n"
            "  --soft-placer P          DEF: how the soft macros are placed: analytic (default) or ct\n"
            "                           (Circuit Training's force-directed schedule, as the published\n"
            "                           reference costs were computed)\n"
            "  --canvas WxH             canvas size in µm\n"
            "  --routes H,V             routing tracks per µm (default 70.33,74.51)\n"
            "  --macro-routes H,V       tracks per µm blocked by hard macros (default 51.79,51.79)\n"
            "  --smooth K               congestion smoothing range in cells (default 2, 2023 grid 5)\n"
            "  --weights W,D,C          wirelength, density, congestion weights (default 1,0.5,0.5)\n"
            "  --congestion-grid 2023   congestion grid of CT since June 2023 (cell 2000/(H+V) µm)\n"
            "  --legacy-congestion-grid congestion grid = placement grid (the default)\n"
            "  -h, --help               this text\n");
}

static int parse_pair(const char *s, char sep, double *a, double *b)
{
    char *e;
    *a = strtod(s, &e);
    if (e == s || *e != sep) return 0;
    const char *t = e + 1;
    *b = strtod(t, &e);
    return e != t && *e == 0;
}

static pl_status need_arg(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) return pl_err(PL_EINVAL, "eval: %s needs a value (see placer eval --help)", opt);
    return PL_OK;
}

enum { MAX_LEFS = 64 };

typedef struct eval_opts {
    const char *design, *placement;
    const char *lefs[MAX_LEFS];
    int nlef, macro_layers;
    double reserve;
    int json, grid2023, smooth_set, smooth;
    int cols, rows;
    double cw, ch, hr, vr, hm, vm, w[3];
    int have_canvas, have_routes, have_macro, have_weights;
    unsigned long long seed;
    int clusters;
    int soft_ct; /* --soft-placer ct */
} eval_opts;

static pl_status parse_args(int argc, char **argv, eval_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    *help = 0;
    o->macro_layers = PL_COST_MACRO_LAYERS;
    o->reserve = PL_COST_POWER_RESERVE;
    o->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            *help = 1;
            return PL_OK;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--placement")) {
            PL_TRY(need_arg(i, argc, a));
            o->placement = argv[++i];
        } else if (!strcmp(a, "--lef")) {
            PL_TRY(need_arg(i, argc, a));
            if (o->nlef == MAX_LEFS) return pl_err(PL_EINVAL, "eval: too many --lef files (at most %d)", MAX_LEFS);
            o->lefs[o->nlef++] = argv[++i];
        } else if (!strcmp(a, "--macro-layers")) {
            PL_TRY(need_arg(i, argc, a));
            char *e;
            long k = strtol(argv[++i], &e, 10);
            if (*e || e == argv[i] || k < 0 || k > 100)
                return pl_err(PL_EINVAL, "eval: --macro-layers wants an integer >= 0, not '%s'", argv[i]);
            o->macro_layers = (int)k;
        } else if (!strcmp(a, "--seed") || !strcmp(a, "--clusters")) {
            PL_TRY(need_arg(i, argc, a));
            char *e;
            const char *v = argv[++i];
            unsigned long long k = strtoull(v, &e, 0);
            if (*e || e == v || v[0] == '-' || (a[2] == 'c' && (k < 1 || k > 1000000)))
                return pl_err(PL_EINVAL, "eval: %s wants a non-negative integer, not '%s'", a, v);
            if (a[2] == 's') o->seed = k;
            else o->clusters = (int)k;
        } else if (!strcmp(a, "--power-reserve")) {
            PL_TRY(need_arg(i, argc, a));
            char *e;
            o->reserve = strtod(argv[++i], &e);
            if (*e || e == argv[i] || !(o->reserve >= 0 && o->reserve < 1))
                return pl_err(PL_EINVAL, "eval: --power-reserve wants a fraction in [0, 1), not '%s'", argv[i]);
        } else if (!strcmp(a, "--soft-placer")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            if (!strcmp(v, "ct")) o->soft_ct = 1;
            else if (!strcmp(v, "analytic")) o->soft_ct = 0;
            else return pl_err(PL_EINVAL, "eval: --soft-placer wants analytic or ct, not '%s'", v);
        } else if (!strcmp(a, "--grid")) {
            PL_TRY(need_arg(i, argc, a));
            double c, r;
            if (!parse_pair(argv[++i], 'x', &c, &r) || c < 1 || r < 1 || c != (int)c || r != (int)r)
                return pl_err(PL_EINVAL, "eval: --grid wants COLSxROWS such as 24x21, not '%s'", argv[i]);
            o->cols = (int)c;
            o->rows = (int)r;
        } else if (!strcmp(a, "--canvas")) {
            PL_TRY(need_arg(i, argc, a));
            if (!parse_pair(argv[++i], 'x', &o->cw, &o->ch) || !(o->cw > 0) || !(o->ch > 0))
                return pl_err(PL_EINVAL, "eval: --canvas wants WxH in µm, not '%s'", argv[i]);
            o->have_canvas = 1;
        } else if (!strcmp(a, "--routes")) {
            PL_TRY(need_arg(i, argc, a));
            if (!parse_pair(argv[++i], ',', &o->hr, &o->vr) || !(o->hr > 0) || !(o->vr > 0))
                return pl_err(PL_EINVAL, "eval: --routes wants H,V > 0, not '%s'", argv[i]);
            o->have_routes = 1;
        } else if (!strcmp(a, "--macro-routes")) {
            PL_TRY(need_arg(i, argc, a));
            if (!parse_pair(argv[++i], ',', &o->hm, &o->vm) || o->hm < 0 || o->vm < 0)
                return pl_err(PL_EINVAL, "eval: --macro-routes wants H,V >= 0, not '%s'", argv[i]);
            o->have_macro = 1;
        } else if (!strcmp(a, "--smooth")) {
            PL_TRY(need_arg(i, argc, a));
            char *e;
            long k = strtol(argv[++i], &e, 10);
            if (*e || e == argv[i] || k < 0 || k > 1000)
                return pl_err(PL_EINVAL, "eval: --smooth wants an integer >= 0, not '%s'", argv[i]);
            o->smooth = (int)k;
            o->smooth_set = 1;
        } else if (!strcmp(a, "--weights")) {
            PL_TRY(need_arg(i, argc, a));
            const char *s = argv[++i];
            char *e;
            for (int k = 0; k < 3; k++) {
                o->w[k] = strtod(s, &e);
                if (e == s || (k < 2 && *e != ',') || (k == 2 && *e) || o->w[k] < 0)
                    return pl_err(PL_EINVAL, "eval: --weights wants W,D,C such as 1,0.5,0.5, not '%s'", argv[i]);
                s = e + 1;
            }
            o->have_weights = 1;
        } else if (!strcmp(a, "--congestion-grid")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            if (!strcmp(v, "2023")) o->grid2023 = 1;
            else if (!strcmp(v, "legacy")) o->grid2023 = 0;
            else return pl_err(PL_EINVAL, "eval: --congestion-grid wants 2023 or legacy, not '%s'", v);
        } else if (!strcmp(a, "--legacy-congestion-grid")) {
            o->grid2023 = 0;
        } else if (a[0] == '-' && a[1]) {
            return pl_err(PL_EINVAL, "eval: unknown option '%s' (see placer eval --help)", a);
        } else if (!o->design) {
            o->design = a;
        } else {
            return pl_err(PL_EINVAL, "eval: unexpected argument '%s' (one DESIGN only)", a);
        }
    }
    if (!o->design) return pl_err(PL_EINVAL, "eval: no DESIGN given (see placer eval --help)");
    return PL_OK;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static void print_result(const eval_opts *o, const pl_netlist *nl, const pl_cost_config *cfg,
                         const pl_cost *c, const pl_cost_terms *t, const char *routes_from, const pl_prepare *prep)
{
    int ccols = c->cfg.cong_cols, crows = c->cfg.cong_rows;
    if (o->json) {
        printf("{\"design\": \"%s\", \"placement\": ", nl->design ? nl->design : "");
        if (o->placement) {
            putchar('"');
            for (const char *p = o->placement; *p; p++) {
                if (*p == '"' || *p == '\\') putchar('\\');
                putchar(*p);
            }
            putchar('"');
        } else {
            printf("null");
        }
        printf(", \"wirelength\": %.6f, \"wirelength_cost\": %.9f, \"density_cost\": %.9f, "
               "\"congestion_cost\": %.9f, \"proxy_cost\": %.9f, "
               "\"grid\": {\"cols\": %d, \"rows\": %d}, "
               "\"congestion_grid\": {\"cols\": %d, \"rows\": %d, \"mode\": \"%s\"}, "
               "\"canvas\": {\"width\": %.6f, \"height\": %.6f}, "
               "\"routes_per_micron\": {\"h\": %g, \"v\": %g, \"from\": \"%s\"}, "
               "\"macro_routes_per_micron\": {\"h\": %g, \"v\": %g}, \"smoothing\": %d, "
               "\"weights\": {\"wirelength\": %g, \"density\": %g, \"congestion\": %g}, "
               "\"nets\": %d, \"net_weight\": %g",
               t->wirelength, t->wirelength_cost, t->density_cost, t->congestion_cost, t->proxy_cost, cfg->cols,
               cfg->rows, ccols, crows, o->grid2023 ? "2023" : "legacy", cfg->canvas_w, cfg->canvas_h, cfg->h_rpm,
               cfg->v_rpm, routes_from, cfg->h_macro_alloc, cfg->v_macro_alloc, cfg->smooth_range, cfg->w_wirelength,
               cfg->w_density, cfg->w_congestion, c->nnets, c->net_count);
        if (prep)
            printf(", \"seed\": %llu, \"clusters\": %d, \"grid_chosen\": %s, \"fd_mixed\": %s, \"soft_placer\": \"%s\"",
                   o->seed, prep->cl.nclusters, prep->grid_chosen ? "true" : "false",
                   prep->fd_mixed ? "true" : "false", o->soft_ct ? "ct" : "analytic");
        printf("}\n");
        return;
    }
    printf("design           %s\n", nl->design ? nl->design : "");
    if (o->placement) printf("placement        %s\n", o->placement);
    printf("wirelength       %.3f\n", t->wirelength);
    printf("wirelength_cost  %.9f\n", t->wirelength_cost);
    printf("density_cost     %.9f\n", t->density_cost);
    printf("congestion_cost  %.9f\n", t->congestion_cost);
    printf("proxy_cost       %.9f   (= %g*wirelength_cost + %g*density_cost + %g*congestion_cost)\n", t->proxy_cost,
           cfg->w_wirelength, cfg->w_density, cfg->w_congestion);
    printf("grid             %dx%d (cols x rows)\n", cfg->cols, cfg->rows);
    printf("congestion_grid  %dx%d (%s)\n", ccols, crows, o->grid2023 ? "2023" : "legacy");
    printf("canvas           %.10g x %.10g um\n", cfg->canvas_w, cfg->canvas_h);
    printf("routes/um        h %g  v %g (%s)\n", cfg->h_rpm, cfg->v_rpm, routes_from);
    printf("macro routes/um  h %g  v %g\n", cfg->h_macro_alloc, cfg->v_macro_alloc);
    printf("smoothing        %d\n", cfg->smooth_range);
    printf("nets             %d (total weight %g)\n", c->nnets, c->net_count);
    if (prep)
        printf("clustering       %d soft macros, seed %llu, grid %s, soft placer %s%s\n", prep->cl.nclusters, o->seed,
               prep->grid_chosen ? "chosen" : "given", o->soft_ct ? "ct" : "analytic",
               prep->fd_mixed ? " (mixed-size FD)" : "");
}

/* Copies placements of the DEF `path` onto nl's nodes of the same name. */
static pl_status apply_def_placement(pl_netlist *nl, const char *path, const eval_opts *o)
{
    pl_netlist p;
    pl_netlist_init(&p);
    pl_status s = pl_design_read(&p, path, o->lefs, o->nlef);
    int64_t matched = 0, missing = 0;
    for (int64_t i = 0; s == PL_OK && i < p.nnodes; i++) {
        const pl_node *src = &p.nodes[i];
        int32_t d = pl_netlist_find_node(nl, src->name);
        if (d < 0) {
            missing++;
            continue;
        }
        pl_node *dst = &nl->nodes[d];
        dst->x = src->x;
        dst->y = src->y;
        dst->orient = src->orient;
        dst->state = src->state;
        matched++;
    }
    if (s == PL_OK && missing) pl_warn("eval", "%s: %lld components are not in the design", path, (long long)missing);
    if (s == PL_OK) pl_info("eval", "%s: %lld placements applied", path, (long long)matched);
    pl_netlist_free(&p);
    return s;
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
    int is_def = ends_with(o.design, ".def") || ends_with(o.design, ".def.gz");
    if (!is_def && o.nlef) return pl_err(PL_EINVAL, "eval: --lef applies to DEF designs only");
    pl_netlist nl;
    pl_netlist_init(&nl);
    pl_plc_header h;
    pl_plc_header_init(&h);
    pl_cost c;
    memset(&c, 0, sizeof c);
    pl_cost_config cfg;
    pl_cost_config_default(&cfg);
    const char *routes_from = "default";
    pl_prepare prep;
    memset(&prep, 0, sizeof prep);
    pl_netlist_init(&prep.nl);
    const pl_netlist *cnl = &nl; /* the netlist costed: the clustered one for a DEF */
    pl_status s;
    if (is_def) {
        s = pl_design_read(&nl, o.design, o.lefs, o.nlef);
        if (s == PL_OK && o.placement) {
            if (ends_with(o.placement, ".plc"))
                s = pl_err(PL_EINVAL, "eval: a .plc placement needs a Circuit Training netlist; give a .def");
            else
                s = apply_def_placement(&nl, o.placement, &o);
        }
        if (s == PL_OK && !nl.has_die && !o.have_canvas)
            s = pl_err(PL_EINVAL, "eval: %s has no DIEAREA; give --canvas WxH", o.design);
        if (s == PL_OK) {
            pl_design_cost_config dc;
            pl_design_cost_config_default(&dc);
            dc.seed = o.seed;
            dc.cols = o.cols, dc.rows = o.rows;
            dc.clusters = o.clusters;
            dc.macro_layers = o.macro_layers;
            dc.reserve = o.reserve;
            dc.routes_from_lef = !o.have_routes || !o.have_macro;
            dc.grid2023 = o.grid2023;
            dc.soft_ct = o.soft_ct;
            s = pl_design_cost_prepare(&nl, &dc, &prep, &cfg, NULL);
            if (dc.routes_from_lef) routes_from = "lef";
            cnl = &prep.nl;
        }
    } else {
        s = pl_ctpb_read(&nl, o.design);
        if (s == PL_OK && o.placement) s = pl_plc_read(o.placement, &h, &nl);
        if (h.have & PL_PLC_HAVE_CANVAS) cfg.canvas_w = h.width, cfg.canvas_h = h.height;
        else if (nl.has_die) cfg.canvas_w = nl.die.x1 - nl.die.x0, cfg.canvas_h = nl.die.y1 - nl.die.y0;
        if (h.have & PL_PLC_HAVE_GRID) cfg.cols = h.cols, cfg.rows = h.rows;
        if (h.have & PL_PLC_HAVE_ROUTES) cfg.h_rpm = h.h_rpm, cfg.v_rpm = h.v_rpm, routes_from = "plc";
        if (h.have & PL_PLC_HAVE_MACRO) cfg.h_macro_alloc = h.h_macro_alloc, cfg.v_macro_alloc = h.v_macro_alloc;
        if (h.have & PL_PLC_HAVE_SMOOTH) cfg.smooth_range = h.smooth_range;
        else if (o.grid2023) cfg.smooth_range = 5;
        if ((h.have & PL_PLC_HAVE_CONG_GRID) && !o.cols) cfg.cong_cols = h.cong_cols, cfg.cong_rows = h.cong_rows;
    }
    if (s != PL_OK) goto done;
    if (o.cols) cfg.cols = o.cols, cfg.rows = o.rows, cfg.cong_cols = cfg.cong_rows = 0;
    if (o.have_canvas) cfg.canvas_w = o.cw, cfg.canvas_h = o.ch;
    if (o.have_routes) cfg.h_rpm = o.hr, cfg.v_rpm = o.vr, routes_from = "option";
    if (o.have_macro) cfg.h_macro_alloc = o.hm, cfg.v_macro_alloc = o.vm;
    if (o.smooth_set) cfg.smooth_range = o.smooth;
    if (o.have_weights) cfg.w_wirelength = o.w[0], cfg.w_density = o.w[1], cfg.w_congestion = o.w[2];
    if (o.grid2023) pl_cost_config_grid2023(&cfg);
    if (cfg.cols == 0) {
        s = pl_err(PL_EINVAL,
                   "eval: no placement grid: give --placement FILE.plc with a Columns/Rows header or --grid COLSxROWS");
        goto done;
    }
    s = pl_cost_init(&c, cnl, &cfg);
    if (s != PL_OK) goto done;
    pl_cost_terms t;
    pl_cost_terms_get(&c, &t);
    pl_info("eval", "%lld nodes, %d costed nets, %d pins", (long long)cnl->nnodes, c.nnets, c.npins);
    print_result(&o, &nl, &cfg, &c, &t, routes_from, is_def ? &prep : NULL);
done:
    pl_prepare_free(&prep);
    pl_cost_free(&c);
    pl_plc_header_free(&h);
    pl_netlist_free(&nl);
    return s;
}
