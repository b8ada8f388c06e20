/* test_def.c: the DEF reader on tiny.def (every construct), pin orientation against
 * hand-computed positions and against KLayout, and the shared designs' figures. */
#include <math.h>

#include "parsers/def.h"
#include "parsers/lef.h"
#include "core/log.h"
#include "tests/shared_designs.h"
#include "tests/testutil.h"

#define TINY_LEF "tests/data/tiny/tiny.lef"
#define TINY_DEF "tests/data/tiny/tiny.def"

static pl_netlist nl;
static void setup(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(&nl);
}
static void teardown(void) { pl_netlist_free(&nl); }

TestSuite(def, .init = setup, .fini = teardown);

static void read_tiny(void)
{
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_def_read(&nl, TINY_DEF), PL_OK, "%s", pl_errmsg());
}

static const pl_node *node(const char *name)
{
    int32_t i = pl_netlist_find_node(&nl, name);
    cr_assert_geq(i, 0, "node %s not found", name);
    return &nl.nodes[i];
}

Test(def, tiny_header_floorplan)
{
    read_tiny();
    cr_assert_str_eq(nl.design, "tiny");
    cr_assert_eq(nl.dbu_per_micron, 1000);
    cr_assert_eq(nl.has_die, 1);
    cr_assert_float_eq(nl.die.x1, 100, 1e-12); /* polygon -> bounding box */
    cr_assert_float_eq(nl.die.y1, 80, 1e-12);
    cr_assert_eq(nl.nrows, 2);
    cr_assert_str_eq(nl.rows[1].name, "row1");
    cr_assert_str_eq(nl.rows[1].site, "core");
    cr_assert_eq(nl.rows[1].orient, PL_ORIENT_FS);
    cr_assert_eq(nl.rows[1].nx, 480);
    cr_assert_float_eq(nl.rows[1].y, 3.4, 1e-12);
    cr_assert_float_eq(nl.rows[1].sx, 0.2, 1e-12);
    cr_assert_eq(nl.ntracks, 2);
    cr_assert_eq(nl.tracks[0].axis, 'Y');
    cr_assert_eq(nl.tracks[0].num, 571);
    cr_assert_float_eq(nl.tracks[0].step, 0.14, 1e-12);
    cr_assert_str_eq(nl.tracks[1].layers, "m2");
    cr_assert_eq(nl.ngcells, 1);
    cr_assert_eq(nl.gcells[0].num, 11);
    cr_assert_eq(nl.nblockages, 2);
    cr_assert_eq(nl.blockages[0].kind, PL_BLOCK_PLACEMENT);
    cr_assert_float_eq(nl.blockages[0].partial, 50, 1e-12);
    cr_assert_float_eq(nl.blockages[0].r.x0, 60, 1e-12);
    cr_assert_float_eq(nl.blockages[0].r.y1, 70, 1e-12);
    cr_assert_eq(nl.blockages[1].kind, PL_BLOCK_ROUTING);
    cr_assert_str_eq(nl.blockages[1].layer, "m1");
}

Test(def, tiny_components)
{
    read_tiny();
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    cr_assert_eq(st.components, 12);
    cr_assert_eq(st.macros, 3);
    cr_assert_eq(st.std_cells, 9);
    cr_assert_eq(st.io_pins, 3);
    cr_assert_eq(st.unplaced, 2);
    cr_assert_eq(st.placed, 8);
    cr_assert_eq(st.fixed, 1);
    cr_assert_eq(st.cover, 1);
    const pl_node *r0 = node("ram\\[0\\]"); /* escaped names are kept exactly */
    cr_assert_eq(r0->kind, PL_NODE_MACRO);
    cr_assert_eq(r0->state, PL_PLACE_PLACED);
    cr_assert_float_eq(r0->x, 10, 1e-12);
    cr_assert_float_eq(r0->y, 20, 1e-12);
    const pl_node *r1 = node("ram\\[1\\]");
    cr_assert_eq(r1->state, PL_PLACE_FIXED);
    cr_assert_eq(r1->orient, PL_ORIENT_FS);
    cr_assert_float_eq(r1->halo[0], 1, 1e-12);
    cr_assert_float_eq(r1->halo[3], 4, 1e-12);
    const pl_node *r2 = node("ram2");
    cr_assert_eq(r2->state, PL_PLACE_UNPLACED);
    cr_assert_str_eq(r2->source, "DIST");
    cr_assert_float_eq(r2->weight, 5, 1e-12);
    cr_assert_eq(node("u_fw")->state, PL_PLACE_COVER);
    cr_assert_eq(node("u_free")->state, PL_PLACE_UNPLACED);
    cr_assert_float_eq(pl_node_width(node("u_e")), 1.4, 1e-12);
    cr_assert_float_eq(pl_node_height(node("u_e")), 0.4, 1e-12);
}

Test(def, tiny_nets_and_ports)
{
    read_tiny();
    cr_assert_eq(nl.nnets, 4);
    int32_t clk = pl_netlist_find_net(&nl, "clk");
    cr_assert_eq(nl.net_pin_off[clk + 1] - nl.net_pin_off[clk], 4);
    /* the IO input port drives clk (no component output on it) and comes first */
    int32_t drv = nl.net_pins[nl.net_pin_off[clk]];
    cr_assert_eq(drv, nl.nets[clk].driver);
    cr_assert_str_eq(nl.nodes[nl.pins[drv].node].name, "clk");
    int32_t n1 = pl_netlist_find_net(&nl, "n1");
    cr_assert_eq(nl.net_pin_off[n1 + 1] - nl.net_pin_off[n1], 8);
    cr_assert_float_eq(nl.nets[n1].weight, 3, 1e-12);
    int32_t d = nl.nets[n1].driver;
    cr_assert_str_eq(pl_pin_name(&nl, d), "Z", "the OUTPUT pin drives n1");
    cr_assert_str_eq(nl.nodes[nl.pins[d].node].name, "u_n");
    int32_t out = pl_netlist_find_net(&nl, "out\\[0\\]");
    cr_assert_geq(out, 0);
    cr_assert_eq(nl.net_pin_off[out + 1] - nl.net_pin_off[out], 2, "statement over several lines");
    /* VDD is a supply pin: a port, on no signal net */
    const pl_node *vdd = node("VDD");
    cr_assert_eq(vdd->kind, PL_NODE_PORT);
    cr_assert_eq(nl.pins[nl.node_pins[nl.node_pin_off[vdd - nl.nodes]]].net, -1);
    cr_assert_eq(pl_netlist_find_net(&nl, "VDD"), -1);
    /* the clk port: LAYER ( -50 0 ) ( 50 200 ) turned E at (0, 40000): x 0..0.2, y 39.95..40.05 */
    const pl_node *cp = node("clk");
    cr_assert_eq(cp->state, PL_PLACE_FIXED);
    double x, y;
    pl_pin_position(&nl, nl.node_pins[nl.node_pin_off[cp - nl.nodes]], &x, &y);
    cr_assert_float_eq(x, 0.1, 1e-9);
    cr_assert_float_eq(y, 40.0, 1e-9);
    /* node -> pins CSR agrees with pin owners */
    for (int64_t n = 0; n < nl.nnodes; n++)
        for (int64_t k = nl.node_pin_off[n]; k < nl.node_pin_off[n + 1]; k++)
            cr_assert_eq(nl.pins[nl.node_pins[k]].node, n);
}

/* INV is 0.4 x 1.4 with pin A at (0.1, 0.6); each orientation computed by hand. */
Test(def, pin_offsets_for_every_orientation)
{
    read_tiny();
    static const struct { const char *inst; double x, y; } want[] = {
        {"u_n", 2.1, 2.6}, {"u_s", 3.3, 2.8}, {"u_e", 4.6, 2.3}, {"u_w", 5.8, 2.1},
        {"u_fn", 6.3, 2.6}, {"u_fs", 7.1, 2.8}, {"u_fe", 8.8, 2.3}, {"u_fw", 9.6, 2.1}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int32_t n = pl_netlist_find_node(&nl, want[i].inst);
        int found = 0;
        for (int64_t k = nl.node_pin_off[n]; k < nl.node_pin_off[n + 1]; k++) {
            int32_t p = nl.node_pins[k];
            if (strcmp(pl_pin_name(&nl, p), "A") != 0) continue;
            double x, y;
            pl_pin_position(&nl, p, &x, &y);
            cr_assert_float_eq(x, want[i].x, 1e-9, "%s A x", want[i].inst);
            cr_assert_float_eq(y, want[i].y, 1e-9, "%s A y", want[i].inst);
            found = 1;
        }
        cr_assert(found, "%s has pin A", want[i].inst);
    }
}

/* KLayout places the LEF pin labels with its own transformations: every single-shape pin we
 * compute must land where KLayout puts it, for all eight orientations. */
Test(def, pin_positions_match_klayout)
{
    if (system("command -v klayout >/dev/null 2>&1") != 0) cr_skip_test("klayout not installed (make deps)");
    read_tiny();
    const char *dir = pl_test_tmpdir();
    char cmd[2048], out[256], cwd[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(out, sizeof out, "%s/k.txt", dir);
    snprintf(cmd, sizeof cmd,
             "klayout -b -r tests/klayout/read_def.py -rd def=%s -rd lefs=%s/%s -rd out=%s -rd pins=1 >/dev/null 2>&1",
             TINY_DEF, cwd, TINY_LEF, out);
    cr_assert_eq(system(cmd), 0, "klayout failed: %s", cmd);
    FILE *fp = fopen(out, "r");
    cr_assert_not_null(fp);
    char line[512];
    int checked = 0;
    while (fgets(line, sizeof line, fp)) {
        char inst[128], pin[64];
        double kx, ky;
        if (sscanf(line, "pin %127s %63s %lf %lf", inst, pin, &kx, &ky) != 4) continue;
        if (strncmp(inst, "u_", 2) != 0 && strcmp(pin, "Q") != 0) continue; /* single-shape pins */
        int32_t n = pl_netlist_find_node(&nl, inst);
        if (n < 0) continue; /* KLayout unescapes ram\[0\] */
        for (int64_t k = nl.node_pin_off[n]; k < nl.node_pin_off[n + 1]; k++) {
            int32_t p = nl.node_pins[k];
            if (strcmp(pl_pin_name(&nl, p), pin) != 0) continue;
            double x, y;
            pl_pin_position(&nl, p, &x, &y);
            cr_assert_float_eq(x, kx, 1e-6, "%s/%s x: ours %g, KLayout %g", inst, pin, x, kx);
            cr_assert_float_eq(y, ky, 1e-6, "%s/%s y: ours %g, KLayout %g", inst, pin, y, ky);
            checked++;
        }
    }
    fclose(fp);
    cr_assert_geq(checked, 9, "compared %d pins", checked);
}

/* `placer info --json` on each shared design reports the README's figures. */
Test(def, shared_designs_info_json, .timeout = 120)
{
    PL_NEED_SHARED("designs/README.md");
    for (int d = 0; d < PL_NSHARED_DESIGNS; d++) {
        const pl_shared_design *sd = &PL_SHARED_DESIGNS[d];
        char cmd[4096];
        int n = snprintf(cmd, sizeof cmd, "%s info --json %s", pl_test_placer(), pl_test_shared_path(sd->def));
        for (int i = 0; sd->lefs[i]; i++)
            n += snprintf(cmd + n, sizeof cmd - (size_t)n, " --lef %s", pl_test_shared_path(sd->lefs[i]));
        char *out, *err;
        int rc = pl_test_run(cmd, &out, &err);
        cr_assert_eq(rc, 0, "%s: %s", sd->name, err);
        char want[128];
        const char *keys[] = {"macros", "std_cells", "nets", "io_pins", "dbu_per_micron"};
        int vals[] = {sd->macros, sd->std_cells, sd->nets, sd->io_pins, sd->dbu};
        for (int k = 0; k < 5; k++) {
            snprintf(want, sizeof want, "\"%s\": %d,", keys[k], vals[k]);
            cr_assert(strstr(out, want), "%s: expected %s in %s", sd->name, want, out);
        }
        double mr = -1, sr = -1, x1 = -1, y1 = -1;
        const char *p = strstr(out, "\"macro_area_ratio\": ");
        cr_assert(p && sscanf(p + 20, "%lf", &mr) == 1);
        p = strstr(out, "\"std_cell_area_ratio\": ");
        cr_assert(p && sscanf(p + 23, "%lf", &sr) == 1);
        p = strstr(out, "\"die_um\": [");
        cr_assert(p && sscanf(p + 11, "%*f, %*f, %lf, %lf", &x1, &y1) == 2);
        cr_assert_float_eq(mr, sd->macro_ratio, 0.0006, "%s macro ratio %g", sd->name, mr);
        cr_assert_float_eq(sr, sd->std_cell_ratio, 0.0006, "%s std-cell ratio %g", sd->name, sr);
        cr_assert_float_eq(x1, sd->die_w, 1e-6, "%s die width", sd->name);
        cr_assert_float_eq(y1, sd->die_h, 1e-6, "%s die height", sd->name);
        free(out);
        free(err);
    }
}

/* A 100k-cell design stays well under 200 MB. */
Test(def, memory_of_a_100k_cell_design, .timeout = 60)
{
    PL_NEED_SHARED("designs/asap7_ariane133/ariane.def.gz");
    const pl_shared_design *sd = &PL_SHARED_DESIGNS[2];
    for (int i = 0; sd->lefs[i]; i++)
        cr_assert_eq(pl_lef_read(&nl, pl_test_shared_path(sd->lefs[i])), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_def_read(&nl, pl_test_shared_path(sd->def)), PL_OK, "%s", pl_errmsg());
    size_t bytes = pl_netlist_memory(&nl);
    cr_assert_lt(bytes, (size_t)120e6, "netlist holds %.1f MB", (double)bytes / 1e6);
}

/* tiny.def with its DIEAREA line replaced, written to a temporary file; its path. */
static const char *tiny_with_die(const char *die)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/die.def", pl_test_tmpdir());
    char *src = pl_test_slurp(TINY_DEF, NULL);
    const char *at = strstr(src, "DIEAREA"), *eol = strchr(at, '\n');
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "%.*s%s%s", (int)(at - src), src, die, eol);
    fclose(f);
    free(src);
    return path;
}

Test(def, degenerate_or_absurd_diearea_is_an_error_naming_the_file)
{
    const char *bad[] = {"DIEAREA ( 0 0 ) ( -100000 -80000 ) ;", "DIEAREA ( 100000 80000 ) ( 0 0 ) ;",
                         "DIEAREA ( 0 0 ) ( 100000 0 ) ;", "DIEAREA ( 5 5 ) ( 5 5 ) ( 5 5 ) ;",
                         "DIEAREA ( 0 0 ) ( 1e20 80000 ) ;", "DIEAREA ( -3e9 0 ) ( 100000 80000 ) ;"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pl_netlist_free(&nl);
        pl_netlist_init(&nl);
        cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK);
        const char *path = tiny_with_die(bad[i]);
        cr_assert_eq(pl_def_read(&nl, path), PL_EPARSE, "accepted: %s", bad[i]);
        char want[300];
        snprintf(want, sizeof want, "%s:10: ", path);
        cr_assert(strstr(pl_errmsg(), want), "%s: %s", bad[i], pl_errmsg());
    }
    pl_netlist_free(&nl);
    pl_netlist_init(&nl);
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK);
    cr_assert_eq(pl_def_read(&nl, tiny_with_die("DIEAREA ( -100 -100 ) ( 100000 80000 ) ;")), PL_OK, "%s",
                 pl_errmsg());
}

Test(def, absurd_do_counts_are_refused_before_anything_is_sized)
{
    char *src = pl_test_slurp(TINY_DEF, NULL);
    const char *at = strstr(src, "DO 480 BY 1");
    cr_assert_not_null(at);
    char path[256];
    snprintf(path, sizeof path, "%s/do.def", pl_test_tmpdir());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "%.*sDO 480 BY 2000000000%s", (int)(at - src), src, at + strlen("DO 480 BY 1"));
    fclose(f);
    free(src);
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK);
    cr_assert_eq(pl_def_read(&nl, path), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "do.def:11:") && strstr(pl_errmsg(), "out of range"), "%s", pl_errmsg());
}

/* No components at all: read cleanly (no memcpy from NULL under UBSan), zero nodes. */
Test(def, a_def_without_components_reads_cleanly)
{
    char path[256];
    snprintf(path, sizeof path, "%s/e.def", pl_test_tmpdir());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("VERSION 5.8 ;\nDESIGN e ;\nUNITS DISTANCE MICRONS 1000 ;\nDIEAREA ( 0 0 ) ( 1000 1000 ) ;\n"
          "COMPONENTS 0 ;\nEND COMPONENTS\nEND DESIGN\n", f);
    fclose(f);
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK);
    cr_assert_eq(pl_def_read(&nl, path), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(nl.nnodes, 0);
    cr_assert_not_null(nl.placesrc);
}
