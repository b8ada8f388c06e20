/* test_lef.c: the LEF reader on the hand-written tiny.lef and on the shared technology LEFs. */
#include <math.h>

#include "parsers/lef.h"
#include "core/log.h"
#include "tests/testutil.h"

#define TINY_LEF "tests/data/tiny/tiny.lef"

static pl_netlist nl;
static void setup(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(&nl);
}
static void teardown(void) { pl_netlist_free(&nl); }

TestSuite(lef, .init = setup, .fini = teardown);

Test(lef, tiny_units_sites_layers)
{
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(nl.lef_dbu_per_micron, 1000);
    cr_assert_float_eq(nl.manufacturing_grid, 0.005, 1e-12);
    cr_assert_eq(nl.nsites, 1);
    cr_assert_str_eq(nl.sites[0].name, "core");
    cr_assert_str_eq(nl.sites[0].cls, "CORE");
    cr_assert_float_eq(nl.sites[0].w, 0.2, 1e-12);
    cr_assert_float_eq(nl.sites[0].h, 1.4, 1e-12);
    /* poly, m1, v1, m2; the layer inside NONDEFAULTRULE is not a new layer */
    cr_assert_eq(nl.nlayers, 4);
    const pl_layer *m1 = &nl.layers[pl_netlist_find_layer(&nl, "m1")];
    cr_assert_str_eq(m1->type, "ROUTING");
    cr_assert_eq(m1->dir, PL_LAYER_HORIZONTAL);
    cr_assert_float_eq(m1->pitch_x, 0.14, 1e-12);
    cr_assert_float_eq(m1->pitch_y, 0.14, 1e-12);
    cr_assert_float_eq(m1->width, 0.07, 1e-12);
    cr_assert_float_eq(m1->offset_x, 0.07, 1e-12);
    const pl_layer *m2 = &nl.layers[pl_netlist_find_layer(&nl, "m2")];
    cr_assert_eq(m2->dir, PL_LAYER_VERTICAL);
    cr_assert_float_eq(m2->pitch_x, 0.19, 1e-12);
    cr_assert_float_eq(m2->pitch_y, 0.2, 1e-12);
    cr_assert_float_eq(m2->offset_y, 0.1, 1e-12);
    cr_assert_str_eq(nl.layers[pl_netlist_find_layer(&nl, "v1")].type, "CUT");
    cr_assert_eq(nl.layers[pl_netlist_find_layer(&nl, "v1")].dir, PL_LAYER_NONE);
}

Test(lef, tiny_macros_and_pins)
{
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(nl.nmasters, 2);
    const pl_master *inv = &nl.masters[pl_netlist_find_master(&nl, "INV")];
    cr_assert_str_eq(inv->cls, "CORE");
    cr_assert_eq(inv->kind, PL_NODE_STDCELL);
    cr_assert_float_eq(inv->w, 0.4, 1e-12);
    cr_assert_float_eq(inv->h, 1.4, 1e-12);
    cr_assert_eq(inv->symmetry, PL_SYM_X | PL_SYM_Y);
    cr_assert_str_eq(inv->site, "core");
    cr_assert_eq(inv->pin_count, 3);
    const pl_mpin *a = &nl.mpins[inv->pin_begin];
    cr_assert_str_eq(a->name, "A");
    cr_assert_eq(a->dir, PL_DIR_INPUT);
    cr_assert_str_eq(a->use, "SIGNAL");
    cr_assert_float_eq(a->x, 0.10, 1e-12);
    cr_assert_float_eq(a->y, 0.60, 1e-12);
    const pl_mpin *z = &nl.mpins[inv->pin_begin + 1];
    cr_assert_eq(z->dir, PL_DIR_OUTPUT);
    cr_assert_float_eq(z->x, 0.30, 1e-12); /* polygon bounding-box centre */
    cr_assert_float_eq(z->y, 0.70, 1e-12);
    cr_assert_str_eq(nl.mpins[inv->pin_begin + 2].use, "POWER");

    const pl_master *ram = &nl.masters[pl_netlist_find_master(&nl, "RAM")];
    cr_assert_str_eq(ram->cls, "BLOCK");
    cr_assert_eq(ram->kind, PL_NODE_MACRO);
    cr_assert_float_eq(ram->ox, 1, 1e-12);
    cr_assert_float_eq(ram->oy, 2, 1e-12);
    cr_assert_eq(ram->symmetry, PL_SYM_X | PL_SYM_Y | PL_SYM_R90);
    cr_assert_eq(ram->obs_count, 2);
    const pl_mpin *d0 = &nl.mpins[ram->pin_begin];
    cr_assert_str_eq(d0->name, "D[0]");
    /* two rects: bbox (-1,-2)..(-0.7,-1.6), centre (-0.85,-1.8), shifted by ORIGIN (1,2) */
    cr_assert_float_eq(d0->x, 0.15, 1e-12);
    cr_assert_float_eq(d0->y, 0.20, 1e-12);
    const pl_mpin *q = &nl.mpins[ram->pin_begin + 1];
    cr_assert_eq(q->dir, PL_DIR_OUTPUT); /* OUTPUT TRISTATE */
    cr_assert_float_eq(q->x, 18, 1e-12);
    cr_assert_float_eq(q->y, 8, 1e-12);
}

Test(lef, several_files_in_order_and_duplicates)
{
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_lef_read(&nl, TINY_LEF), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(nl.nmasters, 2, "a macro defined twice keeps one definition");
    cr_assert_eq(nl.nmpins, 5);
    cr_assert_eq(nl.nlayers, 4);
}

Test(lef, shared_nangate45_tech_and_cells)
{
    PL_NEED_SHARED("designs/nangate45/Nangate45_tech.lef");
    cr_assert_eq(pl_lef_read(&nl, pl_test_shared_path("designs/nangate45/Nangate45_tech.lef")), PL_OK, "%s",
                 pl_errmsg());
    cr_assert_eq(pl_lef_read(&nl, pl_test_shared_path("designs/nangate45/Nangate45_stdcell.lef")), PL_OK, "%s",
                 pl_errmsg());
    cr_assert_eq(nl.lef_dbu_per_micron, 2000);
    int32_t m1 = pl_netlist_find_layer(&nl, "metal1");
    cr_assert_geq(m1, 0);
    cr_assert_eq(nl.layers[m1].dir, PL_LAYER_HORIZONTAL);
    cr_assert_float_eq(nl.layers[m1].pitch_x, 0.14, 1e-9);
    int routing = 0;
    for (int64_t i = 0; i < nl.nlayers; i++) routing += nl.layers[i].type && !strcmp(nl.layers[i].type, "ROUTING");
    cr_assert_eq(routing, 10, "NanGate45 has metal1..metal10");
    int32_t inv = pl_netlist_find_master(&nl, "INV_X1");
    cr_assert_geq(inv, 0);
    cr_assert_float_eq(nl.masters[inv].w, 0.38, 1e-9);
    cr_assert_float_eq(nl.masters[inv].h, 1.4, 1e-9);
}

Test(lef, shared_asap7_and_sky130)
{
    PL_NEED_SHARED("designs/asap7/asap7_tech_1x_201209.lef");
    const char *files[] = {"designs/asap7/asap7_tech_1x_201209.lef", "designs/asap7/asap7sc7p5t_27_R_1x_201211.lef",
                           "designs/sky130hd_fs/9M_li_2Ma_2Mb_2Mc_2Md_1Me.tlef",
                           "designs/sky130hd_fs/sky130_fd_sc_hd_merged.lef"};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pl_lef_read(&nl, pl_test_shared_path(files[i])), PL_OK, "%s", pl_errmsg());
    cr_assert_gt(nl.nmasters, 400);
    int32_t m = pl_netlist_find_master(&nl, "INVx1_ASAP7_75t_R");
    cr_assert_geq(m, 0);
    cr_assert_float_eq(nl.masters[m].h, 0.27, 1e-9);
}

Test(lef, errors_name_file_and_line)
{
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/bad.lef", dir);
    FILE *fp = fopen(path, "w");
    fputs("VERSION 5.8 ;\nUNITS\n  DATABASE MICRONS -3 ;\nEND UNITS\n", fp);
    fclose(fp);
    cr_assert_eq(pl_lef_read(&nl, path), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "bad.lef:3:"), "%s", pl_errmsg());
    cr_assert(strstr(pl_errmsg(), "units"), "%s", pl_errmsg());

    fp = fopen(path, "w");
    fputs("MACRO X\n  CLASS CORE ;\n  SIZE 1 BY 2 ;\n  PIN A\n    PORT\n", fp);
    fclose(fp);
    cr_assert_eq(pl_lef_read(&nl, path), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "end of file"), "%s", pl_errmsg());
}
