/* test_tcl_write.c: parsers/tcl_write.h: the OpenDB orientation of every DEF one, locations printed as
 * exact decimals of the DEF database unit, and names that Tcl reads back byte for byte (DEF escapes,
 * brackets, braces, a trailing backslash, $, ;, quotes, a space), checked by sourcing the script in tclsh
 * against a stub of place_macro (tests/tclstub.h; skipped without tclsh). */
#include "core/log.h"
#include "parsers/tcl_write.h"
#include "tests/tclstub.h"

static pl_netlist nl;

static void setup(void)
{
    pl_netlist_init(&nl);
    nl.dbu_per_micron = 2000;
    pl_log_set_level(PL_LOG_QUIET);
}
static void teardown(void) { pl_netlist_free(&nl); }

static int32_t add(const char *name, pl_node_kind kind, pl_place_state st, double x, double y, pl_orient o)
{
    int32_t i;
    cr_assert_eq(pl_netlist_add_node(&nl, name, strlen(name), kind, &i), PL_OK);
    pl_node *n = &nl.nodes[i];
    n->state = st, n->x = x, n->y = y, n->w = 10, n->h = 5, n->orient = o;
    return i;
}

TestSuite(tcl_write, .init = setup, .fini = teardown);

Test(tcl_write, orientations_are_opendb_names)
{
    /* OpenDB's DEF reader (odb defin: translate_orientation) maps them so */
    const struct { pl_orient o; const char *odb; } want[] = {
        {PL_ORIENT_N, "R0"}, {PL_ORIENT_S, "R180"}, {PL_ORIENT_W, "R90"}, {PL_ORIENT_E, "R270"},
        {PL_ORIENT_FN, "MY"}, {PL_ORIENT_FS, "MX"}, {PL_ORIENT_FW, "MXR90"}, {PL_ORIENT_FE, "MYR90"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_str_eq(pl_tcl_orient_name(want[i].o), want[i].odb, "%s", pl_orient_name(want[i].o));
}

Test(tcl_write, one_line_per_placed_macro_exact_decimals)
{
    add("a", PL_NODE_MACRO, PL_PLACE_PLACED, 324.729, 122.88, PL_ORIENT_S);
    add("cell", PL_NODE_STDCELL, PL_PLACE_PLACED, 1, 1, PL_ORIENT_N);
    add("loose", PL_NODE_MACRO, PL_PLACE_UNPLACED, 0, 0, PL_ORIENT_N);
    add("b", PL_NODE_MACRO, PL_PLACE_FIXED, 0.0005, 7, PL_ORIENT_FW);
    const char *dir = pl_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/m.tcl", dir);
    int64_t n = -1;
    cr_assert_eq(pl_tcl_write(&nl, path, "test\nwith a newline", &n), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(n, 2);
    char *s = pl_test_slurp(path, NULL);
    cr_assert(strstr(s, "# test?with a newline\n"), "the comment stays one line:\n%s", s);
    cr_assert(strstr(s, "place_macro -macro_name {a} -location {324.7290 122.8800} -orientation R180 -exact "
                        "-allow_overlap\n"), "%s", s);
    cr_assert(strstr(s, "place_macro -macro_name {b} -location {0.0005 7.0000} -orientation MXR90 "), "%s", s);
    cr_assert_null(strstr(s, "cell"));
    cr_assert_null(strstr(s, "loose"));
    free(s);

    nl.dbu_per_micron = 1000; /* 3 decimals */
    cr_assert_eq(pl_tcl_write(&nl, path, NULL, NULL), PL_OK);
    s = pl_test_slurp(path, NULL);
    cr_assert(strstr(s, "-location {324.729 122.880}"), "%s", s);
    cr_assert(s[0] == '#');
    free(s);

    nl.dbu_per_micron = 0;
    cr_assert_eq(pl_tcl_write(&nl, path, NULL, NULL), PL_EINVAL);
    cr_assert_eq(pl_tcl_write(&nl, "/nonexistent-dir/m.tcl", NULL, NULL), PL_EINVAL);
    nl.dbu_per_micron = 2000;
    cr_assert_eq(pl_tcl_write(&nl, "/nonexistent-dir/m.tcl", NULL, NULL), PL_EIO);
}

Test(tcl_write, tclsh_reads_every_name_back)
{
    const char *names[] = {
        "i_cache/sram_block\\[4\\].data_sram/macro_mem\\[7\\].i_ram", /* DEF escapes, kept as OpenDB keeps them */
        "plain/name_0", "br[ack]et", "brace{open", "close}", "both{}", "trail\\", "dollar$x", "semi;colon",
        "quote\"d", "sp ace", "back\\slash\\n",
    };
    int nn = (int)(sizeof names / sizeof names[0]);
    for (int i = 0; i < nn; i++) add(names[i], PL_NODE_MACRO, PL_PLACE_PLACED, 1.5 * i, 2.25 * i, (pl_orient)(i % 8));
    const char *dir = pl_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/names.tcl", dir);
    cr_assert_eq(pl_tcl_write(&nl, path, "names", NULL), PL_OK, "%s", pl_errmsg());
    if (!pl_test_have_tclsh()) cr_skip_test("tclsh not installed (Debian package tcl, make deps): script not run");
    char *out, *err;
    int rc = pl_test_tcl_calls(path, &out, &err);
    cr_assert_eq(rc, 0, "tclsh failed:\n%s", err);
    int seen = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), seen++) {
        double x, y;
        char orient[16], flags[64];
        int at = 0;
        cr_assert_eq(sscanf(line, "%lf %lf %15s %63s %n", &x, &y, orient, flags, &at), 4, "%s", line);
        cr_assert_lt(seen, nn, "more calls than macros");
        cr_assert_str_eq(line + at, names[seen], "name %d read back as '%s'", seen, line + at);
        cr_assert_float_eq(x, 1.5 * seen, 1e-9);
        cr_assert_float_eq(y, 2.25 * seen, 1e-9);
        cr_assert_str_eq(orient, pl_tcl_orient_name((pl_orient)(seen % 8)));
        cr_assert_str_eq(flags, "-exact,-allow_overlap");
    }
    cr_assert_eq(seen, nn);
    free(out);
    free(err);
}
