/* cmd_place.c: `placer place` (also `placer DESIGN.def`): place the macros of a DEF design. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parsers/def.h"
#include "placer/commands.h"
#include "core/events.h"
#include "core/json.h"
#include "core/log.h"
#include "core/netlist.h"
#include "rl/policy.h"
#include "search/legalize.h"
#include "search/place.h"
#include "viz/render.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer [place] DESIGN.def [--lef FILE]... [-o OUT.def] [--report OUT.json] [--image OUT.png]\n"
            "              [--policy none|uniform|FILE] [--seed N] [--effort fast|default|high]\n"
            "              [--time-limit SEC] [--device auto|cpu|cuda] [--threads N]\n\n"
            "Places the hard macros of a DEF design and writes the DEF back with the macros FIXED at\n"
            "legal positions (inside the core, on the site/row grid, no overlap, halos, fixed macros and\n"
            "placement blockages kept); standard cells and everything else are left as they were.\n\n"
            "Pipeline: the design is clustered and costed as `placer eval` does (same seed, same grid);\n"
            "search: sampled rollouts place the macros one by one on legal grid cells, drawing each cell\n"
            "from the prior, the best by proxy cost are re-costed after force-directed placement (FD) of\n"
            "the soft macros; refine: simulated annealing of the macros (shifts, swaps, flips) on the\n"
            "incremental proxy cost, one chain per start, the soft macros re-placed by FD after each\n"
            "round; then legalisation, and the proxy cost of the result as `placer eval OUT.def` reports it.\n\n"
            "options:\n"
            "  -o, --output FILE   output DEF (.gz: gzipped; default: DESIGN_placed.def in the current folder)\n"
            "  --lef FILE          LEF, technology first; repeat. Default: the *.tlef/*.lef beside the DEF\n"
            "  --report FILE       JSON report: proxy cost and components per stage, macro HPWL, times,\n"
            "                      seed, policy, grid, effort\n"
            "  --json              print the report on stdout instead of the text summary\n"
            "  --image FILE        image of the result (PNG, SVG or PDF; needs Cairo)\n"
            "  --policy P          the search's prior. FILE = a trained policy checkpoint (`placer train`):\n"
            "                      a cell's weight is the policy's probability times the wire-mask term\n"
            "                      below (see --policy-wire). Default: the policy shipped with placer\n"
            "                      (policies/default.ckpt, installed in PREFIX/share/placer/), or 'none'\n"
            "                      with a note when it is missing. 'none' = the wire-mask prior alone (a\n"
            "                      cell's weight falls with the HPWL its macro adds there, WireMask-BBO's\n"
            "                      greedy signal; rollout 0 is its greedy placement); 'uniform' = uniform\n"
            "                      over the legal cells, same search\n"
            "  --policy-wire W     with a policy FILE: weight = p x exp(-W (wire - min) / (T spread)); 0 =\n"
            "                      the policy alone (default 1)\n"
            "  --seed N            the one seed: clustering and FD (as eval), rollouts, annealing (default 1)\n"
            "  --effort E          fast (about 30 s), default (about 5 min) or high (about 20 min) for an\n"
            "                      Ariane-size design; smaller designs finish sooner (budgets scale with\n"
            "                      the number of macros)\n"
            "  --time-limit SEC    override the effort's time limit; 0 = none: budgets are move counts and\n"
            "                      the result depends only on the inputs and the seed. With a time limit\n"
            "                      the result depends on the machine's speed.\n"
            "  --device D          auto, cpu or cuda: the policy, the search and the cost run on the CPU\n"
            "  --threads N         worker threads for rollouts and refinement chains (default: CPUs, <= 16);\n"
            "                      results do not depend on it when there is no time limit\n"
            "tuning (override the effort's):\n"
            "  --rollouts N  --keep N  --chains N  --rounds N  --moves-per-macro N  --temperature T\n"
            "  --fd-start 0|1      1: the prepared (FD) macro positions compete as a start (default 1; 0\n"
            "                      with --chains 0 measures the rollouts alone)\n"
            "  --grid COLSxROWS    placement grid (default: Circuit Training's choice, as eval)\n"
            "  --soft-placer P     analytic (default) or ct: the soft-macro placement the cost uses (as eval)\n"
            "  --clusters N        soft macros wanted (as eval --clusters)\n"
            "  --congestion-grid G legacy (default) or 2023: the cost optimised, as eval's option\n"
            "  -h, --help          this text\n");
}

typedef struct place_opts {
    const char *design, *out, *report, *image, *policy, *device;
    const char *lefs[64];
    int nlef, json, threads, grid_cols, grid_rows, clusters, grid2023, soft_ct;
    unsigned long long seed;
    const char *effort;
    double time_limit;
    int have_time_limit;
    long rollouts, keep, chains, rounds;
    long long moves_per_macro;
    double temperature, policy_wire;
    int policy_given, fd_start;
} place_opts;

static pl_status need_arg(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) return pl_err(PL_EINVAL, "place: %s needs a value (see placer place --help)", opt);
    return PL_OK;
}

static pl_status parse_long(const char *opt, const char *v, long long lo, long long hi, long long *out)
{
    char *e;
    errno = 0;
    long long k = strtoll(v, &e, 10);
    if (e == v || *e || errno || k < lo || k > hi)
        return pl_err(PL_EINVAL, "place: %s wants an integer in [%lld, %lld], not '%s'", opt, lo, hi, v);
    *out = k;
    return PL_OK;
}

static pl_status parse_args(int argc, char **argv, place_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    *help = 0;
    o->seed = 1;
    o->effort = "default";
    o->policy = "default";
    o->policy_wire = 1;
    o->fd_start = -1;
    o->device = "auto";
    o->rollouts = o->keep = o->chains = o->rounds = -1;
    o->moves_per_macro = -1;
    o->temperature = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long long k;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            *help = 1;
            return PL_OK;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            PL_TRY(need_arg(i, argc, a));
            o->out = argv[++i];
        } else if (!strcmp(a, "--lef")) {
            PL_TRY(need_arg(i, argc, a));
            if (o->nlef == 64) return pl_err(PL_EINVAL, "place: too many --lef files (at most 64)");
            o->lefs[o->nlef++] = argv[++i];
        } else if (!strcmp(a, "--report")) {
            PL_TRY(need_arg(i, argc, a));
            o->report = argv[++i];
        } else if (!strcmp(a, "--image")) {
            PL_TRY(need_arg(i, argc, a));
            o->image = argv[++i];
        } else if (!strcmp(a, "--policy")) {
            PL_TRY(need_arg(i, argc, a));
            o->policy = argv[++i];
            o->policy_given = 1;
        } else if (!strcmp(a, "--device")) {
            PL_TRY(need_arg(i, argc, a));
            o->device = argv[++i];
            if (strcmp(o->device, "auto") && strcmp(o->device, "cpu") && strcmp(o->device, "cuda"))
                return pl_err(PL_EINVAL, "place: --device wants auto, cpu or cuda, not '%s'", o->device);
        } else if (!strcmp(a, "--effort")) {
            PL_TRY(need_arg(i, argc, a));
            o->effort = argv[++i];
        } else if (!strcmp(a, "--seed")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            char *e;
            errno = 0;
            o->seed = strtoull(v, &e, 0);
            if (*e || e == v || v[0] == '-' || errno)
                return pl_err(PL_EINVAL, "place: --seed wants a non-negative integer, not '%s'", v);
        } else if (!strcmp(a, "--policy-wire")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            char *e;
            double d = strtod(v, &e);
            if (*e || e == v || !(d >= 0) || d > 1e6)
                return pl_err(PL_EINVAL, "place: --policy-wire wants a number >= 0, not '%s'", v);
            o->policy_wire = d;
        } else if (!strcmp(a, "--time-limit") || !strcmp(a, "--temperature")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            char *e;
            double d = strtod(v, &e);
            if (*e || e == v || !(d >= 0) || d > 1e9)
                return pl_err(PL_EINVAL, "place: %s wants a number >= 0, not '%s'", a, v);
            if (a[2] == 't' && a[3] == 'i') o->time_limit = d, o->have_time_limit = 1;
            else o->temperature = d;
        } else if (!strcmp(a, "--threads")) {
            PL_TRY(need_arg(i, argc, a));
            PL_TRY(parse_long(a, argv[++i], 1, 64, &k));
            o->threads = (int)k;
        } else if (!strcmp(a, "--rollouts") || !strcmp(a, "--keep") || !strcmp(a, "--chains") ||
                   !strcmp(a, "--rounds") || !strcmp(a, "--clusters")) {
            PL_TRY(need_arg(i, argc, a));
            int zero_ok = !strcmp(a, "--rollouts") || !strcmp(a, "--chains");
            PL_TRY(parse_long(a, argv[++i], zero_ok ? 0 : 1, 1000000, &k));
            if (!strcmp(a, "--rollouts")) o->rollouts = (long)k;
            else if (!strcmp(a, "--keep")) o->keep = (long)k;
            else if (!strcmp(a, "--chains")) o->chains = (long)k;
            else if (!strcmp(a, "--rounds")) o->rounds = (long)k;
            else o->clusters = (int)k;
        } else if (!strcmp(a, "--fd-start")) {
            PL_TRY(need_arg(i, argc, a));
            PL_TRY(parse_long(a, argv[++i], 0, 1, &k));
            o->fd_start = (int)k;
        } else if (!strcmp(a, "--moves-per-macro")) {
            PL_TRY(need_arg(i, argc, a));
            PL_TRY(parse_long(a, argv[++i], 0, 1000000000000LL, &k));
            o->moves_per_macro = k;
        } else if (!strcmp(a, "--congestion-grid")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            if (!strcmp(v, "2023")) o->grid2023 = 1;
            else if (!strcmp(v, "legacy")) o->grid2023 = 0;
            else return pl_err(PL_EINVAL, "place: --congestion-grid wants 2023 or legacy, not '%s'", v);
        } else if (!strcmp(a, "--soft-placer")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            if (!strcmp(v, "ct")) o->soft_ct = 1;
            else if (!strcmp(v, "analytic")) o->soft_ct = 0;
            else return pl_err(PL_EINVAL, "place: --soft-placer wants analytic or ct, not '%s'", v);
        } else if (!strcmp(a, "--grid")) {
            PL_TRY(need_arg(i, argc, a));
            const char *v = argv[++i];
            int c, r, used = 0;
            if (sscanf(v, "%dx%d%n", &c, &r, &used) != 2 || v[used] || c < 1 || r < 1 || c > 1024 || r > 1024)
                return pl_err(PL_EINVAL, "place: --grid wants COLSxROWS such as 24x21, not '%s'", v);
            o->grid_cols = c, o->grid_rows = r;
        } else if (a[0] == '-' && a[1]) {
            return pl_err(PL_EINVAL, "place: unknown option '%s' (see placer place --help)", a);
        } else if (!o->design) {
            o->design = a;
        } else {
            return pl_err(PL_EINVAL, "place: unexpected argument '%s' (one DESIGN only)", a);
        }
    }
    if (!o->design) return pl_err(PL_EINVAL, "place: no DESIGN.def given (see placer place --help)");
    return PL_OK;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* DESIGN_placed.def in the current folder, from the DEF's file name. */
static void default_output(const char *design, char *buf, size_t len)
{
    const char *base = strrchr(design, '/');
    base = base ? base + 1 : design;
    size_t n = strlen(base);
    if (ends_with(base, ".def.gz")) n -= 7;
    else if (ends_with(base, ".def")) n -= 4;
    snprintf(buf, len, "%.*s_placed.def", (int)n, base);
}

/* ---- a trained policy as the search's prior (rl/policy.h through search/prior.h's mix) ----
 *
 * The search calls the prior from its worker threads with the clustered netlist of its cost; the
 * policy's view of that design is built on the first call (under the lock) and each call borrows one
 * work slot from a pool, so the network runs on any number of threads without sharing buffers. */

enum { POLICY_SLOTS = 64 };

typedef struct policy_slot {
    pl_policy_work w;
    double *xy; /* (nsteps, 2) */
} policy_slot;

typedef struct policy_glue {
    pl_policy pol;
    const char *path;
    pthread_mutex_t lock;
    const pl_netlist *nl; /* the design d was built for */
    int has_design;
    pl_policy_design d;
    policy_slot *slot[POLICY_SLOTS];
    int nslots, nidle;
    policy_slot *idle[POLICY_SLOTS];
    pl_prior_mix mix;
} policy_glue;

static void policy_slot_free(policy_slot *sl)
{
    if (!sl) return;
    pl_policy_work_free(&sl->w);
    free(sl->xy);
    free(sl);
}

static void policy_glue_free(policy_glue *g)
{
    for (int i = 0; i < g->nslots; i++) policy_slot_free(g->slot[i]);
    g->nslots = g->nidle = 0;
    if (g->has_design) pl_policy_design_free(&g->d);
    g->has_design = 0;
    pl_policy_free(&g->pol);
    pthread_mutex_destroy(&g->lock);
}

/* Under the lock: the design view (first call) and an idle slot. */
static pl_status policy_take(policy_glue *g, const pl_prior_state *st, policy_slot **out)
{
    const pl_cost *c = st->cost;
    if (!g->has_design) {
        PL_TRY(pl_policy_design_init(&g->d, c->nl, c->gw * st->cols, c->gh * st->rows, st->cols, st->rows, st->order,
                                     st->nsteps));
        g->has_design = 1;
        g->nl = c->nl;
    } else if (g->nl != c->nl || g->d.nsteps != st->nsteps) {
        return pl_err(PL_EINVAL, "place: policy %s: one prior serves one design", g->path);
    }
    if (g->nidle > 0) {
        *out = g->idle[--g->nidle];
        return PL_OK;
    }
    if (g->nslots == POLICY_SLOTS) return pl_err(PL_EINVAL, "place: policy %s: more than %d threads", g->path, POLICY_SLOTS);
    policy_slot *sl = calloc(1, sizeof *sl);
    if (!sl) return pl_err(PL_ENOMEM, "place: out of memory for the policy");
    sl->xy = malloc(sizeof *sl->xy * 2 * (size_t)(st->nsteps + 1));
    pl_status s = sl->xy ? pl_policy_work_init(&sl->w, &g->d) : pl_err(PL_ENOMEM, "place: out of memory for the policy");
    if (s != PL_OK) {
        free(sl->xy);
        free(sl);
        return s;
    }
    g->slot[g->nslots++] = sl;
    *out = sl;
    return PL_OK;
}

static pl_status policy_probs(void *user, const pl_prior_state *st, double *prob)
{
    policy_glue *g = user;
    policy_slot *sl = NULL;
    pthread_mutex_lock(&g->lock);
    pl_status s = policy_take(g, st, &sl);
    pthread_mutex_unlock(&g->lock);
    PL_TRY(s);
    const pl_cost *c = st->cost;
    for (int32_t j = 0; j < st->step; j++) {
        sl->xy[2 * j] = ((double)(st->cells[j] % st->cols) + 0.5) * c->gw;
        sl->xy[2 * j + 1] = ((double)(st->cells[j] / st->cols) + 0.5) * c->gh;
    }
    double mass;
    s = pl_policy_probs(&g->pol, &g->d, &sl->w, st->step, sl->xy, st->mask, prob, &mass);
    pthread_mutex_lock(&g->lock);
    g->idle[g->nidle++] = sl;
    pthread_mutex_unlock(&g->lock);
    return s;
}

static pl_status policy_glue_init(policy_glue *g, const char *path, double wire_weight)
{
    memset(g, 0, sizeof *g);
    pthread_mutex_init(&g->lock, NULL);
    g->path = path;
    pl_status s = pl_policy_load(&g->pol, path);
    if (s != PL_OK) {
        pthread_mutex_destroy(&g->lock);
        return s;
    }
    pl_prior_mix_init(&g->mix, policy_probs, g, path);
    g->mix.wire_weight = wire_weight;
    return PL_OK;
}

/* The default policy: policies/default.ckpt beside the build folder (a source tree) or
 * share/placer/default.ckpt beside the bin folder (make install). 0 when neither is there. */
static int default_policy(char *buf, size_t len, char *tried, size_t tlen)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    tried[0] = 0;
    if (n <= 0) return 0;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return 0;
    *slash = 0;
    static const char *const rel[] = {"../policies/default.ckpt", "../share/placer/default.ckpt"};
    size_t used = 0;
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(buf, len, "%s/%s", exe, rel[i]);
        char canon[PATH_MAX];
        if (access(buf, R_OK) == 0) {
            if (realpath(buf, canon) && strlen(canon) < len) memcpy(buf, canon, strlen(canon) + 1);
            return 1;
        }
        int k = snprintf(tried + used, tlen - used, "%s%s", i ? ", " : "", buf);
        if (k > 0 && (size_t)k < tlen - used) used += (size_t)k;
    }
    return 0;
}

/* Progress on stderr when it is a terminal: one line rewritten in place. */
typedef struct progress_state {
    const char *stage;
    double t0;
} progress_state;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress(void *user, const char *stage, double done, double best)
{
    progress_state *p = user;
    if (p->stage && strcmp(p->stage, stage) != 0) fputc('\n', stderr);
    p->stage = stage;
    fprintf(stderr, "\r[place] %-7s %3.0f%%", stage, 100 * done);
    if (best == best) fprintf(stderr, "  best proxy %.4f", best);
    fprintf(stderr, "  %.0f s ", now_s() - p->t0);
    fflush(stderr);
}

static void json_stage(FILE *f, const pl_place_stage *s)
{
    fprintf(f, "    {\"name\": ");
    pl_json_str(f, s->name);
    fprintf(f, ", \"proxy_cost\": ");
    pl_json_num(f, s->terms.proxy_cost);
    fprintf(f, ", \"wirelength_cost\": ");
    pl_json_num(f, s->terms.wirelength_cost);
    fprintf(f, ", \"density_cost\": ");
    pl_json_num(f, s->terms.density_cost);
    fprintf(f, ", \"congestion_cost\": ");
    pl_json_num(f, s->terms.congestion_cost);
    fprintf(f, ", \"wirelength\": ");
    pl_json_num(f, s->terms.wirelength);
    fprintf(f, ", \"macro_hpwl\": ");
    pl_json_num(f, s->macro_hpwl);
    fprintf(f, ", \"seconds\": ");
    pl_json_num(f, s->seconds);
    fprintf(f, "}");
}

typedef struct run_info {
    const place_opts *o;
    const pl_place_config *cfg;
    const pl_place_result *res;
    const pl_netlist *nl;
    const char *out, *prior;
    double read_s, write_s, total_s;
    int violations;
    long long policy_states, policy_fallbacks; /* a learned policy: states it was asked, uniform fallbacks */
} run_info;

static void json_report(FILE *f, const run_info *ri)
{
    const pl_place_result *r = ri->res;
    const pl_place_config *c = ri->cfg;
    fprintf(f, "{\n  \"design\": ");
    pl_json_str(f, ri->nl->design ? ri->nl->design : "");
    fprintf(f, ",\n  \"def\": ");
    pl_json_str(f, ri->o->design);
    fprintf(f, ",\n  \"output\": ");
    pl_json_str(f, ri->out);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"effort\": ", (unsigned long long)c->seed);
    pl_json_str(f, c->effort);
    fprintf(f, ",\n  \"time_limit\": ");
    pl_json_num(f, c->time_limit);
    fprintf(f, ",\n  \"deterministic\": %s,\n  \"time_limited\": %s,\n  \"threads\": %d,\n  \"device\": \"cpu\"",
            c->time_limit > 0 ? "false" : "true", r->time_limited ? "true" : "false", c->threads);
    fprintf(f, ",\n  \"policy\": ");
    pl_json_str(f, ri->o->policy);
    fprintf(f, ",\n  \"prior\": ");
    pl_json_str(f, ri->prior);
    fprintf(f, ",\n  \"grid\": {\"cols\": %d, \"rows\": %d},\n  \"congestion_grid\": \"%s\",\n  \"clusters\": %d",
            r->cols, r->rows, c->dc.grid2023 ? "2023" : "legacy", r->clusters);
    fprintf(f, ",\n  \"macros\": {\"movable\": %d, \"fixed\": %d}", (int)r->movable, (int)r->fixed);
    fprintf(f, ",\n  \"search\": {\"rollouts\": %lld, \"feasible\": %lld, \"keep\": %d, \"temperature\": ",
            (long long)r->rollouts, (long long)r->feasible, c->keep);
    pl_json_num(f, c->temperature);
    fprintf(f, ", \"fd_start\": %s, \"policy_states\": %lld, \"policy_fallbacks\": %lld}",
            c->fd_start ? "true" : "false", ri->policy_states, ri->policy_fallbacks);
    fprintf(f, ",\n  \"refine\": {\"chains\": %d, \"best_chain\": %d, \"rounds\": %d, \"moves\": %lld, "
            "\"accepted\": %lld, \"flips\": %s}", r->chains, r->best_chain, c->rounds, (long long)r->moves,
            (long long)r->accepted, r->flips ? "true" : "false");
    fprintf(f, ",\n  \"legalize\": {\"moved\": %d, \"total_displacement\": ", (int)r->legal.moved);
    pl_json_num(f, r->legal.total_disp);
    fprintf(f, ", \"max_displacement\": ");
    pl_json_num(f, r->legal.max_disp);
    fprintf(f, ", \"violations\": %d}", ri->violations);
    fprintf(f, ",\n  \"stages\": [\n");
    for (int i = 0; i < r->nstages; i++) {
        json_stage(f, &r->stage[i]);
        fprintf(f, i + 1 < r->nstages ? ",\n" : "\n");
    }
    const pl_place_stage *last = r->nstages ? &r->stage[r->nstages - 1] : NULL;
    fprintf(f, "  ],\n  \"proxy_cost\": ");
    pl_json_num(f, last ? last->terms.proxy_cost : 0);
    fprintf(f, ",\n  \"seconds\": {\"read\": ");
    pl_json_num(f, ri->read_s);
    fprintf(f, ", \"place\": ");
    pl_json_num(f, r->seconds);
    fprintf(f, ", \"write\": ");
    pl_json_num(f, ri->write_s);
    fprintf(f, ", \"total\": ");
    pl_json_num(f, ri->total_s);
    fprintf(f, "}\n}\n");
}

/* Writes the report through a temporary file renamed into place. */
static pl_status write_report(const char *path, const run_info *ri)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return pl_err(PL_EINVAL, "place: report path too long");
    FILE *f = fopen(tmp, "w");
    if (!f) return pl_err(PL_EIO, "%s: cannot write: %s", path, strerror(errno));
    json_report(f, ri);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return pl_err(PL_EIO, "%s: write failed", path);
    }
    return PL_OK;
}

static void text_summary(const run_info *ri)
{
    const pl_place_result *r = ri->res;
    printf("design      %s (%d movable macros, %d fixed)\n", ri->nl->design ? ri->nl->design : "", (int)r->movable,
           (int)r->fixed);
    printf("policy      %s (prior %s), seed %llu, effort %s, grid %dx%d, %d soft macros\n", ri->o->policy, ri->prior,
           (unsigned long long)ri->cfg->seed, ri->cfg->effort, r->cols, r->rows, r->clusters);
    printf("%-10s %10s %10s %10s %10s %14s %8s\n", "stage", "proxy", "wirelength", "density", "congestion",
           "macro_hpwl", "seconds");
    for (int i = 0; i < r->nstages; i++) {
        const pl_place_stage *s = &r->stage[i];
        printf("%-10s %10.4f %10.4f %10.4f %10.4f %14.1f %8.1f\n", s->name, s->terms.proxy_cost,
               s->terms.wirelength_cost, s->terms.density_cost, s->terms.congestion_cost, s->macro_hpwl, s->seconds);
    }
    printf("output      %s (%d macros legalised, max displacement %.3f um)\n", ri->out, (int)r->legal.moved,
           r->legal.max_disp);
    printf("time        %.1f s%s\n", ri->total_s, r->time_limited ? " (time-limited)" : "");
}

pl_status pl_cmd_place(int argc, char **argv)
{
    place_opts o;
    int help;
    PL_TRY(parse_args(argc, argv, &o, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    double t0 = now_s();
    if (!ends_with(o.design, ".def") && !ends_with(o.design, ".def.gz"))
        return pl_err(PL_EINVAL, "place: DESIGN must be a DEF (.def or .def.gz), not '%s'", o.design);
    FILE *probe = fopen(o.design, "rb");
    if (!probe) return pl_err(PL_EIO, "place: cannot read %s: %s", o.design, strerror(errno));
    fclose(probe);
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    PL_TRY(pl_place_config_effort(&cfg, o.effort));
    if (o.image && !pl_render_available())
        return pl_err(PL_ENOTSUP, "place: --image needs Cairo, which this build lacks (make deps, then rebuild)");
    char defpath[PATH_MAX + 64], tried[2 * PATH_MAX + 128];
    if (!o.policy_given) {
        if (default_policy(defpath, sizeof defpath, tried, sizeof tried)) {
            o.policy = defpath;
        } else {
            fprintf(stderr, "[place] note: no default policy (looked for %s); using --policy none\n",
                    tried[0] ? tried : "policies/default.ckpt");
            o.policy = "none";
        }
    }
    policy_glue *glue = NULL;
    if (!strcmp(o.policy, "none") || !strcmp(o.policy, "wiremask")) {
        cfg.prior = pl_prior_wiremask();
    } else if (!strcmp(o.policy, "uniform")) {
        cfg.prior = pl_prior_uniform();
    } else {
        glue = malloc(sizeof *glue);
        if (!glue) return pl_err(PL_ENOMEM, "place: out of memory");
        pl_status ps = policy_glue_init(glue, o.policy, o.policy_wire);
        if (ps != PL_OK) {
            free(glue);
            return ps;
        }
        cfg.prior = pl_prior_mix_get(&glue->mix);
    }
    const char *prior_name = cfg.prior.name;
    if (!strcmp(o.device, "cuda")) pl_info("place", "--device cuda: the policy and the search run on the CPU");
    cfg.seed = o.seed;
    if (o.have_time_limit) cfg.time_limit = o.time_limit;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.threads = o.threads ? o.threads : (int)(cpus < 1 ? 1 : cpus > 16 ? 16 : cpus);
    if (o.rollouts >= 0) cfg.rollouts = (int)o.rollouts;
    if (o.keep > 0) cfg.keep = (int)o.keep;
    if (o.chains >= 0) cfg.chains = (int)o.chains;
    if (o.rounds > 0) cfg.rounds = (int)o.rounds;
    if (o.moves_per_macro >= 0) cfg.moves_per_macro = o.moves_per_macro;
    if (o.temperature >= 0) cfg.temperature = o.temperature;
    if (o.fd_start >= 0) cfg.fd_start = o.fd_start;
    cfg.dc.cols = o.grid_cols, cfg.dc.rows = o.grid_rows;
    cfg.dc.clusters = o.clusters;
    cfg.dc.grid2023 = o.grid2023;
    cfg.dc.soft_ct = o.soft_ct;
    char outbuf[4096];
    const char *out = o.out;
    if (!out) {
        default_output(o.design, outbuf, sizeof outbuf);
        out = outbuf;
    }

    pl_netlist nl;
    pl_netlist_init(&nl);
    pl_status s = pl_design_read(&nl, o.design, o.lefs, o.nlef);
    double t_read = now_s();
    pl_event_bus bus;
    pl_event_bus_init(&bus);
    pl_render_sink rs;
    if (s == PL_OK && o.image) {
        pl_render_config rc;
        pl_render_config_default(&rc);
        rc.subtitle = "placer place";
        pl_render_sink_init(&rs, o.image, &rc);
        rs.kinds = PL_EVENT_BIT(PL_EVENT_PLACEMENT_DONE);
        s = pl_event_bus_subscribe(&bus, pl_render_sink_get(&rs));
        cfg.bus = &bus;
    }
    progress_state ps = {NULL, t0};
    if (isatty(2) && pl_log_get_level() >= PL_LOG_WARN) {
        cfg.progress = progress;
        cfg.progress_user = &ps;
    }
    pl_info("place", "%s: seed %llu, effort %s, time limit %g s, %d threads, prior %s", o.design,
            (unsigned long long)cfg.seed, cfg.effort, cfg.time_limit, cfg.threads, prior_name);
    pl_place_result res;
    memset(&res, 0, sizeof res);
    if (s == PL_OK) s = pl_place_run(&nl, &cfg, &res);
    if (ps.stage) fputc('\n', stderr);
    run_info ri = {&o, &cfg, &res, &nl, out, prior_name, t_read - t0, 0, 0, 0, 0, 0};
    if (glue) ri.policy_states = atomic_load(&glue->mix.calls), ri.policy_fallbacks = atomic_load(&glue->mix.fallbacks);
    if (s == PL_OK) {
        char msg[512];
        ri.violations = pl_legalize_check(&nl, &cfg.legal, msg, sizeof msg);
        if (ri.violations)
            s = pl_err(PL_EINVAL, "place: the result is not legal (%d violations: %s); nothing written", ri.violations,
                       msg);
    }
    double t_w = now_s();
    if (s == PL_OK) s = pl_def_write(&nl, out);
    ri.write_s = now_s() - t_w;
    ri.total_s = now_s() - t0;
    if (s == PL_OK && o.report) s = write_report(o.report, &ri);
    if (s == PL_OK) {
        if (o.json) json_report(stdout, &ri);
        else text_summary(&ri);
    }
    if (glue) {
        long long fb = atomic_load(&glue->mix.fallbacks), calls = atomic_load(&glue->mix.calls);
        if (fb > 0) pl_warn("place", "policy %s: uniform fallback in %lld of %lld states", o.policy, fb, calls);
        policy_glue_free(glue);
        free(glue);
    }
    pl_netlist_free(&nl);
    return s;
}
