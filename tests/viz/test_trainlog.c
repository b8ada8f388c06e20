/* test_trainlog.c: JSON-lines training logs: columns in first-seen order, NaN for null and missing
 * keys, iteration or record index as x, skipped non-numeric values, errors with file:line. */
#include <math.h>

#include "core/json.h"
#include "tests/testutil.h"
#include "viz/trainlog.h"

static pl_trainlog log_;

static void setup(void)
{
    pl_trainlog_init(&log_);
}
static void teardown(void)
{
    pl_trainlog_free(&log_);
    pl_trainlog_free(&log_); /* idempotent */
}

TestSuite(viz_trainlog, .init = setup, .fini = teardown);

Test(viz_trainlog, columns_values_and_gaps)
{
    const char *text = "{\"iteration\": 10, \"reward_mean\": -1.5, \"note\": \"a \\\"q\\\" b\", \"ok\": true}\n"
                       "\n"
                       "  {\"iteration\": 20, \"reward_mean\": null, \"density_cost\": 0.75, \"x\": {\"y\": [1, {\"z\": 2}]}}\r\n"
                       "{\"reward_mean\": -1.25e0, \"density_cost\": 7.5E-1}";
    cr_assert_eq(pl_trainlog_parse(&log_, "t.jsonl", text), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(log_.n, 3);
    cr_assert_eq(log_.ncols, 2, "numbers only: reward_mean, density_cost");
    int r = pl_trainlog_find(&log_, "reward_mean"), d = pl_trainlog_find(&log_, "density_cost");
    cr_assert_eq(r, 0);
    cr_assert_eq(d, 1);
    cr_assert_eq(pl_trainlog_find(&log_, "note"), -1);
    cr_assert_eq(pl_trainlog_find(&log_, "iteration"), -1, "iteration is the x, not a column");
    cr_assert_eq(log_.iter[0], 10);
    cr_assert_eq(log_.iter[1], 20);
    cr_assert_eq(log_.iter[2], 2, "no iteration: the record index");
    cr_assert_eq(log_.cols[r].v[0], -1.5);
    cr_assert(isnan(log_.cols[r].v[1]), "null reads as NaN");
    cr_assert_eq(log_.cols[r].v[2], -1.25);
    cr_assert(isnan(log_.cols[d].v[0]), "a column that appears later is NaN before");
    cr_assert_eq(log_.cols[d].v[1], 0.75);
    cr_assert_eq(log_.cols[d].v[2], 0.75);
}

Test(viz_trainlog, many_records_grow)
{
    size_t cap = 1 << 20, k = 0;
    char *text = malloc(cap);
    for (int i = 0; i < 1000; i++)
        k += (size_t)snprintf(text + k, cap - k, "{\"iteration\": %d, \"c%d_cost\": %d}\n", i, i % 9, i);
    cr_assert_eq(pl_trainlog_parse(&log_, "big", text), PL_OK, "%s", pl_errmsg());
    free(text);
    cr_assert_eq(log_.n, 1000);
    cr_assert_eq(log_.ncols, 9);
    for (int i = 0; i < 1000; i++)
        for (int c = 0; c < 9; c++) {
            double v = log_.cols[c].v[i];
            if (i % 9 == c) cr_assert_eq(v, i);
            else cr_assert(isnan(v));
        }
}

Test(viz_trainlog, errors_name_file_and_line)
{
    static const char *const BAD[] = {
        "{\"a\": 1}\n{\"a\": }\n",      "{\"a\": 1}\n[1, 2]\n",         "{\"a\": 1}\n{\"a\": 1} {\"b\": 2}\n",
        "{\"a\": 1}\n{\"a\": \"open\n", "{\"a\": 1}\n{a: 1}\n",          "{\"a\": 1}\n{\"a\" 1}\n",
        "{\"a\": 1}\n{\"a\": 1,}\n",    "{\"a\": 1}\n{\"a\": [1, 2}\n",
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        pl_trainlog_free(&log_);
        pl_trainlog_init(&log_);
        cr_assert_eq(pl_trainlog_parse(&log_, "bad.jsonl", BAD[i]), PL_EPARSE, "case %zu parsed", i);
        cr_assert(!strncmp(pl_errmsg(), "bad.jsonl:2:", 12), "case %zu: %s", i, pl_errmsg());
    }
}

Test(viz_trainlog, read_file_and_missing_file)
{
    char path[256];
    snprintf(path, sizeof path, "%s/log.jsonl", pl_test_tmpdir());
    FILE *fp = fopen(path, "w");
    fputs("{\"iteration\": 1, \"reward_best\": 2}\n", fp);
    fclose(fp);
    cr_assert_eq(pl_trainlog_read(&log_, path), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(log_.n, 1);
    pl_trainlog_free(&log_);
    cr_assert_eq(pl_trainlog_read(&log_, "/nonexistent/log.jsonl"), PL_EIO);
}

/* Lines written by core/json.h read back exactly: the writer's shortest digits round-trip, null is
 * NaN, strings and nested values are skipped; syntax errors also name the column. */
Test(viz_trainlog, reads_what_the_writer_writes)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    for (int i = 1; i <= 2; i++) {
        json_object *o = json_object_new_object(), *a = json_object_new_array();
        json_object_object_add(o, "iteration", json_object_new_int(i));
        json_object_object_add(o, "reward_mean", pl_json_num(-1.0 / (3 * i)));
        json_object_object_add(o, "proxy_best", pl_json_num(i == 1 ? NAN : 0.1 + 0.2));
        json_object_object_add(o, "name", pl_json_str("a \"b\"\n/c"));
        json_object_array_add(a, pl_json_num(1));
        json_object_object_add(o, "designs", a);
        cr_assert_eq(pl_json_write(fp, o, PL_JSON_LINE), PL_OK);
        json_object_put(o);
    }
    fclose(fp);
    cr_assert_eq(pl_trainlog_parse(&log_, "w.jsonl", buf), PL_OK, "%s\n%s", pl_errmsg(), buf);
    free(buf);
    cr_assert_eq(log_.n, 2);
    cr_assert_eq(log_.ncols, 2, "reward_mean, proxy_best");
    int r = pl_trainlog_find(&log_, "reward_mean"), p = pl_trainlog_find(&log_, "proxy_best");
    cr_assert_eq(log_.iter[1], 2);
    cr_assert_eq(log_.cols[r].v[0], -1.0 / 3);
    cr_assert_eq(log_.cols[r].v[1], -1.0 / 6);
    cr_assert(isnan(log_.cols[p].v[0]), "non-finite was written as null");
    cr_assert_eq(log_.cols[p].v[1], 0.1 + 0.2);
    pl_trainlog_free(&log_);
    cr_assert_eq(pl_trainlog_parse(&log_, "c.jsonl", "{\"a\": 1}\n{\"a\": }\n"), PL_EPARSE);
    cr_assert_str_eq(pl_errmsg(), "c.jsonl:2:7: unexpected character");
}
