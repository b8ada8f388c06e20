/* test_gen.c: the synthetic design generator: byte-for-byte determinism, the counts asked for,
 * nets of at least two pins with a long-tailed fan-out, read-back through the LEF/DEF readers,
 * bad options, atomic output, and the committed designs/ being exactly what their recorded
 * commands produce. */
#include <dirent.h>

#include "parsers/def.h"
#include "placer/commands.h"
#include "gen/gen.h"
#include "tests/testutil.h"

#include <criterion/redirect.h>

TestSuite(gen);

static const char *SUFFIXES[4] = {".tlef", "_cells.lef", "_macros.lef", ".def"};

static const char *file_of(const char *dir, const char *name, int k)
{
    static char buf[8][1024];
    static int r;
    char *b = buf[r++ & 7];
    snprintf(b, sizeof buf[0], "%s/%s%s", dir, name, SUFFIXES[k]);
    return b;
}

/* 1 if the two files have the same bytes. */
static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = pl_test_slurp(a, &la), *y = pl_test_slurp(b, &lb);
    int same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static pl_gen_config small_config(void)
{
    pl_gen_config c = pl_gen_config_default();
    c.macros = 5;
    c.cells = 400;
    c.ios = 40;
    c.seed = 7;
    c.name = "t";
    return c;
}

static void gen_ok(const pl_gen_config *c, const char *dir, pl_gen_report *rep)
{
    cr_assert_eq(pl_gen_write(c, dir, rep), PL_OK, "%s", pl_errmsg());
}

Test(gen, same_seed_same_bytes)
{
    pl_gen_config c = small_config();
    const char *a = pl_test_tmpdir(), *b = pl_test_tmpdir();
    gen_ok(&c, a, NULL);
    gen_ok(&c, b, NULL);
    for (int k = 0; k < 4; k++)
        cr_assert(same_file(file_of(a, "t", k), file_of(b, "t", k)), "%s differs between runs",
                  SUFFIXES[k]);
}

Test(gen, different_seed_different_design)
{
    pl_gen_config c = small_config();
    const char *a = pl_test_tmpdir(), *b = pl_test_tmpdir();
    gen_ok(&c, a, NULL);
    c.seed = 8;
    gen_ok(&c, b, NULL);
    cr_assert_not(same_file(file_of(a, "t", 3), file_of(b, "t", 3)), "seeds 7 and 8 gave the same DEF");
}

/* Counts "- " entries of a DEF section and checks them against its header count. */
static int64_t section_entries(const char *text, const char *section, int64_t *header)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s ", section);
    const char *s = strstr(text, key);
    cr_assert_not_null(s, "no %s section", section);
    *header = strtoll(s + strlen(key), NULL, 10);
    snprintf(key, sizeof key, "\nEND %s", section);
    const char *e = strstr(s, key);
    cr_assert_not_null(e, "no END %s", section);
    int64_t n = 0;
    for (const char *p = s + 1; p < e; p++)
        if (p[-1] == '\n' && p[0] == '-' && p[1] == ' ') n++;
    return n;
}

Test(gen, counts_and_net_shapes_in_the_text)
{
    pl_gen_config c = small_config();
    const char *dir = pl_test_tmpdir();
    pl_gen_report rep;
    gen_ok(&c, dir, &rep);
    cr_assert_eq(rep.macros, 5);
    cr_assert_eq(rep.cells, 400);
    cr_assert_eq(rep.ios, 40);
    cr_assert(rep.macro_masters >= 2 && rep.macro_masters <= 4, "%lld masters", (long long)rep.macro_masters);

    char *def = pl_test_slurp(file_of(dir, "t", 3), NULL);
    int64_t hdr;
    cr_assert_eq(section_entries(def, "COMPONENTS", &hdr), 405);
    cr_assert_eq(hdr, 405);
    cr_assert_eq(section_entries(def, "PINS", &hdr), 40);
    cr_assert_eq(hdr, 40);
    cr_assert_eq(section_entries(def, "NETS", &hdr), rep.nets);
    cr_assert_eq(hdr, rep.nets);

    /* every net has >= 2 pins; fan-out mostly small with a tail */
    const char *s = strstr(def, "\nNETS ");
    const char *end = strstr(s, "\nEND NETS");
    s = strchr(s, ';') + 1;
    int64_t nets = 0, pins = 0, small = 0, big = 0, escaped = 0;
    while (s < end) {
        const char *semi = strchr(s, ';');
        if (!semi || semi > end) break;
        int64_t np = 0;
        for (const char *p = s; p < semi; p++) np += *p == '(';
        for (const char *p = s; p < semi - 1; p++) escaped += p[0] == '\\' && p[1] == '[';
        cr_assert_geq(np, 2, "net with %lld pins: %.60s", (long long)np, s);
        nets++;
        pins += np;
        small += np <= 5;
        big += np >= 10;
        s = semi + 1;
    }
    cr_assert_eq(nets, rep.nets);
    cr_assert_eq(pins, rep.net_pins);
    cr_assert_geq(small * 10, nets * 8, "%lld of %lld nets have 2-5 pins", (long long)small, (long long)nets);
    cr_assert_geq(big, 2, "no high-fan-out tail");
    cr_assert_gt(escaped, 0, "no escaped names");
    free(def);

    /* the macro LEF holds exactly the masters, all CLASS BLOCK */
    char *lef = pl_test_slurp(file_of(dir, "t", 2), NULL);
    int64_t masters = 0, blocks = 0;
    for (const char *p = lef; (p = strstr(p, "\nMACRO ")); p++) masters++;
    for (const char *p = lef; (p = strstr(p, "CLASS BLOCK ;")); p++) blocks++;
    cr_assert_eq(masters, rep.macro_masters);
    cr_assert_eq(blocks, rep.macro_masters);
    free(lef);
}

static void read_design(pl_netlist *nl, const char *dir, const char *name)
{
    const char *lefs[3] = {file_of(dir, name, 0), file_of(dir, name, 1), file_of(dir, name, 2)};
    pl_netlist_init(nl);
    cr_assert_eq(pl_design_read(nl, file_of(dir, name, 3), lefs, 3), PL_OK, "%s", pl_errmsg());
}

static void check_netlist(const pl_netlist *nl, int64_t macros, int64_t cells, int64_t ios)
{
    pl_netlist_stats st;
    pl_netlist_stats_compute(nl, &st);
    cr_assert_eq(st.macros, macros);
    cr_assert_eq(st.std_cells, cells);
    cr_assert_eq(st.io_pins, ios);
    cr_assert_eq(st.others, 0);
    cr_assert_eq(st.unplaced, macros + cells);
    cr_assert_eq(nl->dbu_per_micron, 2000);
    cr_assert_float_eq(nl->manufacturing_grid, 0.005, 1e-12);
    cr_assert_gt(nl->nrows, 0);
    cr_assert_eq(nl->ntracks, 12);
    for (int64_t n = 0; n < nl->nnets; n++)
        cr_assert_geq(nl->net_pin_off[n + 1] - nl->net_pin_off[n], 2, "net %s", nl->nets[n].name);
    /* every component pin on a net belongs to a LEF pin; every IO port is on a net */
    for (int64_t p = 0; p < nl->npins; p++) {
        const pl_pin *pin = &nl->pins[p];
        if (nl->nodes[pin->node].kind == PL_NODE_PORT) cr_assert_geq(pin->net, 0);
        else cr_assert_geq(pin->mpin, 0);
    }
    /* (macro + cell area) / core area is about the utilization asked for (0.6); the core is
     * the rows' area. Small designs get a bigger core so that the largest macro fits. */
    double core = 0;
    for (int64_t r = 0; r < nl->nrows; r++) core += nl->rows[r].nx * nl->rows[r].sx * 1.4;
    double util = (st.macro_area + st.std_cell_area) / core;
    cr_assert_leq(util, 0.6 + 1e-9, "utilization %g", util);
    if (cells >= 300) cr_assert_geq(util, 0.55, "utilization %g", util);
}

Test(gen, reads_back_with_the_lef_def_readers)
{
    pl_gen_config c = small_config();
    const char *dir = pl_test_tmpdir();
    pl_gen_report rep;
    gen_ok(&c, dir, &rep);
    pl_netlist nl;
    read_design(&nl, dir, "t");
    check_netlist(&nl, 5, 400, 40);
    cr_assert_eq(nl.nnets, rep.nets);
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    cr_assert_eq(st.net_pins, rep.net_pins);
    cr_assert_str_eq(nl.design, "t");
    cr_assert_float_eq(nl.die.x1 * 2000, (double)rep.die_w_dbu, 1e-6);
    /* names kept exactly: a bus port and an escaped SRAM output net */
    cr_assert_geq(pl_netlist_find_node(&nl, "clk"), 0);
    int escaped = 0;
    for (int64_t n = 0; n < nl.nnets; n++) escaped += strstr(nl.nets[n].name, "\\[") != NULL;
    cr_assert_gt(escaped, 0);
    /* the clock net reaches every DFF */
    int32_t clk = pl_netlist_find_net(&nl, "clk");
    cr_assert_geq(clk, 0);
    int64_t dffs = 0;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].master >= 0 && !strcmp(nl.masters[nl.nodes[i].master].name, "DFF_X1")) dffs++;
    cr_assert_eq(nl.net_pin_off[clk + 1] - nl.net_pin_off[clk], 1 + dffs + 5);
    pl_netlist_free(&nl);
}

Test(gen, edge_sizes)
{
    /* no macros, no IOs; one macro and a handful of cells */
    pl_gen_config c = small_config();
    c.macros = 0;
    c.ios = 0;
    c.cells = 50;
    const char *dir = pl_test_tmpdir();
    gen_ok(&c, dir, NULL);
    pl_netlist nl;
    read_design(&nl, dir, "t");
    check_netlist(&nl, 0, 50, 0);
    pl_netlist_free(&nl);

    c.macros = 1;
    c.ios = 3;
    c.cells = 12;
    dir = pl_test_tmpdir();
    gen_ok(&c, dir, NULL);
    read_design(&nl, dir, "t");
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    cr_assert_eq(st.macros, 1);
    cr_assert_eq(st.std_cells, 12);
    cr_assert_eq(st.io_pins, 3);
    pl_netlist_free(&nl);
}

/* No temporary files are left behind in dir. */
static void assert_no_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d))) cr_assert_null(strstr(e->d_name, ".tmp."), "left behind: %s", e->d_name);
    closedir(d);
}

Test(gen, bad_config_names_the_option)
{
    pl_gen_config c;
    const char *dir = pl_test_tmpdir();
    char sub[256];
    snprintf(sub, sizeof sub, "%s/never", dir);

    c = small_config(); c.macros = -1;
    cr_assert_eq(pl_gen_write(&c, sub, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--macros"), "%s", pl_errmsg());
    c = small_config(); c.cells = 0;
    cr_assert_eq(pl_gen_write(&c, sub, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--cells"), "%s", pl_errmsg());
    c = small_config(); c.utilization = 0.99;
    cr_assert_eq(pl_gen_write(&c, sub, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--utilization"), "%s", pl_errmsg());
    c = small_config(); c.name = "../x";
    cr_assert_eq(pl_gen_write(&c, sub, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--name"), "%s", pl_errmsg());
    c = small_config(); c.ios = 5000; c.cells = 20;
    cr_assert_eq(pl_gen_write(&c, sub, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--ios"), "%s", pl_errmsg());
    cr_assert_not(pl_test_exists(sub), "a failed run created its folder");

    /* the output "folder" is a file: an I/O error, nothing written */
    char file[256];
    snprintf(file, sizeof file, "%s/plain", dir);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fclose(f);
    c = small_config();
    cr_assert_eq(pl_gen_write(&c, file, NULL), PL_EIO);
    assert_no_tmp(dir);
}

Test(gen, cli_options)
{
    const char *dir = pl_test_tmpdir();
    char *bad_num[] = {"gen", "-o", (char *)dir, "--macros", "abc"};
    cr_assert_eq(pl_cmd_gen(5, bad_num), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--macros"), "%s", pl_errmsg());
    char *unknown[] = {"gen", "-o", (char *)dir, "--cels", "5"};
    cr_assert_eq(pl_cmd_gen(5, unknown), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--cels"), "%s", pl_errmsg());
    char *no_out[] = {"gen", "--cells", "50"};
    cr_assert_eq(pl_cmd_gen(3, no_out), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "-o"), "%s", pl_errmsg());
    char *missing[] = {"gen", "-o", (char *)dir, "--seed"};
    cr_assert_eq(pl_cmd_gen(4, missing), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "--seed"), "%s", pl_errmsg());

    /* --opt=V and --opt V give the same design as the library call */
    char *ok[] = {"gen", "-o", (char *)dir, "--macros=5", "--cells", "400", "--ios", "40",
                  "--seed=7", "--name", "t"};
    cr_redirect_stdout();
    cr_assert_eq(pl_cmd_gen(11, ok), PL_OK, "%s", pl_errmsg());
    pl_gen_config c = small_config();
    const char *ref = pl_test_tmpdir();
    gen_ok(&c, ref, NULL);
    for (int k = 0; k < 4; k++) cr_assert(same_file(file_of(dir, "t", k), file_of(ref, "t", k)));
    assert_no_tmp(dir);
}

/* KLayout reads what we write. It skips UNPLACED components, so a copy with every component
 * placed at the core origin is read too, and its instance count checked. */
static int klayout_instances(const char *def, const char *dir, const char *name)
{
    char cwd[1024], cmd[4096], out[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(out, sizeof out, "%s/klayout.txt", dir);
    const char *abs = dir[0] == '/' ? "" : cwd, *sep = dir[0] == '/' ? "" : "/";
    snprintf(cmd, sizeof cmd,
             "klayout -b -r tests/klayout/read_def.py -rd def=%s -rd lefs=%s%s%s,%s%s%s,%s%s%s -rd out=%s "
             ">/dev/null 2>&1",
             def, abs, sep, file_of(dir, name, 0), abs, sep, file_of(dir, name, 1), abs, sep,
             file_of(dir, name, 2), out);
    cr_assert_eq(system(cmd), 0, "klayout failed: %s", cmd);
    char *text = pl_test_slurp(out, NULL);
    const char *p = strstr(text, "instances ");
    cr_assert_not_null(p, "no instance count from klayout");
    int n = atoi(p + 10);
    free(text);
    return n;
}

Test(gen, klayout_reads_it)
{
    if (system("command -v klayout >/dev/null 2>&1") != 0) cr_skip_test("klayout not installed (make deps)");
    pl_gen_config c = small_config();
    const char *dir = pl_test_tmpdir();
    gen_ok(&c, dir, NULL);
    cr_assert_eq(klayout_instances(file_of(dir, "t", 3), dir, "t"), 0);

    size_t len;
    char *def = pl_test_slurp(file_of(dir, "t", 3), &len);
    char placed[512];
    snprintf(placed, sizeof placed, "%s/placed.def", dir);
    FILE *f = fopen(placed, "w");
    cr_assert_not_null(f);
    const char *key = "+ UNPLACED ;";
    int replaced = 0;
    for (const char *p = def; *p;) {
        const char *q = strstr(p, key);
        if (!q) {
            fputs(p, f);
            break;
        }
        fwrite(p, 1, (size_t)(q - p), f);
        fputs("+ PLACED ( 11200 11200 ) N ;", f);
        replaced++;
        p = q + strlen(key);
    }
    fclose(f);
    free(def);
    cr_assert_eq(replaced, 405);
    cr_assert_eq(klayout_instances(placed, dir, "t"), 405);
}

/* designs/: each committed design is exactly what designs/README.md's command writes. */
static void check_committed(const char *name, int32_t macros, int32_t cells, int32_t ios)
{
    char dir[256];
    snprintf(dir, sizeof dir, "designs/%s", name);
    if (!pl_test_exists(file_of(dir, name, 3))) cr_skip_test("%s absent (run from the repository root)", dir);
    pl_gen_config c = pl_gen_config_default();
    c.name = name;
    c.macros = macros;
    c.cells = cells;
    c.ios = ios;
    c.seed = 1;
    const char *tmp = pl_test_tmpdir();
    gen_ok(&c, tmp, NULL);
    for (int k = 0; k < 4; k++)
        cr_assert(same_file(file_of(dir, name, k), file_of(tmp, name, k)),
                  "%s is stale: regenerate it with the command in designs/README.md", file_of(dir, name, k));
    pl_netlist nl;
    read_design(&nl, dir, name);
    check_netlist(&nl, macros, cells, ios);
    pl_netlist_free(&nl);
}

Test(gen, committed_demo) { check_committed("demo", 16, 3000, 64); }
Test(gen, committed_small) { check_committed("small", 4, 300, 32); }
Test(gen, committed_medium) { check_committed("medium", 32, 10000, 128); }
