/* testutil.h: helpers shared by the Criterion tests (header-only, static functions).
 * Tests run from the repository root (make test). Shared designs come from $PL_SHARED
 * (default ../shared); tests that need them call PL_NEED_SHARED() and are skipped with a
 * message when the folder is absent. */
#ifndef PL_TESTUTIL_H
#define PL_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static inline const char *pl_test_shared(void)
{
    const char *s = getenv("PL_SHARED");
    return s && *s ? s : "../shared";
}

/* Path under the shared folder, in a static ring of buffers. */
static inline const char *pl_test_shared_path(const char *rel)
{
    static char buf[16][1024];
    static int k;
    char *b = buf[k++ & 15];
    snprintf(b, sizeof buf[0], "%s/%s", pl_test_shared(), rel);
    return b;
}

static inline int pl_test_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

#define PL_NEED_SHARED(rel)                                                                    \
    do {                                                                                       \
        if (!pl_test_exists(pl_test_shared_path(rel)))                                         \
            cr_skip_test("shared design %s absent (set PL_SHARED or place ../shared)", (rel)); \
    } while (0)

static inline const char *pl_test_placer(void)
{
    const char *s = getenv("PL_PLACER");
    return s && *s ? s : "build/placer";
}

/* A fresh temporary folder (not removed: tests write small files into /tmp). */
static inline const char *pl_test_tmpdir(void)
{
    static char buf[8][64];
    static int k;
    char *b = buf[k++ & 7];
    snprintf(b, sizeof buf[0], "/tmp/pl_test_XXXXXX");
    cr_assert_not_null(mkdtemp(b));
    return b;
}

/* Runs a shell command; stdout and stderr captured into malloc'd strings. Returns the exit code. */
static inline int pl_test_run(const char *cmd, char **out, char **err)
{
    const char *dir = pl_test_tmpdir();
    char full[8192], fo[128], fe[128];
    snprintf(fo, sizeof fo, "%s/out", dir);
    snprintf(fe, sizeof fe, "%s/err", dir);
    int w = snprintf(full, sizeof full, "%s >%s 2>%s", cmd, fo, fe);
    cr_assert_lt(w, (int)sizeof full, "command too long");
    int rc = system(full);
    const char *names[2] = {fo, fe};
    char **dst[2] = {out, err};
    for (int i = 0; i < 2; i++) {
        if (!dst[i]) continue;
        FILE *fp = fopen(names[i], "rb");
        size_t cap = 1 << 16, n = 0;
        char *s = malloc(cap);
        if (fp) {
            size_t got;
            while ((got = fread(s + n, 1, cap - n - 1, fp)) > 0) {
                n += got;
                if (n + 1 >= cap) s = realloc(s, cap *= 2);
            }
            fclose(fp);
        }
        s[n] = 0;
        *dst[i] = s;
    }
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* The whole file plus a NUL, malloc'd (the test fails if it cannot be read); *len gets its size
 * when len is not NULL. */
static inline char *pl_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "short read of %s", path);
    buf[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return buf;
}

static inline int pl_test_count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

#endif
