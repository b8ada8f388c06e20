/* design.c: reading a LEF/DEF design in one call, and finding the LEF files beside a DEF. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/def.h"
#include "parsers/lef.h"
#include "core/log.h"

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* 0: not a LEF; 1: *.tlef; 2: a LEF named like a technology file; 3: another LEF. */
static int lef_rank(const char *name)
{
    if (ends_with(name, ".tlef") || ends_with(name, ".tlef.gz")) return 1;
    if (!(ends_with(name, ".lef") || ends_with(name, ".lef.gz"))) return 0;
    return strstr(name, "tech") ? 2 : 3;
}

typedef struct ranked {
    int rank;
    char *path;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->rank != y->rank) return x->rank - y->rank;
    return strcmp(x->path, y->path);
}

void pl_def_free_lefs(char **lefs, int n)
{
    if (!lefs) return;
    for (int i = 0; i < n; i++) free(lefs[i]);
    free(lefs);
}

pl_status pl_def_find_lefs(const char *def_path, char ***out, int *n)
{
    *out = NULL;
    *n = 0;
    const char *slash = strrchr(def_path, '/');
    size_t dlen = slash ? (size_t)(slash - def_path) : 0;
    char dir[4096];
    if (dlen >= sizeof dir) return pl_err(PL_EINVAL, "%s: path too long", def_path);
    if (slash) {
        memcpy(dir, def_path, dlen);
        dir[dlen] = '\0';
        if (dlen == 0) strcpy(dir, "/");
    } else
        strcpy(dir, ".");
    DIR *dp = opendir(dir);
    if (!dp) return pl_err(PL_EIO, "%s: cannot list the folder to find LEF files", dir);
    ranked *list = NULL;
    int64_t cnt = 0, cap = 0;
    pl_status s = PL_OK;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        int r = lef_rank(e->d_name);
        if (!r) continue;
        if ((s = PL_GROW(list, cap, cnt + 1)) != PL_OK) break;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) {
            s = pl_err(PL_ENOMEM, "out of memory");
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        list[cnt++] = (ranked){r, p};
    }
    closedir(dp);
    char **paths = s == PL_OK ? malloc((size_t)(cnt ? cnt : 1) * sizeof *paths) : NULL;
    if (s == PL_OK && !paths) s = pl_err(PL_ENOMEM, "out of memory");
    if (s != PL_OK) {
        for (int64_t i = 0; i < cnt; i++) free(list[i].path);
        free(list);
        return s;
    }
    qsort(list, (size_t)cnt, sizeof *list, cmp_ranked);
    for (int64_t i = 0; i < cnt; i++) paths[i] = list[i].path;
    free(list);
    *out = paths;
    *n = (int)cnt;
    return PL_OK;
}

pl_status pl_design_read(pl_netlist *nl, const char *def_path, const char *const *lefs, int nlef)
{
    if (nlef > 0) {
        for (int i = 0; i < nlef; i++) PL_TRY(pl_lef_read(nl, lefs[i]));
        return pl_def_read(nl, def_path);
    }
    char **found;
    int n;
    PL_TRY(pl_def_find_lefs(def_path, &found, &n));
    if (n == 0)
        pl_warn("parse", "no --lef given and no .tlef/.lef files beside %s", def_path);
    pl_status s = PL_OK;
    for (int i = 0; i < n && s == PL_OK; i++) {
        pl_info("parse", "reading %s", found[i]);
        s = pl_lef_read(nl, found[i]);
    }
    pl_def_free_lefs(found, n);
    PL_TRY(s);
    return pl_def_read(nl, def_path);
}
