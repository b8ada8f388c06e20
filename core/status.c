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
    for (char *c = buf; *c; c++) /* one line, whatever a name held; UTF-8 text such as "µm" stays */
        if ((unsigned char)*c < 32 || *c == 127) *c = '?';
    memcpy(g_msg, buf, sizeof g_msg);
    return code;
}

char *pl_err_printable(char *dst, size_t cap, const char *s, size_t n)
{
    size_t room = cap - 4, k = 0; /* room for "..." and the NUL */
    for (size_t i = 0; i < n && k < room; i++, k++) {
        unsigned char c = (unsigned char)s[i];
        dst[k] = (c >= 32 && c < 127) ? (char)c : '?';
    }
    if (n > room) memcpy(dst + k, "...", 3), k += 3;
    dst[k] = '\0';
    return dst;
}

const char *pl_err_name(const char *s, size_t n)
{
    static _Thread_local char ring[8][80];
    static _Thread_local unsigned next;
    return pl_err_printable(ring[next++ & 7], sizeof ring[0], s, n);
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
