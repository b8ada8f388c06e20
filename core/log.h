/* log.h: leveled messages on stderr, each with a module tag: "[parse] warning: ...".
 *
 * Contract: one process-wide level (set once by main from -q/-v before any work starts); the
 * functions are safe to call from any thread (each message is one fprintf). Library code logs
 * warnings and progress here and never prints results: results go to stdout from commands only.
 */
#ifndef PL_LOG_H
#define PL_LOG_H

typedef enum pl_log_level {
    PL_LOG_QUIET = 0, /* errors only (errors are printed by main) */
    PL_LOG_WARN = 1,
    PL_LOG_INFO = 2,
    PL_LOG_DEBUG = 3
} pl_log_level;

void pl_log_set_level(pl_log_level level);
pl_log_level pl_log_get_level(void);

void pl_warn(const char *tag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Progress a user sees by default (one line per training iteration...): the warning level, no "warning: ". */
void pl_note(const char *tag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pl_info(const char *tag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pl_debug(const char *tag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
