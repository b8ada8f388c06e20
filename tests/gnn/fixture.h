/* fixture.h: random GNN observations for the gnn tests and bench_gnn (header-only, static functions,
 * no Criterion). Everything is drawn from one pl_rng seeded by the spec, so a spec is a fixed input. */
#ifndef PL_TEST_GNN_FIXTURE_H
#define PL_TEST_GNN_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "gnn/model.h"
#include "core/rng.h"

typedef struct gnn_spec {
    int32_t n, e, cols, rows;
    uint64_t seed;
    double legal;     /* fraction of legal cells (at least one is forced legal unless legal == 0) */
    int32_t isolated; /* the last `isolated` nodes get no edges */
    double hub;       /* fraction of edges touching node 0 */
    int self_loops;   /* every 7th edge is a self-loop */
} gnn_spec;

typedef struct gnn_fixture {
    pl_gnn_graph g;
    float *x, *meta, *wire, *density;
    uint8_t *mask;
    pl_gnn_obs obs;
} gnn_fixture;

static inline void gnn_fixture_free(gnn_fixture *f)
{
    pl_gnn_graph_free(&f->g);
    free(f->x), free(f->meta), free(f->wire), free(f->density), free(f->mask);
    memset(f, 0, sizeof *f);
}

/* Fills f for config c; returns the status of the graph init. */
static inline pl_status gnn_fixture_make(gnn_fixture *f, const pl_gnn_config *c, const gnn_spec *s)
{
    memset(f, 0, sizeof *f);
    pl_rng r;
    pl_rng_seed(&r, s->seed);
    const int32_t connected = s->n - s->isolated > 0 ? s->n - s->isolated : 1;
    int32_t *edges = malloc(sizeof *edges * 2 * (size_t)(s->e + 1));
    float *w = malloc(sizeof *w * (size_t)(s->e + 1));
    for (int32_t k = 0; k < s->e; k++) {
        int32_t a = (int32_t)pl_rng_below(&r, (uint64_t)connected), b = (int32_t)pl_rng_below(&r, (uint64_t)connected);
        if (pl_rng_uniform(&r) < s->hub) a = 0;
        if (s->self_loops && k % 7 == 3) b = a;
        edges[2 * k] = a, edges[2 * k + 1] = b;
        w[k] = (float)(0.25 + 1.5 * pl_rng_uniform(&r));
    }
    pl_status st = pl_gnn_graph_init(&f->g, s->n, s->e, edges, w);
    free(edges), free(w);
    if (st != PL_OK) return st;
    const int32_t A = s->cols * s->rows;
    f->x = malloc(sizeof *f->x * (size_t)s->n * (size_t)c->node_feats);
    f->meta = malloc(sizeof *f->meta * (size_t)(c->meta_feats + 1));
    f->wire = malloc(sizeof *f->wire * (size_t)A);
    f->density = malloc(sizeof *f->density * (size_t)A);
    f->mask = malloc((size_t)A);
    for (int64_t i = 0; i < (int64_t)s->n * c->node_feats; i++) f->x[i] = (float)pl_rng_uniform(&r);
    for (int i = 0; i < c->meta_feats; i++) f->meta[i] = (float)pl_rng_uniform(&r);
    int any = 0;
    for (int32_t a = 0; a < A; a++) {
        f->wire[a] = (float)pl_rng_uniform(&r);
        f->density[a] = (float)pl_rng_uniform(&r);
        f->mask[a] = pl_rng_uniform(&r) < s->legal;
        any |= f->mask[a];
    }
    if (!any && s->legal > 0) f->mask[A / 2] = 1;
    f->obs = (pl_gnn_obs){&f->g, f->x, f->meta, s->n > 1 ? 1 : 0, s->cols, s->rows, f->mask, f->wire, f->density};
    return PL_OK;
}

#endif
