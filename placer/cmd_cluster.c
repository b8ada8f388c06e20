/* cmd_cluster.c: `placer cluster`: a LEF/DEF design -> Circuit Training clustered netlist (+ .plc, GraphML). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/problem.h"
#include "cost/tech.h"
#include "parsers/ctpb_write.h"
#include "parsers/def.h"
#include "parsers/plc.h"
#include "placer/commands.h"
#include "placer/inputs.h"
#include "placer/options.h"
#include "core/json.h"
#include "core/log.h"
#include "core/tmpfile.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer cluster DESIGN.def|DESIGN.aux [--lef FILE]... [--lef-dir DIR] -o OUT.pb.txt [options]\n\n"
            "Clusters the standard cells of a LEF/DEF or Bookshelf design into soft macros and writes the clustered\n"
            "netlist (hard macros with their pins, soft macros, ports) in Circuit Training's protobuf text\n"
            "format. Steps: the placement grid (Circuit Training's choice unless --grid), cells sharing a\n"
            "net with a macro or an IO region (one grid cell along an edge) grouped with it, Leiden\n"
            "communities (igraph) on the rest with the resolution searched to the target count, large\n"
            "clusters split and tiny ones merged, soft-macro area = cell area / utilization, then\n"
            "placement of the soft macros (analytical; mixed-size when hard macros are unplaced).\n"
            "Coordinates are relative to the die's lower-left corner. Same inputs and seed, same bytes.\n\n"
            "options:\n"
            "  -o, --output FILE      the clustered netlist (.pb.txt; .gz is gzipped)\n"
            "  --plc FILE             also a .plc placement with the grid, canvas and LEF routing\n"
            "  --graphml FILE         also the macro/cluster/port graph as GraphML (igraph)\n"
            "  --lef FILE             LEF, technology first; repeat (default: the LEFs beside the DEF)\n"
            "  --lef-dir DIR          every *.tlef/*.lef in DIR, technology first, then by name; repeat\n"
            PL_INPUTS_MACROS_HELP
            "  --seed N               seed (default 1)\n"
            "  --clusters N           target soft-macro count (default round(2 sqrt(cells)), at most 1000)\n"
            "  --clustering C         physical (default: the cells spread by a coarse global placement\n"
            "                         without the macros, cut by position) or leiden (by connectivity)\n"
            "  --utilization U        soft-macro area = cell area / U (default 0.5)\n"
            "  --fanout N             nets with more pins are left out (default 500)\n"
            "  --grid COLSxROWS       placement grid instead of choosing one\n"
            "  --no-fd                leave the soft macros at the canvas centre\n"
            "  --json                 the summary as one JSON object\n"
            "  -h, --help             this text\n");
}

enum { MAX_LEFS = 64 };

typedef struct cluster_opts {
    const char *design, *out, *plc, *graphml;
    const char *lefs[MAX_LEFS];
    pl_lef_extra lx; /* --lef-dir */
    int nlef, json, cols, rows, nofd;
    pl_prepare_config pc;
    pl_bookshelf_options bk; /* --macros */
} cluster_opts;

static pl_status parse_args(int argc, char **argv, cluster_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    pl_prepare_config_default(&o->pc);
    o->pc.threads = 2; /* the physical clustering's global placement; same result with any count */
    const pl_opt table[] = {
        {PL_OPT_STRING("output", 'o', &o->out)},
        {PL_OPT_STRING("plc", 0, &o->plc)},
        {PL_OPT_STRING("graphml", 0, &o->graphml)},
        {PL_OPT_REPEAT("lef", 0, o->lefs, &o->nlef, MAX_LEFS)},
        PL_OPTS_LEF_DIR(&o->lx),
        PL_OPTS_MACROS(&o->bk),
        {PL_OPT_UINT64("seed", 0, &o->pc.seed)},
        {PL_OPT_INT("clusters", 0, &o->pc.cluster.target, 1, 1000000)},
        {PL_OPT_CHOICE("clustering", 0, &o->pc.cluster.physical, "leiden|physical")},
        {PL_OPT_INT("fanout", 0, &o->pc.cluster.fanout_max, 2, 10000000)},
        {PL_OPT_DOUBLE("utilization", 0, &o->pc.cluster.utilization, 0, 1), .flags = PL_OPT_OPEN_LO},
        {PL_OPT_INT_PAIR("grid", 'x', &o->pc.cols, &o->pc.rows, 1, INFINITY), .want = "COLSxROWS such as 24x21"},
        {PL_OPT_FLAG("no-fd", 0, &o->pc.fd, 0)},
        {PL_OPT_FLAG("json", 0, &o->json, 1)},
        {0},
    };
    pl_opt_pos pos = {&o->design, 1, 0, "one DESIGN only"};
    PL_TRY(pl_opts_parse("cluster", table, argc, argv, &pos, help));
    if (*help) return PL_OK;
    if (!o->design) return pl_err(PL_EINVAL, "cluster: no DESIGN given (see placer cluster --help)");
    if (!o->out) return pl_err(PL_EINVAL, "cluster: no output given: -o OUT.pb.txt");
    return PL_OK;
}

static pl_status write_plc(const char *path, const pl_problem *prob)
{
    pl_plc_header h;
    pl_plc_header_init(&h);
    const pl_cost_config *c = &prob->cost;
    h.have = PL_PLC_HAVE_GRID | PL_PLC_HAVE_CANVAS | PL_PLC_HAVE_SMOOTH;
    h.cols = c->cols, h.rows = c->rows;
    h.width = c->canvas_w, h.height = c->canvas_h;
    h.smooth_range = c->smooth_range;
    if (!strcmp(prob->routes_from, "lef")) {
        h.have |= PL_PLC_HAVE_ROUTES | PL_PLC_HAVE_MACRO;
        h.h_rpm = c->h_rpm, h.v_rpm = c->v_rpm, h.h_macro_alloc = c->h_macro_alloc, h.v_macro_alloc = c->v_macro_alloc;
    } else {
        pl_warn("cluster", "no routing layers in the LEF: the .plc has no routing header");
    }
    snprintf(h.block, sizeof h.block, "%s", prob->flat.design ? prob->flat.design : "");
    pl_status s = pl_plc_write(path, &h, &prob->prep.nl);
    pl_plc_header_free(&h);
    return s;
}

/* The summary as one JSON line; numbers keep the text of their printf formats. */
static pl_status print_json(const cluster_opts *o, const pl_netlist *flat, const pl_prepare *p,
                            const pl_netlist_stats *st)
{
    json_object *r = json_object_new_object(), *g;
    json_object_object_add(r, "design", pl_json_str(flat->design));
    json_object_object_add(r, "seed", json_object_new_uint64(o->pc.seed));
    json_object_object_add(r, "cells", json_object_new_int(p->cl.g.nv));
    json_object_object_add(r, "clusters", json_object_new_int(p->cl.nclusters));
    json_object_object_add(r, "clustering", pl_json_str(p->cl.physical ? "physical" : "leiden"));
    json_object_object_add(r, "groups", json_object_new_int(p->cl.ngroups));
    json_object_object_add(r, "macros", json_object_new_int64(st->macros));
    json_object_object_add(r, "ports", json_object_new_int64(st->io_pins));
    json_object_object_add(r, "nets", json_object_new_int64(st->nets));
    json_object_object_add(r, "grid", g = json_object_new_object());
    json_object_object_add(g, "cols", json_object_new_int(p->cols));
    json_object_object_add(g, "rows", json_object_new_int(p->rows));
    json_object_object_add(g, "chosen", json_object_new_boolean(p->grid_chosen));
    json_object_object_add(r, "resolution", pl_json_fixed(p->cl.resolution, "%.6g"));
    json_object_object_add(r, "leiden_runs", json_object_new_int(p->cl.leiden_runs));
    json_object_object_add(r, "cut", pl_json_fixed(p->cl.cut, "%.6f"));
    json_object_object_add(r, "total_weight", pl_json_fixed(p->cl.total, "%.6f"));
    json_object_object_add(r, "fd", g = json_object_new_object());
    json_object_object_add(g, "mixed", json_object_new_boolean(p->fd_mixed));
    json_object_object_add(g, "overlap_area", pl_json_fixed(p->fd.overlap_area, "%.6f"));
    json_object_object_add(r, "ms", g = json_object_new_object());
    json_object_object_add(g, "grid", pl_json_fixed(p->ms_grid, "%.1f"));
    json_object_object_add(g, "cluster", pl_json_fixed(p->ms_cluster, "%.1f"));
    json_object_object_add(g, "spread", pl_json_fixed(p->ms_spread, "%.1f"));
    json_object_object_add(g, "netlist", pl_json_fixed(p->ms_build, "%.1f"));
    json_object_object_add(g, "fd", pl_json_fixed(p->ms_fd, "%.1f"));
    json_object_object_add(r, "output", pl_json_str(o->out));
    pl_status s = pl_json_write(stdout, r, PL_JSON_LINE);
    json_object_put(r);
    return s;
}

pl_status pl_cmd_cluster(int argc, char **argv)
{
    cluster_opts o;
    int help;
    PL_TRY(parse_args(argc, argv, &o, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    if (!pl_problem_is_flat(o.design))
        return pl_err(PL_EINVAL, "cluster: %s: DESIGN must be a LEF/DEF (.def, .def.gz) or Bookshelf (.aux) design",
                      o.design);
    /* every input and output known, before any work: no output replaces an input, every folder takes a file */
    pl_outset os;
    pl_outset_init(&os, "cluster");
    const char *st_out = NULL, *st_plc = NULL, *st_graphml = NULL;
    pl_status s = pl_inputs_lefs(&o.lx, "cluster", o.lefs, &o.nlef, MAX_LEFS, NULL);
    if (s == PL_OK) s = pl_inputs_design(&os, o.design, NULL, o.lefs, o.nlef, 0);
    if (s == PL_OK) s = pl_outset_output(&os, o.out, "-o", &st_out);
    if (s == PL_OK && o.plc) s = pl_outset_output(&os, o.plc, "--plc", &st_plc);
    if (s == PL_OK && o.graphml) s = pl_outset_output(&os, o.graphml, "--graphml", &st_graphml);
    if (s != PL_OK) {
        pl_outset_free(&os);
        pl_inputs_lefs_free(&o.lx);
        return s;
    }
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pl_problem_config_inputs(&pc, o.design, NULL, o.lefs, o.nlef);
    pc.prep = o.pc;
    pc.routes_optional = 1;
    pc.bookshelf = o.bk;
    pl_problem prob;
    s = pl_problem_setup(&prob, &pc);
    const pl_netlist *flat = &prob.flat;
    const pl_prepare *p = &prob.prep;
    if (s == PL_OK) {
        char comment[512];
        snprintf(comment, sizeof comment,
                 "placer cluster: design=%s seed=%llu clusters=%d grid=%dx%d utilization=%g fanout=%d",
                 flat->design ? flat->design : "", (unsigned long long)o.pc.seed, p->cl.nclusters, p->cols, p->rows,
                 o.pc.cluster.utilization, o.pc.cluster.fanout_max);
        pl_ctpb_write_opts wo = {1.0 / o.pc.cluster.utilization, comment};
        s = pl_ctpb_write(&p->nl, st_out, &wo);
    }
    if (s == PL_OK && o.plc) s = write_plc(st_plc, &prob);
    if (s == PL_OK && o.graphml) s = pl_cluster_graphml_write(&p->nl, st_graphml);
    if (s == PL_OK) s = pl_outset_commit(&os); /* every output, or none */
    if (s == PL_OK) {
        pl_netlist_stats st;
        pl_netlist_stats_compute(&p->nl, &st);
        if (o.json) {
            s = print_json(&o, flat, p, &st);
        } else {
            printf("design       %s (seed %llu)\n", flat->design ? flat->design : "", (unsigned long long)o.pc.seed);
            printf("cells        %d -> %d soft macros (%d macro/IO groups; %s)\n", p->cl.g.nv, p->cl.nclusters,
                   p->cl.ngroups, p->cl.physical ? "physical" : "leiden");
            printf("netlist      %lld hard macros, %lld ports, %lld nets\n", (long long)st.macros,
                   (long long)st.io_pins, (long long)st.nets);
            printf("grid         %dx%d (cols x rows, %s)\n", p->cols, p->rows, p->grid_chosen ? "chosen" : "given");
            printf("cut          %.1f of %.1f edge weight\n", p->cl.cut, p->cl.total);
            printf("time         grid %.0f ms, clustering %.0f ms (spread %.0f ms), netlist %.0f ms, fd %.0f ms\n",
                   p->ms_grid, p->ms_cluster, p->ms_spread, p->ms_build, p->ms_fd);
            printf("wrote        %s%s%s%s%s\n", o.out, o.plc ? ", " : "", o.plc ? o.plc : "", o.graphml ? ", " : "",
                   o.graphml ? o.graphml : "");
        }
    }
    pl_problem_free(&prob);
    pl_outset_free(&os);
    pl_inputs_lefs_free(&o.lx);
    return s;
}
