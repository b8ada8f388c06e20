/* prepare.c: flat netlist -> placement graph; see prepare.h. */
#include "cluster/prepare.h"

#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/rng.h"
#include "gplace/gplace.h"

void pl_prepare_config_default(pl_prepare_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    pl_cluster_config_default(&cfg->cluster);
    cfg->cluster.physical = 1;
    pl_gridsel_config_default(&cfg->grid);
    cfg->fd = 1;
    cfg->seed = 1;
    cfg->threads = 1;
}

void pl_prepare_streams(uint64_t seed, uint64_t *cluster_seed, uint64_t *fd_seed)
{
    uint64_t st = seed;
    *cluster_seed = pl_splitmix64(&st);
    *fd_seed = pl_splitmix64(&st);
}

void pl_prepare_fd_config(int soft_ct, uint64_t fd_seed, pl_fd_config *fc)
{
    if (soft_ct) pl_fd_config_ct(fc);
    else pl_fd_config_default(fc);
    fc->seed = fd_seed;
}

/* The cells' own arrangement for the physical clustering: a view of flat with every standard cell
 * placed by a coarse global placement that leaves the hard macros out (32 x 32 bins, no fillers,
 * stop at 30 % overflow: where the cells go, not a legal placement). */
static pl_status spread_cells(const pl_netlist *flat, uint64_t seed, int threads, pl_netlist *view)
{
    PL_TRY(pl_netlist_view_init(view, flat));
    pl_gplace_config gc;
    pl_gplace_config_default(&gc);
    gc.macros = 0;
    gc.fillers = 0;
    gc.bins_x = gc.bins_y = 32;
    gc.stop_overflow = 0.3;
    gc.seed = seed;
    gc.threads = threads > 0 ? threads : 1;
    pl_gplace_stats st;
    pl_status s = pl_gplace_run(view, &gc, &st);
    if (s != PL_OK) {
        pl_netlist_view_free(view);
        return s;
    }
    pl_info("prepare", "physical clustering: %lld cells spread in %d iterations (overflow %.2f), %.1f s",
            (long long)st.movable, st.iters, st.overflow, st.seconds);
    return PL_OK;
}

static double now_ms(void)
{
    return 1e3 * pl_clock_seconds();
}

void pl_prepare_free(pl_prepare *p)
{
    if (!p) return;
    pl_netlist_free(&p->nl);
    pl_cluster_free(&p->cl);
    memset(p, 0, sizeof *p);
    pl_netlist_init(&p->nl);
}

pl_status pl_prepare_run(pl_prepare *p, const pl_netlist *flat, const pl_prepare_config *cfg)
{
    memset(p, 0, sizeof *p);
    pl_netlist_init(&p->nl);
    if (!flat->has_die) return pl_err(PL_EINVAL, "prepare: the design has no DIEAREA (canvas)");
    pl_netlist on_canvas = *flat; /* the flat design seen on its canvas: a read-only view, die = canvas */
    if (cfg->has_canvas) on_canvas.die = cfg->canvas;
    flat = &on_canvas;
    p->origin_x = flat->die.x0, p->origin_y = flat->die.y0;
    double t0 = now_ms();
    if (cfg->cols > 0 && cfg->rows > 0) {
        p->cols = cfg->cols, p->rows = cfg->rows;
    } else {
        PL_TRY(pl_gridsel_netlist(flat, &cfg->grid, &p->gs));
        p->cols = p->gs.cols, p->rows = p->gs.rows;
        p->grid_chosen = 1;
    }
    double t1 = now_ms();
    pl_cluster_config cc = cfg->cluster;
    pl_prepare_streams(cfg->seed, &cc.seed, &p->fd_seed);
    p->soft_ct = cfg->soft_ct;
    if (cc.io_region_w <= 0) cc.io_region_w = (flat->die.x1 - flat->die.x0) / p->cols;
    if (cc.io_region_h <= 0) cc.io_region_h = (flat->die.y1 - flat->die.y0) / p->rows;
    if (cc.physical) {
        pl_netlist spread;
        PL_TRY(spread_cells(flat, cc.seed, cfg->threads, &spread));
        p->ms_spread = now_ms() - t1;
        pl_status s = pl_cluster_run(&p->cl, &spread, &cc);
        pl_netlist_view_free(&spread);
        PL_TRY(s);
    } else {
        PL_TRY(pl_cluster_run(&p->cl, flat, &cc));
    }
    double t2 = now_ms();
    PL_TRY(pl_cluster_netlist_build(&p->nl, flat, &p->cl, &cc));
    double t3 = now_ms();
    if (cfg->fd) {
        pl_fd_config fc;
        int unplaced = 0;
        for (int64_t i = 0; i < p->nl.nnodes; i++)
            unplaced += p->nl.nodes[i].kind == PL_NODE_MACRO && p->nl.nodes[i].state == PL_PLACE_UNPLACED;
        if (unplaced) {
            pl_fd_config_mixed(&fc);
            fc.seed = p->fd_seed;
        } else {
            pl_prepare_fd_config(cfg->soft_ct, p->fd_seed, &fc);
        }
        p->fd_mixed = unplaced > 0;
        if (unplaced) pl_info("prepare", "%d hard macros are unplaced: mixed-size FD gives them positions", unplaced);
        PL_TRY(pl_fd_place(&p->nl, &fc, &p->fd));
    }
    double t4 = now_ms();
    p->ms_grid = t1 - t0, p->ms_cluster = t2 - t1, p->ms_build = t3 - t2, p->ms_fd = t4 - t3;
    pl_info("prepare", "grid %dx%d (%s) %.0f ms; clustering %.0f ms; netlist %.0f ms; fd %.0f ms", p->cols, p->rows,
            p->grid_chosen ? "chosen" : "given", p->ms_grid, p->ms_cluster, p->ms_build, p->ms_fd);
    return PL_OK;
}
