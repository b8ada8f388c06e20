/* test_def_place.c: DEF component placements applied by name onto designs/demo: position in µm,
 * orientation, state, escaped names, counts of missing components and other masters; errors. */
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "tests/testutil.h"

static pl_netlist nl;

static void setup(void)
{
    pl_netlist_init(&nl);
    cr_assert_eq(pl_design_read(&nl, "designs/demo/demo.def", NULL, 0), PL_OK, "%s", pl_errmsg());
}
static void teardown(void)
{
    pl_netlist_free(&nl);
}

TestSuite(def_place, .init = setup, .fini = teardown);

static const char *write_tmp(const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/p.def", pl_test_tmpdir());
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

Test(def_place, applies_by_name)
{
    int32_t m0 = pl_netlist_find_node(&nl, "mem0/u_sram"), m1 = pl_netlist_find_node(&nl, "mem1/u_sram");
    cr_assert(m0 >= 0 && m1 >= 0);
    cr_assert_eq(nl.nodes[m0].state, PL_PLACE_UNPLACED);
    const char *p = write_tmp("VERSION 5.8 ;\nDESIGN demo ;\nUNITS DISTANCE MICRONS 2000 ;\n"
                              "DIEAREA ( 0 0 ) ( 10 10 ) ;\n"
                              "COMPONENTS 4 ;\n"
                              "- mem0/u_sram sram_512x64 + SOURCE DIST + PLACED ( 2000 5000 ) FS ;\n"
                              "- mem1/u_sram other_master\n  + FIXED ( 4000 0 ) E + HALO 1 1 1 1 ;\n"
                              "- nobody\\[3\\] x + PLACED ( 0 0 ) N ;\n"
                              "- mem2/u_sram sram_64x24 + UNPLACED ;\n"
                              "END COMPONENTS\nEND DESIGN\n");
    pl_def_placement_stats st;
    cr_assert_eq(pl_def_placement_apply(&nl, p, &st), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st.components, 4);
    cr_assert_eq(st.applied, 3);
    cr_assert_eq(st.missing, 1);
    cr_assert_eq(st.other_master, 1);
    const pl_node *a = &nl.nodes[m0], *b = &nl.nodes[m1];
    cr_assert_eq(a->state, PL_PLACE_PLACED);
    cr_assert_float_eq(a->x, 1.0, 1e-12);
    cr_assert_float_eq(a->y, 2.5, 1e-12);
    cr_assert_eq(a->orient, PL_ORIENT_FS);
    cr_assert_eq(b->state, PL_PLACE_FIXED);
    cr_assert_float_eq(b->x, 2.0, 1e-12);
    cr_assert_eq(b->orient, PL_ORIENT_E);
    cr_assert_eq(nl.nodes[pl_netlist_find_node(&nl, "mem2/u_sram")].state, PL_PLACE_UNPLACED);
}

Test(def_place, errors_name_file_and_line)
{
    pl_def_placement_stats st;
    const char *p = write_tmp("UNITS DISTANCE MICRONS 2000 ;\nCOMPONENTS 1 ;\n- mem0/u_sram m + PLACED ( 1 2 ) Q ;\nEND COMPONENTS\n");
    cr_assert_eq(pl_def_placement_apply(&nl, p, &st), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "p.def:3:"), "%s", pl_errmsg());
    p = write_tmp("UNITS DISTANCE MICRONS 2000 ;\nCOMPONENTS 1 ;\n- mem0/u_sram m + PLACED ( 1 ) N ;\nEND COMPONENTS\n");
    cr_assert_eq(pl_def_placement_apply(&nl, p, &st), PL_EPARSE);
    p = write_tmp("COMPONENTS 1 ;\n- mem0/u_sram m + PLACED ( 1 2 ) N ;\nEND COMPONENTS\n");
    cr_assert_eq(pl_def_placement_apply(&nl, p, &st), PL_EPARSE, "no UNITS");
    p = write_tmp("UNITS DISTANCE MICRONS 2000 ;\nCOMPONENTS 1 ;\n- mem0/u_sram m + PLACED ( 1 2 ) N ;\n");
    cr_assert_eq(pl_def_placement_apply(&nl, p, &st), PL_EPARSE, "no END COMPONENTS");
    p = write_tmp("UNITS DISTANCE MICRONS 2000 ;\nPINS 0 ;\nEND PINS\n");
    cr_assert_eq(pl_def_placement_apply(&nl, p, &st), PL_EPARSE, "no COMPONENTS");
    cr_assert_eq(pl_def_placement_apply(&nl, "/nonexistent.def", &st), PL_EIO);
}
