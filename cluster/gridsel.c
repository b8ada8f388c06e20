/* gridsel.c: Circuit Training's grid selection; see gridsel.h. */
#include "cluster/gridsel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

void pl_gridsel_config_default(pl_gridsel_config *cfg)
{
    cfg->min_rows = 10, cfg->max_rows = 128;
    cfg->min_cols = 10, cfg->max_cols = 128;
    cfg->min_cells = 500, cfg->max_cells = 4096;
    cfg->max_aspect = 1.5;
    cfg->tolerance = 0.05;
}

typedef struct pack_ws {
    const double *w, *h;
    const int *order; /* macros by area, descending */
    int n;
    double W, H;
    /* per candidate, sized for max_cells */
    uint8_t *taken;   /* a macro centre sits on the cell */
    double *occ;      /* covered area per cell */
    int *head;        /* per cell: first entry of the macros overlapping it */
    int *next, *who;  /* entries */
    int nent, cap;
    double *rx0, *ry0, *rx1, *ry1; /* placed rectangles (n) */
} pack_ws;

static int add_entry(pack_ws *ws, int cell, int m)
{
    if (ws->nent == ws->cap) {
        int cap = ws->cap ? 2 * ws->cap : 1024;
        int *nx = realloc(ws->next, (size_t)cap * sizeof *nx);
        if (!nx) return -1;
        ws->next = nx;
        int *wh = realloc(ws->who, (size_t)cap * sizeof *wh);
        if (!wh) return -1;
        ws->who = wh;
        ws->cap = cap;
    }
    ws->who[ws->nent] = m;
    ws->next[ws->nent] = ws->head[cell];
    ws->head[cell] = ws->nent++;
    return 0;
}

/* Circuit Training's waste (get_waste_ratio): the segments (macro widths or heights, in order) packed
 * side by side along a line of cells of size g, each centred on a cell and spanning the smallest odd
 * number of cells that holds it, two neighbours sharing a cell when their overhangs fit in it; the
 * fraction of the spanned length that they leave empty. */
static double waste_ratio(const double *seg, const int *order, int n, double g)
{
    double total = 0, prev = 0;
    int64_t idx = 0;
    for (int k = 0; k < n; k++) {
        double len = seg[order[k]];
        int span = 1;
        while (span * g < len) span += 2;
        double used = g - 0.5 * (span * g - len); /* of its last cell */
        idx += span - (used + prev <= g);
        prev = used;
        total += len;
    }
    double spanned = (double)(idx + 1) * g;
    return (spanned - total) / spanned;
}

/* Packs the macros on a rows x cols grid; returns 1 and the score if all fit, 0 if not, -1 on OOM. */
static int pack(pack_ws *ws, int rows, int cols, double *score)
{
    double gw = ws->W / cols, gh = ws->H / rows;
    double epsx = 1e-9 * ws->W, epsy = 1e-9 * ws->H;
    int ncell = rows * cols;
    memset(ws->taken, 0, (size_t)ncell);
    for (int c = 0; c < ncell; c++) ws->occ[c] = 0, ws->head[c] = -1;
    ws->nent = 0;
    int start = 0;
    for (int k = 0; k < ws->n; k++) {
        int m = ws->order[k];
        double w = ws->w[m], h = ws->h[m];
        if (k > 0) {
            int pm = ws->order[k - 1];
            if (!(ws->w[pm] == w && ws->h[pm] == h)) start = 0; /* same size: resume after the last spot */
        }
        int placed = -1;
        for (int idx = start; idx < ncell; idx++) {
            int r = idx / cols, c = idx % cols;
            double cx = (c + 0.5) * gw, cy = (r + 0.5) * gh;
            double x0 = cx - 0.5 * w, y0 = cy - 0.5 * h, x1 = cx + 0.5 * w, y1 = cy + 0.5 * h;
            if (y1 > ws->H + epsy) return 0; /* every later row is higher still */
            if (x1 > ws->W + epsx) { /* the rest of this row is further right */
                idx = (r + 1) * cols - 1;
                continue;
            }
            if (ws->taken[idx] || x0 < -epsx || y0 < -epsy) continue;
            int c0 = (int)floor(x0 / gw), c1 = (int)floor((x1 - epsx) / gw);
            int r0 = (int)floor(y0 / gh), r1 = (int)floor((y1 - epsy) / gh);
            c0 = c0 < 0 ? 0 : c0, r0 = r0 < 0 ? 0 : r0;
            c1 = c1 >= cols ? cols - 1 : c1, r1 = r1 >= rows ? rows - 1 : r1;
            int clash = 0;
            for (int rr = r0; rr <= r1 && !clash; rr++)
                for (int cc = c0; cc <= c1 && !clash; cc++)
                    for (int e = ws->head[rr * cols + cc]; e >= 0 && !clash; e = ws->next[e]) {
                        int o = ws->who[e];
                        clash = x0 < ws->rx1[o] - epsx && ws->rx0[o] < x1 - epsx && y0 < ws->ry1[o] - epsy &&
                                ws->ry0[o] < y1 - epsy;
                    }
            if (clash) continue;
            placed = idx;
            ws->rx0[m] = x0, ws->ry0[m] = y0, ws->rx1[m] = x1, ws->ry1[m] = y1;
            ws->taken[idx] = 1;
            for (int rr = r0; rr <= r1; rr++)
                for (int cc = c0; cc <= c1; cc++) {
                    if (add_entry(ws, rr * cols + cc, m)) return -1;
                    double ox = fmin(x1, (cc + 1) * gw) - fmax(x0, cc * gw);
                    double oy = fmin(y1, (rr + 1) * gh) - fmax(y0, rr * gh);
                    if (ox > 0 && oy > 0) ws->occ[rr * cols + cc] += ox * oy;
                }
            break;
        }
        if (placed < 0) return 0;
        start = placed + 1;
    }
    int empty = 0;
    for (int c = 0; c < ncell; c++) empty += ws->occ[c] / (gw * gh) < 1e-5;
    *score = (double)empty / ncell + (1 - waste_ratio(ws->w, ws->order, ws->n, gw)) +
             (1 - waste_ratio(ws->h, ws->order, ws->n, gh));
    return 1;
}

typedef struct area_idx {
    double area;
    int idx;
} area_idx;

static int cmp_area_desc(const void *a, const void *b)
{
    const area_idx *x = a, *y = b;
    if (x->area != y->area) return x->area < y->area ? 1 : -1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

typedef struct cand {
    int rows, cols;
    double score;
} cand;

pl_status pl_gridsel_choose(const double *w, const double *h, int n, double canvas_w, double canvas_h,
                            const pl_gridsel_config *cfg, pl_gridsel_result *out)
{
    memset(out, 0, sizeof *out);
    if (!(canvas_w > 0) || !(canvas_h > 0)) return pl_err(PL_EINVAL, "grid selection: canvas %gx%g", canvas_w, canvas_h);
    pack_ws ws;
    memset(&ws, 0, sizeof ws);
    ws.w = w, ws.h = h, ws.n = n, ws.W = canvas_w, ws.H = canvas_h;
    int maxc = cfg->max_cells > 0 ? cfg->max_cells : 1;
    int ncand_cap = (cfg->max_rows - cfg->min_rows + 1) * (cfg->max_cols - cfg->min_cols + 1);
    if (ncand_cap < 0) ncand_cap = 0; /* an empty range of rows or columns: no candidate */
    int *order = NULL;
    cand *cands = NULL;
    area_idx *ai = NULL;
    pl_status s = PL_OK;
    if (!PL_ALLOC(order, n) || !PL_ALLOC(ws.taken, maxc) || !PL_ALLOC(ws.occ, maxc) || !PL_ALLOC(ws.head, maxc) ||
        !PL_ALLOC(ws.rx0, 4 * (int64_t)n) || !PL_ALLOC(cands, ncand_cap) || !PL_ALLOC(ai, n)) {
        s = pl_err(PL_ENOMEM, "grid selection: out of memory");
        goto done;
    }
    ws.ry0 = ws.rx0 + n, ws.rx1 = ws.rx0 + 2 * n, ws.ry1 = ws.rx0 + 3 * n;
    for (int i = 0; i < n; i++) ai[i] = (area_idx){w[i] * h[i], i};
    qsort(ai, (size_t)n, sizeof *ai, cmp_area_desc);
    for (int i = 0; i < n; i++) order[i] = ai[i].idx;
    free(ai);
    ai = NULL;
    ws.order = order;
    int nc = 0, best = -1;
    for (int r = cfg->min_rows; r <= cfg->max_rows; r++) {
        for (int c = cfg->min_cols; c <= cfg->max_cols; c++) {
            if (r * c > cfg->max_cells) break;
            if (r * c < cfg->min_cells) continue;
            double gw = canvas_w / c, gh = canvas_h / r;
            if (gw / gh > cfg->max_aspect || gh / gw > cfg->max_aspect) continue;
            double sc;
            int ok = pack(&ws, r, c, &sc);
            if (ok < 0) {
                s = pl_err(PL_ENOMEM, "grid selection: out of memory");
                goto done;
            }
            if (!ok) continue;
            cands[nc] = (cand){r, c, sc};
            if (best < 0 || sc > cands[best].score) best = nc;
            nc++;
        }
    }
    if (best < 0) {
        s = pl_err(PL_EINVAL, "grid selection: no grid of %d-%d rows and %d-%d columns (%d-%d cells) fits the %d macros "
                   "on %gx%g um; give --grid COLSxROWS", cfg->min_rows, cfg->max_rows, cfg->min_cols, cfg->max_cols,
                   cfg->min_cells, cfg->max_cells, n, canvas_w, canvas_h);
        goto done;
    }
    int pick = best;
    for (int i = 0; i < nc; i++) {
        if (cands[i].score < (1.0 - cfg->tolerance) * cands[best].score) continue;
        int cells = cands[i].rows * cands[i].cols, pc = cands[pick].rows * cands[pick].cols;
        if (cells < pc || (cells == pc && i < pick)) pick = i;
    }
    out->rows = cands[pick].rows, out->cols = cands[pick].cols, out->score = cands[pick].score;
    out->best_rows = cands[best].rows, out->best_cols = cands[best].cols, out->best_score = cands[best].score;
    out->feasible = nc;
done:
    free(ai);
    free(order);
    free(ws.taken);
    free(ws.occ);
    free(ws.head);
    free(ws.next);
    free(ws.who);
    free(ws.rx0);
    free(cands);
    return s;
}

pl_status pl_gridsel_netlist(const pl_netlist *nl, const pl_gridsel_config *cfg, pl_gridsel_result *out)
{
    if (!nl->has_die) return pl_err(PL_EINVAL, "grid selection: the design has no die area");
    int n = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) n += nl->nodes[i].kind == PL_NODE_MACRO;
    double *w;
    if (!PL_ALLOC(w, 2 * (int64_t)n)) return pl_err(PL_ENOMEM, "grid selection: out of memory");
    double *h = w + n;
    int k = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind != PL_NODE_MACRO) continue;
        w[k] = pl_node_width(nd), h[k] = pl_node_height(nd);
        k++;
    }
    pl_status s = pl_gridsel_choose(w, h, n, nl->die.x1 - nl->die.x0, nl->die.y1 - nl->die.y0, cfg, out);
    free(w);
    return s;
}
