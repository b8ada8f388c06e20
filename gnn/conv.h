/* conv.h: grid convolutions of the policy heads, channel-last (cell a = row * cols + col, then channel).
 *
 * conv3x3: 3 x 3, stride 1, zero "same" padding; im2col into `col` then one sgemm. Weights (9 Ci, Co),
 *   row (ky * 3 + kx) * Ci + ci, tap (ky, kx) reading input cell (row + ky - 1, col + kx - 1).
 * convt:  3 x 3 transposed convolution (Circuit Training's deconvolution), direct loops. Stride 2 maps
 *   rows x cols to 2rows x 2cols with output (s y + ky, s x + kx); stride 1 keeps the size with output
 *   (y + ky - 1, x + kx - 1). Weights (9, Ci, Co).
 * Backwards ADD into din (skipped when NULL), dw and db. Callers own every buffer; fixed loop orders.
 */
#ifndef PL_GNN_CONV_H
#define PL_GNN_CONV_H

#include <stdint.h>

typedef struct pl_gnn_conv_shape {
    int32_t cols, rows; /* input grid */
    int32_t cin, cout;
    int32_t stride; /* convt only: 1 or 2 */
} pl_gnn_conv_shape;

/* out (A, Co) = conv(in) + b; col is scratch (A, 9 Ci). */
void pl_gnn_conv3x3_forward(float *out /* (A, Co) */, float *col /* (A, 9 Ci) */, const float *in /* (A, Ci) */,
                            const float *w /* (9 Ci, Co) */, const float *b /* (Co) */, const pl_gnn_conv_shape *s);
void pl_gnn_conv3x3_backward(float *din /* (A, Ci) or NULL */, float *dw /* (9 Ci, Co) */, float *db /* (Co) */,
                             float *col /* (A, 9 Ci) scratch */, const float *dout /* (A, Co) */,
                             const float *in /* (A, Ci) */, const float *w /* (9 Ci, Co) */,
                             const pl_gnn_conv_shape *s);

/* Output grid of a convt: (stride * cols, stride * rows). */
void pl_gnn_convt_forward(float *out /* (s^2 A, Co) */, const float *in /* (A, Ci) */, const float *w /* (9, Ci, Co) */,
                          const float *b /* (Co) */, const pl_gnn_conv_shape *s);
void pl_gnn_convt_backward(float *din /* (A, Ci) or NULL */, float *dw /* (9, Ci, Co) */, float *db /* (Co) */,
                           const float *dout /* (s^2 A, Co) */, const float *in /* (A, Ci) */,
                           const float *w /* (9, Ci, Co) */, const pl_gnn_conv_shape *s);

#endif
