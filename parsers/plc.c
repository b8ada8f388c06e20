/* plc.c: Circuit Training .plc reader and writer; see plc.h. */
#include "parsers/plc.h"
#include "core/alloc.h"
#include "core/tmpfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/textfile.h"

void pl_plc_header_init(pl_plc_header *h)
{
    memset(h, 0, sizeof *h);
    h->wirelength = h->wirelength_cost = h->congestion_cost = h->density_cost = NAN;
}

void pl_plc_header_free(pl_plc_header *h)
{
    if (!h) return;
    free(h->blockages);
    pl_plc_header_init(h);
}

/* The numbers of a line, in order (at most `max`). */
static int numbers_of(const char *s, const char *e, double *v, int max)
{
    int n = 0;
    while (s < e && n < max) {
        if ((isdigit((unsigned char)*s) || ((*s == '-' || *s == '.') && s + 1 < e &&
                                            (isdigit((unsigned char)s[1]) || s[1] == '.'))) &&
            (s == e || !isalpha((unsigned char)s[-1]))) {
            char *end;
            double x = strtod(s, &end);
            if (end > s) {
                v[n++] = x;
                s = end;
                continue;
            }
        }
        s++;
    }
    return n;
}

static const char *find_in(const char *s, const char *e, const char *w)
{
    size_t n = strlen(w);
    for (; s + n <= e; s++)
        if (!memcmp(s, w, n)) return s;
    return NULL;
}

/* Header values are checked before they size anything: grids of 1..PL_PLC_GRID_MAX cells a side,
 * finite non-negative lengths and rates, a positive canvas. */
enum { PL_PLC_GRID_MAX = 4096, PL_PLC_SMOOTH_MAX = 1000 };

static int grid_ok(const double *v) { return v[0] >= 1 && v[0] <= PL_PLC_GRID_MAX && v[1] >= 1 && v[1] <= PL_PLC_GRID_MAX; }
static int finite_nonneg(const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!(isfinite(v[i]) && v[i] >= 0)) return 0;
    return 1;
}

static pl_status header_line(const char *path, int line, pl_plc_header *h, const char *s, const char *e)
{
    double v[8];
    int n;
    const char *k;
    if ((k = find_in(s, e, "Congestion Columns")) || (k = find_in(s, e, "Congestion columns"))) {
        if (numbers_of(k, e, v, 2) == 2) {
            if (!grid_ok(v))
                return pl_err(PL_EPARSE, "%s:%d: congestion grid %gx%g: each side must be 1 to %d", path, line, v[0],
                              v[1], PL_PLC_GRID_MAX);
            h->cong_cols = (int)v[0];
            h->cong_rows = (int)v[1];
            h->have |= PL_PLC_HAVE_CONG_GRID;
        }
    } else if ((k = find_in(s, e, "Columns")) && find_in(s, e, "Rows")) {
        if (numbers_of(k, e, v, 2) == 2) {
            if (!grid_ok(v))
                return pl_err(PL_EPARSE, "%s:%d: grid %gx%g: each side must be 1 to %d", path, line, v[0], v[1],
                              PL_PLC_GRID_MAX);
            h->cols = (int)v[0];
            h->rows = (int)v[1];
            h->have |= PL_PLC_HAVE_GRID;
        }
    } else if ((k = find_in(s, e, "Width")) && find_in(s, e, "Height") && !find_in(s, e, "--")) {
        if (numbers_of(k, e, v, 2) == 2) {
            if (!(isfinite(v[0]) && isfinite(v[1]) && v[0] > 0 && v[1] > 0))
                return pl_err(PL_EPARSE, "%s:%d: canvas %g x %g: width and height must be positive", path, line, v[0],
                              v[1]);
            h->width = v[0];
            h->height = v[1];
            h->have |= PL_PLC_HAVE_CANVAS;
        }
    } else if ((k = find_in(s, e, "Routes per micron"))) {
        if (numbers_of(k, e, v, 2) == 2) {
            if (!finite_nonneg(v, 2)) return pl_err(PL_EPARSE, "%s:%d: routes per micron must be >= 0", path, line);
            h->h_rpm = v[0];
            h->v_rpm = v[1];
            h->have |= PL_PLC_HAVE_ROUTES;
        }
    } else if ((k = find_in(s, e, "Routes used by macros"))) {
        if (numbers_of(k, e, v, 2) == 2) {
            if (!finite_nonneg(v, 2)) return pl_err(PL_EPARSE, "%s:%d: routes used by macros must be >= 0", path, line);
            h->h_macro_alloc = v[0];
            h->v_macro_alloc = v[1];
            h->have |= PL_PLC_HAVE_MACRO;
        }
    } else if ((k = find_in(s, e, "Smoothing factor"))) {
        if (numbers_of(k, e, v, 1) == 1) {
            if (!(v[0] >= 0 && v[0] <= PL_PLC_SMOOTH_MAX))
                return pl_err(PL_EPARSE, "%s:%d: smoothing factor %g: must be 0 to %d", path, line, v[0],
                              PL_PLC_SMOOTH_MAX);
            h->smooth_range = (int)floor(v[0]);
            h->have |= PL_PLC_HAVE_SMOOTH;
        }
    } else if ((k = find_in(s, e, "Overlap threshold"))) {
        if (numbers_of(k, e, v, 1) == 1) {
            h->overlap_threshold = v[0];
            h->have |= PL_PLC_HAVE_OVERLAP;
        }
    } else if ((k = find_in(s, e, "Wirelength cost"))) {
        if (numbers_of(k, e, v, 1) == 1) h->wirelength_cost = v[0], h->have |= PL_PLC_HAVE_COSTS;
    } else if ((k = find_in(s, e, "Congestion cost"))) {
        if (numbers_of(k, e, v, 1) == 1) h->congestion_cost = v[0], h->have |= PL_PLC_HAVE_COSTS;
    } else if ((k = find_in(s, e, "Density cost"))) {
        if (numbers_of(k, e, v, 1) == 1) h->density_cost = v[0], h->have |= PL_PLC_HAVE_COSTS;
    } else if ((k = find_in(s, e, "Wirelength :")) || (k = find_in(s, e, "Wirelength:"))) {
        if (numbers_of(k, e, v, 1) == 1) h->wirelength = v[0];
    } else if ((k = find_in(s, e, "Block :")) || (k = find_in(s, e, "Block:"))) {
        k = memchr(k, ':', (size_t)(e - k)) + 1;
        while (k < e && isspace((unsigned char)*k)) k++;
        const char *b = k;
        while (k < e && !isspace((unsigned char)*k)) k++;
        size_t len = (size_t)(k - b) < sizeof h->block - 1 ? (size_t)(k - b) : sizeof h->block - 1;
        memcpy(h->block, b, len);
        h->block[len] = 0;
    } else if ((k = find_in(s, e, "Blockage"))) {
        n = numbers_of(k, e, v, 5);
        if (n >= 4) {
            for (int i = 0; i < n; i++)
                if (!isfinite(v[i])) return pl_err(PL_EPARSE, "%s:%d: blockage coordinate is not finite", path, line);
            PL_TRY(PL_GROW(h->blockages, h->blockages_cap, h->nblockages + 1));
            h->blockages[h->nblockages++] =
                (pl_plc_blockage){v[0], v[1], v[2], v[3], n == 5 ? v[4] : 1.0};
        }
    }
    return PL_OK;
}

static pl_status body_line(const char *path, int line, char *s, const int32_t *node_of, int32_t nct,
                           pl_netlist *nl)
{
    char *p = s, *end;
    long idx = strtol(p, &end, 10);
    if (end == p) return pl_err(PL_EPARSE, "%s:%d: expected 'index x y orientation fixed'", path, line);
    p = end;
    double x = strtod(p, &end);
    if (end == p) return pl_err(PL_EPARSE, "%s:%d: expected an x coordinate", path, line);
    p = end;
    double y = strtod(p, &end);
    if (end == p) return pl_err(PL_EPARSE, "%s:%d: expected a y coordinate", path, line);
    p = end;
    while (*p == ' ' || *p == '\t') p++;
    const char *o = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    size_t olen = (size_t)(p - o);
    if (olen == 0) return pl_err(PL_EPARSE, "%s:%d: expected an orientation or '-'", path, line);
    long fixed = strtol(p, &end, 10);
    if (end == p || (fixed != 0 && fixed != 1))
        return pl_err(PL_EPARSE, "%s:%d: expected fixed flag 0 or 1", path, line);
    p = end;
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (*p && *p != '\n' && *p != '#') return pl_err(PL_EPARSE, "%s:%d: extra text after the fixed flag", path, line);
    if (!nl) return PL_OK;
    if (idx < 0 || idx >= nct || node_of[idx] < 0)
        return pl_err(PL_EPARSE, "%s:%d: node index %ld is not a macro, port or std cell of the netlist", path,
                      line, idx);
    pl_node *n = &nl->nodes[node_of[idx]];
    if (!(olen == 1 && o[0] == '-')) {
        int ori = pl_orient_parse(o, olen);
        if (ori < 0) return pl_err(PL_EPARSE, "%s:%d: unknown orientation '%.*s'", path, line, (int)olen, o);
        n->orient = (pl_orient)ori;
    }
    if (!isfinite(x) || !isfinite(y)) return pl_err(PL_EPARSE, "%s:%d: coordinate is not finite", path, line);
    n->x = x - pl_node_width(n) / 2;
    n->y = y - pl_node_height(n) / 2;
    n->state = fixed ? PL_PLACE_FIXED : PL_PLACE_PLACED;
    return PL_OK;
}

pl_status pl_plc_read(const char *path, pl_plc_header *h, pl_netlist *nl)
{
    int32_t *node_of = NULL;
    int32_t nct = 0;
    if (nl) {
        if (!nl->ct_indexed)
            return pl_err(PL_EINVAL, "%s: a .plc placement needs a Circuit Training netlist", path);
        nct = nl->ct_count;
        if (!PL_ALLOC(node_of, nct)) return pl_err(PL_ENOMEM, "out of memory reading %s", path);
        for (int32_t i = 0; i < nct; i++) node_of[i] = -1;
        for (int64_t i = 0; i < nl->nnodes; i++) {
            int32_t c = nl->nodes[i].ct_index;
            if (c >= 0 && c < nct) node_of[c] = (int32_t)i;
        }
    }
    pl_textfile tf;
    pl_status s = pl_textfile_read_text(&tf, path, ".plc");
    if (s != PL_OK) {
        free(node_of);
        return s;
    }
    char *p = tf.data;
    int line = 1;
    int64_t body = 0; /* placement lines */
    const unsigned have0 = h ? h->have : 0;
    while (s == PL_OK && *p) {
        char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        char *q = p;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
        if (q < e && *q == '#') {
            if (h) s = header_line(path, line, h, q + 1, e);
        } else if (q < e) {
            char save = *e;
            *e = 0;
            s = body_line(path, line, q, node_of, nct, nl);
            *e = save;
            body++;
        }
        p = *e ? e + 1 : e;
        line++;
    }
    pl_textfile_free(&tf);
    free(node_of);
    if (s == PL_OK && body == 0 && (!h || h->have == have0)) /* neither a header field nor a placement */
        s = pl_err(PL_EPARSE, "%s: empty .plc: no header fields and no placement lines ('index x y orientation "
                   "fixed')", path);
    return s;
}

/* Shortest "%.Ng" text that reads back as the same double. */
static void fmt_num(char *buf, size_t n, double v)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static int write_all(FILE *f, const pl_plc_header *h, const pl_netlist *nl)
{
    char a[40], b[40];
    fprintf(f, "# Placement file for Circuit Training\n# Written by placer\n");
    if (h && (h->have & PL_PLC_HAVE_GRID)) fprintf(f, "# Columns : %d  Rows : %d\n", h->cols, h->rows);
    if (h && (h->have & PL_PLC_HAVE_CONG_GRID))
        fprintf(f, "# Congestion Columns : %d  Congestion Rows : %d\n", h->cong_cols, h->cong_rows);
    if (h && (h->have & PL_PLC_HAVE_CANVAS)) {
        fmt_num(a, sizeof a, h->width);
        fmt_num(b, sizeof b, h->height);
        fprintf(f, "# Width : %s  Height : %s\n", a, b);
    }
    if (h && !isnan(h->wirelength)) fprintf(f, "# Wirelength : %.3f\n", h->wirelength);
    if (h && !isnan(h->wirelength_cost)) fprintf(f, "# Wirelength cost : %.9f\n", h->wirelength_cost);
    if (h && !isnan(h->congestion_cost)) fprintf(f, "# Congestion cost : %.9f\n", h->congestion_cost);
    if (h && !isnan(h->density_cost)) fprintf(f, "# Density cost : %.9f\n", h->density_cost);
    if (h && h->block[0]) fprintf(f, "# Block : %s\n", h->block);
    if (h && (h->have & PL_PLC_HAVE_ROUTES)) {
        fmt_num(a, sizeof a, h->h_rpm);
        fmt_num(b, sizeof b, h->v_rpm);
        fprintf(f, "# Routes per micron, hor : %s  ver : %s\n", a, b);
    }
    if (h && (h->have & PL_PLC_HAVE_MACRO)) {
        fmt_num(a, sizeof a, h->h_macro_alloc);
        fmt_num(b, sizeof b, h->v_macro_alloc);
        fprintf(f, "# Routes used by macros, hor : %s  ver : %s\n", a, b);
    }
    if (h && (h->have & PL_PLC_HAVE_SMOOTH)) fprintf(f, "# Smoothing factor : %d\n", h->smooth_range);
    if (h && (h->have & PL_PLC_HAVE_OVERLAP)) {
        fmt_num(a, sizeof a, h->overlap_threshold);
        fprintf(f, "# Overlap threshold : %s\n", a);
    }
    for (int64_t i = 0; h && i < h->nblockages; i++) {
        const pl_plc_blockage *bk = &h->blockages[i];
        fprintf(f, "# Blockage : %.17g %.17g %.17g %.17g %.17g\n", bk->x0, bk->y0, bk->x1, bk->y1, bk->rate);
    }
    fprintf(f, "#\n# node_index x y orientation fixed\n");
    /* nodes by CT index */
    int32_t *order;
    if (!PL_ALLOC(order, nl->ct_count)) return -1;
    for (int32_t i = 0; i < nl->ct_count; i++) order[i] = -1;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        int32_t c = nl->nodes[i].ct_index;
        if (c >= 0 && c < nl->ct_count) order[c] = (int32_t)i;
    }
    for (int32_t c = 0; c < nl->ct_count; c++) {
        if (order[c] < 0) continue;
        const pl_node *n = &nl->nodes[order[c]];
        double cx, cy;
        pl_node_center(n, &cx, &cy);
        fmt_num(a, sizeof a, cx);
        fmt_num(b, sizeof b, cy);
        int oriented = n->kind == PL_NODE_MACRO || n->kind == PL_NODE_SOFT;
        fprintf(f, "%d %s %s %s %d\n", c, a, b, oriented ? pl_orient_name(n->orient) : "-",
                n->state == PL_PLACE_FIXED ? 1 : 0);
    }
    free(order);
    return ferror(f) ? -1 : 0;
}

pl_status pl_plc_write(const char *path, const pl_plc_header *h, const pl_netlist *nl)
{
    if (!nl->ct_indexed)
        return pl_err(PL_EINVAL, "%s: a .plc placement needs a Circuit Training netlist", path);
    char *tmp;
    FILE *f;
    PL_TRY(pl_tmpfile_open(path, &tmp, &f));
    pl_status s = write_all(f, h, nl) == 0 ? PL_OK : pl_err(PL_EIO, "%s: write failed: %s", path, strerror(errno));
    return pl_tmpfile_finish(s, f, tmp, path);
}
