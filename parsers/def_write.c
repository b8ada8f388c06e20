/* def_write.c: pl_def_write (see def.h). The output is the input DEF with the placement
 * clauses of moved components rewritten; everything else is copied byte-for-byte. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "parsers/def.h"
#include "core/tmpfile.h"
#include "parsers/textfile.h"

static long long to_dbu(double um, double dbu) { return llround(um * dbu); }

static int placement_changed(const pl_node *a, const pl_node *b, double dbu)
{
    if (a->state != b->state) return 1;
    if (a->state == PL_PLACE_UNPLACED) return 0;
    return a->orient != b->orient || to_dbu(a->x, dbu) != to_dbu(b->x, dbu) ||
           to_dbu(a->y, dbu) != to_dbu(b->y, dbu);
}

/* Writes the clause for node n into buf; returns its length. */
static int format_clause(char *buf, size_t cap, const pl_node *n, double dbu, int insert)
{
    if (n->state == PL_PLACE_UNPLACED) return snprintf(buf, cap, "+ UNPLACED%s", insert ? " " : "");
    static const char *const kw[] = {"UNPLACED", "PLACED", "FIXED", "COVER"};
    return snprintf(buf, cap, "+ %s ( %lld %lld ) %s%s", kw[n->state], to_dbu(n->x, dbu),
                    to_dbu(n->y, dbu), pl_orient_name(n->orient), insert ? " " : "");
}

typedef struct out_stream {
    FILE *fp;
    gzFile gz;
} out_stream;

static int out_write(out_stream *o, const char *p, size_t n)
{
    if (n == 0) return 1;
    if (o->gz) {
        while (n > 0) {
            unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
            if (gzwrite(o->gz, p, chunk) != (int)chunk) return 0;
            p += chunk;
            n -= chunk;
        }
        return 1;
    }
    return fwrite(p, 1, n, o->fp) == n;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static pl_status write_body(const pl_netlist *nl, const pl_textfile *src, out_stream *o)
{
    const pl_place_source *d = nl->placesrc;
    double dbu = nl->dbu_per_micron;
    size_t pos = 0;
    char clause[160];
    for (int32_t i = 0; i < d->nnodes; i++) {
        if (d->place_off[i] < 0) continue;
        const pl_node *n = &nl->nodes[i];
        if (!placement_changed(n, &d->orig[i], dbu)) continue;
        size_t off = (size_t)d->place_off[i];
        int insert = d->place_len[i] == 0;
        if (insert && n->state == PL_PLACE_UNPLACED) continue;
        int len = format_clause(clause, sizeof clause, n, dbu, insert);
        if (!out_write(o, src->data + pos, off - pos) || !out_write(o, clause, (size_t)len))
            return pl_err(PL_EIO, "write error: %s", strerror(errno));
        pos = off + (size_t)d->place_len[i];
    }
    if (!out_write(o, src->data + pos, src->len - pos))
        return pl_err(PL_EIO, "write error: %s", strerror(errno));
    return PL_OK;
}

/* Writes the rewritten DEF (gzip-compressed for a .gz path) to a temporary renamed over out_path. */
static pl_status write_file(const pl_netlist *nl, const pl_textfile *src, const char *out_path)
{
    char *tmp;
    out_stream o = {0};
    if (!ends_with(out_path, ".gz")) {
        PL_TRY(pl_tmpfile_open(out_path, &tmp, &o.fp));
        return pl_tmpfile_finish(write_body(nl, src, &o), o.fp, tmp, out_path);
    }
    int fd;
    PL_TRY(pl_tmpfile_create(out_path, &tmp, &fd));
    o.gz = gzdopen(fd, "wb6");
    if (!o.gz) {
        close(fd);
        return pl_tmpfile_finish(pl_err(PL_EIO, "%s: cannot open a gzip stream", out_path), NULL, tmp, out_path);
    }
    pl_status s = write_body(nl, src, &o);
    if (gzclose(o.gz) != Z_OK && s == PL_OK) s = pl_err(PL_EIO, "%s: write error: %s", out_path, strerror(errno));
    return pl_tmpfile_finish(s, NULL, tmp, out_path);
}

pl_status pl_def_write(const pl_netlist *nl, const char *out_path)
{
    const pl_place_source *d = nl->placesrc;
    if (!d || d->format != PL_PLACE_DEF)
        return pl_err(PL_EINVAL, "%s: the netlist was not read from a DEF; nothing to write back", out_path);
    if (d->nnodes > nl->nnodes)
        return pl_err(PL_EINVAL, "%s: the netlist lost nodes since the DEF was read", out_path);
    if (!(nl->dbu_per_micron > 0)) return pl_err(PL_EINVAL, "%s: the DEF has no UNITS", out_path);
    pl_textfile src;
    PL_TRY(pl_textfile_read(&src, d->path));
    if ((int64_t)src.len != d->size || pl_textfile_crc(&src) != d->crc) {
        pl_textfile_free(&src);
        return pl_err(PL_EIO, "%s: the file changed since it was read; read it again before writing", d->path);
    }
    pl_status s = write_file(nl, &src, out_path);
    pl_textfile_free(&src);
    return s;
}
