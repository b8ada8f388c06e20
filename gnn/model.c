/* model.c: see model.h. Parameter table and init, the trunk (encoder, edge convolutions, readout),
 * the value head, and the whole-network forward/backward; the policy heads are in head.c. */
#include "gnn/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnn/edgeconv.h"
#include "gnn/head.h"
#include "gnn/ops.h"

void pl_gnn_config_default(pl_gnn_config *c)
{
    c->node_feats = 8;
    c->meta_feats = 12;
    c->hidden = 32;
    c->layers = 3;
    c->head = PL_GNN_HEAD_CONV;
    c->grid_embed = 8;
    c->conv_channels = 16;
    c->conv_layers = 3;
    c->side = 0;
}

pl_status pl_gnn_config_check(const pl_gnn_config *c)
{
    struct { const char *name; int32_t v, lo, hi; } f[] = {
        {"node_feats", c->node_feats, 1, 4096},   {"meta_feats", c->meta_feats, 0, 4096},
        {"hidden", c->hidden, 1, 1024},           {"layers", c->layers, 1, 64},
        {"head", c->head, 0, 1},                  {"grid_embed", c->grid_embed, 1, 1024},
        {"conv_channels", c->conv_channels, 1, 1024}, {"conv_layers", c->conv_layers, 2, 64},
        {"side", c->side, 0, 1},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].v < f[i].lo || f[i].v > f[i].hi)
            return pl_err(PL_EINVAL, "gnn config: %s = %d, must be in %d..%d", f[i].name, (int)f[i].v, (int)f[i].lo,
                          (int)f[i].hi);
    if (c->side && c->node_feats < 4)
        return pl_err(PL_EINVAL, "gnn config: the side term reads node features 2 and 3, node_feats = %d",
                      (int)c->node_feats);
    return PL_OK;
}

static const char *const tensor_names[PL_GNN_NTENSORS] = {
    "enc_w", "enc_b", "edge_w", "edge_b", "meta_w", "meta_b", "att_q", "att_k", "att_v",
    "val_w1", "val_b1", "val_w2", "val_b2", "pol_w", "pol_b", "cv0_w", "cv0_b", "cvm_w", "cvm_b",
    "cvl_w", "cvl_b", "dc_w", "dc_b", "dt_w", "dt_b", "side_w"};

const char *pl_gnn_tensor_name(int t) { return t >= 0 && t < PL_GNN_NTENSORS ? tensor_names[t] : "?"; }

/* Sizes of the tensors, in the order of pl_gnn_params and tensor_names. */
static void fill_sizes(size_t *s, const pl_gnn_config *c)
{
    const size_t F = (size_t)c->node_feats, M = (size_t)c->meta_feats, H = (size_t)c->hidden;
    const size_t K = (size_t)c->layers, G = 5 * H;
    const int conv = c->head == PL_GNN_HEAD_CONV;
    const size_t cg = conv ? (size_t)c->grid_embed : 0, cc = conv ? (size_t)c->conv_channels : 0;
    const size_t lm = conv ? (size_t)c->conv_layers - 2 : 0;
    size_t dtw = 0, dtb = 0;
    for (int i = 0; i < PL_GNN_DECONV_LAYERS && !conv; i++) {
        dtw += 9 * (size_t)pl_gnn_deconv_ch[i] * (size_t)pl_gnn_deconv_ch[i + 1];
        dtb += (size_t)pl_gnn_deconv_ch[i + 1];
    }
    const size_t nd0 = conv ? 0 : 8 * 8 * (size_t)pl_gnn_deconv_ch[0];
    const size_t v[PL_GNN_NTENSORS] = {
        F * H, H, K * (2 * H + 1) * H, K * H, M * H, H, H * H, H * H, H * H,
        G * H, H, H, 1, G * cg, cg, conv ? 9 * (cg + PL_GNN_MAP_CHANNELS) * cc : 0, cc,
        lm * 9 * cc * cc, lm * cc, 9 * cc, conv ? 1 : 0, G * nd0, nd0, dtw, dtb, c->side ? 1 : 0};
    memcpy(s, v, sizeof v);
}

size_t pl_gnn_config_nparams(const pl_gnn_config *c)
{
    size_t s[PL_GNN_NTENSORS], n = 0;
    fill_sizes(s, c);
    for (int t = 0; t < PL_GNN_NTENSORS; t++) n += s[t];
    return n;
}

/* Points the views of p into mem following sizes. */
static void point_params(pl_gnn_params *p, float *mem, const size_t *sizes)
{
    float **views[PL_GNN_NTENSORS] = {
        &p->enc_w, &p->enc_b, &p->edge_w, &p->edge_b, &p->meta_w, &p->meta_b, &p->att_q, &p->att_k, &p->att_v,
        &p->val_w1, &p->val_b1, &p->val_w2, &p->val_b2, &p->pol_w, &p->pol_b, &p->cv0_w, &p->cv0_b,
        &p->cvm_w, &p->cvm_b, &p->cvl_w, &p->cvl_b, &p->dc_w, &p->dc_b, &p->dt_w, &p->dt_b, &p->side_w};
    for (int t = 0; t < PL_GNN_NTENSORS; t++) {
        *views[t] = mem;
        mem += sizes[t];
    }
}

/* count weights ~ N(0, 2 / (fan_in + fan_out)) (glorot normal). */
static void glorot(float *w, size_t count, size_t fan_in, size_t fan_out, pl_rng *rng)
{
    const double sd = sqrt(2.0 / (double)(fan_in + fan_out));
    for (size_t i = 0; i < count; i++) w[i] = (float)(sd * pl_rng_normal(rng));
}

static void init_weights(pl_gnn_model *m, pl_rng *rng)
{
    const pl_gnn_config *c = &m->cfg;
    const pl_gnn_params *p = &m->params;
    const size_t F = (size_t)c->node_feats, M = (size_t)c->meta_feats, H = (size_t)c->hidden, G = 5 * H;
    glorot(p->enc_w, F * H, F, H, rng);
    glorot(p->edge_w, m->sizes[2], 2 * H + 1, H, rng);
    glorot(p->meta_w, M * H, M, H, rng);
    glorot(p->att_q, H * H, H, H, rng);
    glorot(p->att_k, H * H, H, H, rng);
    glorot(p->att_v, H * H, H, H, rng);
    glorot(p->val_w1, G * H, G, H, rng);
    glorot(p->val_w2, H, H, 1, rng);
    if (c->head == PL_GNN_HEAD_CONV) {
        const size_t cg = (size_t)c->grid_embed, cc = (size_t)c->conv_channels, cin = cg + PL_GNN_MAP_CHANNELS;
        glorot(p->pol_w, G * cg, G, cg, rng);
        glorot(p->cv0_w, 9 * cin * cc, 9 * cin, cc, rng);
        glorot(p->cvm_w, m->sizes[17], 9 * cc, cc, rng);
        glorot(p->cvl_w, 9 * cc, 9 * cc, 1, rng);
        if (c->side) memset(p->cvl_w, 0, 9 * cc * sizeof *p->cvl_w); /* drawn first: the stream is unchanged */
        return;
    }
    glorot(p->dc_w, m->sizes[21], G, m->sizes[22], rng);
    float *w = p->dt_w;
    for (int i = 0; i < PL_GNN_DECONV_LAYERS; i++) {
        const size_t ci = (size_t)pl_gnn_deconv_ch[i], co = (size_t)pl_gnn_deconv_ch[i + 1];
        glorot(w, 9 * ci * co, 9 * ci, co, rng);
        if (c->side && i == PL_GNN_DECONV_LAYERS - 1) memset(w, 0, 9 * ci * co * sizeof *w);
        w += 9 * ci * co;
    }
}

float pl_gnn_side_feature(int32_t col, int32_t row, int32_t cols, int32_t rows, float w, float h)
{
    const float xc = ((float)col + 0.5f) / (float)cols, yc = ((float)row + 0.5f) / (float)rows;
    const float dx = fminf(xc - 0.5f * w, 1.0f - xc - 0.5f * w), dy = fminf(yc - 0.5f * h, 1.0f - yc - 0.5f * h);
    return fmaxf(0.0f, fminf(dx, dy)) * 2.0f;
}

/* The side term (model.h) added to the raw logits, and its one gradient. */
static void side_forward(const pl_gnn_model *m, const pl_gnn_obs *obs, float *raw)
{
    const float *x = obs->x + (int64_t)obs->current * m->cfg.node_feats;
    const float k = PL_GNN_SIDE_SCALE * m->params.side_w[0];
    for (int32_t r = 0; r < obs->rows; r++)
        for (int32_t c = 0; c < obs->cols; c++)
            raw[(int64_t)r * obs->cols + c] += k * pl_gnn_side_feature(c, r, obs->cols, obs->rows, x[2], x[3]);
}

static void side_backward(pl_gnn_model *m, const pl_gnn_obs *obs, const float *draw)
{
    const float *x = obs->x + (int64_t)obs->current * m->cfg.node_feats;
    double g = 0;
    for (int32_t r = 0; r < obs->rows; r++)
        for (int32_t c = 0; c < obs->cols; c++)
            g += (double)draw[(int64_t)r * obs->cols + c] * pl_gnn_side_feature(c, r, obs->cols, obs->rows, x[2], x[3]);
    m->grads.side_w[0] += (float)(PL_GNN_SIDE_SCALE * g);
}

pl_status pl_gnn_model_init(pl_gnn_model *m, const pl_gnn_config *cfg, uint64_t seed)
{
    memset(m, 0, sizeof *m);
    PL_TRY(pl_gnn_config_check(cfg));
    m->cfg = *cfg;
    m->seed = seed;
    fill_sizes(m->sizes, cfg);
    for (int t = 0; t < PL_GNN_NTENSORS; t++) m->nparams += m->sizes[t];
    m->params_mem = calloc(m->nparams, sizeof *m->params_mem);
    m->grads_mem = calloc(m->nparams, sizeof *m->grads_mem);
    if (!m->params_mem || !m->grads_mem) {
        pl_gnn_model_free(m);
        return pl_err(PL_ENOMEM, "gnn: out of memory for %zu parameters", m->nparams);
    }
    point_params(&m->params, m->params_mem, m->sizes);
    point_params(&m->grads, m->grads_mem, m->sizes);
    pl_rng rng;
    pl_rng_seed(&rng, seed);
    init_weights(m, &rng);
    return PL_OK;
}

void pl_gnn_model_free(pl_gnn_model *m)
{
    if (!m) return;
    free(m->params_mem);
    free(m->grads_mem);
    memset(m, 0, sizeof *m);
}

void pl_gnn_model_zero_grad(pl_gnn_model *m) { memset(m->grads_mem, 0, m->nparams * sizeof *m->grads_mem); }

void pl_gnn_work_init(pl_gnn_work *w) { memset(w, 0, sizeof *w); }

void pl_gnn_work_free(pl_gnn_work *w)
{
    if (!w) return;
    free(w->mem);
    free(w->dmem);
    free(w->argmax);
    memset(w, 0, sizeof *w);
}

static pl_status work_reserve(pl_gnn_work *w, size_t floats, int32_t H)
{
    if (floats > w->cap) {
        float *a = realloc(w->mem, floats * sizeof *a);
        if (a) w->mem = a;
        float *d = a ? realloc(w->dmem, floats * sizeof *d) : NULL;
        if (d) w->dmem = d;
        if (!a || !d) return pl_err(PL_ENOMEM, "gnn: out of memory for %zu activations", floats);
        w->cap = floats;
    }
    if (H > w->argmax_cap) {
        int32_t *am = realloc(w->argmax, (size_t)H * sizeof *am);
        if (!am) return pl_err(PL_ENOMEM, "gnn: out of memory");
        w->argmax = am;
        w->argmax_cap = H;
    }
    return PL_OK;
}

static pl_status check_obs(const pl_gnn_config *c, const pl_gnn_obs *o)
{
    if (!o || !o->graph || !o->x || !o->mask || !o->wire || !o->density || (c->meta_feats > 0 && !o->meta))
        return pl_err(PL_EINVAL, "gnn: observation with a missing array");
    if (o->current < 0 || o->current >= o->graph->n)
        return pl_err(PL_EINVAL, "gnn: current macro %d outside the graph's %d nodes", (int)o->current,
                      (int)o->graph->n);
    if (o->cols < 1 || o->rows < 1 || o->cols > PL_GNN_GRID_MAX || o->rows > PL_GNN_GRID_MAX)
        return pl_err(PL_EINVAL, "gnn: grid %dx%d, each side must be 1..%d", (int)o->cols, (int)o->rows,
                      PL_GNN_GRID_MAX);
    return PL_OK;
}

/* Encoder, edge convolutions, readout, value: everything up to a->g and the value. */
static void trunk_forward(const pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_acts *d, int32_t *argmax,
                          const pl_gnn_obs *obs, float *value)
{
    const pl_gnn_config *c = &m->cfg;
    const pl_gnn_params *p = &m->params;
    const pl_gnn_graph *g = obs->graph;
    const int N = g->n, H = c->hidden;
    const int64_t NH = (int64_t)N * H;
    pl_gnn_dense_forward(a->h, obs->x, p->enc_w, p->enc_b, N, c->node_feats, H);
    pl_gnn_relu_forward(a->h, a->h, NH);
    for (int l = 0; l < c->layers; l++) {
        pl_gnn_edgeconv L = {g, H, p->edge_w + (int64_t)l * (2 * H + 1) * H, p->edge_b + (int64_t)l * H,
                             NULL, NULL, a->pq + 2 * l * NH, d->pq + 2 * l * NH};
        pl_gnn_edgeconv_forward(&L, a->h + (l + 1) * NH, a->e, a->h + l * NH);
    }
    const float *hk = a->h + (int64_t)c->layers * NH, *hcur = hk + (int64_t)obs->current * H;
    pl_gnn_dense_forward(a->hmeta, obs->meta, p->meta_w, p->meta_b, 1, c->meta_feats, H);
    pl_gnn_relu_forward(a->hmeta, a->hmeta, H);
    pl_gnn_edgestats_forward(a->stats, argmax, a->e, g->e, H);
    pl_gnn_dense_forward(a->q, hcur, p->att_q, NULL, 1, H, H);
    pl_gnn_dense_forward(a->kk, hk, p->att_k, NULL, N, H, H);
    pl_gnn_dense_forward(a->vv, hk, p->att_v, NULL, N, H, H);
    pl_gnn_attention_forward(a->att, a->alpha, a->q, a->kk, a->vv, N, H);
    memcpy(a->g, a->hmeta, (size_t)H * sizeof *a->g);
    memcpy(a->g + H, a->stats, (size_t)2 * H * sizeof *a->g);
    memcpy(a->g + 3 * H, a->att, (size_t)H * sizeof *a->g);
    memcpy(a->g + 4 * H, hcur, (size_t)H * sizeof *a->g);
    pl_gnn_dense_forward(a->v1, a->g, p->val_w1, p->val_b1, 1, 5 * H, H);
    pl_gnn_relu_forward(a->v1, a->v1, H);
    pl_gnn_dense_forward(value, a->v1, p->val_w2, p->val_b2, 1, H, 1);
}

static void trunk_backward(pl_gnn_model *m, const pl_gnn_acts *a, const pl_gnn_acts *d, const int32_t *argmax,
                           const pl_gnn_obs *obs, float dvalue)
{
    const pl_gnn_config *c = &m->cfg;
    const pl_gnn_params *p = &m->params, *gr = &m->grads;
    const pl_gnn_graph *g = obs->graph;
    const int N = g->n, H = c->hidden, K = c->layers;
    const int64_t NH = (int64_t)N * H;
    /* value head */
    pl_gnn_dense_backward(d->v1, gr->val_w2, gr->val_b2, &dvalue, a->v1, p->val_w2, 1, H, 1);
    float *dv1 = d->v1; /* relu backward in place */
    for (int j = 0; j < H; j++)
        if (!(a->v1[j] > 0.0f)) dv1[j] = 0.0f;
    pl_gnn_dense_backward(d->g, gr->val_w1, gr->val_b1, dv1, a->g, p->val_w1, 1, 5 * H, H);
    /* readout: g = [hmeta | stats | att | hcur] */
    const float *hk = a->h + K * NH, *hcur = hk + (int64_t)obs->current * H;
    float *dhk = d->h + K * NH, *dhcur = dhk + (int64_t)obs->current * H;
    pl_gnn_relu_backward(d->hmeta, d->g, a->hmeta, H);
    pl_gnn_dense_backward(NULL, gr->meta_w, gr->meta_b, d->hmeta, obs->meta, p->meta_w, 1, c->meta_feats, H);
    pl_gnn_edgestats_backward(d->e, d->g + H, argmax, g->e, H);
    pl_gnn_attention_backward(d->q, d->kk, d->vv, d->g + 3 * H, a->alpha, a->q, a->kk, a->vv, N, H);
    for (int j = 0; j < H; j++) dhcur[j] += d->g[4 * H + j];
    pl_gnn_dense_backward(dhcur, gr->att_q, NULL, d->q, hcur, p->att_q, 1, H, H);
    pl_gnn_dense_backward(dhk, gr->att_k, NULL, d->kk, hk, p->att_k, N, H, H);
    pl_gnn_dense_backward(dhk, gr->att_v, NULL, d->vv, hk, p->att_v, N, H, H);
    /* edge convolutions, last first; de carries the readout's gradient into the last layer only */
    for (int l = K - 1; l >= 0; l--) {
        if (l < K - 1) memset(d->e, 0, (size_t)g->e * (size_t)H * sizeof *d->e);
        pl_gnn_edgeconv L = {g, H, p->edge_w + (int64_t)l * (2 * H + 1) * H, p->edge_b + (int64_t)l * H,
                             gr->edge_w + (int64_t)l * (2 * H + 1) * H, gr->edge_b + (int64_t)l * H,
                             a->pq + 2 * l * NH, d->pq + 2 * l * NH};
        pl_gnn_edgeconv_backward(&L, d->h + l * NH, d->e, d->h + (l + 1) * NH, a->h + l * NH);
    }
    /* encoder */
    pl_gnn_relu_backward(d->encz, d->h, a->h, NH);
    pl_gnn_dense_backward(NULL, gr->enc_w, gr->enc_b, d->encz, obs->x, p->enc_w, N, c->node_feats, H);
}

pl_status pl_gnn_forward(const pl_gnn_model *m, pl_gnn_work *w, const pl_gnn_obs *obs, float *logits, float *value)
{
    PL_TRY(check_obs(&m->cfg, obs));
    const int32_t A = obs->cols * obs->rows;
    pl_gnn_acts a, d;
    const size_t need = pl_gnn_acts_point(&a, NULL, &m->cfg, obs->graph->n, obs->graph->e, A);
    PL_TRY(work_reserve(w, need, m->cfg.hidden));
    pl_gnn_acts_point(&a, w->mem, &m->cfg, obs->graph->n, obs->graph->e, A);
    pl_gnn_acts_point(&d, w->dmem, &m->cfg, obs->graph->n, obs->graph->e, A);
    trunk_forward(m, &a, &d, w->argmax, obs, value);
    pl_gnn_head_forward(m, &a, obs);
    if (m->cfg.side) side_forward(m, obs, a.raw);
    for (int32_t i = 0; i < A; i++) logits[i] = obs->mask[i] ? a.raw[i] : -INFINITY;
    return PL_OK;
}

pl_status pl_gnn_backward(pl_gnn_model *m, pl_gnn_work *w, const pl_gnn_obs *obs, const float *dlogits,
                          float dvalue)
{
    PL_TRY(check_obs(&m->cfg, obs));
    const int32_t A = obs->cols * obs->rows;
    pl_gnn_acts a, d;
    const size_t need = pl_gnn_acts_point(&a, NULL, &m->cfg, obs->graph->n, obs->graph->e, A);
    if (need > w->cap || !w->mem) return pl_err(PL_EINVAL, "gnn: backward without a matching forward");
    pl_gnn_acts_point(&a, w->mem, &m->cfg, obs->graph->n, obs->graph->e, A);
    pl_gnn_acts_point(&d, w->dmem, &m->cfg, obs->graph->n, obs->graph->e, A);
    memset(w->dmem, 0, need * sizeof *w->dmem);
    for (int32_t i = 0; i < A; i++) d.raw[i] = obs->mask[i] ? dlogits[i] : 0.0f;
    if (m->cfg.side) side_backward(m, obs, d.raw);
    pl_gnn_head_backward(m, &a, &d, obs);
    trunk_backward(m, &a, &d, w->argmax, obs, dvalue);
    return PL_OK;
}

pl_status pl_gnn_forward_batch(const pl_gnn_model *m, pl_gnn_work *w, int32_t B, const pl_gnn_obs *obs,
                               float *logits, float *values)
{
    if (B < 0) return pl_err(PL_EINVAL, "gnn: batch of %d states", (int)B);
    for (int32_t b = 1; b < B; b++)
        if (obs[b].cols != obs[0].cols || obs[b].rows != obs[0].rows)
            return pl_err(PL_EINVAL, "gnn: batch state %d has a %dx%d grid, state 0 %dx%d", (int)b, (int)obs[b].cols,
                          (int)obs[b].rows, (int)obs[0].cols, (int)obs[0].rows);
    const int64_t A = B > 0 ? (int64_t)obs[0].cols * obs[0].rows : 0;
    for (int32_t b = 0; b < B; b++) PL_TRY(pl_gnn_forward(m, w, &obs[b], logits + b * A, &values[b]));
    return PL_OK;
}
