/* daily.h - the daily prompts of a cohort: which posts are due when (a pure plan from
 * the cohort and its curriculum), what they say (struct message builders), and the
 * scheduler step that sends them exactly once through the delivery ledger. Loop
 * thread for daily_tick; the plan and builders are pure. */
#ifndef COHORT_DAILY_H
#define COHORT_DAILY_H

#include <stddef.h>
#include <stdint.h>

#include "bot/message.h"
#include "schedules/cohort.h"

struct app;
struct curriculum;

enum daily_kind { DAILY_WEEK = 0, DAILY_DAY = 1, DAILY_DONE = 2 };

struct daily_post {
    enum daily_kind kind;
    int day, week; /* day 0 for DAILY_DONE; week of the day */
    int64_t due;   /* UTC seconds */
    char key[160]; /* delivery key: daily/<guild>/<start>/<what> */
};

/* Posts of cohort c due in [from, to), in order (a week overview comes right before
 * its first day). Returns how many there are (may exceed max; only max are written). */
size_t daily_plan(const struct cohort *c, const struct curriculum *cur, int64_t from, int64_t to,
                  struct daily_post *out, size_t max);

/* The message for one post (cohort id goes into the Check in button). 0 or BOT_E*. */
int daily_message(const struct cohort *c, const struct curriculum *cur, const struct daily_post *p,
                  struct message *m);
/* Day N content (for /today, /day): an embed like the daily post's. */
int daily_day_embed(const struct curriculum *cur, int day, struct message *m);
/* Week overview (objectives, projects, study groups, assessment). */
int daily_week_embed(const struct curriculum *cur, int week, struct message *m);

/* Channel for week W of cohort c: the explicit mapping, else a channel named for the
 * week, else NULL. `fallback` (may be NULL) gets the fallback channel if one is set. */
const char *daily_week_channel(struct app *app, const struct cohort *c, int week, char *buf,
                               size_t buflen, char *fallback, size_t fblen);

struct daily_state;
struct daily_state *daily_new(void);
void daily_free(struct daily_state *d);
/* Sends what is due for every cohort at `now`, catching up within catchup_hours and
 * skipping (with a log line) what is older. */
void daily_tick(struct app *app, struct daily_state *d, int64_t now);
/* Number of posts waiting for a channel (for /cohort status), and a text list. */
int daily_waiting(struct daily_state *d, const char *guild_id, char *out, size_t outlen);

#endif
