/* cu.cuh: internal to the gnn/cuda .cu files (CUDA C++; never included by C code): error checks, launch helpers,
 * deterministic block reductions, and the host wrappers of every kernel (defined in ops.cu,
 * edgeconv.cu, conv.cu). The public door is gnn/gpu.h.
 *
 * Conventions: all pointers are device pointers, row-major floats with the CPU shapes (gnn/ops.h,
 * edgeconv.h, conv.h); "stacked" means B states concatenated (nodes by noff, edges by eoff, cells by aoff,
 * each (B+1) int32 offsets). Every wrapper returns pl_status: PL_ECUDA (with the kernel's name and the
 * CUDA message) if a launch or a cuBLAS call fails. Like the CPU ops, every backward ADDS into its
 * d-buffers. Determinism: one thread owns each output and sums in a fixed order (segment reductions over
 * the CSR, gathers instead of scatters), block reductions use a fixed tree; no float atomics anywhere.
 * Everything runs on the legacy default stream, in launch order.
 */
#ifndef PL_GNN_CUDA_CU_CUH
#define PL_GNN_CUDA_CU_CUH

/* C system headers first, outside extern "C", so the project headers' includes of them are no-ops. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cublas_v2.h>
#include <cuda_runtime.h>

extern "C" {
#include "gnn/adam.h"
#include "gnn/gpu.h"
#include "gnn/head.h"
#include "gnn/model.h"
#include "core/status.h"
}

/* Threads per block of every 1-D launch; block reductions need a power of two. */
enum { PL_CU_TPB = 256 };

/* A CUDA runtime call: on failure return PL_ECUDA naming the call, the place and CUDA's message. */
#define PL_CU(call)                                                                                     \
    do {                                                                                                \
        cudaError_t pl_cu_e_ = (call);                                                                  \
        if (pl_cu_e_ != cudaSuccess)                                                                    \
            return pl_err(PL_ECUDA, "cuda: %s failed (%s:%d): %s", #call, __FILE__, __LINE__,           \
                          cudaGetErrorString(pl_cu_e_));                                                \
    } while (0)

/* A cuBLAS call, likewise. */
#define PL_CUBLAS(call)                                                                                 \
    do {                                                                                                \
        cublasStatus_t pl_cb_s_ = (call);                                                               \
        if (pl_cb_s_ != CUBLAS_STATUS_SUCCESS)                                                          \
            return pl_err(PL_ECUDA, "cublas: %s failed (%s:%d): %s", #call, __FILE__, __LINE__,         \
                          cublasGetStatusString(pl_cb_s_));                                             \
    } while (0)

/* The check that follows every kernel launch (launch errors; execution errors surface at the next
 * synchronising call, which is checked too). */
static inline pl_status pl_cu_launched(const char *kernel, const char *file, int line)
{
    cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess)
        return pl_err(PL_ECUDA, "cuda: kernel %s failed to launch (%s:%d): %s", kernel, file, line,
                      cudaGetErrorString(e));
    return PL_OK;
}

/* Launch kernel k with one thread per element of n (nothing when n <= 0: an empty grid is an error in
 * CUDA), then check. */
template <typename... P, typename... A>
static pl_status pl_cu_launch_1d(const char *name, const char *file, int line, void (*k)(P...), int64_t n,
                                 A... args)
{
    if (n <= 0) return PL_OK;
    const int64_t blocks = (n + PL_CU_TPB - 1) / PL_CU_TPB;
    k<<<(unsigned)blocks, PL_CU_TPB>>>(args...);
    return pl_cu_launched(name, file, line);
}

/* Launch kernel k with `blocks` blocks of PL_CU_TPB threads (one block per state...), then check. */
template <typename... P, typename... A>
static pl_status pl_cu_launch_blocks(const char *name, const char *file, int line, void (*k)(P...),
                                     int64_t blocks, A... args)
{
    if (blocks <= 0) return PL_OK;
    k<<<(unsigned)blocks, PL_CU_TPB>>>(args...);
    return pl_cu_launched(name, file, line);
}

#define PL_LAUNCH_1D(k, n, ...) PL_TRY(pl_cu_launch_1d(#k, __FILE__, __LINE__, k, (int64_t)(n), __VA_ARGS__))
#define PL_LAUNCH_BLOCKS(k, nb, ...) \
    PL_TRY(pl_cu_launch_blocks(#k, __FILE__, __LINE__, k, (int64_t)(nb), __VA_ARGS__))

/* Global index of this thread in a 1-D launch. */
__device__ static inline int64_t pl_cu_tid(void) { return (int64_t)blockIdx.x * blockDim.x + threadIdx.x; }

/* Block-wide sum in double over a fixed tree (blockDim.x = PL_CU_TPB): the same result on every run.
 * Every thread of the block must call it; every thread gets the sum. */
__device__ static inline double pl_cu_block_sum(double v, double *sh /* (PL_CU_TPB) shared */)
{
    const int t = threadIdx.x;
    sh[t] = v;
    __syncthreads();
    for (int s = PL_CU_TPB / 2; s > 0; s >>= 1) {
        if (t < s) sh[t] += sh[t + s];
        __syncthreads();
    }
    const double r = sh[0];
    __syncthreads();
    return r;
}

/* Block-wide max (exact whatever the order); -INFINITY when every thread passes -INFINITY. */
__device__ static inline float pl_cu_block_max(float v, float *sh /* (PL_CU_TPB) shared */)
{
    const int t = threadIdx.x;
    sh[t] = v;
    __syncthreads();
    for (int s = PL_CU_TPB / 2; s > 0; s >>= 1) {
        if (t < s && sh[t + s] > sh[t]) sh[t] = sh[t + s];
        __syncthreads();
    }
    const float r = sh[0];
    __syncthreads();
    return r;
}

/* What the GEMM and column-sum wrappers need. */
typedef struct pl_cu_ctx {
    cublasHandle_t blas;
    const float *ones; /* (ones_n) of 1.0f, for column sums as GEMMs */
    int64_t ones_n;
} pl_cu_ctx;

/* ---- ops.cu ---- */
/* C (M, N) = beta C + op(A) op(B), row-major, as pl_gnn_gemm (beta 0 or 1; K <= 0 gives beta C). */
pl_status pl_cu_gemm(const pl_cu_ctx *c, int tA, int tB, int M, int N, int K, const float *A, const float *B,
                     float beta, float *C);
/* db (NO) += column sums of x (N, NO), as ones (1, N) x: a GEMM, fixed order for fixed shapes. */
pl_status pl_cu_colsum(const pl_cu_ctx *c, float *db, const float *x, int N, int NO);
/* out (N, NO) = in w + b (b may be NULL), then relu when `relu`. */
pl_status pl_cu_dense_forward(const pl_cu_ctx *c, float *out, const float *in, const float *w, const float *b,
                              int N, int NI, int NO, int relu);
/* din += dout w^T (din may be NULL); dw += in^T dout; db += colsum(dout) (db may be NULL). */
pl_status pl_cu_dense_backward(const pl_cu_ctx *c, float *din, float *dw, float *db, const float *dout,
                               const float *in, const float *w, int N, int NI, int NO);
/* out (rows, cols) += b per column (b may be NULL), then out = max(out, 0) when relu. */
pl_status pl_cu_bias_act(float *out, const float *b, int64_t rows, int cols, int relu);
/* d = 0 where y <= 0 (relu backward in place). */
pl_status pl_cu_relu_gate(float *d, const float *y, int64_t n);
/* din (rows, cols) += dout (rows, ld) where out (rows, cols) > 0. */
pl_status pl_cu_relu_backward(float *din, const float *dout, int ld, const float *out, int64_t rows, int cols);
/* dst += src over n floats. */
pl_status pl_cu_add(float *dst, const float *src, int64_t n);
/* out (B, H): row b = h row rows[b]. */
pl_status pl_cu_gather_rows(float *out, const float *h, const int32_t *rows, int B, int H);
/* h row rows[b] += src (B, ld) row b, first H columns. */
pl_status pl_cu_scatter_add_rows(float *h, const float *src, int ld, const int32_t *rows, int B, int H);
/* g (B, 5H) = [hmeta | stats | att | hcur]. */
pl_status pl_cu_concat_readout(float *g, const float *hmeta, const float *stats, const float *att,
                               const float *hcur, int B, int H);
/* logits = mask ? raw : -inf. */
pl_status pl_cu_mask_logits(float *logits, const float *raw, const uint8_t *mask, int64_t n);
/* out = mask ? in : 0. */
pl_status pl_cu_mask_zero(float *out, const float *in, const uint8_t *mask, int64_t n);
/* Attention of each state's query over its nodes (noff): alpha (Ntot), out (B, H). */
pl_status pl_cu_attention_forward(float *out, float *alpha, const float *q, const float *k, const float *v,
                                  const int32_t *noff, int B, int H);
/* dq (B, H), dk, dv (Ntot, H) += gradients given dout (B, ld); ds is scratch (Ntot). */
pl_status pl_cu_attention_backward(float *dq, float *dk, float *dv, float *ds, const float *dout, int ld,
                                   const float *alpha, const float *q, const float *k, const float *v,
                                   const int32_t *noff, int B, int H);
/* Per state b (cells aoff[b]..aoff[b+1]): probs, lse (double), entropy; logp of actions[b] when actions
 * is not NULL. status[b]: 0 ok, 1 no legal cell, 2 bad action. */
pl_status pl_cu_policy_forward(float *probs, double *lse, float *logp, float *ent, int32_t *status,
                               const float *logits, const uint8_t *mask, const int32_t *aoff,
                               const int32_t *actions, int B);
/* dlogits (Atot) = logprob backward (dlogp) + entropy backward (dent), 0 on masked cells. */
pl_status pl_cu_policy_backward(float *dlogits, const float *probs, const double *lse, const float *ent,
                                const float *logits, const uint8_t *mask, const int32_t *cell_state,
                                const int32_t *aoff, const int32_t *actions, const float *dlogp,
                                const float *dent, int64_t Atot);
/* out[0] = sum of x^2 in double: per-block partials (part, PL_CU_ADAM_BLOCKS doubles), then one block. */
enum { PL_CU_ADAM_BLOCKS = 256 };
pl_status pl_cu_sumsq(double *out, double *part, const float *x, int64_t n);
/* The Adam update of adam.c, element by element with the same float roundings (no FMA contraction). */
pl_status pl_cu_adam_update(float *params, float *m, float *v, const float *grads, int64_t n, float scale,
                            const pl_gnn_adam_config *cfg, float c1, float c2);

/* ---- edgeconv.cu ---- */
pl_status pl_cu_edgemlp_forward(float *e, const float *pq, const float *c, const float *b, const int32_t *src,
                                const int32_t *dst, const float *w, int E, int N, int H);
/* dz (E, H) = d e / d z summed over both directions (w dz and dz give dc and db). */
pl_status pl_cu_edgemlp_dz(float *dz, const float *de, const float *pq, const float *c, const float *b,
                           const int32_t *src, const int32_t *dst, const float *w, int E, int N, int H);
/* dpq (2, N, H) += per-node gradients, gathered over each node's CSR entries in order. */
pl_status pl_cu_edgemlp_dnode(float *dpq, const float *de, const float *pq, const float *c, const float *b,
                              const int32_t *src, const int32_t *dst, const float *w, const int32_t *off,
                              const int32_t *inc, int N, int H);
/* hout = hin + mean of e over incident entries (hin where isolated). */
pl_status pl_cu_segmean_forward(float *hout, const float *hin, const float *e, const int32_t *off,
                                const int32_t *inc, int N, int H);
pl_status pl_cu_segmean_backward(float *de, const float *dout, const int32_t *src, const int32_t *dst,
                                 const int32_t *off, int E, int H);
/* stats (B, 2H), argmax (B, H) global edge index or -1, per state's edges eoff. */
pl_status pl_cu_edgestats_forward(float *stats, int32_t *argmax, const float *e, const int32_t *eoff, int B, int H);
/* de += gradients given dmean (B, ld) and dmax (B, ld). */
pl_status pl_cu_edgestats_backward(float *de, const float *dmean, const float *dmax, int ld, const int32_t *argmax,
                                   const int32_t *edge_state, const int32_t *eoff, int E, int B, int H);

/* ---- conv.cu ---- */
/* Stacked grids of the conv head: cell c belongs to state cell_state[c]; state b is cols[b] x rows[b]
 * starting at aoff[b]. */
typedef struct pl_cu_grids {
    const int32_t *cell_state, *aoff, *cols, *rows;
    int64_t A; /* total cells */
} pl_cu_grids;
/* x0 (A, Cg + 5) = [p of the cell's state | mask | wire | density | x | y], as head.c. */
pl_status pl_cu_conv_input(float *x0, const float *p, const uint8_t *mask, const float *wire,
                           const float *density, const pl_cu_grids *g, int Cg);
/* dp (B, Cg) += sum over the state's cells of dx0's first Cg channels. */
pl_status pl_cu_conv_input_backward(float *dp, const float *dx0, const pl_cu_grids *g, int B, int Cg);
pl_status pl_cu_im2col3x3(float *col, const float *in, const pl_cu_grids *g, int Ci);
/* din += the adjoint of im2col (a gather, taps in the CPU's accumulation order). */
pl_status pl_cu_col2im3x3(float *din, const float *col, const pl_cu_grids *g, int Ci);
/* Transposed convolution's im2col: B grids Si x Si -> So = stride Si; col (B So^2, 9 Ci). */
pl_status pl_cu_im2col_t(float *col, const float *in, int B, int Si, int stride, int Ci);
pl_status pl_cu_col2im_t(float *din, const float *col, int B, int Si, int stride, int Ci);
/* raw (A) = centred cols x rows window of each state's 128 x 128 map (B, 128^2), and its adjoint. */
pl_status pl_cu_crop(float *raw, const float *map, const pl_cu_grids *g);
pl_status pl_cu_crop_backward(float *dmap, const float *draw, const pl_cu_grids *g);
/* The side term (model.h): raw (A) += scale * side_w[0] * side(cell), the macro the current node cur[b] of
 * each state (x: (nodes, F) features); its gradient dside[0] += scale * sum of draw * side, state by state. */
pl_status pl_cu_side_forward(float *raw, const float *x, const int32_t *cur, int F, const float *side_w,
                             const pl_cu_grids *g);
pl_status pl_cu_side_backward(float *dside, const float *draw, const float *x, const int32_t *cur, int F,
                              const pl_cu_grids *g, int B);

#endif
