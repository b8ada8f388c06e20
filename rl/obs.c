/* obs.c: static observation part and step records (see obs.h). */
#include "rl/obs.h"

#include <stdlib.h>
#include <math.h>
#include <string.h>

pl_status pl_obs_static_alloc(pl_obs_static *s)
{
    s->edges = malloc(sizeof *s->edges * 2 * (size_t)(s->e + 1));
    s->w = malloc(sizeof *s->w * (size_t)(s->e + 1));
    s->feat = malloc(sizeof *s->feat * (size_t)s->n * PL_OBS_F + 1);
    memset(&s->graph, 0, sizeof s->graph);
    if (!s->edges || !s->w || !s->feat) {
        pl_obs_static_free(s);
        return pl_err(PL_ENOMEM, "obs: out of memory for a %d-node, %d-edge graph", (int)s->n, (int)s->e);
    }
    return PL_OK;
}

pl_status pl_obs_static_finish(pl_obs_static *s)
{
    pl_gnn_graph_free(&s->graph);
    return pl_gnn_graph_init(&s->graph, s->n, s->e, s->edges, s->w);
}

void pl_obs_static_free(pl_obs_static *s)
{
    if (!s) return;
    free(s->edges), free(s->w), free(s->feat);
    s->edges = NULL, s->w = NULL, s->feat = NULL;
    pl_gnn_graph_free(&s->graph);
}

enum { HDR_INTS = 6 };

size_t pl_obs_static_bytes(const pl_obs_static *s)
{
    return sizeof(int32_t) * HDR_INTS + PL_OBS_NAME + sizeof(int32_t) * 2 * (size_t)s->e + sizeof(float) * (size_t)s->e +
           sizeof(float) * (size_t)s->n * PL_OBS_F;
}

void pl_obs_static_pack(const pl_obs_static *s, void *buf)
{
    char *p = buf;
    int32_t h[HDR_INTS] = {s->n, s->e, s->nhard, s->cols, s->rows, s->nsteps};
    memcpy(p, h, sizeof h), p += sizeof h;
    memcpy(p, s->name, PL_OBS_NAME), p += PL_OBS_NAME;
    memcpy(p, s->edges, sizeof(int32_t) * 2 * (size_t)s->e), p += sizeof(int32_t) * 2 * (size_t)s->e;
    memcpy(p, s->w, sizeof(float) * (size_t)s->e), p += sizeof(float) * (size_t)s->e;
    memcpy(p, s->feat, sizeof(float) * (size_t)s->n * PL_OBS_F);
}

pl_status pl_obs_static_unpack(pl_obs_static *s, const void *buf, size_t len)
{
    memset(s, 0, sizeof *s);
    const char *p = buf;
    int32_t h[HDR_INTS];
    if (len < sizeof h + PL_OBS_NAME) return pl_err(PL_EPARSE, "obs: static message of %zu bytes is truncated", len);
    memcpy(h, p, sizeof h), p += sizeof h;
    s->n = h[0], s->e = h[1], s->nhard = h[2], s->cols = h[3], s->rows = h[4], s->nsteps = h[5];
    if (s->n < 1 || s->e < 0 || s->nhard < 0 || s->nhard > s->n || s->cols < 1 || s->rows < 1 ||
        pl_obs_static_bytes(s) != len)
        return pl_err(PL_EPARSE, "obs: malformed static message (%zu bytes, %d nodes, %d edges)", len, (int)s->n,
                      (int)s->e);
    memcpy(s->name, p, PL_OBS_NAME), p += PL_OBS_NAME;
    s->name[PL_OBS_NAME - 1] = 0;
    PL_TRY(pl_obs_static_alloc(s));
    memcpy(s->edges, p, sizeof(int32_t) * 2 * (size_t)s->e), p += sizeof(int32_t) * 2 * (size_t)s->e;
    memcpy(s->w, p, sizeof(float) * (size_t)s->e), p += sizeof(float) * (size_t)s->e;
    memcpy(s->feat, p, sizeof(float) * (size_t)s->n * PL_OBS_F);
    pl_status st = pl_obs_static_finish(s);
    if (st != PL_OK) pl_obs_static_free(s);
    return st;
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t pl_obs_rec_bytes(int32_t nhard, int32_t A)
{
    return round8(sizeof(int32_t) * 2 + sizeof(float) * (PL_OBS_M + 3 * (size_t)nhard + 2 * (size_t)A) + (size_t)A);
}

void pl_obs_rec_view(pl_obs_rec *v, void *buf, int32_t nhard, int32_t A)
{
    char *p = buf;
    v->current = (int32_t *)p, p += 2 * sizeof(int32_t);
    v->meta = (float *)p, p += sizeof(float) * PL_OBS_M;
    v->hard = (float *)p, p += sizeof(float) * 3 * (size_t)nhard;
    v->wire = (float *)p, p += sizeof(float) * (size_t)A;
    v->density = (float *)p, p += sizeof(float) * (size_t)A;
    v->mask = (uint8_t *)p;
}

void pl_obs_make(pl_gnn_obs *o, const pl_obs_static *s, const void *rec, float *x)
{
    const int32_t A = s->cols * s->rows;
    pl_obs_rec v;
    pl_obs_rec_view(&v, (void *)rec, s->nhard, A);
    memcpy(x, s->feat, sizeof(float) * (size_t)s->n * PL_OBS_F);
    for (int32_t i = 0; i < s->nhard; i++) {
        x[(size_t)i * PL_OBS_F + 0] = v.hard[3 * i];
        x[(size_t)i * PL_OBS_F + 1] = v.hard[3 * i + 1];
        x[(size_t)i * PL_OBS_F + 7] = v.hard[3 * i + 2];
    }
    o->graph = &s->graph;
    o->x = x;
    o->meta = v.meta;
    o->current = *v.current;
    o->cols = s->cols;
    o->rows = s->rows;
    o->mask = v.mask;
    o->wire = v.wire;
    o->density = v.density;
}

void pl_obs_prior_bias(float *logits, const pl_gnn_obs *o, double weight)
{
    const int32_t A = o->cols * o->rows;
    if (!(weight > 0)) return;
    double lo = INFINITY, sum = 0;
    int32_t n = 0;
    for (int32_t a = 0; a < A; a++) {
        if (!o->mask[a]) continue;
        lo = fmin(lo, (double)o->wire[a]);
        sum += o->wire[a];
        n++;
    }
    double spread = n ? sum / n - lo : 0;
    if (!(spread > 0)) return;
    const double k = weight / (PL_OBS_PRIOR_T * spread);
    for (int32_t a = 0; a < A; a++)
        if (o->mask[a]) logits[a] = (float)((double)logits[a] - k * ((double)o->wire[a] - lo));
}
