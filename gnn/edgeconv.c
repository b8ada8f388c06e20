/* edgeconv.c: see edgeconv.h. */
#include "gnn/edgeconv.h"

#include <string.h>

#include "gnn/ops.h"

/* The per-edge loops run over H in chunks of LANES with restrict pointers, so that GCC's -O2
 * vectoriser (which wants a known trip count) turns each chunk into SIMD code; a short tail runs
 * the same function with n < LANES. The arithmetic and its order are the same either way. */
enum { LANES = 8 };

/* The two endpoints' rows of P and Q for edge k. */
typedef struct edge_rows {
    const float *ps, *pd, *qs, *qd;
    float w;
} edge_rows;

static edge_rows rows_of(const float *pq, const pl_gnn_graph *g, int32_t k, int H)
{
    const int64_t NH = (int64_t)g->n * H;
    edge_rows r = {pq + (int64_t)g->src[k] * H, pq + (int64_t)g->dst[k] * H, NULL, NULL, g->w[k]};
    r.qs = r.ps + NH, r.qd = r.pd + NH;
    return r;
}

/* e = (relu(z1) + relu(z2)) / 2 with z1 = P[s] + Q[d] + w c + b, z2 = P[d] + Q[s] + w c + b. */
static inline void fwd_lanes(float *restrict e, const float *restrict ps, const float *restrict pd,
                             const float *restrict qs, const float *restrict qd, const float *restrict c,
                             const float *restrict b, float w, int n)
{
    for (int j = 0; j < n; j++) {
        const float base = w * c[j] + b[j];
        const float z1 = ps[j] + qd[j] + base, z2 = pd[j] + qs[j] + base;
        e[j] = 0.5f * ((z1 > 0.0f ? z1 : 0.0f) + (z2 > 0.0f ? z2 : 0.0f));
    }
}

void pl_gnn_edgemlp_forward(float *e, const float *pq, const float *c, const float *b, const pl_gnn_graph *g, int H)
{
    for (int32_t k = 0; k < g->e; k++) {
        const edge_rows r = rows_of(pq, g, k, H);
        float *ek = e + (int64_t)k * H;
        int j = 0;
        for (; j + LANES <= H; j += LANES)
            fwd_lanes(ek + j, r.ps + j, r.pd + j, r.qs + j, r.qd + j, c + j, b + j, r.w, LANES);
        fwd_lanes(ek + j, r.ps + j, r.pd + j, r.qs + j, r.qd + j, c + j, b + j, r.w, H - j);
    }
}

/* dz = de/2 on each direction whose pre-activation is positive: dc += w (dz1 + dz2), db += dz1 + dz2. */
static inline void dparam_lanes(float *restrict dc, float *restrict db, const float *restrict de,
                                const float *restrict ps, const float *restrict pd, const float *restrict qs,
                                const float *restrict qd, const float *restrict c, const float *restrict b, float w,
                                int n)
{
    for (int j = 0; j < n; j++) {
        const float base = w * c[j] + b[j];
        const float z1 = ps[j] + qd[j] + base, z2 = pd[j] + qs[j] + base;
        const float half = 0.5f * de[j];
        const float dz = (z1 > 0.0f ? half : 0.0f) + (z2 > 0.0f ? half : 0.0f);
        dc[j] += w * dz;
        db[j] += dz;
    }
}

/* For node v on one side of an edge: dP[v] += dz of the direction where P[v] enters (za), dQ[v] += the
 * other (zb). za = P[v] + Q[u] + base, zb = P[u] + Q[v] + base, with u the other endpoint. */
static inline void dnode_lanes(float *restrict dp, float *restrict dq, const float *restrict de,
                               const float *restrict pv, const float *restrict pu, const float *restrict qv,
                               const float *restrict qu, const float *restrict c, const float *restrict b, float w,
                               int n)
{
    for (int j = 0; j < n; j++) {
        const float base = w * c[j] + b[j];
        const float za = pv[j] + qu[j] + base, zb = pu[j] + qv[j] + base;
        const float half = 0.5f * de[j];
        dp[j] += za > 0.0f ? half : 0.0f;
        dq[j] += zb > 0.0f ? half : 0.0f;
    }
}

void pl_gnn_edgemlp_backward(float *dpq, float *dc, float *db, const float *de, const float *pq, const float *c,
                             const float *b, const pl_gnn_graph *g, int H)
{
    const int64_t NH = (int64_t)g->n * H;
    /* parameters: one pass over the edges in order */
    for (int32_t k = 0; k < g->e; k++) {
        const edge_rows r = rows_of(pq, g, k, H);
        const float *dek = de + (int64_t)k * H;
        int j = 0;
        for (; j + LANES <= H; j += LANES)
            dparam_lanes(dc + j, db + j, dek + j, r.ps + j, r.pd + j, r.qs + j, r.qd + j, c + j, b + j, r.w, LANES);
        dparam_lanes(dc + j, db + j, dek + j, r.ps + j, r.pd + j, r.qs + j, r.qd + j, c + j, b + j, r.w, H - j);
    }
    /* nodes: gather over each node's incident entries (segment reduction, edge order) */
    for (int32_t v = 0; v < g->n; v++) {
        float *dp = dpq + (int64_t)v * H, *dq = dp + NH;
        for (int32_t t = g->off[v]; t < g->off[v + 1]; t++) {
            const int32_t k = g->inc[t] >> 1;
            const edge_rows r = rows_of(pq, g, k, H);
            /* side 0: v = src, so P[v] enters z1 = P[s] + Q[d]; side 1: v = dst, P[v] enters z2 */
            const float *pv = (g->inc[t] & 1) ? r.pd : r.ps, *pu = (g->inc[t] & 1) ? r.ps : r.pd;
            const float *qv = pv + NH, *qu = pu + NH, *dek = de + (int64_t)k * H;
            int j = 0;
            for (; j + LANES <= H; j += LANES)
                dnode_lanes(dp + j, dq + j, dek + j, pv + j, pu + j, qv + j, qu + j, c + j, b + j, r.w, LANES);
            dnode_lanes(dp + j, dq + j, dek + j, pv + j, pu + j, qv + j, qu + j, c + j, b + j, r.w, H - j);
        }
    }
}

static inline void add_lanes(float *restrict acc, const float *restrict x, int n)
{
    for (int j = 0; j < n; j++) acc[j] += x[j];
}

void pl_gnn_segmean_forward(float *out, const float *e, const pl_gnn_graph *g, int H)
{
    float acc[H];
    for (int32_t v = 0; v < g->n; v++) {
        const int32_t deg = g->off[v + 1] - g->off[v];
        if (deg == 0) continue;
        for (int j = 0; j < H; j++) acc[j] = 0.0f;
        for (int32_t t = g->off[v]; t < g->off[v + 1]; t++) {
            const float *ek = e + (int64_t)(g->inc[t] >> 1) * H;
            int j = 0;
            for (; j + LANES <= H; j += LANES) add_lanes(acc + j, ek + j, LANES);
            add_lanes(acc + j, ek + j, H - j);
        }
        const float inv = 1.0f / (float)deg;
        float *o = out + (int64_t)v * H;
        for (int j = 0; j < H; j++) o[j] += acc[j] * inv;
    }
}

void pl_gnn_segmean_backward(float *de, const float *dout, const pl_gnn_graph *g, int H)
{
    for (int32_t k = 0; k < g->e; k++) {
        const int32_t s = g->src[k], d = g->dst[k];
        const float is = 1.0f / (float)(g->off[s + 1] - g->off[s]), id = 1.0f / (float)(g->off[d + 1] - g->off[d]);
        const float *ds = dout + (int64_t)s * H, *dd = dout + (int64_t)d * H;
        float *dek = de + (int64_t)k * H;
        for (int j = 0; j < H; j++) dek[j] += ds[j] * is + dd[j] * id;
    }
}

void pl_gnn_edgeconv_forward(const pl_gnn_edgeconv *L, float *hout, float *e, const float *hin)
{
    const int H = L->H, N = L->g->n;
    const int64_t NH = (int64_t)N * H;
    /* W is (2H+1, H) row-major, so Wa and Wb are contiguous (H, H) blocks */
    pl_gnn_gemm(0, 0, N, H, H, hin, L->w, 0.0f, L->pq);
    pl_gnn_gemm(0, 0, N, H, H, hin, L->w + (int64_t)H * H, 0.0f, L->pq + NH);
    pl_gnn_edgemlp_forward(e, L->pq, L->w + (int64_t)2 * H * H, L->b, L->g, H);
    memcpy(hout, hin, (size_t)NH * sizeof *hout);
    pl_gnn_segmean_forward(hout, e, L->g, H);
}

void pl_gnn_edgeconv_backward(const pl_gnn_edgeconv *L, float *dhin, float *de, const float *dhout, const float *hin)
{
    const int H = L->H, N = L->g->n;
    const int64_t NH = (int64_t)N * H;
    for (int64_t i = 0; i < NH; i++) dhin[i] += dhout[i]; /* residual */
    pl_gnn_segmean_backward(de, dhout, L->g, H);
    memset(L->dpq, 0, (size_t)(2 * NH) * sizeof *L->dpq);
    pl_gnn_edgemlp_backward(L->dpq, L->dw + (int64_t)2 * H * H, L->db, de, L->pq, L->w + (int64_t)2 * H * H, L->b,
                            L->g, H);
    pl_gnn_gemm(0, 1, N, H, H, L->dpq, L->w, 1.0f, dhin);
    pl_gnn_gemm(0, 1, N, H, H, L->dpq + NH, L->w + (int64_t)H * H, 1.0f, dhin);
    pl_gnn_gemm(1, 0, H, H, N, hin, L->dpq, 1.0f, L->dw);
    pl_gnn_gemm(1, 0, H, H, N, hin, L->dpq + NH, 1.0f, L->dw + (int64_t)H * H);
}

void pl_gnn_edgestats_forward(float *out, int32_t *argmax, const float *e, int E, int H)
{
    for (int j = 0; j < 2 * H; j++) out[j] = 0.0f;
    for (int j = 0; j < H; j++) argmax[j] = -1;
    if (E <= 0) return;
    float *mean = out, *mx = out + H;
    for (int j = 0; j < H; j++) mx[j] = e[j], argmax[j] = 0;
    for (int k = 0; k < E; k++) {
        const float *ek = e + (int64_t)k * H;
        for (int j = 0; j < H; j++) {
            mean[j] += ek[j];
            if (ek[j] > mx[j]) mx[j] = ek[j], argmax[j] = k;
        }
    }
    const float inv = 1.0f / (float)E;
    for (int j = 0; j < H; j++) mean[j] *= inv;
}

void pl_gnn_edgestats_backward(float *de, const float *dout, const int32_t *argmax, int E, int H)
{
    if (E <= 0) return;
    const float inv = 1.0f / (float)E;
    for (int k = 0; k < E; k++) {
        float *dek = de + (int64_t)k * H;
        for (int j = 0; j < H; j++) dek[j] += dout[j] * inv;
    }
    for (int j = 0; j < H; j++) de[(int64_t)argmax[j] * H + j] += dout[H + j];
}
