/* test_bookshelf.c: the Bookshelf reader and .pl writer on a synthetic ISPD2005-style design written here
 * (pin offsets, orientations, a fixed block, a terminal_NI, named and weighted nets, CRLF and tabs), on
 * IBM-MS ibm01 from the shared designs (counts, macro rules, byte-identical write-back), and on bad inputs:
 * each gives PL_EPARSE with one line naming file:line and leaves the netlist freeable. */
#include <limits.h>
#include <math.h>

#include "core/log.h"
#include "parsers/bookshelf.h"
#include "tests/testutil.h"

#define IBM01 "designs/bookshelf_ibm01_ms/ibm01.aux"
#define IBM01_DIR "designs/bookshelf_ibm01_ms"

static pl_netlist nl;
static void setup(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(&nl);
}
static void teardown(void) { pl_netlist_free(&nl); }

TestSuite(bookshelf, .init = setup, .fini = teardown);

/* ---- the synthetic design ---- */

/* Row height 12: c0 c1 cells, m0 a movable macro, f0 a fixed block, p0 a pad, ni0 a terminal_NI block. */
static const char SYN_AUX[] = "RowBasedPlacement : syn.nodes syn.nets syn.wts syn.pl syn.scl syn.shapes\r\n";
static const char SYN_NODES[] = "UCLA nodes 1.0\r\n"
                                "# synthetic ISPD2005-style design\r\n"
                                "\r\n"
                                "NumNodes : 6\r\n"
                                "NumTerminals : 3\r\n"
                                "\tc0\t2\t12\r\n"
                                "   c1   4   12\r\n"
                                "   m0  40   36\r\n"
                                "   f0  30   24  terminal\r\n"
                                "   p0   1    1  terminal\r\n"
                                "  ni0  20   20  terminal_NI\r\n";
static const char SYN_NETS[] = "UCLA nets 1.0\n"
                               "\n"
                               "NumNets : 3\n"
                               "NumPins : 7\n"
                               "NetDegree : 3   n_a\n"
                               "\tc0\tO : 0.5 -1.0\n"
                               "\tm0\tI : -10 8\n"
                               "\tp0\tI\n"
                               "NetDegree : 2 n_b\n"
                               "\tc1 B : 1 2\n"
                               "\tf0 I : 5 -5\n"
                               "NetDegree : 2 n_c # a comment\n"
                               "\tni0 O\n"
                               "\tc0 I : -0.5 1\n";
static const char SYN_WTS[] = "UCLA wts 1.0\n"
                              "n_b 3\n"
                              "c0 1\n";
static const char SYN_PL[] = "UCLA pl 1.0\n"
                             "\n"
                             "c0   10    0 : N\n"
                             "c1   20   12 : FS\n"
                             "m0  100   50 : E\n"
                             "f0  200  100 : N /FIXED\n"
                             "p0   -5  300 : N /FIXED\n"
                             "ni0 150  150 : N /FIXED_NI\n";
static const char SYN_SCL[] = "UCLA scl 1.0\n"
                              "NumRows : 2\n"
                              "CoreRow Horizontal\n"
                              " Coordinate : 0\n"
                              " Height : 12\n"
                              " Sitewidth : 1\n"
                              " Sitespacing : 1\n"
                              " Siteorient : 1\n"
                              " Sitesymmetry : Y\n"
                              " SubrowOrigin : 0 NumSites : 250\n"
                              " SubrowOrigin : 260 NumSites : 40\n"
                              "End\n"
                              "CoreRow Horizontal\n"
                              " Coordinate : 12\n"
                              " Height : 12\n"
                              " Sitewidth : 2\n"
                              " Sitespacing : 2\n"
                              " Siteorient : N\n"
                              " Sitesymmetry : Y\n"
                              " SubrowOrigin : 0 Numsites : 150\n"
                              "End\n";

static const struct {
    const char *name, *text;
} SYN[] = {{"syn.aux", SYN_AUX}, {"syn.nodes", SYN_NODES}, {"syn.nets", SYN_NETS},
           {"syn.wts", SYN_WTS}, {"syn.pl", SYN_PL},       {"syn.scl", SYN_SCL}};

static const char *path_in(const char *dir, const char *name)
{
    static char buf[8][512];
    static int k;
    char *b = buf[k++ & 7];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Writes the synthetic design into a fresh folder with file `which` edited: its first `from` replaced by `to`,
 * or, when to is NULL, the text cut right after `from`; `from` NULL leaves `which` out. Returns the folder. */
static const char *write_syn(const char *which, const char *from, const char *to)
{
    const char *dir = pl_test_tmpdir();
    for (size_t i = 0; i < sizeof SYN / sizeof SYN[0]; i++) {
        const char *t = SYN[i].text;
        if (!which || strcmp(which, SYN[i].name) != 0) {
            write_bytes(path_in(dir, SYN[i].name), t, strlen(t));
            continue;
        }
        if (!from) continue;
        const char *at = strstr(t, from);
        cr_assert_not_null(at, "'%s' not in %s", from, which);
        char buf[4096];
        size_t head = (size_t)(at - t) + (to ? 0 : strlen(from));
        int n = snprintf(buf, sizeof buf, "%.*s%s%s", (int)head, t, to ? to : "", to ? at + strlen(from) : "");
        write_bytes(path_in(dir, SYN[i].name), buf, (size_t)n);
    }
    return dir;
}

static void read_syn(const char *dir)
{
    cr_assert_eq(pl_bookshelf_read(&nl, path_in(dir, "syn.aux"), NULL), PL_OK, "%s", pl_errmsg());
}

static const pl_node *node(const char *name)
{
    int32_t i = pl_netlist_find_node(&nl, name);
    cr_assert_geq(i, 0, "node %s not found", name);
    return &nl.nodes[i];
}

/* The pin of net `net` on node `name`. */
static int32_t pin_on(const char *net, const char *name)
{
    int32_t n = pl_netlist_find_net(&nl, net), v = pl_netlist_find_node(&nl, name);
    cr_assert_geq(n, 0, "net %s not found", net);
    for (int64_t k = nl.net_pin_off[n]; k < nl.net_pin_off[n + 1]; k++)
        if (nl.pins[nl.net_pins[k]].node == v) return nl.net_pins[k];
    cr_assert_fail("no pin of %s on net %s", name, net);
    return -1;
}

static void assert_pin_at(const char *net, const char *name, double x, double y)
{
    double px, py;
    pl_pin_position(&nl, pin_on(net, name), &px, &py);
    cr_assert(px == x && py == y, "pin of %s on %s at (%g, %g), expected (%g, %g)", name, net, px, py, x, y);
}

Test(bookshelf, synthetic_nodes_kinds_and_states)
{
    read_syn(write_syn(NULL, NULL, NULL));
    cr_assert_str_eq(nl.design, "syn");
    cr_assert_eq(nl.dbu_per_micron, 1);
    cr_assert_eq(nl.nnodes, 6);
    cr_assert_eq(node("c0")->kind, PL_NODE_STDCELL);
    cr_assert_eq(node("c0")->state, PL_PLACE_PLACED);
    cr_assert_eq(node("c0")->master, -1);
    cr_assert(node("c0")->w == 2 && node("c0")->h == 12);
    cr_assert_eq(node("c1")->orient, PL_ORIENT_FS);
    cr_assert_eq(node("m0")->kind, PL_NODE_MACRO); /* movable, taller than a row */
    cr_assert_eq(node("m0")->state, PL_PLACE_PLACED);
    cr_assert_eq(node("m0")->orient, PL_ORIENT_E);
    cr_assert(node("m0")->x == 100 && node("m0")->y == 50);
    cr_assert_eq(node("f0")->kind, PL_NODE_MACRO); /* a fixed block */
    cr_assert_eq(node("f0")->state, PL_PLACE_FIXED);
    cr_assert_eq(node("p0")->kind, PL_NODE_PORT);
    cr_assert_eq(node("p0")->state, PL_PLACE_FIXED);
    cr_assert_eq(node("ni0")->kind, PL_NODE_OTHER); /* terminal_NI: does not block */
    cr_assert_eq(node("ni0")->state, PL_PLACE_FIXED);
    cr_assert_not_null(nl.placesrc);
    cr_assert_eq(nl.placesrc->format, PL_PLACE_BOOKSHELF);
    cr_assert_eq(nl.placesrc->nnodes, 6);
}

Test(bookshelf, synthetic_nets_pins_and_weights)
{
    read_syn(write_syn(NULL, NULL, NULL));
    cr_assert_eq(nl.nnets, 3);
    cr_assert_eq(nl.npins, 7);
    cr_assert_str_eq(nl.nets[0].name, "n_a");
    cr_assert_str_eq(nl.nets[2].name, "n_c");
    cr_assert_eq(nl.nets[0].weight, 1);
    cr_assert_eq(nl.nets[1].weight, 3); /* from the .wts; the node weight of c0 is skipped */
    cr_assert_eq(nl.nets[2].weight, 1);
    /* centre + offset, then the orientation: c0 N at (10, 0), 2 x 12 */
    assert_pin_at("n_a", "c0", 10 + 1 + 0.5, 0 + 6 - 1);
    /* m0 E at (100, 50), 40 x 36: offset (20 - 10, 18 + 8) = (10, 26) turns to (26, 40 - 10) */
    assert_pin_at("n_a", "m0", 100 + 26, 50 + 30);
    assert_pin_at("n_a", "p0", -5 + 0.5, 300 + 0.5);
    /* c1 FS at (20, 12), 4 x 12: offset (2 + 1, 6 + 2) = (3, 8) mirrors to (3, 12 - 8) */
    assert_pin_at("n_b", "c1", 23, 16);
    assert_pin_at("n_b", "f0", 200 + 15 + 5, 100 + 12 - 5);
    assert_pin_at("n_c", "ni0", 160, 160);
    cr_assert_eq(nl.pins[pin_on("n_a", "c0")].dir, PL_DIR_OUTPUT);
    cr_assert_eq(nl.pins[pin_on("n_a", "p0")].dir, PL_DIR_INPUT);
    cr_assert_eq(nl.pins[pin_on("n_b", "c1")].dir, PL_DIR_INOUT);
    cr_assert_eq(nl.pins[pin_on("n_a", "c0")].mpin, -1);
    cr_assert_eq(nl.nets[0].driver, pin_on("n_a", "c0"));
    cr_assert_eq(nl.net_pins[nl.net_pin_off[0]], pin_on("n_a", "c0"), "the driver comes first");
}

Test(bookshelf, synthetic_rows_sites_and_die)
{
    read_syn(write_syn(NULL, NULL, NULL));
    cr_assert_eq(nl.nrows, 3); /* one per subrow */
    cr_assert_eq(nl.nsites, 2);
    cr_assert_str_eq(nl.sites[0].name, "bookshelf_site");
    cr_assert(nl.sites[0].w == 1 && nl.sites[0].h == 12);
    cr_assert_str_eq(nl.sites[1].name, "bookshelf_site1");
    cr_assert(nl.sites[1].w == 2 && nl.sites[1].h == 12);
    const pl_row *r = nl.rows;
    cr_assert(r[0].x == 0 && r[0].y == 0 && r[0].nx == 250 && r[0].ny == 1 && r[0].sx == 1);
    cr_assert_eq(r[0].orient, PL_ORIENT_FS); /* Siteorient 1 */
    cr_assert_str_eq(r[0].site, "bookshelf_site");
    cr_assert(r[1].x == 260 && r[1].y == 0 && r[1].nx == 40);
    cr_assert(r[2].x == 0 && r[2].y == 12 && r[2].nx == 150 && r[2].sx == 2);
    cr_assert_eq(r[2].orient, PL_ORIENT_N);
    cr_assert_str_eq(r[2].site, "bookshelf_site1");
    pl_rect rows;
    cr_assert(pl_netlist_rows_bbox(&nl, &rows));
    cr_assert(rows.x0 == 0 && rows.y0 == 0 && rows.x1 == 300 && rows.y1 == 24);
    /* the rows and the fixed nodes: p0 at (-5, 300) 1 x 1, f0 up to (230, 124), ni0 up to (170, 170) */
    cr_assert_eq(nl.has_die, 1);
    cr_assert(nl.die.x0 == -5 && nl.die.y0 == 0 && nl.die.x1 == 300 && nl.die.y1 == 301, "die %g %g %g %g",
              nl.die.x0, nl.die.y0, nl.die.x1, nl.die.y1);
}

Test(bookshelf, macro_rules_on_the_synthetic_design)
{
    pl_bookshelf_options o;
    cr_assert_eq(pl_bookshelf_options_parse(&o, "terminals"), PL_OK);
    const char *dir = write_syn(NULL, NULL, NULL);
    cr_assert_eq(pl_bookshelf_read(&nl, path_in(dir, "syn.aux"), &o), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(node("f0")->kind, PL_NODE_MACRO); /* the fixed block becomes a macro to place */
    cr_assert_eq(node("f0")->state, PL_PLACE_PLACED);
    cr_assert_eq(node("m0")->kind, PL_NODE_STDCELL);
    cr_assert_eq(node("ni0")->kind, PL_NODE_OTHER); /* terminal_NI is not a `terminal` */
    cr_assert_eq(node("p0")->kind, PL_NODE_PORT);
    pl_netlist_free(&nl);
    cr_assert_eq(pl_bookshelf_options_parse(&o, "rows:3.5"), PL_OK); /* 42 > 36: m0 is no macro */
    cr_assert_eq(pl_bookshelf_read(&nl, path_in(dir, "syn.aux"), &o), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(node("m0")->kind, PL_NODE_STDCELL);
    cr_assert_eq(node("f0")->kind, PL_NODE_MACRO);
    cr_assert_eq(node("f0")->state, PL_PLACE_FIXED);
}

Test(bookshelf, options_parse_and_is_aux)
{
    pl_bookshelf_options o;
    pl_bookshelf_options_default(&o);
    cr_assert_eq(o.macros, PL_BK_MACROS_AUTO);
    cr_assert_eq(pl_bookshelf_options_parse(&o, "auto"), PL_OK);
    cr_assert_eq(o.macros, PL_BK_MACROS_AUTO);
    cr_assert_eq(pl_bookshelf_options_parse(&o, "rows:2.5"), PL_OK);
    cr_assert_eq(o.macros, PL_BK_MACROS_ROWS);
    cr_assert_eq(o.rows, 2.5);
    const char *arg = "@dir/macros.txt";
    cr_assert_eq(pl_bookshelf_options_parse(&o, arg), PL_OK);
    cr_assert_eq(o.macros, PL_BK_MACROS_LIST);
    cr_assert_eq(o.list, arg + 1, "the file name is borrowed");
    const char *bad[] = {"", "rows:0", "rows:-1", "rows:", "rows:2x", "rows:inf", "@", "Auto", "terminal"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(pl_bookshelf_options_parse(&o, bad[i]), PL_EINVAL, "'%s' accepted", bad[i]);
        cr_assert(strstr(pl_errmsg(), "--macros"), "%s", pl_errmsg());
    }
    cr_assert(pl_bookshelf_is_aux("a/ibm01.aux"));
    cr_assert(pl_bookshelf_is_aux("X.AUX"));
    cr_assert(!pl_bookshelf_is_aux("a.def"));
    cr_assert(!pl_bookshelf_is_aux("aux"));
}

Test(bookshelf, files_lists_what_the_aux_names)
{
    const char *dir = write_syn(NULL, NULL, NULL);
    char **files;
    int n;
    cr_assert_eq(pl_bookshelf_files(path_in(dir, "syn.aux"), &files, &n), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(n, 6);
    cr_assert_str_eq(files[0], path_in(dir, "syn.nodes"));
    cr_assert_str_eq(files[5], path_in(dir, "syn.shapes"));
    for (int i = 0; i < n; i++) free(files[i]);
    free(files);
}

/* ---- writing the .pl ---- */

Test(bookshelf, write_moves_only_changed_lines_and_appends_unlisted)
{
    const char *dir = write_syn("syn.pl", "c1   20   12 : FS\n", ""); /* c1 not in the .pl */
    read_syn(dir);
    cr_assert_eq(node("c1")->state, PL_PLACE_UNPLACED);
    const char *out = path_in(dir, "out.pl");
    cr_assert_eq(pl_bookshelf_write_pl(&nl, out, 0), PL_OK, "%s", pl_errmsg());
    char *text = pl_test_slurp(out, NULL), *in = pl_test_slurp(path_in(dir, "syn.pl"), NULL);
    cr_assert_str_eq(text, in, "unchanged: the same bytes");
    free(text);
    free(in);
    pl_node *m0 = &nl.nodes[pl_netlist_find_node(&nl, "m0")], *ni0 = &nl.nodes[pl_netlist_find_node(&nl, "ni0")];
    pl_node *c1 = &nl.nodes[pl_netlist_find_node(&nl, "c1")];
    m0->x = 0.1, m0->y = 1.0 / 3, m0->orient = PL_ORIENT_N;
    ni0->x = 151;
    c1->x = 3, c1->y = 4, c1->state = PL_PLACE_PLACED;
    cr_assert_eq(pl_bookshelf_write_pl(&nl, out, 0), PL_OK, "%s", pl_errmsg());
    text = pl_test_slurp(out, NULL);
    cr_assert_str_eq(text, "UCLA pl 1.0\n"
                           "\n"
                           "c0   10    0 : N\n"
                           "m0  0.1 0.3333333333333333 : N\n"
                           "f0  200  100 : N /FIXED\n"
                           "p0   -5  300 : N /FIXED\n"
                           "ni0 151 150 : N /FIXED_NI\n"
                           "c1 3 4 : N\n");
    free(text);
}

Test(bookshelf, write_refuses_a_changed_pl)
{
    const char *dir = write_syn(NULL, NULL, NULL);
    read_syn(dir);
    FILE *f = fopen(path_in(dir, "syn.pl"), "ab");
    cr_assert_not_null(f);
    fputs("# edited\n", f);
    fclose(f);
    const char *out = path_in(dir, "out.pl");
    cr_assert_eq(pl_bookshelf_write_pl(&nl, out, 0), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "changed since it was read"), "%s", pl_errmsg());
    cr_assert(!pl_test_exists(out), "no output after a refusal");
}

Test(bookshelf, apply_pl_moves_and_fixes)
{
    const char *dir = write_syn(NULL, NULL, NULL);
    read_syn(dir);
    const char *other = path_in(dir, "other.pl");
    const char text[] = "UCLA pl 1.0\nm0 7 8 : FN /FIXED\np0 1 2 : N\nc1 5 6 : N\nzz 0 0 : N\n";
    write_bytes(other, text, strlen(text));
    pl_bookshelf_pl_stats st;
    cr_assert_eq(pl_bookshelf_apply_pl(&nl, other, &st), PL_OK, "%s", pl_errmsg());
    cr_assert(st.lines == 4 && st.applied == 3 && st.missing == 1);
    cr_assert(node("m0")->x == 7 && node("m0")->y == 8 && node("m0")->orient == PL_ORIENT_FN);
    cr_assert_eq(node("m0")->state, PL_PLACE_FIXED);
    cr_assert_eq(node("p0")->state, PL_PLACE_FIXED, "a terminal stays fixed");
    cr_assert_eq(node("c1")->state, PL_PLACE_PLACED);
    cr_assert(node("c0")->x == 10, "an unlisted node keeps its place");
    write_bytes(other, "UCLA pl 1.0\nm0 7 : N\n", 21);
    cr_assert_eq(pl_bookshelf_apply_pl(&nl, other, &st), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "other.pl:2:"), "%s", pl_errmsg());
}

/* ---- bad inputs ---- */

/* Reads dir/syn.aux expecting PL_EPARSE whose message holds `where` (file:line) and `what`. */
static void expect_error(const char *dir, const char *where, const char *what)
{
    cr_assert_eq(pl_bookshelf_read(&nl, path_in(dir, "syn.aux"), NULL), PL_EPARSE, "accepted (%s)", what);
    const char *msg = pl_errmsg();
    cr_assert(strstr(msg, where) && strstr(msg, what), "'%s' lacks '%s' or '%s'", msg, where, what);
    cr_assert_null(strchr(msg, '\n'), "one line");
    pl_netlist_free(&nl); /* freeable, and again by the teardown */
}

Test(bookshelf, error_truncated_nets_mid_net)
{
    expect_error(write_syn("syn.nets", "\tm0\tI : -10 8\n", NULL), "syn.nets:7:",
                 "unexpected end of file in net 'n_a' (NetDegree 3 on line 5): 1 pin(s) missing (truncated file?)");
}

Test(bookshelf, error_count_mismatches)
{
    expect_error(write_syn("syn.nets", "NumNets : 3", "NumNets : 4"), "syn.nets:3:", "NumNets says 4 but the file has 3");
    expect_error(write_syn("syn.nets", "NumPins : 7", "NumPins : 6"), "syn.nets:4:", "NumPins says 6 but the file has 7");
    expect_error(write_syn("syn.nodes", "NumNodes : 6", "NumNodes : 7"), "syn.nodes:4:", "NumNodes says 7");
    expect_error(write_syn("syn.nodes", "NumTerminals : 3", "NumTerminals : 2"), "syn.nodes:5:",
                 "NumTerminals says 2 but the file has 3");
    expect_error(write_syn("syn.scl", "NumRows : 2", "NumRows : 3"), "syn.scl:2:", "NumRows says 3");
    expect_error(write_syn("syn.nodes", "NumNodes : 6\r\n", ""), "syn.nodes:1:", "no 'NumNodes : N' line");
    expect_error(write_syn("syn.nets", "NumNets : 3", "NumNets : -3"), "syn.nets:3:", "NumNets : N");
}

Test(bookshelf, error_unknown_nodes)
{
    expect_error(write_syn("syn.nets", "\tf0 I", "\tzz I"), "syn.nets:11:",
                 "net 'n_b' names node 'zz', which the .nodes file does not define");
    expect_error(write_syn("syn.pl", "f0  200", "zz  200"), "syn.pl:6:", "node 'zz' is not in the .nodes file");
    expect_error(write_syn("syn.nodes", "  ni0", "  c1"), "syn.nodes:11:", "duplicate node 'c1'");
}

Test(bookshelf, error_binary_junk)
{
    const char *dir = write_syn(NULL, NULL, NULL);
    char junk[] = "UCLA nodes 1.0\nNumNodes : 1\nNumTerminals : 0\n\x01\x02\0\0\xff\xfe";
    write_bytes(path_in(dir, "syn.nodes"), junk, sizeof junk);
    expect_error(dir, "syn.nodes:4:", "binary data");
}

Test(bookshelf, error_aux_files)
{
    expect_error(write_syn("syn.scl", NULL, NULL), "syn.aux:1:", "cannot open 'syn.scl'");
    expect_error(write_syn("syn.aux", SYN_AUX, "# nothing here\n"), "syn.aux:1:", "the .aux names no files");
    expect_error(write_syn("syn.aux", "syn.scl ", ""), "syn.aux:1:", "names no .scl file");
    expect_error(write_syn("syn.aux", "RowBasedPlacement :", "RowBasedPlacement"), "syn.aux:1:",
                 "expected 'RowBasedPlacement : NAME.nodes");
}

Test(bookshelf, error_pins_outside_nets)
{
    expect_error(write_syn("syn.nets", "NetDegree : 3   n_a\n", "\tc0 O\nNetDegree : 3   n_a\n"), "syn.nets:5:",
                 "a pin line 'c0' before any NetDegree line");
    expect_error(write_syn("syn.nets", "NetDegree : 2 n_b", "NetDegree : 1 n_b"), "syn.nets:11:",
                 "a pin line 'f0' outside a net");
    expect_error(write_syn("syn.nets", "NetDegree : 2 n_b", "NetDegree : 3 n_b"), "syn.nets:12:",
                 "a new NetDegree line in net 'n_b' (NetDegree 3 on line 9): 1 pin(s) missing");
    expect_error(write_syn("syn.nets", "\tc1 B", "\tc1 X"), "syn.nets:10:", "bad pin direction 'X'");
}

Test(bookshelf, error_bad_sizes_and_positions)
{
    expect_error(write_syn("syn.nodes", "c1   4", "c1   -4"), "syn.nodes:7:", "bad size '-4 x 12' of node 'c1'");
    expect_error(write_syn("syn.nodes", "c1   4", "c1   four"), "syn.nodes:7:", "bad size 'four x 12'");
    expect_error(write_syn("syn.nodes", "c1   4   12", "c1   4   nan"), "syn.nodes:7:", "bad size");
    expect_error(write_syn("syn.pl", "m0  100", "m0  1e999"), "syn.pl:5:", "numbers x y");
    expect_error(write_syn("syn.pl", "50 : E", "50 : Q"), "syn.pl:5:", "bad orientation 'Q'");
    expect_error(write_syn("syn.pl", "c0   10    0 : N\n", "c0 1 1 : N\nc0 2 2 : N\n"), "syn.pl:4:", "placed twice");
    expect_error(write_syn("syn.scl", " Height : 12\n Sitewidth : 2", " Height : 0\n Sitewidth : 2"), "syn.scl:15:",
                 "bad Height '0'");
}

Test(bookshelf, error_headers_and_truncated_rows)
{
    expect_error(write_syn("syn.pl", "UCLA pl 1.0", "UCLA nodes 1.0"), "syn.pl:1:", "missing header 'UCLA pl 1.0'");
    expect_error(write_syn("syn.wts", "UCLA wts 1.0\n", ""), "syn.wts:1:", "missing header");
    expect_error(write_syn("syn.scl", " SubrowOrigin : 0 Numsites : 150\n", NULL), "syn.scl:20:",
                 "unexpected end of file in the CoreRow opened on line 13");
    expect_error(write_syn("syn.nodes", "UCLA nodes 1.0\r\n", NULL), "syn.nodes:1:", "no 'NumNodes : N' line");
}

/* ---- ibm01 (IBM-MS) ---- */

static void read_ibm01(const char *macros)
{
    PL_NEED_SHARED(IBM01);
    pl_bookshelf_options o;
    cr_assert_eq(pl_bookshelf_options_parse(&o, macros), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_bookshelf_read(&nl, pl_test_shared_path(IBM01), &o), PL_OK, "%s", pl_errmsg());
}

static int64_t count_kind(pl_node_kind k)
{
    int64_t n = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) n += nl.nodes[i].kind == k;
    return n;
}

Test(bookshelf, ibm01_counts)
{
    read_ibm01("auto");
    cr_assert_str_eq(nl.design, "ibm01");
    cr_assert_eq(nl.nnodes, 12752);
    cr_assert_eq(nl.nnets, 14111);
    cr_assert_eq(nl.npins, 50566);
    cr_assert_eq(nl.nrows, 144);
    cr_assert_eq(count_kind(PL_NODE_PORT), 246);
    cr_assert_eq(count_kind(PL_NODE_MACRO), 246);
    cr_assert_eq(count_kind(PL_NODE_STDCELL), 12752 - 2 * 246);
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *n = &nl.nodes[i];
        if (n->kind == PL_NODE_PORT) cr_assert(n->w == 1 && n->h == 1 && n->state == PL_PLACE_FIXED, "%s", n->name);
        if (n->kind == PL_NODE_MACRO) cr_assert(n->h > 16 && n->state == PL_PLACE_PLACED, "%s", n->name);
    }
    cr_assert_str_eq(nl.nets[0].name, "net0");
    cr_assert_str_eq(nl.nets[14110].name, "net14110");
    cr_assert_eq(nl.nets[0].weight, 1);
    cr_assert_eq(nl.nsites, 1);
    cr_assert(nl.sites[0].w == 1 && nl.sites[0].h == 16);
    cr_assert(nl.rows[0].nx == 2295 && nl.rows[0].sx == 1 && nl.rows[0].orient == PL_ORIENT_N);
    cr_assert_eq(nl.rows[1].orient, PL_ORIENT_FS);
    cr_assert_eq(nl.rows[143].y, 2288);
    pl_rect rows;
    cr_assert(pl_netlist_rows_bbox(&nl, &rows));
    cr_assert(rows.x0 == 0 && rows.y0 == 0 && rows.x1 == 2295 && rows.y1 == 2304);
    cr_assert(nl.has_die && nl.die.x0 <= 0 && nl.die.y0 <= 0 && nl.die.x1 >= 2295 && nl.die.y1 >= 2304);
    /* net0: p198 and a8117, pins at the centres (no offsets in IBM-MS) */
    int32_t p = nl.net_pins[nl.net_pin_off[0]];
    const pl_node *owner = &nl.nodes[nl.pins[p].node];
    cr_assert(nl.pins[p].dx == owner->w / 2 && nl.pins[p].dy == owner->h / 2);
    cr_assert_eq(nl.pins[p].dir, PL_DIR_INOUT);
}

Test(bookshelf, ibm01_macro_rules)
{
    read_ibm01("terminals");
    cr_assert_eq(count_kind(PL_NODE_MACRO), 0, "ibm01's terminals are 1 x 1 pads");
    cr_assert_eq(count_kind(PL_NODE_PORT), 246);
    pl_netlist_free(&nl);

    /* the movable blocks are 96 high but for two of 128 and one of 512 */
    read_ibm01("rows:6");
    cr_assert_eq(count_kind(PL_NODE_MACRO), 3);
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) cr_assert_gt(nl.nodes[i].h, 96);
    pl_netlist_free(&nl);
    read_ibm01("rows:5.9");
    cr_assert_eq(count_kind(PL_NODE_MACRO), 246);
    pl_netlist_free(&nl);

    const char *list = path_in(pl_test_tmpdir(), "macros.txt");
    const char text[] = "# three macros\na22\n\n  a23  \r\na26 # a comment\n";
    write_bytes(list, text, strlen(text));
    char arg[600];
    snprintf(arg, sizeof arg, "@%s", list);
    read_ibm01(arg);
    cr_assert_eq(count_kind(PL_NODE_MACRO), 3);
    cr_assert_eq(node("a23")->kind, PL_NODE_MACRO);
    cr_assert_eq(node("a23")->state, PL_PLACE_PLACED);
    pl_netlist_free(&nl);

    write_bytes(list, "a22\nnot_a_node\n", 15);
    pl_bookshelf_options o;
    pl_bookshelf_options_parse(&o, arg);
    cr_assert_eq(pl_bookshelf_read(&nl, pl_test_shared_path(IBM01), &o), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "macros.txt:2: 'not_a_node' is not a node"), "%s", pl_errmsg());
}

/* Number of lines where a and b differ (same line count required); *line gets the last such line of b. */
static int diff_lines(const char *a, const char *b, char *line, size_t cap)
{
    int n = 0;
    while (*a || *b) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        cr_assert(ea && eb, "line counts differ");
        if (ea - a != eb - b || memcmp(a, b, (size_t)(ea - a)) != 0) {
            n++;
            snprintf(line, cap, "%.*s", (int)(eb - b), b);
        }
        a = ea + 1, b = eb + 1;
    }
    return n;
}

Test(bookshelf, ibm01_write_round_trip)
{
    read_ibm01("auto");
    const char *dir = pl_test_tmpdir();
    const char *out = path_in(dir, "ibm01.pl");
    cr_assert_eq(pl_bookshelf_write_pl(&nl, out, 0), PL_OK, "%s", pl_errmsg());
    size_t la, lb;
    char *orig = pl_test_slurp(pl_test_shared_path(IBM01_DIR "/ibm01.pl"), &la);
    char *text = pl_test_slurp(out, &lb);
    cr_assert(la == lb && memcmp(orig, text, la) == 0, "unchanged: byte-identical");
    free(text);

    int32_t m = -1;
    for (int32_t i = 0; i < nl.nnodes && m < 0; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO) m = i;
    char name[64];
    snprintf(name, sizeof name, "%s", nl.nodes[m].name);
    nl.nodes[m].x = 1234.5, nl.nodes[m].y = 96;
    cr_assert_eq(pl_bookshelf_write_pl(&nl, out, 0), PL_OK, "%s", pl_errmsg());
    text = pl_test_slurp(out, NULL);
    char line[256];
    cr_assert_eq(diff_lines(orig, text, line, sizeof line), 1);
    cr_assert(strstr(line, name) && strstr(line, " 1234.5 96 : N"), "%s", line);
    free(text);

    /* read back: the written .pl beside links to the other files */
    const char *ext[] = {"nodes", "nets", "wts", "scl"};
    for (int i = 0; i < 4; i++) {
        char from[600], to[600];
        snprintf(from, sizeof from, "%s/ibm01.%s", pl_test_shared_path(IBM01_DIR), ext[i]);
        snprintf(to, sizeof to, "%s/ibm01.%s", dir, ext[i]);
        char abs[PATH_MAX]; /* the link lives in /tmp: a relative PL_SHARED would not resolve there */
        cr_assert_not_null(realpath(from, abs), "%s", from);
        cr_assert_eq(symlink(abs, to), 0);
    }
    const char aux[] = "RowBasedPlacement : ibm01.nodes ibm01.nets ibm01.wts ibm01.pl ibm01.scl\n";
    write_bytes(path_in(dir, "ibm01.aux"), aux, strlen(aux));
    pl_netlist back;
    pl_netlist_init(&back);
    cr_assert_eq(pl_bookshelf_read(&back, path_in(dir, "ibm01.aux"), NULL), PL_OK, "%s", pl_errmsg());
    int32_t k = pl_netlist_find_node(&back, name);
    cr_assert(back.nodes[k].x == 1234.5 && back.nodes[k].y == 96);
    pl_netlist_free(&back);

    /* fix_macros: every macro line, and only those, gains /FIXED */
    nl.nodes[m].x = nl.placesrc->orig[m].x, nl.nodes[m].y = nl.placesrc->orig[m].y;
    cr_assert_eq(pl_bookshelf_write_pl(&nl, out, 1), PL_OK, "%s", pl_errmsg());
    text = pl_test_slurp(out, NULL);
    cr_assert_eq(diff_lines(orig, text, line, sizeof line), 246);
    int fixed = 0;
    for (const char *p = text; (p = strstr(p, "/FIXED")) != NULL; p++) fixed++;
    cr_assert_eq(fixed, 246);
    free(text);
    free(orig);
}
