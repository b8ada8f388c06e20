/* env.h: the placement environment: one episode places a design's movable hard macros one by one.
 *
 * Order: area descending (ties: netlist order) or netlist order. Action: a cell of the cols x rows
 * grid (cell = col + row * cols); the macro's centre goes to the cell centre. Mask: the macro lies
 * inside the canvas and keeps `spacing` from every fixed or placed hard macro and placement blockage.
 * Reward: 0 per step (or -shaping * Δ wirelength cost), and at the end -proxy cost after the soft
 * macros are placed by pl_env_config.soft (the ONE place for that: force-directed, cluster/fdplace.h,
 * or kept where the input put them); with reward_full, minus the full-design score instead.
 * No legal cell left: the episode ends with infeasible_reward.
 * Designs: Circuit Training netlists (+ .plc) or LEF/DEF, set up by cluster/problem.h as `placer eval`
 * sets them up. Ownership:
 * pl_env owns its netlist, cost and static observation; init/free, free NULL-safe and idempotent.
 * Determinism: an episode is a pure function of (design, config, actions); reset restores all state.
 */
#ifndef PL_RL_ENV_H
#define PL_RL_ENV_H

#include <stdint.h>

#include "cluster/problem.h"
#include "cost/proxy.h"
#include "parsers/plc.h"
#include "core/rng.h"
#include "rl/obs.h"

enum { PL_ENV_MAX_LEFS = 16 };

typedef enum pl_env_soft { PL_ENV_SOFT_FD = 0, PL_ENV_SOFT_KEEP = 1 } pl_env_soft;
typedef enum pl_env_order { PL_ENV_ORDER_AREA = 0, PL_ENV_ORDER_NETLIST = 1 } pl_env_order;

/* Where a design comes from (strings borrowed). */
typedef struct pl_env_source {
    const char *path; /* netlist.pb.txt[.gz] (Circuit Training) or .def[.gz] */
    const char *plc;  /* CT placement; NULL: initial.plc beside the netlist when present */
    const char *lefs[PL_ENV_MAX_LEFS];
    int nlef;         /* DEF: LEF files, technology first; 0: the ones beside the DEF */
    double weight;    /* share of the episodes in a training suite (1) */
    const char *expert; /* a placement of this design to imitate (rl/imitate.h), or NULL */
} pl_env_source;

typedef struct pl_env_config {
    pl_env_order order;
    pl_env_soft soft;         /* soft-macro placement at the end of an episode (FD) */
    double spacing;           /* µm kept between hard macros and from blockages (0) */
    double infeasible_reward; /* reward when no legal cell is left (-4, Circuit Training's) */
    double shaping;           /* weight of the dense -Δ wirelength-cost reward per step (0: off) */
    pl_problem_config problem; /* how a design is set up, as `placer eval` takes it: problem.prep.seed
                               * (clustering and FD, fixed per design: the reward is a function of the
                               * macro placement alone), clusters, grid, soft placer, congestion grid,
                               * routing overrides; design, placement and LEFs come from the source */
    int fd_steps;             /* FD steps per stage (0: Circuit Training's 100) */
    int reward_full;          /* 1: the terminal reward is -pl_full_score / ((W + H) x nets of the flat
                               * design), the score of every standard cell placed and legalised around
                               * the macros and the routing estimated (gplace/full.h; LEF/DEF designs
                               * only; one full placement per episode, seeded by problem.prep.seed) (0) */
    double full_lambda;       /* the full score's overflow weight (PL_FULL_LAMBDA) */
} pl_env_config;

void pl_env_config_default(pl_env_config *cfg);

typedef struct pl_env_result {
    pl_cost_terms terms; /* after soft-macro placement; zeros when infeasible */
    double reward;       /* terminal reward: -proxy (or the full reward), or infeasible_reward */
    double full_hpwl;    /* reward_full: full HPWL (µm) and routing overflow (tracks); else 0 */
    double full_overflow;
    double return_sum;   /* Σ rewards of the episode (shaping included) */
    int32_t placed, nsteps;
    int infeasible;
} pl_env_result;

typedef struct pl_env {
    pl_env_config cfg;
    pl_problem prob;         /* the design as set up (cluster/problem.h) */
    pl_netlist *nl;          /* the placement netlist: prob.nl */
    pl_cost_config ccfg;
    pl_cost cost;
    int cost_ready;
    double W, H, gw, gh;
    int32_t cols, rows, A;
    pl_obs_static st;
    int32_t *node_g;         /* (nnodes) graph node, -1 if none */
    int32_t *hard_node;      /* (nhard) netlist node of graph node i < nhard */
    int32_t nsteps;
    int32_t *order;          /* (nsteps) netlist nodes in placement order */
    int32_t *flat_of;        /* reward_full: (nsteps) prob.flat node of order[k]; else NULL */
    double *init_x, *init_y; /* (nnodes) lower-left as loaded */
    uint8_t *init_state;     /* (nnodes) */
    double *fixed_r;         /* (nfixed, 4) static obstacles x0 y0 x1 y1 */
    int32_t nfixed;
    double *placed_r;        /* (nsteps, 4) */
    double *dens0, *dens;    /* (A) occupied area fraction: static part, current */
    /* episode state */
    int32_t t;
    int done;
    float *hard;             /* (nhard, 3) */
    uint8_t *mask;           /* (A) for order[t] */
    float *wire;             /* (A) */
    double *wx, *wy;         /* (cols), (rows) */
    int32_t *net_mark;       /* (nnets) */
    double wl_cost;          /* for shaping */
    pl_env_result res;
} pl_env;

pl_status pl_env_init(pl_env *e, const pl_env_source *src, const pl_env_config *cfg);
void pl_env_free(pl_env *e);

/* Starts an episode. e->done may already be set (no movable macro, or no legal cell for the first). */
pl_status pl_env_reset(pl_env *e);
/* Bytes of one observation record, and the current observation packed into rec. */
size_t pl_env_rec_bytes(const pl_env *e);
void pl_env_observe(const pl_env *e, void *rec);
/* Places the current macro at `cell` (it must be legal: PL_EINVAL otherwise). *reward gets the
 * step's reward (terminal reward included on the last step), *done 1 when the episode is over. */
pl_status pl_env_step(pl_env *e, int32_t cell, double *reward, int *done);
/* Number of legal cells for the current macro. */
int32_t pl_env_legal_count(const pl_env *e);
/* One episode with uniformly random legal actions. */
pl_status pl_env_random_episode(pl_env *e, pl_rng *rng, pl_env_result *out);

#endif
