/* nudge.h - the friendly DM after N days (config nudge_after_days, default 3) without
 * a check-in: at most once per gap (a gap is named by the last day checked in, and
 * its DM goes through the delivery ledger, so restarts never repeat it), never to a
 * member who turned nudges off (/privacy nudges:off), never before day 1 or after the
 * last day. Loop thread only; sends through app->chat. */
#ifndef COHORT_NUDGE_H
#define COHORT_NUDGE_H

#include <stdint.h>

struct app;

/* How often the scheduler should call nudge_run. */
#define NUDGE_EVERY_S 300

/* Checks every cohort at `now` and DMs whoever is due. *sent = DMs queued.
 * 0 or BOT_E* (logged once here). */
int nudge_run(struct app *app, int64_t now, int *sent);

#endif
