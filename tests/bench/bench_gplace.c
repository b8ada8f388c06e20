/* bench_gplace.c: standard-cell global placement (gplace/) on the shared 100k-cell designs, macros
 * fixed where a reference placement puts them. Prints one line per design:
 *   bench gplace design=NAME cells=N bins=B threads=2 runs=1 median_s=S target_s=T ratio=S/T hpwl=H overflow=O iters=I
 * asap7_ariane133 takes its macros from refs/SA/ariane_fp_placed_macros.def. ng45_mempool_tile's DEF
 * leaves its 20 macros unplaced, so they come from refs/Innovus_CMP/mempool_tile_wrap_fp_placed_macros.def,
 * whose instance names are Genus's (gen_banks\[15\].mem_bank/genblk1.sram_instance for this DEF's
 * gen_banks_15__mem_bank/genblk1_sram_instance): the names are translated first. Macros become FIXED
 * with the reference's HALOs. The DEF read is not timed. One run per design: each takes well over
 * 20 s, so median_s is that run (runs=1). A missing design prints skipped=absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "gplace/gplace.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "tests/bench/benchutil.h"
#include "tests/shared_designs.h"

typedef struct bench_case {
    const char *name, *ref;
    int genus_names; /* 1: the reference uses Genus instance names */
    double target_s;
} bench_case;

/* One component name of the reference in this DEF's spelling: "\[N\]." -> "_N__", "." -> "_". */
static void genus_to_dc(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 3 < cap; i++) {
        if (in[i] == '\\' && i + 1 < n && in[i + 1] == '[') {
            out[o++] = '_', i++;
        } else if (in[i] == '\\' && i + 2 < n && in[i + 1] == ']' && in[i + 2] == '.') {
            out[o++] = '_', out[o++] = '_', i += 2;
        } else {
            out[o++] = in[i] == '.' ? '_' : in[i];
        }
    }
    out[o] = 0;
}

/* Copies the reference DEF to `out` (names translated when asked) and sets the HALO of every
 * component it names in nl (DEF units converted with its UNITS line). Returns 0 on failure. */
static int copy_ref(pl_netlist *nl, const char *ref, int genus, const char *out)
{
    FILE *in = fopen(ref, "r"), *o = fopen(out, "w");
    if (!in || !o) {
        if (in) fclose(in);
        if (o) fclose(o);
        return 0;
    }
    char line[4096], name[2048];
    double dbu = 1000;
    int32_t node = -1;
    while (fgets(line, sizeof line, in)) {
        double h[4];
        if (sscanf(line, "UNITS DISTANCE MICRONS %lf", &h[0]) == 1) dbu = h[0];
        const char *p = line;
        while (*p == ' ') p++;
        if (p[0] == '-' && p[1] == ' ') {
            const char *b = p + 2, *e = b;
            while (*e && *e != ' ' && *e != '\n') e++;
            if (genus) {
                genus_to_dc(b, (size_t)(e - b), name, sizeof name);
            } else {
                snprintf(name, sizeof name, "%.*s", (int)(e - b), b);
            }
            node = pl_netlist_find_node(nl, name);
            fprintf(o, "%.*s- %s%s", (int)(p - line), line, name, e);
            continue;
        }
        if (node >= 0 && sscanf(p, "+ HALO %lf %lf %lf %lf", &h[0], &h[1], &h[2], &h[3]) == 4)
            for (int k = 0; k < 4; k++) nl->nodes[node].halo[k] = h[k] / dbu;
        fputs(line, o);
    }
    fclose(in);
    return fclose(o) == 0;
}

/* Reads the design and fixes its macros where the reference puts them; 0 with a reason on failure. */
static int load(pl_netlist *nl, const char *shared, const pl_shared_design *d, const bench_case *bc, char *why,
                size_t nwhy)
{
    char def[1024], lefs[6][1024], ref[1024], tmp[] = "/tmp/pl_bench_gplace_XXXXXX";
    const char *lp[6];
    int nlef = 0;
    snprintf(def, sizeof def, "%s/%s", shared, d->def);
    snprintf(ref, sizeof ref, "%s/designs/%s/refs/%s", shared, d->name, bc->ref);
    for (; d->lefs[nlef]; nlef++) snprintf(lefs[nlef], sizeof lefs[nlef], "%s/%s", shared, d->lefs[nlef]), lp[nlef] = lefs[nlef];
    if (pl_design_read(nl, def, lp, nlef) != PL_OK) return snprintf(why, nwhy, "%s", pl_errmsg()), 0;
    int fd = mkstemp(tmp);
    if (fd < 0) return snprintf(why, nwhy, "no temporary file"), 0;
    close(fd);
    pl_def_placement_stats ps;
    int ok = copy_ref(nl, ref, bc->genus_names, tmp) && pl_def_placement_apply(nl, tmp, &ps) == PL_OK;
    remove(tmp);
    if (!ok) return snprintf(why, nwhy, "reference %s: %s", ref, pl_errmsg()), 0;
    int64_t macros = 0, fixed = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *n = &nl->nodes[i];
        if (n->kind != PL_NODE_MACRO) continue;
        macros++;
        if (n->state != PL_PLACE_UNPLACED) n->state = PL_PLACE_FIXED, fixed++;
    }
    if (fixed < macros) return snprintf(why, nwhy, "%lld of %lld macros unplaced after %s", (long long)(macros - fixed), (long long)macros, ref), 0;
    return 1;
}

static void bench(const char *shared, const bench_case *bc)
{
    const pl_shared_design *d = NULL;
    for (int i = 0; i < PL_NSHARED_DESIGNS; i++)
        if (!strcmp(PL_SHARED_DESIGNS[i].name, bc->name)) d = &PL_SHARED_DESIGNS[i];
    char def[1024], why[1200];
    snprintf(def, sizeof def, "%s/%s", shared, d->def);
    FILE *f = fopen(def, "rb");
    if (!f) {
        printf("bench gplace design=%s skipped=absent\n", d->name);
        return;
    }
    fclose(f);
    pl_netlist nl;
    pl_netlist_init(&nl);
    if (!load(&nl, shared, d, bc, why, sizeof why)) {
        printf("bench gplace design=%s skipped=\"%s\"\n", d->name, why);
        pl_netlist_free(&nl);
        return;
    }
    pl_gplace_config cfg;
    pl_gplace_config_default(&cfg);
    cfg.threads = 2;
    pl_gplace_stats st;
    double t0 = now_s();
    pl_status s = pl_gplace_run(&nl, &cfg, &st);
    double sec = now_s() - t0;
    if (s != PL_OK) {
        printf("bench gplace design=%s failed=\"%s\"\n", d->name, pl_errmsg());
    } else {
        printf("bench gplace design=%s cells=%lld bins=%d threads=%d runs=1 median_s=%.1f target_s=%.0f ratio=%.2f "
               "hpwl=%.0f overflow=%.4f iters=%d\n", d->name, (long long)st.movable, st.bins_x, cfg.threads, sec,
               bc->target_s, sec / bc->target_s, st.hpwl, st.overflow, st.iters);
    }
    fflush(stdout);
    pl_netlist_free(&nl);
}

int main(void)
{
    pl_log_set_level(PL_LOG_QUIET);
    const char *shared = getenv("PL_SHARED");
    if (!shared || !*shared) shared = "../shared";
    static const bench_case cases[] = {
        {"asap7_ariane133", "SA/ariane_fp_placed_macros.def", 0, 60},
        {"ng45_mempool_tile", "Innovus_CMP/mempool_tile_wrap_fp_placed_macros.def", 1, 120},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) bench(shared, &cases[i]);
    return 0;
}
