/* test_cmd_bookshelf.c: the commands on Bookshelf designs (.aux), end to end. ibm01 (../shared): `info`
 * counts; `place --effort fast` writes a .pl whose macros, read back by this file's own small reader, lie in
 * the rows' area, overlap neither each other nor a fixed node, and are the only lines that changed; its
 * macro HPWL is what `eval --placement` of that .pl reports. A small generated design: place, eval and
 * render take it without ../shared; bad inputs (truncated file, wrong count, unknown node, binary junk)
 * give one error line naming file:line, exit 1 and no output file. */
#include <math.h>

#include "tests/testutil.h"

#define IBM01 "designs/bookshelf_ibm01_ms/ibm01.aux"

/* ---- a small reader of our own: nodes, rows, a .pl ---- */

enum { MAXN = 20000 };

typedef struct bk_design {
    int n;
    char name[MAXN][64];
    double w[MAXN], h[MAXN], x[MAXN], y[MAXN];
    int terminal[MAXN], fixed[MAXN];
    double row_h, rx0, ry0, rx1, ry1; /* smallest row height, the rows' bounding box */
} bk_design;

static int find(const bk_design *d, const char *name)
{
    for (int i = 0; i < d->n; i++)
        if (!strcmp(d->name[i], name)) return i;
    return -1;
}

static void read_nodes(bk_design *d, const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[512], a[64], kw[64];
    double w, h;
    d->n = 0;
    while (fgets(line, sizeof line, f)) {
        kw[0] = 0;
        if (sscanf(line, "%63s %lf %lf %63s", a, &w, &h, kw) < 3 || a[0] == '#') continue;
        cr_assert_lt(d->n, MAXN);
        snprintf(d->name[d->n], sizeof d->name[0], "%s", a);
        d->w[d->n] = w, d->h[d->n] = h, d->terminal[d->n] = !strncmp(kw, "terminal", 8);
        d->fixed[d->n] = d->terminal[d->n];
        d->n++;
    }
    fclose(f);
}

static void read_scl(bk_design *d, const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[512];
    double y = 0, h = 0, sw = 1, ox;
    long ns;
    int first = 1;
    d->row_h = INFINITY;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, " Coordinate : %lf", &y) == 1) continue;
        if (sscanf(line, " Height : %lf", &h) == 1) continue;
        if (sscanf(line, " Sitewidth : %lf", &sw) == 1) continue;
        if (sscanf(line, " SubrowOrigin : %lf Numsites : %ld", &ox, &ns) == 2 ||
            sscanf(line, " SubrowOrigin : %lf NumSites : %ld", &ox, &ns) == 2) {
            double x1 = ox + (double)ns * sw;
            if (first) d->rx0 = ox, d->ry0 = y, d->rx1 = x1, d->ry1 = y + h, first = 0;
            d->rx0 = fmin(d->rx0, ox), d->ry0 = fmin(d->ry0, y), d->rx1 = fmax(d->rx1, x1), d->ry1 = fmax(d->ry1, y + h);
            d->row_h = fmin(d->row_h, h);
        }
    }
    fclose(f);
    cr_assert(!first, "%s: no rows", path);
}

/* Positions from a .pl; returns how many lines name a node. */
static int read_pl(bk_design *d, const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[512], a[64];
    double x, y;
    int k = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%63s %lf %lf", a, &x, &y) != 3) continue;
        int i = find(d, a);
        if (i < 0) continue;
        d->x[i] = x, d->y[i] = y, d->fixed[i] |= strstr(line, "/FIXED") != NULL;
        k++;
    }
    fclose(f);
    return k;
}

static int is_macro(const bk_design *d, int i) { return !d->terminal[i] && d->h[i] > d->row_h; }

static int overlap(const bk_design *d, int i, int j)
{
    return fmin(d->x[i] + d->w[i], d->x[j] + d->w[j]) > fmax(d->x[i], d->x[j]) &&
           fmin(d->y[i] + d->h[i], d->y[j] + d->h[j]) > fmax(d->y[i], d->y[j]);
}

/* The macros' legality in the .pl: in the rows' area, no overlap with another macro or a fixed node of
 * some area. Returns the number of macros. */
static int check_legal(bk_design *d)
{
    int macros = 0;
    for (int i = 0; i < d->n; i++) {
        if (!is_macro(d, i)) continue;
        macros++;
        cr_assert(d->x[i] >= d->rx0 && d->y[i] >= d->ry0 && d->x[i] + d->w[i] <= d->rx1 && d->y[i] + d->h[i] <= d->ry1,
                  "macro %s at (%g, %g) %gx%g leaves the rows' area", d->name[i], d->x[i], d->y[i], d->w[i], d->h[i]);
        for (int j = 0; j < d->n; j++) {
            if (j == i || !(is_macro(d, j) || (d->fixed[j] && d->w[j] * d->h[j] > 1))) continue;
            cr_assert(!overlap(d, i, j), "macro %s overlaps %s", d->name[i], d->name[j]);
        }
    }
    return macros;
}

static char *lines_of(const char *path, int *n)
{
    char *t = pl_test_slurp(path, NULL);
    *n = 0;
    for (char *p = t; *p; p++)
        if (*p == '\n') (*n)++;
    return t;
}

/* The value of the last "key": in text (a report's top-level keys follow its per-stage ones). */
static double json_number(const char *text, const char *key)
{
    char k[128];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *p = NULL;
    for (const char *q = strstr(text, k); q; q = strstr(q + 1, k)) p = q;
    cr_assert_not_null(p, "no %s in %s", key, text);
    return strtod(p + strlen(k), NULL);
}

/* ---- ibm01 ---- */

Test(cmd_bookshelf, ibm01_info_counts_match_the_headers)
{
    PL_NEED_SHARED(IBM01);
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, "%s info %s --json", pl_test_placer(), pl_test_shared_path(IBM01));
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert_eq(json_number(out, "macros"), 246, "%s", out);
    cr_assert_eq(json_number(out, "nets"), 14111, "NumNets");
    cr_assert_eq(json_number(out, "net_pins"), 50566, "NumPins");
    cr_assert_eq(json_number(out, "rows"), 144, "Numrows");
    cr_assert_eq(json_number(out, "io_pins"), 246, "the 246 terminals are pads");
    cr_assert_eq(json_number(out, "std_cells"), 12260);
    cr_assert(strstr(out, "\"format\": \"bookshelf\""), "%s", out);
    free(out), free(err);
}

Test(cmd_bookshelf, ibm01_place_fast_writes_a_legal_pl_and_macro_hpwl, .timeout = 300)
{
    PL_NEED_SHARED(IBM01);
    const char *dir = pl_test_tmpdir();
    char cmd[4096], *out, *err, pl[512], report[512];
    snprintf(pl, sizeof pl, "%s/out.pl", dir);
    snprintf(report, sizeof report, "%s/r.json", dir);
    snprintf(cmd, sizeof cmd, "%s place %s --effort fast --time-limit 10 --policy none --threads 2 -o %s --report %s",
             pl_test_placer(), pl_test_shared_path(IBM01), pl, report);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    free(out), free(err);

    static bk_design d;
    read_nodes(&d, pl_test_shared_path("designs/bookshelf_ibm01_ms/ibm01.nodes"));
    read_scl(&d, pl_test_shared_path("designs/bookshelf_ibm01_ms/ibm01.scl"));
    cr_assert_eq(read_pl(&d, pl), 12752, "every node keeps its line");
    cr_assert_eq(check_legal(&d), 246);

    /* only macro lines changed, line for line */
    int na, nb;
    char *a = lines_of(pl_test_shared_path("designs/bookshelf_ibm01_ms/ibm01.pl"), &na), *b = lines_of(pl, &nb);
    cr_assert_eq(na, nb, "same number of lines");
    char *sa, *sb, *la = strtok_r(a, "\n", &sa), *lb = strtok_r(b, "\n", &sb);
    int changed = 0;
    for (; la && lb; la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb)) {
        if (!strcmp(la, lb)) continue;
        char nm[64];
        cr_assert_eq(sscanf(lb, "%63s", nm), 1);
        int i = find(&d, nm);
        cr_assert(i >= 0 && is_macro(&d, i), "a non-macro line changed: %s", lb);
        cr_assert_null(strstr(lb, "/FIXED"), "no /FIXED without --pl-fixed: %s", lb);
        changed++;
    }
    cr_assert_gt(changed, 200, "the macros moved (%d lines)", changed);
    free(a), free(b);

    /* the report's macro HPWL is eval's of the written .pl */
    char *rep = pl_test_slurp(report, NULL);
    double placed = json_number(rep, "macro_hpwl");
    cr_assert_gt(placed, 1e4, "%g", placed);
    free(rep);
    snprintf(cmd, sizeof cmd, "%s eval %s --placement %s --json", pl_test_placer(), pl_test_shared_path(IBM01), pl);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert_float_eq(json_number(out, "macro_hpwl"), placed, 1e-6 * placed, "%s", out);
    free(out), free(err);
}

/* ---- a small generated design ---- */

/* Row height 10, 30 rows of 300 sites: 6 macros (m0..m5, 40x30), 60 cells (c0..c59, 2x10), 4 pads, one fixed
 * block f0 (50x50) in the middle. Nets: a chain through the cells, each macro tied to three cells and to
 * the next macro, each pad to a cell. */
static const char *write_small(const char *dir)
{
    char p[512];
    FILE *f;
    snprintf(p, sizeof p, "%s/small.aux", dir);
    f = fopen(p, "w");
    fprintf(f, "RowBasedPlacement : small.nodes small.nets small.wts small.pl small.scl\n");
    fclose(f);
    snprintf(p, sizeof p, "%s/small.nodes", dir);
    f = fopen(p, "w");
    fprintf(f, "UCLA nodes 1.0\n\nNumNodes : %d\nNumTerminals : 5\n", 6 + 60 + 4 + 1);
    for (int i = 0; i < 6; i++) fprintf(f, "  m%d 40 30\n", i);
    for (int i = 0; i < 60; i++) fprintf(f, "  c%d 2 10\n", i);
    for (int i = 0; i < 4; i++) fprintf(f, "  p%d 1 1 terminal\n", i);
    fprintf(f, "  f0 50 50 terminal\n");
    fclose(f);
    int nets = 59 + 6 * 3 + 5 + 4, pins = 2 * nets;
    snprintf(p, sizeof p, "%s/small.nets", dir);
    f = fopen(p, "w");
    fprintf(f, "UCLA nets 1.0\n\nNumNets : %d\nNumPins : %d\n", nets, pins);
    for (int i = 0; i < 59; i++) fprintf(f, "NetDegree : 2 chain%d\n  c%d O\n  c%d I\n", i, i, i + 1);
    for (int m = 0; m < 6; m++)
        for (int k = 0; k < 3; k++) fprintf(f, "NetDegree : 2 mc%d_%d\n  m%d O : 10 5\n  c%d I\n", m, k, m, m * 10 + k);
    for (int m = 0; m < 5; m++) fprintf(f, "NetDegree : 2 mm%d\n  m%d O : -15 0\n  m%d I : 15 0\n", m, m, m + 1);
    for (int i = 0; i < 4; i++) fprintf(f, "NetDegree : 2 io%d\n  p%d I\n  c%d O\n", i, i, i * 15);
    fclose(f);
    snprintf(p, sizeof p, "%s/small.wts", dir);
    f = fopen(p, "w");
    fprintf(f, "UCLA wts 1.0\n\n");
    fclose(f);
    snprintf(p, sizeof p, "%s/small.pl", dir);
    f = fopen(p, "w");
    fprintf(f, "UCLA pl 1.0\n\n");
    for (int i = 0; i < 6; i++) fprintf(f, "m%d 0 0 : N\n", i);
    for (int i = 0; i < 60; i++) fprintf(f, "c%d 0 0 : N\n", i);
    static const int pad[4][2] = {{-5, 150}, {305, 150}, {150, -5}, {150, 305}};
    for (int i = 0; i < 4; i++) fprintf(f, "p%d %d %d : N /FIXED\n", i, pad[i][0], pad[i][1]);
    fprintf(f, "f0 120 120 : N /FIXED\n");
    fclose(f);
    snprintf(p, sizeof p, "%s/small.scl", dir);
    f = fopen(p, "w");
    fprintf(f, "UCLA scl 1.0\n\nNumRows : 30\n\n");
    for (int r = 0; r < 30; r++)
        fprintf(f, "CoreRow Horizontal\n Coordinate : %d\n Height : 10\n Sitewidth : 1\n Sitespacing : 1\n"
                   " Siteorient : N\n Sitesymmetry : Y\n SubrowOrigin : 0 Numsites : 300\nEnd\n", r * 10);
    fclose(f);
    static char aux[8][512];
    static int k;
    char *a = aux[k++ & 7];
    snprintf(a, sizeof aux[0], "%s/small.aux", dir);
    return a;
}

Test(cmd_bookshelf, small_design_places_legally_and_evals_and_renders, .timeout = 120)
{
    const char *dir = pl_test_tmpdir();
    const char *aux = write_small(dir);
    char cmd[4096], *out, *err, pl[512];
    snprintf(pl, sizeof pl, "%s/small_placed.pl", dir);
    snprintf(cmd, sizeof cmd, "%s place %s --effort fast --time-limit 0 --policy none --json -o %s", pl_test_placer(),
             aux, pl);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "\"format\": \"bookshelf\""), "%s", out);
    double hpwl = json_number(out, "macro_hpwl");
    free(out), free(err);

    static bk_design d;
    char p[512];
    snprintf(p, sizeof p, "%s/small.nodes", dir);
    read_nodes(&d, p);
    snprintf(p, sizeof p, "%s/small.scl", dir);
    read_scl(&d, p);
    cr_assert_eq(read_pl(&d, pl), 71);
    cr_assert_eq(check_legal(&d), 6, "the fixed block f0 is avoided too");

    snprintf(cmd, sizeof cmd, "%s eval %s --placement %s --json", pl_test_placer(), aux, pl);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert_float_eq(json_number(out, "macro_hpwl"), hpwl, 1e-9 * hpwl + 1e-9, "%s", out);
    cr_assert_eq(json_number(out, "macro_hpwl_nets"), 5, "the five macro-macro nets");
    free(out), free(err);

    snprintf(cmd, sizeof cmd, "%s render %s --placement %s -o %s/small.svg", pl_test_placer(), aux, pl, dir);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert(rc == 0 || strstr(err, "Cairo"), "%s", err);
    free(out), free(err);

    /* --pl-fixed: /FIXED on the macros' lines; the input .pl is never an output */
    snprintf(cmd, sizeof cmd, "%s place %s --effort fast --time-limit 0 --policy none --rollouts 2 --chains 0 --pl-fixed "
             "-o %s/fixed.pl", pl_test_placer(), aux, dir);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    free(out), free(err);
    snprintf(p, sizeof p, "%s/fixed.pl", dir);
    char *t = pl_test_slurp(p, NULL);
    int fixed = 0;
    for (const char *q = strstr(t, "/FIXED"); q; q = strstr(q + 1, "/FIXED")) fixed++;
    cr_assert_eq(fixed, 6 + 5, "the 6 macros and the 5 fixed nodes: %s", t);
    free(t);
    size_t before, after;
    snprintf(p, sizeof p, "%s/small.pl", dir);
    free(pl_test_slurp(p, &before));
    snprintf(cmd, sizeof cmd, "%s place %s --effort fast -o %s", pl_test_placer(), aux, p);
    rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 2, "writing over the design's .pl is refused: %s", err);
    cr_assert(strstr(err, "small.pl"), "%s", err);
    free(out), free(err);
    free(pl_test_slurp(p, &after));
    cr_assert_eq(before, after, "the input .pl is untouched");
}

/* Writes the small design with one file replaced by `text` (len bytes), runs place and info on it, and
 * checks each gives one error line naming `where`, exit 1 and no output. */
static void expect_bad(const char *file, const char *text, size_t len, const char *where)
{
    const char *dir = pl_test_tmpdir();
    const char *aux = write_small(dir);
    char p[512], cmd[2048], *out, *err;
    snprintf(p, sizeof p, "%s/%s", dir, file);
    FILE *f = fopen(p, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    static const char *const cmds[] = {"place", "info", "eval"};
    for (int c = 0; c < 3; c++) {
        snprintf(cmd, sizeof cmd, "%s %s %s%s%s", pl_test_placer(), cmds[c], aux, c == 0 ? " -o " : "",
                 c == 0 ? dir : "");
        if (c == 0) strcat(cmd, "/out.pl");
        int rc = pl_test_run(cmd, &out, &err);
        cr_assert_eq(rc, 1, "%s: exit %d: %s", cmds[c], rc, err);
        cr_assert_eq(pl_test_count_lines(err), 1, "%s: one line: %s", cmds[c], err);
        cr_assert(strstr(err, where), "%s: the error names %s: %s", cmds[c], where, err);
        free(out), free(err);
    }
    snprintf(p, sizeof p, "%s/out.pl", dir);
    cr_assert(!pl_test_exists(p), "no output file");
}

Test(cmd_bookshelf, bad_inputs_give_one_line_exit_1_and_no_output)
{
    const char *trunc = "UCLA nets 1.0\nNumNets : 91\nNumPins : 182\nNetDegree : 2 chain0\n  c0 O\n";
    expect_bad("small.nets", trunc, strlen(trunc), "small.nets:");
    const char *count = "UCLA nodes 1.0\nNumNodes : 3\nNumTerminals : 0\n  m0 40 30\n  c0 2 10\n";
    expect_bad("small.nodes", count, strlen(count), "small.nodes:");
    const char *unknown = "UCLA nets 1.0\nNumNets : 1\nNumPins : 2\nNetDegree : 2 x\n  c0 O\n  nobody I\n";
    expect_bad("small.nets", unknown, strlen(unknown), "small.nets:6");
    const char junk[] = "UCLA pl 1.0\n\x01\x02\0\xff\xfe binary";
    expect_bad("small.pl", junk, sizeof junk - 1, "small.pl:");
}
