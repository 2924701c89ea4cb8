/* notify.c - sd_notify for the service manager (notify.h). */
#include "bot/notify.h"
#include "bot/log.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

static struct {
    bool ready, stopping, wd_checked;
    uint64_t wd_usec; /* 0 = no watchdog */
    int64_t wd_last_ms;
    char status[128];
} g_n = {.wd_last_ms = -1};

static void send_state(const char *state)
{
    int rc = sd_notify(0, state);
    if (rc < 0)
        log_warn("notify", "sd_notify failed: %s", strerror(-rc));
}

void notify_status(const char *status)
{
    if (!status || strncmp(g_n.status, status, sizeof(g_n.status) - 1) == 0)
        return;
    snprintf(g_n.status, sizeof(g_n.status), "%s", status);
    char line[160];
    snprintf(line, sizeof(line), "STATUS=%s", g_n.status);
    send_state(line);
}

void notify_ready(const char *status)
{
    if (g_n.ready) {
        notify_status(status);
        return;
    }
    g_n.ready = true;
    snprintf(g_n.status, sizeof(g_n.status), "%s", status ? status : "ready");
    char line[180];
    snprintf(line, sizeof(line), "READY=1\nSTATUS=%s", g_n.status);
    send_state(line);
    log_info("notify", "ready status=%s", g_n.status);
}

void notify_tick(const char *status, int64_t now_ms)
{
    if (!g_n.wd_checked) {
        g_n.wd_checked = true;
        if (sd_watchdog_enabled(0, &g_n.wd_usec) <= 0)
            g_n.wd_usec = 0;
        else
            log_info("notify", "watchdog interval_ms=%llu",
                     (unsigned long long)(g_n.wd_usec / 1000));
    }
    int64_t quarter = (int64_t)(g_n.wd_usec / 4000);
    if (g_n.wd_usec && (g_n.wd_last_ms < 0 || now_ms - g_n.wd_last_ms >= quarter)) {
        g_n.wd_last_ms = now_ms;
        send_state("WATCHDOG=1");
    }
    notify_status(status);
}

void notify_stopping(void)
{
    if (g_n.stopping)
        return;
    g_n.stopping = true;
    send_state("STOPPING=1\nSTATUS=stopping");
}
