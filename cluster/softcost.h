/* softcost.h: the proxy cost of a flat design's hard-macro placement, as the mean over several
 * placements of its soft macros.
 *
 * Why: the analytical soft placer (cluster/anplace.h) lands in a different arrangement of the soft
 * macros for each seed, and the congestion term moves with it: on asap7_ariane133 one soft placement
 * gives the SA reference's proxy with a 1.6 % standard deviation over seeds, almost all of it the soft
 * placer's (docs/fidelity.md, "Soft placements averaged"). The mean over p->soft_runs placements is
 * what `placer eval` reports and `placer place` reports for its result; the search still costs each
 * candidate with one placement.
 *
 * Runs: run 0 is on p->fd_seed (so one run is the single placement as prepared), run j > 0 on the
 * j-th value of a splitmix64 stream seeded with p->fd_seed, each by pl_problem_fd_config's placer
 * from the canvas centre. They run on up to `threads` threads, each on its own view of nl with its
 * own cost; the terms are summed in run order, so the result is the same for any thread count. nl
 * ends with run 0's soft placement and *c is built on it (*has_cost says whether *c holds a cost on
 * entry, to be freed, and on return). Errors: the soft placer's and the cost's (PL_ENOMEM, PL_EINVAL).
 */
#ifndef PL_CLUSTER_SOFTCOST_H
#define PL_CLUSTER_SOFTCOST_H

#include "cluster/problem.h"

typedef struct pl_soft_mean {
    pl_cost_terms mean;     /* each term averaged over the runs */
    int runs;
    double min, max;        /* the proxy's range over the runs */
    double spread;          /* (max - min) / mean proxy */
} pl_soft_mean;

/* 1 when p's cost is the mean over soft placements, as `placer eval` reports it: a flat design whose
 * hard macros were all placed, so that its soft macros are the soft placer's alone; 0 for a CT netlist
 * (its soft macros are where the .plc put them) and for mixed-size FD (the prepared placement is
 * costed as it is). */
int pl_soft_applies(const pl_problem *p);

/* The seed of run j (run 0: fd_seed). */
uint64_t pl_soft_run_seed(uint64_t fd_seed, int j);

/* Places nl's soft macros p->soft_runs times (at least once) and averages the proxy terms. */
pl_status pl_soft_cost(const pl_problem *p, pl_netlist *nl, int threads, pl_cost *c, int *has_cost,
                       pl_soft_mean *out);

#endif
