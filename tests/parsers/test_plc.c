/* test_plc.c: the .plc reader (header + body) and the atomic writer, round trip included. */
#include <dirent.h>
#include <math.h>

#include "parsers/ctpb.h"
#include "parsers/plc.h"
#include "tests/testutil.h"

#define NG45 "designs/ct_ng45_ariane133/"

static pl_netlist nl;
static pl_plc_header hdr;
static void setup(void)
{
    pl_netlist_init(&nl);
    pl_plc_header_init(&hdr);
}
static void teardown(void)
{
    pl_netlist_free(&nl);
    pl_plc_header_free(&hdr);
}

TestSuite(plc, .init = setup, .fini = teardown);

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static const char NET[] =
    "node {\n name: \"p\"\n input: \"M/a\"\n attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
    " attr { key: \"x\" value { f: 0 } }\n attr { key: \"y\" value { f: 5 } }\n}\n"
    "node {\n name: \"M\"\n attr { key: \"type\" value { placeholder: \"MACRO\" } }\n"
    " attr { key: \"width\" value { f: 4 } }\n attr { key: \"height\" value { f: 2 } }\n"
    " attr { key: \"x\" value { f: 10 } }\n attr { key: \"y\" value { f: 10 } }\n}\n"
    "node {\n name: \"M/a\"\n attr { key: \"type\" value { placeholder: \"MACRO_PIN\" } }\n"
    " attr { key: \"macro_name\" value { placeholder: \"M\" } }\n}\n";

static void read_net(void)
{
    char *buf = strdup(NET);
    cr_assert_eq(pl_ctpb_read_buffer(&nl, "net.pb.txt", buf, strlen(buf)), PL_OK, "%s", pl_errmsg());
    free(buf);
}

Test(plc, header_and_body_inline)
{
    read_net();
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/a.plc", dir);
    write_file(path, "# Columns : 3  Rows : 2\n# Width : 30.5  Height : 20\n"
                     "# Routes per micron, hor : 11.5  ver : 12.25\n# Routes used by macros, hor : 7  ver : 8\n"
                     "# Smoothing factor : 2\n# Overlap threshold : 0.004\n# Density cost : 0.25\n"
                     "# Blockage : 1 2 3 4 0.5\n\n0 0 6 - 1\n1 12.5 7 FN 0\n");
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(hdr.cols, 3);
    cr_assert_eq(hdr.rows, 2);
    cr_assert_float_eq(hdr.width, 30.5, 0);
    cr_assert_float_eq(hdr.height, 20, 0);
    cr_assert_float_eq(hdr.h_rpm, 11.5, 0);
    cr_assert_float_eq(hdr.v_rpm, 12.25, 0);
    cr_assert_float_eq(hdr.h_macro_alloc, 7, 0);
    cr_assert_float_eq(hdr.v_macro_alloc, 8, 0);
    cr_assert_eq(hdr.smooth_range, 2);
    cr_assert_float_eq(hdr.overlap_threshold, 0.004, 0);
    cr_assert_float_eq(hdr.density_cost, 0.25, 0);
    cr_assert(isnan(hdr.congestion_cost));
    cr_assert_eq(hdr.nblockages, 1);
    cr_assert_float_eq(hdr.blockages[0].rate, 0.5, 0);
    int32_t m = pl_netlist_find_node(&nl, "M");
    cr_assert_float_eq(nl.nodes[m].x, 10.5, 1e-12); /* centre 12.5, width 4 */
    cr_assert_float_eq(nl.nodes[m].y, 6.0, 1e-12);
    cr_assert_eq(nl.nodes[m].orient, PL_ORIENT_FN);
    cr_assert_eq(nl.nodes[m].state, PL_PLACE_PLACED);
    int32_t p = pl_netlist_find_node(&nl, "p");
    cr_assert_float_eq(nl.nodes[p].y, 6.0, 1e-12);
    cr_assert_eq(nl.nodes[p].state, PL_PLACE_FIXED);
}

Test(plc, bad_lines_name_file_line)
{
    read_net();
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/b.plc", dir);
    write_file(path, "# Columns : 3  Rows : 2\n0 0 6 - 1\n2 1 1 N 0\n"); /* index 2 is a pin */
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "b.plc:3:") != NULL, "message: %s", pl_errmsg());
    write_file(path, "0 0 6 - 1\n1 x 1 N 0\n");
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "b.plc:2:") != NULL, "message: %s", pl_errmsg());
    write_file(path, "1 1 1 Q 0\n");
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE);
    write_file(path, "1 1 1 N 7\n");
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE);
    write_file(path, "9 1 1 N 0\n");
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE);
}

Test(plc, empty_files_and_absurd_headers_are_errors_naming_the_file)
{
    read_net();
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/e.plc", dir);
    write_file(path, "");
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), path) && strstr(pl_errmsg(), "empty .plc"), "%s", pl_errmsg());
    write_file(path, "# Placement file for Circuit Training\n\n");
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE, "comments alone are empty too");
    write_file(path, "# Columns : 3  Rows : 2\n"); /* a header alone is a valid .plc (positions from the netlist) */
    cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_OK, "%s", pl_errmsg());
    const char *bad[] = {"# Columns : 1e12  Rows : 2\n", "# Columns : 0  Rows : 2\n",
                         "# Congestion Columns : 3  Congestion Rows : 1e9\n", "# Width : 0  Height : 20\n",
                         "# Width : -5  Height : 20\n", "# Smoothing factor : 1e300\n",
                         "# Routes per micron, hor : -1  ver : 2\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pl_plc_header_free(&hdr);
        write_file(path, bad[i]);
        cr_assert_eq(pl_plc_read(path, &hdr, &nl), PL_EPARSE, "accepted: %s", bad[i]);
        char want[300];
        snprintf(want, sizeof want, "%s:1:", path);
        cr_assert(strstr(pl_errmsg(), want), "%s: %s", bad[i], pl_errmsg());
    }
}

Test(plc, write_read_round_trip)
{
    read_net();
    int32_t m = pl_netlist_find_node(&nl, "M");
    nl.nodes[m].x = 1.0 / 3.0;
    nl.nodes[m].y = 123.456789012345;
    nl.nodes[m].orient = PL_ORIENT_S;
    nl.nodes[m].state = PL_PLACE_FIXED;
    hdr.have = PL_PLC_HAVE_GRID | PL_PLC_HAVE_CANVAS | PL_PLC_HAVE_ROUTES | PL_PLC_HAVE_MACRO | PL_PLC_HAVE_SMOOTH;
    hdr.cols = 7, hdr.rows = 5, hdr.width = 70.25, hdr.height = 50.125;
    hdr.h_rpm = 57.031, hdr.v_rpm = 56.818, hdr.h_macro_alloc = 39.583, hdr.v_macro_alloc = 30.303;
    hdr.smooth_range = 3;
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/out.plc", dir);
    cr_assert_eq(pl_plc_write(path, &hdr, &nl), PL_OK, "%s", pl_errmsg());
    /* nothing but the output in the folder: the temporary was renamed */
    DIR *d = opendir(dir);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') files++;
    closedir(d);
    cr_assert_eq(files, 1);
    double x0 = nl.nodes[m].x, y0 = nl.nodes[m].y;
    nl.nodes[m].x = nl.nodes[m].y = 0;
    nl.nodes[m].orient = PL_ORIENT_N;
    pl_plc_header h2;
    pl_plc_header_init(&h2);
    cr_assert_eq(pl_plc_read(path, &h2, &nl), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(h2.cols, 7);
    cr_assert_eq(h2.rows, 5);
    cr_assert_float_eq(h2.width, 70.25, 0);
    cr_assert_float_eq(h2.h_rpm, 57.031, 0);
    cr_assert_float_eq(h2.v_macro_alloc, 30.303, 0);
    cr_assert_eq(h2.smooth_range, 3);
    cr_assert_eq(nl.nodes[m].orient, PL_ORIENT_S);
    cr_assert_eq(nl.nodes[m].state, PL_PLACE_FIXED);
    cr_assert_float_eq(nl.nodes[m].x, x0, 1e-12);
    cr_assert_float_eq(nl.nodes[m].y, y0, 1e-12);
    pl_plc_header_free(&h2);
}

Test(plc, write_to_missing_folder_fails_cleanly)
{
    read_net();
    cr_assert_eq(pl_plc_write("/nonexistent_dir/x.plc", NULL, &nl), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "/nonexistent_dir/x.plc") != NULL);
}

Test(plc, needs_ct_netlist)
{
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/c.plc", dir);
    write_file(path, "0 0 0 - 1\n");
    cr_assert_eq(pl_plc_read(path, NULL, &nl), PL_EINVAL);
}

Test(plc, ng45_legalized)
{
    PL_NEED_SHARED(NG45 "legalized.plc");
    cr_assert_eq(pl_ctpb_read(&nl, pl_test_shared_path(NG45 "netlist.pb.txt.gz")), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_plc_read(pl_test_shared_path(NG45 "legalized.plc"), &hdr, &nl), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(hdr.cols, 24);
    cr_assert_eq(hdr.rows, 21);
    cr_assert_float_eq(hdr.width, 1433.406, 0);
    cr_assert_float_eq(hdr.height, 1433.406, 0);
    cr_assert_float_eq(hdr.h_rpm, 57.031, 0);
    cr_assert_float_eq(hdr.v_rpm, 56.818, 0);
    cr_assert_float_eq(hdr.h_macro_alloc, 39.583, 0);
    cr_assert_float_eq(hdr.v_macro_alloc, 30.303, 0);
    cr_assert_eq(hdr.smooth_range, 0);
    cr_assert_float_eq(hdr.wirelength_cost, 0.0736, 0);
    cr_assert_float_eq(hdr.congestion_cost, 0.7259, 0);
    cr_assert_float_eq(hdr.density_cost, 0.4988, 0);
    cr_assert_float_eq(hdr.wirelength, 4763106.815, 0);
    /* "495 1045.19 1331.02 N 0": the first hard macro */
    int32_t v = -1;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].ct_index == 495) v = (int32_t)i;
    cr_assert(v >= 0);
    cr_assert_eq(nl.nodes[v].kind, PL_NODE_MACRO);
    double cx, cy;
    pl_node_center(&nl.nodes[v], &cx, &cy);
    cr_assert_float_eq(cx, 1045.19, 1e-9);
    cr_assert_float_eq(cy, 1331.02, 1e-9);
    int s = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) s += nl.nodes[i].orient == PL_ORIENT_S;
    cr_assert_eq(s, 19);
}
