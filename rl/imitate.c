/* imitate.c: expert trajectories (see imitate.h). */
#include "rl/imitate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

/* The cell holding (cx, cy), clamped to the grid. */
static int32_t holding_cell(const pl_env *e, double cx, double cy)
{
    int32_t c = (int32_t)floor(cx / e->gw), r = (int32_t)floor(cy / e->gh);
    c = c < 0 ? 0 : c >= e->cols ? e->cols - 1 : c;
    r = r < 0 ? 0 : r >= e->rows ? e->rows - 1 : r;
    return c + r * e->cols;
}

/* The legal cell nearest (cx, cy): the cell holding it when legal, else the legal cell whose centre is
 * closest (ties: the lower index). -1 when none is legal. */
static int32_t nearest_legal(const pl_env *e, double cx, double cy)
{
    int32_t held = holding_cell(e, cx, cy);
    if (e->mask[held]) return held;
    int32_t best = -1;
    double bd = INFINITY;
    for (int32_t a = 0; a < e->A; a++) {
        if (!e->mask[a]) continue;
        double dx = ((a % e->cols) + 0.5) * e->gw - cx, dy = ((a / e->cols) + 0.5) * e->gh - cy;
        double d = dx * dx + dy * dy;
        if (d < bd) bd = d, best = a;
    }
    return best;
}

pl_status pl_imitate_trajectory(pl_env *e, const pl_env_source *src, const char *expert, int32_t design, pl_traj *t,
                                pl_imitate_stats *stats)
{
    pl_imitate_stats st = {0, 0, 0};
    pl_problem ex;
    pl_problem_config pc = e->cfg.problem;
    pl_problem_config_inputs(&pc, src->path, expert, src->lefs, src->nlef);
    pc.plc_beside = 0;
    pc.prep.fd = 0; /* only the macros' places are read */
    pl_status s = pl_problem_setup(&ex, &pc);
    size_t rb = pl_env_rec_bytes(e);
    void *rec = s == PL_OK ? malloc(rb) : NULL;
    if (s == PL_OK && !rec) s = pl_err(PL_ENOMEM, "imitate: out of memory");
    if (s == PL_OK) s = pl_env_reset(e);
    pl_traj_clear(t, -1, design, rb, 0);
    double shift = 0;
    while (s == PL_OK && !e->done) {
        const pl_node *nd = &e->nl->nodes[e->order[e->t]];
        int32_t j = pl_netlist_find_node(ex.nl, nd->name);
        if (j < 0 || ex.nl->nodes[j].kind != PL_NODE_MACRO || ex.nl->nodes[j].state == PL_PLACE_UNPLACED) {
            s = pl_err(PL_EINVAL, "imitate: %s: macro %s is not placed there", expert, nd->name);
            break;
        }
        double cx, cy;
        pl_node_center(&ex.nl->nodes[j], &cx, &cy);
        int32_t a = nearest_legal(e, cx, cy);
        if (a < 0) {
            s = pl_err(PL_EINVAL, "imitate: %s: no legal cell for macro %s", expert, nd->name);
            break;
        }
        st.snapped += a != holding_cell(e, cx, cy);
        shift += hypot(((a % e->cols) + 0.5) * e->gw - cx, ((a / e->cols) + 0.5) * e->gh - cy);
        pl_env_observe(e, rec);
        s = pl_traj_push(t, rec, a, 0.0f, 0.0f);
        double reward = 0;
        int done = 0;
        if (s == PL_OK) s = pl_env_step(e, a, &reward, &done);
        if (s == PL_OK) t->reward[t->nsteps - 1] = (float)reward;
        st.steps++;
    }
    if (s == PL_OK) {
        t->done = 1;
        t->res = e->res;
        st.mean_shift = st.steps ? shift / st.steps : 0;
        pl_info("imitate", "%s: %d steps, %d snapped to the nearest legal cell, mean shift %.3f um, proxy %.4f",
                expert, st.steps, st.snapped, st.mean_shift, e->res.terms.proxy_cost);
    }
    if (stats) *stats = st;
    free(rec);
    pl_problem_free(&ex);
    return s;
}
