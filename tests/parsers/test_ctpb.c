/* test_ctpb.c: the Circuit Training protobuf-text reader on inline netlists and the shared ones. */
#include <math.h>

#include "parsers/ctpb.h"
#include "tests/testutil.h"

static pl_netlist nl;
static void setup(void) { pl_netlist_init(&nl); }
static void teardown(void) { pl_netlist_free(&nl); }

TestSuite(ctpb, .init = setup, .fini = teardown);

/* Attributes deliberately out of the usual order; a metadata node first; a pin on two nets. */
static const char TINY[] =
    "# proto-message: tensorflow.GraphDef\n"
    "# FP bbox: {0.0 0.0} {100.0 50.0}\n"
    "node {\n  name: \"__metadata__\"\n  attr { key: \"soft_macro_area_bloating_ratio\" value { f: 2.0 } }\n}\n"
    "node {\n  name: \"in0\"\n  input: \"M0/A\"\n  input: \"S0/I\"\n"
    "  attr { key: \"y\" value { f: 20 } }\n  attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
    "  attr { key: \"side\" value { placeholder: \"LEFT\" } }\n  attr { key: \"x\" value { f: 0 } }\n}\n"
    "node {\n  name: \"M0\"\n  attr { key: \"type\" value { placeholder: \"MACRO\" } }\n"
    "  attr { key: \"width\" value { f: 10 } }\n  attr { key: \"height\" value { f: 4 } }\n"
    "  attr { key: \"x\" value { f: 30 } }\n  attr { key: \"y\" value { f: 12 } }\n"
    "  attr { key: \"orientation\" value { placeholder: \"FS\" } }\n}\n"
    "node {\n  name: \"M0/A\"\n  attr { key: \"macro_name\" value { placeholder: \"M0\" } }\n"
    "  attr { key: \"type\" value { placeholder: \"MACRO_PIN\" } }\n"
    "  attr { key: \"x_offset\" value { f: -4 } }\n  attr { key: \"y_offset\" value { f: 1.5 } }\n}\n"
    "node {\n  name: \"M0/Z\"\n  input: \"S0/I\"\n  input: \"out0\"\n"
    "  attr { key: \"type\" value { placeholder: \"MACRO_PIN\" } }\n  attr { key: \"weight\" value { f: 3 } }\n"
    "  attr { key: \"x_offset\" value { f: 5 } }\n  attr { key: \"y_offset\" value { f: 0 } }\n}\n"
    "node {\n  name: \"S0\"\n  attr { key: \"type\" value { placeholder: \"macro\" } }\n"
    "  attr { key: \"width\" value { f: 6 } }\n  attr { key: \"height\" value { f: 6 } }\n"
    "  attr { key: \"x\" value { f: 70 } }\n  attr { key: \"y\" value { f: 30 } }\n}\n"
    "node {\n  name: \"S0/I\"\n  attr { key: \"type\" value { placeholder: \"macro_pin\" } }\n"
    "  attr { key: \"macro_name\" value { placeholder: \"S0\" } }\n}\n"
    "node {\n  name: \"out0\"\n  attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
    "  attr { key: \"x\" value { f: 100 } }\n  attr { key: \"y\" value { f: 40 } }\n}\n";

static pl_status read_inline(const char *text)
{
    char *buf = strdup(text);
    pl_status s = pl_ctpb_read_buffer(&nl, "inline.pb.txt", buf, strlen(buf));
    free(buf);
    return s;
}

Test(ctpb, tiny_nodes_and_indices)
{
    cr_assert_eq(read_inline(TINY), PL_OK, "%s", pl_errmsg());
    cr_assert(nl.ct_indexed);
    cr_assert_eq(nl.ct_count, 7, "metadata takes no index: 7 nodes, got %d", nl.ct_count);
    cr_assert_eq(nl.nnodes, 4); /* in0, M0, S0, out0 */
    int32_t in0 = pl_netlist_find_node(&nl, "in0"), m0 = pl_netlist_find_node(&nl, "M0");
    int32_t s0 = pl_netlist_find_node(&nl, "S0"), out0 = pl_netlist_find_node(&nl, "out0");
    cr_assert(in0 >= 0 && m0 >= 0 && s0 >= 0 && out0 >= 0);
    cr_assert_eq(nl.nodes[in0].kind, PL_NODE_PORT);
    cr_assert_eq(nl.nodes[m0].kind, PL_NODE_MACRO);
    cr_assert_eq(nl.nodes[s0].kind, PL_NODE_SOFT);
    cr_assert_eq(nl.nodes[in0].ct_index, 0);
    cr_assert_eq(nl.nodes[m0].ct_index, 1);
    cr_assert_eq(nl.nodes[s0].ct_index, 4);
    cr_assert_eq(nl.nodes[out0].ct_index, 6);
    cr_assert_eq(nl.nodes[m0].orient, PL_ORIENT_FS);
    /* centre (30, 12), 10 x 4 -> lower-left (25, 10) */
    cr_assert_float_eq(nl.nodes[m0].x, 25.0, 1e-12);
    cr_assert_float_eq(nl.nodes[m0].y, 10.0, 1e-12);
    cr_assert_float_eq(nl.nodes[s0].x, 67.0, 1e-12);
    cr_assert(nl.has_die);
    cr_assert_float_eq(nl.die.x1, 100.0, 1e-12);
    cr_assert_float_eq(nl.die.y1, 50.0, 1e-12);
}

Test(ctpb, tiny_nets_pins_weights)
{
    cr_assert_eq(read_inline(TINY), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(nl.nnets, 2);
    int32_t n0 = pl_netlist_find_net(&nl, "in0"), n1 = pl_netlist_find_net(&nl, "M0/Z");
    cr_assert(n0 >= 0 && n1 >= 0);
    cr_assert_eq(nl.net_pin_off[n0 + 1] - nl.net_pin_off[n0], 3);
    cr_assert_eq(nl.net_pin_off[n1 + 1] - nl.net_pin_off[n1], 3);
    cr_assert_float_eq(nl.nets[n0].weight, 1.0, 0);
    cr_assert_float_eq(nl.nets[n1].weight, 3.0, 0);
    /* the driver comes first */
    int32_t d1 = nl.net_pins[nl.net_pin_off[n1]];
    cr_assert_str_eq(pl_pin_name(&nl, d1), "M0/Z");
    cr_assert_eq(nl.nets[n1].driver, d1);
    /* M0/Z: centre offset (5, 0) of a 10 x 4 macro -> dx 10, dy 2 in the N frame; FS mirrors y */
    cr_assert_float_eq(nl.pins[d1].dx, 10.0, 1e-12);
    cr_assert_float_eq(nl.pins[d1].dy, 2.0, 1e-12);
    double x, y;
    pl_pin_position(&nl, d1, &x, &y);
    cr_assert_float_eq(x, 35.0, 1e-12);
    cr_assert_float_eq(y, 12.0, 1e-12);
    /* M0/A: offset (-4, 1.5), FS -> (26, 10.5) */
    int32_t a = -1;
    for (int64_t p = 0; p < nl.npins; p++)
        if (!strcmp(pl_pin_name(&nl, (int32_t)p), "M0/A")) a = (int32_t)p;
    cr_assert(a >= 0);
    pl_pin_position(&nl, a, &x, &y);
    cr_assert_float_eq(x, 26.0, 1e-12);
    cr_assert_float_eq(y, 10.5, 1e-12);
    /* S0/I is a sink of both nets: two pl_pins carry its name */
    int count = 0;
    for (int64_t p = 0; p < nl.npins; p++)
        if (!strcmp(pl_pin_name(&nl, (int32_t)p), "S0/I")) {
            count++;
            cr_assert_eq(nl.pins[p].node, pl_netlist_find_node(&nl, "S0"));
        }
    cr_assert_eq(count, 2);
}

Test(ctpb, unknown_input_names_line)
{
    const char *bad = "node {\n  name: \"p\"\n  input: \"nope\"\n"
                      "  attr { key: \"type\" value { placeholder: \"PORT\" } }\n}\n";
    cr_assert_eq(read_inline(bad), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "inline.pb.txt:3:") != NULL, "message: %s", pl_errmsg());
    cr_assert(strstr(pl_errmsg(), "nope") != NULL);
}

Test(ctpb, unknown_type_and_syntax)
{
    cr_assert_eq(read_inline("node {\n name: \"a\"\n attr { key: \"type\" value { placeholder: \"GIZMO\" } }\n}\n"),
                 PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "inline.pb.txt:3:") != NULL, "message: %s", pl_errmsg());
    pl_netlist_free(&nl);
    cr_assert_eq(read_inline("node {\n name: \"a\"\n"), PL_EPARSE);
    pl_netlist_free(&nl);
    cr_assert_eq(read_inline("node {\n name: \"a\n}\n"), PL_EPARSE);
    pl_netlist_free(&nl);
    cr_assert_eq(read_inline("node {\n name: \"a\"\n}\n"), PL_EPARSE); /* no type */
    cr_assert(strstr(pl_errmsg(), "no type") != NULL, "message: %s", pl_errmsg());
}

/* A name of two lines (the escape \n in a quoted string) is quoted printable: the error is one line. */
Test(ctpb, names_in_errors_are_one_printable_line)
{
    const char *dup = "node {\n name: \"a\\nb\\033[2J\"\n attr { key: \"type\" value { placeholder: \"PORT\" } }\n}\n"
                      "node {\n name: \"a\\nb\\033[2J\"\n attr { key: \"type\" value { placeholder: \"PORT\" } }\n}\n";
    cr_assert_eq(read_inline(dup), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "inline.pb.txt:5: duplicate node name 'a?b?[2J' (first at line 1)");
    pl_netlist_free(&nl);
    cr_assert_eq(read_inline("node {\n name: \"p\\n\"\n input: \"x\\ny\"\n"
                             " attr { key: \"type\" value { placeholder: \"PORT\" } }\n}\n"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "inline.pb.txt:3: input 'x?y' of 'p?' is not a pin, port or std cell of the netlist");
}

Test(ctpb, a_netlist_without_nodes_is_an_error)
{
    cr_assert_eq(read_inline(""), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "inline.pb.txt: no nodes"), "%s", pl_errmsg());
    pl_netlist_free(&nl);
    cr_assert_eq(read_inline("# FP bbox: {0.0 0.0} {100.0 50.0}\nnode {\n name: \"__metadata__\"\n}\n"), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "no nodes"), "%s", pl_errmsg());
}

Test(ctpb, missing_file)
{
    cr_assert_neq(pl_ctpb_read(&nl, "/nonexistent/netlist.pb.txt"), PL_OK);
    cr_assert(strstr(pl_errmsg(), "/nonexistent/netlist.pb.txt") != NULL);
}

Test(ctpb, sample_clustered)
{
    PL_NEED_SHARED("designs/ct_testdata/sample_clustered/netlist.pb.txt");
    cr_assert_eq(pl_ctpb_read(&nl, pl_test_shared_path("designs/ct_testdata/sample_clustered/netlist.pb.txt")),
                 PL_OK, "%s", pl_errmsg());
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    cr_assert_eq(st.macros, 2);
    cr_assert_eq(st.soft_macros, 1);
    cr_assert_eq(st.io_pins, 2);
    cr_assert_eq(nl.ct_count, 11);
    cr_assert_eq(nl.nodes[pl_netlist_find_node(&nl, "Grp_2")].ct_index, 8);
}

Test(ctpb, toy_macro_stdcell)
{
    PL_NEED_SHARED("designs/ct_testdata/toy_macro_stdcell/netlist.pb.txt");
    cr_assert_eq(pl_ctpb_read(&nl, pl_test_shared_path("designs/ct_testdata/toy_macro_stdcell/netlist.pb.txt")),
                 PL_OK, "%s", pl_errmsg());
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    cr_assert_eq(st.macros, 2);
    cr_assert_eq(st.std_cells, 12);
    cr_assert_eq(st.io_pins, 12);
}

Test(ctpb, ng45_ariane133_gz)
{
    PL_NEED_SHARED("designs/ct_ng45_ariane133/netlist.pb.txt.gz");
    cr_assert_eq(pl_ctpb_read(&nl, pl_test_shared_path("designs/ct_ng45_ariane133/netlist.pb.txt.gz")), PL_OK,
                 "%s", pl_errmsg());
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    /* the .plc header's counts: 133 hard macros, 782 soft, 495 ports, 7847 + 10630 macro pins */
    cr_assert_eq(st.macros, 133);
    cr_assert_eq(st.soft_macros, 782);
    cr_assert_eq(st.io_pins, 495);
    cr_assert_eq(nl.ct_count, 133 + 7847 + 782 + 10630 + 495);
    int named = 0;
    for (int64_t p = 0; p < nl.npins; p++) named += nl.pins[p].name != NULL;
    cr_assert_geq(named, 7847 + 10630);
    cr_assert_eq(nl.nodes[pl_netlist_find_node(&nl, "clk_i")].ct_index, 0);
}
