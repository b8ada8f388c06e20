/* test_legal.c: standard-cell legalisation: on the generated designs (macros placed by the macro
 * legaliser, cells at seeded random positions) every cell ends on a row and a site with no overlap,
 * by pl_cell_legal_check and by a check written here; nothing but movable cells changes; a legal
 * placement stays put; a nearly legal one moves little; halos, blockages and fixed cells are kept
 * clear; too little room fails naming a cell and leaves the netlist as it was; runs repeat; and
 * asap7_ariane133 from the shared designs (skipped when absent). */
#include <math.h>

#include "core/log.h"
#include "core/rng.h"
#include "gplace/legal.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "search/legalize.h"
#include "tests/testutil.h"

static pl_netlist nl;
static void setup(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist_init(&nl);
}
static void teardown(void) { pl_netlist_free(&nl); }
TestSuite(cell_legal, .init = setup, .fini = teardown);

static int64_t dbu(double um) { return llround(um * nl.dbu_per_micron); }

static int movable(const pl_node *n)
{
    return n->kind == PL_NODE_STDCELL && n->state != PL_PLACE_FIXED && n->state != PL_PLACE_COVER;
}

/* The core: the rows' bounding box (the generated designs' rows are N x 1, one site each step). */
static pl_rect core(void)
{
    pl_rect c = {1e300, 1e300, -1e300, -1e300};
    for (int64_t r = 0; r < nl.nrows; r++) {
        const pl_row *w = &nl.rows[r];
        c.x0 = fmin(c.x0, w->x);
        c.y0 = fmin(c.y0, w->y);
        c.x1 = fmax(c.x1, w->x + w->sx * w->nx);
        c.y1 = fmax(c.y1, w->y + nl.sites[0].h);
    }
    return c;
}

/* Reads designs/<name>, places its macros (random spots, then the macro legaliser: they become
 * FIXED) and scatters the cells uniformly over the core, all from `seed`. */
static void read_scattered(const char *name, uint64_t seed)
{
    char def[256];
    snprintf(def, sizeof def, "designs/%s/%s.def", name, name);
    cr_assert_eq(pl_design_read(&nl, def, NULL, 0), PL_OK, "%s", pl_errmsg());
    cr_assert_gt(nl.nrows, 0);
    cr_assert_eq(nl.nsites, 1);
    pl_rect c = core();
    pl_rng r;
    pl_rng_seed(&r, seed);
    for (int64_t i = 0; i < nl.nnodes; i++) {
        pl_node *n = &nl.nodes[i];
        if (n->kind == PL_NODE_MACRO) {
            n->state = PL_PLACE_PLACED;
            n->x = c.x0 + (c.x1 - c.x0 - pl_node_width(n)) * pl_rng_uniform(&r);
            n->y = c.y0 + (c.y1 - c.y0 - pl_node_height(n)) * pl_rng_uniform(&r);
        }
    }
    cr_assert_eq(pl_legalize_macros(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    for (int64_t i = 0; i < nl.nnodes; i++) {
        pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_STDCELL) continue;
        n->x = c.x0 + (c.x1 - c.x0 - n->w) * pl_rng_uniform(&r);
        n->y = c.y0 + (c.y1 - c.y0 - n->h) * pl_rng_uniform(&r);
    }
}

static int cmp_yx(const void *p, const void *q)
{
    const int64_t *a = p, *b = q;
    if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Written apart from the library: every movable cell PLACED, on a row's y with its orientation, on
 * its site grid and inside it; per row y, cells sorted by x do not overlap; no cell meets a placed
 * macro (halo included) or a hard placement blockage. Integer DBU; plain loops that count, one
 * assertion per kind (an assertion per pair is slow on 100k cells). */
static void independent_check(void)
{
    int64_t n = 0, nr = nl.nrows, no = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) n += movable(&nl.nodes[i]);
    int64_t(*c)[3] = malloc((size_t)(n + 1) * sizeof *c);                   /* y, x, node */
    int64_t(*rw)[3] = malloc((size_t)(nr + 1) * sizeof *rw);                /* y, x, row */
    int64_t(*ob)[4] = malloc((size_t)(nl.nnodes + nl.nblockages) * sizeof *ob); /* x0 y0 x1 y1 */
    for (int64_t r = 0; r < nr; r++) rw[r][0] = dbu(nl.rows[r].y), rw[r][1] = dbu(nl.rows[r].x), rw[r][2] = r;
    qsort(rw, (size_t)nr, sizeof *rw, cmp_yx);
    for (int64_t j = 0; j < nl.nnodes; j++) {
        const pl_node *m = &nl.nodes[j];
        if (m->kind != PL_NODE_MACRO || m->state == PL_PLACE_UNPLACED) continue;
        ob[no][0] = dbu(m->x - m->halo[0]), ob[no][1] = dbu(m->y - m->halo[1]);
        ob[no][2] = dbu(m->x + pl_node_width(m) + m->halo[2]), ob[no++][3] = dbu(m->y + pl_node_height(m) + m->halo[3]);
    }
    for (int64_t b = 0; b < nl.nblockages; b++) {
        const pl_blockage *o = &nl.blockages[b];
        if (o->kind != PL_BLOCK_PLACEMENT || o->soft || o->partial > 0) continue;
        ob[no][0] = dbu(o->r.x0), ob[no][1] = dbu(o->r.y0), ob[no][2] = dbu(o->r.x1), ob[no++][3] = dbu(o->r.y1);
    }
    int64_t k = 0, off_row = 0, on_obstacle = 0, first_off = -1, first_on = -1;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *a = &nl.nodes[i];
        if (!movable(a)) continue;
        cr_assert_eq(a->state, PL_PLACE_PLACED, "%s placed", a->name);
        int64_t x = dbu(a->x), y = dbu(a->y), w = dbu(a->w), h = dbu(a->h);
        int64_t lo = 0, hi = nr; /* first row at y or above */
        while (lo < hi) {
            int64_t mid = (lo + hi) / 2;
            if (rw[mid][0] < y) lo = mid + 1;
            else hi = mid;
        }
        int on = 0;
        for (int64_t q = lo; q < nr && rw[q][0] == y && !on; q++) {
            const pl_row *row = &nl.rows[rw[q][2]];
            int64_t x0 = dbu(row->x), sx = dbu(row->sx);
            on = x >= x0 && x + w <= x0 + sx * row->nx && (x - x0) % sx == 0 && a->orient == row->orient;
        }
        if (!on && !off_row++) first_off = i;
        for (int64_t j = 0; j < no; j++)
            if (x < ob[j][2] && ob[j][0] < x + w && y < ob[j][3] && ob[j][1] < y + h && !on_obstacle++) first_on = i;
        c[k][0] = y, c[k][1] = x, c[k][2] = i, k++;
    }
    cr_assert_eq(off_row, 0, "%lld cells off a row's sites, e.g. %s", (long long)off_row,
                 first_off >= 0 ? nl.nodes[first_off].name : "");
    cr_assert_eq(on_obstacle, 0, "%lld cells on a macro or blockage, e.g. %s", (long long)on_obstacle,
                 first_on >= 0 ? nl.nodes[first_on].name : "");
    qsort(c, (size_t)k, sizeof *c, cmp_yx);
    int64_t overlaps = 0, first = -1;
    for (int64_t i = 1; i < k; i++)
        if (c[i][0] == c[i - 1][0] && c[i - 1][1] + dbu(nl.nodes[c[i - 1][2]].w) > c[i][1] && !overlaps++) first = i;
    cr_assert_eq(overlaps, 0, "%lld overlaps, e.g. %s and %s", (long long)overlaps,
                 first > 0 ? nl.nodes[c[first - 1][2]].name : "", first > 0 ? nl.nodes[c[first][2]].name : "");
    free(c);
    free(rw);
    free(ob);
}

/* Every node that is not a movable cell is as in `before`, bit for bit. */
static void assert_others_untouched(const pl_node *before)
{
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (!movable(&before[i]))
            cr_assert(!memcmp(&before[i], &nl.nodes[i], sizeof before[i]), "%s untouched", nl.nodes[i].name);
}

static pl_node *snapshot(void)
{
    pl_node *s = malloc((size_t)nl.nnodes * sizeof *s);
    memcpy(s, nl.nodes, (size_t)nl.nnodes * sizeof *s);
    return s;
}

static void legalize_scattered(const char *name)
{
    read_scattered(name, 7);
    pl_node *before = snapshot();
    pl_cell_legal_stats st;
    cr_assert_eq(pl_cell_legalize(&nl, NULL, &st), PL_OK, "%s", pl_errmsg());
    char msg[512];
    cr_assert_eq(pl_cell_legal_check(&nl, msg, sizeof msg), 0, "%s", msg);
    independent_check();
    assert_others_untouched(before);
    pl_netlist_stats ns;
    pl_netlist_stats_compute(&nl, &ns);
    cr_assert_eq(st.cells, ns.std_cells);
    cr_assert_eq(st.moved, st.cells, "random positions are off the grid");
    cr_assert_gt(st.total_disp, 0);
    cr_assert_geq(st.max_disp, st.total_disp / (double)st.cells);
    free(before);
}

Test(cell_legal, small_random_positions) { legalize_scattered("small"); }
Test(cell_legal, demo_random_positions) { legalize_scattered("demo"); }
Test(cell_legal, medium_random_positions) { legalize_scattered("medium"); }

Test(cell_legal, legal_placement_does_not_move)
{
    read_scattered("demo", 11);
    cr_assert_eq(pl_cell_legalize(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    pl_node *legal = snapshot();
    pl_cell_legal_stats st;
    cr_assert_eq(pl_cell_legalize(&nl, NULL, &st), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st.moved, 0);
    cr_assert_eq(st.total_disp, 0);
    cr_assert(!memcmp(legal, nl.nodes, (size_t)nl.nnodes * sizeof *legal), "bit for bit");
    free(legal);
}

Test(cell_legal, nearly_legal_moves_little)
{
    read_scattered("demo", 12);
    cr_assert_eq(pl_cell_legalize(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    /* jitter every cell by N(0, 0.2 um) in x and y: about one site, a seventh of a row */
    pl_rng r;
    pl_rng_seed(&r, 5);
    int64_t ncell = 0;
    double *jx = malloc((size_t)nl.nnodes * sizeof *jx), *jy = malloc((size_t)nl.nnodes * sizeof *jy);
    for (int64_t i = 0; i < nl.nnodes; i++) {
        pl_node *n = &nl.nodes[i];
        if (!movable(n)) continue;
        jx[i] = n->x += 0.2 * pl_rng_normal(&r);
        jy[i] = n->y += 0.2 * pl_rng_normal(&r);
        ncell++;
    }
    pl_cell_legal_stats st;
    cr_assert_eq(pl_cell_legalize(&nl, NULL, &st), PL_OK, "%s", pl_errmsg());
    char msg[512];
    cr_assert_eq(pl_cell_legal_check(&nl, msg, sizeof msg), 0, "%s", msg);
    independent_check();
    double row_h = nl.sites[0].h, mean = st.total_disp / (double)ncell;
    /* the jitter alone is E|dx| + E|dy| = 2 · 0.2 · sqrt(2/π) ≈ 0.32 um; legalising undoes about that */
    cr_assert_lt(mean, 0.35 * row_h, "mean displacement %.3f um, row height %.2f um", mean, row_h);
    /* some segments are packed full (the cells were legalised from random spots): a cell jittered
     * into one pushes a neighbour to another row and that one may push another (Abacus is greedy),
     * so a few cells go a few rows; nearly all stay within a row height */
    int64_t far = 0;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (movable(&nl.nodes[i])) far += fabs(nl.nodes[i].x - jx[i]) + fabs(nl.nodes[i].y - jy[i]) >= row_h;
    cr_assert_leq(far, ncell / 100, "%lld of %lld cells move a row height or more", (long long)far, (long long)ncell);
    cr_assert_lt(st.max_disp, 10 * row_h, "max displacement %.3f um", st.max_disp);
    free(jx);
    free(jy);
}

Test(cell_legal, halos_blockages_and_fixed_cells_kept_clear)
{
    read_scattered("demo", 13);
    pl_rect c = core();
    /* a 1 um halo round every macro, a hard blockage in the middle, a soft one that cells may use */
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_MACRO)
            for (int k = 0; k < 4; k++) nl.nodes[i].halo[k] = 1.0;
    cr_assert_eq(PL_GROW(nl.blockages, nl.blockages_cap, nl.nblockages + 2), PL_OK);
    double mx = 0.5 * (c.x0 + c.x1), my = 0.5 * (c.y0 + c.y1);
    nl.blockages[nl.nblockages++] =
        (pl_blockage){.kind = PL_BLOCK_PLACEMENT, .r = {mx - 10.03, my - 7.1, mx + 9.9, my + 6.3}};
    nl.blockages[nl.nblockages++] =
        (pl_blockage){.kind = PL_BLOCK_PLACEMENT, .r = {c.x0, c.y0, c.x0 + 20, c.y0 + 20}, .soft = 1};
    /* two cells fixed where they are, off the grid (fixed cells need not be legal) */
    int64_t fixed[2], nf = 0;
    for (int64_t i = 0; i < nl.nnodes && nf < 2; i++)
        if (nl.nodes[i].kind == PL_NODE_STDCELL) nl.nodes[fixed[nf++] = i].state = PL_PLACE_FIXED;
    pl_node *before = snapshot();
    cr_assert_eq(pl_cell_legalize(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    char msg[512];
    cr_assert_eq(pl_cell_legal_check(&nl, msg, sizeof msg), 0, "%s", msg);
    independent_check();
    assert_others_untouched(before);
    int in_soft = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *a = &nl.nodes[i];
        if (!movable(a)) continue;
        in_soft += a->x < c.x0 + 20 && a->y < c.y0 + 20;
        for (int k = 0; k < 2; k++) {
            const pl_node *f = &nl.nodes[fixed[k]];
            cr_assert(a->x >= f->x + f->w || f->x >= a->x + a->w || a->y >= f->y + f->h || f->y >= a->y + a->h,
                      "%s on fixed cell %s", a->name, f->name);
        }
    }
    cr_assert_gt(in_soft, 0, "soft blockages are not obstacles by default");
    /* with soft_blockages set, the soft one is kept clear too */
    pl_cell_legal_config cfg;
    pl_cell_legal_config_default(&cfg);
    cfg.soft_blockages = 1;
    cr_assert_eq(pl_cell_legalize(&nl, &cfg, NULL), PL_OK, "%s", pl_errmsg());
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *a = &nl.nodes[i];
        if (movable(a)) cr_assert(!(a->x < c.x0 + 20 && a->y < c.y0 + 20), "%s in the soft blockage", a->name);
    }
    free(before);
}

Test(cell_legal, too_little_room_fails_clearly)
{
    read_scattered("small", 14);
    nl.nrows = 3; /* three rows cannot hold 300 cells */
    pl_node *before = snapshot();
    pl_cell_legal_stats st;
    cr_assert_eq(pl_cell_legalize(&nl, NULL, &st), PL_EINVAL);
    const char *m = pl_errmsg();
    cr_assert(strstr(m, "no row has room for standard cell '"), "%s", m);
    cr_assert(strstr(m, "um^2"), "the message gives the areas: %s", m);
    cr_assert(!memcmp(before, nl.nodes, (size_t)nl.nnodes * sizeof *before), "nothing changed on failure");
    char msg[512];
    cr_assert_gt(pl_cell_legal_check(&nl, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "standard cell"), "%s", msg);
    free(before);
}

Test(cell_legal, no_rows_and_tall_cells_refused)
{
    read_scattered("small", 15);
    int64_t nrows = nl.nrows;
    nl.nrows = 0;
    cr_assert_eq(pl_cell_legalize(&nl, NULL, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "no core rows"), "%s", pl_errmsg());
    nl.nrows = nrows;
    for (int64_t i = 0; i < nl.nnodes; i++)
        if (nl.nodes[i].kind == PL_NODE_STDCELL) {
            nl.nodes[i].h *= 2;
            break;
        }
    cr_assert_eq(pl_cell_legalize(&nl, NULL, NULL), PL_ENOTSUP);
    cr_assert(strstr(pl_errmsg(), "multi-row"), "%s", pl_errmsg());
}

Test(cell_legal, deterministic)
{
    read_scattered("demo", 16);
    pl_node *first = NULL;
    pl_cell_legal_stats s1, s2;
    cr_assert_eq(pl_cell_legalize(&nl, NULL, &s1), PL_OK, "%s", pl_errmsg());
    first = snapshot();
    pl_netlist_free(&nl);
    pl_netlist_init(&nl);
    read_scattered("demo", 16);
    cr_assert_eq(pl_cell_legalize(&nl, NULL, &s2), PL_OK, "%s", pl_errmsg());
    for (int64_t i = 0; i < nl.nnodes; i++)
        cr_assert(first[i].x == nl.nodes[i].x && first[i].y == nl.nodes[i].y, "%s", nl.nodes[i].name);
    cr_assert_eq(s1.total_disp, s2.total_disp);
    free(first);
}

Test(cell_legal, weight_by_width_is_legal_too)
{
    read_scattered("demo", 17);
    pl_cell_legal_config cfg;
    pl_cell_legal_config_default(&cfg);
    cfg.weight_by_width = 1;
    cr_assert_eq(pl_cell_legalize(&nl, &cfg, NULL), PL_OK, "%s", pl_errmsg());
    char msg[512];
    cr_assert_eq(pl_cell_legal_check(&nl, msg, sizeof msg), 0, "%s", msg);
    independent_check();
}

/* The check finds each kind of violation that is planted in a legal placement. */
Test(cell_legal, check_finds_planted_violations)
{
    read_scattered("demo", 18);
    cr_assert_eq(pl_cell_legalize(&nl, NULL, NULL), PL_OK, "%s", pl_errmsg());
    int64_t a = -1, b = -1, m = -1;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        if (movable(&nl.nodes[i])) {
            if (a < 0) a = i;
            else if (b < 0) b = i;
        }
        if (nl.nodes[i].kind == PL_NODE_MACRO && m < 0) m = i;
    }
    pl_node sa = nl.nodes[a], sb = nl.nodes[b];
    char msg[512];
    const char *want[] = {"off the site grid", "on no row", "overlap", "orientation", "sticks out", "not placed",
                          "overlaps '"};
    for (int k = 0; k < 7; k++) {
        nl.nodes[a] = sa, nl.nodes[b] = sb;
        pl_node *na = &nl.nodes[a];
        switch (k) {
        case 0: na->x += 0.5 * nl.rows[0].sx; break;
        case 1: na->y += 0.3; break;
        case 2: na->x = sb.x + nl.rows[0].sx, na->y = sb.y, na->orient = sb.orient; break;
        case 3: na->orient = na->orient == PL_ORIENT_N ? PL_ORIENT_FS : PL_ORIENT_N; break;
        case 4: na->x = core().x1 - 0.5 * na->w; break;
        case 5: na->state = PL_PLACE_UNPLACED; break;
        case 6: {
            const pl_node *mm = &nl.nodes[m];
            int64_t r = 0;
            while (r < nl.nrows && nl.rows[r].y < mm->y) r++;
            na->y = nl.rows[r].y, na->orient = nl.rows[r].orient;
            na->x = nl.rows[0].x + nl.rows[0].sx * ceil((mm->x + 1 - nl.rows[0].x) / nl.rows[0].sx);
            break;
        }
        }
        int bad = pl_cell_legal_check(&nl, msg, sizeof msg);
        cr_assert_geq(bad, 1, "case %d", k);
        cr_assert(strstr(msg, want[k]), "case %d: %s", k, msg);
        cr_assert(strstr(msg, nl.nodes[a].name), "case %d names the cell: %s", k, msg);
    }
    nl.nodes[a] = sa, nl.nodes[b] = sb;
    cr_assert_eq(pl_cell_legal_check(&nl, msg, sizeof msg), 0, "%s", msg);
}

/* A real design: asap7_ariane133 (100k cells, 822 rows of 4118 sites flipping N/FS), its macros
 * where the Human reference put them, the cells at random spots. */
Test(cell_legal, ariane133_random_positions)
{
    PL_NEED_SHARED("designs/asap7_ariane133/ariane.def.gz");
    const char *lefs[] = {pl_test_shared_path("designs/asap7/asap7_tech_1x_201209.lef"),
                          pl_test_shared_path("designs/asap7/asap7sc7p5t_27_R_1x_201211.lef"),
                          pl_test_shared_path("designs/asap7_ariane133/sram_asap7_16x256_1rw.lef")};
    cr_assert_eq(pl_design_read(&nl, pl_test_shared_path("designs/asap7_ariane133/ariane.def.gz"), lefs, 3), PL_OK,
                 "%s", pl_errmsg());
    pl_def_placement_stats ps;
    const char *ref = pl_test_shared_path("designs/asap7_ariane133/refs/Human/ariane_fp_placed_macros.def");
    cr_assert_eq(pl_def_placement_apply(&nl, ref, &ps), PL_OK, "%s", pl_errmsg());
    pl_rect c;
    cr_assert(pl_netlist_rows_bbox(&nl, &c));
    pl_rng r;
    pl_rng_seed(&r, 19);
    int64_t macros = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        pl_node *n = &nl.nodes[i];
        macros += n->kind == PL_NODE_MACRO && n->state != PL_PLACE_UNPLACED;
        if (n->kind != PL_NODE_STDCELL) continue;
        n->x = c.x0 + (c.x1 - c.x0 - n->w) * pl_rng_uniform(&r);
        n->y = c.y0 + (c.y1 - c.y0 - n->h) * pl_rng_uniform(&r);
    }
    cr_assert_eq(macros, 133);
    pl_node *before = snapshot();
    pl_cell_legal_stats st;
    cr_assert_eq(pl_cell_legalize(&nl, NULL, &st), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(st.cells, 100702);
    char msg[512];
    cr_assert_eq(pl_cell_legal_check(&nl, msg, sizeof msg), 0, "%s", msg);
    independent_check();
    assert_others_untouched(before);
    free(before);
}
