/* tmpfile.c: see tmpfile.h. */
#include "core/tmpfile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkstemps on the template name (XXXXXX, then suffixlen more bytes), with the mode of a new ordinary file. */
static int make_temp(char *name, int suffixlen)
{
    int f = mkstemps(name, suffixlen);
    if (f < 0) return -1;
    mode_t um = umask(022);
    umask(um);
    if (fchmod(f, 0666 & ~um) != 0) { /* keeps mkstemp's 0600: still a valid output */
    }
    return f;
}

pl_status pl_tmpfile_create(const char *path, char **tmp, int *fd)
{
    size_t n = strlen(path) + 16;
    char *name = malloc(n);
    if (!name) return pl_err(PL_ENOMEM, "%s: out of memory", path);
    snprintf(name, n, "%s.tmp.XXXXXX", path);
    int f = make_temp(name, 0);
    if (f < 0) {
        pl_status s = pl_err(PL_EIO, "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
        free(name);
        return s;
    }
    *tmp = name;
    *fd = f;
    return PL_OK;
}

pl_status pl_tmpfile_open(const char *path, char **tmp, FILE **fp)
{
    int fd;
    PL_TRY(pl_tmpfile_create(path, tmp, &fd));
    *fp = fdopen(fd, "wb");
    if (*fp) return PL_OK;
    pl_status s = pl_err(PL_EIO, "%s: cannot open a temporary file for writing: %s", path, strerror(errno));
    close(fd);
    unlink(*tmp);
    free(*tmp);
    *tmp = NULL;
    return s;
}

pl_status pl_tmpfile_finish(pl_status s, FILE *fp, char *tmp, const char *path)
{
    if (fp) {
        if (s == PL_OK && (fflush(fp) != 0 || ferror(fp)))
            s = pl_err(PL_EIO, "%s: write error: %s", path, strerror(errno));
        if (fclose(fp) != 0 && s == PL_OK) s = pl_err(PL_EIO, "%s: write error: %s", path, strerror(errno));
    }
    if (s == PL_OK && rename(tmp, path) != 0)
        s = pl_err(PL_EIO, "%s: cannot rename the temporary file into place: %s", path, strerror(errno));
    if (s != PL_OK) unlink(tmp);
    free(tmp);
    return s;
}

/* ---- output sets ---- */

struct pl_outset_file {
    char *path;       /* as given */
    char *real;       /* resolved: realpath of the file, or of its folder plus its name; NULL if neither */
    char *stage;      /* outputs: the staging file, NULL once committed or for a check-only output */
    const char *what; /* borrowed: "the design", "--report" */
    int output, have_stat;
    dev_t dev;
    ino_t ino;
};

void pl_outset_init(pl_outset *o, const char *cmd)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
}

/* The resolved path of p: realpath when p exists, else realpath of its folder plus its file name. */
static char *resolve(const char *p)
{
    char buf[PATH_MAX];
    if (realpath(p, buf)) return strdup(buf);
    const char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    char dir[PATH_MAX];
    if (slash) {
        size_t n = (size_t)(slash - p);
        if (n >= sizeof dir) return NULL;
        memcpy(dir, p, n);
        dir[n] = 0;
        if (n == 0) strcpy(dir, "/");
    } else {
        strcpy(dir, ".");
    }
    if (!realpath(dir, buf) || !*base) return NULL;
    size_t need = strlen(buf) + strlen(base) + 2;
    char *r = malloc(need);
    if (r) snprintf(r, need, "%s%s%s", buf, strcmp(buf, "/") ? "/" : "", base);
    return r;
}

static int same_file(const pl_outset_file *a, const pl_outset_file *b)
{
    if (a->have_stat && b->have_stat && a->dev == b->dev && a->ino == b->ino) return 1;
    if (a->real && b->real) return !strcmp(a->real, b->real);
    return !strcmp(a->path, b->path);
}

/* Adds one entry and checks it against the others; the entry stays (freed with the set) either way. */
static pl_status add(pl_outset *o, const char *path, const char *what, int output, pl_outset_file **out)
{
    if (o->n == o->cap) {
        int cap = o->cap ? 2 * o->cap : 8;
        pl_outset_file *f = realloc(o->f, (size_t)cap * sizeof *f);
        if (!f) return pl_err(PL_ENOMEM, "%s: out of memory", o->cmd);
        o->f = f, o->cap = cap;
    }
    pl_outset_file *e = &o->f[o->n];
    memset(e, 0, sizeof *e);
    e->path = strdup(path);
    if (!e->path) return pl_err(PL_ENOMEM, "%s: out of memory", o->cmd);
    o->n++;
    e->what = what;
    e->output = output;
    e->real = resolve(path);
    struct stat st;
    if (stat(path, &st) == 0) {
        e->have_stat = 1, e->dev = st.st_dev, e->ino = st.st_ino;
        if (output && !S_ISREG(st.st_mode))
            return pl_err(PL_EINVAL, "%s: %s %s exists and is not a regular file", o->cmd, what, path);
    }
    for (int i = 0; i < o->n - 1; i++) {
        const pl_outset_file *x = &o->f[i];
        if (!(x->output || output) || !same_file(x, e)) continue;
        const pl_outset_file *in = !x->output ? x : !output ? e : NULL, *ou = x->output ? x : e;
        if (in)
            return pl_err(PL_EINVAL, "%s: %s %s is the same file as %s %s: an output never replaces an input",
                          o->cmd, ou->what, ou->path, in->what, in->path);
        return pl_err(PL_EINVAL, "%s: %s %s and %s %s are the same file", o->cmd, x->what, x->path, what, path);
    }
    *out = e;
    return PL_OK;
}

pl_status pl_outset_input(pl_outset *o, const char *path, const char *what)
{
    pl_outset_file *e;
    return add(o, path, what, 0, &e);
}

pl_status pl_outset_output(pl_outset *o, const char *path, const char *what, const char **stage)
{
    pl_outset_file *e;
    if (!*path) return pl_err(PL_EINVAL, "%s: %s needs a file name", o->cmd, what);
    PL_TRY(add(o, path, what, 1, &e));
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base) return pl_err(PL_EINVAL, "%s: %s %s names a folder, not a file", o->cmd, what, path);
    size_t n = strlen(path) + strlen(base) + 16;
    char *name = malloc(n);
    if (!name) return pl_err(PL_ENOMEM, "%s: out of memory", o->cmd);
    snprintf(name, n, "%s.tmp.XXXXXX.%s", path, base);
    int fd = make_temp(name, (int)strlen(base) + 1);
    if (fd < 0) {
        pl_status s = pl_err(PL_EIO, "%s: %s %s: cannot write there: %s", o->cmd, what, path, strerror(errno));
        free(name);
        return s;
    }
    close(fd);
    unlink(name); /* the name stays reserved in practice (random); a run killed midway leaves nothing */
    if (!stage) { /* the check alone */
        free(name);
        return PL_OK;
    }
    e->stage = name;
    *stage = name;
    return PL_OK;
}

pl_status pl_outset_commit(pl_outset *o)
{
    for (int i = 0; i < o->n; i++) {
        pl_outset_file *e = &o->f[i];
        if (!e->stage) continue;
        if (rename(e->stage, e->path) != 0)
            return pl_err(PL_EIO, "%s: %s %s: cannot rename the finished file into place: %s%s", o->cmd, e->what,
                          e->path, strerror(errno), errno == ENOENT ? " (it was never written)" : "");
        free(e->stage);
        e->stage = NULL;
    }
    return PL_OK;
}

void pl_outset_unlink_staged(const pl_outset *o)
{
    for (int i = 0; o && i < o->n; i++)
        if (o->f[i].stage) unlink(o->f[i].stage);
}

void pl_outset_free(pl_outset *o)
{
    if (!o) return;
    for (int i = 0; i < o->n; i++) {
        if (o->f[i].stage) unlink(o->f[i].stage);
        free(o->f[i].stage);
        free(o->f[i].path);
        free(o->f[i].real);
    }
    free(o->f);
    o->f = NULL;
    o->n = o->cap = 0;
}
