/* test_main.c: the `placer` command line itself (placer/main.c): `placer help [COMMAND]` prints what
 * `placer --help` and `placer COMMAND --help` print, byte for byte, for every command; an unknown command
 * or option is one error line, exit 2, that suggests the closest name when one is near ("did you mean
 * place?", "did you mean --effort?") and nothing otherwise. */
#include "tests/testutil.h"

/* stdout of `placer ARGS`, which must exit with code rc (malloc'd). */
static char *stdout_of(const char *args, int rc)
{
    char cmd[1024], *out, *err;
    snprintf(cmd, sizeof cmd, "%s %s", pl_test_placer(), args);
    int got = pl_test_run(cmd, &out, &err);
    cr_assert_eq(got, rc, "%s: exit %d\n%s", cmd, got, err);
    free(err);
    return out;
}

/* The one error line of `placer ARGS` (exit 2), malloc'd. */
static char *error_of(const char *args)
{
    char cmd[1024], *out, *err;
    snprintf(cmd, sizeof cmd, "%s %s", pl_test_placer(), args);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 2, "%s: exit %d\n%s", cmd, rc, err);
    cr_assert_eq(pl_test_count_lines(err), 1, "%s: not one line:\n%s", cmd, err);
    cr_assert(!strncmp(err, "placer: error: ", 15), "%s", err);
    cr_assert_str_empty(out);
    free(out);
    return err;
}

Test(main_cli, help_command_equals_command_help)
{
    const char *cmds[] = {"place", "info", "eval", "cluster", "render", "plot", "train", "gen"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "help %s", cmds[i]);
        snprintf(b, sizeof b, "%s --help", cmds[i]);
        char *x = stdout_of(a, 0), *y = stdout_of(b, 0);
        cr_assert(strlen(y) > 100, "%s printed little: %s", b, y);
        cr_assert_str_eq(x, y, "`placer %s` differs from `placer %s`", a, b);
        free(x), free(y);
    }
    char *x = stdout_of("help", 0), *y = stdout_of("--help", 0);
    cr_assert_str_eq(x, y);
    cr_assert(strstr(x, "help "), "the listing names help: %s", x);
    free(x), free(y);
}

Test(main_cli, unknown_command_suggests_the_closest)
{
    char *e = error_of("plcae designs/small/small.def");
    cr_assert(strstr(e, "unknown command 'plcae'") && strstr(e, "did you mean place?"), "%s", e);
    free(e);
    e = error_of("evl x.def");
    cr_assert(strstr(e, "did you mean eval?"), "%s", e);
    free(e);
    e = error_of("trian");
    cr_assert(strstr(e, "did you mean train?"), "%s", e);
    free(e);
    e = error_of("help plcae");
    cr_assert(strstr(e, "did you mean place?"), "%s", e);
    free(e);
    e = error_of("frobnicate");
    cr_assert(strstr(e, "unknown command 'frobnicate'") && !strstr(e, "did you mean"), "%s", e);
    free(e);
    e = error_of("help place eval");
    cr_assert(strstr(e, "one COMMAND"), "%s", e);
    free(e);
}

Test(main_cli, unknown_option_suggests_the_closest)
{
    char *e = error_of("place x.def --efort fast");
    cr_assert(strstr(e, "unknown option '--efort'") && strstr(e, "did you mean --effort?"), "%s", e);
    free(e);
    e = error_of("x.def --efort=fast"); /* the implicit `placer DESIGN.def` */
    cr_assert(strstr(e, "did you mean --effort?"), "%s", e);
    free(e);
    e = error_of("eval x.def --lef-dri libs");
    cr_assert(strstr(e, "did you mean --lef-dir?"), "%s", e);
    free(e);
    e = error_of("train x.pb.txt -o x.ckpt --iteratoins 3");
    cr_assert(strstr(e, "did you mean --iterations?"), "%s", e);
    free(e);
    e = error_of("place x.def --zzzzzz");
    cr_assert(strstr(e, "unknown option '--zzzzzz'") && !strstr(e, "did you mean"), "%s", e);
    free(e);
}
