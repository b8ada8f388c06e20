/* policy.h: a trained policy as a function of any partial placement: cell probabilities for the next macro.
 *
 * pl_policy is a checkpoint loaded for inference (gnn/ckpt.h). pl_policy_design is a design as the
 * policy sees it, built from a placement netlist by rl/obsbuild.h as rl/env.c builds a training
 * observation (same graph, node features, metadata, wire and density maps; tested equal), given the canvas, the
 * grid and the macros in placement order. pl_policy_probs fills the observation for "order[0..step)
 * are at these centres, order[step] goes next", with the CALLER's legality mask, runs the network and
 * returns the masked softmax: 0 on every cell outside the mask, summing to 1 over it.
 * Ownership: init/free pairs, free NULL-safe and idempotent; the design borrows the netlist. Errors:
 * the checkpoint's (one line naming the file), PL_ENOMEM, PL_EINVAL (grid over 128 per side).
 * Deterministic. Threads: the design is read-only after init; one pl_policy_work per thread; on CUDA the
 * threads' network calls take turns (gnn/net.h).
 */
#ifndef PL_RL_POLICY_H
#define PL_RL_POLICY_H

#include <stdint.h>

#include "gnn/net.h"
#include "core/netlist.h"
#include "rl/obs.h"

typedef struct pl_policy {
    pl_gnn_model model;
    pl_gnn_net net; /* the model on its device (borrows model: a loaded policy must not move) */
    int loaded;
    uint64_t step; /* training iterations of the checkpoint */
} pl_policy;

/* Loads the parameters of the checkpoint at path (any architecture gnn/ supports) onto device, resolved
 * (gpu.h) once the checkpoint has read: AUTO takes CUDA when a GPU answers, else the CPU with a note on the
 * log; CUDA without a GPU is PL_ENOTSUP naming the reason. p->net.device says which. */
pl_status pl_policy_load(pl_policy *p, const char *path, pl_gnn_device device);
void pl_policy_free(pl_policy *p);

typedef struct pl_policy_design {
    const pl_netlist *nl;
    double W, H, gw, gh;     /* canvas (the netlist's coordinates, origin 0) and cell size, µm */
    int32_t cols, rows, A;
    int32_t nsteps;          /* macros placed by an episode */
    int32_t *order;          /* (nsteps) netlist nodes in placement order */
    int32_t *step_of;        /* (nnodes) index in order, -1 for a node that does not move */
    int32_t *node_g;         /* (nnodes) graph node, -1 if none */
    pl_obs_static st;
    float meta[PL_OBS_M];    /* all but the last (the fraction placed) */
    double *dens0;           /* (A) fixed and soft macros */
    int64_t *net_off;        /* (nsteps + 1) CSR step -> distinct nets */
    int32_t *net;
    double *pin_ext;         /* per (step, net): min/max pin offset from the centre, x then y */
} pl_policy_design;

/* The macros in order (nsteps netlist nodes, copied) move; every other node stays where nl has it.
 * W x H: the canvas; cols x rows: the grid (<= 128 each). */
pl_status pl_policy_design_init(pl_policy_design *d, const pl_netlist *nl, double W, double H, int32_t cols,
                                int32_t rows, const int32_t *order, int32_t nsteps);
void pl_policy_design_free(pl_policy_design *d);

/* Buffers of one evaluation (one per thread). */
typedef struct pl_policy_work {
    pl_gnn_work gw;
    void *rec;      /* one observation record */
    float *x;       /* (N, F) */
    float *logits;  /* (A) */
    double *dens;   /* (A) */
    double *wx, *wy; /* (cols), (rows) */
} pl_policy_work;

pl_status pl_policy_work_init(pl_policy_work *w, const pl_policy_design *d);
void pl_policy_work_free(pl_policy_work *w);

/* Probabilities (A) of the cells for macro order[step], with order[0..step) centred at
 * xy[2j], xy[2j+1] and mask (A) the legal cells. Cells outside the mask get 0. *legal_mass: the sum
 * over legal cells (1, or 0 when the network's output is not finite or no cell is legal: the
 * caller decides what to do then). */
pl_status pl_policy_probs(pl_policy *p, const pl_policy_design *d, pl_policy_work *w, int32_t step,
                          const double *xy /* (step, 2) */, const uint8_t *mask /* (A) */, double *prob /* (A) */,
                          double *legal_mass);

/* The observation record pl_policy_probs builds (for tests: compare with pl_env_observe). */
void pl_policy_observe(const pl_policy_design *d, pl_policy_work *w, int32_t step, const double *xy,
                       const uint8_t *mask, void *rec);

#endif
