/* test_cmd_info.c: `placer info` end to end, and bad input: each case gives exactly one line on
 * stderr that names the file and line, a non-zero exit, and no crash. */
#include "tests/testutil.h"

#define TINY_LEF "tests/data/tiny/tiny.lef"

static const char *BASE_DEF =
    "VERSION 5.8 ;\n"                                   /* 1 */
    "DESIGN t ;\n"                                      /* 2 */
    "UNITS DISTANCE MICRONS 1000 ;\n"                   /* 3 */
    "DIEAREA ( 0 0 ) ( 100000 80000 ) ;\n"              /* 4 */
    "COMPONENTS 2 ;\n"                                  /* 5 */
    "- a INV + PLACED ( 2000 2000 ) N ;\n"              /* 6 */
    "- b RAM + UNPLACED ;\n"                            /* 7 */
    "END COMPONENTS\n"                                  /* 8 */
    "NETS 1 ;\n"                                        /* 9 */
    "- n ( a Z ) ( b D[0] ) ;\n"                        /* 10 */
    "END NETS\n"                                        /* 11 */
    "END DESIGN\n";                                     /* 12 */

static const char *write_def(const char *name, const char *text, size_t len)
{
    static char path[8][256];
    static int k;
    char *p = path[k++ & 7];
    snprintf(p, sizeof path[0], "%s/%s", pl_test_tmpdir(), name);
    FILE *fp = fopen(p, "wb");
    cr_assert_not_null(fp);
    fwrite(text, 1, len, fp);
    fclose(fp);
    return p;
}

static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    cr_assert_not_null(at, "fixture lacks '%s'", from);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *r = malloc(n + 1);
    size_t pre = (size_t)(at - s);
    memcpy(r, s, pre);
    strcpy(r + pre, to);
    strcat(r, at + strlen(from));
    return r;
}

/* Runs `placer info DEF --lef tiny.lef` and checks the one-line error. */
static void expect_error(const char *def, const char *where, const char *words)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s info %s --lef %s", pl_test_placer(), def, TINY_LEF);
    char *out, *err;
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_neq(rc, 0, "exit code for %s", def);
    cr_assert_lt(rc, 128, "no crash (rc %d): %s", rc, err);
    cr_assert_eq(pl_test_count_lines(err), 1, "exactly one line on stderr, got: %s", err);
    cr_assert(strstr(err, where), "error names '%s': %s", where, err);
    if (words) cr_assert(strstr(err, words), "error mentions '%s': %s", words, err);
    cr_assert_eq(out[0], '\0', "nothing on stdout: %s", out);
    free(out);
    free(err);
}

Test(cmd_info, base_fixture_reads)
{
    const char *def = write_def("ok.def", BASE_DEF, strlen(BASE_DEF));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s info %s --lef %s --json", pl_test_placer(), def, TINY_LEF);
    char *out, *err;
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "\"components\": 2,"), "%s", out);
    cr_assert(strstr(out, "\"net_pins\": 2,"), "%s", out);
    cr_assert(strstr(out, "\"design\": \"t\""), "%s", out);
    free(out);
    free(err);
}

Test(cmd_info, lefs_found_beside_the_def)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s info tests/data/tiny/tiny.def --json", pl_test_placer());
    char *out, *err;
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "\"macros\": 3,"), "%s", out);
    free(out);
    free(err);
}

Test(cmd_info, truncated_file)
{
    size_t cut = (size_t)(strstr(BASE_DEF, "END NETS") - BASE_DEF);
    const char *def = write_def("trunc.def", BASE_DEF, cut);
    expect_error(def, "trunc.def:", "end of file");
}

Test(cmd_info, truncated_gzip)
{
    const char *def = write_def("whole.def", BASE_DEF, strlen(BASE_DEF));
    char cmd[1024], gz[300];
    snprintf(gz, sizeof gz, "%s.gz", def);
    snprintf(cmd, sizeof cmd, "gzip -c %s | head -c 60 > %s", def, gz);
    cr_assert_eq(system(cmd), 0);
    expect_error(gz, "whole.def.gz", "gzip");
}

Test(cmd_info, unknown_master)
{
    char *t = replace(BASE_DEF, "- b RAM", "- b NOSUCH");
    expect_error(write_def("master.def", t, strlen(t)), "master.def:7:", "unknown master");
    free(t);
}

Test(cmd_info, unknown_pin_and_component)
{
    char *t = replace(BASE_DEF, "( a Z )", "( a QQ )");
    expect_error(write_def("pin.def", t, strlen(t)), "pin.def:10:", "no pin 'QQ'");
    free(t);
    t = replace(BASE_DEF, "( a Z )", "( zz Z )");
    expect_error(write_def("comp.def", t, strlen(t)), "comp.def:10:", "'zz'");
    free(t);
}

Test(cmd_info, bad_units)
{
    char *t = replace(BASE_DEF, "MICRONS 1000", "MICRONS -5");
    expect_error(write_def("units.def", t, strlen(t)), "units.def:3:", "units");
    free(t);
    t = replace(BASE_DEF, "MICRONS 1000", "MICRONS abc");
    expect_error(write_def("units2.def", t, strlen(t)), "units2.def:3:", "units");
    free(t);
}

Test(cmd_info, missing_file)
{
    expect_error("/nonexistent/design.def", "/nonexistent/design.def", "cannot open");
}

Test(cmd_info, binary_garbage)
{
    char junk[4096];
    uint32_t s = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        s = s * 1664525u + 1013904223u;
        junk[i] = (char)(s >> 24);
    }
    junk[100] = 0;
    expect_error(write_def("junk.def", junk, sizeof junk), "junk.def:", NULL);
}

Test(cmd_info, unterminated_statement)
{
    char *t = replace(BASE_DEF, "( 2000 2000 ) N ;", "( 2000 2000 ) N");
    expect_error(write_def("unterm.def", t, strlen(t)), "unterm.def:7:", "';'");
    free(t);
    t = replace(BASE_DEF, "( a Z ) ( b D[0] ) ;", "( a Z ( b D[0] ) ;");
    expect_error(write_def("paren.def", t, strlen(t)), "paren.def:10:", NULL);
    free(t);
}

Test(cmd_info, bad_lef_is_named)
{
    const char *def = write_def("ok.def", BASE_DEF, strlen(BASE_DEF));
    const char *lef = write_def("bad.lef", "MACRO INV\n CLASS CORE ;\n SIZE 1 BY ;\nEND INV\n", 44);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s info %s --lef %s", pl_test_placer(), def, lef);
    char *out, *err;
    cr_assert_neq(pl_test_run(cmd, &out, &err), 0);
    cr_assert(strstr(err, "bad.lef:3:"), "%s", err);
    cr_assert_eq(pl_test_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
}

Test(cmd_info, usage_errors)
{
    char cmd[512];
    char *out, *err;
    snprintf(cmd, sizeof cmd, "%s info --bogus", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 2);
    cr_assert(strstr(err, "--bogus"), "%s", err);
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "%s info --help", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0);
    cr_assert(strstr(out, "usage: placer info"), "%s", out);
    free(out);
    free(err);
}
