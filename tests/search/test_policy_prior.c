/* test_policy_prior.c: a learned policy as the search's prior. The mix rule (search/prior.h) never
 * weights an illegal cell whatever the policy says, falls back to uniform (counted) when the policy
 * gives the legal cells nothing, follows weight = p x exp(-(wire - min) / (T spread)); and `placer
 * place --policy FILE` places designs/small legally and reproducibly, fails on a bad checkpoint with
 * one line naming it, uses the shipped default policy, and falls back to `none` with a note when the
 * default is not installed. */
#include <math.h>
#include <stdatomic.h>
#include <unistd.h>

#include "parsers/def.h"
#include "core/log.h"
#include "search/legalize.h"
#include "search/prior.h"
#include "tests/testutil.h"

enum { COLS = 7, ROWS = 5, A = COLS * ROWS };

typedef struct fake {
    int mode; /* 0: weight on every cell, most on illegal ones; 1: nothing on legal cells; 2: NaN; 3: p ∝ a+1 */
} fake;

static pl_status fake_probs(void *user, const pl_prior_state *st, double *prob)
{
    const fake *f = user;
    for (int32_t a = 0; a < A; a++) {
        switch (f->mode) {
        case 0: prob[a] = st->mask[a] ? 0.01 : 100.0; break;
        case 1: prob[a] = st->mask[a] ? 0.0 : 1.0; break;
        case 2: prob[a] = NAN; break;
        default: prob[a] = a + 1.0; break;
        }
    }
    return PL_OK;
}

static void make_state(pl_prior_state *st, uint8_t *mask, double *wire, double temperature)
{
    memset(st, 0, sizeof *st);
    for (int32_t a = 0; a < A; a++) {
        mask[a] = (a % 3) != 0;
        wire[a] = 10.0 + (double)((a * 7) % 11);
    }
    st->cols = COLS, st->rows = ROWS, st->mask = mask, st->wire = wire, st->temperature = temperature;
}

Test(policy_prior, never_weights_an_illegal_cell)
{
    uint8_t mask[A];
    double wire[A], weight[A];
    for (int mode = 0; mode < 4; mode++) {
        for (int ti = 0; ti < 3; ti++) {
            fake f = {mode};
            pl_prior_mix m;
            pl_prior_mix_init(&m, fake_probs, &f, "fake");
            m.wire_weight = ti == 2 ? 0 : 1;
            pl_prior pr = pl_prior_mix_get(&m);
            pl_prior_state st;
            make_state(&st, mask, wire, ti == 0 ? 0 : 0.2);
            cr_assert_eq(pr.fn(pr.user, &st, weight), PL_OK);
            double legal = 0;
            for (int32_t a = 0; a < A; a++) {
                if (!mask[a]) cr_assert_eq(weight[a], 0.0, "mode %d t %d: illegal cell %d weighted", mode, ti, (int)a);
                cr_assert(weight[a] >= 0 && isfinite(weight[a]));
                legal += weight[a];
            }
            cr_assert_gt(legal, 0, "mode %d: no legal cell weighted", mode);
            long long want_fb = mode == 1 || mode == 2;
            cr_assert_eq(atomic_load(&m.fallbacks), want_fb, "mode %d", mode);
            cr_assert_eq(atomic_load(&m.calls), 1);
            if (want_fb)
                for (int32_t a = 0; a < A; a++) cr_assert_eq(weight[a], mask[a] ? 1.0 : 0.0, "uniform fallback");
        }
    }
}

Test(policy_prior, weight_is_p_times_the_wire_term)
{
    uint8_t mask[A];
    double wire[A], weight[A];
    fake f = {3};
    pl_prior_mix m;
    pl_prior_mix_init(&m, fake_probs, &f, "fake");
    pl_prior pr = pl_prior_mix_get(&m);
    pl_prior_state st;
    double T = 0.3;
    make_state(&st, mask, wire, T);
    cr_assert_eq(pr.fn(pr.user, &st, weight), PL_OK);
    double lo = INFINITY, sum = 0;
    int n = 0;
    for (int32_t a = 0; a < A; a++)
        if (mask[a]) lo = fmin(lo, wire[a]), sum += wire[a], n++;
    double spread = sum / n - lo;
    int32_t ref = -1;
    for (int32_t a = 0; a < A; a++) {
        if (!mask[a]) continue;
        if (ref < 0) {
            ref = a;
            continue;
        }
        double want = ((a + 1.0) / (ref + 1.0)) * exp(-(wire[a] - wire[ref]) / (T * spread));
        cr_assert_float_eq(weight[a] / weight[ref], want, 1e-9 * want, "cell %d", (int)a);
    }
    /* greedy: the argmax of the same product at t_ref */
    st.temperature = 0;
    cr_assert_eq(pr.fn(pr.user, &st, weight), PL_OK);
    int32_t best = -1;
    double bv = -INFINITY;
    for (int32_t a = 0; a < A; a++) {
        if (!mask[a]) continue;
        double v = log(a + 1.0) - (wire[a] - lo) / (m.t_ref * spread);
        if (v > bv) bv = v, best = a;
    }
    for (int32_t a = 0; a < A; a++) cr_assert_eq(weight[a], a == best ? 1.0 : 0.0, "cell %d (argmax %d)", (int)a, (int)best);
    /* the policy alone */
    m.wire_weight = 0;
    st.temperature = T;
    cr_assert_eq(pr.fn(pr.user, &st, weight), PL_OK);
    int32_t last = -1;
    for (int32_t a = 0; a < A; a++)
        if (mask[a]) last = a;
    for (int32_t a = 0; a < A; a++)
        if (mask[a]) cr_assert_float_eq(weight[a], (a + 1.0) / (last + 1.0), 1e-12);
}

/* ---- the command ---- */

#define QUICK "--effort fast --time-limit 0 --rollouts 6 --keep 2 --chains 1 --rounds 2 --moves-per-macro 300"

static void assert_legal(const char *def)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_netlist nl;
    pl_netlist_init(&nl);
    const char *lefs[3] = {"designs/small/small.tlef", "designs/small/small_cells.lef", "designs/small/small_macros.lef"};
    cr_assert_eq(pl_design_read(&nl, def, lefs, 3), PL_OK, "%s", pl_errmsg());
    char msg[256] = "";
    cr_assert_eq(pl_legalize_check(&nl, NULL, msg, sizeof msg), 0, "%s", msg);
    int fixed = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) fixed += nl.nodes[i].kind == PL_NODE_MACRO && nl.nodes[i].state == PL_PLACE_FIXED;
    cr_assert_eq(fixed, 4);
    pl_netlist_free(&nl);
}

Test(policy_prior, policy_file_places_small_legally_and_reproducibly, .timeout = 120)
{
    const char *dir = pl_test_tmpdir();
    char cmd[2048], a[512], b[512], rep[512], *out, *err;
    snprintf(a, sizeof a, "%s/a.def", dir);
    snprintf(b, sizeof b, "%s/b.def", dir);
    snprintf(rep, sizeof rep, "%s/a.json", dir);
    snprintf(cmd, sizeof cmd, "%s place designs/small/small.def --policy policies/default.ckpt -o %s --report %s "
             "--seed 5 --threads 1 " QUICK, pl_test_placer(), a, rep);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    free(out), free(err);
    snprintf(cmd, sizeof cmd, "%s -q place designs/small/small.def --policy policies/default.ckpt -o %s --seed 5 "
             "--threads 2 " QUICK, pl_test_placer(), b);
    cr_assert_eq(pl_test_run(cmd, NULL, NULL), 0, "%s", cmd);
    char *x = pl_test_slurp(a, NULL), *y = pl_test_slurp(b, NULL), *r = pl_test_slurp(rep, NULL);
    cr_assert(x && y && r);
    cr_assert_str_eq(x, y, "same seed and budgets, different output (threads 1 vs 2)");
    cr_assert(strstr(r, "\"policy\": \"policies/default.ckpt\""), "%s", r);
    cr_assert(strstr(r, "\"policy_fallbacks\": 0"), "%s", r);
    cr_assert_null(strstr(r, "\"policy_states\": 0,"), "the policy was never asked: %s", r);
    free(x), free(y), free(r);
    assert_legal(a);
}

Test(policy_prior, bad_checkpoint_fails_with_one_line_naming_it)
{
    const char *dir = pl_test_tmpdir();
    char ck[512], cmd[2048], outp[512], *out, *err;
    snprintf(ck, sizeof ck, "%s/broken.ckpt", dir);
    FILE *f = fopen(ck, "wb");
    fputs("this is not a checkpoint, just some bytes that are long enough to hold a header: "
          "................................................................................",
          f);
    fclose(f);
    snprintf(outp, sizeof outp, "%s/o.def", dir);
    snprintf(cmd, sizeof cmd, "%s place designs/small/small.def --policy %s -o %s", pl_test_placer(), ck, outp);
    int rc = pl_test_run(cmd, &out, &err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, "placer: error: "), "%s", err);
    cr_assert(strstr(err, ck), "the error does not name %s: %s", ck, err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "not one line: %s", err);
    cr_assert_not(pl_test_exists(outp));
    free(out), free(err);
}

Test(policy_prior, default_policy_is_used_or_none_with_a_note, .timeout = 120)
{
    const char *dir = pl_test_tmpdir();
    char cmd[4096], rep[512], *out, *err;
    /* from the build folder: policies/default.ckpt beside it */
    snprintf(rep, sizeof rep, "%s/d.json", dir);
    snprintf(cmd, sizeof cmd, "%s place designs/small/small.def -o %s/d.def --report %s --threads 1 " QUICK,
             pl_test_placer(), dir, rep);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    char *r = pl_test_slurp(rep, NULL);
    cr_assert(r && strstr(r, "policies/default.ckpt\""), "the default policy was not used: %s", r);
    cr_assert_null(strstr(err, "no default policy"), "%s", err);
    free(out), free(err), free(r);
    /* a copy of the binary with no policy beside it: --policy none, one note */
    snprintf(cmd, sizeof cmd, "mkdir -p %s/bin && cp %s %s/bin/placer && %s/bin/placer place designs/small/small.def "
             "-o %s/n.def --report %s/n.json --threads 1 " QUICK, dir, pl_test_placer(), dir, dir, dir, dir);
    cr_assert_eq(pl_test_run(cmd, &out, &err), 0, "%s\n%s", cmd, err);
    cr_assert(strstr(err, "no default policy"), "%s", err);
    cr_assert(strstr(err, "--policy none"), "%s", err);
    snprintf(rep, sizeof rep, "%s/n.json", dir);
    r = pl_test_slurp(rep, NULL);
    cr_assert(r && strstr(r, "\"policy\": \"none\"") && strstr(r, "\"prior\": \"wiremask\""), "%s", r);
    free(out), free(err), free(r);
}

/* ---- search/policy_prior.h directly: a trained policy as the prior of an in-process search ---- */

#include "cluster/problem.h"
#include "search/place.h"
#include "search/policy_prior.h"

/* designs/small set up as eval does, placed with the shipped policy as prior on `threads` threads; with
 * greedy_only, the greedy rollout alone (no FD start, no refinement). */
static void place_small_with(pl_policy_prior *g, int threads, int greedy_only, pl_netlist *out, pl_place_result *res)
{
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/small/small.def";
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    cr_assert_eq(pl_place_config_effort(&cfg, "fast"), PL_OK);
    cfg.time_limit = 0, cfg.rollouts = 6, cfg.keep = 2, cfg.chains = 1, cfg.rounds = 2, cfg.moves_per_macro = 200;
    cfg.threads = threads;
    if (greedy_only) cfg.rollouts = 1, cfg.chains = 0, cfg.fd_start = 0;
    cfg.prior = pl_prior_mix_get(&g->mix);
    cr_assert_eq(pl_place_run(&p, &cfg, res), PL_OK, "%s", pl_errmsg());
    *out = p.flat; /* moved out */
    pl_netlist_init(&p.flat);
    pl_problem_free(&p);
}

static void place_small(pl_policy_prior *g, int threads, pl_netlist *out, pl_place_result *res)
{
    place_small_with(g, threads, 0, out, res);
}

static void assert_same_placement(const pl_netlist *a, const pl_netlist *b)
{
    cr_assert_eq(a->nnodes, b->nnodes);
    for (int64_t i = 0; i < a->nnodes; i++) {
        cr_assert_eq(a->nodes[i].x, b->nodes[i].x, "%s", a->nodes[i].name);
        cr_assert_eq(a->nodes[i].y, b->nodes[i].y, "%s", a->nodes[i].name);
    }
}

/* eval=greedy: the network runs once per macro, along rollout 0 (the greedy rollout is the one state mode
 * gives), the other rollouts replay its record, and the threads change nothing. */
Test(policy_prior, module_greedy_eval_runs_the_network_once_per_macro, .timeout = 120)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_policy_prior g1, g2, gs, gg;
    const char *ck = "policies/default.ckpt";
    cr_assert_eq(pl_policy_prior_init(&g1, ck, 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_GREEDY), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_policy_prior_init(&g2, ck, 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_GREEDY), PL_OK, "%s", pl_errmsg());
    cr_assert(pl_prior_mix_get(&g1.mix).first_alone, "the search must run the greedy rollout first, alone");
    pl_netlist a, b;
    pl_place_result ra, rb;
    place_small(&g1, 1, &a, &ra);
    place_small(&g2, 2, &b, &rb);
    assert_same_placement(&a, &b);
    cr_assert_eq(ra.stage[ra.nstages - 1].terms.proxy_cost, rb.stage[rb.nstages - 1].terms.proxy_cost);
    long long n = ra.movable, calls = atomic_load(&g1.mix.calls);
    cr_assert_gt(n, 1);
    cr_assert_eq(atomic_load(&g1.network), n, "one network call per macro, not %lld", atomic_load(&g1.network));
    cr_assert_eq(atomic_load(&g2.network), n);
    cr_assert_eq(calls, atomic_load(&g2.mix.calls));
    cr_assert_gt(calls, 2 * n, "the other rollouts asked too (%lld states)", calls);
    cr_assert_eq(g1.nref, n, "the whole greedy rollout recorded");
    cr_assert_eq(g1.recording, 0);
    /* the record is a distribution per step over the cells the greedy state allowed, positive everywhere */
    int32_t ncell = g1.d.A;
    for (int32_t j = 0; j < g1.nref; j++)
        for (int32_t c = 0; c < ncell; c++) cr_assert(g1.ref[(size_t)j * ncell + c] > 0, "step %d cell %d", j, c);
    /* the greedy rollout alone: the same placement as the network at every state gives */
    cr_assert_eq(pl_policy_prior_init(&gs, ck, 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_STATE), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_policy_prior_init(&gg, ck, 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_GREEDY), PL_OK, "%s", pl_errmsg());
    cr_assert_not(pl_prior_mix_get(&gs.mix).first_alone);
    pl_netlist c, e;
    pl_place_result rc, re;
    place_small_with(&gs, 1, 1, &c, &rc);
    place_small_with(&gg, 1, 1, &e, &re);
    assert_same_placement(&c, &e);
    cr_assert_eq(atomic_load(&gs.network), n);
    cr_assert_eq(atomic_load(&gg.network), n);
    /* a second search on the same prior replays: no network call, the same greedy placement */
    pl_netlist f;
    pl_place_result rf;
    place_small_with(&gg, 2, 1, &f, &rf);
    assert_same_placement(&e, &f);
    cr_assert_eq(atomic_load(&gg.network), n);
    pl_netlist_free(&a), pl_netlist_free(&b), pl_netlist_free(&c), pl_netlist_free(&e), pl_netlist_free(&f);
    pl_policy_prior_free(&g1), pl_policy_prior_free(&g2), pl_policy_prior_free(&gs), pl_policy_prior_free(&gg);
}

Test(policy_prior, module_threads_do_not_change_the_placement, .timeout = 120)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_policy_prior g1, g2;
    cr_assert_eq(pl_policy_prior_init(&g1, "policies/default.ckpt", 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_STATE), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_policy_prior_init(&g2, "policies/default.ckpt", 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_STATE), PL_OK, "%s", pl_errmsg());
    pl_netlist a, b;
    pl_place_result ra, rb;
    place_small(&g1, 1, &a, &ra);
    place_small(&g2, 2, &b, &rb);
    cr_assert_gt(atomic_load(&g1.mix.calls), 0, "the search asked the policy");
    cr_assert_eq(atomic_load(&g1.mix.calls), atomic_load(&g2.mix.calls), "same states asked on 1 and 2 threads");
    cr_assert_eq(atomic_load(&g1.mix.fallbacks), 0);
    cr_assert_eq(g1.nslots, 1, "one thread, one work slot");
    cr_assert_leq(g2.nslots, 2);
    assert_same_placement(&a, &b);
    cr_assert_eq(ra.stage[ra.nstages - 1].terms.proxy_cost, rb.stage[rb.nstages - 1].terms.proxy_cost);
    /* the prior was built for small: another design is refused, not silently mixed */
    pl_place_result rc;
    pl_problem_config pc;
    pl_problem_config_default(&pc);
    pc.design = "designs/demo/demo.def";
    pl_problem p;
    cr_assert_eq(pl_problem_setup(&p, &pc), PL_OK, "%s", pl_errmsg());
    pl_place_config cfg;
    pl_place_config_default(&cfg);
    cfg.time_limit = 0, cfg.rollouts = 2, cfg.chains = 0;
    cfg.prior = pl_prior_mix_get(&g1.mix);
    cr_assert_eq(pl_place_run(&p, &cfg, &rc), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "one prior serves one design"), "%s", pl_errmsg());
    pl_err_clear();
    pl_problem_free(&p);
    pl_netlist_free(&a), pl_netlist_free(&b);
    pl_policy_prior_free(&g1);
    pl_policy_prior_free(&g1); /* idempotent */
    pl_policy_prior_free(&g2);
    pl_policy_prior_free(NULL);
}

Test(policy_prior, module_bad_checkpoint_is_named_and_safe_to_free)
{
    pl_log_set_level(PL_LOG_QUIET);
    pl_policy_prior g;
    cr_assert_neq(pl_policy_prior_init(&g, "designs/small/small.def", 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_GREEDY), PL_OK);
    cr_assert(strstr(pl_errmsg(), "designs/small/small.def"), "%s", pl_errmsg());
    pl_err_clear();
    pl_policy_prior_free(&g);
    cr_assert_neq(pl_policy_prior_init(&g, "/nonexistent/policy.ckpt", 1.0, PL_GNN_DEVICE_CPU, PL_POLICY_EVAL_STATE), PL_OK);
    cr_assert(strstr(pl_errmsg(), "/nonexistent/policy.ckpt"), "%s", pl_errmsg());
    pl_err_clear();
    pl_policy_prior_free(&g);
}

/* The policy's states asked, from a report. */
static long policy_states(const char *report)
{
    char *r = pl_test_slurp(report, NULL);
    cr_assert(r);
    const char *p = strstr(r, "\"policy_states\": ");
    cr_assert(p, "%s", r);
    long n = strtol(p + strlen("\"policy_states\": "), NULL, 10);
    free(r);
    return n;
}

/* Which rollouts ask the policy (one state per macro each): --policy-rollouts K the first K, --policy-mix
 * all every one, the default (alternate) the even ones, the odd ones the wire mask, and the search keeps the
 * best of each half for the after-FD comparison; the report names the mix; the result stays legal. */
Test(policy_prior, policy_rollouts_and_mix_choose_the_rollouts_that_ask_the_network, .timeout = 120)
{
    const char *dir = pl_test_tmpdir();
    const char *mode[3] = {"--policy-rollouts 2", "--policy-mix all", ""};
    const char *mix[3] = {"\"policy_mix\": \"first\"", "\"policy_mix\": \"all\"", "\"policy_mix\": \"alternate\""};
    long states[3];
    char cmd[2048], a[512], rep[512];
    for (int m = 0; m < 3; m++) {
        snprintf(a, sizeof a, "%s/a%d.def", dir, m);
        snprintf(rep, sizeof rep, "%s/a%d.json", dir, m);
        snprintf(cmd, sizeof cmd,
                 "%s -q place designs/small/small.def --policy policies/default.ckpt --seed 3 --threads 2 "
                 "--rollouts 16 --chains 0 --time-limit 0 %s -o %s --report %s",
                 pl_test_placer(), mode[m], a, rep);
        cr_assert_eq(pl_test_run(cmd, NULL, NULL), 0, "%s", cmd);
        states[m] = policy_states(rep);
        char *r = pl_test_slurp(rep, NULL);
        cr_assert(r && strstr(r, mix[m]), "%s: no %s in the report", cmd, mix[m]);
        free(r);
        assert_legal(a);
    }
    /* small.def: 4 movable macros, every rollout places all of them */
    cr_assert_eq(states[0], 2 * 4, "2 policy rollouts asked %ld states", states[0]);
    cr_assert_eq(states[1], 16 * 4, "16 policy rollouts asked %ld states", states[1]);
    cr_assert_eq(states[2], 8 * 4, "the 8 even rollouts asked %ld states", states[2]);
    /* the search re-costs (after FD) the best by quick cost of each family, half the places each */
    snprintf(cmd, sizeof cmd,
             "%s -v -v place designs/small/small.def --policy policies/default.ckpt --seed 3 --threads 2 "
             "--rollouts 16 --keep 4 --chains 0 --fd-start 0 --time-limit 0 -o %s/c.def",
             pl_test_placer(), dir);
    char *log = NULL;
    cr_assert_eq(pl_test_run(cmd, NULL, &log), 0, "%s", cmd);
    int fam[2] = {0, 0}, kept = 0;
    for (const char *q = log; (q = strstr(q, "search: candidate ")); q++) { /* the last search's list: a search */
        int c = -1;                                                           /* retried at a narrower channel */
        long i = -1;                                                          /* lists its candidates again */
        cr_assert_eq(sscanf(q, "search: candidate %d (rollout %ld)", &c, &i), 2, "%.80s", q);
        if (c == 0) fam[0] = fam[1] = kept = 0;
        fam[i % 2]++, kept++;
    }
    cr_assert_eq(kept, 4, "%d candidates re-costed: %s", kept, log);
    cr_assert(fam[0] == 2 && fam[1] == 2, "even %d, odd %d: %s", fam[0], fam[1], log);
    free(log);
    snprintf(cmd, sizeof cmd, "%s -q place designs/small/small.def --policy-mix all --policy-rollouts 2 -o %s/b.def",
             pl_test_placer(), dir);
    char *err = NULL;
    cr_assert_neq(pl_test_run(cmd, NULL, &err), 0, "%s", cmd);
    cr_assert(err && strstr(err, "--policy-mix"), "%s", err ? err : "");
    free(err);
    snprintf(a, sizeof a, "%s/b.def", dir);
    cr_assert_neq(access(a, F_OK), 0, "no output after a refused option");
}
