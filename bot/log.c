/* log.c - the structured stderr logger with secret redaction (see log.h). */
#include "bot/log.h"
#include "bot/err.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_SECRETS 8

static enum log_level g_level = LOGL_INFO;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static char *g_secrets[MAX_SECRETS];

void log_set_level(enum log_level lvl)
{
    g_level = lvl;
}

enum log_level log_get_level(void)
{
    return g_level;
}

int log_parse_level(const char *s, enum log_level *out)
{
    static const struct {
        const char *name;
        enum log_level lvl;
    } names[] = {{"debug", LOGL_DEBUG},  {"info", LOGL_INFO},   {"warn", LOGL_WARN},
                 {"warning", LOGL_WARN}, {"error", LOGL_ERROR}, {"off", LOGL_OFF}};
    for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].lvl;
            return 0;
        }
    }
    return BOT_EINVAL;
}

void log_add_secret(const char *secret)
{
    if (!secret || strlen(secret) < 4)
        return;
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_SECRETS; i++) {
        if (g_secrets[i] && strcmp(g_secrets[i], secret) == 0)
            break;
        if (!g_secrets[i]) {
            g_secrets[i] = strdup(secret);
            break;
        }
    }
    pthread_mutex_unlock(&g_lock);
}

void log_clear_secrets(void)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_SECRETS; i++) {
        free(g_secrets[i]);
        g_secrets[i] = NULL;
    }
    pthread_mutex_unlock(&g_lock);
}

/* Replaces every registered secret in line[] (in place, shrinking). When the line
 * was cut by the buffer (truncated), a secret may have been cut too: a tail of the
 * line that is the start of a secret (4 characters or more) is replaced as well. */
static void redact(char *line, bool truncated)
{
    for (int i = 0; i < MAX_SECRETS && g_secrets[i]; i++) {
        size_t n = strlen(g_secrets[i]);
        char *hit;
        while ((hit = strstr(line, g_secrets[i])) != NULL) {
            memcpy(hit, "***", 3);
            memmove(hit + 3, hit + n, strlen(hit + n) + 1);
        }
        size_t len = strlen(line);
        for (size_t k = n - 1; truncated && k >= 4; k--) {
            if (k <= len && memcmp(line + len - k, g_secrets[i], k) == 0) {
                memcpy(line + len - k, "***", 4);
                break;
            }
        }
    }
}

void log_vmsg(enum log_level lvl, const char *module, const char *fmt, va_list ap)
{
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    char line[2048];
    if (lvl < g_level || lvl >= LOGL_OFF)
        return;
    int n = snprintf(line, sizeof(line), "%s %s: ", names[lvl], module ? module : "-");
    if (n < 0 || (size_t)n >= sizeof(line))
        return;
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    bool truncated = m < 0 || (size_t)m >= sizeof(line) - (size_t)n;
    /* one event per line: fold embedded newlines */
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    pthread_mutex_lock(&g_lock);
    redact(line, truncated);
    fprintf(stderr, "%s\n", line);
    pthread_mutex_unlock(&g_lock);
}

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(lvl, module, fmt, ap);
    va_end(ap);
}
