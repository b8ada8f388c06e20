/* options.c: one getopt_long loop for every command, with table-driven conversions. */
#include "placer/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long's code for entry i: its short letter, else 256 + i (never a character). */
static int code_of(const pl_opt *e, int i) { return e->shrt ? e->shrt : 256 + i; }

static const pl_opt *entry_of(const pl_opt *t, int n, int code)
{
    for (int i = 0; i < n; i++)
        if (code_of(&t[i], i) == code) return &t[i];
    return NULL;
}

/* "--seed" or "-o", for messages. */
static const char *display(const pl_opt *e, char *buf, size_t len)
{
    if (e->name) snprintf(buf, len, "--%s", e->name);
    else snprintf(buf, len, "-%c", e->shrt);
    return buf;
}

static void store_int(void *dst, size_t size, long long v)
{
    if (size == sizeof(int32_t)) {
        int32_t x = (int32_t)v;
        memcpy(dst, &x, sizeof x);
    } else {
        PL_ASSERT(size == sizeof(int64_t));
        int64_t x = v;
        memcpy(dst, &x, sizeof x);
    }
}

static void store_real(void *dst, size_t size, double v)
{
    if (size == sizeof(float)) {
        float x = (float)v;
        memcpy(dst, &x, sizeof x);
    } else {
        PL_ASSERT(size == sizeof(double));
        memcpy(dst, &v, sizeof v);
    }
}

/* A base-10 integer at s, ending at the first character not part of it (*end). 0 when none or out
 * of range for `size` bytes or [lo, hi]. */
static int int_at(const char *s, char **end, size_t size, double lo, double hi, long long *out)
{
    errno = 0;
    long long k = strtoll(s, end, 10);
    if (*end == s || errno) return 0;
    if (size == sizeof(int32_t) && (k < INT32_MIN || k > INT32_MAX)) return 0;
    if ((double)k < lo || (double)k > hi) return 0;
    *out = k;
    return 1;
}

static int real_at(const char *s, char **end, const pl_opt *e, double *out)
{
    double x = strtod(s, end);
    if (*end == s || !isfinite(x)) return 0;
    if ((e->flags & PL_OPT_OPEN_LO) ? !(x > e->lo) : !(x >= e->lo)) return 0;
    if ((e->flags & PL_OPT_OPEN_HI) ? !(x < e->hi) : !(x <= e->hi)) return 0;
    *out = x;
    return 1;
}

/* The "wants ..." text of an entry: its own, else derived from the kind and range. */
static const char *wants(const pl_opt *e, char *buf, size_t len)
{
    if (e->want) return e->want;
    int has_lo = e->lo > -INFINITY, has_hi = e->hi < INFINITY;
    switch (e->kind) {
    case PL_OPTK_INT:
        if (has_lo && has_hi) snprintf(buf, len, "an integer from %.0f to %.0f", e->lo, e->hi);
        else if (has_lo && e->lo == 0) snprintf(buf, len, "a non-negative integer");
        else if (has_lo) snprintf(buf, len, "an integer >= %.0f", e->lo);
        else if (has_hi) snprintf(buf, len, "an integer <= %.0f", e->hi);
        else snprintf(buf, len, "an integer");
        break;
    case PL_OPTK_UINT64:
        snprintf(buf, len, "a non-negative integer");
        break;
    case PL_OPTK_DOUBLE:
        if (has_lo && has_hi)
            snprintf(buf, len, "a number in %c%.15g, %.15g%c", (e->flags & PL_OPT_OPEN_LO) ? '(' : '[', e->lo, e->hi,
                     (e->flags & PL_OPT_OPEN_HI) ? ')' : ']');
        else if (has_lo) snprintf(buf, len, "a number %s %.15g", (e->flags & PL_OPT_OPEN_LO) ? ">" : ">=", e->lo);
        else if (has_hi) snprintf(buf, len, "a number %s %.15g", (e->flags & PL_OPT_OPEN_HI) ? "<" : "<=", e->hi);
        else snprintf(buf, len, "a number");
        break;
    case PL_OPTK_INT_PAIR:
    case PL_OPTK_DOUBLE_PAIR:
        snprintf(buf, len, "two %s joined by '%c'", e->kind == PL_OPTK_INT_PAIR ? "integers" : "numbers", e->sep);
        break;
    case PL_OPTK_CHOICE: { /* "a, b or c" */
        size_t used = 0;
        for (const char *w = e->words; *w && used + 1 < len;) {
            size_t n = strcspn(w, "|");
            const char *join = w == e->words ? "" : w[n] ? ", " : " or ";
            int k = snprintf(buf + used, len - used, "%s%.*s", join, (int)n, w);
            used += k > 0 ? (size_t)k : 0;
            w += n + (w[n] == '|');
        }
        if (used >= len) buf[len - 1] = 0;
        break;
    }
    default:
        snprintf(buf, len, "a value");
        break;
    }
    return buf;
}

/* The index of v among "a|b|c", or -1. */
static int choice_index(const char *words, const char *v)
{
    size_t lv = strlen(v);
    int i = 0;
    for (const char *w = words; *w; i++) {
        size_t n = strcspn(w, "|");
        if (n == lv && !strncmp(w, v, n)) return i;
        w += n + (w[n] == '|');
    }
    return -1;
}

/* Converts v for entry e and stores it; one error line otherwise. */
static pl_status store(const char *cmd, const pl_opt *e, const char *v)
{
    char *end;
    long long k, k2;
    double x, x2;
    int ok = 1;
    switch (e->kind) {
    case PL_OPTK_FLAG:
        store_int(e->dst, e->size, e->value);
        break;
    case PL_OPTK_STRING:
        *(const char **)e->dst = v;
        break;
    case PL_OPTK_INT:
        ok = int_at(v, &end, e->size, e->lo, e->hi, &k) && !*end;
        if (ok) store_int(e->dst, e->size, k);
        break;
    case PL_OPTK_UINT64: {
        const char *p = v + strspn(v, " \t");
        errno = 0;
        unsigned long long u = strtoull(p, &end, 0);
        ok = end != p && !*end && !errno && *p != '-';
        PL_ASSERT(e->size == sizeof(uint64_t));
        if (ok) {
            uint64_t w = u;
            memcpy(e->dst, &w, sizeof w);
        }
        break;
    }
    case PL_OPTK_DOUBLE:
        ok = real_at(v, &end, e, &x) && !*end;
        if (ok) store_real(e->dst, e->size, x);
        break;
    case PL_OPTK_INT_PAIR:
        ok = int_at(v, &end, e->size, e->lo, e->hi, &k) && *end == e->sep &&
             int_at(end + 1, &end, e->size, e->lo, e->hi, &k2) && !*end;
        if (ok) store_int(e->dst, e->size, k), store_int(e->dst2, e->size, k2);
        break;
    case PL_OPTK_DOUBLE_PAIR:
        ok = real_at(v, &end, e, &x) && *end == e->sep && real_at(end + 1, &end, e, &x2) && !*end;
        if (ok) store_real(e->dst, e->size, x), store_real(e->dst2, e->size, x2);
        break;
    case PL_OPTK_CHOICE: {
        int i = choice_index(e->words, v);
        ok = i >= 0;
        if (ok) store_int(e->dst, e->size, i);
        break;
    }
    case PL_OPTK_REPEAT: {
        char nm[64];
        if (*e->count >= e->max)
            return pl_err(PL_EINVAL, "%s: too many %s options (at most %d)", cmd, display(e, nm, sizeof nm), e->max);
        ((const char **)e->dst)[(*e->count)++] = v;
        break;
    }
    case PL_OPTK_CUSTOM:
        ok = e->conv(v, e->dst);
        break;
    }
    if (!ok) {
        char nm[64], w[256];
        return pl_err(PL_EINVAL, "%s: %s wants %s, not '%s'", cmd, display(e, nm, sizeof nm), wants(e, w, sizeof w), v);
    }
    if (e->set) *e->set = 1;
    return PL_OK;
}

/* Optimal string alignment distance of a[0..la) and b[0..lb), both at most 63 bytes. */
static int edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    int d[64][64];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]), del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            int v = sub < del ? sub : del;
            v = v < ins ? v : ins;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

const char *pl_opts_closest(const char *given, const char *const *names, int n)
{
    size_t lg = strlen(given);
    if (lg == 0 || lg > 63) return NULL;
    int limit = 1 + (int)lg / 4, best = limit > 3 ? 3 : limit;
    const char *pick = NULL;
    for (int i = 0; i < n; i++) {
        if (!names[i] || strlen(names[i]) > 63) continue;
        int dist = edit_distance(given, lg, names[i], strlen(names[i]));
        if (dist <= best && (!pick || dist < best)) pick = names[i], best = dist;
    }
    return pick;
}

/* '?' from getopt_long: an unknown or ambiguous option, or a value given to a flag. */
static pl_status bad_option(const char *cmd, const pl_opt *t, int n, int code, const char *arg)
{
    char nm[64];
    const pl_opt *e = code ? entry_of(t, n, code) : NULL;
    if ((e || code == 'h') && arg && !strncmp(arg, "--", 2))
        return pl_err(PL_EINVAL, "%s: %s takes no value, not '%s' (see placer %s --help)", cmd,
                      e ? display(e, nm, sizeof nm) : "--help", strchr(arg, '=') ? strchr(arg, '=') + 1 : "", cmd);
    if (code) return pl_err(PL_EINVAL, "%s: unknown option '-%c' (see placer %s --help)", cmd, code, cmd);
    /* a long option: the text up to '=', then every entry it abbreviates */
    size_t len = arg ? strcspn(arg + 2, "=") : 0;
    char list[512];
    size_t used = 0;
    int matches = 0;
    for (int i = 0; arg && i <= n; i++) { /* the table, then "help" */
        const char *name = i < n ? t[i].name : "help";
        if (!name || strncmp(name, arg + 2, len) != 0) continue;
        int k = snprintf(list + used, sizeof list - used, "%s--%s", matches ? ", " : "", name);
        if (k > 0 && (size_t)k < sizeof list - used) used += (size_t)k;
        matches++;
    }
    if (matches > 1)
        return pl_err(PL_EINVAL, "%s: ambiguous option '--%.*s': %s (see placer %s --help)", cmd, (int)len, arg + 2,
                      list, cmd);
    const char *names[PL_OPTS_MAX + 1];
    for (int i = 0; i < n; i++) names[i] = t[i].name;
    names[n] = "help";
    char given[64];
    const char *near = arg && len < sizeof given ? (snprintf(given, sizeof given, "%.*s", (int)len, arg + 2),
                                                    pl_opts_closest(given, names, n + 1))
                                                 : NULL;
    if (near)
        return pl_err(PL_EINVAL, "%s: unknown option '%.*s'; did you mean --%s? (see placer %s --help)", cmd,
                      (int)len + 2, arg, near, cmd);
    return pl_err(PL_EINVAL, "%s: unknown option '%.*s' (see placer %s --help)", cmd, arg ? (int)len + 2 : 0,
                  arg ? arg : "", cmd);
}

static pl_status positional(const char *cmd, pl_opt_pos *pos, const char *a)
{
    if (!pos || pos->n >= pos->max) {
        const char *hint = pos ? pos->too_many : NULL;
        return pl_err(PL_EINVAL, "%s: unexpected argument '%s'%s%s%s", cmd, a, hint ? " (" : "", hint ? hint : "",
                      hint ? ")" : "");
    }
    pos->v[pos->n++] = a;
    return PL_OK;
}

pl_status pl_opts_parse(const char *cmd, const pl_opt *t, int argc, char **argv, pl_opt_pos *pos, int *help)
{
    int n = 0;
    while (t[n].name || t[n].shrt) n++;
    PL_ASSERT(n <= PL_OPTS_MAX);
    struct option longs[PL_OPTS_MAX + 2];
    /* '-': positional arguments come back in order as code 1; ':': a missing value is ':' */
    char shorts[3 * PL_OPTS_MAX + 8] = "-:h";
    size_t ns = strlen(shorts);
    int nl = 0;
    for (int i = 0; i < n; i++) {
        int takes = t[i].kind != PL_OPTK_FLAG;
        PL_ASSERT(t[i].shrt != 'h' && (!t[i].name || strcmp(t[i].name, "help") != 0));
        if (t[i].name) longs[nl++] = (struct option){t[i].name, takes ? required_argument : no_argument, NULL, code_of(&t[i], i)};
        if (t[i].shrt) {
            shorts[ns++] = (char)t[i].shrt;
            if (takes) shorts[ns++] = ':';
        }
    }
    shorts[ns] = 0;
    longs[nl++] = (struct option){"help", no_argument, NULL, 'h'};
    longs[nl] = (struct option){NULL, 0, NULL, 0};
    *help = 0;
    if (pos) pos->n = 0;
    optind = 0; /* a full restart: commands may run several times in one process */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == 1) {
            PL_TRY(positional(cmd, pos, optarg));
        } else if (c == 'h') {
            *help = 1;
            return PL_OK;
        } else if (c == ':') {
            char nm[64];
            const pl_opt *e = entry_of(t, n, optopt);
            return pl_err(PL_EINVAL, "%s: %s needs a value (see placer %s --help)", cmd,
                          e ? display(e, nm, sizeof nm) : "an option", cmd);
        } else if (c == '?') {
            return bad_option(cmd, t, n, optopt, optind > 1 && optind <= argc ? argv[optind - 1] : NULL);
        } else {
            const pl_opt *e = entry_of(t, n, c);
            PL_ASSERT(e);
            PL_TRY(store(cmd, e, optarg));
        }
    }
    for (; optind < argc; optind++) PL_TRY(positional(cmd, pos, argv[optind])); /* after "--" */
    return PL_OK;
}
