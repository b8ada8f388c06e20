/* test_jsonlog.c: training-log repair on resume: records past the checkpoint dropped, records
 * without a top-level "iteration" kept, a partial last line dropped, every kept line newline-ended. */
#include "core/log.h"
#include "rl/jsonlog.h"
#include "tests/testutil.h"

Test(jsonlog, trim_keeps_records_up_to_the_checkpoint)
{
    char path[256];
    snprintf(path, sizeof path, "%s/train.jsonl", pl_test_tmpdir());
    FILE *fp = fopen(path, "w");
    fputs("{ \"iteration\": 1, \"reward_mean\": -1 }\n"
          "{\"note\": \"no iteration\", \"x\": {\"iteration\": 9}}\n"
          "\n"
          "{\"iteration\": 2, \"name\": \"a/b\"}\r\n"
          "{\"iteration\": 3, \"reward_mean\": 0}\n"
          "{\"iteration\": 2.5}\n"
          "{\"iteration\": 4, \"reward_mean\": -0.5, \"designs\": [{\"na",
          fp);
    fclose(fp);
    pl_log_level lv = pl_log_get_level();
    pl_log_set_level(PL_LOG_QUIET); /* the partial line's warning */
    cr_assert_eq(pl_jsonlog_trim(path, 2), PL_OK, "%s", pl_errmsg());
    pl_log_set_level(lv);
    char *got = pl_test_slurp(path, NULL);
    cr_assert_str_eq(got, "{ \"iteration\": 1, \"reward_mean\": -1 }\n"
                          "{\"note\": \"no iteration\", \"x\": {\"iteration\": 9}}\n"
                          "{\"iteration\": 2, \"name\": \"a/b\"}\r\n");
    free(got);
    /* a last line without a newline gets one, so that appended records start on their own line */
    fp = fopen(path, "w");
    fputs("{\"iteration\": 1}", fp);
    fclose(fp);
    cr_assert_eq(pl_jsonlog_trim(path, 5), PL_OK, "%s", pl_errmsg());
    got = pl_test_slurp(path, NULL);
    cr_assert_str_eq(got, "{\"iteration\": 1}\n");
    free(got);
    cr_assert_eq(pl_jsonlog_trim("/nonexistent/train.jsonl", 3), PL_OK, "a missing log is not an error");
}
