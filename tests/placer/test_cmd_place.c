/* test_cmd_place.c: `placer place` and `placer DESIGN.def`: the written DEF is legal and equals what the
 * report says (`placer eval` of it gives the report's last proxy cost), the report has its keys, runs
 * are reproducible for a seed, KLayout reads the output, and bad input fails with one clear line and
 * no output file; --place-cells places every standard cell, and its HPWL agrees with an independent
 * reader (tests/tools/def_hpwl.py). Budgets are tiny (no time limit) so each run takes about a second. */
#include <math.h>

#include "parsers/def.h"
#include "core/json.h"
#include "core/log.h"
#include "gplace/gplace.h"
#include "search/legalize.h"
#include "tests/testutil.h"

#define QUICK "--effort fast --time-limit 0 --rollouts 8 --keep 2 --chains 2 --rounds 2 --moves-per-macro 400"
#define SMALL_LEFS "--lef designs/small/small.tlef --lef designs/small/small_cells.lef --lef designs/small/small_macros.lef"

/* The number after the last occurrence of "key": in s. */
static double json_last_num(const char *s, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = NULL, *q = s;
    while ((q = strstr(q, pat))) p = q, q++;
    cr_assert_not_null(p, "no key %s", key);
    return strtod(p + strlen(pat), NULL);
}

Test(place_cli, small_report_eval_and_legal_output, .timeout = 120)
{
    const char *dir = pl_test_tmpdir();
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, "%s designs/small/small.def -o %s/out.def --report %s/r.json --policy none " QUICK,
             pl_test_placer(), dir, dir);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s\n%s", cmd, err);
    cr_assert(strstr(out, "legalize"), "%s", out);
    free(out);
    free(err);
    char path[512];
    snprintf(path, sizeof path, "%s/r.json", dir);
    char *rep = pl_test_slurp(path, NULL);
    cr_assert_not_null(rep);
    const char *keys[] = {"\"design\"", "\"seed\": 1", "\"effort\": \"fast\"", "\"policy\": \"none\"",
                          "\"prior\": \"wiremask\"", "\"grid\"", "\"cols\"", "\"stages\"", "\"name\": \"start\"",
                          "\"name\": \"search\"", "\"name\": \"refine\"", "\"name\": \"legalize\"", "\"macro_hpwl\"",
                          "\"wirelength_cost\"", "\"density_cost\"", "\"congestion_cost\"", "\"seconds\"",
                          "\"deterministic\": true", "\"violations\": 0", "\"output\""};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) cr_assert(strstr(rep, keys[i]), "report lacks %s", keys[i]);
    double proxy = json_last_num(rep, "proxy_cost");
    cr_assert(proxy > 0 && isfinite(proxy));

    /* `placer eval` of the written DEF, same seed: the report's number */
    snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def " SMALL_LEFS " --placement %s/out.def --json",
             pl_test_placer(), dir);
    rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s", err);
    double ev = json_last_num(out, "proxy_cost");
    cr_assert_float_eq(ev, proxy, 1e-8, "eval %.9f, report %.9f", ev, proxy);
    free(out);
    free(err);
    free(rep);

    /* the output read back: macros FIXED and legal */
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist nl;
    pl_netlist_init(&nl);
    snprintf(path, sizeof path, "%s/out.def", dir);
    const char *lefs[3] = {"designs/small/small.tlef", "designs/small/small_cells.lef", "designs/small/small_macros.lef"};
    cr_assert_eq(pl_design_read(&nl, path, lefs, 3), PL_OK, "%s", pl_errmsg());
    char msg[256] = "";
    cr_assert_eq(pl_legalize_check(&nl, NULL, msg, sizeof msg), 0, "%s", msg);
    int macros = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        if (nl.nodes[i].kind != PL_NODE_MACRO) continue;
        cr_assert_eq(nl.nodes[i].state, PL_PLACE_FIXED, "%s", nl.nodes[i].name);
        macros++;
    }
    cr_assert_eq(macros, 4);
    pl_netlist_free(&nl);
}

Test(place_cli, same_seed_same_bytes_whatever_the_threads, .timeout = 120)
{
    const char *dir = pl_test_tmpdir();
    char cmd[2048], a[512], b[512];
    snprintf(a, sizeof a, "%s/a.def", dir);
    snprintf(b, sizeof b, "%s/b.def", dir);
    snprintf(cmd, sizeof cmd, "%s place designs/small/small.def -o %s --seed 3 --threads 1 " QUICK, pl_test_placer(), a);
    cr_assert_eq(pl_test_run(cmd, NULL, NULL), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s -q designs/small/small.def -o %s --seed 3 --threads 2 " QUICK, pl_test_placer(), b);
    cr_assert_eq(pl_test_run(cmd, NULL, NULL), 0, "%s", cmd);
    char *x = pl_test_slurp(a, NULL), *y = pl_test_slurp(b, NULL);
    cr_assert(x && y);
    cr_assert_str_eq(x, y, "same seed and budgets, different output");
    free(x);
    free(y);
}

Test(place_cli, klayout_reads_the_demo_output, .timeout = 180)
{
    const char *dir = pl_test_tmpdir();
    char cmd[8192], out_def[512], *err;
    snprintf(out_def, sizeof out_def, "%s/demo.def", dir);
    snprintf(cmd, sizeof cmd, "%s designs/demo/demo.def -o %s --json " QUICK, pl_test_placer(), out_def);
    char *out;
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "\"stages\""), "--json prints the report");
    free(out);
    free(err);
    if (system("command -v klayout >/dev/null 2>&1") != 0) cr_skip_test("klayout not installed (make deps)");
    char cwd[1024], lefs[4096], kout[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(lefs, sizeof lefs, "%s/designs/demo/demo.tlef,%s/designs/demo/demo_cells.lef,%s/designs/demo/demo_macros.lef",
             cwd, cwd, cwd);
    snprintf(kout, sizeof kout, "%s/k.txt", dir);
    snprintf(cmd, sizeof cmd, "klayout -b -r tests/klayout/read_def.py -rd def=%s -rd lefs=%s -rd out=%s >/dev/null 2>&1",
             out_def, lefs, kout);
    cr_assert_eq(system(cmd), 0, "klayout failed: %s", cmd);
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist nl;
    pl_netlist_init(&nl);
    const char *lp[3] = {"designs/demo/demo.tlef", "designs/demo/demo_cells.lef", "designs/demo/demo_macros.lef"};
    cr_assert_eq(pl_design_read(&nl, out_def, lp, 3), PL_OK, "%s", pl_errmsg());
    FILE *fp = fopen(kout, "r");
    cr_assert_not_null(fp);
    char line[1024], name[900];
    double kdbu = 0;
    long kx, ky;
    int macros = 0;
    while (fgets(line, sizeof line, fp)) {
        if (sscanf(line, "dbu %lf", &kdbu) == 1) continue;
        if (sscanf(line, "%899s %ld %ld", name, &kx, &ky) != 3) continue;
        int32_t i = pl_netlist_find_node(&nl, name);
        if (i < 0 || nl.nodes[i].kind != PL_NODE_MACRO) continue;
        cr_assert_gt(kdbu, 0);
        cr_assert_leq(fabs(nl.nodes[i].x / kdbu - (double)kx), 0.5, "%s x", name);
        cr_assert_leq(fabs(nl.nodes[i].y / kdbu - (double)ky), 0.5, "%s y", name);
        macros++;
    }
    fclose(fp);
    cr_assert_eq(macros, 16, "KLayout placed %d of the 16 macros", macros);
    pl_netlist_free(&nl);
}

#define DEMO_LEFS "designs/demo/demo.tlef designs/demo/demo_cells.lef designs/demo/demo_macros.lef"
#define DEF_HPWL "python3 tests/tools/def_hpwl.py"

static int have_python3(void)
{
    return system("command -v python3 >/dev/null 2>&1") == 0;
}

/* tests/tools/def_hpwl.py's total HPWL (µm) of a placed DEF; args = the DEF, then its LEFs. */
static double independent_hpwl(const char *args)
{
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd, DEF_HPWL " %s", args);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s", cmd, rc, err);
    char *end;
    double v = strtod(out, &end);
    cr_assert(end != out && isfinite(v), "%s printed '%s'", cmd, out);
    free(out);
    free(err);
    return v;
}

/* Every component of a DEF text is PLACED or FIXED; returns how many, *fixed the FIXED ones. */
static int components_all_placed(const char *def, int *fixed)
{
    const char *p = strstr(def, "\nCOMPONENTS "), *end = strstr(def, "\nEND COMPONENTS");
    cr_assert(p && end && p < end, "no COMPONENTS section");
    p = strchr(p + 1, '\n');
    int n = 0;
    *fixed = 0;
    while (p && (p = strstr(p, "\n- ")) && p < end) {
        const char *semi = strchr(p, ';');
        cr_assert(semi && semi < end);
        int len = (int)(semi - p);
        char *stmt = strndup(p + 1, (size_t)len);
        cr_assert_not(strstr(stmt, "UNPLACED"), "left unplaced: %s", stmt);
        int placed = strstr(stmt, "+ PLACED ( ") != NULL, fx = strstr(stmt, "+ FIXED ( ") != NULL;
        cr_assert(placed || fx, "no placement: %s", stmt);
        *fixed += fx;
        free(stmt);
        n++;
        p = semi;
    }
    return n;
}

/* --place-cells: every standard cell placed and legal, the macros FIXED, the same bytes twice, and the
 * report's full HPWL equal to an independent reader's HPWL of the written DEF (tests/tools/def_hpwl.py:
 * its own LEF/DEF reading, pin offsets and orientation transforms) within 1e-6 relative. The report
 * rounds to 1e-3 µm, about 2e-8 of the demo's HPWL. */
Test(place_cli, place_cells_every_cell_placed_and_hpwl_checked, .timeout = 240)
{
    const char *dir = pl_test_tmpdir();
    char cmd[4096], path[2][512], rep_path[512], *out, *err;
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s/X%d.def", dir, k);
        snprintf(rep_path, sizeof rep_path, "%s/X%d.json", dir, k);
        snprintf(cmd, sizeof cmd, "%s place designs/demo/demo.def --policy none --effort fast --time-limit 0 "
                 "--rollouts 4 --chains 0 --place-cells -o %s --report %s", pl_test_placer(), path[k], rep_path);
        int rc = pl_test_run(cmd, &out, &err);
        cr_assert_eq(rc, 0, "%s\n%s", cmd, err);
        if (k == 0) cr_assert(strstr(out, "full hpwl"), "the text summary has the full HPWL:\n%s", out);
        free(out);
        free(err);
    }
    char *a = pl_test_slurp(path[0], NULL), *b = pl_test_slurp(path[1], NULL);
    cr_assert_str_eq(a, b, "--place-cells: same command, different DEF");
    free(b);
    int fixed, n = components_all_placed(a, &fixed);
    cr_assert_eq(n, 3016, "components: %d", n);
    cr_assert_eq(fixed, 16, "FIXED components (the macros): %d", fixed);
    free(a);

    json_object *rep = json_object_from_file(rep_path), *full, *v, *legal;
    cr_assert_not_null(rep, "cannot read %s", rep_path);
    cr_assert(json_object_object_get_ex(rep, "full", &full), "the report has no \"full\" object");
    const char *keys[] = {"cells", "hpwl_um", "hpwl_dbu", "global_hpwl_um", "legal", "route"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert(json_object_object_get_ex(full, keys[i], NULL), "full lacks %s", keys[i]);
    json_object_object_get_ex(full, "cells", &v);
    cr_assert_eq(json_object_get_int(v), 3000);
    json_object_object_get_ex(full, "legal", &legal);
    cr_assert(json_object_object_get_ex(legal, "violations", &v));
    cr_assert_eq(json_object_get_int(v), 0);
    json_object_object_get_ex(full, "hpwl_um", &v);
    double hpwl = json_object_get_double(v);
    json_object_put(rep);
    cr_assert(hpwl > 0);

    if (!have_python3()) cr_skip_test("python3 not installed: the independent HPWL check is skipped");
    char args[1024];
    snprintf(args, sizeof args, "%s " DEMO_LEFS, path[1]);
    double ind = independent_hpwl(args);
    cr_assert_leq(fabs(ind - hpwl), 1e-6 * ind, "report full.hpwl_um %.6f, def_hpwl.py %.6f", hpwl, ind);
}

/* The independent reader against ours on the hand-written tiny design (every orientation, a MACRO
 * ORIGIN, several port shapes and a POLYGON, rotated IO pin shapes, WEIGHT, routing in NETS): the
 * same total HPWL as pl_gplace_hpwl of pl_design_read. tiny.def leaves u_free, on net n2, unplaced:
 * the script refuses that; given a place, both agree. */
Test(place_cli, def_hpwl_tool_agrees_with_the_reader_on_every_orientation)
{
    if (!have_python3()) cr_skip_test("python3 not installed");
    const char *dir = pl_test_tmpdir();
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, DEF_HPWL " tests/data/tiny/tiny.def tests/data/tiny/tiny.lef");
    cr_assert_eq(pl_test_run(cmd, &out, &err), 1, "an unplaced component on a net: exit 1");
    cr_assert(strstr(err, "u_free") && strstr(err, "UNPLACED"), "%s", err);
    free(out);
    free(err);

    char *src = pl_test_slurp("tests/data/tiny/tiny.def", NULL);
    const char *at = "- u_free INV + ";
    char *hit = strstr(src, at);
    cr_assert_not_null(hit);
    char def[512];
    snprintf(def, sizeof def, "%s/tiny.def", dir);
    FILE *fp = fopen(def, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "%.*s%sPLACED ( 11000 3400 ) FS + %s", (int)(hit - src), src, at, hit + strlen(at));
    fclose(fp);
    free(src);

    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist nl;
    pl_netlist_init(&nl);
    const char *lefs[1] = {"tests/data/tiny/tiny.lef"};
    cr_assert_eq(pl_design_read(&nl, def, lefs, 1), PL_OK, "%s", pl_errmsg());
    double ours = pl_gplace_hpwl(&nl);
    pl_netlist_free(&nl);
    char args[1024];
    snprintf(args, sizeof args, "%s tests/data/tiny/tiny.lef", def);
    double ind = independent_hpwl(args);
    cr_assert(ind > 0);
    cr_assert_leq(fabs(ind - ours), 1e-9 * ind, "pl_gplace_hpwl %.9f, def_hpwl.py %.9f", ours, ind);
}

/* One clear line on stderr, a non-zero exit, no output file. */
static void expect_failure(const char *args, const char *needle, int want_rc)
{
    const char *dir = pl_test_tmpdir();
    char cmd[2048], outp[512], *out, *err;
    snprintf(outp, sizeof outp, "%s/o.def", dir);
    snprintf(cmd, sizeof cmd, "%s %s -o %s", pl_test_placer(), args, outp);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_neq(rc, 0, "%s succeeded", cmd);
    if (want_rc) cr_assert_eq(rc, want_rc, "%s: exit %d", cmd, rc);
    cr_assert(strstr(err, needle), "%s: stderr lacks '%s':\n%s", cmd, needle, err);
    cr_assert(strstr(err, "placer: error: "), "%s", err);
    cr_assert_not(pl_test_exists(outp), "%s wrote an output", cmd);
    free(out);
    free(err);
}

Test(place_cli, bad_input_fails_clearly)
{
    expect_failure("place /nonexistent/x.def", "/nonexistent/x.def", 0);
    expect_failure("place designs/small/small.def --effort turbo", "turbo", 2);
    expect_failure("place designs/small/small.def --policy model.ckpt", "checkpoint model.ckpt: cannot open", 0);
    expect_failure("place designs/small/small.def --bogus", "unknown option '--bogus'", 2);
    expect_failure("place designs/small/small.def --seed -3", "--seed", 2);
    expect_failure("place designs/small/small.def --time-limit soon", "--time-limit", 2);
    expect_failure("place designs/small/small.def --device tpu", "--device", 2);
    expect_failure("place designs/small/small.def --threads 0", "--threads", 2);
    expect_failure("place designs/small/small.def --grid 3", "--grid", 2);
    expect_failure("place designs/small/small.tlef", "DEF", 2);
    expect_failure("place", "no DESIGN", 2);
    expect_failure("place designs/small/small.def designs/demo/demo.def", "one DESIGN", 2);
}

Test(place_cli, help_and_listing)
{
    char cmd[512], *out, *err;
    snprintf(cmd, sizeof cmd, "%s place --help", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0);
    cr_assert(strstr(out, "--policy"));
    cr_assert(strstr(out, "uniform"));
    cr_assert(strstr(out, "--time-limit"));
    cr_assert(strstr(out, "--place-cells"));
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "%s --help", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0);
    cr_assert(strstr(out, "place "));
    free(out);
    free(err);
}
