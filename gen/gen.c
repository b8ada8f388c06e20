/* gen.c: see gen.h; the library and floorplan steps, and the pl_gen_write driver. */
#include "gen/gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen_design.h"
#include "gen/gen_nets.h"
#include "gen/gen_write.h"

/* ---- small helpers ---- */

/* Approximately standard normal: the Irwin-Hall sum of four uniforms, scaled to variance 1
 * (bounded by ±3.46). Uses no libm function, so it is identical on every platform. */
static double normal(gen *g)
{
    double s = uniform(g) + uniform(g) + uniform(g) + uniform(g) - 2.0;
    return s * 1.7320508075688772;
}

static int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* ---- step 1: library ----
 * A fixed technology and std-cell set, 2-4 SRAM-like block masters sized from the requested area,
 * with pins spread along one or two edges. */

/* Pin slots along an edge of length len: how many fit. */
static int64_t edge_capacity(int64_t len)
{
    if (len < 2 * MPIN_MARGIN) return 0;
    return (len - 2 * MPIN_MARGIN) / MPIN_PITCH + 1;
}

/* Edge length that holds n pin slots. */
static int64_t edge_for(int64_t n) { return 2 * MPIN_MARGIN + (n - 1) * MPIN_PITCH; }

static int bits_that_fit(const macro_tpl *t, int64_t w, int64_t h)
{
    int64_t b = t->sides ? edge_capacity(h) - t->abits - 3 : (edge_capacity(w) - t->abits - 3) / 2;
    b = b > MAX_BITS ? MAX_BITS : b;
    return b < 8 ? (int)b : (int)(b / 8 * 8); /* whole bytes, like real memories */
}

/* Positions of n pins spread over an edge of length len (cap slots), centred. */
static int64_t slot_pos(int64_t len, int64_t n, int64_t k)
{
    int64_t cap = edge_capacity(len);
    int64_t step = cap / n;
    int64_t span = (n - 1) * step + 1;
    int64_t start = (cap - span) / 2;
    return MPIN_MARGIN + (start + k * step) * MPIN_PITCH;
}

static void master_pin(gmaster *m, int k, const char *name, int bit, int is_out, int is_clock)
{
    gmpin *p = &m->pins[k];
    if (bit >= 0) snprintf(p->name, sizeof p->name, "%s[%d]", name, bit);
    else snprintf(p->name, sizeof p->name, "%s", name);
    p->is_out = is_out;
    p->is_clock = is_clock;
}

static pl_status build_master(gmaster *m, int tpl_index, double area)
{
    const macro_tpl *t = &TEMPLATES[tpl_index];
    int64_t w = round_up((int64_t)sqrt(area * t->aspect), SITE_W);
    int64_t h = round_up((int64_t)(area / (double)w), ROW_H);
    if (w < MACRO_MIN_SIDE) w = round_up(MACRO_MIN_SIDE, SITE_W);
    if (h < MACRO_MIN_SIDE) h = round_up(MACRO_MIN_SIDE, ROW_H);
    if (bits_that_fit(t, w, h) < 8) {
        if (t->sides) h = round_up(edge_for(t->abits + 3 + 8), ROW_H);
        else w = round_up(edge_for(t->abits + 3 + 16), SITE_W);
    }
    int bits = bits_that_fit(t, w, h);
    PL_ASSERT(bits >= 8);
    m->tpl = tpl_index;
    m->abits = t->abits;
    m->bits = bits;
    m->w = w;
    m->h = h;
    snprintf(m->name, sizeof m->name, "sram_%dx%d", 1 << t->abits, bits);
    m->npins = t->abits + 3 + 2 * bits;
    if (!PL_CALLOC(m->pins, m->npins)) return gen_oom("pins");

    /* order: A[], CE, WE, CLK, then D[i] Q[i] interleaved (bottom) or D[] left, Q[] right */
    int k = 0;
    for (int i = 0; i < t->abits; i++) master_pin(m, k++, "A", i, 0, 0);
    master_pin(m, k++, "CE", -1, 0, 0);
    master_pin(m, k++, "WE", -1, 0, 0);
    master_pin(m, k++, "CLK", -1, 0, 1);
    if (t->sides) {
        for (int i = 0; i < bits; i++) master_pin(m, k++, "D", i, 0, 0);
        for (int i = 0; i < bits; i++) master_pin(m, k++, "Q", i, 1, 0);
        int nleft = t->abits + 3 + bits;
        for (int i = 0; i < m->npins; i++) {
            gmpin *p = &m->pins[i];
            int right = i >= nleft;
            int64_t y = right ? slot_pos(h, bits, i - nleft) : slot_pos(h, nleft, i);
            p->layer = "metal3";
            p->x0 = right ? w - MPIN_LEN : 0;
            p->x1 = right ? w : MPIN_LEN;
            p->y0 = y - 70;
            p->y1 = y + 70;
        }
    } else {
        for (int i = 0; i < bits; i++) {
            master_pin(m, k++, "D", i, 0, 0);
            master_pin(m, k++, "Q", i, 1, 0);
        }
        for (int i = 0; i < m->npins; i++) {
            gmpin *p = &m->pins[i];
            int64_t x = slot_pos(w, m->npins, i);
            p->layer = "metal4";
            p->x0 = x - 140;
            p->x1 = x + 140;
            p->y0 = 0;
            p->y1 = MPIN_LEN;
        }
    }
    PL_ASSERT(k == m->npins);
    return PL_OK;
}

static pl_status build_library(gen *g, int64_t *macro_area, int64_t *cell_area)
{
    const pl_gen_config *cfg = g->cfg;
    int cell_wsum = 0;
    for (int i = 0; i < NCELLS; i++) cell_wsum += CELLS[i].weight;
    if (!PL_CALLOC(g->cell_master, cfg->cells)) return gen_oom("cell masters");
    int64_t ca = 0;
    for (int32_t i = 0; i < cfg->cells; i++) {
        int r = below(g, cell_wsum), t = 0;
        while (r >= CELLS[t].weight) r -= CELLS[t++].weight;
        g->cell_master[i] = t;
        ca += (int64_t)CELLS[t].sites * SITE_W * ROW_H;
    }
    *cell_area = ca;

    *macro_area = 0;
    if (cfg->macros == 0) return PL_OK;
    int32_t order[NTEMPLATES];
    for (int i = 0; i < NTEMPLATES; i++) order[i] = i;
    shuffle(g, order, NTEMPLATES);
    int nt = 2 + below(g, 3);
    if (nt > cfg->macros) nt = cfg->macros;
    if (!PL_CALLOC(g->macro_master, cfg->macros)) return gen_oom("macro masters");
    double relsum = 0;
    for (int32_t i = 0; i < cfg->macros; i++) {
        g->macro_master[i] = i < nt ? i : below(g, nt);
        relsum += TEMPLATES[order[g->macro_master[i]]].rel;
    }
    double unit = cfg->macro_area_ratio * (double)ca / relsum;
    g->nmasters = nt;
    for (int t = 0; t < nt; t++)
        PL_TRY(build_master(&g->masters[t], order[t], unit * TEMPLATES[order[t]].rel));
    /* masters in a stable, readable order: by name */
    for (int a = 1; a < nt; a++)
        for (int b = a; b > 0 && strcmp(g->masters[b - 1].name, g->masters[b].name) > 0; b--) {
            gmaster tmp = g->masters[b];
            g->masters[b] = g->masters[b - 1];
            g->masters[b - 1] = tmp;
            for (int32_t i = 0; i < cfg->macros; i++) {
                if (g->macro_master[i] == b) g->macro_master[i] = b - 1;
                else if (g->macro_master[i] == b - 1) g->macro_master[i] = b;
            }
        }
    for (int32_t i = 0; i < cfg->macros; i++) {
        const gmaster *m = &g->masters[g->macro_master[i]];
        *macro_area += m->w * m->h;
    }
    return PL_OK;
}

/* ---- step 2: floorplan, IO pins, hidden locations ----
 * Core sized from the total area and the utilization, rows, tracks, IO pins in buses around the
 * die perimeter, and a hidden location for every macro, cell and port (cells cluster around
 * macros, IO buses and a few logic centres). */

static const char *BUS_NAMES[] = {"addr", "wdata", "rdata", "req", "resp", "cfg",
                                  "irq", "dbg", "tx", "rx", "status", "ctrl"};
enum { NBUS_NAMES = sizeof BUS_NAMES / sizeof BUS_NAMES[0] };

/* Slot s of the perimeter, counter-clockwise from the lower-left corner. */
static void perimeter_slot(const gen *g, int64_t s, int64_t nx, int64_t ny, gport *p)
{
    if (s < nx) {
        p->edge = 0, p->x = IO_CORNER_X + s * IO_SLOT, p->y = 0;
    } else if ((s -= nx) < ny) {
        p->edge = 1, p->x = g->die_w, p->y = IO_CORNER_Y + s * IO_SLOT;
    } else if ((s -= ny) < nx) {
        p->edge = 2, p->x = IO_CORNER_X + (nx - 1 - s) * IO_SLOT, p->y = g->die_h;
    } else {
        s -= nx;
        p->edge = 3, p->x = 0, p->y = IO_CORNER_Y + (ny - 1 - s) * IO_SLOT;
    }
}

/* The core's box in doubles, shared by the cluster and location steps. */
typedef struct core_box {
    double x0, y0, w, h, side; /* side: sqrt(w * h) */
} core_box;

/* The box of g's core, as sized by size_core. */
static core_box core_box_of(const gen *g)
{
    core_box b;
    b.w = (double)g->core_w, b.h = (double)g->core_h, b.side = sqrt(b.w * b.h);
    b.x0 = (double)g->core_x0, b.y0 = (double)g->core_y0;
    return b;
}

/* Core and die sizes from the total area and the utilization, wide and tall enough for every master. */
static void size_core(gen *g, int64_t macro_area, int64_t cell_area)
{
    double core_area = (double)(macro_area + cell_area) / g->cfg->utilization;
    double side = sqrt(core_area);
    g->core_w = round_up((int64_t)side + 1, SITE_W);
    g->core_h = round_up((int64_t)side + 1, ROW_H);
    for (int i = 0; i < g->nmasters; i++) {
        const gmaster *m = &g->masters[i];
        if (g->core_w < m->w + 2 * SITE_W) g->core_w = round_up(m->w + 2 * SITE_W, SITE_W);
        if (g->core_h < m->h + 2 * ROW_H) g->core_h = round_up(m->h + 2 * ROW_H, ROW_H);
    }
    g->core_x0 = CORE_MARGIN;
    g->core_y0 = CORE_MARGIN;
    g->die_w = g->core_w + 2 * CORE_MARGIN;
    g->die_h = g->core_h + 2 * CORE_MARGIN;
    g->nrows = (int32_t)(g->core_h / ROW_H);
}

/* Names the n ports and groups them: clk, rst_n, then buses of random width and direction. */
static int32_t name_ports(gen *g, int32_t n)
{
    int32_t ngroups = 0;
    for (int32_t i = 0; i < n;) {
        gport *p = &g->ports[i];
        if (i == 0) {
            snprintf(p->name, sizeof p->name, "clk");
            p->group = ngroups++;
            i++;
        } else if (i == 1) {
            snprintf(p->name, sizeof p->name, "rst_n");
            p->group = ngroups++;
            i++;
        } else {
            static const int WIDTHS[] = {4, 8, 8, 16, 16, 32};
            int32_t width = WIDTHS[below(g, 6)];
            if (width > n - i) width = n - i;
            int out = below(g, 2);
            const char *base = BUS_NAMES[ngroups % NBUS_NAMES];
            for (int32_t b = 0; b < width; b++, i++) {
                gport *q = &g->ports[i];
                snprintf(q->name, sizeof q->name, "%s_%d[%d]", base, ngroups, b);
                q->is_out = out;
                q->group = ngroups;
            }
            ngroups++;
        }
    }
    return ngroups;
}

/* Puts the n > 0 ports on perimeter slots, the free slots spread as gaps between groups in random shares. */
static pl_status spread_ports(gen *g, int32_t n, int32_t ngroups, int64_t nx, int64_t ny)
{
    int64_t nslots = 2 * (nx + ny);
    double *share;
    if (!PL_CALLOC(share, ngroups)) return gen_oom("port group shares");
    double total = 0;
    for (int32_t k = 0; k < ngroups; k++) total += share[k] = 0.5 + uniform(g);
    int64_t free_slots = nslots - n, s = below(g, nslots), used_gap = 0;
    double acc = 0;
    int32_t grp = -1;
    for (int32_t i = 0; i < n; i++) {
        if (g->ports[i].group != grp) {
            grp = g->ports[i].group;
            acc += share[grp];
            int64_t gap_end = (int64_t)((double)free_slots * acc / total);
            if (gap_end > free_slots) gap_end = free_slots;
            s += gap_end - used_gap;
            used_gap = gap_end;
        }
        perimeter_slot(g, s % nslots, nx, ny, &g->ports[i]);
        s++;
    }
    free(share);
    return PL_OK;
}

/* IO pins: clk, rst_n, then buses; groups spread around the perimeter. Sets *ngroups. */
static pl_status build_ports(gen *g, int32_t *ngroups)
{
    int32_t n = g->cfg->ios;
    if (!PL_CALLOC(g->ports, n)) return gen_oom("ports");
    int64_t nx = (g->die_w - 2 * IO_CORNER_X) / IO_SLOT + 1, ny = (g->die_h - 2 * IO_CORNER_Y) / IO_SLOT + 1;
    int64_t nslots = 2 * (nx + ny);
    if (n > nslots)
        return pl_err(PL_EINVAL, "gen: --ios %d does not fit: the die perimeter has room for %lld "
                      "pins; lower --ios or --utilization, or add --cells", n, (long long)nslots);
    *ngroups = name_ports(g, n);
    if (n > 0) PL_TRY(spread_ports(g, n, *ngroups, nx, ny));
    return PL_OK;
}

/* Macros on a jittered grid of shuffled slots, one cluster each; adds the cluster weights to *wsum. */
static pl_status place_macros(gen *g, const core_box *b, double *wsum)
{
    const pl_gen_config *cfg = g->cfg;
    int32_t gcols = 1;
    while (gcols * gcols < cfg->macros) gcols++;
    int32_t grows = cfg->macros ? (cfg->macros + gcols - 1) / gcols : 0;
    int32_t *slot;
    if (!PL_CALLOC(slot, (int64_t)gcols * grows)) return gen_oom("macro slots");
    for (int32_t i = 0; i < gcols * grows; i++) slot[i] = i;
    shuffle(g, slot, gcols * grows);
    for (int32_t m = 0; m < cfg->macros; m++) {
        const gmaster *ms = &g->masters[g->macro_master[m]];
        gowner *o = &g->owners[m];
        int32_t col = slot[m] % gcols, row = slot[m] / gcols;
        o->kind = OWN_MACRO;
        o->type = g->macro_master[m];
        o->x = b->x0 + (col + 0.5 + 0.5 * (uniform(g) - 0.5)) / gcols * b->w;
        o->y = b->y0 + (row + 0.5 + 0.5 * (uniform(g) - 0.5)) / grows * b->h;
        gcluster *c = &g->clusters[m];
        c->x = o->x;
        c->y = o->y;
        double half = 0.5 * sqrt((double)(ms->w * ms->h));
        c->sigma = half > 0.05 * b->side ? half : 0.05 * b->side;
        c->weight = 3.0 * ms->npins;
        *wsum += c->weight;
        snprintf(c->prefix, sizeof c->prefix, "mem%d/ctrl/", m);
    }
    free(slot);
    return PL_OK;
}

/* The port owners, at their pins. */
static void place_port_owners(gen *g)
{
    const pl_gen_config *cfg = g->cfg;
    for (int32_t i = 0; i < cfg->ios; i++) {
        gport *p = &g->ports[i];
        gowner *o = &g->owners[cfg->macros + cfg->cells + i];
        o->kind = OWN_PORT;
        o->type = p->is_out;
        o->x = (double)p->x;
        o->y = (double)p->y;
    }
}

/* One cluster per IO group, at its pins' centre pulled inside the core; adds the weights to *wsum. */
static void io_clusters(gen *g, const core_box *b, int32_t ngroups, double *wsum)
{
    int32_t n = g->cfg->ios;
    for (int32_t k = 0; k < ngroups; k++) {
        double sx = 0, sy = 0;
        int32_t cnt = 0, first = -1;
        for (int32_t i = 0; i < n; i++)
            if (g->ports[i].group == k) {
                sx += (double)g->ports[i].x;
                sy += (double)g->ports[i].y;
                if (first < 0) first = i;
                cnt++;
            }
        gcluster *c = &g->clusters[g->cfg->macros + k];
        double inward = 0.06 * b->side;
        c->x = clampd(sx / cnt, b->x0 + inward, b->x0 + b->w - inward);
        c->y = clampd(sy / cnt, b->y0 + inward, b->y0 + b->h - inward);
        c->sigma = 0.05 * b->side;
        c->weight = 3.0 * cnt;
        *wsum += c->weight;
        /* io_<bus name without the bit>/ */
        char base[40];
        snprintf(base, sizeof base, "%s", g->ports[first].name);
        char *br = strchr(base, '[');
        if (br) *br = '\0';
        snprintf(c->prefix, sizeof c->prefix, "io_%s/", base);
    }
}

/* Caps the macro and IO clusters at 55% of the clustered cells; nlogic random logic centres take the rest. */
static void logic_clusters(gen *g, const core_box *b, int32_t ngroups, int32_t nlogic, double wsum_other)
{
    const pl_gen_config *cfg = g->cfg;
    double cap_other = 0.55 * cfg->cells;
    if (wsum_other > cap_other) {
        for (int32_t k = 0; k < cfg->macros + ngroups; k++) g->clusters[k].weight *= cap_other / wsum_other;
        wsum_other = cap_other;
    }
    double logic_w = cfg->cells - wsum_other;
    for (int32_t k = 0; k < nlogic; k++) {
        gcluster *c = &g->clusters[cfg->macros + ngroups + k];
        c->x = b->x0 + (0.1 + 0.8 * uniform(g)) * b->w;
        c->y = b->y0 + (0.1 + 0.8 * uniform(g)) * b->h;
        c->sigma = 0.07 * b->side;
        c->weight = logic_w / nlogic;
        snprintf(c->prefix, sizeof c->prefix, "core%d/", k);
    }
}

/* Cells: 10% anywhere, the rest around a cluster chosen by weight. */
static pl_status place_cells(gen *g, const core_box *b)
{
    double *cum;
    if (!PL_CALLOC(cum, g->nclusters)) return gen_oom("cluster weights");
    double acc = 0;
    for (int32_t k = 0; k < g->nclusters; k++) cum[k] = acc += g->clusters[k].weight;
    for (int32_t i = 0; i < g->cfg->cells; i++) {
        gowner *o = &g->owners[g->cfg->macros + i];
        o->kind = OWN_CELL;
        o->type = g->cell_master[i];
        o->serial = i;
        if (uniform(g) < 0.10) {
            o->cluster = -1;
            o->x = b->x0 + uniform(g) * b->w;
            o->y = b->y0 + uniform(g) * b->h;
            continue;
        }
        double r = uniform(g) * acc;
        int32_t lo = 0, hi = g->nclusters - 1;
        while (lo < hi) {
            int32_t mid = (lo + hi) / 2;
            if (cum[mid] > r) hi = mid;
            else lo = mid + 1;
        }
        const gcluster *c = &g->clusters[lo];
        o->cluster = lo;
        o->x = clampd(c->x + normal(g) * c->sigma, b->x0, b->x0 + b->w);
        o->y = clampd(c->y + normal(g) * c->sigma, b->y0, b->y0 + b->h);
    }
    free(cum);
    return PL_OK;
}

/* Step 2: core, IO pins, clusters, then the hidden location of every macro, port and cell. */
static pl_status build_floorplan(gen *g, int64_t macro_area, int64_t cell_area)
{
    const pl_gen_config *cfg = g->cfg;
    size_core(g, macro_area, cell_area);
    int32_t ngroups = 0;
    PL_TRY(build_ports(g, &ngroups));

    /* clusters: one per macro, one per IO group, a few logic centres */
    core_box b = core_box_of(g);
    int32_t nlogic = 1 + cfg->cells / 500;
    g->nclusters = cfg->macros + ngroups + nlogic;
    if (!PL_CALLOC(g->clusters, g->nclusters)) return gen_oom("clusters");
    g->nowners = cfg->macros + cfg->cells + cfg->ios;
    if (!PL_CALLOC(g->owners, g->nowners)) return gen_oom("owners");
    double wsum_other = 0;
    PL_TRY(place_macros(g, &b, &wsum_other));
    place_port_owners(g);
    io_clusters(g, &b, ngroups, &wsum_other);
    logic_clusters(g, &b, ngroups, nlogic, wsum_other);
    return place_cells(g, &b);
}

/* ---- driver: library, floorplan, nets (gen_nets.c), then the files (gen_write.c) ---- */

static pl_status generate(gen *g, const char *dir, pl_gen_report *rep)
{
    int64_t macro_area = 0, cell_area = 0;
    PL_TRY(build_library(g, &macro_area, &cell_area));
    PL_TRY(build_floorplan(g, macro_area, cell_area));
    PL_TRY(pl_gen_nets_build(g));
    PL_TRY(pl_gen_files_write(g, dir));
    if (rep) {
        memset(rep, 0, sizeof *rep);
        rep->macros = g->cfg->macros;
        rep->cells = g->cfg->cells;
        rep->ios = g->cfg->ios;
        rep->macro_masters = g->nmasters;
        for (int32_t n = 0; n < g->nnets; n++)
            if (g->nets[n].count >= 2) {
                rep->nets++;
                rep->net_pins += g->nets[n].count;
            }
        rep->die_w_dbu = g->die_w;
        rep->die_h_dbu = g->die_h;
        rep->dbu_per_micron = DBU;
    }
    return PL_OK;
}

pl_status pl_gen_write(const pl_gen_config *cfg, const char *dir, pl_gen_report *report)
{
    PL_TRY(pl_gen_config_check(cfg));
    if (!dir || !dir[0]) return pl_err(PL_EINVAL, "gen: no output folder (-o DIR)");
    gen g;
    pl_gen_design_init(&g, cfg);
    pl_status s = generate(&g, dir, report);
    pl_gen_design_free(&g);
    return s;
}
