/* test_gplace.c: standard-cell global placement on the generated designs (designs/small, demo,
 * medium) with their macros packed in shelves and FIXED: every cell PLACED inside the core, every
 * other node untouched bit for bit, overflow at the target, HPWL far below a seeded random placement;
 * bit-identical positions for a seed with 1 or 2 threads, other positions for another seed; a
 * placement blockage and a fixed cell kept clear; bad configurations rejected with a message. */
#include <math.h>

#include "core/rng.h"
#include "cost/hpwl.h"
#include "gplace/gplace.h"
#include "parsers/def.h"
#include "tests/testutil.h"

/* Macros of a generated design (all UNPLACED) packed left to right in shelves from the core's
 * lower-left corner, 1 µm apart, FIXED. */
static void shelf_macros(pl_netlist *nl)
{
    pl_rect c;
    cr_assert(pl_gplace_core(nl, &c));
    double x = c.x0, y = c.y0, shelf = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        double w = pl_node_width(n), h = pl_node_height(n);
        if (x + w > c.x1) x = c.x0, y += shelf + 1, shelf = 0;
        n->x = x, n->y = y, n->state = PL_PLACE_FIXED;
        cr_assert_leq(y + h, c.y1, "the macros fit in the core");
        x += w + 1, shelf = fmax(shelf, h);
    }
}

static void read_design(pl_netlist *nl, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "designs/%s/%s.def", name, name);
    pl_netlist_init(nl);
    cr_assert_eq(pl_design_read(nl, path, NULL, 0), PL_OK, "%s", pl_errmsg());
    shelf_macros(nl);
}

/* HPWL with every movable cell at a seeded uniform spot of the core (positions restored after). */
static double random_hpwl(pl_netlist *nl, const pl_rect *c)
{
    pl_node *keep = malloc((size_t)nl->nnodes * sizeof *keep);
    memcpy(keep, nl->nodes, (size_t)nl->nnodes * sizeof *keep);
    pl_rng r;
    pl_rng_seed(&r, 99);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_STDCELL) continue;
        n->x = c->x0 + (c->x1 - c->x0 - pl_node_width(n)) * pl_rng_uniform(&r);
        n->y = c->y0 + (c->y1 - c->y0 - pl_node_height(n)) * pl_rng_uniform(&r);
    }
    double h = pl_hpwl(nl);
    memcpy(nl->nodes, keep, (size_t)nl->nnodes * sizeof *keep);
    free(keep);
    return h;
}

static void check_run(const char *name, int threads)
{
    pl_netlist nl;
    read_design(&nl, name);
    pl_node *before = malloc((size_t)nl.nnodes * sizeof *before);
    memcpy(before, nl.nodes, (size_t)nl.nnodes * sizeof *before);
    pl_gplace_config cfg;
    pl_gplace_config_default(&cfg);
    cfg.threads = threads;
    pl_gplace_stats st;
    cr_assert_eq(pl_gplace_run(&nl, &cfg, &st), PL_OK, "%s", pl_errmsg());
    pl_rect c;
    pl_gplace_core(&nl, &c);
    int64_t cells = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_STDCELL) {
            cr_assert(!memcmp(n, &before[i], sizeof *n), "%s: node %s changed", name, n->name);
            continue;
        }
        cells++;
        cr_assert_eq(n->state, PL_PLACE_PLACED);
        cr_assert(n->x >= c.x0 && n->y >= c.y0 && n->x + pl_node_width(n) <= c.x1 && n->y + pl_node_height(n) <= c.y1,
                  "%s: cell %s at (%g, %g) outside the core", name, n->name, n->x, n->y);
        cr_assert_eq(n->orient, before[i].orient);
    }
    cr_assert_eq(st.movable, cells);
    cr_assert(st.converged && st.overflow <= cfg.stop_overflow, "%s: overflow %g", name, st.overflow);
    cr_assert(st.iters > 0 && st.iters < cfg.max_iters && st.evals >= st.iters && st.fillers > 0);
    double h = pl_hpwl(&nl), hr = random_hpwl(&nl, &c);
    cr_assert_float_eq(st.hpwl, h, 1e-9 * h);
    cr_log_info("%s: HPWL %.0f, random %.0f (%.3f), %d iterations", name, h, hr, h / hr, st.iters);
    cr_assert_lt(h, 0.4 * hr, "%s: HPWL %.0f against %.0f for a random placement", name, h, hr);
    free(before);
    pl_netlist_free(&nl);
}

Test(gplace, run_small) { check_run("small", 1); }
Test(gplace, run_demo) { check_run("demo", 2); }
Test(gplace, run_medium, .timeout = 60) { check_run("medium", 2); }

/* Cell positions after 80 iterations on `name` with this seed and thread count (bit-identity needs
 * no convergence; demo is big enough for every parallel path); malloc'd, 2 per node. */
static double *positions(const char *name, uint64_t seed, int threads)
{
    pl_netlist nl;
    read_design(&nl, name);
    pl_gplace_config cfg;
    pl_gplace_config_default(&cfg);
    cfg.seed = seed, cfg.threads = threads, cfg.max_iters = 80;
    cr_assert_eq(pl_gplace_run(&nl, &cfg, NULL), PL_OK, "%s", pl_errmsg());
    double *p = malloc(2 * (size_t)nl.nnodes * sizeof *p);
    for (int64_t i = 0; i < nl.nnodes; i++) p[2 * i] = nl.nodes[i].x, p[2 * i + 1] = nl.nodes[i].y;
    pl_netlist_free(&nl);
    return p;
}

Test(gplace, deterministic_for_a_seed_whatever_the_threads)
{
    pl_netlist nl;
    read_design(&nl, "demo");
    size_t bytes = 2 * (size_t)nl.nnodes * sizeof(double);
    pl_netlist_free(&nl);
    double *a = positions("demo", 7, 1), *b = positions("demo", 7, 2), *c = positions("demo", 7, 3);
    double *e = positions("demo", 8, 2);
    cr_assert(!memcmp(a, b, bytes), "seed 7: 1 and 2 threads give the same positions, bit for bit");
    cr_assert(!memcmp(a, c, bytes), "and 3 threads too");
    cr_assert(memcmp(a, e, bytes), "seed 8 places otherwise");
    free(a), free(b), free(c), free(e);
}

/* Where and how the cells were placed before does not enter: cells PLACED elsewhere and mirrored (FS,
 * S: as a legaliser leaves them on alternate rows) are placed exactly as unplaced ones, and leave N. */
Test(gplace, prior_cell_placement_and_orientation_do_not_enter)
{
    pl_netlist a, b;
    read_design(&a, "demo");
    read_design(&b, "demo");
    pl_rect c;
    cr_assert(pl_gplace_core(&b, &c));
    int64_t moved = 0;
    for (int64_t i = 0; i < b.nnodes; i++) {
        pl_node *n = &b.nodes[i];
        if (n->kind != PL_NODE_STDCELL || n->state == PL_PLACE_FIXED) continue;
        n->x = c.x0 + (c.x1 - c.x0) * (double)(i % 97) / 97.0;
        n->y = c.y0 + (c.y1 - c.y0) * (double)(i % 89) / 89.0;
        n->state = PL_PLACE_PLACED;
        n->orient = (i & 1) ? PL_ORIENT_FS : PL_ORIENT_S;
        moved++;
    }
    cr_assert_gt(moved, 1000);
    pl_gplace_config cfg;
    pl_gplace_config_default(&cfg);
    cfg.seed = 7, cfg.max_iters = 80;
    cr_assert_eq(pl_gplace_run(&a, &cfg, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_gplace_run(&b, &cfg, NULL), PL_OK, "%s", pl_errmsg());
    for (int64_t i = 0; i < a.nnodes; i++) {
        cr_assert_eq(a.nodes[i].x, b.nodes[i].x, "%s", a.nodes[i].name);
        cr_assert_eq(a.nodes[i].y, b.nodes[i].y, "%s", a.nodes[i].name);
        cr_assert_eq(a.nodes[i].orient, b.nodes[i].orient, "%s", a.nodes[i].name);
    }
    pl_netlist_free(&a), pl_netlist_free(&b);
}

Test(gplace, keeps_blockage_and_fixed_cell_clear)
{
    pl_netlist nl;
    read_design(&nl, "demo");
    pl_rect c;
    pl_gplace_core(&nl, &c);
    /* a hard placement blockage over the core's upper-right quarter, a fixed cell at its centre-left */
    pl_blockage bk = {.kind = PL_BLOCK_PLACEMENT, .r = {0.5 * (c.x0 + c.x1), 0.5 * (c.y0 + c.y1), c.x1, c.y1}};
    cr_assert_eq(PL_GROW(nl.blockages, nl.blockages_cap, nl.nblockages + 1), PL_OK);
    nl.blockages[nl.nblockages++] = bk;
    int64_t fixed = -1;
    for (int64_t i = 0; i < nl.nnodes && fixed < 0; i++)
        if (nl.nodes[i].kind == PL_NODE_STDCELL) fixed = i;
    nl.nodes[fixed].x = c.x0 + 0.3 * (c.x1 - c.x0), nl.nodes[fixed].y = c.y0 + 0.5 * (c.y1 - c.y0);
    nl.nodes[fixed].state = PL_PLACE_FIXED;
    pl_node keep = nl.nodes[fixed];
    pl_gplace_config cfg;
    pl_gplace_config_default(&cfg);
    pl_gplace_stats st;
    cr_assert_eq(pl_gplace_run(&nl, &cfg, &st), PL_OK, "%s", pl_errmsg());
    cr_assert(!memcmp(&keep, &nl.nodes[fixed], sizeof keep), "the fixed cell stays");
    cr_assert_eq(st.movable, 2999);
    double in = 0, area = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_STDCELL || i == fixed) continue;
        double w = pl_node_width(n), h = pl_node_height(n);
        area += w * h;
        in += fmax(0, fmin(n->x + w, bk.r.x1) - fmax(n->x, bk.r.x0)) * fmax(0, fmin(n->y + h, bk.r.y1) - fmax(n->y, bk.r.y0));
    }
    /* spread evenly over the free core, a quarter of the cells would sit there; the overflow allows 10 % */
    cr_log_info("blockage: %.1f of %.1f um2 of cells inside", in, area);
    cr_assert_lt(in, 0.05 * area, "%.1f of %.1f um2 of cells inside the blockage", in, area);
    pl_netlist_free(&nl);
}

static void expect_rejected(pl_netlist *nl, const pl_gplace_config *cfg, const char *word)
{
    pl_node *before = malloc((size_t)nl->nnodes * sizeof *before + 1);
    if (nl->nnodes) memcpy(before, nl->nodes, (size_t)nl->nnodes * sizeof *before);
    pl_err_clear();
    cr_assert_eq(pl_gplace_run(nl, cfg, NULL), PL_EINVAL, "expected a rejection mentioning %s", word);
    cr_assert(strstr(pl_errmsg(), "gplace:") && strstr(pl_errmsg(), word), "message: %s", pl_errmsg());
    cr_assert(!nl->nnodes || !memcmp(before, nl->nodes, (size_t)nl->nnodes * sizeof *before), "nothing moved");
    free(before);
}

Test(gplace, bad_config_rejected_with_a_message)
{
    pl_netlist nl;
    read_design(&nl, "small");
    pl_gplace_config d, cfg;
    pl_gplace_config_default(&d);
    cfg = d, cfg.target_density = 0, expect_rejected(&nl, &cfg, "target_density");
    cfg = d, cfg.target_density = 1.5, expect_rejected(&nl, &cfg, "target_density");
    cfg = d, cfg.target_density = NAN, expect_rejected(&nl, &cfg, "target_density");
    cfg = d, cfg.stop_overflow = 1, expect_rejected(&nl, &cfg, "stop_overflow");
    cfg = d, cfg.max_iters = -1, expect_rejected(&nl, &cfg, "max_iters");
    cfg = d, cfg.bins_x = 1, expect_rejected(&nl, &cfg, "bins");
    cfg = d, cfg.bins_y = 5000, expect_rejected(&nl, &cfg, "bins");
    cfg = d, cfg.threads = 0, expect_rejected(&nl, &cfg, "threads");
    cfg = d, cfg.threads = 65, expect_rejected(&nl, &cfg, "threads");
    cfg = d, cfg.gamma_bins = 0, expect_rejected(&nl, &cfg, "gamma_bins");
    cfg = d, cfg.lambda_max_growth = 0.9, expect_rejected(&nl, &cfg, "lambda_max_growth");
    /* small's cells take 16 % of the die: a 10 % target leaves them too little room */
    cfg = d, cfg.target_density = 0.1, expect_rejected(&nl, &cfg, "exceed the room");
    pl_netlist_free(&nl);
    /* no rows and no die; a netlist not finalized */
    pl_netlist_init(&nl);
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK);
    expect_rejected(&nl, &d, "no rows and no die");
    nl.finalized = 0;
    expect_rejected(&nl, &d, "not finalized");
    pl_netlist_free(&nl);
}
