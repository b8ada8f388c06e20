/* test_rollout.c: the learner's side of collection without MPI: one random stream per episode,
 * derived from (seed, PL_ROLLOUT_STREAM, global episode index) and from nothing else (not the rank,
 * slot or environment that steps it, not the other episodes of the batch); local collection; the
 * SEED protocol played in this process (statics packed and unpacked as an actor sends them,
 * episodes stepped interleaved on per-slot environments) giving the very trajectories of local
 * collection; greedy episodes; errors; free. Two small generated designs, a 16-wide network. */
#include <math.h>

#include "rl/rollout.h"
#include "tests/rl/fixture.h"
#include "tests/testutil.h"

typedef struct fx {
    char path[2][256];
    pl_env_source src[2];
    pl_gnn_model model;
    pl_gnn_net net;
} fx;

static fx F;

static void setup(void)
{
    memset(&F, 0, sizeof F);
    const int nmacros[2] = {5, 3};
    for (int d = 0; d < 2; d++) {
        const char *dir = pl_test_tmpdir();
        cr_assert_eq(rl_fixture_write(dir, nmacros[d], 2, 21 + (uint64_t)d), 0);
        snprintf(F.path[d], sizeof F.path[d], "%s/netlist.pb.txt", dir);
        F.src[d].path = F.path[d];
        F.src[d].weight = 1;
    }
    pl_gnn_config gc;
    pl_gnn_config_default(&gc);
    gc.hidden = 16;
    cr_assert_eq(pl_gnn_model_init(&F.model, &gc, 3), PL_OK);
    cr_assert_eq(pl_gnn_net_init(&F.net, PL_GNN_DEVICE_CPU, &F.model, NULL), PL_OK);
}

static void teardown(void)
{
    pl_gnn_net_free(&F.net);
    pl_gnn_model_free(&F.model);
}

TestSuite(rl_rollout, .init = setup, .fini = teardown, .timeout = 60);

static void rollout_init(pl_rollout *ro, uint64_t seed)
{
    pl_rollout_config rc;
    memset(&rc, 0, sizeof rc);
    rc.sources = F.src;
    rc.ndesigns = 2;
    pl_env_config_default(&rc.env);
    rc.env.fd_steps = 5;
    rc.seed = seed;
    cr_assert_eq(pl_rollout_init(ro, &rc, &F.net), PL_OK);
}

static void collect_local(pl_rollout *ro, const int32_t *designs, int M, int64_t first, int greedy)
{
    cr_assert_eq(pl_rollout_begin(ro, designs, M, first, greedy), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_rollout_local(ro), PL_OK, "%s", pl_errmsg());
}

/* Two trajectories are the same episode, bit for bit. */
static void traj_same(const pl_traj *a, const pl_traj *b, const char *what)
{
    cr_assert_eq(a->episode, b->episode, "%s: episode", what);
    cr_assert_eq(a->design, b->design, "%s: design", what);
    cr_assert_eq(a->greedy, b->greedy, "%s", what);
    cr_assert_eq(a->done, 1, "%s", what);
    cr_assert_eq(b->done, 1, "%s", what);
    cr_assert_eq(a->rec_bytes, b->rec_bytes, "%s", what);
    cr_assert_eq(a->nsteps, b->nsteps, "%s: steps", what);
    size_t n = (size_t)a->nsteps;
    cr_assert_eq(memcmp(a->recs, b->recs, n * a->rec_bytes), 0, "%s: observations", what);
    cr_assert_eq(memcmp(a->action, b->action, n * sizeof *a->action), 0, "%s: actions", what);
    cr_assert_eq(memcmp(a->logp, b->logp, n * sizeof *a->logp), 0, "%s: log-probabilities", what);
    cr_assert_eq(memcmp(a->value, b->value, n * sizeof *a->value), 0, "%s: values", what);
    cr_assert_eq(memcmp(a->reward, b->reward, n * sizeof *a->reward), 0, "%s: rewards", what);
    cr_assert_eq(a->res.terms.proxy_cost, b->res.terms.proxy_cost, "%s: proxy cost", what);
    cr_assert_eq(a->res.reward, b->res.reward, "%s", what);
    cr_assert_eq(a->res.return_sum, b->res.return_sum, "%s", what);
    cr_assert_eq(a->res.placed, b->res.placed, "%s", what);
    cr_assert_eq(a->res.nsteps, b->res.nsteps, "%s", what);
    cr_assert_eq(a->res.infeasible, b->res.infeasible, "%s", what);
}

static int rng_eq(const pl_rng *a, const pl_rng *b) { return memcmp(a->s, b->s, sizeof a->s) == 0; }

Test(rl_rollout, begin_gives_each_episode_its_own_stream)
{
    pl_rollout ro;
    rollout_init(&ro, 77);
    const int32_t d[5] = {0, 1, 1, 0, 1};
    cr_assert_eq(pl_rollout_begin(&ro, d, 5, 40, 0), PL_OK);
    cr_assert_eq(ro.ntraj, 5);
    cr_assert_eq(ro.steps, 0);
    for (int j = 0; j < 5; j++) {
        const pl_traj *t = &ro.traj[j];
        cr_assert_eq(t->episode, 40 + j);
        cr_assert_eq(t->design, d[j]);
        cr_assert_eq(t->greedy, 0);
        cr_assert_eq(t->done, 0);
        cr_assert_eq(t->nsteps, 0);
        pl_rng want;
        pl_rng_derive(&want, 77, PL_ROLLOUT_STREAM, (uint64_t)(40 + j));
        cr_assert(rng_eq(&ro.rng[j], &want), "episode %d: stream (seed, ROLL, 40 + %d)", j, j);
        for (int k = 0; k < j; k++) cr_assert_not(rng_eq(&ro.rng[j], &ro.rng[k]), "streams %d and %d", j, k);
    }
    pl_rng e41 = ro.rng[1];
    /* the stream is the episode's: another batch, another design, another position, same stream */
    const int32_t d2[2] = {0, 1};
    cr_assert_eq(pl_rollout_begin(&ro, d2, 2, 41, 0), PL_OK);
    cr_assert(rng_eq(&ro.rng[0], &e41));
    cr_assert_eq(ro.traj[0].design, 0);
    cr_assert_eq(ro.ntraj, 2);
    /* a rollout with another environment configuration derives the same streams; another seed not */
    pl_rollout r2, r3;
    rollout_init(&r2, 77);
    r2.cfg.env.shaping = 0.5, r2.cfg.env.spacing = 1;
    rollout_init(&r3, 78);
    cr_assert_eq(pl_rollout_begin(&r2, d, 2, 41, 0), PL_OK);
    cr_assert_eq(pl_rollout_begin(&r3, d, 2, 41, 0), PL_OK);
    cr_assert(rng_eq(&r2.rng[0], &e41));
    cr_assert_not(rng_eq(&r3.rng[0], &e41), "the seed enters the stream");
    /* negative indices (the final greedy episodes use -1 - ndesigns ...) are streams too */
    cr_assert_eq(pl_rollout_begin(&r2, d, 2, -3, 1), PL_OK);
    pl_rng want;
    pl_rng_derive(&want, 77, PL_ROLLOUT_STREAM, (uint64_t)(int64_t)-2);
    cr_assert(rng_eq(&r2.rng[1], &want));
    cr_assert_eq(r2.traj[1].episode, -2);
    cr_assert_eq(r2.traj[1].greedy, 1);
    pl_rollout_free(&r3);
    pl_rollout_free(&r2);
    pl_rollout_free(&ro);
}

Test(rl_rollout, begin_refuses_unknown_designs)
{
    pl_rollout ro;
    rollout_init(&ro, 1);
    const int32_t bad[3] = {0, 1, 2};
    cr_assert_eq(pl_rollout_begin(&ro, bad, 3, 0, 0), PL_EINVAL);
    cr_assert_str_eq(pl_errmsg(), "train: episode 2 asks for design 2 of 2");
    const int32_t neg[1] = {-1};
    cr_assert_eq(pl_rollout_begin(&ro, neg, 1, 0, 0), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "design -1 of 2"), "%s", pl_errmsg());
    pl_rollout_free(&ro);
}

Test(rl_rollout, local_collection_fills_every_trajectory)
{
    pl_rollout ro;
    rollout_init(&ro, 5);
    const int32_t d[4] = {0, 1, 0, 1};
    collect_local(&ro, d, 4, 0, 0);
    int64_t steps = 0;
    const int want_steps[2] = {5, 3};
    for (int j = 0; j < 4; j++) {
        const pl_traj *t = &ro.traj[j];
        const pl_obs_static *st = &ro.st[t->design];
        int32_t A = st->cols * st->rows;
        cr_assert_eq(t->done, 1);
        cr_assert_eq(t->res.infeasible, 0, "the fixture has room for every macro");
        cr_assert_eq(t->nsteps, want_steps[t->design], "one step per movable macro");
        cr_assert_eq(t->res.nsteps, t->nsteps);
        cr_assert_eq(t->rec_bytes, pl_obs_rec_bytes(st->nhard, A));
        double sum = 0;
        for (int32_t s = 0; s < t->nsteps; s++) {
            pl_obs_rec v;
            pl_obs_rec_view(&v, (char *)t->recs + (size_t)s * t->rec_bytes, st->nhard, A);
            cr_assert(t->action[s] >= 0 && t->action[s] < A);
            cr_assert_eq(v.mask[t->action[s]], 1, "episode %d step %d: the action is legal in its observation", j, s);
            cr_assert(isfinite(t->logp[s]) && t->logp[s] <= 0);
            cr_assert(isfinite(t->value[s]));
            if (s < t->nsteps - 1) cr_assert_eq(t->reward[s], 0.0f, "no shaping: 0 until the last step");
            sum += t->reward[s];
        }
        cr_assert_eq(t->reward[t->nsteps - 1], (float)t->res.reward, "the terminal reward goes to the last step");
        cr_assert_eq(t->res.reward, -t->res.terms.proxy_cost);
        cr_assert_float_eq(sum, t->res.return_sum, 1e-6);
        steps += t->nsteps;
    }
    cr_assert_eq(ro.steps, steps);
    cr_assert(ro.have_env[0] && ro.have_env[1] && ro.have_st[0] && ro.have_st[1]);
    pl_rollout_free(&ro);
}

Test(rl_rollout, an_episode_depends_only_on_its_design_and_index)
{
    pl_rollout a, b;
    rollout_init(&a, 9);
    rollout_init(&b, 9);
    const int32_t da[4] = {0, 1, 0, 1}, db[2] = {1, 0};
    collect_local(&a, da, 4, 0, 0);
    collect_local(&b, db, 2, 1, 0); /* episodes 1 and 2 alone, in a fresh rollout */
    traj_same(&b.traj[0], &a.traj[1], "episode 1");
    traj_same(&b.traj[1], &a.traj[2], "episode 2");
    int differ = 0;
    for (int32_t s = 0; s < a.traj[0].nsteps; s++) differ |= a.traj[0].action[s] != a.traj[2].action[s];
    cr_assert(differ, "episodes 0 and 2 of the same design draw different actions");
    /* the same rollout again (environments and trajectory memory reused) gives the same episodes */
    pl_traj keep[2];
    for (int k = 0; k < 2; k++) {
        pl_traj_init(&keep[k]);
        pl_traj_clear(&keep[k], a.traj[2 + k].episode, a.traj[2 + k].design, a.traj[2 + k].rec_bytes, 0);
        for (int32_t s = 0; s < a.traj[2 + k].nsteps; s++)
            cr_assert_eq(pl_traj_push(&keep[k], pl_traj_rec(&a.traj[2 + k], s), a.traj[2 + k].action[s],
                                      a.traj[2 + k].logp[s], a.traj[2 + k].value[s]), PL_OK);
        memcpy(keep[k].reward, a.traj[2 + k].reward, sizeof(float) * (size_t)keep[k].nsteps);
        keep[k].res = a.traj[2 + k].res;
        keep[k].done = 1;
    }
    collect_local(&a, da + 2, 2, 2, 0);
    traj_same(&a.traj[0], &keep[0], "episode 2 again");
    traj_same(&a.traj[1], &keep[1], "episode 3 again");
    pl_traj_free(&keep[0]), pl_traj_free(&keep[1]);
    pl_rollout_free(&b);
    pl_rollout_free(&a);
}

/* The SEED RL protocol in this process: "actors" own one environment per (design, slot), send each
 * design's static part packed and unpacked, and step the episodes in an order drawn at random; the
 * learner answers each observation with pl_rollout_act. The trajectories equal local collection's. */
static void play_seed_protocol(pl_rollout *ro, const int32_t *designs, int M, int64_t first, int slots,
                               uint64_t order_seed)
{
    cr_assert_eq(pl_rollout_begin(ro, designs, M, first, 0), PL_OK);
    pl_env_config ec = ro->cfg.env;
    pl_env *env = calloc((size_t)(2 * slots), sizeof *env);
    uint8_t have[16] = {0}, sent[2] = {0};
    int slot_ep[8], next = 0, done = 0;
    double last_r[8];
    uint8_t *rec = NULL;
    cr_assert_leq(2 * slots, 16);
    for (int s = 0; s < slots; s++) slot_ep[s] = -1;
    pl_rng order;
    pl_rng_seed(&order, order_seed);
    while (done < M) {
        /* hand free slots the next episodes */
        for (int s = 0; s < slots && next < M; s++) {
            if (slot_ep[s] >= 0) continue;
            int32_t d = designs[next];
            int k = d * slots + s;
            if (!have[k]) {
                cr_assert_eq(pl_env_init(&env[k], &F.src[d], &ec), PL_OK, "%s", pl_errmsg());
                have[k] = 1;
            }
            if (!sent[d]) {
                size_t n = pl_obs_static_bytes(&env[k].st);
                void *b = malloc(n);
                pl_obs_static_pack(&env[k].st, b);
                pl_obs_static os;
                cr_assert_eq(pl_obs_static_unpack(&os, b, n), PL_OK);
                free(b);
                cr_assert_eq(pl_rollout_set_static(ro, d, &os), PL_OK);
                sent[d] = 1;
            }
            cr_assert_eq(pl_env_reset(&env[k]), PL_OK);
            slot_ep[s] = next++;
            last_r[s] = 0;
        }
        /* one step of a busy slot drawn at random */
        int busy[8], nb = 0;
        for (int s = 0; s < slots; s++)
            if (slot_ep[s] >= 0) busy[nb++] = s;
        int s = busy[pl_rng_below(&order, (uint64_t)nb)], j = slot_ep[s];
        pl_env *e = &env[designs[j] * slots + s];
        if (e->done) {
            pl_rollout_end(ro, j, last_r[s], &e->res);
            slot_ep[s] = -1;
            done++;
            continue;
        }
        rec = realloc(rec, pl_env_rec_bytes(e));
        pl_env_observe(e, rec);
        int32_t a;
        cr_assert_eq(pl_rollout_act(ro, j, rec, last_r[s], &a), PL_OK, "%s", pl_errmsg());
        int dn;
        cr_assert_eq(pl_env_step(e, a, &last_r[s], &dn), PL_OK, "%s", pl_errmsg());
    }
    for (int k = 0; k < 2 * slots; k++)
        if (have[k]) pl_env_free(&env[k]);
    free(env), free(rec);
}

Test(rl_rollout, interleaved_central_inference_equals_local_collection)
{
    const int32_t d[7] = {0, 1, 1, 0, 0, 1, 0};
    pl_rollout loc;
    rollout_init(&loc, 31);
    collect_local(&loc, d, 7, 100, 0);
    const int slots[3] = {1, 3, 5};
    for (int c = 0; c < 3; c++) {
        pl_rollout ro;
        rollout_init(&ro, 31);
        play_seed_protocol(&ro, d, 7, 100, slots[c], 1000 + (uint64_t)c);
        cr_assert_eq(ro.have_env[0] + ro.have_env[1], 0, "the learner never loads a design");
        cr_assert_eq(ro.steps, loc.steps);
        for (int j = 0; j < 7; j++) {
            char what[64];
            snprintf(what, sizeof what, "%d slots, episode %d", slots[c], j);
            traj_same(&ro.traj[j], &loc.traj[j], what);
        }
        pl_rollout_free(&ro);
    }
    pl_rollout_free(&loc);
}

/* An actor lost mid-episode (rl/mpi_seed.c): the learner forgets the episode's steps and rewinds its
 * stream; run again (here by the learner itself, in any order) it is the uninterrupted episode. */
Test(rl_rollout, an_episode_started_again_midway_ends_as_if_never_interrupted)
{
    const int32_t d[3] = {0, 1, 0};
    pl_rollout loc, ro;
    rollout_init(&loc, 41);
    collect_local(&loc, d, 3, 60, 0);
    rollout_init(&ro, 41);
    cr_assert_eq(pl_rollout_begin(&ro, d, 3, 60, 0), PL_OK);
    pl_env *e;
    cr_assert_eq(pl_rollout_env(&ro, d[1], &e), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_env_reset(e), PL_OK);
    void *rec = malloc(pl_env_rec_bytes(e));
    double r = 0;
    for (int k = 0; k < 2; k++) { /* two steps of episode 1, then its actor is gone */
        int32_t a;
        int done;
        pl_env_observe(e, rec);
        cr_assert_eq(pl_rollout_act(&ro, 1, rec, r, &a), PL_OK, "%s", pl_errmsg());
        cr_assert_eq(pl_env_step(e, a, &r, &done), PL_OK);
    }
    free(rec);
    cr_assert_eq(ro.steps, 2);
    pl_rollout_restart(&ro, 1);
    cr_assert_eq(ro.steps, 0, "the lost steps are not counted");
    cr_assert_eq(ro.traj[1].nsteps, 0);
    cr_assert_eq(ro.traj[1].done, 0);
    const int order[3] = {2, 1, 0};
    for (int k = 0; k < 3; k++) cr_assert_eq(pl_rollout_local_episode(&ro, order[k]), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(ro.steps, loc.steps);
    for (int j = 0; j < 3; j++) {
        char what[64];
        snprintf(what, sizeof what, "episode %d", j);
        traj_same(&ro.traj[j], &loc.traj[j], what);
    }
    pl_rollout_free(&ro);
    pl_rollout_free(&loc);
}

Test(rl_rollout, greedy_episodes_do_not_use_the_stream)
{
    const int32_t d[2] = {0, 1};
    pl_rollout a, b, c;
    rollout_init(&a, 1);
    rollout_init(&b, 2);
    collect_local(&a, d, 2, -3, 1);
    collect_local(&b, d, 2, -3, 1);
    for (int j = 0; j < 2; j++) {
        cr_assert_eq(a.traj[j].greedy, 1);
        cr_assert_eq(a.traj[j].nsteps, b.traj[j].nsteps);
        cr_assert_eq(memcmp(a.traj[j].action, b.traj[j].action, sizeof(int32_t) * (size_t)a.traj[j].nsteps), 0,
                     "greedy: the argmax whatever the seed");
        cr_assert_eq(a.traj[j].res.terms.proxy_cost, b.traj[j].res.terms.proxy_cost);
        for (int32_t s = 0; s < a.traj[j].nsteps; s++) {
            /* the argmax of the masked softmax has the largest log-probability of the legal cells */
            const pl_obs_static *st = &a.st[d[j]];
            int32_t A = st->cols * st->rows;
            cr_assert(a.traj[j].logp[s] > logf(1.0f / (float)A) - 1e-6f, "the greedy cell is at least as likely as uniform");
        }
    }
    /* sampled episodes of two seeds differ somewhere */
    rollout_init(&c, 2);
    collect_local(&a, d, 2, 0, 0);
    collect_local(&c, d, 2, 0, 0);
    int differ = 0;
    for (int j = 0; j < 2; j++)
        for (int32_t s = 0; s < a.traj[j].nsteps; s++) differ |= a.traj[j].action[s] != c.traj[j].action[s];
    cr_assert(differ, "seeds 1 and 2 sample different actions");
    pl_rollout_free(&c);
    pl_rollout_free(&b);
    pl_rollout_free(&a);
}

Test(rl_rollout, statics_and_environments)
{
    pl_rollout ro;
    rollout_init(&ro, 4);
    const int32_t d[2] = {1, 0};
    cr_assert_eq(pl_rollout_begin(&ro, d, 2, 0, 0), PL_OK);
    /* an observation before its design's static part is refused */
    pl_env e;
    cr_assert_eq(pl_env_init(&e, &F.src[1], &ro.cfg.env), PL_OK);
    cr_assert_eq(pl_env_reset(&e), PL_OK);
    void *rec = malloc(pl_env_rec_bytes(&e));
    pl_env_observe(&e, rec);
    int32_t a = -7;
    cr_assert_eq(pl_rollout_act(&ro, 0, rec, 0, &a), PL_EINVAL);
    cr_assert_str_eq(pl_errmsg(), "train: observation before design 1's static part");
    cr_assert_eq(a, -7);
    cr_assert_eq(ro.traj[0].nsteps, 0);
    /* set_static takes the static over; a second one for the same design is dropped */
    size_t n = pl_obs_static_bytes(&e.st);
    void *buf = malloc(n);
    pl_obs_static_pack(&e.st, buf);
    pl_obs_static s1, s2;
    cr_assert_eq(pl_obs_static_unpack(&s1, buf, n), PL_OK);
    cr_assert_eq(pl_obs_static_unpack(&s2, buf, n), PL_OK);
    cr_assert_eq(pl_rollout_set_static(&ro, 5, &s1), PL_EINVAL, "unknown design");
    cr_assert_eq(pl_rollout_set_static(&ro, -1, &s1), PL_EINVAL);
    cr_assert_eq(pl_rollout_set_static(&ro, 1, &s1), PL_OK);
    cr_assert_null(s1.feat, "taken over");
    snprintf(s2.name, sizeof s2.name, "second");
    cr_assert_eq(pl_rollout_set_static(&ro, 1, &s2), PL_OK);
    cr_assert_null(s2.feat, "the duplicate is freed");
    cr_assert_null(s2.edges);
    cr_assert_str_neq(ro.st[1].name, "second", "the first static is kept");
    cr_assert_eq(pl_rollout_act(&ro, 0, rec, 0, &a), PL_OK, "%s", pl_errmsg());
    cr_assert(a >= 0 && a < e.A);
    cr_assert_eq(ro.traj[0].nsteps, 1);
    cr_assert_eq(ro.steps, 1);
    cr_assert_eq(ro.have_env[1], 0, "a static alone loads no environment");
    /* pl_rollout_env loads once, and caches the static as an actor would send it */
    pl_env *p0, *p1;
    cr_assert_eq(pl_rollout_env(&ro, 0, &p0), PL_OK);
    cr_assert_eq(pl_rollout_env(&ro, 0, &p1), PL_OK);
    cr_assert_eq(p0, p1);
    cr_assert_eq(p0, &ro.env[0]);
    size_t n0 = pl_obs_static_bytes(&p0->st);
    cr_assert_eq(n0, pl_obs_static_bytes(&ro.st[0]));
    void *b0 = malloc(n0), *b1 = malloc(n0);
    pl_obs_static_pack(&p0->st, b0);
    pl_obs_static_pack(&ro.st[0], b1);
    cr_assert_eq(memcmp(b0, b1, n0), 0, "the cached static equals the environment's, byte for byte");
    cr_assert_neq(ro.st[0].feat, p0->st.feat, "a copy, not the environment's arrays");
    free(b0), free(b1), free(buf), free(rec);
    pl_env_free(&e);
    pl_rollout_free(&ro);
}

Test(rl_rollout, a_design_that_fails_to_load_leaves_a_freeable_rollout)
{
    pl_env_source src[2] = {F.src[0], F.src[1]};
    src[1].path = "/nonexistent/netlist.pb.txt";
    pl_rollout_config rc;
    memset(&rc, 0, sizeof rc);
    rc.sources = src;
    rc.ndesigns = 2;
    pl_env_config_default(&rc.env);
    rc.env.fd_steps = 5;
    pl_rollout ro;
    cr_assert_eq(pl_rollout_init(&ro, &rc, &F.net), PL_OK);
    const int32_t d[2] = {0, 1};
    cr_assert_eq(pl_rollout_begin(&ro, d, 2, 0, 0), PL_OK);
    cr_assert_neq(pl_rollout_local(&ro), PL_OK);
    cr_assert(strstr(pl_errmsg(), "/nonexistent/netlist.pb.txt"), "%s", pl_errmsg());
    cr_assert_eq(ro.traj[0].done, 1, "the episode before the bad design ran");
    cr_assert_eq(ro.have_env[1], 0);
    pl_rollout_free(&ro);
    pl_rollout_free(&ro);
}

Test(rl_rollout, free_is_null_safe_and_idempotent)
{
    pl_rollout_free(NULL);
    pl_rollout ro;
    rollout_init(&ro, 1);
    pl_rollout_free(&ro);
    cr_assert_null(ro.traj);
    cr_assert_null(ro.st);
    pl_rollout_free(&ro);
    rollout_init(&ro, 1);
    const int32_t d[3] = {0, 1, 0};
    collect_local(&ro, d, 3, 0, 0);
    collect_local(&ro, d, 1, 3, 0); /* a smaller batch keeps the trajectories of the larger one */
    cr_assert_eq(ro.traj_cap, 3);
    pl_rollout_free(&ro);
    pl_rollout_free(&ro);
    cr_assert_eq(ro.traj_cap, 0);
}
