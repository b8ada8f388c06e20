/* mpi_seed.c: SEED RL over MPI: learner and actor loops (see mpi_seed.h). */
#include "rl/mpi_seed.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#ifdef PL_HAVE_MPI
#include <mpi.h>

enum { TAG_TASK = 11, TAG_ACT = 12, TAG_STATIC = 13, TAG_OBS = 14, TAG_END = 15 };

typedef struct msg_task {
    int32_t j;      /* episode of the iteration, -1: stop */
    int32_t design;
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
    if (size > 1) MPI_Abort(MPI_COMM_WORLD, 1);
}

static pl_status mpi_check(int rc, const char *what)
{
    if (rc == MPI_SUCCESS) return PL_OK;
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    return pl_err(PL_EMPI, "train: %s failed: %s", what, msg);
}

/* Receives the message announced by st into a malloc'd buffer. */
static pl_status recv_probed(const MPI_Status *st, void **buf, int *len)
{
    PL_TRY(mpi_check(MPI_Get_count(st, MPI_BYTE, len), "MPI_Get_count"));
    *buf = malloc((size_t)*len + 8);
    if (!*buf) return pl_err(PL_ENOMEM, "train: out of memory for a %d-byte message", *len);
    pl_status s = mpi_check(MPI_Recv(*buf, *len, MPI_BYTE, st->MPI_SOURCE, st->MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                            "MPI_Recv");
    if (s != PL_OK) free(*buf), *buf = NULL;
    return s;
}

static pl_status send_task(int rank, int slot, int32_t j, int32_t design)
{
    msg_task t = {j, design, slot, 0};
    return mpi_check(MPI_Send(&t, sizeof t, MPI_BYTE, rank, TAG_TASK, MPI_COMM_WORLD), "MPI_Send(task)");
}

typedef struct pending {
    void *buf;
    int src;
} pending;

pl_status pl_seed_collect(pl_rollout *ro, int slots)
{
    int rank, size;
    pl_seed_world(&rank, &size);
    if (size < 2) return pl_err(PL_EINVAL, "train: distributed collection needs at least one actor rank");
    const int M = ro->ntraj, nact = size - 1;
    int next = 0, done = 0;
    for (int s = 0; s < slots; s++)
        for (int r = 1; r <= nact && next < M; r++, next++) PL_TRY(send_task(r, s, next, ro->traj[next].design));
    pending *pend = malloc(sizeof *pend * (size_t)(nact * slots + 1));
    if (!pend) return pl_err(PL_ENOMEM, "train: out of memory");
    pl_status s = PL_OK;
    while (done < M && s == PL_OK) {
        int np = 0, flag = 1, first = 1;
        while (s == PL_OK && (first || flag)) {
            MPI_Status st;
            if (first) s = mpi_check(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st), "MPI_Probe");
            else s = mpi_check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
            first = 0;
            if (s != PL_OK || !flag) break;
            void *buf;
            int len;
            s = recv_probed(&st, &buf, &len);
            if (s != PL_OK) break;
            msg_hdr h;
            if ((size_t)len < sizeof h) {
                free(buf);
                s = pl_err(PL_EMPI, "train: short message (%d bytes) from rank %d", len, st.MPI_SOURCE);
                break;
            }
            memcpy(&h, buf, sizeof h);
            if (st.MPI_TAG == TAG_STATIC) {
                pl_obs_static os;
                s = pl_obs_static_unpack(&os, (char *)buf + sizeof h, (size_t)len - sizeof h);
                if (s == PL_OK) s = pl_rollout_set_static(ro, h.design, &os);
                free(buf);
            } else if (st.MPI_TAG == TAG_END && (size_t)len >= sizeof h + sizeof(pl_env_result) && h.j >= 0 && h.j < M) {
                pl_env_result res;
                memcpy(&res, (char *)buf + sizeof h, sizeof res);
                pl_rollout_end(ro, h.j, h.reward, &res);
                free(buf);
                done++;
                if (next < M) {
                    s = send_task(st.MPI_SOURCE, h.slot, next, ro->traj[next].design);
                    next++;
                }
            } else if (st.MPI_TAG == TAG_OBS && h.j >= 0 && h.j < M && np < nact * slots) {
                pend[np++] = (pending){buf, st.MPI_SOURCE};
            } else {
                free(buf);
                s = pl_err(PL_EMPI, "train: unexpected message (tag %d, %d bytes) from rank %d", st.MPI_TAG, len,
                           st.MPI_SOURCE);
            }
        }
        /* central inference over every observation that is waiting */
        for (int k = 0; k < np; k++) {
            if (s == PL_OK) {
                msg_hdr h;
                memcpy(&h, pend[k].buf, sizeof h);
                msg_act a = {h.slot, -1};
                s = pl_rollout_act(ro, h.j, (char *)pend[k].buf + sizeof h, h.reward, &a.action);
                if (s == PL_OK)
                    s = mpi_check(MPI_Send(&a, sizeof a, MPI_BYTE, pend[k].src, TAG_ACT, MPI_COMM_WORLD), "MPI_Send(action)");
            }
            free(pend[k].buf);
        }
    }
    free(pend);
    return s;
}

pl_status pl_seed_stop(void)
{
    int rank, size;
    pl_seed_world(&rank, &size);
    for (int r = 1; r < size; r++) PL_TRY(send_task(r, 0, -1, -1));
    return PL_OK;
}

typedef struct actor_slot {
    int32_t j, design;
    pl_env *env;
} actor_slot;

static pl_status actor_send(int tag, const msg_hdr *h, const void *body, size_t n, void **buf, size_t *cap)
{
    size_t need = sizeof *h + n;
    if (need > *cap) {
        void *b = realloc(*buf, need);
        if (!b) return pl_err(PL_ENOMEM, "train: out of memory for a %zu-byte message", need);
        *buf = b, *cap = need;
    }
    memcpy(*buf, h, sizeof *h);
    if (n) memcpy((char *)*buf + sizeof *h, body, n);
    return mpi_check(MPI_Send(*buf, (int)need, MPI_BYTE, 0, tag, MPI_COMM_WORLD), "MPI_Send");
}

/* Sends the slot's observation, or its result when the episode is over. */
static pl_status actor_report(actor_slot *sl, int slot, double reward, void **buf, size_t *cap, void **rec,
                              size_t *rec_cap)
{
    msg_hdr h = {sl->j, slot, sl->design, 0, reward};
    if (sl->env->done) return actor_send(TAG_END, &h, &sl->env->res, sizeof sl->env->res, buf, cap);
    size_t rb = pl_env_rec_bytes(sl->env);
    if (rb > *rec_cap) {
        void *r = realloc(*rec, rb);
        if (!r) return pl_err(PL_ENOMEM, "train: out of memory");
        *rec = r, *rec_cap = rb;
    }
    pl_env_observe(sl->env, *rec);
    return actor_send(TAG_OBS, &h, *rec, rb, buf, cap);
}

pl_status pl_seed_actor(const pl_env_source *sources, int ndesigns, const pl_env_config *cfg, int slots)
{
    size_t ne = (size_t)ndesigns * (size_t)slots;
    pl_env *envs = calloc(ne, sizeof *envs);
    uint8_t *have = calloc(ne, 1), *sent = calloc((size_t)ndesigns, 1);
    actor_slot *sl = calloc((size_t)slots, sizeof *sl);
    void *buf = NULL, *rec = NULL, *msg = NULL;
    size_t cap = 0, rec_cap = 0;
    pl_status s = PL_OK;
    if (!envs || !have || !sent || !sl) s = pl_err(PL_ENOMEM, "train: out of memory");
    while (s == PL_OK) {
        MPI_Status st;
        int len;
        s = mpi_check(MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st), "MPI_Probe");
        if (s == PL_OK) s = recv_probed(&st, &msg, &len);
        if (s != PL_OK) break;
        if (st.MPI_TAG == TAG_TASK && (size_t)len == sizeof(msg_task)) {
            msg_task t;
            memcpy(&t, msg, sizeof t);
            free(msg), msg = NULL;
            if (t.j < 0) break;
            if (t.slot < 0 || t.slot >= slots || t.design < 0 || t.design >= ndesigns) {
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
                s = actor_send(TAG_STATIC, &h, b, n, &buf, &cap);
                free(b);
                sent[t.design] = 1;
            }
            sl[t.slot] = (actor_slot){t.j, t.design, &envs[k]};
            if (s == PL_OK) s = pl_env_reset(sl[t.slot].env);
            if (s == PL_OK) s = actor_report(&sl[t.slot], t.slot, 0, &buf, &cap, &rec, &rec_cap);
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
            if (s == PL_OK) s = actor_report(&sl[a.slot], a.slot, r, &buf, &cap, &rec, &rec_cap);
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

pl_status pl_seed_collect(pl_rollout *ro, int slots)
{
    (void)ro, (void)slots;
    return pl_err(PL_ENOTSUP, "train: built without MPI (make MPI=1 with Open MPI installed)");
}

pl_status pl_seed_stop(void) { return PL_OK; }

pl_status pl_seed_actor(const pl_env_source *sources, int ndesigns, const pl_env_config *cfg, int slots)
{
    (void)sources, (void)ndesigns, (void)cfg, (void)slots;
    return pl_err(PL_ENOTSUP, "train: built without MPI (make MPI=1 with Open MPI installed)");
}

#endif
