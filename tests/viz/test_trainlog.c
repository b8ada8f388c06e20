/* test_trainlog.c: JSON-lines training logs: columns in first-seen order, NaN for null and missing
 * keys, iteration or record index as x, skipped non-numeric values, errors with file:line. */
#include <math.h>

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
