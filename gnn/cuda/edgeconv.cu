/* edgeconv.cu: the CUDA twins of gnn/edgeconv.c on a stacked (disjoint-union) graph; see cu.cuh.
 * One thread per (edge, channel) or (node, channel); node sums run over the CSR in edge order, as the
 * CPU does, so every output has one writer and a fixed summation order (no atomics). */
#include "gnn/cuda/cu.cuh"

/* Pre-activations of edge k, channel j, in the CPU's operation order: z1 = (P[s] + Q[d]) + base,
 * z2 = (P[d] + Q[s]) + base, base = w c + b. */
__device__ static inline void edge_z(const float *pq, const float *c, const float *b, const int32_t *src,
                                     const int32_t *dst, const float *w, int64_t k, int64_t j, int64_t NH, int H,
                                     float *z1, float *z2)
{
    const int64_t s = (int64_t)src[k] * H + j, d = (int64_t)dst[k] * H + j;
    const float base = w[k] * c[j] + b[j];
    *z1 = pq[s] + pq[NH + d] + base;
    *z2 = pq[d] + pq[NH + s] + base;
}

__global__ static void k_edgemlp_forward(float *e, const float *pq, const float *c, const float *b,
                                         const int32_t *src, const int32_t *dst, const float *w, int E, int N, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)E * H) return;
    float z1, z2;
    edge_z(pq, c, b, src, dst, w, i / H, i % H, (int64_t)N * H, H, &z1, &z2);
    e[i] = 0.5f * ((z1 > 0.0f ? z1 : 0.0f) + (z2 > 0.0f ? z2 : 0.0f));
}

pl_status pl_cu_edgemlp_forward(float *e, const float *pq, const float *c, const float *b, const int32_t *src,
                                const int32_t *dst, const float *w, int E, int N, int H)
{
    PL_LAUNCH_1D(k_edgemlp_forward, (int64_t)E * H, e, pq, c, b, src, dst, w, E, N, H);
    return PL_OK;
}

__global__ static void k_edgemlp_dz(float *dz, const float *de, const float *pq, const float *c, const float *b,
                                    const int32_t *src, const int32_t *dst, const float *w, int E, int N, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)E * H) return;
    float z1, z2;
    edge_z(pq, c, b, src, dst, w, i / H, i % H, (int64_t)N * H, H, &z1, &z2);
    const float half = 0.5f * de[i];
    dz[i] = (z1 > 0.0f ? half : 0.0f) + (z2 > 0.0f ? half : 0.0f);
}

pl_status pl_cu_edgemlp_dz(float *dz, const float *de, const float *pq, const float *c, const float *b,
                           const int32_t *src, const int32_t *dst, const float *w, int E, int N, int H)
{
    PL_LAUNCH_1D(k_edgemlp_dz, (int64_t)E * H, dz, de, pq, c, b, src, dst, w, E, N, H);
    return PL_OK;
}

/* Node v, channel j: over v's incident entries in order, dP[v] += dz of the direction where P[v]
 * enters (za = P[v] + Q[u] + base), dQ[v] += the other (zb = P[u] + Q[v] + base), u the other end. */
__global__ static void k_edgemlp_dnode(float *dpq, const float *de, const float *pq, const float *c, const float *b,
                                       const int32_t *src, const int32_t *dst, const float *w, const int32_t *off,
                                       const int32_t *inc, int N, int H)
{
    const int64_t i = pl_cu_tid();
    const int64_t NH = (int64_t)N * H;
    if (i >= NH) return;
    const int64_t v = i / H, j = i % H;
    float dp = dpq[i], dq = dpq[NH + i];
    for (int32_t t = off[v]; t < off[v + 1]; t++) {
        const int64_t k = inc[t] >> 1;
        const int64_t u = (inc[t] & 1) ? src[k] : dst[k]; /* side 1: v = dst, the other end is src */
        const float base = w[k] * c[j] + b[j];
        const float za = pq[v * H + j] + pq[NH + u * H + j] + base;
        const float zb = pq[u * H + j] + pq[NH + v * H + j] + base;
        const float half = 0.5f * de[k * H + j];
        dp += za > 0.0f ? half : 0.0f;
        dq += zb > 0.0f ? half : 0.0f;
    }
    dpq[i] = dp;
    dpq[NH + i] = dq;
}

pl_status pl_cu_edgemlp_dnode(float *dpq, const float *de, const float *pq, const float *c, const float *b,
                              const int32_t *src, const int32_t *dst, const float *w, const int32_t *off,
                              const int32_t *inc, int N, int H)
{
    PL_LAUNCH_1D(k_edgemlp_dnode, (int64_t)N * H, dpq, de, pq, c, b, src, dst, w, off, inc, N, H);
    return PL_OK;
}

__global__ static void k_segmean_forward(float *hout, const float *hin, const float *e, const int32_t *off,
                                         const int32_t *inc, int N, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)N * H) return;
    const int64_t v = i / H, j = i % H;
    const int32_t deg = off[v + 1] - off[v];
    if (deg == 0) {
        hout[i] = hin[i];
        return;
    }
    float acc = 0.0f;
    for (int32_t t = off[v]; t < off[v + 1]; t++) acc += e[(int64_t)(inc[t] >> 1) * H + j];
    const float inv = 1.0f / (float)deg;
    hout[i] = hin[i] + acc * inv;
}

pl_status pl_cu_segmean_forward(float *hout, const float *hin, const float *e, const int32_t *off,
                                const int32_t *inc, int N, int H)
{
    PL_LAUNCH_1D(k_segmean_forward, (int64_t)N * H, hout, hin, e, off, inc, N, H);
    return PL_OK;
}

/* Edge k's two endpoints each have degree >= 1 (the edge itself), so the divisions are safe. */
__global__ static void k_segmean_backward(float *de, const float *dout, const int32_t *src, const int32_t *dst,
                                          const int32_t *off, int E, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)E * H) return;
    const int64_t k = i / H, j = i % H;
    const int32_t s = src[k], d = dst[k];
    const float is = 1.0f / (float)(off[s + 1] - off[s]), id = 1.0f / (float)(off[d + 1] - off[d]);
    de[i] += dout[(int64_t)s * H + j] * is + dout[(int64_t)d * H + j] * id;
}

pl_status pl_cu_segmean_backward(float *de, const float *dout, const int32_t *src, const int32_t *dst,
                                 const int32_t *off, int E, int H)
{
    PL_LAUNCH_1D(k_segmean_backward, (int64_t)E * H, de, dout, src, dst, off, E, H);
    return PL_OK;
}

/* Block (state b, tile of 32 channels): lane = channel, warp w = the w-th contiguous slice of the state's
 * edges (EDGE_GROUPS slices). Each warp runs the CPU loop on its slice (sum in edge order, strict > so the
 * first edge reaching the max wins); lane's thread in warp 0 then combines the slices in order (strict >
 * again), which gives the CPU's argmax exactly and the mean summed in a fixed order. Warps read 32
 * consecutive channels of one edge: coalesced. */
enum { EDGE_LANES = 32, EDGE_GROUPS = PL_CU_TPB / EDGE_LANES };

__global__ static void k_edgestats_forward(float *stats, int32_t *argmax, const float *e, const int32_t *eoff, int H)
{
    __shared__ float s_sum[EDGE_GROUPS][EDGE_LANES], s_max[EDGE_GROUPS][EDGE_LANES];
    __shared__ int32_t s_arg[EDGE_GROUPS][EDGE_LANES];
    const int b = blockIdx.x, lane = threadIdx.x % EDGE_LANES, grp = threadIdx.x / EDGE_LANES;
    const int j = blockIdx.y * EDGE_LANES + lane;
    const int32_t k0 = eoff[b], E = eoff[b + 1] - k0, per = (E + EDGE_GROUPS - 1) / EDGE_GROUPS;
    const int32_t lo = k0 + min(E, grp * per), hi = k0 + min(E, (grp + 1) * per);
    float sum = 0.0f, best = 0.0f;
    int32_t arg = -1;
    for (int32_t k = lo; j < H && k < hi; k++) {
        const float x = e[(int64_t)k * H + j];
        sum += x;
        if (arg < 0 || x > best) best = x, arg = k;
    }
    s_sum[grp][lane] = sum, s_max[grp][lane] = best, s_arg[grp][lane] = arg;
    __syncthreads();
    if (grp != 0 || j >= H) return;
    float tsum = 0.0f, tbest = 0.0f;
    int32_t targ = -1;
    for (int w = 0; w < EDGE_GROUPS; w++) {
        if (s_arg[w][lane] < 0) continue; /* an empty slice */
        tsum += s_sum[w][lane];
        if (targ < 0 || s_max[w][lane] > tbest) tbest = s_max[w][lane], targ = s_arg[w][lane];
    }
    float *mean = stats + (int64_t)b * 2 * H;
    mean[j] = E > 0 ? tsum * (1.0f / (float)E) : 0.0f;
    mean[H + j] = E > 0 ? tbest : 0.0f;
    argmax[(int64_t)b * H + j] = targ; /* -1 when E = 0 */
}

pl_status pl_cu_edgestats_forward(float *stats, int32_t *argmax, const float *e, const int32_t *eoff, int B, int H)
{
    if (B <= 0 || H <= 0) return PL_OK;
    const dim3 grid((unsigned)B, (unsigned)((H + EDGE_LANES - 1) / EDGE_LANES));
    k_edgestats_forward<<<grid, PL_CU_TPB>>>(stats, argmax, e, eoff, H);
    return pl_cu_launched("k_edgestats_forward", __FILE__, __LINE__);
}

__global__ static void k_edgestats_backward_mean(float *de, const float *dmean, int ld, const int32_t *edge_state,
                                                 const int32_t *eoff, int E, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)E * H) return;
    const int64_t k = i / H, j = i % H;
    const int32_t b = edge_state[k];
    const float inv = 1.0f / (float)(eoff[b + 1] - eoff[b]);
    de[i] += dmean[(int64_t)b * ld + j] * inv;
}

/* One thread per (b, j): each writes one entry of its own state's edges, so no two threads meet. */
__global__ static void k_edgestats_backward_max(float *de, const float *dmax, int ld, const int32_t *argmax, int B,
                                                int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)B * H) return;
    const int64_t b = i / H, j = i % H;
    if (argmax[i] >= 0) de[(int64_t)argmax[i] * H + j] += dmax[b * ld + j];
}

pl_status pl_cu_edgestats_backward(float *de, const float *dmean, const float *dmax, int ld, const int32_t *argmax,
                                   const int32_t *edge_state, const int32_t *eoff, int E, int B, int H)
{
    /* the mean part over all edges first, then the max entries: the CPU's order */
    PL_LAUNCH_1D(k_edgestats_backward_mean, (int64_t)E * H, de, dmean, ld, edge_state, eoff, E, H);
    PL_LAUNCH_1D(k_edgestats_backward_max, (int64_t)B * H, de, dmax, ld, argmax, B, H);
    return PL_OK;
}
