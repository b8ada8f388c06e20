/* inputs.c: a design's input files declared to an output set; see inputs.h. */
#include "placer/inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/problem.h"
#include "core/json.h"
#include "gnn/gpu.h"
#include "parsers/bookshelf.h"
#include "parsers/def.h"
#include "parsers/textfile.h"

/* Declares the n files a lister found (and frees them); a lister that failed (listed) adds nothing. */
static pl_status declare(pl_outset *os, pl_status listed, char **files, int n, const char *what)
{
    if (listed != PL_OK) {
        pl_err_clear(); /* the reader says it again, with its context */
        return PL_OK;
    }
    pl_status s = PL_OK;
    for (int i = 0; i < n && s == PL_OK; i++) s = pl_outset_input(os, files[i], what);
    pl_def_free_lefs(files, n);
    return s;
}

pl_status pl_inputs_design(pl_outset *os, const char *design, const char *placement, const char *const *lefs,
                           int nlef, int plc_beside)
{
    if (design) PL_TRY(pl_outset_input(os, design, "the design"));
    if (placement) PL_TRY(pl_outset_input(os, placement, "the placement"));
    for (int i = 0; i < nlef; i++) PL_TRY(pl_outset_input(os, lefs[i], "the LEF"));
    if (!design) return PL_OK;
    char **files = NULL;
    int n = 0;
    if (pl_bookshelf_is_aux(design)) {
        pl_status listed = pl_bookshelf_files(design, &files, &n);
        return declare(os, listed, files, n, "the design");
    }
    if (pl_problem_is_def(design) && nlef == 0) {
        pl_status listed = pl_def_find_lefs(design, &files, &n);
        return declare(os, listed, files, n, "the LEF");
    }
    if (!pl_problem_is_def(design) && !placement && plc_beside) { /* as cluster/problem.c finds it */
        const char *slash = strrchr(design, '/');
        int dl = slash ? (int)(slash - design) : 1;
        char buf[4096];
        snprintf(buf, sizeof buf, "%.*s/initial.plc", dl, slash ? design : ".");
        struct stat sb;
        if (stat(buf, &sb) == 0) PL_TRY(pl_outset_input(os, buf, "the placement"));
    }
    return PL_OK;
}

int pl_inputs_macros_conv(const char *value, void *dst)
{
    if (pl_bookshelf_options_parse(dst, value) == PL_OK) return 1;
    pl_err_clear(); /* the option parser says what it wants */
    return 0;
}

int pl_inputs_device_conv(const char *value, void *dst)
{
    if (pl_gnn_device_parse(value, dst) == PL_OK) return 1;
    pl_err_clear(); /* the option parser says what it wants */
    return 0;
}

void pl_inputs_lefs_free(pl_lef_extra *x)
{
    if (!x) return;
    pl_def_free_lefs(x->owned, x->nowned);
    x->owned = NULL;
    x->nowned = 0;
}

/* Takes the n paths of v (malloc'd, as pl_def_find_lefs gives them) into x and appends them to lefs. */
static pl_status adopt(pl_lef_extra *x, const char *cmd, char **v, int n, const char **lefs, int *nlef, int max,
                       const char *what)
{
    char **grown = realloc(x->owned, (size_t)(x->nowned + n + 1) * sizeof *grown);
    if (!grown) {
        pl_def_free_lefs(v, n);
        return pl_err(PL_ENOMEM, "%s: out of memory", cmd);
    }
    x->owned = grown;
    for (int i = 0; i < n; i++) x->owned[x->nowned++] = v[i];
    free(v);
    if (*nlef + n > max) return pl_err(PL_EINVAL, "%s: %s: more than %d LEF files in all", cmd, what, max);
    for (int i = 0; i < n; i++) lefs[(*nlef)++] = x->owned[x->nowned - n + i];
    return PL_OK;
}

/* The "lefs" list of a `placer place` report, as malloc'd strings. */
static pl_status report_lefs(const char *cmd, const char *path, char ***out, int *n)
{
    *out = NULL, *n = 0;
    pl_textfile f;
    json_object *o = NULL, *a = NULL;
    pl_status s = pl_textfile_read_text(&f, path, "JSON report");
    if (s == PL_OK) {
        s = pl_json_parse_line(f.data, f.len, path, 1, &o);
        pl_textfile_free(&f);
    }
    if (s != PL_OK) return pl_err(s, "%s: --lef-from: %s", cmd, pl_errmsg());
    if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "lefs", &a) ||
        !json_object_is_type(a, json_type_array))
        s = pl_err(PL_EINVAL, "%s: --lef-from %s: no \"lefs\" list (give the --report of `placer place`)", cmd, path);
    int k = s == PL_OK ? (int)json_object_array_length(a) : 0;
    char **v = s == PL_OK ? calloc((size_t)k + 1, sizeof *v) : NULL;
    if (s == PL_OK && !v) s = pl_err(PL_ENOMEM, "%s: out of memory", cmd);
    for (int i = 0; i < k && s == PL_OK; i++) {
        json_object *e = json_object_array_get_idx(a, (size_t)i);
        if (!json_object_is_type(e, json_type_string) || !json_object_get_string_len(e))
            s = pl_err(PL_EINVAL, "%s: --lef-from %s: \"lefs\" item %d is not a file name", cmd, path, i + 1);
        else if (!(v[i] = strdup(json_object_get_string(e))))
            s = pl_err(PL_ENOMEM, "%s: out of memory", cmd);
    }
    if (s == PL_OK && k == 0)
        s = pl_err(PL_EINVAL, "%s: --lef-from %s: the \"lefs\" list is empty (that run read no LEF)", cmd, path);
    json_object_put(o);
    if (s != PL_OK) {
        pl_def_free_lefs(v, k);
        return s;
    }
    *out = v, *n = k;
    return PL_OK;
}

pl_status pl_inputs_lefs(pl_lef_extra *x, const char *cmd, const char **lefs, int *nlef, int max, const char *beside)
{
    char **v;
    int n;
    if (x->from) {
        if (*nlef || x->ndir)
            return pl_err(PL_EINVAL, "%s: --lef-from gives the whole LEF list: not with --lef or --lef-dir", cmd);
        PL_TRY(report_lefs(cmd, x->from, &v, &n));
        return adopt(x, cmd, v, n, lefs, nlef, max, x->from);
    }
    for (int d = 0; d < x->ndir; d++) {
        pl_status s = pl_lef_find_dir(x->dirs[d], &v, &n);
        if (s != PL_OK) return pl_err(s, "%s: --lef-dir: %s", cmd, pl_errmsg());
        if (n == 0) {
            pl_def_free_lefs(v, n);
            return pl_err(PL_EINVAL, "%s: --lef-dir %s: no *.tlef or *.lef files in it", cmd, x->dirs[d]);
        }
        PL_TRY(adopt(x, cmd, v, n, lefs, nlef, max, x->dirs[d]));
    }
    if (*nlef == 0 && beside && pl_problem_is_def(beside)) {
        if (pl_def_find_lefs(beside, &v, &n) != PL_OK) {
            pl_err_clear(); /* the reader says it again, with its context */
            return PL_OK;
        }
        if (n > max) { /* more than a list holds: the reader finds them itself (and they go unlisted) */
            pl_def_free_lefs(v, n);
            return PL_OK;
        }
        PL_TRY(adopt(x, cmd, v, n, lefs, nlef, max, beside));
    }
    return PL_OK;
}
