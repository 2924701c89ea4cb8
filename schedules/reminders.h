/* reminders.h - calendar reminders: keeps every feed's parsed copy current (URLs are
 * fetched by one worker thread with conditional GET; results are applied on the loop
 * thread), and posts each reminder exactly once per (feed, UID, occurrence, fire
 * time) through the delivery ledger, in the feed's channel. A feed that fails keeps
 * its last good copy; admins see the error once (log, /calendar list). Loop thread
 * except for the worker, which only runs feed_fetch. */
#ifndef COHORT_REMINDERS_H
#define COHORT_REMINDERS_H

#include <stddef.h>
#include <stdint.h>

#include "bot/message.h"

struct app;
struct rem_state;
struct feed_row;

struct rem_state *rem_new(struct app *app);
void rem_free(struct rem_state *r);
/* Refreshes due feeds, applies fetch results, posts due reminders. */
void rem_tick(struct app *app, struct rem_state *r, int64_t now);
/* The feed list changed (add/remove): reload it on the next tick; refresh `id` now
 * (0 = none). */
void rem_feeds_changed(struct rem_state *r, int64_t refresh_id);
/* Upcoming events of the guild's feeds in [now, now + days): lines into an embed. */
int rem_schedule(struct app *app, struct rem_state *r, const char *guild_id, int64_t now, int days,
                 struct message *m);
/* Events parsed from feed `id` (for /calendar list), or -1 when not loaded yet. */
long rem_feed_events(struct rem_state *r, int64_t id);

/* Parses "1440,60,10" into up to max minute counts (0..40320). Returns the count, or
 * BOT_EINVAL. Pure. */
int rem_parse_leads(const char *s, int *out, int max);
/* The reminder embed for one occurrence (title, Discord timestamps, location, URL,
 * description). Pure. */
struct cal_occ;
int rem_message(const struct cal_occ *o, struct message *m);

#endif
