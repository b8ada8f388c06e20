/* test_def_write.c: DEF write-back. Unchanged -> byte-identical file and identical netlist;
 * moved components -> only their clauses change; KLayout reads what we write; atomic writes. */
#include <math.h>

#include "parsers/def.h"
#include "parsers/lef.h"
#include "parsers/textfile.h"
#include "core/log.h"
#include "tests/testutil.h"

#define TINY_LEF "tests/data/tiny/tiny.lef"
#define TINY_DEF "tests/data/tiny/tiny.def"
#define CT_DEF "designs/ct_ariane133/ariane.def.gz"
#define CT_LEF "designs/ct_ariane133/ariane.lef"

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}
static uint64_t mix_str(uint64_t h, const char *s) { return mix(h, s ? s : "", s ? strlen(s) + 1 : 1); }
static uint64_t mix_i(uint64_t h, int64_t v) { return mix(h, &v, sizeof v); }
/* doubles are compared at DEF resolution (1e-6 µm) */
static uint64_t mix_d(uint64_t h, double v) { return mix_i(h, llround(v * 1e6)); }

/* A hash of everything the netlist holds, for "identical netlist" checks. */
static uint64_t netlist_hash(const pl_netlist *nl)
{
    uint64_t h = 1469598103934665603ull;
    h = mix_str(h, nl->design);
    h = mix_d(h, nl->dbu_per_micron);
    h = mix_d(mix_d(mix_d(mix_d(h, nl->die.x0), nl->die.y0), nl->die.x1), nl->die.y1);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        h = mix_str(h, n->name);
        h = mix_i(mix_i(mix_i(h, n->master), n->kind), n->state);
        if (n->state != PL_PLACE_UNPLACED) /* an unplaced node's position means nothing */
            h = mix_i(mix_d(mix_d(h, n->x), n->y), n->orient);
        h = mix_d(mix_d(h, n->w), n->h);
        for (int k = 0; k < 4; k++) h = mix_d(h, n->halo[k]);
    }
    for (int64_t i = 0; i < nl->npins; i++) {
        const pl_pin *p = &nl->pins[i];
        h = mix_i(mix_i(mix_i(mix_i(h, p->node), p->net), p->mpin), p->dir);
        h = mix_d(mix_d(h, p->dx), p->dy);
    }
    for (int64_t i = 0; i < nl->nnets; i++) {
        h = mix_str(h, nl->nets[i].name);
        h = mix_d(mix_i(h, nl->nets[i].driver), nl->nets[i].weight);
        for (int64_t k = nl->net_pin_off[i]; k < nl->net_pin_off[i + 1]; k++) h = mix_i(h, nl->net_pins[k]);
    }
    for (int64_t i = 0; i < nl->nrows; i++)
        h = mix_d(mix_d(mix_str(h, nl->rows[i].name), nl->rows[i].x), nl->rows[i].y);
    for (int64_t i = 0; i < nl->nblockages; i++) h = mix_d(mix_d(h, nl->blockages[i].r.x0), nl->blockages[i].r.y1);
    return h;
}

static void read_design(pl_netlist *nl, const char *lef, const char *def)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(nl);
    cr_assert_eq(pl_lef_read(nl, lef), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_def_read(nl, def), PL_OK, "%s", pl_errmsg());
}

static void assert_same_bytes(const char *a, const char *b)
{
    pl_textfile fa, fb;
    cr_assert_eq(pl_textfile_read(&fa, a), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_textfile_read(&fb, b), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(fa.len, fb.len, "%s and %s differ in length", a, b);
    cr_assert(memcmp(fa.data, fb.data, fa.len) == 0, "%s and %s differ", a, b);
    pl_textfile_free(&fa);
    pl_textfile_free(&fb);
}

static int dir_entries(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    return n;
}

Test(def_write, unchanged_is_byte_identical)
{
    pl_netlist a, b;
    read_design(&a, TINY_LEF, TINY_DEF);
    char out[256];
    snprintf(out, sizeof out, "%s/tiny.def", pl_test_tmpdir());
    cr_assert_eq(pl_def_write(&a, out), PL_OK, "%s", pl_errmsg());
    assert_same_bytes(TINY_DEF, out);
    read_design(&b, TINY_LEF, out);
    cr_assert_eq(netlist_hash(&a), netlist_hash(&b));
    pl_netlist_free(&a);
    pl_netlist_free(&b);
}

Test(def_write, moved_components_read_back)
{
    pl_netlist a, b;
    read_design(&a, TINY_LEF, TINY_DEF);
    pl_node *r0 = &a.nodes[pl_netlist_find_node(&a, "ram\\[0\\]")];
    pl_node *r2 = &a.nodes[pl_netlist_find_node(&a, "ram2")];
    pl_node *un = &a.nodes[pl_netlist_find_node(&a, "u_n")];
    pl_node *uf = &a.nodes[pl_netlist_find_node(&a, "u_free")];
    r0->x = 12.345;
    r0->orient = PL_ORIENT_FW;
    r2->state = PL_PLACE_FIXED; /* UNPLACED clause replaced */
    r2->x = 50;
    r2->y = 40;
    r2->orient = PL_ORIENT_E;
    un->state = PL_PLACE_UNPLACED;
    uf->state = PL_PLACE_PLACED; /* no clause: one is inserted */
    uf->x = 30;
    uf->y = 3.4;
    uf->orient = PL_ORIENT_FS;
    char out[256];
    snprintf(out, sizeof out, "%s/moved.def", pl_test_tmpdir());
    cr_assert_eq(pl_def_write(&a, out), PL_OK, "%s", pl_errmsg());
    read_design(&b, TINY_LEF, out);
    /* the netlist read back equals the edited one (positions at DBU resolution) */
    cr_assert_eq(netlist_hash(&a), netlist_hash(&b));
    const pl_node *b2 = &b.nodes[pl_netlist_find_node(&b, "ram2")];
    cr_assert_eq(b2->state, PL_PLACE_FIXED);
    cr_assert_eq(b2->orient, PL_ORIENT_E);
    cr_assert_float_eq(b.nodes[pl_netlist_find_node(&b, "ram\\[0\\]")].x, 12.345, 1e-9);
    cr_assert_eq(b.nodes[pl_netlist_find_node(&b, "u_free")].state, PL_PLACE_PLACED);
    pl_netlist_free(&a);
    pl_netlist_free(&b);
}

Test(def_write, gzip_output_and_atomicity)
{
    pl_netlist a, b;
    read_design(&a, TINY_LEF, TINY_DEF);
    const char *dir = pl_test_tmpdir();
    char out[256];
    snprintf(out, sizeof out, "%s/tiny.def.gz", dir);
    cr_assert_eq(pl_def_write(&a, out), PL_OK, "%s", pl_errmsg());
    FILE *fp = fopen(out, "rb");
    unsigned char magic[2] = {0};
    cr_assert_eq(fread(magic, 1, 2, fp), 2);
    fclose(fp);
    cr_assert(magic[0] == 0x1f && magic[1] == 0x8b, "output is gzipped");
    read_design(&b, TINY_LEF, out);
    cr_assert_eq(netlist_hash(&a), netlist_hash(&b));
    cr_assert_eq(dir_entries(dir), 1, "no temporary file left behind");
    struct stat st;
    mode_t um = umask(022);
    umask(um);
    cr_assert_eq(stat(out, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0666 & ~um, "an ordinary file's permissions, not mkstemp's 0600");
    /* an unwritable destination fails cleanly */
    cr_assert_eq(pl_def_write(&a, "/nonexistent-dir/x.def"), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "/nonexistent-dir/x.def"), "%s", pl_errmsg());
    pl_netlist_free(&a);
    pl_netlist_free(&b);
}

Test(def_write, refuses_when_the_source_changed)
{
    const char *dir = pl_test_tmpdir();
    char src[256], out[256], cmd[600];
    snprintf(src, sizeof src, "%s/src.def", dir);
    snprintf(out, sizeof out, "%s/out.def", dir);
    snprintf(cmd, sizeof cmd, "cp %s %s", TINY_DEF, src);
    cr_assert_eq(system(cmd), 0);
    pl_netlist a;
    read_design(&a, TINY_LEF, src);
    FILE *fp = fopen(src, "a");
    fputs("# edited\n", fp);
    fclose(fp);
    cr_assert_eq(pl_def_write(&a, out), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "changed"), "%s", pl_errmsg());
    cr_assert_not(pl_test_exists(out));
    pl_netlist_free(&a);
}

/* ct_ariane133 has everything placed: write it unchanged (identical bytes), then with macros
 * moved, and check KLayout's instance count and positions against ours. */
Test(def_write, ct_ariane133_round_trip_and_klayout, .timeout = 300)
{
    PL_NEED_SHARED(CT_DEF);
    pl_netlist a, b;
    read_design(&a, pl_test_shared_path(CT_LEF), pl_test_shared_path(CT_DEF));
    const char *dir = pl_test_tmpdir();
    char same[256], moved[256];
    snprintf(same, sizeof same, "%s/same.def", dir);
    snprintf(moved, sizeof moved, "%s/moved.def", dir);
    cr_assert_eq(pl_def_write(&a, same), PL_OK, "%s", pl_errmsg());
    assert_same_bytes(pl_test_shared_path(CT_DEF), same);
    read_design(&b, pl_test_shared_path(CT_LEF), same);
    cr_assert_eq(netlist_hash(&a), netlist_hash(&b));
    pl_netlist_free(&b);

    int moved_n = 0;
    for (int64_t i = 0; i < a.nnodes && moved_n < 8; i++) {
        pl_node *n = &a.nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        n->x = 10.0 + 31.5 * moved_n;
        n->y = 300.0 - 0.0005 * moved_n; /* exactly one DBU apart */
        n->orient = (pl_orient)(moved_n % 8);
        moved_n++;
    }
    cr_assert_eq(pl_def_write(&a, moved), PL_OK, "%s", pl_errmsg());
    read_design(&b, pl_test_shared_path(CT_LEF), moved);
    cr_assert_eq(netlist_hash(&a), netlist_hash(&b));
    pl_netlist_free(&b);

    if (system("command -v klayout >/dev/null 2>&1") != 0) {
        pl_netlist_free(&a);
        cr_skip_test("klayout not installed (make deps)");
    }
    char cmd[2048], kout[256], lef[1024];
    snprintf(kout, sizeof kout, "%s/k.txt", dir);
    if (pl_test_shared()[0] == '/') snprintf(lef, sizeof lef, "%s", pl_test_shared_path(CT_LEF));
    else {
        char cwd[512];
        cr_assert_not_null(getcwd(cwd, sizeof cwd));
        snprintf(lef, sizeof lef, "%s/%s", cwd, pl_test_shared_path(CT_LEF));
    }
    snprintf(cmd, sizeof cmd, "klayout -b -r tests/klayout/read_def.py -rd def=%s -rd lefs=%s -rd out=%s >/dev/null 2>&1",
             moved, lef, kout);
    cr_assert_eq(system(cmd), 0, "klayout failed: %s", cmd);
    FILE *fp = fopen(kout, "r");
    cr_assert_not_null(fp);
    char line[1024];
    long count = -1;
    double kdbu = 0;
    int checked = 0, macros_checked = 0;
    while (fgets(line, sizeof line, fp)) {
        if (sscanf(line, "dbu %lf", &kdbu) == 1) continue;
        if (sscanf(line, "instances %ld", &count) == 1) continue;
        char name[900];
        long kx, ky;
        if (sscanf(line, "%899s %ld %ld", name, &kx, &ky) != 3) continue;
        int32_t i = pl_netlist_find_node(&a, name); /* ct_ariane133 names have no escapes */
        if (i < 0) continue;
        const pl_node *n = &a.nodes[i];
        if (n->kind != PL_NODE_MACRO && (i % 997) != 0) continue; /* macros plus a sample */
        /* KLayout keeps its own database unit (kdbu µm): allow its rounding of odd DEF units */
        cr_assert_gt(kdbu, 0);
        cr_assert_leq(fabs(n->x / kdbu - (double)kx), 0.5 + 1e-9, "%s x: ours %g, KLayout %ld", name, n->x, kx);
        cr_assert_leq(fabs(n->y / kdbu - (double)ky), 0.5 + 1e-9, "%s y: ours %g, KLayout %ld", name, n->y, ky);
        checked++;
        macros_checked += n->kind == PL_NODE_MACRO;
    }
    fclose(fp);
    pl_netlist_stats st;
    pl_netlist_stats_compute(&a, &st);
    cr_assert_eq(count, st.components, "KLayout sees %ld instances, we have %lld", count, (long long)st.components);
    cr_assert_eq(macros_checked, 133);
    cr_assert_gt(checked, 200);
    pl_netlist_free(&a);
}
