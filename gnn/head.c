/* head.c: see head.h. The conv head (graph embedding broadcast over the grid, fused with the grid maps
 * by 3x3 convolutions) and Circuit Training's deconvolution head (dense to 8x8x32, four stride-2
 * transposed convolutions to 128x128, one stride-1, then the centred cols x rows window). */
#include "gnn/head.h"

#include <math.h>
#include <string.h>

#include "gnn/conv.h"
#include "gnn/ops.h"

const int32_t pl_gnn_deconv_ch[PL_GNN_DECONV_LAYERS + 1] = {32, 16, 8, 4, 2, 1};

enum { DECONV_BASE = 8 };

/* Size of the i-th transposed convolution's output grid side: 16, 32, 64, 128, 128. */
static int deconv_side(int i) { return i < PL_GNN_DECONV_LAYERS - 1 ? DECONV_BASE << (i + 1) : PL_GNN_GRID_MAX; }

#define TAKE(field, count)                              \
    do {                                                \
        a->field = base ? base + off : NULL;            \
        off += (size_t)(count);                         \
    } while (0)

size_t pl_gnn_acts_point(pl_gnn_acts *a, float *base, const pl_gnn_config *c, int32_t N, int32_t E, int32_t A)
{
    const size_t H = (size_t)c->hidden, K = (size_t)c->layers, n = (size_t)N;
    size_t off = 0;
    memset(a, 0, sizeof *a);
    TAKE(h, (K + 1) * n * H);
    TAKE(pq, K * 2 * n * H);
    TAKE(e, (size_t)E * H);
    TAKE(hmeta, H);
    TAKE(stats, 2 * H);
    TAKE(q, H);
    TAKE(kk, n * H);
    TAKE(vv, n * H);
    TAKE(alpha, n);
    TAKE(att, H);
    TAKE(g, 5 * H);
    TAKE(v1, H);
    TAKE(encz, n * H);
    TAKE(raw, A);
    if (c->head == PL_GNN_HEAD_CONV) {
        const size_t cin = (size_t)c->grid_embed + PL_GNN_MAP_CHANNELS, cc = (size_t)c->conv_channels;
        TAKE(p, c->grid_embed);
        TAKE(x0, (size_t)A * cin);
        TAKE(cva, (size_t)(c->conv_layers - 1) * (size_t)A * cc);
        TAKE(col, (size_t)A * 9 * (cin > cc ? cin : cc));
    } else {
        size_t dt = 0;
        for (int i = 0; i < PL_GNN_DECONV_LAYERS; i++)
            dt += (size_t)deconv_side(i) * (size_t)deconv_side(i) * (size_t)pl_gnn_deconv_ch[i + 1];
        TAKE(d0, DECONV_BASE * DECONV_BASE * pl_gnn_deconv_ch[0]);
        TAKE(dt, dt);
    }
    return off;
}

/* Keeps d where the relu output y is positive, zero elsewhere (relu backward in place). */
static void relu_gate(float *d, const float *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (!(y[i] > 0.0f)) d[i] = 0.0f;
}

/* ---- conv head ---- */

static pl_gnn_conv_shape conv_shape(const pl_gnn_config *c, const pl_gnn_obs *obs, int layer)
{
    const int last = c->conv_layers - 1;
    pl_gnn_conv_shape s = {obs->cols, obs->rows, c->conv_channels, c->conv_channels, 1};
    if (layer == 0) s.cin = c->grid_embed + PL_GNN_MAP_CHANNELS;
    if (layer == last) s.cout = 1;
    return s;
}

/* Weights and bias of conv layer i of the conv head. */
static void conv_params(const pl_gnn_config *c, const pl_gnn_params *p, int i, float **w, float **b)
{
    const int64_t cc = c->conv_channels;
    if (i == 0) *w = p->cv0_w, *b = p->cv0_b;
    else if (i == c->conv_layers - 1) *w = p->cvl_w, *b = p->cvl_b;
    else *w = p->cvm_w + (i - 1) * 9 * cc * cc, *b = p->cvm_b + (i - 1) * cc;
}

static void conv_head_input(const pl_gnn_config *c, const pl_gnn_acts *a, const pl_gnn_obs *obs)
{
    const int cg = c->grid_embed, cin = cg + PL_GNN_MAP_CHANNELS;
    for (int r = 0; r < obs->rows; r++)
        for (int col = 0; col < obs->cols; col++) {
            const int64_t cell = (int64_t)r * obs->cols + col;
            float *x = a->x0 + cell * cin;
            memcpy(x, a->p, (size_t)cg * sizeof *x);
            x[cg + 0] = obs->mask[cell] ? 1.0f : 0.0f;
            x[cg + 1] = obs->wire[cell];
            x[cg + 2] = obs->density[cell];
            x[cg + 3] = ((float)col + 0.5f) / (float)obs->cols;
            x[cg + 4] = ((float)r + 0.5f) / (float)obs->rows;
        }
}

static void conv_head_forward(const pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_obs *obs)
{
    const pl_gnn_config *c = &m->cfg;
    const int64_t A = (int64_t)obs->cols * obs->rows, cc = c->conv_channels;
    pl_gnn_dense_forward(a->p, a->g, m->params.pol_w, m->params.pol_b, 1, 5 * c->hidden, c->grid_embed);
    conv_head_input(c, a, obs);
    const float *in = a->x0;
    for (int i = 0; i < c->conv_layers; i++) {
        pl_gnn_conv_shape s = conv_shape(c, obs, i);
        float *w, *b;
        conv_params(c, &m->params, i, &w, &b);
        const int last = i == c->conv_layers - 1;
        float *out = last ? a->raw : a->cva + i * A * cc;
        pl_gnn_conv3x3_forward(out, a->col, in, w, b, &s);
        if (!last) pl_gnn_relu_forward(out, out, A * cc);
        in = out;
    }
}

static void conv_head_backward(pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_acts *d, const pl_gnn_obs *obs)
{
    const pl_gnn_config *c = &m->cfg;
    const int64_t A = (int64_t)obs->cols * obs->rows, cc = c->conv_channels;
    const int cg = c->grid_embed, cin = cg + PL_GNN_MAP_CHANNELS;
    for (int i = c->conv_layers - 1; i >= 0; i--) {
        pl_gnn_conv_shape s = conv_shape(c, obs, i);
        float *w, *b, *dw, *db;
        conv_params(c, &m->params, i, &w, &b);
        conv_params(c, &m->grads, i, &dw, &db);
        const int last = i == c->conv_layers - 1;
        const float *dout = last ? d->raw : d->cva + i * A * cc;
        if (!last) relu_gate(d->cva + i * A * cc, a->cva + i * A * cc, A * cc);
        const float *in = i == 0 ? a->x0 : a->cva + (i - 1) * A * cc;
        float *din = i == 0 ? d->x0 : d->cva + (i - 1) * A * cc;
        pl_gnn_conv3x3_backward(din, dw, db, a->col, dout, in, w, &s);
    }
    for (int64_t cell = 0; cell < A; cell++)
        for (int j = 0; j < cg; j++) d->p[j] += d->x0[cell * cin + j];
    pl_gnn_dense_backward(d->g, m->grads.pol_w, m->grads.pol_b, d->p, a->g, m->params.pol_w, 1, 5 * c->hidden, cg);
}

/* ---- deconv head ---- */

static pl_gnn_conv_shape deconv_shape(int i)
{
    const int side = i == 0 ? DECONV_BASE : deconv_side(i - 1);
    pl_gnn_conv_shape s = {side, side, pl_gnn_deconv_ch[i], pl_gnn_deconv_ch[i + 1],
                           i < PL_GNN_DECONV_LAYERS - 1 ? 2 : 1};
    return s;
}

/* Offsets of layer i's weights, biases and output in dt_w, dt_b and acts dt. */
static void deconv_offsets(int i, int64_t *ow, int64_t *ob, int64_t *oa)
{
    *ow = *ob = *oa = 0;
    for (int j = 0; j < i; j++) {
        *ow += 9 * pl_gnn_deconv_ch[j] * pl_gnn_deconv_ch[j + 1];
        *ob += pl_gnn_deconv_ch[j + 1];
        *oa += (int64_t)deconv_side(j) * deconv_side(j) * pl_gnn_deconv_ch[j + 1];
    }
}

static void deconv_head_forward(const pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_obs *obs)
{
    const pl_gnn_config *c = &m->cfg;
    const int nd0 = DECONV_BASE * DECONV_BASE * pl_gnn_deconv_ch[0];
    pl_gnn_dense_forward(a->d0, a->g, m->params.dc_w, m->params.dc_b, 1, 5 * c->hidden, nd0);
    pl_gnn_relu_forward(a->d0, a->d0, nd0);
    const float *in = a->d0;
    float *out = NULL;
    for (int i = 0; i < PL_GNN_DECONV_LAYERS; i++) {
        int64_t ow, ob, oa;
        deconv_offsets(i, &ow, &ob, &oa);
        pl_gnn_conv_shape s = deconv_shape(i);
        out = a->dt + oa;
        pl_gnn_convt_forward(out, in, m->params.dt_w + ow, m->params.dt_b + ob, &s);
        if (i < PL_GNN_DECONV_LAYERS - 1)
            pl_gnn_relu_forward(out, out, (int64_t)deconv_side(i) * deconv_side(i) * s.cout);
        in = out;
    }
    const int oy = (PL_GNN_GRID_MAX - obs->rows) / 2, ox = (PL_GNN_GRID_MAX - obs->cols) / 2;
    for (int r = 0; r < obs->rows; r++)
        for (int col = 0; col < obs->cols; col++)
            a->raw[(int64_t)r * obs->cols + col] = out[(int64_t)(r + oy) * PL_GNN_GRID_MAX + col + ox];
}

static void deconv_head_backward(pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_acts *d, const pl_gnn_obs *obs)
{
    const pl_gnn_config *c = &m->cfg;
    const int nd0 = DECONV_BASE * DECONV_BASE * pl_gnn_deconv_ch[0];
    int64_t ow, ob, oa;
    deconv_offsets(PL_GNN_DECONV_LAYERS - 1, &ow, &ob, &oa);
    float *dout = d->dt + oa;
    const int oy = (PL_GNN_GRID_MAX - obs->rows) / 2, ox = (PL_GNN_GRID_MAX - obs->cols) / 2;
    for (int r = 0; r < obs->rows; r++)
        for (int col = 0; col < obs->cols; col++)
            dout[(int64_t)(r + oy) * PL_GNN_GRID_MAX + col + ox] += d->raw[(int64_t)r * obs->cols + col];
    for (int i = PL_GNN_DECONV_LAYERS - 1; i >= 0; i--) {
        deconv_offsets(i, &ow, &ob, &oa);
        pl_gnn_conv_shape s = deconv_shape(i);
        if (i < PL_GNN_DECONV_LAYERS - 1)
            relu_gate(d->dt + oa, a->dt + oa, (int64_t)deconv_side(i) * deconv_side(i) * s.cout);
        int64_t pw, pb, pa;
        if (i > 0) deconv_offsets(i - 1, &pw, &pb, &pa);
        const float *in = i == 0 ? a->d0 : a->dt + pa;
        float *din = i == 0 ? d->d0 : d->dt + pa;
        pl_gnn_convt_backward(din, m->grads.dt_w + ow, m->grads.dt_b + ob, d->dt + oa, in, m->params.dt_w + ow, &s);
    }
    relu_gate(d->d0, a->d0, nd0);
    pl_gnn_dense_backward(d->g, m->grads.dc_w, m->grads.dc_b, d->d0, a->g, m->params.dc_w, 1, 5 * c->hidden, nd0);
}

void pl_gnn_head_forward(const pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_obs *obs)
{
    if (m->cfg.head == PL_GNN_HEAD_CONV) conv_head_forward(m, a, obs);
    else deconv_head_forward(m, a, obs);
}

void pl_gnn_head_backward(pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_acts *d, const pl_gnn_obs *obs)
{
    if (m->cfg.head == PL_GNN_HEAD_CONV) conv_head_backward(m, a, d, obs);
    else deconv_head_backward(m, a, d, obs);
}
