/* ops.cu: the CUDA twins of gnn/ops.c (dense layers through cuBLAS, ReLU, attention, the masked policy
 * distribution, Adam) and small gather/scatter helpers of the readout; see cu.cuh. */
#include "gnn/cuda/cu.cuh"

/* ---- dense ---- */

pl_status pl_cu_gemm(const pl_cu_ctx *c, int tA, int tB, int M, int N, int K, const float *A, const float *B,
                     float beta, float *C)
{
    if (M <= 0 || N <= 0) return PL_OK;
    if (K <= 0) {
        if (beta == 0.0f) PL_CU(cudaMemset(C, 0, (size_t)M * (size_t)N * sizeof *C));
        return PL_OK;
    }
    /* Row-major C (M, N) = op(A) op(B) is column-major C^T (N, M) = op(B)^T op(A)^T: a row-major
     * matrix read column-major is its transpose, so we pass B first, with the row-major leading
     * dimensions (those of the cblas_sgemm call in ops.c). */
    const float one = 1.0f;
    PL_CUBLAS(cublasSgemm(c->blas, tB ? CUBLAS_OP_T : CUBLAS_OP_N, tA ? CUBLAS_OP_T : CUBLAS_OP_N, N, M, K, &one, B,
                          tB ? K : N, A, tA ? M : K, &beta, C, N));
    return PL_OK;
}

pl_status pl_cu_colsum(const pl_cu_ctx *c, float *db, const float *x, int N, int NO)
{
    if (N > c->ones_n) return pl_err(PL_ECUDA, "cuda: column sum over %d rows, ones buffer %lld", N, (long long)c->ones_n);
    return pl_cu_gemm(c, 0, 0, 1, NO, N, c->ones, x, 1.0f, db);
}

pl_status pl_cu_dense_forward(const pl_cu_ctx *c, float *out, const float *in, const float *w, const float *b,
                              int N, int NI, int NO, int relu)
{
    PL_TRY(pl_cu_gemm(c, 0, 0, N, NO, NI, in, w, 0.0f, out));
    if (b || relu) PL_TRY(pl_cu_bias_act(out, b, N, NO, relu));
    return PL_OK;
}

pl_status pl_cu_dense_backward(const pl_cu_ctx *c, float *din, float *dw, float *db, const float *dout,
                               const float *in, const float *w, int N, int NI, int NO)
{
    if (din) PL_TRY(pl_cu_gemm(c, 0, 1, N, NI, NO, dout, w, 1.0f, din));
    PL_TRY(pl_cu_gemm(c, 1, 0, NI, NO, N, in, dout, 1.0f, dw));
    if (db) PL_TRY(pl_cu_colsum(c, db, dout, N, NO));
    return PL_OK;
}

/* ---- elementwise ---- */

__global__ static void k_bias_act(float *out, const float *b, int64_t n, int cols, int relu)
{
    const int64_t i = pl_cu_tid();
    if (i >= n) return;
    float v = out[i];
    if (b) v += b[i % cols];
    if (relu) v = v > 0.0f ? v : 0.0f; /* as pl_gnn_relu_forward: NaN becomes 0 */
    out[i] = v;
}

pl_status pl_cu_bias_act(float *out, const float *b, int64_t rows, int cols, int relu)
{
    PL_LAUNCH_1D(k_bias_act, rows * cols, out, b, rows * cols, cols, relu);
    return PL_OK;
}

__global__ static void k_relu_gate(float *d, const float *y, int64_t n)
{
    const int64_t i = pl_cu_tid();
    if (i < n && !(y[i] > 0.0f)) d[i] = 0.0f;
}

pl_status pl_cu_relu_gate(float *d, const float *y, int64_t n)
{
    PL_LAUNCH_1D(k_relu_gate, n, d, y, n);
    return PL_OK;
}

__global__ static void k_relu_backward(float *din, const float *dout, int ld, const float *out, int64_t n, int cols)
{
    const int64_t i = pl_cu_tid();
    if (i >= n) return;
    const int64_t r = i / cols, j = i % cols;
    if (out[i] > 0.0f) din[i] += dout[r * ld + j];
}

pl_status pl_cu_relu_backward(float *din, const float *dout, int ld, const float *out, int64_t rows, int cols)
{
    PL_LAUNCH_1D(k_relu_backward, rows * cols, din, dout, ld, out, rows * cols, cols);
    return PL_OK;
}

__global__ static void k_add(float *dst, const float *src, int64_t n)
{
    const int64_t i = pl_cu_tid();
    if (i < n) dst[i] += src[i];
}

pl_status pl_cu_add(float *dst, const float *src, int64_t n)
{
    PL_LAUNCH_1D(k_add, n, dst, src, n);
    return PL_OK;
}

__global__ static void k_gather_rows(float *out, const float *h, const int32_t *rows, int B, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)B * H) return;
    const int64_t b = i / H, j = i % H;
    out[i] = h[(int64_t)rows[b] * H + j];
}

pl_status pl_cu_gather_rows(float *out, const float *h, const int32_t *rows, int B, int H)
{
    PL_LAUNCH_1D(k_gather_rows, (int64_t)B * H, out, h, rows, B, H);
    return PL_OK;
}

/* One thread per (b, j); the rows of different states are different nodes, so no two threads meet. */
__global__ static void k_scatter_add_rows(float *h, const float *src, int ld, const int32_t *rows, int B, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)B * H) return;
    const int64_t b = i / H, j = i % H;
    h[(int64_t)rows[b] * H + j] += src[b * ld + j];
}

pl_status pl_cu_scatter_add_rows(float *h, const float *src, int ld, const int32_t *rows, int B, int H)
{
    PL_LAUNCH_1D(k_scatter_add_rows, (int64_t)B * H, h, src, ld, rows, B, H);
    return PL_OK;
}

__global__ static void k_concat_readout(float *g, const float *hmeta, const float *stats, const float *att,
                                        const float *hcur, int B, int H)
{
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)B * 5 * H) return;
    const int64_t b = i / (5 * H), c = i % (5 * H);
    float v;
    if (c < H) v = hmeta[b * H + c];
    else if (c < 3 * H) v = stats[b * 2 * H + (c - H)];
    else if (c < 4 * H) v = att[b * H + (c - 3 * H)];
    else v = hcur[b * H + (c - 4 * H)];
    g[i] = v;
}

pl_status pl_cu_concat_readout(float *g, const float *hmeta, const float *stats, const float *att,
                               const float *hcur, int B, int H)
{
    PL_LAUNCH_1D(k_concat_readout, (int64_t)B * 5 * H, g, hmeta, stats, att, hcur, B, H);
    return PL_OK;
}

__global__ static void k_mask_logits(float *logits, const float *raw, const uint8_t *mask, int64_t n)
{
    const int64_t i = pl_cu_tid();
    if (i < n) logits[i] = mask[i] ? raw[i] : -INFINITY;
}

pl_status pl_cu_mask_logits(float *logits, const float *raw, const uint8_t *mask, int64_t n)
{
    PL_LAUNCH_1D(k_mask_logits, n, logits, raw, mask, n);
    return PL_OK;
}

__global__ static void k_mask_zero(float *out, const float *in, const uint8_t *mask, int64_t n)
{
    const int64_t i = pl_cu_tid();
    if (i < n) out[i] = mask[i] ? in[i] : 0.0f;
}

pl_status pl_cu_mask_zero(float *out, const float *in, const uint8_t *mask, int64_t n)
{
    PL_LAUNCH_1D(k_mask_zero, n, out, in, mask, n);
    return PL_OK;
}

/* ---- attention: one block per state ---- */

/* As pl_gnn_attention_forward over nodes noff[b]..noff[b+1] (at least one): scores, max, exp and
 * their sum in double (block tree), normalise, then out[j] summed over the nodes in order. */
__global__ static void k_attention_forward(float *out, float *alpha, const float *q, const float *k, const float *v,
                                           const int32_t *noff, int H, float scale)
{
    __shared__ double shd[PL_CU_TPB];
    __shared__ float shf[PL_CU_TPB];
    const int b = blockIdx.x, t = threadIdx.x;
    const int32_t n0 = noff[b], n1 = noff[b + 1];
    const float *qb = q + (int64_t)b * H;
    float mx = -INFINITY;
    for (int32_t n = n0 + t; n < n1; n += PL_CU_TPB) {
        const float *kn = k + (int64_t)n * H;
        float s = 0.0f;
        for (int j = 0; j < H; j++) s += qb[j] * kn[j];
        alpha[n] = s * scale;
        if (alpha[n] > mx) mx = alpha[n];
    }
    const float smax = pl_cu_block_max(mx, shf);
    double sum = 0.0;
    for (int32_t n = n0 + t; n < n1; n += PL_CU_TPB) {
        alpha[n] = expf(alpha[n] - smax);
        sum += alpha[n];
    }
    sum = pl_cu_block_sum(sum, shd);
    const float inv = (float)(1.0 / sum);
    for (int32_t n = n0 + t; n < n1; n += PL_CU_TPB) alpha[n] *= inv;
    __syncthreads(); /* every alpha of the state written before any thread reads them all */
    for (int j = t; j < H; j += PL_CU_TPB) {
        float acc = 0.0f;
        for (int32_t n = n0; n < n1; n++) acc += alpha[n] * v[(int64_t)n * H + j];
        out[(int64_t)b * H + j] = acc;
    }
}

pl_status pl_cu_attention_forward(float *out, float *alpha, const float *q, const float *k, const float *v,
                                  const int32_t *noff, int B, int H)
{
    PL_LAUNCH_BLOCKS(k_attention_forward, B, out, alpha, q, k, v, noff, H, 1.0f / sqrtf((float)H));
    return PL_OK;
}

/* As pl_gnn_attention_backward: da_n = dout . v_n, mean = sum alpha_n da_n (double, block tree),
 * ds_n = alpha_n (da_n - mean) scale; dv_n, dk_n by the node's thread; dq[j] by j's thread over n in order. */
__global__ static void k_attention_backward(float *dq, float *dk, float *dv, float *ds, const float *dout, int ld,
                                            const float *alpha, const float *q, const float *k, const float *v,
                                            const int32_t *noff, int H, float scale)
{
    __shared__ double shd[PL_CU_TPB];
    const int b = blockIdx.x, t = threadIdx.x;
    const int32_t n0 = noff[b], n1 = noff[b + 1];
    const float *db = dout + (int64_t)b * ld, *qb = q + (int64_t)b * H;
    double mean = 0.0;
    for (int32_t n = n0 + t; n < n1; n += PL_CU_TPB) {
        const float *vn = v + (int64_t)n * H;
        float da = 0.0f;
        for (int j = 0; j < H; j++) da += db[j] * vn[j];
        ds[n] = da;
        mean += (double)alpha[n] * da;
    }
    mean = pl_cu_block_sum(mean, shd);
    for (int32_t n = n0 + t; n < n1; n += PL_CU_TPB) {
        float *dvn = dv + (int64_t)n * H, *dkn = dk + (int64_t)n * H;
        const float s = alpha[n] * (ds[n] - (float)mean) * scale;
        ds[n] = s;
        for (int j = 0; j < H; j++) {
            dvn[j] += alpha[n] * db[j];
            dkn[j] += s * qb[j];
        }
    }
    __syncthreads(); /* every ds of the state written */
    for (int j = t; j < H; j += PL_CU_TPB) {
        float acc = dq[(int64_t)b * H + j];
        for (int32_t n = n0; n < n1; n++) acc += ds[n] * k[(int64_t)n * H + j];
        dq[(int64_t)b * H + j] = acc;
    }
}

pl_status pl_cu_attention_backward(float *dq, float *dk, float *dv, float *ds, const float *dout, int ld,
                                   const float *alpha, const float *q, const float *k, const float *v,
                                   const int32_t *noff, int B, int H)
{
    PL_LAUNCH_BLOCKS(k_attention_backward, B, dq, dk, dv, ds, dout, ld, alpha, q, k, v, noff, H,
                     1.0f / sqrtf((float)H));
    return PL_OK;
}

/* ---- masked policy distribution: one block per state ---- */

__global__ static void k_policy_forward(float *probs, double *lse, float *logp, float *ent, int32_t *status,
                                        const float *logits, const uint8_t *mask, const int32_t *aoff,
                                        const int32_t *actions)
{
    __shared__ double shd[PL_CU_TPB];
    __shared__ float shf[PL_CU_TPB];
    const int b = blockIdx.x, t = threadIdx.x;
    const int32_t a0 = aoff[b], a1 = aoff[b + 1];
    float mx = -INFINITY;
    double legal = 0.0;
    for (int32_t a = a0 + t; a < a1; a += PL_CU_TPB)
        if (mask[a]) {
            legal += 1.0;
            if (logits[a] > mx) mx = logits[a];
        }
    legal = pl_cu_block_sum(legal, shd);
    const float zmax = pl_cu_block_max(mx, shf);
    if (legal == 0.0) { /* block-uniform: every thread leaves */
        if (t == 0) status[b] = 1;
        return;
    }
    double sum = 0.0;
    for (int32_t a = a0 + t; a < a1; a += PL_CU_TPB) {
        probs[a] = mask[a] ? expf(logits[a] - zmax) : 0.0f;
        sum += probs[a];
    }
    sum = pl_cu_block_sum(sum, shd);
    const double l = (double)zmax + log(sum);
    double h = 0.0;
    for (int32_t a = a0 + t; a < a1; a += PL_CU_TPB) { /* each thread rescales the cells it wrote */
        probs[a] = (float)(probs[a] / sum);
        if (mask[a] && probs[a] > 0.0f) h -= (double)probs[a] * ((double)logits[a] - l);
    }
    h = pl_cu_block_sum(h, shd);
    if (t != 0) return;
    lse[b] = l;
    ent[b] = (float)h;
    status[b] = 0;
    if (!actions) return;
    const int32_t act = actions[b];
    if (act < 0 || act >= a1 - a0 || !mask[a0 + act]) {
        status[b] = 2;
        return;
    }
    logp[b] = (float)((double)logits[a0 + act] - l);
}

pl_status pl_cu_policy_forward(float *probs, double *lse, float *logp, float *ent, int32_t *status,
                               const float *logits, const uint8_t *mask, const int32_t *aoff,
                               const int32_t *actions, int B)
{
    PL_LAUNCH_BLOCKS(k_policy_forward, B, probs, lse, logp, ent, status, logits, mask, aoff, actions);
    return PL_OK;
}

/* logprob backward then entropy backward, in the order and precision of ops.c. */
__global__ static void k_policy_backward(float *dlogits, const float *probs, const double *lse, const float *ent,
                                         const float *logits, const uint8_t *mask, const int32_t *cell_state,
                                         const int32_t *aoff, const int32_t *actions, const float *dlogp,
                                         const float *dent, int64_t n)
{
    const int64_t i = pl_cu_tid();
    if (i >= n) return;
    float dl = 0.0f;
    if (mask[i]) {
        const int32_t b = cell_state[i];
        const int32_t j = (int32_t)(i - aoff[b]);
        dl += dlogp[b] * ((j == actions[b] ? 1.0f : 0.0f) - probs[i]);
        const double logpj = (double)logits[i] - lse[b];
        dl += (float)(-(double)dent[b] * probs[i] * (logpj + ent[b]));
    }
    dlogits[i] = dl;
}

pl_status pl_cu_policy_backward(float *dlogits, const float *probs, const double *lse, const float *ent,
                                const float *logits, const uint8_t *mask, const int32_t *cell_state,
                                const int32_t *aoff, const int32_t *actions, const float *dlogp,
                                const float *dent, int64_t Atot)
{
    PL_LAUNCH_1D(k_policy_backward, Atot, dlogits, probs, lse, ent, logits, mask, cell_state, aoff, actions, dlogp,
                 dent, Atot);
    return PL_OK;
}

/* ---- Adam ---- */

/* Pass 1: block `blk` sums x[i]^2 for i = blk*TPB + t + k*(blocks*TPB), k = 0, 1, ... (a fixed grid, so a
 * fixed assignment), then its block tree. */
__global__ static void k_sumsq_part(double *part, const float *x, int64_t n)
{
    __shared__ double shd[PL_CU_TPB];
    double s = 0.0;
    for (int64_t i = pl_cu_tid(); i < n; i += (int64_t)gridDim.x * PL_CU_TPB) s += (double)x[i] * x[i];
    s = pl_cu_block_sum(s, shd);
    if (threadIdx.x == 0) part[blockIdx.x] = s;
}

/* Pass 2: one block sums the partials. */
__global__ static void k_sumsq_final(double *out, const double *part, int nparts)
{
    __shared__ double shd[PL_CU_TPB];
    double s = 0.0;
    for (int i = threadIdx.x; i < nparts; i += PL_CU_TPB) s += part[i];
    s = pl_cu_block_sum(s, shd);
    if (threadIdx.x == 0) out[0] = s;
}

pl_status pl_cu_sumsq(double *out, double *part, const float *x, int64_t n)
{
    PL_LAUNCH_BLOCKS(k_sumsq_part, PL_CU_ADAM_BLOCKS, part, x, n);
    PL_LAUNCH_BLOCKS(k_sumsq_final, 1, out, (const double *)part, (int)PL_CU_ADAM_BLOCKS);
    return PL_OK;
}

/* The _rn intrinsics round each operation separately, as the host's SSE code does (nvcc would otherwise
 * contract a*b + c into one FMA), so the update is bit-identical to adam.c given the same scale. */
__global__ static void k_adam_update(float *params, float *m, float *v, const float *grads, int64_t n, float scale,
                                     float b1, float b2, float c1, float c2, float lr, float eps, float wd)
{
    const int64_t i = pl_cu_tid();
    if (i >= n) return;
    const float g = __fmul_rn(grads[i], scale);
    const float mi = __fadd_rn(__fmul_rn(b1, m[i]), __fmul_rn(__fsub_rn(1.0f, b1), g));
    const float vi = __fadd_rn(__fmul_rn(b2, v[i]), __fmul_rn(__fmul_rn(__fsub_rn(1.0f, b2), g), g));
    m[i] = mi;
    v[i] = vi;
    const float mh = __fdiv_rn(mi, c1), vh = __fdiv_rn(vi, c2);
    const float p = params[i];
    const float step = __fadd_rn(__fdiv_rn(mh, __fadd_rn(__fsqrt_rn(vh), eps)), __fmul_rn(wd, p));
    params[i] = __fsub_rn(p, __fmul_rn(lr, step));
}

pl_status pl_cu_adam_update(float *params, float *m, float *v, const float *grads, int64_t n, float scale,
                            const pl_gnn_adam_config *cfg, float c1, float c2)
{
    PL_LAUNCH_1D(k_adam_update, n, params, m, v, grads, n, scale, cfg->beta1, cfg->beta2, c1, c2, cfg->lr, cfg->eps,
                 cfg->weight_decay);
    return PL_OK;
}
