/* mpi_seed.c: SEED RL over MPI: learner and actor loops (see mpi_seed.h). */
#include "rl/mpi_seed.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"

#ifdef PL_HAVE_MPI
#include <mpi.h>
#endif

void pl_seed_config_default(pl_seed_config *cfg)
{
    const char *rec = getenv("OMPI_MCA_orte_enable_recovery"); /* set by mpirun --enable-recovery */
    cfg->slots = 2;
    cfg->timeout_s = 600;
    cfg->recovery = rec && (!strcmp(rec, "1") || !strcmp(rec, "true"));
}

void pl_seed_learner_free(pl_seed_learner *L)
{
    if (!L) return;
    free(L->lost);
    memset(L, 0, sizeof *L);
}

pl_status pl_seed_learner_init(pl_seed_learner *L, const pl_seed_config *cfg)
{
    memset(L, 0, sizeof *L);
    L->cfg = *cfg;
    if (cfg->slots < 1 || !(cfg->timeout_s >= 0)) return pl_err(PL_EINVAL, "train: slots must be >= 1, the MPI timeout >= 0");
    int rank, size;
    pl_seed_world(&rank, &size);
    L->nact = size - 1;
    L->lost = calloc((size_t)size, 1);
#ifdef PL_HAVE_MPI
    /* errors come back as codes (mpi_check), so that a send to a lost actor can drop it */
    if (size > 1) MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
#endif
    return L->lost ? PL_OK : pl_err(PL_ENOMEM, "train: out of memory");
}

int pl_seed_actors(const pl_seed_learner *L)
{
    return L->nact - L->nlost;
}

#ifdef PL_HAVE_MPI

enum { TAG_TASK = 11, TAG_ACT = 12, TAG_STATIC = 13, TAG_OBS = 14, TAG_END = 15 };

typedef struct msg_task {
    int32_t j;      /* episode of the iteration, -1: stop */
    int32_t design; /* stop: 1 when ranks were lost (then MPI_Finalize would wait for them) */
    int32_t slot;
    int32_t pad;
} msg_task;

typedef struct msg_act {
    int32_t slot, action;
} msg_act;

typedef struct msg_hdr { /* OBS and END (then pl_env_result), STATIC (design only, then the static) */
    int32_t j, slot, design, pad;
    double reward;
} msg_hdr;

static int mpi_up(void)
{
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    return init && !fin;
}

void pl_seed_world(int *rank, int *size)
{
    *rank = 0, *size = 1;
    if (!mpi_up()) return;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
}

void pl_seed_abort(pl_status s)
{
    int rank, size;
    pl_seed_world(&rank, &size);
    const char *m = pl_errmsg();
    fprintf(stderr, "[train] rank %d: error: %s\n", rank, m[0] ? m : pl_status_str(s));
    fflush(stderr);
    if (size > 1) MPI_Abort(MPI_COMM_WORLD, s == PL_EMPI ? PL_SEED_EXIT_RETRY : 1);
}

static pl_status mpi_check(int rc, const char *what)
{
    if (rc == MPI_SUCCESS) return PL_OK;
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    return pl_err(PL_EMPI, "train: %s failed: %s", what, msg);
}

/* Between two polls that found nothing: give the core away at once (ranks may outnumber cores), and
 * after 2 ms of waiting sleep 0.2 ms between polls, which bounds the added latency. */
static void poll_pause(double since)
{
    if (pl_clock_seconds() - since < 2e-3) {
        sched_yield();
    } else {
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
}

static int past(double since, double timeout_s)
{
    return timeout_s > 0 && pl_clock_seconds() - since > timeout_s;
}

/* Completes req, polling; PL_EMPI after timeout_s (then req stays pending and its buffer must be
 * left alone: the process is about to abort or to drop that peer). */
static pl_status wait_req(MPI_Request *req, double timeout_s, const char *what, int peer)
{
    double t0 = pl_clock_seconds();
    for (;;) {
        int flag = 0;
        PL_TRY(mpi_check(MPI_Test(req, &flag, MPI_STATUS_IGNORE), what));
        if (flag) return PL_OK;
        if (past(t0, timeout_s))
            return pl_err(PL_EMPI, "train: %s with rank %d made no progress in %.0f s (--mpi-timeout)", what, peer,
                          timeout_s);
        poll_pause(t0);
    }
}

/* Receives the message matched by MPI_Improbe (msg, st) into a malloc'd buffer. */
static pl_status recv_matched(MPI_Message *msg, const MPI_Status *st, double timeout_s, void **buf, int *len)
{
    *buf = NULL;
    PL_TRY(mpi_check(MPI_Get_count(st, MPI_BYTE, len), "MPI_Get_count"));
    void *b = malloc((size_t)*len + 8);
    if (!b) return pl_err(PL_ENOMEM, "train: out of memory for a %d-byte message", *len);
    MPI_Request req;
    pl_status s = mpi_check(MPI_Imrecv(b, *len, MPI_BYTE, msg, &req), "MPI_Imrecv");
    if (s != PL_OK) {
        free(b);
        return s;
    }
    s = wait_req(&req, timeout_s, "a receive", st->MPI_SOURCE);
    if (s == PL_OK) *buf = b; /* else b is MPI's until the process ends: left, not freed */
    return s;
}

/* ---- learner ---- */

typedef struct pending {
    void *buf;
    int src;
} pending;

/* One collection's book-keeping. */
typedef struct collect_state {
    int M, slots;
    int32_t *job;    /* (nact * slots): the episode on rank r's slot k at [(r-1) * slots + k], -1: idle */
    double *last;    /* (nact + 1): last message to or from rank r */
    int *busy;       /* (nact + 1): episodes in flight on rank r */
    int32_t *queue;  /* (M): episodes started again, waiting for a slot */
    int nq, next, done;
} collect_state;

static int32_t *job_of(collect_state *c, int r, int k)
{
    return &c->job[(size_t)(r - 1) * (size_t)c->slots + (size_t)k];
}

static int take(collect_state *c)
{
    if (c->nq) return c->queue[--c->nq];
    return c->next < c->M ? c->next++ : -1;
}

/* Rank r is lost: with recovery, dropped for good and its episodes queued to start again; without,
 * the error. */
static pl_status drop(pl_seed_learner *L, collect_state *c, pl_rollout *ro, int r, const char *why)
{
    if (!L->cfg.recovery)
        return pl_err(PL_EMPI, "train: rank %d %s, with %d episodes in flight (dead or hung); mpirun --enable-recovery "
                      "lets training go on without it, placer train --supervise restarts from the checkpoint",
                      r, why, c->busy[r]);
    pl_warn("train", "rank %d %s: dropped; its %d episodes in flight start again on the others", r, why, c->busy[r]);
    L->lost[r] = 1, L->nlost++;
    for (int k = 0; k < c->slots; k++) {
        int32_t *j = job_of(c, r, k);
        if (*j < 0) continue;
        pl_rollout_restart(ro, *j);
        c->queue[c->nq++] = *j;
        *j = -1;
    }
    c->busy[r] = 0;
    return PL_OK;
}

/* Gives rank r's idle slot k the next episode, if any is left. */
static pl_status give(pl_seed_learner *L, collect_state *c, pl_rollout *ro, int r, int k)
{
    int j = take(c);
    if (j < 0) return PL_OK;
    /* 16 bytes go eagerly: MPI_Send returns without waiting for the actor */
    msg_task t = {j, ro->traj[j].design, k, 0};
    int rc = MPI_Send(&t, sizeof t, MPI_BYTE, r, TAG_TASK, MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) {
        c->queue[c->nq++] = j;
        pl_status s = mpi_check(rc, "MPI_Send(task)");
        return L->cfg.recovery ? drop(L, c, ro, r, "cannot be sent a task") : s;
    }
    *job_of(c, r, k) = j;
    c->busy[r]++;
    c->last[r] = pl_clock_seconds();
    return PL_OK;
}

static pl_status fill(pl_seed_learner *L, collect_state *c, pl_rollout *ro)
{
    for (int k = 0; k < c->slots; k++)
        for (int r = 1; r <= L->nact; r++)
            if (!L->lost[r] && *job_of(c, r, k) < 0) PL_TRY(give(L, c, ro, r, k));
    return PL_OK;
}

/* Polls for any message; *flag 0 when an actor was dropped meanwhile (the caller refills). */
static pl_status wait_any(pl_seed_learner *L, collect_state *c, pl_rollout *ro, MPI_Message *msg, MPI_Status *st,
                          int *flag)
{
    double t0 = pl_clock_seconds(), checked = t0;
    for (;;) {
        PL_TRY(mpi_check(MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, flag, msg, st), "MPI_Improbe"));
        if (*flag) return PL_OK;
        double now = pl_clock_seconds();
        if (now - checked > 0.01 && L->cfg.timeout_s > 0) {
            checked = now;
            int dropped = 0;
            for (int r = 1; r <= L->nact; r++) {
                if (L->lost[r] || !c->busy[r] || now - c->last[r] <= L->cfg.timeout_s) continue;
                char why[96];
                snprintf(why, sizeof why, "sent nothing for %.0f s (--mpi-timeout)", now - c->last[r]);
                PL_TRY(drop(L, c, ro, r, why));
                dropped = 1;
            }
            if (dropped) return PL_OK;
            if (past(t0, L->cfg.timeout_s)) /* no actor owes a message: a broken invariant, not a hang */
                return pl_err(PL_EMPI, "train: no message from any actor in %.0f s (--mpi-timeout)", now - t0);
        }
        poll_pause(t0);
    }
}

/* The message (buf, len) of rank src is for episode h->j on one of its busy slots. */
static int owned(collect_state *c, int src, const msg_hdr *h)
{
    return h->slot >= 0 && h->slot < c->slots && h->j >= 0 && h->j < c->M && *job_of(c, src, h->slot) == h->j;
}

/* Takes in one message (buf, len bytes, malloc'd) of rank src: a static part, an episode's end (its
 * slot gets the next episode), or an observation, kept in pend for the inference batch. */
static pl_status take_message(pl_seed_learner *L, collect_state *c, pl_rollout *ro, int src, int tag, void *buf,
                              int len, pending *pend, int *np)
{
    msg_hdr h;
    if (src < 1 || src > L->nact || L->lost[src]) { /* from a dropped rank: its episodes run elsewhere */
        free(buf);
        return PL_OK;
    }
    if ((size_t)len < sizeof h) {
        free(buf);
        return pl_err(PL_EMPI, "train: short message (%d bytes) from rank %d", len, src);
    }
    memcpy(&h, buf, sizeof h);
    c->last[src] = pl_clock_seconds();
    pl_status s = PL_OK;
    if (tag == TAG_STATIC) {
        pl_obs_static os;
        s = pl_obs_static_unpack(&os, (char *)buf + sizeof h, (size_t)len - sizeof h);
        if (s == PL_OK) s = pl_rollout_set_static(ro, h.design, &os);
    } else if (tag == TAG_END && (size_t)len >= sizeof h + sizeof(pl_env_result) && owned(c, src, &h)) {
        pl_env_result res;
        memcpy(&res, (char *)buf + sizeof h, sizeof res);
        pl_rollout_end(ro, h.j, h.reward, &res);
        c->done++;
        *job_of(c, src, h.slot) = -1;
        c->busy[src]--;
        s = give(L, c, ro, src, h.slot);
    } else if (tag == TAG_OBS && owned(c, src, &h) && *np < L->nact * c->slots) {
        pend[(*np)++] = (pending){buf, src};
        return PL_OK;
    } else {
        s = pl_err(PL_EMPI, "train: unexpected message (tag %d, %d bytes) from rank %d", tag, len, src);
    }
    free(buf);
    return s;
}

pl_status pl_seed_collect(pl_seed_learner *L, pl_rollout *ro)
{
    if (L->nact < 1) return pl_err(PL_EINVAL, "train: distributed collection needs at least one actor rank");
    const int M = ro->ntraj, slots = L->cfg.slots, nact = L->nact;
    collect_state c = {M, slots, NULL, NULL, NULL, NULL, 0, 0, 0};
    c.job = malloc(sizeof *c.job * (size_t)nact * (size_t)slots);
    c.last = calloc((size_t)nact + 1, sizeof *c.last);
    c.busy = calloc((size_t)nact + 1, sizeof *c.busy);
    c.queue = malloc(sizeof *c.queue * (size_t)(M > 0 ? M : 1));
    const size_t nmax = (size_t)(nact * slots + 1);
    pending *pend = malloc(sizeof *pend * nmax);
    int *bj = malloc(sizeof *bj * nmax), *bslot = malloc(sizeof *bslot * nmax);
    const void **brec = malloc(sizeof *brec * nmax);
    double *brew = malloc(sizeof *brew * nmax);
    int32_t *bact = malloc(sizeof *bact * nmax);
    pl_status s = c.job && c.last && c.busy && c.queue && pend && bj && bslot && brec && brew && bact
                      ? PL_OK : pl_err(PL_ENOMEM, "train: out of memory");
    for (int i = 0; c.job && i < nact * slots; i++) c.job[i] = -1;
    if (s == PL_OK) s = fill(L, &c, ro);
    while (c.done < M && s == PL_OK) {
        if (pl_seed_actors(L) == 0) { /* no actor left: the learner steps the rest itself */
            for (int j; s == PL_OK && (j = take(&c)) >= 0; c.done++) s = pl_rollout_local_episode(ro, j);
            break;
        }
        MPI_Message msg;
        MPI_Status st;
        int flag = 0, np = 0;
        s = wait_any(L, &c, ro, &msg, &st, &flag);
        while (s == PL_OK && flag) {
            void *buf;
            int len, src = st.MPI_SOURCE;
            s = recv_matched(&msg, &st, L->cfg.timeout_s, &buf, &len);
            if (s != PL_OK && L->cfg.recovery && src > 0 && src <= nact && !L->lost[src])
                s = drop(L, &c, ro, src, "stopped in the middle of a message");
            if (s == PL_OK && buf) s = take_message(L, &c, ro, src, st.MPI_TAG, buf, len, pend, &np);
            if (s == PL_OK)
                s = mpi_check(MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &msg, &st), "MPI_Improbe");
        }
        /* central inference over every observation that is waiting: one batch */
        int nb = 0;
        for (int k = 0; k < np; k++) {
            msg_hdr h;
            memcpy(&h, pend[k].buf, sizeof h);
            if (L->lost[pend[k].src] || *job_of(&c, pend[k].src, h.slot) != h.j) { /* stale: dropped */
                free(pend[k].buf);
                continue;
            }
            pend[nb] = pend[k], bj[nb] = h.j, brec[nb] = (char *)pend[k].buf + sizeof h, brew[nb] = h.reward;
            bslot[nb++] = h.slot;
        }
        if (s == PL_OK && nb > 0) s = pl_rollout_act_batch(ro, nb, bj, brec, brew, bact);
        for (int k = 0; k < nb; k++) {
            if (s == PL_OK && !L->lost[pend[k].src]) {
                msg_act a = {bslot[k], bact[k]};
                int rc = MPI_Send(&a, sizeof a, MPI_BYTE, pend[k].src, TAG_ACT, MPI_COMM_WORLD);
                if (rc != MPI_SUCCESS) {
                    s = mpi_check(rc, "MPI_Send(action)");
                    if (L->cfg.recovery) s = drop(L, &c, ro, pend[k].src, "cannot be sent an action");
                }
                c.last[pend[k].src] = pl_clock_seconds();
            }
            free(pend[k].buf);
        }
        if (s == PL_OK) s = fill(L, &c, ro);
    }
    free(pend), free(c.job), free(c.last), free(c.busy), free(c.queue);
    free(bj), free(bslot), free(brec), free(brew), free(bact);
    return s;
}

pl_status pl_seed_stop(pl_seed_learner *L)
{
    pl_status s = PL_OK;
    for (int r = 1; r <= L->nact; r++) {
        if (L->lost[r]) continue;
        msg_task t = {-1, L->nlost > 0, 0, 0};
        pl_status e = mpi_check(MPI_Send(&t, sizeof t, MPI_BYTE, r, TAG_TASK, MPI_COMM_WORLD), "MPI_Send(stop)");
        if (s == PL_OK && !L->cfg.recovery) s = e;
    }
    return s;
}

/* ---- actor ---- */

typedef struct actor_slot {
    int32_t j, design;
    pl_env *env; /* NULL: idle */
} actor_slot;

static pl_status actor_send(int tag, const msg_hdr *h, const void *body, size_t n, void **buf, size_t *cap,
                            double timeout_s)
{
    size_t need = sizeof *h + n;
    if (need > *cap) {
        void *b = realloc(*buf, need);
        if (!b) return pl_err(PL_ENOMEM, "train: out of memory for a %zu-byte message", need);
        *buf = b, *cap = need;
    }
    memcpy(*buf, h, sizeof *h);
    if (n) memcpy((char *)*buf + sizeof *h, body, n);
    MPI_Request req;
    PL_TRY(mpi_check(MPI_Isend(*buf, (int)need, MPI_BYTE, 0, tag, MPI_COMM_WORLD, &req), "MPI_Isend"));
    return wait_req(&req, timeout_s, "a send", 0);
}

/* Sends the slot's observation, or its result when the episode is over (the slot is idle then). */
static pl_status actor_report(actor_slot *sl, int slot, double reward, void **buf, size_t *cap, void **rec,
                              size_t *rec_cap, double timeout_s)
{
    msg_hdr h = {sl->j, slot, sl->design, 0, reward};
    if (sl->env->done) {
        pl_env *e = sl->env;
        sl->env = NULL;
        return actor_send(TAG_END, &h, &e->res, sizeof e->res, buf, cap, timeout_s);
    }
    size_t rb = pl_env_rec_bytes(sl->env);
    if (rb > *rec_cap) {
        void *r = realloc(*rec, rb);
        if (!r) return pl_err(PL_ENOMEM, "train: out of memory");
        *rec = r, *rec_cap = rb;
    }
    pl_env_observe(sl->env, *rec);
    return actor_send(TAG_OBS, &h, *rec, rb, buf, cap, timeout_s);
}

/* Polls for the learner's next message, at most timeout_s. */
static pl_status actor_wait(double timeout_s, int busy, MPI_Message *msg, MPI_Status *st)
{
    double t0 = pl_clock_seconds();
    for (;;) {
        int flag = 0;
        PL_TRY(mpi_check(MPI_Improbe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, msg, st), "MPI_Improbe"));
        if (flag) return PL_OK;
        if (past(t0, timeout_s))
            return pl_err(PL_EMPI, busy ? "train: no action from the learner in %.0f s (--mpi-timeout)"
                                        : "train: no word from the learner in %.0f s (--mpi-timeout; the learner's "
                                          "PPO update and checkpoint must fit in it)",
                          timeout_s);
        poll_pause(t0);
    }
}

pl_status pl_seed_actor(const pl_env_source *sources, int ndesigns, const pl_env_config *cfg, const pl_seed_config *sc,
                        int *peers_lost)
{
    *peers_lost = 0;
    const int slots = sc->slots;
    const double T = sc->timeout_s;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    size_t ne = (size_t)ndesigns * (size_t)slots;
    pl_env *envs = calloc(ne, sizeof *envs);
    uint8_t *have = calloc(ne, 1), *sent = calloc((size_t)ndesigns, 1);
    actor_slot *sl = calloc((size_t)slots, sizeof *sl);
    void *buf = NULL, *rec = NULL, *msg = NULL;
    size_t cap = 0, rec_cap = 0;
    pl_status s = PL_OK;
    if (!envs || !have || !sent || !sl) s = pl_err(PL_ENOMEM, "train: out of memory");
    while (s == PL_OK) {
        MPI_Message m;
        MPI_Status st;
        int len, busy = 0;
        for (int k = 0; k < slots; k++) busy += sl[k].env != NULL;
        s = actor_wait(T, busy, &m, &st);
        if (s == PL_OK) s = recv_matched(&m, &st, T, &msg, &len);
        if (s != PL_OK) break;
        if (st.MPI_TAG == TAG_TASK && (size_t)len == sizeof(msg_task)) {
            msg_task t;
            memcpy(&t, msg, sizeof t);
            free(msg), msg = NULL;
            if (t.j < 0) {
                *peers_lost = t.design == 1;
                break;
            }
            if (t.slot < 0 || t.slot >= slots || t.design < 0 || t.design >= ndesigns || sl[t.slot].env) {
                s = pl_err(PL_EMPI, "train: task for slot %d, design %d", (int)t.slot, (int)t.design);
                break;
            }
            size_t k = (size_t)t.design * (size_t)slots + (size_t)t.slot;
            if (!have[k]) {
                s = pl_env_init(&envs[k], &sources[t.design], cfg);
                have[k] = 1; /* freeable even after a failed init */
                if (s != PL_OK) break;
            }
            if (!sent[t.design]) {
                pl_obs_static *os = &envs[k].st;
                size_t n = pl_obs_static_bytes(os);
                void *b = malloc(n);
                if (!b) {
                    s = pl_err(PL_ENOMEM, "train: out of memory");
                    break;
                }
                pl_obs_static_pack(os, b);
                msg_hdr h = {-1, t.slot, t.design, 0, 0};
                s = actor_send(TAG_STATIC, &h, b, n, &buf, &cap, T);
                free(b);
                sent[t.design] = 1;
            }
            sl[t.slot] = (actor_slot){t.j, t.design, &envs[k]};
            if (s == PL_OK) s = pl_env_reset(sl[t.slot].env);
            if (s == PL_OK) s = actor_report(&sl[t.slot], t.slot, 0, &buf, &cap, &rec, &rec_cap, T);
        } else if (st.MPI_TAG == TAG_ACT && (size_t)len == sizeof(msg_act)) {
            msg_act a;
            memcpy(&a, msg, sizeof a);
            free(msg), msg = NULL;
            if (a.slot < 0 || a.slot >= slots || !sl[a.slot].env) {
                s = pl_err(PL_EMPI, "train: action for idle slot %d", (int)a.slot);
                break;
            }
            double r;
            int done;
            s = pl_env_step(sl[a.slot].env, a.action, &r, &done);
            if (s == PL_OK) s = actor_report(&sl[a.slot], a.slot, r, &buf, &cap, &rec, &rec_cap, T);
        } else {
            free(msg), msg = NULL;
            s = pl_err(PL_EMPI, "train: unexpected message (tag %d, %d bytes) from the learner", st.MPI_TAG, len);
        }
    }
    free(msg);
    for (size_t k = 0; k < ne && envs; k++)
        if (have[k]) pl_env_free(&envs[k]);
    free(envs), free(have), free(sent), free(sl), free(buf), free(rec);
    return s;
}

#else /* no MPI */

void pl_seed_world(int *rank, int *size) { *rank = 0, *size = 1; }

void pl_seed_abort(pl_status s) { (void)s; }

pl_status pl_seed_collect(pl_seed_learner *L, pl_rollout *ro)
{
    (void)L, (void)ro;
    return pl_err(PL_ENOTSUP, "train: built without MPI (make MPI=1 with Open MPI installed)");
}

pl_status pl_seed_stop(pl_seed_learner *L)
{
    (void)L;
    return PL_OK;
}

pl_status pl_seed_actor(const pl_env_source *sources, int ndesigns, const pl_env_config *cfg, const pl_seed_config *sc,
                        int *peers_lost)
{
    (void)sources, (void)ndesigns, (void)cfg, (void)sc;
    *peers_lost = 0;
    return pl_err(PL_ENOTSUP, "train: built without MPI (make MPI=1 with Open MPI installed)");
}

#endif
