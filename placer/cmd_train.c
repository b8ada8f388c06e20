/* cmd_train.c: `placer train`: PPO training of the placement policy, locally or over MPI (SEED RL). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gnn/ckpt.h"
#include "placer/commands.h"
#include "core/json.h"
#include "core/log.h"
#include "rl/mpi_seed.h"
#include "rl/train.h"

#ifdef PL_HAVE_MPI
#include <mpi.h>
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "usage: placer train DESIGN... [--suite FILE.xml] [--lef FILE]... -o POLICY.ckpt [options]\n"
            "       mpirun -np N placer train ...   (rank 0 learns and infers, ranks 1..N-1 step environments)\n\n"
            "Trains the placement policy with PPO: each episode places the movable hard macros one by one\n"
            "(largest first) on the design's grid; the reward is -proxy cost after force-directed placement\n"
            "of the soft macros. DESIGN is a Circuit Training netlist (netlist.pb.txt[.gz], with initial.plc\n"
            "beside it) or a DEF (clustered into soft macros first). Several designs share the episodes\n"
            "round-robin; --suite reads designs, LEF files and weights from XML (see docs/training.md).\n"
            "Same inputs and seed, same checkpoint, with or without mpirun and whatever the number of ranks.\n\n"
            "options:\n"
            "  -o FILE                  checkpoint to write (atomically, every --checkpoint-every iterations)\n"
            "  --iterations N           total iterations (default 10)\n"
            "  --episodes-per-iter M    episodes per iteration (default 32)\n"
            "  --seed S                 the run's seed (default 1)\n"
            "  --init FILE              fine-tune from this checkpoint's parameters\n"
            "  --resume                 continue from -o FILE (its seed, Adam state and iteration)\n"
            "  --log FILE               JSON-lines log, one line per iteration\n"
            "  --checkpoint-every K     default 1\n"
            "  --suite FILE.xml         designs of a training suite\n"
            "  --lef FILE               LEF for the DEF designs, technology first; repeat\n"
            "  --plc FILE               placement (.plc) of a single Circuit Training DESIGN\n"
            "  --lr F                   Adam learning rate (default 4e-4)\n"
            "  --epochs N               PPO epochs per iteration (default 4)\n"
            "  --minibatch N            samples per gradient step (default 128)\n"
            "  --entropy F              entropy bonus (default 0.01)\n"
            "  --gae LAMBDA             GAE advantages (default: Monte-Carlo returns, as Circuit Training)\n"
            "  --shaping W              dense reward -W * delta wirelength cost per step (default 0)\n"
            "  --soft fd|keep           soft macros: force-directed (default) or kept where the input has them\n"
            "  --fd-steps N             force-directed steps per stage (default 100)\n"
            "  --order area|netlist     macro order (default area, descending)\n"
            "  --hidden H               network width for a fresh network (default 32)\n"
            "  --clusters N             soft macros for DEF designs (default: cluster/ default)\n"
            "  --slots N                environments per MPI actor (default 2)\n"
            "  --baseline K             also place each design K times uniformly at random (mean, best)\n"
            "  --no-eval                skip the final greedy placement of every design\n"
            "  --json                   print the summary as one JSON object\n"
            "  -h, --help               this text\n");
}

enum { MAX_DESIGNS = 64, MAX_LEFS = PL_ENV_MAX_LEFS };

typedef struct train_opts {
    pl_train_config cfg;
    const char *designs[MAX_DESIGNS];
    int ndesigns;
    const char *suite, *plc;
    const char *lefs[MAX_LEFS];
    int nlef, baseline, json;
} train_opts;

static pl_status need(int i, int argc, const char *opt)
{
    return i + 1 < argc ? PL_OK : pl_err(PL_EINVAL, "train: %s needs a value (see placer train --help)", opt);
}

static pl_status num(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *e;
    *out = strtod(v, &e);
    if (e == v || *e || !(*out >= lo && *out <= hi))
        return pl_err(PL_EINVAL, "train: %s wants a number in [%g, %g], not '%s'", opt, lo, hi, v);
    return PL_OK;
}

static pl_status parse(int argc, char **argv, train_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    pl_train_config_default(&o->cfg);
    pl_train_config *c = &o->cfg;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        double v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            *help = 1;
            return PL_OK;
        } else if (!strcmp(a, "--resume")) c->resume = 1;
        else if (!strcmp(a, "--no-eval")) c->greedy_eval = 0;
        else if (!strcmp(a, "--json")) o->json = 1;
        else if (a[0] == '-' && a[1]) {
            PL_TRY(need(i, argc, a));
            const char *val = argv[++i];
            if (!strcmp(a, "-o")) c->out = val;
            else if (!strcmp(a, "--log")) c->log = val;
            else if (!strcmp(a, "--init")) c->init = val;
            else if (!strcmp(a, "--suite")) o->suite = val;
            else if (!strcmp(a, "--plc")) o->plc = val;
            else if (!strcmp(a, "--lef")) {
                if (o->nlef == MAX_LEFS) return pl_err(PL_EINVAL, "train: at most %d --lef files", MAX_LEFS);
                o->lefs[o->nlef++] = val;
            } else if (!strcmp(a, "--seed")) {
                char *e;
                c->seed = strtoull(val, &e, 0);
                if (*e || e == val || val[0] == '-')
                    return pl_err(PL_EINVAL, "train: --seed wants a non-negative integer, not '%s'", val);
            } else if (!strcmp(a, "--iterations")) { PL_TRY(num(a, val, 0, 1e9, &v)); c->iterations = (int)v; }
            else if (!strcmp(a, "--episodes-per-iter")) { PL_TRY(num(a, val, 1, 1e7, &v)); c->episodes = (int)v; }
            else if (!strcmp(a, "--checkpoint-every")) { PL_TRY(num(a, val, 1, 1e9, &v)); c->ckpt_every = (int)v; }
            else if (!strcmp(a, "--slots")) { PL_TRY(num(a, val, 1, 64, &v)); c->slots = (int)v; }
            else if (!strcmp(a, "--lr")) { PL_TRY(num(a, val, 0, 1, &v)); c->ppo.adam.lr = (float)v; }
            else if (!strcmp(a, "--epochs")) { PL_TRY(num(a, val, 1, 1000, &v)); c->ppo.epochs = (int)v; }
            else if (!strcmp(a, "--minibatch")) { PL_TRY(num(a, val, 1, 1e9, &v)); c->ppo.minibatch = (int)v; }
            else if (!strcmp(a, "--entropy")) { PL_TRY(num(a, val, 0, 10, &v)); c->ppo.ent_coef = (float)v; }
            else if (!strcmp(a, "--gae")) { PL_TRY(num(a, val, 0, 1, &v)); c->ppo.gae = 1, c->ppo.lambda = (float)v; }
            else if (!strcmp(a, "--shaping")) { PL_TRY(num(a, val, 0, 1e6, &v)); c->env.shaping = v; }
            else if (!strcmp(a, "--fd-steps")) { PL_TRY(num(a, val, 1, 1e6, &v)); c->env.fd_steps = (int)v; }
            else if (!strcmp(a, "--hidden")) { PL_TRY(num(a, val, 1, 4096, &v)); c->gnn.hidden = (int)v; }
            else if (!strcmp(a, "--clusters")) { PL_TRY(num(a, val, 1, 1e6, &v)); c->env.clusters = (int)v; }
            else if (!strcmp(a, "--baseline")) { PL_TRY(num(a, val, 1, 1e7, &v)); o->baseline = (int)v; }
            else if (!strcmp(a, "--soft")) {
                if (!strcmp(val, "fd")) c->env.soft = PL_ENV_SOFT_FD;
                else if (!strcmp(val, "keep")) c->env.soft = PL_ENV_SOFT_KEEP;
                else return pl_err(PL_EINVAL, "train: --soft wants fd or keep, not '%s'", val);
            } else if (!strcmp(a, "--order")) {
                if (!strcmp(val, "area")) c->env.order = PL_ENV_ORDER_AREA;
                else if (!strcmp(val, "netlist")) c->env.order = PL_ENV_ORDER_NETLIST;
                else return pl_err(PL_EINVAL, "train: --order wants area or netlist, not '%s'", val);
            } else return pl_err(PL_EINVAL, "train: unknown option '%s' (see placer train --help)", a);
        } else {
            if (o->ndesigns == MAX_DESIGNS) return pl_err(PL_EINVAL, "train: at most %d designs on the command line", MAX_DESIGNS);
            o->designs[o->ndesigns++] = a;
        }
    }
    if (!o->ndesigns && !o->suite) return pl_err(PL_EINVAL, "train: no DESIGN given (see placer train --help)");
    if (!c->out) return pl_err(PL_EINVAL, "train: no output checkpoint: give -o POLICY.ckpt");
    if (o->plc && o->ndesigns != 1) return pl_err(PL_EINVAL, "train: --plc needs exactly one DESIGN");
    return PL_OK;
}

static void print_terms(FILE *fp, const pl_env_result *r)
{
    fprintf(fp, "\"proxy_cost\": ");
    pl_json_num(fp, r->infeasible ? NAN : r->terms.proxy_cost);
    fprintf(fp, ", \"wirelength_cost\": ");
    pl_json_num(fp, r->infeasible ? NAN : r->terms.wirelength_cost);
    fprintf(fp, ", \"density_cost\": ");
    pl_json_num(fp, r->infeasible ? NAN : r->terms.density_cost);
    fprintf(fp, ", \"congestion_cost\": ");
    pl_json_num(fp, r->infeasible ? NAN : r->terms.congestion_cost);
    fprintf(fp, ", \"infeasible\": %s", r->infeasible ? "true" : "false");
}

/* Random baseline of design d: K episodes, stream (seed, "RAND", k). */
static pl_status baseline(const train_opts *o, const pl_suite *su, int d, double *mean, double *best, int *feasible)
{
    pl_env e;
    pl_status s = pl_env_init(&e, &su->src[d], &o->cfg.env);
    *mean = 0, *best = NAN, *feasible = 0;
    for (int k = 0; k < o->baseline && s == PL_OK; k++) {
        pl_rng r;
        pl_rng_derive(&r, o->cfg.seed, 0x52414e44ull, (uint64_t)k);
        pl_env_result res;
        s = pl_env_random_episode(&e, &r, &res);
        if (s != PL_OK || res.infeasible) continue;
        (*feasible)++;
        *mean += res.terms.proxy_cost;
        if (!(res.terms.proxy_cost >= *best)) *best = res.terms.proxy_cost;
    }
    *mean = *feasible ? *mean / *feasible : NAN;
    pl_env_free(&e);
    return s;
}

static pl_status report(const train_opts *o, const pl_suite *su, const pl_train_result *r)
{
    FILE *fp = stdout;
    if (o->json) fprintf(fp, "{\"checkpoint\": \"%s\", \"seed\": %llu, \"iterations\": %lld, \"steps_per_s\": ", o->cfg.out,
                         (unsigned long long)o->cfg.seed, (long long)r->iterations_done);
    else printf("checkpoint   %s (iteration %lld)\nthroughput   %.1f steps/s, %.2f episodes/s\n", o->cfg.out,
                (long long)r->iterations_done, r->steps_per_s, r->episodes_per_s);
    if (o->json) pl_json_num(fp, r->steps_per_s), fprintf(fp, ", \"designs\": [");
    for (int d = 0; d < su->n; d++) {
        double mean = NAN, best = NAN;
        int feas = 0;
        if (o->baseline) PL_TRY(baseline(o, su, d, &mean, &best, &feas));
        const char *name = r->greedy && r->names[d][0] ? r->names[d] : su->src[d].path;
        if (o->json) {
            fprintf(fp, "%s{\"name\": ", d ? ", " : "");
            pl_json_str(fp, name);
            fprintf(fp, ", \"path\": ");
            pl_json_str(fp, su->src[d].path);
            if (r->greedy) fprintf(fp, ", \"greedy\": {"), print_terms(fp, &r->greedy[d]), fputc('}', fp);
            if (o->baseline) {
                fprintf(fp, ", \"random\": {\"episodes\": %d, \"feasible\": %d, \"proxy_mean\": ", o->baseline, feas);
                pl_json_num(fp, mean);
                fprintf(fp, ", \"proxy_best\": ");
                pl_json_num(fp, best);
                fputc('}', fp);
            }
            fputc('}', fp);
        } else {
            printf("design       %s\n", name);
            if (r->greedy) {
                if (r->greedy[d].infeasible) printf("  greedy     infeasible (no legal cell left)\n");
                else printf("  greedy     proxy %.6f (wirelength %.6f, density %.6f, congestion %.6f)\n",
                            r->greedy[d].terms.proxy_cost, r->greedy[d].terms.wirelength_cost,
                            r->greedy[d].terms.density_cost, r->greedy[d].terms.congestion_cost);
            }
            if (o->baseline) printf("  random     proxy mean %.6f, best %.6f (%d of %d feasible)\n", mean, best, feas, o->baseline);
        }
    }
    if (o->json) fprintf(fp, "]}\n");
    return PL_OK;
}

static int mpi_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK") || getenv("PMI_SIZE");
}

pl_status pl_cmd_train(int argc, char **argv)
{
    train_opts o;
    int help;
    PL_TRY(parse(argc, argv, &o, &help));
    if (help) {
        usage(stdout);
        return PL_OK;
    }
    int mpi = 0;
#ifdef PL_HAVE_MPI
    if (mpi_launched()) {
        if (MPI_Init(NULL, NULL) != MPI_SUCCESS) return pl_err(PL_EMPI, "train: MPI_Init failed");
        mpi = 1;
    }
#else
    /* several ranks of a build without MPI would each train alone and race on the output */
    const char *ws = getenv("OMPI_COMM_WORLD_SIZE") ? getenv("OMPI_COMM_WORLD_SIZE") : getenv("PMI_SIZE");
    if (mpi_launched() && ws && atoi(ws) > 1)
        return pl_err(PL_ENOTSUP, "train: launched by mpirun with %s ranks, but this placer was built without "
                      "MPI (install libopenmpi-dev and rebuild with make MPI=1)", ws);
#endif
    int rank, size;
    pl_seed_world(&rank, &size);
    pl_suite su;
    pl_suite_init(&su);
    pl_status s = PL_OK;
    for (int i = 0; i < o.ndesigns && s == PL_OK; i++) s = pl_suite_add(&su, o.designs[i], o.plc, o.lefs, o.nlef, 1.0);
    if (s == PL_OK && o.suite) s = pl_suite_read(&su, o.suite);
    /* the seed of a resumed run is the checkpoint's, on every rank */
    struct stat sb;
    if (s == PL_OK && o.cfg.resume && stat(o.cfg.out, &sb) == 0) {
        pl_gnn_config gc;
        uint64_t seed, step;
        s = pl_gnn_ckpt_peek(o.cfg.out, &gc, &seed, &step);
        o.cfg.seed = seed;
    }
    o.cfg.env.seed = o.cfg.seed;
    if (s == PL_OK && rank == 0) {
        pl_info("train", "seed %llu, %d designs, %d ranks", (unsigned long long)o.cfg.seed, su.n, size);
        pl_train_result r;
        s = pl_train_run(&o.cfg, &su, &r);
        if (size > 1) {
            pl_status s2 = pl_seed_stop();
            if (s == PL_OK) s = s2;
        }
        if (s == PL_OK) s = report(&o, &su, &r);
        pl_train_result_free(&r);
    } else if (s == PL_OK) {
        s = pl_train_actor(&o.cfg, &su);
    }
    pl_suite_free(&su);
    if (s != PL_OK && size > 1) pl_seed_abort(s); /* logs the rank and aborts every rank */
#ifdef PL_HAVE_MPI
    if (mpi) MPI_Finalize();
#endif
    (void)mpi;
    return s;
}
