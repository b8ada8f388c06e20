/* status.h: error codes and the last error message.
 *
 * Contract: every fallible function returns a pl_status. The failure site records a one-line
 * message with pl_err(); callers pass the code up unchanged and only placer/main.c prints it and
 * exits. Parse errors name the input as "file:line: ...". The message buffer is thread-local,
 * so threads never see each other's errors. PL_ASSERT is for broken invariants, never for bad
 * user input.
 */
#ifndef PL_STATUS_H
#define PL_STATUS_H

#include <stdio.h>
#include <stdlib.h>

typedef enum pl_status {
    PL_OK = 0,
    PL_ENOMEM,   /* out of memory */
    PL_EINVAL,   /* invalid argument or option */
    PL_EPARSE,   /* malformed input file */
    PL_EIO,      /* file system error */
    PL_ENOTSUP,  /* feature not built in or not supported */
    PL_ECUDA,    /* CUDA runtime error */
    PL_EMPI      /* MPI error */
} pl_status;

/* Records a printf-style message for `code` and returns `code`. */
pl_status pl_err(pl_status code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last recorded message of this thread ("" if none). */
const char *pl_errmsg(void);
/* Clears the message. */
void pl_err_clear(void);
/* A short name for a code: "out of memory", "parse error"... */
const char *pl_status_str(pl_status code);

/* Propagate a failure: PL_TRY(pl_def_read(...)); */
#define PL_TRY(expr)                              \
    do {                                          \
        pl_status pl_try_s_ = (expr);             \
        if (pl_try_s_ != PL_OK) return pl_try_s_; \
    } while (0)

#define PL_ASSERT(cond)                                                                     \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: internal error: assertion '%s' failed\n", __FILE__,      \
                    __LINE__, #cond);                                                       \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

#endif
