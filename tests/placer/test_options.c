/* test_options.c: the commands' shared option parser (placer/options.h): --opt=value and --opt value,
 * abbreviations, `--`, range checks that name the option, pairs, choices, repeats up to a maximum,
 * the error lines for unknown options (with the closest name when one is near: pl_opts_closest) and
 * missing values, and a second parse in the same process. */
#include <stdarg.h>
#include <stdint.h>

#include "placer/options.h"
#include "tests/testutil.h"

typedef struct fixture {
    int json, threads, labels, fd_start, soft, set_threads, gsize;
    long long moves;
    uint64_t seed;
    double reserve, cw, ch;
    float lr;
    int cols, rows;
    const char *out, *lefs[3];
    int nlef;
    double w[3];
    const char *pos[2];
    pl_opt_pos p;
    pl_opt table[16];
} fixture;

static int parse_weights(const char *v, void *dst)
{
    double *w = dst;
    return sscanf(v, "%lf,%lf,%lf", &w[0], &w[1], &w[2]) == 3;
}

/* A table shaped like the commands': every kind once. */
static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->labels = 1;
    f->seed = 1;
    f->fd_start = -1;
    pl_opt t[] = {
        {PL_OPT_FLAG("json", 0, &f->json, 1)},
        {PL_OPT_FLAG("no-labels", 0, &f->labels, 0)},
        {PL_OPT_STRING("output", 'o', &f->out)},
        {PL_OPT_INT("threads", 0, &f->threads, 1, 64), .set = &f->set_threads},
        {PL_OPT_INT("moves-per-macro", 0, &f->moves, 0, 1e12)},
        {PL_OPT_INT("fd-start", 0, &f->fd_start, 0, 1)},
        {PL_OPT_INT("gsize", 0, &f->gsize, 0, INFINITY)},
        {PL_OPT_UINT64("seed", 0, &f->seed)},
        {PL_OPT_DOUBLE("power-reserve", 0, &f->reserve, 0, 1), .flags = PL_OPT_OPEN_HI},
        {PL_OPT_DOUBLE("lr", 0, &f->lr, 0, 1)},
        {PL_OPT_INT_PAIR("grid", 'x', &f->cols, &f->rows, 1, 1024), .want = "COLSxROWS such as 24x21"},
        {PL_OPT_DOUBLE_PAIR("canvas", 'x', &f->cw, &f->ch, 0, INFINITY), .flags = PL_OPT_OPEN_LO},
        {PL_OPT_CHOICE("soft-placer", 0, &f->soft, "analytic|ct|fd")},
        {PL_OPT_REPEAT("lef", 0, f->lefs, &f->nlef, 3)},
        {PL_OPT_CUSTOM("weights", 0, f->w, parse_weights, "W,D,C such as 1,0.5,0.5")},
        {0},
    };
    cr_assert_leq(sizeof t, sizeof f->table);
    memcpy(f->table, t, sizeof t);
    f->p = (pl_opt_pos){f->pos, 2, 0, "two DESIGNs at most"};
}

/* Parses a NULL-terminated list of words after the command name "cmd". */
static pl_status parse(fixture *f, int *help, ...)
{
    static char *argv[32];
    va_list ap;
    va_start(ap, help);
    int argc = 0;
    argv[argc++] = "cmd";
    for (char *a; (a = va_arg(ap, char *));) argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    pl_err_clear();
    return pl_opts_parse("cmd", f->table, argc, argv, &f->p, help);
}

#define PARSE(f, help, ...) parse((f), (help), __VA_ARGS__, (char *)NULL)

static void expect_error(fixture *f, const char *msg, pl_status s)
{
    cr_assert_eq(s, PL_EINVAL, "parse succeeded; wanted '%s'", msg);
    cr_assert_str_eq(pl_errmsg(), msg);
}

Test(options, value_forms_and_positionals)
{
    fixture f;
    int help;
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "a.def", "--threads", "4", "--seed=0x10", "-o", "out.def", "--json", "b.def",
                       "--moves-per-macro=1000000000000", "--no-labels"),
                 PL_OK, "%s", pl_errmsg());
    cr_assert_eq(help, 0);
    cr_assert_eq(f.threads, 4);
    cr_assert_eq(f.set_threads, 1);
    cr_assert_eq(f.seed, 16);
    cr_assert_str_eq(f.out, "out.def");
    cr_assert_eq(f.json, 1);
    cr_assert_eq(f.labels, 0);
    cr_assert_eq(f.moves, 1000000000000LL);
    cr_assert_eq(f.p.n, 2);
    cr_assert_str_eq(f.pos[0], "a.def");
    cr_assert_str_eq(f.pos[1], "b.def");
    cr_assert_eq(f.fd_start, -1, "an option not given keeps its default");
    /* short option with its value attached, a value starting with '-' */
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "-oout.def", "--output=-", "--lef", "-x.lef"), PL_OK, "%s", pl_errmsg());
    cr_assert_str_eq(f.out, "-");
    cr_assert_eq(f.nlef, 1);
    cr_assert_str_eq(f.lefs[0], "-x.lef");
    cr_assert_eq(f.set_threads, 0);
}

Test(options, abbreviations)
{
    fixture f;
    int help;
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--thr=3", "--js", "--power", "0.25", "--soft", "ct"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(f.threads, 3);
    cr_assert_eq(f.json, 1);
    cr_assert_float_eq(f.reserve, 0.25, 0);
    cr_assert_eq(f.soft, 1);
    fixture_init(&f);
    expect_error(&f, "cmd: ambiguous option '--g': --gsize, --grid (see placer cmd --help)", PARSE(&f, &help, "--g", "3"));
    fixture_init(&f);
    expect_error(&f, "cmd: ambiguous option '--g': --gsize, --grid (see placer cmd --help)",
                 PARSE(&f, &help, "--g=3"));
    pl_opt t[] = {{PL_OPT_INT("hidden", 0, &f.threads, 1, 64)}, {0}};
    char *argv[] = {"cmd", "--h", NULL};
    cr_assert_eq(pl_opts_parse("cmd", t, 2, argv, NULL, &help), PL_EINVAL);
    cr_assert_str_eq(pl_errmsg(), "cmd: ambiguous option '--h': --hidden, --help (see placer cmd --help)");
}

Test(options, double_dash_ends_options)
{
    fixture f;
    int help;
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--json", "--", "--threads", "-o"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(f.json, 1);
    cr_assert_eq(f.threads, 0);
    cr_assert_null(f.out);
    cr_assert_eq(f.p.n, 2);
    cr_assert_str_eq(f.pos[0], "--threads");
    cr_assert_str_eq(f.pos[1], "-o");
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "-"), PL_OK, "a lone '-' is an argument: %s", pl_errmsg());
    cr_assert_str_eq(f.pos[0], "-");
    fixture_init(&f);
    expect_error(&f, "cmd: unexpected argument 'c' (two DESIGNs at most)", PARSE(&f, &help, "a", "--", "b", "c"));
}

Test(options, numbers_out_of_range_name_the_option)
{
    fixture f;
    int help;
    fixture_init(&f);
    expect_error(&f, "cmd: --threads wants an integer from 1 to 64, not '0'", PARSE(&f, &help, "--threads", "0"));
    expect_error(&f, "cmd: --threads wants an integer from 1 to 64, not '65'", PARSE(&f, &help, "--threads=65"));
    expect_error(&f, "cmd: --threads wants an integer from 1 to 64, not '2.5'", PARSE(&f, &help, "--threads=2.5"));
    expect_error(&f, "cmd: --threads wants an integer from 1 to 64, not ''", PARSE(&f, &help, "--threads="));
    expect_error(&f, "cmd: --gsize wants a non-negative integer, not '-1'", PARSE(&f, &help, "--gsize", "-1"));
    expect_error(&f, "cmd: --gsize wants a non-negative integer, not '3000000000'",
                 PARSE(&f, &help, "--gsize", "3000000000"));
    expect_error(&f, "cmd: --seed wants a non-negative integer, not 'x'", PARSE(&f, &help, "--seed", "x"));
    expect_error(&f, "cmd: --seed wants a non-negative integer, not '-3'", PARSE(&f, &help, "--seed", "-3"));
    expect_error(&f, "cmd: --seed wants a non-negative integer, not '99999999999999999999'",
                 PARSE(&f, &help, "--seed", "99999999999999999999"));
    expect_error(&f, "cmd: --power-reserve wants a number in [0, 1), not '1'", PARSE(&f, &help, "--power-reserve", "1"));
    expect_error(&f, "cmd: --power-reserve wants a number in [0, 1), not 'nan'",
                 PARSE(&f, &help, "--power-reserve", "nan"));
    cr_assert_eq(f.threads, 0, "nothing stored from a bad value");
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--seed", "18446744073709551615", "--lr", "0.5", "--power-reserve", "0"), PL_OK,
                 "%s", pl_errmsg());
    cr_assert_eq(f.seed, UINT64_MAX);
    cr_assert_float_eq(f.lr, 0.5f, 0, "a float destination");
    cr_assert_float_eq(f.reserve, 0, 0);
}

Test(options, pairs)
{
    fixture f;
    int help;
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--grid", "24x21", "--canvas=356.5x350"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(f.cols, 24);
    cr_assert_eq(f.rows, 21);
    cr_assert_float_eq(f.cw, 356.5, 0);
    cr_assert_float_eq(f.ch, 350, 0);
    const char *bad_grid[] = {"3", "24x", "x21", "24x21x", "0x5", "5x1025", "24,21", "2.5x3"};
    for (size_t i = 0; i < sizeof bad_grid / sizeof bad_grid[0]; i++) {
        char want[128];
        snprintf(want, sizeof want, "cmd: --grid wants COLSxROWS such as 24x21, not '%s'", bad_grid[i]);
        expect_error(&f, want, PARSE(&f, &help, "--grid", bad_grid[i]));
    }
    expect_error(&f, "cmd: --canvas wants two numbers joined by 'x', not '0x5'", PARSE(&f, &help, "--canvas", "0x5"));
}

Test(options, choices_and_custom)
{
    fixture f;
    int help;
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--soft-placer", "fd", "--weights", "1,0.5,0.25"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(f.soft, 2);
    cr_assert_float_eq(f.w[2], 0.25, 0);
    expect_error(&f, "cmd: --soft-placer wants analytic, ct or fd, not 'c'", PARSE(&f, &help, "--soft-placer", "c"));
    expect_error(&f, "cmd: --weights wants W,D,C such as 1,0.5,0.5, not '1,2'", PARSE(&f, &help, "--weights", "1,2"));
}

Test(options, repeats_up_to_the_maximum)
{
    fixture f;
    int help;
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--lef", "a", "--lef=b", "--le", "c"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(f.nlef, 3);
    cr_assert_str_eq(f.lefs[0], "a");
    cr_assert_str_eq(f.lefs[1], "b");
    cr_assert_str_eq(f.lefs[2], "c");
    fixture_init(&f);
    expect_error(&f, "cmd: too many --lef options (at most 3)",
                 PARSE(&f, &help, "--lef", "a", "--lef", "b", "--lef", "c", "--lef", "d"));
    cr_assert_eq(f.nlef, 3);
}

Test(options, unknown_missing_and_flag_values)
{
    fixture f;
    int help;
    fixture_init(&f);
    expect_error(&f, "cmd: unknown option '--bogus' (see placer cmd --help)", PARSE(&f, &help, "a.def", "--bogus"));
    expect_error(&f, "cmd: unknown option '--bogus' (see placer cmd --help)", PARSE(&f, &help, "--bogus=1"));
    expect_error(&f, "cmd: unknown option '-z' (see placer cmd --help)", PARSE(&f, &help, "-z"));
    expect_error(&f, "cmd: --lef needs a value (see placer cmd --help)", PARSE(&f, &help, "--lef"));
    expect_error(&f, "cmd: --output needs a value (see placer cmd --help)", PARSE(&f, &help, "-o"));
    expect_error(&f, "cmd: --json takes no value, not '1' (see placer cmd --help)", PARSE(&f, &help, "--json=1"));
    expect_error(&f, "cmd: --help takes no value, not '' (see placer cmd --help)", PARSE(&f, &help, "--help="));
}

Test(options, help_stops_at_once)
{
    fixture f;
    int help;
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--json", "-h", "--bogus"), PL_OK);
    cr_assert_eq(help, 1);
    fixture_init(&f);
    cr_assert_eq(PARSE(&f, &help, "--he"), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(help, 1);
    fixture_init(&f);
    expect_error(&f, "cmd: --threads wants an integer from 1 to 64, not 'x'", PARSE(&f, &help, "--threads", "x", "--help"));
}

/* getopt keeps state between calls; each parse starts afresh, also after one that stopped midway
 * inside a cluster of short options. */
Test(options, parse_twice_in_one_process)
{
    fixture f;
    int help;
    fixture_init(&f);
    pl_opt t[] = {{PL_OPT_FLAG(NULL, 'j', &f.json, 1)}, {PL_OPT_STRING(NULL, 'o', &f.out)}, {0}};
    char *a1[] = {"cmd", "-jz", "-ox", NULL};
    cr_assert_eq(pl_opts_parse("cmd", t, 3, a1, NULL, &help), PL_EINVAL);
    cr_assert_str_eq(pl_errmsg(), "cmd: unknown option '-z' (see placer cmd --help)");
    char *a2[] = {"cmd", "-o", "y", NULL};
    cr_assert_eq(pl_opts_parse("cmd", t, 3, a2, NULL, &help), PL_OK, "%s", pl_errmsg());
    cr_assert_str_eq(f.out, "y");
    char *a3[] = {"cmd", "-joz", "w", NULL};
    cr_assert_eq(pl_opts_parse("cmd", t, 3, a3, NULL, &help), PL_EINVAL);
    cr_assert_str_eq(pl_errmsg(), "cmd: unexpected argument 'w'");
    cr_assert_str_eq(f.out, "z");
    for (int k = 0; k < 3; k++) {
        fixture_init(&f);
        cr_assert_eq(PARSE(&f, &help, "x.def", "--threads", "7", "--lef", "a"), PL_OK, "%s", pl_errmsg());
        cr_assert_eq(f.threads, 7);
        cr_assert_eq(f.nlef, 1);
        cr_assert_eq(f.p.n, 1);
    }
}

Test(options, unknown_long_options_suggest_the_closest_name)
{
    fixture f;
    int help;
    fixture_init(&f);
    expect_error(&f, "cmd: unknown option '--treads'; did you mean --threads? (see placer cmd --help)",
                 PARSE(&f, &help, "--treads", "4"));
    expect_error(&f, "cmd: unknown option '--sede'; did you mean --seed? (see placer cmd --help)",
                 PARSE(&f, &help, "--sede=3"));
    expect_error(&f, "cmd: unknown option '--hlep'; did you mean --help? (see placer cmd --help)",
                 PARSE(&f, &help, "--hlep"));
    expect_error(&f, "cmd: unknown option '--bogus' (see placer cmd --help)", PARSE(&f, &help, "--bogus"));
    const char *names[] = {"place", "info", "eval", "cluster", "render", "plot", "train", "gen", "help"};
    cr_assert_str_eq(pl_opts_closest("plcae", names, 9), "place"); /* a swap of neighbours is one edit */
    cr_assert_str_eq(pl_opts_closest("evl", names, 9), "eval");
    cr_assert_str_eq(pl_opts_closest("rendr", names, 9), "render");
    cr_assert_str_eq(pl_opts_closest("plt", names, 9), "plot");
    cr_assert_null(pl_opts_closest("xyz", names, 9));
    cr_assert_null(pl_opts_closest("", names, 9));
    cr_assert_null(pl_opts_closest("clusterizer", names, 9), "4 edits: too far");
    const char *tie[] = {"abd", "abe"};
    cr_assert_str_eq(pl_opts_closest("abc", tie, 2), "abd", "ties go to the first");
}
