/* cmd_cluster.c: `placer cluster`: a LEF/DEF design -> Circuit Training clustered netlist (+ .plc, GraphML). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/prepare.h"
#include "cost/tech.h"
#include "parsers/ctpb_write.h"
#include "parsers/def.h"
#include "parsers/plc.h"
#include "placer/commands.h"
#include "core/json.h"
#include "core/log.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer cluster DESIGN.def [--lef FILE]... -o OUT.pb.txt [options]\n\n"
            "Clusters the standard cells of a LEF/DEF design into soft macros and writes the clustered\n"
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
            "  --seed N               seed (default 1)\n"
            "  --clusters N           target soft-macro count (default round(2 sqrt(cells)), at most 1000)\n"
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
    int nlef, json, cols, rows, nofd;
    pl_prepare_config pc;
} cluster_opts;

static pl_status need(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) return pl_err(PL_EINVAL, "cluster: %s needs a value (see placer cluster --help)", opt);
    return PL_OK;
}

static pl_status parse_u64(const char *s, const char *opt, uint64_t *v)
{
    char *e;
    unsigned long long x = strtoull(s, &e, 0);
    if (e == s || *e || s[0] == '-') return pl_err(PL_EINVAL, "cluster: %s wants a non-negative integer, not '%s'", opt, s);
    *v = x;
    return PL_OK;
}

static pl_status parse_args(int argc, char **argv, cluster_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    pl_prepare_config_default(&o->pc);
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        uint64_t v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            *help = 1;
            return PL_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            PL_TRY(need(i, argc, a));
            o->out = argv[++i];
        } else if (!strcmp(a, "--plc")) {
            PL_TRY(need(i, argc, a));
            o->plc = argv[++i];
        } else if (!strcmp(a, "--graphml")) {
            PL_TRY(need(i, argc, a));
            o->graphml = argv[++i];
        } else if (!strcmp(a, "--lef")) {
            PL_TRY(need(i, argc, a));
            if (o->nlef == MAX_LEFS) return pl_err(PL_EINVAL, "cluster: too many --lef files (at most %d)", MAX_LEFS);
            o->lefs[o->nlef++] = argv[++i];
        } else if (!strcmp(a, "--seed")) {
            PL_TRY(need(i, argc, a));
            PL_TRY(parse_u64(argv[++i], a, &o->pc.seed));
        } else if (!strcmp(a, "--clusters")) {
            PL_TRY(need(i, argc, a));
            PL_TRY(parse_u64(argv[++i], a, &v));
            if (v < 1 || v > 1000000) return pl_err(PL_EINVAL, "cluster: --clusters wants 1..1000000");
            o->pc.cluster.target = (int)v;
        } else if (!strcmp(a, "--fanout")) {
            PL_TRY(need(i, argc, a));
            PL_TRY(parse_u64(argv[++i], a, &v));
            if (v < 2 || v > 10000000) return pl_err(PL_EINVAL, "cluster: --fanout wants an integer >= 2");
            o->pc.cluster.fanout_max = (int)v;
        } else if (!strcmp(a, "--utilization")) {
            PL_TRY(need(i, argc, a));
            char *e;
            double u = strtod(argv[++i], &e);
            if (*e || e == argv[i] || !(u > 0 && u <= 1))
                return pl_err(PL_EINVAL, "cluster: --utilization wants a number in (0, 1], not '%s'", argv[i]);
            o->pc.cluster.utilization = u;
        } else if (!strcmp(a, "--grid")) {
            PL_TRY(need(i, argc, a));
            int c, r;
            char tail;
            if (sscanf(argv[++i], "%dx%d%c", &c, &r, &tail) != 2 || c < 1 || r < 1)
                return pl_err(PL_EINVAL, "cluster: --grid wants COLSxROWS such as 24x21, not '%s'", argv[i]);
            o->pc.cols = c, o->pc.rows = r;
        } else if (!strcmp(a, "--no-fd")) {
            o->pc.fd = 0;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (a[0] == '-' && a[1]) {
            return pl_err(PL_EINVAL, "cluster: unknown option '%s' (see placer cluster --help)", a);
        } else if (!o->design) {
            o->design = a;
        } else {
            return pl_err(PL_EINVAL, "cluster: unexpected argument '%s' (one DESIGN only)", a);
        }
    }
    if (!o->design) return pl_err(PL_EINVAL, "cluster: no DESIGN given (see placer cluster --help)");
    if (!o->out) return pl_err(PL_EINVAL, "cluster: no output given: -o OUT.pb.txt");
    return PL_OK;
}

static pl_status write_plc(const cluster_opts *o, const pl_netlist *flat, const pl_prepare *p)
{
    pl_plc_header h;
    pl_plc_header_init(&h);
    h.have = PL_PLC_HAVE_GRID | PL_PLC_HAVE_CANVAS | PL_PLC_HAVE_SMOOTH;
    h.cols = p->cols, h.rows = p->rows;
    h.width = p->nl.die.x1, h.height = p->nl.die.y1;
    h.smooth_range = 2;
    pl_cost_routes r;
    if (pl_cost_routes_from_lef(flat, PL_COST_MACRO_LAYERS, PL_COST_POWER_RESERVE, &r) == PL_OK) {
        h.have |= PL_PLC_HAVE_ROUTES | PL_PLC_HAVE_MACRO;
        h.h_rpm = r.h_rpm, h.v_rpm = r.v_rpm, h.h_macro_alloc = r.h_macro_alloc, h.v_macro_alloc = r.v_macro_alloc;
    } else {
        pl_warn("cluster", "no routing layers in the LEF: the .plc has no routing header (%s)", pl_errmsg());
        pl_err_clear();
    }
    snprintf(h.block, sizeof h.block, "%s", flat->design ? flat->design : "");
    pl_status s = pl_plc_write(o->plc, &h, &p->nl);
    pl_plc_header_free(&h);
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
    pl_netlist flat;
    pl_netlist_init(&flat);
    pl_prepare p;
    memset(&p, 0, sizeof p);
    pl_netlist_init(&p.nl);
    pl_status s = pl_design_read(&flat, o.design, o.lefs, o.nlef);
    if (s == PL_OK) s = pl_prepare_run(&p, &flat, &o.pc);
    if (s == PL_OK) {
        char comment[512];
        snprintf(comment, sizeof comment,
                 "placer cluster: design=%s seed=%llu clusters=%d grid=%dx%d utilization=%g fanout=%d",
                 flat.design ? flat.design : "", (unsigned long long)o.pc.seed, p.cl.nclusters, p.cols, p.rows,
                 o.pc.cluster.utilization, o.pc.cluster.fanout_max);
        pl_ctpb_write_opts wo = {1.0 / o.pc.cluster.utilization, comment};
        s = pl_ctpb_write(&p.nl, o.out, &wo);
    }
    if (s == PL_OK && o.plc) s = write_plc(&o, &flat, &p);
    if (s == PL_OK && o.graphml) s = pl_cluster_graphml_write(&p.nl, o.graphml);
    if (s == PL_OK) {
        pl_netlist_stats st;
        pl_netlist_stats_compute(&p.nl, &st);
        if (o.json) {
            printf("{\"design\": ");
            pl_json_str(stdout, flat.design ? flat.design : "");
            printf(", \"seed\": %llu, \"cells\": %d, \"clusters\": %d, \"groups\": %d, \"macros\": %lld, "
                   "\"ports\": %lld, \"nets\": %lld, \"grid\": {\"cols\": %d, \"rows\": %d, \"chosen\": %s}, "
                   "\"resolution\": %.6g, \"leiden_runs\": %d, \"cut\": %.6f, \"total_weight\": %.6f, "
                   "\"fd\": {\"mixed\": %s, \"overlap_area\": %.6f}, \"ms\": {\"grid\": %.1f, \"cluster\": %.1f, "
                   "\"netlist\": %.1f, \"fd\": %.1f}, \"output\": ",
                   (unsigned long long)o.pc.seed, p.cl.g.nv, p.cl.nclusters, p.cl.ngroups, (long long)st.macros,
                   (long long)st.io_pins, (long long)st.nets, p.cols, p.rows, p.grid_chosen ? "true" : "false",
                   p.cl.resolution, p.cl.leiden_runs, p.cl.cut, p.cl.total, p.fd_mixed ? "true" : "false",
                   p.fd.overlap_area, p.ms_grid, p.ms_cluster, p.ms_build, p.ms_fd);
            pl_json_str(stdout, o.out);
            printf("}\n");
        } else {
            printf("design       %s (seed %llu)\n", flat.design ? flat.design : "", (unsigned long long)o.pc.seed);
            printf("cells        %d -> %d soft macros (%d macro/IO groups)\n", p.cl.g.nv, p.cl.nclusters,
                   p.cl.ngroups);
            printf("netlist      %lld hard macros, %lld ports, %lld nets\n", (long long)st.macros,
                   (long long)st.io_pins, (long long)st.nets);
            printf("grid         %dx%d (cols x rows, %s)\n", p.cols, p.rows, p.grid_chosen ? "chosen" : "given");
            printf("cut          %.1f of %.1f edge weight\n", p.cl.cut, p.cl.total);
            printf("time         grid %.0f ms, clustering %.0f ms, netlist %.0f ms, fd %.0f ms\n", p.ms_grid,
                   p.ms_cluster, p.ms_build, p.ms_fd);
            printf("wrote        %s%s%s%s%s\n", o.out, o.plc ? ", " : "", o.plc ? o.plc : "", o.graphml ? ", " : "",
                   o.graphml ? o.graphml : "");
        }
    }
    pl_prepare_free(&p);
    pl_netlist_free(&flat);
    return s;
}
