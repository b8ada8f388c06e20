/* model.cu: gpu.h's network on the device: the context, the stacked batch, and the whole-network forward
 * and backward as sequences of the kernels in ops.cu, edgeconv.cu and conv.cu, step for step the CPU's
 * gnn/model.c and gnn/head.c over B states at once.
 *
 * A batch is a disjoint union: the B graphs become one graph (node, edge and CSR indices offset), the
 * grids one list of cells. Every per-node/per-edge op then runs once over the union; per-state ops
 * (readout, attention, policy) take the (B+1) offsets noff, eoff, aoff. Activations (and, on the gradient
 * side, their gradients at the same offsets) live in one device buffer each, laid out by acts_point. */
#include "gnn/cuda/cu.cuh"

/* ---- layouts ---- */

/* Device views of one batch's activations (or of their gradients). */
typedef struct dacts {
    float *h;     /* (K+1, Nt, H) */
    float *pq;    /* (K, 2, Nt, H) */
    float *e;     /* (Et, H) the last layer's edge features */
    float *dz;    /* (Et, H) gradient-side scratch of the edge MLP */
    float *hmeta; /* (B, H) */
    float *stats; /* (B, 2H) */
    float *hcur;  /* (B, H) rows of h_K at the current macros */
    float *q;     /* (B, H) */
    float *kk, *vv; /* (Nt, H) */
    float *alpha; /* (Nt); on the gradient side: attention backward scratch */
    float *att;   /* (B, H) */
    float *g;     /* (B, 5H) */
    float *v1;    /* (B, H) */
    float *value; /* (B) */
    float *encz;  /* (Nt, H) gradient-side encoder scratch */
    float *tmp;   /* (B, H) gradient-side scratch: dq Wq^T */
    float *raw;   /* (At) logits before masking */
    float *logits; /* (At) */
    float *probs; /* (At) */
    float *p, *x0, *cva, *col; /* conv head: (B, Cg), (At, Cg+5), (L-1, At, Cc), (At, 9 max(Cg+5, Cc)) */
    float *d0, *dt;            /* deconv head: (B, 8*8*32), per layer (B, side^2, C) one after another */
    float *dcol;               /* deconv head im2col: max over layers of (B So^2, 9 Ci) */
} dacts;

enum { DECONV_BASE = 8, ALIGN_FLOATS = 64 };

static int deconv_side(int i) { return i < PL_GNN_DECONV_LAYERS - 1 ? DECONV_BASE << (i + 1) : PL_GNN_GRID_MAX; }
static int deconv_in_side(int i) { return i == 0 ? DECONV_BASE : deconv_side(i - 1); }
static int deconv_stride(int i) { return i < PL_GNN_DECONV_LAYERS - 1 ? 2 : 1; }

/* Offset (floats) of deconv layer i's output in dt, for B states. */
static int64_t deconv_out_offset(int i, int64_t B)
{
    int64_t o = 0;
    for (int j = 0; j < i; j++) o += B * deconv_side(j) * deconv_side(j) * pl_gnn_deconv_ch[j + 1];
    return o;
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

#define TAKE(field, count)                                  \
    do {                                                    \
        a->field = base ? base + off : NULL;                \
        off += round_up((size_t)(count), ALIGN_FLOATS);     \
    } while (0)

/* Points a into base (NULL: only counts); returns the floats needed. */
static size_t acts_point(dacts *a, float *base, const pl_gnn_config *c, int64_t Nt, int64_t Et, int64_t At, int64_t B)
{
    const int64_t H = c->hidden, K = c->layers;
    size_t off = 0;
    memset(a, 0, sizeof *a);
    TAKE(h, (K + 1) * Nt * H);
    TAKE(pq, K * 2 * Nt * H);
    TAKE(e, Et * H);
    TAKE(dz, Et * H);
    TAKE(hmeta, B * H);
    TAKE(stats, B * 2 * H);
    TAKE(hcur, B * H);
    TAKE(q, B * H);
    TAKE(kk, Nt * H);
    TAKE(vv, Nt * H);
    TAKE(alpha, Nt);
    TAKE(att, B * H);
    TAKE(g, B * 5 * H);
    TAKE(v1, B * H);
    TAKE(value, B);
    TAKE(encz, Nt * H);
    TAKE(tmp, B * H);
    TAKE(raw, At);
    TAKE(logits, At);
    TAKE(probs, At);
    if (c->head == PL_GNN_HEAD_CONV) {
        const int64_t cin = c->grid_embed + PL_GNN_MAP_CHANNELS, cc = c->conv_channels;
        TAKE(p, B * c->grid_embed);
        TAKE(x0, At * cin);
        TAKE(cva, (int64_t)(c->conv_layers - 1) * At * cc);
        TAKE(col, At * 9 * (cin > cc ? cin : cc));
    } else {
        int64_t colmax = 0;
        for (int i = 0; i < PL_GNN_DECONV_LAYERS; i++) {
            const int64_t so = deconv_side(i), cl = B * so * so * 9 * pl_gnn_deconv_ch[i];
            if (cl > colmax) colmax = cl;
        }
        TAKE(d0, B * DECONV_BASE * DECONV_BASE * pl_gnn_deconv_ch[0]);
        TAKE(dt, deconv_out_offset(PL_GNN_DECONV_LAYERS, B));
        TAKE(dcol, colmax);
    }
    return off;
}

#undef TAKE

/* Device views of one batch's inputs, all in one buffer that one cudaMemcpy fills. */
typedef struct dinputs {
    int32_t *src, *dst;   /* (Et) global node indices */
    int32_t *off;         /* (Nt + 1) */
    int32_t *inc;         /* (2 Et) global edge indices */
    int32_t *edge_state;  /* (Et) */
    int32_t *cell_state;  /* (At) */
    int32_t *noff, *eoff, *aoff; /* (B + 1) */
    int32_t *cur;         /* (B) global node of the current macro */
    int32_t *cols, *rows; /* (B) */
    float *x;             /* (Nt, F) */
    float *meta;          /* (B, M) */
    float *w;             /* (Et) */
    float *wire, *density; /* (At) */
    uint8_t *mask;        /* (At) */
} dinputs;

#define PLACE(field, count)                                                              \
    do {                                                                                 \
        v->field = (decltype(v->field))(base ? base + off : NULL);                       \
        off += round_up((size_t)(count) * sizeof *v->field, 256);                        \
    } while (0)

/* Points v into base (host staging or device buffer; NULL: only counts); returns the bytes needed. */
static size_t inputs_point(dinputs *v, unsigned char *base, const pl_gnn_config *c, int64_t Nt, int64_t Et,
                           int64_t At, int64_t B)
{
    size_t off = 0;
    memset(v, 0, sizeof *v);
    PLACE(src, Et);
    PLACE(dst, Et);
    PLACE(off, Nt + 1);
    PLACE(inc, 2 * Et);
    PLACE(edge_state, Et);
    PLACE(cell_state, At);
    PLACE(noff, B + 1);
    PLACE(eoff, B + 1);
    PLACE(aoff, B + 1);
    PLACE(cur, B);
    PLACE(cols, B);
    PLACE(rows, B);
    PLACE(x, Nt * c->node_feats);
    PLACE(meta, B * c->meta_feats);
    PLACE(w, Et);
    PLACE(wire, At);
    PLACE(density, At);
    PLACE(mask, At);
    return off;
}

#undef PLACE

/* ---- the context ---- */

struct pl_gnn_gpu_impl {
    pl_cu_ctx cu;
    float *ones;
    int64_t ones_cap;
    float *params, *grads, *adam_m, *adam_v; /* (nparams) each, the CPU layout */
    double *red;                             /* (1 + PL_CU_ADAM_BLOCKS) */
    size_t sizes[PL_GNN_NTENSORS];
    pl_gnn_params p, d; /* device views of params and grads */
    /* the last batch */
    unsigned char *in_host, *in_dev;
    size_t in_host_cap, in_dev_cap;
    float *mem, *dmem;
    size_t mem_cap, dmem_cap, need;
    void *pol; /* policy buffers, see pol_point */
    size_t pol_cap;
    int have_forward, have_policy;
    int64_t Nt, Et, At;
    int32_t B;
    dinputs hin, in; /* host staging views, device views */
    dacts a, da;
    int32_t *actions; /* (B) device */
    int32_t *status;  /* (B) device */
    double *lse;      /* (B) device */
    float *logp, *ent, *dlogp, *dent; /* (B) device */
};

/* model.c's point_params, over device memory. */
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

/* Frees *p and allocates `bytes` when it holds fewer. */
static pl_status dev_reserve(void **p, size_t *cap, size_t bytes)
{
    if (bytes <= *cap && *p) return PL_OK;
    if (*p) PL_CU(cudaFree(*p));
    *p = NULL, *cap = 0;
    bytes = bytes < 256 ? 256 : bytes;
    PL_CU(cudaMalloc(p, bytes));
    *cap = bytes;
    return PL_OK;
}

__global__ static void k_fill(float *x, float v, int64_t n)
{
    const int64_t i = pl_cu_tid();
    if (i < n) x[i] = v;
}

static pl_status ones_reserve(pl_gnn_gpu_impl *s, int64_t n)
{
    if (n <= s->ones_cap && s->ones) return PL_OK;
    size_t cap = (size_t)s->ones_cap * sizeof(float);
    void *p = s->ones;
    PL_TRY(dev_reserve(&p, &cap, (size_t)n * sizeof(float)));
    s->ones = (float *)p;
    s->ones_cap = (int64_t)(cap / sizeof(float));
    PL_LAUNCH_1D(k_fill, s->ones_cap, s->ones, 1.0f, s->ones_cap);
    s->cu.ones = s->ones, s->cu.ones_n = s->ones_cap;
    return PL_OK;
}

static int same_shape(const pl_gnn_gpu *g, const pl_gnn_model *m)
{
    return m && m->params_mem && m->nparams == g->nparams && memcmp(&m->cfg, &g->cfg, sizeof g->cfg) == 0;
}

static pl_status check_model(const pl_gnn_gpu *g, const pl_gnn_model *m)
{
    if (!g->impl) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    if (!same_shape(g, m))
        return pl_err(PL_EINVAL, "gnn gpu: model of %zu parameters does not match the context's %zu (or its config)",
                      m ? m->nparams : (size_t)0, g->nparams);
    return PL_OK;
}

pl_status pl_gnn_gpu_init(pl_gnn_gpu *g, const pl_gnn_model *m)
{
    memset(g, 0, sizeof *g);
    char why[256];
    if (!pl_gnn_cuda_available(why, sizeof why)) return pl_err(PL_ENOTSUP, "gnn gpu: %s", why);
    if (!m || !m->params_mem || m->nparams == 0) return pl_err(PL_EINVAL, "gnn gpu: model not initialised");
    pl_gnn_gpu_impl *s = (pl_gnn_gpu_impl *)calloc(1, sizeof *s);
    if (!s) return pl_err(PL_ENOMEM, "gnn gpu: out of memory");
    g->impl = s;
    g->cfg = m->cfg;
    g->nparams = m->nparams;
    memcpy(s->sizes, m->sizes, sizeof s->sizes);
    PL_CUBLAS(cublasCreate(&s->cu.blas));
    /* plain FP32 (no TF32 tensor-core rounding), host scalars */
    PL_CUBLAS(cublasSetMathMode(s->cu.blas, CUBLAS_DEFAULT_MATH));
    PL_CUBLAS(cublasSetPointerMode(s->cu.blas, CUBLAS_POINTER_MODE_HOST));
    const size_t bytes = m->nparams * sizeof(float);
    PL_CU(cudaMalloc((void **)&s->params, bytes));
    PL_CU(cudaMalloc((void **)&s->grads, bytes));
    PL_CU(cudaMalloc((void **)&s->adam_m, bytes));
    PL_CU(cudaMalloc((void **)&s->adam_v, bytes));
    PL_CU(cudaMalloc((void **)&s->red, (1 + PL_CU_ADAM_BLOCKS) * sizeof(double)));
    PL_CU(cudaMemset(s->grads, 0, bytes));
    PL_CU(cudaMemset(s->adam_m, 0, bytes));
    PL_CU(cudaMemset(s->adam_v, 0, bytes));
    point_params(&s->p, s->params, s->sizes);
    point_params(&s->d, s->grads, s->sizes);
    return pl_gnn_gpu_upload_params(g, m);
}

void pl_gnn_gpu_free(pl_gnn_gpu *g)
{
    if (!g) return;
    pl_gnn_gpu_impl *s = g->impl;
    if (s) {
        /* errors while freeing are not actionable; the pointers are dropped either way */
        if (s->cu.blas) cublasDestroy(s->cu.blas);
        void *dev[] = {s->ones, s->params, s->grads, s->adam_m, s->adam_v, s->red, s->in_dev, s->mem, s->dmem, s->pol};
        for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++)
            if (dev[i]) cudaFree(dev[i]);
        if (s->in_host) cudaFreeHost(s->in_host);
        free(s);
    }
    memset(g, 0, sizeof *g);
}

pl_status pl_gnn_gpu_upload_params(pl_gnn_gpu *g, const pl_gnn_model *m)
{
    PL_TRY(check_model(g, m));
    PL_CU(cudaMemcpy(g->impl->params, m->params_mem, g->nparams * sizeof(float), cudaMemcpyHostToDevice));
    return PL_OK;
}

pl_status pl_gnn_gpu_download_params(const pl_gnn_gpu *g, pl_gnn_model *m)
{
    PL_TRY(check_model(g, m));
    PL_CU(cudaMemcpy(m->params_mem, g->impl->params, g->nparams * sizeof(float), cudaMemcpyDeviceToHost));
    return PL_OK;
}

pl_status pl_gnn_gpu_download_grads(const pl_gnn_gpu *g, pl_gnn_model *m)
{
    PL_TRY(check_model(g, m));
    PL_CU(cudaMemcpy(m->grads_mem, g->impl->grads, g->nparams * sizeof(float), cudaMemcpyDeviceToHost));
    return PL_OK;
}

pl_status pl_gnn_gpu_upload_grads(pl_gnn_gpu *g, const pl_gnn_model *m)
{
    PL_TRY(check_model(g, m));
    PL_CU(cudaMemcpy(g->impl->grads, m->grads_mem, g->nparams * sizeof(float), cudaMemcpyHostToDevice));
    return PL_OK;
}

pl_status pl_gnn_gpu_zero_grad(pl_gnn_gpu *g)
{
    if (!g->impl) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    PL_CU(cudaMemset(g->impl->grads, 0, g->nparams * sizeof(float)));
    return PL_OK;
}

/* ---- staging a batch ---- */

/* model.c's check_obs, with the state's index. */
static pl_status check_obs(const pl_gnn_config *c, const pl_gnn_obs *o, int32_t b)
{
    if (!o || !o->graph || !o->x || !o->mask || !o->wire || !o->density || (c->meta_feats > 0 && !o->meta))
        return pl_err(PL_EINVAL, "gnn: batch state %d: observation with a missing array", (int)b);
    if (o->current < 0 || o->current >= o->graph->n)
        return pl_err(PL_EINVAL, "gnn: batch state %d: current macro %d outside the graph's %d nodes", (int)b,
                      (int)o->current, (int)o->graph->n);
    if (o->cols < 1 || o->rows < 1 || o->cols > PL_GNN_GRID_MAX || o->rows > PL_GNN_GRID_MAX)
        return pl_err(PL_EINVAL, "gnn: batch state %d: grid %dx%d, each side must be 1..%d", (int)b, (int)o->cols,
                      (int)o->rows, PL_GNN_GRID_MAX);
    return PL_OK;
}

/* Copies the B observations into the host staging buffer as one disjoint-union batch. */
static void stage(pl_gnn_gpu_impl *s, const pl_gnn_config *c, int32_t B, const pl_gnn_obs *obs)
{
    const dinputs *v = &s->hin;
    const int64_t F = c->node_feats, M = c->meta_feats;
    int64_t Nt = 0, Et = 0, At = 0;
    for (int32_t b = 0; b < B; b++) {
        const pl_gnn_obs *o = &obs[b];
        const pl_gnn_graph *gr = o->graph;
        const int64_t A = (int64_t)o->cols * o->rows;
        v->noff[b] = (int32_t)Nt, v->eoff[b] = (int32_t)Et, v->aoff[b] = (int32_t)At;
        v->cur[b] = (int32_t)(Nt + o->current);
        v->cols[b] = o->cols, v->rows[b] = o->rows;
        memcpy(v->x + Nt * F, o->x, (size_t)(gr->n * F) * sizeof(float));
        if (M > 0) memcpy(v->meta + (int64_t)b * M, o->meta, (size_t)M * sizeof(float));
        for (int32_t k = 0; k < gr->e; k++) {
            v->src[Et + k] = (int32_t)(gr->src[k] + Nt);
            v->dst[Et + k] = (int32_t)(gr->dst[k] + Nt);
            v->w[Et + k] = gr->w[k];
            v->edge_state[Et + k] = b;
        }
        for (int32_t n = 0; n < gr->n; n++) v->off[Nt + n] = (int32_t)(gr->off[n] + 2 * Et);
        for (int64_t t = 0; t < 2 * (int64_t)gr->e; t++)
            v->inc[2 * Et + t] = (int32_t)((((gr->inc[t] >> 1) + Et) << 1) | (gr->inc[t] & 1));
        for (int64_t a = 0; a < A; a++) v->cell_state[At + a] = b;
        memcpy(v->mask + At, o->mask, (size_t)A);
        memcpy(v->wire + At, o->wire, (size_t)A * sizeof(float));
        memcpy(v->density + At, o->density, (size_t)A * sizeof(float));
        Nt += gr->n, Et += gr->e, At += A;
    }
    v->noff[B] = (int32_t)Nt, v->eoff[B] = (int32_t)Et, v->aoff[B] = (int32_t)At;
    v->off[Nt] = (int32_t)(2 * Et);
}

/* Validates, stages and uploads the batch (one copy); sizes the activation buffer. */
static pl_status upload_batch(pl_gnn_gpu *g, int32_t B, const pl_gnn_obs *obs)
{
    pl_gnn_gpu_impl *s = g->impl;
    const pl_gnn_config *c = &g->cfg;
    if (B < 1 || !obs) return pl_err(PL_EINVAL, "gnn gpu: batch of %d states", (int)B);
    int64_t Nt = 0, Et = 0, At = 0;
    for (int32_t b = 0; b < B; b++) {
        PL_TRY(check_obs(c, &obs[b], b));
        Nt += obs[b].graph->n, Et += obs[b].graph->e, At += (int64_t)obs[b].cols * obs[b].rows;
    }
    /* int32 indices on the device (edge entries hold k << 1); cuBLAS takes int dimensions */
    const int64_t rows_max = (int64_t)B * PL_GNN_GRID_MAX * PL_GNN_GRID_MAX;
    if (Nt >= INT32_MAX || Et >= INT32_MAX / 2 || At >= INT32_MAX / 9 || rows_max >= INT32_MAX / 9)
        return pl_err(PL_EINVAL, "gnn gpu: batch too large (%lld nodes, %lld edges, %lld cells in %d states)",
                      (long long)Nt, (long long)Et, (long long)At, (int)B);
    s->have_forward = s->have_policy = 0;
    const size_t in_bytes = inputs_point(&s->hin, NULL, c, Nt, Et, At, B);
    if (in_bytes > s->in_host_cap || !s->in_host) { /* pinned, so the upload runs at full PCIe speed */
        if (s->in_host) PL_CU(cudaFreeHost(s->in_host));
        s->in_host = NULL, s->in_host_cap = 0;
        PL_CU(cudaMallocHost((void **)&s->in_host, in_bytes));
        s->in_host_cap = in_bytes;
    }
    void *p = s->in_dev;
    PL_TRY(dev_reserve(&p, &s->in_dev_cap, in_bytes));
    s->in_dev = (unsigned char *)p;
    inputs_point(&s->hin, s->in_host, c, Nt, Et, At, B);
    inputs_point(&s->in, s->in_dev, c, Nt, Et, At, B);
    stage(s, c, B, obs);
    PL_CU(cudaMemcpy(s->in_dev, s->in_host, in_bytes, cudaMemcpyHostToDevice));
    s->need = acts_point(&s->a, NULL, c, Nt, Et, At, B);
    p = s->mem;
    PL_TRY(dev_reserve(&p, &s->mem_cap, (s->need + (size_t)B * (size_t)c->hidden) * sizeof(float)));
    s->mem = (float *)p;
    acts_point(&s->a, s->mem, c, Nt, Et, At, B);
    int64_t ones = Nt > Et ? Nt : Et;
    ones = ones > At ? ones : At;
    ones = ones > B ? ones : B;
    if (c->head == PL_GNN_HEAD_DECONV && rows_max > ones) ones = rows_max;
    PL_TRY(ones_reserve(s, ones));
    s->Nt = Nt, s->Et = Et, s->At = At, s->B = B;
    return PL_OK;
}

static pl_cu_grids grids_of(const pl_gnn_gpu_impl *s)
{
    pl_cu_grids gr = {s->in.cell_state, s->in.aoff, s->in.cols, s->in.rows, s->At};
    return gr;
}

/* ---- forward ---- */

/* Weights and bias of conv layer i of the conv head (head.c's conv_params). */
static void conv_params(const pl_gnn_config *c, const pl_gnn_params *p, int i, float **w, float **b)
{
    const int64_t cc = c->conv_channels;
    if (i == 0) *w = p->cv0_w, *b = p->cv0_b;
    else if (i == c->conv_layers - 1) *w = p->cvl_w, *b = p->cvl_b;
    else *w = p->cvm_w + (i - 1) * 9 * cc * cc, *b = p->cvm_b + (i - 1) * cc;
}

/* Offsets of deconv layer i's weights and biases in dt_w, dt_b. */
static void deconv_param_offsets(int i, int64_t *ow, int64_t *ob)
{
    *ow = *ob = 0;
    for (int j = 0; j < i; j++) {
        *ow += 9 * pl_gnn_deconv_ch[j] * pl_gnn_deconv_ch[j + 1];
        *ob += pl_gnn_deconv_ch[j + 1];
    }
}

static pl_status trunk_forward(pl_gnn_gpu_impl *s, const pl_gnn_config *c)
{
    const pl_cu_ctx *cu = &s->cu;
    const dacts *a = &s->a;
    const dinputs *in = &s->in;
    const pl_gnn_params *p = &s->p;
    const int N = (int)s->Nt, E = (int)s->Et, B = s->B, H = c->hidden, K = c->layers;
    const int64_t NH = (int64_t)N * H;
    PL_TRY(pl_cu_dense_forward(cu, a->h, in->x, p->enc_w, p->enc_b, N, c->node_feats, H, 1));
    for (int l = 0; l < K; l++) {
        const float *w = p->edge_w + (int64_t)l * (2 * H + 1) * H, *bias = p->edge_b + (int64_t)l * H;
        const float *hin = a->h + l * NH;
        float *pq = a->pq + 2 * l * NH;
        PL_TRY(pl_cu_gemm(cu, 0, 0, N, H, H, hin, w, 0.0f, pq));
        PL_TRY(pl_cu_gemm(cu, 0, 0, N, H, H, hin, w + (int64_t)H * H, 0.0f, pq + NH));
        PL_TRY(pl_cu_edgemlp_forward(a->e, pq, w + (int64_t)2 * H * H, bias, in->src, in->dst, in->w, E, N, H));
        PL_TRY(pl_cu_segmean_forward(a->h + (l + 1) * NH, hin, a->e, in->off, in->inc, N, H));
    }
    PL_TRY(pl_cu_dense_forward(cu, a->hmeta, in->meta, p->meta_w, p->meta_b, B, c->meta_feats, H, 1));
    return PL_OK;
}

/* The edge statistics' argmax (B, H) int32 sits after the float activations (upload_batch reserves it). */
static int32_t *argmax_of(const pl_gnn_gpu_impl *s) { return (int32_t *)(s->mem + s->need); }

static pl_status readout_forward(pl_gnn_gpu_impl *s, const pl_gnn_config *c)
{
    const pl_cu_ctx *cu = &s->cu;
    const dacts *a = &s->a;
    const dinputs *in = &s->in;
    const pl_gnn_params *p = &s->p;
    const int N = (int)s->Nt, B = s->B, H = c->hidden;
    const float *hk = a->h + (int64_t)c->layers * N * H;
    PL_TRY(pl_cu_edgestats_forward(a->stats, argmax_of(s), a->e, in->eoff, B, H));
    PL_TRY(pl_cu_gather_rows(a->hcur, hk, in->cur, B, H));
    PL_TRY(pl_cu_dense_forward(cu, a->q, a->hcur, p->att_q, NULL, B, H, H, 0));
    PL_TRY(pl_cu_dense_forward(cu, a->kk, hk, p->att_k, NULL, N, H, H, 0));
    PL_TRY(pl_cu_dense_forward(cu, a->vv, hk, p->att_v, NULL, N, H, H, 0));
    PL_TRY(pl_cu_attention_forward(a->att, a->alpha, a->q, a->kk, a->vv, in->noff, B, H));
    PL_TRY(pl_cu_concat_readout(a->g, a->hmeta, a->stats, a->att, a->hcur, B, H));
    PL_TRY(pl_cu_dense_forward(cu, a->v1, a->g, p->val_w1, p->val_b1, B, 5 * H, H, 1));
    PL_TRY(pl_cu_dense_forward(cu, a->value, a->v1, p->val_w2, p->val_b2, B, H, 1, 0));
    return PL_OK;
}

static pl_status conv_head_forward(pl_gnn_gpu_impl *s, const pl_gnn_config *c)
{
    const pl_cu_ctx *cu = &s->cu;
    const dacts *a = &s->a;
    const pl_cu_grids gr = grids_of(s);
    const int B = s->B, A = (int)s->At, cg = c->grid_embed, cin = cg + PL_GNN_MAP_CHANNELS, cc = c->conv_channels;
    const int L = c->conv_layers;
    PL_TRY(pl_cu_dense_forward(cu, a->p, a->g, s->p.pol_w, s->p.pol_b, B, 5 * c->hidden, cg, 0));
    PL_TRY(pl_cu_conv_input(a->x0, a->p, s->in.mask, s->in.wire, s->in.density, &gr, cg));
    const float *in = a->x0;
    for (int i = 0; i < L; i++) {
        const int last = i == L - 1, ci = i == 0 ? cin : cc, co = last ? 1 : cc;
        float *w, *b;
        conv_params(c, &s->p, i, &w, &b);
        float *out = last ? a->raw : a->cva + (int64_t)i * A * cc;
        PL_TRY(pl_cu_im2col3x3(a->col, in, &gr, ci));
        PL_TRY(pl_cu_dense_forward(cu, out, a->col, w, b, A, 9 * ci, co, !last));
        in = out;
    }
    return PL_OK;
}

static pl_status deconv_head_forward(pl_gnn_gpu_impl *s, const pl_gnn_config *c)
{
    const pl_cu_ctx *cu = &s->cu;
    const dacts *a = &s->a;
    const pl_cu_grids gr = grids_of(s);
    const int B = s->B, nd0 = DECONV_BASE * DECONV_BASE * pl_gnn_deconv_ch[0];
    PL_TRY(pl_cu_dense_forward(cu, a->d0, a->g, s->p.dc_w, s->p.dc_b, B, 5 * c->hidden, nd0, 1));
    const float *in = a->d0;
    float *out = NULL;
    for (int i = 0; i < PL_GNN_DECONV_LAYERS; i++) {
        const int si = deconv_in_side(i), st = deconv_stride(i), so = si * st;
        const int ci = pl_gnn_deconv_ch[i], co = pl_gnn_deconv_ch[i + 1];
        int64_t ow, ob;
        deconv_param_offsets(i, &ow, &ob);
        out = a->dt + deconv_out_offset(i, B);
        PL_TRY(pl_cu_im2col_t(a->dcol, in, B, si, st, ci));
        PL_TRY(pl_cu_dense_forward(cu, out, a->dcol, s->p.dt_w + ow, s->p.dt_b + ob, B * so * so, 9 * ci, co,
                                   i < PL_GNN_DECONV_LAYERS - 1));
        in = out;
    }
    return pl_cu_crop(a->raw, out, &gr);
}

pl_status pl_gnn_gpu_forward(pl_gnn_gpu *g, int32_t B, const pl_gnn_obs *obs, float *logits, float *values)
{
    if (!g->impl) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    pl_gnn_gpu_impl *s = g->impl;
    const pl_gnn_config *c = &g->cfg;
    g->B = 0, g->A_total = 0;
    PL_TRY(upload_batch(g, B, obs));
    PL_TRY(trunk_forward(s, c));
    PL_TRY(readout_forward(s, c));
    PL_TRY(c->head == PL_GNN_HEAD_CONV ? conv_head_forward(s, c) : deconv_head_forward(s, c));
    if (c->side) {
        const pl_cu_grids gr = grids_of(s);
        PL_TRY(pl_cu_side_forward(s->a.raw, s->in.x, s->in.cur, c->node_feats, s->p.side_w, &gr));
    }
    PL_TRY(pl_cu_mask_logits(s->a.logits, s->a.raw, s->in.mask, s->At));
    if (logits) PL_CU(cudaMemcpy(logits, s->a.logits, (size_t)s->At * sizeof(float), cudaMemcpyDeviceToHost));
    if (values) PL_CU(cudaMemcpy(values, s->a.value, (size_t)B * sizeof(float), cudaMemcpyDeviceToHost));
    PL_CU(cudaDeviceSynchronize()); /* surfaces execution errors of this forward here, not in a later call */
    s->have_forward = 1;
    g->B = B, g->A_total = s->At;
    return PL_OK;
}

/* ---- backward ---- */

static pl_status conv_head_backward(pl_gnn_gpu_impl *s, const pl_gnn_config *c)
{
    const pl_cu_ctx *cu = &s->cu;
    const dacts *a = &s->a, *d = &s->da;
    const pl_cu_grids gr = grids_of(s);
    const int B = s->B, A = (int)s->At, cg = c->grid_embed, cin = cg + PL_GNN_MAP_CHANNELS, cc = c->conv_channels;
    const int L = c->conv_layers;
    const int64_t Acc = (int64_t)A * cc;
    for (int i = L - 1; i >= 0; i--) {
        const int last = i == L - 1, ci = i == 0 ? cin : cc, co = last ? 1 : cc;
        float *w, *b, *dw, *db;
        conv_params(c, &s->p, i, &w, &b);
        conv_params(c, &s->d, i, &dw, &db);
        float *dout = last ? d->raw : d->cva + i * Acc;
        if (!last) PL_TRY(pl_cu_relu_gate(dout, a->cva + i * Acc, Acc));
        const float *in = i == 0 ? a->x0 : a->cva + (i - 1) * Acc;
        float *din = i == 0 ? d->x0 : d->cva + (i - 1) * Acc;
        PL_TRY(pl_cu_im2col3x3(a->col, in, &gr, ci));
        PL_TRY(pl_cu_dense_backward(cu, NULL, dw, db, dout, a->col, w, A, 9 * ci, co));
        PL_TRY(pl_cu_gemm(cu, 0, 1, A, 9 * ci, co, dout, w, 0.0f, d->col)); /* dcol */
        PL_TRY(pl_cu_col2im3x3(din, d->col, &gr, ci));
    }
    PL_TRY(pl_cu_conv_input_backward(d->p, d->x0, &gr, B, cg));
    return pl_cu_dense_backward(cu, d->g, s->d.pol_w, s->d.pol_b, d->p, a->g, s->p.pol_w, B, 5 * c->hidden, cg);
}

static pl_status deconv_head_backward(pl_gnn_gpu_impl *s, const pl_gnn_config *c)
{
    const pl_cu_ctx *cu = &s->cu;
    const dacts *a = &s->a, *d = &s->da;
    const pl_cu_grids gr = grids_of(s);
    const int B = s->B, nd0 = DECONV_BASE * DECONV_BASE * pl_gnn_deconv_ch[0];
    PL_TRY(pl_cu_crop_backward(d->dt + deconv_out_offset(PL_GNN_DECONV_LAYERS - 1, B), d->raw, &gr));
    for (int i = PL_GNN_DECONV_LAYERS - 1; i >= 0; i--) {
        const int si = deconv_in_side(i), st = deconv_stride(i), so = si * st;
        const int ci = pl_gnn_deconv_ch[i], co = pl_gnn_deconv_ch[i + 1];
        const int rows = B * so * so;
        int64_t ow, ob;
        deconv_param_offsets(i, &ow, &ob);
        float *dout = d->dt + deconv_out_offset(i, B);
        if (i < PL_GNN_DECONV_LAYERS - 1) PL_TRY(pl_cu_relu_gate(dout, a->dt + deconv_out_offset(i, B), (int64_t)rows * co));
        const float *in = i == 0 ? a->d0 : a->dt + deconv_out_offset(i - 1, B);
        float *din = i == 0 ? d->d0 : d->dt + deconv_out_offset(i - 1, B);
        PL_TRY(pl_cu_im2col_t(a->dcol, in, B, si, st, ci));
        PL_TRY(pl_cu_dense_backward(cu, NULL, s->d.dt_w + ow, s->d.dt_b + ob, dout, a->dcol, s->p.dt_w + ow, rows,
                                    9 * ci, co));
        PL_TRY(pl_cu_gemm(cu, 0, 1, rows, 9 * ci, co, dout, s->p.dt_w + ow, 0.0f, d->dcol));
        PL_TRY(pl_cu_col2im_t(din, d->dcol, B, si, st, ci));
    }
    PL_TRY(pl_cu_relu_gate(d->d0, a->d0, (int64_t)B * nd0));
    return pl_cu_dense_backward(cu, d->g, s->d.dc_w, s->d.dc_b, d->d0, a->g, s->p.dc_w, B, 5 * c->hidden, nd0);
}

/* model.c's trunk_backward over the batch. */
static pl_status trunk_backward(pl_gnn_gpu_impl *s, const pl_gnn_config *c)
{
    const pl_cu_ctx *cu = &s->cu;
    const dacts *a = &s->a, *d = &s->da;
    const dinputs *in = &s->in;
    const pl_gnn_params *p = &s->p, *gr = &s->d;
    const int N = (int)s->Nt, E = (int)s->Et, B = s->B, H = c->hidden, K = c->layers;
    const int64_t NH = (int64_t)N * H;
    /* value head */
    PL_TRY(pl_cu_dense_backward(cu, d->v1, gr->val_w2, gr->val_b2, d->value, a->v1, p->val_w2, B, H, 1));
    PL_TRY(pl_cu_relu_gate(d->v1, a->v1, (int64_t)B * H));
    PL_TRY(pl_cu_dense_backward(cu, d->g, gr->val_w1, gr->val_b1, d->v1, a->g, p->val_w1, B, 5 * H, H));
    /* readout: g = [hmeta | stats | att | hcur] */
    const float *hk = a->h + K * NH;
    float *dhk = d->h + K * NH;
    PL_TRY(pl_cu_relu_backward(d->hmeta, d->g, 5 * H, a->hmeta, B, H));
    PL_TRY(pl_cu_dense_backward(cu, NULL, gr->meta_w, gr->meta_b, d->hmeta, in->meta, p->meta_w, B, c->meta_feats, H));
    PL_TRY(pl_cu_edgestats_backward(d->e, d->g + H, d->g + 2 * H, 5 * H, argmax_of(s), in->edge_state, in->eoff, E,
                                    B, H));
    PL_TRY(pl_cu_attention_backward(d->q, d->kk, d->vv, d->alpha, d->g + 3 * H, 5 * H, a->alpha, a->q, a->kk, a->vv,
                                    in->noff, B, H));
    PL_TRY(pl_cu_scatter_add_rows(dhk, d->g + 4 * H, 5 * H, in->cur, B, H));
    PL_TRY(pl_cu_gemm(cu, 0, 1, B, H, H, d->q, p->att_q, 0.0f, d->tmp)); /* dhcur += dq Wq^T */
    PL_TRY(pl_cu_scatter_add_rows(dhk, d->tmp, H, in->cur, B, H));
    PL_TRY(pl_cu_gemm(cu, 1, 0, H, H, B, a->hcur, d->q, 1.0f, gr->att_q));
    PL_TRY(pl_cu_dense_backward(cu, dhk, gr->att_k, NULL, d->kk, hk, p->att_k, N, H, H));
    PL_TRY(pl_cu_dense_backward(cu, dhk, gr->att_v, NULL, d->vv, hk, p->att_v, N, H, H));
    /* edge convolutions, last first; de carries the readout's gradient into the last layer only */
    for (int l = K - 1; l >= 0; l--) {
        if (l < K - 1 && E > 0) PL_CU(cudaMemset(d->e, 0, (size_t)E * H * sizeof(float)));
        const float *w = p->edge_w + (int64_t)l * (2 * H + 1) * H, *bias = p->edge_b + (int64_t)l * H;
        float *dw = gr->edge_w + (int64_t)l * (2 * H + 1) * H, *db = gr->edge_b + (int64_t)l * H;
        const float *pq = a->pq + 2 * l * NH, *hin = a->h + l * NH, *cvec = w + (int64_t)2 * H * H;
        float *dpq = d->pq + 2 * l * NH, *dhin = d->h + l * NH;
        const float *dhout = d->h + (l + 1) * NH;
        PL_TRY(pl_cu_add(dhin, dhout, NH)); /* residual */
        PL_TRY(pl_cu_segmean_backward(d->e, dhout, in->src, in->dst, in->off, E, H));
        PL_CU(cudaMemset(dpq, 0, (size_t)(2 * NH) * sizeof(float)));
        PL_TRY(pl_cu_edgemlp_dz(d->dz, d->e, pq, cvec, bias, in->src, in->dst, in->w, E, N, H));
        PL_TRY(pl_cu_gemm(cu, 0, 0, 1, H, E, in->w, d->dz, 1.0f, dw + (int64_t)2 * H * H)); /* dc += w^T dz */
        PL_TRY(pl_cu_colsum(cu, db, d->dz, E, H));                                          /* db += 1^T dz */
        PL_TRY(pl_cu_edgemlp_dnode(dpq, d->e, pq, cvec, bias, in->src, in->dst, in->w, in->off, in->inc, N, H));
        PL_TRY(pl_cu_gemm(cu, 0, 1, N, H, H, dpq, w, 1.0f, dhin));
        PL_TRY(pl_cu_gemm(cu, 0, 1, N, H, H, dpq + NH, w + (int64_t)H * H, 1.0f, dhin));
        PL_TRY(pl_cu_gemm(cu, 1, 0, H, H, N, hin, dpq, 1.0f, dw));
        PL_TRY(pl_cu_gemm(cu, 1, 0, H, H, N, hin, dpq + NH, 1.0f, dw + (int64_t)H * H));
    }
    /* encoder */
    PL_TRY(pl_cu_relu_backward(d->encz, d->h, H, a->h, N, H));
    return pl_cu_dense_backward(cu, NULL, gr->enc_w, gr->enc_b, d->encz, in->x, p->enc_w, N, c->node_feats, H);
}

/* Sizes and zeroes the gradient-side activations of the last forward. */
static pl_status begin_backward(pl_gnn_gpu *g)
{
    pl_gnn_gpu_impl *s = g->impl;
    if (!s) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    if (!s->have_forward) return pl_err(PL_EINVAL, "gnn gpu: backward without a matching forward");
    void *p = s->dmem;
    PL_TRY(dev_reserve(&p, &s->dmem_cap, s->need * sizeof(float)));
    s->dmem = (float *)p;
    acts_point(&s->da, s->dmem, &g->cfg, s->Nt, s->Et, s->At, s->B);
    PL_CU(cudaMemset(s->dmem, 0, s->need * sizeof(float)));
    return PL_OK;
}

/* d.raw from d.logits (masked cells zeroed), d.value set: the heads, then the trunk. */
static pl_status run_backward(pl_gnn_gpu *g)
{
    pl_gnn_gpu_impl *s = g->impl;
    const pl_gnn_config *c = &g->cfg;
    PL_TRY(pl_cu_mask_zero(s->da.raw, s->da.logits, s->in.mask, s->At));
    if (c->side) {
        const pl_cu_grids gr = grids_of(s);
        PL_TRY(pl_cu_side_backward(s->d.side_w, s->da.raw, s->in.x, s->in.cur, c->node_feats, &gr, s->B));
    }
    PL_TRY(c->head == PL_GNN_HEAD_CONV ? conv_head_backward(s, c) : deconv_head_backward(s, c));
    PL_TRY(trunk_backward(s, c));
    PL_CU(cudaDeviceSynchronize());
    return PL_OK;
}

pl_status pl_gnn_gpu_backward(pl_gnn_gpu *g, const float *dlogits, const float *dvalues)
{
    PL_TRY(begin_backward(g));
    pl_gnn_gpu_impl *s = g->impl;
    if (!dlogits || !dvalues) return pl_err(PL_EINVAL, "gnn gpu: backward needs dlogits and dvalues");
    PL_CU(cudaMemcpy(s->da.logits, dlogits, (size_t)s->At * sizeof(float), cudaMemcpyHostToDevice));
    PL_CU(cudaMemcpy(s->da.value, dvalues, (size_t)s->B * sizeof(float), cudaMemcpyHostToDevice));
    return run_backward(g);
}

/* ---- policy distribution ---- */

/* The policy buffers for B states: actions, status (int32), lse (double), logp, ent, dlogp, dent (float). */
static pl_status pol_reserve(pl_gnn_gpu_impl *s, int32_t B)
{
    const size_t per = 2 * sizeof(int32_t) + sizeof(double) + 4 * sizeof(float);
    PL_TRY(dev_reserve(&s->pol, &s->pol_cap, (size_t)B * per));
    double *d = (double *)s->pol; /* doubles first, for their alignment */
    s->lse = d;
    float *f = (float *)(d + B);
    s->logp = f, s->ent = f + B, s->dlogp = f + 2 * B, s->dent = f + 3 * B;
    int32_t *i = (int32_t *)(f + 4 * B);
    s->actions = i, s->status = i + B;
    return PL_OK;
}

pl_status pl_gnn_gpu_policy(pl_gnn_gpu *g, const int32_t *actions, float *logp, float *entropy, float *probs)
{
    pl_gnn_gpu_impl *s = g->impl;
    if (!s) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    if (!s->have_forward) return pl_err(PL_EINVAL, "gnn gpu: policy without a forward");
    const dinputs *h = &s->hin; /* the staged host copy of the batch: offsets and masks */
    for (int32_t b = 0; b < s->B; b++) {
        const int32_t a0 = h->aoff[b], A = h->aoff[b + 1] - a0;
        int any = 0;
        for (int32_t a = 0; a < A && !any; a++) any = h->mask[a0 + a] != 0;
        if (!any) return pl_err(PL_EINVAL, "policy: batch state %d: no legal cell in a %d-cell grid (all masked)",
                                (int)b, (int)A);
        if (!actions) continue;
        if (actions[b] < 0 || actions[b] >= A)
            return pl_err(PL_EINVAL, "policy: batch state %d: action %d outside the %d-cell grid", (int)b,
                          (int)actions[b], (int)A);
        if (!h->mask[a0 + actions[b]])
            return pl_err(PL_EINVAL, "policy: batch state %d: action %d is a masked cell", (int)b, (int)actions[b]);
    }
    s->have_policy = 0;
    PL_TRY(pol_reserve(s, s->B));
    if (actions) PL_CU(cudaMemcpy(s->actions, actions, (size_t)s->B * sizeof(int32_t), cudaMemcpyHostToDevice));
    PL_TRY(pl_cu_policy_forward(s->a.probs, s->lse, s->logp, s->ent, s->status, s->a.logits, s->in.mask, s->in.aoff,
                                actions ? s->actions : NULL, s->B));
    int32_t *st = (int32_t *)malloc((size_t)s->B * sizeof *st);
    if (!st) return pl_err(PL_ENOMEM, "gnn gpu: out of memory");
    cudaError_t e = cudaMemcpy(st, s->status, (size_t)s->B * sizeof *st, cudaMemcpyDeviceToHost);
    int32_t bad = -1;
    for (int32_t b = 0; e == cudaSuccess && b < s->B && bad < 0; b++)
        if (st[b] != 0) bad = b;
    free(st);
    PL_CU(e);
    if (bad >= 0) /* the host checks above make this an internal error */
        return pl_err(PL_ECUDA, "policy: batch state %d: device status disagrees with the host checks", (int)bad);
    if (logp && actions) PL_CU(cudaMemcpy(logp, s->logp, (size_t)s->B * sizeof(float), cudaMemcpyDeviceToHost));
    if (entropy) PL_CU(cudaMemcpy(entropy, s->ent, (size_t)s->B * sizeof(float), cudaMemcpyDeviceToHost));
    if (probs) PL_CU(cudaMemcpy(probs, s->a.probs, (size_t)s->At * sizeof(float), cudaMemcpyDeviceToHost));
    s->have_policy = actions != NULL;
    return PL_OK;
}

pl_status pl_gnn_gpu_policy_backward(pl_gnn_gpu *g, const float *dlogp, const float *dent, const float *dvalues)
{
    pl_gnn_gpu_impl *s = g->impl;
    if (!s) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    if (!s->have_policy) return pl_err(PL_EINVAL, "gnn gpu: policy backward without pl_gnn_gpu_policy and actions");
    PL_TRY(begin_backward(g));
    const size_t bytes = (size_t)s->B * sizeof(float);
    if (dlogp) PL_CU(cudaMemcpy(s->dlogp, dlogp, bytes, cudaMemcpyHostToDevice));
    else PL_CU(cudaMemset(s->dlogp, 0, bytes));
    if (dent) PL_CU(cudaMemcpy(s->dent, dent, bytes, cudaMemcpyHostToDevice));
    else PL_CU(cudaMemset(s->dent, 0, bytes));
    if (dvalues) PL_CU(cudaMemcpy(s->da.value, dvalues, bytes, cudaMemcpyHostToDevice));
    PL_TRY(pl_cu_policy_backward(s->da.logits, s->a.probs, s->lse, s->ent, s->a.logits, s->in.mask, s->in.cell_state,
                                 s->in.aoff, s->actions, s->dlogp, s->dent, s->At));
    return run_backward(g);
}

/* ---- Adam ---- */

pl_status pl_gnn_gpu_adam_step(pl_gnn_gpu *g, pl_gnn_adam *a, float *grad_norm)
{
    pl_gnn_gpu_impl *s = g->impl;
    if (!s) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    if (a->n != g->nparams) return pl_err(PL_EINVAL, "adam: %zu moments for %zu parameters", a->n, g->nparams);
    PL_TRY(pl_cu_sumsq(s->red, s->red + 1, s->grads, (int64_t)g->nparams));
    double ss = 0.0;
    PL_CU(cudaMemcpy(&ss, s->red, sizeof ss, cudaMemcpyDeviceToHost));
    /* from here, adam.c's pl_gnn_adam_step */
    const double norm = sqrt(ss);
    if (grad_norm) *grad_norm = (float)norm;
    if (!isfinite(norm))
        return pl_err(PL_EINVAL, "adam: gradient norm is not finite (step %llu)", (unsigned long long)a->t + 1);
    const float scale = a->cfg.clip_norm > 0.0f && norm > a->cfg.clip_norm ? (float)(a->cfg.clip_norm / norm) : 1.0f;
    a->t++;
    const float c1 = (float)(1.0 - pow(a->cfg.beta1, (double)a->t)), c2 = (float)(1.0 - pow(a->cfg.beta2, (double)a->t));
    PL_TRY(pl_cu_adam_update(s->params, s->adam_m, s->adam_v, s->grads, (int64_t)g->nparams, scale, &a->cfg, c1, c2));
    PL_CU(cudaDeviceSynchronize());
    return PL_OK;
}

pl_status pl_gnn_gpu_upload_adam(pl_gnn_gpu *g, const pl_gnn_adam *a)
{
    if (!g->impl) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    if (a->n != g->nparams) return pl_err(PL_EINVAL, "adam: %zu moments for %zu parameters", a->n, g->nparams);
    PL_CU(cudaMemcpy(g->impl->adam_m, a->m, a->n * sizeof(float), cudaMemcpyHostToDevice));
    PL_CU(cudaMemcpy(g->impl->adam_v, a->v, a->n * sizeof(float), cudaMemcpyHostToDevice));
    return PL_OK;
}

pl_status pl_gnn_gpu_download_adam(const pl_gnn_gpu *g, pl_gnn_adam *a)
{
    if (!g->impl) return pl_err(PL_EINVAL, "gnn gpu: context not initialised");
    if (a->n != g->nparams) return pl_err(PL_EINVAL, "adam: %zu moments for %zu parameters", a->n, g->nparams);
    PL_CU(cudaMemcpy(a->m, g->impl->adam_m, a->n * sizeof(float), cudaMemcpyDeviceToHost));
    PL_CU(cudaMemcpy(a->v, g->impl->adam_v, a->n * sizeof(float), cudaMemcpyDeviceToHost));
    return PL_OK;
}
