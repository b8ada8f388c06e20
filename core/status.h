/* status.h: error codes and the last error message.
 *
 * Contract: every fallible function returns a pl_status. The failure site records a one-line
 * message with pl_err(); callers pass the code up unchanged and only placer/main.c prints it and
 * exits. Parse errors name the input as "file:line: ...". A message is always one printable line:
 * pl_err turns control bytes (newlines too) into '?', and names quoted from an input go through
 * pl_err_printable / pl_err_name first. The message buffer is thread-local,
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
/* s[0..n) as printable text for a message, into dst (cap >= 8 bytes, NUL-terminated): every byte
 * outside ' '..'~' (control, DEL, non-ASCII, NUL) becomes '?'; when more than cap - 4 bytes would be
 * needed, as many as fit and then "...". Returns dst. */
char *pl_err_printable(char *dst, size_t cap, const char *s, size_t n);
/* The same into a thread-local ring of 8 buffers of 80 bytes: up to 8 names in one pl_err call. */
const char *pl_err_name(const char *s, size_t n);
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
