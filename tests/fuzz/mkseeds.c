/* mkseeds.c: writes the seed corpora of the fuzz targets from the project's own designs.
 *
 * Usage: mkseeds ROOT OUT. Reads the checkout at ROOT (tests/data/tiny, designs/small,
 * designs/<name>/, policies/default.ckpt) and writes OUT/<target>/ for every target of tests/fuzz/:
 *   def   tiny.def as it is (the DEF target's library is tiny.lef: see fuzz_def.c)
 *   lef   tiny.lef and small's LEFs as they are
 *   ctpb  tiny written by pl_ctpb_write (with and without the metadata options), and soft macros by hand
 *   plc   tiny's .plc by pl_plc_write: with every header field, and with none
 *   ckpt  policies/default.ckpt, and small-architecture checkpoints (fuzz_ckpt.h) with and without Adam
 *   suite the XML example of rl/suite.h, and one suite of every designs/<name>/<name>.def with its LEFs
 *   bookshelf two small designs by hand, in the sections fuzz_bookshelf.c reads: ISPD2005 style (pin offsets,
 *         a fixed block, a terminal_NI, named and weighted nets, CRLF), IBM-MS style with a macro list
 * Same checkout, same bytes. Errors print one line and exit 1 (this is a program, not the library).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>

#include "gnn/adam.h"
#include "gnn/ckpt.h"
#include "parsers/ctpb_write.h"
#include "parsers/def.h"
#include "parsers/lef.h"
#include "parsers/plc.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_ckpt.h"

static const char *root, *out;

static void fail(const char *what, const char *msg)
{
    fprintf(stderr, "[fuzz] mkseeds: %s: %s\n", what, msg);
    exit(1);
}

static void check(pl_status s, const char *what)
{
    if (s != PL_OK) fail(what, pl_errmsg());
}

static const char *src_path(const char *rel)
{
    static char buf[4][4096];
    static int k;
    char *b = buf[k++ & 3];
    snprintf(b, sizeof buf[0], "%s/%s", root, rel);
    return b;
}

/* OUT/target/name; creates OUT/target. */
static const char *out_path(const char *target, const char *name)
{
    static char buf[4][4096];
    static int k;
    char *b = buf[k++ & 3];
    snprintf(b, sizeof buf[0], "%s/%s", out, target);
    if (mkdir(b, 0777) != 0 && errno != EEXIST) fail(b, strerror(errno));
    snprintf(b, sizeof buf[0], "%s/%s/%s", out, target, name);
    return b;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *o = in ? fopen(to, "wb") : NULL;
    if (!in || !o) fail(in ? to : from, strerror(errno));
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, o) != n) fail(to, "write failed");
    if (ferror(in)) fail(from, "read failed");
    fclose(in);
    if (fclose(o) != 0) fail(to, "write failed");
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) fail(path, "write failed");
}

/* Reads a design: the LEFs (ROOT-relative, NULL-terminated) then the DEF. */
static void read_design(pl_netlist *nl, const char *const *lefs, const char *def)
{
    pl_netlist_init(nl);
    for (int i = 0; lefs[i]; i++) check(pl_lef_read(nl, src_path(lefs[i])), lefs[i]);
    check(pl_def_read(nl, src_path(def)), def);
}

static const char *const tiny_lefs[] = {"tests/data/tiny/tiny.lef", NULL};
static const char *const small_lefs[] = {"designs/small/small.tlef", "designs/small/small_cells.lef",
                                         "designs/small/small_macros.lef", NULL};

static void seeds_text(void)
{
    copy_file(src_path("tests/data/tiny/tiny.def"), out_path("def", "tiny.def"));
    copy_file(src_path("tests/data/tiny/tiny.lef"), out_path("lef", "tiny.lef"));
    for (int i = 0; small_lefs[i]; i++) {
        const char *slash = strrchr(small_lefs[i], '/');
        copy_file(src_path(small_lefs[i]), out_path("lef", slash + 1));
    }
}

static void seeds_ct(void)
{
    pl_netlist nl;
    read_design(&nl, tiny_lefs, "tests/data/tiny/tiny.def");
    pl_ctpb_write_opts opts = {.bloat = 1.5, .comment = "fuzz seed: tests/data/tiny\nsecond comment line"};
    check(pl_ctpb_write(&nl, out_path("ctpb", "tiny.pb.txt"), &opts), "tiny.pb.txt");
    check(pl_ctpb_index(&nl), "tiny: CT indices");
    pl_plc_header h;
    pl_plc_header_init(&h);
    check(pl_plc_write(out_path("plc", "tiny-body.plc"), &h, &nl), "tiny-body.plc");
    h.have = PL_PLC_HAVE_GRID | PL_PLC_HAVE_CANVAS | PL_PLC_HAVE_ROUTES | PL_PLC_HAVE_MACRO | PL_PLC_HAVE_SMOOTH |
             PL_PLC_HAVE_OVERLAP | PL_PLC_HAVE_CONG_GRID | PL_PLC_HAVE_COSTS;
    h.cols = 7, h.rows = 5, h.cong_cols = 14, h.cong_rows = 10;
    h.width = 100, h.height = 80, h.h_rpm = 11.5, h.v_rpm = 12.25, h.h_macro_alloc = 7, h.v_macro_alloc = 8;
    h.smooth_range = 2, h.overlap_threshold = 0.004;
    h.wirelength = 1234.5, h.wirelength_cost = 0.1, h.congestion_cost = 0.9, h.density_cost = 0.5;
    snprintf(h.block, sizeof h.block, "tiny");
    pl_plc_blockage b = {10, 10, 30, 20, 0.5};
    h.blockages = &b, h.nblockages = 1, h.blockages_cap = 1;
    check(pl_plc_write(out_path("plc", "tiny.plc"), &h, &nl), "tiny.plc");
    pl_netlist_free(&nl);

    /* small.pb.txt would be 280 KB, too long to mutate well: tiny without options instead, and the
     * constructs a DEF design never produces (soft macros, their pins, a pin on two nets) by hand */
    read_design(&nl, tiny_lefs, "tests/data/tiny/tiny.def");
    check(pl_ctpb_write(&nl, out_path("ctpb", "tiny-plain.pb.txt"), NULL), "tiny-plain.pb.txt");
    pl_netlist_free(&nl);
    write_text(out_path("ctpb", "soft.pb.txt"),
               "# FP bbox: {0.0 0.0} {100.0 50.0}\n"
               "node {\n  name: \"__metadata__\"\n  attr { key: \"soft_macro_area_bloating_ratio\" value { f: 2.0 } }\n}\n"
               "node {\n  name: \"in0\"\n  input: \"M0/A\"\n  input: \"S0/I\"\n"
               "  attr { key: \"type\" value { placeholder: \"PORT\" } }\n  attr { key: \"side\" value { placeholder: \"LEFT\" } }\n"
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
               "  attr { key: \"macro_name\" value { placeholder: \"M0\" } }\n"
               "  attr { key: \"x_offset\" value { f: 5 } }\n  attr { key: \"y_offset\" value { f: 0 } }\n}\n"
               "node {\n  name: \"S0\"\n  attr { key: \"type\" value { placeholder: \"macro\" } }\n"
               "  attr { key: \"width\" value { f: 6 } }\n  attr { key: \"height\" value { f: 6 } }\n"
               "  attr { key: \"x\" value { f: 70 } }\n  attr { key: \"y\" value { f: 30 } }\n}\n"
               "node {\n  name: \"S0/I\"\n  attr { key: \"type\" value { placeholder: \"macro_pin\" } }\n"
               "  attr { key: \"macro_name\" value { placeholder: \"S0\" } }\n}\n"
               "node {\n  name: \"c0\"\n  input: \"out0\"\n  attr { key: \"type\" value { placeholder: \"STDCELL\" } }\n"
               "  attr { key: \"width\" value { f: 1 } }\n  attr { key: \"height\" value { f: 1 } }\n"
               "  attr { key: \"x\" value { f: 50 } }\n  attr { key: \"y\" value { f: 25 } }\n}\n"
               "node {\n  name: \"out0\"\n  attr { key: \"type\" value { placeholder: \"PORT\" } }\n"
               "  attr { key: \"x\" value { f: 100 } }\n  attr { key: \"y\" value { f: 40 } }\n}\n");
}

static void seeds_ckpt(void)
{
    copy_file(src_path("policies/default.ckpt"), out_path("ckpt", "default.ckpt"));
    pl_gnn_config cfg;
    pl_fuzz_ckpt_small_config(&cfg);
    pl_gnn_model m;
    check(pl_gnn_model_init(&m, &cfg, 7), "small model");
    check(pl_gnn_ckpt_write(out_path("ckpt", "small.ckpt"), &m, NULL, 42), "small.ckpt");
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    pl_gnn_adam a;
    check(pl_gnn_adam_init(&a, &ac, m.nparams), "Adam");
    for (size_t i = 0; i < m.nparams; i++) a.m[i] = 0.001f * (float)(i % 7), a.v[i] = 1e-6f * (float)(i % 5);
    a.t = 3;
    check(pl_gnn_ckpt_write(out_path("ckpt", "small-adam.ckpt"), &m, &a, 43), "small-adam.ckpt");
    pl_gnn_adam_free(&a);
    pl_gnn_model_free(&m);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void seeds_suite(void)
{
    write_text(out_path("suite", "example.xml"),
               "<suite> <design path=\"a/netlist.pb.txt.gz\" plc=\"a/initial.plc\" weight=\"2\"/>\n"
               "        <design path=\"b/b.def\"> <lef path=\"tech.lef\"/> <lef path=\"b.lef\"/> </design> </suite>\n");
    /* every designs/<name>/<name>.def, sorted, with the LEFs beside it, weights 1, 2, 3... */
    DIR *dp = opendir(src_path("designs"));
    if (!dp) fail("designs", strerror(errno));
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL && n < 64) {
        char def[4096];
        snprintf(def, sizeof def, "designs/%s/%s.def", e->d_name, e->d_name);
        struct stat st;
        if (e->d_name[0] != '.' && stat(src_path(def), &st) == 0) names[n++] = strdup(e->d_name);
    }
    closedir(dp);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    FILE *f = fopen(out_path("suite", "designs.xml"), "w");
    if (!f) fail("designs.xml", strerror(errno));
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- the project's designs -->\n<suite>\n");
    for (int i = 0; i < n; i++) {
        char def[4096];
        snprintf(def, sizeof def, "designs/%s/%s.def", names[i], names[i]);
        char **lefs;
        int nlef;
        check(pl_def_find_lefs(src_path(def), &lefs, &nlef), def);
        fprintf(f, "  <design path=\"%s\" weight=\"%d\">\n", def, i + 1);
        for (int k = 0; k < nlef; k++) fprintf(f, "    <lef path=\"designs/%s/%s\"/>\n", names[i], strrchr(lefs[k], '/') + 1);
        fprintf(f, "  </design>\n");
        pl_def_free_lefs(lefs, nlef);
        free(names[i]);
    }
    fprintf(f, "  <design path=\"/abs/netlist.pb.txt\" plc=\"initial.plc\" weight=\"0.5\"/>\n</suite>\n");
    if (fclose(f) != 0) fail("designs.xml", "write failed");
}

static void seeds_bookshelf(void)
{
    write_text(out_path("bookshelf", "ispd2005.txt"),
               "UCLA nodes 1.0\r\n# seed\r\nNumNodes : 6\r\nNumTerminals : 3\r\n\tc0\t2\t12\r\n c1 4 12\r\n"
               " m0 40 36\r\n f0 30 24 terminal\r\n p0 1 1 terminal\r\n ni0 20 20 terminal_NI\r\n%%\n"
               "UCLA nets 1.0\nNumNets : 3\nNumPins : 7\nNetDegree : 3 n_a\n\tc0\tO : 0.5 -1.0\n\tm0\tI : -10 8\n"
               "\tp0\tI\nNetDegree : 2 n_b\n c1 B : 1 2\n f0 I : 5 -5\nNetDegree : 2 n_c\n ni0 O\n c0 I : -0.5 1\n%%\n"
               "UCLA wts 1.0\nn_b 3\nc0 1\n%%\n"
               "UCLA pl 1.0\n\nc0 10 0 : N\nc1 20 12 : FS\nm0 100 50 : E\nf0 200 100 : N /FIXED\n"
               "p0 -5 300 : N /FIXED\nni0 150 150 : N /FIXED_NI\n%%\n"
               "UCLA scl 1.0\nNumRows : 2\nCoreRow Horizontal\n Coordinate : 0\n Height : 12\n Sitewidth : 1\n"
               " Sitespacing : 1\n Siteorient : 1\n Sitesymmetry : Y\n SubrowOrigin : 0 NumSites : 250\n"
               " SubrowOrigin : 260 NumSites : 40\nEnd\nCoreRow Horizontal\n Coordinate : 12\n Height : 12\n"
               " Sitewidth : 2\n Sitespacing : 2\n Siteorient : N\n Sitesymmetry : Y\n SubrowOrigin : 0 Numsites : 150\n"
               "End\n");
    write_text(out_path("bookshelf", "ibm-ms.txt"),
               "UCLA nodes 1.0\n\nNumNodes : 5\nNumTerminals : 2\n p1 1 1 terminal\n p2 1 1 terminal\n"
               " a0 3 16\n a1 5 16\n a2 40 48\n%%\n"
               "UCLA nets 1.0\nNumNets : 3\nNumPins : 7\nNetDegree : 2\n p1 B\n a0 B\nNetDegree : 3\n a0 O\n a1 I\n"
               " a2 I\nNetDegree : 2\n a2 O\n p2 B\n%%\n"
               "UCLA wts 1.0\n p1 0\n a0 1\n a2 48\n%%\n"
               "UCLA pl 1.0\n p1 0 70 : FS\n p2 80 -1 : E\n a0 0 0 : N\n a1 0 0 : N\n a2 0 0 : N\n%%\n"
               "UCLA scl 1.0\nNumrows : 2\nCoreRow Horizontal\n Coordinate : 0\n Height : 16\n Sitewidth : 1\n"
               " Sitespacing : 1\n Siteorient : N\n Sitesymmetry : Y\n SubrowOrigin : 0 Numsites : 64\nEnd\n"
               "CoreRow Horizontal\n Coordinate : 16\n Height : 16\n Sitewidth : 1\n Sitespacing : 1\n Siteorient : FS\n"
               " Sitesymmetry : Y\n SubrowOrigin : 0 Numsites : 64\nEnd\n%%\n"
               "# macros\na2\n");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkseeds ROOT OUT\n");
        return 2;
    }
    root = argv[1], out = argv[2];
    pl_fuzz_quiet();
    if (mkdir(out, 0777) != 0 && errno != EEXIST) fail(out, strerror(errno));
    seeds_text();
    seeds_ct();
    seeds_ckpt();
    seeds_suite();
    seeds_bookshelf();
    return 0;
}
