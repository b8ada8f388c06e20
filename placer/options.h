/* options.h: the command-line options of the commands, one table each, parsed by one loop.
 *
 * Contract: pl_opts_parse() runs glibc's getopt_long over argv[1..] (argv[0] is the command), so
 * every command takes `--opt value`, `--opt=value`, unambiguous abbreviations of long options,
 * clustered short options, `-h`/`--help`, and `--` ending the options. Each value is converted
 * and range-checked as its table entry says and written through the entry's pointer; the caller
 * owns every destination, and strings point into argv. A bad option records one line with
 * pl_err(PL_EINVAL), "<cmd>: --seed wants a non-negative integer, not 'x'", and stops. Not
 * thread-safe (getopt's globals); reentrant in sequence: each call starts afresh.
 */
#ifndef PL_OPTIONS_H
#define PL_OPTIONS_H

#include <math.h>
#include <stddef.h>

#include "core/status.h"

typedef enum pl_opt_kind {
    PL_OPTK_FLAG,        /* no value: stores `value` into the int *dst */
    PL_OPTK_STRING,      /* const char **dst */
    PL_OPTK_INT,         /* int or int64 *dst (by size), base 10, in [lo, hi] */
    PL_OPTK_UINT64,      /* uint64_t *dst, any base strtoull takes (0x.., 0..), no sign */
    PL_OPTK_DOUBLE,      /* double or float *dst (by size), finite, in [lo, hi] (flags: open ends) */
    PL_OPTK_INT_PAIR,    /* "A<sep>B": int *dst, int *dst2, each in [lo, hi] */
    PL_OPTK_DOUBLE_PAIR, /* "A<sep>B": double *dst, double *dst2, each in [lo, hi] (flags) */
    PL_OPTK_CHOICE,      /* one of `words` ("fd|keep"): its index into the int or enum *dst */
    PL_OPTK_REPEAT,      /* const char *dst[max], *count of them; one more per use */
    PL_OPTK_CUSTOM       /* conv(value, dst) says whether value is good and stores it */
} pl_opt_kind;

enum { PL_OPT_OPEN_LO = 1, PL_OPT_OPEN_HI = 2 }; /* flags: (lo, ...] and [..., hi) */

typedef struct pl_opt {
    const char *name;  /* long name without "--"; NULL: the short letter alone */
    int shrt;          /* short letter ('o' for -o) or 0 */
    pl_opt_kind kind;
    void *dst;         /* where the value goes (type per kind, above) */
    size_t size;       /* sizeof *dst: FLAG, INT, DOUBLE, CHOICE, pairs */
    double lo, hi;     /* INT, DOUBLE, pairs: the range; -INFINITY/INFINITY: unbounded */
    int flags;         /* PL_OPT_OPEN_LO | PL_OPT_OPEN_HI */
    int value;         /* FLAG: what it stores */
    char sep;          /* pairs: 'x' or ',' */
    void *dst2;        /* pairs: the second number */
    const char *words; /* CHOICE: "analytic|ct" */
    int *count, max;   /* REPEAT */
    int (*conv)(const char *value, void *dst); /* CUSTOM: 1 when good (and stored), 0 otherwise */
    const char *want;  /* the error's "wants ..." text instead of the one derived from the kind */
    int *set;          /* not NULL: set to 1 when the option is given */
} pl_opt;

/* Table entries, each inside braces; more fields may follow: {PL_OPT_INT(...), .set = &x}.
 * A table ends with {0}. */
#define PL_OPT_FLAG(nm, c, d, v) .name = (nm), .shrt = (c), .kind = PL_OPTK_FLAG, .dst = (d), .size = sizeof *(d), .value = (v)
#define PL_OPT_STRING(nm, c, d) .name = (nm), .shrt = (c), .kind = PL_OPTK_STRING, .dst = (d)
#define PL_OPT_INT(nm, c, d, l, h) \
    .name = (nm), .shrt = (c), .kind = PL_OPTK_INT, .dst = (d), .size = sizeof *(d), .lo = (l), .hi = (h)
#define PL_OPT_UINT64(nm, c, d) .name = (nm), .shrt = (c), .kind = PL_OPTK_UINT64, .dst = (d), .size = sizeof *(d)
#define PL_OPT_DOUBLE(nm, c, d, l, h) \
    .name = (nm), .shrt = (c), .kind = PL_OPTK_DOUBLE, .dst = (d), .size = sizeof *(d), .lo = (l), .hi = (h)
#define PL_OPT_INT_PAIR(nm, sp, d1, d2, l, h)                                                                 \
    .name = (nm), .kind = PL_OPTK_INT_PAIR, .sep = (sp), .dst = (d1), .dst2 = (d2), .size = sizeof *(d1), \
    .lo = (l), .hi = (h)
#define PL_OPT_DOUBLE_PAIR(nm, sp, d1, d2, l, h)                                                                 \
    .name = (nm), .kind = PL_OPTK_DOUBLE_PAIR, .sep = (sp), .dst = (d1), .dst2 = (d2), .size = sizeof *(d1), \
    .lo = (l), .hi = (h)
#define PL_OPT_CHOICE(nm, c, d, w) .name = (nm), .shrt = (c), .kind = PL_OPTK_CHOICE, .dst = (d), .size = sizeof *(d), .words = (w)
#define PL_OPT_REPEAT(nm, c, arr, n, m) .name = (nm), .shrt = (c), .kind = PL_OPTK_REPEAT, .dst = (arr), .count = (n), .max = (m)
#define PL_OPT_CUSTOM(nm, c, d, f, w) .name = (nm), .shrt = (c), .kind = PL_OPTK_CUSTOM, .dst = (d), .conv = (f), .want = (w)

/* The positional arguments, in order. */
typedef struct pl_opt_pos {
    const char **v;       /* (max) */
    int max;              /* room in v; one more is an error */
    int n;                /* out: how many were given */
    const char *too_many; /* that error's hint: "one DESIGN only" (NULL: none) */
} pl_opt_pos;

/* At most this many entries in a table. */
enum { PL_OPTS_MAX = 64 };

/* Parses argv[1..argc-1] by `table` for command `cmd` ("place": starts every error line and names
 * `placer place --help`). *help = 1 (and PL_OK, at once) on -h/--help. pos may be NULL when the
 * command takes no positional argument. Destinations of options not given are left untouched. */
pl_status pl_opts_parse(const char *cmd, const pl_opt *table, int argc, char **argv, pl_opt_pos *pos, int *help);

/* The word of names[0..n) closest to `given` by edit distance (insertions, deletions, substitutions and
 * swaps of neighbours, each 1), when it is close enough to be a typo (at most 1 + strlen(given) / 4 edits, at
 * most 3); NULL otherwise. Ties: the first. For "did you mean ...?" hints. */
const char *pl_opts_closest(const char *given, const char *const *names, int n);

#endif
