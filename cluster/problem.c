/* problem.c: the one problem set-up; see problem.h. */
#include "cluster/problem.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/gridsel.h"
#include "core/clock.h"
#include "core/log.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "parsers/def_place.h"

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

int pl_problem_is_def(const char *path) { return ends_with(path, ".def") || ends_with(path, ".def.gz"); }

pl_design_format pl_problem_format(const char *path)
{
    if (pl_problem_is_def(path)) return PL_DESIGN_DEF;
    return pl_bookshelf_is_aux(path) ? PL_DESIGN_BOOKSHELF : PL_DESIGN_CT;
}

int pl_problem_is_flat(const char *path) { return pl_problem_format(path) != PL_DESIGN_CT; }

void pl_problem_config_default(pl_problem_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    pl_prepare_config_default(&cfg->prep);
    pl_bookshelf_options_default(&cfg->bookshelf);
    cfg->macro_layers = PL_COST_MACRO_LAYERS;
    cfg->reserve = PL_COST_POWER_RESERVE;
    cfg->soft_runs = PL_SOFT_RUNS;
}

void pl_problem_config_inputs(pl_problem_config *cfg, const char *design, const char *placement,
                              const char *const *lefs, int nlef)
{
    cfg->design = design;
    cfg->placement = placement;
    cfg->nlef = nlef < PL_PROBLEM_MAX_LEFS ? nlef : PL_PROBLEM_MAX_LEFS;
    for (int i = 0; i < cfg->nlef; i++) cfg->lefs[i] = lefs[i];
}

void pl_problem_free(pl_problem *p)
{
    if (!p) return;
    pl_netlist_free(&p->flat);
    pl_plc_header_free(&p->plc);
    pl_prepare_free(&p->prep);
    memset(p, 0, sizeof *p);
    pl_netlist_init(&p->flat);
    pl_netlist_init(&p->prep.nl);
    pl_plc_header_init(&p->plc);
    p->nl = &p->flat;
}

void pl_problem_fd_config(const pl_problem *p, pl_fd_config *fc) { pl_prepare_fd_config(p->soft_ct, p->fd_seed, fc); }

/* ---- Circuit Training netlists: the .plc header says it all ---- */

static pl_status setup_ct(pl_problem *p, const pl_problem_config *cfg)
{
    if (cfg->nlef) return pl_err(PL_EINVAL, "--lef applies to DEF designs only");
    PL_TRY(pl_ctpb_read(&p->flat, cfg->design));
    const char *plc = cfg->placement;
    char buf[4096];
    if (!plc && cfg->plc_beside) {
        const char *slash = strrchr(cfg->design, '/');
        int dl = slash ? (int)(slash - cfg->design) : 1;
        snprintf(buf, sizeof buf, "%.*s/initial.plc", dl, slash ? cfg->design : ".");
        struct stat sb;
        if (stat(buf, &sb) == 0) plc = buf;
    }
    if (plc) PL_TRY(pl_plc_read(plc, &p->plc, &p->flat));
    pl_cost_config *c = &p->cost;
    const pl_plc_header *h = &p->plc;
    p->canvas_from = "plc";
    if (h->have & PL_PLC_HAVE_CANVAS) {
        c->canvas_w = h->width, c->canvas_h = h->height;
    } else if (p->flat.has_die) {
        c->canvas_w = p->flat.die.x1 - p->flat.die.x0, c->canvas_h = p->flat.die.y1 - p->flat.die.y0;
        p->canvas_from = "die";
    }
    if (h->have & PL_PLC_HAVE_GRID) c->cols = h->cols, c->rows = h->rows;
    if (h->have & PL_PLC_HAVE_ROUTES) c->h_rpm = h->h_rpm, c->v_rpm = h->v_rpm, p->routes_from = "plc";
    if (h->have & PL_PLC_HAVE_MACRO) c->h_macro_alloc = h->h_macro_alloc, c->v_macro_alloc = h->v_macro_alloc;
    if (h->have & PL_PLC_HAVE_SMOOTH) c->smooth_range = h->smooth_range;
    else if (cfg->grid2023) c->smooth_range = 5;
    if ((h->have & PL_PLC_HAVE_CONG_GRID) && !cfg->prep.cols) c->cong_cols = h->cong_cols, c->cong_rows = h->cong_rows;
    if (cfg->have_canvas) c->canvas_w = cfg->canvas_w, c->canvas_h = cfg->canvas_h;
    if (!(c->canvas_w > 0 && c->canvas_h > 0))
        return pl_err(PL_EINVAL, "%s: no canvas (no .plc Width/Height, no FP bounding box); give --canvas WxH",
                      cfg->design);
    if (!p->flat.has_die) { /* Circuit Training's canvas starts at the origin */
        p->flat.die = (pl_rect){0, 0, c->canvas_w, c->canvas_h};
        p->flat.has_die = 1;
    }
    if (!c->cols && !cfg->prep.cols) {
        pl_gridsel_result gr;
        pl_netlist *nl = &p->flat;
        pl_rect die = nl->die;
        nl->die = (pl_rect){0, 0, c->canvas_w, c->canvas_h};
        pl_status s = pl_gridsel_netlist(nl, &cfg->prep.grid, &gr);
        nl->die = die;
        PL_TRY(s);
        c->cols = gr.cols, c->rows = gr.rows;
        p->grid_chosen = 1;
    }
    pl_prepare_streams(cfg->prep.seed, &(uint64_t){0}, &p->fd_seed);
    return PL_OK;
}

/* ---- LEF/DEF designs: clustered, canvas = the die, routing from the LEF ---- */

static pl_status apply_def_placement(pl_netlist *nl, const char *path)
{
    if (ends_with(path, ".plc")) return pl_err(PL_EINVAL, "a .plc placement needs a Circuit Training netlist; give a .def");
    pl_def_placement_stats st;
    PL_TRY(pl_def_placement_apply(nl, path, &st));
    if (st.missing)
        pl_warn("setup", "%s: %lld of %lld components are not in the design", path, (long long)st.missing,
                (long long)st.components);
    pl_info("setup", "%s: %lld placements applied", path, (long long)st.applied);
    return PL_OK;
}

/* A Bookshelf design: no LEF; a placement is another .pl of the same design. */
static pl_status read_bookshelf(pl_netlist *nl, const pl_problem_config *cfg)
{
    if (cfg->nlef) return pl_err(PL_EINVAL, "--lef applies to DEF designs only; a Bookshelf design has none");
    PL_TRY(pl_bookshelf_read(nl, cfg->design, &cfg->bookshelf));
    if (!cfg->placement) return PL_OK;
    pl_bookshelf_pl_stats st;
    PL_TRY(pl_bookshelf_apply_pl(nl, cfg->placement, &st));
    if (st.missing)
        pl_warn("setup", "%s: %lld of %lld nodes are not in the design", cfg->placement, (long long)st.missing,
                (long long)st.lines);
    pl_info("setup", "%s: %lld placements applied", cfg->placement, (long long)st.applied);
    return PL_OK;
}

pl_rect pl_problem_core(const pl_netlist *flat)
{
    pl_rect rows, core = flat->die;
    if (!pl_netlist_rows_bbox(flat, &rows)) return core;
    double mx = rows.x0 - flat->die.x0, my = rows.y0 - flat->die.y0;
    if (mx >= 0 && my >= 0) core = (pl_rect){rows.x0, rows.y0, flat->die.x1 - mx, flat->die.y1 - my};
    else core = rows;
    pl_rect_include(&core, 0, rows.x1, rows.y1);
    pl_rect_include(&core, 0, rows.x0, rows.y0);
    return core;
}

static pl_status prepare_def(pl_problem *p, const pl_problem_config *cfg)
{
    pl_netlist *flat = &p->flat;
    if (!flat->has_die) return pl_err(PL_EINVAL, "%s has no DIEAREA (canvas)", cfg->design ? cfg->design : "the design");
    if (cfg->have_halo) {
        for (int64_t i = 0; i < flat->nnodes; i++) {
            pl_node *n = &flat->nodes[i];
            if (n->kind != PL_NODE_MACRO || n->halo[0] || n->halo[1] || n->halo[2] || n->halo[3]) continue;
            n->halo[0] = n->halo[2] = cfg->halo[0];
            n->halo[1] = n->halo[3] = cfg->halo[1];
        }
    }
    pl_prepare_config pc = cfg->prep;
    pc.has_canvas = 1;
    pc.canvas = cfg->canvas_die ? flat->die : pl_problem_core(flat);
    p->canvas_from = cfg->canvas_die || flat->nrows == 0 ? "die" : "core";
    if (p->format == PL_DESIGN_BOOKSHELF && !cfg->canvas_die && pl_netlist_rows_bbox(flat, &pc.canvas))
        p->canvas_from = "rows";
    pl_cost_config *c = &p->cost;
    c->canvas_w = pc.canvas.x1 - pc.canvas.x0;
    c->canvas_h = pc.canvas.y1 - pc.canvas.y0;
    {
        pl_cost_routes r;
        pl_status s = pl_cost_routes_from_lef(flat, cfg->macro_layers, cfg->reserve, &r);
        if (s == PL_OK) p->channel = r.channel;
        if (cfg->have_routes && cfg->have_macro) {
            pl_err_clear();
        } else if (s == PL_OK) {
            c->h_rpm = r.h_rpm, c->v_rpm = r.v_rpm;
            c->h_macro_alloc = r.h_macro_alloc, c->v_macro_alloc = r.v_macro_alloc;
            p->routes_from = "lef";
            pl_info("cost", "routing from %d LEF layers: %g/%g tracks/um, macros %g/%g", r.layers, r.h_rpm, r.v_rpm,
                    r.h_macro_alloc, r.v_macro_alloc);
        } else if (cfg->routes_optional || p->format == PL_DESIGN_BOOKSHELF) {
            pl_info("setup", "routing capacity: %s; using Circuit Training's defaults", pl_errmsg());
            pl_err_clear();
        } else {
            return s;
        }
    }
    if (cfg->grid2023) c->smooth_range = 5;
    PL_TRY(pl_prepare_run(&p->prep, flat, &pc));
    p->nl = &p->prep.nl; /* its origin is the canvas's lower-left corner */
    c->cols = p->prep.cols, c->rows = p->prep.rows;
    p->grid_chosen = p->prep.grid_chosen;
    p->fd_seed = p->prep.fd_seed;
    return PL_OK;
}

static void start(pl_problem *p, const pl_problem_config *cfg, pl_design_format format)
{
    memset(p, 0, sizeof *p);
    pl_problem_free(p);
    p->format = format;
    p->clustered = format != PL_DESIGN_CT;
    p->soft_ct = cfg->prep.soft_ct;
    p->soft_runs = p->clustered && cfg->soft_runs > 1 ? cfg->soft_runs : 1;
    p->routes_from = "default";
    pl_cost_config_default(&p->cost);
}

/* The user's overrides, last. */
static void finish(pl_problem *p, const pl_problem_config *cfg)
{
    pl_cost_config *c = &p->cost;
    if (cfg->prep.cols) c->cols = cfg->prep.cols, c->rows = cfg->prep.rows, c->cong_cols = c->cong_rows = 0;
    if (cfg->have_canvas) c->canvas_w = cfg->canvas_w, c->canvas_h = cfg->canvas_h, p->canvas_from = "option";
    if (cfg->have_routes) c->h_rpm = cfg->h_rpm, c->v_rpm = cfg->v_rpm, p->routes_from = "option";
    if (cfg->have_macro) c->h_macro_alloc = cfg->h_macro, c->v_macro_alloc = cfg->v_macro;
    if (cfg->have_smooth) c->smooth_range = cfg->smooth;
    if (cfg->have_weights) c->w_wirelength = cfg->w[0], c->w_density = cfg->w[1], c->w_congestion = cfg->w[2];
    if (cfg->grid2023) pl_cost_config_grid2023(c);
}

/* A failure of the set-up names the design when its message names no input file (grid selection,
 * an empty canvas...): "design.def: grid selection: ...". A message that names the design, or starts
 * with a file's name ("macros.lef:12: ..."), is kept. */
static pl_status named(pl_status s, const pl_problem_config *cfg)
{
    const char *m = pl_errmsg();
    if (s == PL_OK || !cfg->design || strstr(m, cfg->design)) return s;
    size_t head = strcspn(m, ": ");
    if (m[head] == ':' && (memchr(m, '/', head) || memchr(m, '.', head))) return s;
    return pl_err(s, "%s: %s", cfg->design, m);
}

pl_status pl_problem_setup(pl_problem *p, const pl_problem_config *cfg)
{
    double t0 = pl_clock_seconds();
    start(p, cfg, pl_problem_format(cfg->design));
    if (p->clustered) {
        if (p->format == PL_DESIGN_DEF) {
            PL_TRY(named(pl_design_read(&p->flat, cfg->design, cfg->lefs, cfg->nlef), cfg));
            if (cfg->placement) PL_TRY(named(apply_def_placement(&p->flat, cfg->placement), cfg));
        } else {
            PL_TRY(named(read_bookshelf(&p->flat, cfg), cfg));
        }
        p->read_seconds = pl_clock_seconds() - t0;
        PL_TRY(named(prepare_def(p, cfg), cfg));
    } else {
        PL_TRY(named(setup_ct(p, cfg), cfg));
    }
    finish(p, cfg);
    p->seconds = pl_clock_seconds() - t0;
    return PL_OK;
}

pl_status pl_problem_setup_netlist(pl_problem *p, pl_netlist *flat, const pl_problem_config *cfg)
{
    double t0 = pl_clock_seconds();
    start(p, cfg, PL_DESIGN_DEF);
    p->flat = *flat; /* moved in */
    pl_netlist_init(flat);
    PL_TRY(prepare_def(p, cfg));
    finish(p, cfg);
    p->seconds = pl_clock_seconds() - t0;
    return PL_OK;
}
