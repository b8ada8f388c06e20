/* ops.c: see ops.h. The reference implementations of the dense GNN ops. */
#include "gnn/ops.h"

#include <math.h>
#include <string.h>

#ifdef PL_HAVE_OPENBLAS
#include <cblas.h>
#endif

void pl_gnn_gemm_naive(int tA, int tB, int M, int N, int K, const float *A, const float *B, float beta,
                       float *C)
{
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++) {
            float acc = 0.0f;
            for (int p = 0; p < K; p++) {
                float a = tA ? A[(int64_t)p * M + i] : A[(int64_t)i * K + p];
                float b = tB ? B[(int64_t)j * K + p] : B[(int64_t)p * N + j];
                acc += a * b;
            }
            float *c = &C[(int64_t)i * N + j];
            *c = beta == 0.0f ? acc : beta * *c + acc;
        }
    }
}

enum { LANES = 8 };

/* c += a * b over n floats; LANES-sized chunks so that -O2 vectorises them. */
static inline void axpy_lanes(float *restrict c, float a, const float *restrict b, int n)
{
    for (int j = 0; j < n; j++) c[j] += a * b[j];
}

/* The fixed-order GEMM: every C element is summed over k = 0, 1, ..., K-1 in that order, whatever
 * the shapes; it serves the long reductions (weight gradients over N nodes, A cells, E edges). */
static void gemm_ordered(int tA, int tB, int M, int N, int K, const float *A, const float *B, float beta, float *C)
{
    if (beta == 0.0f) memset(C, 0, (size_t)M * (size_t)N * sizeof *C);
    if (tB) {
        pl_gnn_gemm_naive(tA, tB, M, N, K, A, B, 1.0f, C);
        return;
    }
    for (int p = 0; p < K; p++) {
        const float *b = B + (int64_t)p * N;
        for (int i = 0; i < M; i++) {
            const float a = tA ? A[(int64_t)p * M + i] : A[(int64_t)i * K + p];
            float *c = C + (int64_t)i * N;
            int j = 0;
            for (; j + LANES <= N; j += LANES) axpy_lanes(c + j, a, b + j, LANES);
            axpy_lanes(c + j, a, b + j, N - j);
        }
    }
}

/* OpenBLAS's result depends on how its threads split M and N on some kernels (measured on 0.3.21,
 * Zen/Haswell kernels: 1 vs 2 threads differ for K as small as 8; the Sandybridge kernel agrees), and
 * a long K-blocked sum may be regrouped too. So every GEMM runs OpenBLAS on one thread (parallelism
 * comes from our own thread pools and MPI ranks) and K past BLAS_MAX_K takes the fixed-order loop.
 * tests/gnn/test_model.c checks that a caller's OpenBLAS thread count does not change a bit. */
enum { BLAS_MAX_K = 160 };

void pl_gnn_gemm(int tA, int tB, int M, int N, int K, const float *A, const float *B, float beta, float *C)
{
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (beta == 0.0f) memset(C, 0, (size_t)M * (size_t)N * sizeof *C);
        return;
    }
#ifdef PL_HAVE_OPENBLAS
    if (K <= BLAS_MAX_K) {
        if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
        cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, A,
                    tA ? M : K, B, tB ? K : N, beta, C, N);
        return;
    }
#endif
    gemm_ordered(tA, tB, M, N, K, A, B, beta, C);
}

void pl_gnn_dense_forward(float *out, const float *in, const float *w, const float *b, int N, int NI, int NO)
{
    pl_gnn_gemm(0, 0, N, NO, NI, in, w, 0.0f, out);
    if (!b) return;
    for (int n = 0; n < N; n++) {
        float *o = out + (int64_t)n * NO;
        for (int j = 0; j < NO; j++) o[j] += b[j];
    }
}

void pl_gnn_dense_backward(float *din, float *dw, float *db, const float *dout, const float *in, const float *w,
                           int N, int NI, int NO)
{
    if (din) pl_gnn_gemm(0, 1, N, NI, NO, dout, w, 1.0f, din);
    pl_gnn_gemm(1, 0, NI, NO, N, in, dout, 1.0f, dw);
    if (!db) return;
    for (int n = 0; n < N; n++) {
        const float *d = dout + (int64_t)n * NO;
        for (int j = 0; j < NO; j++) db[j] += d[j];
    }
}

void pl_gnn_relu_forward(float *out, const float *in, int64_t n)
{
    for (int64_t i = 0; i < n; i++) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

void pl_gnn_relu_backward(float *din, const float *dout, const float *out, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (out[i] > 0.0f) din[i] += dout[i];
}

void pl_gnn_attention_forward(float *out, float *alpha, const float *q, const float *k, const float *v, int N,
                              int H)
{
    const float scale = 1.0f / sqrtf((float)H);
    float smax = -INFINITY;
    for (int n = 0; n < N; n++) {
        const float *kn = k + (int64_t)n * H;
        float s = 0.0f;
        for (int j = 0; j < H; j++) s += q[j] * kn[j];
        alpha[n] = s * scale;
        if (alpha[n] > smax) smax = alpha[n];
    }
    double sum = 0.0;
    for (int n = 0; n < N; n++) {
        alpha[n] = expf(alpha[n] - smax);
        sum += alpha[n];
    }
    const float inv = (float)(1.0 / sum);
    for (int j = 0; j < H; j++) out[j] = 0.0f;
    for (int n = 0; n < N; n++) {
        alpha[n] *= inv;
        const float *vn = v + (int64_t)n * H;
        for (int j = 0; j < H; j++) out[j] += alpha[n] * vn[j];
    }
}

void pl_gnn_attention_backward(float *dq, float *dk, float *dv, const float *dout, const float *alpha,
                               const float *q, const float *k, const float *v, int N, int H)
{
    const float scale = 1.0f / sqrtf((float)H);
    /* dalpha_n = dout . v_n; ds_n = alpha_n (dalpha_n - sum_m alpha_m dalpha_m) */
    double mean = 0.0;
    for (int n = 0; n < N; n++) {
        const float *vn = v + (int64_t)n * H;
        float da = 0.0f;
        for (int j = 0; j < H; j++) da += dout[j] * vn[j];
        mean += (double)alpha[n] * da;
    }
    for (int n = 0; n < N; n++) {
        const float *vn = v + (int64_t)n * H, *kn = k + (int64_t)n * H;
        float *dvn = dv + (int64_t)n * H, *dkn = dk + (int64_t)n * H;
        float da = 0.0f;
        for (int j = 0; j < H; j++) da += dout[j] * vn[j];
        const float ds = alpha[n] * (da - (float)mean) * scale;
        for (int j = 0; j < H; j++) {
            dvn[j] += alpha[n] * dout[j];
            dkn[j] += ds * q[j];
            dq[j] += ds * kn[j];
        }
    }
}

pl_status pl_gnn_softmax_masked_forward(pl_gnn_dist *d)
{
    float zmax = -INFINITY;
    int any = 0;
    for (int32_t a = 0; a < d->A; a++)
        if (d->mask[a] && (!any || d->logits[a] > zmax)) zmax = d->logits[a], any = 1;
    if (!any) return pl_err(PL_EINVAL, "policy: no legal cell in a %d-cell grid (all masked)", (int)d->A);
    double sum = 0.0;
    for (int32_t a = 0; a < d->A; a++) {
        d->probs[a] = d->mask[a] ? expf(d->logits[a] - zmax) : 0.0f;
        sum += d->probs[a];
    }
    for (int32_t a = 0; a < d->A; a++) d->probs[a] = (float)(d->probs[a] / sum);
    d->lse = (double)zmax + log(sum);
    return PL_OK;
}

pl_status pl_gnn_logprob_forward(const pl_gnn_dist *d, int32_t a, float *logp)
{
    if (a < 0 || a >= d->A) return pl_err(PL_EINVAL, "policy: action %d outside the %d-cell grid", (int)a, (int)d->A);
    if (!d->mask[a]) return pl_err(PL_EINVAL, "policy: action %d is a masked cell", (int)a);
    *logp = (float)((double)d->logits[a] - d->lse);
    return PL_OK;
}

void pl_gnn_logprob_backward(float *dlogits, const pl_gnn_dist *d, int32_t a, float dlogp)
{
    for (int32_t j = 0; j < d->A; j++)
        if (d->mask[j]) dlogits[j] += dlogp * ((j == a ? 1.0f : 0.0f) - d->probs[j]);
}

float pl_gnn_entropy_forward(const pl_gnn_dist *d)
{
    double h = 0.0;
    for (int32_t j = 0; j < d->A; j++)
        if (d->mask[j] && d->probs[j] > 0.0f) h -= (double)d->probs[j] * ((double)d->logits[j] - d->lse);
    return (float)h;
}

void pl_gnn_entropy_backward(float *dlogits, const pl_gnn_dist *d, float ent, float dent)
{
    for (int32_t j = 0; j < d->A; j++) {
        if (!d->mask[j]) continue;
        const double logp = (double)d->logits[j] - d->lse;
        dlogits[j] += (float)(-(double)dent * d->probs[j] * (logp + ent));
    }
}

pl_status pl_gnn_sample(const pl_gnn_dist *d, pl_rng *rng, int32_t *a)
{
    int32_t last = -1;
    double total = 0.0;
    for (int32_t j = 0; j < d->A; j++)
        if (d->mask[j] && d->probs[j] > 0.0f) total += d->probs[j], last = j;
    if (last < 0) return pl_err(PL_EINVAL, "policy: cannot sample, no legal cell in a %d-cell grid", (int)d->A);
    const double u = pl_rng_uniform(rng) * total;
    double acc = 0.0;
    for (int32_t j = 0; j < d->A; j++) {
        if (!d->mask[j] || d->probs[j] <= 0.0f) continue;
        acc += d->probs[j];
        if (u < acc) {
            *a = j;
            return PL_OK;
        }
    }
    *a = last; /* u landed in the rounding gap at the very end */
    return PL_OK;
}

pl_status pl_gnn_argmax(const pl_gnn_dist *d, int32_t *a)
{
    int32_t best = -1;
    for (int32_t j = 0; j < d->A; j++)
        if (d->mask[j] && (best < 0 || d->logits[j] > d->logits[best])) best = j;
    if (best < 0) return pl_err(PL_EINVAL, "policy: no legal cell in a %d-cell grid (all masked)", (int)d->A);
    *a = best;
    return PL_OK;
}
