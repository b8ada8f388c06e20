/* bookshelf_write.c: pl_bookshelf_write_pl (see bookshelf.h). The output is the .pl read with the clause
 * after the name ("x y : ORIENT [/FIXED]") of each moved node rewritten, in file order; every other byte is
 * copied. A clause that said /FIXED_NI keeps saying it while its node stays fixed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/tmpfile.h"
#include "parsers/bookshelf.h"
#include "parsers/textfile.h"

/* v exactly: an integer as one, otherwise the shortest %g that reads back the same. */
static void format_coord(char *buf, size_t cap, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, cap, "%.0f", v == 0 ? 0.0 : v); /* no "-0" */
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static int changed(const pl_node *a, const pl_node *b)
{
    return a->state != b->state || a->orient != b->orient || a->x != b->x || a->y != b->y;
}

/* 1 when the clause of node i, a node the .pl lists, is rewritten. */
static int rewrite(const pl_netlist *nl, int32_t i, int fix_macros)
{
    const pl_place_source *d = nl->placesrc;
    const pl_node *n = &nl->nodes[i];
    return changed(n, &d->orig[i]) || (fix_macros && n->kind == PL_NODE_MACRO && d->orig[i].state != PL_PLACE_FIXED);
}

/* "x y : ORIENT[ /FIXED]"; old is the clause read (NULL for an appended line). */
static pl_status format_clause(char *buf, size_t cap, const pl_node *n, int fix, const char *old, size_t oldlen)
{
    if (!isfinite(n->x) || !isfinite(n->y))
        return pl_err(PL_EINVAL, "node '%s' has a non-finite position; nothing written", n->name);
    char x[40], y[40];
    format_coord(x, sizeof x, n->x);
    format_coord(y, sizeof y, n->y);
    const char *flag = "";
    if (n->state == PL_PLACE_FIXED || fix)
        flag = old && memmem(old, oldlen, "/FIXED_NI", 9) ? " /FIXED_NI" : " /FIXED";
    snprintf(buf, cap, "%s %s : %s%s", x, y, pl_orient_name(n->orient), flag);
    return PL_OK;
}

static int cmp_off(const void *a, const void *b, void *arg)
{
    const int64_t *off = arg;
    int64_t x = off[*(const int32_t *)a], y = off[*(const int32_t *)b];
    return (x > y) - (x < y);
}

static pl_status write_err(void) { return pl_err(PL_EIO, "write error: %s", strerror(errno)); }

/* Copies src with the clauses of the nodes in order[0..n) (sorted by offset) rewritten, then appends the
 * placed nodes the .pl did not list. */
static pl_status write_body(const pl_netlist *nl, const pl_textfile *src, const int32_t *order, int64_t n,
                            int fix_macros, FILE *fp)
{
    const pl_place_source *d = nl->placesrc;
    char clause[160];
    size_t pos = 0;
    for (int64_t k = 0; k < n; k++) {
        int32_t i = order[k];
        const pl_node *nd = &nl->nodes[i];
        size_t off = (size_t)d->place_off[i], len = (size_t)d->place_len[i];
        PL_TRY(format_clause(clause, sizeof clause, nd, fix_macros && nd->kind == PL_NODE_MACRO, src->data + off, len));
        if (fwrite(src->data + pos, 1, off - pos, fp) != off - pos || fputs(clause, fp) < 0) return write_err();
        pos = off + len;
    }
    if (fwrite(src->data + pos, 1, src->len - pos, fp) != src->len - pos) return write_err();
    int need_nl = src->len > 0 && src->data[src->len - 1] != '\n';
    for (int32_t i = 0; i < d->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (d->place_off[i] >= 0 || nd->state == PL_PLACE_UNPLACED) continue;
        PL_TRY(format_clause(clause, sizeof clause, nd, fix_macros && nd->kind == PL_NODE_MACRO, NULL, 0));
        if (fprintf(fp, "%s%s %s\n", need_nl ? "\n" : "", nd->name, clause) < 0) return write_err();
        need_nl = 0;
    }
    return PL_OK;
}

pl_status pl_bookshelf_write_pl(const pl_netlist *nl, const char *out_path, int fix_macros)
{
    const pl_place_source *d = nl->placesrc;
    if (!d || d->format != PL_PLACE_BOOKSHELF)
        return pl_err(PL_EINVAL, "%s: the netlist was not read from a Bookshelf design; no .pl to write back", out_path);
    if (d->nnodes > nl->nnodes) return pl_err(PL_EINVAL, "%s: the netlist lost nodes since the .pl was read", out_path);
    pl_textfile src;
    PL_TRY(pl_textfile_read(&src, d->path));
    if ((int64_t)src.len != d->size || pl_textfile_crc(&src) != d->crc) {
        pl_textfile_free(&src);
        return pl_err(PL_EIO, "%s: the file changed since it was read; read the design again before writing", d->path);
    }
    int32_t *order;
    if (!PL_ALLOC(order, d->nnodes)) {
        pl_textfile_free(&src);
        return pl_err(PL_ENOMEM, "%s: out of memory", out_path);
    }
    int64_t n = 0;
    for (int32_t i = 0; i < d->nnodes; i++)
        if (d->place_off[i] >= 0 && rewrite(nl, i, fix_macros)) order[n++] = i;
    qsort_r(order, (size_t)n, sizeof *order, cmp_off, d->place_off);
    char *tmp;
    FILE *fp;
    pl_status s = pl_tmpfile_open(out_path, &tmp, &fp);
    if (s == PL_OK) s = pl_tmpfile_finish(write_body(nl, &src, order, n, fix_macros, fp), fp, tmp, out_path);
    free(order);
    pl_textfile_free(&src);
    return s;
}
