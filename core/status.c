/* status.c: the thread-local last-error message. */
#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char g_msg[1024];

pl_status pl_err(pl_status code, const char *fmt, ...)
{
    char buf[sizeof g_msg]; /* the arguments may be the current message: pl_err(s, "x: %s", pl_errmsg()) */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    memcpy(g_msg, buf, sizeof g_msg);
    return code;
}

const char *pl_errmsg(void) { return g_msg; }

void pl_err_clear(void) { g_msg[0] = '\0'; }

const char *pl_status_str(pl_status code)
{
    switch (code) {
    case PL_OK: return "ok";
    case PL_ENOMEM: return "out of memory";
    case PL_EINVAL: return "invalid argument";
    case PL_EPARSE: return "parse error";
    case PL_EIO: return "i/o error";
    case PL_ENOTSUP: return "not supported";
    case PL_ECUDA: return "CUDA error";
    case PL_EMPI: return "MPI error";
    }
    return "unknown error";
}
