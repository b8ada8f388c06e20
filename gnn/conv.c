/* conv.c: see conv.h. */
#include "gnn/conv.h"

#include <string.h>

#include "gnn/ops.h"

/* col[a][(ky*3+kx)*Ci + ci] = in[(r+ky-1, c+kx-1)][ci], 0 outside the grid. */
static void im2col3x3(float *col, const float *in, const pl_gnn_conv_shape *s)
{
    const int Ci = s->cin, C = s->cols, R = s->rows;
    for (int r = 0; r < R; r++)
        for (int c = 0; c < C; c++) {
            float *dst = col + ((int64_t)r * C + c) * 9 * Ci;
            for (int t = 0; t < 9; t++, dst += Ci) {
                const int y = r + t / 3 - 1, x = c + t % 3 - 1;
                if (y < 0 || y >= R || x < 0 || x >= C)
                    memset(dst, 0, (size_t)Ci * sizeof *dst);
                else
                    memcpy(dst, in + ((int64_t)y * C + x) * Ci, (size_t)Ci * sizeof *dst);
            }
        }
}

/* The adjoint of im2col3x3: din += scatter of col, visiting cells and taps in a fixed order. */
static void col2im3x3(float *din, const float *col, const pl_gnn_conv_shape *s)
{
    const int Ci = s->cin, C = s->cols, R = s->rows;
    for (int r = 0; r < R; r++)
        for (int c = 0; c < C; c++) {
            const float *src = col + ((int64_t)r * C + c) * 9 * Ci;
            for (int t = 0; t < 9; t++, src += Ci) {
                const int y = r + t / 3 - 1, x = c + t % 3 - 1;
                if (y < 0 || y >= R || x < 0 || x >= C) continue;
                float *d = din + ((int64_t)y * C + x) * Ci;
                for (int ci = 0; ci < Ci; ci++) d[ci] += src[ci];
            }
        }
}

void pl_gnn_conv3x3_forward(float *out, float *col, const float *in, const float *w, const float *b,
                            const pl_gnn_conv_shape *s)
{
    const int A = s->cols * s->rows;
    im2col3x3(col, in, s);
    pl_gnn_dense_forward(out, col, w, b, A, 9 * s->cin, s->cout);
}

void pl_gnn_conv3x3_backward(float *din, float *dw, float *db, float *col, const float *dout, const float *in,
                             const float *w, const pl_gnn_conv_shape *s)
{
    const int A = s->cols * s->rows, K = 9 * s->cin;
    im2col3x3(col, in, s);
    pl_gnn_dense_backward(NULL, dw, db, dout, col, w, A, K, s->cout);
    if (!din) return;
    pl_gnn_gemm(0, 1, A, K, s->cout, dout, w, 0.0f, col); /* dcol */
    col2im3x3(din, col, s);
}

/* Input coordinate feeding output coordinate o through tap k, or -1. */
static int convt_src(int o, int k, int stride, int n_in)
{
    const int num = stride == 2 ? o - k : o - k + 1;
    if (num < 0 || num % stride) return -1;
    const int i = num / stride;
    return i < n_in ? i : -1;
}

void pl_gnn_convt_forward(float *out, const float *in, const float *w, const float *b, const pl_gnn_conv_shape *s)
{
    const int Ci = s->cin, Co = s->cout, st = s->stride;
    const int OC = s->cols * st, OR = s->rows * st;
    for (int oy = 0; oy < OR; oy++)
        for (int ox = 0; ox < OC; ox++) {
            float *o = out + ((int64_t)oy * OC + ox) * Co;
            for (int co = 0; co < Co; co++) o[co] = b[co];
            for (int t = 0; t < 9; t++) {
                const int iy = convt_src(oy, t / 3, st, s->rows), ix = convt_src(ox, t % 3, st, s->cols);
                if (iy < 0 || ix < 0) continue;
                const float *x = in + ((int64_t)iy * s->cols + ix) * Ci, *wt = w + (int64_t)t * Ci * Co;
                for (int ci = 0; ci < Ci; ci++)
                    for (int co = 0; co < Co; co++) o[co] += x[ci] * wt[(int64_t)ci * Co + co];
            }
        }
}

void pl_gnn_convt_backward(float *din, float *dw, float *db, const float *dout, const float *in, const float *w,
                           const pl_gnn_conv_shape *s)
{
    const int Ci = s->cin, Co = s->cout, st = s->stride;
    const int OC = s->cols * st, OR = s->rows * st;
    for (int oy = 0; oy < OR; oy++)
        for (int ox = 0; ox < OC; ox++) {
            const float *d = dout + ((int64_t)oy * OC + ox) * Co;
            for (int co = 0; co < Co; co++) db[co] += d[co];
            for (int t = 0; t < 9; t++) {
                const int iy = convt_src(oy, t / 3, st, s->rows), ix = convt_src(ox, t % 3, st, s->cols);
                if (iy < 0 || ix < 0) continue;
                const int64_t cell = (int64_t)iy * s->cols + ix;
                const float *x = in + cell * Ci, *wt = w + (int64_t)t * Ci * Co;
                float *dwt = dw + (int64_t)t * Ci * Co;
                for (int ci = 0; ci < Ci; ci++) {
                    float acc = 0.0f;
                    for (int co = 0; co < Co; co++) {
                        dwt[(int64_t)ci * Co + co] += x[ci] * d[co];
                        acc += wt[(int64_t)ci * Co + co] * d[co];
                    }
                    if (din) din[cell * Ci + ci] += acc;
                }
            }
        }
}
