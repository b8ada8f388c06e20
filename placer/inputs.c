/* inputs.c: a design's input files declared to an output set; see inputs.h. */
#include "placer/inputs.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/problem.h"
#include "parsers/def.h"

pl_status pl_inputs_design(pl_outset *os, const char *design, const char *placement, const char *const *lefs,
                           int nlef, int plc_beside)
{
    if (design) PL_TRY(pl_outset_input(os, design, "the design"));
    if (placement) PL_TRY(pl_outset_input(os, placement, "the placement"));
    for (int i = 0; i < nlef; i++) PL_TRY(pl_outset_input(os, lefs[i], "the LEF"));
    if (!design) return PL_OK;
    if (pl_problem_is_def(design) && nlef == 0) {
        char **found;
        int n;
        if (pl_def_find_lefs(design, &found, &n) != PL_OK) {
            pl_err_clear(); /* the reader says it again, with its context */
            return PL_OK;
        }
        pl_status s = PL_OK;
        for (int i = 0; i < n && s == PL_OK; i++) s = pl_outset_input(os, found[i], "the LEF");
        pl_def_free_lefs(found, n);
        return s;
    }
    if (!pl_problem_is_def(design) && !placement && plc_beside) { /* as cluster/problem.c finds it */
        const char *slash = strrchr(design, '/');
        int dl = slash ? (int)(slash - design) : 1;
        char buf[4096];
        snprintf(buf, sizeof buf, "%.*s/initial.plc", dl, slash ? design : ".");
        struct stat sb;
        if (stat(buf, &sb) == 0) PL_TRY(pl_outset_input(os, buf, "the placement"));
    }
    return PL_OK;
}
