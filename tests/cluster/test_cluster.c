/* test_cluster.c: standard-cell clustering and the clustered netlist: determinism (also through the
 * command under different thread settings), quality against a random clustering of the same sizes,
 * areas and net bookkeeping, and `placer eval` on a DEF. */
#include <math.h>

#include "cluster/clnetlist.h"
#include "cluster/cluster.h"
#include "cluster/prepare.h"
#include "parsers/ctpb.h"
#include "parsers/def.h"
#include "core/rng.h"
#include "tests/testutil.h"

static pl_netlist flat;
static void setup(void)
{
    pl_netlist_init(&flat);
    cr_assert_eq(pl_design_read(&flat, "designs/demo/demo.def", NULL, 0), PL_OK, "%s", pl_errmsg());
}
static void teardown(void) { pl_netlist_free(&flat); }

TestSuite(cluster, .init = setup, .fini = teardown);

Test(cluster, graph_weights)
{
    pl_cluster_config cfg;
    pl_cluster_config_default(&cfg);
    pl_cluster_graph g;
    cr_assert_eq(pl_cluster_graph_build(&g, &flat, &cfg), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(g.nv, 3000);
    cr_assert(g.ne > 3000 && g.nets_used > 1000, "%lld edges", (long long)g.ne);
    for (int64_t i = 0; i < g.ne; i++) {
        cr_assert(g.eu[i] < g.ev[i]);
        cr_assert(g.ew[i] > 0);
        if (i) cr_assert(g.eu[i - 1] < g.eu[i] || (g.eu[i - 1] == g.eu[i] && g.ev[i - 1] < g.ev[i]), "sorted, no dups");
    }
    /* a lower fan-out limit drops nets */
    cfg.fanout_max = 2;
    pl_cluster_graph h;
    cr_assert_eq(pl_cluster_graph_build(&h, &flat, &cfg), PL_OK);
    cr_assert(h.nets_skipped > 0 && h.ne < g.ne);
    pl_cluster_graph_free(&h);
    pl_cluster_graph_free(&g);
    pl_cluster_graph_free(&g); /* idempotent */
}

Test(cluster, deterministic_and_complete)
{
    pl_cluster_config cfg;
    pl_cluster_config_default(&cfg);
    cfg.seed = 7;
    pl_cluster a, b;
    cr_assert_eq(pl_cluster_run(&a, &flat, &cfg), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_cluster_run(&b, &flat, &cfg), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(a.nclusters, b.nclusters);
    cr_assert(!memcmp(a.of_node, b.of_node, (size_t)flat.nnodes * sizeof *a.of_node), "same seed, same clusters");
    /* about the target (2 sqrt(3000) = 110), every cell in one cluster, areas add up */
    cr_assert(a.nclusters >= 55 && a.nclusters <= 165, "%d clusters", a.nclusters);
    double cell_area = 0, cl_area = 0;
    int64_t cells = 0, sized = 0;
    for (int64_t i = 0; i < flat.nnodes; i++) {
        int is_cell = flat.nodes[i].kind == PL_NODE_STDCELL;
        cr_assert_eq(a.of_node[i] >= 0, is_cell);
        if (is_cell) cell_area += flat.nodes[i].w * flat.nodes[i].h, cells++;
    }
    for (int32_t c = 0; c < a.nclusters; c++) cl_area += a.area[c], sized += a.size[c];
    cr_assert_eq(sized, cells);
    cr_assert(fabs(cl_area - cell_area) < 1e-6 * cell_area);
    /* first-vertex numbering */
    cr_assert_eq(a.of_cell[0], 0);
    pl_cluster_free(&a);
    pl_cluster_free(&b);
    pl_cluster_free(&b);
}

Test(cluster, cut_far_below_random)
{
    pl_cluster_config cfg;
    pl_cluster_config_default(&cfg);
    pl_cluster cl;
    cr_assert_eq(pl_cluster_run(&cl, &flat, &cfg), PL_OK, "%s", pl_errmsg());
    int32_t n = cl.g.nv, *perm = malloc((size_t)n * sizeof *perm);
    memcpy(perm, cl.of_cell, (size_t)n * sizeof *perm);
    pl_rng r;
    pl_rng_seed(&r, 99);
    double worst = 0;
    for (int t = 0; t < 5; t++) { /* random clusterings with the same sizes: shuffled labels */
        for (int32_t i = n - 1; i > 0; i--) {
            int32_t j = (int32_t)pl_rng_below(&r, (uint64_t)i + 1), x = perm[i];
            perm[i] = perm[j], perm[j] = x;
        }
        double rc = pl_cluster_graph_cut(&cl.g, perm);
        worst = t == 0 || rc < worst ? rc : worst;
    }
    cr_assert(cl.cut < 0.6 * worst, "cut %g vs random %g (total %g)", cl.cut, worst, cl.total);
    cr_assert_float_eq(cl.cut, pl_cluster_graph_cut(&cl.g, cl.of_cell), 1e-9);
    free(perm);
    pl_cluster_free(&cl);
}

/* Cells on a line, in node order: the physical clustering cuts the line into runs of about equal area,
 * one cluster per mean area, each a contiguous stretch. */
Test(cluster, physical_cuts_by_position)
{
    pl_netlist line;
    cr_assert_eq(pl_netlist_view_init(&line, &flat), PL_OK);
    for (int64_t i = 0; i < line.nnodes; i++)
        if (line.nodes[i].kind == PL_NODE_STDCELL) line.nodes[i].x = 100.0 * (double)i, line.nodes[i].y = 0;
    pl_cluster_config cfg;
    pl_cluster_config_default(&cfg);
    cfg.physical = 1;
    cfg.group_macros = cfg.group_ios = 0;
    pl_cluster cl;
    cr_assert_eq(pl_cluster_run(&cl, &line, &cfg), PL_OK, "%s", pl_errmsg());
    cr_assert(cl.physical);
    cr_assert_eq(cl.nclusters, 110, "%d clusters (round(2 sqrt(3000)))", cl.nclusters);
    int32_t *seen = calloc((size_t)cl.nclusters, sizeof *seen), last = -1;
    double mean = 0;
    for (int32_t c = 0; c < cl.nclusters; c++) mean += cl.area[c] / cl.nclusters;
    for (int64_t i = 0; i < line.nnodes; i++) {
        int32_t c = cl.of_node[i];
        if (c < 0 || c == last) continue;
        cr_assert(!seen[c], "cluster %d comes back at node %lld: not a contiguous stretch", c, (long long)i);
        seen[c] = 1, last = c;
    }
    for (int32_t c = 0; c < cl.nclusters; c++)
        cr_assert(cl.area[c] > 0.8 * mean && cl.area[c] < 1.2 * mean, "cluster %d: area %g, mean %g", c, cl.area[c], mean);
    /* Leiden on the same netlist does not follow the line */
    cfg.physical = 0;
    pl_cluster lc;
    cr_assert_eq(pl_cluster_run(&lc, &line, &cfg), PL_OK, "%s", pl_errmsg());
    cr_assert(!lc.physical);
    cr_assert(cl.cut > lc.cut, "a cut by node order (%g) is worse than Leiden's (%g)", cl.cut, lc.cut);
    free(seen);
    pl_cluster_free(&lc);
    pl_cluster_free(&cl);
    pl_netlist_view_free(&line);
}

/* The default preparation clusters by the cells' own arrangement, without the hard macros: the
 * clusters are the same wherever the macros are, so `placer eval` of any placement and `placer
 * place` see one clustering for a seed; the seed moves it. */
Test(cluster, physical_clusters_do_not_depend_on_the_macros)
{
    pl_prepare_config pc;
    pl_prepare_config_default(&pc);
    cr_assert(pc.cluster.physical, "physical clustering is the default");
    pc.fd = 0;
    pl_netlist moved;
    cr_assert_eq(pl_netlist_view_init(&moved, &flat), PL_OK);
    int nmacro = 0;
    for (int64_t i = 0; i < moved.nnodes; i++) {
        pl_node *n = &moved.nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        n->state = PL_PLACE_PLACED; /* stacked in the lower-left corner: the spread must not see them */
        n->x = flat.die.x0, n->y = flat.die.y0;
        nmacro++;
    }
    cr_assert(nmacro > 0);
    pl_prepare a, b, c;
    cr_assert_eq(pl_prepare_run(&a, &flat, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_prepare_run(&b, &moved, &pc), PL_OK, "%s", pl_errmsg());
    pc.seed = 2;
    cr_assert_eq(pl_prepare_run(&c, &flat, &pc), PL_OK, "%s", pl_errmsg());
    cr_assert(a.cl.physical && b.cl.physical);
    cr_assert_eq(a.cl.nclusters, b.cl.nclusters);
    cr_assert(!memcmp(a.cl.of_node, b.cl.of_node, (size_t)flat.nnodes * sizeof *a.cl.of_node),
              "the macros' places changed the clusters");
    cr_assert(memcmp(a.cl.of_node, c.cl.of_node, (size_t)flat.nnodes * sizeof *a.cl.of_node),
              "seed 2 spreads the cells from another start");
    pl_prepare_free(&a);
    pl_prepare_free(&b);
    pl_prepare_free(&c);
    pl_netlist_view_free(&moved);
}

Test(cluster, clustered_netlist)
{
    pl_cluster_config cfg;
    pl_cluster_config_default(&cfg);
    pl_cluster cl;
    cr_assert_eq(pl_cluster_run(&cl, &flat, &cfg), PL_OK, "%s", pl_errmsg());
    pl_netlist out;
    cr_assert_eq(pl_cluster_netlist_build(&out, &flat, &cl, &cfg), PL_OK, "%s", pl_errmsg());
    pl_netlist_stats st;
    pl_netlist_stats_compute(&out, &st);
    cr_assert_eq(st.macros, 16);
    cr_assert_eq(st.io_pins, 64);
    cr_assert_eq(st.soft_macros, cl.nclusters);
    cr_assert_eq(st.std_cells, 0);
    cr_assert(out.ct_indexed && out.ct_count > out.nnodes);
    double soft = 0, flat_nets_kept = 0;
    for (int64_t i = 0; i < out.nnodes; i++) {
        const pl_node *n = &out.nodes[i];
        if (n->kind != PL_NODE_SOFT) continue;
        soft += n->w * n->h;
        cr_assert_eq(n->w, n->h, "square soft macros");
    }
    double cells = 0;
    for (int32_t c = 0; c < cl.nclusters; c++) cells += cl.area[c];
    cr_assert(fabs(soft - cells / 0.5) < 1e-6 * soft, "soft area %g = cell area %g / 0.5", soft, cells);
    /* every net has a driver first and >= 2 distinct endpoints; weights count merged nets */
    for (int64_t n = 0; n < out.nnets; n++) {
        int64_t b = out.net_pin_off[n], e = out.net_pin_off[n + 1];
        cr_assert(e - b >= 2);
        cr_assert_eq(out.net_pins[b], out.nets[n].driver);
        cr_assert(out.nets[n].weight >= 1);
        flat_nets_kept += out.nets[n].weight;
        for (int64_t q = b; q < e; q++) {
            const pl_pin *p = &out.pins[out.net_pins[q]];
            cr_assert_not_null(p->name == NULL && out.nodes[p->node].kind != PL_NODE_PORT ? NULL : "ok");
            if (out.nodes[p->node].kind == PL_NODE_SOFT) cr_assert(p->dx == 0.5 * out.nodes[p->node].w);
        }
    }
    cr_assert(flat_nets_kept <= flat.nnets && out.nnets < flat_nets_kept, "merged: %lld nets for %g", (long long)out.nnets,
              flat_nets_kept);
    pl_netlist_free(&out);
    pl_cluster_free(&cl);
}

/* Byte-identical output for a seed, whatever the thread settings; readable by our CT reader. */
Test(cluster, command_byte_identical_across_threads, .init = NULL, .fini = NULL)
{
    const char *dir = pl_test_tmpdir();
    char cmd[2048], *out, *err;
    const char *env[2] = {"OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2"};
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd,
                 "%s %s cluster designs/demo/demo.def --seed 3 -o %s/n%d.pb.txt --plc %s/n%d.plc --graphml %s/n%d.graphml "
                 "--json",
                 env[k], pl_test_placer(), dir, k, dir, k, dir, k);
        int rc = pl_test_run(cmd, &out, &err);
        cr_assert_eq(rc, 0, "rc %d: %s", rc, err);
        cr_assert(strstr(out, "\"seed\": 3") && strstr(out, "\"clusters\": "), "%s", out);
        free(out), free(err);
    }
    const char *ext[3] = {"pb.txt", "plc", "graphml"};
    for (int e = 0; e < 3; e++) {
        char a[256], b[256];
        snprintf(a, sizeof a, "%s/n0.%s", dir, ext[e]);
        snprintf(b, sizeof b, "%s/n1.%s", dir, ext[e]);
        char *ta = pl_test_slurp(a, NULL), *tb = pl_test_slurp(b, NULL);
        cr_assert_str_eq(ta, tb, "%s differs between thread settings", ext[e]);
        if (e == 2) cr_assert(strstr(ta, "<graphml") && strstr(ta, "weight"));
        free(ta), free(tb);
    }
    /* the output reads back: 16 macros, 64 ports, soft macros */
    pl_netlist nl;
    pl_netlist_init(&nl);
    char p[256];
    snprintf(p, sizeof p, "%s/n0.pb.txt", dir);
    cr_assert_eq(pl_ctpb_read(&nl, p), PL_OK, "%s", pl_errmsg());
    pl_netlist_stats st;
    pl_netlist_stats_compute(&nl, &st);
    cr_assert(st.macros == 16 && st.io_pins == 64 && st.soft_macros > 20);
    pl_netlist_free(&nl);
}

static double json_num(const char *s, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(s, k);
    cr_assert_not_null(p, "%s missing: %s", key, s);
    return strtod(p + strlen(k), NULL);
}

Test(cluster, eval_def_auto_grid_deterministic)
{
    char cmd[1024], *o1, *o2, *err;
    snprintf(cmd, sizeof cmd, "%s eval designs/demo/demo.def --seed 5 --json", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &o1, &err), 0, "%s", err);
    free(err);
    cr_assert_eq(pl_test_run(cmd, &o2, &err), 0, "%s", err);
    free(err);
    cr_assert_str_eq(o1, o2, "same inputs and seed, same numbers");
    double p = json_num(o1, "proxy_cost"), wl = json_num(o1, "wirelength_cost");
    cr_assert(p > 0 && p < 10 && wl > 0 && wl < 1, "%s", o1);
    cr_assert(strstr(o1, "\"grid_chosen\": true") && strstr(o1, "\"seed\": 5"), "%s", o1);
    cr_assert(strstr(o1, "\"clustering\": \"physical\""), "the default clustering is said: %s", o1);
    free(o2);
    /* --clustering leiden: the connectivity clusters, another cost */
    snprintf(cmd, sizeof cmd, "%s eval designs/demo/demo.def --seed 5 --json --clustering leiden", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &o2, &err), 0, "%s", err);
    free(err);
    cr_assert(strstr(o2, "\"clustering\": \"leiden\""), "%s", o2);
    cr_assert(json_num(o2, "proxy_cost") != p, "%s", o2);
    free(o1), free(o2);
    /* a given grid is used as is */
    snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def --grid 12x11 --json", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &o1, &err), 0, "%s", err);
    cr_assert(strstr(o1, "\"grid\": { \"cols\": 12, \"rows\": 11 }") && strstr(o1, "\"grid_chosen\": false"), "%s", o1);
    free(o1), free(err);
}
