/* ops.h: dense numeric ops of the GNN, the plain-C reference (OpenBLAS sgemm when built with it).
 *
 * Shapes: N rows (nodes), NI/NO input/output features, H hidden, A grid cells; all row-major floats.
 * Pairs <op>_forward / <op>_backward. Every backward ADDS (+=) into its d-inputs and d-params, so
 * callers zero gradient buffers once and several uses of one tensor sum up. Callers own all buffers.
 * Masked policy ops: illegal cells (mask 0) get probability exactly 0 and gradient 0; an all-masked
 * grid is PL_EINVAL. Determinism: fixed loop orders, sums that decide probabilities in double; GEMMs
 * with K <= 160 go to OpenBLAS on one thread (it is set to 1 when a caller changed it), longer
 * reductions to a fixed-order loop, so no result depends on the machine's core count or on the
 * OpenBLAS thread count (tests/gnn/test_model.c checks 1 vs 2 threads bit for bit).
 * Threads: the ops keep no state; OpenBLAS runs single-threaded inside each GEMM.
 */
#ifndef PL_GNN_OPS_H
#define PL_GNN_OPS_H

#include <stdint.h>

#include "core/rng.h"
#include "core/status.h"

/* C (M, N) = beta * C + op(A) op(B), row-major; op(X) = X^T when tX. beta is 0 or 1. A (M, K) or
 * (K, M) when tA; B (K, N) or (N, K) when tB. */
void pl_gnn_gemm(int tA, int tB, int M, int N, int K, const float *A, const float *B, float beta, float *C);
/* The same by three plain loops: the oracle in tests, the fallback without OpenBLAS. */
void pl_gnn_gemm_naive(int tA, int tB, int M, int N, int K, const float *A, const float *B, float beta,
                       float *C);

/* out = in w + b. */
void pl_gnn_dense_forward(float *out /* (N, NO) */, const float *in /* (N, NI) */, const float *w /* (NI, NO) */,
                          const float *b /* (NO) or NULL */, int N, int NI, int NO);
/* din += dout w^T (skipped when din is NULL); dw += in^T dout; db += column sums of dout. */
void pl_gnn_dense_backward(float *din /* (N, NI) or NULL */, float *dw /* (NI, NO) */, float *db /* (NO) or NULL */,
                           const float *dout /* (N, NO) */, const float *in /* (N, NI) */,
                           const float *w /* (NI, NO) */, int N, int NI, int NO);

/* out = max(in, 0); out may equal in. */
void pl_gnn_relu_forward(float *out /* (n) */, const float *in /* (n) */, int64_t n);
/* din += dout where out > 0. */
void pl_gnn_relu_backward(float *din /* (n) */, const float *dout /* (n) */, const float *out /* (n) */, int64_t n);

/* Dot-product attention of one query over N keys: alpha = softmax(k q / sqrt(H)), out = alpha^T v. N >= 1. */
void pl_gnn_attention_forward(float *out /* (H) */, float *alpha /* (N) */, const float *q /* (H) */,
                              const float *k /* (N, H) */, const float *v /* (N, H) */, int N, int H);
/* dq, dk, dv += gradients of out. */
void pl_gnn_attention_backward(float *dq /* (H) */, float *dk /* (N, H) */, float *dv /* (N, H) */,
                               const float *dout /* (H) */, const float *alpha /* (N) */, const float *q /* (H) */,
                               const float *k /* (N, H) */, const float *v /* (N, H) */, int N, int H);

/* A categorical distribution over the legal cells of a grid, from logits. lse = log sum_legal exp(z). */
typedef struct pl_gnn_dist {
    const float *logits; /* (A), borrowed; masked cells may hold anything (the model writes -inf) */
    const uint8_t *mask; /* (A), borrowed; 1 = legal */
    float *probs;        /* (A), caller-owned; written by forward, exactly 0 where masked */
    double lse;
    int32_t A;
} pl_gnn_dist;

/* Fills d->probs and d->lse. PL_EINVAL when no cell is legal. */
pl_status pl_gnn_softmax_masked_forward(pl_gnn_dist *d);
/* log p(a). PL_EINVAL when a is out of range or masked. */
pl_status pl_gnn_logprob_forward(const pl_gnn_dist *d, int32_t a, float *logp);
/* dlogits += dlogp * d log p(a) / d logits (0 on masked cells). */
void pl_gnn_logprob_backward(float *dlogits /* (A) */, const pl_gnn_dist *d, int32_t a, float dlogp);
/* Entropy -sum p log p over legal cells. */
float pl_gnn_entropy_forward(const pl_gnn_dist *d);
/* dlogits += dent * d entropy / d logits, with ent the forward value. */
void pl_gnn_entropy_backward(float *dlogits /* (A) */, const pl_gnn_dist *d, float ent, float dent);
/* Draws a cell; never a masked one (they have probability 0 and are skipped). PL_EINVAL if none legal. */
pl_status pl_gnn_sample(const pl_gnn_dist *d, pl_rng *rng, int32_t *a);
/* The most probable legal cell (lowest index on ties). */
pl_status pl_gnn_argmax(const pl_gnn_dist *d, int32_t *a);

#endif
