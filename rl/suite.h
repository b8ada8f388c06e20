/* suite.h: the designs of a training run and how episodes are shared among them.
 *
 * A suite file is XML (read with libxml2):
 *   <suite> <design path="a/netlist.pb.txt.gz" plc="a/initial.plc" weight="2" expert="a/best.plc"/>
 *           <design path="b/b.def"> <lef path="tech.lef"/> <lef path="b.lef"/> </design> </suite>
 * Relative paths are taken from the suite file's folder; weight defaults to 1; expert (optional) is a
 * placement of the design that imitation iterations learn from (rl/imitate.h). Episodes of an
 * iteration go to designs by smooth weighted round-robin (equal weights: plain round-robin),
 * restarted every iteration, so the schedule is a pure function of (weights, M).
 * Ownership: the suite owns its sources and their strings; init/free, free NULL-safe and idempotent.
 * Errors: PL_EPARSE "file:line: ...", PL_EINVAL, PL_ENOTSUP (built without libxml2). One thread.
 */
#ifndef PL_RL_SUITE_H
#define PL_RL_SUITE_H

#include "core/alloc.h"
#include "rl/env.h"

enum { PL_SUITE_MAX = 256 };

typedef struct pl_suite {
    pl_env_source *src; /* (n) */
    int n;
    int64_t cap;
    pl_strpool strings;
} pl_suite;

void pl_suite_init(pl_suite *s);
void pl_suite_free(pl_suite *s);
/* Adds a design (strings copied). */
pl_status pl_suite_add(pl_suite *s, const char *path, const char *plc, const char *const *lefs, int nlef,
                       double weight);
/* Design d imitates the placement in `expert` (copied; rl/imitate.h). */
pl_status pl_suite_set_expert(pl_suite *s, int d, const char *expert);
/* Adds the designs of a suite file. */
pl_status pl_suite_read(pl_suite *s, const char *xml_path);
/* designs[j] for the M episodes of one iteration. */
void pl_suite_schedule(const pl_suite *s, int M, int32_t *designs /* (M) */);

#endif
