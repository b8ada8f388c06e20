/* test_ops.c: every GNN op against a naive oracle (forward) and central finite differences (backward),
 * on deliberately awkward shapes: H not a multiple of the SIMD chunk, isolated nodes, self-loops, a hub
 * node of high degree, E = 0, 1 x N grids. Tolerances are explained in gradcheck.h. */
#include "gnn/conv.h"
#include "gnn/edgeconv.h"
#include "gnn/ops.h"
#include "tests/gnn/gradcheck.h"
#include "tests/testutil.h"

TestSuite(gnn_ops);

static float *fnew(int64_t n) { return calloc((size_t)(n > 0 ? n : 1), sizeof(float)); }

/* ---- GEMM ---- */

Test(gnn_ops, gemm_matches_the_naive_oracle_for_every_transpose)
{
    const int shapes[][3] = {{7, 5, 3}, {1, 9, 4}, {6, 1, 2}, {33, 17, 65}};
    pl_rng r;
    pl_rng_seed(&r, 1);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
        float *A = fnew(M * K), *B = fnew(K * N), *C = fnew(M * N), *D = fnew(M * N);
        gc_fill(A, M * K, -1, 1, &r);
        gc_fill(B, K * N, -1, 1, &r);
        for (int t = 0; t < 8; t++) {
            const int tA = t & 1, tB = (t >> 1) & 1;
            const float beta = (t >> 2) ? 1.0f : 0.0f;
            gc_fill(C, M * N, -1, 1, &r);
            memcpy(D, C, sizeof(float) * (size_t)(M * N));
            pl_gnn_gemm(tA, tB, M, N, K, A, B, beta, C);
            pl_gnn_gemm_naive(tA, tB, M, N, K, A, B, beta, D);
            /* different summation orders: |error| <= K * 2^-23 * sum |a b| + the beta term, K * 1e-6 bounds it */
            for (int i = 0; i < M * N; i++)
                cr_assert_float_eq(C[i], D[i], 1e-6 * (K + 1), "M=%d N=%d K=%d tA=%d tB=%d beta=%g at %d", M, N, K, tA,
                                   tB, beta, i);
        }
        free(A), free(B), free(C), free(D);
    }
}

/* ---- dense, relu ---- */

typedef struct dense_ctx {
    float *in, *w, *b, *out, *r;
    int N, I, O;
} dense_ctx;

static double dense_loss(void *p)
{
    dense_ctx *c = p;
    pl_gnn_dense_forward(c->out, c->in, c->w, c->b, c->N, c->I, c->O);
    return gc_dot(c->out, c->r, (int64_t)c->N * c->O);
}

Test(gnn_ops, dense_backward_matches_finite_differences)
{
    pl_rng r;
    pl_rng_seed(&r, 2);
    dense_ctx c = {NULL, NULL, NULL, NULL, NULL, 5, 7, 3};
    c.in = fnew(c.N * c.I), c.w = fnew(c.I * c.O), c.b = fnew(c.O), c.out = fnew(c.N * c.O), c.r = fnew(c.N * c.O);
    gc_fill(c.in, c.N * c.I, -1, 1, &r);
    gc_fill(c.w, c.I * c.O, -1, 1, &r);
    gc_fill(c.b, c.O, -1, 1, &r);
    gc_fill(c.r, c.N * c.O, -1, 1, &r);
    float *din = fnew(c.N * c.I), *dw = fnew(c.I * c.O), *db = fnew(c.O);
    pl_gnn_dense_backward(din, dw, db, c.r, c.in, c.w, c.N, c.I, c.O);
    gc_check("din", c.in, c.N * c.I, din, dense_loss, &c, 1000);
    gc_check("dw", c.w, c.I * c.O, dw, dense_loss, &c, 1000);
    gc_check("db", c.b, c.O, db, dense_loss, &c, 1000);
    /* backward accumulates: a second call doubles the gradients */
    float dw0 = dw[3];
    pl_gnn_dense_backward(din, dw, db, c.r, c.in, c.w, c.N, c.I, c.O);
    cr_assert_float_eq(dw[3], 2 * dw0, 1e-6 * fabsf(dw0) + 1e-7);
    free(c.in), free(c.w), free(c.b), free(c.out), free(c.r), free(din), free(dw), free(db);
}

typedef struct relu_ctx {
    float *in, *out, *r;
    int n;
} relu_ctx;

static double relu_loss(void *p)
{
    relu_ctx *c = p;
    pl_gnn_relu_forward(c->out, c->in, c->n);
    return gc_dot(c->out, c->r, c->n);
}

Test(gnn_ops, relu_backward_matches_finite_differences)
{
    pl_rng r;
    pl_rng_seed(&r, 3);
    relu_ctx c = {fnew(40), fnew(40), fnew(40), 40};
    for (int i = 0; i < c.n; i++) c.in[i] = (float)((i % 2 ? 1 : -1) * (0.1 + pl_rng_uniform(&r))); /* off the kink */
    gc_fill(c.r, c.n, -1, 1, &r);
    float *din = fnew(c.n);
    pl_gnn_relu_forward(c.out, c.in, c.n);
    pl_gnn_relu_backward(din, c.r, c.out, c.n);
    gc_check("din", c.in, c.n, din, relu_loss, &c, 1000);
    free(c.in), free(c.out), free(c.r), free(din);
}

/* ---- attention ---- */

typedef struct att_ctx {
    float *q, *k, *v, *alpha, *out, *r;
    int N, H;
} att_ctx;

static double att_loss(void *p)
{
    att_ctx *c = p;
    pl_gnn_attention_forward(c->out, c->alpha, c->q, c->k, c->v, c->N, c->H);
    return gc_dot(c->out, c->r, c->H);
}

Test(gnn_ops, attention_backward_matches_finite_differences)
{
    const int shapes[][2] = {{6, 5}, {1, 3}, {40, 9}};
    pl_rng r;
    pl_rng_seed(&r, 4);
    for (int s = 0; s < 3; s++) {
        att_ctx c = {NULL, NULL, NULL, NULL, NULL, NULL, shapes[s][0], shapes[s][1]};
        const int NH = c.N * c.H;
        c.q = fnew(c.H), c.k = fnew(NH), c.v = fnew(NH), c.alpha = fnew(c.N), c.out = fnew(c.H), c.r = fnew(c.H);
        gc_fill(c.q, c.H, -1, 1, &r), gc_fill(c.k, NH, -1, 1, &r), gc_fill(c.v, NH, -1, 1, &r);
        gc_fill(c.r, c.H, -1, 1, &r);
        float *dq = fnew(c.H), *dk = fnew(NH), *dv = fnew(NH);
        att_loss(&c);
        double sum = 0;
        for (int n = 0; n < c.N; n++) sum += c.alpha[n];
        cr_assert_float_eq(sum, 1.0, 1e-6);
        pl_gnn_attention_backward(dq, dk, dv, c.r, c.alpha, c.q, c.k, c.v, c.N, c.H);
        gc_check("dq", c.q, c.H, dq, att_loss, &c, 100);
        gc_check("dk", c.k, NH, dk, att_loss, &c, 100);
        gc_check("dv", c.v, NH, dv, att_loss, &c, 100);
        free(c.q), free(c.k), free(c.v), free(c.alpha), free(c.out), free(c.r), free(dq), free(dk), free(dv);
    }
}

/* ---- graph and edge convolution ---- */

/* n nodes; `loose` isolated nodes at the end; edge 2 a self-loop; hub edges from node 0. */
static void awkward_graph(pl_gnn_graph *g, int n, int e, int loose, int hub, uint64_t seed)
{
    pl_rng r;
    pl_rng_seed(&r, seed);
    int32_t *ed = calloc((size_t)(2 * e + 2), sizeof *ed);
    float *w = fnew(e);
    const int m = n - loose;
    for (int k = 0; k < e; k++) {
        ed[2 * k] = k < hub ? 0 : (int32_t)pl_rng_below(&r, (uint64_t)m);
        ed[2 * k + 1] = k < hub ? 1 + k % (m - 1) : (int32_t)pl_rng_below(&r, (uint64_t)m);
        if (k == 2) ed[2 * k + 1] = ed[2 * k];
        w[k] = (float)(0.2 + pl_rng_uniform(&r));
    }
    cr_assert_eq(pl_gnn_graph_init(g, n, e, ed, w), PL_OK, "%s", pl_errmsg());
    free(ed), free(w);
}

Test(gnn_ops, graph_init_rejects_bad_edges_and_builds_the_csr)
{
    pl_gnn_graph g;
    const int32_t bad[] = {0, 5};
    const float w1[] = {1.0f};
    cr_assert_eq(pl_gnn_graph_init(&g, 3, 1, bad, w1), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "edge 0 joins nodes 0 and 5"), "%s", pl_errmsg());
    pl_gnn_graph_free(&g);
    pl_gnn_graph_free(&g); /* idempotent */
    const int32_t ed[] = {0, 1, 2, 2, 1, 2};
    const float w[] = {1, 2, 3};
    cr_assert_eq(pl_gnn_graph_init(&g, 4, 3, ed, w), PL_OK);
    const int32_t off[] = {0, 1, 3, 6, 6};
    for (int v = 0; v <= 4; v++) cr_assert_eq(g.off[v], off[v], "off[%d]", v);
    /* node 2: self-loop edge 1 twice (both sides), then edge 2 as dst */
    cr_assert_eq(g.inc[3], 1 << 1);
    cr_assert_eq(g.inc[4], 1 << 1 | 1);
    cr_assert_eq(g.inc[5], 2 << 1 | 1);
    pl_gnn_graph_free(&g);
}

Test(gnn_ops, segment_mean_matches_the_oracle)
{
    pl_gnn_graph g;
    awkward_graph(&g, 30, 120, 3, 60, 5);
    const int H = 11;
    pl_rng r;
    pl_rng_seed(&r, 6);
    float *e = fnew(120 * H), *out = fnew(30 * H);
    gc_fill(e, 120 * H, -1, 1, &r);
    pl_gnn_segmean_forward(out, e, &g, H);
    for (int v = 0; v < 30; v++)
        for (int j = 0; j < H; j++) {
            double s = 0;
            int cnt = 0;
            for (int k = 0; k < g.e; k++) {
                if (g.src[k] == v) s += e[k * H + j], cnt++;
                if (g.dst[k] == v) s += e[k * H + j], cnt++;
            }
            const double want = cnt ? s / cnt : 0.0;
            cr_assert_float_eq(out[v * H + j], want, 1e-5, "node %d channel %d (degree %d)", v, j, cnt);
        }
    cr_assert_geq(g.off[1] - g.off[0], 60, "node 0 is the hub");
    free(e), free(out);
    pl_gnn_graph_free(&g);
}

typedef struct ec_ctx {
    pl_gnn_edgeconv L;
    float *hin, *hout, *e, *rh, *re;
} ec_ctx;

static double ec_loss(void *p)
{
    ec_ctx *c = p;
    pl_gnn_edgeconv_forward(&c->L, c->hout, c->e, c->hin);
    return gc_dot(c->hout, c->rh, (int64_t)c->L.g->n * c->L.H) + gc_dot(c->e, c->re, (int64_t)c->L.g->e * c->L.H);
}

/* Gradient check of one edge-conv layer on g with hidden size H; `max` entries per tensor. bias > 0
 * shifts every pre-activation up, keeping ReLUs off their kink on big graphs (see gradcheck.h). */
static void check_edgeconv(const pl_gnn_graph *g, int H, uint64_t seed, int max, double bias)
{
    const int N = g->n, E = g->e, W = (2 * H + 1) * H;
    pl_rng r;
    pl_rng_seed(&r, seed);
    float *w = fnew(W), *b = fnew(H), *dw = fnew(W), *db = fnew(H);
    gc_fill(w, W, -0.6, 0.6, &r);
    gc_fill(b, H, bias - 0.2, bias + 0.2, &r);
    ec_ctx c = {{g, H, w, b, dw, db, fnew(2 * N * H), fnew(2 * N * H)}, fnew(N * H), fnew(N * H), fnew(E * H),
                fnew(N * H), fnew(E * H)};
    gc_fill(c.hin, N * H, -1, 1, &r);
    gc_fill(c.rh, N * H, -1, 1, &r);
    gc_fill(c.re, E * H, -1, 1, &r);
    ec_loss(&c);
    float *dhin = fnew(N * H), *de = fnew(E * H);
    memcpy(de, c.re, sizeof(float) * (size_t)(E * H));
    pl_gnn_edgeconv_backward(&c.L, dhin, de, c.rh, c.hin);
    gc_check("dhin", c.hin, N * H, dhin, ec_loss, &c, max);
    gc_check("dw", w, W, dw, ec_loss, &c, max);
    gc_check("db", b, H, db, ec_loss, &c, max);
    free(w), free(b), free(dw), free(db), free(c.L.pq), free(c.L.dpq), free(c.hin), free(c.hout), free(c.e);
    free(c.rh), free(c.re), free(dhin), free(de);
}

Test(gnn_ops, edgeconv_backward_matches_finite_differences)
{
    pl_gnn_graph g;
    awkward_graph(&g, 10, 16, 2, 5, 7); /* isolated nodes 8, 9; a self-loop; node 0 a small hub */
    check_edgeconv(&g, 5, 8, 1000, 0.0);      /* H below the SIMD chunk */
    check_edgeconv(&g, 11, 9, 1000, 0.0);     /* one chunk and a tail */
    pl_gnn_graph_free(&g);
}

Test(gnn_ops, edgeconv_on_a_high_degree_node)
{
    pl_gnn_graph g;
    awkward_graph(&g, 300, 420, 0, 299, 10); /* node 0 touches 299 of 420 edges */
    cr_assert_geq(g.off[1] - g.off[0], 299);
    check_edgeconv(&g, 8, 11, 60, 6.0); /* every edge in the linear regime */
    pl_gnn_graph_free(&g);
}

Test(gnn_ops, edgeconv_without_edges_is_the_identity)
{
    pl_gnn_graph g;
    cr_assert_eq(pl_gnn_graph_init(&g, 4, 0, NULL, NULL), PL_OK);
    const int H = 3;
    float w[7 * 3], b[3] = {0.5f, -0.5f, 1}, dw[21] = {0}, db[3] = {0}, pq[24], dpq[24];
    for (int i = 0; i < 21; i++) w[i] = 0.1f * (float)i;
    pl_gnn_edgeconv L = {&g, H, w, b, dw, db, pq, dpq};
    float hin[12], hout[12], dh[12], dhin[12] = {0}, e[1];
    for (int i = 0; i < 12; i++) hin[i] = (float)i - 5.0f, dh[i] = 0.25f * (float)i;
    pl_gnn_edgeconv_forward(&L, hout, e, hin);
    pl_gnn_edgeconv_backward(&L, dhin, e, dh, hin);
    for (int i = 0; i < 12; i++) {
        cr_assert_eq(hout[i], hin[i]);
        cr_assert_eq(dhin[i], dh[i]);
    }
    for (int i = 0; i < 21; i++) cr_assert_eq(dw[i], 0.0f);
    pl_gnn_graph_free(&g);
}

typedef struct stats_ctx {
    float *e, *out, *r;
    int32_t *am;
    int E, H;
} stats_ctx;

static double stats_loss(void *p)
{
    stats_ctx *c = p;
    pl_gnn_edgestats_forward(c->out, c->am, c->e, c->E, c->H);
    return gc_dot(c->out, c->r, 2 * c->H);
}

Test(gnn_ops, edge_statistics_backward_and_empty_graph)
{
    pl_rng r;
    pl_rng_seed(&r, 12);
    int32_t am[4];
    stats_ctx c = {fnew(7 * 4), fnew(8), fnew(8), am, 7, 4};
    /* distinct values at least 0.05 apart, so +-eps never changes the max */
    for (int i = 0; i < 28; i++) c.e[i] = 0.05f * (float)((i * 11) % 28);
    gc_fill(c.r, 8, -1, 1, &r);
    stats_loss(&c);
    float *de = fnew(28);
    pl_gnn_edgestats_backward(de, c.r, am, 7, 4);
    gc_check("de", c.e, 28, de, stats_loss, &c, 100);
    float out[8];
    int32_t am0[4];
    pl_gnn_edgestats_forward(out, am0, c.e, 0, 4);
    for (int j = 0; j < 8; j++) cr_assert_eq(out[j], 0.0f);
    for (int j = 0; j < 4; j++) cr_assert_eq(am0[j], -1);
    free(c.e), free(c.out), free(c.r), free(de);
}

/* ---- grid convolutions ---- */

typedef struct conv_ctx {
    pl_gnn_conv_shape s;
    float *in, *w, *b, *out, *col, *r;
    int transposed;
} conv_ctx;

static int64_t conv_out_cells(const conv_ctx *c)
{
    const int st = c->transposed ? c->s.stride : 1;
    return (int64_t)c->s.cols * st * c->s.rows * st;
}

static double conv_loss(void *p)
{
    conv_ctx *c = p;
    if (c->transposed) pl_gnn_convt_forward(c->out, c->in, c->w, c->b, &c->s);
    else pl_gnn_conv3x3_forward(c->out, c->col, c->in, c->w, c->b, &c->s);
    return gc_dot(c->out, c->r, conv_out_cells(c) * c->s.cout);
}

/* Direct-loop oracle, in double: conv (same padding) or transposed conv (scatter form). */
static void conv_oracle(double *out, const conv_ctx *c)
{
    const pl_gnn_conv_shape *s = &c->s;
    const int st = c->transposed ? s->stride : 1, OC = s->cols * st, OR = s->rows * st;
    for (int64_t i = 0; i < (int64_t)OC * OR * s->cout; i++) out[i] = c->b[i % s->cout];
    for (int y = 0; y < s->rows; y++)
        for (int x = 0; x < s->cols; x++)
            for (int t = 0; t < 9; t++) {
                const int ky = t / 3, kx = t % 3;
                for (int ci = 0; ci < s->cin; ci++)
                    for (int co = 0; co < s->cout; co++) {
                        if (!c->transposed) { /* out(y, x) gathers in(y + ky - 1, x + kx - 1) */
                            const int iy = y + ky - 1, ix = x + kx - 1;
                            if (iy < 0 || iy >= s->rows || ix < 0 || ix >= s->cols) continue;
                            out[((int64_t)y * OC + x) * s->cout + co] +=
                                (double)c->in[((int64_t)iy * s->cols + ix) * s->cin + ci] *
                                c->w[((int64_t)t * s->cin + ci) * s->cout + co];
                        } else { /* in(y, x) scatters to out(st y + k - p) */
                            const int p = st == 1 ? 1 : 0, oy = st * y + ky - p, ox = st * x + kx - p;
                            if (oy < 0 || oy >= OR || ox < 0 || ox >= OC) continue;
                            out[((int64_t)oy * OC + ox) * s->cout + co] +=
                                (double)c->in[((int64_t)y * s->cols + x) * s->cin + ci] *
                                c->w[((int64_t)t * s->cin + ci) * s->cout + co];
                        }
                    }
            }
}

static void check_conv(pl_gnn_conv_shape s, int transposed, uint64_t seed)
{
    pl_rng r;
    pl_rng_seed(&r, seed);
    conv_ctx c = {s, NULL, NULL, NULL, NULL, NULL, NULL, transposed};
    const int64_t A = (int64_t)s.cols * s.rows, NW = 9 * s.cin * s.cout, AO = conv_out_cells(&c) * s.cout;
    c.in = fnew(A * s.cin), c.w = fnew(NW), c.b = fnew(s.cout), c.out = fnew(AO), c.col = fnew(A * 9 * s.cin);
    c.r = fnew(AO);
    gc_fill(c.in, A * s.cin, -1, 1, &r), gc_fill(c.w, NW, -1, 1, &r), gc_fill(c.b, s.cout, -1, 1, &r);
    gc_fill(c.r, AO, -1, 1, &r);
    conv_loss(&c);
    double *want = calloc((size_t)AO, sizeof *want);
    conv_oracle(want, &c);
    for (int64_t i = 0; i < AO; i++)
        cr_assert_float_eq(c.out[i], want[i], 1e-5 * (1 + 9 * s.cin), "%s %dx%d %d->%d s%d out[%lld]",
                           transposed ? "convt" : "conv", s.cols, s.rows, s.cin, s.cout, s.stride, (long long)i);
    float *din = fnew(A * s.cin), *dw = fnew(NW), *db = fnew(s.cout);
    if (transposed) pl_gnn_convt_backward(din, dw, db, c.r, c.in, c.w, &s);
    else pl_gnn_conv3x3_backward(din, dw, db, c.col, c.r, c.in, c.w, &s);
    gc_check("din", c.in, A * s.cin, din, conv_loss, &c, 200);
    gc_check("dw", c.w, NW, dw, conv_loss, &c, 200);
    gc_check("db", c.b, s.cout, db, conv_loss, &c, 200);
    free(c.in), free(c.w), free(c.b), free(c.out), free(c.col), free(c.r), free(want), free(din), free(dw), free(db);
}

Test(gnn_ops, conv3x3_matches_the_oracle_and_finite_differences)
{
    check_conv((pl_gnn_conv_shape){5, 3, 3, 2, 1}, 0, 13);
    check_conv((pl_gnn_conv_shape){7, 1, 2, 3, 1}, 0, 14); /* a 1 x N grid */
    check_conv((pl_gnn_conv_shape){1, 6, 1, 1, 1}, 0, 15); /* N x 1 */
}

Test(gnn_ops, convt_matches_the_oracle_and_finite_differences)
{
    check_conv((pl_gnn_conv_shape){3, 2, 3, 2, 2}, 1, 16);
    check_conv((pl_gnn_conv_shape){4, 3, 2, 1, 1}, 1, 17);
    check_conv((pl_gnn_conv_shape){1, 5, 2, 2, 2}, 1, 18);
}

/* ---- masked distribution ---- */

typedef struct dist_ctx {
    pl_gnn_dist d;
    float *logits;
    int32_t action;
    double wl, we; /* loss = wl log p(action) + we entropy */
} dist_ctx;

static double dist_loss(void *p)
{
    dist_ctx *c = p;
    float lp;
    cr_assert_eq(pl_gnn_softmax_masked_forward(&c->d), PL_OK);
    cr_assert_eq(pl_gnn_logprob_forward(&c->d, c->action, &lp), PL_OK);
    return c->wl * lp + c->we * pl_gnn_entropy_forward(&c->d);
}

Test(gnn_ops, masked_softmax_logprob_entropy)
{
    enum { A = 13 };
    pl_rng r;
    pl_rng_seed(&r, 19);
    float logits[A], probs[A];
    uint8_t mask[A];
    for (int a = 0; a < A; a++) mask[a] = a % 3 != 1;
    gc_fill(logits, A, -2, 2, &r);
    dist_ctx c = {{logits, mask, probs, 0.0, A}, logits, 5, 1.0, 0.0};
    dist_loss(&c);
    double sum = 0;
    for (int a = 0; a < A; a++) {
        if (!mask[a]) cr_assert_eq(probs[a], 0.0f, "masked cell %d has probability %g", a, probs[a]);
        sum += probs[a];
    }
    cr_assert_float_eq(sum, 1.0, 1e-6);
    const double wts[][2] = {{1.0, 0.0}, {0.0, 1.0}, {0.7, -0.3}};
    for (int k = 0; k < 3; k++) {
        c.wl = wts[k][0], c.we = wts[k][1];
        dist_loss(&c);
        float dl[A] = {0}, lp;
        pl_gnn_logprob_forward(&c.d, c.action, &lp);
        pl_gnn_logprob_backward(dl, &c.d, c.action, (float)c.wl);
        pl_gnn_entropy_backward(dl, &c.d, pl_gnn_entropy_forward(&c.d), (float)c.we);
        for (int a = 0; a < A; a++)
            if (!mask[a]) cr_assert_eq(dl[a], 0.0f);
        gc_check("dlogits", logits, A, dl, dist_loss, &c, 100);
    }
    /* uniform over the legal cells: entropy log(#legal) */
    for (int a = 0; a < A; a++) logits[a] = mask[a] ? 0.3f : 50.0f;
    pl_gnn_softmax_masked_forward(&c.d);
    cr_assert_float_eq(pl_gnn_entropy_forward(&c.d), logf(9.0f), 1e-6);
}

Test(gnn_ops, all_masked_grid_is_a_clear_error)
{
    float logits[6] = {0}, probs[6];
    uint8_t mask[6] = {0};
    pl_gnn_dist d = {logits, mask, probs, 0.0, 6};
    cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "no legal cell"), "%s", pl_errmsg());
    pl_rng r;
    pl_rng_seed(&r, 1);
    int32_t a = -7;
    memset(probs, 0, sizeof probs);
    cr_assert_eq(pl_gnn_sample(&d, &r, &a), PL_EINVAL);
    cr_assert_eq(pl_gnn_argmax(&d, &a), PL_EINVAL);
    mask[2] = 1;
    float lp;
    cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_OK);
    cr_assert_eq(pl_gnn_logprob_forward(&d, 3, &lp), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "masked"), "%s", pl_errmsg());
}

Test(gnn_ops, a_masked_cell_is_never_sampled)
{
    enum { A = 50, DRAWS = 200000 };
    float logits[A], probs[A];
    uint8_t mask[A];
    pl_rng r;
    pl_rng_seed(&r, 20);
    for (int a = 0; a < A; a++) {
        mask[a] = a % 3 != 0 && a != A - 1;
        logits[a] = mask[a] ? (float)(pl_rng_uniform(&r) * 3.0) : 80.0f; /* masked cells would dominate */
    }
    pl_gnn_dist d = {logits, mask, probs, 0.0, A};
    cr_assert_eq(pl_gnn_softmax_masked_forward(&d), PL_OK);
    int count[A] = {0};
    for (int i = 0; i < DRAWS; i++) {
        int32_t a;
        cr_assert_eq(pl_gnn_sample(&d, &r, &a), PL_OK);
        cr_assert(a >= 0 && a < A && mask[a], "sampled masked cell %d", a);
        count[a]++;
    }
    /* each legal cell within 6 binomial standard deviations of its expected count */
    for (int a = 0; a < A; a++) {
        const double mu = DRAWS * (double)probs[a], sd = sqrt(mu * (1 - probs[a])) + 1;
        cr_assert(fabs(count[a] - mu) <= 6 * sd, "cell %d: %d draws, expected %.0f", a, count[a], mu);
    }
    int32_t best;
    cr_assert_eq(pl_gnn_argmax(&d, &best), PL_OK);
    cr_assert(mask[best]);
}
