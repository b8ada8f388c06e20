/* cmd_train.c: `placer train`: PPO training of the placement policy, locally or over MPI (SEED RL). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gnn/ckpt.h"
#include "placer/commands.h"
#include "placer/inputs.h"
#include "placer/options.h"
#include "placer/supervise.h"
#include "core/json.h"
#include "core/log.h"
#include "core/tmpfile.h"
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
            "beside it), a DEF or a Bookshelf .aux (clustered into soft macros first; Bookshelf hard macros\n"
            "by `placer eval`'s default --macros rule). Several designs share the episodes round-robin;\n"
            "--suite reads designs, LEF files and weights from XML (see docs/training.md).\n"
            "Same inputs and seed, same checkpoint, with or without mpirun and whatever the number of ranks.\n\n"
            "options:\n"
            "  -o FILE                  checkpoint to write (atomically, every --checkpoint-every iterations)\n"
            "  --iterations N           total iterations (default 10)\n"
            "  --episodes-per-iter M    episodes per iteration (default 32)\n"
            "  --seed S                 the run's seed (default 1)\n"
            "  --init FILE              fine-tune from this checkpoint's parameters\n"
            "  --force                  let -o replace an existing checkpoint, the --init one too (refused\n"
            "                           otherwise: --resume continues it)\n"
            "  --resume                 continue from -o FILE (its seed, Adam state and iteration)\n"
            "  --log FILE               JSON-lines log, one line per iteration\n"
            "  --checkpoint-every K     default 1\n"
            "  --suite FILE.xml         designs of a training suite\n"
            "  --lef FILE               LEF for the DEF designs, technology first; repeat\n"
            "  --lef-dir DIR            every *.tlef/*.lef in DIR, technology first, then by name; repeat\n"
            "  --plc FILE               placement (.plc) of a single Circuit Training DESIGN\n"
            "  --expert FILE            a placement of the matching DESIGN (the k-th --expert goes with the\n"
            "                           k-th DESIGN; a DEF placed by `placer place`, or a .plc of a Circuit\n"
            "                           Training netlist) for --imitate; a suite gives expert=\"...\"\n"
            "  --imitate N              the first N iterations clone the experts (behaviour cloning: loss\n"
            "                           -log p(expert cell) on the expert's own episode, no rollouts), the\n"
            "                           rest are PPO (default 0)\n"
            "  --lr F                   Adam learning rate (default 4e-4)\n"
            "  --epochs N               PPO epochs per iteration (default 4)\n"
            "  --minibatch N            samples per gradient step (default 128)\n"
            "  --entropy F              entropy bonus (default 0.01)\n"
            "  --prior-wire W           learn a residual on the wire mask: the actions are drawn from the\n"
            "                           policy times `placer place`'s wire-mask term (exp(-W (wire - min) /\n"
            "                           (0.1 spread))), so the network learns what the wire mask misses;\n"
            "                           place the result with --policy-wire W (its default, 1). 0 = the\n"
            "                           policy alone, as Circuit Training (default 0)\n"
            "  --gae LAMBDA             GAE advantages (default: Monte-Carlo returns, as Circuit Training)\n"
            "  --shaping W              dense reward -W * delta wirelength cost per step (default 0)\n"
            "  --reward proxy|full      terminal reward: -proxy cost (default), or full (LEF/DEF designs):\n"
            "                           -(full HPWL + 2 x overflow x GCell side) / ((W + H) x nets) with\n"
            "                           every standard cell placed and legalised (`placer eval --full`);\n"
            "                           one full placement per episode: for small designs\n"
            "  --soft fd|keep           soft macros: force-directed (default) or kept where the input has them\n"
            "  --fd-steps N             force-directed steps per stage (default 100)\n"
            "  --order area|netlist     macro order (default area, descending)\n"
            "  --hidden H               network width for a fresh network (default 32)\n"
            "  --side                   a fresh network with the side term: one learned weight on how far\n"
            "                           a cell keeps the macro from the core's sides, and the head's last\n"
            "                           layer zero at the start (docs/training.md; --init/--resume keep the\n"
            "                           checkpoint's architecture)\n"
            "  --side-init B            with --side: the side weight starts at B logits at the centre of\n"
            "                           the core (negative: toward the sides; default 0)\n"
            "  --clusters N             soft macros for DEF designs (default: cluster/ default)\n"
            "  --grid COLSxROWS         placement grid of every design (default: .plc header, else\n"
            "                           Circuit Training's choice, as placer eval)\n"
            "  --clustering C           DEF: physical (default) or leiden, as placer eval\n"
            "  --soft-placer P          DEF: soft macros by the analytical placer (analytic, default)\n"
            "                           or Circuit Training's force-directed schedule (ct), as eval\n"
            "  --congestion-grid G      legacy (default) or 2023, as placer eval\n"
            "  --device auto|cpu|cuda   where the learner's network runs (inference batches and the PPO\n"
            "                           update): auto (default) takes CUDA when a GPU answers, else the CPU\n"
            "                           with a note; cuda without a GPU is an error. Checkpoints are the\n"
            "                           same on either device\n"
            "  --slots N                environments per MPI actor (default 2)\n"
            "  --mpi-timeout S          the longest MPI wait, in seconds (default 600; 0: none): an actor\n"
            "                           silent that long is lost, as is a learner silent that long\n"
            "  --supervise              run `mpirun -np N` itself and restart it from the checkpoint\n"
            "                           (--resume) when a rank dies (see docs/training.md)\n"
            "  --np N                   --supervise: MPI ranks\n"
            "  --max-restarts K         --supervise: restarts at most (default 3)\n"
            "  --mpirun \"CMD\"           --supervise: the launcher and its options (default mpirun)\n"
            "  --baseline K             also place each design K times uniformly at random (mean, best)\n"
            "  --no-eval                skip the final greedy placement of every design\n"
            "  --json                   print the summary as one JSON object\n"
            "One line per iteration on stderr (reward, entropy, steps/s); placer -q train: none.\n"
            "  -h, --help               this text\n");
}

enum { MAX_DESIGNS = 64, MAX_LEFS = PL_ENV_MAX_LEFS };

typedef struct train_opts {
    pl_train_config cfg;
    const char *designs[MAX_DESIGNS];
    int ndesigns;
    const char *suite, *plc;
    const char *experts[MAX_DESIGNS];
    int nexpert;
    const char *lefs[MAX_LEFS];
    pl_lef_extra lx; /* --lef-dir */
    int nlef, baseline, json;
    int force; /* --force: -o may be the --init checkpoint */
    int supervise, np, max_restarts; /* --supervise (placer/supervise.h) */
    const char *mpirun;
    pl_gnn_device device; /* --device as given; the learner resolves it */
} train_opts;

static pl_status parse(int argc, char **argv, train_opts *o, int *help)
{
    memset(o, 0, sizeof *o);
    pl_train_config_default(&o->cfg);
    o->max_restarts = 3;
    pl_train_config *c = &o->cfg;
    const pl_opt table[] = {
        {PL_OPT_FLAG("resume", 0, &c->resume, 1)},
        {PL_OPT_FLAG("no-eval", 0, &c->greedy_eval, 0)},
        {PL_OPT_FLAG("json", 0, &o->json, 1)},
        {PL_OPT_FLAG("force", 0, &o->force, 1)},
        {PL_OPT_FLAG("side", 0, &c->gnn.side, 1)},
        {PL_OPT_DOUBLE("side-init", 0, &c->side_init, -1e4, 1e4)},
        {PL_OPT_FLAG("supervise", 0, &o->supervise, 1)},
        {PL_OPT_INT("np", 0, &o->np, 1, 1e6)},
        {PL_OPT_INT("max-restarts", 0, &o->max_restarts, 0, 1e6)},
        {PL_OPT_STRING("mpirun", 0, &o->mpirun)},
        PL_OPTS_DEVICE(&o->device),
        {PL_OPT_DOUBLE("mpi-timeout", 0, &c->mpi_timeout, 0, 1e9)},
        {PL_OPT_STRING(NULL, 'o', &c->out)},
        {PL_OPT_STRING("log", 0, &c->log)},
        {PL_OPT_STRING("init", 0, &c->init)},
        {PL_OPT_STRING("suite", 0, &o->suite)},
        {PL_OPT_STRING("plc", 0, &o->plc)},
        {PL_OPT_REPEAT("expert", 0, o->experts, &o->nexpert, MAX_DESIGNS)},
        {PL_OPT_INT("imitate", 0, &c->imitate, 0, 1e9)},
        {PL_OPT_REPEAT("lef", 0, o->lefs, &o->nlef, MAX_LEFS)},
        PL_OPTS_LEF_DIR(&o->lx),
        {PL_OPT_UINT64("seed", 0, &c->seed)},
        {PL_OPT_INT("iterations", 0, &c->iterations, 0, 1e9)},
        {PL_OPT_INT("episodes-per-iter", 0, &c->episodes, 1, 1e7)},
        {PL_OPT_INT("checkpoint-every", 0, &c->ckpt_every, 1, 1e9)},
        {PL_OPT_INT("slots", 0, &c->slots, 1, 64)},
        {PL_OPT_DOUBLE("lr", 0, &c->ppo.adam.lr, 0, 1)},
        {PL_OPT_INT("epochs", 0, &c->ppo.epochs, 1, 1000)},
        {PL_OPT_INT("minibatch", 0, &c->ppo.minibatch, 1, 1e9)},
        {PL_OPT_DOUBLE("entropy", 0, &c->ppo.ent_coef, 0, 10)},
        {PL_OPT_DOUBLE("prior-wire", 0, &c->ppo.prior_wire, 0, 1e3)},
        {PL_OPT_DOUBLE("gae", 0, &c->ppo.lambda, 0, 1), .set = &c->ppo.gae},
        {PL_OPT_DOUBLE("shaping", 0, &c->env.shaping, 0, 1e6)},
        {PL_OPT_CHOICE("reward", 0, &c->env.reward_full, "proxy|full")},
        {PL_OPT_INT("fd-steps", 0, &c->env.fd_steps, 1, 1e6)},
        {PL_OPT_INT("hidden", 0, &c->gnn.hidden, 1, 4096)},
        {PL_OPT_INT("clusters", 0, &c->env.problem.prep.cluster.target, 1, 1e6)},
        {PL_OPT_INT_PAIR("grid", 'x', &c->env.problem.prep.cols, &c->env.problem.prep.rows, 1, INFINITY),
         .want = "COLSxROWS such as 24x21"},
        {PL_OPT_CHOICE("soft-placer", 0, &c->env.problem.prep.soft_ct, "analytic|ct")},
        {PL_OPT_CHOICE("clustering", 0, &c->env.problem.prep.cluster.physical, "leiden|physical")},
        {PL_OPT_CHOICE("congestion-grid", 0, &c->env.problem.grid2023, "legacy|2023")},
        {PL_OPT_INT("baseline", 0, &o->baseline, 1, 1e7)},
        {PL_OPT_CHOICE("soft", 0, &c->env.soft, "fd|keep")},        /* indices: pl_env_soft */
        {PL_OPT_CHOICE("order", 0, &c->env.order, "area|netlist")}, /* indices: pl_env_order */
        {0},
    };
    char hint[64];
    snprintf(hint, sizeof hint, "at most %d designs on the command line", MAX_DESIGNS);
    pl_opt_pos pos = {o->designs, MAX_DESIGNS, 0, hint};
    PL_TRY(pl_opts_parse("train", table, argc, argv, &pos, help));
    if (*help) return PL_OK;
    o->ndesigns = pos.n;
    if (!o->ndesigns && !o->suite) return pl_err(PL_EINVAL, "train: no DESIGN given (see placer train --help)");
    if (!c->out) return pl_err(PL_EINVAL, "train: no output checkpoint: give -o POLICY.ckpt");
    if (o->plc && o->ndesigns != 1) return pl_err(PL_EINVAL, "train: --plc needs exactly one DESIGN");
    if (o->nexpert > o->ndesigns)
        return pl_err(PL_EINVAL, "train: %d --expert files for %d DESIGNs (the k-th expert goes with the k-th design)",
                      o->nexpert, o->ndesigns);
    if (o->cfg.side_init != 0 && !o->cfg.gnn.side) return pl_err(PL_EINVAL, "train: --side-init needs --side");
    return PL_OK;
}

/* The greedy episode's cost terms (null when it ended infeasible). */
static json_object *json_terms(const pl_env_result *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "proxy_cost", pl_json_num(r->infeasible ? NAN : r->terms.proxy_cost));
    json_object_object_add(o, "wirelength_cost", pl_json_num(r->infeasible ? NAN : r->terms.wirelength_cost));
    json_object_object_add(o, "density_cost", pl_json_num(r->infeasible ? NAN : r->terms.density_cost));
    json_object_object_add(o, "congestion_cost", pl_json_num(r->infeasible ? NAN : r->terms.congestion_cost));
    json_object_object_add(o, "infeasible", json_object_new_boolean(r->infeasible));
    return o;
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
    json_object *j = NULL, *designs = NULL;
    if (o->json) {
        j = json_object_new_object();
        json_object_object_add(j, "checkpoint", pl_json_str(o->cfg.out));
        json_object_object_add(j, "seed", json_object_new_uint64(o->cfg.seed));
        json_object_object_add(j, "iterations", json_object_new_int64(r->iterations_done));
        json_object_object_add(j, "steps_per_s", pl_json_num(r->steps_per_s));
        json_object_object_add(j, "device", pl_json_str(r->device));
        json_object_object_add(j, "designs", designs = json_object_new_array());
    } else {
        printf("checkpoint   %s (iteration %lld)\nthroughput   %.1f steps/s, %.2f episodes/s (network on %s)\n",
               o->cfg.out, (long long)r->iterations_done, r->steps_per_s, r->episodes_per_s, r->device);
    }
    pl_status s = PL_OK;
    for (int d = 0; d < su->n && s == PL_OK; d++) {
        double mean = NAN, best = NAN;
        int feas = 0;
        if (o->baseline && (s = baseline(o, su, d, &mean, &best, &feas)) != PL_OK) break;
        const char *name = r->greedy && r->names[d][0] ? r->names[d] : su->src[d].path;
        if (j) {
            json_object *e = json_object_new_object(), *rnd;
            json_object_object_add(e, "name", pl_json_str(name));
            json_object_object_add(e, "path", pl_json_str(su->src[d].path));
            if (r->greedy) json_object_object_add(e, "greedy", json_terms(&r->greedy[d]));
            if (o->baseline) {
                json_object_object_add(e, "random", rnd = json_object_new_object());
                json_object_object_add(rnd, "episodes", json_object_new_int(o->baseline));
                json_object_object_add(rnd, "feasible", json_object_new_int(feas));
                json_object_object_add(rnd, "proxy_mean", pl_json_num(mean));
                json_object_object_add(rnd, "proxy_best", pl_json_num(best));
            }
            json_object_array_add(designs, e);
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
    if (j && s == PL_OK) s = pl_json_write(stdout, j, PL_JSON_LINE);
    json_object_put(j);
    return s;
}

/* -o names a file already there: refused (one line, before any work) unless --resume continues it or --force
 * replaces it. */
static pl_status check_overwrite(const train_opts *o)
{
    struct stat sb;
    if (o->cfg.resume || o->force || stat(o->cfg.out, &sb) != 0) return PL_OK;
    return pl_err(PL_EINVAL, "train: -o %s exists: --resume continues that run, --force replaces it", o->cfg.out);
}

/* Every input (designs with their LEFs and placements, the suite, --init) against the outputs, and the
 * outputs' folders, before any work. The checkpoint and the log are written as training goes (each
 * write atomic), so they are checked here and not staged; --resume reads -o by design. */
static pl_status check_files(const train_opts *o, const pl_suite *su)
{
    pl_outset os;
    pl_outset_init(&os, "train");
    pl_status s = o->suite ? pl_outset_input(&os, o->suite, "the suite") : PL_OK;
    for (int d = 0; d < su->n && s == PL_OK; d++)
        s = pl_inputs_design(&os, su->src[d].path, su->src[d].plc, su->src[d].lefs, su->src[d].nlef, 1);
    for (int d = 0; d < su->n && s == PL_OK; d++)
        if (su->src[d].expert) s = pl_outset_input(&os, su->src[d].expert, "--expert");
    if (s == PL_OK) s = pl_outset_output(&os, o->cfg.out, "-o", NULL);
    if (s == PL_OK && o->cfg.log) s = pl_outset_output(&os, o->cfg.log, "--log", NULL);
    if (s == PL_OK && o->cfg.init) { /* --init against the log, and against -o unless --force */
        pl_outset pair;
        pl_outset_init(&pair, "train");
        s = pl_outset_input(&pair, o->cfg.init, "the --init checkpoint");
        if (s == PL_OK && o->cfg.log) s = pl_outset_output(&pair, o->cfg.log, "--log", NULL);
        if (s == PL_OK && !o->force && (s = pl_outset_output(&pair, o->cfg.out, "-o", NULL)) == PL_EINVAL)
            s = pl_err(PL_EINVAL, "%s (--force lets -o replace it)", pl_errmsg());
        pl_outset_free(&pair);
    }
    pl_outset_free(&os);
    return s;
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
    if (o.supervise && !getenv("PL_TRAIN_SUPERVISED")) { /* in the supervised job itself: ignored */
        if (mpi_launched()) return pl_err(PL_EINVAL, "train: --supervise starts mpirun itself: run it without mpirun");
        PL_TRY(check_overwrite(&o));
        pl_supervise_config sc = {o.mpirun, o.np, o.max_restarts, o.cfg.out, o.cfg.iterations, o.cfg.resume};
        int restarts;
        return pl_supervise_train(&sc, argc, argv, &restarts);
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
    int lost = 0; /* ranks were dropped (mpirun --enable-recovery): MPI_Finalize would wait for them */
    pl_status s = pl_inputs_lefs(&o.lx, "train", o.lefs, &o.nlef, MAX_LEFS, NULL);
    for (int i = 0; i < o.ndesigns && s == PL_OK; i++) {
        s = pl_suite_add(&su, o.designs[i], o.plc, o.lefs, o.nlef, 1.0);
        if (s == PL_OK && i < o.nexpert) s = pl_suite_set_expert(&su, i, o.experts[i]);
    }
    if (s == PL_OK && o.suite) s = pl_suite_read(&su, o.suite);
    if (s == PL_OK) s = check_files(&o, &su);
    if (s == PL_OK && rank == 0) s = check_overwrite(&o); /* the learner writes -o: an actor may start late */
    if (s == PL_OK && rank == 0) { /* the learner holds the network: only it needs the device */
        char note[320];
        s = pl_gnn_device_resolve(o.device, &o.cfg.device, note, sizeof note);
        if (s == PL_OK && note[0]) pl_note("train", "%s", note);
    }
    /* the seed of a resumed run is the checkpoint's, on every rank */
    struct stat sb;
    if (s == PL_OK && o.cfg.resume && stat(o.cfg.out, &sb) == 0) {
        pl_gnn_config gc;
        uint64_t seed, step;
        s = pl_gnn_ckpt_peek(o.cfg.out, &gc, &seed, &step);
        o.cfg.seed = seed;
    }
    o.cfg.env.problem.prep.seed = o.cfg.seed;
    if (s == PL_OK && rank == 0) {
        pl_info("train", "seed %llu, %d designs, %d ranks, network on %s", (unsigned long long)o.cfg.seed, su.n, size,
                pl_gnn_device_name(o.cfg.device));
        pl_train_result r;
        s = pl_train_run(&o.cfg, &su, &r); /* it tells the actors to stop */
        lost = r.actors_lost > 0;
        if (s == PL_OK) s = report(&o, &su, &r);
        pl_train_result_free(&r);
    } else if (s == PL_OK) {
        s = pl_train_actor(&o.cfg, &su, &lost);
    }
    pl_suite_free(&su);
    pl_inputs_lefs_free(&o.lx);
    if (s != PL_OK && size > 1) pl_seed_abort(s); /* logs the rank and aborts every rank */
#ifdef PL_HAVE_MPI
    if (mpi && !lost) MPI_Finalize();
#endif
    (void)mpi, (void)lost;
    return s;
}
