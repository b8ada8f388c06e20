/* test_ctpb_write.c: the Circuit Training netlist writer: read back by parsers/ctpb.h with the same
 * nodes, pins, nets and weights; a second write is byte-identical; CT indices follow the file; names
 * lose their DEF escapes (as CT's translator writes them) unless that would merge two names. */
#include <math.h>

#include "core/log.h"
#include "parsers/ctpb.h"
#include "parsers/ctpb_write.h"
#include "parsers/plc.h"
#include "tests/testutil.h"

static const char TINY[] =
    "# FP bbox: {0.0 0.0} {100.0 50.0}\n"
    "node {\n  name: \"in0\"\n  input: \"M0/A\"\n  input: \"S0/I\"\n"
    "  attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
    "  attr { key: \"x\" value { f: 0 } }\n  attr { key: \"y\" value { f: 20 } }\n}\n"
    "node {\n  name: \"M0\"\n  attr { key: \"type\" value { placeholder: \"MACRO\" } }\n"
    "  attr { key: \"width\" value { f: 10 } }\n  attr { key: \"height\" value { f: 4 } }\n"
    "  attr { key: \"x\" value { f: 30 } }\n  attr { key: \"y\" value { f: 12 } }\n"
    "  attr { key: \"orientation\" value { placeholder: \"FS\" } }\n}\n"
    "node {\n  name: \"M0/A\"\n  attr { key: \"macro_name\" value { placeholder: \"M0\" } }\n"
    "  attr { key: \"type\" value { placeholder: \"MACRO_PIN\" } }\n"
    "  attr { key: \"x_offset\" value { f: -4 } }\n  attr { key: \"y_offset\" value { f: 1.5 } }\n}\n"
    "node {\n  name: \"M0/Z\"\n  input: \"S0/I\"\n  input: \"out0\"\n"
    "  attr { key: \"type\" value { placeholder: \"MACRO_PIN\" } }\n  attr { key: \"weight\" value { f: 3 } }\n"
    "  attr { key: \"x_offset\" value { f: 5 } }\n  attr { key: \"y_offset\" value { f: 0.1 } }\n}\n"
    "node {\n  name: \"S0\"\n  attr { key: \"type\" value { placeholder: \"macro\" } }\n"
    "  attr { key: \"width\" value { f: 6 } }\n  attr { key: \"height\" value { f: 6 } }\n"
    "  attr { key: \"x\" value { f: 70.3 } }\n  attr { key: \"y\" value { f: 30 } }\n}\n"
    "node {\n  name: \"S0/I\"\n  attr { key: \"type\" value { placeholder: \"macro_pin\" } }\n"
    "  attr { key: \"macro_name\" value { placeholder: \"S0\" } }\n}\n"
    "node {\n  name: \"S0/O\"\n  input: \"M0/A\"\n  attr { key: \"type\" value { placeholder: \"macro_pin\" } }\n"
    "  attr { key: \"macro_name\" value { placeholder: \"S0\" } }\n  attr { key: \"weight\" value { f: 2 } }\n}\n"
    "node {\n  name: \"out0\"\n  attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
    "  attr { key: \"x\" value { f: 100 } }\n  attr { key: \"y\" value { f: 40 } }\n}\n";

/* Nodes (name, kind, centre, size, orientation) and nets (weight, sorted pin positions) agree. */
static void assert_same(const pl_netlist *a, const pl_netlist *b)
{
    cr_assert_eq(a->nnodes, b->nnodes);
    for (int64_t i = 0; i < a->nnodes; i++) {
        const pl_node *x = &a->nodes[i], *y = &b->nodes[i];
        cr_assert_str_eq(x->name, y->name);
        cr_assert_eq(x->kind, y->kind, "%s", x->name);
        double ax, ay, bx, by;
        pl_node_center(x, &ax, &ay);
        pl_node_center(y, &bx, &by);
        cr_assert(fabs(ax - bx) < 1e-9 && fabs(ay - by) < 1e-9, "%s: (%g %g) vs (%g %g)", x->name, ax, ay, bx, by);
        cr_assert(fabs(x->w - y->w) < 1e-12 && fabs(x->h - y->h) < 1e-12, "%s", x->name);
        cr_assert_eq(x->orient, y->orient, "%s", x->name);
    }
    cr_assert_eq(a->nnets, b->nnets);
    for (int64_t n = 0; n < a->nnets; n++) {
        cr_assert_eq(a->nets[n].weight, b->nets[n].weight, "net %lld", (long long)n);
        int64_t k = a->net_pin_off[n + 1] - a->net_pin_off[n];
        cr_assert_eq(k, b->net_pin_off[n + 1] - b->net_pin_off[n]);
        for (int64_t q = 0; q < k; q++) {
            double ax, ay, bx, by;
            pl_pin_position(a, a->net_pins[a->net_pin_off[n] + q], &ax, &ay);
            pl_pin_position(b, b->net_pins[b->net_pin_off[n] + q], &bx, &by);
            cr_assert(fabs(ax - bx) < 1e-9 && fabs(ay - by) < 1e-9, "net %lld pin %lld", (long long)n, (long long)q);
        }
    }
}

Test(ctpb_write, tiny_round_trip)
{
    pl_netlist a, b, c;
    pl_netlist_init(&a), pl_netlist_init(&b), pl_netlist_init(&c);
    char *buf = strdup(TINY);
    cr_assert_eq(pl_ctpb_read_buffer(&a, "tiny.pb.txt", buf, strlen(buf)), PL_OK, "%s", pl_errmsg());
    free(buf);
    const char *dir = pl_test_tmpdir();
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/a.pb.txt", dir);
    snprintf(p2, sizeof p2, "%s/b.pb.txt.gz", dir);
    pl_ctpb_write_opts wo = {2.0, "test"};
    cr_assert_eq(pl_ctpb_write(&a, p1, &wo), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_ctpb_read(&b, p1), PL_OK, "%s", pl_errmsg());
    assert_same(&a, &b);
    cr_assert_eq(b.ct_count, 8, "4 nodes + 4 pins, got %d", b.ct_count);
    cr_assert(b.has_die && b.die.x1 == 100 && b.die.y1 == 50);
    /* net weights travel on the driver: M0/Z drives weight 3, S0/O weight 2 */
    int32_t z = pl_netlist_find_net(&b, "M0/Z"), o = pl_netlist_find_net(&b, "S0/O");
    cr_assert(z >= 0 && o >= 0);
    cr_assert_eq(b.nets[z].weight, 3.0);
    cr_assert_eq(b.nets[o].weight, 2.0);
    /* indices: the writer's order is the file order the reader numbers */
    pl_ctpb_index(&a);
    for (int64_t i = 0; i < a.nnodes; i++) cr_assert_eq(a.nodes[i].ct_index, b.nodes[i].ct_index);
    /* gzipped output reads back the same */
    cr_assert_eq(pl_ctpb_write(&b, p2, &wo), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_ctpb_read(&c, p2), PL_OK, "%s", pl_errmsg());
    assert_same(&b, &c);
    pl_netlist_free(&a), pl_netlist_free(&b), pl_netlist_free(&c);
}

Test(ctpb_write, shared_toy_second_write_identical)
{
    PL_NEED_SHARED("designs/ct_testdata/toy_macro_stdcell/netlist.pb.txt");
    pl_netlist a, b;
    pl_netlist_init(&a), pl_netlist_init(&b);
    cr_assert_eq(pl_ctpb_read(&a, pl_test_shared_path("designs/ct_testdata/toy_macro_stdcell/netlist.pb.txt")), PL_OK,
                 "%s", pl_errmsg());
    const char *dir = pl_test_tmpdir();
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/a.pb.txt", dir);
    snprintf(p2, sizeof p2, "%s/b.pb.txt", dir);
    cr_assert_eq(pl_ctpb_write(&a, p1, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_ctpb_read(&b, p1), PL_OK, "%s", pl_errmsg());
    assert_same(&a, &b);
    cr_assert_eq(pl_ctpb_write(&b, p2, NULL), PL_OK, "%s", pl_errmsg());
    size_t n1, n2;
    char *t1 = pl_test_slurp(p1, &n1), *t2 = pl_test_slurp(p2, &n2);
    cr_assert(n1 == n2 && !memcmp(t1, t2, n1), "second write differs");
    cr_assert(strstr(t1, "placeholder: \"STDCELL\"") && strstr(t1, "placeholder: \"MACRO_PIN\""));
    free(t1), free(t2);
    pl_netlist_free(&a), pl_netlist_free(&b);
}

/* A DEF-escaped design (names as parsers/def.c keeps them: `ram\[0\]`), in CT text. */
static const char ESCAPED[] =
    "node {\n  name: \"in\\\\[0\\\\]\"\n  input: \"ram\\\\[0\\\\]/A\"\n"
    "  attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
    "  attr { key: \"x\" value { f: 0 } }\n  attr { key: \"y\" value { f: 20 } }\n}\n"
    "node {\n  name: \"ram\\\\[0\\\\]\"\n  attr { key: \"type\" value { placeholder: \"MACRO\" } }\n"
    "  attr { key: \"width\" value { f: 10 } }\n  attr { key: \"height\" value { f: 4 } }\n"
    "  attr { key: \"x\" value { f: 30 } }\n  attr { key: \"y\" value { f: 12 } }\n"
    "  attr { key: \"orientation\" value { placeholder: \"N\" } }\n}\n"
    "node {\n  name: \"ram\\\\[0\\\\]/A\"\n  attr { key: \"macro_name\" value { placeholder: \"ram\\\\[0\\\\]\" } }\n"
    "  attr { key: \"type\" value { placeholder: \"MACRO_PIN\" } }\n"
    "  attr { key: \"x_offset\" value { f: -4 } }\n  attr { key: \"y_offset\" value { f: 1.5 } }\n}\n"
    "node {\n  name: \"ram\\\\[0\\\\]/Z\"\n  input: \"g\\\\[1\\\\]/I\"\n"
    "  attr { key: \"macro_name\" value { placeholder: \"ram\\\\[0\\\\]\" } }\n"
    "  attr { key: \"type\" value { placeholder: \"MACRO_PIN\" } }\n  attr { key: \"weight\" value { f: 3 } }\n"
    "  attr { key: \"x_offset\" value { f: 5 } }\n  attr { key: \"y_offset\" value { f: 0.1 } }\n}\n"
    "node {\n  name: \"g\\\\[1\\\\]\"\n  attr { key: \"type\" value { placeholder: \"macro\" } }\n"
    "  attr { key: \"width\" value { f: 6 } }\n  attr { key: \"height\" value { f: 6 } }\n"
    "  attr { key: \"x\" value { f: 70.3 } }\n  attr { key: \"y\" value { f: 30 } }\n}\n"
    "node {\n  name: \"g\\\\[1\\\\]/I\"\n  attr { key: \"type\" value { placeholder: \"macro_pin\" } }\n"
    "  attr { key: \"macro_name\" value { placeholder: \"g\\\\[1\\\\]\" } }\n}\n";

/* The same netlist but for names: b's are a's without backslashes. */
static void assert_same_unescaped(const pl_netlist *a, const pl_netlist *b)
{
    cr_assert_eq(a->nnodes, b->nnodes);
    for (int64_t i = 0; i < a->nnodes; i++) {
        char want[256];
        size_t k = 0;
        for (const char *s = a->nodes[i].name; *s && k + 1 < sizeof want; s++)
            if (*s != '\\') want[k++] = *s;
        want[k] = 0;
        cr_assert_str_eq(b->nodes[i].name, want);
    }
    pl_netlist c = *b; /* names aside, the same nodes and nets */
    c.nodes = malloc((size_t)b->nnodes * sizeof *c.nodes);
    memcpy(c.nodes, b->nodes, (size_t)b->nnodes * sizeof *c.nodes);
    for (int64_t i = 0; i < b->nnodes; i++) c.nodes[i].name = a->nodes[i].name;
    assert_same(a, &c);
    free(c.nodes);
}

/* TILOS's plc_client_os reads a name up to its first backslash, so ram\[0\] and ram\[1\] would be one
 * macro there: names are written as CT's gen_pb_or.tcl writes them, without backslashes. */
Test(ctpb_write, def_escapes_dropped)
{
    pl_netlist a, b;
    pl_netlist_init(&a), pl_netlist_init(&b);
    char *buf = strdup(ESCAPED);
    cr_assert_eq(pl_ctpb_read_buffer(&a, "esc.pb.txt", buf, strlen(buf)), PL_OK, "%s", pl_errmsg());
    free(buf);
    cr_assert_geq(pl_netlist_find_node(&a, "ram\\[0\\]"), 0, "the reader keeps the escapes");
    char p1[256];
    snprintf(p1, sizeof p1, "%s/esc.pb.txt", pl_test_tmpdir());
    cr_assert_eq(pl_ctpb_write(&a, p1, NULL), PL_OK, "%s", pl_errmsg());
    size_t n;
    char *t = pl_test_slurp(p1, &n);
    cr_assert(!memchr(t, '\\', n), "a backslash written:\n%s", t);
    cr_assert(strstr(t, "  name: \"ram[0]\"\n"), "%s", t);
    cr_assert(strstr(t, "  name: \"ram[0]/Z\"\n  input: \"g[1]/I\"\n"), "%s", t);
    cr_assert(strstr(t, "  name: \"in[0]\"\n  input: \"ram[0]/A\"\n"), "%s", t);
    cr_assert(strstr(t, "key: \"macro_name\"\n    value {\n      placeholder: \"ram[0]\"\n"), "%s", t);
    cr_assert(strstr(t, "key: \"macro_name\"\n    value {\n      placeholder: \"g[1]\"\n"), "%s", t);
    free(t);
    cr_assert_eq(pl_ctpb_read(&b, p1), PL_OK, "%s", pl_errmsg());
    assert_same_unescaped(&a, &b);
    pl_netlist_free(&a), pl_netlist_free(&b);
}

/* Dropping the backslashes would make the macro ram\[0\] and the port ram[0] one name: every name is
 * written as it is (escaped), and reads back the same. */
Test(ctpb_write, def_escapes_kept_on_a_clash)
{
    pl_netlist a, b;
    pl_netlist_init(&a), pl_netlist_init(&b);
    char *buf = malloc(sizeof ESCAPED + 256);
    snprintf(buf, sizeof ESCAPED + 256, "%s%s", ESCAPED,
             "node {\n  name: \"ram[0]\"\n  attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
             "  attr { key: \"x\" value { f: 100 } }\n  attr { key: \"y\" value { f: 40 } }\n}\n");
    cr_assert_eq(pl_ctpb_read_buffer(&a, "clash.pb.txt", buf, strlen(buf)), PL_OK, "%s", pl_errmsg());
    free(buf);
    char p1[256];
    snprintf(p1, sizeof p1, "%s/clash.pb.txt", pl_test_tmpdir());
    int lvl = pl_log_get_level();
    pl_log_set_level(PL_LOG_QUIET); /* the warning is expected */
    cr_assert_eq(pl_ctpb_write(&a, p1, NULL), PL_OK, "%s", pl_errmsg());
    pl_log_set_level(lvl);
    size_t n;
    char *t = pl_test_slurp(p1, &n);
    cr_assert(strstr(t, "  name: \"ram\\\\[0\\\\]\"\n") && strstr(t, "  name: \"ram[0]\"\n"), "%s", t);
    free(t);
    cr_assert_eq(pl_ctpb_read(&b, p1), PL_OK, "%s", pl_errmsg());
    assert_same(&a, &b);
    pl_netlist_free(&a), pl_netlist_free(&b);
}

Test(ctpb_write, errors)
{
    pl_netlist a;
    pl_netlist_init(&a);
    cr_assert_eq(pl_ctpb_write(&a, "/tmp/x.pb.txt", NULL), PL_EINVAL); /* not finalized */
    cr_assert_eq(pl_netlist_finalize(&a), PL_OK);
    cr_assert_eq(pl_ctpb_write(&a, "/nonexistent-dir/x.pb.txt", NULL), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "/nonexistent-dir/x.pb.txt"), "%s", pl_errmsg());
    pl_netlist_free(&a);
}
