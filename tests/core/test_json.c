/* test_json.c: the JSON layer over json-c: numbers in the fewest digits that round-trip, null for
 * non-finite values, fixed-format text kept, strings escaped and read back, one-line and indented
 * output, atomic file writes that leave nothing behind on failure, and line parsing with file:line:col. */
#include <dirent.h>
#include <math.h>

#include "core/json.h"
#include "core/rng.h"
#include "tests/testutil.h"

/* The serialized text of a lone value (owned by v). */
static const char *text_of(json_object *v)
{
    return json_object_to_json_string_ext(v, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Significant digits of a "%g"-style number text. */
static int digits(const char *t)
{
    int n = 0, lead = 1;
    for (; *t && *t != 'e' && *t != 'E'; t++) {
        if (*t < '0' || *t > '9') continue;
        if (lead && *t == '0') continue;
        lead = 0, n++;
    }
    return n;
}

Test(json, num_shortest_round_trip)
{
    static const struct {
        double v;
        const char *want;
    } FIXED[] = {
        {0.1, "0.1"},       {3.0, "3"},       {-0.0, "-0"}, {1e15, "1e+15"}, {123456789012345.0, "123456789012345"},
        {0.5, "0.5"},       {-2.25, "-2.25"}, {1.0 / 3.0, "0.3333333333333333"},
        {0.1 + 0.2, "0.30000000000000004"},
    };
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++) {
        json_object *o = pl_json_num(FIXED[i].v);
        cr_assert_str_eq(text_of(o), FIXED[i].want, "value %zu", i);
        cr_assert_eq(json_object_get_double(o), FIXED[i].v);
        json_object_put(o);
    }
    /* random bit patterns: the text reads back exactly, in 15..17 digits, and one digit fewer would not */
    pl_rng r;
    pl_rng_derive(&r, 7, 0x4a534f4eull, 0);
    for (int k = 0; k < 20000; k++) {
        uint64_t bits = pl_rng_u64(&r);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v) || (v == floor(v) && fabs(v) < 1e15)) continue;
        json_object *o = pl_json_num(v);
        const char *t = text_of(o);
        cr_assert_eq(strtod(t, NULL), v, "%s does not read back as %.17g", t, v);
        int n = digits(t);
        cr_assert(n <= 17, "%s: %d digits", t, n);
        if (n > 15) {
            char shorter[40];
            snprintf(shorter, sizeof shorter, "%.*g", n - 1, v);
            cr_assert_neq(strtod(shorter, NULL), v, "%s is not the shortest (%s)", t, shorter);
        }
        json_object_put(o);
    }
}

Test(json, non_finite_is_null)
{
    cr_assert_null(pl_json_num(NAN));
    cr_assert_null(pl_json_num(INFINITY));
    cr_assert_null(pl_json_num(-INFINITY));
    cr_assert_null(pl_json_fixed(NAN, "%.9f"));
    cr_assert_null(pl_json_fixed(-INFINITY, "%g"));
    json_object *o = json_object_new_object();
    json_object_object_add(o, "x", pl_json_num(NAN));
    json_object_object_add(o, "y", pl_json_fixed(1.5, "%.3f"));
    cr_assert_str_eq(text_of(o), "{ \"x\": null, \"y\": 1.500 }");
    json_object_put(o);
}

Test(json, fixed_text_kept)
{
    static const struct {
        double v;
        const char *fmt, *want;
    } CASES[] = {
        {0.5, "%.9f", "0.500000000"}, {1e-5, "%g", "1e-05"},  {800, "%.6f", "800.000000"},
        {12.25, "%.1f", "12.2"},      {-3, "%g", "-3"},        {0.123456789, "%.6g", "0.123457"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        json_object *o = pl_json_fixed(CASES[i].v, CASES[i].fmt);
        cr_assert_str_eq(text_of(o), CASES[i].want, "case %zu", i);
        cr_assert_eq(json_object_get_double(o), CASES[i].v, "the value stays exact, only the text is rounded");
        json_object_put(o);
    }
    json_object *big = pl_json_fixed(1e300, "%.6f"); /* longer than any small buffer */
    const char *t = text_of(big);
    cr_assert_eq(strlen(t), 301 + 7, "%s", t);
    cr_assert_eq(strtod(t, NULL), 1e300);
    json_object_put(big);
}

Test(json, strings_escaped_and_read_back)
{
    const char *raw = "a\"b\\c\nd\re\tf\x01g\x1fh/i\bj";
    json_object *s = pl_json_str(raw);
    cr_assert_str_eq(text_of(s), "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh/i\\bj\"");
    json_object *back;
    const char *t = text_of(s);
    cr_assert_eq(pl_json_parse_line(t, strlen(t), "s", 1, &back), PL_OK, "%s", pl_errmsg());
    cr_assert_str_eq(json_object_get_string(back), raw);
    json_object_put(back);
    json_object_put(s);
    json_object *e = pl_json_str(NULL);
    cr_assert_str_eq(text_of(e), "\"\"", "NULL reads as the empty string");
    json_object_put(e);
}

/* A small tree: { "name": "x/y", "n": 3, "grid": { "cols": 2 }, "v": [ 0.5, null ] } */
static json_object *tree(void)
{
    json_object *o = json_object_new_object(), *g = json_object_new_object(), *a = json_object_new_array();
    json_object_object_add(o, "name", pl_json_str("x/y"));
    json_object_object_add(o, "n", json_object_new_int(3));
    json_object_object_add(g, "cols", json_object_new_int(2));
    json_object_object_add(o, "grid", g);
    json_object_array_add(a, pl_json_num(0.5));
    json_object_array_add(a, pl_json_num(NAN));
    json_object_object_add(o, "v", a);
    return o;
}

Test(json, write_line_and_pretty)
{
    json_object *o = tree();
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cr_assert_eq(pl_json_write(fp, o, PL_JSON_LINE), PL_OK);
    fclose(fp);
    cr_assert_str_eq(buf, "{ \"name\": \"x/y\", \"n\": 3, \"grid\": { \"cols\": 2 }, \"v\": [ 0.5, null ] }\n",
                     "one line, keys in insertion order, slashes not escaped");
    free(buf);
    fp = open_memstream(&buf, &len);
    cr_assert_eq(pl_json_write(fp, o, PL_JSON_PRETTY), PL_OK);
    fclose(fp);
    cr_assert_eq(pl_test_count_lines(buf), 11, "%s", buf);
    cr_assert(strstr(buf, "\n  \"name\": \"x/y\",\n"), "%s", buf);
    free(buf);
    json_object_put(o);
}

/* Names in dir that contain ".tmp." (temporaries a writer left behind). */
static int temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

Test(json, write_file_is_atomic)
{
    const char *dir = pl_test_tmpdir();
    char path[256], sub[256];
    snprintf(path, sizeof path, "%s/r.json", dir);
    FILE *fp = fopen(path, "w");
    fputs("old content that is longer than the new one, which must replace it whole\n", fp);
    fclose(fp);
    json_object *o = tree();
    cr_assert_eq(pl_json_write_file(path, o, PL_JSON_LINE), PL_OK, "%s", pl_errmsg());
    char *got = pl_test_slurp(path, NULL);
    cr_assert_str_eq(got, "{ \"name\": \"x/y\", \"n\": 3, \"grid\": { \"cols\": 2 }, \"v\": [ 0.5, null ] }\n");
    free(got);
    /* the destination is a folder: the rename fails, the folder is untouched and no temporary is left */
    snprintf(sub, sizeof sub, "%s/d.json", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    cr_assert_eq(pl_json_write_file(sub, o, PL_JSON_PRETTY), PL_EIO);
    cr_assert(strstr(pl_errmsg(), sub), "the message names the destination: %s", pl_errmsg());
    struct stat st;
    cr_assert(stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
    cr_assert_eq(temporaries(dir), 0);
    /* a folder that does not exist: nothing is created */
    snprintf(sub, sizeof sub, "%s/none/r.json", dir);
    cr_assert_eq(pl_json_write_file(sub, o, PL_JSON_LINE), PL_EIO);
    cr_assert(!pl_test_exists(sub));
    cr_assert_eq(temporaries(dir), 0);
    json_object_put(o);
}

Test(json, parse_line)
{
    json_object *o;
    const char *ok = "  {\"a\": [1, {\"b\": null}], \"c\": -1.5e0}\r";
    cr_assert_eq(pl_json_parse_line(ok, strlen(ok), "f", 3, &o), PL_OK, "%s", pl_errmsg());
    cr_assert(json_object_is_type(o, json_type_object));
    json_object *c;
    cr_assert(json_object_object_get_ex(o, "c", &c));
    cr_assert_eq(json_object_get_double(c), -1.5);
    json_object_put(o);
    cr_assert_eq(pl_json_parse_line("12", 2, "f", 1, &o), PL_OK, "a number that ends the line: %s", pl_errmsg());
    cr_assert_eq(json_object_get_int(o), 12);
    json_object_put(o);
    cr_assert_eq(pl_json_parse_line("null", 4, "f", 1, &o), PL_OK);
    cr_assert_null(o);
    /* the length bounds the line: what follows it is not read */
    cr_assert_eq(pl_json_parse_line("{\"a\": 1} garbage", 8, "f", 1, &o), PL_OK);
    json_object_put(o);
    static const struct {
        const char *text, *want;
    } BAD[] = {
        {"{\"a\": }", "f.jsonl:7:7: "},          {"{\"a\": 1} {\"b\": 2}", "f.jsonl:7:10: "},
        {"{\"a\": \"open", "f.jsonl:7:12: unexpected end of line"}, {"{\"a\": 1,}", "f.jsonl:7:9: "},
        {"{a: 1}", "f.jsonl:7:2: "},             {"", "f.jsonl:7:1: unexpected end of line"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        o = (json_object *)1;
        cr_assert_eq(pl_json_parse_line(BAD[i].text, strlen(BAD[i].text), "f.jsonl", 7, &o), PL_EPARSE, "case %zu", i);
        cr_assert_null(o);
        cr_assert(!strncmp(pl_errmsg(), BAD[i].want, strlen(BAD[i].want)), "case %zu: %s", i, pl_errmsg());
    }
}
