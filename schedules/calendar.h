/* calendar.h - iCalendar (RFC 5545) feeds: parse .ics text into an opaque feed,
 * expand its occurrences in a UTC window and list the reminders they imply.
 * Owns the parsed feed; uses libical for rules, zones and value types and fixes
 * libical 3.0.16's expansion bugs (see ../shared/ical-notes.md). Loop thread only
 * (libical's zone cache); pure apart from that: no I/O, no clock - callers pass
 * times. Never aborts on input: malformed text yields one error with a line number. */
#ifndef COHORT_CALENDAR_H
#define COHORT_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/err.h"

struct cal_feed;

/* Hard budgets: a feed whose expansion for one window needs more than these is
 * refused with BOT_ETOOBIG (an honest study calendar needs a few hundred). */
#define CAL_MAX_OCC 5000 /* occurrences per expansion on the bot's threads */
/* Offline tools (the calendar CLI, benchmarks) may ask for up to this many. */
#define CAL_TOOL_MAX_OCC 1000000

/* One occurrence of an event. Strings are borrowed from the feed (never NULL,
 * "" when absent) and stay valid until cal_feed_free. */
struct cal_occ {
    const char *uid, *summary, *location, *url, *description;
    int64_t start, end; /* UTC seconds; all-day: local midnight of the date zone */
    bool all_day;       /* DATE-valued DTSTART */
    int64_t day;        /* all-day only: days since 1970-01-01 of the date */
    int64_t orig_start; /* recurrence id: the start before any override (UTC) */
    int64_t orig_day;   /* all-day only: the date before any override */
    bool cancelled;     /* STATUS:CANCELLED on the event or its override */
    const void *src;    /* internal: the VEVENT that supplied it (for alarms) */
};

struct cal_reminder {
    int64_t fire; /* UTC seconds */
    struct cal_occ occ;
};

/* Parses `len` bytes of .ics text. `default_zone` (IANA name, NULL/"" = UTC) is the
 * zone for floating times and all-day anchors when the feed has no usable
 * X-WR-TIMEZONE. On success *out is a new feed (caller frees with cal_feed_free).
 * FREQ=SECONDLY and FREQ=MINUTELY rules are refused (BOT_EINVAL naming the line).
 * Errors: BOT_EINVAL with "line N: ..." in err, BOT_ENOMEM. */
int cal_parse(const char *text, size_t len, const char *default_zone, struct cal_feed **out,
              char err[BOT_ERR_LEN]);
void cal_feed_free(struct cal_feed *f); /* NULL is a no-op */

/* Number of VEVENTs kept (masters and overrides). */
size_t cal_feed_event_count(const struct cal_feed *f);
/* The zone used for floating times and all-day anchors ("UTC" or an IANA name);
 * borrowed from the feed. */
const char *cal_feed_zone(const struct cal_feed *f);

/* Every occurrence whose start lies in [from, to) (all-day ones: whose date, read
 * as 00:00Z, lies there), including cancelled ones (flagged), sorted by start, then
 * UID, then original start. *out is malloc'd (caller free()s it; NULL when *n == 0).
 * 0, BOT_ENOMEM, or BOT_ETOOBIG when the feed would need more than CAL_MAX_OCC
 * occurrences or 200,000 rule steps for this window (a hostile feed must not stall
 * the loop thread). */
int cal_expand(const struct cal_feed *f, int64_t from, int64_t to, struct cal_occ **out, size_t *n);
/* The same with another occurrence budget (rule steps scale with it). */
int cal_expand_max(const struct cal_feed *f, int64_t from, int64_t to, size_t max_occ,
                   struct cal_occ **out, size_t *n);

/* Reminders whose fire time lies in [from, to), sorted by fire, start, UID. An event
 * with VALARMs uses them (TRIGGER relative to start or end, or absolute, plus
 * REPEAT/DURATION); other events fire `lead_min[i]` minutes before each start.
 * Cancelled occurrences give none. *out is malloc'd (caller free()s; NULL if n==0).
 * Repeats (one occurrence reached twice at one fire time) are dropped after an
 * O(n log n) sort. 0, BOT_ENOMEM or BOT_ETOOBIG (as cal_expand, or more than
 * twice the occurrence budget). */
int cal_reminders(const struct cal_feed *f, int64_t from, int64_t to, const int *lead_min,
                  size_t nlead, struct cal_reminder **out, size_t *n);
int cal_reminders_max(const struct cal_feed *f, int64_t from, int64_t to, const int *lead_min,
                      size_t nlead, size_t max_occ, struct cal_reminder **out, size_t *n);

/* Posting rule: true when the reminder is due and its event has not started yet
 * (fire <= now < start). A reminder whose event already started is not posted. */
bool cal_reminder_due(const struct cal_reminder *r, int64_t now);

/* Stable, feed-independent ledger key "<uid>/<orig-start>/<fire>" with times as
 * YYYYMMDDTHHMMSSZ (orig-start of an all-day occurrence as YYYYMMDD). The caller
 * prefixes its feed id. 0 or BOT_ETOOBIG (out is then ""). */
int cal_occ_key(const struct cal_occ *o, int64_t fire, char *out, size_t cap);

/* "YYYY-MM-DDTHH:MM:SSZ" for timed, "YYYY-MM-DD" for all-day occurrences. */
void cal_format_start(const struct cal_occ *o, char out[32]);
void cal_format_utc(int64_t t, char out[32]); /* "YYYY-MM-DDTHH:MM:SSZ" */

/* Maps a Windows zone name ("W. Europe Standard Time") to IANA, or NULL. */
const char *cal_windows_zone(const char *name);

#endif
