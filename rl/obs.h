/* obs.h: the observation as it travels: a design's static part, sent once, and one step's record.
 *
 * Graph nodes: hard macros first (nhard: movable and fixed), then soft macros, then port clusters.
 * Static (pl_obs_static): the graph (E edges, weights / their mean), features feat (N, F) with the
 * initial positions, cols x rows grid, nsteps movable macros. Record (one step, packed bytes, size
 * pl_obs_rec_bytes, a multiple of 8): current node, meta (M), hard-macro rows (nhard, 3: x, y,
 * placed), wire (A), density (A), mask (A). Features: [x/W, y/H, w/W, h/H, hard, soft, port, placed].
 * Ownership: a static owns its arrays; init/free pair, free NULL-safe and idempotent. Records are
 * plain bytes the caller owns; pack/unpack are byte copies, so an observation is bit-identical
 * wherever it is rebuilt. Errors: PL_ENOMEM, PL_EPARSE (a malformed static message). No threads.
 */
#ifndef PL_RL_OBS_H
#define PL_RL_OBS_H

#include <stddef.h>
#include <stdint.h>

#include "gnn/model.h"

enum { PL_OBS_F = 8, PL_OBS_M = 12, PL_OBS_NAME = 64 };

typedef struct pl_obs_static {
    int32_t n, e, nhard, cols, rows, nsteps;
    int32_t *edges; /* (E, 2) */
    float *w;       /* (E) */
    float *feat;    /* (N, F) */
    pl_gnn_graph graph;
    char name[PL_OBS_NAME];
} pl_obs_static;

/* Allocates the arrays for the sizes set in s (n, e, ...); the caller fills them, then calls
 * pl_obs_static_finish to build the graph. */
pl_status pl_obs_static_alloc(pl_obs_static *s);
pl_status pl_obs_static_finish(pl_obs_static *s);
void pl_obs_static_free(pl_obs_static *s);

/* Serialised form (for MPI): bytes, pack into buf (size pl_obs_static_bytes), unpack into an
 * empty static (graph built). */
size_t pl_obs_static_bytes(const pl_obs_static *s);
void pl_obs_static_pack(const pl_obs_static *s, void *buf);
pl_status pl_obs_static_unpack(pl_obs_static *s, const void *buf, size_t len);

/* A view of one step's record. */
typedef struct pl_obs_rec {
    int32_t *current;
    float *meta;    /* (M) */
    float *hard;    /* (nhard, 3) */
    float *wire;    /* (A) */
    float *density; /* (A) */
    uint8_t *mask;  /* (A) */
} pl_obs_rec;

size_t pl_obs_rec_bytes(int32_t nhard, int32_t A);
void pl_obs_rec_view(pl_obs_rec *v, void *buf, int32_t nhard, int32_t A);

/* The search's default sampling temperature (search/prior.h, t_ref): the scale of the wire-mask term below. */
#define PL_OBS_PRIOR_T 0.1

/* The wire-mask prior as a bias on the network's logits, so that the masked softmax of the result is the
 * search's mix (search/prior.h) of the policy with the wire mask at temperature PL_OBS_PRIOR_T:
 *   logits(a) -= weight * (wire(a) - min) / (PL_OBS_PRIOR_T * spread)   on o's legal cells,
 * min and spread (the mean of wire - min) over them; the wire map's scale cancels. weight 0, or no spread:
 * unchanged. A policy trained with this bias (`placer train --prior-wire W`) learns a residual on the wire
 * mask, and `placer place --policy-wire W` (default 1) puts the same term back. */
void pl_obs_prior_bias(float *logits /* (A) */, const pl_gnn_obs *o, double weight);

/* The model's observation of record `rec` (borrowed), node features written to x (N, F). */
void pl_obs_make(pl_gnn_obs *o, const pl_obs_static *s, const void *rec, float *x /* (N, F) */);

#endif
