/* log.h - one-line structured logging to stderr: `LEVEL module: message key=value`.
 * Thread-safe (one write per line). Registered secrets (the bot token, interaction
 * tokens) are replaced by "***" in every line, as a last line of defence; callers
 * still must not pass secrets on purpose. */
#ifndef COHORT_LOG_H
#define COHORT_LOG_H

#include <stdarg.h>

enum log_level { LOGL_DEBUG = 0, LOGL_INFO = 1, LOGL_WARN = 2, LOGL_ERROR = 3, LOGL_OFF = 4 };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
/* Parses "debug", "info", "warn"/"warning", "error", "off". 0 or BOT_EINVAL. */
int log_parse_level(const char *s, enum log_level *out);
/* Redact this string from every later log line (copied; up to 8 secrets). */
void log_add_secret(const char *secret);
void log_clear_secrets(void);

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level lvl, const char *module, const char *fmt, va_list ap);

#define log_debug(mod, ...) log_msg(LOGL_DEBUG, mod, __VA_ARGS__)
#define log_info(mod, ...) log_msg(LOGL_INFO, mod, __VA_ARGS__)
#define log_warn(mod, ...) log_msg(LOGL_WARN, mod, __VA_ARGS__)
#define log_error(mod, ...) log_msg(LOGL_ERROR, mod, __VA_ARGS__)

#endif
