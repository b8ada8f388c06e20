/* log.c: see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static pl_log_level g_level = PL_LOG_WARN;

void pl_log_set_level(pl_log_level level) { g_level = level; }
pl_log_level pl_log_get_level(void) { return g_level; }

static void emit(pl_log_level level, const char *tag, const char *kind, const char *fmt,
                 va_list ap)
{
    if (level > g_level) return;
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fprintf(stderr, "[%s] %s%s\n", tag, kind, buf);
}

void pl_warn(const char *tag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(PL_LOG_WARN, tag, "warning: ", fmt, ap);
    va_end(ap);
}

void pl_note(const char *tag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(PL_LOG_WARN, tag, "", fmt, ap);
    va_end(ap);
}

void pl_info(const char *tag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(PL_LOG_INFO, tag, "", fmt, ap);
    va_end(ap);
}

void pl_debug(const char *tag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(PL_LOG_DEBUG, tag, "", fmt, ap);
    va_end(ap);
}
