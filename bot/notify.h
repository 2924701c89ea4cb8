/* notify.h - systemd service notifications (sd_notify, libsystemd): READY=1 once the
 * bot serves (gateway READY, or the console loop runs), STATUS= lines when the state
 * changes, WATCHDOG=1 from the loop's 1 s tick (so a wedged loop stops pinging and
 * systemd restarts it), STOPPING=1 on shutdown. Without NOTIFY_SOCKET (not started by
 * systemd) every call does nothing. Loop thread only; owns no caller pointer (status
 * strings are copied). */
#ifndef COHORT_NOTIFY_H
#define COHORT_NOTIFY_H

#include <stdint.h>

/* READY=1 with STATUS=status (the first call only; later calls update STATUS). */
void notify_ready(const char *status);
/* STATUS=status, sent only when it differs from the last one sent. */
void notify_status(const char *status);
/* From the loop's tick: WATCHDOG=1 when systemd asked for a watchdog (WATCHDOG_USEC
 * for this pid), at most every quarter of its interval; then notify_status(status)
 * when status is non-NULL. now_ms is a monotonic clock. */
void notify_tick(const char *status, int64_t now_ms);
/* STOPPING=1 (once). */
void notify_stopping(void);

#endif
