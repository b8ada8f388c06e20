/* conv.cu: the CUDA twins of gnn/conv.c and the grid parts of gnn/head.c; see cu.cuh.
 * Both 3x3 convolutions and the transposed ones run as im2col + one cuBLAS GEMM with the CPU's weight
 * layout (9 Ci, Co) (the (9, Ci, Co) transposed-conv weights are the same memory). The adjoints of im2col
 * are gathers: each input element's thread sums its taps in the CPU scatter's order, so no atomics. */
#include "gnn/cuda/cu.cuh"

/* Cell i of stacked grids: state, row, column. */
__device__ static inline void cell_of(const pl_cu_grids g, int64_t i, int32_t *b, int32_t *r, int32_t *c)
{
    *b = g.cell_state[i];
    const int32_t local = (int32_t)(i - g.aoff[*b]);
    *r = local / g.cols[*b];
    *c = local % g.cols[*b];
}

__global__ static void k_conv_input(float *x0, const float *p, const uint8_t *mask, const float *wire,
                                    const float *density, const pl_cu_grids g, int Cg)
{
    const int Cin = Cg + PL_GNN_MAP_CHANNELS;
    const int64_t i = pl_cu_tid();
    if (i >= g.A * Cin) return;
    const int64_t cell = i / Cin;
    const int ch = (int)(i % Cin);
    int32_t b, r, c;
    cell_of(g, cell, &b, &r, &c);
    float v;
    if (ch < Cg) v = p[(int64_t)b * Cg + ch];
    else if (ch == Cg) v = mask[cell] ? 1.0f : 0.0f;
    else if (ch == Cg + 1) v = wire[cell];
    else if (ch == Cg + 2) v = density[cell];
    else if (ch == Cg + 3) v = ((float)c + 0.5f) / (float)g.cols[b];
    else v = ((float)r + 0.5f) / (float)g.rows[b];
    x0[i] = v;
}

pl_status pl_cu_conv_input(float *x0, const float *p, const uint8_t *mask, const float *wire,
                           const float *density, const pl_cu_grids *g, int Cg)
{
    PL_LAUNCH_1D(k_conv_input, g->A * (Cg + PL_GNN_MAP_CHANNELS), x0, p, mask, wire, density, *g, Cg);
    return PL_OK;
}

/* State b, channel j < Cg: dp += the state's cells in order (head.c's loop). */
__global__ static void k_conv_input_backward(float *dp, const float *dx0, const int32_t *aoff, int B, int Cg)
{
    const int Cin = Cg + PL_GNN_MAP_CHANNELS;
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)B * Cg) return;
    const int64_t b = i / Cg, j = i % Cg;
    float acc = dp[i];
    for (int64_t cell = aoff[b]; cell < aoff[b + 1]; cell++) acc += dx0[cell * Cin + j];
    dp[i] = acc;
}

pl_status pl_cu_conv_input_backward(float *dp, const float *dx0, const pl_cu_grids *g, int B, int Cg)
{
    PL_LAUNCH_1D(k_conv_input_backward, (int64_t)B * Cg, dp, dx0, g->aoff, B, Cg);
    return PL_OK;
}

/* col[cell][(ky*3+kx)*Ci + ci] = in[(r+ky-1, c+kx-1) of the same state][ci], 0 outside its grid. */
__global__ static void k_im2col3x3(float *col, const float *in, const pl_cu_grids g, int Ci)
{
    const int64_t i = pl_cu_tid();
    const int64_t K = 9 * (int64_t)Ci;
    if (i >= g.A * K) return;
    const int64_t cell = i / K;
    const int tap = (int)((i % K) / Ci), ci = (int)(i % Ci);
    int32_t b, r, c;
    cell_of(g, cell, &b, &r, &c);
    const int32_t y = r + tap / 3 - 1, x = c + tap % 3 - 1, C = g.cols[b], R = g.rows[b];
    col[i] = (y < 0 || y >= R || x < 0 || x >= C) ? 0.0f : in[((int64_t)g.aoff[b] + (int64_t)y * C + x) * Ci + ci];
}

pl_status pl_cu_im2col3x3(float *col, const float *in, const pl_cu_grids *g, int Ci)
{
    PL_LAUNCH_1D(k_im2col3x3, g->A * 9 * Ci, col, in, *g, Ci);
    return PL_OK;
}

/* Input cell (y, x), channel ci receives tap t of output cell (y - ky + 1, x - kx + 1). conv.c scatters over
 * output cells in raster order, i.e. over taps t = 8, 7, ..., 0 for a fixed input cell: we gather in that order. */
__global__ static void k_col2im3x3(float *din, const float *col, const pl_cu_grids g, int Ci)
{
    const int64_t i = pl_cu_tid();
    if (i >= g.A * Ci) return;
    const int64_t cell = i / Ci;
    const int ci = (int)(i % Ci);
    int32_t b, y, x;
    cell_of(g, cell, &b, &y, &x);
    const int32_t C = g.cols[b], R = g.rows[b];
    float acc = din[i];
    for (int tap = 8; tap >= 0; tap--) {
        const int32_t r = y - (tap / 3 - 1), c = x - (tap % 3 - 1);
        if (r < 0 || r >= R || c < 0 || c >= C) continue;
        acc += col[((int64_t)g.aoff[b] + (int64_t)r * C + c) * 9 * Ci + (int64_t)tap * Ci + ci];
    }
    din[i] = acc;
}

pl_status pl_cu_col2im3x3(float *din, const float *col, const pl_cu_grids *g, int Ci)
{
    PL_LAUNCH_1D(k_col2im3x3, g->A * Ci, din, col, *g, Ci);
    return PL_OK;
}

/* conv.c's convt_src: the input coordinate feeding output o through tap k, or -1. */
__device__ static inline int convt_src(int o, int k, int stride, int n_in)
{
    const int num = stride == 2 ? o - k : o - k + 1;
    if (num < 0 || num % stride) return -1;
    const int i = num / stride;
    return i < n_in ? i : -1;
}

/* col[(b, oy, ox)][t*Ci + ci] = in[(b, src(oy, ky), src(ox, kx))][ci] or 0: then out = col w + b is
 * exactly pl_gnn_convt_forward's sum over taps and input channels. */
__global__ static void k_im2col_t(float *col, const float *in, int B, int Si, int stride, int Ci)
{
    const int So = Si * stride;
    const int64_t K = 9 * (int64_t)Ci, cells = (int64_t)B * So * So;
    const int64_t i = pl_cu_tid();
    if (i >= cells * K) return;
    const int64_t cell = i / K;
    const int tap = (int)((i % K) / Ci), ci = (int)(i % Ci);
    const int64_t b = cell / ((int64_t)So * So);
    const int oy = (int)((cell / So) % So), ox = (int)(cell % So);
    const int iy = convt_src(oy, tap / 3, stride, Si), ix = convt_src(ox, tap % 3, stride, Si);
    col[i] = (iy < 0 || ix < 0) ? 0.0f : in[((b * Si + iy) * Si + ix) * Ci + ci];
}

pl_status pl_cu_im2col_t(float *col, const float *in, int B, int Si, int stride, int Ci)
{
    const int64_t So = (int64_t)Si * stride;
    PL_LAUNCH_1D(k_im2col_t, (int64_t)B * So * So * 9 * Ci, col, in, B, Si, stride, Ci);
    return PL_OK;
}

/* Input (b, iy, ix), channel ci feeds output (s iy + ky, s ix + kx) (stride 2) or (iy + ky - 1, ix + kx - 1)
 * (stride 1) through tap t = 3 ky + kx; conv.c visits those outputs in raster order, i.e. t = 0..8. */
__global__ static void k_col2im_t(float *din, const float *col, int B, int Si, int stride, int Ci)
{
    const int So = Si * stride;
    const int64_t i = pl_cu_tid();
    if (i >= (int64_t)B * Si * Si * Ci) return;
    const int64_t cell = i / Ci;
    const int ci = (int)(i % Ci);
    const int64_t b = cell / ((int64_t)Si * Si);
    const int iy = (int)((cell / Si) % Si), ix = (int)(cell % Si);
    float acc = din[i];
    for (int tap = 0; tap < 9; tap++) {
        const int ky = tap / 3, kx = tap % 3;
        const int oy = stride == 2 ? 2 * iy + ky : iy + ky - 1, ox = stride == 2 ? 2 * ix + kx : ix + kx - 1;
        if (oy < 0 || oy >= So || ox < 0 || ox >= So) continue;
        acc += col[((b * So + oy) * So + ox) * 9 * Ci + (int64_t)tap * Ci + ci];
    }
    din[i] = acc;
}

pl_status pl_cu_col2im_t(float *din, const float *col, int B, int Si, int stride, int Ci)
{
    PL_LAUNCH_1D(k_col2im_t, (int64_t)B * Si * Si * Ci, din, col, B, Si, stride, Ci);
    return PL_OK;
}

/* The centred window: cell (r, c) of state b reads map (b, r + (128 - rows)/2, c + (128 - cols)/2). */
__device__ static inline int64_t crop_index(const pl_cu_grids g, int64_t cell)
{
    int32_t b, r, c;
    cell_of(g, cell, &b, &r, &c);
    const int32_t oy = (PL_GNN_GRID_MAX - g.rows[b]) / 2, ox = (PL_GNN_GRID_MAX - g.cols[b]) / 2;
    return (int64_t)b * PL_GNN_GRID_MAX * PL_GNN_GRID_MAX + (int64_t)(r + oy) * PL_GNN_GRID_MAX + (c + ox);
}

__global__ static void k_crop(float *raw, const float *map, const pl_cu_grids g)
{
    const int64_t i = pl_cu_tid();
    if (i < g.A) raw[i] = map[crop_index(g, i)];
}

/* Each cell has its own map entry, so no two threads meet. */
__global__ static void k_crop_backward(float *dmap, const float *draw, const pl_cu_grids g)
{
    const int64_t i = pl_cu_tid();
    if (i < g.A) dmap[crop_index(g, i)] += draw[i];
}

pl_status pl_cu_crop(float *raw, const float *map, const pl_cu_grids *g)
{
    PL_LAUNCH_1D(k_crop, g->A, raw, map, *g);
    return PL_OK;
}

pl_status pl_cu_crop_backward(float *dmap, const float *draw, const pl_cu_grids *g)
{
    PL_LAUNCH_1D(k_crop_backward, g->A, dmap, draw, *g);
    return PL_OK;
}

/* ---- the side term (model.h) ---- */

/* gnn/model.c's pl_gnn_side_feature for cell i of stacked grids; x holds the states' nodes (F features). */
__device__ static float side_feature(const pl_cu_grids g, const float *x, const int32_t *cur, int F, int64_t i)
{
    int32_t b, r, c;
    cell_of(g, i, &b, &r, &c);
    const float w = x[(int64_t)cur[b] * F + 2], h = x[(int64_t)cur[b] * F + 3];
    const float xc = ((float)c + 0.5f) / (float)g.cols[b], yc = ((float)r + 0.5f) / (float)g.rows[b];
    const float dx = fminf(xc - 0.5f * w, 1.0f - xc - 0.5f * w), dy = fminf(yc - 0.5f * h, 1.0f - yc - 0.5f * h);
    return fmaxf(0.0f, fminf(dx, dy)) * 2.0f;
}

__global__ static void k_side_forward(float *raw, const float *x, const int32_t *cur, int F, const float *side_w,
                                      const pl_cu_grids g)
{
    const int64_t i = pl_cu_tid();
    if (i >= g.A) return;
    raw[i] += PL_GNN_SIDE_SCALE * side_w[0] * side_feature(g, x, cur, F, i);
}

pl_status pl_cu_side_forward(float *raw, const float *x, const int32_t *cur, int F, const float *side_w,
                             const pl_cu_grids *g)
{
    PL_LAUNCH_1D(k_side_forward, g->A, raw, x, cur, F, side_w, *g);
    return PL_OK;
}

/* One block: state after state (the CPU's order of accumulation into the gradient), each state's cells
 * summed in double over a fixed tree. */
__global__ static void k_side_backward(float *dside, const float *draw, const float *x, const int32_t *cur, int F,
                                       const pl_cu_grids g, int B)
{
    __shared__ double sh[PL_CU_TPB];
    for (int32_t s = 0; s < B; s++) {
        double v = 0;
        for (int64_t i = g.aoff[s] + threadIdx.x; i < g.aoff[s + 1]; i += blockDim.x)
            v += (double)draw[i] * side_feature(g, x, cur, F, i);
        const double sum = pl_cu_block_sum(v, sh);
        if (threadIdx.x == 0) dside[0] += (float)(PL_GNN_SIDE_SCALE * sum);
    }
}

pl_status pl_cu_side_backward(float *dside, const float *draw, const float *x, const int32_t *cur, int F,
                              const pl_cu_grids *g, int B)
{
    PL_LAUNCH_BLOCKS(k_side_backward, 1, dside, draw, x, cur, F, *g, B);
    return PL_OK;
}
