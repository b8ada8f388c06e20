/* place_config.h: the settings of the placement pipeline (search/place.h) and what a run reports.
 *
 * pl_place_config_default is the "default" effort; pl_place_config_effort applies a named preset.
 * Plain data: the caller owns it; the prior, the event bus and the progress callback are borrowed.
 */
#ifndef PL_SEARCH_PLACE_CONFIG_H
#define PL_SEARCH_PLACE_CONFIG_H

#include <signal.h>
#include <stdint.h>

#include "core/events.h"
#include "cost/proxy.h"
#include "search/legalize.h"
#include "search/prior.h"

typedef void (*pl_place_progress_fn)(void *user, const char *stage, double done /* 0..1 */, double best);

typedef struct pl_place_config {
    uint64_t seed;              /* the one seed (1): rollouts, annealing (the problem's set-up takes the
                                   same seed for clustering and FD) */
    pl_prior prior;             /* the search's prior (wiremask) */
    int prior_rollouts;         /* > 0: only rollouts 0..prior_rollouts-1 use `prior`, the others `rest`, a
                                   cheaper prior (a learned policy proposes a few, the wire mask the rest);
                                   0: every rollout uses `prior` (0) */
    pl_prior rest;              /* the prior of the other rollouts when prior_rollouts > 0 or prior_alternate */
    int prior_alternate;        /* 1: the even rollouts use `prior`, the odd ones `rest`, the pairs (2j, 2j + 1)
                                   at one temperature (rollouts 0 and 1: each prior's greedy one), so the
                                   search keeps the better starts of both; prior_rollouts is then unused (0) */
    const char *effort;         /* preset name, for reports ("default") */
    int threads;                /* worker threads (1) */
    double time_limit;          /* seconds for the whole run; 0: none, budgets only */
    int rollouts;               /* sampled constructions (256) */
    double temperature;         /* sampling temperature of rollout k > 0 cycles over this x {0.25,0.5,1,2} (0.1);
                                   rollout 0 is greedy */
    double edge_weight;         /* the priors' pull toward the sides of the region (search/prior.h edge_weight) (0) */
    int edge_all;               /* 0: edge_weight in the odd rollouts only (rollout 1 greedy with it), the even ones
                                   keep the wire alone and the search the better of both; 1: in every rollout (0) */
    int online;                 /* > 1: the rollouts run in this many generations and the search learns between
                                   them (search/online.h: a cross-entropy preference per macro, from the best
                                   rollouts so far); 0 or 1: one batch, nothing learned (0) */
    double online_rate;         /* the learning rate of each update (0.5) */
    int keep;                   /* best rollouts (quick cost) re-costed after FD; half from each family when the
                                   rollouts come in two (prior_alternate, or the edge term in the odd ones) (8) */
    int fd_start;               /* 1: the prepared (FD) macro positions, legalised, compete as a start (1) */
    int chains;                 /* refinement chains, each from one of the best starts (2) */
    int rounds;                 /* annealing rounds per chain, soft macros re-placed by FD after each (24) */
    int64_t moves_per_macro;    /* annealing moves per chain = this x movable macros (150000) */
    double t_ratio;             /* final / initial temperature (1e-3) */
    int elitist;                /* 1: a round that does not beat the chain's best (after FD) is undone (1) */
    double p_swap, p_flip;      /* annealing move mix (0.2, 0.1; flips only if every macro's LEF allows X and Y) */
    pl_legalize_config legal;
    int channel_narrow;         /* 1: when no start of the search legalises with legal.spacing, search again
                                   with half the channel (0 once under 4 x PL_PLACE_CHANNEL_MIN), with a
                                   warning; the result keeps the narrower channel (res->channel) (0) */
    int referee;                /* the final choice among the best candidates (search/place_referee.h): by
                                   the proxy of one soft placement (PL_PLACE_REFEREE_PROXY), by the mean
                                   over the soft placements as eval reports it (_MEAN) or by the
                                   full-design score (_FULL) (PROXY) */
    int referee_keep;           /* candidates the referee measures, lowest proxy first (4) */
    double referee_lambda;      /* overflow weight of the full score (PL_FULL_LAMBDA, gplace/full.h) */
    const volatile sig_atomic_t *stop;   /* when not NULL and set (a signal handler's flag): the search and the
                                   refinement end as at a time limit, and the best result so far is
                                   legalised and evaluated; res->interrupted says so (NULL) */
    const pl_event_bus *bus;    /* stage events, then PLACEMENT_DONE with the final clustered view; NULL: none */
    pl_place_progress_fn progress; /* called under a lock, from any worker; NULL: none */
    void *progress_user;
} pl_place_config;

/* The "default" effort. */
void pl_place_config_default(pl_place_config *cfg);
/* Applies a preset: "fast" (30 s), "default" (300 s), "high" (1200 s): time limit, rollouts, chains,
 * rounds and moves. PL_EINVAL for another name. */
pl_status pl_place_config_effort(pl_place_config *cfg, const char *effort);

enum { PL_PLACE_MAX_STAGES = 6, PL_PLACE_MAX_REFEREE = 8, PL_PLACE_MAX_GENERATIONS = 64 };
/* The most of the core the hard macros, each grown by the automatic channel, may cover: above it the
 * channel is narrowed (placer place --channel auto). */
#define PL_PLACE_CHANNEL_COVER 0.75
/* µm: a narrowed channel under 4 x this becomes 0 */
#define PL_PLACE_CHANNEL_MIN 0.05

enum { PL_PLACE_REFEREE_PROXY = 0, PL_PLACE_REFEREE_FULL = 1, PL_PLACE_REFEREE_MEAN = 2 };

/* One candidate the referee measured (search/place_referee.h). */
typedef struct pl_place_judged {
    int32_t source;          /* refinement chain (>= 0), or -1 - k for the search's start k */
    double proxy;            /* its proxy cost (one soft placement, as the search saw it) */
    double hpwl;             /* _FULL: full HPWL, µm, cells globally placed and legalised */
    double overflow;         /* _FULL: total routing overflow, tracks */
    double score;            /* _FULL: pl_full_score, hpwl + lambda x overflow x GCell side, µm;
                                _MEAN: the legalised candidate's mean proxy (cluster/softcost.h) */
    double seconds;
} pl_place_judged;

typedef struct pl_place_stage {
    const char *name;        /* "start", "search", "refine", "legalize" */
    pl_cost_terms terms;     /* soft macros placed by FD as eval does (start: as prepared) */
    double macro_hpwl;       /* Σ weight x HPWL over the hard-macro pins of each net with >= 2 of them, µm */
    double seconds;          /* time spent in the stage */
} pl_place_stage;

typedef struct pl_place_result {
    pl_place_stage stage[PL_PLACE_MAX_STAGES];
    int nstages;
    int cols, rows, clusters;
    int physical;             /* 1: the clusters were cut by position (cluster/cluster.h) */
    int32_t movable, fixed;       /* hard macros */
    int64_t rollouts, feasible;   /* rollouts done, feasible ones */
    int generations;              /* cfg->online > 1: generations run; 0: none (one batch) */
    struct {
        int64_t rollouts;         /* rollouts done by the end of the generation */
        double best, seconds;     /* the best quick cost so far (INFINITY: none feasible), seconds into the search */
    } generation[PL_PLACE_MAX_GENERATIONS];
    double channel;               /* µm between macros in the result: cfg->legal.spacing, or narrower */
    int chains, best_chain;       /* best_chain: -1 when no chain ran */
    int64_t moves, accepted;      /* annealing, all chains */
    int flips;                    /* 1: flips were allowed */
    int time_limited;             /* 1: the time limit cut a stage short */
    int interrupted;              /* 1: cfg->stop ended the run early */
    pl_legalize_stats legal;
    int soft_runs;                /* the result's proxy ("legalize") is the mean over this many soft
                                     placements (cluster/softcost.h; 1 for CT netlists) */
    double soft_spread;           /* (max - min) / mean of their proxy */
    pl_place_judged judged[PL_PLACE_MAX_REFEREE]; /* --referee full: the candidates measured */
    int njudged, chosen;          /* chosen: index into judged of the winner (-1: no referee) */
    double seconds;               /* whole run */
} pl_place_result;

#endif
