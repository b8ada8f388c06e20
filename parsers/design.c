/* design.c: reading a LEF/DEF design in one call, and finding the LEF files of a folder or beside a DEF. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "parsers/def.h"
#include "parsers/lef.h"
#include "core/log.h"

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* 1 when a LEF line starting at p opens with the keyword kw (then a blank or the line's end). */
static int keyword(const char *p, const char *kw)
{
    p += strspn(p, " \t");
    size_t n = strlen(kw);
    return !strncmp(p, kw, n) && (p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r' || !p[n]);
}

/* 0: not a LEF; 1: *.tlef, or a LEF that defines layers or sites and no macro (a technology LEF); 2: a LEF
 * that defines layers or sites before its macros; 3: another LEF. The content is read (plain or gzip) up
 * to the first MACRO; a file that cannot be read is a 3, and its reader says why. */
static int lef_rank(const char *dir, const char *name)
{
    if (ends_with(name, ".tlef") || ends_with(name, ".tlef.gz")) return 1;
    if (!(ends_with(name, ".lef") || ends_with(name, ".lef.gz"))) return 0;
    char path[4096], line[1024];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return 3;
    gzFile f = gzopen(path, "rb");
    if (!f) return 3;
    int defs = 0, macro = 0;
    while (!macro && gzgets(f, line, sizeof line)) {
        macro = keyword(line, "MACRO");
        defs |= keyword(line, "LAYER") || keyword(line, "SITE");
        size_t len = strlen(line);
        while (len && line[len - 1] != '\n' && gzgets(f, line, sizeof line)) len = strlen(line); /* a long line */
    }
    gzclose(f);
    return defs ? (macro ? 2 : 1) : 3;
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
    return pl_lef_find_dir(dir, out, n);
}

pl_status pl_lef_find_dir(const char *dir, char ***out, int *n)
{
    *out = NULL;
    *n = 0;
    DIR *dp = opendir(dir);
    if (!dp) return pl_err(PL_EIO, "%s: cannot list the folder to find LEF files", dir);
    int dl = (int)strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--; /* "libs/" gives libs/x.lef */
    ranked *list = NULL;
    int64_t cnt = 0, cap = 0;
    pl_status s = PL_OK;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        int r = lef_rank(dir, e->d_name);
        if (!r) continue;
        if ((s = PL_GROW(list, cap, cnt + 1)) != PL_OK) break;
        size_t len = (size_t)dl + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) {
            s = pl_err(PL_ENOMEM, "out of memory");
            break;
        }
        snprintf(p, len, "%.*s%s%s", dl, dir, dir[dl - 1] == '/' ? "" : "/", e->d_name);
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
    if (cnt) qsort(list, (size_t)cnt, sizeof *list, cmp_ranked); /* list is NULL when empty */
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
