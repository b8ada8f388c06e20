/* supervise.h: `placer train --supervise`: the MPI job run as a child, restarted from its checkpoint.
 *
 * Open MPI 4.1 (no ULFM) ends the whole job when a rank dies. The supervisor runs `LAUNCHER -np N
 * <this executable> train ARGS` (PL_TRAIN_SUPERVISED=1 set) and, when the job died (a signal, exit
 * > 128, exit PL_SEED_EXIT_RETRY, or exit 0 short of `iterations`), starts it again with --resume, at
 * most max_restarts times, one line on stderr each. Other exits (bad input, no launcher) are returned,
 * never retried; SIGINT/SIGTERM/SIGHUP go to the job and end the supervision. A launcher still running
 * 10 s after all its child processes have ended (mpirun can deadlock so in its abort path) is killed
 * and counts as a died job (read from /proc: Linux). A resumed run ends
 * byte-identical to an uninterrupted one (rl/train.h), so a supervised one does too. Errors: pl_status;
 * the forked child only execs (or _exits 127). One thread.
 */
#ifndef PL_PLACER_SUPERVISE_H
#define PL_PLACER_SUPERVISE_H

#include <stdint.h>

#include "core/status.h"

typedef struct pl_supervise_config {
    const char *launcher; /* "mpirun" and its options, split on spaces */
    int np;               /* ranks */
    int max_restarts;     /* 3 */
    const char *ckpt;     /* the run's -o */
    int64_t iterations;   /* the run's --iterations: done when the checkpoint's step reaches it */
    int resume;           /* the run was given --resume: an existing checkpoint is this run's */
} pl_supervise_config;

/* argv[0..argc) are `train`'s arguments (argv[0] "train"), passed on unchanged (the child ignores
 * --supervise and its options, seeing PL_TRAIN_SUPERVISED); *restarts gets how many were needed. */
pl_status pl_supervise_train(const pl_supervise_config *cfg, int argc, char **argv, int *restarts);

#endif
